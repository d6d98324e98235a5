"""The JSON report: everything the rules say on one day, for scripts and tests.

The shape is a contract (documented in docs/guide/rules.md)::

    {"today": "YYYY-MM-DD",
     "followups": [{"rule", "contact", "opportunity", "due", "last", "status",
                    "channel", "reason"}, ...],
     "stalled": [{"opportunity", "stage", "last_activity", "days_quiet", "reason"}, ...],
     "bridges": [{"contact", "opportunities", "last_contact", "next_check_in"}, ...],
     "problems": [{"severity", "file", "line", "code", "message"}, ...]}

Keys keep this order, dates are ``YYYY-MM-DD``, and lists keep the
evaluation's deterministic order, so the same files and day give
byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from followup_gen.problems import Problem, sort_problems
from followup_gen.rules.followup import Bridge, Evaluation, FollowUp, Stalled


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _followup(f: FollowUp) -> dict[str, object]:
    return {
        "rule": f.rule,
        "contact": f.contact,
        "opportunity": f.opportunity,
        "due": _day(f.due),
        "last": _day(f.last),
        "status": f.status,
        "channel": f.channel,
        "reason": f.reason,
    }


def _stalled(s: Stalled) -> dict[str, object]:
    return {
        "opportunity": s.opportunity,
        "stage": s.stage,
        "last_activity": _day(s.last_activity),
        "days_quiet": s.days_quiet,
        "reason": s.reason,
    }


def _bridge(b: Bridge) -> dict[str, object]:
    return {
        "contact": b.contact,
        "opportunities": list(b.opportunities),
        "last_contact": _day(b.last_contact),
        "next_check_in": _day(b.next_check_in),
    }


def report_json(evaluation: Evaluation, problems: Iterable[Problem] = ()) -> str:
    """The report as JSON text, indented, ending with a newline."""
    report = {
        "today": _day(evaluation.today),
        "followups": [_followup(f) for f in evaluation.followups],
        "stalled": [_stalled(s) for s in evaluation.stalled],
        "bridges": [_bridge(b) for b in evaluation.bridges],
        "problems": [p.to_json() for p in sort_problems([*problems, *evaluation.problems])],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
