"""Command line: parse, call the library (``docgen``'s public API), print results and
errors, pick exit codes.

This package is the only part of docgen that prints or exits. Each command parses its
options, calls one library function and prints what it returns; heavy modules
(pydantic, lxml, docxtpl) are imported inside the commands so ``docgen --help`` starts
fast. Exit status: 0 success, 1 bad input or template, 2 misuse of the command.

Modules: ``_i18n`` (click in Vietnamese), ``_common`` (shared options, parameter types,
error reporting, tables), ``_documents`` (check, render, batch, progress, register),
``_setup`` (init), ``_new`` (new), ``_roster`` (roster), ``_templates`` (templates, audit),
``_fixtext`` (fix-text), ``_users`` (users), ``_serve`` (serve), ``_backup`` (backup, restore).
"""

from __future__ import annotations

import gc
import signal
import sys

import click

from docgen._version import __version__
from docgen.cli._backup import backup, restore
from docgen.cli._documents import batch, check, progress, register, render
from docgen.cli._fixtext import fix_text
from docgen.cli._i18n import VGroup, blank_argument, translate_usage
from docgen.cli._new import new
from docgen.cli._roster import roster
from docgen.cli._serve import serve
from docgen.cli._setup import init
from docgen.cli._templates import audit, templates
from docgen.cli._users import users

__all__ = ["cli", "main"]


@click.group(cls=VGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="docgen", message="%(prog)s %(version)s",
    help="Hiện phiên bản rồi thoát.",
)
def cli() -> None:
    """docgen: soạn văn bản xây dựng “chi bộ bốn tốt” từ dữ liệu YAML ra tệp Word (.docx)
    đúng thể thức văn bản của Đảng.

    Dữ liệu nằm trong một thư mục (mặc định data/): dang-bo.yaml cho đảng bộ
    phường, mỗi chi bộ một thư mục trong chi-bo/. Văn bản được ghi vào output/.

    \b
    Ví dụ:
      docgen check
      docgen render ke-hoach --nam 2026
    """


for _command in (
    check, render, progress, batch, register, init, new, audit, templates, roster, fix_text, serve,
    users, backup, restore,
):
    cli.add_command(_command)


def _ignore_unraisable(unraisable: object) -> None:
    """Drop an unraisable exception (only installed once the run was stopped by Ctrl-C)."""


def _ignore_ctrl_c(argv: list[str] | None) -> None:
    """Ignore Ctrl-C for the rest of the process: only when it is the ``docgen`` command
    itself (``argv`` None), never in a program that called :func:`main` with arguments."""
    if argv is None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``docgen`` command."""
    blank = blank_argument(sys.argv[1:] if argv is None else argv)
    if blank is not None:
        click.echo(f"Lỗi: {blank}; bỏ hẳn tùy chọn đó hoặc ghi giá trị", err=True)
        sys.exit(2)
    try:
        code = cli.main(args=argv, prog_name="docgen", standalone_mode=False)
        # The command has finished: a Ctrl-C from here on must not turn its exit into a
        # traceback (it came too late to stop anything).
        _ignore_ctrl_c(argv)
    except click.exceptions.NoArgsIsHelpError as exc:
        # "docgen roster" alone: its help, once
        click.echo(exc.format_message())
        sys.exit(2)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage().replace("Usage:", "Cách dùng:"), err=True)
            click.echo(
                f"Xem thêm: {exc.ctx.command_path} --help", err=True
            )
        click.echo(f"Lỗi: {translate_usage(exc.format_message())}", err=True)
        sys.exit(2)
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Stopped by Ctrl-C (click turns it into Abort inside the command; between the
        # command's end and the line above it comes as itself). A second one must not
        # interrupt the stopping.
        _ignore_ctrl_c(argv)
        previous_hook = sys.unraisablehook
        # A Ctrl-C that lands inside a constructor (zipfile.ZipFile.__init__, say) leaves a
        # half-built object whose __del__ fails when it is freed, and CPython prints that as
        # "Exception ignored ... Traceback" on stderr. The run is ending on purpose and
        # nothing is left written (output.write_all): such objects are freed silently here,
        # as the interrupt's traceback lets go of them.
        sys.unraisablehook = _ignore_unraisable
    else:
        sys.exit(code if isinstance(code, int) else 0)
    gc.collect()
    sys.unraisablehook = previous_hook
    click.echo("Đã dừng.", err=True)
    # CPython quirk: a Ctrl-C that went through code run by exec() of a string (a
    # dataclass being defined while a module is imported) leaves a flag that makes
    # "python -m docgen" kill itself with SIGINT after exiting; any string run through
    # exec() clears it, so the exit status is 1 wherever the Ctrl-C landed.
    exec("pass")
    sys.exit(1)
