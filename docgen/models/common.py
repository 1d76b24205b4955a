"""Shared building blocks of the typed models: base config and field types.

Field names are the user's vocabulary (Vietnamese without diacritics, snake_case);
see docs/vocabulary.md. Messages raised here are Vietnamese.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from docgen.errors import DateFormatError
from docgen.formatting import parse_user_date

__all__ = ["Base", "DoanVan", "Dong", "Gio", "Ma", "Ngay", "parse_date", "parse_time"]


class Base(BaseModel):
    """Base of every model: unknown keys are errors, types are strict, values frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # Keys this model once had under another name: old name -> new name. An old key is
    # refused like any unknown key, with a message naming the new one (validation.py).
    renamed_keys: ClassVar[dict[str, str]] = {}


_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def _check_id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("ma_type", "mã phải là chữ")
    if not _ID.fullmatch(value):
        raise PydanticCustomError(
            "ma_format",
            "mã '{value}' không hợp lệ: chỉ dùng chữ thường không dấu, số, '-' hoặc '_' "
            "(tối đa 64 ký tự)",
            {"value": value},
        )
    return value


def _single_line(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise PydanticCustomError("trong", "không được để trống")
        # Every line break str.splitlines knows (U+2028, NEL...): prose splits on the same.
        if len(value.splitlines()) > 1:
            raise PydanticCustomError(
                "nhieu_dong", "chỉ được viết trên một dòng (không xuống dòng)"
            )
    return value


def _paragraphs(value: Any) -> Any:
    """Accept one string (one paragraph per line) or a list of strings."""
    if value is None:
        raise PydanticCustomError("trong", "không được để trống (cần ít nhất một mục)")
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list):
        items = value
    else:
        raise PydanticCustomError(
            "doan_van_type",
            "phải là một đoạn văn hoặc danh sách đoạn văn (mỗi mục bắt đầu bằng '- ')",
        )
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            if isinstance(item, int | float) and not isinstance(item, bool):
                item = str(item)
            elif isinstance(item, dict):
                raise PydanticCustomError(
                    "doan_van_item",
                    "mỗi mục phải là một câu văn; câu có dấu ': ' ở giữa thì phải đặt trong ngoặc kép",
                )
            else:
                raise PydanticCustomError(
                    "doan_van_item", "mỗi mục phải là một câu văn, không phải bảng hay danh sách"
                )
        out.extend(line.strip() for line in item.splitlines() if line.strip())
    return out


def parse_date(value: Any) -> Any:
    """Parse ``2026-01-05`` or ``05/01/2026`` into a date, with a Vietnamese message."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "ngay_type", "phải là ngày, viết dạng 2026-01-05 hoặc 05/01/2026"
        )
    try:
        return parse_user_date(value)
    except DateFormatError as exc:
        raise PydanticCustomError("ngay", str(exc)) from None


Ma = Annotated[str, BeforeValidator(_check_id)]
"""An identifier typed by the user (cell folder, member id): ``to-dan-pho-5``, ``dv01``."""

Dong = Annotated[str, BeforeValidator(_single_line), Field(strict=True)]
"""One line of text (a name, a title)."""

DoanVan = Annotated[list[str], BeforeValidator(_paragraphs)]
"""Prose: one string (each line a paragraph) or a list of paragraphs."""

Ngay = Annotated[date, BeforeValidator(parse_date)]
"""A date: ``2026-01-05`` or ``05/01/2026``."""


_TIME = re.compile(r"^(\d{1,2})\s*(?::|h|g|giờ)\s*(\d{1,2})?\s*(?:phút|p)?$", re.IGNORECASE)


def parse_time(value: Any) -> Any:
    """Read a time of day: ``"14:00"``, ``14h30``, ``14 giờ 30``, ``8g``, or a bare hour (``14``).

    An unquoted ``14:00`` is text to docgen's YAML reader (docgen/yamlsource.py; YAML 1.1
    would read 840 minutes), so the secretary need not quote it.
    """
    if isinstance(value, time):
        return value
    hour = minute = None
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < 24:
            hour, minute = value, 0
    elif isinstance(value, str):
        match = _TIME.match(value.strip())
        if match:
            hour, minute = int(match[1]), int(match[2] or 0)
    if hour is None or minute is None or not (0 <= hour < 24 and 0 <= minute < 60):
        shown = ("true" if value else "false") if isinstance(value, bool) else value
        raise PydanticCustomError(
            "gio",
            "'{value}' không phải giờ trong ngày; viết dạng \"14:00\" hoặc 14h30",
            {"value": shown},
        )
    return time(hour, minute)


Gio = Annotated[time, BeforeValidator(parse_time)]
"""A time of day: ``"14:00"``, ``14h30``, ``14 giờ 30``."""
