"""load -> validate -> context -> render -> write, for one kind over many cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen import __version__
from docgen.documents import get_kind
from docgen.documents.base import DocumentKind, Prepared
from docgen.output import resolve_inside, write_atomic
from docgen.render import DocStamp, Renderer
from docgen.templates import locate_template
from docgen.errors import Problem, UsageError
from docgen.workspace import Cell, Collector, Workspace, display_path, load_model

__all__ = [
    "CheckReport",
    "Result",
    "check_cell",
    "check_workspace",
    "generate",
    "prepare_all",
    "render_prepared",
]


@dataclass
class Result:
    """What a run produced: written paths and warnings for the user."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prepare_all(
    ws: Workspace, kind: DocumentKind, cell_ids: list[str], nam: int, quy: int | None
) -> list[Prepared]:
    """Prepare ``kind`` for each cell (or the ward); every problem of every cell at once."""
    collector = Collector()
    prepared: list[Prepared] = []
    if kind.scope == "dang_bo":
        prepared += collector.run(lambda: kind.prepare(ws, None, nam, quy)) or []
    else:
        for cell_id in cell_ids:
            cell = collector.run(lambda cid=cell_id: ws.load_cell(cid))
            if cell is None:
                continue
            prepared += collector.run(lambda c=cell: kind.prepare(ws, c, nam, quy)) or []
    collector.raise_if_any()
    return prepared


def render_prepared(
    items: list[Prepared], renderer: Renderer, templates_dir: Path | None
) -> tuple[list[tuple[Prepared, bytes]], list[str]]:
    """Render prepared documents, each with its template (checked and compiled once per
    renderer). Returns the documents and the templates' warnings (layout drift), once each.

    Raises:
        TemplateCheckError: a template fails the check; nothing is rendered with it.
    """
    out = []
    warnings: dict[str, None] = {}
    for item in items:
        path = locate_template(item.template, templates_dir)
        template = renderer.template(path, display_path(path))
        warnings.update(dict.fromkeys(template.warnings))
        stamp = DocStamp(
            kind=item.kind,
            title=item.title,
            author=item.author,
            issued=item.issued,
            template_name=path.name,
            template_sha256=template.sha256,
            docgen_version=__version__,
        )
        out.append((item, template.render(item.context, stamp)))
    return out, list(warnings)


def generate(
    ws: Workspace,
    kind_names: str | list[str],
    *,
    nam: int,
    quy: int | None = None,
    cell_ids: list[str] | None = None,
    output_root: Path,
    templates_dir: Path | None = None,
    renderer: Renderer | None = None,
) -> Result:
    """Produce the documents of one or more kinds for the given cells (default: all).

    Nothing is written unless every document of every kind validated and rendered.
    Templates come from ``templates_dir`` (else the workspace's ``cai_dat.thu_muc_mau``)
    when it holds a file of the template's name, else from the built-in ones.

    Raises:
        UsageError: a quarterly kind without a quarter, or an unknown cell.
        InputError: bad input in any cell (all problems reported).
        TemplateError: a template fails the check (TemplateCheckError) or cannot render.
        OutputError: a file could not be written.
    """
    names = [kind_names] if isinstance(kind_names, str) else list(kind_names)
    kinds = [get_kind(name) for name in names]
    for kind in kinds:
        if kind.needs_quarter and quy is None:
            raise UsageError(f"văn bản '{kind.name}' là văn bản theo quý: cần ghi --quy (1 đến 4)")
    if cell_ids is None:
        cell_ids = ws.cell_ids()
    for cell_id in cell_ids:
        ws.require_cell(cell_id)
    collector = Collector()
    items: list[Prepared] = []
    for kind in kinds:
        items += collector.run(lambda k=kind: prepare_all(ws, k, cell_ids, nam, quy)) or []
    collector.raise_if_any()
    if templates_dir is None:
        templates_dir = ws.templates_dir
    rendered, template_warnings = render_prepared(items, renderer or Renderer(), templates_dir)
    result = Result(warnings=template_warnings)
    targets = [(resolve_inside(output_root, item.output), data) for item, data in rendered]
    for target, data in targets:
        write_atomic(target, data)
        result.written.append(target)
    for item, _ in rendered:
        result.warnings.extend(w for w in item.warnings if w not in result.warnings)
        result.notes.extend(n for n in item.notes if n not in result.notes)
    return result


@dataclass
class CheckReport:
    """What ``docgen check`` found valid."""

    cells: int = 0
    members: int = 0
    documents: list[str] = field(default_factory=list)


def _check_kind(
    ws: Workspace, kind: DocumentKind, cell: Cell | None, cell_id: str | None, nam: int,
    collector: Collector, report: CheckReport,
) -> None:
    periods, misnamed = kind.periods(ws, cell_id, nam)
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
            for path in kind.input_paths(ws, cell_id, nam):
                if kind.input_model is not None:
                    collector.run(lambda p=path, m=kind.input_model: load_model(p, m))
            return
        items = collector.run(lambda q=quy: kind.prepare(ws, cell, nam, q))
        for item in items or []:
            report.documents.append(display_path(item.output))


def check_workspace(ws: Workspace) -> CheckReport:
    """Validate every cell and every document input of the workspace, without rendering.

    Raises:
        InputError: every problem found, across all files.
    """
    from docgen.documents import KIND_NAMES

    collector = Collector()
    report = CheckReport()
    kinds = [get_kind(name) for name in KIND_NAMES]
    collector.run(lambda: ws.rules)
    for cell_id in ws.cell_ids():
        cell = collector.run(lambda cid=cell_id: ws.load_cell(cid))
        if cell is not None:
            report.cells += 1
            report.members += len(cell.members)
        for nam in ws.year_dirs(cell_id):
            for kind in kinds:
                if kind.scope == "chi_bo":
                    _check_kind(ws, kind, cell, cell_id, nam, collector, report)
    for nam in ws.ward_years():
        for kind in kinds:
            if kind.scope == "dang_bo":
                _check_kind(ws, kind, None, None, nam, collector, report)
    collector.raise_if_any()
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
    kinds = [get_kind(name) for name in KIND_NAMES]
    collector.run(lambda: ws.rules)
    cell = collector.run(lambda: ws.load_cell(cell_id))
    if cell is not None:
        report.cells = 1
        report.members = len(cell.members)
    for nam in ws.year_dirs(cell_id):
        for kind in kinds:
            if kind.scope == "chi_bo":
                _check_kind(ws, kind, cell, cell_id, nam, collector, report)
    collector.raise_if_any()
    return report
