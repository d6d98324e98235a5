"""Helpers every rule shares: day windows, contact lookups, building an item.

Nothing here reads the clock; every date is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from followup_gen.records import CRM, Contact, Interaction, Opportunity, Source
from followup_gen.rules.channel import Choice
from followup_gen.rules.followup import FollowUp, status_on

ONE_DAY = dt.timedelta(days=1)
# Kinds that thank someone who helped (and that close-the-loop thanks again).
HELP_KINDS = ("help", "referral", "introduction", "informational-interview")


def helped_by(crm: CRM, interaction: Interaction) -> tuple[str, ...]:
    """Who ``interaction`` shows helping your search: everyone at a ``help``,
    ``referral``, ``introduction`` or ``informational-interview``, and a
    ``recruiter`` at a ``meeting`` (their call)."""
    if interaction.kind in HELP_KINDS:
        return interaction.contacts
    if interaction.kind != "meeting":
        return ()
    return tuple(
        c
        for c in interaction.contacts
        if c in crm.contacts and crm.contacts[c].relationship == "recruiter"
    )


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def within_36_hours(day: dt.date) -> tuple[dt.date, dt.date]:
    """ "Within 24–36 hours" of day D: due on D+1, overdue from D+2."""
    return day + ONE_DAY, day + ONE_DAY


def reachable(crm: CRM, contact_id: str) -> Contact | None:
    """The contact, unless unknown or marked ``do_not_contact``."""
    contact = crm.contacts.get(contact_id)
    if contact is None or contact.do_not_contact:
        return None
    return contact


def after(later: Interaction, earlier: Interaction) -> bool:
    """True when ``later`` happened after ``earlier``.

    A later day counts; so does the same day, unless both have times and
    ``later``'s is earlier (a note sent the evening of the interview counts).
    """
    if later is earlier:
        return False
    if later.date != earlier.date:
        return later.date > earlier.date
    if later.time is not None and earlier.time is not None:
        return later.time >= earlier.time
    return True


def answered(crm: CRM, contact_id: str, cause: Interaction, kinds: Iterable[str]) -> bool:
    """True when you sent ``contact_id`` one of ``kinds`` after ``cause``."""
    wanted = frozenset(kinds)
    for interaction in reversed(crm.with_contact(contact_id)):  # newest first
        if interaction.date < cause.date:
            return False  # everything from here on is older than the cause
        if interaction.kind in wanted and after(interaction, cause):
            return True
    return False


def last_with(crm: CRM, contact_id: str) -> Interaction | None:
    """The latest interaction with the contact, either way."""
    found = crm.with_contact(contact_id)
    return found[-1] if found else None


def last_outgoing(crm: CRM, contact_id: str) -> dt.date | None:
    """The day of your latest outgoing interaction with the contact."""
    for interaction in reversed(crm.with_contact(contact_id)):
        if interaction.outgoing:
            return interaction.date
    return None


def label(opportunity: Opportunity) -> str:
    """``Role at Company``."""
    return f"{opportunity.role} at {opportunity.company}"


def opportunity_of(crm: CRM, interaction: Interaction) -> Opportunity | None:
    return crm.opportunities.get(interaction.opportunity) if interaction.opportunity else None


def item(
    rule: str,
    contact: Contact,
    *,
    today: dt.date,
    due: dt.date,
    last: dt.date,
    channel: Choice,
    reason: str,
    what_to_say: str,
    cause: Source | None,
    opportunity: str | None = None,
    talking_points: tuple[str, ...] = (),
    closed_by: tuple[str, ...] = (),
    also_by: str | None = None,
    letter: str = "",
) -> FollowUp:
    """Build a follow-up with its status on ``today``."""
    return FollowUp(
        rule=rule,
        contact=contact.id,
        opportunity=opportunity,
        due=due,
        last=last,
        status=status_on(today, due, last),
        channel=channel.channel,
        channel_why=channel.why,
        reason=reason,
        cause=cause,
        talking_points=talking_points,
        contact_name=contact.name,
        what_to_say=what_to_say,
        closed_by=closed_by,
        also_by=also_by or channel.also,
        letter=letter,
    )


def reminder(
    rule: str,
    who: str,
    *,
    today: dt.date,
    due: dt.date,
    last: dt.date,
    reason: str,
    what_to_say: str,
    cause: Source | None,
    opportunity: str | None = None,
    closed_by: tuple[str, ...] = (),
) -> FollowUp:
    """An item for no contact yet (``who`` says whom to find): a reminder, no letter."""
    return FollowUp(
        rule=rule,
        contact="",
        opportunity=opportunity,
        due=due,
        last=last,
        status=status_on(today, due, last),
        channel="other",
        channel_why="No one is named yet: find the person first.",
        reason=reason,
        cause=cause,
        contact_name=who,
        what_to_say=what_to_say,
        closed_by=closed_by,
    )
