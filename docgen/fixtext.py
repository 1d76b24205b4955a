"""``docgen fix-text``: text pasted in a legacy encoding converted in place.

The values the loader found (``SourceFile.legacy``, docgen/legacytext.py) are converted
where they stand in the file's text, so comments, quoting and layout stay as the
secretary wrote them; the file is never dumped again. Each changed file is read back and
must hold the same data with only those values converted, or nothing is written. Before
a file is replaced its original bytes are kept beside it (``quy-3.yaml.bak``, or
``quy-3.yaml.bak2`` and on when that name is taken); backups and files are written all
or none (``output.write_all``).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from docgen.errors import Collector, InputError, Problem, UsageError, display_path, unreadable
from docgen.legacytext import convert
from docgen.output import write_all
from docgen.yamlsource import (
    LegacyValue,
    SourceFile,
    decode_text,
    format_path,
    parse_text,
    read_bytes,
)

__all__ = ["FixTextResult", "TextFix", "fix_text"]

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class TextFix:
    """One value converted: where it is, the encoding it was in, before and after."""

    file: str
    line: int
    col: int
    field: str
    encoding: str
    before: str
    after: str


@dataclass
class FixTextResult:
    """What ``fix_text`` changed.

    Attributes:
        fixes: The values converted, by file and position.
        files: The files rewritten.
        backups: The copies of their originals, in the same order.
    """

    fixes: list[TextFix] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)


def fix_text(workspace: Path, files: Sequence[Path] = ()) -> FixTextResult:
    """Convert every value pasted in TCVN3 or VNI to Unicode, in ``files`` (default:
    every ``.yaml``/``.yml`` file under ``workspace``).

    Raises:
        UsageError: the workspace folder does not exist (when no file is named).
        InputError: a file cannot be read or parsed, or a value cannot be converted in
            place (told at it); nothing is written then.
        OutputError: a file or backup could not be written; nothing is changed.
    """
    paths = list(files) if files else _yaml_files(workspace)
    collector = Collector()
    plans: list[tuple[Path, bytes, bytes, list[TextFix]]] = []
    for path in paths:
        planned = collector.run(partial(_plan, path))
        if planned is not None and planned[2]:
            plans.append((path, *planned))
    collector.raise_if_any()
    result = FixTextResult()
    staged: list[tuple[Path, bytes]] = []
    for path, original, changed, fixes in plans:
        backup = _backup_name(path)
        staged += [(backup, original), (path, changed)]
        result.fixes += fixes
        result.files.append(path)
        result.backups.append(backup)
    if staged:
        write_all(staged)
    return result


def _yaml_files(root: Path) -> list[Path]:
    try:
        if not root.is_dir():
            raise UsageError(f"không tìm thấy thư mục dữ liệu {display_path(root)}")
    except OSError as exc:
        raise InputError([unreadable(exc, root)]) from None
    found: list[Path] = []

    def failed(exc: OSError) -> None:
        raise InputError([unreadable(exc, root)])

    for folder, dirs, names in os.walk(root, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / n for n in names if n.endswith((".yaml", ".yml"))]
    return sorted(found)


def _plan(path: Path) -> tuple[bytes, bytes, list[TextFix]]:
    """The file's bytes, its converted bytes and what changed (nothing to change: no fix)."""
    display = display_path(path)
    # read once (a regular file, bounded: yamlsource.read_bytes), parsed from those bytes
    original = read_bytes(path, display)
    text = decode_text(original, display)
    source = parse_text(text, path, display)
    if not source.legacy:
        return b"", b"", []
    edited = text
    done: set[tuple[int, int]] = set()  # a value read twice through an alias is one place
    for value in sorted(source.legacy, key=lambda v: v.start, reverse=True):
        if (value.start, value.end) in done:
            continue
        done.add((value.start, value.end))
        scalar = edited[value.start : value.end]
        edited = edited[: value.start] + convert(scalar, value.found.encoding) + edited[value.end :]
    _check_converted(source, edited)
    bom = _BOM if original.startswith(_BOM) else b""
    fixes = [
        TextFix(display, v.line, v.col, format_path(v.path), v.found.encoding_name, v.value, v.found.converted)
        for v in source.legacy
    ]
    return original, bom + edited.encode("utf-8"), fixes


def _check_converted(source: SourceFile, edited: str) -> None:
    """The edited text must read as the same data with only the found values converted."""
    expected = copy.deepcopy(source.data)
    for value in source.legacy:
        expected = _set(expected, value.path, value.found.converted)
    try:
        data = parse_text(edited, source.path, source.display).data
    except InputError:
        data = None
    if data == expected:
        return
    wrong = [v for v in source.legacy if _get(data, v.path) != v.found.converted]
    raise InputError([_not_converted(source, v) for v in wrong or source.legacy])


def _not_converted(source: SourceFile, value: LegacyValue) -> Problem:
    return source.problem(
        value.path,
        f"không tự chuyển được chữ theo bảng mã cũ {value.found.encoding_name} ở giá trị này",
        hint=f"hãy sửa tay thành «{value.found.converted}»",
    )


def _set(data: Any, path: tuple[str | int, ...], value: str) -> Any:
    if not path:
        return value
    data[path[0]] = _set(data[path[0]], path[1:], value)
    return data


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _backup_name(path: Path) -> Path:
    """``<file>.bak``, or ``<file>.bak2``, ``.bak3``... when that name is taken."""
    candidate = path.with_name(path.name + ".bak")
    number = 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = path.with_name(f"{path.name}.bak{number}")
    return candidate
