"""Bridges: the people of the jobs you did not get, kept warm, never burnt.

A contact listed on an opportunity that has a ``rejection`` (or on the
rejection itself) is a bridge. The company may reconsider you for future
positions; the person hired may not work out or may take a counter-offer.
"""

from __future__ import annotations

import datetime as dt

from followup_gen.records import CRM
from followup_gen.rules.followup import Bridge
from followup_gen.rules.kit import days, last_with, reachable, spaced


def bridges(crm: CRM, today: dt.date, cadence_days: int, min_gap_days: int) -> tuple[Bridge, ...]:
    """Every bridge with its rejected opportunities and next check-in, by contact id.

    The next check-in is ``cadence_days`` after your last interaction with
    them (``today`` when there is none), kept ``min_gap_days`` after your
    last message. Contacts marked ``do_not_contact`` are left out.
    """
    found: dict[str, list[str]] = {}
    for opportunity in crm.opportunities.values():
        rejections = [i for i in crm.about(opportunity.id) if i.kind == "rejection"]
        if not rejections:
            continue
        people = (*opportunity.contacts, *(c for i in rejections for c in i.contacts))
        for contact_id in dict.fromkeys(people):
            if reachable(crm, contact_id) is not None:
                found.setdefault(contact_id, []).append(opportunity.id)
    out = []
    for contact_id in sorted(found):
        last = last_with(crm, contact_id)
        due = last.date + days(cadence_days) if last else today
        out.append(
            Bridge(
                contact=contact_id,
                opportunities=tuple(found[contact_id]),
                last_contact=last.date if last else None,
                next_check_in=spaced(crm, contact_id, due, min_gap_days),
            )
        )
    return tuple(out)
