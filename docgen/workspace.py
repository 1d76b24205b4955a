"""Find, load and cross-check the YAML files of a workspace (default ``data/``).

Layout::

    data/
      dang-bo.yaml                 the ward party organisation (dang_bo)
      chi-bo/<cell_id>/chi-bo.yaml      a cell (chi_bo)
      chi-bo/<cell_id>/dang-vien.yaml   its roster (dang_vien)
      chi-bo/<cell_id>/<year>/*.yaml    the year's documents (ke-hoach.yaml, ...)

Every loader collects all problems it can find before raising one InputError.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

import docgen.parsecache as parsecache
from docgen.errors import Collector, InputError, Problem, UsageError, display_path, unreadable
from docgen.models.org import CaiDat, ChiBo, ChiBoFile, DangBo, DangBoFile, DangVien, DanhSachFile
from docgen.models.rules import BoQuyTac
from docgen.resources import builtin_dir
from docgen.rules.period import CALENDAR, YearKind, folder_year
from docgen.validation import did_you_mean, validate
from docgen.yamlsource import (
    SourceFile,
    decode_text,
    parse_text,
    read_bytes,
    tell_legacy,
)

__all__ = [
    "CELLS_DIR",
    "CELL_FILE",
    "ROSTER_FILE",
    "WARD_FILE",
    "Cell",
    "SourceCache",
    "Workspace",
    "DEFAULT_FOLDER",
    "files_in",
    "find_workspace",
    "load_workspace",
]

WARD_FILE = "dang-bo.yaml"
CELLS_DIR = "chi-bo"
CELL_FILE = "chi-bo.yaml"
ROSTER_FILE = "dang-vien.yaml"
RULES_DIR = builtin_dir("rules")
DEFAULT_FOLDER = "data"  # the workspace's folder when the current one is not it

M = TypeVar("M", bound=BaseModel)


def files_in(folder: Path, pattern: str) -> list[Path]:
    """The entries of ``folder`` whose names match ``pattern`` (as ``glob``), in name order.

    A missing folder has none; a folder that cannot be read is an error (``Path.glob``
    would pass over it in silence, and its files would be missed without a word).

    Raises:
        InputError: the folder cannot be read, located at it.
    """
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if fnmatch.fnmatchcase(e.name, pattern)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise InputError([unreadable(exc, folder)]) from None
    return sorted(folder / name for name in names)


def load_model(path: Path, model: type[M]) -> tuple[M, SourceFile]:
    """Parse and validate one YAML file (its parse read from the cache kept between
    runs, docgen/parsecache.py, when the file is unchanged)."""
    display = display_path(path)
    raw = read_bytes(path, display)
    source = _parse(raw, hashlib.sha256(raw).hexdigest(), path, display)
    return validate(source, model), source


def _parse(raw: bytes, digest: str, path: Path, display: str) -> SourceFile:
    """The parse of ``raw``, the bytes of ``path`` whose sha256 is ``digest``: from the
    cache kept between runs, else parsed (and kept there when it has no problems).

    Raises:
        InputError: as :func:`docgen.yamlsource.parse_text`.
    """
    source = parsecache.lookup(digest, len(raw), path, display)
    if source is None:
        source = parse_text(decode_text(raw, display), path, display)
        parsecache.store(digest, source, raw)
    return source


@dataclass
class SourceCache:
    """The YAML files one run has parsed (and the models validated from them), so each
    is parsed once however many documents read it: a file is read again on every load
    and a cached result used only while its bytes are the same. Problems are cached too
    (the same InputError is raised again); a cached file still tells its legacy-text
    warnings to a :func:`docgen.yamlsource.watch_legacy` block, as a parse does. A file
    not parsed yet in this run is looked up in the cache kept between runs
    (docgen/parsecache.py) first.

    One belongs to each :class:`Workspace` (and the cells it loads); none is global.
    """

    #: (absolute path, display) -> (bytes read, the parsed file or the problems)
    sources: dict[tuple[str, str], tuple[bytes, SourceFile | list[Problem]]] = field(
        default_factory=dict
    )
    #: (absolute path, display, model) -> (bytes read, the validated model or the problems)
    models: dict[tuple[str, str, type], tuple[bytes, BaseModel | list[Problem]]] = field(
        default_factory=dict
    )
    #: absolute path -> the sha256 of the bytes last read from it (sources hashed when read)
    digests: dict[str, str] = field(default_factory=dict)
    #: (path, display asked for, current folder) -> (absolute path, display): each worked
    #: out once per file, not on every load
    names: dict[tuple[Path, str | None, str], tuple[str, str]] = field(
        default_factory=dict, repr=False
    )

    def digest(self, path: Path) -> str | None:
        """The sha256 of ``path``'s bytes as this cache last read them, or None when it
        has not read the file."""
        return self.digests.get(os.path.abspath(path))

    def load_source(self, path: Path, display: str | None = None) -> SourceFile:
        """:func:`docgen.yamlsource.load_source`, parsing the file only if its bytes
        changed since it was last parsed here (``display`` defaults to ``display_path``)."""
        return self._source(path, display)[2]

    def load_model(self, path: Path, model: type[M]) -> tuple[M, SourceFile]:
        """:func:`load_model`, validating only when the file's bytes changed."""
        absolute, raw, source = self._source(path, None)
        key = (absolute, source.display, model)
        cached = self.models.get(key)
        if cached is None or cached[0] != raw:
            try:
                cached = (raw, validate(source, model))
            except InputError as exc:
                cached = (raw, exc.problems)
            self.models[key] = cached
        found = cached[1]
        if isinstance(found, list):
            raise InputError(found)
        assert isinstance(found, model)
        return found, source

    def _names(self, path: Path, display: str | None) -> tuple[str, str]:
        """The absolute path of ``path`` and its name in messages (``display``, else
        :func:`display_path`), as they are from the current folder."""
        try:
            here = os.getcwd()
        except OSError:  # the current folder removed: only an absolute path is known
            here = ""
        key = (path, display, here)
        names = self.names.get(key)
        if names is None:
            names = self.names[key] = (os.path.abspath(path), display or display_path(path))
        return names

    def _source(self, path: Path, display: str | None) -> tuple[str, bytes, SourceFile]:
        absolute, display = self._names(path, display)
        raw = read_bytes(path, display)
        key = (absolute, display)
        cached = self.sources.get(key)
        if cached is not None and cached[0] == raw:
            found = cached[1]
            if isinstance(found, list):
                raise InputError(found)
            tell_legacy(found)
            return absolute, raw, found
        digest = self.digests[absolute] = hashlib.sha256(raw).hexdigest()
        try:
            source = _parse(raw, digest, path, display)
        except InputError as exc:
            self.sources[key] = (raw, exc.problems)
            raise
        self.sources[key] = (raw, source)
        return absolute, raw, source


@dataclass
class Cell:
    """A cell with its validated roster.

    Attributes:
        cell_id: The cell id (its folder name).
        info: The validated ``chi_bo`` section.
        members: The roster, in file order.
        folder: The cell folder.
        roster_source: The parsed roster file (for locating later problems).
    """

    cell_id: str
    info: ChiBo
    members: list[DangVien]
    folder: Path
    source: SourceFile
    roster_source: SourceFile
    cache: SourceCache = field(default_factory=SourceCache, repr=False, compare=False)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    year_kind: YearKind = CALENDAR

    def load_model(self, path: Path, model: type[M]) -> tuple[M, SourceFile]:
        """Parse and validate one YAML file, through the workspace's cache."""
        return self.cache.load_model(path, model)

    @cached_property
    def by_id(self) -> dict[str, DangVien]:
        return {m.ma: m for m in self.members}

    def year_dir(self, year: int) -> Path:
        """The folder of year ``year``: ``2026``, or ``2025-2026`` for a school year."""
        return self.folder / self.year_kind.folder_name(year)

    def misnamed_year_dirs(self) -> list[Problem]:
        """Year folders named for the other kind of year (``2026`` in a cell that reviews by
        school year, ``2025-2026`` in one that reviews by calendar year): their files would
        never be read."""
        found = []
        for name in sorted(_year_names(self.folder)):
            parsed = folder_year(name)
            if parsed is None or name == self.year_kind.folder_name(parsed[0]):
                continue
            right = self.year_kind.folder_name(parsed[0])
            how = "năm học (nam_danh_gia: nam_hoc)" if self.year_kind.school else "năm dương lịch"
            found.append(
                Problem(
                    display_path(self.folder / name),
                    None,
                    None,
                    "",
                    f"thư mục '{name}' không đọc được: chi bộ kiểm điểm theo {how}, "
                    f"thư mục của năm đó tên là '{right}'",
                    hint=f"đổi tên thư mục thành {right}, hoặc sửa nam_danh_gia trong {CELL_FILE}",
                )
            )
        return found

    def roster_warnings(self, as_of: date) -> list[str]:
        """What looks wrong in the roster without being an error: a probationary member
        past the 12 months of probation (``ngay_chinh_thuc`` likely missing); members of
        one name (``same_name_warnings``)."""
        from docgen.rules.period import PROBATION_MONTHS, probation_overdue

        return [
            f"{display_path(self.folder / ROSTER_FILE)}: {m.ho_ten} ({m.ma}): đảng viên dự bị vào Đảng ngày "
            f"{m.ngay_vao_dang:%d/%m/%Y}, đã quá {PROBATION_MONTHS} tháng: kiểm tra ngày chính thức"
            for m in self.members
            if m.loai_dang_vien == "du_bi" and probation_overdue(m.ngay_vao_dang, as_of)
        ] + self.official_date_warnings(as_of) + self.same_name_warnings() + self.formula_warnings()

    def official_date_warnings(self, as_of: date) -> list[str]:
        """A member listed as full (``chinh_thuc``) whose recognition date is after
        ``as_of`` (the cell's latest document, or today): the roster says of a day not yet
        reached what it can only say once it is; each located at ``ngay_chinh_thuc``."""
        out = []
        for i, m in enumerate(self.members):
            if m.loai_dang_vien == "chinh_thuc" and m.ngay_chinh_thuc is not None and m.ngay_chinh_thuc > as_of:
                problem = self.roster_source.problem(
                    ("dang_vien", i, "ngay_chinh_thuc"),
                    f"{m.ho_ten} ({m.ma}): ghi đảng viên chính thức nhưng ngày chính thức "
                    f"{m.ngay_chinh_thuc:%d/%m/%Y} sau ngày {as_of:%d/%m/%Y} đang xét",
                    hint="đồng chí chưa được công nhận chính thức thì ghi loai_dang_vien: du_bi và bỏ "
                    "ngay_chinh_thuc; ngày chính thức ghi sai thì sửa lại",
                )
                out.append(problem.format())
        return out

    def formula_warnings(self) -> list[str]:
        """Roster text a spreadsheet would run as a formula (begins with = + - @, tab or
        carriage return): the fields ``docgen roster export`` writes. Exports write it as
        text (celltext.py); the warning says it may be a pasted formula or an attack."""
        from docgen.celltext import runs_as_formula

        out = []
        for i, m in enumerate(self.members):
            exemption = m.mien_sinh_hoat
            fields: list[tuple[tuple[str | int, ...], object]] = [
                (("ho_ten",), m.ho_ten),
                (("chuc_vu",), m.chuc_vu),
                (("ghi_chu",), m.ghi_chu),
                (("mien_sinh_hoat", "ly_do"), exemption.ly_do if exemption else None),
            ]
            for path, value in fields:
                if runs_as_formula(value):
                    text = str(value)
                    problem = self.roster_source.problem(
                        ("dang_vien", i, *path),
                        f"«{text[:60].strip()}» bắt đầu bằng dấu Excel coi là công thức (= + - @)",
                        hint="docgen xuất ra Excel dạng chữ, không chạy; nếu không cố ý, bỏ ký tự đầu",
                    )
                    out.append(problem.format())
        return out

    def same_name_warnings(self) -> list[str]:
        """Members of one name (``formatting.name_key``: case, spaces and tone placement
        aside), one located warning per name: legal, but every file must name each by
        id, and an Excel import tells them apart by birth year and admission date."""
        from docgen.formatting import name_key

        groups: dict[str, list[int]] = {}
        for i, m in enumerate(self.members):
            groups.setdefault(name_key(m.ho_ten), []).append(i)
        out = []
        for indexes in groups.values():
            if len(indexes) < 2:
                continue
            same = [self.members[i] for i in indexes]
            ids = " và ".join(m.ma for m in same)
            years = [m.nam_sinh for m in same]
            admitted = [m.ngay_vao_dang for m in same]
            if len(set(years)) == len(same):
                apart = f"phân biệt bằng năm sinh ({', '.join(map(str, years))})"
            elif len(set(admitted)) == len(same):
                apart = f"phân biệt bằng ngày vào Đảng ({', '.join(f'{d:%d/%m/%Y}' for d in admitted)})"
            elif len(set(zip(years, admitted, strict=True))) == len(same):
                apart = "phân biệt bằng năm sinh cùng ngày vào Đảng"
            else:
                apart = "không phân biệt được bằng năm sinh, ngày vào Đảng"
            problem = self.roster_source.problem(
                ("dang_vien", indexes[1], "ho_ten"),
                f"{ids} cùng họ tên {same[0].ho_ten}: {apart}",
                hint="không phải lỗi; các tệp khác ghi đúng mã của từng người; tệp Excel nhập lại cần "
                "đúng năm sinh, ngày vào Đảng của từng người, hoặc cột Mã",
            )
            out.append(problem.format())
        return out

    def required_at(self, day: date) -> list[DangVien]:
        """Members expected at a meeting on ``day``: admitted, not exempted, not suspended."""
        return [
            m
            for m in self.members
            if m.ngay_vao_dang <= day
            and not (m.mien_sinh_hoat and m.mien_sinh_hoat.tu_ngay <= day)
            and not (m.dinh_chi_sinh_hoat and m.dinh_chi_sinh_hoat.tu_ngay <= day)
        ]

    def member_ref(
        self,
        source: SourceFile,
        path: tuple[str | int, ...],
        member_id: str,
        *,
        active: bool = True,
    ) -> Problem | None:
        """Check that ``member_id`` names a member of this cell (and, if ``active``,
        one not exempted from party activity). Returns the problem, if any."""
        member = self.by_id.get(member_id)
        if member is None:
            problem = source.problem(
                path,
                f"không có đảng viên mã '{member_id}' trong {display_path(self.folder / ROSTER_FILE)}",
                hint=did_you_mean(member_id, self.by_id),
            )
            return replace(problem, member=member_id)
        if active and member.mien_sinh_hoat is not None:
            return source.problem(
                path,
                f"đảng viên {member.ho_ten} ({member_id}) đang được miễn sinh hoạt đảng "
                "nên không thể giao nhiệm vụ",
            )
        return None

    def absentee_refs(
        self, source: SourceFile, path: tuple[str | int, ...], absent: Sequence[str]
    ) -> list[Problem]:
        """Check the members named absent from a meeting (``vang`` at ``path``): each one a
        member of this cell, none named twice (the count and the minutes would be wrong)."""
        out = []
        seen: dict[str, int] = {}
        for j, member_id in enumerate(absent):
            where = (*path, j, "dang_vien")
            problem = self.member_ref(source, where, member_id, active=False)
            if problem:
                out.append(problem)
            elif member_id in seen:
                first = seen[member_id] + 1
                message = f"đảng viên '{member_id}' được ghi vắng hai lần (trùng với mục thứ {first})"
                out.append(source.problem(where, message))
            seen.setdefault(member_id, j)
        return out


@dataclass
class Workspace:
    """A loaded workspace: the ward, and cells loaded on demand."""

    root: Path
    dang_bo: DangBo
    source: SourceFile
    cai_dat: CaiDat = field(default_factory=CaiDat)
    templates_dir: Path | None = None  # the ward office's template folder (cai_dat.thu_muc_mau)
    cache: SourceCache = field(default_factory=SourceCache, repr=False, compare=False)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def load_source(self, path: Path) -> SourceFile:
        """Parse one YAML file, through the workspace's cache (parsed once per run)."""
        return self.cache.load_source(path)

    def load_model(self, path: Path, model: type[M]) -> tuple[M, SourceFile]:
        """Parse and validate one YAML file, through the workspace's cache."""
        return self.cache.load_model(path, model)

    @property
    def cells_dir(self) -> Path:
        return self.root / CELLS_DIR

    def ward_year_dir(self, year: int) -> Path:
        """The ward's own year folder (its summaries' facts): ``data/<year>/``."""
        return self.root / str(year)

    @property
    def rules_path(self) -> Path:
        """The rule set file the workspace names (cai_dat.bo_quy_tac): a built-in one by
        its name, else a path from the workspace folder, symlinks resolved."""
        name = self.cai_dat.bo_quy_tac
        if name.endswith((".yaml", ".yml")) or "/" in name:
            # realpath, not Path.resolve: a symlink loop must not raise here
            return Path(os.path.realpath(self.root / name))
        return RULES_DIR / f"{name}.yaml"

    @cached_property
    def rules(self) -> BoQuyTac:
        """The rule set the workspace names (cai_dat.bo_quy_tac): a built-in one, or a
        file inside the workspace folder (after resolving symlinks); any other path is
        refused before it is opened, so no message can show another file's content.

        Raises:
            InputError: the rule set is outside the workspace, cannot be found or is
                invalid.
        """
        name = self.cai_dat.bo_quy_tac
        path = self.rules_path
        known = sorted(p.stem for p in RULES_DIR.glob("*.yaml"))
        if not _rules_allowed(path, self.root):
            raise InputError(
                [
                    self.source.problem(
                        ("cai_dat", "bo_quy_tac"),
                        f"bộ quy tắc '{name}' ({display_path(path)}) ở ngoài thư mục dữ liệu, không "
                        f"đọc: chỉ dùng được bộ có sẵn ({', '.join(known)}) hoặc một tệp trong thư mục "
                        "dữ liệu",
                        hint="chép tệp bộ quy tắc vào thư mục dữ liệu rồi ghi đường dẫn tính từ thư "
                        "mục đó, ví dụ bo_quy_tac: quy-tac/bo-quy-tac.yaml",
                    )
                ]
            )
        try:
            found = _present(path)
        except OSError as exc:
            raise InputError([unreadable(exc, path)]) from None
        if not found:
            raise InputError(
                [
                    self.source.problem(
                        ("cai_dat", "bo_quy_tac"),
                        f"không tìm thấy bộ quy tắc '{name}' ({display_path(path)})",
                        hint=did_you_mean(name, known) or "các bộ có sẵn: " + ", ".join(known),
                    )
                ]
            )
        return self.load_model(path, BoQuyTac)[0]

    def cell_ids(self) -> list[str]:
        return list(self.dang_bo.chi_bo)

    def require_cell(self, cell_id: str) -> None:
        """Raise UsageError (exit 2) if ``cell_id`` is not a cell of the ward."""
        if cell_id not in self.dang_bo.chi_bo:
            hint = did_you_mean(cell_id, self.dang_bo.chi_bo)
            known = ", ".join(self.dang_bo.chi_bo)
            raise UsageError(
                f"không có chi bộ '{cell_id}' trong {self.source.display}"
                + (f" ({hint})" if hint else f"; các chi bộ: {known}")
            )

    def load_cell(self, cell_id: str) -> Cell:
        """Load and cross-check one cell folder.

        Raises:
            InputError: every problem of ``chi-bo.yaml`` and ``dang-vien.yaml``.
        """
        folder = self.cells_dir / cell_id
        collector = Collector()
        loaded_cell = collector.run(lambda: self.load_model(folder / CELL_FILE, ChiBoFile))
        roster_source = collector.run(lambda: self.load_source(folder / ROSTER_FILE))
        loaded_roster = None
        if roster_source is not None:
            # Duplicate ids are checked on the raw data, so they are reported even
            # when some other field of the roster is invalid.
            for duplicate in _duplicate_ids(roster_source):
                collector.add(duplicate)
            loaded_roster = collector.run(partial(self.load_model, folder / ROSTER_FILE, DanhSachFile))
        collector.raise_if_any()
        assert loaded_cell is not None and loaded_roster is not None
        (cell_file, cell_source), (roster, roster_source) = loaded_cell, loaded_roster
        cell = Cell(
            cell_id,
            cell_file.chi_bo,
            list(roster.dang_vien),
            folder,
            cell_source,
            roster_source,
            self.cache,
            year_kind=self.year_kind(cell_file.chi_bo),
        )
        committee: list[tuple[tuple[str | int, ...], str]] = [(("chi_bo", "bi_thu"), cell.info.bi_thu)]
        if cell.info.pho_bi_thu:
            committee.append((("chi_bo", "pho_bi_thu"), cell.info.pho_bi_thu))
        committee += [(("chi_bo", "chi_uy_vien", i), m) for i, m in enumerate(cell.info.chi_uy_vien)]
        for path, member_id in committee:
            problem = cell.member_ref(cell_source, path, member_id)
            if problem:
                collector.add(problem)
        collector.raise_if_any()
        return cell

    def year_kind(self, info: ChiBo) -> YearKind:
        """How cell ``info`` counts its year (``nam_danh_gia``; the school year's start month
        comes from the rule set).

        Raises:
            InputError: the rule set is invalid (only read for a school-year cell).
        """
        if info.nam_danh_gia == "nam_hoc":
            return YearKind(self.rules.thang_bat_dau_nam_hoc)
        return CALENDAR

    def ward_years(self) -> list[int]:
        """The years that have a ward folder (``data/<year>/``).

        Raises:
            InputError: the workspace folder cannot be read.
        """
        return _year_folders(self.root, CALENDAR)

    def year_dirs(self, cell_id: str) -> list[int]:
        """The years that have a folder in cell ``cell_id``, named as the cell's kind of year
        names them (both kinds when its ``chi-bo.yaml`` cannot be read).

        Raises:
            InputError: the cell's folder cannot be read.
        """
        return _year_folders(self.cells_dir / cell_id, self._cell_year_kind(cell_id))

    def cell_year_dir(self, cell_id: str, year: int) -> Path:
        """The folder of year ``year`` of cell ``cell_id`` (``Cell.year_dir`` without
        loading the roster; a calendar year's name when ``chi-bo.yaml`` cannot be read)."""
        return self.cells_dir / cell_id / self.cell_year_kind(cell_id).folder_name(year)

    def cell_year_kind(self, cell_id: str) -> YearKind:
        """Cell ``cell_id``'s kind of year without loading its roster (the calendar year
        when its ``chi-bo.yaml`` cannot be read)."""
        return self._cell_year_kind(cell_id) or CALENDAR

    def _cell_year_kind(self, cell_id: str) -> YearKind | None:
        """Cell ``cell_id``'s kind of year; None when its ``chi-bo.yaml`` cannot be read."""
        try:
            return self.year_kind(self.load_model(self.cells_dir / cell_id / CELL_FILE, ChiBoFile)[0].chi_bo)
        except InputError:
            return None


def _rules_allowed(path: Path, root: Path) -> bool:
    """Whether the rule set ``path`` (symlinks resolved) is a built-in one or inside the
    workspace folder ``root``."""
    resolved = Path(os.path.realpath(path))
    places = (Path(os.path.realpath(root)), Path(os.path.realpath(RULES_DIR)))
    return any(resolved.is_relative_to(place) for place in places)


def _year_names(folder: Path) -> list[str]:
    """The names of ``folder``'s sub-folders named as years, ``2026`` or ``2025-2026``
    (none if it does not exist)."""
    try:
        with os.scandir(folder) as entries:
            return [e.name for e in entries if folder_year(e.name) is not None and e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise InputError([unreadable(exc, folder)]) from None


def _year_folders(folder: Path, kind: YearKind | None) -> list[int]:
    """The years that have a sub-folder of ``folder`` named as ``kind`` names them (either
    kind's names when None)."""
    years = set()
    for name in _year_names(folder):
        parsed = folder_year(name)
        assert parsed is not None
        if kind is None or name == kind.folder_name(parsed[0]):
            years.add(parsed[0])
    return sorted(years)


def _duplicate_ids(source: SourceFile) -> list[Problem]:
    data = source.data if isinstance(source.data, dict) else {}
    members = data.get("dang_vien")
    if not isinstance(members, list):
        return []
    seen: dict[str, int] = {}
    problems = []
    for i, member in enumerate(members):
        member_id = member.get("ma") if isinstance(member, dict) else None
        if not isinstance(member_id, str | int) or isinstance(member_id, bool):
            continue
        key = str(member_id)
        if key in seen:
            problems.append(
                source.problem(
                    ("dang_vien", i, "ma"),
                    f"mã đảng viên '{key}' bị trùng với mục thứ {seen[key] + 1}",
                    hint="mỗi đảng viên cần một mã riêng",
                )
            )
        else:
            seen[key] = i
    return problems


def find_workspace(cwd: Path) -> Path:
    """The workspace a command means when none is named: ``cwd`` itself if it holds
    ``dang-bo.yaml`` (the secretary stands in the data folder), else its ``data/``.

    A folder that cannot be read is not it (loading ``data/`` then says what is wrong).
    """
    try:
        if _present(cwd / WARD_FILE):
            return cwd
    except OSError:
        pass
    return cwd / DEFAULT_FOLDER


def _present(path: Path) -> bool:
    """Whether ``path`` is there as something other than a folder: a regular file, or a
    FIFO, a device, a socket, a symlink to one, which reading it then refuses, located
    (``is_file`` would call those missing and the message would be wrong).

    Raises:
        OSError: ``path`` cannot be looked at (no permission on its folder...).
    """
    return not path.is_dir() and path.exists()


# What to do when there is no workspace where one was looked for.
_WHAT_TO_DO = (
    f"hãy chạy lệnh trong thư mục dữ liệu (thư mục có tệp {WARD_FILE}), hoặc chỉ thư mục đó "
    "bằng -w THƯ_MỤC, hoặc tạo dữ liệu mới bằng docgen init"
)


def load_workspace(root: Path | None = None) -> Workspace:
    """Load ``dang-bo.yaml`` of the workspace at ``root`` and check its cell list.

    ``root`` None: the folder ``find_workspace`` finds from the current one.

    Raises:
        UsageError: the folder does not exist or has no ``dang-bo.yaml`` (the message
            says what to do).
        InputError: the ward file is invalid or names cells that have no folder.
    """
    if root is None:
        root = find_workspace(Path.cwd())
    try:
        return _load_workspace(root)
    except OSError as exc:
        raise InputError([unreadable(exc)]) from None


def _load_workspace(root: Path) -> Workspace:
    if not root.is_dir():
        raise UsageError(f"không tìm thấy thư mục dữ liệu {display_path(root)}; {_WHAT_TO_DO}")
    ward_file = root / WARD_FILE
    if not _present(ward_file):
        raise UsageError(f"thư mục {display_path(root)} không có tệp {WARD_FILE}; {_WHAT_TO_DO}")
    cache = SourceCache()
    ward, source = cache.load_model(ward_file, DangBoFile)
    collector = Collector()
    seen: set[str] = set()
    for i, cell_id in enumerate(ward.dang_bo.chi_bo):
        if cell_id in seen:
            collector.add(source.problem(("dang_bo", "chi_bo", i), f"chi bộ '{cell_id}' được ghi hai lần"))
        seen.add(cell_id)
        try:
            present = _present(root / CELLS_DIR / cell_id / CELL_FILE)
        except OSError:
            continue  # there but unreadable: reading the cell says so, located
        if not present:
            # the folder exists and lacks only its file; else another folder may be the one meant
            existing = sorted(p.name for p in (root / CELLS_DIR).glob("*") if p.is_dir())
            collector.add(
                source.problem(
                    ("dang_bo", "chi_bo", i),
                    f"không có tệp {display_path(root / CELLS_DIR / cell_id / CELL_FILE)}",
                    hint=None if cell_id in existing else did_you_mean(cell_id, existing),
                )
            )
    templates_dir = None
    if ward.cai_dat.thu_muc_mau is not None:
        templates_dir = root / ward.cai_dat.thu_muc_mau
        if not templates_dir.is_dir():
            collector.add(
                source.problem(
                    ("cai_dat", "thu_muc_mau"),
                    f"không có thư mục mẫu {display_path(templates_dir)} "
                    f"(đường dẫn tính từ thư mục dữ liệu {display_path(root)})",
                    hint="tạo thư mục bằng: docgen templates export "
                    + display_path(templates_dir),
                )
            )
    collector.raise_if_any()
    return Workspace(
        root=root,
        dang_bo=ward.dang_bo,
        source=source,
        cai_dat=ward.cai_dat,
        templates_dir=templates_dir,
        cache=cache,
    )
