"""docgen: the paperwork of a Party cell ("chi bộ bốn tốt") from YAML to .docx.

The public API (``__all__``): load a workspace, check it, render documents or a whole
period, evaluate a cell's quarter or year, read the register, and the commands' other
work (new cells, rosters, templates, the layout audit). Nothing here prints, exits or
imports click; errors are :class:`DocgenError` subclasses. The command line
(``docgen.cli``) is a thin layer over these functions.

The names are loaded on first use (PEP 562), so ``import docgen`` and ``docgen --help``
stay fast::

    import docgen

    ws = docgen.load_workspace("data")
    docgen.check_workspace(ws)
    result = docgen.render_documents(ws, ["bao-cao-quy"], year=2026, quarter=3, output_root=out)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from docgen._version import __version__

# public name -> the module that owns it
_API: dict[str, str] = {
    "load_workspace": "docgen.workspace",
    "Workspace": "docgen.workspace",
    "check_workspace": "docgen.pipeline",
    "CheckReport": "docgen.pipeline",
    "render_documents": "docgen.pipeline",
    "Result": "docgen.pipeline",
    "run_batch": "docgen.batch",
    "BatchResult": "docgen.batch",
    "task_progress_report": "docgen.progress",
    "ProgressReport": "docgen.progress",
    "evaluate_quarter": "docgen.progress",
    "evaluate_year": "docgen.progress",
    "read_register": "docgen.register",
    "export_register": "docgen.register",
    "Entry": "docgen.register",
    "init_cell": "docgen.scaffold",
    "CellAnswers": "docgen.scaffold",
    "WardAnswers": "docgen.scaffold",
    "new_period_file": "docgen.newfiles",
    "import_roster": "docgen.roster",
    "export_roster": "docgen.roster",
    "write_roster_template": "docgen.roster",
    "fix_text": "docgen.fixtext",
    "FixTextResult": "docgen.fixtext",
    "audit_documents": "docgen.audit",
    "AuditReport": "docgen.audit",
    "list_templates": "docgen.templates",
    "export_templates": "docgen.templates",
    "check_templates": "docgen.templates",
    "open_accounts": "docgen.accounts",
    "KIND_NAMES": "docgen.documents",
    "open_history": "docgen.history",
    "History": "docgen.history",
    "backup_workspace": "docgen.backup",
    "BackupResult": "docgen.backup",
    "restore_backup": "docgen.backup",
    "RestoreResult": "docgen.backup",
    "DocgenError": "docgen.errors",
    "InputError": "docgen.errors",
    "TemplateError": "docgen.errors",
    "TemplateCheckError": "docgen.errors",
    "OutputError": "docgen.errors",
    "UsageError": "docgen.errors",
    "Problem": "docgen.errors",
}

__all__ = [
    "__version__",
    "load_workspace",
    "Workspace",
    "check_workspace",
    "CheckReport",
    "render_documents",
    "Result",
    "run_batch",
    "BatchResult",
    "task_progress_report",
    "ProgressReport",
    "evaluate_quarter",
    "evaluate_year",
    "read_register",
    "export_register",
    "Entry",
    "init_cell",
    "CellAnswers",
    "WardAnswers",
    "new_period_file",
    "import_roster",
    "export_roster",
    "write_roster_template",
    "fix_text",
    "FixTextResult",
    "audit_documents",
    "AuditReport",
    "list_templates",
    "export_templates",
    "check_templates",
    "open_accounts",
    "KIND_NAMES",
    "open_history",
    "History",
    "backup_workspace",
    "BackupResult",
    "restore_backup",
    "RestoreResult",
    "DocgenError",
    "InputError",
    "TemplateError",
    "TemplateCheckError",
    "OutputError",
    "UsageError",
    "Problem",
]
# (a test checks that __all__ and _API name the same things)

if TYPE_CHECKING:
    from docgen.accounts import open_accounts
    from docgen.audit import AuditReport, audit_documents
    from docgen.backup import BackupResult, RestoreResult, backup_workspace, restore_backup
    from docgen.batch import BatchResult, run_batch
    from docgen.documents import KIND_NAMES
    from docgen.errors import (
        DocgenError,
        InputError,
        OutputError,
        Problem,
        TemplateCheckError,
        TemplateError,
        UsageError,
    )
    from docgen.fixtext import FixTextResult, fix_text
    from docgen.history import History, open_history
    from docgen.newfiles import new_period_file
    from docgen.pipeline import CheckReport, Result, check_workspace, render_documents
    from docgen.progress import (
        ProgressReport,
        evaluate_quarter,
        evaluate_year,
        task_progress_report,
    )
    from docgen.register import Entry, export_register, read_register
    from docgen.roster import export_roster, import_roster, write_roster_template
    from docgen.scaffold import CellAnswers, WardAnswers, init_cell
    from docgen.templates import check_templates, export_templates, list_templates
    from docgen.workspace import Workspace, load_workspace


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'docgen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
