"""The Excel adapter of the member roster: read a secretary's own .xlsx into rows of
member values, write the roster (and a quarter's results) as .xlsx, and the template.

Reading is forgiving about layout and strict about values:

- the header row is found within the first rows of any sheet (title rows, merged
  cells and two-row headers such as "Ngày" over "vào Đảng | chính thức" are common);
  columns are matched by their Vietnamese names, normalised (case, diacritics,
  punctuation and spaces ignored), with the usual variants ("Họ tên", "Ngày kết nạp",
  "Ngày công nhận chính thức", "Nam/Nữ"...); other columns are ignored;
- blank rows, the "(1) (2) (3)" numbering row under a header and "Tổng cộng" rows are
  skipped;
- dates may be Excel dates or text as people type them (05/01/2026, 5/1/26,
  2026-01-05, 05.01.2026; read by formatting.read_date_text); a year of birth may be
  a number or a full birth date;
- every cell that cannot be read is one located line:
  ``danh-sach.xlsx: dòng 7, cột C (Ngày vào Đảng): '31/02/2020' không phải ngày có thật``.

What is done with the rows (the merge with the roster, the check, writing
``dang-vien.yaml``) is docgen/roster.py's.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import CellError, DateTextError, InputError, PackageError, Problem
from docgen.formatting import read_date_text

if TYPE_CHECKING:
    from docgen.workspace import Cell, Workspace

__all__ = [
    "EXPORT_HEADERS",
    "SheetRoster",
    "SheetRow",
    "export_workbook",
    "match_header",
    "norm",
    "parse_cell_date",
    "read_roster",
    "read_sex",
    "template_workbook",
]

HEADER_SCAN_ROWS = 10


def norm(text: Any) -> str:
    """A header as compared: lower case, no diacritics, letters and digits only."""
    plain = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]", "", plain)


# field -> (exact names, prefixes). Checked in this order (the member type before
# the official date: "Chính thức/Dự bị" is not a date column).
_COLUMNS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("stt", ("stt", "tt", "sott", "sothutu"), ()),
    ("ma", ("ma", "madangvien", "madv"), ()),
    ("ho_ten", ("hoten", "hovaten", "hotendangvien", "hovatendangvien", "tendangvien"), ("hovaten", "hoten")),
    ("gioi_tinh", ("gioitinh", "namnu", "nunam", "phai"), ("gioitinh",)),
    ("nam_mark", ("nam",), ()),
    ("nu_mark", ("nu",), ()),
    ("nam_sinh", ("namsinh", "sinhnam", "ngaysinh", "ngaythangnamsinh", "ngaythangsinh"), ("namsinh", "ngaysinh", "ngaythangnamsinh")),
    ("loai_dang_vien", ("loaidangvien", "chinhthucdubi", "dubichinhthuc", "dangvienchinhthucdubi", "loai"), ("loaidangvien",)),
    ("ngay_vao_dang", ("ngayvaodang", "ngayketnap", "ngayketnapdang", "ngayketnapvaodang", "vaodang", "ketnap"), ("ngayvaodang", "ngayketnap")),
    ("ngay_chinh_thuc", ("ngaychinhthuc", "ngaycongnhanchinhthuc", "ngaychuyenchinhthuc", "ngayduoccongnhanchinhthuc", "chinhthuc", "ngaycongnhandangvienchinhthuc"), ("ngaychinhthuc", "ngaycongnhan", "ngaychuyenchinhthuc")),
    ("chuc_vu", ("chucvu", "congviec", "chucvucongviec", "nghenghiep", "chucvunghenghiep"), ("chucvu", "nghenghiep", "congviec")),
    ("mien_tu_ngay", ("miensinhhoattungay", "miensinhhoat", "ngaymiensinhhoat", "miensinhhoatdangtungay"), ("miensinhhoat",)),
    ("mien_ly_do", ("lydomiensinhhoat", "lydomien"), ("lydomien",)),
    ("ghi_chu", ("ghichu",), ("ghichu",)),
]
FIELD_NAMES = {
    "ho_ten": "Họ và tên",
    "gioi_tinh": "Giới tính",
    "nam_sinh": "Năm sinh",
    "ngay_vao_dang": "Ngày vào Đảng",
}
REQUIRED = ("ho_ten", "gioi_tinh", "nam_sinh", "ngay_vao_dang")

EXPORT_HEADERS = [
    "STT",
    "Mã",
    "Họ và tên",
    "Giới tính",
    "Năm sinh",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Loại đảng viên",
    "Chức vụ",
    "Miễn sinh hoạt từ ngày",
    "Lý do miễn sinh hoạt",
    "Ghi chú",
]


def match_header(text: Any) -> str | None:
    """The roster field a header names, or None."""
    key = norm(text) if text is not None else ""
    if not key:
        return None
    for name, exact, _ in _COLUMNS:
        if key in exact:
            return name
    for name, _, prefixes in _COLUMNS:
        if any(key.startswith(p) for p in prefixes):
            return name
    return None


def parse_cell_date(value: Any, today: date | None = None) -> date:
    """A date from an Excel cell: a real date, an Excel serial number, or text (read
    loosely by formatting.read_date_text; ``today`` places two-digit years).

    Raises:
        CellError: not a date, only a year, or a day that does not exist.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            raise CellError(f"'{int(value)}' chỉ có năm; cần đủ ngày, tháng, năm (ví dụ 05/01/{int(value)})")
        if 1 <= value < 73051:  # Excel serial numbers of 1900-01-01 .. 2099-12-31
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise CellError(f"'{value:g}' không phải ngày")
    try:
        return read_date_text(str(value), loose=True, today=today)
    except DateTextError as exc:
        text = exc.text
        if exc.reason == "year_only":
            raise CellError(f"'{text}' chỉ có năm; cần đủ ngày, tháng, năm (ví dụ 05/01/{text})") from None
        if exc.reason == "day":
            raise CellError(f"'{text}' không phải ngày có thật") from None
        raise CellError(f"'{text}' không đọc được là ngày (viết dạng 05/01/2026)") from None


def _birth_year(value: Any) -> int:
    number = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
    if number and 1900 <= value <= 2100:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        year = int(value)
        if 1900 <= year <= 2100:
            return year
    try:
        return parse_cell_date(value).year
    except CellError:
        raise CellError(f"'{_shown(value)}' không phải năm sinh (ghi 1960 hoặc ngày sinh 05/03/1960)") from None


def read_sex(value: Any) -> str:
    """``nam`` or ``nu`` from Nam / Nữ as people write it.

    Raises:
        CellError: not a sex.
    """
    key = norm(value)
    if key in ("nam", "m", "male"):
        return "nam"
    if key in ("nu", "f", "female"):
        return "nu"
    raise CellError(f"'{_shown(value)}' không phải giới tính (ghi Nam hoặc Nữ)")


def _member_type(value: Any) -> str:
    key = norm(value)
    if key in ("chinhthuc", "ct", "dangvienchinhthuc"):
        return "chinh_thuc"
    if key in ("dubi", "db", "dangviendubi"):
        return "du_bi"
    raise CellError(f"'{_shown(value)}' không phải loại đảng viên (ghi Chính thức hoặc Dự bị)")


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", _shown(value))).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class SheetRow:
    """One member read from the sheet: its row number and the values read."""

    row: int
    values: dict[str, Any]


@dataclass
class SheetRoster:
    """What was read from the workbook."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # field -> column index (1-based)
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)  # "E (Số thẻ đảng)"
    labels: dict[str, str] = field(default_factory=dict)  # field -> "cột F (Ngày vào Đảng)"
    warnings: list[Problem] = field(default_factory=list)  # formulas read as text, columns not read


# ----------------------------------------------------------------------------- bounds
#
# A roster workbook comes from a secretary, or from anyone through the web upload: it is
# read within bounds that no real roster comes near (issue 20). A cell's roster is a few
# dozen members, a ward's list a few thousand, on a dozen columns.

#: The workbook file itself (a roster saved by Excel is well under 1 MB; logos and
#: formatting leave room to 10 MB). Read with userfile.read_regular.
XLSX_FILE_LIMIT = 10 * 1024 * 1024
#: Rows of a sheet read: data beyond this row refuses the file (located). No roster has
#: 20,000 members; the rest is room for title, blank and total rows.
MAX_ROWS = 30_000
#: Columns of a sheet read: cells beyond this column are not read (a warning says so).
MAX_COLUMNS = 50
#: Characters of one cell read (a name, a note): a longer cell is refused, located.
MAX_CELL_CHARS = 10_000
#: Located problems (and warnings) listed one by one; the rest are counted in one line,
#: so a sheet of 20,000 junk rows gives a readable report, not 80,000 lines.
MAX_LISTED = 100

_REBUILD = "mở tệp bằng Excel rồi lưu lại dạng .xlsx (Excel Workbook)"


@dataclass
class _PartScan:
    """What the streamed check of one XML part of the workbook saw."""

    root: str = ""  # local name of the root element ("worksheet", "workbook"...)
    last_row: int = 0  # last row with a value, within MAX_COLUMNS
    last_col: int = 0  # last column with a value, within MAX_COLUMNS
    beyond: str | None = None  # first cell with a value beyond MAX_COLUMNS ("XFD1048576")
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # header rows only


_XML_SUFFIXES = (".xml", ".rels", ".vml")


def _looks_xml(name: str, body: bytes) -> bool:
    """Parts openpyxl may parse: XML by name, or by content whatever the name (a sheet's
    relationship may point to any part name)."""
    head = body[:4].lstrip()
    return name.lower().endswith(_XML_SUFFIXES) or head.startswith((b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _row_number(text: str | None, previous: int) -> int:
    """A ``<row r>`` as openpyxl reads it (an integer, a float with no fraction, else the
    next row)."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        number = float(text)  # openpyxl fails on what is not a whole number too
        if not number.is_integer():
            raise
        return int(number)


def _scan_part(name: str, body: bytes) -> _PartScan:
    """One XML part streamed (never held as a tree) with the parser settings of
    safezip.parse_xml: no DTD, no entity, no network; the sheet's extent with values and
    its merged cells of the header rows recorded.

    Raises:
        PackageError: a DOCTYPE, or XML that is not well formed (line and column).
    """
    from lxml import etree
    from openpyxl.utils.cell import (
        column_index_from_string,
        coordinate_from_string,
        range_boundaries,
    )

    from docgen.safezip import XML_OPTIONS, refuse_doctype

    scan = _PartScan()
    row = col = 0
    has_value = False
    events = etree.iterparse(io.BytesIO(body), events=("start", "end"), **XML_OPTIONS)
    try:
        for event, el in events:
            tag = _local(el.tag)
            if event == "start":
                if not scan.root:
                    refuse_doctype(el, name)
                    scan.root = tag or "?"
                elif tag == "row":
                    row, col = _row_number(el.get("r"), row), 0
                elif tag == "c":
                    ref, has_value = el.get("r"), False
                    try:
                        col = column_index_from_string(coordinate_from_string(ref)[0]) if ref else col + 1
                    except (ValueError, TypeError):
                        col += 1  # openpyxl refuses it later, as a damaged file
                elif tag == "mergeCell":
                    try:
                        bounds = range_boundaries(el.get("ref") or "")
                    except (ValueError, TypeError):
                        continue
                    if all(b is not None for b in bounds) and bounds[1] <= HEADER_SCAN_ROWS:  # type: ignore[operator]
                        scan.merges.append(bounds)  # type: ignore[arg-type]
                continue
            if tag in ("v", "t", "f") and (tag == "f" or el.text):
                has_value = True
            elif tag == "c" and has_value:
                if col > MAX_COLUMNS:
                    if scan.beyond is None:
                        from openpyxl.utils import get_column_letter

                        scan.beyond = f"{get_column_letter(min(col, 18278))}{row}"
                else:
                    scan.last_row = max(scan.last_row, row)
                    scan.last_col = max(scan.last_col, col)
            # streamed: what has been seen is dropped, so memory stays one element deep
            el.clear(keep_tail=True)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        where = f" ở dòng {exc.lineno}, cột {exc.offset}" if exc.lineno else ""
        raise PackageError(f"XML hỏng{where}", name) from None
    except ValueError:
        raise PackageError("XML hỏng: số dòng không đọc được", name) from None
    if not scan.root:
        raise PackageError("XML rỗng", name)
    return scan


def _checked_package(path: Path, display: str) -> tuple[bytes, dict[str, _PartScan]]:
    """The workbook's bytes, read within XLSX_FILE_LIMIT, its zip within XLSX_LIMITS and
    every XML part checked (streamed) before openpyxl sees any of it.

    Raises:
        InputError: missing, not a regular file, too big, not a workbook, a part refused.
    """
    from docgen.errors import FileRefused, PackageError, os_reason
    from docgen.safezip import XLSX_LIMITS, read_package
    from docgen.userfile import read_regular

    def refused(message: str, hint: str | None = None) -> InputError:
        return InputError([Problem(display, None, None, "", message, hint)])

    try:
        data = read_regular(path, XLSX_FILE_LIMIT)
    except FileNotFoundError:
        raise refused("không tìm thấy tệp") from None
    except FileRefused as exc:
        raise refused(f"tệp Excel không đọc được: {exc.reason}") from None
    except OSError as exc:
        raise refused(f"không đọc được tệp ({os_reason(exc)})") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _damaged(display)  # not a workbook at all (a renamed .xls, .csv, .docx...)
    scans: dict[str, _PartScan] = {}
    try:
        for info, body in read_package(data, XLSX_LIMITS):
            if _looks_xml(info.filename, body):
                scans[info.filename] = _scan_part(info.filename, body)
    except PackageError as exc:
        raise refused(f"tệp Excel không đọc được: {exc}", _REBUILD) from None
    except (zlib.error, NotImplementedError):  # a damaged deflate stream, a zip version: not caught by safezip yet
        raise _damaged(display) from None
    return data, scans


def _damaged(display: str) -> InputError:
    return InputError(
        [
            Problem(
                display,
                None,
                None,
                "",
                "không đọc được tệp Excel .xlsx: tệp không phải dạng .xlsx hoặc bị hỏng",
                _REBUILD,
            )
        ]
    )


# What openpyxl raises on a damaged workbook that passed the package check (a part
# missing, an attribute of the wrong kind, XML it does not expect); any of them means
# "damaged", said as one located line instead of a traceback.
def _openpyxl_errors() -> tuple[type[BaseException], ...]:
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from lxml.etree import LxmlError
    from openpyxl.utils.exceptions import InvalidFileException

    return (
        InvalidFileException, BadZipFile, ParseError, LxmlError, KeyError, IndexError, ValueError,
        TypeError, AttributeError, ArithmeticError, OSError, EOFError, AssertionError,
    )  # fmt: skip


def _cell_value(cell: Any) -> tuple[Any, bool]:
    """A cell's value and whether it holds a formula: a formula is its text (``=A1+1``),
    never a value computed or cached, and never a formula again (issue 20)."""
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        text = value if isinstance(value, str) else getattr(value, "text", None)
        return str(text if text is not None else value), True
    return value, False


def _grid(rows: list[tuple[Any, ...]], merges: list[tuple[int, int, int, int]], width: int) -> list[list[Any]]:
    """The header rows' values with merged cells filled with their top-left value."""
    grid = [[_cell_value(c)[0] for c in row] + [None] * (width - len(row)) for row in rows]
    height = len(grid)
    for min_col, min_row, max_col, max_row in merges:
        if not (1 <= min_row <= height and 1 <= min_col <= width):
            continue
        value = grid[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row, height) + 1):
            for c in range(min_col, min(max_col, width) + 1):
                grid[r - 1][c - 1] = value
    return grid


def _find_header(grid: list[list[Any]]) -> tuple[int, dict[str, int], dict[int, str]] | None:
    """The header row (1-based), its columns by field, and every header's text."""
    best = None
    for r in range(len(grid)):
        found: dict[str, int] = {}
        texts: dict[int, str] = {}
        for c, value in enumerate(grid[r], start=1):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                continue  # no header is that long
            above = grid[r - 1][c - 1] if r > 0 else None
            if isinstance(above, str) and len(above) > MAX_CELL_CHARS:
                above = None
            combined = f"{above or ''} {value or ''}"
            name = match_header(value)
            text = _text(value) if not _blank(value) else ""
            if above is not None and value is not None and above != value:
                # a group heading over this one ("Ngày" over "vào Đảng | chính thức")
                joined = match_header(combined)
                if joined is not None and (name is None or name == "stt" or joined == name):
                    name, text = joined, _text(combined)
            if name is not None and name not in found:
                found[name] = c
            if text:
                texts[c] = text
        score = len(set(found) - {"stt"})
        if "ho_ten" in found and score >= 2 and (best is None or score > best[0]):
            best = (score, r + 1, found, texts)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _capped(problems: list[Problem], display: str, kind: str) -> list[Problem]:
    """At most MAX_LISTED problems, the rest counted in one more line."""
    if len(problems) <= MAX_LISTED:
        return problems
    rest = problems[MAX_LISTED:]
    return [
        *problems[:MAX_LISTED],
        Problem(
            display,
            None,
            None,
            f"sau {problems[MAX_LISTED - 1].field}",  # sorted after the lines listed ("dòng ...")
            f"còn {len(rest)} {kind} khác, đến {rest[-1].field}, không liệt kê ra đây",
            "sửa các ô đã liệt kê rồi nhập lại để xem tiếp",
        ),
    ]


def read_roster(path: Path, display: str, today: date | None = None) -> SheetRoster:
    """Read the roster sheet of a workbook, within bounds (issue 20): the file read only
    if regular and at most XLSX_FILE_LIMIT, its zip within safezip.XLSX_LIMITS, every XML
    part checked streamed (no DTD, no entity, broken XML located by part), then the
    sheets read by openpyxl in read-only mode, only within the rows and columns that
    hold values (at most MAX_ROWS, MAX_COLUMNS), each cell at most MAX_CELL_CHARS.
    A formula is read as its text and flagged (``SheetRoster.warnings``).

    Raises:
        InputError: the file is not a workbook, is damaged or beyond a bound, or no sheet
            has a roster header.
    """
    from openpyxl import load_workbook

    data, scans = _checked_package(path, display)
    failures = _openpyxl_errors()
    try:
        with warnings.catch_warnings():
            # openpyxl's English UserWarnings on odd workbooks (unknown extensions, defined
            # names it cannot place) are not for the secretary: what matters is said located
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
            try:
                return _read_sheets(wb, scans, display, today)
            finally:
                wb.close()
    except InputError:
        raise
    except failures:
        raise _damaged(display) from None


def _read_sheets(wb: Any, scans: dict[str, _PartScan], display: str, today: date | None) -> SheetRoster:
    from openpyxl.utils import get_column_letter

    found = None
    flagged: list[Problem] = []
    for candidate in wb.worksheets:
        scan = scans.get(str(getattr(candidate, "_worksheet_path", "")).lstrip("/"))
        if scan is None or scan.root != "worksheet":
            continue  # a chart sheet, or a part the package check did not see as a sheet
        if scan.last_row == 0:
            continue  # empty (never ask openpyxl: it would take the sheet's declared size)
        width = scan.last_col
        top = list(candidate.iter_rows(min_row=1, max_row=min(HEADER_SCAN_ROWS, scan.last_row), max_col=width))
        header = _find_header(_grid(top, scan.merges, width))
        if header is not None:
            found = (candidate, scan, header)
            break
    if found is None:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    "",
                    f"không thấy dòng tiêu đề của danh sách đảng viên trong {HEADER_SCAN_ROWS} dòng đầu của "
                    "các trang tính",
                    "cần các cột «Họ và tên», «Giới tính», «Năm sinh», «Ngày vào Đảng» "
                    "(tệp mẫu: docgen roster template -o danh-sach.xlsx)",
                )
            ]
        )
    sheet, sheet_scan, (header_row, columns, texts) = found
    result = SheetRoster(sheet.title, header_row, columns)
    has_sex = "gioi_tinh" in columns or ("nam_mark" in columns and "nu_mark" in columns)
    missing = [FIELD_NAMES[f] for f in REQUIRED if f not in columns and not (f == "gioi_tinh" and has_sex)]
    if missing:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    f"trang tính '{sheet.title}', dòng {header_row}",
                    f"thiếu cột {', '.join('«' + m + '»' for m in missing)}",
                    "tên cột được nhận: Họ và tên, Giới tính (hoặc Nam/Nữ), Năm sinh (hoặc Ngày sinh), "
                    "Ngày vào Đảng (hoặc Ngày kết nạp), Ngày chính thức, Chức vụ, Ghi chú",
                )
            ]
        )
    if sheet_scan.last_row > MAX_ROWS:
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    f"trang tính '{sheet.title}', dòng {sheet_scan.last_row}",
                    f"có dữ liệu tới dòng {sheet_scan.last_row}, quá giới hạn {MAX_ROWS} dòng của một danh sách",
                    "xóa các dòng thừa ở cuối trang tính (chọn các dòng, Xóa dòng) rồi lưu lại",
                )
            ]
        )
    if sheet_scan.beyond is not None:
        flagged.append(
            Problem(
                display,
                None,
                None,
                f"trang tính '{sheet.title}', ô {sheet_scan.beyond}",
                f"có dữ liệu sau cột {get_column_letter(MAX_COLUMNS)}; docgen chỉ đọc {MAX_COLUMNS} cột đầu",
            )
        )
    used = set(columns.values())
    result.ignored = [
        f"{get_column_letter(c)} ({texts[c]})" for c in sorted(texts) if c not in used
    ]

    result.labels = {
        name: f"cột {get_column_letter(c)} ({texts.get(c, FIELD_NAMES.get(name, name))})"
        for name, c in columns.items()
    }

    def where(r: int, name: str) -> str:
        return f"dòng {r}, {result.labels[name]}"

    rows = sheet.iter_rows(min_row=header_row + 1, max_row=sheet_scan.last_row, max_col=sheet_scan.last_col)
    for r, row in enumerate(rows, start=header_row + 1):
        read = {name: _cell_value(row[c - 1]) for name, c in columns.items() if c <= len(row)}
        raw = {name: value for name, (value, _) in read.items()}
        content = {k: v for k, v in raw.items() if not _blank(v) and k != "stt"}
        if not content:
            continue  # blank row (or only a running number)
        cells = [v for v in (_cell_value(c)[0] for c in row) if not _blank(v)]
        if all(re.fullmatch(r"\(?\d{1,2}\)?", _shown(v)) for v in cells):
            continue  # the "(1) (2) (3)" row under a header
        problems: list[Problem] = []

        def bad(name: str, message: str, r: int = r, problems: list[Problem] = problems) -> None:
            problems.append(Problem(display, None, None, where(r, name), message))

        for key, value in list(raw.items()):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                bad(key, f"dài {len(value)} ký tự, quá giới hạn {MAX_CELL_CHARS} ký tự của một ô")
                raw[key] = None
            elif read[key][1] and key != "stt":
                flagged.append(
                    Problem(
                        display,
                        None,
                        None,
                        where(r, key),
                        f"ô chứa công thức «{_text(value)[:60]}»; docgen đọc nguyên văn công thức "
                        "như chữ, không tính",
                        "ghi giá trị vào ô thay cho công thức (Sao chép, Dán giá trị)",
                    )
                )
        if problems:
            result.problems += problems
            result.bad_rows.add(r)
            continue
        name_value = raw.get("ho_ten")
        if not _blank(name_value) and re.match(r"(?i)^(tổng|cộng)\b", _text(name_value)) and not any(
            k.startswith("ngay") for k in content
        ):
            continue  # a totals row

        values: dict[str, Any] = {}
        if _blank(name_value):
            bad("ho_ten", "trống; mỗi dòng phải có họ và tên đảng viên")
        else:
            values["ho_ten"] = _text(name_value)
        readers = {
            "nam_sinh": _birth_year,
            "ngay_vao_dang": lambda v: parse_cell_date(v, today),
            "ngay_chinh_thuc": lambda v: parse_cell_date(v, today),
            "mien_tu_ngay": lambda v: parse_cell_date(v, today),
            "gioi_tinh": read_sex,
            "loai_dang_vien": _member_type,
        }
        for key, reader in readers.items():
            if key not in columns or _blank(raw.get(key)):
                continue
            try:
                values[key] = reader(raw[key])
            except CellError as exc:
                bad(key, str(exc))
        if "gioi_tinh" not in values and "gioi_tinh" not in columns and has_sex:
            marks = {k: not _blank(raw.get(k)) for k in ("nam_mark", "nu_mark")}
            if marks["nam_mark"] != marks["nu_mark"]:
                values["gioi_tinh"] = "nam" if marks["nam_mark"] else "nu"
            else:
                bad("nam_mark", "đánh dấu ở cả hai cột Nam và Nữ, hoặc không cột nào")
        for key in ("ma", "chuc_vu", "mien_ly_do", "ghi_chu"):
            if key in columns and not _blank(raw.get(key)):
                values[key] = _text(raw[key])
        for key in ("gioi_tinh", "nam_sinh", "ngay_vao_dang"):
            if key in columns and _blank(raw.get(key)):
                bad(key, f"trống; cần {FIELD_NAMES[key].lower()}")
        if problems:
            result.problems += problems
            result.bad_rows.add(r)
            continue
        result.rows.append(SheetRow(r, values))
    result.problems = _capped(result.problems, display, "ô lỗi")
    result.warnings = _capped(flagged, display, "cảnh báo")
    return result


# ----------------------------------------------------------------------------- export


def _printable(sheet: Any) -> None:
    """A4 landscape, every column on one page width (the sheets are printed as lists)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "3:3"
    sheet.row_dimensions[3].height = 32  # the wrapped column headers


def _workbook_bytes(wb: Any) -> bytes:
    from docgen.celltext import text_only

    for sheet in wb.worksheets:
        _printable(sheet)
        text_only(sheet)  # names, notes beginning with "=" are text, never formulas (issue 20)
    from docgen.ziputil import normalise_zip

    buffer = io.BytesIO()
    wb.properties.created = datetime(2000, 1, 1)
    wb.properties.creator = "docgen"
    wb.save(buffer)
    # openpyxl stamps the save time into docProps/core.xml and the zip entries: fix
    # both, so the same roster gives the same bytes (and the shipped template is
    # exactly what `docgen roster template` writes).
    return normalise_zip(buffer.getvalue(), _fixed_save_time)


def _fixed_save_time(name: str, content: bytes) -> bytes:
    if name != "docProps/core.xml":
        return content
    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\2", content
    )


def _roster_sheet(ws: Any, title: str, rows: list[list[Any]], note: str | None = None) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    width = len(EXPORT_HEADERS)
    ws.title = "Danh sách đảng viên"
    ws.cell(1, 1, title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    if note:
        ws.cell(2, 1, note).font = Font(italic=True)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, text in enumerate(EXPORT_HEADERS, start=1):
        cell = ws.cell(3, c, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            cell.border = border
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    widths = [6, 8, 28, 10, 10, 15, 15, 14, 26, 18, 24, 24]
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A4"


def template_workbook() -> bytes:
    """The empty roster a secretary fills in (templates/xlsx/danh-sach-dang-vien.xlsx)."""
    from openpyxl import Workbook

    wb = Workbook()
    _roster_sheet(
        wb.active,
        "DANH SÁCH ĐẢNG VIÊN CHI BỘ",
        [],
        "Mỗi đảng viên một dòng từ dòng 4. Ngày ghi 05/01/2026; Giới tính ghi Nam hoặc Nữ; cột Mã "
        "để trống (docgen tự đặt); Loại đảng viên để trống thì có ngày chính thức là chính thức.",
    )
    return _workbook_bytes(wb)


def export_workbook(ws: Workspace, cell: Cell, year: int | None = None, quarter: int | None = None) -> bytes:
    """The cell's roster (and, with ``quarter``, the quarter's results) as .xlsx bytes.

    Raises:
        InputError: the quarter's files are invalid.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    rows = []
    for i, m in enumerate(cell.members, start=1):
        exemption = m.mien_sinh_hoat
        rows.append(
            [
                i,
                m.ma,
                m.ho_ten,
                "Nam" if m.gioi_tinh == "nam" else "Nữ",
                m.nam_sinh,
                m.ngay_vao_dang,
                m.ngay_chinh_thuc,
                "Chính thức" if m.loai_dang_vien == "chinh_thuc" else "Dự bị",
                m.chuc_vu,
                exemption.tu_ngay if exemption else None,
                exemption.ly_do if exemption else None,
                m.ghi_chu,
            ]
        )
    _roster_sheet(wb.active, f"DANH SÁCH ĐẢNG VIÊN {cell.info.ten.upper()}", rows, ws.dang_bo.ten)
    if quarter is not None and year is not None:
        from docgen.documents.bao_cao_quy import load_evaluated_quarter
        from docgen.documents.wording import SHORT_LEVEL, outcome_reasons
        from docgen.formatting import percent, roman

        rules = ws.rules
        report, _, result = load_evaluated_quarter(ws, cell, year, quarter)
        sheet = wb.create_sheet(f"Kết quả quý {roman(quarter)}-{year}")
        headers = [
            "STT", "Mã", "Họ và tên", "Điểm tiêu chí chung", "Điểm nhiệm vụ", "Tổng điểm",
            "Tự nhận", "Chi bộ đánh giá (theo quy định)", "Ghi chú",
        ]
        title = f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI QUÝ {roman(quarter)} NĂM {year} - {cell.info.ten.upper()}"
        sheet.cell(1, 1, title).font = Font(bold=True, size=13)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        level = rules.level_name(result.cell.level) if result.cell.level else "chưa xếp loại"
        att = percent(result.attendance) if result.attendance is not None else "không có"
        sheet.cell(
            2,
            1,
            f"Chi bộ: {result.cell.score:g} điểm, mức “{level}”; “chi bộ bốn tốt”: "
            f"{'Đạt' if result.bon_tot else 'Chưa đạt'}; tỷ lệ dự sinh hoạt bình quân {att}.",
        )
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for c, text in enumerate(headers, start=1):
            cell_ = sheet.cell(3, c, text)
            cell_.font = Font(bold=True)
            cell_.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell_.border = border
        for i, r in enumerate(result.members, start=1):
            e, o = r.entry, r.outcome
            notes = outcome_reasons(o, rules) + ([e.ghi_chu] if e is not None and e.ghi_chu else [])
            values = [
                i,
                r.member.ma,
                r.member.ho_ten,
                e.diem_chung if e else None,
                e.diem_nhiem_vu if e else None,
                o.score,
                SHORT_LEVEL[e.tu_nhan] if e and e.tu_nhan else None,
                rules.level_name(o.level) if o.level else "Không xếp loại",
                "; ".join(notes) or None,
            ]
            for c, value in enumerate(values, start=1):
                sheet.cell(3 + i, c, value).border = border
        for c, w in enumerate([6, 8, 28, 12, 12, 10, 12, 30, 50], start=1):
            sheet.column_dimensions[get_column_letter(c)].width = w
    return _workbook_bytes(wb)
