"""A ward's batch (docgen.batch.run_batch) run away from the process that asked for it.

The web application starts the quarter's (or the year's) batch from the browser and must
stay responsive while it runs: :meth:`BatchJob.start` runs it in a child process (started
with ``spawn``: a fresh interpreter, nothing of the server's threads or sockets inherited);
the child reports its progress, ``(done, total)``, on a queue and, at the end, a
:class:`Summary` (plain picklable data: counts, paths relative to the output folder, each
failure's located lines) or the lines of the error that stopped the whole batch. A thread
of the parent reads the queue into the job's state, which :meth:`BatchJob.status` returns.

:class:`Jobs` is what a server keeps: at most one batch at a time (a second is refused
while one runs), the finished ones kept for their result pages.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError, UsageError

__all__ = ["BatchJob", "Document", "Failure", "JobStatus", "Jobs", "Summary"]

# How often the parent's reader looks whether the child is still alive when it says
# nothing (a child killed by the system sends no last word). Only a latency, no limit.
POLL_SECONDS = 0.5
# Finished jobs kept for their result pages (the oldest forgotten first); each is a few KB.
KEPT_JOBS = 20


@dataclass(frozen=True)
class Document:
    """One document the batch wrote (or kept unchanged)."""

    path: str  # relative to the output folder
    kind: str
    cell: str | None  # None: the ward's
    number: str | None  # "03-BC/CB"; None for a draft
    issue_state: str | None  # a key of docgen.issue.ISSUE_STATES


@dataclass(frozen=True)
class Failure:
    """A document the batch could not make: whose (a cell, or None for the ward's) and why."""

    cell: str | None
    kind: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """What a finished batch produced; every path relative to the output folder."""

    documents: tuple[Document, ...] = ()
    unchanged: int = 0  # cells not made again (unchanged since the batch that made them)
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    summaries: tuple[str, ...] = ()  # the ward's own documents (the quarter's or year's summary)
    manifest: str | None = None
    manifest_csv: str | None = None
    bundle: str | None = None
    bundle_error: tuple[str, ...] = ()
    pdfs: tuple[str, ...] = ()
    pdf_failed: tuple[tuple[str, str], ...] = ()  # (document, why)

    @property
    def written(self) -> int:
        return len(self.documents)


@dataclass(frozen=True)
class JobStatus:
    """A batch job as it stands: ``done`` of ``total`` (cells and ward documents) finished;
    ``summary`` once it finished well, ``error`` (lines) if the whole batch failed."""

    done: int = 0
    total: int = 0
    running: bool = True
    summary: Summary | None = None
    error: tuple[str, ...] = ()
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return not self.running


def _relative(path: Path | str, root: Path) -> str:
    path = Path(path)
    absolute = path if path.is_absolute() else root / path
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def summarise(result: Any, output_root: Path) -> Summary:
    """A docgen.batch.BatchResult as plain data, paths relative to ``output_root``."""
    documents, failures, summaries = [], [], []
    for record in result.records:
        if record.status == "ok" and record.output:
            rel = _relative(record.output, output_root)
            documents.append(Document(rel, record.kind, record.cell, record.number, record.issue_state))
            if record.cell is None:
                summaries.append(rel)
        else:
            failures.append(Failure(record.cell, record.kind, tuple(record.errors)))
    manifest = _relative(result.manifest, output_root) if result.manifest is not None else None
    csv = None
    if result.manifest is not None and Path(result.manifest).with_suffix(".csv").exists():
        csv = _relative(Path(result.manifest).with_suffix(".csv"), output_root)
    pdf = result.pdf
    return Summary(
        documents=tuple(documents), unchanged=result.unchanged, failures=tuple(failures),
        warnings=tuple(result.warnings), notes=tuple(result.notes), summaries=tuple(summaries),
        manifest=manifest, manifest_csv=csv,
        bundle=_relative(result.bundle, output_root) if result.bundle is not None else None,
        bundle_error=tuple(result.bundle_error.lines()) if result.bundle_error is not None else (),
        pdfs=tuple(_relative(p, output_root) for p in (pdf.written if pdf is not None else [])),
        pdf_failed=tuple(
            (_relative(p, output_root), why) for p, why in (pdf.failed.items() if pdf is not None else [])
        ),
    )  # fmt: skip


def _child(
    messages: Any, workspace: Path, year: int, quarter: int | None, output_root: Path, bundle: bool, pdf: bool
) -> None:
    """The child process: the batch, its progress and its outcome put on ``messages``."""
    try:
        from docgen.batch import run_batch

        result = run_batch(
            workspace, year=year, quarter=quarter, output_root=output_root, bundle=bundle, pdf=pdf,
            progress=lambda done, total: messages.put(("progress", done, total)),
        )  # fmt: skip
        messages.put(("done", summarise(result, output_root)))
    except DocgenError as exc:
        messages.put(("error", tuple(exc.lines())))
    except KeyboardInterrupt:
        stopped = "đã dừng trước khi làm xong: văn bản đã làm xong vẫn được giữ; hãy chạy lại"
        messages.put(("error", (stopped,)))
    except Exception as exc:  # docgen's own fault: said in one line, never a traceback
        messages.put(("error", (
            f"docgen gặp lỗi không lường trước khi làm văn bản ({type(exc).__name__}: {exc}); "
            "hãy chạy lại, vẫn lỗi thì chạy docgen batch trong cửa sổ lệnh và báo cho người "
            "quản lý docgen",
        )))  # fmt: skip


def _died(exitcode: int | None) -> str:
    """Why a batch stopped when its child process ended without a word."""
    return (
        f"tiến trình làm văn bản bị dừng đột ngột (mã thoát {exitcode}; có thể do thiếu bộ "
        "nhớ): văn bản đã làm xong vẫn được giữ; hãy chạy lại"
    )


class BatchJob:
    """One batch running (or run) in a child process; its state read by a thread."""

    def __init__(self, *, who: str, clock: Callable[[], float] = time.time) -> None:
        self.id = secrets.token_hex(8)
        self.who = who
        self.started = clock()
        self._clock = clock
        self._lock = threading.Lock()
        self._status = JobStatus()
        self._ended = threading.Event()
        self._process: Any = None

    @classmethod
    def start(
        cls, workspace: Path, *, year: int, quarter: int | None, output_root: Path, bundle: bool, pdf: bool,
        who: str, clock: Callable[[], float] = time.time,
    ) -> BatchJob:  # fmt: skip
        """Start the batch of ``quarter`` of ``year`` (None: the year's reviews) for the
        workspace at ``workspace``, documents into ``output_root``."""
        job = cls(who=who, clock=clock)
        context = multiprocessing.get_context("spawn")
        messages = context.Queue()
        process = context.Process(
            target=_child, name=f"docgen-lo-{job.id}",
            args=(messages, Path(workspace).resolve(), year, quarter, Path(output_root).resolve(), bundle, pdf),
        )  # fmt: skip
        process.start()
        job._process = process
        threading.Thread(target=job._read, args=(messages, process), name=f"docgen-doc-{job.id}", daemon=True).start()
        return job

    def _read(self, messages: Any, process: Any) -> None:
        """The parent's reader: the child's messages into the job's state, until its end."""
        try:
            while True:
                try:
                    message = messages.get(timeout=POLL_SECONDS)
                except queue_module.Empty:
                    if process.is_alive():
                        continue
                    try:  # what it sent just before it ended
                        message = messages.get(timeout=POLL_SECONDS)
                    except queue_module.Empty:
                        self._finish(error=(_died(process.exitcode),))
                        return
                if message[0] == "progress":
                    with self._lock:
                        self._status = replace(self._status, done=message[1], total=message[2])
                elif message[0] == "done":
                    self._finish(summary=message[1])
                    return
                else:
                    self._finish(error=tuple(message[1]))
                    return
        finally:
            process.join()
            messages.close()
            self._ended.set()

    def _finish(self, *, summary: Summary | None = None, error: tuple[str, ...] = ()) -> None:
        with self._lock:
            done = self._status.total if summary is not None else self._status.done
            self._status = replace(
                self._status, done=done, running=False, summary=summary, error=error, finished_at=self._clock()
            )

    def status(self) -> JobStatus:
        with self._lock:
            return self._status

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the job ended (its child process joined); False if ``timeout`` passed."""
        return self._ended.wait(timeout)


@dataclass
class Jobs:
    """The batch jobs of one server: at most one runs at a time.

    ``starter`` makes a job (:meth:`BatchJob.start`; tests give their own).
    """

    starter: Callable[..., BatchJob] = BatchJob.start
    _jobs: dict[str, BatchJob] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(
        self, workspace: Path, *, year: int, quarter: int | None, output_root: Path, bundle: bool, pdf: bool,
        who: str,
    ) -> BatchJob:  # fmt: skip
        """Start a batch, unless one is running.

        Raises:
            UsageError: a batch is running (who started it, when).
        """
        with self._lock:
            running = self._running()
            if running is not None:
                at = time.strftime("%H:%M", time.localtime(running.started))
                raise UsageError(
                    f"đang làm văn bản cả phường (do {running.who} bắt đầu lúc {at}); chờ lần đó "
                    "xong rồi mới chạy lần khác"
                )
            job = self.starter(
                workspace, year=year, quarter=quarter, output_root=output_root, bundle=bundle, pdf=pdf, who=who
            )
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if not j.status().running]
            for old in finished[: max(0, len(self._jobs) - KEPT_JOBS)]:
                del self._jobs[old.id]
            return job

    def _running(self) -> BatchJob | None:
        return next((j for j in self._jobs.values() if j.status().running), None)

    def get(self, job_id: str) -> BatchJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def current(self) -> BatchJob | None:
        """The job running now, if any."""
        with self._lock:
            return self._running()

    def latest(self) -> BatchJob | None:
        """The job started last (running or not), if any."""
        with self._lock:
            return next(reversed(self._jobs.values()), None)
