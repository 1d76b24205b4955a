"""Golden text dumps of the sample documents (review changes with --update-golden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.docxread import text_dump
from docgen.pipeline import render_documents
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE, SAMPLE_CELLS


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden")
    render_documents(load_workspace(SAMPLE), "ke-hoach", year=2026, output_root=root)
    return root


@pytest.mark.parametrize("cell", SAMPLE_CELLS)
def test_plan_text(out: Path, cell: str, golden) -> None:
    golden(f"ke-hoach-{cell}.txt", text_dump(out / "ngoc-ha" / cell / "2026" / "ke-hoach.docx"))
