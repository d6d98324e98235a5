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


@pytest.mark.parametrize("kind", ["interview", "rejection", "offer"])
def test_a_step_of_the_process_ends_the_wait(make_crm, kind):
    files = {
        **FILES,
        "interactions/r.md": interaction("2026-11-05", "jo", kind, opportunity="acme"),
    }
    assert items(run(make_crm, files, "2026-11-20"), "resume-follow-up") == []


@pytest.mark.parametrize("kind", ["reply", "meeting"])
def test_a_reply_that_decides_nothing_restarts_the_clock(make_crm, kind):
    # "Thanks, we'll review": the application used to vanish for good.
    files = {
        **FILES,
        "interactions/r.md": interaction("2026-11-05", "jo", kind, opportunity="acme"),
    }
    evaluation = run(make_crm, files, "2026-11-20")
    assert items(evaluation, "resume-follow-up") == [("jo", "2026-11-12", "2026-11-19", "overdue")]
    assert only(evaluation, "resume-follow-up")[0].reason == (
        "Since their reply of 2026-11-05 to your application for Data Engineer at Acme, no news: "
        "send Jo Park new information that benefits them (follow-up 1 of 2)."
    )


def test_max_unanswered_counts_the_follow_ups_since_the_reply_then_it_has_gone_quiet(make_crm):
    files = {
        **FILES,
        "interactions/f0.md": interaction("2026-11-08", "jo", "follow-up", opportunity="acme"),
        "interactions/r.md": interaction("2026-11-10", "jo", "reply", opportunity="acme"),
        "interactions/f1.md": interaction("2026-11-17", "jo", "follow-up", opportunity="acme"),
    }
    evaluation = run(make_crm, files, "2026-11-20")
    assert only(evaluation, "resume-follow-up")[0].reason.endswith("(follow-up 2 of 2).")
    files["interactions/f2.md"] = interaction("2026-11-24", "jo", "follow-up", opportunity="acme")
    evaluation = run(make_crm, files, "2026-12-10")
    assert items(evaluation, "resume-follow-up") == []
    [quiet] = evaluation.stalled
    assert quiet.reason == (
        "Gone quiet: no answer to your 2 follow-ups since their reply of 2026-11-10; the last "
        "on 2026-11-24."
    )


def test_a_helpers_referral_the_same_day_is_no_answer(make_crm):
    # A friend's referral used to count as the employer's answer.
    files = {
        **FILES,
        "contacts/ana.md": contact("Ana Lima", "friend"),
        "interactions/ref.md": interaction("2026-11-01", "ana", "referral", opportunity="acme"),
        "interactions/thanks.md": interaction("2026-11-02", "ana", "thank-you"),
    }
    assert items(run(make_crm, files, "2026-11-08"), "resume-follow-up") == [
        ("jo", "2026-11-08", "2026-11-15", "due")
    ]


def test_a_reply_logged_without_the_opportunity_counts_for_its_only_one(make_crm):
    files = {**FILES, "interactions/r.md": interaction("2026-11-05", "jo", "reply")}
    evaluation = run(make_crm, files, "2026-11-08")
    assert items(evaluation, "resume-follow-up") == [("jo", "2026-11-12", "2026-11-19", "upcoming")]
    assert not only(evaluation, "resume-follow-up")[0].reason.startswith("No answer")


def test_an_application_through_a_portal_names_no_one(make_crm):
    portal = interaction("2026-11-01", "[]", "application", opportunity="acme")
    with_people = {**FILES, "interactions/app.md": portal}
    assert items(run(make_crm, with_people, "2026-11-08"), "resume-follow-up") == [
        ("jo", "2026-11-08", "2026-11-15", "due")
    ]
    nobody = {**with_people, "opportunities/acme.md": opportunity("Acme", "Data Engineer")}
    [reminder] = run(make_crm, nobody, "2026-11-08").followups
    assert (reminder.rule, reminder.contact, reminder.contact_name, reminder.channel) == (
        "resume-follow-up",
        "",
        "The hiring manager at Acme",
        "other",
    )
    assert reminder.reason == (
        "No answer to your application for Data Engineer at Acme (2026-11-01) through a portal: "
        "find the hiring manager's name and add them to opportunities/acme.md ('contacts:') to "
        "follow up (follow-up 1 of 2)."
    )


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
    evaluation = run(make_crm, files, "2026-11-10")
    assert items(evaluation, "resume-follow-up") == [("jo", "2026-11-13", "2026-11-20", "upcoming")]
    assert only(evaluation, "resume-follow-up")[0].reason.endswith(
        " Moved to 2026-11-13: 7 days after your last message on 2026-11-06."
    )


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
