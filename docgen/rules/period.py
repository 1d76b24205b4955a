"""Periods: years (calendar or school), their quarters, and whole months added to a date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "CALENDAR",
    "PROBATION_MONTHS",
    "YearKind",
    "add_months",
    "folder_year",
    "probation_overdue",
]

# Điều lệ Đảng (2011), Điều 5: a member admitted serves 12 months on probation.
PROBATION_MONTHS = 12


@dataclass(frozen=True)
class YearKind:
    """How a cell counts its year: the calendar year (``start_month`` 1) or a school year
    starting in ``start_month`` (rule set ``thang_bat_dau_nam_hoc``).

    A year is named by the calendar year it ENDS in: school year 2025-2026 is year 2026,
    so each ward year (calendar) holds the one school year that ends in it. Quarters are
    the year's four blocks of three months from its start month."""

    start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise ValueError("start_month must be 1..12")

    @property
    def school(self) -> bool:
        return self.start_month != 1

    def first_year(self, year: int) -> int:
        """The calendar year the year named ``year`` starts in."""
        return year - 1 if self.school else year

    def year_bounds(self, year: int) -> tuple[date, date]:
        """First and last day of year ``year``."""
        start = date(self.first_year(year), self.start_month, 1)
        return start, add_months(start, 12) - timedelta(days=1)

    def quarter_bounds(self, year: int, quarter: int) -> tuple[date, date]:
        """First and last day of quarter ``quarter`` (1-4) of year ``year``."""
        if not 1 <= quarter <= 4:
            raise ValueError("quarter must be 1..4")
        start = add_months(self.year_bounds(year)[0], 3 * (quarter - 1))
        return start, add_months(start, 3) - timedelta(days=1)

    def year_of(self, day: date) -> int:
        """The year (as this kind names years) that ``day`` falls in."""
        return day.year + 1 if self.school and day.month >= self.start_month else day.year

    def plan_window(self, year: int) -> tuple[date, date]:
        """When year ``year``'s plan may be issued: from twelve months before the year
        starts to its last day (a calendar year: in that year or the one before)."""
        start, end = self.year_bounds(year)
        return add_months(start, -12), end

    def review_window(self, year: int) -> tuple[date, date]:
        """When year ``year``'s annual review may be issued: its last quarter and the
        quarter after it (a calendar year: 01/10 to 31/03; a school year from September:
        01/06 to 30/11)."""
        after = self.year_bounds(year)[1] + timedelta(days=1)
        return add_months(after, -3), add_months(after, 3) - timedelta(days=1)

    def folder_name(self, year: int) -> str:
        """The name of year ``year``'s folder: ``2026``, or ``2025-2026`` for a school year."""
        return f"{year - 1}-{year}" if self.school else str(year)

    def own_period(self, year: int, quarter: int | None) -> tuple[int, int | None]:
        """This kind's period a ward period holds: the same year (the year named by the
        calendar year it ends in), and the quarter ending in calendar ``quarter``."""
        return (year, None) if quarter is None else self.quarter_ending_in(year, quarter)

    def quarter_ending_in(self, year: int, quarter: int) -> tuple[int, int]:
        """This kind's (year, quarter) whose last day falls in calendar quarter ``quarter``
        of ``year``: the period a ward's quarterly summary takes from the cell. Each
        calendar quarter holds exactly one such end, as both are blocks of three months."""
        first, last = CALENDAR.quarter_bounds(year, quarter)
        for own_year in (year, year + 1):
            for own_quarter in range(1, 5):
                end = self.quarter_bounds(own_year, own_quarter)[1]
                if first <= end <= last:
                    return own_year, own_quarter
        raise AssertionError("three-month blocks always end once in a calendar quarter")


CALENDAR = YearKind()

# A year folder's name: ``2026``, or a school year ``2025-2026``.
_FOLDER = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def folder_year(name: str) -> tuple[int, bool] | None:
    """The year a folder name holds and whether it is a school year's (``2025-2026`` is
    year 2026); None for a name that is neither."""
    found = _FOLDER.match(name)
    if found is None:
        return None
    first, second = found.groups()
    if second is None:
        return int(first), False
    if int(second) != int(first) + 1:
        return None
    return int(second), True


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
