"""Layout of a produced plan, read back from the .docx and compared with the format
rules of shared/reference/party-document-format.md (values from the profile)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openxml_audit import OpenXmlValidator

from docgen.layout.ooxml import mm
from docgen.pipeline import render_documents
from docgen.templates import BUILTIN_DIR
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE, SAMPLE_CELLS
from tests.tablegeometry import cell_margin

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    render_documents(load_workspace(SAMPLE), "ke-hoach", year=2026, output_root=out)
    return {cell: out / "ngoc-ha" / cell / "2026" / "ke-hoach.docx" for cell in SAMPLE_CELLS}


@pytest.fixture(scope="module")
def plan(outputs: dict[str, Path]) -> Any:
    return docx.Document(str(outputs["to-dan-pho-5"]))


def effective(paragraph: Any, attr: str, run: Any = None) -> Any:
    """A run property as Word resolves it: run, then paragraph style chain, then defaults."""
    if run is not None and getattr(run.font, attr) is not None:
        return getattr(run.font, attr)
    style = paragraph.style
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    if attr == "size":
        rpr = paragraph.part.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        return Pt(int(rpr.find(f"{W}sz").get(f"{W}val")) / 2)
    return None


def para_format(paragraph: Any, attr: str) -> Any:
    value = getattr(paragraph.paragraph_format, attr)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, attr)
        style = style.base_style
    return value


def default_font(document: Any) -> str:
    fonts = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    return fonts.get(f"{W}ascii")


def test_page_is_a4_with_party_margins(plan: Any) -> None:
    (section,) = plan.sections
    assert (section.page_width, section.page_height) == (mm(210) * 635, mm(297) * 635)
    assert section.top_margin == mm(20) * 635
    assert section.bottom_margin == mm(20) * 635
    assert section.left_margin == mm(30) * 635
    assert section.right_margin == mm(15) * 635
    assert abs(section.header_distance - Mm(10)) < Mm(0.1)


def test_font_is_times_new_roman(plan: Any) -> None:
    assert default_font(plan) == "Times New Roman"
    for paragraph in plan.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")


def test_header_table(plan: Any) -> None:
    header = plan.tables[0]
    texts = [[c.text for c in row.cells] for row in header.rows]
    assert texts == [
        ["ĐẢNG BỘ PHƯỜNG NGỌC HÀ\nCHI BỘ TỔ DÂN PHỐ SỐ 5\n*", "ĐẢNG CỘNG SẢN VIỆT NAM"],
        ["Số 01-KH/CB", "Ngọc Hà, ngày 05 tháng 01 năm 2026"],
    ]
    superior, issuer, star = header.cell(0, 0).paragraphs
    assert (effective(superior, "size"), effective(superior, "bold")) == (Pt(14), None)
    assert (effective(issuer, "size"), effective(issuer, "bold")) == (Pt(14), True)
    assert star.text == "*" and effective(star, "size") == Pt(14)
    (title,) = header.cell(0, 1).paragraphs
    assert (effective(title, "size"), effective(title, "bold")) == (Pt(15), True)
    (number,) = header.cell(1, 0).paragraphs
    assert re.fullmatch(r"Số \d{2,}-KH/CB", number.text)
    assert effective(number, "size") == Pt(14)
    (dateline,) = header.cell(1, 1).paragraphs
    assert effective(dateline, "italic") is True and effective(dateline, "size") == Pt(14)
    for cell in (header.cell(0, 0), header.cell(0, 1), header.cell(1, 0), header.cell(1, 1)):
        for p in cell.paragraphs:
            assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    # borderless, left column about 45 % of the text width (165 mm)
    widths = [int(g.get(f"{W}w")) for g in header._tbl.tblGrid.iter(f"{W}gridCol")]
    text_width = mm(210) - mm(30) - mm(15)
    assert widths[0] == round(text_width * 0.45) and sum(widths) == text_width
    borders = header._tbl.tblPr.find(f"{W}tblBorders")
    assert {b.get(f"{W}val") for b in borders} == {"nil"}


def test_party_title_rule_has_the_length_of_the_title(plan: Any) -> None:
    (title,) = plan.tables[0].cell(0, 1).paragraphs
    style = title.style.element
    assert style.find(f"{W}pPr/{W}pBdr/{W}bottom").get(f"{W}val") == "single"
    ind = style.find(f"{W}pPr/{W}ind")
    cell_width = int(plan.tables[0]._tbl.tblGrid.findall(f"{W}gridCol")[1].get(f"{W}w"))
    rule = cell_width - int(ind.get(f"{W}left")) - int(ind.get(f"{W}right"))  # no cell margins
    assert abs(rule - mm(73)) <= 2  # 72.9 mm measured width of the bold 15 pt title


def test_title_block(plan: Any) -> None:
    body = [p for p in plan.paragraphs if p.text.strip()]
    kind, summary, rule = body[0], body[1], body[2]
    assert kind.text == "KẾ HOẠCH"
    assert (effective(kind, "size"), effective(kind, "bold")) == (Pt(16), True)
    assert summary.text == "xây dựng “chi bộ bốn tốt” năm\u00a02026"  # year tied to «năm» (issue 18)
    assert (effective(summary, "size"), effective(summary, "bold")) == (Pt(14), True)
    assert rule.text == "-----"
    for p in (kind, summary, rule):
        assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_body_paragraphs(plan: Any) -> None:
    body = [p for p in plan.paragraphs if p.style.style_id == "NoiDung"]
    assert len(body) > 20
    for p in body:
        assert effective(p, "size") == Pt(14)
        assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert para_format(p, "first_line_indent") == mm(10) * 635
        assert para_format(p, "space_after") == Pt(6)
    headings = [p.text for p in plan.paragraphs if p.style.style_id == "DeMuc1"]
    assert headings == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG",
        "III. NHIỆM VỤ, GIẢI PHÁP",
        "IV. TỔ CHỨC THỰC HIỆN",
    ]


def test_headings_are_left_aligned_not_justified(plan: Any) -> None:
    """A wrapped upper-case heading must not be stretched: headings are left-aligned and
    keep the body's first-line indent, in the plan and in every built-in template."""
    headings = [p for p in plan.paragraphs if p.style.style_id in ("DeMuc1", "DeMuc2", "DeMuc3")]
    assert {p.style.style_id for p in headings} == {"DeMuc1", "DeMuc2", "DeMuc3"}
    for p in headings:
        assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.LEFT, p.text
        assert para_format(p, "first_line_indent") == mm(10) * 635, p.text
    for template in sorted(BUILTIN_DIR.glob("*.docx")):
        styles = docx.Document(str(template)).styles
        for style_id in ("DeMuc1", "DeMuc2", "DeMuc3"):
            style = next(s for s in styles if s.style_id == style_id)
            assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT, (template.name, style_id)


def test_signature_and_recipients(plan: Any) -> None:
    table = plan.tables[-1]
    left, right = table.rows[0].cells
    authority, title, name = right.paragraphs
    assert (authority.text, effective(authority, "bold")) == ("T/M CHI BỘ", True)
    assert (title.text, effective(title, "bold")) == ("BÍ THƯ", None)
    assert (name.text, effective(name, "bold")) == ("Đặng Quang Trung", True)
    assert para_format(name, "space_before") >= Pt(60)  # room to sign and seal
    heading, *items = left.paragraphs
    assert heading.text == "Nơi nhận:"
    assert heading.runs[0].text == "Nơi nhận" and heading.runs[0].font.underline is True
    assert effective(heading, "size") == Pt(14)
    assert [p.text for p in items] == [
        "- Đảng ủy phường (để báo cáo),",
        "- Các đồng chí đảng viên trong Chi bộ (để thực hiện),",
        "- Lưu Chi bộ.",
    ]
    for p in items:
        assert effective(p, "size") == Pt(12)
        assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.LEFT
    closing = [p for p in plan.paragraphs if p.text.startswith("Trên đây là")][0]
    assert para_format(closing, "keep_with_next") is True


def test_recipients_start_at_the_left_margin(plan: Any) -> None:
    """"Nơi nhận:" lines up with the body's left edge (no cell margin on its left, as in
    the header table), and the signature table stays inside the page margins."""
    table = plan.tables[-1]
    left, right = table.rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert cell_margin(table, left, "left") == 0
    assert cell_margin(table, left, "right") > 0  # a gutter before the signature column
    assert cell_margin(table, right, "left") == cell_margin(table, right, "right") == 0
    assert table._tbl.tblPr.find(f"{W}tblInd") is None
    widths = [int(g.get(f"{W}w")) for g in table._tbl.tblGrid.findall(f"{W}gridCol")]
    section = plan.sections[0]
    assert sum(widths) * 635 == section.page_width - section.left_margin - section.right_margin
    # the signature column is centred under the party title: same column, same margins
    header = plan.tables[0]
    assert widths == [int(g.get(f"{W}w")) for g in header._tbl.tblGrid.findall(f"{W}gridCol")]
    assert cell_margin(header, header.cell(0, 1), "left") == 0


def test_page_numbers_from_page_two(plan: Any) -> None:
    (section,) = plan.sections
    assert section.different_first_page_header_footer is True
    assert section.first_page_header.paragraphs[0].text == ""
    default = section.header
    instr = [i.text.strip() for i in default._element.iter(f"{W}instrText")]
    assert instr == ["PAGE"]
    (p,) = default.paragraphs
    assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert effective(p, "size") == Pt(14)


def test_signer_can_be_the_deputy(outputs: dict[str, Path]) -> None:
    document = docx.Document(str(outputs["co-quan-phuong"]))
    right = document.tables[-1].rows[0].cells[1]
    assert [p.text for p in right.paragraphs] == ["T/M CHI BỘ", "PHÓ BÍ THƯ", "Phạm Thị Oanh"]


@pytest.mark.parametrize("cell", SAMPLE_CELLS)
def test_word_opens_without_repair(outputs: dict[str, Path], cell: str) -> None:
    result = OpenXmlValidator().validate(str(outputs[cell]))
    assert result.is_valid, [str(e) for e in result.errors]


def test_builtin_templates_pass_the_validator() -> None:
    for template in BUILTIN_DIR.glob("*.docx"):
        result = OpenXmlValidator().validate(str(template))
        assert result.is_valid, (template.name, [str(e) for e in result.errors])


def test_templates_use_named_styles() -> None:
    document = docx.Document(str(BUILTIN_DIR / "ke-hoach.docx"))
    names = {s.name for s in document.styles}
    for name in ("Nội dung", "Tên loại văn bản", "Trích yếu", "Cơ quan ban hành", "Nơi nhận"):
        assert name in names
    unstyled = [p.text for p in document.paragraphs if p.style.name == "Normal" and p.text.strip()]
    assert all(t.startswith("{%p") for t in unstyled), unstyled
