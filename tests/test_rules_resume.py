"""resume-follow-up: follow up an unanswered application, never too often."""

from __future__ import annotations

import pytest

from .rulecase import contact, interaction, items, only, opportunity, run

FILES = {
    "contacts/jo.md": contact("Jo Park", email="jo@acme.example"),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo"]),
    "interactions/app.md": interaction("2026-11-01", "jo", "application", opportunity="acme"),
}


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ("2026-11-07", "upcoming"),
        ("2026-11-08", "due"),
        ("2026-11-15", "due"),
        ("2026-11-16", "overdue"),
    ],
)
def test_due_a_week_after_the_application_for_a_week(make_crm, today, status):
    evaluation = run(make_crm, FILES, today)
    assert items(evaluation, "resume-follow-up") == [("jo", "2026-11-08", "2026-11-15", status)]
    [item] = only(evaluation, "resume-follow-up")
    assert item.reason == (
        "No answer to your application for Data Engineer at Acme (2026-11-01): send Jo Park new "
        "information that benefits them (follow-up 1 of 2)."
    )
    assert "Never ask for a status update" in item.what_to_say
    assert item.channel == "email"


@pytest.mark.parametrize("kind", ["reply", "interview", "rejection", "meeting"])
def test_any_answer_on_the_opportunity_satisfies_it(make_crm, kind):
    files = {
        **FILES,
        "interactions/r.md": interaction("2026-11-05", "jo", kind, opportunity="acme"),
    }
    assert items(run(make_crm, files, "2026-11-20"), "resume-follow-up") == []


def test_withdrawn_or_status_override_stops_it(make_crm):
    withdrew = {
        **FILES,
        "interactions/w.md": interaction("2026-11-05", "jo", "withdrew", opportunity="acme"),
    }
    on_hold = {
        **FILES,
        "opportunities/acme.md": opportunity(
            "Acme", "Data Engineer", contacts=["jo"], status="on-hold"
        ),
    }
    assert items(run(make_crm, withdrew, "2026-11-20"), "resume-follow-up") == []
    assert items(run(make_crm, on_hold, "2026-11-20"), "resume-follow-up") == []


def test_a_follow_up_starts_the_next_wait_and_the_rule_stops_after_max_unanswered(make_crm):
    first = {
        **FILES,
        "interactions/f1.md": interaction("2026-11-09", "jo", "follow-up", opportunity="acme"),
    }
    evaluation = run(make_crm, first, "2026-11-12")
    assert items(evaluation, "resume-follow-up") == [("jo", "2026-11-16", "2026-11-23", "upcoming")]
    assert only(evaluation, "resume-follow-up")[0].reason.endswith("(follow-up 2 of 2).")
    both = {
        **first,
        "interactions/f2.md": interaction("2026-11-16", "jo", "follow-up", opportunity="acme"),
    }
    evaluation = run(make_crm, both, "2026-12-01")
    assert items(evaluation, "resume-follow-up") == []
    [quiet] = evaluation.stalled
    assert (quiet.opportunity, quiet.stage, quiet.last_activity.isoformat(), quiet.days_quiet) == (
        "acme",
        "applied",
        "2026-11-16",
        15,
    )
    assert quiet.reason == (
        "Gone quiet: no answer to your application or your 2 follow-ups; the last on 2026-11-16."
    )


def test_nuisance_gap_moves_the_due_date(make_crm):
    files = {**FILES, "interactions/c.md": interaction("2026-11-06", "jo", "check-in")}
    assert items(run(make_crm, files, "2026-11-10"), "resume-follow-up") == [
        ("jo", "2026-11-13", "2026-11-20", "upcoming")
    ]


def test_settings_change_the_numbers(make_crm):
    files = {
        **FILES,
        "followup.yml": "window_days: 2\nrules:\n  resume-follow-up:\n    resume_follow_up_days: 10\n",
    }
    assert items(run(make_crm, files, "2026-11-14"), "resume-follow-up") == [
        ("jo", "2026-11-11", "2026-11-13", "overdue")
    ]


def test_goes_to_the_applications_contacts_when_the_opportunity_lists_none(make_crm):
    files = {
        **FILES,
        "contacts/hr.md": contact("Hal Ross", do_not_contact=True),
        "opportunities/acme.md": opportunity("Acme", "Data Engineer"),
        "interactions/app.md": interaction(
            "2026-11-01", ["jo", "hr"], "application", opportunity="acme"
        ),
    }
    assert items(run(make_crm, files, "2026-11-08"), "resume-follow-up") == [
        ("jo", "2026-11-08", "2026-11-15", "due")
    ]
