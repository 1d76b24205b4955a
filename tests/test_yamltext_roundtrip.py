"""Every string docgen writes into a YAML file reads back as that same string (issue 20,
finding 11): ``docgen init`` and ``roster import`` wrote ``~``, ``.nan``, ``.inf``, ``+1``
bare, so a member named "~" was read back as empty and one named ".nan" as a number.

The writers: docgen/yamltext.py (init, roster import) and docgen/yamledit.py (the web
application's edits, ``new_text``/``updated_text``). The reader: docgen's own loader
(yamlsource.parse_text), and for yamltext also PyYAML (YAML 1.1) and ruamel (YAML 1.2),
since a secretary's file may be opened by other tools.
"""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from docgen.errors import InputError
from docgen.yamledit import new_text, updated_text
from docgen.yamlsource import parse_text
from docgen.yamltext import block_item, q, scalar

TRICKY = [
    # null, booleans of YAML 1.1 and 1.2, in any case
    "~", "null", "Null", "NULL", "", "yes", "No", "ON", "off", "true", "False", "y", "n", "Y", "N",
    # numbers of either version
    ".nan", ".NaN", ".inf", "-.inf", "+.inf", ".Inf", "+1", "-1", "0x1F", "0o17", "0b101", "1_000",
    "1e3", "1.5e3", "1.0e+20", "010", "08", "24:00", "1:30", "1:30.5", "3.", ".5", "0",
    # dates and times
    "2026-01-05", "2026-02-30", "2026-01-05T10:00:00", "2026-1-5 10:00",
    # spaces, comments, indicators
    " a", "a ", "  ", "\t", "a #b", "a#b", "# a", "a: b", "a:b", "key:", "-", "- a", "-a", "--- a", "...",
    "?", "? a", "*a", "&a", "!a", "!!str", "|", ">", "%a", "@a", "`a", "'a'", '"a"', "a'b", 'a"b',
    "=", "<<", "[a]", "{a: 1}", "a, b", "a\\b", "\\",
    # line breaks and invisible characters
    "a\nb", "a\n", "\na", "a\r\nb", "a\rb", "a\u2028b", "a\u2029b", "a\x85b", "a\x7fb", "a\x9fb",
    "a\u200bb", "\ufeffa", "a\u00a0b",
    # the usual
    "Nguyễn Văn Ánh", "Chi bộ Tổ dân phố số 5", "Đảng bộ phường Ngọc Hà", "O'Brien", "x",
]

# Characters docgen's loader refuses in any value (XML 1.0 forbids them: a problem, not
# text) and lone surrogates (not text at all).
FORBIDDEN = "".join(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))) + "\ufffe\uffff"
texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=FORBIDDEN)),
    # the tricky ones glued together, with indicators and a combining accent (NFC)
    st.lists(st.sampled_from([*TRICKY, " ", ":", "#", "\n", "-", "e", "\u0301"]), max_size=5)
    .map("".join)
    .filter(lambda s: not any(c in FORBIDDEN for c in s)),
)


def _docgen(text: str) -> object:
    return parse_text(text, Path("du-lieu.yaml"), "du-lieu.yaml").data


def _written(value: str) -> str:
    # the way scaffold writes a value: "key: <scalar>   # comment"
    return f"chi_bo:\n  ten: {q(value)}   # chú thích\n  ma: x\n"


def _allowed(value: str) -> bool:
    return not any(c in FORBIDDEN for c in value)


@pytest.mark.parametrize("value", TRICKY)
def test_yamltext_tricky_strings_read_back_the_same_by_every_reader(value: str) -> None:
    text = _written(value)
    expected = unicodedata.normalize("NFC", value)
    assert _docgen(text) == {"chi_bo": {"ten": expected, "ma": "x"}}, text
    assert yaml.safe_load(text)["chi_bo"]["ten"] == value, text
    assert YAML(typ="safe", pure=True).load(io.StringIO(text))["chi_bo"]["ten"] == value, text


@given(texts)
@example("~")
@example(".nan")
@example("+1")
@example("yes")
@example("2026-01-05")
def test_yamltext_any_string_reads_back_the_same(value: str) -> None:
    text = _written(value)
    assert _docgen(text) == {"chi_bo": {"ten": unicodedata.normalize("NFC", value), "ma": "x"}}, text
    assert yaml.safe_load(text)["chi_bo"]["ten"] == value, text


@given(texts)
def test_yamltext_block_items_read_back_the_same(value: str) -> None:
    # roster import writes members as block items, every value as text (numbers=False)
    lines = ["dang_vien:", *block_item({"ma": value, "ho_ten": value, "so": 12}, "  ", numbers=False)]
    data = _docgen("\n".join(lines) + "\n")
    nfc = unicodedata.normalize("NFC", value)
    assert data == {"dang_vien": [{"ma": nfc, "ho_ten": nfc, "so": "12"}]}


@pytest.mark.parametrize(
    "number", [0, -3, 1960, 1.5, -0.25, 1e20, 1e-05, float("nan"), float("inf"), float("-inf")]
)
def test_yamltext_numbers_read_back_as_the_same_numbers(number: float) -> None:
    back = _docgen(f"a: {scalar(number)}\n")
    assert isinstance(back, dict)
    value = back["a"]
    assert type(value) is type(number)
    assert value == number or (math.isnan(number) and math.isnan(value))


def test_a_member_named_tilde_is_written_quoted() -> None:
    # the finding itself: bare "~" is null, bare ".nan" a number, bare "+1" an integer
    assert q("~") == '"~"' and q(".nan") == '".nan"' and q(".inf") == '".inf"' and q("+1") == '"+1"'


def test_plain_vietnamese_stays_as_typed() -> None:
    assert q("Nguyễn Văn Ánh") == "Nguyễn Văn Ánh"
    assert q("a\u2028b") == '"a\\u2028b"'  # an invisible line break is shown as its escape


# --- yamledit (the web application's writer) ------------------------------------------


@pytest.mark.parametrize("value", [v for v in TRICKY if _allowed(v)])
def test_yamledit_tricky_strings_read_back_the_same(value: str) -> None:
    expected = unicodedata.normalize("NFC", value)
    assert _docgen(new_text({"ten": value})) == {"ten": expected}
    assert _docgen(updated_text("ten: cu\nma: x\n", {"ten": value, "ma": "x"})) == {"ten": expected, "ma": "x"}


@given(texts)
def test_yamledit_any_string_reads_back_the_same(value: str) -> None:
    expected = unicodedata.normalize("NFC", value)
    try:
        written = new_text({"ten": value, "ds": [value]})
        edited = updated_text("ten: cu  # chú thích\nds:\n  - cu\n", {"ten": value, "ds": [value]})
    except InputError:  # a value docgen's loader refuses: told, located, never written
        pytest.fail(f"refused {value!r}")
    assert _docgen(written) == {"ten": expected, "ds": [expected]}
    assert _docgen(edited) == {"ten": expected, "ds": [expected]}


# --- through docgen init ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["~", ".nan", "+1", "yes", "2026-01-05", "Null"])
def test_init_keeps_a_tricky_name_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from click.testing import CliRunner

    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    ward = ["--dang-bo", "Đảng bộ phường An Phú", "--cap-tren", "Đảng bộ thành phố Hà Nội", "--dia-danh", name]
    cell = ["--ten", "Chi bộ Khu phố 3", "--loai", "dia_ban_dan_cu", "--bi-thu", name, "--nam", "2026"]
    result = CliRunner().invoke(cli, ["init", "-w", "d", *ward, *cell])
    assert result.exit_code == 0, result.output
    roster = _docgen((tmp_path / "d/chi-bo/khu-pho-3/dang-vien.yaml").read_text(encoding="utf-8"))
    ward_data = _docgen((tmp_path / "d/dang-bo.yaml").read_text(encoding="utf-8"))
    assert isinstance(roster, dict) and isinstance(ward_data, dict)
    assert roster["dang_vien"][0]["ho_ten"] == name
    assert ward_data["dang_bo"]["dia_danh"] == name


@pytest.mark.parametrize("flow", [False, True])
def test_a_cell_id_a_reader_would_take_for_null_is_added_quoted(flow: bool) -> None:
    from docgen.scaffold import add_cell_to_ward

    text = 'dang_bo:\n  chi_bo: ["null", kp-1]\n' if flow else 'dang_bo:\n  chi_bo:\n    - "null"\n'
    ids = ["null", "kp-1"] if flow else ["null"]
    source = parse_text(text, Path("dang-bo.yaml"), "dang-bo.yaml")
    once = add_cell_to_ward(text, source.marks, ids, "true")
    again = parse_text(once, Path("dang-bo.yaml"), "dang-bo.yaml")
    twice = add_cell_to_ward(once, again.marks, [*ids, "true"], "yes")
    assert _docgen(twice) == {"dang_bo": {"chi_bo": [*ids, "true", "yes"]}}
    assert yaml.safe_load(twice) == {"dang_bo": {"chi_bo": [*ids, "true", "yes"]}}
