"""Forms made from the models: a workspace file shown as HTML inputs, and read back.

The models (docgen/models/) say what a file holds; the glossary (docs/vocabulary.md,
docgen.glossary) says what each key means; a field's ``description`` adds help. From
these :func:`build` makes a tree of :class:`Group`, :class:`Repeat` and :class:`Input`
that the page templates draw, and :func:`read` turns the posted form back into plain
data for the file. Nothing is checked here: what the user typed goes back as typed (a
date that is not one stays text), so the models check it in the same words as
``docgen check``, and a page with problems shows every value as typed.

An input's name is the path of its value in the file's data, dot-joined
(``bao_cao_quy.buoi_sinh_hoat.0.co_mat``), the same path a :class:`Problem` carries.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from docgen.errors import DateFormatError, Problem
from docgen.formatting import parse_user_date
from docgen.glossary import glossary
from docgen.models import common

__all__ = ["Group", "Input", "Repeat", "anchor_of", "as_posted", "attach", "build", "name_of", "read", "shown"]

Kind = Literal[
    "text", "textarea", "int", "number", "date", "time", "bool", "choice", "member",
    "members", "lines",
]  # fmt: skip

# Keys whose value is a member of the cell, chosen by name (docs/vocabulary.md).
MEMBER_KEYS = frozenset({"dang_vien", "nguoi_ky", "bi_thu", "pho_bi_thu", "chu_tri", "thu_ky"})
# Models whose ``ma`` names a member of the roster (not the item's own new id).
MEMBER_ROWS = frozenset({"DanhGiaDangVien", "DanhGiaNam"})
# The meaning of a validator function, by the field types of docgen.models.common.
_VALIDATORS: dict[Any, str] = {
    common._check_id: "ma",
    common._single_line: "text",
    common._paragraphs: "textarea",
    common.parse_date: "date",
    common.parse_time: "time",
}
ROW_MARK = "_"  # a hidden input that keeps a row whose inputs are all empty


def name_of(path: Sequence[str | int]) -> str:
    """The form name of a data path: ``bao_cao_quy.buoi_sinh_hoat.0.co_mat``."""
    return ".".join(str(part) for part in path)


def anchor_of(path: Sequence[str | int]) -> str:
    """The HTML id of the input (or section) of a data path: ``o-bao_cao_quy-dang_phi``."""
    return "o-" + name_of(path).replace(".", "-")


class _Placed:
    """A node of the form: its input name and HTML id, from its data path."""

    path: tuple[str | int, ...]

    @property
    def name(self) -> str:
        return name_of(self.path)

    @property
    def id(self) -> str:
        return anchor_of(self.path)


@dataclass
class Input(_Placed):
    """One value: its place, words and shown value (text as the user sees it)."""

    key: str
    path: tuple[str | int, ...]
    kind: Kind
    label: str
    help: str
    required: bool
    value: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)  # for "members"
    default: str = ""  # the words of the value used when the input is left empty
    problems: list[str] = field(default_factory=list)

    @property
    def listed(self) -> bool:
        """Whether ``value`` is one of ``choices`` (the page shows a value that is not as such;
        asked here, not in the template: a member's select of 35 choices is drawn ~100 times)."""
        return any(value == self.value for value, _words in self.choices)


@dataclass
class Group(_Placed):
    """The fields of one model (a file, a nested section, a row of a list)."""

    key: str
    path: tuple[str | int, ...]
    label: str
    help: str
    children: list[Input | Group | Repeat]
    problems: list[str] = field(default_factory=list)

    def inputs(self) -> list[Input]:
        """Every input under this group, in order."""
        out: list[Input] = []
        for child in self.children:
            out.extend([child] if isinstance(child, Input) else child.inputs())
        return out


@dataclass
class Repeat(_Placed):
    """A list of items of one model: meetings, absentees, tasks, members."""

    key: str
    path: tuple[str | int, ...]
    label: str
    help: str
    rows: list[Group]
    empty: Group  # the shape of a new row (its labels make the table's heads)
    table: bool  # every field of an item is a single input: draw a table
    problems: list[str] = field(default_factory=list)

    def inputs(self) -> list[Input]:
        return [item for row in self.rows for item in row.inputs()]


# ------------------------------------------------------------------ types


def _args(annotation: Any) -> tuple[Any, list[Any]]:
    """``annotation`` without Optional, and the metadata of its Annotated layers."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *more = typing.get_args(annotation)
            metadata.extend(more)
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation, metadata


def _validator(metadata: list[Any]) -> str | None:
    for item in metadata:
        func = getattr(item, "func", None)
        if func in _VALIDATORS:
            return _VALIDATORS[func]
    return None


def _model(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _shape(key: str, owner: type[BaseModel], info: FieldInfo) -> tuple[str, Any]:
    """What input a field is: ``("group", Model)``, ``("repeat", Model)`` or an input kind."""
    annotation, metadata = _args(info.annotation)
    special = _validator(metadata) or _validator(list(info.metadata))
    if special == "ma":
        member = key in MEMBER_KEYS or (key == "ma" and owner.__name__ in MEMBER_ROWS)
        return ("member" if member else "text"), None
    if special is not None:
        return special, None
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        inner, inner_meta = _args(item)
        if _model(inner) is not None:
            return "repeat", inner
        if _validator(inner_meta) == "ma" and key == "chi_uy_vien":
            return "members", None
        return "lines", None
    if _model(annotation) is not None:
        return "group", annotation
    if typing.get_origin(annotation) is Literal:
        return "choice", typing.get_args(annotation)
    if annotation is bool:
        return "bool", None
    if annotation is int:
        return "int", None
    if annotation is float:
        return "number", None
    if annotation is date:
        return "date", None
    return "text", None


def _required(info: FieldInfo) -> bool:
    return info.is_required()


def _default(info: FieldInfo) -> Any:
    if info.default is not PydanticUndefined:
        return info.default
    if info.default_factory is not None:
        return info.default_factory()  # type: ignore[call-arg]
    return PydanticUndefined


# ------------------------------------------------------------------ showing


def shown(value: Any, kind: str) -> str:
    """A value as the form shows it: dates dd/mm/yyyy, decimals with a comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if kind == "date" and isinstance(value, str):
        value = _as_date(value) or value  # docgen's reader gives dates as the text written
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        text = f"{value:g}" if value != int(value) else str(int(value))
        return text.replace(".", ",")
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


@dataclass
class _Context:
    members: list[tuple[str, str]]  # (id, name)
    file_model: str


def _words(key: str, info: FieldInfo, ctx: _Context, owner: type[BaseModel]) -> tuple[str, str]:
    meaning = glossary().meaning(key, ctx.file_model) or glossary().meaning(key, owner.__name__)
    if meaning is not None:
        label = meaning.label
    elif info.description:  # a key the glossary lacks: the model's own words, up to ":" or ";"
        label = re.split(r"[:;]", info.description, maxsplit=1)[0].strip()
    else:
        label = key
    extra = [info.description] if info.description else []
    if meaning and meaning.text.lower() != label.lower() and not extra and "`" not in meaning.text:
        extra.append(meaning.text)  # (a meaning that lists the keys is for the YAML reader)
    return label, " ".join(extra)


def _choices(values: tuple[Any, ...]) -> list[tuple[str, str]]:
    return [(str(v), glossary().value_label(str(v)) or str(v)) for v in values]


def _group(
    model: type[BaseModel], data: Any, path: tuple[str | int, ...], key: str, label: str,
    help_text: str, ctx: _Context,
) -> Group:  # fmt: skip
    values = data if isinstance(data, Mapping) else {}
    children: list[Input | Group | Repeat] = []
    for name, info in model.model_fields.items():
        children.append(_node(model, name, info, values.get(name), (*path, name), ctx))
    return Group(key, path, label, help_text, children)


def _node(
    owner: type[BaseModel], key: str, info: FieldInfo, value: Any, path: tuple[str | int, ...],
    ctx: _Context,
) -> Input | Group | Repeat:  # fmt: skip
    kind, inner = _shape(key, owner, info)
    label, help_text = _words(key, info, ctx, owner)
    if kind == "member" and key in ("ma", "dang_vien"):
        label, help_text = "Đảng viên", ""  # one member, chosen by name (not the list's words)
    if kind == "group":
        return _group(inner, value, path, key, label, help_text, ctx)
    if kind == "repeat":
        items = value if isinstance(value, list) else []
        rows = [
            _group(inner, item, (*path, i), key, f"{label}: mục {i + 1}", "", ctx)
            for i, item in enumerate(items)
        ]
        empty = _group(inner, None, (*path, len(items)), key, label, "", ctx)
        table = all(isinstance(child, Input) for child in empty.children)
        return Repeat(key, path, label, help_text, rows, empty, table)
    field_input = Input(key, path, kind, label, help_text, _required(info))  # type: ignore[arg-type]
    if kind == "choice":
        field_input.choices = _choices(inner)
        default = _default(info)
        if isinstance(default, str):
            field_input.default = dict(field_input.choices).get(default, default)
    elif kind in ("member", "members"):
        field_input.choices = list(ctx.members)
    if kind == "members":
        field_input.chosen = [str(v) for v in value] if isinstance(value, list) else []
    else:
        field_input.value = shown(value, kind)
    return field_input


def build(model: type[BaseModel], data: Any, *, members: Sequence[tuple[str, str]] = ()) -> Group:
    """The form of a file whose model is ``model`` (``BaoCaoQuyFile``), filled with ``data``;
    ``members`` (id, name) are the choices wherever a member is named."""
    ctx = _Context(list(members), model.__name__)
    return _group(model, data, (), "", "", "", ctx)


# ------------------------------------------------------------------ reading

_BLANK = object()  # an input left empty
_INT = re.compile(r"^\s*[+-]?\d+\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?\s*$")


def _typed(text: str, kind: str) -> Any:
    """What the user typed, as the value the file would hold; text when it is not one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind in ("textarea", "lines"):
        return _lines(text) or _BLANK
    stripped = text.strip()
    if not stripped:
        return _BLANK
    if kind == "int" and _INT.match(stripped):
        return int(stripped)
    if kind == "number" and _DECIMAL.match(stripped):
        number = float(stripped.replace(",", "."))
        return int(number) if number == int(number) and "," not in stripped and "." not in stripped else number
    if kind == "date":
        return _as_date(stripped) or stripped  # not a date: the model says why
    return stripped


def _as_date(text: str) -> date | None:
    try:
        return parse_user_date(text)
    except DateFormatError:
        return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(new: Any, old: Any) -> bool:
    return type(new) is type(old) and new == old


def _settle(new: Any, old: Any, had: bool, default: Any) -> Any:
    """The value to keep: the file's own when it means the same; _BLANK to leave the key out."""
    if new is _BLANK:
        return None if had and old is None else _BLANK
    if isinstance(new, date):
        if had and isinstance(old, str) and _as_date(old) == new:
            return old  # the same day, kept as the file writes it (2026-01-05 or 05/01/2026)
        new = new.isoformat()  # as docgen's reader gives an unquoted 2026-01-05
    if had and _same(new, old):
        return old
    if had and isinstance(old, str) and isinstance(new, list) and _lines(old) == new:
        return old  # a paragraph field written as one string in the file, lines unchanged
    if had and _number(old) and _number(new) and new == old:
        return old  # 28 and 28.0
    if not had and default is not PydanticUndefined and _same(new, default):
        return _BLANK
    return new


def _row_indexes(form: Mapping[str, list[str]], prefix: str) -> list[int]:
    found: set[int] = set()
    for name in form:
        if name.startswith(prefix):
            head = name[len(prefix) :].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def _read_group(
    model: type[BaseModel], form: Mapping[str, list[str]], path: tuple[str | int, ...], old: Any
) -> dict[str, Any]:
    old_map = old if isinstance(old, Mapping) else {}
    out: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        here = (*path, key)
        kind, inner = _shape(key, model, info)
        had = key in old_map
        previous = old_map.get(key)
        if kind == "group":
            value: Any = _read_group(inner, form, here, previous)
            if not any(v is not None for v in value.values()) and not had:
                value = _BLANK
            elif not value and had and previous is None:
                value = None
        elif kind == "repeat":
            olds = previous if isinstance(previous, list) else []
            rows = []
            for index in _row_indexes(form, name_of(here) + "."):
                earlier = olds[index] if index < len(olds) else None
                rows.append(_read_group(inner, form, (*here, index), earlier))
            value = _settle(rows or _BLANK, previous, had, _default(info))
            if rows and had and isinstance(previous, list) and rows == previous:
                value = previous
        elif kind == "members":
            chosen = form.get(name_of(here), [])
            value = _settle(list(chosen) or _BLANK, previous, had, _default(info))
        elif kind == "bool":
            checked = bool(form.get(name_of(here)))
            value = _settle(checked, previous, had, _default(info))
        else:
            texts = form.get(name_of(here))
            if texts is None:
                value = previous if had else _BLANK  # not on the page: kept as it was
            else:
                value = _settle(_typed(texts[-1], kind), previous, had, _default(info))
        if value is not _BLANK:
            out[key] = value
    return out


def read(model: type[BaseModel], form: Mapping[str, list[str]], original: Any) -> dict[str, Any]:
    """The file's data from a posted form (names as :func:`build` gave them); values the
    user did not change keep the form they have in ``original`` (the file's data)."""
    return _read_group(model, form, (), original)


def as_posted(form: Group) -> dict[str, list[str]]:
    """What a browser posts for ``form`` left as shown (the tests and the benchmark use it)."""
    out: dict[str, list[str]] = {}

    def walk(node: Input | Group | Repeat) -> None:
        if isinstance(node, Input):
            if node.kind == "members":
                if node.chosen:
                    out[node.name] = list(node.chosen)
            elif node.kind == "bool":
                if node.value:
                    out[node.name] = ["1"]
            else:
                out[node.name] = [node.value]
        elif isinstance(node, Repeat):
            for row in node.rows:
                out[name_of((*row.path, ROW_MARK))] = [""]
                walk(row)
        else:
            for child in node.children:
                walk(child)

    walk(form)
    return out


def attach(form: Group, problems: Sequence[Problem]) -> list[tuple[str, str]]:
    """Put each problem's message on the input it is about (or the nearest section); for
    each problem, return where it is in the form's words («Đảng phí › Số đã đóng») and the
    HTML id to link to."""
    nodes: dict[tuple[str | int, ...], tuple[Input | Group | Repeat, str]] = {}

    def walk(node: Input | Group | Repeat, trail: str) -> None:
        words = " › ".join(part for part in (trail, node.label) if part)
        nodes[node.path] = (node, words)
        if isinstance(node, Group):
            for child in node.children:
                walk(child, words)
        elif isinstance(node, Repeat):
            for row in node.rows:
                walk(row, trail)  # a row's label repeats its list's

    walk(form, "")
    places: list[tuple[str, str]] = []
    for problem in problems:
        path = tuple(problem.path)
        while path and path not in nodes:
            path = path[:-1]
        target, words = nodes.get(path, (form, ""))
        target.problems.append(problem.message + (f" ({problem.hint})" if problem.hint else ""))
        places.append((words, target.id if target.path else "cac-loi"))
    return places
