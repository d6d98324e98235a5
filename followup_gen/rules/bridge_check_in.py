"""Check in with the people of a job you did not get: they are bridges.

## What it does
The contacts of a rejected opportunity are bridges, never burnt. Every
`bridge_cadence_days` after your last interaction with one of them, it
reminds you to check in: restate your interest in future positions, and ask
whether someone in their network could use you.

## Why
> Often, the company will reconsider you for future positions. The person
> hired may not work out or may accept a counter offer which could open the
> door for you.

> If you handle the initial rejection correctly, you could be referred by
> this hiring authority to individuals in their professional network.

## Trigger
A contact listed on an opportunity that has a `rejection`, or on the
rejection itself, whose last interaction was on day D: due on
D+`bridge_cadence_days`, moved later if that falls within `min_gap_days` of
your last message to them. It stays due for `window_days`, then turns
overdue.

## Satisfied by
Any interaction with the contact: the next check-in counts from it.

## Settings
- `enabled`: switch the rule off with `false`.
- `bridge_cadence_days`: days between check-ins with a bridge.
- `min_gap_days`: never due sooner than this many days after your last
  outgoing interaction with the contact.
- `window_days`: days an item stays due before it is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM
from followup_gen.rules.bridges import bridges
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import days, item, label

ID = "bridge-check-in"
# The kind of interaction that closes an item: what `followup-gen done` logs.
CLOSED_BY = "check-in"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    bridge_cadence_days: int = 90
    min_gap_days: int = 7
    window_days: int = 7


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for bridge in bridges(crm, today, settings.bridge_cadence_days, settings.min_gap_days):
        contact = crm.contacts[bridge.contact]
        opportunity = crm.opportunities[bridge.opportunities[-1]]
        rejection = next(i for i in reversed(crm.about(opportunity.id)) if i.kind == "rejection")
        yield item(
            ID,
            contact,
            today=today,
            due=bridge.next_check_in,
            last=bridge.next_check_in + days(settings.window_days),
            channel=for_message(contact, prefer_mail=False),
            reason=f"Check in with {contact.name}, a bridge from {label(opportunity)}: "
            "restate your interest in future positions.",
            what_to_say="Restate your interest in future positions with them and ask whether "
            "someone in their professional network could use someone like you.",
            cause=rejection.source,
            opportunity=opportunity.id,
        )
