"""Classification of members and of the cell (Quy định 366-QĐ/TW), as pure functions.

Every threshold is read from the rule set (docgen/models/rules.py, rules/*.yaml);
the comment on each step names the rule-set key it reads. Each reason is a code
with its figures (docgen/rules/reasons.py), worded by docgen/documents/wording.py
for the reports' notes and the terminal.

Order of the steps, for a member:
1. not classified (``khong_xep_loai``): exempted, suspended, admitted too recently;
2. the score band (``muc_xep_loai[].diem_toi_thieu``);
3. the level's extra conditions (``dieu_kien.ca_nhan.<mức>``): a level whose conditions
   fail drops to the highest level whose conditions all hold;
4. caps (``gioi_han``): long sick leave;
5. forcing triggers (``buoc_khong_hoan_thanh.ca_nhan``): discipline in the period;
6. the proposal: the final level is the lower of the proposal and what the rules allow.
The cell follows the same steps with ``dieu_kien.tap_the`` and ``buoc_khong_hoan_thanh.tap_the``.

Reason codes of an ``Outcome`` (each with its rule-set key):

* ``not_classified`` {status: mien | dinh_chi | moi | du_bi, months, counted_to}: ``counted_to`` is
  the ``CountedTo`` the months since admission were counted to (rule set:
  ``khong_xep_loai.tinh_den``; see ``count_to``); ``du_bi``: a probationary member on that
  date (``probationary_on``) under ``khong_xep_loai.dang_vien_du_bi: chi_kiem_diem``;
* ``conditions`` {level, lower, failures}: the level's conditions do not hold, so
  ``lower``; each failure is ``on_time`` / ``done`` / ``exceeded`` {share, need},
  ``late`` {share, limit} or ``leadership_disciplined``;
* ``sick_cap`` {leave, from_months, cap}: ``leave`` the ``sick.SickLeave`` (months, days)
  that reached ``gioi_han.nghi_om_tu_thang`` (see docgen/rules/sick.py);
* ``disciplined`` {forms, forced}: discipline in the period (``forced``: it set the
  level to không hoàn thành);
* ``forced`` {triggers}: the cell's forcing triggers, each ``disunity``,
  ``committee_disciplined`` or ``members_disciplined_over`` {share, limit};
* ``proposal_above`` {proposed, allowed}.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from docgen.formatting import largest_remainder, percent
from docgen.models.rules import LEVELS, BoQuyTac, DieuKienMuc
from docgen.rules.period import PROBATION_MONTHS, add_months
from docgen.rules.reasons import Reason
from docgen.rules.share import Share
from docgen.rules.sick import SickLeave, sick_leave
from docgen.rules.tasks import TaskCounts

__all__ = [
    "CellFacts",
    "CountedTo",
    "MemberFacts",
    "Outcome",
    "Quota",
    "classify_cell",
    "classify_member",
    "count_to",
    "distribution",
    "level_rank",
    "lower_of",
    "not_classified_reason",
    "probationary_on",
    "quota",
    "score_band",
]

KHT = "khong_hoan_thanh"

# The rule-set key behind each reason a member is not classified (status codes used by reports).
NOT_CLASSIFIED_KEYS = {
    "mien": "khong_xep_loai.mien_sinh_hoat",
    "dinh_chi": "khong_xep_loai.dinh_chi_sinh_hoat",
    "moi": "khong_xep_loai.vao_dang_chua_du_thang",
    "du_bi": "khong_xep_loai.dang_vien_du_bi",
}
# Not classified and counted in a summary's "không xếp loại" column (exempted members have
# their own column).
NOT_RATED = ("dinh_chi", "moi", "du_bi")


def probationary_on(member_type: str, admitted: date, official: date | None, day: date) -> bool:
    """Whether a member was probationary (dự bị) on ``day``, from the roster.

    ``member_type`` is ``loai_dang_vien`` as the roster says it now: ``du_bi`` is
    probationary on any day of a period already typed. A full member (``chinh_thuc``) was
    probationary before ``ngay_chinh_thuc``; without that date, for the 12 months after
    admission (Điều lệ Đảng, Điều 5), since nobody is recognised earlier.
    """
    if member_type == "du_bi":
        return True
    if official is not None:
        return official > day
    return add_months(admitted, PROBATION_MONTHS) > day


def level_rank(level: str) -> int:
    """0 for the best level (xuất sắc) ... 3 for không hoàn thành."""
    return LEVELS.index(level)


def lower_of(a: str, b: str) -> str:
    """The worse of two levels."""
    return a if level_rank(a) >= level_rank(b) else b


def score_band(score: float, rules: BoQuyTac) -> str:
    """The level whose score band holds ``score`` (rule set: muc_xep_loai[].diem_toi_thieu)."""
    for band in rules.muc_xep_loai:
        if score >= band.diem_toi_thieu:
            return band.ma
    return KHT


def _condition_failures(
    cond: DieuKienMuc | None, tasks: TaskCounts, leadership_disciplined: bool = False
) -> list[Reason]:
    """The conditions of one level that ``tasks`` do not meet (empty list: all hold).

    With no task due in the period the shares are 0 of 0 (docgen/rules/share.py):
    on-time, done and late conditions hold, the exceeded condition does not.
    """
    if cond is None:
        return []
    fails = []
    if cond.ty_le_dung_han_toi_thieu is not None and not tasks.on_time_share.at_least(
        cond.ty_le_dung_han_toi_thieu
    ):
        fails.append(Reason("on_time", {"share": tasks.on_time_share, "need": cond.ty_le_dung_han_toi_thieu}))
    if cond.ty_le_vuot_muc_toi_thieu is not None and not tasks.exceeded_share.surplus_at_least(
        cond.ty_le_vuot_muc_toi_thieu
    ):
        fails.append(Reason("exceeded", {"share": tasks.exceeded_share, "need": cond.ty_le_vuot_muc_toi_thieu}))
    if cond.ty_le_hoan_thanh_toi_thieu is not None and not tasks.done_share.at_least(
        cond.ty_le_hoan_thanh_toi_thieu
    ):
        fails.append(Reason("done", {"share": tasks.done_share, "need": cond.ty_le_hoan_thanh_toi_thieu}))
    if cond.ty_le_cham_toi_da is not None and not tasks.late_share.at_most(cond.ty_le_cham_toi_da):
        fails.append(Reason("late", {"share": tasks.late_share, "limit": cond.ty_le_cham_toi_da}))
    if cond.khong_co_chi_uy_vien_bi_ky_luat and leadership_disciplined:
        fails.append(Reason("leadership_disciplined"))
    return fails


def _apply_conditions(
    start: str,
    conditions: Mapping[Any, DieuKienMuc],
    tasks: TaskCounts,
    leadership_disciplined: bool = False,
    key: str = "dieu_kien.ca_nhan",
) -> tuple[str, list[Reason]]:
    """Walk down from ``start`` to the first level whose conditions all hold.

    Returns the level and a ``conditions`` reason per level left.
    """
    reasons: list[Reason] = []
    level = start
    while level != KHT:
        fails = _condition_failures(conditions.get(level), tasks, leadership_disciplined)
        if not fails:
            break
        lower = LEVELS[level_rank(level) + 1]
        reasons.append(
            Reason("conditions", {"level": level, "lower": lower, "failures": tuple(fails)}, f"{key}.{level}")
        )
        level = lower
    return level, reasons


@dataclass(frozen=True)
class Outcome:
    """A classification.

    Attributes:
        level: The final level, or None when not classified.
        allowed: The highest level the rules allow (None when not classified).
        proposed: The proposal that was considered, if any.
        score: The total score (None when not scored).
        not_classified: A status code of NOT_CLASSIFIED_KEYS when not classified.
        reasons: Why the level is lower than the score band, forced or capped;
            or why not classified (each with its rule-set key).
    """

    level: str | None
    allowed: str | None
    proposed: str | None
    score: float | None
    not_classified: str | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def rule_keys(self) -> tuple[str, ...]:
        """The rule-set key behind each reason, in the same order."""
        return tuple(r.key for r in self.reasons)

    @property
    def classified(self) -> bool:
        return self.level is not None

    @property
    def over_allowed(self) -> bool:
        """The proposal is higher than the rules allow."""
        return (
            self.proposed is not None
            and self.allowed is not None
            and level_rank(self.proposed) < level_rank(self.allowed)
        )


@dataclass(frozen=True)
class MemberFacts:
    """What classifying one member reads."""

    admitted: date
    exempt_since: date | None
    suspended_since: date | None
    score: float | None
    proposed: str | None
    tasks: TaskCounts
    disciplined: Sequence[tuple[str, bool]] = ()  # (form, self-detected and remedied)
    # Sick leave as written (docgen/rules/sick.py adds them up): decimal months (the old
    # ``nghi_om_thang``), leaves (from, to; both days included) and days.
    sick_months: float | Fraction = 0
    sick_periods: Sequence[tuple[date, date]] = ()
    sick_days: int = 0
    member_type: str = "chinh_thuc"  # loai_dang_vien
    official: date | None = None  # ngay_chinh_thuc

    def sick_leave(self, per_month: int) -> SickLeave:
        """The period's sick leave in months and days (rule set: gioi_han.ngay_mot_thang)."""
        return sick_leave(self.sick_periods, self.sick_days, self.sick_months, per_month)

    def probationary(self, day: date) -> bool:
        """Probationary on ``day`` (``probationary_on``)."""
        return probationary_on(self.member_type, self.admitted, self.official, day)


@dataclass(frozen=True)
class CountedTo:
    """The date the months since admission are counted to.

    Attributes:
        day: The date.
        meeting: True for the date of the cell's review meeting, False for the end of
            the period.
    """

    day: date
    meeting: bool = False


def count_to(rules: BoQuyTac, meeting: date | None, period_end: date) -> CountedTo:
    """The date the "admitted less than N months" rule counts to, for a period ending
    ``period_end`` whose review meeting is on ``meeting`` (None: the data gives none).

    rule set: khong_xep_loai.tinh_den (ngay_hop: the meeting, else the end of the period;
    cuoi_ky: the end of the period)
    """
    if rules.khong_xep_loai.tinh_den == "ngay_hop" and meeting is not None:
        return CountedTo(meeting, meeting=True)
    return CountedTo(period_end)


def not_classified_reason(
    facts: MemberFacts, period_end: date, rules: BoQuyTac, counted_to: CountedTo | None = None
) -> str | None:
    """Why a member is not classified for the period (a NOT_CLASSIFIED_KEYS code), or None.

    ``counted_to``: the date the months since admission count to (``count_to``, computed
    by the caller); None: the end of the period.

    rule set: khong_xep_loai.mien_sinh_hoat / dinh_chi_sinh_hoat / vao_dang_chua_du_thang /
    dang_vien_du_bi (probationary on the date ``counted_to`` names)
    """
    excluded = rules.khong_xep_loai
    if excluded.mien_sinh_hoat and facts.exempt_since is not None and facts.exempt_since <= period_end:
        return "mien"
    if excluded.dinh_chi_sinh_hoat and facts.suspended_since is not None and facts.suspended_since <= period_end:
        return "dinh_chi"
    until = (counted_to or CountedTo(period_end)).day
    if add_months(facts.admitted, excluded.vao_dang_chua_du_thang) > until:
        return "moi"
    if excluded.dang_vien_du_bi == "chi_kiem_diem" and facts.probationary(until):
        return "du_bi"
    return None


def classify_member(
    facts: MemberFacts, period_end: date, rules: BoQuyTac, counted_to: CountedTo | None = None
) -> Outcome:
    """Classify one member for a period ending ``period_end``; ``counted_to`` as for
    ``not_classified_reason``."""
    counted_to = counted_to or CountedTo(period_end)
    code = not_classified_reason(facts, period_end, rules, counted_to)
    if code is not None:
        reason = Reason(
            "not_classified",
            {
                "status": code,
                "months": rules.khong_xep_loai.vao_dang_chua_du_thang,
                "counted_to": counted_to,
            },
            NOT_CLASSIFIED_KEYS[code],
        )
        return Outcome(None, None, facts.proposed, facts.score, code, (reason,))
    if facts.score is None:
        raise ValueError("a classified member needs a score")
    # rule set: muc_xep_loai[].diem_toi_thieu
    band = score_band(facts.score, rules)
    # rule set: dieu_kien.ca_nhan.<mức>
    level, reasons = _apply_conditions(band, rules.dieu_kien.ca_nhan, facts.tasks)
    # rule set: gioi_han.nghi_om_tu_thang, gioi_han.muc_toi_da_khi_nghi_om
    # (compared in whole months and days: docgen/rules/sick.py, gioi_han.ngay_mot_thang)
    cap = rules.gioi_han
    leave = facts.sick_leave(cap.ngay_mot_thang)
    if leave.reaches(cap.nghi_om_tu_thang, cap.ngay_mot_thang):
        capped = lower_of(level, cap.muc_toi_da_khi_nghi_om)
        if capped != level:
            reasons.append(
                Reason(
                    "sick_cap",
                    {"leave": leave, "from_months": cap.nghi_om_tu_thang, "cap": capped},
                    "gioi_han.nghi_om_tu_thang",
                )
            )
            level = capped
    # rule set: buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky / tru_khi_tu_phat_hien_khac_phuc
    trig = rules.buoc_khong_hoan_thanh.ca_nhan
    if trig.bi_ky_luat_trong_ky:
        counted = tuple(
            form for form, remedied in facts.disciplined
            if not (remedied and trig.tru_khi_tu_phat_hien_khac_phuc)
        )
        if counted:
            reasons.append(
                Reason(
                    "disciplined",
                    {"forms": counted, "forced": level != KHT},
                    "buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky",
                )
            )
            level = KHT
    return _with_proposal(level, facts.proposed, facts.score, reasons)


def _with_proposal(allowed: str, proposed: str | None, score: float, reasons: list[Reason]) -> Outcome:
    level = allowed
    if proposed is not None:
        level = lower_of(allowed, proposed)
        if level_rank(proposed) < level_rank(allowed):
            reasons.append(Reason("proposal_above", {"proposed": proposed, "allowed": allowed}, "muc_xep_loai"))
    return Outcome(level, allowed, proposed, score, None, tuple(reasons))


@dataclass(frozen=True)
class CellFacts:
    """What classifying the cell reads."""

    score: float
    proposed: str | None
    tasks: TaskCounts
    disunity: bool
    leadership_disciplined: bool  # a member of the chi ủy was disciplined in the period
    committee_disciplined: bool  # the chi ủy as a collective was disciplined
    members_rated: int
    members_disciplined: int


def classify_cell(facts: CellFacts, rules: BoQuyTac) -> Outcome:
    """Classify the cell (tập thể chi bộ) for a period."""
    # rule set: muc_xep_loai[].diem_toi_thieu
    band = score_band(facts.score, rules)
    # rule set: dieu_kien.tap_the.<mức>
    level, reasons = _apply_conditions(
        band, rules.dieu_kien.tap_the, facts.tasks, facts.leadership_disciplined, key="dieu_kien.tap_the"
    )
    # rule set: buoc_khong_hoan_thanh.tap_the.*
    trig = rules.buoc_khong_hoan_thanh.tap_the
    root = "buoc_khong_hoan_thanh.tap_the"
    forced = []
    if trig.mat_doan_ket and facts.disunity:
        forced.append(Reason("disunity", key=f"{root}.mat_doan_ket"))
    if trig.chi_uy_bi_ky_luat and facts.committee_disciplined:
        forced.append(Reason("committee_disciplined", key=f"{root}.chi_uy_bi_ky_luat"))
    disciplined = Share(facts.members_disciplined, facts.members_rated)
    limit = trig.ty_le_dang_vien_bi_ky_luat_vuot
    if limit is not None and not disciplined.at_most(limit):
        forced.append(
            Reason(
                "members_disciplined_over",
                {"share": disciplined, "limit": limit},
                f"{root}.ty_le_dang_vien_bi_ky_luat_vuot",
            )
        )
    if forced:
        reasons.append(Reason("forced", {"triggers": tuple(forced)}, ", ".join(r.key for r in forced)))
        level = KHT
    return _with_proposal(level, facts.proposed, facts.score, reasons)


@dataclass(frozen=True)
class Quota:
    """The xuất sắc quota: how many may be rated xuất sắc, and who is over it.

    Attributes:
        cap: How many may be rated xuất sắc.
        base: The count the cap is a share of (rule set: han_muc_xuat_sac.co_so).
        proposed: How many are rated (or proposed) xuất sắc.
    """

    cap: int
    base: int
    proposed: int

    @property
    def exceeded(self) -> bool:
        return self.proposed > self.cap


def quota(levels: Iterable[str | None], rules: BoQuyTac) -> Quota:
    """The xuất sắc quota over classified levels.

    rule set: han_muc_xuat_sac.ty_le, .co_so (tot | tot_tro_len), .lam_tron (xuong | gan_nhat | len)
    """
    q = rules.han_muc_xuat_sac
    final = [level for level in levels if level is not None]
    xs = final.count("xuat_sac")
    base = final.count("tot") + (xs if q.co_so == "tot_tro_len" else 0)
    exact = Fraction(q.ty_le) * base / 100
    if q.lam_tron == "xuong":
        cap = math.floor(exact)
    elif q.lam_tron == "len":
        cap = math.ceil(exact)
    else:
        cap = math.floor(exact + Fraction(1, 2))
    return Quota(cap=cap, base=base, proposed=xs)


@dataclass(frozen=True)
class Distribution:
    """Members by level: counts and percentages (over those classified) adding to 100,0%."""

    total: int
    exempt: int
    not_classified: int
    rated: int
    counts: dict[str, int] = field(default_factory=dict)
    percents: dict[str, str] = field(default_factory=dict)


def distribution(outcomes: Sequence[Outcome]) -> Distribution:
    """Count outcomes by level with largest-remainder percentages (formatting.largest_remainder)."""
    exempt = sum(1 for o in outcomes if o.not_classified == "mien")
    not_classified = sum(1 for o in outcomes if o.not_classified in NOT_RATED)
    rated = [o.level for o in outcomes if o.level is not None]
    counts = {level: rated.count(level) for level in LEVELS}
    shares = largest_remainder([counts[level] for level in LEVELS])
    return Distribution(
        total=len(outcomes),
        exempt=exempt,
        not_classified=not_classified,
        rated=len(rated),
        counts=counts,
        percents={level: percent(share) for level, share in zip(LEVELS, shares, strict=True)},
    )
