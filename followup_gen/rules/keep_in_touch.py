"""Keep in touch with everyone who could impact your search.

## What it does
Every contact with a cadence gets a check-in when that many days have passed
since your last interaction with them (or since you `met`, when you have
none; when you have neither, it is due now). The cadence comes from the
contact's `cadence` (`21d`, `6w`, `3m`, or `none` to switch it off), else
from their relationship in `cadences`; `0` there means no check-ins, which is
the default for `hiring` (the opportunity rules cover them).

## Why
> It is important to follow up with anyone and everyone who could impact
> your job search.

> When you follow up and show your gratitude to the people who have helped
> your job search efforts, they are more likely to continue to help you
> throughout your search.

## Trigger
A contact with a cadence of N days whose last interaction was on day D: due
on D+N, moved later if that falls within `min_gap_days` of your last message
to them. It stays due for `window_days`, then turns overdue.

## Satisfied by
Any interaction with the contact (a `check-in`, a meeting, a reply): the next
check-in is then counted from it.

## Settings
- `enabled`: switch the rule off with `false`.
- `cadences`: days between check-ins for each relationship; `0` means none.
- `min_gap_days`: never due sooner than this many days after your last
  outgoing interaction with the contact.
- `window_days`: days an item stays due before it is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from followup_gen.records import CRM, Contact
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import days, item, last_with, reachable, spaced

ID = "keep-in-touch"
# The kind of interaction that closes an item: what `followup-gen done` logs.
CLOSED_BY = "check-in"

DEFAULT_CADENCES: Mapping[str, int] = MappingProxyType(
    {
        "family": 30,
        "friend": 30,
        "neighbor": 60,
        "past-coworker": 60,
        "personal-network": 60,
        "professional-network": 60,
        "association": 60,
        "informational-interview": 60,
        "past-employer": 90,
        "past-vendor": 90,
        "past-client": 90,
        "job-fair": 14,
        "hiring": 0,
    }
)


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    cadences: Mapping[str, int] = field(default_factory=lambda: DEFAULT_CADENCES)
    min_gap_days: int = 7
    window_days: int = 7


def cadence_of(contact: Contact, settings: Settings) -> int | None:
    """The contact's keep-in-touch interval in days, or None for no check-ins."""
    if contact.cadence_off:
        return None
    if contact.cadence is not None:
        return contact.cadence or None
    return settings.cadences.get(contact.relationship) or None


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for contact_id in crm.contacts:
        contact = reachable(crm, contact_id)
        cadence = cadence_of(contact, settings) if contact else None
        if contact is None or cadence is None:
            continue
        last = last_with(crm, contact_id)
        if last is not None:
            due = last.date + days(cadence)
            since = f"last in touch {last.date:%Y-%m-%d}"
        elif contact.met is not None:
            due = contact.met + days(cadence)
            since = f"met {contact.met:%Y-%m-%d}, no interaction since"
        else:
            due = today
            since = "no interaction recorded yet"
        due = spaced(crm, contact_id, due, settings.min_gap_days)
        yield item(
            ID,
            contact,
            today=today,
            due=due,
            last=due + days(settings.window_days),
            channel=for_message(contact, prefer_mail=False),
            reason=f"Check in with {contact.name} ({contact.relationship}, every "
            f"{cadence} days; {since}).",
            what_to_say="Share how your search is going and what you are looking for, "
            "ask how they are, and thank them for any help so far.",
            cause=last.source if last else contact.source,
        )
