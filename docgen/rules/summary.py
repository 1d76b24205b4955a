"""The ward's summaries counted (pure): cells and members by level, proposed and
recognised, moved down or up; "bốn tốt" per criterion; the xuất sắc quota where the rule
set says it is held.

The functions return numbers; ``docgen/documents/tong_hop_nam.py`` and
``tong_hop_quy.py`` word them (percentages with ``formatting.count_pct``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from docgen.models.rules import LEVELS, BoQuyTac
from docgen.rules.evaluation import Quota, level_rank, quota

__all__ = [
    "BonTotCounts",
    "LevelCounts",
    "MemberLevels",
    "OverQuota",
    "WardYearCounts",
    "bon_tot_counts",
    "count_levels",
    "quota_over",
    "ward_year_counts",
]


@dataclass(frozen=True)
class LevelCounts:
    """Items (cells or members) by level, as proposed and as recognised.

    Attributes:
        proposed: Level code -> how many were proposed at it (every level present).
        recognised: Level code -> how many were recognised at it.
        moved_down: Recognised lower than proposed.
        moved_up: Recognised higher than proposed.
        not_classified: Items not classified (counted apart, in no level).
    """

    proposed: dict[str, int]
    recognised: dict[str, int]
    moved_down: int
    moved_up: int
    not_classified: int = 0

    @property
    def counted(self) -> int:
        """How many items were classified (the base of the percentages)."""
        return sum(self.proposed.values())


def count_levels(pairs: Iterable[tuple[str | None, str | None]]) -> LevelCounts:
    """Count ``(proposed, recognised)`` pairs; a pair whose proposal is None is an item
    not classified (its recognised level is then ignored: nobody recognises it)."""
    proposed = dict.fromkeys(LEVELS, 0)
    recognised = dict.fromkeys(LEVELS, 0)
    down = up = none = 0
    for p, r in pairs:
        if p is None:
            none += 1
            continue
        r = r or p
        proposed[p] += 1
        recognised[r] += 1
        down += level_rank(r) > level_rank(p)
        up += level_rank(r) < level_rank(p)
    return LevelCounts(proposed, recognised, down, up, none)


@dataclass(frozen=True)
class MemberLevels:
    """A member as the ward's annual summary counts them."""

    proposed: str | None  # None: not classified
    recognised: str | None
    probationary: bool


@dataclass(frozen=True)
class WardYearCounts:
    """The ward's year counted: cells, all members, full and probationary members."""

    cells: LevelCounts
    members: LevelCounts
    full: LevelCounts
    probationary: LevelCounts


def ward_year_counts(
    cells: Iterable[tuple[str | None, str | None]], members: Sequence[MemberLevels]
) -> WardYearCounts:
    """Count the cells that reported (``(proposed, recognised)`` each) and their members."""
    return WardYearCounts(
        cells=count_levels(cells),
        members=count_levels((m.proposed, m.recognised) for m in members),
        full=count_levels((m.proposed, m.recognised) for m in members if not m.probationary),
        probationary=count_levels((m.proposed, m.recognised) for m in members if m.probationary),
    )


@dataclass(frozen=True)
class OverQuota:
    """Recognised xuất sắc over a quota: a cell's (``cell_id``) or the ward's (None)."""

    cell_id: str | None
    quota: Quota


def quota_over(groups: Mapping[str, Sequence[str | None]], rules: BoQuyTac) -> list[OverQuota]:
    """The quotas the recognised levels exceed, where the rule set holds the annual quota:
    each cell's (``groups``: cell id -> its members' levels) or the whole ward's.

    rule set: han_muc_xuat_sac.cap_nam (chi_bo | dang_bo), and the quota's own keys.
    """
    if rules.han_muc_xuat_sac.cap_nam == "chi_bo":
        over = ((cell_id, quota(levels, rules)) for cell_id, levels in groups.items())
        return [OverQuota(cell_id, q) for cell_id, q in over if q.exceeded]
    ward = quota([lv for levels in groups.values() for lv in levels], rules)
    return [OverQuota(None, ward)] if ward.exceeded else []


@dataclass(frozen=True)
class BonTotCounts:
    """The quarter's cells that reported, those that were "bốn tốt", and per criterion."""

    reported: int
    met: int
    per_criterion: tuple[int, ...]


def bon_tot_counts(criteria: Iterable[Sequence[bool]]) -> BonTotCounts:
    """Count the reported cells' criteria (one sequence of four met/not per cell); a cell
    is "bốn tốt" when it meets every criterion."""
    rows = [tuple(row) for row in criteria]
    width = max((len(r) for r in rows), default=4)
    return BonTotCounts(
        reported=len(rows),
        met=sum(1 for r in rows if all(r)),
        per_criterion=tuple(sum(1 for r in rows if r[i]) for i in range(width)),
    )
