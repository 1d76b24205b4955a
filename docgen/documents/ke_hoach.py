"""Kế hoạch xây dựng "chi bộ bốn tốt" of a cell (KH/CB), from ``<nam>/ke-hoach.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.contract import (
    CELL_NAME,
    PERIOD_YEAR,
    SIGNATURE,
    YEAR,
    TemplateContract,
    header,
    paragraphs,
    records,
    text,
)
from docgen.documents.base import (
    DocumentKind,
    NumberRequest,
    Prepared,
    cell_header,
    cell_signature,
    cell_sources,
    check_signer,
    dash_items,
    party_role,
    recipients,
)
from docgen.documents.kinds import kind_spec
from docgen.errors import Collector
from docgen.formatting import heading_text, plain_spaces, short_date, title_text, year_words
from docgen.models.plan import KeHoach, KeHoachFile
from docgen.output import output_path
from docgen.resources import BonTot, bon_tot
from docgen.workspace import Cell, Workspace
from docgen.yamlsource import SourceFile

__all__ = ["KeHoachKind", "build_context", "check_plan", "load_plan", "plan_file", "plan_output"]

SPEC = kind_spec("ke-hoach")
FILE = SPEC.input_file
TYPE_CODE = SPEC.type_code
TEMPLATE = SPEC.template
OUTPUT = "ke-hoach.docx"


def check_plan(plan: KeHoach, source: SourceFile, cell: Cell, nam: int) -> Collector:
    """Cross-check a plan against its cell and year; returns the collected problems."""
    c = Collector()
    root = ("ke_hoach",)
    for i, item in enumerate(plan.phan_cong):
        if item.dang_vien is not None:
            problem = cell.member_ref(source, (*root, "phan_cong", i, "dang_vien"), item.dang_vien)
            if problem:
                c.add(problem)
    signer = check_signer(source, (*root, "nguoi_ky"), cell, plan.nguoi_ky)
    if signer:
        c.add(signer)
    issued = plan.ngay_ban_hanh
    # a plan is issued in the year it is for or the year before (for a school year: in
    # the twelve months before it starts, or during it)
    first, last = cell.year_kind.plan_window(nam)
    if not first <= issued <= last:
        within = (
            f"từ {short_date(first)} đến {short_date(last)}"
            if cell.year_kind.school
            else f"trong năm {nam - 1} hoặc {nam}"
        )
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {issued.strftime('%d/%m/%Y')} không hợp với kế hoạch "
                f"{year_words(cell.year_kind, nam)} (phải {within})",
            )
        )
    return c


def plan_file(cell: Cell, nam: int) -> Path:
    """The cell's plan file for the year."""
    return cell.year_dir(nam) / FILE


def plan_output(ws: Workspace, cell: Cell, nam: int) -> Path:
    """Where the cell's plan for the year is written (its identity in the register)."""
    return output_path(ws.dang_bo.ma, cell.cell_id, nam, OUTPUT)


def load_plan(cell: Cell, nam: int) -> tuple[KeHoach, SourceFile]:
    """Load and cross-check the cell's plan for ``nam``.

    Raises:
        InputError: the file is missing or invalid.
    """
    path = plan_file(cell, nam)
    loaded, source = cell.load_model(path, KeHoachFile)
    check_plan(loaded.ke_hoach, source, cell, nam).raise_if_any()
    return loaded.ke_hoach, source


def build_context(
    plan: KeHoach, cell: Cell, ws: Workspace, nam: int, ref: BonTot
) -> dict[str, Any]:
    """The template variables of the plan (pure)."""
    defaults = ref.ke_hoach_chi_bo
    signer = plan.nguoi_ky or cell.info.bi_thu
    targets = plan.chi_tieu.model_dump()
    criteria = [
        {
            "so": f"1.{i + 1}",
            "ten": heading_text(crit.ten),
            "mo_ta": crit.mo_ta,
            "chi_tieu": dash_items(targets[crit.ma]),
        }
        for i, crit in enumerate(ref.tieu_chi)
    ]
    duties = dash_items([item.nhiem_vu for item in plan.phan_cong])
    assignments = []
    for item, duty in zip(plan.phan_cong, duties, strict=True):
        if item.dang_vien is not None:
            who = f"Đồng chí {cell.by_id[item.dang_vien].ho_ten}, {party_role(cell, item.dang_vien)}"
        else:
            who = item.doi_tuong or ""
        assignments.append({"doi_tuong": who, "nhiem_vu": duty})
    timeline_ends = dash_items([m.noi_dung for m in plan.lich_trinh])
    return {
        **cell_header(ws.dang_bo, cell, plan.so, TYPE_CODE, plan.ngay_ban_hanh),
        **cell_signature(cell, signer),
        "trich_yeu": title_text(f"xây dựng “chi bộ bốn tốt” {year_words(cell.year_kind, nam)}"),
        "nam": nam,
        "ky_nam": title_text(year_words(cell.year_kind, nam)),
        "ten_chi_bo": cell.info.ten,
        "ten_loai_chi_bo": heading_text(ref.loai_chi_bo[cell.info.loai_chi_bo].ten, ending=True),
        "can_cu": dash_items(plan.can_cu if plan.can_cu is not None else ws.dang_bo.can_cu_ke_hoach),
        "muc_dich": dash_items(plan.muc_dich or defaults.muc_dich),
        "yeu_cau": dash_items(plan.yeu_cau or defaults.yeu_cau),
        "tieu_chi": criteria,
        "neu_guong": dash_items(
            cell.info.neu_guong or ref.loai_chi_bo[cell.info.loai_chi_bo].neu_guong
        ),
        "han_che": dash_items(plan.han_che),
        "giai_phap": dash_items(plan.giai_phap),
        "phan_cong": assignments,
        "lich_trinh": [
            {"thoi_gian": m.thoi_gian, "noi_dung": timeline_ends[i]}
            for i, m in enumerate(plan.lich_trinh)
        ],
        "bao_cao": dash_items(plan.bao_cao or defaults.bao_cao),
        "noi_nhan": recipients(plan.noi_nhan or defaults.noi_nhan, defaults.luu),
    }


class KeHoachKind(DocumentKind):
    """The cell's annual "chi bộ bốn tốt" plan."""


    def prepare(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None
    ) -> list[Prepared]:
        assert cell is not None
        path = plan_file(cell, year)
        plan, source = load_plan(cell, year)
        context = build_context(plan, cell, ws, year, bon_tot())
        return [Prepared(
            kind=self.name,
            context=context,
            output=plan_output(ws, cell, year),
            number=NumberRequest(plan.so, TYPE_CODE, cell.info.ky_hieu, (source, ("ke_hoach", "so"))),
            title=plain_spaces(f"KẾ HOẠCH {context['trich_yeu']}"),
            author=cell.info.ten,
            issued=plan.ngay_ban_hanh,
            cell=cell.cell_id,
            template=TEMPLATE,
            sources=[*cell_sources(ws, cell), path],
        )]


# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
CONTRACT = TemplateContract(
    file=SPEC.template,
    kind=SPEC.name,
    title="Kế hoạch xây dựng “chi bộ bốn tốt” năm của chi bộ (KH/CB)",
    variables=(
        *header("01-KH/CB", "ngày 05 tháng 01 năm 2026", "xây dựng “chi bộ bốn tốt” năm 2026"),
        *SIGNATURE,
        YEAR,
        PERIOD_YEAR,
        CELL_NAME,
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

CONTRACTS = (CONTRACT,)
