"""docgen: the paperwork of a Party cell ("chi bộ bốn tốt") from YAML to .docx.

The public API is small: load a workspace, prepare documents, render them. The
CLI (docgen.cli) is a thin layer over these functions.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
