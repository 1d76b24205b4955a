"""Writing documents: inside the output folder only, every file of a run or none, never
half-written.

A run's files are first written to temporary files in their final folders (fsynced),
then renamed over their targets one after another; whatever the caller records about
them (the register) is recorded after that. A failure at any step, Ctrl-C included,
removes the temporary files and the folders the run created and puts back any file a
renamed one replaced, so the output folder is as it was. Temporary files are named
``.<name>.docgen-XXXXXXXX.tmp``: nothing else is ever taken for one.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from docgen.errors import OutputError, os_reason

__all__ = [
    "bundle_path",
    "draft_path",
    "interrupts_deferred",
    "is_temporary",
    "manifest_path",
    "output_path",
    "remove_stale_temporaries",
    "resolve_inside",
    "ward_folder",
    "write_all",
    "write_atomic",
]

T = TypeVar("T")

# mkstemp's random part: 8 characters of this alphabet (tempfile._RandomNameSequence).
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TEMPORARY = re.compile(r"\..+\.docgen-[a-z0-9_]{8}\.tmp")


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}.docgen-"


def is_temporary(path: Path) -> bool:
    """Whether ``path`` is named as docgen's temporary files are (``.x.docgen-XXXXXXXX.tmp``)."""
    return _TEMPORARY.fullmatch(path.name) is not None


def _shown(path: Path) -> str:
    from docgen.errors import display_path

    return display_path(path)


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


def ward_folder(ward_code: str) -> Path:
    """The folder of a ward's output, relative to the output folder: every file of the
    ward and its cells is under it."""
    return Path(ward_code)


def output_path(ward_code: str, cell_id: str | None, year: int, filename: str) -> Path:
    """Where a file of a run goes, relative to the output folder: ``<ward>/<cell>/<year>/
    <filename>`` for a cell's document, ``<ward>/<year>/<filename>`` for the ward's (its
    documents, a batch's manifest and bundle). The one place output paths are named;
    ``resolve_inside`` joins them to the output folder."""
    folder = ward_folder(ward_code) if cell_id is None else ward_folder(ward_code) / cell_id
    return folder / str(year) / filename


def draft_path(path: Path) -> Path:
    """Where the draft of the document at ``path`` goes: beside it, ``<name>-du-thao.docx``,
    never over the issued document."""
    return path.with_name(f"{path.stem}-du-thao.docx")


def manifest_path(ward_code: str, year: int, label: str) -> Path:
    """A batch's manifest (``label``: ``quy-3`` or ``nam``), beside the ward summary; its
    CSV copy has the same name with ``.csv``."""
    return output_path(ward_code, None, year, f"manifest-{label}.json")


def bundle_path(ward_code: str, year: int, label: str) -> Path:
    """A batch's print bundle (``label``: ``quy-3`` or ``nam``), beside the ward summary."""
    return output_path(ward_code, None, year, f"tap-van-ban-{label}.docx")


_deferring = threading.local()


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back while a block that must not stop halfway runs (putting a
    run's files in place and recording them, or undoing that); raise KeyboardInterrupt
    when the block is over, instead of the block's own exception if it raised one.

    Signals reach the main thread only; elsewhere, and inside another such block, this
    does nothing. A process that ignores SIGINT (a batch worker) keeps ignoring it.
    """
    previous = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None
    if getattr(_deferring, "active", False) or not callable(previous):
        yield
        return
    caught: list[int] = []
    # A Ctrl-C already pending is raised here, before anything is held back.
    signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    _deferring.active = True
    try:
        yield
    except BaseException:
        _restore(previous)
        if caught:
            raise KeyboardInterrupt from None
        raise
    _restore(previous)
    if caught:
        raise KeyboardInterrupt


def _restore(handler: object) -> None:
    signal.signal(signal.SIGINT, handler)  # type: ignore[arg-type]
    _deferring.active = False


@dataclass
class _File:
    target: Path
    temporary: Path
    aside: Path | None = None  # the file it replaces, kept until the run is recorded
    placed: bool = False


@dataclass
class _FileSet:
    """Files written together: staged as temporaries, then put in place, or undone."""

    files: list[_File] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)  # folders made, parents first

    def stage(self, target: Path, data: bytes) -> None:
        """Create ``target``'s folders and write ``data`` to a temporary file beside it."""
        self._make_folders(target)
        try:
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        except OSError as exc:
            raise OutputError(_shown(target), f"không ghi được tệp ({os_reason(exc)})") from None
        try:
            fd, name = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise OutputError(_shown(target), f"không tạo được tệp ({os_reason(exc)})") from None
        self.files.append(_File(target, Path(name)))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, 0o644)
        except OSError as exc:
            raise OutputError(_shown(target), f"không ghi được tệp ({os_reason(exc)})") from None

    def _make_folders(self, target: Path) -> None:
        missing = []
        folder = target.parent
        while not _is_dir(folder) and folder.parent != folder:
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            try:
                os.mkdir(folder)
            except FileExistsError:
                if _is_dir(folder):  # made meanwhile by another run: not ours to remove
                    continue
                reason = os_reason(FileExistsError(errno.EEXIST, ""))
                raise OutputError(
                    _shown(target), f"không tạo được thư mục {_shown(folder)} ({reason})"
                ) from None
            except OSError as exc:
                raise OutputError(
                    _shown(target), f"không tạo được thư mục {_shown(folder)} ({os_reason(exc)})"
                ) from None
            self.created.append(folder)

    def commit(self) -> None:
        """Rename every temporary file over its target, keeping each replaced file aside."""
        for file in self.files:
            try:
                if os.path.isfile(file.target):
                    file.aside = _keep_aside(file.target)
                os.replace(file.temporary, file.target)
            except OSError as exc:
                raise OutputError(_shown(file.target), f"không ghi được tệp ({os_reason(exc)})") from None
            file.placed = True
        for folder in dict.fromkeys(f.target.parent for f in self.files):
            try:
                dir_fd = os.open(folder, os.O_RDONLY)
            except OSError:  # pragma: no cover - platforms without directory fds
                continue
            try:
                os.fsync(dir_fd)
            except OSError as exc:
                raise OutputError(_shown(folder), f"không ghi được tệp ({os_reason(exc)})") from None
            finally:
                os.close(dir_fd)

    def rollback(self) -> None:
        """Put back what was there: replaced files restored, new files, temporaries and the
        folders made removed (as far as the system lets; this runs after a failure)."""
        for file in reversed(self.files):
            try:
                if file.placed and file.aside is not None:
                    os.replace(file.aside, file.target)
                elif file.placed:
                    os.unlink(file.target)
                else:
                    file.temporary.unlink(missing_ok=True)
                    if file.aside is not None:
                        file.aside.unlink(missing_ok=True)
            except OSError:
                pass
        for folder in reversed(self.created):
            with suppress(OSError):  # not empty: someone else wrote there meanwhile
                os.rmdir(folder)

    def finish(self) -> None:
        """Forget the replaced files: the run is recorded."""
        for file in self.files:
            if file.aside is not None:
                with suppress(OSError):
                    file.aside.unlink(missing_ok=True)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # unreachable or a name too long: mkdir will say which
        return False


def _keep_aside(target: Path) -> Path:
    """A second name for ``target`` (a hard link, else a copy), as a docgen temporary."""
    for _ in range(100):
        random = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        aside = target.with_name(f"{_temporary_prefix(target)}{random}.tmp")
        try:
            os.link(target, aside)
            return aside
        except FileExistsError:
            continue
        except OSError:
            break  # no hard links on this file system (FAT, some network shares)
    fd, name = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copy2(target, name)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_all(files: Sequence[tuple[Path, bytes]], then: Callable[[], T] | None = None) -> T | None:
    """Write every ``(path, data)`` or none of them, then call ``then`` (which records them).

    Each file is written to a temporary file in its own folder (created if needed) and
    fsynced; only when all are written are they renamed over their targets, and then
    ``then`` runs. If anything fails, or Ctrl-C is pressed, the output is put back as it
    was (files replaced restored, new files and folders removed) and the error raised.
    Ctrl-C while the files are put in place and ``then`` runs is held back until they are
    done or undone.

    Returns:
        What ``then`` returns.

    Raises:
        OutputError: a folder or file could not be created or written (Vietnamese reason).
    """
    staged = _FileSet()
    try:
        for path, data in files:
            staged.stage(path, data)
    except BaseException:
        with interrupts_deferred():
            staged.rollback()
        raise
    with interrupts_deferred():
        try:
            staged.commit()
            result = then() if then is not None else None
        except BaseException:
            staged.rollback()
            raise
        staged.finish()
    return result


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder.

    The temporary file is flushed and fsynced, then renamed over ``path``, so a
    reader (or a crash) sees either the old file or the new one, never a mix.
    """
    write_all([(path, data)])


def remove_stale_temporaries(root: Path) -> list[Path]:
    """Delete temporary files an interrupted run left under ``root``
    (``.name.docgen-XXXXXXXX.tmp``; no other file is touched).

    They are never documents: a reader or a crash only ever sees finished files. Call
    this before a run writes into ``root``; two runs must not share an output folder.
    """
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for path in root.rglob(".*.docgen-*.tmp"):
        try:
            if is_temporary(path) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
        except OSError:
            continue
    return removed
