"""Try changes to a workspace before making them: ``docgen init`` and ``docgen roster
import`` write files only when the cell they touch still passes ``docgen check``.

The workspace's YAML files are copied to a temporary folder, the changes applied
there and the cell checked; problems are reported with the real paths, as if the
files had been written. Nothing is written to the workspace here.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from docgen.errors import InputError, Problem, display_path
from docgen.pipeline import CheckReport, check_cell
from docgen.workspace import load_workspace

__all__ = ["try_changes"]


def _relocated(problem: Problem, tmp: str, real: str) -> Problem:
    def fix(text: str | None) -> str | None:
        return text.replace(tmp, real) if text else text

    return dataclasses.replace(
        problem, file=fix(problem.file), message=fix(problem.message) or "", hint=fix(problem.hint)
    )


def try_changes(root: Path, changes: dict[Path, bytes], cell_id: str) -> CheckReport:
    """Check cell ``cell_id`` of the workspace at ``root`` as it would be after ``changes``
    (files relative to ``root``, whole new contents).

    Raises:
        InputError: the problems the cell would have, located in the real files.
        UsageError: the result would not be a workspace (no dang-bo.yaml).
    """
    with tempfile.TemporaryDirectory(prefix="docgen-thu-") as tmp:
        trial = Path(tmp) / "data"
        if root.is_dir():
            shutil.copytree(root, trial, ignore=shutil.ignore_patterns("*.docx", "*.xlsx", "*.pdf", ".*"))
        else:
            trial.mkdir()
        for rel, data in changes.items():
            target = trial / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        real = display_path(root)
        shown = display_path(trial)
        try:
            return check_cell(load_workspace(trial), cell_id)
        except InputError as exc:
            raise InputError([_relocated(p, shown, real) for p in exc.problems]) from None
