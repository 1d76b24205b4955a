"""Speed and memory of quarter-end production, measured against baselines in one run.

    python benchmarks/bench_batch.py [--cells 200] [--members 25] [--pdf-docs 50] [--no-pdf]

Builds a synthetic ward (tests/synthetic.py) and prints, one per line:

* the naive docxtpl loop (``DocxTemplate(path).render(ctx, autoescape=True); save()``)
  and docgen's renderer on the same templates and contexts, per document (best of 3
  rounds each, docgen's compile included in every round);
* a whole batch: every cell's quarterly report plus the ward summary, wall time on
  all cores, and the peak memory of the main and of the worker processes;
* PDF conversion of N documents: one ``soffice`` process per file, against docgen's
  converter (many files per process, one process per core);
* ``docgen --help`` start-up time, against a bare ``python -c pass``.

The last line is the per-document ratio against the naive loop. Targets (issue #7):
per-document ratio >= 5, batch < 10 s on 2 cores, peak memory < 500 MB per process,
PDF ratio >= 3, --help < 0.3 s. This is a benchmark, not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docgen.batch import run_batch  # noqa: E402
from docgen.documents import get_kind  # noqa: E402
from docgen.templates import BUILTIN_DIR, Renderer  # noqa: E402
from docgen.workspace import load_workspace  # noqa: E402
from tests.synthetic import build_ward  # noqa: E402


def _contexts(ws_root: Path, count: int) -> list[tuple[str, dict]]:
    ws = load_workspace(ws_root)
    kind = get_kind("bao-cao-quy")
    out = []
    for cell_id in ws.cell_ids()[:count]:
        (item,) = kind.prepare(ws, ws.load_cell(cell_id), 2026, 3)
        out.append((item.template, item.context))
    return out


def bench_render(ws_root: Path, docs: int, rounds: int = 3) -> tuple[float, float]:
    """Seconds per document: naive docxtpl loop, docgen's compiled renderer.

    Each round runs both loops over the same contexts, docgen's with a fresh Renderer
    (so its one-time template check and compile is paid every round); the best round of
    each is kept, as timeit does, because a shared 2-core machine's noise only adds time.
    """
    from docxtpl import DocxTemplate

    contexts = _contexts(ws_root, docs)
    naive_rounds, our_rounds = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for template, context in contexts:
            doc = DocxTemplate(str(BUILTIN_DIR / template))
            doc.render(context, autoescape=True)
            doc.save(io.BytesIO())
        naive_rounds.append((time.perf_counter() - start) / len(contexts))
        renderer = Renderer()
        start = time.perf_counter()
        for template, context in contexts:
            renderer.template(BUILTIN_DIR / template).render(context)
        our_rounds.append((time.perf_counter() - start) / len(contexts))
    return min(naive_rounds), min(our_rounds)


def bench_batch(ws_root: Path, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = run_batch(ws_root, year=2026, quarter=3, output_root=out, jobs=os.cpu_count())
    seconds = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"batch failed: {result.failed[0].errors[:2]}")
    return seconds, len(result.records)


def bench_pdf(files: list[Path], tmp: Path) -> tuple[float, float]:
    from docgen.pdf import convert, find_soffice

    soffice = find_soffice()
    one_by_one = tmp / "tung-tep"
    one_by_one.mkdir()
    start = time.perf_counter()
    for i, path in enumerate(files):
        profile = (tmp / f"lo-{i}").resolve().as_uri()
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(one_by_one), str(path)],
            check=True, capture_output=True, timeout=120,
        )
    naive = time.perf_counter() - start
    batch_dir = tmp / "gom"
    batch_dir.mkdir()
    copies = []
    for i, path in enumerate(files):
        target = batch_dir / f"{i:03d}.docx"
        shutil.copy(path, target)
        copies.append(target)
    start = time.perf_counter()
    result = convert(copies, workers=os.cpu_count() or 1, profile_root=tmp / "lo-gom")
    ours = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"pdf failed: {result.failed}")
    return naive, ours


def bench_help() -> tuple[float, float]:
    def best(cmd: list[str]) -> float:
        times = []
        for _ in range(7):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return min(times)

    return best([sys.executable, "-m", "docgen", "--help"]), best([sys.executable, "-c", "pass"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument("--render-docs", type=int, default=40)
    parser.add_argument("--pdf-docs", type=int, default=50)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        ws = build_ward(tmp, args.cells, args.members)
        print(f"phường tổng hợp: {args.cells} chi bộ x {args.members} đảng viên, {os.cpu_count()} lõi")

        help_s, python_s = bench_help()
        print(f"docgen --help: {help_s:.3f} s (python -c pass: {python_s:.3f} s)")

        seconds, docs = bench_batch(ws, tmp / "out")
        self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"batch: {docs} văn bản ({args.cells} báo cáo quý + tổng hợp) trong {seconds:.2f} s")
        print(f"bộ nhớ đỉnh: tiến trình chính {self_mb:.0f} MB, tiến trình con lớn nhất {child_mb:.0f} MB")

        if not args.no_pdf:
            files = sorted((tmp / "out").rglob("bao-cao-quy-3.docx"))[: args.pdf_docs]
            naive_pdf, ours_pdf = bench_pdf(files, tmp)
            print(
                f"PDF {len(files)} văn bản: mỗi tệp một soffice {naive_pdf:.1f} s, docgen {ours_pdf:.1f} s, "
                f"nhanh hơn {naive_pdf / ours_pdf:.1f} lần"
            )

        naive, ours = bench_render(ws, args.render_docs)
        print(
            f"mỗi văn bản: docxtpl thường {naive * 1000:.1f} ms, docgen {ours * 1000:.1f} ms"
        )
        print(f"tỷ lệ mỗi văn bản so với vòng lặp docxtpl thường: {naive / ours:.1f} lần")


if __name__ == "__main__":
    main()
