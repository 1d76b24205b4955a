"""Write changed data back into a user's YAML file the way a careful person would.

The web application shows a file as a form and gets back plain data (dict, list, str,
int, float, bool, None, ``datetime.date``). :func:`updated_text` walks ruamel.yaml's
round-trip tree and docgen's own reading of the same text side by side and touches only
the nodes whose docgen value differs: comments, key order, quoting and indentation of the
rest stay as they were. Values are never compared with ruamel's (it reads YAML 1.2,
docgen its own rules). The result is read back with docgen's loader and refused unless it
equals the data, so nothing is written that reads back different.

Conventions: strings are stored in Unicode NFC and dates as ISO text (``2026-07-05``,
unquoted), since that is what docgen reads; keys that data moves are left in file order.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import io
import json
import math
import threading
import unicodedata
from collections import OrderedDict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from docgen.errors import OutputError
from docgen.output import write_atomic
from docgen.yamlsource import decode_text, parse_text, read_bytes

__all__ = ["new_text", "save_yaml", "updated_text"]

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PYYAML = yaml.resolver.Resolver()  # YAML 1.1 (PyYAML): "yes", "19:30", "0o7" are not text there
_RUAMEL = VersionedResolver()


class _Analyzer(Emitter):
    """ruamel's own judgement of whether a string may be written bare (YAML 1.2 rules)."""

    serializer = SimpleNamespace(use_version=None)  # type: ignore[assignment]


_ANALYZER = _Analyzer(None, allow_unicode=True)


class _Representer(RoundTripRepresenter):
    """Floats as docgen's loader reads them (``1.0e+20``, not ``1e+20``, which is text there)."""

    def represent_float(self, data: Any) -> Any:
        if math.isnan(data) or math.isinf(data):
            text = ".nan" if math.isnan(data) else ("-.inf" if data < 0 else ".inf")
        else:
            text = repr(data)
            if "." not in text:
                text = text.replace("e", ".0e") if "e" in text else text + ".0"
        return self.represent_scalar("tag:yaml.org,2002:float", text)

    def represent_scalar_float(self, data: Any) -> Any:
        """A float read from the file, as it was written there, unless ruamel's rebuilt
        text reads back as another number (it drops a digit of ``4.731400794272289e+16``)."""
        node = super().represent_scalar_float(data)
        try:
            same = float(node.value.replace("_", "")) == float(data)
        except ValueError:  # .inf, .nan
            same = True
        return node if same else self.represent_float(float(data))


_Representer.add_representer(float, _Representer.represent_float)
_Representer.add_representer(ScalarFloat, _Representer.represent_scalar_float)


_SPECIAL = (
    "chưa lưu: tệp viết theo cách docgen không sửa tự động được (bí danh &, *, khóa gộp <<); "
    "hãy sửa tệp bằng trình soạn thảo"
)
_DIFFERENT = "chưa lưu: dữ liệu mới ghi ra tệp YAML sẽ đọc lại không đúng như đã nhập"


def _refused(message: str, display: str = "") -> OutputError:
    """The error that refuses to write (never something that reads back different)."""
    return OutputError(display or "tệp YAML", message)


def _yaml(indents: tuple[int, int, int] = (2, 4, 2)) -> YAML:
    out = YAML()  # round-trip mode
    out.Representer = _Representer
    out.preserve_quotes = True
    out.width = 1_000_000_000  # never fold a long line
    out.allow_unicode = True
    out.indent(mapping=indents[0], sequence=indents[1], offset=indents[2])
    return out


def _plain(value: Any) -> Any:
    """``value`` as docgen reads it back: NFC strings, dates as ISO text."""
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, datetime.datetime):
        raise TypeError(f"a datetime cannot be saved, only a date: {value!r}")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    raise TypeError(f"{type(value).__name__} cannot be saved in YAML")


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types (``True`` is not ``1``, a dict's key order aside)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _text_node(value: str, old: Any = None, *, key: bool = False) -> Any:
    """A string as ruamel should write it: plain when every reader takes it as text,
    else double-quoted (or in the quotes the old value had); several lines as a ``|``
    block, unless that needs an indentation indicator (ruamel gets it wrong when the
    mapping indent is not 2) or is a key."""
    if (
        "\n" in value
        and not key
        and value[:1] not in (" ", "\n", "\t")
        and all(line.isprintable() for line in value.split("\n"))  # no \r, U+2028... in a block
    ):
        return LiteralScalarString(value)
    if isinstance(old, DoubleQuotedScalarString | SingleQuotedScalarString):
        return type(old)(value)
    tags = {
        str(_PYYAML.resolve(yaml.ScalarNode, value, (True, False))),
        str(_RUAMEL.resolve(ScalarNode, value, (True, False))),
    }
    if tags == {_STR, _TIMESTAMP} or tags == {_TIMESTAMP}:
        try:
            if datetime.date.fromisoformat(value).isoformat() == value:
                return datetime.date.fromisoformat(value)  # written bare: 2026-07-05
        except ValueError:
            pass
    analysis = _ANALYZER.analyze_scalar(value)
    if tags != {_STR} or not analysis.allow_block_plain or analysis.multiline:
        return DoubleQuotedScalarString(value)
    return value


def _node(value: Any, old: Any = None) -> Any:
    """Plain data (as :func:`_plain` gives it) as new ruamel nodes."""
    if isinstance(value, dict):
        return CommentedMap((_text_node(k, key=True), _node(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_node(v) for v in value)
    if isinstance(value, str):
        return _text_node(value, old)
    return value


# Comments. ruamel keeps the full-line comments that follow an entry on the entry's
# deepest last scalar (with its end-of-line comment): they go with it when it is deleted,
# and end up before an entry added after it. They are moved to stay where they were.
def _slot(node: Any, key: Any) -> tuple[Any, Any, int]:
    value = node[key]
    while isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        node, key = value, (next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1)
        value = node[key]
    return node, key, (2 if isinstance(node, CommentedMap) else 0)


def _pop_rest(node: Any, key: Any) -> str:
    node, key, index = _slot(node, key)
    entry = node.ca.items.get(key)
    token = entry[index] if entry else None
    if not isinstance(token, CommentToken):
        return ""
    head, _, rest = token.value.partition("\n")
    if rest:
        token.value = head + "\n"
        if not head:
            entry[index] = None
    return rest


def _push_rest(node: Any, key: Any, rest: str) -> None:
    if rest:
        node, key, index = _slot(node, key)
        entry = node.ca.items.setdefault(key, [None, None, None, None])
        if isinstance(entry[index], CommentToken):
            entry[index].value += rest
        else:
            entry[index] = CommentToken("\n" + rest, CommentMark(0))


def _keys(node: Any) -> list[Any]:
    return list(node) if isinstance(node, CommentedMap) else list(range(len(node)))


def _delete(node: Any, key: Any) -> None:
    rest = _pop_rest(node, key)
    keys = _keys(node)
    at = keys.index(key)
    del node[key]
    if rest and len(keys) > 1:  # before the next entry: after the previous one, or on the new first
        _push_rest(node, _keys(node)[at - 1 if at else 0], rest)


def _insert(node: Any, at: int, key: Any, value: Any) -> None:
    rest = _pop_rest(node, _keys(node)[at - 1]) if at else ""
    if isinstance(node, CommentedMap):
        node.insert(at, _text_node(key, key=True), _node(value))
    else:
        node.insert(at, _node(value))
    _push_rest(node, _keys(node)[at], rest)


def _merge(node: Any, key: Any, old: Any, new: Any) -> None:
    """Make ``node[key]`` (docgen read ``old`` there) hold ``new``, changing only what differs."""
    if _same(old, new):
        return
    rest = _pop_rest(node, key)
    value = node[key]
    if isinstance(new, dict) and isinstance(old, dict) and isinstance(value, CommentedMap):
        _merge_map(value, old, new)
    elif isinstance(new, list) and isinstance(old, list) and isinstance(value, CommentedSeq):
        _merge_seq(value, old, new)
    else:
        node[key] = _node(new, value)
    _push_rest(node, key, rest)


def _merge_map(node: CommentedMap, old: dict[str, Any], new: dict[str, Any]) -> None:
    if len(node) != len(old):
        raise _refused(_SPECIAL)
    real = dict(zip(old, node, strict=True))  # docgen's key -> ruamel's key (2026 may be an int)
    for key in old:
        if key not in new:
            _delete(node, real[key])
    at = 0
    for key, value in new.items():
        if key in old:
            _merge(node, real[key], old[key], value)
            at = list(node).index(real[key]) + 1
        else:
            _insert(node, at, key, value)
            at += 1


def _merge_seq(node: CommentedSeq, old: list[Any], new: list[Any]) -> None:
    def frozen(items: list[Any]) -> list[str]:
        return [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]

    opcodes = difflib.SequenceMatcher(None, frozen(old), frozen(new), autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(opcodes):
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for step in range(paired):
            _merge(node, i1 + step, old[i1 + step], new[j1 + step])
        for index in reversed(range(i1 + paired, i2)):
            _delete(node, index)
        for step, index in enumerate(range(j1 + paired, j2)):
            _insert(node, i1 + paired + step, None, new[index])


def _indents(tree: Any) -> tuple[int, int, int]:
    """The file's indentation (mapping, sequence, offset of the dash), from its first nested
    block mapping and block sequence; the sample workspace's style where it has none."""
    return _layout(tree)[0]


def _layout(tree: Any) -> tuple[tuple[int, int, int], bool]:
    """:func:`_indents`, and whether the file shows all three as they are (a nested block
    mapping and block sequence measured, no default, nothing out of range): then a text
    dumped with them measures the same again."""
    found: dict[str, tuple[int, ...]] = {}

    def walk(node: Any) -> None:
        for key in _keys(node):
            value, where = node[key], node.lc.key(key) if isinstance(node, CommentedMap) else None
            if where is None:
                item_line, item_col = node.lc.item(key)
                where = (item_line, item_col - 2)  # the column of the dash
            if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
                first = value.lc.key(next(iter(value))) if isinstance(value, CommentedMap) else value.lc.item(0)
                if first[0] > where[0]:  # the value starts on its own line
                    step = first[1] - where[1]
                    if isinstance(value, CommentedMap):
                        found.setdefault("map", (step,))
                    else:
                        found.setdefault("seq", (step, step - 2))
                walk(value)

    if isinstance(tree, CommentedMap | CommentedSeq):
        walk(tree)
    mapping = found.get("map", (2,))[0]
    sequence, offset = found.get("seq", (4, 2))
    indents = (max(mapping, 1), max(sequence, offset + 2), max(offset, 0))
    return indents, len(found) == 2 and indents == (mapping, sequence, offset)


def _list_in_list(value: Any) -> bool:
    """Whether a list's first item is a list (``- - x``): the indentation measured there is
    the inner dash's, so a text dumped with it measures more (see :func:`_layout`)."""
    if isinstance(value, dict):
        return any(_list_in_list(v) for v in value.values())
    if isinstance(value, list):
        return bool(value) and isinstance(value[0], list) or any(_list_in_list(v) for v in value)
    return False


def _shared(node: Any, seen: set[int]) -> bool:
    """Whether a mapping or list is used twice (an alias): editing one would edit both."""
    if not isinstance(node, CommentedMap | CommentedSeq):
        return False
    if id(node) in seen:
        return True
    seen.add(id(node))
    return any(_shared(node[key], seen) for key in _keys(node))


def _dump(tree: Any, indents: tuple[int, int, int]) -> str:
    out = io.StringIO()
    _yaml(indents).dump(tree, out)
    return out.getvalue()


# The round-trip trees of the texts updated_text made, for the next save of the same file.
# A save starts from the text the previous save wrote (the secretary saves the quarter's
# form again and again), and ruamel's load of it is most of a save's time (~25 of ~40 ms
# for a 35-member quarter file). The tree a merge made dumps to exactly that text, so it
# serves in place of loading it. Each tree is taken out of the cache by the save that uses
# it (a merge changes it in place; two threads never share one). Per process, least
# recently kept out first. The bounds: issue 15's ward has 200 cells, each saving its
# quarter file again about every minute at quarter end (so ~200 trees in turn); a tree
# is ~36 times its text in memory (135 kB for the 3.8 kB quarter file of 35 members,
# measured with tracemalloc), so 2 M characters of text keep at most ~70 MB.
_TREES_MAX = 256  # trees kept
_TREES_MAX_CHARS = 2_000_000  # characters of the texts whose trees are kept, in all
_trees: OrderedDict[str, tuple[Any, tuple[int, int, int], int]] = OrderedDict()
_trees_lock = threading.Lock()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _take_tree(text: str) -> tuple[Any, tuple[int, int, int]] | None:
    """The tree (and indentation) a merge made for ``text``, taken out of the cache."""
    with _trees_lock:
        kept = _trees.pop(_digest(text), None)
    return None if kept is None else (kept[0], kept[1])


def _keep_tree(text: str, tree: Any, indents: tuple[int, int, int]) -> None:
    """Keep ``tree`` (which dumps to ``text`` with ``indents``) for a save starting from ``text``."""
    if len(text) > _TREES_MAX_CHARS // 4:
        return  # a file that large would push out most of the others
    with _trees_lock:
        _trees[_digest(text)] = (tree, indents, len(text))
        while len(_trees) > _TREES_MAX or sum(size for *_, size in _trees.values()) > _TREES_MAX_CHARS:
            _trees.popitem(last=False)


def _checked(text: str, data: Any, display: str) -> str:
    """``text``, once docgen's loader reads it back as ``data``."""
    # A value docgen's reader refuses (a control character typed or pasted) is the user's
    # input problem: its InputError, located at the value's path, goes to the caller.
    back = parse_text(text, Path(display or "du-lieu.yaml"), display).data
    if not _same(back, data):
        raise _refused(_DIFFERENT, display)
    return text


def updated_text(original: str, data: Any, *, display: str = "") -> str:
    """The text of a YAML file whose content was ``original`` and is now ``data``.

    Raises:
        InputError: ``original`` is not a file docgen can read, or a value of ``data`` is
            one docgen's reader refuses (a control character), located at its path.
        OutputError: ``original`` uses what ruamel cannot edit (aliases), or the text
            made would read back different.
        TypeError: ``data`` holds something else than the plain values listed above.
    """
    crlf = "\r\n" in original
    text = original.replace("\r\n", "\n") if crlf else original
    data = _plain(data)
    old = parse_text(text, Path(display or "du-lieu.yaml"), display).data
    if _same(old, data):
        return original
    kept = _take_tree(text)
    if kept is not None:
        (tree, indents), stable = kept, True
    else:
        try:
            tree = _yaml().load(text)
        except YAMLError:
            raise _refused(_SPECIAL, display) from None
        if _shared(tree, set()):
            raise _refused(_SPECIAL, display)
        indents, stable = _layout(tree)
    holder = CommentedSeq([tree])
    _merge(holder, 0, old, data)
    result = _checked(_dump(holder[0], indents), data, display)
    if stable and not _list_in_list(data):  # else a load of the result could measure others
        _keep_tree(result, holder[0], indents)
    return result.replace("\n", "\r\n") if crlf else result


def new_text(data: Any, *, header: str = "") -> str:
    """The text of a new YAML file holding ``data`` (header: comment lines put first)."""
    data = _plain(data)
    lines = "".join(
        (line if line.startswith("#") else f"# {line}").rstrip() + "\n" for line in header.splitlines()
    )
    return _checked(lines + _dump(_node(data), (2, 4, 2)), data, "")


def save_yaml(path: Path, data: Any) -> bool:
    """Write ``data`` into ``path`` (updated_text of its current text, or new_text when it does
    not exist) atomically; return False and leave the file untouched when nothing changed.

    Raises:
        InputError: the file is there but is not a regular file, too large or unreadable
            (:func:`docgen.yamlsource.read_bytes`), or its text is not YAML.
    """
    display = str(path)
    if not path.exists() and not path.is_symlink():
        write_atomic(path, new_text(data).encode("utf-8"))
        return True
    raw = read_bytes(path, display)
    original = decode_text(raw, display)
    text = updated_text(original, data, display=display)
    if text == original:
        return False
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    write_atomic(path, bom + text.encode("utf-8"))
    return True
