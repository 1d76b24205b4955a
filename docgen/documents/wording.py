"""How the documents word the rules' verdicts: the one place for every reason, level
and figure the evaluation gives (docgen/rules/ returns codes and numbers only).

The quarterly and annual reports, the ward's summaries, the minutes, the Excel
export and the terminal notes all word a verdict through these functions, so the same
figure reads the same everywhere. A share of 0 of 0 (docgen/rules/share.py) is worded
as nothing being due ("không có đồng chí phải đóng"), never as ``0/0 (0,0%)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from docgen.formatting import decimal, percent, short_date
from docgen.models.rules import BoQuyTac
from docgen.rules.bon_tot import CriterionResult
from docgen.rules.evaluation import KHT, Outcome, Quota
from docgen.rules.reasons import Reason
from docgen.rules.share import Share
from docgen.rules.sick import SickLeave
from docgen.rules.tasks import TaskCounts, TaskStatus

__all__ = [
    "DISCIPLINE",
    "NOT_CLASSIFIED",
    "REVIEW_ONLY",
    "LEVEL_ABBR",
    "SHORT_LEVEL",
    "bon_tot_quarter",
    "bon_tot_verdict",
    "criterion_reason",
    "deadline_text",
    "dues_figure",
    "failed_criteria",
    "annex_note",
    "level_cell",
    "outcome_reasons",
    "progress_state",
    "quota_basis",
    "quota_text",
    "reason_text",
    "score_cell",
    "score_text",
    "share_percent",
    "sick_leave_text",
    "tasks_figure",
]

SHORT_LEVEL = {
    "xuat_sac": "Xuất sắc",
    "tot": "Tốt",
    "hoan_thanh": "Hoàn thành",
    "khong_hoan_thanh": "Không hoàn thành",
}
# The levels as the summaries' narrow columns and totals abbreviate them (the tables'
# legends explain them: «XS: hoàn thành xuất sắc, ...»).
LEVEL_ABBR = {"xuat_sac": "XS", "tot": "Tốt", "hoan_thanh": "HT", "khong_hoan_thanh": "KHT"}
# A member not classified, as the member tables write it: the same words as the
# classification summary's columns (Miễn sinh hoạt; Không xếp loại).
UNCLASSIFIED = {"mien": "Miễn sinh hoạt"}
NOT_CLASSIFIED = "Không xếp loại"

DISCIPLINE = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "cach_chuc": "cách chức",
    "khai_tru": "khai trừ",
}

# A probationary member under khong_xep_loai.dang_vien_du_bi = chi_kiem_diem.
REVIEW_ONLY = "đảng viên dự bị: chỉ kiểm điểm, không xếp loại"
# Why a member is not classified, by status code (rules.evaluation.NOT_CLASSIFIED_KEYS).
_NOT_CLASSIFIED_WHY = {
    "mien": "miễn sinh hoạt đảng",
    "dinh_chi": "đình chỉ sinh hoạt đảng",
    "moi": "vào Đảng chưa đủ {months} tháng tính đến {counted_to}, chỉ kiểm điểm",
    "du_bi": REVIEW_ONLY,
}


def _not_classified_why(p: Mapping[str, Any]) -> str:
    """Why a member is not classified; for a newcomer, the date the months were counted to
    (rule set: khong_xep_loai.tinh_den): «ngày họp 18/12/2026» or «ngày 31/12/2026 (cuối kỳ)»."""
    counted = p.get("counted_to")
    if counted is None:
        until = "cuối kỳ"
    elif counted.meeting:
        until = f"ngày họp {short_date(counted.day)}"
    else:
        until = f"ngày {short_date(counted.day)} (cuối kỳ)"
    return _NOT_CLASSIFIED_WHY[p["status"]].format(months=p["months"], counted_to=until)
NO_TASK_DUE = "không có nhiệm vụ đến hạn"


def sick_leave_text(leave: SickLeave) -> str:
    """A sick leave's length as the notes write it: «2 tháng 29 ngày», «3 tháng», «12 ngày»."""
    parts = [f"{leave.months} tháng"] if leave.months else []
    if leave.days or not parts:
        parts.append(f"{leave.days} ngày")
    return " ".join(parts)


def level_cell(outcome: Outcome) -> str:
    """The level column of a member table: the short level, or why there is none."""
    if outcome.level:
        return SHORT_LEVEL[outcome.level]
    return UNCLASSIFIED.get(outcome.not_classified or "", NOT_CLASSIFIED)


def score_text(value: float | None) -> str:
    """A score as the tables write it: ``87,5``; nothing when there is no score."""
    return "" if value is None else decimal(value)


# Scores in a table column all carry one decimal («82,8», «92,0»): the rules give a year's
# score to one decimal (docgen/rules/year.py, ``aggregate``), and a column that mixes
# «82,8» and «92» reads as two kinds of figure.
SCORE_PLACES = 1


def score_cell(value: float | None) -> str:
    """A score in a table column: always ``SCORE_PLACES`` decimals (``92,0``); nothing when
    there is no score."""
    return "" if value is None else decimal(value, SCORE_PLACES, keep_zeros=True)


def share_percent(share: Share, empty: str) -> str:
    """``95,0%``; ``empty`` for 0 of 0 (nothing was due)."""
    pct = share.percent
    return empty if pct is None else percent(pct)


def _counted(share: Share, before: str) -> str:
    """``<before> 3/4 = 75,0%``; with no task due, ``không có nhiệm vụ đến hạn``."""
    pct = share.percent
    if pct is None:
        return NO_TASK_DUE
    return f"{before} {share.part}/{share.whole} = {percent(pct)}"


def reason_text(reason: Reason, rules: BoQuyTac) -> str:
    """One reason of the rules (docgen/rules/evaluation.py, bon_tot.py) in Vietnamese."""
    p = reason.params
    name = rules.level_name
    match reason.code:
        # a member's or the cell's classification
        case "not_classified":
            return _not_classified_why(p)
        case "conditions":
            fails = "; ".join(reason_text(f, rules) for f in p["failures"])
            return (
                f"không đạt điều kiện mức “{name(p['level'])}”: {fails}; "
                f"xếp mức “{name(p['lower'])}”"
            )
        case "on_time":
            return f"cần {percent(p['need'], 0)} nhiệm vụ đúng hạn, {_counted(p['share'], 'đạt')}"
        case "exceeded":
            return f"cần ít nhất {percent(p['need'], 0)} nhiệm vụ vượt mức, {_counted(p['share'], 'đạt')}"
        case "done":
            return f"cần {percent(p['need'], 0)} nhiệm vụ hoàn thành, {_counted(p['share'], 'đạt')}"
        case "late":
            return f"nhiệm vụ chậm không quá {percent(p['limit'], 0)}, {_counted(p['share'], 'thực tế')}"
        case "leadership_disciplined":
            return "có chi ủy viên bị kỷ luật"
        case "sick_cap":
            return (
                f"nghỉ ốm {sick_leave_text(p['leave'])} (từ {decimal(p['from_months'])} tháng trở lên) "
                f"nên cao nhất là “{name(p['cap'])}”"
            )
        case "disciplined":
            text = f"bị kỷ luật ({', '.join(DISCIPLINE[f] for f in p['forms'])}) trong kỳ"
            return f"{text} nên xếp “{name(KHT)}”" if p["forced"] else text
        case "forced":
            triggers = "; ".join(reason_text(t, rules) for t in p["triggers"])
            return f"{triggers} nên xếp “{name(KHT)}”"
        case "disunity":
            return "có kết luận mất đoàn kết nội bộ"
        case "committee_disciplined":
            return "tập thể chi ủy bị kỷ luật"
        case "members_disciplined_over":
            share = p["share"]
            return f"hơn {percent(p['limit'], 0)} đảng viên bị kỷ luật {share.part}/{share.whole}"
        case "proposal_above":
            return (
                f"đề nghị “{name(p['proposed'])}” cao hơn mức quy định cho phép "
                f"“{name(p['allowed'])}”"
            )
        # the four "bốn tốt" criteria
        case "no_tasks_due":
            return f"{NO_TASK_DUE} trong quý"
        case "tasks_done":
            share = p["share"]
            return (
                f"hoàn thành {share.part}/{share.whole} nhiệm vụ đến hạn, đạt "
                f"{share_percent(share, '')}, yêu cầu từ {percent(p['need'], 0)}"
            )
        case "regular_held":
            return f"sinh hoạt thường kỳ {p['held']}/{p['planned']} buổi"
        case "regular_missing":
            return f"thiếu {p['missing']} buổi sinh hoạt thường kỳ"
        case "thematic_held":
            return f"chuyên đề {p['held']} buổi"
        case "thematic_below":
            return f"cần ít nhất {p['need']} buổi sinh hoạt chuyên đề"
        case "no_meetings":
            return "không có buổi sinh hoạt nào"
        case "attendance":
            return f"tỷ lệ dự bình quân {percent(p['percent'])}"
        case "attendance_below":
            return f"tỷ lệ dự sinh hoạt dưới {percent(p['need'], 0)}"
        case "complaints":
            return f"có {p['count']} đơn thư khiếu nại, tố cáo"
        case "disunity_occurred":
            return "xảy ra mất đoàn kết nội bộ"
        case "united":
            return "không có đơn thư khiếu nại, không có mất đoàn kết nội bộ"
        case "members_disciplined":
            return f"có {p['count']} đảng viên bị kỷ luật"
        case "dues_below":
            share = p["share"]
            return (
                f"đóng đảng phí {share.part}/{share.whole} = {share_percent(share, '')}, yêu cầu "
                f"{percent(p['need'], 0)}"
            )
        case "none_disciplined":
            return f"không có đảng viên bị kỷ luật; {_dues_short(p['dues'])}"
    raise ValueError(f"no wording for reason code {reason.code!r}")


def _dues_short(dues: Share) -> str:
    if dues.empty:
        return "không có đồng chí phải đóng đảng phí"
    return f"đóng đảng phí {dues.part}/{dues.whole}"


def outcome_reasons(outcome: Outcome, rules: BoQuyTac) -> list[str]:
    """Every reason of a classification, worded, in order."""
    return [reason_text(r, rules) for r in outcome.reasons]


def criterion_reason(criterion: CriterionResult, rules: BoQuyTac) -> str:
    """Why a "bốn tốt" criterion is met or not: its reasons joined by ``; ``."""
    return "; ".join(reason_text(r, rules) for r in criterion.reasons)


def failed_criteria(criteria: Iterable[CriterionResult], names: list[str], rules: BoQuyTac) -> list[str]:
    """``tiêu chí 2 (<name>): <why>`` for each criterion not met (``names`` in criterion order)."""
    return [
        f"tiêu chí {i} ({names[i - 1]}): {criterion_reason(c, rules)}"
        for i, c in enumerate(criteria, start=1)
        if not c.met
    ]


def bon_tot_verdict(met: bool) -> str:
    """A criterion's verdict in the quarterly report: ``Đạt`` / ``Không đạt``."""
    return "Đạt" if met else "Không đạt"


def bon_tot_quarter(met: bool) -> str:
    """Whether a quarter made "chi bộ bốn tốt", in a sentence: ``đạt`` / ``chưa đạt``
    (capitalise it for a table cell)."""
    return "đạt" if met else "chưa đạt"


def tasks_figure(tasks: TaskCounts, period: str) -> str:
    """The quarterly report's task figures: ``Nhiệm vụ đến hạn trong quý: 12; hoàn thành
    11 (91,7%); ...``; with none due, ``Nhiệm vụ đến hạn trong quý: không có.``"""
    if tasks.assigned == 0:
        return f"Nhiệm vụ đến hạn trong {period}: không có."
    return (
        f"Nhiệm vụ đến hạn trong {period}: {tasks.assigned}; hoàn thành {tasks.done} "
        f"({share_percent(tasks.done_share, '')}); đúng hạn {tasks.on_time}; chậm {tasks.late}; "
        f"vượt mức {tasks.exceeded}."
    )


def dues_figure(dues: Share) -> str:
    """``đóng đảng phí: 19/20 đồng chí (95,0%)``; with nobody due, ``đóng đảng phí: không
    có đồng chí phải đóng``."""
    if dues.empty:
        return "đóng đảng phí: không có đồng chí phải đóng"
    return f"đóng đảng phí: {dues.part}/{dues.whole} đồng chí ({share_percent(dues, '')})"


def quota_basis(q: Quota, rules: BoQuyTac) -> str:
    """How the cap is computed: ``20% của 18 đảng viên xếp mức “Hoàn thành tốt nhiệm vụ”``."""
    rule = rules.han_muc_xuat_sac
    base_name = "“Hoàn thành tốt nhiệm vụ”" if rule.co_so == "tot" else "từ “Hoàn thành tốt” trở lên"
    return f"{percent(rule.ty_le, 0)} của {q.base} đảng viên xếp mức {base_name}"


def quota_text(q: Quota, rules: BoQuyTac) -> str:
    """``hạn mức “Hoàn thành xuất sắc” là 3 (20% của 18 đảng viên ...)``."""
    return f"hạn mức “Hoàn thành xuất sắc” là {q.cap} ({quota_basis(q, rules)})"


def deadline_text(deadline: date | None) -> str:
    """A task's deadline: ``30/09/2026``, or ``Thường xuyên`` for a recurring task."""
    return short_date(deadline) if deadline else "Thường xuyên"


def progress_state(status: TaskStatus) -> str:
    """How a task to chase stands: ``quá hạn 3 ngày``, ``đến hạn hôm nay``, ``còn 5 ngày``."""
    if status.days_overdue is not None:
        return f"quá hạn {status.days_overdue} ngày"
    if status.late:
        return "đã ghi quá hạn"
    if status.days_left == 0:
        return "đến hạn hôm nay"
    return f"còn {status.days_left} ngày"


# What a condition a member failed is about, in the annex's short note.
_CONDITION_SHORT = {
    "on_time": "nhiệm vụ đúng hạn",
    "exceeded": "nhiệm vụ vượt mức",
    "done": "nhiệm vụ hoàn thành",
    "late": "nhiệm vụ chậm",
    "leadership_disciplined": "có chi ủy viên bị kỷ luật",
}


def _short_reason(reason: Reason, rules: BoQuyTac) -> str:
    """One reason as a clerk writes it in a "Ghi chú" column: what is unusual, in a few
    words (the full computation is ``reason_text``'s, for the terminal)."""
    p = reason.params
    short = SHORT_LEVEL.get
    match reason.code:
        case "not_classified":
            return _not_classified_why(p)
        case "conditions":
            what = ", ".join(dict.fromkeys(_CONDITION_SHORT.get(f.code, f.code) for f in p["failures"]))
            return f"chưa đủ điều kiện mức “{short(p['level'], p['level'])}” ({what})"
        case "sick_cap":
            return f"nghỉ ốm {sick_leave_text(p['leave'])}, cao nhất mức “{short(p['cap'], p['cap'])}”"
        case "disciplined":
            return f"bị kỷ luật {', '.join(DISCIPLINE[f] for f in p['forms'])} trong kỳ"
        case "proposal_above":
            return (
                f"tự nhận “{short(p['proposed'], p['proposed'])}”, quy định cho phép "
                f"“{short(p['allowed'], p['allowed'])}”"
            )
    return reason_text(reason, rules)


def annex_note(
    outcome: Outcome,
    rules: BoQuyTac,
    *,
    probationary: bool = False,
    maternity: bool = False,
    typed: str | None = None,
    score_quarters: int | None = None,
    usual_quarters: int | None = None,
) -> str:
    """The "Ghi chú" of a member's row in the annual report's annex: a short note only
    where the member differs from the usual case (not classified, a level capped or
    forced by a rule, probationary, on maternity leave, a score over fewer quarters than
    the others'), plus the note typed in nam.yaml; empty for everyone else.
    """
    notes = [_short_reason(r, rules) for r in outcome.reasons]
    if probationary:
        notes.append("đảng viên dự bị")
    if maternity:
        notes.append("nghỉ thai sản, đánh giá theo thời gian công tác thực tế")
    if (
        outcome.classified
        and score_quarters is not None
        and usual_quarters is not None
        and score_quarters < usual_quarters
    ):
        how = "trung bình" if rules.gop_quy_thanh_nam == "trung_binh" else "thấp nhất"
        notes.append(f"điểm {how} {score_quarters} quý")
    if typed:
        notes.append(typed)
    text = "; ".join(n for n in notes if n)
    return text[:1].upper() + text[1:]
