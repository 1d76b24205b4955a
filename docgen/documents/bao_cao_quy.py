"""The cell's quarterly "bốn tốt" report (BC/CB), from ``<nam>/quy-<N>.yaml``.

``evaluate_quarter`` is the pure computation shared with the ward's quarterly
summary: the four criteria, the cell's and each member's level, the quota and
the distribution by level. Task counts come from the assignment files
(``phan-cong*.yaml``), never from typed numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from docgen.documents.base import (
    DocumentKind,
    NumberRequest,
    Prepared,
    cell_header,
    cell_signature,
    cell_sources,
    check_signer,
    dash_items,
    recipients,
)
from docgen.documents.phan_cong import load_assignments
from docgen.errors import InputError, Problem
from docgen.formatting import percent, roman, short_date
from docgen.models.org import DangVien
from docgen.models.quarter import BaoCaoQuy, BaoCaoQuyFile, DanhGiaDangVien
from docgen.models.rules import LEVELS, BoQuyTac
from docgen.models.tasks import NhiemVu
from docgen.output import output_path
from docgen.resources import bon_tot
from docgen.rules.bon_tot import CriterionResult, QuarterFacts, judge
from docgen.rules.evaluation import (
    CellFacts,
    Distribution,
    MemberFacts,
    Outcome,
    Quota,
    classify_cell,
    classify_member,
    distribution,
    not_classified_reason,
    quota,
)
from docgen.rules.period import quarter_bounds
from docgen.rules.tasks import TaskCounts, count_tasks
from docgen.workspace import Cell, Collector, Workspace, files_in, load_model
from docgen.yamlsource import SourceFile

__all__ = [
    "evaluated_quarter",
    "MemberResult",
    "QuarterResult",
    "BaoCaoQuyKind",
    "build_context",
    "evaluate_quarter",
    "load_quarter",
    "quarter_file",
]

TYPE_CODE = "BC"
TEMPLATE = "bao-cao-quy.docx"
SHORT_LEVEL = {
    "xuat_sac": "Xuất sắc",
    "tot": "Tốt",
    "hoan_thanh": "Hoàn thành",
    "khong_hoan_thanh": "Không hoàn thành",
}
# A member not classified, as the member tables write it: the same words as the
# classification summary's columns (Miễn sinh hoạt; Không xếp loại).
UNCLASSIFIED = {"mien": "Miễn sinh hoạt"}
NOT_CLASSIFIED = "Không xếp loại"


def level_cell(outcome: Outcome) -> str:
    """The level column of a member table: the short level, or why there is none."""
    if outcome.level:
        return SHORT_LEVEL[outcome.level]
    return UNCLASSIFIED.get(outcome.not_classified or "", NOT_CLASSIFIED)


# Days after the quarter's end a report may still be dated.
REPORT_GRACE_DAYS = 45


def quarter_file(cell: Cell, nam: int, quy: int) -> Path:
    return cell.year_dir(nam) / f"quy-{quy}.yaml"


def check_quarter(
    report: BaoCaoQuy, source: SourceFile, cell: Cell, nam: int, quy: int, rules: BoQuyTac
) -> Collector:
    """Cross-check a quarter's facts against the roster, the period and the rule set."""
    c = Collector()
    root: tuple[str | int, ...] = ("bao_cao_quy",)
    start, end = quarter_bounds(nam, quy)
    label = f"quý {roman(quy)} năm {nam} ({short_date(start)} - {short_date(end)})"

    def in_quarter(day: date, path: tuple[str | int, ...], what: str) -> None:
        if not start <= day <= end:
            c.add(source.problem(path, f"{what} {short_date(day)} không thuộc {label}"))

    if not start <= report.ngay_ban_hanh <= end + timedelta(days=REPORT_GRACE_DAYS):
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {short_date(report.ngay_ban_hanh)} không hợp với báo cáo {label}",
                hint=f"báo cáo quý được ban hành trong quý hoặc trong {REPORT_GRACE_DAYS} ngày sau",
            )
        )
    for i, meeting in enumerate(report.buoi_sinh_hoat):
        path = (*root, "buoi_sinh_hoat", i)
        in_quarter(meeting.ngay, (*path, "ngay"), "buổi sinh hoạt ngày")
        required = cell.required_at(meeting.ngay)
        if meeting.co_mat > len(required):
            c.add(
                source.problem(
                    (*path, "co_mat"),
                    f"số có mặt ({meeting.co_mat}) nhiều hơn số đảng viên phải dự sinh hoạt "
                    f"({len(required)})",
                )
            )
        elif meeting.co_mat + len(meeting.vang) > len(required):
            c.add(
                source.problem(
                    (*path, "vang"),
                    f"có mặt {meeting.co_mat} cộng vắng {len(meeting.vang)} nhiều hơn số đảng viên "
                    f"phải dự sinh hoạt ({len(required)})",
                )
            )
        c.problems.extend(cell.absentee_refs(source, (*path, "vang"), [v.dang_vien for v in meeting.vang]))
    if report.dang_phi.so_phai_dong > len(cell.members):
        c.add(
            source.problem(
                (*root, "dang_phi", "so_phai_dong"),
                f"số đảng viên phải đóng đảng phí ({report.dang_phi.so_phai_dong}) nhiều hơn số "
                f"đảng viên của chi bộ ({len(cell.members)})",
            )
        )
    for key, what in (("don_thu", "đơn thư ngày"), ("mat_doan_ket", "sự việc ngày")):
        for i, event in enumerate(getattr(report, key)):
            in_quarter(event.ngay, (*root, key, i, "ngay"), what)
    for i, decision in enumerate(report.ky_luat):
        path = (*root, "ky_luat", i)
        problem = cell.member_ref(source, (*path, "dang_vien"), decision.dang_vien, active=False)
        if problem:
            c.add(problem)
        in_quarter(decision.ngay, (*path, "ngay"), "quyết định kỷ luật ngày")
    scale = rules.thang_diem
    for path, general, tasks in [
        ((*root, "chi_bo"), report.chi_bo.diem_chung, report.chi_bo.diem_nhiem_vu),
        *[
            ((*root, "dang_vien", i), m.diem_chung, m.diem_nhiem_vu)
            for i, m in enumerate(report.dang_vien)
        ],
    ]:
        # rule set: thang_diem.diem_chung_toi_da / diem_nhiem_vu_toi_da
        if general is not None and general > scale.diem_chung_toi_da:
            c.add(
                source.problem(
                    (*path, "diem_chung"),
                    f"điểm tiêu chí chung {general:g} vượt tối đa {scale.diem_chung_toi_da}",
                )
            )
        if tasks is not None and tasks > scale.diem_nhiem_vu_toi_da:
            c.add(
                source.problem(
                    (*path, "diem_nhiem_vu"),
                    f"điểm kết quả thực hiện nhiệm vụ {tasks:g} vượt tối đa {scale.diem_nhiem_vu_toi_da}",
                )
            )
    seen: dict[str, int] = {}
    for i, entry in enumerate(report.dang_vien):
        path = (*root, "dang_vien", i, "ma")
        if entry.ma in seen:
            c.add(
                source.problem(
                    path,
                    f"đảng viên '{entry.ma}' được đánh giá hai lần (trùng với mục thứ {seen[entry.ma] + 1})",
                )
            )
            continue
        seen[entry.ma] = i
        problem = cell.member_ref(source, path, entry.ma, active=False)
        if problem:
            c.add(problem)
    for member in cell.members:
        needs_score = not_classified_reason(_member_facts(member, None, [], [], end), end, rules) is None
        if member.ma not in seen and needs_score:
            c.add(
                source.problem(
                    (*root, "dang_vien"),
                    f"thiếu đánh giá của đảng viên {member.ho_ten} ({member.ma})",
                    hint="mỗi đảng viên phải được đánh giá, trừ người miễn, đình chỉ sinh hoạt "
                    "hoặc vào Đảng chưa đủ thời gian",
                )
            )
        elif member.ma in seen and needs_score:
            entry = report.dang_vien[seen[member.ma]]
            if entry.diem_chung is None:
                c.add(
                    source.problem(
                        (*root, "dang_vien", seen[member.ma]),
                        f"đảng viên {member.ho_ten} ({member.ma}) cần có diem_chung và diem_nhiem_vu",
                    )
                )
    signer = check_signer(source, (*root, "nguoi_ky"), cell, report.nguoi_ky)
    if signer:
        c.add(signer)
    return c


def load_quarter(cell: Cell, nam: int, quy: int, rules: BoQuyTac) -> tuple[BaoCaoQuy, SourceFile]:
    """Load and cross-check a cell's quarter file.

    Raises:
        InputError: missing or invalid.
    """
    path = quarter_file(cell, nam, quy)
    model, source = load_model(path, BaoCaoQuyFile)
    check_quarter(model.bao_cao_quy, source, cell, nam, quy, rules).raise_if_any()
    return model.bao_cao_quy, source


@dataclass(frozen=True)
class MemberResult:
    member: DangVien
    entry: DanhGiaDangVien | None
    tasks: TaskCounts
    outcome: Outcome


@dataclass(frozen=True)
class QuarterResult:
    """Everything the quarter's documents show, computed."""

    nam: int
    quy: int
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
        return all(c.dat for c in self.criteria)

    def over_quota_names(self) -> list[str]:
        return [r.member.ho_ten for r in self.members if r.outcome.level == "xuat_sac"]


def _member_facts(
    member: DangVien,
    entry: DanhGiaDangVien | None,
    tasks: list[NhiemVu],
    discipline: list[tuple[str, bool]],
    end: date,
    start: date | None = None,
) -> MemberFacts:
    score = None
    if entry is not None and entry.diem_chung is not None and entry.diem_nhiem_vu is not None:
        score = entry.diem_chung + entry.diem_nhiem_vu
    proposed = None
    if entry is not None:
        proposed = entry.chi_bo_de_xuat or entry.tu_nhan
    counts = count_tasks(tasks, start or end, end) if start else TaskCounts()
    return MemberFacts(
        admitted=member.ngay_vao_dang,
        exempt_since=member.mien_sinh_hoat.tu_ngay if member.mien_sinh_hoat else None,
        suspended_since=member.dinh_chi_sinh_hoat.tu_ngay if member.dinh_chi_sinh_hoat else None,
        score=score,
        proposed=proposed,
        tasks=counts,
        disciplined=discipline,
        sick_months=entry.nghi_om_thang if entry else 0,
    )


def evaluate_quarter(
    cell: Cell, report: BaoCaoQuy, tasks: list[NhiemVu], nam: int, quy: int, rules: BoQuyTac
) -> QuarterResult:
    """Compute the quarter (pure): criteria, levels, quota, distribution."""
    start, end = quarter_bounds(nam, quy)
    entries = {e.ma: e for e in report.dang_vien}
    discipline: dict[str, list[tuple[str, bool]]] = {}
    for d in report.ky_luat:
        discipline.setdefault(d.dang_vien, []).append((d.hinh_thuc, d.tu_phat_hien_khac_phuc))
    members = []
    for member in cell.members:
        own = [t for t in tasks if t.dang_vien == member.ma]
        facts = _member_facts(
            member, entries.get(member.ma), own, discipline.get(member.ma, []), end, start
        )
        outcome = classify_member(facts, end, rules)
        members.append(MemberResult(member, entries.get(member.ma), facts.tasks, outcome))
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
    ratios = [
        Fraction(100 * m.co_mat, len(req))
        for m in report.buoi_sinh_hoat
        if (req := cell.required_at(m.ngay))
    ]
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
        nam=nam,
        quy=quy,
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


def quota_problem(
    result: QuarterResult, source: SourceFile, rules: BoQuyTac, mode: str
) -> tuple[Problem | None, str | None]:
    """The quota check: an error (mode tu_choi) or a warning (dang_uy_quyet_dinh)."""
    q = result.quota
    if not q.exceeded:
        return None, None
    names = ", ".join(result.over_quota_names())
    text = (
        f"đề xuất “Hoàn thành xuất sắc” cho {q.proposed} đảng viên ({names}) vượt "
        f"{q.describe(rules)}"
    )
    if mode == "tu_choi":
        return (
            source.problem(
                ("bao_cao_quy", "dang_vien"),
                text,
                hint="hạ bớt đề xuất bằng chi_bo_de_xuat, hoặc đặt cai_dat.vuot_han_muc: "
                "dang_uy_quyet_dinh để Đảng ủy phường quyết định",
            ),
            None,
        )
    return None, f"{source.display}: {text}; Đảng ủy phường sẽ xem xét, quyết định"


def _facts_lines(result: QuarterResult, report: BaoCaoQuy) -> dict[str, list[str]]:
    t = result.tasks
    done_pct = percent(Fraction(100 * t.done, t.assigned)) if t.assigned else "0,0%"
    topics = "; ".join(f"“{x}”" for x in result.thematic if x)
    attendance = percent(result.attendance) if result.attendance is not None else "không có"
    dues = report.dang_phi
    dues_pct = percent(Fraction(100 * dues.so_da_dong, dues.so_phai_dong)) if dues.so_phai_dong else "0,0%"
    return {
        "lanh_dao": [
            f"Nhiệm vụ đến hạn trong quý: {t.assigned}; hoàn thành {t.done} ({done_pct}); "
            f"đúng hạn {t.on_time}; chậm {t.late}; vượt mức {t.exceeded}."
        ],
        "sinh_hoat": [
            f"Sinh hoạt thường kỳ: {result.regular_held}/{report.sinh_hoat_thuong_ky_ke_hoach} buổi; "
            f"sinh hoạt chuyên đề: {len(result.thematic)} buổi{(' (' + topics + ')') if topics else ''}; "
            f"tỷ lệ đảng viên dự sinh hoạt bình quân: {attendance}."
        ],
        "doan_ket": [
            f"Đơn thư khiếu nại, tố cáo: {len(report.don_thu)}; mất đoàn kết nội bộ: "
            f"{'có' if report.mat_doan_ket else 'không'}."
        ],
        "dang_vien": [
            f"Đảng viên bị kỷ luật: {len({d.dang_vien for d in report.ky_luat})}; đóng đảng phí: "
            f"{dues.so_da_dong}/{dues.so_phai_dong} đồng chí ({dues_pct})."
        ],
    }


def level_label(rules: BoQuyTac, level: str | None) -> str:
    return f"“{rules.level_name(level)}”" if level else ""


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def build_context(
    report: BaoCaoQuy,
    result: QuarterResult,
    cell: Cell,
    ws: Workspace,
    rules: BoQuyTac,
    quota_note: str | None,
) -> dict[str, Any]:
    """The template variables of the cell's quarterly report (pure)."""
    nam, quy = result.nam, result.quy
    ref = bon_tot()
    facts = _facts_lines(result, report)
    by_code = {c.ma: c for c in result.criteria}
    criteria = []
    for i, crit in enumerate(ref.tieu_chi, start=1):
        verdict = by_code[crit.ma]
        criteria.append(
            {
                "so": str(i),
                "ten": crit.ten,
                "ket_qua": dash_items(getattr(report.ket_qua, crit.ma)),
                "so_lieu": facts[crit.ma],
                "danh_gia": "Đạt" if verdict.dat else "Không đạt",
                "ly_do": verdict.ly_do,
            }
        )
    official = sum(1 for m in cell.members if m.loai_dang_vien == "chinh_thuc")
    dist = result.distribution
    situation = [
        f"Chi bộ có {len(cell.members)} đảng viên ({official} chính thức, "
        f"{len(cell.members) - official} dự bị); "
        + (f"{dist.exempt} đồng chí được" if dist.exempt else "không có đồng chí nào được")
        + " miễn sinh hoạt đảng.",
        *(report.tinh_hinh or []),
    ]
    failed = [
        f"tiêu chí {i} ({ref.tieu_chi[i - 1].ten}): {c.ly_do}"
        for i, c in enumerate(result.criteria, start=1)
        if not c.dat
    ]
    bon_tot_line = (
        f"Đối chiếu bốn tiêu chí, Chi bộ đạt “chi bộ bốn tốt” quý {roman(quy)} năm {nam}."
        if result.bon_tot
        else f"Đối chiếu bốn tiêu chí, Chi bộ chưa đạt “chi bộ bốn tốt” quý {roman(quy)} năm {nam}; "
        f"không đạt {'; '.join(failed)}."
    )
    cell_out = result.cell
    self_lines = [
        f"Chi bộ tự chấm {_score(cell_out.score)} điểm (tiêu chí chung "
        f"{_score(report.chi_bo.diem_chung)}/{rules.thang_diem.diem_chung_toi_da}, kết quả thực hiện "
        f"nhiệm vụ {_score(report.chi_bo.diem_nhiem_vu)}/{rules.thang_diem.diem_nhiem_vu_toi_da}); "
        f"tự nhận mức {level_label(rules, report.chi_bo.tu_nhan)}.",
        f"Mức chi bộ đề nghị theo quy định: {level_label(rules, cell_out.level)}.",
        *([f"Lý do: {'; '.join(cell_out.reasons)}."] if cell_out.reasons else []),
        bon_tot_line,
    ]
    rows = []
    for i, r in enumerate(result.members, start=1):
        e = r.entry
        o = r.outcome
        notes = list(o.reasons)
        if e is not None and e.nghi_om_thang and not any("nghỉ ốm" in n for n in notes):
            notes.append(f"nghỉ ốm {_score(e.nghi_om_thang)} tháng")
        if e is not None and e.nghi_thai_san:
            notes.append("nghỉ thai sản")
        if e is not None and e.ghi_chu:
            notes.append(e.ghi_chu)
        rows.append(
            {
                "stt": str(i),
                "ho_ten": r.member.ho_ten,
                "diem_chung": _score(e.diem_chung) if e else "",
                "diem_nhiem_vu": _score(e.diem_nhiem_vu) if e else "",
                "tong_diem": _score(o.score),
                "tu_nhan": SHORT_LEVEL[e.tu_nhan] if e and e.tu_nhan else "",
                "danh_gia": level_cell(o),
                "ghi_chu": "; ".join(notes),
            }
        )
    counts = {lv: f"{dist.counts[lv]} ({dist.percents[lv]})" for lv in LEVELS}
    quota_line = (
        f"Hạn mức “Hoàn thành xuất sắc” của quý: {result.quota.cap} "
        f"({percent(rules.han_muc_xuat_sac.ty_le, 0)} của {result.quota.base}); "
        f"chi bộ đề nghị {result.quota.proposed}."
    )
    proposals = list(report.kien_nghi)
    if quota_note:
        proposals.append(
            f"Đề nghị Đảng ủy phường xem xét, quyết định mức “Hoàn thành xuất sắc” cho "
            f"{result.quota.proposed} đồng chí ({', '.join(result.over_quota_names())}), vượt hạn mức "
            f"{result.quota.cap} của quý"
        )
    signer = report.nguoi_ky or cell.info.bi_thu
    return {
        **cell_header(ws.dang_bo, cell, report.so, TYPE_CODE, report.ngay_ban_hanh),
        **cell_signature(cell, signer),
        "trich_yeu": f"kết quả xây dựng “chi bộ bốn tốt” quý {roman(quy)} năm {nam}",
        "nam": nam,
        "quy": roman(quy),
        "ten_chi_bo": cell.info.ten,
        "tinh_hinh": situation,
        "tieu_chi": criteria,
        "han_che": dash_items(report.han_che),
        "nguyen_nhan": dash_items(report.nguyen_nhan),
        "chi_bo_tu_danh_gia": self_lines,
        "phan_loai": {
            "tong_so": str(dist.total),
            "mien": str(dist.exempt),
            "khong_xep_loai": str(dist.not_classified),
            "duoc_danh_gia": str(dist.rated),
            **counts,
        },
        "han_muc": quota_line,
        "dang_vien": rows,
        "phuong_huong": dash_items(report.phuong_huong),
        "kien_nghi": dash_items(proposals) if proposals else ["Không."],
        "noi_nhan": recipients(report.noi_nhan or ["Đảng ủy phường (để báo cáo)"], "Lưu Chi bộ"),
    }


def evaluated_quarter(
    ws: Workspace, cell: Cell, nam: int, quy: int
) -> tuple[BaoCaoQuy, SourceFile, QuarterResult]:
    """A cell's quarter file, loaded and cross-checked with its tasks, and its evaluation.

    Raises:
        InputError: every problem of the quarter file and the assignment files at once.
    """
    collector = Collector()
    tasks = collector.run(lambda: quarter_tasks(cell, nam)) or []
    loaded = collector.run(lambda: load_quarter(cell, nam, quy, ws.rules))
    collector.raise_if_any()
    assert loaded is not None
    report, source = loaded
    return report, source, evaluate_quarter(cell, report, tasks, nam, quy, ws.rules)


def quarter_tasks(cell: Cell, nam: int) -> list[NhiemVu]:
    """All tasks assigned in the cell's year (none if it has no assignment file)."""
    return [task for item in load_assignments(cell, nam) for task in item.doc.nhiem_vu]


class BaoCaoQuyKind(DocumentKind):
    """The cell's quarterly report."""

    name = "bao-cao-quy"
    description = "Báo cáo kết quả xây dựng “chi bộ bốn tốt” hằng quý của chi bộ (BC/CB)"
    templates = (TEMPLATE,)
    needs_quarter = True
    input_glob = "quy-*.yaml"
    input_model = BaoCaoQuyFile

    def prepare(
        self, ws: Workspace, cell: Cell | None, nam: int, quy: int | None
    ) -> list[Prepared]:
        assert cell is not None and quy is not None
        rules = ws.rules
        report, source, result = evaluated_quarter(ws, cell, nam, quy)
        problem, warning = quota_problem(result, source, rules, ws.cai_dat.vuot_han_muc)
        if problem:
            raise InputError([problem])
        context = build_context(report, result, cell, ws, rules, warning)
        path = quarter_file(cell, nam, quy)
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, cell.ma, nam, f"bao-cao-quy-{quy}.docx"),
                number=NumberRequest(
                    report.so, TYPE_CODE, cell.info.ky_hieu, (source, ("bao_cao_quy", "so"))
                ),
                title=f"BÁO CÁO {context['trich_yeu']}",
                author=cell.info.ten,
                issued=report.ngay_ban_hanh,
                cell=cell.ma,
                template=TEMPLATE,
                sources=[
                    *cell_sources(ws, cell, rules=True),
                    *files_in(cell.year_dir(nam), "phan-cong*.yaml"),
                    path,
                ],
                warnings=[warning] if warning else [],
                facts=(cell, result, source),
            )
        ]
