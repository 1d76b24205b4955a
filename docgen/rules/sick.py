"""Sick leave as a duration of whole calendar months and days (pure).

A member's sick leave in a period is written one of three ways (docgen/models/quarter.py,
docgen/models/annual.py): as leaves from one date to another (``nghi_om``, both days
included), as a number of days (``nghi_om_ngay``) or, in files written before, as a
decimal number of months (``nghi_om_thang``). ``sick_leave`` turns them into one
``SickLeave`` (months, days) that the cap of ``gioi_han.nghi_om_tu_thang`` is compared with
exactly (rule set: gioi_han.ngay_mot_thang; Bộ luật Dân sự 2015, Điều 146, 148):

* one continuous leave counts whole calendar months (``period.add_months``: 02/03 to 01/06
  is 3 months, 02/03 to 30/05 is 2 months 29 days; 30/11 to 27/02 is 3 months, since
  30/11 + 3 months is 28/02), then the days left;
* leaves that touch (one ends the day before the next starts, e.g. across a quarter's end)
  are one leave;
* separate leaves, days written as a number and decimal months are added up, the days
  carried into months at ``ngay_mot_thang`` days a month (30: a period that is "not
  continuous" counts a month as 30 days, BLDS 2015 Điều 146 khoản 1 điểm c);
* a decimal month's fraction is ``ngay_mot_thang`` days times the fraction, rounded down
  (2,97 months is 2 months 29 days).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from docgen.rules.period import add_months

if TYPE_CHECKING:
    from docgen.models.annual import DanhGiaNam
    from docgen.models.quarter import DanhGiaDangVien

__all__ = [
    "DAYS_PER_MONTH",
    "SickLeave",
    "calendar_length",
    "from_days",
    "from_months",
    "merge_leaves",
    "sick_leave",
    "written_leave",
]

# rule set default of gioi_han.ngay_mot_thang (BLDS 2015, Điều 146 khoản 1 điểm c).
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class SickLeave:
    """A duration: whole months and the days left over."""

    months: int = 0
    days: int = 0

    def __bool__(self) -> bool:
        return bool(self.months or self.days)

    def reaches(self, months: float, per_month: int = DAYS_PER_MONTH) -> bool:
        """The leave is at least ``months`` long (a threshold of the rule set; its fraction,
        if any, taken as ``per_month`` days times the fraction, rounded up)."""
        whole = math.floor(Fraction(str(months)))
        rest = math.ceil((Fraction(str(months)) - whole) * per_month)
        return (self.months, self.days) >= (whole, rest)


def calendar_length(start: date, end: date) -> SickLeave:
    """The length of the leave from ``start`` to ``end``, both days included: whole calendar
    months (each ``add_months`` from ``start``), then the days left."""
    if end < start:
        raise ValueError("a leave ends before it starts")
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    while months > 0 and add_months(start, months) > after:
        months -= 1
    return SickLeave(months, (after - add_months(start, months)).days)


def merge_leaves(periods: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """The leaves in date order, those that touch or overlap joined into one."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def from_days(days: int, per_month: int = DAYS_PER_MONTH) -> SickLeave:
    """Days written as a number: ``per_month`` days a month."""
    return SickLeave(*divmod(days, per_month))


def from_months(months: float | Fraction, per_month: int = DAYS_PER_MONTH) -> SickLeave:
    """Decimal months (``nghi_om_thang``): whole months, the fraction as days rounded down."""
    exact = months if isinstance(months, Fraction) else Fraction(str(months))
    whole = math.floor(exact)
    return SickLeave(whole, math.floor((exact - whole) * per_month))


def written_leave(
    entries: Iterable[DanhGiaNam | DanhGiaDangVien],
) -> tuple[Fraction, tuple[tuple[date, date], ...], int]:
    """The sick leave a member's entries write (a quarter's one, or the year's, or the
    quarters' of a year), as ``sick_leave`` takes it: decimal months added up, the leaves
    (from, to), days added up."""
    entries = list(entries)
    months = sum((Fraction(str(e.nghi_om_thang or 0)) for e in entries), Fraction(0))
    periods = tuple(leave.span() for e in entries for leave in e.nghi_om or ())
    return months, periods, sum(e.nghi_om_ngay or 0 for e in entries)


def sick_leave(
    periods: Iterable[tuple[date, date]] = (),
    days: int = 0,
    months: float | Fraction = 0,
    per_month: int = DAYS_PER_MONTH,
) -> SickLeave:
    """The whole sick leave of a period: the leaves (touching ones joined), days written as a
    number and decimal months, added up as the module's docstring says.

    rule set: gioi_han.ngay_mot_thang (``per_month``)
    """
    pieces = [calendar_length(start, end) for start, end in merge_leaves(periods)]
    if days:
        pieces.append(from_days(days, per_month))
    if months:
        pieces.append(from_months(months, per_month))
    if len(pieces) == 1:
        return pieces[0]
    total_days = sum(p.days for p in pieces)
    return SickLeave(sum(p.months for p in pieces) + total_days // per_month, total_days % per_month)
