"""The parse cache kept between runs (docgen/parsecache.py, issue 19): a file's parse
read back is the parse, entries are read as hostile input, the cache can be turned off."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
import stat
import sys
import time
from pathlib import Path

import pytest

import docgen.parsecache as parsecache
import docgen.yamlsource as yamlsource
from docgen.errors import InputError
from docgen.models.org import DanhSachFile
from docgen.workspace import SourceCache, load_model
from docgen.yamlsource import SourceFile, decode_text, parse_text, watch_legacy
from tests.conftest import REPO

# Pasted from TCVN3 and VNI documents (tests/test_legacytext.py): told as warnings.
TCVN3_PASTED = "ViÖc cËp nhËt sæ s¸ch cña chi bé ®­îc thùc hiÖn ®Çy ®ñ, ®óng quy ®Þnh."
VNI_PASTED = "Vieäc caäp nhaät soå saùch cuûa chi boä ñöôïc thöïc hieän ñaày ñuû, ñuùng quy ñònh."
PAD = "\n# " + "x" * parsecache.MIN_BYTES + "\n"  # a comment: the same data, big enough to keep

ODD = {
    "legacy.yaml": f"a: {TCVN3_PASTED}\nb:\n  - {VNI_PASTED}\n  - thường\nc: {{d: '{TCVN3_PASTED}'}}\n",
    # DEL, NEL and the line separator: swapped for private-use stand-ins while parsing;
    # a private-use character of the file's own stays
    "stand-ins.yaml": "a: \"x\x7fy\"\nb: 'p\u2028q'\nc: \"\\x85 \\u2028\"\nd: \ue000 \U000f0000\n",
    "aliases.yaml": "a: &x [1, {p: q}]\nb: *x\nc: &y {p: [r, s]}\nd: [*y, *y]\ne: &s văn bản\nf: *s\n",
    "dates.yaml": "ngay: 2026-02-30\nluc: 24:00\nthoi_gian: 1:30\nnam: 2026\nso: 010\nma: 08\n",
    "numbers.yaml": "a: 123456789012345678901234567890\nb: -0x1F\nc: 0o17\nd: 1e400\ne: -.inf\n"
    "f: -0.0\ng: 1.5\nh: !!float 3\ni: !!str 12\n",
    "keys.yaml": "true: a\n1: b\n~: c\n010: d\n1.5: e\n'': f\n\"k\": g\n",
    "scalars.yaml": "a: true\nb: yes\nc: off\nd: null\ne:\nf: ''\ng: |\n  x\n   y\nh: >-\n  p\n  q\n"
    "i: 'it''s'\nj: \"tab\\there\"\n",
    # decomposed Vietnamese (as macOS pastes it): NFC in the data
    "nfd.yaml": "ho_ten: Nguye\u0302\u0303n Thi\u0323 A\n\"kho\u0301a\": 1\n",
    "nested.yaml": "- [1, [2, [3, {a: [b, {c: d}]}]]]\n- {}\n- []\n- - - x\n",
}


def _odd_files(folder: Path) -> list[Path]:
    files = []
    for name, text in ODD.items():
        path = folder / name
        path.write_text(text + PAD, encoding="utf-8")
        files.append(path)
    return files


def _sample_files(folder: Path) -> list[Path]:
    """Every YAML file of data/, padded when smaller than the cache keeps."""
    files = []
    for source in sorted((REPO / "data").rglob("*.yaml")):
        raw = source.read_bytes()
        if len(raw) < parsecache.MIN_BYTES:
            raw += PAD.encode()
        path = folder / source.relative_to(REPO / "data")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        files.append(path)
    return files


def _fresh(path: Path) -> tuple[SourceFile, list[str]]:
    with watch_legacy() as told:
        source = parse_text(decode_text(path.read_bytes(), "f.yaml"), path, "f.yaml")
    return source, [p.format() for p in told]


def _through_cache(path: Path) -> tuple[SourceFile | None, list[str]]:
    """Store the parse of ``path``, then read it back as another run would."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    parsecache.store(digest, parse_text(decode_text(raw, "f.yaml"), path, "f.yaml"), raw)
    with watch_legacy() as told:
        cached = parsecache.lookup(digest, len(raw), path, "f.yaml")
    return cached, [p.format() for p in told]


def _entries() -> list[Path]:
    folder = parsecache.cache_dir()
    assert folder is not None
    return sorted((folder / "yaml").glob("*/*.json"))


@pytest.mark.parametrize("kind", ["sample", "odd"])
def test_a_cached_parse_is_the_parse(tmp_path: Path, kind: str) -> None:
    files = _sample_files(tmp_path) if kind == "sample" else _odd_files(tmp_path)
    legacy_files = 0
    for path in files:
        fresh, told = _fresh(path)
        cached, told_again = _through_cache(path)
        assert cached is not None, path
        assert type(cached) is SourceFile
        assert (cached.path, cached.display) == (path, "f.yaml")
        assert repr(cached.data) == repr(fresh.data), path  # -0.0 and 0.0 are equal, not alike
        assert cached.legacy == fresh.legacy
        assert told_again == told
        # marks in the same order too, every path and its place
        assert list(cached.marks.items()) == list(fresh.marks.items()), path
        assert list(cached.key_marks.items()) == list(fresh.key_marks.items()), path
        assert cached == fresh
        deepest = max(fresh.marks, key=len)
        assert cached.problem(deepest, "x") == fresh.problem(deepest, "x")
        assert cached.locate((*deepest, "khong-co"), key=True) == fresh.locate((*deepest, "khong-co"), key=True)
        legacy_files += bool(told)
    assert len(_entries()) == len(files)
    if kind == "odd":
        assert legacy_files == 1


def test_marks_of_a_cached_parse_are_made_when_first_used(tmp_path: Path) -> None:
    [path] = [p for p in _odd_files(tmp_path) if p.name == "aliases.yaml"]
    fresh, _ = _fresh(path)
    cached, _ = _through_cache(path)
    assert cached is not None
    assert "marks" not in vars(cached)
    assert cached.key_marks == fresh.key_marks  # either table makes both
    assert vars(cached)["marks"] == fresh.marks and "_marks_later" not in vars(cached)
    # a copy, or one sent to a worker process, before its marks are made
    other, _ = _through_cache(path)
    assert copy.deepcopy(other) == fresh
    assert pickle.loads(pickle.dumps(other)) == fresh
    with pytest.raises(AttributeError):
        other.mark  # noqa: B018 - a misspelt attribute is still an error


def test_a_second_run_does_not_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dang-vien.yaml"
    path.write_bytes((REPO / "data/chi-bo/to-dan-pho-5/dang-vien.yaml").read_bytes())
    parses: list[str] = []
    real = yamlsource.parse_text

    def counting(text: str, where: Path, display: str) -> SourceFile:
        parses.append(display)
        return real(text, where, display)

    monkeypatch.setattr("docgen.workspace.parse_text", counting)
    first_model, first = SourceCache().load_model(path, DanhSachFile)
    second_model, second = SourceCache().load_model(path, DanhSachFile)
    assert len(parses) == 1
    assert second_model == first_model and second == first
    model, source = load_model(path, DanhSachFile)  # the function without a run's cache
    assert len(parses) == 1 and model == first_model and source == first
    # changed: parsed again, the new value read
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ho_ten: ", "ho_ten: X", 1), encoding="utf-8")
    third_model, _ = SourceCache().load_model(path, DanhSachFile)
    assert len(parses) == 2
    assert third_model.dang_vien[0].ho_ten.startswith("X")


def test_one_byte_changed_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n" + PAD, encoding="utf-8")
    assert SourceCache().load_source(path, "a.yaml").data == {"a": 1}
    path.write_text("a: 2\n" + PAD, encoding="utf-8")
    assert SourceCache().load_source(path, "a.yaml").data == {"a": 2}
    assert len(_entries()) == 2


def test_problems_and_small_files_are_not_kept(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\na: 2\n" + PAD, encoding="utf-8")
    small = tmp_path / "small.yaml"
    small.write_text("a: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as raised:
            SourceCache().load_source(bad, "bad.yaml")
        assert "bị lặp lại" in raised.value.problems[0].message
        assert SourceCache().load_source(small, "small.yaml").data == {"a": 1}
    assert _entries() == []


def _stored(tmp_path: Path) -> tuple[Path, Path, SourceFile]:
    """A file, its entry, and its fresh parse."""
    path = tmp_path / "a.yaml"
    path.write_text(f"a: [1, 2]\nb: {{c: văn bản}}\nd: {TCVN3_PASTED}\n" + PAD, encoding="utf-8")
    fresh, _ = _fresh(path)
    assert SourceCache().load_source(path, "f.yaml") == fresh
    [entry] = _entries()
    return path, entry, fresh


def _edit(entry: Path, **changes: object) -> None:
    content = json.loads(entry.read_bytes())
    content.update(changes)
    entry.write_text(json.dumps(content), encoding="utf-8")


HOSTILE = {
    "truncated": lambda e: e.write_bytes(e.read_bytes()[: len(e.read_bytes()) // 2]),
    "empty": lambda e: e.write_bytes(b""),
    "not json": lambda e: e.write_bytes(b"\x80\x81 not json"),
    "a list": lambda e: e.write_text("[1, 2]"),
    "deep": lambda e: e.write_text("[" * 100_000 + "]" * 100_000),
    "a key more": lambda e: _edit(e, extra=1),
    "another format": lambda e: _edit(e, format=2),
    "format true": lambda e: _edit(e, format=True),
    "another file's hash": lambda e: _edit(e, sha256="0" * 64),
    "another key": lambda e: _edit(e, key="0" * 64),
    "marks a list": lambda e: _edit(e, marks=[1, 1]),
    "marks not numbers": lambda e: _edit(e, marks="1,a"),
    "marks zero": lambda e: _edit(e, marks=",".join(["0"] * (2 * json.loads(e.read_bytes())["nodes"]))),
    "marks too few": lambda e: _edit(e, nodes=json.loads(e.read_bytes())["nodes"] + 1),
    "nodes a string": lambda e: _edit(e, nodes="5"),
    "no nodes": lambda e: _edit(e, nodes=0, marks=""),
    "key marks too many": lambda e: _edit(e, keys=0),
    "legacy a dict": lambda e: _edit(e, legacy={}),
    "legacy short": lambda e: _edit(e, legacy=[[["d"], 3, 4, 1, 2, "x", "tcvn3"]]),
    "legacy encoding": lambda e: _edit(e, legacy=[[["d"], 3, 4, 1, 2, "x", "utf-7", "y"]]),
    "legacy path": lambda e: _edit(e, legacy=[[[1.5], 3, 4, 1, 2, "x", "tcvn3", "y"]]),
    "legacy line": lambda e: _edit(e, legacy=[[["d"], "3", 4, 1, 2, "x", "tcvn3", "y"]]),
    "a folder": lambda e: (e.unlink(), e.mkdir()),
}


@pytest.mark.parametrize("damage", list(HOSTILE))
def test_a_damaged_entry_is_ignored_and_replaced(tmp_path: Path, damage: str) -> None:
    path, entry, fresh = _stored(tmp_path)
    HOSTILE[damage](entry)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert parsecache.lookup(digest, len(raw), path, "f.yaml") is None
    with watch_legacy() as told:
        again = SourceCache().load_source(path, "f.yaml")
    assert again == fresh and len(told) == 1  # parsed again, the warning told
    if damage != "a folder":  # a folder in its place is left alone
        assert parsecache.lookup(digest, len(raw), path, "f.yaml") == fresh


def test_a_huge_entry_is_neither_read_nor_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, entry, fresh = _stored(tmp_path)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    size = entry.stat().st_size
    monkeypatch.setattr(parsecache, "MAX_ENTRY_BYTES", size - 1)
    assert parsecache.lookup(digest, len(raw), path, "f.yaml") is None
    assert SourceCache().load_source(path, "f.yaml") == fresh
    assert _entries() == []
    monkeypatch.setattr(parsecache, "MAX_ENTRY_BYTES", size)
    assert SourceCache().load_source(path, "f.yaml") == fresh
    assert len(_entries()) == 1


def test_an_alias_bomb_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsecache, "MAX_ENTRY_BYTES", 200_000)
    path = tmp_path / "bomb.yaml"
    # 1,000 aliases of a 10,000-character text: 10 MB of text in an entry
    path.write_text("a: &t " + "x" * 10_000 + "\nb: [" + ", ".join(["*t"] * 1000) + "]\n", encoding="utf-8")
    made: list[object] = []
    real = json.dumps
    monkeypatch.setattr(json, "dumps", lambda *a, **k: made.append(a) or real(*a, **k))
    assert len(SourceCache().load_source(path, "f.yaml").data["b"]) == 1000
    assert _entries() == [] and made == []  # counted, never made into one


def test_an_entry_that_is_a_link_or_a_fifo_is_not_followed(tmp_path: Path) -> None:
    path, entry, fresh = _stored(tmp_path)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    target = tmp_path / "elsewhere.json"
    target.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(target)
    assert parsecache.lookup(digest, len(raw), path, "f.yaml") is None
    assert target.exists()  # the link went, not what it named
    if hasattr(os, "mkfifo"):
        os.mkfifo(entry)
        started = time.monotonic()
        assert parsecache.lookup(digest, len(raw), path, "f.yaml") is None
        assert time.monotonic() - started < 5


def test_marks_of_an_entry_not_made_with_its_data_never_fail(tmp_path: Path) -> None:
    path, entry, fresh = _stored(tmp_path)
    content = json.loads(entry.read_bytes())
    content["data"] = {"a": [1, 2, 3, 4, 5, 6, 7], "z": {"y": [[[]]]}}  # more values than marks
    entry.write_text(json.dumps(content), encoding="utf-8")
    raw = path.read_bytes()
    cached = parsecache.lookup(hashlib.sha256(raw).hexdigest(), len(raw), path, "f.yaml")
    assert cached is not None
    assert len(cached.marks) == content["nodes"]
    assert cached.locate(("z", "y", 0)) == (1, 1)  # past the last mark: the root's place


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("DOCGEN_CACHE_DIR", "off")
    assert parsecache.cache_dir() is None
    data = tmp_path / "data"
    data.mkdir()
    files = _odd_files(data)
    for path in files:
        SourceCache().load_source(path)
    raw = files[0].read_bytes()
    assert parsecache.lookup(hashlib.sha256(raw).hexdigest(), len(raw), files[0], "f") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_where_the_cache_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "c"))
    assert parsecache.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("DOCGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert parsecache.cache_dir() == tmp_path / "xdg" / "docgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/not/used")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert parsecache.cache_dir() == tmp_path / "home" / ".cache" / "docgen"


def test_the_tests_never_use_the_home_folder() -> None:
    folder = parsecache.cache_dir()
    assert folder is not None
    assert Path(os.environ["DOCGEN_TEST_CACHE_DIR"]) in folder.parents
    assert Path.home() not in folder.parents


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_folders_are_the_users_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "cache"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(root))
    path = _odd_files(tmp_path)[0]
    SourceCache().load_source(path)
    [entry] = sorted((root / "yaml").glob("*/*.json"))
    for folder in (root, root / "yaml", entry.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary left


def test_a_cache_that_cannot_be_written_never_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(blocker / "cache"))
    path = _odd_files(tmp_path)[0]
    fresh, _ = _fresh(path)
    assert SourceCache().load_source(path, "f.yaml") == fresh
    assert SourceCache().load_source(path, "f.yaml") == fresh


def test_another_parser_reads_other_entries(tmp_path: Path) -> None:
    path, entry, fresh = _stored(tmp_path)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    salt = parsecache._salt()
    assert salt is not None
    # the salt covers the parser's code: one byte of yamlsource.py changed changes it
    code = tmp_path / "yamlsource.py"
    code.write_bytes(Path(yamlsource.__file__).read_bytes() + b"\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlsource, "__file__", str(code))
        parsecache._salt.cache_clear()
        try:
            assert parsecache._salt() not in (None, salt)
            assert parsecache.lookup(digest, len(raw), path, "f.yaml") is None
        finally:
            parsecache._salt.cache_clear()
    assert parsecache.lookup(digest, len(raw), path, "f.yaml") == fresh


def test_prune_removes_the_least_recently_used(tmp_path: Path) -> None:
    root = tmp_path / "yaml"
    now = time.time()
    names = []
    for i in range(20):
        folder = root / f"{i % 3:02x}"
        folder.mkdir(parents=True, exist_ok=True)
        entry = folder / f"{i:04d}.json"
        entry.write_bytes(b"{}")
        os.utime(entry, (now - 1000 + i, now - 1000 + i))  # entry 19 the most recent
        names.append(entry)
    stale = root / "00" / ".x.tmp"
    stale.write_bytes(b"")
    os.utime(stale, (now - 7200, now - 7200))
    fresh_tmp = root / "00" / ".y.tmp"
    fresh_tmp.write_bytes(b"")
    parsecache.prune(root, max_entries=10)
    left = sorted(p.name for p in root.glob("*/*.json"))
    assert left == [f"{i:04d}.json" for i in range(12, 20)]
    assert not stale.exists() and fresh_tmp.exists()
    parsecache.prune(root, max_entries=10)  # under the limit: nothing more goes
    assert len(list(root.glob("*/*.json"))) == 8
    parsecache.prune(root, max_entries=100, max_bytes=10)  # by size: 8 x 2 bytes
    assert len(list(root.glob("*/*.json"))) == 4


def test_an_entry_read_is_marked_recently_used(tmp_path: Path) -> None:
    path, entry, fresh = _stored(tmp_path)
    two_days_ago = time.time() - 2 * 86400
    os.utime(entry, (two_days_ago, two_days_ago))
    assert SourceCache().load_source(path, "f.yaml") == fresh
    assert entry.stat().st_mtime > time.time() - 3600
