"""Files that are not files (issue 20, finding 8): a data file or a rule set that is a FIFO
or a symlink to ``/dev/zero`` is refused, located, without hanging or filling memory.

On the main branch before the fix, a FIFO ``quy-3.yaml`` made ``docgen check`` wait
forever, ``/dev/zero`` was read until memory ran out (``stat`` says size 0), and a FIFO
``chi-bo.yaml`` or ``dang-bo.yaml`` was called missing. Every case runs the real command
line under a memory ceiling and a time limit (tests/bounded.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.bounded import PEAK_LIMIT_MB, run_bounded
from tests.conftest import edit_yaml

NOT_REGULAR = "không phải tệp thường (thiết bị, ống FIFO hay socket), không đọc"

DATA_FILES = [
    "chi-bo/to-dan-pho-5/2026/quy-3.yaml",
    "chi-bo/to-dan-pho-5/chi-bo.yaml",
    "chi-bo/to-dan-pho-5/dang-vien.yaml",
    "dang-bo.yaml",
]


def _make(path: Path, kind: str) -> None:
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


def _refused(ws: Path, args: list[str], expected: str) -> None:
    result = run_bounded(args, ws, memory_mb=1024, timeout=30)
    assert result.seconds < 30, "docgen hung on a file that is not a regular file"
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output
    assert f"Lỗi: {expected}" in result.stderr, result.output
    assert result.peak_mb < PEAK_LIMIT_MB


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("rel", DATA_FILES)
def test_a_data_file_that_is_not_a_file_is_refused_located(sample_ws: Path, rel: str, kind: str) -> None:
    _make(sample_ws / rel, kind)
    _refused(sample_ws, ["check"], f"{rel}: {NOT_REGULAR}")


def test_a_rule_set_that_is_a_fifo_is_refused_located(sample_ws: Path) -> None:
    (sample_ws / "quy-tac").mkdir()
    os.mkfifo(sample_ws / "quy-tac" / "bo.yaml")
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac/bo.yaml")
    _refused(sample_ws, ["check"], f"quy-tac/bo.yaml: {NOT_REGULAR}")


def test_a_rule_set_linked_to_dev_zero_is_refused_located(sample_ws: Path) -> None:
    (sample_ws / "bo.yaml").symlink_to("/dev/zero")
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: bo.yaml")
    _refused(sample_ws, ["check"], "dang-bo.yaml:41:15: cai_dat.bo_quy_tac: bộ quy tắc 'bo.yaml' (/dev/zero)")


def test_a_workspace_given_by_w_with_a_fifo_ward_file(sample_ws: Path) -> None:
    _make(sample_ws / "dang-bo.yaml", "fifo")
    _refused(sample_ws.parent, ["check", "-w", "data"], f"data/dang-bo.yaml: {NOT_REGULAR}")



@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_fix_text_over_the_workspace_refuses_a_file_that_is_not_a_file(sample_ws: Path, kind: str) -> None:
    # fix-text lists every .yaml of the workspace and reads each
    rel = "chi-bo/to-dan-pho-5/2026/quy-3.yaml"
    _make(sample_ws / rel, kind)
    _refused(sample_ws, ["fix-text"], f"{rel}: {NOT_REGULAR}")
