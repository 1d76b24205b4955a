"""Geometry of tables read back from a .docx: cell margins as Word resolves them, the width
left for text in a cell, the size and weight its paragraph's style gives; and the sample's
documents with data tables, rendered for the tests that read them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx

from docgen.pipeline import render_documents
from docgen.workspace import load_workspace
from tests.conftest import REPO

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


# ------------------------------------------------------------------ the sample
TASKS = Path("chi-bo/to-dan-pho-5/2026/phan-cong.yaml")
NOTE = "Phối hợp với Chi hội Phụ nữ"


def render_sample(root: Path, *, plant_note: bool = False) -> dict[str, Any]:
    """The sample's documents with data tables, rendered under ``root`` from a copy of
    data/, by name (``kind`` or ``kind/cell``); ``plant_note``: only the task notices, one
    task of to-dan-pho-5 given the note ``NOTE``."""
    ws = root / "data"
    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    if plant_note:  # one task of the notice gets a note
        path = ws / TASKS
        text = path.read_text(encoding="utf-8")
        anchor = "      dia_ban: Thanh niên trong tổ dân phố\n"
        assert anchor in text
        path.write_text(text.replace(anchor, anchor + f"      ghi_chu: {NOTE}\n", 1), encoding="utf-8")
    out = root / "out"
    workspace = load_workspace(ws)
    kinds = ["phan-cong"] if plant_note else ["phan-cong", "bao-cao-nam", "bien-ban", "tong-hop-nam"]
    render_documents(workspace, kinds, year=2026, output_root=out)
    if not plant_note:
        render_documents(workspace, ["bao-cao-quy", "tong-hop-quy"], year=2026, quarter=3, output_root=out)
    found: dict[str, Any] = {}
    for path in sorted(out.rglob("*.docx")):
        cell = path.parent.parent.name
        found[path.stem if cell == "ngoc-ha" else f"{path.stem}/{cell}"] = docx.Document(str(path))
    return found
