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
