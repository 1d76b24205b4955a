"""The publishing path (docgen/issue.py) and the one place output paths are named
(docgen/output.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.cli import cli
from docgen.documents import get_kind
from docgen.documents.base import cite_mark
from docgen.docxread import text_dump
from docgen.errors import OutputError
from docgen.issue import issue_documents, render_prepared
from docgen.output import bundle_path, draft_path, manifest_path, output_path, ward_folder
from docgen.register import Register
from docgen.templates import Renderer
from docgen.workspace import load_workspace
from tests.conftest import REPO, edit_yaml

SCHOOL = "truong-tieu-hoc-hoa-sua"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def render(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["render", *args, "--nam", "2026", "-w", "data", "-o", "out"])


def symbol(ws: Path, identity: str) -> str:
    return next(e.ky_hieu for e in Register.of(ws).entries() if e.danh_tinh == identity)


def test_output_paths_are_named_in_one_place() -> None:
    assert output_path("ngoc-ha", "to-dan-pho-5", 2026, "ke-hoach.docx") == Path(
        "ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx"
    )
    assert output_path("ngoc-ha", None, 2026, "tong-hop-quy-3.docx") == Path("ngoc-ha/2026/tong-hop-quy-3.docx")
    assert draft_path(Path("ngoc-ha/to-dan-pho-5/2026/bao-cao-nam.docx")) == Path(
        "ngoc-ha/to-dan-pho-5/2026/bao-cao-nam-du-thao.docx"
    )
    assert manifest_path("ngoc-ha", 2026, "quy-3") == Path("ngoc-ha/2026/manifest-quy-3.json")
    assert bundle_path("ngoc-ha", 2026, "nam") == Path("ngoc-ha/2026/tap-van-ban-nam.docx")
    assert ward_folder("ngoc-ha") == Path("ngoc-ha")


def test_no_document_module_builds_an_output_path_or_reads_the_register() -> None:
    for path in sorted((REPO / "docgen" / "documents").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) docgen\.register", text, re.M), path.name
        assert not re.search(r"Path\(ws\.dang_bo\.ma\)", text), path.name
    for path in (REPO / "docgen" / "pipeline.py", REPO / "docgen" / "batch.py"):
        text = path.read_text(encoding="utf-8")
        assert "issue_documents(" in text, path.name
        for step in ("number_documents(", "render_prepared(", "check_issue(", "record_issue(", "release_numbers("):
            assert step not in text, (path.name, step)


def test_issue_documents_writes_numbers_and_records(ws: Path, tmp_path: Path) -> None:
    workspace = load_workspace(ws)
    cell = workspace.load_cell("to-dan-pho-5")
    items = get_kind("ke-hoach").prepare(workspace, cell, 2026, None)
    issued = issue_documents(
        workspace, items, output_root=tmp_path / "out", templates_dir=None, renderer=Renderer()
    )
    target = (tmp_path / "out/ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx").resolve()
    assert issued.targets == [target]
    assert issued.issued == {target: ("01-KH/CB", "moi")}
    assert target.read_bytes() == issued.rendered[0].data
    assert set(issued.source_digests) == set(items[0].sources)
    again = get_kind("ke-hoach").prepare(workspace, cell, 2026, None)
    second = issue_documents(
        workspace, again, output_root=tmp_path / "out", templates_dir=None, renderer=Renderer(), draft=True
    )
    draft = (tmp_path / "out/ngoc-ha/to-dan-pho-5/2026/ke-hoach-du-thao.docx").resolve()
    assert second.targets == [draft]
    assert second.issued == {draft: ("    -KH/CB", "du_thao")}


def test_a_failed_issue_writes_nothing_and_gives_the_numbers_back(ws: Path, tmp_path: Path) -> None:
    workspace = load_workspace(ws)
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "  so: 1\n", "")
    items = get_kind("ke-hoach").prepare(workspace, workspace.load_cell("to-dan-pho-5"), 2026, None)
    blocked = tmp_path / "out"
    blocked.write_text("a file where the output folder should be", encoding="utf-8")
    with pytest.raises(OutputError):
        issue_documents(workspace, items, output_root=blocked, templates_dir=None, renderer=Renderer())
    assert Register.of(ws).entries() == []


def test_minutes_cite_a_resolution_issued_in_the_same_run(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / f"chi-bo/{SCHOOL}/2025-2026/phan-cong.yaml", "  so: 1\n", "")
    result = render(runner, "bien-ban", "phan-cong", "--chi-bo", SCHOOL)
    assert result.exit_code == 0, result.output
    number = symbol(ws, f"ngoc-ha/{SCHOOL}/2026/phan-cong")
    text = text_dump(Path(f"out/ngoc-ha/{SCHOOL}/2026/bien-ban-phan-cong.docx"))
    assert f"năm học 2025-2026 (Nghị quyết số {number}): " in text


def test_a_notice_cites_its_plan_by_the_number_the_register_gave_it(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "  so: 1\n", "")
    # not issued yet: cited without a number (a draft does not reach the register)
    assert render(runner, "phan-cong", "--chi-bo", "to-dan-pho-5", "--draft").exit_code == 0
    draft = text_dump(Path("out/ngoc-ha/to-dan-pho-5/2026/phan-cong-du-thao.docx"))
    assert "- Căn cứ Kế hoạch ngày 05/01/2026 của Chi bộ" in draft
    assert render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5").exit_code == 0
    assert render(runner, "phan-cong", "--chi-bo", "to-dan-pho-5").exit_code == 0
    number = symbol(ws, "ngoc-ha/to-dan-pho-5/2026/ke-hoach")
    issued = text_dump(Path("out/ngoc-ha/to-dan-pho-5/2026/phan-cong.docx"))
    assert f"- Căn cứ Kế hoạch số {number} ngày 05/01/2026 của Chi bộ" in issued


def test_rendered_outside_the_issuing_path_a_citation_takes_the_typed_number(ws: Path) -> None:
    workspace = load_workspace(ws)
    (item,) = get_kind("phan-cong").prepare(workspace, workspace.load_cell("to-dan-pho-5"), 2026, None)
    assert cite_mark("ke_hoach") in item.context["can_cu"][1]
    (rendered,), _ = render_prepared([item], Renderer(), None)
    assert item.cites == {}
    assert item.context["can_cu"][1].startswith("Căn cứ Kế hoạch số 01-KH/CB ngày 05/01/2026")
    assert "\ue000" not in rendered.data.decode("utf-8", "replace")
