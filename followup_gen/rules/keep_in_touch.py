"""Keep in touch with everyone who could impact your search.

## What it does
Every contact with a cadence gets a check-in when that many days have passed
since your last interaction with them. With none yet, the first falls due on
their `first_check_in` day (what `import` writes to spread new contacts
out), else a cadence after you `met` but never before today (someone you
met in 1985 and never logged is due now, not decades overdue), else now.
The cadence comes from the contact's `cadence` (`21d`, `6w`, `3m`, or `none` to switch it off), else
from their relationship in `cadences`; `0` there means no check-ins, which is
the default for `hiring` (the opportunity rules cover them).

The cadences by relationship: family and friends every 30 days; neighbours,
past co-workers, your personal and professional network, associations,
informational interviews every 60 days; past employers, vendors, clients and
references every 90 days. A `recruiter` is the most common contact of a
search: every 30 days while it is active, and none once it has ended. A
`job-fair` contact gets `job_fair_check_ins` check-ins 14 days apart after
your first follow-up, then the `professional-network` cadence. Once your
search has ended (an `accepted`), a check-in shares your news instead of
asking for leads.

## Why
> It is important to follow up with anyone and everyone who could impact
> your job search.

> When you follow up and show your gratitude to the people who have helped
> your job search efforts, they are more likely to continue to help you
> throughout your search.

## Trigger
A contact with a cadence of N days whose last interaction was on day D: due
on D+N. It stays due for `window_days`, then turns overdue.

## Satisfied by
A `check-in`, or any other interaction with the contact (a meeting, a
reply): the next check-in is then counted from it.

## Settings
- `enabled`: switch the rule off with `false`.
- `cadences`: days between check-ins for each relationship; `0` means none.
- `job_fair_check_ins`: how many check-ins a `job-fair` contact gets at the
  `job-fair` cadence before the `professional-network` one.
- `min_gap_days`: this rule's own nuisance gap; 0 uses the plan's.
- `window_days`: days an item stays due before it is overdue.
- `legible_handwriting`: `true` recommends a handwritten note when the
  contact's address is known (direct mail stands out more than email).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from followup_gen.records import CRM, Contact
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import days, item, last_with, reachable
from followup_gen.rules.search import news, search_of

ID = "keep-in-touch"
# The kind of interaction that closes an item (what `followup-gen done` logs).
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
        "recruiter": 30,
        "reference": 90,
        "hiring": 0,
    }
)
# Relationships that exist for the search: no check-ins once it has ended.
SEARCH_ONLY = frozenset({"recruiter"})
# What counts as one of your check-ins with a job-fair contact.
_SENT = frozenset({"check-in"})


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    cadences: Mapping[str, int] = field(default_factory=lambda: DEFAULT_CADENCES)
    job_fair_check_ins: int = 3
    min_gap_days: int = 0
    window_days: int = 7
    legible_handwriting: bool = False


def cadence_of(contact: Contact, settings: Settings, sent: int = 0) -> int | None:
    """The contact's keep-in-touch interval in days, or None for no check-ins.

    ``sent`` is how many check-ins you have sent them (a job-fair contact
    moves to the professional-network cadence after ``job_fair_check_ins``).
    """
    if contact.cadence_off:
        return None
    if contact.cadence is not None:
        return contact.cadence or None
    relationship = contact.relationship
    if relationship == "job-fair" and sent >= settings.job_fair_check_ins:
        relationship = "professional-network"
    return settings.cadences.get(relationship) or None


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    search = search_of(crm, today)
    for contact_id in crm.contacts:
        contact = reachable(crm, contact_id)
        if contact is None or (not search.active and contact.relationship in SEARCH_ONLY):
            continue
        sent = sum(i.kind in _SENT for i in crm.with_contact(contact_id))
        cadence = cadence_of(contact, settings, sent)
        if cadence is None:
            continue
        last = last_with(crm, contact_id)
        if last is not None:
            due = last.date + days(cadence)
            since = f"last in touch {last.date:%Y-%m-%d}"
        elif contact.first_check_in is not None:
            due = contact.first_check_in
            since = f"first check-in set for {due:%Y-%m-%d}"
        elif contact.met is not None:
            # Nothing logged since: due a cadence after meeting, and never
            # earlier than today (a `met` in 1985 is not "overdue since 1985").
            due = max(contact.met + days(cadence), today)
            since = f"met {contact.met:%Y-%m-%d}, no check-in logged yet"
        else:
            due = today
            since = "no interaction recorded yet"
        if search.active:
            reason = (
                f"Check in with {contact.name} ({contact.relationship}, every {cadence} days; "
                f"{since})."
            )
            say = (
                "Share how your search is going and what you are looking for, ask how they "
                "are, and thank them for any help so far."
            )
        else:
            reason = (
                f"Check in with {contact.name} ({contact.relationship}, every {cadence} days; "
                f"{since}): share your news."
            )
            say = (
                f"Tell them you have accepted {news(crm, search)}, ask how they are, and offer "
                "to return any help; you are no longer looking."
            )
        yield item(
            ID,
            contact,
            today=today,
            due=due,
            last=due + days(settings.window_days),
            channel=for_message(contact, settings.legible_handwriting),
            reason=reason,
            what_to_say=say,
            cause=last.source if last else contact.source,
            closed_by=(CLOSED_BY,),
            letter="" if search.active else "news",
        )
