"""A cell's quarterly facts and self-assessment (``<nam>/quy-<N>.yaml``)."""

from __future__ import annotations

from datetime import date
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
    "KyNghiOm",
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


class KyNghiOm(Base):
    """One sick leave, from one date to another, both days included."""

    tu_ngay: Ngay
    den_ngay: Ngay

    @model_validator(mode="after")
    def _ordered(self) -> KyNghiOm:
        if self.den_ngay < self.tu_ngay:
            raise PydanticCustomError(
                "nghi_om_nguoc",
                "kỳ nghỉ ốm {start} - {end}: den_ngay trước tu_ngay",
                {"start": self.tu_ngay.strftime("%d/%m/%Y"), "end": self.den_ngay.strftime("%d/%m/%Y")},
            )
        return self

    def span(self) -> tuple[date, date]:
        return (self.tu_ngay, self.den_ngay)


def check_sick_leave(forms: dict[str, bool], leaves: list[KyNghiOm] | None) -> None:
    """Sick leave is written one way per entry (``forms``: key -> written), and its leaves
    do not share a day. Raises the located error of the entry."""
    written = [key for key, given in forms.items() if given]
    if len(written) > 1:
        raise PydanticCustomError(
            "nghi_om_hai_cach",
            "nghỉ ốm chỉ ghi một cách: {written} cùng ghi; giữ một trong nghi_om (các kỳ nghỉ "
            "từ ngày, đến ngày), nghi_om_ngay (số ngày) hoặc nghi_om_thang (số tháng)",
            {"written": " và ".join(written)},
        )
    leaves = leaves or []
    for j, later in enumerate(leaves):
        for i, earlier in enumerate(leaves[:j]):
            if earlier.tu_ngay <= later.den_ngay and later.tu_ngay <= earlier.den_ngay:
                raise PydanticCustomError(
                    "nghi_om_trung",
                    "kỳ nghỉ ốm thứ {j} ({later}) trùng ngày với kỳ thứ {i} ({earlier})",
                    {
                        "i": i + 1,
                        "j": j + 1,
                        "earlier": _span_text(earlier),
                        "later": _span_text(later),
                    },
                )


def _span_text(leave: KyNghiOm) -> str:
    return f"{leave.tu_ngay.strftime('%d/%m/%Y')} - {leave.den_ngay.strftime('%d/%m/%Y')}"


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
    # Sick leave, one of three ways (docgen/rules/sick.py adds them up): the leaves, from
    # one date to another within the quarter; a number of days; or, as files written
    # before, a decimal number of months.
    # A leave lasts a day at least and leaves may not share a day: a quarter (at most 92
    # days) holds at most 92 (also what keeps the pairwise overlap check small).
    nghi_om: list[KyNghiOm] = Field(
        default_factory=list,
        max_length=92,
        description="Các kỳ nghỉ ốm trong quý: tu_ngay, den_ngay (tính cả hai ngày)",
    )
    nghi_om_ngay: int | None = Field(None, ge=0, le=92, description="Số ngày nghỉ ốm trong quý")
    nghi_om_thang: float = Field(0, ge=0, le=3, description="Số tháng nghỉ ốm trong quý (tối đa 3)")
    nghi_thai_san: bool = False
    ghi_chu: Dong | None = None

    @model_validator(mode="after")
    def _both_scores(self) -> DanhGiaDangVien:
        if (self.diem_chung is None) != (self.diem_nhiem_vu is None):
            raise PydanticCustomError(
                "diem_thieu", "ghi đủ cả diem_chung và diem_nhiem_vu, hoặc bỏ cả hai"
            )
        check_sick_leave(
            {"nghi_om": bool(self.nghi_om), "nghi_om_ngay": bool(self.nghi_om_ngay),
             "nghi_om_thang": bool(self.nghi_om_thang)},
            self.nghi_om,
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
