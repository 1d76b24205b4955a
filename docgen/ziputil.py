"""Deterministic zip packages: the same parts give the same bytes.

A .docx or .xlsx is a zip file. Every package docgen writes (rendered documents, the
built-in templates, the print bundle, the roster workbook) stores each part with one
fixed timestamp, the same permissions and deflate compression, so the same content
always gives byte-identical files (golden tests, repeatable builds, the register's
file hashes).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["ZIP_DATE", "ZipMember", "deflate_member", "join_members", "normalise_zip", "write_entry", "write_zip"]

# The earliest date a zip entry can hold: no build or render time leaks into a package.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """Add part ``name`` to ``archive``: fixed timestamp, mode 644, deflated."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def write_zip(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``parts`` (name, content), in the order given, each as :func:`write_entry`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts:
            write_entry(archive, name, data)
    return buffer.getvalue()


def normalise_zip(data: bytes, transform: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Re-zip with fixed timestamps and order so the same content gives the same bytes;
    ``transform(name, content)`` may rewrite a part on the way (a save time inside it)."""
    source = zipfile.ZipFile(io.BytesIO(data))

    def parts() -> Iterator[tuple[str, bytes]]:
        for info in source.infolist():
            content = source.read(info)
            yield info.filename, transform(info.filename, content) if transform else content

    return write_zip(parts())


# ---------------------------------------------------------------- precompressed members
# A rendered document copies most of its template's parts unchanged (styles, fonts, theme,
# settings, images). Python's zipfile deflates every part it is given, so write_zip would
# deflate the same bytes again for every document. A ZipMember is one part already
# deflated exactly as write_entry does it; join_members lays members out as the bytes
# write_zip produces for the same parts. Only what write_entry writes is covered: one
# fixed date, mode 644, deflate at zlib's default level, no comment, no extra field, no
# data descriptor (the buffer is seekable) and no zip64 (docgen's packages are far below
# 2 GB and 65,535 parts: safezip.DOCX_LIMITS, render.MAX_DOCUMENT_OUTPUT).
# tests/test_render_floor.py compares the two byte for byte.
#
# The records (PKWARE APPNOTE 6.3.x §4.3.7 local file header, §4.3.12 central directory
# header, §4.3.16 end of central directory), with the values zipfile writes for a
# ZipInfo(name, ZIP_DATE) with compress_type ZIP_DEFLATED and external_attr 0o644 << 16:
# version made by 2.0 on Unix (create_version 20, create_system 3), version needed 2.0,
# general purpose flags 0 or 0x800 (a UTF-8 name, zipfile's _encodeFilenameFlags).
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
_VERSION = 20  # zipfile.DEFAULT_VERSION: deflate
_UNIX = 3  # zipfile.ZipInfo.create_system on every platform but Windows
_UTF8_NAME = 0x800
_ATTRIBUTES = 0o644 << 16
_DOS_DATE = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
_DOS_TIME = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | ZIP_DATE[5] // 2
_ZIP64_LIMIT = (1 << 31) - 1  # zipfile.ZIP64_LIMIT
_MAX_MEMBERS = 0xFFFF  # zipfile.ZIP_FILECOUNT_LIMIT


@dataclass(frozen=True)
class ZipMember:
    """One part deflated as :func:`write_entry` deflates it, to be placed by
    :func:`join_members` (as many times, in as many packages, as needed).

    Attributes:
        name: The part's name, encoded as zipfile encodes it (ASCII, else UTF-8).
        flags: The general purpose bits (0x800 for a UTF-8 name).
        crc: CRC-32 of the inflated bytes.
        size: Inflated size.
        data: The raw deflate stream.
    """

    name: bytes
    flags: int
    crc: int
    size: int
    data: bytes


def deflate_member(name: str, data: bytes) -> ZipMember:
    """Part ``name`` with content ``data``, deflated once as write_entry would.

    Raises:
        ValueError: a part so large that zipfile would write it as zip64 (never within
            docgen's limits).
    """
    if len(data) * 1.05 > _ZIP64_LIMIT:  # zipfile's own zip64 decision for writestr
        raise ValueError(f"part {name!r} too large for a package without zip64")
    name = zipfile.ZipInfo(name).filename  # the same normalisation (NUL, os.sep)
    try:
        encoded, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        encoded, flags = name.encode("utf-8"), _UTF8_NAME
    # zipfile's _ZipWriteFile: one compressobj at the default level, raw deflate (wbits
    # -15), one compress() of the whole content (writestr writes it in one call), flush().
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush()
    return ZipMember(encoded, flags, zlib.crc32(data), len(data), deflated)


def join_members(members: Iterable[ZipMember]) -> bytes:
    """The zip of ``members`` in the order given: the same bytes as :func:`write_zip` of
    their names and contents.

    Raises:
        ValueError: more members or bytes than a zip without zip64 holds (never within
            docgen's limits).
    """
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        if offset > _ZIP64_LIMIT or len(member.data) > _ZIP64_LIMIT:
            raise ValueError("package too large for a zip without zip64")
        local = _LOCAL.pack(
            b"PK\x03\x04", _VERSION, 0, member.flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
            member.crc, len(member.data), member.size, len(member.name), 0,
        )
        out += (local, member.name, member.data)
        central += (
            _CENTRAL.pack(
                b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, member.flags, zipfile.ZIP_DEFLATED,
                _DOS_TIME, _DOS_DATE, member.crc, len(member.data), member.size,
                len(member.name), 0, 0, 0, 0, _ATTRIBUTES, offset,
            ),
            member.name,
        )
        offset += len(local) + len(member.name) + len(member.data)
    count = len(central) // 2
    size = sum(len(piece) for piece in central)
    if count > _MAX_MEMBERS or offset > _ZIP64_LIMIT or size > _ZIP64_LIMIT:
        raise ValueError("package too large for a zip without zip64")
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, size, offset, 0)
    return b"".join([*out, *central, end])
