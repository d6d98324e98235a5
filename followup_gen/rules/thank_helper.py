"""Thank everyone who helps your search, within 24–36 hours.

## What it does
When someone does you a favour (reviews your CV, passes on a lead), refers
you, introduces you to someone, or gives you an informational interview, it
reminds you to thank them the next day.

## Why
> When you follow up and show your gratitude to the people who have helped
> your job search efforts, they are more likely to continue to help you
> throughout your search.

> It is important to follow up within 24-36 hours after the contact has been
> made for the follow up to be most effective.

A recruiter is thanked after each call: every `meeting` with a contact
whose relationship is `recruiter` counts as help.

## Trigger
An interaction of kind `help`, `referral`, `introduction` or
`informational-interview` with a contact on day D (or a `meeting` with a
`recruiter`). The thank-you is due on D+1 and overdue from D+2. Gratitude is
always on time: the nuisance gap does not apply.

## Satisfied by
A `thank-you` interaction with that contact after the favour.

## Settings
- `enabled`: switch the rule off with `false`.
- `legible_handwriting`: `true` recommends a handwritten note when the
  contact's address is known (else a mailed letter; email when no address).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM
from followup_gen.rules.channel import for_letter
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import (
    answered,
    helped_by,
    item,
    label,
    opportunity_of,
    reachable,
    within_36_hours,
)

ID = "thank-helper"
TIME_CRITICAL = True
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "thank-you"

_DID = {
    "help": "helped your search",
    "referral": "referred you",
    "introduction": "introduced you to someone",
    "informational-interview": "gave you an informational interview",
    "meeting": "took your call",
}


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    legible_handwriting: bool = False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for interaction in crm.interactions:
        helpers = helped_by(crm, interaction)
        if not helpers:
            continue
        opportunity = opportunity_of(crm, interaction)
        did = _DID[interaction.kind]
        if interaction.kind == "meeting" and interaction.channel == "in-person":
            did = "met with you"
        if opportunity is not None:
            did += f" ({label(opportunity)})"
        due, last = within_36_hours(interaction.date)
        for contact_id in dict.fromkeys(helpers):  # a meeting with anyone else: new-contact
            contact = reachable(crm, contact_id)
            if contact is None:
                continue
            if answered(crm, contact_id, interaction, ("thank-you",)):
                continue
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_letter(contact, settings.legible_handwriting),
                reason=f"Thank {contact.name}, who {did} on {interaction.date:%Y-%m-%d}.",
                what_to_say="Thank them for what they did and tell them how it helps your "
                "search; people who feel thanked keep helping.",
                cause=interaction.source,
                opportunity=interaction.opportunity,
                talking_points=interaction.points_for(contact_id),
                closed_by=(CLOSED_BY,),
            )
