"""Every output shows the one plan: due, report --json, the calendar feed and the site agree,
and no contact ever has two open items, on the example CRM and on `init --demo`."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from followup_gen.cli import main
from followup_gen.load import load_crm
from followup_gen.outputs.calendar import uid
from followup_gen.rules.evaluate import evaluate
from followup_gen.site.pages import pages

from .conftest import ROOT

DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module", params=["example", "demo"])
def crm(request, tmp_path_factory):
    if request.param == "example":
        return ROOT
    root = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["init", str(root), "--demo", "--today", str(DAY)])
    assert result.exit_code == 0, result.output
    return root


def run(*args):
    result = CliRunner().invoke(main, [*args, "--today", str(DAY)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_due_report_calendar_and_site_show_one_plan(crm):
    loaded = load_crm(crm)
    evaluation = evaluate(loaded.crm, DAY, loaded.settings)
    planned = evaluation.followups
    people = [f.contact for f in planned if f.contact]
    assert people and len(people) == len(set(people))  # one open item per person

    report = json.loads(run("report", "--json", "--root", str(crm)))
    assert [(f["rule"], f["contact"], f["due"]) for f in report["followups"]] == [
        (f.rule, f.contact, f.due.isoformat()) for f in planned
    ]
    assert {f["contact"] for f in report["held"]} <= set(people)

    due = run("due", "--root", str(crm), "--within", "100000", "--limit", "0")
    rows = [line.split("  ")[0].strip() for line in due.splitlines()[1:] if line[:1].strip()]
    statuses = [row for row in rows if row in ("overdue", "due", "upcoming")]
    assert statuses == [f.status for f in planned]

    feed = Calendar.from_ical(run("ics", "--root", str(crm)))
    assert [str(e["UID"]) for e in feed.walk("VEVENT")] == [uid(f) for f in planned]

    site = pages(loaded, evaluation)
    counts = re.search(r"As of \*\*[-\d]+\*\*: (\d+) overdue, (\d+) due now", site["due.md"])
    assert (int(counts[1]), int(counts[2])) == (
        sum(f.status == "overdue" for f in planned),
        sum(f.status == "due" for f in planned),
    )
    for f in planned:
        if f.contact:
            page = site[f"contacts/{f.contact}.md"]
            assert f.reason.split(" Moved to")[0][:60] in page.replace("\\", "")


def test_a_reminder_for_no_one_yet_shows_who_to_find(make_crm):
    from .rulecase import interaction, opportunity

    root = make_crm(
        {
            "opportunities/acme.md": opportunity("Acme", "Data Engineer"),
            "interactions/app.md": interaction(
                "2026-11-01", "[]", "application", opportunity="acme"
            ),
        }
    )
    loaded = load_crm(root)
    evaluation = evaluate(loaded.crm, dt.date(2026, 11, 8), loaded.settings)
    [item] = evaluation.followups
    site = pages(loaded, evaluation)
    assert '<span class="fg-cell fg-who">The hiring manager at Acme</span>' in (site["due.md"])
    assert "SUMMARY:The hiring manager at Acme: resume follow up (other)" in site["followups.ics"]
    due = CliRunner().invoke(main, ["due", "--root", str(root), "--today", "2026-11-08"]).stdout
    assert "The hiring manager at Acme  resume-follow-up" in due
