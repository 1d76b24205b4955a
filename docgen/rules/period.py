"""Periods: quarters, and whole months added to a date."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["add_months", "quarter_bounds", "year_bounds"]


def quarter_bounds(nam: int, quy: int) -> tuple[date, date]:
    """First and last day of quarter ``quy`` (1-4) of ``nam``."""
    if not 1 <= quy <= 4:
        raise ValueError("quarter must be 1..4")
    first_month = 3 * (quy - 1) + 1
    last_month = first_month + 2
    return date(nam, first_month, 1), date(nam, last_month, calendar.monthrange(nam, last_month)[1])


def year_bounds(nam: int) -> tuple[date, date]:
    """First and last day of ``nam``."""
    return date(nam, 1, 1), date(nam, 12, 31)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (31/8 + 6 = 28/2)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
