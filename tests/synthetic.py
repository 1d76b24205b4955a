"""A synthetic ward for batch tests and benchmarks: N cells of M members each.

Every cell has a roster, a task assignment (one task per member), and the third
quarter's facts; the ward has its quarterly summary file. The wording comes from
the sample workspace so the documents look like real ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

SAMPLE = Path(__file__).resolve().parent.parent / "data"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Hồng", "Đức", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Oanh", "Phúc", "Quân", "Sơn", "Thảo", "Vinh"]
TYPES = ["dia_ban_dan_cu", "truong_hoc", "co_quan", "cong_an"]


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build_ward(root: Path, cells: int, members: int, *, nam: int = 2026, quy: int = 3) -> Path:
    """Write a workspace under ``root`` and return its folder (``root/data``)."""
    ws = root / "data"
    if ws.exists():
        shutil.rmtree(ws)
    ws.mkdir(parents=True)
    ward = yaml.safe_load((SAMPLE / "dang-bo.yaml").read_text(encoding="utf-8"))
    ids = [f"chi-bo-{i:03d}" for i in range(1, cells + 1)]
    ward["dang_bo"]["chi_bo"] = ids
    ward["cai_dat"] = {"bo_quy_tac": "qd366-2025", "vuot_han_muc": "dang_uy_quyet_dinh"}
    _dump(ws / "dang-bo.yaml", ward)
    summary = yaml.safe_load((SAMPLE / "2026" / f"tong-hop-quy-{quy}.yaml").read_text(encoding="utf-8"))
    _dump(ws / str(nam) / f"tong-hop-quy-{quy}.yaml", summary)
    quarter = yaml.safe_load(
        (SAMPLE / "chi-bo/co-quan-phuong/2026" / f"quy-{quy}.yaml").read_text(encoding="utf-8")
    )["bao_cao_quy"]
    month = 3 * quy
    for n, cell_id in enumerate(ids):
        folder = ws / "chi-bo" / cell_id
        roster = []
        for k in range(1, members + 1):
            roster.append(
                {
                    "ma": f"dv{k:02d}",
                    "ho_ten": f"{FAMILY[(n + k) % len(FAMILY)]} {MIDDLE[k % len(MIDDLE)]} "
                    f"{GIVEN[(n * 7 + k) % len(GIVEN)]}",
                    "gioi_tinh": "nam" if k % 2 else "nu",
                    "nam_sinh": 1950 + (n + k) % 30,
                    "loai_dang_vien": "chinh_thuc",
                    "ngay_vao_dang": f"{2000 + k % 20}-0{1 + k % 9}-15",
                    "chuc_vu": "Đảng viên",
                }
            )
        _dump(folder / "dang-vien.yaml", {"dang_vien": roster})
        _dump(
            folder / "chi-bo.yaml",
            {
                "chi_bo": {
                    "ten": f"Chi bộ Tổ dân phố số {n + 1}",
                    "loai_chi_bo": TYPES[n % len(TYPES)],
                    "bi_thu": "dv01",
                    "pho_bi_thu": "dv02",
                    "chi_uy_vien": ["dv03"],
                }
            },
        )
        tasks = [
            {
                "dang_vien": f"dv{k:02d}",
                "noi_dung": "Vận động các hộ gia đình giữ gìn vệ sinh môi trường, phân loại rác tại nguồn",
                "dia_ban": f"Nhóm hộ dân cư số {k}",
                "san_pham": "Ngõ sạch, không có điểm tập kết rác tự phát",
                "thoi_han": f"{nam}-{month:02d}-20",
                "trang_thai": "hoan_thanh",
                "ngay_hoan_thanh": f"{nam}-{month:02d}-10",
            }
            for k in range(1, members + 1)
        ]
        _dump(
            folder / str(nam) / "phan-cong.yaml",
            {"phan_cong_nhiem_vu": {"so": 1, "ngay_ban_hanh": f"{nam}-01-15", "nhiem_vu": tasks}},
        )
        facts = dict(quarter)
        facts["buoi_sinh_hoat"] = [
            {"ngay": f"{nam}-{m:02d}-05", "co_mat": members - (m % 2)}
            for m in range(month - 2, month + 1)
        ] + [{"ngay": f"{nam}-{month - 1:02d}-20", "loai": "chuyen_de", "chu_de": "Văn hóa công vụ", "co_mat": members}]
        facts["dang_phi"] = {"so_phai_dong": members, "so_da_dong": members}
        facts["dang_vien"] = [
            {"ma": f"dv{k:02d}", "diem_chung": 26, "diem_nhiem_vu": 56 + k % 8, "tu_nhan": "tot"}
            for k in range(1, members + 1)
        ]
        facts.pop("ky_luat", None)
        facts.pop("don_thu", None)
        _dump(folder / str(nam) / f"quy-{quy}.yaml", {"bao_cao_quy": facts})
    return ws
