"""The bodies of the built-in templates, one function per document kind.

Each returns WordprocessingML with docxtpl tags. The tags name only variables
of the kind's contract (docgen/documents/*); the wording around them is the
ward office's to edit in Word once the templates are exported.
"""

from __future__ import annotations

from collections.abc import Callable

from docgen.layout.engine import Column, Layout
from docgen.layout.ooxml import Run, para

__all__ = ["BUILDERS", "build_template"]


def loop(header: str, *inner: str) -> str:
    """Paragraphs repeated for each item: ``{%p for ... %}`` ... ``{%p endfor %}``."""
    return para(None, f"{{%p for {header} %}}") + "".join(inner) + para(None, "{%p endfor %}")


def dash_list(var: str, source: str) -> str:
    """A ``- item`` paragraph per element of ``source`` (items already punctuated)."""
    return loop(f"{var} in {source}", para("NoiDung", f"- {{{{ {var} }}}}"))


def ke_hoach(layout: Layout) -> tuple[str, str]:
    """Kế hoạch xây dựng "chi bộ bốn tốt" of a cell (seed plan adapted to a cell)."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("KẾ HOẠCH", "{{ trich_yeu }}"),
            dash_list("cc", "can_cu"),
            para(
                "NoiDung",
                "{{ ten_chi_bo }} xây dựng Kế hoạch xây dựng “chi bộ bốn tốt” {{ ky_nam }}, "
                "cụ thể như sau:",
            ),
            para("DeMuc1", "I. MỤC ĐÍCH, YÊU CẦU"),
            para("DeMuc2", "1. Mục đích"),
            dash_list("md", "muc_dich"),
            para("DeMuc2", "2. Yêu cầu"),
            dash_list("yc", "yeu_cau"),
            para("DeMuc1", "II. NỘI DUNG"),
            para("DeMuc2", "1. Các tiêu chí và chỉ tiêu “chi bộ bốn tốt” {{ ky_nam }} của Chi bộ"),
            loop(
                "tc in tieu_chi",
                para("DeMuc3", "{{ tc.so }}. {{ tc.ten }}"),
                para("NoiDung", "{{ tc.mo_ta }}"),
                para("NoiDung", "Chỉ tiêu của Chi bộ:"),
                dash_list("ct", "tc.chi_tieu"),
            ),
            para("DeMuc2", "2. Trách nhiệm nêu gương của đảng viên ({{ ten_loai_chi_bo }})"),
            dash_list("ng", "neu_guong"),
            para("DeMuc1", "III. NHIỆM VỤ, GIẢI PHÁP"),
            para("DeMuc2", "1. Những tồn tại, hạn chế cần tập trung khắc phục"),
            dash_list("hc", "han_che"),
            para("DeMuc2", "2. Giải pháp cụ thể"),
            dash_list("gp", "giai_phap"),
            para("DeMuc1", "IV. TỔ CHỨC THỰC HIỆN"),
            para("DeMuc2", "1. Phân công thực hiện"),
            loop("pc in phan_cong", para("NoiDung", "- {{ pc.doi_tuong }}: {{ pc.nhiem_vu }}")),
            para("DeMuc2", "2. Tiến độ thực hiện"),
            loop("m in lich_trinh", para("NoiDung", "- {{ m.thoi_gian }}: {{ m.noi_dung }}")),
            para("DeMuc2", "3. Chế độ báo cáo"),
            dash_list("bc", "bao_cao"),
            para(
                "DoanKet",
                "Trên đây là Kế hoạch xây dựng “chi bộ bốn tốt” {{ ky_nam }} của {{ ten_chi_bo }}; "
                "đề nghị các đồng chí chi ủy viên, đảng viên trong Chi bộ nghiêm túc thực hiện.",
            ),
            layout.signature_block(),
        ]
    )
    return body, "Kế hoạch xây dựng “chi bộ bốn tốt”"


# Data table columns: header, width in mm, cell, alignment. The widths of a table sum to
# 165 mm, the A4 portrait text width (Layout.data_table scales them to the profile's).
# They are measured for Times New Roman at the wide-table size (11 pt) inside the cell
# margins of the profile (bang: 0.75 mm each side of a left-aligned cell, 0.5 mm of a
# centred one):
# - a name column holds a 20-character full name on one line ("Nguyễn Thị Thu Hương",
#   37.7 mm): NAME_MM;
# - "STT", "TC1" (bold, 7.3 mm) fit 8.5 mm; a date "30/06/2026" (17.7 mm) fits 19 mm;
#   "100,0%" in bold (12.6 mm) fits 13.75 mm; "Ghi" in bold (6.3 mm) fits 8 mm.
NAME_MM = 40

# The assignment table, seven columns in portrait: the member's role and standing in italic
# under the name (one column less than a role column beside it), the task, area and
# product sharing the width by their text (typeset fits every column to the rendered
# rows), the deadline narrow; "Ghi chú" only when a task has a note.
ASSIGNMENT_COLUMNS: list[Column] = [
    Column("STT", 8.5, "{{ r.stt }}", "center"),
    Column("Họ và tên, chức vụ", NAME_MM, "{{ r.ho_ten }}\n{{ r.chuc_vu }}, {{ r.loai|lower }}", "left"),
    Column("Nhiệm vụ được phân công", 42, "{{ r.noi_dung }}", "left"),
    Column("Địa bàn, đối tượng phụ trách", 25, "{{ r.dia_ban }}", "left"),
    Column("Sản phẩm", 25, "{{ r.san_pham }}", "left"),
    Column("Thời hạn", 19, "{{ r.thoi_han }}", "center"),
    Column("Ghi chú", 5.5, "{{ r.ghi_chu }}", "left", droppable=True),
]


def phan_cong_thong_bao(layout: Layout) -> tuple[str, str]:
    """Thông báo phân công nhiệm vụ cho đảng viên (TB/CB)."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("THÔNG BÁO", "{{ trich_yeu }}"),
            dash_list("cc", "can_cu"),
            para(
                "NoiDung",
                "{{ ten_chi_bo }} thông báo phân công nhiệm vụ cụ thể cho {{ so_dang_vien }} "
                "đồng chí đảng viên ({{ so_nhiem_vu }} nhiệm vụ) như sau:",
            ),
            layout.data_table("r in bang", ASSIGNMENT_COLUMNS),
            para(
                "NoiDung",
                "Các đồng chí đảng viên được phân công có trách nhiệm chủ động xây dựng kế hoạch, "
                "tổ chức thực hiện nhiệm vụ bảo đảm chất lượng và thời hạn; kết quả thực hiện "
                "nhiệm vụ là căn cứ để đánh giá, xếp loại chất lượng đảng viên hằng quý, hằng năm.",
            ),
            para(
                "DoanKet",
                "Chi ủy có trách nhiệm theo dõi, kiểm tra, giám sát, đôn đốc đảng viên thực hiện "
                "nhiệm vụ được giao; định kỳ hằng quý đánh giá kết quả, báo cáo Chi bộ và Đảng ủy phường.",
            ),
            layout.signature_block(),
        ]
    )
    return body, "Thông báo phân công nhiệm vụ cho đảng viên"


def phan_cong_nghi_quyet(layout: Layout) -> tuple[str, str]:
    """Nghị quyết phân công nhiệm vụ cho đảng viên (NQ/CB), adopted by the cell meeting."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("NGHỊ QUYẾT", "{{ trich_yeu }}"),
            dash_list("cc", "can_cu"),
            para("QuyetNghi", "CHI BỘ QUYẾT NGHỊ:"),
            para(
                "NoiDung",
                "1. Phân công nhiệm vụ cụ thể cho {{ so_dang_vien }} đồng chí đảng viên "
                "({{ so_nhiem_vu }} nhiệm vụ) theo bảng sau:",
            ),
            layout.data_table("r in bang", ASSIGNMENT_COLUMNS),
            para(
                "NoiDung",
                "2. Các đồng chí đảng viên được phân công có trách nhiệm chủ động tổ chức thực hiện "
                "nhiệm vụ bảo đảm chất lượng và thời hạn; kết quả thực hiện nhiệm vụ là căn cứ để "
                "đánh giá, xếp loại chất lượng đảng viên hằng quý, hằng năm.",
            ),
            para(
                "DoanKet",
                "3. Giao Chi ủy theo dõi, kiểm tra, giám sát, đôn đốc đảng viên thực hiện Nghị quyết; "
                "định kỳ hằng quý đánh giá kết quả, báo cáo Chi bộ và Đảng ủy phường.",
            ),
            layout.signature_block(),
        ]
    )
    return body, "Nghị quyết phân công nhiệm vụ cho đảng viên"


DISTRIBUTION_COLUMNS: list[tuple[str, float, str, str]] = [
    ("Tổng số đảng viên", 18, "{{ phan_loai.tong_so }}", "center"),
    ("Miễn sinh hoạt", 18, "{{ phan_loai.mien }}", "center"),
    ("Không xếp loại", 18, "{{ phan_loai.khong_xep_loai }}", "center"),
    ("Được đánh giá", 18, "{{ phan_loai.duoc_danh_gia }}", "center"),
    ("Hoàn thành xuất sắc", 24, "{{ phan_loai.xuat_sac }}", "center"),
    ("Hoàn thành tốt", 24, "{{ phan_loai.tot }}", "center"),
    ("Hoàn thành", 22, "{{ phan_loai.hoan_thanh }}", "center"),
    ("Không hoàn thành", 23, "{{ phan_loai.khong_hoan_thanh }}", "center"),
]

# "Ghi chú" is empty for most members but a forced or capped level carries a long note:
# it keeps enough width for the note not to make its row very tall. The levels hold
# "Hoàn thành" (18 mm) on one line; "Không xếp loại" takes two, beside its note.
MEMBER_COLUMNS: list[Column] = [
    Column("STT", 8.5, "{{ r.stt }}", "center"),
    Column("Họ và tên", NAME_MM, "{{ r.ho_ten }}", "left"),
    Column("Điểm tiêu chí chung", 14.5, "{{ r.diem_chung }}", "center"),
    Column("Điểm nhiệm vụ", 13, "{{ r.diem_nhiem_vu }}", "center"),
    Column("Tổng điểm", 12, "{{ r.tong_diem }}", "center"),
    Column("Tự nhận", 20, "{{ r.tu_nhan }}", "center"),
    Column("Chi bộ đánh giá", 20, "{{ r.danh_gia }}", "center"),
    Column("Ghi chú", 37, "{{ r.ghi_chu }}", "left", droppable=True),
]


def bao_cao_quy(layout: Layout) -> tuple[str, str]:
    """Báo cáo kết quả xây dựng “chi bộ bốn tốt” quý (BC/CB)."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("BÁO CÁO", "{{ trich_yeu }}"),
            para("DeMuc1", "I. TÌNH HÌNH CHUNG"),
            loop("th in tinh_hinh", para("NoiDung", "{{ th }}")),
            para("DeMuc1", "II. KẾT QUẢ THỰC HIỆN BỐN TIÊU CHÍ"),
            loop(
                "tc in tieu_chi",
                para("DeMuc2", "{{ tc.so }}. {{ tc.ten }}"),
                dash_list("kq", "tc.ket_qua"),
                loop("sl in tc.so_lieu", para("NoiDung", "{{ sl }}")),
                para("NoiDung", Run("Đánh giá: ", bold=True), "{{ tc.danh_gia }} ({{ tc.ly_do }})."),
            ),
            para("DeMuc1", "III. HẠN CHẾ, NGUYÊN NHÂN"),
            para("DeMuc2", "1. Hạn chế"),
            dash_list("hc", "han_che"),
            para("DeMuc2", "2. Nguyên nhân"),
            dash_list("nn", "nguyen_nhan"),
            para("DeMuc1", "IV. TỰ ĐÁNH GIÁ, XẾP LOẠI"),
            para("DeMuc2", "1. Đối với Chi bộ"),
            loop("x in chi_bo_tu_danh_gia", para("NoiDung", "{{ x }}")),
            para("DeMuc2", "2. Đối với đảng viên"),
            para("NoiDung", "Kết quả xếp loại đảng viên quý {{ quy }} {{ ky_nam }}:"),
            layout.data_table(None, DISTRIBUTION_COLUMNS),
            para("NoiDung", "{{ han_muc }}"),
            para("NoiDung", "Kết quả tự đánh giá, xếp loại của từng đảng viên:"),
            layout.data_table("r in dang_vien", MEMBER_COLUMNS),
            para("DeMuc1", "V. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI"),
            dash_list("ph", "phuong_huong"),
            para("DeMuc1", "VI. KIẾN NGHỊ, ĐỀ XUẤT"),
            dash_list("kn", "kien_nghi"),
            para(
                "DoanKet",
                "Trên đây là báo cáo kết quả xây dựng “chi bộ bốn tốt” quý {{ quy }} {{ ky_nam }} "
                "của {{ ten_chi_bo }}.",
            ),
            layout.signature_block(),
        ]
    )
    return body, "Báo cáo kết quả xây dựng “chi bộ bốn tốt” quý"


LEVEL_KEYS = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")
# Thirteen columns: each holds its widest word ("100,0%" in bold in the rates row, "Không"
# of "Không hoàn thành"); the cell names get the rest, so "Chi bộ Trường Tiểu học Hoa Sữa"
# takes two lines. "Chưa đạt", "Hoàn thành" may take two lines as well, beside them.
SUMMARY_COLUMNS: list[tuple[str, float, str, str]] = [
    ("STT", 8.5, "{{ r.stt }}", "center"),
    ("Chi bộ", 31.75, "{{ r.ten }}", "left"),
    ("TC1", 8.5, "{{ r.tc1 }}", "center"),
    ("TC2", 8.5, "{{ r.tc2 }}", "center"),
    ("TC3", 8.5, "{{ r.tc3 }}", "center"),
    ("TC4", 8.5, "{{ r.tc4 }}", "center"),
    ("Bốn tốt", 13.75, "{{ r.bon_tot }}", "center"),
    ("Điểm", 10, "{{ r.diem }}", "center"),
    ("Xếp loại chi bộ", 12, "{{ r.xep_loai }}", "center"),
    ("XS", 13.75, "{{ r.xuat_sac }}", "center"),
    ("Tốt", 13.75, "{{ r.tot }}", "center"),
    ("HT", 13.75, "{{ r.hoan_thanh }}", "center"),
    ("KHT", 13.75, "{{ r.khong_hoan_thanh }}", "center"),
]
SUMMARY_FOOTER = [
    ["", "Tổng cộng", *(f"{{{{ tong.tc{n} }}}}" for n in range(1, 5)), "{{ tong.bon_tot }}", "", "",
     *(f"{{{{ tong.{k} }}}}" for k in LEVEL_KEYS)],
    ["", "Tỷ lệ", "", "", "", "", "{{ ty_le.bon_tot }}", "", "",
     *(f"{{{{ ty_le.{k} }}}}" for k in LEVEL_KEYS)],
]


def tong_hop_quy(layout: Layout) -> tuple[str, str]:
    """Báo cáo tổng hợp kết quả “chi bộ bốn tốt” quý của Đảng ủy phường (BC/ĐU)."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("BÁO CÁO", "{{ trich_yeu }}"),
            para("DeMuc1", "I. TÌNH HÌNH CHUNG"),
            loop("x in tong_quan", para("NoiDung", "{{ x }}")),
            para("DeMuc1", "II. KẾT QUẢ CỦA CÁC CHI BỘ"),
            para(
                "NoiDung",
                "Ký hiệu: x đạt, – không đạt; {{ chu_giai }}. Số đảng viên xếp loại XS: hoàn thành "
                "xuất sắc, Tốt: hoàn thành tốt, HT: hoàn thành, KHT: không hoàn thành nhiệm vụ.",
            ),
            layout.data_table("r in bang", SUMMARY_COLUMNS, SUMMARY_FOOTER),
            para("DeMuc1", "III. CÁC CHI BỘ CHƯA ĐẠT “CHI BỘ BỐN TỐT” TRONG QUÝ"),
            dash_list("x", "khong_bon_tot"),
            para("DeMuc1", "IV. CÁC CHI BỘ CHƯA BÁO CÁO"),
            dash_list("x", "chua_bao_cao"),
            para("DeMuc1", "V. ĐỀ NGHỊ “HOÀN THÀNH XUẤT SẮC NHIỆM VỤ” VƯỢT HẠN MỨC"),
            dash_list("x", "vuot_han_muc"),
            para(None, "{%p if phuong_huong %}"),
            para("DeMuc1", "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI"),
            dash_list("x", "phuong_huong"),
            para(None, "{%p endif %}"),
            para(
                "DoanKet",
                "Trên đây là báo cáo tổng hợp kết quả xây dựng “chi bộ bốn tốt” quý {{ quy }} năm "
                "{{ nam }} của {{ ten_dang_bo }}.",
            ),
            layout.signature_block(),
        ]
    )
    return body, "Báo cáo tổng hợp kết quả “chi bộ bốn tốt” quý"


# The proposal ("Không hoàn thành", 28.7 mm) on one line; the notes, often long, the rest.
ANNEX_COLUMNS: list[Column] = [
    Column("STT", 8.5, "{{ r.stt }}", "center"),
    Column("Họ và tên", NAME_MM, "{{ r.ho_ten }}", "left"),
    Column("Điểm tự chấm", 16, "{{ r.diem }}", "center"),
    Column("Chi bộ đề xuất", 30, "{{ r.de_xuat }}", "center"),
    Column("Ghi chú", 70.5, "{{ r.ghi_chu }}", "left", droppable=True),
]


def bao_cao_nam(layout: Layout) -> tuple[str, str]:
    """Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng năm của chi bộ (Mẫu 01, HD 43)."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("BÁO CÁO", "{{ trich_yeu }}"),
            para("DeMuc1", "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ {{ ky_nam | upper }}, ƯU ĐIỂM"),
            loop("x in ket_qua", para("NoiDung", "{{ x }}")),
            para("DeMuc1", "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN"),
            para("DeMuc2", "1. Hạn chế, khuyết điểm"),
            dash_list("x", "han_che"),
            para("DeMuc2", "2. Nguyên nhân"),
            dash_list("x", "nguyen_nhan"),
            para(
                "DeMuc1",
                "III. KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT "
                "LUẬN HOẶC ĐƯỢC CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC",
            ),
            dash_list("x", "khac_phuc"),
            para("DeMuc1", "IV. TRÁCH NHIỆM CỦA TẬP THỂ, CÁ NHÂN ĐỐI VỚI NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM"),
            dash_list("x", "trach_nhiem"),
            para("DeMuc1", "V. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM"),
            dash_list("x", "phuong_huong"),
            para("DeMuc1", "VI. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG"),
            loop("x in tu_danh_gia", para("NoiDung", "{{ x }}")),
            para("DeMuc1", "VII. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN"),
            loop("x in tinh_hinh_dang_vien", para("NoiDung", "{{ x }}")),
            layout.data_table(None, DISTRIBUTION_COLUMNS),
            loop("x in phan_loai_them", para("NoiDung", "{{ x }}")),
            para("NoiDung", "{{ han_muc }}"),
            para(
                "DoanKet",
                "Danh sách đảng viên và mức xếp loại chi bộ đề xuất tại Phụ lục kèm theo.",
            ),
            layout.signature_block(),
            layout.section_break(),
            para("TieuDePhuLuc", "PHỤ LỤC"),
            para(
                "TieuDePhuLuc",
                "DANH SÁCH ĐẢNG VIÊN ĐƯỢC KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {{ ky_nam | upper }}",
            ),
            para("GhiChuPhuLuc", "{{ kem_theo }}"),
            layout.data_table("r in dang_vien", ANNEX_COLUMNS),
        ]
    )
    return body, "Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng năm"


# As in the quarter's summary: each column holds its widest word ("4/4 quý"; "230 / 231"
# in bold in the totals row, 14.7 mm; "Đảng ủy" in bold), the cell names get the rest
# and take at most two lines ("Chi bộ Cơ quan Ủy ban nhân dân phường" needs 33.7 mm).
YEAR_SUMMARY_COLUMNS: list[tuple[str, float, str, str]] = [
    ("STT", 8.5, "{{ r.stt }}", "center"),
    ("Chi bộ", 36, "{{ r.ten }}", "left"),
    ("Bốn tốt", 13.5, "{{ r.bon_tot }}", "center"),
    ("Chi bộ đề xuất", 15, "{{ r.de_xuat }}", "center"),
    ("Đảng ủy công nhận", 15, "{{ r.cong_nhan }}", "center"),
    ("XS", 15.75, "{{ r.xuat_sac }}", "center"),
    ("Tốt", 15.75, "{{ r.tot }}", "center"),
    ("HT", 15.75, "{{ r.hoan_thanh }}", "center"),
    ("KHT", 15.75, "{{ r.khong_hoan_thanh }}", "center"),
    ("Không xếp loại", 14, "{{ r.khong_xep_loai }}", "center"),
]
YEAR_SUMMARY_FOOTER = [
    ["", "Tổng cộng", "", "{{ tong.de_xuat }}", "{{ tong.cong_nhan }}", *(f"{{{{ tong.{k} }}}}" for k in LEVEL_KEYS),
     "{{ tong.khong_xep_loai }}"],
    ["", "Tỷ lệ", "", "", "", *(f"{{{{ ty_le.{k} }}}}" for k in LEVEL_KEYS), ""],
]


# The ward's cells and members by level: a row per level, then the counted, moved and
# not classified; each cell "62 (91,2%)" (the widest, bold in the footer).
LEVEL_TABLE_KEYS = ("cb_de_xuat", "cb_cong_nhan", "dv_de_xuat", "dv_cong_nhan", "chinh_thuc", "du_bi")
LEVEL_TABLE_COLUMNS: list[tuple[str, float, str, str]] = [
    ("Mức xếp loại", 27, "{{ r.muc }}", "left"),
    ("Chi bộ tự nhận", 23, "{{ r.cb_de_xuat }}", "center"),
    ("Chi bộ: Đảng ủy công nhận", 23, "{{ r.cb_cong_nhan }}", "center"),
    ("Đảng viên: chi bộ đề xuất", 23, "{{ r.dv_de_xuat }}", "center"),
    ("Đảng viên: Đảng ủy công nhận", 23, "{{ r.dv_cong_nhan }}", "center"),
    ("Trong đó chính thức", 23, "{{ r.chinh_thuc }}", "center"),
    ("Trong đó dự bị", 23, "{{ r.du_bi }}", "center"),
]
LEVEL_TABLE_FOOTER = [
    [label, *(f"{{{{ {group}.{k} }}}}" for k in LEVEL_TABLE_KEYS)]
    for label, group in (
        ("Cộng", "xep_loai_cong"),
        ("Hạ mức", "xep_loai_ha"),
        ("Nâng mức", "xep_loai_nang"),
        ("Không xếp loại", "xep_loai_khong"),
    )
]


def tong_hop_nam(layout: Layout) -> tuple[str, str]:
    """Báo cáo tổng hợp kiểm điểm, đánh giá, xếp loại năm của Đảng ủy phường (BC/ĐU)."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("BÁO CÁO", "{{ trich_yeu }}"),
            para(None, "{%p if theo_de_xuat %}"),
            para(
                "GhiChuPhuLuc",
                "(Dự thảo: tổng hợp theo đề xuất của các chi bộ; Đảng ủy chưa quyết định)",
            ),
            para(None, "{%p endif %}"),
            para("DeMuc1", "I. TÌNH HÌNH CHUNG"),
            loop("x in tong_quan", para("NoiDung", "{{ x }}")),
            para("DeMuc1", "II. KẾT QUẢ CỦA CÁC CHI BỘ"),
            para(
                "NoiDung",
                "Chi bộ và đảng viên theo mức xếp loại; tỷ lệ tính trên số được xếp loại. Hạ mức, "
                "nâng mức: số Đảng ủy công nhận thấp hơn, cao hơn đề xuất của chi bộ.",
            ),
            layout.data_table("r in xep_loai", LEVEL_TABLE_COLUMNS, LEVEL_TABLE_FOOTER),
            para(
                "NoiDung",
                "Bốn tốt: số quý chi bộ đạt cả bốn tiêu chí. Số đảng viên theo mức (XS: hoàn thành "
                "xuất sắc, Tốt: hoàn thành tốt, HT: hoàn thành, KHT: không hoàn thành nhiệm vụ) ghi "
                "“đề xuất / công nhận”; tỷ lệ tính trên số {% if theo_de_xuat %}đề xuất{% else %}công "
                "nhận{% endif %}. Không xếp loại: miễn sinh hoạt, đình chỉ sinh hoạt hoặc vào Đảng "
                "chưa đủ 6 tháng.",
            ),
            layout.data_table("r in bang", YEAR_SUMMARY_COLUMNS, YEAR_SUMMARY_FOOTER),
            loop("x in han_muc", para("NoiDung", "{{ x }}")),
            para("DeMuc1", "III. ĐẢNG ỦY THAY ĐỔI SO VỚI ĐỀ XUẤT"),
            dash_list("x", "thay_doi"),
            para("DeMuc1", "IV. CÁC CHI BỘ CHƯA BÁO CÁO"),
            dash_list("x", "chua_bao_cao"),
            para(None, "{%p if phuong_huong %}"),
            para("DeMuc1", "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI"),
            dash_list("x", "phuong_huong"),
            para(None, "{%p endif %}"),
            para(
                "DoanKet",
                "Trên đây là báo cáo tổng hợp kết quả kiểm điểm, đánh giá, xếp loại chất lượng năm "
                "{{ nam }} của {{ ten_dang_bo }}.",
            ),
            layout.signature_block(),
        ]
    )
    return body, "Báo cáo tổng hợp kiểm điểm, đánh giá, xếp loại năm"


def ke_hoach_dang_uy(layout: Layout) -> tuple[str, str]:
    """Kế hoạch triển khai xây dựng mô hình “chi bộ bốn tốt” of the ward (KH/ĐU): the seed."""
    body = "".join(
        [
            layout.header_block(),
            layout.title_block("KẾ HOẠCH", "{{ trich_yeu }}"),
            para(
                "NoiDung",
                "Thực hiện {{ thuc_hien }}, {{ ten_dang_uy }} xây dựng kế hoạch triển khai mô hình "
                "“chi bộ bốn tốt”, cụ thể như sau:",
            ),
            para("DeMuc1", "I. MỤC ĐÍCH, YÊU CẦU"),
            para("DeMuc2", "1. Mục đích:"),
            dash_list("x", "muc_dich"),
            para("DeMuc2", "2. Yêu cầu:"),
            dash_list("x", "yeu_cau"),
            para("DeMuc1", "II. NỘI DUNG THỰC HIỆN"),
            para("DeMuc2", "1. Các tiêu chí cơ bản xây dựng mô hình “chi bộ bốn tốt”"),
            loop(
                "tc in tieu_chi",
                para(
                    "NoiDung",
                    Run("1.{{ loop.index }}. {{ tc.ten }}:", bold=True, italic=True),
                    " {{ tc.noi_dung }}",
                ),
            ),
            loop("x in ghi_chu_tieu_chi", para("NoiDung", "{{ x }}")),
            loop(
                "ng in neu_guong",
                para("DeMuc3", "* Trách nhiệm nêu gương của đảng viên ở {{ ng.doi_tuong }}:"),
                dash_list("x", "ng.noi_dung"),
            ),
            para("DeMuc2", "2. Giải pháp thực hiện việc xây dựng mô hình “chi bộ bốn tốt”"),
            loop(
                "gp in giai_phap",
                para("NoiDung", Run("2.{{ loop.index }}.", bold=True, italic=True), " {{ gp }}"),
            ),
            para("DeMuc1", "III. TỔ CHỨC THỰC HIỆN"),
            loop(
                "t in to_chuc_thuc_hien",
                para(None, "{%p if t.noi_dung|length == 1 %}"),
                para(
                    "NoiDung",
                    Run("{{ loop.index }}. {{ t.doi_tuong }}:", bold=True),
                    " {{ t.noi_dung[0] }}",
                ),
                para(None, "{%p else %}"),
                para("DeMuc2", "{{ loop.index }}. {{ t.doi_tuong }}:"),
                dash_list("x", "t.noi_dung"),
                para(None, "{%p endif %}"),
            ),
            loop(
                "x in ket_luan",
                para(None, "{%p if loop.last %}"),
                para("DoanKet", "{{ x }}"),
                para(None, "{%p else %}"),
                para("NoiDung", "{{ x }}"),
                para(None, "{%p endif %}"),
            ),
            layout.signature_block(),
        ]
    )
    return body, "Kế hoạch triển khai xây dựng mô hình “chi bộ bốn tốt” của Đảng ủy"


# The longest level, "Hoàn thành xuất sắc nhiệm vụ" (47.1 mm), and the header "Không tán
# thành" in bold (29.2 mm) on one line.
MINUTES_VOTE_COLUMNS: list[tuple[str, float, str, str]] = [
    ("STT", 8.5, "{{ r.stt }}", "center"),
    ("Họ và tên", 48, "{{ r.ho_ten }}", "left"),
    ("Mức xếp loại", 50.5, "{{ r.muc }}", "center"),
    ("Tán thành", 25, "{{ r.tan_thanh }}", "center"),
    ("Không tán thành", 33, "{{ r.khong_tan_thanh }}", "center"),
]


def bien_ban(layout: Layout) -> tuple[str, str]:
    """Biên bản họp chi bộ (BB/CB): the meeting adopting a resolution, or evaluating a
    quarter or the year. No place-date line; the minute-taker and the chair sign side by
    side (party-document-format §6)."""
    bb = layout.p.bien_ban
    body = "".join(
        [
            layout.header_block(date_line=bb.dong_dia_danh),
            layout.title_block(bb.ten_loai, "{{ trich_yeu }}"),
            para("NoiDung", Run("Thời gian: ", bold=True), "{{ thoi_gian }}."),
            para(None, "{%p if dia_diem %}"),
            para("NoiDung", Run("Địa điểm: ", bold=True), "{{ dia_diem }}."),
            para(None, "{%p endif %}"),
            para("DeMuc1", "I. THÀNH PHẦN"),
            para("NoiDung", "- Chủ trì: đồng chí {{ chu_tri }}, {{ chu_tri_chuc_vu }}."),
            para("NoiDung", "- Thư ký: đồng chí {{ thu_ky }}, {{ thu_ky_chuc_vu }}."),
            para(
                "NoiDung",
                "- Tổng số đảng viên của Chi bộ: {{ tong_so }} đồng chí; miễn, đình chỉ sinh hoạt: "
                "{{ mien }} đồng chí; số đảng viên phải dự họp: {{ phai_du }} đồng chí.",
            ),
            para(
                "NoiDung",
                "- Có mặt: {{ co_mat }} đồng chí, đạt {{ ty_le }} số đảng viên phải dự họp; "
                "vắng mặt: {{ so_vang }} đồng chí.",
            ),
            loop("v in vang_mat", para("NoiDung", "+ Đồng chí {{ v.ho_ten }}: {{ v.ly_do }}")),
            para(None, "{%p if khach_moi %}"),
            para("NoiDung", "- Khách mời:"),
            loop("k in khach_moi", para("NoiDung", "+ {{ k }}")),
            para(None, "{%p endif %}"),
            para("DeMuc1", "II. NỘI DUNG"),
            para("DeMuc2", "1. Chương trình hội nghị"),
            dash_list("x", "chuong_trinh"),
            para("DeMuc2", "2. Ý kiến thảo luận"),
            dash_list("x", "y_kien"),
            para("DeMuc2", "3. Kết quả biểu quyết"),
            dash_list("x", "bieu_quyet"),
            para(None, "{%p if co_xep_loai %}"),
            para("NoiDung", "Kết quả biểu quyết mức xếp loại của từng đảng viên:"),
            layout.data_table("r in xep_loai", MINUTES_VOTE_COLUMNS),
            para(None, "{%p endif %}"),
            para("DoanKet", "{{ ket_thuc }}"),
            layout.minutes_signature_block("{{ thu_ky }}", "{{ chu_tri }}"),
        ]
    )
    return body, "Biên bản họp chi bộ"


BUILDERS: dict[str, Callable[[Layout], tuple[str, str]]] = {
    "bien-ban.docx": bien_ban,
    "tong-hop-nam.docx": tong_hop_nam,
    "bao-cao-nam.docx": bao_cao_nam,
    "tong-hop-quy.docx": tong_hop_quy,
    "bao-cao-quy.docx": bao_cao_quy,
    "ke-hoach.docx": ke_hoach,
    "ke-hoach-dang-uy.docx": ke_hoach_dang_uy,
    "phan-cong-thong-bao.docx": phan_cong_thong_bao,
    "phan-cong-nghi-quyet.docx": phan_cong_nghi_quyet,
}


def build_template(name: str, layout: Layout) -> bytes:
    """Build the built-in template ``name`` (e.g. ``ke-hoach.docx``) as .docx bytes."""
    body, title = BUILDERS[name](layout)
    return layout.package(body, title)
