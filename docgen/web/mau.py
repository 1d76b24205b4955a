"""The ward office's Word templates in the browser (issue 15): upload, check, preview,
put in use, restore an earlier version. Every route is the ward office's (rule ``dang_uy``).

- ``/mau``: each template: where the one in use comes from, its stored versions (each with
  "Dùng bản này"), the upload form;
- ``/mau/tai-len`` (POST): store an upload (docgen.templatestore), then its page;
- ``/mau/<mẫu>/<bản>``: a version: the check's findings, its pages made with sample data,
  "Dùng mẫu này" (POST ``/mau/<mẫu>/<bản>/dung``), disabled while the check finds errors;
- ``/mau/<mẫu>/<bản>/anh?trang=N``: a page image of that preview;
- ``/mau/<mẫu>/co-san`` (POST): back to the built-in template (the ward's copy kept).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError, TemplateCheckError, UsageError
from docgen.web.access import route
from docgen.web.common import account_of, message_page, page, problem_lines, read_form, site_of

__all__ = ["routes"]

PREVIEW_FOLDER = "mau"  # under the site's preview folder: the .docx made for each version


def routes() -> list[Route]:
    """The routes of this part of the application (each made with docgen.web.access.route)."""
    return [
        route("/mau", templates_page, rule="dang_uy", name="mau"),
        route("/mau/tai-len", upload, rule="dang_uy", methods=["POST"], name="mau_tai_len"),
        route("/mau/{kind}/co-san", use_builtin, rule="dang_uy", methods=["POST"], name="mau_co_san"),
        route("/mau/{kind}/{number:int}", version_page, rule="dang_uy", name="mau_ban"),
        route("/mau/{kind}/{number:int}/dung", activate, rule="dang_uy", methods=["POST"], name="mau_dung"),
        route("/mau/{kind}/{number:int}/anh", page_image, rule="dang_uy", name="mau_anh"),
    ]


def _store(request: Request) -> Any:
    from docgen.templatestore import TemplateStore

    return TemplateStore.of_workspace(site_of(request).workspace)


def _who(request: Request) -> str:
    account = account_of(request)
    name = getattr(account, "name", None) if account is not None else None
    return str(name) if name else "máy này"


def _shown(version: Any) -> dict[str, Any]:
    return {
        "number": version.number, "who": version.who, "at": _when(version.at),
        "sha256": version.sha256, "name": version.uploaded_name, "active": version.active,
        "state": version.state_text,
        "used": [(who, _when(at)) for who, at in version.activations],
    }  # fmt: skip


def _when(stamp: str) -> str:
    """``2026-12-04T09:30:00+07:00`` as ``09:30 ngày 04/12/2026`` (the time where it was taken)."""
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{at:%H:%M} ngày {at:%d/%m/%Y}"


def _lines(exc: DocgenError) -> list[str]:
    return exc.lines() if isinstance(exc, TemplateCheckError) else problem_lines(exc)


async def templates_page(request: Request) -> Response:
    site = site_of(request)
    store = _store(request)
    try:
        kinds = await run_in_threadpool(store.kinds)
    except DocgenError as exc:
        return message_page(request, "Không đọc được mẫu Word", problem_lines(exc), 500)
    rows = []
    for k in kinds:
        active = k.active
        rows.append({
            "kind": k.kind, "file": k.file, "title": k.title, "own": k.own, "sha256": k.sha256,
            "active": _shown(active) if active else None,
            "versions": [_shown(v) for v in reversed(k.versions)],
        })  # fmt: skip
    from docgen.templatestore import UPLOAD_LIMIT

    return page(
        request, "mau.html", _ws=site.ws(), rows=rows, limit=f"{UPLOAD_LIMIT // (1024 * 1024)} MB",
        message=site.told(request.query_params.get("tin")),
    )  # fmt: skip


async def upload(request: Request) -> Response:
    from docgen.templatestore import UPLOAD_LIMIT

    form = await read_form(request)
    if isinstance(form, Response):
        return form
    back = "/mau"
    kind = str(form.get("mau", ""))
    file = form.get("tep")
    if not isinstance(file, UploadFile) or not file.filename:
        return message_page(request, "Chưa tải được mẫu lên", ["chưa chọn tệp mẫu (.docx)"], 400, back=back)
    data = await file.read(UPLOAD_LIMIT + 1)
    store = _store(request)
    try:
        candidate = await run_in_threadpool(
            store.upload, kind, data, filename=file.filename, who=_who(request)
        )
    except DocgenError as exc:
        status = 400 if isinstance(exc, UsageError) else 422
        return message_page(request, "Chưa tải được mẫu lên", _lines(exc), status, back=back)
    target = request.url_for("mau_ban", kind=kind, number=candidate.version.number).path
    return RedirectResponse(target, status_code=303)


async def version_page(request: Request) -> Response:
    site = site_of(request)
    kind, number = request.path_params["kind"], request.path_params["number"]
    store = _store(request)
    try:
        version = await run_in_threadpool(store.version, kind, number)
        findings = await run_in_threadpool(store.check, kind, number)
        current = await run_in_threadpool(store.kind, kind)
    except DocgenError as exc:
        return message_page(request, "Không có bản mẫu này", problem_lines(exc), 404, back="/mau")
    errors = [f.format() for f in findings if f.is_error]
    warnings = [f.format() for f in findings if not f.is_error]
    pages: list[int] = []
    preview_error = None
    if not errors:
        try:
            pages = list(range(1, len(await run_in_threadpool(_pages, request, kind, number)) + 1))
        except DocgenError as exc:
            preview_error = _lines(exc)
    return page(
        request, "mau-ban.html", _ws=site.ws(), kind=kind, title=current.title, file=current.file,
        item=_shown(version), errors=errors, warnings=warnings, pages=pages,
        preview_error=preview_error,
    )  # fmt: skip


def _pages(request: Request, kind: str, number: int) -> list[Path]:
    """The page images of a version's preview (the .docx made again each time, so it shows
    today's sample data; the images are cached by the .docx's content)."""
    site = site_of(request)
    store = _store(request)
    made = store.preview(kind, number, site.preview_dir / PREVIEW_FOLDER)
    images: list[Path] = site.previewer().pages(made)
    return images


def _made_pages(request: Request, kind: str, number: int) -> list[Path]:
    """The page images of the preview last made for this version (made if there is none)."""
    site = site_of(request)
    _store(request).version(kind, number)  # only a stored version's name reaches a path
    made = site.preview_dir / PREVIEW_FOLDER / f"{kind}-ban-{number}.docx"
    if not made.is_file():
        return _pages(request, kind, number)
    images: list[Path] = site.previewer().pages(made)
    return images


async def page_image(request: Request) -> Response:
    kind, number = request.path_params["kind"], request.path_params["number"]
    try:
        wanted = int(request.query_params.get("trang", "0"))
        images = await run_in_threadpool(_made_pages, request, kind, number)
    except (ValueError, DocgenError):
        images, wanted = [], 0
    if not 1 <= wanted <= len(images):
        return Response("không có trang này", status_code=404, media_type="text/plain; charset=utf-8")
    return FileResponse(images[wanted - 1], media_type="image/png")


async def activate(request: Request) -> Response:
    site = site_of(request)
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    kind, number = request.path_params["kind"], request.path_params["number"]
    back = f"/mau/{kind}/{number}"
    try:
        version = await run_in_threadpool(_store(request).activate, kind, number, who=_who(request))
    except DocgenError as exc:
        status = 404 if isinstance(exc, UsageError) else 422
        return message_page(request, "Chưa dùng được mẫu này", _lines(exc), status, back=back)
    words = f"Đã dùng bản {version.number} của mẫu {kind}.docx: văn bản làm từ nay theo mẫu này."
    return RedirectResponse(f"/mau?{urlencode({'tin': site.tell(words)})}", status_code=303)


async def use_builtin(request: Request) -> Response:
    site = site_of(request)
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    kind = request.path_params["kind"]
    try:
        await run_in_threadpool(_store(request).use_builtin, kind, who=_who(request))
    except DocgenError as exc:
        status = 404 if isinstance(exc, UsageError) else 422
        return message_page(request, "Chưa trở lại mẫu có sẵn", _lines(exc), status, back="/mau")
    words = f"Mẫu {kind}.docx: văn bản làm từ nay theo mẫu có sẵn; mẫu riêng vừa bỏ được giữ lại trong danh sách bản."
    return RedirectResponse(f"/mau?{urlencode({'tin': site.tell(words)})}", status_code=303)
