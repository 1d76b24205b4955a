"""Editing a cell's files as data: open one, save new data into it, see where a cell stands.

The web application (docgen.web) is a face over these functions, as the CLI is over
the others. A file is saved only when it is valid on its own (its model, in the same
words as ``docgen check``); what involves other files (a member named who is not on
the roster) is what :func:`cell_states` reports for the whole cell, to show after saving. Saving rewrites only what changed and keeps the user's comments
(docgen.yamledit). A period file that does not exist yet opens pre-filled, as
``docgen new`` would write it (docgen.newfiles), and is written on its first valid save.

The web application saves through :func:`save_recorded` (and :func:`restore_version`):
the same save, under the workspace's write lock, refused for a period submitted to the
ward (``PeriodLocked``) or from a page opened before someone else's save (``EditConflict``,
both texts kept), every text written kept in the history (docgen.history). The CLI's
:func:`save_cell_file` is the same save without the history.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel

from docgen.errors import (
    EditConflict,
    InputError,
    OutputError,
    PeriodLocked,
    Problem,
    UsageError,
    display_path,
)
from docgen.formatting import year_words
from docgen.history import History, workspace_lock
from docgen.models.annual import BaoCaoNamFile
from docgen.models.org import ChiBoFile, DanhSachFile
from docgen.models.plan import KeHoachFile
from docgen.models.quarter import BaoCaoQuyFile
from docgen.models.tasks import PhanCongFile
from docgen.rules.period import CALENDAR, YearKind
from docgen.validation import validate
from docgen.workspace import CELLS_DIR, Workspace
from docgen.yamledit import new_text, updated_text
from docgen.yamlsource import decode_text, parse_text, read_bytes

__all__ = [
    "CellFile",
    "FileState",
    "Opened",
    "Saved",
    "cell_file",
    "cell_files",
    "open_cell_file",
    "period_of_file",
    "restore_version",
    "save_cell_file",
    "version_of",
    "save_recorded",
    "workspace_lock",
]

# name -> (model, title, file name, in the year folder, the kind of ``docgen new``)
_FILES: dict[str, tuple[type[BaseModel], str, bool, str | None]] = {
    "chi-bo": (ChiBoFile, "Thông tin chi bộ", False, None),
    "dang-vien": (DanhSachFile, "Danh sách đảng viên", False, None),
    "ke-hoach": (KeHoachFile, "Kế hoạch", True, "ke-hoach"),
    "phan-cong": (PhanCongFile, "Phân công nhiệm vụ", True, "phan-cong"),
    "quy": (BaoCaoQuyFile, "Kết quả quý", True, "quy"),
    "nam": (BaoCaoNamFile, "Kiểm điểm cuối năm", True, "nam"),
}
_NAME = re.compile(r"^(chi-bo|dang-vien|ke-hoach|nam|phan-cong(?:-([2-9]|[1-9][0-9]))?|quy-([1-4]))$")

State = Literal["chua_co", "dang_nhap", "co_loi", "san_sang"]
#: The words for a file's state (docs/huong-dan-bi-thu.md explains them).
STATE_WORDS: dict[str, str] = {
    "chua_co": "chưa có",
    "dang_nhap": "đang nhập",
    "co_loi": "có lỗi",
    "san_sang": "sẵn sàng",
}


@dataclass(frozen=True)
class CellFile:
    """One editable file of a cell: ``chi-bo``, ``dang-vien`` or, of a year, ``ke-hoach``,
    ``phan-cong`` (``phan-cong-2``...), ``quy-1`` ... ``quy-4``, ``nam``."""

    cell_id: str
    name: str
    year: int | None = None
    #: how the cell counts its years (a school year: year 2026 is «năm học 2025-2026»)
    years: YearKind = field(default=CALENDAR, compare=False)

    @property
    def group(self) -> str:
        return "quy" if self.name.startswith("quy-") else re.sub(r"-\d+$", "", self.name)

    @property
    def model(self) -> type[BaseModel]:
        return _FILES[self.group][0]

    @property
    def title(self) -> str:
        """The file's name for a secretary: «Kết quả quý III năm 2026»."""
        words = [_FILES[self.group][1]]
        if self.quarter is not None:
            words.append(["I", "II", "III", "IV"][self.quarter - 1])
        if self.name.startswith("phan-cong-"):
            words.append(f"(tệp {self.name.rsplit('-', 1)[1]})")
        if self.year is not None:
            year = year_words(self.years, self.year)  # «năm 2026», «năm học 2025-2026»
            # «Kiểm điểm cuối năm 2026», not «cuối năm năm 2026»
            words.append(year.removeprefix("năm ") if words[-1].endswith("năm") else year)
        return " ".join(words)

    @property
    def quarter(self) -> int | None:
        return int(self.name[-1]) if self.group == "quy" else None

    def path(self, ws: Workspace) -> Path:
        if self.year is None:
            return ws.cells_dir / self.cell_id / f"{self.name}.yaml"
        return ws.cell_year_dir(self.cell_id, self.year) / f"{self.name}.yaml"


def cell_file(ws: Workspace, cell_id: str, name: str, year: int | None = None) -> CellFile:
    """The file ``name`` of cell ``cell_id`` (of ``year`` for a year's file).

    Raises:
        UsageError: no such cell, no such file name, a year missing or not wanted.
    """
    ws.require_cell(cell_id)
    if _NAME.match(name) is None:
        raise UsageError(f"không có tệp '{name}' để sửa")
    in_year = _FILES[CellFile(cell_id, name).group][2]
    if in_year and (year is None or not 2000 <= year <= 2100):
        raise UsageError(f"tệp {name} là tệp của một năm: cần năm (2000 đến 2100)")
    return CellFile(cell_id, name, year if in_year else None, years=ws.cell_year_kind(cell_id) if in_year else CALENDAR)


def cell_files(ws: Workspace, cell_id: str, year: int) -> list[CellFile]:
    """The files a cell has or needs for ``year``, in the order a secretary fills them."""
    names = ["chi-bo", "dang-vien"]
    year_names = ["ke-hoach", "phan-cong"]
    folder = ws.cell_year_dir(cell_id, year)
    extra = sorted(
        (p.stem for p in folder.glob("phan-cong-*.yaml") if _NAME.match(p.stem)),
        key=lambda stem: int(stem.rsplit("-", 1)[1]),
    )
    year_names += extra + [f"quy-{q}" for q in range(1, 5)] + ["nam"]
    return [cell_file(ws, cell_id, n) for n in names] + [
        cell_file(ws, cell_id, n, year) for n in year_names
    ]


@dataclass
class Opened:
    """A file as the form shows it: its data, and the text a save starts from."""

    file: CellFile
    data: Any
    text: str | None  # the file's text, or the pre-filled text of a new period file
    exists: bool

    @property
    def version(self) -> str:
        """A fingerprint of ``text``: a save from a page made from another text is refused."""
        return version_of(self.text)


def version_of(text: str | None) -> str:
    """The version token of a file's text, as the forms carry it (``_phien_ban``)."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:16]


def open_cell_file(ws: Workspace, file: CellFile) -> Opened:
    """The data of ``file``; a period file not written yet comes pre-filled (``docgen new``).

    Raises:
        InputError: the file cannot be read or is not YAML (its problems, located); the
            cell's own files do not check (for a pre-filled new file).
    """
    path = file.path(ws)
    display = display_path(path)
    if path.exists():
        text = decode_text(read_bytes(path, display), display)
        return Opened(file, parse_text(text, path, display).data, text, True)
    kind = _FILES[file.group][3]
    if kind is None:
        return Opened(file, None, None, False)
    from docgen.newfiles import period_file_text

    text = period_file_text(ws, kind, file.cell_id, file.year or 0, file.quarter)
    return Opened(file, parse_text(text, path, display).data, text, False)


@dataclass
class Saved:
    """What a save did: ``written`` (False: invalid, or nothing changed) and the file's
    own ``problems`` (then nothing was written). What involves the cell's other files is
    :func:`cell_states`' to say."""

    written: bool = False
    problems: list[Problem] = field(default_factory=list)


def save_cell_file(ws: Workspace, file: CellFile, data: Any, *, version: str | None = None) -> Saved:
    """Write ``data`` into ``file`` if it is valid on its own (its model, in the words of
    ``docgen check``), changing only what changed and keeping the comments.

    ``version`` is :attr:`Opened.version` of the page the data comes from: if the file
    changed since (edited elsewhere), nothing is written.

    Raises:
        OutputError: the file changed since the page was made, or cannot be written.
        InputError: the file on disk cannot be read.
    """
    opened = open_cell_file(ws, file)
    if version is not None and version != opened.version:
        raise OutputError(
            display_path(file.path(ws)),
            "tệp vừa được sửa ở nơi khác sau khi trang này mở; mở lại trang rồi nhập lại",
        )
    saved, _text = _save(ws, opened, data)
    return saved


def _text_of(ws: Workspace, opened: Opened, data: Any) -> str:
    """The text a save of ``data`` over ``opened`` writes: only what changed is rewritten
    (the comments kept); not validated.

    Raises:
        InputError: a value YAML cannot hold (located).
    """
    display = display_path(opened.file.path(ws))
    if opened.text is not None and data == opened.data:
        return opened.text  # nothing changed: the file's own text, not a rewrite
    if opened.text is not None:
        return updated_text(opened.text, data, display=display)
    return new_text(data)


def _save(
    ws: Workspace, opened: Opened, data: Any, before: Callable[[], None] | None = None
) -> tuple[Saved, str | None]:
    """The one save of a cell file, for the CLI's path and the recorded one: the text of
    ``data``, validated against the file's model, written if it differs (``before`` is
    called just before writing). Returns what was done and the text written (None:
    nothing written)."""
    try:
        text = _text_of(ws, opened, data)
    except InputError as exc:  # a value typed that YAML or the model refuses, located
        return Saved(problems=list(exc.problems)), None
    return _write_valid(ws, opened, text, before)


def _write_valid(
    ws: Workspace, opened: Opened, text: str, before: Callable[[], None] | None = None
) -> tuple[Saved, str | None]:
    """Write ``text`` into ``opened``'s file if it is valid against the file's model and
    differs from what is there (``before`` is called just before writing)."""
    from docgen.output import write_atomic

    path = opened.file.path(ws)
    display = display_path(path)
    try:
        validate(parse_text(text, path, display), opened.file.model)
    except InputError as exc:
        return Saved(problems=list(exc.problems)), None
    if opened.exists and text == opened.text:
        return Saved(), None
    if before is not None:
        before()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return Saved(written=True), text


# ---------------------------------------------------------------------- the recorded path
# The web application saves through these: every text written is kept in the workspace's
# history (docgen.history), a save made from a page older than the file is refused with
# both texts kept, and a period the cell has submitted to the ward is read-only.


def period_of_file(file: CellFile) -> str | None:
    """The period a file belongs to: ``quy-N`` for a quarter's results, ``nam`` for the
    year's review, None for the others (they are never locked by a submission)."""
    if file.group == "quy":
        return file.name
    if file.name == "nam":
        return "nam"
    return None


def _relative(ws: Workspace, file: CellFile) -> str:
    """``file``'s path as the history names it: relative to the workspace, POSIX."""
    return file.path(ws).relative_to(ws.root).as_posix()


def _file_of(ws: Workspace, relative: str) -> CellFile:
    """The cell file a path of the history names (:func:`_relative` turned back).

    Raises:
        UsageError: not a cell's file (or that cell is no longer in the ward).
    """
    parts = PurePosixPath(relative).parts
    if len(parts) in (3, 4) and parts[0] == CELLS_DIR and parts[-1].endswith(".yaml"):
        name = parts[-1].removesuffix(".yaml")
        year = int(parts[2]) if len(parts) == 4 and parts[2].isdigit() else None
        if len(parts) == 3 or year is not None:
            file = cell_file(ws, parts[1], name, year)
            if _relative(ws, file) == relative:
                return file
    raise UsageError(f"tệp {relative} trong lịch sử không phải tệp của một chi bộ")


def _refuse_if_submitted(ws: Workspace, file: CellFile, history: History) -> None:
    period = period_of_file(file)
    if period is None or file.year is None:
        return
    event = history.submission(file.cell_id, file.year, period)
    if event is not None and event.locked:
        raise PeriodLocked(
            display_path(file.path(ws)),
            f"{file.title} đã nộp cho Đảng ủy ({event.who}, lúc {event.at}); "
            "chỉ Văn phòng Đảng ủy mở lại được",
        )


def _keep_before(ws: Workspace, opened: Opened, who: str, history: History) -> None:
    """Keep the file's text as it is before a save replaces it, unless the history has it
    as its newest version (a file never saved from a page, or edited since outside it)."""
    if not opened.exists or opened.text is None:
        return
    relative = _relative(ws, opened.file)
    newest = history.latest(relative)
    digest = hashlib.sha256(opened.text.encode("utf-8")).hexdigest()
    if newest is None or newest.sha256 != digest:
        history.record(relative, opened.file.cell_id, who, opened.text, "ban_dau")


def save_recorded(
    ws: Workspace, file: CellFile, data: Any, *, version: str | None, who: str, history: History
) -> Saved:
    """Save ``data`` into ``file`` as :func:`save_cell_file` does, and keep what is written
    in ``history``, all under the workspace's write lock (so a check and its write cannot
    interleave with another thread's or process's).

    ``version`` is :attr:`Opened.version` of the page the data comes from.

    Raises:
        PeriodLocked: the file's period is submitted to the ward.
        EditConflict: the file was saved since the page was opened (``version`` differs):
            the text this save would have written is kept in the history (``xung_dot``),
            and both texts are on the error.
        OutputError: the file cannot be written, the lock not had, the history not written.
        InputError: the file on disk cannot be read.
    """
    with workspace_lock(ws.root):
        _refuse_if_submitted(ws, file, history)
        opened = open_cell_file(ws, file)
        relative = _relative(ws, file)
        if version is not None and version != opened.version:
            try:
                yours = _text_of(ws, opened, data)
            except InputError as exc:
                return Saved(problems=list(exc.problems))
            history.record(relative, file.cell_id, who, yours, "xung_dot")
            raise EditConflict(
                display_path(file.path(ws)),
                "tệp vừa được người khác lưu sau khi trang này mở; bản của bạn đã được giữ "
                "trong lịch sử: xem hai bản rồi nhập lại",
                theirs=opened.text or "",
                yours=yours,
            )
        saved, written = _save(ws, opened, data, lambda: _keep_before(ws, opened, who, history))
        if written is not None:
            history.record(relative, file.cell_id, who, written, "luu")
        return saved


def restore_version(ws: Workspace, version_id: int, *, who: str, history: History) -> Saved:
    """Write the text of an earlier version back into its file, if it is still valid
    against the file's model (else its problems, nothing written), and keep it in the
    history as ``khoi_phuc``.

    Raises:
        UsageError: no such version, or its file is no longer a cell's file.
        PeriodLocked: the file's period is submitted to the ward.
        OutputError: the file cannot be written, the lock not had, the history not written.
        InputError: the file on disk cannot be read.
    """
    kept, text = history.version(version_id)
    file = _file_of(ws, kept.file)
    with workspace_lock(ws.root):
        _refuse_if_submitted(ws, file, history)
        opened = open_cell_file(ws, file)
        saved, written = _write_valid(ws, opened, text, lambda: _keep_before(ws, opened, who, history))
        if written is not None:
            history.record(kept.file, file.cell_id, who, written, "khoi_phuc")
        return saved


@dataclass
class FileState:
    """Where one file stands: ``state`` (:data:`STATE_WORDS`) and its problems."""

    file: CellFile
    state: State
    problems: list[Problem] = field(default_factory=list)

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]


def _blank(data: Any, path: tuple[str | int, ...]) -> bool:
    """The value at ``path`` is not written yet (missing, or a key left empty)."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return True
        elif not isinstance(data, dict) or part not in data:
            return True
        data = data[part]
    return data is None


def cell_states(ws: Workspace, cell_id: str, year: int) -> tuple[list[FileState], list[str]]:
    """Each file of the cell for ``year`` with its state, and the cell's warnings.

    A file is ``chua_co`` (not there), ``dang_nhap`` (its only problems are fields still
    empty), ``co_loi`` (other problems, its own or of the cell's files it needs) or
    ``san_sang``; the problems are those ``docgen check`` reports for the cell.

    Raises:
        UsageError: no such cell.
    """
    from docgen.pipeline import check_cell

    ws.require_cell(cell_id)
    problems: list[Problem] = []
    warnings: list[str] = []
    try:
        warnings = check_cell(ws, cell_id).warnings
    except InputError as exc:
        problems = list(exc.problems)
    states: list[FileState] = []
    for file in cell_files(ws, cell_id, year):
        path = file.path(ws)
        display = display_path(path)
        own = [p for p in problems if p.file == display]
        if not path.exists():
            states.append(FileState(file, "chua_co", own))
            continue
        if not own:
            states.append(FileState(file, "san_sang"))
            continue
        try:
            data = ws.load_source(path).data
        except InputError:
            states.append(FileState(file, "co_loi", own))
            continue
        entering = all(p.path and _blank(data, p.path) for p in own)
        states.append(FileState(file, "dang_nhap" if entering else "co_loi", own))
    return states, warnings
