"""Check in with the people of a job you did not get: they are bridges.

## What it does
The people of a rejection or of a withdrawal are bridges, never burnt (see
the bridges list). A few weeks after the decision, when the new hire may not
have worked out or may have taken a counter-offer, it reminds you to check
in: restate your interest in future positions, and ask whether someone in
their network could use you. Then again every `bridge_cadence_days`. Once
your search has ended (an `accepted`), the check-in shares your news
instead: no more asking for openings or introductions.

## Why
> Often, the company will reconsider you for future positions. The person
> hired may not work out or may accept a counter offer which could open the
> door for you.

> If you handle the initial rejection correctly, you could be referred by
> this hiring authority to individuals in their professional network.

## Trigger
A contact of a `rejection` or `withdrew` (on it, or listed on its
opportunity, even when it names none), or of an opportunity whose `status`
is `withdrawn` or `on-hold`. The first check-in is due `bridge_first_days`
after the decision (your note answering it, a `thank-you`, `follow-up` or
`withdrew`, does not count); after any other interaction with them it is due
`bridge_cadence_days` after the latest. It stays due for `window_days`, then
turns overdue.

## Satisfied by
A `check-in` (or any other interaction with the contact): the next check-in
counts from it.

## Settings
- `enabled`: switch the rule off with `false`.
- `bridge_first_days`: days from the rejection or withdrawal to the first
  check-in (3 to 5 weeks: the window of a counter-offer or a new hire who
  does not work out).
- `bridge_cadence_days`: days between the later check-ins.
- `min_gap_days`: this rule's own nuisance gap; 0 uses the plan's.
- `window_days`: days an item stays due before it is overdue.
- `legible_handwriting`: `true` recommends a handwritten note when the
  contact's address is known (direct mail stands out more than email).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM
from followup_gen.rules.bridges import bridges, decisions
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import days, item, label
from followup_gen.rules.search import news, search_of

ID = "bridge-check-in"
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "check-in"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    bridge_first_days: int = 28
    bridge_cadence_days: int = 90
    min_gap_days: int = 0
    window_days: int = 7
    legible_handwriting: bool = False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    search = search_of(crm, today)
    why = decisions(crm)
    for bridge in bridges(crm, today, settings.bridge_first_days, settings.bridge_cadence_days):
        contact = crm.contacts[bridge.contact]
        opportunity = (
            crm.opportunities.get(bridge.opportunities[-1]) if bridge.opportunities else None
        )
        cause = why[bridge.contact][2]
        source = (
            cause.source
            if cause is not None
            else (opportunity.source if opportunity else contact.source)
        )
        where = f"a bridge from {label(opportunity)}" if opportunity else "a bridge"
        if search.active:
            reason = (
                f"Check in with {contact.name}, {where}: restate your interest in future positions."
            )
            say = (
                "Restate your interest in future positions with them and ask whether someone in "
                "their professional network could use someone like you."
            )
            letter = ""
        else:
            reason = (
                f"Check in with {contact.name}, {where}: share your news ({news(crm, search)})."
            )
            say = (
                f"Tell them you have accepted {news(crm, search)} and thank them for their time; "
                "keep the door open without asking for anything."
            )
            letter = "news"
        yield item(
            ID,
            contact,
            today=today,
            due=bridge.next_check_in,
            last=bridge.next_check_in + days(settings.window_days),
            channel=for_message(contact, settings.legible_handwriting),
            reason=reason,
            what_to_say=say,
            cause=source,
            opportunity=opportunity.id if opportunity else None,
            closed_by=(CLOSED_BY,),
            letter=letter,
        )
