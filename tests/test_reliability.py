"""Failures after the register reserved numbers: nothing half-written, nothing lost, no
number left reserved for a document that was never written, no traceback, Vietnamese
reasons for the operating system's and SQLite's errors.

Root bypasses file permissions, so permission errors are simulated by patching the
operating system calls (a test with a real ``chmod 000`` runs when not root).
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
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
    monkeypatch: pytest.MonkeyPatch, target: object, name: str, n: int, error: BaseException
) -> None:
    """Make the ``n``-th call of ``target.name`` raise ``error`` (earlier calls work)."""
    real = getattr(target, name)
    calls = {"n": 0}

    def patched(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == n:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, patched)


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
        "Lỗi: data/so-dang-ky-van-ban.sqlite: không đọc được sổ đăng ký văn bản (tệp sổ đăng ký "
        "bị hỏng hoặc không phải sổ đăng ký); chép lại sổ từ bản sao lưu\n"
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
    assert "(không mở hay tạo được tệp sổ: thư mục không có hoặc không có quyền ghi)" in str(info.value)
    assert "unable to open" not in str(info.value)


@pytest.mark.parametrize(
    "english, vietnamese",
    [
        ("file is not a database", "tệp sổ đăng ký bị hỏng hoặc không phải sổ đăng ký"),
        ("unable to open database file", "không mở hay tạo được tệp sổ: thư mục không có hoặc không có quyền ghi"),
        ("attempt to write a readonly database", "tệp sổ chỉ cho đọc, không có quyền ghi"),
        ("database or disk is full", "ổ đĩa đã đầy"),
    ],
)
def test_sqlite_errors_have_vietnamese_reasons(english: str, vietnamese: str) -> None:
    from docgen.register import sqlite_reason

    assert sqlite_reason(sqlite3.OperationalError(english)) == vietnamese


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


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_real_unreadable_cell_folder(runner: CliRunner, ws: Path) -> None:
    folder = ws / "chi-bo/to-dan-pho-5"
    folder.chmod(0)
    try:
        for args in (["check"], ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1"]):
            result = runner.invoke(cli, args)
            assert result.exit_code == 1
            assert isinstance(result.exception, SystemExit)
            assert "không có quyền truy cập" in result.output
    finally:
        folder.chmod(0o755)
