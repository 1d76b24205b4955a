"""Render docxtpl templates fast and safely.

docxtpl's ``DocxTemplate.render`` re-opens the .docx, re-patches and recompiles
the whole XML as a Jinja template and re-serialises every part on every call
(shared/reference/docx-generation-notes.md §3). Here a template is read,
patched (with docxtpl's own ``patch_xml``, so the tag syntax is exactly
docxtpl's) and compiled once; each render only runs the compiled Jinja code on
the templated parts and zips them beside the untouched bytes of the others.

Safety: Jinja's sandboxed environment (templates are untrusted files),
autoescape on (data with ``& < >`` stays text), StrictUndefined on (a missing
variable is an error, never an empty string). Output is checked to be
well-formed XML before it is returned and written with fixed zip timestamps,
so the same input gives byte-identical files.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from lxml import etree

from docgen.contract import FILTERS
from docgen.docxread import first_words, paragraph_places
from docgen.errors import FileRefused, PackageError, TemplateError, os_reason
from docgen.formatting import decimal
from docgen.packagecheck import TEMPLATE_FILE_LIMIT, package_problems, refusal
from docgen.safezip import DOCX_LIMITS, parse_xml, read_package
from docgen.userfile import read_regular
from docgen.ziputil import write_zip

__all__ = ["CompiledTemplate", "DocStamp", "sandboxed_env"]

_TEMPLATED = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CORE = "docProps/core.xml"


# Bounds on what one template expression may build. Jinja's sandbox guards attribute
# access and range() (MAX_RANGE), not the size of what operators make: 'a' * 10**9,
# '%999999999d' % 1 and 10 ** (10 ** 10) each run in one C call no time limit interrupts.
MAX_SEQUENCE = 100_000  # characters or items one * may produce
MAX_TEXT = 10_000_000  # characters one ~, +, call, join or replace may produce
MAX_INT_BITS = 100_000  # an integer's size (about 30 000 digits)
MAX_OUTPUT = 20_000_000  # characters of one rendered part (a real one is under 1 MB)
RENDER_SECONDS = 60.0  # wall-clock limit of one document's render (loops that never end)


class TemplateTimeout(BaseException):
    """Raised inside a render that ran past its time limit (BaseException: templates'
    own error handling cannot swallow it)."""


def _size_ok(value: Any) -> bool:
    return not (isinstance(value, int) and value.bit_length() > MAX_INT_BITS)


class DocgenSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, closed further for templates from someone else's computer.

    - no file is ever read: there is no loader, and include/import/extends are refused;
    - ``*`` may not build a string or list longer than MAX_SEQUENCE, ``**`` and ``*`` no
      integer beyond MAX_INT_BITS; ``%`` and ``.format`` do not format strings (widths
      like ``%999999999d`` exhaust memory; templates format nothing, the context is text);
    - ``lipsum`` is gone (``lipsum(10**6)`` runs for minutes);
    - only text and numbers are printed: ``{{ ''.join }}``, ``{{ cycler }}`` or a list
      would put Python's ``<built-in method ...>`` or ``['a', 'b']`` into the document.
    """

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("mẫu không được định dạng chuỗi bằng '%'")
        if operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            _bounded(len(left) + len(right))
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and len(seq) * times > MAX_SEQUENCE
                ):
                    raise SecurityError(
                        f"phép nhân tạo ra chuỗi hoặc danh sách quá dài (tối đa {MAX_SEQUENCE})"
                    )
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS
            ):
                raise SecurityError("phép nhân tạo ra số quá lớn")
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and max(left.bit_length(), 1) * right > MAX_INT_BITS
        ):
            raise SecurityError("phép lũy thừa tạo ra số quá lớn")
        result = super().call_binop(context, operator, left, right)
        if not _size_ok(result):  # pragma: no cover - the checks above keep results small
            raise SecurityError("phép tính tạo ra số quá lớn")
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Every call of a sandboxed template comes here, macros too: a macro that calls
        # itself twice doubles its text at each level.
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str):
            _bounded(len(result))
        return result

    def checked_concat(self, join: Callable[[Any], str], parts: tuple[Any, ...]) -> str:
        """``a ~ b``: only text and numbers (``str()`` of a list nested in itself is
        exponential), and a bounded result."""
        for part in parts:
            _printable(part, "phép nối ~")
        _bounded(sum(len(p) if isinstance(p, str) else 24 for p in parts))
        return join(parts)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args: Any, **kwargs: Any) -> str:
            raise SecurityError("mẫu không được định dạng chuỗi bằng .format")

        return refused

    def _load_template(self, name: Any, globals: Any) -> Any:  # noqa: A002
        raise SecurityError(
            f"mẫu không được chèn hay đọc tệp khác ({{% include %}}, {{% import %}}, "
            f"{{% extends %}}: {name!r})"
        )


def _bounded(size: int) -> None:
    if size > MAX_TEXT:
        limit = f"{MAX_TEXT:,}".replace(",", ".")
        raise SecurityError(f"mẫu tạo ra chuỗi quá dài (quá {limit} ký tự)")


def _printable(value: Any, where: str) -> None:
    if isinstance(value, str | int | float | jinja2.Undefined) and not isinstance(value, bool):
        return
    kind = type(value).__name__
    raise SecurityError(f"{where} nhận một giá trị kiểu '{kind}', không phải chữ hay số")


def _finalize(value: Any) -> Any:
    """What ``{{ ... }}`` may print: text and numbers (and Undefined, which raises)."""
    if isinstance(value, str | int | float | jinja2.Undefined) and not isinstance(value, bool):
        return value
    kind = type(value).__name__
    raise SecurityError(f"mẫu in ra một giá trị kiểu '{kind}', không phải chữ hay số")


def _text_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """A text filter that refuses anything but text or a number (``str()`` of a list
    nested in itself is exponential); ``replace`` also checks its result's size first."""

    @functools.wraps(original)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        offset = 1 if hasattr(original, "jinja_pass_arg") else 0
        value = args[offset]
        _printable(value, f"bộ lọc '{name}'")
        if name == "replace" and len(args) > offset + 2:
            old, new = args[offset + 1], args[offset + 2]
            _printable(old, "bộ lọc 'replace'")
            _printable(new, "bộ lọc 'replace'")
            text, old, new = str(value), str(old), str(new)
            times = text.count(old) if old else len(text) + 1
            _bounded(len(text) + times * max(len(new) - len(old), 0))
        return original(*args, **kwargs)

    return guarded


def _join_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    """``join`` of text and numbers only, its result's size checked before joining."""

    @functools.wraps(original)
    def guarded(eval_ctx: Any, value: Any, d: Any = "", attribute: Any = None) -> Any:
        items = list(value)[: MAX_TEXT + 1]
        for item in items if attribute is None else ():
            _printable(item, "bộ lọc 'join'")
        _printable(d, "bộ lọc 'join'")
        _bounded(
            sum(len(i) if isinstance(i, str) else 24 for i in items) + len(str(d)) * len(items)
        )
        return original(eval_ctx, items, d, attribute)

    return guarded


class _CodeGenerator(CodeGenerator):
    """Two changes to the code Jinja generates for a template.

    Jinja folds constant output (``{{ true }}``, ``{{ ''.join }}``) at compile time and
    escapes it to text before ``finalize`` sees it; a constant that is not text or a number
    is left to the render, where ``_finalize`` refuses it. And ``a ~ b`` goes through
    ``DocgenSandbox.checked_concat``, which Jinja's sandbox has no hook for.
    """

    def _output_child_to_const(self, node: nodes.Expr, frame: Any, finalize: Any) -> str:
        if not isinstance(node, nodes.TemplateData):
            _finalize(node.as_const(frame.eval_ctx))
        return super()._output_child_to_const(node, frame, finalize)

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.checked_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


DocgenSandbox.code_generator_class = _CodeGenerator


def sandboxed_env() -> jinja2.Environment:
    """The one Jinja environment factory: sandboxed, autoescaping, strict."""
    env = DocgenSandbox(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_finalize,
    )
    del env.globals["lipsum"]
    # Only the contract's filters exist (docs/templates.md); the template check refuses the
    # others with a message, and a render without the check cannot reach them either.
    env.filters = {name: env.filters[name] for name in FILTERS}
    for name in ("upper", "lower", "capitalize", "trim", "replace"):
        env.filters[name] = _text_filter(name, env.filters[name])
    env.filters["join"] = _join_filter(env.filters["join"])
    return env


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TemplateTimeout in the block after ``seconds`` (main thread, POSIX only)."""
    if (
        seconds is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TemplateTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # someone else's timer was running: give back what is left of it
            left = max(outer - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, interval)


# docxtpl's escape for literal braces in a template ({_{ prints "{{"). docxtpl replaces
# them in the rendered XML, which also rewrote a user's text "a{_{b" into "a{{b"; here
# they become Jinja raw blocks before compiling, so only the template's own are touched.
_LITERAL_BRACES = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}
_LITERAL_BRACE = re.compile("|".join(re.escape(k) for k in _LITERAL_BRACES))


def literal_braces(source: str) -> str:
    """docxtpl's ``{_{ }_} {_% %_}`` as Jinja raw blocks printing ``{{ }} {% %}``."""
    return _LITERAL_BRACE.sub(
        lambda m: "{% raw %}" + _LITERAL_BRACES[m.group()] + "{% endraw %}", source
    )


@dataclass(frozen=True)
class DocStamp:
    """What a produced document records about itself in its core properties."""

    kind: str
    title: str
    author: str
    issued: date
    template_name: str
    template_sha256: str
    docgen_version: str
    status: str = "Bản chính thức"


def _core_xml(stamp: DocStamp) -> str:
    when = f"{stamp.issued.isoformat()}T00:00:00Z"
    description = (
        f"docgen {stamp.docgen_version}; loại {stamp.kind}; mẫu {stamp.template_name}; "
        f"sha256 mẫu {stamp.template_sha256}"
    )
    return (
        f"{_XML_DECL}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(stamp.title)}</dc:title>"
        f"<dc:subject>{escape(stamp.kind)}</dc:subject>"
        f"<dc:creator>{escape(stamp.author)}</dc:creator>"
        f"<cp:keywords>docgen {escape(stamp.kind)}</cp:keywords>"
        f"<dc:description>{escape(description)}</dc:description>"
        f"<cp:lastModifiedBy>docgen {escape(stamp.docgen_version)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        f"<cp:contentStatus>{escape(stamp.status)}</cp:contentStatus>"
        "</cp:coreProperties>"
    )


def patcher() -> Callable[[str], str]:
    """docxtpl's clean-up of XML (tags Word split across runs are joined), as a function.

    docxtpl's ``patch_xml`` is a pure regex transform on an XML string; it only
    needs an instance to hang on. Imported lazily: docxtpl pulls in python-docx.
    """
    from docxtpl import DocxTemplate

    patch: Callable[[str], str] = DocxTemplate(io.BytesIO()).patch_xml
    return patch


def _paragraph_text(xml_line: str) -> str:
    texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml_line)
    text = re.sub(r"\s+", " ", "".join(texts)).strip()
    return (
        text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    )




@dataclass(frozen=True)
class Locator:
    """Finds, for a paragraph of a patched part, where a person sees it in Word.

    Places are counted on the original template (the one the ward office edits),
    where ``{%p ... %}`` paragraphs are still visible: "đoạn 12" is the twelfth
    paragraph of the document body; a paragraph in a table is "bảng 2, hàng 3, ô 1".
    """

    paragraphs: tuple[tuple[str, str], ...]  # (normalised text, place)

    @classmethod
    def of(cls, root: etree._Element) -> Locator:
        return cls(tuple((place.text, place.label()) for place in paragraph_places(root)))

    def find(self, text: str) -> str | None:
        for candidate, place in self.paragraphs:
            if candidate == text:
                return place
        for candidate, place in self.paragraphs:
            if text and text in candidate:
                return place
        return None


def describe_line(
    source: str, lineno: int | None, locator: Locator | None = None
) -> tuple[str | None, str | None]:
    """Where line ``lineno`` of a patched part is, for a person: (place, tag text).

    Each ``<w:p`` starts a new line in the patched source (as docxtpl does), so a
    Jinja line number is a paragraph; its text is looked up in the original
    template. Returns ``("đoạn 12 «Trên đây là…»", "{{ x }}")``.
    """
    if not lineno:
        return None, None
    lines = source.split("\n")
    if lineno > len(lines):
        return None, None
    text = _paragraph_text(lines[lineno - 1])
    tags = re.findall(r"\{[{%#].*?[}%#]\}", text)
    words = first_words(text)
    place = locator.find(text) if locator is not None else None
    if place is None:
        place = "đoạn không xác định"
    return f"{place}" + (f" «{words}»" if words else ""), (tags[0] if tags else None)


_JINJA_MESSAGES = [
    (r"unexpected end of template", "thiếu thẻ đóng (endfor, endif...) cho một thẻ mở"),
    (r"Encountered unknown tag '(\w+)'", "thẻ không xác định '{0}'"),
    (r"unexpected '(.+)'", "ký tự không đúng chỗ '{0}'"),
    (r"expected token '(.+)', got '(.+)'", "viết sai cú pháp: cần '{0}' nhưng gặp '{1}'"),
    (r"'(.+)' is undefined", "biến '{0}' không có trong dữ liệu"),
    (r"has no attribute '(.+)'", "dữ liệu không có trường '{0}'"),
    (r"unsafe", "mẫu gọi tới thao tác không được phép (bị chặn vì an toàn)"),
    (r"No filter named '(.+?)'", "bộ lọc '{0}' không được dùng trong mẫu"),
    (r"access to attribute '(.+)' of '(.+)' object is unsafe", "mẫu truy cập thuộc tính bị cấm '{0}'"),
]


def _security(message: str) -> str:
    """Jinja's sandbox messages in Vietnamese (ours already are)."""
    match = re.search(r"access to attribute '(.+?)' of '(.+?)' object is unsafe", message)
    if match:
        return f"truy cập thuộc tính '{match.group(1)}' của '{match.group(2)}'"
    return message


def _computation(exc: Exception) -> str:
    """A computation error of a template, in Vietnamese where it is a known kind."""
    text = str(exc)
    if isinstance(exc, OverflowError) and "MAX_RANGE" in text:
        return (
            "mẫu gọi tới thao tác không được phép (bị chặn vì an toàn): range() quá lớn "
            f"(tối đa {jinja2.sandbox.MAX_RANGE} số)"
        )
    if isinstance(exc, RecursionError):
        return "mẫu gọi macro lồng nhau không dừng (đệ quy quá sâu)"
    return f"mẫu tính toán sai ({type(exc).__name__}: {text})"


def translate_jinja(message: str) -> str:
    """Jinja's English error text, in Vietnamese when it is a known kind."""
    for pattern, vietnamese in _JINJA_MESSAGES:
        match = re.search(pattern, message)
        if match:
            return vietnamese.format(*match.groups())
    return f"lỗi mẫu ({message})"


def _template_lineno(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _with_core_part(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Add an (empty) core-properties part so the version stamp has a home.

    Some tools save a .docx without ``docProps/core.xml``; Word always writes one.
    """
    out = []
    for info, data in entries:
        if info.filename == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/docProps/core.xml" ContentType="application/'
                b'vnd.openxmlformats-package.core-properties+xml"/></Types>',
            )
        elif info.filename == "_rels/.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdDocgenCore" Type="http://schemas.openxmlformats.org/'
                b'package/2006/relationships/metadata/core-properties" '
                b'Target="docProps/core.xml"/></Relationships>',
            )
        out.append((info, data))
    out.append((zipfile.ZipInfo(_CORE), b""))
    return out


@dataclass
class _Part:
    source: str
    template: jinja2.Template
    locator: Locator


@dataclass
class CompiledTemplate:
    """A template read, patched and compiled once, ready for many renders.

    Attributes:
        path: The template file.
        display: Its name as shown in messages.
        sha256: Hex digest of the file's bytes (the version stamp).
    """

    path: Path
    display: str
    sha256: str
    entries: list[tuple[zipfile.ZipInfo, bytes]]
    parts: dict[str, _Part] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what the template check found short of an error

    @classmethod
    def load(cls, path: Path, env: jinja2.Environment, display: str | None = None) -> CompiledTemplate:
        """Read and compile ``path``.

        Raises:
            TemplateError: not a .docx, or a Jinja syntax error (located by paragraph).
        """
        display = display or path.name
        try:
            raw = read_regular(path, TEMPLATE_FILE_LIMIT)
        except FileRefused as exc:
            raise TemplateError(display, f"không đọc tệp mẫu: {exc.reason}") from None
        except OSError as exc:
            raise TemplateError(display, f"không đọc được tệp mẫu ({os_reason(exc)})") from None
        try:
            # Bounded: part count, inflated sizes and ratio checked while streaming (issue 20).
            entries = read_package(raw, DOCX_LIMITS)
        except PackageError as exc:
            place = f"phần {exc.part}" if exc.part else None
            raise TemplateError(display, refusal(exc, raw), place) from None
        # Templates are data: nothing that reaches out or runs is compiled, so no output
        # (which copies the template's parts) can hold it.
        for finding in package_problems([(info.filename, data) for info, data in entries]):
            if finding.is_error:
                raise TemplateError(display, finding.message, f"phần {finding.part}") from None
        names = {info.filename for info, _ in entries}
        if "word/document.xml" not in names:
            raise TemplateError(display, "không phải tệp .docx hợp lệ (thiếu word/document.xml)")
        if _CORE not in names:
            entries = _with_core_part(entries)
        compiled = cls(path, display, hashlib.sha256(raw).hexdigest(), entries)
        patch = patcher()
        for info, data in entries:
            if not _TEMPLATED.match(info.filename):
                continue
            if b"{" not in data:
                continue
            try:
                tree = parse_xml(data, info.filename)
            except PackageError as exc:
                raise TemplateError(display, f"phần {info.filename} hỏng ({exc.reason})") from None
            xml = etree.tostring(tree, encoding="unicode")
            patched = literal_braces(patch(xml))
            patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
            locator = Locator.of(tree)
            try:
                template = env.from_string(patched)
            except jinja2.TemplateSyntaxError as exc:
                place, tag = describe_line(patched, exc.lineno, locator)
                raise TemplateError(display, translate_jinja(exc.message or str(exc)), place, tag) from None
            compiled.parts[info.filename] = _Part(patched, template, locator)
        return compiled

    def _render_part(self, part: _Part, context: Mapping[str, Any]) -> str:
        """One part's XML; every failure a TemplateError located at its paragraph."""
        chunks: list[str] = []
        size = 0
        try:
            with time_limit(RENDER_SECONDS):
                for chunk in part.template.generate(context):
                    size += len(chunk)
                    if size > MAX_OUTPUT:
                        limit = f"{MAX_OUTPUT:,}".replace(",", ".")
                        raise SecurityError(f"mẫu sinh ra văn bản quá dài (quá {limit} ký tự)")
                    chunks.append(chunk)
        except TemplateTimeout as exc:
            # Jinja rewrites tracebacks of Exceptions only: map the generated code's line.
            code_line = _template_lineno(exc)
            line = part.template.get_corresponding_lineno(code_line) if code_line else None
            place, tag = describe_line(part.source, line, part.locator)
            seconds = decimal(RENDER_SECONDS)
            raise TemplateError(
                self.display,
                f"mẫu chạy quá lâu (quá {seconds} giây; vòng lặp quá lớn?), đã dừng",
                place,
                tag,
            ) from None
        except SecurityError as exc:
            place, tag = describe_line(part.source, _template_lineno(exc), part.locator)
            raise TemplateError(
                self.display,
                "mẫu gọi tới thao tác không được phép (bị chặn vì an toàn): " + _security(str(exc)),
                place,
                tag,
            ) from None
        except jinja2.TemplateError as exc:
            place, tag = describe_line(part.source, _template_lineno(exc), part.locator)
            raise TemplateError(self.display, translate_jinja(str(exc)), place, tag) from None
        except Exception as exc:  # the template computed something impossible: 1/0, "a" + 1
            place, tag = describe_line(part.source, _template_lineno(exc), part.locator)
            raise TemplateError(self.display, _computation(exc), place, tag) from None
        return "".join(chunks)

    def variables(self) -> set[str]:
        """Top-level variable names the template reads (render-free check)."""
        from jinja2 import meta

        env = sandboxed_env()
        names: set[str] = set()
        for part in self.parts.values():
            names |= meta.find_undeclared_variables(env.parse(part.source))
        return names

    def render(self, context: Mapping[str, Any], stamp: DocStamp | None = None) -> bytes:
        """Render ``context`` into .docx bytes.

        Raises:
            TemplateError: an undefined variable, a sandbox violation, or output that
                is not well-formed XML; located by paragraph and tag.
        """
        rendered: dict[str, bytes] = {}
        for name, part in self.parts.items():
            out = self._render_part(part, context)
            out = re.sub(r"\n<w:p([ >])", r"<w:p\1", out)
            data = (_XML_DECL + out).encode("utf-8")
            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                raise TemplateError(
                    self.display, f"mẫu sinh ra XML hỏng ở phần {name} ({exc})"
                ) from None
            rendered[name] = data
        if stamp is not None:
            rendered[_CORE] = _core_xml(stamp).encode("utf-8")
        return write_zip(
            (info.filename, rendered.get(info.filename, data)) for info, data in self.entries
        )
