"""The rule set (rules/*.yaml): score bands, conditions, triggers, caps, quota, "bốn tốt"."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, Dong

__all__ = ["LEVELS", "Level", "BoQuyTac"]

LEVELS = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")
Level = Literal["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]


class ThangDiem(Base):
    diem_chung_toi_da: int = Field(gt=0, le=100)
    diem_nhiem_vu_toi_da: int = Field(gt=0, le=100)


class MucXepLoai(Base):
    ma: Level
    ten: Dong
    diem_toi_thieu: float = Field(ge=0, le=100)


class DieuKienMuc(Base):
    """Extra conditions of one level (each omitted one does not apply)."""

    ty_le_dung_han_toi_thieu: float | None = Field(None, ge=0, le=100)
    ty_le_vuot_muc_toi_thieu: float | None = Field(None, ge=0, le=100)
    ty_le_hoan_thanh_toi_thieu: float | None = Field(None, ge=0, le=100)
    ty_le_cham_toi_da: float | None = Field(None, ge=0, le=100)
    khong_co_chi_uy_vien_bi_ky_luat: bool = False


class DieuKien(Base):
    ca_nhan: dict[Level, DieuKienMuc] = Field(default_factory=dict)
    tap_the: dict[Level, DieuKienMuc] = Field(default_factory=dict)


class BuocCaNhan(Base):
    bi_ky_luat_trong_ky: bool = True
    tru_khi_tu_phat_hien_khac_phuc: bool = True


class BuocTapThe(Base):
    mat_doan_ket: bool = True
    chi_uy_bi_ky_luat: bool = True
    ty_le_dang_vien_bi_ky_luat_vuot: float | None = Field(default=20, ge=0, le=100)


class BuocKhongHoanThanh(Base):
    ca_nhan: BuocCaNhan = Field(default_factory=BuocCaNhan)
    tap_the: BuocTapThe = Field(default_factory=BuocTapThe)


class GioiHan(Base):
    nghi_om_tu_thang: float = Field(3, gt=0, le=12)
    muc_toi_da_khi_nghi_om: Level = "hoan_thanh"
    # Days a month when sick leave is written as days or as separate leaves (docgen/rules/sick.py).
    ngay_mot_thang: int = Field(30, ge=28, le=31)


class KhongXepLoai(Base):
    mien_sinh_hoat: bool = True
    dinh_chi_sinh_hoat: bool = True
    vao_dang_chua_du_thang: int = Field(6, ge=0, le=24)
    # The date the months since admission are counted to: the cell's review meeting of the
    # period (the end of the period when the data gives no meeting) or the end of the period.
    tinh_den: Literal["ngay_hop", "cuoi_ky"] = "ngay_hop"
    # Probationary members (judged at the date ``tinh_den`` names): classified like full
    # members (xep_loai), or reviewed only, with no level (chi_kiem_diem).
    dang_vien_du_bi: Literal["xep_loai", "chi_kiem_diem"] = "xep_loai"


class HanMuc(Base):
    ty_le: float = Field(ge=0, le=100)
    co_so: Literal["tot", "tot_tro_len"] = "tot"
    lam_tron: Literal["xuong", "gan_nhat", "len"] = "xuong"
    cap_nam: Literal["chi_bo", "dang_bo"] = "dang_bo"


class LanhDao(Base):
    ty_le_nhiem_vu_hoan_thanh_toi_thieu: float = Field(ge=0, le=100)


class SinhHoat(Base):
    du_so_buoi_thuong_ky: bool = True
    so_buoi_chuyen_de_toi_thieu: int = Field(ge=0)
    ty_le_du_sinh_hoat_toi_thieu: float = Field(ge=0, le=100)


class DoanKet(Base):
    so_don_thu_toi_da: int = Field(ge=0)
    mat_doan_ket_phu_quyet: bool = True


class DangVienTot(Base):
    so_dang_vien_bi_ky_luat_toi_da: int = Field(ge=0)
    ty_le_dong_dang_phi_toi_thieu: float = Field(ge=0, le=100)


class BonTotQuyTac(Base):
    lanh_dao: LanhDao
    sinh_hoat: SinhHoat
    doan_ket: DoanKet
    doi_ngu_dang_vien: DangVienTot

    # Criterion 4 was once written ``dang_vien``, the key that means members everywhere else.
    renamed_keys: ClassVar[dict[str, str]] = {"dang_vien": "doi_ngu_dang_vien"}


class BoQuyTac(Base):
    """A rule set file."""

    ten: Dong
    thang_diem: ThangDiem
    muc_xep_loai: list[MucXepLoai] = Field(min_length=4, max_length=4)
    dieu_kien: DieuKien
    buoc_khong_hoan_thanh: BuocKhongHoanThanh
    gioi_han: GioiHan
    khong_xep_loai: KhongXepLoai
    han_muc_xuat_sac: HanMuc
    gop_quy_thanh_nam: Literal["trung_binh", "thap_nhat"] = "trung_binh"
    # The school year's first month, for cells that review by it (chi_bo.nam_danh_gia).
    thang_bat_dau_nam_hoc: int = Field(9, ge=2, le=12)
    bon_tot: BonTotQuyTac

    @model_validator(mode="after")
    def _bands_in_order(self) -> BoQuyTac:
        codes = [band.ma for band in self.muc_xep_loai]
        if codes != list(LEVELS):
            raise PydanticCustomError(
                "muc_thu_tu",
                "muc_xep_loai phải có đủ bốn mức theo thứ tự: xuat_sac, tot, hoan_thanh, "
                "khong_hoan_thanh",
            )
        scores = [band.diem_toi_thieu for band in self.muc_xep_loai]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != 4:
            raise PydanticCustomError(
                "muc_diem", "điểm tối thiểu của các mức phải giảm dần từ xuat_sac tới khong_hoan_thanh"
            )
        return self

    def level_name(self, code: str) -> str:
        """The Vietnamese name of a level code."""
        return next(band.ten for band in self.muc_xep_loai if band.ma == code)
