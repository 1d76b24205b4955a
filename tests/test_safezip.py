"""Bounded zip reading and DTD-free XML (docgen/safezip.py), issue 20."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pytest

from docgen.errors import PackageError
from docgen.safezip import DOCX_LIMITS, ZipLimits, check_part_name, parse_xml, read_package


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_normal_package_is_read_whole_in_order() -> None:
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>" * 1000}
    read = read_package(_zip(parts))
    assert [(i.filename, d) for i, d in read] == list(parts.items())


def test_a_zip_bomb_part_is_refused_by_its_ratio_without_inflating_it() -> None:
    bomb = _zip({"word/document.xml": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(PackageError, match="bom nén") as caught:
        read_package(bomb)
    assert caught.value.part == "word/document.xml"


def test_a_part_over_its_limit_is_refused_whatever_its_ratio() -> None:
    data = bytearray(_zip({"a.xml": b"x" * (40 * 1024 * 1024)}, zipfile.ZIP_DEFLATED))
    for info in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist():
        assert info.file_size == 40 * 1024 * 1024
    limits = ZipLimits(max_part_bytes=1024 * 1024, max_ratio=10**9)
    with pytest.raises(PackageError, match="40 MB, quá giới hạn 1 MB cho một phần"):
        read_package(bytes(data), limits)


def test_too_many_parts_and_too_much_in_all_are_refused() -> None:
    many = _zip({f"p{i}.xml": b"<a/>" for i in range(DOCX_LIMITS.max_parts + 1)})
    with pytest.raises(PackageError, match="quá giới hạn 1000 phần"):
        read_package(many)
    limits = ZipLimits(max_total_bytes=1000, max_ratio=10**9)
    with pytest.raises(PackageError, match="quá giới hạn"):
        read_package(_zip({"a.xml": b"a" * 600, "b.xml": b"b" * 600}), limits)


@pytest.mark.parametrize(
    "name", ["../evil.xml", "word/../../x", "/etc/passwd", "C:/x.xml", "word\\x.xml", "a//b", "a/./b"]
)
def test_unsafe_part_names_are_refused(name: str) -> None:
    with pytest.raises(PackageError, match="không an toàn"):
        check_part_name(name)
    with pytest.raises(PackageError, match="không an toàn"):
        read_package(_zip({name: b"<a/>"}))


def test_not_a_zip_and_a_truncated_zip_are_package_errors() -> None:
    with pytest.raises(PackageError, match="không phải tệp nén"):
        read_package(b"hello")
    whole = _zip({"word/document.xml": b"<w/>" * 5000})
    with pytest.raises(PackageError):
        read_package(whole[: len(whole) // 2])


def test_xml_with_a_doctype_or_entities_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>'
    )
    with pytest.raises(PackageError, match="DOCTYPE"):
        parse_xml(laughs, "word/styles.xml")
    external = b'<!DOCTYPE r SYSTEM "http://127.0.0.1:1/x.dtd"><r/>'
    with pytest.raises(PackageError, match="DOCTYPE"):
        parse_xml(external)


def test_broken_xml_is_located_in_vietnamese() -> None:
    with pytest.raises(PackageError, match="XML hỏng ở dòng 2") as caught:
        parse_xml(b"<a>\n<b></a>", "word/document.xml")
    assert "phần word/document.xml" in str(caught.value)
    assert parse_xml(b"<a><b/></a>").tag == "a"


def test_every_damaged_deflate_stream_is_a_package_error() -> None:
    # Byte flips inside the compressed data: zlib.error, BadZipFile or a CRC mismatch,
    # each a PackageError (the xlsx fuzz found zlib.error escaping).
    whole = _zip({"word/document.xml": bytes(range(256)) * 400})
    start = 30 + len("word/document.xml")
    for offset in range(start, start + 200, 7):
        damaged = bytearray(whole)
        damaged[offset] ^= 0xFF
        with contextlib.suppress(PackageError):
            read_package(bytes(damaged))
