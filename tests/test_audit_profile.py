"""docgen audit, issue 18 point 8: a print bundle is judged document by document, and the
three values of the format profile it did not check are checked: the rule under the
party title (present, as long as the title), the body's line spacing and its first-line
indent. Each planted fault is found alone, at its place, and `docgen audit` exits 1."""

from __future__ import annotations

import copy
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from docgen.audit import INDENT_TOLERANCE_MM, RULE_LENGTH_TOLERANCE_MM, Deviation, audit_bytes
from docgen.cli import cli
from docgen.docxread import first_words
from docgen.resources import profile
from tests.conftest import REPO, SAMPLE_CELLS
from tests.test_audit import DRAWN_LINE, VML_LINE, hand_made

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
DOC = "word/document.xml"
STYLES = "word/styles.xml"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
RULE_MM = profile().tieu_de.quoc_hieu.do_dai_gach_mm
BODY = profile().noi_dung


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's quarterly and yearly batches with their print bundles, made by the CLI
    on a copy of data/: {"quy": bundle, "nam": bundle, "bao-cao-quy": one cell's report}."""
    root = tmp_path_factory.mktemp("tap")
    ws = root / "data"
    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    runner = CliRunner()
    for period in (["--quy", "3"], []):
        result = runner.invoke(
            cli, ["batch", *period, "--nam", "2026", "--bundle", "-w", str(ws), "-o", str(root / "out"), "-j", "1"]
        )
        assert result.exit_code == 0, result.output
    year = root / "out" / "ngoc-ha" / "2026"
    return {
        "quy": year / "tap-van-ban-quy-3.docx",
        "nam": year / "tap-van-ban-nam.docx",
        "bao-cao-quy": root / "out" / "ngoc-ha" / SAMPLE_CELLS[0] / "2026" / "bao-cao-quy-3.docx",
    }


def edit_xml(data: bytes, part: str, change: Callable[[Any], None]) -> bytes:
    """``data`` with the XML of ``part`` changed in place by ``change(root)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == part:
                root = etree.fromstring(body)
                change(root)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, body)
    return out.getvalue()


def audit_cli(tmp_path: Path, data: bytes, name: str = "sai.docx") -> tuple[int, str]:
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["audit", str(path)])
    return result.exit_code, result.output


def text_of(p: Any) -> str:
    return re.sub(r"\s+", " ", "".join(t.text or "" for t in p.iter(f"{W}t"))).strip()


def body_paragraph(root: Any, starts: str, nth: int = 0) -> tuple[Any, str]:
    """The ``nth`` paragraph whose text starts with ``starts``, and its place as the audit
    names it: ``đoạn N «first words»`` (N counts every paragraph of the body, in tables too)."""
    found = [
        (index, p)
        for index, p in enumerate(root.iter(f"{W}p"), start=1)
        if text_of(p).startswith(starts)
    ]
    index, p = found[nth]
    return p, f"đoạn {index} «{first_words(text_of(p))}»"


def set_ppr(p: Any, xml: str) -> None:
    """Give paragraph ``p`` a direct property (``<w:spacing .../>``), after its style."""
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        ppr = etree.SubElement(p, f"{W}pPr")
        p.insert(0, ppr)
    element = etree.fromstring(f'<root xmlns:w="{W_NS}">{xml}</root>')[0]
    style = ppr.find(f"{W}pStyle")
    if style is not None:
        style.addnext(element)
    else:
        ppr.insert(0, element)


def style(root: Any, style_id: str) -> Any:
    return next(s for s in root.iter(f"{W}style") if s.get(f"{W}styleId") == style_id)


def only(found: list[Deviation]) -> Deviation:
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


# ------------------------------------------------------------------ the bundles pass


@pytest.mark.slow
@pytest.mark.parametrize("period", ["quy", "nam"])
def test_the_print_bundle_audits_clean(made: dict[str, Path], period: str) -> None:
    bundle = made[period]
    titles = sum(1 for p in etree.fromstring(zipfile.ZipFile(bundle).read(DOC)).iter(f"{W}p") if text_of(p) == "BÁO CÁO")
    assert titles == len(SAMPLE_CELLS) + 1  # four cells' reports and the ward's summary
    assert [d.format() for d in audit_bytes(bundle.read_bytes(), profile())] == []
    result = CliRunner().invoke(cli, ["audit", str(bundle)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("đúng thể thức.\n")


@pytest.mark.slow
def test_each_document_of_the_yearly_bundle_is_numbered_on_its_own(made: dict[str, Path]) -> None:
    """Each report's sections (its body, then its annex) and the summary's: every section
    restarts at 1; a document's first page has no number (titlePg), an annex's has."""
    root = etree.fromstring(zipfile.ZipFile(made["nam"]).read(DOC))
    sections = list(root.iter(f"{W}sectPr"))
    assert len(sections) == 2 * len(SAMPLE_CELLS) + 1
    assert [s.find(f"{W}pgNumType").get(f"{W}start") for s in sections] == ["1"] * len(sections)
    first_page_unnumbered = [s.find(f"{W}titlePg") is not None for s in sections]
    assert first_page_unnumbered == [True, False] * len(SAMPLE_CELLS) + [True]


@pytest.mark.slow
def test_a_bundle_with_one_part_broken_names_that_part(made: dict[str, Path], tmp_path: Path) -> None:
    third = "văn bản 3/5 (Số 03-BC/CB, CHI BỘ CƠ QUAN ỦY BAN NHÂN DÂN PHƯỜNG), "
    places: dict[str, str] = {}

    def break_part_3(root: Any) -> None:
        titles = [p for p in root.iter(f"{W}p") if text_of(p) == PARTY]
        set_ppr(titles[2], '<w:pBdr><w:bottom w:val="nil"/></w:pBdr>')  # the rule removed there only
        p, places["body"] = body_paragraph(root, "Trên đây là báo cáo", nth=2)
        set_ppr(p, '<w:spacing w:line="360" w:lineRule="auto"/>')
        places["title"] = body_paragraph(root, PARTY, nth=2)[1]

    broken = edit_xml(made["quy"].read_bytes(), DOC, break_part_3)
    found = audit_bytes(broken, profile())
    assert [d.rule for d in found] == ["tieu_de.quoc_hieu.do_dai_gach_mm", "noi_dung.gian_dong_pt"]
    # the title's place is in the third header table: "bảng T, hàng 1, ô 2, đoạn N «ĐẢNG ...»"
    title_index = places["title"].removeprefix("đoạn ").split(" ")[0]
    assert re.fullmatch(
        re.escape(third) + rf"bảng \d+, hàng 1, ô 2, đoạn {title_index} «{PARTY}»", found[0].where
    ), found[0].where
    assert found[1].where == third + places["body"]
    assert found[0].message.startswith(f"không có đường kẻ dưới dòng «{PARTY}»")
    assert found[1].message == f"giãn dòng gấp 1,5 (thể thức: đúng {BODY.gian_dong_pt:g} pt)"
    code, output = audit_cli(tmp_path, broken)
    assert code == 1
    assert output.count(third) == 2, output


# ------------------------------------------------------------------ planted faults


def rule_gone(root: Any) -> None:
    quoc_hieu = style(root, "QuocHieu")
    border = quoc_hieu.find(f"{W}pPr/{W}pBdr")
    border.getparent().remove(border)


def test_deleted_title_rule_is_found(made: dict[str, Path], tmp_path: Path) -> None:
    data = edit_xml(made["bao-cao-quy"].read_bytes(), STYLES, rule_gone)
    found = only(audit_bytes(data, profile()))
    assert found.rule == "tieu_de.quoc_hieu.do_dai_gach_mm"
    assert found.where == f"bảng 1, hàng 1, ô 2, đoạn 4 «{PARTY}»"
    assert found.element == "đường kẻ dưới tiêu đề Đảng"
    assert found.message == (
        f"không có đường kẻ dưới dòng «{PARTY}» (thể thức: đường kẻ dài {RULE_MM:g} mm, bằng dòng chữ)"
    )
    code, output = audit_cli(tmp_path, data)
    assert code == 1 and found.message in output


def test_title_rule_of_half_length_is_found(made: dict[str, Path], tmp_path: Path) -> None:
    data = made["bao-cao-quy"].read_bytes()
    cell = next(
        c for c in etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(DOC)).iter(f"{W}tc")
        if any(text_of(p) == PARTY for p in c.iter(f"{W}p"))
    )
    width = int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))  # the header table has no cell margins
    half = round(RULE_MM / 2 * 1440 / 25.4)
    side = (width - half) // 2

    def shorten(root: Any) -> None:
        ind = style(root, "QuocHieu").find(f"{W}pPr/{W}ind")
        ind.set(f"{W}left", str(side))
        ind.set(f"{W}right", str(side))

    data = edit_xml(data, STYLES, shorten)
    found = only(audit_bytes(data, profile()))
    shown = f"{(width - 2 * side) * 25.4 / 1440:.1f}".replace(".", ",")
    assert shown == "36,5"
    assert found.rule == "tieu_de.quoc_hieu.do_dai_gach_mm"
    assert found.where == f"bảng 1, hàng 1, ô 2, đoạn 4 «{PARTY}»"
    assert found.message == (
        f"đường kẻ dài {shown} mm (thể thức: {RULE_MM:g} mm, bằng dòng chữ; "
        f"lệch không quá {RULE_LENGTH_TOLERANCE_MM:g} mm)"
    )
    code, output = audit_cli(tmp_path, data)
    assert code == 1 and found.message in output


@pytest.mark.parametrize(
    "spacing,words",
    [
        ('<w:spacing w:line="360" w:lineRule="auto"/>', "giãn dòng gấp 1,5"),
        ('<w:spacing w:line="240" w:lineRule="auto"/>', "giãn dòng đơn"),
        ('<w:spacing w:line="380" w:lineRule="atLeast"/>', "giãn dòng tối thiểu 19 pt"),
        ('<w:spacing w:line="480"/>', "giãn dòng gấp 2"),  # no lineRule: "auto"
        ('<w:spacing w:line="440" w:lineRule="exact"/>', "giãn dòng đúng 22 pt"),
    ],
)
def test_body_line_spacing_is_found(made: dict[str, Path], tmp_path: Path, spacing: str, words: str) -> None:
    place: list[str] = []

    def plant(root: Any) -> None:
        p, where = body_paragraph(root, "Trên đây là báo cáo")
        set_ppr(p, spacing)
        place.append(where)

    data = edit_xml(made["bao-cao-quy"].read_bytes(), DOC, plant)
    found = only(audit_bytes(data, profile()))
    assert found.rule == "noi_dung.gian_dong_pt"
    assert found.where == place[0]
    assert found.element == "nội dung"
    assert found.message == f"{words} (thể thức: đúng {BODY.gian_dong_pt:g} pt)"
    code, output = audit_cli(tmp_path, data)
    assert code == 1 and f"{place[0]} (nội dung): {found.message}" in output


def test_body_line_spacing_resolved_through_the_styles(made: dict[str, Path]) -> None:
    """Every body paragraph in style NoiDung at 1.5 lines (the headings set their own
    spacing): one deviation, at the first, counting the others."""

    def plant(root: Any) -> None:
        spacing = style(root, "NoiDung").find(f"{W}pPr/{W}spacing")
        spacing.set(f"{W}line", "360")
        spacing.set(f"{W}lineRule", "auto")

    data = made["bao-cao-quy"].read_bytes()
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(DOC))
    in_style = [
        (index, p)
        for index, p in enumerate(root.iter(f"{W}p"), start=1)
        if text_of(p) and p.find(f"{W}pPr/{W}pStyle[@{W}val='NoiDung']") is not None
        and next(p.iterancestors(f"{W}tbl"), None) is None
    ]
    index, first = in_style[0]
    found = only(audit_bytes(edit_xml(data, STYLES, plant), profile()))
    assert found.rule == "noi_dung.gian_dong_pt"
    assert found.where == f"đoạn {index} «{first_words(text_of(first))}» và {len(in_style) - 1} đoạn khác"
    assert found.message.startswith("giãn dòng gấp 1,5 ")


@pytest.mark.parametrize(
    "indent,words",
    [
        ('<w:ind w:firstLine="0"/>', "thụt đầu dòng 0 mm (thể thức: 10 mm)"),
        ('<w:ind w:firstLine="720"/>', "thụt đầu dòng 12,7 mm (thể thức: 10 mm)"),
        ('<w:ind w:left="567" w:hanging="567"/>', "thụt treo 10 mm (thể thức: thụt đầu dòng 10 mm)"),
    ],
)
def test_body_first_line_indent_is_found(made: dict[str, Path], tmp_path: Path, indent: str, words: str) -> None:
    place: list[str] = []

    def plant(root: Any) -> None:
        p, where = body_paragraph(root, "Trên đây là báo cáo")
        set_ppr(p, indent)
        place.append(where)

    data = edit_xml(made["bao-cao-quy"].read_bytes(), DOC, plant)
    found = only(audit_bytes(data, profile()))
    assert found.rule == "noi_dung.thut_dau_dong_mm"
    assert found.where == place[0]
    assert found.message == words
    code, output = audit_cli(tmp_path, data)
    assert code == 1 and f"{place[0]} (nội dung): {words}" in output


def test_indent_within_tolerance_and_exempt_paragraphs_pass(made: dict[str, Path]) -> None:
    """1 cm typed in Word's cm box is 567 twips (10.0 mm) and passes, so does a little
    less than the tolerance; a dash item, a centred line and a Word list item may have
    no first-line indent; none may leave the body's line spacing except centred lines."""
    near = round((BODY.thut_dau_dong_mm - INDENT_TOLERANCE_MM * 0.8) * 1440 / 25.4)

    def plant(root: Any) -> None:
        set_ppr(body_paragraph(root, "Trên đây là báo cáo")[0], f'<w:ind w:firstLine="{near}"/>')
        set_ppr(body_paragraph(root, "- ")[0], '<w:ind w:firstLine="0"/>')
        set_ppr(body_paragraph(root, "I. TÌNH HÌNH CHUNG")[0], '<w:jc w:val="center"/>')
        centred = body_paragraph(root, "I. TÌNH HÌNH CHUNG")[0]
        set_ppr(centred, '<w:spacing w:line="240" w:lineRule="auto"/>')
        set_ppr(centred, '<w:ind w:firstLine="0"/>')
        listed = body_paragraph(root, "II. KẾT QUẢ")[0]
        set_ppr(listed, '<w:ind w:left="0" w:firstLine="0"/>')
        set_ppr(listed, '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')

    data = edit_xml(made["bao-cao-quy"].read_bytes(), DOC, plant)
    assert [d.format() for d in audit_bytes(data, profile())] == []


# ------------------------------------------------------------------ hand-made documents


def test_hand_made_rule_drawn_or_bordered_is_accepted(tmp_path: Path) -> None:
    """The usual ways to make the rule in Word: a drawn line (hand_made's default), a
    Word 2003 VML line, a bottom border of the title between indents."""
    from docx.shared import Mm

    assert audit_bytes(hand_made(tmp_path).read_bytes(), profile()) == []
    assert audit_bytes(hand_made(tmp_path, rule_xml=VML_LINE).read_bytes(), profile()) == []
    path = hand_made(tmp_path, rule_mm=None)
    import docx

    d = docx.Document(str(path))
    title = d.tables[0].cell(0, 1).paragraphs[0]
    ppr = title._p.get_or_add_pPr()
    ppr.append(etree.fromstring(f'<w:pBdr xmlns:w="{W_NS}"><w:bottom w:val="single" w:sz="6" w:space="1"/></w:pBdr>'))
    # python-docx's table: two columns of 82.5 mm, Word's 0.19 cm cell margins
    side = (82.5 - 2 * 108 * 25.4 / 1440 - RULE_MM) / 2
    title.paragraph_format.left_indent = title.paragraph_format.right_indent = Mm(side)
    d.save(str(path))
    assert [x.format() for x in audit_bytes(path.read_bytes(), profile())] == []
    title.paragraph_format.left_indent = title.paragraph_format.right_indent = None
    d.save(str(path))
    found = only(audit_bytes(path.read_bytes(), profile()))
    assert found.message.startswith("đường kẻ dài 78,7 mm (thể thức: 73 mm"), found.message  # the whole cell


@pytest.mark.parametrize("xml", [DRAWN_LINE, VML_LINE], ids=["drawing", "vml"])
def test_hand_made_rule_missing_or_short_is_found(tmp_path: Path, xml: str) -> None:
    found = only(audit_bytes(hand_made(tmp_path, rule_mm=None, rule_xml=xml).read_bytes(), profile()))
    assert found.rule == "tieu_de.quoc_hieu.do_dai_gach_mm"
    assert found.where == f"bảng 1, hàng 1, ô 2, đoạn 4 «{PARTY}»"
    assert found.message.startswith("không có đường kẻ")
    found = only(audit_bytes(hand_made(tmp_path, rule_mm=36.5, rule_xml=xml).read_bytes(), profile()))
    assert found.message.startswith("đường kẻ dài 36,5 mm (thể thức: 73 mm")
    for within in (RULE_MM - RULE_LENGTH_TOLERANCE_MM + 0.5, RULE_MM + RULE_LENGTH_TOLERANCE_MM - 0.5):
        assert audit_bytes(hand_made(tmp_path, rule_mm=within, rule_xml=xml).read_bytes(), profile()) == []
    beyond = RULE_MM + RULE_LENGTH_TOLERANCE_MM + 1
    found = only(audit_bytes(hand_made(tmp_path, rule_mm=beyond, rule_xml=xml).read_bytes(), profile()))
    assert found.message.startswith(f"đường kẻ dài {beyond:g} mm")


def test_the_fallback_copy_of_a_drawing_is_not_counted(tmp_path: Path) -> None:
    """Word keeps a VML copy of a drawing for old readers; a half-length drawing whose
    copy has the right length is still half-length."""
    end = 14.2 + RULE_MM * 72 / 25.4
    xml = DRAWN_LINE.replace('to="40pt,18.1pt"', f'to="{end:.2f}pt,18.1pt"')
    found = only(audit_bytes(hand_made(tmp_path, rule_mm=36.5, rule_xml=xml).read_bytes(), profile()))
    assert found.message.startswith("đường kẻ dài 36,5 mm")


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda p: setattr(p.paragraph_format, "line_spacing", 1.5), "giãn dòng gấp 1,5 (thể thức: đúng 19 pt)"),
        (lambda p: setattr(p.paragraph_format, "line_spacing", 1.0), "giãn dòng đơn (thể thức: đúng 19 pt)"),
        # none set: python-docx's document defaults (Word 2010's "Normal"), 1.15 lines
        (lambda p: setattr(p.paragraph_format, "line_spacing", None), "giãn dòng gấp 1,15 (thể thức: đúng 19 pt)"),
        (lambda p: setattr(p.paragraph_format, "first_line_indent", None), "thụt đầu dòng 0 mm (thể thức: 10 mm)"),
    ],
    ids=["one-and-a-half", "single", "document-default", "no-indent"],
)
def test_hand_made_body_faults_are_found(tmp_path: Path, change: Callable[[Any], None], message: str) -> None:
    found = only(audit_bytes(hand_made(tmp_path, body=change).read_bytes(), profile()))
    assert found.where == "đoạn 10 «Chi bộ xây dựng Kế hoạch như sau.»"
    assert found.message == message


def test_documents_joined_by_a_page_break_are_judged_one_by_one(tmp_path: Path) -> None:
    """Two documents typed one after the other, the second after a page break: both pass,
    and a fault in the second is placed in it."""
    data = hand_made(tmp_path).read_bytes()

    def twice(root: Any, fault: bool) -> None:
        body = root.find(f"{W}body")
        blocks = [c for c in body if c.tag != f"{W}sectPr"]
        page_break = etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:r><w:br w:type="page"/></w:r></w:p>')
        body.find(f"{W}sectPr").addprevious(page_break)
        for block in blocks:
            copied = copy.deepcopy(block)
            body.find(f"{W}sectPr").addprevious(copied)
        if fault:
            second = [p for p in body.iter(f"{W}p") if text_of(p) == "Chi bộ xây dựng Kế hoạch như sau."][1]
            second.find(f"{W}pPr/{W}ind").set(f"{W}firstLine", "0")

    clean = edit_xml(data, DOC, lambda root: twice(root, False))
    assert [d.format() for d in audit_bytes(clean, profile())] == []
    faulty = edit_xml(data, DOC, lambda root: twice(root, True))
    found = only(audit_bytes(faulty, profile()))
    assert found.where == "văn bản 2/2 (Số 05-KH/CB, CHI BỘ TỔ DÂN PHỐ SỐ 5), đoạn 27 «Chi bộ xây dựng Kế hoạch như sau.»"
    assert found.message == "thụt đầu dòng 0 mm (thể thức: 10 mm)"


def test_a_single_document_is_not_named_as_a_part(made: dict[str, Path]) -> None:
    data = edit_xml(made["bao-cao-quy"].read_bytes(), STYLES, rule_gone)
    assert not only(audit_bytes(data, profile())).where.startswith("văn bản")


def test_templates_stay_clean_and_a_template_fault_is_found(tmp_path: Path) -> None:
    """`docgen templates check` runs the audit in template mode: the built-in templates
    pass it, a template whose body paragraphs are at 1.5 lines does not."""
    from docgen.lint import check_template
    from docgen.templates import BUILTIN_DIR

    for template in sorted(BUILTIN_DIR.glob("*.docx")):
        assert [f.format() for f in check_template(template)] == [], template

    def plant(root: Any) -> None:
        spacing = style(root, "NoiDung").find(f"{W}pPr/{W}spacing")
        spacing.set(f"{W}line", "360")
        spacing.set(f"{W}lineRule", "auto")

    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(edit_xml((BUILTIN_DIR / "ke-hoach.docx").read_bytes(), STYLES, plant))
    found = [f.format() for f in check_template(path, "ke-hoach.docx")]
    assert any("giãn dòng gấp 1,5 (thể thức: đúng 19 pt)" in line for line in found), found
