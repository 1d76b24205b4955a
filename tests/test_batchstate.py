"""The incremental batch's memory (docgen/batchstate.py): fingerprints that change with
everything a cell's documents are made from, and a state file read as hostile."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from docgen.batchstate import (
    STATE_FORMAT,
    BatchState,
    Fingerprints,
    files_digest,
    load_state,
    state_path,
)


def _tree(root: Path) -> Path:
    (root / "2026").mkdir(parents=True)
    (root / "chi-bo.yaml").write_text("chi_bo:\n  ten: A\n", encoding="utf-8")
    (root / "2026" / "quy-3.yaml").write_text("bao_cao_quy: {}\n", encoding="utf-8")
    return root


def test_files_digest_changes_with_any_byte_name_or_new_file(tmp_path: Path) -> None:
    folder = _tree(tmp_path / "cb")
    first = files_digest(folder)
    assert first == files_digest(folder)
    (folder / "2026" / "quy-3.yaml").write_text("bao_cao_quy: {} \n", encoding="utf-8")
    second = files_digest(folder)
    assert second != first
    (folder / "2026" / "quy-3.yaml").rename(folder / "2026" / "quy-4.yaml")
    third = files_digest(folder)
    assert third not in {first, second}
    (folder / "ghi-chu.txt").write_text("x", encoding="utf-8")
    assert files_digest(folder) != third
    (folder / "2026" / "trong").mkdir()
    assert files_digest(folder) != third


def test_files_digest_of_a_missing_folder_and_skipped_names(tmp_path: Path) -> None:
    assert files_digest(tmp_path / "khong-co") == ""
    folder = _tree(tmp_path / "cb")
    before = files_digest(folder, frozenset({"__pycache__"}))
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert files_digest(folder, frozenset({"__pycache__"})) == before
    assert files_digest(folder) != before


def test_files_digest_does_not_follow_symlinks_or_read_fifos(tmp_path: Path) -> None:
    folder = _tree(tmp_path / "cb")
    before = files_digest(folder)
    os.mkfifo(folder / "ong")  # reading it would block: it must not be read
    (folder / "lien-ket").symlink_to("/dev/zero")
    after = files_digest(folder)
    assert after != before


def _fingerprints(tmp_path: Path, **changes: object) -> Fingerprints:
    args: dict[str, object] = {
        "settings": {"quy": 3, "nam": 2026, "draft": False},
        "ward_files": [tmp_path / "dang-bo.yaml"],
        "ward_folders": [tmp_path / "2026"],
        "templates": [tmp_path / "mau.docx"],
        "register": "abc",
        "cell_folders": {"a": tmp_path / "chi-bo" / "a", "b": tmp_path / "chi-bo" / "b"},
        "today": date(2026, 12, 3),
    }
    args.update(changes)
    return Fingerprints.of(**args)  # type: ignore[arg-type]


def test_fingerprints_change_with_each_input(tmp_path: Path) -> None:
    (tmp_path / "dang-bo.yaml").write_text("dang_bo: {}\n", encoding="utf-8")
    (tmp_path / "mau.docx").write_bytes(b"PK")
    (tmp_path / "2026").mkdir()
    _tree(tmp_path / "chi-bo" / "a")
    _tree(tmp_path / "chi-bo" / "b")
    base = _fingerprints(tmp_path)
    assert base == _fingerprints(tmp_path)
    for change in (
        {"settings": {"quy": 3, "nam": 2026, "draft": True}},
        {"register": "abd"},
        {"today": date(2026, 12, 4)},
    ):
        other = _fingerprints(tmp_path, **change)
        assert other.common != base.common and other.cell("a") != base.cell("a"), change
    (tmp_path / "mau.docx").write_bytes(b"PK!")
    assert _fingerprints(tmp_path).common != base.common
    (tmp_path / "mau.docx").write_bytes(b"PK")
    (tmp_path / "2026" / "tong-hop-quy-3.yaml").write_text("x: 1\n", encoding="utf-8")
    assert _fingerprints(tmp_path).common != base.common
    (tmp_path / "2026" / "tong-hop-quy-3.yaml").unlink()
    # one cell's change changes that cell's fingerprint and the ward's, not the others'
    (tmp_path / "chi-bo" / "a" / "chi-bo.yaml").write_text("chi_bo:\n  ten: B\n", encoding="utf-8")
    changed = _fingerprints(tmp_path)
    assert changed.common == base.common
    assert changed.cell("a") != base.cell("a")
    assert changed.cell("b") == base.cell("b")
    assert changed.ward() != base.ward()


def test_the_register_part_is_set_apart(tmp_path: Path) -> None:
    _tree(tmp_path / "chi-bo" / "a")
    _tree(tmp_path / "chi-bo" / "b")
    base = _fingerprints(tmp_path)
    later = base.with_register("xyz")
    assert later == _fingerprints(tmp_path, register="xyz")
    assert later.cell("a") != base.cell("a") and later.ward() != base.ward()
    assert later.with_register("abc") == base


def test_state_round_trip_and_outcome_only_for_the_same_fingerprint(tmp_path: Path) -> None:
    state = BatchState()
    state.put("a", "f1", {"records": [{"kind": "bao-cao-quy"}], "warnings": ["w"], "notes": []})
    path = tmp_path / "s.json"
    path.write_bytes(state.to_bytes())
    again = load_state(path)
    assert again.outcome("a", "f1") == {"records": [{"kind": "bao-cao-quy"}], "warnings": ["w"], "notes": []}
    assert again.outcome("a", "f2") is None
    assert again.outcome("b", "f1") is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[]",
        json.dumps({"format": STATE_FORMAT + 1, "entries": {}}).encode(),
        json.dumps({"format": STATE_FORMAT, "entries": []}).encode(),
        json.dumps({"format": STATE_FORMAT, "entries": {"a": {"fingerprint": 1, "outcome": {}}}}).encode(),
        json.dumps({"format": STATE_FORMAT, "entries": {"a": {"fingerprint": "f", "outcome": []}}}).encode(),
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_a_bad_state_file_is_an_empty_state(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(content)
    assert load_state(path).entries == {}


def test_a_missing_or_non_regular_state_file_is_an_empty_state(tmp_path: Path) -> None:
    assert load_state(tmp_path / "khong-co.json").entries == {}
    os.mkfifo(tmp_path / "ong.json")
    assert load_state(tmp_path / "ong.json").entries == {}


def test_state_lives_beside_the_manifest() -> None:
    assert state_path("ngoc-ha", 2026, "quy-3") == Path("ngoc-ha/2026/.docgen-batch-quy-3.json")
