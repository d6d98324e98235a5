"""Give your references a heads-up before they are called, and thank them after.

## What it does
An opportunity may list the contacts who agreed to be your `references`.
When the process reaches the final interviews (a second interview) or an
offer, each gets a heads-up: the role, what to stress, that a call may come.
After the decision (an `accepted`, `rejection` or `withdrew`), each gets a
thank-you and the outcome. A contact's relationship may be `reference`
(kept in touch every 90 days).

## Why
> When you follow up and show your gratitude to the people who have helped
> your job search efforts, they are more likely to continue to help you
> throughout your search.

> It is important to follow up within 24-36 hours after the contact has been
> made for the follow up to be most effective.

## Trigger
The opportunity's second `interview` or its first `offer`, whichever comes
first, on day D: a heads-up to each reference, due on D (before the call),
overdue from D+2. Its decision on day E, when the heads-up was due: a
thank-you to each reference, due on E+1, overdue from E+2. Exempt from the
nuisance gap.

## Satisfied by
The heads-up: a `check-in` (or any message of yours) to the reference after
D. The thanks: a `thank-you` after the decision.

## Settings
- `enabled`: switch the rule off with `false`.
- `legible_handwriting`: `true` recommends a handwritten thank-you when the
  reference's address is known (else a mailed letter; email when no address).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CLOSING_KINDS, CRM
from followup_gen.rules.channel import for_letter, for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import ONE_DAY, answered, item, label, reachable, within_36_hours

ID = "reference"
TIME_CRITICAL = True
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "check-in"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    legible_handwriting: bool = False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for opportunity in crm.opportunities.values():
        if not opportunity.references:
            continue
        steps = crm.about(opportunity.id)
        interviews = [i for i in steps if i.kind == "interview"]
        finals = [i for i in steps if i.kind == "offer"] + interviews[1:2]
        if not finals:
            continue
        final = min(finals, key=lambda i: i.sort_key)
        decision = next(
            (i for i in steps if i.kind in CLOSING_KINDS and i.date >= final.date), None
        )
        for contact_id in opportunity.references:
            contact = reachable(crm, contact_id)
            if contact is None:
                continue
            if decision is None:
                if answered(crm, contact_id, final, ("check-in", "follow-up", "thank-you")):
                    continue
                yield item(
                    ID,
                    contact,
                    today=today,
                    due=final.date,
                    last=final.date + ONE_DAY,
                    channel=for_message(contact, urgent=True),
                    reason=f"{label(opportunity)} is at its final stage: give {contact.name}, "
                    "your reference, a heads-up before they are called.",
                    what_to_say="Tell them the role and company, who may call, and the two or "
                    "three things worth stressing; thank them for doing it.",
                    cause=final.source,
                    opportunity=opportunity.id,
                    closed_by=(CLOSED_BY,),
                )
                continue
            if answered(crm, contact_id, decision, ("thank-you",)):
                continue
            due, last = within_36_hours(decision.date)
            outcome = {
                "accepted": "you accepted the offer",
                "rejection": "they chose someone else",
                "withdrew": "you withdrew",
            }[decision.kind]
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_letter(contact, settings.legible_handwriting),
                reason=f"{label(opportunity)} is decided ({outcome}, "
                f"{decision.date:%Y-%m-%d}): thank {contact.name} for being your reference.",
                what_to_say="Thank them for vouching for you, tell them how it turned out, and "
                "offer to return the favour.",
                cause=decision.source,
                opportunity=opportunity.id,
                closed_by=("thank-you",),
                letter="reference-thanks",
            )
