"""Import a secretary's Excel roster into a cell's ``dang-vien.yaml`` (``docgen roster import``).

The sheet is read by docgen/xlsx.py. Import keeps the id of a member already on the
roster when the name matches (``formatting.name_key``; people of one name told apart by
the "Mã" column, birth year and admission date, never by the rows' order), or by the
"Mã" column for a name corrected in Excel; it keeps what the sheet
does not hold (exemption, suspension, notes), brings init's example assignment file in
step, and checks the cell with the new roster before replacing the files; a problem of
the would-be roster is told at the member's row and column of the sheet.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docgen.errors import InputError, Problem
from docgen.formatting import name_key, read_date_text
from docgen.xlsx import SheetRoster, SheetRow, read_roster
from docgen.yamltext import block_item

__all__ = [
    "ImportResult",
    "Merged",
    "export_roster",
    "import_roster",
    "in_sheet_terms",
    "merge",
    "roster_yaml",
    "write_roster_template",
]


_ORDER = (
    "ma",
    "ho_ten",
    "gioi_tinh",
    "nam_sinh",
    "loai_dang_vien",
    "ngay_vao_dang",
    "ngay_chinh_thuc",
    "chuc_vu",
    "mien_sinh_hoat",
    "dinh_chi_sinh_hoat",
    "ghi_chu",
)


@dataclass
class Merged:
    """The new roster (plain data, in the sheet's order) and what changed."""

    members: list[dict[str, Any]]
    kept: list[str]  # names whose id was kept
    added: list[str]
    removed: list[str]
    removed_ids: dict[str, str] = field(default_factory=dict)  # id -> name of who left


def _similar(a: str, b: str) -> bool:
    """Two spellings of one name (a typo corrected in Excel), not two people."""
    import difflib

    return difflib.SequenceMatcher(None, name_key(a), name_key(b)).ratio() >= 0.8


def _facts(values: dict[str, Any]) -> tuple[int | None, date | None]:
    """Birth year and admission date, what tells two people of one name apart (None
    where unknown or unreadable: the roster's own check reports those)."""
    year = values.get("nam_sinh")
    admitted = values.get("ngay_vao_dang")
    if isinstance(admitted, str):
        try:
            admitted = read_date_text(admitted)
        except ValueError:
            admitted = None
    return (
        year if isinstance(year, int) and not isinstance(year, bool) else None,
        admitted if isinstance(admitted, date) else None,
    )


def _differences(row: SheetRow, member: dict[str, Any]) -> int:
    """How many of birth year and admission date the row and the member both give
    and give differently."""
    pairs = zip(_facts(row.values), _facts(member), strict=True)
    return sum(1 for a, b in pairs if a is not None and b is not None and a != b)


def _same_name_pairs(
    rows: list[SheetRow], members: list[dict[str, Any]], shown: str
) -> list[tuple[SheetRow, dict[str, Any]]]:
    """Rows and roster members of one name, paired person by person.

    One row and one member: the same person, whatever else changed (a birth year
    corrected in Excel). More of either: a row names a member by its "Mã" column, else
    by birth year and admission date. A pair is made only when the row fits that member
    alone and the member fits that row alone, so the order of the rows means nothing:
    first where nothing known differs, then, among those left, where one of the two
    does. A row that fits no one is a new member (and a member no row fits leaves);
    rows that fit the same people are refused, named.

    Raises:
        InputError: a row cannot be told apart from another person of its name.
    """
    if len(rows) == 1 and len(members) == 1:
        return [(rows[0], members[0])]
    ids = [str(m.get("ma")) for m in members]
    pairs: list[tuple[int, int]] = []
    left_rows, left_members = set(range(len(rows))), set(range(len(members)))
    # first what fits exactly, then, among those left, what differs in one of the two
    # (a birth year or a date corrected in Excel)
    for allowed in (0, 1):
        fits: list[set[int]] = [
            {ids.index(row.values["ma"])} if row.values.get("ma") in ids
            else {j for j, m in enumerate(members) if _differences(row, m) <= allowed}
            for row in rows
        ]
        found = True
        while found:
            found = False
            for i in sorted(left_rows):
                mine = fits[i] & left_members
                if len(mine) == 1 and [r for r in left_rows if mine & fits[r]] == [i]:
                    (j,) = mine
                    pairs.append((i, j))
                    left_rows.remove(i)
                    left_members.remove(j)
                    found = True
    unclear = [i for i in sorted(left_rows) if fits[i] & left_members]
    if unclear:
        fitted = sorted(set().union(*(fits[i] & left_members for i in unclear)))
        who = ", ".join(f"{ids[j]} ({_who(members[j])})" for j in fitted)
        raise InputError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    " và ".join(f"dòng {rows[i].row}" for i in unclear),
                    f"không phân biệt được các đồng chí cùng họ tên {rows[unclear[0]].values['ho_ten']}: "
                    f"trong danh sách có {who}",
                    hint="ghi đúng năm sinh và ngày vào Đảng của từng người, hoặc thêm cột Mã ghi mã "
                    "đảng viên của từng người",
                )
            ]
        )
    return [(rows[i], members[j]) for i, j in pairs]


def _who(member: dict[str, Any]) -> str:
    year, admitted = _facts(member)
    parts = [f"sinh năm {year}" if year else "", f"vào Đảng ngày {admitted:%d/%m/%Y}" if admitted else ""]
    return ", ".join(p for p in parts if p) or "không rõ năm sinh, ngày vào Đảng"


def merge(existing: list[dict[str, Any]], rows: list[SheetRow], columns: set[str], shown: str = "") -> Merged:
    """The roster from the sheet's rows, keeping ids and unread fields of known members.

    People are matched by name (``formatting.name_key``: case, spaces and tone
    placement aside); people of one name by their "Mã", birth year and admission
    date (see ``_same_name_pairs``); the rows' order never moves an id.

    Raises:
        InputError: rows of one name that cannot be told apart (``shown`` names the sheet).
    """
    by_id = {str(m.get("ma")): m for m in existing if isinstance(m, dict) and m.get("ma") is not None}
    free = [m for m in existing if isinstance(m, dict)]
    # Ids of members who leave the roster are not given to anyone else: other files
    # (chi-bo.yaml, phan-cong.yaml...) may still name them, and must then fail the check.
    used_ids: set[str] = set(by_id)
    matched: dict[int, dict[str, Any]] = {}  # id(row) -> the member it is
    names: dict[str, list[SheetRow]] = {}
    for row in rows:
        names.setdefault(name_key(row.values["ho_ten"]), []).append(row)
    for key, named in names.items():
        known = [m for m in free if name_key(str(m.get("ho_ten", ""))) == key]
        for row, same in _same_name_pairs(named, known, shown):
            matched[id(row)] = same
            free[:] = [m for m in free if m is not same]
    pairs: list[tuple[SheetRow, dict[str, Any] | None]] = []
    for row in rows:
        # the same person by name first; else the id of the "Mã" column (a name
        # corrected in Excel)
        wanted = row.values.get("ma")
        old = matched.get(id(row))
        if old is None and wanted and wanted in by_id and any(m is by_id[wanted] for m in free):
            candidate = by_id[wanted]
            if _similar(str(candidate.get("ho_ten", "")), row.values["ho_ten"]):
                old = candidate
                free[:] = [m for m in free if m is not old]
        if old is None:
            if wanted and wanted not in used_ids and re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", wanted):
                used_ids.add(wanted)
            else:
                row.values.pop("ma", None)
        pairs.append((row, old))
    numbers = [int(m[2:]) for m in used_ids if re.fullmatch(r"dv\d+", m)]
    next_number = max(numbers, default=0) + 1
    out, kept, added = [], [], []
    for row, old in pairs:
        v = row.values
        member: dict[str, Any] = dict(old) if old is not None else {}
        if old is not None:
            kept.append(v["ho_ten"])
        else:
            added.append(v["ho_ten"])
            if v.get("ma"):
                member["ma"] = v["ma"]
            else:
                while f"dv{next_number:02d}" in used_ids:
                    next_number += 1
                member["ma"] = f"dv{next_number:02d}"
                used_ids.add(member["ma"])
                next_number += 1
        for key in ("ho_ten", "gioi_tinh", "nam_sinh", "ngay_vao_dang"):
            if key in v:
                member[key] = v[key]
        # A column the sheet has is the truth, blank included; a column it lacks keeps
        # what the roster already says.
        for key in ("chuc_vu", "ghi_chu", "ngay_chinh_thuc"):
            if key in v:
                member[key] = v[key]
            elif key in columns:
                member.pop(key, None)
        if "mien_tu_ngay" in v:
            member["mien_sinh_hoat"] = {
                "tu_ngay": v["mien_tu_ngay"],
                **({"ly_do": v["mien_ly_do"]} if "mien_ly_do" in v else {}),
            }
        elif "mien_tu_ngay" in columns:
            member.pop("mien_sinh_hoat", None)
        if "loai_dang_vien" in v:
            member["loai_dang_vien"] = v["loai_dang_vien"]
        elif "ngay_chinh_thuc" in columns or "loai_dang_vien" not in member:
            member["loai_dang_vien"] = "chinh_thuc" if member.get("ngay_chinh_thuc") else "du_bi"
        out.append({k: member[k] for k in _ORDER if k in member} | {k: x for k, x in member.items() if k not in _ORDER})
    removed = [str(m.get("ho_ten", m.get("ma"))) for m in free]
    removed_ids = {str(m["ma"]): str(m.get("ho_ten", m["ma"])) for m in free if m.get("ma") is not None}
    return Merged(out, kept, added, removed, removed_ids)

def roster_yaml(members: list[dict[str, Any]], source_name: str) -> str:
    """The text of dang-vien.yaml for ``members`` (plain data), with the usual comments."""
    lines = [
        "# Danh sách đảng viên của chi bộ. Mỗi đảng viên một mục bắt đầu bằng '- ma:'.",
        "# ma: mã riêng (chữ thường không dấu); gioi_tinh: nam | nu; loai_dang_vien: chinh_thuc | du_bi",
        "# Ngày viết dạng 2026-01-05 hoặc 05/01/2026.",
        f"# Nhập từ tệp {source_name} bằng docgen roster import; nhập lại thì mã của người cũ được giữ.",
        "dang_vien:",
    ]
    for member in members:
        lines += block_item(member, "  ")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    path: Path  # the roster written
    sheet: SheetRoster
    merged: Merged
    skipped: list[Problem]
    warnings: list[str]
    tasks: list[Path] = field(default_factory=list)  # init's example assignments brought in step


def import_roster(
    ws_root: Path, cell_id: str, xlsx: Path, *, skip_bad_rows: bool = False, today: date | None = None,
    display: str | None = None,
) -> ImportResult:
    """Import ``xlsx`` into cell ``cell_id``'s ``dang-vien.yaml``, atomically; ``display``
    names the spreadsheet in messages (the name the user knows, for an uploaded copy).

    Raises:
        InputError: unreadable rows (unless ``skip_bad_rows``), or the cell would not
            check with the new roster; nothing is written then.
        UsageError: no such workspace or cell.
    """
    from docgen.errors import display_path
    from docgen.output import write_all
    from docgen.staging import try_changes
    from docgen.workspace import CELLS_DIR, ROSTER_FILE, load_workspace
    from docgen.yamlsource import load_source

    ws = load_workspace(ws_root)
    ws.require_cell(cell_id)
    shown = display or display_path(xlsx)
    sheet = read_roster(xlsx, shown, today)
    if sheet.problems and not skip_bad_rows:
        raise InputError(sheet.problems)
    if not sheet.rows:
        raise InputError(
            [*sheet.problems, Problem(shown, None, None, "", f"không có đảng viên nào dưới dòng tiêu đề {sheet.header_row}")]
        )
    roster_path = ws.cells_dir / cell_id / ROSTER_FILE
    existing: list[dict[str, Any]] = []
    if roster_path.is_file():
        data = load_source(roster_path, display_path(roster_path)).data
        if isinstance(data, dict) and isinstance(data.get("dang_vien"), list):
            existing = data["dang_vien"]
    merged = merge(existing, sheet.rows, set(sheet.columns), shown)
    text = roster_yaml(merged.members, xlsx.name)
    rel = Path(CELLS_DIR) / cell_id / ROSTER_FILE
    changes = {rel: text.encode("utf-8"), **_example_tasks(ws, cell_id, merged.members)}
    try:
        try_changes(ws_root, changes, cell_id)
    except InputError as exc:
        raise InputError(
            [in_sheet_terms(p, display_path(roster_path), sheet, merged, shown) for p in exc.problems]
        ) from None
    # the roster and the example tasks kept in step with it: both or neither
    write_all([(ws_root / changed, content) for changed, content in changes.items()])
    # the sheet's own (formulas read as their text, columns not read), then the roster's
    warnings = [p.format() for p in sheet.warnings]
    warnings += load_workspace(ws_root).load_cell(cell_id).roster_warnings(today or date.today())
    tasks = sorted(ws_root / p for p in changes if p != rel)
    return ImportResult(roster_path, sheet, merged, sheet.problems, warnings, tasks)


def _example_tasks(ws: Any, cell_id: str, members: list[dict[str, Any]]) -> dict[Path, bytes]:
    """init's example assignment files of the cell, in step with the new roster (see
    scaffold.refreshed_example); the secretary's own files are never touched."""
    from docgen.scaffold import refreshed_example
    from docgen.workspace import CELLS_DIR
    from docgen.yamlsource import load_source

    folder = ws.cells_dir / cell_id
    try:
        kind = str(load_source(folder / "chi-bo.yaml", "chi-bo.yaml").data["chi_bo"]["loai_chi_bo"])
    except (InputError, KeyError, TypeError, OSError):  # the check reports a broken chi-bo.yaml
        return {}
    out = {}
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]/phan-cong*.yaml")):
        new = refreshed_example(path, int(path.parent.name), members, kind)
        if new is not None:
            out[Path(CELLS_DIR) / cell_id / path.parent.name / path.name] = new.encode("utf-8")
    return out


def _sheet_field(path: tuple[str | int, ...]) -> str | None:
    """The sheet's column (its field name in xlsx.py) of a member's field at ``path``
    (below the member): the exemption's date and reason have columns of their own."""
    if not path or not isinstance(path[0], str):
        return None
    if path[0] == "mien_sinh_hoat":
        return "mien_ly_do" if path[1:2] == ("ly_do",) else "mien_tu_ngay"
    return path[0]


def in_sheet_terms(problem: Problem, roster: str, sheet: SheetRoster, merged: Merged, shown: str) -> Problem:
    """A problem of the would-be roster, told where the secretary can fix it.

    The new dang-vien.yaml is not written, so its line numbers mean nothing to anyone: a
    problem about its i-th member (its data path ``("dang_vien", i, ...)``) points at that
    member's row (and column) of the sheet. A file that still names a member the sheet no
    longer has (the problem's ``member``) says who, and where.
    """
    path = problem.path
    if (
        problem.file == roster
        and len(path) >= 2
        and path[0] == "dang_vien"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(sheet.rows)
    ):
        index = path[1]
        row = sheet.rows[index]
        name = merged.members[index].get("ho_ten", "")
        column = sheet.labels.get(_sheet_field(path[2:]) or "")
        where = f"dòng {row.row}, {column}" if column else f"dòng {row.row} ({name})"
        return Problem(shown, None, None, where, problem.message, problem.hint)
    if problem.member is not None and problem.member in merged.removed_ids:
        member_id = problem.member
        return dataclasses.replace(
            problem,
            message=f"vẫn ghi đồng chí {merged.removed_ids[member_id]} ({member_id}), người không có trong {shown}",
            hint=f"thêm dòng của đồng chí vào {shown} (đúng họ tên), hoặc sửa chỗ này nếu đồng chí "
            "đã chuyển đi",
        )
    return problem


def export_roster(
    workspace: Path, cell_id: str, *, target: Path, year: int, quarter: int | None = None
) -> int:
    """Write the cell's roster (and, with ``quarter``, that quarter's results, computed as
    the quarterly report computes them) to the Excel file ``target``, which
    ``import_roster`` reads back. Returns the number of members written.

    Raises:
        UsageError: ``cell_id`` is not a cell of the ward.
        InputError: the roster or the quarter's files are invalid.
        OutputError: ``target`` cannot be written.
    """
    from docgen.output import write_atomic
    from docgen.workspace import load_workspace
    from docgen.xlsx import export_workbook

    ws = load_workspace(workspace)
    ws.require_cell(cell_id)
    cell = ws.load_cell(cell_id)
    write_atomic(target, export_workbook(ws, cell, year, quarter))
    return len(cell.members)


def write_roster_template(target: Path) -> None:
    """Write the Excel template of a roster (the column names ``import_roster`` reads).

    Raises:
        OutputError: ``target`` cannot be written.
    """
    from docgen.output import write_atomic
    from docgen.xlsx import template_workbook

    write_atomic(target, template_workbook())
