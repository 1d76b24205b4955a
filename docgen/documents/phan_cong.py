"""Thông báo (TB/CB) or Nghị quyết (NQ/CB) phân công nhiệm vụ cho đảng viên,
from ``<nam>/phan-cong*.yaml``. The same files feed the task counts of the
quarterly report and ``docgen progress``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from docgen.contract import (
    CELL_NAME,
    PERIOD_YEAR,
    SIGNATURE,
    YEAR,
    TemplateContract,
    header,
    number,
    paragraphs,
    records,
    text,
)
from docgen.documents.base import (
    Citation,
    DocumentKind,
    NumberRequest,
    Prepared,
    cell_header,
    cell_signature,
    cell_sources,
    check_signer,
    cite_mark,
    dash_items,
    party_role,
    recipients,
    remembered,
)
from docgen.documents.ke_hoach import TYPE_CODE as PLAN_CODE
from docgen.documents.ke_hoach import plan_file, plan_output
from docgen.documents.kinds import kind_spec
from docgen.errors import Collector, InputError, Problem, display_path
from docgen.formatting import plain_spaces, short_date, title_text, year_words
from docgen.models.org import DangVien
from docgen.models.plan import KeHoachFile
from docgen.models.tasks import NhiemVu, PhanCongFile, PhanCongNhiemVu
from docgen.output import output_path
from docgen.workspace import Cell, Workspace, files_in
from docgen.yamlsource import SourceFile

__all__ = [
    "Assignment",
    "PhanCongKind",
    "assigned_tasks",
    "build_context",
    "check_assignment",
    "load_assignments",
]

SPEC = kind_spec("phan-cong")
GLOB = SPEC.reads or ""
_FORM_TEMPLATES = {
    "thong_bao": ("THÔNG BÁO", "phan-cong-thong-bao.docx"),
    "nghi_quyet": ("NGHỊ QUYẾT", "phan-cong-nghi-quyet.docx"),
}
# form: (type name, type code in the number (the kinds table's), template)
FORMS = {
    form: (type_name, SPEC.templates[template], template)
    for form, (type_name, template) in _FORM_TEMPLATES.items()
}
DEFAULT_RECIPIENTS = ["Đảng ủy phường (để báo cáo)", "Các đồng chí đảng viên trong Chi bộ (để thực hiện)"]
ARCHIVE = "Lưu Chi bộ"


@dataclass(frozen=True)
class Assignment:
    """A validated assignment file."""

    path: Path
    source: SourceFile
    doc: PhanCongNhiemVu


def check_assignment(doc: PhanCongNhiemVu, source: SourceFile, cell: Cell, nam: int) -> Collector:
    """Cross-check an assignment against the cell's roster and the year."""
    c = Collector()
    root: tuple[str | int, ...] = ("phan_cong_nhiem_vu",)
    issued = doc.ngay_ban_hanh
    years = cell.year_kind
    if years.year_of(issued) != nam:
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {short_date(issued)} không thuộc {year_words(years, nam)} của thư mục",
                hint=f"đặt tệp vào thư mục {years.folder_name(years.year_of(issued))}/ hoặc sửa ngày",
            )
        )
    for i, task in enumerate(doc.nhiem_vu):
        path = (*root, "nhiem_vu", i)
        problem = cell.member_ref(source, (*path, "dang_vien"), task.dang_vien)
        if problem:
            c.add(problem)
        else:
            member = cell.by_id[task.dang_vien]
            if member.ngay_vao_dang > issued:
                c.add(
                    source.problem(
                        (*path, "dang_vien"),
                        f"đồng chí {member.ho_ten} vào Đảng ngày {short_date(member.ngay_vao_dang)}, "
                        f"sau ngày ban hành {short_date(issued)}",
                    )
                )
        if task.thoi_han is not None and task.thoi_han < issued:
            c.add(
                source.problem(
                    (*path, "thoi_han"),
                    f"thời hạn {short_date(task.thoi_han)} trước ngày ban hành {short_date(issued)}",
                )
            )
        if task.ngay_hoan_thanh is not None and task.ngay_hoan_thanh < issued:
            c.add(
                source.problem(
                    (*path, "ngay_hoan_thanh"),
                    f"ngày hoàn thành {short_date(task.ngay_hoan_thanh)} trước ngày giao nhiệm vụ "
                    f"{short_date(issued)}",
                )
            )
    meeting = doc.hoi_nghi
    if meeting is not None:
        mpath = (*root, "hoi_nghi")
        if meeting.ngay > issued:
            c.add(
                source.problem(
                    (*mpath, "ngay"),
                    f"ngày họp {short_date(meeting.ngay)} sau ngày ban hành {short_date(issued)}",
                )
            )
        elif years.year_of(meeting.ngay) < nam - 1:
            c.add(
                source.problem(
                    (*mpath, "ngay"),
                    f"ngày họp {short_date(meeting.ngay)} quá xa nghị quyết {year_words(years, nam)} "
                    f"(hội nghị họp trong {year_words(years, nam - 1)} hoặc {year_words(years, nam)})",
                    hint="có gõ nhầm năm?",
                )
            )
        c.problems.extend(cell.absentee_refs(source, (*mpath, "vang"), [v.dang_vien for v in meeting.vang]))
        counted = meeting.so_co_mat + len(meeting.vang)
        required = len(cell.required_at(meeting.ngay))
        if counted > required:
            c.add(
                source.problem(
                    (*mpath, "so_co_mat"),
                    f"số có mặt ({meeting.so_co_mat}) cộng số vắng ({len(meeting.vang)}) là "
                    f"{counted}, nhiều hơn số đảng viên phải dự họp ({required})",
                )
            )
    signer = check_signer(source, (*root, "nguoi_ky"), cell, doc.nguoi_ky)
    if signer:
        c.add(signer)
    return c


def load_assignments(cell: Cell, nam: int) -> list[Assignment]:
    """Every assignment file of the cell's year, validated; all problems at once (once
    per cell: ``remembered``).

    Raises:
        InputError: any file invalid, or two documents of one form share a number.
    """
    return list(remembered(cell, ("assignments", nam), partial(_load_assignments, cell, nam)))


def _load_assignments(cell: Cell, nam: int) -> list[Assignment]:
    collector = Collector()
    out: list[Assignment] = []
    for path in files_in(cell.year_dir(nam), GLOB):
        loaded = collector.run(partial(cell.load_model, path, PhanCongFile))
        if loaded is None:
            continue
        model, source = loaded
        doc = model.phan_cong_nhiem_vu
        problems = check_assignment(doc, source, cell, nam).problems
        if problems:
            collector.problems.extend(problems)
        else:
            out.append(Assignment(path, source, doc))
    seen: dict[tuple[str, int], Assignment] = {}
    for item in out:
        if item.doc.so is None:
            continue  # the register gives the next free number
        key = (item.doc.hinh_thuc, item.doc.so)
        if key in seen:
            collector.add(
                item.source.problem(
                    ("phan_cong_nhiem_vu", "so"),
                    f"số {item.doc.so} đã dùng cho {display_path(seen[key].path)}",
                    hint="mỗi văn bản cùng loại cần một số riêng",
                )
            )
        seen[key] = item
    collector.raise_if_any()
    return out


def assigned_tasks(cell: Cell, nam: int) -> list[tuple[NhiemVu, str]]:
    """Every task of the cell's year, with the display name of the file assigning it
    (what ``docgen.rules.tasks.task_progress`` reads).

    Raises:
        InputError: an assignment file is invalid.
    """
    return [(task, item.source.display) for item in load_assignments(cell, nam) for task in item.doc.nhiem_vu]


def unassigned(cell: Cell, assignments: list[Assignment]) -> list[DangVien]:
    """Members who could be given a task (not exempt nor suspended, admitted by the last
    assignment's date) and were given none in the year's assignments."""
    last = max(a.doc.ngay_ban_hanh for a in assignments)
    given = {task.dang_vien for a in assignments for task in a.doc.nhiem_vu}
    return [
        m
        for m in cell.members
        if m.ma not in given
        and m.mien_sinh_hoat is None
        and m.dinh_chi_sinh_hoat is None
        and m.ngay_vao_dang <= last
    ]


PLAN_MARK = "ke_hoach"  # the plan's number in the grounds (Prepared.cites)


def _plan_reference(ws: Workspace, cell: Cell, nam: int) -> tuple[str, Citation] | None:
    """``Kế hoạch số 01-KH/CB ngày 05/01/2026 ...`` when the year's plan exists, with the
    plan's number as a citation: the one typed in its data, else the one it was issued
    under; a plan not issued yet is cited without a number.
    """
    path = plan_file(cell, nam)
    if not path.is_file():
        return None
    plan = cell.load_model(path, KeHoachFile)[0].ke_hoach
    cited = Citation(
        plan_output(ws, cell, nam), plan.so, PLAN_CODE, cell.info.ky_hieu,
        text="số {so_ky_hieu} ",
    )
    text = (
        f"Căn cứ Kế hoạch {cite_mark(PLAN_MARK)}ngày {short_date(plan.ngay_ban_hanh)} "
        f"của Chi bộ về xây dựng “chi bộ bốn tốt” {year_words(cell.year_kind, nam)}"
    )
    return text, cited


def build_context(
    doc: PhanCongNhiemVu, cell: Cell, ws: Workspace, nam: int, plan_ref: str | None
) -> dict[str, Any]:
    """The template variables of an assignment notice or resolution (pure)."""
    type_name, type_code, _ = FORMS[doc.hinh_thuc]
    meeting_line = None
    if doc.hoi_nghi is not None:
        attending = cell.required_at(doc.hoi_nghi.ngay)
        meeting_line = (
            f"Căn cứ kết quả hội nghị Chi bộ ngày {short_date(doc.hoi_nghi.ngay)} "
            f"(có mặt {doc.hoi_nghi.so_co_mat}/{len(attending)} đồng chí đảng viên)"
        )
    if doc.can_cu is not None:
        grounds = list(doc.can_cu)
    else:
        grounds = ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam"]
        if plan_ref:
            grounds.append(plan_ref)
        if meeting_line:
            grounds.append(meeting_line)
    rows = []
    for i, task in enumerate(doc.nhiem_vu, start=1):
        member = cell.by_id[task.dang_vien]
        role = party_role(cell, member.ma)
        rows.append(
            {
                "stt": str(i),
                "ho_ten": member.ho_ten,
                "chuc_vu": role[0].upper() + role[1:] if role != "đảng viên" else (member.chuc_vu or "Đảng viên"),
                "loai": "Chính thức" if member.loai_dang_vien == "chinh_thuc" else "Dự bị",
                "noi_dung": task.noi_dung,
                "dia_ban": task.dia_ban or "",
                "san_pham": task.san_pham or "",
                "thoi_han": short_date(task.thoi_han) if task.thoi_han else "Thường xuyên",
                "ghi_chu": task.ghi_chu or "",
            }
        )
    members = {task.dang_vien for task in doc.nhiem_vu}
    return {
        **cell_header(ws.dang_bo, cell, doc.so, type_code, doc.ngay_ban_hanh),
        **cell_signature(cell, doc.nguoi_ky or cell.info.bi_thu),
        "ten_loai": type_name,
        "trich_yeu": title_text(f"phân công nhiệm vụ cho đảng viên {year_words(cell.year_kind, nam)}"),
        "nam": nam,
        "ky_nam": title_text(year_words(cell.year_kind, nam)),
        "ten_chi_bo": cell.info.ten,
        "can_cu": dash_items(grounds),
        "so_dang_vien": len(members),
        "so_nhiem_vu": len(rows),
        "bang": rows,
        "noi_nhan": recipients(doc.noi_nhan or DEFAULT_RECIPIENTS, ARCHIVE),
    }


class PhanCongKind(DocumentKind):
    """The notice or resolution assigning tasks to members."""


    def prepare(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None
    ) -> list[Prepared]:
        assert cell is not None
        assignments = load_assignments(cell, year)
        if not assignments:
            folder = display_path(cell.year_dir(year))
            raise InputError(
                [Problem(folder, None, None, "", f"không có tệp phân công nhiệm vụ ({GLOB})")]
            )
        plan = _plan_reference(ws, cell, year)
        plan_ref = plan[0] if plan else None
        idle = unassigned(cell, assignments)
        out = []
        for item in assignments:
            context = build_context(item.doc, cell, ws, year, plan_ref)
            out.append(
                Prepared(
                    kind=self.name,
                    context=context,
                    output=output_path(ws.dang_bo.ma, cell.cell_id, year, f"{item.path.stem}.docx"),
                    number=NumberRequest(
                        item.doc.so, FORMS[item.doc.hinh_thuc][1], cell.info.ky_hieu,
                        (item.source, ("phan_cong_nhiem_vu", "so")),
                    ),
                    title=plain_spaces(f"{context['ten_loai']} {context['trich_yeu']}"),
                    author=cell.info.ten,
                    issued=item.doc.ngay_ban_hanh,
                    cell=cell.cell_id,
                    template=FORMS[item.doc.hinh_thuc][2],
                    cites={PLAN_MARK: plan[1]} if plan else {},
                    sources=[
                        *cell_sources(ws, cell),
                        *([plan_file(cell, year)] if plan_ref else []),
                        item.path,
                    ],
                )
            )
        if idle:
            out[-1].warnings.append(
                f"{len(idle)} đảng viên chưa được giao nhiệm vụ nào trong các tệp phân công {year_words(cell.year_kind, year)}: "
                f"{', '.join(f'{m.ho_ten} ({m.ma})' for m in idle)} (kế hoạch: 100% đảng viên được "
                "phân công nhiệm vụ cụ thể)"
            )
        return out


# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
def _assignment(file: str, type_name: str, code: str) -> TemplateContract:
    """The notice and the resolution assigning tasks share their variables."""
    return TemplateContract(
        file=file,
        kind=SPEC.name,
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
            YEAR,
            PERIOD_YEAR,
            CELL_NAME,
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



CONTRACTS = tuple(
    _assignment(template, type_name.lower(), code) for type_name, code, template in FORMS.values()
)
