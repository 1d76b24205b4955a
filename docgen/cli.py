"""Command line: parse, call the core, print results and errors, pick exit codes.

This is the only module that prints or exits. Heavy modules (pydantic, lxml,
docxtpl) are imported inside the commands so ``docgen --help`` starts fast.
Exit status: 0 success, 1 bad input or template, 2 misuse of the command.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from docgen import __version__
from docgen.documents import KIND_NAMES
from docgen.errors import DocgenError

F = TypeVar("F", bound=Callable[..., Any])

_HELP_TEXT = "Hiện hướng dẫn này rồi thoát."


class _VietnameseHelp:
    """Mixin: Vietnamese headings in --help."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _HELP_TEXT
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is not None:
                rows.append((record[0], _translate_help_extra(record[1])))
        if rows:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = []
            for name in self.list_commands(ctx):
                cmd = self.get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    commands.append((name, cmd.get_short_help_str(limit=70)))
            if commands:
                with formatter.section("Lệnh"):
                    formatter.write_dl(commands)


# click's own words in an option's help line ("[default: x; required]").
_HELP_EXTRA = [("default: ", "mặc định: "), ("required", "bắt buộc"), ("env var: ", "biến môi trường: ")]


def _translate_help_extra(text: str) -> str:
    """Translate the bracketed extra click appends to an option's help."""
    head, bracket, extra = text.rpartition("  [")
    if not bracket:
        return text
    for english, vietnamese in _HELP_EXTRA:
        extra = extra.replace(english, vietnamese)
    return f"{head}{bracket}{extra}"


class VCommand(_VietnameseHelp, click.Command):
    """A command with Vietnamese help headings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)


class VGroup(_VietnameseHelp, click.Group):
    """A group with Vietnamese help headings; its subcommands are VCommands."""

    command_class = VCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM SỐ]...")
        super().__init__(*args, **kwargs)


class Range(click.IntRange):
    """An integer range described in Vietnamese ("1 đến 4")."""

    def _describe_range(self) -> str:
        return f"{self.min} đến {self.max}"


def _workspace_option(func: F) -> F:
    return click.option(
        "-w",
        "--workspace",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("data"),
        metavar="THƯ_MỤC",
        help="Thư mục dữ liệu (chứa dang-bo.yaml). Mặc định: data.",
    )(func)


def _output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("output"),
        metavar="THƯ_MỤC",
        help="Thư mục ghi văn bản. Mặc định: output.",
    )(func)


def _echo_table(rows: list[tuple[str, ...]]) -> None:
    """Rows as aligned columns, indented, for the terminal (the first row is the heading)."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for r in rows:
        click.echo("  " + "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def _templates_option(func: F) -> F:
    return click.option(
        "--templates",
        "templates_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        metavar="THƯ_MỤC",
        help="Thư mục mẫu Word riêng (thay cai_dat.thu_muc_mau trong dang-bo.yaml); "
        "loại nào không có mẫu ở đó thì dùng mẫu có sẵn.",
    )(func)


def _issue_options(func: F) -> F:
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


def _existing_dir(path: Path | None) -> Path | None:
    """``path`` if it is a folder; a missing folder is a misuse of the command (exit 2)."""
    from docgen.errors import UsageError

    if path is not None and not path.is_dir():
        raise UsageError(f"không tìm thấy thư mục mẫu {path}")
    return path


def _report_errors(func: F) -> F:
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


@cli.command()
@_workspace_option
@_report_errors
def check(workspace: Path) -> None:
    """Kiểm tra dữ liệu mà không tạo văn bản.

    Báo mọi lỗi cùng lúc, mỗi lỗi một dòng: tệp:dòng:cột: trường: nội dung lỗi.

    \b
    Ví dụ:
      docgen check
      docgen check -w du-lieu-phuong
    """
    from docgen.pipeline import check_workspace
    from docgen.workspace import load_workspace

    ws = load_workspace(workspace)
    report = check_workspace(ws)
    click.echo(
        f"Dữ liệu hợp lệ: {report.cells} chi bộ, {report.members} đảng viên; "
        f"đủ dữ liệu cho {len(report.documents)} văn bản."
    )
    # what rendering would warn about, said now (once each)
    for warning in dict.fromkeys(w for item in report.prepared for w in item.warnings):
        click.echo(f"Cảnh báo: {warning}", err=True)


_KIND_HELP = "; ".join(f"{name}: {text}" for name, text in KIND_NAMES.items())


@cli.command()
@click.argument("kinds", metavar="LOẠI...", nargs=-1, required=True, type=click.Choice(list(KIND_NAMES)))
@click.option("--chi-bo", "chi_bo", metavar="MÃ", help="Chỉ tạo cho một chi bộ. Mặc định: mọi chi bộ.")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm của văn bản. Mặc định: năm nay.")
@click.option("--quy", type=Range(1, 4), metavar="QUÝ", help="Quý, với văn bản theo quý.")
@_workspace_option
@_output_option
@_templates_option
@_issue_options
@_report_errors
def render(
    kinds: tuple[str, ...],
    chi_bo: str | None,
    nam: int | None,
    quy: int | None,
    workspace: Path,
    output: Path,
    templates_dir: Path | None,
    draft: bool,
    reissue: bool,
) -> None:
    """Tạo văn bản LOẠI (một hoặc nhiều loại) cho một chi bộ hoặc mọi chi bộ.

    Văn bản của chi bộ được ghi vào THƯ_MỤC/<đảng bộ>/<chi bộ>/<năm>/, văn bản của
    Đảng ủy phường vào THƯ_MỤC/<đảng bộ>/<năm>/. Nếu dữ liệu hoặc mẫu có lỗi thì
    không ghi tệp nào. Mẫu lấy từ thư mục mẫu riêng (--templates, hoặc
    cai_dat.thu_muc_mau trong dang-bo.yaml) nếu có, không thì dùng mẫu có sẵn.

    \b
    Ví dụ:
      docgen render ke-hoach --nam 2026
      docgen render ke-hoach --chi-bo to-dan-pho-5 --nam 2026 -o ket-qua
      docgen render bao-cao-quy tong-hop-quy --quy 3 --nam 2026
      docgen render phan-cong --nam 2026 --templates mau
    """
    from docgen.errors import display_path
    from docgen.pipeline import generate
    from docgen.workspace import load_workspace

    _existing_dir(templates_dir)
    ws = load_workspace(workspace)
    year = nam or date.today().year
    cells = [chi_bo] if chi_bo else None
    result = generate(
        ws,
        list(kinds),
        nam=year,
        quy=quy,
        cell_ids=cells,
        output_root=output,
        templates_dir=templates_dir,
        draft=draft,
        reissue=reissue,
    )
    for warning in result.warnings:
        click.echo(f"Cảnh báo: {warning}", err=True)
    click.echo(f"Đã tạo {len(result.written)} văn bản:")
    for path in result.written:
        click.echo(f"  {display_path(path)}{_issue_text(result.issued.get(path))}")
    if result.notes:
        click.echo("Ghi chú về xếp loại (theo quy định):")
        for note in result.notes:
            click.echo(f"  {note}")


def _issue_text(issue: tuple[str, str] | None) -> str:
    """" (số 03-BC/CB, cấp số mới)" for a numbered document, "" otherwise."""
    from docgen.issue import ISSUE_STATES

    if issue is None:
        return ""
    number, state = issue
    if state == "du_thao":
        return f" ({ISSUE_STATES[state]})"
    return f" (số {number}, {ISSUE_STATES[state]})"


class _TextParam(click.ParamType):
    """A name typed on the command line or at a prompt: never blank."""

    name = "chữ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = " ".join(str(value).split())
        if not text:
            self.fail("không được để trống", param, ctx)
        return text


class _SexParam(click.ParamType):
    """Nam / Nữ as people type it (nam, Nữ, NU...)."""

    name = "giới tính"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from docgen.errors import CellError
        from docgen.xlsx import read_sex

        try:
            return read_sex(value)
        except CellError as exc:
            self.fail(str(exc), param, ctx)


class _ExportFile(click.Path):
    """A file an export writes: its suffix says its format (so an export never lands on
    a workspace's .yaml, its register or a .docx by a slip of the keyboard)."""

    def __init__(self, suffix: str) -> None:
        super().__init__(path_type=Path, dir_okay=False)
        self.suffix = suffix

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        if Path(path).suffix.lower() != self.suffix:
            self.fail(f"tệp xuất phải có đuôi {self.suffix}", param, ctx)
        return path


def _force_option(func: F) -> F:
    return click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")(func)


def _may_write(targets: list[Path | None], force: bool) -> None:
    """Refuse, before any work, to replace an existing file unless ``force``.

    Raises:
        UsageError: a file exists and ``force`` is off.
    """
    from docgen.errors import UsageError, display_path

    existing = [display_path(t) for t in targets if t is not None and t.exists()]
    if existing and not force:
        raise UsageError(f"đã có tệp {', '.join(existing)}; thêm --force để ghi đè")


class _DateParam(click.ParamType):
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


@cli.command()
@click.option("--chi-bo", "chi_bo", metavar="MÃ", help="Chỉ xem một chi bộ. Mặc định: mọi chi bộ.")
@click.option("--ngay", type=_DateParam(), metavar="NGÀY", help="Tính đến ngày này. Mặc định: hôm nay.")
@click.option(
    "--so-ngay",
    type=Range(0, 366),
    default=14,
    metavar="N",
    help="Nhiệm vụ đến hạn trong N ngày tới cũng được liệt kê. Mặc định: 14.",
)
@_workspace_option
@_report_errors
def progress(chi_bo: str | None, ngay: date | None, so_ngay: int, workspace: Path) -> None:
    """Liệt kê nhiệm vụ đã quá hạn hoặc sắp đến hạn của đảng viên.

    Tính từ các tệp phân công nhiệm vụ (phan-cong*.yaml) của năm chứa NGÀY; cùng
    cách tính với báo cáo quý.

    \b
    Ví dụ:
      docgen progress --chi-bo to-dan-pho-5 --ngay 30/09/2026
      docgen progress --so-ngay 30
    """
    from docgen.documents.phan_cong import assigned_tasks
    from docgen.documents.wording import deadline_text, progress_state
    from docgen.errors import Collector, display_path
    from docgen.formatting import short_date
    from docgen.rules.tasks import task_progress
    from docgen.workspace import load_workspace

    ws = load_workspace(workspace)
    as_of = ngay or date.today()
    cells = [chi_bo] if chi_bo else ws.cell_ids()
    for cell_id in cells:
        ws.require_cell(cell_id)
    collector = Collector()
    results = []
    for cell_id in cells:
        cell = collector.run(lambda cid=cell_id: ws.load_cell(cid))
        if cell is None:
            continue
        rows = collector.run(lambda c=cell: task_progress(assigned_tasks(c, as_of.year), c.by_id, as_of, so_ngay))
        if rows is not None:
            results.append((cell, rows))
    collector.raise_if_any()
    click.echo(
        f"Nhiệm vụ quá hạn hoặc đến hạn trong {so_ngay} ngày, tính đến ngày {short_date(as_of)}."
    )
    total_over = total_soon = 0
    for cell, rows in results:
        click.echo("")
        if not any(cell.year_dir(as_of.year).glob("phan-cong*.yaml")):
            click.echo(
                f"{cell.info.ten}: chưa có tệp phân công nhiệm vụ năm {as_of.year} "
                f"({display_path(cell.year_dir(as_of.year))}/phan-cong*.yaml)."
            )
            continue
        if not rows:
            click.echo(f"{cell.info.ten}: không có nhiệm vụ quá hạn hay sắp đến hạn.")
            continue
        click.echo(f"{cell.info.ten}:")
        table = [("STT", "Đảng viên", "Nhiệm vụ", "Thời hạn", "Tình trạng")]
        for i, row in enumerate(rows, start=1):
            task = row.task if len(row.task) <= 48 else row.task[:47] + "…"
            table.append((str(i), row.name, task, deadline_text(row.deadline), progress_state(row.status)))
        _echo_table(table)
        over = sum(row.overdue for row in rows)
        total_over += over
        total_soon += len(rows) - over
    click.echo("")
    click.echo(f"Tổng cộng: {total_over} nhiệm vụ quá hạn, {total_soon} nhiệm vụ sắp đến hạn.")


@cli.command(short_help="Làm văn bản cả kỳ của mọi chi bộ và báo cáo tổng hợp của phường.")
@click.option("--quy", type=Range(1, 4), metavar="QUÝ", help="Quý cần làm báo cáo. Bỏ trống: văn bản năm.")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm. Mặc định: năm nay.")
@_workspace_option
@_output_option
@click.option(
    "-j",
    "--jobs",
    type=Range(1, 256),
    default=None,
    metavar="N",
    help="Số tiến trình chạy song song. Mặc định: số lõi của máy.",
)
@click.option("--bundle", is_flag=True, help="Gộp các văn bản thành một tệp để in (theo thứ tự chi bộ).")
@click.option("--pdf", is_flag=True, help="Chuyển các văn bản (và tệp gộp) sang PDF bằng LibreOffice.")
@_templates_option
@_issue_options
@_report_errors
def batch(
    quy: int | None,
    nam: int | None,
    workspace: Path,
    output: Path,
    jobs: int | None,
    bundle: bool,
    pdf: bool,
    templates_dir: Path | None,
    draft: bool,
    reissue: bool,
) -> None:
    """Làm cùng lúc văn bản của mọi chi bộ trong một kỳ, rồi báo cáo tổng hợp của phường.

    Với --quy: báo cáo quý của từng chi bộ và báo cáo tổng hợp quý. Không có --quy:
    báo cáo kiểm điểm năm của từng chi bộ và báo cáo tổng hợp năm. Chi bộ nào có lỗi
    dữ liệu thì không ghi tệp nào của chi bộ đó, các chi bộ khác vẫn làm xong. Danh
    mục văn bản (manifest .json và .csv) ghi cùng thư mục với báo cáo tổng hợp.

    \b
    Ví dụ:
      docgen batch --quy 3 --nam 2026
      docgen batch --quy 3 --nam 2026 --bundle --pdf
      docgen batch --nam 2026 -j 4 -o ket-qua
    """
    import sys

    from docgen.batch import period_kinds, period_label, run_batch
    from docgen.errors import display_path
    from docgen.workspace import load_workspace

    if pdf:
        from docgen.pdf import find_soffice

        find_soffice()  # before any work: a missing LibreOffice is known at once
    ws = load_workspace(workspace)
    year = nam or date.today().year
    cell_kinds, ward_kinds = period_kinds(quy)
    total = len(ws.cell_ids()) + len(ward_kinds)
    if sys.stderr.isatty():
        with click.progressbar(length=total, label="Đang làm văn bản", file=sys.stderr) as bar:
            result = run_batch(
                workspace, nam=year, quy=quy, output_root=output, jobs=jobs,
                templates_dir=templates_dir, progress=bar.update, draft=draft, reissue=reissue,
            )
    else:
        result = run_batch(
            workspace, nam=year, quy=quy, output_root=output, jobs=jobs,
            templates_dir=templates_dir, draft=draft, reissue=reissue,
        )
    for warning in result.warnings:
        click.echo(f"Cảnh báo: {warning}", err=True)
    ok = [r for r in result.records if r.status == "ok"]
    click.echo(f"Đã tạo {len(ok)} văn bản, {len(result.failed)} văn bản lỗi:")
    for r in result.records:
        if r.status == "ok":
            issue = (r.number, r.issue_state) if r.issue_state else None
            click.echo(f"  xong  {r.kind:<13} {display_path(output / r.output)}{_issue_text(issue)}")
        else:
            click.echo(f"  LỖI   {r.kind:<13} {r.cell or ws.dang_bo.ma}")
            for line in r.errors:
                click.echo(f"        {line}")
    if result.manifest is not None:
        click.echo(f"Danh mục: {display_path(result.manifest)} (và .csv)")
    if result.notes:
        click.echo("Ghi chú về xếp loại (theo quy định):")
        for note in result.notes:
            click.echo(f"  {note}")
    produced = [output / p for p in result.written()]
    if bundle and produced:
        from docgen.bundle import merge_documents
        from docgen.output import bundle_path

        label = period_label(quy)
        target = output / bundle_path(ws.dang_bo.ma, year, label)
        title = f"Tập văn bản {'quý ' + str(quy) + ' ' if quy else ''}năm {year}"
        merge_documents(produced, target, title)
        produced.append(target)
        click.echo(f"Tệp gộp để in: {display_path(target)}")
    if pdf and produced:
        from docgen.pdf import convert

        converted = convert(produced, workers=jobs or os.cpu_count() or 1)
        failed = f"; {len(converted.failed)} tệp không chuyển được" if converted.failed else ""
        click.echo(f"Đã chuyển {len(converted.written)}/{len(produced)} tệp sang PDF{failed}.")
        for path, reason in converted.failed.items():
            click.echo(f"Lỗi: {display_path(path)}: không chuyển được sang PDF ({reason})", err=True)
        if converted.failed:
            raise SystemExit(1)
    if result.failed:
        raise SystemExit(1)


@cli.command(short_help="Xem và xuất sổ đăng ký văn bản đi (số đã cấp).")
@_workspace_option
@click.option("--csv", "csv_file", type=_ExportFile(".csv"), metavar="TỆP.csv",
              help="Xuất sổ ra tệp .csv (mở bằng Excel).")
@click.option("--xlsx", "xlsx_file", type=_ExportFile(".xlsx"), metavar="TỆP.xlsx",
              help="Xuất sổ ra tệp Excel .xlsx.")
@_force_option
@_report_errors
def register(workspace: Path, csv_file: Path | None, xlsx_file: Path | None, force: bool) -> None:
    """Xem sổ đăng ký văn bản đi: mỗi văn bản đã ban hành, số và ký hiệu, ngày, trích yếu,
    tệp, mã sha256 và số lần cấp lại.

    Sổ là tệp so-dang-ky-van-ban.sqlite trong thư mục dữ liệu. Số văn bản chạy từ 01
    theo từng cơ quan ban hành, loại văn bản và nhiệm kỳ; một số đã cấp không bao giờ
    dùng cho văn bản khác.

    \b
    Ví dụ:
      docgen register
      docgen register --xlsx so-dang-ky.xlsx --csv so-dang-ky.csv
    """
    from docgen.errors import display_path
    from docgen.output import write_atomic
    from docgen.register import Register
    from docgen.workspace import load_workspace

    _may_write([csv_file, xlsx_file], force)
    ws = load_workspace(workspace)
    book = Register.of(ws.root)
    entries = book.entries()
    if not entries:
        click.echo("Sổ đăng ký chưa có văn bản nào.")
    else:
        click.echo(f"Sổ đăng ký văn bản đi ({len(entries)} văn bản):")
        rows = [("Cơ quan", "Số, ký hiệu", "Ngày", "Trích yếu", "Lần cấp")]
        for e in entries:
            day = "/".join(reversed(e.ngay_ban_hanh.split("-")))
            summary = e.trich_yeu if len(e.trich_yeu) <= 60 else e.trich_yeu[:59] + "…"
            count = str(e.lan_cap) if e.sha256 else f"{e.lan_cap} (chưa có tệp)"
            rows.append((e.ten_co_quan, e.ky_hieu, day, summary, count))
        _echo_table(rows)
        held = sum(1 for e in entries if not e.sha256)
        if held:
            click.echo(
                f"{held} số đã giữ nhưng chưa có tệp (một lần chạy bị dừng đột ngột): chạy lại lệnh làm văn "
                "bản đó, số giữ sẵn sẽ được dùng"
            )
    if csv_file is not None:
        write_atomic(csv_file, book.to_csv().encode("utf-8"))
        click.echo(f"Đã xuất: {display_path(csv_file)}")
    if xlsx_file is not None:
        write_atomic(xlsx_file, book.to_xlsx())
        click.echo(f"Đã xuất: {display_path(xlsx_file)}")


def _interactive() -> bool:
    """Ask questions only when a person is at the terminal (never block a script)."""
    return sys.stdin.isatty()


_CELL_TYPES = ["dia_ban_dan_cu", "truong_hoc", "co_quan", "cong_an", "khac"]


def _ask(question: str, kind: click.ParamType, default: Any = None, *, optional: bool = False) -> Any:
    """Ask until the answer reads as ``kind``; an optional question takes Enter as None.

    click.prompt's own re-asking says "Error: ..." in English, so the loop is ours.
    """
    while True:
        text = str(click.prompt(question, default="" if default is None else default,
                                show_default=default is not None)).strip()
        if not text:
            if optional:
                return None
            click.echo("Cần trả lời câu này.")
            continue
        try:
            return kind.convert(text, None, None)
        except click.BadParameter as exc:
            click.echo(f"Chưa đúng: {_translate_usage(exc.message)}. Gõ lại.")


def _ask_type() -> str:
    from docgen.scaffold import CELL_TYPE_NAMES

    click.echo("Loại chi bộ:")
    for i, code in enumerate(_CELL_TYPES, start=1):
        click.echo(f"  {i}. {code}: {CELL_TYPE_NAMES[code]}")
    while True:
        answer = str(click.prompt("Chọn số hoặc gõ mã", default="1")).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(_CELL_TYPES):
            return _CELL_TYPES[int(answer) - 1]
        if answer in _CELL_TYPES:
            return answer
        click.echo(f"Chọn một số từ 1 đến {len(_CELL_TYPES)}.")


@cli.command(short_help="Tạo thư mục dữ liệu cho một chi bộ mới (hỏi vài câu).")
@_workspace_option
@click.option("--dang-bo", "dang_bo", type=_TextParam(), metavar="TÊN", help="Tên đảng bộ: \"Đảng bộ phường Ngọc Hà\" (khi thư mục chưa có dang-bo.yaml).")
@click.option("--cap-tren", type=_TextParam(), metavar="TÊN", help="Tổ chức đảng cấp trên: \"Đảng bộ thành phố Hà Nội\" (như trên).")
@click.option("--dia-danh", type=_TextParam(), metavar="TÊN", help="Địa danh ở dòng ngày tháng: \"Ngọc Hà\" (như trên).")
@click.option("--chi-bo", "chi_bo", metavar="MÃ", help="Mã chi bộ, cũng là tên thư mục. Mặc định: viết từ --ten.")
@click.option("--ten", type=_TextParam(), metavar="TÊN", help="Tên chi bộ: \"Chi bộ Tổ dân phố số 5\".")
@click.option("--loai", type=click.Choice(_CELL_TYPES), help="Loại chi bộ.")
@click.option("--bi-thu", "bi_thu", type=_TextParam(), metavar="HỌ_TÊN", help="Họ và tên bí thư chi bộ (đảng viên đầu tiên trong danh sách).")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm của kế hoạch đầu tiên. Mặc định: năm nay.")
@click.option("--gioi-tinh", type=_SexParam(), metavar="NAM|NỮ", help="Giới tính của bí thư (không ghi: ghi ví dụ để sửa sau).")
@click.option("--nam-sinh", type=Range(1900, 2100), metavar="NĂM", help="Năm sinh của bí thư (như trên).")
@click.option("--ngay-vao-dang", type=_DateParam(), metavar="NGÀY", help="Ngày vào Đảng của bí thư (như trên).")
@_report_errors
def init(
    workspace: Path,
    dang_bo: str | None,
    cap_tren: str | None,
    dia_danh: str | None,
    chi_bo: str | None,
    ten: str | None,
    loai: str | None,
    bi_thu: str | None,
    nam: int | None,
    gioi_tinh: str | None,
    nam_sinh: int | None,
    ngay_vao_dang: date | None,
) -> None:
    """Tạo dữ liệu cho một chi bộ mới: chi-bo.yaml, dang-vien.yaml và kế hoạch, phân công
    của năm, mỗi mục có lời giải thích và giá trị ví dụ, kiểm tra được ngay.

    Nếu thư mục dữ liệu chưa có dang-bo.yaml thì tạo luôn (hỏi tên đảng bộ, cấp trên,
    địa danh); nếu có rồi thì thêm chi bộ vào danh sách chi_bo, giữ nguyên lời giải
    thích. Chạy trong cửa sổ lệnh thì docgen hỏi những gì chưa ghi ở tùy chọn; chạy
    trong tập lệnh (không có người trả lời) thì phải ghi đủ tùy chọn.

    \b
    Ví dụ:
      docgen init -w du-lieu
      docgen init -w du-lieu --dang-bo "Đảng bộ phường Ngọc Hà" --cap-tren "Đảng bộ thành phố Hà Nội" \\
          --dia-danh "Ngọc Hà" --ten "Chi bộ Tổ dân phố số 7" --loai dia_ban_dan_cu \\
          --bi-thu "Nguyễn Văn An" --nam 2026
    """
    from docgen.errors import UsageError, display_path
    from docgen.scaffold import CellAnswers, WardAnswers, init_cell, party_name, slug
    from docgen.workspace import WARD_FILE

    ask = _interactive()
    new_ward = not (workspace / WARD_FILE).is_file()
    missing: list[str] = []

    def answer(value: Any, option: str, question: str) -> Any:
        if value is not None:
            return value
        if ask:
            return _ask(question, _TextParam())
        missing.append(option)
        return None

    ward = None
    if new_ward:
        if ask:
            click.echo(f"Thư mục {display_path(workspace)} chưa có {WARD_FILE}: tạo mới đảng bộ.")
        dang_bo = answer(dang_bo, "--dang-bo", "Tên đảng bộ phường (ví dụ: Đảng bộ phường Ngọc Hà)")
        cap_tren = answer(cap_tren, "--cap-tren", "Tổ chức đảng cấp trên trực tiếp (ví dụ: Đảng bộ thành phố Hà Nội)")
        dia_danh = answer(dia_danh, "--dia-danh", "Địa danh ở dòng ngày tháng (ví dụ: Ngọc Hà)")
    ten = answer(ten, "--ten", "Tên chi bộ (ví dụ: Chi bộ Tổ dân phố số 5)")
    if chi_bo is None and ten:
        guess = slug(re.sub(r"(?i)^chi bộ\s+", "", ten.strip()))
        chi_bo = _ask("Mã chi bộ (tên thư mục, chữ thường không dấu)", _TextParam(), guess) if ask else guess
    if loai is None:
        if ask:
            loai = _ask_type()
        else:
            missing.append("--loai")
    bi_thu = answer(bi_thu, "--bi-thu", "Họ và tên đồng chí bí thư chi bộ")
    if nam is None:
        this_year = date.today().year
        nam = _ask("Năm của kế hoạch đầu tiên", Range(2000, 2100), this_year) if ask else this_year
    if ask and gioi_tinh is None and nam_sinh is None and ngay_vao_dang is None:
        click.echo("Thông tin của đồng chí bí thư (Enter để bỏ qua; sửa sau trong dang-vien.yaml hoặc nhập từ Excel):")
        gioi_tinh = _ask("  Giới tính (Nam/Nữ)", _SexParam(), optional=True)
        nam_sinh = _ask("  Năm sinh", Range(1900, 2100), optional=True)
        ngay_vao_dang = _ask("  Ngày vào Đảng (ví dụ 19/05/1990)", _DateParam(), optional=True)
    if missing:
        raise UsageError(
            f"thiếu {', '.join(missing)}; ghi đủ các tùy chọn này, hoặc chạy docgen init trong cửa sổ "
            "lệnh để docgen hỏi"
        )
    if ngay_vao_dang is not None and ngay_vao_dang > date.today():
        raise UsageError(f"--ngay-vao-dang: ngày {ngay_vao_dang:%d/%m/%Y} chưa đến; ghi ngày vào Đảng đã qua")
    assert ten is not None and chi_bo is not None and loai is not None and bi_thu is not None
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", chi_bo):
        raise UsageError(
            f"mã chi bộ '{chi_bo}' không hợp lệ: chỉ dùng chữ thường không dấu, số, '-' hoặc '_'"
        )
    if new_ward:
        assert dang_bo is not None and cap_tren is not None and dia_danh is not None
        ward = WardAnswers(
            party_name(dang_bo, "Đảng bộ"), party_name(cap_tren, "Đảng bộ"), dia_danh.strip()
        )
    cell = CellAnswers(
        cell_id=chi_bo, name=party_name(ten, "Chi bộ"), kind=loai, secretary=bi_thu.strip(), year=nam,
        sex=gioi_tinh, birth_year=nam_sinh, admitted=ngay_vao_dang,
    )
    written = init_cell(workspace, ward, cell)
    click.echo(f"Đã tạo {len(written)} tệp:")
    for path in written:
        click.echo(f"  {display_path(path)}")
    shown = display_path(workspace)
    if cell.placeholders:
        click.echo(
            f"Còn ghi ví dụ ({', '.join(cell.placeholders)} của đồng chí bí thư): sửa trong dang-vien.yaml, "
            "hoặc nhập danh sách đảng viên từ Excel."
        )
    click.echo("Bước tiếp theo:")
    click.echo("  docgen roster template -o danh-sach.xlsx    (tệp Excel mẫu, nếu chưa có danh sách)")
    click.echo(f"  docgen roster import danh-sach.xlsx --chi-bo {chi_bo} -w {shown}")
    click.echo(f"  docgen check -w {shown}")
    click.echo(f"  docgen render ke-hoach phan-cong --chi-bo {chi_bo} --nam {nam} -w {shown} --draft")
    click.echo("  (--draft: bản dự thảo, chưa lấy số; sửa xong nội dung thì chạy lại không có --draft "
               "để ban hành)")


@cli.command(short_help="Kiểm tra thể thức văn bản của Đảng trong tệp .docx.")
@click.argument("files", nargs=-1, required=True, metavar="TỆP...", type=click.Path(path_type=Path))
@_report_errors
def audit(files: tuple[Path, ...]) -> None:
    """Kiểm tra thể thức văn bản của Đảng trong tệp .docx, do docgen tạo hay gõ tay.

    Đối chiếu với tệp thể thức (docgen/resources/the-thuc.yaml): khổ giấy, lề, phông
    chữ, tiêu đề hai cột và kiểu chữ từng dòng, số và ký hiệu (Số 05-KH/CB), dòng
    địa danh ngày tháng, tên loại và trích yếu, chữ ký, nơi nhận, số trang. Mỗi chỗ
    sai một dòng: tệp, vị trí (đoạn hoặc ô bảng), sai gì và thể thức quy định thế nào.
    Mã thoát 1 nếu có chỗ sai. TỆP có thể là thư mục: kiểm tra mọi tệp .docx trong đó.

    \b
    Ví dụ:
      docgen audit output/ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx
      docgen audit van-ban-go-tay.docx output/
    """
    from docgen.audit import UNREADABLE, Deviation, audit_file
    from docgen.errors import UsageError, display_path, os_reason
    from docgen.resources import profile

    paths: list[Path] = []
    for item in files:
        if item.is_dir():
            paths += sorted(p for p in item.rglob("*.docx") if not p.name.startswith("~$"))
        elif item.is_file():
            paths.append(item)
        else:
            raise UsageError(f"không tìm thấy tệp {item}")
    if not paths:
        raise UsageError("không có tệp .docx nào để kiểm tra")
    rules = profile()
    total = bad_files = unreadable = 0
    for path in paths:
        shown = display_path(path)
        try:
            found = audit_file(path, rules)
        except OSError as exc:
            found = [Deviation(UNREADABLE, "", "", f"không đọc được tệp ({os_reason(exc)})")]
        if not found:
            click.echo(f"{shown}: đúng thể thức.")
            continue
        if found[0].rule == UNREADABLE:
            unreadable += 1
        else:
            bad_files += 1
            total += len(found)
        for deviation in found:
            click.echo(f"{shown}: {deviation.format()}")
    if total or unreadable:
        parts = [f"Có {total} chỗ sai thể thức trong {bad_files}/{len(paths)} tệp"] if total else []
        parts += [f"{unreadable}/{len(paths)} tệp không đọc được"] if unreadable else []
        click.echo("; ".join(parts) + ".")
        raise SystemExit(1)
    click.echo(f"{len(paths)} tệp đúng thể thức.")


@cli.group(cls=VGroup)
def templates() -> None:
    """Mẫu Word: xem mẫu đang dùng, chép mẫu ra để sửa, kiểm tra mẫu đã sửa.

    Văn phòng Đảng ủy có thể sửa mẫu bằng Word: chép mẫu có sẵn ra một thư mục
    (export), sửa lời văn, bố cục, kiểm tra (check), rồi ghi thư mục đó vào
    dang-bo.yaml (cai_dat: thu_muc_mau) hoặc dùng docgen render --templates.
    Hướng dẫn: HUONG-DAN-MAU.md trong thư mục đã chép, hoặc docs/templates.md.

    \b
    Ví dụ:
      docgen templates export data/mau
      docgen templates check data/mau
      docgen templates list
    """


def _templates_dir_argument(func: F) -> F:
    return click.argument(
        "folder",
        required=False,
        metavar="[THƯ_MỤC_MẪU]",
        type=click.Path(path_type=Path, file_okay=False),
    )(func)


def _chosen_templates_dir(ctx: click.Context, folder: Path | None, workspace: Path) -> Path | None:
    """The template folder a command works on: the argument, else the workspace's setting.

    Without ``-w`` and without a ``data`` folder here, there is no setting: built-ins only.
    """
    from docgen.workspace import load_workspace

    if folder is not None:
        return _existing_dir(folder)
    explicit = ctx.get_parameter_source("workspace") is not click.core.ParameterSource.DEFAULT
    if not explicit and not workspace.is_dir():
        return None
    return load_workspace(workspace).templates_dir


@templates.command("list", short_help="Mẫu mỗi loại văn bản đang dùng, kèm mã sha256.")
@_templates_dir_argument
@_workspace_option
@click.pass_context
@_report_errors
def templates_list(ctx: click.Context, folder: Path | None, workspace: Path) -> None:
    """Liệt kê mẫu mỗi loại văn bản đang dùng: tệp nào, mẫu riêng hay có sẵn, mã sha256.

    Mẫu lấy từ THƯ_MỤC_MẪU nếu có ghi, không thì từ cai_dat.thu_muc_mau trong
    dang-bo.yaml. Mã sha256 cũng được ghi vào thuộc tính của mỗi văn bản tạo ra.

    \b
    Ví dụ:
      docgen templates list
      docgen templates list data/mau
    """
    import hashlib

    from docgen.contract import CONTRACTS
    from docgen.errors import display_path
    from docgen.templates import locate_template

    chosen = _chosen_templates_dir(ctx, folder, workspace)
    if chosen is None:
        click.echo("Không có thư mục mẫu riêng: dùng mẫu có sẵn.")
    else:
        click.echo(f"Thư mục mẫu riêng: {display_path(chosen)}")
    for contract in CONTRACTS.values():
        path = locate_template(contract.file, chosen)
        own = chosen is not None and path.parent == chosen
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        click.echo(f"{contract.kind}: {contract.file}")
        click.echo(f"  tệp: {display_path(path)} ({'mẫu riêng' if own else 'có sẵn'})")
        click.echo(f"  sha256: {digest}")


@templates.command("export", short_help="Chép mẫu có sẵn và hướng dẫn ra thư mục để sửa.")
@click.argument("folder", metavar="THƯ_MỤC", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có trong THƯ_MỤC.")
@_report_errors
def templates_export(folder: Path, force: bool) -> None:
    """Chép các mẫu có sẵn và hướng dẫn sửa mẫu (HUONG-DAN-MAU.md) vào THƯ_MỤC.

    Không ghi đè tệp đã có, trừ khi thêm --force.

    \b
    Ví dụ:
      docgen templates export data/mau
      docgen templates export data/mau --force
    """
    from docgen.contract import CONTRACTS
    from docgen.errors import OutputError, display_path
    from docgen.guide import GUIDE_FILE, guide_markdown
    from docgen.output import write_atomic
    from docgen.templates import BUILTIN_DIR

    files = {name: (BUILTIN_DIR / name).read_bytes() for name in CONTRACTS}
    files[GUIDE_FILE] = guide_markdown().encode("utf-8")
    existing = [name for name in files if (folder / name).exists()]
    if existing and not force:
        raise OutputError(
            display_path(folder),
            f"đã có tệp {', '.join(existing)}; thêm --force để ghi đè",
        )
    for name, data in files.items():
        write_atomic(folder / name, data)
    click.echo(f"Đã chép {len(CONTRACTS)} mẫu và {GUIDE_FILE} vào {display_path(folder)}:")
    for name in files:
        click.echo(f"  {display_path(folder / name)}")
    click.echo(f"Sửa mẫu bằng Word, rồi kiểm tra: docgen templates check {display_path(folder)}")


@templates.command("check", short_help="Kiểm tra mẫu, báo mọi lỗi kèm đoạn, ô bảng, thẻ.")
@_templates_dir_argument
@_workspace_option
@click.pass_context
@_report_errors
def templates_check(ctx: click.Context, folder: Path | None, workspace: Path) -> None:
    """Kiểm tra mẫu Word: báo mọi lỗi một lượt, chỉ rõ đoạn hoặc ô bảng và thẻ.

    Kiểm tra mẫu trong THƯ_MỤC_MẪU (không ghi thì thư mục cai_dat.thu_muc_mau
    trong dang-bo.yaml, hoặc các mẫu có sẵn): cú pháp thẻ, cặp thẻ {%p %} và
    {%tr %}, biến không có trong danh sách biến của mẫu, biến bắt buộc bị bỏ, thẻ
    Word tách hỏng; thể thức (lề, phông, kiểu chữ tiêu đề) lệch thì cảnh báo.
    Mã thoát 1 nếu có lỗi: docgen render cũng từ chối mẫu đó.

    \b
    Ví dụ:
      docgen templates check data/mau
      docgen templates check
    """
    from docgen.contract import CONTRACTS
    from docgen.errors import display_path
    from docgen.lint import check_template
    from docgen.templates import BUILTIN_DIR
    from docgen.validation import did_you_mean

    chosen = _chosen_templates_dir(ctx, folder, workspace)
    source = chosen if chosen is not None else BUILTIN_DIR
    click.echo(f"Kiểm tra mẫu trong {display_path(source)}")
    errors = warnings = checked = 0
    for path in sorted(source.glob("*.docx")):
        shown = display_path(path)
        if path.name.startswith("~$"):
            continue  # Word's lock file while the document is open
        if path.name not in CONTRACTS:
            hint = did_you_mean(path.name, CONTRACTS)
            click.echo(
                f"Cảnh báo: {shown}: không phải mẫu của loại văn bản nào nên docgen không dùng"
                + (f" ({hint})" if hint else f"; tên mẫu: {', '.join(CONTRACTS)}")
            )
            warnings += 1
            continue
        checked += 1
        findings = check_template(path, shown)
        for finding in findings:
            label = "Lỗi" if finding.is_error else "Cảnh báo"
            click.echo(f"{label}: {finding.format()}")
        n_err = sum(f.is_error for f in findings)
        errors += n_err
        warnings += len(findings) - n_err
    missing = [name for name in CONTRACTS if not (source / name).is_file()]
    if chosen is not None and missing:
        click.echo(f"Dùng mẫu có sẵn cho: {', '.join(missing)}")
    click.echo(f"Đã kiểm tra {checked} mẫu: {errors} lỗi, {warnings} cảnh báo.")
    if errors:
        raise SystemExit(1)


@cli.group(cls=VGroup, short_help="Danh sách đảng viên bằng Excel: nhập, xuất, tệp mẫu.")
def roster() -> None:
    """Danh sách đảng viên bằng Excel: nhập từ tệp .xlsx đang có, xuất ra .xlsx.

    Cột được nhận theo tên tiếng Việt (Họ và tên, Giới tính, Năm sinh, Ngày vào Đảng,
    Ngày chính thức, Chức vụ, Ghi chú...), dòng tiêu đề có thể nằm dưới vài dòng tên
    bảng. Tệp mẫu có sẵn tên cột: docgen roster template -o danh-sach.xlsx.

    \b
    Ví dụ:
      docgen roster import danh-sach.xlsx --chi-bo to-dan-pho-5
      docgen roster export --chi-bo to-dan-pho-5 -o danh-sach.xlsx
      docgen roster export --chi-bo to-dan-pho-5 --quy 3 --nam 2026 -o ket-qua-quy-3.xlsx
    """


def _xlsx_output(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        "target",
        type=_ExportFile(".xlsx"),
        required=True,
        metavar="TỆP.xlsx",
        help="Tệp Excel ghi ra.",
    )(func)


@roster.command("import", short_help="Nhập danh sách đảng viên từ tệp Excel vào dang-vien.yaml.")
@click.argument("xlsx", metavar="TỆP.xlsx", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--chi-bo", "chi_bo", metavar="MÃ", required=True, help="Chi bộ nhận danh sách.")
@click.option(
    "--bo-qua-dong-loi",
    "skip_bad",
    is_flag=True,
    help="Bỏ qua những dòng không đọc được (vẫn in ra) và nhập các dòng còn lại.",
)
@_workspace_option
@_report_errors
def roster_import(xlsx: Path, chi_bo: str, skip_bad: bool, workspace: Path) -> None:
    """Nhập danh sách đảng viên từ TỆP.xlsx vào dang-vien.yaml của chi bộ.

    Đảng viên đã có (cùng họ tên, hoặc cùng mã ở cột «Mã») giữ mã cũ và những gì bảng
    tính không có (miễn sinh hoạt, ghi chú); người mới được đặt mã dv01, dv02...
    Có ngày chính thức là đảng viên chính thức, không có là dự bị (trừ khi có cột
    «Loại đảng viên»). Ô nào không đọc được thì báo dòng, cột và không ghi gì; thêm
    --bo-qua-dong-loi để nhập các dòng còn lại. Sau khi nhập, chi bộ được kiểm tra như
    docgen check; có lỗi (ví dụ bí thư không còn trong danh sách) thì không ghi gì.

    \b
    Ví dụ:
      docgen roster import danh-sach.xlsx --chi-bo to-dan-pho-5
      docgen roster import danh-sach.xlsx --chi-bo to-dan-pho-5 --bo-qua-dong-loi
    """
    from docgen.errors import UsageError, display_path
    from docgen.roster import import_roster

    if not xlsx.is_file():
        raise UsageError(f"không tìm thấy tệp {xlsx}")
    result = import_roster(workspace, chi_bo, xlsx, skip_bad_rows=skip_bad)
    sheet, merged = result.sheet, result.merged
    for problem in result.skipped:
        click.echo(f"Bỏ qua: {problem.format()}", err=True)
    click.echo(
        f"Đã nhập {len(merged.members)} đảng viên từ {display_path(xlsx)} (trang tính '{sheet.sheet}', "
        f"dòng tiêu đề {sheet.header_row}) vào {display_path(result.path)}."
    )
    click.echo(f"  giữ mã cũ: {len(merged.kept)}; thêm mới: {len(merged.added)}")
    if merged.removed:
        click.echo(f"  không còn trong danh sách: {', '.join(merged.removed)}")
    if sheet.ignored:
        click.echo(f"  cột không dùng: {', '.join(sheet.ignored)}")
    for path in result.tasks:
        click.echo(
            f"  {display_path(path)} (tệp ví dụ của docgen init): mỗi đảng viên có một nhiệm vụ thường "
            "xuyên chung; sửa cho từng người rồi xóa dòng đầu «TỆP VÍ DỤ»"
        )
    for warning in result.warnings:
        click.echo(f"Cảnh báo: {warning}", err=True)


@roster.command("export", short_help="Xuất danh sách đảng viên (và kết quả một quý) ra tệp Excel.")
@click.option("--chi-bo", "chi_bo", metavar="MÃ", required=True, help="Chi bộ.")
@click.option("--quy", type=Range(1, 4), metavar="QUÝ", help="Thêm trang kết quả đánh giá, xếp loại của quý này.")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm của quý. Mặc định: năm nay.")
@_xlsx_output
@_force_option
@_workspace_option
@_report_errors
def roster_export(
    chi_bo: str, quy: int | None, nam: int | None, target: Path, force: bool, workspace: Path
) -> None:
    """Xuất danh sách đảng viên của chi bộ ra tệp Excel (nhập lại được bằng roster import).

    Với --quy: thêm trang kết quả quý (điểm, mức tự nhận, mức chi bộ đánh giá theo quy
    định, ghi chú), cùng cách tính với báo cáo quý.

    \b
    Ví dụ:
      docgen roster export --chi-bo to-dan-pho-5 -o danh-sach.xlsx
      docgen roster export --chi-bo to-dan-pho-5 --quy 3 --nam 2026 -o ket-qua-quy-3.xlsx
    """
    from docgen.errors import display_path
    from docgen.output import write_atomic
    from docgen.workspace import load_workspace
    from docgen.xlsx import export_workbook

    _may_write([target], force)
    ws = load_workspace(workspace)
    ws.require_cell(chi_bo)
    cell = ws.load_cell(chi_bo)
    data = export_workbook(ws, cell, nam or date.today().year, quy)
    write_atomic(target, data)
    extra = f" và kết quả quý {quy}" if quy else ""
    click.echo(f"Đã ghi danh sách {len(cell.members)} đảng viên{extra} vào {display_path(target)}.")


@roster.command("template", short_help="Ghi tệp Excel mẫu (đúng tên cột) để điền danh sách.")
@_xlsx_output
@_force_option
@_report_errors
def roster_template(target: Path, force: bool) -> None:
    """Ghi tệp Excel mẫu danh sách đảng viên, có sẵn tên cột docgen đọc được.

    \b
    Ví dụ:
      docgen roster template -o danh-sach.xlsx
    """
    from docgen.errors import display_path
    from docgen.output import write_atomic
    from docgen.xlsx import template_workbook

    _may_write([target], force)
    write_atomic(target, template_workbook())
    click.echo(f"Đã ghi tệp mẫu {display_path(target)}: điền mỗi đảng viên một dòng từ dòng 4.")


render.help = (render.help or "") + f"\n\n    LOẠI là một trong: {_KIND_HELP}."

# click's own usage messages, in the user's language (click 8.1 to 8.4 wordings).
_CLICK_MESSAGES: list[tuple[str, str]] = [
    (r"No such option: (\S+)", "không có tùy chọn {0}"),
    (r"No such option '(.+?)'\.", "không có tùy chọn {0}"),
    (r"No such command '(.+?)'\.", "không có lệnh '{0}'"),
    (r"Missing argument '(.+?)'\.", "thiếu tham số {0}"),
    (r"Missing option '(.+?)'\.", "thiếu tùy chọn {0}"),
    (r"Option '(.+?)' requires an argument\.", "tùy chọn {0} cần một giá trị"),
    (r"Option '(.+?)' does not take a value\.", "tùy chọn {0} không nhận giá trị"),
    (r"Got unexpected extra arguments? \((.+)\)", "thừa tham số ({0})"),
    (
        r"Invalid value for '(.+?)': '(.+)' is not one of (.+)\.",
        "giá trị '{1}' không hợp lệ cho {0}; chọn một trong: {2}",
    ),
    (
        r"Invalid value for '(.+?)': '(.+)' is not '(.+)'\.",
        "giá trị '{1}' không hợp lệ cho {0}; chỉ được là: '{2}'",
    ),
    (
        r"Invalid value for '(.+?)': '(.+)' is not a valid integer(?: range)?\.",
        "{0}: '{1}' không phải số nguyên",
    ),
    (
        r"Invalid value for '(.+?)': (.+) is not in the range (.+)\.",
        "{0}: {1} nằm ngoài khoảng cho phép ({2})",
    ),
    (r"(?:Directory|File|Path) '(.+)' is a file\.", "'{0}' là một tệp, không phải thư mục"),
    (r"(?:Directory|File|Path) '(.+)' is a directory\.", "'{0}' là một thư mục, không phải tệp"),
    (r"(?:Directory|File|Path) '(.+)' does not exist\.", "không có '{0}'"),
    (r"(?:Directory|File|Path) '(.+)' is not readable\.", "không đọc được '{0}'"),
    (r"(?:Directory|File|Path) '(.+)' is not writable\.", "không ghi được vào '{0}'"),
    (r"Invalid value for '(.+?)': (.+)", "{0}: {1}"),
    (r"^'(.+)' is not a valid integer(?: range)?\.$", "'{0}' không phải số nguyên"),
    (r"^(\S+) is not in the range (.+)\.$", "{0} nằm ngoài khoảng cho phép ({1})"),
    (r"\s*Did you mean (.+)\?", " (có phải ý là {0}?)"),
]


def _translate_usage(message: str) -> str:
    # "'-w' / '--workspace'" (click 8.2+) reads "-w/--workspace"; a choice list on
    # tab-indented lines ("Choose from:\n\ta,\n\tb") goes on one line.
    message = re.sub(r"'(-[^'\s]*)' / '(--[^'\s]*)'", r"'\1/\2'", message)
    message = re.sub(
        r"\s*Choose from:\s*(.+)",
        lambda m: "; chọn một trong: " + ", ".join(x.strip() for x in m.group(1).split(",")),
        message,
        flags=re.S,
    )
    for pattern, vietnamese in _CLICK_MESSAGES:
        message = re.sub(pattern, lambda m, v=vietnamese: v.format(*m.groups()), message)
    return message


def _blank_argument(argv: list[str]) -> str | None:
    """Say which argument is blank (``--chi-bo ""``): a blank value would otherwise mean
    "every cell" or "this folder" without a word."""
    for i, arg in enumerate(argv):
        if not arg.strip():
            before = argv[i - 1] if i else ""
            return f"giá trị của {before} để trống" if before.startswith("-") else "có tham số để trống"
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``docgen`` command."""
    blank = _blank_argument(sys.argv[1:] if argv is None else argv)
    if blank is not None:
        click.echo(f"Lỗi: {blank}; bỏ hẳn tùy chọn đó hoặc ghi giá trị", err=True)
        sys.exit(2)
    try:
        code = cli.main(args=argv, prog_name="docgen", standalone_mode=False)
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
        click.echo(f"Lỗi: {_translate_usage(exc.format_message())}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        # CPython quirk: a Ctrl-C that went through code run by exec() of a string (a
        # dataclass being defined while a module is imported) leaves a flag that makes
        # "python -m docgen" kill itself with SIGINT after exiting; any string run through
        # exec() clears it, so the exit status is 1 wherever the Ctrl-C landed.
        exec("pass")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
