"""Probationary members: classified or only reviewed (issue 17, point 6).

Rule set: ``khong_xep_loai.dang_vien_du_bi`` (xep_loai: classified like full members, the
default; chi_kiem_diem: reviewed, no level). Whether a member is probationary is judged on
the date ``khong_xep_loai.tinh_den`` names (rules.evaluation.probationary_on). Also the
roster check of a full member whose recognition date is after the date looked at.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from docgen.documents.wording import REVIEW_ONLY, outcome_reasons
from docgen.docxread import text_dump
from docgen.errors import InputError
from docgen.models.rules import BoQuyTac, KhongXepLoai
from docgen.pipeline import check_workspace, render_documents
from docgen.rules.evaluation import (
    CountedTo,
    MemberFacts,
    classify_member,
    distribution,
    probationary_on,
)
from docgen.rules.tasks import TaskCounts
from docgen.validation import validate
from docgen.workspace import RULES_DIR, load_workspace
from docgen.yamlsource import load_source
from tests.conftest import REPO, edit_yaml

END = date(2026, 12, 31)
MEETING = CountedTo(date(2026, 12, 10), meeting=True)
CELL = "cong-an-phuong"  # two probationary members: Tô Văn Cường, Cao Công Khánh


@pytest.fixture(scope="module")
def rules() -> BoQuyTac:
    return validate(load_source(RULES_DIR / "qd366-2025.yaml"), BoQuyTac)


def switched(rules: BoQuyTac, value: str = "chi_kiem_diem") -> BoQuyTac:
    return rules.model_copy(
        update={"khong_xep_loai": rules.khong_xep_loai.model_copy(update={"dang_vien_du_bi": value})}
    )


def facts(member_type: str, admitted: date, official: date | None = None) -> MemberFacts:
    return MemberFacts(
        admitted=admitted,
        exempt_since=None,
        suspended_since=None,
        score=85,
        proposed=None,
        tasks=TaskCounts(),
        member_type=member_type,
        official=official,
    )


def test_probationary_on_the_day() -> None:
    day = date(2026, 12, 10)
    # listed as probationary: probationary on any day of a period already typed
    assert probationary_on("du_bi", date(2025, 1, 5), None, day)
    # full since a date: probationary before it, full on it
    assert probationary_on("chinh_thuc", date(2025, 12, 1), date(2026, 12, 11), day)
    assert not probationary_on("chinh_thuc", date(2025, 12, 1), date(2026, 12, 10), day)
    # full with no date: the 12 months of probation, to the day
    assert not probationary_on("chinh_thuc", date(2025, 12, 10), None, day)
    assert probationary_on("chinh_thuc", date(2025, 12, 11), None, day)


def test_default_classifies_probationary_members(rules: BoQuyTac) -> None:
    assert rules.khong_xep_loai.dang_vien_du_bi == "xep_loai"
    assert KhongXepLoai().dang_vien_du_bi == "xep_loai"  # a rule set that does not say
    outcome = classify_member(facts("du_bi", date(2026, 1, 5)), END, rules, MEETING)
    assert outcome.level == "tot"


def test_the_switch_reviews_only(rules: BoQuyTac) -> None:
    chosen = switched(rules)
    outcome = classify_member(facts("du_bi", date(2026, 1, 5)), END, chosen, MEETING)
    assert outcome.level is None and outcome.not_classified == "du_bi"
    assert outcome.rule_keys == ("khong_xep_loai.dang_vien_du_bi",)
    assert outcome_reasons(outcome, chosen) == [REVIEW_ONLY]
    assert REVIEW_ONLY == "đảng viên dự bị: chỉ kiểm điểm, không xếp loại"
    # a newcomer under 6 months keeps the 6-month reason, the stronger one
    newcomer = classify_member(facts("du_bi", date(2026, 7, 1)), END, chosen, MEETING)
    assert newcomer.not_classified == "moi"
    # counted with the not classified, not with the exempted
    dist = distribution([outcome, classify_member(facts("chinh_thuc", date(2000, 1, 1)), END, chosen, MEETING)])
    assert (dist.total, dist.exempt, dist.not_classified, dist.rated) == (2, 0, 1, 1)


def test_probation_ending_during_the_year(rules: BoQuyTac) -> None:
    # recognised before (or on) the meeting: a full member at the review, classified;
    # recognised after it: still probationary at the review, not classified
    chosen = switched(rules)
    before = facts("chinh_thuc", date(2025, 12, 1), official=date(2026, 12, 10))
    after = facts("chinh_thuc", date(2025, 12, 1), official=date(2026, 12, 11))
    assert classify_member(before, END, chosen, MEETING).level == "tot"
    assert classify_member(after, END, chosen, MEETING).not_classified == "du_bi"
    # counted to the end of the year (tinh_den: cuoi_ky), the same member is full
    assert classify_member(after, END, chosen, CountedTo(END)).level == "tot"


def test_a_bad_value_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", path)
    edit_yaml(path, "dang_vien_du_bi: xep_loai", "dang_vien_du_bi: khong")
    with pytest.raises(InputError) as err:
        validate(load_source(path), BoQuyTac)
    message = str(err.value)
    assert "khong_xep_loai.dang_vien_du_bi" in message and "'xep_loai', 'chi_kiem_diem'" in message


def use_switch(ws: Path, value: str = "chi_kiem_diem") -> None:
    rules = ws / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", rules)
    edit_yaml(rules, "dang_vien_du_bi: xep_loai", f"dang_vien_du_bi: {value}")
    edit_yaml(ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")


def dump(out: Path, name: str) -> str:
    return text_dump(out / "ngoc-ha" / CELL / "2026" / name)


def test_every_document_that_classifies_follows_the_switch(sample_ws: Path, tmp_path: Path) -> None:
    use_switch(sample_ws)
    out = tmp_path / "out"
    ws = load_workspace(sample_ws)
    render_documents(ws, ["bao-cao-nam", "bien-ban"], year=2026, cells=[CELL], output_root=out)
    render_documents(ws, ["bao-cao-quy"], year=2026, quarter=4, cells=[CELL], output_root=out)
    annual = dump(out, "bao-cao-nam.docx")
    # the annex: no score, no level, the reason
    assert "> 9 | Tô Văn Cường |  | Không xếp loại | Đảng viên dự bị: chỉ kiểm điểm, không xếp loại" in annual
    assert "> 10 | Cao Công Khánh |  | Không xếp loại | Đảng viên dự bị: chỉ kiểm điểm, không xếp loại" in annual
    # the summary table: 10 members, 2 not classified, 8 rated
    assert "<bảng hàng 2> 10 | 0 | 2 | 8 | 0 (0,0%) | 7 (87,5%) | 0 (0,0%) | 1 (12,5%)" in annual
    assert "[NoiDung] Đảng viên dự bị: 2, chỉ kiểm điểm, không xếp loại." in annual
    quarter = dump(out, "bao-cao-quy-4.docx")
    assert "Tô Văn Cường | 26 | 53 | 79 | Tốt | Không xếp loại | đảng viên dự bị: chỉ kiểm điểm, không xếp loại" in quarter
    minutes = dump(out, "bien-ban-nam.docx")
    assert "Mức xếp loại của 8 đồng chí đảng viên" in minutes
    assert "- Đồng chí Tô Văn Cường, Cao Công Khánh là đảng viên dự bị: chỉ kiểm điểm, không xếp loại." in minutes
    assert "| Tô Văn Cường |" not in minutes  # not in the table of levels voted on


def test_by_default_the_documents_classify_them(sample_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_documents(load_workspace(sample_ws), ["bao-cao-nam", "bien-ban"], year=2026, cells=[CELL], output_root=out)
    annual = dump(out, "bao-cao-nam.docx")
    assert "> 9 | Tô Văn Cường | 79,8 | Tốt | Đảng viên dự bị" in annual
    assert "[NoiDung] Đảng viên dự bị: 2; được xếp loại 2 (" in annual
    assert "chỉ kiểm điểm" not in dump(out, "bien-ban-nam.docx")


ROSTER = "chi-bo/co-quan-phuong/dang-vien.yaml"
GIANG = "    loai_dang_vien: du_bi\n    ngay_vao_dang: 2025-12-28\n"


def test_the_sample_is_consistent(sample_ws: Path) -> None:
    # Vũ Phương Giang (admitted 28/12/2025) is probationary through the year 2026; the
    # cell's latest document is dated 28/12/2026, the day her 12 months end.
    assert GIANG in (sample_ws / ROSTER).read_text(encoding="utf-8")
    report = check_workspace(load_workspace(sample_ws))
    assert not [w for w in report.warnings if "Vũ Phương Giang" in w]


@pytest.mark.parametrize(("official", "warned"), [("2026-12-28", False), ("2026-12-29", True)])
def test_a_full_member_recognised_after_the_day_is_warned(sample_ws: Path, official: str, warned: bool) -> None:
    edit_yaml(
        sample_ws / ROSTER,
        GIANG,
        f"    loai_dang_vien: chinh_thuc\n    ngay_vao_dang: 2025-12-28\n    ngay_chinh_thuc: {official}\n",
    )
    report = check_workspace(load_workspace(sample_ws))
    found = [w for w in report.warnings if "Vũ Phương Giang" in w]
    if not warned:
        assert found == []
        return
    assert len(found) == 1
    warning = found[0]
    line = next(
        i for i, text in enumerate((sample_ws / ROSTER).read_text(encoding="utf-8").splitlines(), 1)
        if text.strip() == f"ngay_chinh_thuc: {official}"
    )
    assert f"{ROSTER}:{line}:" in warning
    assert "dang_vien[12].ngay_chinh_thuc" in warning
    assert "ghi đảng viên chính thức nhưng ngày chính thức 29/12/2026 sau ngày 28/12/2026 đang xét" in warning


def test_the_quarterly_report_splits_members_on_its_meeting_date(sample_ws: Path, tmp_path: Path) -> None:
    """Phan Hải Thoa (cong-an-phuong dv03, chinh_thuc, recognised 19/07/2026) is counted
    probationary in quarter II and full in quarter III; nobody else changes between them."""
    ws = load_workspace(sample_ws)
    lines = {}
    for quarter in (2, 3):
        render_documents(
            ws, "bao-cao-quy", year=2026, quarter=quarter, cells=["cong-an-phuong"], output_root=tmp_path, draft=True
        )
        [path] = (tmp_path / "ngoc-ha/cong-an-phuong/2026").glob(f"bao-cao-quy-{quarter}*.docx")
        lines[quarter] = next(line for line in text_dump(path).splitlines() if "Chi bộ có" in line)
    assert "Chi bộ có 10 đảng viên (7 chính thức, 3 dự bị)" in lines[2]
    assert "Chi bộ có 10 đảng viên (8 chính thức, 2 dự bị)" in lines[3]
