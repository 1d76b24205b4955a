"""Read one YAML file into plain data plus the line and column of every node.

The loader is deliberately narrower than PyYAML's ``safe_load``:

* only UTF-8 text (a legacy Vietnamese encoding is refused with a hint);
* YAML 1.2-style scalars: ``true``/``false`` are booleans but ``yes``/``no``/``on``/``off``
  stay text, and dates stay text (the models parse them, so ``2026-02-30`` gets a
  located Vietnamese message instead of a crash);
* duplicate keys, control characters XML 1.0 forbids, excessive size, depth and
  alias expansion (the "billion laughs" bomb) are problems, not crashes;
* every string is normalised to Unicode NFC (TCVN 6909:2001 is Unicode; text pasted
  from macOS or some Word versions arrives decomposed);
* a string value that looks like TCVN3 or VNI text pasted as Unicode (docgen/legacytext.py)
  is kept, with its place, on ``SourceFile.legacy``; inside :func:`watch_legacy` each one
  is also told as a located warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from docgen.errors import FileRefused, InputError, Problem, os_reason
from docgen.formatting import decimal
from docgen.legacytext import Legacy, detect
from docgen.userfile import read_regular

Path_ = tuple[str | int, ...]

# Limits against hostile or accidental input (issue: hostile input corpus).
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 40

# Control characters that XML 1.0 forbids; a .docx containing them is corrupt. They are
# refused, naming the field (README, "Khi dữ liệu sai").
_FORBIDDEN = (
    "".join(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))) + "\ufffe\uffff"
)
_FORBIDDEN_CONTROL = re.compile(f"[{re.escape(_FORBIDDEN)}]")
# Characters a document may hold but that YAML's reader refuses when typed raw (DEL and the
# C1 controls) or reads as line breaks where an editor shows none (NEL, U+2028, U+2029),
# which would shift every line number after them. They stay text, as their escaped forms do.
_KEPT = "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0)) + "\u2028\u2029"
_SWAPPED = _FORBIDDEN + _KEPT
_NEEDS_SWAP = re.compile(f"[{re.escape(_SWAPPED)}]")
# Before parsing, each of those characters is swapped for a private-use stand-in the file
# does not contain (YAML accepts those), so the value that holds it can be named in the
# message, or the character given back to the text.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000F0000-\U000FFFFD\U00100000-\U0010FFFD]")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STAND_IN_POOL = (range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE), range(0xE000, 0xF900))


@dataclass(frozen=True)
class _StandIns:
    """The stand-ins of one file: which private-use character replaced which character."""

    swap: dict[int, str]
    forbidden: re.Pattern[str]  # a forbidden character or its stand-in
    restore: dict[int, str]  # stand-in of a kept character -> the character
    original: dict[str, str]  # stand-in -> the character it replaced

    @classmethod
    def choose(cls, text: str) -> _StandIns | None:
        """Stand-ins for ``text``; None when there is nothing to swap or no room (then
        the caller reports the first forbidden character by its line and column)."""
        if not _NEEDS_SWAP.search(text):
            return cls({}, _FORBIDDEN_CONTROL, {}, {})
        used = {ord(c) for c in _PRIVATE_USE.findall(text)}
        # an escape in a double-quoted scalar ("\\U000F0000") makes any code point too
        used |= {int(m.group(1) or m.group(2), 16) for m in _ESCAPE.finditer(text)}
        free = (c for pool in _STAND_IN_POOL for c in pool if c not in used)
        chosen = [chr(c) for c, _ in zip(free, _SWAPPED, strict=False)]
        if len(chosen) < len(_SWAPPED):
            return None
        pairs = dict(zip(_SWAPPED, chosen, strict=True))
        forbidden = re.compile(
            f"[{re.escape(_FORBIDDEN)}{re.escape(''.join(pairs[c] for c in _FORBIDDEN))}]"
        )
        return cls(
            swap={ord(c): s for c, s in pairs.items()},
            forbidden=forbidden,
            restore={ord(pairs[c]): c for c in _KEPT},
            original={s: c for c, s in pairs.items()},
        )

    def check(self, value: str) -> tuple[str, tuple[int, int] | None]:
        """``value`` with kept characters given back, and (code point, 1-based position)
        of its first forbidden character, if any."""
        bad = self.forbidden.search(value)
        found = None
        if bad:
            found = (ord(self.original.get(bad.group(), bad.group())), bad.start() + 1)
        return (value.translate(self.restore) if self.restore else value), found


@dataclass(frozen=True)
class LegacyValue:
    """A string value that looks like legacy-encoded text pasted as Unicode.

    Attributes:
        path: The value's path in the data.
        line, col: Where the value starts (1-based).
        start, end: The value's scalar in the file's text (character offsets, after a
            byte-order mark), quotes and block indicators included.
        value: The value as read.
        found: The encoding and the converted text.
    """

    path: Path_
    line: int
    col: int
    start: int
    end: int
    value: str
    found: Legacy

    def warning(self, display: str) -> Problem:
        """The located warning for the user."""
        shown = self.found.converted.strip()
        if len(shown) > 100:
            shown = shown[:99] + "…"
        return Problem(
            display,
            self.line,
            self.col,
            format_path(self.path),
            f"có vẻ là chữ dán từ tài liệu dùng bảng mã cũ {self.found.encoding_name}; "
            f"chuyển sang Unicode là «{shown}»",
            "sửa tự động bằng lệnh: docgen fix-text",
        )


@dataclass
class SourceFile:
    """A parsed YAML file: its data and where each value came from.

    Attributes:
        path: The file on disk.
        display: The file name as shown in messages (relative to the workspace parent).
        data: Plain Python data (dict/list/str/int/float/bool/None).
        marks: 1-based (line, col) of each value, keyed by its path in ``data``.
        key_marks: 1-based (line, col) of each mapping key, keyed by the value's path.
        legacy: The string values that look like pasted TCVN3 or VNI text, in file order.
    """

    path: Path
    display: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    legacy: list[LegacyValue] = field(default_factory=list)

    @classmethod
    def marks_later(
        cls,
        path: Path,
        display: str,
        data: Any,
        legacy: list[LegacyValue],
        marks: Callable[[], tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]],
    ) -> SourceFile:
        """A SourceFile whose ``marks`` and ``key_marks`` are made by ``marks()`` when
        first used: a parse read back from docgen/parsecache.py, where making them costs
        more than reading the data and only a message needs them."""
        source = cls(path, display, data, legacy=legacy)
        del source.marks, source.key_marks
        source.__dict__["_marks_later"] = marks
        return source

    if not TYPE_CHECKING:  # mypy would take any misspelt attribute for a mark table

        def __getattr__(self, name: str) -> Any:
            # only when ``marks``/``key_marks`` are not made yet (see marks_later)
            later = self.__dict__.get("_marks_later") if name in ("marks", "key_marks") else None
            if later is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            marks, key_marks = later()
            self.__dict__.update(marks=marks, key_marks=key_marks)
            self.__dict__.pop("_marks_later", None)
            return self.__dict__[name]

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Return the best known (line, col) for ``path``: itself, else its nearest parent."""
        table = self.key_marks if key else self.marks
        probe = tuple(path)
        while True:
            if probe in table:
                return table[probe]
            if key and probe in self.marks:
                return self.marks[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def problem(
        self, path: Path_, message: str, *, hint: str | None = None, key: bool = False
    ) -> Problem:
        """Build a located :class:`Problem` for the value (or key) at ``path``."""
        line, col = self.locate(path, key=key)
        return Problem(self.display, line, col, format_path(path), message, hint, path=tuple(path))


def format_path(path: Path_) -> str:
    """Render a data path the way messages show it: ``dang_vien[2].ho_ten`` (1-based)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out


# LibYAML's C parser when PyYAML was built with it (its wheels are): several times
# faster on big rosters. Composition, marks and our resolvers work the same way.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2-like implicit types and no timestamp resolution."""


class _PyLoader(yaml.SafeLoader):
    """The pure-Python parser: slower, but its error texts are the ones we translate."""


def _python_parser_error(text: str) -> yaml.MarkedYAMLError | None:
    """Re-parse a file LibYAML refused, to get PyYAML's (translatable) description."""
    loader = _PyLoader(text)
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return exc
    except (RecursionError, ValueError, yaml.YAMLError):
        # Nesting beyond Python's recursion limit (LibYAML stops at 1000 levels), or an
        # escape PyYAML cannot build (\U00110000): LibYAML's own description is used.
        return None
    finally:
        loader.dispose()
    return None


# Rebuild the resolver table: drop timestamps, the YAML 1.1 yes/no/on/off booleans and
# the YAML 1.1 numbers. Those read ``010`` as octal 8 (and refuse ``08``), and ``24:00`` or
# ``1:30`` as base-60 numbers (1440, 90): a document number typed with a leading zero came
# out as another number, a time of day as a number of minutes.
_DROPPED = {f"tag:yaml.org,2002:{name}" for name in ("timestamp", "bool", "int", "float")}
_Loader.yaml_implicit_resolvers = {}
for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    kept = [(tag, regexp) for tag, regexp in _resolvers if tag not in _DROPPED]
    if kept:
        _Loader.yaml_implicit_resolvers[_first] = kept
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
# YAML 1.2 integers: decimal (leading zeros allowed, ``08`` is 8), 0x hexadecimal, 0o octal.
_INT = re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$")
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
# Floats as before, without the base-60 form (``1:30.5``).
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_PyLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_INT_TAG = "tag:yaml.org,2002:int"
_COLLECTION_TAGS = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}
# The table ``resolve`` reads: the first character of a plain scalar -> its resolvers.
# PyYAML's own resolve also tries "wildcard" resolvers and path resolvers; the table has
# none, so the lookup below gives the same tag with fewer steps (it runs once per node).
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers
assert None not in _RESOLVERS and not _Loader.yaml_path_resolvers


def _resolve(
    self: object, kind: type, value: str | None, implicit: tuple[bool, bool]
) -> str:
    """The tag of a node without one: PyYAML's ``BaseResolver.resolve`` for this table."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _RESOLVERS.get(value[:1], ()):  # type: ignore[index]
                if regexp.match(value):  # type: ignore[arg-type]
                    return tag
        return _STR_TAG
    return _COLLECTION_TAGS[kind]


def _no_path_resolvers(*_: object) -> None:
    """``descend_resolver``/``ascend_resolver``: nothing to track without path resolvers."""


_Loader.resolve = _resolve
_Loader.descend_resolver = _no_path_resolvers
_Loader.ascend_resolver = _no_path_resolvers


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """An integer as YAML 1.2 reads it (``!!int 010`` too): ValueError for anything else."""
    text = str(loader.construct_scalar(node))
    if not _INT.match(text):
        raise ValueError(text)
    if text.startswith(("0x", "0o")):
        return int(text[2:], 16 if text[1] == "x" else 8)
    return int(text, 10)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)

# PyYAML's English problem texts, translated for the secretary.
_SYNTAX_MESSAGES: list[tuple[str, str, str | None]] = [
    (
        "found character '\\t' that cannot start any token",
        "có ký tự Tab",
        "YAML chỉ dùng dấu cách để thụt lề; hãy thay Tab bằng dấu cách",
    ),
    (
        "found unexpected end of stream",
        "dấu ngoặc kép hoặc ngoặc đơn chưa được đóng",
        "kiểm tra dấu \" hoặc ' ở dòng này",
    ),
    (
        "found unknown escape character",
        "ký tự thoát không hợp lệ trong chuỗi đặt trong ngoặc kép",
        "dùng ngoặc đơn ' ' hoặc viết \\\\ thay cho \\",
    ),
    (
        "mapping values are not allowed here",
        "thụt lề sai hoặc có dấu ':' không đúng chỗ",
        "nếu nội dung có dấu ':', hãy đặt cả câu trong ngoặc kép",
    ),
    (
        "expected <block end>, but found",
        "thụt lề không đều",
        "các mục cùng cấp phải thẳng cột với nhau",
    ),
    (
        "did not find expected key",
        "thụt lề không đều hoặc thiếu dấu ':'",
        "các mục cùng cấp phải thẳng cột với nhau",
    ),
    (
        "did not find expected '-' indicator",
        "danh sách thụt lề không đều",
        "mỗi mục danh sách bắt đầu bằng '- ' và thẳng cột với mục trước",
    ),
    (
        "could not find expected ':'",
        "thiếu dấu ':' sau tên khóa hoặc chuỗi nhiều dòng chưa đóng",
        None,
    ),
    (
        "exceeded maximum nesting depth",
        f"dữ liệu lồng nhau quá {MAX_DEPTH} tầng",
        None,
    ),
    (
        "found invalid Unicode character escape code",
        "mã ký tự sau \\u hoặc \\U không hợp lệ",
        "kiểm tra dấu \\ trong chuỗi đặt trong ngoặc kép",
    ),
    (
        "but found another document",
        "tệp chỉ được chứa một khối dữ liệu",
        "bỏ dòng '---' hoặc '...' ở giữa tệp",
    ),
    (
        "tag:yaml.org,2002:merge",
        "khóa gộp '<<' không được hỗ trợ",
        "viết đầy đủ từng khóa",
    ),
    ("found undefined alias", "bí danh (alias) không được định nghĩa", None),
    ("found duplicate anchor", "neo (anchor) bị lặp", None),
    (
        # PyYAML: "found character '@' that cannot start any token" (also %, `)
        "that cannot start any token",
        "ký tự không được phép ở đầu giá trị",
        "đặt giá trị trong ngoặc kép",
    ),
]


# Errors found far from their cause: an unclosed quote or bracket is noticed at the end
# of the file (or of the next line); the place to fix is where it was opened.
_OPENED_AT_MESSAGES = {
    "while scanning a quoted scalar": (
        "dấu ngoặc kép hoặc ngoặc đơn mở ở đây chưa được đóng",
        "đóng chuỗi bằng đúng dấu đã mở nó",
    ),
    "while parsing a flow sequence": (
        "dấu '[' mở ở đây chưa được đóng bằng ']' (hoặc thiếu dấu ',' giữa các mục)",
        None,
    ),
    "while parsing a flow mapping": (
        "dấu '{' mở ở đây chưa được đóng bằng '}' (hoặc thiếu dấu ',' giữa các mục)",
        None,
    ),
}


def _syntax_problem(display: str, exc: yaml.MarkedYAMLError) -> Problem:
    text = exc.problem or ""
    opened = _OPENED_AT_MESSAGES.get(exc.context or "")
    if opened and exc.context_mark is not None and (
        "end of stream" in text or "expected ','" in text
    ):
        mark = exc.context_mark
        message = f"lỗi cú pháp YAML: {opened[0]}"
        return Problem(display, mark.line + 1, mark.column + 1, "", message, opened[1])
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    # Some problems are told in the context ("found duplicate anchor ...; second occurrence").
    told = f"{exc.context or ''} {text}"
    for english, message, hint in _SYNTAX_MESSAGES:
        if english in told:
            return Problem(display, line, col, "", f"lỗi cú pháp YAML: {message}", hint)
    return Problem(display, line, col, "", f"lỗi cú pháp YAML ({text})")


def decode_text(raw: bytes, display: str) -> str:
    """A file's bytes as the loader reads them: UTF-8, a byte-order mark dropped.

    Raises:
        InputError: UTF-16, or not UTF-8 (located at the first byte that is not).
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    "",
                    "tệp được lưu ở bảng mã UTF-16",
                    "hãy lưu lại tệp với bảng mã UTF-8",
                )
            ]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        # in characters, as an editor counts: the line may hold valid UTF-8 before the byte
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8")) + 1
        raise InputError(
            [
                Problem(
                    display,
                    line,
                    col,
                    "",
                    "tệp không phải văn bản UTF-8 (có thể đang dùng bảng mã cũ "
                    "TCVN3/ABC, VNI hoặc Windows-1258)",
                    "mở tệp bằng trình soạn thảo, chọn lưu với bảng mã UTF-8, "
                    "hoặc chuyển mã bằng Unikey (công cụ chuyển mã) sang Unicode",
                )
            ]
        ) from None


class _Builder:
    """Turn a composed node tree into plain data, recording marks and problems.

    It runs once per node of every file read, so it takes the common cases (a plain
    string, null) without PyYAML's constructor machinery, which gives the same values.
    """

    def __init__(self, loader: _Loader, source: SourceFile, stand_ins: _StandIns) -> None:
        self.loader = loader
        self.source = source
        self.marks = source.marks
        self.key_marks = source.key_marks
        self.stand_ins = stand_ins
        self.forbidden_search = stand_ins.forbidden.search
        self.restore = stand_ins.restore
        self.problems: list[Problem] = []
        self.count = 0
        self.seen: set[int] = set()  # collections already built: meeting one again is an alias

    def build(self, node: yaml.Node, path: Path_, depth: int, alias: Path_ | None = None) -> Any:
        """Build ``node`` at ``path``; ``alias`` is the path of the outermost alias being
        expanded, where a bomb goes off."""
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(
                "tệp có quá nhiều phần tử (có thể do bí danh YAML lồng nhau nhiều tầng)",
                self._key_of(alias or path),
            )
        start = node.start_mark
        if depth > MAX_DEPTH:
            raise _TooBig(
                f"dữ liệu lồng nhau quá {MAX_DEPTH} tầng",
                Problem(self.source.display, start.line + 1, start.column + 1, "", ""),
            )
        kind = type(node)
        if kind is not _ScalarNode:
            if id(node) in self.seen:
                alias = alias or path
            else:
                self.seen.add(id(node))
        self.marks[path] = (start.line + 1, start.column + 1)
        tag = node.tag
        if kind is _ScalarNode:
            if tag == _STR_TAG:
                return self._string(node.value, path, node)
            if tag == _NULL_TAG:
                return None
        if tag not in _ALLOWED_TAGS:
            self.problems.append(
                self.source.problem(
                    path,
                    f"kiểu dữ liệu {tag!r} không được hỗ trợ",
                    hint="chỉ dùng chữ, số, ngày, true/false",
                )
            )
            return None
        if kind is _ScalarNode:
            return self._scalar(node, path)
        if kind is _SequenceNode:
            depth += 1
            return [self.build(child, (*path, i), depth, alias) for i, child in enumerate(node.value)]
        if kind is _MappingNode:
            return self._mapping(node, path, depth, alias)
        raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover

    def _key_of(self, path: Path_) -> Problem:
        """Where the value at ``path`` is named: its nearest key (the line an alias is used on)."""
        probe = tuple(path)
        while probe and probe not in self.source.key_marks:
            probe = probe[:-1]
        line, col = self.source.locate(probe, key=True)
        return Problem(self.source.display, line, col, format_path(probe), "")

    def _text(self, value: str, path: Path_, node: yaml.Node, what: str = "") -> str:
        """NFC, the characters stood in for given back; a forbidden one is a problem
        located at ``node``, naming the field ``path``."""
        if not value.isascii():
            value = _normalize("NFC", value)
        bad = self.forbidden_search(value)
        if bad:
            code = ord(self.stand_ins.original.get(bad.group(), bad.group()))
            self.problems.append(
                Problem(
                    self.source.display,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    format_path(path),
                    f"{what}có ký tự điều khiển không hợp lệ U+{code:04X} ở vị trí {bad.start() + 1}",
                    "thường do dán văn bản từ nơi khác; hãy gõ lại đoạn này",
                    path=tuple(path),
                )
            )
        return value.translate(self.restore) if self.restore else value

    def _string(self, value: str, path: Path_, node: yaml.Node) -> str:
        """A string value: :meth:`_text`, and kept on ``legacy`` if it looks like TCVN3
        or VNI text."""
        value = self._text(value, path, node)
        found = detect(value)
        if found is not None:
            start, end = node.start_mark, node.end_mark
            self.source.legacy.append(
                LegacyValue(path, start.line + 1, start.column + 1, start.index, end.index, value, found)
            )
        return value

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        try:
            if node.tag == _INT_TAG:
                value = _construct_int(self.loader, node)
            else:
                value = self.loader.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError):
            # Only for an explicit standard tag with a value of another type (!!int abc),
            # or an integer too long to read.
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "…"
            self.problems.append(
                self.source.problem(path, f"giá trị {shown!r} không đúng kiểu {node.tag!r}")
            )
            return None
        if isinstance(value, str):
            return self._string(value, path, node)
        return value

    def _mapping(
        self, node: yaml.MappingNode, path: Path_, depth: int, alias: Path_ | None
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        depth += 1
        for key_node, value_node in node.value:
            if type(key_node) is not _ScalarNode:
                self.problems.append(
                    Problem(
                        self.source.display,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        format_path(path),
                        "tên khóa phải là chữ",
                    )
                )
                continue
            if key_node.tag == _STR_TAG:
                key = key_node.value
            else:
                key = str(self.loader.construct_object(key_node))
            key = self._text(key, path, key_node, "tên khóa ")
            child = (*path, key)
            start = key_node.start_mark
            if key in result:
                self.problems.append(
                    Problem(
                        self.source.display,
                        start.line + 1,
                        start.column + 1,
                        format_path(child),
                        f"khóa '{key}' bị lặp lại trong cùng một mục",
                        hint="mỗi khóa chỉ được viết một lần",
                    )
                )
                continue
            self.key_marks[child] = (start.line + 1, start.column + 1)
            result[key] = self.build(value_node, child, depth, alias)
        return result


_ScalarNode = yaml.ScalarNode
_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode
_normalize = unicodedata.normalize


_ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


class _TooBig(Exception):
    """A limit was reached; ``where`` holds the place (its message is filled in)."""

    def __init__(self, message: str, where: Problem) -> None:
        super().__init__(message)
        self.problem = Problem(where.file, where.line, where.col, where.field, message)


def _first_forbidden(display: str, text: str) -> Problem:
    """The first forbidden character by line and column (when no stand-in is free)."""
    bad = _FORBIDDEN_CONTROL.search(text)
    if bad is None:  # only kept characters: YAML refuses them raw
        bad = _NEEDS_SWAP.search(text)
    assert bad is not None
    line = text.count("\n", 0, bad.start()) + 1
    col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    return Problem(
        display,
        line,
        col,
        "",
        f"có ký tự điều khiển không hợp lệ U+{ord(bad.group()):04X}",
        "thường do dán văn bản từ nơi khác; hãy gõ lại đoạn này",
    )


def load_source(path: Path, display: str | None = None) -> SourceFile:
    """Parse ``path`` into a :class:`SourceFile`.

    Args:
        path: The YAML file.
        display: Name used in messages; defaults to ``str(path)``.

    Raises:
        InputError: The file cannot be read, is not UTF-8, is empty, too large, or
            not valid YAML; or it contains forbidden characters or duplicate keys.
    """
    display = display or str(path)
    return parse_text(decode_text(read_bytes(path, display), display), path, display)


def read_bytes(path: Path, display: str) -> bytes:
    """The bytes of the YAML file ``path`` (``display`` names it in messages).

    Only a regular file is read (a FIFO, a device, a symlink to ``/dev/zero`` are refused
    without blocking), never beyond :data:`MAX_FILE_BYTES` whatever size it claims
    (:func:`docgen.userfile.read_regular`).

    Raises:
        InputError: missing, a folder, not a regular file, too large, or unreadable.
    """
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except FileRefused as exc:
        if exc.size is None:
            raise InputError([Problem(display, None, None, "", exc.reason)]) from None
        raise InputError(
            [
                Problem(
                    display,
                    None,
                    None,
                    "",
                    f"tệp quá lớn ({decimal(exc.size / 1024 / 1024, 1, keep_zeros=True)} MB; tối đa "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB)",
                    "tệp dữ liệu của một chi bộ thường chỉ vài chục KB",
                )
            ]
        ) from None
    except FileNotFoundError:
        raise InputError([Problem(display, None, None, "", "không tìm thấy tệp")]) from None
    except IsADirectoryError:
        raise InputError([Problem(display, None, None, "", "đây là thư mục, không phải tệp")]) from None
    except OSError as exc:
        raise InputError(
            [Problem(display, None, None, "", f"không đọc được tệp ({os_reason(exc)})")]
        ) from None


def parse_text(text: str, path: Path, display: str) -> SourceFile:
    """Parse the text of a YAML file (as :func:`decode_text` gives it) into a
    :class:`SourceFile`; ``path`` and ``display`` name the file.

    Raises:
        InputError: as :func:`load_source`, but for reading the file.
    """
    stand_ins = _StandIns.choose(text)
    if stand_ins is None:
        raise InputError([_first_forbidden(display, text)])
    if stand_ins.swap:
        text = text.translate(stand_ins.swap)
    source = SourceFile(path=path, display=display, data=None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(display, None, None, "", "tệp trống, chưa có dữ liệu")])
        builder = _Builder(loader, source, stand_ins)
        source.data = builder.build(node, (), 0)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(display, _python_parser_error(text) or exc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        raise InputError([Problem(display, None, None, "", f"lỗi cú pháp YAML ({exc})")]) from None
    except _TooBig as exc:
        raise InputError([exc.problem]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise InputError(builder.problems)
    tell_legacy(source)
    return source


def tell_legacy(source: SourceFile) -> None:
    """Add the legacy-text warnings of ``source`` to the :func:`watch_legacy` block
    running, if any: a parsed file does so itself; a file parsed earlier and read again
    from a cache (docgen/workspace.py) does it through this."""
    watching = _WATCH.get()
    if watching is not None:
        watching.extend(value.warning(source.display) for value in source.legacy)


_WATCH: ContextVar[list[Problem] | None] = ContextVar("docgen_legacy_watch", default=None)


@contextmanager
def watch_legacy() -> Iterator[list[Problem]]:
    """Gather the legacy-text warnings of every file loaded inside the ``with`` block.

    Yields the list they are added to; a file loaded twice adds its warnings twice
    (``dict.fromkeys`` keeps one of each).
    """
    found: list[Problem] = []
    token = _WATCH.set(found)
    try:
        yield found
    finally:
        _WATCH.reset(token)
