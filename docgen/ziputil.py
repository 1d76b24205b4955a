"""Deterministic zip packages: the same parts give the same bytes.

A .docx or .xlsx is a zip file. Every package docgen writes (rendered documents, the
built-in templates, the print bundle, the roster workbook) stores each part with one
fixed timestamp, the same permissions and deflate compression, so the same content
always gives byte-identical files (golden tests, repeatable builds, the register's
file hashes).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator

__all__ = ["ZIP_DATE", "normalise_zip", "write_entry", "write_zip"]

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
