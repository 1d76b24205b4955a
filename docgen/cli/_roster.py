"""``docgen roster``: the roster as Excel (import, export, the template workbook)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from docgen.cli._common import (
    ExportFile,
    F,
    echo_warnings,
    force_option,
    may_write,
    report_errors,
    workspace_option,
)
from docgen.cli._i18n import Quarter, Range, VGroup

__all__ = ["roster"]


@click.group(cls=VGroup, short_help="Danh sách đảng viên bằng Excel: nhập, xuất, tệp mẫu.")
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


def xlsx_output(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        "target",
        type=ExportFile(".xlsx"),
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
@workspace_option
@report_errors
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
    echo_warnings(result.warnings)


@roster.command("export", short_help="Xuất danh sách đảng viên (và kết quả một quý) ra tệp Excel.")
@click.option("--chi-bo", "chi_bo", metavar="MÃ", required=True, help="Chi bộ.")
@click.option("--quy", type=Quarter(), metavar="QUÝ", help="Thêm trang kết quả đánh giá, xếp loại của quý này.")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm của quý. Mặc định: năm nay.")
@xlsx_output
@force_option
@workspace_option
@report_errors
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
    from docgen.roster import export_roster

    may_write([target], force)
    count = export_roster(workspace, chi_bo, target=target, year=nam or date.today().year, quarter=quy)
    extra = f" và kết quả quý {quy}" if quy else ""
    click.echo(f"Đã ghi danh sách {count} đảng viên{extra} vào {display_path(target)}.")


@roster.command("template", short_help="Ghi tệp Excel mẫu (đúng tên cột) để điền danh sách.")
@xlsx_output
@force_option
@report_errors
def roster_template(target: Path, force: bool) -> None:
    """Ghi tệp Excel mẫu danh sách đảng viên, có sẵn tên cột docgen đọc được.

    \b
    Ví dụ:
      docgen roster template -o danh-sach.xlsx
    """
    from docgen.errors import display_path
    from docgen.roster import write_roster_template

    may_write([target], force)
    write_roster_template(target)
    click.echo(f"Đã ghi tệp mẫu {display_path(target)}: điền mỗi đảng viên một dòng từ dòng 4.")
