"""Typesetting passes over a rendered document's body (issue 18).

A template fixes the layout before the data is known; some decisions need the data:
how wide a table's columns should be for the text they hold, whether a "Ghi chú"
column is empty in every row, which paragraph is a lead-in to a list, whether a table
is short enough to keep on one page. Each pass here takes the parsed
``word/document.xml`` of a rendered document, changes layout properties only (never
the text a reader sees, never the document's order), and says whether it changed
anything. docgen.render runs them, in the order of ``PASSES``, on every document it
renders, after the rendered part was checked to be safe and well formed.

A pass acts only on what docgen's own layout marks (its style ids, e.g. a data table's
``BangDuLieu``-like style or the body's ``NoiDung``), so a template the ward office
made from scratch keeps its own layout. Values (widths, thresholds, margins) come from
the format profile or are named constants here with their reason.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from lxml import etree

from docgen.docxformat import WORD_CELL_MARGIN
from docgen.layout.engine import DATA_TABLE_STYLE, DROPPABLE_HEADER_STYLE, END_STYLE
from docgen.layout.ooxml import W_NS, mm

__all__ = ["PASSES", "fit_data_tables", "typeset"]

# One pass: the document part's root element in, whether it changed anything out.
Pass = Callable[[Any], bool]


# ---- tables
#
# fit_data_tables: every table with docgen's data table style (engine.DATA_TABLE_STYLE) gets
# its columns fitted to the text it holds once rendered, its empty droppable columns
# ("Ghi chú") removed, and the profile's cell margins where it has none. One walk over the
# body's top-level elements; tables without the style (header, signature, a ward office's
# own) are left as they are.

W = f"{{{W_NS}}}"

# Average advance width of one character, in em (font size = 1 pt gives points), for
# Times New Roman and its metric twin Liberation Serif: the advance widths of Liberation
# Serif 2 (the table in tests/textwidth.py, read from the font) averaged over every
# character of the sample workspace's rendered data tables (43 766 characters: 58 %
# lower-case Vietnamese letters, 16 % spaces, 14 % capitals, 10 % digits). A column's
# typical text is estimated from its character count with these.
AVERAGE_GLYPH_EM = 0.459
AVERAGE_GLYPH_EM_BOLD = 0.485
# A single word is estimated by the class of each character (same measure, per class), so
# a column of capitals ("KHT") or digits is not under-estimated: (regular, bold) in em.
# Digits are exact (Times New Roman's figures are all 0.5 em); ". , ; : /" count as the
# widest of them (":" in bold), "%" ("100,0%" in a rates row) at its own width.
GLYPH_CLASS_EM: dict[str, tuple[float, float]] = {
    "upper": (0.682, 0.718),
    "lower": (0.459, 0.496),
    "digit": (0.5, 0.5),
    "space": (0.25, 0.25),
    "narrow": (0.28, 0.333),
    "wide": (0.833, 1.0),
    "other": (0.348, 0.359),
}
_NARROW = frozenset(".,;:/")
_WIDE = frozenset("%&@")  # their exact widths: % and & are the widest (0.833, 1 em in bold)
# The class averages miss wide letters (m, w, ư, ơ, %): a word's letters and symbols count
# this much more than their estimate, so a column's longest word holds on one line. 1.2:
# over the sample's words of 2 characters or more the exact width is at most 1.19 times
# the class estimate.
WORD_SAFETY = 1.2
# A column's typical text: this quantile of its rows' text lengths (the long tail of a few
# rows does not widen a column for every row).
TYPICAL_QUANTILE = 0.8
# No cell wraps to more lines than this while another column could give it room: a column
# is at least its longest cell's text divided by this (a rare long note stays readable).
MAX_CELL_LINES = 6
# The row's subject, its first left-aligned column (a member's or a cell's name), keeps its
# items (each cell's first paragraph) on one line when none is longer than this: a
# 20-character name is 38 mm at 11 pt; a cell's name of 56 mm may take two. Twips (50 mm).
ONE_LINE_MAX = mm(50)

# Paragraph styles of table text: (the profile's size field in ``bang``, bold).
_TABLE_TEXT: dict[str, tuple[str, bool]] = {
    "BangRong": ("co_chu_bang_rong", False),
    "BangRongGiua": ("co_chu_bang_rong", False),
    "BangRongTieuDe": ("co_chu_bang_rong", True),
    DROPPABLE_HEADER_STYLE: ("co_chu_bang_rong", True),
    "Bang": ("co_chu", False),
    "BangGiua": ("co_chu", False),
    "BangTieuDe": ("co_chu", True),
}
_DEFAULT_TEXT = ("co_chu_bang_rong", False)
_LEFT_STYLES = frozenset({"BangRong", "Bang"})
_PSTYLE, _T, _P, _JC, _VAL = f"{W}pStyle", f"{W}t", f"{W}p", f"{W}jc", f"{W}val"
_TR, _TC, _TCW = f"{W}tr", f"{W}tc", f"{W}tcW"
# The XSLT reading the data tables out as text: private-use characters start a table ("X"
# after it: merged cells or a table inside), a row ("H": a header row), a cell, a
# paragraph, and separate a paragraph's style, alignment and text. A user may type them
# (or a template hold them), so every value read is stripped of them (translate) before
# it is written between them; a width estimate misses nothing by it.
_TABLE, _ROW, _CELL, _PARA, _FIELD = "\ue003", "\ue002", "\ue001", "\ue000", "\ue004"
_READER = etree.XSLT(
    etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:w="{W_NS}"><xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:for-each
 select="/w:document/w:body/w:tbl[w:tblPr/w:tblStyle/@w:val='{DATA_TABLE_STYLE}']">
<xsl:text>&#xE003;</xsl:text><xsl:if test=".//w:gridSpan or .//w:vMerge or .//w:tbl">X</xsl:if>
<xsl:for-each select="w:tr"><xsl:text>&#xE002;</xsl:text><xsl:if test="w:trPr/w:tblHeader">H</xsl:if>
<xsl:for-each select="w:tc"><xsl:text>&#xE001;</xsl:text><xsl:for-each select=".//w:p">
<xsl:text>&#xE000;</xsl:text><xsl:value-of select="translate(w:pPr/w:pStyle/@w:val, '&#xE000;&#xE001;&#xE002;&#xE003;&#xE004;', '')"/>
<xsl:text>&#xE004;</xsl:text><xsl:value-of select="translate(w:pPr/w:jc/@w:val, '&#xE000;&#xE001;&#xE002;&#xE003;&#xE004;', '')"/>
<xsl:text>&#xE004;</xsl:text><xsl:for-each select=".//w:t"><xsl:value-of select="translate(., '&#xE000;&#xE001;&#xE002;&#xE003;&#xE004;', '')"/></xsl:for-each>
</xsl:for-each></xsl:for-each></xsl:for-each></xsl:for-each></xsl:template></xsl:stylesheet>"""
    )
)
_TBLPR_AFTER_CELL_MARGINS = {f"{W}tblLook", f"{W}tblCaption", f"{W}tblDescription"}


def _bang() -> Any:
    from docgen.resources import profile  # the profile is read (and cached) on first use

    return profile().bang


_CHAR_CLASS: dict[str, str] = {}


def _char_class(char: str) -> str:
    found = _CHAR_CLASS.get(char)
    if found is None:
        base = unicodedata.normalize("NFD", char)[0]
        if base == " ":
            found = "space"
        elif base in _NARROW:
            found = "narrow"
        elif base in _WIDE:
            found = "wide"
        elif base.isdigit():
            found = "digit"
        elif base.isupper():
            found = "upper"
        elif base.islower():
            found = "lower"
        else:
            found = "other"
        _CHAR_CLASS[char] = found
    return found


def _word_em(word: str, bold: bool) -> float:
    """A word's width in em: exact classes as they are, the others with WORD_SAFETY."""
    index = 1 if bold else 0
    exact = loose = 0.0
    for char in word:
        kind = _char_class(char)
        if kind in ("digit", "narrow", "wide", "space"):
            exact += GLYPH_CLASS_EM[kind][index]
        else:
            loose += GLYPH_CLASS_EM[kind][index]
    return exact + loose * WORD_SAFETY


@lru_cache(maxsize=4096)
def _longest_word_em(text: str, bold: bool) -> float:
    """The widest word of ``text`` in em, by character class (``_word_em``)."""
    words = text.split()
    if not words:
        return 0.0
    longest = max(len(w) for w in words)
    # Only words near the longest count can be the widest (a capital is < 1.6 letters).
    return max(_word_em(w, bold) for w in words if len(w) * 1.6 >= longest)


class _Para:
    """What the widths need of one paragraph of a cell: its text, font and one-line width."""

    __slots__ = ("text", "size", "bold", "style_id", "jc", "width")

    def __init__(self, style_id: str, jc: str | None, text: str, sizes: dict[str, float]) -> None:
        field, self.bold = _TABLE_TEXT.get(style_id, _DEFAULT_TEXT)
        self.style_id, self.jc, self.text = style_id, jc, text
        self.size = sizes[field]
        # The paragraph on one line (twips), from its character count.
        em = AVERAGE_GLYPH_EM_BOLD if self.bold else AVERAGE_GLYPH_EM
        self.width = len(text) * em * self.size * 20

    @property
    def left(self) -> bool:
        """Left-aligned: aligned so itself, or in one of docgen's left table styles."""
        if self.jc is not None:
            return self.jc in ("left", "start")
        return self.style_id in _LEFT_STYLES

    def exact_width(self) -> float:
        """The paragraph on one line (twips), by character class (``_word_em``)."""
        return _word_em(self.text, self.bold) * self.size * 20

    def longest_word(self) -> float:
        """Its widest word (twips), by character class (``_word_em``)."""
        return _longest_word_em(self.text, self.bold) * self.size * 20


def _first(element: Any, tag: str) -> Any:
    """The first child ``tag`` of ``element`` or None (lxml's ``find`` goes through its
    path machinery, several times slower on the thousands of cells of a long table)."""
    return next(element.iterchildren(tag), None)


def _child(element: Any, tag: str, inner: str) -> Any:
    """``element/tag/inner``, or None."""
    found = next(element.iterchildren(tag), None)
    return next(found.iterchildren(inner), None) if found is not None else None


def _twips(element: Any, attr: str = "w") -> int | None:
    if element is None:
        return None
    try:
        return int(element.get(f"{W}{attr}"))
    except (TypeError, ValueError):
        return None


def _text_width(sect: Any) -> int | None:
    """The width between the margins of a section (twips)."""
    width = _twips(_first(sect, f"{W}pgSz"))
    margins = _first(sect, f"{W}pgMar")
    left, right = _twips(margins, "left"), _twips(margins, "right")
    if width is None or left is None or right is None or width - left - right <= 0:
        return None
    return width - left - right


def _is_data_table(tbl: Any) -> bool:
    style = _child(tbl, f"{W}tblPr", f"{W}tblStyle")
    return style is not None and style.get(f"{W}val") == DATA_TABLE_STYLE


def _ensure_margins(tbl: Any, bang: Any) -> bool:
    """Give the table the profile's cell margins on the sides it leaves unset."""
    tblpr = _first(tbl, f"{W}tblPr")
    mar = _first(tblpr, f"{W}tblCellMar")
    wanted = {
        "top": mm(bang.le_o_tren_duoi_mm),
        "left": mm(bang.le_o_mm),
        "bottom": mm(bang.le_o_tren_duoi_mm),
        "right": mm(bang.le_o_mm),
    }
    if mar is not None and all(_first(mar, f"{W}{side}") is not None for side in wanted):
        return False
    if mar is None:
        mar = etree.Element(f"{W}tblCellMar")
        after = next((c for c in tblpr if c.tag in _TBLPR_AFTER_CELL_MARGINS), None)
        if after is None:
            tblpr.append(mar)
        else:
            after.addprevious(mar)
    present = {child.tag: child for child in mar}
    for child in list(mar):
        mar.remove(child)
    for side, value in wanted.items():  # schema order: top, left, bottom, right
        child = present.get(f"{W}{side}")
        if child is None:
            child = etree.Element(f"{W}{side}")
            child.set(f"{W}w", str(value))
            child.set(f"{W}type", "dxa")
        mar.append(child)
    for tag, child in present.items():  # start/end and the like, after ours
        if tag not in {f"{W}{side}" for side in wanted}:
            mar.append(child)
    return True


def _cell_margin(tc: Any, table_margins: dict[str, int]) -> int:
    """Left plus right margin of a cell (twips): its own, else the table's."""
    total = 0
    for side in ("left", "right"):
        mar = _child(tc, f"{W}tcPr", f"{W}tcMar")
        own = _twips(_first(mar, f"{W}{side}")) if mar is not None else None
        total += own if own is not None else table_margins[side]
    return total


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _share(
    lo: list[float], hi: list[float], typical: list[float], margins: list[float], total: int
) -> list[float]:
    """Widths between ``lo`` and ``hi`` summing to ``total``: each column's room for text
    in proportion to its typical text (so the columns' typical lines are even), within its
    bounds (water-filling: one factor for all columns)."""
    if sum(hi) <= total:  # every column holds its widest paragraph: the rest by width
        extra = total - sum(hi)
        return [h + extra * h / sum(hi) for h in hi]

    def widths(k: float) -> list[float]:
        return [
            min(h, max(low, m + t * k)) for low, h, t, m in zip(lo, hi, typical, margins, strict=True)
        ]

    # The sum grows piecewise linearly with k, bending where a column leaves its floor or
    # reaches its ceiling: find the segment holding the total, then solve on it.
    bends = sorted(
        {0.0}
        | {max(0.0, (low - m) / t) for low, t, m in zip(lo, typical, margins, strict=True)}
        | {max(0.0, (h - m) / t) for h, t, m in zip(hi, typical, margins, strict=True)}
    )
    first, last = 0, len(bends) - 1
    while last - first > 1:
        mid = (first + last) // 2
        if sum(widths(bends[mid])) < total:
            first = mid
        else:
            last = mid
    k0, k1 = bends[first], bends[last]
    s0, s1 = sum(widths(k0)), sum(widths(k1))
    k = k1 if s1 <= s0 else k0 + (k1 - k0) * (total - s0) / (s1 - s0)
    out = widths(k)
    scale = total / sum(out)
    return [w * scale for w in out]


def _shares_within(
    hard: list[float],
    soft: list[list[float]],
    hi: list[float],
    typical: list[float],
    margins: list[float],
    total: int,
) -> list[float]:
    """The columns' widths: at least their floors (the soft ones given up widest first
    while they do not fit together), the rest shared by ``_share``."""
    n = len(hard)
    soft = [list(f) for f in soft]
    lo = [max([h, *f]) for h, f in zip(hard, soft, strict=True)]
    while sum(lo) > total and any(soft):
        c = max(range(n), key=lambda i: max(soft[i], default=0.0))
        soft[c].remove(max(soft[c]))
        lo[c] = max([hard[c], *soft[c]])
    if sum(lo) > total:  # not even the words fit: the words as they can (a narrow page)
        lo = [w * total / sum(lo) for w in lo]
    return _share(lo, [max(low, high) for low, high in zip(lo, hi, strict=True)], typical, margins, total)


def _read_tables(root: Any, sizes: dict[str, float]) -> list[tuple[bool, int, list[list[list[_Para]]]]]:
    """Each top-level data table of the body, in order: whether its grid is regular (no
    merged cell, no table in a cell), its number of header rows, its paragraphs by row and
    cell. Read by one XSLT run (in C): walking the cells from Python costs several times
    the rest of the pass on a long table."""
    out = []
    for record in str(_READER(root.getroottree())).split(_TABLE)[1:]:
        irregular = record.startswith("X")
        header_count = 0
        rows: list[list[list[_Para]]] = []
        for row_record in record.split(_ROW)[1:]:
            header_count += row_record.startswith("H")
            cells = []
            for cell_record in row_record.split(_CELL)[1:]:
                cell = []
                for para_record in cell_record.split(_PARA)[1:]:
                    style_id, jc, text = para_record.split(_FIELD, 2)
                    cell.append(_Para(style_id, jc or None, text, sizes))
                cells.append(cell)
            rows.append(cells)
        out.append((not irregular, max(1, header_count), rows))
    return out


def _fit(tbl: Any, read: tuple[bool, int, list[list[list[_Para]]]], total: int | None) -> bool:
    """Drop the empty droppable columns, then fit the widths to the text."""
    regular, header_count, paras = read
    grid = _first(tbl, f"{W}tblGrid")
    cols = list(grid.iterchildren(f"{W}gridCol")) if grid is not None else []
    n = len(cols)
    trs = list(tbl.iterchildren(_TR))
    if not regular or not paras or n == 0 or len(trs) != len(paras) or any(len(r) != n for r in paras):
        return False  # not the regular grid docgen makes: left as it is
    first_last = [list(trs[0].iterchildren(_TC)), list(trs[-1].iterchildren(_TC))]
    if total is None:
        total = sum(_twips(c) or 0 for c in cols)
    changed = False
    # Droppable columns with no text in any row below the header.
    keep = []
    for c in range(n):
        head_styles = {p.style_id for p in paras[0][c]}
        empty = all(not p.text.strip() for row in paras[header_count:] for p in row[c])
        keep.append(not (DROPPABLE_HEADER_STYLE in head_styles and empty))
    if not all(keep) and any(keep):
        for c in reversed(range(n)):
            if not keep[c]:
                grid.remove(cols[c])
                for tr in trs:
                    tr.remove(list(tr.iterchildren(_TC))[c])
        cols = [col for col, k in zip(cols, keep, strict=True) if k]
        first_last = [[tc for tc, k in zip(row, keep, strict=True) if k] for row in first_last]
        paras = [[cell for cell, k in zip(row, keep, strict=True) if k] for row in paras]
        n = len(cols)
        changed = True
    mar = _child(tbl, f"{W}tblPr", f"{W}tblCellMar")
    table_margins = {
        side: _twips(_first(mar, f"{W}{side}")) or 0 if mar is not None else 0 for side in ("left", "right")
    }
    # Per column: the floor no width goes under (its longest word), the softer floors
    # (short items on one line, no cell over MAX_CELL_LINES lines), the width that holds
    # every paragraph of its body on one line, its typical text.
    hard, soft, hi, typical, margins = [], [], [], [], []
    body = paras[header_count:] or paras
    subject = next((c for c in range(n) if body[0][c] and body[0][c][0].left), -1)
    for c in range(n):
        # docgen gives a column's cells the same margins: the header's and the first row's
        margin = float(max(_cell_margin(row[c], table_margins) for row in first_last))
        texts = [sum(p.width for p in row[c]) for row in body]
        items = [row[c][0].exact_width() for row in body if row[c]] if c == subject else []
        # the widest word: each distinct text once
        words = {(p.text, p.bold, p.size) for row in paras for p in row[c]}
        hard.append(margin + max((_longest_word_em(t, b) * z * 20 for t, b, z in words), default=0.0))
        floors = [margin + max(texts, default=0.0) / MAX_CELL_LINES]
        if items and max(items) <= ONE_LINE_MAX:
            floors.append(margin + max(items))
        soft.append(floors)
        # (the header may wrap: it is one row, the body's rows are many)
        hi.append(margin + max((p.width for row in body for p in row[c]), default=0.0))
        typical.append(max(_quantile(texts, TYPICAL_QUANTILE), 1.0))
        margins.append(margin)
    shares = _shares_within(hard, soft, hi, typical, margins, total)
    # Short texts (levels, dates, "Thường xuyên") may wrap only where their row is taller
    # anyway: a second round gives such a column room for its text in as many lines as
    # the other columns take in that row.
    short = [
        all(p.width <= ONE_LINE_MAX for row in body for p in row[c]) for c in range(n)
    ]
    if any(short) and not all(short):
        rooms = [max(w - m, 1.0) for w, m in zip(shares, margins, strict=True)]
        need = [0.0] * n
        for row in body:
            lines = max(
                (-(-sum(p.width for p in row[c]) // rooms[c]) for c in range(n) if not short[c]),
                default=1.0,
            )
            for c in range(n):
                if short[c] and row[c]:
                    need[c] = max(need[c], max(p.exact_width() for p in row[c]) / max(lines, 1.0))
        for c in range(n):
            if short[c] and need[c]:
                soft[c].append(margins[c] + need[c])
        shares = _shares_within(hard, soft, hi, typical, margins, total)
    widths = [int(w) for w in shares]
    # Whole twips summing to the total: the rounding's remainder to the widest fractions.
    for c in sorted(range(n), key=lambda i: shares[i] - widths[i], reverse=True)[: total - sum(widths)]:
        widths[c] += 1
    for col, w in zip(cols, widths, strict=True):
        if col.get(f"{W}w") != str(w):
            col.set(f"{W}w", str(w))
            changed = True
    cell_widths = [f"{w}" for w in widths]
    tcws = list(tbl.iter(_TCW))  # one per cell, row by row, in a regular docgen table
    if len(tcws) != len(trs) * n:
        tcws = [_child(tc, f"{W}tcPr", _TCW) for tr in trs for tc in tr.iterchildren(_TC)]
    for i, tcw in enumerate(tcws):
        if tcw is not None:
            tcw.set(f"{W}w", cell_widths[i % n])
            tcw.set(f"{W}type", "dxa")
    tblw = _child(tbl, f"{W}tblPr", f"{W}tblW")
    if tblw is not None:
        tblw.set(f"{W}w", str(total))
        tblw.set(f"{W}type", "dxa")
    return changed


def fit_data_tables(root: Any) -> bool:
    """Fit every docgen data table of the document to its text and its section's width."""
    body = _first(root, f"{W}body")
    if body is None:
        return False
    # Each data table with the text width of its section (the next section break's).
    found: list[tuple[Any, int | None]] = []
    pending: list[Any] = []
    for child in body:
        tag = child.tag
        if tag == f"{W}tbl":
            if _is_data_table(child):
                pending.append(child)
            continue
        if not pending:
            continue
        if tag == f"{W}p":
            sect = _child(child, f"{W}pPr", f"{W}sectPr")
        elif tag == f"{W}sectPr":
            sect = child
        else:
            continue
        if sect is not None:
            total = _text_width(sect)
            found += [(tbl, total) for tbl in pending]
            pending = []
    found += [(tbl, None) for tbl in pending]  # no section properties after them
    if not found:
        return False
    bang = _bang()
    sizes = {"co_chu": bang.co_chu, "co_chu_bang_rong": bang.co_chu_bang_rong}
    changed = False
    for (tbl, total), read in zip(found, _read_tables(root, sizes), strict=True):
        changed = _ensure_margins(tbl, bang) or changed
        changed = _fit(tbl, read, total) or changed
    return changed


# ---- flow
# Issue 18, points 3 and 7: what Word and LibreOffice keep together on a page. Every pass
# below sets only keep-with-next (w:keepNext), rows that do not break (w:cantSplit), a
# repeated header row (w:tblHeader) and the style of an empty paragraph at a section's
# end; it acts only on documents laid out with docgen's styles (``_docgen_body``).


# Paragraph styles of docgen's body text and headings (docgen/layout/engine.py): a
# paragraph of one of them whose text ends in ":" leads in to what follows it.
_BODY_STYLES = frozenset({"NoiDung", "DoanKet", "DeMuc1", "DeMuc2", "DeMuc3", "QuyetNghi"})
# The style of the authority line (``T/M CHI BỘ``) and of a minutes' roles (``THƯ KÝ``):
# a table holding one is a signature table.
_SIGNATURE_STYLE = "ThamQuyen"
# The empty paragraph a data table is followed by (engine.Layout.data_table).
_AFTER_TABLE_STYLE = "SauBang"
# Styles of a data table's header row (engine.Layout.data_table).
_TABLE_HEADER_STYLES = frozenset({"BangTieuDe", "BangRongTieuDe", DROPPABLE_HEADER_STYLE})

# Issue 18, point 3: the last two lines (paragraphs) before a signature go to the next
# page with it, so a last page never carries the signature alone.
LINES_BEFORE_SIGNATURE = 2

# A data table is kept on one page when its estimated height is at most this share of
# the page's text height ("short tables, under about 10 rows", issue 18: ten rows of one
# to two lines at the table size are about a third of an A4 page). Keeping a table whole
# moves it to the next page when it does not fit, which leaves up to this share of the
# page above it empty, and pushes everything after it down: half a page is the most
# white a reader accepts for a table seen whole (a member table of 19 rows, 45% of the
# page, kept whole, turned a 3-page report into 4 with a last page of three lines and
# the signature). A longer table breaks between rows, never inside one, its header row
# repeated, with ``TABLE_EDGE_ROWS`` rows at least on each side of a break.
KEEP_TABLE_PAGE_SHARE = 1 / 2
# A table that only the closing lines separate from the signature (the minutes' vote
# table) is kept whole up to this share: moving it moves nothing but those lines and the
# signature, which go to its page anyway, so it costs no page as long as the table, the
# closing lines and the signature (about 70 mm: two lines and the signature block's
# 4-line blank) fit on one page, a third of the 257 mm being left for them.
KEEP_LAST_TABLE_PAGE_SHARE = 2 / 3
# Rows a long table keeps together at its start (after its header row) and at its end,
# so a page never ends with a header and one row, nor starts with a table's last one or
# two rows (the minutes' vote table of a 26-member cell left 2 rows on page 3): widow
# and orphan control, two lines in a paragraph, is one more here for the repeated header.
TABLE_EDGE_ROWS = 3
# Height of a single-spaced line of Times New Roman in ems: (ascender 1825 + descender
# 443 + line gap 87) / 2048 font units, the metrics Word and LibreOffice lay lines with.
LINE_EM = 1.15
# Average advance of a character of table text in ems, rounded up so a row's lines are
# over- rather than underestimated (a table thought longer is only let break): Times New
# Roman averages 0.46 em over the text of the sample's tables (tests/textwidth.py's
# widths), and wrapping at spaces wastes part of each line.
CHAR_EM = 0.5
# Twips in a point.
_TWIPS_PER_PT = 20


def _style(p: Any) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(f"{W}val")


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _ppr(p: Any) -> Any:
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        ppr = p.makeelement(f"{W}pPr", {})
        p.insert(0, ppr)
    return ppr


def _is_on(element: Any) -> bool:
    return element.get(f"{W}val", "true") not in ("0", "false", "off")


def _keep_next(p: Any) -> bool:
    """Set keep-with-next on paragraph ``p`` (after its style, where the schema wants it);
    whether it changed anything."""
    ppr = _ppr(p)
    style = ppr.find(f"{W}pStyle")
    return _turn_on(ppr, "keepNext", 0 if style is None else ppr.index(style) + 1)


def _row_flag(row: Any, name: str) -> bool:
    """Set the row property ``name`` (``cantSplit``, ``tblHeader``) on ``row``; whether it
    changed anything. Row properties are a choice in any order (CT_TrPrBase)."""
    trpr = row.find(f"{W}trPr")
    if trpr is None:
        trpr = row.makeelement(f"{W}trPr", {})
        tblpr_ex = row.find(f"{W}tblPrEx")
        row.insert(0 if tblpr_ex is None else row.index(tblpr_ex) + 1, trpr)
    return _turn_on(trpr, name, 0)


def _turn_on(parent: Any, name: str, index: int) -> bool:
    """Switch on the on/off property ``name`` of ``parent`` (a ``w:val`` saying off is
    dropped; an absent one is inserted at ``index``); whether it changed anything."""
    flag = parent.find(f"{W}{name}")
    if flag is not None:
        if _is_on(flag):
            return False
        del flag.attrib[f"{W}val"]
        return True
    parent.insert(index, parent.makeelement(f"{W}{name}", {}))
    return True


def _has_style(element: Any, names: tuple[str, ...]) -> bool:
    """Whether a paragraph under ``element`` has one of the styles ``names`` (stops at the
    first: the passes run on every document rendered)."""
    return any(s.get(f"{W}val") in names for s in element.iter(f"{W}pStyle"))


def _body(root: Any) -> Any | None:
    """The body of a document laid out with docgen's styles (body text comes early), else None."""
    body = root.find(f"{W}body")
    if body is None:
        return None
    return body if _has_style(body, ("NoiDung", _SIGNATURE_STYLE)) else None


def _is_signature_table(tbl: Any) -> bool:
    return _has_style(tbl, (_SIGNATURE_STYLE,))


def _data_tables(body: Any) -> list[Any]:
    """The body's data tables: those of docgen's data table style, and (in templates made
    before that style existed) those whose first row is made of header-style paragraphs."""
    found = []
    for tbl in body.iterchildren(f"{W}tbl"):
        first = tbl.find(f"{W}tr")
        styles = {_style(p) for p in first.iter(f"{W}p")} if first is not None else set()
        if _is_data_table(tbl) or (styles and styles <= _TABLE_HEADER_STYLES):
            found.append(tbl)
    return found


def keep_lead_ins(root: Any) -> bool:
    """A body or heading paragraph ending in ":" (``Chỉ tiêu của Chi bộ:``) is kept on the
    page of what follows it: a list, a table."""
    body = _body(root)
    if body is None:
        return False
    changed = False
    for p in body.iterchildren(f"{W}p"):
        if _style(p) in _BODY_STYLES and _text(p).rstrip().endswith(":"):
            changed = _keep_next(p) or changed
    return changed


def _text_height(root: Any) -> int:
    """The text height of the document's (last) section's page, in twips."""
    sect = root.find(f"{W}body/{W}sectPr")
    size = sect.find(f"{W}pgSz") if sect is not None else None
    margins = sect.find(f"{W}pgMar") if sect is not None else None
    if size is not None and margins is not None:
        try:
            return int(size.get(f"{W}h")) - abs(int(margins.get(f"{W}top"))) - abs(
                int(margins.get(f"{W}bottom"))
            )
        except (TypeError, ValueError):
            pass
    from docgen.layout.ooxml import mm
    from docgen.resources import profile

    page = profile().trang
    return mm(page.cao_mm) - mm(page.le_tren_mm) - mm(page.le_duoi_mm)


def _child_twips(element: Any, name: str, default: int) -> int:
    found = element.find(name) if element is not None else None
    try:
        return int(found.get(f"{W}w")) if found is not None else default
    except (TypeError, ValueError):
        return default


def _table_height(tbl: Any, cap: float) -> float:
    """An estimate of the table's height in twips: per row, the tallest cell's lines at its
    paragraphs' size (table text of the profile) plus the cell margins above and below.
    Once it passes ``cap`` the rest is not measured (the result is then only "over cap")."""
    from docgen.resources import profile

    bang = profile().bang
    tblpr = tbl.find(f"{W}tblPr")
    side = _child_twips(tblpr, f"{W}tblCellMar/{W}left", WORD_CELL_MARGIN)
    side += _child_twips(tblpr, f"{W}tblCellMar/{W}right", WORD_CELL_MARGIN)
    vertical = _child_twips(tblpr, f"{W}tblCellMar/{W}top", 0) + _child_twips(tblpr, f"{W}tblCellMar/{W}bottom", 0)
    rows = tbl.findall(f"{W}tr")
    least = min(bang.co_chu, bang.co_chu_bang_rong) * LINE_EM * _TWIPS_PER_PT + vertical
    if len(rows) * least > cap:  # a line a row is already too tall
        return len(rows) * least
    total = 0.0
    for row in rows:
        if total > cap:
            return total
        tallest = 0.0
        for tc in row.iterchildren(f"{W}tc"):
            width = max(_child_twips(tc, f"{W}tcPr/{W}tcW", 0) - side, 1)
            height = 0.0
            for p in tc.iterchildren(f"{W}p"):
                style = _style(p) or ""
                size = bang.co_chu_bang_rong if style.startswith("BangRong") else bang.co_chu
                per_line = width / (size * _TWIPS_PER_PT * CHAR_EM)
                lines = max(1, -(-len(_text(p)) // max(int(per_line), 1)))
                height += lines * size * LINE_EM * _TWIPS_PER_PT
            tallest = max(tallest, height)
        total += tallest + vertical
    return total


def _before_signature(tbl: Any) -> bool:
    """Whether only ``LINES_BEFORE_SIGNATURE`` paragraphs with text (and empty ones)
    separate table ``tbl`` from a signature table."""
    lines = 0
    for after in tbl.itersiblings():
        if after.tag == f"{W}tbl":
            return _is_signature_table(after)
        if after.tag != f"{W}p" or after.find(f"{W}pPr/{W}sectPr") is not None:
            return False
        if _text(after).strip():
            lines += 1
            if lines > LINES_BEFORE_SIGNATURE:
                return False
    return False


def keep_tables(root: Any) -> bool:
    """Rows of a data table never break across pages and its header row repeats on each
    page; a short table (``KEEP_TABLE_PAGE_SHARE``) is kept on one page: the paragraphs of
    every row but the last keep with the next row (with the last row too when only the
    closing lines separate it from the signature, ``KEEP_LAST_TABLE_PAGE_SHARE``); a long
    one keeps its header row with its first ``TABLE_EDGE_ROWS`` rows and its last
    ``TABLE_EDGE_ROWS`` rows together."""
    body = _body(root)
    if body is None:
        return False
    changed = False
    limit = _text_height(root) * KEEP_TABLE_PAGE_SHARE
    last_limit = _text_height(root) * KEEP_LAST_TABLE_PAGE_SHARE
    for tbl in _data_tables(body):
        rows = tbl.findall(f"{W}tr")
        changed = _row_flag(rows[0], "tblHeader") or changed
        for row in rows:
            changed = _row_flag(row, "cantSplit") or changed
        height = _table_height(tbl, max(limit, last_limit))
        if height <= limit:
            kept = rows[:-1]
        elif _before_signature(tbl) and height <= last_limit:
            kept = rows  # the last row keeps with the closing lines, they with the signature
        else:
            edge = TABLE_EDGE_ROWS
            kept = rows[:edge] + rows[-edge:-1] if len(rows) > 2 * edge + 1 else rows[:-1]
        for row in kept:
            for p in row.iter(f"{W}p"):
                changed = _keep_next(p) or changed
    return changed


def keep_signature(root: Any) -> bool:
    """The signature table's rows stay together, and the ``LINES_BEFORE_SIGNATURE``
    paragraphs with text before it go with it to its page (empty ones between them too);
    it stops at a section break, and at a table, whose last row then goes with them."""
    body = _body(root)
    if body is None:
        return False
    changed = False
    for tbl in body.iterchildren(f"{W}tbl"):
        if not _is_signature_table(tbl):
            continue
        rows = tbl.findall(f"{W}tr")
        for row in rows:
            changed = _row_flag(row, "cantSplit") or changed
        for row in rows[:-1]:
            for p in row.iter(f"{W}p"):
                changed = _keep_next(p) or changed
        kept = 0
        for before in tbl.itersiblings(preceding=True):
            if before.tag == f"{W}tbl":
                # A table's last row is the line before: it goes with the signature (its
                # last rows keep together, keep_tables).
                last = before.findall(f"{W}tr")[-1:]
                for p in (p for row in last for p in row.iter(f"{W}p")):
                    changed = _keep_next(p) or changed
                break
            if before.tag != f"{W}p" or before.find(f"{W}pPr/{W}sectPr") is not None:
                break
            changed = _keep_next(before) or changed
            if _text(before).strip():
                kept += 1
                if kept == LINES_BEFORE_SIGNATURE:
                    break
    return changed


def _set_style(p: Any, style_id: str) -> bool:
    ppr = _ppr(p)
    style = ppr.find(f"{W}pStyle")
    if style is None:
        style = ppr.makeelement(f"{W}pStyle", {})
        ppr.insert(0, style)
    if style.get(f"{W}val") == style_id:
        return False
    style.set(f"{W}val", style_id)
    return True


def _is_empty(p: Any) -> bool:
    return not _text(p) and p.find(f".//{W}drawing") is None and p.find(f".//{W}pict") is None


def end_sections(root: Any) -> bool:
    """No blank page after a document or a section: the body ends in an empty paragraph of
    the 1 pt style (``CuoiVanBan``), after its last table (else Word appends a 14 pt one
    that can spill onto a page of its own), and an empty paragraph carrying a section break
    has that style too."""
    body = _body(root)
    if body is None:
        return False
    changed = False
    for p in body.iterchildren(f"{W}p"):
        if p.find(f"{W}pPr/{W}sectPr") is not None and _is_empty(p) and _style(p) in (None, "Normal"):
            changed = _set_style(p, END_STYLE) or changed
    sect = body.find(f"{W}sectPr")
    last = sect.getprevious() if sect is not None else (body[-1] if len(body) else None)
    if last is None:
        return changed
    if last.tag == f"{W}tbl":
        end = body.makeelement(f"{W}p", {})
        _set_style(end, END_STYLE)
        last.addnext(end)
        return True
    if last.tag == f"{W}p" and _is_empty(last) and _style(last) in (None, "Normal", _AFTER_TABLE_STYLE):
        changed = _set_style(last, END_STYLE) or changed
    return changed


# ---- all passes
# The passes, in order. Tables first (a table's final widths decide its height, which
# decides what the flow passes keep together), then the flow of paragraphs.
PASSES: tuple[Pass, ...] = (fit_data_tables, keep_tables, keep_lead_ins, keep_signature, end_sections)


def typeset(root: Any) -> bool:
    """Run every pass on ``root`` (the parsed ``word/document.xml``); whether any changed it."""
    changed = False
    for step in PASSES:
        changed = step(root) or changed
    return changed
