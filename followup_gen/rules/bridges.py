"""Bridges: the people of the jobs you did not get, kept warm, never burnt.

The people of a ``rejection`` or a ``withdrew`` (its contacts and, when it
names an opportunity, the opportunity's contacts) are bridges, and so are the
contacts of an opportunity whose ``status`` is ``withdrawn`` or ``on-hold``.
The company may reconsider you for future positions; the person hired may
not work out or may take a counter-offer, which is a matter of weeks: the
first check-in comes ``first_days`` after the decision, then every
``cadence_days``.
"""

from __future__ import annotations

import datetime as dt

from followup_gen.records import CRM, Interaction, people_of
from followup_gen.rules.followup import Bridge
from followup_gen.rules.kit import days, reachable

DECISIONS = frozenset({"rejection", "withdrew"})
# The status overrides whose people are bridges too.
BRIDGE_STATUSES = frozenset({"withdrawn", "on-hold"})
# Your note answering the decision: not yet the first check-in.
_ANSWERS = frozenset({"thank-you", "follow-up", "withdrew"})


def decisions(crm: CRM) -> dict[str, tuple[list[str], dt.date, Interaction | None]]:
    """``{contact: (opportunity ids, latest decision day, latest decision)}``."""
    found: dict[str, tuple[list[str], dt.date, Interaction | None]] = {}

    def add(contact_id: str, opportunity: str | None, day: dt.date, cause) -> None:
        jobs, latest, why = found.get(contact_id, ([], day, cause))
        if opportunity and opportunity not in jobs:
            jobs.append(opportunity)
        if day >= latest:
            latest, why = day, cause if cause is not None else why
        found[contact_id] = (jobs, latest, why)

    for interaction in crm.interactions:
        if interaction.kind not in DECISIONS:
            continue
        opportunity = crm.opportunities.get(interaction.opportunity or "")
        people = (*(opportunity.contacts if opportunity else ()), *interaction.contacts)
        for contact_id in dict.fromkeys(people):
            add(contact_id, interaction.opportunity, interaction.date, interaction)
    for opportunity in crm.opportunities.values():
        steps = crm.about(opportunity.id)
        if opportunity.status not in BRIDGE_STATUSES or not steps:
            continue
        for contact_id in people_of(crm, opportunity):
            add(contact_id, opportunity.id, steps[-1].date, None)
    return found


def bridges(crm: CRM, today: dt.date, first_days: int, cadence_days: int) -> tuple[Bridge, ...]:
    """Every bridge with its opportunities and next check-in, by contact id.

    The first check-in is ``first_days`` after the latest decision; once you
    have been in touch since (beyond your note answering it), the next is
    ``cadence_days`` after your last interaction. Contacts marked
    ``do_not_contact`` are left out. Decisions dated after ``today`` have
    not happened yet.
    """
    out = []
    for contact_id, (jobs, decided, _) in sorted(decisions(crm).items()):
        if reachable(crm, contact_id) is None or decided > today:
            continue
        history = crm.with_contact(contact_id)
        since = [i for i in history if i.date > decided and i.kind not in _ANSWERS]
        last = history[-1].date if history else None
        if since:
            due = since[-1].date + days(cadence_days)
        else:
            due = decided + days(first_days)
        out.append(
            Bridge(
                contact=contact_id,
                opportunities=tuple(jobs),
                last_contact=last,
                next_check_in=due,
            )
        )
    return tuple(out)
