"""Every message docgen can print is in the secretaries' guide (issue 9).

The troubleshooting section "Khi docgen báo lỗi" of ``docs/huong-dan-bi-thu.md`` has
tables ``| thông báo | cách sửa |``. This test reads the source of ``docgen/`` with
:mod:`ast`, collects every message meant for the user and checks that each one has a
row in those tables.

What counts as a message (the *sinks*):

* an argument for a parameter named ``message`` of anything defined in ``docgen/``:
  ``Problem(...)`` (a dataclass field), ``SourceFile.problem(path, message)``,
  ``TemplateError(template, message)``, ``OutputError(path, message)``, the template
  check's ``Finding`` and ``_Check.add``, the audit's ``Deviation`` and ``_Audit.add``,
  helpers such as ``pipeline._problem(item, message)`` or ``read_roster``'s ``bad()``;
* an argument for a parameter named ``warnings`` or ``errors`` (lists of lines shown
  after ``Cảnh báo:`` or under a failed document of ``docgen batch``);
* the first argument of a ``docgen`` exception class without a ``message`` parameter
  (``DocgenError`` and its subclasses such as ``NumberClash``, ``UsageError``; also
  ``CellError``, ``DateFormatError``, ``NotDocx``, ``_TooBig``, whose text is shown),
  including ``super().__init__("...")`` in such a class (``LibreOfficeMissing``);
* ``PydanticCustomError(type, message_template, ...)``;
* ``click.UsageError`` / ``click.BadParameter`` / ``self.fail(...)``;
* ``click.echo("Lỗi: ...")`` / ``click.echo("Cảnh báo: ...")``: the text after the label;
* the Vietnamese column (index 1) of module-level tables named ``_..._MESSAGES``
  (YAML syntax errors, Jinja errors, click's usage errors).

A sink's argument is reduced to literal text and variable parts: f-string
placeholders and ``{name}`` templates are variable parts; ``a + b``, ``x if c else y``
and ``a or b`` are followed; a local variable is followed to what is assigned or
appended to it in the same function; a call of a function or ``self`` method of
``docgen`` is followed to what it returns; ``"; ".join(parts)`` gives each part.

Not messages, by rule: arguments of Python's own exceptions (``ValueError``,
``AssertionError``: internal, in English) and anything on a line marked
``# pragma: no cover`` or inside a block whose first line is (impossible branches).

A sink whose argument has no literal text at all relays a message made elsewhere
(``str(exc)``, a parameter, ``exc.message``); such sites are listed in RELAYS below,
each with where the text comes from, so a new one is looked at, not skipped silently.
"""

from __future__ import annotations

import ast
import builtins
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "docgen"
GUIDE = REPO / "docs" / "huong-dan-bi-thu.md"
SECTION = "## Khi docgen báo lỗi"

SINK_PARAMS = {"message", "warnings", "errors"}
LABELS = ("Lỗi: ", "Cảnh báo: ")
MAX_VARIANTS = 64

# Messages the collector cannot reach, each with why; their text is checked like the rest.
UNREACHABLE: list[tuple[str, str]] = [
    # pdf.py: why a document failed to convert, kept in a dict (PdfResult.failed) and
    # printed by docgen batch (cli/_documents.py) as "Lỗi: <tệp>: không chuyển được sang PDF (<reason>)".
    ("docgen/pdf.py", "LibreOffice không tạo được tệp PDF"),
    ("docgen/pdf.py", "quá thời gian chuyển đổi ({} giây)"),
    ("docgen/pdf.py", "LibreOffice báo lỗi ({})"),
]

# Sinks whose argument has no literal text, "file: expression" -> where the text is made.
# (A bare ``message`` parameter handed on needs no entry: its callers are sinks.)
RELAYS: dict[str, str] = {
    "docgen/audit.py: message": "check_styles: parts from _style_problems, also collected at page_numbers",
    "docgen/batch.py: lines": "a DocgenError's lines, collected where raised, or errors.unreadable's",
    "docgen/batch.py: warnings": "the documents' warnings (Prepared.warnings), collected where made",
    "docgen/batch.py: outcome.warnings": "the same documents' warnings as the batch that made them said "
    "them (kept by batchstate.py for an unchanged cell or summary), collected where made",
    "docgen/cli/__init__.py: exc.format_message()": "click's English text, into translate_usage "
    "(_CLICK_MESSAGES)",
    "docgen/cli/_common.py: f'Cảnh báo: {warning}'": "warnings of check, render, batch, roster import "
    "(echo_warnings)",
    "docgen/cli/__init__.py: f'Lỗi: {translate_usage(exc.format_message())}'": "_CLICK_MESSAGES",
    "docgen/cli/_common.py: f'Lỗi: {line}'": "a DocgenError's lines, collected where raised",
    "docgen/cli/_common.py: str(exc)": "DateParam: DateFormatError from formatting.parse_user_date; "
    "SexParam: CellError from xlsx.read_sex",
    "docgen/cli/_setup.py: exc.message": "_ask: a ParamType's fail() text (TextParam, SexParam, DateParam, "
    "Range into translate_usage)",
    "docgen/documents/tong_hop_quy.py: warnings": "collect_quarter's: quota_problem's warning",
    "docgen/audit.py: finding.message": "package_deviations: packagecheck.PackageFinding's message",
    "docgen/lint.py: finding.message": "read_parts: packagecheck.PackageFinding's message",
    "docgen/render.py: finding.message": "CompiledTemplate.load: packagecheck.PackageFinding's message",
    "docgen/docxformat.py: str(exc)": "NotDocx from zipfile/lxml; audit shows its own message instead",
    "docgen/errors.py: '\\n'.join((p.format() for p in self.problems))": "InputError: its Problems",
    "docgen/errors.py: f'{path}: {message}'": "OutputError: the path before its message parameter",
    "docgen/errors.py: first.message": "TemplateCheckError repeats its first TemplateError",
    "docgen/lint.py: deviation.message": "audit deviations in template mode, collected in audit.py",
    "docgen/lint.py: exc.message": "a TemplateError's message, collected where raised",
    "docgen/lint.py: p['msg']": "Jinja's English text, into translate_jinja (_JINJA_MESSAGES)",
    "docgen/lint.py: self.message": "Finding.as_error: the finding's own message",
    "docgen/models/common.py: str(exc)": "DateFormatError from formatting.parse_user_date",
    "docgen/issue.py: str(exc)": "NumberClash from register.py",
    "docgen/roster.py: warnings": "Cell.roster_warnings in workspace.py",
    "docgen/roster.py: problem.message": "in_sheet_terms: a checked roster's Problem, collected "
    "where raised",
    "docgen/issue.py: why": "Register.clash: a NumberClash's text, collected in register.py",
    "docgen/issue.py: [w for r in rendered for w in r.item.warnings]": "the documents' warnings "
    "(Prepared.warnings), collected where made",
    "docgen/pipeline.py: issued.template_warnings": "the template check's warnings (Finding.format())",
    "docgen/render.py: exc.message or str(exc)": "Jinja's English text, into translate_jinja",
    "docgen/render.py: str(exc)": "Jinja's English text, into translate_jinja",
    "docgen/xlsx.py: str(exc)": "CellError from the cell readers above",
    "docgen/yamlsource.py: ''": "_Builder._key_of: a place only; the caller sets the message",
    "docgen/yamlsource.py: exc.reason": "read_bytes: userfile.read_regular's reason (FileRefused without a size: not a regular file)",
    "docgen/web/app.py: errors": "home: a DocgenError's lines (_problem_lines), collected where raised",
    "docgen/web/app.py: warnings": "cell page: editing.cell_states' warnings, those of docgen check",
    "docgen/web/app.py: result.warnings": "render_documents' warnings, collected where made",
    "docgen/web/app.py: site.told(request.query_params.get('tin'))": "import_roster's summary, "
    "made in app.import_roster and kept by Site.tell for the page after the redirect",
    "docgen/batchjob.py: tuple(result.warnings)": "run_batch's warnings (BatchResult.warnings), "
    "collected where made, handed from the batch's child process to the web page",
    "docgen/templatestore.py: f.message": "upload: packagecheck.PackageFinding's message",
    "docgen/templatestore.py: exc.message": "_renamed: a render error's message, collected where raised",
    "docgen/web/mau.py: errors": "version page: the template check's findings (Finding.format())",
    "docgen/web/mau.py: warnings": "version page: the template check's warnings (Finding.format())",
    "docgen/web/mau.py: site.told(request.query_params.get('tin'))": "activate's and use_builtin's "
    "notices, made in mau.py and kept by Site.tell for the page after the redirect",
}


# ----------------------------------------------------------------------------- collector


@dataclass(frozen=True)
class Message:
    """One message: literal parts and variable parts (None), and where it is made."""

    parts: tuple[str | None, ...]
    where: str

    @property
    def text(self) -> str:
        return "".join("{}" if p is None else p for p in self.parts)

    def fragments(self) -> list[str]:
        """The literal pieces worth finding in the guide, normalised, in order."""
        pieces = [_strip(_norm(p)) for p in self.parts if p is not None]
        significant = [p for p in pieces if _significant(p)]
        return significant or [p for p in pieces if p]  # a short message: every word of it


def _norm(text: str) -> str:
    """Comparable text: NFC, no markdown emphasis or quote marks, one space, case-folded."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[*`'\"“”«»‘’]", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _strip(text: str) -> str:
    return text.strip(" \t:;,.()[]/-–?!")


def _significant(fragment: str) -> bool:
    """Two words or eight characters: a fragment that says something on its own."""
    return len(fragment.split()) >= 2 or len(fragment) >= 8


Variant = tuple[tuple[str | None, ...], int]  # parts, line of the first literal


def _join(*chunks: tuple[str | None, ...]) -> tuple[str | None, ...]:
    out: list[str | None] = []
    for chunk in chunks:
        for part in chunk:
            if isinstance(part, str) and out and isinstance(out[-1], str):
                out[-1] += part
            elif part is None and out and out[-1] is None:
                continue
            elif part != "":
                out.append(part)
    return tuple(out)


def _split_template(text: str) -> tuple[str | None, ...]:
    """``"mã '{value}' sai"`` -> ``("mã '", None, "' sai")``; ``{{`` stays a brace."""
    out: list[str | None] = []
    for piece in re.split(r"(\{\{|\}\}|\{[^{}]*\})", text):
        if piece in ("{{", "}}"):
            out.append(piece[0])
        elif piece.startswith("{") and piece.endswith("}"):
            out.append(None)
        else:
            out.append(piece)
    return _join(tuple(out))


def _templated(parts: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """Literal parts read as ``str.format`` templates: their ``{...}`` become variable parts."""
    return _join(*(_split_template(p) if p is not None else (None,) for p in parts))


OPAQUE: list[Variant] = [((None,), 0)]


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function or module body, not those of functions defined inside it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))


def _is_self(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[str]:
    a = func.args
    names = [x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs]]
    names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
    return names


@dataclass
class _Module:
    path: str  # docgen/x.py
    tree: ast.Module
    lines: list[str]
    parents: dict[ast.AST, ast.AST]


class Collector:
    """Collect messages from modules of ``docgen/`` (or any source given to it)."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.modules: dict[str, _Module] = {}
        for path, text in sources.items():
            tree = ast.parse(text)
            parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
            self.modules[path] = _Module(path, tree, text.splitlines(), parents)
        self.functions: dict[str, list[tuple[_Module, ast.FunctionDef]]] = {}
        self.classes: dict[str, list[tuple[_Module, ast.ClassDef]]] = {}
        for mod in self.modules.values():
            for node in ast.walk(mod.tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions.setdefault(node.name, []).append((mod, node))
                elif isinstance(node, ast.ClassDef):
                    self.classes.setdefault(node.name, []).append((mod, node))
        self.messages: list[Message] = []
        self.relays: list[str] = []

    # ------------------------------------------------------------ classes and signatures
    def _class(self, name: str) -> ast.ClassDef | None:
        found = self.classes.get(name)
        return found[0][1] if found else None

    def _base_names(self, cls: ast.ClassDef) -> list[str]:
        bases = [b for b in cls.bases if isinstance(b, ast.Name | ast.Attribute)]
        return [b.id if isinstance(b, ast.Name) else b.attr for b in bases]

    def is_exception(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        builtin = getattr(builtins, name, None)
        if isinstance(builtin, type) and issubclass(builtin, BaseException):
            return True
        cls = self._class(name)
        if cls is None or name in seen:
            return False
        return any(self.is_exception(b, seen | {name}) for b in self._base_names(cls))

    def _method(self, cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
        for node in cls.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node
        for base in self._base_names(cls):
            parent = self._class(base)
            if parent is not None and parent is not cls:
                found = self._method(parent, name)
                if found is not None:
                    return found
        return None

    def _class_params(self, cls: ast.ClassDef) -> list[str] | None:
        """A class's constructor parameters: ``__init__``'s, or its dataclass fields."""
        init = self._method(cls, "__init__")
        if init is not None:
            return _params(init)[1:]
        if any("dataclass" in ast.unparse(d) for d in cls.decorator_list):
            return [
                n.target.id
                for n in cls.body
                if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
                and "ClassVar" not in ast.unparse(n.annotation)
            ]
        return None

    def _sink_args(self, call: ast.Call, params: list[str]) -> list[ast.expr]:
        out = [arg for arg, name in zip(call.args, params, strict=False) if name in SINK_PARAMS]
        out += [k.value for k in call.keywords if k.arg in SINK_PARAMS]
        return out

    def _class_sinks(self, call: ast.Call, name: str) -> list[ast.expr]:
        cls = self._class(name)
        if cls is None:
            return []
        params = self._class_params(cls)
        if params is not None and SINK_PARAMS & set(params):
            return self._sink_args(call, params)
        if params is None and self.is_exception(name):
            return call.args[:1]  # Exception(message)
        return []

    def sinks(self, call: ast.Call, mod: _Module) -> list[ast.expr]:
        """The arguments of ``call`` that are messages."""
        func = call.func
        if isinstance(func, ast.Name):
            if func.id == "PydanticCustomError":
                return call.args[1:2] + [k.value for k in call.keywords if k.arg == "message_template"]
            if func.id in self.classes:
                return self._class_sinks(call, func.id)
            out = []
            for _, node in self.functions.get(func.id, []):
                out += self._sink_args(call, _params(node))
            return out
        if not isinstance(func, ast.Attribute):
            return []
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "click":
            if func.attr == "echo":
                return call.args[:1]
            if func.attr.endswith(("Error", "Exception", "BadParameter")):
                return call.args[:1]
            return []
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
            cls = self._enclosing(call, mod, ast.ClassDef)
            if cls is None or func.attr != "__init__":
                return []
            for base in self._base_names(cls):
                parent = self._class(base)
                params = self._class_params(parent) if parent is not None else None
                if params is not None:
                    return self._sink_args(call, params)
                if self.is_exception(base):
                    return call.args[:1]
            return []
        if isinstance(owner, ast.Name) and owner.id == "self":
            cls = self._enclosing(call, mod, ast.ClassDef)
            method = self._method(cls, func.attr) if cls is not None else None
            if method is not None:
                return self._sink_args(call, _params(method)[1:])
            return call.args[:1] if func.attr == "fail" else []  # click.ParamType.fail
        out = []
        for _, node in self.functions.get(func.attr, []):
            params = _params(node)
            if params and params[0] in ("self", "cls"):
                out += self._sink_args(call, params[1:])
        return out

    # ------------------------------------------------------------ scopes
    def _enclosing(self, node: ast.AST, mod: _Module, kind: type | tuple[type, ...]) -> ast.AST | None:
        while node in mod.parents:
            node = mod.parents[node]
            if isinstance(node, kind):
                return node
        return None

    def _scope(self, node: ast.AST, mod: _Module) -> ast.AST:
        found = self._enclosing(node, mod, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        return found if found is not None else mod.tree

    def _impossible(self, node: ast.AST, mod: _Module) -> bool:
        """On a ``# pragma: no cover`` line, or inside a block whose first line is one."""
        lines = [node.lineno]
        probe = node
        while probe in mod.parents:
            probe = mod.parents[probe]
            if isinstance(probe, ast.stmt | ast.ExceptHandler):
                lines.append(probe.lineno)
        return any("pragma: no cover" in mod.lines[n - 1] for n in lines)

    # ------------------------------------------------------------ resolution
    def resolve(self, expr: ast.expr, mod: _Module, depth: int = 0) -> list[Variant]:
        """The literal text ``expr`` can have: one variant per alternative."""
        if depth > 6:
            return OPAQUE

        def again(inner: ast.expr) -> list[Variant]:
            return self.resolve(inner, mod, depth + 1)

        if isinstance(expr, ast.Constant):
            return [((expr.value,), expr.lineno)] if isinstance(expr.value, str) else OPAQUE
        if isinstance(expr, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else None for v in expr.values]
            return [(_join(tuple(parts)), expr.lineno)]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left, right = again(expr.left), again(expr.right)
            return [(_join(a, b), la or lb) for a, la in left for b, lb in right][:MAX_VARIANTS]
        if isinstance(expr, ast.IfExp):
            return again(expr.body) + again(expr.orelse)
        if isinstance(expr, ast.BoolOp):
            return [v for value in expr.values for v in again(value)]
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            return [v for e in expr.elts for v in again(e)]
        if isinstance(expr, ast.Starred):
            return again(expr.value)
        if isinstance(expr, ast.Name):
            return self._resolve_name(expr, mod, depth)
        if isinstance(expr, ast.Call):
            return self._resolve_call(expr, mod, depth)
        return OPAQUE

    def _resolve_call(
        self, call: ast.Call, mod: _Module, depth: int, index: int | None = None
    ) -> list[Variant]:
        func = call.func
        if index is not None and not (isinstance(func, ast.Name) or _is_self(func)):
            return OPAQUE
        if isinstance(func, ast.Attribute):
            if func.attr == "format":
                return [(_templated(parts), line) for parts, line in self.resolve(func.value, mod, depth + 1)]
            if func.attr in ("replace", "strip", "rstrip", "lstrip", "removesuffix", "removeprefix"):
                return self.resolve(func.value, mod, depth + 1)
            if func.attr == "join" and isinstance(func.value, ast.Constant) and call.args:
                return self.resolve(call.args[0], mod, depth + 1)
            if _is_self(func):
                cls = self._enclosing(call, mod, ast.ClassDef)
                method = self._method(cls, func.attr) if cls is not None else None
                if method is not None:
                    return self._returns(method, mod, depth, index)
            return OPAQUE
        if isinstance(func, ast.Name) and func.id in self.functions:
            found = self.functions[func.id]
            owner, node = next(((m, f) for m, f in found if m is mod), found[0])  # same module first
            return self._returns(node, owner, depth, index)
        return OPAQUE

    def _returns(
        self, func: ast.FunctionDef, mod: _Module, depth: int, index: int | None = None
    ) -> list[Variant]:
        """What ``func`` returns; with ``index``, that item of the tuples it returns."""
        out: list[Variant] = []
        for node in _own_nodes(func):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            value = node.value
            if index is not None:
                if not (isinstance(value, ast.Tuple) and len(value.elts) > index):
                    out += OPAQUE
                    continue
                value = value.elts[index]
            out += self.resolve(value, mod, depth + 1)
        return out or OPAQUE

    def _resolve_name(self, name: ast.Name, mod: _Module, depth: int) -> list[Variant]:
        scope = self._scope(name, mod)
        if not isinstance(scope, ast.Module) and name.id in _params(scope):
            return OPAQUE
        values: list[ast.expr] = []
        unpacked: list[tuple[ast.Call, int]] = []  # a, b = f(): item b of what f returns
        for body in (scope, mod.tree) if not isinstance(scope, ast.Module) else (scope,):
            for node in _own_nodes(body):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == name.id for t in node.targets
                ):
                    values.append(node.value)
                elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                    for target in node.targets:
                        if isinstance(target, ast.Tuple):
                            unpacked += [
                                (node.value, i)
                                for i, t in enumerate(target.elts)
                                if isinstance(t, ast.Name) and t.id == name.id
                            ]
                elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
                    if isinstance(node.target, ast.Name) and node.target.id == name.id:
                        values.append(node.value)
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("append", "extend")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == name.id
                ):
                    values += node.args
            if values or unpacked:
                break
        out = [v for value in values for v in self.resolve(value, mod, depth + 1)]
        out += [v for call, i in unpacked for v in self._resolve_call(call, mod, depth + 1, i)]
        return out or OPAQUE

    # ------------------------------------------------------------ the walk
    def collect(self) -> Collector:
        for mod in self.modules.values():
            for node in ast.walk(mod.tree):
                if isinstance(node, ast.Call):
                    self._collect_call(node, mod)
                elif isinstance(node, ast.Assign | ast.AnnAssign) and mod.parents.get(node) is mod.tree:
                    self._collect_table(node, mod)
        return self

    def _collect_call(self, call: ast.Call, mod: _Module) -> None:
        if self._impossible(call, mod):
            return
        func = call.func
        if isinstance(func, ast.Name) and self.is_exception(func.id) and func.id not in self.classes:
            return  # Python's own exceptions: internal, in English
        echo = isinstance(func, ast.Attribute) and func.attr == "echo"
        template = isinstance(func, ast.Name) and func.id == "PydanticCustomError"
        for arg in self.sinks(call, mod):
            variants = self.resolve(arg, mod)
            if template:  # "'{value}' không phải giờ": {value} is filled in by pydantic
                variants = [(_templated(parts), line) for parts, line in variants]
            if echo:
                variants = [
                    ((parts[0].removeprefix(label), *parts[1:]), line)
                    for parts, line in variants
                    for label in LABELS
                    if parts and isinstance(parts[0], str) and parts[0].startswith(label)
                ]
                if not variants:
                    continue
            texts = [(parts, n) for parts, n in variants if any(re.search(r"\w", p or "") for p in parts)]
            if not texts and not self._passed_on(arg, mod):
                self.relays.append(f"{mod.path}: {ast.unparse(arg)}")
            for parts, line in texts:
                self.messages.append(Message(parts, f"{mod.path}:{line or call.lineno}"))

    def _passed_on(self, arg: ast.expr, mod: _Module) -> bool:
        """A bare ``message`` (or ``warnings``, ``errors``) parameter handed on: the callers
        of the enclosing function are sinks themselves."""
        scope = self._scope(arg, mod)
        return (
            isinstance(arg, ast.Name)
            and arg.id in SINK_PARAMS
            and not isinstance(scope, ast.Module)
            and arg.id in _params(scope)
        )

    def _collect_table(self, node: ast.Assign | ast.AnnAssign, mod: _Module) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not any(n.startswith("_") and n.endswith("_MESSAGES") for n in names):
            return
        # A list of (english, vietnamese, ...) rows, or a dict english -> (vietnamese, ...).
        if isinstance(node.value, ast.Dict):
            entries = [v.elts[0] for v in node.value.values if isinstance(v, ast.Tuple)]
            assert len(entries) == len(node.value.values), names
        else:
            assert isinstance(node.value, ast.List | ast.Tuple), names
            assert all(isinstance(e, ast.Tuple) for e in node.value.elts), names
            entries = [e.elts[1] for e in node.value.elts]  # type: ignore[attr-defined]
        # The lists (cli, render) hold str.format templates; the dicts hold plain text.
        read = _templated if isinstance(node.value, ast.List | ast.Tuple) else (lambda p: p)
        for text in entries:
            for parts, line in self.resolve(text, mod):
                self.messages.append(Message(read(parts), f"{mod.path}:{line or text.lineno}"))


def collect_package() -> Collector:
    sources = {
        path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    return Collector(sources).collect()


# ----------------------------------------------------------------------------- the guide


def guide_rows(text: str) -> list[str]:
    """The first cell ("thông báo") of every table row in the troubleshooting section."""
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end >= 0 else None]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|") or re.match(r"^\|[-| ]+\|$", line):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if cells[0] != "thông báo":
            unescaped = re.sub(r"\\([\\`*_{}\[\]()#+.!|-])", r"\1", cells[0])  # markdown escapes
            rows.append(_norm(unescaped))
    return rows


def in_guide(message: Message, rows: list[str]) -> bool:
    """Whether one row holds the message's significant fragments, in order."""
    fragments = message.fragments()
    for row in rows:
        at = 0
        for fragment in fragments:
            found = row.find(fragment, at)
            if found < 0:
                break
            at = found + len(fragment)
        else:
            return True
    return False


def _unique(messages: list[Message]) -> list[Message]:
    seen: dict[tuple[str, ...], Message] = {}
    for m in messages:
        if m.fragments():
            seen.setdefault(tuple(m.fragments()), m)
    return list(seen.values())


def _placed(path: str, text: str) -> Message:
    """An UNREACHABLE entry, placed at the first line of ``path`` holding its text."""
    message = Message(_split_template(text), path)
    first = next(p for p in message.parts if p)
    lines = (REPO / path).read_text(encoding="utf-8").splitlines()
    line = next((n for n, source in enumerate(lines, start=1) if first in source), 0)
    return Message(message.parts, f"{path}:{line}")


def _plain(text: str) -> str:
    """ASCII letters for a test id: ``Lỗi đọc tệp`` -> ``Loi doc tep``."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if c.isascii())


COLLECTED = collect_package()
MESSAGES = _unique(COLLECTED.messages + [_placed(path, text) for path, text in UNREACHABLE])
ROWS = guide_rows(GUIDE.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("message", MESSAGES, ids=[f"{m.where} {_plain(m.text)[:50]}" for m in MESSAGES])
def test_each_message_is_in_the_guide(message: Message) -> None:
    assert in_guide(message, ROWS), (
        f"{message.where}: «{message.text}» has no row in the guide's section "
        f"“{SECTION.removeprefix('## ')}” (looked for, in order: {message.fragments()})"
    )


@pytest.mark.parametrize("path, text", UNREACHABLE)
def test_unreachable_messages_are_still_in_the_code(path: str, text: str) -> None:
    source = (REPO / path).read_text(encoding="utf-8")
    pieces = [p for p in _split_template(text) if p]
    assert [p for p in pieces if p not in source] == [], f"{path} no longer says «{text}»"


def test_relays_are_the_known_ones() -> None:
    """A sink with no literal text is a relay; a new one must be looked at and listed."""
    found = set(COLLECTED.relays)
    assert found - set(RELAYS) == set(), "new relay sites: say where their text is made"
    assert set(RELAYS) - found == set(), "RELAYS lists sites that no longer exist"


def _collect(source: str) -> list[Message]:
    """The messages of one planted module (beside docgen's error classes)."""
    errors = (PACKAGE / "errors.py").read_text(encoding="utf-8")
    found = Collector({"docgen/errors.py": errors, "docgen/planted.py": source}).collect()
    return [m for m in found.messages if m.where.startswith("docgen/planted.py:")]


def test_a_planted_message_missing_from_the_guide_is_reported() -> None:
    planted = _collect(
        "def f(x):\n    raise UsageError(f'thông báo cài thử {x} không có trong hướng dẫn')\n"
    )
    assert [m.where for m in planted] == ["docgen/planted.py:2"]
    assert planted[0].fragments() == ["thông báo cài thử", "không có trong hướng dẫn"]
    assert not in_guide(planted[0], ROWS)


def test_a_known_message_is_found_in_the_guide() -> None:
    known = _collect(
        "def f(path):\n    raise OutputError(path, 'đường dẫn kết quả nằm ngoài thư mục kết quả')\n"
    )
    assert [m.text for m in known] == ["đường dẫn kết quả nằm ngoài thư mục kết quả"]
    assert in_guide(known[0], ROWS)


def test_a_row_must_hold_the_fragments_in_order() -> None:
    message = Message(("mã đảng viên '", None, "' bị trùng với mục thứ ", None), "x")
    assert message.fragments() == ["mã đảng viên", "bị trùng với mục thứ"]
    assert in_guide(message, [_norm("mã đảng viên '*x*' bị trùng với mục thứ *n*")])
    assert not in_guide(message, [_norm("bị trùng với mục thứ *n*: mã đảng viên *x*")])
    assert not in_guide(message, [_norm("mã đảng viên *x* bị trùng")])
    assert not in_guide(message, [_norm("mã đảng viên *x*"), _norm("bị trùng với mục thứ *n*")])


def test_a_short_message_needs_all_its_words() -> None:
    message = Message(("phần ", None, " hỏng (", None, ")"), "x")
    assert message.fragments() == ["phần", "hỏng"]
    assert in_guide(message, [_norm("phần *…* hỏng (*…*)")])
    assert not in_guide(message, [_norm("tệp *…* hỏng")])


def test_the_collector_follows_each_pattern() -> None:
    """One message per kind of sink, so a pattern the collector stops seeing is noticed."""
    texts = {m.text for m in COLLECTED.messages}
    expected = [
        "không tìm thấy tệp",  # Problem(...)
        "chi bộ '{}' được ghi hai lần",  # source.problem(path, message)
        "mã '{}' không hợp lệ: chỉ dùng chữ thường không dấu, số, '-' hoặc '_' (tối đa 64 ký tự)",
        "thiếu trường bắt buộc",  # validation._message, followed through the call
        "lỗi cú pháp YAML: {}",  # the label around _SYNTAX_MESSAGES
        "có ký tự Tab",  # _SYNTAX_MESSAGES
        "thẻ không xác định '{}'",  # _JINJA_MESSAGES
        "không có tùy chọn {}",  # _CLICK_MESSAGES
        "không tìm thấy LibreOffice (lệnh soffice) để chuyển sang PDF; hãy cài LibreOffice "
        "(Debian/Ubuntu: sudo apt-get install libreoffice-writer fonts-liberation2) rồi chạy lại",
        "'{}' không phải giới tính (ghi Nam hoặc Nữ)",  # CellError
        "trống; mỗi dòng phải có họ và tên đảng viên",  # read_roster's bad(name, message)
        "{}: không phải mẫu của loại văn bản nào nên docgen không dùng ({})",  # click.echo("Cảnh báo: ...")
        "{}: không chuyển được sang PDF ({})",  # click.echo("Lỗi: ...")
        "chưa in đậm (thể thức: in đậm)",  # audit: "; ".join(problems) from _style_problems
        "mẫu không còn dùng biến bắt buộc '{}': {}; thêm lại thẻ {{ {} }}",  # a local variable
        "thẻ mở «{}» chưa được đóng: thiếu thẻ «end{}» tương ứng",  # self.translate(...) returns
        "chưa tổng hợp được vì dữ liệu của {} chi bộ có lỗi (xem lỗi của từng chi bộ)",  # errors=
        "{}: {}; Đảng ủy phường sẽ xem xét, quyết định",  # warnings=
    ]
    assert [t for t in expected if t not in texts] == []
    internal = {"roman numerals start at 1", "a classified member needs a score"}
    assert internal & texts == set()
    assert "văn bản chưa được cấp số: {}" not in texts  # pragma: no cover branch
