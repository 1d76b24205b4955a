"""Convert documents to PDF with LibreOffice, many files per process.

Starting ``soffice`` costs most of a one-page conversion, so each worker converts a
whole list of files in one call. Each worker has its own profile folder (parallel
runs otherwise collide on the profile lock), and each call has a time limit that
grows with the number of files; when a call fails or times out, its files are
converted one by one, each with its own limit, so one bad file is named and the
others still convert.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import LibreOfficeMissing
from docgen.output import write_atomic

__all__ = ["PdfResult", "convert", "find_soffice", "prepare_profile"]

# Seconds allowed per document, and for starting LibreOffice once.
TIMEOUT_PER_DOCUMENT = 60
TIMEOUT_START = 60


# LibreOffice settings written into every profile docgen starts it with, so a document can
# make it reach no network and run nothing (issue 20). Templates are refused before any of
# this (docgen/packagecheck.py); these settings are the second wall, for any .docx converted.
# Keys from LibreOffice's own schema (share/registry/main.xcd, officecfg/registry/schema):
_SETTINGS = (
    # Security/Scripting/BlockUntrustedRefererLinks: no linked image or other resource is
    # loaded from a document outside the trusted locations (there are none).
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "xs:boolean", "true"),
    # MacroSecurityLevel 3 ("very high": only trusted locations, none) and no macro at all.
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "xs:int", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "xs:boolean", "true"),
    # Writer/Content/Update/Link: 0 always, 1 on request, 2 never update links on loading.
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "xs:int", "2"),
    # Calc's own, for a spreadsheet embedded or converted the same way.
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "xs:int", "2"),
    # No check for a new LibreOffice version from this profile.
    ("/org.openoffice.Office.Update/Update", "Enabled", "xs:boolean", "false"),
)


def _item(path: str, name: str, kind: str, value: str) -> str:
    return (
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse" oor:type="{kind}">'
        f"<value>{value}</value></prop></item>"
    )


def prepare_profile(profile: Path) -> None:
    """Write docgen's settings (no links updated, no remote content, no macros) into the
    LibreOffice profile folder ``profile`` (``-env:UserInstallation``), before it starts.

    A profile LibreOffice already used keeps its other settings; ours are put back if it
    dropped them.
    """
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    xcu = user / "registrymodifications.xcu"
    items = "\n".join(_item(*setting) for setting in _SETTINGS)
    try:
        text = xcu.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    for path, name, _, _ in _SETTINGS:  # ours replace any earlier value of the same keys
        pattern = rf'<item oor:path="{re.escape(path)}"><prop oor:name="{name}"[^>]*>.*?</item>\n?'
        text = re.sub(pattern, "", text)
    if "</oor:items>" in text:
        # LibreOffice reads the items in order; the last one of a key wins.
        text = text.replace("</oor:items>", items + "\n</oor:items>", 1)
    else:
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            f"{items}\n</oor:items>\n"
        )
    xcu.write_text(text, encoding="utf-8")


def find_soffice() -> str:
    """The LibreOffice executable.

    Raises:
        LibreOfficeMissing: it is not installed.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise LibreOfficeMissing()
    return found


@dataclass
class PdfResult:
    """PDFs written next to their documents, and documents that failed (with why)."""

    written: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)


def _run(soffice: str, files: Sequence[Path], outdir: Path, profile: Path, timeout: float) -> None:
    prepare_profile(profile)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )


def _convert_chunk(soffice: str, files: Sequence[Path], profile: Path) -> PdfResult:
    """Convert ``files`` in one LibreOffice process; isolate failures one by one."""
    result = PdfResult()
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as tmp:
        stage = Path(tmp) / "vao"
        outdir = Path(tmp) / "ra"
        stage.mkdir()
        outdir.mkdir()
        # Unique names: many cells have a "bao-cao-quy-3.docx".
        staged = []
        for i, path in enumerate(files):
            link = stage / f"{i:05d}.docx"
            os.symlink(path.resolve(), link)
            staged.append(link)

        def collect(indices: Sequence[int]) -> list[int]:
            missing = []
            for i in indices:
                pdf = outdir / f"{i:05d}.pdf"
                if pdf.is_file() and pdf.stat().st_size > 0:
                    target = files[i].with_suffix(".pdf")
                    write_atomic(target, pdf.read_bytes())
                    result.written.append(target)
                else:
                    missing.append(i)
            return missing

        # whatever was converted is collected; the rest are retried one by one
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            _run(soffice, staged, outdir, profile, TIMEOUT_START + TIMEOUT_PER_DOCUMENT * len(staged))
        for i in collect(range(len(files))):
            try:
                _run(soffice, [staged[i]], outdir, profile, TIMEOUT_START + TIMEOUT_PER_DOCUMENT)
                reason = "LibreOffice không tạo được tệp PDF"
            except subprocess.TimeoutExpired:
                reason = f"quá thời gian chuyển đổi ({TIMEOUT_START + TIMEOUT_PER_DOCUMENT} giây)"
            except subprocess.CalledProcessError as exc:
                reason = f"LibreOffice báo lỗi ({exc.returncode})"
            if collect([i]):
                result.failed[files[i]] = reason
    return result


def convert(files: Sequence[Path], workers: int = 1, profile_root: Path | None = None) -> PdfResult:
    """Convert ``files`` to PDF next to each, in ``workers`` LibreOffice processes.

    Raises:
        LibreOfficeMissing: LibreOffice is not installed.
    """
    soffice = find_soffice()
    result = PdfResult()
    if not files:
        return result
    workers = max(1, min(workers, len(files)))
    chunks = [list(files[i::workers]) for i in range(workers)]
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as tmp:
        root = profile_root or Path(tmp)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = pool.map(
                lambda pair: _convert_chunk(soffice, pair[1], root / f"ho-so-{pair[0]}"),
                enumerate(chunks),
            )
            for part in parts:
                result.written += part.written
                result.failed.update(part.failed)
    order = {path.with_suffix(".pdf"): i for i, path in enumerate(files)}
    result.written.sort(key=lambda p: order.get(p, 0))
    return result
