"""The words on the page (issue 18, points 2, 4, 5 and 6), read back from the rendered
sample: «năm 2026» and «quý III» never split in titles and summaries, no heading ending
with one short word alone, only characters Liberation Serif (Times New Roman's metric
twin) has, the annual report's annex notes and scores, the minutes' place line and
their numbers in meeting order."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from docgen.documents.kinds import KINDS
from docgen.formatting import NBSP, ONE_LINE_HEADING, SHORT_LAST_WORD
from docgen.pipeline import render_documents
from docgen.workspace import load_workspace
from tests.conftest import REPO, SAMPLE_CELLS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Every kind, from the kinds table (a new kind is checked here without being named).
KINDS_YEAR = [k.name for k in KINDS if not k.needs_quarter]
KINDS_QUARTER = [k.name for k in KINDS if k.needs_quarter]
ALL_KINDS = {k.name for k in KINDS}

# Liberation Serif with Vietnamese: version 2 (fonts-liberation2, which CI installs);
# version 1 (fonts-liberation) has no Vietnamese letters at all.
FONT_FILES = [
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
]


def _copy_sample(root: Path) -> Path:
    ws = root / "data"
    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    return ws


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind of the sample, rendered once with a fresh register."""
    root = tmp_path_factory.mktemp("typeset-text")
    workspace = load_workspace(_copy_sample(root))
    target = root / "out"
    render_documents(workspace, KINDS_YEAR, year=2026, output_root=target)
    render_documents(workspace, KINDS_QUARTER, year=2026, quarter=3, output_root=target)
    return target


@pytest.fixture(scope="module")
def files(out: Path) -> list[Path]:
    found = sorted(out.rglob("*.docx"))
    assert len(found) >= 20
    return found


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph, tables included."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out.append((style.get(f"{W}val") if style is not None else "", text))
    return out


def _all_text(path: Path) -> str:
    """Every w:t of the body, the headers and the footers."""
    texts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name == "word/document.xml" or re.fullmatch(r"word/(header|footer)\d*\.xml", name):
                root = etree.fromstring(z.read(name))
                texts += [t.text or "" for t in root.iter(f"{W}t")]
    return "".join(texts)


def _kind(path: Path) -> str:
    if path.stem.startswith("bien-ban"):
        return "bien-ban"
    return re.sub(r"-(\d|nghi-quyet|thong-bao|du-thao).*$", "", path.stem)


# ----------------------------------------------------------------------------- no lone year


def test_every_title_and_summary_ties_the_year_and_the_quarter(files: list[Path]) -> None:
    kinds_seen = set()
    for path in files:
        titles = [t for s, t in _paragraphs(path) if s in ("TrichYeu", "TieuDePhuLuc") and t.strip()]
        assert titles, path
        joined = " ".join(titles)
        # no year or quarter numeral after an ordinary space
        assert not re.search(r"(?i)\bnăm \d{4}\b", joined), (path.name, joined)
        assert not re.search(r"(?i)\bquý (IV|I{1,3}|[1-4])\b", joined), (path.name, joined)
        if re.search(r"(?i)\bnăm\W\d{4}", joined):
            assert re.search(rf"(?i)\bnăm{NBSP}\d{{4}}\b", joined)
            kinds_seen.add(_kind(path))
        if path.stem.startswith(("bao-cao-quy", "tong-hop-quy", "bien-ban-quy")):
            assert re.search(rf"(?i)\bquý{NBSP}(IV|I{{1,3}})\b", joined), (path.name, joined)
    assert kinds_seen == ALL_KINDS, ALL_KINDS - kinds_seen


def test_the_annex_title_ties_its_year(out: Path) -> None:
    path = out / "ngoc-ha" / "to-dan-pho-5" / "2026" / "bao-cao-nam.docx"
    annex = [t for s, t in _paragraphs(path) if s == "TieuDePhuLuc"]
    assert any(t.endswith(f"NĂM{NBSP}2026") for t in annex), annex


def test_no_heading_ends_with_a_short_word_alone(files: list[Path]) -> None:
    checked = 0
    for path in files:
        for style, text in _paragraphs(path):
            if not style.startswith("DeMuc") or len(text) <= ONE_LINE_HEADING:
                continue
            head, _, last = text.rpartition(" ")
            last_word = last.split(NBSP)[-1]
            if NBSP in last or sum(ch.isalpha() for ch in last_word) > SHORT_LAST_WORD:
                checked += 1
                continue
            pytest.fail(f"{path.name}: «{text}» may leave «{last}» alone on its last line")
    assert checked > 20
    summary = out_path = next(p for p in files if p.stem == "tong-hop-quy-3")
    headings = [t for s, t in _paragraphs(summary) if s == "DeMuc1"]
    assert any(t.endswith(f"HẠN{NBSP}MỨC") for t in headings), (out_path, headings)


# ----------------------------------------------------------------------------- glyphs


def _font_charset() -> set[int]:
    font = next((f for f in FONT_FILES if f.is_file()), None)
    if font is None or shutil.which("fc-query") is None:
        pytest.skip("Liberation Serif (fonts-liberation2) or fontconfig's fc-query is not installed")
    ranges = subprocess.run(
        ["fc-query", "--format=%{charset}", str(font)], capture_output=True, text=True, check=True
    ).stdout.split()
    chars: set[int] = set()
    for item in ranges:
        low, _, high = item.partition("-")
        chars.update(range(int(low, 16), int(high or low, 16) + 1))
    assert ord("ệ") in chars or font == FONT_FILES[-1]
    return chars


def test_every_character_of_every_document_is_in_liberation_serif(files: list[Path]) -> None:
    charset = _font_charset()
    kinds = set()
    for path in files:
        text = _all_text(path)
        missing = sorted({ch for ch in text if ord(ch) not in charset and ch not in "\t\n"})
        assert not missing, f"{path.name}: {[f'U+{ord(c):04X} {c}' for c in missing]}"
        kinds.add(_kind(path))
    assert kinds == ALL_KINDS


def test_the_quarterly_summary_marks_criteria_with_x_and_dash(files: list[Path]) -> None:
    for path in files:
        text = _all_text(path)
        assert "✓" not in text and "✗" not in text, path.name
    summary = docx.Document(str(next(p for p in files if p.stem == "tong-hop-quy-3")))
    assert any(p.text.startswith("Ký hiệu: x đạt, – không đạt;") for p in summary.paragraphs)
    table = next(t for t in summary.tables if t.rows[0].cells[0].text == "STT")
    # the cells' rows (the totals rows, without a number, count the marks)
    marks = {c.text for row in table.rows[1:] for c in row.cells[2:6] if row.cells[0].text}
    assert marks <= {"x", "–", ""} and {"x", "–"} <= marks, marks


# ----------------------------------------------------------------------------- the annex


def _annex_rows(out: Path, cell: str) -> list[list[str]]:
    document = docx.Document(str(out / "ngoc-ha" / cell / "2026" / "bao-cao-nam.docx"))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][-1] == "Ghi chú"
                 and t.rows[0].cells[1].text == "Họ và tên")
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_annex_notes_only_where_a_member_is_not_the_usual_case(out: Path) -> None:
    rows = [r for cell in SAMPLE_CELLS for r in _annex_rows(out, cell)]
    assert len(rows) > 60
    # a member classified as usual: no note at all
    usual = [r for r in rows if r[3] == "Tốt" and not r[4]]
    assert len(usual) > len(rows) / 2
    # exempt members and levels lowered or forced by a rule: a short note
    exempt = [r for r in rows if r[3] == "Miễn sinh hoạt"]
    assert exempt and all(r[4] == "Miễn sinh hoạt đảng" for r in exempt)
    capped = {r[1]: r[4] for r in rows if r[3] in ("Hoàn thành", "Không hoàn thành")}
    assert capped and all(capped.values()), capped
    assert capped["Hoàng Hữu Tài"] == "Bị kỷ luật khiển trách trong kỳ"
    # no program output: no figures of the computation, no routine score source
    for r in rows:
        assert "=" not in r[4] and "4 quý" not in r[4] and len(r[4]) < 80, r


def test_annex_scores_all_have_one_decimal(out: Path) -> None:
    scores = [r[2] for cell in SAMPLE_CELLS for r in _annex_rows(out, cell) if r[2]]
    assert len(scores) > 60
    assert all(re.fullmatch(r"\d{1,3},\d", s) for s in scores), scores
    assert any(s.endswith(",0") for s in scores)  # «92,0», not «92»


# ----------------------------------------------------------------------------- the minutes


def test_minutes_without_a_place_have_a_dotted_place_line(tmp_path: Path) -> None:
    ws = _copy_sample(tmp_path)
    cell_file = ws / "chi-bo" / "cong-an-phuong" / "chi-bo.yaml"
    text = cell_file.read_text(encoding="utf-8")
    cell_file.write_text(re.sub(r"(?m)^\s*dia_diem_hop:.*\n", "", text), encoding="utf-8")
    result = render_documents(
        load_workspace(ws), "bien-ban", year=2026, quarter=3, cells=["cong-an-phuong"],
        output_root=tmp_path / "out",
    )
    [path] = result.written
    lines = [t for _, t in _paragraphs(path)]
    place = [t for t in lines if t.startswith("Địa điểm:")]
    assert place and re.fullmatch(r"Địa điểm: …{10,}\.", place[0]), place
    assert any("chưa ghi địa điểm" in w for w in result.warnings)
    # with a place, the place itself
    with_place = [t for _, t in _paragraphs(_minutes(tmp_path, "cong-an-phuong"))]
    assert "Địa điểm: Hội trường Công an phường." in with_place


def _minutes(tmp_path: Path, cell: str) -> Path:
    ws = _copy_sample(tmp_path / "again")
    result = render_documents(
        load_workspace(ws), "bien-ban", year=2026, quarter=3, cells=[cell], output_root=tmp_path / "again-out"
    )
    return result.written[0]


_WHEN = re.compile(r"ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})")


def _number_and_day(path: Path) -> tuple[int, date]:
    document = docx.Document(str(path))
    number = next(
        int(m[1]) for t in document.tables for c in t._cells
        if (m := re.match(r"Số (\d+)-BB/", c.text))
    )
    when = next(m for p in document.paragraphs if p.text.startswith("Thời gian:") and (m := _WHEN.search(p.text)))
    return number, date(int(when[3]), int(when[2]), int(when[1]))


def test_one_run_numbers_the_minutes_in_meeting_order(out: Path) -> None:
    for cell in SAMPLE_CELLS:
        minutes = [_number_and_day(p) for p in sorted((out / "ngoc-ha" / cell / "2026").glob("bien-ban*.docx"))]
        assert len(minutes) >= 5, cell
        by_number = [day for _, day in sorted(minutes)]
        assert by_number == sorted(by_number), (cell, sorted(minutes))


def test_minutes_made_out_of_order_keep_their_numbers_and_say_so(tmp_path: Path) -> None:
    ws = _copy_sample(tmp_path)
    folder = tmp_path / "out" / "ngoc-ha" / "to-dan-pho-5" / "2026"
    first = render_documents(
        load_workspace(ws), "bien-ban", year=2026, quarter=3, cells=["to-dan-pho-5"], output_root=tmp_path / "out"
    )
    assert not [w for w in first.warnings if "lấy số" in w]
    q3 = _number_and_day(folder / "bien-ban-quy-3.docx")
    assert q3 == (1, date(2026, 9, 5))
    year = render_documents(
        load_workspace(ws), "bien-ban", year=2026, cells=["to-dan-pho-5"], output_root=tmp_path / "out"
    )
    # the issued number stays; the earlier meetings take the next numbers, in meeting order
    assert _number_and_day(folder / "bien-ban-quy-3.docx") == q3
    q1, q2 = _number_and_day(folder / "bien-ban-quy-1.docx"), _number_and_day(folder / "bien-ban-quy-2.docx")
    assert q1 == (2, date(2026, 3, 5)) and q2 == (3, date(2026, 6, 5))
    said = [w for w in year.warnings if "lấy số" in w]
    assert len(said) == 2, year.warnings
    assert "bien-ban-quy-1.docx (ngày 05/03/2026) lấy số 02-BB/CB, sau số 01-BB/CB" in said[0]
    # the register agrees, and a third run says nothing new
    from docgen.register import read_register

    entries = {e.ky_hieu: e.issued_on for e in read_register(load_workspace(ws)) if e.co_quan.endswith("to-dan-pho-5")}
    assert entries["01-BB/CB"] == date(2026, 9, 5) and entries["02-BB/CB"] == date(2026, 3, 5)
    again = render_documents(
        load_workspace(ws), "bien-ban", year=2026, cells=["to-dan-pho-5"], output_root=tmp_path / "out"
    )
    assert not [w for w in again.warnings if "lấy số" in w]


def test_marks_are_typed_as_data_not_in_any_template(files: list[Any]) -> None:
    """The built-in templates carry no ✓/✗ either (a ward office exports them)."""
    for template in sorted((REPO / "templates" / "docx").glob("*.docx")):
        assert "✓" not in _all_text(template) and "✗" not in _all_text(template), template.name
