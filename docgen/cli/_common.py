"""What the commands share: options, parameter types, error reporting, table printing."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from docgen.errors import DocgenError

F = TypeVar("F", bound=Callable[..., Any])


def _found_workspace(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """The folder given, else the one the library finds from here (docgen/workspace.py)."""
    from docgen.workspace import find_workspace

    return find_workspace(Path.cwd()) if value is None else value


def workspace_option(func: F) -> F:
    return click.option(
        "-w",
        "--workspace",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        callback=_found_workspace,
        metavar="THƯ_MỤC",
        help="Thư mục dữ liệu (chứa dang-bo.yaml). Mặc định: thư mục đang đứng nếu có "
        "dang-bo.yaml, không thì data.",
    )(func)


def output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("output"),
        metavar="THƯ_MỤC",
        help="Thư mục ghi văn bản. Mặc định: output.",
    )(func)


def templates_option(func: F) -> F:
    return click.option(
        "--templates",
        "templates_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        metavar="THƯ_MỤC",
        help="Thư mục mẫu Word riêng (thay cai_dat.thu_muc_mau trong dang-bo.yaml); "
        "loại nào không có mẫu ở đó thì dùng mẫu có sẵn.",
    )(func)


def issue_options(func: F) -> F:
    func = click.option(
        "--reissue",
        is_flag=True,
        help="Ban hành lại văn bản đã cấp số mà nội dung đã đổi (ghi vào sổ đăng ký).",
    )(func)
    return click.option(
        "--draft",
        is_flag=True,
        help="Làm bản dự thảo: không lấy số, có dấu DỰ THẢO, ghi thành tệp ...-du-thao.docx.",
    )(func)


def force_option(func: F) -> F:
    return click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")(func)


class TextParam(click.ParamType):
    """A name typed on the command line or at a prompt: never blank."""

    name = "chữ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = " ".join(str(value).split())
        if not text:
            self.fail("không được để trống", param, ctx)
        return text


class SexParam(click.ParamType):
    """Nam / Nữ as people type it (nam, Nữ, NU...)."""

    name = "giới tính"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from docgen.errors import CellError
        from docgen.xlsx import read_sex

        try:
            return read_sex(value)
        except CellError as exc:
            self.fail(str(exc), param, ctx)


class DateParam(click.ParamType):
    name = "ngày"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from docgen.errors import DateFormatError
        from docgen.formatting import parse_user_date

        try:
            return parse_user_date(str(value))
        except DateFormatError as exc:
            self.fail(str(exc), param, ctx)


class ExportFile(click.Path):
    """A file an export writes: its suffix says its format (so an export never lands on
    a workspace's .yaml, its register or a .docx by a slip of the keyboard)."""

    def __init__(self, suffix: str) -> None:
        super().__init__(path_type=Path, dir_okay=False)
        self.suffix = suffix

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        if Path(os.fsdecode(path)).suffix.lower() != self.suffix:
            self.fail(f"tệp xuất phải có đuôi {self.suffix}", param, ctx)
        return path


def existing_dir(path: Path | None) -> Path | None:
    """``path`` if it is a folder; a missing folder is a misuse of the command (exit 2)."""
    from docgen.errors import UsageError

    if path is not None and not path.is_dir():
        raise UsageError(f"không tìm thấy thư mục mẫu {path}")
    return path


def may_write(targets: list[Path | None], force: bool) -> None:
    """Refuse, before any work, to replace an existing file unless ``force``.

    Raises:
        UsageError: a file exists and ``force`` is off.
    """
    from docgen.errors import UsageError, display_path

    existing = [display_path(t) for t in targets if t is not None and t.exists()]
    if existing and not force:
        raise UsageError(f"đã có tệp {', '.join(existing)}; thêm --force để ghi đè")


def echo_table(rows: Sequence[tuple[str, ...]]) -> None:
    """Rows as aligned columns, indented, for the terminal (the first row is the heading)."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for r in rows:
        click.echo("  " + "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…" for a table column."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo_warnings(texts: list[str]) -> None:
    """Each text as a "Cảnh báo:" line on stderr."""
    for warning in texts:
        click.echo(f"Cảnh báo: {warning}", err=True)


def echo_notes(notes: list[str]) -> None:
    if notes:
        click.echo("Ghi chú về xếp loại (theo quy định):")
        for note in notes:
            click.echo(f"  {note}")


def issue_text(issue: tuple[str, str] | None) -> str:
    """" (số 03-BC/CB, cấp số mới)" for a numbered document, "" otherwise."""
    from docgen.issue import ISSUE_STATES

    if issue is None:
        return ""
    number, state = issue
    if state == "du_thao":
        return f" ({ISSUE_STATES[state]})"
    return f" (số {number}, {ISSUE_STATES[state]})"


def report_errors(func: F) -> F:
    """Print DocgenErrors as located Vietnamese lines and exit with their status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from docgen.errors import InputError

        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for line in exc.lines():
                click.echo(f"Lỗi: {line}", err=True)
            count = len(exc.problems)
            click.echo(
                f"Có {count} lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào.", err=True
            )
            raise SystemExit(exc.exit_code) from None
        except DocgenError as exc:
            from docgen.errors import TemplateCheckError

            for line in exc.lines():
                click.echo(f"Lỗi: {line}", err=True)
            if isinstance(exc, TemplateCheckError):
                click.echo(
                    f"Mẫu {exc.template} có {len(exc.problems)} lỗi; chưa tạo hay thay đổi tệp nào "
                    "(kiểm tra mẫu: docgen templates check).",
                    err=True,
                )
            raise SystemExit(exc.exit_code) from None
        except OSError as exc:
            # Every known place turns a file error into a located DocgenError; this is
            # the last stop, so that no file error ever ends in a traceback.
            from docgen.errors import display_path, os_reason

            shown = display_path(Path(os.fsdecode(exc.filename))) if exc.filename else "docgen"
            click.echo(f"Lỗi: {shown}: không đọc hay ghi được ({os_reason(exc)})", err=True)
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]
