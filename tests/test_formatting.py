from datetime import date
from fractions import Fraction

import pytest

from docgen.formatting import (
    count_pct,
    date_line,
    document_number,
    finish_item,
    largest_remainder,
    ngay_thang_nam,
    percent,
    roman,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 20), "ngày 20 tháng 02 năm 2026"),
        (date(2018, 4, 3), "ngày 03 tháng 4 năm 2018"),  # HD 36's own header
        (date(2026, 11, 26), "ngày 26 tháng 11 năm 2026"),
        (date(2026, 12, 9), "ngày 09 tháng 12 năm 2026"),
        (date(2026, 3, 10), "ngày 10 tháng 3 năm 2026"),
    ],
)
def test_date_padding_follows_hd36(day: date, expected: str) -> None:
    assert ngay_thang_nam(day) == expected


def test_date_line() -> None:
    assert date_line("Ngọc Hà", date(2026, 1, 5)) == "Ngọc Hà, ngày 05 tháng 01 năm 2026"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1, "KH", "CB"), "01-KH/CB"),
        ((9, "TB", "CB"), "09-TB/CB"),
        ((10, "BC", "CB"), "10-BC/CB"),
        ((127, "BC", "ĐU"), "127-BC/ĐU"),
    ],
)
def test_document_number(args: tuple[int, str, str], expected: str) -> None:
    assert document_number(*args) == expected


def test_draft_number_is_blank() -> None:
    assert document_number(None, "KH", "CB") == "    -KH/CB"


@pytest.mark.parametrize(("n", "text"), [(1, "I"), (3, "III"), (4, "IV"), (9, "IX"), (14, "XIV")])
def test_roman(n: int, text: str) -> None:
    assert roman(n) == text


def test_roman_rejects_zero() -> None:
    with pytest.raises(ValueError):
        roman(0)


def test_percent_uses_decimal_comma() -> None:
    assert percent(Fraction(100, 3)) == "33,3%"
    assert percent(100) == "100,0%"
    assert percent(0) == "0,0%"


@pytest.mark.parametrize(
    "counts",
    [[1, 2], [1, 1, 1], [2, 1], [1, 6], [1, 1, 1, 1, 1, 1, 1], [3, 18, 5, 0], [0, 0, 7], [5]],
)
def test_largest_remainder_sums_to_exactly_100(counts: list[int]) -> None:
    shares = largest_remainder(counts)
    assert sum(shares) == 100
    for share, count in zip(shares, counts, strict=True):
        exact = Fraction(100 * count, sum(counts))
        assert abs(share - exact) < Fraction(1, 10)


def test_largest_remainder_thirds() -> None:
    assert count_pct([1, 1, 1]) == ["33,4%", "33,3%", "33,3%"]
    assert count_pct([1, 2]) == ["33,3%", "66,7%"]
    assert count_pct([0, 0]) == ["0,0%", "0,0%"]


@pytest.mark.parametrize(
    ("text", "last", "expected"),
    [("abc", False, "abc;"), ("abc;", False, "abc;"), ("abc.", True, "abc."), ("abc,  ", True, "abc.")],
)
def test_finish_item(text: str, last: bool, expected: str) -> None:
    assert finish_item(text, last) == expected
