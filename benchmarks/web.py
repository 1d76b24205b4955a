"""docgen serve: server time of its pages and of saving a quarter's form.

    python benchmarks/web.py [--requests 200] [--runs 3]

Runs the application in-process (Starlette's TestClient, no network) on a copy of the
sample workspace (data/) and times, over N requests each (after one warm-up request),
the server's answer to:

* the home page (every cell, the state of each file: docgen check per cell, remembered
  until a file changes);
* a cell page;
* the quarter form of to-dan-pho-5, 2026 Q3 (309 inputs);
* saving that form (read the posted form, write the YAML keeping comments, validate the
  file, then check the whole cell), once unchanged and once with a changed value (the
  changed save alternates between two values, so every save writes the file).

It prints p50 and p95 in milliseconds of each run, and their min and median over the
runs (this machine is shared and noisy). Targets (issue #14, on 2 cores): p95 under
100 ms for pages, under 200 ms for a save. This is a benchmark, not a test: nothing fails.
The page preview (LibreOffice warm against cold) is benchmarks/preview.py.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from starlette.testclient import TestClient  # noqa: E402

from docgen.editing import cell_file, open_cell_file  # noqa: E402
from docgen.web import forms  # noqa: E402
from docgen.web.app import create_app  # noqa: E402
from docgen.workspace import load_workspace  # noqa: E402

TOKEN = "bench"
CELL = "to-dan-pho-5"
FORM = f"/chi-bo/{CELL}/tep/quy-3?nam=2026"


def _posted(ws: Path) -> dict[str, list[str]]:
    workspace = load_workspace(ws)
    file = cell_file(workspace, CELL, "quy-3", 2026)
    opened = open_cell_file(workspace, file)
    members = [(m.ma, m.ho_ten) for m in workspace.load_cell(CELL).members]
    data = forms.as_posted(forms.build(file.model, opened.data, members=members))
    data.update(_token=[TOKEN], _phien_ban=[opened.version], _luu=["1"])
    return data


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time(n: int, call: Callable[[], object]) -> tuple[float, float]:
    call()  # warm-up
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return _percentiles(times)


def one_run(n: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory(prefix="docgen-bench-web-") as tmp:
        ws = Path(tmp) / "data"
        shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
        client = TestClient(create_app(ws, output_root=Path(tmp) / "out", token=TOKEN), base_url="http://127.0.0.1")

        def get(url: str) -> Callable[[], object]:
            def call() -> object:
                answer = client.get(url)
                assert answer.status_code == 200, url
                return answer

            return call

        def save(change: bool) -> Callable[[], object]:
            turn = [0]
            other = {**unchanged, "bao_cao_quy.buoi_sinh_hoat.0.co_mat": ["24"]}
            del other["_phien_ban"]  # the page's version changes with each save

            def call() -> object:
                turn[0] += 1
                data = other if change and turn[0] % 2 else unchanged
                if change and not turn[0] % 2:
                    data = {k: v for k, v in unchanged.items() if k != "_phien_ban"}
                answer = client.post(FORM, data=data)  # type: ignore[arg-type]
                assert answer.status_code == 200, (answer.status_code, answer.text[answer.text.find("<h1>") :][:600])
                return answer

            return call

        unchanged = _posted(ws)
        return {
            "trang chủ (/)": _time(n, get("/?nam=2026&quy=3")),
            "trang chi bộ": _time(n, get(f"/chi-bo/{CELL}?nam=2026&quy=3")),
            "biểu mẫu quý III": _time(n, get(FORM)),
            "lưu biểu mẫu, không đổi": _time(n, save(False)),
            "lưu biểu mẫu, đổi một ô": _time(n, save(True)),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.requests) for _ in range(args.runs)]
    print(f"{args.requests} yêu cầu mỗi loại, {args.runs} lượt; thời gian phía máy chủ (ms)")
    print(f"{'':28} {'p50 min':>8} {'p50 med':>8} {'p95 min':>8} {'p95 med':>8}")
    for name in runs[0]:
        p50 = [run[name][0] for run in runs]
        p95 = [run[name][1] for run in runs]
        print(
            f"{name:28} {min(p50):8.1f} {statistics.median(p50):8.1f} "
            f"{min(p95):8.1f} {statistics.median(p95):8.1f}"
        )
    print("Mục tiêu (issue 14): p95 dưới 100 ms cho trang, dưới 200 ms cho lưu.")


if __name__ == "__main__":
    main()
