"""One SQLite file of the workspace used by the web server's threads (and by commands run
meanwhile): what docgen.accounts and docgen.history share.

One connection per instance, opened on first use (a new one in a process forked after it),
guarded by a lock; WAL, so readers never wait for a writer; each write one ``BEGIN
IMMEDIATE`` transaction, committed when its block ends, rolled back if it raises; a
connection that failed is closed and not used again. Whatever SQLite refuses becomes an
:class:`~docgen.errors.OutputError` naming the file, what could not be done and why, in
Vietnamese (:func:`sqlite_words`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import ClassVar

from docgen.errors import OutputError, display_path, os_reason

__all__ = ["SqliteStore", "sqlite_words"]

# Why SQLite refused, in Vietnamese (SQLite's own text is shown only for one not listed).
_SQLITE_MESSAGES = [
    ("file is not a database", "tệp bị hỏng hoặc không phải cơ sở dữ liệu SQLite"),
    ("database disk image is malformed", "tệp cơ sở dữ liệu bị hỏng"),
    ("unable to open database file", "không mở hay tạo được tệp: thư mục không có hoặc không có quyền ghi"),
    ("readonly database", "tệp chỉ cho đọc, không có quyền ghi"),
    ("database is locked", "tệp đang bị một chương trình khác giữ quá lâu; thử lại sau"),
    ("database or disk is full", "ổ đĩa đã đầy"),
    ("disk I/O error", "lỗi đọc ghi ổ đĩa"),
]


def sqlite_words(exc: sqlite3.Error) -> str:
    """Why SQLite refused, in Vietnamese, for any of the workspace's SQLite files."""
    text = str(exc)
    for english, vietnamese in _SQLITE_MESSAGES:
        if english in text:
            return vietnamese
    return text


class SqliteStore:
    """A SQLite file with its schema (see the module's docstring). Subclasses set
    ``SCHEMA`` (run at every open: ``CREATE ... IF NOT EXISTS``), ``WHAT`` (the file in
    the messages' words, e.g. "lịch sử các lần lưu") and may set ``PRAGMAS`` and
    ``BUSY_TIMEOUT_MS``, and override :meth:`_prepare` (make the folder, set modes)."""

    SCHEMA: ClassVar[str] = ""
    WHAT: ClassVar[str] = "tệp SQLite"
    PRAGMAS: ClassVar[tuple[str, ...]] = ()
    # How long a write waits for another writer of the file before giving up.
    BUSY_TIMEOUT_MS: ClassVar[int] = 60_000

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0

    def _prepare(self) -> None:
        """Before the first connection: the folder exists (subclasses add modes)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def _open(self) -> sqlite3.Connection:
        """The instance's connection (a new one in a forked process); the caller holds the lock."""
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._connection = None
        self._prepare()
        connection = sqlite3.connect(
            self.path, timeout=self.BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {self.BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            for pragma in self.PRAGMAS:
                connection.execute(f"PRAGMA {pragma}")
            connection.executescript(self.SCHEMA)
        except BaseException:
            connection.close()
            raise
        self._connection, self._pid = connection, os.getpid()
        return connection

    @contextmanager
    def _db(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The connection, one thread at a time; ``write``: inside one ``BEGIN IMMEDIATE``
        transaction, committed when the block ends and rolled back if it raises."""
        shown = display_path(self.path)
        with self._lock:
            try:
                connection = self._open()
            except (sqlite3.Error, OSError) as exc:
                self._forget()
                reason = sqlite_words(exc) if isinstance(exc, sqlite3.Error) else os_reason(exc)
                raise OutputError(shown, f"không mở được {self.WHAT} ({reason})") from None
            try:
                if write:
                    connection.execute("BEGIN IMMEDIATE")
                yield connection
                if write:
                    connection.execute("COMMIT")
            except BaseException as exc:
                if connection.in_transaction:
                    with suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                if not isinstance(exc, sqlite3.Error):
                    raise
                self._forget()  # a connection that failed is not trusted again
                doing = "ghi" if write else "đọc"
                raise OutputError(shown, f"không {doing} được {self.WHAT} ({sqlite_words(exc)})") from None

    def _forget(self) -> None:
        if self._connection is not None:
            with suppress(sqlite3.Error):
                self._connection.close()
        self._connection = None

    def close(self) -> None:
        """Close the connection (the next call opens it again)."""
        with self._lock:
            self._forget()
