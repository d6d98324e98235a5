"""Bring people from an address book into the CRM: dedupe, ids, and no flood.

A reader (``vcard.read``, ``linkedin.read``) turns a file into ``Person``
values; ``plan`` decides, without touching the disk, which become new contact
files and which are skipped as duplicates (same email, same name or same
LinkedIn profile as an existing contact or an earlier entry) or as invalid;
``write_all`` then creates the files, never replacing one.

No flood: a contact with no interaction falls due for keep-in-touch on its
``first_check_in`` day (see ``rules/keep_in_touch.py``), so the new contacts
of each cadence are spread evenly over one cadence: the first falls due the
day after tomorrow (never within the next 36 hours, which belong to the
people you really just met) and the last a cadence later, about
``n / cadence`` a day, which is the pace the rotation keeps anyway once it
runs (``anchors``). ``met`` keeps its meaning, the day you met: it is written
only when the source knows it (LinkedIn's "Connected On"), and the
connection date is kept in the file's notes too. Older versions wrote an
invented ``met`` instead; ``check`` recognises those files and says how to
fix them (``load/consistency.py``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from followup_gen.exchange import write
from followup_gen.load import Loaded
from followup_gen.load.schema import CONTROL, slugify
from followup_gen.problems import Problem, error, warning
from followup_gen.rules import keep_in_touch

# The check `check` applies to an email (validate.email): others are left out.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")


@dataclass(frozen=True, slots=True)
class Person:
    """One entry of an address book, as read; ``line`` is where it starts."""

    line: int
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    title: str | None = None
    address: str | None = None
    linkedin: str | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    relationship: str | None = None
    connected: dt.date | None = None
    # The given name as the address book has it (vCard N, LinkedIn's first name).
    given_name: str | None = None
    # What a followup-gen export carries (``X-FOLLOWUP-*``), restored as it was.
    record_id: str | None = None
    cadence: str | None = None
    do_not_contact: bool = False
    business_card: bool = False
    met: dt.date | None = None
    salutation: str | None = None  # only from this tool's own export, never guessed
    first_check_in: dt.date | None = None
    # True for an entry of a followup-gen export: its ``met`` (even none) is
    # kept, not replaced by a place in the rotation.
    restored: bool = False


@dataclass(frozen=True, slots=True)
class Read:
    """A file's entries; ``errors`` (a malformed file) mean import nothing."""

    people: tuple[Person, ...] = ()
    invalid: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    # Warnings about the file as a whole (a guessed character set...).
    notes: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """What an import will do: the files to create and what it leaves out."""

    files: tuple[write.NewFile, ...] = ()
    skipped: tuple[Problem, ...] = ()
    invalid: tuple[Problem, ...] = ()

    def listed(self, verbose: bool, notes: Iterable[Problem] = ()) -> list[Problem]:
        """The problems to show: the file's ``notes``, the invalid entries (all
        those without a name as one line) and, when ``verbose``, the duplicates."""
        unnamed = [p for p in self.invalid if p.code == "no-name"]
        shown = [p for p in self.invalid if p.code != "no-name" or len(unnamed) == 1]
        if len(unnamed) > 1:
            lines = ", ".join(str(p.line) for p in unnamed[:5])
            more = f" and {len(unnamed) - 5} more" if len(unnamed) > 5 else ""
            first = unnamed[0]
            noun = "rows" if first.message.startswith("this row") else "entries"
            shown.append(
                warning(
                    first.file,
                    first.line,
                    "no-name",
                    f"{len(unnamed)} {noun} have no name (lines {lines}{more}); skipped",
                )  # fmt: skip
            )
        return sorted((*notes, *shown, *(self.skipped if verbose else ())))

    def summary(self, dry_run: bool) -> str:
        """``12 created, 3 skipped as duplicates, 1 invalid`` (dry run: would be)."""
        verb = "would be created" if dry_run else "created"
        tail = " (dry run: nothing written)" if dry_run else ""
        return (
            f"{len(self.files)} {verb}, {len(self.skipped)} skipped as duplicates, "
            f"{len(self.invalid)} invalid{tail}"
        )


def _name_key(name: str) -> str:
    return slugify(name) or " ".join(name.casefold().split())


def _profile_key(url: str) -> str:
    url = url.strip().lower().split("?")[0].rstrip("/")
    for prefix in ("https://", "http://", "www."):
        url = url.removeprefix(prefix)
    return url


# The first check-in of an import comes no sooner than this many days from today.
FIRST_DAY = 2


def anchors(count: int, cadence: int, today: dt.date) -> list[dt.date]:
    """``first_check_in`` days that spread ``count`` first check-ins over one cadence.

    The i-th of ``count`` contacts falls due ``FIRST_DAY + i * cadence // count``
    days from today: the day after tomorrow for the first, at most a cadence
    after that for the last.
    """
    start = today + dt.timedelta(days=FIRST_DAY)
    return [start + dt.timedelta(days=i * cadence // count) for i in range(count)]


def plan(
    loaded: Loaded,
    people: Iterable[Person],
    *,
    source: str,
    today: dt.date,
    relationship: str,
    invalid: Iterable[Problem] = (),
    each: Callable[[], None] = lambda: None,
) -> Plan:
    """Decide what an import of ``people`` from ``source`` creates and skips.

    ``each`` is called after each entry is checked (for a progress bar).
    """
    emails: dict[str, str] = {}
    names: dict[str, list[tuple[str, str | None, str | None]]] = {}
    profiles: dict[str, str] = {}
    for c in loaded.crm.contacts.values():
        where = c.source.path
        if c.email:
            emails.setdefault(c.email.casefold(), where)
        names.setdefault(_name_key(c.name), []).append((where, *_identities(c.email, c.linkedin)))
        if c.linkedin:
            profiles.setdefault(_profile_key(c.linkedin), where)
    taken = write.taken_ids(loaded, "contacts")
    skipped: list[Problem] = []
    kept: list[tuple[Person, str]] = []
    for person in map(_without_controls, people):
        here = f"{source}:{person.line}"
        email, profile = _identities(person.email, person.linkedin)
        found = (
            ("email", emails.get(email) if email else None),
            ("LinkedIn profile", profiles.get(profile) if profile else None),
            ("name", _same_name(names.get(_name_key(person.name), ()), email, profile)),
        )
        duplicate = next(((what, where) for what, where in found if where), None)
        # Later entries are compared with this one too, even when it is skipped:
        # an entry sharing its email is the same person again.
        if person.email:
            emails.setdefault(person.email.casefold(), here)
        names.setdefault(_name_key(person.name), []).append((here, email, profile))
        if person.linkedin:
            profiles.setdefault(_profile_key(person.linkedin), here)
        if duplicate:
            what, where = duplicate
            skipped.append(
                warning(
                    source,
                    person.line,
                    "duplicate",
                    f"{person.name}: same {what} as {where}; skipped",
                )  # fmt: skip
            )
            continue
        record_id = write.free_id(
            _own_id(person)
            or write.id_from(person.name)
            or write.id_from((person.email or "").split("@")[0])
            or "contact",
            taken,
        )
        taken.add(record_id)
        kept.append((replace(person, relationship=person.relationship or relationship), record_id))
    firsts = _restored(kept, lambda rotating: _spread(rotating, loaded, today))
    files: list[write.NewFile] = []
    bad: list[Problem] = list(invalid)
    for (person, record_id), first in zip(kept, firsts, strict=True):
        new = _file(person, record_id, first, source, today)
        problems = write.check(new)
        each()
        if problems:
            reasons = "; ".join(p.message for p in problems)
            bad.append(
                error(source, person.line, "invalid-entry", f"{person.name}: {reasons}; skipped")
            )
            continue
        files.append(new)
    return Plan(tuple(files), tuple(skipped), tuple(sorted(bad)))


def _spread(kept: list[tuple[Person, str]], loaded: Loaded, today: dt.date) -> list[dt.date | None]:
    """Each kept person's ``first_check_in``: their place in the rotation (module docstring)."""
    settings = loaded.settings.rules.get(keep_in_touch.ID, keep_in_touch.Settings())
    groups: dict[int, list[int]] = {}
    for index, (person, _) in enumerate(kept):
        cadence = settings.cadences.get(person.relationship or "", 0)
        groups.setdefault(cadence, []).append(index)
    firsts: list[dt.date | None] = [None] * len(kept)
    for cadence, members in groups.items():
        if cadence <= 0:
            continue  # no check-ins for this relationship
        # Oldest connections first: they have waited longest for a word.
        members.sort(key=lambda i: (kept[i][0].connected or today, i))
        for index, anchor in zip(members, anchors(len(members), cadence, today), strict=True):
            firsts[index] = anchor
    return firsts


def _without_controls(person: Person) -> Person:
    """The entry with the control characters ``check`` refuses in a field
    (mojibake's U+0080-U+009F, an old export's vertical tab) made spaces:
    they carry nothing, and left in they would cost the whole entry. The
    notes, free Markdown, are kept as they are."""

    def clean(value):
        if isinstance(value, tuple):
            return tuple(map(clean, value))
        if not isinstance(value, str) or not CONTROL.search(value):
            return value
        lines = CONTROL.sub(" ", value).split("\n")
        return "\n".join(" ".join(line.split()) for line in lines).strip()

    keys = (f.name for f in fields(Person) if f.name != "notes")
    return replace(person, **{key: clean(getattr(person, key)) for key in keys})


def _identities(email: str | None, linkedin: str | None) -> tuple[str | None, str | None]:
    return (email.casefold() if email else None), (_profile_key(linkedin) if linkedin else None)


def _same_name(
    earlier: Iterable[tuple[str, str | None, str | None]], email: str | None, profile: str | None
) -> str | None:
    """Where an earlier entry or contact of the same name is the same person.

    A name alone is no proof: two entries with the same name are one person
    only when no email or LinkedIn profile tells them apart (both have one,
    and they differ). Three pairs of different people shared names in a
    real 1,628-row LinkedIn export.
    """
    for where, their_email, their_profile in earlier:
        if email and their_email and email != their_email:
            continue
        if profile and their_profile and profile != their_profile:
            continue
        return where
    return None


def _own_id(person: Person) -> str:
    """The id a followup-gen export gave (when it is a valid one)."""
    wanted = person.record_id or ""
    return wanted if wanted and write.id_from(wanted) == wanted else ""


def _restored(
    kept: list[tuple[Person, str]],
    spread: Callable[[list[tuple[Person, str]]], list[dt.date | None]],
) -> list[dt.date | None]:
    """Each kept person's ``first_check_in``: as a followup-gen export gave it
    (even none), else their place in the rotation (``spread`` over the others)."""
    rotating = [k for k in kept if not k[0].restored]
    spread_firsts = iter(spread(rotating))
    return [person.first_check_in if person.restored else next(spread_firsts) for person, _ in kept]


def _file(person: Person, record_id: str, first: dt.date | None, source: str, today: dt.date):
    lines = [person.notes.strip()] if person.notes.strip() else []
    if person.connected:
        lines.append(f"Connected on LinkedIn on {person.connected:%Y-%m-%d}.")
    # A file name in no encoding (an old archive's "caf\xe9.vcf") cannot go into a UTF-8 file.
    shown = os.fsencode(Path(source).name).decode("utf-8", "replace")
    lines.append(f"Imported from {shown} on {today:%Y-%m-%d}.")
    return write.contact(
        record_id,
        person.name,
        person.relationship or "personal-network",
        company=person.company,
        title=person.title,
        email=person.email,
        phone=person.phone,
        address=person.address,
        linkedin=person.linkedin,
        tags=person.tags,
        met=person.met if person.restored else _connected(person, today),
        first_check_in=first,
        notes="\n\n".join(lines),
        given_name=person.given_name,
        salutation=person.salutation,
        cadence=person.cadence,
        do_not_contact=person.do_not_contact,
        business_card=person.business_card,
    )


def _connected(person: Person, today: dt.date) -> dt.date | None:
    """The day they met: the LinkedIn connection's date, when it is known and past."""
    return person.connected if person.connected and person.connected <= today else None


class StoppedError(Exception):
    """Writing stopped at a file (a full disk...): ``written`` are the files made before it."""

    def __init__(self, path: str, reason: str, written: list[str]) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.written = written


def write_all(root: Path, files: Iterable[write.NewFile], each: Callable[[], None] = lambda: None):
    """Create every file (never replacing one); returns the files that existed.

    Each file is written whole or not at all; if one cannot be written, the
    rest are not tried and ``StoppedError`` names those written before it.
    """
    existed: list[str] = []
    written: list[str] = []
    for new in files:
        try:
            write.write(root, new)
            written.append(new.path)
        except FileExistsError:
            existed.append(new.path)
        except OSError as exc:
            raise StoppedError(new.path, exc.strerror or str(exc), written) from exc
        each()
    return existed
