"""The ward office's Word templates with their versions: uploaded, checked, previewed,
activated, restored (issue 15, the templates page of ``docgen serve``).

A *template* here is one template file of the contract, named by its stem: ``ke-hoach``,
``phan-cong-thong-bao``, ``phan-cong-nghi-quyet``... (the document kind ``phan-cong`` has two
templates, so the store is kept per template file, not per document kind).

Where things are:

- every version ever uploaded (or replaced) is kept in ``<workspace>/.docgen/mau/<name>/``:
  ``0001.docx`` and ``0001.json`` (who, when, sha256, the file name uploaded, how it came,
  each time it was put in use); a version exists once its ``.json`` does;
- the template in use is the file ``<name>.docx`` of the ward's template folder
  (``cai_dat.thu_muc_mau`` of ``dang-bo.yaml``), as for ``docgen render`` and ``docgen
  templates list``: nothing else decides which template a document is made with. A version is
  *active* when its sha256 is the one of that file. A workspace without a template folder
  gets one on its first activation: the folder ``mau`` (``mau-2``, ``mau-3``... when ``mau``
  already holds .docx files that were never put in use) and ``thu_muc_mau: mau`` written into
  ``dang-bo.yaml`` by :func:`docgen.yamledit.save_yaml` (comments and layout kept).

An upload is a file from anyone's computer: it is held to :data:`UPLOAD_LIMIT`, read as a
package within safezip's limits and refused outright (never stored) when the package policy
(docgen/packagecheck.py) finds something that reaches out or runs; a package that passes is
stored and checked as ``docgen templates check`` checks it (docgen/lint.py), and a version
whose check has errors is never put in use.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import (
    DocgenError,
    FileRefused,
    OutputError,
    PackageError,
    TemplateCheckError,
    TemplateError,
    UsageError,
    display_path,
    os_reason,
)

if TYPE_CHECKING:
    from docgen.documents.base import Prepared
    from docgen.lint import Finding
    from docgen.workspace import Workspace

__all__ = [
    "STORE_DIR",
    "UPLOAD_LIMIT",
    "Candidate",
    "KindTemplates",
    "TemplateStore",
    "TemplateVersion",
    "template_names",
]

#: Where the versions are kept, inside the workspace (hidden: not data a secretary edits).
STORE_DIR = Path(".docgen") / "mau"
_MIB = 1024 * 1024
#: The largest template accepted from the browser. A template is text and a seal or logo image:
#: the built-in ones are under 30 KB, a ward's copy saved by Word under 1 MB (see
#: docgen/packagecheck.py, TEMPLATE_FILE_LIMIT, 16 MB, the most any template may be). 4 MB
#: leaves room for a scanned header image at print resolution (an A4-wide 300 dpi scan saved as
#: JPEG is 1 to 2 MB) and stays under the web server's upload limit (docgen/web/common.py,
#: MAX_UPLOAD_BYTES, 5 MB), so the office is told this limit rather than a refused request.
UPLOAD_LIMIT = 4 * _MIB
#: The template folder an activation makes when the workspace has none (cai_dat.thu_muc_mau);
#: the name docs/templates.md and ``docgen templates export`` use.
DEFAULT_FOLDER = "mau"
#: How an uploaded file name is kept: its last path part, at most this many characters.
NAME_LENGTH = 120
_NUMBER = re.compile(r"^(\d{4,})\.json$")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
#: ``state`` of a version: how it came into the store.
STATES = {"tai_len": "tải lên", "giu_lai": "giữ lại khi thay mẫu"}
#: Findings of a check remembered per (template, sha256): the check of one file takes a
#: second or so and the pages of a candidate ask for it several times; bounded so a long-running
#: server holds no more than this many.
_CHECK_MEMORY = 64
_checked: dict[tuple[str, str], list[Finding]] = {}


def template_names() -> list[str]:
    """The template names of the contract (file stems), in the contract's order."""
    from docgen.contract import CONTRACTS

    return [Path(name).stem for name in CONTRACTS]


@dataclass(frozen=True)
class TemplateVersion:
    """One stored version of a template."""

    kind: str
    number: int
    who: str
    at: str
    sha256: str
    uploaded_name: str
    active: bool
    #: how it came: ``tai_len`` (uploaded) or ``giu_lai`` (the ward's copy kept when replaced)
    state: str = "tai_len"
    #: each time it was put in use: (who, when), oldest first
    activations: tuple[tuple[str, str], ...] = ()

    @property
    def state_text(self) -> str:
        return STATES.get(self.state, self.state)


@dataclass(frozen=True)
class Candidate:
    """An uploaded version and what the check found in it."""

    version: TemplateVersion
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


@dataclass(frozen=True)
class KindTemplates:
    """One template of the contract: the file in use and the stored versions."""

    kind: str
    file: str
    #: the document kind rendered with it (``docgen render <document_kind>``)
    document_kind: str
    title: str
    #: the file documents are made with now
    path: Path
    #: True: the ward's copy (template folder); False: the built-in template
    own: bool
    sha256: str
    versions: list[TemplateVersion] = field(default_factory=list)

    @property
    def active(self) -> TemplateVersion | None:
        """The stored version in use (None: the built-in, or a ward's copy never stored)."""
        return next((v for v in reversed(self.versions) if v.active), None)


class TemplateStore:
    """The templates of one workspace and their stored versions."""

    def __init__(self, root: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.root = Path(root)
        self.store = self.root / STORE_DIR
        self._clock = clock or (lambda: datetime.now().astimezone())

    @classmethod
    def of_workspace(cls, workspace: Path, *, clock: Callable[[], datetime] | None = None) -> TemplateStore:
        return cls(workspace, clock=clock)

    # ------------------------------------------------------------------ reading

    def kinds(self) -> list[KindTemplates]:
        """Each template of the contract: where the one in use comes from, its versions.

        Raises:
            InputError: the workspace cannot be loaded.
            TemplateError: a template in use cannot be read.
        """
        from docgen.contract import CONTRACTS
        from docgen.templates import list_templates

        found = []
        for info in list_templates(self._templates_dir()):
            name = Path(info.file).stem
            versions = [
                replace(v, active=info.own and v.sha256 == info.sha256) for v in self.versions(name)
            ]
            found.append(
                KindTemplates(
                    name, info.file, info.kind, CONTRACTS[info.file].title, info.path, info.own,
                    info.sha256, versions,
                )
            )  # fmt: skip
        return found

    def kind(self, kind: str) -> KindTemplates:
        self._require(kind)
        return next(k for k in self.kinds() if k.kind == kind)

    def versions(self, kind: str) -> list[TemplateVersion]:
        """The stored versions of ``kind``, oldest first (``active`` is not set here: see
        :meth:`kinds`)."""
        self._require(kind)
        folder = self.store / kind
        if not folder.is_dir():
            return []
        numbers = sorted(int(m.group(1)) for p in folder.iterdir() if (m := _NUMBER.match(p.name)))
        return [self._version(kind, n) for n in numbers]

    def version(self, kind: str, number: int) -> TemplateVersion:
        """One stored version, ``active`` set.

        Raises:
            UsageError: no such template, or no such version.
        """
        found = next((v for v in self.kind(kind).versions if v.number == number), None)
        if found is None:
            raise UsageError(f"mẫu {kind} không có bản {number}")
        return found

    def data(self, kind: str, number: int) -> bytes:
        """The bytes of a stored version."""
        from docgen.packagecheck import TEMPLATE_FILE_LIMIT
        from docgen.userfile import read_regular

        path = self._docx(kind, number)
        try:
            return read_regular(path, TEMPLATE_FILE_LIMIT)
        except FileNotFoundError:
            raise UsageError(f"mẫu {kind} không có bản {number}") from None
        except FileRefused as exc:
            raise TemplateError(display_path(path), f"không đọc tệp mẫu: {exc.reason}") from None
        except OSError as exc:
            raise TemplateError(display_path(path), f"không đọc được tệp mẫu ({os_reason(exc)})") from None

    # ------------------------------------------------------------------ upload

    def upload(self, kind: str, data: bytes, *, filename: str, who: str) -> Candidate:
        """Store ``data`` as a new version of ``kind`` (not put in use) and check it.

        The same content as a stored version is not stored twice: that version is returned.

        Raises:
            UsageError: no such template.
            TemplateError: the file is larger than :data:`UPLOAD_LIMIT`, or is no .docx.
            TemplateCheckError: the package holds what reaches out or runs (every such
                part listed); nothing is stored.
            OutputError: the store cannot be written.
        """
        from docgen.packagecheck import package_problems, refusal
        from docgen.safezip import DOCX_LIMITS, read_package

        self._require(kind)
        name = _clean_name(filename) or f"{kind}.docx"
        if len(data) > UPLOAD_LIMIT:
            raise TemplateError(name, f"tệp quá lớn: mẫu tải lên tối đa {_megabytes(UPLOAD_LIMIT)}")
        try:
            parts = [(info.filename, body) for info, body in read_package(data, DOCX_LIMITS)]
        except PackageError as exc:
            raise TemplateError(name, refusal(exc, data), f"phần {exc.part}" if exc.part else None) from None
        refused = [
            TemplateError(name, f.message, f"phần {f.part}") for f in package_problems(parts) if f.is_error
        ]
        if refused:
            raise TemplateCheckError(refused)
        if not any(part == "word/document.xml" for part, _ in parts):
            raise TemplateError(name, "không phải tệp .docx hợp lệ (thiếu word/document.xml)")
        digest = hashlib.sha256(data).hexdigest()
        with self._locked():
            version = next((v for v in self.versions(kind) if v.sha256 == digest), None)
            if version is None:
                version = self._store(kind, data, who=who, uploaded_name=name, state="tai_len")
        version = self.version(kind, version.number)
        return Candidate(version, self.check(kind, version.number))

    # ------------------------------------------------------------------ check, preview

    def check(self, kind: str, number: int) -> list[Finding]:
        """What ``docgen templates check`` finds in this version (errors first, located,
        Vietnamese; layout drift as warnings), as if it were the ward's ``<kind>.docx``."""
        from docgen.lint import check_template

        data = self.data(kind, number)
        key = (kind, hashlib.sha256(data).hexdigest())
        found = _checked.get(key)
        if found is None:
            with self._as_template(kind, data) as path:
                found = check_template(path, _shown(kind, number), layout=True)
            if len(_checked) >= _CHECK_MEMORY:
                _checked.pop(next(iter(_checked)))
            _checked[key] = found
        return list(found)

    def preview(self, kind: str, number: int, out_dir: Path) -> Path:
        """A .docx made with this version and sample data, written into ``out_dir``.

        The sample is the first cell (in the ward's order; the ward itself for a ward
        document) whose latest period with data for the template's document kind prepares
        without problems, made as a draft: no number taken, nothing recorded in the register,
        nothing written under the output folder. With no such data, the contract's example
        values (those of the check's trial render) are used.

        Raises:
            TemplateCheckError: the version has errors (it cannot render).
            TemplateError: rendering failed.
            OutputError: ``out_dir`` cannot be written.
        """
        from docgen.issue import number_documents, render_prepared
        from docgen.output import write_atomic
        from docgen.templates import Renderer

        data = self.data(kind, number)
        errors = [f.as_error() for f in self.check(kind, number) if f.is_error]
        if errors:
            raise TemplateCheckError(errors)
        shown = _shown(kind, number)
        with self._as_template(kind, data) as path:
            renderer = Renderer()
            try:
                ws = self._workspace()
                item = _sample(ws, f"{kind}.docx")
                if item is not None:
                    number_documents(ws, [item], draft=True)
                    [made] = render_prepared([item], renderer, path.parent)[0]
                    rendered = made.data
                else:
                    from docgen.contract import CONTRACTS

                    compiled = renderer.template(path, shown)
                    rendered = compiled.render(CONTRACTS[f"{kind}.docx"].sample_context())
            except TemplateCheckError as exc:
                raise TemplateCheckError([_renamed(p, shown) for p in exc.problems]) from None
            except TemplateError as exc:
                raise _renamed(exc, shown) from None
        target = Path(out_dir) / f"{kind}-ban-{number}.docx"
        write_atomic(target, rendered)
        return target

    # ------------------------------------------------------------------ activate

    def activate(self, kind: str, number: int, *, who: str) -> TemplateVersion:
        """Put a stored version in use: it becomes the ward's ``<kind>.docx``. Restoring an
        earlier version is activating it. The ward's copy it replaces is stored first (as a
        version ``giu_lai``) unless it already is one.

        Raises:
            UsageError: no such template or version.
            TemplateCheckError: the version's check has errors (nothing changed).
            InputError: the workspace cannot be loaded, or dang-bo.yaml cannot be updated.
            OutputError: a file cannot be written.
        """
        from docgen.output import write_atomic

        data = self.data(kind, number)
        errors = [f.as_error() for f in self.check(kind, number) if f.is_error]
        if errors:
            raise TemplateCheckError(errors)
        with self._locked():
            folder = self._templates_dir()
            if folder is None:
                folder = self._make_folder()
            else:
                self._keep_current(kind, folder / f"{kind}.docx", who)
            write_atomic(folder / f"{kind}.docx", data)
            self._note_activation(kind, number, who)
        return self.version(kind, number)

    def use_builtin(self, kind: str, *, who: str) -> None:
        """Stop using the ward's copy of ``kind``: documents are made with the built-in
        template again. The copy is stored first (as a version) unless it already is one.

        Raises:
            UsageError: no such template.
            OutputError: the copy cannot be removed.
        """
        self._require(kind)
        with self._locked():
            folder = self._templates_dir()
            if folder is None:
                return
            target = folder / f"{kind}.docx"
            self._keep_current(kind, target, who)
            try:
                target.unlink(missing_ok=True)
            except OSError as exc:
                raise OutputError(display_path(target), f"không bỏ được mẫu riêng ({os_reason(exc)})") from None

    # ------------------------------------------------------------------ inside

    def _require(self, kind: str) -> None:
        names = template_names()
        if kind not in names:
            from docgen.validation import did_you_mean

            hint = did_you_mean(kind, names)
            raise UsageError(
                f"không có mẫu '{kind}'" + (f" ({hint})" if hint else f"; các mẫu: {', '.join(names)}")
            )

    def _docx(self, kind: str, number: int) -> Path:
        return self.store / kind / f"{number:04d}.docx"

    def _version(self, kind: str, number: int) -> TemplateVersion:
        path = self.store / kind / f"{number:04d}.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return TemplateVersion(
                kind, number, str(raw["who"]), str(raw["at"]), str(raw["sha256"]),
                str(raw["uploaded_name"]), False, str(raw.get("state", "tai_len")),
                tuple((str(a["who"]), str(a["at"])) for a in raw.get("activations", [])),
            )  # fmt: skip
        except OSError as exc:
            raise OutputError(display_path(path), f"không đọc được ({os_reason(exc)})") from None
        except (ValueError, KeyError, TypeError):
            raise OutputError(display_path(path), "tệp ghi chép phiên bản mẫu bị hỏng") from None

    def _write_record(self, version: TemplateVersion) -> None:
        from docgen.output import write_atomic

        record = {
            "who": version.who, "at": version.at, "sha256": version.sha256,
            "uploaded_name": version.uploaded_name, "state": version.state,
            "activations": [{"who": w, "at": a} for w, a in version.activations],
        }  # fmt: skip
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.store / version.kind / f"{version.number:04d}.json", text.encode("utf-8"))

    def _store(self, kind: str, data: bytes, *, who: str, uploaded_name: str, state: str) -> TemplateVersion:
        """A new version (called with the store locked): the .docx, then its record."""
        from docgen.output import write_atomic

        numbers = [v.number for v in self.versions(kind)]
        number = max(numbers, default=0) + 1
        version = TemplateVersion(
            kind, number, who, self._now(), hashlib.sha256(data).hexdigest(), uploaded_name, False, state
        )
        write_atomic(self._docx(kind, number), data)
        self._write_record(version)
        return version

    def _keep_current(self, kind: str, target: Path, who: str) -> None:
        """Store the ward's copy at ``target`` as a version, unless it is one already."""
        from docgen.packagecheck import TEMPLATE_FILE_LIMIT
        from docgen.userfile import read_regular

        try:
            current = read_regular(target, TEMPLATE_FILE_LIMIT)
        except FileNotFoundError:
            return
        except (OSError, FileRefused):
            return  # not a template docgen could use: nothing worth keeping
        digest = hashlib.sha256(current).hexdigest()
        if any(v.sha256 == digest for v in self.versions(kind)):
            return
        self._store(kind, current, who=who, uploaded_name=target.name, state="giu_lai")

    def _note_activation(self, kind: str, number: int, who: str) -> None:
        version = self._version(kind, number)
        self._write_record(replace(version, activations=(*version.activations, (who, self._now()))))

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    def _workspace(self) -> Workspace:
        from docgen.workspace import load_workspace

        return load_workspace(self.root)

    def _templates_dir(self) -> Path | None:
        return self._workspace().templates_dir

    def _make_folder(self) -> Path:
        """A template folder for a workspace without one, written into dang-bo.yaml."""
        from docgen.workspace import WARD_FILE
        from docgen.yamledit import save_yaml
        from docgen.yamlsource import decode_text, parse_text, read_bytes

        name = DEFAULT_FOLDER
        for n in range(2, 100):
            folder = self.root / name
            if not folder.exists() or (folder.is_dir() and not any(folder.glob("*.docx"))):
                break
            name = f"{DEFAULT_FOLDER}-{n}"
        else:  # a hundred folders of unused templates
            raise OutputError(display_path(self.root), "không chọn được tên thư mục mẫu mới")
        folder = self.root / name
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputError(display_path(folder), f"không tạo được thư mục mẫu ({os_reason(exc)})") from None
        ward_file = self.root / WARD_FILE
        display = display_path(ward_file)
        data = parse_text(decode_text(read_bytes(ward_file, display), display), ward_file, display).data
        settings = data.get("cai_dat") if isinstance(data.get("cai_dat"), dict) else {}
        data["cai_dat"] = {**settings, "thu_muc_mau": name}
        save_yaml(ward_file, data)
        return folder

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One change of the store and of the template folder at a time (uploads numbering
        their version, activations), under the workspace's write lock too, so a backup
        (docgen.backup) never takes dang-bo.yaml and the template folder half-changed."""
        from docgen.history import workspace_lock
        from docgen.output import folder_lock

        try:
            self.store.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(display_path(self.store), f"không tạo được thư mục ({os_reason(exc)})") from None
        with workspace_lock(self.root), folder_lock(self.store):
            yield

    @contextmanager
    def _as_template(self, kind: str, data: bytes) -> Iterator[Path]:
        """``data`` as a file named like the template (the check takes the contract by name)."""
        with tempfile.TemporaryDirectory(prefix="docgen-mau-") as folder:
            path = Path(folder) / f"{kind}.docx"
            path.write_bytes(data)
            yield path


def _shown(kind: str, number: int) -> str:
    return f"{kind}.docx (bản {number})"


def _renamed(exc: TemplateError, shown: str) -> TemplateError:
    """A render error about the temporary copy, said of the version."""
    return TemplateError(shown, exc.message, exc.place, exc.tag)


def _clean_name(filename: str) -> str:
    name = _UNPRINTABLE.sub("", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:NAME_LENGTH]


def _megabytes(size: int) -> str:
    return f"{size / _MIB:.1f} MB".replace(".", ",")


def _sample(ws: Workspace, template: str) -> Prepared | None:
    """A prepared document of ``template`` from the workspace's own data: the first cell
    (the ward, for a ward document) with data for its kind, its latest period."""
    from docgen.contract import CONTRACTS
    from docgen.documents import get_kind
    from docgen.pipeline import prepare_all

    kind = get_kind(CONTRACTS[template].kind)
    owners: list[str | None] = [None] if kind.scope == "dang_bo" else list(ws.cell_ids())
    for owner in owners:
        try:
            years = ws.ward_years() if owner is None else ws.year_dirs(owner)
        except DocgenError:
            continue
        for year in sorted(years, reverse=True):
            try:
                periods, _misnamed = kind.periods(ws, owner, year)
            except DocgenError:
                continue
            for quarter in reversed(periods):
                try:
                    items = prepare_all(ws, kind, [owner] if owner else [], year, quarter)
                except DocgenError:
                    continue
                found = next((item for item in items if item.template == template), None)
                if found is not None:
                    return found
    return None

