"""Links from the site to the repository: "edit this file" on record pages,
"log it on GitHub" on due items; in the published site only when enabled."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.exchange import write
from followup_gen.site.pages import generate
from followup_gen.site.repository import UNSET, Repository, repository

from .conftest import ROOT
from .test_pages import SMALL, TODAY
from .test_plugin import mkdocs_build

GITHUB = Repository(edit="https://github.com/o/r/edit/main/", new="https://github.com/o/r/new/main")


def where(tmp_path: Path, repo_url, edit_uri, *, docs="docs", root=".") -> Repository | None:
    return repository(
        repo_url,
        edit_uri,
        config_dir=tmp_path,
        docs_dir=tmp_path / docs,
        root=tmp_path / root,
    )


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "docs", "root", "edit", "new"),
    [
        # MkDocs' usual edit_uri points at docs/: the links point next to it.
        ("https://github.com/o/r", "edit/main/docs/", "docs", ".", "https://github.com/o/r/edit/main/", "https://github.com/o/r/new/main"),
        ("https://github.com/o/r/", "/edit/main/docs", "docs", ".", "https://github.com/o/r/edit/main/", "https://github.com/o/r/new/main"),
        # mkdocs.yml in the repository's crm/ folder, the data in crm/data/.
        ("https://github.com/o/r", "edit/main/crm/docs/", "docs", "data", "https://github.com/o/r/edit/main/crm/data/", "https://github.com/o/r/new/main/crm/data"),
        ("https://github.com/o/r", "https://github.com/o/r/blob/dev/site/", "site", ".", "https://github.com/o/r/blob/dev/", "https://github.com/o/r/new/dev"),
        # Not GitHub: edit links, no new-file page.
        ("https://gitlab.com/o/r", "-/edit/main/docs/", "docs", ".", "https://gitlab.com/o/r/-/edit/main/", None),
    ],
)  # fmt: skip
def test_the_links_point_at_the_crm_files_not_docs(
    tmp_path, repo_url, edit_uri, docs, root, edit, new
):
    (tmp_path / root).mkdir(exist_ok=True)
    assert where(tmp_path, repo_url, edit_uri, docs=docs, root=root) == Repository(edit, new)


def test_without_edit_uri_the_checked_out_branch_else_main(tmp_path):
    assert (
        where(tmp_path, "https://github.com/o/r", UNSET).edit == "https://github.com/o/r/edit/main/"
    )
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/trunk\n")
    found = where(tmp_path, "https://github.com/o/r", UNSET)
    assert found == Repository(
        "https://github.com/o/r/edit/trunk/", "https://github.com/o/r/new/trunk"
    )


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "root"),
    [
        (None, "edit/main/docs/", "."),
        ("javascript:alert(1)", "edit/main/docs/", "."),
        ("https://github.com/o/r", "", "."),  # an empty edit_uri switches edit links off
        ("https://github.com/o/r", "edit/main/docs/", ".."),  # the CRM is outside the repo's view
    ],
)
def test_no_links_without_a_known_place(tmp_path, repo_url, edit_uri, root):
    assert where(tmp_path / "x", repo_url, edit_uri, root=root) is None


def _links(text: str) -> list[str]:
    return re.findall(r"\]\((https://github\.com/[^)]*)\)", text)


def test_record_pages_edit_their_file_and_due_items_log_on_github(make_crm):
    files = {**SMALL, "contacts/Jane Doe.md": SMALL["contacts/jane-doe.md"]}
    del files["contacts/jane-doe.md"]  # a file name that is not the id: the link is to the file
    result = generate(make_crm(files), TODAY, repository=GITHUB)
    jane = result.pages["contacts/jane-doe.md"]
    assert (
        "- **File**: contacts/Jane Doe.md · "
        "[Edit this file](https://github.com/o/r/edit/main/contacts/Jane%20Doe.md)"
    ) in jane
    assert result.sources["contacts/jane-doe.md"] == "contacts/Jane Doe.md"
    assert (
        "[Edit this file](https://github.com/o/r/edit/main/opportunities/acme-data.md)"
        in (result.pages["opportunities/acme-data.md"])
    )
    due = result.pages["due.md"]
    logged = [u for u in _links(due) if "/new/" in u]
    assert len(logged) == 2  # Jane's thank-you, Bob's check-in
    url = urlsplit(logged[0])
    assert url.path == "/o/r/new/main"
    query = {k: v[0] for k, v in parse_qs(url.query, strict_parsing=True).items()}
    assert query["filename"] == "interactions/2026-11-20-thank-you-jane-doe.md"
    assert query["value"] == (
        "---\ndate: 2026-11-20\nkind: thank-you\ncontacts: jane-doe\nchannel: mail\n"
        "opportunity: acme-data\n---\n"
    )
    assert write.check(write.NewFile("interaction", query["filename"], query["value"])) == ()
    assert unquote(logged[0]).count("\n") == 7  # each line break encoded, none raw
    assert "\n" not in logged[0] and " " not in logged[0]
    assert f"[Log it on GitHub]({logged[0]})" in jane  # the contact's open item too


@pytest.mark.parametrize(
    ("setting", "linked"), [("", False), ("site:\n  edit_links: true\n", True)]
)
def test_the_published_site_has_them_only_when_enabled(make_crm, setting, linked):
    files = {**SMALL, "followup.yml": "today: 2026-11-20\n" + setting}
    root = make_crm(files)
    result = generate(root, TODAY, repository=GITHUB, published=True)
    assert bool(_links(result.pages["due.md"])) == linked
    assert bool(_links(result.pages["contacts/jane-doe.md"])) == linked
    assert (result.repository is not None) == linked
    # Not published (mkdocs serve, mkdocs build): always, with a repository.
    assert _links(generate(root, TODAY, repository=GITHUB).pages["due.md"])


MKDOCS = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
    "    - toc.follow\n", "    - toc.follow\n    - content.action.edit\n"
) + "repo_url: https://github.com/o/r\nedit_uri: edit/trunk/docs/\n"


def _built(make_crm, tmp_path, settings: str = ""):
    root = make_crm({**SMALL, "followup.yml": "today: 2026-11-20\n" + settings})
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    return root


def _edit_buttons(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" title="Edit this page" class="md-content__button', html)


def test_mkdocs_build_links_record_pages_to_their_files(make_crm, tmp_path):
    root = _built(make_crm, tmp_path)
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    jane = (site / "contacts" / "jane-doe" / "index.html").read_text()
    # Material's edit button edits the data file, not a page under docs/.
    assert _edit_buttons(jane) == ["https://github.com/o/r/edit/trunk/contacts/jane-doe.md"]
    assert (
        'href="https://github.com/o/r/edit/trunk/contacts/jane-doe.md">Edit this file</a>' in jane
    )
    assert _edit_buttons((site / "due" / "index.html").read_text()) == []  # no file to edit
    assert (
        'href="https://github.com/o/r/new/trunk?filename=interactions/2026-11-20-thank-you-jane-doe.md&amp;value='
        in (site / "due" / "index.html").read_text()
    )


@pytest.mark.parametrize(
    ("settings", "linked"), [("", False), ("site:\n  edit_links: true\n", True)]
)
def test_publish_leaves_them_out_unless_enabled(make_crm, tmp_path, settings, linked):
    root = _built(make_crm, tmp_path, settings + "publish:\n  mode: access-controlled\n")
    out = tmp_path / "published"
    result = CliRunner().invoke(
        main, ["publish", "--root", str(root), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    html = "".join(p.read_text() for p in out.rglob("*.html"))
    assert ("/edit/trunk/contacts/jane-doe.md" in html) == linked
    assert ("https://github.com/o/r/new/trunk?filename=" in html) == linked


@pytest.mark.parametrize("config", ["mkdocs.yml", "properdocs.yml"])
def test_followup_gen_build_reads_the_repository_from_the_site_config(make_crm, tmp_path, config):
    root = _built(make_crm, tmp_path)
    (root / "mkdocs.yml").rename(root / config)  # ProperDocs' name: read first
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    jane = (root / "docs" / "crm" / "contacts" / "jane-doe.md").read_text()
    assert "[Edit this file](https://github.com/o/r/edit/trunk/contacts/jane-doe.md)" in jane
