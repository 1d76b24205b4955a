"""``docgen users``: accounts of the ward mode from the command line (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.accounts import ROLES, open_accounts
from docgen.cli import _users, cli, main
from docgen.errors import AccessRefused

PASSWORD = "mat-khau-du-dai"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def _add(runner: CliRunner, *args: str, password: str = PASSWORD) -> Result:
    return runner.invoke(cli, ["users", "add", *args, "-w", "data", "--mat-khau-tu-stdin"], input=password + "\n")


def test_add_then_list(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["users", "list", "-w", "data"])
    assert result.exit_code == 0 and result.stdout.startswith("Chưa có tài khoản nào.")
    assert not (ws / ".docgen").exists()  # asking makes nothing
    result = _add(runner, "Van-Phong", "--vai-tro", "dang_uy")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Đã tạo tài khoản van-phong (Văn phòng Đảng ủy).\n"
    result = _add(runner, "bt.tdp5", "--vai-tro", "bi_thu", "--chi-bo", "to-dan-pho-5")
    assert result.stdout == (
        "Đã tạo tài khoản bt.tdp5 (Bí thư, phó bí thư chi bộ, chi bộ to-dan-pho-5).\n"
    )
    result = runner.invoke(cli, ["users", "list", "-w", "data"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Tên", "Vai", "trò", "Chi", "bộ", "Trạng", "thái", "Tạo", "lúc"]
    assert lines[1].split()[:6] == ["bt.tdp5", "Bí", "thư,", "phó", "bí", "thư"]
    assert "to-dan-pho-5" in lines[1] and "đang dùng" in lines[1]
    assert lines[2].startswith("  van-phong  Văn phòng Đảng ủy") and "đang dùng" in lines[2]
    assert "argon2" not in result.stdout and len(lines) == 3
    assert open_accounts(ws).login("bt.tdp5", PASSWORD, "127.0.0.1").account.cell == "to-dan-pho-5"


def test_disable_and_enable(runner: CliRunner, ws: Path) -> None:
    _add(runner, "bt.tdp5", "--vai-tro", "bi_thu", "--chi-bo", "to-dan-pho-5")
    result = runner.invoke(cli, ["users", "disable", "bt.tdp5", "-w", "data"])
    assert result.exit_code == 0 and result.stdout.startswith("Đã khóa tài khoản bt.tdp5")
    assert "đã khóa" in runner.invoke(cli, ["users", "list", "-w", "data"]).stdout
    with pytest.raises(AccessRefused, match="tài khoản đã bị khóa"):
        open_accounts(ws).login("bt.tdp5", PASSWORD, "127.0.0.1")
    result = runner.invoke(cli, ["users", "enable", "bt.tdp5", "-w", "data"])
    assert result.exit_code == 0 and result.stdout.startswith("Đã mở lại tài khoản bt.tdp5")
    assert open_accounts(ws).login("bt.tdp5", PASSWORD, "127.0.0.1")


def test_bad_cell_is_misuse_without_traceback(runner: CliRunner, ws: Path) -> None:
    result = _add(runner, "bt.x", "--vai-tro", "bi_thu", "--chi-bo", "to-dan-pho-9")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: không có chi bộ 'to-dan-pho-9' trong data/dang-bo.yaml")
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not open_accounts(ws).exists()


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["bt.x", "--vai-tro", "bi_thu"], PASSWORD, "Lỗi: tài khoản vai trò bi_thu (Bí thư, phó bí thư chi bộ) phải gắn với một chi bộ\n"),
        (["van-phong", "--vai-tro", "dang_uy", "--chi-bo", "to-dan-pho-5"], PASSWORD, "Lỗi: tài khoản vai trò dang_uy (Văn phòng Đảng ủy) không gắn với chi bộ nào; bỏ chi bộ đi\n"),
        (["vp", "--vai-tro", "dang_uy"], PASSWORD, "Lỗi: tên đăng nhập «vp» không dùng được: cần từ 3 đến 40 ký tự, chỉ gồm chữ cái không dấu, chữ số và các dấu . _ -\n"),
        (["van-phong", "--vai-tro", "dang_uy"], "ngan", "Lỗi: mật khẩu quá ngắn: cần ít nhất 10 ký tự\n"),
        (["van-phong", "--vai-tro", "dang_uy"], "", "Lỗi: không đọc được mật khẩu: đầu vào chuẩn không có dòng nào\n"),
    ],
)  # fmt: skip
def test_refused_accounts(runner: CliRunner, ws: Path, args: list[str], password: str, message: str) -> None:
    result = _add(runner, *args, password=password)
    assert (result.exit_code, result.stderr) == (2, message)
    assert not open_accounts(ws).exists()


def test_a_taken_name(runner: CliRunner, ws: Path) -> None:
    _add(runner, "van-phong", "--vai-tro", "dang_uy")
    result = _add(runner, "van-phong", "--vai-tro", "xem")
    assert (result.exit_code, result.stderr) == (2, "Lỗi: đã có tài khoản «van-phong»\n")


def test_unknown_role_is_refused_in_vietnamese(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["users", "add", "van-phong", "--vai-tro", "admin", "-w", "data", "--mat-khau-tu-stdin"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Lỗi: giá trị 'admin' không hợp lệ cho --vai-tro; chọn một trong: 'dang_uy', 'bi_thu', 'xem'" in err


def test_role_choices_are_the_libraries() -> None:
    assert tuple(ROLES) == _users.ROLE_CHOICES


def test_reset_password_then_login(runner: CliRunner, ws: Path) -> None:
    _add(runner, "bt.tdp5", "--vai-tro", "bi_thu", "--chi-bo", "to-dan-pho-5")
    accounts = open_accounts(ws)
    session = accounts.login("bt.tdp5", PASSWORD, "127.0.0.1")
    result = runner.invoke(
        cli, ["users", "reset-password", "BT.tdp5", "-w", "data", "--mat-khau-tu-stdin"],
        input="mat-khau-moi-hon\n",
    )  # fmt: skip
    assert result.exit_code == 0 and result.stdout.startswith("Đã đặt mật khẩu mới cho tài khoản bt.tdp5")
    assert accounts.session(session.token) is None
    with pytest.raises(AccessRefused, match="tên đăng nhập hoặc mật khẩu không đúng"):
        accounts.login("bt.tdp5", PASSWORD, "127.0.0.1")
    assert accounts.login("bt.tdp5", "mat-khau-moi-hon", "127.0.0.1").account.name == "bt.tdp5"


def test_password_typed_twice(runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_users, "_interactive", lambda: True)
    args = ["users", "add", "van-phong", "--vai-tro", "dang_uy", "-w", "data"]
    result = runner.invoke(cli, args, input=f"{PASSWORD}\n{PASSWORD}x\n")
    assert (result.exit_code, result.stderr) == (
        2, "Lỗi: hai lần gõ mật khẩu không giống nhau; chưa thay đổi gì\n",
    )  # fmt: skip
    assert PASSWORD not in result.stdout  # hidden
    assert not open_accounts(ws).exists()
    result = runner.invoke(cli, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "Đã tạo tài khoản van-phong" in result.stdout
    assert open_accounts(ws).login("van-phong", PASSWORD, "127.0.0.1")


def test_no_prompt_without_a_terminal(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["users", "add", "van-phong", "--vai-tro", "dang_uy", "-w", "data"], input="")
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: không hỏi được mật khẩu vì không có ai gõ ở màn hình; dùng --mat-khau-tu-stdin\n"
    )


@pytest.mark.parametrize("command", ["disable", "enable", "reset-password"])
def test_commands_on_a_missing_account(runner: CliRunner, ws: Path, tmp_path: Path, command: str) -> None:
    empty = tmp_path / "trong"
    empty.mkdir()
    result = runner.invoke(cli, ["users", command, "ai-do", "-w", str(empty)])
    assert result.exit_code == 2 and "chưa có tài khoản nào trong" in result.stderr
    assert list(empty.iterdir()) == []  # no accounts file made in a folder that is no workspace
    _add(runner, "van-phong", "--vai-tro", "dang_uy")
    result = runner.invoke(cli, ["users", command, "ai-do", "-w", "data"], input="")
    assert (result.exit_code, result.stderr) == (2, "Lỗi: không có tài khoản «ai-do»\n")
