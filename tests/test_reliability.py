"""Failures after the register reserved numbers: nothing half-written, nothing lost, no
number left reserved for a document that was never written, no traceback, Vietnamese
reasons for the operating system's and SQLite's errors.

Root bypasses file permissions, so permission errors are simulated by patching the
operating system calls (a test with a real ``chmod 000`` runs when not root).
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import types
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli, main
from docgen.register import REGISTER_FILE, Register
from tests.conftest import REPO
from tests.synthetic import build_ward

OUT = Path("out")
KH = "ngoc-ha/{}/2026/ke-hoach.docx"
CELLS = ["to-dan-pho-5", "truong-tieu-hoc-hoa-sua", "co-quan-phuong", "cong-an-phuong"]
_CONNECT = sqlite3.connect  # a test may patch sqlite3.connect; rows() reads the truth


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def rows(ws: Path) -> list[tuple[str, str | None]]:
    """(identity, sha256) of every row of the register, read without docgen."""
    path = ws / REGISTER_FILE
    if not path.exists():
        return []
    with closing(_CONNECT(path)) as db:
        return db.execute("SELECT danh_tinh, sha256 FROM van_ban_di ORDER BY danh_tinh").fetchall()


def reserved(ws: Path) -> list[str]:
    """Rows holding a number for a document never confirmed."""
    return [identity for identity, sha in rows(ws) if sha is None]


def files(root: Path) -> list[str]:
    """Every file and folder under ``root``, relative, sorted."""
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() + ("/" if p.is_dir() else "") for p in root.rglob("*"))


def render(runner: CliRunner, *args: str, out: str = "out") -> object:
    return runner.invoke(cli, ["render", *args, "--nam", "2026", "-o", out])


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the ``docgen`` entry point (which turns Ctrl-C into "Đã dừng.")."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out, captured.err


def fail_on_call(
    monkeypatch: pytest.MonkeyPatch, target: object, name: str, n: int,
    error: BaseException | type[BaseException],
) -> None:
    """Make the ``n``-th call of ``target.name`` raise ``error`` (earlier calls work); an
    exception class is raised as a fresh instance, whose traceback the test does not keep."""
    real = getattr(target, name)
    calls = {"n": 0}

    def patched(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == n:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, patched)


# ------------------------------------------------------------------ 1. numbers given back


def test_an_output_folder_under_a_file_takes_no_number(runner: CliRunner, ws: Path) -> None:
    Path("afile").write_text("tệp của người dùng", encoding="utf-8")
    result = render(runner, "ke-hoach", out="afile/sub")
    assert result.exit_code == 1
    assert result.stderr == (
        "Lỗi: afile/sub/ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx: không tạo được thư mục afile "
        "(đã có tệp trùng tên)\n"
    )
    assert rows(ws) == []
    assert Path("afile").read_text(encoding="utf-8") == "tệp của người dùng"
    assert runner.invoke(cli, ["register"]).stdout == "Sổ đăng ký chưa có văn bản nào.\n"


def test_a_permission_error_takes_no_number(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    fail_on_call(monkeypatch, tempfile, "mkstemp", 3, PermissionError(errno.EACCES, "Permission denied"))
    result = render(runner, "ke-hoach")
    assert result.exit_code == 1
    assert result.stderr == (
        "Lỗi: out/ngoc-ha/co-quan-phuong/2026/ke-hoach.docx: không tạo được tệp "
        "(không có quyền truy cập)\n"
    )
    assert rows(ws) == []
    assert files(OUT) == []


def test_a_file_name_too_long_takes_no_number(runner: CliRunner, ws: Path) -> None:
    long = "x" * 300
    result = render(runner, "ke-hoach", out=long)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Lỗi: {long}/ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx: không tạo được thư mục {long} "
        "(tên tệp hoặc đường dẫn quá dài)\n"
    )
    assert rows(ws) == []


def test_a_folder_where_the_document_goes_is_kept_and_takes_no_number(
    runner: CliRunner, ws: Path
) -> None:
    blocker = OUT / KH.format("co-quan-phuong")
    (blocker / "ghi-chu").mkdir(parents=True)
    (blocker / "ghi-chu" / "a.txt").write_text("giữ lại", encoding="utf-8")
    result = render(runner, "ke-hoach")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Lỗi: out/{KH.format('co-quan-phuong')}: không ghi được tệp (đã có thư mục trùng tên)\n"
    )
    assert rows(ws) == []
    assert files(OUT) == [
        "ngoc-ha/", "ngoc-ha/co-quan-phuong/", "ngoc-ha/co-quan-phuong/2026/",
        f"{KH.format('co-quan-phuong')}/", f"{KH.format('co-quan-phuong')}/ghi-chu/",
        f"{KH.format('co-quan-phuong')}/ghi-chu/a.txt",
    ]  # fmt: skip


def test_numbers_of_documents_written_before_stay(runner: CliRunner, ws: Path) -> None:
    assert render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5").exit_code == 0
    before = rows(ws)
    (OUT / "ngoc-ha/cong-an-phuong").parent.mkdir(parents=True, exist_ok=True)
    (OUT / "ngoc-ha/cong-an-phuong").write_text("", encoding="utf-8")
    assert render(runner, "ke-hoach").exit_code == 1
    assert rows(ws) == before and reserved(ws) == []


# ------------------------------------------------------------------ 2. all or nothing


def test_a_failure_partway_writes_no_document(runner: CliRunner, ws: Path) -> None:
    (OUT / "ngoc-ha").mkdir(parents=True)
    (OUT / "ngoc-ha/cong-an-phuong").write_text("", encoding="utf-8")
    result = render(runner, "ke-hoach")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Lỗi: out/{KH.format('cong-an-phuong')}: không tạo được thư mục out/ngoc-ha/cong-an-phuong "
        "(đã có tệp trùng tên)\n"
    )
    assert files(OUT) == ["ngoc-ha/", "ngoc-ha/cong-an-phuong"]  # the folders it made are gone
    assert rows(ws) == []


class _FailingUpdate:
    """A connection whose ``n``-th UPDATE fails as on a full disk (sqlite3's own types
    cannot be patched)."""

    calls = 0

    def __init__(self, real: sqlite3.Connection, n: int) -> None:
        self._real, self._n = real, n

    def execute(self, sql: str, *args: object) -> object:
        if sql.lstrip().startswith("UPDATE"):
            type(self).calls += 1
            if type(self).calls == self._n:
                raise sqlite3.OperationalError("database or disk is full")
        return self._real.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def test_a_failed_register_puts_the_earlier_documents_back(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5").exit_code == 0
    issued = (OUT / KH.format("to-dan-pho-5")).read_bytes()
    before = rows(ws)
    real = sqlite3.connect
    _FailingUpdate.calls = 0
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: _FailingUpdate(real(*a, **k), 2))
    result = render(runner, "ke-hoach")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Lỗi: data/so-dang-ky-van-ban.sqlite: không ghi được sổ đăng ký văn bản (ổ đĩa đã đầy); "
        "kiểm tra quyền ghi thư mục dữ liệu, hoặc chép lại sổ từ bản sao lưu\n"
    )
    assert (OUT / KH.format("to-dan-pho-5")).read_bytes() == issued
    assert files(OUT) == [
        "ngoc-ha/", "ngoc-ha/to-dan-pho-5/", "ngoc-ha/to-dan-pho-5/2026/", KH.format("to-dan-pho-5"),
    ]  # fmt: skip
    assert rows(ws) == before


def test_a_reissue_that_fails_keeps_the_issued_copy(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render(runner, "ke-hoach").exit_code == 0
    old = {cell: (OUT / KH.format(cell)).read_bytes() for cell in CELLS}
    before = rows(ws)
    data = ws / "chi-bo/to-dan-pho-5/chi-bo.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace("ten: Chi bộ Tổ dân phố số 5", "ten: Chi bộ Tổ dân phố số 05"),
        encoding="utf-8",
    )
    fail_on_call(monkeypatch, os, "replace", 3, OSError(errno.EBUSY, "Device or resource busy"))
    result = render(runner, "ke-hoach", "--reissue")
    assert result.exit_code == 1
    assert "(tệp hoặc thư mục đang được dùng)" in result.stderr
    assert {cell: (OUT / KH.format(cell)).read_bytes() for cell in CELLS} == old
    assert rows(ws) == before
    assert [p for p in OUT.rglob("*") if p.name.endswith(".tmp")] == []


# ------------------------------------------------------------------ Ctrl-C


@pytest.mark.parametrize(
    "where, n",
    [
        ("docgen.issue.render_prepared", 1),  # after the numbers are reserved
        ("os.fsync", 5),  # while the temporary files are written
        ("os.replace", 1),  # the first document put in place
        ("os.replace", 7),  # in the middle
        ("docgen.issue.record_issue", 1),  # every file in place, the register not yet
    ],
)
def test_ctrl_c_during_a_render_leaves_nothing(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str, n: int
) -> None:
    import importlib

    module, name = where.rsplit(".", 1)
    fail_on_call(monkeypatch, importlib.import_module(module), name, n, KeyboardInterrupt())
    code, out, err = run_main(capsys, "render", "ke-hoach", "phan-cong", "bao-cao-nam", "--nam", "2026", "-o", "out")
    assert (code, out, err) == (1, "", "\nĐã dừng.\n")
    assert files(OUT) == []
    assert rows(ws) == []


def test_ctrl_c_inside_a_constructor_prints_no_traceback(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C inside zipfile.ZipFile.__init__ leaves a half-built archive whose __del__
    fails; CPython would print that as "Exception ignored ... Traceback" (seen in CI)."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    # Between opening the file and setting _writing: the window CI's Ctrl-C hit.
    lock = types.SimpleNamespace(RLock=zipfile.threading.RLock)  # type: ignore[attr-defined]
    monkeypatch.setattr(zipfile, "threading", lock)
    fail_on_call(monkeypatch, lock, "RLock", 1, KeyboardInterrupt)
    code, out, err = run_main(capsys, "render", "ke-hoach", "--nam", "2026", "-o", "out")
    assert (code, out, err) == (1, "", "\nĐã dừng.\n")
    gc.collect()  # whatever the interrupt left behind is freed by now, in a real run too
    assert unraisable == []
    assert sys.unraisablehook == unraisable.append  # put back for whoever runs next
    assert files(OUT) == [] and rows(ws) == []


def test_ctrl_c_keeps_an_issued_copy(
    runner: CliRunner, ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render(runner, "ke-hoach").exit_code == 0
    before, old = rows(ws), {p: p.read_bytes() for p in OUT.rglob("*.docx")}
    fail_on_call(monkeypatch, os, "replace", 2, KeyboardInterrupt())
    code, _, _ = run_main(capsys, "render", "ke-hoach", "phan-cong", "--nam", "2026", "-o", "out")
    assert code == 1
    assert rows(ws) == before
    assert {p: p.read_bytes() for p in OUT.rglob("*.docx")} == old


def _interrupt(argv: list[str], ws: Path, out: Path, wait_for: Callable[[], bool], delay: float) -> subprocess.CompletedProcess[str]:
    """Run ``docgen argv`` in its own process group and press Ctrl-C once ``wait_for``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", *argv, "-w", str(ws), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 60
    while not wait_for() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _consistent(ws: Path, out: Path) -> list[Path]:
    """Every document is whole and recorded under its content; no number is held for nothing."""
    issued = dict(rows(ws))
    assert None not in issued.values(), "a number is held for a document never written"
    documents = sorted(out.rglob("*.docx"))
    for path in documents:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
        identity = path.relative_to(out).with_suffix("").as_posix()
        assert issued.get(identity) == hashlib.sha256(path.read_bytes()).hexdigest(), path
    assert len(documents) == len(issued)
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp")] == []
    return documents


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_ctrl_c_on_a_render_process(tmp_path: Path, seed: int) -> None:
    ws = tmp_path / "data"
    import shutil

    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    out = tmp_path / "out"
    delay = random.Random(seed).uniform(0.0, 0.25)
    done = _interrupt(
        ["render", "ke-hoach", "phan-cong", "bao-cao-nam", "--nam", "2026"],
        ws, out, (ws / REGISTER_FILE).exists, delay,
    )  # fmt: skip
    assert "Traceback" not in done.stderr
    if done.returncode in (0, -signal.SIGINT) and "Đã dừng." not in done.stderr:
        # Done before the signal came (or killed by it while the interpreter was exiting);
        # stderr holds only the run's warnings (dates after today in the sample).
        assert all(line.startswith("Cảnh báo: ") for line in done.stderr.splitlines()), done.stderr
        assert len(_consistent(ws, out)) == 12
        return
    assert done.returncode == 1 and done.stderr.endswith("Đã dừng.\n"), done.stderr
    assert len(_consistent(ws, out)) in (0, 12)  # all or nothing


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_ctrl_c_on_a_parallel_batch(tmp_path: Path, seed: int) -> None:
    # Enough cells that the batch is still running when the signal comes (it makes about
    # 100 cells a second on 2 cores)
    ws = build_ward(tmp_path, 120, 15)
    out = tmp_path / "out"
    delay = random.Random(seed).uniform(0.0, 0.3)
    done = _interrupt(
        ["batch", "--quy", "3", "--nam", "2026", "-j", "3"], ws, out,
        lambda: any(out.rglob("*.docx")), delay,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode in (0, -signal.SIGINT) and (out / "ngoc-ha/2026/manifest-quy-3.json").exists():
        # Done before the signal came (or killed by it while the interpreter was exiting).
        assert len(_consistent(ws, out)) == 121
        return
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "Đã dừng."
    assert not (out / "ngoc-ha/2026/manifest-quy-3.json").exists()
    _consistent(ws, out)


def test_batch_workers_ignore_ctrl_c(tmp_path: Path) -> None:
    """The main process stops the pool; a worker never prints a traceback of its own."""
    from docgen import batch

    job = batch._Job(build_ward(tmp_path, 1, 3), tmp_path / "out", 2026, 3, None, ("bao-cao-quy",))
    previous = signal.getsignal(signal.SIGINT)
    try:
        batch._init_worker(job)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
        batch._STATE.clear()


def _die(cell_id: str) -> object:
    """A worker killed outright (out of memory) while on the second cell."""
    if cell_id == "truong-tieu-hoc-hoa-sua":
        os._exit(9)
    from docgen import batch

    return batch._STATE["worker"].cell(cell_id)


@pytest.mark.slow
def test_a_worker_that_dies_is_a_clear_error(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen import batch

    monkeypatch.setattr(batch, "_run_cell", _die)  # forked workers see it too
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "2"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stderr == (
        "Lỗi: một tiến trình làm văn bản bị dừng đột ngột (có thể do thiếu bộ nhớ); các chi bộ "
        "đã xong vẫn được ghi, hãy chạy lại lệnh (thêm -j 1 nếu máy yếu)\n"
    )
    # (The pool stops the other worker outright, as a kill would: what it was writing is
    # left as after a kill, and the next run tidies it.)


def test_ctrl_c_in_a_serial_batch_gives_back_the_cell_numbers(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_on_call(monkeypatch, os, "replace", 3, KeyboardInterrupt())
    code, _, err = run_main(capsys, "batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1")
    assert (code, err) == (1, "\nĐã dừng.\n")
    _consistent(ws, OUT)
    assert len(rows(ws)) == 2  # the first two cells' reports


# ------------------------------------------------------------------ batch cells


def test_a_batch_cell_that_cannot_be_written_writes_nothing(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (OUT / "ngoc-ha/2026").mkdir(parents=True)
    (OUT / "ngoc-ha/cong-an-phuong").write_text("", encoding="utf-8")
    (OUT / "ngoc-ha/co-quan-phuong/2026/bao-cao-quy-3.docx").mkdir(parents=True)
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1"])
    assert result.exit_code == 1
    assert "        out/ngoc-ha/co-quan-phuong/2026/bao-cao-quy-3.docx: không ghi được tệp (đã có thư mục trùng tên)" in result.stdout.splitlines()
    assert (
        "        out/ngoc-ha/cong-an-phuong/2026/bao-cao-quy-3.docx: không tạo được thư mục "
        "out/ngoc-ha/cong-an-phuong (đã có tệp trùng tên)"
    ) in result.stdout.splitlines()
    assert [identity for identity, _ in rows(ws)] == [
        "ngoc-ha/2026/tong-hop-quy-3",  # the ward's summary reads the cells' data, not their files
        "ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3", "ngoc-ha/truong-tieu-hoc-hoa-sua/2026/bao-cao-quy-4",
    ]  # fmt: skip
    assert reserved(ws) == []


def test_a_batch_cell_failing_while_written_leaves_no_folder(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    fail_on_call(monkeypatch, tempfile, "mkstemp", 2, OSError(errno.ENOSPC, "No space left on device"))
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1"])
    assert result.exit_code == 1
    assert "không tạo được tệp (ổ đĩa đã đầy)" in result.stdout
    assert not (OUT / "ngoc-ha/truong-tieu-hoc-hoa-sua").exists()
    assert reserved(ws) == []


# ------------------------------------------------------------------ 4. temporaries


def test_docgen_temporaries_have_their_own_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.output import write_atomic

    seen = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append(Path(a).name), real(a, b)))
    write_atomic(tmp_path / "ke-hoach.docx", b"x")
    assert len(seen) == 1
    import re

    assert re.fullmatch(r"\.ke-hoach\.docx\.docgen-[a-z0-9_]{8}\.tmp", seen[0]), seen


def test_only_docgen_temporaries_are_removed(tmp_path: Path) -> None:
    from docgen.output import remove_stale_temporaries

    keep = [".ban-nhap.tmp", ".ke-hoach.docx.abcd1234.tmp", ".x.docgen-abc.tmp", "a.docgen-abcd1234.tmp"]
    gone = [".ke-hoach.docx.docgen-abcd_123.tmp", ".bao-cao-quy-3.docx.docgen-zz99zz99.tmp"]
    for name in keep + gone:
        (tmp_path / "ghi-chu" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "ghi-chu" / name).write_text("", encoding="utf-8")
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in removed) == sorted(gone)
    assert sorted(p.name for p in (tmp_path / "ghi-chu").iterdir()) == sorted(keep)


def test_a_batch_keeps_a_users_tmp_file(runner: CliRunner, ws: Path) -> None:
    note = OUT / "ngoc-ha/ghi-chu/.ban-nhap.tmp"
    note.parent.mkdir(parents=True)
    note.write_text("bản nháp", encoding="utf-8")
    assert runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1"]).exit_code == 0
    assert note.read_text(encoding="utf-8") == "bản nháp"


# ------------------------------------------------------------------ 5. reasons in Vietnamese


@pytest.mark.parametrize(
    "code, reason",
    [
        (errno.ENOTDIR, "một phần của đường dẫn là tệp, không phải thư mục"),
        (errno.EACCES, "không có quyền truy cập"),
        (errno.EPERM, "không có quyền truy cập"),
        (errno.EISDIR, "đã có thư mục trùng tên"),
        (errno.EEXIST, "đã có tệp trùng tên"),
        (errno.ENAMETOOLONG, "tên tệp hoặc đường dẫn quá dài"),
        (errno.EBUSY, "tệp hoặc thư mục đang được dùng"),
        (errno.ELOOP, "đường dẫn có liên kết (symlink) vòng quanh"),
        (errno.ENOSPC, "ổ đĩa đã đầy"),
        (errno.EROFS, "ổ đĩa chỉ cho đọc"),
        (errno.ENOENT, "không có tệp hay thư mục này"),
    ],
)
def test_os_errors_have_vietnamese_reasons(code: int, reason: str) -> None:
    from docgen.errors import os_reason

    assert os_reason(OSError(code, os.strerror(code))) == reason


def test_an_unknown_os_error_keeps_its_own_text() -> None:
    from docgen.errors import os_reason

    assert os_reason(OSError(errno.ENOTSUP, "Operation not supported")) == "Operation not supported"


def test_no_message_quotes_the_systems_english() -> None:
    """Every OSError reaching a message goes through os_reason."""
    import re

    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted((REPO / "docgen").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"(?<!os)\.strerror\b", line) and path.name != "errors.py"
    ]
    assert offenders == []


def test_a_damaged_register_read_by_register_says_so(runner: CliRunner, ws: Path) -> None:
    (ws / REGISTER_FILE).write_bytes(b"not a database " * 100)
    result = runner.invoke(cli, ["register"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Lỗi: data/so-dang-ky-van-ban.sqlite: không đọc được sổ đăng ký văn bản (tệp bị hỏng "
        "hoặc không phải cơ sở dữ liệu SQLite); chép lại sổ từ bản sao lưu\n"
    )


def test_a_register_that_cannot_be_opened_says_why(tmp_path: Path) -> None:
    from datetime import date

    from docgen.errors import DocgenError

    book = Register(tmp_path / "khong-co" / REGISTER_FILE)
    with pytest.raises(DocgenError) as info:
        book.reserve(
            issuer="p", issuer_name="Chi bộ", type_code="KH", term="", number=None, identity="x",
            kind="ke-hoach", issued=date(2026, 1, 5), summary="KẾ HOẠCH", symbol="    -KH/CB",
        )  # fmt: skip
    assert "(không mở hay tạo được tệp: thư mục không có hoặc không có quyền ghi)" in str(info.value)
    assert "unable to open" not in str(info.value)


@pytest.mark.parametrize(
    "english, vietnamese",
    [
        ("file is not a database", "tệp bị hỏng hoặc không phải cơ sở dữ liệu SQLite"),
        ("unable to open database file", "không mở hay tạo được tệp: thư mục không có hoặc không có quyền ghi"),
        ("attempt to write a readonly database", "tệp chỉ cho đọc, không có quyền ghi"),
        ("database or disk is full", "ổ đĩa đã đầy"),
    ],
)
def test_sqlite_errors_have_vietnamese_reasons(english: str, vietnamese: str) -> None:
    from docgen.sqlitestore import sqlite_words

    assert sqlite_words(sqlite3.OperationalError(english)) == vietnamese


# ------------------------------------------------------------------ 6. unreadable workspace


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """``chmod 000`` as root cannot: listing the folder or reaching into it is refused."""
    import builtins
    import io

    folders: list[str] = []

    def inside(path: object) -> bool:
        if isinstance(path, int):
            return False
        text = os.path.abspath(os.fsdecode(path))
        return any(text.startswith(f + os.sep) for f in folders)

    def listing(path: object) -> bool:
        return not isinstance(path, int) and os.path.abspath(os.fsdecode(path)) in folders

    def guard(real: Callable[..., object], test: Callable[[object], bool]) -> Callable[..., object]:
        def call(path: object = ".", *args: object, **kwargs: object) -> object:
            if test(path):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
            return real(path, *args, **kwargs)

        return call

    for name in ("stat", "lstat"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), inside))
    for name in ("listdir", "scandir"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), lambda p: inside(p) or listing(p)))
    monkeypatch.setattr(io, "open", guard(io.open, inside))
    monkeypatch.setattr(builtins, "open", guard(builtins.open, inside))
    monkeypatch.setattr(os, "open", guard(os.open, inside))  # userfile.read_regular opens so

    def lock(folder: Path) -> None:
        folders.append(os.path.abspath(folder))

    return lock


def test_check_names_a_cell_folder_it_cannot_read(
    runner: CliRunner, ws: Path, locked: Callable[[Path], None]
) -> None:
    locked(ws / "chi-bo/to-dan-pho-5")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "Lỗi: data/chi-bo/to-dan-pho-5: không đọc được thư mục (không có quyền truy cập)" in lines
    assert "Lỗi: data/chi-bo/to-dan-pho-5/chi-bo.yaml: không đọc được tệp (không có quyền truy cập)" in lines
    assert lines[-1].startswith("Có ")


def test_check_names_a_year_folder_it_cannot_read(
    runner: CliRunner, ws: Path, locked: Callable[[Path], None]
) -> None:
    locked(ws / "chi-bo/to-dan-pho-5/2026")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert (
        "Lỗi: data/chi-bo/to-dan-pho-5/2026: không đọc được thư mục (không có quyền truy cập)"
        in result.stderr.splitlines()
    )


def test_batch_names_a_cell_folder_it_cannot_read(
    runner: CliRunner, ws: Path, locked: Callable[[Path], None]
) -> None:
    locked(ws / "chi-bo/to-dan-pho-5")
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert "không đọc được tệp (không có quyền truy cập)" in result.output


@pytest.mark.slow
def test_a_real_unreadable_cell_folder(ws: Path) -> None:
    """The real thing, no monkeypatching: a folder chmod 000. Root reads any folder, so as
    root the command runs without the capabilities that let it (setpriv, util-linux)."""
    folder = ws / "chi-bo/to-dan-pho-5"
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    folder.chmod(0)
    try:
        for args in (["check"], ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1"]):
            result = subprocess.run(
                [*prefix, sys.executable, "-m", "docgen", *args, "-w", "data"],
                capture_output=True, text=True, cwd=ws.parent,
            )
            assert result.returncode == 1, result.stderr
            assert "Traceback" not in result.stderr
            assert "không có quyền truy cập" in result.stdout + result.stderr
    finally:
        folder.chmod(0o755)


def test_ctrl_c_as_a_command_returns_stops_without_a_traceback(tmp_path: Path) -> None:
    """A Ctrl-C landing between the command's end and the exit (a window the test above
    hit under load) says «Đã dừng.», exit status 1, never a traceback."""
    script = (
        "import os, signal, sys\n"
        "import docgen.cli as c\n"
        "real = c.cli.main\n"
        "def late(*args, **kwargs):\n"
        "    code = real(*args, **kwargs)\n"
        "    os.kill(os.getpid(), signal.SIGINT)  # delivered as this returns\n"
        "    return code\n"
        "c.cli.main = late\n"
        "sys.argv = ['docgen', '--version']\n"
        "c.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1 and done.stderr.endswith("Đã dừng.\n"), done.stderr
