"""Rendering at the floor (issue 19): the shortcuts of render.CompiledTemplate._render give
exactly what the long way gave.

- the zip: parts the template does not change are deflated once (ziputil.deflate_member)
  and laid out by ziputil.join_members; the bytes are zipfile's (write_zip);
- the rendered-part policy: packagecheck.may_reach_out lets a part skip
  packagecheck.part_problems only when that finds nothing;
- the paragraph newlines: render.unmark_paragraphs is the regex it replaced.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen.errors import TemplateError
from docgen.layout.typeset import typeset
from docgen.packagecheck import may_reach_out, part_problems
from docgen.pipeline import check_workspace
from docgen.render import (
    _XML_DECL,
    CompiledTemplate,
    DocStamp,
    _Budget,
    sandboxed_env,
    unmark_paragraphs,
)
from docgen.templates import BUILTIN_DIR, Renderer
from docgen.workspace import load_workspace
from docgen.ziputil import deflate_member, join_members, write_zip
from tests.conftest import SAMPLE

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# ---------------------------------------------------------------- the zip


def _joined(parts: list[tuple[str, bytes]]) -> bytes:
    return join_members(deflate_member(name, data) for name, data in parts)


@pytest.mark.parametrize(
    "parts",
    [
        [],
        [("a.xml", b"")],
        [("[Content_Types].xml", b"<Types/>" * 200), ("_rels/.rels", b"<Relationships/>")],
        [("word/media/image1.png", random.Random(1).randbytes(70_000))],
        [("thư-mục/tệp ả.xml", "ữ".encode() * 3000), ("b", b"\x00" * 100_000)],
        [(f"word/p{i}.xml", f"<p>{i}</p>".encode() * i) for i in range(300)],
    ],
    ids=["none", "empty", "xml", "random", "utf8-names", "many"],
)
def test_joined_members_are_the_bytes_zipfile_writes(parts: list[tuple[str, bytes]]) -> None:
    joined = _joined(parts)
    assert joined == write_zip(parts)
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == parts


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=20).filter(lambda n: "\x00" not in n), st.binary(max_size=3000)),
        max_size=8,
        unique_by=lambda part: part[0],
    )
)
def test_joined_members_match_zipfile_for_any_parts(parts: list[tuple[str, bytes]]) -> None:
    assert _joined(parts) == write_zip(parts)


def test_a_member_is_placed_again_unchanged() -> None:
    """One member deflated once serves many packages, at any offset."""
    styles = deflate_member("word/styles.xml", b"<w:styles/>" * 500)
    for head in (b"", b"x" * 10_000):
        parts = [("word/document.xml", head), ("word/styles.xml", b"<w:styles/>" * 500)]
        assert join_members([deflate_member(*parts[0]), styles]) == write_zip(parts)


# ---------------------------------------------------------------- every kind of the sample


def _old_render(template: CompiledTemplate, context: dict[str, Any], stamp: DocStamp | None) -> bytes:
    """What CompiledTemplate._render did before issue 19: the regex, the full policy scan of
    every part, every part deflated by zipfile."""
    from docgen.render import _CORE, _core_xml

    rendered: dict[str, bytes] = {}
    for name, part in template.parts.items():
        out = template._render_part(part, context, _Budget())
        out = re.sub(r"\n<w:p([ >])", r"<w:p\1", out)
        data = (_XML_DECL + out).encode("utf-8")
        tree = etree.fromstring(data)
        assert not [f for f in part_problems(name, tree) if f.is_error]
        # The typesetting passes (issue 18) run on the body in both paths.
        if name == "word/document.xml" and typeset(tree):
            data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
        rendered[name] = data
    if stamp is not None:
        rendered[_CORE] = _core_xml(stamp).encode("utf-8")
    return write_zip((info.filename, rendered.get(info.filename, data)) for info, data in template.entries)


@pytest.fixture(scope="module")
def sample_items() -> list[Any]:
    return check_workspace(load_workspace(SAMPLE)).prepared


def test_every_sample_document_is_byte_identical_to_the_old_path(sample_items: list[Any]) -> None:
    renderer = Renderer()
    kinds = set()
    for item in sample_items:
        template = renderer.template(BUILTIN_DIR / item.template)
        stamp = DocStamp(
            kind=item.kind, title=item.title, author=item.author, issued=item.issued,
            template_name=item.template, template_sha256=template.sha256, docgen_version="0",
        )
        for with_stamp in (stamp, None):
            assert template.render(item.context, with_stamp) == _old_render(
                template, item.context, with_stamp
            ), (item.output, with_stamp is not None)
        kinds.add(item.kind)
    # Every kind of the sample took part (a sample losing a kind would weaken this test).
    assert kinds >= {"ke-hoach", "phan-cong", "bao-cao-quy", "bien-ban", "tong-hop-quy"}


def test_the_built_in_templates_rendered_take_the_quick_path(sample_items: list[Any]) -> None:
    """None of the built-in templates' rendered parts needs the full scan (the speed of
    issue 19 rests on it; a template adding a field or a link would make it slow, not
    wrong)."""
    renderer = Renderer()
    for item in sample_items:
        template = renderer.template(BUILTIN_DIR / item.template)
        for name, part in template.parts.items():
            out = unmark_paragraphs(template._render_part(part, item.context, _Budget()))
            assert not may_reach_out((_XML_DECL + out).encode("utf-8")), (item.template, name)


# ---------------------------------------------------------------- the quick policy check

_HEAD = (
    f'<w:document xmlns:w="{_W}" xmlns:r="{_R}" xmlns:zz="{_R}" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>'
)


def _part(body: str) -> bytes:
    return (_XML_DECL + _HEAD + body + "</w:body></w:document>").encode("utf-8")


def _refs(text: str) -> str:
    """``text`` written with character references only."""
    return "".join(f"&#{ord(c)};" for c in text)


# Parts part_problems refuses, written every way the markup allows: a custom prefix, character
# references in values and text, instructions split across runs.
HOSTILE = {
    "fldSimple": '<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://x/a.png&quot; "/></w:p>',
    "fldSimple-refs": f'<w:p><w:fldSimple w:instr="{_refs("INCLUDETEXT c:/a.docx")}"/></w:p>',
    "instrText": '<w:p><w:r><w:instrText> LINK Excel.Sheet "a.xlsx" </w:instrText></w:r></w:p>',
    "instrText-split": (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IN</w:instrText></w:r>'
        '<w:r><w:instrText>CLUDEPICTURE x</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/>'
        "</w:r></w:p>"
    ),
    "instrText-refs": f'<w:p><w:r><w:instrText>{_refs("DDEAUTO a b")}</w:instrText></w:r></w:p>',
    "instrText-cdata": "<w:p><w:r><w:instrText><![CDATA[ DATABASE x ]]></w:instrText></w:r></w:p>",
    "blip-link": '<w:p><a:blip r:link="rIdX"/></w:p>',
    "blip-link-other-prefix": '<w:p><a:blip zz:link="rIdX"/></w:p>',
    "blip-link-local-ns": f'<w:p><a:blip xmlns:q="{_R}" q:link="rIdX"/></w:p>',
    "r-href": '<w:p><v:imagedata r:href="rIdX"/></w:p>',
    "vml-src": '<w:p><v:imagedata src="http://x/a.png"/></w:p>',
    "vml-src-refs": f'<w:p><v:imagedata src="{_refs("file://host/a.png")}"/></w:p>',
    "o-href-unc": '<w:p><v:imagedata o:href="\\\\host\\share\\a.png"/></w:p>',
    "src-spaced": '<w:p><v:imagedata src = "  //host/a.png"/></w:p>',
}

BENIGN = {
    "text": "<w:p><w:r><w:t>Chi bộ tổ dân phố số 5 &amp; lịch sinh hoạt</w:t></w:r></w:p>",
    "page-field": '<w:p><w:fldSimple w:instr=" PAGE "/></w:p>',
    "internal-src": '<w:p><v:imagedata src="media/a.png"/></w:p>',
    "words": "<w:p><w:r><w:t>link href src instr INCLUDEPICTURE</w:t></w:r></w:p>",
    "empty-field": '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r></w:p>',
}


def _full(data: bytes) -> list[Any]:
    return part_problems("word/document.xml", etree.fromstring(data))


def _quick(data: bytes) -> list[Any]:
    """The verdict render takes: the full scan only when the quick test lets it find."""
    return _full(data) if may_reach_out(data) else []


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_quick_check_refuses_each_hostile_part(name: str) -> None:
    data = _part(HOSTILE[name])
    assert [f for f in _full(data) if f.is_error], "the table's part must be refused"
    assert _quick(data) == _full(data)


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_quick_check_agrees_on_benign_parts(name: str) -> None:
    data = _part(BENIGN[name])
    assert not _full(data)
    assert _quick(data) == _full(data)


def test_a_plain_part_skips_the_full_scan() -> None:
    assert not may_reach_out(_part("<w:p><w:r><w:t>Nghị quyết số 12</w:t></w:r></w:p>"))
    assert may_reach_out(b'<!DOCTYPE w:document [<!ENTITY e "x">]>' + _part(""))


# Fragments of markup, each written in several ways, that a random part is built from.
_FRAGMENTS = [
    *HOSTILE.values(),
    *BENIGN.values(),
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    "<w:r><w:instrText>INCLUDE</w:instrText></w:r>",
    "<w:r><w:instrText>PICTURE x</w:instrText></w:r>",
    f"<w:r><w:instrText>{_refs(' HYPERLINK')}</w:instrText></w:r>",
    '<a:blip r:embed="rId1"/>',
    '<v:imagedata r:id="rId1" o:title=""/>',
    '<w:hyperlink r:id="rId3"><w:r><w:t>x</w:t></w:r></w:hyperlink>',
    '<w:p w:rsidR="00A1"><w:pPr><w:jc w:val="both"/></w:pPr></w:p>',
    "<w:r><w:t>INCLUDEPICTURE</w:t></w:r>",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=8))
def test_quick_verdict_is_the_full_verdict(fragments: list[str]) -> None:
    data = _part("".join(fragments))
    assert _quick(data) == _full(data)


def test_render_refuses_a_link_printed_unescaped(tmp_path: Path) -> None:
    """Markup a template prints unescaped, names written as they must be and values as
    character references, is refused when rendered: the quick test sees the names."""
    from tests.test_untrusted_docx import BUILTIN, TEMPLATE, _add_to_body, edit

    markup = '<a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    markup += f'xmlns:q="{_R}" q:link="{_refs("rId9")}"/>'
    tag = "{% autoescape false %}{{ '" + markup.replace("'", "\\'") + "' }}{% endautoescape %}"
    path = tmp_path / TEMPLATE
    text = escape(tag, {'"': "&quot;"})
    path.write_bytes(edit(BUILTIN, {"word/document.xml": _add_to_body(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")}))
    compiled = CompiledTemplate.load(path, sandboxed_env())
    from docgen.contract import contract_for

    contract = contract_for(TEMPLATE)
    assert contract is not None
    with pytest.raises(TemplateError, match="ở phần word/document.xml, có ảnh hay đối tượng liên kết"):
        compiled.render(contract.sample_context())


# ---------------------------------------------------------------- the paragraph newlines


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\n", "<w:p", " ", ">", "Pr>", "x", "\n\n", "<w:p>"]), max_size=30))
def test_unmark_paragraphs_is_the_regex(pieces: list[str]) -> None:
    xml = "".join(pieces)
    assert unmark_paragraphs(xml) == re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
