"""The "admitted less than 6 months" rule and the date it counts to (issue 17, point 4).

Rule set: ``khong_xep_loai.tinh_den`` (ngay_hop: the cell's review meeting of the
period, else the end of the period; cuoi_ky: the end of the period).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import docx
import pytest

from docgen.documents.wording import outcome_reasons
from docgen.errors import InputError
from docgen.models.rules import BoQuyTac, KhongXepLoai
from docgen.pipeline import render_documents
from docgen.rules.evaluation import (
    CountedTo,
    MemberFacts,
    classify_member,
    count_to,
    not_classified_reason,
)
from docgen.rules.tasks import TaskCounts
from docgen.validation import validate
from docgen.workspace import RULES_DIR, load_workspace
from docgen.yamlsource import load_source
from tests.conftest import REPO, edit_yaml

END = date(2026, 12, 31)
MEETING = date(2026, 12, 18)


@pytest.fixture(scope="module")
def rules() -> BoQuyTac:
    return validate(load_source(RULES_DIR / "qd366-2025.yaml"), BoQuyTac)


def setting(rules: BoQuyTac, value: str) -> BoQuyTac:
    return rules.model_copy(
        update={"khong_xep_loai": rules.khong_xep_loai.model_copy(update={"tinh_den": value})}
    )


def facts(admitted: date) -> MemberFacts:
    return MemberFacts(
        admitted=admitted, exempt_since=None, suspended_since=None, score=85, proposed=None, tasks=TaskCounts()
    )


def level(rules: BoQuyTac, admitted: date, meeting: date | None = MEETING, end: date = END) -> str | None:
    return classify_member(facts(admitted), end, rules, count_to(rules, meeting, end)).level


def test_the_rule_set_counts_to_the_meeting_by_default(rules: BoQuyTac) -> None:
    assert rules.khong_xep_loai.tinh_den == "ngay_hop"
    assert KhongXepLoai().tinh_den == "ngay_hop"  # a rule set that does not say


def test_the_issue_case(rules: BoQuyTac) -> None:
    # admitted 19/06/2026, reviewed 18/12/2026: 5 months 29 days at the meeting
    admitted = date(2026, 6, 19)
    assert level(setting(rules, "ngay_hop"), admitted) is None
    assert level(setting(rules, "cuoi_ky"), admitted) == "tot"
    assert level(rules, admitted) is None  # the default


def test_the_note_names_the_date_used(rules: BoQuyTac) -> None:
    admitted = facts(date(2026, 6, 19))
    at_meeting = classify_member(admitted, END, rules, count_to(rules, MEETING, END))
    assert outcome_reasons(at_meeting, rules) == [
        "vào Đảng chưa đủ 6 tháng tính đến ngày họp 18/12/2026, chỉ kiểm điểm"
    ]
    late = facts(date(2026, 7, 2))
    at_end = classify_member(late, END, setting(rules, "cuoi_ky"), count_to(setting(rules, "cuoi_ky"), MEETING, END))
    assert outcome_reasons(at_end, rules) == [
        "vào Đảng chưa đủ 6 tháng tính đến ngày 31/12/2026 (cuối kỳ), chỉ kiểm điểm"
    ]


@pytest.mark.parametrize(
    ("value", "end", "enough", "short"),
    [
        ("ngay_hop", END, date(2026, 6, 18), date(2026, 6, 19)),  # meeting 18/12/2026
        ("cuoi_ky", date(2026, 9, 30), date(2026, 3, 30), date(2026, 4, 1)),  # quarter III
    ],
)
def test_exactly_six_months_to_the_day_is_enough(
    rules: BoQuyTac, value: str, end: date, enough: date, short: date
) -> None:
    chosen = setting(rules, value)
    assert level(chosen, enough, end=end) == "tot"
    assert level(chosen, short, end=end) is None


def test_month_end_admission(rules: BoQuyTac) -> None:
    # 31/08 + 6 months = 28/02 (no 31/02): 6 months on 28/02, not before
    admitted, end = date(2026, 8, 31), date(2027, 3, 31)
    assert level(rules, admitted, date(2027, 2, 28), end) == "tot"
    assert level(rules, admitted, date(2027, 2, 27), end) is None


def test_no_meeting_known_counts_to_the_end_of_the_period(rules: BoQuyTac) -> None:
    assert count_to(rules, None, END) == CountedTo(END, meeting=False)
    assert count_to(rules, MEETING, END) == CountedTo(MEETING, meeting=True)
    assert count_to(setting(rules, "cuoi_ky"), MEETING, END) == CountedTo(END, meeting=False)
    assert level(rules, date(2026, 6, 19), meeting=None) == "tot"
    # and without the argument at all, the rule counts to the end as before
    assert not_classified_reason(facts(date(2026, 6, 19)), END, rules) is None


def test_a_bad_value_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", path)
    edit_yaml(path, "tinh_den: ngay_hop", "tinh_den: ngay_ky")
    with pytest.raises(InputError) as err:
        validate(load_source(path), BoQuyTac)
    message = str(err.value)
    assert "khong_xep_loai.tinh_den" in message and "'ngay_hop', 'cuoi_ky'" in message


def annex_note(out: Path, name: str) -> str:
    document = docx.Document(str(out / "ngoc-ha/truong-tieu-hoc-hoa-sua/2026/bao-cao-nam.docx"))
    return next(r.cells[4].text for r in document.tables[-1].rows if r.cells[1].text == name)


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("ngay_hop", "Vào Đảng chưa đủ 6 tháng tính đến ngày họp 03/08/2026, chỉ kiểm điểm"),
        ("cuoi_ky", "Đảng viên dự bị"),
    ],
)
def test_the_annual_report_follows_the_setting(sample_ws: Path, tmp_path: Path, value: str, note: str) -> None:
    # Lương Thị Ngân: admitted 15/02/2026; the school cell's year-end meeting (school year
    # 2025-2026) is on 03/08/2026.
    rules = sample_ws / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", rules)
    edit_yaml(rules, "tinh_den: ngay_hop", f"tinh_den: {value}")
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")
    out = tmp_path / "out"
    render_documents(load_workspace(sample_ws), "bao-cao-nam", year=2026, cells=["truong-tieu-hoc-hoa-sua"], output_root=out)
    assert annex_note(out, "Lương Thị Ngân").startswith(note)
