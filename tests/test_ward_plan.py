"""The ward committee's own plan (ke-hoach-dang-uy): the seed document, reproduced from data."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.documents.ke_hoach_dang_uy import build_context, end_sentence
from docgen.docxread import text_dump
from docgen.models.ward import KeHoachDangUyFile
from docgen.pipeline import check_workspace, render_documents
from docgen.workspace import load_model, load_workspace
from tests.conftest import REPO, SAMPLE, convert_to_pdf, edit_yaml, needs_libreoffice, pdf_text

SEED_NAME = "seed-ke-hoach-chi-bo-bon-tot.txt"
SEED = Path(__file__).resolve().parent / "fixtures" / SEED_NAME
# The shared reference the copy was taken from, when the checkout sits next to it.
SHARED_SEEDS = [REPO.parent / "shared" / "reference" / SEED_NAME, Path("/work/shared/reference") / SEED_NAME]
PLAN = "data/2026/ke-hoach-dang-uy.yaml"

# Obvious typos of the seed, fixed in the sample data (seed text -> sample text).
TYPO_FIXES = [
    ("“ chi bộ bốn tốt ”", "“chi bộ bốn tốt”"),
    ("xây dựng tố chức cơ sở đảng", "xây dựng tổ chức cơ sở đảng"),
    ("“chi bộ bốn tốt”,cụ thể", "“chi bộ bốn tốt”, cụ thể"),
    ("nhiệm kỳ 2020- 2025", "nhiệm kỳ 2020 - 2025"),
    ("thực hiện các các chủ trương", "thực hiện các chủ trương"),
    ("địa bàn dân cư .", "địa bàn dân cư."),
    ("về “ Nâng cao", "về “Nâng cao"),
    ("số 12 –CT/ĐU", "số 12-CT/ĐU"),
    # a line broken in the middle of a quoted title, which was never closed
    (
        "chi bộ và \nCông tác quản lý Đảng viên giai đoạn 2020 – 2025 ;",
        "chi bộ và công tác quản lý Đảng viên giai đoạn 2020 - 2025”;",
    ),
    ("số 24 -KH/ĐU", "số 24-KH/ĐU"),
    ("số 05- CTr/QU", "số 05-CTr/QU"),
    ("vững mạnh,hoạt động", "vững mạnh, hoạt động"),
    ("trình độ. tạo môi trường", "trình độ. Tạo môi trường"),
    ("uỷ", "ủy"),  # the seed mostly writes "ủy", as QĐ 399-QĐ/TW does
]
# The one adaptation to the present ward: the issuing body named in the preamble.
ADAPTATIONS = [("Đảng ủy phường Vĩnh Phúc", "Đảng ủy phường Ngọc Hà")]


def normalise(text: str) -> str:
    """NFC, one space between words, no space before punctuation."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return re.sub(r" ([.,;:])", r"\1", text)


def seed_lines() -> list[str]:
    """The seed's lines as the sample should reproduce them (fixes applied, NFC)."""
    text = unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8")).replace("\xa0", " ")
    for old, new in TYPO_FIXES + ADAPTATIONS:
        assert old in text, old
        text = text.replace(old, new)
    lines = [normalise(line) for line in text.splitlines()]
    # "·" bullets are dash items in the generated plan
    return [re.sub(r"^· ?", "- ", line) for line in lines if line and line != "-----"]


def comparable(line: str) -> str:
    """A line without its final punctuation: list items get ";" or "." by their place."""
    return re.sub(r"[\s;.:]+$", "", line)


@pytest.fixture(scope="module")
def plan_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ward-plan")
    render_documents(load_workspace(SAMPLE), "ke-hoach-dang-uy", year=2026, output_root=root)
    return root / "ngoc-ha" / "2026" / "ke-hoach-dang-uy.docx"


@pytest.fixture(scope="module")
def paragraphs(plan_docx: Path) -> list[str]:
    return [normalise(p.text) for p in docx.Document(str(plan_docx)).paragraphs if p.text.strip()]


def test_golden_ward_plan(plan_docx: Path, golden) -> None:
    golden("ke-hoach-dang-uy.txt", text_dump(plan_docx))


def test_seed_copy_matches_the_shared_reference() -> None:
    shared = next((p for p in SHARED_SEEDS if p.is_file()), None)
    if shared is None:
        pytest.skip(f"no shared/reference/{SEED_NAME} next to the repository (clean clone)")
    assert SEED.read_bytes() == shared.read_bytes()


def test_seed_headings_appear_in_the_ward_plan(paragraphs: list[str]) -> None:
    lines = seed_lines()
    romans = [line for line in lines if re.match(r"[IVX]+\. ", line)]
    numbered = [line for line in lines if re.match(r"\d\. ", line)]
    sub = [line for line in lines if re.match(r"\d\.\d\. ", line)]
    starred = [line for line in lines if line.startswith("* ")]
    assert romans == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN"]
    assert [line[:12] for line in numbered] == [
        "1. Mục đích:", "2. Yêu cầu:", "1. Các tiêu ", "2. Giải pháp",
        "1. Đảng ủy p", "2. Các ban c", "3. UBND phườ", "4. MTTQ và c", "5. Các chi b",
    ]
    assert [line[:4] for line in sub] == ["1.1.", "1.2.", "1.3.", "1.4.", "2.1.", "2.2.", "2.3.", "2.4.", "2.5."]
    assert len(starred) == 3
    text = "\n".join(paragraphs)
    for line in romans + numbered + sub + starred:
        assert comparable(line) in text, line
    # the criteria as "1.1. <name>: <text>", in the seed's order
    names = [re.match(r"1\.\d\. ([^:]+):", line).group(1) for line in sub[:4]]
    assert names == [
        "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị",
        "Chất lượng sinh hoạt tốt",
        "Xây dựng chi bộ đoàn kết, kỷ luật tốt",
        "Xây dựng đội ngũ đảng viên tốt",
    ]
    for n, name in enumerate(names, start=1):
        assert any(p.startswith(f"1.{n}. {name}: ") for p in paragraphs), name


def test_every_line_of_the_seed_is_in_the_ward_plan(paragraphs: list[str]) -> None:
    title, *body = seed_lines()
    assert paragraphs[0] == "KẾ HOẠCH"
    # the trích yếu starts in lower case (party-document-format §3); the sample adds the year
    assert paragraphs[1] == title[0].lower() + title[1:] + " năm 2026"
    text = "\n".join(paragraphs)
    missing = [line for line in body if comparable(line) not in text]
    assert missing == []
    assert paragraphs[-1] == body[-1]  # the closing paragraph, kept with the signature


def test_header_and_signature(plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    header = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert header == [
        ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\nĐẢNG ỦY PHƯỜNG NGỌC HÀ\n*", "ĐẢNG CỘNG SẢN VIỆT NAM"],
        ["Số 18-KH/ĐU", "Ngọc Hà, ngày 22 tháng 12 năm 2025"],
    ]
    recipients, signature = (c.text for c in document.tables[-1].rows[0].cells)
    assert recipients.splitlines() == [
        "Nơi nhận:",
        "- Ban Thường vụ Thành ủy Hà Nội (để báo cáo),",
        "- Các chi bộ trực thuộc,",
        "- UBND, Ủy ban MTTQ và các tổ chức chính trị - xã hội phường,",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    assert signature.splitlines() == ["T/M ĐẢNG ỦY", "BÍ THƯ", "Lê Hoàng Minh"]


def test_lead_ins_are_bold(plan_docx: Path) -> None:
    paras = {p.text[:4]: p for p in docx.Document(str(plan_docx)).paragraphs if p.text}
    criterion = paras["1.1."].runs
    assert criterion[0].text == "1.1. Lãnh đạo hoàn thành tốt nhiệm vụ chính trị:"
    assert (criterion[0].bold, criterion[0].italic) == (True, True)
    assert not criterion[1].bold
    body = paras["1. Đ"].runs
    assert (body[0].text, body[0].bold) == ("1. Đảng ủy phường:", True)
    assert body[1].text.startswith(" chỉ đạo việc triển khai") and not body[1].bold


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def check_errors(runner: CliRunner) -> list[str]:
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("chưa tạo hay thay đổi tệp nào.")
    return lines[:-1]


def test_check_counts_the_ward_plan() -> None:
    report = check_workspace(load_workspace(SAMPLE))
    assert "ngoc-ha/2026/ke-hoach-dang-uy.docx" in report.documents


def test_render_from_the_command_line(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["render", "ke-hoach-dang-uy", "--nam", "2026", "-o", "out"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Đã tạo 1 văn bản:",
        "  out/ngoc-ha/2026/ke-hoach-dang-uy.docx (số 18-KH/ĐU, cấp số mới)",
    ]


def test_signer_must_be_secretary_or_deputy(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / PLAN, "nguoi_ky: Lê Hoàng Minh", "nguoi_ky: Phạm Thu Hà")
    assert check_errors(runner) == [
        f"Lỗi: {PLAN}:10:13: ke_hoach_dang_uy.nguoi_ky: người ký 'Phạm Thu Hà' phải là bí thư "
        "hoặc phó bí thư trong danh sách dang_uy của dang-bo.yaml (có thể ký: Lê Hoàng Minh, "
        "Nguyễn Thị Thanh Bình, Trần Quốc Việt)",
    ]


def test_issue_date_outside_the_plan_year(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / PLAN, "ngay_ban_hanh: 2025-12-22", "ngay_ban_hanh: 2024-12-22")
    assert check_errors(runner) == [
        f"Lỗi: {PLAN}:8:18: ke_hoach_dang_uy.ngay_ban_hanh: ngày ban hành 22/12/2024 không hợp "
        "với kế hoạch năm 2026 (phải trong năm 2025 hoặc 2026)",
    ]


def test_exactly_four_criteria(runner: CliRunner, ws: Path) -> None:
    text = (ws.parent / PLAN).read_text(encoding="utf-8")
    start = text.index("    - ten: Xây dựng đội ngũ đảng viên tốt")
    end = text.index("  ghi_chu_tieu_chi:")
    (ws.parent / PLAN).write_text(text[:start] + text[end:], encoding="utf-8")
    assert check_errors(runner) == [
        f"Lỗi: {PLAN}:50:5: ke_hoach_dang_uy.tieu_chi: mô hình “chi bộ bốn tốt” có đúng 4 tiêu "
        "chí, ở đây có 3",
    ]


def test_missing_and_mistyped_keys(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / PLAN, "  ket_luan: >-", "  ket_luam: >-")
    edit_yaml(ws.parent / PLAN, "    - doi_tuong: chi bộ công an\n", "    - doi_tuong: chi bộ công an\n      ten: x\n")
    lines = check_errors(runner)
    assert lines == [
        f"Lỗi: {PLAN}:7:3: ke_hoach_dang_uy.ket_luan: thiếu trường bắt buộc",
        f"Lỗi: {PLAN}:97:7: ke_hoach_dang_uy.neu_guong[3].ten: khóa 'ten' không được dùng ở đây "
        "(các khóa được phép: doi_tuong, noi_dung)",
        f"Lỗi: {PLAN}:200:3: ke_hoach_dang_uy.ket_luam: khóa 'ket_luam' không được dùng ở đây "
        "(có phải ý là 'ket_luan'?)",
    ]


def test_nothing_written_on_error(runner: CliRunner, ws: Path) -> None:
    edit_yaml(ws.parent / PLAN, "nguoi_ky: Lê Hoàng Minh", "nguoi_ky: Lê Minh")
    result = runner.invoke(cli, ["render", "ke-hoach-dang-uy", "--nam", "2026", "-o", "out"])
    assert result.exit_code == 1
    assert "(có phải ý là 'Lê Hoàng Minh'?)" in result.stderr
    assert not Path("out").exists()


def test_missing_file_for_a_year(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["render", "ke-hoach-dang-uy", "--nam", "2027", "-o", "out"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Lỗi: data/2027/ke-hoach-dang-uy.yaml: không tìm thấy tệp"


def context_for(ws_root: Path) -> dict:
    ws = load_workspace(ws_root)
    plan = load_model(ws_root / "2026" / "ke-hoach-dang-uy.yaml", KeHoachDangUyFile)[0]
    return build_context(plan.ke_hoach_dang_uy, ws, 2026)


def test_context_follows_the_data(sample_ws: Path) -> None:
    plan = sample_ws / "2026" / "ke-hoach-dang-uy.yaml"
    edit_yaml(plan, "  tham_quyen: dang_uy\n  nguoi_ky: Lê Hoàng Minh", "  tham_quyen: ban_thuong_vu\n  nguoi_ky: Trần Quốc Việt")
    edit_yaml(plan, "  trich_yeu: triển khai xây dựng mô hình “chi bộ bốn tốt” năm 2026\n", "")
    edit_yaml(
        sample_ws / "dang-bo.yaml",
        "ten_dang_uy: Đảng ủy phường Ngọc Hà",
        "ten_dang_uy: Đảng ủy phường Ngọc Hà mới",
    )
    context = context_for(sample_ws)
    assert (context["tham_quyen"], context["chuc_vu_ky"], context["nguoi_ky"]) == (
        "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Quốc Việt",
    )
    assert context["trich_yeu"] == "triển khai xây dựng mô hình “chi bộ bốn tốt”"  # the default
    assert context["ten_dang_uy"] == "Đảng ủy phường Ngọc Hà mới"
    assert context["co_quan_ban_hanh"] == "ĐẢNG ỦY PHƯỜNG NGỌC HÀ MỚI"
    assert context["thuc_hien"].startswith("Nghị quyết số 21-NQ/TW")
    assert "giai đoạn mới”; Chương trình số 05-CTr/QU" in context["thuc_hien"]


def test_one_paragraph_inline_several_as_dash_items(sample_ws: Path, tmp_path: Path) -> None:
    plan = sample_ws / "2026" / "ke-hoach-dang-uy.yaml"
    edit_yaml(
        plan,
        "      noi_dung: >-\n        tham mưu cho Đảng ủy làm tốt công tác phổ biến, tuyên truyền, quán triệt, đôn đốc,\n"
        "        kiểm tra, giám sát các chi bộ trực thuộc thực hiện Kế hoạch.\n",
        "      noi_dung:\n        - Ban Tổ chức theo dõi việc xây dựng kế hoạch của các chi bộ\n"
        "        - Ủy ban Kiểm tra kiểm tra, giám sát các chi bộ trực thuộc thực hiện Kế hoạch\n",
    )
    edit_yaml(plan, "  ket_luan: >-", "  noi_nhan:\n    - Thường trực Thành ủy\n  ket_luan: >-")
    render_documents(load_workspace(sample_ws), "ke-hoach-dang-uy", year=2026, output_root=tmp_path)
    text = text_dump(tmp_path / "ngoc-ha/2026/ke-hoach-dang-uy.docx")
    assert "[DeMuc2] 2. Các ban của Đảng\u00a0ủy:\n" in text
    assert "[NoiDung] - Ban Tổ chức theo dõi việc xây dựng kế hoạch của các chi bộ.\n" in text
    assert "[NoiDung] - Ủy ban Kiểm tra kiểm tra, giám sát các chi bộ trực thuộc thực hiện Kế hoạch.\n" in text  # full stop added
    assert "Nơi nhận: / - Thường trực Thành ủy, / - Lưu Văn phòng Đảng ủy. |" in text


def test_end_sentence() -> None:
    assert end_sentence("Tổ chức thực hiện") == "Tổ chức thực hiện."
    assert end_sentence("thực hiện./.") == "thực hiện./."
    assert end_sentence("như sau:") == "như sau:"
    assert end_sentence("về “tự giác nêu gương”.") == "về “tự giác nêu gương”."
    assert end_sentence("về “tự giác nêu gương”") == "về “tự giác nêu gương”."
    assert end_sentence("(quý, năm)") == "(quý, năm)."


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_the_ward_plan(plan_docx: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ke-hoach-dang-uy.docx"
    shutil.copy(plan_docx, copy)
    (pdf,) = convert_to_pdf([copy], tmp_path)
    text = pdf_text(pdf)
    for line in ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "ĐẢNG ỦY PHƯỜNG NGỌC HÀ", "KẾ HOẠCH", "T/M ĐẢNG ỦY"):
        assert line in text
    assert "III. TỔ CHỨC THỰC HIỆN" in text
