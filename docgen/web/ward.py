"""The ward office's pages: the period's board, the recognised levels, the batch.

- ``/phuong?nam=&ky=quy-3`` (GET): every cell's state for the period (docgen.wardboard),
  the cells still missing, counts per state; for the ward office a "Mở lại" button per
  submitted cell (POST ``/phuong/mo-lai``) and the batch form (POST ``/phuong/lo``);
- ``/phuong/cong-nhan?nam=`` (GET shows, POST saves): the committee's recognised level of
  each cell (``cong_nhan.chi_bo`` of ``data/<nam>/tong-hop-nam.yaml``);
- ``/phuong/lo/<job>`` (GET): a batch's progress (the page reloads itself every 2 s while it
  runs: a ``<meta http-equiv="refresh">`` and a ``Refresh`` header, no JavaScript), then its
  results with links through ``/tai-ve``.

The batch runs in a child process (docgen.batchjob); the server keeps one
:class:`docgen.batchjob.Jobs` in ``request.app.state.ward_jobs``, made on first use, so at
most one batch runs at a time.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError, EditConflict, InputError, UsageError
from docgen.formatting import year_words
from docgen.web.access import route
from docgen.web.common import (
    account_of,
    cell_name,
    message_page,
    page,
    problem_lines,
    read_form,
    site_of,
    when_words,
)

__all__ = ["routes"]

# How often the batch's page reloads itself while the batch runs, in seconds.
REFRESH_SECONDS = 2
_jobs_lock = threading.Lock()


def _jobs(request: Request) -> Any:
    """The server's one docgen.batchjob.Jobs, made on first use."""
    from docgen.batchjob import Jobs

    state = request.app.state
    with _jobs_lock:
        jobs = getattr(state, "ward_jobs", None)
        if jobs is None:
            jobs = state.ward_jobs = Jobs()
    return jobs


def _office(request: Request) -> bool:
    """The person may act for the ward office (the local mode, or a ward-office account)."""
    account = account_of(request)
    return account is None or getattr(account, "role", None) == "dang_uy"


def _who(request: Request) -> str:
    account = account_of(request)
    return str(account.name) if account is not None else "máy này"


def _year(value: Any) -> int:
    try:
        year = int(str(value))
    except (TypeError, ValueError):
        return date.today().year
    return year if 2000 <= year <= 2100 else date.today().year


def _period(value: Any) -> str:
    from docgen.wardboard import PERIODS

    if isinstance(value, str) and value in PERIODS:
        return value
    return f"quy-{(date.today().month - 1) // 3 + 1}"


def _period_words(period: str) -> str:
    from docgen.web.common import ROMAN

    return f"quý {ROMAN[int(period[-1])]}" if period.startswith("quy-") else "cả năm"


# ------------------------------------------------------------------ the board


async def board_page(request: Request) -> Response:
    from docgen.wardboard import PERIODS, STATE_WORDS, board

    site = site_of(request)
    year = _year(request.query_params.get("nam"))
    period = _period(request.query_params.get("ky"))
    ws = site.ws()
    made = await run_in_threadpool(board, ws, year, period, history=site.history, states=site.states)
    quarter = int(period[-1]) if period.startswith("quy-") else None
    rows = [
        {"row": r, "saved_at": when_words(r.saved_at), "submitted_at": when_words(r.submitted_at),
         "link": f"/chi-bo/{r.cell_id}?nam={year}" + (f"&quy={quarter}" if quarter else "")}
        for r in made.rows
    ]  # fmt: skip
    jobs = _jobs(request)
    return page(
        request, "phuong.html", _ws=ws, year=year, period=period, periods=PERIODS,
        period_words=_period_words, board=made, rows=rows, counts=made.counts, state_words=STATE_WORDS,
        office=_office(request), history=site.history is not None, running=jobs.current(),
        latest=jobs.latest(), notice=site.told(request.query_params.get("tin")),
    )  # fmt: skip


async def reopen(request: Request) -> Response:
    from docgen.wardboard import PERIODS

    site = site_of(request)
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    cell_id, period = str(form.get("cell", "")), str(form.get("ky", ""))
    year = _year(form.get("nam"))
    back = f"/phuong?{urlencode({'nam': year, 'ky': period})}"
    ws = site.ws()
    if site.history is None:
        lines = ["docgen đang chạy không có lịch sử nộp của các chi bộ"]
        return message_page(request, "Chưa mở lại được", lines, 400, _ws=ws, back=back)
    if cell_id not in ws.cell_ids() or period not in PERIODS:
        return message_page(request, "Chưa mở lại được", ["yêu cầu không đúng"], 400, _ws=ws, back=back)
    # the board's period is the ward's; a school-year cell submitted its own quarter ending in it
    years = ws.cell_year_kind(cell_id)
    own_year, own_quarter = years.own_period(year, int(period[-1]) if period.startswith("quy-") else None)
    own = period if own_quarter is None else f"quy-{own_quarter}"
    try:
        await run_in_threadpool(site.history.reopen, cell_id, own_year, own, _who(request))
    except DocgenError as exc:
        return message_page(request, "Chưa mở lại được", problem_lines(exc), 409, _ws=ws, back=back)
    notice = site.tell(
        f"Đã mở lại {_period_words(own)} {year_words(years, own_year)} cho chi bộ {cell_id}: chi bộ sửa tiếp được."
    )
    return RedirectResponse(f"{back}&{urlencode({'tin': notice})}", status_code=303)


# ------------------------------------------------------------------ recognised levels


async def levels_page(request: Request) -> Response:
    from docgen.documents.wording import SHORT_LEVEL
    from docgen.wardboard import (
        LEVELS,
        levels_version,
        proposed_levels,
        recognised_levels,
        save_recognised_levels,
    )

    site = site_of(request)
    ws = site.ws()
    year = _year(request.query_params.get("nam"))
    lines: list[str] = []
    at_row: dict[str, list[str]] = {}
    saved = None
    status = 200
    try:
        chosen: dict[str, str | None] = await run_in_threadpool(recognised_levels, ws, year)
    except DocgenError as exc:
        chosen, lines, status = dict.fromkeys(ws.cell_ids()), problem_lines(exc), 422
    version = await run_in_threadpool(levels_version, ws, year)
    if request.method == "POST":
        form = await read_form(request)
        if isinstance(form, Response):
            return form
        posted = {cell_id: str(form.get(f"muc.{cell_id}", "")) for cell_id in ws.cell_ids()}
        stored, chosen = chosen, {cell_id: value or None for cell_id, value in posted.items()}
        sent = form.get("_phien_ban")
        try:
            changed = await run_in_threadpool(
                lambda: save_recognised_levels(
                    ws, year, chosen, who=_who(request), history=site.history,
                    version=sent if isinstance(sent, str) else None,
                )
            )  # fmt: skip
        except EditConflict as exc:
            # what the other person saved, at each row that differs; saving again takes
            # this page's choices over it knowingly (the form now carries the new version)
            status, lines = 409, [str(exc)]
            for cell_id, level in stored.items():
                if level != chosen.get(cell_id):
                    words = SHORT_LEVEL.get(level or "", "") or "chưa quyết định"
                    at_row.setdefault(cell_id, []).append(f"người khác vừa lưu: {words}")
        except InputError as exc:
            status = 422
            for problem in exc.problems:
                path = problem.path
                cell = path[3] if len(path) > 3 and isinstance(path[3], str) else None
                if cell is not None and cell in posted:
                    at_row.setdefault(cell, []).append(problem.message)
                else:
                    lines.append(problem.format())
        except DocgenError as exc:
            status, lines = 422, problem_lines(exc)
        else:
            saved = "Đã lưu mức công nhận." if changed else "Không có gì thay đổi; tệp giữ nguyên."
            version = await run_in_threadpool(levels_version, ws, year)
    proposed = await run_in_threadpool(proposed_levels, ws, year)
    names = {cell_id: cell_name(ws, cell_id) for cell_id in ws.cell_ids()}
    rows = [
        {"cell_id": c, "name": names[c], "proposed": SHORT_LEVEL.get(proposed.get(c) or "", ""),
         "value": chosen.get(c) or "", "problems": at_row.get(c, [])}
        for c in ws.cell_ids()
    ]  # fmt: skip
    return page(
        request, "phuong-cong-nhan.html", status, _ws=ws, year=year, rows=rows, levels=LEVELS,
        level_words=SHORT_LEVEL, lines=lines, saved=saved, office=_office(request), version=version,
    )  # fmt: skip


# ------------------------------------------------------------------ the batch


async def start_batch(request: Request) -> Response:
    site = site_of(request)
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    year = _year(form.get("nam"))
    period = _period(form.get("ky"))
    quarter = int(period[-1]) if period.startswith("quy-") else None
    back = f"/phuong?{urlencode({'nam': year, 'ky': period})}"
    try:
        job = _jobs(request).start(
            site.workspace, year=year, quarter=quarter, output_root=site.output_root,
            bundle=form.get("bundle") is not None, pdf=form.get("pdf") is not None, who=_who(request),
        )  # fmt: skip
    except UsageError as exc:
        return message_page(request, "Chưa chạy được", problem_lines(exc), 409, back=back)
    return RedirectResponse(f"/phuong/lo/{job.id}", status_code=303)


async def batch_page(request: Request) -> Response:
    from docgen.issue import ISSUE_STATES

    site = site_of(request)
    job = _jobs(request).get(request.path_params["job"])
    if job is None:
        lines = ["không có lần làm văn bản này (docgen vừa khởi động lại?)"]
        return message_page(request, "Không có lần chạy này", lines, 404, back="/phuong")
    status = job.status()
    ws = site.ws()
    names = {cell_id: cell_name(ws, cell_id) for cell_id in ws.cell_ids()}
    response = page(
        request, "phuong-lo.html", _ws=ws, job=job, job_status=status, started=when_words(job.started),
        finished_at=when_words(status.finished_at), names=names, refresh=REFRESH_SECONDS,
        issue_states=ISSUE_STATES, elapsed=_elapsed(job.started, status.finished_at),
    )  # fmt: skip
    if status.running:
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


def _elapsed(started: float, finished: float | None) -> str:
    seconds = max(0, round((finished if finished is not None else time.time()) - started))
    return f"{seconds // 60} phút {seconds % 60} giây" if seconds >= 60 else f"{seconds} giây"


def routes() -> list[Route]:
    """The routes of this part of the application (each made with docgen.web.access.route)."""
    return [
        route("/phuong", board_page, rule="xem_phuong", name="phuong"),
        route("/phuong/mo-lai", reopen, rule="dang_uy", methods=["POST"], name="phuong_mo_lai"),
        route("/phuong/cong-nhan", levels_page, rule="xem_phuong", methods=["GET"], name="phuong_cong_nhan"),
        route("/phuong/cong-nhan", levels_page, rule="dang_uy", methods=["POST"], name="phuong_cong_nhan_luu"),
        route("/phuong/lo", start_batch, rule="dang_uy", methods=["POST"], name="phuong_lo"),
        route("/phuong/lo/{job}", batch_page, rule="xem_phuong", name="phuong_lo_ket_qua"),
    ]
