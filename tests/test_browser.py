"""The built example site in headless Chromium: real content, working tables.

Uses Debian's /usr/bin/chromium through Playwright's Python package (never
``playwright install``); skips, saying why, when either is missing.
"""

from __future__ import annotations

import pytest

from .browsing import chromium_tools

shots = chromium_tools()


@pytest.fixture(scope="module")
def site(example_site):
    with shots.serve(example_site) as base, shots.browser() as chromium:
        yield base, chromium


def test_dashboard_due_list_and_a_contact_show_real_content(site, tmp_path):
    base, chromium = site
    page = chromium.new_page()
    page.goto(base)  # the load event: the page's stylesheets and scripts are in
    assert page.title() == "Dashboard - Job search"
    main = page.locator("article")
    assert "Today is Friday 20 November 2026." in main.inner_text()
    counts = page.locator("a.fg-count")
    assert counts.count() == 4
    assert "overdue" in counts.nth(0).inner_text()
    # The icons are drawn by the plugin's icons.css: Material's SVG as a mask.
    icons = page.locator("article .fg-i")
    assert icons.count() >= 4
    drawn = icons.first.evaluate(
        "e => [getComputedStyle(e).maskImage || getComputedStyle(e).webkitMaskImage,"
        " e.getBoundingClientRect().width]"
    )
    assert drawn[0].startswith('url("data:image/svg+xml') and drawn[1] > 10, drawn

    page.goto(base + "due/")
    groups = page.locator("article .fg-group").all_inner_texts()
    assert [g.split(" (")[0].strip().lower() for g in groups] == ["overdue", "due now", "coming up"]
    first = page.locator("article .fg-item .fg-who a").first
    name = first.inner_text()
    first.click()  # Material's instant navigation: no load event, wait for the heading
    page.wait_for_function(
        "name => document.querySelector('article h1')?.innerText.includes(name)", arg=name
    )
    assert page.locator("article h1").inner_text().rstrip("¶ \n") == name
    sections = [h.rstrip("¶ \n") for h in page.locator("article h2").all_inner_texts()]
    assert "Open follow-ups" in sections and "Timeline" in sections

    page.goto(base + "contacts/rachel-kim/")
    text = page.locator("article").inner_text()
    assert "Engineering Manager" in text and "Talking points" in text

    # The screenshot tool: one page in both schemes proves it (each shot is a
    # second of a full-page render; the pages' content is checked above).
    saved = shots.shoot(chromium, base, tmp_path / "shots", pages=shots.PAGES[:1])
    assert [p.name for p in saved] == ["dashboard-light.png", "dashboard-dark.png"]
    assert all(p.stat().st_size > 10_000 for p in saved)
    assert saved[0].read_bytes() != saved[1].read_bytes()


def test_the_contacts_table_sorts_by_a_column(site):
    base, chromium = site
    page = chromium.new_page()
    page.goto(base + "contacts/")
    page.wait_for_selector("article table[data-sortable]", state="attached")  # the sorter ran
    names = page.locator("article table tbody tr td:first-child")
    ascending = names.all_inner_texts()
    assert ascending == sorted(ascending, key=str.casefold)
    header = page.locator("article table th").first
    header.click()  # first click sorts ascending
    header.click()  # the second reverses
    assert names.all_inner_texts() == list(reversed(ascending))
    assert header.get_attribute("data-sort") == "desc"


def test_search_finds_a_contact_by_name_and_by_what_was_discussed(site):
    # The site leaves out the theme's source maps and other-language search
    # files: the search must work without them.
    base, chromium = site
    page = chromium.new_page()
    for query, found in (("Rachel Kim", "Rachel Kim"), ("Flink", "Rachel Kim")):
        page.goto(base)
        page.wait_for_function(  # the index is loaded: Material stops "Initializing search"
            "document.querySelector('.md-search-result__meta')?.textContent.trim()"
            " === 'Type to start searching'"
        )
        page.locator("input.md-search__input").click()
        page.keyboard.type(query)  # Material searches on key presses
        first = page.locator(".md-search-result__item").first
        first.wait_for(timeout=30_000)
        results = page.locator(".md-search-result__item").all_inner_texts()
        assert any(found in text for text in results), (query, results)
