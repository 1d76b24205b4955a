"""What a Word package may hold: the parts and relationships a Party document needs, nothing that
reaches out or runs (issue 20).

A .docx is a zip of parts joined by relationships (ECMA-376 Part 2, Open Packaging Conventions).
Some relationships and parts make Word or LibreOffice fetch or run something when the file is
opened, printed or converted: a relationship with ``TargetMode="External"`` (an image linked
instead of embedded, an attached template on a web server, a UNC path that makes Windows send
the user's credentials to another host), fields that include other files (INCLUDEPICTURE,
INCLUDETEXT, LINK, DDE), macros (a VBA project), ActiveX controls and OLE embeddings.
A template is copied part by part into every document issued from it, so whatever it holds
reaches every secretary who opens one.

:func:`package_problems` is a pure function over the package's parts (names and bytes, already
read within limits by :mod:`docgen.safezip`): one :class:`PackageFinding` per thing refused or
doubtful, each naming its part. Rendering refuses a template with any error finding
(render.CompiledTemplate.load), ``docgen templates check`` lists them (lint.py), ``docgen
audit`` reports them as deviations of any .docx (audit.py).

Decisions:

- Hyperlinks to the outside (``http:``, ``mailto:``) are refused too. A Party document
  (Hướng dẫn 36-HD/VPTW) has no hyperlinks; a link in a template would be copied into every
  document issued from it, where a reader may click it; and refusing every external
  relationship keeps the rule simple enough to state: nothing in an issued document points
  outside it. An address can still be typed as text.
- A part with no content type makes the package invalid (ECMA-376 Part 2 §10.1.2.4: every
  part has one): an error. A content type outside the list of what Word saves in a document
  (:data:`WORD_CONTENT_TYPES`) is a warning: Word adds parts (custom XML, comment
  extensions, web settings) that are harmless; the dangerous kinds (macros, ActiveX, OLE) are
  errors by their own rules.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from docgen.errors import PackageError
from docgen.safezip import parse_xml

__all__ = [
    "DOCX_FILE_LIMIT",
    "ERROR",
    "TEMPLATE_FILE_LIMIT",
    "WARNING",
    "PackageFinding",
    "package_problems",
    "part_problems",
    "is_zip_refused",
    "may_reach_out",
    "refusal",
]

_MIB = 1024 * 1024
# A template is text and a seal or logo image: the built-in ones are under 30 KB, a ward's copy
# saved by Word under 1 MB. 16 MB leaves room for a scanned header image, never for a bomb.
TEMPLATE_FILE_LIMIT = 16 * _MIB
# Any .docx audited or previewed (an issued document, a hand-made one): text and a few images.
DOCX_FILE_LIMIT = 32 * _MIB

ERROR = "lỗi"
WARNING = "cảnh báo"


@dataclass(frozen=True)
class PackageFinding:
    """One thing a package holds that a Party document must not (or need not).

    Attributes:
        part: The part where it is (``word/_rels/document.xml.rels``).
        message: What it is, in Vietnamese.
        rule: A short stable code (``lien-ket-ngoai``, ``macro``...).
        severity: ``lỗi`` (a template is refused) or ``cảnh báo``.
    """

    part: str
    message: str
    rule: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


# ---------------------------------------------------------------- sources of the rules
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_MS_REL = "http://schemas.microsoft.com/office/2006/relationships/"

# Relationship types refused whatever their target mode (the last segment of the type URI),
# with their rule code; the message is _refused_message's.
_REFUSED_RELATIONSHIPS = {
    # ECMA-376 Part 1 §17.15.1.6 (w:attachedTemplate): the template Word loads (with its
    # macros) on opening; its target is a file or a URL.
    "attachedTemplate": "mau-dinh-kem",
    # [MS-DOCX] §2.1 / [MS-OI29500]: the VBA project, its data, its key bindings.
    "vbaProject": "macro",
    "wordVbaData": "macro",
    "keyMapCustomizations": "macro",
    # ECMA-376 Part 1 §15.2.13 Control (ActiveX).
    "control": "activex",
    # ECMA-376 Part 1 §15.2.14 Embedded Object (OLE) and §15.2.15 Embedded Package.
    "oleObject": "nhung",
    "package": "nhung",
    # ECMA-376 Part 1 §17.17.2.1 altChunk: content imported from another format (HTML, RTF,
    # MHT) when the file is opened, which may itself load remote content.
    "aFChunk": "nhung",
    # ECMA-376 Part 1 §17.17.2.6 subDoc: a master document pulling in other files.
    "subDocument": "lien-ket-ngoai",
}


def _refused_message(kind: str, shown: str) -> str:
    if kind == "attachedTemplate":
        return f"gắn «mẫu đính kèm» (attachedTemplate) {shown}: Word sẽ tải mẫu đó (kèm macro) khi mở văn bản"
    if kind == "keyMapCustomizations":
        return "có gán phím cho macro (keyMapCustomizations)"
    if kind in ("vbaProject", "wordVbaData"):
        return "có macro (VBA)"
    if kind == "control":
        return "có điều khiển ActiveX"
    if kind == "subDocument":
        return f"có tài liệu con (subDocument) lấy từ tệp khác {shown}"
    if kind == "aFChunk":
        return "có nội dung nhập từ tệp khác (altChunk)"
    return "có đối tượng nhúng (OLE hay tệp khác)"


# Content types of macros, ActiveX and OLE ([MS-OI29500], [MS-DOCX] §2.1, ECMA-376 Part 1
# §15.2.13-15); each an error under its rule.
_MACRO_TYPE = re.compile(r"macroenabled|vnd\.ms-office\.vbaproject|vnd\.ms-word\.vbadata", re.I)
_ACTIVEX_TYPE = re.compile(r"vnd\.ms-office\.activex", re.I)
_OLE_TYPE = re.compile(r"oleobject|vnd\.ms-office\.embedded|application/x-msdownload", re.I)
_MACRO_NAME = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$", re.I)

# Fields that fetch another file or a program's data when fields are updated (ECMA-376 Part 1
# §17.16.5: INCLUDEPICTURE .29, INCLUDETEXT .30, LINK .34, DDE .13, DDEAUTO .14, IMPORT
# (legacy INCLUDEPICTURE), DATABASE .12, HYPERLINK .25).
_FIELD = re.compile(
    r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT|DATABASE|HYPERLINK)\b", re.I
)

# Content types Word writes in a document (ECMA-376 Part 1 §11.3 and §15.2, [MS-DOCX] §2.1).
_OOXML = "application/vnd.openxmlformats-officedocument."
WORD_CONTENT_TYPES = frozenset({
    "application/vnd.openxmlformats-package.relationships+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/xml",
    "text/xml",
    _OOXML + "wordprocessingml.document.main+xml",
    _OOXML + "wordprocessingml.template.main+xml",
    _OOXML + "wordprocessingml.styles+xml",
    _OOXML + "wordprocessingml.settings+xml",
    _OOXML + "wordprocessingml.webSettings+xml",
    _OOXML + "wordprocessingml.fontTable+xml",
    _OOXML + "wordprocessingml.numbering+xml",
    _OOXML + "wordprocessingml.header+xml",
    _OOXML + "wordprocessingml.footer+xml",
    _OOXML + "wordprocessingml.footnotes+xml",
    _OOXML + "wordprocessingml.endnotes+xml",
    _OOXML + "wordprocessingml.comments+xml",
    _OOXML + "wordprocessingml.document.glossary+xml",
    _OOXML + "theme+xml",
    _OOXML + "themeOverride+xml",
    _OOXML + "extended-properties+xml",
    _OOXML + "custom-properties+xml",
    _OOXML + "customXmlProperties+xml",
    _OOXML + "obfuscatedFont",
    "application/vnd.ms-word.stylesWithEffects+xml",
    "application/vnd.ms-word.commentsExtended+xml",
    "application/vnd.ms-word.commentsIds+xml",
    "application/vnd.ms-word.commentsExtensible+xml",
    "application/vnd.ms-word.people+xml",
    "application/vnd.ms-word.intelligence+xml",
    "application/vnd.ms-word.intelligence2+xml",
    "application/vnd.ms-office.intelligence2+xml",
    _OOXML + "wordprocessingml.printerSettings",
    _OOXML + "drawingml.chart+xml",
    _OOXML + "drawingml.chartshapes+xml",
    _OOXML + "drawingml.diagramData+xml",
    _OOXML + "drawingml.diagramLayout+xml",
    _OOXML + "drawingml.diagramStyle+xml",
    _OOXML + "drawingml.diagramColors+xml",
    "application/vnd.ms-office.drawingml.diagramDrawing+xml",
    "application/vnd.ms-office.chartstyle+xml",
    "application/vnd.ms-office.chartcolorstyle+xml",
    "image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff", "image/x-emf",
    "image/x-wmf", "image/svg+xml", "image/emf", "image/wmf",
})
_FOLDED_TYPES = frozenset(t.lower() for t in WORD_CONTENT_TYPES)

# Targets that leave the package even without TargetMode="External": UNC paths (Windows sends
# the user's NTLM credentials to the host) and file: URLs.
# VML v:imagedata/@src, o:href and the like (ECMA-376 Part 4 §19.1.2.11): a picture fetched
# from an address instead of a relationship.
_LINK_ATTRIBUTE = re.compile(r"(^|})(src|href)$")
_OUTSIDE_TARGET = re.compile(r"^\s*(\\\\|//|file:|[a-z][a-z0-9+.-]*://)", re.I)


def _source_of(rels_name: str) -> str:
    """The folder of the part a ``.rels`` part belongs to (``word/_rels/document.xml.rels``
    -> ``word``; ``_rels/.rels`` -> the package root, ``""``)."""
    folder = posixpath.dirname(rels_name)  # .../_rels
    return posixpath.dirname(folder)


def _resolve(source: str, target: str) -> str | None:
    """An internal target as a part name (lower case), or None when it climbs out."""
    path = target.split("#", 1)[0]
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(source, path) if source else path
    parts: list[str] = []
    for piece in joined.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts).lower()


def _short(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _rel_type(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1]


class _Scan:
    def __init__(self) -> None:
        self.found: list[PackageFinding] = []
        self.targets: set[str] = set()  # internal relationship targets, resolved (lower case)

    def add(self, part: str, message: str, rule: str, severity: str = ERROR) -> None:
        self.found.append(PackageFinding(part, message, rule, severity))

    # ---------------------------------------------------------------- relationships
    def relationships(self, name: str, root: Any) -> None:
        source = _source_of(name)
        for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
            kind = _rel_type(rel.get("Type", ""))
            target = rel.get("Target", "")
            mode = rel.get("TargetMode", "Internal")
            shown = f"«{_short(target)}»"
            refused = _REFUSED_RELATIONSHIPS.get(kind)
            if refused is not None:
                self.add(name, _refused_message(kind, shown), refused)
                continue
            if mode.lower() == "external":
                # ECMA-376 Part 2 §9.3.2 TargetMode: an External target is a resource outside
                # the package, fetched by the reader (a linked image, frame, hyperlink).
                what = "siêu liên kết" if kind == "hyperlink" else "liên kết"
                self.add(
                    name,
                    f"có {what} ra ngoài tệp ({kind}) tới {shown}: mẫu không được trỏ ra ngoài, "
                    "hãy nhúng hoặc bỏ",
                    "lien-ket-ngoai",
                )
            elif _OUTSIDE_TARGET.match(target):
                self.add(name, f"có đường dẫn ra ngoài tệp tới {shown}", "lien-ket-ngoai")
            elif _resolve(source, target) is None:
                # ECMA-376 Part 2 §9.3.1: an internal target is a part of this package; one
                # that climbs above the package's root names a file of the reader's disk.
                self.add(name, f"có đường dẫn trỏ ra ngoài gói tới {shown}", "lien-ket-ngoai")
            else:
                self.targets.add(_resolve(source, target) or "")

    # ---------------------------------------------------------------- XML content
    def content(self, name: str, root: Any) -> None:
        # DrawingML a:blip r:link (ECMA-376 Part 1 §20.1.8.13) and VML r:href / o:href: a
        # picture linked instead of embedded.
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if element.get(f"{_R}link") or element.get(f"{_R}href") or any(
                _LINK_ATTRIBUTE.search(key) and _OUTSIDE_TARGET.match(value)
                for key, value in element.attrib.items()
            ):
                self.add(name, "có ảnh hay đối tượng liên kết ra ngoài tệp (không nhúng)", "anh-lien-ket")
                break
        for instr in self._fields(root):
            match = _FIELD.match(instr)
            if match:
                self.add(
                    name,
                    f"có trường {match.group(1).upper()} lấy nội dung từ ngoài tệp «{_short(instr)}»",
                    "truong-lien-ket",
                )

    @staticmethod
    def _fields(root: Any) -> list[str]:
        """The instruction text of every field: ``w:fldSimple/@w:instr`` and complex fields
        (``w:instrText`` runs between ``fldChar begin`` and ``separate``/``end``, ECMA-376
        Part 1 §17.16.18), joined across runs Word split them into."""
        out = [s.get(f"{_W}instr", "") for s in root.iter(f"{_W}fldSimple")]
        stack: list[list[str]] = []
        for element in root.iter(f"{_W}fldChar", f"{_W}instrText"):
            if element.tag == f"{_W}instrText":
                text = element.text or ""
                if stack:
                    stack[-1].append(text)
                else:
                    out.append(text)
                continue
            kind = element.get(f"{_W}fldCharType")
            if kind == "begin":
                stack.append([])
            elif kind in ("separate", "end") and stack:
                out.append("".join(stack.pop()))
        out += ["".join(pieces) for pieces in stack]
        return out

    # ---------------------------------------------------------------- content types
    def content_types(self, names: list[str], root: Any | None) -> None:
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        if root is not None:
            for item in root.iter(f"{{{_CT_NS}}}Default"):
                defaults[item.get("Extension", "").lower()] = item.get("ContentType", "")
            for item in root.iter(f"{{{_CT_NS}}}Override"):
                overrides[item.get("PartName", "").lstrip("/").lower()] = item.get("ContentType", "")
        for name in names:
            if name == "[Content_Types].xml" or name.endswith("/"):
                continue
            folded = name.lower()
            extension = folded.rsplit(".", 1)[-1] if "." in posixpath.basename(folded) else ""
            kind = overrides.get(folded) or defaults.get(extension)
            if _MACRO_NAME.search(name):
                self.add(name, "có macro (VBA)", "macro")
            elif folded.startswith("word/activex/"):
                self.add(name, "có điều khiển ActiveX", "activex")
            elif folded.startswith("word/embeddings/"):
                self.add(name, "có đối tượng nhúng (OLE hay tệp khác)", "nhung")
            if kind is None:
                if root is not None:
                    self.add(name, "phần không có kiểu nội dung trong [Content_Types].xml", "kieu-noi-dung")
                continue
            self.content_type(name, kind)
        # The content types declared, whether or not a part uses them (a macro-enabled main
        # document type renames a .docm as .docx).
        for name, kind in overrides.items():
            if name not in {n.lower() for n in names}:
                self.content_type("[Content_Types].xml", kind)

    def content_type(self, name: str, kind: str) -> None:
        shown = f"«{_short(kind)}»"
        if _MACRO_TYPE.search(kind):
            self.add(name, f"có kiểu nội dung của macro {shown}: đây là tệp có macro, không phải .docx", "macro")
        elif _ACTIVEX_TYPE.search(kind):
            self.add(name, f"có kiểu nội dung của ActiveX {shown}", "activex")
        elif _OLE_TYPE.search(kind):
            self.add(name, f"có kiểu nội dung của đối tượng nhúng {shown}", "nhung")
        elif kind.strip().lower() not in _FOLDED_TYPES:
            self.add(
                name,
                f"có thành phần lạ, kiểu nội dung {shown} văn bản Word thường không dùng",
                "thanh-phan-la",
                WARNING,
            )


def package_problems(parts: list[tuple[str, bytes]]) -> list[PackageFinding]:
    """Everything in the package ``parts`` (name, inflated bytes) that a Party document must
    not hold, in part order: external relationships, attached templates, linked images and
    fields, UNC and ``file:`` targets, macros, ActiveX, OLE, DOCTYPEs and broken XML, parts
    without a content type (errors), unusual content types (warnings).

    Part names are assumed checked (safezip.read_package refuses unsafe ones).
    """
    scan = _Scan()
    names = [name for name, _ in parts]
    types_root = None
    for name, data in parts:
        folded = name.lower()
        if not folded.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            root = parse_xml(data, name)
        except PackageError as exc:
            # A DOCTYPE may declare entities or fetch a DTD: refused by its own rule code.
            scan.add(name, f"phần XML không đọc được: {exc.reason}", "doctype" if "DOCTYPE" in exc.reason else "xml")
            continue
        if name == "[Content_Types].xml":
            types_root = root
        elif folded.endswith(".rels"):
            scan.relationships(name, root)
        else:
            scan.content(name, root)
    for name in names:
        folded = name.lower()
        if name == "[Content_Types].xml" or folded.endswith((".rels", "/")) or folded in scan.targets:
            continue
        # ECMA-376 Part 2 §9.3: parts are reached through relationships; one no relationship
        # names is carried in every issued document unseen (any bytes, any size).
        scan.add(name, "phần không được phần nào dùng tới (không có quan hệ trỏ tới): hãy bỏ", "thanh-phan-thua")
    if types_root is None and "[Content_Types].xml" not in names:
        scan.add("[Content_Types].xml", "thiếu phần [Content_Types].xml (kiểu nội dung các phần)", "kieu-noi-dung")
    scan.content_types(names, types_root)
    return scan.found


def refusal(exc: PackageError, data: bytes) -> str:
    """What to say of a .docx that safezip refused to read: a file that is no zip at all is
    "not a .docx" as before; a bomb, too many parts, an unsafe name are said as such."""
    if not is_zip_refused(exc, data):
        return "không phải tệp .docx hợp lệ"
    return f"tệp .docx bị từ chối: {exc.reason}"


def is_zip_refused(exc: PackageError, data: bytes) -> bool:
    """Whether safezip refused a zip for what it holds, not for being no zip at all."""
    return exc.part is not None or zipfile.is_zipfile(io.BytesIO(data))


def part_problems(name: str, root: Any) -> list[PackageFinding]:
    """What one XML part (parsed) holds that reaches out: linked images, fields that fetch
    (INCLUDEPICTURE, LINK...). For a rendered part, whose text the template's tags made."""
    scan = _Scan()
    scan.content(name, root)
    return scan.found


# What part_problems refuses is always named by ASCII bytes of the part's own markup:
# - a linked picture: an attribute r:link or r:href (``{R}link``, ``{R}href``), or an
#   attribute src or href whose value leaves the package: its name holds ``link``,
#   ``href`` or ``src`` whatever its prefix;
# - a field that fetches: a w:fldSimple's w:instr attribute or w:instrText elements (a
#   field without them has an empty instruction, which no field name matches): ``instr``.
# XML names cannot be written with character or entity references (XML 1.0 §2.3, §4.1:
# references stand for characters of text and attribute values only), so these bytes are
# in the part whatever the text around them. The one way a name reaches the parsed tree
# without being written in the part is a DTD (an entity whose replacement text holds
# markup, an attribute default): it needs ``<!DOCTYPE``. A part holding none of these
# bytes therefore has no finding; the marks are searched case-sensitively, as XML names
# are compared. tests/test_render_floor.py holds the two verdicts equal.
_REACH_MARKS = (b"instr", b"link", b"href", b"src", b"<!DOCTYPE")


def may_reach_out(data: bytes) -> bool:
    """Whether the XML part ``data`` (UTF-8) may hold something :func:`part_problems`
    refuses: False only when it certainly does not (none of the names those rules look at
    is written in it, and it has no DTD). A quick test (a few substring searches) that
    lets a rendered part skip the full scan of every element."""
    return any(mark in data for mark in _REACH_MARKS)
