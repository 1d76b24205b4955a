"""The ward office's workflow end to end: export the templates, edit one in Word
(wording changed, a paragraph moved, Word's run splitting), check it, render with it;
the output carries the edited template's fingerprint and passes the layout audit."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.audit import audit_file
from docgen.cli import cli
from docgen.contract import CONTRACTS
from docgen.docxread import text_dump
from docgen.guide import GUIDE_FILE, guide_markdown
from docgen.templates import BUILTIN_DIR
from tests.wordedit import edit_document, move_paragraph, replace, word_split

OUT = Path("output/ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx")


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def word_edit(xml: str) -> str:
    """What a secretary at the ward office does in Word, as Word saves it."""
    xml = replace("cụ thể như sau:", "với các nội dung sau đây:")(xml)
    # the closing paragraph moves up, before section IV
    xml = move_paragraph(xml, "Trên đây là Kế hoạch", before="IV. TỔ CHỨC THỰC HIỆN")
    # Word saves revision ids on paragraphs and splits runs around the tags it spell-checks
    xml = re.sub(r"<w:p>", '<w:p w:rsidR="00A3F2C1" w:rsidRDefault="00A3F2C1">', xml)
    return word_split(xml)


def test_export_edit_check_render(ws: Path) -> None:
    result = run("templates", "export", "data/mau")
    assert result.exit_code == 0, result.output
    exported = sorted(p.name for p in (ws / "mau").iterdir())
    assert exported == sorted([*CONTRACTS, GUIDE_FILE])
    assert (ws / "mau" / GUIDE_FILE).read_text(encoding="utf-8") == guide_markdown()
    for name in CONTRACTS:
        assert (ws / "mau" / name).read_bytes() == (BUILTIN_DIR / name).read_bytes()

    edit_document(ws / "mau" / "ke-hoach.docx", word_edit)
    check = run("templates", "check", "data/mau")
    assert check.exit_code == 0, check.stdout
    assert check.stdout.splitlines()[-1] == f"Đã kiểm tra {len(CONTRACTS)} mẫu: 0 lỗi, 0 cảnh báo."

    # the workspace names the folder; no option needed
    text = (ws / "dang-bo.yaml").read_text(encoding="utf-8")
    text = text.replace("\ncai_dat:\n", "\ncai_dat:\n  thu_muc_mau: mau\n", 1)
    (ws / "dang-bo.yaml").write_text(text, encoding="utf-8")
    digest = hashlib.sha256((ws / "mau" / "ke-hoach.docx").read_bytes()).hexdigest()
    listing = run("templates", "list")
    assert listing.exit_code == 0
    assert listing.stdout.splitlines()[:4] == [
        "Thư mục mẫu riêng: data/mau",
        "ke-hoach: ke-hoach.docx",
        "  tệp: data/mau/ke-hoach.docx (mẫu riêng)",
        f"  sha256: {digest}",
    ]

    rendered = run("render", "ke-hoach", "--nam", "2026", "--chi-bo", "to-dan-pho-5")
    assert rendered.exit_code == 0, rendered.stderr
    out = ws.parent / OUT
    dump = text_dump(out)
    assert "năm\u00a02026, với các nội dung sau đây:" in dump and "cụ thể như sau" not in dump
    closing = dump.index("[DoanKet] Trên đây là Kế hoạch")
    assert closing < dump.index("[DeMuc1] IV. TỔ CHỨC THỰC HIỆN")

    import docx

    comments = docx.Document(str(out)).core_properties.comments
    assert comments.endswith(f"loại ke-hoach; mẫu ke-hoach.docx; sha256 mẫu {digest}")
    assert audit_file(out) == []


def test_check_without_folder_checks_the_builtins(ws: Path) -> None:
    result = run("templates", "check")
    assert result.exit_code == 0
    first, last = result.stdout.splitlines()
    assert first.startswith("Kiểm tra mẫu trong ") and first.endswith("templates/docx")
    assert last == f"Đã kiểm tra {len(CONTRACTS)} mẫu: 0 lỗi, 0 cảnh báo."


def test_check_reports_unknown_files_and_builtin_fallbacks(ws: Path) -> None:
    folder = ws / "mau"
    folder.mkdir()
    (folder / "Ke-hoach.docx").write_bytes((BUILTIN_DIR / "ke-hoach.docx").read_bytes())
    (folder / "~$ke-hoach.docx").write_bytes(b"Word lock file")
    result = run("templates", "check", "data/mau")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Kiểm tra mẫu trong data/mau",
        "Cảnh báo: data/mau/Ke-hoach.docx: không phải mẫu của loại văn bản nào nên docgen không "
        "dùng (có phải ý là 'ke-hoach.docx'?)",
        "Dùng mẫu có sẵn cho: " + ", ".join(CONTRACTS),
        "Đã kiểm tra 0 mẫu: 0 lỗi, 1 cảnh báo.",
    ]


def test_check_exit_status_and_messages_for_a_broken_template(ws: Path) -> None:
    run("templates", "export", "data/mau")
    edit_document(ws / "mau" / "phan-cong-thong-bao.docx", replace("{{ r.ho_ten }}", "{{ r.hoten }}"))
    result = run("templates", "check", "data/mau")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "Lỗi: mẫu data/mau/phan-cong-thong-bao.docx: bảng 2, hàng 3, ô 2, đoạn 31 «{{ r.hoten }}»: "
        "thẻ {{ r.hoten }}: mỗi mục của 'bang' không có trường 'hoten' (có phải ý là 'ho_ten'?)",
        f"Đã kiểm tra {len(CONTRACTS)} mẫu: 1 lỗi, 0 cảnh báo.",
    ]
    render = run("render", "phan-cong", "--nam", "2026", "--templates", "data/mau")
    assert render.exit_code == 1
    assert render.stderr.splitlines() == [
        result.stdout.splitlines()[1],
        "Mẫu data/mau/phan-cong-thong-bao.docx có 1 lỗi; chưa tạo hay thay đổi tệp nào "
        "(kiểm tra mẫu: docgen templates check).",
    ]
    assert not (ws.parent / "output").exists()


def test_export_refuses_to_overwrite_without_force(ws: Path) -> None:
    assert run("templates", "export", "data/mau").exit_code == 0
    (ws / "mau" / "ke-hoach.docx").write_bytes(b"edited")
    result = run("templates", "export", "data/mau")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Lỗi: data/mau: đã có tệp {', '.join(CONTRACTS)}, HUONG-DAN-MAU.md; thêm --force để ghi đè\n"
    )
    assert (ws / "mau" / "ke-hoach.docx").read_bytes() == b"edited"
    assert run("templates", "export", "data/mau", "--force").exit_code == 0
    assert (ws / "mau" / "ke-hoach.docx").read_bytes() == (BUILTIN_DIR / "ke-hoach.docx").read_bytes()


def test_layout_warnings_of_a_template_show_when_rendering(ws: Path) -> None:
    run("templates", "export", "data/mau")
    edit_document(ws / "mau" / "ke-hoach.docx", replace('w:left="1701"', 'w:left="1134"'))
    result = run("render", "ke-hoach", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--templates", "data/mau")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Cảnh báo: mẫu data/mau/ke-hoach.docx: trang (lề): lề trái 20 mm (thể thức: 30 mm)"
    ]
    assert [d.format() for d in audit_file(ws.parent / OUT)] == ["trang (lề): lề trái 20 mm (thể thức: 30 mm)"]


@pytest.mark.parametrize("command", ["list", "export", "check"])
def test_template_commands_have_vietnamese_help_with_examples(command: str) -> None:
    result = run("templates", command, "--help")
    assert result.exit_code == 0
    assert f"docgen templates {command}" in result.stdout.split("Ví dụ:")[1]
    for english in ("Show this message", "OPTIONS", "DIRECTORY", "[default"):
        assert english not in result.stdout


def test_list_outside_a_workspace_shows_the_builtins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("templates", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Không có thư mục mẫu riêng: dùng mẫu có sẵn."
    digest = hashlib.sha256((BUILTIN_DIR / "ke-hoach.docx").read_bytes()).hexdigest()
    assert lines[1:4] == ["ke-hoach: ke-hoach.docx", f"  tệp: {BUILTIN_DIR / 'ke-hoach.docx'} (có sẵn)",
                          f"  sha256: {digest}"]
    # an explicit workspace that does not exist is a misuse
    assert run("templates", "list", "-w", "khong-co").exit_code == 2
