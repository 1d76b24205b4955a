"""Quarterly reports of the cells and the ward summary, end to end on the sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.docxread import text_dump
from docgen.pipeline import render_documents
from docgen.workspace import RULES_DIR, load_workspace
from tests.conftest import (
    SAMPLE,
    SAMPLE_CELLS,
    convert_to_pdf,
    edit_yaml,
    needs_libreoffice,
    pdf_text,
)

LEVEL_HEADERS = ["Hoàn thành xuất sắc", "Hoàn thành tốt", "Hoàn thành", "Không hoàn thành"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("quarters")
    ws = load_workspace(SAMPLE)
    for quy in range(1, 5):
        render_documents(ws, ["bao-cao-quy", "tong-hop-quy"], year=2026, quarter=quy, output_root=root)
    return root / "ngoc-ha"


def cell_report(out: Path, cell: str, quy: int) -> docx.Document:
    """The cell's report made for the ward's quarter ``quy`` of 2026: a school-year cell's
    is its own quarter ending in it (quarter IV of 2025-2026 for the ward's quarter III)."""
    own_year, own_quarter = load_workspace(SAMPLE).cell_year_kind(cell).own_period(2026, quy)
    return docx.Document(str(out / cell / str(own_year) / f"bao-cao-quy-{own_quarter}.docx"))


def table_with_header(document: docx.Document, first: str) -> docx.table.Table:
    return next(t for t in document.tables if t.rows[0].cells[0].text == first)


@pytest.mark.parametrize("quy", [1, 2, 3, 4])
def test_ward_totals_equal_the_sums_of_the_cell_reports(out: Path, quy: int) -> None:
    summary = docx.Document(str(out / "2026" / f"tong-hop-quy-{quy}.docx"))
    table = table_with_header(summary, "STT")
    rows = [[c.text for c in r.cells] for r in table.rows]
    body = {r[1]: r for r in rows[1:-2]}
    totals, shares = rows[-2], rows[-1]
    sums = [0, 0, 0, 0]
    bon_tot = 0
    for cell in SAMPLE_CELLS:
        report = cell_report(out, cell, quy)
        dist = table_with_header(report, "Tổng số đảng viên")
        assert [c.text for c in dist.rows[0].cells][4:] == LEVEL_HEADERS
        counts = [int(c.text.split(" ")[0]) for c in dist.rows[1].cells[4:]]
        name = report.tables[0].cell(0, 0).paragraphs[1].text  # "CHI BỘ ..." upper-case
        row = next(r for title, r in body.items() if f"CHI BỘ {title.split(' (')[0].upper()}" == name)  # the column drops «Chi bộ»
        assert [int(x) for x in row[9:13]] == counts
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        text = "\n".join(p.text for p in report.paragraphs)
        reached = "Chi bộ đạt “chi bộ bốn tốt”" in text
        assert row[6] == ("Đạt" if reached else "Chưa đạt")
        bon_tot += reached
    assert [int(x) for x in totals[9:13]] == sums
    assert totals[6] == f"{bon_tot}/4"
    percents = [float(x.rstrip("%").replace(",", ".")) for x in shares[9:13]]
    assert round(sum(percents), 1) == 100.0


def test_golden_cell_report(out: Path, golden) -> None:
    golden("bao-cao-quy-3-to-dan-pho-5.txt", text_dump(out / "to-dan-pho-5/2026/bao-cao-quy-3.docx"))


def test_golden_ward_summary(out: Path, golden) -> None:
    golden("tong-hop-quy-3.txt", text_dump(out / "2026/tong-hop-quy-3.docx"))


def test_sample_scenarios(out: Path) -> None:
    q3 = "\n".join(p.text for p in cell_report(out, "to-dan-pho-5", 3).paragraphs)
    assert "Đánh giá: Không đạt (có 1 đơn thư khiếu nại, tố cáo)." in q3
    assert "chưa đạt “chi bộ bốn tốt” quý III năm 2026" in q3
    police = cell_report(out, "cong-an-phuong", 2)
    rows = [[c.text for c in r.cells] for r in table_with_header(police, "STT").rows]
    disciplined = next(r for r in rows if r[1] == "Hoàng Hữu Tài")
    assert disciplined[6] == "Không hoàn thành"
    assert "bị kỷ luật (khiển trách) trong kỳ" in disciplined[7]
    school = cell_report(out, "truong-tieu-hoc-hoa-sua", 3)
    rows = [[c.text for c in r.cells] for r in table_with_header(school, "STT").rows]
    newcomer = next(r for r in rows if r[1] == "Lương Thị Ngân")
    assert newcomer[6] == "Không xếp loại"
    # the school cell's quarter IV of 2025-2026 (June to August 2026); admitted 15/02/2026
    assert newcomer[7].startswith("vào Đảng chưa đủ 6 tháng tính đến ngày họp 03/08/2026, chỉ kiểm điểm")
    tdp = cell_report(out, "to-dan-pho-5", 2)
    rows = [[c.text for c in r.cells] for r in table_with_header(tdp, "STT").rows]
    exempt = next(r for r in rows if r[1] == "Đặng Quang Dũng")
    assert (exempt[6], exempt[7]) == ("Miễn sinh hoạt", "miễn sinh hoạt đảng")
    text = "\n".join(p.text for p in tdp.paragraphs)
    assert "vượt hạn mức 3 của quý" in text  # the ward decides: a request in the report


def test_quota_over_the_cap_is_refused_by_default(runner: CliRunner, sample_ws: Path, monkeypatch) -> None:
    monkeypatch.chdir(sample_ws.parent)
    edit_yaml(sample_ws / "dang-bo.yaml", "vuot_han_muc: dang_uy_quyet_dinh", "vuot_han_muc: tu_choi")
    result = runner.invoke(cli, ["render", "bao-cao-quy", "--quy", "2", "--nam", "2026", "-o", "out"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Lỗi: data/chi-bo/to-dan-pho-5/2026/quy-2.yaml:57:5: bao_cao_quy.dang_vien: đề xuất "
        "“Hoàn thành xuất sắc” cho 5 đảng viên (Đinh Minh Hoa, Bùi Công Khánh, Phạm Quốc Khánh, "
        "Đỗ Quốc Lâm, Đinh Minh Lâm) vượt hạn mức “Hoàn thành xuất sắc” là 3 (20% của 19 đảng viên "
        "xếp mức “Hoàn thành tốt nhiệm vụ”) (hạ bớt đề xuất bằng chi_bo_de_xuat, hoặc đặt "
        "cai_dat.vuot_han_muc: dang_uy_quyet_dinh để Đảng ủy phường quyết định)"
    )
    assert not (sample_ws.parent / "out").exists()


def test_ward_decides_mode_warns(runner: CliRunner, sample_ws: Path, monkeypatch) -> None:
    monkeypatch.chdir(sample_ws.parent)
    result = runner.invoke(cli, ["render", "bao-cao-quy", "tong-hop-quy", "--quy", "2", "--nam", "2026", "-o", "out"])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Cảnh báo:")]
    assert len(warnings) == 1  # once, although both documents read the quarter
    assert "Đảng ủy phường sẽ xem xét, quyết định" in warnings[0]
    assert len(result.stdout.splitlines()) == 6


def test_copied_rule_set_changes_the_result(sample_ws: Path, tmp_path: Path) -> None:
    def ward_row(ws_root: Path, target: Path) -> list[str]:
        render_documents(load_workspace(ws_root), "tong-hop-quy", year=2026, quarter=3, output_root=target, reissue=True)
        table = table_with_header(docx.Document(str(target / "ngoc-ha/2026/tong-hop-quy-3.docx")), "STT")
        return [c.text for c in table.rows[3].cells]  # Chi bộ Cơ quan ...

    before = ward_row(sample_ws, tmp_path / "a")
    assert before[3] == "x"
    copy = sample_ws / "quy-tac-cua-phuong.yaml"
    shutil.copy(RULES_DIR / "qd366-2025.yaml", copy)
    edit_yaml(copy, "ty_le_du_sinh_hoat_toi_thieu: 80", "ty_le_du_sinh_hoat_toi_thieu: 99")
    edit_yaml(sample_ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac-cua-phuong.yaml")
    after = ward_row(sample_ws, tmp_path / "b")
    assert after[3] == "–"
    assert after[6] == "Chưa đạt"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def render_errors(runner: CliRunner, quy: str = "3") -> list[str]:
    result = runner.invoke(cli, ["render", "bao-cao-quy", "tong-hop-quy", "--quy", quy, "--nam", "2026", "-o", "out"])
    assert result.exit_code == 1, result.output
    assert not Path("out").exists()
    return result.stderr.splitlines()[:-1]


Q3 = "data/chi-bo/cong-an-phuong/2026/quy-3.yaml"


def test_member_counted_twice(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / Q3, "    - ma: dv02\n", "    - ma: dv01\n")
    assert render_errors(runner) == [
        f"Lỗi: {Q3}:48:5: bao_cao_quy.dang_vien: thiếu đánh giá của đảng viên Nguyễn Thu Nga (dv02) "
        "(mỗi đảng viên phải được đánh giá, trừ người miễn, đình chỉ sinh hoạt hoặc vào Đảng chưa đủ "
        "thời gian)",
        f"Lỗi: {Q3}:52:11: bao_cao_quy.dang_vien[2].ma: đảng viên 'dv01' được đánh giá hai lần "
        "(trùng với mục thứ 1)",
    ]


def test_attendance_above_membership(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / Q3, "      co_mat: 10\n", "      co_mat: 11\n")
    (line,) = render_errors(runner)
    assert line.endswith("co_mat: số có mặt (11) nhiều hơn số đảng viên phải dự sinh hoạt (10)")


def test_scores_over_the_scale(runner: CliRunner, ws: Path) -> None:
    text = (ws.parent / Q3).read_text(encoding="utf-8")
    first = text.index("      diem_chung: ", text.index("  dang_vien:"))
    end = text.index("\n", first)
    (ws.parent / Q3).write_text(text[:first] + "      diem_chung: 31" + text[end:], encoding="utf-8")
    edit_yaml(ws.parent / Q3, "    diem_nhiem_vu: 61\n", "    diem_nhiem_vu: 105\n")
    assert render_errors(runner) == [
        f"Lỗi: {Q3}:45:20: bao_cao_quy.chi_bo.diem_nhiem_vu: phải nhỏ hơn hoặc bằng 100, nhận được 105",
    ]
    edit_yaml(ws.parent / Q3, "    diem_nhiem_vu: 105\n", "    diem_nhiem_vu: 71\n")
    assert render_errors(runner) == [
        f"Lỗi: {Q3}:45:20: bao_cao_quy.chi_bo.diem_nhiem_vu: điểm kết quả thực hiện nhiệm vụ 71 "
        "vượt tối đa 70",
        f"Lỗi: {Q3}:49:19: bao_cao_quy.dang_vien[1].diem_chung: điểm tiêu chí chung 31 vượt tối đa 30",
    ]


def test_quarter_outside_1_to_4(runner: CliRunner, ws: Path) -> None:
    shutil.copy(ws / "chi-bo/cong-an-phuong/2026/quy-3.yaml", ws / "chi-bo/cong-an-phuong/2026/quy-5.yaml")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Lỗi: data/chi-bo/cong-an-phuong/2026/quy-5.yaml: tên tệp phải kết thúc bằng số quý từ 1 "
        "đến 4 (ví dụ quy-3.yaml)"
    )
    result = runner.invoke(cli, ["render", "bao-cao-quy", "--quy", "5"])
    assert result.exit_code == 2


def test_dates_outside_the_quarter(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / Q3, "    - ngay: 2026-07-10\n", "    - ngay: 2026-06-10\n")
    (line,) = render_errors(runner)
    assert line.endswith(
        "bao_cao_quy.buoi_sinh_hoat[1].ngay: buổi sinh hoạt ngày 10/06/2026 không thuộc quý III năm "
        "2026 (01/07/2026 - 30/09/2026)"
    )


def test_quarterly_kind_needs_a_quarter(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["render", "bao-cao-quy", "--nam", "2026"])
    assert result.exit_code == 2
    assert result.stderr == "Lỗi: văn bản 'bao-cao-quy' là văn bản theo quý: cần ghi --quy (1 đến 4)\n"


def test_cell_without_report_is_listed(ws: Path, tmp_path: Path) -> None:
    # the ward's quarter III holds the school cell's quarter IV of 2025-2026
    (ws / "chi-bo/truong-tieu-hoc-hoa-sua/2025-2026/quy-4.yaml").unlink()
    render_documents(load_workspace(ws), "tong-hop-quy", year=2026, quarter=3, output_root=tmp_path)
    text = text_dump(tmp_path / "ngoc-ha/2026/tong-hop-quy-3.docx")
    assert "- Chi bộ Trường Tiểu học Hoa Sữa (quý IV năm học 2025-2026)." in text
    assert "| Trường Tiểu học Hoa Sữa (quý IV năm học 2025-2026) | — | — | — | — | Chưa báo cáo |" in text
    assert "3 chi bộ đã báo cáo" in text


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_both(out: Path, tmp_path: Path) -> None:
    files = [tmp_path / "cell.docx", tmp_path / "ward.docx"]
    shutil.copy(out / "to-dan-pho-5/2026/bao-cao-quy-3.docx", files[0])
    shutil.copy(out / "2026/tong-hop-quy-3.docx", files[1])
    cell_pdf, ward_pdf = convert_to_pdf(files, tmp_path)
    assert "CHI BỘ TỔ DÂN PHỐ SỐ 5" in pdf_text(cell_pdf)
    ward = pdf_text(ward_pdf)
    assert "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" in ward and "ĐẢNG ỦY PHƯỜNG NGỌC HÀ" in ward
    assert "T/M BAN THƯỜNG VỤ" in ward


def test_nobody_due_dues_reads_as_such_and_the_verdict_agrees(sample_ws: Path, tmp_path: Path) -> None:
    """0 of 0 dues (docgen/rules/share.py): the figure says nobody had to pay, never
    ``0/0 đồng chí (0,0%)``, and criterion 4's verdict says the same and holds."""
    q3 = sample_ws / "chi-bo" / "to-dan-pho-5" / "2026" / "quy-3.yaml"
    edit_yaml(q3, "so_phai_dong: 26\n    so_da_dong: 26", "so_phai_dong: 0\n    so_da_dong: 0")
    render_documents(load_workspace(sample_ws), "bao-cao-quy", year=2026, quarter=3, output_root=tmp_path, cells=["to-dan-pho-5"])
    text = text_dump(tmp_path / "ngoc-ha" / "to-dan-pho-5" / "2026" / "bao-cao-quy-3.docx")
    assert "Đảng viên bị kỷ luật: 0; đóng đảng phí: không có đồng chí phải đóng." in text
    assert "Đánh giá: Đạt (không có đảng viên bị kỷ luật; không có đồng chí phải đóng đảng phí)." in text
    assert "0/0" not in text
