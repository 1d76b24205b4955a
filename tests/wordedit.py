"""Edit .docx files the way Word does, for tests: small templates built from paragraphs,
text replaced inside a part, tags split across runs with spell-check marks, revision
ids and bookmarks, paragraphs moved."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from docgen.layout.ooxml import document_xml, table, tc, tr, write_package

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def p(text: str) -> str:
    """A plain paragraph with one run."""
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def grid(*rows: list[str]) -> str:
    """A table; each row is a list of cell texts."""
    width = 9000 // max(len(r) for r in rows)
    return table(
        [width] * len(rows[0]), [tr(*(tc(width, p(text)) for text in row)) for row in rows]
    )


def tiny_template(folder: Path, name: str, *blocks: str) -> Path:
    """A minimal .docx whose body is ``blocks`` (paragraph or table XML)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = document_xml("".join(blocks), "<w:sectPr/>")
    target = folder / name
    target.write_bytes(
        write_package({"[Content_Types].xml": _TYPES, "_rels/.rels": _RELS, "word/document.xml": body})
    )
    return target


def edit_part(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """``data`` with one part rewritten by ``change``; the change must change something."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                text = content.decode("utf-8")
                changed = change(text)
                assert changed != text, f"the edit did not apply to {part}"
                content = changed.encode("utf-8")
            target.writestr(info, content)
    return buffer.getvalue()


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return change


def edit_document(path: Path, change: Callable[[str], str]) -> None:
    """Rewrite ``word/document.xml`` of the file at ``path`` in place."""
    path.write_bytes(edit_part(path.read_bytes(), "word/document.xml", change))


# ---------------------------------------------------------------- Word's run splitting

_rsid = iter(f"00{n:06X}" for n in range(0xA10000, 0xFFFFFF))


def _run(rpr: etree._Element | None, text: str) -> etree._Element:
    run = etree.Element(f"{W}r", {f"{W}rsidR": next(_rsid), f"{W}rsidRPr": next(_rsid)})
    if rpr is not None:
        run.append(etree.fromstring(etree.tostring(rpr)))
    t = etree.SubElement(run, f"{W}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _pieces(tag: str) -> list[str]:
    """Cut a tag the way Word's runs fall: after the first brace, inside the name, before the last."""
    inner = tag[1:-1]
    mid = max(1, len(inner) // 2)
    return [tag[0], inner[:mid], inner[mid:], tag[-1]]


def word_split(xml: str, tags: list[str] | None = None) -> str:
    """Split every run holding a ``{{ tag }}`` / ``{%p tag %}`` into Word-like pieces.

    Between the pieces come what Word leaves there: ``w:proofErr`` spell-check marks,
    a fresh ``w:rsidR`` on every run, and a bookmark (``_GoBack``) in the middle of the tag.
    ``tags``: only these tags (default: all).
    """
    root = etree.fromstring(xml.encode("utf-8"))
    bookmark = 100
    for t in list(root.iter(f"{W}t")):
        text = t.text or ""
        found = [m for m in re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", text) if tags is None or m.group() in tags]
        if not found:
            continue
        run = t.getparent()
        rpr = run.find(f"{W}rPr")
        parent = run.getparent()
        at = parent.index(run)
        new: list[etree._Element] = []
        last = 0
        for match in found:
            if match.start() > last:
                new.append(_run(rpr, text[last : match.start()]))
            first, left, right, end = _pieces(match.group())
            new.append(etree.Element(f"{W}proofErr", {f"{W}type": "spellStart"}))
            new.append(_run(rpr, first))
            new.append(_run(rpr, left))
            new.append(etree.Element(f"{W}bookmarkStart", {f"{W}id": str(bookmark), f"{W}name": "_GoBack"}))
            new.append(etree.Element(f"{W}bookmarkEnd", {f"{W}id": str(bookmark)}))
            bookmark += 1
            new.append(_run(rpr, right))
            new.append(etree.Element(f"{W}proofErr", {f"{W}type": "spellEnd"}))
            new.append(_run(rpr, end))
            last = match.end()
        if last < len(text):
            new.append(_run(rpr, text[last:]))
        parent.remove(run)
        for offset, element in enumerate(new):
            parent.insert(at + offset, element)
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return head + etree.tostring(root, encoding="unicode")


def paragraph_with(xml: str, text: str) -> tuple[int, int]:
    """Start and end offsets of the body-level ``<w:p>`` whose text contains ``text``."""
    for match in re.finditer(r"<w:p>.*?</w:p>|<w:p [^>]*>.*?</w:p>", xml, re.S):
        if text in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", match.group())):
            return match.start(), match.end()
    raise AssertionError(f"no paragraph with {text!r}")


def move_paragraph(xml: str, text: str, before: str) -> str:
    """Cut the paragraph holding ``text`` and paste it before the one holding ``before``."""
    start, end = paragraph_with(xml, text)
    moved = xml[start:end]
    rest = xml[:start] + xml[end:]
    at, _ = paragraph_with(rest, before)
    return rest[:at] + moved + rest[at:]
