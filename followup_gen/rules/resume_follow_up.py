"""Follow up on an application with something that benefits them.

## What it does
When an application has had no answer, it reminds you to follow up with the
opportunity's contacts, offering new information that benefits them, never a
request for a status update. After `max_unanswered` unanswered follow-ups it
stops, and the opportunity is listed as gone quiet among the stalled ones:
put your time into other openings.

## Why
> If you contact a hiring authority to request an update or status report,
> you will more than likely not hear back. If hiring authorities are
> interested, they will contact you. If you want them to call you back, offer
> new information that would benefit them. [...] often they will return your
> call if they see the WIIFM (What's In It For Me).

## Trigger
An opportunity whose latest step is an `application` with no later incoming
interaction (reply, interview, ...) on it. Due `resume_follow_up_days` after
the later of the application and your last `follow-up` on it, moved later if
that falls within `min_gap_days` of your last message to the contact. It stays
due for `window_days`, then turns overdue. The items go to the opportunity's
`contacts` (or, when it lists none, to the application's contacts).

## Satisfied by
A `follow-up` on the opportunity (which starts the next wait) or any answer
from them on it; an opportunity closed or with a `status` gets none.

## Settings
- `enabled`: switch the rule off with `false`.
- `resume_follow_up_days`: days to wait after the application or your last
  follow-up.
- `max_unanswered`: stop after this many unanswered follow-ups.
- `min_gap_days`: never due sooner than this many days after your last
  outgoing interaction with the contact.
- `window_days`: days an item stays due before it is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, Interaction, Opportunity, stage
from followup_gen.rules.channel import for_message
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import after, days, item, label, reachable, spaced

ID = "resume-follow-up"
# The kind of interaction that closes an item: what `followup-gen done` logs.
CLOSED_BY = "follow-up"


@dataclass(frozen=True, slots=True)
class Settings:
    enabled: bool = True
    resume_follow_up_days: int = 7
    max_unanswered: int = 2
    min_gap_days: int = 7
    window_days: int = 7


def waiting(
    crm: CRM, opportunity: Opportunity
) -> tuple[Interaction, tuple[Interaction, ...]] | None:
    """The unanswered application and your follow-ups since, or None.

    None when the opportunity is past the applied stage (or has a ``status``)
    or anything came back from them after the latest application.
    """
    if stage(crm, opportunity) != "applied":
        return None
    steps = crm.about(opportunity.id)
    application = next(i for i in reversed(steps) if i.kind == "application")
    later = [i for i in steps if after(i, application)]
    if any(i.incoming for i in later):
        return None
    return application, tuple(i for i in later if i.kind == CLOSED_BY)


def follow_ups(crm: CRM, today: dt.date, settings: Settings) -> Iterator[FollowUp]:
    for opportunity in crm.opportunities.values():
        found = waiting(crm, opportunity)
        if found is None:
            continue
        application, sent = found
        if len(sent) >= settings.max_unanswered:
            continue
        since = sent[-1] if sent else application
        number = f"follow-up {len(sent) + 1} of {settings.max_unanswered}"
        for contact_id in dict.fromkeys(opportunity.contacts or application.contacts):
            contact = reachable(crm, contact_id)
            if contact is None:
                continue
            due = spaced(
                crm,
                contact_id,
                since.date + days(settings.resume_follow_up_days),
                settings.min_gap_days,
            )
            yield item(
                ID,
                contact,
                today=today,
                due=due,
                last=due + days(settings.window_days),
                channel=for_message(contact, prefer_mail=True),
                reason=f"No answer to your application for {label(opportunity)} "
                f"({application.date:%Y-%m-%d}): send {contact.name} new information "
                f"that benefits them ({number}).",
                what_to_say="Offer something new that benefits them (what's in it for them): "
                "a result, an idea for their team, a relevant accomplishment. Never ask for a "
                "status update.",
                cause=since.source,
                opportunity=opportunity.id,
            )
