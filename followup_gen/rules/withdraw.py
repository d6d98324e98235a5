"""When you accept an offer, withdraw from the other processes, courteously.

## What it does
Your search ends on the day you accept an offer. Every other process still
open (applied, interviewing, with an offer, on hold) gets a courteous note
to each of its people instead of follow-ups: thank them for their time and
consideration, tell them you have accepted another position and withdraw,
and keep the door open. Never burn a bridge: their people become bridges.
A process you applied to through a portal, with no one named, gets a
reminder to withdraw there.

## Why
> It is important to follow up and never burn a bridge. Often, the company
> will reconsider you for future positions.

> When you follow up and show your gratitude to the people who have helped
> your job search efforts, they are more likely to continue to help you
> throughout your search.

## Trigger
Your latest `accepted`, on day D, with no `application` after it (which
would start the next search): one item for each person of every other open
opportunity of this search (its `contacts`, else the people on its
interactions). Due on D+1, it stays due for `window_days`. Exempt from the
nuisance gap.

## Satisfied by
A `withdrew` interaction with that contact after the acceptance (the note
itself), or the opportunity being closed (a `withdrew` or `rejection` on it).

## Settings
- `enabled`: switch the rule off with `false`.
- `window_days`: days an item stays due before it is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, people_of
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import ONE_DAY, answered, days, item, label, reachable, reminder
from followup_gen.rules.search import in_search, is_open, news, search_of

ID = "withdraw"
TIME_CRITICAL = True
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "withdrew"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    window_days: int = 2


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    search = search_of(crm, today)
    accepted = search.accepted
    if accepted is None:
        return
    due = accepted.date + ONE_DAY
    last = due + days(settings.window_days)
    taken = news(crm, search)
    for opportunity in crm.opportunities.values():
        steps = crm.about(opportunity.id)
        if opportunity.id == accepted.opportunity or not steps or not is_open(crm, opportunity):
            continue
        if not any(in_search(i, search) and i.date <= accepted.date for i in steps):
            continue
        people = opportunity.contacts or people_of(crm, opportunity)
        reason = (
            f"You accepted {taken} on {accepted.date:%Y-%m-%d}: withdraw from "
            f"{label(opportunity)} with thanks"
        )
        if not people:
            yield reminder(
                ID,
                f"{opportunity.company} (no one named)",
                today=today,
                due=due,
                last=last,
                reason=f"{reason}, where you applied (log 'withdrew' once done).",
                what_to_say="Withdraw your application where you sent it (the portal), "
                "or find the hiring manager's name and write a short, courteous note.",
                cause=accepted.source,
                opportunity=opportunity.id,
                closed_by=(CLOSED_BY,),
            )
            continue
        for contact_id in dict.fromkeys(people):
            contact = reachable(crm, contact_id)
            if contact is None or answered(crm, contact_id, accepted, ("withdrew",)):
                continue
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_message(contact, urgent=True),
                reason=f"{reason}: tell {contact.name}.",
                what_to_say="Thank them for their time and consideration, tell them you have "
                "accepted another position and withdraw, and say you would be glad to stay in "
                "touch. Never burn a bridge.",
                cause=accepted.source,
                opportunity=opportunity.id,
                closed_by=(CLOSED_BY,),
            )
