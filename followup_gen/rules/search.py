"""The search's lifecycle: active, then ended by an `accepted`, until the next one starts.

An `offer` opens an offer period (see `offer-period`): your other processes
at the interview stage hear that you have an offer and by when you must
answer (the opportunity's `offer_deadline`), and a reminder comes before
that day.

An `accepted` interaction ends the search on its day:

- the other open processes get a courteous `withdraw` note instead of
  follow-ups; logging `withdrew` (the note itself) closes it;
- stalled lists, pipeline warnings and "book more interviews" stop;
- `keep-in-touch` and `bridge-check-in` share your news (the `news` letter)
  instead of asking for leads, and recruiters get no more check-ins;
- `close-the-loop` thanks the helpers of this search (since the previous
  `accepted`), each once, and replaces their check-in of this cycle.

A new `application` after it starts the next search. A `withdrew` logged at
any time is your courteous note: its people become bridges, like a
rejection's. An `accepted` dated after the evaluated day has not happened
yet. `report --json` gives the state as `search`.
"""

from __future__ import annotations

import datetime as dt

from followup_gen.records import CRM, OPEN_STAGES, Interaction, Opportunity, stage
from followup_gen.rules.followup import Search
from followup_gen.rules.kit import after


def search_of(crm: CRM, today: dt.date) -> Search:
    """Where the search stands on ``today``."""
    accepted = [i for i in crm.interactions if i.kind == "accepted" and i.date <= today]
    if not accepted:
        return Search()
    latest = accepted[-1]
    previous = accepted[-2] if len(accepted) > 1 else None
    restarted = any(
        i.kind == "application" and i.date <= today and after(i, latest)
        for i in crm.interactions
        if i.date >= latest.date
    )
    if restarted:
        return Search("active", previous=latest)
    return Search("ended", accepted=latest, previous=previous)


def in_search(interaction: Interaction, search: Search) -> bool:
    """True when ``interaction`` belongs to the current (or just ended) search."""
    return search.previous is None or after(interaction, search.previous)


def is_open(crm: CRM, opportunity: Opportunity) -> bool:
    """True when nothing has decided the process yet."""
    return stage(crm, opportunity) in OPEN_STAGES


def news(crm: CRM, search: Search) -> str:
    """What you accepted, for news messages: ``the Data Engineer role at Acme``."""
    accepted = search.accepted
    opportunity = crm.opportunities.get(accepted.opportunity or "") if accepted else None
    if opportunity is None:
        return "a new role"
    return f"the {opportunity.role} role at {opportunity.company}"
