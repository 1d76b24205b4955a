"""load -> validate -> context -> render -> write, for one kind over many cells."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from docgen import __version__
from docgen.documents import get_kind
from docgen.documents.base import DocumentKind, Prepared
from docgen.errors import (
    Collector,
    DocgenError,
    InputError,
    NumberClash,
    Problem,
    UsageError,
    display_path,
    unreadable,
)
from docgen.formatting import document_number
from docgen.output import interrupts_deferred, resolve_inside, write_all
from docgen.register import Register, Written
from docgen.render import DocStamp
from docgen.templates import Renderer, locate_template
from docgen.workspace import Cell, Workspace, load_model
from docgen.yamlsource import format_path, load_source

__all__ = [
    "ISSUE_STATES",
    "CheckReport",
    "Rendered",
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
    #: written path -> (number and symbol, register state: see ISSUE_STATES)
    issued: dict[Path, tuple[str, str]] = field(default_factory=dict)


#: What happened in the register to a written document (docs/vocabulary.md).
ISSUE_STATES = {
    "moi": "cấp số mới",
    "giong": "giống bản đã ban hành",
    "cap_lai": "ban hành lại",
    "du_thao": "dự thảo, chưa lấy số",
}


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


@dataclass(frozen=True)
class Rendered:
    """A rendered document and the template that made it."""

    item: Prepared
    data: bytes
    template: str  # the template file as shown to the user
    template_sha256: str


def render_prepared(
    items: list[Prepared], renderer: Renderer, templates_dir: Path | None
) -> tuple[list[Rendered], list[str]]:
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
        out.append(
            Rendered(item, template.render(item.context, stamp), display_path(path), template.sha256)
        )
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
    draft: bool = False,
    reissue: bool = False,
) -> Result:
    """Produce the documents of one or more kinds for the given cells (default: all).

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
    try:
        number_documents(ws, items, draft=draft)
        rendered, template_warnings = render_prepared(items, renderer or Renderer(), templates_dir)
        check_issue(ws, rendered, reissue=reissue)
        targets = [resolve_inside(output_root, r.item.output) for r in rendered]
        # Every file or none; the register records them once all are in place.
        states = write_all(
            [(target, r.data) for target, r in zip(targets, rendered, strict=True)],
            then=lambda: record_issue(ws, rendered, reissue=reissue),
        )
    except BaseException:
        release_numbers(ws, items)
        raise
    assert states is not None
    result = Result(warnings=template_warnings, written=targets)
    for target, r in zip(targets, rendered, strict=True):
        if r.item.output in states:
            result.issued[target] = (str(r.item.context["so_ky_hieu"]), states[r.item.output])
    for item in (r.item for r in rendered):
        result.warnings.extend(w for w in item.warnings if w not in result.warnings)
        result.notes.extend(n for n in item.notes if n not in result.notes)
    return result


@dataclass
class CheckReport:
    """What ``docgen check`` found valid."""

    cells: int = 0
    members: int = 0
    documents: list[str] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list, repr=False)


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
                    collector.run(lambda p=path, m=kind.input_model: load_model(p, m))
            return
        items = collector.run(lambda q=quy: kind.prepare(ws, cell, nam, q))
        for item in items or []:
            report.documents.append(display_path(item.output))
            report.prepared.append(item)


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
        _check_one_cell(ws, kinds, cell_id, collector, report)
    for nam in collector.run(ws.ward_years) or []:
        for kind in kinds:
            if kind.scope == "dang_bo":
                _check_kind(ws, kind, None, None, nam, collector, report)
    for problem in number_problems(ws, report.prepared):
        collector.add(problem)
    collector.raise_if_any()
    return report


def number_problems(ws: Workspace, items: list[Prepared]) -> list[Problem]:
    """Numbers typed in the data that cannot be issued, found without writing anything:
    two documents of one issuer and type with the same number, or a number the register
    already gave another document."""
    register = Register.of(ws.root)
    term = _term(ws)
    problems = []
    seen: dict[tuple[str, str, int], Prepared] = {}
    for item in items:
        request = item.number
        if request is None or request.so is None or item.context.get("du_thao"):
            continue
        key = (_issuer(ws, item), request.type_code, request.so)
        first = seen.setdefault(key, item)
        if first is not item:
            symbol = document_number(request.so, request.type_code, request.issuer_code)
            problems.append(
                _problem(
                    item,
                    f"số {symbol} cũng được ghi cho {display_path(first.output)} "
                    f"({_source_name(first)}); mỗi văn bản một số riêng",
                )
            )
            continue
        why = register.clash(
            issuer=key[0], type_code=key[1], term=term, number=request.so, identity=_identity(item)
        )
        if why is not None:
            problems.append(_problem(item, why))
    return problems


def _term(ws: Workspace) -> str:
    return ws.dang_bo.nhiem_ky.ten if ws.dang_bo.nhiem_ky else ""


def _source_name(item: Prepared) -> str:
    return display_path(item.sources[-1]) if item.sources else item.kind


def _identity(item: Prepared) -> str:
    """A document's identity in the register: its output path without the suffix."""
    return item.output.with_suffix("").as_posix()


def _issuer(ws: Workspace, item: Prepared) -> str:
    return f"{ws.dang_bo.ma}/{item.cell}" if item.cell else ws.dang_bo.ma


def _problem(item: Prepared, message: str) -> Problem:
    """A problem about the document's number: where its data says the number is typed
    (``NumberRequest.where``: the minutes' ``so_bien_ban`` is in a meeting, and their
    file's own ``so`` is another document's), else at the ``so`` of its input file."""
    if item.number is not None and item.number.where is not None:
        source_file, where = item.number.where
        return source_file.problem(where, message)
    source = item.sources[-1] if item.sources else None
    if source is None:
        return Problem(None, None, None, "so", message)
    path: tuple[str | int, ...] = ("so",)
    line = col = None
    try:
        marks = load_source(source).marks
    except DocgenError:  # pragma: no cover - the file was read a moment ago
        marks = {}
    found = next((p for p in marks if len(p) == 2 and p[1] == "so"), None)
    if found is not None:
        path = found
        line, col = marks[found]
    return Problem(display_path(source), line, col, format_path(path), message)


def number_documents(ws: Workspace, items: list[Prepared], *, draft: bool = False) -> None:
    """Give each prepared document its number, in place (see docgen/register.py).

    A draft (``draft``, or a document that is one by nature, such as the annual summary
    before the committee decides) takes no number: its number stays blank, it carries
    the "DỰ THẢO" mark and it is written beside the issued document
    (``...-du-thao.docx``), never over it.

    Raises:
        InputError: a typed number belongs to another document.
    """
    register = Register.of(ws.root)
    term = _term(ws)
    problems = []
    for item in items:
        request = item.number
        if request is None:
            continue
        blank = document_number(None, request.type_code, request.issuer_code)
        if draft or item.context.get("du_thao"):
            item.context["du_thao"] = True
            item.context["so_ky_hieu"] = blank
            _echo(item, blank)
            item.output = item.output.with_name(f"{item.output.stem}-du-thao.docx")
            continue
        try:
            number = register.reserve(
                issuer=_issuer(ws, item),
                issuer_name=item.author,
                type_code=request.type_code,
                term=term,
                number=request.so,
                identity=_identity(item),
                kind=item.kind,
                issued=item.issued,
                summary=item.title,
                symbol=blank,
            )
        except NumberClash as exc:
            problems.append(_problem(item, str(exc)))
            continue
        item.context["so_ky_hieu"] = document_number(number, request.type_code, request.issuer_code)
        _echo(item, item.context["so_ky_hieu"])
    if problems:
        raise InputError(problems)


def _echo(item: Prepared, so_ky_hieu: str) -> None:
    """Write the document's number into the texts that repeat it (NumberRequest.echo)."""
    assert item.number is not None
    for key, (before, after) in item.number.echo.items():
        item.context[key] = f"{before}{so_ky_hieu}{after}"


def _sources_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError as exc:
            raise InputError([unreadable(exc, path)]) from None
    return digest.hexdigest()


def check_issue(ws: Workspace, rendered: list[Rendered], *, reissue: bool) -> None:
    """Refuse to overwrite an issued document with different content (unless re-issuing).

    Raises:
        InputError: one line per refused document, naming the earlier one.
    """
    register = Register.of(ws.root)
    problems = []
    for r in rendered:
        if r.item.number is None or r.item.context.get("du_thao"):
            continue
        try:
            register.check(_identity(r.item), hashlib.sha256(r.data).hexdigest(), reissue)
        except NumberClash as exc:
            problems.append(_problem(r.item, str(exc)))
    if problems:
        raise InputError(problems)


def record_issue(ws: Workspace, rendered: list[Rendered], *, reissue: bool) -> dict[Path, str]:
    """Record written documents in the register (once they are all safely on disk), in
    one transaction: all of them or, if one cannot be recorded, none.

    Returns:
        Each numbered document's output path -> its state (a key of ISSUE_STATES).
    """
    states: dict[Path, str] = {}
    issued: list[Rendered] = []
    for r in rendered:
        if r.item.number is None:
            continue
        if r.item.context.get("du_thao"):
            states[r.item.output] = "du_thao"
        else:
            issued.append(r)
    documents = [
        Written(
            identity=_identity(r.item),
            output=r.item.output.as_posix(),
            sha256=hashlib.sha256(r.data).hexdigest(),
            template_sha256=r.template_sha256,
            sources_sha256=_sources_hash(r.item.sources),
            symbol=str(r.item.context["so_ky_hieu"]),
            issued=r.item.issued,
            summary=r.item.title,
        )
        for r in issued
    ]
    if documents:
        answers = Register.of(ws.root).confirm_all(documents, reissue=reissue)
        states.update((r.item.output, state) for r, state in zip(issued, answers, strict=True))
    return states


def release_numbers(ws: Workspace, items: list[Prepared]) -> None:
    """Give back the numbers reserved for documents that were not written and recorded
    (a run that failed or was interrupted); numbers of recorded documents stay.

    Ctrl-C is held back meanwhile. If the register cannot be written, the reservations
    stay (each is reused by its own document only) and the error that stopped the run
    is the one reported.
    """
    identities = [
        _identity(item) for item in items if item.number is not None and not item.context.get("du_thao")
    ]
    with interrupts_deferred():
        try:
            Register.of(ws.root).release_all(identities)
        except DocgenError:
            pass


def check_cell(ws: Workspace, cell_id: str) -> CheckReport:
    """Validate one cell (its files and every document input of its years), as
    ``docgen check`` does for it; other cells are not read.

    Raises:
        InputError: every problem found in the cell's files.
    """
    from docgen.documents import KIND_NAMES

    collector = Collector()
    report = CheckReport()
    collector.run(lambda: ws.rules)
    _check_one_cell(ws, [get_kind(name) for name in KIND_NAMES], cell_id, collector, report)
    collector.raise_if_any()
    return report


def _check_one_cell(
    ws: Workspace, kinds: list[DocumentKind], cell_id: str, collector: Collector, report: CheckReport
) -> None:
    cell = collector.run(lambda: ws.load_cell(cell_id))
    if cell is not None:
        report.cells += 1
        report.members += len(cell.members)
    for nam in collector.run(lambda: ws.year_dirs(cell_id)) or []:
        for kind in kinds:
            if kind.scope == "chi_bo":
                _check_kind(ws, kind, cell, cell_id, nam, collector, report)
