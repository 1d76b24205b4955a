"""The ward office's board (docgen.wardboard.board), the recognised levels, and the batch
run away from the server (docgen.batchjob)."""

from __future__ import annotations

import shutil
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import docgen
import docgen.workspace
from docgen.batchjob import BatchJob, Jobs, JobStatus
from docgen.errors import InputError, UsageError
from docgen.history import History
from docgen.models.ward import TongHopNamFile
from docgen.wardboard import (
    STATES,
    board,
    proposed_levels,
    recognised_levels,
    save_recognised_levels,
)
from docgen.workspace import load_workspace
from tests.conftest import REPO

CELLS = ["to-dan-pho-5", "truong-tieu-hoc-hoa-sua", "co-quan-phuong", "cong-an-phuong"]


# A fixed moment for the history's records (its ``at`` is this moment in local time).
MOMENT = 1_790_000_000.0


def history_of(ws_path: Path) -> History:
    return History.of_workspace(ws_path, clock=lambda: MOMENT)


@pytest.fixture()
def ws_path(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    return target


def _quarter(ws_path: Path, cell: str) -> Path:
    """The cell's file the ward's quarter III of 2026 reads: the school cell's is its quarter
    IV of 2025-2026."""
    if cell == "truong-tieu-hoc-hoa-sua":
        return ws_path / "chi-bo" / cell / "2025-2026" / "quy-4.yaml"
    return ws_path / "chi-bo" / cell / "2026" / "quy-3.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _states(made: Any) -> dict[str, str]:
    return {row.cell_id: row.state for row in made.rows}


# ------------------------------------------------------------------ the board


def test_every_state_of_the_board(ws_path: Path, tmp_path: Path) -> None:
    _quarter(ws_path, "cong-an-phuong").unlink()  # not started
    _edit(_quarter(ws_path, "co-quan-phuong"), "so_da_dong: 18", "so_da_dong: 30")  # more than due: a problem
    _edit(_quarter(ws_path, "truong-tieu-hoc-hoa-sua"), "ngay_ban_hanh: 2026-08-28", "ngay_ban_hanh:")  # to fill
    made = board(load_workspace(ws_path), 2026, "quy-3")
    assert _states(made) == {
        "to-dan-pho-5": "dang_nhap", "truong-tieu-hoc-hoa-sua": "dang_nhap",
        "co-quan-phuong": "co_loi", "cong-an-phuong": "chua_bat_dau",
    }  # fmt: skip
    rows = {r.cell_id: r for r in made.rows}
    assert rows["to-dan-pho-5"].problems == 0 and rows["truong-tieu-hoc-hoa-sua"].problems >= 1
    assert rows["co-quan-phuong"].problems >= 1 and rows["co-quan-phuong"].words == "có lỗi"
    assert rows["to-dan-pho-5"].name == "Chi bộ Tổ dân phố số 5"
    assert [r.cell_id for r in made.missing] == CELLS
    assert made.counts == {"chua_bat_dau": 1, "dang_nhap": 2, "co_loi": 1, "da_nop": 0, "da_ban_hanh": 0}
    assert set(made.counts) == set(STATES)
    # without a history nobody saved or submitted
    assert all(r.saved_by is None and not r.submitted for r in made.rows)

    # the period's report issued for one cell: its number on the board
    ws = load_workspace(ws_path)
    docgen.render_documents(ws, ["bao-cao-quy"], year=2026, quarter=3, cells=["to-dan-pho-5"], output_root=tmp_path / "out")
    made = board(load_workspace(ws_path), 2026, "quy-3")
    rows = {r.cell_id: r for r in made.rows}
    assert rows["to-dan-pho-5"].state == "da_ban_hanh"
    assert rows["to-dan-pho-5"].issued == ("03-BC/CB",)
    assert "to-dan-pho-5" not in [r.cell_id for r in made.missing]
    # another quarter of the same cell is not issued
    assert {r.cell_id: r for r in board(load_workspace(ws_path), 2026, "quy-2").rows}["to-dan-pho-5"].issued == ()


def test_a_draft_is_not_issued(ws_path: Path, tmp_path: Path) -> None:
    ws = load_workspace(ws_path)
    docgen.render_documents(
        ws, ["bao-cao-quy"], year=2026, quarter=3, cells=["to-dan-pho-5"], output_root=tmp_path / "out", draft=True
    )
    assert _states(board(load_workspace(ws_path), 2026, "quy-3"))["to-dan-pho-5"] == "dang_nhap"


def test_submissions_and_last_saves_come_from_the_history(ws_path: Path) -> None:
    history = history_of(ws_path)
    history.record("chi-bo/co-quan-phuong/2026/quy-3.yaml", "co-quan-phuong", "Trần Văn B", "x: 1\n", "luu")
    history.submit("co-quan-phuong", 2026, "quy-3", "Trần Văn B")
    history.submit("to-dan-pho-5", 2026, "quy-3", "Nguyễn Thị A")
    history.reopen("to-dan-pho-5", 2026, "quy-3", "Văn phòng")
    history.submit("cong-an-phuong", 2026, "quy-2", "C")  # another period
    made = board(load_workspace(ws_path), 2026, "quy-3", history=history)
    rows = {r.cell_id: r for r in made.rows}
    at = datetime.fromtimestamp(MOMENT).astimezone().isoformat(timespec="seconds")
    assert rows["co-quan-phuong"].state == "da_nop"
    assert (rows["co-quan-phuong"].submitted_by, rows["co-quan-phuong"].submitted_at) == ("Trần Văn B", at)
    assert (rows["co-quan-phuong"].saved_by, rows["co-quan-phuong"].saved_at) == ("Trần Văn B", at)
    assert rows["to-dan-pho-5"].state == "dang_nhap" and not rows["to-dan-pho-5"].submitted  # reopened
    assert rows["to-dan-pho-5"].saved_by is None
    assert rows["cong-an-phuong"].state == "dang_nhap"
    assert [r.cell_id for r in made.missing] == ["to-dan-pho-5", "truong-tieu-hoc-hoa-sua", "cong-an-phuong"]
    assert made.counts["da_nop"] == 1


def test_the_year_and_a_wrong_period(ws_path: Path) -> None:
    (ws_path / "chi-bo" / "to-dan-pho-5" / "2026" / "nam.yaml").unlink()
    made = board(load_workspace(ws_path), 2026, "nam")
    assert _states(made)["to-dan-pho-5"] == "chua_bat_dau"
    assert _states(made)["co-quan-phuong"] == "dang_nhap"
    with pytest.raises(UsageError, match="không có kỳ 'quy-5'"):
        board(load_workspace(ws_path), 2026, "quy-5")


def test_the_board_loads_the_workspace_once_and_uses_the_callers_states(
    ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.editing import cell_states

    ws = load_workspace(ws_path)
    asked: list[str] = []

    def remembered(ws: Any, cell_id: str, year: int) -> Any:
        asked.append(cell_id)
        return cell_states(ws, cell_id, year)

    def no_reload(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the workspace loaded again")

    monkeypatch.setattr(docgen.workspace, "load_workspace", no_reload)
    board(ws, 2026, "quy-3", states=remembered)
    assert asked == CELLS


# ------------------------------------------------------------------ recognised levels


def test_recognised_levels_round_trip_keeping_comments_and_reasons(ws_path: Path) -> None:
    path = ws_path / "2026" / "tong-hop-nam.yaml"
    ws = load_workspace(ws_path)
    assert recognised_levels(ws, 2026) == {
        "to-dan-pho-5": "hoan_thanh", "truong-tieu-hoc-hoa-sua": "tot", "co-quan-phuong": "tot", "cong-an-phuong": "tot",
    }  # fmt: skip
    assert proposed_levels(ws, 2026)["to-dan-pho-5"] == "hoan_thanh"
    history = history_of(ws_path)
    changed = save_recognised_levels(
        ws, 2026, {"to-dan-pho-5": "tot", "cong-an-phuong": None}, who="Văn phòng", history=history
    )
    assert changed
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Báo cáo tổng hợp kiểm điểm")  # comments kept
    doc = TongHopNamFile.model_validate(load_workspace(ws_path).load_source(path).data).tong_hop_nam
    assert doc.cong_nhan is not None
    assert {d.chi_bo: d.muc for d in doc.cong_nhan.chi_bo} == {
        "to-dan-pho-5": "tot", "truong-tieu-hoc-hoa-sua": "tot", "co-quan-phuong": "tot",
    }  # fmt: skip
    assert [d.dang_vien for d in doc.cong_nhan.dang_vien] == ["dv02"]  # the members' decisions kept
    assert recognised_levels(load_workspace(ws_path), 2026)["cong-an-phuong"] is None
    kept = history.versions("2026/tong-hop-nam.yaml")
    assert [(v.action, v.who) for v in kept] == [("luu", "Văn phòng"), ("ban_dau", "Văn phòng")]
    assert history.version(kept[0].id)[1] == text
    # the same again: nothing written
    assert not save_recognised_levels(load_workspace(ws_path), 2026, {"to-dan-pho-5": "tot"}, who="x")


def test_a_bad_level_is_refused_at_its_cell_and_nothing_is_written(ws_path: Path) -> None:
    path = ws_path / "2026" / "tong-hop-nam.yaml"
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        save_recognised_levels(load_workspace(ws_path), 2026, {"co-quan-phuong": "gioi", "to-dan-pho-5": "tot"}, who="x")
    assert [p.path for p in caught.value.problems] == [("tong_hop_nam", "cong_nhan", "chi_bo", "co-quan-phuong", "muc")]
    assert "'gioi'" in caught.value.problems[0].message
    assert path.read_bytes() == before
    with pytest.raises(UsageError, match="không có chi bộ 'khong-co'"):
        save_recognised_levels(load_workspace(ws_path), 2026, {"khong-co": "tot"}, who="x")
    assert path.read_bytes() == before


def test_levels_of_a_year_without_its_summary(ws_path: Path) -> None:
    ws = load_workspace(ws_path)
    assert recognised_levels(ws, 2027) == dict.fromkeys(CELLS)
    with pytest.raises(UsageError, match="chưa có tệp .*2027/tong-hop-nam.yaml"):
        save_recognised_levels(ws, 2027, {"to-dan-pho-5": "tot"}, who="x")
    assert not (ws_path / "2027").exists()


# ------------------------------------------------------------------ the batch job


def test_a_cells_bad_data_is_reported_with_its_located_lines(ws_path: Path, tmp_path: Path) -> None:
    _edit(_quarter(ws_path, "co-quan-phuong"), "so_da_dong: 18", "so_da_dong: 30")
    job = BatchJob.start(ws_path, year=2026, quarter=3, output_root=tmp_path / "out", bundle=True, pdf=False, who="x")
    assert job.wait(600)
    status = job.status()
    assert not status.running and status.error == ()
    summary = status.summary
    assert summary is not None
    failed = {f.cell: f for f in summary.failures}
    assert "co-quan-phuong" in failed and failed["co-quan-phuong"].kind == "bao-cao-quy"
    lines = failed["co-quan-phuong"].lines
    assert any("chi-bo/co-quan-phuong/2026/quy-3.yaml:" in line and "dang_phi" in line for line in lines), lines
    assert {d.cell for d in summary.documents} == {"to-dan-pho-5", "truong-tieu-hoc-hoa-sua", "cong-an-phuong"}
    assert summary.manifest == "ngoc-ha/2026/manifest-quy-3.json"
    assert (tmp_path / "out" / summary.manifest).is_file()
    assert status.done == status.total == len(CELLS) + 1


def test_a_failure_of_the_whole_batch_is_its_lines(tmp_path: Path) -> None:
    job = BatchJob.start(
        tmp_path / "khong-co", year=2026, quarter=3, output_root=tmp_path / "out", bundle=False, pdf=False, who="x"
    )
    assert job.wait(600)
    status = job.status()
    assert not status.running and status.summary is None
    assert status.error and not any("Traceback" in line for line in status.error)
    assert "khong-co" in " ".join(status.error)


class _Held:
    """A job that runs until released (the one-at-a-time rule, without a real batch)."""

    def __init__(self, who: str) -> None:
        self.id = f"job-{who}"
        self.who = who
        self.started = 0.0
        self.release = threading.Event()

    def status(self) -> JobStatus:
        return JobStatus(running=not self.release.is_set())


def test_one_batch_at_a_time(tmp_path: Path) -> None:
    made: list[_Held] = []

    def starter(workspace: Path, **kw: Any) -> Any:
        made.append(_Held(kw["who"]))
        return made[-1]

    jobs = Jobs(starter=starter)
    first = jobs.start(tmp_path, year=2026, quarter=3, output_root=tmp_path, bundle=False, pdf=False, who="A")
    assert jobs.current() is first and jobs.get(first.id) is first
    with pytest.raises(UsageError, match="đang làm văn bản cả phường \\(do A"):
        jobs.start(tmp_path, year=2026, quarter=3, output_root=tmp_path, bundle=False, pdf=False, who="B")
    assert len(made) == 1
    made[0].release.set()
    assert jobs.current() is None and jobs.get(first.id) is first
    second = jobs.start(tmp_path, year=2026, quarter=None, output_root=tmp_path, bundle=False, pdf=False, who="B")
    assert jobs.current() is second and jobs.latest() is second
    assert jobs.get("khong-co") is None

