"""Incremental evaluation: after a few files change, work out only what they touch.

A full run (load every file, check, evaluate) stores what it found as a
*base* in ``.followup-cache/state.pickle``: every file's stat, who is linked
to whom (a contact's interactions, an opportunity's interactions, the
opportunities a contact is on), and the evaluation's output in pieces, each
with what it belongs to (a follow-up to its contact, a stalled entry to its
opportunity, a bridge to its contact). A later run on the same day with the
same settings compares the files with the base and, when only a few changed,
evaluates only what they can affect:

- the contacts whose follow-ups can change (``affected``): a changed
  contact; the contacts of a changed interaction; for every changed
  opportunity and every opportunity a changed interaction is about, its
  contacts, its ``referred_by`` and everyone in an interaction about it;
- their *neighbourhood*: those contacts, every interaction with them, every
  opportunity they are linked to and every interaction about those, and
  the latest two ``accepted`` interactions with the opportunity of the
  latest (all that close-the-loop looks at).

Only those files are read and parsed. The rules run on that small CRM, and
their follow-ups for the affected contacts (stalled entries for the affected
opportunities, bridges for the affected contacts) replace the base's.
Every rule looks at a contact only through its own file, its interactions,
the opportunities it is linked to and their interactions, and the latest
accepted interactions, which is what makes the pieces of everyone else still true;
a property test (``tests/test_incremental.py``) checks that random edits of
random CRMs give exactly the full run's output.

Whatever this path cannot be sure of, it leaves to a full run (``update``
returns None): a different day, settings or tool version; more than
``MAX_CHANGED`` changed files or a neighbourhood of more than
``MAX_FILES`` files; any error in a changed file, a duplicate id or a name
that no longer resolves (the full run lists them); a change to an
``accepted`` interaction or to the opportunity of the latest one; a file that
changes while it is read. The base is only rewritten by full runs, so every
run compares with the same base until so many files have changed that a full
run is cheaper; a file saved within the last two seconds when the base was
written is treated as changed (its timestamp tick could hide a second save).
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from followup_gen.load import Loaded
from followup_gen.load.cache import CACHE_DIR, KEY, RACY_NS, check_file, read_plain, write_plain
from followup_gen.load.files import FOLDERS
from followup_gen.load.memo import Scan, packed
from followup_gen.load.schema import Checked, record_of
from followup_gen.load.settings import Settings
from followup_gen.outputs.report import _bridge, _stalled, dumps, followup_piece, report_text
from followup_gen.problems import Problem, has_errors, sort_problems
from followup_gen.records import CRM, stage
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import STATUSES, Evaluation, FollowUp, Pipeline, Stalled
from followup_gen.rules.stalled import pipeline_of

STATE_FILE = "state.pickle"
# Bump when the stored layout changes.
FORMAT = 3
# More changed files than this since the base: a full run (it writes a new base).
MAX_CHANGED = 200
# A neighbourhood of more files than this: a full run is about as fast.
MAX_FILES = 5_000

Stat = tuple[int, int, int]
# How a file not to be trusted is stored among the stats (no file has size -1).
_UNKNOWN = (-1, 0, 0)
_TYPE_OF_FOLDER = dict(FOLDERS)


@dataclass(frozen=True, slots=True)
class Pieces:
    """An evaluation as the outputs are made of it, each piece with its owner.

    The follow-ups are parallel tuples in the evaluation's order: a sort key
    as text (``_sort_text``: status rank, due and last days, contact, rule,
    ...), the contact, the report's JSON piece, and the rest of ``due``'s
    table row (name, channel, reason).
    """

    today: dt.date
    keys: tuple[str, ...]
    owners: tuple[str, ...]
    followups: tuple[str, ...]
    rows: tuple[tuple[str, str, str], ...]
    # (contact, problem) for each follow-up's no-specifics warning
    warnings: tuple[tuple[str, Problem], ...]
    # ((-days quiet, id), JSON, due's line), in order
    stalled: tuple[tuple[tuple[int, str], str, str], ...]
    bridges: tuple[tuple[str, str], ...]  # (contact, JSON), by contact
    stages: dict[str, str]  # each opportunity's stage
    pipeline: Pipeline
    problems: tuple[Problem, ...]  # the loader's and the evaluation's, sorted

    def row(self, n: int) -> tuple[str, str, str, str, str, str]:
        """Follow-up ``n`` as ``due`` lists it: status, due, contact, rule, channel, reason."""
        key = self.keys[n]
        name, channel, reason = self.rows[n]
        rule = key[21:].split("\0", 2)[1]
        return STATUSES[int(key[0])], key[1:11], name, rule, channel, reason

    def status(self, n: int) -> str:
        return STATUSES[int(self.keys[n][0])]

    def due(self, n: int) -> str:
        """Follow-up ``n``'s due day, YYYY-MM-DD."""
        return self.keys[n][1:11]

    def report(self) -> str:
        """The JSON report (``report.report_json``'s text)."""
        return report_text(
            self.today,
            list(self.followups),
            [s[1] for s in self.stalled],
            [b[1] for b in self.bridges],
            self.problems,
        )


def _sort_text(f: FollowUp) -> str:
    """``FollowUp.sort_key`` as text that sorts the same: the rank is one
    digit, the dates have a fixed width, and no id contains a NUL."""
    rank = STATUSES.index(f.status)
    return f"{rank}{f.due.isoformat()}{f.last.isoformat()}{f.contact}\0{f.rule}\0{f.opportunity or ''}\0{f.key}"


def _parts(evaluation: Evaluation, crm: CRM):
    warned = {(p.file, p.line): p for p in evaluation.problems}
    keys, owners, texts, rows, warnings = [], [], [], [], []
    for f in evaluation.followups:
        keys.append(_sort_text(f))
        owners.append(f.contact)
        texts.append(followup_piece(f))
        rows.append((f.contact_name or f.contact, f.channel, f.reason))
        if f.rule == "interview-thank-you" and not f.talking_points and f.cause is not None:
            problem = warned.get((f.cause.path, f.cause.line_of("kind")))
            if problem is not None:
                warnings.append((f.contact, problem))
    stalled = [
        ((-s.days_quiet, s.opportunity), dumps(_stalled(s), 2), _stalled_line(crm, s))
        for s in evaluation.stalled
    ]
    bridges = [(b.contact, dumps(_bridge(b), 2)) for b in evaluation.bridges]
    return keys, owners, texts, rows, warnings, stalled, bridges


def _stalled_line(crm: CRM, stalled: Stalled) -> str:
    opportunity = crm.opportunities[stalled.opportunity]
    return f"Stalled: {opportunity.role} at {opportunity.company}: {stalled.reason}"


def pieces(loaded: Loaded, evaluation: Evaluation) -> Pieces:
    """A full evaluation in pieces."""
    crm = loaded.crm
    keys, owners, texts, rows, warnings, stalled, bridges = _parts(evaluation, crm)
    problems = sort_problems([*loaded.problems, *evaluation.problems])
    return Pieces(
        evaluation.today,
        tuple(keys),
        tuple(owners),
        tuple(texts),
        tuple(rows),
        tuple(warnings),
        tuple(stalled),
        tuple(bridges),
        {o.id: stage(crm, o) for o in crm.opportunities.values()},
        evaluation.pipeline,
        problems,
    )


def has_base(root: Path | str) -> bool:
    """True when a full run stored a base (of whatever files and day)."""
    return (Path(root) / CACHE_DIR / STATE_FILE).is_file()


def _key(outside: object) -> str:
    return repr((KEY, FORMAT, outside))


def _problem(p: Problem) -> tuple:
    return (p.file, p.line, p.severity, p.code, p.message)


# --- the base -----------------------------------------------------------------


def save(loaded: Loaded, result: Pieces | None = None) -> bool:
    """Store ``loaded``'s full run (and ``result``, its evaluation, if it was
    evaluated) as the base; False when it must not or cannot be.

    Only a load without errors whose files were all read is stored, keyed by
    the files beside the data folders as they were before reading
    (``Loaded.outside``). A base without an evaluation serves ``check`` only.
    """
    stats = loaded.stats
    if stats is None or loaded.outside is None or has_errors(loaded.problems) or not stats.paths:
        return False
    if None in stats.seen or len(stats.seen) != len(stats.paths):
        return False
    # A file saved just now could change again within its timestamp tick:
    # it is stored as unknown, so every later run reads it again.
    racy_after = time.time_ns() - RACY_NS
    seen = [s if s[1] < racy_after else None for s in stats.seen]
    racy = seen.count(None)
    if racy > MAX_CHANGED or 2 * racy > len(seen):
        return False  # every later run would read most of them again: no use
    crm = loaded.crm
    index = {rel: n for n, (rel, _) in enumerate(stats.paths)}
    ids = [""] * len(stats.paths)
    contact_at = {}
    for c in crm.contacts.values():
        contact_at[c.id] = n = index[c.source.path]
        ids[n] = c.id
    opportunity_at = {}
    links = {}
    contact_opps: dict[str, dict[str, None]] = {}
    for o in crm.opportunities.values():
        opportunity_at[o.id] = n = index[o.source.path]
        ids[n] = o.id
        links[o.id] = (o.contacts, o.referred_by)
        for c in (*o.contacts, o.referred_by):
            if c is not None:
                contact_opps.setdefault(c, {})[o.id] = None
    # Each interaction's file index, then the CRM's own groupings mapped to
    # indexes by C-level maps (a loop over 100,000 interactions in Python
    # would take several times longer).
    interactions = crm.interactions  # oldest first
    at = [index[i.source.path] for i in interactions]
    accepted = []
    for n, i in zip(at, interactions, strict=True):
        ids[n] = i.id
        if i.kind == "accepted":
            accepted.append(n)
    position = dict(zip(map(id, interactions), at, strict=True)).__getitem__
    by_contact = {c: tuple(map(position, map(id, found))) for c, found in crm.by_contact.items()}
    by_opportunity = {
        o: tuple(map(position, map(id, found))) for o, found in crm.by_opportunity.items()
    }
    people = {}
    for o, found in crm.by_opportunity.items():
        people[o] = tuple(dict.fromkeys(c for i in found for c in i.contacts))
        for c in people[o]:
            contact_opps.setdefault(c, {})[o] = None
    closing_about = None
    if accepted:
        closing_about = interactions[at.index(accepted[-1])].opportunity
    file_problems: dict[int, list[tuple]] = {}
    other_problems = []
    for p in loaded.problems:
        n = index.get(p.file)
        if n is None:
            other_problems.append(_problem(p))
        else:
            file_problems.setdefault(n, []).append(_problem(p))
    stored_stats = packed([_UNKNOWN if s is None else s for s in seen])
    if not stored_stats.startswith(b"q"):
        return False  # a time past 2262: compared the slow way, never mind
    evaluated = None
    if result is not None:
        evaluated = (
            result.today.isoformat(),
            list(result.keys),
            list(result.owners),
            list(result.followups),
            list(result.rows),
            [(owner, _problem(p)) for owner, p in result.warnings],
            list(result.stalled),
            list(result.bridges),
            result.stages,
        )
    state = (
        _key(loaded.outside),
        "\0".join(chain.from_iterable(stats.paths)),
        stored_stats,
        "\0".join(ids),
        contact_at,
        opportunity_at,
        links,
        {c: tuple(o) for c, o in contact_opps.items()},
        by_contact,
        by_opportunity,
        people,
        tuple(accepted),
        closing_about,
        {n: tuple(found) for n, found in file_problems.items()},
        tuple(other_problems),
        evaluated,
    )
    return write_plain(Path(loaded.root) / CACHE_DIR, STATE_FILE, state)


class _Base:
    """A stored base, read back."""

    def __init__(self, stored: tuple) -> None:
        (
            _,
            self.joined,
            self.seen,
            self.ids_text,
            self.contact_at,
            self.opportunity_at,
            self.links,
            self.contact_opps,
            self.by_contact,
            self.by_opportunity,
            self.people,
            self.accepted,
            self.closing_about,
            self.file_problems,
            self.other_problems,
            self.evaluated,
        ) = stored
        self._rels: list[str] | None = None
        self._ids: list[str] | None = None

    def evaluated_on(self, today: dt.date) -> bool:
        """True when the base holds an evaluation on ``today`` (then in its fields)."""
        if self.evaluated is None or self.evaluated[0] != today.isoformat():
            return False
        (
            _,
            self.keys,
            self.owners,
            self.followups,
            self.rows,
            self.warnings,
            self.stalled,
            self.bridges,
            self.stages,
        ) = self.evaluated
        return True

    def counts(self) -> dict[str, int]:
        """How many records of each type (every file is one: the base has no errors)."""
        contacts, opportunities = len(self.contact_at), len(self.opportunity_at)
        files = (len(self.seen) - 1) // 24  # b"q", then 24 bytes a file
        return {
            "contact": contacts,
            "opportunity": opportunities,
            "interaction": files - contacts - opportunities,
        }

    @property
    def rels(self) -> list[str]:
        if self._rels is None:
            self._rels = self.joined.split("\0")[::2]
        return self._rels

    @property
    def ids(self) -> list[str]:
        if self._ids is None:
            self._ids = self.ids_text.split("\0")
        return self._ids


def _read_base(root: Path, outside: object) -> _Base | None:
    try:
        stored = read_plain(root / CACHE_DIR / STATE_FILE)
        if not isinstance(stored, tuple) or stored[0] != _key(outside):
            return None
        return _Base(stored)
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: a full run
        return None


# --- the update ---------------------------------------------------------------


class _Unsure(Exception):
    """Something only a full run can settle."""


@dataclass(frozen=True, slots=True)
class _Change:
    rel: str
    type: str
    old: int | None  # the file's index in the base, if it was there
    new: Checked | None  # the file now, if it is there
    problems: tuple[Problem, ...]


def _read(root: str, rel: str, record_type: str, known: Stat | None) -> tuple[Checked, list]:
    """Parse one file, which must still be as ``known`` (else: unsure)."""
    try:
        with open(os.path.join(root, rel), "rb") as handle:
            stat = os.fstat(handle.fileno())
            data = handle.read()
    except OSError:
        raise _Unsure from None
    if (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns) != known:
        raise _Unsure  # changed since it was looked at
    checked, problems = check_file(rel, data, record_type)
    if checked is None or not checked.ok or has_errors(problems):
        raise _Unsure  # errors: the full run lists them
    return checked, problems


def _differing(old: bytes, new: bytes) -> list[int]:
    """The files (by index) whose packed stats (24 bytes each) differ."""
    found = []
    step = 24 * 1024
    for low in range(0, len(new), step):
        high = low + step
        if old[low:high] != new[low:high]:
            ends = range(low, min(high, len(new)), 24)
            found.extend(k // 24 for k in ends if old[k : k + 24] != new[k : k + 24])
    return found


def _changes(
    root: str, base: _Base, scan: Scan
) -> tuple[list[_Change], Callable[[int], tuple[str, str, Stat | None]]]:
    """The files added, removed or changed since the base, the new ones
    parsed, and how to find a base file now: (path, type, stat)."""
    paths, stats = scan.paths, scan.stats
    now = scan.packed_stats or packed(stats)
    if not now.startswith(b"q"):
        raise _Unsure  # a file that cannot be read (the full run says so), or odd times
    now = now[1:]
    if (
        len(now) == len(base.seen) - 1
        and (scan.joined or "\0".join(chain.from_iterable(paths))) == base.joined
    ):
        pairs = [(n, n) for n in _differing(base.seen[1:], now)]

        def where(n: int) -> tuple[str, str, Stat | None]:
            return (*paths[n], stats[n])
    else:
        before = {rel: n for n, rel in enumerate(base.rels)}
        at = {rel: n for n, (rel, _) in enumerate(paths)}
        old_stats = base.seen[1:]
        pairs = []
        for rel in {**before, **at}:
            old, new = before.get(rel), at.get(rel)
            if (
                old is None
                or new is None
                or old_stats[24 * old : 24 * old + 24] != now[24 * new : 24 * new + 24]
            ):
                pairs.append((old, new))

        def where(n: int) -> tuple[str, str, Stat | None]:
            k = at[base.rels[n]]
            return (*paths[k], stats[k])

    if len(pairs) > MAX_CHANGED:
        raise _Unsure
    changes = []
    for old, new in sorted(pairs, key=lambda pair: (pair[1] is None, pair[1] or 0, pair[0] or 0)):
        if new is None:
            rel = base.rels[old]
            changes.append(_Change(rel, _type_of(rel), old, None, ()))
            continue
        rel, record_type = paths[new]
        checked, problems = _read(root, rel, record_type, stats[new])
        changes.append(_Change(rel, record_type, old, checked, tuple(problems)))
    return changes, where


def _type_of(rel: str) -> str:
    """A data file's record type, from its folder."""
    return _TYPE_OF_FOLDER[rel.split("/", 1)[0]]


def _id_at(base: _Base, n: int, record_type: str) -> str:
    """A base contact's or opportunity's id."""
    ids = base.contact_at if record_type == "contact" else base.opportunity_at
    return next(i for i, at in ids.items() if at == n)


def _old_links(base: _Base, changes: list[_Change]) -> dict[int, tuple[set[str], set[str]]]:
    """Each changed base interaction's contacts and opportunity, from the indexes."""
    wanted = {c.old for c in changes if c.old is not None and c.type == "interaction"}
    found: dict[int, tuple[set[str], set[str]]] = {n: (set(), set()) for n in wanted}
    if wanted:
        for c, indexes in base.by_contact.items():
            if not wanted.isdisjoint(indexes):
                for n in wanted.intersection(indexes):
                    found[n][0].add(c)
        for o, indexes in base.by_opportunity.items():
            if not wanted.isdisjoint(indexes):
                for n in wanted.intersection(indexes):
                    found[n][1].add(o)
    return found


def _check_names(base: _Base, changes: list[_Change]) -> None:
    """Unsure unless the changed files leave every id unique and every name known."""
    changed = {c.old for c in changes if c.old is not None}
    old_ids = {
        (c.type, _id_at(base, c.old, c.type))
        for c in changes
        if c.old is not None and c.type != "interaction"
    }
    claimed: dict[tuple[str, str], int] = {}
    for change in changes:
        if change.new is not None:
            key = (change.type, change.new.id)
            if key in claimed:
                raise _Unsure  # two changed files claim one id
            claimed[key] = 1
    contacts = set(base.contact_at)
    opportunities = set(base.opportunity_at)
    for record_type, record_id in old_ids:
        (contacts if record_type == "contact" else opportunities).discard(record_id)
    for record_type, record_id in claimed:
        if record_type == "contact":
            n = base.contact_at.get(record_id)
        elif record_type == "opportunity":
            n = base.opportunity_at.get(record_id)
        else:  # an interaction's id: any unchanged interaction of that id?
            if any(
                found == record_id and k not in changed and _type_of(base.rels[k]) == record_type
                for k, found in enumerate(base.ids)
            ):
                raise _Unsure
            continue
        if n is not None and n not in changed:
            raise _Unsure  # an unchanged file has that id
    contacts.update(i for t, i in claimed if t == "contact")
    opportunities.update(i for t, i in claimed if t == "opportunity")
    for change in changes:
        fields = change.new.fields if change.new is not None else {}
        if not contacts.issuperset(fields.get("contacts", ())):
            raise _Unsure
        if fields.get("referred_by", None) is not None and fields["referred_by"] not in contacts:
            raise _Unsure
        if change.type == "interaction" and fields.get("opportunity") is not None:
            if fields["opportunity"] not in opportunities:
                raise _Unsure
    # A contact or opportunity gone (or renamed) must not be named by a file left as it was.
    for record_type, gone in old_ids:
        if record_type == "contact" and gone not in contacts:
            if any(n not in changed for n in base.by_contact.get(gone, ())):
                raise _Unsure
            for o in base.contact_opps.get(gone, ()):
                listed, referred = base.links.get(o, ((), None))
                if base.opportunity_at.get(o) not in changed and (
                    gone in listed or referred == gone
                ):
                    raise _Unsure
        if record_type == "opportunity" and gone not in opportunities:
            if any(n not in changed for n in base.by_opportunity.get(gone, ())):
                raise _Unsure


def _affected(base: _Base, changes: list[_Change]) -> tuple[set[str], set[str]]:
    """The contacts whose follow-ups and bridges, and the opportunities whose
    stalled entries, can change."""
    contacts: set[str] = set()
    opportunities: set[str] = set()
    accepted = set(base.accepted)
    old_links = _old_links(base, changes)
    for change in changes:
        old, new = change.old, change.new
        if change.type != "interaction":
            ids = opportunities if change.type == "opportunity" else contacts
            if old is not None:
                ids.add(_id_at(base, old, change.type))
            if new is not None:
                ids.add(new.id)
            continue
        if old is not None:
            if old in accepted:
                raise _Unsure  # close-the-loop looks at every helper
            people, about = old_links[old]
            contacts.update(people)
            opportunities.update(about)
        if new is not None:
            if new.fields["kind"] == "accepted":
                raise _Unsure
            contacts.update(new.fields["contacts"])
            if new.fields.get("opportunity") is not None:
                opportunities.add(new.fields["opportunity"])
    if base.closing_about in opportunities:
        raise _Unsure  # its name is in every close-the-loop follow-up
    # An opportunity's stage, name and contacts reach its contacts, whoever
    # referred you, and everyone in an interaction about it.
    for o in opportunities:
        listed, referred = base.links.get(o, ((), None))
        contacts.update(listed)
        contacts.update(base.people.get(o, ()))
        if referred is not None:
            contacts.add(referred)
    for change in changes:
        fields = change.new.fields if change.new is not None else {}
        if change.type == "opportunity":
            contacts.update(fields.get("contacts", ()))
            if fields.get("referred_by") is not None:
                contacts.add(fields["referred_by"])
        elif change.type == "interaction" and fields.get("opportunity") in opportunities:
            contacts.update(fields["contacts"])
    return contacts, opportunities


def _neighbourhood(
    base: _Base, changes: list[_Change], contacts: set[str], opportunities: set[str]
) -> list[int]:
    """The base indexes of the unchanged files the affected contacts' follow-ups read."""
    linked = set(opportunities)
    for c in contacts:
        linked.update(base.contact_opps.get(c, ()))
    if base.closing_about is not None:
        linked.add(base.closing_about)
    wanted: set[int] = set(base.accepted[-2:])  # all close-the-loop looks at
    for c in contacts:
        if c in base.contact_at:
            wanted.add(base.contact_at[c])
        wanted.update(base.by_contact.get(c, ()))
    for o in linked:
        if o in base.opportunity_at:
            wanted.add(base.opportunity_at[o])
        wanted.update(base.by_opportunity.get(o, ()))
    wanted.difference_update(c.old for c in changes if c.old is not None)
    if len(wanted) > MAX_FILES:
        raise _Unsure
    return sorted(wanted)


def update(
    root: Path | str,
    scan: Scan,
    outside: object,
    today: dt.date,
    settings: Settings,
    mark: Callable[[str], object] = lambda step: None,
) -> Pieces | None:
    """The evaluation of the files now (as ``memo.scan`` found them),
    worked out from the base; None when only a full run can say. ``mark`` is told when each step ends (the benchmark
    times them)."""
    root_text = os.fspath(root)
    base = _read_base(Path(root_text), outside)
    mark("read the base")
    if base is None or not base.evaluated_on(today):
        return None
    try:
        changes, where = _changes(root_text, base, scan)
        mark(f"find the changed files ({len(changes)}) and parse them")
        _check_names(base, changes)
        contacts, opportunities = _affected(base, changes)
        wanted = _neighbourhood(base, changes, contacts, opportunities)
        mark(f"work out what they reach ({len(contacts)} contacts, {len(wanted)} files)")
        records = [_read(root_text, *where(n))[0] for n in wanted]
        mark("read and parse those files")
    except _Unsure:
        return None
    records.extend(c.new for c in changes if c.new is not None)
    of_type: dict[str, list] = {"contact": [], "opportunity": [], "interaction": []}
    for r in records:
        of_type[r.type].append(record_of(r))
    small = CRM.of(of_type["contact"], of_type["opportunity"], of_type["interaction"])
    evaluation = evaluate(small, today, settings)
    mark("evaluate them")
    result = _merge(base, changes, small, evaluation, contacts, opportunities, settings)
    mark("splice the result into the base's pieces")
    return result


def _file_problems(base: _Base, changes: list[_Change]) -> list[Problem]:
    """The loader's problems now: the base's, with the changed files' own."""
    changed = {c.old for c in changes if c.old is not None}
    problems = [Problem(*p) for p in base.other_problems]
    for n, found in base.file_problems.items():
        if n not in changed:
            problems.extend(Problem(*p) for p in found)
    for change in changes:
        problems.extend(change.problems)
    return problems


def check(
    root: Path | str, scan: Scan, outside: object
) -> tuple[tuple[Problem, ...], dict[str, int]] | None:
    """What ``check`` says about the files now (as ``memo.scan`` found them):
    every problem and how many records of each type, worked out from the base
    (of any day); None when only a full load can say."""
    root_text = os.fspath(root)
    base = _read_base(Path(root_text), outside)
    if base is None:
        return None
    try:
        changes, _ = _changes(root_text, base, scan)
        _check_names(base, changes)
    except _Unsure:
        return None
    counts = base.counts()
    for change in changes:
        counts[change.type] += (change.new is not None) - (change.old is not None)
    return sort_problems(_file_problems(base, changes)), counts


def _merge(
    base: _Base,
    changes: list[_Change],
    small: CRM,
    evaluation: Evaluation,
    contacts: set[str],
    opportunities: set[str],
    settings: Settings,
) -> Pieces:
    """The base's pieces with those of the affected contacts and opportunities
    replaced by ``evaluation``'s (of their neighbourhood)."""
    new_keys, new_owners, new_texts, new_rows, new_warnings, stalled, bridges = _parts(
        evaluation, small
    )
    # Few follow-ups change: edit the base's lists in place (C-speed moves)
    # rather than build tens of thousands of tuples.
    keys, owners, texts, rows = base.keys, base.owners, base.followups, base.rows
    for n in reversed([n for n, owner in enumerate(owners) if owner in contacts]):
        del keys[n], owners[n], texts[n], rows[n]
    for new in zip(new_keys, new_owners, new_texts, new_rows, strict=True):
        if new[1] in contacts:
            n = bisect.bisect_left(keys, new[0])
            for values, value in zip((keys, owners, texts, rows), new, strict=True):
                values.insert(n, value)
    warnings = [(owner, Problem(*p)) for owner, p in base.warnings if owner not in contacts]
    warnings.extend(w for w in new_warnings if w[0] in contacts)
    kept_stalled = sorted(
        [s for s in base.stalled if s[0][1] not in opportunities]
        + [s for s in stalled if s[0][1] in opportunities]
    )
    kept_bridges = sorted(
        [b for b in base.bridges if b[0] not in contacts] + [b for b in bridges if b[0] in contacts]
    )
    stages = dict(base.stages)
    for o in opportunities:
        stages.pop(o, None)
        if o in small.opportunities:
            stages[o] = stage(small, small.opportunities[o])
    active = sum(s == "interviewing" for s in stages.values())
    problems = _file_problems(base, changes)
    problems.extend(p for _, p in warnings)
    return Pieces(
        evaluation.today,
        tuple(keys),
        tuple(owners),
        tuple(texts),
        tuple(rows),
        tuple(warnings),
        tuple(kept_stalled),
        tuple(kept_bridges),
        stages,
        pipeline_of(active, settings.stalled),
        sort_problems(problems),
    )
