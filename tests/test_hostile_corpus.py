"""The hostile input corpus (issue #8, item 1): one case per kind of bad input, for every
document kind that reads input, through the real CLI.

Each case copies the sample workspace, breaks one thing, puts an earlier version of the
kind's output in place and runs ``docgen render KIND ...``. It must exit 1 with exactly the
expected located Vietnamese lines (``file:line:col: field: message`` wherever a line exists),
print nothing on stdout, and leave the output folder byte for byte as it was.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import cli
from docgen.errors import OutputError
from docgen.output import resolve_inside
from docgen.register import Register
from docgen.yamlsource import format_path
from tests.conftest import SAMPLE, edit_yaml
from tests.fields import CELL, NOT_FREE_TEXT, place, read_sample, text_fields

CORPUS = Path(__file__).resolve().parent / "corpus"
TDP = f"data/chi-bo/{CELL}"
CELL_ARGS = ["--chi-bo", CELL, "--nam", "2026"]


@dataclass(frozen=True)
class Kind:
    """A document kind as the corpus drives it."""

    args: tuple[str, ...]
    reads: tuple[tuple[str, str], ...]  # its input files, relative to the workspace, and their top keys
    outputs: tuple[str, ...]  # what an earlier run left in the output folder

    @property
    def file(self) -> str:
        """The input file of a kind that reads one."""
        ((rel, _),) = self.reads
        return rel

    @property
    def root(self) -> str:
        ((_, root),) = self.reads
        return root


def _reads(*files: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return files


PHAN_CONG = (f"chi-bo/{CELL}/2026/phan-cong.yaml", "phan_cong_nhiem_vu")
QUY = (f"chi-bo/{CELL}/2026/quy-3.yaml", "bao_cao_quy")
NAM = (f"chi-bo/{CELL}/2026/nam.yaml", "bao_cao_nam")


KINDS = {
    "ke-hoach": Kind(
        ("ke-hoach", *CELL_ARGS), _reads((f"chi-bo/{CELL}/2026/ke-hoach.yaml", "ke_hoach")),
        (f"ngoc-ha/{CELL}/2026/ke-hoach.docx",),
    ),
    "phan-cong": Kind(
        ("phan-cong", *CELL_ARGS), _reads(PHAN_CONG),
        (f"ngoc-ha/{CELL}/2026/phan-cong.docx",),
    ),
    "bao-cao-quy": Kind(
        ("bao-cao-quy", *CELL_ARGS, "--quy", "3"), _reads(QUY),
        (f"ngoc-ha/{CELL}/2026/bao-cao-quy-3.docx",),
    ),
    "bao-cao-nam": Kind(
        ("bao-cao-nam", *CELL_ARGS), _reads(NAM),
        (f"ngoc-ha/{CELL}/2026/bao-cao-nam.docx",),
    ),
    "tong-hop-quy": Kind(
        ("tong-hop-quy", "--nam", "2026", "--quy", "3"), _reads(("2026/tong-hop-quy-3.yaml", "tong_hop_quy")),
        ("ngoc-ha/2026/tong-hop-quy-3.docx",),
    ),
    "tong-hop-nam": Kind(
        ("tong-hop-nam", "--nam", "2026"), _reads(("2026/tong-hop-nam.yaml", "tong_hop_nam")),
        ("ngoc-ha/2026/tong-hop-nam.docx",),
    ),
    "ke-hoach-dang-uy": Kind(
        ("ke-hoach-dang-uy", "--nam", "2026"), _reads(("2026/ke-hoach-dang-uy.yaml", "ke_hoach_dang_uy")),
        ("ngoc-ha/2026/ke-hoach-dang-uy.docx",),
    ),
    # The minutes have no file of their own: they read the meetings typed in the
    # resolution, the quarters and the year (all of them, whatever --quy: they are
    # numbered in meeting order). The sample's assignment is a notice, so no resolution
    # minutes; the quarter minutes and the year minutes are there.
    "bien-ban": Kind(
        ("bien-ban", *CELL_ARGS), _reads(PHAN_CONG, QUY, NAM),
        (
            *(f"ngoc-ha/{CELL}/2026/bien-ban-quy-{q}.docx" for q in range(1, 5)),
            f"ngoc-ha/{CELL}/2026/bien-ban-nam.docx",
        ),
    ),
}

Edit = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One hostile input: the kind run, the edit of the workspace, the expected lines."""

    id: str
    kind: str
    edit: Edit
    expected: tuple[str, ...]  # each "file:line:col: field: message", without "Lỗi: "


def sample_text(rel: str) -> str:
    return (SAMPLE / rel).read_text(encoding="utf-8")


def line_of(rel: str, start: str) -> int:
    """1-based number of the first line of the sample file that starts with ``start``."""
    for number, line in enumerate(sample_text(rel).splitlines(), start=1):
        if line.startswith(start):
            return number
    raise AssertionError(f"no line starting with {start!r} in {rel}")


def value_line(rel: str, key: str) -> tuple[str, int]:
    """The full line ``  key: value`` of the sample file and its number."""
    number = line_of(rel, f"  {key}:")
    return sample_text(rel).splitlines()[number - 1], number


def replace_line(rel: str, old: str, new: str) -> Edit:
    def edit(ws: Path) -> None:
        edit_yaml(ws / rel, old + "\n", new + "\n")

    return edit


def insert_after(rel: str, line: str, text: str) -> Edit:
    """Insert ``text`` (lines without the final newline) after the sample's ``line``."""
    return replace_line(rel, line, f"{line}\n{text}")


def drop_line(rel: str, line: str) -> Edit:
    def edit(ws: Path) -> None:
        edit_yaml(ws / rel, line + "\n", "")

    return edit


def write_bytes(rel: str, data: bytes | Callable[[], bytes]) -> Edit:
    def edit(ws: Path) -> None:
        (ws / rel).write_bytes(data() if callable(data) else data)

    return edit


def append(rel: str, text: str | Callable[[], str]) -> Edit:
    def edit(ws: Path) -> None:
        path = ws / rel
        path.write_text(
            path.read_text(encoding="utf-8") + (text() if callable(text) else text), encoding="utf-8"
        )

    return edit


def edits(*changes: Edit) -> Edit:
    def edit(ws: Path) -> None:
        for change in changes:
            change(ws)

    return edit


def bomb(levels: int = 10, width: int = 9) -> str:
    """The "billion laughs": each key holds ``width`` copies of the one before."""
    lines = [f"b0: &b0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


SYNTAX = "lỗi cú pháp YAML: "
TAB = SYNTAX + "có ký tự Tab (YAML chỉ dùng dấu cách để thụt lề; hãy thay Tab bằng dấu cách)"
INDENT = SYNTAX + "thụt lề không đều (các mục cùng cấp phải thẳng cột với nhau)"
BIG = "tệp quá lớn (10,0 MB; tối đa 5 MB) (tệp dữ liệu của một chi bộ thường chỉ vài chục KB)"
BOMB = "tệp có quá nhiều phần tử (có thể do bí danh YAML lồng nhau nhiều tầng)"
CONTROL_HINT = "(thường do dán văn bản từ nơi khác; hãy gõ lại đoạn này)"
LEGACY = (
    "tệp không phải văn bản UTF-8 (có thể đang dùng bảng mã cũ TCVN3/ABC, VNI hoặc "
    "Windows-1258) (mở tệp bằng trình soạn thảo, chọn lưu với bảng mã UTF-8, hoặc chuyển mã "
    "bằng Unikey (công cụ chuyển mã) sang Unicode)"
)


def generic_cases(name: str, rel: str, root: str, prefix: str = "") -> list[Case]:
    """The cases every input file shares, through a kind that reads it: malformed YAML,
    limits, types, keys, dates, numbers. ``prefix`` names the file in the case ids of a
    kind that reads several."""
    return [
        Case(prefix + case.id, case.kind, case.edit, case.expected)
        for case in _generic_cases(name, rel, root)
    ]


def _generic_cases(name: str, rel: str, root: str) -> list[Case]:
    shown = f"data/{rel}"
    so_line, so_no = value_line(rel, "so")
    date_line, date_no = value_line(rel, "ngay_ban_hanh")
    date_value = date_line.split(": ", 1)[1]
    n_lines = len(sample_text(rel).splitlines())
    after = "\n".join(sample_text(rel).splitlines()[so_no:])
    quote = next(q for q in "'\"" if q not in after)  # a quote nothing later closes
    return [
        Case("tab", name, replace_line(rel, so_line, "\t" + so_line.lstrip()), (f"{shown}:{so_no}:1: {TAB}",)),
        Case(
            "bad-indentation", name, replace_line(rel, date_line, date_line[1:]),
            (f"{shown}:{date_no}:2: {INDENT}",),
        ),
        Case(
            "unclosed-quote", name, replace_line(rel, so_line, so_line.replace(": ", f": {quote}")),
            (
                f"{shown}:{so_no}:7: {SYNTAX}dấu ngoặc kép hoặc ngoặc đơn mở ở đây chưa được đóng "
                "(đóng chuỗi bằng đúng dấu đã mở nó)",
            ),
        ),
        Case("alias-bomb", name, append(rel, bomb()), (f"{shown}:{n_lines + 6}:1: b5: {BOMB}",)),
        Case(
            "10-mb", name, append(rel, lambda: "# " + "x" * (10 * 1024 * 1024) + "\n"), (f"{shown}: {BIG}",)
        ),
        Case(
            "deep-nesting", name, append(rel, "sau: " + "[" * 60 + "]" * 60 + "\n"),
            (f"{shown}:{n_lines + 1}:46: dữ liệu lồng nhau quá 40 tầng",),
        ),
        Case("empty-file", name, write_bytes(rel, b""), (f"{shown}: tệp trống, chưa có dữ liệu",)),
        Case(
            "only-comments", name, write_bytes(rel, "# chưa viết gì\n".encode()),
            (f"{shown}: tệp trống, chưa có dữ liệu",),
        ),
        Case(
            "not-a-mapping", name, write_bytes(rel, "- một\n- hai\n".encode()),
            (f"{shown}:1:1: phải là một bảng khóa: giá trị, nhận được một danh sách",),
        ),
        Case(
            "utf-16", name, write_bytes(rel, lambda: sample_text(rel).encode("utf-16")),
            (f"{shown}: tệp được lưu ở bảng mã UTF-16 (hãy lưu lại tệp với bảng mã UTF-8)",),
        ),
        Case(
            "wrong-type", name, replace_line(rel, so_line, "  so: một"),
            (f"{shown}:{so_no}:7: {root}.so: phải là số nguyên, nhận được 'một'",),
        ),
        Case(
            "list-for-a-number", name, replace_line(rel, so_line, "  so: [1, 2]"),
            (f"{shown}:{so_no}:7: {root}.so: phải là số nguyên, nhận được một danh sách",),
        ),
        Case(
            "unknown-key", name,
            replace_line(rel, date_line, date_line.replace("ngay_ban_hanh", "ngay_ban_hnh")),
            (
                f"{shown}:{so_no}:3: {root}.ngay_ban_hanh: thiếu trường bắt buộc",
                f"{shown}:{date_no}:3: {root}.ngay_ban_hnh: khóa 'ngay_ban_hnh' không được dùng ở đây "
                "(có phải ý là 'ngay_ban_hanh'?)",
            ),
        ),
        Case(
            "duplicate-key", name, replace_line(rel, so_line, f"{so_line}\n{so_line}"),
            (f"{shown}:{so_no + 1}:3: {root}.so: khóa 'so' bị lặp lại trong cùng một mục (mỗi khóa chỉ được viết một lần)",),
        ),
        Case(
            "impossible-date", name, replace_line(rel, date_line, "  ngay_ban_hanh: 2026-02-30"),
            (
                f"{shown}:{date_no}:18: {root}.ngay_ban_hanh: ngày '2026-02-30' không tồn tại "
                "(tháng 2 năm 2026 không có ngày 30)",
            ),
        ),
        Case(
            "impossible-month", name, replace_line(rel, date_line, "  ngay_ban_hanh: 31/13/2026"),
            (f"{shown}:{date_no}:18: {root}.ngay_ban_hanh: ngày '31/13/2026' không tồn tại (không có tháng 13)",),
        ),
        Case(
            "year-typo", name,
            replace_line(rel, date_line, "  ngay_ban_hanh: 0" + date_value[1:]),
            (
                f"{shown}:{date_no}:18: {root}.ngay_ban_hanh: ngày '0{date_value[1:]}' có năm "
                f"{int(date_value[1:4])} không hợp lý (chỉ nhận năm 1900 đến 2100; có gõ nhầm năm?)",
            ),
        ),
        Case(
            "not-a-date", name, replace_line(rel, date_line, "  ngay_ban_hanh: đầu tháng Giêng"),
            (
                f"{shown}:{date_no}:18: {root}.ngay_ban_hanh: 'đầu tháng Giêng' không phải ngày; "
                "viết dạng 2026-01-05 hoặc 05/01/2026",
            ),
        ),
        Case(
            "number-zero", name, replace_line(rel, so_line, "  so: 0"),
            (f"{shown}:{so_no}:7: {root}.so: phải lớn hơn hoặc bằng 1, nhận được 0",),
        ),
        Case(
            "number-negative", name, replace_line(rel, so_line, "  so: -7"),
            (f"{shown}:{so_no}:7: {root}.so: phải lớn hơn hoặc bằng 1, nhận được -7",),
        ),
        Case(
            "number-absurd", name, replace_line(rel, so_line, "  so: 1000000000000000000000"),
            (f"{shown}:{so_no}:7: {root}.so: phải nhỏ hơn hoặc bằng 9999, nhận được 1000000000000000000000",),
        ),
        Case(
            "number-float", name, replace_line(rel, so_line, "  so: 1.5"),
            (f"{shown}:{so_no}:7: {root}.so: phải là số nguyên, nhận được 1.5",),
        ),
        Case(
            "python-tag", name, replace_line(rel, so_line, "  so: !!python/object/apply:os.system ['true']"),
            (
                f"{shown}:{so_no}:7: {root}.so: kiểu dữ liệu 'tag:yaml.org,2002:python/object/apply:os.system' "
                "không được hỗ trợ (chỉ dùng chữ, số, ngày, true/false)",
            ),
        ),
    ]


# Dates out of each kind's period, as each kind words it.
def period_cases() -> list[Case]:
    k, p, q, n = (KINDS[x].file for x in ("ke-hoach", "phan-cong", "bao-cao-quy", "bao-cao-nam"))
    thq, thn, khdu = (KINDS[x].file for x in ("tong-hop-quy", "tong-hop-nam", "ke-hoach-dang-uy"))
    return [
        Case(
            "issued-outside-the-year", "ke-hoach",
            replace_line(k, "  ngay_ban_hanh: 2026-01-05", "  ngay_ban_hanh: 2027-01-05"),
            (
                f"data/{k}:6:18: ke_hoach.ngay_ban_hanh: ngày ban hành 05/01/2027 không hợp với kế "
                "hoạch năm 2026 (phải trong năm 2025 hoặc 2026)",
            ),
        ),
        Case(
            "issued-outside-the-year", "phan-cong",
            replace_line(p, "  ngay_ban_hanh: 2026-02-05", "  ngay_ban_hanh: 2027-01-05"),
            (
                f"data/{p}:7:18: phan_cong_nhiem_vu.ngay_ban_hanh: ngày ban hành 05/01/2027 không "
                "thuộc năm 2026 của thư mục (đặt tệp vào thư mục 2027/ hoặc sửa ngày)",
                # every deadline and completion date now precedes the issue, in file order
                *(
                    text
                    for _, text in sorted(
                        [
                            (line, f"data/{p}:{line}:17: phan_cong_nhiem_vu.nhiem_vu[{i}].thoi_han: "
                             f"thời hạn {day} trước ngày ban hành 05/01/2027")
                            for i, line, day in TASK_DEADLINES
                        ]
                        + [
                            (line, f"data/{p}:{line}:24: phan_cong_nhiem_vu.nhiem_vu[{i}].ngay_hoan_thanh: "
                             f"ngày hoàn thành {day} trước ngày giao nhiệm vụ 05/01/2027")
                            for i, line, day in TASK_DONE
                        ]
                    )
                ),
            ),
        ),
        Case(
            "deadline-before-issue", "phan-cong",
            replace_line(p, "      thoi_han: 2026-04-30", "      thoi_han: 2026-01-30"),
            (
                f"data/{p}:{first_deadline('30/04/2026')}:17: phan_cong_nhiem_vu.nhiem_vu["
                f"{first_task('30/04/2026')}].thoi_han: thời hạn 30/01/2026 trước ngày ban hành 05/02/2026",
            ),
        ),
        Case(
            "meeting-outside-the-quarter", "bao-cao-quy",
            replace_line(q, "    - ngay: 2026-07-05", "    - ngay: 2026-06-30"),
            (
                f"data/{q}:9:13: bao_cao_quy.buoi_sinh_hoat[1].ngay: buổi sinh hoạt ngày 30/06/2026 "
                "không thuộc quý III năm 2026 (01/07/2026 - 30/09/2026)",
            ),
        ),
        Case(
            "letter-outside-the-quarter", "bao-cao-quy",
            replace_line(q, "    - ngay: 2026-08-12", "    - ngay: 2026-10-12"),
            (
                f"data/{q}:{line_of(q, '    - ngay: 2026-08-12')}:13: bao_cao_quy.don_thu[1].ngay: "
                "đơn thư ngày 12/10/2026 không thuộc quý III năm 2026 (01/07/2026 - 30/09/2026)",
            ),
        ),
        Case(
            "issued-long-after-the-quarter", "bao-cao-quy",
            replace_line(q, "  ngay_ban_hanh: 2026-09-28", "  ngay_ban_hanh: 2026-12-28"),
            (
                f"data/{q}:6:18: bao_cao_quy.ngay_ban_hanh: ngày ban hành 28/12/2026 không hợp với báo "
                "cáo quý III năm 2026 (01/07/2026 - 30/09/2026) (báo cáo quý được ban hành trong quý "
                "hoặc trong 45 ngày sau)",
            ),
        ),
        Case(
            "issued-outside-the-review-season", "bao-cao-nam",
            replace_line(n, "  ngay_ban_hanh: 2026-12-22", "  ngay_ban_hanh: 2026-06-22"),
            (
                f"data/{n}:6:18: bao_cao_nam.ngay_ban_hanh: ngày ban hành 22/06/2026 không hợp với "
                "báo cáo năm 2026 (từ 01/10/2026 đến 31/03/2027)",
            ),
        ),
        Case(
            "issued-outside-the-quarter", "tong-hop-quy",
            replace_line(thq, "  ngay_ban_hanh: 2026-10-08", "  ngay_ban_hanh: 2026-03-08"),
            (
                f"data/{thq}:4:18: tong_hop_quy.ngay_ban_hanh: ngày ban hành 08/03/2026 không hợp với "
                "báo cáo quý III năm 2026",
            ),
        ),
        Case(
            "issued-outside-the-year", "tong-hop-nam",
            replace_line(thn, "  ngay_ban_hanh: 2027-01-15", "  ngay_ban_hanh: 2026-01-15"),
            (
                f"data/{thn}:6:18: tong_hop_nam.ngay_ban_hanh: ngày ban hành 15/01/2026 không hợp với "
                "báo cáo năm 2026",
            ),
        ),
        Case(
            "issued-outside-the-year", "ke-hoach-dang-uy",
            replace_line(khdu, "  ngay_ban_hanh: 2025-12-22", "  ngay_ban_hanh: 2024-12-22"),
            (
                f"data/{khdu}:8:18: ke_hoach_dang_uy.ngay_ban_hanh: ngày ban hành 22/12/2024 không "
                "hợp với kế hoạch năm 2026 (phải trong năm 2025 hoặc 2026)",
            ),
        ),
    ]


# (item number, line, date) of the sample notice's deadlines and completion dates.
TASK_DEADLINES: list[tuple[int, int, str]] = []
TASK_DONE: list[tuple[int, int, str]] = []


def _task_dates() -> None:
    rel = KINDS["phan-cong"].file
    item = 0
    for number, line in enumerate(sample_text(rel).splitlines(), start=1):
        if line.startswith("    - dang_vien:"):
            item += 1
        for key, out in (("thoi_han", TASK_DEADLINES), ("ngay_hoan_thanh", TASK_DONE)):
            match = re.fullmatch(rf"      {key}: (\d{{4}})-(\d\d)-(\d\d)", line)
            if match:
                year, month, day = match.groups()
                out.append((item, number, f"{day}/{month}/{year}"))


_task_dates()


def first_deadline(day: str) -> int:
    return next(line for _, line, d in TASK_DEADLINES if d == day)


def first_task(day: str) -> int:
    return next(i for i, _, d in TASK_DEADLINES if d == day)


def domain_cases() -> list[Case]:
    """Wrong types, unknown keys and references, duplicates, absurd numbers: file by file."""
    roster = f"chi-bo/{CELL}/dang-vien.yaml"
    r = f"data/{roster}"
    q = KINDS["bao-cao-quy"].file
    n = KINDS["bao-cao-nam"].file
    p = KINDS["phan-cong"].file
    ward = "dang-bo.yaml"
    first_cell = line_of(ward, "    - to-dan-pho-5")
    ma = "không hợp lệ: chỉ dùng chữ thường không dấu, số, '-' hoặc '_' (tối đa 64 ký tự)"
    score, dues = line_of(q, "    diem_chung: 28"), line_of(q, "    so_phai_dong: 26")
    first_rated, second_rated = line_of(q, "    - ma: dv01"), line_of(q, "    - ma: dv02")
    chi_bo = "bao_cao_quy.chi_bo"
    missing_dv02 = (
        "bao_cao_quy.dang_vien: thiếu đánh giá của đảng viên Đinh Minh Hoa (dv02) (mỗi đảng viên phải được "
        "đánh giá, trừ người miễn, đình chỉ sinh hoạt hoặc vào Đảng chưa đủ thời gian)"
    )
    # after the year's last member entry, before the year-end meeting (hoi_nghi)
    last_rated = "      de_xuat: xuat_sac"
    return [
        # the roster, read by every cell document
        Case(
            "duplicate-member-id", "ke-hoach", replace_line(roster, "  - ma: dv02", "  - ma: dv01"),
            (f"{r}:13:9: dang_vien[2].ma: mã đảng viên 'dv01' bị trùng với mục thứ 1 (mỗi đảng viên cần một mã riêng)",),
        ),
        Case(
            "birth-year-1800", "ke-hoach", replace_line(roster, "    nam_sinh: 1975", "    nam_sinh: 1800"),
            (f"{r}:8:15: dang_vien[1].nam_sinh: phải lớn hơn hoặc bằng 1900, nhận được 1800",),
        ),
        Case(
            "birth-year-absurd", "ke-hoach", replace_line(roster, "    nam_sinh: 1975", "    nam_sinh: 19750"),
            (f"{r}:8:15: dang_vien[1].nam_sinh: phải nhỏ hơn hoặc bằng 2100, nhận được 19750",),
        ),
        Case(
            "born-after-joining", "ke-hoach", replace_line(roster, "    nam_sinh: 1975", "    nam_sinh: 2001"),
            (f"{r}:5:5: dang_vien[1]: năm sinh 2001 và ngày vào Đảng 15/08/2010 không khớp (chưa đủ 18 tuổi)",),
        ),
        Case(
            "joined-before-the-party-existed", "ke-hoach",
            edits(
                replace_line(roster, "    nam_sinh: 1975", "    nam_sinh: 1901"),
                replace_line(roster, "    ngay_vao_dang: 2010-08-15", "    ngay_vao_dang: 1925-08-15"),
            ),
            (f"{r}:10:20: dang_vien[1].ngay_vao_dang: ngày vào Đảng 15/08/1925 trước ngày thành lập Đảng (03/02/1930)",),
        ),
        Case(
            "impossible-joining-date", "ke-hoach",
            replace_line(roster, "    ngay_vao_dang: 2010-08-15", "    ngay_vao_dang: 2010-02-29"),
            (f"{r}:10:20: dang_vien[1].ngay_vao_dang: ngày '2010-02-29' không tồn tại (tháng 2 năm 2010 không có ngày 29)",),
        ),
        Case(
            "member-id-with-slash", "ke-hoach", replace_line(roster, "  - ma: dv01", "  - ma: ../dv01"),
            (f"{r}:5:9: dang_vien[1].ma: mã '../dv01' {ma}",),
        ),
        Case(
            "name-as-a-list", "ke-hoach", replace_line(roster, "    ho_ten: Tạ Diệu Thảo", "    ho_ten: [Tạ, Diệu, Thảo]"),
            (f"{r}:6:13: dang_vien[1].ho_ten: phải là chữ, nhận được một danh sách",),
        ),
        Case(
            "enum-with-diacritics", "ke-hoach", replace_line(roster, "    gioi_tinh: nu", "    gioi_tinh: nữ"),
            (f"{r}:7:16: dang_vien[1].gioi_tinh: giá trị 'nữ' không hợp lệ; chỉ được là: 'nam', 'nu'",),
        ),
        # the ward file, read by every document
        Case(
            "ward-id-escaping", "ke-hoach", replace_line(ward, "  ma: ngoc-ha                               # mã, dùng làm tên thư mục kết quả", "  ma: ../../etc"),
            (f"data/dang-bo.yaml:4:7: dang_bo.ma: mã '../../etc' {ma}",),
        ),
        Case(
            "cell-id-with-backslash", "ke-hoach", replace_line(ward, "    - to-dan-pho-5", "    - ..\\to-dan-pho-5"),
            (f"data/dang-bo.yaml:{first_cell}:7: dang_bo.chi_bo[1]: mã '..\\to-dan-pho-5' {ma}",),
        ),
        # the quarter: counts, scores, duplicates
        Case(
            "attendance-above-the-roster", "bao-cao-quy", replace_line(q, "      co_mat: 25", "      co_mat: 500"),
            (f"data/{q}:10:15: bao_cao_quy.buoi_sinh_hoat[1].co_mat: số có mặt (500) nhiều hơn số đảng viên phải dự sinh hoạt (26)",),
        ),
        Case(
            "attendance-negative", "bao-cao-quy", replace_line(q, "      co_mat: 25", "      co_mat: -1"),
            (f"data/{q}:10:15: bao_cao_quy.buoi_sinh_hoat[1].co_mat: phải lớn hơn hoặc bằng 0, nhận được -1",),
        ),
        Case(
            "meetings-planned-absurd", "bao-cao-quy",
            replace_line(q, "  sinh_hoat_thuong_ky_ke_hoach: 3", "  sinh_hoat_thuong_ky_ke_hoach: 300"),
            (f"data/{q}:7:33: bao_cao_quy.sinh_hoat_thuong_ky_ke_hoach: phải nhỏ hơn hoặc bằng 31, nhận được 300",),
        ),
        Case(
            "score-above-the-scale", "bao-cao-quy", replace_line(q, "    diem_chung: 28", "    diem_chung: 31"),
            (f"data/{q}:{score}:17: {chi_bo}.diem_chung: điểm tiêu chí chung 31 vượt tối đa 30",),
        ),
        Case(
            "score-absurd", "bao-cao-quy", replace_line(q, "    diem_chung: 28", "    diem_chung: 280"),
            (f"data/{q}:{score}:17: {chi_bo}.diem_chung: phải nhỏ hơn hoặc bằng 100, nhận được 280",),
        ),
        Case(
            "score-not-a-number", "bao-cao-quy", replace_line(q, "    diem_chung: 28", "    diem_chung: .nan"),
            (f"data/{q}:{score}:17: {chi_bo}.diem_chung: phải là một số cụ thể, nhận được .nan",),
        ),
        Case(
            "sick-leave-longer-than-the-quarter", "bao-cao-quy",
            replace_line(q, "    - ma: dv01", "    - ma: dv01\n      nghi_om_thang: 5"),
            (
                f"data/{q}:{first_rated + 1}:22: bao_cao_quy.dang_vien[1].nghi_om_thang: phải nhỏ hơn hoặc "
                "bằng 3, nhận được 5",
            ),
        ),
        Case(
            "dues-paid-above-due", "bao-cao-quy", replace_line(q, "    so_da_dong: 26", "    so_da_dong: 30"),
            (f"data/{q}:{dues}:5: bao_cao_quy.dang_phi: số đã đóng (30) lớn hơn số phải đóng (26)",),
        ),
        Case(
            "dues-due-above-the-roster", "bao-cao-quy",
            edits(
                replace_line(q, "    so_phai_dong: 26", "    so_phai_dong: 500"),
                replace_line(q, "    so_da_dong: 26", "    so_da_dong: 500"),
            ),
            (
                f"data/{q}:{dues}:19: bao_cao_quy.dang_phi.so_phai_dong: số đảng viên phải đóng đảng phí "
                "(500) nhiều hơn số đảng viên của chi bộ (28)",
            ),
        ),
        Case(
            "member-evaluated-twice", "bao-cao-quy", replace_line(q, "    - ma: dv02", "    - ma: dv01"),
            (
                f"data/{q}:{first_rated}:5: {missing_dv02}",
                f"data/{q}:{second_rated}:11: bao_cao_quy.dang_vien[2].ma: đảng viên 'dv01' được đánh giá "
                "hai lần (trùng với mục thứ 1)",
            ),
        ),
        Case(
            "unknown-member", "bao-cao-quy", replace_line(q, "    - ma: dv02", "    - ma: dv2"),
            (
                f"data/{q}:{first_rated}:5: {missing_dv02}",
                f"data/{q}:{second_rated}:11: bao_cao_quy.dang_vien[2].ma: không có đảng viên mã 'dv2' trong "
                f"{TDP}/dang-vien.yaml (có phải ý là 'dv02'?)",
            ),
        ),
        Case(  # counted twice in the attendance, listed twice in the minutes
            "absent-twice", "bao-cao-quy",
            replace_line(q, "        - dang_vien: dv16", "        - dang_vien: dv22"),
            (
                f"data/{q}:{line_of(q, '        - dang_vien: dv16')}:22: "
                "bao_cao_quy.buoi_sinh_hoat[4].vang[2].dang_vien: đảng viên 'dv22' được ghi vắng hai lần "
                "(trùng với mục thứ 1)",
            ),
        ),
        # the year
        Case(
            "member-reviewed-twice", "bao-cao-nam",
            insert_after(n, last_rated, "    - ma: dv02\n      diem_chung: 20\n      diem_nhiem_vu: 50"),
            (f"data/{n}:30:11: bao_cao_nam.dang_vien[2].ma: đảng viên 'dv02' được ghi hai lần (trùng với mục thứ 1)",),
        ),
        Case(
            "year-score-absurd", "bao-cao-nam", replace_line(n, "      diem_nhiem_vu: 63", "      diem_nhiem_vu: -63"),
            (f"data/{n}:28:22: bao_cao_nam.dang_vien[1].diem_nhiem_vu: phải lớn hơn hoặc bằng 0, nhận được -63",),
        ),
        Case(
            "discipline-outside-the-year", "bao-cao-nam",
            insert_after(
                n, last_rated,
                "  ky_luat:\n    - dang_vien: dv05\n      hinh_thuc: khien_trach\n      ngay: 2025-05-01\n"
                "      ly_do: Vi phạm",
            ),
            (f"data/{n}:33:13: bao_cao_nam.ky_luat[1].ngay: quyết định kỷ luật ngày 01/05/2025 không thuộc năm 2026",),
        ),
        Case(
            "sick-leave-longer-than-the-year", "bao-cao-nam",
            insert_after(n, last_rated, "      nghi_om_thang: 13"),
            (f"data/{n}:30:22: bao_cao_nam.dang_vien[1].nghi_om_thang: phải nhỏ hơn hoặc bằng 12, nhận được 13",),
        ),
        # the notice
        Case(
            "task-for-an-unknown-member", "phan-cong", replace_line(p, "    - dang_vien: dv01", "    - dang_vien: dv1"),
            (f"data/{p}:10:18: phan_cong_nhiem_vu.nhiem_vu[1].dang_vien: không có đảng viên mã 'dv1' trong {TDP}/dang-vien.yaml (có phải ý là 'dv01'?)",),
        ),
        Case(
            "impossible-deadline", "phan-cong", replace_line(p, "      thoi_han: 2026-04-30", "      thoi_han: 2026-04-31"),
            (
                f"data/{p}:{first_deadline('30/04/2026')}:17: phan_cong_nhiem_vu.nhiem_vu[{first_task('30/04/2026')}]"
                ".thoi_han: ngày '2026-04-31' không tồn tại (tháng 4 năm 2026 không có ngày 31)",
            ),
        ),
        Case(
            "meeting-attendance-zero", "phan-cong",
            replace_line(p, "  hinh_thuc: thong_bao", "  hinh_thuc: thong_bao\n  hoi_nghi:\n    ngay: 2026-02-01\n    so_co_mat: 0"),
            (f"data/{p}:11:16: phan_cong_nhiem_vu.hoi_nghi.so_co_mat: phải lớn hơn hoặc bằng 1, nhận được 0",),
        ),
        Case(
            "meeting-attendance-above-the-roster", "phan-cong",
            replace_line(p, "  hinh_thuc: thong_bao", "  hinh_thuc: thong_bao\n  hoi_nghi:\n    ngay: 2026-02-01\n    so_co_mat: 300"),
            (f"data/{p}:11:16: phan_cong_nhiem_vu.hoi_nghi.so_co_mat: số có mặt (300) cộng số vắng (0) là 300, nhiều hơn số đảng viên phải dự họp (26)",),
        ),
        Case(
            "meeting-absent-twice", "phan-cong",
            replace_line(
                p, "  hinh_thuc: thong_bao",
                "  hinh_thuc: thong_bao\n  hoi_nghi:\n    ngay: 2026-02-01\n    so_co_mat: 20\n    vang:\n"
                "      - dang_vien: dv14\n        ly_do: Ốm\n      - dang_vien: dv14\n        ly_do: Ốm",
            ),
            (
                f"data/{p}:15:20: phan_cong_nhiem_vu.hoi_nghi.vang[2].dang_vien: đảng viên 'dv14' được "
                "ghi vắng hai lần (trùng với mục thứ 1)",
            ),
        ),
        # the ward's documents
        Case(
            "signer-not-on-the-committee", "tong-hop-quy",
            replace_line("2026/tong-hop-quy-3.yaml", "  nguoi_ky: Nguyễn Thị Thanh Bình", "  nguoi_ky: Nguyễn Thị Thanh Binh"),
            (SIGNER,),
        ),
        Case(
            "decision-for-an-unknown-cell", "tong-hop-nam",
            replace_line("2026/tong-hop-nam.yaml", "      - chi_bo: to-dan-pho-5", "      - chi_bo: to-dan-pho-9"),
            (
                "data/2026/tong-hop-nam.yaml:15:17: tong_hop_nam.cong_nhan.chi_bo[1].chi_bo: không có chi bộ "
                "'to-dan-pho-9' (có phải ý là 'to-dan-pho-5'?)",
            ),
        ),
        Case(
            "three-criteria", "ke-hoach-dang-uy",
            lambda ws: _drop_criterion(ws / "2026/ke-hoach-dang-uy.yaml"),
            ("data/2026/ke-hoach-dang-uy.yaml:50:5: ke_hoach_dang_uy.tieu_chi: mô hình “chi bộ bốn tốt” có đúng 4 tiêu chí, ở đây có 3",),
        ),
    ]


SIGNER = (
    "data/2026/tong-hop-quy-3.yaml:6:13: tong_hop_quy.nguoi_ky: người ký 'Nguyễn Thị Thanh Binh' "
    "phải là bí thư hoặc phó bí thư trong danh sách dang_uy của dang-bo.yaml "
    "(có phải ý là 'Nguyễn Thị Thanh Bình'?)"
)


def _drop_criterion(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("    - ten: Xây dựng đội ngũ"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("      "))
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


# ------------------------------------------------------------------ the minutes (bien-ban)
# The kinds whose files the minutes read (the resolution, the quarter, the year).
RESTATED = [
    name
    for name, kind in KINDS.items()
    if name != "bien-ban" and set(kind.reads) <= set(KINDS["bien-ban"].reads)
]


def restated_cases() -> list[Case]:
    """The minutes restate the meetings of the resolution, the quarters and the year: what
    those documents refuse in their files, the minutes refuse, with the same lines."""
    return [
        Case(f"{case.kind}-{case.id}", "bien-ban", case.edit, case.expected)
        for case in (*period_cases(), *domain_cases())
        if case.kind in RESTATED
    ]


def delete(rel: str) -> Edit:
    def edit(ws: Path) -> None:
        (ws / rel).unlink()

    return edit


def minutes_cases() -> list[Case]:
    """What the minutes check themselves (docgen/documents/bien_ban.py, models/meeting.py):
    chair and minute-taker, hours, votes, opinions, attendance, numbers, which meeting."""
    q, n, p = QUY[0], NAM[0], PHAN_CONG[0]
    at_q, at_n, at_p = f"data/{q}", f"data/{n}", f"data/{p}"
    roster = f"{TDP}/dang-vien.yaml"
    # the quarter's evaluation meeting (danh_gia_quy: true), the fourth
    m = "bao_cao_quy.buoi_sinh_hoat[4]"
    meeting = line_of(q, "    - ngay: 2026-09-05")
    end = '      gio_ket_thuc: "21:15"'
    added = line_of(q, end) + 1  # the first line written after the meeting's end time
    agreed = line_of(q, "          tan_thanh: 22")  # its second vote
    first_vote = line_of(q, "        - noi_dung: Thông qua Báo cáo")
    second_opinion = line_of(q, "        - dang_vien: dv17")
    mark = line_of(q, "      danh_gia_quy: true")
    # the year-end meeting (hoi_nghi of nam.yaml)
    y = "bao_cao_nam.hoi_nghi"
    year_end = '    gio_ket_thuc: "11:30"'
    year_day, year_present = line_of(n, "    ngay: 2026-12-18"), line_of(n, "    so_co_mat: 24")
    # the sample's notice made a resolution, adopted at a meeting whose last line is ly_do
    form = line_of(p, "  hinh_thuc: thong_bao")
    resolution = replace_line(
        p, "  hinh_thuc: thong_bao",
        "  hinh_thuc: nghi_quyet\n  hoi_nghi:\n    ngay: 2026-02-01\n    so_co_mat: 25\n    vang:\n"
        "      - dang_vien: dv14\n        ly_do: Ốm",
    )
    r_added = form + 7  # the first line written after it
    r = "phan_cong_nhiem_vu.hoi_nghi"

    def case(name: str, edit: Edit, *expected: str) -> Case:
        return Case(name, "bien-ban", edit, expected)

    def quarter(text: str) -> Edit:
        return insert_after(q, end, text)

    def after_resolution(text: str) -> Edit:
        return edits(resolution, insert_after(p, "        ly_do: Ốm", text))

    def set_q(key: str, old: str, new: str, indent: int = 10) -> Edit:
        return replace_line(q, f"{' ' * indent}{key}: {old}", f"{' ' * indent}{key}: {new}")

    def absent_instead(*pairs: tuple[str, str]) -> Edit:
        return edits(*(set_q("- dang_vien", a, b, indent=8) for a, b in pairs))

    hour = 'không phải giờ trong ngày; viết dạng "14:00" hoặc 14h30'
    one_subject = (
        "ghi đúng một trong hai: noi_dung (việc biểu quyết) hoặc dang_vien (biểu quyết mức xếp loại của "
        "một đảng viên)"
    )
    return [
        # chair and minute-taker
        case(
            "chair-unknown", quarter("      chu_tri: dv99"),
            f"{at_q}:{added}:16: {m}.chu_tri: không có đảng viên mã 'dv99' trong {roster} "
            "(có phải ý là 'dv19'?)",
        ),
        case(
            "chair-id-with-a-path", quarter("      chu_tri: ../dv01"),
            f"{at_q}:{added}:16: {m}.chu_tri: mã '../dv01' không hợp lệ: chỉ dùng chữ thường không dấu, "
            "số, '-' hoặc '_' (tối đa 64 ký tự)",
        ),
        case(
            "chair-absent", quarter("      chu_tri: dv27"),
            f"{at_q}:{added}:16: {m}.chu_tri: đồng chí Ngô Văn Hùng (dv27) vắng mặt trong buổi họp này",
        ),
        case(
            "minute-taker-absent", quarter("      thu_ky: dv16"),
            f"{at_q}:{added}:15: {m}.thu_ky: đồng chí Nguyễn Tiến Trung (dv16) vắng mặt trong buổi họp này",
        ),
        case(
            "minute-taker-is-the-chair", quarter("      chu_tri: dv03\n      thu_ky: dv03"),
            f"{at_q}:{added + 1}:15: {m}.thu_ky: người ghi biên bản phải khác người chủ trì",
        ),
        case(  # the secretary (dv04) chairs unless someone else is named
            "minute-taker-is-the-default-chair", quarter("      thu_ky: dv04"),
            f"{at_q}:{added}:15: {m}.thu_ky: người ghi biên bản phải khác người chủ trì",
        ),
        case(
            "secretary-and-deputy-absent", absent_instead(("dv22", "dv04"), ("dv16", "dv13")),
            f"{at_q}:{meeting}:7: {m}: bí thư và phó bí thư đều vắng: cần ghi chu_tri (mã đảng viên "
            "chủ trì hội nghị)",
        ),
        case(
            "no-one-to-take-the-minutes", absent_instead(("dv22", "dv03"), ("dv16", "dv13")),
            f"{at_q}:{meeting}:7: {m}: chưa biết ai ghi biên bản: ghi thu_ky (mã đảng viên làm thư ký "
            "hội nghị) (mặc định là một chi ủy viên có mặt; chi bộ chưa có chi ủy viên nào khác người "
            "chủ trì)",
        ),
        # hours
        case(
            "ends-before-it-starts", replace_line(q, end, '      gio_ket_thuc: "19:00"'),
            f"{at_q}:{meeting}:7: {m}: giờ kết thúc (19:00) phải sau giờ bắt đầu (19:30)",
        ),
        case(
            "ends-when-it-starts", replace_line(q, end, "      gio_ket_thuc: 19h30"),
            f"{at_q}:{meeting}:7: {m}: giờ kết thúc (19:30) phải sau giờ bắt đầu (19:30)",
        ),
        case(
            "hour-25", replace_line(q, end, "      gio_ket_thuc: 25h"),
            f"{at_q}:{added - 1}:21: {m}.gio_ket_thuc: '25h' {hour}",
        ),
        case(
            "minute-75", replace_line(q, end, '      gio_ket_thuc: "21:75"'),
            f"{at_q}:{added - 1}:21: {m}.gio_ket_thuc: '21:75' {hour}",
        ),
        case(
            "hour-as-a-date", replace_line(q, end, "      gio_ket_thuc: 2026-09-05"),
            f"{at_q}:{added - 1}:21: {m}.gio_ket_thuc: '2026-09-05' {hour}",
        ),
        case(  # YAML 1.1 would read 1440 (minutes, base 60), shown to the secretary
            "hour-24-unquoted", replace_line(q, end, "      gio_ket_thuc: 24:00"),
            f"{at_q}:{added - 1}:21: {m}.gio_ket_thuc: '24:00' {hour}",
        ),
        case(  # was read as 730 minutes, 12:10, and printed so in the minutes
            "hour-without-a-colon", replace_line(q, '      gio_bat_dau: "19:30"', "      gio_bat_dau: 730"),
            f"{at_q}:{added - 2}:20: {m}.gio_bat_dau: '730' {hour}",
        ),
        case(
            "hour-as-a-boolean", replace_line(q, end, "      gio_ket_thuc: true"),
            f"{at_q}:{added - 1}:21: {m}.gio_ket_thuc: 'true' {hour}",
        ),
        # votes
        case(
            "vote-above-those-present", set_q("tan_thanh", "22", "30"),
            f"{at_q}:{agreed}:22: {m}.bieu_quyet[2].tan_thanh: số tán thành (30) cộng số không tán thành "
            "(1) nhiều hơn số có mặt (23)",
        ),
        case(
            "votes-against-above-those-present", set_q("khong_tan_thanh", "1", "24"),
            f"{at_q}:{agreed}:22: {m}.bieu_quyet[2].tan_thanh: số tán thành (22) cộng số không tán thành "
            "(24) nhiều hơn số có mặt (23)",
        ),
        case(
            "vote-negative", set_q("tan_thanh", "22", "-2"),
            f"{at_q}:{agreed}:22: {m}.bieu_quyet[2].tan_thanh: phải lớn hơn hoặc bằng 0, nhận được -2",
        ),
        case(
            "vote-on-an-item-and-a-member",
            set_q("- noi_dung", "Thông qua Báo cáo kết quả xây dựng “chi bộ bốn tốt” quý III năm 2026",
                  "Thông qua Báo cáo\n          dang_vien: dv01", indent=8),
            f"{at_q}:{first_vote}:11: {m}.bieu_quyet[1]: {one_subject}",
        ),
        case(
            "vote-on-nothing",
            replace_line(
                q, "        - noi_dung: Chi bộ tự xếp loại mức “Hoàn thành tốt nhiệm vụ”", "        -"
            ),
            f"{at_q}:{agreed}:11: {m}.bieu_quyet[2]: {one_subject}",
        ),
        case(
            "vote-on-an-unknown-member", insert_after(q, "      bieu_quyet:", "        - dang_vien: dv99"),
            f"{at_q}:{first_vote}:22: {m}.bieu_quyet[1].dang_vien: không có đảng viên mã 'dv99' trong "
            f"{roster} (có phải ý là 'dv19'?)",
        ),
        case(  # the table showed the second count only
            "member-voted-on-twice",
            insert_after(q, "      bieu_quyet:", "        - dang_vien: dv01\n          khong_tan_thanh: 2\n"
                         "        - dang_vien: dv01"),
            f"{at_q}:{first_vote + 2}:22: {m}.bieu_quyet[2].dang_vien: đảng viên 'dv01' được biểu quyết hai "
            "lần (trùng với mục thứ 1)",
        ),
        case(  # dv09 is exempt from meetings: not rated
            "vote-on-a-member-not-rated", insert_after(q, "      bieu_quyet:", "        - dang_vien: dv09"),
            f"{at_q}:{first_vote}:22: {m}.bieu_quyet[1].dang_vien: đồng chí Đặng Quang Dũng (dv09) không "
            "được biểu quyết xếp loại ở hội nghị này (không xếp loại trong kỳ)",
        ),
        # opinions
        case(
            "opinion-by-a-member-and-a-guest",
            insert_after(q, "        - dang_vien: dv17", "          nguoi: Ông Tư"),
            f"{at_q}:{second_opinion}:11: {m}.y_kien[2]: ghi dang_vien (mã đảng viên) hoặc nguoi (họ tên "
            "khách), không ghi cả hai",
        ),
        case(
            "opinion-by-an-unknown-member", set_q("- dang_vien", "dv17", "dv71", indent=8),
            f"{at_q}:{second_opinion}:22: {m}.y_kien[2].dang_vien: không có đảng viên mã 'dv71' trong "
            f"{roster} (có phải ý là 'dv27'?)",
        ),
        case(
            "opinion-blank",
            set_q(
                "noi_dung",
                "Đề nghị Chi ủy sớm phân công đảng viên trẻ đón đưa đảng viên cao tuổi dự sinh hoạt",
                '"  "',
            ),
            f"{at_q}:{second_opinion + 1}:21: {m}.y_kien[2].noi_dung: không được để trống",
        ),
        case(
            "guest-with-an-unquoted-colon",
            replace_line(
                q, "        - Đồng chí Phạm Thu Hà, Ủy viên Ban Thường vụ Đảng ủy phường, phụ trách địa bàn",
                "        - Đồng chí Phạm Thu Hà: Ủy viên Ban Thường vụ Đảng ủy phường",
            ),
            f"{at_q}:{line_of(q, '      khach_moi:') + 1}:9: {m}.khach_moi: mỗi mục phải là một câu văn; "
            "câu có dấu ': ' ở giữa thì phải đặt trong ngoặc kép",
        ),
        case(
            "place-on-two-lines", quarter('      dia_diem: "Nhà văn hóa\\nTổ dân phố số 5"'),
            f"{at_q}:{added}:17: {m}.dia_diem: chỉ được viết trên một dòng (không xuống dòng)",
        ),
        # which meeting
        case(
            "two-evaluation-meetings", insert_after(q, "      loai: chuyen_de", "      danh_gia_quy: true"),
            f"{at_q}:{mark + 1}:21: {m}.danh_gia_quy: chỉ một buổi được ghi danh_gia_quy: true (đã ghi ở "
            "buổi thứ 3)",
        ),
        case(
            "evaluation-mark-not-a-boolean", set_q("danh_gia_quy", "true", "có", indent=6),
            f"{at_q}:{mark}:21: {m}.danh_gia_quy: phải là true hoặc false, nhận được 'có'",
        ),
        case(
            "no-meeting-by-the-report",
            edits(
                drop_line(q, "      danh_gia_quy: true"),
                replace_line(q, "  ngay_ban_hanh: 2026-09-28", "  ngay_ban_hanh: 2026-07-01"),
            ),
            f"{at_q}:{line_of(q, '    - ngay: 2026-07-05')}:5: bao_cao_quy.buoi_sinh_hoat: chưa có buổi "
            "họp nào đến ngày báo cáo để lập biên bản họp đánh giá quý (ghi buổi họp đánh giá trong "
            "buoi_sinh_hoat (có thể thêm danh_gia_quy: true))",
        ),
        # numbers
        case(
            "minutes-number-twice",
            edits(quarter("      so_bien_ban: 7"), insert_after(n, year_end, "    so_bien_ban: 7")),
            f"{at_n}:{line_of(n, year_end) + 1}:18: {y}.so_bien_ban: số biên bản 7 đã dùng cho biên bản "
            "họp ngày 05/09/2026",
        ),
        case(  # the quarter-I minutes take 01 first, in meeting order; named "so" once, unlocated
            "minutes-number-of-earlier-minutes", quarter("      so_bien_ban: 1"),
            f"{at_q}:{added}:20: {m}.so_bien_ban: số 01-BB/CB đã cấp cho văn bản khác: “BIÊN BẢN họp Chi bộ "
            "đánh giá kết quả xây dựng “chi bộ bốn tốt” quý I năm 2026” ngày 05/03/2026 (chưa có tệp); hãy "
            "dùng số khác hoặc bỏ trống số để lấy số tiếp theo",
        ),
        case(
            "minutes-number-zero", quarter("      so_bien_ban: 0"),
            f"{at_q}:{added}:20: {m}.so_bien_ban: phải lớn hơn hoặc bằng 1, nhận được 0",
        ),
        case(
            "minutes-number-absurd", quarter("      so_bien_ban: 10000"),
            f"{at_q}:{added}:20: {m}.so_bien_ban: phải nhỏ hơn hoặc bằng 9999, nhận được 10000",
        ),
        case(
            "minutes-number-in-words", quarter("      so_bien_ban: ba"),
            f"{at_q}:{added}:20: {m}.so_bien_ban: phải là số nguyên, nhận được 'ba'",
        ),
        # the year-end meeting
        case(
            "year-meeting-after-the-report", replace_line(n, "    ngay: 2026-12-18", "    ngay: 2026-12-28"),
            f"{at_n}:{year_day}:11: {y}.ngay: ngày họp 28/12/2026 phải trong năm 2026 và không sau ngày "
            "ban hành báo cáo 22/12/2026",
        ),
        case(
            "year-meeting-in-the-year-before",
            replace_line(n, "    ngay: 2026-12-18", "    ngay: 2025-12-18"),
            f"{at_n}:{year_day}:11: {y}.ngay: ngày họp 18/12/2025 phải trong năm 2026 và không sau ngày "
            "ban hành báo cáo 22/12/2026",
        ),
        case(
            "year-meeting-absent-unknown",
            replace_line(n, "      - dang_vien: dv27", "      - dang_vien: dv72"),
            f"{at_n}:{line_of(n, '      - dang_vien: dv27')}:20: {y}.vang[2].dang_vien: không có đảng viên "
            f"mã 'dv72' trong {roster} (có phải ý là 'dv28'?)",
        ),
        case(
            "year-meeting-attendance-above-the-roster",
            replace_line(n, "    so_co_mat: 24", "    so_co_mat: 26"),
            f"{at_n}:{year_present}:16: {y}.so_co_mat: số có mặt (26) cộng số vắng (2) nhiều hơn số đảng "
            "viên phải dự họp (26)",
        ),
        case(
            "year-meeting-absent-twice",
            replace_line(n, "      - dang_vien: dv27", "      - dang_vien: dv22"),
            f"{at_n}:{line_of(n, '      - dang_vien: dv27')}:20: {y}.vang[2].dang_vien: đảng viên 'dv22' "
            "được ghi vắng hai lần (trùng với mục thứ 1)",
        ),
        case(
            "year-meeting-attendance-zero", replace_line(n, "    so_co_mat: 24", "    so_co_mat: 0"),
            f"{at_n}:{year_present}:16: {y}.so_co_mat: phải lớn hơn hoặc bằng 1, nhận được 0",
        ),
        case(
            "year-meeting-without-a-date", drop_line(n, "    ngay: 2026-12-18"),
            f"{at_n}:{year_day}:5: {y}.ngay: thiếu trường bắt buộc",
        ),
        case(  # neither a hoi_nghi in nam.yaml nor a quy-4.yaml to take the last meeting from
            "no-year-meeting",
            edits(
                lambda ws: _cut_from(ws / n, "  # Hội nghị kiểm điểm cuối năm"),
                delete(f"chi-bo/{CELL}/2026/quy-4.yaml"),
            ),
            f"{at_n}:{line_of(n, '  so:')}:3: bao_cao_nam: chưa có hội nghị kiểm điểm cuối năm 2026 để lập "
            "biên bản (ghi hoi_nghi (ngay, so_co_mat, vang) trong nam.yaml, hoặc ghi buổi họp trong "
            "quy-4.yaml)",
        ),
        # the resolution's meeting
        case(
            "resolution-vote-on-a-member", after_resolution("    bieu_quyet:\n      - dang_vien: dv03"),
            f"{at_p}:{r_added + 1}:20: {r}.bieu_quyet[1].dang_vien: đồng chí Tô Trọng Kiên (dv03) không "
            "được biểu quyết xếp loại ở hội nghị này (hội nghị thông qua nghị quyết không xếp loại)",
        ),
        case(
            "resolution-chaired-by-an-absentee", after_resolution("    chu_tri: dv14"),
            f"{at_p}:{r_added}:14: {r}.chu_tri: đồng chí Đỗ Quốc Lâm (dv14) vắng mặt trong buổi họp này",
        ),
        case(
            "resolution-without-its-meeting",
            replace_line(p, "  hinh_thuc: thong_bao", "  hinh_thuc: nghi_quyet"),
            f"{at_p}:{line_of(p, '  so:')}:3: phan_cong_nhiem_vu: nghị quyết phải ghi hoi_nghi (ngày họp, "
            "số đảng viên có mặt) của hội nghị chi bộ",
        ),
        case(
            "resolution-and-quarter-one-number",
            edits(after_resolution("    so_bien_ban: 3"), quarter("      so_bien_ban: 3")),
            f"{at_q}:{added}:20: {m}.so_bien_ban: số biên bản 3 đã dùng cho biên bản họp ngày 01/02/2026",
        ),
    ]


def _cut_from(path: Path, start: str) -> None:
    """Drop the lines of ``path`` from the first one starting with ``start``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    end = next(i for i, line in enumerate(lines) if line.startswith(start))
    path.write_text("".join(lines[:end]), encoding="utf-8")


def legacy_cases() -> list[Case]:
    """The same plan saved by an old editor: the first byte that is not UTF-8, with the hint."""
    rel = KINDS["ke-hoach"].file
    return [
        Case(
            f"legacy-{encoding}", "ke-hoach", write_bytes(rel, (CORPUS / f"ke-hoach.{encoding}.yaml").read_bytes()),
            (f"data/{rel}:5:{col}: {LEGACY}",),
        )
        # "    - Một": TCVN3 ộ is one byte (col 8), cp1258 ô then a tone (col 8), VNI o then a mark (col 9)
        for encoding, col in (("tcvn3", 8), ("cp1258", 8), ("vni", 9))
    ]


def every_generic_case() -> list[Case]:
    out = []
    for name, kind in KINDS.items():
        for rel, root in kind.reads:
            prefix = "" if len(kind.reads) == 1 else Path(rel).stem + "-"
            out += generic_cases(name, rel, root, prefix)
    return out


ALL_CASES = [
    *every_generic_case(),
    *period_cases(),
    *domain_cases(),
    *restated_cases(),
    *minutes_cases(),
    *legacy_cases(),
]


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(runner: CliRunner, ws: Path, kind: Kind) -> list[str]:
    """Run the kind over ``ws`` into an output folder holding an earlier run's files; check
    exit 1, nothing on stdout, the output folder untouched, no number taken in the
    register; return the error lines."""
    out = ws.parent / "out"
    for rel in (*kind.outputs, "ghi-chu.txt"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(f"bản cũ của {rel}".encode())
    before = snapshot(out)
    result = runner.invoke(cli, ["render", *kind.args, "-w", "data", "-o", "out"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == f"Có {len(lines) - 1} lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào."
    assert all(line.startswith("Lỗi: ") for line in lines[:-1])
    assert snapshot(out) == before  # nothing written, nothing lost, no temporary file left
    assert Register.of(ws).entries() == []  # the sample workspace starts without a register
    return [line.removeprefix("Lỗi: ") for line in lines[:-1]]


@pytest.mark.slow
@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c.kind}-{c.id}")
def test_hostile_input_is_refused(runner: CliRunner, ws: Path, case: Case) -> None:
    case.edit(ws)
    assert refused(runner, ws, KINDS[case.kind]) == list(case.expected)


def test_corpus_covers_every_kind_and_every_file_it_reads() -> None:
    """Every kind that reads input is in the corpus, with every file it reads in the sample
    (of the quarters, the third), and every generic case runs for each of those files."""
    from docgen.documents import KIND_NAMES, get_kind
    from docgen.workspace import load_workspace

    ws = load_workspace(SAMPLE)
    read = {}
    for name in KIND_NAMES:
        paths = get_kind(name).input_paths(ws, CELL, 2026)
        files = {p.relative_to(SAMPLE).as_posix() for p in paths}
        read[name] = {f for f in files if not re.search(r"quy-[124]\.yaml$", f)}
    assert {name: {rel for rel, _ in kind.reads} for name, kind in KINDS.items()} == {
        name: files for name, files in read.items() if files
    }
    covered = {(c.kind, c.id) for c in ALL_CASES}
    generic = [c.id for c in generic_cases("ke-hoach", *KINDS["ke-hoach"].reads[0])]
    for name, kind in KINDS.items():
        for rel, _ in kind.reads:
            prefix = "" if len(kind.reads) == 1 else Path(rel).stem + "-"
            assert all((name, prefix + case) in covered for case in generic), (name, rel)


# -------------------------------------------------- control characters in every text field
# XML 1.0 forbids U+0000-U+0008, U+000B, U+000C, U+000E-U+001F: a .docx holding one is
# corrupt. Pasted into any free-text field, one is refused naming the field and the position.
FORBIDDEN = [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]
FIELDS = text_fields()
MARK = "ZQXCTRL"


def _kind_reading(file: str) -> str:
    return next((name for name, k in KINDS.items() if file in {rel for rel, _ in k.reads}), "ke-hoach")


def test_every_forbidden_character_and_every_file_is_in_the_sweep() -> None:
    assert len(FORBIDDEN) == 29
    assert len(FIELDS) >= len(FORBIDDEN)  # so the rotation below uses each character
    assert {f.file for f in FIELDS} == {f"chi-bo/{CELL}/{x}" for x in ("chi-bo.yaml", "dang-vien.yaml")} | {
        rel for k in KINDS.values() for rel, _ in k.reads
    } | {"dang-bo.yaml"}


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(FIELDS)), ids=[f"{f.file.rsplit('/', 1)[-1]}:{f.name}" for f in FIELDS])
def test_control_character_in_any_text_field(runner: CliRunner, ws: Path, index: int) -> None:
    field = FIELDS[index]
    code = FORBIDDEN[index % len(FORBIDDEN)]
    data, concrete = place(read_sample(SAMPLE, field.file), field, f"abc{MARK}def")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    number, line = next((i, ln) for i, ln in enumerate(text.splitlines(), start=1) if MARK in ln)
    col = line.index(f"abc{MARK}") + 1
    (ws / field.file).write_text(text.replace(MARK, chr(code)), encoding="utf-8")
    assert refused(runner, ws, KINDS[_kind_reading(field.file)]) == [
        f"data/{field.file}:{number}:{col}: {format_path(concrete)}: có ký tự điều khiển không hợp lệ "
        f"U+{code:04X} ở vị trí 4 {CONTROL_HINT}"
    ]


def test_settings_that_are_not_free_text_are_known() -> None:
    assert {f.name for f in FIELDS} >= NOT_FREE_TEXT


# ------------------------------------------------------------ names never leave the folder
@pytest.mark.parametrize(
    "relative",
    ["../x.docx", "../../etc/passwd", "a/../../x.docx", "/etc/passwd", "ngoc-ha/../../x.docx"],
)
def test_resolve_inside_refuses_escapes(tmp_path: Path, relative: str) -> None:
    with pytest.raises(OutputError) as info:
        resolve_inside(tmp_path / "out", Path(relative))
    assert str(info.value).endswith("đường dẫn kết quả nằm ngoài thư mục kết quả")


@pytest.mark.parametrize("relative", ["a/b.docx", "a/./b.docx", "a\\..\\..\\b.docx", "..x.docx", "a/..b/c.docx"])
def test_resolve_inside_keeps_names_that_stay_inside(tmp_path: Path, relative: str) -> None:
    out = tmp_path / "out"
    assert out.resolve() in resolve_inside(out, Path(relative)).parents


def test_a_symlink_in_the_output_folder_cannot_lead_outside(runner: CliRunner, ws: Path) -> None:
    outside = ws.parent / "ngoai"
    outside.mkdir()
    (ws.parent / "out").mkdir()
    (ws.parent / "out" / "ngoc-ha").symlink_to(outside, target_is_directory=True)
    result = runner.invoke(cli, ["render", *KINDS["ke-hoach"].args, "-w", "data", "-o", "out"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Lỗi: ngoc-ha/{CELL}/2026/ke-hoach.docx: đường dẫn kết quả nằm ngoài thư mục kết quả\n"
    )
    assert list(outside.iterdir()) == []


def test_odd_assignment_file_names_stay_inside_the_output_folder(runner: CliRunner, ws: Path) -> None:
    # The notice's output is named after its file: dots and backslashes stay in that name.
    year = ws / f"chi-bo/{CELL}/2026"
    (year / "phan-cong.yaml").rename(year / "phan-cong-..\\..\\..\\x.yaml")
    result = runner.invoke(cli, ["render", *KINDS["phan-cong"].args, "-w", "data", "-o", "out"])
    assert result.exit_code == 0, result.output
    written = [p for p in (ws.parent / "out").rglob("*") if p.is_file()]
    assert [p.name for p in written] == ["phan-cong-..\\..\\..\\x.docx"]
    assert written[0].parent == (ws.parent / f"out/ngoc-ha/{CELL}/2026")


def test_cell_option_with_a_path_is_a_usage_error(runner: CliRunner, ws: Path) -> None:
    result = runner.invoke(cli, ["render", "ke-hoach", "--chi-bo", "../to-dan-pho-5", "--nam", "2026", "-w", "data", "-o", "out"])
    assert result.exit_code == 2
    assert "không có chi bộ '../to-dan-pho-5' trong data/dang-bo.yaml" in result.stderr
    assert not (ws.parent / "out").exists()


# ------------------------------------------------------------ the bomb, with memory bounded
@pytest.mark.slow
def test_billion_laughs_is_refused_quickly_in_bounded_memory(ws: Path) -> None:
    """Ten levels of ten: 10**10 strings if expanded. Run in a child process limited to
    1 GiB of address space; it must answer in seconds, not be killed."""
    rel = KINDS["ke-hoach"].file
    n_lines = len(sample_text(rel).splitlines())
    (ws / rel).write_text(sample_text(rel) + bomb(levels=10, width=10), encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "render", *KINDS["ke-hoach"].args, "-w", "data", "-o", "out"],
        cwd=ws.parent,
        capture_output=True,
        text=True,
        timeout=60,  # a guard against hangs only
        preexec_fn=limit,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    elapsed = time.monotonic() - start
    assert result.returncode == 1, result.stderr
    # 10 + 10*11 + ... : the sixth key (b5) holds a million nodes, past the 200 000 limit
    assert result.stderr.splitlines() == [
        f"Lỗi: data/{rel}:{n_lines + 6}:1: b5: {BOMB}",
        "Có 1 lỗi trong dữ liệu; chưa tạo hay thay đổi tệp nào.",
    ]
    assert elapsed < 30
    assert not (ws.parent / "out").exists()


def test_legacy_fixtures_are_what_they_claim() -> None:
    import unicodedata

    tcvn3, cp1258, vni = (CORPUS / f"ke-hoach.{e}.yaml" for e in ("tcvn3", "cp1258", "vni"))
    text = unicodedata.normalize("NFC", cp1258.read_bytes().decode("cp1258"))
    assert "    - Một số đảng viên cao tuổi chưa tham gia đầy đủ sinh hoạt chi bộ\n" in text
    assert b"    - M\xe9t s\xe8 \xae\xb6ng vi\xaan" in tcvn3.read_bytes()  # Một số đảng viên
    assert b"    - Mo\xe4t so\xe1 \xf1a\xfbng vie\xe2n" in vni.read_bytes()
    for path in (tcvn3, cp1258, vni):
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
