"""A parse cache kept between runs: a YAML file's parse read back instead of made again.

``docgen check`` then ``docgen batch``, a re-run, the web application's saves: each run
parses the same unchanged files. :func:`lookup` gives back the :class:`SourceFile` a
successful parse of the same bytes gave (its data, marks, key marks and legacy-text
values); :func:`store` keeps one. A file with problems is not kept (it is parsed each
time, its messages made fresh).

Where: ``$DOCGEN_CACHE_DIR`` when set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/docgen`` or ``~/.cache/docgen``; entries under ``yaml/``, in 256
fan-out folders, one JSON file each.

Safety: entries are JSON (never pickle: reading one cannot run code) and are read as
hostile input: size-bounded, not a link, every field's type and form checked, the file
hash it holds equal to the one asked for. The marks (line and column of every value and
key) are kept as two strings of numbers in the order the loader records them and made
into tables only when a message needs them: reading them back is what costs most, and a
file without problems needs none. An entry is named by
the sha256 of the file's bytes together with a *salt*: the format version, docgen's
version, PyYAML's, Python's Unicode tables and the bytes of the parser's own code
(yamlsource.py, legacytext.py and this file), so a changed parser never reads another
one's entries. Anything wrong (unreadable, truncated, another shape, too big) is
ignored and the file parsed again. The cache never fails a run and says nothing: every
OSError is passed over. Entries are written atomically (a temporary file, then
renamed into place), in folders only the user can open; the total is bounded (the
least recently used entries are removed when there are more than :data:`MAX_ENTRIES`
or :data:`MAX_TOTAL_BYTES`, checked at most once an hour). A file smaller than
:data:`MIN_BYTES` is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import time
import unicodedata
from functools import cache, partial
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

import docgen.legacytext as legacytext
import docgen.yamlsource as yamlsource
from docgen._version import __version__
from docgen.legacytext import ENCODING_NAMES, Legacy
from docgen.yamlsource import MAX_FILE_BYTES, MAX_NODES, LegacyValue, SourceFile

__all__ = [
    "MAX_ENTRIES",
    "MAX_ENTRY_BYTES",
    "MAX_TOTAL_BYTES",
    "MIN_BYTES",
    "cache_dir",
    "lookup",
    "prune",
    "store",
]

#: The entries' format; a new one is a new salt (old entries are never read).
FORMAT = 1
#: A file smaller than this is not kept: it is parsed about as fast as its entry is read
#: (0.07 ms against 0.05 ms for 135 bytes), and writing the entry costs far more.
MIN_BYTES = 1024
#: An entry bigger than this is neither written nor read.
MAX_ENTRY_BYTES = 4 * MAX_FILE_BYTES
#: More entries than this (or more bytes than MAX_TOTAL_BYTES): the oldest are removed.
MAX_ENTRIES = 5000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
_PRUNE_EVERY = 3600.0  # seconds between two counts of the entries
_TOUCH_AFTER = 86400.0  # an entry read is marked recently used at most once a day
_KEYS = {"format", "key", "sha256", "data", "nodes", "marks", "keys", "key_marks", "legacy"}
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_READ_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def cache_dir() -> Path | None:
    """The folder of the cache (created when written), or None when it is off."""
    chosen = os.environ.get("DOCGEN_CACHE_DIR", "")
    if chosen:
        return None if chosen.strip().lower() == "off" else Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "docgen"
    try:
        return Path.home() / ".cache" / "docgen"
    except (RuntimeError, KeyError, OSError):  # no home folder known
        return None


@cache
def _salt() -> str | None:
    """What besides the file's bytes decides a parse; None when the parser's code
    cannot be read (then nothing is cached)."""
    digest = hashlib.sha256()
    told = (FORMAT, __version__, yaml.__version__, yamlsource._BaseLoader.__name__)
    digest.update(repr((*told, sys.version, unicodedata.unidata_version)).encode())
    try:
        for module in (yamlsource, legacytext, sys.modules[__name__]):
            digest.update(Path(str(module.__file__)).read_bytes())
    except (OSError, TypeError, KeyError):
        return None
    return digest.hexdigest()


def _entry(digest: str) -> tuple[Path, str] | None:
    """The file of the entry for a file whose bytes have the sha256 ``digest``, and
    the entry's key; None when the cache is off."""
    folder = cache_dir()
    salt = _salt()
    if folder is None or salt is None:
        return None
    key = hashlib.sha256(f"{salt}:{digest}".encode()).hexdigest()
    return folder / "yaml" / key[:2] / f"{key[2:]}.json", key


def lookup(digest: str, size: int, path: Path, display: str) -> SourceFile | None:
    """The parse of a file of ``size`` bytes whose sha256 is ``digest``, as the cache
    keeps it, named ``path`` and ``display``; None when it keeps none (or the cache is
    off, or the file is smaller than :data:`MIN_BYTES`).

    Its ``marks`` and ``key_marks`` are made when first used. Its legacy-text warnings
    are told to a :func:`docgen.yamlsource.watch_legacy` block running, as a parse
    tells them.
    """
    entry = _entry(digest) if size >= MIN_BYTES else None
    if entry is None:
        return None
    file, key = entry
    try:
        blob, modified = _read(file)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        _remove(file)
        return None
    try:
        source = _decode(blob, key, digest, path, display)
    except (ValueError, RecursionError, TypeError):
        _remove(file)
        return None
    if modified < time.time() - _TOUCH_AFTER:  # recently used: pruned last
        with contextlib.suppress(OSError):
            os.utime(file)
    yamlsource.tell_legacy(source)
    return source


def store(digest: str, source: SourceFile, raw: bytes) -> None:
    """Keep ``source``, the parse of ``raw``, a file's bytes whose sha256 is ``digest``.

    Never fails: an entry that cannot be written (or would be too big) is not kept.
    """
    entry = _entry(digest) if len(raw) >= MIN_BYTES else None
    if entry is None or not _small_enough(source, raw):
        return
    file, key = entry
    marks, key_marks = source.marks, source.key_marks
    try:
        blob = json.dumps(
            {
                "format": FORMAT,
                "key": key,
                "sha256": digest,
                "data": source.data,
                # in the order the loader records them: a walk of the data in file order
                "nodes": len(marks),
                "marks": ",".join(map(str, chain.from_iterable(marks.values()))),
                "keys": len(key_marks),
                "key_marks": ",".join(map(str, chain.from_iterable(key_marks.values()))),
                "legacy": [
                    [list(v.path), v.line, v.col, v.start, v.end, v.value, v.found.encoding, v.found.converted]
                    for v in source.legacy
                ],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8", "surrogatepass")
    except (ValueError, TypeError, RecursionError):
        return
    if len(blob) > MAX_ENTRY_BYTES:
        return
    _write(file, blob)
    _prune_now_and_then(file.parent.parent)


# --- reading -----------------------------------------------------------------------

_NUMBERS = re.compile(r"[1-9][0-9]{0,8}(?:,[1-9][0-9]{0,8})*")


def _read(file: Path) -> tuple[bytes, float]:
    """The bytes of the entry ``file`` (a regular file, not a link, of at most
    :data:`MAX_ENTRY_BYTES`; else ValueError) and when it was last written."""
    fd = os.open(file, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise ValueError("not an entry")
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, MAX_ENTRY_BYTES + 1 - total):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_ENTRY_BYTES:
                raise ValueError("not an entry")
        return b"".join(chunks), info.st_mtime
    finally:
        os.close(fd)


def _decode(blob: bytes, key: str, digest: str, path: Path, display: str) -> SourceFile:
    """The SourceFile an entry holds; ValueError (or TypeError...) for anything else."""
    entry = json.loads(blob)
    if type(entry) is not dict or entry.keys() != _KEYS:
        raise ValueError("not an entry")
    if type(entry["format"]) is not int or entry["format"] != FORMAT:
        raise ValueError("another format")
    if entry["key"] != key or entry["sha256"] != digest:
        raise ValueError("another file's entry")
    nodes, marks, keys, key_marks = (entry[k] for k in ("nodes", "marks", "keys", "key_marks"))
    if not (type(nodes) is int and type(keys) is int and 0 < nodes <= MAX_NODES and 0 <= keys < nodes):
        raise ValueError("not an entry")
    if not (_numbers(marks, 2 * nodes) and _numbers(key_marks, 2 * keys)):
        raise ValueError("not an entry")
    legacy = entry["legacy"]
    if type(legacy) is not list:
        raise ValueError("not an entry")
    return SourceFile.marks_later(
        path,
        display,
        entry["data"],
        [_legacy_value(item) for item in legacy],
        partial(_marks, entry["data"], marks, key_marks),
    )


def _numbers(text: Any, count: int) -> bool:
    """Whether ``text`` is ``count`` positive integers separated by commas."""
    if type(text) is not str:
        return False
    if not count:
        return text == ""
    return text.count(",") == count - 1 and _NUMBERS.fullmatch(text) is not None


def _marks(
    data: Any, marks: str, key_marks: str
) -> tuple[dict[yamlsource.Path_, tuple[int, int]], dict[yamlsource.Path_, tuple[int, int]]]:
    """The marks of every value of ``data`` and of every key, from their places in a
    walk of the data in file order (the order the loader records them in).

    Never fails: were the data and the marks not made together (an entry written by
    something else), the values past the last mark have none (a message then names
    their nearest parent's place).
    """
    value_marks: dict[yamlsource.Path_, tuple[int, int]] = {}
    named: dict[yamlsource.Path_, tuple[int, int]] = {}
    numbers = iter(map(int, marks.split(",")))
    next_mark = zip(numbers, numbers, strict=False).__next__
    key_numbers = iter(map(int, key_marks.split(",") if key_marks else ()))
    next_key = zip(key_numbers, key_numbers, strict=False).__next__

    def walk(value: Any, path: yamlsource.Path_) -> None:
        value_marks[path] = next_mark()
        kind = type(value)
        if kind is dict:
            for key, child in value.items():
                at = (*path, key)
                named[at] = next_key()
                walk(child, at)
        elif kind is list:
            for i, child in enumerate(value):
                walk(child, (*path, i))

    with contextlib.suppress(StopIteration, RecursionError, ValueError):
        walk(data, ())
    return value_marks, named


def _legacy_value(item: Any) -> LegacyValue:
    if type(item) is not list or len(item) != 8:
        raise ValueError("not an entry")
    path, line, col, start, end, value, encoding, converted = item
    if type(path) is not list or not all(type(p) in (str, int) for p in path):
        raise ValueError("not an entry")
    if not all(type(n) is int and n >= 0 for n in (line, col, start, end)):
        raise ValueError("not an entry")
    if type(value) is not str or type(converted) is not str or encoding not in ENCODING_NAMES:
        raise ValueError("not an entry")
    return LegacyValue(tuple(path), line, col, start, end, value, Legacy(encoding, converted))


# --- writing -----------------------------------------------------------------------


def _small_enough(source: SourceFile, raw: bytes) -> bool:
    """Whether the entry of ``source`` would be small enough to keep, before making it.

    Without an alias (no ``*`` in the file) every value is written out once, so the
    entry is a few times the file's size at most (and its size is checked once made);
    with one, a value may be repeated at each place an alias names it (200,000 times a
    long text), so the text is counted first, stopping beyond the limit."""
    if b"*" not in raw:
        return True
    size = 0
    todo = [source.data]
    while todo:
        value = todo.pop()
        if type(value) is str:
            size += len(value)
        elif type(value) is dict:
            size += sum(map(len, value))
            todo.extend(value.values())
        elif type(value) is list:
            todo.extend(value)
        else:
            size += 8
        if size > MAX_ENTRY_BYTES:
            return False
    return True


def _write(file: Path, blob: bytes) -> None:
    """Write ``file`` atomically (its folders made, only the user's); passed over on
    any OSError."""
    temporary = file.with_name(f".{file.stem}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        try:
            fd = os.open(temporary, _OPEN_FLAGS, 0o600)
        except FileNotFoundError:  # the first entry in its folder
            for folder in (file.parent.parent.parent, file.parent.parent, file.parent):
                os.makedirs(folder, mode=0o700, exist_ok=True)
            fd = os.open(temporary, _OPEN_FLAGS, 0o600)
        try:
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        _put_in_place(temporary, file)
    except OSError:
        _remove(temporary)


def _put_in_place(temporary: Path, file: Path) -> None:
    """Rename ``temporary`` to ``file``, replacing it: ``os.rename`` does so atomically on
    POSIX. (Not ``os.replace``: the documents' writes go through that one, and a test
    that stops a run at its n-th call counts theirs, not the cache's.) On Windows an
    entry already there is replaced the other way."""
    try:
        os.rename(temporary, file)
    except FileExistsError:  # Windows
        os.replace(temporary, file)


def _remove(file: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(file)


_last_prune_check = 0.0


def _prune_now_and_then(root: Path) -> None:
    """Remove the least recently used entries when there are too many, counted at most
    once an hour (a marker file's time says when they were last counted)."""
    global _last_prune_check
    now = time.time()
    if now - _last_prune_check < _PRUNE_EVERY:
        return
    _last_prune_check = now
    marker = root / ".pruned"
    try:
        if now - os.stat(marker).st_mtime < _PRUNE_EVERY:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    with contextlib.suppress(OSError):
        marker.touch()
        prune(root)


def prune(root: Path, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_TOTAL_BYTES) -> None:
    """Remove from the entries under ``root`` the least recently used ones until at
    most four fifths of ``max_entries`` and of ``max_bytes`` are left, when there are
    more than that; temporary files an hour old (a writer killed) go too."""
    entries: list[tuple[float, int, str]] = []
    old = time.time() - 3600
    with os.scandir(root) as folders:
        for folder in folders:
            if not folder.is_dir(follow_symlinks=False):
                continue
            with os.scandir(folder.path) as items:
                for item in items:
                    try:
                        info = item.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if item.name.endswith(".tmp"):
                        if info.st_mtime < old:
                            _remove(Path(item.path))
                    elif item.name.endswith(".json") and stat.S_ISREG(info.st_mode):
                        entries.append((info.st_mtime, info.st_size, item.path))
    total = sum(size for _, size, _ in entries)
    if len(entries) <= max_entries and total <= max_bytes:
        return
    entries.sort()
    keep_entries, keep_bytes = max_entries * 4 // 5, max_bytes * 4 // 5
    count = len(entries)
    for _, size, name in entries:
        if count <= keep_entries and total <= keep_bytes:
            break
        _remove(Path(name))
        count -= 1
        total -= size
