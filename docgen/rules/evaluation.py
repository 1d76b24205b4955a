"""Classification of members and of the cell (Quy định 366-QĐ/TW), as pure functions.

Every threshold is read from the rule set (docgen/models/rules.py, rules/*.yaml);
the comment on each step names the rule-set key it reads. Reasons are Vietnamese
sentences printed in the reports' notes and in the terminal.

Order of the steps, for a member:
1. not classified (``khong_xep_loai``): exempted, suspended, admitted too recently;
2. the score band (``muc_xep_loai[].diem_toi_thieu``);
3. the level's extra conditions (``dieu_kien.ca_nhan.<mức>``): a level whose conditions
   fail drops to the highest level whose conditions all hold;
4. caps (``gioi_han``): long sick leave;
5. forcing triggers (``buoc_khong_hoan_thanh.ca_nhan``): discipline in the period;
6. the proposal: the final level is the lower of the proposal and what the rules allow.
The cell follows the same steps with ``dieu_kien.tap_the`` and ``buoc_khong_hoan_thanh.tap_the``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from docgen.formatting import largest_remainder, percent
from docgen.models.rules import LEVELS, BoQuyTac, DieuKienMuc
from docgen.rules.period import add_months
from docgen.rules.tasks import TaskCounts

__all__ = [
    "CellFacts",
    "MemberFacts",
    "Outcome",
    "Quota",
    "classify_cell",
    "classify_member",
    "distribution",
    "level_rank",
    "lower_of",
    "not_classified_reason",
    "quota",
    "score_band",
]

KHT = "khong_hoan_thanh"

# Why a member is not classified (status codes used by reports).
NOT_CLASSIFIED = {
    "mien": "miễn sinh hoạt đảng",
    "dinh_chi": "đình chỉ sinh hoạt đảng",
    "moi": "vào Đảng chưa đủ {months} tháng",
}


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


def _ratio(part: int, whole: int, empty: Fraction) -> Fraction:
    return Fraction(100 * part, whole) if whole else empty


def _condition_failures(
    cond: DieuKienMuc | None, tasks: TaskCounts, leadership_disciplined: bool = False
) -> list[str]:
    """The conditions of one level that ``tasks`` do not meet (empty list: all hold).

    With no task due in the period, on-time and done ratios count as 100%, the late
    ratio as 0% and the exceeded ratio as 0%.
    """
    if cond is None:
        return []
    fails = []
    on_time = _ratio(tasks.on_time, tasks.assigned, Fraction(100))
    done = _ratio(tasks.done, tasks.assigned, Fraction(100))
    exceeded = _ratio(tasks.exceeded, tasks.assigned, Fraction(0))
    late = _ratio(tasks.late, tasks.assigned, Fraction(0))
    n = tasks.assigned
    if cond.ty_le_dung_han_toi_thieu is not None and on_time < cond.ty_le_dung_han_toi_thieu:
        fails.append(
            f"cần {percent(cond.ty_le_dung_han_toi_thieu, 0)} nhiệm vụ đúng hạn, "
            f"đạt {tasks.on_time}/{n} = {percent(on_time)}"
        )
    if cond.ty_le_vuot_muc_toi_thieu is not None and exceeded < cond.ty_le_vuot_muc_toi_thieu:
        fails.append(
            f"cần ít nhất {percent(cond.ty_le_vuot_muc_toi_thieu, 0)} nhiệm vụ vượt mức, "
            f"đạt {tasks.exceeded}/{n} = {percent(exceeded)}"
        )
    if cond.ty_le_hoan_thanh_toi_thieu is not None and done < cond.ty_le_hoan_thanh_toi_thieu:
        fails.append(
            f"cần {percent(cond.ty_le_hoan_thanh_toi_thieu, 0)} nhiệm vụ hoàn thành, "
            f"đạt {tasks.done}/{n} = {percent(done)}"
        )
    if cond.ty_le_cham_toi_da is not None and late > cond.ty_le_cham_toi_da:
        fails.append(
            f"nhiệm vụ chậm không quá {percent(cond.ty_le_cham_toi_da, 0)}, "
            f"thực tế {tasks.late}/{n} = {percent(late)}"
        )
    if cond.khong_co_chi_uy_vien_bi_ky_luat and leadership_disciplined:
        fails.append("có chi ủy viên bị kỷ luật")
    return fails


def _apply_conditions(
    start: str,
    conditions: dict[str, DieuKienMuc],
    tasks: TaskCounts,
    rules: BoQuyTac,
    leadership_disciplined: bool = False,
    key: str = "dieu_kien.ca_nhan",
) -> tuple[str, list[tuple[str, str]]]:
    """Walk down from ``start`` to the first level whose conditions all hold.

    Returns the level and (rule-set key, reason) pairs.
    """
    reasons: list[tuple[str, str]] = []
    level = start
    while level != KHT:
        fails = _condition_failures(conditions.get(level), tasks, leadership_disciplined)
        if not fails:
            break
        lower = LEVELS[level_rank(level) + 1]
        reasons.append(
            (
                f"{key}.{level}",
                f"không đạt điều kiện mức “{rules.level_name(level)}”: {'; '.join(fails)}; "
                f"xếp mức “{rules.level_name(lower)}”",
            )
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
        not_classified: A status code of NOT_CLASSIFIED when not classified.
        reasons: Why the level is lower than the score band, forced or capped;
            or why not classified.
        rule_keys: The rule-set key behind each reason, in the same order.
    """

    level: str | None
    allowed: str | None
    proposed: str | None
    score: float | None
    not_classified: str | None = None
    reasons: tuple[str, ...] = ()
    rule_keys: tuple[str, ...] = ()

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
    sick_months: float = 0


def not_classified_reason(facts: MemberFacts, period_end: date, rules: BoQuyTac) -> str | None:
    """Why a member is not classified for the period (a NOT_CLASSIFIED code), or None.

    rule set: khong_xep_loai.mien_sinh_hoat / dinh_chi_sinh_hoat / vao_dang_chua_du_thang
    """
    nx = rules.khong_xep_loai
    if nx.mien_sinh_hoat and facts.exempt_since is not None and facts.exempt_since <= period_end:
        return "mien"
    if nx.dinh_chi_sinh_hoat and facts.suspended_since is not None and facts.suspended_since <= period_end:
        return "dinh_chi"
    if add_months(facts.admitted, nx.vao_dang_chua_du_thang) > period_end:
        return "moi"
    return None


def classify_member(facts: MemberFacts, period_end: date, rules: BoQuyTac) -> Outcome:
    """Classify one member for a period ending ``period_end``."""
    code = not_classified_reason(facts, period_end, rules)
    if code is not None:
        reason = NOT_CLASSIFIED[code].format(months=rules.khong_xep_loai.vao_dang_chua_du_thang)
        if code == "moi":
            reason += ", chỉ kiểm điểm"
        key = {
            "mien": "khong_xep_loai.mien_sinh_hoat",
            "dinh_chi": "khong_xep_loai.dinh_chi_sinh_hoat",
            "moi": "khong_xep_loai.vao_dang_chua_du_thang",
        }[code]
        return Outcome(None, None, facts.proposed, facts.score, code, (reason,), (key,))
    if facts.score is None:
        raise ValueError("a classified member needs a score")
    # rule set: muc_xep_loai[].diem_toi_thieu
    band = score_band(facts.score, rules)
    # rule set: dieu_kien.ca_nhan.<mức>
    level, reasons = _apply_conditions(band, rules.dieu_kien.ca_nhan, facts.tasks, rules)
    # rule set: gioi_han.nghi_om_tu_thang, gioi_han.muc_toi_da_khi_nghi_om
    cap = rules.gioi_han
    if facts.sick_months >= cap.nghi_om_tu_thang:
        capped = lower_of(level, cap.muc_toi_da_khi_nghi_om)
        if capped != level:
            reasons.append(
                (
                    "gioi_han.nghi_om_tu_thang",
                    f"nghỉ ốm {_months(facts.sick_months)} tháng (từ {_months(cap.nghi_om_tu_thang)} "
                    f"tháng trở lên) nên cao nhất là “{rules.level_name(capped)}”",
                )
            )
            level = capped
    # rule set: buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky / tru_khi_tu_phat_hien_khac_phuc
    trig = rules.buoc_khong_hoan_thanh.ca_nhan
    if trig.bi_ky_luat_trong_ky:
        counted = [
            form for form, remedied in facts.disciplined
            if not (remedied and trig.tru_khi_tu_phat_hien_khac_phuc)
        ]
        forms = ", ".join(_DISCIPLINE[f] for f in counted)
        if counted and level != KHT:
            level = KHT
            reasons.append(
                (
                    "buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky",
                    f"bị kỷ luật ({forms}) trong kỳ nên xếp “{rules.level_name(KHT)}”",
                )
            )
        elif counted:
            reasons.append(
                ("buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky", f"bị kỷ luật ({forms}) trong kỳ")
            )
    return _with_proposal(level, facts.proposed, facts.score, reasons, rules)


_DISCIPLINE = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "cach_chuc": "cách chức",
    "khai_tru": "khai trừ",
}


def _months(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


def _with_proposal(
    allowed: str,
    proposed: str | None,
    score: float,
    reasons: list[tuple[str, str]],
    rules: BoQuyTac,
) -> Outcome:
    level = allowed
    if proposed is not None:
        level = lower_of(allowed, proposed)
        if level_rank(proposed) < level_rank(allowed):
            reasons.append(
                (
                    "muc_xep_loai",
                    f"đề nghị “{rules.level_name(proposed)}” cao hơn mức quy định cho phép "
                    f"“{rules.level_name(allowed)}”",
                )
            )
    return Outcome(
        level,
        allowed,
        proposed,
        score,
        None,
        tuple(text for _, text in reasons),
        tuple(key for key, _ in reasons),
    )


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
        band,
        rules.dieu_kien.tap_the,
        facts.tasks,
        rules,
        facts.leadership_disciplined,
        key="dieu_kien.tap_the",
    )
    # rule set: buoc_khong_hoan_thanh.tap_the.*
    trig = rules.buoc_khong_hoan_thanh.tap_the
    forced = []
    keys = []
    if trig.mat_doan_ket and facts.disunity:
        forced.append("có kết luận mất đoàn kết nội bộ")
        keys.append("buoc_khong_hoan_thanh.tap_the.mat_doan_ket")
    if trig.chi_uy_bi_ky_luat and facts.committee_disciplined:
        forced.append("tập thể chi ủy bị kỷ luật")
        keys.append("buoc_khong_hoan_thanh.tap_the.chi_uy_bi_ky_luat")
    if (
        trig.ty_le_dang_vien_bi_ky_luat_vuot is not None
        and facts.members_rated
        and Fraction(100 * facts.members_disciplined, facts.members_rated)
        > trig.ty_le_dang_vien_bi_ky_luat_vuot
    ):
        forced.append(
            f"hơn {percent(trig.ty_le_dang_vien_bi_ky_luat_vuot, 0)} đảng viên bị kỷ luật "
            f"{facts.members_disciplined}/{facts.members_rated}"
        )
        keys.append("buoc_khong_hoan_thanh.tap_the.ty_le_dang_vien_bi_ky_luat_vuot")
    if forced:
        reasons.append((", ".join(keys), f"{'; '.join(forced)} nên xếp “{rules.level_name(KHT)}”"))
        level = KHT
    return _with_proposal(level, facts.proposed, facts.score, reasons, rules)


@dataclass(frozen=True)
class Quota:
    """The xuất sắc quota: how many may be rated xuất sắc, and who is over it."""

    cap: int
    base: int
    proposed: int

    @property
    def exceeded(self) -> bool:
        return self.proposed > self.cap

    def basis(self, rules: BoQuyTac) -> str:
        """How the cap is computed: ``20% của 18 đảng viên xếp mức “Hoàn thành tốt nhiệm vụ”``."""
        q = rules.han_muc_xuat_sac
        base_name = "“Hoàn thành tốt nhiệm vụ”" if q.co_so == "tot" else "từ “Hoàn thành tốt” trở lên"
        return f"{percent(q.ty_le, 0)} của {self.base} đảng viên xếp mức {base_name}"

    def describe(self, rules: BoQuyTac) -> str:
        return f"hạn mức “Hoàn thành xuất sắc” là {self.cap} ({self.basis(rules)})"


def quota(levels: Iterable[str | None], rules: BoQuyTac) -> Quota:
    """The xuất sắc quota over classified levels.

    rule set: han_muc_xuat_sac.ty_le, .co_so (tot | tot_tro_len), .lam_tron (xuong | gan_nhat | len)
    """
    q = rules.han_muc_xuat_sac
    final = [lv for lv in levels if lv is not None]
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
    not_classified = sum(1 for o in outcomes if o.not_classified in ("dinh_chi", "moi"))
    rated = [o.level for o in outcomes if o.level is not None]
    counts = {lv: rated.count(lv) for lv in LEVELS}
    shares = largest_remainder([counts[lv] for lv in LEVELS])
    return Distribution(
        total=len(outcomes),
        exempt=exempt,
        not_classified=not_classified,
        rated=len(rated),
        counts=counts,
        percents={lv: percent(share) for lv, share in zip(LEVELS, shares, strict=True)},
    )
