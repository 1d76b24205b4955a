"""The secretaries' guide: its page images are real, small and present; it walks every
command a secretary uses."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

GUIDE = (REPO / "docs" / "huong-dan-bi-thu.md").read_text(encoding="utf-8")
IMAGES = re.findall(r"!\[[^\]]*\]\((hinh/[^)]+\.png)\)", GUIDE)


def test_the_guide_shows_pages() -> None:
    assert len(IMAGES) >= 4


@pytest.mark.parametrize("image", IMAGES)
def test_each_image_exists_and_is_small(image: str) -> None:
    path = REPO / "docs" / image
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG"), image
    assert len(data) < 200_000, image


def test_images_come_from_the_script() -> None:
    # pages of documents from gen_guide_images.py, pages of docgen serve from web_screenshots.py
    scripts = {
        "": (REPO / "tools" / "gen_guide_images.py").read_text(encoding="utf-8"),
        "web-": (REPO / "tools" / "web_screenshots.py").read_text(encoding="utf-8"),
    }
    for image in IMAGES:
        name = image.removeprefix("hinh/").removesuffix(".png")
        script = scripts["web-" if name.startswith("web-") else ""]
        assert f'"{name}"' in script, image


def test_the_web_way_comes_first() -> None:
    assert GUIDE.index("docgen serve") < GUIDE.index("## Bước 1.")
    assert [i for i in IMAGES if i.startswith("hinh/web-")] != []


@pytest.mark.parametrize(
    "command",
    ["docgen serve", "docgen init", "docgen roster import", "docgen roster export", "docgen check", "docgen render ke-hoach",
     "docgen render phan-cong", "docgen progress", "docgen render bao-cao-quy", "docgen render bien-ban",
     "docgen templates export", "docgen templates check", "docgen audit", "docgen register", "--draft",
     "--reissue"],
)
def test_the_guide_walks_the_secretary_through(command: str) -> None:
    assert command in GUIDE
