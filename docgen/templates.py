"""Where a document kind's template comes from: the override folder, else the built-in."""

from __future__ import annotations

from pathlib import Path

from docgen.resources import builtin_dir

__all__ = ["BUILTIN_DIR", "locate_template"]

BUILTIN_DIR = builtin_dir("templates")


def locate_template(name: str, override_dir: Path | None = None) -> Path:
    """The template file ``name``: from ``override_dir`` if it holds one, else built-in."""
    if override_dir is not None:
        candidate = override_dir / name
        if candidate.is_file():
            return candidate
    return BUILTIN_DIR / name
