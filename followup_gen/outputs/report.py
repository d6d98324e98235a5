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
from collections.abc import Iterable
from json.encoder import encode_basestring

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
    return report_text(
        evaluation.today,
        [followup_piece(f) for f in evaluation.followups],
        [dumps(_stalled(s), 2) for s in evaluation.stalled],
        [dumps(_bridge(b), 2) for b in evaluation.bridges],
        [*problems, *evaluation.problems],
    )


def report_text(
    today: dt.date,
    followups: list[str],
    stalled: list[str],
    bridges: list[str],
    problems: Iterable[Problem],
) -> str:
    """The report's text from its pieces: each list item already written as
    ``dumps(item, 2)`` writes it (what ``report_json`` does with an evaluation)."""
    lists = {"followups": followups, "stalled": stalled, "bridges": bridges}
    lists["problems"] = [dumps(p.to_json(), 2) for p in sort_problems(problems)]
    out = [f'{{\n  "today": {dumps(_day(today))}']
    for key, pieces in lists.items():
        joined = ",\n    ".join(pieces)
        out.append(f'  "{key}": [\n    {joined}\n  ]' if pieces else f'  "{key}": []')
    return ",\n".join(out) + "\n}\n"


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def followup_piece(f: FollowUp) -> str:
    """``dumps(_followup(f), 2)``, written directly: a large report has
    tens of thousands of these."""
    return (
        f'{{\n      "rule": {encode_basestring(f.rule)},'
        f'\n      "contact": {encode_basestring(f.contact)},'
        f'\n      "opportunity": {_text(f.opportunity)},'
        f'\n      "due": "{f.due.isoformat()}",'
        f'\n      "last": "{f.last.isoformat()}",'
        f'\n      "status": {encode_basestring(f.status)},'
        f'\n      "channel": {encode_basestring(f.channel)},'
        f'\n      "reason": {encode_basestring(f.reason)}\n    }}'
    )


def dumps(value: object, level: int = 0) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` for the report's
    values (dicts with text keys, lists, text, whole numbers, booleans, None),
    written as if nested ``level`` deep.

    The same text, several times faster: with ``indent`` the json module
    leaves its C encoder for a pure-Python one, while here each string still
    goes through the C string encoder. A report is built from pieces written
    this way (``followup_gen.incremental`` keeps them).
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return int.__repr__(value)
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        deeper = level + 1
        body = f",{inner}".join(
            f"{encode_basestring(key)}: {dumps(item, deeper)}" for key, item in value.items()
        )
        return f"{{{inner}{body}\n{'  ' * level}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        body = f",{inner}".join(dumps(item, level + 1) for item in value)
        return f"[{inner}{body}\n{'  ' * level}]"
    raise TypeError(f"not report data: {type(value).__name__}")
