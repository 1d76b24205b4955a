"""The package's layering (issue 13): which module may import which, where errors live.

Imports are read from the source with :mod:`ast`, lazy imports inside functions
included, so a cycle cannot hide behind an import moved into a function.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import docgen
from docgen import errors
from tests.conftest import REPO

PACKAGE = REPO / "docgen"

# Exceptions that are not errors reported to the user, kept beside the code they unwind:
# the render's time limit must stay a BaseException (a template's own error handling
# cannot swallow it), the YAML loader's size limit never leaves yamlsource.py, and the
# year's missing scores are a rule's finding (members, not words) that the annual report
# turns into located problems.
SIGNALS = {
    ("docgen.render", "TemplateTimeout"),
    ("docgen.yamlsource", "_TooBig"),
    ("docgen.rules.year", "ScoresMissing"),
}


def _module_file(name: str) -> Path | None:
    relative = Path(*name.split("."))
    for candidate in (REPO / relative.with_suffix(".py"), REPO / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    """The docgen modules ``path`` imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("docgen"):
                found.add(node.module)
                # ``from docgen import templates``: a submodule by name
                found |= {
                    f"{node.module}.{a.name}" for a in node.names
                    if _module_file(f"{node.module}.{a.name}") is not None
                }
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("docgen")}
    return found


def _closure(module: str) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_file(name)
        if path is not None:
            todo.extend(_imports(path))
    return seen


def test_render_imports_nothing_above_it() -> None:
    reached = _closure("docgen.render")
    assert not reached & {"docgen.lint", "docgen.templates", "docgen.pipeline", "docgen.audit"}


def test_lint_does_not_import_the_template_cache() -> None:
    assert "docgen.templates" not in _closure("docgen.lint")


def test_errors_and_ziputil_import_no_docgen_module() -> None:
    assert _closure("docgen.errors") == {"docgen.errors"}
    assert _closure("docgen.ziputil") == {"docgen.ziputil"}


def test_every_error_class_is_in_errors_py() -> None:
    outside = []
    for info in pkgutil.walk_packages(docgen.__path__, "docgen."):
        if info.name in ("docgen.errors", "docgen.__main__"):  # __main__ runs the command line
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == info.name
            ):
                outside.append((info.name, name))
    assert sorted(outside) == sorted(SIGNALS)
    for name in errors.__all__:
        value = getattr(errors, name)
        if inspect.isclass(value) and issubclass(value, BaseException):
            assert issubclass(value, errors.DocgenError), name


def test_zip_date_is_defined_once() -> None:
    defined = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "ZIP_DATE = " in path.read_text(encoding="utf-8")
    ]
    assert defined == ["ziputil.py"]


def _graph() -> dict[str, set[str]]:
    """Every docgen module -> the docgen modules it imports (at the top or in a function)."""
    modules = {
        info.name for info in pkgutil.walk_packages(docgen.__path__, "docgen.")
    } | {"docgen"}
    graph = {}
    for name in modules:
        path = _module_file(name)
        if path is not None:
            graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_rules_import_nothing_from_documents_and_documents_nothing_from_the_register() -> None:
    graph = _graph()
    for name, imported in graph.items():
        if name.startswith("docgen.rules"):
            assert not {m for m in imported if m.startswith("docgen.documents")}, name
        if name.startswith("docgen.documents"):
            publishing = {"docgen.register", "docgen.issue", "docgen.pipeline", "docgen.batch"}
            assert not imported & publishing, name


def test_nothing_below_the_command_line_imports_it() -> None:
    for name, imported in _graph().items():
        if not name.startswith("docgen.cli") and name != "docgen.__main__":
            assert not {m for m in imported if m.startswith("docgen.cli")}, name


# The layers of docs/architecture.md ("Layers"), lowest first: a module imports only modules
# of its own layer or of a lower one. A module missing here fails the test, so a new module
# is placed on purpose.
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {
        "docgen.celltext", "docgen.batchstate", "docgen.sqlitestore",
        "docgen._version", "docgen.errors", "docgen.ziputil", "docgen.safezip", "docgen.userfile", "docgen.yamltext", "docgen.docxread",
        "docgen.docxformat", "docgen.formatting", "docgen.output", "docgen.documents.kinds",
        "docgen.rules.period", "docgen.rules.reasons", "docgen.rules.share", "docgen.legacytext",
    }),
    ("source", {
        "docgen.yamlsource", "docgen.yamledit", "docgen.validation", "docgen.models",
        "docgen.resources", "docgen.workspace", "docgen.layout", "docgen.glossary",
        "docgen.parsecache",
    }),
    ("rules", {"docgen.rules"}),
    ("templating", {
        "docgen.contract", "docgen.render", "docgen.lint", "docgen.audit", "docgen.guide",
        "docgen.templates",
        "docgen.packagecheck",
    }),
    ("documents", {"docgen.documents"}),
    ("publishing", {
        "docgen.register", "docgen.issue", "docgen.pipeline", "docgen.batch", "docgen.bundle",
        "docgen.pdf", "docgen.preview",
    }),
    ("workflows", {
        "docgen.staging", "docgen.scaffold", "docgen.roster", "docgen.xlsx", "docgen.progress",
        "docgen.newfiles",
        "docgen.fixtext", "docgen.editing",
        "docgen.accounts", "docgen.history", "docgen.backup", "docgen.templatestore",
        "docgen.wardboard", "docgen.batchjob",
    }),
    ("faces", {"docgen", "docgen.cli", "docgen.__main__", "docgen.web"}),
]


def _layer(module: str) -> int:
    """The layer naming the module, else the one naming the innermost package holding it."""
    best: tuple[int, int] | None = None  # (length of the name matched, layer)
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            holds = module == name or (name != "docgen" and module.startswith(name + "."))
            if holds and (best is None or len(name) > best[0]):
                best = (len(name), index)
    assert best is not None, f"{module} is in no layer of LAYERS (docs/architecture.md)"
    return best[1]


def test_a_module_imports_only_its_own_layer_or_lower() -> None:
    upward = [
        (name, imported)
        for name, targets in _graph().items()
        for imported in sorted(targets)
        if _layer(imported) > _layer(name)
    ]
    assert upward == []


def test_the_layer_check_sees_an_upward_import() -> None:
    assert _layer("docgen.rules.quarter") > _layer("docgen.rules.share")
    assert _layer("docgen.issue") > _layer("docgen.documents.base") > _layer("docgen.rules.year")
    assert _layer("docgen.cli._documents") == len(LAYERS) - 1
