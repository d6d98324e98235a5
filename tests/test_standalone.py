"""`followup-gen build --standalone`: the site without the plugin, for Zensical and
any MkDocs-compatible engine, the same as the plugin's."""

from __future__ import annotations

import datetime as dt
import html.parser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.exchange import scaffold
from followup_gen.site.pages import icon_stylesheet

from .conftest import ROOT
from .test_pages import SMALL

MKDOCS_YML = """\
site_name: Jobs
theme:
  name: material
  logo: assets/logo.svg
plugins:
  - search
  - tags
  - followup
extra_css:
  - mine.css
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""
LOGO = b"<svg xmlns='http://www.w3.org/2000/svg'>\x00\xff</svg>"  # bytes, kept as they are
NAV = [
    {"Dashboard": "index.md"},
    {"Follow-ups": [{"Due": "due.md"}, {"Bridges": "bridges.md"}, {"Stalled": "stalled.md"}]},
    {"Opportunities": "opportunities/index.md"},
    {"Contacts": [{"Contacts": "contacts/index.md"}, {"Tags": "tags.md"}]},
    {"Guide": [{"Rules": "rules.md"}, "guide/mine.md"]},
    {"Problems": "problems.md"},
]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_writes_the_plugins_assets_beside_the_pages(make_crm):
    root = make_crm(SMALL)
    assert run("build", "--root", str(root)).exit_code == 0
    out = root / "docs" / "crm"
    assets = ROOT / "followup_gen" / "site" / "assets"
    for name in ("followup.css", "tablesort.js", "inbox.js"):
        assert (out / "assets/followup" / name).read_bytes() == (assets / name).read_bytes()
    assert (out / "assets/followup/icons.css").read_text() == icon_stylesheet()


def test_build_standalone_makes_a_site_source_and_its_configuration(make_crm):
    root = make_crm(
        {
            **SMALL,
            "mkdocs.yml": MKDOCS_YML,
            "docs/guide/mine.md": "# Mine\n",
            "docs/assets/logo.svg": LOGO,
            "docs/.gitkeep": "",
        }
    )
    result = run("build", "--root", str(root), "--standalone", "site.yml")
    assert result.exit_code == 0, result.output
    out = root / "docs" / "crm"
    assert result.output == (
        f"Wrote 23 files to {out} for 2026-11-20.\n"
        f"Wrote {root / 'site.yml'}: build the site with 'zensical build -f site.yml' "
        "(or mkdocs build -f site.yml, properdocs build -f site.yml).\n"
    )
    # The site's own files are copied in (bytes as they are), dot-files left out.
    assert (out / "guide/mine.md").read_text() == "# Mine\n"
    assert (out / "assets/logo.svg").read_bytes() == LOGO
    assert not (out / ".gitkeep").exists()
    text = (root / "site.yml").read_text()
    assert text.startswith(
        "# Made by `followup-gen build --standalone`; replaced on each build\n"
        "# (change mkdocs.yml, which it inherits, instead). The CRM's site without the\n"
        "# followup plugin, from the pages in docs/crm: zensical build -f site.yml\n"
        "# (or mkdocs build -f site.yml, properdocs build -f site.yml).\n"
    )
    assert yaml.safe_load(text) == {
        "INHERIT": "mkdocs.yml",
        "docs_dir": "docs/crm",
        "plugins": ["search", "tags"],
        "theme": {"name": "material", "variant": "classic"},  # Zensical: Material's look
        "nav": NAV,
        "not_in_nav": "/contacts/*\n!/contacts/index.md\n/opportunities/*\n"
        "!/opportunities/index.md\n",
        "extra_css": ["mine.css", "assets/followup/followup.css", "assets/followup/icons.css"],
        "extra_javascript": ["assets/followup/tablesort.js", "assets/followup/inbox.js"],
    }
    # MkDocs without the plugin builds it: the dashboard at the top, the logo copied.
    site = root / "built"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "site.yml",
         "-d", str(site)],
        capture_output=True, text=True, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Today is <strong>Friday 20 November 2026</strong>" in (site / "index.html").read_text()
    assert (site / "assets/logo.svg").read_bytes() == LOGO
    assert (site / "assets/followup/icons.css").is_file()
    # A second build replaces the file it wrote; a file of the user's is never replaced.
    assert run("build", "--root", str(root), "--standalone", "site.yml").exit_code == 0
    refused = run("build", "--root", str(root), "--standalone", "mkdocs.yml")
    assert refused.exit_code == 1
    assert refused.output == (
        f"Error: {root / 'mkdocs.yml'} exists and was not written by 'followup-gen build "
        "--standalone'; choose another file name\n"
    )
    assert (root / "mkdocs.yml").read_text() == MKDOCS_YML


def test_a_page_of_the_sites_own_wins_and_a_nav_of_its_own_is_kept(make_crm):
    root = make_crm(
        {
            **SMALL,
            "mkdocs.yml": MKDOCS_YML.replace(
                "  name: material\n", "  name: material\n  variant: modern\n"
            )
            + "nav:\n  - Home: index.md\n",
            "docs/index.md": "# My home\n",
        }
    )
    result = run("build", "--root", str(root), "--standalone", "site.yml")
    assert result.exit_code == 0, result.output
    assert "docs/index.md exists, so the generated page is left out\n" in result.output
    assert (root / "docs/crm/index.md").read_text() == "# My home\n"
    made = yaml.safe_load((root / "site.yml").read_text())
    # mkdocs.yml's nav and Zensical look, inherited.
    assert "nav" not in made and "not_in_nav" not in made and "theme" not in made


def test_build_standalone_needs_a_site_configuration(make_crm):
    root = make_crm(SMALL)
    result = run("build", "--root", str(root), "--standalone", "site.yml")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no site configuration to inherit ({root / 'mkdocs.yml'} nor properdocs.yml); "
        "run 'followup-gen init' or write one\n"
    )
    assert not (root / "site.yml").exists() and not (root / "docs").exists()


# --- Zensical, by the Markdown path ------------------------------------------------


class _Visible(html.parser.HTMLParser):
    """The text a reader sees in a page's article, less the tags' chips (Material
    shows them above the title, Zensical below the text) and the permalinks."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.hidden = 0
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        if not self.depth:
            self.depth = int(tag == "article")
            return
        if tag in self.VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if self.hidden or tag in ("script", "style") or {"md-tags", "headerlink"} & set(classes):
            self.hidden += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1
            self.hidden = max(0, self.hidden - 1) if self.hidden else 0

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.words.extend(data.split())


def visible(page: Path) -> str:
    parser = _Visible()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(parser.words)


def navigation(page: Path) -> str:
    """The words of a page's tabs and main navigation (the sidebar, with the
    page's own table of contents when it has one)."""
    text = page.read_text(encoding="utf-8")
    tabs = re.search(r'class="md-tabs"[^>]*>(.*?)</nav>', text, re.S).group(1)
    menu = re.search(r'class="md-nav md-nav--primary[^>]*>(.*?)md-sidebar--secondary', text, re.S)
    words = " ".join(re.sub(r"<[^>]*>?", " ", tabs + menu.group(1)).split())
    # The one difference of chrome: Zensical calls the table of contents "On this page".
    return words.replace("Table of contents", "On this page")


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


DAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`init --demo`, built by MkDocs with the plugin."""
    root = tmp_path_factory.mktemp("demo") / "search"
    made = run("init", str(root), "--demo", "--timezone", "UTC", "--today", str(DAY), "--no-git")
    assert made.exit_code == 0, made.output
    settings = root / "followup.yml"
    settings.write_text(settings.read_text() + f"today: {DAY}\n")
    site = root.parent / "mkdocs-site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        capture_output=True, text=True, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return root, site


@pytest.fixture(autouse=True)
def installed_from_git(monkeypatch):
    monkeypatch.setattr(
        scaffold, "tool_source", lambda: (scaffold.ToolSource("https://x.example/f", "ab" * 20), "")
    )


def test_zensical_builds_the_same_site_as_mkdocs_with_the_plugin(demo):
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    if zensical is None:
        pytest.skip("zensical is not installed (pip install zensical: the test extra)")
    root, plugin_site = demo
    assert run("build", "--root", str(root), "--standalone", "zensical.yml").exit_code == 0
    done = subprocess.run(
        [zensical, "build", "-f", "zensical.yml"], capture_output=True, text=True, cwd=root,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    site = root / "site"
    assert html_pages(site) == html_pages(plugin_site)
    for page in (
        "index.html",
        "contacts/maria-lopez/index.html",
        "opportunities/northwind-senior-analyst/index.html",
    ):
        assert visible(site / page) == visible(plugin_site / page), page
    assert visible(site / "index.html").startswith(
        "Job search Today is Thursday 26 November 2026 ."
    )
    # The small navigation: its tabs and sections, no contact in it.
    for page in ("index.html", "due/index.html", "contacts/maria-lopez/index.html"):
        assert navigation(site / page) == navigation(plugin_site / page), page
    assert navigation(site / "due/index.html") == (
        "Dashboard Follow-ups Opportunities Contacts Guide Problems "
        "Job search Dashboard Follow-ups Follow-ups Due Bridges Stalled "
        "Opportunities Contacts Guide Problems"
    )
    home = (site / "index.html").read_text()
    # The guide shows that configuration as it is (comments aside).
    guide = (ROOT / "docs/guide/site.md").read_text()
    section = guide.split("### Building with Zensical", 1)[1]
    shown = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert yaml.safe_load(shown) == yaml.safe_load((root / "zensical.yml").read_text())
    # Its zensical.toml, found without -f, builds the same site.
    (root / "zensical.toml").write_text(section.split("```toml\n", 1)[1].split("```", 1)[0])
    site.rename(root / "site-from-yml")
    done = subprocess.run([zensical, "build"], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert html_pages(site) == html_pages(plugin_site)
    for page in ("index.html", "due/index.html", "contacts/maria-lopez/index.html"):
        assert visible(site / page) == visible(plugin_site / page), page
        assert navigation(site / page) == navigation(plugin_site / page), page
    (root / "zensical.toml").unlink()
    shutil.rmtree(site)
    (root / "site-from-yml").rename(site)
    # The plugin's assets: status colours, icons, the table sorter and the inbox script.
    for asset in ("followup.css", "icons.css", "tablesort.js", "inbox.js"):
        assert (site / "assets/followup" / asset).is_file()
        assert f"assets/followup/{asset}" in home, asset
