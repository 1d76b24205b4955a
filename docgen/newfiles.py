"""``docgen new``: a period's input file for one cell, ready to fill in.

The file is made for the cell: every current member listed from its roster (members
the rules do not classify named in a comment instead of an entry), what recurs taken
from the previous period (the regular meeting day of the last quarter, the recurring
tasks and the plan of the last year) and the secretary as signer. Every field carries a
Vietnamese comment; the facts only the secretary knows are left empty and marked
``CẦN GHI``, so ``docgen check`` on the new file lists exactly those. Nothing of
another cell's or the sample's text is written.

The text is written line by line with docgen/yamltext.py, as ``docgen init`` writes
its files (docgen/scaffold.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from docgen.documents.kinds import KINDS, KindSpec
from docgen.errors import DocgenError, OutputError, UsageError, display_path
from docgen.formatting import quarter_words, short_date, year_words
from docgen.output import write_all
from docgen.rules.period import YearKind, add_months
from docgen.yamltext import block_item, q, scalar

if TYPE_CHECKING:  # the models are imported where used: NEW_FILE_NAMES stays light for the CLI
    from docgen.models.org import DangVien
    from docgen.models.quarter import BaoCaoQuy
    from docgen.models.rules import BoQuyTac
    from docgen.workspace import Cell, Workspace

__all__ = ["NEW_FILE_NAMES", "new_period_file", "period_file_text"]

T = TypeVar("T")

TO_TYPE = "CẦN GHI"  # the mark on every field the secretary must type


def _file_name(spec: KindSpec) -> str:
    """The name ``docgen new`` knows a kind's input by: its file's stem (``quy``, ``nam``)."""
    assert spec.reads is not None
    return spec.reads.split("*")[0].removesuffix(".yaml").rstrip("-")


# The cells' kinds with a file of their own, by the name of their file.
_SPECS: dict[str, KindSpec] = {
    _file_name(k): k for k in KINDS if k.scope == "chi_bo" and k.reads is not None
}
NEW_FILE_NAMES: tuple[str, ...] = tuple(_SPECS)


def _by_model(model: str) -> KindSpec:
    """The kind whose input file is read into ``model`` (``KeHoachFile``)."""
    return next(k for k in KINDS if k.input_model == model)


def _target(spec: KindSpec, quarter: int | None) -> str:
    """The file name written: ``quy-3.yaml``, ``nam.yaml``, ``phan-cong.yaml``."""
    assert spec.reads is not None
    return spec.reads.replace("*", str(quarter) if spec.needs_quarter else "")


# --- line helpers --------------------------------------------------------------------


def _field(indent: str, key: str, value: object = None, comment: str | None = None) -> str:
    """``key: value   # comment``; a None value is left empty, to be typed."""
    line = f"{indent}{key}:" + ("" if value is None else f" {scalar(value)}")
    return f"{line}   # {comment}" if comment else line


def _blank(indent: str, key: str, what: str) -> str:
    """An empty field the secretary must fill in."""
    return _field(indent, key, None, f"{TO_TYPE}: {what}")


def _prose(indent: str, key: str, items: Iterable[str] | None, what: str) -> list[str]:
    """A prose field: its paragraphs as a list, or empty and marked to be typed."""
    paragraphs = list(items or [])
    if not paragraphs:
        return [_blank(indent, key, f"{what} (mỗi đoạn một dòng bắt đầu bằng '- ')")]
    return [_field(indent, key, None, what), *[f"{indent}  - {q(p)}" for p in paragraphs]]


def _signer(indent: str, cell: Cell) -> str:
    name = cell.by_id[cell.info.bi_thu].ho_ten
    return _field(indent, "nguoi_ky", cell.info.bi_thu, f"người ký: đồng chí {name}, bí thư chi bộ")


def _name(cell: Cell, member_id: str) -> str:
    member = cell.by_id.get(member_id)
    return member.ho_ten if member else member_id


def _active(member: DangVien) -> bool:
    return member.mien_sinh_hoat is None and member.dinh_chi_sinh_hoat is None


def _not_classified(member: DangVien, end: date, rules: BoQuyTac) -> str | None:
    """Why ``member`` is not classified for a period ending ``end`` (Vietnamese), or None."""
    from docgen.rules.evaluation import not_classified_reason
    from docgen.rules.quarter import member_facts

    # No meeting is known when the file is made: the months count to the end of the period.
    code = not_classified_reason(member_facts(member, None, [], [], end), end, rules)
    if code is None:
        return None
    if code == "mien" and member.mien_sinh_hoat is not None:
        return f"miễn sinh hoạt đảng từ {short_date(member.mien_sinh_hoat.tu_ngay)}"
    if code == "dinh_chi" and member.dinh_chi_sinh_hoat is not None:
        return f"đình chỉ sinh hoạt đảng từ {short_date(member.dinh_chi_sinh_hoat.tu_ngay)}"
    if code == "du_bi":
        from docgen.documents.wording import REVIEW_ONLY

        return REVIEW_ONLY
    months = rules.khong_xep_loai.vao_dang_chua_du_thang
    return f"vào Đảng ngày {short_date(member.ngay_vao_dang)}, chưa đủ {months} tháng"


def _levels(rules: BoQuyTac) -> str:
    from docgen.models.rules import LEVELS

    return " | ".join(f"{code} ({rules.level_name(code)})" for code in LEVELS)


def _previous(loader: Callable[..., T], *args: object) -> T | None:
    """What ``loader`` reads from a previous period's file, or None when that file is
    missing or does not check (the new file is then made without it)."""
    try:
        return loader(*args)
    except (DocgenError, OSError):
        return None


# --- quy-N.yaml ----------------------------------------------------------------------


def _previous_quarter(cell: Cell, year: int, quarter: int) -> BaoCaoQuy | None:
    from docgen.models.quarter import BaoCaoQuyFile
    from docgen.workspace import load_model

    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    path = cell.year_dir(year) / _target(_by_model("BaoCaoQuyFile"), quarter)
    if not path.is_file():
        return None
    return load_model(path, BaoCaoQuyFile)[0].bao_cao_quy


def _meeting_days(cell: Cell, year: int, quarter: int) -> tuple[int | None, int]:
    """The regular meeting day of the month and the planned regular meetings, as in the
    previous quarter (None, 3 when there is none)."""
    prev = _previous(_previous_quarter, cell, year, quarter)
    if prev is None:
        return None, 3
    days = Counter(m.ngay.day for m in prev.buoi_sinh_hoat if m.loai == "thuong_ky")
    day = days.most_common(1)[0][0] if days else None
    return day, prev.sinh_hoat_thuong_ky_ke_hoach


def _meeting_dates(
    years: YearKind, year: int, quarter: int, day: int | None, count: int
) -> list[date | None]:
    """The regular meetings' dates: day ``day`` of each month of the quarter (clipped to
    the month's end), as many as planned (at most one a month); unknown dates when there
    is no day."""
    import calendar

    start = years.quarter_bounds(year, quarter)[0]
    months = [add_months(start, i) for i in range(3)][: max(count, 0)]
    if day is None:
        return [None] * len(months)
    return [m.replace(day=min(day, calendar.monthrange(m.year, m.month)[1])) for m in months]


def _quarter_text(ws: Workspace, cell: Cell, year: int, quarter: int) -> str:

    rules = ws.rules
    start, end = cell.year_kind.quarter_bounds(year, quarter)
    day, planned = _meeting_days(cell, year, quarter)
    required = len(cell.required_at(end))
    lines = [
        f"# Kết quả xây dựng “chi bộ bốn tốt” {quarter_words(cell.year_kind, year, quarter)} của {cell.info.ten}.",
        f"# Tệp do docgen new tạo. Điền các trường ghi {TO_TYPE} rồi chạy docgen check: khi còn",
        "# trường chưa điền, docgen check chỉ ra từng trường theo dòng.",
        "# Ngày viết dạng 2026-01-05 hoặc 05/01/2026. Dòng bắt đầu bằng # là lời giải thích.",
        "bao_cao_quy:",
        "  # so: 1                          # số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký",
        _blank(
            "  ", "ngay_ban_hanh",
            f"ngày ban hành, trong quý hoặc đến 45 ngày sau {short_date(end)}",
        ),
        _field(
            "  ", "sinh_hoat_thuong_ky_ke_hoach", planned,
            "số buổi sinh hoạt thường kỳ theo kế hoạch trong quý",
        ),
        "  # Các buổi sinh hoạt đã họp. Buổi chuyên đề ghi thêm loai: chuyen_de và chu_de: <chủ đề>.",
        "  # vang: người vắng, mỗi người một mục '- dang_vien: <mã>' và 'ly_do: <lý do>'.",
        "  buoi_sinh_hoat:",
    ]
    where = "theo ngày họp thường kỳ của quý trước; sửa nếu khác"
    dates = _meeting_dates(cell.year_kind, year, quarter, day, planned)
    # The minutes of the evaluation meeting (the last) need a minute-taker; by default a
    # committee member present, so a cell with none but its secretary must name one.
    no_taker = not (cell.info.pho_bi_thu or cell.info.chi_uy_vien)
    for i, when in enumerate(dates):
        last = no_taker and i == len(dates) - 1
        if when is None:
            lines.append(_blank("    - ", "ngay", "ngày họp" + ("; và thu_ky bên dưới" if last else "")))
        else:
            lines.append(_field("    - ", "ngay", when, where + (f"; {TO_TYPE} thu_ky bên dưới" if last else "")))
        lines.append(_blank("      ", "co_mat", f"số đảng viên có mặt (phải dự: {required})"))
        if last:
            lines.append(_blank(
                "      ", "thu_ky",
                "mã đảng viên ghi biên bản buổi họp đánh giá quý (chi bộ chưa có chi ủy viên khác bí thư)",
            ))
    lines += [
        "  dang_phi:                          # đảng phí trong quý",
        _field(
            "    ", "so_phai_dong", required,
            f"theo danh sách: {required} đảng viên phải dự sinh hoạt; sửa nếu khác",
        ),
        _blank("    ", "so_da_dong", "số đảng viên đã đóng"),
        "  # Đơn thư, mất đoàn kết, kỷ luật trong quý (nếu có; không có thì để nguyên):",
        "  # don_thu:",
        "  #   - ngay: <ngày nhận đơn>",
        "  #     noi_dung: <tóm tắt nội dung và kết quả giải quyết>",
        "  # mat_doan_ket: (cùng cách ghi như don_thu)",
        "  # ky_luat:",
        "  #   - dang_vien: <mã>",
        "  #     hinh_thuc: khien_trach     # khien_trach | canh_cao | cach_chuc | khai_tru",
        "  #     ngay: <ngày quyết định>",
        "  #     ly_do: <lý do>",
        "  # tinh_hinh: <đặc điểm tình hình trong quý, nếu muốn ghi>",
        "  ket_qua:                           # kết quả theo bốn tiêu chí “chi bộ bốn tốt”",
        *_prose("    ", "lanh_dao", None, "1. lãnh đạo thực hiện nhiệm vụ chính trị"),
        *_prose("    ", "sinh_hoat", None, "2. chất lượng sinh hoạt chi bộ"),
        *_prose("    ", "doan_ket", None, "3. đoàn kết, kỷ luật"),
        *_prose("    ", "doi_ngu_dang_vien", None, "4. đội ngũ đảng viên"),
        *_prose("  ", "han_che", None, "hạn chế"),
        *_prose("  ", "nguyen_nhan", None, "nguyên nhân của hạn chế"),
        *_prose("  ", "phuong_huong", None, "phương hướng quý tới"),
        "  # kien_nghi: <kiến nghị, đề xuất với cấp trên, nếu có>",
        f"  chi_bo:                            # chi bộ tự đánh giá; tu_nhan: {_levels(rules)}",
        _blank("    ", "diem_chung", f"điểm tiêu chí chung (tối đa {rules.thang_diem.diem_chung_toi_da:g})"),
        _blank(
            "    ", "diem_nhiem_vu",
            f"điểm kết quả thực hiện nhiệm vụ (tối đa {rules.thang_diem.diem_nhiem_vu_toi_da:g})",
        ),
        _blank("    ", "tu_nhan", "mức chi bộ tự nhận"),
        "  # Đảng viên tự đánh giá: mỗi người diem_chung, diem_nhiem_vu và tu_nhan (mức tự nhận).",
        "  # Có thể ghi thêm: chi_bo_de_xuat (mức chi bộ đề xuất nếu khác), nghi_thai_san: true,",
        "  # ghi_chu; nghỉ ốm ghi một trong hai cách: các kỳ nghỉ trong quý",
        "  #   nghi_om: [{tu_ngay: <từ ngày>, den_ngay: <đến ngày, tính cả ngày này>}]",
        "  # hoặc số ngày nghi_om_ngay: <số ngày>.",
        "  dang_vien:",
    ]
    for member in cell.members:
        why = _not_classified(member, end, rules)
        if why is not None:
            lines.append(f"    # {member.ma} {member.ho_ten}: {why}, không đánh giá")
            continue
        lines += [
            _field("    - ", "ma", member.ma, f"{member.ho_ten}: {TO_TYPE} điểm"),
            _blank("      ", "diem_chung", "điểm tiêu chí chung"),
            _blank("      ", "diem_nhiem_vu", "điểm thực hiện nhiệm vụ"),
            _field("      ", "tu_nhan", None, "mức tự nhận"),
        ]
    lines.append(_signer("  ", cell))
    return "\n".join(lines) + "\n"


# --- nam.yaml ------------------------------------------------------------------------


def _year_text(ws: Workspace, cell: Cell, year: int) -> str:
    rules = ws.rules
    end = cell.year_kind.year_bounds(year)[1]
    first, last = cell.year_kind.review_window(year)
    lines = [
        f"# Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng {year_words(cell.year_kind, year)} của {cell.info.ten}",
        "# (Mẫu 01, HD 43-HD/BTCTW).",
        f"# Tệp do docgen new tạo. Điền các trường ghi {TO_TYPE} rồi chạy docgen check.",
        "# Điểm năm: bỏ trống thì lấy trung bình điểm các quý (tệp quy-1.yaml ... quy-4.yaml).",
        "bao_cao_nam:",
        "  # so: 1                          # số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký",
        _blank(
            "  ", "ngay_ban_hanh",
            f"ngày ban hành, từ {short_date(first)} đến {short_date(last)}",
        ),
        *_prose("  ", "ket_qua", None, "kết quả thực hiện nhiệm vụ, ưu điểm"),
        *_prose("  ", "han_che", None, "hạn chế, khuyết điểm"),
        *_prose("  ", "nguyen_nhan", None, "nguyên nhân"),
        *_prose("  ", "khac_phuc", None, "kết quả khắc phục hạn chế đã chỉ ra năm trước"),
        *_prose("  ", "trach_nhiem", None, "trách nhiệm của tập thể, cá nhân"),
        *_prose("  ", "phuong_huong", None, "phương hướng, biện pháp khắc phục"),
        "  chi_bo:",
        "    # diem_chung, diem_nhiem_vu: điểm năm của chi bộ; bỏ trống thì lấy từ các quý",
        _blank("    ", "de_xuat", f"mức chi bộ tự đề xuất: {_levels(rules)}"),
        "  # Mỗi đảng viên: diem_chung và diem_nhiem_vu (bỏ trống thì lấy từ các quý), de_xuat",
        "  # (mức chi bộ đề xuất; bỏ trống thì lấy mức cao nhất quy định cho phép), ghi_chu;",
        "  # nghỉ ốm (nghi_om: các kỳ tu_ngay, den_ngay; hoặc nghi_om_ngay: số ngày) bỏ trống thì cộng từ các quý.",
        "  dang_vien:",
    ]
    for member in cell.members:
        why = _not_classified(member, end, rules)
        lines.append(_field("    - ", "ma", member.ma, member.ho_ten + (f": {why}" if why else "")))
    lines += [
        "  # Hội nghị kiểm điểm cuối năm (ghi vào biên bản); bỏ trống thì lấy buổi họp cuối của quý IV:",
        "  # hoi_nghi:",
        "  #   ngay: <ngày họp>",
        "  #   so_co_mat: <số đảng viên có mặt>",
        _signer("  ", cell),
    ]
    return "\n".join(lines) + "\n"


# --- phan-cong.yaml ------------------------------------------------------------------


def _recurring_tasks(cell: Cell, year: int) -> list[dict[str, object]]:
    """The recurring tasks of the previous year's assignments, of members still active
    (each task once), to be carried on."""
    from docgen.models.tasks import PhanCongFile
    from docgen.workspace import files_in, load_model

    spec = _by_model("PhanCongFile")
    assert spec.reads is not None
    tasks: dict[tuple[str, str], dict[str, object]] = {}
    for path in _previous(files_in, cell.year_dir(year - 1), spec.reads) or []:
        loaded = _previous(load_model, path, PhanCongFile)
        if loaded is None:
            continue
        for task in loaded[0].phan_cong_nhiem_vu.nhiem_vu:
            member = cell.by_id.get(task.dang_vien)
            if not task.thuong_xuyen or member is None or not _active(member):
                continue
            item: dict[str, object] = {"dang_vien": task.dang_vien, "noi_dung": task.noi_dung}
            if task.dia_ban:
                item["dia_ban"] = task.dia_ban
            if task.san_pham:
                item["san_pham"] = task.san_pham
            item |= {"thuong_xuyen": True, "trang_thai": "dang_thuc_hien"}
            tasks.setdefault((task.dang_vien, task.noi_dung), item)
    return list(tasks.values())


def _assignment_text(cell: Cell, year: int) -> str:
    carried = _recurring_tasks(cell, year)
    lines = [
        f"# Phân công nhiệm vụ cho đảng viên {year_words(cell.year_kind, year)} của {cell.info.ten}.",
        f"# Tệp do docgen new tạo. Điền các trường ghi {TO_TYPE} rồi chạy docgen check.",
        "# Mỗi nhiệm vụ một mục trong nhiem_vu; một đảng viên có thể có nhiều nhiệm vụ.",
        "# Nhiệm vụ có thời hạn ghi thoi_han: <ngày>; nhiệm vụ thường xuyên ghi thuong_xuyen: true.",
        "# trang_thai: chua_thuc_hien | dang_thuc_hien | hoan_thanh | hoan_thanh_vuot | qua_han",
        "phan_cong_nhiem_vu:",
        "  # so: 1                          # số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký",
        _blank("  ", "ngay_ban_hanh", f"ngày ban hành, trong {year_words(cell.year_kind, year)}"),
        _field(
            "  ", "hinh_thuc", "thong_bao",
            "thong_bao (Thông báo) | nghi_quyet (Nghị quyết: ghi thêm hoi_nghi với ngày họp, so_co_mat)",
        ),
        "  nhiem_vu:",
    ]
    if carried:
        lines.append(
            f"    # Nhiệm vụ thường xuyên {year_words(cell.year_kind, year - 1)}, giao tiếp (sửa hoặc xóa nếu không còn):"
        )
    for task in carried:
        comments = {"dang_vien": _name(cell, str(task["dang_vien"]))}
        lines += block_item(task, "    ", numbers=False, comments=comments)
    given = {str(t["dang_vien"]) for t in carried}
    for member in cell.members:
        if member.ma in given or not _active(member):
            continue
        lines += [
            _field("    - ", "dang_vien", member.ma, f"{member.ho_ten}: {TO_TYPE} nhiệm vụ"),
            _blank("      ", "noi_dung", "nhiệm vụ được phân công"),
            "      # dia_ban: <địa bàn, đối tượng phụ trách>",
            "      # san_pham: <sản phẩm, kết quả cần đạt>",
            _blank("      ", "thoi_han", "thời hạn; hoặc xóa dòng này và ghi thuong_xuyen: true"),
            _field("      ", "trang_thai", "chua_thuc_hien"),
        ]
    exempt = [m for m in cell.members if not _active(m)]
    if exempt:
        lines.append("    # Không giao nhiệm vụ (miễn hoặc đình chỉ sinh hoạt đảng): "
                     + ", ".join(f"{m.ma} {m.ho_ten}" for m in exempt))
    lines.append(_signer("  ", cell))
    return "\n".join(lines) + "\n"


# --- ke-hoach.yaml -------------------------------------------------------------------


def _next_year(text: str, year: int, years: YearKind) -> str:
    """``text`` of the previous year's plan with that year written as ``year`` (a school
    year's two years both moved on: 2024 - 2025 becomes 2025 - 2026)."""
    moved = (year - 2, year - 1) if years.school else (year - 1,)
    return re.sub(r"(?<!\d)\d{4}(?!\d)", lambda m: str(int(m[0]) + 1) if int(m[0]) in moved else m[0], text)


def _plan_text(cell: Cell, year: int) -> str:
    from docgen.models.annual import BaoCaoNamFile
    from docgen.models.plan import KeHoachFile
    from docgen.workspace import load_model

    last = cell.year_dir(year - 1)
    loaded = _previous(load_model, last / _by_model("KeHoachFile").input_file, KeHoachFile)
    prev = loaded[0].ke_hoach if loaded else None
    review = _previous(load_model, last / _by_model("BaoCaoNamFile").input_file, BaoCaoNamFile)
    shortcomings = review[0].bao_cao_nam.han_che if review else None

    def carried(items: list[str] | None) -> list[str] | None:
        return [_next_year(p, year, cell.year_kind) for p in items] if items else None

    years = cell.year_kind
    origin = f" (từ kế hoạch {year_words(years, year - 1)}: sửa cho {year_words(years, year)})" if prev else ""
    issued_from, issued_to = years.plan_window(year)
    lines = [
        f"# Kế hoạch xây dựng “chi bộ bốn tốt” {year_words(years, year)} của {cell.info.ten}.",
        f"# Tệp do docgen new tạo. Điền các trường ghi {TO_TYPE}, sửa lời văn rồi chạy docgen check.",
        "# Mỗi mục bắt đầu bằng '- ' là một đoạn trong văn bản. Các mục muc_dich, yeu_cau,",
        "# can_cu, bao_cao, noi_nhan bỏ trống thì dùng lời văn mặc định.",
        "ke_hoach:",
        "  # so: 1                          # số văn bản; bỏ trống thì lấy số tiếp theo trong sổ đăng ký",
        _blank(
            "  ", "ngay_ban_hanh",
            f"ngày ban hành, từ {short_date(issued_from)} đến {short_date(issued_to)}"
            if years.school
            else f"ngày ban hành, trong năm {year - 1} hoặc {year}",
        ),
    ]
    if prev is not None:
        for key, what in (("can_cu", "căn cứ"), ("muc_dich", "mục đích"), ("yeu_cau", "yêu cầu")):
            value = getattr(prev, key)
            if value:
                lines += _prose("  ", key, carried(value), what + origin)
    lines.append(f"  chi_tieu:                          # chỉ tiêu theo bốn tiêu chí{origin}")
    for key, what in (
        ("lanh_dao", "1. lãnh đạo hoàn thành tốt nhiệm vụ chính trị"),
        ("sinh_hoat", "2. chất lượng sinh hoạt tốt"),
        ("doan_ket", "3. đoàn kết, kỷ luật tốt"),
        ("doi_ngu_dang_vien", "4. đội ngũ đảng viên tốt"),
    ):
        lines += _prose("    ", key, carried(getattr(prev.chi_tieu, key)) if prev else None, what)
    lines += _prose(
        "  ", "han_che", shortcomings,
        "tồn tại, hạn chế cần khắc phục" + (f" (từ báo cáo {year_words(years, year - 1)})" if shortcomings else ""),
    )
    lines += _prose("  ", "giai_phap", carried(prev.giai_phap) if prev else None, "giải pháp" + origin)
    lines.append(f"  phan_cong:                         # ai làm gì: dang_vien (mã) hoặc doi_tuong (nhóm người){origin}")
    who = [
        p for p in (prev.phan_cong if prev else [])
        if p.dang_vien is None or (p.dang_vien in cell.by_id and _active(cell.by_id[p.dang_vien]))
    ]
    for p in who:
        item: dict[str, object] = (
            {"dang_vien": p.dang_vien} if p.dang_vien else {"doi_tuong": p.doi_tuong}
        )
        item["nhiem_vu"] = _next_year(p.nhiem_vu, year, years)
        comments = {"dang_vien": _name(cell, p.dang_vien)} if p.dang_vien else None
        lines += block_item(item, "    ", numbers=False, comments=comments)
    if not who:
        lines += [
            _field("    - ", "dang_vien", cell.info.bi_thu, _name(cell, cell.info.bi_thu) + ", bí thư"),
            _blank("      ", "nhiem_vu", "phần việc được giao"),
        ]
    lines.append(f"  lich_trinh:                        # tiến độ thực hiện{origin}")
    steps = prev.lich_trinh if prev else []
    for step in steps:
        lines += block_item(
            {"thoi_gian": _next_year(step.thoi_gian, year, years), "noi_dung": _next_year(step.noi_dung, year, years)},
            "    ", numbers=False,
        )
    if not steps:
        lines += [
            _blank("    - ", "thoi_gian", f"thời gian, ví dụ Tháng 01/{year}"),
            _blank("      ", "noi_dung", "việc làm trong thời gian đó"),
        ]
    if prev is not None and prev.bao_cao:
        lines += _prose("  ", "bao_cao", carried(prev.bao_cao), "chế độ báo cáo" + origin)
    lines.append(_signer("  ", cell))
    return "\n".join(lines) + "\n"


# --- the file ------------------------------------------------------------------------


def period_file_text(ws: Workspace, name: str, cell_id: str, year: int, quarter: int | None = None) -> str:
    """The text of the new file ``name`` (one of :data:`NEW_FILE_NAMES`) of a cell's period.

    Raises:
        UsageError: an unknown file name or cell, a quarter missing or not wanted.
        InputError: the cell's own files (chi-bo.yaml, dang-vien.yaml) do not check.
    """
    spec = _spec(name, quarter)
    ws.require_cell(cell_id)
    cell = ws.load_cell(cell_id)
    model = spec.input_model
    if model == "BaoCaoQuyFile":
        assert quarter is not None
        return _quarter_text(ws, cell, year, quarter)
    if model == "BaoCaoNamFile":
        return _year_text(ws, cell, year)
    if model == "PhanCongFile":
        return _assignment_text(cell, year)
    if model == "KeHoachFile":
        return _plan_text(cell, year)
    raise AssertionError(f"no new file for {spec.name}")  # pragma: no cover: _SPECS lists only these


def _spec(name: str, quarter: int | None) -> KindSpec:
    spec = _SPECS.get(name)
    if spec is None:
        raise UsageError(f"không có loại tệp '{name}'; các loại: {', '.join(NEW_FILE_NAMES)}")
    if spec.needs_quarter and quarter is None:
        raise UsageError(f"tệp {name} cần --quy (1 đến 4)")
    if not spec.needs_quarter and quarter is not None:
        raise UsageError(f"tệp {name} là tệp của cả năm, không ghi --quy")
    if quarter is not None and not 1 <= quarter <= 4:
        raise UsageError(f"quý {quarter} không có; ghi --quy từ 1 đến 4")
    return spec


def new_period_file(
    ws: Workspace,
    name: str,
    cell_id: str,
    year: int,
    quarter: int | None = None,
    force: bool = False,
) -> Path:
    """Write the input file ``name`` (``quy``, ``nam``, ``phan-cong``, ``ke-hoach``: see
    :data:`NEW_FILE_NAMES`) of cell ``cell_id`` for ``year`` (and ``quarter``), made for
    the cell and ready to fill in. Returns the path written.

    Raises:
        UsageError: an unknown file name or cell, a quarter missing or not wanted.
        OutputError: the file exists (``force`` overwrites it), or cannot be written.
        InputError: the cell's own files do not check.
    """
    spec = _spec(name, quarter)
    ws.require_cell(cell_id)
    path = ws.cell_year_dir(cell_id, year) / _target(spec, quarter)
    if path.exists() and not force:
        raise OutputError(
            display_path(path), "tệp đã có; không ghi đè (thêm --force để thay bằng tệp mới)"
        )
    text = period_file_text(ws, name, cell_id, year, quarter)
    write_all([(path, text.encode("utf-8"))])
    return path
