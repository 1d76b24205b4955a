"""The quarter-end load benchmark (benchmarks/bench_ward.py) runs end to end on a small
ward: secretaries sign in and save, the batch runs from the browser, a backup is taken
and restored, and every check the benchmark makes passes (exit 0). The figures
themselves are the benchmark's to print, never asserted here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_the_ward_load_benchmark_runs_and_finds_no_lost_write() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_ward.py"), "--secretaries", "3", "--saves", "2",
         "--minutes", "0.25", "--members", "8"],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    assert "lưu biểu mẫu quý" in out and "p95" in out
    assert "Lần lưu được nhận: 3 chi bộ có lần lưu cuối; lỗi: 0" in out
    assert "Lô cả phường (từ trình duyệt):" in out and "docgen backup giữa lúc tải:" in out
    assert "trùng 0" in out
