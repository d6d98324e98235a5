"""When you don't get the job, thank them and keep the door open.

## What it does
After a rejection, it reminds you to write to each hiring authority of the
opportunity (and each contact on the rejection) within 24–36 hours: thank
them for their time, express interest in future positions with them, and ask
for suggestions to improve your interviewing, never why you were not hired.

## Why
> It is important to follow up and never burn a bridge. Often, the company
> will reconsider you for future positions. [...] When you follow up, thank
> the hiring authorities for their time and express interest in future
> positions with them.

> Rather than ask why you were not hired, ask for any suggestions how you
> might improve your interviewing abilities.

> If you handle the initial rejection correctly, you could be referred by
> this hiring authority to individuals in their professional network.

## Trigger
A `rejection` interaction on day D: one item for each of the opportunity's
`contacts` and each contact on the rejection. Due on D+1, overdue from D+2.
Exempt from the nuisance gap, like every thank-you.

## Satisfied by
A `thank-you` or `follow-up` interaction with that contact after the
rejection. When your interview thank-you to them was not sent yet, the plan
makes both one letter, closed the same way.

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
    item,
    label,
    opportunity_of,
    reachable,
    within_36_hours,
)

ID = "rejection-follow-up"
TIME_CRITICAL = True
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "thank-you"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    legible_handwriting: bool = False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for interaction in crm.interactions:
        if interaction.kind != "rejection":
            continue
        opportunity = opportunity_of(crm, interaction)
        what = label(opportunity) if opportunity else "the position"
        people = (*(opportunity.contacts if opportunity else ()), *interaction.contacts)
        due, last = within_36_hours(interaction.date)
        for contact_id in dict.fromkeys(people):
            contact = reachable(crm, contact_id)
            if contact is None or answered(crm, contact_id, interaction, (CLOSED_BY, "follow-up")):
                continue
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_letter(contact, settings.legible_handwriting),
                reason=f"Not offered {what} ({interaction.date:%Y-%m-%d}): thank "
                f"{contact.name} and keep the bridge.",
                what_to_say="Thank them for their time, express interest in future positions "
                "with them, and ask for suggestions to improve your interviewing (not why "
                "you were not hired).",
                cause=interaction.source,
                opportunity=interaction.opportunity,
                closed_by=("thank-you", "follow-up"),
            )
