"""Kế hoạch xây dựng "chi bộ bốn tốt" of a cell (KH/CB), from ``<nam>/ke-hoach.yaml``."""

from __future__ import annotations

from typing import Any

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
from docgen.errors import Collector
from docgen.models.plan import KeHoach, KeHoachFile
from docgen.output import output_path
from docgen.resources import BonTot, bon_tot
from docgen.workspace import Cell, Workspace, load_model
from docgen.yamlsource import SourceFile

__all__ = ["KeHoachKind", "build_context", "check_plan", "load_plan"]

FILE = "ke-hoach.yaml"
TYPE_CODE = "KH"


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
    if issued.year not in (nam - 1, nam):
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {issued.strftime('%d/%m/%Y')} không hợp với kế hoạch năm {nam} "
                f"(phải trong năm {nam - 1} hoặc {nam})",
            )
        )
    return c


def load_plan(cell: Cell, nam: int) -> tuple[KeHoach, SourceFile]:
    """Load and cross-check the cell's plan for ``nam``.

    Raises:
        InputError: the file is missing or invalid.
    """
    path = cell.year_dir(nam) / FILE
    loaded, source = load_model(path, KeHoachFile)
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
            "ten": crit.ten,
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
        "trich_yeu": f"xây dựng “chi bộ bốn tốt” năm {nam}",
        "nam": nam,
        "ten_chi_bo": cell.info.ten,
        "ten_loai_chi_bo": ref.loai_chi_bo[cell.info.loai_chi_bo].ten,
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

    name = "ke-hoach"
    description = "Kế hoạch xây dựng “chi bộ bốn tốt” năm của chi bộ (KH/CB)"
    templates = ("ke-hoach.docx",)
    input_glob = FILE
    input_model = KeHoachFile

    def prepare(
        self, ws: Workspace, cell: Cell | None, nam: int, quy: int | None
    ) -> list[Prepared]:
        assert cell is not None
        path = cell.year_dir(nam) / FILE
        plan, source = load_plan(cell, nam)
        context = build_context(plan, cell, ws, nam, bon_tot())
        return [Prepared(
            kind=self.name,
            context=context,
            output=output_path(ws.dang_bo.ma, cell.cell_id, nam, "ke-hoach.docx"),
            number=NumberRequest(plan.so, TYPE_CODE, cell.info.ky_hieu, (source, ("ke_hoach", "so"))),
            title=f"KẾ HOẠCH {context['trich_yeu']}",
            author=cell.info.ten,
            issued=plan.ngay_ban_hanh,
            cell=cell.cell_id,
            template="ke-hoach.docx",
            sources=[*cell_sources(ws, cell), path],
        )]
