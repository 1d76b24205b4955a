"""``docgen init``: the files of a new cell (and, in an empty folder, of its ward).

Every file is written with a Vietnamese comment on each field and example values
that already pass ``docgen check``, so the secretary starts from documents that
render and edits the wording. Pure functions build the texts; :func:`init_cell`
tries them on a copy of the workspace first (docgen/staging.py) and writes them
atomically only if the new cell checks.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docgen.errors import DateTextError, InputError, UsageError, display_path
from docgen.formatting import read_date_text
from docgen.models.org import LOAI_CHI_BO
from docgen.output import write_all
from docgen.workspace import CELL_FILE, CELLS_DIR, ROSTER_FILE, WARD_FILE
from docgen.yamlsource import decode_text, parse_text, read_bytes
from docgen.yamltext import block_item, q, scalar

__all__ = [
    "CellAnswers",
    "WardAnswers",
    "add_cell_to_ward",
    "cell_files",
    "check_answers",
    "init_cell",
    "slug",
    "ward_file",
]

CELL_TYPE_NAMES = {
    "dia_ban_dan_cu": "chi bộ địa bàn dân cư (tổ dân phố, khu dân cư)",
    "truong_hoc": "chi bộ trường học",
    "co_quan": "chi bộ cơ quan (Ủy ban nhân dân, Mặt trận, đoàn thể phường)",
    "cong_an": "chi bộ công an",
    "khac": "loại khác (tự ghi trách nhiệm nêu gương)",
}
assert set(CELL_TYPE_NAMES) == set(LOAI_CHI_BO)


def slug(text: str) -> str:
    """An id from a name: ``Tổ dân phố số 7`` -> ``to-dan-pho-so-7``."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:64]


_ADMIN_UNITS = ("phường", "xã", "thị trấn", "thành phố", "tỉnh", "đặc khu")


def party_name(text: str, prefix: str) -> str:
    """The organisation's full name as headers print it: ``Phường Ngọc Hà`` ->
    ``Đảng bộ phường Ngọc Hà``; ``Tổ dân phố số 7`` -> ``Chi bộ Tổ dân phố số 7``.
    A name that already starts with ``prefix`` is kept as typed."""
    text = " ".join(text.split())
    if text.lower().startswith(prefix.lower()):
        return prefix + text[len(prefix) :]
    if any(text.lower().startswith(unit + " ") for unit in _ADMIN_UNITS):
        text = text[0].lower() + text[1:]
    return f"{prefix} {text}"


@dataclass(frozen=True)
class WardAnswers:
    """The ward party organisation of a new workspace."""

    name: str  # Đảng bộ phường Ngọc Hà
    superior: str  # Đảng bộ thành phố Hà Nội
    place: str  # Ngọc Hà

    @property
    def ward_id(self) -> str:
        return slug(self.place) or "dang-bo"

    @property
    def committee_name(self) -> str:
        match = re.match(r"(?i)đảng bộ\s+(.*)", self.name)
        return f"Đảng ủy {match[1]}" if match else f"Đảng ủy {self.name}"

    @property
    def superior_committee(self) -> str | None:
        match = re.match(r"(?i)đảng bộ\s+(thành phố|tỉnh)\s+(.*)", self.superior)
        if not match:
            return None
        return ("Thành ủy " if match[1].lower() == "thành phố" else "Tỉnh ủy ") + match[2]


@dataclass(frozen=True)
class CellAnswers:
    """A new cell: id, name, type, the secretary, the first year."""

    cell_id: str
    name: str
    kind: str  # loai_chi_bo
    secretary: str  # the secretary's full name
    year: int
    sex: str | None = None  # nam | nu
    birth_year: int | None = None
    admitted: date | None = None
    official: date | None = None  # ngay_chinh_thuc; None: left out of the roster, with a comment

    @property
    def placeholders(self) -> list[str]:
        """The secretary's facts written as examples, to be corrected."""
        missing = []
        if self.sex is None:
            missing.append("giới tính")
        if self.birth_year is None:
            missing.append("năm sinh")
        if self.admitted is None:
            missing.append("ngày vào Đảng, ngày chính thức")
        return missing


def _one_line(text: str) -> str:
    """``text`` for a comment: on one line whatever it holds (a line break there would end
    the comment and put the rest in the file as YAML)."""
    return " ".join(text.splitlines())


def ward_file(w: WardAnswers, first_cell: str) -> str:
    upper = w.superior_committee
    upper_line = (
        f"  cap_uy_cap_tren: {q(upper)}          # cấp ủy cấp trên, ghi ở nơi nhận báo cáo của Đảng ủy\n"
        if upper
        else "  # cap_uy_cap_tren: Thành ủy Hà Nội   # cấp ủy cấp trên, ghi ở nơi nhận báo cáo của Đảng ủy\n"
    )
    return (
        "# Đảng bộ phường: tên, cấp trên, địa danh và danh sách chi bộ trực thuộc.\n"
        "# Dòng bắt đầu bằng # là lời giải thích, docgen bỏ qua. Sửa giá trị sau dấu hai chấm.\n"
        "dang_bo:\n"
        f"  ma: {q(w.ward_id)}                       # mã (chữ thường không dấu), tên thư mục kết quả\n"
        f"  ten: {q(w.name)}         # dòng đầu tiêu đề văn bản của các chi bộ\n"
        f"  cap_tren: {q(w.superior)}   # tổ chức đảng cấp trên trực tiếp\n"
        f"  ten_dang_uy: {q(w.committee_name)}\n"
        + upper_line
        + f"  dia_danh: {q(w.place)}                  # địa danh ở dòng \"{_one_line(w.place)}, ngày ... tháng ... năm ...\"\n"
        "  ky_hieu: ĐU                        # chữ viết tắt của Đảng ủy trong số, ký hiệu văn bản\n"
        "  # Nhiệm kỳ của cấp ủy (số văn bản đánh lại từ 01 mỗi nhiệm kỳ):\n"
        "  # nhiem_ky:\n"
        "  #   ten: 2025 - 2030\n"
        "  #   tu_ngay: 2025-08-14\n"
        "  # Mã các chi bộ trực thuộc (tên thư mục trong chi-bo/), theo thứ tự báo cáo.\n"
        "  # docgen init thêm chi bộ mới vào cuối danh sách này.\n"
        "  chi_bo:\n"
        f"    - {q(first_cell)}\n"
        "  # Văn bản làm căn cứ cho kế hoạch của các chi bộ (mỗi dòng một văn bản; nghị quyết của\n"
        "  # Trung ương mà kế hoạch mẫu của Đảng ủy trích dẫn). Thêm kế hoạch của Đảng ủy phường khi có số:\n"
        "  can_cu_ke_hoach:\n"
        "    - Căn cứ Nghị quyết số 21-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương Đảng khóa XIII về "
        "“tăng cường củng cố, xây dựng tổ chức cơ sở đảng và nâng cao chất lượng đội ngũ đảng viên trong "
        "giai đoạn mới”\n"
        "    # - Căn cứ Kế hoạch số 18-KH/ĐU ngày 22/12/2025 của Đảng ủy phường về xây dựng mô hình “chi bộ bốn tốt”\n"
    )


def add_cell_to_ward(text: str, source_marks: dict[tuple[str | int, ...], tuple[int, int]], ids: list[str], cell_id: str) -> str:
    """Append ``cell_id`` to ``dang_bo.chi_bo`` in the text of dang-bo.yaml, keeping every comment.

    The new item goes on the line after the last item, with the same indentation
    (block list) or inside the brackets (flow list ``[a, b]``).
    """
    lines = text.splitlines(keepends=True)
    line, col = source_marks[("dang_bo", "chi_bo", len(ids) - 1)]
    current = lines[line - 1]
    before = current[: col - 1]
    if before.rstrip().endswith("-"):  # block list: "    - to-dan-pho-5"
        if not current.endswith("\n"):
            lines[line - 1] = current + "\n"
        lines.insert(line, f"{before}{q(cell_id)}\n")
        return "".join(lines)
    # flow list "[a, b]": insert after the last id
    start = col - 1
    quote = current[start : start + 1]
    # an id written quoted ("null", as docgen writes an id a reader would take for null)
    end = current.index(quote, start + 1) + 1 if quote in ('"', "'") else start + len(ids[-1])
    lines[line - 1] = current[:end] + f", {q(cell_id)}" + current[end:]
    return "".join(lines)


def _member_yaml(c: CellAnswers, workspace: str) -> str:
    example = "   # VÍ DỤ: sửa cho đúng"
    sex = c.sex or "nam"
    born = c.birth_year or 1960
    joined = c.admitted or date(1990, 5, 19)
    official_text = "   # ngày được công nhận chính thức; đảng viên dự bị bỏ dòng này\n"
    if c.admitted is None:  # the joining date is an example (said by ``placeholders``): so is this
        official_line = f"    ngay_chinh_thuc: {_year_after(joined).isoformat()}{official_text}"
    elif c.official is not None:
        official_line = f"    ngay_chinh_thuc: {c.official.isoformat()}{official_text}"
    else:  # never guessed from the joining date: a wrong date would reach every document
        official_line = (
            "    # ngay_chinh_thuc:            # ngày được công nhận chính thức: CHƯA GHI. Bỏ dấu # ở đầu\n"
            "    #                               dòng rồi ghi ngày, ví dụ 2000-01-31 (đảng viên dự bị: để nguyên)\n"
        )
    return (
        "# Danh sách đảng viên của chi bộ. Mỗi đảng viên một mục bắt đầu bằng '- ma:'.\n"
        "# Cách nhanh nhất: nhập từ tệp Excel danh sách đảng viên đang có (chạy ở thư mục chứa\n"
        "# thư mục dữ liệu; -w là tên thư mục dữ liệu):\n"
        f"#   docgen roster import danh-sach.xlsx --chi-bo {c.cell_id} -w {shlex.quote(workspace)}\n"
        "# (tệp Excel mẫu có sẵn tên cột: docgen roster template -o danh-sach.xlsx).\n"
        "# Ngày viết 2026-01-05 hoặc 05/01/2026.\n"
        "dang_vien:\n"
        "  - ma: dv01                      # mã riêng, chữ thường không dấu (dv01, dv02...)\n"
        f"    ho_ten: {q(c.secretary)}\n"
        f"    gioi_tinh: {sex}                 # nam | nu{'' if c.sex else example}\n"
        f"    nam_sinh: {born}{'' if c.birth_year else example}\n"
        "    loai_dang_vien: chinh_thuc    # chinh_thuc (chính thức) | du_bi (dự bị)\n"
        f"    ngay_vao_dang: {joined.isoformat()}     # ngày vào Đảng{'' if c.admitted else example}\n"
        + official_line
        + "    # chuc_vu: Cán bộ hưu trí       # chức vụ, công việc ngoài chi ủy (nếu có)\n"
        "    # Nếu được miễn sinh hoạt đảng:\n"
        "    # mien_sinh_hoat:\n"
        "    #   tu_ngay: 2023-03-15\n"
        "    #   ly_do: Tuổi cao, sức yếu\n"
    )


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 3, 1)


def _plan_yaml(c: CellAnswers) -> str:
    n = c.year
    return f"""# Kế hoạch xây dựng “chi bộ bốn tốt” năm {n} của chi bộ.
# Mỗi mục bắt đầu bằng '- ' là một đoạn trong văn bản. Các câu dưới đây là VÍ DỤ: sửa cho
# đúng với chi bộ rồi chạy: docgen check, docgen render ke-hoach --chi-bo {c.cell_id} --nam {n}
# Mục đích, yêu cầu, căn cứ, chế độ báo cáo, nơi nhận có lời văn mặc định nên không cần ghi.
ke_hoach:
  so: 1                            # số văn bản (in là "Số 01-KH/CB")
  ngay_ban_hanh: {n}-01-05         # ngày ban hành, dạng năm-tháng-ngày hoặc 05/01/{n}
  # Chỉ tiêu của chi bộ cho bốn tiêu chí “chi bộ bốn tốt”:
  chi_tieu:
    lanh_dao:                      # 1. Lãnh đạo hoàn thành tốt nhiệm vụ chính trị
      - 100% nghị quyết, kế hoạch của cấp trên được Chi bộ quán triệt và cụ thể hóa kịp thời
      - Hoàn thành các chỉ tiêu nhiệm vụ chính trị được giao trong năm {n}
    sinh_hoat:                     # 2. Chất lượng sinh hoạt tốt
      - Duy trì sinh hoạt chi bộ thường kỳ mỗi tháng một lần; tỷ lệ đảng viên dự sinh hoạt bình quân từ 90% trở lên
      - Tổ chức ít nhất 01 buổi sinh hoạt chuyên đề mỗi quý
    doan_ket:                      # 3. Đoàn kết, kỷ luật tốt
      - Không có đơn thư khiếu nại, tố cáo vượt cấp liên quan đến đảng viên của Chi bộ
      - Không xảy ra mất đoàn kết nội bộ
    doi_ngu_dang_vien:             # 4. Đội ngũ đảng viên tốt
      - 100% đảng viên được phân công nhiệm vụ cụ thể
      - Không có đảng viên vi phạm đến mức phải xử lý kỷ luật
  han_che:                         # tồn tại, hạn chế cần khắc phục trong năm
    - Việc theo dõi, đôn đốc đảng viên thực hiện nhiệm vụ được giao chưa thường xuyên
  giai_phap:                       # giải pháp cụ thể
    - Chi ủy rà soát tiến độ nhiệm vụ của từng đảng viên tại kỳ sinh hoạt tháng cuối quý
  phan_cong:                       # ai làm gì: dang_vien (mã) hoặc doi_tuong (nhóm người)
    - dang_vien: dv01
      nhiem_vu: Chịu trách nhiệm chung về việc xây dựng “chi bộ bốn tốt”
    - doi_tuong: Các đồng chí đảng viên
      nhiem_vu: Thực hiện nhiệm vụ được Chi bộ phân công
  lich_trinh:                      # tiến độ thực hiện
    - thoi_gian: Tháng 01/{n}
      noi_dung: Quán triệt Kế hoạch tại kỳ sinh hoạt chi bộ
    - thoi_gian: Tháng 02/{n}
      noi_dung: Ban hành Thông báo phân công nhiệm vụ cho đảng viên
    - thoi_gian: Tháng 3, 6, 9, 12/{n}
      noi_dung: Đánh giá kết quả xây dựng “chi bộ bốn tốt” hằng quý
    - thoi_gian: Tháng 12/{n}
      noi_dung: Kiểm điểm, đánh giá, xếp loại chất lượng chi bộ và đảng viên
"""


# While an assignment file still starts with this line it is init's example, which
# `docgen roster import` keeps in step with the roster (a common task for each member).
EXAMPLE_MARK = "# TỆP VÍ DỤ do docgen init tạo"

# The common, recurring task an example file gives each member, and where, by cell type
# (the seed plan's "trách nhiệm nêu gương" of that type, II.2; example text to edit).
_COMMON_TASK = "Tham gia sinh hoạt chi bộ, đóng đảng phí đầy đủ; gương mẫu thực hiện nhiệm vụ được phân công"
_COMMON_PLACE = {
    "dia_ban_dan_cu": "Nơi cư trú",
    "truong_hoc": "Tổ chuyên môn",
    "co_quan": "Bộ phận công tác",
    "cong_an": "Đơn vị công tác",
}


def _secretary_tasks(secretary: str, year: int) -> list[dict[str, object]]:
    return [
        {
            "dang_vien": secretary,
            "noi_dung": "Chỉ đạo chung việc xây dựng “chi bộ bốn tốt”; theo dõi, đôn đốc đảng viên "
            "thực hiện nhiệm vụ",
            "dia_ban": "Toàn Chi bộ",
            "san_pham": "Báo cáo kết quả hằng quý",
            "thuong_xuyen": True,
            "trang_thai": "dang_thuc_hien",
        },
        {
            "dang_vien": secretary,
            "noi_dung": "Tổ chức sơ kết 6 tháng thực hiện Kế hoạch xây dựng “chi bộ bốn tốt”",
            "san_pham": "Báo cáo sơ kết 6 tháng",
            "thoi_han": date(year, 6, 30),
            "trang_thai": "chua_thuc_hien",
        },
    ]


def common_task(member_id: str, cell_kind: str) -> dict[str, object]:
    """The example's recurring task for one member of a cell of type ``cell_kind``."""
    task: dict[str, object] = {"dang_vien": member_id, "noi_dung": _COMMON_TASK}
    if cell_kind in _COMMON_PLACE:
        task["dia_ban"] = _COMMON_PLACE[cell_kind]
    task |= {"san_pham": "Kết quả tự đánh giá hằng quý", "thuong_xuyen": True, "trang_thai": "dang_thuc_hien"}
    return task


_TASK_COMMENTS = {"thuong_xuyen": "nhiệm vụ thường xuyên, không có thời hạn", "thoi_han": "thời hạn hoàn thành"}


def assignment_yaml(year: int, number: object, issued: object, tasks: list[dict[str, object]]) -> str:
    """init's example assignment file (a notice) holding ``tasks`` (``number`` None: no number)."""
    lines = [
        f"{EXAMPLE_MARK}. Khi tệp còn dòng này, `docgen roster import` thêm cho",
        "# mỗi đảng viên mới nhập một nhiệm vụ thường xuyên chung (VÍ DỤ). Sửa nhiệm vụ cho từng",
        "# đảng viên (mã trong dang-vien.yaml) rồi xóa dòng đầu tiên: từ đó docgen không tự sửa tệp này.",
        f"# Phân công nhiệm vụ cho đảng viên năm {year}. Mỗi nhiệm vụ một mục trong nhiem_vu.",
        "# hinh_thuc: thong_bao (Thông báo) hoặc nghi_quyet (Nghị quyết; khi đó ghi thêm hoi_nghi:",
        "#   ngày họp, số có mặt, người vắng, và docgen làm cả biên bản hội nghị).",
        "# trang_thai: chua_thuc_hien | dang_thuc_hien | hoan_thanh | hoan_thanh_vuot | qua_han",
        "phan_cong_nhiem_vu:",
        *([f"  so: {scalar(number)}"] if number is not None else []),
        f"  ngay_ban_hanh: {scalar(issued)}",
        "  hinh_thuc: thong_bao",
        "  nhiem_vu:",
    ]
    for task in tasks:
        lines += block_item(task, "    ", numbers=False, comments=_TASK_COMMENTS)
    return "\n".join(lines) + "\n"


# The dates of an assignment file: the example keeps them dates when it is written again.
_DATE_KEYS = ("ngay_ban_hanh", "thoi_han", "ngay_hoan_thanh")


def _dated(data: dict[str, object]) -> dict[str, object]:
    """``data`` with the date text of its date keys read as dates (text that is not a date
    is kept as typed, for the check to report)."""
    out = dict(data)
    for key in _DATE_KEYS:
        value = out.get(key)
        if isinstance(value, str):
            with contextlib.suppress(DateTextError):
                out[key] = read_date_text(value)
    return out


def refreshed_example(path: Path, year: int, members: list[dict[str, object]], cell_kind: str) -> str | None:
    """init's example assignment file at ``path`` in step with a new roster: tasks of
    members who left are dropped, each member who can be given a task and has none gets
    the common one.

    None when the file is no longer the example (the secretary's own file), and when it
    cannot be read as the example (broken YAML, a part missing): it is left as it is and
    the check that follows reports what is wrong there, located.
    """
    display = display_path(path)
    try:
        raw = read_bytes(path, display)  # a regular file, bounded
        if not raw.startswith(EXAMPLE_MARK.encode("utf-8")):
            return None
        data = parse_text(decode_text(raw, display), path, display).data
    except InputError:
        return None
    notice = data.get("phan_cong_nhiem_vu") if isinstance(data, dict) else None
    if not isinstance(notice, dict) or notice.get("ngay_ban_hanh") is None:
        return None
    listed = notice.get("nhiem_vu") or []
    if not isinstance(listed, list) or not all(isinstance(t, dict) for t in listed):
        return None
    ids = {str(m["ma"]) for m in members}
    tasks = [_dated(t) for t in listed if str(t.get("dang_vien")) in ids]
    given = {str(t["dang_vien"]) for t in tasks}
    for m in members:
        active = "mien_sinh_hoat" not in m and "dinh_chi_sinh_hoat" not in m
        if active and str(m["ma"]) not in given:
            tasks.append(common_task(str(m["ma"]), cell_kind))
    notice = _dated(notice)
    return assignment_yaml(year, notice.get("so"), notice.get("ngay_ban_hanh"), tasks)


def _assignment_yaml(c: CellAnswers) -> str:
    return assignment_yaml(c.year, 1, date(c.year, 2, 5), _secretary_tasks("dv01", c.year))


def _cell_yaml(c: CellAnswers) -> str:
    types = " | ".join(LOAI_CHI_BO)
    own = ""
    if c.kind == "khac":
        own = (
            "  # Chi bộ loại 'khac' tự ghi trách nhiệm nêu gương của đảng viên:\n"
            "  neu_guong:\n"
            "    - Gương mẫu thực hiện nhiệm vụ được phân công\n"
            "    - Gương mẫu thực hiện chủ trương của Đảng, chính sách, pháp luật của Nhà nước\n"
        )
    return (
        "# Chi bộ: tên, loại và chi ủy (ghi bằng mã đảng viên trong dang-vien.yaml).\n"
        "chi_bo:\n"
        f"  ten: {q(c.name)}\n"
        f"  loai_chi_bo: {c.kind}          # {types}\n"
        "  bi_thu: dv01                   # mã của đồng chí bí thư\n"
        "  # pho_bi_thu: dv02             # phó bí thư (nếu có)\n"
        "  # chi_uy_vien: [dv03]          # chi ủy viên (nếu có)\n"
        "  # dia_diem_hop: Nhà văn hóa tổ dân phố   # nơi chi bộ thường họp, ghi vào biên bản\n"
        + own
    )


def cell_files(c: CellAnswers, workspace: str = "data") -> dict[Path, str]:
    """The new cell's files, relative to the workspace (``workspace``: its name as typed,
    for the commands the comments suggest)."""
    folder = Path(CELLS_DIR) / c.cell_id
    return {
        folder / CELL_FILE: _cell_yaml(c),
        folder / ROSTER_FILE: _member_yaml(c, workspace),
        folder / str(c.year) / "ke-hoach.yaml": _plan_yaml(c),
        folder / str(c.year) / "phan-cong.yaml": _assignment_yaml(c),
    }


def check_answers(cell: CellAnswers) -> None:
    """Refuse answers no file could hold: a joining date still to come, a cell id that is
    not an id (the pattern of ``models.common.Ma``, the one every file's ids follow).

    Raises:
        UsageError: the first answer refused.
    """
    from pydantic import TypeAdapter, ValidationError

    from docgen.models.common import Ma

    if cell.admitted is not None and cell.admitted > date.today():
        raise UsageError(f"--ngay-vao-dang: ngày {cell.admitted:%d/%m/%Y} chưa đến; ghi ngày vào Đảng đã qua")
    if cell.official is not None:
        if cell.admitted is None:
            raise UsageError("--ngay-chinh-thuc: cần ghi cả ngày vào Đảng (--ngay-vao-dang)")
        if cell.official <= cell.admitted:
            raise UsageError(
                f"--ngay-chinh-thuc: ngày {cell.official:%d/%m/%Y} phải sau ngày vào Đảng {cell.admitted:%d/%m/%Y}"
            )
        if cell.official > date.today():
            raise UsageError(f"--ngay-chinh-thuc: ngày {cell.official:%d/%m/%Y} chưa đến; ghi ngày đã qua")
    try:
        TypeAdapter(Ma).validate_python(cell.cell_id)
    except ValidationError:
        raise UsageError(
            f"mã chi bộ '{cell.cell_id}' không hợp lệ: chỉ dùng chữ thường không dấu, số, '-' hoặc '_'"
        ) from None


def init_cell(root: Path, ward: WardAnswers | None, cell: CellAnswers) -> list[Path]:
    """Create cell ``cell`` in the workspace ``root`` (and its ward file, if ``ward``).

    Returns the files written. Nothing is written unless the answers pass
    :func:`check_answers` and the new cell passes the same checks as ``docgen check``.

    Raises:
        UsageError: an answer is refused, the cell id is taken, or the folder has no
            dang-bo.yaml and no ward answers.
        InputError: the new files would not check (a bug, or an invalid existing ward file).
    """
    from docgen.staging import try_changes
    from docgen.workspace import load_workspace

    check_answers(cell)

    ward_path = root / WARD_FILE
    texts: dict[Path, str] = {}
    if ward_path.exists():  # a FIFO or a device too: loading it says what is wrong, located
        ws = load_workspace(root)
        if cell.cell_id in ws.dang_bo.chi_bo:
            raise UsageError(f"chi bộ '{cell.cell_id}' đã có trong {display_path(ward_path)}")
        text = decode_text(read_bytes(ward_path, ws.source.display), ws.source.display)
        texts[Path(WARD_FILE)] = add_cell_to_ward(text, ws.source.marks, ws.dang_bo.chi_bo, cell.cell_id)
    elif ward is None:
        raise UsageError(f"thư mục {display_path(root)} chưa có {WARD_FILE}: cần thông tin đảng bộ")
    else:
        texts[Path(WARD_FILE)] = ward_file(ward, cell.cell_id)
    if (root / CELLS_DIR / cell.cell_id).exists():
        raise UsageError(f"đã có thư mục {display_path(root / CELLS_DIR / cell.cell_id)}")
    texts.update(cell_files(cell, display_path(root)))
    data = {rel: text.encode("utf-8") for rel, text in texts.items()}
    try_changes(root, data, cell.cell_id)
    # All the files or none: the ward never lists a cell whose files are missing.
    write_all([(root / rel, content) for rel, content in data.items()])
    return [root / rel for rel in data]

