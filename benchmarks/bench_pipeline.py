"""docgen's whole pipeline, measured honestly (issue 19): one command, whole processes.

    python benchmarks/bench_pipeline.py [--cells 200] [--members 36] [--rounds 3]
                                        [--floor-docs 40] [--pdf-docs 50] [--no-pdf]

Builds two synthetic wards (tests/synthetic.py: ``--cells`` cells of ``--members``
members; the second with the four quarters and the annual files) and measures, each
figure ``--rounds`` times, the two sides of every comparison run alternately (A, B, A,
B...) so a shared machine's drift falls on both:

* ``docgen --help`` (a bare ``python -c pass`` beside it);
* ``docgen check`` on the sample workspace (data/) and on the synthetic ward, with a
  cold parse cache (``DOCGEN_CACHE_DIR`` a fresh empty folder) and a warm one (the same
  folder after that run);
* the whole quarterly batch (``docgen batch --quy 3``) and the whole annual batch
  (``docgen batch --nam``), each run a separate process on a fresh copy of the ward
  (imports, workers, register and writes included): docgen at ``-j 2``, against the
  same pipeline with plain docxtpl as its renderer (benchmarks/plain_docxtpl.py) at
  ``-j 2``, and docgen at ``-j 1`` (the scaling ratio); the two must write the same
  number of documents; right after docgen's ``-j 2`` run, the same command again with
  nothing changed (the re-run);
* memory: the resident memory of a run's whole process tree (main process and workers)
  summed, sampled every ~20 ms, its peak;
* per document, in this process on the same contexts: the floor (the template's XML
  parts rendered by plain Jinja, then the package zipped with zipfile, deflated),
  docgen's renderer alone, and docgen's whole batch at ``-j 1`` divided by the
  documents it wrote;
* PDF (unless ``--no-pdf``): docgen's converter against ONE ``soffice`` call for all
  the files (its own profile, made before timing), on ``--pdf-docs`` documents.

Each figure prints its min and median, and the target issue 19 states for it with a
verdict (the factor by which it is missed); verdicts use the median. The last lines sum
up the ratios and targets. A benchmark, not a test: nothing fails on a missed target;
it stops only if a run fails or the two pipelines write different numbers of documents.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.proctree import Run, run  # noqa: E402
from tests.synthetic import build_ward  # noqa: E402

PYTHON = sys.executable
PLAIN = REPO / "benchmarks" / "plain_docxtpl.py"
YEAR = 2026
QUARTER = 3
#: the parts docxtpl renders
TEMPLATED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


# -- figures --------------------------------------------------------------------------


def num(value: float, digits: int = 2) -> str:
    """A number with a decimal comma, as the Vietnamese labels write it."""
    return f"{value:.{digits}f}".replace(".", ",")


@dataclass
class Target:
    """A target of issue 19: ``value < limit`` (``below``) or ``value >= limit``."""

    limit: float
    below: bool
    unit: str = ""

    def verdict(self, value: float) -> str:
        sign = "<" if self.below else "≥"
        unit = f" {self.unit}" if self.unit else ""
        head = f"mục tiêu {sign} {num(self.limit, 2).rstrip('0').rstrip(',')}{unit}"
        met = value < self.limit if self.below else value >= self.limit
        if met:
            return f"{head}: đạt"
        if value <= 0:
            return f"{head}: chưa đạt"
        factor = value / self.limit if self.below else self.limit / value
        return f"{head}: chưa đạt (x {num(factor, 1)})"


@dataclass
class Figure:
    """One measured figure: its values, one per round."""

    label: str
    unit: str = "s"
    digits: int = 2
    target: Target | None = None
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def line(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        text = (
            f"{self.label}: min {num(min(self.values), self.digits)}{unit}, "
            f"trung vị {num(self.median, self.digits)}{unit}"
        )
        if self.target is not None:
            text += f"; {self.target.verdict(self.median)}"
        return text


def ratio(label: str, top: Figure, bottom: Figure, target: Target | None = None) -> Figure:
    """``top / bottom`` round by round (each pair run alternately in the same round)."""
    figure = Figure(label, unit="lần", target=target)
    figure.values = [a / b for a, b in zip(top.values, bottom.values, strict=True) if b > 0]
    return figure


# -- processes --------------------------------------------------------------------------


def child_env(cache: Path | None = None) -> dict[str, str]:
    """The environment of every measured process: this worktree's docgen, bytecode
    cached as a user's install has it, the parse cache in ``cache``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is not None:
        env["DOCGEN_CACHE_DIR"] = str(cache)
    return env


def checked(result: Run, what: str) -> Run:
    """``result``, or stop the benchmark: a figure of a failed run means nothing."""
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise SystemExit(f"{what}: mã thoát {result.returncode}\n{tail}")
    return result


class Scratch:
    """Fresh folders under one temporary root: workspace copies, outputs, caches."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def folder(self, name: str) -> Path:
        self.count += 1
        path = self.root / f"{name}-{self.count:03d}"
        path.mkdir(parents=True)
        return path


@dataclass
class BatchRun:
    run: Run
    documents: int
    folder: Path


def batch(
    scratch: Scratch, ward: Path, *, plain: bool, jobs: int, quarter: int | None, rerun: Figure | None = None,
    warm: bool = False,
) -> BatchRun:
    """One whole batch process on a fresh copy of ``ward`` (its register is in it) with a
    fresh parse cache; with ``rerun``, the same command once more, timed into it; with
    ``warm``, ``docgen check`` run first (not timed) so the parse cache is warm, as after
    the secretaries' saves or a check at quarter end."""
    folder = scratch.folder("lo")
    shutil.copytree(ward, folder / "data")
    cache = folder / "bo-dem"
    cache.mkdir()
    program = [PYTHON, str(PLAIN)] if plain else [PYTHON, "-m", "docgen"]
    period = ["--quy", str(quarter)] if quarter is not None else []
    cmd = [*program, "batch", "-w", "data", *period, "--nam", str(YEAR), "-o", "out", "-j", str(jobs)]
    what = f"{'docxtpl thường' if plain else 'docgen'} batch -j {jobs}"
    if warm:
        checked(run([PYTHON, "-m", "docgen", "check", "-w", "data"], env=child_env(cache), cwd=folder), "check")
    result = checked(run(cmd, env=child_env(cache), cwd=folder), what)
    documents = sum(1 for _ in (folder / "out").rglob("*.docx"))
    if rerun is not None:
        again = checked(run(cmd, env=child_env(cache), cwd=folder), what + " (chạy lại)")
        rerun.values.append(again.seconds)
    return BatchRun(result, documents, folder)


def core_xml(docx: Path) -> bytes:
    with zipfile.ZipFile(docx) as z:
        return z.read("docProps/core.xml")


def same_documents(ours: BatchRun, plain: BatchRun) -> None:
    """Both pipelines wrote the same documents, and the plain one really was plain."""
    if ours.documents != plain.documents or ours.documents == 0:
        raise SystemExit(
            f"số văn bản khác nhau: docgen {ours.documents}, docxtpl thường {plain.documents}"
        )
    names = sorted(p.relative_to(ours.folder) for p in (ours.folder / "out").rglob("*.docx"))
    if core_xml(ours.folder / names[0]) == core_xml(plain.folder / names[0]):
        raise SystemExit("docxtpl thường: văn bản mang dấu của docgen (bộ kết xuất chưa được thay)")


# -- in-process: the floor per document --------------------------------------------------


def contexts(ward: Path, count: int) -> list[tuple[str, dict]]:
    """(template, context) of the first ``count`` cells' quarterly reports."""
    from docgen.documents import get_kind
    from docgen.workspace import load_workspace

    ws = load_workspace(ward)
    kind = get_kind("bao-cao-quy")
    out = []
    for cell_id in ws.cell_ids()[:count]:
        for item in kind.prepare(ws, ws.load_cell(cell_id), YEAR, QUARTER):
            out.append((item.template, dict(item.context)))
    return out


def floor_renderer(path: Path) -> Callable[[dict], bytes]:
    """The floor for one document of ``path``: its XML parts (docxtpl's clean-up, compiled
    once) rendered by plain Jinja, then every part zipped, deflated, with zipfile."""
    import jinja2
    from docxtpl import DocxTemplate

    env = jinja2.Environment(autoescape=True)
    patch = DocxTemplate(io.BytesIO()).patch_xml
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    parts = {
        name: env.from_string(patch(data.decode("utf-8")))
        for name, data in entries
        if TEMPLATED.match(name) and b"{" in data
    }

    def render(context: dict) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in entries:
                part = parts.get(name)
                z.writestr(name, part.render(context).encode("utf-8") if part else data)
        return out.getvalue()

    return render


def per_document(ward: Path, count: int, rounds: int, floor: Figure, renderer: Figure) -> int:
    """Seconds per document of the floor and of docgen's renderer (compiled before),
    alternately on the same contexts. Returns the number of documents."""
    from docgen.templates import BUILTIN_DIR, Renderer

    work = contexts(ward, count)
    floors = {name: floor_renderer(BUILTIN_DIR / name) for name in {t for t, _ in work}}
    ours = Renderer()
    compiled = {name: ours.template(BUILTIN_DIR / name) for name in floors}
    for _ in range(rounds):
        start = time.perf_counter()
        for name, context in work:
            floors[name](context)
        floor.values.append((time.perf_counter() - start) / len(work) * 1000)
        start = time.perf_counter()
        for name, context in work:
            compiled[name].render(context)
        renderer.values.append((time.perf_counter() - start) / len(work) * 1000)
    return len(work)


# -- PDF ----------------------------------------------------------------------------------

CONVERT = (
    "import sys\n"
    "from pathlib import Path\n"
    "from docgen.pdf import convert\n"
    "r = convert([Path(p) for p in sys.argv[2:]], workers=int(sys.argv[1]))\n"
    "sys.exit(1 if r.failed else 0)\n"
)


def pdf_round(
    scratch: Scratch, files: list[Path], soffice: str, profile: Path, jobs: int,
    ours: Figure, baseline: Figure,
) -> None:
    """docgen's converter (a whole process, as ``docgen batch --pdf`` calls it), then one
    soffice call for every file, each on its own fresh copies of ``files``."""
    for side in ("docgen", "soffice"):
        folder = scratch.folder("pdf")
        copies = []
        for i, path in enumerate(files):
            copies.append(folder / f"{i:03d}.docx")
            shutil.copy(path, copies[-1])
        if side == "docgen":
            cmd = [PYTHON, "-c", CONVERT, str(jobs), *map(str, copies)]
            result = checked(run(cmd, env=child_env()), "docgen PDF")
            ours.values.append(result.seconds)
        else:
            cmd = [
                soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                "--convert-to", "pdf", "--outdir", str(folder), *map(str, copies),
            ]
            result = checked(run(cmd), "soffice")
            baseline.values.append(result.seconds)
        made = len(list(folder.glob("*.pdf")))
        if made != len(files):
            raise SystemExit(f"{side}: {made}/{len(files)} tệp PDF")
        shutil.rmtree(folder)


# -- the run ------------------------------------------------------------------------------


def yaml_kib_per_cell(ward: Path, cells: int) -> float:
    size = sum(p.stat().st_size for p in (ward / "chi-bo").rglob("*.yaml"))
    return size / 1024 / cells


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--members", type=int, default=36)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="the parallel runs' -j (default 2)")
    parser.add_argument("--floor-docs", type=int, default=40)
    parser.add_argument("--pdf-docs", type=int, default=50)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    rounds, jobs = args.rounds, args.jobs
    began = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        scratch = Scratch(tmp / "chay")
        quarterly = build_ward(tmp / "quy", args.cells, args.members)
        annual = build_ward(tmp / "nam", args.cells, args.members, annual=True)
        sample = tmp / "mau" / "data"
        shutil.copytree(REPO / "data", sample)
        # The annual ward is valid (the others are checked by their timed runs); this run
        # also leaves docgen's bytecode compiled, as a user's install has it.
        checked(
            run([PYTHON, "-m", "docgen", "check", "-w", str(annual)], env=child_env(scratch.folder("bo-dem"))),
            "check (phường cả năm)",
        )

        print(
            f"máy: {os.cpu_count()} lõi, Python {platform.python_version()}, {date.today().isoformat()}; "
            f"mỗi số đo {rounds} lần, hai bên chạy xen kẽ"
        )
        print(
            f"phường tổng hợp: {args.cells} chi bộ x {args.members} đảng viên; YAML mỗi chi bộ "
            f"{num(yaml_kib_per_cell(quarterly, args.cells), 1)} KiB (quý), "
            f"{num(yaml_kib_per_cell(annual, args.cells), 1)} KiB (cả năm)"
        )

        # docgen --help
        help_fig = Figure("docgen --help", target=Target(0.15, True, "s"), digits=3)
        bare = Figure("python -c pass", digits=3)
        for _ in range(rounds):
            help_fig.values.append(checked(run([PYTHON, "-m", "docgen", "--help"], env=child_env()), "--help").seconds)
            bare.values.append(checked(run([PYTHON, "-c", "pass"], env=child_env()), "python").seconds)
        print(help_fig.line())
        print(bare.line())

        # docgen check, cold and warm parse cache
        sample_target = Target(0.3, True, "s")
        checks = {
            ("mẫu", "lạnh"): Figure("check mẫu (data/), bộ đệm lạnh", target=sample_target),
            ("mẫu", "ấm"): Figure("check mẫu (data/), bộ đệm ấm", target=sample_target),
            ("phường", "lạnh"): Figure(f"check {args.cells} chi bộ, bộ đệm lạnh"),
            ("phường", "ấm"): Figure(f"check {args.cells} chi bộ, bộ đệm ấm"),
        }
        for _ in range(rounds):
            for name, ward in (("mẫu", sample), ("phường", quarterly)):
                cache = scratch.folder("bo-dem")
                cmd = [PYTHON, "-m", "docgen", "check", "-w", str(ward)]
                for state in ("lạnh", "ấm"):
                    result = checked(run(cmd, env=child_env(cache)), f"check {name}")
                    checks[(name, state)].values.append(result.seconds)
        for figure in checks.values():
            print(figure.line())

        # the quarterly batch: docgen -j N, plain docxtpl -j N, docgen -j 1; the re-run
        q_ours = Figure(f"lô quý, docgen -j {jobs}, bộ đệm lạnh", target=Target(2, True, "s"))
        q_warm = Figure(f"lô quý, docgen -j {jobs}, bộ đệm ấm (sau docgen check)", target=Target(2, True, "s"))
        q_plain = Figure(f"lô quý, cùng quy trình với docxtpl thường -j {jobs}")
        q_one = Figure("lô quý, docgen -j 1")
        q_rerun = Figure(f"lô quý chạy lại, không có gì đổi, docgen -j {jobs}", target=Target(0.5, True, "s"))
        q_mem = Figure(f"bộ nhớ đỉnh cộng mọi tiến trình, lô quý docgen -j {jobs}", unit="MB", digits=0)
        q_mem_plain = Figure(f"bộ nhớ đỉnh cộng mọi tiến trình, lô quý docxtpl thường -j {jobs}", unit="MB", digits=0)
        q_mem_one = Figure("bộ nhớ đỉnh cộng mọi tiến trình, lô quý docgen -j 1", unit="MB", digits=0)
        pdf_sources: list[Path] = []
        documents = 0
        for k in range(rounds):
            ours = batch(scratch, quarterly, plain=False, jobs=jobs, quarter=QUARTER, rerun=q_rerun)
            plain = batch(scratch, quarterly, plain=True, jobs=jobs, quarter=QUARTER)
            one = batch(scratch, quarterly, plain=False, jobs=1, quarter=QUARTER)
            warmed = batch(scratch, quarterly, plain=False, jobs=jobs, quarter=QUARTER, warm=True)
            q_warm.values.append(warmed.run.seconds)
            shutil.rmtree(warmed.folder)
            same_documents(ours, plain)
            if one.documents != ours.documents:
                raise SystemExit(f"-j 1 viết {one.documents} văn bản, -j {jobs} viết {ours.documents}")
            documents = ours.documents
            for figure, mem, result in ((q_ours, q_mem, ours), (q_plain, q_mem_plain, plain), (q_one, q_mem_one, one)):
                figure.values.append(result.run.seconds)
                mem.values.append(result.run.peak_mb)
            if k == rounds - 1 and not args.no_pdf:
                found = sorted((ours.folder / "out").rglob(f"bao-cao-quy-{QUARTER}.docx"))[: args.pdf_docs]
                keep = tmp / "pdf-nguon"
                keep.mkdir()
                for i, path in enumerate(found):
                    pdf_sources.append(keep / f"{i:03d}.docx")
                    shutil.copy(path, pdf_sources[-1])
            for result in (ours, plain, one):
                shutil.rmtree(result.folder)
        print(f"lô quý: {documents} văn bản ({args.cells} báo cáo quý + tổng hợp), mỗi lần một tiến trình mới")
        for figure in (q_ours, q_warm, q_plain, q_one, q_rerun, q_mem, q_mem_plain, q_mem_one):
            print(figure.line())

        # the annual batch: docgen -j N, plain docxtpl -j N
        y_ours = Figure(f"lô năm, docgen -j {jobs}")
        y_plain = Figure(f"lô năm, cùng quy trình với docxtpl thường -j {jobs}")
        y_mem = Figure(f"bộ nhớ đỉnh cộng mọi tiến trình, lô năm docgen -j {jobs}", unit="MB", digits=0)
        y_mem_plain = Figure(f"bộ nhớ đỉnh cộng mọi tiến trình, lô năm docxtpl thường -j {jobs}", unit="MB", digits=0)
        year_documents = 0
        for _ in range(rounds):
            ours = batch(scratch, annual, plain=False, jobs=jobs, quarter=None)
            plain = batch(scratch, annual, plain=True, jobs=jobs, quarter=None)
            same_documents(ours, plain)
            year_documents = ours.documents
            for figure, mem, result in ((y_ours, y_mem, ours), (y_plain, y_mem_plain, plain)):
                figure.values.append(result.run.seconds)
                mem.values.append(result.run.peak_mb)
                shutil.rmtree(result.folder)
        print(f"lô năm: {year_documents} văn bản ({args.cells} báo cáo năm + tổng hợp)")
        for figure in (y_ours, y_plain, y_mem, y_mem_plain):
            print(figure.line())

        # per document: the floor, docgen's renderer, docgen's whole batch
        floor = Figure("mỗi văn bản, sàn (Jinja + zip deflate)", unit="ms")
        renderer = Figure("mỗi văn bản, bộ kết xuất của docgen (đã biên dịch)", unit="ms")
        rendered = per_document(quarterly, args.floor_docs, rounds, floor, renderer)
        batch_doc = Figure("mỗi văn bản, cả lô quý docgen -j 1 (thời gian / số văn bản)", unit="ms")
        batch_doc.values = [s / documents * 1000 for s in q_one.values]
        print(f"mỗi văn bản: {rendered} báo cáo quý, cùng ngữ cảnh")
        for figure in (floor, renderer, batch_doc):
            print(figure.line())

        # PDF
        pdf_ratio: Figure | None = None
        if not args.no_pdf:
            from docgen.pdf import find_soffice

            soffice = find_soffice()
            profile = tmp / "lo-ho-so"
            warm = scratch.folder("pdf-khoi-dong")
            checked(
                run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                     "--convert-to", "pdf", "--outdir", str(warm), str(pdf_sources[0])]),
                "soffice (khởi tạo hồ sơ)",
            )
            p_ours = Figure(f"PDF {len(pdf_sources)} văn bản, docgen ({jobs} tiến trình LibreOffice)")
            p_base = Figure(f"PDF {len(pdf_sources)} văn bản, một lệnh soffice cho mọi tệp")
            for _ in range(rounds):
                pdf_round(scratch, pdf_sources, soffice, profile, jobs, p_ours, p_base)
            print(p_ours.line())
            print(p_base.line())
            pdf_ratio = ratio("PDF: một lệnh soffice / docgen", p_base, p_ours)

        # the last lines: ratios and targets
        print(f"== tóm tắt (trung vị của {rounds} lần; thời gian chạy benchmark {num(time.perf_counter() - began, 0)} s) ==")
        summary = [
            ratio(f"toàn quy trình, lô quý -j {jobs}: docxtpl thường / docgen", q_plain, q_ours, Target(5, False)),
            ratio(f"toàn quy trình, lô năm -j {jobs}: docxtpl thường / docgen", y_plain, y_ours, Target(5, False)),
            ratio("mỗi văn bản: lô quý docgen -j 1 / sàn", batch_doc, floor, Target(2, True)),
            ratio("mỗi văn bản: bộ kết xuất docgen / sàn", renderer, floor, Target(2, True)),
            ratio(f"lô quý: -j 1 / -j {jobs}", q_one, q_ours, Target(1.7, False)),
            q_ours,
            q_warm,
            y_ours,
            q_rerun,
            *checks.values(),
            help_fig,
            q_mem,
        ]
        if pdf_ratio is not None:
            summary.append(pdf_ratio)
        for figure in summary:
            print(figure.line())


if __name__ == "__main__":
    main()
