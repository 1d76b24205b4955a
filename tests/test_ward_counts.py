"""The ward summaries count cells and members by level (issue 17, point 2).

A 27-cell synthetic ward is rendered to the annual summary; the table of cells and
members by level is read back from the .docx and compared with the sums over the rows
of the per-cell table, with the committee's decisions moving cells and members down
and up. The counting itself (docgen/rules/summary.py) is checked on its own too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import docx
import pytest
import yaml

from docgen.pipeline import render_documents
from docgen.rules.summary import MemberLevels, bon_tot_counts, count_levels, ward_year_counts
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE
from tests.synthetic import build_ward

SHORT = {"Xuất sắc": "xuat_sac", "Tốt": "tot", "Hoàn thành": "hoan_thanh", "Không hoàn thành": "khong_hoan_thanh"}
LEVELS = list(SHORT.values())
CELLS = 27
MEMBERS = 6
DOWN = ["chi-bo-005", "chi-bo-006", "chi-bo-007"]  # proposed tot, recognised hoan_thanh
UP = ["chi-bo-010", "chi-bo-011"]  # proposed hoan_thanh, recognised tot
PROBATIONARY = [("chi-bo-003", "dv05"), ("chi-bo-004", "dv05"), ("chi-bo-004", "dv06")]


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """27 cells; the committee moves three cells down, two up, one member down and one up;
    three members are probationary."""
    root = tmp_path_factory.mktemp("ward27")
    ws = build_ward(root, CELLS, MEMBERS, annual=True)
    for cell in UP:  # these cells propose less than the rules allow, and so does a member
        path = ws / "chi-bo" / cell / "2026/nam.yaml"
        data = _load(path)
        data["bao_cao_nam"]["chi_bo"]["de_xuat"] = "hoan_thanh"
        data["bao_cao_nam"]["dang_vien"] = [{"ma": "dv03", "de_xuat": "hoan_thanh"}]
        _dump(path, data)
    for cell, member in PROBATIONARY:
        path = ws / "chi-bo" / cell / "dang-vien.yaml"
        data = _load(path)
        for m in data["dang_vien"]:
            if m["ma"] == member:
                m["loai_dang_vien"] = "du_bi"
                m["ngay_vao_dang"] = "2025-09-15"
        _dump(path, data)
    path = ws / "2026/tong-hop-nam.yaml"
    data = _load(path)
    data["tong_hop_nam"]["cong_nhan"] = {
        "chi_bo": [{"chi_bo": c, "muc": "hoan_thanh"} for c in DOWN] + [{"chi_bo": c, "muc": "tot"} for c in UP],
        "dang_vien": [
            {"chi_bo": "chi-bo-001", "dang_vien": "dv04", "muc": "hoan_thanh"},
            {"chi_bo": UP[0], "dang_vien": "dv03", "muc": "tot"},
        ],
    }
    _dump(path, data)
    out = root / "out"
    render_documents(load_workspace(ws), ["tong-hop-nam"], year=2026, output_root=out)
    return out / "ngoc-ha/2026/tong-hop-nam.docx"


def _table(path: Path, first: str) -> list[list[str]]:
    document = docx.Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == first)
    return [[c.text for c in r.cells] for r in table.rows]


def _count(text: str) -> int:
    """``21 (77,8%)`` -> 21; ``0`` -> 0."""
    return int(text.split(" ")[0])


def test_cells_by_level_equal_the_sums_over_the_per_cell_rows(ward: Path) -> None:
    per_cell = _table(ward, "STT")
    cell_rows = per_cell[1:-2]
    assert len(cell_rows) == CELLS
    proposed = Counter(SHORT[r[3]] for r in cell_rows)
    recognised = Counter(SHORT[r[4]] for r in cell_rows)
    by_level = {SHORT[r[0]]: r for r in _table(ward, "Mức xếp loại")[1:5]}
    assert {lv: _count(by_level[lv][1]) for lv in LEVELS} == {lv: proposed[lv] for lv in LEVELS}
    assert {lv: _count(by_level[lv][2]) for lv in LEVELS} == {lv: recognised[lv] for lv in LEVELS}
    assert proposed["tot"] == CELLS - len(UP) and recognised["hoan_thanh"] == len(DOWN)
    # the per-cell table's totals row names the same counts
    totals = per_cell[-2]
    assert totals[1] == "Tổng cộng"
    assert totals[3] == f"{CELLS - len(UP)} Tốt, {len(UP)} HT"
    assert totals[4] == f"{CELLS - len(DOWN)} Tốt, {len(DOWN)} HT"


def test_members_by_level_equal_the_sums_over_the_per_cell_rows(ward: Path) -> None:
    cell_rows = _table(ward, "STT")[1:-2]
    proposed = [sum(int(r[5 + i].split(" / ")[0]) for r in cell_rows) for i in range(4)]
    recognised = [sum(int(r[5 + i].split(" / ")[1]) for r in cell_rows) for i in range(4)]
    rows = _table(ward, "Mức xếp loại")
    by_level = rows[1:5]
    assert [_count(r[3]) for r in by_level] == proposed
    assert [_count(r[4]) for r in by_level] == recognised
    # full and probationary members add up to the members recognised, level by level
    assert [_count(r[5]) + _count(r[6]) for r in by_level] == recognised
    counted = rows[5]
    assert counted[0] == "Cộng"
    assert counted[1:] == [str(CELLS), str(CELLS), str(CELLS * MEMBERS), str(CELLS * MEMBERS),
                           str(CELLS * MEMBERS - len(PROBATIONARY)), str(len(PROBATIONARY))]


def test_moved_down_and_up_are_counted(ward: Path) -> None:
    rows = {r[0]: r for r in _table(ward, "Mức xếp loại")[5:]}
    assert rows["Hạ mức"][2] == str(len(DOWN))
    assert rows["Nâng mức"][2] == str(len(UP))
    assert rows["Hạ mức"][4] == "1" and rows["Nâng mức"][4] == "1"
    assert rows["Không xếp loại"][3:] == ["0", "0", "0", "0"]
    text = "\n".join(p.text for p in docx.Document(str(ward)).paragraphs)
    assert (
        f"Chi bộ được đánh giá, xếp loại: {CELLS}; chi bộ tự nhận 25 “Hoàn thành tốt nhiệm vụ” (92,6%), "
        "2 “Hoàn thành nhiệm vụ” (7,4%); Đảng ủy công nhận 24 “Hoàn thành tốt nhiệm vụ” (88,9%), "
        "3 “Hoàn thành nhiệm vụ” (11,1%); hạ mức 3 chi bộ, nâng mức 2 chi bộ so với chi bộ tự nhận."
    ) in text
    assert "hạ mức 1 đồng chí, nâng mức 1 đồng chí so với chi bộ đề xuất." in text
    assert f"Đảng viên được đánh giá, xếp loại: {CELLS * MEMBERS} ({CELLS * MEMBERS - 3} chính thức, 3 dự bị)" in text


def test_the_sample_summary_counts_the_member_not_classified_apart(tmp_path: Path) -> None:
    render_documents(load_workspace(SAMPLE), ["tong-hop-nam"], year=2026, output_root=tmp_path)
    path = tmp_path / "ngoc-ha/2026/tong-hop-nam.docx"
    rows = {r[0]: r for r in _table(path, "Mức xếp loại")}
    per_cell = _table(path, "STT")
    assert rows["Không xếp loại"][3] == per_cell[-2][-1] == "3"
    assert _count(rows["Không xếp loại"][5]) + _count(rows["Không xếp loại"][6]) == 3


def test_count_levels_moves_and_not_classified() -> None:
    counts = count_levels([("tot", "hoan_thanh"), ("hoan_thanh", "tot"), ("tot", None), (None, None)])
    assert counts.proposed == {"xuat_sac": 0, "tot": 2, "hoan_thanh": 1, "khong_hoan_thanh": 0}
    assert counts.recognised == {"xuat_sac": 0, "tot": 2, "hoan_thanh": 1, "khong_hoan_thanh": 0}
    assert (counts.moved_down, counts.moved_up, counts.not_classified, counts.counted) == (1, 1, 1, 3)


def test_the_real_wording_case_counts() -> None:
    """«chi bộ tự nhận 21 HTXSNV, 06 HTTNV; Đảng ủy công nhận 06 và 21» over 27 cells."""
    cells = [("xuat_sac", "xuat_sac")] * 6 + [("xuat_sac", "tot")] * 15 + [("tot", "tot")] * 6
    counts = ward_year_counts(cells, [MemberLevels("tot", None, False), MemberLevels(None, None, True)])
    assert counts.cells.proposed["xuat_sac"] == 21 and counts.cells.proposed["tot"] == 6
    assert counts.cells.recognised["xuat_sac"] == 6 and counts.cells.recognised["tot"] == 21
    assert counts.cells.moved_down == 15 and counts.cells.moved_up == 0
    assert counts.full.counted == 1 and counts.probationary.not_classified == 1
    assert counts.members.not_classified == 1


def test_bon_tot_counts_per_criterion() -> None:
    bon = bon_tot_counts([[True] * 4, [True, True, False, True], [False, True, True, True]])
    assert (bon.reported, bon.met, bon.per_criterion) == (3, 1, (2, 3, 2, 3))


def test_the_quarterly_summary_counts_the_criteria(tmp_path: Path) -> None:
    render_documents(load_workspace(SAMPLE), ["tong-hop-quy"], year=2026, quarter=3, output_root=tmp_path)
    path = tmp_path / "ngoc-ha/2026/tong-hop-quy-3.docx"
    rows = _table(path, "STT")
    cells = rows[1:-2]
    totals = rows[-2]
    assert totals[1] == "Tổng cộng"
    assert totals[2:6] == [str(sum(r[2 + i] == "x" for r in cells)) for i in range(4)]
    met = sum(r[6] == "Đạt" for r in cells)
    assert totals[6] == f"{met}/{len(cells)}"
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Chi bộ đạt từng tiêu chí: TC1 4/4 (100,0%); TC2 4/4 (100,0%); TC3 3/4 (75,0%); TC4 4/4 (100,0%)." in text
