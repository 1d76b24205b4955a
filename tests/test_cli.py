"""The command line: Vietnamese help with examples, exit codes, what is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docgen import __version__
from docgen.cli import cli, main
from tests.conftest import REPO, SAMPLE_CELLS, edit_yaml


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"docgen {__version__}\n"


def test_version_matches_pyproject() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{__version__}"' in text


def test_python_m_docgen() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"docgen {__version__}\n"


def test_help_is_vietnamese_with_examples(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0].endswith(" [TÙY CHỌN] LỆNH [THAM SỐ]...")
    assert "Tùy chọn:" in out and "Lệnh:" in out and "Ví dụ:" in out
    assert "Hiện hướng dẫn này rồi thoát." in out


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out += _command_paths(command, (*prefix, name))
    return out


@pytest.mark.parametrize("command", _command_paths(cli), ids=" ".join)
def test_every_command_has_vietnamese_help_and_an_example(runner: CliRunner, command: tuple[str, ...]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Ví dụ:" in result.stdout
    assert f"docgen {command[0]}" in result.stdout.split("Ví dụ:")[1]
    for english in ("Show this message", "default", "required", "OPTIONS", "INTEGER", "DIRECTORY", "PATH"):
        assert english not in result.stdout


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from docgen.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'docxtpl', 'docx', 'lxml', 'yaml') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_render_all_cells(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["render", "ke-hoach", "--nam", "2026", "-w", "data", "-o", "out"])
    assert result.exit_code == 0, result.stderr
    expected = [f"out/ngoc-ha/{cell}/2026/ke-hoach.docx" for cell in SAMPLE_CELLS]
    numbers = ["01", "02", "01", "01"]  # as typed in each cell's ke-hoach.yaml
    assert result.stdout.splitlines() == [
        "Đã tạo 4 văn bản:",
        *[f"  {p} (số {n}-KH/CB, cấp số mới)" for p, n in zip(expected, numbers, strict=True)],
    ]
    for path in expected:
        assert (ws.parent / path).stat().st_size > 5000
    leftovers = [p for p in (ws.parent / "out").rglob("*") if p.name.startswith(".")]
    assert leftovers == []


def test_render_one_cell(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(
        cli, ["render", "ke-hoach", "--chi-bo", "cong-an-phuong", "--nam", "2026", "-w", "data", "-o", "out"]
    )
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (ws.parent / "out/ngoc-ha").iterdir()] == ["cong-an-phuong"]


def test_unknown_cell_is_misuse(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["render", "ke-hoach", "--chi-bo", "cong-an", "--nam", "2026", "-w", "data"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: không có chi bộ 'cong-an' trong data/dang-bo.yaml (có phải ý là 'cong-an-phuong'?)\n"
    )
    assert not (ws.parent / "output").exists()


def test_missing_year_file(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["render", "ke-hoach", "--chi-bo", "cong-an-phuong", "--nam", "2027", "-w", "data"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Lỗi: data/chi-bo/cong-an-phuong/2027/ke-hoach.yaml: không tìm thấy tệp"
    )


def test_bad_input_writes_nothing_and_keeps_existing_files(runner: CliRunner, ws: Path) -> None:
    args = ["render", "ke-hoach", "--nam", "2026", "-w", "data", "-o", "out"]
    assert runner.invoke(cli, args).exit_code == 0
    existing = {p: p.read_bytes() for p in (ws.parent / "out").rglob("*.docx")}
    edit_yaml(ws / "chi-bo/cong-an-phuong/2026/ke-hoach.yaml", "so: 1", "so: không")
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "- Không có đảng viên vi phạm", "- Không có đảng viên vi phạm")
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "Tổ dân phố đạt danh hiệu", "Tổ dân phố (mới) đạt danh hiệu")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Lỗi: data/chi-bo/cong-an-phuong/2026/ke-hoach.yaml:2:7: ke_hoach.so: phải là số nguyên, "
        "nhận được 'không'",
        "Có 1 lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào.",
    ]
    assert {p: p.read_bytes() for p in (ws.parent / "out").rglob("*.docx")} == existing


def test_missing_workspace_is_misuse(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: không tìm thấy thư mục dữ liệu data; hãy chạy lệnh trong thư mục dữ liệu (thư mục có tệp "
        "dang-bo.yaml), hoặc chỉ thư mục đó bằng -w THƯ_MỤC, hoặc tạo dữ liệu mới bằng docgen init\n"
    )


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code or 0), capsys.readouterr().err


def test_usage_errors_are_translated(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_main(["render", "khong-co"], capsys)
    assert code == 2
    from docgen.documents import KIND_NAMES

    assert err.splitlines()[-1] == (
        "Lỗi: giá trị 'khong-co' không hợp lệ cho LOẠI...; chọn một trong: "
        + ", ".join(f"'{k}'" for k in KIND_NAMES)
    )
    code, err = run_main(["render", "ke-hoach", "--quy", "5"], capsys)
    assert code == 2
    assert err.splitlines()[-1] == "Lỗi: --quy: 5 nằm ngoài khoảng cho phép (1 đến 4)"
    code, err = run_main(["chek"], capsys)
    assert code == 2
    assert err.splitlines()[-1] == "Lỗi: không có lệnh 'chek' (có phải ý là 'check'?)"


@pytest.mark.parametrize(
    "args,expected",
    [
        (["render", "ke-hoach", "--nam", "abc"], "Lỗi: --nam: 'abc' không phải số nguyên"),
        (["render", "ke-hoach", "--nam", "2026.5"], "Lỗi: --nam: '2026.5' không phải số nguyên"),
        (["render", "--xyz"], "Lỗi: không có tùy chọn --xyz (có phải ý là '--quy'?)"),
        (["render", "ke-hoach", "--draft=1"], "Lỗi: tùy chọn --draft không nhận giá trị"),
        (["batch", "--nam", "2026", "-j", "0"], "Lỗi: -j/--jobs: 0 nằm ngoài khoảng cho phép (1 đến 256)"),
        (["check", "-w", "tep"], "Lỗi: -w/--workspace: 'tep' là một tệp, không phải thư mục"),
        (["register", "--csv", "thu-muc"], "Lỗi: --csv: 'thu-muc' là một thư mục, không phải tệp"),
    ],
)
def test_click_s_own_messages_are_translated(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tep").write_text("x")
    (tmp_path / "thu-muc").mkdir()
    code, err = run_main(args, capsys)
    assert code == 2
    assert err.splitlines()[-1] == expected


def test_a_missing_kind_lists_the_kinds_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from docgen.documents import KIND_NAMES

    code, err = run_main(["render"], capsys)
    assert code == 2
    assert err.splitlines()[-1] == "Lỗi: thiếu tham số LOẠI...; chọn một trong: " + ", ".join(KIND_NAMES)


@pytest.mark.parametrize(
    "args,expected",
    [
        (["render", "ke-hoach", "--chi-bo", ""], "Lỗi: giá trị của --chi-bo để trống; bỏ hẳn tùy chọn đó hoặc ghi giá trị"),
        (["render", "ke-hoach", "-o", " "], "Lỗi: giá trị của -o để trống; bỏ hẳn tùy chọn đó hoặc ghi giá trị"),
        (["audit", ""], "Lỗi: có tham số để trống; bỏ hẳn tùy chọn đó hoặc ghi giá trị"),
    ],
)
def test_a_blank_value_is_refused_not_read_as_everything(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run_main(args, capsys)
    assert code == 2
    assert err.splitlines() == [expected]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("group", ["roster", "templates"])
def test_a_group_alone_shows_its_help_once(group: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([group])
    captured = capsys.readouterr()
    assert captured.out.count("Cách dùng:") == 1
    assert "Lỗi" not in captured.out + captured.err
