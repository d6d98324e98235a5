"""Ask each interviewer for a business card.

## What it does
When someone you interview with has no `title` or `address` in their contact
file, it reminds you to ask for their business card, so your thank-you letter
gets their name, title and address right.

## Why
> Request a business card from each person involved in the hiring process so
> you have the correct spelling of their name, title and correct address for
> your thank you letter.

## Trigger
A contact in an `interview` (the earliest one) on day D whose file lacks
`title` or `address` and is not marked `business_card: true`. Due on the
interview day D (ask at the interview), overdue from D+2: the letter needs
those details.

## Satisfied by
The contact's file having both `title` and `address`, or `business_card: true`
(you confirmed the spelling, title and address).

## Settings
- `enabled`: switch the rule off with `false`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM
from followup_gen.rules.channel import for_business_card
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import ONE_DAY, item, label, opportunity_of, reachable

ID = "business-card"
# No interaction closes an item: the contact's file does (`followup-gen done` says how).
CLOSED_BY = None


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True


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
            seen.add(contact_id)
            missing = [k for k in ("title", "address") if not getattr(contact, k)]
            if not missing:
                continue
            yield item(
                ID,
                contact,
                today=today,
                due=interaction.date,
                last=interaction.date + ONE_DAY,
                channel=for_business_card(today, interaction.date),
                reason=f"Ask {contact.name} for a business card (interview on "
                f"{interaction.date:%Y-%m-%d}{what}): their file has no "
                f"{' or '.join(missing)}.",
                what_to_say="Ask for their card, or confirm the spelling of their name, "
                f"their title and postal address; then add them to {contact.source.path}.",
                cause=interaction.source,
                opportunity=interaction.opportunity,
            )
