"""A cell's year-end self-review (``<nam>/nam.yaml``), Mẫu 01 of Hướng dẫn 43-HD/BTCTW."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, DoanVan, Dong, Ma, Ngay
from docgen.models.quarter import KyLuat, KyNghiOm, check_sick_leave
from docgen.models.rules import Level
from docgen.models.tasks import HoiNghi

__all__ = ["BaoCaoNam", "BaoCaoNamFile", "DanhGiaNam", "TuDanhGiaNam"]


def _both_or_none(general: float | None, tasks: float | None) -> None:
    if (general is None) != (tasks is None):
        raise PydanticCustomError(
            "diem_thieu",
            "ghi đủ cả diem_chung và diem_nhiem_vu, hoặc bỏ cả hai để lấy điểm từ các quý",
        )


class TuDanhGiaNam(Base):
    """The cell's own annual score (omitted: aggregated from the quarters) and proposed level."""

    diem_chung: float | None = Field(None, ge=0, le=100)
    diem_nhiem_vu: float | None = Field(None, ge=0, le=100)
    de_xuat: Level

    @model_validator(mode="after")
    def _scores(self) -> TuDanhGiaNam:
        _both_or_none(self.diem_chung, self.diem_nhiem_vu)
        return self


class DanhGiaNam(Base):
    """One member's annual review: score (or from the quarters), the cell's proposal, leave."""

    ma: Ma
    diem_chung: float | None = Field(None, ge=0, le=100)
    diem_nhiem_vu: float | None = Field(None, ge=0, le=100)
    de_xuat: Level | None = Field(
        None, description="Mức chi bộ đề xuất; bỏ trống thì lấy mức cao nhất quy định cho phép"
    )
    # Sick leave of the year, one of three ways (as in the quarter files); none written:
    # the quarters' added up.
    # at most one leave a day of the year (see the quarter's nghi_om)
    nghi_om: list[KyNghiOm] | None = Field(
        None, max_length=366, description="Các kỳ nghỉ ốm trong năm; bỏ trống thì cộng từ các quý"
    )
    nghi_om_ngay: int | None = Field(
        None, ge=0, le=366, description="Số ngày nghỉ ốm trong năm; bỏ trống thì cộng từ các quý"
    )
    nghi_om_thang: float | None = Field(
        None, ge=0, le=12, description="Số tháng nghỉ ốm trong năm; bỏ trống thì cộng từ các quý"
    )
    nghi_thai_san: bool = False
    ghi_chu: Dong | None = None

    @model_validator(mode="after")
    def _scores(self) -> DanhGiaNam:
        _both_or_none(self.diem_chung, self.diem_nhiem_vu)
        check_sick_leave(
            {"nghi_om": self.nghi_om is not None, "nghi_om_ngay": self.nghi_om_ngay is not None,
             "nghi_om_thang": self.nghi_om_thang is not None},
            self.nghi_om,
        )
        return self

    @property
    def sick_written(self) -> bool:
        """Sick leave is written for the year (else the quarters' is added up)."""
        return self.nghi_om is not None or self.nghi_om_ngay is not None or self.nghi_om_thang is not None


class BaoCaoNam(Base):
    """The year-end review of the cell (kiểm điểm tập thể) and its classification proposals."""

    so: int | None = Field(
        None, ge=1, le=9999, description="Số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký"
    )
    ngay_ban_hanh: Ngay
    ket_qua: DoanVan = Field(min_length=1, description="Kết quả thực hiện nhiệm vụ, ưu điểm")
    han_che: DoanVan = Field(min_length=1)
    nguyen_nhan: DoanVan = Field(min_length=1)
    khac_phuc: DoanVan = Field(min_length=1, description="Kết quả khắc phục hạn chế đã chỉ ra")
    trach_nhiem: DoanVan = Field(min_length=1, description="Trách nhiệm của tập thể, cá nhân")
    phuong_huong: DoanVan = Field(min_length=1)
    ky_luat: list[KyLuat] = Field(
        default_factory=list, description="Kỷ luật trong năm chưa ghi ở các quý"
    )
    chi_bo: TuDanhGiaNam
    dang_vien: list[DanhGiaNam] = Field(default_factory=list)
    hoi_nghi: HoiNghi | None = Field(
        None, description="Hội nghị kiểm điểm cuối năm; bỏ trống thì lấy buổi họp cuối của quý IV"
    )
    nguoi_ky: Ma | None = None
    noi_nhan: DoanVan | None = None
    quan_chung_hoc_nhan_thuc: int | None = Field(
        None,
        ge=0,
        le=10000,
        description="Số quần chúng ưu tú học xong lớp bồi dưỡng nhận thức về Đảng trong năm; "
        "bỏ trống thì báo cáo không ghi số này",
    )


class BaoCaoNamFile(Base):
    """The file ``<nam>/nam.yaml``."""

    bao_cao_nam: BaoCaoNam
