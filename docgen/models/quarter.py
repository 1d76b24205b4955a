"""A cell's quarterly facts and self-assessment (``<nam>/quy-<N>.yaml``)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, DoanVan, Dong, Ma, Ngay
from docgen.models.meeting import ChiTietHop
from docgen.models.rules import Level
from docgen.models.tasks import VangMat

__all__ = [
    "BaoCaoQuy",
    "BaoCaoQuyFile",
    "BuoiSinhHoat",
    "DangPhi",
    "DanhGiaDangVien",
    "KetQuaTieuChi",
    "KyLuat",
    "SuViec",
    "TuDanhGia",
]


class _BuoiSinhHoatCoBan(Base):
    ngay: Ngay
    loai: Literal["thuong_ky", "chuyen_de"] = "thuong_ky"
    chu_de: Dong | None = None
    co_mat: int = Field(ge=0, le=10000, description="Số đảng viên có mặt")
    vang: list[VangMat] = Field(default_factory=list)
    danh_gia_quy: bool = Field(
        False, description="Buổi họp đánh giá, xếp loại của quý; mặc định là buổi cuối cùng trước ngày báo cáo"
    )


class BuoiSinhHoat(ChiTietHop, _BuoiSinhHoatCoBan):
    """One meeting held: regular (thường kỳ) or thematic (chuyên đề), with the
    minutes' details when it is the quarter's evaluation meeting."""


class SuViec(Base):
    """A dated event: a complaint letter, a disunity finding."""

    ngay: Ngay
    noi_dung: Dong


class KyLuat(Base):
    """A discipline decision against a member."""

    dang_vien: Ma
    hinh_thuc: Literal["khien_trach", "canh_cao", "cach_chuc", "khai_tru"]
    ngay: Ngay
    ly_do: Dong
    tu_phat_hien_khac_phuc: bool = False


class DangPhi(Base):
    """Party dues: members who had to pay and members who paid."""

    so_phai_dong: int = Field(ge=0, le=10000)
    so_da_dong: int = Field(ge=0, le=10000)

    @model_validator(mode="after")
    def _paid_not_above_due(self) -> DangPhi:
        if self.so_da_dong > self.so_phai_dong:
            raise PydanticCustomError(
                "dang_phi", "số đã đóng ({paid}) lớn hơn số phải đóng ({due})",
                {"paid": self.so_da_dong, "due": self.so_phai_dong},
            )
        return self


class KetQuaTieuChi(Base):
    """The quarter's results in prose, per criterion."""

    lanh_dao: DoanVan = Field(min_length=1)
    sinh_hoat: DoanVan = Field(min_length=1)
    doan_ket: DoanVan = Field(min_length=1)
    doi_ngu_dang_vien: DoanVan = Field(min_length=1)

    # Criterion 4 was once written ``dang_vien``, the key that means members everywhere else.
    renamed_keys: ClassVar[dict[str, str]] = {"dang_vien": "doi_ngu_dang_vien"}


class TuDanhGia(Base):
    """A self-assessment: general criteria (of 30) + tasks (of 70) and the level proposed."""

    diem_chung: float = Field(ge=0, le=100)
    diem_nhiem_vu: float = Field(ge=0, le=100)
    tu_nhan: Level


class DanhGiaDangVien(Base):
    """One member's quarterly self-assessment."""

    ma: Ma
    diem_chung: float | None = Field(None, ge=0, le=100)
    diem_nhiem_vu: float | None = Field(None, ge=0, le=100)
    tu_nhan: Level | None = None
    chi_bo_de_xuat: Level | None = Field(
        None, description="Mức chi bộ đề xuất, nếu khác mức đảng viên tự nhận"
    )
    nghi_om_thang: float = Field(0, ge=0, le=3, description="Số tháng nghỉ ốm trong quý (tối đa 3)")
    nghi_thai_san: bool = False
    ghi_chu: Dong | None = None

    @model_validator(mode="after")
    def _both_scores(self) -> DanhGiaDangVien:
        if (self.diem_chung is None) != (self.diem_nhiem_vu is None):
            raise PydanticCustomError(
                "diem_thieu", "ghi đủ cả diem_chung và diem_nhiem_vu, hoặc bỏ cả hai"
            )
        return self


class BaoCaoQuy(Base):
    """The facts of one quarter and the cell's report on it."""

    so: int | None = Field(
        None, ge=1, le=9999, description="Số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký"
    )
    ngay_ban_hanh: Ngay
    sinh_hoat_thuong_ky_ke_hoach: int = Field(ge=0, le=31, description="Số buổi thường kỳ theo kế hoạch")
    buoi_sinh_hoat: list[BuoiSinhHoat] = Field(default_factory=list)
    dang_phi: DangPhi
    don_thu: list[SuViec] = Field(default_factory=list)
    mat_doan_ket: list[SuViec] = Field(default_factory=list)
    ky_luat: list[KyLuat] = Field(default_factory=list)
    chi_uy_bi_ky_luat: bool = Field(False, description="Tập thể chi ủy bị kỷ luật trong quý")
    tinh_hinh: DoanVan | None = None
    ket_qua: KetQuaTieuChi
    han_che: DoanVan = Field(min_length=1)
    nguyen_nhan: DoanVan = Field(min_length=1)
    phuong_huong: DoanVan = Field(min_length=1)
    kien_nghi: DoanVan = Field(default_factory=list)
    chi_bo: TuDanhGia
    dang_vien: list[DanhGiaDangVien] = Field(default_factory=list)
    nguoi_ky: Ma | None = None
    noi_nhan: DoanVan | None = None


class BaoCaoQuyFile(Base):
    """The file ``<nam>/quy-<N>.yaml``."""

    bao_cao_quy: BaoCaoQuy
