"""Who may do what in the ward mode of ``docgen serve``: every route's rule, and the one check.

Every route of the application is made with :func:`route`, which names its rule; the
rule is checked on the server, here and nowhere else, before the route's own code runs
(:func:`guard`). A route made without a rule cannot exist (``route`` requires one) and the
access-control matrix test (tests/test_web_access.py) reads the rules from the route table.

In the local mode (one secretary at 127.0.0.1, no accounts) the person at this computer
owns the workspace: every rule passes, and POSTs carry the running server's token. In the
ward mode a request needs a session (a cookie made at login, docgen.accounts), the rule
must allow the account's role for the cell the request is about, and POSTs carry the
session's own token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

__all__ = ["RULES", "Rule", "allowed", "document_owner", "guard", "may", "route", "rule_of"]

Rule = Literal["cong_khai", "dang_nhap", "xem_chi_bo", "sua_chi_bo", "xem_phuong", "dang_uy", "tep"]

#: Each rule and who it lets through (roles: docgen.accounts.ROLES).
RULES: dict[str, str] = {
    "cong_khai": "anyone, signed in or not (the login page, the style sheet)",
    "dang_nhap": "anyone signed in",
    "xem_chi_bo": "read one cell: the ward office, readers, the cell's own secretary",
    "sua_chi_bo": "change one cell: the ward office, the cell's own secretary",
    "xem_phuong": "read across the ward: the ward office, readers",
    "dang_uy": "the ward office only (batch, templates, reopening, accounts)",
    "tep": "a document named by ?tep=: a cell's as xem_chi_bo, the ward's as xem_phuong",
}

SESSION_COOKIE = "docgen_phien"
Endpoint = Callable[[Request], Awaitable[Response]]


def allowed(role: str, rule: str, own_cell: str | None, cell: str | None) -> bool:
    """Whether an account of ``role`` (secretaries: of ``own_cell``) may use a route of
    ``rule`` about ``cell`` (None: the request names no cell)."""
    if rule in ("cong_khai", "dang_nhap"):
        return True
    if role == "dang_uy":
        return True
    if rule == "xem_phuong":
        return role == "xem"
    if rule == "xem_chi_bo":
        return role == "xem" or (role == "bi_thu" and cell is not None and cell == own_cell)
    if rule == "sua_chi_bo":
        return role == "bi_thu" and cell is not None and cell == own_cell
    return False  # dang_uy, and anything unknown


def may(request: Request, rule: str, cell: str | None = None) -> bool:
    """Whether the person of ``request`` may use routes of ``rule`` about ``cell``: what
    a page shows (a button, a link) follows the same rule the route checks."""
    account = getattr(request.state, "account", None)
    if account is None:
        return getattr(request.app.state.site, "accounts", None) is None  # the local mode
    return allowed(account.role, rule, account.cell, cell)


def document_owner(rel: str, cell_ids: list[str]) -> tuple[bool, str | None]:
    """Who a document of the output folder belongs to, from its path ``<ward>/<cell>/
    <year>/<file>`` or ``<ward>/<year>/<file>``: (True, cell) or (True, None) for the
    ward's; (False, None) for a path of neither shape."""
    parts = PurePosixPath(rel).parts
    if len(parts) == 3 and parts[1].isdigit():
        return True, None
    if len(parts) == 4 and parts[1] in cell_ids and parts[2].isdigit():
        return True, parts[1]
    return False, None


def route(
    path: str, endpoint: Endpoint, *, rule: Rule, name: str, methods: list[str] | None = None
) -> Route:
    """A route of the application whose ``endpoint`` runs only when ``rule`` allows it."""
    if rule not in RULES:
        raise ValueError(rule)
    made = Route(path, guard(endpoint, rule), methods=methods, name=name)
    made.access = rule  # type: ignore[attr-defined]
    return made


def rule_of(made: Any) -> str | None:
    """The rule a route was made with, None for one made without :func:`route`."""
    rule = getattr(made, "access", None)
    return rule if isinstance(rule, str) else None


def guard(endpoint: Endpoint, rule: str) -> Endpoint:
    """``endpoint`` behind the check of ``rule`` (the one place access is decided)."""

    async def guarded(request: Request) -> Response:
        refusal = refusal_of(request, rule)
        if refusal is not None:
            return refusal
        return await endpoint(request)

    guarded.__name__ = getattr(endpoint, "__name__", "endpoint")
    guarded.__doc__ = endpoint.__doc__
    return guarded


def refusal_of(request: Request, rule: str) -> Response | None:
    """None when the request may go on; else the refusal to send. Sets
    ``request.state.account`` (None in the local mode) and ``request.state.csrf``."""
    site = request.app.state.site
    accounts = getattr(site, "accounts", None)
    request.state.account = None
    request.state.csrf = site.token
    if accounts is None:  # the local mode: the person at this computer
        return None
    session = accounts.session(request.cookies.get(SESSION_COOKIE, ""))
    if session is not None:
        request.state.account = session.account
        request.state.csrf = session.csrf
        request.state.session = session
    if rule == "cong_khai":
        return None
    if session is None:
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/dang-nhap?tiep={quote(target, safe='')}", status_code=303)
        return _refuse_page(request, "Phiên làm việc đã hết; hãy đăng nhập lại.", 401)
    account = session.account
    cell = request.path_params.get("cell")
    if rule == "tep":
        rel = request.query_params.get("tep", "")
        ws_cells = site.cell_ids()
        known, cell = document_owner(rel, ws_cells)
        if not known:
            return _refuse_page(request, "Không có tệp này.", 404)
        rule = "xem_chi_bo" if cell is not None else "xem_phuong"
    if not allowed(account.role, rule, account.cell, cell):
        return _refuse_page(request, "Tài khoản của đồng chí không được làm việc này.", 403)
    return None


def _refuse_page(request: Request, text: str, status: int) -> Response:
    from docgen.web.common import message_page

    return message_page(request, "Không được phép", [text], status)
