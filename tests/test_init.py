"""docgen init: from an empty folder to a cell that checks and renders; adding a cell to an
existing ward keeps its comments; without a terminal it never waits for an answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.audit import audit_file
from docgen.cli import _setup as cli_module
from docgen.cli import cli
from docgen.scaffold import WardAnswers, add_cell_to_ward, slug
from docgen.yamlsource import load_source

WARD = ["--dang-bo", "Đảng bộ phường An Phú", "--cap-tren", "Đảng bộ thành phố Hà Nội", "--dia-danh", "An Phú"]
CELL = ["--ten", "Chi bộ Khu phố 3", "--loai", "dia_ban_dan_cu", "--bi-thu", "Nguyễn Văn An", "--nam", "2026"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_in_an_empty_folder_then_check_and_render(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(cli, ["init", "-w", "du-lieu", *WARD, *CELL])
    assert result.exit_code == 0, result.output
    assert "Đã tạo 5 tệp:" in result.stdout
    assert "docgen roster import danh-sach.xlsx --chi-bo khu-pho-3 -w du-lieu" in result.stdout
    files = sorted(str(p.relative_to(here / "du-lieu")) for p in (here / "du-lieu").rglob("*.yaml"))
    assert files == [
        "chi-bo/khu-pho-3/2026/ke-hoach.yaml",
        "chi-bo/khu-pho-3/2026/phan-cong.yaml",
        "chi-bo/khu-pho-3/chi-bo.yaml",
        "chi-bo/khu-pho-3/dang-vien.yaml",
        "dang-bo.yaml",
    ]
    check = runner.invoke(cli, ["check", "-w", "du-lieu"])
    assert check.exit_code == 0, check.output
    assert check.stdout == "Dữ liệu hợp lệ: 1 chi bộ, 1 đảng viên; đủ dữ liệu cho 2 văn bản.\n"
    render = runner.invoke(cli, ["render", "ke-hoach", "phan-cong", "--nam", "2026", "-w", "du-lieu", "-o", "ra"])
    assert render.exit_code == 0, render.output
    for path in (here / "ra").rglob("*.docx"):
        assert [d.format() for d in audit_file(path)] == [], path
    ward = (here / "du-lieu/dang-bo.yaml").read_text(encoding="utf-8")
    assert "ten_dang_uy: Đảng ủy phường An Phú" in ward
    assert "cap_uy_cap_tren: Thành ủy Hà Nội" in ward
    assert "  ma: an-phu " in ward


def test_every_field_of_the_new_files_is_explained(runner: CliRunner, here: Path) -> None:
    assert runner.invoke(cli, ["init", "-w", "d", *WARD, *CELL]).exit_code == 0
    roster = (here / "d/chi-bo/khu-pho-3/dang-vien.yaml").read_text(encoding="utf-8")
    # the secretary's facts not given are marked as examples to correct
    assert roster.count("# VÍ DỤ: sửa cho đúng") == 3
    for rel in ("chi-bo.yaml", "dang-vien.yaml", "2026/ke-hoach.yaml", "2026/phan-cong.yaml"):
        text = (here / "d/chi-bo/khu-pho-3" / rel).read_text(encoding="utf-8")
        assert text.startswith("# "), rel
        assert sum(line.lstrip().startswith("#") or " # " in line for line in text.splitlines()) >= 4, rel


def test_secretary_details_from_options(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(
        cli,
        ["init", "-w", "d", *WARD, *CELL, "--gioi-tinh", "nu", "--nam-sinh", "1962", "--ngay-vao-dang", "03/02/1990"],
    )
    assert result.exit_code == 0, result.output
    roster = (here / "d/chi-bo/khu-pho-3/dang-vien.yaml").read_text(encoding="utf-8")
    assert "VÍ DỤ" not in roster.split("dang_vien:")[1].split("# chuc_vu")[0]
    assert "gioi_tinh: nu" in roster and "nam_sinh: 1962" in roster and "ngay_vao_dang: 1990-02-03" in roster
    assert "Còn ghi ví dụ" not in result.stdout


def test_without_a_terminal_missing_answers_are_a_usage_error(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(cli, ["init", "-w", "d", "--ten", "Chi bộ Khu phố 3"], input="")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: thiếu --dang-bo, --cap-tren, --dia-danh, --loai, --bi-thu; ghi đủ các tùy chọn này, "
        "hoặc chạy docgen init trong cửa sổ lệnh để docgen hỏi"
    )
    assert not (here / "d").exists()


def test_at_a_terminal_it_asks(runner: CliRunner, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    answers = "\n".join(
        [
            "Đảng bộ phường Ngọc Hà",
            "Đảng bộ thành phố Hà Nội",
            "Ngọc Hà",
            "Chi bộ Tổ dân phố số 7",
            "",  # id: accept the suggestion
            "2",  # truong_hoc
            "Trần Thị Lan",
            "2027",
            "nu",
            "1970",
            "",  # joining date skipped
        ]
    )
    result = runner.invoke(cli, ["init", "-w", "d"], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "Mã chi bộ (tên thư mục, chữ thường không dấu) [to-dan-pho-so-7]" in result.stdout
    cell = (here / "d/chi-bo/to-dan-pho-so-7/chi-bo.yaml").read_text(encoding="utf-8")
    assert "loai_chi_bo: truong_hoc" in cell
    assert (here / "d/chi-bo/to-dan-pho-so-7/2027/ke-hoach.yaml").is_file()
    assert "Còn ghi ví dụ (ngày vào Đảng, ngày chính thức của đồng chí bí thư)" in result.stdout


def test_a_wrong_answer_is_asked_again(runner: CliRunner, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo at a prompt is said in Vietnamese and asked again, never kept as an example."""
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    answers = "\n".join(
        [
            "Đảng bộ phường Ngọc Hà",
            "Đảng bộ thành phố Hà Nội",
            "Ngọc Hà",
            "   ",  # a blank name: asked again
            "Chi bộ Tổ dân phố số 7",
            "",
            "1",
            "Trần Thị Lan",
            "26",  # not a year of a plan
            "2026",
            "Nữ",  # with its diacritic
            "1970",
            "31/02/1995",  # no such day
            "28/02/1995",
            "",  # official date: not remembered
        ]
    )
    result = runner.invoke(cli, ["init", "-w", "d"], input=answers + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Cần trả lời câu này." in out
    assert "Chưa đúng: 26 nằm ngoài khoảng cho phép (2000 đến 2100). Gõ lại." in out
    assert "Chưa đúng: ngày '31/02/1995' không tồn tại (tháng 2 năm 1995 không có ngày 31). Gõ lại." in out
    assert "Error" not in out
    roster = (here / "d/chi-bo/to-dan-pho-so-7/dang-vien.yaml").read_text(encoding="utf-8")
    assert "gioi_tinh: nu" in roster
    assert "ngay_vao_dang: 1995-02-28" in roster
    assert (here / "d/chi-bo/to-dan-pho-so-7/2026/ke-hoach.yaml").is_file()


@pytest.mark.parametrize("option", ["--ten", "--bi-thu", "--dang-bo"])
def test_a_blank_name_option_is_refused(runner: CliRunner, here: Path, option: str) -> None:
    args = dict(zip(WARD[::2], WARD[1::2], strict=True)) | dict(zip(CELL[::2], CELL[1::2], strict=True))
    args[option] = "  "
    result = runner.invoke(cli, ["init", "-w", "d", *[x for kv in args.items() for x in kv]], input="")
    assert result.exit_code == 2
    assert "không được để trống" in result.stderr
    assert not (here / "d").exists()


def test_a_joining_date_to_come_is_refused(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(cli, ["init", "-w", "d", *WARD, *CELL, "--ngay-vao-dang", "01/01/2090"], input="")
    assert result.exit_code == 2
    assert result.stderr == "Lỗi: --ngay-vao-dang: ngày 01/01/2090 chưa đến; ghi ngày vào Đảng đã qua\n"
    assert not (here / "d").exists()


def test_sex_option_reads_vietnamese(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(cli, ["init", "-w", "d", *WARD, *CELL, "--gioi-tinh", "Nữ"], input="")
    assert result.exit_code == 0, result.output
    roster = next((here / "d/chi-bo").glob("*/dang-vien.yaml")).read_text(encoding="utf-8")
    assert "gioi_tinh: nu" in roster


def test_adding_a_cell_keeps_the_ward_file_and_its_comments(
    runner: CliRunner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sample_ws.parent)
    before = (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["init", "-w", "data", "--chi-bo", "khu-pho-9", *CELL])
    assert result.exit_code == 0, result.output
    after = (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8")
    assert after == before.replace("    - cong-an-phuong\n", "    - cong-an-phuong\n    - khu-pho-9\n")
    check = runner.invoke(cli, ["check", "-w", "data"])
    assert check.exit_code == 0, check.output
    assert check.stdout.startswith("Dữ liệu hợp lệ: 5 chi bộ, 72 đảng viên;")
    again = runner.invoke(cli, ["init", "-w", "data", "--chi-bo", "khu-pho-9", *CELL])
    assert again.exit_code == 2
    assert "Lỗi: chi bộ 'khu-pho-9' đã có trong data/dang-bo.yaml" in again.stderr
    assert (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8") == after


def test_flow_list_of_cells(tmp_path: Path) -> None:
    path = tmp_path / "dang-bo.yaml"
    path.write_text("dang_bo:\n  chi_bo: [a, b]   # hai chi bộ\n", encoding="utf-8")
    source = load_source(path)
    assert add_cell_to_ward(path.read_text(encoding="utf-8"), source.marks, ["a", "b"], "c") == (
        "dang_bo:\n  chi_bo: [a, b, c]   # hai chi bộ\n"
    )


def test_bad_cell_id_is_refused(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(cli, ["init", "-w", "d", *WARD, *CELL, "--chi-bo", "Khu Phố 3"])
    assert result.exit_code == 2
    assert "mã chi bộ 'Khu Phố 3' không hợp lệ" in result.stderr
    assert not (here / "d").exists()


def test_names_to_ids_and_committee_names() -> None:
    assert slug("Tổ dân phố số 7") == "to-dan-pho-so-7"
    assert slug("Đội Cấn") == "doi-can"
    ward = WardAnswers("Đảng bộ phường Ngọc Hà", "Đảng bộ tỉnh Lâm Đồng", "Ngọc Hà")
    assert (ward.ward_id, ward.committee_name, ward.superior_committee) == ("ngoc-ha", "Đảng ủy phường Ngọc Hà", "Tỉnh ủy Lâm Đồng")


def test_short_names_get_their_party_prefix(runner: CliRunner, here: Path) -> None:
    ward = ["--dang-bo", "Phường An Phú", "--cap-tren", "thành phố Hà Nội", "--dia-danh", "An Phú"]
    cell = ["--ten", "Khu phố 3", "--loai", "dia_ban_dan_cu", "--bi-thu", "Nguyễn Văn An", "--nam", "2026"]
    result = runner.invoke(cli, ["init", "-w", "d", *ward, *cell])
    assert result.exit_code == 0, result.output
    text = (here / "d/dang-bo.yaml").read_text(encoding="utf-8")
    assert "  ten: Đảng bộ phường An Phú " in text
    assert "  cap_tren: Đảng bộ thành phố Hà Nội " in text
    assert "ten_dang_uy: Đảng ủy phường An Phú" in text
    assert "ten: Chi bộ Khu phố 3" in (here / "d/chi-bo/khu-pho-3/chi-bo.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("typed", "prefix", "name"),
    [
        ("Phường Ngọc Hà", "Đảng bộ", "Đảng bộ phường Ngọc Hà"),
        ("Đảng bộ phường Ngọc Hà", "Đảng bộ", "Đảng bộ phường Ngọc Hà"),
        ("đảng bộ  Xã Tân Lập", "Đảng bộ", "Đảng bộ Xã Tân Lập"),
        ("Tổ dân phố số 7", "Chi bộ", "Chi bộ Tổ dân phố số 7"),
        ("chi bộ Công an phường", "Chi bộ", "Chi bộ Công an phường"),
    ],
)
def test_party_name(typed: str, prefix: str, name: str) -> None:
    from docgen.scaffold import party_name

    assert party_name(typed, prefix) == name


def test_a_failed_write_leaves_the_workspace_as_it_was(
    runner: CliRunner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    monkeypatch.chdir(sample_ws.parent)
    before = (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8")
    real, calls = os.replace, []

    def full_disk(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:  # the ward file is in place, the cell's first file is not
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    result = runner.invoke(cli, ["init", "-w", "data", "--chi-bo", "khu-pho-9", *CELL])
    assert result.exit_code == 1
    assert "(ổ đĩa đã đầy)" in result.stderr
    assert (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8") == before
    assert not (sample_ws / "chi-bo/khu-pho-9").exists()


def _two_member_sheet(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào Đảng", "Ngày chính thức"])
    wb.active.append(["Nguyễn Văn An", "Nam", 1960, "19/05/1990", "19/05/1991"])
    wb.active.append(["Lê Văn Bình", "Nam", 1975, "01/01/2000", "01/01/2001"])
    wb.save(path)


def test_a_broken_example_file_stops_the_import_with_a_located_message(runner: CliRunner, here: Path) -> None:
    """The example assignment file is the secretary's to edit: an unclosed quote in it is a
    located Vietnamese error of roster import (through docgen's YAML reader), not a
    traceback, and nothing is written."""
    assert runner.invoke(cli, ["init", "-w", "d", *WARD, *CELL]).exit_code == 0
    tasks = here / "d/chi-bo/khu-pho-3/2026/phan-cong.yaml"
    text = tasks.read_text(encoding="utf-8")
    assert "\n  hinh_thuc: thong_bao\n" in text
    tasks.write_text(text.replace("\n  hinh_thuc: thong_bao\n", '\n  hinh_thuc: "thong_bao\n'), encoding="utf-8")
    before = {p: p.read_bytes() for p in sorted((here / "d").rglob("*")) if p.is_file()}
    _two_member_sheet(here / "ds.xlsx")
    result = runner.invoke(cli, ["roster", "import", "ds.xlsx", "--chi-bo", "khu-pho-3", "-w", "d"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # an error reported, not a crash
    assert "Traceback" not in result.output and "Error" not in result.output
    assert result.stderr.splitlines() == [
        "Lỗi: d/chi-bo/khu-pho-3/2026/phan-cong.yaml:11:14: lỗi cú pháp YAML: dấu ngoặc kép hoặc ngoặc "
        "đơn mở ở đây chưa được đóng (đóng chuỗi bằng đúng dấu đã mở nó)",
        "Có 1 lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào.",
    ]
    assert {p: p.read_bytes() for p in sorted((here / "d").rglob("*")) if p.is_file()} == before


def test_the_example_read_back_is_written_as_init_wrote_it(runner: CliRunner, here: Path) -> None:
    """Read through docgen's loader (dates stay text there), the example written again for
    the same roster is init's text, byte for byte: dates bare, booleans true/false."""
    from docgen.scaffold import refreshed_example

    assert runner.invoke(cli, ["init", "-w", "d", *WARD, *CELL]).exit_code == 0
    tasks = here / "d/chi-bo/khu-pho-3/2026/phan-cong.yaml"
    members = load_source(here / "d/chi-bo/khu-pho-3/dang-vien.yaml").data["dang_vien"]
    assert refreshed_example(tasks, 2026, members, "dia_ban_dan_cu") == tasks.read_text(encoding="utf-8")
    # the secretary's own file (first line gone) is never rewritten
    tasks.write_text(tasks.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    assert refreshed_example(tasks, 2026, members, "dia_ban_dan_cu") is None
