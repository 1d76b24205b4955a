"""Every kind of bad input: one located Vietnamese line each, all at once, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from tests.conftest import edit_yaml

TDP = "data/chi-bo/to-dan-pho-5"


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def errors(runner: CliRunner, *args: str) -> list[str]:
    result = runner.invoke(cli, ["check", "-w", "data", *args])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("chưa tạo hay thay đổi tệp nào.")
    return lines[:-1]


def test_sample_is_valid(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["check", "-w", "data"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Dữ liệu hợp lệ: 4 chi bộ, 71 đảng viên; đủ dữ liệu cho 58 văn bản.\n"


def test_wrong_type_and_impossible_date_and_unknown_key(runner: CliRunner, ws: Path) -> None:
    plan = ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml"
    edit_yaml(plan, "  so: 1\n", "  so: một\n  trich_yue: x\n")
    edit_yaml(plan, "ngay_ban_hanh: 2026-01-05", "ngay_ban_hanh: 2026-02-30")
    assert errors(runner) == [
        f"Lỗi: {TDP}/2026/ke-hoach.yaml:5:7: ke_hoach.so: phải là số nguyên, nhận được 'một'",
        f"Lỗi: {TDP}/2026/ke-hoach.yaml:6:3: ke_hoach.trich_yue: khóa 'trich_yue' không được dùng "
        "ở đây (các khóa được phép: so, ngay_ban_hanh, can_cu, muc_dich, yeu_cau, chi_tieu, "
        "han_che, giai_phap, phan_cong, lich_trinh, bao_cao, nguoi_ky, noi_nhan)",
        f"Lỗi: {TDP}/2026/ke-hoach.yaml:7:18: ke_hoach.ngay_ban_hanh: ngày '2026-02-30' không "
        "tồn tại (tháng 2 năm 2026 không có ngày 30)",
    ]


def test_unknown_key_did_you_mean(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/dang-vien.yaml", "    ho_ten: Đinh Minh Hoa", "    ho_tn: Đinh Minh Hoa")
    assert errors(runner) == [
        f"Lỗi: {TDP}/dang-vien.yaml:13:5: dang_vien[2].ho_ten: thiếu trường bắt buộc",
        f"Lỗi: {TDP}/dang-vien.yaml:14:5: dang_vien[2].ho_tn: khóa 'ho_tn' không được dùng ở đây "
        "(có phải ý là 'ho_ten'?)",
    ]


def test_criterion_four_under_its_old_key_names_the_new_one(runner: CliRunner, ws: Path) -> None:
    """Criterion 4 is ``doi_ngu_dang_vien`` (``dang_vien`` means members): the old key in a
    plan, a quarter's results and a rule set is one located line naming the new key, with
    no "missing" line for the new key beside it."""
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "    doi_ngu_dang_vien:", "    dang_vien:")
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/quy-3.yaml", "    doi_ngu_dang_vien:", "    dang_vien:")
    rules = (Path(__file__).resolve().parents[1] / "rules" / "qd366-2025.yaml").read_text(encoding="utf-8")
    (ws / "quy-tac.yaml").write_text(rules.replace("  doi_ngu_dang_vien:", "  dang_vien:"), encoding="utf-8")
    edit_yaml(ws / "dang-bo.yaml", "  bo_quy_tac: qd366-2025", "  bo_quy_tac: quy-tac.yaml")
    renamed = "khóa 'dang_vien' đã được đổi tên thành 'doi_ngu_dang_vien' (sửa 'dang_vien:' thành 'doi_ngu_dang_vien:')"
    plan = f"Lỗi: {TDP}/2026/ke-hoach.yaml:18:5: ke_hoach.chi_tieu.dang_vien: {renamed}"
    line = rules.splitlines().index("  doi_ngu_dang_vien:") + 1  # the rule file's comments move it
    assert sorted(errors(runner)) == [plan, f"Lỗi: data/quy-tac.yaml:{line}:3: bon_tot.dang_vien: {renamed}"]
    edit_yaml(ws / "dang-bo.yaml", "  bo_quy_tac: quy-tac.yaml", "  bo_quy_tac: qd366-2025")
    assert errors(runner) == [plan, f"Lỗi: {TDP}/2026/quy-3.yaml:63:5: bao_cao_quy.ket_qua.dang_vien: {renamed}"]


def test_enum_and_duplicate_ids(runner: CliRunner, ws: Path) -> None:
    roster = ws / "chi-bo/to-dan-pho-5/dang-vien.yaml"
    edit_yaml(roster, "  - ma: dv12\n", "  - ma: dv11\n")
    edit_yaml(roster, "    loai_dang_vien: chinh_thuc", "    loai_dang_vien: chính thức")
    assert errors(runner) == [
        f"Lỗi: {TDP}/dang-vien.yaml:9:21: dang_vien[1].loai_dang_vien: giá trị 'chính thức' "
        "không hợp lệ; chỉ được là: 'chinh_thuc', 'du_bi'",
        f"Lỗi: {TDP}/dang-vien.yaml:96:9: dang_vien[12].ma: mã đảng viên 'dv11' bị trùng với "
        "mục thứ 11 (mỗi đảng viên cần một mã riêng)",
    ]


def test_an_empty_choice_says_it_is_not_written(runner: CliRunner, ws: Path) -> None:
    roster = ws / "chi-bo/to-dan-pho-5/dang-vien.yaml"
    edit_yaml(roster, "    loai_dang_vien: chinh_thuc", "    loai_dang_vien:")
    line = errors(runner)[0]
    assert line.endswith("dang_vien[1].loai_dang_vien: chưa ghi; chỉ được là: 'chinh_thuc', 'du_bi'")
    assert "giá trị giá trị" not in line


def test_unknown_member_reference_with_hint(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/chi-bo.yaml", "bi_thu: dv04", "bi_thu: dv4")
    assert errors(runner) == [
        f"Lỗi: {TDP}/chi-bo.yaml:6:11: chi_bo.bi_thu: không có đảng viên mã 'dv4' trong "
        f"{TDP}/dang-vien.yaml (có phải ý là 'dv04'?)",
    ]


def test_exempted_member_cannot_be_assigned(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "- dang_vien: dv03", "- dang_vien: dv09")
    assert errors(runner) == [
        f"Lỗi: {TDP}/2026/ke-hoach.yaml:35:18: ke_hoach.phan_cong[3].dang_vien: đảng viên "
        "Đặng Quang Dũng (dv09) đang được miễn sinh hoạt đảng nên không thể giao nhiệm vụ",
    ]


def test_signer_must_be_secretary_or_deputy(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/co-quan-phuong/2026/ke-hoach.yaml", "nguoi_ky: dv04", "nguoi_ky: dv10")
    assert errors(runner) == [
        "Lỗi: data/chi-bo/co-quan-phuong/2026/ke-hoach.yaml:4:13: ke_hoach.nguoi_ky: người ký "
        "'dv10' phải là bí thư (dv08) hoặc phó bí thư chi bộ (dv04)",
    ]


def test_issue_date_outside_the_plan_year(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/cong-an-phuong/2026/ke-hoach.yaml", "2026-01-12", "2024-12-30")
    assert errors(runner) == [
        "Lỗi: data/chi-bo/cong-an-phuong/2026/ke-hoach.yaml:3:18: ke_hoach.ngay_ban_hanh: ngày "
        "ban hành 30/12/2024 không hợp với kế hoạch năm 2026 (phải trong năm 2025 hoặc 2026)",
    ]


def test_missing_required_and_empty_list(runner: CliRunner, ws: Path) -> None:
    plan = ws / "chi-bo/cong-an-phuong/2026/ke-hoach.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index("  han_che:")
    end = text.index("  giai_phap:")
    plan.write_text(text[:start] + "  han_che: []\n" + text[end:], encoding="utf-8")
    edit_yaml(plan, "      - Không có đơn thư khiếu nại liên quan đến cán bộ, đảng viên\n", "")
    edit_yaml(plan, "      - Không để xảy ra vi phạm điều lệnh, kỷ luật của Ngành\n", "")
    assert errors(runner) == [
        "Lỗi: data/chi-bo/cong-an-phuong/2026/ke-hoach.yaml:11:14: ke_hoach.chi_tieu.doan_ket: "
        "không được để trống (cần ít nhất một mục)",
        "Lỗi: data/chi-bo/cong-an-phuong/2026/ke-hoach.yaml:15:12: ke_hoach.han_che: "
        "không được để trống (cần ít nhất một mục)",
    ]


def test_member_dates_inconsistent(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/cong-an-phuong/dang-vien.yaml", "nam_sinh: 1988", "nam_sinh: 2015")
    (line,) = errors(runner)
    assert line.startswith("Lỗi: data/chi-bo/cong-an-phuong/dang-vien.yaml:5:5: dang_vien[1]: năm sinh 2015 và ngày vào Đảng")
    assert line.endswith("không khớp (chưa đủ 18 tuổi)")


def test_cell_listed_without_folder(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "dang-bo.yaml", "    - cong-an-phuong\n", "    - cong-an-phuong\n    - cong-an-phuog\n")
    edit_yaml(ws / "dang-bo.yaml", "    - to-dan-pho-5\n", "    - to-dan-pho-5\n    - to-dan-pho-5\n")
    assert errors(runner) == [
        "Lỗi: data/dang-bo.yaml:26:7: dang_bo.chi_bo[2]: chi bộ 'to-dan-pho-5' được ghi hai lần",
        "Lỗi: data/dang-bo.yaml:30:7: dang_bo.chi_bo[6]: không có tệp "
        "data/chi-bo/cong-an-phuog/chi-bo.yaml (có phải ý là 'cong-an-phuong'?)",
    ]


def test_a_cell_folder_without_its_file_is_not_its_own_suggestion(runner: CliRunner, ws: Path) -> None:
    (ws / "chi-bo/cong-an-phuong/chi-bo.yaml").unlink()
    assert errors(runner) == [
        "Lỗi: data/dang-bo.yaml:28:7: dang_bo.chi_bo[4]: không có tệp data/chi-bo/cong-an-phuong/chi-bo.yaml"
    ]


def test_problems_from_several_files_reported_together(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/dang-vien.yaml", "gioi_tinh: nu", "gioi_tinh: nữ")
    edit_yaml(ws / "chi-bo/cong-an-phuong/2026/ke-hoach.yaml", "so: 1", "so: 0")
    lines = errors(runner)
    assert len(lines) == 2
    assert lines[0].startswith("Lỗi: data/chi-bo/cong-an-phuong/2026/ke-hoach.yaml:2:7: ke_hoach.so: phải lớn hơn hoặc bằng 1")
    assert lines[1].startswith(f"Lỗi: {TDP}/dang-vien.yaml:")
    assert "gioi_tinh: giá trị 'nữ' không hợp lệ; chỉ được là: 'nam', 'nu'" in lines[1]


def test_id_with_path_characters_refused(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "dang-bo.yaml", "ma: ngoc-ha", "ma: ../../etc")
    assert errors(runner) == [
        "Lỗi: data/dang-bo.yaml:4:7: dang_bo.ma: mã '../../etc' không hợp lệ: chỉ dùng chữ "
        "thường không dấu, số, '-' hoặc '_' (tối đa 64 ký tự)",
    ]


def test_multiline_where_single_line_expected(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/chi-bo.yaml", "ten: Chi bộ Tổ dân phố số 5", 'ten: "Chi bộ\\nTổ dân phố số 5"')
    assert errors(runner) == [
        f"Lỗi: {TDP}/chi-bo.yaml:4:8: chi_bo.ten: chỉ được viết trên một dòng (không xuống dòng)",
    ]


def test_dates_accept_vietnamese_order(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml", "2026-01-05", "05/01/2026")
    result = runner.invoke(cli, ["check", "-w", "data"])
    assert result.exit_code == 0, result.stderr


def test_year_outside_1900_2100_is_a_typing_mistake(runner: CliRunner, ws: Path) -> None:
    # 9999 used to pass the model and crash the quarterly report (date arithmetic overflow).
    edit_yaml(ws / "chi-bo/cong-an-phuong/dang-vien.yaml", "ngay_vao_dang: 2025-09-21", "ngay_vao_dang: 9999-09-21")
    assert errors(runner) == [
        "Lỗi: data/chi-bo/cong-an-phuong/dang-vien.yaml:81:20: dang_vien[10].ngay_vao_dang: ngày "
        "'9999-09-21' có năm 9999 không hợp lý (chỉ nhận năm 1900 đến 2100; có gõ nhầm năm?)",
    ]


def test_joined_before_the_party_was_founded(runner: CliRunner, ws: Path) -> None:
    roster = ws / "chi-bo/to-dan-pho-5/dang-vien.yaml"
    edit_yaml(roster, "    nam_sinh: 1975\n", "    nam_sinh: 1900\n")
    edit_yaml(roster, "ngay_vao_dang: 2010-08-15", "ngay_vao_dang: 1929-12-01")
    assert errors(runner) == [
        f"Lỗi: {TDP}/dang-vien.yaml:10:20: dang_vien[1].ngay_vao_dang: ngày vào Đảng 01/12/1929 "
        "trước ngày thành lập Đảng (03/02/1930)",
    ]


def test_exemption_before_joining(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws / "chi-bo/to-dan-pho-5/dang-vien.yaml", "tu_ngay: 2023-03-15", "tu_ngay: 1970-03-15")
    (line,) = errors(runner)
    assert line.startswith(f"Lỗi: {TDP}/dang-vien.yaml:")
    assert line.endswith(
        "mien_sinh_hoat.tu_ngay 15/03/1970 (miễn sinh hoạt) trước ngày vào Đảng 01/11/1976"
    )


def test_line_separator_in_a_single_line_field(runner: CliRunner, ws: Path) -> None:
    # Prose splits paragraphs on U+2028 (str.splitlines); a name must not hold one either.
    edit_yaml(ws / "chi-bo/to-dan-pho-5/chi-bo.yaml", "ten: Chi bộ Tổ dân phố số 5", "ten: Chi bộ\u2028Tổ dân phố số 5")
    assert errors(runner) == [
        f"Lỗi: {TDP}/chi-bo.yaml:4:8: chi_bo.ten: chỉ được viết trên một dòng (không xuống dòng)",
    ]

