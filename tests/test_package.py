"""Packaging: the wheel ships the built-in templates and rule sets, and docgen installed
from it (not editable, outside the checkout) makes the README's documents."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from docgen.resources import builtin_dir, builtin_name
from docgen.templates import BUILTIN_DIR
from docgen.workspace import RULES_DIR
from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def test_the_wheel_lists_every_docgen_package() -> None:
    """The package list is explicit (it adds the mapped data folders): a new docgen
    subpackage must be added to it, else the wheel lacks it."""
    mapped = set(SETUPTOOLS["package-dir"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "docgen").rglob("__init__.py")
    }
    assert set(SETUPTOOLS["packages"]) - mapped == found
    assert mapped == {"docgen.data.templates", "docgen.data.rules", "docgen.data.docs"}
    assert (REPO / SETUPTOOLS["package-dir"]["docgen.data.docs"] / "vocabulary.md").is_file()
    assert (REPO / SETUPTOOLS["package-dir"]["docgen.data.templates"]).resolve() == BUILTIN_DIR.resolve()
    assert (REPO / SETUPTOOLS["package-dir"]["docgen.data.rules"]).resolve() == RULES_DIR.resolve()


def test_builtin_dirs_in_a_checkout_are_the_project_folders() -> None:
    assert builtin_dir("templates") == BUILTIN_DIR
    assert BUILTIN_DIR.resolve() == (REPO / "templates" / "docx").resolve()
    assert RULES_DIR.resolve() == (REPO / "rules").resolve()


def test_builtin_name_names_only_docgen_own_files(sample_ws: Path, tmp_path: Path) -> None:
    assert builtin_name(BUILTIN_DIR / "bao-cao-quy.docx") == "bao-cao-quy.docx"
    assert builtin_name(RULES_DIR / "qd366-2025.yaml") == "rules/qd366-2025.yaml"
    # the same file reached through another path
    os.symlink(RULES_DIR, tmp_path / "lien-ket")
    assert builtin_name(tmp_path / "lien-ket" / "qd366-2025.yaml") == "rules/qd366-2025.yaml"
    # a copy elsewhere, a workspace's file and a file of the checkout are not built-in
    shutil.copy(BUILTIN_DIR / "ke-hoach.docx", tmp_path / "ke-hoach.docx")
    assert builtin_name(tmp_path / "ke-hoach.docx") is None
    assert builtin_name(sample_ws / "dang-bo.yaml") is None
    assert builtin_name(REPO / "pyproject.toml") is None


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_docgen_installed_from_the_wheel_makes_the_documents(tmp_path: Path) -> None:
    # Build from a copy of what the wheel needs, so the checkout gets no build/ or egg-info.
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("docgen", "templates", "rules", "docs"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, src], tmp_path, env)
    [wheel] = dist.glob("docgen-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {f"docgen/data/templates/{p.name}" for p in BUILTIN_DIR.glob("*.docx")} <= names
    assert {f"docgen/data/rules/{p.name}" for p in RULES_DIR.glob("*.yaml")} <= names
    assert "docgen/resources/the-thuc.yaml" in names
    assert {"docgen/data/docs/vocabulary.md", "docgen/web/templates/form.html", "docgen/web/static/docgen.css"} <= names

    # A fresh environment outside the checkout; the dependencies come from this one.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv], tmp_path, env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", wheel], tmp_path, env)
    where = tmp_path / "elsewhere"
    where.mkdir()
    shutil.copytree(
        REPO / "data", where / "data", ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*")
    )
    located = _run([python, "-c", "import docgen; print(docgen.__file__)"], where, env).strip()
    assert Path(located).resolve().is_relative_to(venv.resolve())

    docgen = bindir / "docgen"
    _run([docgen, "check"], where, env)
    # The README's command, and the plan the README shows first.
    _run([docgen, "batch", "--quy", "3", "--nam", "2026", "--bundle"], where, env)
    _run([docgen, "render", "ke-hoach", "--nam", "2026", "-o", "ke-hoach"], where, env)
    made = sorted((where / "output").rglob("*.docx")) + sorted((where / "ke-hoach").rglob("*.docx"))
    kinds = {p.name for p in made}
    assert {"bao-cao-quy-3.docx", "tong-hop-quy-3.docx", "ke-hoach.docx"} <= kinds, kinds
    for path in made:
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            assert "word/document.xml" in zf.namelist()
    # The manifest names the wheel's built-in files as it does in a checkout.
    [manifest] = (where / "output").rglob("manifest-quy-3.json")
    docs = json.loads(manifest.read_text(encoding="utf-8"))["van_ban"]
    assert {d["mau"] for d in docs} == {"có sẵn: bao-cao-quy.docx", "có sẵn: tong-hop-quy.docx"}
    sources = {s["tep"] for d in docs for s in d["tep_nguon"]}
    assert "có sẵn: rules/qd366-2025.yaml" in sources
