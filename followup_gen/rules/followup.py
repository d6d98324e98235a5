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
from followup_gen.records import Interaction, Source

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
    # The interaction kinds that close the item when logged with the contact.
    closed_by: tuple[str, ...] = ()
    # A second channel to use as well (a mailed note after an emailed thank-you).
    also_by: str | None = None
    # The letter template (``letters/<letter>.j2``) when not the rule's own.
    letter: str = ""
    # The plan: the rules of the items this one took in (one message for them all).
    merged: tuple[str, ...] = ()
    # The plan: the rule of the open item this one waits behind (held items only).
    held_by: str | None = None

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
    # What the delay may mean, and what to do about it.
    readings: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()


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
    # True once the search has ended (an ``accepted``): no target to meet.
    ended: bool = False

    @property
    def healthy(self) -> bool:
        return self.ended or self.active_interviews >= self.target


@dataclass(frozen=True, slots=True)
class Search:
    """Where the search stands: ``active``, or ``ended`` by an ``accepted`` on a day.

    ``accepted`` is the acceptance that ended it (when ended); ``previous`` the
    one that ended the search before, whose helpers and processes are not this
    search's.
    """

    state: Literal["active", "ended"] = "active"
    accepted: Interaction | None = None
    previous: Interaction | None = None

    @property
    def active(self) -> bool:
        return self.state == "active"

    @property
    def ended(self) -> dt.date | None:
        """The day the search ended (None while it is active)."""
        return self.accepted.date if self.accepted is not None else None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything the rules say about a CRM on one day."""

    today: dt.date
    followups: tuple[FollowUp, ...]
    stalled: tuple[Stalled, ...]
    bridges: tuple[Bridge, ...]
    pipeline: Pipeline
    problems: tuple[Problem, ...] = ()
    # The items the plan holds back: each waits behind its contact's open item.
    held: tuple[FollowUp, ...] = ()
    search: Search = Search()
