"""The YAML reader: located Vietnamese messages for malformed or hostile files."""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pytest

from docgen.errors import InputError
from docgen.yamlsource import load_source


def load(tmp_path: Path, content: str | bytes, name: str = "f.yaml"):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return load_source(path, name)


def messages(tmp_path: Path, content: str | bytes) -> list[str]:
    with pytest.raises(InputError) as info:
        load(tmp_path, content)
    return info.value.lines()


def test_marks_point_at_values_and_keys(tmp_path: Path) -> None:
    src = load(tmp_path, "a:\n  b: 1\n  c:\n    - x\n    - y\n")
    assert src.data == {"a": {"b": 1, "c": ["x", "y"]}}
    assert src.marks[("a", "b")] == (2, 6)
    assert src.marks[("a", "c", 1)] == (5, 7)
    assert src.key_marks[("a", "c")] == (3, 3)


def test_tab_indentation(tmp_path: Path) -> None:
    assert messages(tmp_path, "a:\n\tb: 1\n") == [
        "f.yaml:2:1: lỗi cú pháp YAML: có ký tự Tab "
        "(YAML chỉ dùng dấu cách để thụt lề; hãy thay Tab bằng dấu cách)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a: 1\nb: "chưa đóng\nc: 2\nd: 3\n', "f.yaml:2:4: lỗi cú pháp YAML: dấu ngoặc kép hoặc ngoặc đơn mở ở đây chưa được đóng"),
        ("a: 1\nb: 'chưa đóng\nc: 2\n", "f.yaml:2:4: lỗi cú pháp YAML: dấu ngoặc kép hoặc ngoặc đơn mở ở đây chưa được đóng"),
        ("a: [1, 2\nb: 3\n", "f.yaml:1:4: lỗi cú pháp YAML: dấu '[' mở ở đây chưa được đóng bằng ']'"),
        ("a: {x: 1\nb: 3\n", "f.yaml:1:4: lỗi cú pháp YAML: dấu '{' mở ở đây chưa được đóng bằng '}'"),
        ("a: [1, 2\n", "f.yaml:1:4: lỗi cú pháp YAML: dấu '[' mở ở đây chưa được đóng bằng ']'"),
    ],
    ids=["double-quote", "single-quote", "bracket", "brace", "bracket-at-end"],
)
def test_unclosed_quote_or_bracket_is_located_where_it_opens(
    tmp_path: Path, text: str, expected: str
) -> None:
    # The parser notices at the end of the file; the line to fix is the one that opened it.
    (line,) = messages(tmp_path, text)
    assert line.startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: @x\n", "f.yaml:1:4: lỗi cú pháp YAML: ký tự không được phép ở đầu giá trị (đặt giá trị trong ngoặc kép)"),
        ("a: `x`\n", "f.yaml:1:4: lỗi cú pháp YAML: ký tự không được phép ở đầu giá trị (đặt giá trị trong ngoặc kép)"),
        ("a: &x 1\nb: &x 2\n", "f.yaml:2:4: lỗi cú pháp YAML: neo (anchor) bị lặp"),
    ],
    ids=["at-sign", "backtick", "duplicate-anchor"],
)
def test_no_english_reaches_the_secretary(tmp_path: Path, text: str, expected: str) -> None:
    # PyYAML names the character ("found character '@' that ...") or tells the problem in
    # its context; both used to come out in English.
    assert messages(tmp_path, text) == [expected]


def test_bad_indentation(tmp_path: Path) -> None:
    (line,) = messages(tmp_path, "a:\n  b: 1\n c: 2\n")
    assert line.startswith("f.yaml:3:2: lỗi cú pháp YAML: thụt lề không đều")


def test_colon_inside_value(tmp_path: Path) -> None:
    (line,) = messages(tmp_path, "a: b: c\n")
    assert line.startswith("f.yaml:1:5: lỗi cú pháp YAML: thụt lề sai hoặc có dấu ':' không đúng chỗ")


def test_empty_file(tmp_path: Path) -> None:
    assert messages(tmp_path, "") == ["f.yaml: tệp trống, chưa có dữ liệu"]
    assert messages(tmp_path, "# chỉ có chú thích\n") == ["f.yaml: tệp trống, chưa có dữ liệu"]


def test_duplicate_key(tmp_path: Path) -> None:
    assert messages(tmp_path, "a: 1\nb: 2\na: 3\n") == [
        "f.yaml:3:1: a: khóa 'a' bị lặp lại trong cùng một mục (mỗi khóa chỉ được viết một lần)"
    ]


def test_alias_bomb_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.monotonic()
    result = messages(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - start < 5  # generous: the point is "not minutes, not OOM"
    # located at the key whose value sets it off: f holds 9^6 copies of "lol"
    assert result == [
        "f.yaml:6:1: f: tệp có quá nhiều phần tử (có thể do bí danh YAML lồng nhau nhiều tầng)"
    ]


def test_deep_nesting(tmp_path: Path) -> None:
    text = "a: " + "[" * 100 + "]" * 100 + "\n"
    # the 41st bracket: "a: " then 40 brackets before it
    assert messages(tmp_path, text) == ["f.yaml:1:44: dữ liệu lồng nhau quá 40 tầng"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",  # beyond LibYAML's own limit (1000)
        "".join("  " * i + f"k{i}:\n" for i in range(1500)) + "  " * 1500 + "v\n",
    ],
    ids=["flow", "block"],
)
def test_nesting_beyond_the_parser_limit_is_a_located_problem(tmp_path: Path, text: str) -> None:
    # The pure-Python parser used to translate messages recursed past Python's limit.
    (line,) = messages(tmp_path, text)
    assert re.match(r"f\.yaml:\d+:\d+: lỗi cú pháp YAML: dữ liệu lồng nhau quá 40 tầng$", line)


def test_huge_file(tmp_path: Path) -> None:
    text = "a: " + "x" * (10 * 1024 * 1024) + "\n"
    (line,) = messages(tmp_path, text)
    assert line.startswith("f.yaml: tệp quá lớn (10,0 MB; tối đa 5 MB)")


@pytest.mark.parametrize("code", [0x00, 0x07, 0x0B, 0x0C, 0x1B, 0x1F])
def test_forbidden_control_character_names_the_field(tmp_path: Path, code: int) -> None:
    raw = b"ke_hoach:\n  han_che:\n    - abc" + bytes([code]) + b"def\n"
    (line,) = messages(tmp_path, raw)
    assert line.startswith(
        f"f.yaml:3:7: ke_hoach.han_che[1]: có ký tự điều khiển không hợp lệ U+{code:04X} ở vị trí 4"
    )


def test_escaped_control_character_is_also_refused(tmp_path: Path) -> None:
    (line,) = messages(tmp_path, 'a: "x\\x08y"\n')
    assert line.startswith("f.yaml:1:4: a: có ký tự điều khiển không hợp lệ U+0008")


def test_tab_and_newline_inside_text_are_allowed(tmp_path: Path) -> None:
    src = load(tmp_path, 'a: "x\\ty\\nz"\n')
    assert src.data == {"a": "x\ty\nz"}


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        (b"a: Chi b\xf4\xf2 khu ph\xf4\xec\n", (1, 9)),  # Windows-1258: "Chi bộ khu phố"
        (b"a: ok\nb: Chi b\xa4 khu ph\xe8\n", (2, 9)),  # TCVN3 (ABC) bytes
    ],
)
def test_legacy_encoding_is_refused_with_hint(
    tmp_path: Path, raw: bytes, position: tuple[int, int]
) -> None:
    assert raw.decode("cp1258")  # the bytes really are legacy-encoded text
    (line,) = messages(tmp_path, raw)
    assert line.startswith(f"f.yaml:{position[0]}:{position[1]}: ")
    assert "không phải văn bản UTF-8" in line
    assert "lưu với bảng mã UTF-8" in line


def test_legacy_byte_column_counts_characters(tmp_path: Path) -> None:
    # Half converted: valid UTF-8 "Đảng" (7 bytes, 4 characters) before a TCVN3 byte (ộ).
    (line,) = messages(tmp_path, "a: Đảng ".encode() + b"b\xe9\n")
    assert line.startswith("f.yaml:1:10: tệp không phải văn bản UTF-8")


def test_utf16_is_refused(tmp_path: Path) -> None:
    (line,) = messages(tmp_path, "a: 1\n".encode("utf-16"))
    assert line == "f.yaml: tệp được lưu ở bảng mã UTF-16 (hãy lưu lại tệp với bảng mã UTF-8)"


def test_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    assert decomposed != "Nguyễn Thị Hằng"
    src = load(tmp_path, f"ho_ten: {decomposed}\n")
    assert src.data["ho_ten"] == "Nguyễn Thị Hằng"
    assert unicodedata.is_normalized("NFC", src.data["ho_ten"])


def test_yaml_12_scalars(tmp_path: Path) -> None:
    src = load(tmp_path, "a: yes\nb: no\nc: on\nd: true\ne: 2026-01-05\nf: 12\ng: ~\n")
    assert src.data == {"a": "yes", "b": "no", "c": "on", "d": True, "e": "2026-01-05", "f": 12, "g": None}


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("08", 8), ("010", 10), ("-007", -7), ("0x1A", 26), ("0o17", 15), ("!!int 010", 10), ("1.5", 1.5),
        # base 60 and the other YAML 1.1 forms stay text
        ("24:00", "24:00"), ("1:30", "1:30"), ("1:30.5", "1:30.5"), ("0b11", "0b11"), ("1_000", "1_000"),
    ],
)
def test_yaml_12_numbers(tmp_path: Path, raw: str, value: object) -> None:
    # YAML 1.1 read 010 as octal 8 and refused 08 (numbers are typed as printed, "Số 08"),
    # and 24:00 as 1440 minutes: a refused time of day was shown as a number nobody typed.
    assert load(tmp_path, f"a: {raw}\n").data == {"a": value}


def test_python_tags_are_refused(tmp_path: Path) -> None:
    (line,) = messages(tmp_path, "a: !!python/object/apply:os.system ['true']\n")
    assert line.startswith("f.yaml:1:4: a: kiểu dữ liệu")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_source(tmp_path / "khong-co.yaml", "khong-co.yaml")
    assert info.value.lines() == ["khong-co.yaml: không tìm thấy tệp"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("a: x\x7fy\n", "x\x7fy"),  # DEL
        ("a: x\x93y\n", "x\x93y"),  # a C1 control (cp1252's “ read as Latin-1)
        ("a: x\x85y\n", "x\x85y"),  # NEL
        ("a: x\u2028y\n", "x\u2028y"),  # LINE SEPARATOR
        ("a: 'x\u2029y'\n", "x\u2029y"),  # PARAGRAPH SEPARATOR, quoted
    ],
)
def test_characters_yaml_refuses_raw_stay_text(tmp_path: Path, raw: str, value: str) -> None:
    # XML 1.0 allows them, and their escaped forms ("\x7f") always loaded: typed raw
    # they loaded with an unlocated English error, or broke the line in two.
    assert load(tmp_path, raw).data == {"a": value}


def test_line_separators_do_not_shift_line_numbers(tmp_path: Path) -> None:
    # An editor shows U+2028 and NEL inside a line; YAML would count them as line breaks.
    (line,) = messages(tmp_path, "a: x\u2028y\x85z\nb: 1\nb: 2\n")
    assert line.startswith("f.yaml:3:1: b: khóa 'b' bị lặp lại")


@pytest.mark.parametrize("char", ["\U000F0000", "\U000F0007", "\U000FFFFE", "\U00100000", "\ue000"])
def test_private_use_text_is_not_taken_for_a_control_character(tmp_path: Path, char: str) -> None:
    # The stand-ins for control characters are private-use characters the file does not use.
    src = load(tmp_path, f"a: x{char}y\nb: 'u{char}\x01'\n".replace("\x01", "v"))
    assert src.data == {"a": f"x{char}y", "b": f"u{char}v"}
    (line,) = messages(tmp_path, f"a: x{char}y\nb: u\x07v\n")
    assert line.startswith("f.yaml:2:4: b: có ký tự điều khiển không hợp lệ U+0007 ở vị trí 2")


@pytest.mark.parametrize("escape", ["\\U000F0000", "\\U000f0001", "\\uE000"])
def test_escaped_private_use_text_is_not_taken_for_a_stand_in(tmp_path: Path, escape: str) -> None:
    # Found by the property test: the file holds no private-use character, so one was picked
    # as a stand-in, and an escape in a double-quoted value produced that same character.
    char = escape.encode().decode("unicode_escape")
    src = load(tmp_path, f'a: "x{escape}y"\nb: "x\\x7Fy"\nc: [l\u2028m]\n')
    assert src.data == {"a": f"x{char}y", "b": "x\x7fy", "c": ["l\u2028m"]}


def test_control_character_in_a_key(tmp_path: Path) -> None:
    (line,) = messages(tmp_path, "ke_hoach:\n  so\x1b: 1\n")
    assert line.startswith(
        "f.yaml:2:3: ke_hoach: tên khóa có ký tự điều khiển không hợp lệ U+001B ở vị trí 3"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('a: "\\uD800"\n', "f.yaml:1:7: lỗi cú pháp YAML: mã ký tự sau \\u hoặc \\U không hợp lệ"),
        # PyYAML's own parser raised ValueError (chr() out of range): a traceback
        ('a: "\\U00110000"\n', "f.yaml:1:7: lỗi cú pháp YAML: mã ký tự sau \\u hoặc \\U không hợp lệ"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: lỗi cú pháp YAML: tệp chỉ được chứa một khối dữ liệu"),
        ("a: &x {b: 1}\nc:\n  <<: *x\n", "f.yaml:3:3: lỗi cú pháp YAML: khóa gộp '<<' không được hỗ trợ"),
        ("so: !!int " + "9" * 5000 + "\n", "f.yaml:1:5: so: giá trị '" + "9" * 37 + "…' không đúng kiểu"),
    ],
    ids=["surrogate-escape", "escape-beyond-unicode", "two-documents", "merge-key", "huge-int"],
)
def test_more_malformed_yaml_in_vietnamese(tmp_path: Path, raw: str, expected: str) -> None:
    (line,) = messages(tmp_path, raw)
    assert line.startswith(expected)
