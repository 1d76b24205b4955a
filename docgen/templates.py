"""Where a document kind's template comes from: the override folder, else the built-in;
and :class:`Renderer`, which checks and compiles each template once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import FileRefused, TemplateError, os_reason
from docgen.resources import builtin_dir
from docgen.userfile import read_regular

if TYPE_CHECKING:  # rendering (jinja2, lxml, docxtpl) is imported when a template is compiled
    import jinja2

    from docgen.lint import Finding
    from docgen.render import CompiledTemplate

__all__ = [
    "BUILTIN_DIR",
    "CheckedTemplate",
    "Renderer",
    "TemplateInfo",
    "TemplatesCheck",
    "check_templates",
    "export_templates",
    "list_templates",
    "locate_template",
]

BUILTIN_DIR = builtin_dir("templates")


def _sandboxed_env() -> jinja2.Environment:
    from docgen.render import sandboxed_env

    return sandboxed_env()


def _template_file_limit() -> int:
    from docgen.packagecheck import TEMPLATE_FILE_LIMIT

    return TEMPLATE_FILE_LIMIT


def locate_template(name: str, override_dir: Path | None = None) -> Path:
    """The template file ``name``: from ``override_dir`` if it holds one, else built-in."""
    if override_dir is not None:
        candidate = override_dir / name
        if candidate.is_file():
            return candidate
    return BUILTIN_DIR / name


@dataclass
class Renderer:
    """Checks and compiles each template once per process, renders many documents with it
    (the cache above docgen/render.py's CompiledTemplate).

    The check (docgen/lint.py, the same as ``docgen templates check``) runs when a
    template is first compiled, built-in ones included: a template with errors is
    refused before anything renders. ``check=False`` skips it (benchmarks only).
    """

    env: jinja2.Environment = field(default_factory=lambda: _sandboxed_env())
    check: bool = True
    _cache: dict[tuple[Path, float, int], CompiledTemplate] = field(default_factory=dict)

    def template(self, path: Path, display: str | None = None) -> CompiledTemplate:
        """The compiled template at ``path`` (recompiled only when the file changed).

        Raises:
            TemplateCheckError: the template fails the check (every error listed).
            TemplateError: the file is missing.
        """
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise TemplateError(display or path.name, "không tìm thấy tệp mẫu") from None
        except OSError as exc:
            raise TemplateError(
                display or path.name, f"không đọc được tệp mẫu ({os_reason(exc)})"
            ) from None
        key = (path.resolve(), stat.st_mtime, stat.st_size)
        cached = self._cache.get(key)
        if cached is None:
            if self.check:
                # The built-ins' layout is the profile's by construction (tests hold it);
                # only the ward office's copies get the layout comparison.
                builtin = path.resolve().parent == BUILTIN_DIR.resolve()
                from docgen.lint import compile_checked

                cached = compile_checked(path, self.env, display, layout=not builtin)
            else:
                from docgen.render import CompiledTemplate

                cached = CompiledTemplate.load(path, self.env, display)
            self._cache[key] = cached
        return cached


@dataclass(frozen=True)
class TemplateInfo:
    """The template a kind of document uses: which file, the ward's own or built-in."""

    kind: str
    file: str
    path: Path
    own: bool
    sha256: str


def list_templates(templates_dir: Path | None = None) -> list[TemplateInfo]:
    """The template of each template file of the contract, from ``templates_dir`` where it
    holds one, else built-in, with its sha256 (also stamped into each document made).

    Raises:
        OSError: a template cannot be read.
        TemplateError: a template is not a regular file, or larger than a template may be.
    """
    import hashlib

    from docgen.contract import CONTRACTS

    found = []
    for contract in CONTRACTS.values():
        path = locate_template(contract.file, templates_dir)
        own = templates_dir is not None and path.parent == templates_dir
        try:
            data = read_regular(path, _template_file_limit())
        except FileRefused as exc:
            raise TemplateError(contract.file, f"không đọc tệp mẫu: {exc.reason}") from None
        digest = hashlib.sha256(data).hexdigest()
        found.append(TemplateInfo(contract.kind, contract.file, path, own, digest))
    return found


def export_templates(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the built-in templates and the authoring guide (``HUONG-DAN-MAU.md``) into
    ``folder``; returns the files written, the templates first.

    Raises:
        OutputError: a file is already there (unless ``force``), or cannot be written.
    """
    from docgen.contract import CONTRACTS
    from docgen.errors import OutputError, display_path
    from docgen.guide import GUIDE_FILE, guide_markdown
    from docgen.output import write_atomic

    files = {name: (BUILTIN_DIR / name).read_bytes() for name in CONTRACTS}
    files[GUIDE_FILE] = guide_markdown().encode("utf-8")
    existing = [name for name in files if (folder / name).exists()]
    if existing and not force:
        raise OutputError(
            display_path(folder),
            f"đã có tệp {', '.join(existing)}; thêm --force để ghi đè",
        )
    for name, data in files.items():
        write_atomic(folder / name, data)
    return [folder / name for name in files]


@dataclass(frozen=True)
class CheckedTemplate:
    """One .docx of a template folder, checked."""

    path: Path
    shown: str
    #: what the check found; empty for a file that is no kind's template (``stray``)
    findings: list[Finding]
    #: a file that is no kind's template (docgen never uses it)
    stray: bool = False
    #: for a stray file: the template name close to its name ("có phải ý là ...?"), if any
    hint: str | None = None

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)


@dataclass
class TemplatesCheck:
    """The check of a template folder (or of the built-in templates)."""

    source: Path
    #: the template file names there are (of the contract)
    names: list[str] = field(default_factory=list)
    files: list[CheckedTemplate] = field(default_factory=list)
    #: template files the ward's folder lacks (the built-in ones are used)
    missing: list[str] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return sum(1 for f in self.files if not f.stray)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(1 if f.stray else len(f.findings) - f.errors for f in self.files)


def check_templates(templates_dir: Path | None = None) -> TemplatesCheck:
    """Check every template in ``templates_dir`` (default: the built-in ones) as rendering
    checks it before use, with the layout drift as warnings; Word's ``~$`` lock files are
    skipped, a .docx that is no kind's template is listed as ``stray``.
    """
    from docgen.contract import CONTRACTS
    from docgen.errors import display_path
    from docgen.lint import check_template
    from docgen.validation import did_you_mean

    source = templates_dir if templates_dir is not None else BUILTIN_DIR
    report = TemplatesCheck(source, list(CONTRACTS))
    for path in sorted(source.glob("*.docx")):
        shown = display_path(path)
        if path.name.startswith("~$"):
            continue  # Word's lock file while the document is open
        if path.name not in CONTRACTS:
            hint = did_you_mean(path.name, CONTRACTS)
            report.files.append(CheckedTemplate(path, shown, [], stray=True, hint=hint))
            continue
        report.files.append(CheckedTemplate(path, shown, check_template(path, shown)))
    if templates_dir is not None:
        report.missing = [name for name in CONTRACTS if not (source / name).is_file()]
    return report
