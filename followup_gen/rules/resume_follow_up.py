"""Follow up on an application with something that benefits them.

## What it does
When an application has had no answer, it reminds you to follow up with the
opportunity's contacts, offering new information that benefits them, never a
request for a status update. After `max_unanswered` unanswered follow-ups it
stops, and the opportunity is listed as gone quiet among the stalled ones:
put your time into other openings. An application sent through a job
portal, with no person (`log application --opportunity X` with no contact),
is followed up with the opportunity's contacts; when it lists none, the item
is a reminder to find the hiring manager's name. Once your search has ended
(an `accepted`), the other applications get a `withdraw` note instead.

## Why
> If you contact a hiring authority to request an update or status report,
> you will more than likely not hear back. If hiring authorities are
> interested, they will contact you. If you want them to call you back, offer
> new information that would benefit them. [...] often they will return your
> call if they see the WIIFM (What's In It For Me).

## Trigger
An opportunity at the applied stage. Only answers from the hiring side end
the wait: a `reply`, `meeting`, `interview`, `offer` or `rejection` on the
opportunity (a helper's `help`, `referral` or `introduction` never does,
whatever their order on the day). One logged without `opportunity:` counts
when its contacts are part of exactly one open opportunity. A `reply` that
decides nothing restarts the clock: the next follow-up is due
`resume_follow_up_days` after the later of the application, the last reply
and your last `follow-up`, and `max_unanswered` counts the follow-ups since
the last reply. It stays due for `window_days`, then turns overdue. The
items go to the opportunity's `contacts` (or, when it lists none, to the
application's contacts).

## Satisfied by
A `follow-up` on the opportunity (which starts the next wait; one without
`opportunity:` counts like a reply does), or an interview, offer or
rejection; an opportunity closed or with a `status` gets none.

## Settings
- `enabled`: switch the rule off with `false`.
- `resume_follow_up_days`: days to wait after the application, a reply or
  your last follow-up.
- `max_unanswered`: stop after this many unanswered follow-ups.
- `min_gap_days`: this rule's own nuisance gap; 0 uses the plan's.
- `window_days`: days an item stays due before it is overdue.
- `legible_handwriting`: `true` recommends a handwritten note when the
  contact's address is known (direct mail stands out more than email).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from followup_gen.records import (
    CRM,
    Interaction,
    Opportunity,
    implied_opportunity,
    open_opportunities_by_contact,
    people_of,
    stage,
)
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import after, days, item, label, reachable, reminder
from followup_gen.rules.search import in_search, search_of

ID = "resume-follow-up"
# What the hiring side sends that ends the wait (a reply restarts it).
ANSWERS = frozenset({"reply", "meeting", "interview", "offer", "rejection"})
# The kind of interaction that closes an item (what `followup-gen done` logs).
CLOSED_BY = "follow-up"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    resume_follow_up_days: int = 7
    max_unanswered: int = 2
    min_gap_days: int = 0
    window_days: int = 7
    legible_handwriting: bool = False


@dataclass(frozen=True, slots=True)
class Waiting:
    """An application waiting for an answer."""

    application: Interaction
    # The latest reply since the application (the clock restarts from it).
    reply: Interaction | None
    # Your follow-ups since the later of the two.
    sent: tuple[Interaction, ...]

    @property
    def since(self) -> Interaction:
        """What the next follow-up is counted from."""
        if self.sent:
            return self.sent[-1]
        return self.reply or self.application


def waiting(
    crm: CRM, opportunity: Opportunity, open_by_contact: Mapping[str, tuple[str, ...]]
) -> Waiting | None:
    """The application waiting for an answer, or None.

    None when the opportunity is past the applied stage (or has a ``status``)
    or has no application. ``open_by_contact`` is
    ``records.open_opportunities_by_contact(crm)``.
    """
    if stage(crm, opportunity) != "applied":
        return None
    steps = crm.about(opportunity.id)
    application = next((i for i in reversed(steps) if i.kind == "application"), None)
    if application is None:
        return None
    reply = None
    sent: list[Interaction] = []
    for interaction in _about(crm, opportunity, steps, open_by_contact):
        if not after(interaction, application):
            continue
        if interaction.kind in ANSWERS:
            reply, sent = interaction, []
        elif interaction.kind == "follow-up":
            sent.append(interaction)
    return Waiting(application, reply, tuple(sent))


def _about(crm, opportunity, steps, open_by_contact) -> list[Interaction]:
    """The opportunity's interactions and those implied for it, oldest first."""
    implied = [
        i
        for c in people_of(crm, opportunity)
        if len(open_by_contact.get(c, ())) == 1
        for i in crm.with_contact(c)
        if not i.opportunity
        and i.kind in (*ANSWERS, "follow-up")
        and implied_opportunity(i, open_by_contact) == opportunity.id
    ]
    if not implied:
        return list(steps)
    return sorted(dict.fromkeys([*steps, *implied]), key=lambda i: i.sort_key)


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    search = search_of(crm, today)
    open_by_contact = open_opportunities_by_contact(crm)
    for opportunity in crm.opportunities.values():
        found = waiting(crm, opportunity, open_by_contact)
        if found is None or len(found.sent) >= settings.max_unanswered:
            continue
        if not search.active or not in_search(found.application, search):
            continue  # the search ended: the withdraw rule writes to them
        since = found.since
        number = f"follow-up {len(found.sent) + 1} of {settings.max_unanswered}"
        due = since.date + days(settings.resume_follow_up_days)
        last = due + days(settings.window_days)
        application = found.application
        answered = (
            f"their reply of {found.reply.date:%Y-%m-%d}" if found.reply else "your application"
        )
        people = opportunity.contacts or application.contacts
        say = (
            "Offer something new that benefits them (what's in it for them): a result, an idea "
            "for their team, a relevant accomplishment. Never ask for a status update."
        )
        if not people:
            yield reminder(
                ID,
                f"The hiring manager at {opportunity.company}",
                today=today,
                due=due,
                last=last,
                reason=f"No answer to your application for {label(opportunity)} "
                f"({application.date:%Y-%m-%d}) through a portal: find the hiring manager's "
                f"name and add them to {opportunity.source.path} ('contacts:') to follow up "
                f"({number}).",
                what_to_say="Look the team up (the job ad, the company's site, LinkedIn) and "
                "write to the hiring manager with something new that benefits them. " + say,
                cause=since.source,
                opportunity=opportunity.id,
                closed_by=(CLOSED_BY,),
            )
            continue
        for contact_id in dict.fromkeys(people):
            contact = reachable(crm, contact_id)
            if contact is None:
                continue
            if found.reply:
                what = (
                    f"Since {answered} to your application for {label(opportunity)}, no news: "
                    f"send {contact.name} new information that benefits them ({number})."
                )
            else:
                what = (
                    f"No answer to your application for {label(opportunity)} "
                    f"({application.date:%Y-%m-%d}): send {contact.name} new information that "
                    f"benefits them ({number})."
                )
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=last,
                channel=for_message(contact, settings.legible_handwriting),
                reason=what,
                what_to_say=say,
                cause=since.source,
                opportunity=opportunity.id,
                closed_by=(CLOSED_BY,),
            )
