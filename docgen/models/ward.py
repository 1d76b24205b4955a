"""The ward committee's own period files (``data/<nam>/*.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docgen.models.common import Base, DoanVan, Dong, Ma, Ngay
from docgen.models.rules import Level

__all__ = [
    "CongNhan",
    "CongNhanChiBo",
    "CongNhanDangVien",
    "TongHopNam",
    "TongHopNamFile",
    "TongHopQuy",
    "TongHopQuyFile",
    "VanBanDangUy",
]


class VanBanDangUy(Base):
    """What every document of the ward committee carries: number, date, signer."""

    so: int = Field(ge=1, le=9999)
    ngay_ban_hanh: Ngay
    tham_quyen: Literal["dang_uy", "ban_thuong_vu"] = Field(
        "dang_uy", description="Ký thay mặt Đảng ủy (T/M ĐẢNG ỦY) hay Ban Thường vụ"
    )
    nguoi_ky: Dong = Field(description="Họ tên người ký, là bí thư hoặc phó bí thư đảng ủy")
    noi_nhan: DoanVan | None = None


class TongHopQuy(VanBanDangUy):
    """The ward's quarterly summary: its own wording around the computed table."""

    danh_gia_chung: DoanVan = Field(default_factory=list)
    phuong_huong: DoanVan = Field(default_factory=list)


class TongHopQuyFile(Base):
    """The file ``data/<nam>/tong-hop-quy-<N>.yaml``."""

    tong_hop_quy: TongHopQuy


class CongNhanChiBo(Base):
    """The committee's decision on a cell's level."""

    chi_bo: Ma
    muc: Level
    ly_do: Dong | None = None


class CongNhanDangVien(Base):
    """The committee's decision on a member's level, where it differs from the proposal."""

    chi_bo: Ma
    dang_vien: Ma
    muc: Level
    ly_do: Dong | None = None


class CongNhan(Base):
    """The committee's decisions; cells and members not listed keep the level proposed."""

    chi_bo: list[CongNhanChiBo] = Field(default_factory=list)
    dang_vien: list[CongNhanDangVien] = Field(default_factory=list)


class TongHopNam(VanBanDangUy):
    """The ward's annual summary; without ``cong_nhan`` it is a draft of the proposals."""

    danh_gia_chung: DoanVan = Field(default_factory=list)
    phuong_huong: DoanVan = Field(default_factory=list)
    cong_nhan: CongNhan | None = None


class TongHopNamFile(Base):
    """The file ``data/<nam>/tong-hop-nam.yaml``."""

    tong_hop_nam: TongHopNam
