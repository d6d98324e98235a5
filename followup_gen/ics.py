"""The calendar feed: every open follow-up as an all-day event on its due day.

``calendar(loaded, evaluation)`` returns an iCalendar (RFC 5545) text, built
with the ``icalendar`` package. Each event's UID is derived from the item's
``FollowUp.key``, which stays the same from day to day, so a calendar app
that refreshes a subscription updates the event instead of adding another.
The text depends only on the CRM and the evaluated day (DTSTAMP is that
day's midnight UTC), so the same files and day give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from . import __version__
from .crm import Loaded
from .followup import Evaluation, FollowUp

PRODID = f"-//followup-gen//followup-gen {__version__}//EN"


def uid(item: FollowUp) -> str:
    """A stable, opaque UID for an item (its key holds names and paths)."""
    return f"{hashlib.sha256(item.key.encode()).hexdigest()[:32]}@followup-gen"


def summary(loaded: Loaded, item: FollowUp) -> str:
    """``Jane Doe: interview thank you (handwritten)``."""
    contact = loaded.crm.contacts.get(item.contact)
    name = item.contact_name or (contact.name if contact else item.contact)
    return f"{name}: {item.rule.replace('-', ' ')} ({item.channel})"


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


def calendar(loaded: Loaded, evaluation: Evaluation) -> str:
    """The whole feed for ``evaluation`` (open follow-ups of ``loaded``'s CRM)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{loaded.settings.site.title}: follow-ups")
    cal.add("x-wr-caldesc", "Open follow-ups from followup-gen, each on its due day.")
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    stamp = dt.datetime.combine(evaluation.today, dt.time.min, tzinfo=dt.UTC)
    for item in evaluation.followups:
        event = Event()
        event.add("uid", uid(item))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("summary", summary(loaded, item))
        event.add("description", description(loaded, item))
        event.add("categories", [item.rule])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
