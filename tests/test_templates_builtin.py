"""The committed built-in templates are exactly what the layout engine builds."""

from __future__ import annotations

import pytest

from docgen.layout.engine import Layout
from docgen.layout.kinds import BUILDERS, build_template
from docgen.resources import profile
from docgen.templates import BUILTIN_DIR


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builtin_template_is_up_to_date(name: str) -> None:
    built = build_template(name, Layout(profile()))
    committed = (BUILTIN_DIR / name).read_bytes()
    assert built == committed, f"run: python tools/build_templates.py (then commit {name})"


def test_every_builder_has_a_template_and_back() -> None:
    assert {p.name for p in BUILTIN_DIR.glob("*.docx")} == set(BUILDERS)
