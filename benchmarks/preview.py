"""Page preview of a quarterly report: LibreOffice warm against cold.

    python benchmarks/preview.py [--runs 5] [--resolution 60]

Renders the sample's quarterly report of to-dan-pho-5 for 2026 Q3 (a draft, from a
copy of data/), then times ``Previewer.pages`` (docgen/preview.py: .docx to PDF in
LibreOffice, PDF to PNG with pdftoppm), printing min and median of N runs each:

* cold: a new Previewer each run, with an empty cache (LibreOffice starts every time);
* cold without the warm helper: what a machine without LibreOffice's Python binding
  (python3-uno) gets, one ``soffice --convert-to`` per call;
* warm: one Previewer (LibreOffice started once, before the timed runs), its cache
  emptied before each run;
* a cache hit.

The last line is the ratio of the cold median to the warm median. Target (issue #14):
warm under 3 s on 2 cores. This is a benchmark, not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import docgen.preview as preview  # noqa: E402
from docgen.pipeline import render_documents  # noqa: E402
from docgen.preview import Previewer  # noqa: E402
from docgen.workspace import load_workspace  # noqa: E402


def _report(tmp: Path) -> Path:
    data = tmp / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    render_documents(
        load_workspace(data), "bao-cao-quy", year=2026, quarter=3, cells=["to-dan-pho-5"],
        output_root=tmp / "out", draft=True,
    )
    (found,) = (tmp / "out/ngoc-ha/to-dan-pho-5/2026").glob("bao-cao-quy-3*.docx")
    return found


def _timed(runs: int, once: Callable[[int], int]) -> tuple[list[float], int]:
    seconds = []
    pages = 0
    for i in range(runs):
        started = time.perf_counter()
        pages = once(i)
        seconds.append(time.perf_counter() - started)
    return seconds, pages


def _show(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def _line(name: str, seconds: list[float]) -> str:
    return (
        f"{name}: min {_show(min(seconds))}, trung vị {_show(statistics.median(seconds))} "
        f"({len(seconds)} lần)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--resolution", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        docx = _report(tmp)

        def cold(i: int) -> int:
            with Previewer(tmp / f"lanh-{i}", resolution=args.resolution) as previewer:
                return len(previewer.pages(docx))

        cold_s, pages = _timed(args.runs, cold)
        print(f"báo cáo quý III/2026 của to-dan-pho-5: {pages} trang, {args.resolution} dpi, {os.cpu_count()} lõi")
        print(_line("lạnh (Previewer mới, bộ nhớ đệm trống)", cold_s))

        uno_pythons = preview._uno_pythons
        preview._uno_pythons = lambda soffice: []  # type: ignore[assignment]
        try:
            def plain(i: int) -> int:
                with Previewer(tmp / f"khong-uno-{i}", resolution=args.resolution) as previewer:
                    return len(previewer.pages(docx))

            plain_s, _ = _timed(args.runs, plain)
        finally:
            preview._uno_pythons = uno_pythons  # type: ignore[assignment]
        print(_line("lạnh, không có python3-uno (mỗi lần một soffice --convert-to)", plain_s))

        cache = tmp / "am"
        with Previewer(cache, resolution=args.resolution) as previewer:
            previewer.pages(docx)  # LibreOffice starts here, untimed
            warm_started = previewer.warm

            def warm(i: int) -> int:
                shutil.rmtree(cache, ignore_errors=True)
                return len(previewer.pages(docx))

            warm_s, _ = _timed(args.runs, warm)
            hit_s, _ = _timed(args.runs, lambda i: len(previewer.pages(docx)))
        if not warm_started:
            print("(không có LibreOffice chạy sẵn: thiếu python3-uno? các lần 'ấm' đều là lạnh)")
        print(_line("ấm (cùng Previewer, xoá bộ nhớ đệm mỗi lần)", warm_s))
        print(_line("có sẵn trong bộ nhớ đệm", hit_s))
        ratio = statistics.median(cold_s) / statistics.median(warm_s)
        print(f"ấm nhanh hơn lạnh {ratio:.1f} lần (trung vị); mục tiêu: ấm dưới 3 s")


if __name__ == "__main__":
    main()
