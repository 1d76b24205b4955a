"""The ward committee's own plan for building "chi bộ bốn tốt" (KH/ĐU), from
``data/<nam>/ke-hoach-dang-uy.yaml``.

This is the seed document (shared/reference/seed-ke-hoach-chi-bo-bon-tot.txt) made
repeatable: the ward writes its wording as data; the numbering (1.1-1.4, 2.1...,
III.1...), the issuing body in the preamble, the header and the signature come from
the workspace.
"""

from __future__ import annotations

import re
from typing import Any

from docgen.contract import (
    WARD_SIGNATURE,
    YEAR,
    TemplateContract,
    header,
    paragraphs,
    records,
    text,
)
from docgen.documents.base import (
    WARD_ARCHIVE,
    DocumentKind,
    NumberRequest,
    Prepared,
    check_ward_signer,
    dash_items,
    default_ward_recipients,
    recipients,
    ward_header,
    ward_signature,
)
from docgen.documents.kinds import kind_spec
from docgen.errors import Collector
from docgen.formatting import heading_text, plain_spaces, short_date, title_text
from docgen.models.ward import KeHoachDangUy, KeHoachDangUyFile
from docgen.output import output_path
from docgen.workspace import Cell, Workspace
from docgen.yamlsource import SourceFile

__all__ = ["KeHoachDangUyKind", "build_context", "check_ward_plan", "default_plan_recipients"]

SPEC = kind_spec("ke-hoach-dang-uy")
FILE = SPEC.input_file
TEMPLATE = SPEC.template
TYPE_CODE = SPEC.type_code

# A paragraph already ends a sentence (or introduces what follows, or closes the document).
_ENDED = re.compile(r"(\./\.|[.!?…:;])[”\")]*$")
_TRAILING = re.compile(r"[\s;,.]+$")
_LEAD_END = re.compile(r"[\s;,.:]+$")  # a lead-in gets its colon from the template


def end_sentence(text: str) -> str:
    """A prose paragraph as typed, with a full stop added if it has no final punctuation.

    >>> end_sentence("Tổ chức thực hiện"), end_sentence("Xong./."), end_sentence("Như sau:")
    ('Tổ chức thực hiện.', 'Xong./.', 'Như sau:')
    """
    return text if _ENDED.search(text) else text + "."


def check_ward_plan(plan: KeHoachDangUy, source: SourceFile, ws: Workspace, nam: int) -> Collector:
    """Cross-check the ward plan against the ward and its year; returns the problems."""
    c = Collector()
    root = ("ke_hoach_dang_uy",)
    problem = check_ward_signer(source, (*root, "nguoi_ky"), ws.dang_bo, plan.nguoi_ky)
    if problem:
        c.add(problem)
    issued = plan.ngay_ban_hanh
    if issued.year not in (nam - 1, nam):
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {short_date(issued)} không hợp với kế hoạch năm {nam} "
                f"(phải trong năm {nam - 1} hoặc {nam})",
            )
        )
    return c


def default_plan_recipients(ws: Workspace) -> list[str]:
    """The superior committee, the cells, then the bodies the plan gives tasks to (seed III)."""
    return [
        *default_ward_recipients(ws),
        "UBND, Ủy ban MTTQ và các tổ chức chính trị - xã hội phường",
    ]


def build_context(plan: KeHoachDangUy, ws: Workspace, nam: int) -> dict[str, Any]:
    """The template variables of the ward plan (pure).

    Lists hold paragraphs; the template numbers them (``1.1.``, ``2.1.``, ``1.``).
    ``to_chuc_thuc_hien[i].noi_dung`` with one paragraph is written on the line of
    its number, with several as dash items under it.
    """
    ward = ws.dang_bo
    return {
        **ward_header(ward, plan.so, TYPE_CODE, plan.ngay_ban_hanh),
        **ward_signature(ward, plan.tham_quyen, plan.nguoi_ky),
        "trich_yeu": title_text(plan.trich_yeu),
        "nam": nam,
        "ten_dang_uy": ward.ten_dang_uy,
        "thuc_hien": "; ".join(_TRAILING.sub("", text) for text in plan.thuc_hien),
        "muc_dich": [end_sentence(t) for t in plan.muc_dich],
        "yeu_cau": [end_sentence(t) for t in plan.yeu_cau],
        "tieu_chi": [
            {"ten": _LEAD_END.sub("", t.ten), "noi_dung": end_sentence(t.noi_dung)}
            for t in plan.tieu_chi
        ],
        "ghi_chu_tieu_chi": [end_sentence(t) for t in plan.ghi_chu_tieu_chi],
        "neu_guong": [
            {"doi_tuong": heading_text(_LEAD_END.sub("", g.doi_tuong), ending=True), "noi_dung": dash_items(g.noi_dung)}
            for g in plan.neu_guong
        ],
        "giai_phap": [end_sentence(t) for t in plan.giai_phap],
        "to_chuc_thuc_hien": [
            {
                "doi_tuong": heading_text(_LEAD_END.sub("", t.doi_tuong), ending=True),
                "noi_dung": [end_sentence(x) for x in t.noi_dung],
            }
            for t in plan.to_chuc_thuc_hien
        ],
        "ket_luan": [end_sentence(t) for t in plan.ket_luan],
        "noi_nhan": recipients(plan.noi_nhan or default_plan_recipients(ws), WARD_ARCHIVE),
    }


class KeHoachDangUyKind(DocumentKind):
    """The ward committee's yearly "chi bộ bốn tốt" plan."""


    def prepare(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None
    ) -> list[Prepared]:
        path = ws.ward_year_dir(year) / FILE
        loaded, source = ws.load_model(path, KeHoachDangUyFile)
        plan = loaded.ke_hoach_dang_uy
        check_ward_plan(plan, source, ws, year).raise_if_any()
        context = build_context(plan, ws, year)
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, None, year, "ke-hoach-dang-uy.docx"),
                number=NumberRequest(
                    plan.so, TYPE_CODE, ws.dang_bo.ky_hieu, (source, ("ke_hoach_dang_uy", "so"))
                ),
                title=plain_spaces(f"KẾ HOẠCH {context['trich_yeu']}"),
                author=ws.dang_bo.ten_dang_uy,
                issued=plan.ngay_ban_hanh,
                cell=None,
                template=TEMPLATE,
                sources=[ws.source.path, path],
            )
        ]


# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
CONTRACT = TemplateContract(
    file=SPEC.template,
    kind=SPEC.name,
    title="Kế hoạch triển khai xây dựng mô hình “chi bộ bốn tốt” của Đảng ủy phường (KH/ĐU)",
    variables=(
        *header(
            "18-KH/ĐU",
            "ngày 22 tháng 12 năm 2025",
            "triển khai xây dựng mô hình “chi bộ bốn tốt” năm 2026",
            ward=True,
        ),
        *WARD_SIGNATURE,
        YEAR,
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

CONTRACTS = (CONTRACT,)
