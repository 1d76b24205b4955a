"""Traps for a secretary (issue 16, items 4, 5 and 7): the data folder found where the user
stands, files the workspace nearly has, and the smaller items."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.workspace import find_workspace, load_workspace

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
