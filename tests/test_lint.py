"""docgen templates check: one small broken template per rule, each finding located by
paragraph or table cell with its tag, in Vietnamese; rendering refuses the same way."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from docgen.contract import CONTRACTS
from docgen.errors import TemplateCheckError
from docgen.lint import check_template, compile_checked
from docgen.render import sandboxed_env
from docgen.templates import BUILTIN_DIR
from tests.wordedit import edit_document, grid, p, replace, tiny_template

NOTICE = "phan-cong-thong-bao.docx"  # the contract the small templates are checked against


def errors_of(tmp_path: Path, *blocks: str, name: str = NOTICE) -> list[tuple[str, str | None, str | None, str]]:
    """(rule, place, tag, message) of each error, the contract's required names aside."""
    path = tiny_template(tmp_path / "mau", name, *blocks)
    findings = check_template(path, "mau.docx", layout=False)
    return [
        (f.rule, f.place, f.tag, f.message)
        for f in findings
        if f.is_error and f.rule != "bien-bat-buoc"
    ]


RULES = [
    (
        "unclosed-tag",
        [p("Chi bộ {{ ten_chi_bo } thông báo")],
        ("the-tach", "đoạn 1 «Chi bộ {{ ten_chi_bo } thông báo»", "{{ ten_chi_bo } thông báo",
         "thẻ mở «{{» không có «}}» để đóng"),
    ),
    (
        "jinja-syntax",
        [p("{{ ten_chi_bo | }}")],
        ("cu-phap", "đoạn 1 «{{ ten_chi_bo | }}»", "{{ ten_chi_bo | }}",
         "viết sai cú pháp: cần 'name' nhưng gặp 'end of print statement'"),
    ),
    (
        "loop-never-closed",
        [p("{%p for cc in can_cu %}"), p("- {{ cc }}")],
        ("the-mo", "đoạn 1 «{%p for cc in can_cu %}»", "{%p for cc in can_cu %}",
         "thẻ mở «for» chưa được đóng: thiếu thẻ «endfor» tương ứng"),
    ),
    (
        "stray-endfor",
        [p("Căn cứ"), p("{%p endfor %}")],
        ("the-mo", "đoạn 2 «{%p endfor %}»", "{%p endfor %}", "thẻ này không có thẻ mở tương ứng"),
    ),
    (
        "p-open-and-close-in-one-paragraph",
        [p("{%p for cc in can_cu %}{{ cc }}{%p endfor %}")],
        ("the-p-tr", "đoạn 1 «{%p for cc in can_cu %}{{ cc }}{%p»", "{%p endfor %}",
         "{%p for cc in can_cu %} và {%p endfor %} ở cùng một đoạn"),
    ),
    (
        "tr-open-and-close-in-one-row",
        [grid(["{%tr for r in bang %}", "{{ r.ho_ten }}", "{%tr endfor %}"])],
        ("the-p-tr", "bảng 1, hàng 1, ô 3, đoạn 3 «{%tr endfor %}»", "{%tr endfor %}",
         "ở cùng một hàng (bảng 1, hàng 1): đặt chúng ở hai hàng riêng"),
    ),
    (
        "tr-outside-a-table",
        [p("{%tr for r in bang %}"), p("{{ r.ho_ten }}"), p("{%tr endfor %}")],
        ("the-p-tr", "đoạn 1 «{%tr for r in bang %}»", "{%tr for r in bang %}",
         "thẻ «{%tr ...%}» chỉ dùng trong ô của bảng"),
        ("the-p-tr", "đoạn 3 «{%tr endfor %}»", "{%tr endfor %}",
         "thẻ «{%tr ...%}» chỉ dùng trong ô của bảng"),
    ),
    (
        "p-closed-by-plain-endfor",
        [p("{%p for cc in can_cu %}"), p("{{ cc }}"), p("{% endfor %}")],
        ("the-p-tr", "đoạn 3 «{% endfor %}»", "{% endfor %}",
         "thẻ đóng không cùng loại với thẻ mở {%p for cc in can_cu %} (đoạn 1 «{%p for cc in can_cu %}»)"),
    ),
    (
        "text-beside-a-p-tag",
        [p("Căn cứ: {%p for cc in can_cu %}"), p("{{ cc }}"), p("{%p endfor %}")],
        ("the-p-tr", "đoạn 1 «Căn cứ: {%p for cc in can_cu %}»", "{%p for cc in can_cu %}",
         "nên chữ «Căn cứ:» cạnh nó sẽ mất"),
    ),
    (
        "variable-not-in-contract",
        [p("{{ ten_chi_bo_moi }} thông báo")],
        ("bien-la", "đoạn 1 «{{ ten_chi_bo_moi }} thông báo»", "{{ ten_chi_bo_moi }}",
         "biến 'ten_chi_bo_moi' không có trong danh sách biến của mẫu phan-cong-thong-bao.docx "
         "(có phải ý là 'ten_chi_bo'?)"),
    ),
    (
        "field-not-in-contract",
        [grid(["STT", "Họ tên"], ["{%tr for r in bang %}", ""], ["{{ r.stt }}", "{{ r.ho_tn }}"],
              ["{%tr endfor %}", ""])],
        ("bien-la", "bảng 1, hàng 3, ô 2, đoạn 6 «{{ r.ho_tn }}»", "{{ r.ho_tn }}",
         "mỗi mục của 'bang' không có trường 'ho_tn' (có phải ý là 'ho_ten'?)"),
    ),
    (
        "field-of-a-text",
        [p("{{ ten_chi_bo.ten }}")],
        ("bien-la", "đoạn 1 «{{ ten_chi_bo.ten }}»", "{{ ten_chi_bo.ten }}",
         "'ten_chi_bo' là chữ, không có trường nào sau dấu chấm"),
    ),
    (
        "loop-over-a-number",
        [p("{%p for x in nam %}"), p("{{ x }}"), p("{%p endfor %}")],
        ("bien-la", "đoạn 1 «{%p for x in nam %}»", "{%p for x in nam %}",
         "'nam' không phải danh sách nên không lặp được"),
    ),
    (
        "filter-not-allowed",
        [p("{{ ten_chi_bo|upper }} và {{ ten_chi_bo|uper }}")],
        ("bo-loc", "đoạn 1 «{{ ten_chi_bo|upper }} và {{ ten_chi_bo|uper }}»", "{{ ten_chi_bo|uper }}",
         "bộ lọc 'uper' không được dùng trong mẫu (có phải ý là 'upper'?)"),
    ),
    (
        "safe-filter",
        [p("{% filter safe %}{{ ten_chi_bo }}{% endfilter %}")],
        ("bo-loc", "đoạn 1 «{% filter safe %}{{ ten_chi_bo }}{% endfilter %}»", "{% filter safe %}",
         "bộ lọc 'safe' không được dùng trong mẫu (được dùng: upper, lower, capitalize, trim, "
         "length, first, last, join, replace)"),
    ),
    (
        "hidden-attribute",
        [p("{{ bang['__len__'] }}")],
        ("thuoc-tinh", "đoạn 1 «{{ bang['__len__'] }}»", "{{ bang['__len__'] }}",
         "mẫu không được truy cập thuộc tính ẩn '__len__' (bị chặn vì an toàn)"),
    ),
    (
        "braces-in-two-paragraphs",
        [p("Chi bộ {"), p("{ ten_chi_bo }} thông báo")],
        ("the-tach", "đoạn 1 «Chi bộ {»", "{{ ten_chi_bo }}",
         "hai dấu «{» «{» của một thẻ nằm ở hai đoạn"),
    ),
    (
        "tag-over-two-paragraphs",
        [p("{%p for cc in"), p("can_cu %}"), p("{{ cc }}"), p("{%p endfor %}")],
        ("the-tach", "đoạn 1 «{%p for cc in»", "{%p for cc incan_cu %}",
         "thẻ bị ngắt sang đoạn 2"),
    ),
]


@pytest.mark.parametrize(
    "blocks,expected", [(r[1], r[2:]) for r in RULES], ids=[r[0] for r in RULES]
)
def test_each_rule_on_a_small_broken_template(
    tmp_path: Path, blocks: list[str], expected: tuple[tuple[str, str, str, str], ...]
) -> None:
    found = errors_of(tmp_path, *blocks)
    assert len(found) == len(expected), found
    for (rule, place, tag, message), want in zip(found, expected, strict=True):
        assert (rule, place, tag) == want[:3]
        assert want[3] in message, message


def test_a_correct_small_template_has_no_error_but_the_required_names(tmp_path: Path) -> None:
    blocks = [
        p("{{ ten_chi_bo|upper }} ({{ bang|length }} nhiệm vụ)"),
        p("{%p for cc in can_cu %}"),
        p("- {{ cc }}"),
        p("{%p endfor %}"),
        grid(["STT", "Họ tên"], ["{%tr for r in bang %}", ""], ["{{ loop.index }}", "{{ r.ho_ten }}"],
             ["{%tr endfor %}", ""]),
    ]
    assert errors_of(tmp_path, *blocks) == []


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    found = errors_of(
        tmp_path,
        p("{{ ten_chi_bo_moi }}"),
        p("{{ nam|safe }}"),
        grid(["{%tr for r in bang %}", "{{ r.ho_ten }}", "{%tr endfor %}"]),
    )
    # in document order, whichever check found them
    assert [(rule, place) for rule, place, *_ in found] == [
        ("bien-la", "đoạn 1 «{{ ten_chi_bo_moi }}»"),
        ("bo-loc", "đoạn 2 «{{ nam|safe }}»"),
        ("the-p-tr", "bảng 1, hàng 1, ô 3, đoạn 5 «{%tr endfor %}»"),
    ]


def exported(tmp_path: Path) -> Path:
    folder = tmp_path / "mau"
    folder.mkdir()
    for name in CONTRACTS:
        shutil.copy(BUILTIN_DIR / name, folder / name)
    return folder


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_builtin_templates_pass_without_warnings(name: str) -> None:
    assert [f.format() for f in check_template(BUILTIN_DIR / name)] == []


def test_required_variable_dropped(tmp_path: Path) -> None:
    path = exported(tmp_path) / "ke-hoach.docx"
    edit_document(path, replace("Số {{ so_ky_hieu }}", "Số 01-KH/CB"))
    edit_document(path, replace("{{ m.thoi_gian }}: ", ""))
    found = [f.format() for f in check_template(path, "mau/ke-hoach.docx")]
    assert found == [
        "mẫu mau/ke-hoach.docx: mẫu không còn dùng biến bắt buộc 'so_ky_hieu': số và ký hiệu văn "
        "bản, không có chữ «Số»; thêm lại thẻ {{ so_ky_hieu }}",
        "mẫu mau/ke-hoach.docx: mẫu không còn dùng trường bắt buộc 'thoi_gian' của 'lich_trinh': "
        "thời gian; thêm lại trong vòng lặp của 'lich_trinh', ví dụ {{ x.thoi_gian }}",
    ]


def test_trial_render_catches_what_only_running_shows(tmp_path: Path) -> None:
    path = exported(tmp_path) / "ke-hoach.docx"
    edit_document(path, replace("{{ ky_nam }}, cụ thể", "{{ ky_nam }}{{ nam / 0 }}, cụ thể"))
    (finding,) = check_template(path, "ke-hoach.docx")
    assert finding.rule == "chay-thu"
    assert finding.format() == (
        "mẫu ke-hoach.docx: đoạn 15 «{{ ten_chi_bo }} xây dựng Kế hoạch xây»: "
        "thẻ {{ ten_chi_bo }}: chạy thử với dữ liệu mẫu: mẫu tính toán sai "
        "(ZeroDivisionError: division by zero)"
    )


def test_tracked_insertion_inside_a_tag_cannot_be_repaired(tmp_path: Path) -> None:
    path = exported(tmp_path) / "ke-hoach.docx"

    def insert_inside_tag(xml: str) -> str:
        run = re.search(
            r'<w:r><w:t xml:space="preserve">\{\{ ten_chi_bo \}\}( xây dựng Kế hoạch[^<]*)</w:t></w:r>', xml
        )
        assert run
        revised = (
            '<w:r><w:t xml:space="preserve">{{ ten_</w:t></w:r>'
            '<w:ins w:id="901" w:author="Văn phòng" w:date="2026-01-02T08:00:00Z">'
            f'<w:r><w:t xml:space="preserve">chi_bo }}}}{run.group(1)}</w:t></w:r></w:ins>'
        )
        return xml[: run.start()] + revised + xml[run.end() :]

    edit_document(path, insert_inside_tag)
    (finding,) = check_template(path, "ke-hoach.docx")
    assert (finding.rule, finding.place, finding.tag) == (
        "the-hong",
        "đoạn 15 «{{ ten_chi_bo }} xây dựng Kế hoạch xây»",
        "{{ ten_chi_bo }}",
    )
    assert "Word đã tách thẻ theo cách không ghép lại được" in finding.message


def test_code_in_a_tracked_deletion(tmp_path: Path) -> None:
    path = exported(tmp_path) / "ke-hoach.docx"
    edit_document(
        path,
        replace(
            "<w:r><w:t xml:space=\"preserve\">I. MỤC ĐÍCH, YÊU CẦU</w:t></w:r>",
            '<w:r><w:t xml:space="preserve">I. MỤC ĐÍCH, YÊU CẦU</w:t></w:r>'
            '<w:del w:id="902" w:author="Văn phòng" w:date="2026-01-02T08:00:00Z"><w:r>'
            "<w:delText>{{ nam }}</w:delText></w:r></w:del>",
        ),
    )
    (finding,) = [f for f in check_template(path, "ke-hoach.docx") if f.is_error]
    assert finding.rule == "sua-doi"
    assert finding.place == "đoạn 16 «I. MỤC ĐÍCH, YÊU CẦU»"
    assert "Chấp nhận tất cả thay đổi" in finding.message


def test_layout_drift_is_a_warning(tmp_path: Path) -> None:
    path = exported(tmp_path) / "ke-hoach.docx"
    edit_document(path, replace('w:left="1701"', 'w:left="1134"'))
    edit_document(path, replace('<w:pStyle w:val="TenLoai"/></w:pPr><w:r>',
                                '<w:pStyle w:val="TenLoai"/></w:pPr><w:r><w:rPr><w:sz w:val="26"/></w:rPr>'))
    findings = check_template(path, "ke-hoach.docx")
    assert [(f.severity, f.format()) for f in findings] == [
        ("cảnh báo", "mẫu ke-hoach.docx: trang (lề): lề trái 20 mm (thể thức: 30 mm)"),
        ("cảnh báo", "mẫu ke-hoach.docx: đoạn 9 «KẾ HOẠCH» (tên loại văn bản): cỡ chữ 13 pt "
                     "(thể thức: 16 pt)"),
    ]
    # a warning does not stop rendering; it travels with the compiled template
    compiled = compile_checked(path, sandboxed_env(), "ke-hoach.docx")
    assert compiled.warnings == tuple(f.format() for f in findings)


def test_render_refuses_with_the_check_messages(tmp_path: Path) -> None:
    folder = exported(tmp_path)
    edit_document(folder / "ke-hoach.docx", replace("{{ ten_chi_bo }} xây dựng", "{{ ten_chibo }} xây dựng"))
    edit_document(folder / "ke-hoach.docx", replace("{{ pc.nhiem_vu }}", "{{ pc.nhiem_vu|e }}"))
    check = [f.format() for f in check_template(folder / "ke-hoach.docx", "ke-hoach.docx") if f.is_error]
    with pytest.raises(TemplateCheckError) as info:
        compile_checked(folder / "ke-hoach.docx", sandboxed_env(), "ke-hoach.docx")
    assert info.value.lines() == check
    assert len(check) == 2


def test_a_tag_in_the_page_header_is_placed_there(tmp_path: Path) -> None:
    path = exported(tmp_path) / "ke-hoach.docx"
    from tests.wordedit import edit_part

    path.write_bytes(
        edit_part(
            path.read_bytes(),
            "word/header1.xml",
            replace('<w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
                    '<w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
                    '<w:r><w:t xml:space="preserve"> {{ so_ky_hieuu }}</w:t></w:r>'),
        )
    )
    (finding,) = [f for f in check_template(path, "ke-hoach.docx") if f.is_error]
    assert finding.place == "đầu trang (header1.xml), đoạn 1 «2 {{ so_ky_hieuu }}»"
    assert finding.tag == "{{ so_ky_hieuu }}"
    assert finding.message.endswith("(có phải ý là 'so_ky_hieu'?)")


def test_not_a_docx_template(tmp_path: Path) -> None:
    bad = tmp_path / "ke-hoach.docx"
    bad.write_text("không phải docx")
    assert [f.format() for f in check_template(bad)] == ["mẫu ke-hoach.docx: không phải tệp .docx hợp lệ"]
