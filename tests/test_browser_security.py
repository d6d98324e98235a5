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
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_gen.cli import main

from .conftest import ROOT
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

# Another site of the same origin (any GitHub Pages site of the account): it
# tries each way in to the CRM at /crm/ and reports what it read.
EVIL = """<!doctype html><meta charset="utf-8"><title>Other site</title><body><script>
const CRM = "/crm/contacts/mallory-stranger/";
function storage() {
  return new Promise((resolve) => {
    const open = indexedDB.open("followup-gen", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("keys");
    open.onerror = () => resolve("no database");
    open.onsuccess = () => {
      const all = open.result.transaction("keys").objectStore("keys").getAll();
      all.onsuccess = async () => {
        const sealed = new Uint8Array(await (await fetch("/crm/_enc/manifest.bin")).arrayBuffer());
        for (const key of all.result) {
          try {
            await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.slice(0, 12),
              additionalData: new TextEncoder().encode("manifest") }, key, sealed.slice(12));
            return resolve("DECRYPTED the manifest with a stored key");
          } catch (error) {}
        }
        resolve(all.result.length + " stored keys");
      };
    };
  });
}
function frame() {
  return new Promise((resolve) => {
    const element = document.createElement("iframe");
    element.src = CRM;
    element.onload = () => {
      try {
        const inside = element.contentDocument;
        resolve(inside ? "frame: " + inside.body.innerText : "frame: blocked");
      }
      catch (error) { resolve("frame: " + error.name); }
    };
    document.body.append(element);
    setTimeout(() => resolve("frame: no load"), 8000);
  });
}
function popup() {
  return new Promise((resolve) => {
    const opened = window.open(CRM);
    let tries = 0;
    const timer = setInterval(() => {
      tries += 1;
      try {
        const text = opened.document.body.innerText;
        if (text.includes("Mallory")) { clearInterval(timer); return resolve("window: " + text); }
      } catch (error) {}
      // Closed to us (the page's opener policy cut it off): nothing to read, ever.
      if (!opened || opened.closed || tries > 10) { clearInterval(timer); resolve("window: nothing read"); }
    }, 150);
  });
}
async function worker() {
  const registration = await navigator.serviceWorker.getRegistration("/crm/");
  if (!registration || !registration.active) return "worker: none";
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve("worker: " + JSON.stringify(event.data));
    registration.active.postMessage({ type: "key" }, [channel.port2]);
    setTimeout(() => resolve("worker: no answer"), 700);
  });
}
async function attack() {  // the ways in, all at once
  const plain = fetch(CRM).then((response) => response.text());
  const found = await Promise.all([storage(), frame(), popup(), worker(), plain]);
  found[4] = "fetch: " + found[4];
  return found;
}
</script></body>
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
    (crm / "docs" / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "docs" / "assets" / "logo.svg", crm / "docs" / "assets")  # mkdocs.yml's
    published = CliRunner().invoke(
        main,
        ["publish", "--root", str(crm), "--out", str(served / "crm")],
        env={"FOLLOWUP_SITE_PASSWORD": PASSWORD},
        catch_exceptions=False,
    )
    assert published.exit_code == 0, published.output
    (served / "other").mkdir()
    (served / "other" / "evil.html").write_text(EVIL)
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


def wait_until(page, expression: str, seconds: float = 10) -> None:
    """Poll ``expression`` (the pages' Content-Security-Policy forbids the eval
    behind Playwright's wait_for_function)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


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


def attack(context, base: str) -> list[str]:
    """What another page of the origin reads. Its pages, the popup too, are
    closed after: the site's worker would ask that popup for the key, and wait
    1.5 s for its silence, before showing the next page."""
    before = set(context.pages)
    page = context.new_page()
    page.goto(f"{base}/other/evil.html")
    found = page.evaluate("attack()")
    for opened in context.pages:
        if opened not in before:
            opened.close()
    return found


def test_another_page_of_the_origin_cannot_read_the_site_in_or_after_the_session(
    origin, playwright, tmp_path
):
    base, _ = origin
    profile = tmp_path / "profile"
    with session(playwright, profile) as context:
        page = context.new_page()
        policy_errors = []
        page.on(
            "console",
            lambda m: "Content Security Policy" in m.text and policy_errors.append(m.text),
        )
        unlock(page, base)
        # The browser stops an idle worker: an open page hands the key back.
        wait_until(page, "window.__followupSession === 'holding the key'")
        failed = []
        page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
        cdp = context.new_cdp_session(page)
        cdp.send("ServiceWorker.enable")
        cdp.send("ServiceWorker.stopAllWorkers")
        page.goto(f"{base}/crm/contacts/mallory-stranger/")
        page.wait_for_selector(".md-content h1")
        assert "Mallory Stranger" in page.inner_text(".md-content h1")
        assert policy_errors == []  # the theme's own scripts all run
        assert failed == [], failed
        during = attack(context, base)
    with session(playwright, profile) as context:  # a new browser session
        after = attack(context, base)
        page = context.new_page()
        page.goto(f"{base}/crm/contacts/mallory-stranger/")
        page.wait_for_selector("#password")  # the key is gone: asked again
    storage, frame, window, worker, fetched = during
    assert storage == "0 stored keys"  # nothing in storage, even while unlocked
    assert frame == "frame: blocked"  # the worker refuses it, and frame-ancestors blocks it
    assert window == "window: nothing read"  # cut off from the window it opened
    assert worker == "worker: no answer"  # the worker says nothing to another site
    assert "Mallory" not in fetched  # the network has only the envelope
    assert after[:4] == [storage, frame, window, worker]
    assert "Mallory" not in after[4]
