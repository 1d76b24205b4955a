"""A cell's year, computed (pure), from its ``nam.yaml``, its quarters and its tasks.

Scores not typed in ``nam.yaml`` are aggregated from the quarter files (the rule
set's ``gop_quy_thanh_nam``), discipline decisions and sick leave are gathered from
them, and the "bốn tốt" result is the number of quarters that met all four criteria.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from statistics import mean

from docgen.models.annual import BaoCaoNam, DanhGiaNam
from docgen.models.org import DangVien
from docgen.models.quarter import BaoCaoQuy, DanhGiaDangVien
from docgen.models.rules import BoQuyTac
from docgen.models.tasks import NhiemVu
from docgen.rules.evaluation import (
    CellFacts,
    CountedTo,
    Distribution,
    MemberFacts,
    Outcome,
    Quota,
    classify_cell,
    classify_member,
    count_to,
    distribution,
    not_classified_reason,
    quota,
)
from docgen.rules.quarter import QuarterResult, evaluate_quarter, last_meeting
from docgen.rules.sick import written_leave
from docgen.rules.tasks import TaskCounts, count_tasks
from docgen.workspace import Cell

__all__ = ["ScoresMissing", "YearMember", "YearResult", "aggregate", "evaluate_year", "year_meeting_day"]


@dataclass(frozen=True)
class YearMember:
    """A member's year.

    Attributes:
        index: Position in nam.yaml's dang_vien list (None: not listed there).
        score_quarters: None when the score is typed in nam.yaml (or there is none);
            else the number of quarter scores it aggregates (rule set: gop_quy_thanh_nam).
    """

    member: DangVien
    entry: DanhGiaNam | None
    index: int | None
    score_quarters: int | None
    tasks: TaskCounts
    outcome: Outcome
    maternity: bool
    # Probationary on the date the year counts to (YearResult.counted_to; rules.evaluation.probationary_on).
    probationary: bool = False


@dataclass(frozen=True)
class YearResult:
    """The year, computed.

    Attributes:
        cell_score_quarters: None when the cell's score is typed in nam.yaml; else the
            number of quarters it aggregates.
    """

    year: int
    tasks: TaskCounts
    quarters: dict[int, QuarterResult]
    cell: Outcome
    cell_score_quarters: int | None
    members: list[YearMember]
    distribution: Distribution
    quota: Quota
    # The date the year's "admitted less than N months" and probationary status count to
    # (rule set: khong_xep_loai.tinh_den).
    counted_to: CountedTo | None = None

    @property
    def bon_tot_quarters(self) -> list[int]:
        return [q for q, r in sorted(self.quarters.items()) if r.bon_tot]


@dataclass
class ScoresMissing(Exception):
    """Scores the year needs and neither nam.yaml nor the quarter files give.

    Attributes:
        members: Members to be classified without a score, with their position in
            nam.yaml's dang_vien list (None: not listed there).
        cell: The cell's own score is missing (checked once every member has one).
    """

    members: list[tuple[DangVien, int | None]] = field(default_factory=list)
    cell: bool = False


def aggregate(values: list[float], rule: str) -> float:
    """Quarter scores as one year score, to one decimal.

    rule set: gop_quy_thanh_nam (trung_binh | thap_nhat)
    """
    value = mean(values) if rule == "trung_binh" else min(values)
    return round(value, 1)


def year_meeting_day(report: BaoCaoNam, q4: BaoCaoQuy | None) -> date | None:
    """The day of the year-end review meeting, as its minutes take it
    (docgen/documents/bien_ban.py): ``hoi_nghi`` of nam.yaml, else the last meeting of
    quarter IV on or before the annual report's date; None when there is none."""
    if report.hoi_nghi is not None:
        return report.hoi_nghi.ngay
    if q4 is None:
        return None
    i = last_meeting(q4.buoi_sinh_hoat, report.ngay_ban_hanh)
    return q4.buoi_sinh_hoat[i].ngay if i is not None else None


def evaluate_year(
    cell: Cell,
    report: BaoCaoNam,
    quarters: dict[int, BaoCaoQuy],
    tasks: list[NhiemVu],
    year: int,
    rules: BoQuyTac,
    evaluated: Mapping[int, QuarterResult] | None = None,
) -> YearResult:
    """Compute the year (pure). ``evaluated``: quarters already evaluated from the same
    ``quarters``, ``tasks`` and ``rules`` (``evaluate_quarter``'s results), used instead
    of evaluating them again.

    Raises:
        ScoresMissing: a member to be classified, or the cell, has no score.
    """
    start, end = cell.year_kind.year_bounds(year)
    evaluated = evaluated or {}
    q_results = {
        q: evaluated[q] if q in evaluated else evaluate_quarter(cell, data, tasks, year, q, rules)
        for q, data in sorted(quarters.items())
    }
    entries = {e.ma: (i, e) for i, e in enumerate(report.dang_vien)}
    discipline: dict[str, list[tuple[str, bool]]] = {}
    seen_decisions = set()
    for decision in [d for q in quarters.values() for d in q.ky_luat] + list(report.ky_luat):
        key = (decision.dang_vien, decision.ngay, decision.hinh_thuc)
        if key in seen_decisions:
            continue
        seen_decisions.add(key)
        discipline.setdefault(decision.dang_vien, []).append(
            (decision.hinh_thuc, decision.tu_phat_hien_khac_phuc)
        )
    # rule set: khong_xep_loai.tinh_den
    counted = count_to(rules, year_meeting_day(report, quarters.get(4)), end)
    members = []
    missing = ScoresMissing()
    for member in cell.members:
        index, entry = entries.get(member.ma, (None, None))
        quarter_entries = [
            e for q in quarters.values() for e in q.dang_vien if e.ma == member.ma
        ]
        quarter_scores = [
            e.diem_chung + e.diem_nhiem_vu
            for e in quarter_entries
            if e.diem_chung is not None and e.diem_nhiem_vu is not None
        ]
        score_quarters: int | None = None
        if entry is not None and entry.diem_chung is not None and entry.diem_nhiem_vu is not None:
            score: float | None = entry.diem_chung + entry.diem_nhiem_vu
        elif quarter_scores:
            score = aggregate(quarter_scores, rules.gop_quy_thanh_nam)
            score_quarters = len(quarter_scores)
        else:
            score = None
        # Sick leave: nam.yaml's, else the quarters' added up (leaves that touch across a
        # quarter's end are one leave: docgen/rules/sick.py).
        sick_entries: list[DanhGiaNam | DanhGiaDangVien] = (
            [entry] if entry is not None and entry.sick_written else list(quarter_entries)
        )
        sick_months, sick_periods, sick_days = written_leave(sick_entries)
        own = [t for t in tasks if t.dang_vien == member.ma]
        facts = MemberFacts(
            admitted=member.ngay_vao_dang,
            exempt_since=member.mien_sinh_hoat.tu_ngay if member.mien_sinh_hoat else None,
            suspended_since=member.dinh_chi_sinh_hoat.tu_ngay if member.dinh_chi_sinh_hoat else None,
            score=score,
            proposed=entry.de_xuat if entry else None,
            tasks=count_tasks(own, start, end),
            disciplined=discipline.get(member.ma, []),
            sick_months=sick_months,
            sick_periods=sick_periods,
            sick_days=sick_days,
            member_type=member.loai_dang_vien,
            official=member.ngay_chinh_thuc,
        )
        if not_classified_reason(facts, end, rules, counted) is None and score is None:
            missing.members.append((member, index))
            continue
        outcome = classify_member(facts, end, rules, counted)
        maternity = bool(entry and entry.nghi_thai_san) or any(e.nghi_thai_san for e in quarter_entries)
        members.append(
            YearMember(
                member, entry, index, score_quarters, facts.tasks, outcome, maternity,
                probationary=facts.probationary(counted.day),
            )
        )
    if missing.members:
        raise missing
    cell_quarters: int | None = None
    if report.chi_bo.diem_chung is not None and report.chi_bo.diem_nhiem_vu is not None:
        cell_score = report.chi_bo.diem_chung + report.chi_bo.diem_nhiem_vu
    elif quarters:
        cell_score = aggregate(
            [q.chi_bo.diem_chung + q.chi_bo.diem_nhiem_vu for q in quarters.values()],
            rules.gop_quy_thanh_nam,
        )
        cell_quarters = len(quarters)
    else:
        raise ScoresMissing(cell=True)
    committee = {cell.info.bi_thu, cell.info.pho_bi_thu, *cell.info.chi_uy_vien}
    all_tasks = count_tasks(tasks, start, end)
    rated = [m for m in members if m.outcome.classified]
    cell_outcome = classify_cell(
        CellFacts(
            score=cell_score,
            proposed=report.chi_bo.de_xuat,
            tasks=all_tasks,
            disunity=any(q.mat_doan_ket for q in quarters.values()),
            leadership_disciplined=any(m in committee for m in discipline),
            committee_disciplined=any(q.chi_uy_bi_ky_luat for q in quarters.values()),
            members_rated=len(rated),
            members_disciplined=len(discipline),
        ),
        rules,
    )
    outcomes = [m.outcome for m in members]
    return YearResult(
        year=year,
        tasks=all_tasks,
        quarters=q_results,
        cell=cell_outcome,
        cell_score_quarters=cell_quarters,
        members=members,
        distribution=distribution(outcomes),
        quota=quota([o.level for o in outcomes], rules),
        counted_to=counted,
    )
