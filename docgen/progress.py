"""Where a cell stands: its members' tasks overdue or due soon (``docgen progress``), and
its computed quarter and year (the rules' results behind the reports).

Everything here is computed, never worded: the command line words the rows with the
functions of ``documents/wording.py``, as the quarterly report does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import Collector

if TYPE_CHECKING:
    from docgen.rules.quarter import QuarterResult
    from docgen.rules.tasks import ProgressRow
    from docgen.rules.year import YearResult
    from docgen.workspace import Cell, Workspace

__all__ = [
    "CellProgress",
    "ProgressReport",
    "evaluate_quarter",
    "evaluate_year",
    "task_progress_report",
]


@dataclass(frozen=True)
class CellProgress:
    """One cell's tasks to chase on a date."""

    cell_id: str
    name: str
    #: where the cell's assignment files of the year are (a glob pattern)
    assignment_files: Path
    #: the tasks overdue or due soon, overdue first; None: no assignment file this year
    rows: list[ProgressRow] | None

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.rows or [])

    @property
    def due_soon(self) -> int:
        return len(self.rows or []) - self.overdue


@dataclass(frozen=True)
class ProgressReport:
    """The tasks overdue on ``as_of`` or due within ``within_days`` of it, per cell."""

    as_of: date
    within_days: int
    cells: list[CellProgress] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.cells)

    @property
    def due_soon(self) -> int:
        return sum(c.due_soon for c in self.cells)


def task_progress_report(
    ws: Workspace, *, as_of: date, within_days: int, cell_id: str | None = None
) -> ProgressReport:
    """The tasks of every cell (or of ``cell_id``) overdue on ``as_of`` or due within
    ``within_days`` days, from the assignment files of ``as_of``'s year; the same
    computation as the quarterly report's (``rules.tasks.task_progress``).

    Raises:
        UsageError: ``cell_id`` is not a cell of the ward.
        InputError: every problem of every cell's roster and assignment files at once.
    """
    from docgen.documents.phan_cong import GLOB

    cell_ids = [cell_id] if cell_id else ws.cell_ids()
    for each in cell_ids:
        ws.require_cell(each)
    collector = Collector()
    found = []
    for each in cell_ids:
        cell = collector.run(partial(ws.load_cell, each))
        if cell is None:
            continue
        rows = collector.run(partial(_rows, cell, as_of, within_days))
        if rows is not None:
            found.append((each, cell, rows))
    collector.raise_if_any()
    report = ProgressReport(as_of, within_days)
    for each, cell, rows in found:
        folder = cell.year_dir(as_of.year)
        has_file = any(folder.glob(GLOB))
        report.cells.append(CellProgress(each, cell.info.ten, folder / GLOB, rows if has_file else None))
    return report


def _rows(cell: Cell, as_of: date, within_days: int) -> list[ProgressRow]:
    from docgen.documents.phan_cong import assigned_tasks
    from docgen.rules.tasks import task_progress

    return task_progress(assigned_tasks(cell, as_of.year), cell.by_id, as_of, within_days)


def evaluate_quarter(ws: Workspace, cell_id: str, year: int, quarter: int) -> QuarterResult:
    """A cell's quarter as the rules compute it (levels, criteria, task counts): the one
    computation behind the quarterly report, its minutes and the ward summary.

    Raises:
        UsageError: ``cell_id`` is not a cell of the ward.
        InputError: the cell's roster, quarter file or assignment files are invalid.
    """
    from docgen.documents.bao_cao_quy import load_evaluated_quarter

    ws.require_cell(cell_id)
    return load_evaluated_quarter(ws, ws.load_cell(cell_id), year, quarter)[2]


def evaluate_year(ws: Workspace, cell_id: str, year: int) -> YearResult:
    """A cell's year as the rules compute it from its quarters, as the annual report does.

    Raises:
        UsageError: ``cell_id`` is not a cell of the ward.
        InputError: invalid files, missing scores, or proposals the rules do not allow.
    """
    from docgen.documents.bao_cao_nam import load_evaluated_year

    ws.require_cell(cell_id)
    return load_evaluated_year(ws, ws.load_cell(cell_id), year)[2]
