"""Read a produced .docx back as a person sees it: a normalised text dump.

Used by the golden-file tests and by anyone who wants to diff two runs
without comparing zip bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["body_blocks", "text_dump"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
