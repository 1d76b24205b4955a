"""Traps for a secretary (issue 16, items 4, 5 and 7): the data folder found where the user
stands, files the workspace nearly has, and the smaller items."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.workspace import find_workspace, load_workspace


@pytest.fixture
def ws_here(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


# --- the data folder -----------------------------------------------------------------


def test_check_from_inside_the_data_folder(
    runner: CliRunner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sample_ws)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Dữ liệu hợp lệ: 4 chi bộ")


def test_find_workspace(sample_ws: Path, tmp_path: Path) -> None:
    assert find_workspace(sample_ws) == sample_ws  # it holds dang-bo.yaml
    assert find_workspace(sample_ws.parent) == sample_ws.parent / "data"
    assert find_workspace(tmp_path / "empty") == tmp_path / "empty" / "data"


def test_load_workspace_without_root_finds_it(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_ws)
    assert load_workspace().root == sample_ws


def test_no_workspace_says_what_to_do(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()  # a data folder without the ward file
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 2
    assert "thư mục data không có tệp dang-bo.yaml" in result.stderr
    assert "chạy lệnh trong thư mục dữ liệu" in result.stderr
    assert "-w THƯ_MỤC" in result.stderr
    assert "docgen init" in result.stderr


def test_explicit_workspace_wins(runner: CliRunner, sample_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_ws)  # the current folder is a workspace, but -w names another
    result = runner.invoke(cli, ["check", "-w", str(tmp_path / "khac")])
    assert result.exit_code == 2
    assert "không tìm thấy thư mục dữ liệu" in result.stderr


# --- files the workspace nearly has --------------------------------------------------

CELL_YEAR = "chi-bo/to-dan-pho-5/2026"


@pytest.mark.parametrize(
    ("stray", "right"),
    [
        ("quy-3.yaml.txt", "quy-3.yaml"),
        ("Quy-3.yaml", "quy-3.yaml"),
        ("quy3.yaml", "quy-3.yaml"),
        ("quy-3.yml", "quy-3.yaml"),
        ("Phan-cong.yaml", "phan-cong.yaml"),
    ],
)
def test_check_names_a_stray_file(
    runner: CliRunner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch, stray: str, right: str
) -> None:
    folder = sample_ws / CELL_YEAR
    (folder / right).rename(folder / stray)
    monkeypatch.chdir(sample_ws.parent)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1, result.output
    assert f"Lỗi: data/{CELL_YEAR}/{stray}: docgen không đọc tệp này; đổi tên thành {right}" in result.stderr


def test_render_says_the_same(runner: CliRunner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = sample_ws / CELL_YEAR
    (folder / "quy-3.yaml").rename(folder / "quy-3.yaml.txt")
    monkeypatch.chdir(sample_ws.parent)
    args = ["render", "bao-cao-quy", "--quy", "3", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--draft"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert f"Lỗi: data/{CELL_YEAR}/quy-3.yaml.txt: docgen không đọc tệp này; đổi tên thành quy-3.yaml" in (
        result.stderr
    )
    # another quarter's report does not read that file: nothing to say there
    result = runner.invoke(cli, [*args[:3], "2", *args[4:]])
    assert result.exit_code == 0, result.output
    assert "quy-3.yaml.txt" not in result.output


def test_a_stray_copy_beside_the_right_file_is_a_warning(
    runner: CliRunner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sample_ws / CELL_YEAR
    (folder / "quy-3.yaml.txt").write_bytes((folder / "quy-3.yaml").read_bytes())
    monkeypatch.chdir(sample_ws.parent)
    warning = (
        f"Cảnh báo: data/{CELL_YEAR}/quy-3.yaml.txt: docgen không đọc tệp này mà đọc quy-3.yaml ở cùng thư mục; "
        "xóa hoặc chuyển tệp này đi nếu không cần"
    )
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert warning in result.stderr
    args = ["render", "bao-cao-quy", "--quy", "3", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--draft"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert warning in result.stderr


def test_other_files_are_not_strays(runner: CliRunner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = sample_ws / CELL_YEAR
    for name in ("ghi-chu.txt", "quy-3.yaml.bak", "danh-sach.xlsx"):
        (folder / name).write_text("x", encoding="utf-8")
    (sample_ws / "2026" / "Tong-hop-quy-3.yaml.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(sample_ws.parent)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert "ghi-chu" not in result.output and "bak" not in result.output
    assert "Tong-hop-quy-3.yaml.txt: docgen không đọc tệp này mà đọc tong-hop-quy-3.yaml" in result.stderr


# --- the smaller items ---------------------------------------------------------------


def test_batch_without_a_ward_summary_file_skips_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.synthetic import build_ward

    ws = build_ward(tmp_path, 1, 5)  # one cell, and no summary typed for the ward
    (ws / "2026" / "tong-hop-quy-3.yaml").unlink()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1", "--draft"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Đã tạo 1 văn bản, 0 văn bản lỗi:")
    assert (
        "Cảnh báo: chưa có tệp data/2026/tong-hop-quy-3.yaml nên chưa làm báo cáo tổng hợp của Đảng ủy "
        "(tong-hop-quy); văn bản của các chi bộ vẫn được làm. Muốn làm thì tạo tệp đó rồi chạy: "
        "docgen render tong-hop-quy --quy 3 --nam 2026"
    ) in result.stderr


def test_batch_with_a_misnamed_ward_summary_file_says_so(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.synthetic import build_ward

    ws = build_ward(tmp_path, 1, 5)
    (ws / "2026" / "tong-hop-quy-3.yaml").rename(ws / "2026" / "tong-hop-quy-3.yaml.txt")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "1", "--draft"])
    assert result.exit_code == 1
    assert "tong-hop-quy-3.yaml.txt: docgen không đọc tệp này; đổi tên thành tong-hop-quy-3.yaml" in result.stdout


def _freeze_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """``date.today()`` as ``day`` where docgen asks it for a document's date."""

    class Frozen(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return day

    import docgen.documents.base
    import docgen.pipeline

    monkeypatch.setattr(docgen.documents.base, "date", Frozen)
    monkeypatch.setattr(docgen.pipeline, "date", Frozen)


FUTURE_Q1 = (
    "Cảnh báo: data/chi-bo/to-dan-pho-5/2026/quy-1.yaml:6:18: bao_cao_quy.ngay_ban_hanh: văn bản ghi ngày "
    "28/03/2026, còn sau hôm nay (01/03/2026): kiểm tra lại ngày; văn bản làm trước thì nên để bản dự thảo "
    "(--draft) đến ngày đó mới ban hành"
)


def test_a_document_dated_after_today_warns(runner: CliRunner, ws_here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _freeze_today(monkeypatch, date(2026, 3, 1))
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert FUTURE_Q1 in result.stderr.splitlines()
    args = ["render", "bao-cao-quy", "--quy", "1", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--draft"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert FUTURE_Q1 in result.stderr.splitlines()


def test_no_warning_once_the_day_has_come(runner: CliRunner, ws_here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _freeze_today(monkeypatch, date(2027, 6, 1))
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert "còn sau hôm nay" not in result.stderr


PROBATION = (
    "Cảnh báo: data/chi-bo/to-dan-pho-5/dang-vien.yaml: Ngô Văn Hùng (dv27): đảng viên dự bị vào Đảng ngày "
    "23/07/2025, đã quá 12 tháng: kiểm tra ngày chính thức"
)


def test_check_warns_of_probation_past_12_months_at_the_documents_date(
    runner: CliRunner, ws_here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _freeze_today(monkeypatch, date(2026, 1, 2))  # the cell's year-end report is dated 28/12/2026
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert PROBATION in result.stderr.splitlines()


def test_probation_is_not_measured_against_today(
    runner: CliRunner, ws_here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = ws_here / CELL_YEAR
    for path in folder.iterdir():
        if path.name not in ("ke-hoach.yaml", "phan-cong.yaml"):  # latest document: 05/02/2026
            path.unlink()
    shutil.rmtree(ws_here / "2026")  # the ward's summaries would miss the cell's reports
    _freeze_today(monkeypatch, date(2030, 1, 1))
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert "Ngô Văn Hùng (dv27)" not in result.stderr


@pytest.mark.parametrize(("written", "quarter"), [("III", 3), ("iii", 3), ("IV", 4), ("i", 1)])
def test_quarter_in_roman_numerals(runner: CliRunner, ws_here: Path, written: str, quarter: int) -> None:
    args = ["render", "bao-cao-quy", "--quy", written, "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--draft"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"bao-cao-quy-{quarter}-du-thao.docx" in result.stdout


def test_a_quarter_that_is_not_one_says_the_accepted_form(runner: CliRunner, ws_here: Path) -> None:
    result = runner.invoke(cli, ["batch", "--quy", "quý 3", "--nam", "2026"])
    assert result.exit_code == 2
    assert "'quý 3' không phải một quý; ghi số 1 đến 4 (hoặc I, II, III, IV), ví dụ --quy 3" in result.stderr


def test_a_score_with_a_decimal_comma_gets_a_located_hint(runner: CliRunner, ws_here: Path) -> None:
    path = ws_here / CELL_YEAR / "quy-3.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("diem_chung: 28\n", "diem_chung: 28,5\n", 1), encoding="utf-8")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert (
        f"Lỗi: data/{CELL_YEAR}/quy-3.yaml:74:17: bao_cao_quy.chi_bo.diem_chung: phải là số, nhận được '28,5' "
        "(số thập phân viết bằng dấu chấm: viết 28.5)"
    ) in result.stderr


INIT = [
    "init", "-w", "d", "--dang-bo", "Đảng bộ phường An Phú", "--cap-tren", "Đảng bộ thành phố Hà Nội",
    "--dia-danh", "An Phú", "--ten", "Chi bộ Khu phố 3", "--chi-bo", "khu-pho-3", "--loai", "dia_ban_dan_cu", "--bi-thu", "Nguyễn Văn An",
    "--nam", "2026", "--gioi-tinh", "nam", "--nam-sinh", "1960", "--ngay-vao-dang", "03/02/1990",
]
ROSTER = "d/chi-bo/khu-pho-3/dang-vien.yaml"


def _member(path: Path) -> dict[str, object]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return dict(data["dang_vien"][0])


def test_init_never_guesses_the_official_date(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, INIT, input="")
    assert result.exit_code == 0, result.output
    text = (tmp_path / ROSTER).read_text(encoding="utf-8")
    assert "ngay_chinh_thuc" not in _member(tmp_path / ROSTER)  # not 1991-02-03 behind the secretary's back
    assert "# ngay_chinh_thuc:" in text and "CHƯA GHI" in text
    assert runner.invoke(cli, ["check", "-w", "d"]).exit_code == 0


def test_init_writes_the_official_date_given(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, [*INIT, "--ngay-chinh-thuc", "10/03/1991"], input="")
    assert result.exit_code == 0, result.output
    assert str(_member(tmp_path / ROSTER)["ngay_chinh_thuc"]) == "1991-03-10"


def test_init_asks_for_the_official_date(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.cli import _setup

    monkeypatch.setattr(_setup, "_interactive", lambda: True)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, INIT, input="15/04/1991\n")
    assert result.exit_code == 0, result.output
    assert "Ngày được công nhận chính thức" in result.stdout
    assert str(_member(tmp_path / ROSTER)["ngay_chinh_thuc"]) == "1991-04-15"


def test_init_refuses_an_official_date_before_joining(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, [*INIT, "--ngay-chinh-thuc", "01/01/1990"], input="")
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: --ngay-chinh-thuc: ngày 01/01/1990 phải sau ngày vào Đảng 03/02/1990\n"
    )
    assert not (tmp_path / "d").exists()


def test_tests_that_open_a_workbook_know_when_calc_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine set up with libreoffice-writer only skips the .xlsx tests with a reason."""
    from tests import conftest

    program = tmp_path / "program"
    program.mkdir()
    (program / "soffice").write_text("", encoding="utf-8")
    (program / "libswlo.so").write_text("", encoding="utf-8")  # Writer only
    monkeypatch.setattr(conftest, "soffice_path", lambda: str(program / "soffice"))
    assert not conftest.calc_installed()
    (program / "libsclo.so").write_text("", encoding="utf-8")
    assert conftest.calc_installed()
    assert "libreoffice-calc" in str(conftest.needs_calc.kwargs["reason"])
