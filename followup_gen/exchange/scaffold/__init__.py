"""What ``followup-gen init`` writes: a CRM folder ready to use and to publish.

The files live next to this module and are copied as they are, apart from
the values filled in for the user: the site title (``mkdocs.yml``,
``followup.yml``), the site engine (``ENGINES``: ``properdocs`` writes
``mkdocs.yml`` as ``properdocs.yml``, its preview command, and a workflow
installing followup-gen with its ``[properdocs]`` extra), the time zone (``followup.yml``), the site's own random
salt (``followup.yml``'s ``publish.salt``), the hour of the daily publishing
run (the workflow's cron line, which GitHub reads in UTC, moved so the run
happens early in the morning where the user lives) and the one commit of
followup-gen that the workflow and the pre-commit hook install
(``tool_source``: the version that wrote the CRM).

The workflow is one of two set-ups (``PLANS``): ``free`` keeps the CRM's
repository private and pushes only the sealed site to a separate public
site repository (GitHub Free publishes Pages from public repositories
only); ``paid`` publishes with Pages from the private repository itself
(Pro, Team, Enterprise). ``publish-paid.yml`` here is also this
repository's own ``.github/workflows/publish.yml`` (with ``FOLLOWUP_GEN: "."``:
it installs itself): a test keeps the two identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import zoneinfo
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from followup_gen.exchange import write
from followup_gen.exchange.scaffold import demo
from followup_gen.problems import did_you_mean

# Target path in the new CRM -> file in this package.
PACKAGED: dict[str, str] = {
    "mkdocs.yml": "mkdocs.yml",
    "followup.yml": "followup.yml",
    ".github/workflows/publish.yml": "publish-free.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
    "site_templates/README.md": "site_templates.md",
}
# Empty folders git keeps (MkDocs and the loader skip dot-files).
KEEP = ("contacts/.gitkeep", "opportunities/.gitkeep", "interactions/.gitkeep", "docs/.gitkeep")
CRON = '"17 5 * * *"'
RUN_AT = dt.time(5, 17)  # local time of the daily publishing run


def resource(name: str) -> str:
    """The text of a packaged file."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def cron(timezone: str, today: dt.date) -> str:
    """The UTC cron line for a run at ``RUN_AT`` local time (as of ``today``)."""
    moment = dt.datetime.combine(today, RUN_AT, tzinfo=zoneinfo.ZoneInfo(timezone))
    utc = moment.astimezone(dt.UTC)
    return f'"{utc.minute} {utc.hour} * * *"'


PLANS = ("free", "paid")  # the publishing set-ups; see the module docstring
_COMMIT = re.compile(r"[0-9a-f]{40}")
_URL = re.compile(r"https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~-]+)+")
SELF = 'FOLLOWUP_GEN: "."'  # followup-gen's own workflow installs itself


@dataclass(frozen=True, slots=True)
class ToolSource:
    """One commit of followup-gen's git repository: what a CRM's workflow installs."""

    repository: str  # https URL
    commit: str  # 40 hex digits

    @property
    def requirement(self) -> str:
        """The pip requirement of exactly this commit."""
        return self.requirement_for("mkdocs")

    def requirement_for(self, engine: str) -> str:
        """The pip requirement of this commit with what ``engine`` needs."""
        return f"followup-gen{EXTRAS[engine]} @ git+{self.repository}@{self.commit}"


# The site engines init can set up (site.engine: properdocs.yml names ProperDocs).
ENGINES = ("mkdocs", "properdocs")
EXTRAS = {"mkdocs": "", "properdocs": "[properdocs]"}  # followup-gen's extra for each
PREVIEW = "Preview: `mkdocs serve`."  # in mkdocs.yml
# The build step's comment names the engine `followup-gen publish` builds with.
ENGINE_NOTES = {
    "mkdocs": "# MkDocs builds it, from mkdocs.yml.",
    "properdocs": "# ProperDocs builds it (the [properdocs] extra), from properdocs.yml.",
}


# Written when init cannot tell: the workflow's install step refuses it.
UNKNOWN_SOURCE = ToolSource("https://github.com/OWNER/followup-gen", "COMMIT")


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _https(remote: str) -> str:
    """A git remote as an https URL (``git@github.com:o/r.git`` too), or ""."""
    scp = re.fullmatch(r"git@([A-Za-z0-9.-]+):(.+)", remote)
    url = f"https://{scp.group(1)}/{scp.group(2)}" if scp else remote
    url = url.removesuffix("/").removesuffix(".git")
    return url if _URL.fullmatch(url) else ""


def tool_source() -> tuple[ToolSource | None, str]:
    """The git repository and commit of the running followup-gen, else None and why.

    From pip's record of a ``pip install "followup-gen @ git+https://...@REF"``
    (the resolved commit), or from the git checkout of a source install when
    it has an https (or GitHub ssh) ``origin`` and no uncommitted change.
    """
    try:
        direct = json.loads(
            metadata.distribution("followup-gen").read_text("direct_url.json") or "{}"
        )
    except (metadata.PackageNotFoundError, ValueError):
        direct = {}
    vcs = direct.get("vcs_info") or {}
    if vcs.get("vcs") == "git":
        url, commit = _https(direct.get("url", "")), vcs.get("commit_id", "")
        if url and _COMMIT.fullmatch(commit):
            return ToolSource(url, commit), ""
    checkout = Path(__file__).resolve().parents[3]
    if not (checkout / ".git").exists():
        return None, "followup-gen was not installed from its git repository"
    commit = _git(checkout, "rev-parse", "HEAD")
    url = _https(_git(checkout, "remote", "get-url", "origin"))
    if not _COMMIT.fullmatch(commit) or not url:
        return None, f"its checkout {checkout} has no https or GitHub 'origin' remote"
    if _git(checkout, "status", "--porcelain", "--untracked-files=no"):
        return None, f"its checkout {checkout} has uncommitted changes"
    return ToolSource(url, commit), ""


def workflow(
    timezone: str, today: dt.date, plan: str, tool: ToolSource, engine: str = "mkdocs"
) -> str:
    """The publishing workflow of ``plan`` for a CRM in ``timezone``, installing
    ``tool`` with what the site ``engine`` needs."""
    text = resource(f"publish-{plan}.yml").replace(CRON, cron(timezone, today), 1)
    text = text.replace(ENGINE_NOTES["mkdocs"], ENGINE_NOTES[engine], 1)
    return text.replace(SELF, f"FOLLOWUP_GEN: {json.dumps(tool.requirement_for(engine))}", 1)


def pre_commit_config(tool: ToolSource) -> str:
    """The pre-commit configuration: followup-gen's own hook, at ``tool``'s commit."""
    text = resource("pre-commit-config.yaml")
    text = text.replace("https://github.com/OWNER/followup-gen", tool.repository, 1)
    return text.replace("rev: COMMIT", f"rev: {tool.commit}", 1)


def files(
    title: str,
    timezone: str,
    today: dt.date,
    with_demo: bool,
    *,
    salt: str,
    plan: str = "free",
    tool: ToolSource = UNKNOWN_SOURCE,
    engine: str = "mkdocs",
) -> dict[str, str]:
    """Every file ``init`` writes: ``{path: text}``, demo records included if asked.

    ``salt``: the site's key-derivation salt (``publish.salt.new_salt()``);
    ``plan``: the publishing set-up (``PLANS``); ``tool``: the followup-gen
    the workflow and the pre-commit hook install; ``engine``: the site
    engine (``ENGINES``).
    """
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML string
    out = {target: resource(name) for target, name in PACKAGED.items()}
    out["mkdocs.yml"] = out["mkdocs.yml"].replace(
        "site_name: Job search", f"site_name: {quoted}", 1
    )
    out["followup.yml"] = (
        out["followup.yml"]
        .replace("timezone: UTC", f"timezone: {timezone}", 1)
        .replace("title: Job search", f"title: {quoted}", 1)
        .replace('salt: "SALT"', f'salt: "{salt}"', 1)
    )
    out[".github/workflows/publish.yml"] = workflow(timezone, today, plan, tool, engine)
    if engine == "properdocs":  # the same file, under the name ProperDocs reads first
        out = {
            ("properdocs.yml" if path == "mkdocs.yml" else path): (
                text.replace(PREVIEW, "Preview: `properdocs serve`.", 1)
                if path == "mkdocs.yml"
                else text
            )
            for path, text in out.items()
        }
    out[".pre-commit-config.yaml"] = pre_commit_config(tool)
    records = {new.path: new.text for new in demo.files(today)} if with_demo else {}
    if "profile.md" not in records:  # the demo has a filled one; else one to fill in
        out["profile.md"] = resource("profile.md")
    filled = {path.split("/")[0] for path in records}
    out.update({keep: "" for keep in KEEP if keep.split("/")[0] not in filled})
    out.update(records)
    return out


def existing(target: Path, paths) -> list[str]:
    """The paths that are already there (``init`` refuses to replace them)."""
    return [p for p in paths if (target / p).exists() or (target / p).is_symlink()]


def create(target: Path, planned: dict[str, str], force: bool) -> list[str]:
    """Write the files; replace existing ones only with ``force``. Returns the paths."""
    written = []
    for rel, text in planned.items():
        path = target / rel
        if rel in KEEP and path.parent.is_dir() and any(path.parent.iterdir()):
            continue  # a folder with files in it needs no placeholder
        path.parent.mkdir(parents=True, exist_ok=True)
        if force and path.exists():
            path.write_text(text, encoding="utf-8", newline="\n")
        else:
            write.write(target, write.NewFile("file", rel, text))
        written.append(rel)
    return written


def local_timezone() -> str:
    """The machine's IANA time zone: ``$TZ``, else /etc/localtime's link, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    for name in candidates:
        if name and check_timezone(name) is None:
            return name
    return "UTC"


def check_timezone(name: str) -> str | None:
    """None for a known IANA zone, else what is wrong with ``name``."""
    try:
        zoneinfo.ZoneInfo(name)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, sorted(zoneinfo.available_timezones()))
        return f"unknown time zone '{name}'{hint}; use an IANA name like Europe/Berlin"
