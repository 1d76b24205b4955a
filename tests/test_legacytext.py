"""Text pasted from a TCVN3 (.VnTime) or VNI document: found, warned about, converted
(docgen/legacytext.py, the loader's ``SourceFile.legacy``, ``docgen fix-text``)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.errors import InputError
from docgen.fixtext import fix_text
from docgen.legacytext import convert, detect
from docgen.yamlsource import load_source
from tests.conftest import REPO
from tests.corpus.make_legacy import vni as vni_letter

SENTENCES = [
    line
    for line in (REPO / "tests/fixtures/cau-tieng-viet.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]

TCVN3_PASTED = "ViÖc cËp nhËt sæ s¸ch cña chi bé ®­îc thùc hiÖn ®Çy ®ñ, ®óng quy ®Þnh."
VNI_PASTED = "Vieäc caäp nhaät soå saùch cuûa chi boä ñöôïc thöïc hieän ñaày ñuû, ñuùng quy ñònh."
SENTENCE = "Việc cập nhật sổ sách của chi bộ được thực hiện đầy đủ, đúng quy định."


def vni(text: str) -> str:
    """``text`` as VNI-Windows bytes read as Windows-1252 (the corpus's own encoder)."""
    return "".join(vni_letter(c).decode("latin-1") if c.isalpha() else c for c in text)


def tcvn3(text: str) -> str:
    """Lower-case ``text`` as TCVN3 bytes read as Windows-1252, through glibc's iconv
    (a table independent of docgen's)."""
    out = []
    for c in text.lower():
        if c.isascii() or not c.isalpha():
            out.append(c)
            continue
        done = subprocess.run(
            ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=c.encode(), capture_output=True, check=True
        )
        out.append(done.stdout.decode("cp1252"))
    return "".join(out)


def test_pasted_tcvn3_sentence_is_found_and_converted_exactly() -> None:
    found = detect(TCVN3_PASTED)
    assert found is not None
    assert (found.encoding, found.converted) == ("tcvn3", SENTENCE)
    assert found.encoding_name == "TCVN3 (ABC, phông .VnTime)"


def test_pasted_vni_sentence_is_found_and_converted_exactly() -> None:
    found = detect(VNI_PASTED)
    assert found is not None
    assert (found.encoding, found.converted) == ("vni", SENTENCE)
    assert found.encoding_name == "VNI (phông VNI-Times)"


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("§¶ng ñy ph­êng h­íng dÉn", "Đảng ủy phường hướng dẫn"),
        ("NGHÞ QUYÕT §¹I HéI", "NGHỊ QUYẾT ĐẠI HỘI"),  # .VnTimeH: capitals from lower-case bytes
        ("B¸O C¸O KÕT QU¶", "BÁO CÁO KẾT QUẢ"),
        ("Ng­êi d©n kh«ng ®ång ý", "Người dân không đồng ý"),
        ("ÑAÛNG UÛY PHÖÔØNG", "ĐẢNG ỦY PHƯỜNG"),
        ("Ngöôøi daân khoâng ñoàng yù", "Người dân không đồng ý"),
        ("Quyønh, Khueâ, Uyeân, Thuyï", "Quỳnh, Khuê, Uyên, Thuỵ"),
    ],
)
def test_more_pasted_text(pasted: str, expected: str) -> None:
    found = detect(pasted)
    assert found is not None and found.converted == expected


def test_the_corpus_files_convert_line_by_line() -> None:
    # whole files in those encodings are refused by the loader; their lines, pasted, convert
    expected = (REPO / "tests/corpus/ke-hoach.cp1258.yaml").read_bytes().decode("cp1258")
    for encoding in ("tcvn3", "vni"):
        text = (REPO / f"tests/corpus/ke-hoach.{encoding}.yaml").read_bytes().decode("cp1252")
        for line, want in zip(text.splitlines(), expected.splitlines(), strict=True):
            found = detect(line)
            if line.startswith("    - "):
                assert found is not None and found.encoding == encoding
                assert found.converted == unicodedata.normalize("NFC", want)
            else:
                assert found is None


@pytest.mark.parametrize("sentence", SENTENCES)
def test_real_vietnamese_is_never_flagged(sentence: str) -> None:
    for text in (sentence, sentence.upper(), sentence.lower()):
        assert detect(text) is None, text


def test_the_sentence_list_is_varied() -> None:
    text = "\n".join(SENTENCES)
    assert len(SENTENCES) >= 100
    for letter in "ăâđêôơưĂÂĐÊÔƠƯàáảãạÀÁẢÃẠ":
        assert letter in text, letter
    assert "hoà" in text.lower() and "hòa" in text.lower()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_sentence_round_trips_through_vni(sentence: str) -> None:
    found = detect(vni(sentence))
    assert found is not None and found.encoding == "vni"
    assert found.converted == sentence


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv (glibc) không có trên máy")
@pytest.mark.parametrize("sentence", SENTENCES[::5])
def test_sentences_round_trip_through_tcvn3(sentence: str) -> None:
    pasted = tcvn3(sentence)
    found = detect(pasted)
    assert found is not None and found.encoding == "tcvn3"
    assert found.converted == sentence.lower()
    # the same bytes typed in capitals in a .VnTimeH font
    capitals = "".join(c.upper() if c.isascii() else c for c in pasted)
    found = detect(capitals)
    assert found is not None and found.converted == sentence.upper()


@pytest.mark.parametrize(
    "text",
    [
        "«Nguyễn Văn Hùng» và «Đỗ Thị Thuỷ»",
        "«Ai» nói?",
        "Nhiệt độ 37°C, độ ẩm 80% ± 5%",
        "3 × 4 = 12",
        "lớp phủ dày 5 µm",
        "Học tại Köln, München và España",
        "© 2026 Đảng ủy phường",
        "Noël, Zoë, François, Søren",
        "½ số hộ; ¼ số hộ",
        "§ 3. Điều khoản chung",
    ],
)
def test_signs_and_foreign_words_are_not_flagged(text: str) -> None:
    assert detect(text) is None


def test_unicode_text_keeps_its_own_words() -> None:
    # a pasted fragment after words typed in Unicode: only the pasted words change
    assert convert("Đồng chí Hùng: ViÖc cËp nhËt sæ s¸ch", "tcvn3") == "Đồng chí Hùng: Việc cập nhật sổ sách"


def test_nothing_in_the_sample_workspace_is_flagged() -> None:
    files = sorted((REPO / "data").rglob("*.yaml"))
    assert len(files) > 30
    for path in files:
        assert load_source(path).legacy == [], path


def _workspace(sample_ws: Path) -> Path:
    path = sample_ws / "chi-bo/to-dan-pho-5/2026/quy-3.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("ly_do: Đi công tác", "ly_do: §i c«ng t¸c  # ghi chú của thư ký", 1)
    text = text.replace(
        'chu_de: "Phòng cháy, chữa cháy trong khu dân cư: trách nhiệm của từng đảng viên"',
        'chu_de: "Phoøng chaùy, chöõa chaùy trong khu daân cö: traùch nhieäm cuûa töøng ñaûng vieân"',
        1,
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_check_warns_located_with_the_converted_text(sample_ws: Path, runner: CliRunner) -> None:
    _workspace(sample_ws)
    result = runner.invoke(cli, ["check", "-w", str(sample_ws)])
    assert result.exit_code == 0, result.output
    where = f"{sample_ws}/chi-bo/to-dan-pho-5/2026/quy-3.yaml"
    warnings = [line for line in result.stderr.splitlines() if "bảng mã cũ" in line]
    assert warnings == [
        f"Cảnh báo: {where}:18:18: bao_cao_quy.buoi_sinh_hoat[2].vang[1].ly_do: có vẻ là chữ dán từ "
        "tài liệu dùng bảng mã cũ TCVN3 (ABC, phông .VnTime); chuyển sang Unicode là «Đi công tác» "
        "(sửa tự động bằng lệnh: docgen fix-text)",
        f"Cảnh báo: {where}:21:15: bao_cao_quy.buoi_sinh_hoat[3].chu_de: có vẻ là chữ dán từ tài liệu "
        "dùng bảng mã cũ VNI (phông VNI-Times); chuyển sang Unicode là «Phòng cháy, chữa cháy trong khu "
        "dân cư: trách nhiệm của từng đảng viên» (sửa tự động bằng lệnh: docgen fix-text)",
    ]


def test_check_of_the_sample_warns_about_nothing(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "-w", str(REPO / "data")])
    assert result.exit_code == 0
    assert "bảng mã cũ" not in result.output


def test_render_warns_too(sample_ws: Path, tmp_path: Path) -> None:
    from docgen.pipeline import render_documents
    from docgen.workspace import load_workspace

    _workspace(sample_ws)
    result = render_documents(
        load_workspace(sample_ws), ["bao-cao-quy"], year=2026, quarter=3, cells=["to-dan-pho-5"],
        output_root=tmp_path / "out", draft=True,
    )
    legacy = [w for w in result.warnings if "bảng mã cũ" in w]
    assert [w.split(": ")[1] for w in legacy] == [
        "bao_cao_quy.buoi_sinh_hoat[2].vang[1].ly_do",
        "bao_cao_quy.buoi_sinh_hoat[3].chu_de",
    ]


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_batch_warns_too(sample_ws: Path, tmp_path: Path, jobs: int) -> None:
    from docgen.batch import run_batch

    _workspace(sample_ws)
    result = run_batch(
        sample_ws, year=2026, quarter=3, output_root=tmp_path / "out", jobs=jobs, draft=True
    )
    legacy = [w for w in result.warnings if "bảng mã cũ" in w]
    assert [w.split(": ")[1] for w in legacy] == [
        "bao_cao_quy.buoi_sinh_hoat[2].vang[1].ly_do",
        "bao_cao_quy.buoi_sinh_hoat[3].chu_de",
    ]


def test_fix_text_converts_in_place_keeping_comments_and_layout(sample_ws: Path) -> None:
    path = _workspace(sample_ws)
    before = path.read_bytes()
    expected = (REPO / "data/chi-bo/to-dan-pho-5/2026/quy-3.yaml").read_text(encoding="utf-8").replace(
        "ly_do: Đi công tác", "ly_do: Đi công tác  # ghi chú của thư ký", 1
    )
    result = fix_text(sample_ws)
    assert path.read_text(encoding="utf-8") == expected
    assert result.files == [path]
    assert result.backups == [path.with_name("quy-3.yaml.bak")]
    assert result.backups[0].read_bytes() == before
    assert [(f.line, f.col, f.field, f.after) for f in result.fixes] == [
        (18, 18, "bao_cao_quy.buoi_sinh_hoat[2].vang[1].ly_do", "Đi công tác"),
        (21, 15, "bao_cao_quy.buoi_sinh_hoat[3].chu_de",
         "Phòng cháy, chữa cháy trong khu dân cư: trách nhiệm của từng đảng viên"),
    ]
    # nothing left: a second run changes nothing, and the backup stays as it was
    assert fix_text(sample_ws).fixes == []
    assert result.backups[0].read_bytes() == before


def test_fix_text_block_and_quoted_scalars_and_a_new_backup_name(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    text = (
        "\ufeff# đầu tệp\r\n"
        "a: '§¶ng ñy ph­êng'   # một\r\n"
        "b: |\r\n"
        "  ViÖc cËp nhËt\r\n"
        "  sæ s¸ch\r\n"
        "c:\r\n"
        "  - Ngöôøi daân  # hai\r\n"
        "d: Việc\r\n"
    )
    path.write_bytes(text.encode("utf-8"))
    (tmp_path / "f.yaml.bak").write_text("cũ", encoding="utf-8")
    result = fix_text(tmp_path, [path])
    assert path.read_bytes() == (
        "\ufeff# đầu tệp\r\n"
        "a: 'Đảng ủy phường'   # một\r\n"
        "b: |\r\n"
        "  Việc cập nhật\r\n"
        "  sổ sách\r\n"
        "c:\r\n"
        "  - Người dân  # hai\r\n"
        "d: Việc\r\n"
    ).encode("utf-8")
    assert result.backups == [tmp_path / "f.yaml.bak2"]
    assert (tmp_path / "f.yaml.bak").read_text(encoding="utf-8") == "cũ"
    assert (tmp_path / "f.yaml.bak2").read_bytes() == text.encode("utf-8")


def test_fix_text_writes_nothing_when_a_file_is_wrong(tmp_path: Path) -> None:
    good = tmp_path / "a.yaml"
    good.write_text("a: ViÖc cËp nhËt\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("b: [1, 2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        fix_text(tmp_path)
    assert [p.file for p in info.value.problems] == [f"{tmp_path}/b.yaml"]
    assert good.read_text(encoding="utf-8") == "a: ViÖc cËp nhËt\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]


def test_fix_text_refuses_a_value_it_cannot_convert_in_place(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    raw = 'a: "Vi\\u00d6c c\\u00cbp nh\\u00cbt"\nb: ViÖc\n'  # escapes: the text holds no legacy letter
    path.write_text(raw, encoding="utf-8")
    with pytest.raises(InputError) as info:
        fix_text(tmp_path)
    assert info.value.lines() == [
        f"{tmp_path}/a.yaml:1:4: a: không tự chuyển được chữ theo bảng mã cũ TCVN3 (ABC, phông .VnTime) "
        "ở giá trị này (hãy sửa tay thành «Việc cập nhật»)"
    ]
    assert path.read_text(encoding="utf-8") == raw
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_fix_text_command(sample_ws: Path, runner: CliRunner) -> None:
    path = _workspace(sample_ws)
    result = runner.invoke(cli, ["fix-text", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "quy-3.yaml:18:18: bao_cao_quy.buoi_sinh_hoat[2].vang[1].ly_do: TCVN3 (ABC, phông .VnTime) → «Đi công tác»"
    )
    assert lines[2] == "Đã chuyển 2 giá trị trong 1 tệp sang Unicode; bản gốc lưu ở:"
    assert lines[3].endswith("quy-3.yaml.bak")
    again = runner.invoke(cli, ["fix-text", "-w", str(sample_ws)])
    assert again.exit_code == 0
    assert again.stdout == "Không có chữ nào theo bảng mã cũ TCVN3 hoặc VNI; không thay đổi tệp nào.\n"
