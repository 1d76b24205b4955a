"""The layout engine: turn the format profile into Word styles and the shared blocks
of every Party document (header, title, signature and recipients, page numbers).

Every size, margin and text here comes from the profile (resources/the-thuc.yaml),
which cites its sources. Document kinds compose these blocks with their own body
(see docgen/layout/kinds.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from docgen.layout.ooxml import (
    NS_DECL,
    XML_HEAD,
    Run,
    cell_margins,
    document_xml,
    header_xml,
    mm,
    para,
    pt_half,
    table,
    tc,
    tr,
    write_package,
)
from docgen.layout.theme import theme_xml
from docgen.models.profile import KieuChu, TheThuc

__all__ = ["DATA_TABLE_STYLE", "DROPPABLE_HEADER_STYLE", "Column", "Geometry", "Layout"]

# Default cell margins of Word's "Normal Table" (left and right), in twips.
CELL_MARGIN = 108
# The 1 pt paragraph style that ends a document and carries a section break.
END_STYLE = "CuoiVanBan"
# Space between the recipients ("Nơi nhận") and the signature column: the right margin of
# the recipients' cell in a table that otherwise has none.
GUTTER = CELL_MARGIN

# The table style every data table carries: docgen.layout.typeset fits the columns of the
# tables with this style (and only those) to their text once the data is in.
DATA_TABLE_STYLE = "BangDuLieu"
# The header paragraph style of a column that may be left out when no row has a text in it
# (the "Ghi chú" column): the same look as "BangRongTieuDe", a different name, so a ward
# office that edits a template sees which columns are dropped when empty.
DROPPABLE_HEADER_STYLE = "BangTieuDeBoTrong"


class Column(NamedTuple):
    """A data table's column, as kinds.py lists them.

    ``width_mm`` is the template's width for the A4 text width (165 mm), before the data is
    known; ``typeset`` replaces it with a width fitted to the column's text. A ``text`` of
    several lines gives a paragraph per line: the first is the item, the next its details,
    in italic (a member's role under the name). ``droppable``: the column is left out when
    every row's cell is empty.
    """

    header: str
    width_mm: float
    text: str
    align: str
    droppable: bool = False


@dataclass(frozen=True)
class Geometry:
    """Page and column widths (twips) derived from the profile."""

    text_width: int
    left_col: int
    right_col: int


class Layout:
    """Styles and shared blocks for one format profile."""

    def __init__(self, profile: TheThuc) -> None:
        self.p = profile
        page = profile.trang
        # Computed from the rounded twips of the page, so tables span exactly the text width.
        text_width = mm(page.rong_mm) - mm(page.le_trai_mm) - mm(page.le_phai_mm)
        left = round(text_width * profile.tieu_de.ty_le_cot_trai / 100)
        self.geo = Geometry(text_width=text_width, left_col=left, right_col=text_width - left)

    # ------------------------------------------------------------------ styles
    def _style(
        self,
        style_id: str,
        name: str,
        *,
        based_on: str = "Normal",
        kieu: KieuChu | None = None,
        size: float | None = None,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str | None = None,
        first_line: int | None = None,
        indent: tuple[int, int] | None = None,
        before: int = 0,
        after: int = 0,
        line_exact: int | None = None,
        keep_next: bool = False,
        border_bottom: bool = False,
        style_type: str = "paragraph",
        next_style: str | None = None,
    ) -> str:
        if kieu is not None:
            size = kieu.co_chu
            bold, italic, underline = kieu.dam, kieu.nghieng, kieu.gach_chan
        ppr = []
        if keep_next:
            ppr.append("<w:keepNext/>")
        if border_bottom:
            ppr.append(
                '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="2" w:color="000000"/></w:pBdr>'
            )
        line = f' w:line="{line_exact}" w:lineRule="exact"' if line_exact else ' w:line="240" w:lineRule="auto"'
        ppr.append(f'<w:spacing w:before="{before}" w:after="{after}"{line}/>')
        ind = []
        if indent:
            ind.append(f'w:left="{indent[0]}" w:right="{indent[1]}"')
        if first_line is not None:
            ind.append(f'w:firstLine="{first_line}"')
        if ind:
            ppr.append(f"<w:ind {' '.join(ind)}/>")
        if align:
            ppr.append(f'<w:jc w:val="{align}"/>')
        rpr = []
        if bold:
            rpr.append("<w:b/><w:bCs/>")
        if italic:
            rpr.append("<w:i/><w:iCs/>")
        if size:
            rpr.append(f'<w:sz w:val="{pt_half(size)}"/><w:szCs w:val="{pt_half(size)}"/>')
        if underline:
            rpr.append('<w:u w:val="single"/>')
        nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
        return (
            f'<w:style w:type="{style_type}" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/>{nxt}<w:qFormat/>'
            f"<w:pPr>{''.join(ppr)}</w:pPr><w:rPr>{''.join(rpr)}</w:rPr></w:style>"
        )

    def styles_xml(self) -> str:
        """``word/styles.xml``: defaults plus one named style per layout element."""
        p = self.p
        font = p.phong_chu.ten
        body = p.noi_dung
        body_line = round(body.gian_dong_pt * 20)
        body_after = round(body.cach_sau_pt * 20)
        first = mm(body.thut_dau_dong_mm)
        td = p.tieu_de
        rule = mm(td.quoc_hieu.do_dai_gach_mm)
        side = max(0, (self.geo.right_col - rule) // 2)  # the header table has no cell margins
        blank_lines = round(p.chu_ky.so_dong_trong * p.chu_ky.chuc_vu.co_chu * 1.45 * 20)
        body_text: dict[str, Any] = {
            "size": body.co_chu,
            "align": "both",
            "first_line": first,
            "after": body_after,
            "line_exact": body_line,
        }
        # Headings keep the body's size, indent and spacing but are not justified: a
        # wrapped upper-case heading would be stretched with wide gaps between its words
        # (party-document-format §3 sets no alignment for I./1./1.1 headings).
        heading: dict[str, Any] = {
            "based_on": "NoiDung",
            "next_style": "NoiDung",
            **body_text,
            "align": "left",
        }
        custom = [
            # header block
            self._style("CoQuanCapTren", "Cơ quan cấp trên", kieu=td.co_quan_cap_tren, align="center"),
            self._style("CoQuanBanHanh", "Cơ quan ban hành", kieu=td.co_quan_ban_hanh, align="center"),
            self._style("DauSao", "Dấu sao", kieu=td.dau_sao, align="center"),
            self._style("SoKyHieu", "Số và ký hiệu", kieu=td.so_ky_hieu, align="center"),
            self._style(
                "QuocHieu",
                "Tiêu đề Đảng",
                kieu=td.quoc_hieu,
                align="center",
                indent=(side, side),
                border_bottom=True,
            ),
            self._style("DiaDanhNgay", "Địa danh và ngày tháng", kieu=td.dia_danh_ngay, align="center"),
            # title block
            self._style(
                "TenLoai",
                "Tên loại văn bản",
                kieu=p.ten_loai,
                align="center",
                before=round(p.ten_loai.cach_tren_pt * 20),
                keep_next=True,
            ),
            self._style("TrichYeu", "Trích yếu", kieu=p.trich_yeu, align="center", keep_next=True),
            self._style(
                "GachTrichYeu",
                "Gạch dưới trích yếu",
                kieu=p.gach_trich_yeu,
                align="center",
                after=240,
            ),
            # body
            self._style("NoiDung", "Nội dung", **body_text),
            self._style(
                "DoanKet", "Đoạn kết (liền với chữ ký)", based_on="NoiDung", keep_next=True, **body_text
            ),
            self._style(
                "DeMuc1", "Đề mục 1 (I, II)", bold=True, keep_next=True, **heading
            ),
            self._style(
                "DeMuc2", "Đề mục 2 (1, 2)", bold=True, keep_next=True, **heading
            ),
            self._style(
                "DeMuc3",
                "Đề mục 3 (1.1)",
                bold=True,
                italic=True,
                keep_next=True,
                **heading,
            ),
            # tables
            self._style("Bang", "Chữ trong bảng", size=p.bang.co_chu, align="left", before=40, after=40),
            self._style(
                "BangGiua", "Chữ trong bảng (giữa)", size=p.bang.co_chu, align="center", before=40, after=40
            ),
            self._style(
                "BangTieuDe",
                "Tiêu đề cột bảng",
                size=p.bang.co_chu,
                bold=True,
                align="center",
                before=40,
                after=40,
            ),
            self._style(
                "BangRong", "Chữ trong bảng nhiều cột", size=p.bang.co_chu_bang_rong, align="left"
            ),
            self._style(
                "BangRongGiua",
                "Chữ trong bảng nhiều cột (giữa)",
                size=p.bang.co_chu_bang_rong,
                align="center",
            ),
            self._style(
                "BangRongTieuDe",
                "Tiêu đề cột bảng nhiều cột",
                size=p.bang.co_chu_bang_rong,
                bold=True,
                align="center",
            ),
            self._style(
                DROPPABLE_HEADER_STYLE,
                "Tiêu đề cột bỏ khi trống",
                based_on="BangRongTieuDe",
                size=p.bang.co_chu_bang_rong,
                bold=True,
                align="center",
            ),
            self._style("SauBang", "Khoảng cách sau bảng", size=6),
            # The document ends after the signature table with this near-invisible
            # paragraph: Word adds one anyway, and a full-size one can spill onto a
            # blank last page.
            self._style(END_STYLE, "Cuối văn bản", size=1, line_exact=20),
            self._style("TieuDePhuLuc", "Tiêu đề phụ lục", size=body.co_chu, bold=True, align="center"),
            self._style("GhiChuPhuLuc", "Dòng kèm theo của phụ lục", size=body.co_chu, italic=True,
                        align="center", after=240),
            self._style("QuyetNghi", "Quyết nghị", size=body.co_chu, bold=True, align="center",
                        before=120, after=120, keep_next=True),
            # signature and recipients
            self._style("ThamQuyen", "Thẩm quyền ký", kieu=p.chu_ky.tham_quyen, align="center"),
            self._style("ChucVuKy", "Chức vụ người ký", kieu=p.chu_ky.chuc_vu, align="center"),
            self._style(
                "HoTenKy", "Họ tên người ký", kieu=p.chu_ky.ho_ten, align="center", before=blank_lines
            ),
            self._style("NoiNhan", "Nơi nhận", size=p.noi_nhan.tieu_de.co_chu, align="left"),
            self._style("NoiNhanMuc", "Nơi nhận (từng nơi)", kieu=p.noi_nhan.muc, align="left"),
            self._style("SoTrang", "Số trang", size=p.so_trang.co_chu, align="center"),
            self._style("DuThao", "Dấu dự thảo", size=p.so_trang.co_chu, bold=True, align="right"),
        ]
        lang = p.phong_chu.ngon_ngu
        return (
            f"{XML_HEAD}<w:styles {NS_DECL}>"
            "<w:docDefaults><w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
            f'<w:sz w:val="{pt_half(body.co_chu)}"/><w:szCs w:val="{pt_half(body.co_chu)}"/>'
            f'<w:lang w:val="{lang}" w:eastAsia="en-US" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault>"
            '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
            '<w:name w:val="Normal"/><w:qFormat/></w:style>'
            '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
            '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/>'
            "<w:semiHidden/><w:unhideWhenUsed/></w:style>"
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
            '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
            '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
            f'<w:top w:w="0" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
            f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr></w:style>"
            '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
            '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
            "<w:unhideWhenUsed/></w:style>"
            f"{self._data_table_style()}"
            f"{''.join(custom)}</w:styles>"
        )

    def _data_table_style(self) -> str:
        """The table style of data tables: borders and the profile's cell margins (``bang``),
        so a table keeps them even where its own properties leave them out."""
        bang = self.p.bang
        edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        edges = "".join(edge.format(e) for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
        margins = cell_margins(
            "tblCellMar",
            top=mm(bang.le_o_tren_duoi_mm),
            left=mm(bang.le_o_mm),
            bottom=mm(bang.le_o_tren_duoi_mm),
            right=mm(bang.le_o_mm),
        )
        return (
            f'<w:style w:type="table" w:customStyle="1" w:styleId="{DATA_TABLE_STYLE}">'
            '<w:name w:val="Bảng dữ liệu"/><w:basedOn w:val="TableNormal"/><w:qFormat/>'
            f"<w:tblPr><w:tblBorders>{edges}</w:tblBorders>{margins}</w:tblPr></w:style>"
        )

    # ------------------------------------------------------------------ blocks
    def header_block(self, *, date_line: bool = True) -> str:
        """The two-column first-page header: issuing bodies left, party title right.

        Row 1: superior body, one or more lines (regular), issuing body (bold), ``*`` | the
        party title with its rule. Row 2: ``Số ...`` | the italic place-date line.
        """
        td = self.p.tieu_de
        g = self.geo
        number = f"{td.so_ky_hieu.tien_to or 'Số'} {{{{ so_ky_hieu }}}}"
        left1 = tc(
            g.left_col,
            # one paragraph per superior line (``cap_tren`` may list several)
            para(None, "{%p for dong in dong_cap_tren %}"),
            para("CoQuanCapTren", "{{ dong }}"),
            para(None, "{%p endfor %}"),
            para("CoQuanBanHanh", "{{ co_quan_ban_hanh }}"),
            para("DauSao", td.dau_sao.van_ban or "*"),
        )
        right1 = tc(g.right_col, para("QuocHieu", td.quoc_hieu.van_ban or ""))
        left2 = tc(g.left_col, para("SoKyHieu", number))
        right2 = tc(
            g.right_col,
            para("DiaDanhNgay", "{{ dia_danh }}, {{ ngay_thang_nam }}") if date_line else para(None),
        )
        # No cell margins: long names ("ĐẢNG ỦY PHƯỜNG NGỌC HÀ") use the full column.
        return table([g.left_col, g.right_col], [tr(left1, right1), tr(left2, right2)], cell_margin=0)

    def title_block(self, type_name: str, *summary_lines: str) -> str:
        """``KẾ HOẠCH`` / trích yếu line(s) / ``-----``."""
        out = [para("TenLoai", type_name)]
        out += [para("TrichYeu", line) for line in summary_lines]
        rule = self.p.gach_trich_yeu
        if rule and rule.van_ban:
            out.append(para("GachTrichYeu", rule.van_ban))
        return "".join(out)

    def signature_block(self) -> str:
        """Recipients (left) and the signature (right) in a borderless table.

        Like the header table, the table has no cell margins: "Nơi nhận:" starts at the
        text's left margin, and the signature column is centred under the party title.
        The recipients' cell keeps a right margin, a gutter before the signature column.
        """
        g = self.geo
        nn = self.p.noi_nhan.tieu_de
        left = tc(
            g.left_col,
            para("NoiNhan", Run(nn.van_ban or "Nơi nhận", underline=nn.gach_chan), ":"),
            para(None, "{%p for nn in noi_nhan %}"),
            para("NoiNhanMuc", "{{ nn }}"),
            para(None, "{%p endfor %}"),
            margins={"right": GUTTER},
        )
        right = tc(
            g.right_col,
            para("ThamQuyen", "{{ tham_quyen }}"),
            para("ChucVuKy", "{{ chuc_vu_ky }}"),
            para("HoTenKy", "{{ nguoi_ky }}"),
        )
        return table([g.left_col, g.right_col], [tr(left, right, cant_split=True)], cell_margin=0)

    def minutes_signature_block(self, left_name: str, right_name: str) -> str:
        """The two signatures of minutes (biên bản) side by side, in a borderless table:
        the minute-taker left, the chair right; no ``T/M``, no recipients (profile
        ``bien_ban``). Each column: the role in upper case, the blank for the signature,
        the name. No cell margins, as in the header table: each signature is centred
        under the header's column above it."""
        g = self.geo
        bb = self.p.bien_ban
        left = tc(g.left_col, para("ThamQuyen", bb.chu_ky_trai[0]), para("HoTenKy", left_name))
        right = tc(g.right_col, para("ThamQuyen", bb.chu_ky_phai[0]), para("HoTenKy", right_name))
        return table([g.left_col, g.right_col], [tr(left, right, cant_split=True)], cell_margin=0)

    def data_table(
        self,
        loop: str | None,
        columns: Sequence[Column | tuple[str, float, str, str]],
        footer: list[list[str]] | None = None,
    ) -> str:
        """A bordered table with a header row repeated on every page and one row per item.

        Args:
            loop: The loop header, e.g. ``r in bang``; None for a single fixed row.
            columns: :class:`Column` (header text, width in mm, cell text, "left"/"center",
                droppable), or the first four as a tuple. Widths are given for the A4 text
                width (165 mm) and scaled so the table spans exactly the text width of the
                profile's page; ``docgen.layout.typeset`` fits them to the rendered text.
            footer: Fixed rows after the items (totals), one text per column, in bold.

        The table has the style ``DATA_TABLE_STYLE``, the mark ``typeset`` recognises.
        Cell margins come from the profile (``bang``): every cell has ``le_o_tren_duoi_mm``
        above and below; a left-aligned column ``le_o_mm`` on each side, a centred one
        ``le_o_giua_mm`` (its short texts have room on both sides already).
        """
        cols_spec = [Column(*c) for c in columns]
        bang = self.p.bang
        text_margin, centre_margin = mm(bang.le_o_mm), mm(bang.le_o_giua_mm)
        total = sum(c.width_mm for c in cols_spec)
        widths = [round(self.geo.text_width * c.width_mm / total) for c in cols_spec]
        widths[-1] = self.geo.text_width - sum(widths[:-1])
        # Per column: (width, cell margins overriding the table's, or None).
        cols = [
            (w, {"left": centre_margin, "right": centre_margin} if c.align == "center" else None)
            for w, c in zip(widths, cols_spec, strict=True)
        ]
        header = tr(
            *(
                tc(
                    w,
                    para(DROPPABLE_HEADER_STYLE if c.droppable else "BangRongTieuDe", c.header),
                    valign="center",
                    margins=mar,
                )
                for (w, mar), c in zip(cols, cols_spec, strict=True)
            ),
            header=True,
            cant_split=True,
        )
        first = tc(widths[0], para(None, f"{{%tr for {loop} %}}"))
        opener = tr(first, *(tc(w) for w in widths[1:]))
        cells = []
        for (w, mar), c in zip(cols, cols_spec, strict=True):
            style = "BangRongGiua" if c.align == "center" else "BangRong"
            item, *details = c.text.split("\n")
            paragraphs = [para(style, item)] + [para(style, Run(line, italic=True)) for line in details]
            cells.append(tc(w, *paragraphs, margins=mar))
        row = tr(*cells, cant_split=True)
        closer = tr(tc(widths[0], para(None, "{%tr endfor %}")), *(tc(w) for w in widths[1:]))
        rows = [header, opener, row, closer] if loop else [header, row]
        for texts in footer or []:
            rows.append(
                tr(
                    *(
                        tc(w, para("BangRongTieuDe", text), margins=mar)
                        for (w, mar), text in zip(cols, texts, strict=True)
                    ),
                    cant_split=True,
                )
            )
        # A small empty paragraph after the table keeps the next text off its bottom border.
        return table(
            widths,
            rows,
            style=DATA_TABLE_STYLE,
            borders=True,
            cell_margin=text_margin,
            cell_margin_v=mm(bang.le_o_tren_duoi_mm),
        ) + para("SauBang")

    def section_break(self) -> str:
        """End the current section here; the next starts on a new page with its own
        page numbering (an appendix is numbered separately, party-document-format §1).
        The paragraph carrying the break is of the 1 pt style, so it takes no room (a
        full-size one can push the section's end onto a page of its own)."""
        return f'<w:p><w:pPr><w:pStyle w:val="{END_STYLE}"/>{self.sect_pr()}</w:pPr></w:p>'

    def document_end(self, body: str) -> str:
        """``body`` ended by the 1 pt paragraph: after the last table (the signature, an
        annex's table), Word would otherwise append a full-size empty paragraph, which can
        spill onto a blank last page. A data table's trailing spacer paragraph, when it
        ends the document, becomes that paragraph."""
        spacer = para("SauBang")
        if body.endswith(spacer):
            body = body[: -len(spacer)]
        return body + para(END_STYLE)

    def sect_pr(self, *, appendix: bool = False) -> str:
        """Section properties: A4, margins, page number header from page 2.

        ``appendix``: the section of an appendix, numbered on its own from 1
        (party-document-format §1) and on every page, its first included: only the
        document's first page, the one with the header block, goes without a number.
        """
        page = self.p.trang
        first_page = "" if appendix else "<w:titlePg/>"
        return (
            '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeaderDefault"/>'
            '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
            f'<w:pgSz w:w="{mm(page.rong_mm)}" w:h="{mm(page.cao_mm)}"/>'
            f'<w:pgMar w:top="{mm(page.le_tren_mm)}" w:right="{mm(page.le_phai_mm)}" '
            f'w:bottom="{mm(page.le_duoi_mm)}" w:left="{mm(page.le_trai_mm)}" '
            f'w:header="{mm(page.cach_mep_tren_so_trang_mm)}" w:footer="{mm(page.le_duoi_mm / 2)}" '
            'w:gutter="0"/><w:pgNumType w:start="1"/><w:cols w:space="720"/>'
            f"{first_page}"
            '<w:docGrid w:linePitch="360"/></w:sectPr>'
        )

    # ------------------------------------------------------------------ package
    def package(self, body: str, title: str) -> bytes:
        """A complete .docx package around ``body``."""
        font = self.p.phong_chu.ten
        page_number = para(
            "SoTrang",
        ).replace(
            "</w:p>",
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            "<w:r><w:t>2</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        )
        wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
        parts = {
            "[Content_Types].xml": (
                f"{XML_HEAD}"
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{wml}.document.main+xml"/>'
                f'<Override PartName="/word/styles.xml" ContentType="{wml}.styles+xml"/>'
                f'<Override PartName="/word/settings.xml" ContentType="{wml}.settings+xml"/>'
                f'<Override PartName="/word/fontTable.xml" ContentType="{wml}.fontTable+xml"/>'
                f'<Override PartName="/word/header1.xml" ContentType="{wml}.header+xml"/>'
                f'<Override PartName="/word/header2.xml" ContentType="{wml}.header+xml"/>'
                '<Override PartName="/word/theme/theme1.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                '<Override PartName="/docProps/app.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                f"{XML_HEAD}"
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/officeDocument" Target="word/document.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/extended-properties" Target="docProps/app.xml"/>'
                "</Relationships>"
            ),
            "docProps/core.xml": (
                f"{XML_HEAD}"
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f"<dc:title>{escape(title)}</dc:title><dc:creator>docgen</dc:creator>"
                "</cp:coreProperties>"
            ),
            "docProps/app.xml": (
                f"{XML_HEAD}"
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties"><Application>docgen</Application>'
                "<DocSecurity>0</DocSecurity></Properties>"
            ),
            "word/_rels/document.xml.rels": (
                f"{XML_HEAD}"
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/styles" Target="styles.xml"/>'
                '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/settings" Target="settings.xml"/>'
                '<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/fontTable" Target="fontTable.xml"/>'
                '<Relationship Id="rIdHeaderDefault" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/header" Target="header1.xml"/>'
                '<Relationship Id="rIdHeaderFirst" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/header" Target="header2.xml"/>'
                '<Relationship Id="rIdTheme" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>'
                "</Relationships>"
            ),
            # A section break in the body (section_break) starts an appendix: the last
            # section is the appendix's.
            "word/document.xml": document_xml(
                self.document_end(body), self.sect_pr(appendix="<w:sectPr>" in body)
            ),
            "word/styles.xml": self.styles_xml(),
            "word/settings.xml": (
                f"{XML_HEAD}<w:settings {NS_DECL}>"
                '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
                '<w:characterSpacingControl w:val="doNotCompress"/>'
                '<w:compat><w:compatSetting w:name="compatibilityMode" '
                'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
                f'<w:themeFontLang w:val="{self.p.phong_chu.ngon_ngu}"/></w:settings>'
            ),
            "word/fontTable.xml": (
                f"{XML_HEAD}<w:fonts {NS_DECL}>"
                f'<w:font w:name="{font}"><w:panose1 w:val="02020603050405020304"/>'
                '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
                "</w:font></w:fonts>"
            ),
            "word/header1.xml": header_xml(page_number),
            # The first page has no page number; a draft shows its mark there.
            "word/header2.xml": header_xml(para("DuThao", "{% if du_thao %}DỰ THẢO{% endif %}")),
            "word/theme/theme1.xml": theme_xml(font),
        }
        return write_package(parts)
