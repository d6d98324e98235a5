"""The work-search record: every contact with an employer in a period.

Unemployment offices ask for a weekly list of the employers contacted:
date, company, role, person, what happened and how. An interaction belongs
to it when it is with a hiring authority (relationship ``hiring``) or a
recruiter, with one of the people an opportunity lists, or is an
application; a friend's help or referral about a job is not a contact with
the employer. The company is the opportunity's, else the contact's. Written as CSV (for a spreadsheet or a form) or as a
Markdown table (to print).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from followup_gen.records import CRM, Interaction

EMPLOYER_RELATIONSHIPS = frozenset({"hiring", "recruiter"})
COLUMNS = ("date", "company", "role", "people", "kind", "channel", "file")


@dataclass(frozen=True, slots=True)
class Activity:
    """One contact with an employer."""

    date: dt.date
    company: str
    role: str
    people: str
    kind: str
    channel: str
    file: str

    def row(self) -> tuple[str, ...]:
        values = (self.date.isoformat(), self.company, self.role, self.people)
        return (*values, self.kind, self.channel, self.file)


def activity(crm: CRM, start: dt.date, end: dt.date) -> tuple[Activity, ...]:
    """The contacts with employers from ``start`` to ``end`` (both included), oldest first."""
    found = []
    for interaction in crm.interactions:
        if start <= interaction.date <= end and _with_employer(crm, interaction):
            found.append(_activity(crm, interaction))
    return tuple(found)


def _with_employer(crm: CRM, interaction: Interaction) -> bool:
    job = crm.opportunities.get(interaction.opportunity or "")
    if job is not None and (
        interaction.kind == "application" or set(job.contacts) & set(interaction.contacts)
    ):
        return True
    people = (crm.contacts.get(c) for c in interaction.contacts)
    return any(p is not None and p.relationship in EMPLOYER_RELATIONSHIPS for p in people)


def _activity(crm: CRM, interaction: Interaction) -> Activity:
    job = crm.opportunities.get(interaction.opportunity or "")
    people = [crm.contacts[c] for c in interaction.contacts if c in crm.contacts]
    company = job.company if job else next((p.company for p in people if p.company), "")
    return Activity(
        interaction.date,
        company,
        job.role if job else "",
        "; ".join(p.name for p in people),
        interaction.kind,
        interaction.channel or "",
        interaction.source.path,
    )


def as_csv(rows: tuple[Activity, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(row.row() for row in rows)
    return out.getvalue()


def as_markdown(rows: tuple[Activity, ...], start: dt.date, end: dt.date) -> str:
    lines = [
        f"# Work-search record, {start:%B %-d, %Y} to {end:%B %-d, %Y}",
        "",
        f"{len(rows)} contact{'s' if len(rows) != 1 else ''} with employers.",
        "",
        "| Date | Company | Role | People | What | How |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        cells = row.row()[:-1]
        lines.append("| " + " | ".join(c.replace("|", "\\|") or "—" for c in cells) + " |")
    return "\n".join(lines) + "\n"
