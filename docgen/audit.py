"""Check any .docx (made by docgen or typed by hand) against the Party layout rules.

Every rule's value comes from the format profile (resources/the-thuc.yaml): paper
and margins, the font, the header elements and their styles, the number
``Số NN-XX/YY``, the place-date line, the type name and summary, the signature
block, "Nơi nhận" and page numbering. How numbers and dates are written is
checked against the formatter docgen itself uses (``formatting.document_number``,
``formatting.date_line``), so there is one definition of each.

The document's parts are recognised by their content and position, not by our
style names: the header is the first table holding the party title; the type
name is the first paragraph after it; the signature block is the table holding
"Nơi nhận" or a ``T/M ...`` line. Formatting is resolved the way Word shows it
(docgen/docxformat.py).

A file may hold several documents, as docgen's print bundle does (docgen/bundle.py:
each merged document after a section break). A document starts at a header table
(one holding the party title) after a section or page break; each is judged as a
document of its own, and its deviations are placed with ``văn bản 2/5 (Số ..., tên
cơ quan)``. Paper, margins, page numbers and fonts are the file's.

With ``template=True`` the same rules check a docxtpl template: text that holds
``{{ tags }}`` is not checked against patterns (the data fills it in), loop
paragraphs (``{%p for %}``) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docgen.docxformat import DocxFile, LineSpacing, ParagraphFormat, W
from docgen.docxread import ParaPlace, first_words, paragraph_places
from docgen.errors import FileRefused, NotDocx, PackageError, UsageError, os_reason
from docgen.formatting import date_line, decimal, document_number
from docgen.models.profile import KieuChu, TheThuc
from docgen.packagecheck import DOCX_FILE_LIMIT, is_zip_refused, package_problems
from docgen.userfile import read_regular

__all__ = ["AuditReport", "AuditedFile", "Deviation", "audit_bytes", "audit_documents", "audit_file"]

_TAG = re.compile(r"\{[{%#]")
_CONTROL = re.compile(r"^\s*\{%-?\s*(p|tr|tc)\s.*%\}\s*$")
_DATE = re.compile(
    r"^(?P<place>.*?)\s*,?\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\s*\.?$"
)
_NUMBER = re.compile(r"^(?P<n>\d+)-(?P<type>[^/\s]+)/(?P<body>\S+)$")
# A draft's number is left blank until it is issued ("Số     -BC/CB").
_BLANK_NUMBER = re.compile(r"^-(?P<type>[^/\s]+)/(?P<body>\S+)$")
DRAFT_MARK = "DỰ THẢO"
# A paragraph that is an item of a typed list ("- ...", "+ ...", "• ..."): the profile's
# first-line indent is for running text; list items are indented in several ways.
_LIST_ITEM = re.compile(r"^[-+*•–]\s")

# The rule under the party title is drawn to the title's length (profile
# tieu_de.quoc_hieu.do_dai_gach_mm). One drawn with the mouse, or as a paragraph border
# between indents set on the ruler, is rarely exact: 5 mm more or less (2.5 mm beyond
# each end of the 73 mm title) still reads as "as long as the title"; a rule of half the
# title or the width of the whole column does not.
RULE_LENGTH_TOLERANCE_MM = 5.0
# A drawn shape counts as the rule when it is a line, or no taller than this (a line
# drawn a little slanted, a thin bar, a picture of a line); a taller one is a picture.
RULE_MAX_HEIGHT_MM = 1.5
# DrawingML preset shapes that are lines (Insert > Shapes > Line; a straight connector).
LINE_SHAPES = ("line", "straightConnector1")
# VML shape types of a line and a straight connector (Word 2003 files, and the fallback
# Word writes beside a drawing).
VML_LINE_TYPES = ("#_x0000_t20", "#_x0000_t32")
EMU_PER_MM = 36000
# The first-line indent (profile noi_dung.thut_dau_dong_mm) may differ by this much: the
# rounding of centimetres typed in Word to twips (1 cm = 567 twips) or of an indent in
# characters; anything a reader could see on paper is more.
INDENT_TOLERANCE_MM = 0.5


# The rule of a file that is not a readable .docx at all (not a layout deviation), and
# the first bytes of an old Word 97-2003 file (an OLE compound file).
UNREADABLE = "tep"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Deviation:
    """One place where a document departs from the layout rules.

    Attributes:
        rule: The profile key the rule comes from (``trang.le_trai_mm``, ``tieu_de.so_ky_hieu``).
        where: Where a person finds it: ``trang``, ``đoạn 7 «KẾ HOẠCH»``,
            ``bảng 1, hàng 2, ô 1, đoạn 5 «Số: 5/KH-CB»``.
        element: Which element of the layout (``số và ký hiệu``), or "".
        message: What is there and what the rule says, in Vietnamese.
    """

    rule: str
    where: str
    element: str
    message: str

    def format(self) -> str:
        head = self.where + (f" ({self.element})" if self.element else "")
        return f"{head}: {self.message}" if head else self.message


def _n(value: float) -> str:
    """A number as Vietnamese write it: ``12,5``, ``14``."""
    return decimal(value, 1)


def _mm(twips: str | None) -> float | None:
    try:
        return int(twips or "") * 25.4 / 1440
    except ValueError:
        return None


def _has_tag(text: str) -> bool:
    return bool(_TAG.search(text))


def _style_problems(pf: ParagraphFormat, kieu: KieuChu, *, check_case: bool = True) -> list[str]:
    """How the runs of a paragraph differ from a profile style (size, emphases, case)."""
    runs = [(t, f) for t, f in pf.runs if t.strip()]
    if not runs:
        return []
    out = []
    sizes = sorted({f.size for _, f in runs})
    if sizes != [kieu.co_chu]:
        out.append(f"cỡ chữ {', '.join(_n(s) for s in sizes)} pt (thể thức: {_n(kieu.co_chu)} pt)")
    letters = [(t, f) for t, f in runs if any(c.isalnum() for c in t)] or runs
    bold = [f.bold for _, f in letters]
    if kieu.dam and not all(bold):
        out.append("chưa in đậm (thể thức: in đậm)")
    if not kieu.dam and any(bold):
        out.append("in đậm (thể thức: không in đậm)")
    italic = [f.italic for _, f in letters]
    if kieu.nghieng and not all(italic):
        out.append("chữ đứng (thể thức: chữ nghiêng)")
    if not kieu.nghieng and any(italic):
        out.append("chữ nghiêng (thể thức: chữ đứng)")
    underline = [f.underline for _, f in letters]
    if kieu.gach_chan and not all(underline):
        out.append("chưa gạch chân (thể thức: gạch chân)")
    if not kieu.gach_chan and any(underline):
        out.append("có gạch chân (thể thức: không gạch chân)")
    if kieu.in_hoa and check_case:
        lower = any(f.caps is False and t != t.upper() for t, f in letters)
        if lower:
            out.append("chưa in hoa (thể thức: in hoa)")
    return out


@dataclass
class _Para:
    """A paragraph with its place and formatting."""

    place: ParaPlace
    fmt: ParagraphFormat

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", self.fmt.text).strip()

    @property
    def where(self) -> str:
        words = first_words(self.text)
        return self.place.label() + (f" «{words}»" if words else "")


class _Audit:
    """One audit run over one document."""

    def __init__(self, doc: DocxFile, profile: TheThuc, template: bool) -> None:
        self.doc = doc
        self.p = profile
        self.template = template
        self.out: list[Deviation] = []
        body = doc.body
        self.body = body
        self.paras = {
            id(place.element): _Para(place, doc.paragraph(place.element))
            for place in paragraph_places(body)
        }
        self.number_code: str | None = None  # the type code of "Số 05-KH/CB", once read
        self.minutes = False  # the document is minutes (biên bản): its own layout (profile bien_ban)
        self.part = ""  # in a file of several documents: which one is being checked
        # a draft (the "DỰ THẢO" mark in a page header) has no number yet
        self.draft = any(
            DRAFT_MARK.encode() in data for name, data in doc.parts.items() if name.startswith("word/header")
        )

    # ------------------------------------------------------------ helpers
    def add(self, rule: str, where: str, element: str, message: str) -> None:
        if self.part:
            where = f"{self.part}, {where}" if where else self.part
        self.out.append(Deviation(rule, where, element, message))

    def para(self, element: Any) -> _Para:
        return self.paras[id(element)]

    def shown(self, para: _Para) -> bool:
        """Whether a paragraph shows in the document (not empty, not a template loop tag)."""
        return bool(para.text) and not (self.template and _CONTROL.match(para.text))

    def visible(self, elements: Any) -> list[_Para]:
        """The shown paragraphs among ``elements`` (a cell, the body, or a list of blocks)."""
        paras = [self.para(e) for e in elements if e.tag == f"{W}p"]
        return [p for p in paras if self.shown(p)]

    def check_style(
        self, rule: str, element: str, para: _Para, kieu: KieuChu, *, centred: bool = False
    ) -> None:
        self.check_styles(rule, element, [para], kieu, centred=centred)

    def check_styles(
        self, rule: str, element: str, paras: list[_Para], kieu: KieuChu, *, centred: bool = False
    ) -> None:
        """Style of several paragraphs of one element; the same problem is reported once.

        ``centred``: the element is centred on the page (type name, summary: [40E84]).
        """
        found: dict[str, list[_Para]] = {}
        for para in paras:
            problems = _style_problems(para.fmt, kieu, check_case=not _has_tag(para.text))
            if centred and para.fmt.align != "center":
                problems.append("chưa căn giữa (thể thức: căn giữa)")
            if problems:
                found.setdefault("; ".join(problems), []).append(para)
        for message, where in found.items():
            self.add(rule, _first_and_count(where), element, message)

    def checked_text(self, para: _Para) -> bool:
        """Whether the paragraph's words are the document's (not tags a render fills in)."""
        return not (self.template and _has_tag(para.text))

    # ------------------------------------------------------------ run
    def run(self) -> list[Deviation]:
        self.page()
        self.fonts()
        blocks = [c for c in self.body if c.tag in (f"{W}p", f"{W}tbl")]
        parts = self.documents(blocks)
        for number, part in enumerate(parts, start=1):
            self.part = self.part_name(number, len(parts), part) if len(parts) > 1 else ""
            self.document(part)
        self.part = ""
        return self.out

    def document(self, blocks: list[Any]) -> None:
        """The rules of one document: header, title, body, signature, recipients."""
        self.number_code = None
        self.minutes = self.is_minutes(blocks)
        header_at = self.header(blocks)
        start = header_at + 1 if header_at is not None else 0
        body_from = self.title(blocks[start:], after_header=header_at is not None)
        signature_at = self.signature(blocks)
        self.recipients(blocks)
        end = signature_at if signature_at is not None else len(blocks)
        first = start + body_from
        self.body_text(blocks[first:end])
        self.body_layout(blocks[first:end])

    # ------------------------------------------------------------ documents of a file
    def is_header_table(self, block: Any) -> bool:
        party = _norm(self.p.tieu_de.quoc_hieu.van_ban or "")
        return block.tag == f"{W}tbl" and any(
            _norm(self.para(p).text) == party for p in block.iter(f"{W}p")
        )

    def documents(self, blocks: list[Any]) -> list[list[Any]]:
        """The documents of a file, each a list of its blocks: a new one starts at a
        header table that follows a section or page break. Blank paragraphs before the
        first header belong to it."""
        parts: list[list[Any]] = [[]]
        broken = False  # a break since the last content
        for block in blocks:
            content = block.tag == f"{W}tbl" or self.shown(self.para(block))
            starts = broken or (block.tag == f"{W}tbl" and _starts_page(block))
            if starts and self.is_header_table(block) and _has_content(self, parts[-1]):
                parts.append([])
            parts[-1].append(block)
            if _breaks_page(block):
                broken = True
            elif content:
                broken = False
        return parts

    def part_name(self, number: int, count: int, blocks: list[Any]) -> str:
        """``văn bản 2/5 (Số 03-BC/CB, CHI BỘ TRƯỜNG TIỂU HỌC HOA SỮA)``: the document's
        place in the file, its number and issuing body as its header shows them."""
        header = next((b for b in blocks if self.is_header_table(b)), None)
        named: list[str] = []
        if header is not None:
            left = [p for r, c, cell in _cells(header) if c == 1 for p in self.visible(cell)]
            prefix = self.p.tieu_de.so_ky_hieu.tien_to or "Số"
            number_line = next((p.text for p in left if re.match(rf"{re.escape(prefix)}\b", p.text)), None)
            star = self.p.tieu_de.dau_sao.van_ban
            names = [p.text for p in left if p.text != star and p.text != number_line]
            named = [t for t in (number_line, names[-1] if names else None) if t]
        return f"văn bản {number}/{count}" + (f" ({', '.join(named)})" if named else "")

    def is_minutes(self, blocks: list[Any]) -> bool:
        """Minutes are recognised by their type name, among the first lines of the body
        (outside tables): no place-date line, two signatures, no recipients."""
        name = self.p.bien_ban.ten_loai.upper()
        shown = [self.para(b) for b in blocks if b.tag == f"{W}p"]
        shown = [p for p in shown if self.shown(p)]
        return any(p.text.upper() == name for p in shown[:3])

    # ------------------------------------------------------------ page
    def page(self) -> None:
        page = self.p.trang
        sections = [s for s in self.body.iter(f"{W}sectPr")]
        if not sections:
            self.add("trang", "trang", "khổ giấy, lề", "không có thiết lập trang (sectPr)")
            return
        for i, sect in enumerate(sections, start=1):
            where = "trang" if len(sections) == 1 else f"trang, phần {i}"
            size = sect.find(f"{W}pgSz")
            width = _mm(size.get(f"{W}w")) if size is not None else None
            height = _mm(size.get(f"{W}h")) if size is not None else None
            if (
                width is None
                or height is None
                or abs(width - page.rong_mm) > 1
                or abs(height - page.cao_mm) > 1
            ):
                shown = f"{_n(width)} × {_n(height)} mm" if width and height else "không ghi"
                self.add(
                    "trang.rong_mm",
                    where,
                    "khổ giấy",
                    f"khổ {shown} (thể thức: A4 {_n(page.rong_mm)} × {_n(page.cao_mm)} mm, khổ dọc)",
                )
            margins = sect.find(f"{W}pgMar")
            for attr, key, name in (
                ("top", "le_tren_mm", "lề trên"),
                ("bottom", "le_duoi_mm", "lề dưới"),
                ("left", "le_trai_mm", "lề trái"),
                ("right", "le_phai_mm", "lề phải"),
            ):
                want = getattr(page, key)
                got = _mm(margins.get(f"{W}{attr}")) if margins is not None else None
                if got is None or abs(got - want) > 0.5:
                    shown = f"{_n(got)} mm" if got is not None else "không ghi"
                    self.add(f"trang.{key}", where, "lề", f"{name} {shown} (thể thức: {_n(want)} mm)")
        self.page_numbers(sections[-1], sections[0])

    def page_numbers(self, sect: Any, first_sect: Any) -> None:
        """The page numbers of the last section; "no number on page 1" of the first, the
        document's first page (a later section, an appendix, is numbered on every page)."""
        rule = self.p.so_trang
        headers = self.doc.section_parts(sect, "header")
        footers = self.doc.section_parts(sect, "footer")
        default = headers.get("default")
        numbered = default is not None and _has_page_field(default)
        first_headers = self.doc.section_parts(first_sect, "header")
        title_pg = first_sect.find(f"{W}titlePg")
        different_first = title_pg is not None and title_pg.get(f"{W}val", "1") not in ("0", "false")
        first_default = first_headers.get("default")
        first_section_numbered = first_default is not None and _has_page_field(first_default)
        if not numbered:
            in_footer = any(_has_page_field(f) for f in footers.values())
            where = "chân trang" if in_footer else "đầu trang"
            self.add(
                "so_trang",
                where,
                "số trang",
                ("số trang đặt ở chân trang" if in_footer else "không có số trang")
                + " (thể thức: số trang ở giữa, phía trên đầu trang)",
            )
        if rule.tu_trang > 1:
            first = first_headers.get("first")
            first_numbered = different_first and first is not None and _has_page_field(first)
            if (first_section_numbered and not different_first) or first_numbered:
                self.add(
                    "so_trang.tu_trang",
                    "đầu trang",
                    "số trang",
                    f"trang 1 có số trang (thể thức: đánh số từ trang {rule.tu_trang}; "
                    "chọn “Trang đầu khác” cho đầu trang)",
                )
        if numbered:
            for place in paragraph_places(default):
                if _has_page_field(place.element):
                    pf = self.doc.paragraph(place.element)
                    problems = _style_problems(pf, KieuChu(co_chu=rule.co_chu))
                    if self.doc.align(place.element) != "center":
                        problems.append("chưa căn giữa (thể thức: căn giữa)")
                    if problems:
                        self.add(
                            "so_trang", f"đầu trang, {place.label()}", "số trang", "; ".join(problems)
                        )
        margins = sect.find(f"{W}pgMar")
        distance = _mm(margins.get(f"{W}header")) if margins is not None else None
        want = self.p.trang.cach_mep_tren_so_trang_mm
        if numbered and (distance is None or abs(distance - want) > 1):
            shown = f"{_n(distance)} mm" if distance is not None else "không ghi"
            self.add(
                "trang.cach_mep_tren_so_trang_mm",
                "trang",
                "số trang",
                f"đầu trang cách mép trên {shown} (thể thức: {_n(want)} mm)",
            )

    # ------------------------------------------------------------ fonts
    def fonts(self) -> None:
        """Every visible run in the body and the headers in the profile's font."""
        want = self.p.phong_chu.ten
        wrong: dict[str, list[str]] = {}

        def scan(paras: list[tuple[str, ParagraphFormat]]) -> None:
            for where, pf in paras:
                for text, fmt in pf.runs:
                    if not text.strip():
                        continue
                    for font in {fmt.font, fmt.font_hansi}:
                        if font != want:
                            places = wrong.setdefault(font or "", [])
                            if not places or places[-1] != where:
                                places.append(where)

        scan([(para.where, para.fmt) for para in self.paras.values()])
        for sect in self.body.iter(f"{W}sectPr"):
            for kind in ("header", "footer"):
                for part in self.doc.section_parts(sect, kind).values():
                    label = "đầu trang" if kind == "header" else "chân trang"
                    scan(
                        [
                            (f"{label}, {place.label()}", self.doc.paragraph(place.element))
                            for place in paragraph_places(part)
                        ]
                    )
        for font, places in wrong.items():
            more = f" và {len(places) - 1} đoạn khác" if len(places) > 1 else ""
            shown = f"phông {font}" if font else "không ghi phông chữ (máy sẽ tự chọn phông)"
            self.add("phong_chu", places[0] + more, "phông chữ", f"{shown} (thể thức: {want})")

    # ------------------------------------------------------------ header
    def header(self, blocks: list[Any]) -> int | None:
        """Check the two-column header; returns the index of its table in ``blocks``."""
        td = self.p.tieu_de
        party = _norm(td.quoc_hieu.van_ban or "")
        for index, block in enumerate(blocks):
            if block.tag == f"{W}p":
                text = self.para(block).text
                # text before any table: the header is not a table
                if text and not _has_tag(text) and _norm(text) == party:
                    break
                continue
            cells = _cells(block)
            party_cell = next(
                (c for c in cells if any(_norm(p.text) == party for p in self.visible(c[2]))), None
            )
            if party_cell is None:
                break
            self.header_cells(cells, party_cell)
            return index
        self.add(
            "tieu_de",
            "đầu văn bản",
            "tiêu đề",
            f"không thấy bảng tiêu đề có dòng «{td.quoc_hieu.van_ban}» (thể thức: tiêu đề hai cột, "
            "bên trái tên cơ quan, dấu *, số và ký hiệu; bên phải tiêu đề Đảng, địa danh và ngày tháng)",
        )
        return None

    def header_cells(self, cells: list[tuple[int, int, Any]], party_cell: tuple[int, int, Any]) -> None:
        td = self.p.tieu_de
        party_row, right_col, right = party_cell
        right_paras = [p for c in cells if c[1] == right_col for p in self.visible(c[2])]
        party = next(p for p in right_paras if _norm(p.text) == _norm(td.quoc_hieu.van_ban or ""))
        self.check_style("tieu_de.quoc_hieu", "tiêu đề Đảng", party, td.quoc_hieu)
        self.title_rule(party, [c[2] for c in cells if c[1] == right_col])
        left_cells = [c for c in cells if c[1] < right_col]
        left_paras = [p for c in left_cells for p in self.visible(c[2])]
        prefix = td.so_ky_hieu.tien_to or "Số"
        number = next(
            (p for p in left_paras if re.match(rf"{re.escape(prefix)}\b", p.text)), None
        )
        names = [p for c in left_cells if c[0] == party_row for p in self.visible(c[2])]
        names = [p for p in names if p is not number]
        star = next((p for p in names if p.text == td.dau_sao.van_ban), None)
        if star is None:
            self.add(
                "tieu_de.dau_sao",
                f"bảng tiêu đề, hàng {party_row}",
                "dấu sao",
                f"không có dòng «{td.dau_sao.van_ban}» dưới tên cơ quan ban hành",
            )
            bodies = names
        else:
            bodies = names[: names.index(star)]
            self.check_style("tieu_de.dau_sao", "dấu sao", star, td.dau_sao)
        if len(bodies) >= 2:
            # The issuer is the last name above the star; every line before it is a
            # superior body (one, or the chain above a cell under a sub-committee), each
            # judged on its own.
            self.check_styles(
                "tieu_de.co_quan_cap_tren", "cơ quan cấp trên", bodies[:-1], td.co_quan_cap_tren
            )
            self.check_style("tieu_de.co_quan_ban_hanh", "cơ quan ban hành", bodies[-1], td.co_quan_ban_hanh)
        elif bodies:
            self.check_style("tieu_de.co_quan_ban_hanh", "cơ quan ban hành", bodies[0], td.co_quan_ban_hanh)
            self.add(
                "tieu_de.co_quan_cap_tren",
                bodies[0].where,
                "cơ quan cấp trên",
                "chỉ có một dòng tên cơ quan (thể thức: dòng 1 tên tổ chức đảng cấp trên trực tiếp, "
                "dòng 2 tên cơ quan ban hành in đậm)",
            )
        else:
            self.add(
                "tieu_de.co_quan_ban_hanh",
                f"bảng tiêu đề, hàng {party_row}",
                "cơ quan ban hành",
                "không có tên cơ quan ban hành ở cột trái",
            )
        if number is None:
            self.add(
                "tieu_de.so_ky_hieu",
                "bảng tiêu đề",
                "số và ký hiệu",
                f"không có dòng «{prefix} ...» ở cột trái (thể thức: «{prefix} 05-KH/CB»)",
            )
        else:
            self.number(number)
        date_paras = [p for p in right_paras if p is not party]
        if not date_paras and self.minutes and not self.p.bien_ban.dong_dia_danh:
            return  # minutes carry the meeting's date in their body
        if not date_paras:
            self.add(
                "tieu_de.dia_danh_ngay",
                "bảng tiêu đề",
                "địa danh, ngày tháng",
                "không có dòng địa danh, ngày tháng dưới tiêu đề Đảng",
            )
        else:
            self.date(date_paras[0])

    def title_rule(self, party: _Para, column: list[Any]) -> None:
        """The rule under the party title: a bottom border of the title's paragraph (as
        docgen draws it), a top border of the paragraph under it, or a line drawn in the
        title's column (a drawing, or VML in older files); as long as the title."""
        want = self.p.tieu_de.quoc_hieu.do_dai_gach_mm
        lengths: list[float] = []
        title = party.place.element
        cell = next(title.iterancestors(f"{W}tc"), None)
        under = title.getnext()
        for paragraph, side in ((title, "bottom"), (under, "top")):
            if paragraph is None or paragraph.tag != f"{W}p" or not self.doc.has_border(paragraph, side):
                continue
            width = self.doc.cell_text_width(cell) if cell is not None else None
            if width is not None:
                indent = self.doc.indent(paragraph)
                lengths.append((width - indent.left - indent.right) * 25.4 / 1440)
        for element in column:
            lengths += _drawn_lines(element)
        where = party.where
        if not lengths:
            self.add(
                "tieu_de.quoc_hieu.do_dai_gach_mm",
                where,
                "đường kẻ dưới tiêu đề Đảng",
                f"không có đường kẻ dưới dòng «{party.text}» (thể thức: đường kẻ dài {_n(want)} mm, "
                "bằng dòng chữ)",
            )
            return
        closest = min(lengths, key=lambda length: abs(length - want))
        if abs(closest - want) > RULE_LENGTH_TOLERANCE_MM:
            self.add(
                "tieu_de.quoc_hieu.do_dai_gach_mm",
                where,
                "đường kẻ dưới tiêu đề Đảng",
                f"đường kẻ dài {_n(closest)} mm (thể thức: {_n(want)} mm, bằng dòng chữ; "
                f"lệch không quá {_n(RULE_LENGTH_TOLERANCE_MM)} mm)",
            )

    def number(self, para: _Para) -> None:
        td = self.p.tieu_de
        self.check_style("tieu_de.so_ky_hieu", "số và ký hiệu", para, td.so_ky_hieu)
        prefix = td.so_ky_hieu.tien_to or "Số"
        rest = para.text[len(prefix) :]
        problems = []
        if rest.lstrip().startswith(":"):
            problems.append(f"có dấu hai chấm sau «{prefix}» (thể thức: «{prefix} 05-KH/CB», không có dấu hai chấm)")
            rest = rest.lstrip()[1:]
        rest = rest.strip()
        example = f"{prefix} {document_number(5, 'KH', 'CB')}"
        if self.checked_text(para) and not _has_tag(rest):
            match = _NUMBER.match(rest)
            blank = _BLANK_NUMBER.match(rest) if self.draft else None
            if blank is not None:
                self.number_code = blank["type"]
            elif match is None:
                problems.append(
                    f"«{rest}» không theo mẫu «{prefix} NN-XX/YY»: số thứ tự, gạch nối, tên loại viết "
                    f"tắt, gạch chéo, cơ quan ban hành (ví dụ «{example}»)"
                )
            else:
                n, code, body = int(match["n"]), match["type"], match["body"]
                expected = document_number(n, code, body)
                if rest != expected:
                    problems.append(
                        f"số thứ tự «{match['n']}» (thể thức: «{prefix} {expected}», số dưới 10 thêm số 0)"
                    )
                codes = {t.ky_hieu: t.ten for t in self.p.loai_van_ban}
                if code not in codes:
                    problems.append(
                        f"«{code}» không phải chữ viết tắt của loại văn bản nào "
                        f"({', '.join(codes)})"
                    )
                self.number_code = code
        if problems:
            self.add("tieu_de.so_ky_hieu", para.where, "số và ký hiệu", "; ".join(problems))

    def date(self, para: _Para) -> None:
        rule = self.p.tieu_de.dia_danh_ngay
        self.check_style("tieu_de.dia_danh_ngay", "địa danh, ngày tháng", para, rule)
        if not self.checked_text(para):
            return
        text = para.text
        example = date_line("Ngọc Hà", date(2026, 1, 5))
        match = _DATE.match(text)
        if match is None:
            message = f"«{text}» không theo mẫu «<địa danh>, ngày DD tháng MM năm YYYY» (ví dụ «{example}»)"
        elif not match["place"]:
            message = f"thiếu địa danh trước «ngày» (ví dụ «{example}»)"
        else:
            try:
                day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                message = f"ngày {match['d']}/{match['m']}/{match['y']} không có thật"
            else:
                expected = date_line(match["place"], day)
                if text == expected:
                    return
                message = (
                    f"viết «{text}» (thể thức: «{expected}»: ngày dưới 10 thêm số 0, "
                    "tháng 1 và 2 viết 01, 02, dấu phẩy sau địa danh)"
                )
        self.add("tieu_de.dia_danh_ngay", para.where, "địa danh, ngày tháng", message)

    # ------------------------------------------------------------ title block
    def title(self, blocks: list[Any], *, after_header: bool) -> int:
        """Check type name, summary and rule line; returns where the body starts in ``blocks``.

        The type name is the first paragraph after the header; without a recognised
        header, the first paragraph that is a type name.
        """
        paras = [(i, self.para(b)) for i, b in enumerate(blocks) if b.tag == f"{W}p"]
        paras = [(i, p) for i, p in paras if self.shown(p)]
        names = {t.ten: t.ky_hieu for t in self.p.loai_van_ban}
        if not after_header:
            paras = paras[next((k for k, (_, p) in enumerate(paras) if p.text.upper() in names), len(paras)) :]
        if not paras:
            self.add(
                "ten_loai",
                "sau tiêu đề",
                "tên loại văn bản",
                f"không thấy tên loại văn bản ({', '.join(names)})",
            )
            return 0
        index, title = paras[0]
        self.check_style("ten_loai", "tên loại văn bản", title, self.p.ten_loai, centred=True)
        if self.checked_text(title):
            name = title.text.upper()
            if name not in names:
                self.add(
                    "loai_van_ban",
                    title.where,
                    "tên loại văn bản",
                    f"«{title.text}» không phải tên loại văn bản ({', '.join(names)})",
                )
            else:
                code = self.number_code
                if code is not None and code != names[name]:
                    self.add(
                        "loai_van_ban",
                        title.where,
                        "tên loại văn bản",
                        f"số, ký hiệu ghi «{code}» nhưng tên loại là {name} (thể thức: «{names[name]}»)",
                    )
        rule_line = self.p.gach_trich_yeu
        summary: list[tuple[int, _Para]] = []
        rest = paras[1:]
        for i, para in rest:
            if rule_line is not None and para.text == rule_line.van_ban:
                break
            # the line right under the type name is the summary; more lines while centred
            if (summary and para.fmt.align != "center") or len(summary) == 3:
                break
            summary.append((i, para))
        if not summary:
            self.add("trich_yeu", title.where, "trích yếu", "không có trích yếu dưới tên loại văn bản")
        self.check_styles(
            "trich_yeu", "trích yếu", [p for _, p in summary], self.p.trich_yeu, centred=True
        )
        after = rest[len(summary)] if len(rest) > len(summary) else None
        end = (summary[-1][0] if summary else index) + 1
        if rule_line is not None and rule_line.van_ban:
            if after is None or after[1].text != rule_line.van_ban:
                where = summary[-1][1].where if summary else title.where
                self.add(
                    "gach_trich_yeu",
                    where,
                    "gạch dưới trích yếu",
                    f"không có dòng «{rule_line.van_ban}» dưới trích yếu",
                )
            else:
                end = after[0] + 1
        return end

    # ------------------------------------------------------------ body text
    def body_text(self, blocks: list[Any]) -> None:
        want = self.p.noi_dung.co_chu
        wrong: dict[float, list[_Para]] = {}
        for para in self.visible(blocks):
            for size in sorted({f.size for t, f in para.fmt.runs if t.strip()} - {want}):
                wrong.setdefault(size, []).append(para)
        for size, paras in wrong.items():
            self.add(
                "noi_dung.co_chu",
                _first_and_count(paras),
                "nội dung",
                f"cỡ chữ {_n(size)} pt (thể thức: {_n(want)} pt)",
            )

    def body_layout(self, blocks: list[Any]) -> None:
        """Line spacing and first-line indent of the body's paragraphs (profile
        ``noi_dung``); headings too, which the profile sets like the body.

        Paragraphs outside the body's running text are not checked: centred or
        right-aligned lines (the «CHI BỘ QUYẾT NGHỊ:» line, a note under a title), tables,
        the signature and recipients (not in ``blocks``); list items (a Word list, or a
        line starting with «-», «+», «•») keep the line spacing but may be indented
        their own way.
        """
        rule = self.p.noi_dung
        line = round(rule.gian_dong_pt * 20)
        spacing: dict[LineSpacing, list[_Para]] = {}
        indent: dict[float, list[_Para]] = {}  # by the first-line indent in mm, as shown
        for para in self.visible(blocks):
            element = para.place.element
            if para.fmt.align in ("center", "right"):
                continue
            got = self.doc.line_spacing(element)
            if got.rule != "exact" or got.value != line:
                spacing.setdefault(got, []).append(para)
            if self.doc.in_list(element) or _LIST_ITEM.match(para.text):
                continue
            first = self.doc.indent(element).first_line * 25.4 / 1440
            if abs(first - rule.thut_dau_dong_mm) > INDENT_TOLERANCE_MM:
                indent.setdefault(round(first, 1), []).append(para)
        for got, paras in spacing.items():
            self.add(
                "noi_dung.gian_dong_pt",
                _first_and_count(paras),
                "nội dung",
                _spacing_words(got) + f" (thể thức: đúng {_n(rule.gian_dong_pt)} pt)",
            )
        for first, paras in indent.items():
            self.add(
                "noi_dung.thut_dau_dong_mm",
                _first_and_count(paras),
                "nội dung",
                _indent_words(first, rule.thut_dau_dong_mm),
            )

    # ------------------------------------------------------------ signature
    def signature(self, blocks: list[Any]) -> int | None:
        """Check the signature block; returns the index of its table in ``blocks``."""
        if self.minutes:
            return self.minutes_signature(blocks)
        forms = self.p.chu_ky.cach_ky
        label = self.p.noi_nhan.tieu_de.van_ban or "Nơi nhận"

        def is_authority(para: _Para) -> bool:
            return any(para.text.startswith(f + " ") for f in forms) or bool(
                re.match(r"(TM|KT|TL)[.\s]", para.text)
            )

        for index in range(len(blocks) - 1, -1, -1):
            block = blocks[index]
            if block.tag != f"{W}tbl":
                continue
            cells = [(c, self.visible(c[2])) for c in _cells(block)]
            sign = next((c for c, paras in cells if paras and is_authority(paras[0])), None)
            recipients = next(
                (c for c, paras in cells if paras and paras[0].text.startswith(label)), None
            )
            if sign is None and recipients is not None:
                # a template: the authority line is a tag; the signature sits beside Nơi nhận
                sign = next(
                    (c for c, _ in cells if c[0] == recipients[0] and c[1] > recipients[1]), None
                )
            if sign is not None:
                self.signature_cell(self.visible(sign[2]))
                return index
        loose = [(i, self.para(b)) for i, b in enumerate(blocks) if b.tag == f"{W}p"]
        loose = [(i, p) for i, p in loose if self.shown(p)]
        at = next((k for k, (_, p) in enumerate(loose) if is_authority(p)), None)
        if at is not None:
            index, authority = loose[at]
            self.add(
                "chu_ky",
                authority.where,
                "chữ ký",
                "khối chữ ký không nằm trong bảng (thể thức: bảng hai cột không viền, bên phải "
                "chữ ký, bên trái nơi nhận)",
            )
            self.signature_cell([p for _, p in loose[at : at + 3]])
            return index
        self.add(
            "chu_ky",
            "cuối văn bản",
            "chữ ký",
            f"không thấy khối chữ ký ({', '.join(forms)} ...) (thể thức: bảng không viền, "
            "bên phải chữ ký, bên trái nơi nhận)",
        )
        return None

    def minutes_signature(self, blocks: list[Any]) -> int | None:
        """Minutes: the minute-taker (left) and the chair (right) side by side in a
        borderless table, each with the role in upper case and the name; no ``T/M``."""
        bb = self.p.bien_ban
        rule = self.p.chu_ky
        left_roles = [r.upper() for r in bb.chu_ky_trai]
        right_roles = [r.upper() for r in bb.chu_ky_phai]
        expected = (
            f"bảng hai cột không viền: bên trái «{bb.chu_ky_trai[0]}», bên phải «{bb.chu_ky_phai[0]}», "
            "mỗi bên chức danh rồi họ tên, không ghi T/M"
        )
        for index in range(len(blocks) - 1, -1, -1):
            block = blocks[index]
            if block.tag != f"{W}tbl":
                continue
            cells = [(c, self.visible(c[2])) for c in _cells(block)]
            roles = [
                (c, paras)
                for c, paras in cells
                if paras and paras[0].text.upper() in left_roles + right_roles
            ]
            if len(roles) < 2:
                continue
            (left, lparas), (right, rparas) = sorted(roles, key=lambda r: (r[0][0], r[0][1]))[:2]
            if lparas[0].text.upper() in right_roles and rparas[0].text.upper() in left_roles:
                self.add(
                    "bien_ban.chu_ky_trai",
                    lparas[0].where,
                    "chữ ký biên bản",
                    f"hai chữ ký đổi chỗ (thể thức: {expected})",
                )
            for paras in (lparas, rparas):
                self.check_style("chu_ky.tham_quyen", "chức danh ký", paras[0], rule.tham_quyen)
                if len(paras) < 2:
                    self.add(
                        "chu_ky",
                        paras[0].where,
                        "chữ ký biên bản",
                        "thiếu họ tên người ký dưới chức danh",
                    )
                else:
                    self.check_style("chu_ky.ho_ten", "họ tên người ký", paras[-1], rule.ho_ten)
            return index
        forms = self.p.chu_ky.cach_ky
        authority = next(
            (
                p
                for b in blocks
                if b.tag == f"{W}tbl"
                for c in _cells(b)
                for p in self.visible(c[2])[:1]
                if any(p.text.startswith(f + " ") for f in forms)
            ),
            None,
        )
        self.add(
            "bien_ban",
            authority.where if authority else "cuối văn bản",
            "chữ ký biên bản",
            (f"biên bản ký «{first_words(authority.text, 2)}»" if authority else "không thấy chữ ký của biên bản")
            + f" (thể thức: {expected})",
        )
        return None

    def signature_cell(self, paras: list[_Para]) -> None:
        rule = self.p.chu_ky
        if len(paras) < 3:
            where = paras[0].where if paras else "khối chữ ký"
            self.add(
                "chu_ky",
                where,
                "chữ ký",
                "khối chữ ký cần ba dòng: thẩm quyền (T/M ...), chức vụ, họ tên người ký",
            )
        if not paras:
            return
        authority = paras[0]
        self.check_style("chu_ky.tham_quyen", "thẩm quyền ký", authority, rule.tham_quyen)
        if self.checked_text(authority) and not any(
            authority.text.startswith(f + " ") for f in rule.cach_ky
        ):
            self.add(
                "chu_ky.cach_ky",
                authority.where,
                "thẩm quyền ký",
                f"«{first_words(authority.text, 2)}» (thể thức: viết {', '.join(rule.cach_ky)}, "
                "có gạch chéo, không viết TM., KT.)",
            )
        if len(paras) >= 3:
            self.check_style("chu_ky.chuc_vu", "chức vụ người ký", paras[1], rule.chuc_vu)
            self.check_style("chu_ky.ho_ten", "họ tên người ký", paras[-1], rule.ho_ten)

    # ------------------------------------------------------------ recipients
    def recipients(self, blocks: list[Any]) -> None:
        if self.minutes:
            return  # minutes have no "Nơi nhận" (profile bien_ban)
        rule = self.p.noi_nhan
        label = rule.tieu_de.van_ban or "Nơi nhận"
        paras = (self.para(p) for block in blocks for p in block.iter(f"{W}p"))
        heading = next((p for p in paras if p.text.startswith(label)), None)
        if heading is None:
            self.add(
                "noi_nhan",
                "cuối văn bản",
                "nơi nhận",
                f"không có dòng «{label}:» (thể thức: bên trái khối chữ ký)",
            )
            return
        self.check_style("noi_nhan.tieu_de", "nơi nhận", heading, rule.tieu_de)
        if heading.text != f"{label}:":
            self.add(
                "noi_nhan.tieu_de",
                heading.where,
                "nơi nhận",
                f"viết «{heading.text}» (thể thức: «{label}:» trên một dòng riêng)",
            )
        container = heading.place.element.getparent()
        siblings = self.visible(container)
        items = siblings[siblings.index(heading) + 1 :]
        if not items:
            self.add("noi_nhan.muc", heading.where, "nơi nhận", "không có nơi nhận nào dưới dòng «Nơi nhận:»")
            return
        prefix = rule.muc.tien_to or "- "
        self.check_styles("noi_nhan.muc", "nơi nhận (từng nơi)", items, rule.muc)
        unmarked = [i for i in items if self.checked_text(i) and not i.text.startswith(prefix.strip())]
        if unmarked:
            self.add(
                "noi_nhan.muc",
                _first_and_count(unmarked),
                "nơi nhận (từng nơi)",
                f"không bắt đầu bằng «{prefix.strip()}» (thể thức: mỗi nơi một dòng «{prefix}...»)",
            )
        last = items[-1]
        if self.checked_text(last):
            archive = f"{prefix}{rule.luu}"
            if not (last.text.startswith(archive) and last.text.endswith(".")) or ":" in last.text:
                self.add(
                    "noi_nhan.luu",
                    last.where,
                    "nơi nhận (từng nơi)",
                    f"dòng cuối «{last.text}» (thể thức: «{archive} ....», ví dụ «{archive} Chi bộ.»: "
                    "không có dấu hai chấm, kết thúc bằng dấu chấm)",
                )


def _first_and_count(paras: list[_Para]) -> str:
    """``đoạn 73 «...» và 2 đoạn khác``: the first place of a repeated deviation."""
    more = f" và {len(paras) - 1} đoạn khác" if len(paras) > 1 else ""
    return paras[0].where + more


def _spacing_words(spacing: LineSpacing) -> str:
    """A line spacing as Word's Paragraph dialog names it: ``giãn dòng gấp 1,5``."""
    if spacing.rule == "exact":
        return f"giãn dòng đúng {_n(spacing.value / 20)} pt"
    if spacing.rule == "atLeast":
        return f"giãn dòng tối thiểu {_n(spacing.value / 20)} pt"
    if spacing.value == 240:
        return "giãn dòng đơn"
    return f"giãn dòng gấp {decimal(spacing.value / 240, 2)}"


def _indent_words(first_mm: float, want_mm: float) -> str:
    if first_mm < 0:
        return f"thụt treo {_n(-first_mm)} mm (thể thức: thụt đầu dòng {_n(want_mm)} mm)"
    return f"thụt đầu dòng {_n(first_mm)} mm (thể thức: {_n(want_mm)} mm)"


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_V = "{urn:schemas-microsoft-com:vml}"
_CSS_MM = {"pt": 25.4 / 72, "in": 25.4, "cm": 10.0, "mm": 1.0, "px": 25.4 / 96, "pc": 25.4 / 6}


def _css_mm(value: str | None) -> float | None:
    """A VML length (``159.75pt``, ``2.5cm``; a bare number is in pixels) in mm."""
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*([a-z]*)\s*", value or "")
    if match is None:
        return None
    try:
        number = float(match[1])
    except ValueError:
        return None
    scale = _CSS_MM.get(match[2] or "px")
    return number * scale if scale is not None else None


def _drawn_lines(element: Any) -> list[float]:
    """The lengths in mm of the lines drawn in ``element`` (a cell): DrawingML lines or
    thin shapes, and VML lines, connectors or thin shapes. The VML copy Word keeps beside
    a drawing (``mc:Fallback``) is not counted again."""
    out: list[float] = []
    thin = RULE_MAX_HEIGHT_MM
    for drawing in element.iter(f"{W}drawing"):
        if any(a.tag == _MC_FALLBACK for a in drawing.iterancestors()):
            continue
        extent = drawing.find(f".//{_WP}extent")
        if extent is None:
            continue
        try:
            width = int(extent.get("cx", "")) / EMU_PER_MM
            height = int(extent.get("cy", "")) / EMU_PER_MM
        except ValueError:
            continue
        shape = drawing.find(f".//{_A}prstGeom")
        if (shape is not None and shape.get("prst") in LINE_SHAPES) or height <= thin:
            out.append(width)
    for shape in element.iter(f"{_V}line", f"{_V}shape", f"{_V}rect"):
        if any(a.tag == _MC_FALLBACK for a in shape.iterancestors()):
            continue
        if shape.tag == f"{_V}line":
            points = [_css_mm(v) for end in ("from", "to") for v in (shape.get(end) or "0,0").split(",")]
            if len(points) == 4 and None not in points:
                x1, y1, x2, y2 = (p or 0.0 for p in points)
                out.append(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
            continue
        style = dict(
            item.split(":", 1) for item in (shape.get("style") or "").split(";") if ":" in item
        )
        length, thickness = _css_mm(style.get("width")), _css_mm(style.get("height", "0"))
        if length is None:
            continue
        if shape.get("type") in VML_LINE_TYPES or (thickness is not None and thickness <= thin):
            out.append(length)
    return out


def _breaks_page(block: Any) -> bool:
    """Whether a paragraph ends with a section break or holds a page break."""
    if block.tag != f"{W}p":
        return False
    if block.find(f"{W}pPr/{W}sectPr") is not None:
        return True
    return any(br.get(f"{W}type") == "page" for br in block.iter(f"{W}br"))


def _starts_page(block: Any) -> bool:
    """Whether a table starts on a new page (its first paragraph "Page break before")."""
    first = next(block.iter(f"{W}p"), None)
    element = first.find(f"{W}pPr/{W}pageBreakBefore") if first is not None else None
    return element is not None and element.get(f"{W}val", "true") not in ("0", "false", "off")


def _has_content(audit: _Audit, blocks: list[Any]) -> bool:
    return any(b.tag == f"{W}tbl" or audit.shown(audit.para(b)) for b in blocks)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().upper()


def _cells(table: Any) -> list[tuple[int, int, Any]]:
    """(row, column, cell) of a table's own cells, 1-based."""
    out = []
    rows = [r for r in table if r.tag == f"{W}tr"]
    for r, row in enumerate(rows, start=1):
        cells = [c for c in row if c.tag == f"{W}tc"]
        out += [(r, c, cell) for c, cell in enumerate(cells, start=1)]
    return out


def _has_page_field(element: Any) -> bool:
    for simple in element.iter(f"{W}fldSimple"):
        if re.search(r"\bPAGE\b", simple.get(f"{W}instr", "")):
            return True
    return any(re.search(r"\bPAGE\b", t.text or "") for t in element.iter(f"{W}instrText"))


def audit_bytes(data: bytes, profile: TheThuc, *, template: bool = False) -> list[Deviation]:
    """Every deviation of a .docx (given as bytes) from the layout rules of ``profile``."""
    try:
        doc = DocxFile.read(data)
        # a header, footer or relationships part is parsed only when the audit reaches it
        deviations = _Audit(doc, profile, template).run()
    except NotDocx as exc:
        if isinstance(exc.__cause__, PackageError) and is_zip_refused(exc.__cause__, data):
            # a zip bomb, too many parts, an unsafe part name (docgen/safezip.py)
            cause = exc.__cause__
            where = f"phần {cause.part}" if cause.part else ""
            return [Deviation(UNREADABLE, where, "", f"tệp .docx bị từ chối: {cause.reason}")]
        if data.startswith(OLE_SIGNATURE):
            return [
                Deviation(
                    UNREADABLE, "", "", "tệp Word 97-2003 (.doc), không phải .docx; mở bằng Word rồi "
                    "Lưu thành (Save As) Word Document (.docx)"
                )
            ]
        return [Deviation(UNREADABLE, "", "", "không phải tệp .docx đọc được")]
    if not template:  # a template's package is the template check's (lint.py)
        deviations += package_deviations(doc.parts)
    return deviations


def package_deviations(parts: dict[str, bytes]) -> list[Deviation]:
    """What the package holds that a Party document must not (docgen/packagecheck.py): an
    external link, an attached template, a macro... each a deviation at its part, so such a
    file is never called correct."""
    return [
        Deviation(f"goi.{finding.rule}", f"phần {finding.part}", "", finding.message)
        for finding in package_problems(list(parts.items()))
        if finding.is_error  # an unusual but harmless part is the template check's warning
    ]


def audit_file(path: Path, profile: TheThuc | None = None) -> list[Deviation]:
    """Every deviation of the .docx at ``path`` from the built-in format profile.

    Raises:
        OSError: the file cannot be read.
    """
    if profile is None:
        from docgen.resources import profile as builtin

        profile = builtin()
    try:
        data = read_regular(path, DOCX_FILE_LIMIT)
    except FileRefused as exc:
        return [Deviation(UNREADABLE, "", "", f"không đọc tệp: {exc.reason}")]
    return audit_bytes(data, profile)


@dataclass(frozen=True)
class AuditedFile:
    """One file audited: its deviations (none: it follows the layout rules), or the one
    deviation of rule ``UNREADABLE`` saying why it could not be read."""

    path: Path
    deviations: list[Deviation]

    @property
    def unreadable(self) -> bool:
        return bool(self.deviations) and self.deviations[0].rule == UNREADABLE


@dataclass
class AuditReport:
    """Every file of an audit, in the order given (a folder's .docx files sorted)."""

    files: list[AuditedFile] = field(default_factory=list)

    @property
    def deviations(self) -> int:
        """Deviations found in the readable files."""
        return sum(len(f.deviations) for f in self.files if not f.unreadable)

    @property
    def bad_files(self) -> int:
        """Readable files with at least one deviation."""
        return sum(1 for f in self.files if f.deviations and not f.unreadable)

    @property
    def unreadable(self) -> int:
        return sum(1 for f in self.files if f.unreadable)

    @property
    def ok(self) -> bool:
        return not self.deviations and not self.unreadable


def audit_documents(paths: Iterable[Path]) -> AuditReport:
    """Audit .docx files against the built-in format profile; a folder stands for every
    .docx in it (Word's ``~$`` lock files skipped). A file that cannot be read is reported
    in the result, not raised.

    Raises:
        UsageError: a path does not exist, or there is no .docx to audit.
    """
    from docgen.resources import profile

    found: list[Path] = []
    for item in paths:
        if item.is_dir():
            found += sorted(p for p in item.rglob("*.docx") if not p.name.startswith("~$"))
        elif item.is_file():
            found.append(item)
        else:
            raise UsageError(f"không tìm thấy tệp {item}")
    if not found:
        raise UsageError("không có tệp .docx nào để kiểm tra")
    rules = profile()
    report = AuditReport()
    for path in found:
        try:
            deviations = audit_file(path, rules)
        except OSError as exc:
            deviations = [Deviation(UNREADABLE, "", "", f"không đọc được tệp ({os_reason(exc)})")]
        report.files.append(AuditedFile(path, deviations))
    return report
