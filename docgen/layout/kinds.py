"""The bodies of the built-in templates, one function per document kind.

Each returns WordprocessingML with docxtpl tags. The tags name only variables
of the kind's contract (docgen/documents/*); the wording around them is the
ward office's to edit in Word once the templates are exported.
"""

from __future__ import annotations

from collections.abc import Callable

from docgen.layout.engine import Layout
from docgen.layout.ooxml import para

__all__ = ["BUILDERS", "build_template"]


def loop(header: str, *inner: str) -> str:
    """Paragraphs repeated for each item: ``{%p for ... %}`` ... ``{%p endfor %}``."""
    return para(None, f"{{%p for {header} %}}") + "".join(inner) + para(None, "{%p endfor %}")


def dash_list(var: str, source: str) -> str:
    """A ``- item`` paragraph per element of ``source`` (items already punctuated)."""
    return loop(f"{var} in {source}", para("NoiDung", f"- {{{{ {var} }}}}"))


def ke_hoach(layout: Layout) -> tuple[str, str]:
    """Kế hoạch xây dựng "chi bộ bốn tốt" of a cell (seed plan adapted to a cell)."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("KẾ HOẠCH", "{{ trich_yeu }}"),
            dash_list("cc", "can_cu"),
            para(
                "NoiDung",
                "{{ ten_chi_bo }} xây dựng Kế hoạch xây dựng “chi bộ bốn tốt” năm {{ nam }}, "
                "cụ thể như sau:",
            ),
            para("DeMuc1", "I. MỤC ĐÍCH, YÊU CẦU"),
            para("DeMuc2", "1. Mục đích"),
            dash_list("md", "muc_dich"),
            para("DeMuc2", "2. Yêu cầu"),
            dash_list("yc", "yeu_cau"),
            para("DeMuc1", "II. NỘI DUNG"),
            para("DeMuc2", "1. Các tiêu chí và chỉ tiêu “chi bộ bốn tốt” năm {{ nam }} của Chi bộ"),
            loop(
                "tc in tieu_chi",
                para("DeMuc3", "{{ tc.so }}. {{ tc.ten }}"),
                para("NoiDung", "{{ tc.mo_ta }}"),
                para("NoiDung", "Chỉ tiêu của Chi bộ:"),
                dash_list("ct", "tc.chi_tieu"),
            ),
            para("DeMuc2", "2. Trách nhiệm nêu gương của đảng viên ({{ ten_loai_chi_bo }})"),
            dash_list("ng", "neu_guong"),
            para("DeMuc1", "III. NHIỆM VỤ, GIẢI PHÁP"),
            para("DeMuc2", "1. Những tồn tại, hạn chế cần tập trung khắc phục"),
            dash_list("hc", "han_che"),
            para("DeMuc2", "2. Giải pháp cụ thể"),
            dash_list("gp", "giai_phap"),
            para("DeMuc1", "IV. TỔ CHỨC THỰC HIỆN"),
            para("DeMuc2", "1. Phân công thực hiện"),
            loop("pc in phan_cong", para("NoiDung", "- {{ pc.doi_tuong }}: {{ pc.nhiem_vu }}")),
            para("DeMuc2", "2. Tiến độ thực hiện"),
            loop("m in lich_trinh", para("NoiDung", "- {{ m.thoi_gian }}: {{ m.noi_dung }}")),
            para("DeMuc2", "3. Chế độ báo cáo"),
            dash_list("bc", "bao_cao"),
            para(
                "DoanKet",
                "Trên đây là Kế hoạch xây dựng “chi bộ bốn tốt” năm {{ nam }} của {{ ten_chi_bo }}; "
                "đề nghị các đồng chí chi ủy viên, đảng viên trong Chi bộ nghiêm túc thực hiện.",
            ),
            layout.signature_block(),
        ]
    )
    return body, "Kế hoạch xây dựng “chi bộ bốn tốt”"


BUILDERS: dict[str, Callable[[Layout], tuple[str, str]]] = {
    "ke-hoach.docx": ke_hoach,
}


def build_template(name: str, layout: Layout) -> bytes:
    """Build the built-in template ``name`` (e.g. ``ke-hoach.docx``) as .docx bytes."""
    body, title = BUILDERS[name](layout)
    return layout.package(body, title)
