"""The public API (``docgen.__all__``) without click: what the commands do, as functions
that return results, raise DocgenErrors and print nothing; and the rule that only
``docgen/cli/`` prints, exits or imports click."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import docgen
from docgen.errors import DocgenError, InputError, UsageError
from tests.conftest import REPO, edit_yaml

PACKAGE = REPO / "docgen"


def test_all_names_resolve_lazily() -> None:
    assert set(docgen.__all__) == {"__version__", *docgen._API}
    for name in docgen.__all__:
        assert getattr(docgen, name) is not None, name
    with pytest.raises(AttributeError):
        docgen.generate  # noqa: B018 - the old name is gone


def test_import_docgen_loads_nothing_heavy() -> None:
    code = (
        "import sys, docgen\n"
        "heavy = [m for m in ('click', 'pydantic', 'lxml', 'docxtpl', 'jinja2', 'docgen.pipeline') "
        "if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    assert out.strip() == "[]"


def test_load_check_render_batch(sample_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = docgen.load_workspace(sample_ws)
    report = docgen.check_workspace(ws)
    assert report.cells == 4 and report.members > 0
    result = docgen.render_documents(
        ws, "bao-cao-quy", year=2026, quarter=3, cells=["to-dan-pho-5"], output_root=tmp_path / "r"
    )
    assert [p.name for p in result.written] == ["bao-cao-quy-3.docx"]
    number, state = result.issued[result.written[0]]
    assert number.endswith("-BC/CB") and state
    batch = docgen.run_batch(sample_ws, year=2026, quarter=3, output_root=tmp_path / "b", jobs=1, bundle=True)
    assert not batch.failed and batch.ward == "ngoc-ha"
    assert batch.manifest is not None and batch.manifest.is_file()
    assert batch.bundle == tmp_path / "b/ngoc-ha/2026/tap-van-ban-quy-3.docx" and batch.bundle.is_file()
    assert batch.pdf is None and batch.bundle_error is None
    assert docgen.audit_documents([tmp_path / "b" / p for p in batch.written()]).ok
    assert capsys.readouterr() == ("", "")


def test_batch_progress_reports_finished_and_total(sample_ws: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    docgen.run_batch(
        sample_ws, year=2026, quarter=3, output_root=tmp_path, jobs=1, draft=True,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(i, 5) for i in range(6)]  # 4 cells and the ward summary


def test_evaluations_are_the_rules_results(sample_ws: Path) -> None:
    from docgen.rules.quarter import QuarterResult
    from docgen.rules.year import YearResult

    ws = docgen.load_workspace(sample_ws)
    quarter = docgen.evaluate_quarter(ws, "to-dan-pho-5", 2026, 3)
    assert isinstance(quarter, QuarterResult) and (quarter.year, quarter.quarter) == (2026, 3)
    assert quarter.members
    year = docgen.evaluate_year(ws, "to-dan-pho-5", 2026)
    assert isinstance(year, YearResult) and sorted(year.quarters) == [1, 2, 3, 4]
    with pytest.raises(UsageError):
        docgen.evaluate_quarter(ws, "khong-co", 2026, 3)


def test_register_entries_have_dates(sample_ws: Path, tmp_path: Path) -> None:
    ws = docgen.load_workspace(sample_ws)
    assert docgen.read_register(ws) == []
    docgen.render_documents(ws, ["ke-hoach"], year=2026, cells=["to-dan-pho-5"], output_root=tmp_path)
    entries = docgen.read_register(ws)
    assert len(entries) == 1 and isinstance(entries[0].issued_on, date)
    assert entries[0].issued_on.isoformat() == entries[0].ngay_ban_hanh
    written = docgen.export_register(ws, csv=tmp_path / "so.csv", xlsx=tmp_path / "so.xlsx")
    assert written == [tmp_path / "so.csv", tmp_path / "so.xlsx"]
    assert entries[0].ky_hieu in (tmp_path / "so.csv").read_text(encoding="utf-8-sig")


def test_task_progress_report(sample_ws: Path) -> None:
    ws = docgen.load_workspace(sample_ws)
    report = docgen.task_progress_report(ws, as_of=date(2026, 11, 15), within_days=20, cell_id="to-dan-pho-5")
    [cell] = report.cells
    assert cell.cell_id == "to-dan-pho-5" and cell.rows  # the recurring tasks due 30/11
    assert report.overdue + report.due_soon == len(cell.rows) == 2
    other_year = docgen.task_progress_report(ws, as_of=date(2031, 1, 5), within_days=14)
    assert [c.rows for c in other_year.cells] == [None] * 4  # no assignment file that year


def test_templates_and_roster(tmp_path: Path, sample_ws: Path) -> None:
    infos = docgen.list_templates()
    assert infos and not any(i.own for i in infos)
    written = docgen.export_templates(tmp_path / "mau")
    assert written[-1].name == "HUONG-DAN-MAU.md"
    with pytest.raises(DocgenError):
        docgen.export_templates(tmp_path / "mau")  # already there, no force
    check = docgen.check_templates(tmp_path / "mau")
    assert check.errors == 0 and check.checked == len(infos) and not check.missing
    count = docgen.export_roster(sample_ws, "to-dan-pho-5", target=tmp_path / "ds.xlsx", year=2026)
    assert count > 0 and (tmp_path / "ds.xlsx").is_file()
    docgen.write_roster_template(tmp_path / "mau.xlsx")
    assert (tmp_path / "mau.xlsx").is_file()


def test_errors_are_raised_not_printed(
    sample_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UsageError):
        docgen.load_workspace(tmp_path / "khong-co")
    ws = docgen.load_workspace(sample_ws)
    with pytest.raises(UsageError, match="cần ghi --quy"):
        docgen.render_documents(ws, ["bao-cao-quy"], year=2026, output_root=tmp_path)
    edit_yaml(sample_ws / "chi-bo/to-dan-pho-5/2026/quy-3.yaml", "so_phai_dong: 26", "so_phai_dong: hai")
    with pytest.raises(InputError) as caught:
        docgen.evaluate_quarter(docgen.load_workspace(sample_ws), "to-dan-pho-5", 2026, 3)
    assert any("so_phai_dong" in line for line in caught.value.lines())
    cell = docgen.CellAnswers(cell_id="Khu Phố 3", name="Chi bộ Khu phố 3", kind="khac", secretary="Nguyễn Văn An", year=2026)
    with pytest.raises(UsageError, match="mã chi bộ 'Khu Phố 3' không hợp lệ"):
        docgen.init_cell(tmp_path / "moi", None, cell)
    with pytest.raises(UsageError):
        docgen.audit_documents([tmp_path / "khong-co.docx"])
    assert not (tmp_path / "moi").exists()
    assert capsys.readouterr() == ("", "")


# ------------------------------------------------------------------ only the CLI talks

def _talks(path: Path) -> list[str]:
    """Where ``path`` imports click, calls print(), raises SystemExit or calls (sys.)exit."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "click" for a in node.names):
            found.append(f"{line}: import click")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "click":
            found.append(f"{line}: from click import")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in {"print", "exit", "_exit", "quit"}:
                found.append(f"{line}: {name}()")
        elif isinstance(node, ast.Name) and node.id == "SystemExit":
            found.append(f"{line}: SystemExit")
    return found


def test_only_the_cli_prints_exits_or_imports_click() -> None:
    offenders = {
        path.relative_to(REPO).as_posix(): talks
        for path in sorted(PACKAGE.rglob("*.py"))
        if "cli" not in path.relative_to(PACKAGE).parts[:1] and (talks := _talks(path))
    }
    assert offenders == {}


def test_the_check_sees_each_kind_of_talk(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        "import click\nfrom click import echo\nimport sys\n"
        "def f():\n    print('x')\n    sys.exit(1)\n    raise SystemExit(2)\n",
        encoding="utf-8",
    )
    assert [t.split(": ")[1] for t in _talks(planted)] == [
        "import click", "from click import", "print()", "exit()", "SystemExit",
    ]
    assert _talks(PACKAGE / "cli" / "__init__.py")  # the CLI does talk


# ------------------------------------------------------------------ the documented example

def test_architecture_example_runs(sample_ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text[text.index("## Thư viện / Public API"):]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    monkeypatch.chdir(sample_ws.parent)  # the example reads ./data
    exec(compile(code.group(1), "docs/architecture.md", "exec"), {"__name__": "example"})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("4 chi bộ, ")
    written = [Path(line) for line in lines[1:]]
    assert [p.name for p in written] == ["bao-cao-quy-3-du-thao.docx"]
    assert all(p.is_file() for p in written)
