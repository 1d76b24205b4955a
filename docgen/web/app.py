"""The routes of ``docgen serve``: each reads the request, calls the library, draws a page.

Pages (Vietnamese addresses, as the secretary sees them in the address bar):

- ``/``: the ward's cells and the state of each one's files and documents;
- ``/chi-bo/<cell>``: one cell: its files, its roster from/to Excel, its documents;
- ``/chi-bo/<cell>/tep/<file>``: a file as a form (GET shows, POST saves);
- ``/chi-bo/<cell>/van-ban`` (POST): make a draft or issue a document;
- ``/tai-ve``, ``/xem-truoc``, ``/xem-truoc/anh``: download a document, see its pages;
- ``/so-dang-ky``: the register.

Every POST carries the page's token (security.py); no name from the browser reaches
the file system unchecked: cells and files are looked up in the workspace, documents
are looked up under the output folder.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from docgen.documents.kinds import KINDS, kind_spec
from docgen.errors import DocgenError, EditConflict, Problem, display_path
from docgen.formatting import quarter_words, year_words
from docgen.history import History
from docgen.issue import ISSUE_STATES
from docgen.web import forms, login, mau, ward
from docgen.web.access import may, route
from docgen.web.common import (
    MAX_UPLOAD_BYTES,
    ROMAN,
    Site,
    account_of,
    cell_name,
    message_page,
    page,
    period_of,
    problem_lines,
    read_form,
    site_of,
    when_words,
)
from docgen.web.security import LocalOnly

__all__ = ["Site", "create_app"]

HERE = Path(__file__).parent
SHOWN_WARNINGS = 10  # an import's warnings told after it; the rest counted
# The document kinds a cell makes (the kinds table), with the words of the cell page.
# (without the number's type code in brackets and what follows a ";" or ":")
CELL_KINDS = {
    spec.name: re.split(r"[;:]", re.sub(r"\s*\([^)]*\)", "", spec.description))[0]
    for spec in KINDS
    if spec.scope == "chi_bo"
}
LOCAL_WHO = "máy này"  # who saved, in the local mode (no accounts)
NO_VERSION = "bản lưu không có trong lịch sử của chi bộ"
WHAT = {"du-thao": "bản dự thảo", "phat-hanh": "văn bản", "phat-hanh-lai": "văn bản phát hành lại"}


def _issued(entries: list[Any], ward: str, cell_id: str, year: int) -> list[Any]:
    prefix = f"{ward}/{cell_id}/{year}/"
    return [e for e in entries if e.danh_tinh.startswith(prefix)]


# ------------------------------------------------------------------ pages


async def home(request: Request) -> Response:
    from docgen.register import read_register

    site = site_of(request)
    account = account_of(request)
    if account is not None and account.role == "bi_thu":  # a secretary sees their own cell
        return RedirectResponse(login.landing(account), status_code=303)
    year, quarter = period_of(request)
    ws = site.ws()
    try:
        entries = read_register(ws)
    except DocgenError:
        entries = []
    rows, errors = [], []
    heads = ["Thông tin", "Đảng viên", "Kế hoạch", "Phân công", f"Quý {ROMAN[quarter]}", "Cuối năm"]
    for cell_id in ws.cell_ids():
        # a cell reviewing by school year shows its quarter ending in this one
        years = ws.cell_year_kind(cell_id)
        own_year, own_quarter = years.quarter_ending_in(year, quarter)
        try:
            states, _warnings = site.states(ws, cell_id, own_year)
            name = cell_name(ws, cell_id)
        except DocgenError as exc:
            errors += problem_lines(exc)
            continue
        if years.school:
            name += f" ({quarter_words(years, own_year, own_quarter)})"
        issued = [
            f"{e.ky_hieu} ({e.ngay_ban_hanh})"
            for e in _issued(entries, ws.dang_bo.ma, cell_id, own_year)
        ]
        rows.append({"cell_id": cell_id, "name": name, "issued": issued, "year": own_year, "quarter": own_quarter,
                     "states": [s for s in states if _column(s.file, own_quarter)]})  # fmt: skip
    return page(request, "home.html", _ws=ws, year=year, quarter=quarter, rows=rows, heads=heads, errors=errors)


def _column(file: Any, quarter: int) -> bool:
    """A file with a column on the home page: the cell's, the year's first of each kind,
    the quarter's."""
    return file.quarter == quarter if file.quarter is not None else file.name == file.group


async def cell_page(request: Request) -> Response:
    from docgen.register import read_register

    site = site_of(request)
    cell_id = request.path_params["cell"]
    year, quarter = period_of(request)
    ws = site.ws()
    try:
        ws.require_cell(cell_id)
        states, warnings = site.states(ws, cell_id, year)
    except DocgenError as exc:
        return message_page(request, "Không mở được chi bộ", problem_lines(exc), 404, _ws=ws)
    try:
        entries = _issued(read_register(ws), ws.dang_bo.ma, cell_id, year)
    except DocgenError:
        entries = []
    documents = []
    for kind, title in CELL_KINDS.items():
        mine = [
            {"so": e.so, "ky_hieu": e.ky_hieu, "ngay": e.ngay_ban_hanh}
            for e in entries
            if _kind_of(e.danh_tinh) == kind
            and (not kind_spec(kind).needs_quarter or e.danh_tinh.endswith(f"-{quarter}"))
        ]
        documents.append({"kind": kind, "title": title, "issued": mine})
    periods = []
    year_label = year_words(ws.cell_year_kind(cell_id), year)
    for period in (f"quy-{quarter}", "nam"):
        state = next((st for st in states if st.file.name == period), None)
        event = site.history.submission(cell_id, year, period)
        periods.append({
            "period": period,
            "title": f"Quý {ROMAN[quarter]} {year_label}" if period != "nam" else f"Cả {year_label}",
            "words": state.words if state is not None else "chưa có",
            "ready": state is not None and state.state == "san_sang",
            "submitted": event if event is not None and event.state == "da_nop" else None,
            "reopened": event if event is not None and event.state == "mo_lai" else None,
        })  # fmt: skip
    return page(
        request, "cell.html", _ws=ws, cell_id=cell_id, cell_name=cell_name(ws, cell_id), year=year,
        year_words=year_label, quarter=quarter, states=states, warnings=warnings, documents=documents, periods=periods,
        message=site.told(request.query_params.get("tin")), can_edit=may(request, "sua_chi_bo", cell_id),
    )  # fmt: skip


def _kind_of(identity: str) -> str:
    stem = identity.rsplit("/", 1)[-1]
    for kind in sorted(CELL_KINDS, key=len, reverse=True):
        if stem == kind or stem.startswith(kind + "-"):
            return kind
    return ""


def _members(ws: Any, cell_id: str) -> list[tuple[str, str]]:
    try:
        cell = ws.load_cell(cell_id)
    except DocgenError:
        return []
    return [(m.ma, f"{m.ho_ten} ({m.ma})") for m in cell.members]


def _anchor(problem: Problem) -> str:
    return forms.anchor_of(problem.path) if problem.path else "cac-loi"


def _link(site: Site, ws: Any, problem: Problem, cell_id: str, year: int) -> str | None:
    """The form where a problem of another file of the cell is fixed."""
    from docgen.editing import cell_files

    for file in cell_files(ws, cell_id, year):
        if display_path(file.path(ws)) == problem.file:
            suffix = f"?nam={year}" + (f"#{_anchor(problem)}" if problem.path else "")
            return f"/chi-bo/{cell_id}/tep/{file.name}{suffix}"
    return None


def _named_file(request: Request, ws: Any) -> Any:
    """The cell file the address names (``/chi-bo/{cell}/tep/{name}?nam=``); DocgenError
    when there is no such file."""
    from docgen.editing import cell_file

    year, _quarter = period_of(request)
    return cell_file(ws, request.path_params["cell"], request.path_params["name"], year)


async def edit_file(request: Request) -> Response:
    from docgen.editing import open_cell_file, period_of_file, save_recorded

    site = site_of(request)
    cell_id, name = request.path_params["cell"], request.path_params["name"]
    year, _quarter = period_of(request)
    ws = await run_in_threadpool(site.ws)

    def start() -> tuple[Any, Any, Any, str]:  # reading files: off the event loop
        file = _named_file(request, ws)
        opened = open_cell_file(ws, file)
        period = period_of_file(file)
        submitted = site.history.submission(cell_id, year, period) if period else None
        return file, opened, submitted, cell_name(ws, cell_id)

    try:
        file, opened, submitted, shown_name = await run_in_threadpool(start)
    except DocgenError as exc:
        return message_page(request, "Không mở được tệp", problem_lines(exc), 404, _ws=ws)
    context: dict[str, Any] = {
        "_ws": ws, "cell_id": cell_id, "cell_name": shown_name, "year": year,
        "title": file.title, "fresh": not opened.exists, "version": opened.version,
        "can_edit": may(request, "sua_chi_bo", cell_id),
        "locked": submitted if submitted is not None and submitted.state == "da_nop" else None,
        "history_url": _history_url(cell_id, name, file.year),
    }  # fmt: skip
    data = opened.data
    problems: list[Problem] = []
    if request.method == "POST":
        form = await read_form(request)
        if isinstance(form, Response):
            return form
        posted = {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}
        data = forms.read(file.model, posted, opened.data)
        sent = form.get("_phien_ban")
        version = sent if isinstance(sent, str) else None
        action = _row_action(posted)
        if action is not None:
            data = _apply_row_action(data, *action)
            context["version"] = version or opened.version  # the page's, not the file's now
        else:
            try:
                saved = await run_in_threadpool(
                    save_recorded, ws, file, data, version=version, who=_who(request),
                    history=site.history,
                )  # fmt: skip
            except EditConflict as exc:
                return _conflict(request, ws, exc, context, file)
            except DocgenError as exc:
                return message_page(request, "Chưa lưu được", problem_lines(exc), 409, _ws=ws)
            problems = saved.problems
            if problems:
                context["version"] = version or opened.version
            else:
                ws, data = await run_in_threadpool(_after_save, site, file, context, saved.written)
    return await run_in_threadpool(_form_page, request, ws, file, data, problems, context)


def _after_save(site: Site, file: Any, context: dict[str, Any], written: bool) -> tuple[Any, Any]:
    """The file as saved and where its cell stands, into ``context``; returns the workspace
    and the file's data (run in a worker thread: it reads the cell's files)."""
    from docgen.editing import open_cell_file

    cell_id, year = file.cell_id, context["year"]
    ws = site.ws()
    opened = open_cell_file(ws, file)
    context.update(_ws=ws, version=opened.version, fresh=False)
    context["saved"] = "Đã lưu." if written else "Không có gì thay đổi; tệp giữ nguyên."
    states, context["warnings"] = site.states(ws, cell_id, year)
    context["cell_problems"] = [
        {"where": (p.file or "") + (f": {p.field}" if p.field else ""), "message": p.message,
         "hint": p.hint, "link": _link(site, ws, p, cell_id, year)}
        for state in states for p in state.problems
    ]  # fmt: skip
    return ws, opened.data


def _form_page(
    request: Request, ws: Any, file: Any, data: Any, problems: list[Problem], context: dict[str, Any]
) -> Response:
    """The form of ``file`` holding ``data`` with ``problems`` placed, drawn (run in a worker
    thread: drawing the ~350 inputs of a quarter's form takes tens of milliseconds)."""
    tree = forms.build(file.model, data, members=_members(ws, file.cell_id))
    places = forms.attach(tree, problems)
    shown = [
        {"place": place, "field": p.field, "message": p.message, "hint": p.hint, "anchor": anchor}
        for p, (place, anchor) in zip(problems, places, strict=True)
    ]
    status = 422 if problems else 200
    return page(request, "form.html", status, form=tree, problems=shown, **context)


def _who(request: Request) -> str:
    """The name history records for a change: the account, or this computer (local mode)."""
    account = account_of(request)
    return str(account.name) if account is not None else LOCAL_WHO


def _history_url(cell_id: str, name: str, year: int | None) -> str:
    return f"/chi-bo/{cell_id}/tep/{name}/lich-su" + (f"?nam={year}" if year else "")


def _form_url(cell_id: str, name: str, year: int | None) -> str:
    return f"/chi-bo/{cell_id}/tep/{name}" + (f"?nam={year}" if year else "")


def _conflict(
    request: Request, ws: Any, exc: EditConflict, context: dict[str, Any], file: Any
) -> Response:
    """Both versions of a save that came too late: the file's (theirs) and the refused one."""
    lines = difflib.unified_diff(
        exc.theirs.splitlines(), exc.yours.splitlines(), "bản đang có", "bản của đồng chí", lineterm=""
    )
    diff = [
        {"kind": "hunk" if line.startswith("@@") else {"-": "them", "+": "you"}.get(line[:1], "same"),
         "text": line}
        for line in list(lines)[2:]
    ]  # fmt: skip
    return page(
        request, "conflict.html", 409, _ws=ws, cell_id=file.cell_id, cell_name=context["cell_name"],
        year=context["year"], title=file.title, reason=str(exc), theirs=exc.theirs, yours=exc.yours,
        diff=diff, form_url=_form_url(file.cell_id, file.name, file.year),
        history_url=context["history_url"],
    )  # fmt: skip


async def file_history(request: Request) -> Response:
    from docgen.history import ACTIONS

    site = site_of(request)
    cell_id, name = request.path_params["cell"], request.path_params["name"]
    year, _quarter = period_of(request)
    ws = site.ws()
    try:
        file = _named_file(request, ws)
    except DocgenError as exc:
        return message_page(request, "Không mở được tệp", problem_lines(exc), 404, _ws=ws)
    rel = file.path(ws).relative_to(ws.root).as_posix()
    versions = [
        {"id": v.id, "at": v.at, "who": v.who, "words": ACTIONS.get(v.action, v.action), "size": v.size}
        for v in site.history.versions(rel)
    ]
    return page(
        request, "history.html", _ws=ws, cell_id=cell_id, cell_name=cell_name(ws, cell_id), year=year,
        title=file.title, path=rel, versions=versions, form_url=_form_url(cell_id, name, file.year),
        can_edit=may(request, "sua_chi_bo", cell_id), message=site.told(request.query_params.get("tin")),
    )  # fmt: skip


def _version_of(request: Request) -> tuple[Any, str] | None:
    """The history version named in the address, if it belongs to the cell in the address."""
    site = site_of(request)
    try:
        version, text = site.history.version(int(request.path_params["version"]))
    except (ValueError, DocgenError):
        return None
    if version.cell != request.path_params["cell"]:
        return None  # another cell's version: as if it did not exist
    return version, text


def _version_history_url(version: Any) -> str:
    path = Path(version.file)
    year = path.parent.name
    return _history_url(str(version.cell), path.stem, int(year) if year.isdigit() else None)


async def show_version(request: Request) -> Response:
    from docgen.history import ACTIONS

    found = _version_of(request)
    if found is None:
        return message_page(request, "Không có bản lưu này", [NO_VERSION], 404)
    version, text = found
    cell_id = request.path_params["cell"]
    ws = site_of(request).ws()
    return page(
        request, "version.html", _ws=ws, cell_id=cell_id, cell_name=cell_name(ws, cell_id),
        version=version, text=text, words=ACTIONS.get(version.action, version.action),
        history_url=_version_history_url(version),
    )  # fmt: skip


async def restore(request: Request) -> Response:
    from docgen.editing import restore_version

    site = site_of(request)
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    found = _version_of(request)
    if found is None:
        return message_page(request, "Không có bản lưu này", [NO_VERSION], 404)
    version, _text = found
    back = _version_history_url(version)
    try:
        saved = await run_in_threadpool(
            restore_version, site.ws(), version.id, who=_who(request), history=site.history
        )
    except DocgenError as exc:
        return message_page(request, "Chưa khôi phục được", problem_lines(exc), 409, back=back)
    if saved.problems:
        lines = [p.format() for p in saved.problems]
        return message_page(request, "Chưa khôi phục được", lines, 422, back=back)
    words = f"Đã khôi phục bản lưu lúc {when_words(version.at)} ({version.who})."
    joiner = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{joiner}{urlencode({'tin': site.tell(words)})}", status_code=303)


async def submit_period(request: Request) -> Response:
    """A secretary submits a period (a quarter or the year) to the ward: its file is
    locked until the ward office reopens it. Only a period whose file is ready."""
    site = site_of(request)
    cell_id = request.path_params["cell"]
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    ws = site.ws()
    period = str(form.get("ky", ""))
    try:
        year = int(str(form.get("nam", "")))
        ws.require_cell(cell_id)
        if not re.fullmatch(r"quy-[1-4]|nam", period):
            raise ValueError(period)
    except (ValueError, DocgenError):
        return message_page(request, "Chưa nộp được", ["yêu cầu không đúng"], 400, _ws=ws)
    quarter = int(period[-1]) if period != "nam" else 4
    back = f"/chi-bo/{cell_id}?nam={year}&quy={quarter}"
    states, _warnings = site.states(ws, cell_id, year)
    state = next((s for s in states if s.file.name == period), None)
    if state is None or state.state != "san_sang":
        words = state.words if state is not None else "chưa có"
        lines = [f"tệp {period}.yaml {year_words(ws.cell_year_kind(cell_id), year)} đang “{words}”: sửa hết lỗi rồi nộp"]
        return message_page(request, "Chưa nộp được", lines, 409, _ws=ws, back=back)
    try:
        site.history.submit(cell_id, year, period, _who(request))
    except DocgenError as exc:  # submitted already (another tab, the deputy)
        return message_page(request, "Chưa nộp được", problem_lines(exc), 409, _ws=ws, back=back)
    what = "cả" if period == "nam" else f"quý {ROMAN[quarter]}"
    words = (
        f"Đã nộp {what} {year_words(ws.cell_year_kind(cell_id), year)} cho Đảng ủy; tệp của kỳ này khóa cho đến khi "
        "Văn phòng Đảng ủy mở lại."
    )
    return RedirectResponse(f"{back}&{urlencode({'tin': site.tell(words)})}", status_code=303)


def _row_action(posted: dict[str, list[str]]) -> tuple[str, str] | None:
    for action in ("_them", "_xoa"):
        values = posted.get(action)
        if values:
            return action, values[-1]
    return None


def _apply_row_action(data: Any, action: str, name: str) -> Any:
    """Add an empty row to the list ``name``, or remove the row ``name`` (``a.b.2``)."""
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in name.split(".")]
    if action == "_xoa":
        parts, index = parts[:-1], parts[-1]
    node = data
    for part in parts[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return data
    last = parts[-1] if parts else None
    if not isinstance(node, dict | list) or last is None:
        return data
    if action == "_them":
        if isinstance(node, dict):
            items = node.get(last)
            node[last] = [*(items if isinstance(items, list) else []), {}]
    elif isinstance(index, int):
        items = node.get(last) if isinstance(node, dict) else None
        if isinstance(items, list) and 0 <= index < len(items):
            del items[index]
    return data


async def make_document(request: Request) -> Response:
    import docgen

    site = site_of(request)
    cell_id = request.path_params["cell"]
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    kind, how = str(form.get("loai", "")), str(form.get("cach", "du-thao"))
    ws = site.ws()
    back = f"/chi-bo/{cell_id}?nam={form.get('nam', '')}&quy={form.get('quy', '')}"
    try:
        year, quarter = int(str(form.get("nam"))), int(str(form.get("quy")))
        if kind not in CELL_KINDS or how not in WHAT:
            raise ValueError(kind)
        ws.require_cell(cell_id)
    except (ValueError, DocgenError):
        return message_page(request, "Không làm được văn bản", ["yêu cầu không đúng"], 400, _ws=ws, back=back)
    needs_quarter = kind_spec(kind).needs_quarter
    try:
        result = docgen.render_documents(
            ws, [kind], year=year, quarter=quarter if needs_quarter else None, cells=[cell_id],
            output_root=site.output_root, draft=how == "du-thao", reissue=how == "phat-hanh-lai",
        )  # fmt: skip
    except DocgenError as exc:
        lines = problem_lines(exc)
        reissue = None
        if how == "phat-hanh" and any("đã ban hành" in line or "--reissue" in line for line in lines):
            reissue = {"action": f"/chi-bo/{cell_id}/van-ban",
                       "fields": {"loai": kind, "nam": year, "quy": quarter}}  # fmt: skip
        return message_page(request, f"Chưa làm được {WHAT[how]}", lines, 422, _ws=ws, back=back, reissue=reissue)
    docs = []
    for path in result.written:
        number, state = result.issued.get(path, ("", "du_thao"))
        state = ISSUE_STATES.get(state, state)
        rel = path.resolve().relative_to(site.output_root).as_posix()
        docs.append({"name": path.name, "rel": rel, "number": number, "state": state})
    _audit(docs, site)
    return page(
        request, "documents.html", _ws=ws, cell_id=cell_id, cell_name=cell_name(ws, cell_id), year=year,
        quarter=quarter, heading=f"Đã làm {WHAT[how]}", docs=docs, warnings=result.warnings,
        notes=result.notes,
    )  # fmt: skip


def _audit(docs: list[dict[str, Any]], site: Site) -> None:
    """``docgen audit``'s verdict on each document made."""
    import docgen

    for doc in docs:
        try:
            report = docgen.audit_documents([site.output_root / doc["rel"]])
        except DocgenError as exc:
            doc["audit"], doc["audit_ok"] = str(exc), False
            continue
        findings = [d.message for f in report.files for d in f.deviations]
        doc["audit_ok"] = not findings
        doc["audit"] = "đúng thể thức" if not findings else "; ".join(findings[:5])


def _document(site: Site, rel: str | None) -> Path | None:
    """A document of the output folder named by the browser, or None."""
    if not rel or "\x00" in rel:
        return None
    path = (site.output_root / rel).resolve()
    # documents, and a batch's manifest (JSON and CSV, docgen.output.manifest_path)
    shown = path.suffix in (".docx", ".pdf", ".xlsx") or (
        path.suffix in (".json", ".csv") and path.name.startswith("manifest-")
    )
    if not path.is_relative_to(site.output_root) or not shown:
        return None
    return path if path.is_file() else None


async def download(request: Request) -> Response:
    path = _document(site_of(request), request.query_params.get("tep"))
    if path is None:
        return message_page(request, "Không có tệp này", ["tệp không có trong thư mục văn bản"], 404)
    return FileResponse(path, filename=path.name)


async def preview(request: Request) -> Response:
    site = site_of(request)
    rel = request.query_params.get("tep")
    path = _document(site, rel)
    if path is None or path.suffix != ".docx":
        return message_page(request, "Không có tệp này", ["tệp không có trong thư mục văn bản"], 404)
    pages: list[int] = []
    error = None
    try:
        pages = list(range(1, len(site.previewer().pages(path)) + 1))
    except DocgenError as exc:
        error = str(exc)
    return page(request, "preview.html", _ws=site.ws(), name=path.name, rel=rel, pages=pages, error=error)


async def page_image(request: Request) -> Response:
    site = site_of(request)
    path = _document(site, request.query_params.get("tep"))
    try:
        number = int(request.query_params.get("trang", "0"))
        images = site.previewer().pages(path) if path is not None and path.suffix == ".docx" else []
    except (ValueError, DocgenError):
        images = []
        number = 0
    if not 1 <= number <= len(images):
        return Response("không có trang này", status_code=404, media_type="text/plain; charset=utf-8")
    return FileResponse(images[number - 1], media_type="image/png")


async def register_page(request: Request) -> Response:
    import docgen

    ws = site_of(request).ws()
    try:
        entries = docgen.read_register(ws)
    except DocgenError as exc:
        return message_page(request, "Không đọc được sổ đăng ký", problem_lines(exc), 500, _ws=ws)
    return page(request, "register.html", _ws=ws, entries=entries)


async def import_roster(request: Request) -> Response:
    import docgen

    site = site_of(request)
    cell_id = request.path_params["cell"]
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    upload = form.get("tep")
    back = f"/chi-bo/{cell_id}"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return message_page(request, "Chưa nhập được danh sách", ["chưa chọn tệp Excel"], 400, back=back)
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return message_page(request, "Chưa nhập được danh sách", ["tệp quá lớn (tối đa 5 MB)"], 413, back=back)
    with tempfile.TemporaryDirectory(prefix="docgen-nhap-") as folder:
        name = Path(upload.filename).name if upload.filename.lower().endswith(".xlsx") else "danh-sach.xlsx"
        target = Path(folder) / name
        target.write_bytes(data)
        try:
            result = docgen.import_roster(site.workspace, cell_id, target, display=Path(upload.filename).name)
        except DocgenError as exc:
            return message_page(request, "Chưa nhập được danh sách", problem_lines(exc), 422, back=back)
    merged = result.merged
    words = (
        f"Đã nhập {len(merged.members)} đảng viên từ {upload.filename}: giữ mã cũ {len(merged.kept)}, "
        f"thêm mới {len(merged.added)}"
        + (f"; không còn trong danh sách: {', '.join(merged.removed)}" if merged.removed else "")
        + "".join(f". Cảnh báo: {warning}" for warning in result.warnings[:SHOWN_WARNINGS])
        + (f". Còn {len(result.warnings) - SHOWN_WARNINGS} cảnh báo khác" if len(result.warnings) > SHOWN_WARNINGS else "")
    )
    return RedirectResponse(f"/chi-bo/{cell_id}?{urlencode({'tin': site.tell(words)})}", status_code=303)


async def export_roster(request: Request) -> Response:
    import docgen

    site = site_of(request)
    cell_id = request.path_params["cell"]
    year, _quarter = period_of(request)
    folder = Path(tempfile.mkdtemp(prefix="docgen-xuat-"))
    target = folder / f"danh-sach-{cell_id}.xlsx"
    cleanup = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
    try:
        docgen.export_roster(site.workspace, cell_id, target=target, year=year)
    except DocgenError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return message_page(request, "Chưa xuất được danh sách", problem_lines(exc), 422)
    return FileResponse(target, filename=target.name, background=cleanup)  # removed once sent


def create_app(
    workspace: Path, *, output_root: Path, token: str, port: int | None = None,
    preview_dir: Path | None = None, accounts: Any = None,
) -> LocalOnly:  # fmt: skip
    """The ASGI application of ``docgen serve`` for ``workspace`` (documents go to
    ``output_root``; ``port``: the one Host headers must name, None for any).

    ``accounts`` (docgen.accounts.Accounts) makes it the ward mode: every page needs a
    signed-in account and each route's rule decides (docgen.web.access); None is the
    local mode, for the person at this computer only."""
    routes = [
        route("/", home, rule="dang_nhap", name="trang_chu"),
        route("/chi-bo/{cell}", cell_page, rule="xem_chi_bo", name="chi_bo"),
        route("/chi-bo/{cell}/tep/{name}", edit_file, rule="xem_chi_bo", methods=["GET"], name="xem_tep"),
        route("/chi-bo/{cell}/tep/{name}", edit_file, rule="sua_chi_bo", methods=["POST"], name="sua_tep"),
        route("/chi-bo/{cell}/tep/{name}/lich-su", file_history, rule="xem_chi_bo", name="lich_su"),
        route("/chi-bo/{cell}/lich-su/{version:int}", show_version, rule="xem_chi_bo", name="phien_ban"),
        route("/chi-bo/{cell}/lich-su/{version:int}/khoi-phuc", restore, rule="sua_chi_bo",
              methods=["POST"], name="khoi_phuc"),
        route("/chi-bo/{cell}/nop", submit_period, rule="sua_chi_bo", methods=["POST"], name="nop_ky"),
        route("/chi-bo/{cell}/van-ban", make_document, rule="sua_chi_bo", methods=["POST"], name="lam_van_ban"),
        route("/chi-bo/{cell}/dang-vien/nhap", import_roster, rule="sua_chi_bo", methods=["POST"],
              name="nhap_danh_sach"),
        route("/chi-bo/{cell}/dang-vien/xuat", export_roster, rule="xem_chi_bo", name="xuat_danh_sach"),
        route("/tai-ve", download, rule="tep", name="tai_ve"),
        route("/xem-truoc", preview, rule="tep", name="xem_truoc"),
        route("/xem-truoc/anh", page_image, rule="tep", name="anh_trang"),
        route("/so-dang-ky", register_page, rule="xem_phuong", name="so_dang_ky"),
        *login.routes(),
        *ward.routes(),
        *mau.routes(),
        Mount("/tinh", app=StaticFiles(directory=HERE / "static"), name="tinh"),
    ]
    app = Starlette(routes=routes)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.templates.env.filters["luc"] = when_words
    output_root = output_root.resolve()
    site = Site(
        workspace=workspace.resolve(), output_root=output_root, token=token,
        preview_dir=preview_dir or output_root / ".xem-truoc", accounts=accounts,
        history=History.of_workspace(workspace.resolve()),
    )  # fmt: skip
    app.state.site = site
    return LocalOnly(app, port=port, site=site, ward=accounts is not None)
