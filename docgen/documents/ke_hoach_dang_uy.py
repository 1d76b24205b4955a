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
from docgen.errors import Collector
from docgen.formatting import short_date
from docgen.models.ward import KeHoachDangUy, KeHoachDangUyFile
from docgen.output import output_path
from docgen.workspace import Cell, Workspace, load_model
from docgen.yamlsource import SourceFile

__all__ = ["KeHoachDangUyKind", "build_context", "check_ward_plan", "default_plan_recipients"]

FILE = "ke-hoach-dang-uy.yaml"
TEMPLATE = "ke-hoach-dang-uy.docx"
TYPE_CODE = "KH"

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
        "trich_yeu": plan.trich_yeu,
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
            {"doi_tuong": _LEAD_END.sub("", g.doi_tuong), "noi_dung": dash_items(g.noi_dung)}
            for g in plan.neu_guong
        ],
        "giai_phap": [end_sentence(t) for t in plan.giai_phap],
        "to_chuc_thuc_hien": [
            {
                "doi_tuong": _LEAD_END.sub("", t.doi_tuong),
                "noi_dung": [end_sentence(x) for x in t.noi_dung],
            }
            for t in plan.to_chuc_thuc_hien
        ],
        "ket_luan": [end_sentence(t) for t in plan.ket_luan],
        "noi_nhan": recipients(plan.noi_nhan or default_plan_recipients(ws), WARD_ARCHIVE),
    }


class KeHoachDangUyKind(DocumentKind):
    """The ward committee's yearly "chi bộ bốn tốt" plan."""

    name = "ke-hoach-dang-uy"
    description = "Kế hoạch triển khai xây dựng mô hình “chi bộ bốn tốt” của Đảng ủy phường (KH/ĐU)"
    templates = (TEMPLATE,)
    scope = "dang_bo"
    input_glob = FILE
    input_model = KeHoachDangUyFile

    def prepare(
        self, ws: Workspace, cell: Cell | None, nam: int, quy: int | None
    ) -> list[Prepared]:
        path = ws.ward_year_dir(nam) / FILE
        loaded, source = load_model(path, KeHoachDangUyFile)
        plan = loaded.ke_hoach_dang_uy
        check_ward_plan(plan, source, ws, nam).raise_if_any()
        context = build_context(plan, ws, nam)
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, None, nam, "ke-hoach-dang-uy.docx"),
                number=NumberRequest(
                    plan.so, TYPE_CODE, ws.dang_bo.ky_hieu, (source, ("ke_hoach_dang_uy", "so"))
                ),
                title=f"KẾ HOẠCH {context['trich_yeu']}",
                author=ws.dang_bo.ten_dang_uy,
                issued=plan.ngay_ban_hanh,
                cell=None,
                template=TEMPLATE,
                sources=[ws.source.path, path],
            )
        ]
