"""The commands that read a workspace and make or show its documents: check, render,
batch, progress, register."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from docgen.cli._common import (
    DateParam,
    ExportFile,
    echo_notes,
    echo_table,
    echo_warnings,
    existing_dir,
    force_option,
    issue_options,
    issue_text,
    may_write,
    output_option,
    report_errors,
    shortened,
    templates_option,
    workspace_option,
)
from docgen.cli._i18n import Quarter, Range, VCommand
from docgen.documents import KIND_NAMES

if TYPE_CHECKING:
    from collections.abc import Callable

    from docgen.batch import BatchResult
    from docgen.progress import ProgressReport

__all__ = ["batch", "check", "progress", "register", "render"]


@click.command(cls=VCommand)
@workspace_option
@report_errors
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

    report = check_workspace(load_workspace(workspace))
    click.echo(
        f"Dữ liệu hợp lệ: {report.cells} chi bộ, {report.members} đảng viên; "
        f"đủ dữ liệu cho {len(report.documents)} văn bản."
    )
    # what rendering would warn about, said now (once each)
    echo_warnings(list(dict.fromkeys([*report.warnings, *(w for item in report.prepared for w in item.warnings)])))


_KIND_HELP = "; ".join(f"{name}: {text}" for name, text in KIND_NAMES.items())


@click.command(cls=VCommand)
@click.argument("kinds", metavar="LOẠI...", nargs=-1, required=True, type=click.Choice(list(KIND_NAMES)))
@click.option("--chi-bo", "chi_bo", metavar="MÃ", help="Chỉ tạo cho một chi bộ. Mặc định: mọi chi bộ.")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm của văn bản. Mặc định: năm nay.")
@click.option("--quy", type=Quarter(), metavar="QUÝ", help="Quý, với văn bản theo quý.")
@workspace_option
@output_option
@templates_option
@issue_options
@report_errors
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
    from docgen.pipeline import render_documents
    from docgen.workspace import load_workspace

    existing_dir(templates_dir)
    result = render_documents(
        load_workspace(workspace),
        list(kinds),
        year=nam or date.today().year,
        quarter=quy,
        cells=[chi_bo] if chi_bo else None,
        output_root=output,
        templates_dir=templates_dir,
        draft=draft,
        reissue=reissue,
    )
    echo_warnings(result.warnings)
    click.echo(f"Đã tạo {len(result.written)} văn bản:")
    for path in result.written:
        click.echo(f"  {display_path(path)}{issue_text(result.issued.get(path))}")
    echo_notes(result.notes)


render.help = (render.help or "") + f"\n\n    LOẠI là một trong: {_KIND_HELP}."


@click.command(cls=VCommand)
@click.option("--chi-bo", "chi_bo", metavar="MÃ", help="Chỉ xem một chi bộ. Mặc định: mọi chi bộ.")
@click.option("--ngay", type=DateParam(), metavar="NGÀY", help="Tính đến ngày này. Mặc định: hôm nay.")
@click.option(
    "--so-ngay",
    type=Range(0, 366),
    default=14,
    metavar="N",
    help="Nhiệm vụ đến hạn trong N ngày tới cũng được liệt kê. Mặc định: 14.",
)
@workspace_option
@report_errors
def progress(chi_bo: str | None, ngay: date | None, so_ngay: int, workspace: Path) -> None:
    """Liệt kê nhiệm vụ đã quá hạn hoặc sắp đến hạn của đảng viên.

    Tính từ các tệp phân công nhiệm vụ (phan-cong*.yaml) của năm chứa NGÀY; cùng
    cách tính với báo cáo quý.

    \b
    Ví dụ:
      docgen progress --chi-bo to-dan-pho-5 --ngay 30/09/2026
      docgen progress --so-ngay 30
    """
    from docgen.progress import task_progress_report
    from docgen.workspace import load_workspace

    report = task_progress_report(
        load_workspace(workspace), as_of=ngay or date.today(), within_days=so_ngay, cell_id=chi_bo
    )
    _echo_progress(report)


def _echo_progress(report: ProgressReport) -> None:
    from docgen.documents.wording import deadline_text, progress_state
    from docgen.errors import display_path
    from docgen.formatting import short_date

    click.echo(
        f"Nhiệm vụ quá hạn hoặc đến hạn trong {report.within_days} ngày, tính đến ngày "
        f"{short_date(report.as_of)}."
    )
    for cell in report.cells:
        click.echo("")
        if cell.rows is None:
            click.echo(
                f"{cell.name}: chưa có tệp phân công nhiệm vụ năm {report.as_of.year} "
                f"({display_path(cell.assignment_files)})."
            )
        elif not cell.rows:
            click.echo(f"{cell.name}: không có nhiệm vụ quá hạn hay sắp đến hạn.")
        else:
            click.echo(f"{cell.name}:")
            table = [("STT", "Đảng viên", "Nhiệm vụ", "Thời hạn", "Tình trạng")]
            for i, row in enumerate(cell.rows, start=1):
                table.append(
                    (str(i), row.name, shortened(row.task, 48), deadline_text(row.deadline),
                     progress_state(row.status))
                )
            echo_table(table)
    click.echo("")
    click.echo(f"Tổng cộng: {report.overdue} nhiệm vụ quá hạn, {report.due_soon} nhiệm vụ sắp đến hạn.")


@click.command(cls=VCommand, short_help="Làm văn bản cả kỳ của mọi chi bộ và báo cáo tổng hợp của phường.")
@click.option("--quy", type=Quarter(), metavar="QUÝ", help="Quý cần làm báo cáo. Bỏ trống: văn bản năm.")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm. Mặc định: năm nay.")
@workspace_option
@output_option
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
@click.option(
    "--full",
    is_flag=True,
    help="Làm lại mọi chi bộ, kể cả chi bộ không đổi gì từ lần chạy trước (mặc định bỏ qua chúng).",
)
@templates_option
@issue_options
@report_errors
def batch(
    quy: int | None,
    nam: int | None,
    workspace: Path,
    output: Path,
    jobs: int | None,
    bundle: bool,
    pdf: bool,
    full: bool,
    templates_dir: Path | None,
    draft: bool,
    reissue: bool,
) -> None:
    """Làm cùng lúc văn bản của mọi chi bộ trong một kỳ, rồi báo cáo tổng hợp của phường.

    Với --quy: báo cáo quý của từng chi bộ và báo cáo tổng hợp quý. Không có --quy:
    báo cáo kiểm điểm năm của từng chi bộ và báo cáo tổng hợp năm. Chi bộ nào có lỗi
    dữ liệu thì không ghi tệp nào của chi bộ đó, các chi bộ khác vẫn làm xong. Danh
    mục văn bản (manifest .json và .csv) ghi cùng thư mục với báo cáo tổng hợp. Chạy
    lại: chi bộ nào không đổi gì (dữ liệu, mẫu, sổ đăng ký) và văn bản vẫn nguyên thì
    không làm lại.

    \b
    Ví dụ:
      docgen batch --quy 3 --nam 2026
      docgen batch --quy 3 --nam 2026 --bundle --pdf
      docgen batch --nam 2026 -j 4 -o ket-qua
    """
    from docgen.batch import run_batch

    with _progress_bar() as bar:
        result = run_batch(
            workspace, year=nam or date.today().year, quarter=quy, output_root=output, jobs=jobs,
            templates_dir=templates_dir, progress=bar, draft=draft, reissue=reissue, bundle=bundle,
            pdf=pdf, incremental=not full,
        )
    _echo_batch(result, output)
    if result.bundle_error is not None:
        raise result.bundle_error
    if (result.pdf is not None and result.pdf.failed) or result.failed:
        raise SystemExit(1)


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal, sized by run_batch's first report."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: list[Any] = []  # click's ProgressBar, made at the first report

    def advance(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="Đang làm văn bản", file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    try:
        yield advance
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def _echo_batch(result: BatchResult, output: Path) -> None:
    from docgen.errors import display_path

    echo_warnings(result.warnings)
    ok = [r for r in result.records if r.status == "ok"]
    click.echo(f"Đã tạo {len(ok)} văn bản, {len(result.failed)} văn bản lỗi:")
    for r in result.records:
        if r.status == "ok":
            issue = (r.number or "", r.issue_state) if r.issue_state else None  # a draft has no number
            click.echo(f"  xong  {r.kind:<13} {display_path(output / str(r.output))}{issue_text(issue)}")
        else:
            click.echo(f"  LỖI   {r.kind:<13} {r.cell or result.ward}")
            for line in r.errors:
                click.echo(f"        {line}")
    if result.manifest is not None:
        click.echo(f"Danh mục: {display_path(result.manifest)} (và .csv)")
    if result.unchanged:
        click.echo(
            f"{result.unchanged} chi bộ không đổi gì từ lần chạy trước (dữ liệu, mẫu, sổ đăng ký): giữ "
            "nguyên văn bản đã làm, không làm lại. Muốn làm lại tất cả thì thêm --full."
        )
    echo_notes(result.notes)
    if result.bundle is not None:
        click.echo(f"Tệp gộp để in: {display_path(result.bundle)}")
    if result.pdf is not None:
        converted = result.pdf
        failed = f"; {len(converted.failed)} tệp không chuyển được" if converted.failed else ""
        click.echo(f"Đã chuyển {len(converted.written)}/{len(result.pdf_sources)} tệp sang PDF{failed}.")
        for path, reason in converted.failed.items():
            click.echo(f"Lỗi: {display_path(path)}: không chuyển được sang PDF ({reason})", err=True)


@click.command(cls=VCommand, short_help="Xem và xuất sổ đăng ký văn bản đi (số đã cấp).")
@workspace_option
@click.option("--csv", "csv_file", type=ExportFile(".csv"), metavar="TỆP.csv",
              help="Xuất sổ ra tệp .csv (mở bằng Excel).")
@click.option("--xlsx", "xlsx_file", type=ExportFile(".xlsx"), metavar="TỆP.xlsx",
              help="Xuất sổ ra tệp Excel .xlsx.")
@force_option
@report_errors
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
    from docgen.formatting import short_date
    from docgen.register import export_register, read_register
    from docgen.workspace import load_workspace

    may_write([csv_file, xlsx_file], force)
    ws = load_workspace(workspace)
    entries = read_register(ws)
    if not entries:
        click.echo("Sổ đăng ký chưa có văn bản nào.")
    else:
        click.echo(f"Sổ đăng ký văn bản đi ({len(entries)} văn bản):")
        rows = [("Cơ quan", "Số, ký hiệu", "Ngày", "Trích yếu", "Lần cấp")]
        for e in entries:
            count = str(e.lan_cap) if e.sha256 else f"{e.lan_cap} (chưa có tệp)"
            rows.append((e.ten_co_quan, e.ky_hieu, short_date(e.issued_on), shortened(e.trich_yeu, 60), count))
        echo_table(rows)
        held = sum(1 for e in entries if not e.sha256)
        if held:
            click.echo(
                f"{held} số đã giữ nhưng chưa có tệp (một lần chạy bị dừng đột ngột): chạy lại lệnh làm văn "
                "bản đó, số giữ sẵn sẽ được dùng"
            )
    for target in ({"csv": csv_file}, {"xlsx": xlsx_file}):  # one by one, each told when written
        for path in export_register(ws, **target):
            click.echo(f"Đã xuất: {display_path(path)}")
