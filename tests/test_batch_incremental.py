"""An incremental batch (issue 19 item 5): a re-run with nothing changed rewrites nothing;
a change in one cell makes that cell's documents and the ward's summary again, and what
it writes is byte for byte what a full batch writes."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen.batch as batch_module
from docgen.batch import run_batch
from docgen.cli import cli
from docgen.register import Register
from tests.synthetic import build_ward

CELLS = ["chi-bo-001", "chi-bo-002", "chi-bo-003"]


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    return build_ward(tmp_path / "phuong", len(CELLS), 5)


def _files(out: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under ``out`` (hidden ones too): (inode, mtime_ns, sha256)."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name != ".docgen.lock":
            st = path.stat()
            found[path.relative_to(out).as_posix()] = (
                st.st_ino, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()
            )
    return found


def _documents(out: Path) -> dict[str, str]:
    return {k: v[2] for k, v in _files(out).items() if k.endswith(".docx")}


def _run(ward: Path, out: Path, **kw: object) -> batch_module.BatchResult:
    result = run_batch(ward, year=2026, quarter=3, output_root=out, jobs=1, **kw)  # type: ignore[arg-type]
    assert not result.failed, [r.errors for r in result.failed]
    return result


def test_a_rerun_with_nothing_changed_rewrites_no_document(ward: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _run(ward, out)
    assert first.unchanged == 0
    before = _files(out)
    again = _run(ward, out)
    assert again.unchanged == len(CELLS)
    after = _files(out)
    for name, entry in before.items():
        if name.endswith(".docx"):
            assert after[name] == entry, name  # same inode, same time, same bytes
    # the same documents, numbers and sources; issued then, the same as issued now
    assert [(r.kind, r.cell, r.output, r.sha256, r.number, r.sources) for r in again.records] == [
        (r.kind, r.cell, r.output, r.sha256, r.number, r.sources) for r in first.records
    ]
    assert {r.issue_state for r in first.records} == {"moi"}
    assert {r.issue_state for r in again.records} == {"giong"}
    # a third run rewrites nothing at all: documents, manifest, state
    third = _run(ward, out)
    assert third.unchanged == len(CELLS)
    assert _files(out) == after


def test_a_change_in_one_cell_makes_that_cell_and_the_summary_only(ward: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(ward, out)
    before = _files(out)
    quarter = ward / "chi-bo" / "chi-bo-002" / "2026" / "quy-3.yaml"
    quarter.write_text(quarter.read_text(encoding="utf-8").replace("diem_chung: 26", "diem_chung: 25", 1), encoding="utf-8")
    result = _run(ward, out, reissue=True)
    assert result.unchanged == len(CELLS) - 1
    after = _files(out)
    changed = {name for name in before if name.endswith(".docx") and after[name] != before[name]}
    assert changed == {"ngoc-ha/chi-bo-002/2026/bao-cao-quy-3.docx", "ngoc-ha/2026/tong-hop-quy-3.docx"}
    # what the incremental run wrote is what a full run writes from the same data
    full = tmp_path / "full"
    shutil.copytree(ward, tmp_path / "phuong-2")
    for p in (tmp_path / "phuong-2").glob("so-dang-ky-van-ban.sqlite*"):
        p.unlink()
    # issue in the same order (the register numbers), then compare every document
    _run(tmp_path / "phuong-2", full, incremental=False)
    assert {
        k: v for k, v in _documents(full).items() if "ban-hanh-lan" not in k
    } == {k: v for k, v in _documents(out).items() if "ban-hanh-lan" not in k}


def test_a_document_removed_or_edited_by_hand_is_made_again(ward: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(ward, out)
    made = _documents(out)
    gone = out / "ngoc-ha/chi-bo-001/2026/bao-cao-quy-3.docx"
    gone.unlink()
    edited = out / "ngoc-ha/chi-bo-003/2026/bao-cao-quy-3.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    result = run_batch(ward, year=2026, quarter=3, output_root=out, jobs=1)
    assert result.unchanged == 1  # chi-bo-002 only
    # the missing one is written again as issued; the one edited by hand is refused or
    # kept per the issue rules (never reused as if it were the issued document)
    assert gone.is_file() and hashlib.sha256(gone.read_bytes()).hexdigest() == made[gone.relative_to(out).as_posix()]
    states = {r.cell: r.status for r in result.records if r.kind == "bao-cao-quy"}
    assert states["chi-bo-001"] == "ok"


def test_everything_is_made_again_when_the_register_templates_or_day_change(
    ward: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _run(ward, out)
    assert _run(ward, out).unchanged == len(CELLS)
    # the register changed by another command (a row released, added...)
    register = Register.of(ward)
    with register._connect(write=True) as db:  # noqa: SLF001 - a change made from outside
        db.execute("UPDATE van_ban_di SET ghi_chu = 'x' WHERE id = 1")
    assert _run(ward, out).unchanged == 0
    assert _run(ward, out).unchanged == len(CELLS)

    # the ward office's own template
    own = ward / "mau"
    own.mkdir()
    from docgen.templates import BUILTIN_DIR

    shutil.copy(BUILTIN_DIR / "bao-cao-quy.docx", own / "bao-cao-quy.docx")
    assert _run(ward, out, templates_dir=own).unchanged == 0
    assert _run(ward, out, templates_dir=own).unchanged == len(CELLS)

    class Tomorrow(date):
        @classmethod
        def today(cls) -> date:
            return date(2030, 1, 2)

    monkeypatch.setattr(batch_module, "date", Tomorrow)
    assert _run(ward, out, templates_dir=own).unchanged == 0


def test_a_changed_docgen_or_ward_file_makes_everything_again(
    ward: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _run(ward, out)
    monkeypatch.setattr("docgen.batchstate.code_digest", lambda: "another docgen")
    assert _run(ward, out).unchanged == 0
    assert _run(ward, out).unchanged == len(CELLS)
    ward_file = ward / "dang-bo.yaml"
    ward_file.write_text(ward_file.read_text(encoding="utf-8") + "\n# ghi chú\n", encoding="utf-8")
    assert _run(ward, out).unchanged == 0


@pytest.mark.parametrize("content", [b"{", b"[]", b'{"format": 1, "entries": {"chi-bo-001": 5}}'])
def test_a_broken_state_file_makes_everything_again(ward: Path, tmp_path: Path, content: bytes) -> None:
    out = tmp_path / "out"
    _run(ward, out)
    documents = _documents(out)
    state = out / "ngoc-ha/2026/.docgen-batch-quy-3.json"
    assert state.is_file()
    state.write_bytes(content)
    result = _run(ward, out)
    assert result.unchanged == 0
    assert _documents(out) == documents
    assert json.loads(state.read_text(encoding="utf-8"))["format"] == 1


def test_a_cell_with_errors_is_never_kept(ward: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    quarter = ward / "chi-bo" / "chi-bo-003" / "2026" / "quy-3.yaml"
    good = quarter.read_text(encoding="utf-8")
    quarter.write_text(good.replace("diem_chung: 26", "diem_chung: hai", 1), encoding="utf-8")
    first = run_batch(ward, year=2026, quarter=3, output_root=out, jobs=1)
    assert {r.cell for r in first.failed} >= {"chi-bo-003"}
    second = run_batch(ward, year=2026, quarter=3, output_root=out, jobs=1)
    assert second.unchanged == 2 and {r.cell for r in second.failed} >= {"chi-bo-003"}
    quarter.write_text(good, encoding="utf-8")
    third = _run(ward, out)
    assert third.unchanged == 2
    assert (out / "ngoc-ha/chi-bo-003/2026/bao-cao-quy-3.docx").is_file()
    assert (out / "ngoc-ha/2026/tong-hop-quy-3.docx").is_file()


def test_full_makes_everything_and_the_cli_says_what_was_kept(
    ward: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["batch", "-w", str(ward), "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1"]
    assert runner.invoke(cli, args).exit_code == 0
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert f"{len(CELLS)} chi bộ không đổi gì từ lần chạy trước" in again.stdout
    assert "thêm --full" in again.stdout
    assert "giống bản đã ban hành" in again.stdout
    full = runner.invoke(cli, [*args, "--full"])
    assert full.exit_code == 0, full.output
    assert "không đổi gì từ lần chạy trước" not in full.stdout


@pytest.mark.parametrize(
    "change",
    [
        {"output": "../../etc/passwd"},  # a file outside the output folder
        {"output": "ngoc-ha/chi-bo-009/2026/bao-cao-quy-3.docx"},  # not there
        {"output": 5},
        {"sources": [{"path": 1, "sha256": "x"}]},
        {"sources": "abc"},
        {"errors": [None]},
        {"unmade": "khong"},
        {"extra": 1},
    ],
)
def test_a_stored_record_of_the_wrong_shape_is_not_trusted(ward: Path, tmp_path: Path, change: dict) -> None:
    """A state naming files that are not the output's, or holding a record of the wrong
    shape, makes the cells again, without a traceback."""
    out = tmp_path / "out"
    _run(ward, out)
    state = out / "ngoc-ha/2026/.docgen-batch-quy-3.json"
    data = json.loads(state.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        for record in entry["outcome"]["records"]:
            record.update(change)
    state.write_text(json.dumps(data), encoding="utf-8")
    result = _run(ward, out)
    assert result.unchanged == 0
    assert json.loads(result.manifest.read_text(encoding="utf-8"))["van_ban"][0]["tep_nguon"]


def test_the_stored_fields_are_the_manifest_records() -> None:
    from dataclasses import fields

    assert set(batch_module._RECORD_FIELDS) == {f.name for f in fields(batch_module.DocRecord)}


def test_a_change_in_the_ward_s_previous_year_makes_everything_again(ward: Path, tmp_path: Path) -> None:
    """An annual report states the level the ward recognised the year before
    (data/<year - 1>/tong-hop-nam.yaml): a change there is a change of input."""
    out = tmp_path / "out"
    _run(ward, out)
    assert _run(ward, out).unchanged == len(CELLS)
    (ward / "2025").mkdir()
    (ward / "2025" / "tong-hop-nam.yaml").write_text("tong_hop_nam: {}\n", encoding="utf-8")
    assert _run(ward, out).unchanged == 0
