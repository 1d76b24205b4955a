"""Prepare and check: the documents of a run prepared from the workspace (load ->
validate -> context), then issued through the publishing path (docgen/issue.py); and
``docgen check``, which prepares everything without rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.documents import get_kind
from docgen.documents.base import (
    DocumentKind,
    Prepared,
    future_date_warning,
    run_cell,
    stray_inputs,
)
from docgen.errors import Collector, Problem, UsageError, display_path
from docgen.workspace import Cell, Workspace
from docgen.yamlsource import watch_legacy

if TYPE_CHECKING:  # rendering (jinja2, lxml) is imported where used: checking never renders
    from docgen.templates import Renderer

__all__ = [
    "CheckReport",
    "Result",
    "check_cell",
    "check_workspace",
    "prepare_all",
    "render_documents",
]


@dataclass
class Result:
    """What a run produced: written paths and warnings for the user."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: written path -> (number and symbol, register state: see issue.ISSUE_STATES)
    issued: dict[Path, tuple[str, str]] = field(default_factory=dict)


def prepare_all(
    ws: Workspace, kind: DocumentKind, cell_ids: list[str], nam: int, quy: int | None, *, ward_period: bool = False
) -> list[Prepared]:
    """Prepare ``kind`` for each cell (or the ward); every problem of every cell at once.

    ``ward_period``: ``nam``/``quy`` name the ward's (calendar) period, and a cell that
    reviews by school year gets its own period held in it (``YearKind.own_period``: the
    school quarter ending in that calendar quarter, with its year; a year alone is named
    alike by both kinds); else they name the cell's own."""
    collector = Collector()
    prepared: list[Prepared] = []
    if kind.scope == "dang_bo":
        prepared += _prepare_one(ws, kind, None, nam, quy, collector)
    else:
        for cell_id in cell_ids:
            cell = collector.run(partial(run_cell, ws, cell_id))
            if cell is None:
                continue
            own_year, own_quarter = cell.year_kind.own_period(nam, quy) if ward_period else (nam, quy)
            prepared += _prepare_one(ws, kind, cell, own_year, own_quarter, collector)
    collector.raise_if_any()
    return prepared


def _prepare_one(
    ws: Workspace, kind: DocumentKind, cell: Cell | None, nam: int, quy: int | None, collector: Collector
) -> list[Prepared]:
    """``kind.prepare_checked`` for one cell (or the ward): its problems into ``collector``."""
    return collector.run(partial(kind.prepare_checked, ws, cell, nam, quy)) or []


def render_documents(
    ws: Workspace,
    kinds: str | list[str],
    *,
    year: int,
    quarter: int | None = None,
    cells: list[str] | None = None,
    output_root: Path,
    templates_dir: Path | None = None,
    renderer: Renderer | None = None,
    draft: bool = False,
    reissue: bool = False,
) -> Result:
    """Produce the documents of one or more kinds (names of ``KIND_NAMES``) of ``year``
    (and ``quarter``, for a quarterly kind) for the given cells (default: all).

    Each document takes its number from the register (docgen/register.py); a
    ``draft`` takes none. A document already issued is not overwritten with different
    content unless ``reissue``.

    Nothing is written unless every document of every kind validated and rendered.
    Templates come from ``templates_dir`` (else the workspace's ``cai_dat.thu_muc_mau``)
    when it holds a file of the template's name, else from the built-in ones.

    Raises:
        UsageError: a quarterly kind without a quarter, or an unknown cell.
        InputError: bad input in any cell (all problems reported).
        TemplateError: a template fails the check (TemplateCheckError) or cannot render.
        OutputError: a file could not be written.
    """
    with watch_legacy() as legacy:
        result = _render_documents(
            ws, kinds, year=year, quarter=quarter, cells=cells, output_root=output_root,
            templates_dir=templates_dir, renderer=renderer, draft=draft, reissue=reissue,
        )
    result.warnings += legacy_warnings(ws, legacy)
    return result


def legacy_warnings(ws: Workspace, found: list[Problem]) -> list[str]:
    """The legacy-text warnings of the files a run read (the ward file, read when the
    workspace was loaded, and ``found``), once each, in file order."""
    found = [value.warning(ws.source.display) for value in ws.source.legacy] + found
    return [p.format() for p in sorted(dict.fromkeys(found), key=Problem.sort_key)]


def _render_documents(
    ws: Workspace,
    kinds: str | list[str],
    *,
    year: int,
    quarter: int | None,
    cells: list[str] | None,
    output_root: Path,
    templates_dir: Path | None,
    renderer: Renderer | None,
    draft: bool,
    reissue: bool,
) -> Result:
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    chosen = [get_kind(name) for name in names]
    for kind in chosen:
        if kind.needs_quarter and quarter is None:
            raise UsageError(f"văn bản '{kind.name}' là văn bản theo quý: cần ghi --quy (1 đến 4)")
    cell_ids = ws.cell_ids() if cells is None else cells
    for cell_id in cell_ids:
        ws.require_cell(cell_id)
    collector = Collector()
    items: list[Prepared] = []
    for kind in chosen:
        # the whole ward: its calendar period; named cells: their own periods
        items += collector.run(partial(prepare_all, ws, kind, cell_ids, year, quarter, ward_period=cells is None)) or []
    collector.raise_if_any()
    from docgen.issue import issue_documents
    from docgen.templates import Renderer

    if templates_dir is None:
        templates_dir = ws.templates_dir
    issued = issue_documents(
        ws, items, output_root=output_root, templates_dir=templates_dir,
        renderer=renderer or Renderer(), draft=draft, reissue=reissue,
    )
    result = Result(warnings=issued.template_warnings, written=issued.targets, issued=issued.issued)
    for warning in issued.warnings:
        if warning not in result.warnings:
            result.warnings.append(warning)
    for note in issued.notes:
        if note not in result.notes:
            result.notes.append(note)
    return result


@dataclass
class CheckReport:
    """What ``docgen check`` found valid, and what it warns about (located text pasted
    in a legacy encoding: docgen/legacytext.py)."""

    cells: int = 0
    members: int = 0
    documents: list[str] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list, repr=False)
    #: what is not wrong but worth a look, beside the documents' own warnings (rosters,
    #: stray files, pasted legacy text)
    warnings: list[str] = field(default_factory=list)


def _check_kind(
    ws: Workspace, kind: DocumentKind, cell: Cell | None, cell_id: str | None, nam: int,
    collector: Collector, report: CheckReport,
) -> None:
    found = collector.run(lambda: kind.periods(ws, cell_id, nam))
    if found is None:  # the folder cannot be read (located)
        return
    periods, misnamed = found
    for path in misnamed:
        collector.add(
            Problem(
                display_path(path),
                None,
                None,
                "",
                "tên tệp phải kết thúc bằng số quý từ 1 đến 4 (ví dụ quy-3.yaml)",
            )
        )
    for quy in periods:
        if kind.scope == "chi_bo" and cell is None:
            # The roster is broken, so references cannot be checked; still report
            # the document files' own problems.
            for path in collector.run(lambda: kind.input_paths(ws, cell_id, nam)) or []:
                if kind.input_model is not None:
                    collector.run(partial(ws.load_model, path, kind.input_model))
            return
        items = collector.run(partial(kind.prepare, ws, cell, nam, quy))
        for item in items or []:
            report.documents.append(display_path(item.output))
            report.prepared.append(item)
            future = future_date_warning(item, date.today())
            if future:
                report.warnings.append(future)


def check_workspace(ws: Workspace) -> CheckReport:
    """Validate every cell and every document input of the workspace, without rendering.

    Raises:
        InputError: every problem found, across all files.
    """
    from docgen.documents import KIND_NAMES

    collector = Collector()
    report = CheckReport()
    kinds = [get_kind(name) for name in KIND_NAMES]
    with watch_legacy() as legacy:
        collector.run(lambda: ws.rules)
        for cell_id in ws.cell_ids():
            _check_one_cell(ws, kinds, cell_id, collector, report)
        for nam in collector.run(ws.ward_years) or []:
            ward_kinds = [kind for kind in kinds if kind.scope == "dang_bo"]
            _check_strays(ws.ward_year_dir(nam), ward_kinds, collector, report)
            for kind in ward_kinds:
                _check_kind(ws, kind, None, None, nam, collector, report)
    from docgen.issue import number_problems

    for problem in number_problems(ws, report.prepared):
        collector.add(problem)
    collector.raise_if_any()
    report.warnings += legacy_warnings(ws, legacy)
    return report


def check_cell(ws: Workspace, cell_id: str) -> CheckReport:
    """Validate one cell (its files and every document input of its years), as
    ``docgen check`` does for it; other cells are not read.

    Raises:
        InputError: every problem found in the cell's files.
    """
    from docgen.documents import KIND_NAMES

    collector = Collector()
    report = CheckReport()
    with watch_legacy() as legacy:
        collector.run(lambda: ws.rules)
        _check_one_cell(ws, [get_kind(name) for name in KIND_NAMES], cell_id, collector, report)
    collector.raise_if_any()
    report.warnings += legacy_warnings(ws, legacy)
    return report


def _check_one_cell(
    ws: Workspace, kinds: list[DocumentKind], cell_id: str, collector: Collector, report: CheckReport
) -> None:
    cell = collector.run(partial(run_cell, ws, cell_id))
    if cell is not None:
        report.cells += 1
        report.members += len(cell.members)
        for problem in cell.misnamed_year_dirs():
            collector.add(problem)
    first = len(report.prepared)
    for nam in collector.run(lambda: ws.year_dirs(cell_id)) or []:
        cell_kinds = [kind for kind in kinds if kind.scope == "chi_bo"]
        _check_strays(ws.cell_year_dir(cell_id, nam), cell_kinds, collector, report)
        for kind in cell_kinds:
            _check_kind(ws, kind, cell, cell_id, nam, collector, report)
    if cell is not None:
        # probation past its 12 months, as of the cell's latest document (so data typed
        # for a past year does not start warning as time passes), else today
        dates = [item.issued for item in report.prepared[first:]]
        report.warnings += cell.roster_warnings(max(dates) if dates else date.today())


def _check_strays(folder: Path, kinds: list[DocumentKind], collector: Collector, report: CheckReport) -> None:
    """Files of a year folder that docgen would read under their right name: an error
    (their data is never read) when that name is not there, else a warning."""
    globs = [kind.input_glob for kind in kinds if kind.input_glob is not None]
    for stray in collector.run(partial(stray_inputs, folder, globs)) or []:
        if stray.shadowed:
            report.warnings.append(stray.warning())
        else:
            collector.add(stray.problem())
