"""What a cell meeting's minutes (biên bản) need beyond the date and attendance.

The meetings themselves are typed once, where the other documents already read
them: the meeting adopting a resolution (``hoi_nghi`` of ``phan-cong*.yaml``), the
quarter's meetings (``buoi_sinh_hoat`` of ``quy-<N>.yaml``) and the year-end meeting
(``hoi_nghi`` of ``nam.yaml``, else the last meeting of quarter IV). These fields add
the minutes' details; every one is optional, and docgen fills a sensible default
(chair: the secretary; the vote: every member present agrees).
"""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, DoanVan, Dong, Gio, Ma

__all__ = ["BieuQuyet", "ChiTietHop", "YKien"]


class YKien(Base):
    """One opinion raised at the meeting: by a member (id) or a guest (name), or unattributed."""

    dang_vien: Ma | None = None
    nguoi: Dong | None = Field(None, description="Người phát biểu không phải đảng viên của chi bộ")
    noi_dung: Dong

    @model_validator(mode="after")
    def _one_speaker(self) -> YKien:
        if self.dang_vien is not None and self.nguoi is not None:
            raise PydanticCustomError(
                "y_kien_nguoi", "ghi dang_vien (mã đảng viên) hoặc nguoi (họ tên khách), không ghi cả hai"
            )
        return self


class BieuQuyet(Base):
    """One vote: on an item (``noi_dung``) or on one member's classification (``dang_vien``).

    ``tan_thanh`` left out means every member present agreed.
    """

    noi_dung: Dong | None = None
    dang_vien: Ma | None = None
    tan_thanh: int | None = Field(None, ge=0, le=10000, description="Số đồng chí tán thành")
    khong_tan_thanh: int = Field(0, ge=0, le=10000, description="Số đồng chí không tán thành")

    @model_validator(mode="after")
    def _one_subject(self) -> BieuQuyet:
        if (self.noi_dung is None) == (self.dang_vien is None):
            raise PydanticCustomError(
                "bieu_quyet_doi_tuong",
                "ghi đúng một trong hai: noi_dung (việc biểu quyết) hoặc dang_vien "
                "(biểu quyết mức xếp loại của một đảng viên)",
            )
        return self


class ChiTietHop(Base):
    """The minutes' details of a meeting (all optional)."""

    gio_bat_dau: Gio | None = Field(None, description="Giờ bắt đầu họp")
    gio_ket_thuc: Gio | None = Field(None, description="Giờ kết thúc họp")
    dia_diem: Dong | None = Field(None, description="Địa điểm họp; bỏ trống thì lấy dia_diem_hop của chi bộ")
    chu_tri: Ma | None = Field(None, description="Mã đảng viên chủ trì; mặc định là bí thư")
    thu_ky: Ma | None = Field(None, description="Mã đảng viên ghi biên bản; mặc định là một chi ủy viên")
    khach_moi: DoanVan | None = Field(None, description="Khách mời dự họp, mỗi người một dòng")
    chuong_trinh: DoanVan | None = Field(None, description="Chương trình họp; bỏ trống thì docgen viết")
    y_kien: list[YKien] = Field(default_factory=list)
    bieu_quyet: list[BieuQuyet] = Field(default_factory=list)
    so_bien_ban: int | None = Field(
        None, ge=1, le=9999, description="Số của biên bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký"
    )

    @model_validator(mode="after")
    def _times(self) -> ChiTietHop:
        start, end = self.gio_bat_dau, self.gio_ket_thuc
        if start is not None and end is not None and end <= start:
            raise PydanticCustomError(
                "gio_ket_thuc",
                "giờ kết thúc ({end}) phải sau giờ bắt đầu ({start})",
                {"end": end.strftime("%H:%M"), "start": start.strftime("%H:%M")},
            )
        return self
