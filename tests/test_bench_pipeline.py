"""The whole-pipeline benchmark (benchmarks/bench_pipeline.py): its verdicts, its memory
sampling of a process tree, and a tiny run whose last lines have the expected shape."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.bench_pipeline import Figure, Target, ratio
from benchmarks.proctree import run

REPO = Path(__file__).resolve().parent.parent


def test_verdict_says_by_how_much_a_target_is_missed() -> None:
    assert Target(2, True, "s").verdict(6.2) == "mục tiêu < 2 s: chưa đạt (x 3,1)"
    assert Target(2, True, "s").verdict(1.9) == "mục tiêu < 2 s: đạt"
    assert Target(5, False).verdict(1.6) == "mục tiêu ≥ 5: chưa đạt (x 3,1)"
    assert Target(1.7, False).verdict(1.7) == "mục tiêu ≥ 1,7: đạt"
    assert Target(0.15, True, "s").verdict(0.3) == "mục tiêu < 0,15 s: chưa đạt (x 2,0)"


def test_figure_prints_min_and_median_and_ratios_pair_by_pair() -> None:
    slow = Figure("chậm", values=[9.0, 30.0, 12.0])
    fast = Figure("nhanh", values=[3.0, 6.0, 2.0])
    assert slow.line() == "chậm: min 9,00 s, trung vị 12,00 s"
    paired = ratio("tỷ lệ", slow, fast, Target(5, False))
    assert paired.values == [3.0, 5.0, 6.0]  # round by round, not min over min
    assert paired.line() == "tỷ lệ: min 3,00 lần, trung vị 5,00 lần; mục tiêu ≥ 5: đạt"


def test_memory_is_summed_over_the_process_tree() -> None:
    # A parent holding ~60 MB whose child holds ~60 MB too: only the sum is above 100 MB.
    child = "b = bytearray(60 * 2**20); import time; time.sleep(0.6)"
    parent = (
        "import subprocess, sys\n"
        "b = bytearray(60 * 2**20)\n"
        f"subprocess.run([sys.executable, '-c', {child!r}], check=True)\n"
    )
    result = run([sys.executable, "-c", parent])
    assert result.returncode == 0
    assert result.peak_mb > 120
    assert result.seconds >= 0.6


SUMMARY_LINE = re.compile(
    r"^[^:]+(: [^:]+)?: min [\d,]+ (s|lần|MB), trung vị [\d,]+ (s|lần|MB)"
    r"(; mục tiêu [<≥] [\d,]+( s)?: (đạt|chưa đạt \(x [\d,]+\)))?$"
)


@pytest.mark.slow
def test_a_tiny_run_ends_with_the_summary() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_pipeline.py"),
         "--cells", "3", "--members", "5", "--rounds", "1", "--floor-docs", "2", "--no-pdf"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    head = max(i for i, line in enumerate(lines) if line.startswith("== tóm tắt"))
    summary = lines[head + 1:]
    for line in summary:
        assert SUMMARY_LINE.match(line), line
    labels = [line.split(": min ")[0] for line in summary]
    assert labels == [
        "toàn quy trình, lô quý -j 2: docxtpl thường / docgen",
        "toàn quy trình, lô năm -j 2: docxtpl thường / docgen",
        "mỗi văn bản: lô quý docgen -j 1 / sàn",
        "mỗi văn bản: bộ kết xuất docgen / sàn",
        "lô quý: -j 1 / -j 2",
        "lô quý, docgen -j 2, bộ đệm lạnh",
        "lô quý, docgen -j 2, bộ đệm ấm (sau docgen check)",
        "lô năm, docgen -j 2",
        "lô quý chạy lại, không có gì đổi, docgen -j 2",
        "check mẫu (data/), bộ đệm lạnh",
        "check mẫu (data/), bộ đệm ấm",
        "check 3 chi bộ, bộ đệm lạnh",
        "check 3 chi bộ, bộ đệm ấm",
        "docgen --help",
        "bộ nhớ đỉnh cộng mọi tiến trình, lô quý docgen -j 2",
    ]
    assert "mục tiêu ≥ 5" in summary[0] and "mục tiêu < 2 s" in summary[5] and "mục tiêu < 2 s" in summary[6]
    assert "4 văn bản (3 báo cáo quý + tổng hợp)" in done.stdout
    assert "4 văn bản (3 báo cáo năm + tổng hợp)" in done.stdout
