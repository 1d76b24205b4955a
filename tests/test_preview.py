"""Page images of a document (docgen/preview.py): real LibreOffice, real pdftoppm."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import docgen.preview as preview
from docgen.errors import PreviewError
from docgen.pipeline import render_documents
from docgen.preview import Previewer
from docgen.workspace import load_workspace
from tests.conftest import REPO, SAMPLE, convert_to_pdf, needs_libreoffice

pytestmark = [
    pytest.mark.libreoffice,
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing"),
]


def _has_uno() -> bool:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return False
    for python in preview._uno_pythons(exe):
        if subprocess.run([python, "-I", "-c", "import uno"], capture_output=True).returncode == 0:
            return True
    return False


needs_uno = pytest.mark.skipif(
    not _has_uno(),
    reason="the warm LibreOffice needs its Python binding (Debian package python3-uno); CI installs it",
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two quarterly reports (drafts) and their page counts from an independent conversion."""
    out = tmp_path_factory.mktemp("preview-docs")
    render_documents(
        load_workspace(SAMPLE), "bao-cao-quy", year=2026, quarter=3, output_root=out, draft=True,
        cells=["to-dan-pho-5", "cong-an-phuong"],
    )
    docs = {}
    for cell in ("to-dan-pho-5", "cong-an-phuong"):
        (found,) = (out / "ngoc-ha" / cell / "2026").glob("bao-cao-quy-3*.docx")
        docs[cell] = shutil.copy(found, out / f"{cell}.docx")
    return {k: Path(v) for k, v in docs.items()}


@pytest.fixture(scope="module")
def page_counts(documents: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    out = tmp_path_factory.mktemp("preview-pdf")
    counts = {}
    for cell, pdf in zip(documents, convert_to_pdf(list(documents.values()), out), strict=True):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        counts[cell] = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return counts


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary folders (the LibreOffice profile) under this test's folder, so the
    processes started for this test are the ones whose command line names it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _processes_naming(text: str) -> list[int]:
    """Processes whose command line contains ``text`` (read from /proc, no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next(
                (line.split()[1] for line in (entry / "status").read_text().splitlines()
                 if line.startswith("State:")),
                "",
            )
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _wait_gone(text: str, limit: float = 20) -> list[int]:
    deadline = time.monotonic() + limit
    while (left := _processes_naming(text)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    assert data[12:16] == b"IHDR", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


needs_proc = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")


@needs_uno
def test_pages_are_the_documents_pages(
    documents: dict[str, Path], page_counts: dict[str, int], tmp_path: Path
) -> None:
    doc = documents["to-dan-pho-5"]
    with Previewer(tmp_path / "cache") as previewer:
        pages = previewer.pages(doc)
        assert previewer.warm
    assert len(pages) == page_counts["to-dan-pho-5"] >= 2
    digest = hashlib.sha256(doc.read_bytes()).hexdigest()
    assert pages == [tmp_path / "cache" / digest / f"trang-{n}.png" for n in range(1, len(pages) + 1)]
    for page in pages:
        width, height = _png_size(page)
        # A4 (210 x 297 mm) at 60 dots per inch
        assert abs(width - 210 / 25.4 * 60) <= 2 and abs(height - 297 / 25.4 * 60) <= 2, (width, height)
        assert page.stat().st_size > 5000  # text, not a blank page
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [digest]  # no temporaries left


def test_resolution_sets_the_image_size(documents: dict[str, Path], tmp_path: Path) -> None:
    with Previewer(tmp_path / "cache", resolution=30) as previewer:
        first = previewer.pages(documents["cong-an-phuong"])[0]
    width, height = _png_size(first)
    assert abs(width - 210 / 25.4 * 30) <= 2 and abs(height - 297 / 25.4 * 30) <= 2


def test_a_cache_hit_starts_no_libreoffice(
    documents: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = documents["to-dan-pho-5"]
    with Previewer(tmp_path / "cache") as previewer:
        made = previewer.pages(doc)
    copy = tmp_path / "khac-ten.docx"  # the same bytes under another name
    shutil.copy(doc, copy)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    monkeypatch.setattr(preview.subprocess, "Popen", refuse)
    monkeypatch.setattr(preview.subprocess, "run", refuse)
    monkeypatch.setattr(preview, "find_soffice", refuse)
    with Previewer(tmp_path / "cache") as fresh:
        started = time.perf_counter()
        assert fresh.pages(copy) == made
        assert fresh.pages(doc) == made
        assert time.perf_counter() - started < 0.5
        assert not fresh.warm


def test_two_threads_at_once(
    documents: dict[str, Path], page_counts: dict[str, int], tmp_path: Path
) -> None:
    jobs = [documents["to-dan-pho-5"], documents["cong-an-phuong"], documents["to-dan-pho-5"]]
    with Previewer(tmp_path / "cache") as previewer, ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(previewer.pages, jobs))
    assert len(results[0]) == page_counts["to-dan-pho-5"]
    assert len(results[1]) == page_counts["cong-an-phuong"]
    assert results[2] == results[0]
    assert results[0][0].parent != results[1][0].parent
    for pages in results:
        for page in pages:
            _png_size(page)


@needs_proc
def test_close_leaves_no_process(documents: dict[str, Path], tmp_path: Path, own_tmp: Path) -> None:
    previewer = Previewer(tmp_path / "cache")
    previewer.pages(documents["to-dan-pho-5"])
    if previewer.warm:
        assert _processes_naming(str(own_tmp))  # the check does see the warm LibreOffice
    previewer.close()
    assert _processes_naming(str(own_tmp)) == []
    assert list(own_tmp.iterdir()) == []  # the profile folder is removed
    previewer.close()  # twice is harmless


_SCRIPT = """
import sys, tempfile, time
from pathlib import Path
tempfile.tempdir = sys.argv[1]
from docgen.preview import Previewer
previewer = Previewer(Path(sys.argv[2]))
print(len(previewer.pages(Path(sys.argv[3]))), previewer.warm, flush=True)
if sys.argv[4] == "wait":
    time.sleep(300)
"""


def _script(own_tmp: Path, tmp_path: Path, doc: Path, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(own_tmp), str(tmp_path / "cache"), str(doc), mode],
        stdout=subprocess.PIPE, text=True, env=env,
    )


@needs_uno
@needs_proc
def test_interpreter_exit_leaves_no_process(
    documents: dict[str, Path], tmp_path: Path, own_tmp: Path
) -> None:
    proc = _script(own_tmp, tmp_path, documents["to-dan-pho-5"], "exit")
    out, _ = proc.communicate(timeout=120)
    assert out.split() == [str(len(list((tmp_path / "cache").glob("*/trang-*.png")))), "True"]
    assert _wait_gone(str(own_tmp), limit=5) == []


@needs_uno
@needs_proc
def test_a_killed_caller_takes_libreoffice_down(
    documents: dict[str, Path], tmp_path: Path, own_tmp: Path
) -> None:
    proc = _script(own_tmp, tmp_path, documents["to-dan-pho-5"], "wait")
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().split()[1] == "True"
        assert _processes_naming(str(own_tmp))
        os.kill(proc.pid, signal.SIGKILL)  # no close(), no atexit
        proc.wait(10)
        assert _wait_gone(str(own_tmp)) == []
    finally:
        proc.kill()
        proc.wait()


def test_a_corrupt_docx_is_a_docgen_error(documents: dict[str, Path], tmp_path: Path) -> None:
    good = documents["to-dan-pho-5"]
    truncated = tmp_path / "cut.docx"
    truncated.write_bytes(good.read_bytes()[:4000])
    broken_xml = tmp_path / "xml.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken_xml, "w") as target:
        for info in source.infolist():
            data = b"<w:document " if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, data)
    with Previewer(tmp_path / "cache") as previewer:
        with pytest.raises(PreviewError, match=r"cut\.docx: tệp không phải văn bản \.docx đọc được"):
            previewer.pages(truncated)
        with pytest.raises(PreviewError, match=r"xml\.docx: LibreOffice không mở được văn bản"):
            previewer.pages(broken_xml)
        with pytest.raises(PreviewError, match="không đọc được tệp"):
            previewer.pages(tmp_path / "khong-co.docx")
        assert not any((tmp_path / "cache").glob("[!.]*"))  # nothing cached
        assert len(previewer.pages(good)) >= 2  # the same LibreOffice still converts


@needs_uno
@needs_proc
def test_a_conversion_past_the_limit_is_killed_and_restarted(
    documents: dict[str, Path], page_counts: dict[str, int], tmp_path: Path, own_tmp: Path
) -> None:
    with Previewer(tmp_path / "cache") as previewer:
        previewer.pages(documents["to-dan-pho-5"])
        assert previewer.warm
        previewer.timeout = 0.001
        with pytest.raises(PreviewError, match=r"LibreOffice chạy quá 0\.001 giây"):
            previewer.pages(documents["cong-an-phuong"])
        assert not previewer.warm
        assert _wait_gone(str(own_tmp), limit=5) == []
        previewer.timeout = 60
        assert len(previewer.pages(documents["cong-an-phuong"])) == page_counts["cong-an-phuong"]
        assert previewer.warm


@needs_proc
def test_cold_when_no_python_has_uno(
    documents: dict[str, Path], page_counts: dict[str, int], tmp_path: Path, own_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the Python running the tests has no LibreOffice binding: the helper exits at once
    monkeypatch.setattr(preview, "_uno_pythons", lambda soffice: [sys.executable])
    with Previewer(tmp_path / "cache") as previewer:
        pages = previewer.pages(documents["cong-an-phuong"])
        assert not previewer.warm
        assert _processes_naming(str(own_tmp)) == []  # nothing kept running
    assert len(pages) == page_counts["cong-an-phuong"]
    for page in pages:
        _png_size(page)


@needs_proc
def test_a_cold_conversion_past_the_limit_is_killed(
    documents: dict[str, Path], tmp_path: Path, own_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "_uno_pythons", lambda soffice: [])
    with Previewer(tmp_path / "cache", timeout=0.2) as previewer:
        with pytest.raises(PreviewError, match=r"quá 0\.2 giây"):
            previewer.pages(documents["cong-an-phuong"])
        assert _wait_gone(str(own_tmp), limit=5) == []


def test_a_half_made_entry_is_never_served(
    documents: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = documents["to-dan-pho-5"]
    digest = hashlib.sha256(doc.read_bytes()).hexdigest()
    cache = tmp_path / "cache"
    # what a killed process leaves: a temporary folder with one page of four
    leftover = cache / f".{digest[:16]}-abcd" / "trang"
    leftover.mkdir(parents=True)
    (leftover / "trang-1.png").write_bytes(b"half")
    real_which = shutil.which
    monkeypatch.setattr(
        preview.shutil, "which", lambda name: None if name == "pdftoppm" else real_which(name)
    )
    with Previewer(cache) as previewer:
        with pytest.raises(PreviewError, match="không tìm thấy pdftoppm"):
            previewer.pages(doc)
        assert not (cache / digest).exists()  # the converted PDF made no entry
        monkeypatch.undo()
        pages = previewer.pages(doc)
    assert len(pages) >= 2 and pages[0].parent == cache / digest
    assert pages[0].read_bytes()[:8] == PNG_SIGNATURE
