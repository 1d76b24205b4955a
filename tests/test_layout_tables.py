"""Data tables of the produced documents, read back from the .docx: they span the text
width, their cells keep text off the borders, and their columns hold what they must
(computed from the widths in twips and Times New Roman's advance widths, not by eye)."""

from __future__ import annotations

from typing import Any

import pytest

from docgen.layout.ooxml import mm
from tests.tablegeometry import W, cell_margin, grid, render_sample, style_font, text_width
from tests.textwidth import line_count, text_twips


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample's documents with data tables, by name (``kind`` or ``kind/cell``)."""
    return render_sample(tmp_path_factory.mktemp("tables"))


def data_tables(document: Any) -> list[Any]:
    """The bordered tables (the header and signature tables have no borders)."""
    tables = []
    for table in document.tables:
        top = table._tbl.tblPr.find(f"{W}tblBorders/{W}top")
        if top is not None and top.get(f"{W}val") == "single":
            tables.append(table)
    return tables


def table_with(documents: dict[str, Any], name: str, header: list[str]) -> Any:
    """The data table of document ``name`` whose header row starts with ``header``."""
    for table in data_tables(documents[name]):
        if [c.text for c in table.rows[0].cells[: len(header)]] == header:
            return table
    raise AssertionError(f"{name}: no table starting with {header}")


def fits(table: Any, row: int, column: int, text: str) -> bool:
    """Whether ``text`` fits on one line in a cell, at the size and weight of its style."""
    cell = table.rows[row].cells[column]
    size, bold = style_font(cell.paragraphs[0])
    return text_twips(text, size, bold) <= text_width(table, cell, column)


@pytest.mark.slow
def test_every_data_table_spans_the_text_width_and_keeps_text_off_its_borders(
    documents: dict[str, Any],
) -> None:
    checked = 0
    for name, document in documents.items():
        section = document.sections[0]
        width = (section.page_width - section.left_margin - section.right_margin) / 635
        for table in data_tables(document):
            assert sum(grid(table)) == width, name
            for row in table.rows:
                for cell in row.cells:
                    assert cell_margin(table, cell, "left") >= mm(0.5), name
                    assert cell_margin(table, cell, "right") >= mm(0.5), name
                    assert cell_margin(table, cell, "top") >= 20, name  # 1 pt above the accents
                    assert cell_margin(table, cell, "bottom") >= 20, name
            checked += 1
    assert checked >= 20


@pytest.mark.slow
def test_no_word_is_broken_across_lines(documents: dict[str, Any]) -> None:
    """Every word of every cell (headers and totals in bold) fits its column's text width,
    so no column is so narrow that a word is cut or touches the borders."""
    for name, document in documents.items():
        for table in data_tables(document):
            widths = grid(table)
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    room = text_width(table, cell, c)
                    assert room > 0 and len(widths) == len(row.cells)
                    for paragraph in cell.paragraphs:
                        size, bold = style_font(paragraph)
                        for word in paragraph.text.split():
                            assert text_twips(word, size, bold) <= room, (name, r, c, word)


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("phan-cong/to-dan-pho-5", ["STT", "Họ và tên, chức vụ", "Nhiệm vụ được phân công"]),
        ("bao-cao-quy-3/to-dan-pho-5", ["STT", "Họ và tên", "Điểm tiêu chí chung"]),
        ("bao-cao-nam/to-dan-pho-5", ["STT", "Họ và tên", "Điểm tự chấm"]),
        ("bien-ban-nam/to-dan-pho-5", ["STT", "Họ và tên", "Mức xếp loại"]),
    ],
)
def test_name_column_holds_every_name_on_one_line(
    documents: dict[str, Any], name: str, header: list[str]
) -> None:
    """The columns are fitted to their text (docgen.layout.typeset): every member's name
    (the first line of the cell) holds one line."""
    table = table_with(documents, name, header)
    assert len(table.rows) > 10
    for r in range(1, len(table.rows)):
        assert fits(table, r, 1, table.rows[r].cells[1].paragraphs[0].text), (name, r)


def test_minutes_vote_holds_the_longest_level_on_one_line(documents: dict[str, Any]) -> None:
    table = table_with(documents, "bien-ban-nam/to-dan-pho-5", ["STT", "Họ và tên", "Mức xếp loại"])
    for r in range(1, len(table.rows)):
        assert fits(table, r, 2, table.rows[r].cells[2].text), r


def test_assignment_table_role_under_the_name_and_task_widest(documents: dict[str, Any]) -> None:
    table = table_with(documents, "phan-cong/to-dan-pho-5", ["STT", "Họ và tên, chức vụ"])
    header = [c.text for c in table.rows[0].cells]
    assert header[2:] == ["Nhiệm vụ được phân công", "Địa bàn, đối tượng phụ trách", "Sản phẩm", "Thời hạn"]
    name, role = table.rows[1].cells[1].paragraphs
    assert name.text == "Tạ Diệu Thảo" and role.runs[0].italic
    widths = grid(table)
    assert widths[2] == max(widths)  # the task, the longest text
    assert widths[5] < widths[3]  # the deadline narrower than the area
    assert fits(table, 1, 5, "30/06/2026")  # the deadline on one line


def test_member_table_levels_and_usual_notes_on_one_line(documents: dict[str, Any]) -> None:
    table = table_with(documents, "bao-cao-quy-3/to-dan-pho-5", ["STT", "Họ và tên"])
    for r in range(1, len(table.rows)):
        for column in (5, 6):
            assert fits(table, r, column, table.rows[r].cells[column].text), (r, column)
    notes = [row.cells[7].text for row in table.rows[1:] if row.cells[7].text]
    assert "miễn sinh hoạt đảng" in notes
    assert fits(table, 1, 7, "miễn sinh hoạt đảng")  # the usual note on one line


@pytest.mark.parametrize(
    ("name", "rates"),
    [("tong-hop-quy-3", range(9, 13)), ("tong-hop-nam", range(5, 9))],
)
def test_ward_summary_cell_names_take_two_lines_and_rates_one(
    documents: dict[str, Any], name: str, rates: range
) -> None:
    table = table_with(documents, name, ["STT", "Chi bộ"])
    cell = table.rows[1].cells[1]
    size, bold = style_font(cell.paragraphs[0])
    room = text_width(table, cell, 1)
    assert line_count("Chi bộ Trường Tiểu học Hoa Sữa", room, size, bold) <= 2
    if name == "tong-hop-nam":
        for row in table.rows[1:-2]:
            # a school-year cell's row names its period after the name, on a line of its own
            extra = 1 if row.cells[1].text.endswith(")") else 0
            assert line_count(row.cells[1].text, room, size, bold) <= 2 + extra, row.cells[1].text
    rate_row = len(table.rows) - 1
    assert table.rows[rate_row].cells[1].text == "Tỷ lệ"
    for column in rates:
        text = table.rows[rate_row].cells[column].text
        assert text.endswith("%") and fits(table, rate_row, column, text), (name, column, text)
