"""The one error hierarchy of docgen, and the helpers that make its problems.

Every stage of the pipeline raises a subclass of :class:`DocgenError`. Only the
CLI turns them into text and exit codes. Messages are Vietnamese because they
are read by cell secretaries; the code around them is English.

Helpers: :class:`Collector` gathers the problems of several loaders so all are
reported at once; :func:`unreadable` and :func:`os_reason` say why a file could not
be read; :func:`display_path` shows a path the way problems name files.
"""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

__all__ = [
    "AccessRefused",
    "CellError",
    "Collector",
    "DateFormatError",
    "DateTextError",
    "DocgenError",
    "EditConflict",
    "FileRefused",
    "InputError",
    "LibreOfficeMissing",
    "NotDocx",
    "NumberClash",
    "OutputError",
    "PackageError",
    "PeriodLocked",
    "PreviewError",
    "Problem",
    "TemplateCheckError",
    "TemplateError",
    "UsageError",
    "display_path",
    "os_reason",
    "unreadable",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One located problem in the user's input.

    Attributes:
        file: The file the problem is in, as shown to the user (may be None for
            problems that are not tied to one file).
        line: 1-based line, or None.
        col: 1-based column, or None.
        field: Dotted field path in the user's vocabulary (``dang_vien[2].ho_ten``).
        message: What is wrong, in Vietnamese.
        hint: Optional advice, in Vietnamese.
        path: The place as data, for code that tells it in other terms (the row of a
            spreadsheet): keys and 0-based indexes, ``("dang_vien", 1, "ho_ten")``.
        member: The member id a reference names when no member has it (``Cell.member_ref``).
        (``path`` and ``member`` are not compared: equal problems read the same.)
    """

    file: str | None
    line: int | None
    col: int | None
    field: str
    message: str
    hint: str | None = None
    path: tuple[str | int, ...] = dataclasses.field(default=(), compare=False)
    member: str | None = dataclasses.field(default=None, compare=False)

    def format(self) -> str:
        """Return the one-line form ``file:line:col: field: message (hint)``."""
        where = self.file or ""
        if self.file and self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        parts = [p for p in (where, self.field) if p]
        text = ": ".join([*parts, self.message])
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position."""
        return (self.file or "", self.line or 0, self.col or 0, self.field)


class DocgenError(Exception):
    """Base class of every error docgen reports to its user."""

    exit_code = 1

    def lines(self) -> list[str]:
        """The message as lines, one problem per line."""
        return [str(self)]


class InputError(DocgenError):
    """The workspace data is wrong; carries every problem found, each located."""

    def __init__(self, problems: list[Problem]) -> None:
        # A file read by two documents (a plan cited by a notice) reports its problems once.
        self.problems = sorted(dict.fromkeys(problems), key=Problem.sort_key)
        super().__init__("\n".join(p.format() for p in self.problems))

    def lines(self) -> list[str]:
        return [p.format() for p in self.problems]


class TemplateError(DocgenError):
    """A template is broken or asks for something the data does not provide.

    Attributes:
        template: The template file as shown to the user.
        place: Where in the document a person finds it (``đoạn 12 «Trên đây là…»``).
        tag: The template tag text, when known.
    """

    def __init__(
        self, template: str, message: str, place: str | None = None, tag: str | None = None
    ) -> None:
        self.template = template
        self.place = place
        self.tag = tag
        self.message = message
        parts = [f"mẫu {template}"]
        if place:
            parts.append(place)
        if tag:
            parts.append(f"thẻ {tag}")
        super().__init__(": ".join([*parts, message]))


class TemplateCheckError(TemplateError):
    """A template failed ``docgen templates check``: every error found, each located.

    Rendering refuses such a template with exactly the lines the check prints.
    """

    def __init__(self, problems: list[TemplateError]) -> None:
        first = problems[0]
        super().__init__(first.template, first.message, first.place, first.tag)
        self.problems = problems
        self.args = ("\n".join(str(p) for p in problems),)

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class OutputError(DocgenError):
    """Writing a document failed (disk, permissions, a refused overwrite)."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class UsageError(DocgenError):
    """The command was asked for something that does not exist (exit status 2)."""

    exit_code = 2


class NumberClash(DocgenError):
    """A number is already issued to another document, or a document changed after issue."""


class LibreOfficeMissing(DocgenError):
    """``soffice`` is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "không tìm thấy LibreOffice (lệnh soffice) để chuyển sang PDF; hãy cài LibreOffice "
            "(Debian/Ubuntu: sudo apt-get install libreoffice-writer fonts-liberation2) rồi chạy lại"
        )


class NotDocx(DocgenError):
    """The bytes are not a readable .docx package (the audit shows its own message)."""


class FileRefused(DocgenError):
    """A path a user named that docgen will not read: not a regular file (a device, a FIFO,
    a socket) or larger than the limit for its kind. ``size`` is set when it was too big.
    The message is a Vietnamese reason; callers say which file."""

    def __init__(self, message: str, size: int | None = None) -> None:
        self.reason = message
        self.size = size
        super().__init__(message)


class PackageError(DocgenError):
    """A zip package (.docx, .xlsx) or an XML part that docgen refuses to read: too many
    parts, a part or a whole that inflates beyond its limit, a compression ratio of a zip
    bomb, an unsafe part name, a DTD or entity, broken XML. The message is Vietnamese and
    names the part; callers say which file."""

    def __init__(self, message: str, part: str | None = None) -> None:
        self.reason = message
        self.part = part
        super().__init__(f"phần {part}: {message}" if part else message)


class PreviewError(DocgenError):
    """Page images of a document could not be made (LibreOffice failed or took too long,
    the file is not a .docx, pdftoppm is missing)."""


class AccessRefused(DocgenError):
    """The ward mode refused a person: a login that failed or is locked for a while, an
    account that is disabled, or an action their role or cell does not allow. The message
    is Vietnamese and names no secret (not whether the account exists)."""


class EditConflict(OutputError):
    """A save made from a page opened before someone else's save of the same file.

    Attributes:
        theirs: the file's text as it is now (the other person's save).
        yours: the text this save would have written (kept in the file's history).
    """

    def __init__(self, path: Path | str, message: str, *, theirs: str, yours: str) -> None:
        super().__init__(path, message)
        self.theirs = theirs
        self.yours = yours


class PeriodLocked(OutputError):
    """A file of a period the cell has submitted to the ward: only the ward office may
    reopen it."""


class DateFormatError(DocgenError, ValueError):
    """A date typed by a user could not be read; the message is Vietnamese.

    (Also a ValueError, as a value that cannot be parsed.)"""


class DateTextError(DocgenError, ValueError):
    """Text that is not a date (a signal with a reason code, worded by its caller). ``reason`` says why, so each caller words it its own way:
    ``form`` (no form of a date), ``year_only`` (a bare year; loose reading only),
    ``year`` (outside 1900-2100; strict reading only), ``day`` (a day that does not exist).
    ``text`` is the text as read (stripped); ``year``, ``month``, ``day`` what was typed."""

    def __init__(self, reason: str, text: str, year: int = 0, month: int = 0, day: int = 0) -> None:
        super().__init__()
        self.reason = reason
        self.text = text
        self.year = year
        self.month = month
        self.day = day


class CellError(DocgenError, ValueError):
    """A cell value of a roster spreadsheet that cannot be read; the message is Vietnamese.

    (Also a ValueError, as a value that cannot be parsed.)"""


# Why the operating system refused, by errno, in the user's words. (Tuples so that the
# guide's test reads this table like the other ``_MESSAGES`` tables.)
_OS_MESSAGES: dict[int, tuple[str]] = {
    errno.ENOENT: ("không có tệp hay thư mục này",),
    errno.ENOTDIR: ("một phần của đường dẫn là tệp, không phải thư mục",),
    errno.EACCES: ("không có quyền truy cập",),
    errno.EPERM: ("không có quyền truy cập",),
    errno.EISDIR: ("đã có thư mục trùng tên",),
    errno.EEXIST: ("đã có tệp trùng tên",),
    errno.ENOTEMPTY: ("thư mục không trống",),
    errno.ENAMETOOLONG: ("tên tệp hoặc đường dẫn quá dài",),
    errno.EINVAL: ("tên tệp hoặc đường dẫn không hợp lệ",),
    errno.EBUSY: ("tệp hoặc thư mục đang được dùng",),
    errno.ETXTBSY: ("tệp hoặc thư mục đang được dùng",),
    errno.ELOOP: ("đường dẫn có liên kết (symlink) vòng quanh",),
    errno.ENOSPC: ("ổ đĩa đã đầy",),
    errno.EDQUOT: ("đã dùng hết dung lượng được cấp trên ổ đĩa",),
    errno.EFBIG: ("tệp quá lớn",),
    errno.EROFS: ("ổ đĩa chỉ cho đọc",),
    errno.EIO: ("lỗi đọc ghi ổ đĩa",),
    errno.EMFILE: ("đang mở quá nhiều tệp cùng lúc",),
    errno.ENFILE: ("đang mở quá nhiều tệp cùng lúc",),
    errno.ENOMEM: ("không đủ bộ nhớ",),
}


def os_reason(exc: OSError) -> str:
    """Why an operation on a file failed, in Vietnamese (by ``errno``).

    The operating system's own (English) text is kept only for an errno not listed.
    """
    known = _OS_MESSAGES.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known[0]
    return exc.strerror or str(exc) or type(exc).__name__


def display_path(path: Path) -> str:
    """Show ``path`` relative to the current folder when it is below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return relative if not relative.startswith("..") else str(path)


def unreadable(exc: OSError, path: Path | None = None) -> Problem:
    """A file or folder that cannot be read, located at the path the system names (else
    ``path``), with the reason in Vietnamese."""
    where = Path(os.fsdecode(exc.filename)) if exc.filename else path
    reason = os_reason(exc)
    if where is None:
        return Problem(None, None, None, "", f"không đọc được tệp ({reason})")
    folder = os.path.isdir(where)
    message = f"không đọc được thư mục ({reason})" if folder else f"không đọc được tệp ({reason})"
    return Problem(display_path(where), None, None, "", message)


@dataclass
class Collector:
    """Gather problems from several loaders so they are all reported at once."""

    problems: list[Problem] = field(default_factory=list)

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run a block; an InputError inside adds its problems instead of propagating
        (a file or folder that cannot be read is one, located at it)."""
        try:
            yield
        except InputError as exc:
            self.problems.extend(exc.problems)
        except OSError as exc:
            self.problems.append(unreadable(exc))

    def run(self, func: Callable[[], T]) -> T | None:
        """Call ``func``; on InputError record its problems and return None (a file or
        folder that cannot be read is one, located at it)."""
        try:
            return func()
        except InputError as exc:
            self.problems.extend(exc.problems)
            return None
        except OSError as exc:
            self.problems.append(unreadable(exc))
            return None

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)
