"""Write the page images of docs/huong-dan-bi-thu.md (docs/hinh/*.png) from real outputs.

The documents are rendered from the sample workspace data/ with docgen itself,
converted to PDF by LibreOffice (a private profile, so a running LibreOffice is not
disturbed) and one page of each is drawn with pdftoppm at a small resolution:

    python tools/gen_guide_images.py

Needs soffice and pdftoppm (Debian: libreoffice-writer, poppler-utils). Run it after a
change to a template or to the sample data shown in the guide, and commit the images.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docgen.pipeline import render_documents
from docgen.workspace import load_workspace

# The project checkout this script belongs to (it edits the files there).
REPO = Path(__file__).resolve().parent.parent

DPI = 70
MAX_BYTES = 200_000
YEAR = 2026

# image name -> (kinds to render, quarter, the cell (None: the ward's document), the
# output file's name, page). Every document kind docgen makes is shown at least once
# (issue 18: a reader sees the result); the first three are the guide's walk-through.
IMAGES: dict[str, tuple[list[str], int | None, str | None, str, int]] = {
    "ke-hoach-trang-1": (["ke-hoach"], None, "to-dan-pho-5", "ke-hoach.docx", 1),
    "phan-cong-trang-1": (["phan-cong"], None, "to-dan-pho-5", "phan-cong.docx", 1),
    "phan-cong-trang-2": (["phan-cong"], None, "to-dan-pho-5", "phan-cong.docx", 2),
    "phan-cong-nghi-quyet-trang-1": (["phan-cong"], None, "cong-an-phuong", "phan-cong.docx", 1),
    "bao-cao-quy-3-trang-1": (["bao-cao-quy"], 3, "to-dan-pho-5", "bao-cao-quy-3.docx", 1),
    "bien-ban-quy-3-trang-1": (["bien-ban"], 3, "to-dan-pho-5", "bien-ban-quy-3.docx", 1),
    "bien-ban-quy-3-trang-3": (["bien-ban"], 3, "to-dan-pho-5", "bien-ban-quy-3.docx", 3),
    "bao-cao-nam-trang-1": (["bao-cao-nam"], None, "to-dan-pho-5", "bao-cao-nam.docx", 1),
    "bao-cao-nam-phu-luc": (["bao-cao-nam"], None, "to-dan-pho-5", "bao-cao-nam.docx", 3),
    "tong-hop-quy-3-trang-1": (["tong-hop-quy"], 3, None, "tong-hop-quy-3.docx", 1),
    "tong-hop-nam-trang-1": (["tong-hop-nam"], None, None, "tong-hop-nam.docx", 1),
    "ke-hoach-dang-uy-trang-1": (["ke-hoach-dang-uy"], None, None, "ke-hoach-dang-uy.docx", 1),
}


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("cần soffice (LibreOffice) và pdftoppm (poppler-utils)", file=sys.stderr)
        return 1
    target = REPO / "docs" / "hinh"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docgen-hinh-") as tmp:
        root = Path(tmp)
        # A copy of the sample with an empty register: numbers as a first issue shows them,
        # and nothing written into data/.
        shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
        ws = load_workspace(root / "data")
        docs: dict[str, Path] = {}
        for name, (kinds, quy, cell, file, _) in IMAGES.items():
            out = root / "ra"
            render_documents(
                ws, kinds, year=YEAR, quarter=quy, cells=[cell] if cell else None, output_root=out
            )
            folder = out / ws.dang_bo.ma / (cell or "") / str(YEAR)
            flat = root / f"{name}.docx"
            shutil.copy(folder / file, flat)
            docs[name] = flat
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{root / 'lo-profile'}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root),
                *map(str, docs.values()),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for name, (*_, page) in IMAGES.items():
            prefix = root / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                 str(root / f"{name}.pdf"), str(prefix)],
                check=True,
            )
            png = prefix.with_suffix(".png")
            size = png.stat().st_size
            if size > MAX_BYTES:
                print(f"{name}.png: {size} bytes > {MAX_BYTES}", file=sys.stderr)
                return 1
            shutil.copy(png, target / f"{name}.png")
            print(f"wrote docs/hinh/{name}.png ({size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
