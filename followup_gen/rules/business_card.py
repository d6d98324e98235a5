"""Ask each interviewer for a business card.

## What it does
For every person you interview with, it reminds you to ask for their
business card (or to confirm the spelling of their name, their title and
postal address), so your thank-you letter gets them right, unless their
file says `business_card: true`. The plan merges it into that person's
interview thank-you: ask in the same note, or confirm before you mail it.

## Why
> Request a business card from each person involved in the hiring process so
> you have the correct spelling of their name, title and correct address for
> your thank you letter.

## Trigger
A contact in an `interview` on day D (the earliest one whose reminder is
open) not marked `business_card: true`. Due on the interview day D (ask at
the interview), overdue from D+2: the letter needs those details.

## Satisfied by
`business_card: true` in the contact's file (you have the card or confirmed
the details), the `thank-you` to them after the interview (the letter has
gone), or the process being decided (a `rejection`, `accepted` or
`withdrew` on the opportunity).

## Settings
- `enabled`: switch the rule off with `false`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CLOSING_KINDS, CRM, Interaction
from followup_gen.rules.channel import for_business_card
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import ONE_DAY, answered, item, label, opportunity_of, reachable

ID = "business-card"
TIME_CRITICAL = True
# No interaction closes an item: the contact's file does (`followup-gen done` says how).
CLOSED_BY = None


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True


def _over(crm: CRM, contact_id: str, interview: Interaction) -> bool:
    if answered(crm, contact_id, interview, ("thank-you",)):
        return True
    steps = crm.about(interview.opportunity) if interview.opportunity else ()
    return any(i.kind in CLOSING_KINDS for i in steps)


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    seen: set[str] = set()
    for interaction in crm.interactions:
        if interaction.kind != "interview":
            continue
        opportunity = opportunity_of(crm, interaction)
        what = f" for {label(opportunity)}" if opportunity else ""
        for contact_id in interaction.contacts:
            contact = reachable(crm, contact_id)
            if contact_id in seen or contact is None or contact.business_card:
                continue
            if _over(crm, contact_id, interaction):
                continue
            seen.add(contact_id)
            missing = [k for k in ("title", "address") if not getattr(contact, k)]
            check = (
                f"their file has no {' or '.join(missing)}"
                if missing
                else "confirm the spelling of their name, their title and address"
            )
            yield item(
                ID,
                contact,
                today=today,
                due=interaction.date,
                last=interaction.date + ONE_DAY,
                channel=for_business_card(contact, today, interaction.date),
                reason=f"Ask {contact.name} for a business card (interview on "
                f"{interaction.date:%Y-%m-%d}{what}): {check}.",
                what_to_say="Ask for their card, or confirm the spelling of their name, "
                f"their title and postal address; then add them to {contact.source.path} "
                "with 'business_card: true'.",
                cause=interaction.source,
                opportunity=interaction.opportunity,
                closed_by=("thank-you",),
            )
