"""``docgen new``: a period's input file for one cell, made for it and ready to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli._common import force_option, report_errors, workspace_option
from docgen.cli._i18n import Range, VCommand
from docgen.newfiles import NEW_FILE_NAMES

__all__ = ["new"]


@click.command(cls=VCommand)
@click.argument("name", metavar="TỆP", type=click.Choice(list(NEW_FILE_NAMES)))
@click.option("--chi-bo", "chi_bo", required=True, metavar="MÃ", help="Mã chi bộ (tên thư mục trong chi-bo/).")
@click.option("--nam", required=True, type=Range(2000, 2100), metavar="NĂM", help="Năm của tệp.")
@click.option("--quy", type=Range(1, 4), metavar="QUÝ", help="Quý, với tệp quy.")
@workspace_option
@force_option
@report_errors
def new(name: str, chi_bo: str, nam: int, quy: int | None, workspace: Path, force: bool) -> None:
    """Tạo tệp dữ liệu TỆP của một kỳ cho chi bộ, điền sẵn để sửa tiếp.

    TỆP: quy (quy-N.yaml, cần --quy), nam (nam.yaml), phan-cong (phan-cong.yaml),
    ke-hoach (ke-hoach.yaml), trong thư mục chi-bo/<mã>/<năm>/.

    Tệp có sẵn danh sách đảng viên của chi bộ (người miễn sinh hoạt được ghi chú), những
    gì lặp lại từ kỳ trước (ngày họp thường kỳ, nhiệm vụ thường xuyên, kế hoạch năm
    trước) và người ký là bí thư; mỗi trường có lời giải thích. Các trường ghi «CẦN GHI»
    là việc phải tự điền: docgen check chỉ ra từng trường còn thiếu. Tệp đã có thì không
    ghi đè, trừ khi thêm --force.

    \b
    Ví dụ:
      docgen new quy --chi-bo to-dan-pho-5 --nam 2026 --quy 4
      docgen new nam --chi-bo to-dan-pho-5 --nam 2026
    """
    from docgen.errors import display_path
    from docgen.newfiles import new_period_file
    from docgen.workspace import load_workspace

    path = new_period_file(load_workspace(workspace), name, chi_bo, nam, quy, force=force)
    click.echo(f"Đã tạo {display_path(path)}. Điền các trường ghi «CẦN GHI» rồi chạy: docgen check")
