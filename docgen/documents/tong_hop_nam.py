"""The ward committee's annual summary (BC/ĐU): each cell's year, proposed and recognised.

The committee's decisions are data (``cong_nhan`` in ``data/<nam>/tong-hop-nam.yaml``);
before they exist the summary is a draft of the cells' proposals. The xuất sắc quota
is checked across the whole ward when the rule set says so (``han_muc_xuat_sac.cap_nam``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from docgen.contract import (
    LEVEL_FIELDS,
    WARD_NAME,
    WARD_SIGNATURE,
    YEAR,
    TemplateContract,
    Var,
    group,
    header,
    paragraphs,
    records,
    text,
)
from docgen.documents.bao_cao_nam import CellYearFacts, load_evaluated_year, year_facts, year_file
from docgen.documents.base import (
    DocumentKind,
    NumberRequest,
    Prepared,
    check_ward_signer,
    dash_items,
    name_in_cell_column,
    recipients,
    run_cell,
    ward_header,
    ward_signature,
)
from docgen.documents.kinds import kind_spec
from docgen.documents.tong_hop_quy import WARD_ARCHIVE, default_ward_recipients
from docgen.documents.wording import LEVEL_ABBR, SHORT_LEVEL, quota_basis, quota_text, reason_text
from docgen.errors import Collector, InputError, Problem
from docgen.formatting import count_pct, plain_spaces, short_date, title_text, year_words
from docgen.models.rules import LEVELS, BoQuyTac
from docgen.models.ward import TongHopNam, TongHopNamFile
from docgen.output import output_path
from docgen.rules.evaluation import level_rank, quota
from docgen.rules.summary import (
    LevelCounts,
    MemberLevels,
    OverQuota,
    WardYearCounts,
    quota_over,
    ward_year_counts,
)
from docgen.validation import did_you_mean
from docgen.workspace import Cell, Workspace
from docgen.yamlsource import SourceFile

__all__ = ["CellYear", "TongHopNamKind", "build_context"]

SPEC = kind_spec("tong-hop-nam")
TEMPLATE = SPEC.template
TYPE_CODE = SPEC.type_code


@dataclass(frozen=True)
class CellYear:
    """A cell's evaluated year and the committee's decisions on it."""

    name: str  # the cell's name
    result: CellYearFacts | None  # None: no nam.yaml
    cell_level: str | None  # recognised (or proposed, in a draft)
    members: dict[str, str | None]  # member id -> recognised level (None: not classified)


@dataclass(frozen=True)
class _Entry:
    """A cell as the summary lists it: its evaluated year's facts, if it has a nam.yaml."""

    cell_id: str
    name: str
    member_ids: tuple[str, ...]
    result: CellYearFacts | None

    @classmethod
    def of(cls, facts: CellYearFacts) -> _Entry:
        return cls(facts.cell_id, facts.name, facts.member_ids, facts)


def _decide(
    doc: TongHopNam, source: SourceFile, items: list[_Entry], rules: BoQuyTac
) -> tuple[list[CellYear], list[Problem], list[str]]:
    """Apply the committee's decisions; check them against the rules."""
    problems: list[Problem] = []
    changes: list[str] = []
    by_id = {item.cell_id: item for item in items}
    decided_cells: dict[str, str] = {}
    decided_members: dict[tuple[str, str], str] = {}
    root = ("tong_hop_nam", "cong_nhan")
    if doc.cong_nhan is not None:
        for i, d in enumerate(doc.cong_nhan.chi_bo):
            if d.chi_bo not in by_id:
                problems.append(
                    source.problem(
                        (*root, "chi_bo", i, "chi_bo"),
                        f"không có chi bộ '{d.chi_bo}'",
                        hint=did_you_mean(d.chi_bo, by_id),
                    )
                )
                continue
            entry = by_id[d.chi_bo]
            result = entry.result
            if result is None:
                problems.append(
                    source.problem((*root, "chi_bo", i, "chi_bo"), f"{entry.name} chưa có báo cáo năm")
                )
                continue
            if result.allowed and level_rank(d.muc) < level_rank(result.allowed):
                problems.append(
                    source.problem(
                        (*root, "chi_bo", i, "muc"),
                        f"mức “{rules.level_name(d.muc)}” cho {entry.name} cao hơn mức quy định cho "
                        f"phép “{rules.level_name(result.allowed)}”",
                    )
                )
                continue
            decided_cells[d.chi_bo] = d.muc
            if d.muc != result.level:
                changes.append(
                    f"{entry.name}: chi bộ đề xuất “{rules.level_name(result.level or '')}”, "
                    f"Đảng ủy công nhận “{rules.level_name(d.muc)}”"
                    + (f" ({d.ly_do})" if d.ly_do else "")
                )
        for i, dm in enumerate(doc.cong_nhan.dang_vien):
            path = (*root, "dang_vien", i)
            if dm.chi_bo not in by_id:
                problems.append(
                    source.problem((*path, "chi_bo"), f"không có chi bộ '{dm.chi_bo}'", hint=did_you_mean(dm.chi_bo, by_id))
                )
                continue
            entry = by_id[dm.chi_bo]
            member = next((m for m in (entry.result.members if entry.result else ()) if m.ma == dm.dang_vien), None)
            if member is None:
                problems.append(
                    source.problem(
                        (*path, "dang_vien"),
                        f"không có đảng viên '{dm.dang_vien}' trong báo cáo năm của {entry.name}",
                        hint=did_you_mean(dm.dang_vien, entry.member_ids),
                    )
                )
                continue
            if member.why_not is not None:
                problems.append(
                    source.problem(
                        (*path, "muc"),
                        f"đồng chí {member.ho_ten} không được xếp loại "
                        f"({reason_text(member.why_not, rules)})",
                    )
                )
                continue
            if member.allowed and level_rank(dm.muc) < level_rank(member.allowed):
                problems.append(
                    source.problem(
                        (*path, "muc"),
                        f"mức “{rules.level_name(dm.muc)}” cho đồng chí {member.ho_ten} cao hơn "
                        f"mức quy định cho phép “{rules.level_name(member.allowed)}”",
                    )
                )
                continue
            decided_members[(dm.chi_bo, dm.dang_vien)] = dm.muc
            if dm.muc != member.level:
                changes.append(
                    f"{entry.name}: đồng chí {member.ho_ten}: chi bộ đề xuất "
                    f"“{rules.level_name(member.level or '')}”, Đảng ủy công nhận “{rules.level_name(dm.muc)}”"
                    + (f" ({dm.ly_do})" if dm.ly_do else "")
                )
    out = []
    for item in items:
        result = item.result
        if result is None:
            out.append(CellYear(item.name, None, None, {}))
            continue
        levels = {m.ma: decided_members.get((item.cell_id, m.ma), m.level) for m in result.members}
        out.append(CellYear(item.name, result, decided_cells.get(item.cell_id, result.level), levels))
    return out, problems, changes


def _counts(levels: list[str | None]) -> dict[str, int]:
    return {lv: levels.count(lv) for lv in LEVELS}


def counted(cells: list[CellYear]) -> WardYearCounts:
    """The cells that reported and their members, by level proposed and recognised."""
    reported = [c for c in cells if c.result is not None]
    return ward_year_counts(
        [(c.result.level, c.cell_level) for c in reported if c.result],
        [
            MemberLevels(m.level, c.members.get(m.ma), m.probationary)
            for c in reported
            if c.result
            for m in c.result.members
        ],
    )


def _short_levels(counts: dict[str, int]) -> str:
    """``21 XS, 6 Tốt``: the levels held, for the per-cell table's totals row."""
    return ", ".join(f"{counts[lv]} {LEVEL_ABBR[lv]}" for lv in LEVELS if counts[lv]) or "0"


def _with_pct(counts: dict[str, int]) -> dict[str, str]:
    """Each level's ``21 (77,8%)`` over the items counted (adding to 100,0%); ``0`` for none."""
    pct = count_pct([counts[lv] for lv in LEVELS])
    return {lv: f"{counts[lv]} ({p})" if counts[lv] else "0" for lv, p in zip(LEVELS, pct, strict=True)}


def _levels_prose(counts: dict[str, int], rules: BoQuyTac) -> str:
    """``21 “Hoàn thành xuất sắc nhiệm vụ” (77,8%), 6 “Hoàn thành tốt nhiệm vụ” (22,2%)``."""
    pct = dict(zip(LEVELS, count_pct([counts[lv] for lv in LEVELS]), strict=True))
    held = [f"{counts[lv]} “{rules.level_name(lv)}” ({pct[lv]})" for lv in LEVELS if counts[lv]]
    return ", ".join(held) or "không có"


def _moved(counts: LevelCounts, unit: str) -> str:
    """``hạ mức 15 chi bộ, nâng mức 1 chi bộ``; none moved: ``không hạ, không nâng mức chi bộ nào``."""
    parts = [f"{verb} mức {n} {unit}" for verb, n in (("hạ", counts.moved_down), ("nâng", counts.moved_up)) if n]
    return ", ".join(parts) or f"không hạ, không nâng mức {unit} nào"


def count_lines(counts: WardYearCounts, draft: bool, rules: BoQuyTac) -> list[str]:
    """The overview's sentences of cells and members by level (proposed, recognised, moved)."""
    c, m = counts.cells, counts.members
    cells = f"Chi bộ được đánh giá, xếp loại: {c.counted}; chi bộ tự nhận {_levels_prose(c.proposed, rules)}"
    members = (
        f"Đảng viên được đánh giá, xếp loại: {m.counted} ({counts.full.counted} chính thức, "
        f"{counts.probationary.counted} dự bị); không xếp loại: {m.not_classified} "
        f"({counts.full.not_classified} chính thức, {counts.probationary.not_classified} dự bị); "
        f"chi bộ đề xuất {_levels_prose(m.proposed, rules)}"
    )
    if draft:
        return [f"{cells}; Đảng ủy chưa quyết định.", f"{members}; Đảng ủy chưa quyết định."]
    return [
        f"{cells}; Đảng ủy công nhận {_levels_prose(c.recognised, rules)}; "
        f"{_moved(c, 'chi bộ')} so với chi bộ tự nhận.",
        f"{members}; Đảng ủy công nhận {_levels_prose(m.recognised, rules)}; "
        f"{_moved(m, 'đồng chí')} so với chi bộ đề xuất.",
    ]


def level_table(counts: WardYearCounts, draft: bool, rules: BoQuyTac) -> dict[str, Any]:
    """The table of cells and members by level: rows (one per level) and its footer rows."""
    dash = "—"
    c, m, full, prob = counts.cells, counts.members, counts.full, counts.probationary
    columns = {
        "cb_de_xuat": _with_pct(c.proposed),
        "cb_cong_nhan": _with_pct(c.recognised),
        "dv_de_xuat": _with_pct(m.proposed),
        "dv_cong_nhan": _with_pct(m.recognised),
        # the split of what the summary stands on: recognised, or proposed in a draft
        "chinh_thuc": _with_pct(full.proposed if draft else full.recognised),
        "du_bi": _with_pct(prob.proposed if draft else prob.recognised),
    }
    if draft:
        columns["cb_cong_nhan"] = dict.fromkeys(LEVELS, dash)
        columns["dv_cong_nhan"] = dict.fromkeys(LEVELS, dash)
    rows = [{"muc": SHORT_LEVEL[lv], **{k: v[lv] for k, v in columns.items()}} for lv in LEVELS]

    def moved(attr: str) -> dict[str, str]:
        return {
            "cb_de_xuat": "",
            "cb_cong_nhan": dash if draft else str(getattr(c, attr)),
            "dv_de_xuat": "",
            "dv_cong_nhan": dash if draft else str(getattr(m, attr)),
            "chinh_thuc": dash if draft else str(getattr(full, attr)),
            "du_bi": dash if draft else str(getattr(prob, attr)),
        }

    return {
        "xep_loai": rows,
        "xep_loai_cong": {
            "cb_de_xuat": str(c.counted),
            "cb_cong_nhan": dash if draft else str(c.counted),
            "dv_de_xuat": str(m.counted),
            "dv_cong_nhan": dash if draft else str(m.counted),
            "chinh_thuc": str(full.counted),
            "du_bi": str(prob.counted),
        },
        "xep_loai_ha": moved("moved_down"),
        "xep_loai_nang": moved("moved_up"),
        "xep_loai_khong": {
            "cb_de_xuat": "",
            "cb_cong_nhan": "",
            "dv_de_xuat": str(m.not_classified),
            "dv_cong_nhan": str(m.not_classified),
            "chinh_thuc": str(full.not_classified),
            "du_bi": str(prob.not_classified),
        },
    }


def _xs_names(cell: CellYear) -> str:
    return ", ".join(
        m.ho_ten for m in (cell.result.members if cell.result else ()) if cell.members.get(m.ma) == "xuat_sac"
    )


def over_quota_text(over: OverQuota, cells: list[CellYear], draft: bool, rules: BoQuyTac) -> str:
    """What is over the quota, for the refusal and the warning: the cell (or the ward),
    the count, the quota and its basis."""
    verb = "đề xuất" if draft else "công nhận"
    q = over.quota
    if over.cell_id is None:
        return (
            f"{verb} “Hoàn thành xuất sắc” cho {q.proposed} đảng viên trên toàn Đảng bộ, vượt "
            f"{quota_text(q, rules)} (quy tắc han_muc_xuat_sac.cap_nam)"
        )
    cell = next(c for c in cells if c.result is not None and c.result.cell_id == over.cell_id)
    return (
        f"{cell.name}: {verb} “Hoàn thành xuất sắc” cho {q.proposed} đảng viên ({_xs_names(cell)}), "
        f"vượt {quota_text(q, rules)} (quy tắc han_muc_xuat_sac.cap_nam: chi_bo)"
    )


def recognised_by_cell(cells: list[CellYear]) -> dict[str, list[str | None]]:
    """Each reported cell's members' levels the summary stands on (recognised, or proposed
    in a draft): what the xuất sắc quota is checked on (``rules.summary.quota_over``)."""
    return {c.result.cell_id: list(c.members.values()) for c in cells if c.result}


def quota_lines(cells: list[CellYear], over: list[OverQuota], draft: bool, rules: BoQuyTac) -> list[str]:
    """The summary's lines on the xuất sắc quota where the rule set holds it: the ward's
    quota, or each cell's over its own (``over``: ``quota_over`` of ``recognised_by_cell``);
    above it, a line saying the committee is to decide (a draft) or decided above it
    (``cai_dat.vuot_han_muc: dang_uy_quyet_dinh``; under ``tu_choi`` the summary is refused
    before it is worded)."""
    reported = [c for c in cells if c.result is not None]
    lines = []
    if rules.han_muc_xuat_sac.cap_nam == "dang_bo":
        ward_quota = quota([lv for levels in recognised_by_cell(cells).values() for lv in levels], rules)
        lines.append(
            f"Hạn mức “Hoàn thành xuất sắc nhiệm vụ” tính trên toàn Đảng bộ: {ward_quota.cap} "
            f"({quota_basis(ward_quota, rules)}); {'đề xuất' if draft else 'công nhận'} {ward_quota.proposed}."
        )
        if over and draft:
            names = [f"{c.name}: {m.ho_ten}" for c in reported for m in (c.result.members if c.result else ())
                     if c.members.get(m.ma) == "xuat_sac"]
            lines.append("Vượt hạn mức; cần Đảng ủy xem xét: " + "; ".join(names) + ".")
        elif over:
            lines.append(
                f"Đảng ủy quyết định công nhận “Hoàn thành xuất sắc nhiệm vụ” cho {ward_quota.proposed} "
                f"đảng viên, vượt hạn mức {ward_quota.cap} ({quota_basis(ward_quota, rules)})."
            )
        return lines
    lines.append("Hạn mức “Hoàn thành xuất sắc nhiệm vụ” được tính trong từng chi bộ.")
    for o in over:
        cell = next(c for c in reported if c.result and c.result.cell_id == o.cell_id)
        q = o.quota
        if draft:
            lines.append(
                f"{cell.name} đề xuất “Hoàn thành xuất sắc nhiệm vụ” cho {q.proposed} đảng viên "
                f"({_xs_names(cell)}), vượt hạn mức của chi bộ là {q.cap} ({quota_basis(q, rules)}); "
                "cần Đảng ủy xem xét, quyết định."
            )
        else:
            lines.append(
                f"{cell.name}: Đảng ủy quyết định công nhận “Hoàn thành xuất sắc nhiệm vụ” cho "
                f"{q.proposed} đảng viên ({_xs_names(cell)}), vượt hạn mức của chi bộ là {q.cap} "
                f"({quota_basis(q, rules)})."
            )
    return lines


def build_context(
    doc: TongHopNam,
    cells: list[CellYear],
    changes: list[str],
    ws: Workspace,
    nam: int,
    rules: BoQuyTac,
    over: list[OverQuota],
) -> dict[str, Any]:
    """The template variables of the ward's annual summary (pure); ``over``: the quotas the
    levels exceed (``quota_over``)."""
    draft = doc.cong_nhan is None
    rows = []
    all_four = 0
    reported = [c for c in cells if c.result is not None]
    counts = counted(cells)
    for i, item in enumerate(cells, start=1):
        r = item.result
        if r is None:
            rows.append(
                {"stt": str(i), "ten": name_in_cell_column(item.name), "bon_tot": "Chưa báo cáo",
                 "de_xuat": "", "cong_nhan": "", "khong_xep_loai": "", **{lv: "" for lv in LEVELS}}
            )
            continue
        proposed = _counts([m.level for m in r.members])
        decided = _counts(list(item.members.values()))
        nc = sum(1 for m in r.members if not m.classified)
        quarters = r.quarters
        reached = r.bon_tot_quarters
        all_four += quarters == 4 and reached == 4
        rows.append(
            {
                "stt": str(i),
                "ten": name_in_cell_column(item.name),
                "bon_tot": f"{reached}/{quarters} quý",
                "de_xuat": SHORT_LEVEL[r.level] if r.level else "",
                "cong_nhan": "—" if draft else (SHORT_LEVEL[item.cell_level] if item.cell_level else ""),
                "khong_xep_loai": str(nc),
                **{
                    lv: f"{proposed[lv]}" if draft else f"{proposed[lv]} / {decided[lv]}"
                    for lv in LEVELS
                },
            }
        )
    members = counts.members
    final = members.proposed if draft else members.recognised
    pct = dict(zip(LEVELS, count_pct([final[lv] for lv in LEVELS]), strict=True))
    overview = [
        f"Đảng bộ có {len(cells)} chi bộ trực thuộc; {len(reported)} chi bộ đã kiểm điểm, đánh giá, "
        f"xếp loại năm {nam}; {all_four} chi bộ đạt “chi bộ bốn tốt” cả bốn quý.",
        *count_lines(counts, draft, rules),
        *doc.danh_gia_chung,
    ]
    return {
        **ward_header(ws.dang_bo, doc.so, TYPE_CODE, doc.ngay_ban_hanh),
        **ward_signature(ws.dang_bo, doc.tham_quyen, doc.nguoi_ky),
        "trich_yeu": title_text(
            f"kết quả kiểm điểm, đánh giá, xếp loại chất lượng các chi bộ và đảng viên năm {nam}"
        ),
        # Before the committee decides, the summary is of the cells' proposals; it is
        # necessarily a draft too (no number, "DỰ THẢO" mark).
        "theo_de_xuat": draft,
        "du_thao": draft,
        "nam": nam,
        "ten_dang_bo": ws.dang_bo.ten,
        "tong_quan": overview,
        **level_table(counts, draft, rules),
        "bang": rows,
        "tong": {
            "de_xuat": _short_levels(counts.cells.proposed),
            "cong_nhan": "—" if draft else _short_levels(counts.cells.recognised),
            "khong_xep_loai": str(members.not_classified),
            **{
                lv: str(members.proposed[lv]) if draft else f"{members.proposed[lv]} / {members.recognised[lv]}"
                for lv in LEVELS
            },
        },
        "ty_le": pct,
        "han_muc": quota_lines(cells, over, draft, rules),
        "thay_doi": dash_items(changes) if changes else ["Không có."],
        "chua_bao_cao": dash_items([c.name for c in cells if c.result is None]) or ["Không có."],
        "phuong_huong": dash_items(doc.phuong_huong) if doc.phuong_huong else [],
        "noi_nhan": recipients(doc.noi_nhan or default_ward_recipients(ws), WARD_ARCHIVE),
    }


def _quota_place(doc: TongHopNam, cell_id: str | None) -> tuple[str | int, ...]:
    """Where an exceeded quota is shown in tong-hop-nam.yaml: the committee's first decision
    raising a member of that cell (any cell, for the ward's quota) to xuất sắc, else its
    decisions (``cong_nhan``), else the summary (a draft: the cells' own proposals)."""
    if doc.cong_nhan is None:
        return ("tong_hop_nam",)
    for i, decision in enumerate(doc.cong_nhan.dang_vien):
        if decision.muc == "xuat_sac" and cell_id in (None, decision.chi_bo):
            return ("tong_hop_nam", "cong_nhan", "dang_vien", i)
    return ("tong_hop_nam", "cong_nhan")


def summary_file(ws: Workspace, nam: int) -> Path:
    return ws.ward_year_dir(nam) / SPEC.input_file


class TongHopNamKind(DocumentKind):
    """The ward's annual summary of all cells."""


    def prepare(
        self,
        ws: Workspace,
        cell: Cell | None,
        year: int,
        quarter: int | None,
        known: Mapping[str, CellYearFacts] | None = None,
    ) -> list[Prepared]:
        rules = ws.rules
        path = summary_file(ws, year)
        collector = Collector()
        loaded = collector.run(lambda: ws.load_model(path, TongHopNamFile))
        if loaded is not None:
            doc, source = loaded[0].tong_hop_nam, loaded[1]
            if not date(year, 10, 1) <= doc.ngay_ban_hanh <= date(year + 1, 6, 30):
                collector.add(
                    source.problem(
                        ("tong_hop_nam", "ngay_ban_hanh"),
                        f"ngày ban hành {short_date(doc.ngay_ban_hanh)} không hợp với báo cáo năm {year}",
                    )
                )
            problem = check_ward_signer(source, ("tong_hop_nam", "nguoi_ky"), ws.dang_bo, doc.nguoi_ky)
            if problem:
                collector.add(problem)
        items: list[_Entry] = []
        for cell_id in ws.cell_ids():
            if known is not None and cell_id in known:
                items.append(_Entry.of(known[cell_id]))  # from this run's cell reports
                continue
            one = collector.run(partial(run_cell, ws, cell_id))
            if one is None:
                continue
            if not year_file(one, year).is_file():
                items.append(_Entry(one.cell_id, one.info.ten, tuple(one.by_id), None))
                continue
            evaluated = collector.run(partial(load_evaluated_year, ws, one, year))
            if evaluated is not None:
                items.append(_Entry.of(year_facts(one, evaluated[2], year)))
        # a cell reviewing by school year gives the school year ending in this year; its
        # row names it
        items = [
            replace(item, name=f"{item.name} ({year_words(years, year)})")
            if (years := ws.cell_year_kind(item.cell_id)).school
            else item
            for item in items
        ]
        collector.raise_if_any()
        assert loaded is not None
        doc, source = loaded[0].tong_hop_nam, loaded[1]
        cells, problems, changes = _decide(doc, source, items, rules)
        if problems:
            raise InputError(problems)
        if not any(c.result for c in cells):
            raise InputError([source.problem(("tong_hop_nam",), f"chưa chi bộ nào có báo cáo năm {year}")])
        draft = doc.cong_nhan is None
        warnings = []
        # rule set: han_muc_xuat_sac.cap_nam; setting: cai_dat.vuot_han_muc
        over = quota_over(recognised_by_cell(cells), rules)
        if over and ws.cai_dat.vuot_han_muc == "tu_choi":
            raise InputError(
                [source.problem(_quota_place(doc, o.cell_id), over_quota_text(o, cells, draft, rules)) for o in over]
            )
        for o in over if draft else []:
            warnings.append(
                f"{source.display}: {over_quota_text(o, cells, draft, rules)}; Đảng ủy phường sẽ xem xét, quyết định"
            )
        context = build_context(doc, cells, changes, ws, year, rules, over)
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, None, year, "tong-hop-nam.docx"),
                number=NumberRequest(doc.so, TYPE_CODE, ws.dang_bo.ky_hieu, (source, ("tong_hop_nam", "so"))),
                title=plain_spaces(f"BÁO CÁO {context['trich_yeu']}"),
                author=ws.dang_bo.ten_dang_uy,
                issued=doc.ngay_ban_hanh,
                cell=None,
                template=TEMPLATE,
                sources=[ws.source.path, ws.rules_path, path]
                + [c.result.file for c in cells if c.result],
                warnings=warnings,
            )
        ]


# The columns of the table of cells and members by level (its rows and its footer rows).
_LEVEL_TABLE_FIELDS = (
    text("cb_de_xuat", "số chi bộ tự nhận (tỷ lệ)", "3 (75,0%)", required=False),
    text("cb_cong_nhan", "số chi bộ Đảng ủy công nhận (tỷ lệ), hoặc — khi chưa quyết định", "3 (75,0%)", required=False),
    text("dv_de_xuat", "số đảng viên chi bộ đề xuất (tỷ lệ)", "62 (91,2%)", required=False),
    text("dv_cong_nhan", "số đảng viên Đảng ủy công nhận (tỷ lệ), hoặc —", "62 (91,2%)", required=False),
    text("chinh_thuc", "trong đó đảng viên chính thức (theo mức công nhận; dự thảo: đề xuất)", "60 (92,3%)", required=False),
    text("du_bi", "trong đó đảng viên dự bị", "2 (66,7%)", required=False),
)

# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
CONTRACT = TemplateContract(
    file=SPEC.template,
    kind=SPEC.name,
    title="Báo cáo tổng hợp kiểm điểm, đánh giá, xếp loại năm của Đảng ủy phường (BC/ĐU)",
    variables=(
        *header(
            "16-BC/ĐU",
            "ngày 15 tháng 01 năm 2027",
            "kết quả kiểm điểm, đánh giá, xếp loại chất lượng các chi bộ và đảng viên năm 2026",
            ward=True,
        ),
        *WARD_SIGNATURE,
        YEAR,
        WARD_NAME,
        Var(
            "theo_de_xuat",
            "đúng khi Đảng ủy chưa quyết định (chưa có cong_nhan): số liệu theo đề xuất của chi bộ",
            "dk",
            0,
            False,
        ),
        paragraphs("tong_quan", "tình hình chung (docgen viết, có thêm lời văn của Đảng ủy)", "Đảng bộ có 4 chi bộ trực thuộc."),
        records(
            "xep_loai",
            "bảng chi bộ và đảng viên theo mức, mỗi mức một hàng",
            text("muc", "mức (viết gọn)", "Tốt"),
            *_LEVEL_TABLE_FIELDS,
        ),
        records(
            "bang",
            "bảng kết quả, mỗi chi bộ một hàng",
            text("stt", "số thứ tự", "1", required=False),
            text("ten", "tên chi bộ, không lặp chữ «Chi bộ» của tên cột", "Tổ dân phố số 5"),
            text("bon_tot", "số quý đạt “bốn tốt”", "3/4 quý"),
            text("de_xuat", "mức chi bộ đề xuất (viết gọn)", "Hoàn thành"),
            text("cong_nhan", "mức Đảng ủy công nhận, hoặc — khi chưa quyết định", "Hoàn thành"),
            *(text(code, f"số đảng viên {name.lower()}: đề xuất / công nhận", "1 / 1", required=False) for code, name in LEVEL_FIELDS),
            text("khong_xep_loai", "số không xếp loại", "2", required=False),
        ),
        *(
            group(name, meaning, *_LEVEL_TABLE_FIELDS)
            for name, meaning in (
                ("xep_loai_cong", "bảng theo mức, hàng “Cộng”: số chi bộ, đảng viên được xếp loại"),
                ("xep_loai_ha", "bảng theo mức, hàng “Hạ mức”: số Đảng ủy công nhận thấp hơn đề xuất"),
                ("xep_loai_nang", "bảng theo mức, hàng “Nâng mức”: số Đảng ủy công nhận cao hơn đề xuất"),
                ("xep_loai_khong", "bảng theo mức, hàng “Không xếp loại”: số đảng viên không xếp loại"),
            )
        ),
        group(
            "tong",
            "hàng tổng cộng",
            text("de_xuat", "số chi bộ theo mức tự nhận (viết gọn)", "1 XS, 3 Tốt"),
            text("cong_nhan", "số chi bộ theo mức Đảng ủy công nhận (viết gọn), hoặc —", "4 Tốt"),
            *(text(code, f"tổng {name.lower()}: đề xuất / công nhận", "3 / 2") for code, name in LEVEL_FIELDS),
            text("khong_xep_loai", "tổng số không xếp loại", "2"),
        ),
        group(
            "ty_le",
            "hàng tỷ lệ (cộng đúng 100,0%)",
            *(text(code, f"tỷ lệ {name.lower()}", "91,3%") for code, name in LEVEL_FIELDS),
        ),
        paragraphs("han_muc", "hạn mức “Hoàn thành xuất sắc” toàn Đảng bộ", "Hạn mức tính trên toàn Đảng bộ: 12."),
        paragraphs("thay_doi", "những mức Đảng ủy công nhận khác đề xuất", "Không có."),
        paragraphs("chua_bao_cao", "các chi bộ chưa báo cáo", "Không có."),
        paragraphs("phuong_huong", "phương hướng năm tới", "Tiếp tục xây dựng “chi bộ bốn tốt”.", required=False),
    ),
)

CONTRACTS = (CONTRACT,)
