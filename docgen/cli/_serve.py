"""``docgen serve``: the local web application (docgen.web)."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli._common import output_option, report_errors, workspace_option
from docgen.cli._i18n import VCommand

__all__ = ["serve"]


@click.command(cls=VCommand)
@workspace_option
@output_option
@click.option("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ", show_default=True,
              help="Địa chỉ phục vụ; ngoài chế độ phường chỉ được là máy này (127.0.0.1, localhost).")  # fmt: skip
@click.option("--phuong", "ward", is_flag=True,
              help="Chế độ phường: mỗi người đăng nhập bằng tài khoản (docgen users), "
                   "có thể mở cho các máy trong mạng của phường.")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, metavar="CỔNG",
              help="Cổng phục vụ (0: một cổng còn trống).")  # fmt: skip
@click.option("--khong-mo-trinh-duyet", "no_browser", is_flag=True, help="Không tự mở trình duyệt.")
@report_errors
def serve(workspace: Path, output: Path, host: str, port: int, no_browser: bool, ward: bool) -> None:
    """Mở ứng dụng web trên máy này: nhập dữ liệu chi bộ bằng biểu mẫu, làm văn bản.

    Trình duyệt tự mở trang của ứng dụng; dữ liệu vẫn là các tệp YAML trong thư mục
    dữ liệu, nên các lệnh khác vẫn dùng được như cũ. Bấm Ctrl-C để dừng.

    \b
    Ví dụ:
      docgen serve
      docgen serve -w du-lieu --port 8800
      docgen serve --phuong --host 0.0.0.0 --khong-mo-trinh-duyet
    """
    from docgen.web.server import serve as run

    def started(url: str) -> None:
        click.echo(f"docgen đang phục vụ tại {url}")
        click.echo("Mở địa chỉ đó trong trình duyệt. Bấm Ctrl-C để dừng.")

    run(
        workspace, output_root=output, host=host, port=port, open_browser=not no_browser,
        started=started, ward=ward,
    )  # fmt: skip
