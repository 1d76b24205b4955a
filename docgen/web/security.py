"""What keeps the local web application to the person at this computer.

A server on 127.0.0.1 can still be reached by a web page open in the same browser: it
can post a form to it (cross-site request forgery) or, through a DNS name that points
at 127.0.0.1, read its pages (DNS rebinding). So every request must name this server
in its Host header, every POST must carry the token the server put in its own pages
(and, when the browser says where the request comes from, come from here), and only a
loopback address may be bound until the ward mode brings accounts.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from docgen.errors import UsageError

__all__ = ["LocalOnly", "check_bind_host", "new_token"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# Sent with every response (OWASP Secure Headers Project): no framing by another site
# (clickjacking), no guessing of content types, no address sent to other sites, and pages
# (which show members' data) kept in no shared cache.
SAFETY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def check_bind_host(host: str, *, ward: bool = False) -> None:
    """Refuse an address other than this computer's own (loopback), unless ``ward``: the
    ward mode, where every page needs an account, may be served to the ward's network.

    Raises:
        UsageError: ``host`` is not a loopback address.
    """
    if ward or host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise UsageError(
            f"không mở cho địa chỉ {host}: docgen serve chỉ phục vụ máy này (127.0.0.1); "
            "mở cho máy khác cần chế độ phường có tài khoản (docgen serve --phuong)"
        )


def new_token() -> str:
    """A fresh secret for the forms of one running server."""
    return secrets.token_urlsafe(32)


def host_allowed(host: str, port: int | None) -> bool:
    """The Host header names this server: a loopback name, with our port if one is known."""
    name, _, given_port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not name:
        name, given_port = host, ""
    if name not in LOOPBACK_NAMES:
        return False
    return port is None or given_port in ("", str(port))


class LocalOnly:
    """ASGI middleware: a foreign Host header is refused (421), and so is a POST whose
    Origin or Referer is another site (403). The token itself is checked by the routes,
    which read the form.

    In the ward mode (``ward``) the application is reached by the names the ward gives
    it (an address on its network, a name behind a reverse proxy): any Host is taken, a
    POST must come from a page of that same host, and the pages themselves need a
    session (docgen.web.access). Every response says it may not be framed by another
    site, sniffed as another type or kept in a shared cache."""

    def __init__(
        self, app: ASGIApp, *, port: int | None = None, site: Any = None, ward: bool = False
    ) -> None:
        self.app = app
        self.port = port
        self.site = site  # the application's docgen.web.common.Site, for whoever serves it
        self.ward = ward

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if not self.ward and not host_allowed(host, self.port):
            await _refuse(send, 421, "Yêu cầu không gửi tới máy này (tên máy không đúng).")
            return
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin") or headers.get("referer")
            if origin and origin != "null":
                netloc = urlsplit(origin).netloc
                same = netloc == host if self.ward else host_allowed(netloc, self.port)
                if not same:
                    await _refuse(send, 403, "Yêu cầu đến từ một trang khác; không thực hiện.")
                    return

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SAFETY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_guarded)


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
