"""Shares (``part`` of ``whole``) and the one decision about 0 of 0.

Every ratio the rules judge is a ``Share``: tasks done, on time, late or exceeded of
the tasks due; dues paid of the members who must pay; members present of those who
must attend; members disciplined of those rated.

0 of 0 (no task due, nobody has to pay dues, nobody has to attend) is not a
percentage: ``Share.percent`` is None and the documents word the figure as
"nothing was due" (``không có đồng chí phải đóng``), never as ``0/0 (0,0%)``.
The verdict follows one rule, decided here once for every ratio:

* a requirement on what had to be done (at least N% done, on time, paid, present;
  ``at_least``) or a limit on what went wrong (at most N% late, disciplined;
  ``at_most``) is met when nothing was due: nothing owed was left undone;
* a requirement to do more than asked (at least N% of tasks exceeded, a condition of
  "Hoàn thành xuất sắc"; ``surplus_at_least``) is not met when nothing was due:
  nothing was exceeded. (QĐ 366 Điều 11 asks for at least 30% of tasks exceeded;
  with no task there is nothing to exceed. shared/reference/evaluation-rules.md §1.3.)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Share"]


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` (19 of 20 members paid their dues)."""

    part: int
    whole: int

    @property
    def empty(self) -> bool:
        """0 of 0: nothing was due."""
        return self.whole == 0

    @property
    def percent(self) -> Fraction | None:
        """The percentage (95 for 19 of 20); None for 0 of 0."""
        return None if self.empty else Fraction(100 * self.part, self.whole)

    def at_least(self, minimum: float) -> bool:
        """At least ``minimum`` percent were done; met when nothing was due."""
        pct = self.percent
        return pct is None or pct >= Fraction(minimum)

    def at_most(self, maximum: float) -> bool:
        """At most ``maximum`` percent went wrong; met when nothing was due."""
        pct = self.percent
        return pct is None or pct <= Fraction(maximum)

    def surplus_at_least(self, minimum: float) -> bool:
        """At least ``minimum`` percent went beyond what was asked; when nothing was due
        nothing went beyond it, so only a minimum of 0 is met."""
        pct = self.percent
        return Fraction(minimum) <= (pct if pct is not None else 0)
