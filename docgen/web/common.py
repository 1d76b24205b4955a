"""What the pages of ``docgen serve`` share: the running application (:class:`Site`), drawing
a page or a message, reading a posted form with its token, the period asked for."""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from docgen._version import __version__
from docgen.errors import DocgenError, InputError, display_path
from docgen.workspace import CELLS_DIR

__all__ = [
    "MAX_BODY_BYTES", "MAX_FORM_FIELDS", "MAX_UPLOAD_BYTES", "ROMAN", "Site", "account_of", "cell_name",
    "message_page", "page", "period_of", "problem_lines", "read_form", "site_of", "when_words",
]  # fmt: skip

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_FORM_FIELDS = 20_000  # a quarter of a 300-member cell is about 3,000 inputs
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a roster of 7,000 members is under 1 MB
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 4 * 1024 * 1024  # an upload, or a form of any cell


@dataclass
class Site:
    """One running application: its workspace, output folder, form token and caches."""

    workspace: Path
    output_root: Path
    token: str
    preview_dir: Path
    accounts: Any = None  # docgen.accounts.Accounts in the ward mode, None in the local mode
    history: Any = None  # docgen.history.History: every save of a file, and submissions
    _states: dict[tuple[str, int], tuple[Any, Any]] = field(default_factory=dict)
    _previewer: Any = None
    _messages: dict[str, str] = field(default_factory=dict)

    def ws(self) -> Any:
        from docgen.workspace import load_workspace

        return load_workspace(self.workspace)

    def cell_ids(self) -> list[str]:
        """The ward's cells (none when the ward's file cannot be read)."""
        try:
            return list(self.ws().cell_ids())
        except DocgenError:
            return []

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


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def account_of(request: Request) -> Any:
    """The signed-in account (docgen.accounts.Account), None in the local mode."""
    return getattr(request.state, "account", None)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """``template`` drawn with ``context`` and what every page shows (the ward, the
    version, the form token, the signed-in account)."""
    site = site_of(request)
    ws = context.pop("_ws", None)
    ward = ws.dang_bo.ten if ws is not None else "docgen"
    base = {
        "ward": ward, "version": __version__, "workspace": display_path(site.workspace),
        "token": getattr(request.state, "csrf", site.token), "roman": ROMAN,
        "account": account_of(request), "ward_mode": site.accounts is not None,
    }  # fmt: skip
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status)


def message_page(
    request: Request, heading: str, lines: list[str], status: int = 400, **extra: Any
) -> HTMLResponse:
    return page(request, "message.html", status, heading=heading, lines=lines, **extra)


def problem_lines(exc: DocgenError) -> list[str]:
    if isinstance(exc, InputError):
        return [p.format() for p in exc.problems]
    return [str(exc)]


def cell_name(ws: Any, cell_id: str) -> str:
    """The cell's name as its file gives it; its id when the file cannot be read (the page
    that shows it says why elsewhere)."""
    try:
        return str(ws.load_cell(cell_id).info.ten)
    except DocgenError:
        return cell_id


def period_of(request: Request) -> tuple[int, int]:
    """The year and quarter asked for (``?nam=&quy=``), else today's."""
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


async def read_form(request: Request) -> FormData | Response:
    """The posted form, once its token is checked (a page of this server, in this
    session, sent it: docgen.web.access sets ``request.state.csrf``)."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:  # said before anything is read
        return message_page(request, "Không nhận được dữ liệu gửi lên", ["dữ liệu quá lớn hoặc hỏng"], 413)
    try:
        form = await request.form(max_fields=MAX_FORM_FIELDS, max_part_size=MAX_UPLOAD_BYTES)
    except Exception:  # starlette/multipart: too many fields, too big, malformed
        return message_page(request, "Không nhận được dữ liệu gửi lên", ["dữ liệu quá lớn hoặc hỏng"], 413)
    token = form.get("_token")
    expected = getattr(request.state, "csrf", None)
    if not isinstance(token, str) or not expected or not hmac.compare_digest(token, expected):
        return message_page(
            request, "Yêu cầu bị từ chối",
            ["trang gửi yêu cầu không phải của docgen, hoặc đã cũ (docgen vừa khởi động lại "
             "hoặc phiên làm việc đã đổi): mở lại trang rồi làm lại"], 403,
        )  # fmt: skip
    return form


def when_words(at: Any) -> str:
    """A moment as the pages show it, in this computer's time: ``14:05 30/09/2026`` (the
    history and the stores keep ISO text or a timestamp; anything else shown as it is).
    Also the templates' filter ``luc``."""
    if at is None or at == "":
        return ""
    try:
        moment = datetime.fromtimestamp(float(at)) if isinstance(at, int | float) else datetime.fromisoformat(str(at))
    except (TypeError, ValueError, OverflowError, OSError):
        return str(at)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%H:%M %d/%m/%Y")
