"""Every free-text field of every input file, found by walking the models, and where to put
a value for it in a copy of the sample workspace.

A field is free text when its type is ``Dong`` (one line) or ``DoanVan`` (prose) of
docgen/models/common.py. The input files are the workspace's own (ward, cell, roster) and
each registered kind's ``input_model``, so a new kind or a new field is found here without
editing this module; tests assert the set found, so a new field is a visible change.
"""

from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, BeforeValidator

from docgen.documents import KIND_NAMES, get_kind
from docgen.models import common, org
from docgen.models.org import ChiBoFile, DangBoFile, DanhSachFile

CELL = "to-dan-pho-5"
YEAR = 2026
QUARTER = 3


@dataclass(frozen=True)
class InputFile:
    """One input file of the sample workspace and the model that reads it.

    Attributes:
        rel: Its path in the workspace (``chi-bo/to-dan-pho-5/2026/quy-3.yaml``).
        model: The pydantic model of the whole file.
        kinds: The kinds that read it: the kind whose input it is, then the kinds that
            read it too (the minutes read the resolution's, the quarters' and the year's
            meetings); empty: every kind reads it, through the workspace.
    """

    rel: str
    model: type[BaseModel]
    kinds: tuple[str, ...]


def input_files() -> list[InputFile]:
    """The workspace files, then each kind's input file for the sample cell, year, quarter,
    with every kind whose ``input_paths`` name it in the sample workspace."""
    files = [
        InputFile("dang-bo.yaml", DangBoFile, ()),
        InputFile(f"chi-bo/{CELL}/chi-bo.yaml", ChiBoFile, ()),
        InputFile(f"chi-bo/{CELL}/dang-vien.yaml", DanhSachFile, ()),
    ]
    for name in KIND_NAMES:
        kind = get_kind(name)
        if kind.input_model is None or kind.input_glob is None:
            continue
        folder = f"{YEAR}" if kind.scope == "dang_bo" else f"chi-bo/{CELL}/{YEAR}"
        stem = kind.input_glob.replace("*", f"{QUARTER}" if kind.needs_quarter else "")
        files.append(InputFile(f"{folder}/{stem}", kind.input_model, (name,)))
    read = _read_by()
    return [
        InputFile(f.rel, f.model, (*f.kinds, *(k for k in read.get(f.rel, []) if k not in f.kinds)))
        if f.kinds
        else f
        for f in files
    ]


def _read_by() -> dict[str, list[str]]:
    """Each input file of the sample cell and year -> the kinds whose ``input_paths`` name it."""
    from docgen.workspace import load_workspace
    from tests.conftest import SAMPLE

    ws = load_workspace(SAMPLE)
    out: dict[str, list[str]] = {}
    for name in KIND_NAMES:
        for path in get_kind(name).input_paths(ws, CELL, YEAR):
            out.setdefault(path.relative_to(SAMPLE).as_posix(), []).append(name)
    return out


@dataclass(frozen=True)
class TextField:
    """A free-text field: its file, its path in the model (``[]`` for a list item)."""

    file: str
    path: tuple[str, ...]
    prose: bool

    @property
    def name(self) -> str:
        return ".".join(self.path).replace(".[]", "[]")


def _text_kind(annotation: Any) -> str | None:
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in typing.get_args(annotation)[1:]:
            if isinstance(meta, BeforeValidator) and meta.func is common._single_line:
                return "dong"
            # cap_tren: one line or a list of lines; filled here as one line
            if isinstance(meta, BeforeValidator) and meta.func is org._superior_lines:
                return "dong"
            if isinstance(meta, BeforeValidator) and meta.func is common._paragraphs:
                return "doan"
    return None


def _visit(annotation: Any, path: tuple[str, ...]) -> typing.Iterator[tuple[tuple[str, ...], str]]:
    kind = _text_kind(annotation)
    if kind is not None:
        yield path, kind
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _visit(typing.get_args(annotation)[0], path)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _visit(arg, path)
    elif origin is list:
        yield from _visit(typing.get_args(annotation)[0], (*path, "[]"))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            yield from _visit(info.rebuild_annotation(), (*path, name))


def text_fields() -> list[TextField]:
    """Every Dong and DoanVan field of every input file, in model order."""
    out = []
    for f in input_files():
        for path, kind in _visit(f.model, ()):
            out.append(TextField(f.rel, path, kind == "doan"))
    return out


# Settings that name things (a rule set, a folder), not text for a document.
NOT_FREE_TEXT = {"cai_dat.bo_quy_tac", "cai_dat.thu_muc_mau"}

# A valid instance for lists or sections the sample file leaves out, so their fields can be
# filled (keyed by the path of the missing value).
SEEDS: dict[tuple[str, ...], Any] = {
    ("phan_cong_nhiem_vu", "hoi_nghi"): {
        "ngay": "2026-02-01",
        "so_co_mat": 20,
        "vang": [{"dang_vien": "dv14", "ly_do": "Ốm"}],
    },
    ("bao_cao_quy", "mat_doan_ket"): [{"ngay": "2026-08-10", "noi_dung": "Mâu thuẫn trong tổ"}],
    ("bao_cao_quy", "ky_luat"): [
        {"dang_vien": "dv05", "hinh_thuc": "khien_trach", "ngay": "2026-08-10", "ly_do": "Vi phạm"}
    ],
    ("bao_cao_nam", "ky_luat"): [
        {"dang_vien": "dv05", "hinh_thuc": "khien_trach", "ngay": "2026-11-10", "ly_do": "Vi phạm"}
    ],
    ("dang_vien", "[]", "dinh_chi_sinh_hoat"): {"tu_ngay": "2027-06-01", "ly_do": "Đang bị xem xét"},
    # the minutes' opinions and votes (docgen/models/meeting.py) of the meetings without them
    **{
        (*meeting, key): seed
        for meeting in (("phan_cong_nhiem_vu", "hoi_nghi"), ("bao_cao_nam", "hoi_nghi"))
        for key, seed in (
            ("y_kien", [{"nguoi": "Đồng chí Bí thư Đảng ủy phường", "noi_dung": "Nhất trí"}]),
            ("bieu_quyet", [{"noi_dung": "Thông qua"}]),
        )
    },
}

# Lists whose values go first to one item, when it holds the field or its section: the
# quarter's meetings, to the evaluation meeting, whose minutes (bien-ban) print them.
PREFERRED: dict[tuple[str, ...], tuple[str, Any]] = {
    ("bao_cao_quy", "buoi_sinh_hoat"): ("danh_gia_quy", True),
}


def place(data: Any, field: TextField, value: str) -> tuple[Any, tuple[str | int, ...]]:
    """A copy of ``data`` with ``value`` at ``field``; and the concrete path it went to.

    A list item is the first one that already holds the field (else the first one that
    holds its section, else the first), the PREFERRED item of its list taken before the
    others. Prose is appended as a new last paragraph item, so the items the sample
    already has keep their places and punctuation.
    """
    data = copy.deepcopy(data)
    node: Any = data
    concrete: list[str | int] = []
    parts = list(field.path)
    for i, part in enumerate(parts[:-1]):
        if part == "[]":
            rest = parts[i + 1 :]
            index = _choose(node, rest, PREFERRED.get(_generic(concrete)))
            concrete.append(index)
            node = node[index]
            continue
        concrete.append(part)
        if node.get(part) is None:
            seed = SEEDS.get(_generic(concrete))
            assert seed is not None, f"the sample has no {'.'.join(map(str, concrete))}: add a seed"
            node[part] = copy.deepcopy(seed)
        node = node[part]
    leaf = parts[-1]
    concrete.append(leaf)
    if field.prose:
        existing = node.get(leaf)
        items = [existing] if isinstance(existing, str) else list(existing or [])
        items.append(value)
        node[leaf] = items
        concrete.append(len(items) - 1)
    else:
        node[leaf] = value
    return data, tuple(concrete)


def _generic(concrete: list[str | int]) -> tuple[str, ...]:
    return tuple("[]" if isinstance(p, int) else p for p in concrete)


def _choose(items: list[Any], rest: list[str], preferred: tuple[str, Any] | None) -> int:
    def holds(item: Any, keys: list[str]) -> bool:
        for key in keys:
            if key == "[]":
                if not isinstance(item, list) or not item:
                    return False
                item = item[0]
                continue
            if not isinstance(item, dict) or item.get(key) is None:
                return False
            item = item[key]
        return True

    order = list(range(len(items)))
    if preferred is not None:
        key, value = preferred
        order.sort(key=lambda i: not (isinstance(items[i], dict) and items[i].get(key) == value))
    for want in (rest, rest[:-1]):
        for index in order:
            if holds(items[index], want):
                return index
    return order[0] if order else 0


def read_sample(root: Path, rel: str) -> Any:
    """The data of a sample file as docgen's loader reads it (dates stay text)."""
    from docgen.yamlsource import load_source

    return load_source(root / rel).data
