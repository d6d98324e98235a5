"""Publishing: the example CRM sealed, audited and opened in a real browser;
the modes, salts and failures on a small CRM (a publish of it takes half the time)."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_gen.cli import main

from .conftest import ROOT, write_files
from .test_pages import SMALL
from .unseal import unseal

PASSWORD = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def publish(root: Path, out: Path, password: str | None = PASSWORD):
    """``followup-gen publish --root ROOT --out OUT`` with that password (None: unset)."""
    env = {"FOLLOWUP_SITE_PASSWORD": password} if password is not None else {}
    return run("publish", "--root", str(root), "--out", str(out), env=env)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """A copy of the example CRM (data, settings, mkdocs.yml, docs, templates)."""
    root = tmp_path_factory.mktemp("example")
    for name in ("contacts", "opportunities", "interactions", "docs", "site_templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "followup.yml", "profile.md"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, root / name)
    return root


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """tests/test_pages.py's two-contact CRM with the example's mkdocs.yml."""
    root = write_files(tmp_path_factory.mktemp("small") / "crm", SMALL)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs" / "assets").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "assets" / "logo.svg", root / "docs" / "assets")  # mkdocs.yml's
    return root


@pytest.fixture(scope="module")
def sealed(example, tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "site"
    result = publish(example, out, PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Published to {out} (encrypted: ")
    return out


@pytest.fixture(scope="module")
def inside(sealed) -> dict[str, bytes]:
    """Every file of the sealed site, decrypted with the password (read only)."""
    return unseal(sealed, PASSWORD)


def test_encrypted_site_has_zero_leaks_and_a_plain_build_many(example, sealed, inside, tmp_path):
    clean = run("audit", str(sealed), "--root", str(example))
    assert clean.exit_code == 0, clean.output
    assert "No leaks: searched" in clean.stderr

    files = inside
    assert "index.html" in files and "sitemap.xml" in files and "search/search_index.json" in files
    (tmp_path / "inside").mkdir()
    for rel, data in files.items():
        target = tmp_path / "inside" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    leaky = run("audit", str(tmp_path / "inside"), "--root", str(example), "--limit", "10")
    assert leaky.exit_code == 1
    count = int(leaky.stderr.split(" leaks")[0].split()[-1])
    assert count > 100  # names, emails, notes... the scanner sees them all
    assert "contacts/" in leaky.stdout


def test_every_page_inside_says_noindex(inside):
    files = inside
    pages = [rel for rel in files if rel.endswith(".html")]
    assert len(pages) > 20
    for rel in pages:
        assert b'<meta name="robots" content="noindex, nofollow">' in files[rel], rel


def test_missing_or_weak_password_fails_before_building(example, tmp_path):
    out = tmp_path / "site"
    result = publish(example, out, None)
    assert result.exit_code == 1
    assert (
        "cannot publish an encrypted site: no password: set the environment variable "
        "FOLLOWUP_SITE_PASSWORD" in result.stderr
    )
    assert not out.exists()
    weak = publish(example, out, "hunter2")
    assert weak.exit_code == 1 and "use at least 12" in weak.stderr


def test_publish_never_replaces_a_folder_it_did_not_make(example, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = publish(example, out, PASSWORD)
    assert result.exit_code == 1
    assert "was not made by 'followup-gen publish' or 'mkdocs build'" in result.stderr
    assert (out / "thesis.tex").read_text() == "precious"


def test_publish_replaces_a_plain_mkdocs_build(small, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    for name in ("404.html", "sitemap.xml.gz", "index.html"):
        (out / name).write_text("plain build")
    result = publish(small, out, PASSWORD)
    assert result.exit_code == 0, result.output
    assert "plain build" not in (out / "index.html").read_text()
    assert (out / "_enc" / "meta.json").is_file()


def _with_settings(crm: Path, tmp_path: Path, extra: str) -> Path:
    """A copy of ``crm`` with ``extra``, a publish: section, in its followup.yml."""
    root = tmp_path / "crm"
    shutil.copytree(crm, root)
    settings = root / "followup.yml"
    text = settings.read_text()
    # Merged into the CRM's own publish: section (the example's salt), if any.
    settings.write_text(
        text.replace("publish:\n", extra, 1) if "publish:\n" in text else text + extra
    )
    return root


def test_redact_mode_leaves_the_fields_out(example, tmp_path):
    root = _with_settings(example, tmp_path, "publish:\n  mode: redact\n")
    shutil.rmtree(root / "docs" / "guide")  # the guides quote the example's own details
    out = tmp_path / "site"
    result = publish(root, out, None)
    assert result.exit_code == 0, result.output
    assert "audited for the redacted fields (address, email, notes, phone)" in result.stdout
    html = (out / "contacts" / "rachel-kim" / "index.html").read_text()
    assert "Rachel Kim" in html  # names stay: redact is for a trusted coach
    assert "@example" not in html and "555-01" not in html
    letters = list((out / "letters").rglob("*.html"))
    assert len(letters) >= 5
    for letter in letters:  # your own details go too
        text = letter.read_text()
        assert "alex.rivera@example.com" not in text and "555-0142" not in text, letter
    everything = run("audit", str(out), "--root", str(root))
    assert everything.exit_code == 1  # names and companies are still there


def test_access_controlled_mode_is_plain(small, tmp_path):
    root = _with_settings(small, tmp_path, "publish:\n  mode: access-controlled\n")
    out = tmp_path / "site"
    result = publish(root, out, None)
    assert result.exit_code == 0, result.output
    assert "Jane Doe" in (out / "contacts" / "jane-doe" / "index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in (out / "index.html").read_text()


def test_unknown_mode_is_an_error_naming_the_key(example, tmp_path):
    root = _with_settings(example, tmp_path, "publish:\n  mode: secret\n")
    result = publish(root, tmp_path / "site", None)
    assert result.exit_code == 1
    assert "followup.yml:" in result.stderr and "'publish.mode' is 'secret'" in result.stderr


@pytest.fixture
def served(sealed):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(sealed))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


def wait_until(page, expression: str, seconds: float = 15) -> None:
    """Poll ``expression`` (the sealed site's Content-Security-Policy forbids
    the eval behind Playwright's wait_for_function)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def test_browser_opens_the_encrypted_site_only_with_the_password(served, browser, tmp_path):
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served)
    assert page.title() == "Private site"
    before = page.content()
    for name in ("Rachel Kim", "Lumenfield", "rachel", "Alex Rivera"):
        assert name not in before
    page.fill("#password", "definitely the wrong one")
    page.click("#open")
    wait_until(page, "document.querySelector('#message').textContent.includes('Wrong')")
    assert page.inner_text("#message") == "Wrong password: nothing was decrypted. Try again."
    page.screenshot(path=str(shots / "encrypted-wrong-password.png"))

    page.fill("#password", PASSWORD)
    page.click("#open")
    page.wait_for_selector(".md-content", timeout=30_000)
    assert "Private site" not in page.title()
    assert "overdue" in page.inner_text(".md-content").lower()
    page.screenshot(path=str(shots / "encrypted-dashboard.png"))

    page.goto(served + "contacts/rachel-kim/")
    page.wait_for_selector(".md-content h1")
    assert "Rachel Kim" in page.inner_text(".md-content h1")
    page.screenshot(path=str(shots / "encrypted-contact.png"))

    page.click("a.followup-lock")  # from a page two folders deep
    wait_until(page, "document.querySelector('h1').textContent === 'Locked'")
    page.goto(served)  # the key is gone: the password page again
    page.wait_for_selector("#password")
    assert page.title() == "Private site" and "Rachel Kim" not in page.content()


def _meta_salt(out: Path) -> str:
    import json

    return json.loads((out / "_enc" / "meta.json").read_text())["salt"]


def test_publish_seals_with_the_salt_in_followup_yml(small, tmp_path):
    root = tmp_path / "crm"
    shutil.copytree(small, root)
    (root / "followup.yml").write_text(
        'today: 2026-11-20\npublish:\n  salt: "AAECAwQFBgcICQoLDA0ODw=="\n  idle_lock_minutes: 5\n'
    )
    result = publish(root, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert "salt" not in result.stderr
    assert _meta_salt(tmp_path / "site") == "AAECAwQFBgcICQoLDA0ODw=="
    meta = (tmp_path / "site" / "_enc" / "meta.json").read_text()
    assert '"idle_lock_minutes": 5' in meta


def test_publish_without_a_salt_warns_and_keeps_the_old_derivation(small, tmp_path):
    from base64 import b64encode

    from followup_gen.publish.encrypt import salt_for

    root = tmp_path / "crm"
    shutil.copytree(small, root)
    (root / "followup.yml").write_text("today: 2026-11-20\n")
    result = publish(root, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "followup-gen: warning: followup.yml has no publish.salt, so the site is sealed with "
        "the salt made from its name, which every site called 'Job search' shares; run "
        "'followup-gen salt' once and commit followup.yml (browsers then ask for the password "
        "once more)\n"
    )
    assert _meta_salt(tmp_path / "site") == b64encode(salt_for("Job search")).decode()


# A resource the browser would fetch from another site: a stylesheet, script,
# font, image or frame whose address is absolute (or scheme-relative).
THIRD_PARTY = re.compile(
    rb"""<(?:link|script|img|iframe|source|audio|video)\b[^>]*\b(?:href|src)=["']?(?:https?:)?//"""
    rb"""|@import\s+url\(["']?(?:https?:)?//|url\(["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_no_published_page_asks_another_site_for_anything(example, inside):
    # The example's mkdocs.yml says nothing about fonts: publish switches
    # Material's Google Fonts off all the same.
    assert "font:" not in (example / "mkdocs.yml").read_text()
    for rel, data in inside.items():
        if rel.endswith((".html", ".css", ".js")):
            assert not THIRD_PARTY.search(data), rel
            assert b"fonts.googleapis.com" not in data and b"fonts.gstatic.com" not in data, rel


def test_a_failed_audit_keeps_the_previous_site_and_leaves_no_plain_copy(
    small, tmp_path, monkeypatch
):
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    # A plain copy a killed publish left behind (its process is gone).
    stale = temp / "followup-publish-999999999-x"
    (stale / "contacts").mkdir(parents=True)
    root = _with_settings(small, tmp_path, "publish:\n  mode: redact\n")
    jane = root / "contacts" / "jane-doe.md"
    jane.write_text(jane.read_text().replace("\n---\n", "\nphone: +1 206-555-0131\n---\n", 1))
    out = tmp_path / "site"
    assert publish(root, out, None).exit_code == 0
    assert not stale.exists()
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "docs" / "call.md").write_text("# Calls\n\nJane: +1 206-555-0131.\n")
    failed = publish(root, out, None)
    assert failed.exit_code == 1
    assert "leaks of the redacted fields" in failed.stderr
    assert "the previous site stays" in failed.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm", "site", "tmp"]
    assert list(temp.iterdir()) == []


def test_what_a_publish_could_leave_is_ignored_by_git(tmp_path):
    from followup_gen.exchange.scaffold import resource

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for ignore in (resource("gitignore"), (ROOT / ".gitignore").read_text()):
        (tmp_path / ".gitignore").write_text(ignore)
        for name in ("site/index.html", ".site.plain/x.html", ".site.sealing/x", ".site.new-ab/x"):
            done = subprocess.run(
                ["git", "-C", str(tmp_path), "check-ignore", "--no-index", "-q", name],
                capture_output=True,
            )
            assert done.returncode == 0, (name, ignore)


def test_a_warning_never_stops_publish_unless_strict(small, tmp_path):
    """check exits 0 on a misspelt optional key; publish (a strict MkDocs build) agrees
    now, and --strict or `strict: true` stops both the same way (issue 17)."""
    root = _with_settings(small, tmp_path, "publish:\n  mode: access-controlled\n")
    jane = root / "contacts" / "jane-doe.md"
    jane.write_text(jane.read_text().replace("\n---\n", "\nlinkdin: x\n---\n", 1))
    assert run("check", "--root", str(root)).exit_code == 0
    assert publish(root, tmp_path / "site", None).exit_code == 0
    strict = run("publish", "--strict", "--root", str(root), "--out", str(tmp_path / "s2"))
    assert strict.exit_code == 1
    assert "unknown key 'linkdin'" in strict.stderr and "stop a strict publish" in strict.stderr
    assert run("check", "--strict", "--root", str(root)).exit_code == 1
    settings = root / "followup.yml"
    settings.write_text(settings.read_text() + "strict: true\n")
    assert run("check", "--root", str(root)).exit_code == 1
    assert publish(root, tmp_path / "s3", None).exit_code == 1


def _generator(site: Path) -> str:
    return (site / "index.html").read_text().split('name="generator" content="', 1)[1].split('"')[0]


def test_publish_builds_properdocs_yml_with_properdocs(make_crm, tmp_path, monkeypatch):
    """A CRM made with `init --engine properdocs` is published by the engine it
    previews with; without ProperDocs installed, MkDocs builds it and says so."""
    import importlib.util

    from .test_pages import SMALL

    if importlib.util.find_spec("properdocs") is None:
        pytest.skip("properdocs is not installed (pip install -e '.[test]' installs it)")
    root = make_crm(
        {
            **SMALL,
            "followup.yml": SMALL["followup.yml"] + "publish:\n  mode: access-controlled\n",
            "properdocs.yml": (ROOT / "mkdocs.yml").read_text(),
            "docs/.gitkeep": "",
        }
    )
    result = publish(root, tmp_path / "site", None)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert _generator(tmp_path / "site").startswith("mkdocs-ProperDocs ")
    assert "Jane Doe" in (tmp_path / "site/contacts/jane-doe/index.html").read_text()
    # A warning of the ProperDocs build fails it (a strict build), named on stderr.
    (root / "docs" / "mine.md").write_text("# Mine\n\n[gone](gone.md)\n")
    broken = publish(root, tmp_path / "broken", None)
    assert broken.exit_code == 1
    assert "properdocs: WARNING: " in broken.stderr and "'gone.md'" in broken.stderr
    assert "the ProperDocs build failed: Aborted with 1 warnings in strict mode!" in broken.stderr
    assert not (tmp_path / "broken").exists()
    (root / "docs" / "mine.md").unlink()
    from followup_gen.site import engine

    monkeypatch.setattr(engine, "installed", lambda name: name != "properdocs")
    fallback = publish(root, tmp_path / "fallback", None)
    assert fallback.exit_code == 0, fallback.output
    assert fallback.stderr == (
        "followup-gen: warning: ProperDocs is not installed, so MkDocs builds properdocs.yml "
        "(pip install 'followup-gen[properdocs]' to build it with ProperDocs)\n"
    )
    assert _generator(tmp_path / "fallback").startswith("mkdocs-1.")
