"""The kinds table: every document kind declared in one place.

One :class:`KindSpec` per kind says everything the rest of docgen needs to know about
it: its name on the command line and its description, where its implementation, its
model and its template contract are, the files it reads, its templates and their type
codes, its scope and period, and its role in ``docgen batch``. The CLI's choices
(``KIND_NAMES``), ``get_kind``, the template contracts (``docgen.contract.CONTRACTS``),
the batch's period kinds and the checks of ``tests/test_kinds.py`` all derive from it.

This module imports nothing of docgen, so the CLI's help stays fast: implementations
are imported by name when first used.

**Adding a kind** (see docs/architecture.md, "Thêm một loại văn bản"): its model in
``docgen/models/``, its module in ``docgen/documents/`` (a ``DocumentKind`` subclass
with ``prepare``, and ``CONTRACTS``, one ``TemplateContract`` per template), its
template in ``templates/docx/`` (and its builder in ``docgen/layout/kinds.py``), one
entry below, sample data under ``data/``, a golden file under ``tests/golden/``, and
its keys in ``docs/vocabulary.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["KINDS", "KindSpec", "Period", "Scope", "batch_kinds", "kind_spec"]

Scope = Literal["chi_bo", "dang_bo"]  # one document per cell, or per ward
Period = Literal["nam", "quy"]  # yearly, or one per quarter (``--quy`` required)


@dataclass(frozen=True)
class KindSpec:
    """What docgen knows about one document kind.

    Attributes:
        name: The name on the command line (``docgen render ke-hoach``).
        description: One line in Vietnamese for the command's help.
        module: The module implementing it: a ``DocumentKind`` subclass (``cls``) and
            ``CONTRACTS``, the contract of each of its templates.
        cls: The ``DocumentKind`` subclass in ``module``.
        model: The module of its data model (``docgen/models/<x>.py``).
        input_model: The class in ``model`` of the file it reads (``KeHoachFile``), or
            None when it has no file of its own (the minutes read other kinds' files).
        reads: Its own input file(s) in the year folder (a glob), or None.
        also_reads: The kinds whose input files it reads too (the minutes read the
            meetings typed in the resolutions, the quarters and the year).
        templates: Its template files, each with the type code of its documents' number
            (``{"ke-hoach.docx": "KH"}``).
        scope: ``chi_bo`` (one per cell, input in ``data/chi-bo/<cell>/<year>/``) or
            ``dang_bo`` (one per ward, input in ``data/<year>/``).
        period: ``nam`` (yearly) or ``quy`` (per quarter: ``--quy`` is required).
        batch: ``docgen batch`` issues it for its period (the cells' reports, then the
            ward's summary).
        summarises: For a ward summary: the cell kind whose computed facts it reuses
            (``Prepared.facts``); its ``prepare`` then accepts ``known``.
    """

    name: str
    description: str
    module: str
    cls: str
    model: str
    input_model: str | None
    reads: str | None
    templates: Mapping[str, str]
    also_reads: tuple[str, ...] = ()
    scope: Scope = "chi_bo"
    period: Period = "nam"
    batch: bool = False
    summarises: str | None = None

    @property
    def needs_quarter(self) -> bool:
        return self.period == "quy"

    @property
    def template(self) -> str:
        """The kind's one template (a kind with several names them itself)."""
        (only,) = self.templates
        return only

    @property
    def type_code(self) -> str:
        """The type code of the kind's one template."""
        return self.templates[self.template]

    @property
    def input_file(self) -> str:
        """The kind's one input file (``reads`` without a wildcard)."""
        if self.reads is None or "*" in self.reads:
            raise ValueError(f"{self.name} reads no single file: {self.reads!r}")
        return self.reads


_DOCS = "docgen.documents."
_MODELS = "docgen.models."

KINDS: tuple[KindSpec, ...] = (
    KindSpec(
        name="ke-hoach",
        description="Kế hoạch xây dựng “chi bộ bốn tốt” năm của chi bộ (KH/CB)",
        module=_DOCS + "ke_hoach",
        cls="KeHoachKind",
        model=_MODELS + "plan",
        input_model="KeHoachFile",
        reads="ke-hoach.yaml",
        templates={"ke-hoach.docx": "KH"},
    ),
    KindSpec(
        name="phan-cong",
        description="Thông báo (TB/CB) hoặc Nghị quyết (NQ/CB) phân công nhiệm vụ cho đảng viên",
        module=_DOCS + "phan_cong",
        cls="PhanCongKind",
        model=_MODELS + "tasks",
        input_model="PhanCongFile",
        reads="phan-cong*.yaml",
        templates={"phan-cong-thong-bao.docx": "TB", "phan-cong-nghi-quyet.docx": "NQ"},
    ),
    KindSpec(
        name="bao-cao-quy",
        description="Báo cáo kết quả xây dựng “chi bộ bốn tốt” quý của chi bộ (BC/CB); cần --quy",
        module=_DOCS + "bao_cao_quy",
        cls="BaoCaoQuyKind",
        model=_MODELS + "quarter",
        input_model="BaoCaoQuyFile",
        reads="quy-*.yaml",
        templates={"bao-cao-quy.docx": "BC"},
        period="quy",
        batch=True,
    ),
    KindSpec(
        name="bao-cao-nam",
        description="Báo cáo kiểm điểm, đánh giá, xếp loại chất lượng năm của chi bộ (BC/CB)",
        module=_DOCS + "bao_cao_nam",
        cls="BaoCaoNamKind",
        model=_MODELS + "annual",
        input_model="BaoCaoNamFile",
        reads="nam.yaml",
        templates={"bao-cao-nam.docx": "BC"},
        batch=True,
    ),
    KindSpec(
        name="tong-hop-quy",
        description="Báo cáo tổng hợp quý của Đảng ủy phường về mọi chi bộ (BC/ĐU); cần --quy",
        module=_DOCS + "tong_hop_quy",
        cls="TongHopQuyKind",
        model=_MODELS + "ward",
        input_model="TongHopQuyFile",
        reads="tong-hop-quy-*.yaml",
        templates={"tong-hop-quy.docx": "BC"},
        scope="dang_bo",
        period="quy",
        batch=True,
        summarises="bao-cao-quy",
    ),
    KindSpec(
        name="tong-hop-nam",
        description="Báo cáo tổng hợp kiểm điểm, xếp loại năm của Đảng ủy phường (BC/ĐU)",
        module=_DOCS + "tong_hop_nam",
        cls="TongHopNamKind",
        model=_MODELS + "ward",
        input_model="TongHopNamFile",
        reads="tong-hop-nam.yaml",
        templates={"tong-hop-nam.docx": "BC"},
        scope="dang_bo",
        batch=True,
        summarises="bao-cao-nam",
    ),
    KindSpec(
        name="ke-hoach-dang-uy",
        description="Kế hoạch triển khai xây dựng mô hình “chi bộ bốn tốt” của Đảng ủy phường (KH/ĐU)",
        module=_DOCS + "ke_hoach_dang_uy",
        cls="KeHoachDangUyKind",
        model=_MODELS + "ward",
        input_model="KeHoachDangUyFile",
        reads="ke-hoach-dang-uy.yaml",
        templates={"ke-hoach-dang-uy.docx": "KH"},
        scope="dang_bo",
    ),
    KindSpec(
        name="bien-ban",
        description="Biên bản họp chi bộ (BB/CB): thông qua nghị quyết, đánh giá quý, kiểm điểm năm",
        module=_DOCS + "bien_ban",
        cls="BienBanKind",
        model=_MODELS + "meeting",
        input_model=None,  # the meetings typed in the resolutions, the quarters and the year
        reads=None,
        also_reads=("phan-cong", "bao-cao-quy", "bao-cao-nam"),
        # BB is the format profile's code for BIÊN BẢN (loai_van_ban), which wins.
        templates={"bien-ban.docx": "BB"},
    ),
)

_BY_NAME: dict[str, KindSpec] = {k.name: k for k in KINDS}


def kind_spec(name: str) -> KindSpec:
    """The entry of the kind called ``name`` (KeyError if there is none)."""
    return _BY_NAME[name]


def batch_kinds(period: Period) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds ``docgen batch`` issues for a period: (per cell, then of the ward)."""
    chosen = [k for k in KINDS if k.batch and k.period == period]
    return (
        tuple(k.name for k in chosen if k.scope == "chi_bo"),
        tuple(k.name for k in chosen if k.scope == "dang_bo"),
    )
