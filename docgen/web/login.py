"""Signing in and out of the ward mode of ``docgen serve`` (docgen.accounts keeps the
accounts, the limits on failed logins and the sessions; this module only draws the form,
calls it and sets or clears the cookie)."""

from __future__ import annotations

from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import AccessRefused
from docgen.web.access import SESSION_COOKIE, route
from docgen.web.common import account_of, page, read_form, site_of

__all__ = ["landing", "routes"]


def landing(account: object) -> str:
    """Where an account goes after signing in when no page was asked for: a secretary to
    their cell, the others to the ward's board."""
    cell = getattr(account, "cell", None)
    return f"/chi-bo/{cell}" if cell else "/phuong"


def _next(value: str | None) -> str | None:
    """A page of this server to go back to (a path, never another site)."""
    if not value:
        return None
    path = unquote(value)
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "\n" in path:
        return None
    return path


async def login(request: Request) -> Response:
    site = site_of(request)
    if site.accounts is None:  # the local mode has no accounts
        return RedirectResponse("/", status_code=303)
    target = _next(request.query_params.get("tiep"))
    if request.method == "GET":
        if account_of(request) is not None:
            return RedirectResponse(target or landing(account_of(request)), status_code=303)
        return page(request, "login.html", name="", error=None, tiep=target or "")
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    name, password = str(form.get("ten", "")).strip(), str(form.get("mat_khau", ""))
    target = _next(str(form.get("tiep", ""))) or target
    address = request.client.host if request.client else ""
    try:
        session = await run_in_threadpool(site.accounts.login, name, password, address)
    except AccessRefused as exc:
        return page(request, "login.html", 401, name=name, error=str(exc), tiep=target or "")
    old = request.cookies.get(SESSION_COOKIE)
    if old:  # a session this browser had before (another account, or a stale one) ends
        site.accounts.logout(old)
    response = RedirectResponse(target or landing(session.account), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session.token, httponly=True, samesite="lax", path="/",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


async def logout(request: Request) -> Response:
    site = site_of(request)
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    if site.accounts is not None:
        site.accounts.logout(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/dang-nhap", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def routes() -> list[Route]:
    return [
        route("/dang-nhap", login, rule="cong_khai", name="dang_nhap", methods=["GET", "POST"]),
        route("/dang-xuat", logout, rule="dang_nhap", name="dang_xuat", methods=["POST"]),
    ]
