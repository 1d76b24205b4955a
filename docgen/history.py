"""The history of saves and the submissions of a workspace: an SQLite file beside it.

Ward mode (issue 15) promises that no save is ever lost. Every text the web application
writes into a cell's file is kept here whole, with who wrote it, when and why
(:data:`ACTIONS`): the text a file had before its first save from a page (``ban_dau``),
each save (``luu``), each restore of an earlier version (``khoi_phuc``) and each save that
was refused because someone else saved the same file first (``xung_dot``). A file keeps
its last :data:`MAX_VERSIONS` versions; ids are never reused, so a page naming a version
never gets another one.

A cell "submits" a period (a quarter or the year) to the ward (``da_nop``); only the ward
office reopens it (``mo_lai``). Every event is kept; the latest one is the period's state.

The file is ``<workspace>/.docgen/lich-su.sqlite`` (:data:`HISTORY_FILE`), in WAL mode with
a busy timeout, so the server's threads and other processes (``docgen backup``) read and
write it at once. One :class:`History` is safe to share between threads.

:func:`workspace_lock` is the workspace's write lock (``flock`` on
``<workspace>/.docgen/ghi.lock``): a save checks the file's version and the period's
state and writes under it (docgen.editing), a submission and a reopening are recorded
under it, and a backup reads the YAML files under it, so none of them lands half-way
through another, whichever thread or process makes it.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docgen.errors import OutputError, UsageError, display_path, os_reason
from docgen.sqlitestore import SqliteStore

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, saves are serialised per process
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "ACTIONS",
    "HISTORY_FILE",
    "LOCK_FILE",
    "LOCK_WAIT",
    "MAX_VERSIONS",
    "PERIODS",
    "SUBMISSION_STATES",
    "History",
    "Submission",
    "Version",
    "open_history",
    "workspace_lock",
]

HISTORY_FILE = Path(".docgen") / "lich-su.sqlite"
LOCK_FILE = Path(".docgen") / "ghi.lock"

#: Why a version was kept, in the words a history page shows.
ACTIONS: dict[str, str] = {
    "ban_dau": "bản trước khi sửa trên trang",
    "luu": "lưu",
    "khoi_phuc": "khôi phục",
    "xung_dot": "bản bị từ chối vì trùng lúc",
}
#: A period's state after its latest event.
SUBMISSION_STATES: dict[str, str] = {"da_nop": "đã nộp", "mo_lai": "đã mở lại"}
#: The periods a cell submits: its quarters' results and its year's review.
PERIODS = ("quy-1", "quy-2", "quy-3", "quy-4", "nam")

# Versions kept per file. A secretary saves a quarter's form a few dozen times at most;
# 200 keeps every save of several years of a file, and at about 5 KB a text, under 1 MB
# per file (about 2 GB for the 2,400 files of a ward of 200 cells in the worst case).
MAX_VERSIONS = 200
# How long a save waits for another one to finish writing before it gives up (seconds).
# A save holds the lock for tens of milliseconds; a backup reads a ward's YAML (a few MB)
# in about a second. Thirty seconds is far beyond both, short of a browser's time-out.
LOCK_WAIT = 30.0
# How long SQLite waits for another connection's write (milliseconds), as the register.
BUSY_TIMEOUT_MS = 60_000
# Years a submission may name (as editing.cell_file's years).
_YEARS = range(2000, 2101)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS phien_ban (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a page's version id stays its own
    tep TEXT NOT NULL,        -- workspace-relative POSIX path
    chi_bo TEXT,              -- the cell's id, NULL for a file of no cell
    nguoi TEXT NOT NULL,      -- who: an account's name, or "máy này" in the local mode
    luc TEXT NOT NULL,        -- when: ISO 8601 with the UTC offset, to the second
    viec TEXT NOT NULL,       -- why: a key of ACTIONS
    sha256 TEXT NOT NULL,
    co INTEGER NOT NULL,      -- size in bytes (UTF-8)
    noi_dung TEXT NOT NULL    -- the whole text
);
CREATE INDEX IF NOT EXISTS phien_ban_tep ON phien_ban (tep, id);
CREATE INDEX IF NOT EXISTS phien_ban_chi_bo ON phien_ban (chi_bo, viec, id);
CREATE TABLE IF NOT EXISTS nop_ky (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chi_bo TEXT NOT NULL,
    nam INTEGER NOT NULL,
    ky TEXT NOT NULL,         -- a period of PERIODS
    trang_thai TEXT NOT NULL, -- a key of SUBMISSION_STATES
    nguoi TEXT NOT NULL,
    luc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nop_ky_nam ON nop_ky (nam, chi_bo, ky, id);
"""

_VERSION_COLUMNS = "id, tep, chi_bo, nguoi, luc, viec, sha256, co"
_SUBMISSION_COLUMNS = "chi_bo, nam, ky, trang_thai, nguoi, luc"

@dataclass(frozen=True)
class Version:
    """One kept text of a file (its text: :meth:`History.version`)."""

    id: int
    file: str  # workspace-relative POSIX path
    cell: str | None
    who: str
    at: str  # ISO 8601 with the UTC offset
    action: str  # a key of ACTIONS
    sha256: str
    size: int

    @property
    def action_words(self) -> str:
        return ACTIONS.get(self.action, self.action)


@dataclass(frozen=True)
class Submission:
    """The latest event of a cell's period: ``da_nop`` (submitted) or ``mo_lai`` (reopened)."""

    cell: str
    year: int
    period: str
    state: str
    who: str
    at: str

    @property
    def locked(self) -> bool:
        """The cell may no longer change the period's file."""
        return self.state == "da_nop"

    @property
    def state_words(self) -> str:
        return SUBMISSION_STATES.get(self.state, self.state)


@contextmanager
def _flock(path: Path, wait: float) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (made if missing; never removed, so two
    holders cannot lock two different files). ``flock`` locks belong to the open file, so
    two threads of one process exclude each other as two processes do."""
    shown = display_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise OutputError(shown, f"không tạo được khóa ghi dữ liệu ({os_reason(exc)})") from None
    try:
        if fcntl is not None:
            deadline = time.monotonic() + wait
            pause = 0.001
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OutputError(
                            shown,
                            "dữ liệu đang được ghi quá lâu ở nơi khác (một lần lưu hay sao lưu); thử lại sau",
                        ) from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


_PROCESS_LOCK = threading.Lock()  # without fcntl: at least one thread at a time here


@contextmanager
def workspace_lock(workspace: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the workspace's write lock (``flock`` on ``<workspace>/.docgen/ghi.lock``),
    waiting at most ``wait`` seconds for another thread or process to release it. Not
    re-entrant: a holder must not take it again.

    Raises:
        OutputError: the lock file cannot be made, or it was held longer than ``wait``.
    """
    with _held(workspace / LOCK_FILE, wait):
        yield


@contextmanager
def _held(path: Path, wait: float) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        with _PROCESS_LOCK:
            yield
        return
    with _flock(path, wait):
        yield


def _now(clock: Callable[[], float]) -> str:
    return datetime.fromtimestamp(clock()).astimezone().isoformat(timespec="seconds")


class History(SqliteStore):
    """The history file of a workspace (see the module's docstring).

    Raises (every method): OutputError when the file cannot be opened, read or written
    (the reason in Vietnamese).
    """

    SCHEMA = _SCHEMA
    WHAT = "lịch sử các lần lưu"
    BUSY_TIMEOUT_MS = BUSY_TIMEOUT_MS

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time, keep: int = MAX_VERSIONS) -> None:
        super().__init__(path)
        self.clock = clock
        self.keep = keep

    @classmethod
    def of_workspace(cls, workspace: Path, **kw: Any) -> History:
        return cls(Path(workspace) / HISTORY_FILE, **kw)

    @property
    def _lock_path(self) -> Path:
        """The workspace's write lock when this is a workspace's history (``.docgen/``)."""
        return self.path.parent / LOCK_FILE.name

    def _absent(self) -> bool:
        """Nothing recorded yet (a reader does not create the file)."""
        return self._connection is None and not self.path.exists()

    # ------------------------------------------------------------------ versions
    def record(self, file: str, cell: str | None, who: str, text: str, action: str) -> Version:
        """Keep ``text`` as a version of ``file``; the file's oldest versions beyond
        :attr:`keep` are dropped."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        at = _now(self.clock)
        with self._db(write=True) as db:
            cursor = db.execute(
                "INSERT INTO phien_ban (tep, chi_bo, nguoi, luc, viec, sha256, co, noi_dung) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (file, cell, who, at, action, digest, len(data), text),
            )
            new_id = cursor.lastrowid
            db.execute(
                "DELETE FROM phien_ban WHERE tep = ? AND id NOT IN "
                "(SELECT id FROM phien_ban WHERE tep = ? ORDER BY id DESC LIMIT ?)",
                (file, file, self.keep),
            )
        assert new_id is not None
        return Version(new_id, file, cell, who, at, action, digest, len(data))

    def versions(self, file: str) -> list[Version]:
        """Every kept version of ``file``, newest first."""
        if self._absent():
            return []
        with self._db() as db:
            rows = db.execute(
                f"SELECT {_VERSION_COLUMNS} FROM phien_ban WHERE tep = ? ORDER BY id DESC", (file,)
            ).fetchall()
        return [Version(*row) for row in rows]

    def latest(self, file: str) -> Version | None:
        """The newest kept version of ``file``, or None."""
        if self._absent():
            return None
        with self._db() as db:
            row = db.execute(
                f"SELECT {_VERSION_COLUMNS} FROM phien_ban WHERE tep = ? ORDER BY id DESC LIMIT 1", (file,)
            ).fetchone()
        return Version(*row) if row else None

    def version(self, version_id: int) -> tuple[Version, str]:
        """One version and its text.

        Raises:
            UsageError: no such version (never recorded, or dropped as too old).
        """
        row = None
        if not self._absent():
            with self._db() as db:
                row = db.execute(
                    f"SELECT {_VERSION_COLUMNS}, noi_dung FROM phien_ban WHERE id = ?", (version_id,)
                ).fetchone()
        if row is None:
            raise UsageError(f"không có phiên bản số {version_id} trong lịch sử (có thể đã quá cũ nên bị xóa)")
        return Version(*row[:-1]), row[-1]

    def last_saves(self) -> dict[str, Version]:
        """For each cell, its newest save (``luu`` or ``khoi_phuc``) of any of its files."""
        if self._absent():
            return {}
        with self._db() as db:
            rows = db.execute(
                f"SELECT {_VERSION_COLUMNS} FROM phien_ban WHERE id IN ("
                "SELECT MAX(id) FROM phien_ban WHERE chi_bo IS NOT NULL "
                "AND viec IN ('luu', 'khoi_phuc') GROUP BY chi_bo)"
            ).fetchall()
        return {row[2]: Version(*row) for row in rows}

    # ------------------------------------------------------------------ submissions
    def submit(self, cell: str, year: int, period: str, who: str) -> Submission:
        """Record that ``cell`` submitted ``period`` of ``year`` to the ward (under the
        workspace's write lock, so no save of the period lands after it).

        Raises:
            UsageError: not a period, or the period is submitted already.
        """
        return self._event(cell, year, period, who, "da_nop")

    def reopen(self, cell: str, year: int, period: str, who: str) -> Submission:
        """Record that the ward office reopened ``cell``'s submitted ``period``.

        Raises:
            UsageError: not a period, or the period is not submitted.
        """
        return self._event(cell, year, period, who, "mo_lai")

    def _event(self, cell: str, year: int, period: str, who: str, state: str) -> Submission:
        _check_period(year, period)
        with _held(self._lock_path, LOCK_WAIT), self._db(write=True) as db:
            row = db.execute(
                f"SELECT {_SUBMISSION_COLUMNS} FROM nop_ky WHERE chi_bo = ? AND nam = ? AND ky = ? "
                "ORDER BY id DESC LIMIT 1",
                (cell, year, period),
            ).fetchone()
            submitted = row is not None and row[3] == "da_nop"
            if state == "da_nop" and submitted:
                raise UsageError(
                    f"chi bộ {cell} đã nộp {_period_words(year, period)} cho Đảng ủy rồi "
                    f"({row[4]}, lúc {row[5]})"
                )
            if state == "mo_lai" and not submitted:
                raise UsageError(
                    f"chi bộ {cell} chưa nộp {_period_words(year, period)} nên không cần mở lại"
                )
            at = _now(self.clock)
            db.execute(
                f"INSERT INTO nop_ky ({_SUBMISSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (cell, year, period, state, who, at),
            )
        return Submission(cell, year, period, state, who, at)

    def submission(self, cell: str, year: int, period: str) -> Submission | None:
        """The latest event of ``cell``'s ``period``, or None (never submitted)."""
        if self._absent():
            return None
        with self._db() as db:
            row = db.execute(
                f"SELECT {_SUBMISSION_COLUMNS} FROM nop_ky WHERE chi_bo = ? AND nam = ? AND ky = ? "
                "ORDER BY id DESC LIMIT 1",
                (cell, year, period),
            ).fetchone()
        return Submission(*row) if row else None

    def submissions(self, year: int) -> dict[tuple[str, str], Submission]:
        """The latest event of every (cell, period) of ``year`` that has one."""
        if self._absent():
            return {}
        with self._db() as db:
            rows = db.execute(
                f"SELECT {_SUBMISSION_COLUMNS} FROM nop_ky WHERE id IN ("
                "SELECT MAX(id) FROM nop_ky WHERE nam = ? GROUP BY chi_bo, ky)",
                (year,),
            ).fetchall()
        return {(row[0], row[2]): Submission(*row) for row in rows}


def open_history(workspace: Any, **kw: Any) -> History:
    """The history of the workspace ``workspace`` (its folder, or a loaded Workspace):
    ``<workspace>/.docgen/lich-su.sqlite``, made on the first record. Keyword arguments
    as :class:`History`'s (``clock``, ``keep``)."""
    root = workspace if isinstance(workspace, str | os.PathLike) else workspace.root
    return History.of_workspace(Path(root), **kw)


def _check_period(year: int, period: str) -> None:
    if period not in PERIODS:
        raise UsageError(f"không có kỳ '{period}': chỉ có {', '.join(PERIODS)}")
    if year not in _YEARS:
        raise UsageError(f"năm {year} không hợp lệ (2000 đến 2100)")


def _period_words(year: int, period: str) -> str:
    """«quý III năm 2026», «cả năm 2026»."""
    if period == "nam":
        return f"cả năm {year}"
    return f"quý {['I', 'II', 'III', 'IV'][int(period[-1]) - 1]} năm {year}"
