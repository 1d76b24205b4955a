"""Vietnamese formatting used in Party documents: dates, numbers and symbols, numerals.

Pure functions; the rules they follow are cited from
``shared/reference/party-document-format.md`` (HD 36-HD/VPTW, QĐ 399-QĐ/TW).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from fractions import Fraction

from docgen.errors import DateFormatError, DateTextError
from docgen.rules.period import YearKind

__all__ = [
    "NBSP",
    "count_pct",
    "date_line",
    "decimal",
    "document_number",
    "finish_item",
    "heading_text",
    "parse_user_date",
    "quarter_words",
    "largest_remainder",
    "name_key",
    "ngay_thang_nam",
    "percent",
    "plain_spaces",
    "read_date_text",
    "roman",
    "short_date",
    "tie_numbers",
    "title_text",
    "upper_vi",
    "year_words",
]


def ngay_thang_nam(day: date) -> str:
    """Format the date part of the place-date line.

    Days under 10 are zero-padded; months are zero-padded only for 01 and 02
    (HD 36 examples: "ngày 03 tháng 4 năm 2018", "ngày 20 tháng 02 năm 2018").

    >>> ngay_thang_nam(date(2026, 1, 5))
    'ngày 05 tháng 01 năm 2026'
    >>> ngay_thang_nam(date(2026, 11, 20))
    'ngày 20 tháng 11 năm 2026'
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: date) -> str:
    """The italic line under the national-party title: ``An Phú, ngày 05 tháng 01 năm 2026``."""
    return f"{place}, {ngay_thang_nam(day)}"


def short_date(day: date) -> str:
    """``05/01/2026``: the short form used inside tables and prose."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def document_number(number: int | None, type_code: str, issuer_code: str) -> str:
    """Number and symbol without the word "Số": ``05-KH/CB``.

    The number is zero-padded below 10; a hyphen joins it to the type, a slash to
    the issuer (party-document-format.md §2, "Numbering & symbol"). ``None`` (a
    draft that has no number yet) leaves the place blank.

    >>> document_number(5, "KH", "CB")
    '05-KH/CB'
    >>> document_number(127, "BC", "ĐU")
    '127-BC/ĐU'
    """
    shown = f"{number:02d}" if number is not None else "    "
    return f"{shown}-{type_code}/{issuer_code}"


_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def year_words(kind: YearKind, year: int) -> str:
    """Year ``year`` of a cell in a sentence (``rules.period.YearKind``).

    >>> year_words(YearKind(), 2026), year_words(YearKind(9), 2026)
    ('năm 2026', 'năm học 2025-2026')
    """
    return f"năm học {year - 1}-{year}" if kind.school else f"năm {year}"


def quarter_words(kind: YearKind, year: int, quarter: int) -> str:
    """Quarter ``quarter`` of year ``year`` of a cell in a sentence.

    >>> quarter_words(YearKind(), 2026, 3), quarter_words(YearKind(9), 2026, 1)
    ('quý III năm 2026', 'quý I năm học 2025-2026')
    """
    return f"quý {roman(quarter)} {year_words(kind, year)}"


def roman(value: int) -> str:
    """Roman numeral (section headings, quarters: ``quý III``).

    >>> roman(4)
    'IV'
    """
    if value <= 0:
        raise ValueError("roman numerals start at 1")
    out = []
    for amount, letters in _ROMAN:
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def upper_vi(text: str) -> str:
    """Upper-case Vietnamese text (``Chi bộ Khu phố 3`` -> ``CHI BỘ KHU PHỐ 3``)."""
    return text.upper()


def percent(value: Fraction | float, decimals: int = 1) -> str:
    """Vietnamese percentage with a decimal comma: ``33,3%``.

    Args:
        value: The percentage itself (33.33 for one third), not the ratio.
        decimals: Digits after the comma.
    """
    quantum = Fraction(1, 10**decimals)
    rounded = round(Fraction(value) / quantum) * quantum
    return decimal(float(rounded), decimals, keep_zeros=True) + "%"


def decimal(value: float, places: int | None = None, *, keep_zeros: bool = False) -> str:
    """A number with a decimal comma, as Vietnamese write it: ``12,5``, ``14``.

    Args:
        value: The number.
        places: None for the shortest form (Python's ``g`` format: ``87,5``, ``90``);
            else rounded to that many digits after the comma, trailing zeros dropped
            (``12,3``, ``14``) unless ``keep_zeros`` (``6,0``).

    >>> decimal(87.5), decimal(90.0), decimal(12.25, 1), decimal(6, 1, keep_zeros=True)
    ('87,5', '90', '12,2', '6,0')
    """
    if places is None:
        text = f"{value:g}"
    else:
        text = f"{value:.{places}f}"
        if not keep_zeros and "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def largest_remainder(counts: list[int], decimals: int = 1) -> list[Fraction]:
    """Percentages of ``counts`` over their sum, rounded so they add up to exactly 100.

    Uses the largest-remainder (Hamilton) method on units of ``10**-decimals`` percent:
    every share is floored, then the units left over go to the largest remainders
    (ties to the earlier entry). With a zero total every share is 0.

    >>> [float(p) for p in largest_remainder([1, 1, 1])]
    [33.4, 33.3, 33.3]
    """
    total = sum(counts)
    if total == 0:
        return [Fraction(0)] * len(counts)
    units = 100 * 10**decimals
    exact = [Fraction(c * units, total) for c in counts]
    floors = [int(e) for e in exact]
    left = units - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Fraction(f, 10**decimals) for f in floors]


def count_pct(counts: list[int], decimals: int = 1) -> list[str]:
    """Formatted percentages of ``counts`` that add up to 100,0% (see largest_remainder)."""
    return [percent(p, decimals) for p in largest_remainder(counts, decimals)]


_END_PUNCT = re.compile(r"[\s;,.:]+$")


def finish_item(text: str, last: bool, sep: str = ";", end: str = ".") -> str:
    """Give a list item its conventional ending: ``;`` between items, ``.`` after the last.

    Any punctuation the user typed at the end is replaced, so "abc;" and "abc" give the
    same result.
    """
    return _END_PUNCT.sub("", text) + (end if last else sep)


MIN_YEAR = 1900
MAX_YEAR = 2100


def parse_user_date(text: str) -> date:
    """Read ``2026-01-05``, ``05/01/2026`` or ``5.1.2026`` (day first, as Vietnamese write it).

    Years outside 1900-2100 are refused as typing mistakes (``0226``, ``9999``): no party
    document or member's date lies there, and date arithmetic would overflow.

    Raises:
        DateFormatError: not a date, a day that does not exist (2026-02-30), or a year
            outside 1900-2100.
    """
    try:
        return read_date_text(text)
    except DateTextError as exc:
        shown = exc.text
        if exc.reason == "year":
            raise DateFormatError(
                f"ngày '{shown}' có năm {exc.year} không hợp lý (chỉ nhận năm {MIN_YEAR} đến {MAX_YEAR}; "
                "có gõ nhầm năm?)"
            ) from None
        if exc.reason == "day":
            if not 1 <= exc.month <= 12:
                reason = f"không có tháng {exc.month}"
            else:
                reason = f"tháng {exc.month} năm {exc.year} không có ngày {exc.day}"
            raise DateFormatError(f"ngày '{shown}' không tồn tại ({reason})") from None
        raise DateFormatError(f"'{shown}' không phải ngày; viết dạng 2026-01-05 hoặc 05/01/2026") from None


# ----------------------------------------------------------------------------- typed date text


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_LOOSE_YMD = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_LOOSE_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_MIDNIGHT = re.compile(r"\s+0{1,2}:0{2}(:0{2})?$")


def read_date_text(text: str, *, loose: bool = False, today: date | None = None) -> date:
    """The one reader of a date typed as text, day first as Vietnamese write it.

    Strict (YAML files, the command line): ``2026-01-05``, ``05/01/2026``, ``5.1.2026``;
    a year outside 1900-2100 is refused as a typing mistake (``0226``, ``9999``).

    Loose (a cell of a secretary's spreadsheet, ``today`` placing two-digit years): also
    spaces around the separators, ``05-01-2026``, ``2026/01/05``, ``2026.01.05``, a
    two-digit year (``5/1/26``: this century up to this year, else the last) and a
    midnight time after the date (``05/01/2026 00:00:00``).

    Raises:
        DateTextError: why the text is not a date.
    """
    text = text.strip()
    if loose:
        text = _MIDNIGHT.sub("", text)
        ymd, dmy = _LOOSE_YMD.fullmatch(text), _LOOSE_DMY.fullmatch(text)
    else:
        ymd, dmy = _ISO.fullmatch(text), _DMY.fullmatch(text)
    if ymd:
        year, month, day = int(ymd[1]), int(ymd[2]), int(ymd[3])
    elif dmy:
        day, month, year = int(dmy[1]), int(dmy[2]), int(dmy[3])
        if len(dmy[3]) == 2:
            now = (today or date.today()).year % 100
            year += 2000 if year <= now else 1900
    elif loose and re.fullmatch(r"\d{4}", text):
        raise DateTextError("year_only", text)
    else:
        raise DateTextError("form", text)
    if not loose and not MIN_YEAR <= year <= MAX_YEAR:
        raise DateTextError("year", text, year, month, day)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateTextError("day", text, year, month, day) from None


# The five tone marks, as combining characters (NFD). The marks of the vowel itself
# (circumflex, breve, horn) stay where they are: they make another letter.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_TONE = re.compile(f"[{_TONES}]")


def name_key(name: str) -> str:
    """The form two spellings of one person's name share, for matching people.

    NFC or decomposed input, case, runs of spaces and where the tone mark sits in a
    syllable (the old placement «Thuỷ», «hoà», «khoẻ», «uý» and the new «Thủy», «hòa»,
    «khỏe», «úy») make no difference; the letters and the tones do («Thùy» is not
    «Thủy»). A key, not a name to show: each syllable's tone mark is moved to its end.

    >>> name_key("Đỗ Thị Thuỷ") == name_key("đỗ  thị THỦY")
    True
    >>> name_key("Thùy") == name_key("Thủy")
    False
    """
    words = unicodedata.normalize("NFD", name).casefold().split()
    keyed = []
    for word in words:
        tones = "".join(sorted(_TONE.findall(word)))
        keyed.append(unicodedata.normalize("NFC", _TONE.sub("", word) + tones))
    return " ".join(keyed)


# ----------------------------------------------------------------------------- line breaks


# U+00A0 NO-BREAK SPACE: Word and LibreOffice never break a line at it, and it prints as
# an ordinary space (Times New Roman and Liberation Serif both have the glyph).
NBSP = "\u00a0"

# «năm 2026», «quý III», «quý 3»: the word and its number stay on one line, so a title or
# a summary line never ends with the year or the numeral alone on the next line
# (issue 18). A template's own ``năm {{ nam }}`` is tied the same way.
_YEAR_TIE = re.compile(r"\b(năm(?: học)?) (?=\d{4}\b|\{\{)", re.IGNORECASE)
_QUARTER_TIE = re.compile(r"\b(quý) (?=(?:IV|I{1,3}|[1-4])\b|\{\{)", re.IGNORECASE)

# A heading's last word this short (letters only) is tied to the word before it. A
# heading set in 13-14 pt on the 160-165 mm text width holds about 55-70 characters a
# line; a lone word of up to 4 letters («MỨC», «VỤ», «TỚI», «ĐIỂM»: one Vietnamese
# syllable, under 7% of the line) reads as a stray word under the heading, while moving
# it with its neighbour (at most 4 + 7 letters, a Vietnamese syllable has 7 at most)
# still leaves the line above at least four fifths full. Longer last words are left alone:
# a 5-letter syllable alone is rare enough, and tying longer pairs makes ragged lines.
SHORT_LAST_WORD = 4
# A heading this short (characters) fits on one line whatever it holds, so nothing is
# tied: 35 characters of the widest Vietnamese capitals (about 0.9 em: «Ư», «M», «W») in
# 14 pt bold take 35 x 0.9 x 14 pt = 441 pt = 156 mm, under the 165 mm text width of A4
# with the profile's 30 mm and 15 mm margins (the-thuc.yaml, trang).
ONE_LINE_HEADING = 35


def tie_numbers(text: str) -> str:
    """A no-break space between «năm» and its year and between «quý» and its numeral.

    >>> tie_numbers("quý III năm 2026") == "quý\\u00a0III năm\\u00a02026"
    True
    >>> tie_numbers("quý tới, năm học") == "quý tới, năm học"
    True
    """
    return _QUARTER_TIE.sub(r"\1" + NBSP, _YEAR_TIE.sub(r"\1" + NBSP, text))


def title_text(text: str) -> str:
    """A document's title or summary line (trích yếu) as it is set: numbers tied."""
    return tie_numbers(text)


def heading_text(text: str, *, ending: bool = False) -> str:
    """A heading as it is set: numbers tied, and, in a heading long enough to wrap (over
    ``ONE_LINE_HEADING`` characters), a short last word (``SHORT_LAST_WORD`` letters or
    fewer) tied to the word before it, so the heading never ends with one short word
    alone on its last line. A last word that is a template tag (``}}``) is
    left alone: its length is known only once the template is filled. ``ending``: the
    text is the end of a longer heading (a value filling a template's heading), so it is
    tied whatever its own length.

    >>> heading_text("V. ĐỀ NGHỊ “HOÀN THÀNH XUẤT SẮC NHIỆM VỤ” VƯỢT HẠN MỨC").endswith("HẠN\\u00a0MỨC")
    True
    >>> heading_text("IV. TRÁCH NHIỆM CỦA TẬP THỂ, CÁ NHÂN VỚI KHUYẾT ĐIỂM").endswith("KHUYẾT\\u00a0ĐIỂM")
    True
    >>> heading_text("I. MỤC ĐÍCH, YÊU CẦU") == "I. MỤC ĐÍCH, YÊU CẦU"
    True
    """
    text = tie_numbers(text)
    if len(text) <= ONE_LINE_HEADING and not ending:
        return text
    head, sep, last = text.rpartition(" ")
    if not sep or "}" in last or "%" in last:
        return text
    if sum(ch.isalpha() for ch in last) > SHORT_LAST_WORD:
        return text
    return f"{head}{NBSP}{last}"


def plain_spaces(text: str) -> str:
    """``text`` with its no-break spaces as ordinary ones (the register's summary, file
    metadata: text people search)."""
    return text.replace(NBSP, " ")
