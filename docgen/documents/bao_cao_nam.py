"""The cell's year-end self-review (BC/CB, Mẫu 01 of HD 43-HD/BTCTW), from ``<nam>/nam.yaml``.

The year is computed by ``docgen.rules.year.evaluate_year`` from ``nam.yaml``, the
quarter files and the tasks, and worded by ``docgen.documents.wording``;
``load_evaluated_year`` loads them all and evaluates them. Proposals are checked
strictly: a proposal the rules do not allow is an error naming the member and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from docgen.contract import (
    CELL_NAME,
    PERIOD_YEAR,
    SIGNATURE,
    YEAR,
    TemplateContract,
    distribution,
    header,
    paragraphs,
    records,
    text,
)
from docgen.documents.bao_cao_quy import (
    leaves_outside,
    load_evaluated_quarter,
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
    remembered,
)
from docgen.documents.kinds import KINDS, kind_spec
from docgen.documents.phan_cong import GLOB as ASSIGNMENTS
from docgen.documents.wording import (
    annex_note,
    level_cell,
    outcome_reasons,
    quota_text,
    reason_text,
    score_cell,
    score_text,
    share_percent,
)
from docgen.errors import Collector, DocgenError, InputError, Problem
from docgen.formatting import decimal, plain_spaces, roman, short_date, title_text, year_words
from docgen.models.annual import BaoCaoNam, BaoCaoNamFile
from docgen.models.quarter import BaoCaoQuy, BuoiSinhHoat
from docgen.models.rules import LEVELS, BoQuyTac
from docgen.models.tasks import HoiNghi
from docgen.models.ward import TongHopNamFile
from docgen.output import output_path
from docgen.rules.evaluation import (
    Outcome,
)
from docgen.rules.period import YearKind
from docgen.rules.quarter import last_meeting
from docgen.rules.reasons import Reason
from docgen.rules.share import Share
from docgen.rules.year import ScoresMissing, YearMember, YearResult, evaluate_year
from docgen.workspace import Cell, Workspace, files_in
from docgen.yamlsource import SourceFile

__all__ = [
    "BaoCaoNamKind",
    "CellYearFacts",
    "LevelVote",
    "YearMemberFacts",
    "build_context",
    "level_vote",
    "member_profile",
    "previous_year",
    "year_meeting",
    "load_evaluated_year",
    "load_year",
    "year_facts",
    "year_file",
]

SPEC = kind_spec("bao-cao-nam")
TEMPLATE = SPEC.template
TYPE_CODE = SPEC.type_code
FILE = SPEC.input_file


def year_file(cell: Cell, nam: int) -> Path:
    return cell.year_dir(nam) / FILE


def load_year(cell: Cell, nam: int) -> tuple[BaoCaoNam, SourceFile]:
    """Load and cross-check the cell's ``nam.yaml`` (references, dates, signer).

    Raises:
        InputError: missing or invalid.
    """
    path = year_file(cell, nam)
    model, source = cell.load_model(path, BaoCaoNamFile)
    report = model.bao_cao_nam
    c = Collector()
    root: tuple[str | int, ...] = ("bao_cao_nam",)
    years = cell.year_kind
    first, last = years.review_window(nam)
    if not first <= report.ngay_ban_hanh <= last:
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {short_date(report.ngay_ban_hanh)} không hợp với báo cáo "
                f"{year_words(years, nam)} (từ {short_date(first)} đến {short_date(last)})",
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
    start, end = years.year_bounds(nam)
    c.problems.extend(
        leaves_outside(
            report.dang_vien, source, root, (start, end),
            f"{year_words(years, nam)} ({short_date(start)} - {short_date(end)})",
            "chỉ ghi phần nghỉ trong năm; phần sang năm khác ghi ở tệp của năm đó",
        )
    )
    for i, decision in enumerate(report.ky_luat):
        problem = cell.member_ref(source, (*root, "ky_luat", i, "dang_vien"), decision.dang_vien, active=False)
        if problem:
            c.add(problem)
        if not start <= decision.ngay <= end:
            c.add(
                source.problem(
                    (*root, "ky_luat", i, "ngay"),
                    f"quyết định kỷ luật ngày {short_date(decision.ngay)} không thuộc {year_words(years, nam)}",
                )
            )
    signer = check_signer(source, (*root, "nguoi_ky"), cell, report.nguoi_ky)
    if signer:
        c.add(signer)
    c.raise_if_any()
    return report, source


def _missing_scores(missing: ScoresMissing, source: SourceFile) -> InputError:
    """The scores the year lacks, located in nam.yaml."""
    if missing.cell:
        return InputError(
            [
                source.problem(
                    ("bao_cao_nam", "chi_bo"),
                    "chưa có điểm của chi bộ: ghi diem_chung và diem_nhiem_vu, hoặc có các tệp quý",
                )
            ]
        )
    return InputError(
        [
            source.problem(
                ("bao_cao_nam", "dang_vien", index) if index is not None else ("bao_cao_nam", "dang_vien"),
                f"chưa có điểm năm của đảng viên {member.ho_ten} ({member.ma})",
                hint="ghi diem_chung và diem_nhiem_vu trong nam.yaml, hoặc ghi điểm trong các tệp quý",
            )
            for member, index in missing.members
        ]
    )


def _over_allowed_detail(o: Outcome, rules: BoQuyTac) -> tuple[str, list[str]]:
    """Why a proposal is higher than the rules allow, and the rule keys behind it."""
    why = [reason_text(r, rules) for r in o.reasons if r.key != "muc_xep_loai"]
    keys = [k for k in o.rule_keys if k != "muc_xep_loai"] or ["muc_xep_loai"]
    detail = "; ".join(why) or f"điểm {o.score:g} chỉ đạt mức “{rules.level_name(o.allowed or '')}”"
    return detail, keys


def proposal_problems(
    result: YearResult, report: BaoCaoNam, source: SourceFile, rules: BoQuyTac
) -> list[Problem]:
    """Proposals the rules do not allow, each naming the member and the rule."""
    out = []
    root = ("bao_cao_nam",)
    for m in result.members:
        o = m.outcome
        entry = m.entry
        if entry is None or entry.de_xuat is None or m.index is None:
            continue
        path = (*root, "dang_vien", m.index, "de_xuat")
        who = f"đồng chí {m.member.ho_ten} ({m.member.ma})"
        if not o.classified:
            out.append(
                source.problem(
                    path,
                    f"{who} không được xếp loại ({reason_text(o.reasons[0], rules)}) nên không ghi de_xuat "
                    f"(quy tắc {o.rule_keys[0]})",
                )
            )
        elif o.over_allowed:
            detail, keys = _over_allowed_detail(o, rules)
            out.append(
                source.problem(
                    path,
                    f"đề xuất “{rules.level_name(entry.de_xuat)}” cho {who} không đúng quy định: "
                    f"{detail} (quy tắc {', '.join(keys)})",
                    hint=f"mức cao nhất được phép là “{rules.level_name(o.allowed or '')}”",
                )
            )
    c = result.cell
    if c.over_allowed:
        detail, keys = _over_allowed_detail(c, rules)
        out.append(
            source.problem(
                (*root, "chi_bo", "de_xuat"),
                f"Chi bộ tự đề xuất “{rules.level_name(report.chi_bo.de_xuat)}” không đúng quy định: "
                f"{detail} (quy tắc {', '.join(keys)})",
                hint=f"mức cao nhất được phép là “{rules.level_name(c.allowed or '')}”",
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
        f"{quota_text(q, rules)} (quy tắc han_muc_xuat_sac)"
    )
    if mode == "tu_choi":
        return source.problem(("bao_cao_nam", "dang_vien"), text), None
    return None, f"{source.display}: {text}; Đảng ủy phường sẽ xem xét, quyết định"


@dataclass(frozen=True)
class LevelVote:
    """The year-end meeting's vote on the cell's own level.

    Attributes:
        day: The meeting's date.
        agreed: Members who agreed.
        present: Members present (who voted).
    """

    day: date
    agreed: int
    present: int


def year_meeting(ws: Workspace, cell: Cell, nam: int, report: BaoCaoNam) -> HoiNghi | BuoiSinhHoat | None:
    """The year-end review meeting, as the year's minutes take it (docgen/documents/bien_ban.py,
    ``_year_minutes``): ``hoi_nghi`` of nam.yaml, else the last meeting of quarter IV on or
    before the report's date; None when there is none."""
    if report.hoi_nghi is not None:
        return report.hoi_nghi
    if not quarter_file(cell, nam, 4).is_file():
        return None
    q4, _ = load_quarter(cell, nam, 4, ws.rules)
    i = last_meeting(q4.buoi_sinh_hoat, report.ngay_ban_hanh)
    return q4.buoi_sinh_hoat[i] if i is not None else None


def level_vote(meeting: HoiNghi | BuoiSinhHoat | None, rules: BoQuyTac) -> LevelVote | None:
    """The vote on the cell's level at the year-end meeting, from the votes its minutes print.

    No item vote typed (``bieu_quyet`` with ``noi_dung``): the minutes' default, every member
    present agreed. Else the first item vote whose text says «xếp loại» and names a level
    of the rule set (``Chi bộ tự xếp loại mức “Hoàn thành tốt nhiệm vụ”``), a missing
    ``tan_thanh`` read as the minutes read it (present minus those against); None when no
    item vote is about the level.
    """
    if meeting is None:
        return None
    present = meeting.so_co_mat if isinstance(meeting, HoiNghi) else meeting.co_mat
    items = [v for v in meeting.bieu_quyet if v.noi_dung is not None]
    if not items:
        return LevelVote(meeting.ngay, present, present)
    names = [band.ten.casefold() for band in rules.muc_xep_loai]
    for vote in items:
        said = (vote.noi_dung or "").casefold()
        if "xếp loại" in said and any(name in said for name in names):
            agreed = present - vote.khong_tan_thanh if vote.tan_thanh is None else vote.tan_thanh
            return LevelVote(meeting.ngay, agreed, present)
    return None


def vote_line(vote: LevelVote) -> str:
    """«Hội nghị Chi bộ ngày 02/12/2026 biểu quyết mức xếp loại của Chi bộ: 23/24 đồng chí
    tán thành, 95,8%.»"""
    pct = share_percent(Share(vote.agreed, vote.present), "0,0%")
    return (
        f"Hội nghị Chi bộ ngày {short_date(vote.day)} biểu quyết mức xếp loại của Chi bộ: "
        f"{vote.agreed}/{vote.present} đồng chí tán thành, {pct}."
    )


def previous_year(ws: Workspace, cell: Cell, nam: int) -> YearResult | None:
    """The year before ``nam``, evaluated as ``nam`` is (``load_evaluated_year``), when the
    cell folder has its ``nam.yaml``; None otherwise."""
    if not year_file(cell, nam - 1).is_file():
        return None
    return load_evaluated_year(ws, cell, nam - 1)[2]


# the input file of the ward's annual summary: the kind that summarises this one
WARD_SUMMARY_FILE = next(k for k in KINDS if k.summarises == SPEC.name).input_file


def previous_recognised(ws: Workspace, cell: Cell, nam: int) -> tuple[str | None, Path | None]:
    """The level the ward committee recognised for the cell the year before ``nam``
    (``cong_nhan.chi_bo`` of that year's ``tong-hop-nam.yaml``; None without a decision)
    and that file, read whether it decided or not; (None, None) when there is no such file,
    and when it does not validate (``docgen check`` says why; this year's report does not
    stop for last year's ward file)."""
    path = ws.ward_year_dir(nam - 1) / WARD_SUMMARY_FILE
    if not path.is_file():
        return None, None
    try:
        decided = ws.load_model(path, TongHopNamFile)[0].tong_hop_nam.cong_nhan
    except DocgenError:
        return None, None
    level = next((d.muc for d in decided.chi_bo if d.chi_bo == cell.cell_id), None) if decided else None
    return level, path


def _level_counts(members: list[YearMember], rules: BoQuyTac) -> str:
    """«Hoàn thành xuất sắc nhiệm vụ 1, Hoàn thành tốt nhiệm vụ 18, ...» of classified members."""
    levels = [m.outcome.level for m in members if m.outcome.level is not None]
    return ", ".join(f"{rules.level_name(lv)} {levels.count(lv)}" for lv in LEVELS)


def member_profile(report: BaoCaoNam, result: YearResult, years: YearKind) -> list[str]:
    """The member profile the annual report states, computed from the roster: total, full
    and probationary (on the date the year counts to), women, average age in the year,
    admitted in the year, and the candidates of the awareness course when nam.yaml gives
    them."""
    nam = result.year
    members = result.members
    probationary = sum(1 for m in members if m.probationary)
    women = sum(1 for m in members if m.member.gioi_tinh == "nu")
    ages = [nam - m.member.nam_sinh for m in members]
    average = decimal(sum(ages) / len(ages), 1, keep_zeros=True) if ages else "0"
    start, end = years.year_bounds(nam)
    admitted = sum(1 for m in members if start <= m.member.ngay_vao_dang <= end)
    lines = [
        f"Chi bộ có {len(members)} đảng viên ({len(members) - probationary} chính thức, "
        f"{probationary} dự bị); nữ: {women}; tuổi bình quân năm {nam}: {average}.",
    ]
    course = report.quan_chung_hoc_nhan_thuc
    lines.append(
        f"Kết nạp đảng viên mới trong năm: {admitted}"
        + (f"; quần chúng ưu tú học xong lớp bồi dưỡng nhận thức về Đảng: {course}" if course is not None else "")
        + "."
    )
    return lines


def classification_lines(
    result: YearResult,
    rules: BoQuyTac,
    previous: YearResult | None,
    years: YearKind,
    recognised: str | None,
) -> list[str]:
    """The members' classification split full / probationary, and the previous year's
    levels when it was evaluated."""
    full = [m for m in result.members if not m.probationary]
    prob = [m for m in result.members if m.probationary]
    lines = []
    for what, group in (("Đảng viên chính thức", full), ("Đảng viên dự bị", prob)):
        if not group:
            continue
        if all(m.outcome.not_classified == "du_bi" for m in group):
            lines.append(f"{what}: {len(group)}, chỉ kiểm điểm, không xếp loại.")
            continue
        rated = [m for m in group if m.outcome.classified]
        exempt = sum(1 for m in group if m.outcome.not_classified == "mien")
        unrated = len(group) - len(rated) - exempt
        lines.append(
            f"{what}: {len(group)}"
            + (f", miễn sinh hoạt {exempt}" if exempt else "")
            + (f", không xếp loại {unrated}" if unrated else "")
            + f"; được xếp loại {len(rated)} ({_level_counts(rated, rules)})."
        )
    if previous is not None:
        cell_level = (
            f"“{rules.level_name(previous.cell.level)}”" if previous.cell.level else "chưa xếp loại"
        )
        rated = [m for m in previous.members if m.outcome.classified]
        lines.append(
            f"{year_words(years, previous.year).capitalize()}: Chi bộ đề nghị xếp loại {cell_level}"
            + (f", Đảng ủy công nhận “{rules.level_name(recognised)}”" if recognised else "")
            + "; "
            "đảng viên được xếp loại "
            f"{len(rated)} ({_level_counts(rated, rules)})."
        )
    return lines


def build_context(
    report: BaoCaoNam,
    result: YearResult,
    cell: Cell,
    ws: Workspace,
    rules: BoQuyTac,
    *,
    vote: LevelVote | None = None,
    previous: YearResult | None = None,
    previous_level: str | None = None,
) -> dict[str, Any]:
    """The template variables of the annual review (pure): ``vote`` on the cell's level at
    the year-end meeting, ``previous`` year evaluated and the level the ward recognised for
    it (``previous_level``), each stated when given."""
    nam = result.year
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
        f"Chi bộ tự chấm {score_text(c.score)} điểm"
        + (" (trung bình các quý)" if result.cell_score_quarters is not None else "")
        + f"; đề nghị xếp loại {f'“{rules.level_name(c.level)}”' if c.level else ''}.",
        *([f"Lưu ý: {'; '.join(outcome_reasons(c, rules))}."] if c.reasons else []),
        *([vote_line(vote)] if vote is not None else []),
    ]
    dist = result.distribution
    rows = []
    notes_for_terminal = []
    # The quarters most members' scores come from: a score over fewer is worth a note.
    usual_quarters = max((m.score_quarters or 0 for m in result.members), default=0) or None
    for i, m in enumerate(result.members, start=1):
        o = m.outcome
        reasons = outcome_reasons(o, rules)
        member = m.member
        # on the date the year counts to; a member only reviewed as probationary says so already
        probationary = m.probationary and o.not_classified not in ("moi", "du_bi")
        rows.append(
            {
                "stt": str(i),
                "ho_ten": member.ho_ten,
                "diem": score_cell(o.score) if o.classified else "",
                "de_xuat": level_cell(o),
                "ghi_chu": annex_note(
                    o,
                    rules,
                    probationary=probationary,
                    maternity=m.maternity,
                    typed=m.entry.ghi_chu if m.entry is not None else None,
                    score_quarters=m.score_quarters,
                    usual_quarters=usual_quarters,
                ),
            }
        )
        if o.not_classified != "mien":  # exemptions are routine; forced or capped levels are not
            notes_for_terminal += [f"{m.member.ho_ten}: {r}" for r in reasons]
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
    header = cell_header(ws.dang_bo, cell, report.so, TYPE_CODE, report.ngay_ban_hanh)
    return {
        **header,
        **cell_signature(cell, signer),
        "trich_yeu": title_text(
            f"kiểm điểm, đánh giá, xếp loại chất lượng tập thể Chi bộ {year_words(cell.year_kind, nam)}"
        ),
        "nam": nam,
        "ky_nam": title_text(year_words(cell.year_kind, nam)),
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
        "tinh_hinh_dang_vien": member_profile(report, result, cell.year_kind),
        "phan_loai_them": classification_lines(result, rules, previous, cell.year_kind, previous_level),
        "kem_theo": str(header["so_ky_hieu"]).join(annex_line(report, cell)),
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
            loaded = collector.run(partial(load_quarter, cell, nam, q, rules))
            if loaded is not None:
                out[q] = loaded[0]
    collector.raise_if_any()
    return out


def load_evaluated_year(
    ws: Workspace, cell: Cell, nam: int
) -> tuple[BaoCaoNam, SourceFile, YearResult]:
    """Load a cell's year (nam.yaml, quarters, tasks) and evaluate it; once per run
    (``remembered`` by the workspace: the annual report, its minutes and the ward's
    summary all read it), its quarters evaluated as ``load_evaluated_quarter`` did.

    Raises:
        InputError: invalid files, missing scores, or proposals the rules do not allow.
    """
    return remembered(ws, ("evaluated-year", cell.cell_id, nam), partial(_evaluated_year, ws, cell, nam))


def _evaluated_year(ws: Workspace, cell: Cell, nam: int) -> tuple[BaoCaoNam, SourceFile, YearResult]:
    rules = ws.rules
    collector = Collector()
    tasks = collector.run(lambda: quarter_tasks(cell, nam)) or []
    quarters = collector.run(lambda: load_quarters(cell, nam, rules)) or {}
    loaded = collector.run(lambda: load_year(cell, nam))
    collector.raise_if_any()
    assert loaded is not None
    report, source = loaded
    # the quarters and tasks loaded without a problem: each quarter's evaluation is the one
    # its own report made (or makes now, remembered for it)
    evaluated = {q: load_evaluated_quarter(ws, cell, nam, q)[2] for q in quarters}
    try:
        result = evaluate_year(cell, report, quarters, tasks, nam, rules, evaluated)
    except ScoresMissing as missing:
        raise _missing_scores(missing, source) from None
    problems = proposal_problems(result, report, source, rules)
    if problems:
        raise InputError(problems)
    return report, source, result


@dataclass(frozen=True)
class YearMemberFacts:
    """A member's year as the ward's annual summary reads it.

    Attributes:
        ma: The member's id.
        ho_ten: The member's name.
        level: The level the cell proposes (None: not classified).
        allowed: The highest level the rules allow (None: not classified).
        why_not: Why the member is not classified (the first reason; None when classified).
        probationary: A probationary member (dự bị) on the date the year counts to.
    """

    ma: str
    ho_ten: str
    level: str | None
    allowed: str | None
    why_not: Reason | None
    probationary: bool = False  # on the date the year counts to (rules.evaluation.probationary_on)

    @property
    def classified(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class CellYearFacts:
    """A cell's evaluated year as the ward's annual summary reads it: only what the summary
    prints and what checking the committee's decisions needs, so a cell's report hands
    it from a batch worker to the main process cheaply (``Prepared.facts``).

    Attributes:
        cell_id: The cell's id.
        name: The cell's name (``Cell.info.ten``).
        member_ids: Every member id of the cell's roster, in its order (for a hint).
        file: The year file (a source of the summary).
        level: The cell's proposed level (None: not classified).
        allowed: The highest level the rules allow the cell.
        members: The members of the year's evaluation, in its order.
        quarters: How many quarters the year evaluated.
        bon_tot_quarters: How many of them were "chi bộ bốn tốt".
    """

    cell_id: str
    name: str
    member_ids: tuple[str, ...]
    file: Path
    level: str | None
    allowed: str | None
    members: tuple[YearMemberFacts, ...]
    quarters: int
    bon_tot_quarters: int


def year_facts(cell: Cell, result: YearResult, nam: int) -> CellYearFacts:
    """The summary's facts of a cell's evaluated year; the one way both the cell's report
    (in a batch) and the summary itself make them."""
    return CellYearFacts(
        cell_id=cell.cell_id,
        name=cell.info.ten,
        member_ids=tuple(cell.by_id),
        file=year_file(cell, nam),
        level=result.cell.level,
        allowed=result.cell.allowed,
        members=tuple(
            YearMemberFacts(
                m.member.ma,
                m.member.ho_ten,
                m.outcome.level,
                m.outcome.allowed,
                None if m.outcome.classified else m.outcome.reasons[0],
                m.probationary,
            )
            for m in result.members
        ),
        quarters=len(result.quarters),
        bon_tot_quarters=len(result.bon_tot_quarters),
    )


class BaoCaoNamKind(DocumentKind):
    """The cell's annual review and classification proposals."""


    def prepare(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None
    ) -> list[Prepared]:
        assert cell is not None
        rules = ws.rules
        report, source, result = load_evaluated_year(ws, cell, year)
        problem, warning = quota_check(result, source, rules, ws.cai_dat.vuot_han_muc)
        if problem:
            raise InputError([problem])
        vote = level_vote(year_meeting(ws, cell, year, report), rules)
        previous = previous_year(ws, cell, year)
        recognised, ward_file = previous_recognised(ws, cell, year) if previous is not None else (None, None)
        context = build_context(
            report, result, cell, ws, rules, vote=vote, previous=previous, previous_level=recognised
        )
        notes = [f"{cell.info.ten}: {n}" for n in context.pop("_ghi_chu_may")]
        earlier = (
            [*files_in(cell.year_dir(year - 1), "quy-*.yaml"), year_file(cell, year - 1)]
            if previous is not None
            else []
        ) + ([ward_file] if ward_file is not None else [])
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, cell.cell_id, year, "bao-cao-nam.docx"),
                number=NumberRequest(
                    report.so,
                    TYPE_CODE,
                    cell.info.ky_hieu,
                    (source, ("bao_cao_nam", "so")),
                    echo={"kem_theo": annex_line(report, cell)},
                ),
                title=plain_spaces(f"BÁO CÁO {context['trich_yeu']}"),
                author=cell.info.ten,
                issued=report.ngay_ban_hanh,
                cell=cell.cell_id,
                template=TEMPLATE,
                sources=[
                    *cell_sources(ws, cell, rules=True),
                    *files_in(cell.year_dir(year), ASSIGNMENTS),
                    *files_in(cell.year_dir(year), "quy-*.yaml"),
                    year_file(cell, year),
                    *earlier,
                ],
                warnings=[warning] if warning else [],
                notes=notes,
                facts=year_facts(cell, result, year),
            )
        ]


# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
CONTRACT = TemplateContract(
    file=SPEC.template,
    kind=SPEC.name,
    title="Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng năm của chi bộ (BC/CB, Mẫu 01)",
    variables=(
        *header(
            "05-BC/CB",
            "ngày 22 tháng 12 năm 2026",
            "kiểm điểm, đánh giá, xếp loại chất lượng tập thể Chi bộ năm 2026",
        ),
        *SIGNATURE,
        YEAR,
        PERIOD_YEAR,
        CELL_NAME,
        paragraphs("ket_qua", "kết quả thực hiện nhiệm vụ, ưu điểm (có số liệu docgen tính)", "Chi bộ hoàn thành các chỉ tiêu năm 2026."),
        paragraphs("han_che", "hạn chế, khuyết điểm", "Còn 02 nhiệm vụ hoàn thành chậm;"),
        paragraphs("nguyen_nhan", "nguyên nhân", "Việc đôn đốc chưa thường xuyên."),
        paragraphs("khac_phuc", "kết quả khắc phục hạn chế đã chỉ ra", "Đã khắc phục hạn chế năm 2025."),
        paragraphs("trach_nhiem", "trách nhiệm của tập thể, cá nhân", "Đồng chí Bí thư chịu trách nhiệm chung."),
        paragraphs("phuong_huong", "phương hướng, biện pháp khắc phục", "Rà soát tiến độ nhiệm vụ hằng tháng."),
        paragraphs("tu_danh_gia", "chi bộ tự nhận mức xếp loại (docgen viết)", "Chi bộ tự chấm 87 điểm; đề nghị xếp loại “Hoàn thành nhiệm vụ”."),
        distribution("bảng tổng hợp xếp loại đảng viên"),
        paragraphs(
            "tinh_hinh_dang_vien",
            "tình hình đảng viên, docgen tính từ danh sách (tổng số, chính thức, dự bị, nữ, tuổi bình quân, kết nạp trong năm)",
            "Chi bộ có 24 đảng viên (22 chính thức, 2 dự bị); nữ: 10; tuổi bình quân năm 2026: 52,3.",
            required=False,
        ),
        paragraphs(
            "phan_loai_them",
            "xếp loại đảng viên chính thức, dự bị; mức xếp loại năm trước khi có dữ liệu năm trước (docgen viết)",
            "Đảng viên chính thức: 22; được xếp loại 22 (Hoàn thành xuất sắc nhiệm vụ 2, Hoàn thành tốt nhiệm vụ 18, Hoàn thành nhiệm vụ 2, Không hoàn thành nhiệm vụ 0).",
            required=False,
        ),
        text("han_muc", "hạn mức “Hoàn thành xuất sắc”", "Chi bộ đề nghị 1 đồng chí “Hoàn thành xuất sắc nhiệm vụ”.", required=False),
        text("kem_theo", "dòng «Kèm theo Báo cáo số ...» dưới tên phụ lục", "(Kèm theo Báo cáo số 05-BC/CB ngày 22/12/2026 của Chi bộ Tổ dân phố số 5)", required=False),
        records(
            "dang_vien",
            "phụ lục: danh sách đảng viên, mỗi người một hàng",
            text("stt", "số thứ tự", "1", required=False),
            text("ho_ten", "họ và tên", "Tạ Diệu Thảo"),
            text("diem", "điểm tự chấm của năm", "82,8", required=False),
            text("de_xuat", "mức chi bộ đề xuất (viết gọn), hoặc Miễn sinh hoạt, Không xếp loại", "Tốt"),
            text("ghi_chu", "ghi chú, chỉ khi đảng viên khác thường lệ (không xếp loại, mức bị giới hạn, dự bị, ...); rỗng với người khác", "Bị kỷ luật khiển trách trong kỳ", required=False),
        ),
    ),
)

CONTRACTS = (CONTRACT,)
