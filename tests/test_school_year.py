"""School-year cells (issue 17, point 1): a cell reviews by calendar year or by school
year (``chi_bo.nam_danh_gia``; the first month in the rule set), carried through its
folders, periods, documents and the ward's batch and summaries."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.docxread import text_dump
from docgen.pipeline import check_workspace, render_documents
from docgen.rules.period import CALENDAR, YearKind, folder_year
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE, edit_yaml

SCHOOL = "truong-tieu-hoc-hoa-sua"
SEPTEMBER = YearKind(9)


def test_a_school_year_is_named_by_the_year_it_ends_in() -> None:
    assert SEPTEMBER.year_bounds(2026) == (date(2025, 9, 1), date(2026, 8, 31))
    assert [SEPTEMBER.quarter_bounds(2026, q) for q in range(1, 5)] == [
        (date(2025, 9, 1), date(2025, 11, 30)),
        (date(2025, 12, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 5, 31)),
        (date(2026, 6, 1), date(2026, 8, 31)),
    ]
    assert SEPTEMBER.quarter_bounds(2028, 2) == (date(2027, 12, 1), date(2028, 2, 29))  # a leap year
    assert SEPTEMBER.folder_name(2026) == "2025-2026"
    assert (SEPTEMBER.year_of(date(2025, 8, 31)), SEPTEMBER.year_of(date(2025, 9, 1))) == (2025, 2026)


def test_the_calendar_kind_is_the_calendar() -> None:
    assert CALENDAR.year_bounds(2026) == (date(2026, 1, 1), date(2026, 12, 31))
    assert CALENDAR.quarter_bounds(2026, 3) == (date(2026, 7, 1), date(2026, 9, 30))
    assert CALENDAR.folder_name(2026) == "2026"
    assert [CALENDAR.own_period(2026, q) for q in (1, 4, None)] == [(2026, 1), (2026, 4), (2026, None)]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # each calendar quarter of 2026 holds the end of exactly one school quarter
        (9, [(2026, 2), (2026, 3), (2026, 4), (2027, 1)]),
        (8, [(2026, 2), (2026, 3), (2026, 4), (2027, 1)]),  # ends 31/1, 30/4, 31/7, 31/10
        (12, [(2026, 1), (2026, 2), (2026, 3), (2026, 4)]),  # ends 28/2, 31/5, 31/8, 30/11
    ],
)
def test_the_ward_s_quarter_holds_the_school_quarter_ending_in_it(start: int, expected: list) -> None:
    kind = YearKind(start)
    got = [kind.quarter_ending_in(2026, q) for q in range(1, 5)]
    assert got == expected
    for (own_year, own_quarter), q in zip(got, range(1, 5), strict=True):
        first, last = CALENDAR.quarter_bounds(2026, q)
        assert first <= kind.quarter_bounds(own_year, own_quarter)[1] <= last


def test_folder_names() -> None:
    assert folder_year("2026") == (2026, False)
    assert folder_year("2025-2026") == (2026, True)
    assert folder_year("2025-2027") is None
    assert folder_year("2026-2025") is None
    assert folder_year("nam-2026") is None


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def test_the_sample_school_year_renders_end_to_end(ws: Path, tmp_path: Path) -> None:
    """Plan, assignment, its four quarters and the annual report of 2025-2026, and the
    ward's annual summary listing it with its period."""
    out = tmp_path / "out"
    workspace = load_workspace(ws)
    render_documents(workspace, ["ke-hoach", "phan-cong", "bao-cao-nam", "tong-hop-nam"], year=2026, output_root=out)
    for quarter in (1, 2, 3, 4):  # a named cell's own quarters
        render_documents(workspace, "bao-cao-quy", year=2026, quarter=quarter, cells=[SCHOOL], output_root=out)
    made = out / "ngoc-ha" / SCHOOL / "2026"
    plan = text_dump(made / "ke-hoach.docx")
    assert "[TrichYeu] xây dựng “chi bộ bốn tốt” năm học\u00a02025-2026" in plan
    assert "ngày 08 tháng 9 năm 2025" in plan
    assert "phân công nhiệm vụ cho đảng viên năm học\u00a02025-2026" in text_dump(made / "phan-cong.docx")
    quarters = {q: text_dump(made / f"bao-cao-quy-{q}.docx") for q in range(1, 5)}
    for q, numeral in zip(range(1, 5), ["I", "II", "III", "IV"], strict=True):
        assert f"quý {numeral} năm học\u00a02025-2026" in quarters[q].replace("quý\u00a0", "quý ")
    annual = text_dump(made / "bao-cao-nam.docx")
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM HỌC\u00a02025-2026" in annual
    assert "ngày 25 tháng 8 năm 2026" in annual
    summary = text_dump(out / "ngoc-ha" / "2026" / "tong-hop-nam.docx")
    assert "| Trường Tiểu học Hoa Sữa (năm học 2025-2026) |" in summary
    assert "| Tổ dân phố số 5 |" in summary  # a calendar cell's row names no period


def test_a_report_dated_in_september_fits_a_school_year_not_a_calendar_one(
    runner: CliRunner, ws: Path
) -> None:
    """The issue's case: a school cell's annual report dated 25/09/2026 was refused as not
    fitting «báo cáo năm 2026»; it fits the school year 2025-2026 (01/06 to 30/11)."""
    school = ws / "chi-bo" / SCHOOL
    edit_yaml(school / "2025-2026/nam.yaml", "ngay_ban_hanh: 2026-08-25", "ngay_ban_hanh: 2026-09-25")
    result = runner.invoke(cli, ["check", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    edit_yaml(school / "2025-2026/nam.yaml", "ngay_ban_hanh: 2026-09-25", "ngay_ban_hanh: 2026-12-01")
    result = runner.invoke(cli, ["check", "-w", str(ws)])
    assert result.exit_code == 1
    assert (
        "bao_cao_nam.ngay_ban_hanh: ngày ban hành 01/12/2026 không hợp với báo cáo năm học 2025-2026 "
        "(từ 01/06/2026 đến 30/11/2026)" in result.stderr
    )
    # the same date in a calendar-year cell is refused as before
    edit_yaml(school / "chi-bo.yaml", "  nam_danh_gia: nam_hoc", "  nam_danh_gia: nam_lich")
    result = runner.invoke(cli, ["check", "-w", str(ws)])
    assert result.exit_code == 1
    assert "thư mục '2025-2026' không đọc được: chi bộ kiểm điểm theo năm dương lịch" in result.stderr


def test_a_folder_named_for_the_other_kind_of_year_is_an_error(ws: Path) -> None:
    school = ws / "chi-bo" / SCHOOL
    (school / "2025-2026").rename(school / "2026")
    with pytest.raises(Exception) as caught:
        check_workspace(load_workspace(ws))
    lines = caught.value.lines()  # type: ignore[attr-defined]
    assert any(
        f"chi-bo/{SCHOOL}/2026" in line
        and "thư mục '2026' không đọc được: chi bộ kiểm điểm theo năm học (nam_danh_gia: nam_hoc), "
        "thư mục của năm đó tên là '2025-2026'" in line
        for line in lines
    ), lines


def test_the_start_month_is_the_rule_set_s(ws: Path, tmp_path: Path) -> None:
    rules = ws / "quy-tac.yaml"
    shutil.copy(Path(__file__).parents[1] / "rules/qd366-2025.yaml", rules)
    edit_yaml(rules, "thang_bat_dau_nam_hoc: 9", "thang_bat_dau_nam_hoc: 8")
    edit_yaml(ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")
    cell = load_workspace(ws).load_cell(SCHOOL)
    assert cell.year_kind == YearKind(8)
    assert cell.year_kind.year_bounds(2026) == (date(2025, 8, 1), date(2026, 7, 31))
    edit_yaml(rules, "thang_bat_dau_nam_hoc: 8", "thang_bat_dau_nam_hoc: 1")
    with pytest.raises(Exception) as caught:
        load_workspace(ws).rules  # noqa: B018
    assert any("thang_bat_dau_nam_hoc" in line for line in caught.value.lines())  # type: ignore[attr-defined]


def test_the_ward_batch_makes_the_school_quarter_of_its_quarter(ws: Path, tmp_path: Path) -> None:
    from docgen.batch import run_batch

    result = run_batch(ws, year=2026, quarter=3, output_root=tmp_path / "out", jobs=1)
    assert not result.failed
    school = [r for r in result.records if r.cell == SCHOOL]
    assert {Path(r.output).name for r in school if r.output} >= {"bao-cao-quy-4.docx"}
    summary = text_dump(tmp_path / "out/ngoc-ha/2026/tong-hop-quy-3.docx")
    assert "Trường Tiểu học Hoa Sữa (quý IV năm học 2025-2026)" in summary


def test_the_whole_ward_s_quarter_is_a_calendar_quarter_a_named_cell_s_its_own(ws: Path, tmp_path: Path) -> None:
    workspace = load_workspace(ws)
    whole = render_documents(workspace, "bao-cao-quy", year=2026, quarter=1, output_root=tmp_path / "a")
    named = render_documents(workspace, "bao-cao-quy", year=2026, quarter=1, cells=[SCHOOL], output_root=tmp_path / "b")
    assert sorted(p.name for p in whole.written if SCHOOL in str(p)) == ["bao-cao-quy-2.docx"]  # Dec-Feb ends in Q1
    assert [p.name for p in named.written] == ["bao-cao-quy-1.docx"]
