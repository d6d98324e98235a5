"""Stalled opportunities and pipeline health: how time kills deals.

## What it does
An opportunity with at least one `interview`, no `offer`, `rejection`,
`accepted` or `withdrew`, and no `status` is *stalled* when its last
interaction is more than `stall_after_days` old, or its `expected_decision`
has passed. An application whose follow-ups have all gone unanswered (see
`resume-follow-up`) is listed too, as *gone quiet*. Pipeline health: when
fewer than `min_active_interviews` opportunities are at the interview stage,
the report says so.

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
from dataclasses import dataclass

from followup_gen.records import CRM, stage
from followup_gen.rules.followup import Pipeline, Stalled
from followup_gen.rules.resume_follow_up import waiting

_DECIDED = frozenset({"offer", "rejection", "accepted", "withdrew"})

ADVICE = (
    "Long delays usually mean the hiring is on a back burner, you are the back-up "
    "candidate, they are still interviewing, or they hired someone else and have not "
    "told you. Keep booking interviews so you are not waiting on an offer that may "
    "never come."
)
GONE_QUIET_ADVICE = (
    "If they were interested they would have contacted you; put your time into other "
    "openings and keep booking interviews."
)


@dataclass(frozen=True, slots=True)
class StalledSettings:
    """When an opportunity counts as stalled, and the pipeline target."""

    stall_after_days: int = 10
    min_active_interviews: int = 3


def stalled(
    crm: CRM, today: dt.date, settings: StalledSettings, max_unanswered: int
) -> tuple[Stalled, ...]:
    """Stalled and gone-quiet opportunities, the quietest first."""
    found: list[Stalled] = []
    for opportunity in crm.opportunities.values():
        steps = crm.about(opportunity.id)
        if not steps or opportunity.status or ("opportunity", opportunity.id) in crm.incomplete:
            continue  # an incomplete story (a file with errors) cannot tell it has stalled
        last = steps[-1].date
        quiet = (today - last).days
        if any(i.kind == "interview" for i in steps):
            if any(i.kind in _DECIDED for i in steps) or last > today:
                continue
            decision = opportunity.expected_decision
            if decision is not None and decision < today:
                reason = f"The expected decision date {decision:%Y-%m-%d} has passed with no word."
            elif quiet > settings.stall_after_days:
                reason = f"No news for {quiet} days since {last:%Y-%m-%d}."
            else:
                continue
            found.append(
                Stalled(opportunity.id, stage(crm, opportunity), last, quiet, reason, ADVICE)
            )
            continue
        waited = waiting(crm, opportunity)
        if waited is not None and max_unanswered and len(waited[1]) >= max_unanswered:
            reason = (
                f"Gone quiet: no answer to your application or your {len(waited[1])} "
                f"follow-ups; the last on {last:%Y-%m-%d}."
            )
            found.append(Stalled(opportunity.id, "applied", last, quiet, reason, GONE_QUIET_ADVICE))
    return tuple(sorted(found, key=lambda s: (-s.days_quiet, s.opportunity)))


def pipeline(crm: CRM, settings: StalledSettings) -> Pipeline:
    """How many opportunities are at the interview stage, against the target."""
    active = sum(stage(crm, o) == "interviewing" for o in crm.opportunities.values())
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
