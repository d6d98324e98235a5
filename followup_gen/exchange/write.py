"""Write new records as Markdown files with YAML front matter, never over a file.

The commands that create records (``new``, ``log``, the imports, ``init --demo``)
build a ``NewFile`` here, check it with the same loader and validator that
``check`` uses (so what is written always loads back without problems) and
only then create it, with exclusive creation: an existing file is never
replaced. Front matter is dumped with PyYAML's *safe* dumper, so no Python
tag can ever land in a user's file; multi-line text uses YAML block style.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import frontmatter
import yaml

from followup_gen.load import Loaded
from followup_gen.load.files import parse_record, record_files
from followup_gen.load.schema import check_record, slugify
from followup_gen.problems import Problem


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with multi-line text as a readable ``|`` block."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip("\n") else None
    if style:
        value = value.strip("\n") + "\n"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


class _Handler(frontmatter.YAMLHandler):
    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return yaml.dump(
            metadata, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
        ).strip()


@dataclass(frozen=True, slots=True)
class NewFile:
    """A record about to be written: its path relative to the CRM root and text."""

    type: str
    path: str
    text: str

    @property
    def id(self) -> str:
        return slugify(PurePosixPath(self.path).stem)


def render(metadata: Mapping[str, object], body: str = "") -> str:
    """Front matter (keys in the given order, empty values left out) and body."""
    kept = {k: v for k, v in metadata.items() if v not in (None, "", [], ())}
    kept = {k: list(v) if isinstance(v, tuple) else v for k, v in kept.items()}
    post = frontmatter.Post(body.strip("\n"), handler=_Handler(), **kept)
    return frontmatter.dumps(post).rstrip("\n") + "\n"


def check(new: NewFile) -> tuple[Problem, ...]:
    """Every problem ``check`` would report about this file on its own."""
    raw, problems = parse_record(new.path, new.text.encode("utf-8"), new.type)
    if raw is None:
        return tuple(problems)
    _, more = check_record(raw)
    return (*problems, *more)


def write(root: Path, new: NewFile) -> Path:
    """Create the file; raises ``FileExistsError`` rather than replace one."""
    path = root / new.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(new.text)
    return path


def taken_ids(loaded: Loaded, folder: str) -> set[str]:
    """Ids in use in a data folder: valid records' ids and every file's stem."""
    records = {
        "contacts": loaded.crm.contacts,
        "opportunities": loaded.crm.opportunities,
        "interactions": {i.id: i for i in loaded.crm.interactions},
    }[folder]
    stems = {
        slugify(path.stem)
        for path, _ in record_files(loaded.root)
        if path.relative_to(loaded.root).parts[0] == folder
    }
    return set(records) | stems


def free_id(base: str, taken: Iterable[str]) -> str:
    """``base`` if it is free, else ``base-2``, ``base-3``..."""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def contact(
    record_id: str,
    name: str,
    relationship: str,
    *,
    company: str | None = None,
    title: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    linkedin: str | None = None,
    tags: Iterable[str] = (),
    cadence: str | None = None,
    met: dt.date | None = None,
    first_check_in: dt.date | None = None,
    notes: str = "",
) -> NewFile:
    """A contact file ``contacts/<id>.md``."""
    metadata = {
        "name": name,
        "relationship": relationship,
        "company": company,
        "title": title,
        "email": email,
        "phone": phone,
        "address": address,
        "linkedin": linkedin,
        "tags": tuple(tags),
        "cadence": cadence,
        "met": met,
        "first_check_in": first_check_in,
    }
    return NewFile("contact", f"contacts/{record_id}.md", render(metadata, notes))


def opportunity(
    record_id: str,
    company: str,
    role: str,
    *,
    url: str | None = None,
    contacts: Iterable[str] = (),
    referred_by: str | None = None,
    expected_decision: dt.date | None = None,
    notes: str = "",
) -> NewFile:
    """An opportunity file ``opportunities/<id>.md``."""
    metadata = {
        "company": company,
        "role": role,
        "url": url,
        "contacts": tuple(contacts),
        "referred_by": referred_by,
        "expected_decision": expected_decision,
    }
    return NewFile("opportunity", f"opportunities/{record_id}.md", render(metadata, notes))


def interaction_id(date: dt.date, kind: str, contacts: Iterable[str], taken: Iterable[str]) -> str:
    """``2026-11-26-thank-you-jane-doe``, made unique against ``taken``."""
    first = next(iter(contacts), "")
    return free_id(slugify(f"{date.isoformat()}-{kind}-{first}"), taken)


def interaction(
    record_id: str,
    date: dt.date | dt.datetime,
    kind: str,
    contacts: Iterable[str],
    *,
    channel: str | None = None,
    opportunity: str | None = None,
    specifics: Iterable[str | Mapping[str, str]] = (),
    notes: str = "",
) -> NewFile:
    """An interaction file ``interactions/<id>.md``.

    A specific given as ``{contact-id: text}`` is that person's own.
    """
    people = tuple(contacts)
    when: object = date
    if isinstance(date, dt.datetime):  # written as the format's "YYYY-MM-DD HH:MM"
        when = date.strftime("%Y-%m-%d %H:%M")
    metadata = {
        "date": when,
        "kind": kind,
        "contacts": people[0] if len(people) == 1 else (people or None),
        "channel": channel,
        "opportunity": opportunity,
        "specifics": tuple(specifics),
    }
    return NewFile("interaction", f"interactions/{record_id}.md", render(metadata, notes))
