"""Read a file a user named, only if it is a regular file, and never more than a limit.

``Path.read_bytes`` trusts the path: a symlink to ``/dev/zero`` reports size 0 and reads
until memory runs out, a FIFO blocks forever, ``stat`` before ``open`` races with a file
swapped in between. :func:`read_regular` opens first (non-blocking, so a FIFO cannot hang
the open), checks the *opened* file with ``fstat``, and reads at most ``limit + 1`` bytes
whatever size the file claims. Every user file docgen reads (YAML, rule sets, templates,
audited documents, spreadsheets) goes through it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from docgen.errors import FileRefused
from docgen.formatting import decimal

__all__ = ["NOT_REGULAR", "read_regular"]

NOT_REGULAR = "không phải tệp thường (thiết bị, ống FIFO hay socket), không đọc"
_CHUNK = 1024 * 1024


def _megabytes(count: int) -> str:
    whole = count / 1024 / 1024
    return decimal(whole, 1 if whole < 10 else 0, keep_zeros=True)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises:
        FileRefused: not a regular file, or larger than ``limit`` (``size`` set).
        OSError: missing, a folder (``IsADirectoryError``), no permission...
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(NOT_REGULAR)
        if info.st_size > limit:
            raise FileRefused(_too_big(info.st_size, limit), info.st_size)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(_CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileRefused(_too_big(total, limit), total)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_big(size: int, limit: int) -> str:
    return f"tệp quá lớn ({_megabytes(size)} MB; tối đa {_megabytes(limit)} MB)"
