"""The publishing path at batch speed (issue 19): one register connection per worker or
issue, documents staged outside the output folder's lock, the output tree swept once
per batch, and the same files and register rows from a serial and a parallel batch."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from docgen import issue, output
from docgen.batch import run_batch
from docgen.register import REGISTER_FILE, Register, Written
from tests.synthetic import build_ward


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _rows(ws: Path) -> list[tuple[object, ...]]:
    """The register's rows without their row ids (the order parallel workers inserted)."""
    db = sqlite3.connect(ws / REGISTER_FILE)
    try:
        columns = [r[1] for r in db.execute("PRAGMA table_info(van_ban_di)") if r[1] != "id"]
        rows = db.execute(f"SELECT {', '.join(columns)} FROM van_ban_di ORDER BY danh_tinh").fetchall()
        rows += db.execute("SELECT * FROM tep_nguon ORDER BY danh_tinh, thu_tu").fetchall()
    finally:
        db.close()
    return rows


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    return build_ward(tmp_path / "ward", 5, 4)


def test_serial_and_parallel_batches_write_the_same_files_and_rows(tmp_path: Path, ward: Path) -> None:
    results = {}
    for jobs in (1, 2):
        ws = tmp_path / f"ws{jobs}"
        shutil.copytree(ward, ws)
        result = run_batch(ws, year=2026, quarter=3, output_root=tmp_path / f"out{jobs}", jobs=jobs)
        assert result.failed == []
        results[jobs] = (_files(tmp_path / f"out{jobs}"), _rows(ws))
    files, rows = results[1]
    assert len([f for f in files if f.endswith(".docx")]) == 6  # 5 cells and the summary
    assert not [f for f in files if f.endswith(".tmp") or (".docgen" in f and ".docgen-batch-" not in f)]
    assert len(rows) > 6
    assert results[2] == results[1]


def test_a_batch_sweeps_the_output_tree_once(
    tmp_path: Path, ward: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    swept: list[Path] = []
    real = issue.remove_stale_temporaries

    def counted(root: Path) -> list[Path]:
        swept.append(root)
        return real(root)

    monkeypatch.setattr(issue, "remove_stale_temporaries", counted)
    stale = tmp_path / "out/ngoc-ha/chi-bo-002/2026/.bao-cao-quy-3.docx.docgen-abcd1234.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"left by a killed run")
    result = run_batch(ward, year=2026, quarter=3, output_root=tmp_path / "out", jobs=1)
    assert result.failed == []
    assert len(swept) == 1  # before the cells, not once per cell
    assert not stale.exists()
    assert any("tệp tạm" in w for w in result.warnings)


def test_a_render_alone_still_sweeps_its_folder(tmp_path: Path, ward: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen import load_workspace, render_documents

    stale = tmp_path / "out/ngoc-ha/chi-bo-001/2026/.x.docx.docgen-abcd1234.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"left by a killed run")
    result = render_documents(
        load_workspace(ward), ["bao-cao-quy"], year=2026, quarter=3, cells=["chi-bo-001"],
        output_root=tmp_path / "out",
    )
    assert not stale.exists()
    assert any("tệp tạm" in w for w in result.warnings)


def test_documents_are_staged_before_the_lock_is_taken(
    tmp_path: Path, ward: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporaries are written (and fsynced) while the output folder is not locked;
    the lock is there when they are put in place."""
    seen: list[tuple[str, bool]] = []
    out = tmp_path / "out"
    stage, commit = output._FileSet.stage, output._FileSet.commit

    def staging(self: output._FileSet, *args: object, **kwargs: object) -> None:
        seen.append(("stage", (out / output.LOCK_NAME).exists()))
        stage(self, *args, **kwargs)  # type: ignore[arg-type]

    def committing(self: output._FileSet) -> None:
        seen.append(("commit", (out / output.LOCK_NAME).exists()))
        commit(self)

    monkeypatch.setattr(output._FileSet, "stage", staging)
    monkeypatch.setattr(output._FileSet, "commit", committing)
    result = run_batch(ward, year=2026, quarter=3, output_root=out, jobs=1)
    assert result.failed == []
    documents = [s for s in seen if s[0] == "commit"]
    assert len(documents) == 8  # 5 cells, the summary, the manifest, the batch state (batchstate.py)
    assert [locked for what, locked in seen if what == "stage"][:5] == [False] * 5
    assert [locked for what, locked in documents][:6] == [True] * 6


def _document(n: int) -> dict[str, object]:
    return {
        "issuer": "p/c", "issuer_name": "Chi bộ", "type_code": "BC", "term": "2025 - 2030",
        "number": None, "identity": f"p/c/2026/bao-cao-{n}", "kind": "bao-cao-quy",
        "issued": date(2026, 9, 28), "summary": "Báo cáo", "symbol": "    -BC/CB",
    }  # fmt: skip


def _written(n: int) -> Written:
    return Written(
        identity=f"p/c/2026/bao-cao-{n}", output=f"p/c/2026/bao-cao-{n}.docx", sha256="ab" * 32,
        template_sha256="cd" * 32, sources_sha256="ef" * 32, symbol=f"0{n}-BC/CB",
        issued=date(2026, 9, 28), summary="Báo cáo", source_files=(),
    )  # fmt: skip


def test_a_register_session_opens_one_connection_and_runs_the_schema_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    real = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(connection)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    register = Register(tmp_path / REGISTER_FILE)

    def work() -> list[int | None]:
        numbers = [register.reserve(**_document(n)) for n in (1, 2)]  # type: ignore[arg-type]
        register.confirm_all([_written(1), _written(2)], reissue=False)
        return [*numbers, register.number_of("p/c/2026/bao-cao-2")]

    assert work() == [1, 2, 2]
    alone = len(opened)
    assert alone == 4  # without a session: one connection per call
    (tmp_path / REGISTER_FILE).unlink()
    opened.clear()
    with register.session():
        assert work() == [1, 2, 2]
        assert len(opened) == 1
        # Each write committed at once: another connection sees the numbers taken.
        other = real(tmp_path / REGISTER_FILE)
        assert other.execute("SELECT COUNT(*) FROM van_ban_di WHERE sha256 IS NOT NULL").fetchone() == (2,)
        other.close()
    assert len(opened) == 1
    assert [e.so for e in register.entries()] == [1, 2]


def test_a_failed_register_connection_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / REGISTER_FILE
    register = Register(path)
    with register.session():
        register.reserve(**_document(1))  # type: ignore[arg-type]
        from docgen.errors import DocgenError

        with pytest.raises(DocgenError, match="sổ đăng ký"), register._connect(write=True) as db:
            db.execute("SELECT * FROM no_such_table")
        # the next call opens a new connection and works
        assert register.number_of("p/c/2026/bao-cao-1") == 1


def test_a_batch_opens_the_same_few_register_connections_whatever_its_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's calls share its workspace's register (register_of), so its session holds:
    the connections a batch opens do not grow with its cells."""
    real = sqlite3.connect
    opened: list[object] = []

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        opened.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", connect)
    counts = []
    for cells in (2, 6):
        opened.clear()
        ws = build_ward(tmp_path / f"w{cells}", cells, 3)
        result = run_batch(ws, year=2026, quarter=3, output_root=tmp_path / f"o{cells}", jobs=1)
        assert result.failed == []
        counts.append(len(opened))
    assert counts[0] == counts[1] <= 5, counts
