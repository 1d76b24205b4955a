"""Document kinds, declared in the kinds table (docgen/documents/kinds.py).

Names and one-line descriptions come from the table without importing the
implementations, so the CLI's help stays fast; :func:`get_kind` imports a kind on
first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from docgen.documents.kinds import KINDS, kind_spec

if TYPE_CHECKING:
    from docgen.documents.base import DocumentKind

__all__ = ["KIND_NAMES", "get_kind"]

KIND_NAMES: dict[str, str] = {k.name: k.description for k in KINDS}


def get_kind(name: str) -> DocumentKind:
    """The document kind called ``name`` (a key of KIND_NAMES)."""
    spec = kind_spec(name)
    kind: DocumentKind = getattr(import_module(spec.module), spec.cls)(spec)
    return kind
