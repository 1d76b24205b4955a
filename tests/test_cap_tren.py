"""``cap_tren`` as one line or a list of lines: three-level headers (issue 17, point 5).

The ward's ``dang_bo.cap_tren`` heads the ward's documents; a cell's own ``chi_bo.cap_tren``
(a cell under a sub-committee) heads the cell's, else the ward's name does. Each line is its
own header paragraph in the superior body's style, the issuer line unchanged under them;
``docgen audit`` judges each line; a template that prints ``{{ co_quan_cap_tren }}`` shows
the lines with line breaks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from docgen.audit import audit_bytes, audit_file
from docgen.documents import KIND_NAMES, get_kind
from docgen.errors import InputError
from docgen.models.org import MAX_CAP_TREN
from docgen.pipeline import render_documents
from docgen.resources import profile
from docgen.workspace import load_workspace
from tests.conftest import edit_yaml
from tests.wordedit import edit_part, replace

PROFILE = profile()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CELL = "to-dan-pho-5"
CELL_FILE = f"chi-bo/{CELL}/chi-bo.yaml"
WARD_LINE = "  cap_tren: Đảng bộ thành phố Hà Nội        # cấp trên trực tiếp (từ 7/2025 không còn cấp quận)"
CELL_CHAIN = ["Đảng bộ quận Ba Đình", "Đảng bộ phường Ngọc Hà", "Đảng bộ bộ phận Khu 2"]
WARD_CHAIN = ["Đảng bộ thành phố Hà Nội", "Đảng bộ khối các cơ quan", "Đảng bộ cụm Ba Đình"]


def yaml_list(lines: list[str], indent: str = "    ") -> str:
    return "".join(f"\n{indent}- {line}" for line in lines)


def set_cell_superiors(ws: Path, value: str) -> None:
    edit_yaml(ws / CELL_FILE, "chi_bo:\n", f"chi_bo:\n  cap_tren:{value}\n")


def set_ward_superiors(ws: Path, value: str) -> None:
    edit_yaml(ws / "dang-bo.yaml", WARD_LINE, f"  cap_tren:{value}")


def header_names(path: Path) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs of the header's first cell, in order."""
    with __import__("zipfile").ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    cell = root.find(f".//{W}tbl/{W}tr/{W}tc")
    assert cell is not None
    out = []
    for para in cell.iter(f"{W}p"):
        style = para.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(f"{W}val") if style is not None else "", "".join(para.itertext())))
    return out


def render(ws: Path, out: Path, kinds: list[str], quarter: int | None = None) -> list[Path]:
    return render_documents(
        load_workspace(ws), kinds, year=2026, quarter=quarter, cells=[CELL], output_root=out
    ).written


def one(written: list[Path], name: str) -> Path:
    return next(p for p in written if p.name == name)


def expected(lines: list[str], issuer: str) -> list[tuple[str, str]]:
    return [("CoQuanCapTren", line.upper()) for line in lines] + [
        ("CoQuanBanHanh", issuer),
        ("DauSao", "*"),
    ]


# ---------------------------------------------------------------- one line: as before


def test_one_line_is_one_superior_paragraph(sample_ws: Path, tmp_path: Path) -> None:
    written = render(sample_ws, tmp_path / "out", ["ke-hoach", "tong-hop-nam"])
    plan = one(written, "ke-hoach.docx")
    summary = one(written, "tong-hop-nam.docx")
    assert header_names(plan) == expected(["Đảng bộ phường Ngọc Hà"], "CHI BỘ TỔ DÂN PHỐ SỐ 5")
    assert header_names(summary) == expected(["Đảng bộ thành phố Hà Nội"], "ĐẢNG ỦY PHƯỜNG NGỌC HÀ")
    assert audit_file(plan) == [] and audit_file(summary) == []


def test_one_line_written_as_a_list_of_one_is_the_same(sample_ws: Path, tmp_path: Path) -> None:
    set_ward_superiors(sample_ws, yaml_list(["Đảng bộ thành phố Hà Nội"]))
    summary = one(render(sample_ws, tmp_path / "out", ["tong-hop-nam"]), "tong-hop-nam.docx")
    assert header_names(summary) == expected(["Đảng bộ thành phố Hà Nội"], "ĐẢNG ỦY PHƯỜNG NGỌC HÀ")


# ---------------------------------------------------------------- three lines


@pytest.fixture
def three(sample_ws: Path, tmp_path: Path) -> list[Path]:
    """The cell's and the ward's documents with three superior lines each."""
    set_cell_superiors(sample_ws, yaml_list(CELL_CHAIN))
    set_ward_superiors(sample_ws, yaml_list(WARD_CHAIN))
    out = tmp_path / "out"
    written = render(sample_ws, out, [k for k in KIND_NAMES if not get_kind(k).needs_quarter])
    written += render(sample_ws, out, [k for k in KIND_NAMES if get_kind(k).needs_quarter], quarter=3)
    return written


def test_three_lines_are_three_paragraphs_in_order_on_every_kind(three: list[Path]) -> None:
    cell = [p for p in three if p.parent.parent.name == CELL]
    ward = [p for p in three if p not in cell]
    # every kind made a document (plans, assignments, reports, minutes; the ward's summaries
    # and plan), each where its issuer's documents go
    for kind in KIND_NAMES:
        where = ward if get_kind(kind).scope == "dang_bo" else cell
        assert any(p.stem == kind or p.stem.startswith(f"{kind}-") for p in where), kind
    assert len(ward) == sum(get_kind(k).scope == "dang_bo" for k in KIND_NAMES)
    for path in cell:
        assert header_names(path) == expected(CELL_CHAIN, "CHI BỘ TỔ DÂN PHỐ SỐ 5"), path.name
    for path in ward:
        assert header_names(path) == expected(WARD_CHAIN, "ĐẢNG ỦY PHƯỜNG NGỌC HÀ"), path.name


def test_other_cells_keep_the_ward_name(sample_ws: Path, tmp_path: Path) -> None:
    set_cell_superiors(sample_ws, yaml_list(CELL_CHAIN))
    written = render_documents(
        load_workspace(sample_ws), ["ke-hoach"], year=2026, cells=["cong-an-phuong"],
        output_root=tmp_path / "out",
    ).written
    assert header_names(one(written, "ke-hoach.docx"))[0] == ("CoQuanCapTren", "ĐẢNG BỘ PHƯỜNG NGỌC HÀ")


def test_the_audit_passes_three_lines(three: list[Path]) -> None:
    for path in three:
        assert [d.format() for d in audit_file(path)] == [], path.name


def test_a_superior_line_in_the_wrong_style_is_caught(three: list[Path]) -> None:
    plan = one(three, "ke-hoach.docx").read_bytes()
    # the middle superior line made bold by hand, the others untouched
    bold = edit_part(plan, "word/document.xml", replace(
        '<w:pStyle w:val="CoQuanCapTren"/></w:pPr><w:r><w:t xml:space="preserve">ĐẢNG BỘ PHƯỜNG',
        '<w:pStyle w:val="CoQuanCapTren"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
        '<w:t xml:space="preserve">ĐẢNG BỘ PHƯỜNG'))
    (found,) = audit_bytes(bold, PROFILE)
    assert found.rule == "tieu_de.co_quan_cap_tren"
    assert found.where == "bảng 1, hàng 1, ô 1, đoạn 2 «ĐẢNG BỘ PHƯỜNG NGỌC HÀ»"
    assert "in đậm" in found.message
    # a superior line not in capitals
    lower = edit_part(plan, "word/document.xml", replace("ĐẢNG BỘ BỘ PHẬN KHU 2", "Đảng bộ bộ phận Khu 2"))
    (found,) = audit_bytes(lower, PROFILE)
    assert (found.rule, found.where) == (
        "tieu_de.co_quan_cap_tren", "bảng 1, hàng 1, ô 1, đoạn 3 «Đảng bộ bộ phận Khu 2»"
    )
    # the issuer under three superior lines is still judged as the issuer
    plain = edit_part(plan, "word/styles.xml", lambda xml: re.sub(
        r'(<w:style [^>]*w:styleId="CoQuanBanHanh".*?)<w:b/>', r"\1", xml, count=1, flags=re.S))
    (found,) = audit_bytes(plain, PROFILE)
    assert (found.rule, found.where) == (
        "tieu_de.co_quan_ban_hanh", "bảng 1, hàng 1, ô 1, đoạn 4 «CHI BỘ TỔ DÂN PHỐ SỐ 5»"
    )


# ---------------------------------------------------------------- a template of before


def test_a_template_printing_co_quan_cap_tren_shows_every_line(sample_ws: Path, tmp_path: Path) -> None:
    """The ward office's template written before the list (one ``{{ co_quan_cap_tren }}``
    paragraph) keeps rendering: the lines in that paragraph, with Word line breaks."""
    from docgen.templates import BUILTIN_DIR

    folder = sample_ws / "mau"
    folder.mkdir()
    loop = (
        r'<w:p><w:r><w:t xml:space="preserve">\{%p for dong in dong_cap_tren %\}</w:t></w:r></w:p>'
        r'(<w:p><w:pPr><w:pStyle w:val="CoQuanCapTren"/></w:pPr><w:r><w:t xml:space="preserve">)'
        r"\{\{ dong \}\}(</w:t></w:r></w:p>)"
        r'<w:p><w:r><w:t xml:space="preserve">\{%p endfor %\}</w:t></w:r></w:p>'
    )

    def old_header(xml: str) -> str:
        new, count = re.subn(loop, r"\1{{ co_quan_cap_tren }}\2", xml)
        assert count == 1
        return new

    (folder / "ke-hoach.docx").write_bytes(
        edit_part((BUILTIN_DIR / "ke-hoach.docx").read_bytes(), "word/document.xml", old_header)
    )
    set_cell_superiors(sample_ws, yaml_list(CELL_CHAIN))
    written = render_documents(
        load_workspace(sample_ws), ["ke-hoach"], year=2026, cells=[CELL],
        output_root=tmp_path / "out", templates_dir=folder,
    ).written
    plan = one(written, "ke-hoach.docx")
    assert header_names(plan) == [
        ("CoQuanCapTren", "".join(line.upper() for line in CELL_CHAIN)),
        ("CoQuanBanHanh", "CHI BỘ TỔ DÂN PHỐ SỐ 5"),
        ("DauSao", "*"),
    ]
    with __import__("zipfile").ZipFile(plan) as z:
        xml = z.read("word/document.xml").decode()
    assert (
        '<w:t xml:space="preserve">ĐẢNG BỘ QUẬN BA ĐÌNH</w:t><w:br/>'
        '<w:t xml:space="preserve">ĐẢNG BỘ PHƯỜNG NGỌC HÀ</w:t><w:br/>'
        '<w:t xml:space="preserve">ĐẢNG BỘ BỘ PHẬN KHU 2</w:t>'
    ) in xml
    assert "\n" not in xml[xml.index("<w:document") :]
    assert audit_file(plan) == []


# ---------------------------------------------------------------- bad values


def problems(ws: Path) -> list[str]:
    """The problems of the workspace, or of the sample cell (loaded when it is used)."""
    with pytest.raises(InputError) as info:
        load_workspace(ws).load_cell(CELL)
    return [p.format() for p in info.value.problems]


def test_too_many_lines_are_refused_where_they_are(sample_ws: Path) -> None:
    assert MAX_CAP_TREN == 3
    set_cell_superiors(sample_ws, yaml_list(["Đảng bộ thành phố Hà Nội", *CELL_CHAIN], "  "))
    (message,) = problems(sample_ws)
    assert re.fullmatch(
        rf"\S*{re.escape(CELL_FILE)}:5:3: chi_bo\.cap_tren: ghi 4 dòng tên tổ chức cấp trên; "
        r"tiêu đề chỉ ghi tối đa 3 dòng .*",
        message,
    ), message


def test_an_empty_line_is_refused_at_its_item(sample_ws: Path) -> None:
    set_ward_superiors(sample_ws, "\n    - Đảng bộ thành phố Hà Nội\n    - ''")
    (message,) = problems(sample_ws)
    assert re.fullmatch(r"\S*dang-bo\.yaml:8:7: dang_bo\.cap_tren\[2\]: không được để trống", message), message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (" []", "không được để trống (cần ít nhất một dòng tên tổ chức đảng cấp trên)"),
        (" ''", "không được để trống"),
        (" 5", "phải là một dòng tên tổ chức, hoặc danh sách dòng"),
        ("\n    - Đảng bộ phường Ngọc Hà\n    - [Khu 2]", "phải là chữ"),
    ],
    ids=["empty-list", "empty-line", "number", "nested-list"],
)
def test_other_bad_values_are_refused(sample_ws: Path, value: str, words: str) -> None:
    set_cell_superiors(sample_ws, value)
    (message,) = problems(sample_ws)
    assert f"{CELL_FILE}:" in message and "chi_bo.cap_tren" in message and words in message, message


def test_a_line_break_inside_a_line_is_refused(sample_ws: Path) -> None:
    set_cell_superiors(sample_ws, ' "Đảng bộ phường Ngọc Hà\\nĐảng bộ bộ phận Khu 2"')
    (message,) = problems(sample_ws)
    assert "chi_bo.cap_tren: chỉ được viết trên một dòng" in message, message
