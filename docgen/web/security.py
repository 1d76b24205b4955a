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


def check_bind_host(host: str) -> None:
    """Refuse an address other than this computer's own (loopback).

    Raises:
        UsageError: ``host`` is not a loopback address.
    """
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise UsageError(
            f"không mở cho địa chỉ {host}: docgen serve chỉ phục vụ máy này (127.0.0.1); "
            "mở cho máy khác cần chế độ tài khoản của Đảng ủy phường, chưa có"
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
    which read the form."""

    def __init__(self, app: ASGIApp, *, port: int | None = None, site: Any = None) -> None:
        self.app = app
        self.port = port
        self.site = site  # the application's docgen.web.app.Site, for whoever serves it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not host_allowed(headers.get("host", ""), self.port):
            await _refuse(send, 421, "Yêu cầu không gửi tới máy này (tên máy không đúng).")
            return
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin") or headers.get("referer")
            if origin and origin != "null":
                parts = urlsplit(origin)
                if not host_allowed(parts.netloc, self.port):
                    await _refuse(send, 403, "Yêu cầu đến từ một trang khác; không thực hiện.")
                    return
        await self.app(scope, receive, send)


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
