"""Write docs/templates.md (the ward office's template guide) from the contracts.

Run after changing a template contract (``CONTRACTS`` in docgen/documents/<kind>.py),
docgen/contract.py or docgen/guide.py:

    python tools/gen_template_docs.py

tests/test_contract.py fails when the committed file differs from what this
script writes, so the guide cannot drift from the declarations.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docgen.guide import guide_markdown

# The project checkout this script belongs to (it edits the files there).
REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    target = REPO / "docs" / "templates.md"
    target.write_text(guide_markdown(), encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
