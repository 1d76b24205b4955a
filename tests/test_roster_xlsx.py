"""Excel roster: a messy sheet as secretaries keep them, located cell errors, ids kept,
the export imported back gives the same roster, LibreOffice opens the export."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from docgen.cli import cli
from docgen.errors import CellError
from docgen.models.org import DanhSachFile
from docgen.workspace import load_model
from docgen.xlsx import EXPORT_HEADERS, match_header, parse_cell_date
from tests.conftest import REPO, convert_to_pdf, needs_calc, needs_libreoffice, pdf_text

TDP = "data/chi-bo/to-dan-pho-5"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def messy_workbook(path: Path, *, bad: bool = True) -> Path:
    """A roster as found in a cell: title rows, a two-row merged header, a numbering row,
    blank rows, dates as text and as Excel dates, extra columns, a totals row."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Danh sách"
    sheet["A1"] = "ĐẢNG BỘ PHƯỜNG NGỌC HÀ"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "DANH SÁCH ĐẢNG VIÊN CHI BỘ TỔ DÂN PHỐ SỐ 7"
    sheet.merge_cells("A2:I2")
    heads = {"A4": "TT", "B4": "Họ và tên", "C4": "Nam/Nữ", "D4": "Năm sinh", "G4": "Chức vụ",
             "H4": "Số thẻ đảng", "I4": "Ghi chú"}
    for ref, text in heads.items():
        sheet[ref] = text
        sheet.merge_cells(f"{ref}:{ref[0]}5")
    sheet["E4"] = "Ngày"
    sheet.merge_cells("E4:F4")
    sheet["E5"] = "vào Đảng"
    sheet["F5"] = "chính thức"
    for c, text in enumerate(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"], start=1):
        sheet.cell(6, c, text)
    rows = [
        [1, "Nguyễn Văn An", "Nam", 1958, "19/05/1985", datetime(1986, 5, 19), "Cán bộ hưu trí", "012345", None],
        [2, "Trần Thị Bình", "Nữ", "12/03/1965", datetime(1995, 2, 3), "3.2.1996", None, None, "Chi hội trưởng"],
        None,
        [3, "Lê  Văn   Cường", "nam", 1980.0, "5/1/05", "2006-01-05", "Kinh doanh", None, None],
        [4, "Phạm Thị Dung", "nữ", 1999, 45000, None, None, None, None],  # Excel serial: 15/03/2023
    ]
    if bad:
        rows += [
            [5, "Hoàng Văn Em", "X", 1990, "31/02/2020", None, None, None, None],
            [6, "Đỗ Thị Giang", "Nữ", "năm 70", "2019", None, None, None, None],
            [7, None, "Nam", 1970, "01/01/2000", None, None, None, None],
        ]
    r = 7
    for row in rows:
        if row:
            for c, value in enumerate(row, start=1):
                sheet.cell(r, c, value)
        r += 1
    sheet.cell(r + 1, 2, "Tổng cộng: 4 đảng viên")
    wb.save(path)
    return path


def new_cell(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["init", "-w", "data", "--chi-bo", "to-dan-pho-7", "--ten", "Chi bộ Tổ dân phố số 7",
         "--loai", "dia_ban_dan_cu", "--bi-thu", "Nguyễn Văn An", "--nam", "2026"],
    )
    assert result.exit_code == 0, result.output


def test_messy_sheet_errors_name_row_and_column(runner: CliRunner, ws: Path) -> None:
    new_cell(runner)
    roster = ws / "chi-bo/to-dan-pho-7/dang-vien.yaml"
    before = roster.read_bytes()
    messy_workbook(Path("ds.xlsx"))
    result = runner.invoke(cli, ["roster", "import", "ds.xlsx", "--chi-bo", "to-dan-pho-7", "-w", "data"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "Lỗi: ds.xlsx: dòng 12, cột C (Nam/Nữ): 'X' không phải giới tính (ghi Nam hoặc Nữ)",
        "Lỗi: ds.xlsx: dòng 12, cột E (Ngày vào Đảng): '31/02/2020' không phải ngày có thật",
        "Lỗi: ds.xlsx: dòng 13, cột D (Năm sinh): 'năm 70' không phải năm sinh (ghi 1960 hoặc ngày sinh 05/03/1960)",
        "Lỗi: ds.xlsx: dòng 13, cột E (Ngày vào Đảng): '2019' chỉ có năm; cần đủ ngày, tháng, năm (ví dụ 05/01/2019)",
        "Lỗi: ds.xlsx: dòng 14, cột B (Họ và tên): trống; mỗi dòng phải có họ và tên đảng viên",
        "Có 5 lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào.",
    ]
    assert roster.read_bytes() == before


def test_messy_sheet_imports_its_good_rows(runner: CliRunner, ws: Path) -> None:
    new_cell(runner)
    messy_workbook(Path("ds.xlsx"))
    result = runner.invoke(
        cli, ["roster", "import", "ds.xlsx", "--chi-bo", "to-dan-pho-7", "-w", "data", "--bo-qua-dong-loi"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Bỏ qua: ds.xlsx: dòng ") == 5
    assert "Đã nhập 4 đảng viên từ ds.xlsx (trang tính 'Danh sách', dòng tiêu đề 5)" in result.stdout
    assert "giữ mã cũ: 1; thêm mới: 3" in result.stdout
    assert "cột không dùng: H (Số thẻ đảng)" in result.stdout
    model, _ = load_model(ws / "chi-bo/to-dan-pho-7/dang-vien.yaml", DanhSachFile)
    got = [
        (m.ma, m.ho_ten, m.gioi_tinh, m.nam_sinh, m.loai_dang_vien, m.ngay_vao_dang, m.ngay_chinh_thuc, m.chuc_vu, m.ghi_chu)
        for m in model.dang_vien
    ]
    assert got == [
        ("dv01", "Nguyễn Văn An", "nam", 1958, "chinh_thuc", date(1985, 5, 19), date(1986, 5, 19), "Cán bộ hưu trí", None),
        ("dv02", "Trần Thị Bình", "nu", 1965, "chinh_thuc", date(1995, 2, 3), date(1996, 2, 3), None, "Chi hội trưởng"),
        ("dv03", "Lê Văn Cường", "nam", 1980, "chinh_thuc", date(2005, 1, 5), date(2006, 1, 5), "Kinh doanh", None),
        ("dv04", "Phạm Thị Dung", "nu", 1999, "du_bi", date(2023, 3, 15), None, None, None),
    ]
    # a probationary member for more than a year is pointed out
    assert "dang-vien.yaml: Phạm Thị Dung (dv04): đảng viên dự bị vào Đảng ngày 15/03/2023" in result.stderr


def test_from_an_empty_folder_init_import_render(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    """The secretary's path: init, import the Excel roster, render the plan and the notice."""
    monkeypatch.chdir(tmp_path)
    init = runner.invoke(
        cli,
        ["init", "-w", "data", "--dang-bo", "Đảng bộ phường Ngọc Hà", "--cap-tren", "Đảng bộ thành phố Hà Nội",
         "--dia-danh", "Ngọc Hà", "--ten", "Chi bộ Tổ dân phố số 7", "--loai", "dia_ban_dan_cu",
         "--bi-thu", "Nguyễn Văn An", "--nam", "2026"],
    )
    assert init.exit_code == 0, init.output
    messy_workbook(Path("ds.xlsx"), bad=False)
    imported = runner.invoke(cli, ["roster", "import", "ds.xlsx", "--chi-bo", "to-dan-pho-so-7", "-w", "data"])
    assert imported.exit_code == 0, imported.output
    render = runner.invoke(cli, ["render", "ke-hoach", "phan-cong", "--nam", "2026", "-w", "data", "-o", "ra"])
    assert render.exit_code == 0, render.output
    from docgen.audit import audit_file
    from docgen.docxread import text_dump

    notice = Path("ra/ngoc-ha/to-dan-pho-so-7/2026/phan-cong.docx")
    plan = Path("ra/ngoc-ha/to-dan-pho-so-7/2026/ke-hoach.docx")
    assert audit_file(notice) == [] and audit_file(plan) == []
    text = text_dump(notice)
    assert "Số 01-TB/CB | Ngọc Hà, ngày 05 tháng 02 năm 2026" in text
    assert "| Nguyễn Văn An / Bí thư Chi bộ, chính thức |" in text
    assert "T/M CHI BỘ / BÍ THƯ / Nguyễn Văn An" in text
    # every member imported has a task in the notice, none asked to be typed by hand
    from docgen.workspace import load_workspace

    members = load_workspace(Path("data")).load_cell("to-dan-pho-so-7").members
    assert len(members) > 3
    for m in members:
        assert f"| {m.ho_ten} / " in text, m.ho_ten  # the role under the name (issue 18)
    assert "chưa được giao nhiệm vụ" not in render.output
    # the plan cites its basis: the central resolution the ward's plan builds on
    assert "- Căn cứ Nghị quyết số 21-NQ/TW ngày 16/6/2022" in text_dump(plan)


def test_import_keeps_init_s_example_tasks_in_step_and_never_the_secretary_s(
    runner: CliRunner, ws: Path
) -> None:
    new_cell(runner)
    tasks = ws / "chi-bo/to-dan-pho-7/2026/phan-cong.yaml"
    wb = Workbook()
    wb.active.append(["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào Đảng", "Ngày chính thức"])
    wb.active.append(["Nguyễn Văn An", "Nam", 1960, "19/05/1990", "19/05/1991"])
    wb.active.append(["Lê Văn Bình", "Nam", 1975, "01/01/2000", "01/01/2001"])
    wb.save("ds.xlsx")
    args = ["roster", "import", "ds.xlsx", "--chi-bo", "to-dan-pho-7", "-w", "data"]
    assert runner.invoke(cli, args).exit_code == 0
    text = tasks.read_text(encoding="utf-8")
    assert text.count("- dang_vien: dv02") == 1 and "dang_vien: dv03" not in text
    # once the secretary makes the file theirs (first line gone), import leaves it alone
    own = text.split("\n", 1)[1]
    tasks.write_text(own, encoding="utf-8")
    wb.active.append(["Trần Thị Cúc", "Nữ", 1970, "01/01/2000", "01/01/2001"])
    wb.save("ds.xlsx")
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert tasks.read_text(encoding="utf-8") == own
    check = runner.invoke(cli, ["check", "-w", "data"])
    assert check.exit_code == 0
    assert (
        "Cảnh báo: 1 đảng viên chưa được giao nhiệm vụ nào trong các tệp phân công năm 2026: "
        "Trần Thị Cúc (dv03) (kế hoạch: 100% đảng viên được phân công nhiệm vụ cụ thể)"
    ) in check.stderr.splitlines()


def test_import_refused_when_the_cell_would_break(runner: CliRunner, ws: Path) -> None:
    # the sheet lacks the cell's secretary (dv04 Đặng Quang Trung): nothing is written
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào Đảng", "Ngày chính thức"])
    sheet.append(["Tạ Diệu Thảo", "Nữ", 1975, "15/08/2010", "15/08/2011"])
    wb.save("mot-nguoi.xlsx")
    roster = ws / "chi-bo/to-dan-pho-5/dang-vien.yaml"
    before = roster.read_bytes()
    result = runner.invoke(cli, ["roster", "import", "mot-nguoi.xlsx", "--chi-bo", "to-dan-pho-5", "-w", "data"])
    assert result.exit_code == 1
    assert (
        f"Lỗi: {TDP}/chi-bo.yaml:6:11: chi_bo.bi_thu: vẫn ghi đồng chí Đặng Quang Trung (dv04), người không "
        "có trong mot-nguoi.xlsx (thêm dòng của đồng chí vào mot-nguoi.xlsx (đúng họ tên), hoặc sửa chỗ này "
        "nếu đồng chí đã chuyển đi)"
    ) in result.stderr.splitlines()
    assert "docgen-thu-" not in result.stderr  # the trial copy never shows
    assert roster.read_bytes() == before


def test_a_member_the_checks_refuse_is_named_by_its_row(runner: CliRunner, ws: Path) -> None:
    """The roster that would be written is never shown: a problem of its 2nd member is at
    the 2nd person's row and column of the sheet."""
    new_cell(runner)
    wb = Workbook()
    sheet = wb.active
    sheet.append(["DANH SÁCH ĐẢNG VIÊN"])
    sheet.append(["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào Đảng", "Ngày chính thức"])
    sheet.append(["Nguyễn Văn An", "Nam", 1960, "19/05/1990", "19/05/1991"])
    sheet.append(["Lê Văn Bình", "Nam", 2015, "01/01/2020", "01/01/2021"])  # joined at 5
    sheet.append(["Trần Thị Cúc", "Nữ", 1970, "01/01/2000", "01/01/1999"])  # official before joining
    wb.save("sai.xlsx")
    result = runner.invoke(cli, ["roster", "import", "sai.xlsx", "--chi-bo", "to-dan-pho-7", "-w", "data"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == [
        "Lỗi: sai.xlsx: dòng 4 (Lê Văn Bình): năm sinh 2015 và ngày vào Đảng 01/01/2020 không khớp "
        "(chưa đủ 18 tuổi)",
        "Lỗi: sai.xlsx: dòng 5 (Trần Thị Cúc): ngày chính thức phải sau ngày vào Đảng",
    ]


def test_missing_columns_and_no_header(runner: CliRunner, ws: Path) -> None:
    wb = Workbook()
    wb.active.append(["Họ và tên", "Năm sinh", "Chức vụ"])
    wb.save("thieu.xlsx")
    result = runner.invoke(cli, ["roster", "import", "thieu.xlsx", "--chi-bo", "to-dan-pho-5", "-w", "data"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Lỗi: thieu.xlsx: trang tính 'Sheet', dòng 1: thiếu cột «Giới tính», «Ngày vào Đảng» (tên cột được "
        "nhận: Họ và tên, Giới tính (hoặc Nam/Nữ), Năm sinh (hoặc Ngày sinh), Ngày vào Đảng (hoặc Ngày kết "
        "nạp), Ngày chính thức, Chức vụ, Ghi chú)"
    )
    Path("rong.xlsx").write_bytes(b"not a zip")
    result = runner.invoke(cli, ["roster", "import", "rong.xlsx", "--chi-bo", "to-dan-pho-5", "-w", "data"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Lỗi: rong.xlsx: không đọc được tệp Excel .xlsx: tệp không phải dạng .xlsx hoặc bị hỏng "
        "(mở tệp bằng Excel rồi lưu lại dạng .xlsx (Excel Workbook))\n"
        "Có 1 lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào.\n"
    )


def test_sex_from_two_mark_columns(runner: CliRunner, ws: Path) -> None:
    new_cell(runner)
    wb = Workbook()
    sheet = wb.active
    sheet.append(["STT", "Họ tên", "Nam", "Nữ", "Ngày sinh", "Ngày kết nạp", "Ngày công nhận chính thức"])
    sheet.append([1, "Nguyễn Văn An", "x", None, "02/09/1958", "19/05/1985", "19/05/1986"])
    sheet.append([2, "Trần Thị Bình", None, "x", 1965, "03/02/1995", None])
    wb.save("dau.xlsx")
    result = runner.invoke(cli, ["roster", "import", "dau.xlsx", "--chi-bo", "to-dan-pho-7", "-w", "data"])
    assert result.exit_code == 0, result.output
    model, _ = load_model(ws / "chi-bo/to-dan-pho-7/dang-vien.yaml", DanhSachFile)
    assert [(m.gioi_tinh, m.nam_sinh, m.loai_dang_vien) for m in model.dang_vien] == [
        ("nam", 1958, "chinh_thuc"),
        ("nu", 1965, "du_bi"),
    ]


def test_export_then_import_gives_the_same_roster(runner: CliRunner, ws: Path) -> None:
    roster = ws / "chi-bo/to-dan-pho-5/dang-vien.yaml"
    before = load_model(roster, DanhSachFile)[0]
    result = runner.invoke(cli, ["roster", "export", "--chi-bo", "to-dan-pho-5", "-w", "data", "-o", "ds.xlsx"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Đã ghi danh sách 28 đảng viên vào ds.xlsx.\n"
    imported = runner.invoke(cli, ["roster", "import", "ds.xlsx", "--chi-bo", "to-dan-pho-5", "-w", "data"])
    assert imported.exit_code == 0, imported.output
    assert "giữ mã cũ: 28; thêm mới: 0" in imported.stdout
    after = load_model(roster, DanhSachFile)[0]
    assert after == before
    # and into another cell:
    new_cell(runner)
    fresh = runner.invoke(cli, ["roster", "import", "ds.xlsx", "--chi-bo", "to-dan-pho-7", "-w", "data"])
    # the new cell's secretary (Nguyễn Văn An, dv01) is not on that roster; dv01 of the sheet
    # (another person) does not take the secretary's id: the import is refused
    assert fresh.exit_code == 1
    assert fresh.stderr.startswith(
        "Lỗi: data/chi-bo/to-dan-pho-7/chi-bo.yaml:5:11: chi_bo.bi_thu: vẫn ghi đồng chí Nguyễn Văn An (dv01), "
        "người không có trong ds.xlsx"
    )


def test_export_with_the_quarter(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(
        cli, ["roster", "export", "--chi-bo", "to-dan-pho-5", "--quy", "3", "--nam", "2026", "-w", "data", "-o", "q.xlsx"]
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook("q.xlsx")
    assert wb.sheetnames == ["Danh sách đảng viên", "Kết quả quý III-2026"]
    sheet = wb["Kết quả quý III-2026"]
    assert sheet["A2"].value == (
        "Chi bộ: 86 điểm, mức “Hoàn thành tốt nhiệm vụ”; “chi bộ bốn tốt”: Chưa đạt; tỷ lệ dự sinh hoạt "
        "bình quân 95,2%."
    )
    assert [c.value for c in sheet[3]][:8] == [
        "STT", "Mã", "Họ và tên", "Điểm tiêu chí chung", "Điểm nhiệm vụ", "Tổng điểm", "Tự nhận",
        "Chi bộ đánh giá (theo quy định)",
    ]
    first = [c.value for c in sheet[4]]
    assert first[:8] == [1, "dv01", "Tạ Diệu Thảo", 25, 57, 82, "Tốt", "Hoàn thành tốt nhiệm vụ"]


def test_the_shipped_template_has_the_headers_and_imports(runner: CliRunner, ws: Path) -> None:
    template = REPO / "templates/xlsx/danh-sach-dang-vien.xlsx"
    sheet = load_workbook(template).active
    assert [c.value for c in sheet[3]] == EXPORT_HEADERS
    assert all(match_header(h) for h in EXPORT_HEADERS)
    shutil.copy(template, "mau.xlsx")
    wb = load_workbook("mau.xlsx")
    wb.active.append([1, None, "Nguyễn Văn An", "Nam", 1958, "19/05/1985", "19/05/1986"])
    wb.save("mau.xlsx")
    new_cell(runner)
    result = runner.invoke(cli, ["roster", "import", "mau.xlsx", "--chi-bo", "to-dan-pho-7", "-w", "data"])
    assert result.exit_code == 0, result.output
    written = runner.invoke(cli, ["roster", "template", "-o", "mau-moi.xlsx"])
    assert written.exit_code == 0
    assert [c.value for c in load_workbook("mau-moi.xlsx").active[3]] == EXPORT_HEADERS
    # the same file, byte for byte: no save time inside (the guide says so)
    assert Path("mau-moi.xlsx").read_bytes() == template.read_bytes()
    Path("mau-moi.xlsx").write_bytes(b"ban cua toi")
    again = runner.invoke(cli, ["roster", "template", "-o", "mau-moi.xlsx"])
    assert again.exit_code == 2
    assert "đã có tệp mau-moi.xlsx; thêm --force để ghi đè" in again.stderr
    assert Path("mau-moi.xlsx").read_bytes() == b"ban cua toi"
    assert runner.invoke(cli, ["roster", "template", "-o", "mau-moi.xlsx", "--force"]).exit_code == 0
    assert Path("mau-moi.xlsx").read_bytes() == template.read_bytes()


@pytest.mark.parametrize(
    "value,expected",
    [
        (datetime(2020, 2, 29), date(2020, 2, 29)),
        (date(2020, 2, 29), date(2020, 2, 29)),
        (45000, date(2023, 3, 15)),
        ("05/01/2026", date(2026, 1, 5)),
        ("5/1/26", date(2026, 1, 5)),
        ("5/1/85", date(1985, 1, 5)),
        ("2026-01-05", date(2026, 1, 5)),
        ("05.01.2026", date(2026, 1, 5)),
        ("05-01-2026", date(2026, 1, 5)),
        ("05/01/2026 00:00:00", date(2026, 1, 5)),
    ],
)
def test_dates_as_people_type_them(value, expected: date) -> None:
    assert parse_cell_date(value, today=date(2026, 11, 1)) == expected


@pytest.mark.parametrize(
    "value,message",
    [
        ("31/02/2020", "'31/02/2020' không phải ngày có thật"),
        ("13/13/2020", "'13/13/2020' không phải ngày có thật"),
        (1990, "'1990' chỉ có năm"),
        ("abc", "'abc' không đọc được là ngày"),
    ],
)
def test_unreadable_dates(value, message: str) -> None:
    with pytest.raises(CellError, match=message):
        parse_cell_date(value)


@pytest.mark.libreoffice
@needs_libreoffice
@needs_calc
def test_libreoffice_opens_the_export(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["roster", "export", "--chi-bo", "to-dan-pho-5", "--quy", "3", "--nam", "2026", "-w", "data",
              "-o", str(tmp_path / "ds.xlsx")]
    )
    assert result.exit_code == 0, result.output
    (pdf,) = convert_to_pdf([tmp_path / "ds.xlsx"], tmp_path)
    text = pdf_text(pdf)
    for words in ("DANH SÁCH ĐẢNG VIÊN CHI BỘ TỔ DÂN PHỐ SỐ 5", "Họ và tên", "Tạ Diệu Thảo", "15/08/2010",
                  "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI QUÝ III NĂM 2026"):
        assert words in text, words


def test_import_warns_of_a_probation_past_twelve_months(ws: Path) -> None:
    """Not an error (the recognition may be pending): a warning at the import, on the day."""
    from datetime import date

    from docgen.roster import import_roster
    from docgen.rules.period import probation_overdue

    assert not probation_overdue(date(2025, 9, 2), date(2026, 9, 2))
    assert probation_overdue(date(2025, 9, 2), date(2026, 9, 3))
    wb = Workbook()
    wb.active.append(["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào Đảng", "Ngày chính thức"])
    wb.active.append(["Nguyễn Văn An", "Nam", 1960, "19/05/1990", "19/05/1991"])
    wb.active.append(["Lê Thị Mai", "Nữ", 1990, "02/09/2025", None])
    wb.save("ds.xlsx")
    CliRunner().invoke(
        cli,
        ["init", "-w", "data", "--chi-bo", "to-dan-pho-7", "--ten", "Chi bộ Tổ dân phố số 7",
         "--loai", "dia_ban_dan_cu", "--bi-thu", "Nguyễn Văn An", "--nam", "2026"],
    )
    on_time = import_roster(Path("data"), "to-dan-pho-7", Path("ds.xlsx"), today=date(2026, 9, 2))
    assert on_time.warnings == []
    late = import_roster(Path("data"), "to-dan-pho-7", Path("ds.xlsx"), today=date(2026, 9, 3))
    assert late.warnings == [
        "data/chi-bo/to-dan-pho-7/dang-vien.yaml: Lê Thị Mai (dv02): đảng viên dự bị vào Đảng ngày "
        "02/09/2025, đã quá 12 tháng: kiểm tra ngày chính thức"
    ]


def test_problems_are_told_in_sheet_terms_from_their_data_not_their_words() -> None:
    """The would-be roster's problems are mapped back by their data path and member id;
    the words of the message are never read."""
    from docgen.errors import Problem
    from docgen.roster import Merged, in_sheet_terms
    from docgen.xlsx import SheetRoster, SheetRow

    sheet = SheetRoster("Sheet", 1, {"ho_ten": 1, "ngay_vao_dang": 4, "mien_tu_ngay": 6, "mien_ly_do": 7})
    sheet.rows = [SheetRow(2, {}), SheetRow(5, {})]
    sheet.labels = {
        "ngay_vao_dang": "cột D (Ngày vào Đảng)",
        "mien_tu_ngay": "cột F (Miễn sinh hoạt từ ngày)",
        "mien_ly_do": "cột G (Lý do miễn)",
    }
    merged = Merged([{"ma": "dv01", "ho_ten": "An"}, {"ma": "dv02", "ho_ten": "Bình"}], [], [], ["Cúc"], {"dv03": "Cúc"})
    roster = "data/chi-bo/x/dang-vien.yaml"

    def told(problem: Problem) -> str:
        return in_sheet_terms(problem, roster, sheet, merged, "ds.xlsx").format()

    at = {
        ("dang_vien", 1, "ngay_vao_dang"): "ds.xlsx: dòng 5, cột D (Ngày vào Đảng): sai",
        ("dang_vien", 1): "ds.xlsx: dòng 5 (Bình): sai",
        ("dang_vien", 0, "mien_sinh_hoat", "tu_ngay"): "ds.xlsx: dòng 2, cột F (Miễn sinh hoạt từ ngày): sai",
        ("dang_vien", 0, "mien_sinh_hoat", "ly_do"): "ds.xlsx: dòng 2, cột G (Lý do miễn): sai",
        ("dang_vien", 0, "chuc_vu"): "ds.xlsx: dòng 2 (An): sai",  # no such column
    }
    for path, expected in at.items():
        assert told(Problem(roster, 9, 3, "không đọc", "sai", path=path)) == expected
    # a field text alone (no data path) is not read: the problem stays as it is
    assert told(Problem(roster, 9, 3, "dang_vien[2].ngay_vao_dang", "sai")) == (
        f"{roster}:9:3: dang_vien[2].ngay_vao_dang: sai"
    )
    # a leaver named elsewhere: by the problem's member id, whatever its words
    leaver = Problem("chi-bo.yaml", 6, 11, "chi_bo.bi_thu", "mã lạ", member="dv03")
    assert told(leaver) == (
        "chi-bo.yaml:6:11: chi_bo.bi_thu: vẫn ghi đồng chí Cúc (dv03), người không có trong ds.xlsx "
        "(thêm dòng của đồng chí vào ds.xlsx (đúng họ tên), hoặc sửa chỗ này nếu đồng chí đã chuyển đi)"
    )
    words_only = Problem("chi-bo.yaml", 6, 11, "chi_bo.bi_thu", "không có đảng viên mã 'dv03' trong x")
    assert told(words_only) == words_only.format()


def test_one_date_reader_strict_for_yaml_loose_for_excel() -> None:
    """The YAML files and the command line read dates strictly, a spreadsheet cell loosely,
    with the same reader (formatting.read_date_text); each keeps its own messages."""
    from docgen.errors import DateFormatError, DateTextError
    from docgen.formatting import parse_user_date, read_date_text

    for text in ("5/1/26", "05-01-2026", "2026/01/05", "05 / 01 / 2026", "05/01/2026 00:00"):
        assert read_date_text(text, loose=True, today=date(2026, 11, 1)) == date(2026, 1, 5)
        with pytest.raises(DateTextError) as strict:
            read_date_text(text)
        assert strict.value.reason == "form"
        with pytest.raises(DateFormatError, match="không phải ngày; viết dạng 2026-01-05 hoặc 05/01/2026"):
            parse_user_date(text)
    assert read_date_text(" 5.1.2026 ") == read_date_text("2026-1-5") == date(2026, 1, 5)
    with pytest.raises(DateFormatError, match=r"ngày '2026-02-30' không tồn tại \(tháng 2 năm 2026 không có ngày 30\)"):
        parse_user_date("2026-02-30")
    with pytest.raises(DateFormatError, match="có năm 2206 không hợp lý"):
        parse_user_date("05/01/2206")
    assert parse_cell_date("05/01/2206") == date(2206, 1, 5)  # no year range in a sheet, as before
    with pytest.raises(CellError, match="'2026' chỉ có năm"):
        parse_cell_date(" 2026 ")
