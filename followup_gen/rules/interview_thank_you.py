"""Send each interviewer a thank-you letter within 24–36 hours.

## What it does
After an interview, it reminds you to thank every person who interviewed
you, with the talking points you recorded for that interview in `specifics`:
those shared by everyone present, then that person's own (an item
`jane-doe: ...` of the list), so each letter is written for its reader.
Two interviews with the same person on one day give one item with the
points of both. An interview with no `specifics` gets a warning (code
`no-specifics`) from its day on, while its thank-you is open: write down
what was discussed while it is fresh.

## Why
> If you type a thank you letter make sure you bring up specifics discussed
> during the interview. Stress your accomplishments and the benefits this
> company would enjoy by hiring you.

> It is important to follow up within 24-36 hours after the contact has been
> made for the follow up to be most effective.

## Trigger
An `interview` interaction on day D: one item per contact in it. Due on D+1,
overdue from D+2. Thank-yous are exempt from the nuisance gap. With both an
email and a postal address on file, it recommends both: the mailed (or
handwritten) letter, the better differentiator, and a short email inside
the 24–36 hours, as the post may arrive later.

## Satisfied by
A `thank-you` interaction with that contact after the interview, or your
`withdrew` note to them (it thanks them too). Once the process has been
decided (a `rejection` or `withdrew`), a `follow-up` to them after the
decision closes it too: the plan merged the thanks into that note.

## Settings
- `enabled`: switch the rule off with `false`.
- `legible_handwriting`: `true` recommends a handwritten note when the
  interviewer's address is known (else a mailed letter; email when no address).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, Interaction
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
TIME_CRITICAL = True
_DECIDED = ("rejection", "withdrew")
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "thank-you"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    legible_handwriting: bool = False


def thanked(crm: CRM, contact_id: str, interview: Interaction) -> bool:
    """True when the interview's thank-you to the contact is done (see the docstring)."""
    if answered(crm, contact_id, interview, ("thank-you", "withdrew")):
        return True
    if interview.opportunity is None:
        return False
    for decision in crm.about(interview.opportunity):
        if decision.kind in _DECIDED and decision.date >= interview.date:
            if answered(crm, contact_id, decision, ("follow-up", "withdrew", "thank-you")):
                return True
    return False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    # (contact, day) -> the interviews with them that day, in order.
    days: dict[tuple[str, dt.date], list[Interaction]] = {}
    for interaction in crm.interactions:
        if interaction.kind != "interview":
            continue
        for contact_id in dict.fromkeys(interaction.contacts):
            days.setdefault((contact_id, interaction.date), []).append(interaction)
    for (contact_id, day), interviews in days.items():
        contact = reachable(crm, contact_id)
        if contact is None:
            continue
        open_ = [i for i in interviews if not thanked(crm, contact_id, i)]
        if not open_:
            continue
        first = open_[0]
        opportunities = [opportunity_of(crm, i) for i in open_]
        named = list(dict.fromkeys(label(o) for o in opportunities if o))
        what = f" for {' and '.join(named)}" if named else ""
        companies = list(dict.fromkeys(o.company for o in opportunities if o))
        company = " and ".join(companies) or "the company"
        points = tuple(dict.fromkeys(p for i in open_ for p in i.points_for(contact_id)))
        interviews_word = "interviews" if len(open_) > 1 else "interview"
        due, last = within_36_hours(day)
        yield item(
            ID,
            contact,
            today=today,
            due=due,
            last=last,
            channel=for_letter(contact, settings.legible_handwriting, both=True),
            reason=f"Thank {contact.name} for the {interviews_word} on {day:%Y-%m-%d}{what}.",
            what_to_say="Bring up the specifics you discussed, stress your "
            f"accomplishments and the benefits {company} would enjoy by hiring you.",
            cause=first.source,
            opportunity=first.opportunity,
            talking_points=points,
            closed_by=(CLOSED_BY,),
        )
