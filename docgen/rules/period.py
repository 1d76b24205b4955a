"""Periods: quarters, and whole months added to a date."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["PROBATION_MONTHS", "add_months", "probation_overdue", "quarter_bounds", "year_bounds"]

# Điều lệ Đảng (2011), Điều 5: a member admitted serves 12 months on probation.
PROBATION_MONTHS = 12


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter ``quarter`` (1-4) of ``year``."""
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1..4")
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (31/8 + 6 = 28/2)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def probation_overdue(joined: date, as_of: date) -> bool:
    """A probationary member admitted on ``joined`` is still listed as such past the
    12 months of probation on ``as_of`` (their recognition date is likely missing)."""
    return as_of > add_months(joined, PROBATION_MONTHS)
