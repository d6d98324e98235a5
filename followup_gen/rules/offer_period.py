"""When an offer comes, tell your other interviews, and answer it in time.

## What it does
An `offer` opens an offer period. Each person of your other processes at
the interview stage gets an item to tell them, without pressure, that you
have an offer and by when you must answer (the opportunity's
`offer_deadline`): when hiring authorities are impressed the process gets
shorter, and they may speed up. A few days before that deadline you get a
reminder to give your answer. The period ends when you accept (`accepted`)
or decline (`withdrew`) the offer, or they withdraw it (`rejection`).

## Why
> When hiring authorities are extremely impressed, the interview process is
> usually shorter than anticipated, never longer.

> When you follow up properly with prospective employers, they sense your
> confidence and level of interest in working for their company.

## Trigger
Your latest `offer`, on day D, on an opportunity still at the offer stage,
while the search is active: one item for each person of every other open
opportunity at the interview stage (its `contacts`, else its interviewers),
due on D+1, at the latest `offer_reminder_days` before the deadline (else
`window_days` after D+1). With an `offer_deadline`, one reminder
`offer_reminder_days` before it, due through the deadline. Exempt from the
nuisance gap: the deadline does not wait.

## Satisfied by
A `follow-up` (or any message of yours) to that contact after the offer;
the reminder by your `accepted` or `withdrew` on the offer.

## Settings
- `enabled`: switch the rule off with `false`.
- `offer_reminder_days`: days before the `offer_deadline` for the reminder.
- `window_days`: days a note stays due before it is overdue, when the offer
  has no deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, Interaction, stage
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp, Search
from followup_gen.rules.kit import ONE_DAY, answered, days, item, label, reachable, reminder
from followup_gen.rules.search import in_search, search_of

ID = "offer-period"
TIME_CRITICAL = True
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "follow-up"
_TOLD = ("follow-up", "check-in", "thank-you")


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    offer_reminder_days: int = 3
    window_days: int = 5


def open_offer(crm: CRM, today: dt.date, search: Search) -> Interaction | None:
    """Your latest offer still waiting for your answer, while the search is active."""
    if not search.active:
        return None
    for offer in reversed(crm.interactions):
        if offer.kind != "offer" or offer.date > today or not offer.opportunity:
            continue
        if not in_search(offer, search):
            return None
        opportunity = crm.opportunities[offer.opportunity]
        if stage(crm, opportunity) == "offer" and not opportunity.status:
            return offer
    return None


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    search = search_of(crm, today)
    offer = open_offer(crm, today, search)
    if offer is None:
        return
    offered = crm.opportunities[offer.opportunity]
    deadline = offered.offer_deadline
    due = offer.date + ONE_DAY
    if deadline is not None:
        last = max(due, deadline - days(settings.offer_reminder_days))
        by = f", to answer by {deadline:%Y-%m-%d}"
    else:
        last = due + days(settings.window_days)
        by = ""
    for opportunity in crm.opportunities.values():
        if opportunity.id == offered.id or opportunity.status:
            continue
        steps = crm.about(opportunity.id)
        if stage(crm, opportunity) != "interviewing" or not in_search(steps[-1], search):
            continue
        people = opportunity.contacts or tuple(
            dict.fromkeys(c for i in steps if i.kind == "interview" for c in i.contacts)
        )
        for contact_id in people:
            contact = reachable(crm, contact_id)
            if contact is None or answered(crm, contact_id, offer, _TOLD):
                continue
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_message(contact, urgent=True),
                reason=f"You have an offer ({offer.date:%Y-%m-%d}{by}): tell {contact.name} "
                f"of {label(opportunity)}, without pressure.",
                what_to_say="Say you remain very interested in their role, that you have "
                "received an offer and when you must answer, and ask whether their process "
                "could fit that time. No pressure, no bargaining.",
                cause=offer.source,
                opportunity=opportunity.id,
                closed_by=(CLOSED_BY,),
            )
    if deadline is not None:
        yield reminder(
            ID,
            f"You: your answer to {offered.company}",
            today=today,
            due=min(deadline, max(due, deadline - days(settings.offer_reminder_days))),
            last=deadline,
            reason=f"Answer the offer for {label(offered)} by {deadline:%Y-%m-%d} "
            "(log 'accepted', or 'withdrew' to decline).",
            what_to_say="Decide, and tell them in time; whatever you decide, thank them.",
            cause=offer.source,
            opportunity=offered.id,
            closed_by=("accepted", "withdrew"),
        )
