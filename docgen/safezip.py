"""Bounded reading of the zip packages users hand over (.docx, .xlsx), and XML without DTDs.

A .docx or .xlsx is a zip of XML parts. A hostile one can hold a part that inflates to
gigabytes from a few kilobytes (a zip bomb), thousands of parts, names that climb out of the
package (``../``), or XML with a DTD whose entities expand without end. Every package a user
gives docgen (templates, the ward office's overrides, audited files, roster workbooks) is read
through :func:`read_package`: the part count, each part's and the whole's inflated size and
the compression ratio are checked against :class:`ZipLimits` while the parts are streamed, so
no more than a limit plus one chunk is ever inflated. :func:`parse_xml` parses a part with
lxml with no DTD loaded, no entity resolved and no network, and refuses a document type
declaration outright. Both raise :class:`~docgen.errors.PackageError` with a Vietnamese reason.

The limits are data (:data:`DOCX_LIMITS`, :data:`XLSX_LIMITS`); the numbers are far above any
real Party document or roster (the sample's largest part is under 200 KB) and far below what
would exhaust memory on a ward office's computer.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from lxml import etree

from docgen.errors import PackageError

__all__ = [
    "DOCX_LIMITS",
    "XLSX_LIMITS",
    "XML_OPTIONS",
    "ZipLimits",
    "check_part_name",
    "parse_xml",
    "read_package",
    "refuse_doctype",
]

_MIB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """How much a package may hold once inflated.

    Attributes:
        max_parts: Parts in the zip directory.
        max_part_bytes: One part, inflated.
        max_total_bytes: All parts together, inflated.
        max_ratio: Inflated size over stored size of one part...
        ratio_from_bytes: ...checked only for parts inflating beyond this (small XML parts
            of repeated markup compress 50-100 times and are harmless).
    """

    max_parts: int = 1000
    max_part_bytes: int = 32 * _MIB
    max_total_bytes: int = 96 * _MIB
    max_ratio: int = 100
    ratio_from_bytes: int = 1 * _MIB


# A Party document's template: text parts under 1 MB, a few images (a seal, a logo).
DOCX_LIMITS = ZipLimits()
# A roster workbook: 7,000 members is about 3 MB of sheet XML; one sheet and shared strings.
XLSX_LIMITS = ZipLimits(max_parts=500, max_part_bytes=32 * _MIB, max_total_bytes=64 * _MIB)

# Part names a package may use: relative, forward slashes, no "..", no drive, no control.
_BAD_NAME = re.compile(r"(^/)|(\\)|(^[A-Za-z]:)|((^|/)\.\.?(/|$))|([\x00-\x1f])|(//)")


def check_part_name(name: str) -> None:
    """Refuse a part name that is absolute, climbs out (``..``) or is otherwise unsafe."""
    if not name or _BAD_NAME.search(name):
        raise PackageError(f"tên phần không an toàn «{name[:80]}»")


def _size(count: int) -> str:
    if count >= _MIB:
        return f"{count / _MIB:.0f} MB"
    return f"{max(1, count // 1024)} KB"


def read_package(data: bytes, limits: ZipLimits = DOCX_LIMITS) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every part of a zip package, inflated within ``limits``, in the directory's order.

    Raises:
        PackageError: not a zip, a damaged or encrypted part, an unsafe or repeated part name,
            too many parts, a part or the whole too big once inflated, a zip-bomb ratio.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error):
        raise PackageError("không phải tệp nén Office (zip) đọc được") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_parts:
            raise PackageError(f"có {len(infos)} phần, quá giới hạn {limits.max_parts} phần")
        seen: set[str] = set()
        declared = 0
        for info in infos:
            check_part_name(info.filename)
            folded = info.filename.lower()
            if folded in seen:
                raise PackageError("tên phần bị lặp", info.filename)
            seen.add(folded)
            declared += info.file_size
            _check_part(info.filename, info.file_size, info.compress_size, limits)
        if declared > limits.max_total_bytes:
            raise PackageError(
                f"giải nén ra {_size(declared)}, quá giới hạn {_size(limits.max_total_bytes)}"
            )
        parts: list[tuple[zipfile.ZipInfo, bytes]] = []
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            body = _inflate(archive, info, limits, limits.max_total_bytes - total)
            total += len(body)
            parts.append((info, body))
    return parts


def _check_part(name: str, size: int, stored: int, limits: ZipLimits) -> None:
    if size > limits.max_part_bytes:
        raise PackageError(
            f"giải nén ra {_size(size)}, quá giới hạn {_size(limits.max_part_bytes)} cho một phần", name
        )
    if size > limits.ratio_from_bytes and size > limits.max_ratio * max(stored, 1):
        raise PackageError(
            f"nén {size // max(stored, 1)} lần (quá {limits.max_ratio} lần): có dấu hiệu "
            "«bom nén», không đọc",
            name,
        )


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, room: int) -> bytes:
    """One part streamed, never trusting the directory's declared size."""
    cap = min(limits.max_part_bytes, room)
    buffer = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                buffer += chunk
                if len(buffer) > cap:
                    if cap < limits.max_part_bytes:
                        raise PackageError(
                            f"các phần giải nén ra quá giới hạn {_size(limits.max_total_bytes)}",
                            info.filename,
                        )
                    _check_part(info.filename, len(buffer), info.compress_size, limits)
                    raise PackageError(f"giải nén ra quá {_size(cap)}", info.filename)
                if len(buffer) > limits.ratio_from_bytes:
                    _check_part(info.filename, len(buffer), info.compress_size, limits)
    except PackageError:
        raise
    except RuntimeError:  # zipfile: an encrypted part
        raise PackageError("phần được đặt mật khẩu, không đọc được", info.filename) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error):
        raise PackageError("phần bị hỏng, không giải nén được", info.filename) from None
    return bytes(buffer)


# lxml's settings for every XML part of a user's package: no DTD loaded, no entity
# resolved, nothing fetched, no huge-tree mode (xlsx.py streams with the same).
XML_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}


def refuse_doctype(tree: Any, part: str | None = None) -> None:
    """Refuse a parsed document (element or tree) that has a document type declaration."""
    info = tree.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise PackageError("có khai báo DOCTYPE (DTD, thực thể), văn bản Office không dùng tới", part)


def parse_xml(data: bytes, part: str | None = None) -> Any:
    """An XML part parsed with no DTD, no entity and no network.

    Raises:
        PackageError: a document type declaration (DTD, entities), or XML that is not
            well formed (the parser's line and column given).
    """
    try:
        root = etree.fromstring(data, etree.XMLParser(**XML_OPTIONS))
    except etree.XMLSyntaxError as exc:
        where = f" ở dòng {exc.lineno}, cột {exc.offset}" if exc.lineno else ""
        raise PackageError(f"XML hỏng{where}", part) from None
    if root is None:
        raise PackageError("XML rỗng", part)
    refuse_doctype(root, part)
    return root
