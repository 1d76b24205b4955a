"""Templates cannot exhaust memory (issue 20, finding 2): every value's size is checked
before it is built, one document's render has an allocation budget, running out of memory
is a located error, and a batch's workers run under an address-space limit.

Each case runs the real command line under tests/bounded.py: refused (exit 1), located in
Vietnamese, no traceback, and small while refusing (peak under PEAK_LIMIT_MB)."""

from __future__ import annotations

import resource
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from docgen import batch
from docgen.render import MAX_ALLOCATED, CompiledTemplate, sandboxed_env
from docgen.templates import BUILTIN_DIR
from tests.bounded import PEAK_LIMIT_MB, run_bounded
from tests.wordedit import edit_document, replace

RENDER = ["render", "ke-hoach", "--nam", "2026", "--chi-bo", "to-dan-pho-5", "--templates", "data/mau"]
PLACE = "Lỗi: mẫu data/mau/ke-hoach.docx: đoạn 15 «"
NESTED = (
    "{% set ns = namespace(x=[]) %}{% for i in range(N) %}"
    "{% set ns.x = [ns.x, 'a' * 100000] %}{% endfor %}"
)


def hostile(sample_ws: Path, expression: str) -> Path:
    """The workspace's folder, with ke-hoach.docx overridden by a copy running ``expression``."""
    (sample_ws / "mau").mkdir()
    shutil.copy(BUILTIN_DIR / "ke-hoach.docx", sample_ws / "mau" / "ke-hoach.docx")
    edit_document(sample_ws / "mau" / "ke-hoach.docx", replace("cụ thể như sau:", expression))
    return sample_ws.parent


CASES = {
    # 2.49 GB before being refused on main: the size was checked after the call
    "ljust": ("{{ 'a'.ljust(2500000000) }}", "mẫu gọi hàm với số quá lớn (tối đa 10.000.000)"),
    "center": ("{{ 'a'.center(9999999)|length }}{{ 'a'.center(9999999)|length }}" * 8,
               "tổng cộng quá 150 MB trong một văn bản"),
    "expandtabs": ("{{ ('\t' * 100000).expandtabs(10000)|length }}", "chuỗi quá dài"),
    "replace-count": ("{{ ('a' * 100000).replace('a', 'b' * 10000, 100000)|length }}", "chuỗi quá dài"),
    "bytes-repeat": ("{{ ('a'.encode() * 1000000000)|length }}", "chuỗi hoặc danh sách quá dài"),
    "to-bytes": ("{{ (1).to_bytes(2000000000, 'big')|length }}", "mẫu gọi hàm với số quá lớn"),
    "list-plus": (
        "{% set ns = namespace(x=[1]) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}"
        "{% endfor %}{{ ns.x|length }}",
        "phép cộng tạo ra danh sách quá dài",
    ),
    # 2.0 GB on main, and issued
    "nested-lists": (NESTED.replace("N", "20000"), "tổng cộng quá 150 MB trong một văn bản"),
    # a MemoryError traceback on main
    "nested-lists-100000": (NESTED.replace("N", "100000"), "tổng cộng quá 150 MB trong một văn bản"),
    # literals alone, no operator: the list literal is counted
    "nested-literals": (
        "{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% for j in range(100) %}"
        "{% set y = ns.x %}{% set ns.x = [" + ", ".join(["y"] * 200) + "] %}{% endfor %}{% endfor %}",
        "tổng cộng quá 150 MB trong một văn bản",
    ),
    # {% set %} blocks doubling text
    "set-block": (
        "{% set ns = namespace(x='a' * 1000) %}{% for i in range(100000) %}"
        "{% set y %}{{ ns.x }}{{ ns.x }}{% endset %}{% set ns.x = y[:5000000] %}{% endfor %}",
        "tổng cộng quá 150 MB trong một văn bản",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_a_template_cannot_exhaust_memory(sample_ws: Path, name: str) -> None:
    expression, message = CASES[name]
    result = run_bounded(RENDER, hostile(sample_ws, expression), memory_mb=3000, timeout=90)
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(PLACE), first
    assert message in first
    assert result.peak_mb < PEAK_LIMIT_MB, result.peak_mb
    assert not (sample_ws.parent / "output").exists()


@pytest.mark.slow
def test_running_out_of_memory_is_a_located_error(sample_ws: Path) -> None:
    # Under a ceiling below the budget, the nested lists raise MemoryError in the template:
    # a located message, the memory given back (main: a traceback in what followed).
    result = run_bounded(RENDER, hostile(sample_ws, NESTED.replace("N", "100000")), memory_mb=170)
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(PLACE), first
    assert "mẫu dùng quá nhiều bộ nhớ (máy không đủ bộ nhớ để làm văn bản này), đã dừng" in first
    assert result.peak_mb < PEAK_LIMIT_MB


def test_real_documents_are_far_under_the_budget() -> None:
    # The budget leaves real documents untouched: every built-in template, with its
    # sample context, counts under 1 MB (their tags print data: nothing is counted).
    from docgen.contract import CONTRACTS, contract_for
    from docgen.render import _BUDGET, _Budget

    env = sandboxed_env()
    for name in CONTRACTS:
        compiled = CompiledTemplate.load(BUILTIN_DIR / name, env)
        budget = _Budget()
        token = _BUDGET.set(budget)
        try:
            compiled._render(contract_for(name).sample_context(), None)  # type: ignore[union-attr]
        finally:
            _BUDGET.reset(token)
        assert budget.allocated < 1_000_000 < MAX_ALLOCATED, (name, budget.allocated)
        assert budget.output > 0


def _address_space_limit() -> int:
    return resource.getrlimit(resource.RLIMIT_AS)[0]


def test_batch_workers_run_under_an_address_space_limit(sample_ws: Path, tmp_path: Path) -> None:
    job = batch._Job(sample_ws, tmp_path / "out", 2026, 3, None, ("bao-cao-quy",))
    with ProcessPoolExecutor(1, initializer=batch._init_pool_worker, initargs=(job,)) as pool:
        limit = pool.submit(_address_space_limit).result()
    assert limit == batch.WORKER_MEMORY
    assert _address_space_limit() != batch.WORKER_MEMORY  # the main process is not limited
