"""`followup-gen init`: a new CRM that checks clean, builds strictly and never clobbers files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner
from icalendar import Calendar

from followup_gen.cli import main
from followup_gen.exchange import scaffold
from followup_gen.exchange.scaffold import demo
from followup_gen.load import load_crm
from followup_gen.load.profile import load_profile
from followup_gen.outputs.drafts import LETTER_RULES, draft, letter_notes
from followup_gen.rules.evaluate import evaluate

from .test_letters import HIRING_LETTERS, problems_in

DAY = dt.date(2026, 11, 26)
SCAFFOLD = [
    ".github/workflows/publish.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "docs/.gitkeep",
    "followup.yml",
    "mkdocs.yml",
    "site_templates/README.md",
]
KEEPS = ["contacts/.gitkeep", "interactions/.gitkeep", "opportunities/.gitkeep"]


TOOL = scaffold.ToolSource("https://github.com/example/followup-gen", "ab" * 20)
FREE = (
    "To publish (--plan free, the default: right on every GitHub plan): keep this repository "
    "private; its workflow pushes only the sealed site to a separate public site repository, "
    "whose Pages serves it. The one-time steps are at the top of "
    ".github/workflows/publish.yml. On Pro, Team or Enterprise, --plan paid publishes with "
    "Pages from this private repository instead.\n"
    "Every Pages site of one account shares its origin (<name>.github.io), and any page on "
    "that origin can reach an unlocked site: give the site an origin of its own (a custom "
    "domain, or an account or organisation used for nothing else). See the privacy guide.\n"
)


@pytest.fixture(autouse=True)
def installed_from_git(monkeypatch):
    """As if followup-gen had been installed from a commit of its repository."""
    monkeypatch.setattr(scaffold, "tool_source", lambda: (TOOL, ""))


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def mkdocs_build(root, tmp_path):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"),
         "-d", str(tmp_path / "site")],
        capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""},
    )  # fmt: skip


def test_init_demo_makes_a_crm_that_checks_builds_and_has_work_today(tmp_path):
    root = tmp_path / "search"
    result = run(
        "init", str(root), "--demo", "--timezone", "Europe/Berlin", "--today", str(DAY), "--no-git"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Created a CRM in {root} (time zone Europe/Berlin), with a demo job search "
        f"({len(demo.CONTACTS)} contacts, {len(demo.OPPORTUNITIES)} opportunities, "
        f"{len(demo.INTERACTIONS)} interactions).\n"
        "Next:\n"
        f"  cd {root}\n"
        "  1. Open profile.md and fill in your name, address and two or three\n"
        "     accomplishments: every letter is signed with them.\n"
        '  2. followup-gen new contact "Jane Doe" --relationship hiring --company Acme\n'
        "  3. followup-gen due      what to follow up today (mkdocs serve: the site)\n"
        "  Step by step: docs/guide/index.md in followup-gen's repository.\n" + FREE
    )
    assert result.stderr == ""
    files = tree(root)
    top = [f for f in files if "/" not in f or f.startswith((".", "docs", "site_t"))]
    assert top == sorted([*SCAFFOLD, "profile.md"])  # the demo's job seeker signs its drafts
    assert not any(f.endswith(".gitkeep") and not f.startswith("docs/") for f in files)
    check = run("check", "--root", str(root))
    assert check.exit_code == 0
    assert (
        check.stderr
        == f"OK: {len(demo.CONTACTS)} contacts, {len(demo.OPPORTUNITIES)} opportunities, {len(demo.INTERACTIONS)} interactions\n"
    )
    loaded = load_crm(root)
    assert loaded.settings.timezone == "Europe/Berlin"
    # Dated around the day it was made: yesterday's interview is in it.
    assert (root / f"interactions/{DAY - dt.timedelta(days=1)}-interview-maria-lopez.md").is_file()
    evaluation = evaluate(loaded.crm, DAY, loaded.settings)
    statuses = {f.status for f in evaluation.followups}
    assert statuses == {"overdue", "due", "upcoming"}
    assert len({f.rule for f in evaluation.followups}) >= 6
    assert evaluation.stalled and evaluation.bridges
    # Its drafts read like letters a careful person wrote: greeted by name, nothing to fix.
    profile, problems = load_profile(root)
    assert problems == () and profile.name == "Jordan Lee"
    letters = [i for i in evaluation.followups if i.rule in LETTER_RULES]
    assert len(letters) >= 8
    for item in letters:
        text = draft(loaded, profile, item, DAY)
        assert not problems_in(text, hiring=item.rule in HIRING_LETTERS, met=True), text
        assert "[YOUR" not in text and "[WHAT THEY DID" not in text, text
        assert all(severity == "warning" for severity, _ in letter_notes(loaded, item)), text
    # The calendar feed, published the way the daily guide says: written into docs/.
    out = root / "docs/followups.ics"
    assert run("ics", "--root", str(root), "--today", str(DAY), "--out", str(out)).exit_code == 0
    build = mkdocs_build(root, tmp_path)
    assert build.returncode == 0, build.stderr
    assert "Maria Lopez" in (tmp_path / "site/contacts/maria-lopez/index.html").read_text()
    feed = Calendar.from_ical((tmp_path / "site/followups.ics").read_text())
    assert len(feed.walk("VEVENT")) == len(evaluation.followups)


def test_init_without_demo_is_an_empty_crm_that_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "--timezone", "UTC", "--title", 'Ann\'s "search": 2026', "--no-git")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "Created a CRM in . (time zone UTC).\nNext:\n  1. Open profile.md"
    )
    # A profile to fill in: every key commented out, so it checks clean as it is.
    assert tree(tmp_path) == sorted([*SCAFFOLD, *KEEPS, "profile.md"])
    assert "# name: " in (tmp_path / "profile.md").read_text()
    assert run("check").stderr == "OK: 0 contacts, 0 opportunities, 0 interactions\n"
    assert load_crm(tmp_path).settings.site.title == 'Ann\'s "search": 2026'
    site_name = next(
        line
        for line in (tmp_path / "mkdocs.yml").read_text().splitlines()
        if line.startswith("site_name:")
    )
    assert yaml.safe_load(site_name) == {"site_name": 'Ann\'s "search": 2026'}
    build = mkdocs_build(tmp_path, tmp_path / "out")
    assert build.returncode == 0, build.stderr


def test_init_refuses_to_replace_files_and_names_them(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    (tmp_path / ".gitignore").write_text("secret/\n")
    (tmp_path / "contacts").mkdir()
    (tmp_path / "contacts/me.md").write_text("---\nname: Me\nrelationship: friend\n---\n")
    before = snapshot(tmp_path)
    result = run("init", str(tmp_path), "--timezone", "UTC")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "followup-gen: 2 of its files exist: mkdocs.yml, .gitignore; nothing written "
        "(add --force to replace them)\n"
    )
    assert snapshot(tmp_path) == before
    forced = run("init", str(tmp_path), "--timezone", "UTC", "--force")
    assert forced.exit_code == 0
    assert forced.stderr == "replaced mkdocs.yml\nreplaced .gitignore\n"
    assert (tmp_path / "mkdocs.yml").read_text().startswith("# The CRM's private site.")
    # The user's contact is untouched; its folder needs no placeholder.
    assert (tmp_path / "contacts/me.md").read_bytes() == before["contacts/me.md"]
    assert not (tmp_path / "contacts/.gitkeep").exists()


def test_init_demo_refuses_to_write_over_a_contact(tmp_path):
    (tmp_path / "contacts").mkdir()
    (tmp_path / "contacts/maria-lopez.md").write_text("mine")
    result = run("init", str(tmp_path), "--demo", "--timezone", "UTC")
    assert result.exit_code == 1
    assert "1 of its files exist: contacts/maria-lopez.md; nothing written" in result.stderr
    assert tree(tmp_path) == ["contacts/maria-lopez.md"]


def test_init_unknown_time_zone_is_a_usage_error(tmp_path):
    result = run("init", str(tmp_path / "x"), "--timezone", "Europe/Berln")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--timezone': unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)"
        in result.stderr
    )
    assert not (tmp_path / "x").exists()


def test_the_daily_run_is_early_morning_local_time(tmp_path):
    crons = {}
    for zone in ("UTC", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles"):
        root = tmp_path / zone.replace("/", "-")
        assert run("init", str(root), "--timezone", zone, "--today", str(DAY)).exit_code == 0
        workflow = yaml.safe_load((root / ".github/workflows/publish.yml").read_text())
        crons[zone] = workflow[True]["schedule"][0]["cron"]  # YAML 1.1 reads `on` as true
    assert crons == {
        "UTC": "17 5 * * *",
        "Europe/Berlin": "17 4 * * *",  # UTC+1 in November
        "Asia/Kolkata": "47 23 * * *",  # UTC+5:30: the evening before, in UTC
        "America/Los_Angeles": "17 13 * * *",  # UTC-8
    }


def test_the_pre_commit_hook_of_a_new_crm_is_the_published_one(tmp_path):
    assert run("init", str(tmp_path), "--timezone", "UTC").exit_code == 0
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    from .conftest import ROOT

    (published,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert repo == {"repo": TOOL.repository, "rev": TOOL.commit, "hooks": [{"id": published["id"]}]}


def test_the_import_paths_named_in_files_init_writes_still_work(tmp_path):
    """CRMs made earlier run `from followup_gen.settings import load_settings` in
    their workflow and name `followup_gen.templates.default_templates` in
    site_templates/README.md; both keep working after the package's move to stages."""
    from followup_gen.exchange import scaffold

    made = scaffold.files("Job search", "UTC", dt.date(2026, 11, 20), False, salt="c2FsdA==")
    texts = "".join(made.values())
    assert "from followup_gen.settings import load_settings" in texts
    assert "from followup_gen.templates import default_templates" in texts
    code = (
        "from pathlib import Path; from followup_gen.settings import load_settings; "
        "from followup_gen.templates import default_templates; "
        "print(load_settings(Path('.'))[0].timezone, (default_templates() / 'due.md.j2').is_file())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert result.stdout == "UTC True\n"


def test_init_writes_the_set_up_of_the_plan_and_the_commit_it_runs(tmp_path):
    free = run("init", str(tmp_path / "free"), "--timezone", "UTC")
    paid = run("init", str(tmp_path / "paid"), "--timezone", "UTC", "--plan", "paid")
    assert free.exit_code == paid.exit_code == 0
    assert free.stdout.endswith(FREE)
    assert paid.stdout.endswith(
        "To publish (--plan paid: GitHub Pro, Team or Enterprise): keep this repository "
        "private, add the secret FOLLOWUP_SITE_PASSWORD, then Settings > Pages > Source: "
        "GitHub Actions. (GitHub Free publishes Pages only from public repositories: use "
        "--plan free there.)\n" + FREE.split("\n")[1] + "\n"
    )
    for plan in ("free", "paid"):
        text = (tmp_path / plan / ".github/workflows/publish.yml").read_text()
        assert text == scaffold.workflow("UTC", dt.date.today(), plan, TOOL)
        assert yaml.safe_load(text)["env"] == {"FOLLOWUP_GEN": TOOL.requirement}
    free_jobs = yaml.safe_load((tmp_path / "free/.github/workflows/publish.yml").read_text())
    assert "pages" not in str(free_jobs["jobs"]["build"]["permissions"])


def test_init_says_when_it_cannot_tell_which_commit_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(scaffold, "tool_source", lambda: (None, "reasons"))
    result = run("init", str(tmp_path), "--timezone", "UTC")
    assert result.exit_code == 0
    assert result.stderr == (
        "followup-gen: warning: cannot tell which commit of followup-gen this is (reasons), so "
        ".github/workflows/publish.yml (FOLLOWUP_GEN) and .pre-commit-config.yaml (repo, rev) "
        "name none: set them to a commit of followup-gen's repository, or install it with pip "
        'install "followup-gen @ git+https://github.com/OWNER/followup-gen@v0.2.0" and run '
        "init again\n"
    )
    workflow = yaml.safe_load((tmp_path / ".github/workflows/publish.yml").read_text())
    assert workflow["env"]["FOLLOWUP_GEN"].endswith("@COMMIT")  # which the install step refuses


def test_tool_source_reads_pips_record_of_a_git_install(monkeypatch):
    import json

    class Dist:
        def read_text(self, name):
            assert name == "direct_url.json"
            return json.dumps(
                {
                    "url": "https://github.com/example/followup-gen.git",
                    "vcs_info": {
                        "vcs": "git",
                        "commit_id": "cd" * 20,
                        "requested_revision": "v0.2.0",
                    },
                }
            )

    monkeypatch.undo()  # the real tool_source
    monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Dist())
    assert scaffold.tool_source() == (
        scaffold.ToolSource("https://github.com/example/followup-gen", "cd" * 20),
        "",
    )
    assert scaffold._https("git@github.com:me/followup-gen.git") == (
        "https://github.com/me/followup-gen"
    )
    assert scaffold._https("/work/followup-gen") == ""


def test_two_inits_give_two_different_random_salts(tmp_path):
    import base64

    salts = []
    for name in ("one", "two"):
        assert run("init", str(tmp_path / name), "--timezone", "UTC").exit_code == 0
        salt = load_crm(tmp_path / name).settings.publish.salt
        assert len(base64.b64decode(salt, validate=True)) == 16
        salts.append(salt)
    assert salts[0] != salts[1]


def test_init_makes_a_git_repository_with_a_first_commit(tmp_path, monkeypatch):
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for variable in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{variable}_NAME", "Ann Lee")
        monkeypatch.setenv(f"GIT_{variable}_EMAIL", "ann@example.com")
    result = run("init", str(tmp_path / "crm"), "--timezone", "UTC")
    assert result.exit_code == 0, result.output
    assert "Made it a git repository with a first commit.\n" in result.stdout
    log = subprocess.run(
        ["git", "-C", str(tmp_path / "crm"), "log", "--format=%s"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert log.stdout == "A new job search (followup-gen init)\n"
    # Inside a repository already: nothing done, and said so.
    again = run("init", str(tmp_path / "crm" / "inner"), "--timezone", "UTC")
    assert "inside a git repository already" in again.stdout


def properdocs_build(root, site):
    """``properdocs build --strict`` of the CRM at ``root``, as a person runs it."""
    return subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-q", "-d", str(site)],
        capture_output=True, text=True, cwd=root, timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root)},
    )  # fmt: skip


def test_init_engine_properdocs_writes_properdocs_yml_and_names_its_commands(tmp_path):
    import importlib.util

    if importlib.util.find_spec("properdocs") is None:
        pytest.skip("properdocs is not installed (pip install -e '.[test]' installs it)")
    root = tmp_path / "search"
    result = run(
        "init", str(root), "--demo", "--engine", "properdocs", "--timezone", "UTC",
        "--today", str(DAY), "--no-git",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "  3. followup-gen due      what to follow up today (properdocs serve: the site)\n" in (
        result.stdout
    )
    assert not (root / "mkdocs.yml").exists()
    made = scaffold.files("Job search", "UTC", DAY, False, salt="c2FsdA==")
    assert "Preview: `mkdocs serve`." in made["mkdocs.yml"]
    assert (root / "properdocs.yml").read_text() == made["mkdocs.yml"].replace(
        "Preview: `mkdocs serve`.", "Preview: `properdocs serve`.", 1
    )
    workflow = yaml.safe_load((root / ".github/workflows/publish.yml").read_text())
    assert workflow["env"] == {
        "FOLLOWUP_GEN": f"followup-gen[properdocs] @ git+{TOOL.repository}@{TOOL.commit}"
    }
    build = properdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    home = (tmp_path / "site/index.html").read_text()
    assert "ProperDocs" in home.split('name="generator" content="', 1)[1].split('"', 1)[0]
    assert "Maria Lopez" in (tmp_path / "site/contacts/maria-lopez/index.html").read_text()


def test_init_engine_is_mkdocs_by_default_and_refuses_others(tmp_path):
    default = run("init", str(tmp_path / "a"), "--timezone", "UTC", "--no-git")
    named = run("init", str(tmp_path / "b"), "--timezone", "UTC", "--engine", "mkdocs", "--no-git")
    assert default.exit_code == named.exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert "(mkdocs serve: the site)" in named.stdout
    assert not (tmp_path / "a/properdocs.yml").exists()
    other = run("init", str(tmp_path / "c"), "--timezone", "UTC", "--engine", "zensical")
    assert other.exit_code == 2
    assert "Invalid value for '--engine': 'zensical' is not one of 'mkdocs', 'properdocs'" in (
        other.stderr
    )
    assert not (tmp_path / "c").exists()
