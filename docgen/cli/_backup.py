"""``docgen backup`` and ``docgen restore``: a consistent snapshot of the workspace, taken
while ``docgen serve`` keeps writing, and that snapshot put back into a new folder
(docgen.backup)."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli._common import ExportFile, force_option, may_write, report_errors, workspace_option
from docgen.cli._i18n import VCommand

__all__ = ["backup", "restore", "size_words"]


def size_words(count: int) -> str:
    """A size as a secretary reads it: «850 byte», «12,5 KB», «3,2 MB» (decimal comma)."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f}".replace(".", ",") + f" {unit}"
    return f"{count} byte"


@click.command(cls=VCommand)
@workspace_option
@click.option("-o", "--output", "target", required=True, type=ExportFile(".zip"), metavar="TỆP.zip",
              help="Tệp sao lưu sẽ ghi (đuôi .zip), ở ngoài thư mục dữ liệu.")  # fmt: skip
@force_option
@report_errors
def backup(workspace: Path, target: Path, force: bool) -> None:
    """Sao lưu cả thư mục dữ liệu vào một tệp .zip, kể cả khi ứng dụng đang chạy.

    Tệp sao lưu có mọi tệp dữ liệu YAML, sổ đăng ký văn bản, tài khoản và lịch sử các
    lần lưu, chụp cùng một lúc (không lẫn một lần lưu đang dở), cùng danh sách mã kiểm
    tra của từng tệp (sao-luu.json). Nên chép tệp sao lưu sang ổ đĩa khác hoặc máy khác.

    \b
    Ví dụ:
      docgen backup -o /mnt/usb/sao-luu-2026-09-30.zip
      docgen backup -w du-lieu -o ../sao-luu.zip --force
    """
    from docgen import backup_workspace
    from docgen.errors import display_path

    may_write([target], force)
    result = backup_workspace(workspace, target)
    click.echo(
        f"Đã sao lưu {result.files} tệp ({size_words(result.bytes)}) vào {display_path(result.path)} "
        f"({size_words(result.archive_bytes)})."
    )


@click.command(cls=VCommand)
@click.argument("archive", metavar="TỆP.zip", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("target", metavar="THƯ_MỤC", type=click.Path(path_type=Path, file_okay=False))
@report_errors
def restore(archive: Path, target: Path) -> None:
    """Khôi phục tệp sao lưu TỆP.zip (của docgen backup) vào THƯ_MỤC mới hoặc trống.

    Mọi tệp được đối chiếu mã kiểm tra với sao-luu.json: tệp sao lưu hỏng hay đã bị sửa
    thì không khôi phục gì. Không ghi đè thư mục đã có dữ liệu: khôi phục vào thư mục
    mới, xem lại (docgen check -w THƯ_MỤC), rồi mới dùng thay thư mục cũ.

    \b
    Ví dụ:
      docgen restore /mnt/usb/sao-luu-2026-09-30.zip du-lieu-khoi-phuc
      docgen check -w du-lieu-khoi-phuc
    """
    from docgen import restore_backup
    from docgen.errors import display_path

    result = restore_backup(archive, target)
    click.echo(
        f"Đã khôi phục {result.files} tệp ({size_words(result.bytes)}) vào {display_path(result.path)}; "
        f"bản sao lưu lúc {result.taken_at or 'không rõ'}, docgen {result.docgen_version or 'không rõ'}."
    )
    click.echo(f"Kiểm tra dữ liệu: docgen check -w {display_path(result.path)}")
