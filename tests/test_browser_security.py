"""The published, encrypted site under attack, in headless Chromium.

A small CRM with a contact imported from a stranger's vCard whose note holds
a script link is published (sealed) into ``/crm/`` of a local server; the
same origin also serves ``/other/``, standing for any other GitHub Pages
site of the same account. One Chromium profile for the module (a folder, so
a test can end the browser session and start a new one on it).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_gen.cli import main

from .test_plugin import with_site
from .test_sanitize import HOSTILE_NOTES, URL_SCHEMES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"
# What the hostile links try: mark the page, so a test sees that script ran.
PAYLOAD = "javascript:document.title='PWNED'"
STRANGER = f"""
---
name: Mallory Stranger
relationship: professional-network
---
Met at a conference. See [p] and [q].

[p]:
{PAYLOAD}

> [q]: {PAYLOAD}

{HOSTILE_NOTES["entity-encoded definition"]}
"""

if not CHROMIUM.exists():
    pytest.skip(
        "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    """``(base URL, served folder)``: the sealed CRM at /crm/, room for /other/."""
    served = tmp_path_factory.mktemp("origin")
    crm = with_site(
        lambda files: _write(tmp_path_factory.mktemp("crm"), files),
        {"contacts/mallory-stranger.md": STRANGER},
    )
    published = CliRunner().invoke(
        main,
        ["publish", "--root", str(crm), "--out", str(served / "crm")],
        env={"FOLLOWUP_SITE_PASSWORD": PASSWORD},
        catch_exceptions=False,
    )
    assert published.exit_code == 0, published.output
    (served / "other").mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", served
    server.shutdown()
    server.server_close()


def _write(root: Path, files: dict[str, str]) -> Path:
    from .conftest import write_files

    return write_files(root, files)


@pytest.fixture(scope="module")
def playwright():
    with sync_api.sync_playwright() as p:
        yield p


@contextlib.contextmanager
def session(playwright, profile: Path):
    """One browser session on ``profile``: closing it ends the session."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True
    )
    try:
        yield context
    finally:
        context.close()


def unlock(page, base: str) -> None:
    page.goto(f"{base}/crm/")
    page.fill("#password", PASSWORD)
    page.click("#open")
    page.wait_for_selector(".md-content", timeout=30_000)


def test_a_strangers_note_link_cannot_run_script(origin, playwright, tmp_path):
    base, _ = origin
    with session(playwright, tmp_path / "profile") as context:
        page = context.new_page()
        unlock(page, base)
        page.goto(f"{base}/crm/contacts/mallory-stranger/")
        notes = page.locator(".fg-notes")
        notes.first.wait_for()
        assert "Met at a conference." in notes.first.inner_text()
        protocols = notes.first.locator("a").evaluate_all("links => links.map(a => a.protocol)")
        assert {p.rstrip(":") for p in protocols} <= URL_SCHEMES
        title = page.title()
        for text in ("[p]", "[q]"):  # what were the links
            page.get_by_text(text, exact=False).first.click()
        page.wait_for_timeout(300)
        assert page.title() == title != "PWNED"
