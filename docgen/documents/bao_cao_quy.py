"""The cell's quarterly "bốn tốt" report (BC/CB), from ``<nam>/quy-<N>.yaml``.

The figures and verdicts are computed by ``docgen.rules.quarter.evaluate_quarter``
(shared with the minutes and the ward's quarterly summary) and worded by
``docgen.documents.wording``; ``load_evaluated_quarter`` loads a cell's quarter file
and its tasks and evaluates them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from docgen.contract import (
    CELL_NAME,
    PERIOD_YEAR,
    QUARTER,
    SIGNATURE,
    YEAR,
    TemplateContract,
    distribution,
    header,
    paragraphs,
    records,
    text,
)
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
    remembered,
)
from docgen.documents.kinds import kind_spec
from docgen.documents.phan_cong import GLOB as ASSIGNMENTS
from docgen.documents.phan_cong import load_assignments
from docgen.documents.wording import (
    SHORT_LEVEL,
    bon_tot_verdict,
    criterion_reason,
    dues_figure,
    failed_criteria,
    level_cell,
    outcome_reasons,
    quota_text,
    score_text,
    sick_leave_text,
    tasks_figure,
)
from docgen.errors import Collector, InputError, Problem
from docgen.formatting import (
    heading_text,
    percent,
    plain_spaces,
    quarter_words,
    roman,
    short_date,
    title_text,
    year_words,
)
from docgen.models.annual import DanhGiaNam
from docgen.models.quarter import BaoCaoQuy, BaoCaoQuyFile, DanhGiaDangVien
from docgen.models.rules import LEVELS, BoQuyTac
from docgen.models.tasks import NhiemVu
from docgen.output import output_path
from docgen.resources import bon_tot
from docgen.rules.bon_tot import CriterionResult
from docgen.rules.evaluation import Quota, count_to, not_classified_reason
from docgen.rules.quarter import QuarterResult, evaluate_quarter, member_facts, review_meeting_day
from docgen.rules.share import Share
from docgen.workspace import Cell, Workspace, files_in
from docgen.yamlsource import SourceFile, format_path

__all__ = [
    "BaoCaoQuyKind",
    "CellQuarterFacts",
    "build_context",
    "load_evaluated_quarter",
    "load_quarter",
    "quarter_facts",
    "quarter_file",
]

SPEC = kind_spec("bao-cao-quy")
TYPE_CODE = SPEC.type_code
TEMPLATE = SPEC.template


# Days after the quarter's end a report may still be dated.
REPORT_GRACE_DAYS = 45


def quarter_file(cell: Cell, nam: int, quy: int) -> Path:
    return cell.year_dir(nam) / f"quy-{quy}.yaml"


def leaves_outside(
    entries: Sequence[DanhGiaDangVien | DanhGiaNam],
    source: SourceFile,
    root: tuple[str | int, ...],
    bounds: tuple[date, date],
    period: str,
    hint: str,
) -> list[Problem]:
    """The sick leaves (``nghi_om``) of a file's member entries that do not lie wholly
    within its period (``bounds``, worded ``period``), each located."""
    start, end = bounds
    return [
        source.problem(
            (*root, "dang_vien", i, "nghi_om", j),
            f"kỳ nghỉ ốm {short_date(leave.tu_ngay)} - {short_date(leave.den_ngay)} không nằm trọn trong {period}",
            hint=hint,
        )
        for i, entry in enumerate(entries)
        for j, leave in enumerate(entry.nghi_om or ())
        if not start <= leave.tu_ngay <= leave.den_ngay <= end
    ]


def check_quarter(
    report: BaoCaoQuy, source: SourceFile, cell: Cell, nam: int, quy: int, rules: BoQuyTac
) -> Collector:
    """Cross-check a quarter's facts against the roster, the period and the rule set."""
    c = Collector()
    root: tuple[str | int, ...] = ("bao_cao_quy",)
    start, end = cell.year_kind.quarter_bounds(nam, quy)
    label = f"{quarter_words(cell.year_kind, nam, quy)} ({short_date(start)} - {short_date(end)})"

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
    # A sick leave written in the quarter's file lies within the quarter (one that runs on is
    # written in two files; touching leaves are one leave in the year: docgen/rules/sick.py).
    c.problems.extend(
        leaves_outside(
            report.dang_vien, source, root, (start, end), label,
            "kỳ nghỉ sang quý khác thì tách làm hai: phần trong quý ghi ở tệp quý này, phần còn "
            "lại ghi ở tệp quý kia (hai kỳ liền nhau được tính là một)",
        )
    )
    # rule set: khong_xep_loai.tinh_den (as evaluate_quarter counts)
    counted = count_to(rules, review_meeting_day(report), end)
    for member in cell.members:
        needs_score = (
            not_classified_reason(member_facts(member, None, [], [], end), end, rules, counted) is None
        )
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
    """Load and cross-check a cell's quarter file (once per cell: ``remembered``).

    Raises:
        InputError: missing or invalid.
    """
    return remembered(cell, ("quarter-file", nam, quy), partial(_load_quarter, cell, nam, quy, rules))


def _load_quarter(cell: Cell, nam: int, quy: int, rules: BoQuyTac) -> tuple[BaoCaoQuy, SourceFile]:
    path = quarter_file(cell, nam, quy)
    model, source = cell.load_model(path, BaoCaoQuyFile)
    check_quarter(model.bao_cao_quy, source, cell, nam, quy, rules).raise_if_any()
    return model.bao_cao_quy, source


QUOTA_PATH = ("bao_cao_quy", "dang_vien")  # where a quota problem points in the quarter file
QUOTA_HINT = (
    "hạ bớt đề xuất bằng chi_bo_de_xuat, hoặc đặt cai_dat.vuot_han_muc: "
    "dang_uy_quyet_dinh để Đảng ủy phường quyết định"
)


def quota_problem(
    result: QuarterResult, source: SourceFile, rules: BoQuyTac, mode: str
) -> tuple[Problem | None, str | None]:
    """The quota check: an error (mode tu_choi) or a warning (dang_uy_quyet_dinh)."""
    problem, warning = _quota_verdict(
        result.quota, result.over_quota_names(), source.display, lambda: source.locate(QUOTA_PATH), rules, mode
    )
    return problem, warning


def _quota_verdict(
    q: Quota,
    names: Sequence[str],
    display: str,
    place: Callable[[], tuple[int | None, int | None]],
    rules: BoQuyTac,
    mode: str,
) -> tuple[Problem | None, str | None]:
    if not q.exceeded:
        return None, None
    text = (
        f"đề xuất “Hoàn thành xuất sắc” cho {q.proposed} đảng viên ({', '.join(names)}) vượt "
        f"{quota_text(q, rules)}"
    )
    if mode == "tu_choi":
        line, col = place()
        return Problem(display, line, col, format_path(QUOTA_PATH), text, QUOTA_HINT, path=QUOTA_PATH), None
    return None, f"{display}: {text}; Đảng ủy phường sẽ xem xét, quyết định"


@dataclass(frozen=True)
class CellQuarterFacts:
    """A cell's evaluated quarter as the ward's quarterly summary reads it: only what the
    summary prints and what its quota check needs, so a cell's report hands it from a
    batch worker to the main process cheaply (``Prepared.facts``; a few KB, where the
    cell, its roster and its source file were a hundred).

    Attributes:
        cell_id: The cell's id.
        name: The cell's name (``Cell.info.ten``).
        file: The quarter file (a source of the summary).
        display: The quarter file as problems show it.
        criteria: The four criteria's verdicts, in order.
        level: The cell's own level (None: not classified).
        score: The cell's score (None: not scored).
        counts: Members by level.
        quota: The xuất sắc quota of the quarter.
        over_quota: The members rated xuất sắc, named (``QuarterResult.over_quota_names``).
        quota_at: (line, col) of the quota problem's place in the quarter file, when the
            quota is exceeded (None otherwise: never needed).
    """

    cell_id: str
    name: str
    file: Path
    display: str
    criteria: tuple[CriterionResult, ...]
    level: str | None
    score: float | None
    counts: Mapping[str, int]
    quota: Quota
    over_quota: tuple[str, ...]
    quota_at: tuple[int | None, int | None] | None

    @property
    def bon_tot(self) -> bool:
        return all(c.met for c in self.criteria)

    def quota_check(self, rules: BoQuyTac, mode: str) -> tuple[Problem | None, str | None]:
        """``quota_problem`` from these facts: the same error or warning."""
        at = self.quota_at or (None, None)
        return _quota_verdict(self.quota, self.over_quota, self.display, lambda: at, rules, mode)


def quarter_facts(cell: Cell, result: QuarterResult, source: SourceFile, nam: int, quy: int) -> CellQuarterFacts:
    """The summary's facts of a cell's evaluated quarter (``source``: its quarter file);
    the one way both the cell's report (in a batch) and the summary itself make them."""
    return CellQuarterFacts(
        cell_id=cell.cell_id,
        name=cell.info.ten,
        file=quarter_file(cell, nam, quy),
        display=source.display,
        criteria=tuple(result.criteria),
        level=result.cell.level,
        score=result.cell.score,
        counts=dict(result.distribution.counts),
        quota=result.quota,
        over_quota=tuple(result.over_quota_names()),
        quota_at=source.locate(QUOTA_PATH) if result.quota.exceeded else None,
    )


def _facts_lines(result: QuarterResult, report: BaoCaoQuy) -> dict[str, list[str]]:
    topics = "; ".join(f"“{x}”" for x in result.thematic if x)
    attendance = percent(result.attendance) if result.attendance is not None else "không có"
    dues = Share(report.dang_phi.so_da_dong, report.dang_phi.so_phai_dong)
    return {
        "lanh_dao": [tasks_figure(result.tasks, "quý")],
        "sinh_hoat": [
            f"Sinh hoạt thường kỳ: {result.regular_held}/{report.sinh_hoat_thuong_ky_ke_hoach} buổi; "
            f"sinh hoạt chuyên đề: {len(result.thematic)} buổi{(' (' + topics + ')') if topics else ''}; "
            f"tỷ lệ đảng viên dự sinh hoạt bình quân: {attendance}."
        ],
        "doan_ket": [
            f"Đơn thư khiếu nại, tố cáo: {len(report.don_thu)}; mất đoàn kết nội bộ: "
            f"{'có' if report.mat_doan_ket else 'không'}."
        ],
        "doi_ngu_dang_vien": [
            f"Đảng viên bị kỷ luật: {len({d.dang_vien for d in report.ky_luat})}; {dues_figure(dues)}."
        ],
    }


def level_label(rules: BoQuyTac, level: str | None) -> str:
    return f"“{rules.level_name(level)}”" if level else ""


def build_context(
    report: BaoCaoQuy,
    result: QuarterResult,
    cell: Cell,
    ws: Workspace,
    rules: BoQuyTac,
    quota_note: str | None,
) -> dict[str, Any]:
    """The template variables of the cell's quarterly report (pure)."""
    nam, quy = result.year, result.quarter
    ref = bon_tot()
    facts = _facts_lines(result, report)
    by_code = {c.code: c for c in result.criteria}
    criteria = []
    for i, crit in enumerate(ref.tieu_chi, start=1):
        verdict = by_code[crit.ma]
        criteria.append(
            {
                "so": str(i),
                "ten": heading_text(crit.ten),
                "ket_qua": dash_items(getattr(report.ket_qua, crit.ma)),
                "so_lieu": facts[crit.ma],
                "danh_gia": bon_tot_verdict(verdict.met),
                "ly_do": criterion_reason(verdict, rules),
            }
        )
    # full and probationary on the date the quarter counts to (its review meeting)
    probationary = sum(1 for m in result.members if m.probationary)
    dist = result.distribution
    situation = [
        f"Chi bộ có {len(result.members)} đảng viên ({len(result.members) - probationary} chính thức, "
        f"{probationary} dự bị); "
        + (f"{dist.exempt} đồng chí được" if dist.exempt else "không có đồng chí nào được")
        + " miễn sinh hoạt đảng.",
        *(report.tinh_hinh or []),
    ]
    failed = failed_criteria(result.criteria, [t.ten for t in ref.tieu_chi], rules)
    bon_tot_line = (
        f"Đối chiếu bốn tiêu chí, Chi bộ đạt “chi bộ bốn tốt” {quarter_words(cell.year_kind, nam, quy)}."
        if result.bon_tot
        else f"Đối chiếu bốn tiêu chí, Chi bộ chưa đạt “chi bộ bốn tốt” {quarter_words(cell.year_kind, nam, quy)}; "
        f"không đạt {'; '.join(failed)}."
    )
    cell_out = result.cell
    self_lines = [
        f"Chi bộ tự chấm {score_text(cell_out.score)} điểm (tiêu chí chung "
        f"{score_text(report.chi_bo.diem_chung)}/{rules.thang_diem.diem_chung_toi_da}, kết quả thực hiện "
        f"nhiệm vụ {score_text(report.chi_bo.diem_nhiem_vu)}/{rules.thang_diem.diem_nhiem_vu_toi_da}); "
        f"tự nhận mức {level_label(rules, report.chi_bo.tu_nhan)}.",
        f"Mức chi bộ đề nghị theo quy định: {level_label(rules, cell_out.level)}.",
        *([f"Lý do: {'; '.join(outcome_reasons(cell_out, rules))}."] if cell_out.reasons else []),
        bon_tot_line,
    ]
    rows = []
    for i, r in enumerate(result.members, start=1):
        e = r.entry
        o = r.outcome
        notes = outcome_reasons(o, rules)
        if e is not None and r.sick and not any(reason.code == "sick_cap" for reason in o.reasons):
            notes.append(f"nghỉ ốm {sick_leave_text(r.sick)}")
        if e is not None and e.nghi_thai_san:
            notes.append("nghỉ thai sản")
        if e is not None and e.ghi_chu:
            notes.append(e.ghi_chu)
        rows.append(
            {
                "stt": str(i),
                "ho_ten": r.member.ho_ten,
                "diem_chung": score_text(e.diem_chung) if e else "",
                "diem_nhiem_vu": score_text(e.diem_nhiem_vu) if e else "",
                "tong_diem": score_text(o.score),
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
        "trich_yeu": title_text(f"kết quả xây dựng “chi bộ bốn tốt” {quarter_words(cell.year_kind, nam, quy)}"),
        "nam": nam,
        "ky_nam": title_text(year_words(cell.year_kind, nam)),
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


def load_evaluated_quarter(
    ws: Workspace, cell: Cell, nam: int, quy: int
) -> tuple[BaoCaoQuy, SourceFile, QuarterResult]:
    """A cell's quarter file, loaded and cross-checked with its tasks, and its evaluation;
    once per run (``remembered`` by the workspace: the quarterly report, its minutes, the
    year and the ward's summary all read it).

    Raises:
        InputError: every problem of the quarter file and the assignment files at once.
    """
    return remembered(ws, ("evaluated-quarter", cell.cell_id, nam, quy), partial(_evaluated_quarter, ws, cell, nam, quy))


def _evaluated_quarter(
    ws: Workspace, cell: Cell, nam: int, quy: int
) -> tuple[BaoCaoQuy, SourceFile, QuarterResult]:
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


    def prepare(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None
    ) -> list[Prepared]:
        assert cell is not None and quarter is not None
        rules = ws.rules
        report, source, result = load_evaluated_quarter(ws, cell, year, quarter)
        problem, warning = quota_problem(result, source, rules, ws.cai_dat.vuot_han_muc)
        if problem:
            raise InputError([problem])
        context = build_context(report, result, cell, ws, rules, warning)
        path = quarter_file(cell, year, quarter)
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, cell.cell_id, year, f"bao-cao-quy-{quarter}.docx"),
                number=NumberRequest(
                    report.so, TYPE_CODE, cell.info.ky_hieu, (source, ("bao_cao_quy", "so"))
                ),
                title=plain_spaces(f"BÁO CÁO {context['trich_yeu']}"),
                author=cell.info.ten,
                issued=report.ngay_ban_hanh,
                cell=cell.cell_id,
                template=TEMPLATE,
                sources=[
                    *cell_sources(ws, cell, rules=True),
                    *files_in(cell.year_dir(year), ASSIGNMENTS),
                    path,
                ],
                warnings=[warning] if warning else [],
                facts=quarter_facts(cell, result, source, year, quarter),
            )
        ]


# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
CONTRACT = TemplateContract(
    file=SPEC.template,
    kind=SPEC.name,
    title="Báo cáo kết quả xây dựng “chi bộ bốn tốt” quý của chi bộ (BC/CB)",
    variables=(
        *header(
            "03-BC/CB", "ngày 28 tháng 9 năm 2026", "kết quả xây dựng “chi bộ bốn tốt” quý III năm 2026"
        ),
        *SIGNATURE,
        YEAR,
        PERIOD_YEAR,
        QUARTER,
        CELL_NAME,
        paragraphs("tinh_hinh", "tình hình chung của chi bộ", "Chi bộ có 28 đảng viên (26 chính thức, 2 dự bị)."),
        records(
            "tieu_chi",
            "kết quả từng tiêu chí “chi bộ bốn tốt” trong quý",
            text("so", "số thứ tự tiêu chí", "1", required=False),
            text("ten", "tên tiêu chí", "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị"),
            paragraphs("ket_qua", "kết quả bằng lời văn, đã có dấu câu", "Chi bộ lãnh đạo hoàn thành các chỉ tiêu."),
            paragraphs("so_lieu", "số liệu do docgen tính", "Nhiệm vụ đến hạn trong quý: 12; hoàn thành 12 (100,0%)."),
            text("danh_gia", "Đạt hoặc Không đạt", "Đạt"),
            text("ly_do", "vì sao đạt hay không đạt", "hoàn thành 12/12 nhiệm vụ đến hạn"),
        ),
        paragraphs("han_che", "hạn chế", "Một số đảng viên cao tuổi chưa tham gia đầy đủ sinh hoạt;"),
        paragraphs("nguyen_nhan", "nguyên nhân", "Sức khỏe của một số đảng viên cao tuổi hạn chế."),
        paragraphs(
            "chi_bo_tu_danh_gia",
            "tự đánh giá của chi bộ: điểm, mức, lý do, kết quả “bốn tốt” (docgen viết)",
            "Chi bộ tự chấm 86 điểm; tự nhận mức “Hoàn thành tốt nhiệm vụ”.",
        ),
        distribution("bảng kết quả xếp loại đảng viên trong quý"),
        text("han_muc", "hạn mức “Hoàn thành xuất sắc” của quý", "Hạn mức “Hoàn thành xuất sắc” của quý: 5 (20% của 26).", required=False),
        records(
            "dang_vien",
            "bảng tự đánh giá của từng đảng viên",
            text("stt", "số thứ tự", "1", required=False),
            text("ho_ten", "họ và tên", "Tạ Diệu Thảo"),
            text("diem_chung", "điểm tiêu chí chung", "25", required=False),
            text("diem_nhiem_vu", "điểm thực hiện nhiệm vụ", "57", required=False),
            text("tong_diem", "tổng điểm", "82", required=False),
            text("tu_nhan", "mức tự nhận (viết gọn)", "Tốt", required=False),
            text("danh_gia", "mức chi bộ đánh giá theo quy định (viết gọn), hoặc Miễn sinh hoạt, Không xếp loại", "Tốt"),
            text("ghi_chu", "ghi chú: lý do hạ mức, miễn, chưa đủ 6 tháng...", "", required=False),
        ),
        paragraphs("phuong_huong", "phương hướng, nhiệm vụ quý tới", "Tiếp tục thực hiện Kế hoạch năm 2026."),
        paragraphs("kien_nghi", "kiến nghị, đề xuất", "Không.", required=False),
    ),
)

CONTRACTS = (CONTRACT,)
