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

import hmac
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from docgen._version import __version__
from docgen.documents.kinds import KINDS, kind_spec
from docgen.errors import DocgenError, InputError, Problem, display_path
from docgen.issue import ISSUE_STATES
from docgen.web import forms
from docgen.web.security import LocalOnly
from docgen.workspace import CELLS_DIR

__all__ = ["Site", "create_app"]

HERE = Path(__file__).parent
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_FORM_FIELDS = 20_000  # a quarter of a 300-member cell is about 3,000 inputs
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a roster of 7,000 members is under 1 MB
SHOWN_WARNINGS = 10  # an import's warnings told after it; the rest counted
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 4 * 1024 * 1024  # an upload, or a form of any cell
# The document kinds a cell makes (the kinds table), with the words of the cell page.
# (without the number's type code in brackets and what follows a ";" or ":")
CELL_KINDS = {
    spec.name: re.split(r"[;:]", re.sub(r"\s*\([^)]*\)", "", spec.description))[0]
    for spec in KINDS
    if spec.scope == "chi_bo"
}
WHAT = {"du-thao": "bản dự thảo", "phat-hanh": "văn bản", "phat-hanh-lai": "văn bản phát hành lại"}


@dataclass
class Site:
    """One running application: its workspace, output folder, form token and caches."""

    workspace: Path
    output_root: Path
    token: str
    preview_dir: Path
    _states: dict[tuple[str, int], tuple[Any, Any]] = field(default_factory=dict)
    _previewer: Any = None
    _messages: dict[str, str] = field(default_factory=dict)

    def ws(self) -> Any:
        from docgen.workspace import load_workspace

        return load_workspace(self.workspace)

    def fingerprint(self, cell_id: str) -> tuple[Any, ...]:
        """What a cell's check depends on: its files, the ward's file and rules, the day."""
        marks: list[Any] = [date.today()]
        for root, _dirs, files in os.walk(self.workspace / CELLS_DIR / cell_id):
            for name in sorted(files):
                st = os.stat(os.path.join(root, name))
                marks.append((root, name, st.st_mtime_ns, st.st_size))
        for path in self.workspace.glob("*.yaml"):
            st = path.stat()
            marks.append((path.name, st.st_mtime_ns, st.st_size))
        return tuple(marks)

    def states(self, ws: Any, cell_id: str, year: int) -> tuple[Any, list[str]]:
        """``editing.cell_states``, remembered until one of the cell's files changes."""
        from docgen.editing import cell_states

        key = (cell_id, year)
        mark = self.fingerprint(cell_id)
        cached = self._states.get(key)
        if cached is not None and cached[0] == mark:
            return cached[1]
        value = cell_states(ws, cell_id, year)
        self._states[key] = (mark, value)
        return value

    def tell(self, notice: str) -> str:
        """Keep a notice of success for the next page (after a redirect); returns its key."""
        key = secrets.token_urlsafe(8)
        self._messages[key] = notice
        return key

    def told(self, key: str | None) -> str | None:
        """The message kept under ``key`` (once), or None."""
        return self._messages.pop(key, None) if key else None

    def previewer(self) -> Any:
        if self._previewer is None:
            from docgen.preview import Previewer

            self._previewer = Previewer(self.preview_dir)
        return self._previewer

    def close(self) -> None:
        if self._previewer is not None:
            self._previewer.close()
            self._previewer = None


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    site = _site(request)
    ws = context.pop("_ws", None)
    ward = ws.dang_bo.ten if ws is not None else "docgen"
    base = {
        "ward": ward, "version": __version__, "workspace": display_path(site.workspace),
        "token": site.token, "roman": ROMAN,
    }  # fmt: skip
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status)


def _message(request: Request, heading: str, lines: list[str], status: int = 400, **extra: Any) -> HTMLResponse:
    return _page(request, "message.html", status, heading=heading, lines=lines, **extra)


def _problem_lines(exc: DocgenError) -> list[str]:
    if isinstance(exc, InputError):
        return [p.format() for p in exc.problems]
    return [str(exc)]


def _period(request: Request) -> tuple[int, int]:
    today = date.today()
    try:
        year = int(request.query_params.get("nam", today.year))
        quarter = int(request.query_params.get("quy", (today.month - 1) // 3 + 1))
    except ValueError:
        year, quarter = today.year, (today.month - 1) // 3 + 1
    if not 2000 <= year <= 2100:
        year = today.year
    if not 1 <= quarter <= 4:
        quarter = 1
    return year, quarter


async def _form(request: Request) -> FormData | Response:
    """The posted form, once its token is checked (a page of this server sent it)."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:  # said before anything is read
        return _message(request, "Không nhận được dữ liệu gửi lên", ["dữ liệu quá lớn hoặc hỏng"], 413)
    try:
        form = await request.form(max_fields=MAX_FORM_FIELDS, max_part_size=MAX_UPLOAD_BYTES)
    except Exception:  # starlette/multipart: too many fields, too big, malformed
        return _message(request, "Không nhận được dữ liệu gửi lên", ["dữ liệu quá lớn hoặc hỏng"], 413)
    token = form.get("_token")
    if not isinstance(token, str) or not hmac.compare_digest(token, _site(request).token):
        return _message(
            request, "Yêu cầu bị từ chối",
            ["trang gửi yêu cầu không phải của docgen, hoặc đã cũ (docgen vừa khởi động lại): "
             "mở lại trang rồi làm lại"], 403,
        )  # fmt: skip
    return form


def _issued(entries: list[Any], ward: str, cell_id: str, year: int) -> list[Any]:
    prefix = f"{ward}/{cell_id}/{year}/"
    return [e for e in entries if e.danh_tinh.startswith(prefix)]


# ------------------------------------------------------------------ pages


async def home(request: Request) -> Response:
    from docgen.register import read_register

    site = _site(request)
    year, quarter = _period(request)
    ws = site.ws()
    try:
        entries = read_register(ws)
    except DocgenError:
        entries = []
    rows, errors = [], []
    heads = ["Thông tin", "Đảng viên", "Kế hoạch", "Phân công", f"Quý {ROMAN[quarter]}", "Cuối năm"]
    for cell_id in ws.cell_ids():
        try:
            states, _warnings = site.states(ws, cell_id, year)
            name = _cell_name(ws, cell_id)
        except DocgenError as exc:
            errors += _problem_lines(exc)
            continue
        issued = [
            f"{e.so}-{e.ky_hieu} ({e.ngay_ban_hanh})"
            for e in _issued(entries, ws.dang_bo.ma, cell_id, year)
        ]
        rows.append({"cell_id": cell_id, "name": name, "issued": issued,
                     "states": [s for s in states if _column(s.file, quarter)]})  # fmt: skip
    return _page(request, "home.html", _ws=ws, year=year, quarter=quarter, rows=rows, heads=heads, errors=errors)


def _column(file: Any, quarter: int) -> bool:
    """A file with a column on the home page: the cell's, the year's first of each kind,
    the quarter's."""
    return file.quarter == quarter if file.quarter is not None else file.name == file.group


def _cell_name(ws: Any, cell_id: str) -> str:
    try:
        return str(ws.load_cell(cell_id).info.ten)
    except DocgenError:
        return cell_id


async def cell_page(request: Request) -> Response:
    from docgen.register import read_register

    site = _site(request)
    cell_id = request.path_params["cell"]
    year, quarter = _period(request)
    ws = site.ws()
    try:
        ws.require_cell(cell_id)
        states, warnings = site.states(ws, cell_id, year)
    except DocgenError as exc:
        return _message(request, "Không mở được chi bộ", _problem_lines(exc), 404, _ws=ws)
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
    return _page(
        request, "cell.html", _ws=ws, cell_id=cell_id, cell_name=_cell_name(ws, cell_id), year=year,
        quarter=quarter, states=states, warnings=warnings, documents=documents,
        message=site.told(request.query_params.get("tin")),
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


async def edit_file(request: Request) -> Response:
    from docgen.editing import cell_file, open_cell_file, save_cell_file

    site = _site(request)
    cell_id, name = request.path_params["cell"], request.path_params["name"]
    year, _quarter = _period(request)
    ws = site.ws()
    try:
        file = cell_file(ws, cell_id, name, year)
        opened = open_cell_file(ws, file)
    except DocgenError as exc:
        return _message(request, "Không mở được tệp", _problem_lines(exc), 404, _ws=ws)
    context: dict[str, Any] = {
        "_ws": ws, "cell_id": cell_id, "cell_name": _cell_name(ws, cell_id), "year": year,
        "title": file.title, "fresh": not opened.exists, "version": opened.version,
    }  # fmt: skip
    data = opened.data
    problems: list[Problem] = []
    if request.method == "POST":
        form = await _form(request)
        if isinstance(form, Response):
            return form
        posted = {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}
        data = forms.read(file.model, posted, opened.data)
        action = _row_action(posted)
        if action is not None:
            data = _apply_row_action(data, *action)
        else:
            try:
                version = form.get("_phien_ban")
                saved = save_cell_file(ws, file, data, version=version if isinstance(version, str) else None)
            except DocgenError as exc:
                return _message(request, "Chưa lưu được", _problem_lines(exc), 409, _ws=ws)
            problems = saved.problems
            if not problems:
                ws = site.ws()
                opened = open_cell_file(ws, file)
                data = opened.data
                context.update(version=opened.version, fresh=False)
                context["saved"] = "Đã lưu." if saved.written else "Không có gì thay đổi; tệp giữ nguyên."
                states, context["warnings"] = site.states(ws, cell_id, year)
                context["cell_problems"] = [
                    {"where": (p.file or "") + (f": {p.field}" if p.field else ""), "message": p.message,
                     "hint": p.hint, "link": _link(site, ws, p, cell_id, year)}
                    for state in states for p in state.problems
                ]  # fmt: skip
    tree = forms.build(file.model, data, members=_members(ws, cell_id))
    places = forms.attach(tree, problems)
    shown = [
        {"place": place, "field": p.field, "message": p.message, "hint": p.hint, "anchor": anchor}
        for p, (place, anchor) in zip(problems, places, strict=True)
    ]
    status = 422 if problems else 200
    return _page(request, "form.html", status, form=tree, problems=shown, **context)


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

    site = _site(request)
    cell_id = request.path_params["cell"]
    form = await _form(request)
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
        return _message(request, "Không làm được văn bản", ["yêu cầu không đúng"], 400, _ws=ws, back=back)
    needs_quarter = kind_spec(kind).needs_quarter
    try:
        result = docgen.render_documents(
            ws, [kind], year=year, quarter=quarter if needs_quarter else None, cells=[cell_id],
            output_root=site.output_root, draft=how == "du-thao", reissue=how == "phat-hanh-lai",
        )  # fmt: skip
    except DocgenError as exc:
        lines = _problem_lines(exc)
        reissue = None
        if how == "phat-hanh" and any("đã ban hành" in line or "--reissue" in line for line in lines):
            reissue = {"action": f"/chi-bo/{cell_id}/van-ban",
                       "fields": {"loai": kind, "nam": year, "quy": quarter}}  # fmt: skip
        return _message(request, f"Chưa làm được {WHAT[how]}", lines, 422, _ws=ws, back=back, reissue=reissue)
    docs = []
    for path in result.written:
        number, state = result.issued.get(path, ("", "du_thao"))
        state = ISSUE_STATES.get(state, state)
        rel = path.resolve().relative_to(site.output_root).as_posix()
        docs.append({"name": path.name, "rel": rel, "number": number, "state": state})
    _audit(docs, site)
    return _page(
        request, "documents.html", _ws=ws, cell_id=cell_id, cell_name=_cell_name(ws, cell_id), year=year,
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
    if not path.is_relative_to(site.output_root) or path.suffix not in (".docx", ".pdf", ".xlsx"):
        return None
    return path if path.is_file() else None


async def download(request: Request) -> Response:
    path = _document(_site(request), request.query_params.get("tep"))
    if path is None:
        return _message(request, "Không có tệp này", ["tệp không có trong thư mục văn bản"], 404)
    return FileResponse(path, filename=path.name)


async def preview(request: Request) -> Response:
    site = _site(request)
    rel = request.query_params.get("tep")
    path = _document(site, rel)
    if path is None or path.suffix != ".docx":
        return _message(request, "Không có tệp này", ["tệp không có trong thư mục văn bản"], 404)
    pages: list[int] = []
    error = None
    try:
        pages = list(range(1, len(site.previewer().pages(path)) + 1))
    except DocgenError as exc:
        error = str(exc)
    return _page(request, "preview.html", _ws=site.ws(), name=path.name, rel=rel, pages=pages, error=error)


async def page_image(request: Request) -> Response:
    site = _site(request)
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

    ws = _site(request).ws()
    try:
        entries = docgen.read_register(ws)
    except DocgenError as exc:
        return _message(request, "Không đọc được sổ đăng ký", _problem_lines(exc), 500, _ws=ws)
    return _page(request, "register.html", _ws=ws, entries=entries)


async def import_roster(request: Request) -> Response:
    import docgen

    site = _site(request)
    cell_id = request.path_params["cell"]
    form = await _form(request)
    if isinstance(form, Response):
        return form
    upload = form.get("tep")
    back = f"/chi-bo/{cell_id}"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _message(request, "Chưa nhập được danh sách", ["chưa chọn tệp Excel"], 400, back=back)
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _message(request, "Chưa nhập được danh sách", ["tệp quá lớn (tối đa 5 MB)"], 413, back=back)
    with tempfile.TemporaryDirectory(prefix="docgen-nhap-") as folder:
        name = Path(upload.filename).name if upload.filename.lower().endswith(".xlsx") else "danh-sach.xlsx"
        target = Path(folder) / name
        target.write_bytes(data)
        try:
            result = docgen.import_roster(site.workspace, cell_id, target, display=Path(upload.filename).name)
        except DocgenError as exc:
            return _message(request, "Chưa nhập được danh sách", _problem_lines(exc), 422, back=back)
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

    site = _site(request)
    cell_id = request.path_params["cell"]
    year, _quarter = _period(request)
    folder = Path(tempfile.mkdtemp(prefix="docgen-xuat-"))
    target = folder / f"danh-sach-{cell_id}.xlsx"
    cleanup = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
    try:
        docgen.export_roster(site.workspace, cell_id, target=target, year=year)
    except DocgenError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return _message(request, "Chưa xuất được danh sách", _problem_lines(exc), 422)
    return FileResponse(target, filename=target.name, background=cleanup)  # removed once sent


def create_app(
    workspace: Path, *, output_root: Path, token: str, port: int | None = None,
    preview_dir: Path | None = None,
) -> LocalOnly:  # fmt: skip
    """The ASGI application of ``docgen serve`` for ``workspace`` (documents go to
    ``output_root``; ``port``: the one Host headers must name, None for any)."""
    routes = [
        Route("/", home, name="trang_chu"),
        Route("/chi-bo/{cell}", cell_page, name="chi_bo"),
        Route("/chi-bo/{cell}/tep/{name}", edit_file, methods=["GET", "POST"], name="sua_tep"),
        Route("/chi-bo/{cell}/van-ban", make_document, methods=["POST"], name="lam_van_ban"),
        Route("/chi-bo/{cell}/dang-vien/nhap", import_roster, methods=["POST"], name="nhap_danh_sach"),
        Route("/chi-bo/{cell}/dang-vien/xuat", export_roster, name="xuat_danh_sach"),
        Route("/tai-ve", download, name="tai_ve"),
        Route("/xem-truoc", preview, name="xem_truoc"),
        Route("/xem-truoc/anh", page_image, name="anh_trang"),
        Route("/so-dang-ky", register_page, name="so_dang_ky"),
        Mount("/tinh", app=StaticFiles(directory=HERE / "static"), name="tinh"),
    ]
    app = Starlette(routes=routes)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    output_root = output_root.resolve()
    site = Site(
        workspace=workspace.resolve(), output_root=output_root, token=token,
        preview_dir=preview_dir or output_root / ".xem-truoc",
    )  # fmt: skip
    app.state.site = site
    return LocalOnly(app, port=port, site=site)
