"""The evaluation rules (shared/reference/evaluation-rules.md), each with its reason."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from docgen.documents.wording import (
    criterion_reason,
    dues_figure,
    outcome_reasons,
    quota_text,
    tasks_figure,
)
from docgen.models.rules import BoQuyTac
from docgen.rules.bon_tot import QuarterFacts, judge
from docgen.rules.evaluation import (
    CellFacts,
    MemberFacts,
    Outcome,
    classify_cell,
    classify_member,
    distribution,
    quota,
    score_band,
)
from docgen.rules.share import Share
from docgen.rules.tasks import TaskCounts
from docgen.validation import validate
from docgen.workspace import RULES_DIR
from docgen.yamlsource import load_source

END = date(2026, 12, 31)


@pytest.fixture(scope="module")
def rules() -> BoQuyTac:
    return validate(load_source(RULES_DIR / "qd366-2025.yaml"), BoQuyTac)


def with_changes(rules: BoQuyTac, **changes: object) -> BoQuyTac:
    data = rules.model_dump()
    for dotted, value in changes.items():
        node = data
        *path, last = dotted.split("__")
        for key in path:
            node = node[key]
        node[last] = value
    return BoQuyTac.model_validate(data)


def said(out: Outcome, rules: BoQuyTac) -> tuple[str, ...]:
    """The outcome's reasons as the documents word them (docgen/documents/wording.py)."""
    return tuple(outcome_reasons(out, rules))


def member(score: float | None, *, tasks=(10, 10, 10, 0, 0), admitted=date(2010, 1, 1), **kw) -> MemberFacts:
    assigned, done, on_time, late, exceeded = tasks
    return MemberFacts(
        admitted=admitted,
        exempt_since=kw.get("exempt_since"),
        suspended_since=kw.get("suspended_since"),
        score=score,
        proposed=kw.get("proposed"),
        tasks=TaskCounts(assigned, done, on_time, late, exceeded),
        disciplined=kw.get("disciplined", ()),
        sick_months=kw.get("sick_months", 0),
    )


# -------------------------------------------------------------- §6 reference cases


def test_case_1_excellent_candidate(rules: BoQuyTac) -> None:
    out = classify_member(member(92, tasks=(20, 20, 20, 0, 7)), END, rules)
    assert (out.level, out.reasons) == ("xuat_sac", ())


def test_case_2_disciplined_member_is_forced_down(rules: BoQuyTac) -> None:
    out = classify_member(member(92, tasks=(20, 20, 20, 0, 7), disciplined=[("khien_trach", False)]), END, rules)
    assert out.level == "khong_hoan_thanh"
    assert said(out, rules) == ("bị kỷ luật (khiển trách) trong kỳ nên xếp “Không hoàn thành nhiệm vụ”",)


@pytest.mark.parametrize(
    ("score", "tasks", "level"),
    [
        (75, (4, 4, 4, 0, 0), "tot"),
        (65, (4, 4, 3, 1, 0), "hoan_thanh"),
        (45, (4, 4, 4, 0, 0), "khong_hoan_thanh"),
        (90, (4, 4, 4, 0, 2), "xuat_sac"),
        (89.5, (4, 4, 4, 0, 2), "tot"),
        (70, (4, 4, 4, 0, 0), "tot"),
        (69.9, (4, 4, 4, 0, 0), "hoan_thanh"),
        (50, (4, 4, 4, 0, 0), "hoan_thanh"),
    ],
)
def test_case_3_score_bands(rules: BoQuyTac, score: float, tasks: tuple, level: str) -> None:
    assert classify_member(member(score, tasks=tasks), END, rules).level == level


def test_case_4_long_sick_leave_caps_at_hoan_thanh(rules: BoQuyTac) -> None:
    out = classify_member(member(88, sick_months=4), END, rules)
    assert out.level == "hoan_thanh"
    assert said(out, rules) == (
        "nghỉ ốm 4 tháng (từ 3 tháng trở lên) nên cao nhất là “Hoàn thành nhiệm vụ”",
    )


def test_case_5_admitted_three_months_ago_is_not_classified(rules: BoQuyTac) -> None:
    out = classify_member(member(85, admitted=date(2026, 9, 30)), END, rules)
    assert (out.level, out.not_classified) == (None, "moi")
    assert said(out, rules) == ("vào Đảng chưa đủ 6 tháng tính đến ngày 31/12/2026 (cuối kỳ), chỉ kiểm điểm",)
    # six months to the day: classified
    assert classify_member(member(85, admitted=date(2026, 6, 30)), END, rules).level == "tot"


def test_case_6_cell_with_a_disciplined_committee_member_is_not_excellent(rules: BoQuyTac) -> None:
    facts = CellFacts(
        score=93,
        proposed=None,
        tasks=TaskCounts(10, 10, 10, 0, 3),
        disunity=False,
        leadership_disciplined=True,
        committee_disciplined=False,
        members_rated=20,
        members_disciplined=1,
    )
    out = classify_cell(facts, rules)
    assert out.level == "tot"
    assert said(out, rules) == (
        "không đạt điều kiện mức “Hoàn thành xuất sắc nhiệm vụ”: có chi ủy viên bị kỷ luật; "
        "xếp mức “Hoàn thành tốt nhiệm vụ”",
    )


@pytest.mark.parametrize(("n_tot", "cap"), [(18, 3), (4, 0), (5, 1), (0, 0), (14, 2), (15, 3)])
def test_case_7_quota_floor_of_20_percent(rules: BoQuyTac, n_tot: int, cap: int) -> None:
    assert quota(["tot"] * n_tot + ["hoan_thanh"] * 3, rules).cap == cap


def test_case_8_complaint_letter_vetoes_criterion_3(rules: BoQuyTac) -> None:
    facts = QuarterFacts(TaskCounts(5, 5, 5, 0, 0), 3, 3, 1, Fraction(95), 1, 0, 0, 20, 20)
    verdicts = judge(facts, rules.bon_tot)
    assert [v.met for v in verdicts] == [True, True, False, True]
    assert criterion_reason(verdicts[2], rules) == "có 1 đơn thư khiếu nại, tố cáo"


# -------------------------------------------------------------- §1.3 to §1.5 details


def test_conditions_drop_to_the_highest_level_that_holds(rules: BoQuyTac) -> None:
    out = classify_member(member(95, tasks=(4, 4, 3, 1, 2)), END, rules)
    assert out.level == "hoan_thanh"
    assert said(out, rules) == (
        "không đạt điều kiện mức “Hoàn thành xuất sắc nhiệm vụ”: cần 100% nhiệm vụ đúng hạn, "
        "đạt 3/4 = 75,0%; xếp mức “Hoàn thành tốt nhiệm vụ”",
        "không đạt điều kiện mức “Hoàn thành tốt nhiệm vụ”: cần 100% nhiệm vụ đúng hạn, "
        "đạt 3/4 = 75,0%; xếp mức “Hoàn thành nhiệm vụ”",
    )


def test_excellent_needs_30_percent_exceeded(rules: BoQuyTac) -> None:
    out = classify_member(member(95, tasks=(10, 10, 10, 0, 2)), END, rules)
    assert out.level == "tot"
    assert "cần ít nhất 30% nhiệm vụ vượt mức, đạt 2/10 = 20,0%" in said(out, rules)[0]


def test_no_task_due_means_no_excellent(rules: BoQuyTac) -> None:
    assert classify_member(member(95, tasks=(0, 0, 0, 0, 0)), END, rules).level == "tot"


def test_unfinished_task_fails_hoan_thanh(rules: BoQuyTac) -> None:
    out = classify_member(member(60, tasks=(4, 3, 3, 1, 0)), END, rules)
    assert out.level == "khong_hoan_thanh"
    assert "cần 100% nhiệm vụ hoàn thành, đạt 3/4 = 75,0%" in said(out, rules)[0]


def test_self_detected_violation_is_not_a_trigger(rules: BoQuyTac) -> None:
    out = classify_member(member(80, disciplined=[("khien_trach", True)]), END, rules)
    assert out.level == "tot"
    strict = with_changes(rules, buoc_khong_hoan_thanh__ca_nhan__tru_khi_tu_phat_hien_khac_phuc=False)
    assert classify_member(member(80, disciplined=[("khien_trach", True)]), END, strict).level == (
        "khong_hoan_thanh"
    )


def test_exempted_and_suspended_are_not_classified(rules: BoQuyTac) -> None:
    exempt = classify_member(member(None, exempt_since=date(2024, 1, 1)), END, rules)
    assert (exempt.level, exempt.not_classified, said(exempt, rules)) == (None, "mien", ("miễn sinh hoạt đảng",))
    suspended = classify_member(member(None, suspended_since=date(2026, 5, 1)), END, rules)
    assert (suspended.not_classified, said(suspended, rules)) == ("dinh_chi", ("đình chỉ sinh hoạt đảng",))
    later = classify_member(member(80, exempt_since=date(2027, 1, 1)), END, rules)
    assert later.level == "tot"


def test_proposal_lower_than_allowed_is_kept(rules: BoQuyTac) -> None:
    out = classify_member(member(92, tasks=(3, 3, 3, 0, 1), proposed="tot"), END, rules)
    assert (out.level, out.allowed, out.over_allowed) == ("tot", "xuat_sac", False)


def test_proposal_higher_than_allowed_is_lowered_with_a_reason(rules: BoQuyTac) -> None:
    out = classify_member(member(80, proposed="xuat_sac"), END, rules)
    assert (out.level, out.over_allowed) == ("tot", True)
    assert said(out, rules)[-1] == (
        "đề nghị “Hoàn thành xuất sắc nhiệm vụ” cao hơn mức quy định cho phép “Hoàn thành tốt nhiệm vụ”"
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"disunity": True}, "có kết luận mất đoàn kết nội bộ nên xếp “Không hoàn thành nhiệm vụ”"),
        ({"committee_disciplined": True}, "tập thể chi ủy bị kỷ luật nên xếp “Không hoàn thành nhiệm vụ”"),
        (
            {"members_disciplined": 5},
            "hơn 20% đảng viên bị kỷ luật 5/20 nên xếp “Không hoàn thành nhiệm vụ”",
        ),
    ],
)
def test_cell_triggers(rules: BoQuyTac, changes: dict, expected: str) -> None:
    base = dict(
        score=85,
        proposed=None,
        tasks=TaskCounts(10, 10, 10, 0, 0),
        disunity=False,
        leadership_disciplined=False,
        committee_disciplined=False,
        members_rated=20,
        members_disciplined=0,
    )
    out = classify_cell(CellFacts(**{**base, **changes}), rules)
    assert (out.level, said(out, rules)[-1]) == ("khong_hoan_thanh", expected)


def test_cell_late_tasks_over_20_percent_fail_hoan_thanh(rules: BoQuyTac) -> None:
    facts = CellFacts(60, None, TaskCounts(10, 10, 7, 3, 0), False, False, False, 20, 0)
    out = classify_cell(facts, rules)
    assert out.level == "khong_hoan_thanh"
    assert "nhiệm vụ chậm không quá 20%, thực tế 3/10 = 30,0%" in said(out, rules)[-1]
    ok = CellFacts(60, None, TaskCounts(10, 10, 8, 2, 0), False, False, False, 20, 0)
    assert classify_cell(ok, rules).level == "hoan_thanh"


@pytest.mark.parametrize(
    ("base", "rounding", "levels", "cap"),
    [
        ("tot", "xuong", ["tot"] * 18, 3),
        ("tot", "len", ["tot"] * 18, 4),
        ("tot", "gan_nhat", ["tot"] * 17, 3),  # 3.4
        ("tot", "gan_nhat", ["tot"] * 18, 4),  # 3.6
        ("tot_tro_len", "xuong", ["tot"] * 12 + ["xuat_sac"] * 6, 3),
        ("tot", "xuong", ["tot"] * 12 + ["xuat_sac"] * 6, 2),
    ],
)
def test_quota_base_and_rounding_are_configurable(
    rules: BoQuyTac, base: str, rounding: str, levels: list[str], cap: int
) -> None:
    changed = with_changes(rules, han_muc_xuat_sac__co_so=base, han_muc_xuat_sac__lam_tron=rounding)
    assert quota(levels, changed).cap == cap


def test_quota_counts_proposals(rules: BoQuyTac) -> None:
    q = quota(["xuat_sac"] * 6 + ["tot"] * 18 + ["hoan_thanh"] * 5 + [None] * 3, rules)
    assert (q.cap, q.base, q.proposed, q.exceeded) == (3, 18, 6, True)
    assert quota_text(q, rules) == (
        "hạn mức “Hoàn thành xuất sắc” là 3 (20% của 18 đảng viên xếp mức “Hoàn thành tốt nhiệm vụ”)"
    )


def test_distribution_adds_up_to_100(rules: BoQuyTac) -> None:
    outcomes = [
        classify_member(member(s, tasks=(1, 1, 1, 0, 1)), END, rules) for s in (95, 80, 60)
    ] + [classify_member(member(None, exempt_since=date(2020, 1, 1)), END, rules)]
    d = distribution(outcomes)
    assert (d.total, d.exempt, d.rated) == (4, 1, 3)
    assert d.percents == {
        "xuat_sac": "33,4%",
        "tot": "33,3%",
        "hoan_thanh": "33,3%",
        "khong_hoan_thanh": "0,0%",
    }


@pytest.mark.parametrize(
    ("facts", "verdicts"),
    [
        # a quarter that meets all four
        (QuarterFacts(TaskCounts(10, 10, 10, 0, 0), 3, 3, 1, Fraction(90), 0, 0, 0, 20, 20), [True] * 4),
        # 8/10 tasks done < 90%
        (QuarterFacts(TaskCounts(10, 8, 8, 2, 0), 3, 3, 1, Fraction(90), 0, 0, 0, 20, 20), [False, True, True, True]),
        # a missed regular meeting, no thematic meeting, attendance 79,9%
        (QuarterFacts(TaskCounts(0, 0, 0, 0, 0), 3, 2, 0, Fraction(799, 10), 0, 0, 0, 20, 20), [True, False, True, True]),
        # disunity
        (QuarterFacts(TaskCounts(0, 0, 0, 0, 0), 3, 3, 1, Fraction(90), 0, 1, 0, 20, 20), [True, True, False, True]),
        # a disciplined member; dues short
        (QuarterFacts(TaskCounts(0, 0, 0, 0, 0), 3, 3, 1, Fraction(90), 0, 0, 1, 20, 19), [True, True, True, False]),
    ],
)
def test_four_criteria(rules: BoQuyTac, facts: QuarterFacts, verdicts: list[bool]) -> None:
    assert [v.met for v in judge(facts, rules.bon_tot)] == verdicts


def test_criterion_reasons(rules: BoQuyTac) -> None:
    facts = QuarterFacts(TaskCounts(10, 8, 8, 2, 0), 3, 2, 0, Fraction(799, 10), 1, 1, 2, 20, 19)
    assert [criterion_reason(v, rules) for v in judge(facts, rules.bon_tot)] == [
        "hoàn thành 8/10 nhiệm vụ đến hạn, đạt 80,0%, yêu cầu từ 90%",
        "thiếu 1 buổi sinh hoạt thường kỳ; cần ít nhất 1 buổi sinh hoạt chuyên đề; "
        "tỷ lệ dự sinh hoạt dưới 80%",
        "có 1 đơn thư khiếu nại, tố cáo; xảy ra mất đoàn kết nội bộ",
        "có 2 đảng viên bị kỷ luật; đóng đảng phí 19/20 = 95,0%, yêu cầu 100%",
    ]


def test_score_band_reads_the_rule_set(rules: BoQuyTac) -> None:
    bands = rules.model_dump()["muc_xep_loai"]
    bands[0]["diem_toi_thieu"] = 95
    changed = BoQuyTac.model_validate({**rules.model_dump(), "muc_xep_loai": bands})
    assert score_band(92, rules) == "xuat_sac"
    assert score_band(92, changed) == "tot"


# -------------------------------------------------------------- reasons are data, 0 of 0


def test_reasons_are_codes_with_figures_and_rule_keys(rules: BoQuyTac) -> None:
    out = classify_member(member(92, tasks=(20, 20, 20, 0, 7), disciplined=[("khien_trach", False)]), END, rules)
    (reason,) = out.reasons
    assert (reason.code, dict(reason.params), reason.key) == (
        "disciplined",
        {"forms": ("khien_trach",), "forced": True},
        "buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky",
    )
    assert out.rule_keys == ("buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky",)


def test_rules_hold_no_vietnamese_wording() -> None:
    """docgen/rules/ returns numbers and reason codes; the words are in documents/wording.py."""
    import ast

    import docgen.rules

    folder = Path(docgen.rules.__file__).parent
    found = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        found += [
            f"{path.name}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and any(ord(ch) > 127 for ch in node.value)
        ]
    assert found == []


def test_zero_of_zero_is_decided_once() -> None:
    nothing = Share(0, 0)
    assert (nothing.empty, nothing.percent) == (True, None)
    assert nothing.at_least(100) and nothing.at_most(0)  # nothing owed was left undone
    assert not nothing.surplus_at_least(30) and nothing.surplus_at_least(0)  # nothing was exceeded
    assert (Share(19, 20).percent, Share(19, 20).at_least(100), Share(1, 10).at_most(20)) == (95, False, True)


def test_no_task_due_reads_as_such_in_figure_and_verdict(rules: BoQuyTac) -> None:
    none_due = TaskCounts(0, 0, 0, 0, 0)
    facts = QuarterFacts(none_due, 3, 3, 1, Fraction(90), 0, 0, 0, 0, 0)
    lanh_dao, _, _, dang_vien = judge(facts, rules.bon_tot)
    assert tasks_figure(none_due, "quý") == "Nhiệm vụ đến hạn trong quý: không có."
    assert (lanh_dao.met, criterion_reason(lanh_dao, rules)) == (True, "không có nhiệm vụ đến hạn trong quý")
    # nobody had to pay dues: the figure and the verdict agree, and the criterion holds
    assert dues_figure(Share(0, 0)) == "đóng đảng phí: không có đồng chí phải đóng"
    assert (dang_vien.met, criterion_reason(dang_vien, rules)) == (
        True,
        "không có đảng viên bị kỷ luật; không có đồng chí phải đóng đảng phí",
    )
    assert dues_figure(Share(19, 20)) == "đóng đảng phí: 19/20 đồng chí (95,0%)"


def test_no_task_due_is_worded_in_the_excellent_condition(rules: BoQuyTac) -> None:
    out = classify_member(member(95, tasks=(0, 0, 0, 0, 0)), END, rules)
    assert said(out, rules) == (
        "không đạt điều kiện mức “Hoàn thành xuất sắc nhiệm vụ”: cần ít nhất 30% nhiệm vụ vượt mức, "
        "không có nhiệm vụ đến hạn; xếp mức “Hoàn thành tốt nhiệm vụ”",
    )


def test_cell_with_no_member_rated_is_not_forced_by_the_discipline_share(rules: BoQuyTac) -> None:
    facts = CellFacts(85, None, TaskCounts(10, 10, 10, 0, 0), False, False, False, 0, 0)
    assert classify_cell(facts, rules).level == "tot"
