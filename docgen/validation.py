"""Validate parsed YAML against a typed model; every problem located and in Vietnamese."""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
import unicodedata
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from docgen.errors import InputError, Problem
from docgen.formatting import decimal
from docgen.yamlsource import SourceFile

__all__ = ["did_you_mean", "validate"]

M = TypeVar("M", bound=BaseModel)


def _loose(word: str) -> str:
    """A spelling-insensitive key: no diacritics or case, ``_`` = ``-``, no leading zeros."""
    plain = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).replace("_", "-")
    return re.sub(r"(?<!\d)0+(?=\d)", "", plain)


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str | None:
    """Return a hint ``có phải ý là 'x'?`` for the closest choice, if any is close.

    A choice equal to ``word`` but for case, diacritics, ``_``/``-`` or leading zeros
    (``dv4`` for ``dv04``) wins; otherwise the closest by difflib's ratio.
    """
    options = list(choices)
    same = [c for c in options if _loose(c) == _loose(word)]
    if len(same) == 1:
        return f"có phải ý là '{same[0]}'?"
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"có phải ý là '{match[0]}'?" if match else None


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "…'"


_KIND = {
    str: "chữ",
    int: "số nguyên",
    float: "số",
    bool: "true hoặc false",
    list: "danh sách",
    dict: "bảng khóa: giá trị",
}


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "một bảng khóa: giá trị"
    if isinstance(value, list):
        return "một danh sách"
    if value is None:
        return "giá trị rỗng"
    return _shown(value)


def _num(value: Any) -> str:
    """A bound as written in Vietnamese: 100.0 -> ``100``, 2.5 -> ``2,5``."""
    if isinstance(value, float):
        return decimal(value)
    return str(value)


def _number_hint(err: ErrorDetails) -> str | None:
    """``viết 28.5`` for a number written with a decimal comma (``28,5``), as Vietnamese
    writes it on paper: YAML reads it as text."""
    value = err.get("input")
    if err["type"] not in ("float_type", "float_parsing"):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+,\d+\s*", value):
        return f"số thập phân viết bằng dấu chấm: viết {value.strip().replace(',', '.')}"
    return None


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if isinstance(value, float) and not math.isfinite(value):
        # YAML's .nan and .inf are floats; every bound then fails with a confusing message.
        written = ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
        return f"phải là một số cụ thể, nhận được {written}"
    if kind == "missing":
        return "thiếu trường bắt buộc"
    if kind in ("string_type",):
        return f"phải là chữ, nhận được {_got(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"phải là số nguyên, nhận được {_got(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"phải là số, nhận được {_got(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"phải là true hoặc false, nhận được {_got(value)}"
    if kind == "list_type":
        return f"phải là danh sách (mỗi mục một dòng bắt đầu bằng '- '), nhận được {_got(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"phải là một bảng khóa: giá trị, nhận được {_got(value)}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = expected.replace(" or ", ", ")
        if value is None:
            return f"chưa ghi; chỉ được là: {choices}"
        return f"giá trị {_got(value)} không hợp lệ; chỉ được là: {choices}"
    if kind == "greater_than_equal":
        return f"phải lớn hơn hoặc bằng {_num(ctx.get('ge'))}, nhận được {_got(value)}"
    if kind == "greater_than":
        return f"phải lớn hơn {_num(ctx.get('gt'))}, nhận được {_got(value)}"
    if kind == "less_than_equal":
        return f"phải nhỏ hơn hoặc bằng {_num(ctx.get('le'))}, nhận được {_got(value)}"
    if kind == "less_than":
        return f"phải nhỏ hơn {_num(ctx.get('lt'))}, nhận được {_got(value)}"
    if kind == "too_short":
        return "không được để trống (cần ít nhất một mục)"
    if kind == "too_long":
        return f"quá nhiều mục (tối đa {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "không được để trống"
    if kind == "string_too_long":
        return f"quá dài (tối đa {ctx.get('max_length')} ký tự)"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return "phải là ngày, viết dạng 2026-01-05 hoặc 05/01/2026"
    # Our own validators raise PydanticCustomError with a Vietnamese message.
    return str(err["msg"])


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional/Annotated/list peeled)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Walk ``loc`` through the model's annotations to the model that owns its last key."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            options = [
                typing.get_args(t)[0]
                for t in _unwrap(current)
                if typing.get_origin(t) is list and typing.get_args(t)
            ]
            current = options[0] if options else None
            continue
        models = [t for t in _unwrap(current) if isinstance(t, type) and issubclass(t, BaseModel)]
        if not models or part not in models[0].model_fields:
            return None
        current = models[0].model_fields[part].annotation
    models = [t for t in _unwrap(current) if isinstance(t, type) and issubclass(t, BaseModel)]
    return models[0] if models else None


def _renamed(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The new name of the key at ``loc`` if its model once called it so (``renamed_keys``)."""
    owner = _model_at(model, loc[:-1])
    renamed: dict[str, str] = getattr(owner, "renamed_keys", {}) if owner else {}
    return renamed.get(str(loc[-1]))


def problems_from(exc: ValidationError, source: SourceFile, model: type[BaseModel]) -> list[Problem]:
    """Translate a pydantic ValidationError into located Vietnamese problems."""
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    # A key written under its old name: one problem there, not also "missing" for the new one.
    moved = {
        (*loc[:-1], new)
        for err in errors
        if err["type"] == "extra_forbidden"
        and (new := _renamed(model, loc := tuple(err["loc"]))) is not None
    }
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc in moved:
            continue
        if err["type"] == "extra_forbidden" and (new := _renamed(model, loc)) is not None:
            key = str(loc[-1])
            problems.append(
                source.problem(
                    loc,
                    f"khóa '{key}' đã được đổi tên thành '{new}'",
                    hint=f"sửa '{key}:' thành '{new}:'",
                    key=True,
                )
            )
            continue
        if err["type"] == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            key = str(loc[-1])
            allowed = list(owner.model_fields) if owner else []
            hint = did_you_mean(key, allowed)
            if hint is None and allowed:
                hint = "các khóa được phép: " + ", ".join(allowed)
            problems.append(
                source.problem(loc, f"khóa '{key}' không được dùng ở đây", hint=hint, key=True)
            )
            continue
        problems.append(source.problem(loc, _message(err), hint=_number_hint(err)))
    return problems


def validate(source: SourceFile, model: type[M]) -> M:
    """Validate ``source.data`` as ``model``.

    Raises:
        InputError: with one located problem per validation error.
    """
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, source, model)) from None
