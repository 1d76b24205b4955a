"""Only regular files are read, never beyond a limit (docgen/userfile.py), issue 20."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.errors import FileRefused
from docgen.userfile import read_regular


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 5000)
    assert read_regular(path, 5000) == b"x" * 5000


def test_a_file_over_the_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(FileRefused, match=r"tệp quá lớn \(3,0 MB; tối đa 1,0 MB\)") as caught:
        read_regular(path, 1024 * 1024)
    assert caught.value.size == 3 * 1024 * 1024


def test_a_symlink_to_dev_zero_is_refused_not_read_forever(tmp_path: Path) -> None:
    link = tmp_path / "quy-3.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(FileRefused, match="không phải tệp thường"):
        read_regular(link, 1024)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "quy-3.yaml"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match="không phải tệp thường"):
        read_regular(fifo, 1024)


def test_a_folder_and_a_missing_file_are_os_errors(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_regular(tmp_path, 1024)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "none.yaml", 1024)


def test_a_file_that_lies_about_its_size_is_still_bounded(tmp_path: Path) -> None:
    # /proc files report size 0 but hold content: the read stops at limit + 1.
    proc = Path("/proc/self/maps")
    if not proc.exists():
        pytest.skip("no /proc")
    with pytest.raises(FileRefused, match="tệp quá lớn"):
        read_regular(proc, 10)
