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


def serve(
    workspace: Path,
    *,
    output_root: Path,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    started: Callable[[str], None] | None = None,
) -> None:
    """Serve the application for ``workspace`` until Ctrl-C; ``started`` is told the
    address once the server listens (the CLI prints it).

    Raises:
        UsageError: ``host`` is not this computer's own address, or the port is taken.
        InputError: the workspace cannot be loaded.
    """
    import uvicorn

    from docgen.web.app import create_app
    from docgen.workspace import load_workspace

    check_bind_host(host)
    load_workspace(workspace)  # a bad workspace is said now, not on the first page
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host.strip("[]") else host
    url = f"http://{shown}:{port}/"
    app = create_app(workspace, output_root=output_root, token=new_token(), port=port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
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
