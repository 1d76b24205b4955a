"""The table pass of docgen.layout.typeset, read back from the rendered sample: columns fitted
to their text and to the section's width, the empty "Ghi chú" column dropped (and kept when
a row has a note), the profile's cell margins on every data table, and the annex of the
annual report numbered on its page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from docgen.layout.engine import DATA_TABLE_STYLE
from docgen.layout.ooxml import mm
from docgen.layout.typeset import PASSES, fit_data_tables
from docgen.resources import profile
from tests.tablegeometry import NOTE, W, grid, render_sample, style_font, text_width
from tests.textwidth import text_twips


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return render_sample(tmp_path_factory.mktemp("typeset"))


def data_tables(document: Any) -> list[Any]:
    """The tables carrying docgen's data table style, the ones the pass fits."""
    found = []
    for table in document.tables:
        style = table._tbl.tblPr.find(f"{W}tblStyle")
        if style is not None and style.get(f"{W}val") == DATA_TABLE_STYLE:
            found.append(table)
    return found


def assignment_table(document: Any) -> Any:
    return next(t for t in data_tables(document) if t.rows[0].cells[1].text == "Họ và tên, chức vụ")


def test_the_table_pass_runs_first() -> None:
    assert PASSES[0] is fit_data_tables


@pytest.mark.slow
def test_widths_sum_to_the_text_width_in_grid_cells_and_table(documents: dict[str, Any]) -> None:
    checked = 0
    for name, document in documents.items():
        section = document.sections[0]
        width = (section.page_width - section.left_margin - section.right_margin) // 635
        for table in data_tables(document):
            widths = grid(table)
            assert sum(widths) == width, name
            assert int(table._tbl.tblPr.find(f"{W}tblW").get(f"{W}w")) == width, name
            for row in table.rows:
                cells = row._tr.findall(f"{W}tc")
                assert [int(c.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for c in cells] == widths, name
            checked += 1
    assert checked >= 20


@pytest.mark.slow
def test_no_column_narrower_than_its_longest_word(documents: dict[str, Any]) -> None:
    """Measured with Times New Roman's real advance widths, not the pass's estimate."""
    for name, document in documents.items():
        for table in data_tables(document):
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    room = text_width(table, cell, c)
                    for paragraph in cell.paragraphs:
                        size, bold = style_font(paragraph)
                        for word in paragraph.text.split():
                            assert text_twips(word, size, bold) <= room, (name, r, c, word)


def test_widths_follow_the_text(documents: dict[str, Any]) -> None:
    """The template's widths are replaced: the task (the longest text) widest, STT narrowest."""
    table = assignment_table(documents["phan-cong/to-dan-pho-5"])
    widths = grid(table)
    assert widths.index(max(widths)) == 2
    assert widths.index(min(widths)) == 0
    assert widths[0] < mm(12)


def test_empty_notes_column_is_dropped(documents: dict[str, Any]) -> None:
    for name in ("phan-cong/to-dan-pho-5", "phan-cong/cong-an-phuong"):
        table = assignment_table(documents[name])
        header = [c.text for c in table.rows[0].cells]
        assert "Ghi chú" not in header and header[-1] == "Thời hạn", name
        assert len(grid(table)) == 6
        assert all(len(row._tr.findall(f"{W}tc")) == 6 for row in table.rows)


def test_notes_column_kept_when_one_row_has_a_note(tmp_path: Path) -> None:
    document = render_sample(tmp_path, plant_note=True)["phan-cong/to-dan-pho-5"]
    table = assignment_table(document)
    header = [c.text for c in table.rows[0].cells]
    assert header[-1] == "Ghi chú" and len(grid(table)) == 7
    notes = [row.cells[6].text for row in table.rows[1:]]
    assert notes.count(NOTE) == 1 and notes.count("") == len(notes) - 1
    section = document.sections[0]
    assert sum(grid(table)) == (section.page_width - section.left_margin - section.right_margin) // 635
    size, bold = style_font(table.rows[1].cells[6].paragraphs[0])
    assert all(text_twips(w, size, bold) <= text_width(table, table.rows[1].cells[6], 6) for w in NOTE.split())


def test_member_notes_kept_where_a_member_has_one(documents: dict[str, Any]) -> None:
    """Droppable, but not empty: the quarterly member table keeps its notes."""
    table = next(
        t for t in data_tables(documents["bao-cao-quy-3/to-dan-pho-5"]) if t.rows[0].cells[-1].text == "Ghi chú"
    )
    assert any(row.cells[-1].text for row in table.rows[1:])


@pytest.mark.slow
def test_every_data_table_cell_has_the_profile_margins(documents: dict[str, Any]) -> None:
    bang = profile().bang
    want = {"top": mm(bang.le_o_tren_duoi_mm), "bottom": mm(bang.le_o_tren_duoi_mm)}
    for name, document in documents.items():
        for table in data_tables(document):
            mar = table._tbl.tblPr.find(f"{W}tblCellMar")
            for side in ("top", "left", "bottom", "right"):
                assert mar.find(f"{W}{side}") is not None, (name, side)
            for side, value in want.items():
                assert int(mar.find(f"{W}{side}").get(f"{W}w")) == value
            for row in table.rows:
                for cell in row.cells:
                    for side in ("left", "right"):
                        own = cell._tc.find(f"{W}tcPr/{W}tcMar/{W}{side}")
                        value = own if own is not None else mar.find(f"{W}{side}")
                        assert int(value.get(f"{W}w")) >= mm(bang.le_o_giua_mm), name


def test_annex_section_is_numbered_from_its_first_page(documents: dict[str, Any]) -> None:
    document = documents["bao-cao-nam/to-dan-pho-5"]
    report, annex = document.sections
    assert report._sectPr.find(f"{W}titlePg") is not None  # page 1 of the report: no number
    assert annex._sectPr.find(f"{W}titlePg") is None  # the annex: a number on every page
    assert annex._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1"  # numbered on its own
    assert not annex.different_first_page_header_footer
    instructions = [t.text for t in annex.header._element.iter(f"{W}instrText")]
    assert [i.strip() for i in instructions] == ["PAGE"]


def _table_xml(style: str | None, note_header_style: str) -> Any:
    """A document body with one 3-column table whose last column is empty below its header."""
    style_xml = f'<w:tblStyle w:val="{style}"/>' if style else ""

    def cell(text: str, para_style: str = "BangRong") -> str:
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{para_style}"/>'
            f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
        )

    header = (
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
        + cell("STT", "BangRongTieuDe")
        + cell("Họ và tên", "BangRongTieuDe")
        + cell("Ghi chú", note_header_style)
        + "</w:tr>"
    )
    rows = "".join(f"<w:tr>{cell(str(i))}{cell('Nguyễn Văn An')}{cell('')}</w:tr>" for i in range(3))
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f'<w:tbl><w:tblPr>{style_xml}<w:tblW w:w="3000" w:type="dxa"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="1000"/><w:gridCol w:w="1000"/></w:tblGrid>'
        f"{header}{rows}</w:tbl>"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:left="1701" w:right="850"/></w:sectPr>'
        "</w:body></w:document>"
    )
    return etree.fromstring(xml.encode("utf-8"))


def test_pass_leaves_tables_without_the_data_style_alone() -> None:
    root = _table_xml(None, "BangTieuDeBoTrong")
    before = etree.tostring(root)
    assert fit_data_tables(root) is False
    assert etree.tostring(root) == before


def test_pass_drops_only_a_column_marked_droppable() -> None:
    marked = _table_xml(DATA_TABLE_STYLE, "BangTieuDeBoTrong")
    assert fit_data_tables(marked) is True
    assert len(marked.findall(f".//{W}gridCol")) == 2
    assert sum(int(g.get(f"{W}w")) for g in marked.iter(f"{W}gridCol")) == 11906 - 1701 - 850
    mar = marked.find(f".//{W}tblCellMar")  # margins added where the table had none
    assert [child.tag for child in mar] == [f"{W}{s}" for s in ("top", "left", "bottom", "right")]
    unmarked = _table_xml(DATA_TABLE_STYLE, "BangRongTieuDe")
    fit_data_tables(unmarked)
    assert len(unmarked.findall(f".//{W}gridCol")) == 3
    assert all(len(tr.findall(f"{W}tc")) == 3 for tr in unmarked.iter(f"{W}tr"))


@pytest.mark.parametrize("planted", ["\ue000", "\ue001\ue004", "\ue003\ue002X"])
def test_text_holding_the_readers_separators_is_measured_not_misread(planted: str) -> None:
    """The pass reads the tables with separators from the private-use area; a user can
    type those characters (a property test found it): they are left out of the reading,
    the table is still fitted and its text is untouched."""
    root = _table_xml(DATA_TABLE_STYLE, "BangRongTieuDe")
    target = root.findall(f".//{W}t")[4]  # a data row's name
    target.text = f"Nguyễn{planted}Văn An"
    assert fit_data_tables(root) is True
    assert sum(int(g.get(f"{W}w")) for g in root.iter(f"{W}gridCol")) == 11906 - 1701 - 850
    assert target.text == f"Nguyễn{planted}Văn An"
