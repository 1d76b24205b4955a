"""Writing documents: inside the output folder only, atomically, never half-written."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from docgen.errors import OutputError, os_reason

__all__ = ["is_temporary", "remove_stale_temporaries", "resolve_inside", "write_atomic"]

# docgen's temporary files: ".<name>.docgen-" and mkstemp's 8 random characters.
_TEMPORARY = re.compile(r"\..+\.docgen-[a-z0-9_]{8}\.tmp")


def resolve_inside(root: Path, relative: Path) -> Path:
    """Join ``relative`` to ``root`` and refuse any result outside ``root``.

    Identifiers are validated to be plain names, so this is a second lock: a path
    built from data can never leave the output folder.
    """
    base = root.resolve()
    target = (base / relative).resolve()
    if target != base and base not in target.parents:
        raise OutputError(relative, "đường dẫn kết quả nằm ngoài thư mục kết quả")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder.

    The temporary file is flushed and fsynced, then renamed over ``path``, so a
    reader (or a crash) sees either the old file or the new one, never a mix.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.docgen-", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(path, f"không tạo được tệp ({os_reason(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, f"không ghi được tệp ({os_reason(exc)})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def is_temporary(path: Path) -> bool:
    """Whether ``path`` is named as docgen's temporary files are (``.x.docgen-XXXXXXXX.tmp``)."""
    return _TEMPORARY.fullmatch(path.name) is not None


def remove_stale_temporaries(root: Path) -> list[Path]:
    """Delete temporary files an interrupted run left under ``root``
    (``.name.docgen-XXXXXXXX.tmp``; no other file is touched).

    They are never documents: a reader or a crash only ever sees finished files. Call
    this before a run writes into ``root``; two runs must not share an output folder.
    """
    removed = []
    if not root.is_dir():
        return removed
    for path in root.rglob(".*.docgen-*.tmp"):
        if is_temporary(path) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
