"""A workspace parses each YAML file once per run (docgen/workspace.py SourceCache)."""

from __future__ import annotations

from pathlib import Path

import pytest

import docgen.yamlsource as yamlsource
from docgen.errors import InputError
from docgen.models.org import ChiBoFile
from docgen.workspace import SourceCache
from docgen.yamlsource import watch_legacy

CELL = Path(__file__).resolve().parents[1] / "data/chi-bo/to-dan-pho-5/chi-bo.yaml"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = yamlsource.parse_text

    def counting(text: str, path: Path, display: str) -> yamlsource.SourceFile:
        seen.append(display)
        return real(text, path, display)

    monkeypatch.setattr("docgen.workspace.parse_text", counting)
    return seen


def test_parsed_once_and_again_when_changed(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    cache = SourceCache()
    first = cache.load_source(path, "a.yaml")
    assert cache.load_source(path, "a.yaml") is first
    assert parses == ["a.yaml"]
    path.write_text("a: 2\n", encoding="utf-8")  # same size, maybe the same mtime
    assert cache.load_source(path, "a.yaml").data == {"a": 2}
    assert parses == ["a.yaml", "a.yaml"]


def test_model_validated_once(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "chi-bo.yaml"
    path.write_bytes(CELL.read_bytes())
    cache = SourceCache()
    model, source = cache.load_model(path, ChiBoFile)
    again, source_again = cache.load_model(path, ChiBoFile)
    assert again is model and source_again is source
    assert len(parses) == 1


def test_problems_raised_again(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: [1\n", encoding="utf-8")
    cache = SourceCache()
    with pytest.raises(InputError) as first:
        cache.load_source(path, "a.yaml")
    with pytest.raises(InputError) as second:
        cache.load_source(path, "a.yaml")
    assert second.value.problems == first.value.problems
    assert len(parses) == 1


def test_cached_file_tells_legacy_text_in_a_new_watch(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    # "Chi bộ" typed in TCVN3 and pasted as Unicode
    path.write_text("ten: Chi bé ®¶ng viªn\n", encoding="utf-8")
    cache = SourceCache()
    with watch_legacy() as first:
        cache.load_source(path, "a.yaml")
    with watch_legacy() as second:
        cache.load_source(path, "a.yaml")
    assert first and second == first
