"""Small WordprocessingML writer used to build the built-in templates.

We write the package by hand instead of starting from python-docx's stock
template: that template carries parts and settings that strict validators
(openxml-audit) flag, and we want every style the ward office sees in Word to be
one we defined. Element order inside ``pPr``/``rPr``/``tblPr``/``tcPr``/``sectPr``
follows the schema (ECMA-376 Part 1, §17), which Word checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from docgen.formatting import heading_text, title_text
from docgen.ziputil import write_zip

__all__ = [
    "NS_DECL",
    "Run",
    "cell_margins",
    "mm",
    "para",
    "pt_half",
    "run",
    "table",
    "tc",
    "tr",
    "write_package",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

def mm(value: float) -> int:
    """Millimetres to twentieths of a point (twips)."""
    return round(value * 1440 / 25.4)


def pt_half(value: float) -> int:
    """Points to half-points (``w:sz``)."""
    return round(value * 2)


def rpr(
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    underline: bool | None = None,
    size: float | None = None,
    caps: bool | None = None,
) -> str:
    """Run properties in schema order; ``None`` leaves a property to the style."""
    out = []
    if bold is not None:
        out.append("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
    if italic is not None:
        out.append("<w:i/><w:iCs/>" if italic else '<w:i w:val="0"/><w:iCs w:val="0"/>')
    if caps is not None:
        out.append("<w:caps/>" if caps else '<w:caps w:val="0"/>')
    if size is not None:
        out.append(f'<w:sz w:val="{pt_half(size)}"/><w:szCs w:val="{pt_half(size)}"/>')
    if underline is not None:
        out.append(f'<w:u w:val="{"single" if underline else "none"}"/>')
    return f"<w:rPr>{''.join(out)}</w:rPr>" if out else ""


@dataclass(frozen=True)
class Run:
    """A run of text with optional direct formatting."""

    text: str
    bold: bool | None = None
    italic: bool | None = None
    underline: bool | None = None

    def xml(self) -> str:
        props = rpr(bold=self.bold, italic=self.italic, underline=self.underline)
        return f'<w:r>{props}<w:t xml:space="preserve">{escape(self.text)}</w:t></w:r>'


def run(text: str, **fmt: bool) -> Run:
    """Shorthand for :class:`Run`."""
    return Run(text, **fmt)


# The template's own text in headings, titles and summary lines is set as the documents'
# data is (docgen.formatting: «năm 2026» and «quý III» tied, no short last word alone).
HEADING_STYLES = frozenset({"DeMuc1", "DeMuc2", "DeMuc3"})
TITLE_STYLES = frozenset({"TrichYeu", "TieuDePhuLuc"})


def para(style: str | None, *runs: Run | str, ppr_extra: str = "") -> str:
    """A paragraph with a style and runs (plain strings become unformatted runs)."""
    if style in HEADING_STYLES and runs and isinstance(runs[-1], str):
        runs = (*runs[:-1], heading_text(runs[-1]))
    elif style in TITLE_STYLES:
        runs = tuple(title_text(r) if isinstance(r, str) else r for r in runs)
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{style_xml}{ppr_extra}</w:pPr>" if (style_xml or ppr_extra) else ""
    body = "".join((r if isinstance(r, Run) else Run(r)).xml() for r in runs)
    return f"<w:p>{props}{body}</w:p>"


def cell_margins(
    tag: str,
    *,
    top: int | None = None,
    left: int | None = None,
    bottom: int | None = None,
    right: int | None = None,
) -> str:
    """``w:tblCellMar`` (``tag="tblCellMar"``) or ``w:tcMar``: the given sides, in twips."""
    sides = (("top", top), ("left", left), ("bottom", bottom), ("right", right))
    inner = "".join(f'<w:{side} w:w="{value}" w:type="dxa"/>' for side, value in sides if value is not None)
    return f"<w:{tag}>{inner}</w:{tag}>" if inner else ""


def tc(
    width: int,
    *content: str,
    valign: str = "top",
    span: int = 1,
    shade: str | None = None,
    margins: dict[str, int] | None = None,
) -> str:
    """A table cell; ``content`` are paragraphs (a cell must hold at least one).

    ``margins`` (``top``/``left``/``bottom``/``right``, twips) override the table's
    cell margins for this cell only.
    """
    inner = "".join(content) or "<w:p/>"
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    mar = cell_margins("tcMar", **(margins or {}))
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}{fill}{mar}'
        f'<w:vAlign w:val="{valign}"/></w:tcPr>{inner}</w:tc>'
    )


def tr(*cells: str, header: bool = False, cant_split: bool = False) -> str:
    """A table row; ``header`` repeats it at the top of every page."""
    props = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    trpr = f"<w:trPr>{props}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def table(
    widths: list[int],
    rows: list[str],
    *,
    style: str | None = None,
    borders: bool = False,
    cell_margin: int | None = None,
    cell_margin_v: int | None = None,
) -> str:
    """A fixed-layout, centred table with the given column widths (twips).

    ``cell_margin`` sets the left and right margin inside every cell, ``cell_margin_v``
    the top and bottom one (twips); None keeps the table style's ("Normal Table").
    """
    edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' if borders else '<w:{0} w:val="nil"/>'
    edges = "".join(edge.format(e) for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = cell_margins(
        "tblCellMar", top=cell_margin_v, left=cell_margin, bottom=cell_margin_v, right=cell_margin
    )
    style_xml = f'<w:tblStyle w:val="{style}"/>' if style else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr>{style_xml}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{edges}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/>{margins}'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def document_xml(body: str, sect_pr: str) -> str:
    return f"{XML_HEAD}<w:document {NS_DECL}><w:body>{body}{sect_pr}</w:body></w:document>"


def header_xml(body: str) -> str:
    return f"{XML_HEAD}<w:hdr {NS_DECL}>{body}</w:hdr>"


def attr(value: str) -> str:
    """A quoted XML attribute value."""
    return quoteattr(value)


def write_package(parts: dict[str, str]) -> bytes:
    """Zip ``parts`` (name -> XML text) into a .docx with fixed timestamps (the built-in
    templates stay byte-identical between builds)."""
    return write_zip((name, text.encode("utf-8")) for name, text in parts.items())
