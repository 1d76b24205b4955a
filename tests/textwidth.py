"""Width of a line of text in Times New Roman, for tests that check column widths in twips.

Advance widths in font units (2048 per em) of Times New Roman, read from Liberation Serif 2,
which is metric-compatible with it (LibreOffice substitutes one for the other). The
characters: printable ASCII, then ơ ư Ơ Ư đ Đ, whose widths differ from their base letters.
Any other Vietnamese letter is as wide as its base letter (NFD, marks removed); a symbol the
font does not have (✓, ✗ come from a fallback font) counts one em, more than it takes. No
kerning: Word does not kern Times New Roman text by default.
"""

from __future__ import annotations

import unicodedata

_CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ơưƠƯđĐ'
_REGULAR = [
    512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569, 1024,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 569, 569, 1155, 1155, 1155, 909,
    1886, 1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821, 1479,
    1479, 1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682, 569, 682, 961,
    1024, 682, 909, 1024, 909, 1024, 909, 682, 1024, 1024, 569, 569, 1024, 569, 1593, 1024,
    1024, 1024, 1024, 682, 797, 569, 1024, 1024, 1479, 1024, 1024, 909, 983, 410, 983, 1108,
    1083, 1110, 1479, 1589, 1024, 1479,
]
_BOLD = [
    512, 682, 1137, 1024, 1024, 2048, 1706, 569, 682, 682, 1024, 1167, 512, 682, 512, 569,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 682, 682, 1167, 1167, 1167,
    1024, 1905, 1479, 1366, 1479, 1479, 1366, 1251, 1593, 1593, 797, 1024, 1593, 1366, 1933,
    1479, 1593, 1251, 1593, 1479, 1139, 1366, 1479, 1479, 2048, 1479, 1479, 1366, 682, 569,
    682, 1190, 1024, 682, 1024, 1139, 909, 1139, 909, 682, 1024, 1139, 569, 682, 1139, 569,
    1706, 1139, 1024, 1139, 1139, 909, 797, 682, 1139, 1024, 1479, 1024, 1024, 909, 807, 451,
    807, 1065, 1134, 1229, 1593, 1630, 1139, 1479,
]
_UNITS = 2048
_WIDTHS = {False: dict(zip(_CHARS, _REGULAR, strict=True)), True: dict(zip(_CHARS, _BOLD, strict=True))}


def advance(char: str, bold: bool = False) -> int:
    """The advance width of one character, in font units."""
    table = _WIDTHS[bold]
    if char in table:
        return table[char]
    base = unicodedata.normalize("NFD", char)[0]
    return table.get(base, _UNITS)


def text_twips(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` on one line at ``size_pt`` points, in twips (1/20 pt)."""
    units = sum(advance(c, bold) for c in unicodedata.normalize("NFC", text))
    return units * size_pt * 20 / _UNITS


def line_count(text: str, width_twips: float, size_pt: float, bold: bool = False) -> int:
    """Lines ``text`` takes in a column ``width_twips`` wide, wrapped at spaces."""
    lines, current = 1, ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_twips(trial, size_pt, bold) > width_twips:
            lines, current = lines + 1, word
        else:
            current = trial
    return lines
