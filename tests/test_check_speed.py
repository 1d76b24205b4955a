"""``docgen check`` does each piece of work once, and imports only what it uses (issue 19).

Work is counted, not timed: each quarter and year of the sample is evaluated once in a
check; ``docgen check`` and ``docgen --help`` do not import the rendering libraries.
What is remembered for a run (``documents.base.remembered``) gives the same results,
the same problems and the same legacy-text warnings as computing again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import docgen.documents.bao_cao_nam as bao_cao_nam
import docgen.documents.bao_cao_quy as bao_cao_quy
import docgen.documents.tong_hop_quy as tong_hop_quy
import docgen.rules.year as rules_year
from docgen.documents.bao_cao_quy import load_evaluated_quarter
from docgen.documents.base import remembered, run_cell
from docgen.errors import InputError
from docgen.pipeline import check_workspace
from docgen.rules.period import folder_year
from docgen.workspace import load_workspace
from docgen.yamlsource import watch_legacy

REPO = Path(__file__).resolve().parent.parent
TCVN3_PASTED = "ViÖc cËp nhËt sæ s¸ch"


def _counting(monkeypatch: pytest.MonkeyPatch, name: str, modules: list[Any]) -> Counter[tuple[Any, ...]]:
    """Count the calls of the function ``name`` wherever ``modules`` imported it, by
    (cell id, its int arguments)."""
    calls: Counter[tuple[Any, ...]] = Counter()
    original = getattr(modules[0], name)

    def counted(cell: Any, *args: Any, **kwargs: Any) -> Any:
        calls[(cell.cell_id, *(a for a in args if isinstance(a, int) and not isinstance(a, bool)))] += 1
        return original(cell, *args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, name, counted)
    return calls


def year_of(folder: str) -> int:
    """The year a year folder holds (``2025-2026`` is the school year 2026)."""
    parsed = folder_year(folder)
    assert parsed is not None
    return parsed[0]


def test_check_evaluates_each_quarter_and_year_once(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quarters = _counting(monkeypatch, "evaluate_quarter", [bao_cao_quy, tong_hop_quy, rules_year])
    years = _counting(monkeypatch, "evaluate_year", [bao_cao_nam])
    report = check_workspace(load_workspace(sample_ws))
    assert report.documents
    quarter_files = {
        (p.parent.parent.name, year_of(p.parent.name), int(p.stem.removeprefix("quy-")))
        for p in (sample_ws / "chi-bo").glob("*/*/quy-*.yaml")
    }
    year_files = {(p.parent.parent.name, year_of(p.parent.name)) for p in (sample_ws / "chi-bo").glob("*/*/nam.yaml")}
    # the school cell has quarter I of 2026-2027 beside its four of 2025-2026
    assert len(quarter_files) == 17 and len(year_files) == 4
    # each quarter once (the report, its minutes, the year and the ward's summary share it)
    assert {key[:3] for key in quarters} == quarter_files
    assert set(quarters.values()) == {1}
    assert {key[:2] for key in years} == year_files
    assert set(years.values()) == {1}


def test_a_second_check_of_the_workspace_says_the_same(sample_ws: Path) -> None:
    quarter = sample_ws / "chi-bo" / "to-dan-pho-5" / "2026" / "quy-3.yaml"
    text = quarter.read_text(encoding="utf-8")
    quarter.write_text(text.replace("ly_do: Điều trị tại bệnh viện", f"ly_do: {TCVN3_PASTED}", 1), encoding="utf-8")
    ws = load_workspace(sample_ws)
    first, second = check_workspace(ws), check_workspace(ws)
    assert first.documents == second.documents
    assert first.warnings == second.warnings
    legacy = [w for w in first.warnings if "bảng mã cũ" in w]
    assert len(legacy) == 1 and "quy-3.yaml:13:" in legacy[0]


def test_a_remembered_evaluation_tells_its_legacy_warnings_every_time(sample_ws: Path) -> None:
    quarter = sample_ws / "chi-bo" / "to-dan-pho-5" / "2026" / "quy-3.yaml"
    text = quarter.read_text(encoding="utf-8")
    quarter.write_text(text.replace("ly_do: Điều trị tại bệnh viện", f"ly_do: {TCVN3_PASTED}", 1), encoding="utf-8")
    ws = load_workspace(sample_ws)
    cell = run_cell(ws, "to-dan-pho-5")
    results = []
    for _ in range(2):
        with watch_legacy() as told:
            results.append(load_evaluated_quarter(ws, cell, 2026, 3))
        assert [(p.file, p.line) for p in dict.fromkeys(told)] == [(str(quarter), 13)]
    assert results[0] is results[1]
    assert run_cell(ws, "to-dan-pho-5") is cell


def test_a_remembered_failure_raises_the_same_problems_once_each(sample_ws: Path) -> None:
    quarter = sample_ws / "chi-bo" / "to-dan-pho-5" / "2026" / "quy-3.yaml"
    text = quarter.read_text(encoding="utf-8")
    quarter.write_text(text.replace("dang_vien: dv14", "dang_vien: dv99", 1), encoding="utf-8")
    ws = load_workspace(sample_ws)
    with pytest.raises(InputError) as caught:
        check_workspace(ws)
    unknown = [line for line in caught.value.lines() if "dv99" in line]
    assert len(unknown) == 1
    assert unknown[0].startswith(f"{quarter}:12:")
    cell = run_cell(ws, "to-dan-pho-5")
    raised = []
    for _ in range(2):
        with pytest.raises(InputError) as again:
            load_evaluated_quarter(ws, cell, 2026, 3)
        raised.append(again.value.lines())
    assert raised[0] == raised[1] and unknown[0] in raised[0]


def test_remembered_computes_once_and_forgets_nothing_but_os_errors(sample_ws: Path) -> None:
    ws = load_workspace(sample_ws)
    calls = []

    def compute() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("not yet")
        return len(calls)

    with pytest.raises(OSError):
        remembered(ws, "key", compute)
    assert remembered(ws, "key", compute) == 2
    assert remembered(ws, "key", compute) == 2
    assert len(calls) == 2


HEAVY = ("jinja2", "docxtpl", "lxml", "openpyxl", "starlette", "uvicorn", "docxcompose")


def _modules_after(args: list[str], cwd: Path) -> set[str]:
    """The top-level modules imported by ``docgen ARGS`` run in a new process."""
    code = (
        "import json, sys\n"
        "from docgen.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_check_imports_no_rendering_library(sample_ws: Path) -> None:
    found = _modules_after(["check", "-w", str(sample_ws)], REPO)
    assert "docgen" in found and "pydantic" in found
    assert not found & set(HEAVY)


def test_help_imports_neither_rendering_nor_models() -> None:
    found = _modules_after(["--help"], REPO)
    assert "click" in found
    assert not found & {*HEAVY, "pydantic", "yaml", "sqlite3"}
