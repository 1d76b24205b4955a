"""Data files shipped with docgen: the format profile and the "bốn tốt" reference text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field

from docgen.models.common import Base, DoanVan, Dong
from docgen.models.profile import TheThuc
from docgen.validation import validate
from docgen.yamlsource import load_source

__all__ = ["BonTot", "RESOURCES", "REPO_ROOT", "bon_tot", "profile", "load_profile"]

RESOURCES = Path(__file__).parent
# The repository root holds templates/docx and rules/ (docgen is installed editable).
REPO_ROOT = RESOURCES.parent.parent


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
    return validate(load_source(path), TheThuc)


@cache
def profile() -> TheThuc:
    """The built-in format profile (resources/the-thuc.yaml)."""
    return load_profile(RESOURCES / "the-thuc.yaml")


@cache
def bon_tot() -> BonTot:
    """The built-in "bốn tốt" reference text (resources/bon-tot.yaml)."""
    return validate(load_source(RESOURCES / "bon-tot.yaml"), BonTot)
