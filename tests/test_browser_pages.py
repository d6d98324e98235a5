"""The generated pages in headless Chromium, as a job seeker reads them: what
only a browser shows (the order of right-to-left names in a list).

One small site built with ``mkdocs build``, one browser for the module
(Debian's /usr/bin/chromium through Playwright's Python package, never
``playwright install``); skips, saying why, when either is missing.
"""

from __future__ import annotations

import pytest

from .browsing import build_site, chromium_tools
from .conftest import ROOT, write_files
from .test_pages import SMALL

shots = chromium_tools()

FILES = {
    **SMALL,
    "contacts/omar.md": "---\nname: عمر حداد\nrelationship: hiring\n---\n",
    "contacts/dana.md": "---\nname: דנה לוי\nrelationship: hiring\n---\n",
    "opportunities/rtl.md": (
        "---\ncompany: Acme\nrole: Analyst\ncontacts: [omar, dana, jane-doe]\n---\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("pages") / "crm", FILES)
    (root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    (root / "docs").mkdir(exist_ok=True)
    out = build_site(root, root.parent / "site")
    with shots.serve(out) as base, shots.browser() as chromium:
        yield base, chromium


def test_right_to_left_names_in_a_list_keep_their_order(site):
    # Two right-to-left names joined by ", " made one right-to-left run: the
    # second name was drawn first and the comma between them moved.
    base, chromium = site
    page = chromium.new_page()
    page.goto(base + "opportunities/rtl/")
    people = page.locator("article li", has_text="People")
    names = people.locator("a")
    assert names.all_inner_texts() == ["عمر حداد", "דנה לוי", "Jane Doe"]
    lefts = [names.nth(i).bounding_box()["x"] for i in range(3)]
    assert lefts == sorted(lefts), people.inner_text()
    page.close()
