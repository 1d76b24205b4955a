"""Write the legacy-encoded fixtures of the hostile corpus (run once; the bytes are committed).

The same short plan, as a secretary's old editor would have saved it:

- ``ke-hoach.tcvn3.yaml``: TCVN3 (ABC, fonts .VnTime), through glibc's ``TCVN5712-1``,
  whose lowercase range is TCVN3's (ộ 0xE9, đ 0xAE, ư 0xAD, Đ 0xA7);
- ``ke-hoach.cp1258.yaml``: Windows-1258, through glibc's ``WINDOWS-1258`` (tones as
  combining marks: ộ = ô 0xF4 + dot below 0xF2);
- ``ke-hoach.vni.yaml``: VNI-Windows (fonts VNI-Times): each letter is its base letter
  followed by a mark byte (ộ = o 0xE4, đ = 0xF1), from the table below.

Usage: python tests/corpus/make_legacy.py
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent

TEXT = """\
ke_hoach:
  so: 1
  ngay_ban_hanh: 2026-01-05
  han_che:
    - Một số đảng viên cao tuổi chưa tham gia đầy đủ sinh hoạt chi bộ
  giai_phap:
    - Đảng ủy phường hướng dẫn, chi ủy đôn đốc thường xuyên
"""

# VNI-Windows: the mark byte after a base letter (lower case; upper case is the same byte
# upper-cased in Latin-1), for each tone on a plain, circumflex, breve vowel.
_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_SINGLE = {"đ": "ñ", "Đ": "Ñ", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö"}


def vni(text: str) -> bytes:
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = next((m for m in marks if m in _TONES), "")
        shape = next((m for m in marks if m not in _TONES), "")
        upper = base.isupper()
        low = base.lower()
        if ch in _SINGLE:
            out.append(_SINGLE[ch])
            continue
        if shape == "\u031b":  # horn: ơ ư
            out.append(_SINGLE["ơ" if low == "o" else "ư"].upper() if upper else _SINGLE["ơ" if low == "o" else "ư"])
            mark = _TONES.get(tone, "")
        elif shape == "\u0302":
            out.append(base)
            mark = _CIRCUMFLEX[tone]
        elif shape == "\u0306":
            out.append(base)
            mark = _BREVE[tone]
        elif low == "i":
            out.append(_I[tone].upper() if upper else _I[tone])
            continue
        else:
            out.append(base)
            mark = _TONES[tone]
        out.append(mark.upper() if upper else mark)
    return "".join(out).encode("latin-1")


def iconv(text: str, encoding: str) -> bytes:
    return subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", encoding], input=text.encode(), capture_output=True, check=True
    ).stdout


if __name__ == "__main__":
    (HERE / "ke-hoach.tcvn3.yaml").write_bytes(iconv(TEXT, "TCVN5712-1"))
    (HERE / "ke-hoach.cp1258.yaml").write_bytes(iconv(TEXT, "WINDOWS-1258"))
    (HERE / "ke-hoach.vni.yaml").write_bytes(vni(TEXT))
