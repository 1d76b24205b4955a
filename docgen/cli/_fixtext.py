"""``docgen fix-text``: text pasted from a TCVN3 or VNI document converted to Unicode."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli._common import report_errors, workspace_option
from docgen.cli._i18n import VCommand

__all__ = ["fix_text"]


@click.command("fix-text", cls=VCommand)
@click.argument("files", metavar="TỆP...", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@workspace_option
@report_errors
def fix_text(files: tuple[Path, ...], workspace: Path) -> None:
    """Chuyển sang Unicode chữ dán từ tài liệu dùng bảng mã cũ TCVN3 (.VnTime) hoặc VNI.

    Sửa ngay trong tệp YAML những giá trị mà docgen check cảnh báo, giữ nguyên chú
    thích và cách trình bày. Trước khi sửa, bản gốc được lưu bên cạnh (quy-3.yaml.bak;
    nếu tên đó đã có thì quy-3.yaml.bak2...). Không nêu TỆP thì xét mọi tệp .yaml trong
    thư mục dữ liệu. Có lỗi thì không sửa tệp nào.

    \b
    Ví dụ:
      docgen fix-text
      docgen fix-text data/chi-bo/to-dan-pho-5/2026/quy-3.yaml
    """
    from docgen.errors import display_path
    from docgen.fixtext import fix_text as run

    result = run(workspace, files)
    if not result.fixes:
        click.echo("Không có chữ nào theo bảng mã cũ TCVN3 hoặc VNI; không thay đổi tệp nào.")
        return
    for fix in result.fixes:
        click.echo(f"{fix.file}:{fix.line}:{fix.col}: {fix.field}: {fix.encoding} → «{fix.after}»")
    click.echo(f"Đã chuyển {len(result.fixes)} giá trị trong {len(result.files)} tệp sang Unicode; bản gốc lưu ở:")
    for backup in result.backups:
        click.echo(f"  {display_path(backup)}")
