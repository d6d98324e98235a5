"""Apply every enabled rule to a CRM on a day: the follow-ups, stalled
opportunities, bridges and pipeline health, in a deterministic order.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from followup_gen.problems import Problem, sort_problems, warning
from followup_gen.records import CRM
from followup_gen.rules import RULES, bridge_check_in, interview_thank_you, resume_follow_up
from followup_gen.rules.bridges import bridges
from followup_gen.rules.followup import Evaluation, FollowUp
from followup_gen.rules.stalled import pipeline, stalled

if TYPE_CHECKING:  # the settings are read from files by the loader, a stage above
    from followup_gen.load.settings import Settings


def evaluate(crm: CRM, today: dt.date, settings: Settings) -> Evaluation:
    """Everything the rules say about ``crm`` on ``today``.

    Pure: the same CRM, day and settings always give the same evaluation.
    Its problems are warnings about the data the rules noticed (an interview
    with no ``specifics`` while its thank-you is open).
    """
    items: dict[str, FollowUp] = {}
    for rule in RULES:
        rule_settings = settings.rules.get(rule.id, rule.settings())
        if not rule_settings.enabled:
            continue
        for followup in rule.follow_ups(crm, today, rule_settings):
            items.setdefault(followup.key, followup)
    followups = tuple(sorted(items.values(), key=FollowUp.sort_key))
    bridge = settings.rules.get(bridge_check_in.ID, bridge_check_in.Settings())
    resume = settings.rules.get(resume_follow_up.ID, resume_follow_up.Settings())
    return Evaluation(
        today=today,
        followups=followups,
        stalled=stalled(crm, today, settings.stalled, resume.max_unanswered),
        bridges=bridges(crm, today, bridge.bridge_cadence_days, bridge.min_gap_days),
        pipeline=pipeline(crm, settings.stalled),
        problems=_no_specifics(followups),
    )


def _no_specifics(followups: tuple[FollowUp, ...]) -> tuple[Problem, ...]:
    found = []
    for f in followups:
        if f.rule == interview_thank_you.ID and not f.talking_points and f.cause is not None:
            found.append(
                warning(
                    f.cause.path,
                    f.cause.line_of("kind"),
                    "no-specifics",
                    "this interview has no 'specifics' and its thank-you letter is still "
                    "open: list what was discussed while it is fresh",
                )
            )
    return sort_problems(found)
