"""When you accept an offer, thank everyone who helped and tell them the news.

## What it does
On the day you accept an offer, everyone who helped your search (a `help`,
`referral`, `introduction` or `informational-interview` with them, a
`meeting` with a `recruiter`, as `thank-helper` counts it, or named as an
opportunity's `referred_by`) gets a reminder to thank them and share the
news.

## Why
> When you follow up and show your gratitude to the people who have helped
> your job search efforts, they are more likely to continue to help you
> throughout your search.

> It is important to follow up within 24-36 hours after the contact has been
> made for the follow up to be most effective.

## Trigger
Your latest `accepted` interaction, on day D: one item per helper of this
search, that is whose help came on or before D and after any earlier
`accepted` (a previous search), or who referred you to an opportunity of
this search. Each is thanked once, and the plan makes it their check-in of
this cycle (it replaces their `keep-in-touch` and `bridge-check-in`). Due
on D+1, overdue from D+2. Exempt from the nuisance gap.

## Satisfied by
A `thank-you`, `check-in` or `follow-up` interaction with the helper after
the acceptance.

## Settings
- `enabled`: switch the rule off with `false`.
- `legible_handwriting`: `true` recommends a handwritten note when the
  contact's address is known (else a mailed letter; email when no address).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, Interaction
from followup_gen.rules.channel import for_letter
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import (
    after,
    answered,
    helped_by,
    item,
    label,
    opportunity_of,
    reachable,
    within_36_hours,
)

ID = "close-the-loop"
TIME_CRITICAL = True
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "thank-you"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    legible_handwriting: bool = False


def helpers(crm: CRM, accepted: Interaction, since: Interaction | None) -> tuple[str, ...]:
    """Contact ids who helped this search (after ``since``, up to ``accepted``)."""
    found: list[str] = []
    for interaction in crm.interactions:
        if interaction.date > accepted.date:
            continue
        if since is None or after(interaction, since):
            found.extend(helped_by(crm, interaction))
    for opportunity in crm.opportunities.values():
        steps = crm.about(opportunity.id)
        if opportunity.referred_by and any(
            i.date <= accepted.date and (since is None or after(i, since)) for i in steps
        ):
            found.append(opportunity.referred_by)
    return tuple(dict.fromkeys(found))


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    accepted = [i for i in crm.interactions if i.kind == "accepted" and i.date <= today]
    if not accepted:
        return
    interaction = accepted[-1]
    opportunity = opportunity_of(crm, interaction)
    news = label(opportunity) if opportunity else "an offer"
    due, last = within_36_hours(interaction.date)
    since = accepted[-2] if len(accepted) > 1 else None
    for contact_id in helpers(crm, interaction, since):
        contact = reachable(crm, contact_id)
        if contact is None or answered(
            crm, contact_id, interaction, (CLOSED_BY, "check-in", "follow-up")
        ):
            continue
        yield item(
            ID,
            contact,
            today=today,
            due=due,
            last=last,
            channel=for_letter(contact, settings.legible_handwriting),
            reason=f"You accepted {news} on {interaction.date:%Y-%m-%d}: thank "
            f"{contact.name} for their help and tell them the news.",
            what_to_say="Tell them where you are starting and thank them for what they did; "
            "offer to return the favour.",
            cause=interaction.source,
            opportunity=interaction.opportunity,
            closed_by=("thank-you", "check-in", "follow-up"),
        )
