"""Writing documents: inside the output folder only, every file of a run or none, never
half-written.

A run's files are first written to temporary files in their final folders (fsynced),
then renamed over their targets one after another; whatever the caller records about
them (the register) is recorded after that. A failure at any step, Ctrl-C included,
removes the temporary files and the folders the run created and puts back any file a
renamed one replaced, so the output folder is as it was. Temporary files are named
``.<name>.docgen-XXXXXXXX.tmp``: nothing else is ever taken for one.

Runs that issue documents into one output folder take its lock (``folder_lock``:
``fcntl.flock`` on ``<folder>/.docgen.lock``, there only while held) from before their
files are staged until they are recorded or undone, so no run can undo what another
put in place. Under the lock, ``write_all(..., journal=folder)`` writes a journal
(``<folder>/.docgen-journal.json``, fsynced) before the first rename and removes it once
the run is recorded or undone: a run killed outright at any point leaves it, and the
next run under the lock (``recover_journal``) finishes or undoes the killed run's
renames as the register says, so the register and the files agree. A file replaced
can be kept for good as a visible file (``keep``: the issued version of a re-issued
document), never only as a hidden temporary.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from docgen.errors import OutputError, os_reason

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, runs are not serialised
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "JOURNAL_NAME",
    "LOCK_NAME",
    "JournalFile",
    "bundle_path",
    "draft_path",
    "folder_lock",
    "free_name",
    "interrupts_deferred",
    "is_temporary",
    "manifest_path",
    "output_path",
    "recover_journal",
    "Staging",
    "remove_stale_temporaries",
    "resolve_inside",
    "staged",
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
    sha256: str = ""
    tag: object = None  # the caller's, kept in the journal (issue.py: the register entry)
    keep: Path | None = None  # where to keep the file it replaces, for good (visible)
    aside: Path | None = None  # the file it replaces, kept until the run is recorded
    existed: bool = False
    placed: bool = False
    fd: int | None = None  # the temporary, open and locked while it is ours


@dataclass
class _FileSet:
    """Files written together: staged as temporaries, then put in place, or undone."""

    files: list[_File] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)  # folders made, parents first
    journal: Path | None = None  # the journal's folder (the output folder), if journalled

    def stage(
        self, target: Path, data: bytes, *, keep: Path | None = None, tag: object = None, settle: bool = True
    ) -> None:
        """Create ``target``'s folders and write ``data`` to a temporary file beside it.
        ``settle``: also decide now what happens to the file it replaces (``settle``);
        False when the caller stages before taking the folder's lock and settles under it."""
        self._make_folders(target)
        try:
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        except OSError as exc:
            raise OutputError(_shown(target), f"không ghi được tệp ({os_reason(exc)})") from None
        for attempt in range(2):
            try:
                fd, name = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
                break
            except FileNotFoundError:
                # Staged outside the folder's lock: a failed run may have removed the empty
                # folder it made (and this run found made) meanwhile; make it again.
                if attempt:
                    raise OutputError(_shown(target), f"không tạo được tệp ({os_reason(FileNotFoundError(errno.ENOENT, ''))})") from None
                self._make_folders(target)
            except OSError as exc:
                raise OutputError(_shown(target), f"không tạo được tệp ({os_reason(exc)})") from None
        file = _File(target, Path(name), hashlib.sha256(data).hexdigest(), tag, fd=fd)
        self.files.append(file)
        try:
            if fcntl is not None:  # a live run's temporary: remove_stale_temporaries leaves it
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            with os.fdopen(fd, "wb", closefd=False) as handle:
                handle.write(data)
                handle.flush()
                # Needed: the data must be on disk before the rename that publishes it is
                # (else a crash can leave the document's name on an empty or partial file).
                os.fsync(handle.fileno())
            os.chmod(name, 0o644)
        except OSError as exc:
            raise OutputError(_shown(target), f"không ghi được tệp ({os_reason(exc)})") from None
        if settle:
            self.settle(file, keep)

    def settle(self, file: _File, keep: Path | None) -> None:
        """Decide what happens to the file ``file`` replaces: kept for good at a free name
        near ``keep``, else aside under a hidden name until the run is recorded. Done with
        the folder's lock held when the run has one, so the names stay free and a file
        another run put there meanwhile is never taken for a new one."""
        file.existed = os.path.isfile(file.target)
        file.aside = file.keep = None
        if file.existed:
            file.aside = free_name(keep) if keep is not None else _hidden_name(file.target)
            file.keep = file.aside if keep is not None else None

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
        """Rename every temporary file over its target, keeping each replaced file aside
        (journalled first, if the set has a journal)."""
        if self.journal is not None:
            self._write_journal()
        for file in self.files:
            try:
                if file.aside is not None:
                    if os.path.isfile(file.target):
                        _second_name(file.target, file.aside)
                    else:  # gone since it was staged: nothing to keep
                        file.aside = file.keep = None
                os.replace(file.temporary, file.target)
            except OSError as exc:
                raise OutputError(_shown(file.target), f"không ghi được tệp ({os_reason(exc)})") from None
            file.placed = True
            _close(file)
        # Needed, once per folder: the renames must be on disk before the caller records
        # them (the register): a crash after the record could otherwise lose a rename
        # whose temporary's name was not on disk either, and the journal could not finish it.
        for folder in dict.fromkeys(f.target.parent for f in self.files):
            _sync_folder(folder)

    def rollback(self) -> None:
        """Put back what was there: replaced files restored, new files, temporaries and the
        folders made removed (as far as the system lets; this runs after a failure). The
        journal goes only if everything was put back."""
        undone = True
        for file in reversed(self.files):
            _close(file)
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
                undone = False
        for folder in reversed(self.created):
            with suppress(OSError):  # not empty: someone else wrote there meanwhile
                os.rmdir(folder)
        if undone:
            self._drop_journal()

    def finish(self) -> None:
        """Forget the replaced files (a kept one stays, for good): the run is recorded."""
        for file in self.files:
            if file.aside is not None and file.keep is None:
                with suppress(OSError):
                    file.aside.unlink(missing_ok=True)
        self._drop_journal()

    def _write_journal(self) -> None:
        assert self.journal is not None
        root = self.journal
        entries = [
            {
                "target": _relative(root, f.target),
                "temporary": f.temporary.name,
                "aside": None if f.aside is None else f.aside.name,
                "keep": f.keep is not None,
                "existed": f.existed,
                "sha256": f.sha256,
                "tag": f.tag,
            }
            for f in self.files
        ]
        record = {"docgen": 1, "files": entries, "folders": [_relative(root, d) for d in self.created]}
        path = root / JOURNAL_NAME
        name = _hidden_name(path)
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(_shown(path), f"không tạo được tệp ({os_reason(exc)})") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
                handle.flush()
                # Needed: the journal's content on disk before its name is.
                os.fsync(handle.fileno())
            os.rename(name, path)  # (POSIX: as os.replace; none is there, recover_journal ran)
        except BaseException as exc:
            with suppress(OSError):
                os.unlink(name)
            if isinstance(exc, OSError):
                raise OutputError(_shown(path), f"không ghi được tệp ({os_reason(exc)})") from None
            raise
        # Needed: the journal's name on disk before the first rename it describes is.
        _sync_folder(root)

    def _drop_journal(self) -> None:
        if self.journal is not None:
            with suppress(OSError):
                (self.journal / JOURNAL_NAME).unlink(missing_ok=True)
                # Needed: a journal that came back after a crash would be carried out again
                # over what later runs put in place (its hidden copies too).
                _sync_folder(self.journal)


def _close(file: _File) -> None:
    if file.fd is not None:
        with suppress(OSError):
            os.close(file.fd)
        file.fd = None


def _sync_folder(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dir_fd)
    except OSError as exc:
        raise OutputError(_shown(folder), f"không ghi được tệp ({os_reason(exc)})") from None
    finally:
        os.close(dir_fd)


def _relative(root: Path, path: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # unreachable or a name too long: mkdir will say which
        return False


def _hidden_name(target: Path) -> Path:
    """A free name for a second copy of ``target``, as a docgen temporary."""
    for _ in range(100):
        random = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        aside = target.with_name(f"{_temporary_prefix(target)}{random}.tmp")
        if not os.path.lexists(aside):
            return aside
    raise OutputError(_shown(target), "không tạo được tệp (đã có tệp trùng tên)")  # pragma: no cover


def free_name(path: Path) -> Path:
    """``path``, or ``<stem>-2<suffix>``, ``-3``... the first that does not exist."""
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _second_name(target: Path, aside: Path) -> None:
    """Give ``target``'s content the name ``aside`` too: a hard link, else a copy (written
    whole under a temporary name first)."""
    try:
        os.link(target, aside)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links on this file system (FAT, some network shares)
    fd, name = tempfile.mkstemp(prefix=_temporary_prefix(aside), suffix=".tmp", dir=aside.parent)
    os.close(fd)
    try:
        shutil.copy2(target, name)
        os.replace(name, aside)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def write_all(
    files: Sequence[tuple[Path, bytes]],
    then: Callable[[], T] | None = None,
    *,
    journal: Path | None = None,
    keep: Sequence[Path | None] | None = None,
    tags: Sequence[object] | None = None,
) -> T | None:
    """Write every ``(path, data)`` or none of them, then call ``then`` (which records them).

    Each file is written to a temporary file in its own folder (created if needed) and
    fsynced; only when all are written are they renamed over their targets, and then
    ``then`` runs. If anything fails, or Ctrl-C is pressed, the output is put back as it
    was (files replaced restored, new files and folders removed) and the error raised.
    Ctrl-C while the files are put in place and ``then`` runs is held back until they are
    done or undone.

    Args:
        journal: The output folder, whose lock the caller holds (``folder_lock``): a
            journal of the renames is written there before the first and removed once
            ``then`` returned or the run is undone (``recover_journal``).
        keep: For each file, where to keep the file it replaces for good (a free name
            near it is taken if that one exists), or None: replaced files are dropped.
        tags: For each file, what the journal keeps of it for ``recover_journal``'s
            caller (JSON data).

    Returns:
        What ``then`` returns.

    Raises:
        OutputError: a folder or file could not be created or written (Vietnamese reason).
    """
    with staged(files, tags=tags) as staging:
        return staging.put_in_place(then, journal=journal, keep=keep)


class Staging:
    """A run's files written to their temporaries (``staged``), to be put in place."""

    def __init__(self, files: _FileSet) -> None:
        self._set = files
        self.done = False

    def put_in_place(
        self,
        then: Callable[[], T] | None = None,
        *,
        journal: Path | None = None,
        keep: Sequence[Path | None] | None = None,
    ) -> T | None:
        """Rename every staged file over its target, then call ``then`` (which records
        them); undone on any failure or Ctrl-C (held back meanwhile). ``journal`` and
        ``keep``: as ``write_all``'s; with a journal, the caller holds that folder's lock,
        taken after staging: only this short part runs under it."""
        staged_set = self._set
        staged_set.journal = journal
        with interrupts_deferred():
            try:
                for n, file in enumerate(staged_set.files):
                    staged_set.settle(file, keep[n] if keep is not None else None)
                staged_set.commit()
                result = then() if then is not None else None
            except BaseException:
                staged_set.rollback()
                self.done = True
                raise
            staged_set.finish()
            self.done = True
        return result


@contextmanager
def staged(files: Sequence[tuple[Path, bytes]], *, tags: Sequence[object] | None = None) -> Iterator[Staging]:
    """Write every ``(path, data)`` to a temporary file in its folder (made if needed) and
    fsync it, before any lock is taken: the slow part of writing, which runs in parallel
    with other runs. Inside the block the caller takes the folder's lock and calls
    ``Staging.put_in_place``; leaving the block otherwise (an error, Ctrl-C) removes the
    temporaries and the folders made.

    Raises:
        OutputError: a folder or file could not be created or written.
    """
    files_set = _FileSet()
    staging = Staging(files_set)
    try:
        for n, (path, data) in enumerate(files):
            files_set.stage(path, data, tag=tags[n] if tags is not None else None, settle=False)
        yield staging
    except BaseException:
        if not staging.done:
            with interrupts_deferred():
                files_set.rollback()
        raise
    if not staging.done:  # pragma: no cover - a caller that never put them in place
        with interrupts_deferred():
            files_set.rollback()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder.

    The temporary file is flushed and fsynced, then renamed over ``path``, so a
    reader (or a crash) sees either the old file or the new one, never a mix.
    """
    write_all([(path, data)])


def remove_stale_temporaries(root: Path) -> list[Path]:
    """Delete temporary files an interrupted run left under ``root``
    (``.name.docgen-XXXXXXXX.tmp``; no other file is touched).

    They are never documents: a reader or a crash only ever sees finished files, and an
    issued version a re-issue replaces is kept under a visible name. A temporary a live
    run is writing is locked by it and left alone.
    """
    removed: list[Path] = []
    if not _is_dir(root):
        return removed
    for path in root.rglob(".*.docgen-*.tmp"):
        try:
            if is_temporary(path) and path.is_file() and not _in_use(path):
                path.unlink(missing_ok=True)
                removed.append(path)
        except OSError:
            continue
    return removed


def _in_use(path: Path) -> bool:
    """Whether a live run holds the lock of its temporary ``path``."""
    if fcntl is None:  # pragma: no cover
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


#: The lock file of an output folder (there only while a run holds it).
LOCK_NAME = ".docgen.lock"
#: The journal of a run putting files in place in an output folder (``write_all``).
JOURNAL_NAME = ".docgen-journal.json"
#: How long a run waits for another to finish writing into the same folder.
LOCK_WAIT = 120.0


@contextmanager
def folder_lock(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``root``'s lock: one run at a time stages, puts in place, records or undoes
    files there (``fcntl.flock`` on ``root/.docgen.lock``, removed when released).

    Waits at most ``wait`` seconds (``LOCK_WAIT``) for another run to release it; Ctrl-C
    stops the wait. ``root`` is made if missing (and removed again if left empty). A
    folder that cannot be made or written is not locked: writing there fails anyway, and
    says why.

    Raises:
        OutputError: another run held the lock longer than ``wait``.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    wait = LOCK_WAIT if wait is None else wait
    path = root / LOCK_NAME
    deadline = time.monotonic() + wait
    created: list[Path] = []
    fd: int | None = None
    pause = 0.001
    try:
        while True:
            made = _make_missing(root)
            if made is None:
                break
            created += made
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except FileNotFoundError:
                continue  # the folder was removed meanwhile: make it again
            except OSError:
                break
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                fd = None
                if time.monotonic() >= deadline:
                    raise OutputError(
                        _shown(root),
                        f"một lần chạy docgen khác đang ghi vào thư mục kết quả này (đã chờ "
                        f"{wait:.0f} giây); chờ lần chạy đó xong rồi chạy lại",
                    ) from None
                # Polled: short at first (another run holds it a few milliseconds per
                # cell in a batch), then every 50 ms.
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
                continue
            # The file locked must still be the lock file: a run releasing it removes it.
            try:
                still = os.path.samestat(os.fstat(fd), os.stat(path))
            except OSError:
                still = False
            if still:
                break
            os.close(fd)
            fd = None
        yield
    finally:
        if fd is not None:
            with suppress(OSError):
                os.unlink(path)
            os.close(fd)
        for folder in reversed(created):
            with suppress(OSError):
                os.rmdir(folder)


def _make_missing(root: Path) -> list[Path] | None:
    """Make ``root`` and its missing parents; the folders made, or None if it cannot be."""
    missing = []
    folder = root
    while not _is_dir(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    for folder in reversed(missing):
        try:
            os.mkdir(folder)
        except FileExistsError:
            if _is_dir(folder):
                continue
        except OSError:
            pass
        else:
            made.append(folder)
            continue
        for done in reversed(made):
            with suppress(OSError):
                os.rmdir(done)
        return None
    return made


@dataclass(frozen=True)
class JournalFile:
    """One file of a journalled run (``write_all(..., journal=)``), as the journal keeps it.

    Attributes:
        target: The file, absolute.
        sha256: The digest of the content the run put there.
        tag: What the caller kept of it (``write_all``'s ``tags``).
        kept: Where the file it replaced was kept for good, if it was (absolute).
    """

    target: Path
    sha256: str
    tag: object
    kept: Path | None


def recover_journal(
    root: Path, recorded: Callable[[list[JournalFile]], bool]
) -> tuple[bool, list[JournalFile]] | None:
    """Finish or undo what a run killed while putting its files in place left, as its
    journal in ``root`` says. The caller holds ``root``'s lock (``folder_lock``).

    ``recorded(files)``: whether the killed run recorded them (the register's digests
    are theirs). Then the renames not done yet are done (and the files it replaced are
    dropped, those kept for good stay); else every file is put back as before the run
    (the replaced file restored, a new one removed, the folders it made removed).

    Returns:
        None without a journal; else (finished: True, undone: False) and its files.

    Raises:
        OutputError: the journal cannot be read, or a file cannot be put back (the
            journal stays for the next run).
    """
    path = root / JOURNAL_NAME
    if not _is_dir(root):
        return None
    for half in root.glob(f"{_temporary_prefix(path)}*.tmp"):  # a journal killed while written
        with suppress(OSError):
            if is_temporary(half):
                half.unlink()
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(_shown(path), f"không đọc được tệp ({os_reason(exc)})") from None
    try:
        record = json.loads(text)
        entries: list[Mapping[str, object]] = list(record["files"])
        folders = [root / str(f) for f in record.get("folders", [])]
        files = [
            (
                JournalFile(
                    target=root / str(e["target"]),
                    sha256=str(e["sha256"]),
                    tag=e.get("tag"),
                    kept=(root / str(e["target"])).with_name(str(e["aside"])) if e.get("keep") else None,
                ),
                e,
            )
            for e in entries
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise OutputError(
            _shown(path),
            "nhật ký ghi dở của docgen bị hỏng; kiểm tra các văn bản trong thư mục kết quả "
            "với sổ đăng ký (docgen register) rồi xóa tệp này",
        ) from None
    finished = recorded([f for f, _ in files])
    try:
        for file, entry in files if finished else reversed(files):
            folder = file.target.parent
            temporary = folder / str(entry["temporary"])
            aside = folder / str(entry["aside"]) if entry.get("aside") else None
            if finished:
                if os.path.lexists(temporary):
                    os.replace(temporary, file.target)
                if aside is not None and file.kept is None:
                    aside.unlink(missing_ok=True)
                continue
            temporary.unlink(missing_ok=True)
            if aside is not None and os.path.lexists(aside):
                if os.path.lexists(file.target) and os.path.samefile(aside, file.target):
                    aside.unlink()  # linked, not replaced yet: the target is the old file
                else:
                    os.replace(aside, file.target)
            elif (
                not entry.get("existed")
                and os.path.isfile(file.target)
                and hashlib.sha256(file.target.read_bytes()).hexdigest() == file.sha256
            ):
                file.target.unlink()  # new in that run (another file there is not touched)
        if not finished:
            for folder in reversed(folders):
                with suppress(OSError):
                    os.rmdir(folder)
        for folder in dict.fromkeys(f.target.parent for f, _ in files):
            if folder.is_dir():
                _sync_folder(folder)
        path.unlink()
        _sync_folder(root)
    except OSError as exc:
        raise OutputError(_shown(path), f"không hoàn tất được lần ghi dở ({os_reason(exc)})") from None
    return finished, [f for f, _ in files]
