"""Quarter-end batch: isolated failures, manifest, determinism, bundle, PDF, interruption."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.batch import run_batch
from docgen.cli import cli
from tests.conftest import REPO, edit_yaml, needs_libreoffice, pdf_text
from tests.synthetic import build_ward


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


@pytest.mark.slow
def test_a_broken_cell_does_not_stop_the_others(runner: CliRunner, ws: Path) -> None:
    # the ward's quarter III holds the school cell's quarter IV of 2025-2026
    edit_yaml(ws / "chi-bo/truong-tieu-hoc-hoa-sua/2025-2026/quy-4.yaml", "so: 4", "so: ba")
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "-j", "2"])
    assert result.exit_code == 1
    out = Path("out/ngoc-ha")
    for cell in ("to-dan-pho-5", "co-quan-phuong", "cong-an-phuong"):
        assert (out / cell / "2026/bao-cao-quy-3.docx").is_file()
    assert not (out / "truong-tieu-hoc-hoa-sua").exists()
    assert not (out / "2026/tong-hop-quy-3.docx").exists()  # the summary needs every cell
    lines = result.stdout.splitlines()
    assert lines[0] == "Đã tạo 3 văn bản, 2 văn bản lỗi:"
    assert "  LỖI   bao-cao-quy   truong-tieu-hoc-hoa-sua" in lines
    assert any("quy-4.yaml:5:7: bao_cao_quy.so: phải là số nguyên, nhận được 'ba'" in line for line in lines)
    assert "chưa tổng hợp được vì dữ liệu của 1 chi bộ có lỗi (xem lỗi của từng chi bộ)" in result.stdout
    manifest = json.loads((out / "2026/manifest-quy-3.json").read_text(encoding="utf-8"))
    status = {(d["loai"], d["chi_bo"]): d["trang_thai"] for d in manifest["van_ban"]}
    assert status[("bao-cao-quy", "truong-tieu-hoc-hoa-sua")] == "loi"
    assert status[("bao-cao-quy", "to-dan-pho-5")] == "ok"
    assert status[("tong-hop-quy", None)] == "loi"


def test_manifest_lists_hashes_and_matches_the_files(ws: Path, tmp_path: Path) -> None:
    result = run_batch(ws, year=2026, quarter=3, output_root=tmp_path, jobs=1)
    assert not result.failed
    data = json.loads(result.manifest.read_text(encoding="utf-8"))
    import hashlib

    for doc in data["van_ban"]:
        produced = (tmp_path / doc["tep"]).read_bytes()
        assert doc["sha256"] == hashlib.sha256(produced).hexdigest()
        assert doc["mau"] == f"có sẵn: {doc['loai']}.docx"
        assert {s["tep"] for s in doc["tep_nguon"]} >= {"dang-bo.yaml"}
        for source in doc["tep_nguon"]:
            name = source["tep"]
            path = REPO / name.removeprefix("có sẵn: ") if name.startswith("có sẵn: ") else ws / name
            assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"]
        core = docx.Document(str(tmp_path / doc["tep"])).core_properties
        assert doc["sha256_mau"] in core.comments
    csv_text = result.manifest.with_suffix(".csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == (
        "loai,chi_bo,trang_thai,so_ky_hieu,so_dang_ky,tep,sha256,mau,sha256_mau,tep_nguon,loi"
    )
    numbers = {(d["loai"], d["chi_bo"]): (d["so_ky_hieu"], d["so_dang_ky"]) for d in data["van_ban"]}
    assert numbers[("bao-cao-quy", "to-dan-pho-5")] == ("03-BC/CB", "moi")
    assert numbers[("tong-hop-quy", None)] == ("13-BC/ĐU", "moi")
    assert len(csv_text.splitlines()) == 1 + len(data["van_ban"])


@pytest.mark.slow
def test_serial_and_parallel_runs_are_byte_identical(ws: Path, tmp_path: Path) -> None:
    twin = shutil.copytree(ws, tmp_path / "twin")  # its own register: both runs issue afresh
    run_batch(ws, year=2026, quarter=2, output_root=tmp_path / "a", jobs=1)
    run_batch(twin, year=2026, quarter=2, output_root=tmp_path / "b", jobs=2)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) == 8  # 5 documents, manifest .json and .csv, batch state
    for rel in files_a:
        if rel.name.startswith(".docgen-batch-"):
            continue  # the state keeps the warnings as said, naming each workspace's files
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


@pytest.mark.slow
def test_annual_batch(ws: Path, tmp_path: Path) -> None:
    result = run_batch(ws, year=2026, quarter=None, output_root=tmp_path, jobs=2)
    assert [r.kind for r in result.records] == ["bao-cao-nam"] * 4 + ["tong-hop-nam"]
    assert not result.failed
    assert (tmp_path / "ngoc-ha/2026/manifest-nam.json").is_file()


@pytest.mark.libreoffice
@needs_libreoffice
def test_bundle_and_pdfs(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["batch", "--quy", "3", "--nam", "2026", "-o", "out", "--bundle", "--pdf"])
    assert result.exit_code == 0, result.output
    bundle = Path("out/ngoc-ha/2026/tap-van-ban-quy-3.docx")
    assert "Tệp gộp để in: out/ngoc-ha/2026/tap-van-ban-quy-3.docx" in result.stdout
    assert "Đã chuyển 6/6 tệp sang PDF." in result.stdout  # 5 documents and the bundle
    document = docx.Document(str(bundle))
    titles = [p.text for p in document.paragraphs if p.style.style_id == "TenLoai"]
    assert titles == ["BÁO CÁO"] * 5
    assert len(document.sections) == 5  # each document its own section: new page, own numbering
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for section in document.sections:
        assert section._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1"
        assert section._sectPr.find(f"{W}titlePg") is not None
    pdf = bundle.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    single = 0
    for path in Path("out").rglob("*.pdf"):
        if path != pdf:
            text = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
            single += int(next(line.split()[-1] for line in text.splitlines() if line.startswith("Pages:")))
    assert pages == single  # no blank pages between documents
    text = pdf_text(pdf)
    assert text.count("ĐẢNG CỘNG SẢN VIỆT NAM") == 5
    for word in ("Tổ dân phố", "Trường Tiểu học Hoa Sữa", "nhiệm vụ", "Ngọc Hà"):
        assert word in text


def test_pdf_without_libreoffice_is_a_clear_error(ws: Path) -> None:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "batch", "--quy", "3", "--nam", "2026", "-o", "out", "--pdf"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ws.parent,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Lỗi: không tìm thấy LibreOffice (lệnh soffice) để chuyển sang PDF")
    assert not Path(ws.parent / "out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killing_a_batch_leaves_no_partial_document(tmp_path: Path, seed: int) -> None:
    ws = build_ward(tmp_path, 60, 20)
    out = tmp_path / "out"
    rng = random.Random(seed)
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "batch", "--quy", "3", "--nam", "2026", "-w", str(ws), "-o", str(out), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=REPO,
    )
    # Kill once a random number of the 60 reports exist (counted, not timed: a fast machine
    # must not finish the batch before the kill).
    target = rng.randint(1, 25)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("bao-cao-quy-3.docx"))) < target and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the batch finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = list(out.rglob("bao-cao-quy-3.docx"))
    assert 0 < len(finished) < 60
    for path in out.rglob("*.docx"):
        with zipfile.ZipFile(path) as archive:  # every document that exists is complete
            assert archive.testzip() is None
        docx.Document(str(path))
    # A clean re-run finishes and leaves no temporary file behind.
    rerun = subprocess.run(
        [sys.executable, "-m", "docgen", "batch", "--quy", "3", "--nam", "2026", "-w", str(ws), "-o", str(out)],
        capture_output=True,
        cwd=REPO,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert list(out.rglob("*.tmp")) == []
    assert len(list(out.rglob("bao-cao-quy-3.docx"))) == 60


def test_batch_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["batch", "--help"])
    assert "docgen batch --quy 3 --nam 2026" in result.stdout
