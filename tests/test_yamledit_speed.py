"""docgen/yamledit.py's cache of round-trip trees: a save starting from the text the
previous save made reuses that save's tree instead of loading the text again with
ruamel, and writes exactly what a fresh load would have written."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from docgen import yamledit
from docgen.errors import InputError, OutputError
from docgen.yamledit import new_text, updated_text
from docgen.yamlsource import parse_text
from tests.test_yamledit import _DATA, _KEY, _TOP, FILES, REPO

QUY3 = REPO / "data/chi-bo/to-dan-pho-5/2026/quy-3.yaml"


def read(text: str) -> Any:
    return parse_text(text, Path("x.yaml"), "x.yaml").data


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    yamledit._trees.clear()
    yield
    yamledit._trees.clear()


def fresh(text: str, data: Any) -> str:
    """updated_text as if no tree were kept (ruamel loads ``text``)."""
    saved = dict(yamledit._trees)
    yamledit._trees.clear()
    try:
        return updated_text(text, data)
    finally:
        yamledit._trees.clear()
        yamledit._trees.update(saved)


def edits(data: Any) -> Iterator[Any]:
    """A few successive changes of a file's data, as a secretary makes them."""
    report = data["bao_cao_quy"]
    for n in range(3):
        data = copy.deepcopy(data)
        report = data["bao_cao_quy"]
        report["kien_nghi"] = [f"Kiến nghị lần {n}", *(["thêm một dòng"] * n)]
        meetings = report["buoi_sinh_hoat"]
        if n == 1:
            meetings.append({**meetings[-1], "ngay": datetime.date(2026, 9, 28)})
        if n == 2:
            del meetings[0]
            report.pop("kien_nghi")
        yield data


def test_a_second_save_does_not_load_the_text_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = QUY3.read_text(encoding="utf-8")
    first, second, _ = edits(read(text))
    out = updated_text(text, first)
    loads: list[str] = []
    real = YAML.load
    monkeypatch.setattr(YAML, "load", lambda self, stream: loads.append(stream) or real(self, stream))
    again = updated_text(out, second)
    assert loads == []
    assert again == fresh(out, second)


def test_successive_saves_write_what_fresh_loads_would_write() -> None:
    text = QUY3.read_text(encoding="utf-8")
    for data in edits(read(text)):
        expected = fresh(text, data)
        text = updated_text(text, data)
        assert text == expected


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_two_saves_of_any_sample_file_are_as_without_the_cache(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = read(text)
    if not isinstance(data, dict):
        pytest.skip("not a mapping")
    first = {**data, "ghi_chu_them": "lần một"}
    second = {k: v for k, v in first.items() if k != next(iter(data))} | {"ghi_chu_them": "lần hai"}
    out = updated_text(text, first)
    assert updated_text(out, second) == fresh(out, second)


def test_a_tree_is_used_once() -> None:
    text = QUY3.read_text(encoding="utf-8")
    first, second, third = edits(read(text))
    out = updated_text(text, first)
    assert len(yamledit._trees) == 1
    a = updated_text(out, second)  # takes the tree of ``out``
    b = updated_text(out, third)  # the same text again: loaded afresh, not the changed tree
    assert a == fresh(out, second) and b == fresh(out, third)


def test_crlf_texts_use_the_tree_too(monkeypatch: pytest.MonkeyPatch) -> None:
    text = QUY3.read_text(encoding="utf-8").replace("\n", "\r\n")
    first, second, _ = edits(read(text))
    out = updated_text(text, first)
    expected = fresh(out, second)
    monkeypatch.setattr(YAML, "load", lambda self, stream: pytest.fail("loaded again"))
    assert updated_text(out, second) == expected
    assert "\r\n" in expected


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamledit, "_TREES_MAX", 3)
    texts = [new_text({"a": n}) for n in range(5)]
    for n, text in enumerate(texts):
        yamledit._keep_tree(text, object(), (2, 4, 2))
        assert len(yamledit._trees) == min(n + 1, 3)
    assert yamledit._take_tree(texts[0]) is None  # the oldest went first
    assert yamledit._take_tree(texts[4]) is not None


def test_the_cache_is_bounded_in_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamledit, "_TREES_MAX_CHARS", 400)
    yamledit._keep_tree("x" * 101, object(), (2, 4, 2))  # over a quarter of the bound: not kept
    assert not yamledit._trees
    for n in range(5):
        yamledit._keep_tree(f"{n}" * 90, object(), (2, 4, 2))
    assert sum(size for *_, size in yamledit._trees.values()) <= 400
    assert yamledit._take_tree("4" * 90) is not None and yamledit._take_tree("0" * 90) is None


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], deadline=None)
@given(_TOP, _TOP, st.dictionaries(_KEY, _DATA, max_size=3), st.lists(_KEY, max_size=2))
def test_property_a_kept_tree_writes_what_a_fresh_load_writes(
    first: dict[str, Any], second: dict[str, Any], third: dict[str, Any], dropped: list[str]
) -> None:
    yamledit._trees.clear()
    try:
        text = updated_text(new_text(first), {**first, **second})
    except (OutputError, InputError):
        return
    merged = {k: v for k, v in {**read(text), **third}.items() if k not in dropped}
    try:
        expected = fresh(text, merged)
    except (OutputError, InputError):
        return
    assert updated_text(text, merged) == expected


def test_a_select_knows_whether_its_value_is_one_of_its_choices() -> None:
    from docgen.web.forms import Input

    member = Input("chu_tri", ("chu_tri",), "member", "Chủ trì", "", False, value="dv02",
                   choices=[("dv01", "Nguyễn Văn A (dv01)"), ("dv02", "Trần Thị B (dv02)")])  # fmt: skip
    assert member.listed
    member.value = "dv99"  # no longer on the roster: shown as such
    assert not member.listed
