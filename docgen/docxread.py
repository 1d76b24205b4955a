"""Read a produced .docx back as a person sees it: a normalised text dump.

Used by the golden-file tests and by anyone who wants to diff two runs
without comparing zip bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ParaPlace", "body_blocks", "first_words", "paragraph_places", "text_dump"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def first_words(text: str, count: int = 8) -> str:
    """The first ``count`` words of ``text``: how a person recognises a paragraph."""
    return " ".join(text.split()[:count])


@dataclass(frozen=True)
class ParaPlace:
    """Where a paragraph of a part is, the way a person finds it in Word.

    Paragraphs are counted over the whole part (body, or one header), table
    paragraphs included; tables in document order, nested ones too.

    Attributes:
        element: The ``w:p`` element.
        index: 1-based paragraph number in the part.
        table, row, cell: 1-based position of the innermost table cell holding it.
        text: The paragraph's text, whitespace collapsed.
    """

    element: Any
    index: int
    table: int | None
    row: int | None
    cell: int | None
    text: str

    def label(self) -> str:
        """``đoạn 12`` or ``bảng 2, hàng 3, ô 1, đoạn 40``."""
        if self.table is None:
            return f"đoạn {self.index}"
        return f"bảng {self.table}, hàng {self.row}, ô {self.cell}, đoạn {self.index}"

    def quoted(self) -> str:
        """The label and the paragraph's first words: ``đoạn 12 «Trên đây là…»``."""
        words = first_words(self.text)
        return self.label() + (f" «{words}»" if words else "")


def paragraph_places(root: Any) -> list[ParaPlace]:
    """Every paragraph of a part (``w:body``, ``w:hdr``, or the document root) with its place."""
    tables = {tbl: i for i, tbl in enumerate(root.iter(f"{_W}tbl"), start=1)}
    out = []
    for index, p in enumerate(root.iter(f"{_W}p"), start=1):
        text = re.sub(r"\s+", " ", "".join(t.text or "" for t in p.iter(f"{_W}t"))).strip()
        cell = next(p.iterancestors(f"{_W}tc"), None)
        if cell is None:
            out.append(ParaPlace(p, index, None, None, None, text))
            continue
        row = cell.getparent()
        table = row.getparent()
        rows = [r for r in table if r.tag == f"{_W}tr"]
        cells = [c for c in row if c.tag == f"{_W}tc"]
        out.append(
            ParaPlace(p, index, tables[table], rows.index(row) + 1, cells.index(cell) + 1, text)
        )
    return out


def _para_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def _para_style(p: Any) -> str:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    return style.get(f"{_W}val") if style is not None else "Normal"


def body_blocks(element: Any) -> list[tuple[str, Any]]:
    """Top-level blocks of a body or header element: ("p", element) or ("tbl", element)."""
    out = []
    for child in element:
        if child.tag == f"{_W}p":
            out.append(("p", child))
        elif child.tag == f"{_W}tbl":
            out.append(("tbl", child))
    return out


def _dump_element(element: Any, lines: list[str], indent: str = "") -> None:
    for kind, block in body_blocks(element):
        if kind == "p":
            text = _para_text(block)
            if text.strip():
                lines.append(f"{indent}[{_para_style(block)}] {text}")
        else:
            for r, row in enumerate(block.iter(f"{_W}tr"), start=1):
                cells = []
                for cell in row.findall(f"{_W}tc"):
                    texts = [_para_text(p) for p in cell.findall(f"{_W}p")]
                    cells.append(" / ".join(t for t in texts if t.strip()))
                lines.append(f"{indent}<bảng hàng {r}> " + " | ".join(cells))


def text_dump(path: Path) -> str:
    """A stable text rendering of a .docx: styles and texts, tables row by row, headers."""
    import docx

    document = docx.Document(str(path))
    lines: list[str] = []
    for index, section in enumerate(document.sections, start=1):
        for label, header in (
            ("đầu trang đầu", section.first_page_header),
            ("đầu trang", section.header),
        ):
            if header.is_linked_to_previous:
                continue
            sub: list[str] = []
            _dump_element(header._element, sub)
            fields = [
                (instr.text or "").strip() for instr in header._element.iter(f"{_W}instrText")
            ]
            if fields:
                sub.append(f"[trường] {' '.join(fields)}")
            lines.append(f"== phần {index}, {label}: " + ("; ".join(sub) if sub else "(trống)"))
    lines.append("== nội dung")
    _dump_element(document.element.body, lines)
    return "\n".join(lines) + "\n"
