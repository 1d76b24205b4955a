"""The glossary (docs/vocabulary.md) read as data: what each YAML key and value means.

docs/vocabulary.md is the one place where every key of the workspace files is explained;
the secretary's guide points to it and ``docgen check`` names keys by it. The web forms
take their labels from it too, so a key is explained once. Its tables have rows
``| `key` | meaning (English) |`` under sections named by the file they describe
(``## Báo cáo quý (...)``); a key's label is the meaning up to its first
``:`` or ``(``, and a value written ``` `tot` (Hoàn thành tốt nhiệm vụ) ``` anywhere gives
that value its label.

An installed wheel carries the file at docgen/data/docs/vocabulary.md (pyproject.toml);
a source checkout reads docs/vocabulary.md (docgen.resources.builtin_dir).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

__all__ = ["Glossary", "Meaning", "glossary"]

# The model of the file a section describes, by a mark in the section's title.
_CONTEXTS = {
    "DanhSachFile": "## Đảng viên",
    "KeHoachFile": "## Kế hoạch (",
    "PhanCongFile": "## Phân công nhiệm vụ",
    "BaoCaoQuyFile": "## Báo cáo quý",
    "BaoCaoNamFile": "## Báo cáo năm",
    "ChiTietHop": "## Biên bản",
}
_ROW = re.compile(r"^\|\s*(`[^|]*?)\s*\|\s*(.*?)\s*\|\s*$")
_KEY = re.compile(r"`([a-z0-9_]+)`")
_VALUE = re.compile(r"`([a-z0-9_]+)`\s*\(([^()`]+)\)")
_ENGLISH = re.compile(r"\s*\([^()]*[A-Za-z][^()]*\)\s*$")


@dataclass(frozen=True)
class Meaning:
    """A key's entry: ``label`` (a few words) and ``text`` (the whole meaning, no English)."""

    label: str
    text: str


@dataclass
class Glossary:
    """Keys and values of the workspace files, as docs/vocabulary.md explains them."""

    keys: dict[str, Meaning] = field(default_factory=dict)
    in_context: dict[str, dict[str, Meaning]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    prose_values: dict[str, str] = field(default_factory=dict)

    def meaning(self, key: str, context: str | None = None) -> Meaning | None:
        """The meaning of ``key`` in the file whose model is ``context`` (``BaoCaoQuyFile``),
        else anywhere."""
        if context is not None and key in self.in_context.get(context, {}):
            return self.in_context[context][key]
        return self.keys.get(key)

    def value_label(self, value: str) -> str | None:
        """The words for a value written as a code (``tot`` → ``Hoàn thành tốt nhiệm vụ``)."""
        return self.prose_values.get(value) or self.values.get(value)


def _meaning(text: str) -> Meaning:
    text = _ENGLISH.sub("", text).strip()
    label = re.split(r"[:(;]|, ghi| hoặc `", text, maxsplit=1)[0].strip().rstrip(",")
    if "`" in label:  # "đảng viên vắng mặt, mỗi mục có `dang_vien`...": the words before the codes
        head = label[: label.index("`")]
        label = head[: head.rfind(", ")] if ", " in head else ""
    if not label:
        label = text
    return Meaning(label[:1].upper() + label[1:], text)


def parse(markdown: str) -> Glossary:
    """Read the glossary's tables and value labels from the text of docs/vocabulary.md."""
    result = Glossary()
    context: str | None = None
    shared: set[str] = set()  # keys known so far only from a row naming several keys
    for line in markdown.splitlines():
        if line.startswith("## "):
            context = next((name for name, mark in _CONTEXTS.items() if mark in line), None)
            continue
        row = _ROW.match(line)
        # a value's words in prose ("Các mức xếp loại: `tot` (...)") before those in a table
        values = result.values if row else result.prose_values
        for value, words in _VALUE.findall(line):
            if not words.startswith("trong ") and (words == value or not words.isascii()):
                values.setdefault(value, words.strip())  # (an ASCII phrase is the English)
        if row is None:
            continue
        keys_cell, text = row.groups()
        keys = _KEY.findall(keys_cell)
        qualified = "(trong" in keys_cell  # "`chi_bo` (trong báo cáo quý)": that file only
        meaning = _meaning(text)
        parts = meaning.label.split(", ")
        for index, key in enumerate(keys):
            if len(keys) > 1 and len(parts) == len(keys):  # "`tu_ngay`, `den_ngay` | từ ngày, đến ngày"
                part = parts[index]
                own = Meaning(part[:1].upper() + part[1:], meaning.text)
            else:
                own = meaning
            if context is not None:
                result.in_context.setdefault(context, {}).setdefault(key, own)
            if not qualified and (key not in result.keys or key in shared and len(keys) == 1):
                result.keys[key] = own  # a row of its own says it better than a shared one
                (shared.add if len(keys) > 1 else shared.discard)(key)
    return result


@cache
def glossary() -> Glossary:
    """The glossary docgen ships (docs/vocabulary.md)."""
    from docgen.resources import builtin_dir

    return parse((builtin_dir("docs") / "vocabulary.md").read_text(encoding="utf-8"))
