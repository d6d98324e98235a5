"""The due inbox and a letter page in headless Chromium: sorting, filtering,
copying, the phone layout, and the letter's "Open in e-mail" link.

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
sync_api = pytest.importorskip("playwright.sync_api")

# SMALL plus two overdue thank-yous (their check-ins wait behind them: one
# message per person) and a check-in: rows of three rules, several channels,
# overdue, due and coming up.
FILES = {
    **SMALL,
    "contacts/dee-ray.md": "---\nname: Dee Ray\nrelationship: friend\nemail: dee@example.com\n"
    "met: 2026-01-05\n---\n",
    "contacts/cara-fox.md": "---\nname: Cara Fox\nrelationship: friend\nphone: 555-0100\n---\n",
    "contacts/al-ng.md": "---\nname: Al Ng\nrelationship: friend\nemail: al@example.com\n---\n",
    "interactions/2026-01-05-dee.md": "---\ndate: 2026-01-05\nkind: check-in\ncontacts: dee-ray\n---\n",
    "interactions/2026-10-01-help.md": (
        "---\ndate: 2026-10-01\ncontacts: [cara-fox, al-ng]\nkind: help\n---\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("inbox") / "crm", FILES)
    # With a repository: every row has its three actions (the widest rows).
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config += "repo_url: https://github.com/o/r\nedit_uri: edit/main/docs/\n"
    (root / "mkdocs.yml").write_text(config)
    (root / "docs").mkdir(exist_ok=True)
    out = root.parent / "site"
    build_site(root, out)
    with shots.serve(out) as base, shots.browser() as chromium:
        yield base, chromium


def visible_rows(page) -> list[tuple[str, str]]:
    return [
        tuple(row)
        for row in page.eval_on_selector_all(
            ".fg-inbox .fg-item",
            "rows => rows.filter(r => !r.hidden)"
            ".map(r => [r.querySelector('.fg-who').innerText.trim(), r.dataset.rule])",
        )
    ]


def test_the_due_inbox_sorts_and_filters(site):
    base, chromium = site
    page = chromium.new_page()
    page.goto(base + "due/")  # the load event: inbox.js has set the page up
    assert visible_rows(page) == [
        ("Dee Ray", "keep-in-touch"),
        ("Al Ng", "thank-helper"),
        ("Cara Fox", "thank-helper"),
        ("Jane Doe", "interview-thank-you"),
        ("Bob Stone", "keep-in-touch"),
    ]
    assert page.inner_text(".fg-shown") == "5 items"
    # The filters offer what is there, with counts and readable names.
    rules = page.eval_on_selector_all("select[name=fg-rule] option", "o => o.map(x => x.text)")
    assert rules == [
        "All",
        "Interview thank-you (1)",
        "Keep in touch (2)",
        "Thank-you for help (2)",
    ]
    # Rows for no opportunity are offered last, in words.
    jobs = page.eval_on_selector_all(
        "select[name=fg-opportunity] option", "o => o.map(x => x.text)"
    )
    assert jobs == ["All", "Acme — Data Engineer (1)", "No opportunity (4)"]
    page.select_option("select[name=fg-rule]", "keep-in-touch")
    assert visible_rows(page) == [("Dee Ray", "keep-in-touch"), ("Bob Stone", "keep-in-touch")]
    assert page.inner_text(".fg-shown") == "2 of 5 items"
    page.select_option("select[name=fg-channel]", "email")
    assert visible_rows(page) == [("Dee Ray", "keep-in-touch")]
    # A status heading with no row left is hidden.
    headings = page.eval_on_selector_all(
        ".fg-group", "g => g.filter(x => !x.hidden).map(x => x.dataset.status)"
    )
    assert headings == ["overdue"]
    page.select_option("select[name=fg-rule]", "")
    page.select_option("select[name=fg-channel]", "")
    page.select_option("select[name=fg-sort]", "who")
    names = [who for who, _ in visible_rows(page)]
    assert names == sorted(names) and len(names) == 5
    assert page.eval_on_selector_all(".fg-group", "g => g.every(x => x.hidden)")
    page.select_option("select[name=fg-sort]", "")
    assert visible_rows(page)[0] == ("Dee Ray", "keep-in-touch")  # back to overdue first
    page.select_option("select[name=fg-opportunity]", "acme-data")
    assert visible_rows(page) == [("Jane Doe", "interview-thank-you")]


def test_copy_puts_the_done_command_on_the_clipboard(site):
    base, chromium = site
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page = context.new_page()
    page.goto(base + "due/")
    button = page.locator(".fg-item[data-rule=interview-thank-you] button.fg-copy")
    sync_api.expect(button).to_be_visible()  # the script shows it
    button.click()
    sync_api.expect(button).to_have_text("Copied")  # the clipboard answers in its own time
    assert page.evaluate("navigator.clipboard.readText()") == (
        "followup-gen log thank-you jane-doe --opportunity acme-data --channel mail"
    )
    context.close()


def test_the_inbox_reads_on_a_phone(site):
    base, chromium = site
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("due/", ""):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        # Every cell shows all of its text: nothing clipped.
        clipped = page.eval_on_selector_all(
            ".fg-item .fg-cell",
            "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)",
        )
        assert clipped == [], path
    # Each row is a card: the name on a line of its own, under the date.
    who = page.locator(".fg-item .fg-who").first.bounding_box()
    when = page.locator(".fg-item .fg-state").first.bounding_box()
    assert who["y"] >= when["y"] + when["height"] - 1
    context.close()


def test_a_letter_opens_in_email_with_subject_and_body(site):
    base, chromium = site
    page = chromium.new_page()
    page.goto(base + "due/")
    page.locator(".fg-item[data-rule=interview-thank-you] .fg-actions a", has_text="Draft").click()
    page.wait_for_selector("article.fg-letter")
    assert page.locator("article.fg-letter").inner_text().startswith("[YOUR NAME]")
    # The deferred letter.js shows the buttons after the article is parsed.
    sync_api.expect(page.locator("button[data-letter=copy]")).to_be_visible()
    sync_api.expect(page.locator("button[data-letter=print]")).to_be_visible()
    link = page.locator("a.fg-letter-send")
    assert link.inner_text() == "Open in e-mail"
    parts = link.evaluate(
        "a => { const u = new URL(a.href); return [u.protocol, u.pathname,"
        " u.searchParams.get('subject'), u.searchParams.get('body')]; }"
    )
    protocol, to, subject, body = parts
    assert (protocol, to) == ("mailto:", "jane@acme.example")
    assert subject == "Thank you for yesterday's interview for the Data Engineer position"
    assert body.startswith("Dear Jane Doe,\r\n\r\nThank you for meeting with me yesterday")
    assert "Their move to streaming" in body or "move to streaming" in body
    assert body.endswith("Best regards,\r\n[YOUR NAME]")
    # Following the link leaves the page where it is (the mail program takes it).
    link.click()
    assert page.url.endswith(".html")
    page.locator("a", has_text="Back to due").click()
    page.wait_for_url(base + "due/")
    assert page.url == base + "due/"
    # Printing shows the letter alone.
    page.go_back()  # waits for the load event
    page.wait_for_selector("article.fg-letter")
    page.emulate_media(media="print")
    assert not page.locator(".fg-letter-actions").is_visible()
    assert page.locator("article.fg-letter").is_visible()
