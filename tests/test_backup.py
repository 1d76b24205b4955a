"""Backup and restore of a workspace while the application writes (docgen/backup.py,
``docgen backup``, ``docgen restore``; issue 15)."""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen.backup import DATA_FOLDER, MANIFEST, backup_workspace, restore_backup
from docgen.cli import cli
from docgen.editing import cell_file, open_cell_file, save_recorded
from docgen.errors import EditConflict, InputError, UsageError
from docgen.history import HISTORY_FILE, LOCK_FILE, History
from docgen.workspace import load_workspace

CELL = "to-dan-pho-5"
QUY3 = "chi-bo/to-dan-pho-5/2026/quy-3.yaml"


def _with_register(root: Path, out: Path) -> int:
    """Issue one document so the workspace has a register with a row; its row count."""
    ws = docgen.load_workspace(root)
    docgen.render_documents(ws, ["ke-hoach"], year=2026, cells=[CELL], output_root=out)
    return len(docgen.read_register(ws))


def _saving(root: Path, stop: threading.Event, saves: list[int]) -> Callable[[], None]:
    """A secretary saving the quarter form again and again until ``stop``."""

    def run() -> None:
        ws = load_workspace(root)
        history = History.of_workspace(root)
        file = cell_file(ws, CELL, "quy-3", 2026)
        n = 0
        try:
            while not stop.is_set() or n < 3:
                opened = open_cell_file(ws, file)
                data = copy.deepcopy(opened.data)
                data["bao_cao_quy"]["dang_phi"]["so_da_dong"] = 20 + n % 7
                try:
                    if save_recorded(ws, file, data, version=opened.version, who="Bí thư", history=history).written:
                        saves.append(n)
                except EditConflict:  # pragma: no cover - one writer only
                    raise
                n += 1
        finally:
            history.close()

    return run


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------- round trip


def test_a_backup_taken_while_saving_restores_to_a_checked_workspace(sample_ws: Path, tmp_path: Path) -> None:
    rows = _with_register(sample_ws, tmp_path / "out")
    stop = threading.Event()
    saves: list[int] = []
    writer = threading.Thread(target=_saving(sample_ws, stop, saves))
    writer.start()
    try:
        while len(saves) < 3:  # the writer is under way
            threading.Event().wait(0.01)
        result = backup_workspace(sample_ws, tmp_path / "sao-luu.zip")
    finally:
        stop.set()
        writer.join()
    assert len(saves) >= 3
    assert result.files > 20 and result.bytes > 0 and result.archive_bytes == result.path.stat().st_size

    restored = restore_backup(result.path, tmp_path / "khoi-phuc")
    root = restored.path
    assert restored.files == result.files and restored.bytes == result.bytes
    assert restored.docgen_version == docgen.__version__
    # every YAML loads and the whole workspace checks
    ws = docgen.load_workspace(root)
    docgen.check_workspace(ws)
    # the SQLite files open with their rows
    assert len(docgen.read_register(ws)) == rows
    history = History.of_workspace(root)
    try:
        kept = history.versions(QUY3)
        assert kept and kept[0].action == "luu" and kept[-1].action == "ban_dau"
        # consistent: the file restored is the newest save the restored history holds
        assert kept[0].sha256 == _sha(root / QUY3)
    finally:
        history.close()
    with sqlite3.connect(root / HISTORY_FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_what_is_not_data_is_left_out(sample_ws: Path, tmp_path: Path) -> None:
    (sample_ws / LOCK_FILE).parent.mkdir(parents=True, exist_ok=True)
    (sample_ws / LOCK_FILE).write_text("")
    (sample_ws / "chi-bo" / CELL / ".quy-3.yaml.docgen-abcdefgh.tmp").write_text("dở")
    (sample_ws / "so-dang-ky-van-ban.sqlite-wal").write_bytes(b"\0" * 10)
    (sample_ws / "__pycache__").mkdir()
    (sample_ws / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (sample_ws / "ghi-chu.txt").write_text("giữ lại", encoding="utf-8")
    result = backup_workspace(sample_ws, tmp_path / "b.zip")
    with zipfile.ZipFile(result.path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read(MANIFEST))
    assert f"{DATA_FOLDER}/ghi-chu.txt" in names and f"{DATA_FOLDER}/dang-bo.yaml" in names
    assert not [n for n in names if n.endswith((".tmp", "-wal", "ghi.lock", ".pyc"))]
    assert set(manifest["tep"]) == {n.removeprefix(f"{DATA_FOLDER}/") for n in names if n != MANIFEST}
    assert manifest["tep"]["dang-bo.yaml"]["sha256"] == _sha(sample_ws / "dang-bo.yaml")


def test_the_backup_goes_outside_the_workspace(sample_ws: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="nằm trong thư mục dữ liệu"):
        backup_workspace(sample_ws, sample_ws / "sao-luu.zip")
    with pytest.raises(UsageError, match="không phải thư mục dữ liệu"):
        backup_workspace(tmp_path, tmp_path.parent / "x.zip")
    assert not (sample_ws / "sao-luu.zip").exists()


# ------------------------------------------------------------------------------- refusals


@pytest.fixture()
def archive(sample_ws: Path, tmp_path: Path) -> Path:
    return backup_workspace(sample_ws, tmp_path / "sao-luu.zip").path


def _rewritten(source: Path, target: Path, change: Callable[[str, bytes], tuple[str, bytes] | None],
               extra: dict[str, bytes] | None = None) -> Path:  # fmt: skip
    """A copy of the archive with each entry passed through ``change`` (None: dropped)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            changed = change(info.filename, zin.read(info))
            if changed is not None:
                zout.writestr(changed[0], changed[1])
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return target


def test_restore_refuses_a_folder_that_is_not_empty(archive: Path, tmp_path: Path) -> None:
    busy = tmp_path / "co-san"
    busy.mkdir()
    (busy / "x.txt").write_text("x")
    with pytest.raises(UsageError, match="đã có và không trống"):
        restore_backup(archive, busy)
    assert [p.name for p in busy.iterdir()] == ["x.txt"]
    empty = tmp_path / "trong"
    empty.mkdir()
    assert restore_backup(archive, empty).files > 0 and (empty / "dang-bo.yaml").exists()


def test_restore_refuses_a_tampered_archive(archive: Path, tmp_path: Path) -> None:
    def tamper(name: str, data: bytes) -> tuple[str, bytes]:
        if name == f"{DATA_FOLDER}/{QUY3}":
            return name, data.replace(b"so_da_dong: 26", b"so_da_dong: 2")
        return name, data

    bad = _rewritten(archive, tmp_path / "sua.zip", tamper)
    with pytest.raises(InputError, match="khác với mã kiểm tra trong sao-luu.json"):
        restore_backup(bad, tmp_path / "ra")
    assert not (tmp_path / "ra").exists()
    assert not [p for p in tmp_path.iterdir() if "khoi-phuc" in p.name]  # no leftover


@pytest.mark.parametrize(
    "name", [f"{DATA_FOLDER}/../ngoai.yaml", "/etc/ngoai.yaml", f"{DATA_FOLDER}/chi-bo/../../ngoai.yaml"]
)
def test_restore_refuses_names_that_climb_out(archive: Path, tmp_path: Path, name: str) -> None:
    bad = _rewritten(archive, tmp_path / "leo.zip", lambda n, d: (n, d), extra={name: b"x: 1\n"})
    with pytest.raises(InputError, match="tên phần không an toàn"):
        restore_backup(bad, tmp_path / "ra")
    assert not (tmp_path / "ra").exists() and not (tmp_path / "ngoai.yaml").exists()


def test_restore_refuses_a_file_added_or_missing(archive: Path, tmp_path: Path) -> None:
    added = _rewritten(archive, tmp_path / "them.zip", lambda n, d: (n, d), extra={f"{DATA_FOLDER}/them.yaml": b"x"})
    with pytest.raises(InputError, match="không có trong danh sách sao-luu.json"):
        restore_backup(added, tmp_path / "ra")
    dropped = _rewritten(
        archive, tmp_path / "bot.zip", lambda n, d: None if n == f"{DATA_FOLDER}/dang-bo.yaml" else (n, d)
    )
    with pytest.raises(InputError, match="thiếu tệp «dang-bo.yaml»"):
        restore_backup(dropped, tmp_path / "ra")
    no_manifest = _rewritten(archive, tmp_path / "khong.zip", lambda n, d: None if n == MANIFEST else (n, d))
    with pytest.raises(InputError, match="không phải tệp sao lưu của docgen"):
        restore_backup(no_manifest, tmp_path / "ra")
    not_zip = tmp_path / "khong-phai.zip"
    not_zip.write_bytes(b"PK nothing")
    with pytest.raises(InputError, match="không phải tệp nén"):
        restore_backup(not_zip, tmp_path / "ra")
    assert not (tmp_path / "ra").exists()


# ------------------------------------------------------------------------------- the CLI


def test_cli_backup_restore_round_trip(sample_ws: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "sao-luu.zip"
    done = runner.invoke(cli, ["backup", "-w", str(sample_ws), "-o", str(target)])
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("Đã sao lưu ") and " tệp (" in done.stdout
    again = runner.invoke(cli, ["backup", "-w", str(sample_ws), "-o", str(target)])
    assert again.exit_code == 2 and "thêm --force để ghi đè" in again.stderr
    assert runner.invoke(cli, ["backup", "-w", str(sample_ws), "-o", str(target), "--force"]).exit_code == 0

    back = runner.invoke(cli, ["restore", str(target), str(tmp_path / "khoi-phuc")])
    assert back.exit_code == 0, back.stderr
    assert back.stdout.startswith("Đã khôi phục ") and "docgen check -w" in back.stdout
    checked = runner.invoke(cli, ["check", "-w", str(tmp_path / "khoi-phuc")])
    assert checked.exit_code == 0, checked.stderr
    assert (tmp_path / "khoi-phuc" / QUY3).read_bytes() == (sample_ws / QUY3).read_bytes()


def test_cli_errors_are_vietnamese_lines_without_traceback(sample_ws: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "sao-luu.zip"
    assert runner.invoke(cli, ["backup", "-w", str(sample_ws), "-o", str(target)]).exit_code == 0

    busy = runner.invoke(cli, ["restore", str(target), str(sample_ws)])
    assert busy.exit_code == 2
    assert busy.stderr.startswith("Lỗi: thư mục ") and "không trống" in busy.stderr

    inside = runner.invoke(cli, ["backup", "-w", str(sample_ws), "-o", str(sample_ws / "b.zip")])
    assert inside.exit_code == 2 and "nằm trong thư mục dữ liệu" in inside.stderr

    not_zip = runner.invoke(cli, ["backup", "-w", str(sample_ws), "-o", str(tmp_path / "b.tar")])
    assert not_zip.exit_code == 2 and "đuôi .zip" in not_zip.stderr

    bad = _rewritten(target, tmp_path / "sua.zip", lambda n, d: (n, d + b"#") if n.endswith("dang-bo.yaml") else (n, d))
    tampered = runner.invoke(cli, ["restore", str(bad), str(tmp_path / "ra")])
    assert tampered.exit_code == 1 and "đã bị sửa hoặc hỏng" in tampered.stderr

    missing = runner.invoke(cli, ["restore", str(tmp_path / "khong-co.zip"), str(tmp_path / "ra")])
    assert missing.exit_code == 2 and "không tìm thấy tệp sao lưu" in missing.stderr
    for result in (busy, inside, not_zip, tampered, missing):
        assert "Traceback" not in result.stderr + result.stdout
        assert result.exception is None or isinstance(result.exception, SystemExit)
