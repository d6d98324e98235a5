"""Screenshots of the example CRM's site, taken with headless Chromium.

    python tools/screenshots.py [--site DIR] [--out build/screenshots]

Builds the site of the CRM in the current directory with ``mkdocs build``
(into ``build/site``) unless ``--site`` names a built one, serves it on a
free local port and saves full-page PNGs of the dashboard, the due list, a
contact page and the pipeline, in light and dark mode, into ``--out``
(git-ignored). Needs the ``playwright`` Python package (the ``test`` extra)
and Debian's ``/usr/bin/chromium``; ``playwright install`` is never needed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (file name, path in the site); the contact is the first one with a letter due.
PAGES = (
    ("dashboard", ""),
    ("due", "due/"),
    ("contact", "contacts/rachel-kim/"),
    ("pipeline", "opportunities/"),
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def shoot(chromium, base: str, out: Path, pages=PAGES, width: int = 1280) -> list[Path]:
    """Save a full-page PNG of each page, light and dark; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for scheme in ("light", "dark"):
        context = chromium.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme
        )
        page = context.new_page()
        for name, path in pages:
            page.goto(base + path, wait_until="networkidle")
            target = out / f"{name}-{scheme}.png"
            page.screenshot(path=str(target), full_page=True)
            saved.append(target)
        context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site")
    parser.add_argument("--out", type=Path, default=Path("build/screenshots"))
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        site = Path("build/site")
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
            check=True,
        )
    with serve(site) as base, browser() as chromium:
        for path in shoot(chromium, base, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
