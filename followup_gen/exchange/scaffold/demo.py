"""A small demo job search whose dates are relative to the day it is made.

``init --demo`` writes it so that every page of a new site shows something
real on day one: a thank-you due after yesterday's interview (asking for the
business card in the same note), a helper to thank, someone met at a job
fair to follow up within 36 hours, a rejection to answer graciously, an
application to follow up, a stalled opportunity, friends to keep in touch
with and a bridge for later, and a ``profile.md`` that signs the drafts
and gives them accomplishments to stress. All of it is fictional.
"""

from __future__ import annotations

import datetime as dt

from followup_gen.exchange import write

# (id, name, relationship, extra fields); "met" is in days before today.
CONTACTS: tuple[tuple[str, str, str, dict], ...] = (
    ("maria-lopez", "Maria Lopez", "hiring",
     {"salutation": "Maria", "company": "Northwind Analytics", "title": "Head of Analytics", "email": "maria.lopez@example.com",
      "address": "Northwind Analytics\n200 Harbor Way\nSeattle, WA 98104", "met": 9}),
    ("tom-becker", "Tom Becker", "hiring",
     {"salutation": "Tom", "company": "Northwind Analytics", "email": "tom.becker@example.com", "met": 1}),
    ("priya-shah", "Priya Shah", "past-coworker",
     {"company": "Contoso", "title": "Data Science Manager", "email": "priya.shah@example.com",
      "met": 400, "notes": "Worked together on the churn model. Knows everyone at Contoso."}),
    ("omar-haddad", "Omar Haddad", "hiring",
     {"salutation": "Omar", "company": "Contoso", "title": "Analytics Recruiter", "email": "omar.haddad@example.com", "met": 12}),
    ("lena-fischer", "Lena Fischer", "hiring",
     {"salutation": "Lena", "company": "Blue Harbor", "title": "BI Lead", "email": "lena.fischer@example.com",
      "address": "Blue Harbor\n5 Pier St\nPortland, OR 97209", "met": 20}),
    ("ana-costa", "Ana Costa", "hiring",
     {"salutation": "Ana", "company": "Fabrikam", "title": "Director of Data", "email": "ana.costa@example.com",
      "address": "Fabrikam\n1 Fabrikam Way\nRedmond, WA 98052", "met": 26}),
    ("grace-kim", "Grace Kim", "informational-interview",
     {"salutation": "Grace", "company": "Litware", "title": "Analytics Engineer", "email": "grace.kim@example.com", "met": 1}),
    ("sam-okafor", "Sam Okafor", "friend",
     {"email": "sam.okafor@example.com", "met": 900}),
    ("kofi-mensah", "Kofi Mensah", "job-fair",
     {"company": "Tailspin Toys", "title": "Data Team Lead", "email": "kofi.mensah@example.com", "salutation": "Kofi",
      "met": 1}),
    ("david-chen", "David Chen", "association",
     {"salutation": "David", "company": "Data Analysts Guild", "title": "Chapter organiser", "met": 55,
      "notes": "Runs the monthly meetup; offered to share job posts with the group."}),
)  # fmt: skip

# (id, company, role, contact ids, referred_by)
OPPORTUNITIES: tuple[tuple[str, str, str, tuple[str, ...], str | None], ...] = (
    ("northwind-senior-analyst", "Northwind Analytics", "Senior Data Analyst",
     ("maria-lopez", "tom-becker"), None),
    ("contoso-data-analyst", "Contoso", "Data Analyst", ("omar-haddad",), "priya-shah"),
    ("blue-harbor-bi-analyst", "Blue Harbor", "BI Analyst", ("lena-fischer",), None),
    ("fabrikam-analytics-engineer", "Fabrikam", "Analytics Engineer", ("ana-costa",), None),
)  # fmt: skip

# (days before today, kind, contacts, opportunity, channel, specifics, notes)
INTERACTIONS: tuple[tuple[int, str, tuple[str, ...], str | None, str | None, tuple[str, ...], str], ...] = (
    (900, "meeting", ("sam-okafor",), None, "in-person", (), "Coffee; Sam asked to hear how the search goes."),
    (40, "check-in", ("sam-okafor",), None, "text", (), ""),
    (30, "application", ("lena-fischer",), "blue-harbor-bi-analyst", "email", (), ""),
    (25, "application", ("ana-costa",), "fabrikam-analytics-engineer", "email", (), ""),
    (20, "interview", ("lena-fischer",), "blue-harbor-bi-analyst", "video",
     ("their move from spreadsheets to a warehouse", "dashboards for the port operations team"), ""),
    (19, "thank-you", ("lena-fischer",), "blue-harbor-bi-analyst", "email", (), ""),
    (14, "interview", ("ana-costa",), "fabrikam-analytics-engineer", "in-person",
     ("dbt models for the finance team", "on-call once a month"), "Final round; a decision 'within a week'."),
    (13, "thank-you", ("ana-costa",), "fabrikam-analytics-engineer", "handwritten", (), ""),
    (12, "referral", ("priya-shah",), "contoso-data-analyst", "email", (), "Priya passed my CV to Omar."),
    (11, "thank-you", ("priya-shah",), None, "handwritten", (), ""),
    (9, "application", ("omar-haddad",), "contoso-data-analyst", "email", (), ""),
    (9, "meeting", ("maria-lopez",), None, "in-person", (), "Met at the Data Analysts Guild meetup."),
    (5, "application", ("maria-lopez",), "northwind-senior-analyst", "email", (), ""),
    (1, "informational-interview", ("grace-kim",), None, "video",
     ("how Litware's analytics team is organised",), "Grace suggested talking to their hiring manager."),
    (1, "interview", ("maria-lopez", "tom-becker"), "northwind-senior-analyst", "in-person",
     ("the forecasting backlog", "a take-home on retention cohorts", "team of four, growing to six"), ""),
    (1, "rejection", ("lena-fischer",), "blue-harbor-bi-analyst", "email", (),
     "They chose an internal candidate; Lena said to stay in touch."),
    (1, "help", ("priya-shah",), None, "phone", ("your review of my CV", "the advice to lead with the churn model"),
     "Priya reviewed my CV and suggested leading with the churn model."),
    (1, "meeting", ("kofi-mensah",), None, "in-person", ("their move to a lakehouse",),
     "Met at the city tech job fair; Kofi said to send my CV by Friday."),
)  # fmt: skip


# The job seeker behind the demo: who signs the drafts, and what they have done.
PROFILE = """\
---
# Who signs your drafts. Every key is optional: leave out what you would
# rather not print (a missing phone is simply left out of the letters).
name: Jordan Lee
address: |
  12 Elm Street, Apt 4
  Seattle, WA 98101
email: jordan.lee@example.com
sign_off: Best regards,
casual_sign_off: Talk soon,
# One sentence each, starting with what you did ("Built ...", "Cut ..."):
# letters write them as "I built ...". Tags put the matching ones first.
accomplishments:
  - text: Built a churn model that the retention team used to cut cancellations by 12% in a year.
    tags: [retention, forecasting]
  - text: Moved 60 weekly spreadsheet reports into a warehouse with dbt models, saving the finance team a day a week.
    tags: [warehouse, dbt, finance]
  - text: Designed the operations dashboard that 40 dispatchers open every morning.
    tags: [dashboards]
  - Taught SQL to 25 colleagues in a six-week lunchtime course.
---
Notes about your profile (the tool ignores this part).
"""


def files(today: dt.date) -> tuple[write.NewFile, ...]:
    """The demo's records, dated relative to ``today``."""

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    out: list[write.NewFile] = [write.NewFile("profile", "profile.md", PROFILE)]
    for record_id, name, relationship, extra in CONTACTS:
        fields = dict(extra)
        met = ago(fields.pop("met"))
        out.append(write.contact(record_id, name, relationship, met=met, **fields))
    for record_id, company, role, contacts, referred_by in OPPORTUNITIES:
        out.append(
            write.opportunity(record_id, company, role, contacts=contacts, referred_by=referred_by)
        )
    taken: set[str] = set()
    for days, kind, contacts, opportunity, channel, specifics, notes in INTERACTIONS:
        record_id = write.interaction_id(ago(days), kind, contacts, taken)
        taken.add(record_id)
        out.append(
            write.interaction(
                record_id,
                ago(days),
                kind,
                contacts,
                channel=channel,
                opportunity=opportunity,
                specifics=specifics,
                notes=notes,
            )  # fmt: skip
        )
    return tuple(out)
