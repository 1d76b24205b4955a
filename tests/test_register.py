"""Document numbers and the register of issued documents (sổ đăng ký văn bản đi)."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from docgen.batch import run_batch
from docgen.cli import cli
from docgen.docxread import text_dump
from docgen.register import REGISTER_FILE, Register
from tests.conftest import convert_to_pdf, edit_yaml, needs_calc, needs_libreoffice, soffice_path

QUY3 = "chi-bo/to-dan-pho-5/2026/quy-3.yaml"
QUY3_OUT = "out/ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3.docx"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def render(runner: CliRunner, *args: str) -> object:
    return runner.invoke(cli, ["render", *args, "--nam", "2026", "-o", "out"])


def quarter(runner: CliRunner, n: int, *extra: str) -> object:
    return render(runner, "bao-cao-quy", "--quy", str(n), "--chi-bo", "to-dan-pho-5", *extra)


def entries(ws: Path) -> dict[str, object]:
    return {e.danh_tinh: e for e in Register.of(ws).entries()}


@pytest.mark.slow
def test_a_batch_run_twice_keeps_every_number(ws: Path, tmp_path: Path) -> None:
    first = run_batch(ws, year=2026, quarter=3, output_root=tmp_path / "a", jobs=2)
    issued = {e.danh_tinh: (e.ky_hieu, e.sha256) for e in Register.of(ws).entries()}
    assert len(issued) == 5
    assert issued["ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3"][0] == "03-BC/CB"
    assert issued["ngoc-ha/2026/tong-hop-quy-3"][0] == "13-BC/ĐU"
    second = run_batch(ws, year=2026, quarter=3, output_root=tmp_path / "a", jobs=2)
    assert {e.danh_tinh: (e.ky_hieu, e.sha256) for e in Register.of(ws).entries()} == issued
    assert [r.issue_state for r in first.records] == ["moi"] * 5
    assert [r.issue_state for r in second.records] == ["giong"] * 5
    manifest = json.loads(second.manifest.read_text(encoding="utf-8"))
    assert {d["so_dang_ky"] for d in manifest["van_ban"]} == {"giong"}
    for doc in manifest["van_ban"]:
        assert f"Số {doc['so_ky_hieu']} |" in text_dump(tmp_path / "a" / doc["tep"])


@pytest.mark.slow
def test_every_period_of_the_sample_twice(ws: Path, tmp_path: Path) -> None:
    periods = [1, 2, 3, 4, None]
    first = [run_batch(ws, year=2026, quarter=q, output_root=tmp_path, jobs=2) for q in periods]
    second = [run_batch(ws, year=2026, quarter=q, output_root=tmp_path, jobs=2) for q in periods]
    assert not any(r.failed for r in first + second)
    rows = Register.of(ws).entries()
    assert len(rows) == sum(len(r.records) for r in first) == 25  # 4 cells + the ward, 5 periods
    keys = [(e.co_quan, e.loai_van_ban, e.nhiem_ky, e.so) for e in rows]
    assert len(set(keys)) == len(keys)
    assert {e.lan_cap for e in rows} == {1}
    assert {r.issue_state for b in first for r in b.records} == {"moi"}
    assert {r.issue_state for b in second for r in b.records} == {"giong"}
    ward = sorted(e.ky_hieu for e in rows if e.co_quan == "ngoc-ha")
    assert ward == ["11-BC/ĐU", "12-BC/ĐU", "13-BC/ĐU", "14-BC/ĐU", "16-BC/ĐU"]


def test_changed_content_is_refused_then_reissued_on_purpose(runner: CliRunner, ws: Path) -> None:
    assert quarter(runner, 3).exit_code == 0
    issued = Path(QUY3_OUT).read_bytes()
    edit_yaml(ws / QUY3, "so_da_dong: 26", "so_da_dong: 25")

    refused = quarter(runner, 3)
    assert refused.exit_code == 1
    assert (
        f"data/{QUY3}:5:7: bao_cao_quy.so: văn bản số 03-BC/CB ngày 28/09/2026 đã được ban hành với nội dung khác; "
        f"đã thay đổi từ khi ban hành: data/{QUY3}; "
        "docgen không ghi đè văn bản đã ban hành (thêm --reissue nếu muốn ban hành lại, "
        "việc này được ghi vào sổ đăng ký)"
    ) in refused.stderr
    assert "Traceback" not in refused.output
    assert Path(QUY3_OUT).read_bytes() == issued  # the issued document is untouched

    again = quarter(runner, 3, "--reissue")
    assert again.exit_code == 0, again.stderr
    assert f"{QUY3_OUT} (số 03-BC/CB, ban hành lại)" in again.stdout
    assert Path(QUY3_OUT).read_bytes() != issued
    entry = entries(ws)["ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3"]
    assert (entry.so, entry.lan_cap, entry.ghi_chu) == (3, 2, "cấp lại lần 1")
    assert len(entries(ws)) == 1


def test_an_omitted_number_takes_the_next_free_one(runner: CliRunner, ws: Path) -> None:
    for n in (1, 2, 3):
        edit_yaml(ws / f"chi-bo/to-dan-pho-5/2026/quy-{n}.yaml", f"  so: {n}\n", "")
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "  so: 1\n", "")
    assert quarter(runner, 2).exit_code == 0
    assert quarter(runner, 1).exit_code == 0
    result = quarter(runner, 3)
    assert result.exit_code == 0, result.stderr
    assert f"{QUY3_OUT} (số 03-BC/CB, cấp số mới)" in result.stdout
    # Another type and another issuer each start from 01.
    plan = render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5")
    assert "(số 01-KH/CB, cấp số mới)" in plan.stdout
    other = render(runner, "bao-cao-quy", "--quy", "3", "--chi-bo", "cong-an-phuong")
    assert "(số 03-BC/CB, cấp số mới)" in other.stdout  # typed in its file
    numbers = {k: e.so for k, e in entries(ws).items()}
    assert numbers == {
        "ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-2": 1,
        "ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-1": 2,
        "ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3": 3,
        "ngoc-ha/to-dan-pho-5/2026/ke-hoach": 1,
        "ngoc-ha/cong-an-phuong/2026/bao-cao-quy-3": 3,
    }
    # Rendering again keeps each document's own number.
    assert "(số 02-BC/CB, giống bản đã ban hành)" in quarter(runner, 1).stdout


def test_a_number_typed_with_leading_zeros_is_that_number(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / QUY3, "  so: 3\n", "  so: 010\n")  # read as octal 8 before
    result = quarter(runner, 3)
    assert result.exit_code == 0, result.stderr
    assert f"{QUY3_OUT} (số 10-BC/CB, cấp số mới)" in result.stdout
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-2.yaml", "  so: 2\n", "  so: 08\n")  # refused before
    assert "(số 08-BC/CB, cấp số mới)" in quarter(runner, 2).stdout


def test_a_typed_number_of_another_document_is_refused(runner: CliRunner, ws: Path) -> None:
    assert quarter(runner, 1).exit_code == 0
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-2.yaml", "  so: 2\n", "  so: 1\n")
    result = quarter(runner, 2)
    assert result.exit_code == 1
    assert (
        "quy-2.yaml:5:7: bao_cao_quy.so: số 01-BC/CB đã cấp cho văn bản khác: “BÁO CÁO kết quả xây dựng "
        "“chi bộ bốn tốt” quý I năm 2026” ngày"
    ) in result.stderr
    assert "(ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-1.docx)" in result.stderr
    assert not Path("out/ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-2.docx").exists()
    assert list(entries(ws)) == ["ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-1"]


def test_check_finds_a_number_typed_twice(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-2.yaml", "  so: 2\n", "  so: 1\n")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Lỗi: data/chi-bo/to-dan-pho-5/2026/quy-2.yaml:5:7: bao_cao_quy.so: số 01-BC/CB cũng được "
        "ghi cho ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-1.docx (data/chi-bo/to-dan-pho-5/2026/"
        "quy-1.yaml); mỗi văn bản một số riêng"
    )
    assert not (ws / REGISTER_FILE).exists()  # checking writes nothing


def test_check_finds_a_number_the_register_gave_another_document(
    runner: CliRunner, ws: Path
) -> None:
    assert quarter(runner, 1).exit_code == 0
    assert quarter(runner, 3).exit_code == 0
    assert runner.invoke(cli, ["check"]).exit_code == 0  # its own numbers are no clash
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-1.yaml", "  so: 1\n", "")  # 01 stays issued
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-2.yaml", "  so: 2\n", "  so: 1\n")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "Lỗi: data/chi-bo/to-dan-pho-5/2026/quy-2.yaml:5:7: bao_cao_quy.so: số 01-BC/CB đã cấp cho "
        "văn bản khác: “BÁO CÁO kết quả xây dựng “chi bộ bốn tốt” quý I năm 2026” ngày"
    )


def test_check_locates_the_minutes_number_in_its_meeting(runner: CliRunner, ws: Path) -> None:
    # The minutes' number is the meeting's so_bien_ban; the file's own so is the report's.
    assert render(runner, "bien-ban", "--quy", "1", "--chi-bo", "to-dan-pho-5").exit_code == 0  # 01-BB
    end = '      gio_ket_thuc: "21:15"\n'
    edit_yaml(ws / QUY3, end, end + "      so_bien_ban: 1\n")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        f"Lỗi: data/{QUY3}:36:20: bao_cao_quy.buoi_sinh_hoat[4].so_bien_ban: số 01-BB/CB đã cấp cho văn bản "
        "khác: “BIÊN BẢN họp Chi bộ đánh giá kết quả xây dựng “chi bộ bốn tốt” quý I năm 2026” ngày"
    )


def test_an_issued_document_cannot_change_number(runner: CliRunner, ws: Path) -> None:
    assert quarter(runner, 3).exit_code == 0
    edit_yaml(ws / QUY3, "  so: 3\n", "  so: 7\n")
    result = quarter(runner, 3)
    assert result.exit_code == 1
    assert (
        f"Lỗi: data/{QUY3}:5:7: bao_cao_quy.so: văn bản này đã được cấp số 03-BC/CB; không đổi sang số 07 "
        "được"
    ) in result.stderr


def test_a_reservation_never_written_does_not_hold_its_number(ws: Path) -> None:
    book = Register.of(ws)
    args = dict(
        issuer="ngoc-ha/to-dan-pho-5", issuer_name="Chi bộ", type_code="BC", term="2025 - 2030",
        identity="ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3", kind="bao-cao-quy",
        issued=date(2026, 9, 28), summary="BÁO CÁO", symbol="    -BC/CB",
    )  # fmt: skip
    assert book.reserve(number=None, **args) == 1  # then the run was killed before writing
    assert book.reserve(number=3, **args) == 3  # the number typed later is taken
    assert [(e.so, e.ky_hieu) for e in book.entries()] == [(3, "03-BC/CB")]


def test_a_failed_run_gives_back_the_numbers_it_took(runner: CliRunner, ws: Path) -> None:
    assert quarter(runner, 3).exit_code == 0
    edit_yaml(ws / QUY3, "so_da_dong: 26", "so_da_dong: 25")
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "  so: 1\n", "")
    result = render(runner, "ke-hoach", "bao-cao-quy", "--quy", "3", "--chi-bo", "to-dan-pho-5")
    assert result.exit_code == 1
    assert list(entries(ws)) == ["ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3"]
    assert not Path("out/ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx").exists()


def test_a_new_term_starts_again_from_01(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-1.yaml", "  so: 1\n", "")
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-2.yaml", "  so: 2\n", "")
    assert "(số 01-BC/CB" in quarter(runner, 1).stdout
    edit_yaml(ws / "dang-bo.yaml", "ten: 2025 - 2030", "ten: 2030 - 2035")
    assert "(số 01-BC/CB" in quarter(runner, 2).stdout
    terms = {e.danh_tinh.rsplit("-", 1)[1]: e.nhiem_ky for e in Register.of(ws).entries()}
    assert terms == {"1": "2025 - 2030", "2": "2030 - 2035"}


def _reserve(args: tuple[str, int]) -> int:
    path, i = args
    return Register(Path(path)).reserve(
        issuer="p/c",
        issuer_name="Chi bộ",
        type_code="TB",
        term="2025 - 2030",
        number=None,
        identity=f"doc-{i}",
        kind="phan-cong",
        issued=date(2026, 2, 5),
        summary=f"văn bản {i}",
        symbol="    -TB/CB",
    )


@pytest.mark.slow
def test_parallel_processes_never_share_a_number(tmp_path: Path) -> None:
    path = tmp_path / REGISTER_FILE
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        numbers = pool.map(_reserve, [(str(path), i) for i in range(60)], chunksize=1)
    assert sorted(numbers) == list(range(1, 61))
    assert sorted(e.ky_hieu for e in Register(path).entries()) == [f"{n:02d}-TB/CB" for n in range(1, 61)]


def test_a_draft_takes_no_number_and_never_replaces_the_issued_copy(
    runner: CliRunner, ws: Path
) -> None:
    assert quarter(runner, 3).exit_code == 0
    issued = Path(QUY3_OUT).read_bytes()
    edit_yaml(ws / QUY3, "so_da_dong: 26", "so_da_dong: 25")
    result = quarter(runner, 3, "--draft")
    assert result.exit_code == 0, result.stderr
    draft = "out/ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3-du-thao.docx"
    assert result.stdout.splitlines()[1] == f"  {draft} (dự thảo, chưa lấy số)"
    dump = text_dump(Path(draft))
    assert "đầu trang đầu: [DuThao] DỰ THẢO" in dump
    assert "Số     -BC/CB |" in dump
    assert "DỰ THẢO" not in text_dump(Path(QUY3_OUT))
    assert Path(QUY3_OUT).read_bytes() == issued
    entry = entries(ws)["ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3"]
    assert entry.lan_cap == 1 and entry.tep == "ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3.docx"


@pytest.mark.slow
@needs_libreoffice
def test_the_draft_mark_is_on_the_first_page_only(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    assert quarter(runner, 3, "--draft").exit_code == 0
    from tests.conftest import pdf_text

    pdf = convert_to_pdf([Path("out/ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3-du-thao.docx")], tmp_path)[0]
    pages = pdf_text(pdf).split("\f")
    assert "DỰ THẢO" in pages[0]
    assert all("DỰ THẢO" not in page for page in pages[1:] if page.strip())
    assert len([p for p in pages if p.strip()]) >= 2


def test_a_damaged_register_is_a_clear_error(runner: CliRunner, ws: Path) -> None:
    (ws / REGISTER_FILE).write_bytes(b"not a database " * 100)
    result = quarter(runner, 3)
    assert result.exit_code == 1
    assert result.stderr == (
        "Lỗi: data/so-dang-ky-van-ban.sqlite: không ghi được sổ đăng ký văn bản (tệp bị hỏng "
        "hoặc không phải cơ sở dữ liệu SQLite); kiểm tra quyền ghi thư mục dữ liệu, hoặc chép lại sổ "
        "từ bản sao lưu\n"
    )
    assert not Path("out").exists()


def test_register_lists_and_exports(runner: CliRunner, ws: Path) -> None:
    empty = runner.invoke(cli, ["register"])
    assert empty.exit_code == 0 and empty.stdout == "Sổ đăng ký chưa có văn bản nào.\n"
    assert quarter(runner, 3).exit_code == 0
    assert render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5").exit_code == 0
    result = runner.invoke(cli, ["register", "--csv", "so.csv", "--xlsx", "so.xlsx"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Sổ đăng ký văn bản đi (2 văn bản):"
    assert lines[2].split() == [
        "Chi", "bộ", "Tổ", "dân", "phố", "số", "5", "03-BC/CB", "28/09/2026", "BÁO", "CÁO", "kết",
        "quả", "xây", "dựng", "“chi", "bộ", "bốn", "tốt”", "quý", "III", "năm", "2026", "1",
    ]  # fmt: skip
    assert "01-KH/CB" in lines[3]
    rows = list(csv.DictReader(io.StringIO(Path("so.csv").read_text(encoding="utf-8-sig"))))
    assert [r["ky_hieu"] for r in rows] == ["03-BC/CB", "01-KH/CB"]
    assert rows[0]["tep"] == "ngoc-ha/to-dan-pho-5/2026/bao-cao-quy-3.docx"
    import hashlib

    assert rows[0]["sha256"] == hashlib.sha256(Path(QUY3_OUT).read_bytes()).hexdigest()
    sheet = openpyxl.load_workbook("so.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:6] == ["co_quan", "ten_co_quan", "loai_van_ban", "nhiem_ky", "so", "ky_hieu"]
    assert [row[5] for row in values[1:]] == ["03-BC/CB", "01-KH/CB"]


@pytest.mark.slow
@needs_libreoffice
@needs_calc
def test_the_exported_workbook_opens_in_libreoffice(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    import subprocess

    assert quarter(runner, 3).exit_code == 0
    assert runner.invoke(cli, ["register", "--xlsx", "so.xlsx"]).exit_code == 0
    subprocess.run(
        [
            soffice_path(), f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
            "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
            "so.xlsx",
        ],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    text = (tmp_path / "so.csv").read_text(encoding="utf-8")
    assert "Chi bộ Tổ dân phố số 5" in text and "03-BC/CB" in text


def test_the_register_is_kept_out_of_version_control() -> None:
    from tests.conftest import REPO

    assert REGISTER_FILE in (REPO / ".gitignore").read_text(encoding="utf-8").split()


def test_an_annex_repeats_the_number_its_report_was_issued_under(runner: CliRunner, ws: Path) -> None:
    """«Kèm theo Báo cáo số ...» under the annex is the header's number: the register's
    when the data types none, blank in a draft."""
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/nam.yaml", "  so: 5\n", "")
    out = Path("out/ngoc-ha/to-dan-pho-5/2026")
    assert render(runner, "bao-cao-nam", "--chi-bo", "to-dan-pho-5", "--draft").exit_code == 0
    draft = text_dump(out / "bao-cao-nam-du-thao.docx")
    assert "Số     -BC/CB |" in draft
    assert "(Kèm theo Báo cáo số     -BC/CB ngày" in draft
    result = render(runner, "bao-cao-nam", "--chi-bo", "to-dan-pho-5")
    assert result.exit_code == 0, result.output
    number = entries(ws)["ngoc-ha/to-dan-pho-5/2026/bao-cao-nam"].ky_hieu
    issued = text_dump(out / "bao-cao-nam.docx")
    assert f"Số {number} |" in issued
    assert f"(Kèm theo Báo cáo số {number} ngày" in issued


def test_minutes_cite_a_resolution_by_the_number_it_was_issued_under(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/truong-tieu-hoc-hoa-sua/2025-2026/phan-cong.yaml", "  so: 1\n", "")
    out = Path("out/ngoc-ha/truong-tieu-hoc-hoa-sua/2026")
    school = ["--chi-bo", "truong-tieu-hoc-hoa-sua"]
    # not issued yet: cited without a number
    assert render(runner, "bien-ban", *school, "--draft").exit_code == 0
    vote = "Thông qua Nghị quyết phân công nhiệm vụ cho đảng viên năm học 2025-2026: "
    assert vote in text_dump(out / "bien-ban-phan-cong-du-thao.docx")
    assert render(runner, "phan-cong", *school).exit_code == 0
    number = entries(ws)["ngoc-ha/truong-tieu-hoc-hoa-sua/2026/phan-cong"].ky_hieu
    assert render(runner, "bien-ban", *school).exit_code == 0
    assert f"năm học 2025-2026 (Nghị quyết số {number}): " in text_dump(out / "bien-ban-phan-cong.docx")


def test_an_export_never_replaces_a_file_unless_forced(runner: CliRunner, ws: Path) -> None:
    """`--csv` onto the register itself, a .yaml or a .docx is refused by its suffix; an
    existing export is kept unless --force."""
    register = ws / REGISTER_FILE
    assert render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5").exit_code == 0
    before = register.read_bytes()
    for args in (["--csv", str(register)], ["--csv", "data/dang-bo.yaml"], ["--xlsx", "so.csv"]):
        result = runner.invoke(cli, ["register", "-w", "data", *args])
        assert result.exit_code == 2
        assert "tệp xuất phải có đuôi" in result.stderr
    assert register.read_bytes() == before
    Path("so.csv").write_text("của tôi", encoding="utf-8")
    result = runner.invoke(cli, ["register", "-w", "data", "--csv", "so.csv", "--xlsx", "so.xlsx"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Lỗi: đã có tệp so.csv; thêm --force để ghi đè"
    assert Path("so.csv").read_text(encoding="utf-8") == "của tôi"
    assert not Path("so.xlsx").exists()  # nothing written before the refusal
    forced = runner.invoke(cli, ["register", "-w", "data", "--csv", "so.csv", "--force"])
    assert forced.exit_code == 0
    assert "01-KH/CB" in Path("so.csv").read_text(encoding="utf-8-sig")


def test_the_register_shows_a_number_held_without_a_file(runner: CliRunner, ws: Path) -> None:
    """A run killed outright (SIGKILL) can leave a reservation; the listing says so, and
    rendering the document again uses the number held."""
    import sqlite3

    assert render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5").exit_code == 0
    with sqlite3.connect(ws / REGISTER_FILE) as db:
        db.execute("UPDATE van_ban_di SET sha256 = NULL, tep = NULL")
    listing = runner.invoke(cli, ["register", "-w", "data"])
    assert listing.exit_code == 0
    assert "1 (chưa có tệp)" in listing.stdout
    assert listing.stdout.splitlines()[-1] == (
        "1 số đã giữ nhưng chưa có tệp (một lần chạy bị dừng đột ngột): chạy lại lệnh làm văn bản đó, "
        "số giữ sẵn sẽ được dùng"
    )
    assert render(runner, "ke-hoach", "--chi-bo", "to-dan-pho-5").exit_code == 0
    again = runner.invoke(cli, ["register", "-w", "data"])
    assert "chưa có tệp" not in again.stdout
    assert "01-KH/CB" in again.stdout
