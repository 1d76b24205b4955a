"""Biên bản họp chi bộ (BB/CB): the minutes of the cell meetings behind other documents.

One set of minutes per meeting that decides something the other documents report:

- the meeting adopting each resolution-form assignment (``hinh_thuc: nghi_quyet`` of
  ``phan-cong*.yaml``, its ``hoi_nghi``) -> ``bien-ban-phan-cong.docx``;
- each quarter's evaluation meeting (the ``buoi_sinh_hoat`` of ``quy-<N>.yaml`` marked
  ``danh_gia_quy: true``, else its last meeting on or before the report's date)
  -> ``bien-ban-quy-<N>.docx``;
- the year-end review meeting (``hoi_nghi`` of ``nam.yaml``, else the last meeting of
  quarter IV on or before the annual report's date) -> ``bien-ban-nam.docx``.

The meeting's date and attendance are the facts the resolution and the reports already
use, typed once. The minutes' own details (hours, place, chair, minute-taker, opinions,
votes) are optional fields of the same meeting (docgen/models/meeting.py); the
classification vote per member defaults to every member present agreeing with the
level the evaluation computed (``docgen.rules.quarter.evaluate_quarter``,
``docgen.rules.year.evaluate_year``), worded as the reports word it
(docgen/documents/wording.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from functools import partial
from pathlib import Path
from typing import Any

from docgen.contract import (
    CELL_NAME,
    DRAFT_MARK,
    TemplateContract,
    Var,
    paragraphs,
    records,
    superior,
    text,
)
from docgen.documents.base import (
    Citation,
    DocumentKind,
    NumberRequest,
    Prepared,
    cell_header,
    cell_sources,
    cite_mark,
    dash_items,
    party_role,
)
from docgen.documents.kinds import kind_spec
from docgen.documents.phan_cong import FORMS, load_assignments
from docgen.documents.phan_cong import GLOB as ASSIGNMENTS
from docgen.documents.wording import REVIEW_ONLY, bon_tot_quarter, score_text, share_percent
from docgen.errors import Collector, InputError, Problem
from docgen.formatting import (
    finish_item,
    ngay_thang_nam,
    quarter_words,
    roman,
    short_date,
    title_text,
    year_words,
)
from docgen.models.org import DangVien
from docgen.models.quarter import BaoCaoQuy, BuoiSinhHoat
from docgen.models.tasks import HoiNghi, VangMat
from docgen.output import output_path
from docgen.rules.quarter import last_meeting
from docgen.rules.share import Share
from docgen.workspace import Cell, Workspace, files_in
from docgen.yamlsource import SourceFile

__all__ = ["BienBanKind", "Meeting", "Minutes", "build_context", "minutes_of_year", "type_code"]

SPEC = kind_spec("bien-ban")
TEMPLATE = SPEC.template
NO_OPINION = "Các đồng chí dự họp nhất trí với nội dung đã trình bày, không có ý kiến khác"


def type_code() -> str:
    """The minutes' code in their number (``BB``), from the format profile (unconfirmed there)."""
    from docgen.resources import profile

    p = profile()
    return next((t.ky_hieu for t in p.loai_van_ban if t.ten == p.bien_ban.ten_loai), SPEC.type_code)


@dataclass(frozen=True)
class Meeting:
    """A meeting as typed in one of the cell's files.

    Attributes:
        model: The meeting (a resolution's or the year's ``hoi_nghi``, or a quarter's
            ``buoi_sinh_hoat``); its minutes' details are the ChiTietHop fields.
        source: The file it is written in.
        path: Where in that file (for located problems).
    """

    model: HoiNghi | BuoiSinhHoat
    source: SourceFile
    path: tuple[str | int, ...]

    @property
    def day(self) -> date:
        return self.model.ngay

    @property
    def present(self) -> int:
        m = self.model
        return m.so_co_mat if isinstance(m, HoiNghi) else m.co_mat

    @property
    def absent(self) -> list[VangMat]:
        return list(self.model.vang)


@dataclass
class Minutes:
    """The minutes of one meeting, before numbering."""

    stem: str  # output file name without .docx
    rank: int  # resolution 0, quarter 1, year 2: order of minutes of one day
    meeting: Meeting
    trich_yeu: str
    agenda: list[str]  # default agenda; {chair} is filled in
    items: list[str]  # default vote items
    ratings: list[tuple[DangVien, str]] | None  # member and level voted on (evaluations)
    sources: list[Path] = field(default_factory=list)
    cites: dict[str, Citation] = field(default_factory=dict)  # numbers quoted (Prepared.cites)
    # probationary members reviewed but not classified (khong_xep_loai.dang_vien_du_bi)
    reviewed_only: list[str] = field(default_factory=list)


RESOLUTION_MARK = "nghi_quyet"  # the resolution's number in the vote item (Prepared.cites)

# An hour not in the data: dotted places to write it by hand on the printed minutes.
HOUR_BLANK = "…… giờ …… phút"
# A place not in the data: a dotted line to write it by hand, like the hours (issue 18:
# the «Địa điểm» line used to disappear). Twenty ellipses are about 90 mm at 13-14 pt,
# half the text width: room for «Nhà văn hóa Tổ dân phố số 5» written by hand.
PLACE_BLANK = "…" * 20


def _hm(t: time) -> str:
    return f"{t.hour:02d} giờ {t.minute:02d} phút"


def _evaluation_meeting(report: BaoCaoQuy, source: SourceFile) -> Meeting | Problem:
    """The quarter's evaluation meeting: the one marked ``danh_gia_quy``, else the last
    meeting on or before the report's date."""
    root = ("bao_cao_quy", "buoi_sinh_hoat")
    marked = [i for i, m in enumerate(report.buoi_sinh_hoat) if m.danh_gia_quy]
    if len(marked) > 1:
        return source.problem(
            (*root, marked[1], "danh_gia_quy"),
            f"chỉ một buổi được ghi danh_gia_quy: true (đã ghi ở buổi thứ {marked[0] + 1})",
        )
    if marked:
        i = marked[0]
    else:
        last = last_meeting(report.buoi_sinh_hoat, report.ngay_ban_hanh)
        if last is None:
            return source.problem(
                ("bao_cao_quy", "buoi_sinh_hoat"),
                "chưa có buổi họp nào đến ngày báo cáo để lập biên bản họp đánh giá quý",
                hint="ghi buổi họp đánh giá trong buoi_sinh_hoat (có thể thêm danh_gia_quy: true)",
            )
        i = last
    return Meeting(report.buoi_sinh_hoat[i], source, (*root, i))


def _resolution_minutes(ws: Workspace, cell: Cell, nam: int) -> list[Minutes]:
    out = []
    for item in load_assignments(cell, nam):
        doc = item.doc
        if doc.hinh_thuc != "nghi_quyet" or doc.hoi_nghi is None:
            continue
        members = len({t.dang_vien for t in doc.nhiem_vu})
        title = f"Nghị quyết phân công nhiệm vụ cho đảng viên {year_words(cell.year_kind, nam)}"
        out.append(
            Minutes(
                stem=f"bien-ban-{item.path.stem}",
                rank=0,
                meeting=Meeting(doc.hoi_nghi, item.source, ("phan_cong_nhiem_vu", "hoi_nghi")),
                trich_yeu=f"họp Chi bộ thông qua {title}",
                agenda=[
                    f"{{chair}} trình bày dự thảo {title}: {len(doc.nhiem_vu)} nhiệm vụ giao cho "
                    f"{members} đồng chí đảng viên",
                    "Chi bộ thảo luận, góp ý vào dự thảo Nghị quyết",
                    "Biểu quyết thông qua Nghị quyết",
                ],
                items=[f"Thông qua {title}{cite_mark(RESOLUTION_MARK)}"],
                ratings=None,
                sources=[item.path],
                # `` (Nghị quyết số 01-NQ/CB)`` once the resolution has a number, else nothing
                cites={
                    RESOLUTION_MARK: Citation(
                        output_path(ws.dang_bo.ma, cell.cell_id, nam, f"{item.path.stem}.docx"), doc.so, FORMS["nghi_quyet"][1],
                        cell.info.ky_hieu, text=" (Nghị quyết số {so_ky_hieu})",
                    )
                },
            )
        )
    return out


def _quarter_minutes(ws: Workspace, cell: Cell, nam: int, quy: int) -> Minutes:
    from docgen.documents.bao_cao_quy import load_evaluated_quarter, quarter_file, quota_problem

    rules = ws.rules
    report, source, result = load_evaluated_quarter(ws, cell, nam, quy)
    meeting = _evaluation_meeting(report, source)
    if isinstance(meeting, Problem):
        raise InputError([meeting])
    problem, _ = quota_problem(result, source, rules, ws.cai_dat.vuot_han_muc)
    if problem:
        raise InputError([problem])
    period = quarter_words(cell.year_kind, nam, quy)
    level = f"“{rules.level_name(result.cell.level)}”" if result.cell.level else "chưa xếp loại"
    score = score_text(result.cell.score)
    verdict = bon_tot_quarter(result.bon_tot)
    ratings = [
        (r.member, rules.level_name(r.outcome.level))
        for r in result.members
        if r.outcome.classified and r.outcome.level
    ]
    reviewed_only = [r.member.ho_ten for r in result.members if r.outcome.not_classified == "du_bi"]
    return Minutes(
        stem=f"bien-ban-quy-{quy}",
        rank=1,
        meeting=meeting,
        trich_yeu=f"họp Chi bộ đánh giá kết quả xây dựng “chi bộ bốn tốt” {period}",
        agenda=[
            f"{{chair}} trình bày dự thảo Báo cáo kết quả xây dựng “chi bộ bốn tốt” {period}",
            f"Đảng viên báo cáo kết quả thực hiện nhiệm vụ, tự chấm điểm, tự nhận mức xếp loại "
            f"quý {roman(quy)}; Chi bộ nhận xét, đánh giá",
            "Biểu quyết mức xếp loại của Chi bộ và của từng đảng viên; thống nhất phương hướng, "
            "nhiệm vụ quý tới",
        ],
        items=[
            f"Thông qua Báo cáo kết quả xây dựng “chi bộ bốn tốt” {period}",
            f"Chi bộ tự chấm {score} điểm, tự xếp loại mức {level}; {verdict} “chi bộ bốn tốt” "
            f"quý {roman(quy)}",
        ],
        ratings=ratings,
        sources=[*files_in(cell.year_dir(nam), ASSIGNMENTS), quarter_file(cell, nam, quy)],
        reviewed_only=reviewed_only,
    )


def _year_minutes(ws: Workspace, cell: Cell, nam: int) -> Minutes:
    from docgen.documents.bao_cao_nam import load_evaluated_year, quota_check, year_file
    from docgen.documents.bao_cao_quy import load_quarter, quarter_file

    rules = ws.rules
    report, source, result = load_evaluated_year(ws, cell, nam)
    problem, _ = quota_check(result, source, rules, ws.cai_dat.vuot_han_muc)
    if problem:
        raise InputError([problem])
    # Everything the year's evaluation read; the meeting's own file goes last.
    sources = [
        *files_in(cell.year_dir(nam), ASSIGNMENTS),
        *files_in(cell.year_dir(nam), "quy-*.yaml"),
        year_file(cell, nam),
    ]
    if report.hoi_nghi is not None:
        meeting = Meeting(report.hoi_nghi, source, ("bao_cao_nam", "hoi_nghi"))
        problems = _check_year_meeting(meeting, cell, nam, report.ngay_ban_hanh)
        if problems:
            raise InputError(problems)
    elif quarter_file(cell, nam, 4).is_file():
        q4, q4_source = load_quarter(cell, nam, 4, rules)
        i = last_meeting(q4.buoi_sinh_hoat, report.ngay_ban_hanh)
        if i is None:
            raise InputError([_no_year_meeting(source, nam)])
        meeting = Meeting(q4.buoi_sinh_hoat[i], q4_source, ("bao_cao_quy", "buoi_sinh_hoat", i))
        sources = [p for p in sources if p != q4_source.path] + [q4_source.path]
    else:
        raise InputError([_no_year_meeting(source, nam)])
    level = f"“{rules.level_name(result.cell.level)}”" if result.cell.level else "chưa xếp loại"
    year = year_words(cell.year_kind, nam)
    ratings = [
        (m.member, rules.level_name(m.outcome.level))
        for m in result.members
        if m.outcome.classified and m.outcome.level
    ]
    reviewed_only = [m.member.ho_ten for m in result.members if m.outcome.not_classified == "du_bi"]
    return Minutes(
        stem="bien-ban-nam",
        rank=2,
        meeting=meeting,
        trich_yeu=f"họp Chi bộ kiểm điểm, đánh giá, xếp loại chất lượng {year}",
        agenda=[
            f"{{chair}} trình bày dự thảo Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng tập thể "
            f"Chi bộ {year}",
            "Đảng viên trình bày bản kiểm điểm cá nhân, tự nhận mức xếp loại; Chi bộ góp ý, nhận xét",
            f"Biểu quyết mức xếp loại chất lượng của Chi bộ và của từng đảng viên {year}",
        ],
        items=[
            f"Thông qua Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng tập thể Chi bộ {year}",
            f"Chi bộ đề nghị xếp loại chất lượng tập thể Chi bộ {year} mức {level}",
        ],
        ratings=ratings,
        sources=sources,
        reviewed_only=reviewed_only,
    )


def _no_year_meeting(source: SourceFile, nam: int) -> Problem:
    return source.problem(
        ("bao_cao_nam",),
        f"chưa có hội nghị kiểm điểm cuối năm {nam} để lập biên bản",
        hint="ghi hoi_nghi (ngay, so_co_mat, vang) trong nam.yaml, hoặc ghi buổi họp trong quy-4.yaml",
    )


def _check_year_meeting(meeting: Meeting, cell: Cell, nam: int, issued: date) -> list[Problem]:
    """The year-end meeting typed in nam.yaml: its date and its attendance."""
    out = []
    src, path, m = meeting.source, meeting.path, meeting.model
    if not (cell.year_kind.year_bounds(nam)[0] <= m.ngay <= issued):
        out.append(
            src.problem(
                (*path, "ngay"),
                f"ngày họp {short_date(m.ngay)} phải trong {year_words(cell.year_kind, nam)} và không sau "
                "ngày ban hành báo cáo "
                f"{short_date(issued)}",
            )
        )
    out += cell.absentee_refs(src, (*path, "vang"), [v.dang_vien for v in m.vang])
    required = len(cell.required_at(m.ngay))
    if meeting.present + len(m.vang) > required:
        out.append(
            src.problem(
                (*path, "so_co_mat"),
                f"số có mặt ({meeting.present}) cộng số vắng ({len(m.vang)}) nhiều hơn số đảng viên "
                f"phải dự họp ({required})",
            )
        )
    return out


def _officers(meeting: Meeting, cell: Cell) -> tuple[list[Problem], str | None, str | None]:
    """Check the chair and the minute-taker (defaults: the secretary; a committee member)."""
    src, path, m = meeting.source, meeting.path, meeting.model
    absent = {v.dang_vien for v in m.vang}
    problems: list[Problem] = []

    def given(key: str, member_id: str) -> str | None:
        problem = cell.member_ref(src, (*path, key), member_id, active=False)
        if problem:
            problems.append(problem)
            return None
        name = cell.by_id[member_id].ho_ten
        if member_id in absent:
            problems.append(src.problem((*path, key), f"đồng chí {name} ({member_id}) vắng mặt trong buổi họp này"))
            return None
        if all(x.ma != member_id for x in cell.required_at(m.ngay)):
            problems.append(
                src.problem(
                    (*path, key),
                    f"đồng chí {name} ({member_id}) không dự họp ngày {short_date(m.ngay)} "
                    "(chưa vào Đảng, đang miễn hoặc bị đình chỉ sinh hoạt)",
                )
            )
            return None
        return member_id

    committee = [cell.info.bi_thu, *([cell.info.pho_bi_thu] if cell.info.pho_bi_thu else [])]
    if m.chu_tri is not None:
        chair = given("chu_tri", m.chu_tri)
    else:
        chair = next((c for c in committee if c not in absent), None)
        if chair is None:
            problems.append(
                src.problem(
                    path,
                    "bí thư và phó bí thư đều vắng: cần ghi chu_tri (mã đảng viên chủ trì hội nghị)",
                )
            )
    if m.thu_ky is not None:
        secretary = given("thu_ky", m.thu_ky)
    else:
        choices = [*cell.info.chi_uy_vien, *committee]
        secretary = next((c for c in choices if c not in absent and c != chair), None)
        if secretary is None:
            problems.append(
                src.problem(
                    path,
                    "chưa biết ai ghi biên bản: ghi thu_ky (mã đảng viên làm thư ký hội nghị)",
                    hint="mặc định là một chi ủy viên có mặt; chi bộ chưa có chi ủy viên nào khác người chủ trì",
                )
            )
    if chair is not None and chair == secretary:
        problems.append(src.problem((*path, "thu_ky"), "người ghi biên bản phải khác người chủ trì"))
    return problems, chair, secretary


def _check_details(minutes: Minutes, cell: Cell) -> list[Problem]:
    """Opinions and votes: members named exist, counts fit the members present."""
    meeting = minutes.meeting
    src, path, m = meeting.source, meeting.path, meeting.model
    out = []
    for i, opinion in enumerate(m.y_kien):
        if opinion.dang_vien is not None:
            problem = cell.member_ref(src, (*path, "y_kien", i, "dang_vien"), opinion.dang_vien, active=False)
            if problem:
                out.append(problem)
    rated = {member.ma for member, _ in minutes.ratings or []}
    voted: dict[str, int] = {}  # member -> their first vote
    for i, vote in enumerate(m.bieu_quyet):
        vpath = (*path, "bieu_quyet", i)
        if vote.dang_vien is not None:
            problem = cell.member_ref(src, (*vpath, "dang_vien"), vote.dang_vien, active=False)
            if problem:
                out.append(problem)
            elif vote.dang_vien in voted:  # one of the two counts would be dropped
                out.append(
                    src.problem(
                        (*vpath, "dang_vien"),
                        f"đảng viên '{vote.dang_vien}' được biểu quyết hai lần (trùng với mục thứ "
                        f"{voted[vote.dang_vien] + 1})",
                    )
                )
            elif vote.dang_vien not in rated:
                name = cell.by_id[vote.dang_vien].ho_ten
                out.append(
                    src.problem(
                        (*vpath, "dang_vien"),
                        f"đồng chí {name} ({vote.dang_vien}) không được biểu quyết xếp loại ở hội nghị này"
                        + (" (hội nghị thông qua nghị quyết không xếp loại)" if minutes.ratings is None
                           else " (không xếp loại trong kỳ)"),
                    )
                )
            voted.setdefault(vote.dang_vien, i)
        agreed = vote.tan_thanh if vote.tan_thanh is not None else 0
        if agreed + vote.khong_tan_thanh > meeting.present:
            out.append(
                src.problem(
                    (*vpath, "tan_thanh" if vote.tan_thanh is not None else "khong_tan_thanh"),
                    f"số tán thành ({agreed}) cộng số không tán thành ({vote.khong_tan_thanh}) nhiều hơn "
                    f"số có mặt ({meeting.present})",
                )
            )
    return out


def _vote_text(agreed: int, against: int, present: int) -> str:
    if not present:
        return "không có đồng chí nào có mặt để biểu quyết"
    pct = share_percent(Share(agreed, present), "")
    text = f"{agreed}/{present} đồng chí có mặt tán thành ({pct}), không tán thành: {against}"
    abstain = present - agreed - against
    return text + (f", không biểu quyết: {abstain}" if abstain else "")


def build_context(
    minutes: Minutes, number: int | None, cell: Cell, ws: Workspace, chair: str, secretary: str
) -> tuple[dict[str, Any], list[str]]:
    """The template variables of the minutes (pure), and warnings for the terminal."""
    meeting = minutes.meeting
    m = meeting.model
    day = meeting.day
    warnings = []
    admitted = [x for x in cell.members if x.ngay_vao_dang <= day]
    required = cell.required_at(day)
    present = meeting.present
    absent_count = len(required) - present
    if len(m.vang) < absent_count:
        warnings.append(
            f"{meeting.source.display}: buổi họp ngày {short_date(day)} vắng {absent_count} đồng chí "
            f"nhưng mới ghi tên {len(m.vang)} người trong vang; biên bản chỉ ghi tên những người đã ghi"
        )
    absent_rows = [
        {"ho_ten": cell.by_id[v.dang_vien].ho_ten, "ly_do": finish_item(v.ly_do, i == len(m.vang) - 1)}
        for i, v in enumerate(m.vang)
    ]
    place = m.dia_diem or cell.info.dia_diem_hop or ""
    if not place:
        warnings.append(
            f"{meeting.source.display}: buổi họp ngày {short_date(day)} chưa ghi địa điểm "
            "(dia_diem của buổi họp, hoặc dia_diem_hop trong chi-bo.yaml); biên bản để chỗ trống để ghi tay"
        )
        place = PLACE_BLANK
    if m.gio_bat_dau is None or m.gio_ket_thuc is None:
        warnings.append(
            f"{meeting.source.display}: buổi họp ngày {short_date(day)} chưa ghi giờ bắt đầu, giờ kết thúc "
            "(gio_bat_dau, gio_ket_thuc); biên bản để chỗ trống để ghi tay"
        )
    when = ngay_thang_nam(day)
    chair_name, chair_role = cell.by_id[chair].ho_ten, party_role(cell, chair)
    agenda = m.chuong_trinh or [
        line.replace("{chair}", f"Đồng chí {chair_name}, {chair_role},") for line in minutes.agenda
    ]
    opinions = []
    for op in m.y_kien:
        if op.dang_vien is not None:
            opinions.append(f"Đồng chí {cell.by_id[op.dang_vien].ho_ten}: {op.noi_dung}")
        elif op.nguoi is not None:
            opinions.append(f"{op.nguoi}: {op.noi_dung}")
        else:
            opinions.append(op.noi_dung)
    item_votes = [v for v in m.bieu_quyet if v.noi_dung is not None]
    member_votes = {v.dang_vien: v for v in m.bieu_quyet if v.dang_vien is not None}

    def counts(agreed: int | None, against: int) -> tuple[int, int]:
        return (present - against if agreed is None else agreed), against

    if item_votes:
        votes = [
            f"{v.noi_dung}: {_vote_text(*counts(v.tan_thanh, v.khong_tan_thanh), present)}"
            for v in item_votes
        ]
    else:
        votes = [f"{item}: {_vote_text(present, 0, present)}" for item in minutes.items]
    rows = []
    for i, (member, level) in enumerate(minutes.ratings or [], start=1):
        vote = member_votes.get(member.ma)
        agreed, against = counts(vote.tan_thanh, vote.khong_tan_thanh) if vote else (present, 0)
        rows.append(
            {
                "stt": str(i),
                "ho_ten": member.ho_ten,
                "muc": level,
                "tan_thanh": f"{agreed}/{present}",
                "khong_tan_thanh": str(against),
            }
        )
    if minutes.ratings is not None:
        unanimous = all(r["tan_thanh"] == f"{present}/{present}" for r in rows)
        votes.append(
            f"Mức xếp loại của {len(rows)} đồng chí đảng viên: "
            + ("tất cả được hội nghị nhất trí 100% (bảng dưới)" if unanimous else "theo bảng dưới")
        )
    if minutes.reviewed_only:
        votes.append(
            f"Đồng chí {', '.join(minutes.reviewed_only)} là {REVIEW_ONLY}"
        )
    closing = (
        f"Hội nghị kết thúc vào hồi {_hm(m.gio_ket_thuc) if m.gio_ket_thuc else HOUR_BLANK} cùng ngày"
    ) + "; biên bản đã được đọc lại trước hội nghị và được các đồng chí dự họp nhất trí thông qua."
    header = cell_header(ws.dang_bo, cell, number, type_code(), day)
    pct = share_percent(Share(present, len(required)), "0,0%")
    context = {
        "co_quan_cap_tren": header["co_quan_cap_tren"],
        "dong_cap_tren": header["dong_cap_tren"],
        "co_quan_ban_hanh": header["co_quan_ban_hanh"],
        "so_ky_hieu": header["so_ky_hieu"],
        "du_thao": header["du_thao"],
        "dia_danh": header["dia_danh"],
        "ngay_thang_nam": header["ngay_thang_nam"],
        "trich_yeu": title_text(minutes.trich_yeu),
        "ten_chi_bo": cell.info.ten,
        "thoi_gian": f"vào hồi {_hm(m.gio_bat_dau) if m.gio_bat_dau else HOUR_BLANK}, {when}",
        "dia_diem": place,
        "chu_tri": chair_name,
        "chu_tri_chuc_vu": chair_role,
        "thu_ky": cell.by_id[secretary].ho_ten,
        "thu_ky_chuc_vu": party_role(cell, secretary),
        "tong_so": str(len(admitted)),
        "mien": str(len(admitted) - len(required)),
        "phai_du": str(len(required)),
        "co_mat": str(present),
        "ty_le": pct,
        "so_vang": str(absent_count),
        "vang_mat": absent_rows,
        "khach_moi": dash_items(list(m.khach_moi or [])),
        "chuong_trinh": dash_items(agenda),
        "y_kien": dash_items(opinions or [NO_OPINION]),
        "bieu_quyet": dash_items(votes),
        "co_xep_loai": minutes.ratings is not None,
        "xep_loai": rows,
        "ket_thuc": closing,
    }
    return context, warnings


def minutes_of_year(ws: Workspace, cell: Cell, nam: int, quy: int | None = None) -> list[Minutes]:
    """Every meeting of the cell's year that needs minutes (with ``quy``: only that
    quarter's evaluation meeting, so other files cannot block it), checked, in
    meeting-date order.

    The minutes take their numbers from the register (docgen/register.py) in this order,
    so one run numbers them as the meetings happened; a ``so_bien_ban`` typed in the data
    is used as is, and two meetings may not type the same one.

    Raises:
        InputError: every problem of every meeting.
    """
    from docgen.documents.bao_cao_nam import year_file
    from docgen.documents.bao_cao_quy import quarter_file

    collector = Collector()
    found: list[Minutes] = []
    if quy is not None:
        if quarter_file(cell, nam, quy).is_file():
            found.append(_quarter_minutes(ws, cell, nam, quy))
        return found
    found += collector.run(lambda: _resolution_minutes(ws, cell, nam)) or []
    for q in range(1, 5):
        if quarter_file(cell, nam, q).is_file():
            item = collector.run(partial(_quarter_minutes, ws, cell, nam, q))
            if item is not None:
                found.append(item)
    if year_file(cell, nam).is_file():
        item = collector.run(lambda: _year_minutes(ws, cell, nam))
        if item is not None:
            found.append(item)
    collector.raise_if_any()
    found.sort(key=lambda x: (x.meeting.day, x.rank, x.stem))
    taken: dict[int, Minutes] = {}
    for item in found:
        n = item.meeting.model.so_bien_ban
        if n is None:
            continue
        if n in taken:
            collector.add(
                item.meeting.source.problem(
                    (*item.meeting.path, "so_bien_ban"),
                    f"số biên bản {n} đã dùng cho biên bản họp ngày {short_date(taken[n].meeting.day)}",
                )
            )
        taken[n] = item
    collector.raise_if_any()
    return found


class BienBanKind(DocumentKind):
    """The minutes of the cell's meetings (resolutions, quarterly and annual evaluations)."""


    def prepare(
        self, ws: Workspace, cell: Cell | None, year: int, quarter: int | None
    ) -> list[Prepared]:
        assert cell is not None
        collector = Collector()
        out = []
        for minutes in minutes_of_year(ws, cell, year, quarter):
            problems, chair, secretary = _officers(minutes.meeting, cell)
            problems += _check_details(minutes, cell)
            if problems or chair is None or secretary is None:
                collector.problems.extend(problems)
                continue
            number = minutes.meeting.model.so_bien_ban
            context, warnings = build_context(minutes, number, cell, ws, chair, secretary)
            out.append(
                Prepared(
                    kind=self.name,
                    context=context,
                    output=output_path(ws.dang_bo.ma, cell.cell_id, year, f"{minutes.stem}.docx"),
                    title=f"BIÊN BẢN {minutes.trich_yeu}",
                    author=cell.info.ten,
                    issued=minutes.meeting.day,
                    cell=cell.cell_id,
                    template=TEMPLATE,
                    sources=[*cell_sources(ws, cell, rules=True), *minutes.sources],
                    warnings=warnings,
                    cites=minutes.cites,
                    number=NumberRequest(
                        number, type_code(), cell.info.ky_hieu,
                        (minutes.meeting.source, (*minutes.meeting.path, "so_bien_ban")),
                        in_date_order=True,
                    ),
                )
            )
        collector.raise_if_any()
        return out


# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
CONTRACT = TemplateContract(
    file=SPEC.template,
    kind=SPEC.name,
    title="Biên bản họp chi bộ: thông qua nghị quyết, đánh giá quý, kiểm điểm năm (BB/CB)",
    variables=(
        *superior("ĐẢNG BỘ PHƯỜNG NGỌC HÀ"),
        text("co_quan_ban_hanh", "tên chi bộ, in hoa (dòng 2 tiêu đề bên trái, in đậm)", "CHI BỘ TỔ DÂN PHỐ SỐ 5"),
        text("so_ky_hieu", "số và ký hiệu biên bản, không có chữ «Số»", "03-BB/CB"),
        DRAFT_MARK,
        text("trich_yeu", "trích yếu dưới chữ BIÊN BẢN (chữ thường)",
             "họp Chi bộ đánh giá kết quả xây dựng “chi bộ bốn tốt” quý III năm 2026"),
        text("dia_danh", "địa danh (biên bản không có dòng địa danh, ngày tháng; dùng nếu muốn thêm)",
             "Ngọc Hà", required=False),
        text("ngay_thang_nam", "ngày họp, đã viết đúng thể thức", "ngày 05 tháng 9 năm 2026", required=False),
        CELL_NAME,
        text("thoi_gian", "giờ và ngày họp", "vào hồi 19 giờ 30 phút, ngày 05 tháng 9 năm 2026"),
        text("dia_diem", "địa điểm họp (dòng chấm «……» khi chưa ghi, để ghi tay)", "Nhà văn hóa Tổ dân phố số 5", required=False),
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

CONTRACTS = (CONTRACT,)
