"""The ward committee's own period files (``data/<nam>/*.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docgen.models.common import Base, DoanVan, Dong, Ngay

__all__ = ["TongHopQuy", "TongHopQuyFile", "VanBanDangUy"]


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
