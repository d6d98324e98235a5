"""The MkDocs plugin `followup`, through the real `mkdocs build`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from followup_gen.site.plugin import _unindent

from .conftest import ROOT
from .test_pages import SMALL


def mkdocs_build(root: Path, site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=root,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root)},
        timeout=300,
    )


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def with_site(make_crm, files: dict[str, str], config: str | None = None) -> Path:
    """A CRM with the example's mkdocs.yml (the plugin brings its stylesheets and script)."""
    root = make_crm({**SMALL, **files})
    (root / "mkdocs.yml").write_text(config or (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    (root / "docs").mkdir(exist_ok=True)
    return root


def test_the_example_crm_builds_strict_without_writing_into_docs(tmp_path):
    before = listing(ROOT / "docs")
    result = mkdocs_build(ROOT, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    assert listing(ROOT / "docs") == before
    site = tmp_path / "site"
    assert "Today is <strong>Friday 20 November 2026</strong>." in (site / "index.html").read_text()
    for page in (
        "due",
        "bridges",
        "stalled",
        "opportunities",
        "contacts",
        "problems",
        "rules",
        "tags",
    ):
        assert (site / page / "index.html").is_file(), page
    assert len(list((site / "contacts").glob("*/index.html"))) >= 10


def test_a_small_crm_site_and_its_nav(make_crm, tmp_path):
    root = with_site(make_crm, {"docs/guide/howto.md": "# How to\n\nRead me.\n"})
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    home = (site / "index.html").read_text()
    for tab in ("Dashboard", "Follow-ups", "Opportunities", "Contacts", "Guide", "Problems"):
        assert f"{tab}\n" in home or f">{tab}<" in home, tab
    # The nav is pruned (navigation.prune): the Guide section, holding the
    # rule book and the user's guide pages, is listed in full on its pages.
    guide = (site / "guide" / "howto" / "index.html").read_text()
    section = guide.split('aria-labelledby="__nav_5_label"')[1].split("</nav>")[0]
    assert 'href="../../rules/"' in section and "How to" in section
    assert "<title>Job search</title>" in home or "<title>Dashboard - Job search</title>" in home
    due = (site / "due" / "index.html").read_text()
    assert '<a href="../contacts/jane-doe/">Jane Doe</a>' in due
    # Contact pages are not in the nav: Bob's page never links to Jane's.
    bob = (site / "contacts" / "bob-stone" / "index.html").read_text()
    assert "jane-doe/" not in bob
    assert "<title>Bob Stone - Job search</title>" in bob
    assert "md-tag" in (site / "contacts" / "jane-doe" / "index.html").read_text()
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["guide"]
    for asset in ("followup.css", "tablesort.js", "icons.css"):
        assert (site / "assets" / "followup" / asset).is_file()
        assert f"assets/followup/{asset}" in (site / "index.html").read_text()
    assert ".fg-i-overdue {" in (site / "assets" / "followup" / "icons.css").read_text()
    # Theme files no browser asks for are left out; Material's own scripts stay.
    assert not list(site.rglob("*.map")) and not (site / "assets/javascripts/lunr").exists()
    assert list((site / "assets" / "javascripts").glob("bundle.*.min.js"))


def test_mkdocs_build_with_data_errors_builds_the_rest_and_says_so(make_crm, tmp_path):
    root = with_site(make_crm, {"contacts/bad.md": "---\nname: Bad\nrelationship: cousin\n---\n"})
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "ERROR   -  followup_gen: contacts/bad.md:3: error: " in result.stderr
    due = (tmp_path / "site" / "due" / "index.html").read_text()
    assert "1 file has errors: some follow-ups may be missing" in due
    assert "contacts/bad.md" in due
    # A strict build stops on it, as MkDocs does on any error.
    assert mkdocs_build(root, tmp_path / "strict", "--strict").returncode == 1


def test_warnings_are_logged_and_listed_on_the_problems_page(make_crm, tmp_path):
    root = with_site(
        make_crm, {"contacts/odd.md": "---\nname: Odd\nrelationship: friend\nnickname: O\n---\n"}
    )
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (
        "INFO    -  followup_gen: contacts/odd.md:4: warning: unknown key 'nickname'"
        in result.stderr
    )
    problems = (tmp_path / "site" / "problems" / "index.html").read_text()
    assert "contacts/odd.md" in problems and "unknown key" in problems
    # A warning never fails a build, strict or not, unless the CRM says `strict: true`.
    assert mkdocs_build(root, tmp_path / "strict", "--strict").returncode == 0
    (root / "followup.yml").write_text("strict: true\n", encoding="utf-8")
    assert mkdocs_build(root, tmp_path / "strict2", "--strict").returncode == 1


def test_a_page_of_the_users_own_wins_and_is_reported(make_crm, tmp_path):
    root = with_site(make_crm, {"docs/due.md": "# My own due list\n"})
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "docs/due.md exists, so the generated page is left out" in result.stderr
    assert "My own due list" in (tmp_path / "site" / "due" / "index.html").read_text()


def test_folder_option_puts_the_pages_under_a_folder(make_crm, tmp_path):
    config = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("  - followup\n", "  - followup:\n      folder: crm\n      today: 2026-11-21\n")
    )
    root = with_site(make_crm, {"docs/index.md": "# Welcome\n"}, config)
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert "Welcome" in (site / "index.html").read_text()
    assert (
        "Today is <strong>Saturday 21 November 2026</strong>."
        in (site / "crm" / "index.html").read_text()
    )
    assert (site / "crm" / "contacts" / "jane-doe" / "index.html").is_file()


def test_pages_written_by_followup_gen_build_are_not_doubled(make_crm, tmp_path):
    from click.testing import CliRunner

    from followup_gen.cli import main

    root = with_site(make_crm, {})
    assert CliRunner().invoke(main, ["build", "--root", str(root)]).exit_code == 0
    assert (root / "docs" / "crm" / "index.md").is_file()
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "crm").exists()


@pytest.mark.parametrize("today", ["2026-13-01"])
def test_a_bad_today_option_is_a_clear_error(make_crm, tmp_path, today):
    config = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("  - followup\n", f"  - followup:\n      today: '{today}'\n")
    )
    root = with_site(make_crm, {}, config)
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 1
    assert "followup: 'today' must be YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


class _Elements(HTMLParser):
    """Every element and attribute of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_hostile_text_stays_text_in_the_built_html(make_crm, tmp_path):
    evil = {
        "contacts/evil.md": """
            ---
            name: "<img src=x onerror=alert(1)>"
            relationship: friend
            company: "[x](javascript:alert(2))"
            title: "<script>alert(3)</script>"
            tags: ["<b onmouseover=alert(4)>t</b>"]
            address: |
              <svg onload=alert(5)>
              [y](javascript:alert(6))
            ---
            Notes <img src=z onerror=alert(7)> [a](javascript:alert(8)) [b](JaVa&#83;cript:alert(9))
            ![c](data:text/html,alert(10)) *x*{: onclick="alert(11)"}

            [r]: javascript:alert(12)

            ```js {onclick="alert(13)"}
            <script>alert(14)</script>
            ```
            """,
        "interactions/2026-11-19-evil.md": """
            ---
            date: 2026-11-19
            contacts: evil
            kind: interview
            specifics: ["<iframe src=javascript:alert(15)>"]
            ---
            <details open ontoggle=alert(16)>
            """,
    }
    root = with_site(make_crm, evil)
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    pages = [p for p in (tmp_path / "site").rglob("*.html")]
    assert len(pages) > 10
    for page in pages:
        parser = _Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.found:
            assert tag not in ("iframe", "details", "svg") or "alert" not in str(attrs), page
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                if name in ("href", "src"):  # as a browser reads it: no tabs, any case
                    target = "".join(c for c in value or "" if c.isprintable() and not c.isspace())
                    assert urlsplit(target).scheme.lower() in ("", "http", "https", "mailto"), value
                else:
                    assert "alert(" not in (value or ""), (page, tag, name, value)
    html = (tmp_path / "site" / "contacts" / "evil" / "index.html").read_text()
    assert (
        "&lt;img src=x onerror=alert(1)&gt;" in html
        or "&#60;img src&#61;x onerror&#61;alert(1)&#62;" in html
    )
    assert "<title>&lt;img src=x onerror=alert(1)&gt; - Job search</title>" in html


def test_missing_markdown_extensions_are_named(make_crm, tmp_path):
    config = "site_name: Bare\ntheme:\n  name: material\nplugins:\n  - search\n  - followup\n"
    root = with_site(make_crm, {}, config)
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING -  followup_gen: add to markdown_extensions in mkdocs.yml: "
        "admonition, attr_list, md_in_html, pymdownx.emoji" in result.stderr
    )


def test_pages_lose_only_indentation_and_keep_code_as_written(make_crm, tmp_path):
    notes = "---\nname: Bob Stone\nrelationship: past-coworker\n---\n```python\ndef f():\n    return 1\n```\n"
    root = with_site(make_crm, {"contacts/bob-stone.md": notes})
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "contacts" / "bob-stone" / "index.html").read_text()
    assert '</span>\n    <span class="k">return</span>' in page  # the code's own indentation
    outside = re.sub(r"<(pre|script|style)\b.*?</\1>", "", page, flags=re.S)
    assert not re.search(r"\n[ \t]", outside)  # no indentation left elsewhere
    assert "</script>\n" in page and "</script>script" not in page
    # Only whitespace changes: the same text once runs of whitespace are one space.
    html = "<div>\n  <p>a\n     b</p>\n<pre>  x\n    y</pre>\n  <script>\n  var a;\n</script>\n</div>\n"
    assert (
        _unindent(html)
        == "<div>\n<p>a\nb</p>\n<pre>  x\n    y</pre>\n<script>\n  var a;\n</script>\n</div>\n"
    )


def test_a_dirty_rebuild_shows_an_edit_and_rewrites_only_the_pages_it_changes(make_crm, tmp_path):
    """What ``mkdocs serve --dirty`` does on an edit, in this process: the
    plugin object (and its memo) outlives the rebuilds, as under serve."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = with_site(make_crm, {})
    site = tmp_path / "site"

    def rebuild(first: bool = False):
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
        if first:
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        return config

    config = rebuild(first=True)
    try:
        pages = {
            name: site / name / "index.html"
            for name in (
                "contacts/bob-stone",
                "contacts/jane-doe",
                "due",
                "opportunities/acme-data",
            )
        }
        before = {name: path.stat().st_mtime_ns for name, path in pages.items()}
        assert "Bob Stone" in pages["due"].read_text()
        time.sleep(0.05)  # a new modification time, whatever the file system's resolution
        bob = root / "contacts" / "bob-stone.md"
        bob.write_text(bob.read_text().replace("name: Bob Stone", "name: Robert Stone"))
        rebuild()
        for name in ("contacts/bob-stone", "due", "opportunities/acme-data"):  # he referred it
            assert "Robert Stone" in pages[name].read_text(), name
            assert pages[name].stat().st_mtime_ns > before[name], name
        assert "Bob Stone" not in pages["due"].read_text()
        # Jane's page shows nothing of Bob's: it is not rebuilt.
        assert pages["contacts/jane-doe"].stat().st_mtime_ns == before["contacts/jane-doe"]
        assert "Robert Stone" in (site / "contacts" / "index.html").read_text()
    finally:
        config.plugins.on_shutdown()


def test_dirty_staging_lives_in_the_crms_cache_and_stale_ones_are_cleared(make_crm, tmp_path):
    """A killed preview leaves its staged pages in .followup-cache/, never in
    the system's temporary folder; the next one removes them."""
    import os
    import socket
    import subprocess
    import sys

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from followup_gen.load.cache import CACHE_DIR

    root = with_site(make_crm, {})
    host = "".join(c if c.isalnum() or c in ".-" else "-" for c in socket.gethostname())
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stale = root / CACHE_DIR / f"serve-{host}-{gone}"
    stale.mkdir(parents=True)
    (stale / "due.md").write_text("a killed preview's page")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        mine = root / CACHE_DIR / f"serve-{host}-{os.getpid()}"
        assert (mine / "due.md").is_file() and mine.stat().st_mode & 0o777 == 0o700
        assert not stale.exists()
    finally:
        config.plugins.on_shutdown()
    assert not mine.exists()


@pytest.mark.parametrize(
    "command, dirty, hinted", [("serve", False, 1), ("serve", True, 0), ("build", False, 0)]
)
def test_a_large_preview_without_dirty_is_told_once_how_to_be_faster(
    make_crm, tmp_path, monkeypatch, caplog, command, dirty, hinted
):
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from followup_gen.site import plugin

    monkeypatch.setattr(plugin, "DIRTY_HINT", 5)  # the small CRM's pages count as many
    root = with_site(make_crm, {})
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command=command, dirty=dirty)
    try:
        with caplog.at_level(logging.INFO):
            for _ in range(2):  # two rebuilds, one hint
                build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    said = [r.getMessage() for r in caplog.records if "mkdocs serve --dirty" in r.getMessage()]
    assert len(said) == hinted, said


def test_properdocs_builds_the_example_crm_from_properdocs_yml(tmp_path):
    """ProperDocs, the maintained continuation of MkDocs 1.x, reads properdocs.yml
    (else mkdocs.yml) and finds the plugin; followup-gen build reads its docs_dir."""
    import importlib.util
    import shutil

    from click.testing import CliRunner

    from followup_gen.cli import main

    if importlib.util.find_spec("properdocs") is None:
        pytest.skip("properdocs is not installed (pip install -e '.[test]' installs it)")
    root = tmp_path / "crm"
    for name in ("contacts", "opportunities", "interactions", "docs", "site_templates"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("followup.yml", "profile.md"):
        shutil.copyfile(ROOT / name, root / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "properdocs.yml").write_text(config.replace("docs_dir: docs", "docs_dir: pages"))
    (root / "docs").rename(root / "pages")
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-d", str(tmp_path / "site")],
        capture_output=True, text=True, cwd=root, timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Today is <strong>Friday 20 November 2026</strong>." in (
        tmp_path / "site" / "index.html"
    ).read_text(encoding="utf-8")
    built = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert built.exit_code == 0, built.output
    assert (root / "pages" / "crm" / "due.md").is_file()  # properdocs.yml's docs_dir
