"""The organisation: the ward party organisation, its cells and their members."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from docgen.models.common import Base, DoanVan, Dong, Ma, Ngay, _single_line

__all__ = [
    "LOAI_CHI_BO",
    "MAX_CAP_TREN",
    "CaiDat",
    "ChiBo",
    "ChiBoFile",
    "DangBo",
    "DangBoFile",
    "DangVien",
    "DanhSachFile",
    "MienSinhHoat",
    "NhiemKy",
    "UyVien",
]

LOAI_CHI_BO = ("dia_ban_dan_cu", "truong_hoc", "co_quan", "cong_an", "khac")
# The Party was founded on 3 February 1930: nobody joined before.
NGAY_THANH_LAP_DANG = date(1930, 2, 3)
LoaiChiBo = Literal["dia_ban_dan_cu", "truong_hoc", "co_quan", "cong_an", "khac"]

# At most this many superior lines over the issuer in a header's left column. The format
# rule names one (the direct superior, party-document-format §2); cells under a
# sub-committee (đảng bộ bộ phận) and documents from before 7/2025 show the chain above
# them, at most three levels (city or district / ward / sub-committee, e.g. «ĐẢNG BỘ
# QUẬN BA ĐÌNH / ĐẢNG BỘ PHƯỜNG NGỌC HÀ / ĐẢNG BỘ BỘ PHẬN KHU 2»). A fourth line would
# push the number and the title down the page for no level that exists.
MAX_CAP_TREN = 3


def _superior_lines(value: Any) -> Any:
    """``cap_tren``: one line, or a list of lines from the highest body down."""
    if isinstance(value, str):
        return [_single_line(value)]
    if isinstance(value, list):
        if not value:
            raise PydanticCustomError(
                "trong", "không được để trống (cần ít nhất một dòng tên tổ chức đảng cấp trên)"
            )
        if len(value) > MAX_CAP_TREN:
            raise PydanticCustomError(
                "cap_tren_qua_nhieu",
                "ghi {count} dòng tên tổ chức cấp trên; tiêu đề chỉ ghi tối đa {max} dòng "
                "(cấp trên trực tiếp, hoặc cả các cấp trên nữa khi chi bộ thuộc đảng bộ bộ phận)",
                {"count": len(value), "max": MAX_CAP_TREN},
            )
        return value
    raise PydanticCustomError(
        "cap_tren_type", "phải là một dòng tên tổ chức, hoặc danh sách dòng (mỗi dòng bắt đầu bằng '- ')"
    )


CapTren = Annotated[list[Dong], BeforeValidator(_superior_lines)]
"""The superior body's name on one line, or the superior bodies' names from the highest down."""


class NhiemKy(Base):
    """The committee's term; document numbers restart at 01 in each term."""

    ten: Dong = Field(description="Tên nhiệm kỳ, ví dụ 2025 - 2030")
    tu_ngay: Ngay = Field(description="Ngày bế mạc đại hội mở đầu nhiệm kỳ")


class UyVien(Base):
    """A member of the ward committee (đảng ủy)."""

    ho_ten: Dong
    chuc_vu: Literal["bi_thu", "pho_bi_thu", "uy_vien_ban_thuong_vu", "dang_uy_vien"]


class DangBo(Base):
    """The ward party organisation (đảng bộ phường) and its committee."""

    ma: Ma = Field(description="Mã đảng bộ, dùng làm tên thư mục kết quả")
    ten: Dong = Field(description="Tên đảng bộ: Đảng bộ phường Ngọc Hà")
    cap_tren: CapTren = Field(
        description="Tổ chức đảng cấp trên trực tiếp: Đảng bộ thành phố Hà Nội "
        "(hoặc danh sách dòng, cấp cao nhất trước, tối đa 3 dòng)"
    )
    ten_dang_uy: Dong = Field(description="Tên cấp ủy: Đảng ủy phường Ngọc Hà")
    cap_uy_cap_tren: Dong | None = Field(
        None, description="Tên cấp ủy cấp trên, ghi ở nơi nhận báo cáo: Thành ủy Hà Nội"
    )
    dia_danh: Dong = Field(description="Địa danh ghi ở dòng ngày tháng: Ngọc Hà")
    ky_hieu: Dong = Field("ĐU", description="Chữ viết tắt của đảng ủy trong ký hiệu văn bản")
    nhiem_ky: NhiemKy | None = None
    dang_uy: list[UyVien] = Field(default_factory=list)
    chi_bo: list[Ma] = Field(min_length=1, description="Mã các chi bộ trực thuộc, theo thứ tự")
    can_cu_ke_hoach: DoanVan = Field(
        default_factory=list,
        description="Văn bản làm căn cứ cho kế hoạch của các chi bộ (mỗi dòng một văn bản)",
    )


class CaiDat(Base):
    """Settings of the workspace (the optional section ``cai_dat`` of ``dang-bo.yaml``)."""

    bo_quy_tac: Dong = Field(
        default="qd366-2025",
        description="Bộ quy tắc đánh giá: tên bộ có sẵn trong rules/ hoặc đường dẫn tới tệp .yaml",
    )
    vuot_han_muc: Literal["tu_choi", "dang_uy_quyet_dinh"] = Field(
        default="tu_choi",
        description="Khi đề xuất xuất sắc vượt hạn mức: báo lỗi, hoặc ghi để Đảng ủy quyết định",
    )
    thu_muc_mau: Dong | None = Field(
        default=None,
        description="Thư mục mẫu Word riêng của đơn vị, tính từ thư mục dữ liệu; "
        "mẫu có ở đó thì dùng thay mẫu có sẵn",
    )


class DangBoFile(Base):
    """The file ``dang-bo.yaml``."""

    dang_bo: DangBo
    cai_dat: CaiDat = Field(default_factory=CaiDat)


class ChiBo(Base):
    """A cell (chi bộ): its name, type and committee (by member id)."""

    ten: Dong = Field(description="Tên chi bộ: Chi bộ Tổ dân phố số 5")
    loai_chi_bo: LoaiChiBo
    nam_danh_gia: Literal["nam_lich", "nam_hoc"] = Field(
        "nam_lich",
        description="Chi bộ kiểm điểm, đánh giá theo năm dương lịch hay theo năm học "
        "(tháng bắt đầu ghi ở bộ quy tắc: thang_bat_dau_nam_hoc)",
    )
    bi_thu: Ma
    pho_bi_thu: Ma | None = None
    chi_uy_vien: list[Ma] = Field(default_factory=list)
    ky_hieu: Dong = Field("CB", description="Chữ viết tắt của chi bộ trong ký hiệu văn bản")
    dia_diem_hop: Dong | None = Field(None, description="Nơi chi bộ thường họp, ghi vào biên bản")
    cap_tren: CapTren | None = Field(
        None,
        description="Tổ chức đảng cấp trên ghi ở tiêu đề văn bản của chi bộ (một dòng hoặc danh sách "
        "dòng, cấp cao nhất trước, tối đa 3 dòng); không ghi thì là tên đảng bộ phường",
    )
    neu_guong: DoanVan | None = Field(
        None, description="Trách nhiệm nêu gương riêng của chi bộ (thay cho mặc định theo loại)"
    )

    @model_validator(mode="after")
    def _committee_distinct(self) -> ChiBo:
        seen = [self.bi_thu, *([self.pho_bi_thu] if self.pho_bi_thu else []), *self.chi_uy_vien]
        dup = sorted({m for m in seen if seen.count(m) > 1})
        if dup:
            raise PydanticCustomError(
                "chi_uy_lap",
                "đảng viên {ids} được ghi hai lần trong chi ủy",
                {"ids": ", ".join(dup)},
            )
        if self.loai_chi_bo == "khac" and not self.neu_guong:
            raise PydanticCustomError(
                "neu_guong_thieu",
                "chi bộ loại 'khac' phải tự ghi mục neu_guong (trách nhiệm nêu gương)",
            )
        return self


class ChiBoFile(Base):
    """The file ``chi-bo.yaml`` of a cell folder."""

    chi_bo: ChiBo


class MienSinhHoat(Base):
    """Exemption from party work and activity (miễn công tác và sinh hoạt đảng)."""

    tu_ngay: Ngay
    ly_do: Dong | None = None


class DangVien(Base):
    """A member on the cell's roster."""

    ma: Ma
    ho_ten: Dong
    gioi_tinh: Literal["nam", "nu"]
    nam_sinh: int = Field(ge=1900, le=2100)
    loai_dang_vien: Literal["chinh_thuc", "du_bi"]
    ngay_vao_dang: Ngay
    ngay_chinh_thuc: Ngay | None = None
    chuc_vu: Dong | None = Field(None, description="Chức vụ, công việc (ngoài chi ủy)")
    mien_sinh_hoat: MienSinhHoat | None = None
    dinh_chi_sinh_hoat: MienSinhHoat | None = Field(
        None, description="Đình chỉ sinh hoạt đảng (từ ngày, lý do)"
    )
    ghi_chu: Dong | None = None

    @field_validator("ngay_vao_dang")
    @classmethod
    def _after_founding(cls, value: date) -> date:
        if value < NGAY_THANH_LAP_DANG:
            raise PydanticCustomError(
                "vao_dang_truoc_thanh_lap",
                "ngày vào Đảng {day} trước ngày thành lập Đảng (03/02/1930)",
                {"day": value.strftime("%d/%m/%Y")},
            )
        return value

    @model_validator(mode="after")
    def _dates_consistent(self) -> DangVien:
        if self.ngay_vao_dang.year - self.nam_sinh < 18:
            raise PydanticCustomError(
                "tuoi_vao_dang",
                "năm sinh {born} và ngày vào Đảng {joined} không khớp (chưa đủ 18 tuổi)",
                {"born": self.nam_sinh, "joined": self.ngay_vao_dang.strftime("%d/%m/%Y")},
            )
        if self.ngay_chinh_thuc is not None:
            if self.loai_dang_vien == "du_bi":
                raise PydanticCustomError(
                    "du_bi_co_ngay_chinh_thuc",
                    "đảng viên dự bị chưa có ngày chính thức; bỏ ngay_chinh_thuc "
                    "hoặc đổi loai_dang_vien thành chinh_thuc",
                )
            if self.ngay_chinh_thuc <= self.ngay_vao_dang:
                raise PydanticCustomError(
                    "ngay_chinh_thuc_truoc",
                    "ngày chính thức phải sau ngày vào Đảng",
                )
        for key, what in (
            ("mien_sinh_hoat", "miễn sinh hoạt"),
            ("dinh_chi_sinh_hoat", "đình chỉ sinh hoạt"),
        ):
            since = getattr(self, key)
            if since is not None and since.tu_ngay < self.ngay_vao_dang:
                raise PydanticCustomError(
                    "truoc_vao_dang",
                    "{key}.tu_ngay {since} ({what}) trước ngày vào Đảng {joined}",
                    {
                        "key": key,
                        "what": what,
                        "since": since.tu_ngay.strftime("%d/%m/%Y"),
                        "joined": self.ngay_vao_dang.strftime("%d/%m/%Y"),
                    },
                )
        return self


class DanhSachFile(Base):
    """The file ``dang-vien.yaml``: the cell's member roster."""

    dang_vien: list[DangVien] = Field(min_length=1)
