"""Rebuild the built-in templates in templates/docx/ from the format profile.

Run after changing docgen/layout/ or docgen/resources/the-thuc.yaml:

    python tools/build_templates.py

tests/test_templates_builtin.py fails when the committed files differ from what
this script produces, so the two cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docgen.layout.engine import Layout
from docgen.layout.kinds import BUILDERS, build_template
from docgen.resources import profile

# The project checkout this script belongs to (it edits the files there).
REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    out_dir = REPO / "templates" / "docx"
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = Layout(profile())
    for name in BUILDERS:
        target = out_dir / name
        target.write_bytes(build_template(name, layout))
        print(f"wrote {Path(target).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
