"""A synthetic ward for batch tests and benchmarks: N cells of M members each.

Every cell has a roster, a task assignment (one task per member), and the third
quarter's facts; the ward has its quarterly summary file. With ``annual=True`` it has
what the annual batch needs too: every cell's four quarters and annual review
(``nam.yaml``), the ward's four quarterly summaries and its annual summary
(``tong-hop-nam.yaml``). The wording comes from the sample workspace so the documents
look like real ones.
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


def _sample(relative: str) -> dict:
    loaded = yaml.safe_load((SAMPLE / relative).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _quarter_facts(template: dict, members: int, nam: int, quy: int) -> dict:
    """A quarter's facts for a cell of ``members``: the sample cell's wording, three
    regular meetings and one on a topic inside the quarter, everyone paid and scored."""
    month = 3 * quy
    facts = dict(template)
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
    return facts


def _annual_review(members: int) -> dict:
    """A cell's annual review (``nam.yaml``): the sample cell's wording; its members'
    annual scores left to the quarters' average, but for one member's typed scores (and
    a level the synthetic tasks allow: none exceeds its target)."""
    review = _sample("chi-bo/co-quan-phuong/2026/nam.yaml")
    review["bao_cao_nam"]["dang_vien"] = [
        dict(d, de_xuat="tot")
        for d in review["bao_cao_nam"].get("dang_vien", [])
        if int(d["ma"][2:]) <= members
    ]
    return review


def _annual_summary(ids: list[str], members: int) -> dict:
    """The ward's annual summary: the sample's wording; the committee's decision
    (``cong_nhan``) on the first cells with the sample's levels, and on one member."""
    summary = _sample("2026/tong-hop-nam.yaml")
    decided = summary["tong_hop_nam"].get("cong_nhan", {})
    levels = [entry["muc"] for entry in decided.get("chi_bo", [])]
    decided["chi_bo"] = [{"chi_bo": c, "muc": m} for c, m in zip(ids, levels, strict=False)]
    decided["dang_vien"] = [
        dict(entry, chi_bo=ids[min(1, len(ids) - 1)])
        for entry in decided.get("dang_vien", [])
        if int(entry["dang_vien"][2:]) <= members
    ]
    return summary


def build_ward(
    root: Path, cells: int, members: int, *, nam: int = 2026, quy: int = 3, annual: bool = False
) -> Path:
    """Write a workspace under ``root`` and return its folder (``root/data``).

    ``annual``: also every cell's four quarters and annual review, and the ward's four
    quarterly summaries and annual summary (what ``docgen batch --nam`` needs).
    """
    ws = root / "data"
    if ws.exists():
        shutil.rmtree(ws)
    ws.mkdir(parents=True)
    ward = yaml.safe_load((SAMPLE / "dang-bo.yaml").read_text(encoding="utf-8"))
    ids = [f"chi-bo-{i:03d}" for i in range(1, cells + 1)]
    ward["dang_bo"]["chi_bo"] = ids
    ward["cai_dat"] = {"bo_quy_tac": "qd366-2025", "vuot_han_muc": "dang_uy_quyet_dinh"}
    _dump(ws / "dang-bo.yaml", ward)
    quarters = [1, 2, 3, 4] if annual else [quy]
    for q in quarters:
        _dump(ws / str(nam) / f"tong-hop-quy-{q}.yaml", _sample(f"2026/tong-hop-quy-{q}.yaml"))
    if annual:
        _dump(ws / str(nam) / "tong-hop-nam.yaml", _annual_summary(ids, members))
    sample_quarters = {q: _sample(f"chi-bo/co-quan-phuong/2026/quy-{q}.yaml")["bao_cao_quy"] for q in quarters}
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
        for q in quarters:
            facts = _quarter_facts(sample_quarters[q], members, nam, q)
            _dump(folder / str(nam) / f"quy-{q}.yaml", {"bao_cao_quy": facts})
        if annual:
            _dump(folder / str(nam) / "nam.yaml", _annual_review(members))
    return ws
