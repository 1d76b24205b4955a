"""Templates edited in Word still work: tags that Word cut into runs (spell-check marks,
revision ids, a bookmark inside the tag) render the same text; a tag cut in a way
rendering cannot repair gets a located error, the same from the check and from render."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.documents import get_kind
from docgen.docxread import text_dump
from docgen.lint import check_template
from docgen.render import CompiledTemplate
from docgen.templates import BUILTIN_DIR, Renderer
from docgen.workspace import load_workspace
from tests.conftest import SAMPLE
from tests.wordedit import edit_document, replace, word_split

# a sample cell whose documents use each template
CELL_OF = {
    "ke-hoach.docx": ("ke-hoach", "to-dan-pho-5"),
    "phan-cong-thong-bao.docx": ("phan-cong", "to-dan-pho-5"),
    "phan-cong-nghi-quyet.docx": ("phan-cong", "cong-an-phuong"),
}


def context_for(template: str) -> dict:
    kind, cell = CELL_OF[template]
    ws = load_workspace(SAMPLE)
    (item,) = get_kind(kind).prepare(ws, ws.load_cell(cell), 2026, None)
    assert item.template == template
    return item.context


def dump(template: CompiledTemplate, context: dict, folder: Path, name: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    out.write_bytes(template.render(context))
    return text_dump(out)


@pytest.mark.parametrize("name", sorted(CELL_OF))
def test_every_tag_split_the_word_way_renders_the_same_text(tmp_path: Path, name: str) -> None:
    edited = tmp_path / "mau" / name
    edited.parent.mkdir()
    shutil.copy(BUILTIN_DIR / name, edited)
    edit_document(edited, word_split)
    part = zipfile.ZipFile(edited).read("word/document.xml").decode()
    assert part.count('w:type="spellStart"') >= 10 and part.count("_GoBack") >= 10
    assert "{{ ten_chi_bo }}" not in part and "{{ nguoi_ky }}" not in part  # really split

    assert [f.format() for f in check_template(edited)] == []
    context = context_for(name)
    original = Renderer().template(BUILTIN_DIR / name)
    split = Renderer().template(edited)
    assert dump(split, context, tmp_path / "b", name) == dump(original, context, tmp_path / "a", name)


def broken_folder(tmp_path: Path, change) -> Path:
    folder = tmp_path / "data" / "mau"
    shutil.copytree(SAMPLE, tmp_path / "data", ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    folder.mkdir()
    shutil.copy(BUILTIN_DIR / "ke-hoach.docx", folder / "ke-hoach.docx")
    edit_document(folder / "ke-hoach.docx", change)
    return folder


BEYOND_REPAIR = [
    (
        "braces-in-two-paragraphs",
        # Enter pressed between the two braces of {{ ten_chi_bo }}
        replace(
            '<w:t xml:space="preserve">{{ ten_chi_bo }} xây dựng',
            '<w:t xml:space="preserve">{</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="NoiDung"/>'
            '</w:pPr><w:r><w:t xml:space="preserve">{ ten_chi_bo }} xây dựng',
        ),
        "mẫu data/mau/ke-hoach.docx: đoạn 15 «{»: thẻ {{ ten_chi_bo }}: hai dấu «{» «{» của một thẻ "
        "nằm ở hai đoạn (lỡ nhấn Enter giữa thẻ?); khi tạo văn bản hai đoạn sẽ bị gộp làm một: viết "
        "lại thẻ liền trong một đoạn",
    ),
    (
        "p-tag-in-two-paragraphs",
        replace(
            '<w:t xml:space="preserve">{%p for md in muc_dich %}',
            '<w:t xml:space="preserve">{%p for md</w:t></w:r></w:p><w:p><w:r>'
            '<w:t xml:space="preserve"> in muc_dich %}',
        ),
        "mẫu data/mau/ke-hoach.docx: đoạn 18 «{%p for md»: thẻ {%p for md in muc_dich %}: thẻ bị "
        "ngắt sang đoạn 19 (lỡ nhấn Enter giữa thẻ?); khi tạo văn bản các đoạn sẽ bị gộp làm một: "
        "viết lại thẻ liền trong một đoạn",
    ),
    (
        "tracked-insertion-inside-a-tag",
        replace(
            '<w:t xml:space="preserve">{{ trich_yeu }}</w:t></w:r>',
            '<w:t xml:space="preserve">{{ trich_</w:t></w:r><w:ins w:id="7" w:author="VP" '
            'w:date="2026-01-02T08:00:00Z"><w:r><w:t xml:space="preserve">yeu }}</w:t></w:r></w:ins>',
        ),
        "mẫu data/mau/ke-hoach.docx: đoạn 10 «{{ trich_yeu }}»: thẻ {{ trich_yeu }}: Word đã tách "
        "thẻ theo cách không ghép lại được (thường do sửa đổi theo dõi chưa chấp nhận, hoặc trường, "
        "siêu liên kết nằm giữa thẻ): chấp nhận mọi thay đổi, xóa thẻ rồi gõ lại liền một lần",
    ),
]


@pytest.mark.parametrize("change,expected", [c[1:] for c in BEYOND_REPAIR], ids=[c[0] for c in BEYOND_REPAIR])
def test_split_beyond_repair_is_located_by_check_and_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, expected: str
) -> None:
    broken_folder(tmp_path, change)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    check = runner.invoke(cli, ["templates", "check", "data/mau"])
    assert check.exit_code == 1
    assert f"Lỗi: {expected}" in check.stdout.splitlines()
    render = runner.invoke(
        cli, ["render", "ke-hoach", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--templates", "data/mau"]
    )
    assert render.exit_code == 1
    errors = [line for line in render.stderr.splitlines() if line.startswith("Lỗi: ")]
    assert errors == [line for line in check.stdout.splitlines() if line.startswith("Lỗi: ")]
    assert not (tmp_path / "output").exists()
