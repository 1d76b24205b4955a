"""The ward mode in a real browser (issue 15): two people, two browsers, one form.

``docgen serve --phuong`` runs in its own process as the ward office starts it; two
Chromium contexts (two people, each with their own cookies) sign in through the login
page, open the same quarter form, type, and save one after the other. The second gets
the conflict page showing both versions; the file keeps the first save and the history
keeps both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.accounts import Accounts
from docgen.history import History
from tests.conftest import CHROMIUM, HAVE_PLAYWRIGHT, REPO

if HAVE_PLAYWRIGHT:
    from playwright.sync_api import Browser, Page, expect

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HAVE_PLAYWRIGHT, reason="needs playwright for Python; CI installs it"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium (Debian package chromium)"),
]

CELL, YEAR, QUARTER = "to-dan-pho-5", 2026, 3
PASSWORD = "mat-khau-thu-nghiem"
FIELD = "bao_cao_quy.kien_nghi"


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ws = tmp_path / "data"
    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    accounts = Accounts.of_workspace(ws)
    accounts.add("vanphong", "dang_uy", PASSWORD)
    accounts.add("bithu", "bi_thu", PASSWORD, cell=CELL)
    accounts.add("phobithu", "bi_thu", PASSWORD, cell=CELL)
    accounts.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--phuong", "-w", str(ws), "-o", str(tmp_path / "out"),
         "--port", "0", "--khong-mo-trinh-duyet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=REPO,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
    try:
        assert found is not None, f"docgen serve --phuong did not start: {line!r}"
        yield found.group(1), ws
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _person(browser: Browser, url: str, name: str) -> Page:
    """A browser of its own (cookies apart) signed in as ``name`` through the login page."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{url}chi-bo/{CELL}/tep/quy-{QUARTER}?nam={YEAR}")  # asks to sign in first
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Kết quả quý")).to_be_visible()  # back to the form asked for
    return page


def test_two_browsers_saving_one_form_the_second_sees_both_versions(
    browser: Browser, server: tuple[str, Path], tmp_path: Path
) -> None:
    url, ws = server
    first = _person(browser, url, "bithu")
    second = _person(browser, url, "phobithu")  # both have the form open now

    first.locator(f'[name="{FIELD}"]').fill("Đề nghị sửa đường ngõ 12")
    first.locator(".actions button", has_text="Lưu").click()
    expect(first.locator(".notice.saved")).to_have_text("Đã lưu.")

    second.locator(f'[name="{FIELD}"]').fill("Đề nghị lắp đèn ngõ 7")
    second.locator(".actions button", has_text="Lưu").click()
    expect(second.get_by_role("heading", level=1)).to_contain_text("vừa được lưu ở nơi khác")
    expect(second.locator("pre.diff .them")).to_contain_text("Đề nghị sửa đường ngõ 12")
    expect(second.locator("pre.diff .you")).to_contain_text("Đề nghị lắp đèn ngõ 7")
    second.screenshot(path=str(tmp_path / "trung.png"), full_page=True)

    text = (ws / "chi-bo" / CELL / str(YEAR) / f"quy-{QUARTER}.yaml").read_text(encoding="utf-8")
    assert "Đề nghị sửa đường ngõ 12" in text and "Đề nghị lắp đèn ngõ 7" not in text
    history = History.of_workspace(ws)
    kept = [history.version(v.id) for v in history.versions(f"chi-bo/{CELL}/{YEAR}/quy-{QUARTER}.yaml")]
    assert any(v.action == "xung_dot" and v.who == "phobithu" and "Đề nghị lắp đèn ngõ 7" in t for v, t in kept)
    assert any(v.action == "luu" and v.who == "bithu" and "Đề nghị sửa đường ngõ 12" in t for v, t in kept)

    # the history page, reached from the conflict page, lists both
    second.get_by_role("link", name="xem lịch sử").click()
    expect(second.locator("table.grid")).to_contain_text("phobithu")
    expect(second.locator("table.grid")).to_contain_text("bithu")
