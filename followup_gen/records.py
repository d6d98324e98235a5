"""The records of a job-search CRM: contacts, opportunities and interactions.

Every record is immutable and carries its provenance (``Source``): the file it
came from, relative to the CRM root, and the line of each front-matter key, so
any later stage can point a problem or a follow-up at ``contacts/jane.md:4``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

RELATIONSHIPS: tuple[str, ...] = (
    "family",
    "friend",
    "neighbor",
    "past-coworker",
    "past-employer",
    "past-vendor",
    "past-client",
    "personal-network",
    "professional-network",
    "job-fair",
    "association",
    "hiring",
    "informational-interview",
    "recruiter",
    "reference",
)

KINDS: tuple[str, ...] = (
    "meeting",
    "informational-interview",
    "help",
    "referral",
    "introduction",
    "application",
    "interview",
    "reply",
    "offer",
    "rejection",
    "accepted",
    "withdrew",
    "thank-you",
    "follow-up",
    "check-in",
)

CHANNELS: tuple[str, ...] = (
    "email",
    "mail",
    "handwritten",
    "phone",
    "video",
    "in-person",
    "linkedin",
    "text",
    "other",
)

OPPORTUNITY_STATUSES: tuple[str, ...] = ("withdrawn", "on-hold", "closed")

OUTGOING_KINDS = frozenset(
    {"application", "thank-you", "follow-up", "check-in", "accepted", "withdrew"}
)
INCOMING_KINDS = frozenset({"reply", "help", "referral", "introduction", "offer", "rejection"})
BOTH_WAYS_KINDS = frozenset({"meeting", "informational-interview", "interview"})
# Kinds that end an opportunity's hiring process.
CLOSING_KINDS = frozenset({"rejection", "accepted", "withdrew"})


def is_outgoing(kind: str) -> bool:
    """True when the kind is something you did (or did together with them)."""
    return kind in OUTGOING_KINDS or kind in BOTH_WAYS_KINDS


def is_incoming(kind: str) -> bool:
    """True when the kind is something they did (or did together with you)."""
    return kind in INCOMING_KINDS or kind in BOTH_WAYS_KINDS


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: a path relative to the CRM root and key lines."""

    path: str
    line: int = 1
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        """The line of ``key`` in the front matter, else the record's first line."""
        for name, line in self.key_lines:
            if name == key:
                return line
        return self.line


@dataclass(frozen=True, slots=True)
class Contact:
    """A person who can help the search: family, network, or a hiring authority."""

    id: str
    name: str
    relationship: str
    source: Source
    company: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    linkedin: str | None = None
    tags: tuple[str, ...] = ()
    # How letters greet them, as written ("Ms. Raman", "Priya"); None: from the relationship.
    salutation: str | None = None
    # Their given name as an address book spells it (imports keep it): the first name letters use.
    given_name: str | None = None
    # Keep-in-touch interval in days; None means "the relationship's default".
    cadence: int | None = None
    # True when the file says ``cadence: none``: never a keep-in-touch item.
    cadence_off: bool = False
    do_not_contact: bool = False
    business_card: bool = False
    met: dt.date | None = None
    # The day of the first keep-in-touch check-in, when none has happened yet
    # (``import`` spreads new contacts out with it; ``met`` stays the day you met).
    first_check_in: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A job being pursued at a company; its stage follows from interactions."""

    id: str
    company: str
    role: str
    source: Source
    url: str | None = None
    contacts: tuple[str, ...] = ()
    expected_decision: dt.date | None = None
    status: str | None = None
    referred_by: str | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    # The day you must answer an offer by.
    offer_deadline: dt.date | None = None
    # Contacts who agreed to be your references for this job.
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Interaction:
    """One exchange with one or more contacts on a day (and maybe at a time)."""

    id: str
    date: dt.date
    contacts: tuple[str, ...]
    kind: str
    source: Source
    time: dt.time | None = None
    channel: str | None = None
    opportunity: str | None = None
    specifics: tuple[str, ...] = ()
    notes: str = ""
    # Whose each of ``specifics`` is (a contact id), None for everyone's.
    specifics_for: tuple[str | None, ...] = ()

    def points_for(self, contact_id: str) -> tuple[str, ...]:
        """The specifics to bring up with one contact: everyone's, then their own."""
        if not self.specifics_for:
            return self.specifics
        pairs = tuple(zip(self.specifics, self.specifics_for, strict=False))
        return (
            *(text for text, who in pairs if who is None),
            *(text for text, who in pairs if who == contact_id),
        )

    @property
    def outgoing(self) -> bool:
        return is_outgoing(self.kind)

    @property
    def incoming(self) -> bool:
        return is_incoming(self.kind)

    @property
    def sort_key(self) -> tuple[dt.date, dt.time, str]:
        return (self.date, self.time or dt.time.min, self.source.path)


def _chronological(interaction: Interaction) -> tuple[dt.date, dt.time, str]:
    return (interaction.date, interaction.time or dt.time.min, interaction.source.path)


def _index(pairs: Iterable[tuple[str, Interaction]]) -> Mapping[str, tuple[Interaction, ...]]:
    grouped: dict[str, list[Interaction]] = {}
    for key, interaction in pairs:
        grouped.setdefault(key, []).append(interaction)
    return MappingProxyType({k: tuple(v) for k, v in grouped.items()})


@dataclass(frozen=True, slots=True)
class CRM:
    """A whole, validated CRM: records by id plus indexes the rules need.

    Interactions are in chronological order (date, time, path). Build one with
    ``CRM.of(...)``; the indexes are derived, never edited.
    """

    contacts: Mapping[str, Contact]
    opportunities: Mapping[str, Opportunity]
    interactions: tuple[Interaction, ...]
    by_contact: Mapping[str, tuple[Interaction, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    by_opportunity: Mapping[str, tuple[Interaction, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # (type, id) of the contacts and opportunities whose story may be missing
    # something: an interaction of theirs names a file with errors and is left out.
    incomplete: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(
        cls,
        contacts: list[Contact] | tuple[Contact, ...] = (),
        opportunities: list[Opportunity] | tuple[Opportunity, ...] = (),
        interactions: list[Interaction] | tuple[Interaction, ...] = (),
        incomplete: frozenset[tuple[str, str]] = frozenset(),
    ) -> CRM:
        ordered = tuple(sorted(interactions, key=_chronological))
        return cls(
            contacts=MappingProxyType({c.id: c for c in sorted(contacts, key=lambda c: c.id)}),
            opportunities=MappingProxyType(
                {o.id: o for o in sorted(opportunities, key=lambda o: o.id)}
            ),
            interactions=ordered,
            # Generators, not lists: 100,000 pairs need not exist at once.
            by_contact=_index((c, i) for i in ordered for c in dict.fromkeys(i.contacts)),
            by_opportunity=_index((i.opportunity, i) for i in ordered if i.opportunity),
            incomplete=frozenset(incomplete),
        )

    def with_contact(self, contact_id: str) -> tuple[Interaction, ...]:
        """Interactions that involve the contact, oldest first."""
        return self.by_contact.get(contact_id, ())

    def about(self, opportunity_id: str) -> tuple[Interaction, ...]:
        """Interactions about the opportunity, oldest first."""
        return self.by_opportunity.get(opportunity_id, ())


STAGES: tuple[str, ...] = (
    "lead",
    "applied",
    "interviewing",
    "offer",
    "accepted",
    "rejected",
    "withdrawn",
    "on-hold",
    "closed",
)
# The pipeline page's columns: which stages each groups.
STAGE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("applied", ("lead", "applied")),
    ("interviewing", ("interviewing", "on-hold")),
    ("offer", ("offer",)),
    ("closed", ("accepted", "rejected", "withdrawn", "closed")),
)

_STAGE_OF_KIND = {
    "application": "applied",
    "interview": "interviewing",
    "offer": "offer",
    "accepted": "accepted",
    "rejection": "rejected",
    "withdrew": "withdrawn",
}


def stage(crm: CRM, opportunity: Opportunity) -> str:
    """The opportunity's stage: its ``status`` override, else its furthest step.

    The latest interaction that moves the process decides (an interview after
    an offer is still "interviewing"; a rejection after anything closes it).
    """
    return stage_of(opportunity, crm.about(opportunity.id))


def stage_of(opportunity: Opportunity, interactions: Iterable[Interaction]) -> str:
    """The stage ``interactions`` (about the opportunity, oldest first) give it."""
    if opportunity.status:
        return opportunity.status
    current = "lead"
    for interaction in interactions:
        current = _STAGE_OF_KIND.get(interaction.kind, current)
    return current


# Stages of a process still under way (nothing has decided it).
OPEN_STAGES = frozenset({"lead", "applied", "interviewing", "offer", "on-hold"})


def named_by(word: str, ids: Iterable[str]) -> list[str]:
    """The ids ``word`` names in a ``specifics`` item: itself, else every id
    it starts, ignoring case (``sam`` or ``Sam`` for ``sam-lee``)."""
    ids = list(ids)
    if word in ids:
        return [word]
    start = word.lower()
    return [record_id for record_id in ids if record_id.startswith(start)]


def people_of(crm: CRM, opportunity: Opportunity) -> tuple[str, ...]:
    """The opportunity's contacts, then everyone on its interactions."""
    found = dict.fromkeys(opportunity.contacts)
    for interaction in crm.about(opportunity.id):
        found.update(dict.fromkeys(interaction.contacts))
    return tuple(found)


def open_opportunities_by_contact(crm: CRM) -> Mapping[str, tuple[str, ...]]:
    """``{contact: ids of the open opportunities they are part of}``."""
    found: dict[str, list[str]] = {}
    for opportunity in crm.opportunities.values():
        if stage(crm, opportunity) in OPEN_STAGES:
            for contact_id in people_of(crm, opportunity):
                found.setdefault(contact_id, []).append(opportunity.id)
    return MappingProxyType({c: tuple(ids) for c, ids in found.items()})


def implied_opportunity(
    interaction: Interaction, open_by_contact: Mapping[str, tuple[str, ...]]
) -> str | None:
    """The opportunity an interaction logged without ``opportunity:`` is about:
    its own, else the one open opportunity its contacts share (None when
    there are none or several)."""
    if interaction.opportunity:
        return interaction.opportunity
    ids = {o for c in interaction.contacts for o in open_by_contact.get(c, ())}
    return ids.pop() if len(ids) == 1 else None


def group_of(stage_name: str) -> str:
    """The pipeline column (applied, interviewing, offer, closed) of a stage."""
    for group, stages in STAGE_GROUPS:
        if stage_name in stages:
            return group
    return "applied"


# --- leaving fields out (the `redact` publishing mode) ------------------------
# For sharing a copy of the site with a career coach: the fields named in
# `publish.redact` are removed from every record before any page is made, so
# no template can show them.

REDACTABLE: tuple[str, ...] = ("phone", "address", "email", "linkedin", "notes", "specifics")


def redact(crm: CRM, fields: tuple[str, ...]) -> CRM:
    """A copy of ``crm`` without the named fields (in every record that has them)."""

    def strip(record):
        names = {f.name for f in dataclasses.fields(record)}
        changes = {}
        for name in fields:
            if name in names:
                default = () if name == "specifics" else ("" if name == "notes" else None)
                changes[name] = default
        return dataclasses.replace(record, **changes) if changes else record

    return CRM.of(
        [strip(c) for c in crm.contacts.values()],
        [strip(o) for o in crm.opportunities.values()],
        [strip(i) for i in crm.interactions],
    )
