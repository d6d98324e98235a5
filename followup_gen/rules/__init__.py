"""The rule book: one module per rule, listed once in ``RULES``.

A rule module has a docstring (its user documentation: the advice behind it,
the trigger, what satisfies it), an ``ID``, a ``Settings`` frozen dataclass
whose fields all have defaults (``enabled`` among them), and a pure function
``follow_ups(crm, today, settings) -> Iterable[FollowUp]``. A rule whose
message answers an event within 24–36 hours sets ``TIME_CRITICAL = True``:
the plan (``plan.py``) puts it first and never spaces it out. ``CLOSED_BY``
names the kind of interaction that closes one of its items (the items
carry it, with what the plan merged, as ``FollowUp.closed_by``; ``followup-gen
done`` logs it), or None when no interaction does. Nothing here reads the
clock: ``today`` is always passed in.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from followup_gen.records import CRM
from followup_gen.rules.followup import FollowUp


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its id, settings type, function and documentation."""

    id: str
    settings: type
    follow_ups: Callable[[CRM, Any, Any], Iterable[FollowUp]]
    doc: str
    time_critical: bool = False
    closed_by: str | None = None


def _rule(module: ModuleType) -> Rule:
    return Rule(
        module.ID,
        module.Settings,
        module.follow_ups,
        inspect.getdoc(module) or "",
        getattr(module, "TIME_CRITICAL", False),
        getattr(module, "CLOSED_BY", None),
    )


from . import (  # noqa: E402  (the modules need Rule's imports above)
    bridge_check_in,
    business_card,
    close_the_loop,
    interview_thank_you,
    keep_in_touch,
    new_contact,
    offer_period,
    reference,
    rejection_follow_up,
    resume_follow_up,
    stalled_note,
    thank_helper,
    withdraw,
)

# In the order of a job search; this order is the rule book's.
RULES: tuple[Rule, ...] = (
    _rule(thank_helper),
    _rule(new_contact),
    _rule(interview_thank_you),
    _rule(business_card),
    _rule(rejection_follow_up),
    _rule(resume_follow_up),
    _rule(stalled_note),
    _rule(reference),
    _rule(offer_period),
    _rule(withdraw),
    _rule(keep_in_touch),
    _rule(bridge_check_in),
    _rule(close_the_loop),
)
