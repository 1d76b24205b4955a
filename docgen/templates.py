"""Where a document kind's template comes from: the override folder, else the built-in;
and :class:`Renderer`, which checks and compiles each template once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from docgen.errors import TemplateError, os_reason
from docgen.lint import compile_checked
from docgen.render import CompiledTemplate, sandboxed_env
from docgen.resources import builtin_dir

__all__ = ["BUILTIN_DIR", "Renderer", "locate_template"]

BUILTIN_DIR = builtin_dir("templates")


def locate_template(name: str, override_dir: Path | None = None) -> Path:
    """The template file ``name``: from ``override_dir`` if it holds one, else built-in."""
    if override_dir is not None:
        candidate = override_dir / name
        if candidate.is_file():
            return candidate
    return BUILTIN_DIR / name


@dataclass
class Renderer:
    """Checks and compiles each template once per process, renders many documents with it
    (the cache above docgen/render.py's CompiledTemplate).

    The check (docgen/lint.py, the same as ``docgen templates check``) runs when a
    template is first compiled, built-in ones included: a template with errors is
    refused before anything renders. ``check=False`` skips it (benchmarks only).
    """

    env: jinja2.Environment = field(default_factory=sandboxed_env)
    check: bool = True
    _cache: dict[tuple[Path, float, int], CompiledTemplate] = field(default_factory=dict)

    def template(self, path: Path, display: str | None = None) -> CompiledTemplate:
        """The compiled template at ``path`` (recompiled only when the file changed).

        Raises:
            TemplateCheckError: the template fails the check (every error listed).
            TemplateError: the file is missing.
        """
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise TemplateError(display or path.name, "không tìm thấy tệp mẫu") from None
        except OSError as exc:
            raise TemplateError(
                display or path.name, f"không đọc được tệp mẫu ({os_reason(exc)})"
            ) from None
        key = (path.resolve(), stat.st_mtime, stat.st_size)
        cached = self._cache.get(key)
        if cached is None:
            if self.check:
                # The built-ins' layout is the profile's by construction (tests hold it);
                # only the ward office's copies get the layout comparison.
                builtin = path.resolve().parent == BUILTIN_DIR.resolve()
                cached = compile_checked(path, self.env, display, layout=not builtin)
            else:
                cached = CompiledTemplate.load(path, self.env, display)
            self._cache[key] = cached
        return cached
