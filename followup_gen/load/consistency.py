"""Checks across records that need the whole CRM: warnings with the fix.

- An imported contact written by an older ``import``, whose ``met`` is a day
  invented to spread first check-ins (``met`` means the day you met): the
  fix is ``first_check_in``.
- A ``reply`` (or ``follow-up``) logged without ``opportunity:`` after an
  application, whose contacts are part of exactly one open opportunity, at
  the applied stage: it is counted for that one (see ``resume-follow-up``),
  and the warning suggests naming it.
"""

from __future__ import annotations

import datetime as dt
import re

from followup_gen.load.settings import Settings
from followup_gen.problems import Problem, warning
from followup_gen.records import (
    CRM,
    Contact,
    implied_opportunity,
    open_opportunities_by_contact,
    stage,
)

_IMPORTED = re.compile(r"Imported from .+ on (\d{4}-\d{2}-\d{2})\.")
_CONNECTED = re.compile(r"Connected on LinkedIn on (\d{4}-\d{2}-\d{2})\.")
# The kinds an opportunity is implied for (see resume-follow-up).
_IMPLIED_KINDS = frozenset({"reply", "follow-up"})


def check_crm(crm: CRM, settings: Settings) -> tuple[Problem, ...]:
    """The warnings about the CRM as a whole."""
    found = [p for c in crm.contacts.values() if (p := _invented_met(c, settings))]
    open_by_contact = None
    for interaction in crm.interactions:
        if interaction.opportunity or interaction.kind not in _IMPLIED_KINDS:
            continue
        if open_by_contact is None:
            open_by_contact = open_opportunities_by_contact(crm)
        implied = implied_opportunity(interaction, open_by_contact)
        if implied is None or stage(crm, crm.opportunities[implied]) != "applied":
            continue
        if not any(
            i.kind == "application" and i.date <= interaction.date for i in crm.about(implied)
        ):
            continue
        found.append(
            warning(
                interaction.source.path,
                interaction.source.line_of("kind"),
                "no-opportunity",
                f"this {interaction.kind} names no 'opportunity'; it is counted for "
                f"'{implied}', the one open opportunity of its contacts (did you mean "
                f"'opportunity: {implied}'?)",
            )
        )
    return tuple(found)


def _invented_met(contact: Contact, settings: Settings) -> Problem | None:
    if contact.met is None or contact.first_check_in is not None:
        return None
    imported = _IMPORTED.search(contact.notes)
    if imported is None:
        return None
    connected = _CONNECTED.search(contact.notes)
    if connected is not None and contact.met == dt.date.fromisoformat(connected.group(1)):
        return None  # the real day you connected
    rules = settings.rules.get("keep-in-touch")
    cadences = getattr(rules, "cadences", {})
    cadence = contact.cadence or cadences.get(contact.relationship) or 0
    first = contact.met + dt.timedelta(days=cadence)
    real = f"'met: {connected.group(1)}'" if connected else "no 'met' (or the day you really met)"
    return warning(
        contact.source.path,
        contact.source.line_of("met"),
        "invented-met",
        f"'met: {contact.met:%Y-%m-%d}' was written by an older 'import' to spread first "
        f"check-ins, but 'met' means the day you met: replace it with "
        f"'first_check_in: {first:%Y-%m-%d}' and {real}",
    )
