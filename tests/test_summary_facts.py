"""The facts a cell's report hands to the ward's summary (``Prepared.facts``) are small,
and the summary made from them is the one made from the cells' files."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from docgen.documents import get_kind
from docgen.documents.base import Prepared, run_cell
from docgen.errors import InputError
from docgen.issue import render_prepared
from docgen.templates import Renderer
from docgen.workspace import load_workspace
from tests.conftest import edit_yaml
from tests.synthetic import build_ward


def cell_facts(ws_root: Path, kind: str, quarter: int | None) -> dict[str, Any]:
    """Each cell's facts as a batch worker sends them back (pickled and read again);
    a cell whose report cannot be made has none, as in a batch."""
    ws = load_workspace(ws_root)
    known = {}
    for cell_id in ws.cell_ids():
        try:
            cell = run_cell(ws, cell_id)
            # a school-year cell's own period the ward's holds, as the batch takes it
            [item] = get_kind(kind).prepare(ws, cell, *cell.year_kind.own_period(2026, quarter))
        except InputError:
            continue
        known[cell_id] = pickle.loads(pickle.dumps(item.facts))
    return known


def summary(ws_root: Path, kind: str, quarter: int | None, known: dict[str, Any] | None) -> tuple[Prepared, bytes]:
    """The summary prepared in a fresh workspace (nothing remembered), and its bytes."""
    ws = load_workspace(ws_root)
    [item] = get_kind(kind).prepare(ws, None, 2026, quarter, known=known)  # type: ignore[call-arg]
    [rendered], _ = render_prepared([item], Renderer(), None)
    return item, rendered.data


def assert_same_summary(ws_root: Path, kind: str, cell_kind: str, quarter: int | None) -> None:
    known = cell_facts(ws_root, cell_kind, quarter)
    assert known  # the summary below really reads them
    slim, slim_bytes = summary(ws_root, kind, quarter, known)
    full, full_bytes = summary(ws_root, kind, quarter, None)
    assert slim.context == full.context
    assert slim.sources == full.sources
    assert slim.warnings == full.warnings
    assert slim_bytes == full_bytes


def test_quarterly_summary_from_facts_is_the_one_from_files(sample_ws: Path) -> None:
    # quarter 2: a cell over its xuất sắc quota (a warning), and one cell that did not report
    (sample_ws / "chi-bo/cong-an-phuong/2026/quy-2.yaml").unlink()
    assert_same_summary(sample_ws, "tong-hop-quy", "bao-cao-quy", 2)
    item, _ = summary(sample_ws, "tong-hop-quy", 2, cell_facts(sample_ws, "bao-cao-quy", 2))
    assert len(item.warnings) == 1 and "Đảng ủy phường sẽ xem xét, quyết định" in item.warnings[0]
    assert any("Chưa báo cáo" in row["bon_tot"] for row in item.context["bang"])


def test_annual_summary_from_facts_is_the_one_from_files(sample_ws: Path) -> None:
    assert_same_summary(sample_ws, "tong-hop-nam", "bao-cao-nam", None)


def test_annual_decisions_refused_alike_from_facts(sample_ws: Path) -> None:
    # a member id mistyped (a hint from the cell's roster), a member not classified,
    # a cell without its annual report
    (sample_ws / "chi-bo/cong-an-phuong/2026/nam.yaml").unlink()
    edit_yaml(
        sample_ws / "2026/tong-hop-nam.yaml",
        "        dang_vien: dv02\n",
        "        dang_vien: dv2\n        muc: tot\n"
        "      - chi_bo: to-dan-pho-5\n        dang_vien: dv09\n",
    )
    known = cell_facts(sample_ws, "bao-cao-nam", None)
    errors = []
    for facts in (known, None):
        with pytest.raises(InputError) as caught:
            summary(sample_ws, "tong-hop-nam", None, facts)
        errors.append(caught.value.lines())
    assert errors[0] == errors[1]
    text = "\n".join(errors[0])
    assert "Chi bộ Công an phường chưa có báo cáo năm" in text
    assert "không có đảng viên 'dv2'" in text and "có phải ý là 'dv02'?" in text
    assert "đồng chí Đặng Quang Dũng không được xếp loại (" in text


def test_quota_refused_by_the_summary_where_the_report_refuses_it(sample_ws: Path) -> None:
    # the summary rendered alone makes the facts itself: the same located problem
    edit_yaml(sample_ws / "dang-bo.yaml", "vuot_han_muc: dang_uy_quyet_dinh", "vuot_han_muc: tu_choi")
    ws = load_workspace(sample_ws)
    with pytest.raises(InputError) as report:
        get_kind("bao-cao-quy").prepare(ws, run_cell(ws, "to-dan-pho-5"), 2026, 2)
    with pytest.raises(InputError) as ward:
        summary(sample_ws, "tong-hop-quy", 2, None)
    [problem] = report.value.problems
    assert problem.line is not None
    assert problem.format() in [p.format() for p in ward.value.problems]


def test_a_cells_facts_are_small(tmp_path: Path) -> None:
    # a cell of 36 members: its quarter's and its year's facts pickle to a few KB (the
    # cell with its roster and source file was over 100 KB)
    ws_root = build_ward(tmp_path, 1, 36, annual=True)
    for kind, quarter in (("bao-cao-quy", 3), ("bao-cao-nam", None)):
        [facts] = cell_facts(ws_root, kind, quarter).values()
        assert len(pickle.dumps(facts)) < 8 * 1024, kind
