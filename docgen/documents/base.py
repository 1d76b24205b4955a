"""What every document kind provides, and the context pieces they share.

A kind loads its own input file(s), cross-checks them against the workspace and
builds a plain-dict context of pre-formatted Vietnamese strings. Context builders
are pure: the same models give the same dict.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from docgen.documents.kinds import KindSpec, Scope, kind_spec
from docgen.errors import Collector, InputError, Problem, display_path
from docgen.formatting import document_number, finish_item, ngay_thang_nam, upper_vi
from docgen.models.org import DangBo
from docgen.workspace import Cell, Workspace, files_in
from docgen.yamlsource import SourceFile, watch_legacy

__all__ = [
    "WARD_ARCHIVE",
    "Citation",
    "Stray",
    "future_date_warning",
    "stray_inputs",
    "cite_mark",
    "DocumentKind",
    "default_ward_recipients",
    "check_signer",
    "check_ward_signer",
    "ward_header",
    "ward_signature",
    "Prepared",
    "cell_header",
    "dash_items",
    "recipients",
    "cell_signature",
    "party_role",
    "remembered",
    "run_cell",
]

T = TypeVar("T")


@dataclass(frozen=True)
class _Memo:
    """One remembered computation: its value or its problems, and the files whose
    legacy-text warnings it told (by the name problems show them under)."""

    value: Any
    problems: list[Problem] | None
    told: tuple[str, ...]


def remembered(holder: Workspace | Cell, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``holder`` (a workspace or a cell: one run's view of the
    files) and ``key``; later calls give the same value, or raise the same problems
    (an ``InputError``), without computing again. An ``OSError`` is not remembered.

    The legacy-text warnings the computation told a :func:`docgen.yamlsource.watch_legacy`
    block are told again on every call, as loading the files again would.
    """
    memo = holder.memo.get(key)
    if memo is None:
        with watch_legacy() as told:
            try:
                memo = _Memo(compute(), None, ())
            except InputError as exc:
                memo = _Memo(None, list(exc.problems), ())
        memo = _Memo(memo.value, memo.problems, tuple(dict.fromkeys(p.file for p in told if p.file)))
        holder.memo[key] = memo
    for display in memo.told:
        # read through the run's cache, a file tells its warnings to the block running
        with suppress(InputError, OSError):
            holder.cache.load_source(Path(display))
    if memo.problems is not None:
        raise InputError(memo.problems)
    value: T = memo.value
    return value


def run_cell(ws: Workspace, cell_id: str) -> Cell:
    """``ws.load_cell(cell_id)``, once per run (``remembered``): every document of the
    run reads the one cell, and what is remembered for it (``Cell.memo``).

    Raises:
        InputError: every problem of the cell's ``chi-bo.yaml`` and ``dang-vien.yaml``.
    """
    return remembered(ws, ("cell", cell_id), partial(ws.load_cell, cell_id))


@dataclass(frozen=True)
class NumberRequest:
    """How a document is numbered: the number typed in its data (None: the next free
    number from the register), its type code (``KH``) and its issuer's code (``CB``);
    ``where`` the number is typed (its file and path), so a refused number is located;
    ``echo`` the context texts that repeat the document's own number (an annex's «Kèm
    theo Báo cáo số ...»): each the text before and after the number, joined once the
    number is known (blank in a draft, like the header); ``in_date_order`` a kind whose
    numbers should follow its documents' dates (the minutes: meeting order), so a new
    number that comes after one already issued to a later date is said (docgen/issue.py)."""

    so: int | None
    type_code: str
    issuer_code: str
    where: tuple[SourceFile, tuple[str | int, ...]] | None = None
    echo: dict[str, tuple[str, str]] = field(default_factory=dict)
    in_date_order: bool = False


def cite_mark(name: str) -> str:
    """Where a text quotes another document's number (``Prepared.cites[name]``), until the
    publishing path (docgen/issue.py) fills it in. Private-use characters: no data can
    type them by chance."""
    return f"\ue000{name}\ue001"


@dataclass(frozen=True)
class Citation:
    """Another document's number quoted in this one (a resolution's in its minutes, the
    plan's in an assignment notice).

    The document's texts hold ``cite_mark(name)`` where the quote goes; it becomes
    ``text`` with ``{so_ky_hieu}`` replaced by the cited number and symbol (``01-NQ/CB``),
    or ``without`` while the cited document has no number: the number typed in its data,
    else the one the register gave it, else none (never a number it does not have).

    Attributes:
        output: The cited document's ``Prepared.output`` (its identity in the register).
        typed: The number typed in the cited document's data, if any.
        type_code: Its type code (``NQ``).
        issuer_code: Its issuer's code (``CB``).
    """

    output: Path
    typed: int | None
    type_code: str
    issuer_code: str
    text: str
    without: str = ""


@dataclass
class Prepared:
    """One document ready to render.

    Attributes:
        kind: The kind's name (``ke-hoach``).
        context: The template variables.
        output: Path of the output file, relative to the output folder.
        title: Type name and summary (``KẾ HOẠCH xây dựng ...``), for stamps and lists.
        author: The issuing body, as written in the document.
        issued: The issue date.
        cell: The cell id, or None for ward documents.
        template: The template file name (``ke-hoach.docx``).
        sources: The input files it was built from.
        warnings: Things the user should know, in Vietnamese.
        notes: Informative lines for the terminal (forced or capped levels and why).
        facts: What a ward summary made in the same run reads of the kind's results (a
            cell's evaluated quarter or year, kept small: ``bao_cao_quy.CellQuarterFacts``,
            ``bao_cao_nam.CellYearFacts``), so it need not compute them again; a batch
            worker sends it back to the main process.
        number: How the document is numbered (see docgen/register.py).
        cites: Other documents' numbers its texts quote, by the name of their mark
            (``cite_mark``); filled in when the document is issued (docgen/issue.py).
    """

    kind: str
    context: dict[str, Any]
    output: Path
    title: str
    author: str
    issued: date
    cell: str | None
    template: str
    sources: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: Any = None
    number: NumberRequest | None = None
    cites: dict[str, Citation] = field(default_factory=dict)


class DocumentKind(ABC):
    """A kind of document docgen produces (plan, assignment, report, ...).

    What the kind is (name, templates, scope, period, input files...) is its entry in
    the kinds table (docgen/documents/kinds.py), given to the constructor; the
    subclass only implements ``prepare``.
    """

    def __init__(self, spec: KindSpec) -> None:
        self.spec = spec

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def description(self) -> str:
        return self.spec.description

    @property
    def templates(self) -> tuple[str, ...]:
        """The template files this kind may use."""
        return tuple(self.spec.templates)

    @property
    def scope(self) -> Scope:
        """``chi_bo``: one per cell; ``dang_bo``: one per ward."""
        return self.spec.scope

    @property
    def needs_quarter(self) -> bool:
        return self.spec.needs_quarter

    @property
    def input_glob(self) -> str | None:
        """Its own file(s) in a year folder, if any."""
        return self.spec.reads

    @property
    def summarises(self) -> str | None:
        """For a ward summary: the cell kind whose computed facts it reads
        (``Prepared.facts``); its ``prepare`` then accepts ``known={cell id: facts}``
        to skip recomputing them."""
        return self.spec.summarises

    @property
    def input_model(self) -> type[BaseModel] | None:
        """The model of its own input file, if it has one."""
        if self.spec.input_model is None:
            return None
        model: type[BaseModel] = getattr(import_module(self.spec.model), self.spec.input_model)
        return model

    @abstractmethod
    def prepare(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None
    ) -> list[Prepared]:
        """Load and check this kind's input for one cell (or the ward) and period.

        Returns one Prepared per document (a kind may have several files a year).

        Raises:
            InputError: every problem found in the input files.
        """

    def input_dir(self, ws: Workspace, cell_id: str | None, year: int) -> Path:
        """The folder holding this kind's input: the cell's year, or the ward's year."""
        if self.scope == "dang_bo" or cell_id is None:
            return ws.ward_year_dir(year)
        return ws.cell_year_dir(cell_id, year)

    def input_paths(self, ws: Workspace, cell_id: str | None, year: int) -> list[Path]:
        """The input files of this kind for a cell (or the ward) and year, in name order:
        its own (``reads``), and those of the kinds it also reads (``also_reads``)."""
        globs = [self.spec.reads, *(kind_spec(name).reads for name in self.spec.also_reads)]
        folder = self.input_dir(ws, cell_id, year)
        return sorted(path for glob in globs if glob is not None for path in files_in(folder, glob))

    def periods(
        self, ws: Workspace, cell_id: str | None, year: int
    ) -> tuple[list[int | None], list[Path]]:
        """The periods that have input (None for a yearly kind), and misnamed files.

        A quarterly kind's files are named ``<stem>-<N>.yaml`` with N from 1 to 4.
        """
        paths = self.input_paths(ws, cell_id, year)
        if not self.needs_quarter:
            return ([None] if paths else []), []
        found: set[int] = set()
        bad = []
        for path in paths:
            digits = path.stem.rsplit("-", 1)[-1]
            if digits.isdigit() and 1 <= int(digits) <= 4:
                found.add(int(digits))
            else:
                bad.append(path)
        quarters: list[int | None] = [*sorted(found)]
        return quarters, bad


    def prepare_checked(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None, known: Any = None
    ) -> list[Prepared]:
        """``prepare`` (with ``known``, for a summary), and the files beside its input
        that it would read under their right name said as ``docgen check`` says them:
        an error when the right name is not there, else a warning on its documents.

        Raises:
            InputError: every problem of its input, and every such file.
        """
        collector = Collector()
        strays = collector.run(partial(self.strays, ws, cell.cell_id if cell else None, year, quarter)) or []
        for stray in strays:
            if not stray.shadowed:
                collector.add(stray.problem())
        if known is None:
            items = collector.run(partial(self.prepare, ws, cell, year, quarter))
        else:
            items = collector.run(partial(self.prepare, ws, cell, year, quarter, known=known))  # type: ignore[call-arg]
        collector.raise_if_any()
        for item in items or []:
            item.warnings += [s.warning() for s in strays if s.shadowed]
            future = future_date_warning(item, date.today())
            if future:
                item.warnings.append(future)
        return items or []

    def input_file(self, ws: Workspace, cell_id: str | None, year: int, quarter: int | None) -> Path | None:
        """The file this kind reads for one period, if it reads one by name
        (``tong-hop-quy-3.yaml``); None for a kind with several or none."""
        reads = self.spec.reads
        if reads is None or reads.count("*") != (1 if self.needs_quarter else 0):
            return None
        name = reads.replace("*", str(quarter)) if self.needs_quarter else reads
        return self.input_dir(ws, cell_id, year) / name

    def strays(self, ws: Workspace, cell_id: str | None, year: int, quarter: int | None) -> list[Stray]:
        """Files beside this kind's input that it would read under their right name
        (``Quy-3.yaml``, ``quy-3.yaml.txt``...): with ``quarter``, only that quarter's."""
        globs = [self.spec.reads, *(kind_spec(name).reads for name in self.spec.also_reads)]
        found = stray_inputs(self.input_dir(ws, cell_id, year), [g for g in globs if g is not None])
        if quarter is None:
            return found
        return [s for s in found if _quarter_of(s.right) in (None, quarter)]


def future_date_warning(item: Prepared, today: date) -> str | None:
    """A document dated after ``today``: located at its date when its number's place is
    known (``ngay_ban_hanh`` beside ``so``, else the meeting), else named by its output."""
    if item.issued <= today:
        return None
    message = (
        f"văn bản ghi ngày {item.issued:%d/%m/%Y}, còn sau hôm nay ({today:%d/%m/%Y}): kiểm tra lại ngày; "
        "văn bản làm trước thì nên để bản dự thảo (--draft) đến ngày đó mới ban hành"
    )
    where = item.number.where if item.number is not None else None
    if where is None:
        return f"{display_path(item.output)}: {message}"
    source, path = where
    at = (*path[:-1], "ngay_ban_hanh") if path and path[-1] == "so" else path[:-1]
    return source.problem(at, message).format()


def _quarter_of(name: str) -> int | None:
    """The quarter a quarterly input file's name ends with (``quy-3.yaml``: 3), else None."""
    match = re.fullmatch(r"(?:tong-hop-)?quy-([1-4])\.yaml", name)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Stray:
    """A file docgen does not read that looks like one it reads (``quy-3.yaml.txt``,
    ``Quy-3.yaml``, ``quy3.yaml``, ``quy-3.yml``, ``Phan-cong.yaml``...).

    Attributes:
        path: The file.
        right: The name docgen would read it under.
        shadowed: A file of the right name is there too (docgen reads that one).
    """

    path: Path
    right: str
    shadowed: bool

    def problem(self) -> Problem:
        """The file named as an error: its data would never be read."""
        return Problem(display_path(self.path), None, None, "", f"docgen không đọc tệp này; đổi tên thành {self.right}")

    def warning(self) -> str:
        """The file named as a warning: a file of the right name is read instead."""
        return (
            f"{display_path(self.path)}: docgen không đọc tệp này mà đọc {self.right} ở cùng thư mục; "
            "xóa hoặc chuyển tệp này đi nếu không cần"
        )


def _meant_name(name: str) -> str:
    """The name a secretary most likely meant: lower case, no tone marks, no ``.txt``
    an editor added, ``.yaml`` for ``.yml``, hyphens for spaces and underscores, and
    a hyphen before a quarter's number (``quy3.yaml``)."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
    while text.endswith(".txt"):
        text = text[: -len(".txt")].rstrip()
    text = re.sub(r"\.yml$", ".yaml", text)
    text = re.sub(r"[\s_]+", "-", text)
    return re.sub(r"([a-z])-?([1-4])\.yaml$", r"\1-\2.yaml", text)


def stray_inputs(folder: Path, globs: list[str]) -> list[Stray]:
    """The files of ``folder`` that match none of ``globs`` (the names docgen reads
    there) but would under the name their writer meant (see ``Stray``), in name order.

    Raises:
        InputError: the folder cannot be read, located at it.
    """
    entries = files_in(folder, "*")
    names = {path.name for path in entries}
    out = []
    for path in entries:
        if any(fnmatch.fnmatchcase(path.name, g) for g in globs) or not path.is_file():
            continue
        right = _meant_name(path.name)
        if any(fnmatch.fnmatchcase(right, g) for g in globs):
            out.append(Stray(path, right, right in names))
    return out


def party_role(cell: Cell, member_id: str) -> str:
    """A member's role in the cell as written in prose: ``Bí thư Chi bộ``."""
    if member_id == cell.info.bi_thu:
        return "Bí thư Chi bộ"
    if member_id == cell.info.pho_bi_thu:
        return "Phó Bí thư Chi bộ"
    if member_id in cell.info.chi_uy_vien:
        return "Chi ủy viên"
    return "đảng viên"


def name_in_cell_column(ten: str) -> str:
    """A cell's name in a table column headed «Chi bộ»: without the repeated «Chi bộ »
    (``Chi bộ Tổ dân phố số 5`` -> ``Tổ dân phố số 5``), so names wrap less."""
    short = re.sub(r"^Chi bộ\s+", "", ten)
    return short[:1].upper() + short[1:] if short else ten


def cell_sources(ws: Workspace, cell: Cell, *, rules: bool = False) -> list[Path]:
    """The files every document of a cell reads (ward, cell, roster; the rule set when it
    evaluates), first in its ``Prepared.sources``; the kind adds its own after them."""
    return [ws.source.path, *([ws.rules_path] if rules else []), cell.source.path, cell.roster_source.path]


def superior_header(lines: list[str]) -> dict[str, str | list[str]]:
    """The superior body's lines of a header, in capitals, from the highest down.

    ``dong_cap_tren`` is the list the built-in templates loop over, one paragraph per
    line; ``co_quan_cap_tren`` is the same lines joined by line breaks (a line break
    in Word), so a template the ward office made with ``{{ co_quan_cap_tren }}`` still
    shows every line (one line: the name, as before).
    """
    upper = [upper_vi(line) for line in lines]
    return {"co_quan_cap_tren": "\n".join(upper), "dong_cap_tren": upper}


def cell_header(
    ward: DangBo, cell: Cell, number: int | None, type_code: str, issued: date
) -> dict[str, str | bool | list[str]]:
    """Header variables of a document issued by a cell.

    The superior lines are the cell's own ``cap_tren`` (a cell under a sub-committee), else
    the ward's name.
    """
    return {
        **superior_header(cell.info.cap_tren or [ward.ten]),
        "co_quan_ban_hanh": upper_vi(cell.info.ten),
        "so_ky_hieu": document_number(number, type_code, cell.info.ky_hieu),
        "dia_danh": ward.dia_danh,
        "ngay_thang_nam": ngay_thang_nam(issued),
        "du_thao": False,
    }


def ward_header(
    ward: DangBo, number: int | None, type_code: str, issued: date
) -> dict[str, str | bool | list[str]]:
    """Header variables of a document issued by the ward committee (đảng ủy phường).

    Line 1 is the superior body (since 7/2025 the city or province committee).
    """
    return {
        **superior_header(ward.cap_tren),
        "co_quan_ban_hanh": upper_vi(ward.ten_dang_uy),
        "so_ky_hieu": document_number(number, type_code, ward.ky_hieu),
        "dia_danh": ward.dia_danh,
        "ngay_thang_nam": ngay_thang_nam(issued),
        "du_thao": False,
    }


WARD_SIGNER_ROLES = {"bi_thu": "BÍ THƯ", "pho_bi_thu": "PHÓ BÍ THƯ"}


def ward_signature(ward: DangBo, authority: str, signer: str) -> dict[str, str]:
    """``T/M ĐẢNG ỦY`` (or ``T/M BAN THƯỜNG VỤ``) / ``BÍ THƯ`` / the name."""
    role = next(m.chuc_vu for m in ward.dang_uy if m.ho_ten == signer)
    return {
        "tham_quyen": "T/M ĐẢNG ỦY" if authority == "dang_uy" else "T/M BAN THƯỜNG VỤ",
        "chuc_vu_ky": WARD_SIGNER_ROLES[role],
        "nguoi_ky": signer,
    }


WARD_ARCHIVE = "Lưu Văn phòng Đảng ủy"


def default_ward_recipients(ws: Workspace) -> list[str]:
    """The superior committee (to report to), then the cells."""
    upper = ws.dang_bo.cap_uy_cap_tren
    return ([f"Ban Thường vụ {upper} (để báo cáo)"] if upper else []) + ["Các chi bộ trực thuộc"]


def check_ward_signer(
    source: SourceFile, path: tuple[str | int, ...], ward: DangBo, signer: str
) -> Problem | None:
    """The signer of a ward document must be its secretary or a deputy secretary."""
    allowed = [m.ho_ten for m in ward.dang_uy if m.chuc_vu in WARD_SIGNER_ROLES]
    if signer in allowed:
        return None
    from docgen.validation import did_you_mean

    return source.problem(
        path,
        f"người ký '{signer}' phải là bí thư hoặc phó bí thư trong danh sách dang_uy của dang-bo.yaml",
        hint=did_you_mean(signer, allowed) or ("có thể ký: " + ", ".join(allowed) if allowed else None),
    )


def cell_signature(cell: Cell, signer_id: str) -> dict[str, str]:
    """Signature variables: ``T/M CHI BỘ`` / ``BÍ THƯ`` or ``PHÓ BÍ THƯ`` / the name."""
    title = "BÍ THƯ" if signer_id == cell.info.bi_thu else "PHÓ BÍ THƯ"
    return {
        "tham_quyen": "T/M CHI BỘ",
        "chuc_vu_ky": title,
        "nguoi_ky": cell.by_id[signer_id].ho_ten,
    }


def check_signer(
    source: SourceFile, path: tuple[str | int, ...], cell: Cell, signer: str | None
) -> Problem | None:
    """The signer of a cell document must be its secretary or deputy (T/M CHI BỘ)."""
    if signer is None or signer in (cell.info.bi_thu, cell.info.pho_bi_thu):
        return None
    return source.problem(
        path,
        f"người ký '{signer}' phải là bí thư ({cell.info.bi_thu}) hoặc "
        f"phó bí thư chi bộ ({cell.info.pho_bi_thu or 'chưa có'})",
    )


def dash_items(items: list[str]) -> list[str]:
    """Punctuate list items: ``;`` after each, ``.`` after the last."""
    return [finish_item(text, i == len(items) - 1) for i, text in enumerate(items)]


def recipients(items: list[str], archive: str) -> list[str]:
    """The "Nơi nhận" lines: ``- X,`` for each, then ``- Lưu ....`` (party-document-format §5)."""
    lines = [f"- {finish_item(text, False, sep=',')}" for text in items]
    lines.append(f"- {finish_item(archive, True)}")
    return lines
