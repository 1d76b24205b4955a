"""The xuất sắc quota checked at the ward (issue 17, point 3).

The ward's annual summary checks the members it recognises against the quota where the
rule set holds it (``han_muc_xuat_sac.cap_nam``: each cell's, or the whole ward's) and,
over it, refuses (``cai_dat.vuot_han_muc: tu_choi``: nothing written) or notes that the
committee is to decide (a draft, with a warning) or decided above the quota.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.docxread import text_dump
from docgen.models.rules import BoQuyTac
from docgen.rules.summary import quota_over
from docgen.workspace import load_workspace
from tests.conftest import REPO, SAMPLE, edit_yaml

SUMMARY = "data/2026/tong-hop-nam.yaml"


def _rules(**quota: object) -> BoQuyTac:
    rules = load_workspace(SAMPLE).rules
    return rules.model_copy(update={"han_muc_xuat_sac": rules.han_muc_xuat_sac.model_copy(update=quota)})


def _cell(xs: int, htt: int) -> list[str | None]:
    return ["xuat_sac"] * xs + ["tot"] * htt + ["hoan_thanh", None]


# 20% of 4, 5, 9, 10 members rated "Hoàn thành tốt": the cap, rounded per lam_tron.
CAPS = {
    "xuong": {4: 0, 5: 1, 9: 1, 10: 2},
    "gan_nhat": {4: 1, 5: 1, 9: 2, 10: 2},
    "len": {4: 1, 5: 1, 9: 2, 10: 2},
}


@pytest.mark.parametrize("rounding", list(CAPS))
@pytest.mark.parametrize("htt", [4, 5, 9, 10])
def test_a_cells_quota_at_the_boundaries(rounding: str, htt: int) -> None:
    rules = _rules(cap_nam="chi_bo", lam_tron=rounding)
    cap = CAPS[rounding][htt]
    assert quota_over({"a": _cell(cap, htt)}, rules) == []
    (over,) = quota_over({"a": _cell(cap + 1, htt)}, rules)
    assert over.cell_id == "a"
    assert (over.quota.cap, over.quota.base, over.quota.proposed) == (cap, htt, cap + 1)


def test_the_issue_case_over_a_cell_but_not_over_the_ward() -> None:
    """1 XS and 4 HTT in one cell: over the cell's quota (0), not over the ward's."""
    groups = {"a": _cell(1, 4), "b": _cell(0, 10)}
    (over,) = quota_over(groups, _rules(cap_nam="chi_bo"))
    assert over.cell_id == "a" and over.quota.cap == 0
    assert quota_over(groups, _rules(cap_nam="dang_bo")) == []  # 20% of 14 = 2


@pytest.mark.parametrize("htt", [4, 5, 9, 10])
def test_the_wards_quota_at_the_boundaries(htt: int) -> None:
    rules = _rules(cap_nam="dang_bo")
    cap = CAPS["xuong"][htt]
    # the same members split over two cells: only the ward's total counts
    split = {"a": _cell(cap, htt // 2), "b": ["tot"] * (htt - htt // 2)}
    assert quota_over(split, rules) == []
    (over,) = quota_over({"a": _cell(cap + 1, htt // 2), "b": ["tot"] * (htt - htt // 2)}, rules)
    assert over.cell_id is None and (over.quota.cap, over.quota.proposed) == (cap, cap + 1)


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def _setup(ws: Path, *, cap_nam: str, ty_le: int, mode: str, draft: bool = False) -> None:
    rules = ws / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", rules)
    edit_yaml(rules, "  cap_nam: dang_bo\n", f"  cap_nam: {cap_nam}\n")
    edit_yaml(rules, "  ty_le: 20\n", f"  ty_le: {ty_le}\n")
    edit_yaml(ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")
    edit_yaml(ws / "dang-bo.yaml", "vuot_han_muc: dang_uy_quyet_dinh", f"vuot_han_muc: {mode}")
    if draft:
        path = ws / "2026/tong-hop-nam.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("  cong_nhan:")], encoding="utf-8")


def _render(runner: CliRunner):
    return runner.invoke(cli, ["render", "tong-hop-nam", "--nam", "2026", "-o", "out"])


def _dump() -> str:
    found = list(Path("out").rglob("tong-hop-nam*.docx"))
    assert len(found) == 1
    return text_dump(found[0])


# The sample's cells over a quota of 4% of their "Hoàn thành tốt" members (0 each): those
# whose xuất sắc the committee recognises (it moved the school's down to "Tốt").
OVER_DECIDED = [
    ("Chi bộ Tổ dân phố số 5", "Đinh Minh Hoa", 23),
    ("Chi bộ Cơ quan Ủy ban nhân dân phường", "Dương Văn Dũng", 16),
]
OVER_PROPOSED = [
    ("Chi bộ Tổ dân phố số 5", "Đinh Minh Hoa", 23),
    ("Chi bộ Trường Tiểu học Hoa Sữa (năm học 2025-2026)", "Kiều Minh Vinh", 13),
    ("Chi bộ Cơ quan Ủy ban nhân dân phường", "Dương Văn Dũng", 16),
]


@pytest.mark.parametrize("draft", [False, True])
def test_over_a_cells_quota_the_ward_refuses_under_tu_choi(runner: CliRunner, ws: Path, draft: bool) -> None:
    _setup(ws, cap_nam="chi_bo", ty_le=4, mode="tu_choi", draft=draft)
    result = _render(runner)
    assert result.exit_code == 1, result.output
    assert not Path("out").exists()  # nothing written
    verb, over = ("đề xuất", OVER_PROPOSED) if draft else ("công nhận", OVER_DECIDED)
    # a draft's proposals are the summary's; decided levels are the committee's decisions
    place = "5:3: tong_hop_nam" if draft else "14:5: tong_hop_nam.cong_nhan"
    assert result.stderr.splitlines()[:-1] == [
        f"Lỗi: {SUMMARY}:{place}: {cell}: {verb} “Hoàn thành xuất sắc” cho 1 đảng viên "
        f"({name}), vượt hạn mức “Hoàn thành xuất sắc” là 0 (4% của {base} đảng viên xếp mức “Hoàn "
        "thành tốt nhiệm vụ”) (quy tắc han_muc_xuat_sac.cap_nam: chi_bo)"
        for cell, name, base in over
    ]


def test_over_a_cells_quota_the_committees_decision_is_noted(runner: CliRunner, ws: Path) -> None:
    _setup(ws, cap_nam="chi_bo", ty_le=4, mode="dang_uy_quyet_dinh")
    result = _render(runner)
    assert result.exit_code == 0, result.output
    assert "vượt hạn mức" not in result.stderr  # the committee decided: nothing to warn of
    dump = _dump()
    assert "[NoiDung] Hạn mức “Hoàn thành xuất sắc nhiệm vụ” được tính trong từng chi bộ." in dump
    for cell, name, base in OVER_DECIDED:
        assert (
            f"[NoiDung] {cell}: Đảng ủy quyết định công nhận “Hoàn thành xuất sắc nhiệm vụ” cho 1 "
            f"đảng viên ({name}), vượt hạn mức của chi bộ là 0 (4% của {base} đảng viên xếp mức "
            "“Hoàn thành tốt nhiệm vụ”)."
        ) in dump
    assert "Kiều Minh Vinh)" not in dump  # recognised "Tốt": within the quota


def test_over_a_cells_quota_a_draft_asks_the_committee(runner: CliRunner, ws: Path) -> None:
    _setup(ws, cap_nam="chi_bo", ty_le=4, mode="dang_uy_quyet_dinh", draft=True)
    result = _render(runner)
    assert result.exit_code == 0, result.output
    warnings = [w for w in result.stderr.splitlines() if "vượt hạn mức" in w]
    assert len(warnings) == len(OVER_PROPOSED)
    assert all(w.endswith("; Đảng ủy phường sẽ xem xét, quyết định") for w in warnings)
    dump = _dump()
    for cell, name, base in OVER_PROPOSED:
        assert (
            f"[NoiDung] {cell} đề xuất “Hoàn thành xuất sắc nhiệm vụ” cho 1 đảng viên ({name}), vượt "
            f"hạn mức của chi bộ là 0 (4% của {base} đảng viên xếp mức “Hoàn thành tốt nhiệm vụ”); "
            "cần Đảng ủy xem xét, quyết định."
        ) in dump


@pytest.mark.parametrize("draft", [False, True])
def test_over_the_wards_quota_the_ward_refuses_under_tu_choi(runner: CliRunner, ws: Path, draft: bool) -> None:
    _setup(ws, cap_nam="dang_bo", ty_le=2, mode="tu_choi", draft=draft)
    result = _render(runner)
    assert result.exit_code == 1, result.output
    assert not Path("out").exists()
    n, base = (3, 61) if draft else (2, 62)
    place = "5:3: tong_hop_nam" if draft else "14:5: tong_hop_nam.cong_nhan"
    assert result.stderr.splitlines()[:-1] == [
        f"Lỗi: {SUMMARY}:{place}: {'đề xuất' if draft else 'công nhận'} “Hoàn thành xuất "
        f"sắc” cho {n} đảng viên trên toàn Đảng bộ, vượt hạn mức “Hoàn thành xuất sắc” là 1 (2% của "
        f"{base} đảng viên xếp mức “Hoàn thành tốt nhiệm vụ”) (quy tắc han_muc_xuat_sac.cap_nam)"
    ]


def test_over_the_wards_quota_the_committees_decision_is_noted(runner: CliRunner, ws: Path) -> None:
    _setup(ws, cap_nam="dang_bo", ty_le=2, mode="dang_uy_quyet_dinh")
    result = _render(runner)
    assert result.exit_code == 0, result.output
    dump = _dump()
    assert (
        "[NoiDung] Hạn mức “Hoàn thành xuất sắc nhiệm vụ” tính trên toàn Đảng bộ: 1 (2% của 62 đảng "
        "viên xếp mức “Hoàn thành tốt nhiệm vụ”); công nhận 2."
    ) in dump
    assert (
        "[NoiDung] Đảng ủy quyết định công nhận “Hoàn thành xuất sắc nhiệm vụ” cho 2 đảng viên, vượt "
        "hạn mức 1 (2% của 62 đảng viên xếp mức “Hoàn thành tốt nhiệm vụ”)."
    ) in dump


def test_within_the_quota_nothing_is_said(runner: CliRunner, ws: Path) -> None:
    _setup(ws, cap_nam="chi_bo", ty_le=20, mode="tu_choi")
    result = _render(runner)
    assert result.exit_code == 0, result.output
    assert "vượt hạn mức" not in _dump()


def test_a_decision_raising_a_member_over_the_quota_is_where_the_error_points(runner: CliRunner, ws: Path) -> None:
    """The committee decides xuất sắc for Dương Văn Dũng (co-quan-phuong dv08), over his
    cell's quota: the error names that decision's line in tong-hop-nam.yaml; the other
    cell's error, with no such decision, names the decisions."""
    _setup(ws, cap_nam="chi_bo", ty_le=4, mode="tu_choi", draft=False)
    edit_yaml(
        ws / "2026/tong-hop-nam.yaml",
        "    dang_vien:\n",
        "    dang_vien:\n      - chi_bo: co-quan-phuong\n        dang_vien: dv08\n        muc: xuat_sac\n",
    )
    result = _render(runner)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert any(
        line.startswith(f"Lỗi: {SUMMARY}:24:9: tong_hop_nam.cong_nhan.dang_vien[1]: Chi bộ Cơ quan Ủy ban")
        for line in lines
    ), lines
    assert any(line.startswith(f"Lỗi: {SUMMARY}:14:5: tong_hop_nam.cong_nhan: Chi bộ Tổ dân phố số 5") for line in lines)
