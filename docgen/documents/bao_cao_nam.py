"""The cell's year-end self-review (BC/CB, Mẫu 01 of HD 43-HD/BTCTW), from ``<nam>/nam.yaml``.

The year reads the quarters: scores not typed in ``nam.yaml`` are aggregated from
the quarter files (the rule set's ``gop_quy_thanh_nam``), discipline decisions and
sick leave are gathered from them, and the "bốn tốt" result is the number of
quarters that met all four criteria. Proposals are checked strictly: a proposal the
rules do not allow is an error naming the member and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from statistics import mean
from typing import Any

from docgen.documents.bao_cao_quy import (
    QuarterResult,
    evaluate_quarter,
    level_cell,
    load_quarter,
    quarter_file,
    quarter_tasks,
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
)
from docgen.errors import InputError, Problem
from docgen.formatting import roman, short_date
from docgen.models.annual import BaoCaoNam, BaoCaoNamFile, DanhGiaNam
from docgen.models.org import DangVien
from docgen.models.quarter import BaoCaoQuy
from docgen.models.rules import LEVELS, BoQuyTac
from docgen.models.tasks import NhiemVu
from docgen.output import output_path
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
from docgen.rules.period import year_bounds
from docgen.rules.tasks import TaskCounts, count_tasks
from docgen.workspace import Cell, Collector, Workspace, files_in, load_model
from docgen.yamlsource import SourceFile

__all__ = [
    "BaoCaoNamKind",
    "YearMember",
    "YearResult",
    "build_context",
    "evaluate_year",
    "load_year",
    "year_file",
]

TEMPLATE = "bao-cao-nam.docx"
FILE = "nam.yaml"


def year_file(cell: Cell, nam: int) -> Path:
    return cell.year_dir(nam) / FILE


@dataclass(frozen=True)
class YearMember:
    member: DangVien
    entry: DanhGiaNam | None
    index: int | None  # position in nam.yaml's dang_vien list
    score_from: str  # "năm" or "trung bình 4 quý"...
    tasks: TaskCounts
    outcome: Outcome
    maternity: bool


@dataclass(frozen=True)
class YearResult:
    """The year, computed."""

    nam: int
    tasks: TaskCounts
    quarters: dict[int, QuarterResult]
    cell: Outcome
    cell_score_from: str
    members: list[YearMember]
    distribution: Distribution
    quota: Quota

    @property
    def bon_tot_quarters(self) -> list[int]:
        return [q for q, r in sorted(self.quarters.items()) if r.bon_tot]


def load_year(cell: Cell, nam: int) -> tuple[BaoCaoNam, SourceFile]:
    """Load and cross-check the cell's ``nam.yaml`` (references, dates, signer).

    Raises:
        InputError: missing or invalid.
    """
    path = year_file(cell, nam)
    model, source = load_model(path, BaoCaoNamFile)
    report = model.bao_cao_nam
    c = Collector()
    root: tuple[str | int, ...] = ("bao_cao_nam",)
    if not date(nam, 10, 1) <= report.ngay_ban_hanh <= date(nam + 1, 3, 31):
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {short_date(report.ngay_ban_hanh)} không hợp với báo cáo năm {nam} "
                f"(từ 01/10/{nam} đến 31/03/{nam + 1})",
            )
        )
    seen: dict[str, int] = {}
    for i, entry in enumerate(report.dang_vien):
        path_i = (*root, "dang_vien", i, "ma")
        if entry.ma in seen:
            c.add(
                source.problem(
                    path_i,
                    f"đảng viên '{entry.ma}' được ghi hai lần (trùng với mục thứ {seen[entry.ma] + 1})",
                )
            )
            continue
        seen[entry.ma] = i
        problem = cell.member_ref(source, path_i, entry.ma, active=False)
        if problem:
            c.add(problem)
    start, end = year_bounds(nam)
    for i, decision in enumerate(report.ky_luat):
        problem = cell.member_ref(source, (*root, "ky_luat", i, "dang_vien"), decision.dang_vien, active=False)
        if problem:
            c.add(problem)
        if not start <= decision.ngay <= end:
            c.add(
                source.problem(
                    (*root, "ky_luat", i, "ngay"),
                    f"quyết định kỷ luật ngày {short_date(decision.ngay)} không thuộc năm {nam}",
                )
            )
    signer = check_signer(source, (*root, "nguoi_ky"), cell, report.nguoi_ky)
    if signer:
        c.add(signer)
    c.raise_if_any()
    return report, source


def _aggregate(values: list[float], rule: str) -> float:
    # rule set: gop_quy_thanh_nam (trung_binh | thap_nhat)
    value = mean(values) if rule == "trung_binh" else min(values)
    return round(value, 1)


def evaluate_year(
    cell: Cell,
    report: BaoCaoNam,
    quarters: dict[int, BaoCaoQuy],
    tasks: list[NhiemVu],
    nam: int,
    rules: BoQuyTac,
    source: SourceFile,
) -> YearResult:
    """Compute the year (pure). Missing scores raise InputError located in ``source``."""
    start, end = year_bounds(nam)
    problems: list[Problem] = []
    q_results = {
        q: evaluate_quarter(cell, data, tasks, nam, q, rules) for q, data in sorted(quarters.items())
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
    members = []
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
        if entry is not None and entry.diem_chung is not None and entry.diem_nhiem_vu is not None:
            score: float | None = entry.diem_chung + entry.diem_nhiem_vu
            score_from = "năm"
        elif quarter_scores:
            score = _aggregate(quarter_scores, rules.gop_quy_thanh_nam)
            how = "trung bình" if rules.gop_quy_thanh_nam == "trung_binh" else "thấp nhất"
            score_from = f"{how} {len(quarter_scores)} quý"
        else:
            score, score_from = None, ""
        sick = (
            entry.nghi_om_thang
            if entry is not None and entry.nghi_om_thang is not None
            else sum(e.nghi_om_thang for e in quarter_entries)
        )
        own = [t for t in tasks if t.dang_vien == member.ma]
        facts = MemberFacts(
            admitted=member.ngay_vao_dang,
            exempt_since=member.mien_sinh_hoat.tu_ngay if member.mien_sinh_hoat else None,
            suspended_since=member.dinh_chi_sinh_hoat.tu_ngay if member.dinh_chi_sinh_hoat else None,
            score=score,
            proposed=entry.de_xuat if entry else None,
            tasks=count_tasks(own, start, end),
            disciplined=discipline.get(member.ma, []),
            sick_months=sick,
        )
        if not_classified_reason(facts, end, rules) is None and score is None:
            problems.append(
                source.problem(
                    ("bao_cao_nam", "dang_vien", index) if index is not None else ("bao_cao_nam", "dang_vien"),
                    f"chưa có điểm năm của đảng viên {member.ho_ten} ({member.ma})",
                    hint="ghi diem_chung và diem_nhiem_vu trong nam.yaml, hoặc ghi điểm trong các tệp quý",
                )
            )
            continue
        outcome = classify_member(facts, end, rules)
        maternity = bool(entry and entry.nghi_thai_san) or any(e.nghi_thai_san for e in quarter_entries)
        members.append(YearMember(member, entry, index, score_from, facts.tasks, outcome, maternity))
    if problems:
        raise InputError(problems)
    if report.chi_bo.diem_chung is not None and report.chi_bo.diem_nhiem_vu is not None:
        cell_score = report.chi_bo.diem_chung + report.chi_bo.diem_nhiem_vu
        cell_from = "năm"
    elif quarters:
        cell_score = _aggregate(
            [q.chi_bo.diem_chung + q.chi_bo.diem_nhiem_vu for q in quarters.values()],
            rules.gop_quy_thanh_nam,
        )
        cell_from = f"{len(quarters)} quý"
    else:
        raise InputError(
            [
                source.problem(
                    ("bao_cao_nam", "chi_bo"),
                    "chưa có điểm của chi bộ: ghi diem_chung và diem_nhiem_vu, hoặc có các tệp quý",
                )
            ]
        )
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
        nam=nam,
        tasks=all_tasks,
        quarters=q_results,
        cell=cell_outcome,
        cell_score_from=cell_from,
        members=members,
        distribution=distribution(outcomes),
        quota=quota([o.level for o in outcomes], rules),
    )


def proposal_problems(
    result: YearResult, report: BaoCaoNam, source: SourceFile, rules: BoQuyTac
) -> list[Problem]:
    """Proposals the rules do not allow, each naming the member and the rule."""
    out = []
    root = ("bao_cao_nam",)
    for m in result.members:
        o = m.outcome
        entry = m.entry
        if entry is None or entry.de_xuat is None:
            continue
        path = (*root, "dang_vien", m.index, "de_xuat")
        who = f"đồng chí {m.member.ho_ten} ({m.member.ma})"
        if not o.classified:
            out.append(
                source.problem(
                    path,
                    f"{who} không được xếp loại ({o.reasons[0]}) nên không ghi de_xuat "
                    f"(quy tắc {o.rule_keys[0]})",
                )
            )
        elif o.over_allowed:
            why = [r for r, k in zip(o.reasons, o.rule_keys, strict=True) if k != "muc_xep_loai"]
            keys = [k for k in o.rule_keys if k != "muc_xep_loai"] or ["muc_xep_loai"]
            detail = "; ".join(why) or f"điểm {o.score:g} chỉ đạt mức “{rules.level_name(o.allowed)}”"
            out.append(
                source.problem(
                    path,
                    f"đề xuất “{rules.level_name(entry.de_xuat)}” cho {who} không đúng quy định: "
                    f"{detail} (quy tắc {', '.join(keys)})",
                    hint=f"mức cao nhất được phép là “{rules.level_name(o.allowed)}”",
                )
            )
    c = result.cell
    if c.over_allowed:
        why = [r for r, k in zip(c.reasons, c.rule_keys, strict=True) if k != "muc_xep_loai"]
        keys = [k for k in c.rule_keys if k != "muc_xep_loai"] or ["muc_xep_loai"]
        detail = "; ".join(why) or f"điểm {c.score:g} chỉ đạt mức “{rules.level_name(c.allowed)}”"
        out.append(
            source.problem(
                (*root, "chi_bo", "de_xuat"),
                f"Chi bộ tự đề xuất “{rules.level_name(report.chi_bo.de_xuat)}” không đúng quy định: "
                f"{detail} (quy tắc {', '.join(keys)})",
                hint=f"mức cao nhất được phép là “{rules.level_name(c.allowed)}”",
            )
        )
    return out


def quota_check(
    result: YearResult, source: SourceFile, rules: BoQuyTac, mode: str
) -> tuple[Problem | None, str | None]:
    """The cell-level quota (rule set: han_muc_xuat_sac.cap_nam = chi_bo)."""
    q = result.quota
    if rules.han_muc_xuat_sac.cap_nam != "chi_bo" or not q.exceeded:
        return None, None
    names = ", ".join(m.member.ho_ten for m in result.members if m.outcome.level == "xuat_sac")
    text = (
        f"đề xuất “Hoàn thành xuất sắc” cho {q.proposed} đảng viên ({names}) vượt "
        f"{q.describe(rules)} (quy tắc han_muc_xuat_sac)"
    )
    if mode == "tu_choi":
        return source.problem(("bao_cao_nam", "dang_vien"), text), None
    return None, f"{source.display}: {text}; Đảng ủy phường sẽ xem xét, quyết định"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def build_context(
    report: BaoCaoNam, result: YearResult, cell: Cell, ws: Workspace, rules: BoQuyTac
) -> dict[str, Any]:
    """The template variables of the annual review (pure)."""
    nam = result.nam
    t = result.tasks
    reached = result.bon_tot_quarters
    missed = [q for q in sorted(result.quarters) if q not in reached]
    bon_tot_line = (
        f"Kết quả xây dựng “chi bộ bốn tốt”: đạt {len(reached)}/{len(result.quarters)} quý"
        + (f" (quý {', '.join(roman(q) for q in reached)})" if reached else "")
        + (f"; chưa đạt quý {', '.join(roman(q) for q in missed)}" if missed else "")
        + "."
    )
    results = [
        *dash_items(report.ket_qua),
        bon_tot_line,
        f"Nhiệm vụ giao cho đảng viên trong năm: {t.assigned}; hoàn thành {t.done}; đúng hạn "
        f"{t.on_time}; chậm {t.late}; vượt mức {t.exceeded}.",
    ]
    c = result.cell
    self_lines = [
        f"Chi bộ tự chấm {_num(c.score)} điểm"
        + (" (trung bình các quý)" if result.cell_score_from != "năm" else "")
        + f"; đề nghị xếp loại {f'“{rules.level_name(c.level)}”' if c.level else ''}.",
        *([f"Lưu ý: {'; '.join(c.reasons)}."] if c.reasons else []),
    ]
    dist = result.distribution
    rows = []
    notes_for_terminal = []
    for i, m in enumerate(result.members, start=1):
        o = m.outcome
        notes = list(o.reasons)
        if m.maternity:
            notes.append("nghỉ thai sản, đánh giá theo thời gian công tác thực tế")
        if m.entry is not None and m.entry.ghi_chu:
            notes.append(m.entry.ghi_chu)
        if o.classified and m.score_from and m.score_from != "năm":
            notes.append(f"điểm {m.score_from}")
        rows.append(
            {
                "stt": str(i),
                "ho_ten": m.member.ho_ten,
                "diem": _num(o.score) if o.classified else "",
                "de_xuat": level_cell(o),
                "ghi_chu": "; ".join(notes),
            }
        )
        if o.not_classified != "mien":  # exemptions are routine; forced or capped levels are not
            notes_for_terminal += [f"{m.member.ho_ten}: {r}" for r in o.reasons]
    counts = {lv: f"{dist.counts[lv]} ({dist.percents[lv]})" for lv in LEVELS}
    if rules.han_muc_xuat_sac.cap_nam == "chi_bo":
        quota_line = (
            f"Hạn mức “Hoàn thành xuất sắc” của Chi bộ: {result.quota.cap}; chi bộ đề nghị "
            f"{result.quota.proposed}."
        )
    else:
        quota_line = (
            f"Chi bộ {_proposes(result.quota.proposed)} “Hoàn thành xuất sắc nhiệm vụ”; hạn mức "
            "được tính trên toàn Đảng bộ phường."
        )
    signer = report.nguoi_ky or cell.info.bi_thu
    header = cell_header(ws.dang_bo, cell, report.so, "BC", report.ngay_ban_hanh)
    return {
        **header,
        **cell_signature(cell, signer),
        "trich_yeu": f"kiểm điểm, đánh giá, xếp loại chất lượng tập thể Chi bộ năm {nam}",
        "nam": nam,
        "ten_chi_bo": cell.info.ten,
        "ket_qua": results,
        "han_che": dash_items(report.han_che),
        "nguyen_nhan": dash_items(report.nguyen_nhan),
        "khac_phuc": dash_items(report.khac_phuc),
        "trach_nhiem": dash_items(report.trach_nhiem),
        "phuong_huong": dash_items(report.phuong_huong),
        "tu_danh_gia": self_lines,
        "phan_loai": {
            "tong_so": str(dist.total),
            "mien": str(dist.exempt),
            "khong_xep_loai": str(dist.not_classified),
            "duoc_danh_gia": str(dist.rated),
            **counts,
        },
        "han_muc": quota_line,
        "kem_theo": header["so_ky_hieu"].join(annex_line(report, cell)),
        "dang_vien": rows,
        "noi_nhan": recipients(report.noi_nhan or ["Đảng ủy phường (để báo cáo)"], "Lưu Chi bộ"),
        "_ghi_chu_may": notes_for_terminal,
    }


def _proposes(n: int) -> str:
    """``đề nghị 2 đồng chí``; none reads ``không đề nghị đồng chí nào``."""
    return f"đề nghị {n} đồng chí" if n else "không đề nghị đồng chí nào"


def annex_line(report: BaoCaoNam, cell: Cell) -> tuple[str, str]:
    """The annex's «(Kèm theo Báo cáo số ... ngày ... của ...)»: the text before the
    report's number and the text after it."""
    return "(Kèm theo Báo cáo số ", f" ngày {short_date(report.ngay_ban_hanh)} của {cell.info.ten})"


def load_quarters(cell: Cell, nam: int, rules: BoQuyTac) -> dict[int, BaoCaoQuy]:
    """The year's quarter files that exist, validated."""
    collector = Collector()
    out = {}
    for q in range(1, 5):
        if quarter_file(cell, nam, q).is_file():
            loaded = collector.run(lambda qq=q: load_quarter(cell, nam, qq, rules))
            if loaded is not None:
                out[q] = loaded[0]
    collector.raise_if_any()
    return out


def evaluate_cell_year(
    ws: Workspace, cell: Cell, nam: int
) -> tuple[BaoCaoNam, SourceFile, YearResult]:
    """Load a cell's year (nam.yaml, quarters, tasks) and evaluate it.

    Raises:
        InputError: invalid files, missing scores, or proposals the rules do not allow.
    """
    rules = ws.rules
    collector = Collector()
    tasks = collector.run(lambda: quarter_tasks(cell, nam)) or []
    quarters = collector.run(lambda: load_quarters(cell, nam, rules)) or {}
    loaded = collector.run(lambda: load_year(cell, nam))
    collector.raise_if_any()
    assert loaded is not None
    report, source = loaded
    result = evaluate_year(cell, report, quarters, tasks, nam, rules, source)
    problems = proposal_problems(result, report, source, rules)
    if problems:
        raise InputError(problems)
    return report, source, result


class BaoCaoNamKind(DocumentKind):
    """The cell's annual review and classification proposals."""

    name = "bao-cao-nam"
    description = "Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng năm của chi bộ (BC/CB)"
    templates = (TEMPLATE,)
    input_glob = FILE
    input_model = BaoCaoNamFile

    def prepare(
        self, ws: Workspace, cell: Cell | None, nam: int, quy: int | None
    ) -> list[Prepared]:
        assert cell is not None
        rules = ws.rules
        report, source, result = evaluate_cell_year(ws, cell, nam)
        problem, warning = quota_check(result, source, rules, ws.cai_dat.vuot_han_muc)
        if problem:
            raise InputError([problem])
        context = build_context(report, result, cell, ws, rules)
        notes = [f"{cell.info.ten}: {n}" for n in context.pop("_ghi_chu_may")]
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, cell.ma, nam, "bao-cao-nam.docx"),
                number=NumberRequest(
                    report.so,
                    "BC",
                    cell.info.ky_hieu,
                    (source, ("bao_cao_nam", "so")),
                    echo={"kem_theo": annex_line(report, cell)},
                ),
                title=f"BÁO CÁO {context['trich_yeu']}",
                author=cell.info.ten,
                issued=report.ngay_ban_hanh,
                cell=cell.ma,
                template=TEMPLATE,
                sources=[
                    *cell_sources(ws, cell, rules=True),
                    *files_in(cell.year_dir(nam), "phan-cong*.yaml"),
                    *files_in(cell.year_dir(nam), "quy-*.yaml"),
                    year_file(cell, nam),
                ],
                warnings=[warning] if warning else [],
                notes=notes,
                facts=(cell, result),
            )
        ]
