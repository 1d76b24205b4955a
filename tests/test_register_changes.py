"""The refusal to overwrite an issued document says what changed since it was issued
(issue 16, item 6): which source files, the template, or docgen's rendering itself."""

from __future__ import annotations

import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen.issue
from docgen.cli import cli
from docgen.errors import NumberClash
from docgen.register import REGISTER_FILE, Inputs, Register
from docgen.templates import locate_template
from docgen.workspace import load_workspace
from tests.conftest import edit_yaml

CELL = "chi-bo/to-dan-pho-5"
PLAN = f"data/{CELL}/2026/phan-cong.yaml"
REFUSED = "01-TB/CB ngày 05/02/2026 đã được ban hành với nội dung khác"
HINT = "; docgen không ghi đè văn bản đã ban hành (thêm --reissue nếu muốn ban hành lại"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def assignments(runner: CliRunner, *extra: str) -> object:
    return runner.invoke(
        cli,
        ["render", "phan-cong", "--chi-bo", "to-dan-pho-5", "--nam", "2026", "-o", "out", *extra],
    )


def what_changed(result: object) -> str:
    """The refusal's new part: what changed since the document was issued."""
    assert result.exit_code == 1  # type: ignore[attr-defined]
    stderr = result.stderr  # type: ignore[attr-defined]
    assert f"{PLAN}:6:7: phan_cong_nhiem_vu.so: văn bản số {REFUSED}; " in stderr
    found = re.search(rf"{REFUSED}; (.*?){re.escape(HINT)}", stderr)
    assert found is not None, stderr
    return found.group(1)


def test_a_roster_change_names_the_roster_files_not_the_assignment_file(
    runner: CliRunner, ws: Path
) -> None:
    assert assignments(runner).exit_code == 0
    edit_yaml(
        ws / CELL / "chi-bo.yaml",
        "  chi_uy_vien:\n    - dv03\n",
        "  chi_uy_vien:\n    - dv03\n    - dv01\n",
    )
    changed = what_changed(assignments(runner))
    assert changed == f"đã thay đổi từ khi ban hành: data/{CELL}/chi-bo.yaml"
    assert "phan-cong.yaml" not in changed

    edit_yaml(ws / CELL / "dang-vien.yaml", "ho_ten: Tạ Diệu Thảo", "ho_ten: Tạ Diệu Thảo Anh")
    changed = what_changed(assignments(runner))
    assert changed == (
        f"đã thay đổi từ khi ban hành: data/{CELL}/chi-bo.yaml, data/{CELL}/dang-vien.yaml"
    )

    reissued = assignments(runner, "--reissue")
    assert reissued.exit_code == 0, reissued.stderr
    edit_yaml(
        ws / CELL / "2026/phan-cong.yaml", "Danh sách thanh niên đăng ký", "Danh sách thanh niên"
    )
    assert what_changed(assignments(runner)) == f"đã thay đổi từ khi ban hành: {PLAN}"


def test_a_template_change_names_the_template(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    assert assignments(runner).exit_code == 0
    # The same template, stored without compression: other bytes, the same content.
    folder = ws.parent / "mau"
    folder.mkdir()
    with (
        zipfile.ZipFile(locate_template("phan-cong-thong-bao.docx")) as source,
        zipfile.ZipFile(folder / "phan-cong-thong-bao.docx", "w", zipfile.ZIP_STORED) as copy,
    ):
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info))
    changed = what_changed(assignments(runner, "--templates", "mau"))
    assert changed == "đã thay đổi từ khi ban hành: mẫu mau/phan-cong-thong-bao.docx"

    edit_yaml(
        ws / CELL / "chi-bo.yaml",
        "  chi_uy_vien:\n    - dv03\n",
        "  chi_uy_vien:\n    - dv03\n    - dv01\n",
    )
    changed = what_changed(assignments(runner, "--templates", "mau"))
    assert (
        changed
        == f"đã thay đổi từ khi ban hành: data/{CELL}/chi-bo.yaml, mẫu mau/phan-cong-thong-bao.docx"
    )
    # A built-in template is named by its file name.
    shutil.rmtree(folder)
    changed = what_changed(assignments(runner))
    assert changed == f"đã thay đổi từ khi ban hành: data/{CELL}/chi-bo.yaml"


def test_the_same_inputs_rendered_otherwise_blame_docgen(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert assignments(runner).exit_code == 0
    monkeypatch.setattr(docgen.issue, "__version__", "99.0.0")  # stamped in the document
    changed = what_changed(assignments(runner))
    assert changed.startswith("dữ liệu và mẫu không đổi từ khi ban hành, docgen đã dựng khác")
    assert "đã thay đổi từ khi ban hành:" not in changed


def test_the_rule_set_is_named_as_such(runner: CliRunner, ws: Path) -> None:
    quarter = [
        "render",
        "bao-cao-quy",
        "--quy",
        "3",
        "--chi-bo",
        "to-dan-pho-5",
        "--nam",
        "2026",
        "-o",
        "out",
    ]
    assert runner.invoke(cli, quarter).exit_code == 0
    own = ws / "quy-tac.yaml"
    rules = load_workspace(ws).rules_path
    own.write_text(
        rules.read_text(encoding="utf-8").replace(
            "ten: Hoàn thành tốt nhiệm vụ", "ten: Hoàn thành tốt các nhiệm vụ"
        ),
        encoding="utf-8",
    )
    edit_yaml(ws / "dang-bo.yaml", f"bo_quy_tac: {rules.stem}", "bo_quy_tac: quy-tac.yaml")
    refused = runner.invoke(cli, quarter)
    assert refused.exit_code == 1
    assert (
        "đã thay đổi từ khi ban hành: data/dang-bo.yaml, bộ quy tắc data/quy-tac.yaml, "
        f"có sẵn rules/{rules.name} (không còn dùng); docgen không ghi đè"
    ) in refused.stderr
    assert runner.invoke(cli, [*quarter, "--reissue"]).exit_code == 0
    edit_yaml(own, "ten: Hoàn thành tốt các nhiệm vụ", "ten: Hoàn thành tốt mọi nhiệm vụ")
    refused = runner.invoke(cli, quarter)
    assert "đã thay đổi từ khi ban hành: bộ quy tắc data/quy-tac.yaml; docgen" in refused.stderr


def test_a_register_of_the_previous_schema_still_works(runner: CliRunner, ws: Path) -> None:
    assert assignments(runner).exit_code == 0
    register = ws / REGISTER_FILE
    with sqlite3.connect(register) as db:  # as the previous schema left it: no file hashes
        db.execute("DROP TABLE tep_nguon")
    db.close()
    # Reading neither fails nor changes it (a copy on read-only media stays readable).
    book = Register.of(ws)
    assert [e.ky_hieu for e in book.entries()] == ["01-TB/CB"]
    inputs = Inputs(
        template="t.docx", template_sha256="0" * 64, sources_sha256="1" * 64, sources=()
    )
    with pytest.raises(
        NumberClash, match="đã thay đổi từ khi ban hành: dữ liệu nguồn, mẫu t.docx; "
    ):
        book.check("ngoc-ha/to-dan-pho-5/2026/phan-cong", "2" * 64, False, inputs)
    with sqlite3.connect(register) as db:
        assert (
            db.execute("SELECT name FROM sqlite_master WHERE name = 'tep_nguon'").fetchall() == []
        )
    db.close()
    # The identical document is recognised.
    assert "(số 01-TB/CB, giống bản đã ban hành)" in assignments(runner).stdout
    edit_yaml(
        ws / CELL / "chi-bo.yaml",
        "  chi_uy_vien:\n    - dv03\n",
        "  chi_uy_vien:\n    - dv03\n    - dv01\n",
    )
    assert what_changed(assignments(runner)) == "đã thay đổi từ khi ban hành: dữ liệu nguồn"
    # Issued again, it keeps each file's hash from then on.
    reissued = assignments(runner, "--reissue")
    assert reissued.exit_code == 0, reissued.stderr
    with sqlite3.connect(register) as db:
        kept = [row[0] for row in db.execute("SELECT tep FROM tep_nguon ORDER BY thu_tu")]
    db.close()
    assert kept == [
        "dang-bo.yaml",
        f"{CELL}/chi-bo.yaml",
        f"{CELL}/dang-vien.yaml",
        f"{CELL}/2026/ke-hoach.yaml",
        f"{CELL}/2026/phan-cong.yaml",
    ]
    edit_yaml(ws / CELL / "dang-vien.yaml", "ho_ten: Tạ Diệu Thảo", "ho_ten: Tạ Diệu Thảo Anh")
    assert (
        what_changed(assignments(runner))
        == f"đã thay đổi từ khi ban hành: data/{CELL}/dang-vien.yaml"
    )
