"""Minutes (biên bản) of the cell meetings: which meetings, defaults, numbering, located
errors, golden text, the audit's minutes layout and LibreOffice."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.audit import audit_bytes, audit_file
from docgen.cli import cli
from docgen.documents import get_kind
from docgen.docxread import text_dump
from docgen.pipeline import render_documents
from docgen.resources import profile
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE, convert_to_pdf, edit_yaml, needs_libreoffice, pdf_text
from tests.wordedit import edit_part, replace

TDP = "data/chi-bo/to-dan-pho-5"
SCHOOL = "data/chi-bo/truong-tieu-hoc-hoa-sua"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bien-ban")
    render_documents(load_workspace(SAMPLE), "bien-ban", year=2026, output_root=root)
    return root / "ngoc-ha"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def render(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["render", "bien-ban", "--nam", "2026", "-w", "data", "-o", "out", *args])


def refused(runner: CliRunner, *args: str) -> list[str]:
    result = render(runner, *args)
    assert result.exit_code == 1, result.output
    assert not Path("out").exists()
    return result.stderr.splitlines()[:-1]


def test_one_minutes_per_resolution_quarter_and_year(out: Path) -> None:
    names = {cell.name: sorted(p.name for p in (cell / "2026").iterdir()) for cell in out.iterdir()}
    quarters = [f"bien-ban-quy-{q}.docx" for q in range(1, 5)]
    # resolutions (hinh_thuc: nghi_quyet) only in the school and the police cells
    assert names["to-dan-pho-5"] == sorted(["bien-ban-nam.docx", *quarters])
    assert names["truong-tieu-hoc-hoa-sua"] == sorted(["bien-ban-nam.docx", "bien-ban-phan-cong.docx", *quarters])
    assert names["cong-an-phuong"] == names["truong-tieu-hoc-hoa-sua"]


@pytest.mark.parametrize(
    "cell,name",
    [
        ("to-dan-pho-5", "bien-ban-quy-3"),
        ("to-dan-pho-5", "bien-ban-nam"),
        ("truong-tieu-hoc-hoa-sua", "bien-ban-phan-cong"),
        ("co-quan-phuong", "bien-ban-quy-2"),
    ],
)
def test_minutes_text(out: Path, cell: str, name: str, golden) -> None:
    golden(f"{name}-{cell}.txt", text_dump(out / cell / "2026" / f"{name}.docx"))


def test_numbers_follow_the_meeting_dates(out: Path) -> None:
    school = out / "truong-tieu-hoc-hoa-sua/2026"
    numbers = {
        p.stem: next(line for line in text_dump(p).splitlines() if "-BB/CB" in line)
        for p in school.glob("*.docx")
    }
    # resolution meeting 03/02 first, then the quarters, then the year
    assert "Số 01-BB/CB" in numbers["bien-ban-phan-cong"]
    assert "Số 02-BB/CB" in numbers["bien-ban-quy-1"]
    assert "Số 05-BB/CB" in numbers["bien-ban-quy-4"]
    assert "Số 06-BB/CB" in numbers["bien-ban-nam"]


def test_defaults_come_from_the_quarter_meetings(out: Path) -> None:
    # no danh_gia_quy mark: the last meeting on or before the report's date (02/12 of quy-4)
    text = text_dump(out / "co-quan-phuong/2026/bien-ban-quy-4.docx")
    assert "Thời gian: vào hồi 14 giờ 00 phút, ngày 02 tháng 12 năm 2026." in text
    assert "Địa điểm: Phòng họp tầng 2, trụ sở Ủy ban nhân dân phường." in text
    assert "Các đồng chí dự họp nhất trí với nội dung đã trình bày, không có ý kiến khác." in text
    assert "Hội nghị kết thúc vào hồi 16 giờ 00 phút cùng ngày;" in text
    # the year's meeting defaults to the last meeting of quarter IV before the annual report
    year = text_dump(out / "co-quan-phuong/2026/bien-ban-nam.docx")
    assert "Thời gian: vào hồi 14 giờ 00 phút, ngày 02 tháng 12 năm 2026." in year
    assert "Số 05-BB/CB" in year  # numbered after the quarter-IV minutes of the same day


def test_only_one_quarter_with_quy(runner: CliRunner, ws: Path) -> None:
    result = render(runner, "--quy", "3", "--chi-bo", "to-dan-pho-5")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path("out").rglob("*.docx")) == ["bien-ban-quy-3.docx"]


def test_the_classification_vote_follows_the_evaluation(out: Path) -> None:
    text = text_dump(out / "to-dan-pho-5/2026/bien-ban-nam.docx")
    # dv02 proposed "xuất sắc" in nam.yaml; the rules allow it; the vote table says so
    assert "| Đinh Minh Hoa | Hoàn thành xuất sắc nhiệm vụ | 24/24 | 0" in text
    # exempted members are not voted on
    assert "Đặng Quang Dũng" not in text


def test_vote_per_member_and_opinions_from_data(runner: CliRunner, ws: Path) -> None:
    edit_yaml(
        ws / "chi-bo/to-dan-pho-5/2026/nam.yaml",
        '    gio_ket_thuc: "11:30"\n',
        '    gio_ket_thuc: "11:30"\n    bieu_quyet:\n      - dang_vien: dv02\n        khong_tan_thanh: 3\n',
    )
    assert render(runner, "--chi-bo", "to-dan-pho-5").exit_code == 0
    text = text_dump(Path("out/ngoc-ha/to-dan-pho-5/2026/bien-ban-nam.docx"))
    assert "| Đinh Minh Hoa | Hoàn thành xuất sắc nhiệm vụ | 21/24 | 3" in text
    assert "Mức xếp loại của 26 đồng chí đảng viên: theo bảng dưới." in text


def test_meeting_errors_are_located(runner: CliRunner, ws: Path) -> None:
    q3 = ws / "chi-bo/to-dan-pho-5/2026/quy-3.yaml"
    edit_yaml(q3, '      gio_ket_thuc: "21:15"\n', '      gio_ket_thuc: "21:15"\n      chu_tri: dv22\n      thu_ky: dv99\n')
    edit_yaml(q3, "          tan_thanh: 22\n", "          tan_thanh: 23\n")
    edit_yaml(q3, "        - dang_vien: dv17\n", "        - dang_vien: dv71\n")
    lines = refused(runner, "--chi-bo", "to-dan-pho-5")
    assert lines == [
        f"Lỗi: {TDP}/2026/quy-3.yaml:36:16: bao_cao_quy.buoi_sinh_hoat[4].chu_tri: đồng chí Ngô Kim Nga "
        "(dv22) vắng mặt trong buổi họp này",
        f"Lỗi: {TDP}/2026/quy-3.yaml:37:15: bao_cao_quy.buoi_sinh_hoat[4].thu_ky: không có đảng viên mã "
        f"'dv99' trong {TDP}/dang-vien.yaml (có phải ý là 'dv19'?)",
        f"Lỗi: {TDP}/2026/quy-3.yaml:43:22: bao_cao_quy.buoi_sinh_hoat[4].y_kien[2].dang_vien: không có "
        f"đảng viên mã 'dv71' trong {TDP}/dang-vien.yaml (có phải ý là 'dv27'?)",
        f"Lỗi: {TDP}/2026/quy-3.yaml:50:22: bao_cao_quy.buoi_sinh_hoat[4].bieu_quyet[2].tan_thanh: số tán "
        "thành (23) cộng số không tán thành (1) nhiều hơn số có mặt (23)",
    ]


def test_bad_times_and_two_evaluation_meetings(runner: CliRunner, ws: Path) -> None:
    q3 = ws / "chi-bo/to-dan-pho-5/2026/quy-3.yaml"
    edit_yaml(q3, '      gio_ket_thuc: "21:15"\n', '      gio_ket_thuc: "18:15"\n')
    edit_yaml(q3, '      gio_bat_dau: "19:30"\n', '      gio_bat_dau: "19:30"\n      dia_diem: 25h\n')
    lines = refused(runner, "--chi-bo", "to-dan-pho-5")
    assert lines == [
        f"Lỗi: {TDP}/2026/quy-3.yaml:23:7: bao_cao_quy.buoi_sinh_hoat[4]: giờ kết thúc (18:15) phải sau "
        "giờ bắt đầu (19:30)",
    ]
    edit_yaml(q3, '      gio_ket_thuc: "18:15"\n', '      gio_ket_thuc: 25h\n')
    edit_yaml(q3, "      chu_de: \"Phòng cháy", "      danh_gia_quy: true\n      chu_de: \"Phòng cháy")
    lines = refused(runner, "--chi-bo", "to-dan-pho-5")
    assert lines == [
        f"Lỗi: {TDP}/2026/quy-3.yaml:37:21: bao_cao_quy.buoi_sinh_hoat[4].gio_ket_thuc: '25h' không phải "
        'giờ trong ngày; viết dạng "14:00" hoặc 14h30',
    ]


def test_second_evaluation_mark_is_refused(runner: CliRunner, ws: Path) -> None:
    q3 = ws / "chi-bo/to-dan-pho-5/2026/quy-3.yaml"
    edit_yaml(q3, "      chu_de: \"Phòng cháy", "      danh_gia_quy: true\n      chu_de: \"Phòng cháy")
    assert refused(runner, "--chi-bo", "to-dan-pho-5") == [
        f"Lỗi: {TDP}/2026/quy-3.yaml:34:21: bao_cao_quy.buoi_sinh_hoat[4].danh_gia_quy: chỉ một buổi được "
        "ghi danh_gia_quy: true (đã ghi ở buổi thứ 3)",
    ]


def test_no_minute_taker_in_a_cell_without_committee(runner: CliRunner, ws: Path) -> None:
    cell = ws / "chi-bo/cong-an-phuong/chi-bo.yaml"
    edit_yaml(cell, "  pho_bi_thu: dv05\n", "")
    lines = refused(runner, "--chi-bo", "cong-an-phuong", "--quy", "1")
    assert lines[0] == (
        "Lỗi: data/chi-bo/cong-an-phuong/2026/quy-1.yaml:"
        + lines[0].split("quy-1.yaml:")[1].split(":")[0]
        + ":7: bao_cao_quy.buoi_sinh_hoat["
        + lines[0].split("buoi_sinh_hoat[")[1].split("]")[0]
        + "]: chưa biết ai ghi biên bản: ghi thu_ky (mã đảng viên làm thư ký hội nghị) (mặc định là "
        "một chi ủy viên có mặt; chi bộ chưa có chi ủy viên nào khác người chủ trì)"
    )


def test_a_vote_on_a_member_not_rated_is_refused(runner: CliRunner, ws: Path) -> None:
    edit_yaml(
        ws / "chi-bo/truong-tieu-hoc-hoa-sua/2025-2026/phan-cong.yaml",
        '    gio_ket_thuc: "18:00"\n',
        '    gio_ket_thuc: "18:00"\n    bieu_quyet:\n      - dang_vien: dv03\n',
    )
    assert refused(runner, "--chi-bo", "truong-tieu-hoc-hoa-sua") == [
        f"Lỗi: {SCHOOL}/2025-2026/phan-cong.yaml:18:20: phan_cong_nhiem_vu.hoi_nghi.bieu_quyet[1].dang_vien: "
        "đồng chí Ngô Thanh Sơn (dv03) không được biểu quyết xếp loại ở hội nghị này (hội nghị thông "
        "qua nghị quyết không xếp loại)",
    ]


def test_year_meeting_checked(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/nam.yaml", "    ngay: 2026-12-18\n", "    ngay: 2026-12-28\n")
    assert refused(runner, "--chi-bo", "to-dan-pho-5") == [
        f"Lỗi: {TDP}/2026/nam.yaml:32:11: bao_cao_nam.hoi_nghi.ngay: ngày họp 28/12/2026 phải trong năm "
        "2026 và không sau ngày ban hành báo cáo 22/12/2026",
    ]


def test_missing_place_is_a_warning(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/co-quan-phuong/chi-bo.yaml", "  dia_diem_hop: Phòng họp tầng 2, trụ sở Ủy ban nhân dân phường\n", "")
    result = render(runner, "--chi-bo", "co-quan-phuong", "--quy", "2")
    assert result.exit_code == 0, result.output
    assert "Cảnh báo: data/chi-bo/co-quan-phuong/2026/quy-2.yaml: buổi họp ngày" in result.stderr
    text = text_dump(Path("out/ngoc-ha/co-quan-phuong/2026/bien-ban-quy-2.docx"))
    assert "[NoiDung] Địa điểm: ……………" in text  # a dotted line to write the place by hand


# ------------------------------------------------------------------ audit


def test_every_minutes_passes_the_audit(out: Path) -> None:
    paths = sorted(out.rglob("*.docx"))
    assert len(paths) == 22
    for path in paths:
        assert [d.format() for d in audit_file(path)] == [], path


@pytest.fixture(scope="module")
def minutes(out: Path) -> bytes:
    return (out / "to-dan-pho-5/2026/bien-ban-quy-3.docx").read_bytes()


DOC = "word/document.xml"


@pytest.mark.parametrize(
    "change,rule,fragment",
    [
        (replace(">THƯ KÝ<", ">T/M CHI BỘ<"), "bien_ban", "biên bản ký «T/M CHI»"),
        (
            lambda x: x.replace(">THƯ KÝ<", ">@@<").replace(">CHỦ TRÌ<", ">THƯ KÝ<").replace(">@@<", ">CHỦ TRÌ<"),
            "bien_ban.chu_ky_trai",
            "hai chữ ký đổi chỗ",
        ),
        (replace("Số 03-BB/CB", "Số: 03-BB/CB"), "tieu_de.so_ky_hieu", "có dấu hai chấm"),
        (replace(">BIÊN BẢN<", ">THÔNG BÁO<"), "chu_ky", "khối chữ ký"),
    ],
    ids=["t-m", "swapped", "number-colon", "not-minutes"],
)
def test_minutes_deviations(minutes: bytes, change, rule: str, fragment: str) -> None:
    found = audit_bytes(edit_part(minutes, DOC, change), profile())
    assert any(d.rule == rule and fragment in d.format() for d in found), [d.format() for d in found]


def test_a_plan_without_its_date_line_is_still_caught(out: Path) -> None:
    # the minutes' exemption is theirs only: a THÔNG BÁO with the minutes' header is wrong
    found = audit_bytes(edit_part((out / "to-dan-pho-5/2026/bien-ban-quy-3.docx").read_bytes(), DOC,
                                  replace(">BIÊN BẢN<", ">THÔNG BÁO<")), profile())
    assert any(d.rule == "tieu_de.dia_danh_ngay" for d in found)
    assert any(d.rule == "noi_nhan" for d in found)


# ------------------------------------------------------------------ LibreOffice


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_the_minutes(out: Path, tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "bien-ban.docx"
    shutil.copy(out / "to-dan-pho-5/2026/bien-ban-quy-3.docx", src)
    (pdf,) = convert_to_pdf([src], tmp_path)
    text = pdf_text(pdf)
    for line in ("CHI BỘ TỔ DÂN PHỐ SỐ 5", "Số 03-BB/CB", "BIÊN BẢN", "THƯ KÝ", "CHỦ TRÌ",
                 "Tô Trọng Kiên", "Đặng Quang Trung", "Mức xếp loại"):
        assert line in text, line
    assert "Nơi nhận" not in text and "T/M" not in text and "ngày 05 tháng 9 năm 2026" in text


def test_a_member_exempt_from_meetings_cannot_chair(runner: CliRunner, ws: Path) -> None:
    q3 = ws / "chi-bo/to-dan-pho-5/2026/quy-3.yaml"
    # dv09 is exempted from party activity since 2023 (dang-vien.yaml)
    edit_yaml(q3, '      gio_ket_thuc: "21:15"\n', '      gio_ket_thuc: "21:15"\n      chu_tri: dv09\n')
    assert refused(runner, "--chi-bo", "to-dan-pho-5", "--quy", "3") == [
        f"Lỗi: {TDP}/2026/quy-3.yaml:36:16: bao_cao_quy.buoi_sinh_hoat[4].chu_tri: đồng chí Đặng Quang "
        "Dũng (dv09) không dự họp ngày 05/09/2026 (chưa vào Đảng, đang miễn hoặc bị đình chỉ sinh hoạt)",
    ]


def test_a_resolution_meeting_years_before_is_refused(runner: CliRunner, ws: Path) -> None:
    path = ws / "chi-bo/truong-tieu-hoc-hoa-sua/2025-2026/phan-cong.yaml"
    edit_yaml(path, "    ngay: 2025-10-03\n", "    ngay: 2020-02-03\n")
    assert refused(runner, "--chi-bo", "truong-tieu-hoc-hoa-sua") == [
        f"Lỗi: {SCHOOL}/2025-2026/phan-cong.yaml:10:11: phan_cong_nhiem_vu.hoi_nghi.ngay: ngày họp 03/02/2020 "
        "quá xa nghị quyết năm học 2025-2026 (hội nghị họp trong năm học 2024-2025 hoặc năm học 2025-2026) "
        "(có gõ nhầm năm?)",
        # and, counted at that date, the roster was smaller
        f"Lỗi: {SCHOOL}/2025-2026/phan-cong.yaml:11:16: phan_cong_nhiem_vu.hoi_nghi.so_co_mat: số có mặt (13) "
        "cộng số vắng (1) là 14, nhiều hơn số đảng viên phải dự họp (9)",
    ]


def test_a_quarter_s_minutes_do_not_depend_on_the_year_file(runner: CliRunner, ws: Path) -> None:
    (ws / "chi-bo/to-dan-pho-5/2026/nam.yaml").write_text("bao_cao_nam: [hỏng\n", encoding="utf-8")
    result = render(runner, "--quy", "3", "--chi-bo", "to-dan-pho-5")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path("out").rglob("*.docx")) == ["bien-ban-quy-3.docx"]


def test_minutes_list_every_file_their_evaluation_read() -> None:
    """The sources feed the manifest and the register's "same document" check: minutes whose
    ratings come from the assignments, the quarters and the rule set must name them all."""
    ws = load_workspace(SAMPLE)
    cell = ws.load_cell("to-dan-pho-5")
    items = {i.output.name: i for i in get_kind("bien-ban").prepare(ws, cell, 2026, None)}
    year_dir = cell.year_dir(2026)
    year = [p.resolve() for p in items["bien-ban-nam.docx"].sources]
    assert ws.rules_path.resolve() in year
    for path in [*year_dir.glob("phan-cong*.yaml"), *year_dir.glob("quy-*.yaml")]:
        assert path.resolve() in year, path
    quarter = [p.resolve() for p in items["bien-ban-quy-2.docx"].sources]
    assert quarter[-1] == (year_dir / "quy-2.yaml").resolve()  # the meeting's own file last
    assert (year_dir / "phan-cong.yaml").resolve() in quarter
    assert (year_dir / "quy-3.yaml").resolve() not in quarter


def test_hours_not_typed_are_left_to_write_by_hand(runner: CliRunner, ws: Path) -> None:
    quarter = ws / "chi-bo/co-quan-phuong/2026/quy-4.yaml"
    edit_yaml(quarter, '      gio_bat_dau: "14:00"\n      gio_ket_thuc: "16:00"\n', "")
    result = render(runner, "--quy", "4", "--chi-bo", "co-quan-phuong")
    assert result.exit_code == 0, result.output
    assert (
        "Cảnh báo: data/chi-bo/co-quan-phuong/2026/quy-4.yaml: buổi họp ngày 02/12/2026 chưa ghi giờ bắt đầu, "
        "giờ kết thúc (gio_bat_dau, gio_ket_thuc); biên bản để chỗ trống để ghi tay"
    ) in result.stderr.splitlines()
    text = text_dump(Path("out/ngoc-ha/co-quan-phuong/2026/bien-ban-quy-4.docx"))
    assert "Thời gian: vào hồi …… giờ …… phút, ngày 02 tháng 12 năm 2026." in text
    assert "Hội nghị kết thúc vào hồi …… giờ …… phút cùng ngày;" in text
