"""A rule's reason as data: a code and its parameters, worded by the documents.

Rule functions never write sentences: each verdict carries ``Reason`` values
(``Reason("dues_below", {"share": Share(19, 20), "need": 100})``) and the document
side words them in one place (docgen/documents/wording.py), so a figure is worded
the same way in every report, in the minutes and in the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Reason"]


@dataclass(frozen=True)
class Reason:
    """Why a rule gave its result.

    Attributes:
        code: What happened (``tasks_done``, ``disciplined``...); the codes of each
            rule module are listed in its docstring.
        params: The figures the wording needs (counts, shares, thresholds, level codes,
            nested reasons).
        key: The rule-set key behind it (``dieu_kien.ca_nhan.tot``), "" if none.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""
