"""Rendering is safe (escaping, sandbox, strict variables) and deterministic."""

from __future__ import annotations

import io
import re
import time
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import jinja2.sandbox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.docxread import text_dump
from docgen.errors import TemplateError
from docgen.pipeline import render_documents
from docgen.render import CompiledTemplate, sandboxed_env
from docgen.templates import BUILTIN_DIR, Renderer
from docgen.workspace import load_workspace
from tests.conftest import edit_yaml

PLAN = "chi-bo/to-dan-pho-5/2026/ke-hoach.yaml"
OUT = Path("ngoc-ha/to-dan-pho-5/2026/ke-hoach.docx")


def patched_template(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the built-in plan template with one text of document.xml replaced."""
    src = BUILTIN_DIR / "ke-hoach.docx"
    folder = tmp_path / "mau"
    folder.mkdir(exist_ok=True)
    target = folder / "ke-hoach.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                assert old in text
                data = text.replace(old, new, 1).encode()
            zout.writestr(info, data)
    return folder


def render_sample(
    ws_root: Path, out: Path, templates: Path | None = None, *, check: bool = True
) -> Path:
    ws = load_workspace(ws_root)
    render_documents(
        ws,
        "ke-hoach",
        year=2026,
        cells=["to-dan-pho-5"],
        output_root=out,
        templates_dir=templates,
        renderer=Renderer(check=check),
    )
    return out / OUT


HOSTILE = "A & B <c> \"d\" 'e' {{ 7*7 }} {% if x %}y{% endif %} ]]> &amp; Nguyễn"


def test_hostile_text_comes_out_verbatim(sample_ws: Path, tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Đảng viên gương mẫu")
    edit_yaml(
        sample_ws / PLAN,
        "    - Một số đảng viên cao tuổi",
        f"    - '{HOSTILE.replace(chr(39), chr(39) * 2)}'\n    - {decomposed}\n    - Một số đảng viên cao tuổi",
    )
    dump = text_dump(render_sample(sample_ws, tmp_path / "out"))
    assert f"[NoiDung] - {HOSTILE};\n" in dump
    assert "[NoiDung] - Đảng viên gương mẫu;\n" in dump
    assert "49" not in dump.split("[NoiDung] - A & B")[1].split("\n")[0]


def test_multiline_text_becomes_paragraphs(sample_ws: Path, tmp_path: Path) -> None:
    edit_yaml(
        sample_ws / PLAN,
        "  giai_phap:\n",
        "  giai_phap:\n    - |\n      Dòng thứ nhất\n      Dòng thứ hai\n",
    )
    dump = text_dump(render_sample(sample_ws, tmp_path / "out"))
    assert "[NoiDung] - Dòng thứ nhất;\n[NoiDung] - Dòng thứ hai;\n" in dump


def test_same_input_gives_identical_bytes(sample_ws: Path, tmp_path: Path) -> None:
    first = render_sample(sample_ws, tmp_path / "a").read_bytes()
    second = render_sample(sample_ws, tmp_path / "b").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_version_stamp_in_core_properties(sample_ws: Path, tmp_path: Path) -> None:
    import hashlib

    import docx

    from docgen import __version__

    path = render_sample(sample_ws, tmp_path / "out")
    props = docx.Document(str(path)).core_properties
    digest = hashlib.sha256((BUILTIN_DIR / "ke-hoach.docx").read_bytes()).hexdigest()
    assert props.subject == "ke-hoach"
    assert props.title == "KẾ HOẠCH xây dựng “chi bộ bốn tốt” năm 2026"
    assert props.author == "Chi bộ Tổ dân phố số 5"
    assert props.comments == (
        f"docgen {__version__}; loại ke-hoach; mẫu ke-hoach.docx; sha256 mẫu {digest}"
    )
    assert props.created.isoformat().startswith("2026-01-05")


@pytest.mark.parametrize("check", [True, False], ids=["checked", "sandbox-only"])
@pytest.mark.parametrize(
    "payload",
    ["{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}", "{{ nam.__class__ }}"],
)
def test_sandbox_refuses_python_internals(
    sample_ws: Path, tmp_path: Path, payload: str, check: bool
) -> None:
    # Two locks: the check refuses hidden attributes; the sandbox refuses them at render.
    templates = patched_template(tmp_path, "I. MỤC ĐÍCH, YÊU CẦU", f"I. MỤC ĐÍCH {payload}")
    with pytest.raises(TemplateError) as info:
        render_sample(sample_ws, tmp_path / "out", templates, check=check)
    message = str(info.value)
    assert ("thuộc tính ẩn" if check else "bị chặn vì an toàn") in message
    assert message.startswith("mẫu ")
    assert "ke-hoach.docx" in message
    assert "«I. MỤC ĐÍCH" in message
    assert not (tmp_path / "out").exists()


def test_undefined_variable_is_located(sample_ws: Path, tmp_path: Path) -> None:
    templates = patched_template(tmp_path, "{{ ten_chi_bo }} xây dựng", "{{ ten_chi_bo_moi }} xây dựng")
    # the check before rendering knows the contract, so it can suggest the right name
    with pytest.raises(TemplateError) as info:
        render_sample(sample_ws, tmp_path / "out", templates)
    assert str(info.value).endswith(
        "ke-hoach.docx: đoạn 15 «{{ ten_chi_bo_moi }} xây dựng Kế hoạch xây»: "
        "thẻ {{ ten_chi_bo_moi }}: biến 'ten_chi_bo_moi' không có trong danh sách biến của mẫu "
        "ke-hoach.docx (có phải ý là 'ten_chi_bo'?)"
    )
    assert not (tmp_path / "out").exists()
    # without the check, rendering itself still locates the missing variable
    with pytest.raises(TemplateError) as info:
        render_sample(sample_ws, tmp_path / "out", templates, check=False)
    assert str(info.value).endswith(
        "ke-hoach.docx: đoạn 15 «{{ ten_chi_bo_moi }} xây dựng Kế hoạch xây»: "
        "thẻ {{ ten_chi_bo_moi }}: biến 'ten_chi_bo_moi' không có trong dữ liệu"
    )
    assert not (tmp_path / "out").exists()


def test_syntax_error_is_located(tmp_path: Path) -> None:
    templates = patched_template(tmp_path, "{%p for cc in can_cu %}", "{%p for cc in can_cu %")
    with pytest.raises(TemplateError) as info:
        CompiledTemplate.load(templates / "ke-hoach.docx", sandboxed_env())
    # Jinja reports the statement that could not be closed; the place is a paragraph.
    assert str(info.value).startswith("mẫu ke-hoach.docx: đoạn ")
    assert "thẻ không xác định 'endfor'" in str(info.value)


def test_failed_render_keeps_existing_output(sample_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = render_sample(sample_ws, out)
    before = good.read_bytes()
    templates = patched_template(tmp_path, "{{ ten_chi_bo }} xây dựng", "{{ khong_co }} xây dựng")
    with pytest.raises(TemplateError):
        render_sample(sample_ws, out, templates)
    assert good.read_bytes() == before
    assert [p.name for p in good.parent.iterdir()] == ["ke-hoach.docx"]


def test_template_compiled_once_per_renderer(tmp_path: Path) -> None:
    renderer = Renderer()
    path = BUILTIN_DIR / "ke-hoach.docx"
    assert renderer.template(path) is renderer.template(path)


def test_not_a_docx(tmp_path: Path) -> None:
    bad = tmp_path / "ke-hoach.docx"
    bad.write_text("không phải docx")
    with pytest.raises(TemplateError) as info:
        CompiledTemplate.load(bad, sandboxed_env())
    assert str(info.value) == "mẫu ke-hoach.docx: không phải tệp .docx hợp lệ"


# Text the models can hand to a template: no XML-forbidden controls, no line breaks
# (the models turn those into separate paragraphs), NFC.
_SAFE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\r\n\x85\u2028\u2029\ufffe\uffff"
        + "".join(chr(c) for c in range(0x20) if c != 0x09),
    ),
    min_size=1,
    max_size=60,
).map(lambda s: unicodedata.normalize("NFC", s))


@pytest.fixture(scope="module")
def plan_context() -> dict:
    from docgen.documents import get_kind

    ws = load_workspace(Path(__file__).resolve().parent.parent / "data")
    (prepared,) = get_kind("ke-hoach").prepare(ws, ws.load_cell("to-dan-pho-5"), 2026, None)
    return prepared.context


@pytest.fixture(scope="module")
def plan_template() -> CompiledTemplate:
    return Renderer().template(BUILTIN_DIR / "ke-hoach.docx")


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_SAFE_TEXT)
@example(text="a{_{b}_}c{_%d%_}")  # docxtpl's literal-brace escape, rewritten in data before
def test_any_text_survives_rendering(
    plan_context: dict, plan_template: CompiledTemplate, text: str
) -> None:
    import docx

    template = plan_template
    context = {**plan_context, "han_che": [text], "nguoi_ky": text}
    data = template.render(context)
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert f"- {text}" in texts
    signature = document.tables[-1].rows[0].cells[1].paragraphs[-1].text
    assert signature == text


# ---------------------------------------------------------------- the sandbox
# A template comes from someone else's computer. Each payload goes into the plan template
# and is refused with a message naming the template and the paragraph; nothing is written.
# "checked": the template check (what `docgen render` runs first); "sandbox-only": the
# renderer alone (Renderer(check=False)), the second lock.
SANDBOX_PAYLOADS = {
    "mro": ("{{ ''.__class__.__mro__ }}", "thuộc tính ẩn '__class__'", "truy cập thuộc tính '__class__'"),
    "globals-environ": (
        "{{ cycler.__init__.__globals__.os.environ }}",
        "thuộc tính ẩn '__init__'",
        "truy cập thuộc tính '__init__'",
    ),
    "lipsum-globals": ("{{ lipsum.__globals__ }}", "thuộc tính ẩn '__globals__'", "biến 'lipsum' không có trong dữ liệu"),
    "self-init": ("{{ self.__init__ }}", "thuộc tính ẩn '__init__'", "truy cập thuộc tính '__init__'"),
    "context-private": (
        "{{ self._TemplateReference__context }}",
        "thuộc tính ẩn '_TemplateReference__context'",
        "truy cập thuộc tính '_TemplateReference__context'",
    ),
    "subscript-dunder": ("{{ nam['__class__'] }}", "thuộc tính ẩn '__class__'", "truy cập thuộc tính '__class__' của 'int'"),
    "include": ("{% include '/etc/passwd' %}", "không được chèn hay đọc tệp khác", "không được chèn hay đọc tệp khác"),
    "import": ("{% import 'ke-hoach.docx' as m %}", "không được chèn hay đọc tệp khác", "không được chèn hay đọc tệp khác"),
    "range": ("{{ range(10**10)|length }}", "range() quá lớn (tối đa 100000 số)", "range() quá lớn (tối đa 100000 số)"),
    "bound-method": ("{{ ''.join }}", "in ra một giá trị kiểu 'builtin_function_or_method'", "in ra một giá trị kiểu 'builtin_function_or_method'"),
    "context-object": ("{{ self }}", "biến 'self' không có trong danh sách biến", "in ra một giá trị kiểu 'TemplateReference'"),
    "repeat": ("{{ 'a' * 10**7 }}", "chuỗi hoặc danh sách quá dài", "chuỗi hoặc danh sách quá dài"),
    "power": ("{{ 10 ** (10 ** 10) }}", "phép lũy thừa tạo ra số quá lớn", "phép lũy thừa tạo ra số quá lớn"),
    "percent-format": ("{{ '%999999999d' % 1 }}", "định dạng chuỗi bằng '%'", "định dạng chuỗi bằng '%'"),
    "str-format": ("{{ '{:>999999999}'.format(1) }}", "định dạng chuỗi bằng .format", "định dạng chuỗi bằng .format"),
    # Text that doubles: each size below is harmless if a guard were missing (tens of MB),
    # and twice the 10 M character bound, so the refusal is the guard's.
    "macro-doubling": (
        "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{{ d(n - 1) }}{% else %}{{ 'x' * 5000 }}{% endif %}"
        "{% endmacro %}{{ d(12) }}",
        "chuỗi quá dài (quá 10.000.000 ký tự)", "chuỗi quá dài (quá 10.000.000 ký tự)",
    ),
    "tilde-doubling": (
        "{% set ns = namespace(s='ab') %}{% for i in range(24) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "chuỗi quá dài (quá 10.000.000 ký tự)", "chuỗi quá dài (quá 10.000.000 ký tự)",
    ),
    "plus-doubling": (
        "{% set ns = namespace(s='ab') %}{% for i in range(24) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        "chuỗi quá dài (quá 10.000.000 ký tự)", "chuỗi quá dài (quá 10.000.000 ký tự)",
    ),
    "replace-blowup": (
        "{% set s = 'a' * 4000 %}{{ s|replace('a', s)|length }}",
        "chuỗi quá dài (quá 10.000.000 ký tự)", "chuỗi quá dài (quá 10.000.000 ký tự)",
    ),
    "join-blowup": (
        "{{ range(1000)|join('a' * 20000)|length }}",
        "chuỗi quá dài (quá 10.000.000 ký tự)", "chuỗi quá dài (quá 10.000.000 ký tự)",
    ),
    # str() of a list nested in itself grows as 2**depth (depth 20: 4 MB if not refused)
    "self-nested-list": (
        "{% set ns = namespace(l=[]) %}{% for i in range(20) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l|upper }}",
        "bộ lọc 'upper' nhận một giá trị kiểu 'list'", "bộ lọc 'upper' nhận một giá trị kiểu 'list'",
    ),
    "self-nested-concat": (
        "{% set ns = namespace(l=[]) %}{% for i in range(20) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l ~ '' }}",
        "phép nối ~ nhận một giá trị kiểu 'list'", "phép nối ~ nhận một giá trị kiểu 'list'",
    ),
    "filter-outside-the-contract": (
        "{{ nam|tojson }}", "bộ lọc 'tojson' không được dùng trong mẫu", "bộ lọc 'tojson' không được dùng trong mẫu",
    ),
}


@pytest.mark.parametrize("check", [True, False], ids=["checked", "sandbox-only"])
@pytest.mark.parametrize("name", list(SANDBOX_PAYLOADS))
def test_sandbox_refuses_hostile_templates(
    sample_ws: Path, tmp_path: Path, name: str, check: bool
) -> None:
    payload, when_checked, when_rendered = SANDBOX_PAYLOADS[name]
    templates = patched_template(tmp_path, "I. MỤC ĐÍCH, YÊU CẦU", f"I. MỤC ĐÍCH {escape(payload)}")
    start = time.monotonic()
    with pytest.raises(TemplateError) as info:
        render_sample(sample_ws, tmp_path / "out", templates, check=check)
    assert time.monotonic() - start < 20  # refused, not computed
    message = str(info.value)
    assert re.match(r"mẫu \S*/mau/ke-hoach\.docx: đoạn 16 «I\. MỤC ĐÍCH", message)
    assert (when_checked if check else when_rendered) in message
    assert not (tmp_path / "out").exists()


def test_a_render_that_never_ends_is_stopped(
    sample_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docgen.render

    monkeypatch.setattr(docgen.render, "RENDER_SECONDS", 0.5)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    templates = patched_template(tmp_path, "I. MỤC ĐÍCH, YÊU CẦU", f"I. MỤC ĐÍCH {loops}")
    start = time.monotonic()
    with pytest.raises(TemplateError) as info:
        render_sample(sample_ws, tmp_path / "out", templates)
    assert time.monotonic() - start < 10
    assert re.match(
        r"mẫu \S*/mau/ke-hoach\.docx: đoạn 16 «I\. MỤC ĐÍCH .*»: thẻ \{% for i in range\(100000\) %\}: "
        r"chạy thử với dữ liệu mẫu: mẫu chạy quá lâu \(quá 0,5 giây; vòng lặp quá lớn\?\), đã dừng$",
        str(info.value),
    )
    assert not (tmp_path / "out").exists()


def test_templates_cannot_read_files_or_the_environment(tmp_path: Path) -> None:
    # No loader (nothing can be included), no global beyond Jinja's harmless helpers,
    # and the sandbox refuses every underscore attribute that leads to os or open.
    env = sandboxed_env()
    assert env.loader is None
    assert sorted(env.globals) == ["cycler", "dict", "joiner", "namespace", "range"]
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("BÍ MẬT 12345", encoding="utf-8")
    for source in (
        f"{{% include {str(secret)!r} %}}",
        f"{{% from {str(secret)!r} import x %}}",
        f"{{% extends {str(secret)!r} %}}",
        "{{ cycler.__init__.__globals__.os.environ }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ dict.__subclasses__() }}",
    ):
        with pytest.raises(jinja2.sandbox.SecurityError) as info:
            env.from_string(source).render()
        assert "BÍ MẬT" not in str(info.value)


def test_literal_braces_of_the_template_still_print(sample_ws: Path, tmp_path: Path) -> None:
    # docxtpl's escape for a literal "{{" in a template keeps working; data is never rewritten.
    templates = patched_template(tmp_path, "I. MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH {_{ x }_} {_% y %_}")
    dump = text_dump(render_sample(sample_ws, tmp_path / "out", templates))
    assert "[DeMuc1] I. MỤC ĐÍCH {{ x }} {% y %}\n" in dump


@pytest.mark.slow
def test_time_limit_gives_back_an_outer_timer() -> None:
    import signal

    from docgen.render import time_limit

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with time_limit(5):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 0.3
        time.sleep(0.5)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
