"""The publishing workflow and the pre-commit hook: parsed, and their commands run for real."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from followup_gen.exchange import scaffold
from followup_gen.exchange.scaffold import ToolSource, resource

from .conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"
TOOL = ToolSource("https://github.com/example/followup-gen", "0123456789abcdef" * 2 + "01234567")
# Every action the workflows use, at its current major (Node 24 runners).
ACTIONS = {
    "actions/checkout@v6",
    "actions/setup-python@v6",
    "actions/upload-pages-artifact@v5",
    "actions/deploy-pages@v5",
}


def generated(plan: str, engine: str = "mkdocs") -> str:
    return scaffold.workflow("Europe/Berlin", dt.date(2026, 11, 26), plan, TOOL, engine)


def workflow(text: str | None = None) -> dict:
    return yaml.safe_load(text if text is not None else WORKFLOW.read_text())


def steps(text: str | None = None) -> list[dict]:
    return workflow(text)["jobs"]["build"]["steps"]


def step(name: str, text: str | None = None) -> dict:
    return next(s for s in steps(text) if s.get("name") == name)


def test_this_repositorys_workflow_is_the_paid_set_up_installing_itself():
    assert WORKFLOW.read_text() == resource("publish-paid.yml")
    assert workflow()["env"] == {"FOLLOWUP_GEN": "."}


def test_init_writes_a_pinned_commit_of_the_tool():
    for plan in scaffold.PLANS:
        assert workflow(generated(plan))["env"] == {"FOLLOWUP_GEN": TOOL.requirement}
        assert TOOL.requirement == (
            f"followup-gen @ git+https://github.com/example/followup-gen@{TOOL.commit}"
        )
    config = yaml.safe_load(scaffold.pre_commit_config(TOOL))
    assert config["repos"] == [
        {"repo": TOOL.repository, "rev": TOOL.commit, "hooks": [{"id": "followup-gen-check"}]}
    ]


def test_triggers_push_daily_and_by_hand():
    for text in (None, generated("free")):
        on = workflow(text)[True]  # YAML 1.1 reads the key `on` as true
        assert on["push"] == {"branches": ["main"]}
        (schedule,) = on["schedule"]
        minute, hour, *rest = schedule["cron"].split()
        assert 0 <= int(minute) < 60 and 0 <= int(hour) < 24 and rest == ["*", "*", "*"]
        assert "workflow_dispatch" in on


def _secrets_by_step(text: str) -> dict[str, set[str]]:
    """Which step (or job/workflow level) names which secrets."""
    found: dict[str, set[str]] = {}
    parsed = workflow(text)
    for job_id, job in parsed["jobs"].items():
        for place, part in (
            (f"{job_id}", {k: v for k, v in job.items() if k != "steps"}),
            *((f"{job_id}: {s.get('name', s.get('uses'))}", s) for s in job.get("steps", [])),
        ):
            names = set(re.findall(r"secrets\.(\w+)", yaml.safe_dump(part)))
            if names:
                found[place] = names
    top = {k: v for k, v in parsed.items() if k != "jobs"}
    assert "secrets." not in yaml.safe_dump(top)
    return found


def test_current_actions_minimal_permissions_and_secrets_only_where_used():
    for plan in scaffold.PLANS:
        text = generated(plan)
        parsed = workflow(text)
        uses = {s["uses"] for job in parsed["jobs"].values() for s in job["steps"] if "uses" in s}
        assert uses <= ACTIONS, uses
        assert parsed["permissions"] == {}
        build = parsed["jobs"]["build"]
        assert build["permissions"] == {"contents": "read"}
        checkout = build["steps"][0]
        assert checkout == {"uses": "actions/checkout@v6", "with": {"persist-credentials": False}}
        password = {"build: Build the site": {"FOLLOWUP_SITE_PASSWORD"}}
        if plan == "paid":
            deploy = parsed["jobs"]["deploy"]
            assert deploy["needs"] == "build"
            assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
            assert deploy["environment"]["name"] == "github-pages"
            assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v5"]
            assert _secrets_by_step(text) == password
        else:
            assert list(parsed["jobs"]) == ["build"]  # nothing runs with more than read
            push = "build: Push the sealed site to the site repository"
            assert _secrets_by_step(text) == {**password, push: {"FOLLOWUP_SITE_DEPLOY_KEY"}}


def test_both_set_ups_build_and_audit_alike():
    for plan in scaffold.PLANS:
        text = generated(plan)
        used = [s.get("uses", s.get("name")) for s in steps(text)]
        assert used[:7] == [
            "actions/checkout@v6",
            "actions/setup-python@v6",
            "Install followup-gen",
            "Use the time zone of followup.yml",
            "Check the CRM",
            "Build the site",
            "Audit the site for personal data",
        ]
        assert used[7:] == (
            ["actions/upload-pages-artifact@v5"]
            if plan == "paid"
            else ["Push the sealed site to the site repository"]
        )
        assert step("Check the CRM", text)["run"] == "followup-gen check"
        build = step("Build the site", text)
        assert build["run"] == "followup-gen publish --out site"
        assert build["env"] == {"FOLLOWUP_SITE_PASSWORD": "${{ secrets.FOLLOWUP_SITE_PASSWORD }}"}
        assert step("Audit the site for personal data", text)["run"] == (
            "followup-gen audit site --scope published"
        )
    upload = steps(generated("paid"))[-1]
    assert upload["with"] == {"path": "site"}


ZIZMOR_CONFIG = """\
rules:
  unpinned-uses:
    config:
      policies:
        # GitHub's own actions by their major version, as GitHub documents
        # them; anything else would need a commit hash.
        "actions/*": ref-pin
        "*": hash-pin
"""


def test_a_workflow_linter_accepts_every_generated_workflow(tmp_path):
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install zizmor: the test extra)")
    (tmp_path / "zizmor.yml").write_text(ZIZMOR_CONFIG)
    made = []
    for plan in scaffold.PLANS:
        for engine in scaffold.ENGINES:
            made.append(tmp_path / f"{plan}-{engine}.yml")
            made[-1].write_text(generated(plan, engine))
    done = subprocess.run(
        [zizmor, "--offline", "--persona", "pedantic", "--no-progress",
         "--config", str(tmp_path / "zizmor.yml"), *map(str, made), str(WORKFLOW)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def run_step(
    name: str, cwd: Path, tmp_path: Path, text: str | None = None, **env: str
) -> subprocess.CompletedProcess:
    """Run one step's script as the runner would (bash -e), with ``env``."""
    env_file = tmp_path / "github_env"
    env_file.write_text("")
    bin_dir = str(Path(sys.executable).parent)
    return subprocess.run(
        ["bash", "-e", "-c", step(name, text)["run"]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"GITHUB_ENV": str(env_file), "PATH": f"{bin_dir}:/usr/bin:/bin", **env},
    )


def test_the_install_step_installs_only_a_pinned_commit(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pip").write_text('#!/bin/sh\necho "pip $*"\n')
    (fake / "pip").chmod(0o755)
    path = f"{fake}:/usr/bin:/bin"
    for value, ok in (
        (TOOL.requirement, True),
        (".", True),
        ("followup-gen", False),  # not on the index: whoever registers it would run here
        ("followup-gen==0.2.0", False),
        ("followup-gen @ git+https://github.com/example/followup-gen@main", False),
        ('followup-gen @ git+https://x.example/a@0123456789abcdef0123456789abcdef01234567"', False),
    ):
        done = run_step(
            "Install followup-gen",
            tmp_path,
            tmp_path,
            generated("free"),
            FOLLOWUP_GEN=value,
            PATH=path,
        )
        assert (done.returncode == 0) == ok, (value, done.stdout)
        assert done.stdout == (f"pip install {value}\n" if ok else done.stdout)
        if not ok:
            assert "::error::FOLLOWUP_GEN must be" in done.stdout and "pip" not in done.stdout


def test_a_properdocs_crm_installs_followup_gen_with_properdocs(tmp_path):
    """`init --engine properdocs`: the workflow installs the pinned commit with its
    [properdocs] extra, and `followup-gen publish` builds properdocs.yml with it."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pip").write_text('#!/bin/sh\necho "pip $*"\n')
    (fake / "pip").chmod(0o755)
    path = f"{fake}:/usr/bin:/bin"
    for plan in scaffold.PLANS:
        mkdocs, properdocs = generated(plan), generated(plan, "properdocs")
        wanted = f"followup-gen[properdocs] @ git+{TOOL.repository}@{TOOL.commit}"
        assert workflow(properdocs)["env"] == {"FOLLOWUP_GEN": wanted}
        assert workflow(mkdocs)["env"] == {"FOLLOWUP_GEN": TOOL.requirement}
        # The comment of the build step names the engine that builds the site.
        assert scaffold.ENGINE_NOTES["mkdocs"] in mkdocs
        assert scaffold.ENGINE_NOTES["properdocs"] in properdocs
        assert "ProperDocs" in scaffold.ENGINE_NOTES["properdocs"]
        assert "ProperDocs" not in scaffold.ENGINE_NOTES["mkdocs"]
        assert step("Build the site", properdocs)["run"] == "followup-gen publish --out site"
        for value, ok in (
            (wanted, True),
            (TOOL.requirement, True),
            (wanted.replace("[properdocs]", "[test]"), False),  # only the engine's extra
            ("followup-gen[properdocs]", False),
        ):
            done = run_step("Install followup-gen", tmp_path, tmp_path, properdocs,
                            FOLLOWUP_GEN=value, PATH=path)  # fmt: skip
            assert (done.returncode == 0) == ok, (value, done.stdout)
            assert done.stdout == (f"pip install {value}\n" if ok else done.stdout)


PUSH = "Push the sealed site to the site repository"


def test_the_free_set_up_pushes_only_the_sealed_site(tmp_path):
    # A CRM's checkout with its data, and the sealed site built into site/.
    crm = tmp_path / "crm"
    (crm / "contacts").mkdir(parents=True)
    (crm / "contacts" / "jane-doe.md").write_text("---\nname: Jane Doe\n---\n")
    (crm / "site" / "_enc").mkdir(parents=True)
    (crm / "site" / "_enc" / "meta.json").write_text('{"kdf": "PBKDF2-SHA256"}')
    (crm / "site" / "index.html").write_text("password page")
    # github.com stands for a local bare repository (git's insteadOf).
    remote = tmp_path / "remote"
    subprocess.run(["git", "init", "-q", "--bare", str(remote / "me" / "site.git")], check=True)
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{remote.as_uri()}/"]\n\tinsteadOf = git@github.com:\n')
    env = {
        "GIT_CONFIG_GLOBAL": str(config),
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_REPOSITORY": "me/crm",
        "DEPLOY_KEY": "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----",
    }
    text = generated("free")
    done = run_step(PUSH, crm, tmp_path, text, SITE_REPOSITORY="me/site", **env)
    assert done.returncode == 0, done.stdout + done.stderr
    pushed = subprocess.run(
        ["git", "-C", str(remote / "me" / "site.git"), "ls-tree", "-r", "--name-only", "gh-pages"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert pushed == ["_enc/meta.json", "index.html"]  # the site alone, not the CRM
    assert not (tmp_path / "site-key").exists()  # the key file is gone
    for bad, message in (
        ({"SITE_REPOSITORY": ""}, "set the variable FOLLOWUP_SITE_REPOSITORY"),
        ({"SITE_REPOSITORY": "me/crm"}, "names this repository"),
        (
            {"SITE_REPOSITORY": "me/site", "DEPLOY_KEY": ""},
            "add the secret FOLLOWUP_SITE_DEPLOY_KEY",
        ),
    ):
        refused = run_step(PUSH, crm, tmp_path, text, **{**env, **bad})
        assert refused.returncode == 1 and message in refused.stdout, refused.stdout
    (crm / "site" / "_enc" / "meta.json").unlink()  # a plain (redact) build
    refused = run_step(PUSH, crm, tmp_path, text, SITE_REPOSITORY="me/site", **env)
    assert refused.returncode == 1 and "only a sealed site" in refused.stdout


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


def test_the_pre_commit_hook_init_writes_uses_a_supported_language():
    # `language: system` is deprecated (pre-commit 4.4); the hook is the
    # repository's own, `language: python`, installed at the pinned commit.
    text = scaffold.pre_commit_config(TOOL)
    assert "language" not in text
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert yaml.safe_load(text)["repos"][0]["hooks"] == [{"id": hook["id"]}]


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
