"""The accounts of the ward mode of ``docgen serve``: who may sign in, with which role and
cell, their sessions, and the limits on failed logins.

Everything lives in one SQLite file beside the workspace (``<workspace>/.docgen/
tai-khoan.sqlite``, :data:`ACCOUNTS_FILE`), written in WAL mode so the web server's
threads and a ``docgen users`` command run meanwhile can use it at once. One instance of
:class:`Accounts` keeps one connection, guarded by a lock (the server calls it from several
threads); the slow part of a login, the password hash, runs outside the lock.

- Passwords: argon2id (argon2-cffi's ``PasswordHasher`` with :data:`HASH_COST`, the
  OWASP Password Storage Cheat Sheet's configuration: 19 MiB, 2 passes, 1 lane; about
  25 ms on one core here, where RFC 9106's 64 MiB x 4 lanes took 100-200 ms of both cores
  of the ward office's computer at every login of the quarter-end rush), NFKC-normalised
  first (NIST SP 800-63B §5.1.1.2) so the same password typed with composed or decomposed
  Vietnamese letters is the same; rehashed at login when the hasher's parameters changed.
  An unknown name costs one verification too, against a hash made once, and is refused
  with the same words as a wrong password.
- Limits (:class:`Policy`): failed logins are counted per account name and per address,
  with their times (from the injected clock); over the limit within ``window``, the name
  or the address is refused for ``lockout`` before any password is verified (a correct
  one too). Attempts refused that way are not counted, so a lockout ends when it says.
  A success clears the account's failures (not the address's). Two logins racing past
  the check at once may each add a failure: the limit holds up to the server's threads.
- Sessions: the token (``secrets.token_urlsafe(32)``) is given to the browser and only its
  sha256 is stored, so a copy of the file opens no session; the CSRF token is stored as
  is. :meth:`Accounts.session` is one indexed SELECT; it ends a session unused for
  ``idle`` or older than ``absolute``, and gives None for a disabled account. ``seen`` is
  written at most once per :data:`SEEN_EVERY` seconds (so idle expiry may come up to that
  much early). Expired sessions and old failures are pruned at logins, now and then.

Nothing here prints; refusals are :class:`~docgen.errors.AccessRefused`, wrong input
:class:`~docgen.errors.UsageError`, with Vietnamese messages.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from docgen.errors import (
    AccessRefused,
    OutputError,
    UsageError,
    display_path,
    os_reason,
)
from docgen.sqlitestore import SqliteStore

__all__ = [
    "ACCOUNTS_FILE", "NAME_PATTERN", "ROLES", "SEEN_EVERY", "Account", "Accounts", "Policy",
    "Session", "open_accounts",
]  # fmt: skip

# argon2id's cost (OWASP Password Storage Cheat Sheet, "Argon2id": a minimum of 19 MiB of
# memory, an iteration count of 2 and 1 degree of parallelism). One lane leaves the other
# core to the pages while someone signs in.
HASH_COST = argon2.Parameters(
    type=argon2.Type.ID, version=19, salt_len=16, hash_len=32,
    time_cost=2, memory_cost=19 * 1024, parallelism=1,
)  # fmt: skip

#: The roles of the ward mode and how the pages name them (rules: docgen.web.access).
ROLES: dict[str, str] = {
    "dang_uy": "Văn phòng Đảng ủy",
    "bi_thu": "Bí thư, phó bí thư chi bộ",
    "xem": "Lãnh đạo (chỉ xem)",
}
#: The roles whose account belongs to one cell.
CELL_ROLES = frozenset({"bi_thu"})

ACCOUNTS_FILE = Path(".docgen") / "tai-khoan.sqlite"  # relative to the workspace

#: A login name: lower-case ASCII letters, digits, dot, underscore, hyphen; 3 to 40 of them
#: (typed on any keyboard, safe in a URL and a log line).
NAME_PATTERN = re.compile(r"[a-z0-9._-]{3,40}")
#: The longest name kept as a key of the failure counter (longer ones are no account's).
_NAME_KEY_LENGTH = 64
#: The longest address kept as a key of the failure counter (an IPv6 text is at most 45).
_ADDRESS_KEY_LENGTH = 64

#: A session's ``seen`` is written at most this often (seconds), to spare writes.
SEEN_EVERY = 60.0
#: Expired sessions and old failures are pruned at a login at most this often (seconds).
PRUNE_EVERY = 600.0
#: How long a statement waits for another process's write (ms); docgen's own writes here
#: are single short transactions.
BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Policy:
    """The rules of passwords, failed logins and sessions, each with its source."""

    # NIST SP 800-63B §5.1.1.1 (2017) asks at least 8 characters of a password a person
    # chooses, OWASP ASVS 4.0 V2.1.1 at least 12; 10 is the choice between them.
    min_password_length: int = 10
    # NIST SP 800-63B §5.1.1.2: allow at least 64 characters; OWASP Authentication Cheat
    # Sheet ("Implement Proper Password Strength Controls"): cap the length against
    # long-password denial of service. 128 leaves room for a passphrase.
    max_password_length: int = 128
    # OWASP Authentication Cheat Sheet, "Account Lockout" (a threshold, an observation
    # window, a lockout duration); CIS Microsoft Windows Benchmark 1.2: lock after 5 or
    # fewer failures, for 15 minutes or more, counting over 15 minutes or more.
    # (NIST SP 800-63B §5.2.2 caps failures at 100 per account; this is well inside.)
    account_failures: int = 5
    # OWASP Credential Stuffing Prevention Cheat Sheet (limits per IP address); higher than
    # per account, since one office behind one address (NAT, the reverse proxy) holds many
    # secretaries who may each mistype.
    address_failures: int = 20
    window: float = 15 * 60  # the observation window (seconds), as above
    lockout: float = 15 * 60  # the lockout duration (seconds), as above
    # NIST SP 800-63B §4.2.3 (AAL2): reauthenticate after 30 minutes of inactivity and
    # at least every 12 hours; OWASP Session Management Cheat Sheet, "Session Expiration"
    # (idle and absolute timeouts, 15-30 minutes idle for low-risk applications).
    idle: float = 30 * 60
    absolute: float = 12 * 3600


@dataclass(frozen=True)
class Account:
    """One account: its login name, role (a key of :data:`ROLES`), cell (secretaries only),
    whether it is disabled, and when it was made (ISO 8601 local time)."""

    name: str
    role: str
    cell: str | None
    disabled: bool
    created: str


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the token its cookie holds (only its sha256 is stored), the
    CSRF token its forms carry, the account, and its times (clock seconds)."""

    token: str
    csrf: str
    account: Account
    created: float
    seen: float


_SCHEMA = """
CREATE TABLE IF NOT EXISTS tai_khoan (
    ten TEXT PRIMARY KEY,           -- login name (NAME_PATTERN)
    vai_tro TEXT NOT NULL,          -- a key of ROLES
    chi_bo TEXT,                    -- the cell of a secretary, else NULL
    mat_khau TEXT NOT NULL,         -- argon2id hash (PHC string)
    bi_khoa INTEGER NOT NULL DEFAULT 0,
    tao_luc TEXT NOT NULL           -- ISO 8601
);
CREATE TABLE IF NOT EXISTS phien (
    ma_bam TEXT PRIMARY KEY,        -- sha256 (hex) of the session token; the token is not kept
    csrf TEXT NOT NULL,
    ten TEXT NOT NULL REFERENCES tai_khoan (ten) ON DELETE CASCADE,
    tao_luc REAL NOT NULL,          -- clock seconds
    dung_luc REAL NOT NULL          -- last seen, clock seconds (written at most once a minute)
);
CREATE INDEX IF NOT EXISTS phien_ten ON phien (ten);
CREATE TABLE IF NOT EXISTS dang_nhap_sai (
    loai TEXT NOT NULL,             -- 'ten' (a login name as typed) or 'dia_chi' (an address)
    khoa TEXT NOT NULL,
    luc REAL NOT NULL               -- clock seconds
);
CREATE INDEX IF NOT EXISTS dang_nhap_sai_khoa ON dang_nhap_sai (loai, khoa, luc);
"""

_ACCOUNT_COLUMNS = "a.ten, a.vai_tro, a.chi_bo, a.bi_khoa, a.tao_luc"
#: The one query behind every request of the ward mode (tests check it uses the index).
SESSION_QUERY = (
    f"SELECT p.csrf, p.tao_luc, p.dung_luc, {_ACCOUNT_COLUMNS} "
    "FROM phien AS p JOIN tai_khoan AS a ON a.ten = p.ten WHERE p.ma_bam = ?"
)

_WRONG = "tên đăng nhập hoặc mật khẩu không đúng"
_DISABLED = "tài khoản đã bị khóa; hỏi Văn phòng Đảng ủy"


def open_accounts(workspace: Path | str, **options: Any) -> Accounts:
    """The accounts of ``workspace`` (``<workspace>/.docgen/tai-khoan.sqlite``; the file is
    made on first use). ``options``: those of :class:`Accounts`."""
    return Accounts.of_workspace(Path(workspace), **options)


def token_digest(token: str) -> str:
    """What is stored of a session token: its sha256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _account(row: sqlite3.Row | tuple[Any, ...], start: int = 0) -> Account:
    name, role, cell, disabled, created = tuple(row)[start : start + 5]
    return Account(name=name, role=role, cell=cell, disabled=bool(disabled), created=created)


def _password_text(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


class Accounts(SqliteStore):
    """The accounts, sessions and failed logins of one workspace (see the module's text)."""

    SCHEMA = _SCHEMA
    WHAT = "tệp tài khoản"
    PRAGMAS = ("foreign_keys = ON",)
    BUSY_TIMEOUT_MS = BUSY_TIMEOUT_MS

    def __init__(
        self,
        path: Path,
        *,
        policy: Policy = Policy(),  # noqa: B008 - frozen, shared safely
        clock: Callable[[], float] = time.time,
        hasher: argon2.PasswordHasher | None = None,
    ) -> None:
        super().__init__(path)
        self.policy = policy
        self.clock = clock
        self.hasher = hasher if hasher is not None else argon2.PasswordHasher.from_parameters(HASH_COST)
        self._dummy: str | None = None
        self._pruned = -math.inf

    @classmethod
    def of_workspace(cls, workspace: Path, **kw: Any) -> Accounts:
        return cls(Path(workspace) / ACCOUNTS_FILE, **kw)

    # ------------------------------------------------------------------ the file

    def _prepare(self) -> None:
        """The folder and the file, readable by the owner only: they hold password hashes
        (SQLite gives its -wal and -shm files the database file's permissions)."""
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        except OSError as exc:
            raise OutputError(
                display_path(self.path), f"không tạo được tệp tài khoản ({os_reason(exc)})"
            ) from None

    def exists(self) -> bool:
        """Whether the file exists and holds at least one account (the file is not made)."""
        if not self.path.is_file():
            return False
        with self._db() as db:
            return db.execute("SELECT 1 FROM tai_khoan LIMIT 1").fetchone() is not None

    # ------------------------------------------------------------------ accounts

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        with self._db() as db:
            rows = db.execute(f"SELECT {_ACCOUNT_COLUMNS} FROM tai_khoan AS a ORDER BY a.ten")
            return [_account(row) for row in rows]

    def get(self, name: str) -> Account | None:
        """The account of ``name`` (as typed: case and spaces around do not matter), or None."""
        with self._db() as db:
            row = db.execute(
                f"SELECT {_ACCOUNT_COLUMNS} FROM tai_khoan AS a WHERE a.ten = ?",
                (_name_key(name),),
            ).fetchone()
        return _account(row) if row is not None else None

    def add(self, name: str, role: str, password: str, cell: str | None = None) -> Account:
        """A new account. ``cell``: the id of a secretary's cell, as given (the caller checks
        it is one of the ward's).

        Raises:
            UsageError: a name, role, cell or password the rules refuse, or a name taken.
        """
        key = _name_key(name)
        if not NAME_PATTERN.fullmatch(key):
            raise UsageError(
                f"tên đăng nhập «{name.strip()}» không dùng được: cần từ 3 đến 40 ký tự, chỉ gồm "
                "chữ cái không dấu, chữ số và các dấu . _ -"
            )
        if role not in ROLES:
            raise UsageError(f"không có vai trò «{role}»; chọn một trong: {', '.join(ROLES)}")
        cell = (cell or "").strip() or None
        if role in CELL_ROLES and cell is None:
            raise UsageError(f"tài khoản vai trò {role} ({ROLES[role]}) phải gắn với một chi bộ")
        if role not in CELL_ROLES and cell is not None:
            raise UsageError(
                f"tài khoản vai trò {role} ({ROLES[role]}) không gắn với chi bộ nào; bỏ chi bộ đi"
            )
        text = self._checked_password(key, password)
        if self.get(key) is not None:
            raise UsageError(f"đã có tài khoản «{key}»")
        hashed = self.hasher.hash(text)
        created = datetime.fromtimestamp(self.clock()).astimezone().isoformat(timespec="seconds")
        with self._db(write=True) as db:
            try:
                db.execute(
                    "INSERT INTO tai_khoan (ten, vai_tro, chi_bo, mat_khau, tao_luc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (key, role, cell, hashed, created),
                )
            except sqlite3.IntegrityError:  # made meanwhile by another process
                raise UsageError(f"đã có tài khoản «{key}»") from None
        return Account(name=key, role=role, cell=cell, disabled=False, created=created)

    def disable(self, name: str) -> Account:
        """Disable an account: it can no longer sign in, and its sessions end now."""
        return self._change(name, "UPDATE tai_khoan SET bi_khoa = 1 WHERE ten = ?", end_sessions=True)

    def enable(self, name: str) -> Account:
        """Let a disabled account sign in again."""
        return self._change(name, "UPDATE tai_khoan SET bi_khoa = 0 WHERE ten = ?")

    def reset_password(self, name: str, password: str) -> Account:
        """A new password for an account: its sessions end and its lockout is lifted."""
        key = _name_key(name)
        self._known(key)
        hashed = self.hasher.hash(self._checked_password(key, password))
        with self._db(write=True) as db:
            db.execute("UPDATE tai_khoan SET mat_khau = ? WHERE ten = ?", (hashed, key))
            db.execute("DELETE FROM dang_nhap_sai WHERE loai = 'ten' AND khoa = ?", (key,))
            db.execute("DELETE FROM phien WHERE ten = ?", (key,))
        return self._known(key)

    def _known(self, key: str) -> Account:
        account = self.get(key)
        if account is None:
            raise UsageError(f"không có tài khoản «{key}»")
        return account

    def _change(self, name: str, statement: str | None, *, end_sessions: bool = False) -> Account:
        key = _name_key(name)
        with self._db(write=True) as db:
            if statement is not None:
                db.execute(statement, (key,))
            if end_sessions:
                db.execute("DELETE FROM phien WHERE ten = ?", (key,))
        return self._known(key)

    def _checked_password(self, key: str, password: str) -> str:
        text = _password_text(password)
        if len(text) < self.policy.min_password_length:
            raise UsageError(
                f"mật khẩu quá ngắn: cần ít nhất {self.policy.min_password_length} ký tự"
            )
        if len(text) > self.policy.max_password_length:
            raise UsageError(f"mật khẩu quá dài: nhiều nhất {self.policy.max_password_length} ký tự")
        if text.strip().casefold() == key.casefold():
            raise UsageError("mật khẩu không được giống tên đăng nhập")
        return text

    # ------------------------------------------------------------------ logins

    def login(self, name: str, password: str, address: str) -> Session:
        """A new session for ``name`` if ``password`` is its password and neither the name
        nor ``address`` (the client's, as the web layer knows it) is locked out.

        Raises:
            AccessRefused: wrong name or password (one message for both), too many failures
                (before any password is verified), a disabled account.
        """
        key = _name_key(name)[:_NAME_KEY_LENGTH]
        where = (address or "?")[:_ADDRESS_KEY_LENGTH]
        now = self.clock()
        with self._db() as db:
            wait = max(
                self._locked_for(db, "ten", key, self.policy.account_failures, now),
                self._locked_for(db, "dia_chi", where, self.policy.address_failures, now),
            )
            row = db.execute("SELECT mat_khau FROM tai_khoan WHERE ten = ?", (key,)).fetchone()
        if wait > 0:
            raise AccessRefused(
                f"đăng nhập sai quá nhiều lần; thử lại sau {max(1, math.ceil(wait / 60))} phút"
            )
        stored: str | None = row[0] if row is not None else None
        text = _password_text(password)
        if stored is None or len(text) > self.policy.max_password_length:
            self._verify(self._dummy_hash(), text)  # the same cost as a real verification
            ok = False
        else:
            ok = self._verify(stored, text)
        fresh = None
        if ok and stored is not None and self.hasher.check_needs_rehash(stored):
            fresh = self.hasher.hash(text)
        refusal: str | None = None
        session: Session | None = None
        with self._db(write=True) as db:
            self._prune(db, now)
            found = db.execute(
                f"SELECT a.mat_khau, {_ACCOUNT_COLUMNS} FROM tai_khoan AS a WHERE a.ten = ?", (key,)
            ).fetchone()
            if not ok or found is None or found[0] != stored:  # changed meanwhile: refused too
                db.executemany(
                    "INSERT INTO dang_nhap_sai (loai, khoa, luc) VALUES (?, ?, ?)",
                    [("ten", key, now), ("dia_chi", where, now)],
                )
                refusal = _WRONG
            else:
                account = _account(found, 1)
                if account.disabled:
                    refusal = _DISABLED
                else:
                    db.execute("DELETE FROM dang_nhap_sai WHERE loai = 'ten' AND khoa = ?", (key,))
                    if fresh is not None:
                        db.execute("UPDATE tai_khoan SET mat_khau = ? WHERE ten = ?", (fresh, key))
                    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
                    db.execute(
                        "INSERT INTO phien (ma_bam, csrf, ten, tao_luc, dung_luc) VALUES (?, ?, ?, ?, ?)",
                        (token_digest(token), csrf, key, now, now),
                    )
                    session = Session(token=token, csrf=csrf, account=account, created=now, seen=now)
        if refusal is not None or session is None:
            raise AccessRefused(refusal or _WRONG)
        return session

    def _verify(self, stored: str, text: str) -> bool:
        try:
            return bool(self.hasher.verify(stored, text))
        except (VerificationError, InvalidHashError):
            return False

    def _dummy_hash(self) -> str:
        """A hash of nothing anyone knows, made once with this instance's hasher."""
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(32))
        return self._dummy

    def _locked_for(self, db: sqlite3.Connection, kind: str, key: str, limit: int, now: float) -> float:
        """Seconds ``key`` stays locked out (0: not locked): a failure that brought the
        count within ``window`` to ``limit`` locks it for ``lockout`` after that failure."""
        policy = self.policy
        times = [
            row[0]
            for row in db.execute(
                "SELECT luc FROM dang_nhap_sai WHERE loai = ? AND khoa = ? AND luc > ? ORDER BY luc",
                (kind, key, now - policy.window - policy.lockout),
            )
        ]
        until = -math.inf
        first = 0
        for index, moment in enumerate(times):
            while times[first] <= moment - policy.window:
                first += 1
            if index - first + 1 >= limit:
                until = max(until, moment + policy.lockout)
        return max(0.0, until - now)

    def _prune(self, db: sqlite3.Connection, now: float) -> None:
        """Drop expired sessions and failures too old to count (at most every PRUNE_EVERY)."""
        if now - self._pruned < PRUNE_EVERY:
            return
        policy = self.policy
        db.execute(
            "DELETE FROM phien WHERE tao_luc <= ? OR dung_luc <= ?",
            (now - policy.absolute, now - policy.idle),
        )
        db.execute("DELETE FROM dang_nhap_sai WHERE luc <= ?", (now - policy.window - policy.lockout,))
        self._pruned = now

    # ------------------------------------------------------------------ sessions

    def session(self, token: str) -> Session | None:
        """The session of a cookie's ``token``; None when unknown, ended (idle or absolute
        expiry: then also removed) or its account disabled. One indexed SELECT (a write
        only when ``seen`` is a minute old or the session has just expired)."""
        if not token or len(token) > 256:
            return None
        digest = token_digest(token)
        now = self.clock()
        policy = self.policy
        with self._db() as db:
            row = db.execute(SESSION_QUERY, (digest,)).fetchone()
            if row is None:
                return None
            csrf, created, seen = row[0], row[1], row[2]
            if now >= created + policy.absolute or now >= seen + policy.idle:
                with suppress(sqlite3.OperationalError):  # pruned at a later login otherwise
                    db.execute("DELETE FROM phien WHERE ma_bam = ?", (digest,))
                return None
            account = _account(row, 3)
            if account.disabled:
                return None
            if now - seen >= SEEN_EVERY:
                with suppress(sqlite3.OperationalError):  # busy: written next time
                    db.execute("UPDATE phien SET dung_luc = ? WHERE ma_bam = ?", (now, digest))
                    seen = now
        return Session(token=token, csrf=csrf, account=account, created=created, seen=seen)

    def logout(self, token: str) -> None:
        """End the session of ``token`` (nothing if there is none)."""
        if not token or len(token) > 256:
            return
        with self._db(write=True) as db:
            db.execute("DELETE FROM phien WHERE ma_bam = ?", (token_digest(token),))


def _name_key(name: str) -> str:
    """A login name as stored: without spaces around, lower case."""
    return name.strip().lower()
