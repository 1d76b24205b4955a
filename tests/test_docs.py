"""The docs stay true to the code: every key and template variable is in the glossary,
every command is in the README."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from docgen.cli import cli
from docgen.models import annual, meeting, org, plan, profile, quarter, rules, tasks, ward
from docgen.render import CompiledTemplate, sandboxed_env
from docgen.templates import BUILTIN_DIR
from tests.conftest import REPO

VOCAB = (REPO / "docs" / "vocabulary.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")


def model_fields() -> set[str]:
    names: set[str] = set()
    for module in (org, plan, profile, tasks, quarter, ward, rules, annual, meeting):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__:
                names |= set(obj.model_fields)
    return names


@pytest.mark.parametrize("name", sorted(model_fields()))
def test_every_yaml_key_is_in_the_glossary(name: str) -> None:
    assert f"`{name}`" in VOCAB


@pytest.mark.parametrize("template", sorted(p.name for p in BUILTIN_DIR.glob("*.docx")))
def test_every_template_variable_is_in_the_glossary(template: str) -> None:
    compiled = CompiledTemplate.load(BUILTIN_DIR / template, sandboxed_env())
    for var in compiled.variables():
        assert f"`{var}`" in VOCAB, var


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert re.search(rf"docgen {command}\b", README)
