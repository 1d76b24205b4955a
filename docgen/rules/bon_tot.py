"""The local "chi bộ bốn tốt" layer: each criterion đạt / không đạt for a quarter, with why.

Thresholds come from the rule set's ``bon_tot`` section; the seed plan's vetoes
(any complaint letter or internal disunity fails criterion 3; any disciplined
member fails criterion 4) are its ``doan_ket`` and ``dang_vien`` keys.

Reason codes (docgen/rules/reasons.py; worded by docgen/documents/wording.py):

* lanh_dao: ``no_tasks_due``; ``tasks_done`` {share, need};
* sinh_hoat, when it fails: ``regular_missing`` {missing}, ``thematic_below`` {need},
  ``no_meetings``, ``attendance_below`` {need}; when it holds: ``regular_held``
  {held, planned}, ``thematic_held`` {held}, ``attendance`` {percent};
* doan_ket: ``complaints`` {count}, ``disunity_occurred``; when it holds: ``united``;
* dang_vien: ``members_disciplined`` {count}, ``dues_below`` {share, need}; when it
  holds: ``none_disciplined`` {dues: share}.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from docgen.models.rules import BonTotQuyTac
from docgen.rules.reasons import Reason
from docgen.rules.share import Share
from docgen.rules.tasks import TaskCounts

__all__ = ["CRITERIA", "CriterionResult", "QuarterFacts", "judge"]

CRITERIA = ("lanh_dao", "sinh_hoat", "doan_ket", "doi_ngu_dang_vien")


@dataclass(frozen=True)
class QuarterFacts:
    """The figures of a cell's quarter that the four criteria read."""

    tasks: TaskCounts
    regular_planned: int
    regular_held: int
    thematic_held: int
    attendance: Fraction | None  # mean attendance %, None if no meeting
    complaints: int
    disunity: int
    disciplined_members: int
    dues_due: int
    dues_paid: int

    @property
    def dues(self) -> Share:
        return Share(self.dues_paid, self.dues_due)


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's verdict and why (the failures, or the figures when it holds)."""

    code: str
    met: bool
    reasons: tuple[Reason, ...]


def judge(facts: QuarterFacts, rules: BonTotQuyTac) -> list[CriterionResult]:
    """Judge the four criteria in order (lanh_dao, sinh_hoat, doan_ket, doi_ngu_dang_vien)."""
    out = []

    # rule set: bon_tot.lanh_dao.ty_le_nhiem_vu_hoan_thanh_toi_thieu
    need = rules.lanh_dao.ty_le_nhiem_vu_hoan_thanh_toi_thieu
    done = facts.tasks.done_share
    if done.empty:
        out.append(CriterionResult("lanh_dao", True, (Reason("no_tasks_due"),)))
    else:
        out.append(
            CriterionResult(
                "lanh_dao", done.at_least(need), (Reason("tasks_done", {"share": done, "need": need}),)
            )
        )

    # rule set: bon_tot.sinh_hoat.du_so_buoi_thuong_ky / so_buoi_chuyen_de_toi_thieu /
    #           ty_le_du_sinh_hoat_toi_thieu
    meetings = rules.sinh_hoat
    fails: list[Reason] = []
    notes = [Reason("regular_held", {"held": facts.regular_held, "planned": facts.regular_planned})]
    if meetings.du_so_buoi_thuong_ky and facts.regular_held < facts.regular_planned:
        fails.append(Reason("regular_missing", {"missing": facts.regular_planned - facts.regular_held}))
    notes.append(Reason("thematic_held", {"held": facts.thematic_held}))
    if facts.thematic_held < meetings.so_buoi_chuyen_de_toi_thieu:
        fails.append(Reason("thematic_below", {"need": meetings.so_buoi_chuyen_de_toi_thieu}))
    if facts.attendance is None:
        fails.append(Reason("no_meetings"))
    else:
        notes.append(Reason("attendance", {"percent": facts.attendance}))
        if facts.attendance < meetings.ty_le_du_sinh_hoat_toi_thieu:
            fails.append(Reason("attendance_below", {"need": meetings.ty_le_du_sinh_hoat_toi_thieu}))
    out.append(CriterionResult("sinh_hoat", not fails, tuple(fails or notes)))

    # rule set: bon_tot.doan_ket.so_don_thu_toi_da / mat_doan_ket_phu_quyet (seed vetoes)
    unity = rules.doan_ket
    fails = []
    if facts.complaints > unity.so_don_thu_toi_da:
        fails.append(Reason("complaints", {"count": facts.complaints}))
    if unity.mat_doan_ket_phu_quyet and facts.disunity:
        fails.append(Reason("disunity_occurred"))
    out.append(CriterionResult("doan_ket", not fails, tuple(fails) or (Reason("united"),)))

    # rule set: bon_tot.doi_ngu_dang_vien.so_dang_vien_bi_ky_luat_toi_da (seed veto) /
    #           ty_le_dong_dang_phi_toi_thieu
    members = rules.doi_ngu_dang_vien
    fails = []
    if facts.disciplined_members > members.so_dang_vien_bi_ky_luat_toi_da:
        fails.append(Reason("members_disciplined", {"count": facts.disciplined_members}))
    if not facts.dues.at_least(members.ty_le_dong_dang_phi_toi_thieu):
        fails.append(Reason("dues_below", {"share": facts.dues, "need": members.ty_le_dong_dang_phi_toi_thieu}))
    out.append(
        CriterionResult(
            "doi_ngu_dang_vien", not fails, tuple(fails) or (Reason("none_disciplined", {"dues": facts.dues}),)
        )
    )
    return out
