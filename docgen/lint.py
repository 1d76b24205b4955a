"""Check a template before it is used: every problem at once, each located in Word terms.

``docgen templates check`` prints these findings; ``docgen render`` runs the same
check once per template and process (:func:`compile_checked`) and refuses a
template with errors, with the same messages, before anything is written.

What is checked, and by what:

- tag syntax, block balance (``for``/``endfor``), docxtpl's ``{%p %}``/``{%tr %}``
  rules, tags running over two paragraphs, template code in tracked deletions:
  docxtpl-lint (MIT, PyPI), whose findings are translated here;
- variables not in the contract (with a did-you-mean), required ones no longer
  used: docxtpl-lint's data-path analysis against the contract (docgen/contract.py);
- filters outside the contract, hidden attributes (``__class__``): our own scan;
- tags Word split in a way docxtpl's clean-up cannot repair (a tracked insertion
  inside a tag leaves broken XML): each paragraph is patched the way rendering
  patches it and must stay well-formed;
- the real compile and a trial render with the contract's example values;
- layout drift from the format profile: docgen/audit.py in template mode (warnings).

Places use the vocabulary of render.Locator: ``đoạn 12 «Trên đây là…»`` or
``bảng 2, hàng 3, ô 1, đoạn 40 «…»``, counted on the template file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from docgen.contract import SHAPE_NAMES, TemplateContract, contract_for
from docgen.docxread import ParaPlace, paragraph_places
from docgen.errors import FileRefused, PackageError, TemplateCheckError, TemplateError, os_reason
from docgen.packagecheck import TEMPLATE_FILE_LIMIT, package_problems, refusal
from docgen.render import CompiledTemplate, patcher, sandboxed_env, translate_jinja
from docgen.safezip import DOCX_LIMITS, parse_xml, read_package
from docgen.userfile import read_regular

__all__ = ["ERROR", "WARNING", "Finding", "check_template", "compile_checked"]

ERROR = "lỗi"
WARNING = "cảnh báo"

_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# docxtpl-lint rules after which Jinja cannot parse the tags, so its variable
# analysis falls back to guesses; and the rules of a tag cut in two.
_UNPARSED = {"DTL001", "DTL002", "DTL101", "DTL102", "DTL103"}
_SPLIT = {"DTL001", "DTL002"}


@dataclass(frozen=True)
class Finding:
    """One problem of a template.

    Attributes:
        severity: ``lỗi`` (rendering refuses the template) or ``cảnh báo``.
        rule: A short stable name of the check (``bien-la``, ``the-tach``, ``the-thuc``...).
        template: The template file as shown to the user.
        message: What is wrong, in Vietnamese.
        place: Where in the template a person finds it, or None for the whole file.
        tag: The tag text, when one is involved.
    """

    severity: str
    rule: str
    template: str
    message: str
    place: str | None = None
    tag: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_error(self) -> TemplateError:
        return TemplateError(self.template, self.message, self.place, self.tag)

    def format(self) -> str:
        """``mẫu ke-hoach.docx: đoạn 13 «…»: thẻ {{ x }}: message``, as TemplateError says it."""
        return str(self.as_error())


def _hint(word: str, choices: list[str]) -> str:
    from docgen.validation import did_you_mean

    hint = did_you_mean(word, choices)
    return f" ({hint})" if hint else ""


class _Check:
    """One check run over one template file."""

    def __init__(self, raw: bytes, display: str, contract: TemplateContract | None) -> None:
        self.raw = raw
        self.display = display
        self.contract = contract
        self.findings: list[Finding] = []
        self.places: dict[str, list[ParaPlace]] = {}
        self.roots: dict[str, Any] = {}

    def add(self, rule: str, message: str, place: str | None = None, tag: str | None = None,
            severity: str = ERROR) -> None:
        self.findings.append(Finding(severity, rule, self.display, message, place, tag))

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)

    # ------------------------------------------------------------ package
    def read_parts(self) -> bool:
        """Read the package within limits and hold it to the package policy
        (docgen/packagecheck.py); False when the rest of the check cannot run on it."""
        try:
            entries = read_package(self.raw, DOCX_LIMITS)
        except PackageError as exc:
            place = f"phần {exc.part}" if exc.part else None
            self.add("tep", refusal(exc, self.raw), place)
            return False
        parts = [(info.filename, data) for info, data in entries]
        for finding in package_problems(parts):
            severity = ERROR if finding.is_error else WARNING
            self.add(finding.rule, finding.message, f"phần {finding.part}", severity=severity)
        if self.has_errors:
            # Nothing refused reaches docxtpl-lint, the compiler or the trial render.
            return False
        for name, data in parts:
            if _PARTS.match(name):
                try:
                    self.roots[name] = parse_xml(data, name)
                except PackageError as exc:  # pragma: no cover - package_problems parsed it
                    self.add("tep", f"tệp .docx hỏng ({exc})")
                    return False
        if "word/document.xml" not in self.roots:
            self.add("tep", "không phải tệp .docx hợp lệ (thiếu word/document.xml)")
            return False
        self.places = {name: paragraph_places(root) for name, root in self.roots.items()}
        return True

    def place(self, part: str, index: int) -> str | None:
        """The place of paragraph ``index`` (1-based) of docxtpl-lint's part label."""
        name = "word/document.xml" if part == "body" else f"word/{part}.xml"
        places = self.places.get(name, [])
        if not 1 <= index <= len(places):
            return None
        where = places[index - 1].quoted()
        return where if part == "body" else f"{_part_name(part)}, {where}"

    def in_order(self) -> list[Finding]:
        """Errors before warnings, each in document order (whole-file findings last)."""
        order: dict[str, tuple[int, int]] = {}
        parts = sorted(self.places.items(), key=lambda item: _label(item[0]) != "body")
        for rank, (name, places) in enumerate(parts):
            for place in places:
                order.setdefault(self.place(_label(name), place.index) or "", (rank, place.index))
        last = (len(self.places) + 1, 0)
        return sorted(
            self.findings,
            key=lambda f: (not f.is_error, order.get(f.place or "", last)),
        )

    # ------------------------------------------------------------ docxtpl-lint
    def lint(self) -> list[str]:
        """Run docxtpl-lint; returns the data paths the template reads."""
        from docxtpl_lint import lint

        result = lint(
            self.raw,
            schema=self.contract.schema() if self.contract else None,
            filters=list(sandboxed_env().filters),
            autoescape=True,
            ignore=["DTL005", "DTL104"],  # unused suppressions; filters are checked below
        )
        issues = result.issues
        broken = any(i.rule in _UNPARSED for i in issues)
        split = {(i.location.part, i.location.paragraph) for i in issues if i.rule in _SPLIT}
        for issue in issues:
            loc = issue.location
            if issue.rule == "DTL304" and (broken or re.search(r"(^|\.)_", issue.params["path"])):
                # with unparsable tags the variable analysis is partial; hidden attributes
                # are reported by filters_and_attributes
                continue
            if issue.rule == "DTL103" and (loc.part, loc.paragraph) in split:
                continue  # the syntax error of a tag cut in two: the cut is the problem
            place = self.place(loc.part, loc.paragraph) if loc.paragraph else None
            message = self.translate(issue.rule, issue.params)
            rule = _RULE_NAMES.get(issue.rule[:6], "cu-phap")
            severity = ERROR if issue.severity == "error" or issue.rule == "DTL002" else WARNING
            self.add(rule, message, place, issue.snippet or None, severity)
        return result.variables

    def translate(self, rule: str, params: dict[str, Any]) -> str:
        p = params
        if rule == "DTL001":
            return (
                f"thẻ mở «{p['open']}» không có «{p['close']}» để đóng (thiếu dấu đóng, "
                "hoặc thẻ bị ngắt sang đoạn khác)"
            )
        if rule == "DTL002":
            return (
                f"thẻ bị ngắt sang đoạn {p['end_para']} (lỡ nhấn Enter giữa thẻ?); khi tạo văn bản "
                "các đoạn sẽ bị gộp làm một: viết lại thẻ liền trong một đoạn"
            )
        if rule == "DTL003":
            return (
                "đoạn có sửa đổi theo dõi (Track Changes) chưa chấp nhận, trong phần bị xóa có thẻ; "
                "vào Xem lại › Chấp nhận tất cả thay đổi rồi lưu lại"
            )
        if rule == "DTL101":
            return f"thẻ mở «{p['kw']}» chưa được đóng: thiếu thẻ «end{p['kw']}» tương ứng"
        if rule == "DTL102":
            return "thẻ này không có thẻ mở tương ứng (thừa, hoặc thẻ mở bị xóa)"
        if rule == "DTL103":
            message = translate_jinja(p["msg"])
            return message if message.startswith("viết sai") else f"viết sai cú pháp: {message}"
        if rule == "DTL105":
            return f"phép thử «is {p['name']}» không có trong Jinja"
        if rule == "DTL106":
            return f"biến '{p['name']}' chỉ có trong vòng lặp for nhưng được dùng sau vòng lặp"
        if rule == "DTL201":
            return f"thẻ {p['prefix']} ... không được chứa dấu «%» hoặc «}}»"
        if rule == "DTL202":
            return f"viết «{{%{p['prefix']}» liền nhau, không có dấu cách giữa «{{%» và «{p['prefix']}»"
        if rule == "DTL203":
            return f"thẻ «{{%{p['prefix']} ...%}}» chỉ dùng trong ô của bảng"
        if rule == "DTL204":
            opened = self.place(p["_open_part"], p["_open_paragraph"]) or "?"
            return (
                f"thẻ đóng không cùng loại với thẻ mở {p['open_raw']} ({opened}): hai thẻ phải cùng "
                "là {%p ...}, {%tr ...} hoặc {% ...}"
            )
        if rule == "DTL205":
            return (
                f"vòng lặp hàng mở ở bảng {p['t1']} ({p['open_raw']}) nhưng đóng ở bảng {p['t2']}: "
                "phải mở và đóng trong cùng một bảng"
            )
        if rule == "DTL206":
            return (
                f"{p['open_raw']} và {p['close_raw']} ở cùng một hàng (bảng {p['table']}, hàng "
                f"{p['row']}): đặt chúng ở hai hàng riêng, hàng lặp ở giữa"
            )
        if rule == "DTL207":
            return f"{p['open_raw']} và {p['close_raw']} phải ở cùng một hàng của cùng một bảng"
        if rule == "DTL208":
            return "thẻ này chỉ dùng trong ô của bảng"
        if rule == "DTL209":
            unit = {"paragraph": "đoạn", "table row": "hàng", "table cell": "ô"}[p["unit"]]
            return (
                f"khi tạo văn bản thẻ này thay cả {unit} chứa nó, nên chữ «{p['rest']}» cạnh nó sẽ "
                f"mất: chuyển chữ đó sang {unit} khác"
            )
        if rule == "DTL210":
            return (
                f"{p['open_raw']} và {p['close_raw']} ở cùng một đoạn: đặt chúng ở hai đoạn riêng, "
                "nội dung lặp ở giữa"
            )
        if rule in ("DTL304", "DTL305"):
            return self.contract_message(p["path"].replace("[*]", "[]"), p.get("type"))
        return f"lỗi mẫu ({rule})"

    def contract_message(self, path: str, loop_type: str | None = None) -> str:
        assert self.contract is not None
        c = self.contract
        if loop_type is not None:
            return f"'{path}' không phải danh sách nên không lặp được"
        _, problem = c.lookup(path)
        kind, _, rest = (problem or "bien:" + path).partition(":")
        if kind == "bien":
            return f"biến '{rest}' không có trong danh sách biến của mẫu {c.file}{_hint(rest, c.names())}"
        if kind == "truong":
            var_name, _, name = rest.partition(":")
            var = c.var(var_name)
            fields = [f.name for f in var.fields] if var else []
            return f"mỗi mục của '{var_name}' không có trường '{name}'{_hint(name, fields)}"
        var = c.var(rest.split("[]")[0]) if rest else None
        shape = SHAPE_NAMES[var.shape] if var else "giá trị"
        if kind == "lap":
            return f"'{rest}' là {shape}, không lặp được"
        return f"'{rest}' là {shape}, không có trường nào sau dấu chấm"

    # ------------------------------------------------------------ contract
    def required(self, used: list[str]) -> None:
        if self.contract is None:
            return
        used_set = set(used)
        # A group (``tong.xuat_sac``) counts as used when any of its fields is.
        used_set |= {u.split(".", 1)[0] for u in used if "." in u and "[]" not in u.split(".", 1)[0]}
        for path in self.contract.required_paths():
            if "[]." in path:
                loop, _, name = path.partition("[].")
            else:
                loop, _, name = path.partition(".")
            if path in used_set or (name and loop not in used_set):
                continue  # a missing list or group is reported once, not once per field
            var, _ = self.contract.lookup(path)
            assert var is not None
            if var.alternative and var.alternative in used_set:
                continue  # the template uses the variable that takes its place
            if name and "[]." not in path:
                message = (
                    f"mẫu không còn dùng trường bắt buộc '{name}' của '{loop}': {var.meaning}; "
                    f"thêm lại thẻ {{{{ {path} }}}}"
                )
            elif name:
                message = (
                    f"mẫu không còn dùng trường bắt buộc '{name}' của '{loop}': {var.meaning}; "
                    f"thêm lại trong vòng lặp của '{loop}', ví dụ {{{{ x.{name} }}}}"
                )
            elif var.shape in ("doan", "muc"):
                message = (
                    f"mẫu không còn dùng biến bắt buộc '{path}': {var.meaning}; thêm lại vòng lặp "
                    f"{{%p for x in {path} %}} ... {{%p endfor %}}"
                    + (f" (trong bảng: {{%tr for x in {path} %}})" if var.shape == "muc" else "")
                )
            else:
                message = (
                    f"mẫu không còn dùng biến bắt buộc '{path}': {var.meaning}; thêm lại thẻ "
                    f"{{{{ {path} }}}}"
                )
            self.add("bien-bat-buoc", message)

    def filters_and_attributes(self) -> None:
        """Filters outside the contract and hidden attributes, tag by tag."""
        allowed = list(self.contract.filters) if self.contract else None
        env = sandboxed_env()
        for name, places in self.places.items():
            for place in places:
                for tag in _TAGS.findall(place.text):
                    where = self.place(_label(name), place.index)
                    try:
                        tokens = [t for t in env.lex(tag) if t[1] != "whitespace"]
                    except jinja2.TemplateSyntaxError:
                        continue  # reported by the syntax check
                    for i, (_, kind, value) in enumerate(tokens):
                        before = [t[1:] for t in tokens[max(0, i - 2) : i]]
                        prev = before[-1] if before else (None, None)
                        hidden = (kind == "name" and prev == ("operator", ".")) or (
                            kind == "string" and prev == ("operator", "[")
                        )
                        if hidden and value.strip("'\"").startswith("_"):
                            self.add(
                                "thuoc-tinh",
                                f"mẫu không được truy cập thuộc tính ẩn '{value.strip(chr(39) + chr(34))}' "
                                "(bị chặn vì an toàn)",
                                where,
                                tag,
                            )
                        is_filter = kind == "name" and (
                            prev == ("operator", "|") or before == [("block_begin", "{%"), ("name", "filter")]
                        )
                        if is_filter and allowed is not None and value not in allowed:
                            self.add(
                                "bo-loc",
                                f"bộ lọc '{value}' không được dùng trong mẫu"
                                + (_hint(value, allowed) or f" (được dùng: {', '.join(allowed)})"),
                                where,
                                tag,
                            )

    # ------------------------------------------------------------ repair
    def split_delimiters(self) -> None:
        """A tag's two braces in two paragraphs (``{`` Enter ``{ x }}``).

        docxtpl joins such braces and so silently merges the two paragraphs; the
        tag scan does not see a tag there at all.
        """
        for name, places in self.places.items():
            texts = ["".join(t.text or "" for t in pl.element.iter(f"{_W}t")) for pl in places]
            for i in range(len(places) - 1):
                first, second = texts[i], texts[i + 1]
                opened = first.endswith("{") and second.startswith(("{", "%", "#"))
                closed = first.endswith(("}", "%", "#")) and second.startswith("}")
                if opened or closed:
                    pair = f"{first[-1]}{second[0]}"
                    joined = first + second
                    tag = next(
                        (m.group() for m in _TAGS.finditer(joined) if m.start() < len(first) < m.end()),
                        pair,
                    )
                    self.add(
                        "the-tach",
                        f"hai dấu «{pair[0]}» «{pair[1]}» của một thẻ nằm ở hai đoạn (lỡ nhấn Enter "
                        "giữa thẻ?); khi tạo văn bản hai đoạn sẽ bị gộp làm một: viết lại thẻ liền "
                        "trong một đoạn",
                        self.place(_label(name), places[i].index),
                        tag,
                    )

    def repairable(self) -> None:
        """Each paragraph, patched as rendering patches it, must stay well-formed XML."""
        patch = patcher()
        flagged = {f.place for f in self.findings}
        for name, places in self.places.items():
            for place in places:
                if "{" not in place.text:
                    continue
                where = self.place(_label(name), place.index)
                if where in flagged:
                    continue
                xml = etree.tostring(place.element, encoding="unicode")
                kept = _TAGS.sub("", patch(xml))
                try:
                    etree.fromstring(f"<w:x {_NS}>{kept}</w:x>")
                except etree.XMLSyntaxError:
                    tags = _TAGS.findall(place.text)
                    self.add(
                        "the-hong",
                        "Word đã tách thẻ theo cách không ghép lại được (thường do sửa đổi theo dõi "
                        "chưa chấp nhận, hoặc trường, siêu liên kết nằm giữa thẻ): chấp nhận mọi "
                        "thay đổi, xóa thẻ rồi gõ lại liền một lần",
                        where,
                        tags[0] if tags else None,
                    )

    # ------------------------------------------------------------ compile and trial render
    def compile(self, path: Path, env: jinja2.Environment) -> CompiledTemplate | None:
        try:
            return CompiledTemplate.load(path, env, self.display)
        except TemplateError as exc:
            # The compiler stops at the first error and places it less precisely; it only
            # speaks when the checks above found nothing (what they cannot see).
            if not self.has_errors:
                self.add("cu-phap", exc.message, exc.place, exc.tag)
            return None

    def trial_render(self, compiled: CompiledTemplate) -> None:
        if self.contract is None:
            return
        try:
            compiled.render(self.contract.sample_context())
        except TemplateError as exc:
            self.add("chay-thu", f"chạy thử với dữ liệu mẫu: {exc.message}", exc.place, exc.tag)

    def layout(self) -> None:
        from docgen.audit import audit_bytes
        from docgen.resources import profile

        for deviation in audit_bytes(self.raw, profile(), template=True):
            place = deviation.where + (f" ({deviation.element})" if deviation.element else "")
            self.add("the-thuc", deviation.message, place or None, severity=WARNING)


_RULE_NAMES = {
    "DTL001": "the-tach",
    "DTL002": "the-tach",
    "DTL003": "sua-doi",
    "DTL101": "the-mo",
    "DTL102": "the-mo",
    "DTL103": "cu-phap",
    "DTL105": "cu-phap",
    "DTL106": "cu-phap",
    "DTL304": "bien-la",
    "DTL305": "bien-la",
}
for _rule in ("DTL201", "DTL202", "DTL203", "DTL204", "DTL205", "DTL206", "DTL207", "DTL208",
              "DTL209", "DTL210"):
    _RULE_NAMES[_rule] = "the-p-tr"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _label(part_name: str) -> str:
    """docxtpl-lint's label of a part file: ``body``, ``header1``..."""
    stem = part_name.rsplit("/", 1)[-1].removesuffix(".xml")
    return "body" if stem == "document" else stem


def _part_name(label: str) -> str:
    kind = re.sub(r"\d+$", "", label)
    name = {"header": "đầu trang", "footer": "chân trang", "footnotes": "chú thích"}.get(kind, label)
    return f"{name} ({label}.xml)"


def _run(
    path: Path, display: str | None, env: jinja2.Environment, layout: bool
) -> tuple[list[Finding], CompiledTemplate | None]:
    display = display or path.name
    contract = contract_for(path.name)
    try:
        raw = read_regular(path, TEMPLATE_FILE_LIMIT)
    except FileRefused as exc:
        return [Finding(ERROR, "tep", display, f"không đọc tệp mẫu: {exc.reason}")], None
    except OSError as exc:
        return [Finding(ERROR, "tep", display, f"không đọc được tệp mẫu ({os_reason(exc)})")], None
    check = _Check(raw, display, contract)
    if not check.read_parts():
        return check.findings, None
    used = check.lint()
    check.filters_and_attributes()
    check.split_delimiters()
    check.repairable()
    compiled = check.compile(path, env)
    if not check.has_errors:
        check.required(used)
    if compiled is not None and not check.has_errors:
        check.trial_render(compiled)
    if layout:
        check.layout()
    return check.in_order(), compiled


def check_template(path: Path, display: str | None = None, *, layout: bool = True) -> list[Finding]:
    """Every problem of the template at ``path`` (errors and warnings), in file order.

    The contract is the one of the file's name (``ke-hoach.docx``); a file that no
    kind uses is checked for syntax only.
    """
    findings, _ = _run(path, display, sandboxed_env(), layout)
    return findings


def compile_checked(
    path: Path, env: jinja2.Environment, display: str | None = None, *, layout: bool = True
) -> CompiledTemplate:
    """Check and compile a template for rendering; warnings stay on ``.warnings``.

    ``layout=False`` leaves out the layout comparison (warnings only).

    Raises:
        TemplateCheckError: the template has errors (every one, each located).
    """
    findings, compiled = _run(path, display, env, layout)
    errors = [f.as_error() for f in findings if f.is_error]
    if errors:
        raise TemplateCheckError(errors)
    assert compiled is not None
    compiled.warnings = tuple(f.format() for f in findings)
    return compiled
