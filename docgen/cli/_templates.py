"""The commands about Word files: ``docgen templates`` (list, export, check) and
``docgen audit``."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli._common import F, existing_dir, report_errors, workspace_option
from docgen.cli._i18n import VCommand, VGroup

__all__ = ["audit", "templates"]


@click.command(cls=VCommand, short_help="Kiểm tra thể thức văn bản của Đảng trong tệp .docx.")
@click.argument("files", nargs=-1, required=True, metavar="TỆP...", type=click.Path(path_type=Path))
@report_errors
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
    from docgen.audit import audit_documents
    from docgen.errors import display_path

    report = audit_documents(files)
    for audited in report.files:
        shown = display_path(audited.path)
        if not audited.deviations:
            click.echo(f"{shown}: đúng thể thức.")
        for deviation in audited.deviations:
            click.echo(f"{shown}: {deviation.format()}")
    if not report.ok:
        count = len(report.files)
        parts = [f"Có {report.deviations} chỗ sai thể thức trong {report.bad_files}/{count} tệp"] if report.deviations else []
        parts += [f"{report.unreadable}/{count} tệp không đọc được"] if report.unreadable else []
        click.echo("; ".join(parts) + ".")
        raise SystemExit(1)
    click.echo(f"{len(report.files)} tệp đúng thể thức.")


@click.group(cls=VGroup)
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


def templates_dir_argument(func: F) -> F:
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
        return existing_dir(folder)
    explicit = ctx.get_parameter_source("workspace") is not click.core.ParameterSource.DEFAULT
    if not explicit and not workspace.is_dir():
        return None
    return load_workspace(workspace).templates_dir


@templates.command("list", short_help="Mẫu mỗi loại văn bản đang dùng, kèm mã sha256.")
@templates_dir_argument
@workspace_option
@click.pass_context
@report_errors
def templates_list(ctx: click.Context, folder: Path | None, workspace: Path) -> None:
    """Liệt kê mẫu mỗi loại văn bản đang dùng: tệp nào, mẫu riêng hay có sẵn, mã sha256.

    Mẫu lấy từ THƯ_MỤC_MẪU nếu có ghi, không thì từ cai_dat.thu_muc_mau trong
    dang-bo.yaml. Mã sha256 cũng được ghi vào thuộc tính của mỗi văn bản tạo ra.

    \b
    Ví dụ:
      docgen templates list
      docgen templates list data/mau
    """
    from docgen.errors import display_path
    from docgen.templates import list_templates

    chosen = _chosen_templates_dir(ctx, folder, workspace)
    if chosen is None:
        click.echo("Không có thư mục mẫu riêng: dùng mẫu có sẵn.")
    else:
        click.echo(f"Thư mục mẫu riêng: {display_path(chosen)}")
    for info in list_templates(chosen):
        click.echo(f"{info.kind}: {info.file}")
        click.echo(f"  tệp: {display_path(info.path)} ({'mẫu riêng' if info.own else 'có sẵn'})")
        click.echo(f"  sha256: {info.sha256}")


@templates.command("export", short_help="Chép mẫu có sẵn và hướng dẫn ra thư mục để sửa.")
@click.argument("folder", metavar="THƯ_MỤC", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có trong THƯ_MỤC.")
@report_errors
def templates_export(folder: Path, force: bool) -> None:
    """Chép các mẫu có sẵn và hướng dẫn sửa mẫu (HUONG-DAN-MAU.md) vào THƯ_MỤC.

    Không ghi đè tệp đã có, trừ khi thêm --force.

    \b
    Ví dụ:
      docgen templates export data/mau
      docgen templates export data/mau --force
    """
    from docgen.errors import display_path
    from docgen.guide import GUIDE_FILE
    from docgen.templates import export_templates

    written = export_templates(folder, force=force)
    click.echo(f"Đã chép {len(written) - 1} mẫu và {GUIDE_FILE} vào {display_path(folder)}:")
    for path in written:
        click.echo(f"  {display_path(path)}")
    click.echo(f"Sửa mẫu bằng Word, rồi kiểm tra: docgen templates check {display_path(folder)}")


@templates.command("check", short_help="Kiểm tra mẫu, báo mọi lỗi kèm đoạn, ô bảng, thẻ.")
@templates_dir_argument
@workspace_option
@click.pass_context
@report_errors
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
    from docgen.errors import display_path
    from docgen.templates import check_templates

    report = check_templates(_chosen_templates_dir(ctx, folder, workspace))
    click.echo(f"Kiểm tra mẫu trong {display_path(report.source)}")
    for checked in report.files:
        if checked.stray:
            hint = checked.hint
            click.echo(
                f"Cảnh báo: {checked.shown}: không phải mẫu của loại văn bản nào nên docgen không dùng"
                + (f" ({hint})" if hint else f"; tên mẫu: {', '.join(report.names)}")
            )
        for finding in checked.findings:
            label = "Lỗi" if finding.is_error else "Cảnh báo"
            click.echo(f"{label}: {finding.format()}")
    if report.missing:
        click.echo(f"Dùng mẫu có sẵn cho: {', '.join(report.missing)}")
    click.echo(f"Đã kiểm tra {report.checked} mẫu: {report.errors} lỗi, {report.warnings} cảnh báo.")
    if report.errors:
        raise SystemExit(1)
