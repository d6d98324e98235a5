"""`mkdocs serve` alone previews the CRM and follows edits to its files.

The server runs on a free local port; each check polls the served page until
the expected text shows up or a generous deadline passes (this is a bound on
waiting, not a timing assertion).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .test_plugin import with_site

DEADLINE = 90.0  # seconds; a rebuild of this tiny site takes about one


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, server: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + DEADLINE
    page = ""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve stopped:\n{log.read_text()}")
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    pytest.fail(f"{text!r} not served at {url} within {DEADLINE} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(params=[[], ["--dirty"]], ids=["serve", "serve --dirty"])
def served(make_crm, tmp_path, request):
    root = with_site(make_crm, {})
    (root / "site_templates").mkdir()  # watched when it exists at start
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--dev-addr",
                f"127.0.0.1:{port}",
                *request.param,
            ],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            start_new_session=True,
        )
    try:
        yield root, f"http://127.0.0.1:{port}/", server, log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_serve_shows_an_edited_contact_and_survives_errors(served):
    root, base, server, log = served
    contact = root / "contacts" / "bob-stone.md"
    page = wait_for(base + "contacts/bob-stone/", "Bob Stone", server, log)
    assert "Initech" in page

    contact.write_text(
        "---\nname: Bob Stone\nrelationship: past-coworker\ncompany: Globex Corporation\n---\n"
        "Moved to Globex in October.\n",
        encoding="utf-8",
    )
    page = wait_for(base + "contacts/bob-stone/", "Globex Corporation", server, log)
    assert "<p>Moved to Globex in October.</p>" in page
    wait_for(base + "contacts/", "Globex Corporation", server, log)  # the table too

    # A broken file does not stop the server: it shows on the Problems page.
    (root / "contacts" / "broken.md").write_text(
        "---\nname: Broken\nrelationship: cousin\n---\n", encoding="utf-8"
    )
    problems = wait_for(base + "problems/", "contacts/broken.md", server, log)
    assert "unknown relationship" in problems or "cousin" in problems
    assert "contacts/broken.md:3: error:" in log.read_text()

    # A template override is picked up too.
    (root / "site_templates" / "bridges.md.j2").write_text("# Bridges of mine\n", encoding="utf-8")
    wait_for(base + "bridges/", "Bridges of mine", server, log)


class _Server:
    """What the plugin asks of MkDocs' LiveReloadServer."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.polled: list[str] = []

    def watch(self, path: str) -> None:
        self.polled.append(path)


def _asked(server: _Server, seconds: float = 10) -> bool:
    with server._rebuild_cond:
        return server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=seconds)


def test_data_folders_are_watched_by_the_system_not_polled(make_crm):
    # MkDocs polls what it watches (every file's stat twice a second): for
    # 22,000 data files that slowed each rebuild by 1.6 s. The plugin has the
    # system tell it of a change instead; a file read is no change.
    from followup_gen.site.plugin import FollowupPlugin

    root = with_site(make_crm, {})
    plugin = FollowupPlugin()
    plugin.load_config({})
    server = _Server()
    config = type("Config", (), {"config_file_path": str(root / "mkdocs.yml")})()
    plugin.on_serve(server, config=config, builder=None)
    try:
        assert sorted(Path(p).name for p in server.polled) == ["followup.yml"]
        contact = root / "contacts" / "jane-doe.md"
        contact.read_text()
        assert not _asked(server, 1.0)  # reading is not changing
        contact.write_text(contact.read_text().replace("Jane", "Janet"))
        assert _asked(server)
        server._want_rebuild = False
        (root / "interactions" / "new.md").write_text("---\n---\n")
        assert _asked(server)
    finally:
        plugin.on_shutdown()
    assert plugin.observer is None
