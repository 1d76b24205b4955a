"""The cell's annual plan for building a "chi bộ bốn tốt" (ke-hoach.yaml)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, DoanVan, Dong, Ma, Ngay

__all__ = ["ChiTieu", "KeHoach", "KeHoachFile", "MocThoiGian", "PhanCongThucHien"]


class ChiTieu(Base):
    """The cell's targets for each of the four criteria (seed plan II.1)."""

    lanh_dao: DoanVan = Field(min_length=1)
    sinh_hoat: DoanVan = Field(min_length=1)
    doan_ket: DoanVan = Field(min_length=1)
    doi_ngu_dang_vien: DoanVan = Field(min_length=1)

    # Criterion 4 was once written ``dang_vien``, the key that means members everywhere else.
    renamed_keys: ClassVar[dict[str, str]] = {"dang_vien": "doi_ngu_dang_vien"}


class PhanCongThucHien(Base):
    """Who carries out which part of the plan: a member (by id) or a group in words."""

    dang_vien: Ma | None = None
    doi_tuong: Dong | None = Field(None, description="Nhóm người thực hiện, ví dụ Chi ủy")
    nhiem_vu: Dong

    @model_validator(mode="after")
    def _one_subject(self) -> PhanCongThucHien:
        if (self.dang_vien is None) == (self.doi_tuong is None):
            raise PydanticCustomError(
                "phan_cong_doi_tuong",
                "ghi đúng một trong hai: dang_vien (mã đảng viên) hoặc doi_tuong (nhóm người)",
            )
        return self


class MocThoiGian(Base):
    """One step of the timeline."""

    thoi_gian: Dong
    noi_dung: Dong


class KeHoach(Base):
    """The plan's own facts. Omitted prose falls back to the defaults of bon-tot.yaml."""

    so: int | None = Field(
        None, ge=1, le=9999, description="Số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký"
    )
    ngay_ban_hanh: Ngay
    can_cu: DoanVan | None = None
    muc_dich: DoanVan | None = None
    yeu_cau: DoanVan | None = None
    chi_tieu: ChiTieu
    han_che: DoanVan = Field(min_length=1)
    giai_phap: DoanVan = Field(min_length=1)
    phan_cong: list[PhanCongThucHien] = Field(min_length=1)
    lich_trinh: list[MocThoiGian] = Field(min_length=1)
    bao_cao: DoanVan | None = None
    nguoi_ky: Ma | None = Field(None, description="Mã đảng viên ký; mặc định là bí thư")
    noi_nhan: DoanVan | None = None


class KeHoachFile(Base):
    """The file ``<nam>/ke-hoach.yaml``."""

    ke_hoach: KeHoach
