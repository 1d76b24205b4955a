"""docgen audit: every sample output passes; each planted deviation is caught, alone,
at the place a person finds it; a hand-made document is read without our styles."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from docgen.audit import audit_bytes, audit_file
from docgen.pipeline import render_documents
from docgen.resources import profile
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE, SAMPLE_CELLS
from tests.wordedit import edit_part, replace


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("mau-ra")
    ws = load_workspace(SAMPLE)
    from docgen.documents import KIND_NAMES, get_kind

    yearly = [k for k in KIND_NAMES if not get_kind(k).needs_quarter]
    quarterly = [k for k in KIND_NAMES if get_kind(k).needs_quarter]
    written = render_documents(ws, yearly, year=2026, output_root=out).written
    written += render_documents(ws, quarterly, year=2026, quarter=2, output_root=out).written
    assert {p.stem.split("-quy")[0] for p in written} >= {"ke-hoach", "phan-cong", "bao-cao-nam"}
    return written


@pytest.mark.slow
def test_every_sample_output_passes(outputs: list[Path]) -> None:
    # every kind: 4 cell kinds for each cell plus the ward summaries
    assert len(outputs) >= 4 * len(SAMPLE_CELLS) + 2
    for path in outputs:
        assert [d.format() for d in audit_file(path)] == [], path


@pytest.fixture(scope="module")
def plan(outputs: list[Path]) -> bytes:
    return next(p for p in outputs if p.name == "ke-hoach.docx").read_bytes()


def in_style(style_id: str, old: str, new: str) -> Callable[[str], str]:
    """Replace ``old`` inside one style definition of styles.xml."""

    def change(text: str) -> str:
        pattern = rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>'
        match = re.search(pattern, text)
        assert match and old in match.group(0), (style_id, old)
        return text[: match.start()] + match.group(0).replace(old, new, 1) + text[match.end() :]

    return change


DOC = "word/document.xml"
STYLES = "word/styles.xml"

# (name, part, edit, expected (rule, where, message fragment) of the one deviation)
PLANTED = [
    ("left-margin", DOC, replace('w:left="1701"', 'w:left="1417"'),
     ("trang.le_trai_mm", "trang", "lề trái 25 mm (thể thức: 30 mm)")),
    ("letter-paper", DOC, replace('w:w="11906" w:h="16838"', 'w:w="12240" w:h="15840"'),
     ("trang.rong_mm", "trang", "khổ 215,9 × 279,4 mm")),
    ("arial", STYLES, replace('w:ascii="Times New Roman" w:eastAsia="Times New Roman" '
                              'w:hAnsi="Times New Roman"', 'w:ascii="Arial" w:eastAsia="Arial" w:hAnsi="Arial"'),
     ("phong_chu", "bảng 1, hàng 1, ô 1, đoạn 1 «ĐẢNG BỘ PHƯỜNG NGỌC HÀ» và ", "phông Arial (thể thức: Times New Roman)")),
    ("number-colon", DOC, replace("Số 01-KH/CB", "Số: 01-KH/CB"),
     ("tieu_de.so_ky_hieu", "bảng 1, hàng 2, ô 1, đoạn 5 «Số: 01-KH/CB»", "có dấu hai chấm sau «Số»")),
    ("number-padding", DOC, replace("Số 01-KH/CB", "Số 1-KH/CB"),
     ("tieu_de.so_ky_hieu", "bảng 1, hàng 2, ô 1, đoạn 5 «Số 1-KH/CB»", "số thứ tự «1» (thể thức: «Số 01-KH/CB»")),
    ("number-pattern", DOC, replace("Số 01-KH/CB", "Số 01/KH-CB"),
     ("tieu_de.so_ky_hieu", "bảng 1, hàng 2, ô 1, đoạn 5 «Số 01/KH-CB»", "«01/KH-CB» không theo mẫu «Số NN-XX/YY»")),
    ("date-padding", DOC, replace("ngày 05 tháng 01 năm 2026", "ngày 5 tháng 1 năm 2026"),
     ("tieu_de.dia_danh_ngay", "bảng 1, hàng 2, ô 2, đoạn 6 «Ngọc Hà, ngày 5 tháng 1 năm 2026»",
      "(thể thức: «Ngọc Hà, ngày 05 tháng 01 năm 2026»")),
    ("date-upright", STYLES, in_style("DiaDanhNgay", "<w:i/><w:iCs/>", ""),
     ("tieu_de.dia_danh_ngay", "bảng 1, hàng 2, ô 2, đoạn 6", "chữ đứng (thể thức: chữ nghiêng)")),
    ("issuer-not-bold", STYLES, in_style("CoQuanBanHanh", "<w:b/><w:bCs/>", ""),
     ("tieu_de.co_quan_ban_hanh", "bảng 1, hàng 1, ô 1, đoạn 2 «CHI BỘ TỔ DÂN PHỐ SỐ 5»",
      "chưa in đậm (thể thức: in đậm)")),
    ("no-star", DOC, replace('<w:t xml:space="preserve">*</w:t>', '<w:t xml:space="preserve"></w:t>'),
     ("tieu_de.dau_sao", "bảng tiêu đề, hàng 1", "không có dòng «*»")),
    ("title-lower-case", DOC, replace(">KẾ HOẠCH<", ">Kế hoạch<"),
     ("ten_loai", "đoạn 7 «Kế hoạch»", "chưa in hoa (thể thức: in hoa)")),
    ("title-14pt", STYLES, in_style("TenLoai", '<w:sz w:val="32"/>', '<w:sz w:val="28"/>'),
     ("ten_loai", "đoạn 7 «KẾ HOẠCH»", "cỡ chữ 14 pt (thể thức: 16 pt)")),
    ("title-code-mismatch", DOC, replace(">KẾ HOẠCH<", ">THÔNG BÁO<"),
     ("loai_van_ban", "đoạn 7 «THÔNG BÁO»", "số, ký hiệu ghi «KH» nhưng tên loại là THÔNG BÁO")),
    ("no-rule-line", DOC, replace('<w:t xml:space="preserve">-----</w:t>', '<w:t xml:space="preserve"></w:t>'),
     ("gach_trich_yeu", "đoạn 8 «xây dựng “chi bộ bốn tốt” năm 2026»", "không có dòng «-----»")),
    ("body-13pt", STYLES, in_style("NoiDung", '<w:sz w:val="28"/>', '<w:sz w:val="26"/>'),
     ("noi_dung.co_chu", "đoạn 10 «- Căn cứ Nghị quyết số 21-NQ/TW ngày» và 43 đoạn khác",
      "cỡ chữ 13 pt (thể thức: 14 pt)")),
    ("tm-dot", DOC, replace(">T/M CHI BỘ<", ">TM. CHI BỘ<"),
     ("chu_ky.cach_ky", "«TM. CHI BỘ»", "«TM. CHI» (thể thức: viết T/M, K/T, T/L")),
    ("signer-title-bold", STYLES, in_style("ChucVuKy", "<w:rPr>", "<w:rPr><w:b/>"),
     ("chu_ky.chuc_vu", "«BÍ THƯ»", "in đậm (thể thức: không in đậm)")),
    ("recipients-not-underlined", DOC, replace('<w:u w:val="single"/>', ""),
     ("noi_nhan.tieu_de", "«Nơi nhận:»", "chưa gạch chân (thể thức: gạch chân)")),
    ("recipients-nd30-style", STYLES, in_style("NoiNhan", '<w:sz w:val="28"/><w:szCs w:val="28"/>',
                                               '<w:b/><w:i/><w:sz w:val="24"/><w:szCs w:val="28"/>'),
     ("noi_nhan.tieu_de", "«Nơi nhận:»",
      "cỡ chữ 12 pt (thể thức: 14 pt); in đậm (thể thức: không in đậm); chữ nghiêng (thể thức: chữ đứng)")),
    ("recipient-items-14pt", STYLES, in_style("NoiNhanMuc", '<w:sz w:val="24"/>', '<w:sz w:val="28"/>'),
     ("noi_nhan.muc", "đoạn 73 «- Đảng ủy phường (để báo cáo),» và 2 đoạn khác",
      "cỡ chữ 14 pt (thể thức: 12 pt)")),
    ("archive-line", DOC, replace(">- Lưu Chi bộ.<", ">- Lưu: VT<"),
     ("noi_nhan.luu", "«- Lưu: VT»", "dòng cuối «- Lưu: VT»")),
    ("page-number-on-page-1", DOC, replace("<w:titlePg/>", ""),
     ("so_trang.tu_trang", "đầu trang", "trang 1 có số trang (thể thức: đánh số từ trang 2")),
    ("no-page-number", "word/header1.xml", replace(" PAGE ", " DATE "),
     ("so_trang", "đầu trang", "không có số trang")),
]
# A cheap guard that a new entry is not a duplicate of an old one.
assert len({name for name, *_ in PLANTED}) == len(PLANTED)


@pytest.mark.parametrize("name,part,change,expected", PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_deviation_is_caught_alone(
    plan: bytes, name: str, part: str, change: Callable[[str], str], expected: tuple[str, str, str]
) -> None:
    found = audit_bytes(edit_part(plan, part, change), profile())
    assert len(found) == 1, [d.format() for d in found]
    rule, where, fragment = expected
    (deviation,) = found
    assert deviation.rule == rule
    assert where in deviation.where, deviation.where
    assert fragment in deviation.message, deviation.message


# A line drawn with Insert > Shapes > Line under the party title, as Word saves it: the
# drawing, and beside it (mc:Fallback) a VML copy for older readers, here deliberately
# of another length, which must not be counted.
DRAWN_LINE = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
    'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>180000</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>230000</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{emu}" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="1" name="Straight Connector 1"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu}" cy="0"/></a:xfrm>'
    '<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="9525"><a:solidFill>'
    '<a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp>'
    '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:line from="14.2pt,18.1pt" to="40pt,18.1pt" strokeweight=".75pt"/>'
    '</w:pict></mc:Fallback></mc:AlternateContent></w:r>'
)
# The same as Word 2003 wrote it: a VML line only.
VML_LINE = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:line style="position:absolute;z-index:1" from="14.2pt,18.1pt" to="{end}pt,18.1pt"/>'
    "</w:pict></w:r>"
)


def hand_made(
    tmp_path: Path,
    *,
    font: str = "Times New Roman",
    left_mm: float = 30,
    number: str = "Số 05-KH/CB",
    date_text: str = "Ngọc Hà, ngày 05 tháng 01 năm 2026",
    page_number: bool = True,
    rule_mm: float | None = 73,
    rule_xml: str = DRAWN_LINE,
    body: Callable[[Any], None] | None = None,
) -> Path:
    """A document typed by hand in Word (built with python-docx; none of our style names).

    ``rule_mm``: the line drawn under the party title (``rule_xml``: DRAWN_LINE or
    VML_LINE), None for none; ``body``: called with the body paragraph to change it.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement
    from docx.shared import Mm, Pt

    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(left_mm), Mm(15)
    section.header_distance = Mm(10)
    normal = d.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(14)
    centre = WD_ALIGN_PARAGRAPH.CENTER

    def line(cell_or_doc, text: str, *, bold: bool = False, italic: bool = False,
             underline: bool = False, size: float | None = None, first: bool = False):
        p = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
        p.alignment = centre
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        return p

    head = d.add_table(rows=2, cols=2)
    line(head.cell(0, 0), "ĐẢNG BỘ PHƯỜNG NGỌC HÀ", first=True)
    line(head.cell(0, 0), "CHI BỘ TỔ DÂN PHỐ SỐ 5", bold=True)
    line(head.cell(0, 0), "*")
    party = line(head.cell(0, 1), "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=15, first=True)
    if rule_mm is not None:
        end = 14.2 + rule_mm * 72 / 25.4  # VML_LINE starts at 14.2 pt
        drawn = rule_xml.replace("{emu}", str(round(rule_mm * 36000))).replace("{end}", f"{end:.2f}")
        party._p.append(etree.fromstring(drawn))
    line(head.cell(1, 0), number, first=True)
    line(head.cell(1, 1), date_text, italic=True, first=True)
    line(d, "KẾ HOẠCH", bold=True, size=16)
    line(d, "xây dựng “chi bộ bốn tốt” năm 2026", bold=True)
    line(d, "-----")
    text = d.add_paragraph("Chi bộ xây dựng Kế hoạch như sau.")
    text.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    text.paragraph_format.first_line_indent = Mm(10)
    text.paragraph_format.line_spacing = Pt(19)  # python-docx: "Exactly"
    if body is not None:
        body(text)
    sign = d.add_table(rows=1, cols=2)
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    heading = left.paragraphs[0]
    heading.add_run("Nơi nhận").underline = True
    heading.add_run(":")
    for text in ("- Đảng ủy phường (để báo cáo),", "- Lưu Chi bộ."):
        left.add_paragraph().add_run(text).font.size = Pt(12)
    line(right, "T/M CHI BỘ", bold=True, first=True)
    line(right, "BÍ THƯ")
    line(right, "Đặng Quang Trung", bold=True)
    if page_number:
        section.different_first_page_header_footer = True
        p = section.header.paragraphs[0]
        p.alignment = centre
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        p._p.append(field)
        run = p.add_run("2")
        field.append(run._r)
    path = tmp_path / "tu-go.docx"
    d.save(str(path))
    return path


def test_hand_made_document_in_the_right_layout_passes(tmp_path: Path) -> None:
    assert [d.format() for d in audit_file(hand_made(tmp_path))] == []


def test_hand_made_bad_document_reports_each_deviation(tmp_path: Path) -> None:
    path = hand_made(
        tmp_path,
        font="Arial",
        left_mm=25,
        number="Số: 5/KH-CB",
        date_text="Ngọc Hà, ngày 5 tháng 1 năm 2026",
        page_number=False,
    )
    lines = [d.format() for d in audit_file(path)]
    assert lines == [
        "trang (lề): lề trái 25 mm (thể thức: 30 mm)",
        "đầu trang (số trang): không có số trang (thể thức: số trang ở giữa, phía trên đầu trang)",
        "bảng 1, hàng 1, ô 1, đoạn 1 «ĐẢNG BỘ PHƯỜNG NGỌC HÀ» và 15 đoạn khác (phông chữ): "
        "phông Arial (thể thức: Times New Roman)",
        "bảng 1, hàng 2, ô 1, đoạn 5 «Số: 5/KH-CB» (số và ký hiệu): có dấu hai chấm sau «Số» "
        "(thể thức: «Số 05-KH/CB», không có dấu hai chấm); «5/KH-CB» không theo mẫu «Số NN-XX/YY»: "
        "số thứ tự, gạch nối, tên loại viết tắt, gạch chéo, cơ quan ban hành (ví dụ «Số 05-KH/CB»)",
        "bảng 1, hàng 2, ô 2, đoạn 6 «Ngọc Hà, ngày 5 tháng 1 năm 2026» (địa danh, ngày tháng): "
        "viết «Ngọc Hà, ngày 5 tháng 1 năm 2026» (thể thức: «Ngọc Hà, ngày 05 tháng 01 năm 2026»: "
        "ngày dưới 10 thêm số 0, tháng 1 và 2 viết 01, 02, dấu phẩy sau địa danh)",
    ]


def test_theme_fonts_are_resolved(tmp_path: Path) -> None:
    # python-docx's stock document takes its font from the theme (minorHAnsi = Cambria there)
    import docx

    d = docx.Document()
    d.add_paragraph("Văn bản gõ tay")
    path = tmp_path / "goc.docx"
    d.save(str(path))
    fonts = [x for x in audit_file(path) if x.rule == "phong_chu"]
    assert [x.message for x in fonts] == ["phông Cambria (thể thức: Times New Roman)"]


def test_a_draft_passes_with_its_number_blank(tmp_path: Path) -> None:
    """A draft ("DỰ THẢO" in its header) leaves the number to be written when issued; a
    document without the mark must have one."""
    written = render_documents(load_workspace(SAMPLE), "ke-hoach", year=2026, output_root=tmp_path, draft=True).written
    assert written
    for path in written:
        assert [d.format() for d in audit_file(path)] == [], path
    data = written[0].read_bytes()
    unmarked = edit_part(data, "word/header2.xml", replace("DỰ THẢO", "BẢN SAO"))
    assert [d.rule for d in audit_bytes(unmarked, profile())] == ["tieu_de.so_ky_hieu"]


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "ghi-chu.docx"
    path.write_text("không phải docx")
    assert [d.format() for d in audit_file(path)] == ["không phải tệp .docx đọc được"]


def test_an_old_word_file_is_named_and_not_counted_as_layout(
    runner, outputs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    Path("cu.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    hand_made(tmp_path, left_mm=25)
    result = runner.invoke(cli, ["audit", "cu.docx", "tu-go.docx"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "cu.docx: tệp Word 97-2003 (.doc), không phải .docx; mở bằng Word rồi Lưu thành (Save As) Word "
        "Document (.docx)",
        "tu-go.docx: trang (lề): lề trái 25 mm (thể thức: 30 mm)",
        "Có 1 chỗ sai thể thức trong 1/2 tệp; 1/2 tệp không đọc được.",
    ]


def test_cli_audit_passes_outputs_and_fails_a_bad_file(
    runner, outputs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    folder = outputs[0].parents[2]  # output/ngoc-ha
    result = runner.invoke(cli, ["audit", str(folder)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == f"{len(outputs)} tệp đúng thể thức."
    hand_made(tmp_path, left_mm=25)
    result = runner.invoke(cli, ["audit", "tu-go.docx", str(outputs[0])])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tu-go.docx: trang (lề): lề trái 25 mm (thể thức: 30 mm)",
        f"{outputs[0]}: đúng thể thức.",
        "Có 1 chỗ sai thể thức trong 1/2 tệp.",
    ]


def test_cli_audit_missing_file_is_misuse(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["audit", "khong-co.docx"])
    assert result.exit_code == 2
    assert result.stderr == "Lỗi: không tìm thấy tệp khong-co.docx\n"


def test_document_without_tables_still_finds_its_parts(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for text in ["ĐẢNG BỘ PHƯỜNG NGỌC HÀ", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 03-BC/CB", "BÁO CÁO",
                 "kết quả quý I năm 2026", "-----", "Nội dung.", "TM. CHI BỘ", "BÍ THƯ", "Nguyễn Văn A"]:
        d.add_paragraph(text)
    path = tmp_path / "khong-bang.docx"
    d.save(str(path))
    found = {(x.rule, x.where) for x in audit_file(path)}
    assert ("tieu_de", "đầu văn bản") in found
    assert ("ten_loai", "đoạn 4 «BÁO CÁO»") in found  # not taken for the first line
    assert ("trich_yeu", "đoạn 5 «kết quả quý I năm 2026»") in found
    assert ("chu_ky", "đoạn 8 «TM. CHI BỘ»") in found  # not in a table
    assert ("chu_ky.cach_ky", "đoạn 8 «TM. CHI BỘ»") in found
    assert not any(rule == "gach_trich_yeu" for rule, _ in found)
