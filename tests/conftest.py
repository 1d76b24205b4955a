"""Shared fixtures: a CLI runner, a copy of the sample workspace, inline file trees,
golden-file comparison and LibreOffice helpers."""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

# Hypothesis profiles. "ci": 200 examples per property (tests/test_property_text.py fills
# every free-text field of a file in each example, so that is 200 per field); selected when
# the CI variable is set (.ci/run sets it; GitHub Actions and most CI services do), or with
# --hypothesis-profile=ci. "dev": fewer, for a quick local run. HYPOTHESIS_PROFILE overrides.
settings.register_profile("ci", max_examples=200, print_blob=True)
settings.register_profile("dev", max_examples=15)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

REPO = Path(__file__).resolve().parent.parent

# The parse cache kept between runs (docgen/parsecache.py) never writes to the home folder
# from the tests: the session's first process names a temporary folder for it (docgen makes
# it on its first write; pool and xdist worker processes inherit the variable), removed when
# the session ends; each test gets a fresh folder below it (fixture _own_parse_cache), so no
# test reads what another one left there.
if "DOCGEN_TEST_CACHE_DIR" not in os.environ:
    _cache_root: Path | None = Path(tempfile.gettempdir()) / f"docgen-cache-{secrets.token_hex(8)}"
    os.environ["DOCGEN_TEST_CACHE_DIR"] = str(_cache_root)
else:
    _cache_root = None
os.environ["DOCGEN_CACHE_DIR"] = os.environ["DOCGEN_TEST_CACHE_DIR"]
_cache_tests = 0


@pytest.fixture(autouse=True)
def _own_parse_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parse cache folder of the test's own (made by docgen when it first writes
    there); subprocesses the test starts inherit it."""
    global _cache_tests
    _cache_tests += 1
    folder = Path(os.environ["DOCGEN_TEST_CACHE_DIR"]) / f"{os.getpid()}-{_cache_tests}"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(folder))
# Tests never write into the repository's data/: rendering records issued documents in
# the workspace's register (docgen/register.py), so the session works on a copy, SAMPLE.
# It is made on first use (a process that only imports this file, such as a spawned pool
# worker, makes none) and removed when the session ends (pytest_sessionfinish).
_session_copy: Path | None = None


def __getattr__(name: str) -> Path:
    global _session_copy
    if name != "SAMPLE":
        raise AttributeError(name)
    _session_copy = Path(tempfile.mkdtemp(prefix="docgen-mau-"))
    sample = _session_copy / "data"
    shutil.copytree(
        REPO / "data", sample, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*")
    )
    globals()["SAMPLE"] = sample
    return sample


GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_CELLS = ["to-dan-pho-5", "truong-tieu-hoc-hoa-sua", "co-quan-phuong", "cong-an-phuong"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # pytest imports this file as "conftest", the test modules as "tests.conftest": each
    # import makes its own copy.
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) != __file__:
            continue
        if module._session_copy is not None:
            shutil.rmtree(module._session_copy, ignore_errors=True)
        if module._cache_root is not None:
            shutil.rmtree(module._cache_root, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A LibreOffice test is a slow one too: pytest -m "not slow" leaves it out.
    for item in items:
        if item.get_closest_marker("libreoffice") is not None:
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.txt from the current output (then review the diff)",
    )


# The browser tests' Chromium: Debian's (apt), since Playwright's own download cannot work here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
HAVE_PLAYWRIGHT = importlib.util.find_spec("playwright") is not None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The system Chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_ws(tmp_path: Path) -> Path:
    """A writable copy of the sample workspace."""
    target = tmp_path / "data"
    shutil.copytree(
        REPO / "data", target, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*")
    )
    return target


@pytest.fixture
def make_tree() -> Callable[[Path, dict[str, str | bytes]], Path]:
    """Write ``{relative path: text}`` under a root; text is dedented."""

    def build(root: Path, files: dict[str, str | bytes]) -> Path:
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return build


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare ``text`` with tests/golden/<name>; ``--update-golden`` rewrites it."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8")

    return check


def edit_yaml(path: Path, old: str, new: str) -> None:
    """Replace one exact snippet in a YAML file (the test fails if it is absent)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(
    soffice_path() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils are optional locally; CI installs them",
)


def calc_installed() -> bool:
    """Whether LibreOffice can open a spreadsheet: its Calc module (Debian's
    ``libreoffice-calc``, apart from ``libreoffice-writer``) is beside ``soffice``."""
    exe = soffice_path()
    if exe is None:
        return False
    program = Path(os.path.realpath(exe)).parent
    # Linux and Windows: program/libsclo.so, sclo.dll; macOS: Contents/Frameworks/libsclo.dylib
    return any(any(folder.glob("*sclo.*")) for folder in (program, program.parent / "Frameworks"))


needs_calc = pytest.mark.skipif(
    not calc_installed(),
    reason="LibreOffice Calc is needed to open .xlsx (Debian package libreoffice-calc); CI installs it",
)


def convert_to_pdf(files: list[Path], outdir: Path) -> list[Path]:
    """Convert .docx files to PDF with one soffice process and a private profile."""
    exe = soffice_path()
    assert exe is not None
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [outdir / (f.stem + ".pdf") for f in files]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
