"""``docgen serve``'s server: bind this computer's own address, run the application."""


from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from docgen.errors import UsageError, os_reason
from docgen.web.security import check_bind_host, new_token

__all__ = ["DEFAULT_PORT", "serve"]

DEFAULT_PORT = 8765


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"không mở được cổng {port} trên {host} ({os_reason(exc)}); "
            "có thể docgen serve đang chạy ở cửa sổ khác, hoặc chọn cổng khác bằng --port"
        ) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def _ward_accounts(workspace: Path) -> object:
    from docgen.accounts import Accounts

    accounts = Accounts.of_workspace(workspace)
    if not any(a.role == "dang_uy" and not a.disabled for a in accounts.accounts()):
        raise UsageError(
            "chế độ phường cần ít nhất một tài khoản Văn phòng Đảng ủy; tạo bằng lệnh "
            "docgen users add <tên> --vai-tro dang_uy, rồi chạy lại"
        )
    return accounts


def serve(
    workspace: Path,
    *,
    output_root: Path,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    started: Callable[[str], None] | None = None,
    ward: bool = False,
) -> None:
    """Serve the application for ``workspace`` until Ctrl-C; ``started`` is told the
    address once the server listens (the CLI prints it).

    ``ward``: the ward mode (accounts from ``docgen users``, docgen.accounts); it may be
    bound to an address of the ward's network and needs a ward-office account first.

    Raises:
        UsageError: ``host`` is not this computer's own address (local mode), the port is
            taken, or the ward mode has no ward-office account yet.
        InputError: the workspace cannot be loaded.
    """
    import uvicorn

    from docgen.web.app import create_app
    from docgen.workspace import load_workspace

    check_bind_host(host, ward=ward)
    load_workspace(workspace)  # a bad workspace is said now, not on the first page
    accounts = _ward_accounts(workspace) if ward else None
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host.strip("[]") else host
    url = f"http://{shown}:{port}/"
    app = create_app(
        workspace, output_root=output_root, token=new_token(), port=None if ward else port,
        accounts=accounts,
    )  # fmt: skip
    # proxy_headers: behind the ward's reverse proxy (README), the client's address and
    # https come from X-Forwarded-For/-Proto, trusted from this computer only (uvicorn's
    # default forwarded_allow_ips).
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", proxy_headers=ward
    )
    server = uvicorn.Server(config)
    if started is not None:
        started(url)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, [url]).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        app.site.close()
