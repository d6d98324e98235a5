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
import errno
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from anyascii import anyascii

from followup_gen.load import Loaded
from followup_gen.load.files import join_front_matter, parse_record, record_files
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
    front = yaml.dump(
        kept, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
    return join_front_matter(front, body)


def check(new: NewFile) -> tuple[Problem, ...]:
    """Every problem ``check`` would report about this file on its own."""
    raw, problems = parse_record(new.path, new.text.encode("utf-8"), new.type)
    if raw is None:
        return tuple(problems)
    _, more = check_record(raw)
    return (*problems, *more)


def write(root: Path, new: NewFile) -> Path:
    """Create the file, whole or not at all; raises ``FileExistsError`` rather
    than replace one, and ``OSError`` (a full disk, a name too long) with
    nothing left behind."""
    path = root / new.path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file, or a link to nowhere, has the folder's name
        folder = PurePosixPath(new.path).parent
        raise NotADirectoryError(errno.ENOTDIR, f"{folder} is not a folder") from exc
    _whole(path, new.text.encode("utf-8"), replace=False)
    return path


def replace_file(path: Path, text: str) -> None:
    """Write an output file (``--out``) whole: readers see the old one or the new one."""
    _whole(path, text.encode("utf-8"), replace=True)


def _whole(path: Path, data: bytes, *, replace: bool) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then
    link it into place (never over a file) or rename it over the old one.
    A kill at any point leaves the whole file or none (and maybe a hidden
    ``.tmp`` file, never a partial record)."""
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name[:80]}.", suffix=".tmp", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the name is taken: never replaces
    finally:
        temporary.unlink(missing_ok=True)


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


# An id made from a name keeps file names well under the 255 bytes file systems allow.
MAX_ID = 80


def ascii_name(text: str) -> str:
    """``text`` in Latin letters: ``김민수`` -> ``Gim Min Su``, ``Łukasz`` -> ``Lukasz``.

    anyascii transliterates every script; a syllable or ideograph (Korean,
    Chinese, Japanese kanji) is kept apart from the next, so the id reads
    ``gim-min-su`` rather than ``gimminsu``.
    """
    pieces = []
    for char in text:
        latin = anyascii(char) if not char.isascii() else char
        syllable = len(latin) > 1 and latin[0].isupper() and latin[1:].islower()
        pieces.append(f" {latin} " if syllable and not char.isupper() else latin)
    return "".join(pieces)


def id_from(text: str) -> str:
    """The id of a new record named ``text``: its slug (any script transliterated),
    at most ``MAX_ID`` characters."""
    return slugify(ascii_name(text))[:MAX_ID].strip("-")


# Words of a job title that say its level, not what the job is.
_LEVELS = frozenset(
    "senior sr junior jr lead staff principal head chief associate assistant intern "
    "i ii iii iv the a an of and for".split()
)


def opportunity_id(company: str, role: str, taken: Iterable[str]) -> str:
    """A short id that is easy to type: the company and two words of the role
    (``lumen-health-product-manager``), longer only when that is taken."""
    words = [w for w in id_from(role).split("-") if w and w not in _LEVELS] or [id_from(role)]
    taken = set(taken)
    for count in range(2, len(words) + 1):
        candidate = id_from(f"{company} {' '.join(words[:count])}")
        if candidate and candidate not in taken:
            return candidate
    return free_id(id_from(f"{company} {role}"), taken)


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
    given_name: str | None = None,
    salutation: str | None = None,
    do_not_contact: bool = False,
    business_card: bool = False,
) -> NewFile:
    """A contact file ``contacts/<id>.md``."""
    metadata = {
        "name": name,
        "given_name": given_name,
        "relationship": relationship,
        "salutation": salutation,
        "company": company,
        "title": title,
        "email": email,
        "phone": phone,
        "address": address,
        "linkedin": linkedin,
        "tags": tuple(tags),
        "cadence": cadence,
        "do_not_contact": True if do_not_contact else None,
        "business_card": True if business_card else None,
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
    tags: Iterable[str] = (),
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
        "tags": tuple(tags),
    }
    return NewFile("opportunity", f"opportunities/{record_id}.md", render(metadata, notes))


def interaction_id(date: dt.date, kind: str, contacts: Iterable[str], taken: Iterable[str]) -> str:
    """``2026-11-26-thank-you-jane-doe``, made unique against ``taken``."""
    first = next(iter(contacts), "")
    return free_id(id_from(f"{date.isoformat()}-{kind}-{first}"), taken)


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
