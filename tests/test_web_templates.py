"""The templates pages of ``docgen serve`` (docgen/web/mau.py): upload, findings, preview
pages, activation, restoring, refusals; every route the ward office's."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.templates import BUILTIN_DIR
from docgen.web import mau
from docgen.web.access import rule_of
from docgen.web.app import create_app
from docgen.workspace import load_workspace
from tests.test_templatestore import broken, builtin, reworded
from tests.test_untrusted_docx import with_linked_image

TOKEN = "test-token"


@pytest.fixture
def client(sample_ws: Path, tmp_path: Path) -> TestClient:
    app = create_app(sample_ws, output_root=tmp_path / "out", token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1")


def text(response: object) -> str:
    """The page's words, tags left out."""
    html = response.text  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def send(client: TestClient, kind: str, data: bytes, name: str = "mau.docx", follow: bool = False) -> object:
    return client.post(
        "/mau/tai-len", data={"_token": TOKEN, "mau": kind},
        files={"tep": (name, data, "application/octet-stream")}, follow_redirects=follow,
    )  # fmt: skip


def test_every_route_is_the_ward_offices() -> None:
    made = mau.routes()
    assert made and {rule_of(r) for r in made} == {"dang_uy"}


def test_upload_check_activate_and_the_page_says_so(client: TestClient, sample_ws: Path) -> None:
    listing = client.get("/mau")
    assert listing.status_code == 200
    assert f'name="_token" value="{TOKEN}"' in listing.text
    assert "ke-hoach.docx" in listing.text and "mẫu có sẵn" in text(listing)
    sent = send(client, "ke-hoach", builtin("ke-hoach"), "ke-hoach.docx")
    assert sent.status_code == 303 and sent.headers["location"] == "/mau/ke-hoach/1"  # type: ignore[attr-defined]
    candidate = client.get("/mau/ke-hoach/1")
    assert candidate.status_code == 200
    assert "Kiểm tra mẫu: không có lỗi" in text(candidate)
    assert 'action="http://127.0.0.1/mau/ke-hoach/1/dung"' in candidate.text
    assert "disabled" not in candidate.text
    used = client.post("/mau/ke-hoach/1/dung", data={"_token": TOKEN})
    assert used.status_code == 200
    assert "Đã dùng bản 1 của mẫu ke-hoach.docx" in text(used)
    assert "mẫu riêng, bản 1" in text(used)
    templates_dir = load_workspace(sample_ws).templates_dir
    assert templates_dir is not None and (templates_dir / "ke-hoach.docx").read_bytes() == builtin("ke-hoach")


def test_restore_an_earlier_version_from_the_list(client: TestClient, sample_ws: Path) -> None:
    send(client, "ke-hoach", builtin("ke-hoach"))
    client.post("/mau/ke-hoach/1/dung", data={"_token": TOKEN})
    send(client, "ke-hoach", reworded())
    client.post("/mau/ke-hoach/2/dung", data={"_token": TOKEN})
    listing = client.get("/mau")
    assert "mẫu riêng, bản 2" in text(listing)
    assert 'action="http://127.0.0.1/mau/ke-hoach/1/dung"' in listing.text  # "Dùng bản này" on bản 1
    client.post("/mau/ke-hoach/1/dung", data={"_token": TOKEN})
    assert (sample_ws / "mau" / "ke-hoach.docx").read_bytes() == builtin("ke-hoach")
    back = client.post("/mau/ke-hoach/co-san", data={"_token": TOKEN})
    assert back.status_code == 200 and "theo mẫu có sẵn" in text(back)
    assert not (sample_ws / "mau" / "ke-hoach.docx").exists()


def test_a_broken_template_shows_findings_and_cannot_be_used(client: TestClient, sample_ws: Path) -> None:
    ward_before = (sample_ws / "dang-bo.yaml").read_bytes()
    page = send(client, "phan-cong-thong-bao", broken(), follow=True)
    assert page.status_code == 200  # type: ignore[attr-defined]
    words = text(page)
    assert "Mẫu có 1 lỗi: chưa dùng được" in words
    assert "thẻ {{ r.hoten }}: mỗi mục của 'bang' không có trường 'hoten' (có phải ý là 'ho_ten'?)" in words
    assert re.search(r"<button[^>]*disabled[^>]*>Dùng mẫu này</button>", page.text)  # type: ignore[attr-defined]
    assert "Chưa dùng được: mẫu còn 1 lỗi" in words
    assert "<img " not in page.text  # type: ignore[attr-defined]
    refused = client.post("/mau/phan-cong-thong-bao/1/dung", data={"_token": TOKEN})
    assert refused.status_code == 422 and "Chưa dùng được mẫu này" in text(refused)
    assert "không có trường 'hoten'" in text(refused)
    assert (sample_ws / "dang-bo.yaml").read_bytes() == ward_before
    assert not (sample_ws / "mau").exists()


def test_a_hostile_or_oversized_upload_is_refused(client: TestClient, sample_ws: Path) -> None:
    hostile = send(client, "ke-hoach", with_linked_image(builtin("ke-hoach"), "file://may-chu/chia-se/a.png"))
    assert hostile.status_code == 422  # type: ignore[attr-defined]
    assert "có liên kết ra ngoài tệp (image) tới «file://may-chu/chia-se/a.png»" in text(hostile)
    big = send(client, "ke-hoach", b"PK" + b"\0" * (4 * 1024 * 1024 + 10), "to.docx")
    assert big.status_code == 422  # type: ignore[attr-defined]
    assert "mẫu to.docx: tệp quá lớn: mẫu tải lên tối đa 4,0 MB" in text(big)
    huge = send(client, "ke-hoach", b"PK" + b"\0" * (6 * 1024 * 1024), "to.docx")  # read only to the limit
    assert huge.status_code == 422 and "tối đa 4,0 MB" in text(huge)  # type: ignore[attr-defined]
    none = client.post("/mau/tai-len", data={"_token": TOKEN, "mau": "ke-hoach"})
    assert none.status_code == 400 and "chưa chọn tệp mẫu" in text(none)
    unknown = send(client, "khong-co", builtin("ke-hoach"))
    assert unknown.status_code == 400 and "không có mẫu 'khong-co'" in text(unknown)  # type: ignore[attr-defined]
    assert not (sample_ws / ".docgen").exists()


def test_a_post_without_the_token_changes_nothing(client: TestClient, sample_ws: Path) -> None:
    send(client, "ke-hoach", builtin("ke-hoach"))
    refused = client.post("/mau/ke-hoach/1/dung", data={"_token": "other"})
    assert refused.status_code == 403
    assert load_workspace(sample_ws).templates_dir is None
    assert client.post("/mau/tai-len", data={"mau": "ke-hoach"}).status_code == 403


def test_an_unknown_version_is_not_found(client: TestClient) -> None:
    assert client.get("/mau/ke-hoach/7").status_code == 404
    assert client.get("/mau/khong-co/1").status_code == 404
    assert client.get("/mau/ke-hoach/7/anh?trang=1").status_code == 404


@pytest.mark.libreoffice
def test_the_candidates_pages_are_shown(client: TestClient) -> None:
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.skip("cần LibreOffice (soffice) và poppler-utils (pdftoppm)")
    try:
        page = send(client, "bao-cao-quy", (BUILTIN_DIR / "bao-cao-quy.docx").read_bytes(), follow=True)
        count = page.text.count("<img ")  # type: ignore[attr-defined]
        assert count == 4  # the sample's quarterly report has four pages
        image = client.get(f"/mau/bao-cao-quy/1/anh?trang={count}")
        assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert client.get(f"/mau/bao-cao-quy/1/anh?trang={count + 1}").status_code == 404
        assert client.get("/mau/bao-cao-quy/1/anh?trang=x").status_code == 404
    finally:
        client.app.site.close()  # type: ignore[attr-defined]
