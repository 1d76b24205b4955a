"""Backup and restore of a workspace while the ward's application runs (``docgen backup``,
``docgen restore``).

A backup is one .zip: the workspace's files under ``du-lieu/`` and a manifest
``sao-luu.json`` (:data:`MANIFEST`: docgen's version, when, each file's size and sha256).
It is a consistent snapshot taken while the application keeps writing:

* every SQLite file of the workspace (``*.sqlite``: the register of issued documents, the
  accounts, the history of saves) is copied through SQLite's backup API
  (``sqlite3.Connection.backup``) into a temporary file first, so a write under way is
  either wholly in the copy or not at all;
* the other files (the YAML data) are read while holding the workspace's write lock
  (docgen.history.workspace_lock), so no save lands half-way through the backup, and the
  SQLite copies are made under the same lock, so the history matches the files;
* files that are not data are left out (:data:`SKIPPED_DIRS`, :data:`SKIPPED_SUFFIXES`:
  the lock file, temporaries, caches, SQLite's ``-wal``/``-shm``/``-journal`` files);
* the archive is written to a temporary file beside the target, fsynced, then renamed,
  so the target is either the old file or the whole new one. It may not be inside the
  workspace (a backup would hold the previous one).

A restore reads the archive with bounds (:data:`BACKUP_LIMITS`, the part names checked by
docgen.safezip), refuses a target folder that exists and is not empty, checks every
file's sha256 against the manifest (a file missing, added or changed refuses the whole
archive), writes into a temporary folder beside the target and renames it into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from docgen._version import __version__
from docgen.errors import (
    InputError,
    OutputError,
    PackageError,
    Problem,
    UsageError,
    display_path,
    os_reason,
)
from docgen.history import LOCK_FILE, workspace_lock
from docgen.safezip import ZipLimits, check_part_name
from docgen.sqlitestore import sqlite_words

__all__ = [
    "BACKUP_LIMITS",
    "DATA_FOLDER",
    "MANIFEST",
    "SKIPPED_DIRS",
    "SKIPPED_SUFFIXES",
    "BackupResult",
    "RestoreResult",
    "backup_workspace",
    "restore_backup",
]

MANIFEST = "sao-luu.json"
DATA_FOLDER = "du-lieu"
#: The manifest's format; a restore refuses another.
FORMAT = 1
WARD_FILE = "dang-bo.yaml"  # as docgen.workspace.WARD_FILE: what makes a folder a workspace

# Folders that are caches, never data: Python's and tools' caches, the preview images of
# ``docgen serve`` (made again on demand) when the output folder is inside the workspace.
SKIPPED_DIRS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".xem-truoc"})
# Files that are not data: temporaries (docgen.output's ``.x.docgen-XXXXXXXX.tmp`` and any
# ``.tmp``), SQLite's side files (the ``.sqlite`` copy taken through the backup API holds
# what they hold), locks (docgen.output's folder lock, the workspace's write lock).
SKIPPED_SUFFIXES = (".tmp", "-wal", "-shm", "-journal", ".docgen.lock")
_SKIPPED_FILES = frozenset({LOCK_FILE.as_posix()})

_MIB = 1024 * 1024
# What a restore inflates at most. A ward of 200 cells has about 2,400 YAML files a year
# (12 a cell) and keeps a few years: 50,000 files is far above it. Its largest file is the
# history of saves (at most MAX_VERSIONS texts of each file: about 2 GB in the worst
# case, docgen/history.py); 4 GB a file and 16 GB in all bound a hostile archive without
# refusing any real one. A compressed SQLite file (mostly empty pages) and YAML inflate
# far more than a Word package's parts, so the ratio is bounded loosely (zlib's own
# maximum is about 1,032): the total is what protects the disk.
BACKUP_LIMITS = ZipLimits(
    max_parts=50_000,
    max_part_bytes=4096 * _MIB,
    max_total_bytes=16384 * _MIB,
    max_ratio=1100,
    ratio_from_bytes=1 * _MIB,
)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupResult:
    """What a backup holds: its ``files`` (the manifest not counted), their ``bytes``
    before compression, the archive's ``path`` and size (``archive_bytes``)."""

    path: Path
    files: int
    bytes: int
    archive_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    """What a restore wrote: the workspace folder ``path``, its ``files`` and ``bytes``,
    and when the backup was taken (``taken_at``) by which docgen (``docgen_version``)."""

    path: Path
    files: int
    bytes: int
    taken_at: str
    docgen_version: str


# ------------------------------------------------------------------------------- backup


def _skipped(relative: PurePosixPath) -> bool:
    if any(part in SKIPPED_DIRS for part in relative.parts[:-1]):
        return True
    return relative.as_posix() in _SKIPPED_FILES or relative.name.endswith(SKIPPED_SUFFIXES)


def _workspace_files(root: Path) -> list[tuple[PurePosixPath, Path]]:
    """Every regular file of the workspace worth keeping, sorted; symbolic links are not
    followed (a link's target is not the workspace's to keep)."""
    found: list[tuple[PurePosixPath, Path]] = []

    def refuse(exc: OSError) -> None:
        raise exc

    for folder, dirs, files in os.walk(root, onerror=refuse):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            path = Path(folder) / name
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if not _skipped(relative) and path.is_file() and not path.is_symlink():
                found.append((relative, path))
    return found


def _inside(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return path == folder or folder in path.parents


def _snapshot(source: Path, copy: Path) -> None:
    """A consistent copy of the SQLite file ``source`` (SQLite's backup API, all pages in
    one step under a read transaction)."""
    try:
        with _closing(sqlite3.connect(source, timeout=60)) as src, _closing(sqlite3.connect(copy)) as dst:
            src.execute("PRAGMA busy_timeout = 60000")
            src.backup(dst)
    except sqlite3.Error as exc:
        raise OutputError(
            display_path(source), f"không chép được cơ sở dữ liệu SQLite để sao lưu ({sqlite_words(exc)})"
        ) from None


@contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def _copy_into(archive: zipfile.ZipFile, name: str, source: IO[bytes]) -> tuple[str, int]:
    """Stream ``source`` into the archive as ``name``; its sha256 and size."""
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with archive.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def backup_workspace(workspace: Path, target: Path, *, clock: Callable[[], float] = time.time) -> BackupResult:
    """Write a consistent backup of ``workspace`` to the .zip ``target`` (replaced whole
    if it exists), while the application may keep writing.

    Raises:
        UsageError: ``workspace`` is not a workspace folder, or ``target`` is inside it.
        OutputError: a file cannot be read or copied, the archive cannot be written.
    """
    workspace = Path(workspace)
    target = Path(target)
    if not (workspace / WARD_FILE).is_file():
        raise UsageError(f"thư mục {display_path(workspace)} không phải thư mục dữ liệu (không có {WARD_FILE})")
    if _inside(target, workspace):
        raise UsageError(
            f"tệp sao lưu {display_path(target)} nằm trong thư mục dữ liệu; ghi nó ra ngoài thư mục đó"
        )
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(display_path(target), f"không ghi được tệp sao lưu ({os_reason(exc)})") from None
    kept: dict[str, dict[str, Any]] = {}
    try:
        with os.fdopen(handle, "wb") as stream:
            with zipfile.ZipFile(stream, "w", allowZip64=True) as archive:
                _write_files(archive, workspace, kept)
                manifest = {
                    "dinh_dang": FORMAT,
                    "docgen": __version__,
                    "luc": datetime.fromtimestamp(clock()).astimezone().isoformat(timespec="seconds"),
                    "tep": kept,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
        _sync_folder(folder)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            shown = display_path(Path(os.fsdecode(exc.filename))) if exc.filename else display_path(target)
            raise OutputError(shown, f"không sao lưu được ({os_reason(exc)})") from None
        raise
    return BackupResult(
        target, len(kept), sum(f["co"] for f in kept.values()), target.stat().st_size
    )


def _write_files(archive: zipfile.ZipFile, workspace: Path, kept: dict[str, dict[str, Any]]) -> None:
    """Every file of the workspace into ``archive`` under DATA_FOLDER, under the write lock."""
    with tempfile.TemporaryDirectory(prefix="docgen-sao-luu-") as scratch, workspace_lock(workspace):
        for n, (relative, path) in enumerate(_workspace_files(workspace)):
            name = f"{DATA_FOLDER}/{relative.as_posix()}"
            if path.suffix == ".sqlite":
                copy = Path(scratch) / f"{n}.sqlite"
                _snapshot(path, copy)
                source = copy
            else:
                source = path
            with open(source, "rb") as data:
                digest, size = _copy_into(archive, name, data)
            kept[relative.as_posix()] = {"sha256": digest, "co": size}


def _sync_folder(folder: Path) -> None:
    """fsync a folder so a rename in it is on disk (not possible everywhere)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ------------------------------------------------------------------------------- restore


def _damaged(archive: Path, message: str) -> InputError:
    return InputError([Problem(display_path(archive), None, None, "", message)])


def _read_manifest(archive: Path, zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise _damaged(archive, f"không phải tệp sao lưu của docgen (thiếu {MANIFEST})") from None
    if info.file_size > 64 * _MIB:  # 50,000 files of about 120 bytes each: 6 MB
        raise _damaged(archive, f"tệp {MANIFEST} quá lớn, không đọc")
    try:
        manifest = json.loads(zf.read(info)[: 64 * _MIB + 1])
    except (ValueError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise _damaged(archive, f"tệp {MANIFEST} hỏng, không đọc được") from None
    files = manifest.get("tep") if isinstance(manifest, dict) else None
    if (
        not isinstance(files, dict)
        or manifest.get("dinh_dang") != FORMAT
        or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) and isinstance(v.get("co"), int)
            for v in files.values()
        )
    ):
        raise _damaged(archive, f"tệp {MANIFEST} không đúng định dạng sao lưu của docgen")
    return manifest


def _check_names(archive: Path, zf: zipfile.ZipFile, files: dict[str, Any]) -> list[zipfile.ZipInfo]:
    """The archive's data files, each name safe and in the manifest, every manifest
    file present, nothing beyond the bounds (BACKUP_LIMITS)."""
    infos = zf.infolist()
    limits = BACKUP_LIMITS
    if len(infos) > limits.max_parts:
        raise _damaged(archive, f"có {len(infos)} tệp, quá giới hạn {limits.max_parts} tệp")
    wanted: list[zipfile.ZipInfo] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        try:
            check_part_name(info.filename)
        except PackageError as exc:
            raise _damaged(archive, f"tệp sao lưu có {exc.reason}") from None
        if info.filename == MANIFEST or info.is_dir():
            continue
        relative = info.filename.removeprefix(f"{DATA_FOLDER}/")
        if relative == info.filename or relative not in files or relative in seen:
            raise _damaged(
                archive, f"tệp «{info.filename[:80]}» không có trong danh sách {MANIFEST} (tệp sao lưu đã bị sửa)"
            )
        seen.add(relative)
        if info.file_size > limits.max_part_bytes:
            raise _damaged(archive, f"tệp «{info.filename[:80]}» quá lớn khi giải nén")
        if info.file_size > limits.ratio_from_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _damaged(archive, f"tệp «{info.filename[:80]}» có dấu hiệu «bom nén», không đọc")
        total += info.file_size
        wanted.append(info)
    if total > limits.max_total_bytes:
        raise _damaged(archive, "giải nén ra quá nhiều dữ liệu, vượt giới hạn")
    missing = sorted(set(files) - seen)
    if missing:
        raise _damaged(archive, f"thiếu tệp «{missing[0][:80]}» có trong danh sách {MANIFEST} (tệp sao lưu đã bị sửa)")
    return wanted


def _extract(archive: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, to: Path, expected: dict[str, Any]) -> int:
    """One file streamed to ``to``, never beyond the size the manifest gives it, its
    sha256 checked."""
    digest = hashlib.sha256()
    size = 0
    limit = min(int(expected["co"]), BACKUP_LIMITS.max_part_bytes)
    to.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(info) as stream, open(to, "xb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    break
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise _damaged(archive, f"tệp «{info.filename[:80]}» hỏng, không giải nén được") from None
    if size != expected["co"] or digest.hexdigest() != expected["sha256"]:
        raise _damaged(
            archive, f"tệp «{info.filename[:80]}» khác với mã kiểm tra trong {MANIFEST} (tệp sao lưu đã bị sửa hoặc hỏng)"
        )
    return size


def restore_backup(archive: Path, target: Path) -> RestoreResult:
    """Restore the backup ``archive`` into the folder ``target`` (missing or empty).

    Raises:
        UsageError: ``target`` exists and is not an empty folder; ``archive`` is missing.
        InputError: the archive is not a docgen backup, is damaged or was changed (a name
            out of bounds, a file missing, added or with another sha256), located at it.
        OutputError: the restored files cannot be written.
    """
    archive = Path(archive)
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"thư mục {display_path(target)} đã có và không trống; chọn một thư mục mới hoặc trống")
    if not archive.is_file():
        raise UsageError(f"không tìm thấy tệp sao lưu {display_path(archive)}")
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error):
        raise _damaged(archive, "không phải tệp nén (zip) đọc được") from None
    with zf:
        manifest = _read_manifest(archive, zf)
        files: dict[str, Any] = manifest["tep"]
        wanted = _check_names(archive, zf, files)
        parent = target.absolute().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.khoi-phuc-", dir=parent))
        except OSError as exc:
            raise OutputError(display_path(target), f"không tạo được thư mục khôi phục ({os_reason(exc)})") from None
        try:
            total = 0
            for info in wanted:
                relative = info.filename.removeprefix(f"{DATA_FOLDER}/")
                total += _extract(archive, zf, info, scratch / relative, files[relative])
            if target.exists():
                target.rmdir()  # empty (checked above): the restored folder takes its place
            os.rename(scratch, target)
            _sync_folder(parent)
        except BaseException as exc:
            shutil.rmtree(scratch, ignore_errors=True)
            if isinstance(exc, OSError):
                shown = display_path(Path(os.fsdecode(exc.filename))) if exc.filename else display_path(target)
                raise OutputError(shown, f"không khôi phục được ({os_reason(exc)})") from None
            raise
    return RestoreResult(target, len(wanted), total, str(manifest.get("luc", "")), str(manifest.get("docgen", "")))
