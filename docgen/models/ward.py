"""The ward committee's own period files (``data/<nam>/*.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, DoanVan, Dong, Ma, Ngay
from docgen.models.rules import Level

__all__ = [
    "CongNhan",
    "CongNhanChiBo",
    "CongNhanDangVien",
    "TongHopNam",
    "TongHopNamFile",
    "KeHoachDangUy",
    "KeHoachDangUyFile",
    "NhomNeuGuong",
    "TieuChiBonTot",
    "ToChucThucHien",
    "TongHopQuy",
    "TongHopQuyFile",
    "VanBanDangUy",
]


class VanBanDangUy(Base):
    """What every document of the ward committee carries: number, date, signer."""

    so: int | None = Field(
        None, ge=1, le=9999, description="Số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký"
    )
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
# The four criteria of the model (Nghị quyết 21-NQ/TW; seed plan II.1).
SO_TIEU_CHI = 4


class TieuChiBonTot(Base):
    """One of the four criteria as the ward words it: ``1.1. <ten>: <noi_dung>``."""

    ten: Dong
    noi_dung: Dong


class NhomNeuGuong(Base):
    """Exemplary-conduct duties of the members of one kind of cell (seed II.1, ``*`` lines)."""

    doi_tuong: Dong = Field(description="Chi bộ nào, sau chữ “đảng viên ở”")
    noi_dung: DoanVan = Field(min_length=1)


class ToChucThucHien(Base):
    """Who carries out the plan and how (seed III): one paragraph, or several dash items."""

    doi_tuong: Dong
    noi_dung: DoanVan = Field(min_length=1)


class KeHoachDangUy(VanBanDangUy):
    """The ward committee's plan for building "chi bộ bốn tốt" (the seed document, KH/ĐU)."""

    trich_yeu: Dong = "triển khai xây dựng mô hình “chi bộ bốn tốt”"
    thuc_hien: DoanVan = Field(
        min_length=1, description="Các văn bản kế hoạch thực hiện, ghi sau chữ “Thực hiện”"
    )
    muc_dich: DoanVan = Field(min_length=1)
    yeu_cau: DoanVan = Field(min_length=1)
    tieu_chi: list[TieuChiBonTot]
    ghi_chu_tieu_chi: DoanVan = Field(default_factory=list)
    neu_guong: list[NhomNeuGuong] = Field(default_factory=list)
    giai_phap: DoanVan = Field(min_length=1)
    to_chuc_thuc_hien: list[ToChucThucHien] = Field(min_length=1)
    ket_luan: DoanVan = Field(min_length=1)

    @field_validator("tieu_chi")
    @classmethod
    def _four_criteria(cls, value: list[TieuChiBonTot]) -> list[TieuChiBonTot]:
        if len(value) != SO_TIEU_CHI:
            raise PydanticCustomError(
                "so_tieu_chi",
                "mô hình “chi bộ bốn tốt” có đúng {n} tiêu chí, ở đây có {m}",
                {"n": SO_TIEU_CHI, "m": len(value)},
            )
        return value


class KeHoachDangUyFile(Base):
    """The file ``data/<nam>/ke-hoach-dang-uy.yaml``."""

    ke_hoach_dang_uy: KeHoachDangUy
