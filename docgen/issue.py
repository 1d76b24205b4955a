"""The publishing path: number -> cite -> render -> check -> write all or nothing -> record.

Every command that writes documents (``docgen render`` through ``pipeline.generate``,
each cell and the ward summary of ``docgen batch``) issues them with
``issue_documents``: each document takes its number from the register (a draft takes
none), the numbers it quotes from other documents are filled in, it is rendered in
memory, a document already issued is not overwritten with other content unless
re-issued, and then every file is written or none and the register records them. If
anything fails after the numbers were reserved (bad data, a file that cannot be written,
the register, Ctrl-C), no file is left and the numbers are given back.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen._version import __version__
from docgen.documents.base import Prepared, cite_mark
from docgen.errors import DocgenError, InputError, NumberClash, Problem, display_path, unreadable
from docgen.formatting import document_number, short_date
from docgen.output import (
    JournalFile,
    draft_path,
    folder_lock,
    free_name,
    interrupts_deferred,
    recover_journal,
    remove_stale_temporaries,
    resolve_inside,
    staged,
)
from docgen.register import Inputs, Register, SourceFile, Written, register_of
from docgen.resources import builtin_name
from docgen.workspace import Workspace
from docgen.yamlsource import format_path, load_source

if TYPE_CHECKING:  # rendering (jinja2, lxml) is imported where used: number_problems (docgen check) never renders
    from docgen.templates import Renderer

__all__ = [
    "ISSUE_STATES",
    "IssueSession",
    "Issued",
    "Rendered",
    "check_issue",
    "cite_numbers",
    "issue_documents",
    "number_documents",
    "number_problems",
    "record_issue",
    "recover_output",
    "release_numbers",
    "render_prepared",
]


#: What happened in the register to a written document (docs/vocabulary.md).
ISSUE_STATES = {
    "moi": "cấp số mới",
    "giong": "giống bản đã ban hành",
    "cap_lai": "ban hành lại",
    "du_thao": "dự thảo, chưa lấy số",
}


@dataclass(frozen=True)
class Rendered:
    """A rendered document and the template that made it."""

    item: Prepared
    data: bytes
    template: str  # the template file as shown to the user
    template_sha256: str

    @cached_property
    def sha256(self) -> str:
        """The document's hash (the register's, the journal's, the manifest's), made once."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Issued:
    """What ``issue_documents`` wrote.

    Attributes:
        rendered: The documents, in the order of the items.
        targets: Where each was written (absolute), in the same order.
        issued: Each numbered document's target -> (number and symbol, register state:
            a key of ISSUE_STATES).
        template_warnings: The templates' warnings (layout drift), once each.
        warnings: The documents' own warnings (``Prepared.warnings``), in order.
        notes: The documents' own notes (``Prepared.notes``), in order.
        facts: Kind -> what it computed (``Prepared.facts``), for a summary of the same run.
        source_digests: The sha256 of every file the documents were built from.
    """

    rendered: list[Rendered]
    targets: list[Path]
    issued: dict[Path, tuple[str, str]] = field(default_factory=dict)
    template_warnings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    source_digests: dict[Path, str] = field(default_factory=dict)


@dataclass
class IssueSession:
    """What one process issuing many runs in a row (a batch worker) keeps between them:
    paths resolved once, the digests of files not read through the workspace's cache, and
    whether the output folder was recovered before the batch started.

    Attributes:
        recovered: The caller removed the stale temporaries of the output folder before
            this session's runs (``recover_output``); each run still finishes or undoes a
            journal a killed run left.
    """

    recovered: bool = False
    _resolved: dict[str, Path] = field(default_factory=dict)
    _digests: dict[str, str] = field(default_factory=dict)
    _names: dict[tuple[str, str], SourceFile] = field(default_factory=dict)

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, once per path in the session."""
        key = os.fspath(path)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = path.resolve()
        return found

    def source_file(self, ws: Workspace, path: Path, digest: str) -> SourceFile:
        """A source as the register keeps it (``_source_file``), named once per session."""
        key = (os.fspath(path), digest)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = _source_file(ws, path, digest, self)
        return found


def issue_documents(
    ws: Workspace,
    items: list[Prepared],
    *,
    output_root: Path,
    templates_dir: Path | None,
    renderer: Renderer,
    draft: bool = False,
    reissue: bool = False,
    session: IssueSession | None = None,
) -> Issued:
    """Number, cite, render, check and write ``items``, then record them in the register:
    every document or none.

    ``draft``: the documents take no number and carry the "DỰ THẢO" mark; ``reissue``:
    documents already issued whose content changed are issued again. The items' context
    and output are completed in place (number, citations, a draft's name). ``session``:
    what a batch worker keeps from one cell to the next (``IssueSession``); by default
    the call stands alone.

    Raises:
        InputError: a number cannot be issued, an issued document would change, or a
            source file cannot be read.
        TemplateError: a template fails the check or cannot render.
        OutputError: a file could not be written.
        KeyboardInterrupt: Ctrl-C; as after any failure, nothing is left written and the
            numbers reserved are given back.
    """
    session = session or IssueSession()
    # One connection to the register for the whole issue (a batch worker's lasts all its cells).
    with register_of(ws).session():
        try:
            number_documents(ws, items, draft=draft)
            cite_numbers(ws, items)
            rendered, template_warnings = render_prepared(items, renderer, templates_dir)
            digests = _source_digests(ws, [p for r in rendered for p in r.item.sources], session)
            names = {p: session.source_file(ws, p, digests[p]) for p in digests}
            check_issue(ws, rendered, reissue=reissue, digests=digests, names=names)
            targets = [resolve_inside(output_root, r.item.output) for r in rendered]
            root = session.resolve(output_root)
            # The documents are written to their temporaries (and fsynced) before the lock is
            # taken, so parallel runs write at once; the lock is held only to put them in place.
            # One run at a time puts files in place in an output folder and records them, so no
            # run undoes what another issued; what a killed run left is finished or undone first
            # (docgen/output.py): a journal always, the stale temporaries of the folders written
            # unless the caller (a batch) removed them before starting.
            with (
                staged(
                    [(target, r.data) for target, r in zip(targets, rendered, strict=True)],
                    tags=[_journal_tag(ws, r, session) for r in rendered],
                ) as staging,
                folder_lock(root),
            ):
                folders = {root / t.relative_to(root).parts[0] for t in targets}
                tidied = _recover(root, set() if session.recovered else folders)
                keep, kept = _kept_versions(ws, rendered, targets, reissue=reissue)
                # Every file or none; the register records them once all are in place.
                states = staging.put_in_place(
                    lambda: record_issue(ws, rendered, reissue=reissue, digests=digests, names=names),
                    journal=root,
                    keep=keep,
                )
        except BaseException:
            release_numbers(ws, items)
            raise
    assert states is not None
    issued = Issued(
        rendered,
        targets,
        template_warnings=template_warnings,
        warnings=[w for r in rendered for w in r.item.warnings],
        notes=[n for r in rendered for n in r.item.notes],
        facts={r.item.kind: r.item.facts for r in rendered if r.item.facts is not None},
        source_digests=digests,
    )
    issued.warnings[:0] = [*tidied, *kept]  # what a killed run left, the versions kept
    for target, r in zip(targets, rendered, strict=True):
        if r.item.output in states:
            issued.issued[target] = (str(r.item.context["so_ky_hieu"]), states[r.item.output])
    return issued


def recover_output(output_root: Path, folders: list[Path]) -> list[str]:
    """Under the output folder's lock, finish or undo what a run killed outright while
    writing there left (its journal), then remove the temporary files killed runs left
    in ``folders`` (relative to ``output_root``). Returns what was found, as warnings.

    Raises:
        OutputError: the lock was held too long by another run, or the journal cannot
            be read or carried out.
        DocgenError: the register the killed run wrote to cannot be read.
    """
    root = output_root.resolve()
    if not root.is_dir():  # nothing written there yet (or it cannot be: writing will say)
        return []
    with folder_lock(root):
        return _recover(root, {resolve_inside(root, folder) for folder in folders})


def _recover(root: Path, folders: set[Path]) -> list[str]:
    """``recover_output`` with the lock held: ``folders`` absolute."""
    warnings: list[str] = []
    found = recover_journal(root, _recorded)
    if found is not None:
        finished, files = found
        if finished:
            warnings.append(
                f"{display_path(root)}: một lần chạy docgen trước bị dừng đột ngột ngay sau khi "
                f"ghi sổ đăng ký; đã đặt xong {len(files)} văn bản của lần đó đúng như sổ đăng ký"
            )
        else:
            warnings.append(
                f"{display_path(root)}: một lần chạy docgen trước bị dừng đột ngột khi đang ghi "
                f"{len(files)} văn bản, chưa kịp ghi sổ; các văn bản đó đã được đưa về như trước "
                "lần chạy ấy"
            )
    for folder in sorted(folders):
        removed = remove_stale_temporaries(folder)
        if removed:
            warnings.append(
                f"{display_path(folder)}: đã dọn {len(removed)} tệp tạm do một lần chạy docgen "
                "bị dừng đột ngột để lại"
            )
    return warnings


def _journal_tag(ws: Workspace, r: Rendered, session: IssueSession) -> dict[str, str] | None:
    """What the journal keeps of a document the register records: the register and the
    document's identity in it (a draft: nothing)."""
    if r.item.number is None or r.item.context.get("du_thao"):
        return None
    return {"so_dang_ky": str(session.resolve(register_of(ws).path)), "danh_tinh": _identity(r.item)}


def _recorded(files: list[JournalFile]) -> bool:
    """Whether a killed run recorded its documents: the register holds each one's digest
    (one transaction records them all). A run with none to record is undone."""
    tags = [(f, f.tag) for f in files if isinstance(f.tag, dict)]
    if not tags:
        return False
    for file, tag in tags:
        version = Register(Path(str(tag["so_dang_ky"]))).issued_version(str(tag["danh_tinh"]))
        if version is None or version[0] != file.sha256:
            return False
    return True


def _kept_versions(
    ws: Workspace, rendered: list[Rendered], targets: list[Path], *, reissue: bool
) -> tuple[list[Path | None], list[str]]:
    """Where each document's issued version is kept when this run re-issues it: beside
    it, ``<name>-ban-hanh-lan-<n>.docx`` (n: the issue it was), for good, as an official
    document is. Returns the places (None: nothing to keep) and a warning for each.
    Called with the output folder's lock held, so the names stay free."""
    keep: list[Path | None] = []
    said: list[str] = []
    register = register_of(ws)
    for r, target in zip(rendered, targets, strict=True):
        version = None
        if reissue and r.item.number is not None and not r.item.context.get("du_thao"):
            version = register.issued_version(_identity(r.item))
        if version is None or version[0] == r.sha256 or not target.is_file():
            keep.append(None)
            continue
        if _file_digest(target) == version[0]:
            place = free_name(target.with_name(f"{target.stem}-ban-hanh-lan-{version[1]}{target.suffix}"))
            said.append(
                f"{display_path(target)}: bản ban hành lần {version[1]} được giữ lại thành {place.name}"
            )
        else:
            # Not the version the register last recorded (issued into another output folder
            # since, or changed by hand): kept all the same, never labelled with a wrong issue.
            place = free_name(target.with_name(f"{target.stem}-ban-cu{target.suffix}"))
            said.append(
                f"{display_path(target)}: tệp đang có không phải bản ban hành lần {version[1]} mà sổ "
                f"đăng ký ghi (bản đó có thể ở thư mục kết quả khác); tệp cũ được giữ lại thành {place.name}"
            )
        keep.append(place)
    return keep, said


def _file_digest(path: Path) -> str | None:
    """The sha256 of an output file, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def render_prepared(
    items: list[Prepared], renderer: Renderer, templates_dir: Path | None
) -> tuple[list[Rendered], list[str]]:
    """Render prepared documents, each with its template (checked and compiled once per
    renderer). Returns the documents and the templates' warnings (layout drift), once each.

    A document whose citations were not filled in (``cite_numbers``: it is rendered
    outside ``issue_documents``) cites the numbers typed in the data only.

    Raises:
        TemplateCheckError: a template fails the check; nothing is rendered with it.
    """
    from docgen.render import DocStamp
    from docgen.templates import locate_template

    out = []
    warnings: dict[str, None] = {}
    for item in items:
        _fill_citations(item, {name: c.typed for name, c in item.cites.items()})
        path = locate_template(item.template, templates_dir)
        template = renderer.template(path, display_path(path))
        warnings.update(dict.fromkeys(template.warnings))
        stamp = DocStamp(
            kind=item.kind,
            title=item.title,
            author=item.author,
            issued=item.issued,
            template_name=path.name,
            template_sha256=template.sha256,
            docgen_version=__version__,
        )
        out.append(
            Rendered(item, template.render(item.context, stamp), display_path(path), template.sha256)
        )
    return out, list(warnings)


def cite_numbers(ws: Workspace, items: list[Prepared]) -> None:
    """Fill in, in place, the numbers each document quotes from another (``Prepared.cites``):
    the number typed in the cited document's data, else the one the register gave it
    (issued earlier, or reserved for it in this run), else none.
    """
    register = register_of(ws)
    for item in items:
        numbers = {
            name: c.typed if c.typed is not None else register.number_of(_identity_of(c.output))
            for name, c in item.cites.items()
        }
        _fill_citations(item, numbers)


def _fill_citations(item: Prepared, numbers: dict[str, int | None]) -> None:
    """Replace each citation's mark in the context's texts, once (``item.cites`` is then empty)."""
    if not item.cites:
        return
    texts = {}
    for name, c in item.cites.items():
        number = numbers.get(name)
        texts[cite_mark(name)] = (
            c.text.replace("{so_ky_hieu}", document_number(number, c.type_code, c.issuer_code))
            if number
            else c.without
        )
    item.context = _replace_marks(item.context, texts)
    item.cites = {}


def _replace_marks(value: Any, texts: dict[str, str]) -> Any:
    if isinstance(value, str):
        for mark, text in texts.items():
            value = value.replace(mark, text)
        return value
    if isinstance(value, dict):
        return {k: _replace_marks(v, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_marks(v, texts) for v in value]
    return value


def number_problems(ws: Workspace, items: list[Prepared]) -> list[Problem]:
    """Numbers typed in the data that cannot be issued, found without writing anything:
    two documents of one issuer and type with the same number, or a number the register
    already gave another document."""
    register = register_of(ws)
    term = _term(ws)
    problems = []
    seen: dict[tuple[str, str, int], Prepared] = {}
    for item in items:
        request = item.number
        if request is None or request.so is None or item.context.get("du_thao"):
            continue
        key = (_issuer(ws, item), request.type_code, request.so)
        first = seen.setdefault(key, item)
        if first is not item:
            symbol = document_number(request.so, request.type_code, request.issuer_code)
            problems.append(
                _problem(
                    item,
                    f"số {symbol} cũng được ghi cho {display_path(first.output)} "
                    f"({_source_name(first)}); mỗi văn bản một số riêng",
                )
            )
            continue
        why = register.clash(
            issuer=key[0], type_code=key[1], term=term, number=request.so, identity=_identity(item)
        )
        if why is not None:
            problems.append(_problem(item, why))
    return problems


def _term(ws: Workspace) -> str:
    return ws.dang_bo.nhiem_ky.ten if ws.dang_bo.nhiem_ky else ""


def _source_name(item: Prepared) -> str:
    return display_path(item.sources[-1]) if item.sources else item.kind


def _identity(item: Prepared) -> str:
    """A document's identity in the register: its output path without the suffix."""
    return _identity_of(item.output)


def _identity_of(output: Path) -> str:
    return output.with_suffix("").as_posix()


def _issuer(ws: Workspace, item: Prepared) -> str:
    return f"{ws.dang_bo.ma}/{item.cell}" if item.cell else ws.dang_bo.ma


def _problem(item: Prepared, message: str) -> Problem:
    """A problem about the document's number: where its data says the number is typed
    (``NumberRequest.where``: the minutes' ``so_bien_ban`` is in a meeting, and their
    file's own ``so`` is another document's), else at the ``so`` of its input file."""
    if item.number is not None and item.number.where is not None:
        source_file, where = item.number.where
        return source_file.problem(where, message)
    source = item.sources[-1] if item.sources else None
    if source is None:
        return Problem(None, None, None, "so", message)
    path: tuple[str | int, ...] = ("so",)
    line = col = None
    try:
        marks = load_source(source).marks
    except DocgenError:  # pragma: no cover - the file was read a moment ago
        marks = {}
    found = next((p for p in marks if len(p) == 2 and p[1] == "so"), None)
    if found is not None:
        path = found
        line, col = marks[found]
    return Problem(display_path(source), line, col, format_path(path), message)


def number_documents(ws: Workspace, items: list[Prepared], *, draft: bool = False) -> None:
    """Give each prepared document its number, in place (see docgen/register.py).

    A draft (``draft``, or a document that is one by nature, such as the annual summary
    before the committee decides) takes no number: its number stays blank, it carries
    the "DỰ THẢO" mark and it is written beside the issued document
    (``...-du-thao.docx``), never over it.

    Raises:
        InputError: a typed number belongs to another document.
    """
    register = register_of(ws)
    term = _term(ws)
    problems = []
    for item in items:
        request = item.number
        if request is None:
            continue
        blank = document_number(None, request.type_code, request.issuer_code)
        if draft or item.context.get("du_thao"):
            item.context["du_thao"] = True
            item.context["so_ky_hieu"] = blank
            _echo(item, blank)
            item.output = draft_path(item.output)
            continue
        # A number already known (issued or reserved) is the document's own: nothing new to say.
        fresh = request.in_date_order and register.number_of(_identity(item)) is None
        try:
            number = register.reserve(
                issuer=_issuer(ws, item),
                issuer_name=item.author,
                type_code=request.type_code,
                term=term,
                number=request.so,
                identity=_identity(item),
                kind=item.kind,
                issued=item.issued,
                summary=item.title,
                symbol=blank,
            )
        except NumberClash as exc:
            problems.append(_problem(item, str(exc)))
            continue
        item.context["so_ky_hieu"] = document_number(number, request.type_code, request.issuer_code)
        _echo(item, item.context["so_ky_hieu"])
        if fresh:
            item.warnings += _out_of_date_order(register, _issuer(ws, item), term, item, number)
    if problems:
        raise InputError(problems)


def _out_of_date_order(register: Register, issuer: str, term: str, item: Prepared, number: int) -> list[str]:
    """A new number that comes after a number already given to a later-dated document of
    the same issuer and type (the minutes of March made after September's): said, not
    changed. Numbers run in the order documents are registered and an issued number never
    changes (docgen/register.py); one run numbers its minutes in meeting order
    (documents/bien_ban.py ``minutes_of_year``), but a later meeting's minutes made in an
    earlier run keep their smaller number."""
    assert item.number is not None
    later = [
        e for e in register.entries()
        if e.co_quan == issuer and e.loai_van_ban == item.number.type_code and e.nhiem_ky == term
        and e.so < number and e.issued_on > item.issued
    ]
    if not later:
        return []
    first = min(later, key=lambda e: e.so)
    symbol = document_number(number, item.number.type_code, item.number.issuer_code)
    return [
        f"{display_path(item.output)} (ngày {short_date(item.issued)}) lấy số {symbol}, sau số "
        f"{first.ky_hieu} đã cấp cho văn bản ngày {short_date(first.issued_on)}: số cấp theo thứ tự "
        "lập văn bản và số đã cấp không đổi; lập biên bản sau mỗi cuộc họp, hoặc cả năm một lần, "
        "thì số theo thứ tự ngày họp"
    ]


def _echo(item: Prepared, so_ky_hieu: str) -> None:
    """Write the document's number into the texts that repeat it (NumberRequest.echo)."""
    assert item.number is not None
    for key, (before, after) in item.number.echo.items():
        item.context[key] = f"{before}{so_ky_hieu}{after}"


def _source_digests(ws: Workspace, paths: list[Path], session: IssueSession) -> dict[Path, str]:
    """The sha256 of each file: as the workspace's cache hashed it when it read it (the
    documents were built from those bytes), else read once per session (the rule set,
    files not read through the cache)."""
    digests: dict[Path, str] = {}
    for path in paths:
        if path in digests:
            continue
        found = ws.cache.digest(path)
        if found is None:
            key = os.path.abspath(path)
            found = session._digests.get(key)
            if found is None:
                try:
                    found = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:
                    raise InputError([unreadable(exc, path)]) from None
                session._digests[key] = found
        digests[path] = found
    return digests


def _sources_hash(paths: list[Path], digests: dict[Path, str]) -> str:
    """One digest of a document's sources: the sha256 of their sha256 digests, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(bytes.fromhex(digests[path]))
    return digest.hexdigest()


def _source_file(ws: Workspace, path: Path, digest: str, session: IssueSession) -> SourceFile:
    """A document's source as the register keeps it: by its path in the workspace
    (docgen's own rule set as ``có sẵn: rules/...``), named as messages name files."""
    root = session.resolve(ws.root)
    resolved = session.resolve(path)
    builtin = builtin_name(resolved, resolved=True)
    if builtin:
        key, shown = f"có sẵn: {builtin}", f"có sẵn {builtin}"
    else:
        key = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()
        shown = display_path(path)
    if resolved == session.resolve(ws.rules_path):
        shown = f"bộ quy tắc {shown}"
    return SourceFile(key=key, sha256=digest, shown=shown)


def _source_files(
    ws: Workspace, paths: list[Path], digests: dict[Path, str], names: dict[Path, SourceFile] | None
) -> tuple[SourceFile, ...]:
    """A document's sources as the register keeps them (``names``: made already)."""
    if names is None:
        session = IssueSession()
        return tuple(_source_file(ws, p, digests[p], session) for p in paths)
    return tuple(names[p] for p in paths)


def _template_name(r: Rendered) -> str:
    """The template as a message names it: a built-in one by its file name."""
    return builtin_name(Path(r.template)) or r.template


def check_issue(
    ws: Workspace,
    rendered: list[Rendered],
    *,
    reissue: bool,
    digests: dict[Path, str],
    names: dict[Path, SourceFile] | None = None,
) -> None:
    """Refuse to overwrite an issued document with different content (unless re-issuing).
    ``digests`` holds the sha256 of every source file (``_source_digests``), to say which
    changed since the document was issued.

    Raises:
        InputError: one line per refused document, naming the earlier one and what
            changed since (source files, template, or docgen's rendering).
    """
    register = register_of(ws)
    problems = []
    for r in rendered:
        if r.item.number is None or r.item.context.get("du_thao"):
            continue
        inputs = Inputs(
            template=_template_name(r),
            template_sha256=r.template_sha256,
            sources_sha256=_sources_hash(r.item.sources, digests),
            sources=_source_files(ws, r.item.sources, digests, names),
        )
        try:
            register.check(_identity(r.item), r.sha256, reissue, inputs)
        except NumberClash as exc:
            problems.append(_problem(r.item, str(exc)))
    if problems:
        raise InputError(problems)


def record_issue(
    ws: Workspace,
    rendered: list[Rendered],
    *,
    reissue: bool,
    digests: dict[Path, str],
    names: dict[Path, SourceFile] | None = None,
) -> dict[Path, str]:
    """Record written documents in the register (once they are all safely on disk), in
    one transaction: all of them or, if one cannot be recorded, none. ``digests`` holds
    the sha256 of every source file (``_source_digests``), so none is read twice.

    Returns:
        Each numbered document's output path -> its state (a key of ISSUE_STATES).
    """
    states: dict[Path, str] = {}
    issued: list[Rendered] = []
    for r in rendered:
        if r.item.number is None:
            continue
        if r.item.context.get("du_thao"):
            states[r.item.output] = "du_thao"
        else:
            issued.append(r)
    documents = [
        Written(
            identity=_identity(r.item),
            output=r.item.output.as_posix(),
            sha256=r.sha256,
            template_sha256=r.template_sha256,
            sources_sha256=_sources_hash(r.item.sources, digests),
            source_files=_source_files(ws, r.item.sources, digests, names),
            symbol=str(r.item.context["so_ky_hieu"]),
            issued=r.item.issued,
            summary=r.item.title,
        )
        for r in issued
    ]
    if documents:
        answers = register_of(ws).confirm_all(documents, reissue=reissue)
        states.update((r.item.output, state) for r, state in zip(issued, answers, strict=True))
    return states


def release_numbers(ws: Workspace, items: list[Prepared]) -> None:
    """Give back the numbers reserved for documents that were not written and recorded
    (a run that failed or was interrupted); numbers of recorded documents stay.

    Ctrl-C is held back meanwhile. If the register cannot be written, the reservations
    stay (each is reused by its own document only) and the error that stopped the run
    is the one reported.
    """
    identities = [
        _identity(item) for item in items if item.number is not None and not item.context.get("du_thao")
    ]
    with interrupts_deferred(), suppress(DocgenError):
        register_of(ws).release_all(identities)
