"""Data files shipped with docgen: the format profile and the "bốn tốt" reference text."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from docgen.models.common import Base, DoanVan, Dong
from docgen.validation import validate
from docgen.yamlsource import load_source

if TYPE_CHECKING:  # the format profile's models are built where a profile is read (not by check)
    from docgen.models.profile import TheThuc

__all__ = ["BonTot", "bon_tot", "builtin_dir", "builtin_name", "profile", "load_profile"]

# docgen's own folder, wherever it is installed (only a folder on disk is supported).
_PACKAGE = Path(str(files("docgen")))
_RESOURCES = _PACKAGE / "resources"

# The folders of built-in files, by kind: (inside the installed package, in the project).
# The project's folders (templates/docx, rules/) are the ones the ward office and
# tools/build_templates.py edit; pyproject.toml maps them into the wheel at docgen/data/.
_BUILTIN: dict[str, tuple[str, str]] = {
    "templates": ("data/templates", "templates/docx"),
    "rules": ("data/rules", "rules"),
    "docs": ("data/docs", "docs"),  # the glossary (docs/vocabulary.md), for docgen.glossary
}


@cache
def builtin_dir(kind: Literal["templates", "rules", "docs"]) -> Path:
    """The folder of docgen's built-in templates, rule sets or glossary.

    An installed wheel has them inside the package (docgen/data/...). An editable install
    or a source checkout has no copy there (setuptools cannot map a folder into a package
    for an editable install): it reads the project's own folder next to the package.
    """
    shipped, project = _BUILTIN[kind]
    inside = _PACKAGE / shipped
    return inside if inside.is_dir() else _PACKAGE.parent / project


def builtin_name(path: Path, *, resolved: bool = False) -> str | None:
    """How messages and manifests name ``path`` when it is one of docgen's built-in files:
    ``bao-cao-quy.docx`` for a template, ``rules/qd366-2025.yaml`` for a rule set; None
    for any other file. ``resolved``: the caller resolved ``path`` already."""
    resolved_path = path if resolved else path.resolve()
    if resolved_path.parent == _resolved_dir("templates"):
        return resolved_path.name
    if resolved_path.parent == _resolved_dir("rules"):
        return f"rules/{resolved_path.name}"
    return None


@cache
def _resolved_dir(kind: Literal["templates", "rules"]) -> Path:
    """``builtin_dir(kind)``, symlinks resolved (docgen's own folders: once per process)."""
    return builtin_dir(kind).resolve()


class TieuChiMau(Base):
    ma: Dong
    ten: Dong
    mo_ta: Dong


class LoaiChiBoMau(Base):
    ten: Dong
    neu_guong: DoanVan


class KeHoachMau(Base):
    muc_dich: DoanVan
    yeu_cau: DoanVan
    bao_cao: DoanVan
    noi_nhan: DoanVan
    luu: Dong


class BonTot(Base):
    """The reference text of the "chi bộ bốn tốt" model (resources/bon-tot.yaml)."""

    tieu_chi: list[TieuChiMau] = Field(min_length=4, max_length=4)
    loai_chi_bo: dict[str, LoaiChiBoMau]
    ke_hoach_chi_bo: KeHoachMau


def load_profile(path: Path) -> TheThuc:
    """Load and validate a format profile file."""
    from docgen.models.profile import TheThuc

    return validate(load_source(path), TheThuc)


@cache
def profile() -> TheThuc:
    """The built-in format profile (resources/the-thuc.yaml)."""
    return load_profile(_RESOURCES / "the-thuc.yaml")


@cache
def bon_tot() -> BonTot:
    """The built-in "bốn tốt" reference text (resources/bon-tot.yaml)."""
    return validate(load_source(_RESOURCES / "bon-tot.yaml"), BonTot)
