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

Shape = Literal["chu", "so", "doan", "muc"]

# How each shape is named for the ward office.
SHAPE_NAMES: dict[str, str] = {
    "chu": "chữ",
    "so": "số",
    "doan": "danh sách đoạn",
    "muc": "danh sách mục",
}


@dataclass(frozen=True)
class Var:
    """A template variable.

    Attributes:
        name: The name written in the template (``so_ky_hieu``).
        meaning: One line in Vietnamese: what it holds.
        shape: ``chu`` (text), ``so`` (number), ``doan`` (a list of paragraphs, looped
            over with ``{%p for %}``), ``muc`` (a list of records with ``fields``).
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
        if self.shape == "doan":
            return list(self.example) if isinstance(self.example, tuple) else [str(self.example)]
        return self.example

    def schema(self) -> dict[str, Any]:
        """JSON Schema of the value (for docxtpl-lint's data-contract check)."""
        if self.shape == "so":
            return {"type": "integer"}
        if self.shape == "doan":
            return {"type": "array", "items": {"type": "string"}}
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
            if var.shape != "muc" or not item:
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
                out += [f"{v.name}[].{f.name}" for f in v.fields if f.required]
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


def header(so_ky_hieu: str, ngay_thang_nam: str, trich_yeu: str) -> tuple[Var, ...]:
    """The header and title variables every cell document has (examples vary by kind)."""
    return (
        text(
            "co_quan_cap_tren",
            "tên tổ chức đảng cấp trên trực tiếp, in hoa (dòng 1 tiêu đề bên trái)",
            "ĐẢNG BỘ PHƯỜNG NGỌC HÀ",
        ),
        text(
            "co_quan_ban_hanh",
            "tên cơ quan ban hành, in hoa (dòng 2 tiêu đề bên trái, in đậm)",
            "CHI BỘ TỔ DÂN PHỐ SỐ 5",
        ),
        text("so_ky_hieu", "số và ký hiệu văn bản, không có chữ «Số»", so_ky_hieu),
        text("dia_danh", "địa danh ở dòng ngày tháng", "Ngọc Hà"),
        text("ngay_thang_nam", "ngày ban hành, đã viết đúng thể thức", ngay_thang_nam),
        text("trich_yeu", "trích yếu dưới tên loại văn bản (chữ thường)", trich_yeu),
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


CONTRACTS: dict[str, TemplateContract] = {
    c.file: c
    for c in (
        KE_HOACH,
        _assignment("phan-cong-thong-bao.docx", "thông báo", "TB"),
        _assignment("phan-cong-nghi-quyet.docx", "nghị quyết", "NQ"),
    )
}


def contract_for(template_file: str) -> TemplateContract | None:
    """The contract of a template file name (an override has the built-in's name)."""
    return CONTRACTS.get(template_file)


def _shape_of(value: Any) -> Shape | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return "chu"
    if isinstance(value, int):
        return "so"
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
