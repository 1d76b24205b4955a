"""``docgen init``: a new cell (and ward), from options or from questions at the terminal."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from docgen.cli._common import DateParam, SexParam, TextParam, report_errors, workspace_option
from docgen.cli._i18n import Range, VCommand, translate_usage

__all__ = ["init"]


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
            click.echo(f"Chưa đúng: {translate_usage(exc.message)}. Gõ lại.")


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


@click.command(cls=VCommand, short_help="Tạo thư mục dữ liệu cho một chi bộ mới (hỏi vài câu).")
@workspace_option
@click.option("--dang-bo", "dang_bo", type=TextParam(), metavar="TÊN", help="Tên đảng bộ: \"Đảng bộ phường Ngọc Hà\" (khi thư mục chưa có dang-bo.yaml).")
@click.option("--cap-tren", type=TextParam(), metavar="TÊN", help="Tổ chức đảng cấp trên: \"Đảng bộ thành phố Hà Nội\" (như trên).")
@click.option("--dia-danh", type=TextParam(), metavar="TÊN", help="Địa danh ở dòng ngày tháng: \"Ngọc Hà\" (như trên).")
@click.option("--chi-bo", "chi_bo", metavar="MÃ", help="Mã chi bộ, cũng là tên thư mục. Mặc định: viết từ --ten.")
@click.option("--ten", type=TextParam(), metavar="TÊN", help="Tên chi bộ: \"Chi bộ Tổ dân phố số 5\".")
@click.option("--loai", type=click.Choice(_CELL_TYPES), help="Loại chi bộ.")
@click.option("--bi-thu", "bi_thu", type=TextParam(), metavar="HỌ_TÊN", help="Họ và tên bí thư chi bộ (đảng viên đầu tiên trong danh sách).")
@click.option("--nam", type=Range(2000, 2100), metavar="NĂM", help="Năm của kế hoạch đầu tiên. Mặc định: năm nay.")
@click.option("--gioi-tinh", type=SexParam(), metavar="NAM|NỮ", help="Giới tính của bí thư (không ghi: ghi ví dụ để sửa sau).")
@click.option("--nam-sinh", type=Range(1900, 2100), metavar="NĂM", help="Năm sinh của bí thư (như trên).")
@click.option("--ngay-vao-dang", type=DateParam(), metavar="NGÀY", help="Ngày vào Đảng của bí thư (như trên).")
@click.option(
    "--ngay-chinh-thuc", type=DateParam(), metavar="NGÀY",
    help="Ngày bí thư được công nhận đảng viên chính thức (không ghi: để trống trong dang-vien.yaml, kèm lời dặn).",
)
@report_errors
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
    ngay_chinh_thuc: date | None,
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
    from docgen.scaffold import init_cell

    answers = _Answers(workspace, locals())  # the options, by parameter name
    ward, cell = answers.gather()
    written = init_cell(workspace, ward, cell)
    _echo_next_steps(workspace, written, cell)


class _Answers:
    """The options given, and the questions asked for those missing (at a terminal), or
    the list of those missing (in a script)."""

    def __init__(self, workspace: Path, options: dict[str, Any]) -> None:
        from docgen.workspace import WARD_FILE

        self.workspace = workspace
        self.o = dict(options)
        self.ask = _interactive()
        self.new_ward = not (workspace / WARD_FILE).is_file()
        self.missing: list[str] = []

    def text(self, key: str, option: str, question: str) -> None:
        if self.o[key] is not None:
            return
        if self.ask:
            self.o[key] = _ask(question, TextParam())
        else:
            self.missing.append(option)

    def gather(self) -> tuple[Any, Any]:
        """(ward answers or None, cell answers)

        Raises:
            UsageError: options are missing and nobody is at the terminal to ask.
        """
        from docgen.errors import UsageError, display_path
        from docgen.scaffold import CellAnswers, WardAnswers, party_name
        from docgen.workspace import WARD_FILE

        o = self.o
        if self.new_ward:
            if self.ask:
                click.echo(f"Thư mục {display_path(self.workspace)} chưa có {WARD_FILE}: tạo mới đảng bộ.")
            self.text("dang_bo", "--dang-bo", "Tên đảng bộ phường (ví dụ: Đảng bộ phường Ngọc Hà)")
            self.text("cap_tren", "--cap-tren", "Tổ chức đảng cấp trên trực tiếp (ví dụ: Đảng bộ thành phố Hà Nội)")
            self.text("dia_danh", "--dia-danh", "Địa danh ở dòng ngày tháng (ví dụ: Ngọc Hà)")
        self.text("ten", "--ten", "Tên chi bộ (ví dụ: Chi bộ Tổ dân phố số 5)")
        self.cell_id_and_type()
        self.text("bi_thu", "--bi-thu", "Họ và tên đồng chí bí thư chi bộ")
        self.year_and_secretary()
        if self.missing:
            raise UsageError(
                f"thiếu {', '.join(self.missing)}; ghi đủ các tùy chọn này, hoặc chạy docgen init trong cửa sổ "
                "lệnh để docgen hỏi"
            )
        ward = None
        if self.new_ward:
            ward = WardAnswers(
                party_name(o["dang_bo"], "Đảng bộ"), party_name(o["cap_tren"], "Đảng bộ"), o["dia_danh"].strip()
            )
        cell = CellAnswers(
            cell_id=o["chi_bo"], name=party_name(o["ten"], "Chi bộ"), kind=o["loai"], secretary=o["bi_thu"].strip(),
            year=o["nam"], sex=o["gioi_tinh"], birth_year=o["nam_sinh"], admitted=o["ngay_vao_dang"],
            official=o["ngay_chinh_thuc"],
        )
        return ward, cell

    def cell_id_and_type(self) -> None:
        from docgen.scaffold import slug

        o = self.o
        if o["chi_bo"] is None and o["ten"]:
            guess = slug(re.sub(r"(?i)^chi bộ\s+", "", o["ten"].strip()))
            ask = self.ask
            o["chi_bo"] = _ask("Mã chi bộ (tên thư mục, chữ thường không dấu)", TextParam(), guess) if ask else guess
        if o["loai"] is None:
            if self.ask:
                o["loai"] = _ask_type()
            else:
                self.missing.append("--loai")

    def year_and_secretary(self) -> None:
        o = self.o
        if o["nam"] is None:
            this_year = date.today().year
            o["nam"] = _ask("Năm của kế hoạch đầu tiên", Range(2000, 2100), this_year) if self.ask else this_year
        if self.ask and o["gioi_tinh"] is None and o["nam_sinh"] is None and o["ngay_vao_dang"] is None:
            click.echo("Thông tin của đồng chí bí thư (Enter để bỏ qua; sửa sau trong dang-vien.yaml hoặc nhập từ Excel):")
            o["gioi_tinh"] = _ask("  Giới tính (Nam/Nữ)", SexParam(), optional=True)
            o["nam_sinh"] = _ask("  Năm sinh", Range(1900, 2100), optional=True)
            o["ngay_vao_dang"] = _ask("  Ngày vào Đảng (ví dụ 19/05/1990)", DateParam(), optional=True)
        if self.ask and o["ngay_vao_dang"] is not None and o["ngay_chinh_thuc"] is None:
            o["ngay_chinh_thuc"] = _ask(
                "  Ngày được công nhận chính thức (Enter nếu chưa nhớ: ghi sau trong dang-vien.yaml)",
                DateParam(), optional=True,
            )


def _echo_next_steps(workspace: Path, written: list[Path], cell: Any) -> None:
    from docgen.errors import display_path

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
    click.echo(f"  docgen roster import danh-sach.xlsx --chi-bo {cell.cell_id} -w {shown}")
    click.echo(f"  docgen check -w {shown}")
    click.echo(f"  docgen render ke-hoach phan-cong --chi-bo {cell.cell_id} --nam {cell.year} -w {shown} --draft")
    click.echo("  (--draft: bản dự thảo, chưa lấy số; sửa xong nội dung thì chạy lại không có --draft "
               "để ban hành)")
