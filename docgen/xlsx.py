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
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import CellError, DateTextError, InputError, Problem
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


def _grid(ws: Any, rows: int) -> list[list[Any]]:
    """The first ``rows`` rows with merged cells filled with their top-left value."""
    width = ws.max_column
    grid = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(1, rows + 1)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, rows) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                grid[r - 1][c - 1] = value
    return grid


def _find_header(ws: Any) -> tuple[int, dict[str, int], dict[int, str]] | None:
    """The header row (1-based), its columns by field, and every header's text."""
    rows = min(ws.max_row, HEADER_SCAN_ROWS)
    if rows < 1:
        return None
    grid = _grid(ws, rows)
    best = None
    for r in range(rows):
        found: dict[str, int] = {}
        texts: dict[int, str] = {}
        for c, value in enumerate(grid[r], start=1):
            above = grid[r - 1][c - 1] if r > 0 else None
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


def read_roster(path: Path, display: str, today: date | None = None) -> SheetRoster:
    """Read the roster sheet of a workbook.

    Raises:
        InputError: the file is not a workbook, or no sheet has a roster header.
    """
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise InputError([Problem(display, None, None, "", "không tìm thấy tệp")]) from None
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    "",
                    "không đọc được tệp Excel .xlsx: tệp không phải dạng .xlsx hoặc bị hỏng",
                    "mở tệp bằng Excel rồi lưu lại dạng .xlsx (Excel Workbook)",
                )
            ]
        ) from None
    header = None
    for sheet in wb.worksheets:
        header = _find_header(sheet)
        if header is not None:
            break
    if header is None:
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
    header_row, columns, texts = header
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

    for r in range(header_row + 1, sheet.max_row + 1):
        raw = {name: sheet.cell(r, c).value for name, c in columns.items()}
        content = {k: v for k, v in raw.items() if not _blank(v) and k != "stt"}
        if not content:
            continue  # blank row (or only a running number)
        cells = [v for v in (sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)) if not _blank(v)]
        if all(re.fullmatch(r"\(?\d{1,2}\)?", _shown(v)) for v in cells):
            continue  # the "(1) (2) (3)" row under a header
        name_value = raw.get("ho_ten")
        if not _blank(name_value) and re.match(r"(?i)^(tổng|cộng)\b", _text(name_value)) and not any(
            k.startswith("ngay") for k in content
        ):
            continue  # a totals row
        problems: list[Problem] = []

        def bad(name: str, message: str, r: int = r, problems: list[Problem] = problems) -> None:
            problems.append(Problem(display, None, None, where(r, name), message))

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
            if key not in columns or _blank(raw[key]):
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
            if key in columns and not _blank(raw[key]):
                values[key] = _text(raw[key])
        for key in ("gioi_tinh", "nam_sinh", "ngay_vao_dang"):
            if key in columns and _blank(raw[key]):
                bad(key, f"trống; cần {FIELD_NAMES[key].lower()}")
        if problems:
            result.problems += problems
            result.bad_rows.add(r)
            continue
        result.rows.append(SheetRow(r, values))
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
    for sheet in wb.worksheets:
        _printable(sheet)
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
