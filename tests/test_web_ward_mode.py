"""The ward mode's promises about data (issue 15): no save lost (two people saving one
form: the second sees both versions, both kept), every save in the file's history with
who saved it and restorable, a submitted period locked until the ward office reopens it;
and ``docgen serve`` refusing what the ward mode needs first."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from docgen.accounts import Accounts
from docgen.cli import cli
from docgen.editing import cell_file, cell_states, open_cell_file
from docgen.history import History
from docgen.web import forms
from docgen.web.access import SESSION_COOKIE
from docgen.web.app import create_app
from docgen.workspace import load_workspace
from tests.conftest import REPO
from tests.test_web_access import PASSWORD, cheap_hasher

CELL, OTHER, YEAR = "to-dan-pho-5", "co-quan-phuong", 2026
FIELD = "bao_cao_quy.kien_nghi"


@pytest.fixture()
def ws(sample_ws: Path) -> Path:
    target = sample_ws
    accounts = Accounts.of_workspace(target, hasher=cheap_hasher())
    accounts.add("vanphong", "dang_uy", PASSWORD)
    accounts.add("bithu", "bi_thu", PASSWORD, cell=CELL)
    accounts.add("photbithu", "bi_thu", PASSWORD, cell=CELL)
    accounts.add("lanhdao", "xem", PASSWORD)
    accounts.close()
    return target


def _client(ws: Path, name: str | None) -> tuple[TestClient, str]:
    """A browser signed in as ``name`` (None: the local mode) and its form token."""
    if name is None:
        app = create_app(ws, output_root=ws.parent / "out", token="local-token")
        return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False), "local-token"
    accounts = Accounts.of_workspace(ws, hasher=cheap_hasher())
    app = create_app(ws, output_root=ws.parent / "out", token="server-token", accounts=accounts)
    client = TestClient(app, base_url="http://phuong.example", follow_redirects=False)
    answer = client.post("/dang-nhap", data={"_token": "server-token", "ten": name, "mat_khau": PASSWORD})
    assert answer.status_code == 303
    session = accounts.session(client.cookies[SESSION_COOKIE])
    assert session is not None
    return client, session.csrf


def _ready_quarter(ws: Path) -> int:
    """A quarter of the sample whose file is ready (no problem), to submit."""
    states, _ = cell_states(load_workspace(ws), CELL, YEAR)
    ready = [s.file.quarter for s in states if s.file.group == "quy" and s.state == "san_sang"]
    assert ready, [(s.file.name, s.state) for s in states]
    return int(ready[0])  # type: ignore[arg-type]


def _form(ws: Path, quarter: int, token: str, line: str, version: str | None = None) -> dict[str, list[str]]:
    """What a browser posts for the quarter's form with ``line`` as the cell's proposal."""
    workspace = load_workspace(ws)
    file = cell_file(workspace, CELL, f"quy-{quarter}", YEAR)
    opened = open_cell_file(workspace, file)
    members = [(m.ma, m.ho_ten) for m in workspace.load_cell(CELL).members]
    data = forms.as_posted(forms.build(file.model, opened.data, members=members))
    data[FIELD] = [line]
    data["_token"] = [token]
    data["_phien_ban"] = [version or opened.version]
    data["_luu"] = ["1"]
    return data


def _page_version(html: str) -> str:
    match = re.search(r'name="_phien_ban" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _quarter_text(ws: Path, quarter: int) -> str:
    return (ws / "chi-bo" / CELL / str(YEAR) / f"quy-{quarter}.yaml").read_text(encoding="utf-8")


def test_two_people_saving_one_form_keep_both_versions(ws: Path) -> None:
    quarter = _ready_quarter(ws)
    url = f"/chi-bo/{CELL}/tep/quy-{quarter}?nam={YEAR}"
    first, first_token = _client(ws, "bithu")
    second, second_token = _client(ws, "photbithu")
    opened_version = _page_version(first.get(url).text)
    assert _page_version(second.get(url).text) == opened_version  # both opened the same file

    saved = first.post(url, data=_form(ws, quarter, first_token, "Kiến nghị của bí thư", opened_version))  # type: ignore[arg-type]
    assert saved.status_code == 200 and "Đã lưu." in saved.text
    after_first = _quarter_text(ws, quarter)
    assert "Kiến nghị của bí thư" in after_first

    late = second.post(url, data=_form(ws, quarter, second_token, "Kiến nghị của phó bí thư", opened_version))  # type: ignore[arg-type]
    assert late.status_code == 409
    page = unescape(late.text)
    assert "Kiến nghị của bí thư" in page and "Kiến nghị của phó bí thư" in page  # both shown
    assert _quarter_text(ws, quarter) == after_first  # nothing overwritten

    history = History.of_workspace(ws)
    rel = f"chi-bo/{CELL}/{YEAR}/quy-{quarter}.yaml"
    kept = {(v.action, v.who): history.version(v.id)[1] for v in history.versions(rel)}
    assert "Kiến nghị của bí thư" in kept[("luu", "bithu")]
    assert "Kiến nghị của phó bí thư" in kept[("xung_dot", "photbithu")]


def test_history_lists_every_save_and_restores_one(ws: Path) -> None:
    quarter = _ready_quarter(ws)
    url = f"/chi-bo/{CELL}/tep/quy-{quarter}?nam={YEAR}"
    client, token = _client(ws, "bithu")
    original = _quarter_text(ws, quarter)
    for line in ("Lần một", "Lần hai"):
        assert "Đã lưu." in client.post(url, data=_form(ws, quarter, token, line)).text  # type: ignore[arg-type]
    listing = client.get(f"/chi-bo/{CELL}/tep/quy-{quarter}/lich-su?nam={YEAR}")
    assert listing.status_code == 200
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", unescape(listing.text))
    assert [(who, what) for _at, who, what in rows] == [
        ("bithu", "lưu"), ("bithu", "lưu"), ("bithu", "bản trước khi sửa trên trang"),
    ]
    ids = [int(i) for i in re.findall(rf"/chi-bo/{CELL}/lich-su/(\d+)/khoi-phuc", listing.text)]
    oldest = ids[-1]  # the text before the first save
    shown = client.get(f"/chi-bo/{CELL}/lich-su/{oldest}")
    assert shown.status_code == 200 and unescape(shown.text).count("Lần một") == 0
    restored = client.post(f"/chi-bo/{CELL}/lich-su/{oldest}/khoi-phuc", data={"_token": token})
    assert restored.status_code == 303
    assert _quarter_text(ws, quarter) == original
    again = unescape(client.get(restored.headers["location"]).text)
    assert "Đã khôi phục bản lưu" in again and "khôi phục" in again


def test_a_version_is_reached_only_through_its_own_cell(ws: Path) -> None:
    quarter = _ready_quarter(ws)
    ward, ward_token = _client(ws, "vanphong")
    url = f"/chi-bo/{CELL}/tep/quy-{quarter}?nam={YEAR}"
    assert "Đã lưu." in ward.post(url, data=_form(ws, quarter, ward_token, "Của phường")).text  # type: ignore[arg-type]
    version = History.of_workspace(ws).versions(f"chi-bo/{CELL}/{YEAR}/quy-{quarter}.yaml")[0].id
    # the ward office itself asking through another cell's address: not that cell's version
    assert ward.get(f"/chi-bo/{OTHER}/lich-su/{version}").status_code == 404
    before = _quarter_text(ws, quarter)
    assert ward.post(f"/chi-bo/{OTHER}/lich-su/{version}/khoi-phuc", data={"_token": ward_token}).status_code == 404
    assert _quarter_text(ws, quarter) == before


def test_a_submitted_period_is_locked_until_the_ward_reopens_it(ws: Path) -> None:
    quarter = _ready_quarter(ws)
    url = f"/chi-bo/{CELL}/tep/quy-{quarter}?nam={YEAR}"
    client, token = _client(ws, "bithu")
    submit = {"_token": token, "nam": str(YEAR), "ky": f"quy-{quarter}"}
    answer = client.post(f"/chi-bo/{CELL}/nop", data=submit)
    assert answer.status_code == 303
    cell_page = unescape(client.get(answer.headers["location"]).text)
    assert "Đã nộp" in cell_page and "cho Đảng ủy" in cell_page
    form_page = unescape(client.get(url).text)
    assert "đã khóa" in form_page and 'name="_luu" value="1" class="primary"' not in form_page
    before = _quarter_text(ws, quarter)
    refused = client.post(url, data=_form(ws, quarter, token, "Sửa sau khi nộp"))  # type: ignore[arg-type]
    assert refused.status_code == 409 and "Văn phòng Đảng ủy" in unescape(refused.text)
    assert _quarter_text(ws, quarter) == before
    again = client.post(f"/chi-bo/{CELL}/nop", data=submit)  # submitting twice
    assert again.status_code == 409 and "đã nộp" in unescape(again.text)

    History.of_workspace(ws).reopen(CELL, YEAR, f"quy-{quarter}", "vanphong")
    assert "Đã lưu." in client.post(url, data=_form(ws, quarter, token, "Sửa sau khi mở lại")).text  # type: ignore[arg-type]


def test_a_period_with_problems_cannot_be_submitted(ws: Path) -> None:
    client, token = _client(ws, "bithu")
    (ws / "chi-bo" / CELL / str(YEAR) / "quy-4.yaml").unlink(missing_ok=True)  # not written yet
    answer = client.post(f"/chi-bo/{CELL}/nop", data={"_token": token, "nam": str(YEAR), "ky": "quy-4"})
    assert answer.status_code == 409 and "sửa hết lỗi rồi nộp" in unescape(answer.text)
    assert History.of_workspace(ws).submission(CELL, YEAR, "quy-4") is None


def test_a_reader_sees_the_form_without_a_save_button(ws: Path) -> None:
    quarter = _ready_quarter(ws)
    client, _token = _client(ws, "lanhdao")
    page = unescape(client.get(f"/chi-bo/{CELL}/tep/quy-{quarter}?nam={YEAR}").text)
    assert "chỉ được xem" in page and 'class="primary">Lưu' not in page
    cell_page = unescape(client.get(f"/chi-bo/{CELL}?nam={YEAR}&quy={quarter}").text)
    assert "Nộp cho Đảng ủy</button>" not in cell_page and "chỉ xem" in cell_page


def test_the_local_mode_records_saves_as_this_computer(ws: Path) -> None:
    quarter = _ready_quarter(ws)
    client, token = _client(ws, None)
    url = f"/chi-bo/{CELL}/tep/quy-{quarter}?nam={YEAR}"
    assert "Đã lưu." in client.post(url, data=_form(ws, quarter, token, "Trên máy này")).text  # type: ignore[arg-type]
    versions = History.of_workspace(ws).versions(f"chi-bo/{CELL}/{YEAR}/quy-{quarter}.yaml")
    assert versions[0].who == "máy này" and versions[0].action == "luu"


def test_a_secretary_lands_on_their_cell_and_the_home_page_sends_them_there(ws: Path) -> None:
    client, _token = _client(ws, "bithu")
    assert client.get("/").headers["location"] == f"/chi-bo/{CELL}"


def test_serve_refuses_another_address_without_the_ward_mode_and_the_ward_mode_without_an_office(
    tmp_path: Path,
) -> None:
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    runner = CliRunner()
    local = runner.invoke(cli, ["serve", "-w", str(target), "--host", "0.0.0.0", "--khong-mo-trinh-duyet"])
    assert local.exit_code == 2 and "--phuong" in local.output and "Traceback" not in local.output
    ward = runner.invoke(cli, ["serve", "-w", str(target), "--phuong", "--host", "0.0.0.0", "--khong-mo-trinh-duyet"])
    assert ward.exit_code == 2 and "docgen users add" in ward.output and "Traceback" not in ward.output
