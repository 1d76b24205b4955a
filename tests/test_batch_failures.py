"""A batch with a failing template (issue 20, finding 10): the template is checked once
for the whole batch, not once per cell, and the ward's summary is not issued over cells
whose report could not be made."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import docgen.lint
from docgen.batch import run_batch
from docgen.templates import BUILTIN_DIR
from tests.conftest import SAMPLE_CELLS
from tests.wordedit import edit_document, replace


@pytest.fixture
def broken(sample_ws: Path) -> Path:
    """The sample workspace with a bao-cao-quy.docx of its own that fails the check."""
    folder = sample_ws / "mau"
    folder.mkdir()
    shutil.copy(BUILTIN_DIR / "bao-cao-quy.docx", folder / "bao-cao-quy.docx")
    edit_document(folder / "bao-cao-quy.docx", replace("{{ trich_yeu }}", "{{ trich_yeu }}{{ 1 / 0 }}"))
    text = (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8")
    (sample_ws / "dang-bo.yaml").write_text(text.replace("\ncai_dat:\n", "\ncai_dat:\n  thu_muc_mau: mau\n", 1), encoding="utf-8")
    return sample_ws


def test_a_failing_template_is_checked_once_per_batch(
    broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    original = docgen.lint.compile_checked

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        checked.append(path.name)
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(docgen.lint, "compile_checked", counting)  # templates imports it when compiling
    result = run_batch(broken, year=2026, quarter=3, output_root=tmp_path / "out", jobs=1)
    assert checked.count("bao-cao-quy.docx") == 1  # main: once per cell (4)
    reports = [r for r in result.records if r.kind == "bao-cao-quy"]
    assert [r.cell for r in reports] == SAMPLE_CELLS
    assert {r.status for r in reports} == {"loi"}
    first = reports[0].errors
    assert first[0].startswith("mẫu ") and "bao-cao-quy.docx: " in first[0]
    assert "chạy thử với dữ liệu mẫu: mẫu tính toán sai (ZeroDivisionError" in first[0]
    assert all(r.errors == first for r in reports)  # the same located message for each


@pytest.mark.slow
def test_parallel_workers_do_not_check_a_refused_template_again(broken: Path, tmp_path: Path) -> None:
    result = run_batch(broken, year=2026, quarter=3, output_root=tmp_path / "out", jobs=2)
    reports = [r for r in result.records if r.kind == "bao-cao-quy"]
    assert {r.status for r in reports} == {"loi"}
    assert len({tuple(r.errors) for r in reports}) == 1


def test_the_summary_is_not_issued_over_cells_whose_report_failed(broken: Path, tmp_path: Path) -> None:
    result = run_batch(broken, year=2026, quarter=3, output_root=tmp_path / "out", jobs=1)
    summary = [r for r in result.records if r.kind == "tong-hop-quy"]
    assert len(summary) == 1 and summary[0].status == "loi"  # main: issued, "4 chi bộ đã báo cáo"
    assert summary[0].number is None
    assert summary[0].errors == [
        "chưa tổng hợp được vì báo cáo của 4 chi bộ chưa làm được trong lần chạy này "
        f"({', '.join(SAMPLE_CELLS)}): bản tổng hợp sẽ tính các chi bộ đó là đã báo cáo; "
        "sửa lỗi của từng chi bộ rồi chạy lại"
    ]
    assert not (tmp_path / "out/ngoc-ha/2026/tong-hop-quy-3.docx").exists()
