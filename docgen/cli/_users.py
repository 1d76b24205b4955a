"""``docgen users``: the accounts of the ward mode (add, list, disable, enable,
reset-password), a thin layer over docgen.accounts."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen.cli._common import F, echo_table, report_errors, workspace_option
from docgen.cli._i18n import VGroup

if TYPE_CHECKING:
    from docgen.accounts import Account, Accounts

__all__ = ["users"]

# The keys of docgen.accounts.ROLES (not imported here, so --help stays light; a test
# holds the two equal).
ROLE_CHOICES = ("dang_uy", "bi_thu", "xem")


@click.group(cls=VGroup, short_help="Tài khoản của chế độ phường: tạo, liệt kê, khóa, đặt lại mật khẩu.")
def users() -> None:
    """Tài khoản đăng nhập ứng dụng web ở chế độ phường (mọi chi bộ dùng chung).

    Mỗi người một tài khoản, với một vai trò: dang_uy (Văn phòng Đảng ủy: mọi chi bộ,
    chạy cả phường, mẫu, sổ đăng ký), bi_thu (bí thư, phó bí thư: chỉ chi bộ của mình,
    ghi --chi-bo), xem (lãnh đạo: xem mọi thứ, không sửa). Tài khoản Văn phòng Đảng ủy
    đầu tiên được tạo bằng lệnh này. Tài khoản lưu trong .docgen/tai-khoan.sqlite của
    thư mục dữ liệu; mật khẩu chỉ lưu dạng băm (argon2id).

    \b
    Ví dụ:
      docgen users add van-phong --vai-tro dang_uy
      docgen users add bt.tdp5 --vai-tro bi_thu --chi-bo to-dan-pho-5
      docgen users list
      docgen users reset-password bt.tdp5
    """


def _password_options(func: F) -> F:
    return click.option(
        "--mat-khau-tu-stdin",
        "from_stdin",
        is_flag=True,
        help="Đọc mật khẩu từ một dòng của đầu vào chuẩn (cho tập lệnh), thay vì hỏi hai lần.",
    )(func)


def _name_argument(func: F) -> F:
    return click.argument("name", metavar="TÊN")(func)


def _interactive() -> bool:
    """Whether a person is at the terminal to type a password (never block a script)."""
    return sys.stdin.isatty()


def _read_password(from_stdin: bool) -> str:
    """The new password: one line of stdin, or typed twice without being shown."""
    from docgen.errors import UsageError

    if from_stdin:
        line = click.get_text_stream("stdin").readline().rstrip("\r\n")
        if not line:
            raise UsageError("không đọc được mật khẩu: đầu vào chuẩn không có dòng nào")
        return line
    if not _interactive():
        raise UsageError(
            "không hỏi được mật khẩu vì không có ai gõ ở màn hình; dùng --mat-khau-tu-stdin"
        )
    first = str(click.prompt("Mật khẩu", hide_input=True))
    second = str(click.prompt("Gõ lại mật khẩu", hide_input=True))
    if first != second:
        raise UsageError("hai lần gõ mật khẩu không giống nhau; chưa thay đổi gì")
    return first


def _accounts(workspace: Path, *, made: bool = True) -> Accounts:
    """The workspace's accounts; ``made``: the file must exist already (commands that
    change an account never make the file in a folder that is not a workspace)."""
    from docgen.accounts import open_accounts
    from docgen.errors import UsageError, display_path

    accounts = open_accounts(workspace)
    if made and not accounts.path.is_file():
        raise UsageError(
            f"chưa có tài khoản nào trong {display_path(workspace)}; tạo tài khoản bằng docgen users add"
        )
    return accounts


def _described(account: Account) -> str:
    from docgen.accounts import ROLES

    text = f"{account.name} ({ROLES.get(account.role, account.role)}"
    return text + (f", chi bộ {account.cell})" if account.cell else ")")


def _when(created: str) -> str:
    """An ISO time as the tables show it (dd/mm/yyyy HH:MM)."""
    try:
        return datetime.fromisoformat(created).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return created


@users.command("add", short_help="Tạo tài khoản mới (hỏi mật khẩu hai lần).")
@_name_argument
@click.option("--vai-tro", "role", type=click.Choice(ROLE_CHOICES), required=True, metavar="VAI_TRÒ",
              help="dang_uy (Văn phòng Đảng ủy), bi_thu (bí thư, phó bí thư chi bộ) hoặc xem (lãnh đạo, chỉ xem).")  # fmt: skip
@click.option("--chi-bo", "cell", metavar="MÃ", help="Chi bộ của tài khoản bi_thu (mã chi bộ trong dang-bo.yaml).")
@_password_options
@workspace_option
@report_errors
def users_add(name: str, role: str, cell: str | None, from_stdin: bool, workspace: Path) -> None:
    """Tạo tài khoản TÊN (3-40 ký tự: chữ thường không dấu, chữ số, . _ -).

    Mật khẩu được hỏi hai lần, không hiện trên màn hình (ít nhất 10 ký tự, không
    giống tên). Tài khoản bi_thu cần --chi-bo; mã chi bộ được đối chiếu với dang-bo.yaml.

    \b
    Ví dụ:
      docgen users add van-phong --vai-tro dang_uy
      docgen users add bt.tdp5 --vai-tro bi_thu --chi-bo to-dan-pho-5
      echo "mat-khau-du-dai" | docgen users add lanh-dao --vai-tro xem --mat-khau-tu-stdin
    """
    from docgen.workspace import load_workspace

    ws = load_workspace(workspace)
    if cell is not None and cell.strip():
        ws.require_cell(cell.strip())
    accounts = _accounts(workspace, made=False)
    password = _read_password(from_stdin)
    account = accounts.add(name=name, role=role, password=password, cell=cell)
    click.echo(f"Đã tạo tài khoản {_described(account)}.")


@users.command("list", short_help="Liệt kê các tài khoản: vai trò, chi bộ, trạng thái.")
@workspace_option
@report_errors
def users_list(workspace: Path) -> None:
    """Liệt kê các tài khoản: tên, vai trò, chi bộ, đang dùng hay đã khóa, tạo lúc nào.

    \b
    Ví dụ:
      docgen users list
      docgen users list -w du-lieu
    """
    from docgen.accounts import ROLES

    accounts = _accounts(workspace, made=False)
    found = accounts.accounts() if accounts.exists() else []
    if not found:
        click.echo("Chưa có tài khoản nào. Tạo tài khoản đầu tiên: docgen users add TÊN --vai-tro dang_uy")
        return
    rows = [("Tên", "Vai trò", "Chi bộ", "Trạng thái", "Tạo lúc")]
    rows += [
        (a.name, ROLES.get(a.role, a.role), a.cell or "", "đã khóa" if a.disabled else "đang dùng", _when(a.created))
        for a in found
    ]
    echo_table(rows)


@users.command("disable", short_help="Khóa một tài khoản (đăng xuất ngay mọi nơi).")
@_name_argument
@workspace_option
@report_errors
def users_disable(name: str, workspace: Path) -> None:
    """Khóa tài khoản TÊN: không đăng nhập được nữa, các phiên đang mở kết thúc ngay.

    \b
    Ví dụ:
      docgen users disable bt.tdp5
    """
    account = _accounts(workspace).disable(name)
    click.echo(f"Đã khóa tài khoản {_described(account)}; các phiên đăng nhập của tài khoản đã kết thúc.")


@users.command("enable", short_help="Mở lại một tài khoản đã khóa.")
@_name_argument
@workspace_option
@report_errors
def users_enable(name: str, workspace: Path) -> None:
    """Mở lại tài khoản TÊN đã khóa: đăng nhập được như trước.

    \b
    Ví dụ:
      docgen users enable bt.tdp5
    """
    account = _accounts(workspace).enable(name)
    click.echo(f"Đã mở lại tài khoản {_described(account)}.")


@users.command("reset-password", short_help="Đặt mật khẩu mới cho một tài khoản.")
@_name_argument
@_password_options
@workspace_option
@report_errors
def users_reset_password(name: str, from_stdin: bool, workspace: Path) -> None:
    """Đặt mật khẩu mới cho tài khoản TÊN (khi quên mật khẩu, hay bị khóa vì gõ sai
    nhiều lần): các phiên đang mở kết thúc, lần khóa tạm được bỏ.

    \b
    Ví dụ:
      docgen users reset-password bt.tdp5
      docgen users reset-password bt.tdp5 --mat-khau-tu-stdin < mat-khau.txt
    """
    from docgen.errors import UsageError

    accounts = _accounts(workspace)
    if accounts.get(name) is None:  # said before the password is asked for
        raise UsageError(f"không có tài khoản «{name.strip().lower()}»")
    account = accounts.reset_password(name, _read_password(from_stdin))
    click.echo(f"Đã đặt mật khẩu mới cho tài khoản {_described(account)}; các phiên đăng nhập cũ đã kết thúc.")
