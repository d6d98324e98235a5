"""Follow up within 24–36 hours after meeting someone new.

## What it does
After you first meet someone (at a job fair, an association event, a coffee,
a networking call), it reminds you to send a short follow-up the next day:
thank them for their time and say what you will do with what they told you.
A contact written with `followup-gen new contact` (whose `met` day is
recent) and no interaction yet gets the same. Their keep-in-touch cadence
starts after it.

## Why
> It is important to follow up within 24-36 hours after the contact has been
> made for the follow up to be most effective.

> It is important to follow up with anyone and everyone who could impact
> your job search. [...] Attendees at job fairs or job clubs; Members of
> associations; [...] Professional network

## Trigger
Your first `meeting` with a contact of one of `relationships` (no earlier
meeting, informational interview or interview with them), on day D: due on
D+1, overdue from D+2. Or a contact of one of `relationships` with no
interaction at all, met on day M: due on M+1. Either stays open
`within_days` after the meeting; later, keep-in-touch takes over. People you
already know (family, friends, former colleagues) are left to keep-in-touch;
a recruiter is thanked after every call by `thank-helper`; an imported
contact (with `first_check_in`) waits for that day.

## Satisfied by
A `follow-up` with the contact after the meeting, or any other message of
yours to them (a `thank-you`, a `check-in`, an `application` you sent them);
for a `met` day alone, any interaction.

## Settings
- `enabled`: switch the rule off with `false`.
- `relationships`: the relationships of people you meet new.
- `within_days`: days after the meeting the item stays open; after that,
  keep-in-touch takes over.
- `legible_handwriting`: `true` recommends a handwritten note when their
  address is known (with an email too: the note, and a short email as well).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, OUTGOING_KINDS
from followup_gen.rules.channel import for_letter
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import answered, item, reachable, within_36_hours

ID = "new-contact"
TIME_CRITICAL = True
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "follow-up"
# Meeting someone: a later one is no longer the first.
_MET_KINDS = frozenset({"meeting", "informational-interview", "interview"})
_SAY = (
    "Keep it short: thank them for their time, recall one thing you talked about, and say "
    "what you will do next (read what they suggested, send what you promised)."
)


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    relationships: tuple[str, ...] = (
        "personal-network",
        "professional-network",
        "job-fair",
        "association",
        "hiring",
        "informational-interview",
    )
    within_days: int = 7
    legible_handwriting: bool = False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for contact_id, contact in crm.contacts.items():
        if contact.relationship not in settings.relationships:
            continue
        if reachable(crm, contact_id) is None:
            continue
        history = crm.with_contact(contact_id)
        first = next((i for i in history if i.kind in _MET_KINDS), None)
        if first is not None:
            if first.kind != "meeting" or (today - first.date).days > settings.within_days:
                continue  # the thank-you rules answer an interview; keep-in-touch the rest
            if answered(crm, contact_id, first, OUTGOING_KINDS):
                continue
            due, last = within_36_hours(first.date)
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_letter(contact, settings.legible_handwriting, both=True),
                reason=f"Follow up with {contact.name}, whom you met on "
                f"{first.date:%Y-%m-%d}, within 24–36 hours.",
                what_to_say=_SAY,
                cause=first.source,
                opportunity=first.opportunity,
                talking_points=first.points_for(contact_id),
                closed_by=(CLOSED_BY,),
            )
            continue
        met = contact.met
        if history or met is None or contact.first_check_in is not None:
            continue  # an imported contact waits for its first check-in
        if met > today or (today - met).days > settings.within_days:
            continue
        due, last = within_36_hours(met)
        yield item(
            ID,
            contact,
            today=today,
            due=due,
            last=last,
            channel=for_letter(contact, settings.legible_handwriting, both=True),
            reason=f"Follow up with {contact.name}, whom you met on {met:%Y-%m-%d}, "
            "within 24–36 hours.",
            what_to_say=_SAY,
            cause=contact.source,
            closed_by=(CLOSED_BY,),
        )
