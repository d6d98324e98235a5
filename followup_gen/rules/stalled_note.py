"""When an interview is followed by silence, send one note with something new.

## What it does
When a process you interviewed for has stalled (it is on the stalled list:
no word from them for more than `stall_after_days`, or its
`expected_decision` has passed), it reminds you to send one note to the
hiring manager that offers something new that benefits them: a result, an
idea for their team, an article on a point you discussed. Never a request
for a status update. One note per silence: once you have sent it, the next
move is theirs, and the stalled list says so.

## Why
> If you contact a hiring authority to request an update or status report,
> you will more than likely not hear back. If hiring authorities are
> interested, they will contact you. If you want them to call you back, offer
> new information that would benefit them. This will peak their curiosity
> and often they will return your call if they see the WIIFM (What's In It
> For Me).

## Trigger
An opportunity at the interview stage on the stalled list (an offer has the
`offer-period` rule instead). One item, due on the first day it counts as
stalled, overdue after `window_days`, to the first `hiring` contact among
the opportunity's `contacts`, then the people at their last word (the
interview), then anyone else on the process; if none is `hiring`, the first
of them. No item when all of them are `do_not_contact`: the opportunity
stays on the stalled list.

## Satisfied by
A `follow-up` on the opportunity, to anyone on it, after their last word
(sent before it stalled, it counts too). News from them (a reply, an
interview, an offer or a rejection) ends the silence; if the silence comes
back, so does the note. A `status` on the opportunity ends it.

## Settings
- `enabled`: switch the rule off with `false` (the stalled list stays).
- `stall_after_days`: follows `stalled: stall_after_days` unless set here.
- `window_days`: days the note stays due before it is overdue.
- `min_gap_days`: this rule's own nuisance gap; 0 uses the plan's.
- `legible_handwriting`: `true` recommends a handwritten note when the
  contact's address is known (direct mail stands out more than email).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, Contact, people_of
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import days, item, label, reachable
from followup_gen.rules.search import search_of
from followup_gen.rules.stalled import STALL_AFTER_DAYS, Silence, StalledSettings, silences

ID = "stalled-note"
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "follow-up"
SAY = (
    "One note, and only with something new that benefits them (what's in it for them): a "
    "result, an idea for their team, an article on a point you discussed. Never ask for a "
    "status update: if they are interested, they will contact you."
)


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    stall_after_days: int = STALL_AFTER_DAYS
    window_days: int = 7
    min_gap_days: int = 0
    legible_handwriting: bool = False


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    stall = StalledSettings(stall_after_days=settings.stall_after_days)
    for silence in silences(crm, today, stall, search_of(crm, today)):
        if silence.stage != "interviewing" or silence.note is not None:
            continue
        contact = _recipient(crm, silence)
        if contact is None:
            continue
        opportunity, news = silence.opportunity, silence.news
        if opportunity.expected_decision is not None:
            why = (
                f"The expected decision date {opportunity.expected_decision:%Y-%m-%d} for "
                f"{label(opportunity)} has passed with no word"
            )
        else:
            why = (
                f"No news on {label(opportunity)} since the {news.kind} of "
                f"{news.date:%Y-%m-%d} (more than {settings.stall_after_days} days)"
            )
        yield item(
            ID,
            contact,
            today=today,
            due=silence.start,
            last=silence.start + days(settings.window_days),
            channel=for_message(contact, settings.legible_handwriting),
            reason=f"{why}: send {contact.name} one note with something new that benefits them.",
            what_to_say=SAY,
            cause=news.source,
            opportunity=opportunity.id,
            closed_by=(CLOSED_BY,),
        )


def _recipient(crm: CRM, silence: Silence) -> Contact | None:
    """The hiring manager of a stalled process, as the module docstring orders them."""
    opportunity = silence.opportunity
    ids = (*opportunity.contacts, *silence.news.contacts, *people_of(crm, opportunity))
    people = [c for c in (reachable(crm, i) for i in dict.fromkeys(ids)) if c is not None]
    return next((c for c in people if c.relationship == "hiring"), people[0] if people else None)
