"""The calendar feed: every open follow-up as an all-day event.

``calendar(loaded, evaluation)`` returns an iCalendar (RFC 5545) text. An
item that is due or coming up sits on its due day; an overdue item sits on
the evaluated day ("today"), with "overdue since ..." in its title, so it is
where you look rather than on a past day nobody scrolls back to.

Each event's UID is derived from the item's ``FollowUp.key``, which stays the
same from day to day, so a calendar app that refreshes a subscription
updates the event instead of adding another. Apps that merge a newer copy of
an event by UID also want to see that it is newer: every event carries
``SEQUENCE``, the number of days from 2000-01-01 to the evaluated day, and
``LAST-MODIFIED`` (with ``DTSTAMP``), that day's midnight UTC. Both grow each
day the feed is made, whatever changed: without a state file the feed cannot
know on which day an event last changed (an edited cadence or name leaves no
date behind), and a number that grows with every feed is the one that never
misses a change. The text depends only on the CRM and the evaluated day, so
the same files and day give the same bytes.

The text is written directly (values escaped, lines folded at 75 octets, CRLF
line ends) rather than through the ``icalendar`` package, which took seconds
for a few thousand events; the tests read it back with ``icalendar``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from followup_gen import __version__
from followup_gen.load import Loaded
from followup_gen.rules.followup import Evaluation, FollowUp

PRODID = f"-//followup-gen//followup-gen {__version__}//EN"
# SEQUENCE counts days from here: it grows by one each day (module docstring).
EPOCH = dt.date(2000, 1, 1)


def uid(item: FollowUp) -> str:
    """A stable, opaque UID for an item (its key holds names and paths)."""
    return f"{hashlib.sha256(item.key.encode()).hexdigest()[:32]}@followup-gen"


def summary(loaded: Loaded, item: FollowUp) -> str:
    """``Jane Doe: interview thank you (handwritten)``, and for an overdue item
    ``..., overdue since 2026-11-12`` (the day after its last day)."""
    contact = loaded.crm.contacts.get(item.contact)
    name = item.contact_name or (contact.name if contact else item.contact)
    title = f"{name}: {item.rule.replace('-', ' ')} ({item.channel})"
    if item.status == "overdue":
        title += f", overdue since {item.last + dt.timedelta(days=1):%Y-%m-%d}"
    return title


def day(item: FollowUp, today: dt.date) -> dt.date:
    """The event's day: the due day, or today for an overdue item."""
    return today if item.status == "overdue" else item.due


def description(loaded: Loaded, item: FollowUp) -> str:
    """The reason, the channel and why, what to say and the talking points."""
    parts = [item.reason, f"Channel: {item.channel}. {item.channel_why}".strip()]
    opportunity = loaded.crm.opportunities.get(item.opportunity or "")
    if opportunity:
        parts.append(f"Opportunity: {opportunity.role} at {opportunity.company}.")
    if item.what_to_say:
        parts.append(item.what_to_say)
    if item.talking_points:
        parts.append("Talking points:\n" + "\n".join(f"- {p}" for p in item.talking_points))
    parts.append(f"Due {item.due:%Y-%m-%d}, overdue after {item.last:%Y-%m-%d}. Rule: {item.rule}.")
    return "\n\n".join(p for p in parts if p)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FOLD = 74  # octets of a line before the CRLF and space that continue it (RFC 5545: 75)


def text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): ``\\ ; ,`` escaped, line breaks as ``\\n``."""
    value = _CONTROL.sub("", value)  # first: a control may stand between a CR and a LF
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """``line`` folded into pieces of at most 74 octets (UTF-8 never split).

    A piece does not end with the backslash of an escape (some readers
    unfold badly), as the ``icalendar`` package also does.
    """
    if line.isascii():
        if len(line) <= FOLD:
            return line
        pieces, start = [], 0
        while len(line) - start > FOLD:
            end = start + FOLD
            end -= line[end - 1] == "\\" and end - 1 > start
            pieces.append(line[start:end])
            start = end
        pieces.append(line[start:])
        return "\r\n ".join(pieces)
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = 1 if char < "\x80" else len(char.encode("utf-8"))
        if current and size + width > FOLD:
            carried = current.pop() if len(current) > 1 and current[-1] == "\\" else ""
            pieces.append("".join(current))
            current, size = ([carried], 1) if carried else ([], 0)
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _event(loaded: Loaded, item: FollowUp, today: dt.date, stamp: str) -> str:
    start = day(item, today)
    lines = (
        "BEGIN:VEVENT",
        fold(f"SUMMARY:{text(summary(loaded, item))}"),
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}",
        fold(f"DTSTAMP:{stamp}"),
        fold(f"LAST-MODIFIED:{stamp}"),
        f"SEQUENCE:{(today - EPOCH).days}",
        fold(f"UID:{text(uid(item))}"),
        fold(f"CATEGORIES:{text(item.rule)}"),
        fold(f"DESCRIPTION:{text(description(loaded, item))}"),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    )
    return "\r\n".join(lines)


def calendar(loaded: Loaded, evaluation: Evaluation) -> str:
    """The whole feed for ``evaluation`` (open follow-ups of ``loaded``'s CRM)."""
    stamp = f"{evaluation.today:%Y%m%d}T000000Z"  # the day's midnight UTC
    head = (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALDESC:{text('Open follow-ups from followup-gen: each on its due day, overdue ones on today.')}",
        f"X-WR-CALNAME:{text(loaded.settings.site.title + ': follow-ups')}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
    )
    parts = [fold(line) for line in head]
    parts.extend(_event(loaded, item, evaluation.today, stamp) for item in evaluation.followups)
    parts.append("END:VCALENDAR")
    return "\r\n".join(parts) + "\r\n"
