"""The ward committee's quarterly summary across all its cells (BC/ĐU).

Its figures are the same evaluate_quarter results (docgen/rules/quarter.py) the cells'
reports show, worded the same way (docgen/documents/wording.py), so the
ward's totals are the sums of the cell reports by construction (and a test reads
both documents back to check it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from docgen.contract import (
    LEVEL_FIELDS,
    QUARTER,
    WARD_NAME,
    WARD_SIGNATURE,
    YEAR,
    TemplateContract,
    group,
    header,
    paragraphs,
    records,
    text,
)
from docgen.documents.bao_cao_quy import (
    REPORT_GRACE_DAYS,
    CellQuarterFacts,
    load_evaluated_quarter,
    load_quarter,
    quarter_facts,
    quarter_file,
    quarter_tasks,
)
from docgen.documents.base import (
    WARD_ARCHIVE,
    DocumentKind,
    NumberRequest,
    Prepared,
    check_ward_signer,
    dash_items,
    default_ward_recipients,
    name_in_cell_column,
    recipients,
    run_cell,
    ward_header,
    ward_signature,
)
from docgen.documents.kinds import kind_spec
from docgen.documents.wording import (
    SHORT_LEVEL,
    bon_tot_quarter,
    failed_criteria,
    quota_text,
    score_text,
    share_percent,
)
from docgen.errors import Collector, InputError
from docgen.formatting import count_pct, plain_spaces, quarter_words, roman, short_date, title_text
from docgen.models.rules import LEVELS, BoQuyTac
from docgen.models.ward import TongHopQuy, TongHopQuyFile
from docgen.output import output_path
from docgen.resources import bon_tot
from docgen.rules.period import CALENDAR
from docgen.rules.quarter import evaluate_quarter
from docgen.rules.share import Share
from docgen.rules.summary import bon_tot_counts
from docgen.workspace import Cell, Workspace
from docgen.yamlsource import SourceFile

__all__ = ["CellQuarter", "TongHopQuyKind", "build_context", "collect_quarter"]

SPEC = kind_spec("tong-hop-quy")
TEMPLATE = SPEC.template
TYPE_CODE = SPEC.type_code
# A criterion met or not, as a clerk marks a narrow column by hand: «x» met, «–» not
# (the column is 8.5 mm: no room for «Đạt»). Both are in Times New Roman, unlike ✓/✗,
# which Word takes from another font (issue 18); the legend above the table says so.
MARK = {True: "x", False: "–"}


@dataclass(frozen=True)
class CellQuarter:
    """One cell's quarter as the ward sees it (facts None: did not report)."""

    name: str
    facts: CellQuarterFacts | None


def collect_quarter(
    ws: Workspace, nam: int, quy: int, known: Mapping[str, CellQuarterFacts] | None = None
) -> tuple[list[CellQuarter], list[str]]:
    """Every cell's evaluated quarter, in the ward's order; and quota warnings.

    ``known`` maps cell ids to the facts the cell reports of this run already computed
    (``Prepared.facts`` of ``bao-cao-quy``, made by ``quarter_facts``); others are loaded
    and made into the same facts.

    Raises:
        InputError: any cell's files are invalid (every problem at once).
    """
    rules = ws.rules
    collector = Collector()
    out: list[CellQuarter] = []
    warnings: list[str] = []
    for cell_id in ws.cell_ids():
        # a cell reviewing by school year gives the quarter of its year that ends in this
        # calendar quarter; its row names that quarter
        years = ws.cell_year_kind(cell_id)
        own_year, own_quarter = years.quarter_ending_in(nam, quy)
        period = f" ({quarter_words(years, own_year, own_quarter)})" if years.school else ""
        if known is not None and cell_id in known:
            facts = known[cell_id]
            problem, warning = facts.quota_check(rules, ws.cai_dat.vuot_han_muc)
            if warning:
                warnings.append(warning)
            out.append(CellQuarter(facts.name + period, facts))
            continue
        cell = collector.run(partial(run_cell, ws, cell_id))
        if cell is None:
            continue
        if not quarter_file(cell, own_year, own_quarter).is_file():
            out.append(CellQuarter(cell.info.ten + period, None))
            continue
        try:  # the cell's own quarterly report evaluated it (remembered for the run)
            _, source, result = load_evaluated_quarter(ws, cell, own_year, own_quarter)
        except InputError:
            # each file's problems; a quarter whose assignment files alone have problems is
            # still evaluated (without tasks), so its quota is checked too
            tasks = collector.run(partial(quarter_tasks, cell, own_year)) or []
            loaded = collector.run(partial(load_quarter, cell, own_year, own_quarter, rules))
            if loaded is None:
                continue
            report, source = loaded
            result = evaluate_quarter(cell, report, tasks, own_year, own_quarter, rules)
        facts = quarter_facts(cell, result, source, own_year, own_quarter)
        problem, warning = facts.quota_check(rules, ws.cai_dat.vuot_han_muc)
        if problem:
            collector.add(problem)
        if warning:
            warnings.append(warning)
        out.append(CellQuarter(cell.info.ten + period, facts))
    collector.raise_if_any()
    return out, warnings


def check_summary(
    doc: TongHopQuy, source: SourceFile, ws: Workspace, nam: int, quy: int
) -> Collector:
    c = Collector()
    root = ("tong_hop_quy",)
    start, end = CALENDAR.quarter_bounds(nam, quy)
    if not start <= doc.ngay_ban_hanh <= end + timedelta(days=REPORT_GRACE_DAYS + 15):
        c.add(
            source.problem(
                (*root, "ngay_ban_hanh"),
                f"ngày ban hành {short_date(doc.ngay_ban_hanh)} không hợp với báo cáo quý "
                f"{roman(quy)} năm {nam}",
            )
        )
    problem = check_ward_signer(source, (*root, "nguoi_ky"), ws.dang_bo, doc.nguoi_ky)
    if problem:
        c.add(problem)
    return c


def build_context(
    doc: TongHopQuy, cells: list[CellQuarter], ws: Workspace, nam: int, quy: int, rules: BoQuyTac
) -> dict[str, Any]:
    """The template variables of the ward's quarterly summary (pure)."""
    ref = bon_tot()
    reported = [c.facts for c in cells if c.facts is not None]
    rows = []
    totals = {lv: 0 for lv in LEVELS}
    cell_levels = {lv: 0 for lv in LEVELS}
    not_bon_tot = []
    for i, item in enumerate(cells, start=1):
        r = item.facts
        if r is None:
            rows.append(
                {
                    "stt": str(i),
                    "ten": name_in_cell_column(item.name),
                    **{f"tc{n}": "—" for n in range(1, 5)},
                    "bon_tot": "Chưa báo cáo",
                    "diem": "",
                    "xep_loai": "",
                    **{lv: "" for lv in LEVELS},
                }
            )
            continue
        for lv in LEVELS:
            totals[lv] += r.counts[lv]
        if r.level:
            cell_levels[r.level] += 1
        rows.append(
            {
                "stt": str(i),
                "ten": name_in_cell_column(item.name),
                **{f"tc{n}": MARK[c.met] for n, c in enumerate(r.criteria, start=1)},
                "bon_tot": bon_tot_quarter(r.bon_tot).capitalize(),
                "diem": score_text(r.score),
                "xep_loai": SHORT_LEVEL[r.level] if r.level else "",
                **{lv: str(r.counts[lv]) for lv in LEVELS},
            }
        )
        if not r.bon_tot:
            failed = failed_criteria(r.criteria, [t.ten for t in ref.tieu_chi], rules)
            not_bon_tot.append(f"{item.name}: không đạt {'; '.join(failed)}")
    bon = bon_tot_counts([c.met for c in r.criteria] for r in reported)
    n_bon_tot = bon.met
    rated = sum(totals.values())
    level_pct = dict(zip(LEVELS, count_pct([totals[lv] for lv in LEVELS]), strict=True))
    cell_pct = dict(zip(LEVELS, count_pct([cell_levels[lv] for lv in LEVELS]), strict=True))
    bon_tot_pct = share_percent(Share(n_bon_tot, bon.reported), "0,0%")
    criterion_line = "Chi bộ đạt từng tiêu chí: " + "; ".join(
        f"TC{n} {met}/{bon.reported} ({share_percent(Share(met, bon.reported), '0,0%')})"
        for n, met in enumerate(bon.per_criterion, start=1)
    ) + "."
    over_quota = [
        f"{r.name} đề nghị {r.quota.proposed} đảng viên “Hoàn thành xuất sắc”, "
        f"vượt {quota_text(r.quota, rules)}: {', '.join(r.over_quota)}"
        for r in reported
        if r.quota.exceeded
    ]
    overview = [
        f"Đảng bộ có {len(cells)} chi bộ trực thuộc; {len(reported)} chi bộ đã báo cáo kết quả quý "
        f"{roman(quy)} năm {nam}; {n_bon_tot} chi bộ đạt “chi bộ bốn tốt” ({bon_tot_pct} số chi bộ "
        f"đã báo cáo).",
        criterion_line,
        "Chi bộ tự đánh giá, xếp loại: "
        + "; ".join(f"{rules.level_name(lv)} {cell_levels[lv]} ({cell_pct[lv]})" for lv in LEVELS)
        + ".",
        f"Đảng viên được đánh giá, xếp loại: {rated}; trong đó "
        + "; ".join(f"{rules.level_name(lv)} {totals[lv]} ({level_pct[lv]})" for lv in LEVELS)
        + ".",
        *doc.danh_gia_chung,
    ]
    return {
        **ward_header(ws.dang_bo, doc.so, TYPE_CODE, doc.ngay_ban_hanh),
        **ward_signature(ws.dang_bo, doc.tham_quyen, doc.nguoi_ky),
        "trich_yeu": title_text(
            f"kết quả xây dựng “chi bộ bốn tốt” quý {roman(quy)} năm {nam} của các chi bộ trực thuộc"
        ),
        "nam": nam,
        "quy": roman(quy),
        "ten_dang_bo": ws.dang_bo.ten,
        "tong_quan": overview,
        "chu_giai": "; ".join(f"TC{n}: {t.ten}" for n, t in enumerate(ref.tieu_chi, start=1)),
        "bang": rows,
        "tong": {
            "bon_tot": f"{n_bon_tot}/{len(reported)}",
            **{f"tc{n}": str(met) for n, met in enumerate(bon.per_criterion, start=1)},
            **{lv: str(totals[lv]) for lv in LEVELS},
        },
        "ty_le": {"bon_tot": bon_tot_pct, **level_pct},
        "khong_bon_tot": dash_items(not_bon_tot) if not_bon_tot else ["Không có."],
        "chua_bao_cao": dash_items([c.name for c in cells if c.facts is None])
        or ["Không có."],
        "vuot_han_muc": dash_items(over_quota) if over_quota else ["Không có."],
        "phuong_huong": dash_items(doc.phuong_huong) if doc.phuong_huong else [],
        "noi_nhan": recipients(doc.noi_nhan or default_ward_recipients(ws), WARD_ARCHIVE),
    }


def summary_file(ws: Workspace, nam: int, quy: int) -> Path:
    return ws.ward_year_dir(nam) / f"tong-hop-quy-{quy}.yaml"


class TongHopQuyKind(DocumentKind):
    """The ward's quarterly summary of all cells."""


    def prepare(
        self,
        ws: Workspace,
        cell: Cell | None,
        year: int,
        quarter: int | None,
        known: Mapping[str, Any] | None = None,
    ) -> list[Prepared]:
        assert quarter is not None
        path = summary_file(ws, year, quarter)
        collector = Collector()
        loaded = collector.run(lambda: ws.load_model(path, TongHopQuyFile))
        if loaded is not None:
            collector.problems += check_summary(loaded[0].tong_hop_quy, loaded[1], ws, year, quarter).problems
        cells = collector.run(lambda: collect_quarter(ws, year, quarter, known))
        collector.raise_if_any()
        assert loaded is not None and cells is not None
        doc = loaded[0].tong_hop_quy
        items, warnings = cells
        if not any(c.facts for c in items):
            raise InputError(
                [loaded[1].problem(("tong_hop_quy",), f"chưa chi bộ nào có báo cáo quý {roman(quarter)} năm {year}")]
            )
        context = build_context(doc, items, ws, year, quarter, ws.rules)
        sources = [ws.source.path, ws.rules_path, path] + [c.facts.file for c in items if c.facts is not None]
        return [
            Prepared(
                kind=self.name,
                context=context,
                output=output_path(ws.dang_bo.ma, None, year, f"tong-hop-quy-{quarter}.docx"),
                number=NumberRequest(doc.so, TYPE_CODE, ws.dang_bo.ky_hieu, (loaded[1], ("tong_hop_quy", "so"))),
                title=plain_spaces(f"BÁO CÁO {context['trich_yeu']}"),
                author=ws.dang_bo.ten_dang_uy,
                issued=doc.ngay_ban_hanh,
                cell=None,
                template=TEMPLATE,
                sources=sources,
                warnings=warnings,
            )
        ]


# The contract of its template(s) (docgen/contract.py): exactly the variables
# build_context returns, with their meaning and an example for the guide.
CONTRACT = TemplateContract(
    file=SPEC.template,
    kind=SPEC.name,
    title="Báo cáo tổng hợp kết quả “chi bộ bốn tốt” quý của Đảng ủy phường (BC/ĐU)",
    variables=(
        *header(
            "13-BC/ĐU",
            "ngày 08 tháng 10 năm 2026",
            "kết quả xây dựng “chi bộ bốn tốt” quý III năm 2026 của các chi bộ trực thuộc",
            ward=True,
        ),
        *WARD_SIGNATURE,
        YEAR,
        QUARTER,
        WARD_NAME,
        paragraphs("tong_quan", "tình hình chung (docgen viết, có thêm lời văn của Đảng ủy)", "Đảng bộ có 4 chi bộ trực thuộc."),
        text("chu_giai", "chú giải TC1 đến TC4", "TC1: Lãnh đạo hoàn thành tốt nhiệm vụ chính trị", required=False),
        records(
            "bang",
            "bảng kết quả, mỗi chi bộ một hàng",
            text("stt", "số thứ tự", "1", required=False),
            text("ten", "tên chi bộ, không lặp chữ «Chi bộ» của tên cột", "Tổ dân phố số 5"),
            *(text(f"tc{n}", f"tiêu chí {n}: x đạt, – không đạt", "x") for n in range(1, 5)),
            text("bon_tot", "Đạt, Chưa đạt hoặc Chưa báo cáo", "Đạt"),
            text("diem", "điểm tự chấm của chi bộ", "86", required=False),
            text("xep_loai", "mức của chi bộ (viết gọn)", "Tốt", required=False),
            *(text(code, f"số đảng viên {name.lower()}", "0", required=False) for code, name in LEVEL_FIELDS),
        ),
        group(
            "tong",
            "hàng tổng cộng",
            text("bon_tot", "số chi bộ đạt “bốn tốt” / số chi bộ đã báo cáo", "3/4"),
            *(text(f"tc{n}", f"số chi bộ đạt tiêu chí {n}", "4", required=False) for n in range(1, 5)),
            *(text(code, f"tổng số đảng viên {name.lower()}", "26") for code, name in LEVEL_FIELDS),
        ),
        group(
            "ty_le",
            "hàng tỷ lệ (cộng đúng 100,0%)",
            text("bon_tot", "tỷ lệ chi bộ đạt “bốn tốt”", "75,0%"),
            *(text(code, f"tỷ lệ {name.lower()}", "98,5%") for code, name in LEVEL_FIELDS),
        ),
        paragraphs("khong_bon_tot", "các chi bộ chưa đạt “bốn tốt” và tiêu chí không đạt", "Không có."),
        paragraphs("chua_bao_cao", "các chi bộ chưa báo cáo", "Không có."),
        paragraphs("vuot_han_muc", "đề nghị xuất sắc vượt hạn mức", "Không có.", required=False),
        paragraphs("phuong_huong", "phương hướng quý tới", "Tiếp tục chỉ đạo các chi bộ.", required=False),
    ),
)

CONTRACTS = (CONTRACT,)
