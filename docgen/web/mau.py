"""PLACEHOLDER: filled by its own change of issue 15."""

from __future__ import annotations

from starlette.routing import Route

__all__ = ["routes"]


def routes() -> list[Route]:
    """The routes of this part of the application (each made with docgen.web.access.route)."""
    return []
