"""docgen's whole pipeline with plain docxtpl as its renderer: the benchmark's baseline.

    python benchmarks/plain_docxtpl.py batch -w WARD --quy 3 --nam 2026 -o OUT -j 2

The same command line as ``docgen``: everything docgen does (reading and checking the
data, numbering, the register, writing all or nothing, the manifest) runs unchanged;
only the renderer seam is replaced. ``docgen.templates.Renderer.template(path, display)``
returns a :class:`PlainTemplate`, whose ``render`` is what a plain docxtpl program
does for each document: ``DocxTemplate(path).render(context, autoescape=True)`` and
save to bytes, with no template check, no compile cache and no version stamp.

The replacement is made on the class before the batch's process pool starts, so the
workers (forked) inherit it.
"""

from __future__ import annotations

import hashlib
import io
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


class PlainTemplate:
    """A template as a plain docxtpl program uses it: loaded afresh for every document."""

    warnings: tuple[str, ...] = ()

    def __init__(self, path: Path, display: str | None = None) -> None:
        self.path = path
        self.display = display or path.name
        self.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()  # the register records it

    def render(self, context: Mapping[str, Any], stamp: object = None) -> bytes:
        from docxtpl import DocxTemplate

        doc = DocxTemplate(str(self.path))
        doc.render(dict(context), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def plain_template(self: object, path: Path, display: str | None = None) -> PlainTemplate:
    """``Renderer.template`` replaced: no check, no compile, no cache."""
    return PlainTemplate(path, display)


def install() -> None:
    """Replace docgen's renderer seam in this process (and the processes it forks)."""
    from docgen import templates

    templates.Renderer.template = plain_template  # type: ignore[assignment,method-assign]


if __name__ == "__main__":
    install()
    from docgen.cli import main

    main(sys.argv[1:])
