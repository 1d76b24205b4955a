"""The workspace names the ward office's template folder; --templates overrides it."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import InputError
from docgen.pipeline import render_documents
from docgen.templates import BUILTIN_DIR
from docgen.workspace import load_workspace

OUT = Path("ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx")


def set_template_dir(ws: Path, folder: str) -> None:
    text = (ws / "dang-bo.yaml").read_text(encoding="utf-8")
    assert "\ncai_dat:\n" in text
    text = text.replace("\ncai_dat:\n", f"\ncai_dat:\n  thu_muc_mau: {folder}\n", 1)
    (ws / "dang-bo.yaml").write_text(text, encoding="utf-8")


def test_setting_names_the_folder(sample_ws: Path) -> None:
    (sample_ws / "mau").mkdir()
    set_template_dir(sample_ws, "mau")
    assert load_workspace(sample_ws).templates_dir == sample_ws / "mau"


def test_no_setting_means_builtin(sample_ws: Path) -> None:
    assert load_workspace(sample_ws).templates_dir is None


def test_missing_folder_is_a_located_input_error(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_ws.parent)
    set_template_dir(sample_ws, "mau-cu")
    with pytest.raises(InputError) as info:
        load_workspace(Path("data"))
    (line,) = info.value.lines()
    assert line.startswith("data/dang-bo.yaml:")
    assert ": cai_dat.thu_muc_mau: không có thư mục mẫu data/mau-cu " in line


def _marked_copy(folder: Path) -> Path:
    """A copy of the built-in plan template whose closing paragraph says something else."""
    import zipfile

    folder.mkdir(exist_ok=True)
    target = folder / "ke-hoach.docx"
    with zipfile.ZipFile(BUILTIN_DIR / "ke-hoach.docx") as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                old = "nghiêm túc thực hiện."
                assert old.encode() in data
                data = data.replace(old.encode(), "MẪU RIÊNG.".encode())
            zout.writestr(info, data)
    return target


def test_workspace_folder_is_used_and_option_overrides_it(sample_ws: Path, tmp_path: Path) -> None:
    from docgen.docxread import text_dump

    _marked_copy(sample_ws / "mau")
    set_template_dir(sample_ws, "mau")
    ws = load_workspace(sample_ws)
    render_documents(ws, "ke-hoach", year=2026, cells=["to-dan-pho-5"], output_root=tmp_path / "a")
    assert "MẪU RIÊNG." in text_dump(tmp_path / "a" / OUT)
    empty = tmp_path / "rong"
    empty.mkdir()
    render_documents(  # another template, another document: a deliberate re-issue
        ws, "ke-hoach", year=2026, cells=["to-dan-pho-5"], output_root=tmp_path / "b",
        templates_dir=empty, reissue=True,
    )
    assert "MẪU RIÊNG." not in text_dump(tmp_path / "b" / OUT)
    assert "nghiêm túc thực hiện." in text_dump(tmp_path / "b" / OUT)


def test_other_kinds_fall_back_to_builtin(sample_ws: Path, tmp_path: Path) -> None:
    import hashlib

    import docx

    _marked_copy(sample_ws / "mau")
    set_template_dir(sample_ws, "mau")
    result = render_documents(load_workspace(sample_ws), "phan-cong", year=2026, output_root=tmp_path / "out")
    assert result.written
    builtin = hashlib.sha256((BUILTIN_DIR / "phan-cong-thong-bao.docx").read_bytes()).hexdigest()
    comments = docx.Document(str(result.written[0])).core_properties.comments
    assert comments.endswith(f"mẫu phan-cong-thong-bao.docx; sha256 mẫu {builtin}")


def test_cli_templates_option_must_exist(runner, sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.cli import cli

    monkeypatch.chdir(sample_ws.parent)
    result = runner.invoke(cli, ["render", "ke-hoach", "--nam", "2026", "--templates", "khong-co"])
    assert result.exit_code == 2
    assert result.stderr == "Lỗi: không tìm thấy thư mục mẫu khong-co\n"
    assert not (sample_ws.parent / "output").exists()
