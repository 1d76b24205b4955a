"""Quarter-end (or year-end) production: every cell's documents, then the ward summary.

Cells are independent: they are rendered in a process pool (one compiled copy of
each template per process), and a cell whose data is wrong writes nothing while the
others complete. Each document is rendered in memory and then written atomically.
The manifest lists every document with the hashes of its sources, its output and its
template, in a fixed order, so a serial and a parallel run give identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import resource
import signal
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen._version import __version__
from docgen.batchstate import BatchState, Fingerprints, load_state, state_path
from docgen.documents import get_kind
from docgen.documents.base import Prepared
from docgen.documents.kinds import batch_kinds, kind_spec
from docgen.errors import (
    DocgenError,
    InputError,
    TemplateCheckError,
    TemplateError,
    display_path,
    unreadable,
)
from docgen.issue import Issued, IssueSession, issue_documents, recover_output
from docgen.output import (
    manifest_path,
    resolve_inside,
    ward_folder,
    write_all,
)
from docgen.packagecheck import DOCX_FILE_LIMIT
from docgen.pdf import PdfResult
from docgen.pipeline import legacy_warnings
from docgen.register import register_of
from docgen.resources import builtin_name
from docgen.templates import Renderer, locate_template
from docgen.userfile import read_regular
from docgen.workspace import Workspace, load_workspace
from docgen.yamlsource import watch_legacy

if TYPE_CHECKING:
    from docgen.render import CompiledTemplate

__all__ = ["WORKER_MEMORY", "BatchResult", "DocRecord", "period_kinds", "period_label", "run_batch"]

# The address-space limit (RLIMIT_AS) of each worker process of a parallel batch, where the
# OS allows one: a template or a file that makes a worker's memory run away ends in a
# MemoryError for that cell (a located error), not in the machine swapping or the kernel
# killing the batch. Measured (VmPeak of each worker, -j 2, Linux): 78 MB for the sample
# workspace, 90 MB for tests/synthetic.py's ward of 60 cells of 20 members; 1 GB leaves real
# batches untouched by a wide margin. The main process (the ward's summary, the bundle, the
# PDFs) is not limited: it is the user's own process.
WORKER_MEMORY = 1024 * 1024 * 1024

# Why a cell's documents were not made: the machine (or the worker's limit) ran out of memory.
_OUT_OF_MEMORY = (
    "hết bộ nhớ khi làm văn bản của chi bộ này (giới hạn {} MB mỗi tiến trình); "
    "xem lại mẫu hay tệp dữ liệu quá lớn, hoặc chạy lại với -j 1"
)

def period_kinds(quy: int | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds a batch produces, (per cell, of the ward), from the kinds table: a
    quarter's reports, or the year's reviews."""
    return batch_kinds("quy" if quy is not None else "nam")


def period_label(quy: int | None) -> str:
    """``quy-3`` or ``nam``: names the manifest and the bundle of a period."""
    return f"quy-{quy}" if quy is not None else "nam"


@dataclass
class DocRecord:
    """One line of the manifest."""

    kind: str
    cell: str | None
    status: str  # "ok" or "loi"
    output: str | None = None  # relative to the output folder
    sha256: str | None = None
    template: str | None = None
    template_sha256: str | None = None
    sources: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    number: str | None = None  # "03-BC/CB"; None for a document without a number
    issue_state: str | None = None  # a key of issue.ISSUE_STATES
    docgen_version: str = __version__
    #: the document could not be made at all (its template failed, memory ran out), as
    #: opposed to made but not written (a full disk): the ward's summary is not issued over
    #: it. Not in the manifest (its errors say why).
    unmade: bool = False


@dataclass
class BatchResult:
    """What a batch produced: the documents, the manifest, the bundle and the PDFs."""

    records: list[DocRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    manifest: Path | None = None
    #: the ward's id (a failed ward document is listed under it)
    ward: str = ""
    #: the print bundle merged from the documents written (``bundle=True``)
    bundle: Path | None = None
    #: why the bundle could not be merged (the documents and the manifest are written)
    bundle_error: DocgenError | None = None
    #: the files handed to LibreOffice (``pdf=True``): the documents and the bundle
    pdf_sources: list[Path] = field(default_factory=list)
    #: the PDFs written and the files that failed to convert, with why
    pdf: PdfResult | None = None
    #: the cells not made again: unchanged since the batch that made their documents
    #: (``incremental``; their records are that batch's)
    unchanged: int = 0

    @property
    def failed(self) -> list[DocRecord]:
        return [r for r in self.records if r.status != "ok"]

    def written(self) -> list[Path]:
        return [Path(r.output) for r in self.records if r.status == "ok" and r.output]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class _Outcome:
    """What one job returns to the main process."""

    records: list[DocRecord]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # kind -> Prepared.facts


@dataclass
class _Job:
    """What every cell job needs; sent once to each worker process."""

    workspace: Path
    output_root: Path
    nam: int
    quy: int | None
    templates_dir: Path | None
    kinds: tuple[str, ...]
    draft: bool = False
    reissue: bool = False
    #: templates refused by the check before the batch started, as (resolved path,
    #: sha256) -> the check's errors (template, message, place, tag): not checked again
    refused: dict[tuple[str, str], list[tuple[str, str, str | None, str | None]]] = field(
        default_factory=dict
    )
    #: the renderer that checked and compiled the templates before the batch started, for
    #: this process and for workers that inherit it by fork (never pickled: None when
    #: workers are spawned, and they compile their own)
    renderer: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "renderer": None}


_Problems = list[tuple[str, str, str | None, str | None]]


def _template_key(path: Path) -> tuple[str, str] | None:
    """A template file as the batch remembers it: (resolved path, sha256); None if unreadable."""
    try:
        return str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class _BatchRenderer(Renderer):
    """A Renderer that remembers, for the whole batch, the templates the check refused
    (by path and content): a failing template is checked once, not once per cell (a slow
    one takes its whole time limit each time)."""

    def __init__(self, refused: dict[tuple[str, str], _Problems] | None = None) -> None:
        super().__init__()
        self.refused: dict[tuple[str, str], _Problems] = dict(refused or {})

    def template(self, path: Path, display: str | None = None) -> CompiledTemplate:
        key = _template_key(path) if self.refused else None
        if key is not None and key in self.refused:
            raise TemplateCheckError([TemplateError(*p) for p in self.refused[key]])
        try:
            return super().template(path, display)
        except TemplateError as exc:
            key = key or _template_key(path)
            if key is not None and path.is_file():
                problems = exc.problems if isinstance(exc, TemplateCheckError) else [exc]
                self.refused[key] = [(p.template, p.message, p.place, p.tag) for p in problems]
            raise


def _checked_templates(job: _Job, templates_dir: Path | None) -> _BatchRenderer:
    """Check and compile once, before any cell, every template the cells' kinds may use:
    a renderer holding the compiled ones (this process's and forked workers') and the
    refused ones (for every worker to refuse without checking again)."""
    renderer = _BatchRenderer()
    for name in job.kinds:
        for template in get_kind(name).templates:
            path = locate_template(template, templates_dir)
            with suppress(TemplateError):  # remembered in renderer.refused; each cell says it
                renderer.template(path, display_path(path))
    return renderer


class _Worker:
    """Per-process state: the loaded workspace and a renderer with its compiled templates."""

    def __init__(self, job: _Job, ws: Workspace | None = None) -> None:
        self.job = job
        self.ws = ws if ws is not None else load_workspace(job.workspace)
        # checked and compiled once before the batch, inherited by a forked worker
        self.renderer = job.renderer if job.renderer is not None else _BatchRenderer(job.refused)
        self.templates_dir = job.templates_dir or self.ws.templates_dir
        # The output folder's stale temporaries were removed before the batch started
        # (run_batch): each cell finishes or undoes a journal only, not a sweep of the tree.
        self.session = IssueSession(recovered=True)
        self._names: dict[tuple[str, str], str] = {}  # (how, path) -> manifest name

    def template_name(self, shown: str) -> str:
        """The template as the manifest names it, the same from any current folder:
        ``có sẵn: bao-cao-quy.docx`` or a path relative to the workspace."""
        found = self._names.get(("template", shown))
        if found is None:
            path = Path(shown)
            builtin = builtin_name(path)
            found = f"có sẵn: {builtin}" if builtin else _relative(path.resolve(), self.job.workspace)
            self._names["template", shown] = found
        return found

    def source_name(self, path: Path) -> str:
        """A source file relative to the workspace; docgen's own (a built-in rule set)
        as ``có sẵn: rules/qd366-2025.yaml``."""
        found = self._names.get(("source", str(path)))
        if found is None:
            builtin = builtin_name(path)
            found = f"có sẵn: {builtin}" if builtin else _relative(path, self.job.workspace)
            self._names["source", str(path)] = found
        return found

    def records(self, issued: Issued) -> list[DocRecord]:
        out = []
        for r, target in zip(issued.rendered, issued.targets, strict=True):
            number, state = issued.issued.get(target, (None, None))
            out.append(
                DocRecord(
                    kind=r.item.kind,
                    cell=r.item.cell,
                    status="ok",
                    output=_relative(target, self.job.output_root),
                    sha256=r.sha256,
                    template=self.template_name(r.template),
                    template_sha256=r.template_sha256,
                    sources=[
                        {"path": self.source_name(p), "sha256": issued.source_digests[p]}
                        for p in r.item.sources
                    ],
                    number=number,
                    issue_state=state,
                )
            )
        return out

    def run(self, items: list[Prepared]) -> _Outcome:
        """Number, render and write ``items``; everything or nothing (docgen/issue.py).

        If anything fails after the numbers are reserved (bad data, a file that cannot be
        written, Ctrl-C), no file is left and the numbers are given back.
        """
        issued = issue_documents(
            self.ws, items, output_root=self.job.output_root, templates_dir=self.templates_dir,
            renderer=self.renderer, draft=self.job.draft, reissue=self.job.reissue,
            session=self.session,
        )
        warnings = issued.template_warnings + issued.warnings
        return _Outcome(self.records(issued), warnings, issued.notes, issued.facts)

    def cell(self, cell_id: str) -> _Outcome:
        """All documents of one cell for the period; a failure writes none of them."""
        try:
            with watch_legacy() as legacy:
                cell = self.ws.load_cell(cell_id)
                # the cell's own period the ward's holds (a school year's quarter)
                nam, quy = cell.year_kind.own_period(self.job.nam, self.job.quy)
                items = []
                for name in self.job.kinds:
                    items += get_kind(name).prepare_checked(self.ws, cell, nam, quy)
            outcome = self.run(items)
            outcome.warnings += legacy_warnings(self.ws, legacy)
            return outcome
        except (DocgenError, OSError) as exc:
            lines = exc.lines() if isinstance(exc, DocgenError) else [unreadable(exc).format()]
            unmade = isinstance(exc, TemplateError)
            return _Outcome(
                [
                    DocRecord(kind=k, cell=cell_id, status="loi", errors=lines, unmade=unmade)
                    for k in self.job.kinds
                ]
            )
        except MemoryError:
            # Outside a template's render (which says where it was): reading the cell's
            # files or writing its documents ran out of memory (the worker's limit).
            megabytes = WORKER_MEMORY // (1024 * 1024)
            return _Outcome(
                [
                    DocRecord(
                        kind=k, cell=cell_id, status="loi", unmade=True,
                        errors=[_OUT_OF_MEMORY.format(megabytes)],
                    )
                    for k in self.job.kinds
                ]
            )


_STATE: dict[str, _Worker] = {}  # one per worker process (set by the pool initializer)
_SESSIONS: list[Any] = []  # the worker process's open register session (kept to its end)


def _init_worker(job: _Job) -> None:
    # Ctrl-C reaches every process of the terminal's group; the main process alone
    # stops the pool (a worker finishes its cell, all or nothing), so a worker never
    # dies with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STATE["worker"] = _Worker(job)


def _init_pool_worker(job: _Job) -> None:
    """The pool's initializer: a worker process under WORKER_MEMORY, then its state."""
    limit_memory(WORKER_MEMORY)
    _init_worker(job)
    # One register connection for all the worker's cells, closed when the process ends.
    session = register_of(_STATE["worker"].ws).session()
    session.__enter__()
    _SESSIONS.append(session)


def limit_memory(size: int) -> bool:
    """Limit this process's address space to ``size`` bytes (never above a lower limit
    already set); False where the OS has no such limit or refuses it."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            size = min(size, hard)
        if soft != resource.RLIM_INFINITY and soft <= size:
            return True
        resource.setrlimit(resource.RLIMIT_AS, (size, hard))
    except (AttributeError, ValueError, OSError):
        return False
    return True


def _run_cell(cell_id: str) -> _Outcome:
    return _STATE["worker"].cell(cell_id)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C in this (main) thread for a moment: while worker processes start (a
    forked one inherits it until its initializer runs), and while the pool stops."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _cell_results(job: _Job, cell_ids: list[str], jobs: int) -> Generator[_Outcome, None, None]:
    """Each cell's results, in the ward's order, from a pool (or in-process when jobs is 1).

    If the caller stops early (an error, Ctrl-C), the cells not started are cancelled and
    those under way finish (each all or nothing) before this returns.

    Raises:
        DocgenError: a worker process died (killed, out of memory).
    """
    if jobs <= 1 or len(cell_ids) <= 1:
        worker = _Worker(job)
        with register_of(worker.ws).session():
            for cell_id in cell_ids:
                yield worker.cell(cell_id)
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_pool_worker, initargs=(job,))
    try:
        with _sigint_ignored():
            # map keeps the order of cell_ids whatever the order of completion.
            results = pool.map(_run_cell, cell_ids, chunksize=max(1, len(cell_ids) // (jobs * 8)))
        yield from results
    except BrokenProcessPool:
        with _sigint_ignored():
            pool.shutdown(wait=True, cancel_futures=True)
        raise DocgenError(
            "một tiến trình làm văn bản bị dừng đột ngột (có thể do thiếu bộ nhớ); các chi bộ "
            "đã xong vẫn được ghi, hãy chạy lại lệnh (thêm -j 1 nếu máy yếu)"
        ) from None
    except BaseException:
        with _sigint_ignored():
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _manifest_entry(record: DocRecord) -> dict[str, Any]:
    """One document as the manifest writes it (the user's vocabulary, docs/vocabulary.md)."""
    return {
        "loai": record.kind,
        "chi_bo": record.cell,
        "trang_thai": record.status,
        "tep": record.output,
        "sha256": record.sha256,
        "mau": record.template,
        "sha256_mau": record.template_sha256,
        "tep_nguon": [{"tep": s["path"], "sha256": s["sha256"]} for s in record.sources],
        "loi": record.errors,
        "so_ky_hieu": record.number,
        "so_dang_ky": record.issue_state,
        "phien_ban_docgen": record.docgen_version,
    }


def write_manifest(result: BatchResult, path: Path) -> None:
    """The manifest as JSON and as a human-readable CSV beside it, written atomically
    (both or neither)."""
    data = {
        "phien_ban_docgen": __version__,
        "van_ban": [_manifest_entry(r) for r in result.records],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "loai", "chi_bo", "trang_thai", "so_ky_hieu", "so_dang_ky", "tep", "sha256", "mau",
            "sha256_mau", "tep_nguon", "loi",
        ]  # fmt: skip
    )
    for r in result.records:
        writer.writerow(
            [
                r.kind,
                r.cell or "",
                r.status,
                r.number or "",
                r.issue_state or "",
                r.output or "",
                r.sha256 or "",
                r.template or "",
                r.template_sha256 or "",
                "; ".join(f"{s['path']} ({s['sha256'][:12]})" for s in r.sources),
                " | ".join(r.errors),
            ]
        )
    # UTF-8 with BOM so that Excel shows the Vietnamese text correctly.
    csv_bytes = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    files = [(path, text.encode("utf-8")), (path.with_suffix(".csv"), csv_bytes)]
    if all(_holds(target, data) for target, data in files):
        return  # the same manifest as the last run's: nothing rewritten
    write_all(files)


def _holds(path: Path, data: bytes) -> bool:
    """Whether the regular file ``path`` holds exactly ``data``."""
    try:
        return read_regular(path, len(data) + 1) == data
    except (DocgenError, OSError):
        return False


def run_batch(
    workspace: Path,
    *,
    year: int,
    quarter: int | None = None,
    output_root: Path,
    jobs: int | None = None,
    templates_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    draft: bool = False,
    reissue: bool = False,
    bundle: bool = False,
    pdf: bool = False,
    incremental: bool = True,
) -> BatchResult:
    """Produce the period's documents for every cell, then the ward summary, then the
    manifest; then, if asked, the print bundle and the PDFs.

    ``incremental``: a cell whose files, templates, rule set, register and docgen are as
    they were when the last batch of this period made its documents, and whose documents
    are still on disk as then written, is not made again (docgen/batchstate.py); nor is
    the ward's summary when no cell was. False makes everything.

    The period is ``quarter`` of ``year`` (each cell's quarterly report and the ward's
    quarterly summary), or the year itself without a quarter (the annual reviews).

    Args:
        jobs: Worker processes (default: all cores); 1 runs in this process.
        draft: Drafts take no number and carry the "DỰ THẢO" mark.
        reissue: Re-issue documents already issued whose content changed.
        progress: Called with (finished, total): once with 0 before the first cell, then
            each time a cell or a ward document is finished.
        bundle: Merge the documents written into one file to print (``result.bundle``, or
            ``result.bundle_error`` if they could not be merged; then no PDF is made).
        pdf: Convert the documents written (and the bundle) to PDF with LibreOffice
            (``result.pdf``: the PDFs written, the files that failed and why).

    Raises:
        LibreOfficeMissing: ``pdf`` and LibreOffice is not installed (before any work).
        UsageError: the workspace cannot be found.
        InputError: the ward file itself is invalid (nothing can be done per cell).
    """
    if pdf:
        from docgen.pdf import find_soffice

        find_soffice()  # before any work: a missing LibreOffice is known at once
    nam, quy = year, quarter
    ws: Workspace = load_workspace(workspace)
    cell_kinds, ward_kinds = period_kinds(quy)
    jobs = jobs or os.cpu_count() or 1
    total = len(ws.cell_ids()) + len(ward_kinds)
    done = 0
    if progress:
        progress(done, total)
    job = _Job(workspace, output_root, nam, quy, templates_dir, cell_kinds, draft, reissue)
    label = period_label(quy)
    state_file = resolve_inside(output_root, state_path(ws.dang_bo.ma, nam, label))
    prints = _fingerprints(ws, job, ward_kinds) if incremental else None
    state = load_state(state_file) if prints is not None else BatchState()
    tidied = recover_output(output_root, [ward_folder(ws.dang_bo.ma)])  # what a killed run left
    result = BatchResult(ward=ws.dang_bo.ma)
    result.warnings += tidied
    kept: dict[str, _Outcome] = {}
    if prints is not None:
        for cell_id in ws.cell_ids():
            outcome = _unchanged(state, cell_id, prints.cell(cell_id), output_root)
            if outcome is not None:
                kept[cell_id] = outcome
    to_make = [cell_id for cell_id in ws.cell_ids() if cell_id not in kept]
    if to_make:
        job.renderer = _checked_templates(job, templates_dir or ws.templates_dir)
        job.refused = job.renderer.refused
    known: dict[str, dict[str, Any]] = {}  # kind -> cell id -> facts
    made: dict[str, _Outcome] = {}
    with closing(_cell_results(job, to_make, jobs)) as outcomes:
        made_outcomes = iter(outcomes)
        for cell_id in ws.cell_ids():
            if cell_id in kept:
                outcome = kept[cell_id]
            else:
                outcome = made[cell_id] = next(made_outcomes)
            result.records += outcome.records
            result.warnings += [w for w in outcome.warnings if w not in result.warnings]
            result.notes += outcome.notes
            for kind_name, facts in outcome.facts.items():
                known.setdefault(kind_name, {})[cell_id] = facts
            done += 1
            if progress:
                progress(done, total)
    result.unchanged = len(kept)
    ward_outcome = (
        _unchanged(state, BatchState.WARD, prints.ward(), output_root)
        if prints is not None and not made
        else None
    )
    ward_from = (len(result.records), len(result.warnings), len(result.notes))
    if ward_outcome is not None:
        result.records += ward_outcome.records
        result.warnings += [w for w in ward_outcome.warnings if w not in result.warnings]
        result.notes += ward_outcome.notes
        done += len(ward_kinds)
        if progress:
            progress(done, total)
    ward: _Worker | None = None
    for name in ward_kinds if ward_outcome is None else ():
        ward = ward or _Worker(job, ws)
        try:
            kind = get_kind(name)
            skipped = _skipped_summary(ward.ws, name, nam, quy)
            if skipped is not None:
                result.warnings.append(skipped)
                done += 1
                if progress:
                    progress(done, total)
                continue
            summarised = known.get(kind.summarises, {}) if kind.summarises is not None else None
            items = kind.prepare_checked(ward.ws, None, nam, quy, known=summarised)
            unissued = _unissued(result.records, kind.summarises, ward.ws, nam, quy)
            if unissued:
                raise DocgenError(
                    f"chưa tổng hợp được vì báo cáo của {len(unissued)} chi bộ chưa làm được "
                    f"trong lần chạy này ({', '.join(unissued)}): bản tổng hợp sẽ tính các chi bộ "
                    "đó là đã báo cáo; sửa lỗi của từng chi bộ rồi chạy lại"
                )
            outcome = ward.run(items)
            records, warnings, notes = outcome.records, outcome.warnings, outcome.notes
        except (DocgenError, OSError) as exc:
            lines = exc.lines() if isinstance(exc, DocgenError) else [unreadable(exc).format()]
            if isinstance(exc, InputError) and result.failed:
                # The summary needs every cell; their own problems are already listed.
                told = {line for r in result.failed for line in r.errors}
                lines = [
                    "chưa tổng hợp được vì dữ liệu của "
                    f"{len({r.cell for r in result.failed})} chi bộ có lỗi (xem lỗi của từng chi bộ)",
                    *(line for line in lines if line not in told),
                ]
            records, warnings, notes = [DocRecord(kind=name, cell=None, status="loi", errors=lines)], [], []
        result.records += records
        result.warnings += [w for w in warnings if w not in result.warnings]
        result.notes += notes
        done += 1
        if progress:
            progress(done, total)
    manifest = resolve_inside(output_root, manifest_path(ws.dang_bo.ma, nam, period_label(quy)))
    write_manifest(result, manifest)
    result.manifest = manifest
    if prints is not None:
        _save_state(state_file, prints, ws, result, {**kept, **made}, ward_from)
    produced = [output_root / p for p in result.written()]
    if bundle and produced:
        try:
            result.bundle = _merge(produced, output_root, ws.dang_bo.ma, nam, quy)
        except DocgenError as exc:
            result.bundle_error = exc
            return result
        produced.append(result.bundle)
    if pdf and produced:
        from docgen.pdf import convert

        result.pdf_sources = produced
        result.pdf = convert(produced, workers=jobs)
    return result


def _fingerprints(ws: Workspace, job: _Job, ward_kinds: tuple[str, ...]) -> Fingerprints | None:
    """What this batch's documents are made from (docgen/batchstate.py); None when that
    cannot be known (a template or the rule set cannot be located: the batch says why as
    it makes everything)."""
    templates_dir = job.templates_dir or ws.templates_dir
    try:
        templates = sorted(
            {locate_template(t, templates_dir) for name in (*job.kinds, *ward_kinds) for t in kind_spec(name).templates}
        )
        return Fingerprints.of(
            settings={
                "nam": job.nam, "quy": job.quy, "loai": list(job.kinds), "loai_dang_bo": list(ward_kinds),
                "du_thao": job.draft, "thu_muc_mau": _within(templates_dir, ws.root),
                # the warnings kept name files as seen from the current folder
                "thu_muc_hien_tai": os.getcwd(),
            },  # fmt: skip
            ward_files=[ws.root / "dang-bo.yaml", ws.rules_path],
            # the year before's too: an annual report states the level the ward recognised
            # for the cell that year (documents/bao_cao_nam.previous_recognised)
            ward_folders=[ws.ward_year_dir(job.nam), ws.ward_year_dir(job.nam - 1)],
            templates=templates,
            register=register_of(ws).digest(),
            cell_folders={cell_id: ws.cells_dir / cell_id for cell_id in ws.cell_ids()},
            today=date.today(),
        )
    except (DocgenError, OSError):
        return None


def _within(path: Path | None, root: Path) -> str | None:
    """A folder as a fingerprint names it: relative to ``root`` when inside it (a workspace
    moved elsewhere keeps its fingerprints)."""
    if path is None:
        return None
    absolute, base = os.path.abspath(path), os.path.abspath(root)
    return os.path.relpath(absolute, base) if absolute.startswith(base + os.sep) else absolute


def _unchanged(state: BatchState, key: str, fingerprint: str, output_root: Path) -> _Outcome | None:
    """What the last batch made for ``key`` (a cell id or the ward's key), if it was made
    from ``fingerprint`` and every document it wrote is still there, byte for byte: its
    records (a document issued then is now the same as issued), warnings and notes."""
    stored = state.outcome(key, fingerprint)
    if stored is None:
        return None
    records = [_record_from(entry) for entry in _list(stored.get("records"))]
    warnings, notes = _list(stored.get("warnings")), _list(stored.get("notes"))
    if not records or None in records or not all(isinstance(t, str) for t in [*warnings, *notes]):
        return None
    for record in records:
        assert record is not None
        if record.status != "ok" or record.output is None or record.sha256 is None:
            return None
        try:
            path = resolve_inside(output_root, Path(record.output))
            data = read_regular(path, DOCX_FILE_LIMIT)
        except (DocgenError, OSError):
            return None
        if hashlib.sha256(data).hexdigest() != record.sha256:
            return None
        if record.issue_state in {"moi", "cap_lai"}:
            record.issue_state = "giong"
    return _Outcome([r for r in records if r is not None], warnings, notes)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# A stored record's fields and the types each may hold (the state file is read as hostile).
_RECORD_FIELDS: dict[str, tuple[type, ...]] = {
    "kind": (str,), "cell": (str, type(None)), "status": (str,), "output": (str, type(None)),
    "sha256": (str, type(None)), "template": (str, type(None)), "template_sha256": (str, type(None)),
    "sources": (list,), "errors": (list,), "number": (str, type(None)), "issue_state": (str, type(None)),
    "docgen_version": (str,), "unmade": (bool,),
}  # fmt: skip


def _record_from(entry: object) -> DocRecord | None:
    """A manifest record as the state stored it, or None when it is not one."""
    if not isinstance(entry, dict) or set(entry) != set(_RECORD_FIELDS):
        return None
    if not all(isinstance(entry[k], types) for k, types in _RECORD_FIELDS.items()):
        return None
    sources = entry["sources"]
    if not all(
        isinstance(s, dict) and set(s) == {"path", "sha256"} and all(isinstance(v, str) for v in s.values())
        for s in sources
    ) or not all(isinstance(e, str) for e in entry["errors"]):
        return None
    return DocRecord(**entry)


def _save_state(
    path: Path,
    prints: Fingerprints,
    ws: Workspace,
    result: BatchResult,
    cells: dict[str, _Outcome],
    ward_from: tuple[int, int, int],
) -> None:
    """Remember what this batch made (cells whose documents were all made, the ward's
    documents if all were), for the next run; the register as this batch left it. A state
    that cannot be written only makes the next run make everything."""
    try:
        prints = prints.with_register(register_of(ws).digest())
    except DocgenError:
        return
    state = BatchState()
    for cell_id, outcome in cells.items():
        if outcome.records and all(r.status == "ok" for r in outcome.records):
            state.put(cell_id, prints.cell(cell_id), _stored(outcome.records, outcome.warnings, outcome.notes))
    records, warnings, notes = (
        result.records[ward_from[0]:], result.warnings[ward_from[1]:], result.notes[ward_from[2]:]
    )
    if records and not result.failed:
        state.put(BatchState.WARD, prints.ward(), _stored(records, warnings, notes))
    data = state.to_bytes()
    with suppress(OSError, DocgenError):
        if not _holds(path, data):
            write_all([(path, data)])


def _stored(records: list[DocRecord], warnings: list[str], notes: list[str]) -> dict[str, Any]:
    return {"records": [asdict(r) for r in records], "warnings": warnings, "notes": notes}


def _unissued(
    records: list[DocRecord], summarised: str | None, ws: Workspace, nam: int, quy: int | None
) -> list[str]:
    """The cells whose document of kind ``summarised`` could not be made in this batch (its
    template failed, memory ran out) although the cell has its input, so that the summary
    would count them as having reported. A cell whose document was made but could not be
    written (a full disk, a folder in the way) is counted: its data is what it reported."""
    if summarised is None:
        return []
    kind = get_kind(summarised)
    out = []
    for r in records:
        if r.kind != summarised or not r.unmade or r.cell is None or r.cell in out:
            continue
        own_year, own_quarter = ws.cell_year_kind(r.cell).own_period(nam, quy)
        path = kind.input_file(ws, r.cell, own_year, own_quarter)
        if path is None or path.is_file():
            out.append(r.cell)
    return out


def _skipped_summary(ws: Workspace, name: str, nam: int, quy: int | None) -> str | None:
    """Why the ward's document ``name`` is left out of the batch: its input file is not
    there (a ward with one cell may never make a summary), unless a file of a nearly
    right name is (then preparing it says so, as an error). None: make it.

    Raises:
        InputError: the ward's year folder cannot be read.
    """
    kind = get_kind(name)
    path = kind.input_file(ws, None, nam, quy)
    if path is None or path.is_file() or any(not s.shadowed for s in kind.strays(ws, None, nam, quy)):
        return None
    again = f"docgen render {name}{f' --quy {quy}' if quy else ''} --nam {nam}"
    return (
        f"chưa có tệp {display_path(path)} nên chưa làm báo cáo tổng hợp của Đảng ủy ({name}); "
        f"văn bản của các chi bộ vẫn được làm. Muốn làm thì tạo tệp đó rồi chạy: {again}"
    )


def _merge(documents: list[Path], output_root: Path, ward: str, nam: int, quy: int | None) -> Path:
    """The print bundle of the period's documents, in the ward's order.

    Raises:
        OutputError: a document could not be read or the bundle written.
    """
    from docgen.bundle import merge_documents
    from docgen.output import bundle_path

    target = output_root / bundle_path(ward, nam, period_label(quy))
    title = f"Tập văn bản {'quý ' + str(quy) + ' ' if quy else ''}năm {nam}"
    merge_documents(documents, target, title)
    return target
