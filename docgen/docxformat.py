"""Read any .docx the way Word shows it: effective run and paragraph formatting.

Hand-made documents rarely use our style names, so the formatting of a run is
resolved through the layers Word applies, lowest first: document defaults
(``w:docDefaults``), the table style of the table it sits in, the paragraph style
and the styles it is based on, the character style and its bases, then the run's
own properties. Theme fonts (``minorHAnsi``...) are looked up in the theme part.

Simplification: toggle properties (bold, italic, caps) take the nearest value set
instead of Word's exclusive-or across style levels; documents almost never rely on
the difference.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from docgen.errors import NotDocx, PackageError
from docgen.safezip import DOCX_LIMITS, parse_xml, read_package

__all__ = ["DocxFile", "Indent", "LineSpacing", "ParagraphFormat", "RunFormat", "W"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFF = ("0", "false", "off", "none")
# Word's left and right cell margin when neither the cell, the table nor a table style
# sets one: 0.19 cm, the "Normal Table" style of a new document.
WORD_CELL_MARGIN = 108


@dataclass(frozen=True)
class RunFormat:
    """What a run of text looks like: fonts (Latin and other Latin letters), size in pt."""

    font: str | None = None
    font_hansi: str | None = None
    size: float = 10.0
    bold: bool = False
    italic: bool = False
    underline: bool = False
    caps: bool = False


@dataclass(frozen=True)
class ParagraphFormat:
    """A paragraph: its alignment and its visible runs as (text, format) pairs."""

    align: str
    runs: tuple[tuple[str, RunFormat], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass(frozen=True)
class LineSpacing:
    """A paragraph's line spacing as Word's Paragraph dialog shows it.

    Attributes:
        rule: ``auto`` (a multiple of single lines: ``value`` 240 is single, 360 is 1.5
            lines), ``exact`` or ``atLeast`` (``value`` in twips, 20 a point).
        value: ``w:line``.
    """

    rule: str
    value: int


@dataclass(frozen=True)
class Indent:
    """A paragraph's indents in twips: from the left and right text edges, and of the
    first line relative to the others (negative for a hanging indent)."""

    left: int = 0
    right: int = 0
    first_line: int = 0


def _on(element: Any) -> bool:
    return element.get(f"{W}val", "true") not in _OFF


def _xml(data: bytes, part: str) -> Any:
    try:
        return parse_xml(data, part)
    except PackageError as exc:
        raise NotDocx(str(exc)) from exc


@dataclass
class _Style:
    type: str
    based_on: str | None
    ppr: Any
    rpr: Any
    tblpr: Any = None


@dataclass
class DocxFile:
    """An opened .docx: parts, the main document, styles and theme fonts."""

    parts: dict[str, bytes]
    document: Any
    styles: dict[str, _Style] = field(default_factory=dict)
    default_para_style: str | None = None
    default_table_style: str | None = None
    default_rpr: Any = None
    default_ppr: Any = None
    theme_fonts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes) -> DocxFile:
        """Open .docx bytes.

        Raises:
            NotDocx: not a zip, no ``word/document.xml``, or a part that is not XML.
        """
        try:
            # Bounded (issue 20): a zip bomb or a part too large is refused while streaming.
            parts = {info.filename: body for info, body in read_package(data, DOCX_LIMITS)}
        except PackageError as exc:
            raise NotDocx(str(exc)) from exc
        if "word/document.xml" not in parts:
            raise NotDocx("thiếu word/document.xml")
        doc = cls(parts, _xml(parts["word/document.xml"], "word/document.xml"))
        if "word/styles.xml" in parts:
            doc._read_styles(_xml(parts["word/styles.xml"], "word/styles.xml"))
        theme = next((n for n in parts if re.match(r"word/theme/theme\d*\.xml$", n)), None)
        if theme:
            doc._read_theme(_xml(parts[theme], theme))
        return doc

    def _read_styles(self, root: Any) -> None:
        defaults = root.find(f"{W}docDefaults")
        if defaults is not None:
            self.default_rpr = defaults.find(f"{W}rPrDefault/{W}rPr")
            self.default_ppr = defaults.find(f"{W}pPrDefault/{W}pPr")
        for style in root.findall(f"{W}style"):
            sid = style.get(f"{W}styleId")
            if not sid:
                continue
            based = style.find(f"{W}basedOn")
            kind = style.get(f"{W}type", "paragraph")
            self.styles[sid] = _Style(
                kind,
                based.get(f"{W}val") if based is not None else None,
                style.find(f"{W}pPr"),
                style.find(f"{W}rPr"),
                style.find(f"{W}tblPr"),
            )
            if kind == "paragraph" and _on_attr(style.get(f"{W}default")):
                self.default_para_style = sid
            if kind == "table" and _on_attr(style.get(f"{W}default")):
                self.default_table_style = sid

    def _read_theme(self, root: Any) -> None:
        for scheme, prefix in (("majorFont", "major"), ("minorFont", "minor")):
            latin = root.find(f".//{_A}{scheme}/{_A}latin")
            if latin is not None and latin.get("typeface"):
                for script in ("Ascii", "HAnsi"):
                    self.theme_fonts[prefix + script] = latin.get("typeface")

    # ------------------------------------------------------------ parts
    @property
    def body(self) -> Any:
        return self.document.find(f"{W}body")

    def related_part(self, source: str, rel_id: str) -> tuple[str, Any] | None:
        """The part a relationship of ``source`` points to: (name, root element)."""
        folder, name = posixpath.split(source)
        rels = self.parts.get(posixpath.join(folder, "_rels", name + ".rels"))
        if rels is None:
            return None
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        for rel in _xml(rels, rels_name).iter(f"{_REL}Relationship"):
            if rel.get("Id") == rel_id:
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                if target in self.parts:
                    return target, _xml(self.parts[target], target)
        return None

    def section_parts(self, sect_pr: Any, kind: str) -> dict[str, Any]:
        """Header or footer parts (``kind`` = "header"/"footer") of a section, by type."""
        out = {}
        for ref in sect_pr.findall(f"{W}{kind}Reference"):
            part = self.related_part("word/document.xml", ref.get(_R_ID, ""))
            if part is not None:
                out[ref.get(f"{W}type", "default")] = part[1]
        return out

    # ------------------------------------------------------------ formatting
    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            style_id = style.based_on
        return list(reversed(chain))

    def _para_style(self, p: Any) -> str | None:
        ps = p.find(f"{W}pPr/{W}pStyle")
        return ps.get(f"{W}val") if ps is not None else self.default_para_style

    def _table_style(self, p: Any) -> _Style | None:
        table = next(p.iterancestors(f"{W}tbl"), None)
        if table is None:
            return None
        ts = table.find(f"{W}tblPr/{W}tblStyle")
        return self.styles.get(ts.get(f"{W}val", "")) if ts is not None else None

    def _rpr_layers(self, p: Any, run: Any | None) -> list[Any]:
        layers = [self.default_rpr]
        table = self._table_style(p)
        if table is not None:
            layers.append(table.rpr)
        layers += [s.rpr for s in self._chain(self._para_style(p))]
        if run is None:
            return [layer for layer in layers if layer is not None]
        rs = run.find(f"{W}rPr/{W}rStyle")
        if rs is not None:
            layers += [s.rpr for s in self._chain(rs.get(f"{W}val"))]
        layers.append(run.find(f"{W}rPr"))
        return [layer for layer in layers if layer is not None]

    def run_format(self, p: Any, run: Any) -> RunFormat:
        """The effective formatting of ``run`` inside paragraph ``p``."""
        values: dict[str, Any] = {}
        for rpr in self._rpr_layers(p, run):
            fonts = rpr.find(f"{W}rFonts")
            if fonts is not None:
                for key, attr in (("font", "ascii"), ("font_hansi", "hAnsi")):
                    theme = fonts.get(f"{W}{attr}Theme")
                    name = self.theme_fonts.get(theme or "") if theme else fonts.get(f"{W}{attr}")
                    if name:
                        values[key] = name
            size = rpr.find(f"{W}sz")
            if size is not None and (size.get(f"{W}val") or "").isdigit():
                values["size"] = int(size.get(f"{W}val")) / 2
            for tag, key in (("b", "bold"), ("i", "italic"), ("caps", "caps")):
                element = rpr.find(f"{W}{tag}")
                if element is not None:
                    values[key] = _on(element)
            underline = rpr.find(f"{W}u")
            if underline is not None:
                values["underline"] = underline.get(f"{W}val", "single") not in _OFF
        if "font" in values and "font_hansi" not in values:
            values["font_hansi"] = values["font"]
        return RunFormat(**values)

    def _ppr_layers(self, p: Any) -> list[Any]:
        """The paragraph properties that apply to ``p``, lowest first."""
        layers = [self.default_ppr]
        table = self._table_style(p)
        if table is not None:
            layers.append(table.ppr)
        layers += [s.ppr for s in self._chain(self._para_style(p))]
        layers.append(p.find(f"{W}pPr"))
        return [layer for layer in layers if layer is not None]

    def align(self, p: Any) -> str:
        """The paragraph's effective alignment (``left``, ``center``, ``both``, ``right``)."""
        value = "left"
        for ppr in self._ppr_layers(p):
            jc = ppr.find(f"{W}jc")
            if jc is not None:
                value = jc.get(f"{W}val", value)
        return {"start": "left", "end": "right"}.get(value, value)

    def line_spacing(self, p: Any) -> LineSpacing:
        """The paragraph's effective line spacing; single (240, ``auto``) when nothing sets it."""
        spacing = LineSpacing("auto", 240)
        for ppr in self._ppr_layers(p):
            element = ppr.find(f"{W}spacing")
            line = element.get(f"{W}line") if element is not None else None
            if line is not None and line.lstrip("-").isdigit():
                rule = element.get(f"{W}lineRule", "auto")
                spacing = LineSpacing(rule if rule in ("exact", "atLeast") else "auto", abs(int(line)))
        return spacing

    def indent(self, p: Any) -> Indent:
        """The paragraph's effective indents (``w:ind`` through the styles, attribute by
        attribute). A first line given in characters (``firstLineChars``, hundredths of a
        character, which Word prefers over twips) is taken at the paragraph's font size."""
        values = {"left": 0, "right": 0, "first_line": 0}
        for ppr in self._ppr_layers(p):
            ind = ppr.find(f"{W}ind")
            if ind is None:
                continue
            for key, names in (("left", ("left", "start")), ("right", ("right", "end"))):
                for name in names:
                    if _twips(ind.get(f"{W}{name}")) is not None:
                        values[key] = _twips(ind.get(f"{W}{name}")) or 0
            for name, sign in (("firstLine", 1), ("hanging", -1)):
                twips = _twips(ind.get(f"{W}{name}"))
                chars = _twips(ind.get(f"{W}{name}Chars"))
                if chars:
                    # one character is the font size wide (a full-width em), 20 twips a point
                    twips = round(chars / 100 * self.paragraph_size(p) * 20)
                if twips is not None:
                    values["first_line"] = sign * twips
        return Indent(**values)

    def paragraph_size(self, p: Any) -> float:
        """The font size of the paragraph's own style (no run's), in pt."""
        size = 10.0
        for rpr in self._rpr_layers(p, None):
            element = rpr.find(f"{W}sz")
            if element is not None and (element.get(f"{W}val") or "").isdigit():
                size = int(element.get(f"{W}val")) / 2
        return size

    def in_list(self, p: Any) -> bool:
        """Whether the paragraph is an item of a Word list (bullets or numbering)."""
        numbered = False
        for ppr in self._ppr_layers(p):
            num = ppr.find(f"{W}numPr/{W}numId")
            if num is not None:
                numbered = num.get(f"{W}val", "0") != "0"
        return numbered

    def has_border(self, p: Any, side: str) -> bool:
        """Whether the paragraph has a border line on ``side`` (``top``, ``bottom``...)."""
        found = False
        for ppr in self._ppr_layers(p):
            element = ppr.find(f"{W}pBdr/{W}{side}")
            if element is not None:
                found = element.get(f"{W}val", "nil") not in ("nil", "none")
        return found

    def cell_text_width(self, cell: Any) -> int | None:
        """The width in twips between a table cell's left and right margins: the cell's
        width (its grid columns, or ``w:tcW`` in twips) less the cell margins (the cell's,
        the table's, its table style's, else Word's default)."""
        table = next(cell.iterancestors(f"{W}tbl"), None)
        row = cell.getparent()
        if table is None or row is None:
            return None
        width = None
        grid = [_twips(g.get(f"{W}w")) for g in table.findall(f"{W}tblGrid/{W}gridCol")]
        if grid and None not in grid:
            before = row.find(f"{W}trPr/{W}gridBefore")  # grid columns the row leaves empty
            start = (_twips(before.get(f"{W}val")) or 0) if before is not None else 0
            for sibling in row.findall(f"{W}tc"):
                span_element = sibling.find(f"{W}tcPr/{W}gridSpan")
                span = _twips(span_element.get(f"{W}val")) if span_element is not None else None
                span = max(span or 1, 1)
                if sibling is cell:
                    cols = grid[start : start + span]
                    width = sum(c or 0 for c in cols) if cols else None
                    break
                start += span
        if width is None:
            tcw = cell.find(f"{W}tcPr/{W}tcW")
            if tcw is not None and tcw.get(f"{W}type", "dxa") == "dxa":
                width = _twips(tcw.get(f"{W}w"))
        if width is None:
            return None
        margins = {"left": WORD_CELL_MARGIN, "right": WORD_CELL_MARGIN}
        layers = []
        ts = table.find(f"{W}tblPr/{W}tblStyle")
        style_id = ts.get(f"{W}val") if ts is not None else self.default_table_style
        layers += [s.tblpr.find(f"{W}tblCellMar") for s in self._chain(style_id) if s.tblpr is not None]
        layers.append(table.find(f"{W}tblPr/{W}tblCellMar"))
        layers.append(cell.find(f"{W}tcPr/{W}tcMar"))
        for mar in layers:
            if mar is None:
                continue
            for key, names in (("left", ("left", "start")), ("right", ("right", "end"))):
                for name in names:
                    element = mar.find(f"{W}{name}")
                    if element is not None and element.get(f"{W}type", "dxa") in ("dxa", "nil"):
                        margins[key] = _twips(element.get(f"{W}w")) or 0
        return width - margins["left"] - margins["right"]

    def paragraph(self, p: Any) -> ParagraphFormat:
        """Alignment and visible runs of ``p`` (deleted text and nested text boxes left out)."""
        runs = []
        for run in p.iter(f"{W}r"):
            if next(run.iterancestors(f"{W}p"), None) is not p:
                continue
            if any(a.tag in (f"{W}del", f"{W}moveFrom") for a in run.iterancestors()):
                continue
            text = "".join(
                (t.text or "") if t.tag == f"{W}t" else " "
                for t in run
                if t.tag in (f"{W}t", f"{W}tab")
            )
            if text:
                runs.append((text, self.run_format(p, run)))
        return ParagraphFormat(self.align(p), tuple(runs))


def _twips(value: str | None) -> int | None:
    """A measure in twips (``w:w``, ``w:left``...); None when absent or not a number."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _on_attr(value: str | None) -> bool:
    return value is not None and value not in _OFF
