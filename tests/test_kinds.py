"""The kinds table (docgen/documents/kinds.py) is the one place a kind is declared.

(a) Every kind provides what its entry promises: its model, its module with a
``DocumentKind`` that implements ``prepare``, its templates (with a builder and a
contract covering their variables), sample data, a golden file and glossary entries.
(b) A kind's name is written as a literal only in the table and the kind's own files,
so adding a kind touches only the files docs/architecture.md lists.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from docgen.contract import CONTRACTS
from docgen.documents import KIND_NAMES, get_kind
from docgen.documents.base import DocumentKind
from docgen.documents.kinds import KINDS, KindSpec, batch_kinds, kind_spec
from docgen.layout.kinds import BUILDERS
from docgen.templates import BUILTIN_DIR
from tests.conftest import GOLDEN, REPO

PACKAGE = REPO / "docgen"
VOCAB = (REPO / "docs" / "vocabulary.md").read_text(encoding="utf-8")
NAMES = [k.name for k in KINDS]
# Longest first: ``ke-hoach-dang-uy`` is not ``ke-hoach``.
_NAME_RE = re.compile(
    r"(?<![a-z0-9-])(" + "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True)) + r")(?![a-z0-9])"
)


def _module_path(module: str) -> Path:
    return REPO / Path(*module.split(".")).with_suffix(".py")


def test_kind_names_and_descriptions_come_from_the_table() -> None:
    assert {k.name: k.description for k in KINDS} == KIND_NAMES
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("spec", KINDS, ids=NAMES)
def test_kind_provides_its_module_and_prepare(spec: KindSpec) -> None:
    assert _module_path(spec.module).is_file()
    kind = get_kind(spec.name)
    assert isinstance(kind, DocumentKind)
    assert type(kind).__module__ == spec.module
    assert "prepare" in vars(type(kind)), f"{spec.cls} does not implement prepare"
    assert (kind.name, kind.scope, kind.needs_quarter) == (spec.name, spec.scope, spec.period == "quy")


@pytest.mark.parametrize("spec", KINDS, ids=NAMES)
def test_kind_provides_its_model(spec: KindSpec) -> None:
    assert _module_path(spec.model).is_file(), spec.model
    assert (spec.input_model is None) == (spec.reads is None)
    if spec.input_model is not None:
        model = get_kind(spec.name).input_model
        assert model is not None and issubclass(model, BaseModel)
        assert model.__module__ == spec.model


@pytest.mark.parametrize("spec", KINDS, ids=NAMES)
def test_kind_provides_its_templates_with_builder_and_contract(spec: KindSpec) -> None:
    module = importlib.import_module(spec.module)
    declared = {c.file: c for c in module.CONTRACTS}
    assert set(declared) == set(spec.templates), "CONTRACTS must cover exactly the kind's templates"
    for file, code in spec.templates.items():
        assert (BUILTIN_DIR / file).is_file(), file
        assert file in BUILDERS, f"no builder for {file} in docgen/layout/kinds.py"
        assert CONTRACTS[file] is declared[file]
        assert declared[file].kind == spec.name
        assert re.fullmatch(r"[A-Z]{2}", code), code
    # The variables each template uses are in its contract, and every required one is
    # used: tests/test_contract.py checks that for every template of CONTRACTS.


def _sample_files(spec: KindSpec) -> list[Path]:
    globs = [g for g in (spec.reads, *(kind_spec(n).reads for n in spec.also_reads)) if g]
    folders = (
        sorted((REPO / "data").glob("[0-9][0-9][0-9][0-9]"))
        if spec.scope == "dang_bo"
        else sorted((REPO / "data" / "chi-bo").glob("*/[0-9][0-9][0-9][0-9]"))
    )
    return [path for folder in folders for glob in globs for path in folder.glob(glob)]


@pytest.mark.parametrize("spec", KINDS, ids=NAMES)
def test_kind_has_sample_data(spec: KindSpec) -> None:
    assert _sample_files(spec), f"no sample input for {spec.name} under data/"


def _golden_kind(path: Path) -> str | None:
    """The kind a golden file belongs to: ``<output stem>[-<cell>].txt`` starts with it."""
    found = _NAME_RE.match(path.stem)
    return found.group(1) if found else None


@pytest.mark.parametrize("spec", KINDS, ids=NAMES)
def test_kind_has_a_golden_file(spec: KindSpec) -> None:
    assert any(_golden_kind(p) == spec.name for p in GOLDEN.glob("*.txt")), (
        f"no tests/golden/{spec.name}*.txt"
    )


def test_every_golden_file_belongs_to_a_kind() -> None:
    assert [p.name for p in GOLDEN.glob("*.txt") if _golden_kind(p) is None] == []


def _model_keys(model: type[BaseModel]) -> set[str]:
    """Every key of a model and of the models it nests."""
    keys: set[str] = set()
    todo: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            keys.add(name)
            todo += [t for t in _models_in(info.annotation)]
    return keys


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


@pytest.mark.parametrize("spec", KINDS, ids=NAMES)
def test_kind_keys_are_in_the_glossary(spec: KindSpec) -> None:
    module = importlib.import_module(spec.model)
    models = [
        obj for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == spec.model
    ]
    keys = set().union(*(_model_keys(m) for m in models))
    assert keys
    assert sorted(k for k in keys if f"`{k}`" not in VOCAB) == []
    # Template variables (the fields of records, such as ``bang[].tc1``, are not all there).
    for contract in importlib.import_module(spec.module).CONTRACTS:
        assert sorted(v.name for v in contract.variables if f"`{v.name}`" not in VOCAB) == []


def test_batch_kinds_pair_cell_reports_with_ward_summaries() -> None:
    for period in ("quy", "nam"):
        cells, wards = batch_kinds(period)
        assert cells and wards
        assert [kind_spec(w).summarises for w in wards] == list(cells)


# --- (b) kind names as literals ---------------------------------------------------------

# Files that are not a kind's own and still write a kind's name or its files' names, with
# why; they belong to other owners (the command line's help and hints, the files
# ``docgen init`` writes). The list may only shrink: a name that is no longer there fails
# too, so the entry is removed.
KNOWN: dict[tuple[str, str], str] = {
    ("docgen/cli/_setup.py", "ke-hoach"): "init's next steps name the command to run",
    ("docgen/cli/_setup.py", "phan-cong"): "init's next steps name the command to run",
    ("docgen/scaffold.py", "ke-hoach"): "docgen init writes the plan's example file",
    ("docgen/scaffold.py", "phan-cong"): "docgen init writes the assignment's example file",
    ("docgen/roster.py", "phan-cong"): "roster import refreshes the assignment files",
    ("docgen/editing.py", "ke-hoach"): "docgen serve edits the kinds' input files, named after them",
    ("docgen/editing.py", "phan-cong"): "docgen serve edits the kinds' input files, named after them",
}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def kind_literals(path: Path) -> set[str]:
    """The kind names written in the string literals of a module (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found |= set(_NAME_RE.findall(node.value))
    return found


def _allowed(spec: KindSpec) -> set[str]:
    return {
        "docgen/documents/kinds.py",
        _module_path(spec.module).relative_to(REPO).as_posix(),
        _module_path(spec.model).relative_to(REPO).as_posix(),
        "docgen/layout/kinds.py",  # the templates' builders
    }


def test_kind_names_are_literals_only_in_the_kinds_own_files() -> None:
    found: dict[tuple[str, str], bool] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        for name in kind_literals(path):
            if rel not in _allowed(kind_spec(name)):
                found[(rel, name)] = True
    assert sorted(set(found) - set(KNOWN)) == []
    assert sorted(set(KNOWN) - set(found)) == []


def test_the_literal_scan_finds_names() -> None:
    assert kind_literals(PACKAGE / "documents" / "kinds.py") == set(NAMES)
    assert kind_literals(PACKAGE / "batch.py") == set()


# The tests that list every kind by name, so a new kind must join them (docs/architecture.md,
# "Thêm một loại văn bản", counts them): the hostile-input corpus and the property test.
ENUMERATING_TESTS = {"tests/test_hostile_corpus.py", "tests/test_property_text.py"}


def test_only_the_listed_tests_enumerate_every_kind() -> None:
    found = {
        path.relative_to(REPO).as_posix()
        for path in sorted((REPO / "tests").rglob("*.py"))
        if kind_literals(path) >= set(NAMES)
    }
    assert found == ENUMERATING_TESTS
