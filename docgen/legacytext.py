"""Vietnamese text in a legacy encoding that was pasted as Unicode: found and converted.

A secretary who copies a paragraph out of an old Word file set in a ``.VnTime`` (TCVN3)
or ``VNI-Times`` (VNI) font gets the font's bytes read as Windows-1252 characters:
``Việc cập nhật sổ sách`` arrives as ``ViÖc cËp nhËt sæ s¸ch`` (TCVN3) or
``Vieäc caäp nhaät soå saùch`` (VNI). A whole file in those encodings is not UTF-8 and is
refused by docgen/yamlsource.py; a pasted line is valid UTF-8 and would reach the .docx.

:func:`detect` tells such a string from real Vietnamese text and gives the converted
text. A string is taken for legacy text only when

* it holds a *signature* character of the encoding: one its table uses that is not a
  letter of the Vietnamese alphabet (``Ö Ë æ ¸ ¬ ® ¹ ¶ ­`` for TCVN3, ``ø û ï ä ñ ö``
  for VNI), so real Vietnamese text, whatever its letters, is never taken; and
* every word holding a signature character converts to a well-formed Vietnamese
  syllable (onset, rhyme, at most one tone), and at least one such word has a Latin
  letter besides (a lone ``×`` or ``µ`` proves nothing). A foreign name (``München``)
  or a typographic sign (``«trích»``) does not convert to a syllable, so it is left.

The tables are data: TCVN3 is TCVN 5712:1993's VN3 set (the ``.VnTime`` fonts' single
bytes, lower case and the seven upper-case base letters; ``.VnTimeH`` fonts show the same
bytes in capitals, so a word typed in capitals is converted to capitals). VNI is the
VNI-Windows encoding of the ``VNI-Times`` fonts: a base letter followed by a mark byte.
No well-kept package does this (the registry has one small, young VNI-only encoder), so
no dependency is taken.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ENCODING_NAMES", "Legacy", "convert", "detect", "is_syllable"]

#: What the user is told the encoding is (Vietnamese).
ENCODING_NAMES = {
    "tcvn3": "TCVN3 (ABC, phông .VnTime)",
    "vni": "VNI (phông VNI-Times)",
}

# TCVN3 (TCVN 5712:1993, set VN3): each byte, read as Windows-1252, and the letter it is.
# The two strings are aligned character by character. 0xAD (ư) is a soft hyphen, invisible
# in most editors. Bytes VN3 leaves unused (VN1's capitals with tones, the combining tones
# 0xB0-0xB4) are not converted: ``°`` and ``±`` stay what they are.
_TCVN3_BYTES = (
    "¡¢£¤¥¦§"  # Ă Â Ê Ô Ơ Ư Đ
    "¨©ª«¬\u00ad®"  # ă â ê ô ơ ư đ
    "µ¸¶·¹"  # à á ả ã ạ
    "»¾¼½Æ"  # ằ ắ ẳ ẵ ặ
    "ÇÊÈÉË"  # ầ ấ ẩ ẫ ậ
    "ÌÐÎÏÑ"  # è é ẻ ẽ ẹ
    "ÒÕÓÔÖ"  # ề ế ể ễ ệ
    "×ÝØÜÞ"  # ì í ỉ ĩ ị
    "ßãáâä"  # ò ó ỏ õ ọ
    "åèæçé"  # ồ ố ổ ỗ ộ
    "êíëìî"  # ờ ớ ở ỡ ợ
    "ïóñòô"  # ù ú ủ ũ ụ
    "õøö÷ù"  # ừ ứ ử ữ ự
    "úýûüþ"  # ỳ ý ỷ ỹ ỵ
)
_TCVN3_LETTERS = (
    "ĂÂÊÔƠƯĐ"
    "ăâêôơưđ"
    "àáảãạ"
    "ằắẳẵặ"
    "ầấẩẫậ"
    "èéẻẽẹ"
    "ềếểễệ"
    "ìíỉĩị"
    "òóỏõọ"
    "ồốổỗộ"
    "ờớởỡợ"
    "ùúủũụ"
    "ừứửữự"
    "ỳýỷỹỵ"
)
_TCVN3 = str.maketrans(dict(zip(_TCVN3_BYTES, _TCVN3_LETTERS, strict=True)))

# VNI-Windows: a base letter followed by a mark byte, read as Windows-1252 (lower case;
# the upper-case sequence is the same one upper-cased, ``AÙ`` = Á). Tones: ù sắc, ø huyền,
# û hỏi, õ ngã, ï nặng; circumflex â with the tones á à å ã ä; breve ê with é è ú ü ë.
# ơ, ư, đ and the i's and ỵ are single bytes.
_VNI_LOWER = """
aù=á aø=à aû=ả aõ=ã aï=ạ
aâ=â aá=ấ aà=ầ aå=ẩ aã=ẫ aä=ậ
aê=ă aé=ắ aè=ằ aú=ẳ aü=ẵ aë=ặ
eù=é eø=è eû=ẻ eõ=ẽ eï=ẹ
eâ=ê eá=ế eà=ề eå=ể eã=ễ eä=ệ
où=ó oø=ò oû=ỏ oõ=õ oï=ọ
oâ=ô oá=ố oà=ồ oå=ổ oã=ỗ oä=ộ
ô=ơ ôù=ớ ôø=ờ ôû=ở ôõ=ỡ ôï=ợ
uù=ú uø=ù uû=ủ uõ=ũ uï=ụ
ö=ư öù=ứ öø=ừ öû=ử öõ=ữ öï=ự
í=í ì=ì æ=ỉ ó=ĩ ò=ị
yù=ý yø=ỳ yû=ỷ yõ=ỹ î=ỵ yï=ỵ
ñ=đ
"""


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for pair in _VNI_LOWER.split():
        sequence, letter = pair.split("=")
        table[sequence] = letter
        table[sequence.upper()] = letter.upper()
        if len(sequence) == 2:  # the case of a pair is its base letter's: "Aù" is Á
            table[sequence[0].upper() + sequence[1]] = letter.upper()
            table[sequence[0] + sequence[1].upper()] = letter
    return table


_VNI = _vni_table()
_VNI_SEQUENCE = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))

# The Vietnamese alphabet (NFC), and the letters of other Latin-script words.
_VIET_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
_VIET_LETTERS = frozenset(_VIET_LOWER + _VIET_LOWER.upper() + "fjwzFJWZ")

# The signature characters: used by the encoding's table, never a Vietnamese letter.
_SIGNATURES = {
    "tcvn3": frozenset(_TCVN3_BYTES) - _VIET_LETTERS,
    "vni": frozenset("".join(_VNI)) - _VIET_LETTERS,
}
_ANY_SIGNATURE = re.compile(f"[{re.escape(''.join(sorted(_SIGNATURES['tcvn3'] | _SIGNATURES['vni'])))}]")

# A word: what lies between spaces, digits, ASCII punctuation and the general
# punctuation block (“ ” – … come from Windows-1252, not from the tables).
_WORD = re.compile(r"[^\s0-9!-/:-@\[-`{-~\u2000-\u206f]+")
# Vietnamese letters beyond Latin-1: text holding them was typed in Unicode.
_UNICODE_VIETNAMESE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")

# Syllables: onset and rhyme, the rhyme without its tone (both tone placements, hoà and
# hòa, are the same rhyme).
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|q|r|s|t|v|x"
_RHYMES = """
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên êng ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong oong ooc op ot
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u uc ui um un ung up ut ua uân uâng uât uây uê uêch uênh uơ
uy uya uych uyn uynh uyt uyu uyên uyêt uôc uôi uôm uôn uông uôt uăc uăn uăng uăt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
"""
_SYLLABLE = re.compile(f"(?:{_ONSETS})?(?:{'|'.join(sorted(_RHYMES.split(), key=len, reverse=True))})")
# A unit with the micro sign (µm, µg) is no word, though TCVN3 reads µ as à.
_UNIT = re.compile("[µ\u03bc][a-zA-Z]{1,2}")
_TONES = "\u0300\u0301\u0303\u0309\u0323"


@dataclass(frozen=True)
class Legacy:
    """A string found to be legacy text.

    Attributes:
        encoding: ``tcvn3`` or ``vni`` (:data:`ENCODING_NAMES` names it for the user).
        converted: The text in Unicode (NFC).
    """

    encoding: str
    converted: str

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES[self.encoding]


def is_syllable(word: str) -> bool:
    """Whether ``word`` is a well-formed Vietnamese syllable (any case, at most one tone;
    lower case, capitals, or a capital first letter)."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(bare) is not None


def _tcvn3_word(word: str, capitals: bool) -> str:
    converted = word.translate(_TCVN3)
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    # .VnTimeH shows lower-case bytes as capitals: a word typed in capitals is one
    if (ascii_letters and all(c.isupper() for c in ascii_letters)) or (not ascii_letters and capitals):
        converted = converted.upper()
    return converted


def _vni_word(word: str, capitals: bool) -> str:
    return _VNI_SEQUENCE.sub(lambda m: _VNI[m.group()], word)


_CONVERTERS = {"tcvn3": _tcvn3_word, "vni": _vni_word}


def convert(text: str, encoding: str) -> str:
    """``text`` read as ``encoding`` (``tcvn3`` or ``vni``), in Unicode NFC.

    Text typed in Unicode (it holds Vietnamese letters beyond Latin-1) keeps its words
    that hold no signature character: only the pasted words are converted.
    """
    signature = _SIGNATURES[encoding]
    convert_word = _CONVERTERS[encoding]
    mixed = _UNICODE_VIETNAMESE.search(text) is not None
    letters = [c for c in text if c.isascii() and c.isalpha()]
    capitals = len(letters) > 1 and all(c.isupper() for c in letters)

    def word(match: re.Match[str]) -> str:
        found = match.group()
        if mixed and not signature.intersection(found):
            return found
        return convert_word(found, capitals)

    return unicodedata.normalize("NFC", _WORD.sub(word, text))


def _score(text: str, encoding: str) -> tuple[bool, int]:
    """Whether ``text`` reads as ``encoding``, and how many words say so."""
    signature = _SIGNATURES[encoding]
    evidence = 0
    for match in _WORD.finditer(text):
        found = match.group()
        if not signature.intersection(found) or _UNIT.fullmatch(found):
            continue
        if not is_syllable(convert(found, encoding)):
            return False, 0
        if any(c.isascii() and c.isalpha() for c in found):
            evidence += 1
    needed = 2 if _UNICODE_VIETNAMESE.search(text) else 1
    return evidence >= needed, evidence


def detect(text: str) -> Legacy | None:
    """The encoding ``text`` was pasted from and its conversion, or None for real text.

    Cheap for ordinary text: a string without a signature character is passed at once.
    """
    if _ANY_SIGNATURE.search(text) is None:
        return None
    best: tuple[int, str] | None = None
    for encoding in ("tcvn3", "vni"):
        reads, evidence = _score(text, encoding)
        if reads and (best is None or evidence > best[0]):
            best = (evidence, encoding)
    if best is None:
        return None
    converted = convert(text, best[1])
    return Legacy(best[1], converted) if converted != text else None
