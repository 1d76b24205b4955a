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

from collections.abc import Callable
from typing import Any

__all__ = ["PASSES", "typeset"]

# One pass: the document part's root element in, whether it changed anything out.
Pass = Callable[[Any], bool]

# The passes, in order. Tables first (a table's size decides what the flow passes keep
# together), then the flow of paragraphs.
PASSES: tuple[Pass, ...] = ()


def typeset(root: Any) -> bool:
    """Run every pass on ``root`` (the parsed ``word/document.xml``); whether any changed it."""
    changed = False
    for step in PASSES:
        changed = step(root) or changed
    return changed


# ---- flow
# Issue 18, points 3 and 7: what Word and LibreOffice keep together on a page. Every pass
# below sets only keep-with-next (w:keepNext), rows that do not break (w:cantSplit), a
# repeated header row (w:tblHeader) and the style of an empty paragraph at a section's
# end; it acts only on documents laid out with docgen's styles (``_docgen_body``).

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Paragraph styles of docgen's body text and headings (docgen/layout/engine.py): a
# paragraph of one of them whose text ends in ":" leads in to what follows it.
_BODY_STYLES = frozenset({"NoiDung", "DoanKet", "DeMuc1", "DeMuc2", "DeMuc3", "QuyetNghi"})
# The style of the authority line (``T/M CHI BỘ``) and of a minutes' roles (``THƯ KÝ``):
# a table holding one is a signature table.
_SIGNATURE_STYLE = "ThamQuyen"
# The 1 pt paragraph (engine.py) that ends a document and carries a section break.
_END_STYLE = "CuoiVanBan"
# The empty paragraph a data table is followed by (engine.Layout.data_table).
_AFTER_TABLE_STYLE = "SauBang"
# Styles of a data table's header row (engine.Layout.data_table).
_TABLE_HEADER_STYLES = frozenset({"BangTieuDe", "BangRongTieuDe"})

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
# Twips in a point, and Word's default left/right cell margin (twips) when a table
# states none.
_TWIPS_PER_PT = 20
_DEFAULT_CELL_MARGIN = 108


def _style(p: Any) -> str | None:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    return None if style is None else style.get(f"{_W}val")


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t"))


def _ppr(p: Any) -> Any:
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        ppr = p.makeelement(f"{_W}pPr", {})
        p.insert(0, ppr)
    return ppr


def _is_on(element: Any) -> bool:
    return element.get(f"{_W}val", "true") not in ("0", "false", "off")


def _keep_next(p: Any) -> bool:
    """Set keep-with-next on paragraph ``p`` (after its style, where the schema wants it);
    whether it changed anything."""
    ppr = _ppr(p)
    keep = ppr.find(f"{_W}keepNext")
    if keep is not None:
        if _is_on(keep):
            return False
        del keep.attrib[f"{_W}val"]
        return True
    style = ppr.find(f"{_W}pStyle")
    ppr.insert(0 if style is None else ppr.index(style) + 1, ppr.makeelement(f"{_W}keepNext", {}))
    return True


def _row_flag(row: Any, name: str) -> bool:
    """Set the row property ``name`` (``cantSplit``, ``tblHeader``) on ``row``; whether it
    changed anything. Row properties are a choice in any order (CT_TrPrBase)."""
    trpr = row.find(f"{_W}trPr")
    if trpr is None:
        trpr = row.makeelement(f"{_W}trPr", {})
        tblpr_ex = row.find(f"{_W}tblPrEx")
        row.insert(0 if tblpr_ex is None else row.index(tblpr_ex) + 1, trpr)
    flag = trpr.find(f"{_W}{name}")
    if flag is not None:
        if _is_on(flag):
            return False
        del flag.attrib[f"{_W}val"]
        return True
    trpr.insert(0, trpr.makeelement(f"{_W}{name}", {}))
    return True


def _body(root: Any) -> Any | None:
    """The body of a document laid out with docgen's styles, else None."""
    body = root.find(f"{_W}body")
    if body is None:
        return None
    styles = {s.get(f"{_W}val") for s in body.iter(f"{_W}pStyle")}
    return body if _SIGNATURE_STYLE in styles or "NoiDung" in styles else None


def _is_signature_table(tbl: Any) -> bool:
    return any(_style(p) == _SIGNATURE_STYLE for p in tbl.iter(f"{_W}p"))


def _data_tables(body: Any) -> list[Any]:
    """The body's data tables: those whose first row is made of header-style paragraphs."""
    found = []
    for tbl in body.iterchildren(f"{_W}tbl"):
        first = tbl.find(f"{_W}tr")
        styles = {_style(p) for p in first.iter(f"{_W}p")} if first is not None else set()
        if styles and styles <= _TABLE_HEADER_STYLES:
            found.append(tbl)
    return found


def keep_lead_ins(root: Any) -> bool:
    """A body or heading paragraph ending in ":" (``Chỉ tiêu của Chi bộ:``) is kept on the
    page of what follows it: a list, a table."""
    body = _body(root)
    if body is None:
        return False
    changed = False
    for p in body.iterchildren(f"{_W}p"):
        if _style(p) in _BODY_STYLES and _text(p).rstrip().endswith(":"):
            changed = _keep_next(p) or changed
    return changed


def _text_height(root: Any) -> int:
    """The text height of the document's (last) section's page, in twips."""
    sect = root.find(f"{_W}body/{_W}sectPr")
    size = sect.find(f"{_W}pgSz") if sect is not None else None
    margins = sect.find(f"{_W}pgMar") if sect is not None else None
    if size is not None and margins is not None:
        try:
            return int(size.get(f"{_W}h")) - abs(int(margins.get(f"{_W}top"))) - abs(
                int(margins.get(f"{_W}bottom"))
            )
        except (TypeError, ValueError):
            pass
    from docgen.layout.ooxml import mm
    from docgen.resources import profile

    page = profile().trang
    return mm(page.cao_mm) - mm(page.le_tren_mm) - mm(page.le_duoi_mm)


def _twips(element: Any, name: str, default: int) -> int:
    found = element.find(name) if element is not None else None
    try:
        return int(found.get(f"{_W}w")) if found is not None else default
    except (TypeError, ValueError):
        return default


def _table_height(tbl: Any) -> float:
    """An estimate of the table's height in twips: per row, the tallest cell's lines at its
    paragraphs' size (table text of the profile) plus the cell margins above and below."""
    from docgen.resources import profile

    bang = profile().bang
    tblpr = tbl.find(f"{_W}tblPr")
    side = _twips(tblpr, f"{_W}tblCellMar/{_W}left", _DEFAULT_CELL_MARGIN)
    side += _twips(tblpr, f"{_W}tblCellMar/{_W}right", _DEFAULT_CELL_MARGIN)
    vertical = _twips(tblpr, f"{_W}tblCellMar/{_W}top", 0) + _twips(tblpr, f"{_W}tblCellMar/{_W}bottom", 0)
    total = 0.0
    for row in tbl.iterchildren(f"{_W}tr"):
        tallest = 0.0
        for tc in row.iterchildren(f"{_W}tc"):
            width = max(_twips(tc, f"{_W}tcPr/{_W}tcW", 0) - side, 1)
            height = 0.0
            for p in tc.iterchildren(f"{_W}p"):
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
        if after.tag == f"{_W}tbl":
            return _is_signature_table(after)
        if after.tag != f"{_W}p" or after.find(f"{_W}pPr/{_W}sectPr") is not None:
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
        rows = tbl.findall(f"{_W}tr")
        changed = _row_flag(rows[0], "tblHeader") or changed
        for row in rows:
            changed = _row_flag(row, "cantSplit") or changed
        height = _table_height(tbl)
        if height <= limit:
            kept = rows[:-1]
        elif _before_signature(tbl) and height <= last_limit:
            kept = rows  # the last row keeps with the closing lines, they with the signature
        else:
            edge = TABLE_EDGE_ROWS
            kept = rows[:edge] + rows[-edge:-1] if len(rows) > 2 * edge + 1 else rows[:-1]
        for row in kept:
            for p in row.iter(f"{_W}p"):
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
    for tbl in body.iterchildren(f"{_W}tbl"):
        if not _is_signature_table(tbl):
            continue
        rows = tbl.findall(f"{_W}tr")
        for row in rows:
            changed = _row_flag(row, "cantSplit") or changed
        for row in rows[:-1]:
            for p in row.iter(f"{_W}p"):
                changed = _keep_next(p) or changed
        kept = 0
        for before in tbl.itersiblings(preceding=True):
            if before.tag == f"{_W}tbl":
                # A table's last row is the line before: it goes with the signature (its
                # last rows keep together, keep_tables).
                last = before.findall(f"{_W}tr")[-1:]
                for p in (p for row in last for p in row.iter(f"{_W}p")):
                    changed = _keep_next(p) or changed
                break
            if before.tag != f"{_W}p" or before.find(f"{_W}pPr/{_W}sectPr") is not None:
                break
            changed = _keep_next(before) or changed
            if _text(before).strip():
                kept += 1
                if kept == LINES_BEFORE_SIGNATURE:
                    break
    return changed


def _set_style(p: Any, style_id: str) -> bool:
    ppr = _ppr(p)
    style = ppr.find(f"{_W}pStyle")
    if style is None:
        style = ppr.makeelement(f"{_W}pStyle", {})
        ppr.insert(0, style)
    if style.get(f"{_W}val") == style_id:
        return False
    style.set(f"{_W}val", style_id)
    return True


def _is_empty(p: Any) -> bool:
    return not _text(p) and p.find(f".//{_W}drawing") is None and p.find(f".//{_W}pict") is None


def end_sections(root: Any) -> bool:
    """No blank page after a document or a section: the body ends in an empty paragraph of
    the 1 pt style (``CuoiVanBan``), after its last table (else Word appends a 14 pt one
    that can spill onto a page of its own), and an empty paragraph carrying a section break
    has that style too."""
    body = _body(root)
    if body is None:
        return False
    changed = False
    for p in body.iterchildren(f"{_W}p"):
        if p.find(f"{_W}pPr/{_W}sectPr") is not None and _is_empty(p) and _style(p) in (None, "Normal"):
            changed = _set_style(p, _END_STYLE) or changed
    sect = body.find(f"{_W}sectPr")
    last = sect.getprevious() if sect is not None else (body[-1] if len(body) else None)
    if last is None:
        return changed
    if last.tag == f"{_W}tbl":
        end = body.makeelement(f"{_W}p", {})
        _set_style(end, _END_STYLE)
        last.addnext(end)
        return True
    if last.tag == f"{_W}p" and _is_empty(last) and _style(last) in (None, "Normal", _AFTER_TABLE_STYLE):
        changed = _set_style(last, _END_STYLE) or changed
    return changed


# The flow passes run after the table passes: a table's final widths decide its height.
PASSES += (keep_tables, keep_lead_ins, keep_signature, end_sections)
