"""The history of saves, the recorded save path (optimistic concurrency, submit/reopen
locks) and restoring a version (docgen/history.py, docgen/editing.py; issue 15)."""

from __future__ import annotations

import copy
import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import docgen
from docgen.editing import (
    cell_file,
    open_cell_file,
    period_of_file,
    restore_version,
    save_cell_file,
    save_recorded,
    workspace_lock,
)
from docgen.errors import EditConflict, OutputError, PeriodLocked, UsageError
from docgen.history import HISTORY_FILE, History, open_history
from docgen.workspace import Workspace, load_workspace

CELL = "to-dan-pho-5"
QUY3 = "chi-bo/to-dan-pho-5/2026/quy-3.yaml"


class Clock:
    """A clock that moves one second a reading, from 2026-09-30 10:00:00 UTC."""

    def __init__(self) -> None:
        self.now = 1790762400.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


@pytest.fixture()
def ws(sample_ws: Path) -> Workspace:
    return load_workspace(sample_ws)


@pytest.fixture()
def history(sample_ws: Path) -> Iterator[History]:
    h = History.of_workspace(sample_ws, clock=Clock())
    yield h
    h.close()


def _paid(ws: Workspace, name: str, count: int) -> tuple[Any, Any]:
    """The opened quarter file and its data with ``so_da_dong`` set to ``count``."""
    file = cell_file(ws, CELL, name, 2026)
    opened = open_cell_file(ws, file)
    data = copy.deepcopy(opened.data)
    data["bao_cao_quy"]["dang_phi"]["so_da_dong"] = count
    return opened, data


# ---------------------------------------------------------------------------- History alone


def test_record_versions_version_newest_first(tmp_path: Path) -> None:
    h = History(tmp_path / ".docgen" / "lich-su.sqlite", clock=Clock())
    assert h.versions("a.yaml") == [] and h.latest("a.yaml") is None and h.last_saves() == {}
    assert not h.path.exists()  # reading makes no file
    first = h.record("a.yaml", "c1", "An", "một\n", "ban_dau")
    second = h.record("a.yaml", "c1", "Bình", "hai\n", "luu")
    h.record("b.yaml", "c2", "Chi", "ba\n", "luu")
    assert [v.id for v in h.versions("a.yaml")] == [second.id, first.id]
    assert h.latest("a.yaml") == second
    version, text = h.version(first.id)
    assert (version, text) == (first, "một\n")
    assert version.who == "An" and version.action == "ban_dau" and version.size == len("một\n".encode())
    assert version.action_words == "bản trước khi sửa trên trang"
    assert second.at > first.at and second.at.startswith("2026-")
    with pytest.raises(UsageError, match="không có phiên bản số 999"):
        h.version(999)
    h.close()


def test_last_saves_per_cell_only_saves_and_restores(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite", clock=Clock())
    h.record("a.yaml", "c1", "An", "1", "luu")
    restored = h.record("b.yaml", "c1", "Bình", "2", "khoi_phuc")
    h.record("a.yaml", "c1", "Chi", "3", "xung_dot")  # refused: not a save
    h.record("a.yaml", "c1", "Dũng", "4", "ban_dau")
    c2 = h.record("c.yaml", "c2", "Em", "5", "luu")
    h.record("d.yaml", None, "Giang", "6", "luu")  # a file of no cell
    assert h.last_saves() == {"c1": restored, "c2": c2}


def test_pruning_keeps_the_newest_versions_of_each_file(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite", clock=Clock(), keep=3)
    made = [h.record("a.yaml", "c1", "An", f"v{n}", "luu") for n in range(5)]
    other = h.record("b.yaml", "c1", "An", "b", "luu")
    assert [v.id for v in h.versions("a.yaml")] == [v.id for v in reversed(made[2:])]
    assert h.versions("b.yaml") == [other]
    with pytest.raises(UsageError):
        h.version(made[0].id)  # dropped: its id is not given to another version
    assert h.record("a.yaml", "c1", "An", "v5", "luu").id > other.id


def test_submit_reopen_and_the_latest_event(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite", clock=Clock())
    assert h.submission(CELL, 2026, "quy-3") is None and h.submissions(2026) == {}
    done = h.submit(CELL, 2026, "quy-3", "Bí thư")
    assert done.locked and done.state == "da_nop" and done.state_words == "đã nộp"
    assert h.submission(CELL, 2026, "quy-3") == done
    with pytest.raises(UsageError, match="đã nộp quý III năm 2026 cho Đảng ủy rồi"):
        h.submit(CELL, 2026, "quy-3", "Bí thư")
    again = h.reopen(CELL, 2026, "quy-3", "Văn phòng")
    assert not again.locked and h.submission(CELL, 2026, "quy-3") == again
    with pytest.raises(UsageError, match="chưa nộp quý III năm 2026 nên không cần mở lại"):
        h.reopen(CELL, 2026, "quy-3", "Văn phòng")
    year = h.submit("khac", 2026, "nam", "Bí thư khác")
    h.submit(CELL, 2025, "quy-1", "Bí thư")  # another year: not in 2026's
    assert h.submissions(2026) == {(CELL, "quy-3"): again, ("khac", "nam"): year}
    with pytest.raises(UsageError, match="không có kỳ 'quy-5'"):
        h.submit(CELL, 2026, "quy-5", "Bí thư")
    with pytest.raises(UsageError, match="năm 1999"):
        h.submit(CELL, 1999, "nam", "Bí thư")


def test_history_is_shared_by_threads(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(20):
                h.record(f"f{n}.yaml", "c", "An", f"{n}-{k}", "luu")
                h.versions(f"f{n}.yaml")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(len(h.versions(f"f{n}.yaml")) == 20 for n in range(6))


def test_an_unreadable_history_is_a_vietnamese_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(OutputError, match="lịch sử các lần lưu .*không phải cơ sở dữ liệu SQLite"):
        History(path).versions("a.yaml")


def test_public_api_opens_the_workspace_history(sample_ws: Path) -> None:
    h = docgen.open_history(sample_ws)
    assert isinstance(h, docgen.History) and h.path == sample_ws / HISTORY_FILE
    assert open_history(load_workspace(sample_ws)).path == sample_ws / HISTORY_FILE


# ---------------------------------------------------------------------------- the save path


def test_period_of_file(ws: Workspace) -> None:
    assert period_of_file(cell_file(ws, CELL, "quy-3", 2026)) == "quy-3"
    assert period_of_file(cell_file(ws, CELL, "nam", 2026)) == "nam"
    assert period_of_file(cell_file(ws, CELL, "ke-hoach", 2026)) is None
    assert period_of_file(cell_file(ws, CELL, "dang-vien")) is None


def test_a_save_keeps_the_text_before_then_the_save(ws: Workspace, history: History) -> None:
    opened, data = _paid(ws, "quy-3", 25)
    before = opened.text
    saved = save_recorded(ws, opened.file, data, version=opened.version, who="Bí thư", history=history)
    assert saved.written and not saved.problems
    now = opened.file.path(ws).read_text(encoding="utf-8")
    assert "so_da_dong: 25" in now and "# Kết quả quý của chi bộ" in now  # comments kept
    newest, first = history.versions(QUY3)
    assert (first.action, newest.action) == ("ban_dau", "luu")
    assert history.version(first.id)[1] == before and history.version(newest.id)[1] == now
    assert newest.who == "Bí thư" and newest.cell == CELL
    # the second save from the new text: no second ban_dau
    reopened, data = _paid(ws, "quy-3", 24)
    save_recorded(ws, reopened.file, data, version=reopened.version, who="Phó bí thư", history=history)
    assert [v.action for v in history.versions(QUY3)] == ["luu", "luu", "ban_dau"]
    assert history.last_saves()[CELL].who == "Phó bí thư"


def test_saving_the_same_data_writes_and_records_nothing(ws: Workspace, history: History) -> None:
    file = cell_file(ws, CELL, "quy-3", 2026)
    opened = open_cell_file(ws, file)
    saved = save_recorded(ws, file, opened.data, version=opened.version, who="Bí thư", history=history)
    assert not saved.written and history.versions(QUY3) == []


def test_invalid_data_writes_and_records_nothing(ws: Workspace, history: History) -> None:
    opened, data = _paid(ws, "quy-3", 25)
    data["bao_cao_quy"]["so"] = "không phải số"
    saved = save_recorded(ws, opened.file, data, version=opened.version, who="Bí thư", history=history)
    assert not saved.written and saved.problems
    assert opened.file.path(ws).read_text(encoding="utf-8") == opened.text
    assert history.versions(QUY3) == []


def test_a_file_edited_outside_is_kept_before_the_next_save(ws: Workspace, history: History) -> None:
    opened, data = _paid(ws, "quy-3", 25)
    save_recorded(ws, opened.file, data, version=opened.version, who="Bí thư", history=history)
    path = opened.file.path(ws)
    outside = path.read_text(encoding="utf-8").replace("so_da_dong: 25", "so_da_dong: 23")
    path.write_text(outside, encoding="utf-8")  # a text editor, docgen fix-text...
    reopened, data = _paid(ws, "quy-3", 22)
    save_recorded(ws, reopened.file, data, version=reopened.version, who="Bí thư", history=history)
    newest, kept, *_ = history.versions(QUY3)
    assert (newest.action, kept.action) == ("luu", "ban_dau")
    assert history.version(kept.id)[1] == outside


def test_a_new_period_file_has_no_text_before(ws: Workspace, history: History) -> None:
    file = cell_file(ws, CELL, "quy-3", 2026)
    data = open_cell_file(ws, file).data
    file.path(ws).unlink()
    opened = open_cell_file(ws, file)  # pre-filled, as docgen new makes it
    assert not opened.exists
    saved = save_recorded(ws, file, data, version=opened.version, who="Bí thư", history=history)
    assert saved.written and file.path(ws).exists()
    assert [v.action for v in history.versions(QUY3)] == ["luu"]


def test_a_stale_save_is_refused_with_both_texts_kept(ws: Workspace, history: History) -> None:
    page_a, data_a = _paid(ws, "quy-3", 25)
    page_b, data_b = _paid(ws, "quy-3", 24)  # opened at the same time as page A
    assert page_a.version == page_b.version
    save_recorded(ws, page_a.file, data_a, version=page_a.version, who="An", history=history)
    theirs = page_a.file.path(ws).read_text(encoding="utf-8")
    with pytest.raises(EditConflict) as refused:
        save_recorded(ws, page_b.file, data_b, version=page_b.version, who="Bình", history=history)
    assert refused.value.theirs == theirs
    assert "so_da_dong: 24" in refused.value.yours and "so_da_dong: 25" in refused.value.theirs
    assert "người khác lưu" in str(refused.value)
    assert page_a.file.path(ws).read_text(encoding="utf-8") == theirs  # not overwritten
    conflict, saved, _before = history.versions(QUY3)
    assert (conflict.action, conflict.who, saved.action, saved.who) == ("xung_dot", "Bình", "luu", "An")
    assert history.version(conflict.id)[1] == refused.value.yours
    assert history.version(saved.id)[1] == theirs
    assert history.last_saves()[CELL].who == "An"  # a refused save is not a save


def test_concurrent_saves_from_one_page_exactly_one_wins(ws: Workspace, history: History) -> None:
    pages = [_paid(ws, "quy-3", 25 - n) for n in range(6)]  # each changes the file
    barrier = threading.Barrier(len(pages))
    outcomes: list[str] = []

    def save(n: int) -> None:
        opened, data = pages[n]
        barrier.wait()
        try:
            save_recorded(ws, opened.file, data, version=opened.version, who=f"người {n}", history=history)
            outcomes.append(f"ok {n}")
        except EditConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(pages))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o.startswith("ok")]
    assert len(winners) == 1 and outcomes.count("conflict") == len(pages) - 1
    winner = int(winners[0].split()[1])
    text = pages[0][0].file.path(ws).read_text(encoding="utf-8")
    assert f"so_da_dong: {25 - winner}" in text
    actions = [v.action for v in history.versions(QUY3)]
    assert sorted(actions) == sorted(["ban_dau", "luu"] + ["xung_dot"] * (len(pages) - 1))
    saved = next(v for v in history.versions(QUY3) if v.action == "luu")
    assert history.version(saved.id)[1] == text and saved.who == f"người {winner}"


def _save_in_process(root: str, count: int, version: str, results: Any) -> None:
    ws = load_workspace(Path(root))
    history = History.of_workspace(Path(root))
    file = cell_file(ws, CELL, "quy-3", 2026)
    data = copy.deepcopy(open_cell_file(ws, file).data)
    data["bao_cao_quy"]["dang_phi"]["so_da_dong"] = count
    try:
        save_recorded(ws, file, data, version=version, who=f"máy {count}", history=history)
        results.put("ok")
    except EditConflict:
        results.put("conflict")
    finally:
        history.close()


def test_concurrent_saves_from_processes_exactly_one_wins(ws: Workspace, sample_ws: Path) -> None:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    version = open_cell_file(ws, cell_file(ws, CELL, "quy-3", 2026)).version
    workers = [
        context.Process(target=_save_in_process, args=(str(sample_ws), 25 - n, version, results)) for n in range(3)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    outcomes = sorted(results.get() for _ in workers)
    assert outcomes == ["conflict", "conflict", "ok"]
    history = History.of_workspace(sample_ws)
    assert sorted(v.action for v in history.versions(QUY3)) == ["ban_dau", "luu", "xung_dot", "xung_dot"]
    history.close()


def test_a_submitted_period_is_locked_until_reopened(ws: Workspace, history: History) -> None:
    history.submit(CELL, 2026, "quy-3", "Bí thư")
    opened, data = _paid(ws, "quy-3", 25)
    with pytest.raises(PeriodLocked, match="đã nộp cho Đảng ủy .*chỉ Văn phòng Đảng ủy mở lại được"):
        save_recorded(ws, opened.file, data, version=opened.version, who="Bí thư", history=history)
    assert opened.file.path(ws).read_text(encoding="utf-8") == opened.text
    assert history.versions(QUY3) == []
    other, other_data = _paid(ws, "quy-2", 25)  # another quarter is not locked
    assert save_recorded(ws, other.file, other_data, version=other.version, who="Bí thư", history=history).written
    history.reopen(CELL, 2026, "quy-3", "Văn phòng Đảng ủy")
    assert save_recorded(ws, opened.file, data, version=opened.version, who="Bí thư", history=history).written


def test_restore_puts_a_version_back(ws: Workspace, history: History) -> None:
    opened, data = _paid(ws, "quy-3", 25)
    save_recorded(ws, opened.file, data, version=opened.version, who="Bí thư", history=history)
    before = next(v for v in history.versions(QUY3) if v.action == "ban_dau")
    saved = restore_version(ws, before.id, who="Văn phòng", history=history)
    assert saved.written
    assert opened.file.path(ws).read_text(encoding="utf-8") == opened.text
    newest = history.versions(QUY3)[0]
    assert (newest.action, newest.who, newest.sha256) == ("khoi_phuc", "Văn phòng", before.sha256)
    assert history.last_saves()[CELL] == newest
    # restoring what the file already holds writes nothing
    assert not restore_version(ws, before.id, who="Văn phòng", history=history).written
    assert len(history.versions(QUY3)) == 3


def test_restore_refuses_what_no_longer_validates(ws: Workspace, history: History) -> None:
    path = cell_file(ws, CELL, "quy-3", 2026).path(ws)
    now = path.read_text(encoding="utf-8")
    bad = history.record(QUY3, CELL, "An", now.replace("so: 3", "so: ba"), "xung_dot")
    saved = restore_version(ws, bad.id, who="Văn phòng", history=history)
    assert not saved.written and saved.problems
    assert path.read_text(encoding="utf-8") == now
    with pytest.raises(UsageError):
        restore_version(ws, 12345, who="Văn phòng", history=history)
    foreign = history.record("dang-bo.yaml", None, "An", "x: 1\n", "luu")
    with pytest.raises(UsageError, match="không phải tệp của một chi bộ"):
        restore_version(ws, foreign.id, who="Văn phòng", history=history)


def test_restore_into_a_submitted_period_is_refused(ws: Workspace, history: History) -> None:
    opened, data = _paid(ws, "quy-3", 25)
    save_recorded(ws, opened.file, data, version=opened.version, who="Bí thư", history=history)
    before = history.versions(QUY3)[-1]
    history.submit(CELL, 2026, "quy-3", "Bí thư")
    with pytest.raises(PeriodLocked):
        restore_version(ws, before.id, who="Văn phòng", history=history)


def test_the_cli_save_path_is_unchanged(ws: Workspace, sample_ws: Path) -> None:
    opened, data = _paid(ws, "quy-3", 25)
    assert save_cell_file(ws, opened.file, data, version=opened.version).written
    assert "so_da_dong: 25" in opened.file.path(ws).read_text(encoding="utf-8")
    with pytest.raises(OutputError, match="vừa được sửa ở nơi khác") as stale:
        save_cell_file(ws, opened.file, data, version=opened.version)
    assert not isinstance(stale.value, EditConflict)
    assert not (sample_ws / HISTORY_FILE).exists()  # the CLI path keeps no history


def test_the_workspace_lock_excludes_other_holders(sample_ws: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with workspace_lock(sample_ws):
            held.set()
            release.wait()

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait()
    try:
        with pytest.raises(OutputError, match="đang được ghi quá lâu"), workspace_lock(sample_ws, wait=0):
            pass  # pragma: no cover - not reached
    finally:
        release.set()
        thread.join()
    with workspace_lock(sample_ws, wait=0):
        pass
