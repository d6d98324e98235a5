"""What the rules produce: follow-up items, stalled opportunities, bridges.

A ``FollowUp`` is one thing to do for one contact, with its due and last
dates, its status on the evaluated day, the channel to use and why, and the
interaction that caused it (``cause``: provenance, so every item can say
*why* it exists and point at the file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from followup_gen.problems import Problem
from followup_gen.records import Source

Status = Literal["upcoming", "due", "overdue"]
STATUSES: tuple[Status, ...] = ("overdue", "due", "upcoming")
_RANK = {status: n for n, status in enumerate(STATUSES)}


def status_on(today: dt.date, due: dt.date, last: dt.date) -> Status:
    """``upcoming`` before ``due``, ``due`` through ``last``, then ``overdue``."""
    if today < due:
        return "upcoming"
    if today <= last:
        return "due"
    return "overdue"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One open follow-up: who, by which rule, when, how and why."""

    rule: str
    contact: str
    opportunity: str | None
    due: dt.date
    last: dt.date
    status: Status
    channel: str
    channel_why: str
    reason: str
    cause: Source | None = None
    talking_points: tuple[str, ...] = ()
    # The contact's name as written in their file, for tables and pages.
    contact_name: str = ""
    # What the message should say, from the advice behind the rule.
    what_to_say: str = ""

    @property
    def key(self) -> str:
        """A stable identity: the same item keeps it from day to day."""
        return f"{self.rule}/{self.contact}/{self.opportunity or '-'}/{self.cause.path if self.cause else '-'}"

    def sort_key(self) -> tuple:
        return (
            _RANK[self.status],
            self.due,
            self.last,
            self.contact,
            self.rule,
            self.opportunity or "",
            self.key,
        )


@dataclass(frozen=True, slots=True)
class Stalled:
    """An opportunity that has gone quiet after interviews, and what it means."""

    opportunity: str
    stage: str
    last_activity: dt.date
    days_quiet: int
    reason: str
    advice: str = ""


@dataclass(frozen=True, slots=True)
class Bridge:
    """A contact from a rejected opportunity: a bridge to keep, never burn."""

    contact: str
    opportunities: tuple[str, ...]
    last_contact: dt.date | None
    next_check_in: dt.date


@dataclass(frozen=True, slots=True)
class Pipeline:
    """How many opportunities are at the interview stage, against the target."""

    active_interviews: int
    target: int
    message: str = ""

    @property
    def healthy(self) -> bool:
        return self.active_interviews >= self.target


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything the rules say about a CRM on one day."""

    today: dt.date
    followups: tuple[FollowUp, ...]
    stalled: tuple[Stalled, ...]
    bridges: tuple[Bridge, ...]
    pipeline: Pipeline
    problems: tuple[Problem, ...] = ()
