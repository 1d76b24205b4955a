"""The template contract: which variables and filters each template file may use.

The ward office edits the templates in Word; this is the list of what they may
write in them. One :class:`TemplateContract` per template file declares every
variable (its Vietnamese meaning, an example, whether the document needs it) and
the filters allowed. Everything else follows from it:

- ``docgen templates check`` (docgen/lint.py) reports a variable that is not
  declared (with a did-you-mean) and a required one the template no longer uses;
- ``docs/templates.md`` and the exported ``HUONG-DAN-MAU.md`` are generated from
  it (docgen/guide.py, ``python tools/gen_template_docs.py``);
- tests check that each built-in template uses only declared names and every
  required one, and that each kind's context provides exactly the declared names.

**Adding a document kind**: add one ``TemplateContract`` per template file to
``CONTRACTS`` at the bottom (reuse :func:`header` and :data:`SIGNATURE`), make the
kind's context builder return exactly those names, then run
``python tools/gen_template_docs.py``. Nothing else needs to know the names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "CONTRACTS",
    "FILTERS",
    "SIGNATURE",
    "TemplateContract",
    "Var",
    "context_problems",
    "contract_for",
    "header",
]

Shape = Literal["chu", "so", "doan", "muc", "ban", "dk"]

# How each shape is named for the ward office.
SHAPE_NAMES: dict[str, str] = {
    "chu": "chữ",
    "so": "số",
    "doan": "danh sách đoạn",
    "muc": "danh sách mục",
    "ban": "nhóm trường",
    "dk": "đúng/sai (dùng trong {% if %})",
}


@dataclass(frozen=True)
class Var:
    """A template variable.

    Attributes:
        name: The name written in the template (``so_ky_hieu``).
        meaning: One line in Vietnamese: what it holds.
        shape: ``chu`` (text), ``so`` (number), ``dk`` (true/false, for ``{% if %}``),
            ``doan`` (a list of paragraphs, looped
            over with ``{%p for %}``), ``muc`` (a list of records with ``fields``),
            ``ban`` (one record with ``fields``, written ``{{ tong.xuat_sac }}``).
        example: A value as the sample data gives it (a tuple for lists of paragraphs).
        required: The document is incomplete without it: a template that no longer
            uses it fails the check.
        fields: For ``muc``: the fields of each record.
    """

    name: str
    meaning: str
    shape: Shape = "chu"
    example: str | int | tuple[str, ...] = ""
    required: bool = True
    fields: tuple[Var, ...] = ()

    def field_named(self, name: str) -> Var | None:
        return next((f for f in self.fields if f.name == name), None)

    def sample(self) -> Any:
        """A value of the right shape for a trial render (records: one item)."""
        if self.shape == "muc":
            return [{f.name: f.sample() for f in self.fields}]
        if self.shape == "ban":
            return {f.name: f.sample() for f in self.fields}
        if self.shape == "doan":
            return list(self.example) if isinstance(self.example, tuple) else [str(self.example)]
        if self.shape == "dk":
            return bool(self.example)
        return self.example

    def schema(self) -> dict[str, Any]:
        """JSON Schema of the value (for docxtpl-lint's data-contract check)."""
        if self.shape == "so":
            return {"type": "integer"}
        if self.shape == "dk":
            return {"type": "boolean"}
        if self.shape == "doan":
            return {"type": "array", "items": {"type": "string"}}
        if self.shape == "ban":
            return {"type": "object", "properties": {f.name: f.schema() for f in self.fields}}
        if self.shape == "muc":
            return {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {f.name: f.schema() for f in self.fields},
                },
            }
        return {"type": "string"}


def text(name: str, meaning: str, example: str, *, required: bool = True) -> Var:
    return Var(name, meaning, "chu", example, required)


def number(name: str, meaning: str, example: int, *, required: bool = True) -> Var:
    return Var(name, meaning, "so", example, required)


def paragraphs(name: str, meaning: str, *example: str, required: bool = True) -> Var:
    return Var(name, meaning, "doan", tuple(example), required)


def records(name: str, meaning: str, *fields: Var, required: bool = True) -> Var:
    return Var(name, meaning, "muc", "", required, tuple(fields))


def group(name: str, meaning: str, *fields: Var, required: bool = True) -> Var:
    return Var(name, meaning, "ban", "", required, tuple(fields))


# Filters a template may use, with what they do. Jinja has more; these are the ones
# that only reshape text. Left out on purpose: ``safe`` (it would let data break the
# document's XML), and anything that reaches into Python objects or formats numbers
# in a non-Vietnamese way (``format``, ``attr``, ``map``, ``round``...).
FILTERS: dict[str, str] = {
    "upper": "viết hoa cả chữ: {{ ten_chi_bo|upper }} → CHI BỘ TỔ DÂN PHỐ SỐ 5",
    "lower": "viết thường cả chữ: {{ chuc_vu_ky|lower }} → bí thư",
    "capitalize": "viết hoa chữ cái đầu, còn lại viết thường",
    "trim": "bỏ khoảng trắng ở hai đầu",
    "length": "số mục của một danh sách: {{ bang|length }}",
    "first": "mục đầu tiên của một danh sách",
    "last": "mục cuối cùng của một danh sách",
    "join": "nối các mục của danh sách thành một đoạn: {{ can_cu|join(' ') }}",
    "replace": "thay một chữ bằng chữ khác: {{ trich_yeu|replace('năm', 'Năm') }}",
}


@dataclass(frozen=True)
class TemplateContract:
    """What one template file may use.

    Attributes:
        file: The template file name (``ke-hoach.docx``); an override in the ward
            office's folder has the same name.
        kind: The document kind that renders it (``docgen render <kind>``).
        title: What the document is, in Vietnamese.
        variables: The declared variables.
        filters: The allowed filters and what they do.
    """

    file: str
    kind: str
    title: str
    variables: tuple[Var, ...]
    filters: Mapping[str, str] = field(default_factory=lambda: FILTERS)

    def var(self, name: str) -> Var | None:
        return next((v for v in self.variables if v.name == name), None)

    def names(self) -> list[str]:
        return [v.name for v in self.variables]

    def lookup(self, path: str) -> tuple[Var | None, str | None]:
        """Follow a data path (``bang[].ho_ten``, as docxtpl-lint writes them).

        Returns ``(var, None)`` when the path is declared, else ``(None, problem)``
        with the first segment that is not: ``"bien:x"`` (no such variable),
        ``"truong:bang:x"`` (no such field), ``"lap:x"`` (``x`` is not a list),
        ``"cham:x"`` (``x`` has no fields).
        """
        segments = path.replace("[]", ".[]").split(".")
        var = self.var(segments[0])
        if var is None:
            return None, f"bien:{segments[0]}"
        item = False  # inside a list: the path has gone through []
        for seg in segments[1:]:
            if seg == "[]":
                if var.shape not in ("doan", "muc") or item:
                    return None, f"lap:{var.name}"
                item = True
                continue
            if not ((var.shape == "muc" and item) or (var.shape == "ban" and not item)):
                return None, f"cham:{var.name}"
            sub = var.field_named(seg)
            if sub is None:
                return None, f"truong:{var.name}:{seg}"
            var, item = sub, False
        return var, None

    def required_paths(self) -> list[str]:
        """Required names, with record fields as ``bang[].ho_ten`` (docxtpl-lint's paths)."""
        out = []
        for v in self.variables:
            if v.required:
                out.append(v.name)
                sep = "." if v.shape == "ban" else "[]."
                out += [f"{v.name}{sep}{f.name}" for f in v.fields if f.required]
        return out

    def schema(self) -> dict[str, Any]:
        """The contract as a JSON Schema (top-level object)."""
        return {
            "type": "object",
            "properties": {v.name: v.schema() for v in self.variables},
        }

    def sample_context(self) -> dict[str, Any]:
        """A context built from the examples: a trial render needs nothing else."""
        return {v.name: v.sample() for v in self.variables}


DRAFT_MARK = Var(
    "du_thao",
    "đúng khi là bản dự thảo (chưa lấy số; đầu trang 1 có chữ DỰ THẢO)",
    "dk",
    0,
    False,
)


def header(
    so_ky_hieu: str, ngay_thang_nam: str, trich_yeu: str, *, ward: bool = False
) -> tuple[Var, ...]:
    """The header and title variables every document has (examples vary by kind).

    ``ward``: the document is issued by the ward committee (its superior is the city).
    """
    return (
        text(
            "co_quan_cap_tren",
            "tên tổ chức đảng cấp trên trực tiếp, in hoa (dòng 1 tiêu đề bên trái)",
            "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" if ward else "ĐẢNG BỘ PHƯỜNG NGỌC HÀ",
        ),
        text(
            "co_quan_ban_hanh",
            "tên cơ quan ban hành, in hoa (dòng 2 tiêu đề bên trái, in đậm)",
            "ĐẢNG ỦY PHƯỜNG NGỌC HÀ" if ward else "CHI BỘ TỔ DÂN PHỐ SỐ 5",
        ),
        text("so_ky_hieu", "số và ký hiệu văn bản, không có chữ «Số»", so_ky_hieu),
        text("dia_danh", "địa danh ở dòng ngày tháng", "Ngọc Hà"),
        text("ngay_thang_nam", "ngày ban hành, đã viết đúng thể thức", ngay_thang_nam),
        text("trich_yeu", "trích yếu dưới tên loại văn bản (chữ thường)", trich_yeu),
        DRAFT_MARK,
    )


SIGNATURE: tuple[Var, ...] = (
    text("tham_quyen", "thẩm quyền ký", "T/M CHI BỘ"),
    text("chuc_vu_ky", "chức vụ người ký: BÍ THƯ hoặc PHÓ BÍ THƯ", "BÍ THƯ"),
    text("nguoi_ky", "họ và tên người ký", "Đặng Quang Trung"),
    paragraphs(
        "noi_nhan",
        "các dòng nơi nhận, đã có «- » và dấu câu; dòng cuối là «- Lưu Chi bộ.»",
        "- Đảng ủy phường (để báo cáo),",
        "- Các đồng chí đảng viên trong Chi bộ (để thực hiện),",
        "- Lưu Chi bộ.",
    ),
)

WARD_SIGNATURE: tuple[Var, ...] = (
    text("tham_quyen", "thẩm quyền ký: T/M ĐẢNG ỦY hoặc T/M BAN THƯỜNG VỤ", "T/M BAN THƯỜNG VỤ"),
    text("chuc_vu_ky", "chức vụ người ký: BÍ THƯ hoặc PHÓ BÍ THƯ", "BÍ THƯ"),
    text("nguoi_ky", "họ và tên người ký", "Lê Hoàng Minh"),
    paragraphs(
        "noi_nhan",
        "các dòng nơi nhận, đã có «- » và dấu câu; dòng cuối là «- Lưu Văn phòng Đảng ủy.»",
        "- Ban Thường vụ Thành ủy Hà Nội (để báo cáo),",
        "- Các chi bộ trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ),
)

_CELL_NAME = text(
    "ten_chi_bo", "tên chi bộ viết thường như trong câu văn", "Chi bộ Tổ dân phố số 5", required=False
)
_YEAR = number("nam", "năm của văn bản", 2026, required=False)

KE_HOACH = TemplateContract(
    file="ke-hoach.docx",
    kind="ke-hoach",
    title="Kế hoạch xây dựng “chi bộ bốn tốt” năm của chi bộ (KH/CB)",
    variables=(
        *header("01-KH/CB", "ngày 05 tháng 01 năm 2026", "xây dựng “chi bộ bốn tốt” năm 2026"),
        *SIGNATURE,
        _YEAR,
        _CELL_NAME,
        text(
            "ten_loai_chi_bo",
            "loại chi bộ, viết thường",
            "chi bộ địa bàn dân cư",
            required=False,
        ),
        paragraphs(
            "can_cu",
            "các căn cứ, mỗi căn cứ một đoạn, đã có dấu câu cuối",
            "Căn cứ Kế hoạch số 18-KH/ĐU ngày 22/12/2025 của Đảng ủy phường Ngọc Hà;",
            required=False,
        ),
        paragraphs(
            "muc_dich",
            "mục đích (mặc định theo kế hoạch mẫu của Đảng ủy phường)",
            "Cụ thể hóa Kế hoạch của Đảng ủy phường về xây dựng mô hình “chi bộ bốn tốt”.",
            required=False,
        ),
        paragraphs(
            "yeu_cau",
            "yêu cầu (mặc định theo kế hoạch mẫu của Đảng ủy phường)",
            "Việc triển khai các tiêu chí phải được thực hiện thường xuyên, liên tục.",
            required=False,
        ),
        records(
            "tieu_chi",
            "bốn tiêu chí “chi bộ bốn tốt” và chỉ tiêu của chi bộ cho từng tiêu chí",
            text("so", "số thứ tự của tiêu chí: 1.1, 1.2...", "1.1", required=False),
            text("ten", "tên tiêu chí", "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị"),
            text(
                "mo_ta",
                "nội dung tiêu chí theo kế hoạch của Đảng ủy phường",
                "Triển khai kịp thời công tác lãnh đạo, chỉ đạo.",
                required=False,
            ),
            paragraphs(
                "chi_tieu",
                "các chỉ tiêu của chi bộ cho tiêu chí này",
                "100% đảng viên được giao nhiệm vụ cụ thể.",
            ),
        ),
        paragraphs(
            "neu_guong",
            "trách nhiệm nêu gương của đảng viên (theo loại chi bộ, hoặc chi bộ tự ghi)",
            "Gương mẫu thực hiện nhiệm vụ được phân công;",
            required=False,
        ),
        paragraphs(
            "han_che", "tồn tại, hạn chế cần khắc phục", "Nội dung sinh hoạt chuyên đề còn đơn điệu;"
        ),
        paragraphs("giai_phap", "giải pháp cụ thể", "Chi ủy gửi nội dung sinh hoạt trước 03 ngày."),
        records(
            "phan_cong",
            "phân công thực hiện",
            text("doi_tuong", "người hoặc nhóm thực hiện", "Đồng chí Đặng Quang Trung, Bí thư Chi bộ"),
            text("nhiem_vu", "nhiệm vụ, đã có dấu câu cuối", "Chịu trách nhiệm chung;"),
        ),
        records(
            "lich_trinh",
            "tiến độ thực hiện",
            text("thoi_gian", "thời gian", "Tháng 01/2026"),
            text("noi_dung", "việc làm, đã có dấu câu cuối", "Quán triệt Kế hoạch tại kỳ sinh hoạt chi bộ;"),
        ),
        paragraphs(
            "bao_cao",
            "chế độ báo cáo (mặc định theo kế hoạch mẫu của Đảng ủy phường)",
            "Chi bộ đánh giá kết quả hằng quý và báo cáo Đảng ủy phường.",
            required=False,
        ),
    ),
)


def _assignment(file: str, type_name: str, code: str) -> TemplateContract:
    """The notice and the resolution assigning tasks share their variables."""
    return TemplateContract(
        file=file,
        kind="phan-cong",
        title=f"{type_name.capitalize()} phân công nhiệm vụ cho đảng viên ({code}/CB)",
        variables=(
            *header(
                f"01-{code}/CB", "ngày 05 tháng 02 năm 2026", "phân công nhiệm vụ cho đảng viên năm 2026"
            ),
            *SIGNATURE,
            text(
                "ten_loai",
                "tên loại văn bản, in hoa: THÔNG BÁO hoặc NGHỊ QUYẾT",
                type_name.upper(),
                required=False,
            ),
            _YEAR,
            _CELL_NAME,
            paragraphs(
                "can_cu",
                "các căn cứ, mỗi căn cứ một đoạn, đã có dấu câu cuối",
                "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
                required=False,
            ),
            number("so_dang_vien", "số đảng viên được giao nhiệm vụ", 26, required=False),
            number("so_nhiem_vu", "số nhiệm vụ được giao", 30, required=False),
            records(
                "bang",
                "bảng phân công, mỗi nhiệm vụ một hàng",
                text("stt", "số thứ tự", "1", required=False),
                text("ho_ten", "họ và tên đảng viên", "Tạ Diệu Thảo"),
                text(
                    "chuc_vu",
                    "chức vụ trong chi ủy, hoặc công việc",
                    "Tổ trưởng tổ dân phố",
                    required=False,
                ),
                text("loai", "Chính thức hoặc Dự bị", "Chính thức", required=False),
                text("noi_dung", "nhiệm vụ được phân công", "Vận động thanh niên tham gia nghĩa vụ quân sự"),
                text("dia_ban", "địa bàn, đối tượng phụ trách", "Tổ dân phố số 5", required=False),
                text("san_pham", "sản phẩm, kết quả cần đạt", "Số thanh niên nhập ngũ", required=False),
                text("thoi_han", "thời hạn: 30/06/2026 hoặc «Thường xuyên»", "30/06/2026"),
                text("ghi_chu", "ghi chú", "", required=False),
            ),
        ),
    )


_QUARTER = text("quy", "quý, viết bằng số La Mã: I, II, III, IV", "III", required=False)
_WARD_NAME = text("ten_dang_bo", "tên đảng bộ như trong câu văn", "Đảng bộ phường Ngọc Hà", required=False)
_LEVEL_FIELDS = (
    ("xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"),
    ("tot", "Hoàn thành tốt nhiệm vụ"),
    ("hoan_thanh", "Hoàn thành nhiệm vụ"),
    ("khong_hoan_thanh", "Không hoàn thành nhiệm vụ"),
)


def _distribution(meaning: str) -> Var:
    """The classification summary table: counts with percentages of those rated."""
    return group(
        "phan_loai",
        meaning,
        text("tong_so", "tổng số đảng viên", "28"),
        text("mien", "số đảng viên miễn sinh hoạt", "2"),
        text("khong_xep_loai", "số không xếp loại (đình chỉ, chưa đủ 6 tháng)", "0"),
        text("duoc_danh_gia", "số được đánh giá, xếp loại", "26"),
        *(text(code, f"số và tỷ lệ {name}", "5 (19,2%)") for code, name in _LEVEL_FIELDS),
    )


BAO_CAO_QUY = TemplateContract(
    file="bao-cao-quy.docx",
    kind="bao-cao-quy",
    title="Báo cáo kết quả xây dựng “chi bộ bốn tốt” quý của chi bộ (BC/CB)",
    variables=(
        *header(
            "03-BC/CB", "ngày 28 tháng 9 năm 2026", "kết quả xây dựng “chi bộ bốn tốt” quý III năm 2026"
        ),
        *SIGNATURE,
        _YEAR,
        _QUARTER,
        _CELL_NAME,
        paragraphs("tinh_hinh", "tình hình chung của chi bộ", "Chi bộ có 28 đảng viên (26 chính thức, 2 dự bị)."),
        records(
            "tieu_chi",
            "kết quả từng tiêu chí “chi bộ bốn tốt” trong quý",
            text("so", "số thứ tự tiêu chí", "1", required=False),
            text("ten", "tên tiêu chí", "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị"),
            paragraphs("ket_qua", "kết quả bằng lời văn, đã có dấu câu", "Chi bộ lãnh đạo hoàn thành các chỉ tiêu."),
            paragraphs("so_lieu", "số liệu do docgen tính", "Nhiệm vụ đến hạn trong quý: 12; hoàn thành 12 (100,0%)."),
            text("danh_gia", "Đạt hoặc Không đạt", "Đạt"),
            text("ly_do", "vì sao đạt hay không đạt", "hoàn thành 12/12 nhiệm vụ đến hạn"),
        ),
        paragraphs("han_che", "hạn chế", "Một số đảng viên cao tuổi chưa tham gia đầy đủ sinh hoạt;"),
        paragraphs("nguyen_nhan", "nguyên nhân", "Sức khỏe của một số đảng viên cao tuổi hạn chế."),
        paragraphs(
            "chi_bo_tu_danh_gia",
            "tự đánh giá của chi bộ: điểm, mức, lý do, kết quả “bốn tốt” (docgen viết)",
            "Chi bộ tự chấm 86 điểm; tự nhận mức “Hoàn thành tốt nhiệm vụ”.",
        ),
        _distribution("bảng kết quả xếp loại đảng viên trong quý"),
        text("han_muc", "hạn mức “Hoàn thành xuất sắc” của quý", "Hạn mức “Hoàn thành xuất sắc” của quý: 5 (20% của 26).", required=False),
        records(
            "dang_vien",
            "bảng tự đánh giá của từng đảng viên",
            text("stt", "số thứ tự", "1", required=False),
            text("ho_ten", "họ và tên", "Tạ Diệu Thảo"),
            text("diem_chung", "điểm tiêu chí chung", "25", required=False),
            text("diem_nhiem_vu", "điểm thực hiện nhiệm vụ", "57", required=False),
            text("tong_diem", "tổng điểm", "82", required=False),
            text("tu_nhan", "mức tự nhận (viết gọn)", "Tốt", required=False),
            text("danh_gia", "mức chi bộ đánh giá theo quy định (viết gọn), hoặc Miễn sinh hoạt, Không xếp loại", "Tốt"),
            text("ghi_chu", "ghi chú: lý do hạ mức, miễn, chưa đủ 6 tháng...", "", required=False),
        ),
        paragraphs("phuong_huong", "phương hướng, nhiệm vụ quý tới", "Tiếp tục thực hiện Kế hoạch năm 2026."),
        paragraphs("kien_nghi", "kiến nghị, đề xuất", "Không.", required=False),
    ),
)

TONG_HOP_QUY = TemplateContract(
    file="tong-hop-quy.docx",
    kind="tong-hop-quy",
    title="Báo cáo tổng hợp kết quả “chi bộ bốn tốt” quý của Đảng ủy phường (BC/ĐU)",
    variables=(
        *header(
            "13-BC/ĐU",
            "ngày 08 tháng 10 năm 2026",
            "kết quả xây dựng “chi bộ bốn tốt” quý III năm 2026 của các chi bộ trực thuộc",
            ward=True,
        ),
        *WARD_SIGNATURE,
        _YEAR,
        _QUARTER,
        _WARD_NAME,
        paragraphs("tong_quan", "tình hình chung (docgen viết, có thêm lời văn của Đảng ủy)", "Đảng bộ có 4 chi bộ trực thuộc."),
        text("chu_giai", "chú giải TC1 đến TC4", "TC1: Lãnh đạo hoàn thành tốt nhiệm vụ chính trị", required=False),
        records(
            "bang",
            "bảng kết quả, mỗi chi bộ một hàng",
            text("stt", "số thứ tự", "1", required=False),
            text("ten", "tên chi bộ, không lặp chữ «Chi bộ» của tên cột", "Tổ dân phố số 5"),
            *(text(f"tc{n}", f"tiêu chí {n}: ✓ đạt, ✗ không đạt", "✓") for n in range(1, 5)),
            text("bon_tot", "Đạt, Chưa đạt hoặc Chưa báo cáo", "Đạt"),
            text("diem", "điểm tự chấm của chi bộ", "86", required=False),
            text("xep_loai", "mức của chi bộ (viết gọn)", "Tốt", required=False),
            *(text(code, f"số đảng viên {name.lower()}", "0", required=False) for code, name in _LEVEL_FIELDS),
        ),
        group(
            "tong",
            "hàng tổng cộng",
            text("bon_tot", "số chi bộ đạt “bốn tốt” / số chi bộ đã báo cáo", "3/4"),
            *(text(code, f"tổng số đảng viên {name.lower()}", "26") for code, name in _LEVEL_FIELDS),
        ),
        group(
            "ty_le",
            "hàng tỷ lệ (cộng đúng 100,0%)",
            text("bon_tot", "tỷ lệ chi bộ đạt “bốn tốt”", "75,0%"),
            *(text(code, f"tỷ lệ {name.lower()}", "98,5%") for code, name in _LEVEL_FIELDS),
        ),
        paragraphs("khong_bon_tot", "các chi bộ chưa đạt “bốn tốt” và tiêu chí không đạt", "Không có."),
        paragraphs("chua_bao_cao", "các chi bộ chưa báo cáo", "Không có."),
        paragraphs("vuot_han_muc", "đề nghị xuất sắc vượt hạn mức", "Không có.", required=False),
        paragraphs("phuong_huong", "phương hướng quý tới", "Tiếp tục chỉ đạo các chi bộ.", required=False),
    ),
)

BAO_CAO_NAM = TemplateContract(
    file="bao-cao-nam.docx",
    kind="bao-cao-nam",
    title="Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng năm của chi bộ (BC/CB, Mẫu 01)",
    variables=(
        *header(
            "05-BC/CB",
            "ngày 22 tháng 12 năm 2026",
            "kiểm điểm, đánh giá, xếp loại chất lượng tập thể Chi bộ năm 2026",
        ),
        *SIGNATURE,
        _YEAR,
        _CELL_NAME,
        paragraphs("ket_qua", "kết quả thực hiện nhiệm vụ, ưu điểm (có số liệu docgen tính)", "Chi bộ hoàn thành các chỉ tiêu năm 2026."),
        paragraphs("han_che", "hạn chế, khuyết điểm", "Còn 02 nhiệm vụ hoàn thành chậm;"),
        paragraphs("nguyen_nhan", "nguyên nhân", "Việc đôn đốc chưa thường xuyên."),
        paragraphs("khac_phuc", "kết quả khắc phục hạn chế đã chỉ ra", "Đã khắc phục hạn chế năm 2025."),
        paragraphs("trach_nhiem", "trách nhiệm của tập thể, cá nhân", "Đồng chí Bí thư chịu trách nhiệm chung."),
        paragraphs("phuong_huong", "phương hướng, biện pháp khắc phục", "Rà soát tiến độ nhiệm vụ hằng tháng."),
        paragraphs("tu_danh_gia", "chi bộ tự nhận mức xếp loại (docgen viết)", "Chi bộ tự chấm 87 điểm; đề nghị xếp loại “Hoàn thành nhiệm vụ”."),
        _distribution("bảng tổng hợp xếp loại đảng viên"),
        text("han_muc", "hạn mức “Hoàn thành xuất sắc”", "Chi bộ đề nghị 1 đồng chí “Hoàn thành xuất sắc nhiệm vụ”.", required=False),
        text("kem_theo", "dòng «Kèm theo Báo cáo số ...» dưới tên phụ lục", "(Kèm theo Báo cáo số 05-BC/CB ngày 22/12/2026 của Chi bộ Tổ dân phố số 5)", required=False),
        records(
            "dang_vien",
            "phụ lục: danh sách đảng viên, mỗi người một hàng",
            text("stt", "số thứ tự", "1", required=False),
            text("ho_ten", "họ và tên", "Tạ Diệu Thảo"),
            text("diem", "điểm tự chấm của năm", "82,8", required=False),
            text("de_xuat", "mức chi bộ đề xuất (viết gọn), hoặc Miễn sinh hoạt, Không xếp loại", "Tốt"),
            text("ghi_chu", "ghi chú: lý do, nguồn điểm", "", required=False),
        ),
    ),
)

TONG_HOP_NAM = TemplateContract(
    file="tong-hop-nam.docx",
    kind="tong-hop-nam",
    title="Báo cáo tổng hợp kiểm điểm, đánh giá, xếp loại năm của Đảng ủy phường (BC/ĐU)",
    variables=(
        *header(
            "16-BC/ĐU",
            "ngày 15 tháng 01 năm 2027",
            "kết quả kiểm điểm, đánh giá, xếp loại chất lượng các chi bộ và đảng viên năm 2026",
            ward=True,
        ),
        *WARD_SIGNATURE,
        _YEAR,
        _WARD_NAME,
        Var(
            "theo_de_xuat",
            "đúng khi Đảng ủy chưa quyết định (chưa có cong_nhan): số liệu theo đề xuất của chi bộ",
            "dk",
            0,
            False,
        ),
        paragraphs("tong_quan", "tình hình chung (docgen viết, có thêm lời văn của Đảng ủy)", "Đảng bộ có 4 chi bộ trực thuộc."),
        records(
            "bang",
            "bảng kết quả, mỗi chi bộ một hàng",
            text("stt", "số thứ tự", "1", required=False),
            text("ten", "tên chi bộ, không lặp chữ «Chi bộ» của tên cột", "Tổ dân phố số 5"),
            text("bon_tot", "số quý đạt “bốn tốt”", "3/4 quý"),
            text("de_xuat", "mức chi bộ đề xuất (viết gọn)", "Hoàn thành"),
            text("cong_nhan", "mức Đảng ủy công nhận, hoặc — khi chưa quyết định", "Hoàn thành"),
            *(text(code, f"số đảng viên {name.lower()}: đề xuất / công nhận", "1 / 1", required=False) for code, name in _LEVEL_FIELDS),
            text("khong_xep_loai", "số không xếp loại", "2", required=False),
        ),
        group(
            "tong",
            "hàng tổng cộng",
            *(text(code, f"tổng {name.lower()}: đề xuất / công nhận", "3 / 2") for code, name in _LEVEL_FIELDS),
            text("khong_xep_loai", "tổng số không xếp loại", "2"),
        ),
        group(
            "ty_le",
            "hàng tỷ lệ (cộng đúng 100,0%)",
            *(text(code, f"tỷ lệ {name.lower()}", "91,3%") for code, name in _LEVEL_FIELDS),
        ),
        paragraphs("han_muc", "hạn mức “Hoàn thành xuất sắc” toàn Đảng bộ", "Hạn mức tính trên toàn Đảng bộ: 12."),
        paragraphs("thay_doi", "những mức Đảng ủy công nhận khác đề xuất", "Không có."),
        paragraphs("chua_bao_cao", "các chi bộ chưa báo cáo", "Không có."),
        paragraphs("phuong_huong", "phương hướng năm tới", "Tiếp tục xây dựng “chi bộ bốn tốt”.", required=False),
    ),
)

KE_HOACH_DANG_UY = TemplateContract(
    file="ke-hoach-dang-uy.docx",
    kind="ke-hoach-dang-uy",
    title="Kế hoạch triển khai xây dựng mô hình “chi bộ bốn tốt” của Đảng ủy phường (KH/ĐU)",
    variables=(
        *header(
            "18-KH/ĐU",
            "ngày 22 tháng 12 năm 2025",
            "triển khai xây dựng mô hình “chi bộ bốn tốt” năm 2026",
            ward=True,
        ),
        *WARD_SIGNATURE,
        _YEAR,
        text("ten_dang_uy", "tên Đảng ủy như trong câu văn", "Đảng ủy phường Ngọc Hà"),
        text(
            "thuc_hien",
            "các văn bản được thực hiện, đã nối bằng dấu “;”",
            "Nghị quyết số 21-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương Đảng khóa XIII",
            required=False,
        ),
        paragraphs("muc_dich", "mục đích", "Xây dựng Đảng bộ trong sạch, vững mạnh."),
        paragraphs("yeu_cau", "yêu cầu", "Việc triển khai phải được thực hiện thường xuyên, liên tục."),
        records(
            "tieu_chi",
            "bốn tiêu chí “chi bộ bốn tốt” (mẫu đánh số 1.1 đến 1.4)",
            text("ten", "tên tiêu chí", "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị"),
            text("noi_dung", "nội dung tiêu chí", "Triển khai kịp thời công tác lãnh đạo, chỉ đạo."),
        ),
        paragraphs(
            "ghi_chu_tieu_chi",
            "đoạn ghi chú sau các tiêu chí",
            "Tùy theo từng loại hình chi bộ, các chi bộ xây dựng tiêu chí về “trách nhiệm nêu gương”.",
            required=False,
        ),
        records(
            "neu_guong",
            "trách nhiệm nêu gương theo nhóm chi bộ",
            text("doi_tuong", "nhóm chi bộ", "chi bộ địa bàn dân cư"),
            paragraphs("noi_dung", "các trách nhiệm, đã có dấu câu cuối", "Gương mẫu thực hiện nhiệm vụ được phân công;"),
            required=False,
        ),
        paragraphs("giai_phap", "giải pháp (mẫu đánh số 2.1, 2.2...)", "Tăng cường công tác quán triệt."),
        records(
            "to_chuc_thuc_hien",
            "tổ chức thực hiện: mỗi mục một nơi thực hiện (mẫu đánh số 1., 2....)",
            text("doi_tuong", "nơi thực hiện", "Đảng ủy phường"),
            paragraphs("noi_dung", "việc phải làm; một đoạn thì in liền sau dấu hai chấm", "chỉ đạo việc triển khai Kế hoạch này."),
        ),
        paragraphs(
            "ket_luan",
            "đoạn kết (đoạn cuối liền với chữ ký)",
            "Trên đây là Kế hoạch triển khai mô hình “chi bộ bốn tốt”.",
            required=False,
        ),
    ),
)

BIEN_BAN = TemplateContract(
    file="bien-ban.docx",
    kind="bien-ban",
    title="Biên bản họp chi bộ: thông qua nghị quyết, đánh giá quý, kiểm điểm năm (BB/CB)",
    variables=(
        text("co_quan_cap_tren", "tên tổ chức đảng cấp trên trực tiếp, in hoa (dòng 1 tiêu đề bên trái)",
             "ĐẢNG BỘ PHƯỜNG NGỌC HÀ"),
        text("co_quan_ban_hanh", "tên chi bộ, in hoa (dòng 2 tiêu đề bên trái, in đậm)", "CHI BỘ TỔ DÂN PHỐ SỐ 5"),
        text("so_ky_hieu", "số và ký hiệu biên bản, không có chữ «Số»", "03-BB/CB"),
        DRAFT_MARK,
        text("trich_yeu", "trích yếu dưới chữ BIÊN BẢN (chữ thường)",
             "họp Chi bộ đánh giá kết quả xây dựng “chi bộ bốn tốt” quý III năm 2026"),
        text("dia_danh", "địa danh (biên bản không có dòng địa danh, ngày tháng; dùng nếu muốn thêm)",
             "Ngọc Hà", required=False),
        text("ngay_thang_nam", "ngày họp, đã viết đúng thể thức", "ngày 05 tháng 9 năm 2026", required=False),
        _CELL_NAME,
        text("thoi_gian", "giờ và ngày họp", "vào hồi 19 giờ 30 phút, ngày 05 tháng 9 năm 2026"),
        text("dia_diem", "địa điểm họp (rỗng khi chưa ghi)", "Nhà văn hóa Tổ dân phố số 5", required=False),
        text("chu_tri", "họ tên người chủ trì (cũng là tên ký bên phải)", "Đặng Quang Trung"),
        text("chu_tri_chuc_vu", "chức vụ người chủ trì", "Bí thư Chi bộ", required=False),
        text("thu_ky", "họ tên người ghi biên bản (cũng là tên ký bên trái)", "Tô Trọng Kiên"),
        text("thu_ky_chuc_vu", "chức vụ người ghi biên bản", "Chi ủy viên", required=False),
        text("tong_so", "tổng số đảng viên của chi bộ vào ngày họp", "28"),
        text("mien", "số đảng viên miễn hoặc đình chỉ sinh hoạt", "1", required=False),
        text("phai_du", "số đảng viên phải dự họp", "27"),
        text("co_mat", "số đảng viên có mặt", "23"),
        text("ty_le", "tỷ lệ có mặt trên số phải dự", "85,2%"),
        text("so_vang", "số đảng viên vắng mặt", "4"),
        records(
            "vang_mat",
            "đảng viên vắng mặt, mỗi người một dòng",
            text("ho_ten", "họ và tên", "Lý Thu Hằng"),
            text("ly_do", "lý do vắng, đã có dấu câu cuối", "Điều trị tại bệnh viện;"),
            required=False,
        ),
        paragraphs("khach_moi", "khách mời dự họp (có thể rỗng)", "Đồng chí Phạm Thu Hà, Ủy viên Ban Thường vụ Đảng ủy phường",
                   required=False),
        paragraphs("chuong_trinh", "chương trình hội nghị, đã có dấu câu cuối",
                   "Đồng chí Đặng Quang Trung, Bí thư Chi bộ, trình bày dự thảo báo cáo;"),
        paragraphs("y_kien", "ý kiến thảo luận, đã có dấu câu cuối",
                   "Đồng chí Tạ Diệu Thảo: đề nghị bổ sung số liệu về sinh hoạt chuyên đề."),
        paragraphs("bieu_quyet", "kết quả biểu quyết từng việc, đã có dấu câu cuối",
                   "Thông qua Báo cáo kết quả quý III năm 2026: 23/23 đồng chí có mặt tán thành (100,0%), "
                   "không tán thành: 0."),
        Var("co_xep_loai", "đúng khi hội nghị biểu quyết xếp loại đảng viên (họp quý, họp cuối năm)", "dk", 1,
            False),
        records(
            "xep_loai",
            "biểu quyết mức xếp loại của từng đảng viên (rỗng khi họp thông qua nghị quyết)",
            text("stt", "số thứ tự", "1", required=False),
            text("ho_ten", "họ và tên", "Tạ Diệu Thảo"),
            text("muc", "mức xếp loại được biểu quyết", "Hoàn thành tốt nhiệm vụ"),
            text("tan_thanh", "số tán thành trên số có mặt", "23/23"),
            text("khong_tan_thanh", "số không tán thành", "0", required=False),
            required=False,
        ),
        text("ket_thuc", "đoạn kết: giờ kết thúc, biên bản được thông qua",
             "Hội nghị kết thúc vào hồi 21 giờ 00 phút cùng ngày."),
    ),
)

CONTRACTS: dict[str, TemplateContract] = {
    c.file: c
    for c in (
        KE_HOACH,
        _assignment("phan-cong-thong-bao.docx", "thông báo", "TB"),
        _assignment("phan-cong-nghi-quyet.docx", "nghị quyết", "NQ"),
        BAO_CAO_QUY,
        TONG_HOP_QUY,
        BAO_CAO_NAM,
        TONG_HOP_NAM,
        KE_HOACH_DANG_UY,
        BIEN_BAN,
    )
}


def contract_for(template_file: str) -> TemplateContract | None:
    """The contract of a template file name (an override has the built-in's name)."""
    return CONTRACTS.get(template_file)


def _shape_of(value: Any) -> Shape | None:
    if isinstance(value, bool):
        return "dk"
    if isinstance(value, str):
        return "chu"
    if isinstance(value, int):
        return "so"
    if isinstance(value, dict):
        return "ban"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "doan"
        if all(isinstance(v, dict) for v in value):
            return "muc"
    return None


def _value_problems(var: Var, value: Any, where: str) -> list[str]:
    shape = _shape_of(value)
    if shape != var.shape and not (var.shape == "muc" and value == []):
        return [f"{where}: expected {var.shape}, got {type(value).__name__}"]
    out = []
    if var.shape == "ban":
        declared = {f.name for f in var.fields}
        if set(value) != declared:
            return [f"{where}: keys {sorted(value)} != contract {sorted(declared)}"]
        for f in var.fields:
            out += _value_problems(f, value[f.name], f"{where}.{f.name}")
    if var.shape == "muc":
        declared = {f.name for f in var.fields}
        for i, item in enumerate(value):
            if set(item) != declared:
                out.append(f"{where}[{i}]: keys {sorted(item)} != contract {sorted(declared)}")
                continue
            for f in var.fields:
                out += _value_problems(f, item[f.name], f"{where}[{i}].{f.name}")
    return out


def context_problems(contract: TemplateContract, context: Mapping[str, Any]) -> list[str]:
    """How a kind's context differs from the contract (for tests; English, for developers).

    The context must hold exactly the declared names, each of the declared shape.
    """
    out = []
    declared = set(contract.names())
    for name in sorted(set(context) - declared):
        out.append(f"{name}: in the context but not in the contract of {contract.file}")
    for name in sorted(declared - set(context)):
        out.append(f"{name}: in the contract of {contract.file} but not in the context")
    for var in contract.variables:
        if var.name in context:
            out += _value_problems(var, context[var.name], var.name)
    return out
