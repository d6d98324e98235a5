"""The generated pages in headless Chromium, as a job seeker reads them: what
only a browser shows (the order of right-to-left names in a list, what a
phone's screen holds).

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
    # In a folder of its own, with a key the tool does not know: a warning
    # with a long file name on the Problems page.
    "contacts/people-from-the-spring-meetup-in-springfield/omar.md": (
        "---\nname: عمر حداد\nrelationship: hiring\nnickname: Omar\n---\n"
    ),
    "contacts/dana.md": "---\nname: דנה לוי\nrelationship: hiring\n---\n",
    "opportunities/rtl.md": (
        "---\ncompany: Acme\nrole: Analyst\ncontacts: [omar, dana, jane-doe]\n---\n"
    ),
    # A letter with words longer than a phone is wide.
    "contacts/lee.md": (
        "---\nname: Lee Wu\nrelationship: hiring\nemail: lee.wu@talentacquisition"
        "northwindhealthsystemsinternational.example\n---\n"
    ),
    "interactions/2026-11-19-lee.md": (
        "---\ndate: 2026-11-19\nkind: interview\ncontacts: lee\n"
        "specifics: [thenorthwindpatientportalrefillremindersredesignproject]\n---\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("pages") / "crm", FILES)
    (root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    (root / "docs").mkdir(exist_ok=True)
    # Not --strict: the Problems page has a warning to show.
    out = build_site(root, root.parent / "site", strict=False)
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


def test_a_problem_is_read_on_a_phone_without_scrolling_sideways(site):
    # The table of five columns put the problem itself off the screen.
    base, chromium = site
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "problems/")
    message = page.get_by_text("unknown key 'nickname'")
    assert message.count() == 1
    box = message.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    text = page.locator("article").inner_text()
    assert "contacts/people-from-the-spring-meetup-in-springfield/omar.md" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_a_letter_with_long_words_fits_a_phone(site):
    # A long e-mail domain or talking point made the letter 690 px wide.
    base, chromium = site
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "due/")
    page.locator(".fg-item", has_text="Lee Wu").locator("a", has_text="Draft").click()
    page.wait_for_selector("article.fg-letter")
    assert "northwindhealthsystemsinternational" in page.inner_text("article.fg-letter")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
