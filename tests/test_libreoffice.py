"""LibreOffice opens every sample document and prints what a reader expects."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from docgen.pipeline import render_documents
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE, SAMPLE_CELLS, convert_to_pdf, needs_libreoffice, pdf_text

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]

HEADERS = {
    "to-dan-pho-5": ("CHI BỘ TỔ DÂN PHỐ SỐ 5", "Số 01-KH/CB", "Ngọc Hà, ngày 05 tháng 01 năm 2026"),
    "truong-tieu-hoc-hoa-sua": (  # long names wrap inside the 45 % column, as on paper
        "CHI BỘ TRƯỜNG TIỂU HỌC",
        "HOA SỮA",
        "Số 02-KH/CB",
        "Ngọc Hà, ngày 08 tháng 9 năm 2025",  # its plan for the school year 2025-2026
    ),
    "co-quan-phuong": ("CHI BỘ CƠ QUAN ỦY BAN", "NHÂN DÂN PHƯỜNG", "Số 01-KH/CB", "Ngọc Hà, ngày 09 tháng 01 năm 2026"),
    "cong-an-phuong": ("CHI BỘ CÔNG AN PHƯỜNG", "Số 01-KH/CB", "Ngọc Hà, ngày 12 tháng 01 năm 2026"),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lo")
    render_documents(load_workspace(SAMPLE), "ke-hoach", year=2026, output_root=out / "docx")
    flat = []
    for cell in SAMPLE_CELLS:
        target = out / f"{cell}.docx"
        shutil.copy(out / "docx/ngoc-ha" / cell / "2026/ke-hoach.docx", target)
        flat.append(target)
    converted = convert_to_pdf(flat, out)
    return dict(zip(SAMPLE_CELLS, converted, strict=True))


@pytest.mark.parametrize("cell", SAMPLE_CELLS)
def test_pdf_has_the_header_lines(pdfs: dict[str, Path], cell: str) -> None:
    text = pdf_text(pdfs[cell])
    for line in ("ĐẢNG BỘ PHƯỜNG NGỌC HÀ", "ĐẢNG CỘNG SẢN VIỆT NAM", "KẾ HOẠCH", *HEADERS[cell]):
        assert line in text, line
    assert "T/M CHI BỘ" in text and "Nơi nhận:" in text


def test_page_numbers_start_on_page_two(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["to-dan-pho-5"]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert first.split()[0] == "ĐẢNG"
    assert second.split()[0] == "2"


def test_fonts_are_times_or_its_metric_twin(pdfs: dict[str, Path]) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["cong-an-phuong"])], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names
    assert all(("Times" in n) or ("LiberationSerif" in n) for n in names), names


def test_libreoffice_reads_hostile_text_exactly(sample_ws: Path, tmp_path: Path) -> None:
    """A second reader besides python-docx: every hostile snippet of the property tests
    (markup, template syntax, bidi controls, DEL and C1 controls, private-use characters,
    emoji, decomposed Vietnamese...) comes back from LibreOffice's own reading, exactly."""
    import unicodedata

    import yaml

    from docgen.yamlsource import load_source
    from tests.conftest import soffice_path
    from tests.test_property_text import HOSTILE

    plan = sample_ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml"
    data = load_source(plan).data
    data["ke_hoach"]["han_che"] = [f"«{h}»" for h in HOSTILE] + ["Hết"]
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")
    render_documents(load_workspace(sample_ws), "ke-hoach", year=2026, cells=["to-dan-pho-5"], output_root=tmp_path / "out")
    subprocess.run(
        [
            soffice_path() or "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "out/ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    lines = (tmp_path / "ke-hoach.txt").read_text(encoding="utf-8-sig").split("\n")
    missing = [h for h in HOSTILE if unicodedata.normalize("NFC", f"- «{h}»;") not in lines]
    assert missing == []
