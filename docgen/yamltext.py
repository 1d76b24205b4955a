"""Writing the YAML text of a secretary's files (``docgen init``, ``docgen roster import``).

The files are written as text, not dumped, so that they read as a person would type
them and keep their comments: a value is left bare when that is safe and quoted
otherwise. Reading them back always goes through docgen/yamlsource.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date

__all__ = ["block_item", "q", "scalar"]

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^#:]*$")


def q(value: str) -> str:
    """A YAML scalar for user text: as typed when that is safe, else double-quoted."""
    if _PLAIN.match(value) and value == value.strip() and value.lower() not in ("true", "false", "null"):
        return value
    return json.dumps(value, ensure_ascii=False)


def scalar(value: object, *, numbers: bool = True) -> str:
    """A YAML scalar for a value: a date as ``2026-01-05``, a boolean as ``true``/``false``,
    a number as is (with ``numbers=False``: as quoted text), anything else as text (:func:`q`)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if numbers and isinstance(value, int | float):
        return str(value)
    return q(str(value))


def block_item(
    item: Mapping[str, object],
    indent: str,
    *,
    numbers: bool = True,
    comments: Mapping[str, str] | None = None,
) -> list[str]:
    """The lines of one item of a block list of mappings, ``indent`` before its ``- ``.

    A value that is a mapping is written on the lines under its key, one level deeper;
    ``comments`` puts ``# comment`` after the value of the keys it names.
    """
    lines = []
    lead = f"{indent}- "
    for key, value in item.items():
        if isinstance(value, Mapping):
            lines.append(f"{lead}{key}:")
            lines += [f"{indent}    {k}: {scalar(x, numbers=numbers)}" for k, x in value.items()]
        else:
            comment = f"   # {comments[key]}" if comments and key in comments else ""
            lines.append(f"{lead}{key}: {scalar(value, numbers=numbers)}{comment}")
        lead = f"{indent}  "
    return lines
