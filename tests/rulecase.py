"""Helpers for rule tests: write small CRM files, evaluate them on a day.

A rule test reads as "these files, this day, these follow-ups".
"""

from __future__ import annotations

import datetime as dt

from followup_gen.load import load_crm
from followup_gen.problems import has_errors
from followup_gen.rules import RULES
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import Evaluation, FollowUp


def _front(fields: dict[str, object]) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list | tuple):
            value = "[" + ", ".join(str(v) for v in value) + "]"
        elif isinstance(value, bool):
            value = "true" if value else "false"
        lines.append(f"{key}: {value}")
    return "\n".join([*lines, "---", ""])


def contact(name: str, relationship: str = "hiring", **extra: object) -> str:
    return _front({"name": name, "relationship": relationship, **extra})


def opportunity(company: str, role: str, **extra: object) -> str:
    return _front({"company": company, "role": role, **extra})


def interaction(date: str, contacts: str | list[str], kind: str, **extra: object) -> str:
    return _front({"date": date, "contacts": contacts, "kind": kind, **extra})


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def run(make_crm, files: dict[str, str], today: str) -> Evaluation:
    """Write ``files``, load them (they must be valid) and evaluate on ``today``."""
    loaded = load_crm(make_crm(files))
    assert not has_errors(loaded.problems), [p.format() for p in loaded.problems]
    return evaluate(loaded.crm, day(today), loaded.settings)


def items(evaluation: Evaluation, rule: str) -> list[tuple[str, str, str, str]]:
    """``(contact, due, last, status)`` of each item of ``rule``, in report order."""
    return [
        (f.contact, f.due.isoformat(), f.last.isoformat(), f.status)
        for f in evaluation.followups
        if f.rule == rule
    ]


def only(evaluation: Evaluation, rule: str) -> list:
    """The follow-ups of ``rule``, in report order."""
    return [f for f in evaluation.followups if f.rule == rule]


def proposed(make_crm, files: dict[str, str], today: str, rule: str) -> list[FollowUp]:
    """What one rule proposes on its own, before the plan (merging, holding, spacing)."""
    loaded = load_crm(make_crm(files))
    assert not has_errors(loaded.problems), [p.format() for p in loaded.problems]
    [found] = [r for r in RULES if r.id == rule]
    settings = loaded.settings.rules[rule]
    return sorted(found.follow_ups(loaded.crm, day(today), settings), key=FollowUp.sort_key)


def rows(found: list[FollowUp]) -> list[tuple[str, str, str, str]]:
    """``(contact, due, last, status)`` of each item."""
    return [(f.contact, f.due.isoformat(), f.last.isoformat(), f.status) for f in found]


def plan(evaluation: Evaluation) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(contact, rule, merged)`` of each planned item, in report order."""
    return [(f.contact, f.rule, f.merged) for f in evaluation.followups]


def held(evaluation: Evaluation) -> list[tuple[str, str, str | None, str]]:
    """``(contact, rule, held_by, due)`` of each held item."""
    return [(f.contact, f.rule, f.held_by, f.due.isoformat()) for f in evaluation.held]
