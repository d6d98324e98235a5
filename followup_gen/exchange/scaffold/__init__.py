"""What ``followup-gen init`` writes: a CRM folder ready to use and to publish.

The files live next to this module and are copied as they are, apart from
the values filled in for the user: the site title (``mkdocs.yml``,
``followup.yml``), the time zone (``followup.yml``), the site's own random
salt (``followup.yml``'s ``publish.salt``) and the hour of the daily
publishing run (``publish.yml``'s cron line, which GitHub reads in UTC, moved
so the run happens early in the morning where the user lives).
``publish.yml`` here is also this repository's own
``.github/workflows/publish.yml``: a test keeps the two identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zoneinfo
from importlib import resources
from pathlib import Path

from followup_gen.exchange import write
from followup_gen.exchange.scaffold import demo
from followup_gen.problems import did_you_mean

# Target path in the new CRM -> file in this package.
PACKAGED: dict[str, str] = {
    "mkdocs.yml": "mkdocs.yml",
    "followup.yml": "followup.yml",
    ".github/workflows/publish.yml": "publish.yml",
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


def workflow(timezone: str, today: dt.date) -> str:
    """The publishing workflow for a CRM in ``timezone``."""
    return resource("publish.yml").replace(CRON, cron(timezone, today), 1)


def files(
    title: str, timezone: str, today: dt.date, with_demo: bool, *, salt: str
) -> dict[str, str]:
    """Every file ``init`` writes: ``{path: text}``, demo records included if asked.

    ``salt``: the site's key-derivation salt (``publish.salt.new_salt()``).
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
    out[".github/workflows/publish.yml"] = workflow(timezone, today)
    records = {new.path: new.text for new in demo.files(today)} if with_demo else {}
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
