"""docgen/yamledit.py: changed data written back into a user's YAML file, touching only
what changed, and always read back by docgen as the same data."""

from __future__ import annotations

import copy
import datetime
import difflib
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen import yamledit
from docgen.errors import InputError, OutputError
from docgen.yamledit import new_text, save_yaml, updated_text
from docgen.yamlsource import parse_text

REPO = Path(__file__).resolve().parent.parent
FILES = sorted((REPO / "data").glob("**/*.yaml"))
QUY3 = REPO / "data/chi-bo/to-dan-pho-5/2026/quy-3.yaml"


def read(text: str) -> Any:
    return parse_text(text, Path("x.yaml"), "x.yaml").data


def changed_lines(before: str, after: str) -> list[str]:
    """The lines removed (-) and added (+), in order."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#") or " # " in line]


def quy3() -> tuple[str, Any]:
    text = QUY3.read_text(encoding="utf-8")
    return text, read(text)


def meetings(data: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = data["bao_cao_quy"]["buoi_sinh_hoat"]
    return result


def test_the_sample_workspace_has_files() -> None:
    assert len(FILES) > 30


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_saving_what_docgen_read_gives_the_file_back_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert updated_text(text, read(text)) == text


def _first_text_leaf(data: Any, path: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The path of the deepest-first plain text value (not a date)."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, dict | list):
            found = _first_text_leaf(value, (*path, key))
            if found:
                return found
        elif isinstance(value, str) and re.fullmatch(r"[\w ,.()À-ỹ]+", value) and len(path) >= 1:
            return (*path, key)
    return None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_changing_one_text_of_any_sample_file_changes_exactly_its_line(path: Path) -> None:
    # Through ruamel's whole round trip: the rest of every sample file comes out as it was.
    text = path.read_text(encoding="utf-8")
    data = read(text)
    where = _first_text_leaf(data)
    assert where is not None
    new = copy.deepcopy(data)
    holder = new
    for key in where[:-1]:
        holder = holder[key]
    before = holder[where[-1]]
    holder[where[-1]] = before + " sửa"
    out = updated_text(text, new)
    removed, added = changed_lines(text, out)
    value, _, comment = removed[1:].partition(" #")  # an end-of-line comment keeps its column
    assert value.rstrip().endswith((": " + before, "- " + before))
    expected = value.rstrip() + " sửa" + (" #" + comment if comment else "")
    assert re.sub(" +#", " #", added) == "+" + expected
    assert read(out) == new


def test_one_scalar_changed_deep_changes_one_line_and_keeps_every_comment() -> None:
    text, data = quy3()
    meetings(data)[3]["co_mat"] = 24
    out = updated_text(text, data)
    assert changed_lines(text, out) == ["-      co_mat: 23", "+      co_mat: 24"]
    assert comments(out) == comments(text)
    assert len(comments(text)) >= 4


def test_a_quoted_time_stays_quoted_and_a_new_text_keeps_the_old_quotes() -> None:
    text, data = quy3()
    meetings(data)[3]["gio_bat_dau"] = "20:00"
    meetings(data)[3]["y_kien"][0]["dang_vien"] = "dv02"
    out = updated_text(text, data)
    assert changed_lines(text, out) == [
        '-      gio_bat_dau: "19:30"',
        '+      gio_bat_dau: "20:00"',
        "-        - dang_vien: dv01",
        "+        - dang_vien: dv02",
    ]


def test_a_new_absentee_goes_after_the_last_in_the_file_style_before_the_comment() -> None:
    text, data = quy3()
    meetings(data)[3]["vang"].append({"dang_vien": "dv30", "ly_do": "Đi công tác: Hà Nội"})
    out = updated_text(text, data)
    assert changed_lines(text, out) == [
        "+        - dang_vien: dv30",
        '+          ly_do: "Đi công tác: Hà Nội"',
    ]
    lines = out.splitlines()
    at = lines.index("        - dang_vien: dv30")
    assert lines[at - 1] == "          ly_do: Ốm, có đơn xin vắng"
    assert lines[at + 2].lstrip().startswith("# Buổi họp đánh giá quý")
    assert read(out) == data


def test_a_new_meeting_is_written_at_the_end_of_the_list_like_the_others() -> None:
    text, data = quy3()
    meetings(data).append(
        {
            "ngay": datetime.date(2026, 9, 25),
            "loai": "chuyen_de",
            "chu_de": "Học tập “Nghị quyết” của Đảng",
            "co_mat": 20,
            "gio_bat_dau": "19:30",
            "vang": [{"dang_vien": "dv14", "ly_do": "yes"}],
        }
    )
    out = updated_text(text, data)
    assert changed_lines(text, out) == [
        "+    - ngay: 2026-09-25",
        "+      loai: chuyen_de",
        "+      chu_de: Học tập “Nghị quyết” của Đảng",
        "+      co_mat: 20",
        '+      gio_bat_dau: "19:30"',
        "+      vang:",
        "+        - dang_vien: dv14",
        '+          ly_do: "yes"',
    ]
    assert out.index("    - ngay: 2026-09-25") < out.index("  dang_phi:")
    back = read(out)
    assert meetings(back)[-1]["ngay"] == "2026-09-25"  # docgen reads dates as text


def test_removing_list_items_removes_only_their_lines() -> None:
    text, data = quy3()
    del meetings(data)[1]
    del meetings(data)[2]["vang"][2]  # the last absentee, followed by a comment
    out = updated_text(text, data)
    assert changed_lines(text, out) == [
        "-    - ngay: 2026-08-05",
        "-      co_mat: 25",
        "-      vang:",
        "-        - dang_vien: dv27",
        "-          ly_do: Đi công tác",
        "-        - dang_vien: dv27",
        "-          ly_do: Ốm, có đơn xin vắng",
    ]
    assert comments(out) == comments(text)


def test_adding_a_key_puts_it_after_the_key_before_it_in_the_data_and_removing_one() -> None:
    text, data = quy3()
    first = meetings(data)[0]
    meetings(data)[0] = {"ngay": first["ngay"], "loai": "thuong_ky", **first}
    del meetings(data)[3]["danh_gia_quy"]
    out = updated_text(text, data)
    assert changed_lines(text, out) == [
        "+      loai: thuong_ky",
        "-      danh_gia_quy: true",
    ]
    assert out.splitlines()[9:11] == ["      loai: thuong_ky", "      co_mat: 25"]
    assert comments(out) == comments(text)


def test_removing_the_first_item_keeps_the_comment_that_followed_it() -> None:
    text = "ds:\n  - a  # về a\n  # về b\n  - b\n  - c\nz: 1\n"
    out = updated_text(text, {"ds": ["b", "c"], "z": 1})
    assert "# về b" in out and "# về a" not in out
    assert read(out) == {"ds": ["b", "c"], "z": 1}


def test_numbers_left_alone_keep_their_writing() -> None:
    # ruamel rebuilds a float's text from its parts and may drop a digit: never for ours.
    text = "x: 4.731400794272289e+16\ny: 1.50\nz: a\n"
    assert updated_text(text, {"x": 4.731400794272289e16, "y": 1.5, "z": "b"}) == text.replace("z: a", "z: b")


def test_new_parts_follow_the_indentation_of_the_file() -> None:
    text = "# đầu\ngoc:\n    ten: A\n    ds:\n    - x\n    - y\n"
    out = updated_text(text, {"goc": {"ten": "A", "ds": ["x", "y", "z"], "moi": {"k": [1]}}})
    assert out == "# đầu\ngoc:\n    ten: A\n    ds:\n    - x\n    - y\n    - z\n    moi:\n        k:\n        - 1\n"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("19:30", '"19:30"'),
        ("2026", '"2026"'),
        ("3", '"3"'),
        (3, "3"),
        (True, "true"),
        ("true", '"true"'),
        ("yes", '"yes"'),
        ("null", '"null"'),
        (None, ""),
        ("", '""'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        (" lề", '" lề"'),
        ("- gạch", '"- gạch"'),
        ("“chi bộ bốn tốt”", "“chi bộ bốn tốt”"),
        ("Điều trị tại bệnh viện", "Điều trị tại bệnh viện"),
        (datetime.date(2026, 7, 5), "2026-07-05"),
        ("2026-07-05", "2026-07-05"),
        ("2026-7-5", "2026-7-5"),
        ("2026-07-05 10:00:00", '"2026-07-05 10:00:00"'),
        (1.5, "1.5"),
        (1e20, "1.0e+20"),
        ("010", '"010"'),
    ],
)
def test_each_value_is_written_as_a_person_would_and_reads_back_the_same(value: Any, written: str) -> None:
    text = "a: 1\nb: x\n"
    out = updated_text(text, {"a": 1, "b": value})
    assert out == f"a: 1\nb: {written}".rstrip() + "\n"
    expected = value.isoformat() if isinstance(value, datetime.date) else value
    back = read(out)["b"]
    assert back == expected and type(back) is type(expected)
    assert new_text({"b": value}) == f"b: {written}".rstrip() + "\n"


def test_long_vietnamese_text_is_never_folded_or_escaped() -> None:
    long = "Đồng chí Phạm Thu Hà, Ủy viên Ban Thường vụ Đảng ủy phường; " * 8
    out = new_text({"y_kien": [long.strip()]})
    assert out == f"y_kien:\n  - {long.strip()}\n"
    assert "\\u" not in out


def test_text_on_several_lines_reads_back_the_same() -> None:
    for value in ("dòng 1\ndòng 2", "dòng 1\n", "a\n\n  b\n\n", "  thụt\nlề", "x \ny"):
        out = updated_text("a: 1\n", {"a": value})
        assert read(out) == {"a": value}


def test_strings_are_stored_in_nfc_as_docgen_reads_them() -> None:
    decomposed = "Nguye\u0302\u0303n"
    out = new_text({"ten": decomposed})
    assert read(out) == {"ten": "Nguyễn"}


def test_new_text_puts_the_header_first() -> None:
    out = new_text({"a": 1}, header="Tệp mới\n# đã có dấu")
    assert out == "# Tệp mới\n# đã có dấu\na: 1\n"


def test_values_yaml_cannot_carry_are_refused_in_vietnamese() -> None:
    with pytest.raises(TypeError):
        new_text({"a": datetime.datetime(2026, 1, 1, 8, 0)})
    with pytest.raises(TypeError):
        new_text({"a": {1, 2}})
    with pytest.raises(InputError, match="x.yaml:1:4: a: .*U\\+0001") as info:
        updated_text("a: 1\n", {"a": "có\x01điều khiển"}, display="x.yaml")
    assert info.value.problems[0].path == ("a",)  # the web form shows it at its field
    with pytest.raises(OutputError, match="bí danh"):
        updated_text("a: &x {b: 1}\nc: *x\n", {"a": {"b": 2}, "c": {"b": 1}})


def test_a_result_that_reads_back_different_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamledit, "_dump", lambda tree, indents: "a: 2\n")
    with pytest.raises(OutputError, match="^x.yaml: chưa lưu: .* đọc lại không đúng như đã nhập$"):
        updated_text("a: 1\n", {"a": 3}, display="x.yaml")


def test_a_file_docgen_cannot_read_is_an_input_error() -> None:
    with pytest.raises(InputError):
        updated_text("a: [1\n", {"a": 1})


def test_crlf_files_keep_their_line_endings() -> None:
    text = "# ghi chú\r\na: 1\r\nb:\r\n  - x\r\n"
    out = updated_text(text, {"a": 2, "b": ["x", "y"]})
    assert out == "# ghi chú\r\na: 2\r\nb:\r\n  - x\r\n  - y\r\n"


def test_save_yaml_writes_only_when_something_changed(tmp_path: Path) -> None:
    path = tmp_path / "quy-3.yaml"
    raw = QUY3.read_bytes()
    path.write_bytes(raw)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    data = read(raw.decode("utf-8"))
    assert save_yaml(path, data) is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert path.read_bytes() == raw
    meetings(data)[0]["co_mat"] = 26
    assert save_yaml(path, data) is True
    assert path.read_bytes() == raw.replace(b"      co_mat: 25\n", b"      co_mat: 26\n", 1)
    assert [p.name for p in tmp_path.iterdir()] == ["quy-3.yaml"]  # no temporary left


def test_save_yaml_creates_a_new_file_and_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "moi.yaml"
    assert save_yaml(path, {"ten": "Chi bộ", "ngay": datetime.date(2026, 1, 5)}) is True
    assert path.read_text(encoding="utf-8") == "ten: Chi bộ\nngay: 2026-01-05\n"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\n")
    assert save_yaml(path, {"a": 2}) is True
    assert path.read_bytes() == b"\xef\xbb\xbfa: 2\r\n"


# Property tests: random data, random text (Vietnamese, quotes, YAML look-alikes).
_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(
        ["19:30", "2026", "yes", "No", "null", "~", "", " a", "a ", "-", "- a", "a: b", "a #b", "#",
         "“Đảng”", "'", '"', "0x1F", "1e5", ".inf", "2026-07-05", "=", "<<", "Ơ\u0301", "[x]", "{y}",
         "@", "`", "!x", "&a", "*a", "%", "|", ">", "?", "a\nb", "\t", "…"]
    ),
)
_SCALAR = st.one_of(
    _TEXT,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
)
_KEY = st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), _TEXT)
_DATA = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEY, inner, max_size=4)),
    max_leaves=12,
)
_TOP = st.dictionaries(_KEY, _DATA, min_size=1, max_size=4)


def _expected(value: Any) -> Any:
    return yamledit._plain(value)


def _writable(data: Any) -> bool:
    """Data docgen can hold: no control character XML refuses (anywhere, keys too)."""
    plain = yamledit._plain(data)
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            texts.extend(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            texts.append(value)

    walk(plain)
    return not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text) for text in texts)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], deadline=None)
@given(_TOP)
def test_property_new_text_reads_back_as_the_data(data: dict[str, Any]) -> None:
    try:
        out = new_text(data)
    except (OutputError, InputError):  # InputError: a value docgen's reader refuses
        assert not _writable(data) or _keys_clash(data)
        return
    assert yamledit._same(read(out), _expected(data))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], deadline=None)
@given(_TOP, _TOP)
def test_property_updated_text_reads_back_as_the_data(first: dict[str, Any], second: dict[str, Any]) -> None:
    try:
        text = new_text(first)
    except (OutputError, InputError):
        return
    merged = {**first, **second}
    try:
        out = updated_text(text, merged)
    except (OutputError, InputError):
        assert not _writable(merged) or _keys_clash(merged)
        return
    assert yamledit._same(read(out), _expected(merged))
    assert updated_text(out, read(out)) == out


def _keys_clash(data: Any) -> bool:
    """Two keys that NFC makes one (docgen would read a duplicate key)."""
    if isinstance(data, dict):
        keys = [unicodedata.normalize("NFC", k) for k in data]
        return len(set(keys)) < len(keys) or any(_keys_clash(v) for v in data.values())
    if isinstance(data, list):
        return any(_keys_clash(v) for v in data)
    return False
