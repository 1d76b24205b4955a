"""Rule-set paths are limited to the workspace folder and the built-in rule sets (issue 20,
finding 11): ``cai_dat.bo_quy_tac: /etc/passwd`` showed the first 40 characters of that
file (the validation message quotes the value it got). Now any path outside the workspace,
symlinks resolved, is refused before it is opened, located at ``cai_dat.bo_quy_tac``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from tests.conftest import REPO, edit_yaml

OUTSIDE = "ở ngoài thư mục dữ liệu, không đọc: chỉ dùng được bộ có sẵn (qd366-2025) hoặc một tệp trong thư mục dữ liệu"
SETTING = "dang-bo.yaml:41:15: cai_dat.bo_quy_tac: "


def _check(ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ws)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1, result.output
    return result.output


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("mat-khau: hunter2-bi-mat-khong-duoc-lo\n", encoding="utf-8")
    return secret


@pytest.mark.parametrize("form", ["absolute", "relative"])
def test_a_rule_set_outside_the_workspace_is_refused_without_its_content(
    sample_ws: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    secret = _secret(tmp_path)
    name = str(secret) if form == "absolute" else "../bi-mat.txt"
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", f"bo_quy_tac: {name}")
    output = _check(sample_ws, runner, monkeypatch)
    assert f"{SETTING}bộ quy tắc '{name}' ({secret}) {OUTSIDE}" in output
    assert "hunter2" not in output


def test_etc_passwd_is_not_quoted(sample_ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: /etc/passwd")
    output = _check(sample_ws, runner, monkeypatch)
    assert f"{SETTING}bộ quy tắc '/etc/passwd' (/etc/passwd) {OUTSIDE}" in output
    assert "root:" not in output


def test_a_symlink_in_the_workspace_to_a_file_outside_is_refused(
    sample_ws: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = _secret(tmp_path)
    (sample_ws / "quy-tac.yaml").symlink_to(secret)
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")
    output = _check(sample_ws, runner, monkeypatch)
    assert f"{SETTING}bộ quy tắc 'quy-tac.yaml' ({secret}) {OUTSIDE}" in output
    assert "hunter2" not in output


def test_a_builtin_name_cannot_climb_out_of_the_rules_folder(
    sample_ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a name without "/" nor ".yaml" is a built-in name; ".." alone stays in rules/
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: ..")
    output = _check(sample_ws, runner, monkeypatch)
    assert f"{SETTING}không tìm thấy bộ quy tắc '..'" in output


def test_a_copy_inside_the_workspace_is_used(
    sample_ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sample_ws / "quy-tac").mkdir()
    shutil.copy(REPO / "rules" / "qd366-2025.yaml", sample_ws / "quy-tac" / "bo.yaml")
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac/bo.yaml")
    monkeypatch.chdir(sample_ws)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output


def test_an_invalid_copy_inside_the_workspace_is_still_reported_with_its_value(
    sample_ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the workspace's own file: quoting what it holds is how the secretary finds the mistake
    (sample_ws / "bo.yaml").write_text("chi la mot dong chu\n", encoding="utf-8")
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: bo.yaml")
    output = _check(sample_ws, runner, monkeypatch)
    assert "bo.yaml:1:1:" in output and "chi la mot dong chu" in output


def test_the_builtin_rule_set_by_a_path_into_the_rules_folder(
    sample_ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.resources import builtin_dir

    target = builtin_dir("rules") / "qd366-2025.yaml"
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", f"bo_quy_tac: {target}")
    monkeypatch.chdir(sample_ws)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
