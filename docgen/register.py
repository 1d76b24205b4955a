"""The register of issued documents (sổ đăng ký văn bản đi): an SQLite file in the workspace.

Every issued document takes a number that is never used again for another document:

* numbers run from 01 per issuing body, document type and committee term
  (party-document-format.md §2, "Numbering & symbol"; the term is ``dang_bo.nhiem_ky``);
* a document is known by its identity (kind, issuer, period, input file), so rendering
  the same document again finds its number and, if nothing changed, recognises it;
* rendering a *different* document under a number already issued is refused, naming
  the earlier document, unless the caller re-issues it on purpose (recorded too);
* drafts never take a number.

Writers use ``BEGIN IMMEDIATE`` transactions, so parallel batch workers cannot take
the same number; a number is reserved before rendering and confirmed with the file's
hash once the file is written (a run's documents in one transaction). A run that fails
or is interrupted gives back what it reserved; a reservation left by a run that was
killed outright is reused by its own document only.

Each issued document also keeps the sha256 of its template, of all its sources together
and of each source file (table ``tep_nguon``, added to older registers when one is next
written), so a refusal to overwrite it can say which of them changed since.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import DocgenError, NumberClash, display_path
from docgen.sqlitestore import sqlite_words

if TYPE_CHECKING:
    from docgen.workspace import Workspace

__all__ = [
    "REGISTER_FILE", "Entry", "Inputs", "Register", "SourceFile", "Written", "export_register",
    "read_register", "register_of",
]

REGISTER_FILE = "so-dang-ky-van-ban.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS van_ban_di (
    id INTEGER PRIMARY KEY,
    co_quan TEXT NOT NULL,          -- issuing body key: "<ward>" or "<ward>/<cell>"
    ten_co_quan TEXT NOT NULL,
    loai_van_ban TEXT NOT NULL,     -- type code: KH, TB, NQ, BC, BB...
    nhiem_ky TEXT NOT NULL,
    so INTEGER NOT NULL,
    ky_hieu TEXT NOT NULL,          -- "05-KH/CB"
    ngay_ban_hanh TEXT NOT NULL,
    trich_yeu TEXT NOT NULL,
    loai TEXT NOT NULL,             -- docgen kind
    danh_tinh TEXT NOT NULL,        -- the document's identity
    tep TEXT,
    sha256 TEXT,                    -- NULL while reserved
    sha256_mau TEXT,
    sha256_nguon TEXT,
    lan_cap INTEGER NOT NULL DEFAULT 1,
    ghi_chu TEXT NOT NULL DEFAULT '',
    UNIQUE (co_quan, loai_van_ban, nhiem_ky, so),
    UNIQUE (danh_tinh)
);
"""

# Each issued document's source files, one row each (later than van_ban_di: created by a
# writing connection, so an older register on read-only media can still be read).
_SOURCES_SCHEMA = """
CREATE TABLE IF NOT EXISTS tep_nguon (
    danh_tinh TEXT NOT NULL,        -- the document (van_ban_di.danh_tinh)
    thu_tu INTEGER NOT NULL,        -- its place among the document's sources
    tep TEXT NOT NULL,              -- relative to the workspace; docgen's own as "có sẵn: ..."
    sha256 TEXT NOT NULL,
    PRIMARY KEY (danh_tinh, thu_tu)
);
"""


@dataclass(frozen=True)
class Entry:
    """One row of the register."""

    co_quan: str
    ten_co_quan: str
    loai_van_ban: str
    nhiem_ky: str
    so: int
    ky_hieu: str
    ngay_ban_hanh: str
    trich_yeu: str
    loai: str
    danh_tinh: str
    tep: str | None
    sha256: str | None
    sha256_mau: str | None
    sha256_nguon: str | None
    lan_cap: int
    ghi_chu: str

    COLUMNS = (
        "co_quan", "ten_co_quan", "loai_van_ban", "nhiem_ky", "so", "ky_hieu", "ngay_ban_hanh",
        "trich_yeu", "loai", "danh_tinh", "tep", "sha256", "sha256_mau", "sha256_nguon",
        "lan_cap", "ghi_chu",
    )  # fmt: skip

    @property
    def issued_on(self) -> date:
        """The issue date (stored as ISO text, ``ngay_ban_hanh``)."""
        return date.fromisoformat(self.ngay_ban_hanh)


@dataclass
class _Session:
    """The connection a ``Register.session`` block keeps (made on first use)."""

    pid: int
    connection: sqlite3.Connection | None = None
    schema: bool = False
    sources_schema: bool = False


class Register:
    """The register of one workspace. An instance may keep one connection open for a
    block of calls (:meth:`session`); a run shares one instance (:func:`register_of`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._session: _Session | None = None

    @classmethod
    def of(cls, workspace_root: Path) -> Register:
        return cls(workspace_root / REGISTER_FILE)

    @contextmanager
    def session(self) -> Iterator[None]:
        """Keep one connection to this register open for the block (a batch worker's cells,
        one run's documents): calls on this instance inside it share it, and its schema is
        checked once, instead of a connection and a schema script per call. Each write is
        still its own ``BEGIN IMMEDIATE`` transaction, committed before the call returns, so
        parallel processes never share a number and a killed process loses nothing recorded.
        Sessions nest (the outer one keeps the connection); a forked process opens its own.
        """
        if self._session is not None and self._session.pid == os.getpid():
            yield
            return
        self._session = _Session(os.getpid())
        try:
            yield
        finally:
            session, self._session = self._session, None
            if session is not None and session.connection is not None:
                with suppress(sqlite3.Error):
                    session.connection.close()

    def _open(self) -> tuple[sqlite3.Connection, _Session | None]:
        """The session's connection, else a new one (the caller closes it)."""
        session = self._session
        if session is not None and session.pid != os.getpid():
            session = None  # inherited through fork: not this process's to use
        if session is not None and session.connection is not None:
            return session.connection, session
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        if session is not None:
            session.connection = connection
        return connection, session

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        shown = display_path(self.path)
        try:
            connection, session = self._open()
        except sqlite3.Error as exc:
            raise DocgenError(
                f"{shown}: không mở được sổ đăng ký văn bản ({sqlite_words(exc)})"
            ) from None
        try:
            # The schema once per connection (the source table by the first writer).
            if session is None or not session.schema:
                connection.execute("PRAGMA busy_timeout = 60000")
                connection.executescript(_SCHEMA)
                if session is not None:
                    session.schema = True
            if write and (session is None or not session.sources_schema):
                connection.executescript(_SOURCES_SCHEMA)
                if session is not None:
                    session.sources_schema = True
            if write:
                connection.execute("BEGIN IMMEDIATE")
            yield connection
            if write:
                connection.execute("COMMIT")
        except BaseException as exc:
            if write and connection.in_transaction:
                with suppress(sqlite3.Error):  # closing the connection rolls back too
                    connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and session is not None:
                # A connection that failed is not trusted again: the next call opens anew.
                session.connection = None
                session.schema = session.sources_schema = False
                session = None
            if not isinstance(exc, sqlite3.Error):
                raise
            if write:
                raise DocgenError(
                    f"{shown}: không ghi được sổ đăng ký văn bản ({sqlite_words(exc)}); "
                    "kiểm tra quyền ghi thư mục dữ liệu, hoặc chép lại sổ từ bản sao lưu"
                ) from None
            raise DocgenError(
                f"{shown}: không đọc được sổ đăng ký văn bản ({sqlite_words(exc)}); "
                "chép lại sổ từ bản sao lưu"
            ) from None
        finally:
            if session is None:
                connection.close()

    def entries(self) -> list[Entry]:
        """Every row, by issuing body, type, term and number."""
        if not self.path.exists():
            return []
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {', '.join(Entry.COLUMNS)} FROM van_ban_di "
                "ORDER BY co_quan, loai_van_ban, nhiem_ky, so"
            ).fetchall()
        return [Entry(*row) for row in rows]

    def digest(self) -> str:
        """One digest of everything the register holds (every document's row and its
        sources), "" when there is no register yet: an incremental batch remakes every
        cell once after any change to it (docgen/batchstate.py).

        Raises:
            DocgenError: the register cannot be read.
        """
        if not self.path.exists():
            return ""
        digest = hashlib.sha256()
        with self._connect() as db:
            rows = db.execute(f"SELECT {', '.join(Entry.COLUMNS)} FROM van_ban_di ORDER BY danh_tinh").fetchall()
            has_sources = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tep_nguon'"
            ).fetchone()
            if has_sources:
                rows += db.execute("SELECT * FROM tep_nguon ORDER BY danh_tinh, thu_tu").fetchall()
        for row in rows:
            digest.update(repr(row).encode("utf-8", "surrogateescape"))
            digest.update(b"\n")
        return digest.hexdigest()

    def number_of(self, identity: str) -> int | None:
        """The number issued (or reserved) for a document, if any."""
        if not self.path.exists():
            return None
        with self._connect() as db:
            row = db.execute("SELECT so FROM van_ban_di WHERE danh_tinh = ?", (identity,)).fetchone()
        return row[0] if row else None

    def issued_version(self, identity: str) -> tuple[str, int] | None:
        """The sha256 and the issue count (``lan_cap``) of the document ``identity`` as
        recorded; None if it was never recorded (unknown, or only reserved)."""
        if not self.path.exists():
            return None
        with self._connect() as db:
            row = db.execute(
                "SELECT sha256, lan_cap FROM van_ban_di WHERE danh_tinh = ? AND sha256 IS NOT NULL",
                (identity,),
            ).fetchone()
        return (str(row[0]), int(row[1])) if row else None

    def reserve(
        self,
        *,
        issuer: str,
        issuer_name: str,
        type_code: str,
        term: str,
        number: int | None,
        identity: str,
        kind: str,
        issued: date,
        summary: str,
        symbol: str,
    ) -> int:
        """The number of the document ``identity``: its own if already known, the typed
        ``number`` if free, else the next free one for its issuer, type and term.

        Raises:
            NumberClash: the typed number belongs to another document, or the document
                is known under another number than the one typed.
        """
        with self._connect(write=True) as db:
            row = db.execute(
                "SELECT so, ky_hieu, sha256 FROM van_ban_di WHERE danh_tinh = ?", (identity,)
            ).fetchone()
            if row is not None and row[2] is None and number is not None and number != row[0]:
                # Reserved by a run that never wrote the document: the typed number wins.
                db.execute("DELETE FROM van_ban_di WHERE danh_tinh = ?", (identity,))
                row = None
            if row is not None:
                _check_same_number(row[0], row[1], number)
                return int(row[0])
            if number is None:
                top = db.execute(
                    "SELECT MAX(so) FROM van_ban_di WHERE co_quan = ? AND loai_van_ban = ? "
                    "AND nhiem_ky = ?",
                    (issuer, type_code, term),
                ).fetchone()[0]
                number = (top or 0) + 1
            else:
                _check_number_free(db, issuer, type_code, term, number)
            db.execute(
                "INSERT INTO van_ban_di (co_quan, ten_co_quan, loai_van_ban, nhiem_ky, so, "
                "ky_hieu, ngay_ban_hanh, trich_yeu, loai, danh_tinh) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    issuer,
                    issuer_name,
                    type_code,
                    term,
                    number,
                    symbol.replace("    ", f"{number:02d}", 1),
                    issued.isoformat(),
                    summary,
                    kind,
                    identity,
                ),
            )
            return number

    def clash(
        self, *, issuer: str, type_code: str, term: str, number: int, identity: str
    ) -> str | None:
        """Why the typed ``number`` cannot go to ``identity`` (read only; None: it can)."""
        if not self.path.exists():
            return None
        with self._connect() as db:
            row = db.execute(
                "SELECT so, ky_hieu FROM van_ban_di WHERE danh_tinh = ? AND sha256 IS NOT NULL",
                (identity,),
            ).fetchone()
            try:
                if row is not None:
                    _check_same_number(row[0], row[1], number)
                else:
                    _check_number_free(db, issuer, type_code, term, number, unwritten_too=False)
            except NumberClash as exc:
                return str(exc)
        return None

    def check(self, identity: str, sha256: str, reissue: bool, inputs: Inputs) -> str:
        """What confirming ``sha256`` for ``identity`` would do, without writing:
        ``moi`` (first issue), ``giong`` (the identical document again) or ``cap_lai``.
        ``inputs``: what the document is rendered from now, to say what changed.

        Raises:
            NumberClash: the document was issued before with other content and this is
                not a deliberate re-issue; the message names the sources, template or
                docgen itself that changed since.
        """
        with self._connect() as db:
            row = db.execute(
                "SELECT sha256, ky_hieu, ngay_ban_hanh, sha256_mau, sha256_nguon "
                "FROM van_ban_di WHERE danh_tinh = ?",
                (identity,),
            ).fetchone()
            if row is None or row[0] is None:
                return "moi"
            if row[0] == sha256:
                return "giong"
            if reissue:
                return "cap_lai"
            kept = _kept_sources(db, identity)
        changed = _what_changed(inputs, row[3], row[4], kept, self.path.parent)
        raise NumberClash(_refusal(row[1], row[2], changed))

    def confirm_all(self, documents: list[Written], *, reissue: bool) -> list[str]:
        """Record the written files of reserved numbers, all in one transaction: if one
        cannot be recorded, none is. Returns what ``check`` returns, for each.

        Raises:
            NumberClash: as ``check``.
        """
        with self._connect(write=True) as db:
            return [_confirm(db, document, reissue) for document in documents]

    def release_all(self, identities: list[str]) -> None:
        """Forget the reservations of documents never written (confirmed ones stay)."""
        if not identities or not self.path.exists():
            return
        with self._connect(write=True) as db:
            for identity in identities:
                db.execute(
                    "DELETE FROM van_ban_di WHERE danh_tinh = ? AND sha256 IS NULL", (identity,)
                )

    def to_csv(self) -> str:
        """The register as CSV (UTF-8 with BOM, so Excel shows the Vietnamese text)."""
        from docgen.celltext import csv_field

        buffer = io.StringIO()
        # every field quoted, and text that would run as a formula prefixed with ' (OWASP's
        # CSV Injection remediation, see docgen/celltext.py)
        writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(Entry.COLUMNS)
        for entry in self.entries():
            writer.writerow([csv_field(getattr(entry, c)) for c in Entry.COLUMNS])
        return "\ufeff" + buffer.getvalue()

    def to_xlsx(self) -> bytes:
        """The register as an Excel workbook (openpyxl)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from docgen.celltext import text_only

        book = Workbook()
        sheet = book.active
        sheet.title = "So dang ky van ban di"
        sheet.append(list(Entry.COLUMNS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for entry in self.entries():
            sheet.append([getattr(entry, c) for c in Entry.COLUMNS])
        text_only(sheet)  # a title beginning with "=" is text, never a formula
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


@dataclass(frozen=True)
class Written:
    """A written document, as ``confirm`` records it under its reserved number."""

    identity: str
    output: str
    sha256: str
    template_sha256: str
    sources_sha256: str
    symbol: str
    issued: date
    summary: str
    source_files: tuple[SourceFile, ...]  # each source, sources_sha256 being all together


@dataclass(frozen=True)
class SourceFile:
    """One file a document is built from, as the register keeps it.

    Attributes:
        key: The file relative to the workspace (docgen's own: ``có sẵn: rules/...``);
            the register compares sources by it.
        sha256: The file's digest.
        shown: How a message names it (relative to the current folder...); not stored.
    """

    key: str
    sha256: str
    shown: str


@dataclass(frozen=True)
class Inputs:
    """What a document is rendered from now, compared with what it was issued from.

    Attributes:
        template: The template, as a message names it.
        template_sha256: The template's digest.
        sources_sha256: The digest of all the sources together (``sha256_nguon``).
        sources: Each source file, in order.
    """

    template: str
    template_sha256: str
    sources_sha256: str
    sources: tuple[SourceFile, ...]


def _kept_sources(db: sqlite3.Connection, identity: str) -> dict[str, str]:
    """Each source file's digest as the register kept it when ``identity`` was issued;
    empty for a document issued before the register kept them."""
    known = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tep_nguon'"
    ).fetchone()
    if known is None:
        return {}
    rows = db.execute(
        "SELECT tep, sha256 FROM tep_nguon WHERE danh_tinh = ? ORDER BY thu_tu", (identity,)
    ).fetchall()
    return {key: digest for key, digest in rows}


def _what_changed(
    now: Inputs,
    template_sha256: str | None,
    sources_sha256: str | None,
    kept: dict[str, str],
    root: Path,
) -> str:
    """What differs between what a document was issued from and ``now``, for the refusal:
    the source files (all of them as «dữ liệu nguồn» for a document issued before the
    register kept each one; a file it no longer reads too), the template, else docgen's
    rendering itself. ``root``: the workspace, where the kept files are."""
    changed: list[str] = []
    if kept:
        current: dict[str, SourceFile] = {}
        for source in now.sources:
            current.setdefault(source.key, source)
        changed += [s.shown for key, s in current.items() if kept.get(key) != s.sha256]
        changed += [f"{_kept_name(key, root)} (không còn dùng)" for key in kept if key not in current]
    elif sources_sha256 is not None and sources_sha256 != now.sources_sha256:
        changed.append("dữ liệu nguồn")
    if template_sha256 is not None and template_sha256 != now.template_sha256:
        changed.append(f"mẫu {now.template}")
    if changed:
        return f"; đã thay đổi từ khi ban hành: {', '.join(changed)}"
    if template_sha256 is not None and (kept or sources_sha256 is not None):
        return (
            "; dữ liệu và mẫu không đổi từ khi ban hành, docgen đã dựng khác (docgen đã được "
            "cập nhật, hoặc số của văn bản được dẫn đã thay đổi)"
        )
    return ""


def _kept_name(key: str, root: Path) -> str:
    """A source file the register kept, named as messages name files."""
    builtin = key.removeprefix("có sẵn: ")
    return f"có sẵn {builtin}" if builtin != key else display_path(root / key)


def _refusal(symbol: str, issued: str, changed: str) -> str:
    return (
        f"văn bản số {symbol} ngày {_vn(issued)} đã được ban hành với nội dung khác{changed}; "
        "docgen không ghi đè văn bản đã ban hành (thêm --reissue nếu muốn ban hành "
        "lại, việc này được ghi vào sổ đăng ký)"
    )


def _confirm(db: sqlite3.Connection, doc: Written, reissue: bool) -> str:
    row = db.execute(
        "SELECT sha256, lan_cap, ky_hieu, ngay_ban_hanh FROM van_ban_di WHERE danh_tinh = ?",
        (doc.identity,),
    ).fetchone()
    if row is None:  # pragma: no cover - reserve() always ran first
        raise NumberClash(f"văn bản chưa được cấp số: {doc.identity}")
    issued_sha, times, old_symbol, old_date = row
    if issued_sha is None:
        state, times = "moi", 1
    elif issued_sha == doc.sha256:
        return "giong"
    elif not reissue:  # issued by another run since check(): what changed is not known
        raise NumberClash(_refusal(old_symbol, old_date, ""))
    else:
        state, times = "cap_lai", times + 1
    db.execute(
        "UPDATE van_ban_di SET tep = ?, sha256 = ?, sha256_mau = ?, sha256_nguon = ?, "
        "ky_hieu = ?, ngay_ban_hanh = ?, trich_yeu = ?, lan_cap = ?, ghi_chu = ? "
        "WHERE danh_tinh = ?",
        (
            doc.output,
            doc.sha256,
            doc.template_sha256,
            doc.sources_sha256,
            doc.symbol,
            doc.issued.isoformat(),
            doc.summary,
            times,
            f"cấp lại lần {times - 1}" if state == "cap_lai" else "",
            doc.identity,
        ),
    )
    db.execute("DELETE FROM tep_nguon WHERE danh_tinh = ?", (doc.identity,))
    db.executemany(
        "INSERT INTO tep_nguon (danh_tinh, thu_tu, tep, sha256) VALUES (?,?,?,?)",
        [(doc.identity, n, s.key, s.sha256) for n, s in enumerate(doc.source_files, 1)],
    )
    return state


def _check_same_number(issued: int, symbol: str, typed: int | None) -> None:
    if typed is not None and typed != issued:
        raise NumberClash(
            f"văn bản này đã được cấp số {symbol}; không đổi sang số {typed:02d} được "
            "(xóa số trong tệp dữ liệu để dùng số đã cấp)"
        )


def _check_number_free(
    db: sqlite3.Connection,
    issuer: str,
    type_code: str,
    term: str,
    number: int,
    *,
    unwritten_too: bool = True,
) -> None:
    other = db.execute(
        "SELECT ky_hieu, trich_yeu, ngay_ban_hanh, tep FROM van_ban_di "
        "WHERE co_quan = ? AND loai_van_ban = ? AND nhiem_ky = ? AND so = ?"
        + ("" if unwritten_too else " AND sha256 IS NOT NULL"),
        (issuer, type_code, term, number),
    ).fetchone()
    if other is not None:
        raise NumberClash(
            f"số {other[0]} đã cấp cho văn bản khác: “{other[1]}” ngày "
            f"{_vn(other[2])} ({other[3] or 'chưa có tệp'}); hãy dùng số khác "
            "hoặc bỏ trống số để lấy số tiếp theo"
        )


def _vn(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def register_of(ws: Workspace) -> Register:
    """The register of ``ws``, one instance per workspace (kept in ``ws.memo``), so a run's
    calls share its session."""
    found = ws.memo.get(Register)
    if not isinstance(found, Register):
        found = ws.memo[Register] = Register.of(ws.root)
    return found


def read_register(ws: Workspace) -> list[Entry]:
    """Every document the workspace's register records, in the register's order.

    Raises:
        DocgenError: the register cannot be read.
    """
    return Register.of(ws.root).entries()


def export_register(ws: Workspace, *, csv: Path | None = None, xlsx: Path | None = None) -> list[Path]:
    """Write the workspace's register as CSV and/or Excel; returns the files written.

    Raises:
        DocgenError: the register cannot be read.
        OutputError: a file cannot be written.
    """
    from docgen.output import write_atomic

    book = Register.of(ws.root)
    written = []
    if csv is not None:
        write_atomic(csv, book.to_csv().encode("utf-8"))
        written.append(csv)
    if xlsx is not None:
        write_atomic(xlsx, book.to_xlsx())
        written.append(xlsx)
    return written
