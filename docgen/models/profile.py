"""The format profile (the-thuc.yaml): layout values of Party documents, each with a source."""

from __future__ import annotations

from pydantic import Field

from docgen.models.common import Base

__all__ = ["BienBan", "KieuChu", "LoaiVanBan", "TheThuc"]


class KieuChu(Base):
    """A text style: size in points, the three emphases, upper case; optional fixed text."""

    co_chu: float = Field(gt=0, le=72)
    dam: bool = False
    nghieng: bool = False
    gach_chan: bool = False
    in_hoa: bool = False
    van_ban: str | None = None
    tien_to: str | None = None


class Trang(Base):
    rong_mm: float
    cao_mm: float
    le_tren_mm: float
    le_duoi_mm: float
    le_trai_mm: float
    le_phai_mm: float
    cach_mep_tren_so_trang_mm: float
    nguon: str


class PhongChu(Base):
    ten: str
    ngon_ngu: str
    nguon: str


class QuocHieu(KieuChu):
    do_dai_gach_mm: float


class TieuDe(Base):
    ty_le_cot_trai: float = Field(gt=10, lt=90)
    co_quan_cap_tren: KieuChu
    co_quan_ban_hanh: KieuChu
    dau_sao: KieuChu
    quoc_hieu: QuocHieu
    so_ky_hieu: KieuChu
    dia_danh_ngay: KieuChu
    nguon: str


class TenLoai(KieuChu):
    cach_tren_pt: float = 12


class NoiDung(Base):
    co_chu: float
    thut_dau_dong_mm: float
    cach_sau_pt: float
    gian_dong_pt: float
    nguon: str


class Bang(Base):
    co_chu: float
    co_chu_bang_rong: float = Field(description="Cỡ chữ của bảng nhiều cột")
    le_o_mm: float = Field(ge=0, le=5, description="Lề trái, phải trong ô chữ (căn trái) của bảng")
    le_o_giua_mm: float = Field(
        ge=0, le=5, description="Lề trái, phải trong ô căn giữa (số, ký hiệu, chữ ngắn) của bảng"
    )
    le_o_tren_duoi_mm: float = Field(ge=0, le=5, description="Lề trên, dưới trong ô của bảng")
    nguon: str


class ChuKy(Base):
    cach_ky: list[str] = Field(min_length=1, description="Cách ghi thẩm quyền ký: T/M, K/T, T/L")
    tham_quyen: KieuChu
    chuc_vu: KieuChu
    so_dong_trong: int = Field(ge=1, le=10)
    ho_ten: KieuChu
    nguon: str


class NoiNhan(Base):
    tieu_de: KieuChu
    muc: KieuChu
    luu: str = Field(description="Chữ mở đầu dòng cuối, sau tiền tố của mục: Lưu")
    nguon: str


class BienBan(Base):
    """Minutes (biên bản): no place-date line; two signatures side by side, no T/M, no recipients."""

    ten_loai: str = Field(description="Tên loại của biên bản: BIÊN BẢN")
    dong_dia_danh: bool = Field(False, description="Biên bản có dòng địa danh, ngày tháng ở tiêu đề")
    chu_ky_trai: list[str] = Field(min_length=1, description="Chức danh ký bên trái: THƯ KÝ")
    chu_ky_phai: list[str] = Field(min_length=1, description="Chức danh ký bên phải: CHỦ TRÌ")
    nguon: str


class LoaiVanBan(Base):
    """A document type: its name (the title line) and its code in the number."""

    ten: str
    ky_hieu: str


class SoTrang(Base):
    co_chu: float
    tu_trang: int = Field(ge=1)
    nguon: str


class TheThuc(Base):
    """The whole format profile."""

    ten: str
    trang: Trang
    phong_chu: PhongChu
    tieu_de: TieuDe
    ten_loai: TenLoai
    trich_yeu: KieuChu
    gach_trich_yeu: KieuChu | None = None
    nguon_ten_loai: str
    loai_van_ban: list[LoaiVanBan] = Field(min_length=1)
    nguon_loai_van_ban: str
    noi_dung: NoiDung
    bang: Bang
    chu_ky: ChuKy
    noi_nhan: NoiNhan
    bien_ban: BienBan
    so_trang: SoTrang
