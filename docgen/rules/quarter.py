"""A cell's quarter, computed (pure): the four criteria, the cell's and each member's
level, the xuất sắc quota and the distribution by level.

The one computation behind the cell's quarterly report, its minutes and the ward's
quarterly summary, so the ward's totals are sums of the cells' figures. Task counts
come from the assignment files (``phan-cong*.yaml``), never from typed numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from docgen.models.org import DangVien
from docgen.models.quarter import BaoCaoQuy, BuoiSinhHoat, DanhGiaDangVien
from docgen.models.rules import BoQuyTac
from docgen.models.tasks import NhiemVu
from docgen.rules.bon_tot import CriterionResult, QuarterFacts, judge
from docgen.rules.evaluation import (
    CellFacts,
    Distribution,
    MemberFacts,
    Outcome,
    Quota,
    classify_cell,
    classify_member,
    count_to,
    distribution,
    quota,
)
from docgen.rules.share import Share
from docgen.rules.sick import SickLeave, written_leave
from docgen.rules.tasks import TaskCounts, count_tasks
from docgen.workspace import Cell

__all__ = ["MemberResult", "QuarterResult", "evaluate_quarter", "member_facts", "review_meeting_day"]


@dataclass(frozen=True)
class MemberResult:
    member: DangVien
    entry: DanhGiaDangVien | None
    tasks: TaskCounts
    outcome: Outcome
    # Probationary on the date the quarter counts to (rules.evaluation.probationary_on).
    probationary: bool = False
    # The quarter's sick leave (docgen/rules/sick.py; rule set: gioi_han.ngay_mot_thang).
    sick: SickLeave = SickLeave()


@dataclass(frozen=True)
class QuarterResult:
    """Everything the quarter's documents show, computed."""

    year: int
    quarter: int
    tasks: TaskCounts
    regular_held: int
    thematic: list[str]
    attendance: Fraction | None
    criteria: list[CriterionResult]
    cell: Outcome
    members: list[MemberResult]
    distribution: Distribution
    quota: Quota

    @property
    def bon_tot(self) -> bool:
        return all(c.met for c in self.criteria)

    def over_quota_names(self) -> list[str]:
        return [r.member.ho_ten for r in self.members if r.outcome.level == "xuat_sac"]


def member_facts(
    member: DangVien,
    entry: DanhGiaDangVien | None,
    tasks: list[NhiemVu],
    discipline: list[tuple[str, bool]],
    end: date,
    start: date | None = None,
) -> MemberFacts:
    """What classifying ``member`` for the period reads (no task counts without ``start``)."""
    score = None
    if entry is not None and entry.diem_chung is not None and entry.diem_nhiem_vu is not None:
        score = entry.diem_chung + entry.diem_nhiem_vu
    proposed = None
    if entry is not None:
        proposed = entry.chi_bo_de_xuat or entry.tu_nhan
    counts = count_tasks(tasks, start or end, end) if start else TaskCounts()
    sick_months, sick_periods, sick_days = written_leave([entry] if entry else [])
    return MemberFacts(
        admitted=member.ngay_vao_dang,
        exempt_since=member.mien_sinh_hoat.tu_ngay if member.mien_sinh_hoat else None,
        suspended_since=member.dinh_chi_sinh_hoat.tu_ngay if member.dinh_chi_sinh_hoat else None,
        score=score,
        proposed=proposed,
        tasks=counts,
        disciplined=discipline,
        sick_months=sick_months,
        sick_periods=sick_periods,
        sick_days=sick_days,
        member_type=member.loai_dang_vien,
        official=member.ngay_chinh_thuc,
    )


def last_meeting(meetings: Sequence[BuoiSinhHoat], day: date) -> int | None:
    """The index of the meeting minutes take when none is named: the last one on or before
    ``day`` (of two on one date, the one written later); None when there is none. The
    quarter's evaluation meeting (before the report's date) and the year-end meeting
    (quarter IV's, before the annual report's) are found this way."""
    before = [i for i, m in enumerate(meetings) if m.ngay <= day]
    return max(before, key=lambda k: (meetings[k].ngay, k)) if before else None


def review_meeting_day(report: BaoCaoQuy) -> date | None:
    """The day of the quarter's evaluation meeting, as its minutes take it
    (docgen/documents/bien_ban.py): the meeting marked ``danh_gia_quy``, else the last one
    on or before the report's date. None when there is none, or when more than one is
    marked (the minutes refuse that; the rules then count to the end of the quarter)."""
    marked = [m for m in report.buoi_sinh_hoat if m.danh_gia_quy]
    if marked:
        return marked[0].ngay if len(marked) == 1 else None
    i = last_meeting(report.buoi_sinh_hoat, report.ngay_ban_hanh)
    return report.buoi_sinh_hoat[i].ngay if i is not None else None


def evaluate_quarter(
    cell: Cell, report: BaoCaoQuy, tasks: list[NhiemVu], year: int, quarter: int, rules: BoQuyTac
) -> QuarterResult:
    """Compute the quarter (pure): criteria, levels, quota, distribution."""
    start, end = cell.year_kind.quarter_bounds(year, quarter)
    entries = {e.ma: e for e in report.dang_vien}
    discipline: dict[str, list[tuple[str, bool]]] = {}
    for d in report.ky_luat:
        discipline.setdefault(d.dang_vien, []).append((d.hinh_thuc, d.tu_phat_hien_khac_phuc))
    # rule set: khong_xep_loai.tinh_den
    counted = count_to(rules, review_meeting_day(report), end)
    members = []
    for member in cell.members:
        own = [t for t in tasks if t.dang_vien == member.ma]
        facts = member_facts(member, entries.get(member.ma), own, discipline.get(member.ma, []), end, start)
        outcome = classify_member(facts, end, rules, counted)
        members.append(
            MemberResult(
                member, entries.get(member.ma), facts.tasks, outcome, facts.probationary(counted.day),
                facts.sick_leave(rules.gioi_han.ngay_mot_thang),
            )
        )
    all_tasks = count_tasks(tasks, start, end)
    committee = {cell.info.bi_thu, cell.info.pho_bi_thu, *cell.info.chi_uy_vien}
    rated = [r for r in members if r.outcome.classified]
    cell_outcome = classify_cell(
        CellFacts(
            score=report.chi_bo.diem_chung + report.chi_bo.diem_nhiem_vu,
            proposed=report.chi_bo.tu_nhan,
            tasks=all_tasks,
            disunity=bool(report.mat_doan_ket),
            leadership_disciplined=any(d.dang_vien in committee for d in report.ky_luat),
            committee_disciplined=report.chi_uy_bi_ky_luat,
            members_rated=len(rated),
            members_disciplined=len(discipline),
        ),
        rules,
    )
    regular = [m for m in report.buoi_sinh_hoat if m.loai == "thuong_ky"]
    thematic = [m for m in report.buoi_sinh_hoat if m.loai == "chuyen_de"]
    # A meeting nobody had to attend (0 of 0) has no attendance to average.
    shares = [Share(m.co_mat, len(cell.required_at(m.ngay))) for m in report.buoi_sinh_hoat]
    ratios = [pct for s in shares if (pct := s.percent) is not None]
    attendance = sum(ratios, Fraction(0)) / len(ratios) if ratios else None
    criteria = judge(
        QuarterFacts(
            tasks=all_tasks,
            regular_planned=report.sinh_hoat_thuong_ky_ke_hoach,
            regular_held=len(regular),
            thematic_held=len(thematic),
            attendance=attendance,
            complaints=len(report.don_thu),
            disunity=len(report.mat_doan_ket),
            disciplined_members=len(discipline),
            dues_due=report.dang_phi.so_phai_dong,
            dues_paid=report.dang_phi.so_da_dong,
        ),
        rules.bon_tot,
    )
    outcomes = [r.outcome for r in members]
    return QuarterResult(
        year=year,
        quarter=quarter,
        tasks=all_tasks,
        regular_held=len(regular),
        thematic=[m.chu_de or "" for m in thematic],
        attendance=attendance,
        criteria=criteria,
        cell=cell_outcome,
        members=members,
        distribution=distribution(outcomes),
        quota=quota([o.level for o in outcomes], rules),
    )
