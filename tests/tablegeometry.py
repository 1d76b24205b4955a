"""Geometry of tables read back from a .docx: cell margins as Word resolves them, the width
left for text in a cell, the size and weight its paragraph's style gives."""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def cell_margin(table: Any, cell: Any, side: str) -> int:
    """A cell's margin (twips) as Word resolves it: the cell, the table, its table style."""
    for element in (
        cell._tc.find(f"{W}tcPr/{W}tcMar/{W}{side}"),
        table._tbl.tblPr.find(f"{W}tblCellMar/{W}{side}"),
    ):
        if element is not None:
            return int(element.get(f"{W}w"))
    style = table.part.styles.element.find(f"{W}style[@{W}styleId='TableNormal']")
    element = style.find(f"{W}tblPr/{W}tblCellMar/{W}{side}")
    return int(element.get(f"{W}w")) if element is not None else 0


def grid(table: Any) -> list[int]:
    """The column widths (twips)."""
    return [int(g.get(f"{W}w")) for g in table._tbl.tblGrid.findall(f"{W}gridCol")]


def text_width(table: Any, cell: Any, column: int) -> int:
    """The width (twips) left for text in ``cell`` of ``column``: the column less its margins."""
    return grid(table)[column] - cell_margin(table, cell, "left") - cell_margin(table, cell, "right")


def style_font(paragraph: Any) -> tuple[float, bool]:
    """(size in points, bold) of a paragraph's style, following its base styles."""
    size, bold = None, None
    style = paragraph.style
    while style is not None and (size is None or bold is None):
        if size is None and style.font.size is not None:
            size = style.font.size.pt
        if bold is None and style.font.bold is not None:
            bold = style.font.bold
        style = style.base_style
    assert size is not None, paragraph.style.style_id
    return size, bool(bold)
