"""The annual review of the cells and the ward's annual summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.docxread import text_dump
from docgen.pipeline import render_documents
from docgen.workspace import load_workspace
from tests.conftest import (
    REPO,
    SAMPLE,
    SAMPLE_CELLS,
    convert_to_pdf,
    edit_yaml,
    needs_libreoffice,
    pdf_text,
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("annual")
    render_documents(load_workspace(SAMPLE), ["bao-cao-nam", "tong-hop-nam"], year=2026, output_root=root)
    return root / "ngoc-ha"


def table_with_header(document: docx.Document, first: str) -> docx.table.Table:
    return next(t for t in document.tables if t.rows[0].cells[0].text == first)


def annex(out: Path, cell: str) -> list[list[str]]:
    document = docx.Document(str(out / cell / "2026" / "bao-cao-nam.docx"))
    return [[c.text for c in r.cells] for r in document.tables[-1].rows]


@pytest.mark.parametrize("cell", SAMPLE_CELLS)
def test_every_member_appears_exactly_once_in_the_annex(out: Path, cell: str) -> None:
    import yaml

    roster = yaml.safe_load((SAMPLE / "chi-bo" / cell / "dang-vien.yaml").read_text())["dang_vien"]
    rows = annex(out, cell)
    assert rows[0] == ["STT", "Họ và tên", "Điểm tự chấm", "Chi bộ đề xuất", "Ghi chú"]
    assert [r[1] for r in rows[1:]] == [m["ho_ten"] for m in roster]
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, len(roster) + 1)]


def test_annex_is_a_separate_section_with_its_own_numbering(out: Path) -> None:
    document = docx.Document(str(out / "to-dan-pho-5/2026/bao-cao-nam.docx"))
    assert len(document.sections) == 2
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for section in document.sections:
        start = section._sectPr.find(f"{W}pgNumType").get(f"{W}start")
        assert start == "1"
    # No number on the report's first page; the annex numbered from its first page (issue 18).
    report, annex_section = document.sections
    assert report.different_first_page_header_footer
    assert not annex_section.different_first_page_header_footer


def test_year_outcomes_read_the_quarters(out: Path) -> None:
    police = {r[1]: r for r in annex(out, "cong-an-phuong")}
    assert police["Hoàng Hữu Tài"][3] == "Không hoàn thành"
    assert police["Hoàng Hữu Tài"][4] == "Bị kỷ luật khiển trách trong kỳ"
    office = {r[1]: r for r in annex(out, "co-quan-phuong")}
    sick = office["Ngô Phương Hằng"]
    assert sick[3] == "Hoàn thành"
    assert sick[4] == "Nghỉ ốm 3 tháng, cao nhất mức “Hoàn thành”"
    residents = {r[1]: r for r in annex(out, "to-dan-pho-5")}
    assert residents["Đinh Minh Hoa"][2:4] == ["92,0", "Xuất sắc"]  # typed annual score
    assert residents["Tạ Diệu Thảo"][4] == ""  # the usual case: no note
    assert residents["Đặng Quang Dũng"][3:] == ["Miễn sinh hoạt", "Miễn sinh hoạt đảng"]


@pytest.mark.parametrize("cell", SAMPLE_CELLS)
def test_ward_annual_totals_equal_the_cells(out: Path, cell: str) -> None:
    summary = docx.Document(str(out / "2026/tong-hop-nam.docx"))
    rows = [[c.text for c in r.cells] for r in table_with_header(summary, "STT").rows]
    report = docx.Document(str(out / cell / "2026" / "bao-cao-nam.docx"))
    dist = table_with_header(report, "Tổng số đảng viên")
    proposed = [int(c.text.split(" ")[0]) for c in dist.rows[1].cells[4:]]
    name = report.tables[0].cell(0, 0).paragraphs[1].text
    # the column drops «Chi bộ», and names a school year after the name
    row = next(r for r in rows[1:-2] if f"CHI BỘ {r[1].split(' (')[0].upper()}" == name)
    assert [int(x.split(" / ")[0]) for x in row[5:9]] == proposed
    totals = rows[-2]
    columns = list(zip(*[[int(x.split(" / ")[0]) for x in r[5:9]] for r in rows[1:-2]], strict=True))
    assert [int(x.split(" / ")[0]) for x in totals[5:9]] == [sum(c) for c in columns]
    decided = [sum(int(x.split(" / ")[1]) for x in col) for col in zip(*[r[5:9] for r in rows[1:-2]], strict=True)]
    assert [int(x.split(" / ")[1]) for x in totals[5:9]] == decided


def test_golden_annual(out: Path, golden) -> None:
    golden("bao-cao-nam-cong-an-phuong.txt", text_dump(out / "cong-an-phuong/2026/bao-cao-nam.docx"))
    golden("tong-hop-nam.txt", text_dump(out / "2026/tong-hop-nam.docx"))


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def render(runner: CliRunner, *kinds: str):
    return runner.invoke(cli, ["render", *(kinds or ("bao-cao-nam",)), "--nam", "2026", "-o", "out"])


def refused(runner: CliRunner, *kinds: str) -> list[str]:
    result = render(runner, *kinds)
    assert result.exit_code == 1, result.output
    assert not Path("out").exists()
    return result.stderr.splitlines()[:-1]


POLICE = "data/chi-bo/cong-an-phuong/2026/nam.yaml"


def test_excellent_for_a_disciplined_member_is_refused(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / POLICE, "  chi_bo:\n    de_xuat: tot\n",
              "  chi_bo:\n    de_xuat: tot\n  dang_vien:\n    - ma: dv06\n      de_xuat: xuat_sac\n")
    assert refused(runner) == [
        f"Lỗi: {POLICE}:23:16: bao_cao_nam.dang_vien[1].de_xuat: đề xuất “Hoàn thành xuất sắc nhiệm "
        "vụ” cho đồng chí Hoàng Hữu Tài (dv06) không đúng quy định: bị kỷ luật (khiển trách) trong "
        "kỳ nên xếp “Không hoàn thành nhiệm vụ” (quy tắc "
        "buoc_khong_hoan_thanh.ca_nhan.bi_ky_luat_trong_ky) (mức cao nhất được phép là “Không hoàn "
        "thành nhiệm vụ”)"
    ]


def test_classifying_a_member_admitted_three_months_ago_is_refused(runner: CliRunner, ws: Path) -> None:
    roster = ws / "chi-bo/cong-an-phuong/dang-vien.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8")
        + "  - ma: dv11\n    ho_ten: Trịnh Văn Mới\n    gioi_tinh: nam\n    nam_sinh: 2000\n"
        "    loai_dang_vien: du_bi\n    ngay_vao_dang: 2026-10-01\n",
        encoding="utf-8",
    )
    edit_yaml(ws.parent / POLICE, "  chi_bo:\n    de_xuat: tot\n",
              "  chi_bo:\n    de_xuat: tot\n  dang_vien:\n    - ma: dv11\n      de_xuat: tot\n")
    assert refused(runner) == [
        f"Lỗi: {POLICE}:23:16: bao_cao_nam.dang_vien[1].de_xuat: đồng chí Trịnh Văn Mới (dv11) không "
        "được xếp loại (vào Đảng chưa đủ 6 tháng tính đến ngày họp 10/12/2026, chỉ kiểm điểm) nên không ghi de_xuat (quy tắc "
        "khong_xep_loai.vao_dang_chua_du_thang)"
    ]


def test_excellent_over_the_ward_quota_is_refused(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "dang-bo.yaml", "vuot_han_muc: dang_uy_quyet_dinh", "vuot_han_muc: tu_choi")
    rules = ws / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", rules)
    edit_yaml(rules, "  ty_le: 20\n", "  ty_le: 2\n")
    edit_yaml(ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")
    (line,) = refused(runner, "tong-hop-nam")
    assert line == (
        "Lỗi: data/2026/tong-hop-nam.yaml:14:5: tong_hop_nam.cong_nhan: công nhận “Hoàn thành xuất sắc” cho 2 "
        "đảng viên trên toàn Đảng bộ, vượt hạn mức “Hoàn thành xuất sắc” là 1 (2% của 62 đảng viên "
        "xếp mức “Hoàn thành tốt nhiệm vụ”) (quy tắc han_muc_xuat_sac.cap_nam)"
    )


def test_excellent_over_a_cell_quota_is_refused_when_the_cell_is_the_level(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "dang-bo.yaml", "vuot_han_muc: dang_uy_quyet_dinh", "vuot_han_muc: tu_choi")
    rules = ws / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", rules)
    edit_yaml(rules, "  cap_nam: dang_bo\n", "  cap_nam: chi_bo\n")
    edit_yaml(rules, "  ty_le: 20\n", "  ty_le: 4\n")
    edit_yaml(ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")
    assert refused(runner) == [
        f"Lỗi: data/chi-bo/{cell}/{folder}/nam.yaml:{line}:5: bao_cao_nam.dang_vien: đề xuất “Hoàn "
        f"thành xuất sắc” cho 1 đảng viên ({name}) vượt hạn mức “Hoàn thành xuất sắc” là 0 "
        f"(4% của {base} đảng viên xếp mức “Hoàn thành tốt nhiệm vụ”) (quy tắc han_muc_xuat_sac)"
        for cell, folder, line, name, base in [
            ("co-quan-phuong", "2026", 22, "Dương Văn Dũng", 16),
            ("to-dan-pho-5", "2026", 26, "Đinh Minh Hoa", 23),
            ("truong-tieu-hoc-hoa-sua", "2025-2026", 24, "Kiều Minh Vinh", 13),
        ]
    ]


def test_cell_proposal_above_the_rules_is_refused(runner: CliRunner, ws: Path) -> None:
    path = ws.parent / "data/chi-bo/to-dan-pho-5/2026/nam.yaml"
    edit_yaml(path, "  chi_bo:\n    de_xuat: hoan_thanh\n", "  chi_bo:\n    de_xuat: tot\n")
    (line,) = refused(runner)
    assert line.startswith(
        "Lỗi: data/chi-bo/to-dan-pho-5/2026/nam.yaml:24:14: bao_cao_nam.chi_bo.de_xuat: Chi bộ tự đề "
        "xuất “Hoàn thành tốt nhiệm vụ” không đúng quy định: không đạt điều kiện mức “Hoàn thành tốt "
        "nhiệm vụ”: cần 100% nhiệm vụ đúng hạn, đạt 28/30 = 93,3%"
    )
    assert "(quy tắc dieu_kien.tap_the.tot)" in line


def test_committee_cannot_recognise_above_the_rules(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "2026/tong-hop-nam.yaml", "      - chi_bo: to-dan-pho-5\n        muc: hoan_thanh\n",
              "      - chi_bo: to-dan-pho-5\n        muc: tot\n")
    (line,) = refused(runner, "tong-hop-nam")
    assert line == (
        "Lỗi: data/2026/tong-hop-nam.yaml:16:14: tong_hop_nam.cong_nhan.chi_bo[1].muc: mức “Hoàn thành "
        "tốt nhiệm vụ” cho Chi bộ Tổ dân phố số 5 cao hơn mức quy định cho phép “Hoàn thành nhiệm vụ”"
    )


def test_without_decisions_the_summary_is_a_draft(ws: Path, tmp_path: Path) -> None:
    path = ws / "2026/tong-hop-nam.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  cong_nhan:")], encoding="utf-8")
    result = render_documents(load_workspace(ws), "tong-hop-nam", year=2026, output_root=tmp_path)
    # A draft takes no number and never stands where the issued summary will.
    draft = tmp_path / "ngoc-ha/2026/tong-hop-nam-du-thao.docx"
    assert result.written == [draft]
    assert not (tmp_path / "ngoc-ha/2026/tong-hop-nam.docx").exists()
    dump = text_dump(draft)
    assert "DỰ THẢO" in dump
    assert "Số     -BC/ĐU |" in dump  # blank number, left for the office to fill in
    assert "(Dự thảo: tổng hợp theo đề xuất của các chi bộ; Đảng ủy chưa quyết định)" in dump
    assert "| Tổ dân phố số 5 | 3/4 quý | Hoàn thành | — | 1 | 23 | 2 | 0 | 2" in dump


def test_terminal_shows_forced_and_capped_levels(runner: CliRunner, ws: Path) -> None:
    result = render(runner)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("Ghi chú về xếp loại (theo quy định):")
    notes = lines[start + 1 :]
    assert "  Chi bộ Công an phường: Hoàng Hữu Tài: bị kỷ luật (khiển trách) trong kỳ nên xếp “Không hoàn thành nhiệm vụ”" in notes
    assert any("Ngô Phương Hằng: nghỉ ốm 3 tháng" in n for n in notes)
    assert not any("miễn sinh hoạt" in n for n in notes)


def test_lowest_quarter_aggregator(ws: Path, tmp_path: Path) -> None:
    rules = ws / "quy-tac.yaml"
    shutil.copy(REPO / "rules/qd366-2025.yaml", rules)
    edit_yaml(rules, "gop_quy_thanh_nam: trung_binh", "gop_quy_thanh_nam: thap_nhat")
    # Lương Thị Ngân (admitted 15/06/2026) is classified only when the months count to 31/12.
    edit_yaml(rules, "tinh_den: ngay_hop", "tinh_den: cuoi_ky")
    edit_yaml(ws / "dang-bo.yaml", "bo_quy_tac: qd366-2025", "bo_quy_tac: quy-tac.yaml")
    cells = ["to-dan-pho-5", "truong-tieu-hoc-hoa-sua"]
    render_documents(load_workspace(ws), "bao-cao-nam", year=2026, cells=cells, output_root=tmp_path)
    rows = {r[1]: r for cell in cells for r in annex(tmp_path / "ngoc-ha", cell)}
    assert rows["Tạ Diệu Thảo"][4] == ""  # four quarters, like the others: no note
    # a score over fewer quarters than the others' says how it was made
    assert rows["Lương Thị Ngân"][4] == "Đảng viên dự bị; điểm thấp nhất 1 quý"


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_the_annual_documents(out: Path, tmp_path: Path) -> None:
    files = [tmp_path / "cell.docx", tmp_path / "ward.docx"]
    shutil.copy(out / "cong-an-phuong/2026/bao-cao-nam.docx", files[0])
    shutil.copy(out / "2026/tong-hop-nam.docx", files[1])
    cell_pdf, ward_pdf = convert_to_pdf(files, tmp_path)
    cell_text = pdf_text(cell_pdf)
    assert "PHỤ LỤC" in cell_text and "CHI BỘ CÔNG AN PHƯỜNG" in cell_text
    assert "ĐẢNG ỦY PHƯỜNG NGỌC HÀ" in pdf_text(ward_pdf)
