"""Document kinds. The registry maps a kind's name to its implementation.

Names and one-line descriptions live here without importing the implementations,
so the CLI's help stays fast; :func:`get_kind` imports a kind on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docgen.documents.base import DocumentKind

__all__ = ["KIND_NAMES", "get_kind"]

# name -> (module, class, Vietnamese description)
_REGISTRY: dict[str, tuple[str, str, str]] = {
    "ke-hoach": (
        "docgen.documents.ke_hoach",
        "KeHoachKind",
        "Kế hoạch xây dựng “chi bộ bốn tốt” năm của chi bộ (KH/CB)",
    ),
    "phan-cong": (
        "docgen.documents.phan_cong",
        "PhanCongKind",
        "Thông báo (TB/CB) hoặc Nghị quyết (NQ/CB) phân công nhiệm vụ cho đảng viên",
    ),
    "bao-cao-quy": (
        "docgen.documents.bao_cao_quy",
        "BaoCaoQuyKind",
        "Báo cáo kết quả xây dựng “chi bộ bốn tốt” quý của chi bộ (BC/CB); cần --quy",
    ),
    "bao-cao-nam": (
        "docgen.documents.bao_cao_nam",
        "BaoCaoNamKind",
        "Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng năm của chi bộ (BC/CB)",
    ),
    "tong-hop-quy": (
        "docgen.documents.tong_hop_quy",
        "TongHopQuyKind",
        "Báo cáo tổng hợp quý của Đảng ủy phường về mọi chi bộ (BC/ĐU); cần --quy",
    ),
    "tong-hop-nam": (
        "docgen.documents.tong_hop_nam",
        "TongHopNamKind",
        "Báo cáo tổng hợp kiểm điểm, xếp loại năm của Đảng ủy phường (BC/ĐU)",
    ),
    "ke-hoach-dang-uy": (
        "docgen.documents.ke_hoach_dang_uy",
        "KeHoachDangUyKind",
        "Kế hoạch triển khai xây dựng mô hình “chi bộ bốn tốt” của Đảng ủy phường (KH/ĐU)",
    ),
    "bien-ban": (
        "docgen.documents.bien_ban",
        "BienBanKind",
        "Biên bản họp chi bộ (BB/CB): thông qua nghị quyết, đánh giá quý, kiểm điểm năm",
    ),
}

KIND_NAMES: dict[str, str] = {name: entry[2] for name, entry in _REGISTRY.items()}


def get_kind(name: str) -> DocumentKind:
    """The document kind called ``name`` (a key of KIND_NAMES)."""
    module, cls, _ = _REGISTRY[name]
    kind: DocumentKind = getattr(import_module(module), cls)()
    return kind
