"""One plan: at most one open message per person, whatever rule proposed it.

## What it does
Each rule proposes items on its own; the plan then decides, for each
contact, the one message to send next. `due`, `report --json`, the calendar
feed, the site and `draft` show only the plan.

1. **One message for what belongs together.** Time-critical thanks come
   first and take in what belongs in the same message (the item lists them
   under `merged`):
    - an `interview-thank-you` takes in your unsent thank-you for an earlier
      interview of the same process with that person (one letter for both),
      the `business-card` request (ask for
      the card in the same note, or confirm the details before you mail it)
      and the `offer-period` note (mention your offer and its deadline);
    - an `offer-period` note to someone of a stalled process takes in its
      `stalled-note`: your offer is the news it waits for;
    - a `rejection-follow-up` after an interview thank-you you had not sent
      yet (same opportunity) becomes one letter: thanks for the interview
      and the rejection note;
    - a `withdraw` note takes in that process's unsent `interview-thank-you`,
      `business-card`, `offer-period` note and `resume-follow-up`;
    - a `close-the-loop` takes in that person's unsent `thank-helper`, their
      `keep-in-touch`, `bridge-check-in` and reference thanks: it replaces
      them for this cycle.

    A merged item is due on the earliest due day of the thank-yous it took in.
2. **Nothing else until it is done.** A person with an open item gets no
   second item from another rule: the others wait behind it (`held_by` names
   the rule of the item ahead; `report --json` lists them under `held`, each
   due `min_gap_days` after the item ahead at the earliest). The item ahead
   is the first of: thanks (`thank-helper`, `new-contact`,
   `interview-thank-you`, `rejection-follow-up`, `close-the-loop`), then the
   other time-critical items, then the rest; the earliest due first.
3. **Never a nuisance.** The plan's `min_gap_days` spaces every message to a
   person, whatever rule proposed it: an item is never due sooner than that
   many days after your last outgoing interaction with them (the due day
   moves later and the reason says so). A rule's own `min_gap_days`, when
   set above 0, is used for that rule's items instead. Time-critical items
   (every thank-you, `business-card`, `new-contact`, `withdraw`,
   `offer-period` and `reference`) are never held back by the gap.

## Why
> There is often a fine line between effectively following up and being
> perceived as a nuisance by hiring authorities. You don't want to be lost
> in the shuffle; however, if you become a source of irritation to a hiring
> authority you will be eliminated from consideration.

> It is important to follow up within 24-36 hours after the contact has been
> made for the follow up to be most effective.

## Closed by
An item is closed by logging the interaction kind of the item that leads it
with that contact (each rule's *Satisfied by* names it; `report --json` gives
it as `closed_by`). The items it took in close with it: a `thank-you` closes
an interview thank-you and the business-card request in it. When an item
took in a thank-you for help or a reference's thanks, only a `thank-you`
closes it.

## Settings
These live under `plan:` in `followup.yml`; a top-level `min_gap_days`
applies here too unless `plan:` sets its own.

- `min_gap_days`: never due sooner than this many days after your last
  outgoing interaction with the person (time-critical items excepted).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from followup_gen.records import CRM
from followup_gen.rules.followup import FollowUp, status_on
from followup_gen.rules.kit import days, last_outgoing


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """The plan's nuisance gap between two messages to one person."""

    min_gap_days: int = 7


# (the rule that leads, the rules it takes in, only for the same opportunity)
ABSORBS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("interview-thank-you", ("interview-thank-you",), True),
    ("interview-thank-you", ("business-card", "offer-period"), False),
    ("offer-period", ("stalled-note",), True),
    ("rejection-follow-up", ("interview-thank-you", "business-card"), True),
    (
        "withdraw",
        ("interview-thank-you", "business-card", "offer-period", "resume-follow-up"),
        True,
    ),
    ("close-the-loop", ("thank-helper", "keep-in-touch", "bridge-check-in", "reference"), False),
)
# What a merged item adds to the reason of the item that leads it (by the
# pair of rules, else by the rule taken in).
_INCLUDES: Mapping[str | tuple[str, str], str] = {
    ("interview-thank-you", "interview-thank-you"): "Your thank-you for the earlier interview "
    "was not sent either: one letter thanks them for both.",
    "business-card": "Ask for their business card in the same note, or confirm the spelling "
    "of their name, their title and address before you mail it.",
    "interview-thank-you": "Your thank-you for the interview was not sent: one letter "
    "thanks them for the interview and for their time.",
    "keep-in-touch": "It is this cycle's keep-in-touch message too.",
    "bridge-check-in": "It is this cycle's bridge check-in too.",
    "offer-period": "Tell them in the same note, without pressure, that you have an offer "
    "and by when you must answer.",
    "resume-follow-up": "No more follow-ups on the application.",
    "reference": "It thanks them for being your reference too.",
    "stalled-note": "It is your one note on this quiet process too: the offer is your news.",
    "thank-helper": "Your thanks for their help was not sent: thank them in the same letter.",
}
# The letter of a merged item, when not the leading rule's own.
_LETTERS: Mapping[tuple[str, str], str] = {
    ("rejection-follow-up", "interview-thank-you"): "rejection-thanks",
    ("interview-thank-you", "business-card"): "interview-thank-you-card",
    ("interview-thank-you", "offer-period"): "interview-thank-you-offer",
}
# Items taken in whose closing kinds are narrower than the lead's: the merged
# item is closed by the kinds both share (a close-the-loop that thanks for
# help too is closed by a thank-you).
_NARROWS = frozenset({"thank-helper", "reference"})
# Thanks come first, then the other time-critical items, then the rest.
_THANKS = frozenset(
    {"thank-helper", "new-contact", "interview-thank-you", "rejection-follow-up", "close-the-loop"}
)


def plan(
    crm: CRM,
    today: dt.date,
    proposed: Iterable[FollowUp],
    *,
    critical: frozenset[str],
    gaps: Mapping[str, int],
    min_gap_days: int,
) -> tuple[tuple[FollowUp, ...], tuple[FollowUp, ...]]:
    """The plan of the ``proposed`` items: (one open item per person, the held ones).

    ``critical`` are the ids of time-critical rules; ``gaps`` each rule's own
    ``min_gap_days`` (0: the plan's ``min_gap_days``).
    """
    by_person: dict[str, list[FollowUp]] = {}
    for item in proposed:
        # An item for no one (a reminder) stands alone.
        by_person.setdefault(item.contact or f"-{item.key}", []).append(item)
    planned: list[FollowUp] = []
    held: list[FollowUp] = []
    for items in by_person.values():
        items = _merged(items)
        items.sort(key=lambda f: (_rank(f, critical), f.due, f.last, f.key))
        lead = items[0]
        gap = 0 if lead.rule in critical else gaps.get(lead.rule) or min_gap_days
        lead = _spaced(crm, today, lead, gap)
        planned.append(lead)
        for item in items[1:]:
            gap = gaps.get(item.rule) or min_gap_days
            held.append(_held(today, item, lead, 0 if item.rule in critical else gap))
    return (
        tuple(sorted(planned, key=FollowUp.sort_key)),
        tuple(sorted(held, key=FollowUp.sort_key)),
    )


def _rank(item: FollowUp, critical: frozenset[str]) -> int:
    if item.rule in _THANKS:
        return 0
    return 1 if item.rule in critical else 2


def _merged(items: list[FollowUp]) -> list[FollowUp]:
    """``items`` with what belongs in one message merged into the item that leads it."""
    for lead_rule, absorbed, same_opportunity in ABSORBS:
        # The earliest leads; among items of one rule, the latest (the freshest event).
        leads = sorted(
            (f for f in items if f.rule == lead_rule),
            key=lambda f: (f.due, f.key),
            reverse=lead_rule in absorbed,
        )
        for lead in leads:
            if not any(f is lead for f in items):
                continue  # taken in by another lead already
            taken = [
                f
                for f in items
                if f.rule in absorbed
                and f is not lead
                and (not same_opportunity or f.opportunity == lead.opportunity)
            ]
            if not taken:
                continue
            merged = lead
            for other in taken:
                merged = _merge(merged, other)
            items = [merged if f is lead else f for f in items if not any(f is t for t in taken)]
    return items


def _merge(lead: FollowUp, other: FollowUp) -> FollowUp:
    """One item for both (its status is set again by the caller)."""
    due = min(lead.due, other.due) if other.rule in _THANKS else lead.due
    closed_by = lead.closed_by
    if other.rule in _NARROWS:  # what closes both: log that
        closed_by = tuple(k for k in lead.closed_by if k in other.closed_by) or closed_by
    last = max(lead.last, due)
    points = tuple(dict.fromkeys((*lead.talking_points, *other.talking_points)))
    includes = _INCLUDES.get((lead.rule, other.rule)) or _INCLUDES.get(other.rule, "")
    return dataclasses.replace(
        lead,
        due=due,
        last=last,
        reason=lead.reason if includes in lead.reason else f"{lead.reason} {includes}".strip(),
        talking_points=points,
        merged=tuple(dict.fromkeys((*lead.merged, other.rule, *other.merged))),
        closed_by=closed_by,
        letter=_LETTERS.get((lead.rule, other.rule), lead.letter),
    )


def _spaced(crm: CRM, today: dt.date, item: FollowUp, gap: int) -> FollowUp:
    """``item`` moved to at least ``gap`` days after your last message to the person."""
    sent = last_outgoing(crm, item.contact) if gap else None
    if sent is None or sent + days(gap) <= item.due:
        return _restatus(today, item)
    due = sent + days(gap)
    return _restatus(
        today,
        dataclasses.replace(
            item,
            due=due,
            last=item.last + (due - item.due),
            reason=f"{item.reason} Moved to {due:%Y-%m-%d}: {gap} days after your last "
            f"message on {sent:%Y-%m-%d}.",
        ),
    )


def _held(today: dt.date, item: FollowUp, lead: FollowUp, gap: int) -> FollowUp:
    due = max(item.due, lead.due + days(gap))
    name = item.contact_name or item.contact
    return _restatus(
        today,
        dataclasses.replace(
            item,
            due=due,
            last=max(item.last, due),
            held_by=lead.rule,
            reason=f"{item.reason} It waits until the {lead.rule} item for {name} is done"
            + (f" (due {due:%Y-%m-%d} at the earliest)." if due > item.due else "."),
        ),
    )


def _restatus(today: dt.date, item: FollowUp) -> FollowUp:
    status = status_on(today, item.due, item.last)
    return item if status == item.status else dataclasses.replace(item, status=status)
