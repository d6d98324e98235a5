"""The JSON report: everything the rules say on one day, for scripts and tests.

Its shape is a contract, documented here and in the rule book
(docs/guide/rules.md, "The report"). `schema` changes whenever a key is
renamed, removed or changes meaning; new keys may be added without a change.

```text
{"schema": 2,
 "today": "YYYY-MM-DD",
 "search": {"state": "active" | "ended", "ended": "YYYY-MM-DD" | null,
            "accepted": opportunity id | null},
 "followups": [ITEM, ...],
 "held": [ITEM, ...],
 "stalled": [{"opportunity", "stage", "last_activity", "days_quiet",
              "reason", "readings": [...], "actions": [...]}, ...],
 "pipeline": {"active_interviews", "target", "healthy", "message"},
 "bridges": [{"contact", "opportunities", "last_contact", "next_check_in"}, ...],
 "problems": [{"severity", "file", "line", "code", "message"}, ...]}

ITEM = {"rule", "contact", "opportunity", "due", "last", "status",
        "channel", "also_by", "channel_why", "reason", "what_to_say",
        "talking_points": [...], "closed_by": [...], "merged": [...], "held_by"}
```

- `followups` is the plan: at most one open item per contact (`contact` is
  `""` for a reminder that names no one yet, such as finding the hiring
  manager of a portal application); `held` are the items waiting behind
  one, each with `held_by`, the rule of the item ahead.
- `merged`: the rules whose items this one took in (one message for all);
  `closed_by`: the interaction kinds that close it once logged with the
  contact; `channel_why`: why that channel; `also_by`: a second channel to
  use as well (a mailed note after an emailed thank-you), or null.
- `stalled` entries carry the readings of the delay and the actions to take;
  `pipeline.healthy` is false when fewer than the target are at the
  interview stage (never once the search has ended).

Keys keep this order, dates are `YYYY-MM-DD`, and lists keep the
evaluation's deterministic order, so the same files and day give
byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from followup_gen.problems import Problem, sort_problems
from followup_gen.rules.followup import Bridge, Evaluation, FollowUp, Pipeline, Search, Stalled

SCHEMA = 2


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
        "also_by": f.also_by,
        "channel_why": f.channel_why,
        "reason": f.reason,
        "what_to_say": f.what_to_say,
        "talking_points": list(f.talking_points),
        "closed_by": list(f.closed_by),
        "merged": list(f.merged),
        "held_by": f.held_by,
    }


def _stalled(s: Stalled) -> dict[str, object]:
    return {
        "opportunity": s.opportunity,
        "stage": s.stage,
        "last_activity": _day(s.last_activity),
        "days_quiet": s.days_quiet,
        "reason": s.reason,
        "readings": list(s.readings),
        "actions": list(s.actions),
    }


def _pipeline(p: Pipeline) -> dict[str, object]:
    return {
        "active_interviews": p.active_interviews,
        "target": p.target,
        "healthy": p.healthy,
        "message": p.message,
    }


def _search(s: Search) -> dict[str, object]:
    return {
        "state": s.state,
        "ended": _day(s.ended),
        "accepted": s.accepted.opportunity if s.accepted is not None else None,
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
        "schema": SCHEMA,
        "today": _day(evaluation.today),
        "search": _search(evaluation.search),
        "followups": [_followup(f) for f in evaluation.followups],
        "held": [_followup(f) for f in evaluation.held],
        "stalled": [_stalled(s) for s in evaluation.stalled],
        "pipeline": _pipeline(evaluation.pipeline),
        "bridges": [_bridge(b) for b in evaluation.bridges],
        "problems": [p.to_json() for p in sort_problems([*problems, *evaluation.problems])],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
