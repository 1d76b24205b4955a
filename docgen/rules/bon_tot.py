"""The local "chi bộ bốn tốt" layer: each criterion đạt / không đạt for a quarter, with why.

Thresholds come from the rule set's ``bon_tot`` section; the seed plan's vetoes
(any complaint letter or internal disunity fails criterion 3; any disciplined
member fails criterion 4) are its ``doan_ket`` and ``dang_vien`` keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from docgen.formatting import percent
from docgen.models.rules import BonTotQuyTac
from docgen.rules.tasks import TaskCounts

__all__ = ["CRITERIA", "CriterionResult", "QuarterFacts", "judge"]

CRITERIA = ("lanh_dao", "sinh_hoat", "doan_ket", "dang_vien")


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


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's verdict."""

    ma: str
    dat: bool
    ly_do: str


def _pct(part: int, whole: int) -> Fraction:
    return Fraction(100 * part, whole) if whole else Fraction(100)


def judge(facts: QuarterFacts, rules: BonTotQuyTac) -> list[CriterionResult]:
    """Judge the four criteria in order (lanh_dao, sinh_hoat, doan_ket, dang_vien)."""
    out = []

    # rule set: bon_tot.lanh_dao.ty_le_nhiem_vu_hoan_thanh_toi_thieu
    need = rules.lanh_dao.ty_le_nhiem_vu_hoan_thanh_toi_thieu
    if facts.tasks.assigned == 0:
        out.append(CriterionResult("lanh_dao", True, "không có nhiệm vụ đến hạn trong quý"))
    else:
        done = _pct(facts.tasks.done, facts.tasks.assigned)
        ok = done >= need
        out.append(
            CriterionResult(
                "lanh_dao",
                ok,
                f"hoàn thành {facts.tasks.done}/{facts.tasks.assigned} nhiệm vụ đến hạn, "
                f"đạt {percent(done)}, yêu cầu từ {percent(need, 0)}",
            )
        )

    # rule set: bon_tot.sinh_hoat.du_so_buoi_thuong_ky / so_buoi_chuyen_de_toi_thieu /
    #           ty_le_du_sinh_hoat_toi_thieu
    sh = rules.sinh_hoat
    fails, notes = [], []
    notes.append(f"sinh hoạt thường kỳ {facts.regular_held}/{facts.regular_planned} buổi")
    if sh.du_so_buoi_thuong_ky and facts.regular_held < facts.regular_planned:
        fails.append(f"thiếu {facts.regular_planned - facts.regular_held} buổi sinh hoạt thường kỳ")
    notes.append(f"chuyên đề {facts.thematic_held} buổi")
    if facts.thematic_held < sh.so_buoi_chuyen_de_toi_thieu:
        fails.append(f"cần ít nhất {sh.so_buoi_chuyen_de_toi_thieu} buổi sinh hoạt chuyên đề")
    if facts.attendance is None:
        fails.append("không có buổi sinh hoạt nào")
    else:
        notes.append(f"tỷ lệ dự bình quân {percent(facts.attendance)}")
        if facts.attendance < sh.ty_le_du_sinh_hoat_toi_thieu:
            fails.append(f"tỷ lệ dự sinh hoạt dưới {percent(sh.ty_le_du_sinh_hoat_toi_thieu, 0)}")
    out.append(CriterionResult("sinh_hoat", not fails, "; ".join(fails or notes)))

    # rule set: bon_tot.doan_ket.so_don_thu_toi_da / mat_doan_ket_phu_quyet (seed vetoes)
    dk = rules.doan_ket
    fails = []
    if facts.complaints > dk.so_don_thu_toi_da:
        fails.append(f"có {facts.complaints} đơn thư khiếu nại, tố cáo")
    if dk.mat_doan_ket_phu_quyet and facts.disunity:
        fails.append("xảy ra mất đoàn kết nội bộ")
    out.append(
        CriterionResult(
            "doan_ket",
            not fails,
            "; ".join(fails) or "không có đơn thư khiếu nại, không có mất đoàn kết nội bộ",
        )
    )

    # rule set: bon_tot.dang_vien.so_dang_vien_bi_ky_luat_toi_da (seed veto) /
    #           ty_le_dong_dang_phi_toi_thieu
    dv = rules.dang_vien
    fails = []
    if facts.disciplined_members > dv.so_dang_vien_bi_ky_luat_toi_da:
        fails.append(f"có {facts.disciplined_members} đảng viên bị kỷ luật")
    dues = _pct(facts.dues_paid, facts.dues_due)
    if dues < dv.ty_le_dong_dang_phi_toi_thieu:
        fails.append(
            f"đóng đảng phí {facts.dues_paid}/{facts.dues_due} = {percent(dues)}, yêu cầu "
            f"{percent(dv.ty_le_dong_dang_phi_toi_thieu, 0)}"
        )
    out.append(
        CriterionResult(
            "dang_vien",
            not fails,
            "; ".join(fails)
            or f"không có đảng viên bị kỷ luật; đóng đảng phí {facts.dues_paid}/{facts.dues_due}",
        )
    )
    return out
