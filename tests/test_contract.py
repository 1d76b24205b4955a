"""The contract is the truth about template variables: the built-in templates and
the kinds' contexts agree with it, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.contract import CONTRACTS, context_problems
from docgen.documents import KIND_NAMES, get_kind
from docgen.templates import BUILTIN_DIR
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE, SAMPLE_CELLS


def template_paths(path: Path) -> list[str]:
    """Data paths a template reads, as docxtpl-lint infers them (``bang[].ho_ten``)."""
    from docxtpl_lint import lint

    return lint(str(path)).variables


def test_every_builtin_template_has_a_contract_and_back() -> None:
    assert {p.name for p in BUILTIN_DIR.glob("*.docx")} == set(CONTRACTS)


@pytest.mark.parametrize("kind", sorted(KIND_NAMES))
def test_contract_kinds_match_the_kinds_templates(kind: str) -> None:
    declared = {c.file for c in CONTRACTS.values() if c.kind == kind}
    assert declared == set(get_kind(kind).templates)


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_builtin_template_uses_only_declared_names(name: str) -> None:
    contract = CONTRACTS[name]
    used = template_paths(BUILTIN_DIR / name)
    assert used, "the analysis found no variable at all"
    undeclared = {p: contract.lookup(p)[1] for p in used if contract.lookup(p)[1]}
    assert undeclared == {}


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_builtin_template_uses_every_required_name(name: str) -> None:
    used = set(template_paths(BUILTIN_DIR / name))
    used |= {p.split(".", 1)[0] for p in used if "." in p}  # a group is used through its fields
    contract = CONTRACTS[name]
    missing = [
        p for p in contract.required_paths()
        if p not in used and not ((v := contract.var(p)) and v.alternative in used)
    ]
    assert missing == []


def test_lookup_names_the_first_wrong_segment() -> None:
    c = CONTRACTS["phan-cong-thong-bao.docx"]
    assert c.lookup("bang[].ho_ten")[0] is c.var("bang").field_named("ho_ten")  # type: ignore[union-attr]
    assert c.lookup("bang[].ho_tn") == (None, "truong:bang:ho_tn")
    assert c.lookup("so_ky_hieuu") == (None, "bien:so_ky_hieuu")
    assert c.lookup("bang.ho_ten") == (None, "cham:bang")
    assert c.lookup("nam[]") == (None, "lap:nam")
    assert c.lookup("can_cu[]")[1] is None
    assert c.lookup("can_cu[].x") == (None, "cham:can_cu")
    q = CONTRACTS["tong-hop-quy.docx"]
    assert q.lookup("tong.xuat_sac")[1] is None
    assert q.lookup("tong.xuat") == (None, "truong:tong:xuat")
    assert q.lookup("tong[]") == (None, "lap:tong")


def _contexts() -> list[tuple[str, str, dict]]:
    ws = load_workspace(SAMPLE)
    out = []
    for kind_name in sorted(KIND_NAMES):
        kind = get_kind(kind_name)
        quy = 3 if kind.needs_quarter else None
        if kind.scope == "dang_bo":
            out += [(item.template, "", item.context) for item in kind.prepare(ws, None, 2026, quy)]
            continue
        for cell_id in SAMPLE_CELLS:
            for item in kind.prepare(ws, ws.load_cell(cell_id), 2026, quy):
                out.append((item.template, cell_id, item.context))
    return out


def test_every_kind_context_provides_exactly_the_contract() -> None:
    seen = set()
    for template, cell, context in _contexts():
        seen.add(template)
        assert context_problems(CONTRACTS[template], context) == [], (template, cell)
    # the sample data exercises every template (notice and resolution)
    assert seen == set(CONTRACTS)


def test_context_problems_are_reported() -> None:
    contract = CONTRACTS["phan-cong-thong-bao.docx"]
    context = contract.sample_context()
    del context["nam"]
    context["them"] = "x"
    context["so_nhiem_vu"] = "30"
    context["bang"][0].pop("ghi_chu")
    problems = context_problems(contract, context)
    assert problems[0] == "them: in the context but not in the contract of phan-cong-thong-bao.docx"
    assert problems[1] == "nam: in the contract of phan-cong-thong-bao.docx but not in the context"
    assert any(p.startswith("so_nhiem_vu: expected so") for p in problems)
    assert any(p.startswith("bang[0]: keys") for p in problems)


def test_sample_context_satisfies_its_own_contract() -> None:
    for contract in CONTRACTS.values():
        assert context_problems(contract, contract.sample_context()) == []


def test_docs_templates_md_is_generated_from_the_contract() -> None:
    from docgen.guide import guide_markdown
    from tests.conftest import REPO

    committed = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    assert committed == guide_markdown(), "run: python tools/gen_template_docs.py"


def test_guide_lists_every_declared_name_and_filter() -> None:
    from docgen.contract import FILTERS
    from docgen.guide import guide_markdown

    text = guide_markdown()
    for contract in CONTRACTS.values():
        assert f"### `{contract.file}`" in text
        for var in contract.variables:
            assert f"| `{var.name}` |" in text
            sep = "." if var.shape == "ban" else "[]."
            for sub in var.fields:
                assert f"| `{var.name}{sep}{sub.name}` |" in text
    for name in FILTERS:
        assert f"| `{name}` |" in text
