"""Stalled opportunities and pipeline health: how time kills deals.

## What it does
An opportunity at the interview or offer stage (no `rejection`, `accepted`
or `withdrew`, no `status`) is *stalled* when its `expected_decision` has
passed with no word, or when nothing has come from them for more than
`stall_after_days`: "no news" counts from the last *incoming* interaction on
it (their reply, an interview, the offer), never from your own thank-you or
follow-ups. Nothing is stalled before a future `expected_decision`, nor while
an interaction on it is still ahead. An application whose follow-ups have
all gone unanswered (see `resume-follow-up`) is listed too, as *gone quiet*.

Each stalled entry gives the four readings of a long delay and what to do:
book more interviews, and send at most one note that offers something new
that benefits them, never a status request (the `stalled-note` rule puts
that note on the due list, with its draft). `due`, `report --json` and the
site show them.

Pipeline health: the active interviews are the opportunities at the
interview stage that are neither stalled nor decided; when there are fewer
than `min_active_interviews`, `due`, the report and the dashboard say so
(and `due` never says "Nicely done" while something is stalled or the
pipeline is short). Once your search has ended (an `accepted`), there is
nothing stalled and no target.

## Why
> When you are expecting a job offer and there are long delays, this could
> indicate one of the following: Hiring for this job has been put on a back
> burner; You are a back-up candidate and not the front runner; They are
> still interviewing; They have hired someone else and have not informed you.

> This is why it is so important to book as many interviews as possible so
> you are not sitting and waiting to obtain an offer than may never come.

## Settings
These live under `stalled:` in `followup.yml`.

- `stall_after_days`: days without news after which an interviewing
  opportunity is stalled.
- `min_active_interviews`: how many opportunities you want at the interview
  stage at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from followup_gen.records import CRM, Interaction, Opportunity, open_opportunities_by_contact, stage
from followup_gen.rules.followup import Pipeline, Search, Stalled
from followup_gen.rules.kit import after
from followup_gen.rules.resume_follow_up import waiting
from followup_gen.rules.search import in_search

# Where a process waits on them after meeting you.
_WAITING_STAGES = frozenset({"interviewing", "offer"})
# What comes from their side: the "no news" clock restarts at each.
_FROM_THEM = frozenset({"reply", "interview", "offer", "meeting", "rejection"})

READINGS: tuple[str, ...] = (
    "Hiring for this job may have been put on a back burner.",
    "You may be a back-up candidate, not the front runner.",
    "They may still be interviewing.",
    "They may have hired someone else and not told you.",
)
BOOK_MORE = (
    "Book more interviews: when hiring authorities are impressed the process gets shorter, "
    "never longer, so do not sit waiting on an offer that may never come."
)
ONE_NOTE = (
    "Send at most one note, and only with something new that benefits them (a result, an "
    "idea for their team); never ask for a status update."
)
ADVICE = (
    "Long delays usually mean the hiring is on a back burner, you are the back-up "
    "candidate, they are still interviewing, or they hired someone else and have not "
    "told you. Keep booking interviews so you are not waiting on an offer that may "
    "never come."
)
GONE_QUIET_READINGS: tuple[str, ...] = (
    "If they were interested they would have contacted you: to them you are still a "
    "stranger, so do not take it personally.",
)
GONE_QUIET_ADVICE = (
    "If they were interested they would have contacted you; put your time into other "
    "openings and keep booking interviews."
)


# Days without news after which an interviewing process is stalled (the default).
STALL_AFTER_DAYS = 10


@dataclass(frozen=True, slots=True)
class StalledSettings:
    """When an opportunity counts as stalled, and the pipeline target."""

    stall_after_days: int = STALL_AFTER_DAYS
    min_active_interviews: int = 3


@dataclass(frozen=True, slots=True)
class Silence:
    """A process at the interview or offer stage that has stalled."""

    opportunity: Opportunity
    stage: str
    # Their last word (the last step, when nothing came from them yet).
    news: Interaction
    # The first day it counts as stalled.
    start: dt.date
    reason: str
    # Your one note (a ``follow-up`` on it) since their last word.
    note: Interaction | None


def _processes(crm: CRM, search: Search) -> Iterator[tuple[Opportunity, tuple, str]]:
    """``(opportunity, its steps, its stage)`` of each process of the current
    search that nothing has closed, whose story is whole."""
    if not search.active:
        return
    for opportunity in crm.opportunities.values():
        steps = crm.about(opportunity.id)
        if not steps or opportunity.status or not in_search(steps[-1], search):
            continue
        if ("opportunity", opportunity.id) in crm.incomplete:
            continue  # an incomplete story (a file with errors) cannot tell it has stalled
        yield opportunity, steps, stage(crm, opportunity)


def silences(
    crm: CRM, today: dt.date, settings: StalledSettings, search: Search | None = None
) -> list[Silence]:
    """The processes at the interview or offer stage that have stalled on ``today``."""
    found = []
    for opportunity, steps, current in _processes(crm, search or Search()):
        if current in _WAITING_STAGES:
            silence = _silence(opportunity, current, steps, today, settings)
            if silence is not None:
                found.append(silence)
    return found


def stalled(
    crm: CRM,
    today: dt.date,
    settings: StalledSettings,
    max_unanswered: int,
    search: Search | None = None,
) -> tuple[Stalled, ...]:
    """Stalled and gone-quiet opportunities, the quietest first (none once the search ended)."""
    found = []
    open_by_contact = None
    for opportunity, steps, current in _processes(crm, search or Search()):
        if current in _WAITING_STAGES:
            silence = _silence(opportunity, current, steps, today, settings)
            if silence is not None:
                found.append(_entry(silence, today))
            continue
        if not max_unanswered:
            continue
        if open_by_contact is None:
            open_by_contact = open_opportunities_by_contact(crm)
        waited = waiting(crm, opportunity, open_by_contact)
        if waited is not None and len(waited.sent) >= max_unanswered:
            last = waited.sent[-1].date
            if waited.reply is not None:
                reason = (
                    f"Gone quiet: no answer to your {len(waited.sent)} follow-ups since their "
                    f"reply of {waited.reply.date:%Y-%m-%d}; the last on {last:%Y-%m-%d}."
                )
            else:
                reason = (
                    f"Gone quiet: no answer to your application or your {len(waited.sent)} "
                    f"follow-ups; the last on {last:%Y-%m-%d}."
                )
            found.append(
                Stalled(
                    opportunity.id,
                    "applied",
                    last,
                    (today - last).days,
                    reason,
                    GONE_QUIET_ADVICE,
                    GONE_QUIET_READINGS,
                    ("Put your time into other openings and keep booking interviews.",),
                )
            )
    return tuple(sorted(found, key=lambda s: (-s.days_quiet, s.opportunity)))


def _silence(opportunity, current: str, steps, today: dt.date, settings) -> Silence | None:
    if steps[-1].date > today:
        return None  # something on it is still ahead
    decision = opportunity.expected_decision
    if decision is not None and decision >= today:
        return None  # they said when; it is not that day yet
    incoming = [i for i in steps if i.kind in _FROM_THEM]
    news = incoming[-1] if incoming else steps[-1]
    quiet = (today - news.date).days
    if decision is not None:
        reason = f"The expected decision date {decision:%Y-%m-%d} has passed with no word."
        start = decision + dt.timedelta(days=1)
    elif quiet > settings.stall_after_days:
        reason = f"No news for {quiet} days since {news.date:%Y-%m-%d}."
        start = news.date + dt.timedelta(days=settings.stall_after_days + 1)
    else:
        return None
    notes = [i for i in steps if i.kind == "follow-up" and after(i, news)]
    return Silence(opportunity, current, news, start, reason, notes[-1] if notes else None)


def _entry(silence: Silence, today: dt.date) -> Stalled:
    """The stalled list's entry for ``silence``: the readings and what to do."""
    if silence.note is not None:
        note = (
            f"You sent your one note on {silence.note.date:%Y-%m-%d}: leave the next move to "
            "them, and never ask for a status update."
        )
    else:
        note = ONE_NOTE
    news = silence.news.date
    return Stalled(
        silence.opportunity.id,
        silence.stage,
        news,
        (today - news).days,
        silence.reason,
        ADVICE,
        READINGS,
        (BOOK_MORE, note),
    )


def pipeline(
    crm: CRM,
    settings: StalledSettings,
    found: tuple[Stalled, ...] = (),
    search: Search | None = None,
) -> Pipeline:
    """The active interviews (at the interview stage, not stalled) against the target."""
    search = search or Search()
    if not search.active:
        ended = search.ended
        return Pipeline(
            0,
            settings.min_active_interviews,
            f"Your search ended on {ended:%Y-%m-%d} when you accepted an offer: no "
            "interviews to book.",
            ended=True,
        )
    quiet = {s.opportunity for s in found}
    active = sum(
        stage(crm, o) == "interviewing"
        and o.id not in quiet
        and in_search(crm.about(o.id)[-1], search)
        for o in crm.opportunities.values()
        if crm.about(o.id)
    )
    return pipeline_of(active, settings)


def pipeline_of(active: int, settings: StalledSettings) -> Pipeline:
    """Pipeline health with ``active`` opportunities at the interview stage."""
    target = settings.min_active_interviews
    noun = "opportunity is" if active == 1 else "opportunities are"
    if active == 0 and target:
        message = (
            f"No opportunity is at the interview stage (target {target}): book interviews so "
            "you are not waiting on an offer that may never come."
        )
    elif active >= target:
        message = f"{active} {noun} at the interview stage (target {target})."
    else:
        message = (
            f"Only {active} {noun} at the interview stage (target {target}): book more "
            "interviews so you are not waiting on an offer that may never come."
        )
    return Pipeline(active, target, message)
