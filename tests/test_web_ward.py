"""The ward office's pages of ``docgen serve`` (docgen/web/ward.py) in the local mode: the
board, reopening, the recognised levels, the batch from the browser."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from docgen.batchjob import Jobs, JobStatus
from docgen.history import History
from docgen.models.ward import TongHopNamFile
from docgen.web.app import create_app
from docgen.workspace import load_workspace
from tests.test_wardboard import CELLS, MOMENT, history_of

TOKEN = "test-token"


@pytest.fixture()
def ws(sample_ws: Path) -> Path:
    return sample_ws


@pytest.fixture()
def app(ws: Path, tmp_path: Path) -> Any:
    return create_app(ws, output_root=tmp_path / "out", token=TOKEN)


@pytest.fixture()
def client(app: Any) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def _states(page: str) -> dict[str, str]:
    """cell id -> the state class of its row on the board."""
    rows = re.findall(r'<tr id="chi-bo-([^"]+)">.*?<span class="state ([a-z_]+)">', page, re.S)
    return dict(rows)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------------------------------ the board


def test_the_board_lists_every_cell_with_its_state(client: TestClient, ws: Path) -> None:
    page = client.get("/phuong?nam=2026&ky=quy-3")
    assert page.status_code == 200
    assert _states(page.text) == dict.fromkeys(CELLS, "dang_nhap")
    for cell in CELLS:
        assert f'href="/chi-bo/{cell}?nam=2026&amp;quy=3"' in page.text
    assert "Chi bộ chưa nộp (4)" in page.text
    # a file deleted, another made wrong: the board follows
    (ws / "chi-bo" / "cong-an-phuong" / "2026" / "quy-3.yaml").unlink()
    _edit(ws / "chi-bo" / "co-quan-phuong" / "2026" / "quy-3.yaml", "so_da_dong: 18", "so_da_dong: 30")
    page = client.get("/phuong?nam=2026&ky=quy-3")
    assert _states(page.text) == {
        "to-dan-pho-5": "dang_nhap", "truong-tieu-hoc-hoa-sua": "dang_nhap",
        "co-quan-phuong": "co_loi", "cong-an-phuong": "chua_bat_dau",
    }  # fmt: skip
    assert "chưa bắt đầu</span> 1" in page.text and "có lỗi</span> 1" in page.text
    # the cell saves its file through its own page: the board sees it valid again
    _edit(ws / "chi-bo" / "co-quan-phuong" / "2026" / "quy-3.yaml", "so_da_dong: 30", "so_da_dong: 18")
    assert _states(client.get("/phuong?nam=2026&ky=quy-3").text)["co-quan-phuong"] == "dang_nhap"
    # the year
    assert client.get("/phuong?nam=2026&ky=nam").status_code == 200
    # a period that does not exist falls back to today's quarter, not an error
    assert client.get("/phuong?nam=2026&ky=quy-9").status_code == 200


def test_the_board_shows_submissions_and_the_office_reopens(client: TestClient, app: Any, ws: Path) -> None:
    history = app.site.history = history_of(ws)
    history.record("chi-bo/to-dan-pho-5/2026/quy-3.yaml", "to-dan-pho-5", "Nguyễn Thị A", "x: 1\n", "luu")
    history.submit("to-dan-pho-5", 2026, "quy-3", "Nguyễn Thị A")
    page = client.get("/phuong?nam=2026&ky=quy-3").text
    assert _states(page)["to-dan-pho-5"] == "da_nop"
    shown = datetime.fromtimestamp(MOMENT).strftime("%H:%M %d/%m/%Y")
    assert page.count(f"Nguyễn Thị A, {shown}") == 2  # the last save, the submission
    assert page.count(">Mở lại</button>") == 1
    answer = client.post(
        "/phuong/mo-lai", data={"_token": TOKEN, "cell": "to-dan-pho-5", "nam": "2026", "ky": "quy-3"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    event = history.submission("to-dan-pho-5", 2026, "quy-3")
    assert event is not None and (event.state, event.who) == ("mo_lai", "máy này")
    page = client.get(answer.headers["location"]).text
    assert "Đã mở lại quý III năm 2026" in page
    assert _states(page)["to-dan-pho-5"] == "dang_nhap" and ">Mở lại</button>" not in page
    # reopening what is not submitted: the history's refusal, shown
    again = client.post("/phuong/mo-lai", data={"_token": TOKEN, "cell": "to-dan-pho-5", "nam": "2026", "ky": "quy-3"})
    assert again.status_code == 409 and "chưa nộp" in again.text


def test_reopen_refuses_what_it_cannot_do(client: TestClient, app: Any, ws: Path) -> None:
    data = {"_token": TOKEN, "cell": "to-dan-pho-5", "nam": "2026", "ky": "quy-3"}
    app.site.history = None  # a server without a history of submissions
    assert client.post("/phuong/mo-lai", data=data).status_code == 400
    app.site.history = history_of(ws)
    app.site.history.submit("to-dan-pho-5", 2026, "quy-3", "A")
    assert client.post("/phuong/mo-lai", data={**data, "cell": "khong-co"}).status_code == 400
    assert client.post("/phuong/mo-lai", data={**data, "ky": "quy-7"}).status_code == 400
    assert client.post("/phuong/mo-lai", data={**data, "_token": "sai"}).status_code == 403
    event = app.site.history.submission("to-dan-pho-5", 2026, "quy-3")
    assert event is not None and event.state == "da_nop"  # still submitted


# ------------------------------------------------------------------ recognised levels


def test_recognised_levels_save_round_trip(client: TestClient, ws: Path) -> None:
    page = client.get("/phuong/cong-nhan?nam=2026")
    assert page.status_code == 200
    for cell in CELLS:
        assert f'name="muc.{cell}"' in page.text
    selected = re.findall(r'<option value="([a-z_]*)" selected>', page.text)
    assert selected == ["hoan_thanh", "tot", "tot", "tot"]
    data = {"_token": TOKEN, "muc.to-dan-pho-5": "tot", "muc.truong-tieu-hoc-hoa-sua": "tot",
            "muc.co-quan-phuong": "xuat_sac", "muc.cong-an-phuong": ""}  # fmt: skip
    answer = client.post("/phuong/cong-nhan?nam=2026", data=data)
    assert answer.status_code == 200 and "Đã lưu mức công nhận." in answer.text
    path = ws / "2026" / "tong-hop-nam.yaml"
    doc = TongHopNamFile.model_validate(load_workspace(ws).load_source(path).data).tong_hop_nam
    assert doc.cong_nhan is not None
    assert {d.chi_bo: d.muc for d in doc.cong_nhan.chi_bo} == {
        "to-dan-pho-5": "tot", "truong-tieu-hoc-hoa-sua": "tot", "co-quan-phuong": "xuat_sac",
    }  # fmt: skip
    assert path.read_text(encoding="utf-8").startswith("# Báo cáo tổng hợp")
    again = client.post("/phuong/cong-nhan?nam=2026", data=data)
    assert "Không có gì thay đổi" in again.text


def test_a_bad_level_is_shown_at_its_row_and_nothing_is_written(client: TestClient, ws: Path) -> None:
    path = ws / "2026" / "tong-hop-nam.yaml"
    before = path.read_bytes()
    data = {"_token": TOKEN, "muc.to-dan-pho-5": "tot", "muc.truong-tieu-hoc-hoa-sua": "tot",
            "muc.co-quan-phuong": "gioi", "muc.cong-an-phuong": "tot"}  # fmt: skip
    answer = client.post("/phuong/cong-nhan?nam=2026", data=data)
    assert answer.status_code == 422
    assert path.read_bytes() == before
    row = re.search(r'<tr id="chi-bo-co-quan-phuong" class="has-problem">(.*?)</tr>', answer.text, re.S)
    assert row is not None and "gioi" in unescape(row.group(1)) and "không hợp lệ" in unescape(row.group(1))
    assert '<tr id="chi-bo-to-dan-pho-5" >' in answer.text or '<tr id="chi-bo-to-dan-pho-5">' in answer.text
    # what was typed is kept: the changed level of the first cell, the bad value shown
    assert re.search(r'name="muc.to-dan-pho-5".*?<option value="tot" selected>', answer.text, re.S)
    assert '<option value="gioi" selected>' in answer.text


def test_two_saves_of_the_levels_from_one_page_the_second_is_refused(client: TestClient, ws: Path) -> None:
    page = client.get("/phuong/cong-nhan?nam=2026").text
    version = re.search(r'name="_phien_ban" value="([0-9a-f]+)"', page)
    assert version is not None
    base = {"_token": TOKEN, "_phien_ban": version.group(1), "muc.truong-tieu-hoc-hoa-sua": "tot",
            "muc.co-quan-phuong": "tot", "muc.cong-an-phuong": "tot"}  # fmt: skip
    first = client.post("/phuong/cong-nhan?nam=2026", data={**base, "muc.to-dan-pho-5": "xuat_sac"})
    assert "Đã lưu mức công nhận." in first.text
    path = ws / "2026" / "tong-hop-nam.yaml"
    after_first = path.read_bytes()
    late = client.post("/phuong/cong-nhan?nam=2026", data={**base, "muc.to-dan-pho-5": "khong_hoan_thanh"})
    assert late.status_code == 409
    text = unescape(late.text)
    assert "vừa được người khác lưu" in text and "người khác vừa lưu: Xuất sắc" in text
    assert path.read_bytes() == after_first  # the first save stands
    history = History.of_workspace(ws)
    kept = [(v.action, history.version(v.id)[1]) for v in history.versions("2026/tong-hop-nam.yaml")]
    assert any(action == "xung_dot" and "khong_hoan_thanh" in body for action, body in kept)
    # the page now carries the file's new version: saving again is a choice made knowingly
    again = re.search(r'name="_phien_ban" value="([0-9a-f]+)"', late.text)
    assert again is not None and again.group(1) != version.group(1)


# ------------------------------------------------------------------ the batch


def test_a_batch_started_from_the_browser_finishes_with_its_downloads(client: TestClient, app: Any) -> None:
    answer = client.post("/phuong/lo", data={"_token": TOKEN, "nam": "2026", "ky": "quy-3", "bundle": "1"},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith("/phuong/lo/")
    job = app.app.state.ward_jobs.get(location.rsplit("/", 1)[1])
    assert job is not None and job.who == "máy này"
    assert job.wait(600)
    page = client.get(location)
    assert page.status_code == 200 and "Refresh" not in page.headers
    assert "Đã làm xong văn bản cả phường" in page.text and 'http-equiv="refresh"' not in page.text
    links = [unquote(unescape(link)) for link in re.findall(r'href="[^"]*/tai-ve\?tep=([^"]+)"', page.text)]
    for wanted in ("ngoc-ha/2026/manifest-quy-3.json", "ngoc-ha/2026/tong-hop-quy-3.docx",
                   "ngoc-ha/2026/tap-van-ban-quy-3.docx", "ngoc-ha/2026/manifest-quy-3.csv"):  # fmt: skip
        assert wanted in links, links
    manifest = client.get("/tai-ve?tep=ngoc-ha%2F2026%2Fmanifest-quy-3.json")
    assert manifest.status_code == 200 and isinstance(json.loads(manifest.content), dict | list)
    assert client.get("/tai-ve?tep=ngoc-ha%2F2026%2Ftong-hop-quy-3.docx").status_code == 200
    # the board now sees the quarter's reports issued, with their numbers
    board = client.get("/phuong?nam=2026&ky=quy-3").text
    assert _states(board) == dict.fromkeys(CELLS, "da_ban_hanh")
    assert "03-BC/CB" in board and "Kết quả lần chạy gần nhất" in board


class _Held:
    """A batch that runs until released: the page while it runs, and the refusal of a second."""

    def __init__(self, who: str) -> None:
        self.id = "abc123"
        self.who = who
        self.started = 0.0
        self.release = threading.Event()

    def status(self) -> JobStatus:
        return JobStatus(done=2, total=5, running=not self.release.is_set())


@pytest.mark.libreoffice
def test_a_batch_from_the_browser_with_pdfs_links_each_pdf(client: TestClient, app: Any) -> None:
    answer = client.post("/phuong/lo", data={"_token": TOKEN, "nam": "2026", "ky": "quy-3", "pdf": "1"},
                         follow_redirects=False)  # fmt: skip
    location = answer.headers["location"]
    job = app.app.state.ward_jobs.get(location.rsplit("/", 1)[1])
    assert job is not None and job.wait(900)
    page = client.get(location).text
    links = [unquote(unescape(link)) for link in re.findall(r'href="[^"]*/tai-ve\?tep=([^"]+)"', page)]
    pdfs = [link for link in links if link.endswith(".pdf")]
    # each cell's quarterly report and the ward's summary
    assert len(pdfs) == len(CELLS) + 1, links
    assert "Tệp chưa chuyển được sang PDF" not in page
    for rel in pdfs:
        got = client.get(f"/tai-ve?tep={rel}")
        assert got.status_code == 200 and got.content.startswith(b"%PDF"), rel


def test_a_second_batch_is_refused_while_one_runs(client: TestClient, app: Any) -> None:
    held: list[_Held] = []

    def starter(workspace: Path, **kw: Any) -> Any:
        held.append(_Held(kw["who"]))
        return held[-1]

    app.app.state.ward_jobs = Jobs(starter=starter)
    data = {"_token": TOKEN, "nam": "2026", "ky": "quy-3"}
    first = client.post("/phuong/lo", data=data, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/phuong/lo/abc123"
    running = client.get("/phuong/lo/abc123")
    assert running.status_code == 200 and running.headers["Refresh"] == "2"
    assert '<meta http-equiv="refresh" content="2">' in running.text
    assert 'value="2" max="5"' in running.text
    second = client.post("/phuong/lo", data=data)
    assert second.status_code == 409 and "đang làm văn bản cả phường (do máy này" in second.text
    assert len(held) == 1
    assert "Xem tiến độ" in client.get("/phuong?nam=2026&ky=quy-3").text  # the form gives way to the link
    held[0].release.set()
    assert client.post("/phuong/lo", data=data, follow_redirects=False).status_code == 303
    assert len(held) == 2


def test_unknown_job_and_missing_token(client: TestClient) -> None:
    assert client.get("/phuong/lo/khong-co").status_code == 404
    assert client.post("/phuong/lo", data={"nam": "2026", "ky": "quy-3"}).status_code == 403


def test_in_the_ward_mode_each_role_sees_what_it_may(client: TestClient, app: Any, ws: Path) -> None:
    from docgen.accounts import Accounts
    from docgen.web.access import SESSION_COOKIE

    accounts = Accounts.of_workspace(ws)
    password = "mat-khau-du-dai-2026"
    accounts.add("vanphong", "dang_uy", password)
    accounts.add("lanhdao", "xem", password)
    accounts.add("bithu5", "bi_thu", password, cell="to-dan-pho-5")
    app.site.accounts = accounts
    history = app.site.history = history_of(ws)
    history.submit("to-dan-pho-5", 2026, "quy-3", "bithu5")

    def as_(name: str) -> Any:
        session = accounts.login(name, password, "127.0.0.1")
        client.cookies.set(SESSION_COOKIE, session.token)
        return session

    as_("lanhdao")
    page = client.get("/phuong?nam=2026&ky=quy-3")
    assert page.status_code == 200 and _states(page.text)["to-dan-pho-5"] == "da_nop"
    assert ">Mở lại</button>" not in page.text and "Làm văn bản cả phường</button>" not in page.text
    levels = client.get("/phuong/cong-nhan?nam=2026").text
    assert "disabled" in levels and "Lưu mức công nhận" not in levels
    session = as_("lanhdao")
    refused = client.post("/phuong/lo", data={"_token": session.csrf, "nam": "2026", "ky": "quy-3"})
    assert refused.status_code == 403
    as_("bithu5")
    assert client.get("/phuong?nam=2026&ky=quy-3").status_code == 403
    assert client.get("/phuong/cong-nhan?nam=2026").status_code == 403
    session = as_("vanphong")
    page = client.get("/phuong?nam=2026&ky=quy-3").text
    assert ">Mở lại</button>" in page and "Làm văn bản cả phường</button>" in page
    answer = client.post(
        "/phuong/mo-lai", data={"_token": session.csrf, "cell": "to-dan-pho-5", "nam": "2026", "ky": "quy-3"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    event = history.submission("to-dan-pho-5", 2026, "quy-3")
    assert event is not None and (event.state, event.who) == ("mo_lai", "vanphong")


def test_the_office_reopens_a_school_cell_s_own_quarter(client: TestClient, app: Any, ws: Path) -> None:
    """The board of the ward's quarter III shows the school cell's quarter IV of 2025-2026;
    reopening from it reopens that quarter."""
    history = app.site.history = history_of(ws)
    school = "truong-tieu-hoc-hoa-sua"
    history.submit(school, 2026, "quy-4", "Nguyễn Thị B")
    page = client.get("/phuong?nam=2026&ky=quy-3").text
    assert _states(page)[school] == "da_nop"
    answer = client.post(
        "/phuong/mo-lai", data={"_token": TOKEN, "cell": school, "nam": "2026", "ky": "quy-3"}, follow_redirects=False
    )
    assert answer.status_code == 303
    event = history.submission(school, 2026, "quy-4")
    assert event is not None and event.state == "mo_lai"
    assert "Đã mở lại quý IV năm học 2025-2026" in client.get(answer.headers["location"]).text
