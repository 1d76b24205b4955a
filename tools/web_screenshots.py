"""Write the screenshots of ``docgen serve`` in docs/huong-dan-bi-thu.md (docs/hinh/web-*.png).

A copy of the sample workspace data/ is served by ``python -m docgen serve`` (its own
process, as a secretary starts it) and Debian's Chromium, driven by Playwright for Python,
takes the pictures at 1366x768:

    python tools/web_screenshots.py

Needs the chromium package (/usr/bin/chromium) and playwright (pip install playwright;
Playwright's own browser download is not used). Run it after a change to the pages
(docgen/web/templates, docgen/web/static) or to the sample data they show, look at the
images, and commit them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

# The project checkout this script belongs to (it writes the images there).
REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "docs" / "hinh"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--font-render-hinting=none",
]  # fmt: skip
VIEWPORT = {"width": 1366, "height": 768}
CELL = "to-dan-pho-5"
PERIOD = "nam=2026&quy=3"
WRONG_DATE = "bao_cao_quy.buoi_sinh_hoat.1.ngay"


def start_server(workspace: Path, output: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """``docgen serve`` on a free port; its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "-w", workspace.name, "-o", output.name,
         "--port", "0", "--khong-mo-trinh-duyet", *extra],
        stdout=subprocess.PIPE, text=True, encoding="utf-8", cwd=workspace.parent,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
    if found is None:
        process.terminate()
        raise SystemExit(f"docgen serve did not start: {line!r}")
    return process, found.group(1)


def shoot(page: Page, name: str, **options: object) -> None:
    path = TARGET / f"{name}.png"
    page.screenshot(path=str(path), **options)  # type: ignore[arg-type]
    print(f"  {path.relative_to(REPO)}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="docgen-anh-web-") as folder:
        workspace = Path(folder) / "data"
        shutil.copytree(REPO / "data", workspace, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
        server, url = start_server(workspace, Path(folder) / "output")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport=VIEWPORT, locale="vi-VN")  # type: ignore[arg-type]
                print("Đã ghi:")
                # the home page: every cell and the state of its files
                page.goto(f"{url}?{PERIOD}")
                shoot(page, "web-trang-chu")
                # a cell: its files, the roster from Excel, its documents
                page.get_by_role("link", name="Chi bộ Tổ dân phố số 5").click()
                # down to the documents' buttons (the images of the guide stay under 200 kB)
                table = page.locator("table.grid").bounding_box()
                assert table is not None
                shoot(page, "web-chi-bo", full_page=True, clip={
                    "x": 0, "y": 0, "width": VIEWPORT["width"], "height": table["y"] + table["height"] + 16,
                })  # fmt: skip
                # the quarter form with a date that does not exist: the list at the top...
                page.goto(f"{url}chi-bo/{CELL}/tep/quy-3?nam=2026")
                page.locator(f'[name="{WRONG_DATE}"]').fill("31/02/2026")
                page.locator(".actions button", has_text="Lưu").click()
                page.locator("#cac-loi").wait_for()
                shoot(page, "web-loi-danh-sach")
                # ...and the same problem at its field: the meeting's date down to its absentees
                top = page.locator("#o-bao_cao_quy-buoi_sinh_hoat-1").bounding_box()
                bottom = page.locator("#o-bao_cao_quy-buoi_sinh_hoat-1-vang").bounding_box()
                assert top is not None and bottom is not None
                scrolled = page.evaluate("window.scrollY")
                shoot(page, "web-loi-tai-o", full_page=True, clip={
                    "x": 0, "y": top["y"] + scrolled - 8, "width": VIEWPORT["width"],
                    "height": bottom["y"] + bottom["height"] - top["y"] + 20,
                })  # fmt: skip
                # the cell page, quarter III: issue the quarterly report; the result page
                page.goto(f"{url}chi-bo/{CELL}?{PERIOD}")
                row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="quý của chi bộ"))
                row.get_by_role("button", name="Phát hành").click()
                page.get_by_role("link", name="Tải về (.docx)").first.wait_for()
                shoot(page, "web-van-ban")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


PASSWORD = "mat-khau-anh-huong-dan"


def sign_in(browser: object, url: str, name: str, then: str) -> Page:
    """A browser context of its own, signed in as ``name`` through the login page, at ``then``."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")  # type: ignore[attr-defined]
    page: Page = context.new_page()
    page.goto(f"{url}{then}")
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return page


def ward_mode() -> None:
    """The ward mode: the login page, a cell submitting its quarter, two people saving one
    form, the file's history, the ward office's board, the batch, the templates."""
    sys.path.insert(0, str(REPO))
    from docgen.accounts import Accounts

    with tempfile.TemporaryDirectory(prefix="docgen-anh-phuong-") as folder:
        workspace = Path(folder) / "data"
        shutil.copytree(REPO / "data", workspace, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
        accounts = Accounts.of_workspace(workspace)
        accounts.add("vanphong", "dang_uy", PASSWORD)
        accounts.add("bt-tdp5", "bi_thu", PASSWORD, cell=CELL)
        accounts.add("pbt-tdp5", "bi_thu", PASSWORD, cell=CELL)
        accounts.close()
        server, url = start_server(workspace, Path(folder) / "output", "--phuong")
        form = f"chi-bo/{CELL}/tep/quy-3?nam=2026"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                # the login page
                first_look = browser.new_page(viewport=VIEWPORT, locale="vi-VN")  # type: ignore[arg-type]
                first_look.goto(url)
                first_look.get_by_label("Tên đăng nhập").fill("bt-tdp5")
                shoot(first_look, "web-phuong-dang-nhap")
                # two people on one form: the second's save comes too late
                first = sign_in(browser, url, "bt-tdp5", form)
                second = sign_in(browser, url, "pbt-tdp5", form)
                first.locator('[name="bao_cao_quy.kien_nghi"]').fill("Đề nghị sửa đường ngõ 12")
                first.locator(".actions button", has_text="Lưu").click()
                first.locator(".notice.saved").wait_for()
                second.locator('[name="bao_cao_quy.kien_nghi"]').fill("Đề nghị lắp đèn ngõ 7")
                second.locator(".actions button", has_text="Lưu").click()
                second.locator("pre.diff").wait_for()
                shoot(second, "web-phuong-trung")
                # the file's history, reached from there
                second.get_by_role("link", name="xem lịch sử").click()
                shoot(second, "web-phuong-lich-su")
                # the cell submits its quarter
                first.goto(f"{url}chi-bo/{CELL}?{PERIOD}")
                row = first.get_by_role("row").filter(has=first.get_by_role("rowheader", name="Quý III năm 2026"))
                row.get_by_role("button", name="Nộp cho Đảng ủy").click()
                first.locator(".notice").first.wait_for()
                heading = first.get_by_role("heading", name="Nộp cho Đảng ủy").bounding_box()
                assert heading is not None
                shoot(first, "web-phuong-nop", clip={
                    "x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(heading["y"] + 260, 900),
                })  # fmt: skip
                # the ward office: the board, then the batch from the browser
                office = sign_in(browser, url, "vanphong", "phuong?nam=2026&ky=quy-3")
                shoot(office, "web-phuong-bang")
                office.get_by_role("button", name=re.compile("Làm văn bản")).click()
                for _ in range(120):  # the progress page reloads itself until the batch is done
                    if office.locator('meta[http-equiv="refresh"]').count() == 0:
                        break
                    office.wait_for_timeout(2000)
                    office.reload()
                shoot(office, "web-phuong-lo")
                office.goto(f"{url}mau")
                shoot(office, "web-phuong-mau")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
    ward_mode()
