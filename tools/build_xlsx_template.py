"""Write the roster template templates/xlsx/danh-sach-dang-vien.xlsx.

Run after changing the columns in docgen/xlsx.py:

    python tools/build_xlsx_template.py

tests/test_roster_xlsx.py checks the committed file has the expected headers and
imports, so a secretary's copy of it always works with ``docgen roster import``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docgen.xlsx import template_workbook

# The project checkout this script belongs to (it edits the files there).
REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    target = REPO / "templates" / "xlsx" / "danh-sach-dang-vien.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(template_workbook())
    print(f"wrote {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
