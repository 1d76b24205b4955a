"""Writing the YAML text of a secretary's files (``docgen init``, ``docgen roster import``).

The files are written as text, not dumped, so that they read as a person would type
them and keep their comments: a value is left bare when that is safe and quoted
otherwise. Reading them back always goes through docgen/yamlsource.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

__all__ = ["block_item", "q", "quoted", "scalar"]

# Words that some YAML reader takes for a boolean or null when bare: YAML 1.1 (PyYAML, and
# ruamel in 1.1 mode) reads yes/no/on/off/y/n as booleans, every reader null/true/false.
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
# Characters that cannot stay bare inside a value: ": " starts a mapping, " #" a comment
# (both refused whole, as before, so the rule stays simple to read).
_NOT_INSIDE = frozenset("#:")


def _bare(value: str) -> bool:
    """Whether ``value`` reads back as this same string when written bare in a block
    mapping, for docgen's loader (docgen/yamlsource.py, YAML 1.2-like), PyYAML (YAML 1.1)
    and ruamel alike.

    Only a value that starts with a letter can: that rules out every number of either
    YAML version (``+1``, ``.nan``, ``-.inf``, ``0x1F``, ``1_000``, ``1e3``, ``010``,
    ``24:00``), dates, null ``~`` and every indicator (``- ? : , [ ] { } # & * ! | > ' "
    % @ ` =``); then the words of :data:`_RESERVED` in any case, ``#`` and ``:`` anywhere,
    spaces at either end and anything not printable (tabs, line breaks, U+2028, format
    characters) are quoted too.
    """
    return (
        value[:1].isalpha()
        and value == value.strip()
        and value.lower() not in _RESERVED
        and not any(c in _NOT_INSIDE for c in value)
        and value.isprintable()
    )


def _escape(char: str) -> str:
    code = ord(char)
    if char in ('"', "\\"):
        return "\\" + char
    if char.isprintable() or char == " ":
        return char
    if code < 0x100:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"


def quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar: ``"`` and ``\\`` escaped, and every
    character that is not printable (controls, line breaks, tabs, U+2028, zero-width and
    other format characters) as its escape, so the file shows no invisible character."""
    return '"' + "".join(map(_escape, value)) + '"'


def q(value: str) -> str:
    """A YAML scalar for user text: as typed when that is safe (:func:`_bare`), else
    double-quoted (:func:`quoted`). Read back by docgen's loader, PyYAML or ruamel, it is
    ``value`` again (in NFC, as docgen reads every string)."""
    return value if _bare(value) else quoted(value)


def scalar(value: object, *, numbers: bool = True) -> str:
    """A YAML scalar for a value: a date as ``2026-01-05``, a boolean as ``true``/``false``,
    a number as is (with ``numbers=False``: as quoted text), anything else as text (:func:`q`)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if numbers and isinstance(value, float):
        return _float(value)
    if numbers and isinstance(value, int):
        return str(value)
    return q(str(value))


def _float(value: float) -> str:
    """A float as docgen's loader reads it back: ``.nan``, ``.inf``, ``-.inf``, and a dot
    in every other one (``1e+20`` is text there, ``1.0e+20`` a number)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "." not in text:
        text = text.replace("e", ".0e") if "e" in text else text + ".0"
    return text


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
