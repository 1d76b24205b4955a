"""The glossary read as data (docgen/glossary.py): every field of every file a secretary
edits in docgen serve has a label from docs/vocabulary.md, and every coded value its words."""

from __future__ import annotations

import pytest

from docgen.editing import _FILES
from docgen.glossary import glossary, parse
from docgen.web import forms


def _inputs(node: forms.Input | forms.Group | forms.Repeat) -> list[forms.Input | forms.Group | forms.Repeat]:
    out: list[forms.Input | forms.Group | forms.Repeat] = [node]
    children = node.children if isinstance(node, forms.Group) else [node.empty] if isinstance(node, forms.Repeat) else []
    for child in children:
        out += _inputs(child)
    return out


@pytest.mark.parametrize("name", sorted(_FILES))
def test_every_field_of_an_editable_file_has_words(name: str) -> None:
    model = _FILES[name][0]
    form = forms.build(model, None, members=[("dv01", "Nguyễn Văn An (dv01)")])
    for node in _inputs(form)[1:]:
        assert node.label and node.label != node.key, (name, node.path)
        assert "`" not in node.label, (name, node.path, node.label)
        assert node.label[0].isupper(), (name, node.path, node.label)
        if isinstance(node, forms.Input) and node.kind == "choice":
            for value, words in node.choices:
                assert words != value or value in ("nam",), (name, node.path, value)


def test_labels_values_and_context() -> None:
    text = """
## Báo cáo quý (`quy-1.yaml`)

| khóa | nghĩa (English) |
|---|---|
| `co_mat` | số đảng viên có mặt (members present) |
| `tu_ngay`, `den_ngay` | từ ngày, đến ngày (from, to) |
| `vang` | đảng viên vắng mặt, mỗi mục có `dang_vien` và `ly_do` (absent members) |
| `loai` (trong báo cáo quý) | loại buổi: `thuong_ky` (thường kỳ) hoặc `chuyen_de` (chuyên đề) (kind) |

## Khác

| `loai` | loại văn bản (kind of document) |

Các mức: `tot` (Hoàn thành tốt nhiệm vụ).
"""
    g = parse(text)
    assert g.meaning("co_mat") is not None and g.meaning("co_mat").label == "Số đảng viên có mặt"  # type: ignore[union-attr]
    assert [g.meaning(k).label for k in ("tu_ngay", "den_ngay")] == ["Từ ngày", "Đến ngày"]  # type: ignore[union-attr]
    assert g.meaning("vang").label == "Đảng viên vắng mặt"  # type: ignore[union-attr]
    assert g.meaning("loai", "BaoCaoQuyFile").label == "Loại buổi"  # type: ignore[union-attr]
    assert g.meaning("loai").label == "Loại văn bản"  # type: ignore[union-attr]
    assert g.value_label("thuong_ky") == "thường kỳ" and g.value_label("tot") == "Hoàn thành tốt nhiệm vụ"
    assert g.value_label("kind") is None


def test_the_shipped_glossary_names_the_levels() -> None:
    assert glossary().value_label("hoan_thanh") == "Hoàn thành nhiệm vụ"  # not the task state's words
