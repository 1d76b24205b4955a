"""The ward office's view of a period across every cell, and the committee's recognised levels.

:func:`board` says, for a quarter (``quy-1`` ... ``quy-4``) or the year (``nam``), where each
cell stands: its period file not started, being entered, with problems, submitted to the
ward, or its period's documents issued; who saved last and when, who submitted and when
(from the history of saves, docgen.history, when there is one), and the numbers of the
period's documents the register holds. The workspace is loaded once; each cell's check is
``editing.cell_states`` (or the caller's cache of it).

:func:`recognised_levels` / :func:`save_recognised_levels` read and write the committee's
decisions on the cells' annual levels (``cong_nhan.chi_bo`` of
``data/<nam>/tong-hop-nam.yaml``), keeping the file's comments (docgen.yamledit) and writing
only what validates against the file's model.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal

from docgen.documents.kinds import batch_kinds
from docgen.documents.tong_hop_nam import summary_file
from docgen.editing import FileState, cell_file, cell_states
from docgen.errors import DocgenError, EditConflict, InputError, Problem, UsageError, display_path
from docgen.history import History, Submission, Version, workspace_lock
from docgen.models.annual import BaoCaoNamFile
from docgen.models.org import ChiBoFile
from docgen.models.rules import LEVELS
from docgen.models.ward import TongHopNamFile
from docgen.validation import validate
from docgen.workspace import CELL_FILE, Workspace
from docgen.yamledit import updated_text
from docgen.yamlsource import decode_text, parse_text, read_bytes

__all__ = [
    "PERIODS",
    "LEVELS",
    "STATES",
    "STATE_WORDS",
    "Board",
    "BoardRow",
    "board",
    "levels_version",
    "proposed_levels",
    "recognised_levels",
    "save_recognised_levels",
]

#: The periods a board is drawn for: a quarter's file ``quy-N.yaml``, the year's ``nam.yaml``
#: (the names docgen.history keeps submissions under).
PERIODS: tuple[str, ...] = ("quy-1", "quy-2", "quy-3", "quy-4", "nam")

State = Literal["chua_bat_dau", "dang_nhap", "co_loi", "da_nop", "da_ban_hanh"]
#: A cell's state for the period, in the order a cell goes through them, and the words the
#: board shows (docs/huong-dan-bi-thu.md, "Bảng theo dõi", explains them).
STATE_WORDS: dict[str, str] = {
    "chua_bat_dau": "chưa bắt đầu",
    "dang_nhap": "đang nhập",
    "co_loi": "có lỗi",
    "da_nop": "đã nộp",
    "da_ban_hanh": "đã ban hành",
}
STATES: tuple[str, ...] = tuple(STATE_WORDS)

# editing.cell_states' state of the period file -> the board's (a file with no problem left
# that is not submitted is still with the cell: "đang nhập", its problem count 0).
_FROM_FILE: dict[str, State] = {
    "chua_co": "chua_bat_dau",
    "dang_nhap": "dang_nhap",
    "san_sang": "dang_nhap",
    "co_loi": "co_loi",
}

StatesOf = Callable[[Workspace, str, int], tuple[list[FileState], list[str]]]


@dataclass(frozen=True)
class BoardRow:
    """One cell on the board."""

    cell_id: str
    name: str
    state: State
    problems: int  # problems docgen check finds in the period file (or the files it needs)
    saved_by: str | None = None  # the last save of any of the cell's files (history)
    saved_at: str | None = None
    submitted_by: str | None = None  # the period submitted to the ward (history)
    submitted_at: str | None = None
    issued: tuple[str, ...] = ()  # number and sign ("03-BC/CB") of the period's documents issued

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass
class Board:
    """Every cell's state for one period; ``missing``: the cells not submitted (nor issued)."""

    year: int
    period: str
    rows: list[BoardRow] = field(default_factory=list)
    #: lines of what could not be read (the register, a cell's files): the board still shows
    errors: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[BoardRow]:
        return [r for r in self.rows if r.state not in ("da_nop", "da_ban_hanh")]

    @property
    def counts(self) -> dict[str, int]:
        """How many cells are in each state (every state listed, zeros included)."""
        counts = dict.fromkeys(STATES, 0)
        for row in self.rows:
            counts[row.state] += 1
        return counts


def _check_period(period: str) -> int | None:
    """The quarter of ``period`` (None for the year). Raises UsageError for another name."""
    if period not in PERIODS:
        raise UsageError(f"không có kỳ '{period}'; chọn một trong: {', '.join(PERIODS)}")
    return int(period[-1]) if period.startswith("quy-") else None


def _period_stems(quarter: int | None) -> set[str]:
    """The names (without .docx) of a cell's documents the period's batch issues
    (the kinds table: ``bao-cao-quy-3``, or ``bao-cao-nam``)."""
    kinds, _ward = batch_kinds("quy" if quarter is not None else "nam")
    return {f"{kind}-{quarter}" if quarter is not None else kind for kind in kinds}


def _issued(ws: Workspace, year: int, quarter: int | None) -> tuple[dict[str, dict[str, str]], list[str]]:
    """cell id -> {document name -> its number} of the period's documents the register
    records as issued (a number held by a run that did not finish is not issued)."""
    from docgen.register import read_register

    try:
        entries = read_register(ws)
    except DocgenError as exc:
        return {}, exc.lines()
    stems = _period_stems(quarter)
    found: dict[str, dict[str, str]] = {}
    for entry in entries:
        parts = PurePosixPath(entry.danh_tinh).parts
        if (
            len(parts) == 4 and parts[0] == ws.dang_bo.ma and parts[2] == str(year)
            and parts[3] in stems and entry.sha256
        ):  # fmt: skip
            found.setdefault(parts[1], {})[parts[3]] = entry.ky_hieu
    return found, []


def _cell_name(ws: Workspace, cell_id: str) -> str:
    """The cell's name from its ``chi-bo.yaml`` alone (not its roster); its id if unreadable."""
    try:
        return str(ws.load_model(ws.cells_dir / cell_id / CELL_FILE, ChiBoFile)[0].chi_bo.ten)
    except DocgenError:
        return cell_id


def board(
    ws: Workspace, year: int, period: str, *, history: History | None = None, states: StatesOf | None = None
) -> Board:
    """Where every cell of the ward stands for ``period`` of ``year``.

    Args:
        period: ``quy-1`` ... ``quy-4`` or ``nam``.
        history: the workspace's history (submissions, last saves), or None: then no
            cell is submitted and nobody is named as having saved.
        states: ``editing.cell_states`` or a cache of it (the web application remembers
            each cell's until one of its files changes).

    Raises:
        UsageError: ``period`` is not one of :data:`PERIODS`.
    """
    quarter = _check_period(period)
    states = states or cell_states
    result = Board(year, period)
    # per period (the ward's, and a school year's quarter ending in it): issued documents
    # and submissions
    issued_in: dict[tuple[int, int | None], dict[str, dict[str, str]]] = {}
    submitted_in: dict[int, Mapping[tuple[str, str], Submission]] = {}
    saves: Mapping[str, Version] = history.last_saves() if history is not None else {}
    for cell_id in ws.cell_ids():
        name = _cell_name(ws, cell_id)
        # a cell reviewing by school year stands by its quarter ending in the ward's
        own_year, own_quarter = ws.cell_year_kind(cell_id).own_period(year, quarter)
        own_period = period if own_quarter is None else f"quy-{own_quarter}"
        if (own_year, own_quarter) not in issued_in:
            issued_in[own_year, own_quarter], errors = _issued(ws, own_year, own_quarter)
            result.errors += [e for e in errors if e not in result.errors]
        if own_year not in submitted_in:
            submitted_in[own_year] = history.submissions(own_year) if history is not None else {}
        issued, submissions = issued_in[own_year, own_quarter], submitted_in[own_year]
        wanted = _period_stems(own_quarter)
        own = cell_file(ws, cell_id, own_period, own_year)
        try:
            file_states, _warnings = states(ws, cell_id, own_year)
            mine = next((s for s in file_states if s.file == own), None)
        except DocgenError as exc:
            result.errors += [f"{name}: {line}" for line in exc.lines()]
            mine = None
        if mine is None:
            state: State = "chua_bat_dau" if not own.path(ws).exists() else "co_loi"
            problems = 0
        else:
            state, problems = _FROM_FILE[mine.state], len(mine.problems)
        submission = submissions.get((cell_id, own_period))
        if submission is not None and not submission.locked:
            submission = None  # reopened: back with the cell
        if submission is not None:
            state = "da_nop"
        documents = issued.get(cell_id, {})
        if wanted and wanted <= set(documents):
            state = "da_ban_hanh"
        saved = saves.get(cell_id)
        result.rows.append(
            BoardRow(
                cell_id=cell_id, name=name, state=state, problems=problems,
                saved_by=saved.who if saved is not None else None,
                saved_at=saved.at if saved is not None else None,
                submitted_by=submission.who if submission is not None else None,
                submitted_at=submission.at if submission is not None else None,
                issued=tuple(documents[s] for s in sorted(documents)),
            )
        )  # fmt: skip
    return result


# ------------------------------------------------------------------ recognised levels


def proposed_levels(ws: Workspace, year: int) -> dict[str, str | None]:
    """Each cell's own proposed level for ``year`` (``bao_cao_nam.chi_bo.de_xuat`` of its
    ``nam.yaml``); None when the cell has no such file yet or it does not validate."""
    proposed: dict[str, str | None] = {}
    for cell_id in ws.cell_ids():
        path = ws.cell_year_dir(cell_id, year) / "nam.yaml"
        try:
            review = ws.load_model(path, BaoCaoNamFile)[0].bao_cao_nam if path.exists() else None
            proposed[cell_id] = review.chi_bo.de_xuat if review is not None else None
        except DocgenError:
            proposed[cell_id] = None
    return proposed


def recognised_levels(ws: Workspace, year: int) -> dict[str, str | None]:
    """The level the ward committee recognised for each cell of the ward in ``year``
    (``cong_nhan.chi_bo`` of ``data/<year>/tong-hop-nam.yaml``); None: not decided (the
    cell keeps the level it proposed), also for every cell when the file does not exist.

    Raises:
        InputError: the file cannot be read or does not validate (located).
    """
    levels: dict[str, str | None] = dict.fromkeys(ws.cell_ids())
    path = summary_file(ws, year)
    if not path.exists():
        return levels
    doc = ws.load_model(path, TongHopNamFile)[0].tong_hop_nam
    for decision in doc.cong_nhan.chi_bo if doc.cong_nhan is not None else []:
        if decision.chi_bo in levels:
            levels[decision.chi_bo] = decision.muc
    return levels


def levels_version(ws: Workspace, year: int) -> str:
    """The version token of ``data/<year>/tong-hop-nam.yaml`` as it is now (the levels
    form carries it; a save from a form made from another text is refused)."""
    from docgen.editing import version_of

    path = summary_file(ws, year)
    if not path.exists():
        return version_of(None)
    display = display_path(path)
    return version_of(decode_text(read_bytes(path, display), display))


def save_recognised_levels(
    ws: Workspace, year: int, levels: Mapping[str, str | None], *, who: str,
    history: History | None = None, version: str | None = None,
) -> bool:  # fmt: skip
    """Write the committee's decisions on the cells named in ``levels`` (a level of
    :data:`docgen.models.rules.LEVELS`, or None to take the decision away) into
    ``data/<year>/tong-hop-nam.yaml``; a decision's reason (``ly_do``), the decisions on
    other cells and on members, and the file's comments are kept. Returns whether the file
    changed. Read, checked and written under the workspace's write lock
    (docgen.history.workspace_lock), so no other save or backup lands half-way. With a
    ``history`` the new text is recorded as saved by ``who`` (``luu``), the file's earlier
    text first (``ban_dau``) when the history does not hold it as its newest version.

    ``version`` (:func:`levels_version` when the form was made): if the file changed since,
    nothing is written; the refused text is kept in the history (``xung_dot``).

    Validated with the file's model before anything is written. A problem of one cell's
    decision carries that cell's id in its ``path`` where the list index would be:
    ``("tong_hop_nam", "cong_nhan", "chi_bo", <cell id>, "muc")``.

    Raises:
        UsageError: a cell that is not the ward's, or the file does not exist yet.
        InputError: the file cannot be read, or a value the model refuses (nothing written).
        OutputError: the file cannot be written, the lock not had, the history not written.
        EditConflict: the file changed since ``version`` (someone else saved).
    """
    for cell_id in levels:
        ws.require_cell(cell_id)
    with workspace_lock(ws.root):
        return _save_levels(ws, year, levels, who, history, version)


def _save_levels(
    ws: Workspace, year: int, levels: Mapping[str, str | None], who: str, history: History | None,
    version: str | None,
) -> bool:  # fmt: skip
    from docgen.editing import version_of
    from docgen.output import write_atomic

    path = summary_file(ws, year)
    display = display_path(path)
    if not path.exists():
        raise UsageError(
            f"chưa có tệp {display}: Văn phòng Đảng ủy lập báo cáo tổng hợp năm {year} "
            "(số, ngày, người ký) trước rồi mới ghi mức công nhận"
        )
    text = decode_text(read_bytes(path, display), display)
    source = parse_text(text, path, display)
    data = source.data
    summary = data.get("tong_hop_nam") if isinstance(data, dict) else None
    if not isinstance(summary, dict):
        validate(source, TongHopNamFile)  # raises the located problem
        raise UsageError(f"{display}: không đọc được báo cáo tổng hợp năm")  # pragma: no cover
    decisions = summary.get("cong_nhan")
    decisions = dict(decisions) if isinstance(decisions, dict) else {}
    old = decisions.get("chi_bo")
    rows: list[Any] = [dict(r) if isinstance(r, dict) else r for r in (old if isinstance(old, list) else [])]
    for cell_id, level in levels.items():
        at = next((i for i, r in enumerate(rows) if isinstance(r, dict) and r.get("chi_bo") == cell_id), None)
        if level is None or level == "":
            if at is not None:
                del rows[at]
        elif at is not None:
            rows[at]["muc"] = level
        else:
            rows.append({"chi_bo": cell_id, "muc": level})
    if rows or "chi_bo" in decisions:
        decisions["chi_bo"] = rows
    if decisions:
        summary = {**summary, "cong_nhan": decisions}
    new_data = {**data, "tong_hop_nam": summary}
    if new_data == data:
        return False
    new = updated_text(text, new_data, display=display)
    try:
        validate(parse_text(new, path, display), TongHopNamFile)
    except InputError as exc:
        raise InputError([_by_cell(p, rows) for p in exc.problems]) from None
    rel = path.relative_to(ws.root).as_posix()
    if version is not None and version != version_of(text):
        if history is not None:
            history.record(rel, None, who, new, "xung_dot")
        raise EditConflict(
            display, "mức công nhận vừa được người khác lưu sau khi trang này mở; chưa lưu: "
            "xem mức đang lưu ở từng dòng rồi chọn lại", theirs=text, yours=new,
        )  # fmt: skip
    if history is not None:
        newest = history.latest(rel)
        if newest is None or newest.sha256 != hashlib.sha256(text.encode("utf-8")).hexdigest():
            history.record(rel, None, who, text, "ban_dau")
    write_atomic(path, new.encode("utf-8"))
    if history is not None:
        history.record(rel, None, who, new, "luu")
    return True


def _by_cell(problem: Problem, rows: list[Any]) -> Problem:
    """``problem`` with the index of a ``cong_nhan.chi_bo`` entry in its path replaced by
    the entry's cell id (the form shows it at the cell's row)."""
    prefix = ("tong_hop_nam", "cong_nhan", "chi_bo")
    path = problem.path
    if len(path) > 3 and path[:3] == prefix and isinstance(path[3], int) and path[3] < len(rows):
        row = rows[path[3]]
        if isinstance(row, dict) and isinstance(row.get("chi_bo"), str):
            return dataclasses.replace(problem, path=(*prefix, row["chi_bo"], *path[4:]))
    return problem
