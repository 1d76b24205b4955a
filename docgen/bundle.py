"""The print bundle: a period's documents merged into one .docx, in cell order.

Merging is docxcompose's (styles, numbering, images and relationships are mapped by
it). docxcompose keeps only the last document's section properties, so before each
document after the first a section break is added, and afterwards every section is
given the first document's page setup: each document then starts on a new page,
keeps its own page numbering (from 1, shown from its second page) and its headers.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen.errors import OutputError, os_reason
from docgen.output import write_atomic
from docgen.ziputil import normalise_zip

__all__ = ["merge_documents"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _end_section(body: object, body_sect_pr: object) -> None:
    """End the section at the end of ``body`` with a copy of ``body_sect_pr``.

    The section properties go into the document's last paragraph (docgen's templates
    end with a near-invisible one); only when the body ends with a table is a new,
    near-invisible paragraph added, so no document spills onto an empty page.
    """
    from docx.oxml import parse_xml

    last = body_sect_pr.getprevious()  # type: ignore[attr-defined]
    if last is None or last.tag != f"{_W}p" or last.find(f"{_W}pPr/{_W}sectPr") is not None:
        last = parse_xml(
            '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pPr>'
            '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
        )
        body_sect_pr.addprevious(last)  # type: ignore[attr-defined]
    ppr = last.find(f"{_W}pPr")
    if ppr is None:
        ppr = parse_xml(
            '<w:pPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
        )
        last.insert(0, ppr)
    rpr = ppr.find(f"{_W}rPr")
    sect = copy.deepcopy(body_sect_pr)
    if rpr is not None:
        rpr.addnext(sect)  # schema order: ... rPr, sectPr, pPrChange
    else:
        ppr.append(sect)


# The children of CT_SectPr in their schema order (ECMA-376 §17.6.17), from the page
# numbering on: a section's own numbering and first-page rule go back in their place.
_SECT_ORDER = [
    f"{_W}{name}"
    for name in (
        "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
        "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
    )
]  # fmt: skip
_PG_NUM_TYPE, _TITLE_PG = _SECT_ORDER[0], _SECT_ORDER[5]


def _numbering(document: Any) -> list[tuple[Any, Any]]:
    """For each section of ``document``, in order: its page numbering (pgNumType: where it
    restarts) and its first-page rule (titlePg), copies, None where it has none."""
    return [
        tuple(copy.deepcopy(sect_pr.find(tag)) for tag in (_PG_NUM_TYPE, _TITLE_PG))
        for sect_pr in document.element.body.iter(f"{_W}sectPr")
    ]


def _put(sect_pr: Any, element: Any) -> None:
    """Add ``element`` to ``sect_pr`` in its schema place."""
    later = _SECT_ORDER[_SECT_ORDER.index(element.tag) + 1 :]
    following = next((child for child in sect_pr if child.tag in later), None)
    if following is not None:
        following.addprevious(element)
    else:
        sect_pr.append(element)


def merge_documents(paths: Sequence[Path], target: Path, title: str) -> Path:
    """Merge ``paths`` (in order) into ``target``, written atomically.

    Raises:
        OutputError: nothing to merge, or a document could not be read.
    """
    import docx
    from docxcompose.composer import Composer

    if not paths:
        raise OutputError(target, "không có văn bản nào để gộp")
    try:
        master = docx.Document(str(paths[0]))
        body_sect_pr = master.element.body.find(f"{_W}sectPr")
        # Each section's own page numbering, in order: where it restarts (each document and
        # an appendix from 1) and whether its first page goes without a number.
        numbering = _numbering(master)
        composer = Composer(master)
        for path in paths[1:]:
            _end_section(master.element.body, body_sect_pr)
            appended = docx.Document(str(path))
            numbering += _numbering(appended)
            composer.append(appended)
    except OSError as exc:
        raise OutputError(target, f"không gộp được văn bản ({os_reason(exc)})") from None
    except (KeyError, ValueError) as exc:
        raise OutputError(target, f"không gộp được văn bản ({exc})") from None
    # docxcompose moves the page-number settings around when a document has several
    # sections; give every section the same page setup as the first document, with its
    # own numbering (restarting at 1 for each document and appendix, the first page of a
    # document without a number) as it had in its document.
    sections = list(master.element.body.iter(f"{_W}sectPr"))
    setup = [copy.deepcopy(child) for child in body_sect_pr if child.tag not in (_PG_NUM_TYPE, _TITLE_PG)]
    if len(sections) != len(numbering):  # not as counted: keep what each section has
        numbering = [tuple(copy.deepcopy(s.find(tag)) for tag in (_PG_NUM_TYPE, _TITLE_PG)) for s in sections]
    for sect_pr, own in zip(sections, numbering, strict=True):
        for child in list(sect_pr):
            sect_pr.remove(child)
        for child in setup:
            sect_pr.append(copy.deepcopy(child))
        for element in own:
            if element is not None:
                _put(sect_pr, element)
    master.core_properties.title = title
    master.core_properties.subject = "tap-van-ban"
    buffer = io.BytesIO()
    master.save(buffer)
    write_atomic(target, normalise_zip(buffer.getvalue()))
    return target
