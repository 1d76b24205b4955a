"""``docgen serve`` in a real browser: Debian's Chromium driven by Playwright for Python.

The server runs as the secretary starts it (``python -m docgen serve`` in its own
process); the browser does only what a person can do on the pages: click, type, choose,
upload, download. The walk-through follows issue 14, item 8: a secretary's whole quarter
from an empty folder to the issued report read back with python-docx.

Playwright's own browser download cannot work here, so the system Chromium is used
(``executable_path``); without it (or without playwright) these tests are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from tests.conftest import CHROMIUM, HAVE_PLAYWRIGHT, REPO

if HAVE_PLAYWRIGHT:
    from playwright.sync_api import Browser, Page, expect

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HAVE_PLAYWRIGHT, reason="needs playwright for Python (pip install playwright); CI installs it"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium (Debian package chromium); CI installs it"),
]  # fmt: skip

# The roster the secretary keeps in Excel: name, sex, birth year, joined, full member, role.
ROSTER = [
    ("Nguyễn Văn An", "Nam", 1955, "12/05/1980", "12/05/1981", "Bí thư"),
    ("Trần Thị Bình", "Nữ", 1960, "03/02/1985", "03/02/1986", ""),
    ("Lê Văn Cường", "Nam", 1948, "19/05/1970", "19/05/1971", ""),
    ("Phạm Thị Dung", "Nữ", 1972, "02/09/2000", "02/09/2001", "Phó bí thư"),
    ("Hoàng Văn Em", "Nam", 1980, "07/11/2010", "07/11/2011", ""),
    ("Vũ Thị Giang", "Nữ", 1995, "15/10/2025", "", ""),
]
ABSENT = "Lê Văn Cường"
REASON = "Đi viện khám mắt"


class Server:
    """``docgen serve`` in its own process, on a free port, without opening a browser."""

    def __init__(self, workspace: Path, output: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "docgen", "serve", "-w", str(workspace), "-o", str(output),
             "--port", "0", "--khong-mo-trinh-duyet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=REPO,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"docgen đang phục vụ tại (http://127\.0\.0\.1:\d+/)", line)
        if found is None:
            self.stop()
            raise AssertionError(f"docgen serve did not start: {line!r} {self.stderr}")
        self.url = found.group(1)
        self.stderr = ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            _out, self.stderr = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, self.stderr = self.process.communicate()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _roster_xlsx(target: Path) -> None:
    """The roster typed into the template ``docgen roster template`` writes."""
    result = CliRunner().invoke(cli, ["roster", "template", "-o", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    sheet = book.active
    assert sheet is not None
    heads = [cell.value for cell in sheet[3]]
    assert heads[:7] == ["STT", "Mã", "Họ và tên", "Giới tính", "Năm sinh", "Ngày vào Đảng", "Ngày chính thức"]
    role = heads.index("Chức vụ") + 1
    for i, (name, sex, born, joined, full, job) in enumerate(ROSTER):
        row = 4 + i
        for col, value in ((1, i + 1), (3, name), (4, sex), (5, born), (6, joined), (7, full), (role, job)):
            if value:
                sheet.cell(row, col, value)
    book.save(target)


def _fill(page: Page, name: str, value: str) -> None:
    page.locator(f'[name="{name}"]').fill(value)


def _choose(page: Page, name: str, label: str) -> None:
    page.locator(f'select[name="{name}"]').select_option(label=label)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_a_secretary_walks_a_whole_quarter_in_the_browser(page: Page, tmp_path: Path) -> None:
    # 1. An empty folder becomes a workspace, as the guide says.
    ws, out = tmp_path / "du-lieu", tmp_path / "van-ban"
    result = CliRunner().invoke(cli, [
        "init", "-w", str(ws), "--dang-bo", "Đảng bộ phường Ngọc Hà", "--cap-tren", "Đảng bộ thành phố Hà Nội",
        "--dia-danh", "Ngọc Hà", "--ten", "Chi bộ Tổ dân phố số 7", "--loai", "dia_ban_dan_cu",
        "--bi-thu", "Nguyễn Văn An", "--nam", "2026", "--gioi-tinh", "nam", "--nam-sinh", "1955",
        "--ngay-vao-dang", "12/05/1980", "--ngay-chinh-thuc", "12/05/1981",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    cell_id = "to-dan-pho-so-7"
    quarter_file = ws / "chi-bo" / cell_id / "2026" / "quy-3.yaml"
    excel = tmp_path / "danh-sach.xlsx"
    _roster_xlsx(excel)

    server = Server(ws, out)
    try:
        # 2. The home page lists the cell; its page takes the roster from Excel.
        page.goto(server.url + "?nam=2026&quy=3")
        page.get_by_role("link", name="Chi bộ Tổ dân phố số 7").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Chi bộ Tổ dân phố số 7")
        page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(excel))
        page.get_by_role("button", name="Nhập danh sách").click()
        expect(page.get_by_role("status")).to_contain_text("Đã nhập 6 đảng viên")
        roster = (ws / "chi-bo" / cell_id / "dang-vien.yaml").read_text(encoding="utf-8")
        assert all(name in roster for name, *_ in ROSTER)

        # 3. The new quarter comes pre-filled: every member listed, by name.
        page.get_by_role("link", name="Kết quả quý III năm 2026").click()
        expect(page.locator(".notice")).to_contain_text("Tệp này chưa có")
        assert not quarter_file.exists()
        listed = page.locator('select[name^="bao_cao_quy.dang_vien."][name$=".ma"]')
        expect(listed).to_have_count(len(ROSTER))
        shown = [row.locator("option:checked").inner_text() for row in listed.all()]
        assert shown == [f"{name} (dv{i:02d})" for i, (name, *_) in enumerate(ROSTER, 1)]
        meetings = page.locator('input[name^="bao_cao_quy.buoi_sinh_hoat."][name$=".ngay"]')
        expect(meetings).to_have_count(3)

        # Attendance: the three monthly meetings; at the second one Lê Văn Cường was away.
        # One mistake among them: September has no 31st.
        for i, (day, present) in enumerate([("05/07/2026", "6"), ("05/08/2026", "5"), ("31/09/2026", "6")]):
            _fill(page, f"bao_cao_quy.buoi_sinh_hoat.{i}.ngay", day)
            _fill(page, f"bao_cao_quy.buoi_sinh_hoat.{i}.co_mat", present)
        page.locator('button[name="_them"][value="bao_cao_quy.buoi_sinh_hoat.1.vang"]').click()
        absent = "bao_cao_quy.buoi_sinh_hoat.1.vang.0"
        expect(page.locator(f'select[name="{absent}.dang_vien"]')).to_be_visible()
        # what was typed before the row was added is still there
        expect(page.locator('[name="bao_cao_quy.buoi_sinh_hoat.1.co_mat"]')).to_have_value("5")
        _choose(page, f"{absent}.dang_vien", f"{ABSENT} (dv03)")
        _fill(page, f"{absent}.ly_do", REASON)

        # The rest the page asks for: dues, the report's words, the scores.
        expect(page.locator('[name="bao_cao_quy.dang_phi.so_phai_dong"]')).to_have_value("6")
        _fill(page, "bao_cao_quy.dang_phi.so_da_dong", "6")
        _fill(page, "bao_cao_quy.ngay_ban_hanh", "30/09/2026")
        for key, words in [
            ("ket_qua.lanh_dao", "Lãnh đạo tổ dân phố giữ vệ sinh môi trường, trật tự"),
            ("ket_qua.sinh_hoat", "Sinh hoạt đủ ba buổi thường kỳ"),
            ("ket_qua.doan_ket", "Nội bộ đoàn kết, không có đơn thư"),
            ("ket_qua.doi_ngu_dang_vien", "Đảng viên gương mẫu nơi cư trú"),
            ("han_che", "Một đồng chí vắng một buổi"),
            ("nguyen_nhan", "Tuổi cao, sức yếu"),
            ("phuong_huong", "Chuẩn bị kiểm điểm cuối năm"),
        ]:
            _fill(page, f"bao_cao_quy.{key}", words)
        _fill(page, "bao_cao_quy.chi_bo.diem_chung", "27")
        _fill(page, "bao_cao_quy.chi_bo.diem_nhiem_vu", "62,5")
        _choose(page, "bao_cao_quy.chi_bo.tu_nhan", "Hoàn thành tốt nhiệm vụ")
        for i in range(len(ROSTER)):
            _fill(page, f"bao_cao_quy.dang_vien.{i}.diem_chung", "27")
            _fill(page, f"bao_cao_quy.dang_vien.{i}.diem_nhiem_vu", "63")
            _choose(page, f"bao_cao_quy.dang_vien.{i}.tu_nhan", "Hoàn thành tốt nhiệm vụ")
        page.locator(".actions").get_by_role("button", name="Lưu").click()

        # 4. The mistake is listed at the top and shown at its field; nothing is written.
        problems = page.locator("#cac-loi")
        expect(problems).to_be_visible()
        expect(problems.locator("h2")).to_have_text("Chưa lưu: có 1 lỗi")
        wrong = page.locator('[name="bao_cao_quy.buoi_sinh_hoat.2.ngay"]')
        expect(wrong).to_have_attribute("aria-invalid", "true")
        expect(wrong).to_have_value("31/09/2026")  # as typed
        message = page.locator("#o-bao_cao_quy-buoi_sinh_hoat-2-ngay-loi")
        expect(message).to_be_visible()
        said = message.inner_text().strip()
        assert said and said in problems.inner_text()
        # the link of the list leads to the field
        problems.get_by_role("link").first.click()
        assert page.url.endswith("#o-bao_cao_quy-buoi_sinh_hoat-2-ngay")
        assert not quarter_file.exists()
        # every other value came back as typed
        expect(page.locator(f'[name="{absent}.ly_do"]')).to_have_value(REASON)
        expect(page.locator('[name="bao_cao_quy.chi_bo.diem_nhiem_vu"]')).to_have_value("62,5")
        expect(page.locator('[name="bao_cao_quy.buoi_sinh_hoat.1.co_mat"]')).to_have_value("5")

        # Corrected at its field, saved.
        wrong.fill("30/09/2026")
        page.locator(".actions").get_by_role("button", name="Lưu").click()
        expect(page.locator(".notice.saved")).to_have_text("Đã lưu.")
        expect(page.locator("#cac-loi")).to_have_count(0)
        saved = quarter_file.read_text(encoding="utf-8")
        assert "ngay: 2026-09-30" in saved and "so_da_dong: 6" in saved and REASON in saved and "diem_nhiem_vu: 62.5" in saved

        # 5. The cell page, quarter III: issue the quarterly report and download it.
        page.locator(".actions").get_by_role("link", name="Quay lại chi bộ").click()
        page.get_by_label("Quý").select_option(label="III")
        page.get_by_role("button", name="Đổi").click()
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="quý của chi bộ"))
        row.get_by_role("button", name="Phát hành").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đã làm văn bản")
        with page.expect_download() as info:
            page.get_by_role("link", name="Tải về (.docx)").first.click()
        download = info.value
        assert download.suggested_filename.endswith(".docx")
        got = tmp_path / download.suggested_filename
        download.save_as(got)
    finally:
        server.stop()
    assert "Traceback" not in server.stderr, server.stderr

    # The figures entered in the browser, in the downloaded report.
    text = _docx_text(got)
    assert "CHI BỘ TỔ DÂN PHỐ SỐ 7" in text
    assert "Số 01-BC/CB" in text and "ngày 30 tháng 9 năm 2026" in text
    assert "Sinh hoạt thường kỳ: 3/3 buổi" in text
    assert "tỷ lệ đảng viên dự sinh hoạt bình quân: 94,4%" in text  # (6 + 5 + 6) / 18: one away
    assert "đóng đảng phí: 6/6 đồng chí" in text
    assert "tiêu chí chung 27/30, kết quả thực hiện nhiệm vụ 62,5/70" in text
    assert "Lãnh đạo tổ dân phố giữ vệ sinh môi trường, trật tự." in text
    assert all(name in text for name, *_ in ROSTER)
    # the same report on the disk, numbered in the register
    issued = list(out.rglob("bao-cao-quy-3.docx"))
    assert len(issued) == 1 and issued[0].read_bytes() == got.read_bytes()


def test_the_sample_home_page_fits_a_phone_and_the_keyboard_reaches_save(browser: Browser, tmp_path: Path) -> None:
    ws = tmp_path / "data"
    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    server = Server(ws, tmp_path / "out")
    try:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(server.url + "?nam=2026&quy=3")
        cells = [a.inner_text() for a in page.locator("table.grid tbody th a").all()]
        assert cells == [
            "Chi bộ Tổ dân phố số 5", "Chi bộ Trường Tiểu học Hoa Sữa (quý IV năm học 2025-2026)",
            "Chi bộ Cơ quan Ủy ban nhân dân phường", "Chi bộ Công an phường",
        ]
        _keyboard_reaches_save(page, server.url + "chi-bo/to-dan-pho-5/tep/chi-bo")
        context.close()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = phone.new_page()
        for url in (
            "?nam=2026&quy=3", "chi-bo/to-dan-pho-5?nam=2026&quy=3", "chi-bo/to-dan-pho-5/tep/quy-3?nam=2026",
            "chi-bo/truong-tieu-hoc-hoa-sua?nam=2026&quy=4",
        ):
            page.goto(server.url + url)
            _no_page_wide_scroll(page)
        phone.close()
    finally:
        server.stop()


def _keyboard_reaches_save(page: Page, url: str) -> None:
    page.goto(url)
    save = page.locator(".actions button", has_text="Lưu")
    for _ in range(400):
        page.keyboard.press("Tab")
        if save.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the Lưu button")
    page.keyboard.press("Enter")
    expect(page.locator(".notice.saved")).to_contain_text("Không có gì thay đổi")


def _no_page_wide_scroll(page: Page) -> None:
    """Nothing but the tables' own scrolling boxes (.scroll) is wider than the phone; a
    phone browser would otherwise widen its layout viewport and shrink the whole page."""
    sizes: dict[str, Any] = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " wide: [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 391)"
        ".filter(e => !e.closest('.scroll') || getComputedStyle(e).position === 'absolute')"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)})"
    )
    assert sizes["inner"] == 390 and sizes["scroll"] <= sizes["inner"], (page.url, sizes)
