"""Send each interviewer a thank-you letter within 24–36 hours.

## What it does
After an interview, it reminds you to thank every person who interviewed
you, and lists the `specifics` you recorded for that interview as talking
points for the letter. An interview with no `specifics` gets a warning
(code `no-specifics`) while its thank-you is open: write down what was
discussed while it is fresh.

## Why
> If you type a thank you letter make sure you bring up specifics discussed
> during the interview. Stress your accomplishments and the benefits this
> company would enjoy by hiring you.

> It is important to follow up within 24-36 hours after the contact has been
> made for the follow up to be most effective.

## Trigger
An `interview` interaction on day D: one item per contact in it. Due on D+1,
overdue from D+2. Thank-yous are exempt from the nuisance gap.

## Satisfied by
A `thank-you` interaction with that contact after the interview.

## Settings
- `enabled`: switch the rule off with `false`.
- `legible_handwriting`: `true` recommends a handwritten note when the
  interviewer's address is known (else a mailed letter; email when no address).
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
    item,
    label,
    opportunity_of,
    reachable,
    within_36_hours,
)

ID = "interview-thank-you"
# The kind of interaction that closes an item: what `followup-gen done` logs.
CLOSED_BY = "thank-you"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    legible_handwriting: bool = False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for interaction in crm.interactions:
        if interaction.kind != "interview":
            continue
        opportunity = opportunity_of(crm, interaction)
        what = f" for {label(opportunity)}" if opportunity else ""
        company = opportunity.company if opportunity else "the company"
        due, last = within_36_hours(interaction.date)
        for contact_id in dict.fromkeys(interaction.contacts):
            contact = reachable(crm, contact_id)
            if contact is None or answered(crm, contact_id, interaction, (CLOSED_BY,)):
                continue
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_letter(contact, settings.legible_handwriting),
                reason=f"Thank {contact.name} for the interview on "
                f"{interaction.date:%Y-%m-%d}{what}.",
                what_to_say="Bring up the specifics you discussed, stress your "
                f"accomplishments and the benefits {company} would enjoy by hiring you.",
                cause=interaction.source,
                opportunity=interaction.opportunity,
                talking_points=interaction.specifics,
            )
