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
import gc
import hashlib
import io
import re
import signal
import sys
import threading
import time
import types
import zipfile
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast
from xml.sax.saxutils import escape

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from lxml import etree

from docgen.contract import FILTERS
from docgen.docxread import first_words, paragraph_places
from docgen.errors import FileRefused, PackageError, TemplateError, os_reason
from docgen.formatting import decimal
from docgen.layout.typeset import typeset
from docgen.packagecheck import (
    TEMPLATE_FILE_LIMIT,
    may_reach_out,
    package_problems,
    part_problems,
    refusal,
)
from docgen.safezip import DOCX_LIMITS, parse_xml, read_package
from docgen.userfile import read_regular
from docgen.ziputil import ZipMember, deflate_member, join_members

__all__ = ["CompiledTemplate", "DocStamp", "sandboxed_env"]

_TEMPLATED = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_BODY = "word/document.xml"  # the part the typesetting passes work on
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CORE = "docProps/core.xml"


# Bounds on what one template expression may build. Jinja's sandbox guards attribute
# access and range() (MAX_RANGE), not the size of what operators make: 'a' * 10**9,
# '%999999999d' % 1 and 10 ** (10 ** 10) each run in one C call no time limit interrupts.
# Every size is checked before the value is built (a check after the call is too late:
# 'a'.ljust(2500000000) has taken 2.5 GB by then).
MAX_SEQUENCE = 100_000  # characters or items one * may produce; items one list + may produce
MAX_TEXT = 10_000_000  # characters one ~, +, call, join or replace may produce
MAX_ARGUMENT = MAX_TEXT  # an integer handed to a built-in method (a width, a count, a length)
MAX_INT_BITS = 100_000  # an integer's size (about 30 000 digits)
MAX_OUTPUT = 20_000_000  # characters of one rendered part (a real one is under 1 MB)
MAX_DOCUMENT_OUTPUT = 30_000_000  # characters of all the parts of one document together
# The allocation budget of one document's render: the memory (sys.getsizeof, bytes) of every
# value the template produced, counted where the sandbox sees it (calls, operators, ~,
# filters, list/tuple/dict literals, {% set %} blocks), whether kept or not. Many medium
# values (a loop nesting lists of 100 KB strings) are stopped here, each one being small.
# 150 MB is about 150 million Latin characters (75 million Vietnamese ones, 19 million list
# items): large enough that MAX_TEXT speaks first when one value is too long (a macro
# doubling its text up to 10 M characters produces 123 MB on its way), small enough that a
# render stays far under 500 MB. The built-in templates count nothing against it (their tags
# print data; no call, operator or literal): tests/test_template_memory.py holds them under 1 MB.
MAX_ALLOCATED = 150_000_000
RENDER_SECONDS = 60.0  # wall-clock limit of one document's render (loops that never end)


class TemplateTimeout(BaseException):
    """Raised inside a render that ran past its time limit (BaseException: templates'
    own error handling cannot swallow it)."""


def _size_ok(value: Any) -> bool:
    return not (isinstance(value, int) and value.bit_length() > MAX_INT_BITS)


def _megabytes(size: int) -> str:
    return f"{size // 1_000_000} MB"


@dataclass
class _Budget:
    """What one document's render has produced so far (bytes of values, output characters)."""

    allocated: int = 0
    output: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("docgen_render_budget", default=None)
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def _charge(value: Any) -> Any:
    """Count ``value`` against the render's allocation budget; returns it."""
    budget = _BUDGET.get()
    if budget is not None and isinstance(value, _SIZED):
        budget.allocated += sys.getsizeof(value)
        if budget.allocated > MAX_ALLOCATED:
            raise SecurityError(
                f"mẫu tạo ra quá nhiều dữ liệu (tổng cộng quá {_megabytes(MAX_ALLOCATED)} "
                "trong một văn bản; vòng lặp tạo chuỗi hay danh sách?)"
            )
    return value


def _argument(args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, name: str, default: Any) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _predicted_size(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int | None:
    """The length of what a str or bytes method with a width or a count will build, from
    its arguments (before it runs); None for the others (their result is no larger than a
    small multiple of their inputs, each already bounded)."""
    owner = getattr(method, "__self__", None)
    if not isinstance(owner, str | bytes):
        return None
    name = getattr(method, "__name__", "")
    if name in ("ljust", "rjust", "center", "zfill"):
        width = _argument(args, kwargs, 0, "width", 0)
        return max(len(owner), width) if isinstance(width, int) else None
    if name == "expandtabs":
        tabsize = _argument(args, kwargs, 0, "tabsize", 8)
        tab = "\t" if isinstance(owner, str) else b"\t"
        if isinstance(tabsize, int):
            return len(owner) + owner.count(tab) * max(tabsize, 0)  # type: ignore[arg-type]
        return None
    if name == "replace":
        old, new = _argument(args, kwargs, 0, "old", None), _argument(args, kwargs, 1, "new", None)
        count = _argument(args, kwargs, 2, "count", -1)
        if not isinstance(old, str | bytes) or not isinstance(new, str | bytes):
            return None
        if type(old) is not type(owner) or type(new) is not type(owner):
            return None
        times = owner.count(old) if old else len(owner) + 1  # type: ignore[arg-type]
        if isinstance(count, int) and count >= 0:
            times = min(times, count)
        return len(owner) + times * max(len(new) - len(old), 0)
    return None


class DocgenSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, closed further for templates from someone else's computer.

    - no file is ever read: there is no loader, and include/import/extends are refused;
    - every value's size is checked before it is built: ``*`` may not build a string or
      list longer than MAX_SEQUENCE, ``+`` no list longer than MAX_SEQUENCE nor text
      longer than MAX_TEXT; a built-in method (``ljust``, ``center``, ``zfill``,
      ``expandtabs``, ``replace``, ``join``...) no text longer than MAX_TEXT, from its
      width or count, and takes no integer beyond MAX_ARGUMENT; ``**`` and ``*`` no
      integer beyond MAX_INT_BITS;
    - every value produced (calls, operators, ``~``, filters, literals, ``{% set %}``
      blocks) is counted against one document's budget, MAX_ALLOCATED bytes; ``%`` and ``.format`` do not format strings (widths
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
        if operator == "+" and isinstance(left, str | bytes) and isinstance(right, str | bytes):
            _bounded(len(left) + len(right))
        if (
            operator == "+"
            and isinstance(left, list | tuple)
            and isinstance(right, list | tuple)
            and len(left) + len(right) > MAX_SEQUENCE
        ):
            raise SecurityError(f"phép cộng tạo ra danh sách quá dài (tối đa {MAX_SEQUENCE} mục)")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | bytes | list | tuple)
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
        return _charge(result)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Every call of a sandboxed template comes here, macros too: a macro that calls
        # itself twice doubles its text at each level. What a built-in method will build
        # is checked before it runs: its size from a width or a count, and no integer
        # argument beyond MAX_ARGUMENT (int.to_bytes(10**9), 'a'.ljust(2500000000)).
        if isinstance(__obj, types.BuiltinFunctionType):
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, int) and abs(arg) > MAX_ARGUMENT:
                    limit = f"{MAX_ARGUMENT:,}".replace(",", ".")
                    raise SecurityError(f"mẫu gọi hàm với số quá lớn (tối đa {limit})")
            predicted = _predicted_size(__obj, args, kwargs)
            if predicted is not None:
                _bounded(predicted)
            if getattr(__obj, "__name__", "") == "join" and isinstance(
                getattr(__obj, "__self__", None), str | bytes
            ) and args:
                items = _joined_items(args[0])
                sep = __obj.__self__
                assert isinstance(sep, str | bytes)
                texts = sum(len(i) if isinstance(i, str | bytes) else 0 for i in items)
                _bounded(texts + len(sep) * len(items))
                args = (items, *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str):
            _bounded(len(result))
        # A macro's text was counted by concat when the macro built it.
        return result if isinstance(__obj, Macro) else _charge(result)

    @staticmethod
    def concat(parts: Any) -> str:  # type: ignore[override]
        """What ``{% set x %}...{% endset %}``, ``{% filter %}`` and macros collect: its
        size checked before joining, and counted."""
        items = parts if isinstance(parts, list) else list(parts)
        _bounded(sum(len(p) for p in items))
        return _charge("".join(items))  # type: ignore[no-any-return]

    def charged(self, value: Any) -> Any:
        """A list, tuple or dict literal's value, counted (generated code calls this)."""
        return _charge(value)

    def checked_concat(self, join: Callable[[Any], str], parts: tuple[Any, ...]) -> str:
        """``a ~ b``: only text and numbers (``str()`` of a list nested in itself is
        exponential), and a bounded result."""
        for part in parts:
            _printable(part, "phép nối ~")
        _bounded(sum(len(p) if isinstance(p, str) else 24 for p in parts))
        return _charge(join(parts))  # type: ignore[no-any-return]

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


def _joined_items(value: Any) -> list[Any]:
    """What ``sep.join(value)`` joins, as a list of at most MAX_TEXT + 1 items."""
    if isinstance(value, list | tuple):
        return list(value)
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_TEXT:
            break
    return items


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

    # List, tuple and dict literals are counted against the render's allocation budget:
    # a loop that nests ``[ns.x, ...]`` builds a value at every turn. Tuples in a target
    # (``{% for a, b in ... %}``) are not values.
    def visit_List(self, node: nodes.List, frame: Any) -> None:
        self.write("environment.charged(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Any) -> None:
        self.write("environment.charged(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Any) -> None:
        if node.ctx != "load":
            super().visit_Tuple(node, frame)
            return
        self.write("environment.charged(")
        super().visit_Tuple(node, frame)
        self.write(")")


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
    env.filters = {name: _charged_filter(f) for name, f in env.filters.items()}
    return env


def _charged_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose result is counted against the render's allocation budget."""

    @functools.wraps(original)
    def charged(*args: Any, **kwargs: Any) -> Any:
        return _charge(original(*args, **kwargs))

    return charged


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


def unmark_paragraphs(xml: str) -> str:
    """Rendered XML without the newline :meth:`CompiledTemplate.load` put before each
    paragraph (so that Jinja's line numbers are paragraphs).

    The same as ``re.sub(r"\\n<w:p([ >])", r"<w:p\\1", xml)`` in two plain replaces, four
    times faster: removing a newline cannot make a new match (both patterns start with
    the newline and hold no other). Done on the output, not once on the template's code: a
    newline that a value or a raw block prints before a paragraph has always been
    removed too, and outputs stay as they were.
    """
    return xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")


# A text node holding a line break that a value printed (``co_quan_cap_tren`` with several
# superior lines). The open tag is kept apart: every piece gets one.
_BROKEN_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)([^<]*\n[^<]*)</w:t>")


def _break_lines(match: re.Match[str]) -> str:
    opening = match[1] if "xml:space" in match[1] else '<w:t xml:space="preserve">'
    pieces = match[2].split("\n")
    return "<w:br/>".join(f"{opening}{piece}</w:t>" for piece in pieces)


def line_breaks(xml: str) -> str:
    """A line break inside a printed value shown as a line break in Word (``<w:br/>``), as
    docxtpl's own render does: Word shows a bare newline in text as a space. Only text
    nodes are touched; the paragraph marks are already gone (:func:`unmark_paragraphs`).
    No value from the workspace holds a line break except the superior body's lines."""
    if "\n" not in xml:
        return xml
    return _BROKEN_TEXT.sub(_break_lines, xml)


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


_OUT_OF_MEMORY = (
    "mẫu dùng quá nhiều bộ nhớ (máy không đủ bộ nhớ để làm văn bản này), đã dừng; "
    "xem lại vòng lặp hay phép tính tạo chuỗi, danh sách lớn trong mẫu"
)


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
    # The parts every document copies unchanged, deflated once (see _copied).
    _members: dict[str, ZipMember] | None = field(default=None, repr=False, compare=False)

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

    def _render_part(self, part: _Part, context: Mapping[str, Any], budget: _Budget) -> str:
        """One part's XML; every failure a TemplateError located at its paragraph.

        The error is raised once the render's generator is closed and its values are
        let go (outside the ``except``: no context chain keeps the template's frames and
        what they hold alive), so what follows a refusal has its memory back.
        """
        chunks: list[str] = []
        size = 0
        generator = cast(Generator[str, None, None], part.template.generate(context))
        failure: TemplateError | None = None
        out_of_memory = False
        try:
            with time_limit(RENDER_SECONDS):
                for chunk in generator:
                    size += len(chunk)
                    budget.output += len(chunk)
                    if size > MAX_OUTPUT:
                        limit = f"{MAX_OUTPUT:,}".replace(",", ".")
                        raise SecurityError(f"mẫu sinh ra văn bản quá dài (quá {limit} ký tự)")
                    if budget.output > MAX_DOCUMENT_OUTPUT:
                        limit = f"{MAX_DOCUMENT_OUTPUT:,}".replace(",", ".")
                        raise SecurityError(
                            f"mẫu sinh ra văn bản quá dài (các phần cộng lại quá {limit} ký tự)"
                        )
                    chunks.append(chunk)
            return "".join(chunks)
        except TemplateTimeout as exc:
            # Jinja rewrites tracebacks of Exceptions only: map the generated code's line.
            code_line = _template_lineno(exc)
            line = part.template.get_corresponding_lineno(code_line) if code_line else None
            place, tag = describe_line(part.source, line, part.locator)
            seconds = decimal(RENDER_SECONDS)
            failure = TemplateError(
                self.display,
                f"mẫu chạy quá lâu (quá {seconds} giây; vòng lặp quá lớn?), đã dừng",
                place,
                tag,
            )
        except MemoryError as exc:
            chunks.clear()  # give some memory back before describing the place
            out_of_memory = True
            place, tag = describe_line(part.source, _template_lineno(exc), part.locator)
            failure = TemplateError(self.display, _OUT_OF_MEMORY, place, tag)
        except SecurityError as exc:
            place, tag = describe_line(part.source, _template_lineno(exc), part.locator)
            failure = TemplateError(
                self.display,
                "mẫu gọi tới thao tác không được phép (bị chặn vì an toàn): " + _security(str(exc)),
                place,
                tag,
            )
        except jinja2.TemplateError as exc:
            place, tag = describe_line(part.source, _template_lineno(exc), part.locator)
            failure = TemplateError(self.display, translate_jinja(str(exc)), place, tag)
        except Exception as exc:  # the template computed something impossible: 1/0, "a" + 1
            place, tag = describe_line(part.source, _template_lineno(exc), part.locator)
            failure = TemplateError(self.display, _computation(exc), place, tag)
        finally:
            generator.close()
        chunks.clear()
        del generator
        if out_of_memory:
            gc.collect()  # the template's values may sit in reference cycles (frames)
        raise failure

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

        The render has a budget (MAX_ALLOCATED bytes of values produced, MAX_OUTPUT
        characters per part, MAX_DOCUMENT_OUTPUT in all); running out of memory anyway
        (MemoryError, e.g. under a worker's address-space limit) is a TemplateError too.

        Raises:
            TemplateError: an undefined variable, a sandbox violation, a value or an
                output too large, memory exhausted, or output that is not well-formed
                XML; located by paragraph and tag where the template's code is known.
        """
        token = _BUDGET.set(_Budget())
        try:
            return self._render(context, stamp)
        except MemoryError:
            # Past the template's own code (joining, checking or zipping what it made):
            # the part is not known, the document is.
            raise TemplateError(self.display, _OUT_OF_MEMORY) from None
        finally:
            _BUDGET.reset(token)

    def _copied(self) -> dict[str, ZipMember]:
        """The parts no render changes (styles, fonts, theme, settings, images, the parts
        without tags), each deflated once for every document made from this template:
        ziputil.join_members places them as write_zip would have deflated them again."""
        if self._members is None:
            self._members = {
                info.filename: deflate_member(info.filename, data)
                for info, data in self.entries
                if info.filename not in self.parts
            }
        return self._members

    def _render(self, context: Mapping[str, Any], stamp: DocStamp | None) -> bytes:
        budget = _BUDGET.get()
        assert budget is not None
        rendered: dict[str, bytes] = {}
        for name, part in self.parts.items():
            out = self._render_part(part, context, budget)
            out = line_breaks(unmark_paragraphs(out))
            data = (_XML_DECL + out).encode("utf-8")
            del out
            # Well-formedness is not guaranteed by the template check and autoescape: a value
            # may hold characters XML forbids (a form feed typed as "\f" in YAML), a
            # template may print unescaped markup ({% autoescape false %}, a filter applied
            # to a captured block: "&amp;"|upper is "&AMP;"), or close elements in another
            # order than it opened them ({% if %} in a table cell, {% endif %} after it). So
            # the part is parsed, by the same parser as always: a parse without building the
            # tree (an lxml parser target) takes half the time but accepts undeclared
            # namespace prefixes, text nodes over 10 MB and more, which lxml refuses.
            try:
                tree = etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                raise TemplateError(
                    self.display, f"mẫu sinh ra XML hỏng ở phần {name} ({exc})"
                ) from None
            # Tags can spell what the template check refuses (a field built as
            # {{ "INCLUDE" ~ "PICTURE" }}): the rendered part is held to the same policy.
            # The full scan visits every element and attribute; may_reach_out tells in a
            # few substring searches when it cannot find anything (none of the names its
            # rules look at is in the part), which is every part of the built-in templates.
            if may_reach_out(data):
                for finding in part_problems(name, tree):
                    if finding.is_error:
                        raise TemplateError(
                            self.display, f"văn bản mẫu sinh ra, ở phần {name}, {finding.message}"
                        )
            if name == _BODY and typeset(tree):
                data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
            del tree
            rendered[name] = data
        if stamp is not None:
            rendered[_CORE] = _core_xml(stamp).encode("utf-8")
        copied = self._copied()
        return join_members(
            deflate_member(info.filename, rendered[info.filename])
            if info.filename in rendered
            else copied[info.filename]
            for info, _ in self.entries
        )
