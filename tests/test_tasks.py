"""Task assignment: validation, the status rules, the notice/resolution and the progress view."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.docxread import text_dump
from docgen.models.tasks import NhiemVu
from docgen.pipeline import render_documents
from docgen.rules.tasks import count_tasks, needs_attention, task_status
from docgen.workspace import load_workspace
from tests.conftest import (
    SAMPLE,
    SAMPLE_CELLS,
    convert_to_pdf,
    edit_yaml,
    needs_libreoffice,
    pdf_text,
)

TDP = "data/chi-bo/to-dan-pho-5/2026/phan-cong.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def task(**kw: object) -> NhiemVu:
    base = {"dang_vien": "dv01", "noi_dung": "x", "thoi_han": date(2026, 6, 30)}
    return NhiemVu.model_validate({**base, **kw})


# ---------------------------------------------------------------- status rules


@pytest.mark.parametrize(
    ("fields", "as_of", "expected"),
    [
        # done on time
        ({"trang_thai": "hoan_thanh", "ngay_hoan_thanh": date(2026, 6, 30)}, date(2026, 9, 30),
         (True, True, False, False, None, None)),
        # done late
        ({"trang_thai": "hoan_thanh", "ngay_hoan_thanh": date(2026, 7, 1)}, date(2026, 9, 30),
         (True, False, True, False, None, None)),
        # exceeded
        ({"trang_thai": "hoan_thanh_vuot", "ngay_hoan_thanh": date(2026, 6, 1)}, date(2026, 9, 30),
         (True, True, False, True, None, None)),
        # in progress, deadline passed -> late, overdue days counted
        ({"trang_thai": "dang_thuc_hien"}, date(2026, 7, 10), (False, False, True, False, 10, None)),
        # in progress, deadline ahead
        ({"trang_thai": "dang_thuc_hien"}, date(2026, 6, 20), (False, False, False, False, None, 10)),
        # marked overdue by the secretary before the deadline
        ({"trang_thai": "qua_han"}, date(2026, 6, 1), (False, False, True, False, None, 29)),
        # recurring, no deadline: being carried out counts as done for the period
        ({"thoi_han": None, "thuong_xuyen": True, "trang_thai": "dang_thuc_hien"}, date(2026, 12, 31),
         (True, True, False, False, None, None)),
        ({"thoi_han": None, "thuong_xuyen": True, "trang_thai": "chua_thuc_hien"}, date(2026, 12, 31),
         (False, False, False, False, None, None)),
        ({"thoi_han": None, "thuong_xuyen": True, "trang_thai": "qua_han"}, date(2026, 12, 31),
         (False, False, True, False, None, None)),
    ],
)
def test_task_status(fields: dict, as_of: date, expected: tuple) -> None:
    s = task_status(task(**fields), as_of)
    assert (s.done, s.on_time, s.late, s.exceeded, s.days_overdue, s.days_left) == expected


def test_count_tasks_for_a_quarter() -> None:
    tasks = [
        task(thoi_han=date(2026, 7, 15), trang_thai="hoan_thanh", ngay_hoan_thanh=date(2026, 7, 1)),
        task(thoi_han=date(2026, 8, 15), trang_thai="hoan_thanh_vuot", ngay_hoan_thanh=date(2026, 8, 1)),
        task(thoi_han=date(2026, 9, 15), trang_thai="hoan_thanh", ngay_hoan_thanh=date(2026, 9, 20)),
        task(thoi_han=date(2026, 9, 30), trang_thai="dang_thuc_hien"),
        task(thoi_han=date(2026, 9, 1), trang_thai="qua_han"),
        task(thoi_han=date(2026, 6, 30), trang_thai="hoan_thanh", ngay_hoan_thanh=date(2026, 6, 1)),  # Q2
        task(thoi_han=None, thuong_xuyen=True, trang_thai="hoan_thanh"),
    ]
    counts = count_tasks(tasks, date(2026, 7, 1), date(2026, 9, 30))
    assert (counts.assigned, counts.done, counts.on_time, counts.late, counts.exceeded) == (6, 4, 3, 2, 1)


def test_needs_attention_window() -> None:
    t = task(thoi_han=date(2026, 10, 10), trang_thai="chua_thuc_hien")
    assert needs_attention(t, date(2026, 9, 30), 14) is not None
    assert needs_attention(t, date(2026, 9, 25), 14) is None
    done = task(trang_thai="hoan_thanh", ngay_hoan_thanh=date(2026, 8, 1))
    assert needs_attention(done, date(2026, 9, 30), 14) is None


# ---------------------------------------------------------------- validation


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def check_errors(runner: CliRunner) -> list[str]:
    result = runner.invoke(cli, ["render", "phan-cong", "--nam", "2026", "-w", "data", "-o", "out"])
    assert result.exit_code == 1, result.output
    assert not Path("out").exists()
    return result.stderr.splitlines()[:-1]


def test_unknown_member_with_hint(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / TDP, "    - dang_vien: dv02\n", "    - dang_vien: dv002\n")
    assert check_errors(runner) == [
        f"Lỗi: {TDP}:16:18: phan_cong_nhiem_vu.nhiem_vu[2].dang_vien: không có đảng viên mã "
        "'dv002' trong data/chi-bo/to-dan-pho-5/dang-vien.yaml (có phải ý là 'dv02'?)"
    ]


def test_exempted_member(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / TDP, "    - dang_vien: dv02\n", "    - dang_vien: dv25\n")
    assert check_errors(runner) == [
        f"Lỗi: {TDP}:16:18: phan_cong_nhiem_vu.nhiem_vu[2].dang_vien: đảng viên Tạ Trọng Long "
        "(dv25) đang được miễn sinh hoạt đảng nên không thể giao nhiệm vụ"
    ]


def test_impossible_date(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / TDP, "      thoi_han: 2026-04-30\n", "      thoi_han: 2026-04-31\n")
    assert check_errors(runner) == [
        f"Lỗi: {TDP}:20:17: phan_cong_nhiem_vu.nhiem_vu[2].thoi_han: ngày '2026-04-31' không "
        "tồn tại (tháng 4 năm 2026 không có ngày 31)"
    ]


def test_task_without_deadline_must_be_recurring(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / TDP, "      thuong_xuyen: true\n      trang_thai: dang_thuc_hien\n    - dang_vien: dv02",
              "      trang_thai: dang_thuc_hien\n    - dang_vien: dv02")
    assert check_errors(runner) == [
        f"Lỗi: {TDP}:10:7: phan_cong_nhiem_vu.nhiem_vu[1]: nhiệm vụ chưa có thời hạn; ghi "
        "thoi_han, hoặc ghi thuong_xuyen: true nếu là nhiệm vụ thường xuyên"
    ]


def test_status_and_completion_date_must_agree(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / TDP, "      trang_thai: hoan_thanh_vuot\n      ngay_hoan_thanh: 2026-04-20\n",
              "      trang_thai: dang_thuc_hien\n      ngay_hoan_thanh: 2026-04-20\n")
    assert check_errors(runner) == [
        f"Lỗi: {TDP}:16:7: phan_cong_nhiem_vu.nhiem_vu[2]: có ngay_hoan_thanh nhưng trạng thái "
        "là 'dang_thuc_hien'; trạng thái phải là hoan_thanh hoặc hoan_thanh_vuot"
    ]


def test_deadline_before_issue_date(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / TDP, "      thoi_han: 2026-04-30\n", "      thoi_han: 2026-01-30\n")
    edit_yaml(ws.parent / TDP, "      ngay_hoan_thanh: 2026-04-20\n", "      ngay_hoan_thanh: 2026-01-22\n")
    assert check_errors(runner) == [
        f"Lỗi: {TDP}:20:17: phan_cong_nhiem_vu.nhiem_vu[2].thoi_han: thời hạn 30/01/2026 trước "
        "ngày ban hành 05/02/2026",
        f"Lỗi: {TDP}:22:24: phan_cong_nhiem_vu.nhiem_vu[2].ngay_hoan_thanh: ngày hoàn thành "
        "22/01/2026 trước ngày giao nhiệm vụ 05/02/2026",
    ]


def test_unknown_status(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / TDP, "      trang_thai: hoan_thanh_vuot\n", "      trang_thai: xong\n")
    (line,) = check_errors(runner)
    assert line.endswith(
        "trang_thai: giá trị 'xong' không hợp lệ; chỉ được là: 'chua_thuc_hien', "
        "'dang_thuc_hien', 'hoan_thanh', 'hoan_thanh_vuot', 'qua_han'"
    )


def test_resolution_needs_its_meeting(runner: CliRunner, ws: Path) -> None:
    path = ws / "chi-bo/cong-an-phuong/2026/phan-cong.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  hoi_nghi:"), text.index("  nhiem_vu:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert check_errors(runner) == [
        "Lỗi: data/chi-bo/cong-an-phuong/2026/phan-cong.yaml:6:3: phan_cong_nhiem_vu: nghị quyết "
        "phải ghi hoi_nghi (ngày họp, số đảng viên có mặt) của hội nghị chi bộ"
    ]


def test_attendance_above_membership(runner: CliRunner, ws: Path) -> None:
    path = ws / "chi-bo/cong-an-phuong/2026/phan-cong.yaml"
    edit_yaml(path, "    so_co_mat: 9\n", "    so_co_mat: 12\n")
    assert check_errors(runner) == [
        "Lỗi: data/chi-bo/cong-an-phuong/2026/phan-cong.yaml:13:16: phan_cong_nhiem_vu.hoi_nghi."
        "so_co_mat: số có mặt (12) cộng số vắng (1) là 13, nhiều hơn số đảng viên phải dự họp (10)"
    ]


def test_same_number_twice_in_a_year(runner: CliRunner, ws: Path) -> None:
    folder = ws / "chi-bo/to-dan-pho-5/2026"
    (folder / "phan-cong-2.yaml").write_text(
        (folder / "phan-cong.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert check_errors(runner) == [
        "Lỗi: data/chi-bo/to-dan-pho-5/2026/phan-cong.yaml:6:7: phan_cong_nhiem_vu.so: số 1 đã "
        "dùng cho data/chi-bo/to-dan-pho-5/2026/phan-cong-2.yaml (mỗi văn bản cùng loại cần một số riêng)"
    ]


# ---------------------------------------------------------------- documents


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pc")
    render_documents(load_workspace(SAMPLE), "phan-cong", year=2026, output_root=root)
    return root


@pytest.mark.parametrize("cell", SAMPLE_CELLS)
def test_golden(out: Path, cell: str, golden) -> None:
    golden(f"phan-cong-{cell}.txt", text_dump(out / "ngoc-ha" / cell / "2026" / "phan-cong.docx"))


# The role under the name; "Ghi chú" dropped, no task of the sample having a note (issue 18).
HEADER = [
    "STT",
    "Họ và tên, chức vụ",
    "Nhiệm vụ được phân công",
    "Địa bàn, đối tượng phụ trách",
    "Sản phẩm",
    "Thời hạn",
]


@pytest.mark.parametrize("cell", SAMPLE_CELLS)
def test_table_read_back(out: Path, cell: str) -> None:
    import yaml

    folder = load_workspace(SAMPLE).cell_year_dir(cell, 2026)  # 2025-2026 for the school cell
    tasks = yaml.safe_load((folder / "phan-cong.yaml").read_text())[
        "phan_cong_nhiem_vu"
    ]["nhiem_vu"]
    document = docx.Document(str(out / "ngoc-ha" / cell / "2026" / "phan-cong.docx"))
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == HEADER
    assert len(table.rows) == len(tasks) + 1
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in table.rows[1:])
    assert [r.cells[0].text for r in table.rows[1:]] == [str(i) for i in range(1, len(tasks) + 1)]
    widths = [int(g.get(f"{W}w")) for g in table._tbl.tblGrid.findall(f"{W}gridCol")]
    section = document.sections[0]
    assert sum(widths) * 635 == section.page_width - section.left_margin - section.right_margin


def test_notice_and_resolution_titles(out: Path) -> None:
    notice = docx.Document(str(out / "ngoc-ha/to-dan-pho-5/2026/phan-cong.docx"))
    resolution = docx.Document(str(out / "ngoc-ha/cong-an-phuong/2026/phan-cong.docx"))
    assert notice.tables[0].cell(1, 0).text == "Số 01-TB/CB"
    assert resolution.tables[0].cell(1, 0).text == "Số 01-NQ/CB"
    titles = [p.text for p in notice.paragraphs if p.style.style_id == "TenLoai"]
    assert titles == ["THÔNG BÁO"]
    titles = [p.text for p in resolution.paragraphs if p.style.style_id == "TenLoai"]
    assert titles == ["NGHỊ QUYẾT"]
    assert "CHI BỘ QUYẾT NGHỊ:" in [p.text for p in resolution.paragraphs]
    assert (
        "- Căn cứ kết quả hội nghị Chi bộ ngày 02/02/2026 (có mặt 9/10 đồng chí đảng viên)."
        in [p.text for p in resolution.paragraphs]
    )


def forty_member_cell(root: Path) -> Path:
    """A copy of the sample with a 40-member cell, each with one task."""
    import shutil

    ws = root / "data"
    shutil.copytree(SAMPLE, ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    roster = ["dang_vien:"]
    tasks = []
    for i in range(1, 41):
        roster += [
            f"  - ma: dv{i:02d}",
            f"    ho_ten: Đảng Viên Thứ {i}",
            "    gioi_tinh: nam",
            "    nam_sinh: 1970",
            "    loai_dang_vien: chinh_thuc",
            "    ngay_vao_dang: 2000-01-01",
        ]
        tasks += [
            f"    - dang_vien: dv{i:02d}",
            f"      noi_dung: Nhiệm vụ số {i} về vận động nhân dân giữ gìn vệ sinh môi trường",
            f"      dia_ban: Nhóm hộ số {i}",
            "      san_pham: Biên bản kết quả",
            "      thoi_han: 2026-06-30",
        ]
    cell = ws / "chi-bo/to-dan-pho-5"
    (cell / "dang-vien.yaml").write_text("\n".join(roster) + "\n", encoding="utf-8")
    (cell / "chi-bo.yaml").write_text(
        "chi_bo:\n  ten: Chi bộ Tổ dân phố số 5\n  loai_chi_bo: dia_ban_dan_cu\n  bi_thu: dv01\n",
        encoding="utf-8",
    )
    (cell / "2026/ke-hoach.yaml").unlink()
    (cell / "2026/phan-cong.yaml").write_text(
        "phan_cong_nhiem_vu:\n  so: 3\n  ngay_ban_hanh: 2026-02-05\n  nhiem_vu:\n" + "\n".join(tasks) + "\n",
        encoding="utf-8",
    )
    return ws


@pytest.mark.libreoffice
@needs_libreoffice
def test_forty_members_make_a_clean_multipage_table(tmp_path: Path) -> None:
    ws = forty_member_cell(tmp_path)
    render_documents(load_workspace(ws), "phan-cong", year=2026, cells=["to-dan-pho-5"], output_root=tmp_path / "out")
    path = tmp_path / "out/ngoc-ha/to-dan-pho-5/2026/phan-cong.docx"
    table = docx.Document(str(path)).tables[1]
    assert len(table.rows) == 41
    (pdf,) = convert_to_pdf([path], tmp_path)
    pages = pdf_text(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    table_pages = [p for p in pages if "Nhiệm vụ số" in p]
    assert len(table_pages) >= 3
    for page in table_pages:  # the header row repeats on every page the table spans
        assert "Nhiệm vụ được" in page and "Thời hạn" in page
    text = "\n".join(pages)
    for i in range(1, 41):  # the number ends the cell's first line or not, as the column wraps
        assert re.search(rf"Nhiệm vụ số {i}(?!\d)", text), i


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_the_assignments(out: Path, tmp_path: Path) -> None:
    import shutil

    files = []
    for cell in SAMPLE_CELLS:
        target = tmp_path / f"{cell}.docx"
        shutil.copy(out / "ngoc-ha" / cell / "2026" / "phan-cong.docx", target)
        files.append(target)
    for pdf in convert_to_pdf(files, tmp_path):
        text = pdf_text(pdf)
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert ("THÔNG BÁO" in text) or ("NGHỊ QUYẾT" in text)


# ---------------------------------------------------------------- progress view


def test_progress_at_a_fixed_date(runner: CliRunner, ws: Path) -> None:
    # dv02's task (due 30/04) is still in progress; dv27's (due 31/05) is marked overdue.
    edit_yaml(ws.parent / TDP, "      trang_thai: hoan_thanh_vuot\n      ngay_hoan_thanh: 2026-04-20\n",
              "      trang_thai: dang_thuc_hien\n")
    text = (ws.parent / TDP).read_text(encoding="utf-8")
    start = text.index("    - dang_vien: dv27\n")
    block = text[start:text.index("    - dang_vien:", start + 10)]
    assert "thoi_han: 2026-05-31" in block and "trang_thai: hoan_thanh\n" in block
    fixed = block.replace("trang_thai: hoan_thanh\n", "trang_thai: qua_han\n")
    fixed = "\n".join(line for line in fixed.split("\n") if "ngay_hoan_thanh" not in line)
    (ws.parent / TDP).write_text(text.replace(block, fixed), encoding="utf-8")
    result = runner.invoke(
        cli, ["progress", "--chi-bo", "to-dan-pho-5", "--ngay", "15/11/2026", "--so-ngay", "20", "-w", "data"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Nhiệm vụ quá hạn hoặc đến hạn trong 20 ngày, tính đến ngày 15/11/2026."
    assert lines[2] == "Chi bộ Tổ dân phố số 5:"
    assert lines[3].split() == ["STT", "Đảng", "viên", "Nhiệm", "vụ", "Thời", "hạn", "Tình", "trạng"]
    names = [line[7:24].strip() for line in lines[4:-2]]
    assert names == ["Đinh Minh Hoa", "Ngô Văn Hùng", "Nguyễn Thúy Mai", "Kiều Trọng Tuấn"]
    assert "30/04/2026" in lines[4] and lines[4].endswith("quá hạn 199 ngày")
    assert "31/05/2026" in lines[5] and lines[5].endswith("quá hạn 168 ngày")
    assert lines[6].endswith("30/11/2026  còn 15 ngày")
    assert lines[-1] == "Tổng cộng: 2 nhiệm vụ quá hạn, 2 nhiệm vụ sắp đến hạn."


def test_progress_of_a_year_without_assignments_says_so(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["progress", "--chi-bo", "to-dan-pho-5", "--ngay", "01/01/2030", "-w", "data"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2] == (
        "Chi bộ Tổ dân phố số 5: chưa có tệp phân công nhiệm vụ năm 2030 "
        "(data/chi-bo/to-dan-pho-5/2030/phan-cong*.yaml)."
    )
