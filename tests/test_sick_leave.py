"""Sick leave as leaves (from, to), as days or as decimal months, and the cap of
``gioi_han.nghi_om_tu_thang`` computed from it exactly (issue 17, point 8).

docgen/rules/sick.py: one continuous leave counts whole calendar months, then days;
touching leaves are one; days, separate leaves and decimal months carry at
``gioi_han.ngay_mot_thang`` (30) days a month.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import docx
import pytest

from docgen import evaluate_quarter, evaluate_year
from docgen.documents.wording import outcome_reasons, sick_leave_text
from docgen.errors import InputError
from docgen.models.rules import BoQuyTac, GioiHan
from docgen.pipeline import check_workspace, render_documents
from docgen.rules.evaluation import MemberFacts, classify_member
from docgen.rules.sick import SickLeave, calendar_length, from_days, from_months, sick_leave
from docgen.rules.tasks import TaskCounts
from docgen.validation import validate
from docgen.workspace import RULES_DIR, load_workspace
from docgen.yamlsource import load_source
from tests.conftest import edit_yaml

CELL = "co-quan-phuong"
SICK = "dv10"  # Ngô Phương Hằng, scores 81 in quarter III (level Tốt without leave)
NAME = "Ngô Phương Hằng"
OLD = "      nghi_om_thang: 3\n"  # what the sample's quy-3.yaml writes for her


@pytest.fixture(scope="module")
def rules() -> BoQuyTac:
    return validate(load_source(RULES_DIR / "qd366-2025.yaml"), BoQuyTac)


def level(rules: BoQuyTac, **sick: object) -> str | None:
    facts = MemberFacts(
        admitted=date(2000, 1, 1), exempt_since=None, suspended_since=None, score=88,
        proposed=None, tasks=TaskCounts(), **sick,  # type: ignore[arg-type]
    )
    return classify_member(facts, date(2026, 12, 31), rules).level


# -- the rule (pure) ------------------------------------------------------------------


def test_the_rule_set_states_the_conversion(rules: BoQuyTac) -> None:
    assert rules.gioi_han.ngay_mot_thang == 30
    assert GioiHan().ngay_mot_thang == 30  # a rule set that does not say
    assert rules.gioi_han.nghi_om_tu_thang == 3


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        (date(2026, 3, 2), date(2026, 5, 30), 2, 29),  # 2 months 29 days
        (date(2026, 3, 2), date(2026, 5, 31), 2, 30),  # a calendar month is not 30 days
        (date(2026, 3, 2), date(2026, 6, 1), 3, 0),  # 02/03 + 3 months = 02/06
        (date(2026, 11, 30), date(2027, 2, 26), 2, 28),
        (date(2026, 11, 30), date(2027, 2, 27), 3, 0),  # 30/11 + 3 months = 28/02 (no 30/02)
        (date(2027, 11, 30), date(2028, 2, 28), 3, 0),  # leap year: 30/11 + 3 months = 29/02
        (date(2027, 11, 30), date(2028, 2, 27), 2, 29),
        (date(2026, 7, 1), date(2026, 9, 30), 3, 0),  # a whole quarter
        (date(2026, 7, 1), date(2026, 7, 1), 0, 1),
    ],
)
def test_calendar_months_then_days(start: date, end: date, months: int, days: int) -> None:
    assert calendar_length(start, end) == SickLeave(months, days)


def test_two_months_29_days_is_not_three_months(rules: BoQuyTac) -> None:
    short = [(date(2026, 3, 2), date(2026, 5, 30))]
    exact = [(date(2026, 3, 2), date(2026, 6, 1))]
    assert not sick_leave(short).reaches(3)
    assert sick_leave(exact).reaches(3)
    assert level(rules, sick_periods=short) == "tot"
    assert level(rules, sick_periods=exact) == "hoan_thanh"
    # month end: 30/11 to 27/02 is exactly 3 months, the day before is not
    assert level(rules, sick_periods=[(date(2026, 11, 30), date(2027, 2, 26))]) == "tot"
    assert level(rules, sick_periods=[(date(2026, 11, 30), date(2027, 2, 27))]) == "hoan_thanh"


@pytest.mark.parametrize(
    ("days", "leave", "capped"),
    [(89, SickLeave(2, 29), False), (90, SickLeave(3, 0), True), (91, SickLeave(3, 1), True)],
)
def test_days_convert_at_30_a_month(rules: BoQuyTac, days: int, leave: SickLeave, capped: bool) -> None:
    assert from_days(days) == leave == sick_leave(days=days)
    assert level(rules, sick_days=days) == ("hoan_thanh" if capped else "tot")


def test_the_conversion_is_the_rule_sets(rules: BoQuyTac) -> None:
    # a ward that counts 31 days a month: 90 days is 2 months 28 days, under the cap
    ward = rules.model_copy(update={"gioi_han": rules.gioi_han.model_copy(update={"ngay_mot_thang": 31})})
    assert level(ward, sick_days=90) == "tot"
    assert level(ward, sick_days=93) == "hoan_thanh"


def test_touching_leaves_are_one_leave_separate_ones_carry_days() -> None:
    # 02/03-31/03 then 01/04-30/05: one leave, 2 months 29 days
    touching = [(date(2026, 4, 1), date(2026, 5, 30)), (date(2026, 3, 2), date(2026, 3, 31))]
    assert sick_leave(touching) == SickLeave(2, 29)
    # a day between them: two leaves, 30 days + 2 months = 3 months (30 days a month)
    apart = [(date(2026, 3, 2), date(2026, 3, 31)), (date(2026, 4, 2), date(2026, 6, 1))]
    assert calendar_length(date(2026, 4, 2), date(2026, 6, 1)) == SickLeave(2, 0)
    assert sick_leave(apart) == SickLeave(3, 0)
    # two separate leaves of 1 month 20 days each: 2 months 40 days = 3 months 10 days
    twice = [(date(2026, 1, 1), date(2026, 2, 20)), (date(2026, 7, 1), date(2026, 8, 20))]
    assert sick_leave(twice) == SickLeave(3, 10)
    # leaves and days together: 1 month 20 days + 15 days = 2 months 5 days
    assert sick_leave([(date(2026, 1, 1), date(2026, 2, 20))], days=15) == SickLeave(2, 5)


def test_old_decimal_months_still_work(rules: BoQuyTac) -> None:
    assert from_months(2.97) == SickLeave(2, 29)
    assert from_months(3) == SickLeave(3, 0)
    assert from_months(Fraction(1, 2)) == SickLeave(0, 15)
    assert level(rules, sick_months=2.97) == "tot"
    assert level(rules, sick_months=3) == "hoan_thanh"
    assert level(rules, sick_months=4) == "hoan_thanh"


def test_the_note_words_months_and_days(rules: BoQuyTac) -> None:
    assert sick_leave_text(SickLeave(2, 29)) == "2 tháng 29 ngày"
    assert sick_leave_text(SickLeave(3, 0)) == "3 tháng"
    assert sick_leave_text(SickLeave(0, 12)) == "12 ngày"
    facts = MemberFacts(
        admitted=date(2000, 1, 1), exempt_since=None, suspended_since=None, score=88,
        proposed=None, tasks=TaskCounts(), sick_days=91,
    )
    out = classify_member(facts, date(2026, 12, 31), rules)
    assert outcome_reasons(out, rules) == [
        "nghỉ ốm 3 tháng 1 ngày (từ 3 tháng trở lên) nên cao nhất là “Hoàn thành nhiệm vụ”"
    ]


# -- the files, the documents ---------------------------------------------------------


def quarter_file(ws: Path, quarter: int) -> Path:
    return ws / "chi-bo" / CELL / "2026" / f"quy-{quarter}.yaml"


def leaves(*spans: tuple[str, str]) -> str:
    lines = ["      nghi_om:\n"]
    for start, end in spans:
        lines += [f"        - tu_ngay: {start}\n", f"          den_ngay: {end}\n"]
    return "".join(lines)


def add_to_entry(path: Path, text: str) -> None:
    """Add ``text`` under the sick member's entry (after ``tu_nhan``)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(f"    - ma: {SICK}\n")
    end = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("      tu_nhan:"))
    lines.insert(end + 1, text)
    path.write_text("".join(lines), encoding="utf-8")


def quarter_note(out: Path) -> str:
    document = docx.Document(str(out / "ngoc-ha" / CELL / "2026" / "bao-cao-quy-3.docx"))
    for table in document.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if NAME in cells:
                return cells[-1]
    raise AssertionError(f"{NAME} not in the report")


def annex_row(out: Path) -> list[str]:
    document = docx.Document(str(out / "ngoc-ha" / CELL / "2026" / "bao-cao-nam.docx"))
    return next([c.text for c in r.cells] for r in document.tables[-1].rows if r.cells[1].text == NAME)


def member_level(result: object) -> str | None:
    return next(m.outcome.level for m in result.members if m.member.ma == SICK)  # type: ignore[attr-defined]


def test_a_leave_of_2_months_29_days_in_the_quarter(sample_ws: Path, tmp_path: Path) -> None:
    edit_yaml(quarter_file(sample_ws, 3), OLD, leaves(("2026-07-01", "2026-09-29")))
    ws = load_workspace(sample_ws)
    assert member_level(evaluate_quarter(ws, CELL, 2026, 3)) == "tot"
    out = tmp_path / "out"
    render_documents(ws, ["bao-cao-quy", "bao-cao-nam"], year=2026, quarter=3, cells=[CELL], output_root=out)
    assert quarter_note(out) == "nghỉ ốm 2 tháng 29 ngày; Điều trị dài ngày tại bệnh viện"
    assert "2,9" not in quarter_note(out)
    # the year, added up from the quarters: the same 2 months 29 days, no cap
    assert member_level(evaluate_year(ws, CELL, 2026)) == "tot"
    assert "ốm" not in annex_row(out)[4]


def test_the_whole_quarter_is_three_months(sample_ws: Path, tmp_path: Path) -> None:
    edit_yaml(quarter_file(sample_ws, 3), OLD, leaves(("2026-07-01", "2026-09-30")))
    ws = load_workspace(sample_ws)
    assert member_level(evaluate_quarter(ws, CELL, 2026, 3)) == "hoan_thanh"
    out = tmp_path / "out"
    render_documents(ws, ["bao-cao-quy"], year=2026, quarter=3, cells=[CELL], output_root=out)
    assert quarter_note(out).startswith(
        "nghỉ ốm 3 tháng (từ 3 tháng trở lên) nên cao nhất là “Hoàn thành nhiệm vụ”;"
    )


def test_leaves_across_a_quarter_end_are_one_in_the_year(sample_ws: Path, tmp_path: Path) -> None:
    # 30/06 in quarter II and 01/07-29/09 in quarter III: one leave 30/06-29/09, and
    # 30/06 + 3 months = 30/09, so exactly 3 months; each quarter alone is under the cap.
    edit_yaml(quarter_file(sample_ws, 3), OLD, leaves(("2026-07-01", "2026-09-29")))
    add_to_entry(quarter_file(sample_ws, 2), leaves(("2026-06-30", "2026-06-30")))
    ws = load_workspace(sample_ws)
    assert member_level(evaluate_quarter(ws, CELL, 2026, 2)) == "tot"
    assert member_level(evaluate_quarter(ws, CELL, 2026, 3)) == "tot"
    assert member_level(evaluate_year(ws, CELL, 2026)) == "hoan_thanh"
    out = tmp_path / "out"
    render_documents(ws, ["bao-cao-nam"], year=2026, cells=[CELL], output_root=out)
    assert annex_row(out)[3:] == ["Hoàn thành", "Nghỉ ốm 3 tháng, cao nhất mức “Hoàn thành”"]


def year_entry(ws: Path, text: str) -> None:
    """Give the sick member an entry in nam.yaml (the sample's lists only dv08) with ``text``."""
    edit_yaml(ws / "chi-bo" / CELL / "2026" / "nam.yaml", "  dang_vien:\n", f"  dang_vien:\n    - ma: {SICK}\n{text}")


def test_the_year_file_overrides_the_quarters(sample_ws: Path) -> None:
    # nam.yaml writes 89 days for the year: the quarters' 3 months are not added
    year_entry(sample_ws, "      nghi_om_ngay: 89\n")
    assert member_level(evaluate_year(load_workspace(sample_ws), CELL, 2026)) == "tot"


def test_old_months_in_the_sample_still_cap(sample_ws: Path) -> None:
    ws = load_workspace(sample_ws)  # the sample writes nghi_om_thang: 3 in quarter III
    assert member_level(evaluate_quarter(ws, CELL, 2026, 3)) == "hoan_thanh"
    assert member_level(evaluate_year(ws, CELL, 2026)) == "hoan_thanh"


def problems(ws: Path) -> str:
    with pytest.raises(InputError) as err:
        check_workspace(load_workspace(ws))
    return str(err.value)


def test_a_leave_outside_the_quarter_is_refused_where_written(sample_ws: Path) -> None:
    edit_yaml(quarter_file(sample_ws, 3), OLD, leaves(("2026-09-15", "2026-10-05")))
    message = problems(sample_ws)
    assert (
        "bao_cao_quy.dang_vien[10].nghi_om[1]: kỳ nghỉ ốm 15/09/2026 - 05/10/2026 không nằm trọn trong "
        "quý III năm 2026 (01/07/2026 - 30/09/2026)"
    ) in message
    assert f"chi-bo/{CELL}/2026/quy-3.yaml:" in message


def test_a_leave_outside_the_year_is_refused(sample_ws: Path) -> None:
    year_entry(sample_ws, leaves(("2026-12-01", "2027-01-10")))
    assert "kỳ nghỉ ốm 01/12/2026 - 10/01/2027 không nằm trọn trong năm 2026" in problems(sample_ws)


def test_a_reversed_leave_is_refused(sample_ws: Path) -> None:
    edit_yaml(quarter_file(sample_ws, 3), OLD, leaves(("2026-08-10", "2026-08-01")))
    assert (
        "bao_cao_quy.dang_vien[10].nghi_om[1]: kỳ nghỉ ốm 10/08/2026 - 01/08/2026: den_ngay trước tu_ngay"
        in problems(sample_ws)
    )


def test_overlapping_leaves_are_refused(sample_ws: Path) -> None:
    edit_yaml(
        quarter_file(sample_ws, 3), OLD,
        leaves(("2026-07-01", "2026-07-20"), ("2026-08-01", "2026-08-05"), ("2026-07-20", "2026-07-25")),
    )
    assert (
        "bao_cao_quy.dang_vien[10]: kỳ nghỉ ốm thứ 3 (20/07/2026 - 25/07/2026) trùng ngày với kỳ thứ 1 "
        "(01/07/2026 - 20/07/2026)"
    ) in problems(sample_ws)


def test_two_ways_in_one_entry_are_refused(sample_ws: Path) -> None:
    edit_yaml(quarter_file(sample_ws, 3), OLD, OLD + "      nghi_om_ngay: 20\n")
    assert (
        "bao_cao_quy.dang_vien[10]: nghỉ ốm chỉ ghi một cách: nghi_om_ngay và nghi_om_thang cùng ghi"
        in problems(sample_ws)
    )


def test_more_leaves_than_days_in_the_quarter_are_refused(sample_ws: Path) -> None:
    """A hostile file's thousands of leaves stop at the model (a quarter has at most 92
    days, a leave lasts one at least), before the pairwise overlap check."""
    spans = [("2026-07-01", "2026-07-01")] * 93
    edit_yaml(quarter_file(sample_ws, 3), OLD, leaves(*spans))
    assert "bao_cao_quy.dang_vien[10].nghi_om: quá nhiều mục (tối đa 92)" in problems(sample_ws)
