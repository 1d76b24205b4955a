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

This module is the machinery (the types, the shared variables such as
:func:`header`, :data:`SIGNATURE`, :data:`CELL_NAME`); each kind's contract lives with
the kind, as ``CONTRACTS`` in its module (docgen/documents/<kind>.py), and
:data:`CONTRACTS` here finds them through the kinds table (docgen/documents/kinds.py).

**Adding a document kind**: in its module, one ``TemplateContract`` per template file
in ``CONTRACTS`` (reuse :func:`header` and :data:`SIGNATURE`), the context builder
returning exactly those names; then run ``python tools/gen_template_docs.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "CELL_NAME",
    "CONTRACTS",
    "DRAFT_MARK",
    "FILTERS",
    "LEVEL_FIELDS",
    "QUARTER",
    "SHAPE_NAMES",
    "SIGNATURE",
    "WARD_NAME",
    "WARD_SIGNATURE",
    "PERIOD_YEAR",
    "YEAR",
    "TemplateContract",
    "Var",
    "context_problems",
    "contract_for",
    "distribution",
    "group",
    "header",
    "number",
    "paragraphs",
    "records",
    "superior",
    "text",
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
        alternative: For a required variable, another one that may take its place: the
            template uses one or the other (``co_quan_cap_tren`` or the list
            ``dong_cap_tren``).
    """

    name: str
    meaning: str
    shape: Shape = "chu"
    example: str | int | tuple[str, ...] = ""
    required: bool = True
    fields: tuple[Var, ...] = ()
    alternative: str = ""

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


def superior(example: str) -> tuple[Var, Var]:
    """The superior body's line(s) of the header: the list the built-in templates loop
    over (one paragraph per line), and the same lines as one text for templates written
    before ``cap_tren`` could hold several lines (a line break between them)."""
    return (
        Var(
            "co_quan_cap_tren",
            "tên tổ chức đảng cấp trên, in hoa (dòng đầu tiêu đề bên trái); khi ghi nhiều dòng "
            "cấp trên thì các dòng cách nhau bằng dấu xuống dòng trong cùng một đoạn",
            "chu",
            example,
            alternative="dong_cap_tren",
        ),
        paragraphs(
            "dong_cap_tren",
            "các dòng tên tổ chức đảng cấp trên, in hoa, cấp cao nhất trước (mỗi dòng một đoạn, "
            "không đậm); thường chỉ một dòng. Mẫu dùng biến này hoặc co_quan_cap_tren",
            example,
            required=False,
        ),
    )


def header(
    so_ky_hieu: str, ngay_thang_nam: str, trich_yeu: str, *, ward: bool = False
) -> tuple[Var, ...]:
    """The header and title variables every document has (examples vary by kind).

    ``ward``: the document is issued by the ward committee (its superior is the city).
    """
    return (
        *superior("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" if ward else "ĐẢNG BỘ PHƯỜNG NGỌC HÀ"),
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

CELL_NAME = text(
    "ten_chi_bo", "tên chi bộ viết thường như trong câu văn", "Chi bộ Tổ dân phố số 5", required=False
)
YEAR = number("nam", "năm của văn bản", 2026, required=False)
# A cell's year in a sentence: its kind of year named (chi_bo.nam_danh_gia).
PERIOD_YEAR = text(
    "ky_nam",
    "năm của chi bộ trong câu văn: «năm 2026», hoặc «năm học 2025-2026» khi chi bộ đánh giá theo năm học",
    "năm 2026",
    required=False,
)

QUARTER = text("quy", "quý, viết bằng số La Mã: I, II, III, IV", "III", required=False)
WARD_NAME = text("ten_dang_bo", "tên đảng bộ như trong câu văn", "Đảng bộ phường Ngọc Hà", required=False)
LEVEL_FIELDS = (
    ("xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"),
    ("tot", "Hoàn thành tốt nhiệm vụ"),
    ("hoan_thanh", "Hoàn thành nhiệm vụ"),
    ("khong_hoan_thanh", "Không hoàn thành nhiệm vụ"),
)


def distribution(meaning: str) -> Var:
    """The classification summary table: counts with percentages of those rated."""
    return group(
        "phan_loai",
        meaning,
        text("tong_so", "tổng số đảng viên", "28"),
        text("mien", "số đảng viên miễn sinh hoạt", "2"),
        text("khong_xep_loai", "số không xếp loại (đình chỉ, chưa đủ 6 tháng)", "0"),
        text("duoc_danh_gia", "số được đánh giá, xếp loại", "26"),
        *(text(code, f"số và tỷ lệ {name}", "5 (19,2%)") for code, name in LEVEL_FIELDS),
    )


class _Contracts(Mapping[str, TemplateContract]):
    """Every template's contract by file name, found through the kinds table: each kind's
    module declares ``CONTRACTS``, one per template of its entry, in the table's order.

    Loaded on first use (the kinds' modules import this one for its machinery)."""

    def __init__(self) -> None:
        self._loaded: dict[str, TemplateContract] | None = None

    def _all(self) -> dict[str, TemplateContract]:
        if self._loaded is None:
            from importlib import import_module

            from docgen.documents.kinds import KINDS

            loaded: dict[str, TemplateContract] = {}
            for kind in KINDS:
                declared = {c.file: c for c in import_module(kind.module).CONTRACTS}
                for file in kind.templates:
                    if file in declared:
                        loaded[file] = declared[file]
            self._loaded = loaded
        return self._loaded

    def __getitem__(self, file: str) -> TemplateContract:
        return self._all()[file]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


CONTRACTS: Mapping[str, TemplateContract] = _Contracts()


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
