"""The figures the annual report states (issue 17, point 7): the member profile computed
from the roster, the vote on the cell's own level at the year-end meeting, the previous
year's levels when its data exists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from docgen.documents.bao_cao_nam import LevelVote, level_vote, vote_line
from docgen.docxread import text_dump
from docgen.models.tasks import HoiNghi
from docgen.pipeline import check_workspace, render_documents
from docgen.workspace import load_workspace
from docgen.yamlsource import load_source
from tests.conftest import edit_yaml

CELL = "cong-an-phuong"
YEAR_FILE = f"chi-bo/{CELL}/2026/nam.yaml"


def annual(ws: Path, out: Path) -> str:
    render_documents(load_workspace(ws), ["bao-cao-nam"], year=2026, cells=[CELL], output_root=out, draft=True)
    return text_dump(out / "ngoc-ha" / CELL / "2026" / "bao-cao-nam-du-thao.docx")


def test_the_profile_is_computed_from_the_roster(sample_ws: Path, tmp_path: Path) -> None:
    roster = load_source(sample_ws / f"chi-bo/{CELL}/dang-vien.yaml").data["dang_vien"]
    women = sum(1 for m in roster if m["gioi_tinh"] == "nu")
    probationary = sum(1 for m in roster if m["loai_dang_vien"] == "du_bi")
    ages = [2026 - m["nam_sinh"] for m in roster]
    average = f"{sum(ages) / len(ages):.1f}".replace(".", ",")
    text = annual(sample_ws, tmp_path / "out")
    assert (len(roster), probationary, women) == (10, 2, 5)
    assert (
        f"[NoiDung] Chi bộ có 10 đảng viên (8 chính thức, 2 dự bị); nữ: {women}; tuổi bình quân năm 2026: "
        f"{average}." in text
    )
    assert "[NoiDung] Kết nạp đảng viên mới trong năm: 0." in text
    assert "quần chúng" not in text  # nam.yaml does not give the course's figure


def test_admitted_this_year_and_the_course(sample_ws: Path, tmp_path: Path) -> None:
    # one member admitted in the year (01/01/2026: the year's first day counts)
    edit_yaml(sample_ws / f"chi-bo/{CELL}/dang-vien.yaml", "ngay_vao_dang: 2025-09-21", "ngay_vao_dang: 2026-01-01")
    edit_yaml(sample_ws / YEAR_FILE, "  chi_bo:\n", "  quan_chung_hoc_nhan_thuc: 3\n  chi_bo:\n")
    text = annual(sample_ws, tmp_path / "out")
    assert (
        "[NoiDung] Kết nạp đảng viên mới trong năm: 1; quần chúng ưu tú học xong lớp bồi dưỡng nhận thức "
        "về Đảng: 3." in text
    )


def meeting(*votes: dict[str, object], present: int = 24) -> HoiNghi:
    return HoiNghi.model_validate({"ngay": date(2026, 12, 18), "so_co_mat": present, "bieu_quyet": list(votes)})


def test_the_vote_on_the_cells_level() -> None:
    from docgen.models.rules import BoQuyTac
    from docgen.validation import validate
    from docgen.workspace import RULES_DIR

    rules = validate(load_source(RULES_DIR / "qd366-2025.yaml"), BoQuyTac)
    level = {"noi_dung": "Chi bộ tự xếp loại mức “Hoàn thành tốt nhiệm vụ”", "tan_thanh": 23, "khong_tan_thanh": 1}
    report = {"noi_dung": "Thông qua Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng tập thể Chi bộ năm 2026"}
    vote = level_vote(meeting(report, level), rules)
    assert vote == LevelVote(date(2026, 12, 18), 23, 24)
    assert vote_line(vote) == (
        "Hội nghị Chi bộ ngày 18/12/2026 biểu quyết mức xếp loại của Chi bộ: 23/24 đồng chí tán thành, 95,8%."
    )
    # tan_thanh left out: those present minus those against, as the minutes read it
    assert level_vote(meeting({**level, "tan_thanh": None}), rules) == LevelVote(date(2026, 12, 18), 23, 24)
    # no item vote typed: the minutes' default, every member present agreed
    assert level_vote(meeting(), rules) == LevelVote(date(2026, 12, 18), 24, 24)
    # item votes, none on the level: no vote stated
    assert level_vote(meeting(report), rules) is None
    assert level_vote(None, rules) is None


def test_the_report_states_the_vote_of_the_year_end_meeting(sample_ws: Path, tmp_path: Path) -> None:
    # by default the last meeting of quarter IV (10/12/2026), every member present agreeing
    text = annual(sample_ws, tmp_path / "a")
    assert "biểu quyết mức xếp loại của Chi bộ: 10/10 đồng chí tán thành, 100,0%." in text
    # the year-end meeting typed in nam.yaml, with its votes: the same data as the minutes
    edit_yaml(
        sample_ws / YEAR_FILE,
        "  chi_bo:\n",
        "  hoi_nghi:\n    ngay: 2026-12-15\n    so_co_mat: 9\n    vang:\n      - dang_vien: dv02\n"
        "        ly_do: Đi công tác\n    bieu_quyet:\n"
        "      - noi_dung: Chi bộ đề nghị xếp loại mức “Hoàn thành tốt nhiệm vụ”\n"
        "        tan_thanh: 8\n        khong_tan_thanh: 1\n  chi_bo:\n",
    )
    text = annual(sample_ws, tmp_path / "b")
    assert (
        "[NoiDung] Hội nghị Chi bộ ngày 15/12/2026 biểu quyết mức xếp loại của Chi bộ: 8/9 đồng chí tán "
        "thành, 88,9%." in text
    )
    render_documents(load_workspace(sample_ws), ["bien-ban"], year=2026, cells=[CELL], output_root=tmp_path / "b")
    minutes = text_dump(tmp_path / "b" / "ngoc-ha" / CELL / "2026" / "bien-ban-nam.docx")
    assert "8/9 đồng chí có mặt tán thành (88,9%)" in minutes


PREVIOUS = """\
bao_cao_nam:
  ngay_ban_hanh: 2025-12-20
  ket_qua: [Hoàn thành nhiệm vụ năm 2025]
  han_che: [Còn hạn chế]
  nguyen_nhan: [Nguyên nhân]
  khac_phuc: [Đã khắc phục]
  trach_nhiem: [Trách nhiệm chung]
  phuong_huong: [Phương hướng]
  chi_bo:
    diem_chung: 27
    diem_nhiem_vu: 66
    de_xuat: tot
  hoi_nghi:
    ngay: 2025-12-10
    so_co_mat: 10
  dang_vien:
{members}
"""


def previous_members() -> str:
    # dv03, dv09, dv10 were admitted in July and September 2025: not 6 months at the meeting
    scores = {"dv01": (27, 64), "dv02": (25, 55), "dv04": (25, 56), "dv05": (25, 55), "dv06": (20, 40),
              "dv07": (25, 55), "dv08": (25, 55)}
    return "\n".join(
        f"    - ma: {ma}\n      diem_chung: {a}\n      diem_nhiem_vu: {b}" for ma, (a, b) in scores.items()
    )


def test_the_previous_year_when_its_data_exists(sample_ws: Path, tmp_path: Path) -> None:
    text = annual(sample_ws, tmp_path / "a")
    assert "Năm 2025" not in text  # no 2025 folder: omitted silently
    folder = sample_ws / f"chi-bo/{CELL}/2025"
    folder.mkdir()
    (folder / "nam.yaml").write_text(PREVIOUS.format(members=previous_members()), encoding="utf-8")
    check_workspace(load_workspace(sample_ws))  # the previous year is valid data
    text = annual(sample_ws, tmp_path / "b")
    # computed as the year itself is: 7 rated (3 admitted too recently), one 60 points
    # ("Hoàn thành"); the 91 points drop to "Tốt" (no task exceeded in 2025)
    assert (
        "[NoiDung] Năm 2025: Chi bộ đề nghị xếp loại “Hoàn thành tốt nhiệm vụ”; đảng viên được xếp loại 7 "
        "(Hoàn thành xuất sắc nhiệm vụ 0, Hoàn thành tốt nhiệm vụ 6, Hoàn thành nhiệm vụ 1, "
        "Không hoàn thành nhiệm vụ 0)." in text
    )
    # the ward's decision on that year, when its summary of 2025 has one
    ward = sample_ws / "2025"
    ward.mkdir()
    (ward / "tong-hop-nam.yaml").write_text(
        "tong_hop_nam:\n  ngay_ban_hanh: 2026-01-10\n  nguoi_ky: Lê Hoàng Minh\n  cong_nhan:\n"
        f"    chi_bo:\n      - chi_bo: {CELL}\n        muc: hoan_thanh\n",
        encoding="utf-8",
    )
    text = annual(sample_ws, tmp_path / "c")
    assert (
        "[NoiDung] Năm 2025: Chi bộ đề nghị xếp loại “Hoàn thành tốt nhiệm vụ”, Đảng ủy công nhận "
        "“Hoàn thành nhiệm vụ”; đảng viên được xếp loại 7 " in text
    )


@pytest.mark.parametrize("cell", ["to-dan-pho-5", "truong-tieu-hoc-hoa-sua"])
def test_split_full_and_probationary_adds_up(sample_ws: Path, tmp_path: Path, cell: str) -> None:
    from docgen.documents.bao_cao_nam import load_evaluated_year

    ws = load_workspace(sample_ws)
    result = load_evaluated_year(ws, ws.load_cell(cell), 2026)[2]
    full = [m for m in result.members if not m.probationary]
    prob = [m for m in result.members if m.probationary]
    assert full and prob
    assert len(full) + len(prob) == result.distribution.total
    rated = sum(1 for m in result.members if m.outcome.classified)
    assert rated == result.distribution.rated
