"""Task assignment to members (phan-cong*.yaml): the notice or resolution and its tasks.

The tasks are also the facts the quarterly and annual evaluations read later:
whether each was done, on time, late, or exceeded (docgen/rules/tasks.py).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, DoanVan, Dong, Ma, Ngay
from docgen.models.meeting import ChiTietHop

__all__ = ["HoiNghi", "NhiemVu", "PhanCongFile", "PhanCongNhiemVu", "TRANG_THAI", "VangMat"]

TRANG_THAI = ("chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "hoan_thanh_vuot", "qua_han")
TrangThai = Literal["chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "hoan_thanh_vuot", "qua_han"]
DONE = ("hoan_thanh", "hoan_thanh_vuot")


class VangMat(Base):
    """A member absent from the meeting, with the reason."""

    dang_vien: Ma
    ly_do: Dong


class _HoiNghiCoBan(Base):
    ngay: Ngay
    so_co_mat: int = Field(ge=1, le=10000, description="Số đảng viên có mặt")
    vang: list[VangMat] = Field(default_factory=list)


class HoiNghi(ChiTietHop, _HoiNghiCoBan):
    """A cell meeting: the one adopting a resolution, or the year-end review.

    Date and attendance first; the minutes' details (ChiTietHop) are optional.
    """


class NhiemVu(Base):
    """One task given to one member."""

    dang_vien: Ma
    noi_dung: Dong = Field(description="Nhiệm vụ được phân công")
    dia_ban: Dong | None = Field(None, description="Địa bàn, đối tượng phụ trách")
    san_pham: Dong | None = Field(None, description="Sản phẩm, kết quả cần đạt")
    thoi_han: Ngay | None = None
    thuong_xuyen: bool = False
    trang_thai: TrangThai = "chua_thuc_hien"
    ngay_hoan_thanh: Ngay | None = None
    ghi_chu: Dong | None = None

    @model_validator(mode="after")
    def _consistent(self) -> NhiemVu:
        if self.thoi_han is None and not self.thuong_xuyen:
            raise PydanticCustomError(
                "thoi_han_thieu",
                "nhiệm vụ chưa có thời hạn; ghi thoi_han, hoặc ghi thuong_xuyen: true "
                "nếu là nhiệm vụ thường xuyên",
            )
        if self.ngay_hoan_thanh is not None and self.trang_thai not in DONE:
            raise PydanticCustomError(
                "ngay_hoan_thanh_thua",
                "có ngay_hoan_thanh nhưng trạng thái là '{state}'; trạng thái phải là "
                "hoan_thanh hoặc hoan_thanh_vuot",
                {"state": self.trang_thai},
            )
        if self.trang_thai in DONE and self.ngay_hoan_thanh is None and not self.thuong_xuyen:
            raise PydanticCustomError(
                "ngay_hoan_thanh_thieu",
                "nhiệm vụ đã hoàn thành cần ghi ngay_hoan_thanh",
            )
        return self


class PhanCongNhiemVu(Base):
    """A notice (Thông báo) or resolution (Nghị quyết) assigning tasks to members."""

    so: int | None = Field(
        None, ge=1, le=9999, description="Số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký"
    )
    ngay_ban_hanh: Ngay
    hinh_thuc: Literal["thong_bao", "nghi_quyet"] = "thong_bao"
    hoi_nghi: HoiNghi | None = None
    can_cu: DoanVan | None = None
    nhiem_vu: list[NhiemVu] = Field(min_length=1)
    nguoi_ky: Ma | None = None
    noi_nhan: DoanVan | None = None

    @model_validator(mode="after")
    def _meeting_for_resolution(self) -> PhanCongNhiemVu:
        if self.hinh_thuc == "nghi_quyet" and self.hoi_nghi is None:
            raise PydanticCustomError(
                "hoi_nghi_thieu",
                "nghị quyết phải ghi hoi_nghi (ngày họp, số đảng viên có mặt) của hội nghị chi bộ",
            )
        return self


class PhanCongFile(Base):
    """The file ``<nam>/phan-cong*.yaml``."""

    phan_cong_nhiem_vu: PhanCongNhiemVu
