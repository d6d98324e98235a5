"""The publishing workflow and the pre-commit hook: parsed, and their commands run for real."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from followup_gen.exchange.scaffold import resource

from .conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps() -> list[dict]:
    return workflow()["jobs"]["build"]["steps"]


def step(name: str) -> dict:
    return next(s for s in steps() if s.get("name") == name)


def test_this_repositorys_workflow_is_the_one_init_writes():
    assert WORKFLOW.read_text() == resource("publish.yml")


def test_triggers_push_daily_and_by_hand():
    on = workflow()[True]  # YAML 1.1 reads the key `on` as true
    assert on["push"] == {"branches": ["main"]}
    (schedule,) = on["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert 0 <= int(minute) < 60 and 0 <= int(hour) < 24 and rest == ["*", "*", "*"]
    assert "workflow_dispatch" in on


def test_pages_permissions_and_deploy_job():
    assert workflow()["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_build_steps_in_order():
    used = [s.get("uses", s.get("name")) for s in steps()]
    assert used == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "Install followup-gen",
        "Use the time zone of followup.yml",
        "Check the CRM",
        "Build the site",
        "Audit the site for personal data",
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v3",
    ]
    assert step("Check the CRM")["run"] == "followup-gen check"
    build = step("Build the site")
    assert build["run"] == "followup-gen publish --out site"
    assert build["env"] == {"FOLLOWUP_SITE_PASSWORD": "${{ secrets.FOLLOWUP_SITE_PASSWORD }}"}
    assert step("Audit the site for personal data")["run"] == (
        "followup-gen audit site --scope published"
    )
    upload = next(s for s in steps() if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"] == {"path": "site"}
    install = step("Install followup-gen")["run"]
    assert "pip install followup-gen" in install and "pip install ." in install


def run_step(name: str, cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env_file = tmp_path / "github_env"
    env_file.write_text("")
    bin_dir = str(Path(sys.executable).parent)
    return subprocess.run(
        ["bash", "-e", "-c", step(name)["run"]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"GITHUB_ENV": str(env_file), "PATH": f"{bin_dir}:/usr/bin:/bin"},
    )


def test_the_time_zone_step_reads_followup_yml(make_crm, tmp_path):
    root = make_crm({"followup.yml": "timezone: America/Chicago\n"})
    done = run_step("Use the time zone of followup.yml", root, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "github_env").read_text() == "TZ=America/Chicago\n"
    bare = make_crm({"contacts/a.md": "---\nname: A\nrelationship: friend\n---\n"})
    assert run_step("Use the time zone of followup.yml", bare, tmp_path).returncode == 0
    assert (tmp_path / "github_env").read_text() == "TZ=UTC\n"


def test_the_check_step_fails_a_broken_crm(make_crm, tmp_path):
    good = make_crm({"contacts/a.md": "---\nname: A\nrelationship: friend\n---\n"})
    assert run_step("Check the CRM", good, tmp_path).returncode == 0
    bad = make_crm({"contacts/a.md": "---\nname: A\n---\n"})
    assert run_step("Check the CRM", bad, tmp_path).returncode == 1


def test_pre_commit_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "followup-gen-check"
    assert hook["language"] == "python"  # pre-commit installs this repository's package
    assert hook["pass_filenames"] is False  # the check needs the whole CRM, not one file
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    command, *args = hook["entry"].split()
    assert command in scripts and args == ["check"]
    files = re.compile(hook["files"])
    for path in (
        "contacts/jane.md",
        "interactions/2026/x.md",
        "opportunities/a.md",
        "followup.yml",
    ):
        assert files.search(path), path
    for path in ("README.md", "docs/contacts/x.md", "contacts/notes.txt", "mkdocs.yml"):
        assert not files.search(path), path


COMMANDS = (
    ("init",),
    ("new", "contact"),
    ("new", "opportunity"),
    ("log",),
    ("import", "vcard"),
    ("import", "linkedin"),
    ("export", "vcard"),
    ("ics",),
)


def test_the_daily_guide_documents_every_command_and_option():
    import click
    from click.testing import CliRunner

    from followup_gen.cli import main

    guide = (ROOT / "docs/guide/daily.md").read_text()
    for words in COMMANDS:
        assert CliRunner().invoke(main, [*words, "--help"]).exit_code == 0
        assert f"followup-gen {' '.join(words)}" in guide or f"`{' '.join(words)}" in guide, words
        command = main
        for word in words:
            command = command.commands[word]
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("root", "today"):
                assert any(f"`{o}" in guide or f" {o}" in guide for o in param.opts), (
                    words,
                    param.opts,
                )
