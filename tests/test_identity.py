"""Roster identity (issue 16): an Excel import never mixes up two people.

Two members of one name keep their ids whatever the rows' order, told apart by birth
year and admission date; old and new tone placement («Thuỷ», «Thủy») are one name;
rows that cannot be told apart are refused, named; ``check`` and the import point out
members of one name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from docgen.cli import cli
from docgen.formatting import name_key
from docgen.models.org import DanhSachFile
from docgen.workspace import load_model
from tests.conftest import edit_yaml

CELL = "to-dan-pho-7"
ROSTER = Path("data/chi-bo") / CELL / "dang-vien.yaml"
HEADERS = ["Họ và tên", "Giới tính", "Năm sinh", "Ngày vào Đảng", "Ngày chính thức"]
# The roster: ten members, two of them «Nguyễn Văn Hùng»
PEOPLE = [
    ["Nguyễn Văn An", "Nam", 1958, "19/05/1985", "19/05/1986"],
    ["Trần Thị Bình", "Nữ", 1965, "03/02/1995", "03/02/1996"],
    ["Lê Văn Cường", "Nam", 1980, "05/01/2005", "05/01/2006"],
    ["Phạm Thị Dung", "Nữ", 1970, "15/03/2000", "15/03/2001"],
    ["Hoàng Văn Em", "Nam", 1962, "01/09/1990", "01/09/1991"],
    ["Đỗ Thị Thuỷ", "Nữ", 1968, "12/06/1998", "12/06/1999"],
    ["Nguyễn Văn Hùng", "Nam", 1960, "10/10/1988", "10/10/1989"],
    ["Nguyễn Văn Hùng", "Nam", 1975, "20/11/2001", "20/11/2002"],
    ["Vũ Thị Khoẻ", "Nữ", 1972, "02/09/2003", "02/09/2004"],
    ["Bùi Văn Hoà", "Nam", 1966, "07/07/1993", "07/07/1994"],
]


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> Path:
    """A new cell whose roster is PEOPLE, imported from Excel (dv07: Hùng born 1960)."""
    monkeypatch.chdir(sample_ws.parent)
    result = runner.invoke(
        cli,
        ["init", "-w", "data", "--chi-bo", CELL, "--ten", "Chi bộ Tổ dân phố số 7",
         "--loai", "dia_ban_dan_cu", "--bi-thu", "Nguyễn Văn An", "--nam", "2026"],
    )
    assert result.exit_code == 0, result.output
    first = import_rows(runner, PEOPLE)
    assert first.exit_code == 0, first.output
    assert roster() == [(f"dv{i:02d}", p[0], p[2]) for i, p in enumerate(PEOPLE, start=1)]
    return sample_ws


def import_rows(runner: CliRunner, rows: list[list[object]], headers: list[str] = HEADERS):
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(row)
    wb.save("ds.xlsx")
    return runner.invoke(cli, ["roster", "import", "ds.xlsx", "--chi-bo", CELL, "-w", "data"])


def roster() -> list[tuple[str, str, int]]:
    model, _ = load_model(ROSTER, DanhSachFile)
    return [(m.ma, m.ho_ten, m.nam_sinh) for m in model.dang_vien]


def test_swapped_rows_of_one_name_keep_their_ids(runner: CliRunner, ws: Path) -> None:
    swapped = [*PEOPLE[:6], PEOPLE[7], PEOPLE[6], *PEOPLE[8:]]
    result = import_rows(runner, swapped)
    assert result.exit_code == 0, result.output
    assert "giữ mã cũ: 10; thêm mới: 0" in result.stdout
    by_id = {ma: year for ma, _, year in roster()}
    assert (by_id["dv07"], by_id["dv08"]) == (1960, 1975)
    # the rows' order is the roster's order, the ids stay with the people
    assert [ma for ma, _, _ in roster()][6:8] == ["dv08", "dv07"]
    # a birth year corrected in Excel: still told apart by the admission date
    corrected = [*PEOPLE[:6], ["Nguyễn Văn Hùng", "Nam", 1976, "20/11/2001", "20/11/2002"], PEOPLE[6], *PEOPLE[8:]]
    result = import_rows(runner, corrected)
    assert result.exit_code == 0, result.output
    assert "giữ mã cũ: 10; thêm mới: 0" in result.stdout
    assert {ma: year for ma, _, year in roster()}["dv08"] == 1976


def test_a_new_member_of_a_known_name_gets_a_new_id(runner: CliRunner, ws: Path) -> None:
    third = ["Nguyễn Văn Hùng", "Nam", 1990, "03/02/2020", "03/02/2021"]
    result = import_rows(runner, [*PEOPLE[:6], third, PEOPLE[7], PEOPLE[6], *PEOPLE[8:]])
    assert result.exit_code == 0, result.output
    assert "giữ mã cũ: 10; thêm mới: 1" in result.stdout
    assert [r for r in roster() if r[1] == "Nguyễn Văn Hùng"] == [
        ("dv11", "Nguyễn Văn Hùng", 1990), ("dv08", "Nguyễn Văn Hùng", 1975), ("dv07", "Nguyễn Văn Hùng", 1960)
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [("Thuỷ", "Thủy"), ("hoà", "hòa"), ("khoẻ", "khỏe"), ("uý", "úy"), ("Hoà", "HÒA"),
     ("Nguyễn  Văn Hùng ", "nguyễn văn hùng"), ("Thu\u0309y", "Thủy")],
)
def test_one_name_key_for_tone_placement_case_and_spaces(old: str, new: str) -> None:
    assert name_key(old) == name_key(new)


@pytest.mark.parametrize(("one", "other"), [("Thùy", "Thủy"), ("Hưng", "Hùng"), ("Hoa", "Hòa"), ("Đào", "Dao")])
def test_the_name_key_keeps_letters_and_tones(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def test_tone_placement_variants_are_one_person(runner: CliRunner, ws: Path) -> None:
    """The YAML has «Đỗ Thị Thuỷ», «Vũ Thị Khoẻ», «Bùi Văn Hoà»; the Excel file the new placement."""
    renamed = {"Đỗ Thị Thuỷ": "Đỗ Thị Thủy", "Vũ Thị Khoẻ": "Vũ Thị Khỏe", "Bùi Văn Hoà": "Bùi Văn Hòa"}
    rows = [[renamed.get(str(p[0]), p[0]), *p[1:]] for p in PEOPLE]
    result = import_rows(runner, rows)
    assert result.exit_code == 0, result.output
    assert "giữ mã cũ: 10; thêm mới: 0" in result.stdout
    assert [(ma, name) for ma, name, _ in roster()][5:] == [
        ("dv06", "Đỗ Thị Thủy"), ("dv07", "Nguyễn Văn Hùng"), ("dv08", "Nguyễn Văn Hùng"),
        ("dv09", "Vũ Thị Khỏe"), ("dv10", "Bùi Văn Hòa"),
    ]


def test_rows_that_cannot_be_told_apart_are_refused_both_named(runner: CliRunner, ws: Path) -> None:
    before = ROSTER.read_bytes()
    # the 1960 row copied over the 1975 one: both rows fit dv07 alone
    result = import_rows(runner, [*PEOPLE[:7], PEOPLE[6], *PEOPLE[8:]])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "Lỗi: ds.xlsx: dòng 8 và dòng 9: không phân biệt được các đồng chí cùng họ tên Nguyễn Văn Hùng: trong "
        "danh sách có dv07 (sinh năm 1960, vào Đảng ngày 10/10/1988) (ghi đúng năm sinh và ngày vào Đảng của "
        "từng người, hoặc thêm cột Mã ghi mã đảng viên của từng người)",
        "Có 1 lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào.",
    ]
    assert ROSTER.read_bytes() == before


def test_twins_are_told_apart_by_the_id_column_only(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ROSTER, "nam_sinh: 1975", "nam_sinh: 1960")
    edit_yaml(ROSTER, "ngay_vao_dang: 2001-11-20", "ngay_vao_dang: 1988-10-10")
    edit_yaml(ROSTER, "ngay_chinh_thuc: 2002-11-20", "ngay_chinh_thuc: 1989-10-10")
    before = ROSTER.read_bytes()
    twins = [*PEOPLE[:7], PEOPLE[6], *PEOPLE[8:]]
    result = import_rows(runner, twins)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        "Lỗi: ds.xlsx: dòng 8 và dòng 9: không phân biệt được các đồng chí cùng họ tên Nguyễn Văn Hùng: trong "
        "danh sách có dv07 (sinh năm 1960, vào Đảng ngày 10/10/1988), dv08 (sinh năm 1960, vào Đảng ngày 10/10/1988)"
    )
    assert ROSTER.read_bytes() == before
    # with the "Mã" column (as the export writes it), in any order
    ids = [f"dv{i:02d}" for i in range(1, 11)]
    rows = [[ma, *p] for ma, p in zip(ids, twins, strict=True)]
    rows[6][0], rows[7][0] = "dv08", "dv07"
    rows[6][1:], rows[7][1:] = rows[7][1:], rows[6][1:]
    result = import_rows(runner, rows, ["Mã", *HEADERS])
    assert result.exit_code == 0, result.output
    assert "giữ mã cũ: 10; thêm mới: 0" in result.stdout
    assert [ma for ma, _, _ in roster()] == [*ids[:6], "dv08", "dv07", *ids[8:]]


WARNING = (
    "dang_vien[8].ho_ten: dv07 và dv08 cùng họ tên Nguyễn Văn Hùng: phân biệt bằng năm sinh (1960, 1975) "
    "(không phải lỗi; các tệp khác ghi đúng mã của từng người; tệp Excel nhập lại cần đúng năm sinh, ngày vào "
    "Đảng của từng người, hoặc cột Mã)"
)


def test_import_and_check_point_out_members_of_one_name(runner: CliRunner, ws: Path) -> None:
    result = import_rows(runner, PEOPLE)
    assert result.exit_code == 0, result.output
    line = next(n for n, text in enumerate(ROSTER.read_text(encoding="utf-8").splitlines(), 1) if "1975" in text) - 2
    assert f"Cảnh báo: data/chi-bo/{CELL}/dang-vien.yaml:{line}:13: {WARNING}" in result.stderr.splitlines()
    check = runner.invoke(cli, ["check", "-w", "data"])
    assert check.exit_code == 0, check.output
    assert f"Cảnh báo: data/chi-bo/{CELL}/dang-vien.yaml:{line}:13: {WARNING}" in check.stderr.splitlines()
    assert check.stderr.count("cùng họ tên") == 1  # the sample's cells have none
    # spelled with the other tone placement and other case, still one name
    edit_yaml(ROSTER, "ho_ten: Bùi Văn Hoà", "ho_ten: BÙI VĂN HÒA")
    edit_yaml(ROSTER, "ho_ten: Hoàng Văn Em", "ho_ten: Bùi  Văn Hoà")
    check = runner.invoke(cli, ["check", "-w", "data"])
    assert "dv05 và dv10 cùng họ tên Bùi  Văn Hoà: phân biệt bằng năm sinh (1962, 1966)" in check.stderr

