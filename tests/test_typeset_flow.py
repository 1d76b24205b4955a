"""The flow of pages (issue 18, points 3 and 7), read back from every rendered sample
document kind: lead-ins ending in ":" keep with what follows, the lines before the
signature go with it, short tables (and the minutes' vote table) stay on one page, long
ones break only between rows with their header repeated, and every document and section
ends in the 1 pt paragraph (no blank last page).

Each check is a function returning the faults it finds, so the same check runs on the
sample's documents (no fault) and on copies with a fault planted (found)."""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lxml import etree

from docgen.documents.kinds import KINDS as DOCUMENT_KINDS
from docgen.layout.kinds import BUILDERS
from docgen.layout.typeset import PASSES, TABLE_EDGE_ROWS, typeset
from docgen.pipeline import render_documents
from docgen.workspace import load_workspace
from tests.conftest import REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY_STYLES = {"NoiDung", "DoanKet", "DeMuc1", "DeMuc2", "DeMuc3", "QuyetNghi"}
VOTE_HEADER = ["STT", "Họ và tên", "Mức xếp loại", "Tán thành", "Không tán thành"]
# The 1 pt paragraph: 2 half-points.
ONE_POINT = "2"


class Doc:
    """A rendered document's body and the paragraph styles' properties."""

    def __init__(self, name: str, document: bytes, styles: bytes) -> None:
        self.name = name
        self.root = etree.fromstring(document)
        self.styles = etree.fromstring(styles)

    @property
    def body(self) -> Any:
        return self.root.find(f"{W}body")

    def _style_chain(self, style_id: str | None) -> Iterator[Any]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.find(f"{W}style[@{W}styleId='{style_id}']")
            if style is None:
                return
            yield style
            based = style.find(f"{W}basedOn")
            style_id = None if based is None else based.get(f"{W}val")

    def keeps_next(self, p: Any) -> bool:
        """Keep-with-next as Word sees it: direct, else from the style chain."""
        direct = p.find(f"{W}pPr/{W}keepNext")
        if direct is not None:
            return direct.get(f"{W}val", "true") not in ("0", "false", "off")
        for style in self._style_chain(style_of(p)):
            keep = style.find(f"{W}pPr/{W}keepNext")
            if keep is not None:
                return keep.get(f"{W}val", "true") not in ("0", "false", "off")
        return False

    def size(self, p: Any) -> str | None:
        """The paragraph mark's size in half-points, from its style chain."""
        for style in self._style_chain(style_of(p)):
            size = style.find(f"{W}rPr/{W}sz")
            if size is not None:
                return str(size.get(f"{W}val"))
        return None


def style_of(p: Any) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(f"{W}val")


def text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def row_has(row: Any, flag: str) -> bool:
    return row.find(f"{W}trPr/{W}{flag}") is not None


def is_signature(tbl: Any) -> bool:
    return any(style_of(p) == "ThamQuyen" for p in tbl.iter(f"{W}p"))


def data_tables(doc: Doc) -> list[Any]:
    """Bordered tables of the body (header and signature tables have none)."""
    found = []
    for tbl in doc.body.iterchildren(f"{W}tbl"):
        top = tbl.find(f"{W}tblPr/{W}tblBorders/{W}top")
        if top is not None and top.get(f"{W}val") == "single":
            found.append(tbl)
    return found


def header_texts(tbl: Any) -> list[str]:
    return [text(tc).strip() for tc in tbl.find(f"{W}tr").iterchildren(f"{W}tc")]


def vote_tables(doc: Doc) -> list[Any]:
    return [t for t in data_tables(doc) if header_texts(t)[: len(VOTE_HEADER)] == VOTE_HEADER]


# ------------------------------------------------------------------ the checks
def lead_in_faults(doc: Doc) -> list[str]:
    """Body and heading paragraphs ending in ":" that do not keep with the next one."""
    return [
        f"{doc.name}: «{text(p)}» không giữ với đoạn sau"
        for p in doc.body.iterchildren(f"{W}p")
        if style_of(p) in BODY_STYLES and text(p).rstrip().endswith(":") and not doc.keeps_next(p)
    ]


def signature_faults(doc: Doc) -> list[str]:
    """The signature table: rows that may split, rows (but the last) whose paragraphs do
    not keep with the next; the two paragraphs with text before it (and any empty one
    between; a table's last row counting as one) not kept with it."""
    faults = []
    signatures = [t for t in doc.body.iterchildren(f"{W}tbl") if is_signature(t)]
    if not signatures:
        faults.append(f"{doc.name}: không có bảng chữ ký")
    for tbl in signatures:
        rows = tbl.findall(f"{W}tr")
        faults += [f"{doc.name}: hàng chữ ký {i} có thể tách" for i, r in enumerate(rows) if not row_has(r, "cantSplit")]
        for i, row in enumerate(rows[:-1]):
            faults += [f"{doc.name}: hàng chữ ký {i} không giữ" for p in row.iter(f"{W}p") if not doc.keeps_next(p)]
        found = 0
        for before in tbl.itersiblings(preceding=True):
            if before.tag == f"{W}tbl":
                # A table's last row is the line before the closing one: kept with it.
                last = before.findall(f"{W}tr")[-1]
                if not all(doc.keeps_next(p) for p in last.iter(f"{W}p")):
                    faults.append(f"{doc.name}: hàng cuối của bảng trước chữ ký không giữ với chữ ký")
                found = 2
                break
            if before.tag != f"{W}p":
                break
            if not doc.keeps_next(before):
                faults.append(f"{doc.name}: «{text(before)[:40]}» trước chữ ký không giữ với chữ ký")
            if text(before).strip():
                found += 1
                if found == 2:
                    break
        if found < 2:
            faults.append(f"{doc.name}: chỉ {found} đoạn có chữ trước chữ ký")
    return faults


def kept_table_faults(doc: Doc, tbl: Any, *, with_next: bool = False) -> list[str]:
    """A table kept on one page: every row cantSplit, the paragraphs of every row but the
    last (of every row, ``with_next``) keep with the next."""
    rows = tbl.findall(f"{W}tr")
    faults = [f"{doc.name}: hàng {i} có thể tách" for i, r in enumerate(rows) if not row_has(r, "cantSplit")]
    for i, row in enumerate(rows if with_next else rows[:-1]):
        if not all(doc.keeps_next(p) for p in row.iter(f"{W}p")):
            faults.append(f"{doc.name}: hàng {i} của bảng không giữ với hàng sau")
    return faults


def long_table_faults(doc: Doc, tbl: Any) -> list[str]:
    """A table allowed to break: rows never split, the header row repeats, and the break
    leaves ``TABLE_EDGE_ROWS`` rows on each side."""
    rows = tbl.findall(f"{W}tr")
    faults = [f"{doc.name}: hàng {i} có thể tách" for i, r in enumerate(rows) if not row_has(r, "cantSplit")]
    if not row_has(rows[0], "tblHeader"):
        faults.append(f"{doc.name}: hàng tiêu đề không lặp lại")
    for i in [*range(TABLE_EDGE_ROWS), *range(len(rows) - TABLE_EDGE_ROWS, len(rows) - 1)]:
        if not all(doc.keeps_next(p) for p in rows[i].iter(f"{W}p")):
            faults.append(f"{doc.name}: hàng {i} ở đầu hoặc cuối bảng không giữ với hàng sau")
    return faults


def end_faults(doc: Doc) -> list[str]:
    """The body's last element before w:sectPr is an empty paragraph of the 1 pt style;
    every paragraph carrying a section break is one too."""
    faults = []
    last = doc.body.find(f"{W}sectPr").getprevious()
    if last.tag != f"{W}p" or text(last) or doc.size(last) != ONE_POINT:
        faults.append(f"{doc.name}: văn bản không kết thúc bằng đoạn 1 pt")
    for p in doc.body.iterchildren(f"{W}p"):
        if p.find(f"{W}pPr/{W}sectPr") is not None and (text(p) or doc.size(p) != ONE_POINT):
            faults.append(f"{doc.name}: đoạn ngắt phần không phải 1 pt (cỡ {doc.size(p)})")
    return faults


# ------------------------------------------------------------------ the sample
# Every built-in template: a kind per template (the assignment has two, a notice and a
# resolution); a new template joins by itself.
KINDS = sorted(name.removesuffix(".docx") for name in BUILDERS)


def template_of(package: zipfile.ZipFile) -> str:
    """The template a document was made from, as its stamp names it («mẫu ke-hoach.docx»)."""
    core = package.read("docProps/core.xml").decode("utf-8")
    found = re.search(r"mẫu (\S+)\.docx;", core)
    assert found, core
    return found.group(1)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Doc]]:
    """Every sample document, by kind."""
    root = tmp_path_factory.mktemp("flow")
    ws = root / "data"
    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    out = root / "out"
    workspace = load_workspace(ws)
    # Every kind: the yearly ones for 2026, the quarterly ones for its third quarter.
    for period in ("nam", "quy"):
        names = [spec.name for spec in DOCUMENT_KINDS if spec.period == period]
        render_documents(workspace, names, year=2026, quarter=3 if period == "quy" else None, output_root=out)
    found: dict[str, list[Doc]] = {}
    for path in sorted(out.rglob("*.docx")):
        with zipfile.ZipFile(path) as z:
            doc = Doc(str(path.relative_to(out)), z.read("word/document.xml"), z.read("word/styles.xml"))
            found.setdefault(template_of(z), []).append(doc)
    return found


def every(documents: dict[str, list[Doc]]) -> list[Doc]:
    return [doc for docs in documents.values() for doc in docs]


def test_every_kind_rendered(documents: dict[str, list[Doc]]) -> None:
    assert sorted(documents) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_lead_ins_keep_with_next(documents: dict[str, list[Doc]], kind: str) -> None:
    for doc in documents[kind]:
        assert lead_in_faults(doc) == []


def test_lead_ins_found(documents: dict[str, list[Doc]]) -> None:
    """The check has something to check: the plan's «Chỉ tiêu của Chi bộ:» (which ended
    page 2 with its list on page 3) is a lead-in of the body style, kept by the pass."""
    doc = documents["ke-hoach"][0]
    leads = [p for p in doc.body.iterchildren(f"{W}p") if text(p) == "Chỉ tiêu của Chi bộ:"]
    assert leads and all(style_of(p) == "NoiDung" for p in leads)
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in leads)


@pytest.mark.parametrize("kind", KINDS)
def test_lines_before_signature_kept(documents: dict[str, list[Doc]], kind: str) -> None:
    for doc in documents[kind]:
        assert signature_faults(doc) == []


@pytest.mark.parametrize("kind", KINDS)
def test_document_and_sections_end_in_one_point(documents: dict[str, list[Doc]], kind: str) -> None:
    for doc in documents[kind]:
        assert end_faults(doc) == []


def test_annual_report_section_break_is_one_point(documents: dict[str, list[Doc]]) -> None:
    for doc in documents["bao-cao-nam"]:
        breaks = [p for p in doc.body.iterchildren(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None]
        assert len(breaks) == 1 and doc.size(breaks[0]) == ONE_POINT


def test_vote_tables_kept_on_one_page(documents: dict[str, list[Doc]]) -> None:
    """Every vote table of the minutes: rows cantSplit, every row's paragraphs but the
    last's keep with the next; the 26-member cell's (27 rows), which only the closing
    line separates from the signatures, keeps its last row with them too."""
    tables = [(doc, t) for doc in documents["bien-ban"] for t in vote_tables(doc)]
    assert len(tables) >= 10
    for doc, tbl in tables:
        assert kept_table_faults(doc, tbl) == []
    longest = max(tables, key=lambda dt: len(dt[1].findall(f"{W}tr")))
    assert len(longest[1].findall(f"{W}tr")) == 27
    assert kept_table_faults(*longest, with_next=True) == []


def test_short_tables_kept_on_one_page(documents: dict[str, list[Doc]]) -> None:
    """The distribution of levels (2 rows) and the ward summaries (7 rows)."""
    short = [
        (doc, t)
        for kind in ("bao-cao-quy", "bao-cao-nam", "tong-hop-quy", "tong-hop-nam")
        for doc in documents[kind]
        for t in data_tables(doc)
        if len(t.findall(f"{W}tr")) < 10
    ]
    assert len(short) >= 10
    for doc, tbl in short:
        assert kept_table_faults(doc, tbl) == []


def test_long_tables_break_between_rows(documents: dict[str, list[Doc]]) -> None:
    """The task tables (several lines a row) and the annex of 28 members: rows never
    split, the header repeats, edges kept; the rows between may break (no keepNext)."""
    long = [
        (doc, t)
        for kind in ("phan-cong-thong-bao", "phan-cong-nghi-quyet", "bao-cao-nam")
        for doc in documents[kind]
        for t in data_tables(doc)
        if len(t.findall(f"{W}tr")) > 20
    ]
    assert long
    for doc, tbl in long:
        assert long_table_faults(doc, tbl) == []
        middle = tbl.findall(f"{W}tr")[TABLE_EDGE_ROWS + 1]
        assert not any(doc.keeps_next(p) for p in middle.iter(f"{W}p")), doc.name


# ------------------------------------------------------------------ planted faults
def planted(doc: Doc, change: Callable[[Doc], None]) -> Doc:
    """A copy of ``doc`` with ``change`` applied to its body."""
    copied = copy.copy(doc)
    copied.root = copy.deepcopy(doc.root)
    change(copied)
    return copied


def drop_keep(p: Any) -> None:
    keep = p.find(f"{W}pPr/{W}keepNext")
    assert keep is not None
    keep.getparent().remove(keep)


def test_planted_lead_in_fault_found(documents: dict[str, list[Doc]]) -> None:
    doc = documents["ke-hoach"][0]

    def change(d: Doc) -> None:
        drop_keep(next(p for p in d.body.iterchildren(f"{W}p") if text(p) == "Chỉ tiêu của Chi bộ:"))

    assert lead_in_faults(planted(doc, change))


def test_planted_signature_fault_found(documents: dict[str, list[Doc]]) -> None:
    doc = documents["bao-cao-quy"][0]

    def change(d: Doc) -> None:
        sig = next(t for t in d.body.iterchildren(f"{W}tbl") if is_signature(t))
        # The second paragraph with text before the signature (the closing one's style
        # keeps with the next already).
        before = [p for p in sig.itersiblings(preceding=True) if text(p).strip()]
        drop_keep(before[1])

    assert signature_faults(planted(doc, change))

    def split_row(d: Doc) -> None:
        sig = next(t for t in d.body.iterchildren(f"{W}tbl") if is_signature(t))
        flag = sig.find(f"{W}tr/{W}trPr/{W}cantSplit")
        flag.getparent().remove(flag)

    assert signature_faults(planted(doc, split_row))


def test_planted_vote_table_fault_found(documents: dict[str, list[Doc]]) -> None:
    doc = next(d for d in documents["bien-ban"] if vote_tables(d))

    def change(d: Doc) -> None:
        drop_keep(next(iter(vote_tables(d)[0].findall(f"{W}tr")[3].iter(f"{W}p"))))

    changed = planted(doc, change)
    assert kept_table_faults(changed, vote_tables(changed)[0])


def test_planted_end_faults_found(documents: dict[str, list[Doc]]) -> None:
    doc = documents["bao-cao-nam"][0]

    def no_end(d: Doc) -> None:
        last = d.body.find(f"{W}sectPr").getprevious()
        d.body.remove(last)

    assert end_faults(planted(doc, no_end))

    def full_size_break(d: Doc) -> None:
        p = next(p for p in d.body.iterchildren(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None)
        style = p.find(f"{W}pPr/{W}pStyle")
        style.getparent().remove(style)

    assert end_faults(planted(doc, full_size_break))


def strip_flow(root: Any) -> None:
    """Undo what the flow passes set (and the section break's style), as a template made
    without them would render."""
    for tag in ("keepNext", "cantSplit", "tblHeader"):
        for el in list(root.iter(f"{W}{tag}")):
            el.getparent().remove(el)
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "CuoiVanBan":
            style.getparent().remove(style)
    body = root.find(f"{W}body")
    last = body.find(f"{W}sectPr").getprevious()
    if last.tag == f"{W}p" and not text(last) and last.find(f"{W}pPr/{W}sectPr") is None:
        body.remove(last)


@pytest.mark.parametrize("kind", ["ke-hoach", "bao-cao-nam", "bien-ban"])
def test_passes_restore_the_flow(documents: dict[str, list[Doc]], kind: str) -> None:
    """The passes, not only the templates, make the flow: stripped of every keep and of
    the 1 pt paragraphs, a document gets them back from ``typeset``."""
    assert PASSES
    doc = max(documents[kind], key=lambda d: len(d.root.findall(f".//{W}tr")))
    bare = planted(doc, lambda d: strip_flow(d.root))
    assert end_faults(bare) and signature_faults(bare)
    assert typeset(bare.root)
    assert lead_in_faults(bare) == [] and signature_faults(bare) == [] and end_faults(bare) == []
    for tbl in vote_tables(bare):
        assert kept_table_faults(bare, tbl) == []
    assert not typeset(bare.root)  # a second run changes nothing
