"""What an incremental batch remembers between runs (``docgen batch`` run again).

For each cell, a fingerprint of everything its documents are made from, and what the run
that made them said of them (the manifest's records, the warnings and notes). A re-run
computes the fingerprints again before parsing anything; a cell whose fingerprint is the
same and whose documents are still on disk as they were written is not made again: its
records are taken from here and nothing of it is rewritten. The ward's summary is skipped
the same way when no cell was made again and its own fingerprint is the same.

A fingerprint is conservative: it changes with

* any byte of any file in the cell's folder (not only the files the documents read);
* the ward's files: ``dang-bo.yaml``, the rule set, every file of the ward's folders of the
  year and of the year before (an annual report cites the level recognised then);
* the templates the period's kinds use, docgen's own code and data, its version;
* the register's whole content (a document issued by ``docgen render`` between two
  batches makes every cell be checked again once);
* the period, the kinds, draft or not, the output folder, and today's date (messages
  about dates in the future depend on it). Not ``--reissue``: an unchanged cell has
  nothing to issue again.

The state is a JSON file beside the manifest (``.docgen-batch-<period>.json``), written
atomically after the manifest; read as hostile (bounded, its shape checked): anything
unexpected and the batch is simply made in full.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docgen._version import __version__
from docgen.errors import FileRefused
from docgen.output import output_path
from docgen.userfile import read_regular

__all__ = [
    "STATE_FORMAT",
    "BatchState",
    "Fingerprints",
    "code_digest",
    "files_digest",
    "load_state",
    "state_path",
]

#: the layout of the state file; another one is ignored (the batch is made in full)
STATE_FORMAT = 1

# A state file larger than this is not read (a ward of 7,000 members writes about
# 1 KB per cell: 200 KB for 200 cells).
MAX_STATE_BYTES = 64 * 1024 * 1024

# A file of a cell's folder is hashed up to this size; a larger one (which reading it as
# data refuses anyway) is fingerprinted by its size and modification time.
MAX_HASHED_BYTES = 16 * 1024 * 1024

_PACKAGE = Path(__file__).resolve().parent
# What Python writes into the package as it runs: not part of docgen's code.
_NOT_CODE = frozenset({"__pycache__"})


def state_path(ward_code: str, year: int, label: str) -> Path:
    """The state of a batch (``label``: ``quy-3`` or ``nam``), relative to the output
    folder: beside its manifest."""
    return output_path(ward_code, None, year, f".docgen-batch-{label}.json")


def _digest_file(path: Path, size: int, mtime_ns: int) -> str:
    if size > MAX_HASHED_BYTES:
        return f"lon:{size}:{mtime_ns}"
    try:
        return hashlib.sha256(read_regular(path, MAX_HASHED_BYTES)).hexdigest()
    except (FileRefused, OSError) as exc:
        return f"loi:{type(exc).__name__}"


def files_digest(folder: Path, skip: frozenset[str] = frozenset()) -> str:
    """One digest of every file under ``folder`` (names and contents; symlinks and other
    non-regular entries by their names and kinds), but entries named in ``skip``; "" when
    the folder is missing."""
    digest = hashlib.sha256()
    try:
        top = os.scandir(folder)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"loi:{type(exc).__name__}"
    stack = [("", top)]
    entries: list[tuple[str, str]] = []
    while stack:
        prefix, it = stack.pop()
        with it:
            for entry in it:
                if entry.name in skip:
                    continue
                name = prefix + entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((name + "/", os.scandir(entry.path)))
                        entries.append((name + "/", "thu-muc"))
                    elif entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        entries.append((name, _digest_file(Path(entry.path), st.st_size, st.st_mtime_ns)))
                    else:
                        entries.append((name, "khac"))
                except OSError as exc:
                    entries.append((name, f"loi:{type(exc).__name__}"))
    for name, value in sorted(entries):
        digest.update(f"{name}\0{value}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def code_digest() -> str:
    """One digest of docgen's own code and data (every file of the installed package), so
    that a changed docgen never reuses what an older one made."""
    return hashlib.sha256(f"{__version__}\0{files_digest(_PACKAGE, _NOT_CODE)}".encode()).hexdigest()


def _combine(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass
class Fingerprints:
    """The fingerprints of one batch: what every document depends on (``common``), each
    cell's, and the ward summary's (which depends on every cell).

    ``inputs`` is the digest of everything but the register, ``folders`` each cell's
    folder digest, both taken before the batch reads anything; the register's part is
    set apart so the state written after the batch can name the register as the batch
    left it (:meth:`with_register`) without reading the files again (a file changed
    while the batch ran is then seen as changed by the next run).
    """

    inputs: str
    register: str
    folders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        *,
        settings: Mapping[str, object],
        ward_files: Iterable[Path],
        ward_folders: Iterable[Path],
        templates: Iterable[Path],
        register: str,
        cell_folders: Mapping[str, Path],
        today: date,
    ) -> Fingerprints:
        """Fingerprint a batch. ``settings``: what the run was asked (period, kinds, draft,
        reissue...); ``ward_files``: single files every document reads (``dang-bo.yaml``,
        the rule set); ``ward_folders``: folders every document may read; ``templates``:
        the template files used; ``register``: a digest of the register's content."""
        parts = [
            f"dinh-dang:{STATE_FORMAT}",
            f"ma:{code_digest()}",
            f"hom-nay:{today.isoformat()}",
            "cai-dat:" + json.dumps(dict(settings), sort_keys=True, ensure_ascii=False, default=str),
        ]
        # By content and place in the lists, not by path: a workspace or output folder
        # moved elsewhere keeps its fingerprints.
        for path in [*ward_files, *templates]:
            try:
                st = path.stat()
                parts.append(f"tep:{path.name}:{_digest_file(path, st.st_size, st.st_mtime_ns)}")
            except OSError as exc:
                parts.append(f"tep:{path.name}:loi:{type(exc).__name__}")
        for folder in ward_folders:
            parts.append(f"thu-muc:{files_digest(folder)}")
        folders = {cell_id: files_digest(folder) for cell_id, folder in cell_folders.items()}
        return cls(_combine(*parts), register, folders)

    def with_register(self, register: str) -> Fingerprints:
        """The same fingerprints with the register as ``register``."""
        return Fingerprints(self.inputs, register, dict(self.folders))

    @property
    def common(self) -> str:
        return _combine(self.inputs, f"so-dang-ky:{self.register}")

    def cell(self, cell_id: str) -> str:
        """A cell's fingerprint."""
        return _combine(self.common, cell_id, self.folders.get(cell_id, ""))

    def ward(self) -> str:
        """The ward summary's fingerprint: the common one and every cell's."""
        common = self.common
        return _combine(common, *(f"{k}={_combine(common, k, v)}" for k, v in sorted(self.folders.items())))


@dataclass
class BatchState:
    """What a batch made: for each cell id (and ``None`` for the ward's documents), the
    fingerprint it was made from and its outcome as JSON data (records, warnings, notes)."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    WARD = "*"  # the key of the ward's documents (no cell id has a "*")

    def outcome(self, key: str, fingerprint: str) -> dict[str, Any] | None:
        """The outcome stored for ``key`` if it was made from ``fingerprint``."""
        entry = self.entries.get(key)
        if entry is None or entry.get("fingerprint") != fingerprint:
            return None
        outcome = entry.get("outcome")
        return outcome if isinstance(outcome, dict) else None

    def put(self, key: str, fingerprint: str, outcome: dict[str, Any]) -> None:
        self.entries[key] = {"fingerprint": fingerprint, "outcome": outcome}

    def to_bytes(self) -> bytes:
        data = {"format": STATE_FORMAT, "entries": self.entries}
        return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _valid(data: object) -> bool:
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        return False
    entries = data.get("entries")
    if not isinstance(entries, dict):
        return False
    return all(
        isinstance(key, str)
        and isinstance(entry, dict)
        and isinstance(entry.get("fingerprint"), str)
        and isinstance(entry.get("outcome"), dict)
        for key, entry in entries.items()
    )


def load_state(path: Path) -> BatchState:
    """The state at ``path``, or an empty one when it is missing, too large, not the
    expected JSON or of another format (the batch is then made in full)."""
    try:
        data = json.loads(read_regular(path, MAX_STATE_BYTES))
    except (FileRefused, OSError, ValueError, RecursionError):
        return BatchState()
    if not _valid(data):
        return BatchState()
    return BatchState(dict(data["entries"]))
