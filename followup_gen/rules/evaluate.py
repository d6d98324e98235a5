"""Apply every enabled rule to a CRM on a day, then plan: one open item per person.

The rules propose; ``plan.plan`` decides what each person should receive
next; stalled opportunities, bridges and pipeline health follow where the
search stands (``search.search_of``). Deterministic in its order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from followup_gen.problems import Problem, sort_problems, warning
from followup_gen.records import CRM
from followup_gen.rules import RULES, bridge_check_in, interview_thank_you, resume_follow_up
from followup_gen.rules.bridges import bridges
from followup_gen.rules.followup import Evaluation, FollowUp
from followup_gen.rules.plan import plan
from followup_gen.rules.search import search_of
from followup_gen.rules.stalled import pipeline, stalled

if TYPE_CHECKING:  # the settings are read from files by the loader, a stage above
    from followup_gen.load.settings import Settings


def evaluate(crm: CRM, today: dt.date, settings: Settings) -> Evaluation:
    """Everything the rules say about ``crm`` on ``today``, as one plan.

    Pure: the same CRM, day and settings always give the same evaluation.
    Its problems are warnings about the data the rules noticed (an interview
    with no ``specifics`` while its thank-you is open).
    """
    items: dict[str, FollowUp] = {}
    gaps: dict[str, int] = {}
    for rule in RULES:
        rule_settings = settings.rules.get(rule.id, rule.settings())
        if not rule_settings.enabled:
            continue
        gaps[rule.id] = getattr(rule_settings, "min_gap_days", 0)
        for followup in rule.follow_ups(crm, today, rule_settings):
            items.setdefault(followup.key, followup)
    critical = frozenset(rule.id for rule in RULES if rule.time_critical)
    followups, held = plan(
        crm,
        today,
        items.values(),
        critical=critical,
        gaps=gaps,
        min_gap_days=settings.plan.min_gap_days,
    )
    search = search_of(crm, today)
    bridge = settings.rules.get(bridge_check_in.ID, bridge_check_in.Settings())
    resume = settings.rules.get(resume_follow_up.ID, resume_follow_up.Settings())
    found_stalled = stalled(crm, today, settings.stalled, resume.max_unanswered, search)
    return Evaluation(
        today=today,
        followups=followups,
        stalled=found_stalled,
        bridges=_planned_bridges(
            bridges(crm, today, bridge.bridge_first_days, bridge.bridge_cadence_days),
            (*followups, *held),
        ),
        pipeline=pipeline(crm, settings.stalled, found_stalled, search),
        problems=_no_specifics(crm, today, items.values()),
        held=held,
        search=search,
    )


def _planned_bridges(found, items):
    """Each bridge's next check-in as the plan has it (spaced or held)."""
    due = {f.contact: f.due for f in items if f.rule == bridge_check_in.ID}
    return tuple(
        dataclasses.replace(b, next_check_in=due[b.contact]) if b.contact in due else b
        for b in found
    )


def warnings(crm: CRM, today: dt.date, settings: Settings) -> tuple[Problem, ...]:
    """What the rules notice in the data on ``today``: an interview with no
    ``specifics`` whose thank-you is open, from its day on (the plan may
    have merged that thank-you into another letter, which brings the points
    up too). Cheap: only the interview thank-you rule runs (``check``)."""
    rule_settings = settings.rules.get(interview_thank_you.ID, interview_thank_you.Settings())
    if not rule_settings.enabled:
        return ()
    return _no_specifics(crm, today, interview_thank_you.follow_ups(crm, today, rule_settings))


def _no_specifics(crm: CRM, today: dt.date, proposed: Iterable[FollowUp]) -> tuple[Problem, ...]:
    """The interviews with no ``specifics`` among the causes of the ``proposed``
    interview thank-yous, from their day on."""
    waiting = {f.cause.path for f in proposed if f.rule == interview_thank_you.ID and f.cause}
    found = []
    for interaction in crm.interactions:
        if interaction.source.path not in waiting or interaction.kind != "interview":
            continue
        if interaction.specifics or interaction.date > today:
            continue  # an interview still ahead: nothing was discussed yet
        found.append(
            warning(
                interaction.source.path,
                interaction.source.line_of("kind"),
                "no-specifics",
                "this interview has no 'specifics' and its thank-you letter is still "
                "open: list what was discussed while it is fresh",
            )
        )
    return sort_problems(found)
