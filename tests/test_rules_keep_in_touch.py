"""keep-in-touch: a check-in every cadence days, by relationship or per contact."""

from __future__ import annotations

import pytest

from .rulecase import contact, interaction, items, only, run


@pytest.mark.parametrize(
    ("relationship", "due"),
    [
        ("family", "2026-10-31"),
        ("friend", "2026-10-31"),
        ("neighbor", "2026-11-30"),
        ("professional-network", "2026-11-30"),
        ("past-client", "2026-12-30"),
        ("job-fair", "2026-10-15"),
    ],
)
def test_default_cadence_by_relationship(make_crm, relationship, due):
    files = {
        "contacts/ana.md": contact("Ana Lima", relationship),
        "interactions/m.md": interaction("2026-10-01", "ana", "reply"),
    }
    assert [i[:2] for i in items(run(make_crm, files, "2026-10-02"), "keep-in-touch")] == [
        ("ana", due)
    ]


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ("2026-10-30", "upcoming"),
        ("2026-10-31", "due"),
        ("2026-11-07", "due"),
        ("2026-11-08", "overdue"),
    ],
)
def test_due_for_window_days_then_overdue(make_crm, today, status):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend"),
        "interactions/m.md": interaction("2026-10-01", "ana", "reply"),
    }
    evaluation = run(make_crm, files, today)
    assert items(evaluation, "keep-in-touch") == [("ana", "2026-10-31", "2026-11-07", status)]
    assert only(evaluation, "keep-in-touch")[0].reason == (
        "Check in with Ana Lima (friend, every 30 days; last in touch 2026-10-01)."
    )


def test_hiring_contacts_and_cadence_none_get_no_check_in(make_crm):
    files = {
        "contacts/jo.md": contact("Jo Park", "hiring"),
        "contacts/ana.md": contact("Ana Lima", "friend", cadence="none"),
        "contacts/bo.md": contact("Bo Chen", "friend", do_not_contact=True),
    }
    assert run(make_crm, files, "2026-10-02").followups == ()


def test_own_cadence_met_and_never_contacted(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "hiring", cadence="3w", met="2026-09-01"),
        "contacts/bo.md": contact("Bo Chen", "friend"),
    }
    evaluation = run(make_crm, files, "2026-10-02")
    assert items(evaluation, "keep-in-touch") == [
        # Met 09-01, every 3 weeks: the first was due 09-22; nothing logged, so due now.
        ("ana", "2026-10-02", "2026-10-09", "due"),
        ("bo", "2026-10-02", "2026-10-09", "due"),
    ]
    assert only(evaluation, "keep-in-touch")[1].cause.path == "contacts/bo.md"


def test_a_met_date_long_ago_is_due_now_not_decades_overdue(make_crm):
    files = {
        "contacts/maya.md": contact("Maya Rivera", "family", met="1985-01-01"),
        "contacts/new.md": contact("Nia Cole", "friend", met="2026-09-20"),
    }
    evaluation = run(make_crm, files, "2026-10-02")
    assert items(evaluation, "keep-in-touch") == [
        ("maya", "2026-10-02", "2026-10-09", "due"),
        ("new", "2026-10-20", "2026-10-27", "upcoming"),  # a month after meeting
    ]
    maya = only(evaluation, "keep-in-touch")[0]
    assert "met 1985-01-01, no check-in logged yet" in maya.reason
    # Still due now a month later, never "overdue since 1985".
    later = only(run(make_crm, files, "2026-11-02"), "keep-in-touch")[0]
    assert (later.due.isoformat(), later.status) == ("2026-11-02", "due")


def test_any_interaction_restarts_the_count(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend"),
        "interactions/1.md": interaction("2026-09-01", "ana", "meeting"),
        "interactions/2.md": interaction("2026-10-20", "ana", "check-in"),
    }
    assert items(run(make_crm, files, "2026-10-21"), "keep-in-touch") == [
        ("ana", "2026-11-19", "2026-11-26", "upcoming")
    ]


def test_nuisance_gap_moves_the_due_date(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend", cadence=5),
        "interactions/1.md": interaction("2026-10-01", "ana", "check-in"),
    }
    assert items(run(make_crm, files, "2026-10-02"), "keep-in-touch") == [
        ("ana", "2026-10-08", "2026-10-15", "upcoming")
    ]
    # An incoming reply restarts the cadence but not the gap after your check-in.
    files["interactions/2.md"] = interaction("2026-10-02", "ana", "reply")
    assert items(run(make_crm, files, "2026-10-02"), "keep-in-touch") == [
        ("ana", "2026-10-08", "2026-10-15", "upcoming")
    ]


def test_cadences_and_gap_from_settings(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend"),
        "interactions/1.md": interaction("2026-10-01", "ana", "check-in"),
        "followup.yml": "min_gap_days: 0\nrules:\n  keep-in-touch:\n    cadences: {friend: 3}\n",
    }
    assert items(run(make_crm, files, "2026-10-02"), "keep-in-touch") == [
        ("ana", "2026-10-04", "2026-10-11", "upcoming")
    ]
    files["followup.yml"] = "rules:\n  keep-in-touch:\n    cadences: {friend: 0}\n"
    assert items(run(make_crm, files, "2026-10-02"), "keep-in-touch") == []


def test_a_recruiter_is_thanked_after_each_call_and_kept_warm_while_searching(make_crm):
    files = {
        "contacts/rex.md": contact("Rex Ode", "recruiter", email="rex@example.com"),
        "interactions/1.md": interaction("2026-10-01", "rex", "meeting"),
        "interactions/2.md": interaction("2026-10-02", "rex", "thank-you"),
        "interactions/3.md": interaction("2026-10-20", "rex", "meeting"),
    }
    [thanks] = run(make_crm, files, "2026-10-21").followups
    assert (thanks.rule, thanks.reason) == (
        "thank-helper",
        "Thank Rex Ode, who took your call on 2026-10-20.",
    )
    files["interactions/4.md"] = interaction("2026-10-21", "rex", "thank-you")
    assert items(run(make_crm, files, "2026-10-22"), "keep-in-touch") == [
        ("rex", "2026-11-20", "2026-11-27", "upcoming")
    ]


def test_a_job_fair_contact_moves_to_the_professional_network_cadence(make_crm):
    files = {
        "contacts/tasha.md": contact("Tasha Greene", "job-fair", email="t@example.com"),
        "interactions/0.md": interaction("2026-09-01", "tasha", "meeting"),
        **{
            f"interactions/{n}.md": interaction(f"2026-09-{n + 1:02d}", "tasha", "check-in")
            for n in range(1, 4)
        },
    }
    # After the follow-up and two check-ins: still every 14 days.
    files.pop("interactions/3.md")
    assert items(run(make_crm, files, "2026-09-05"), "keep-in-touch")[0][1] == "2026-09-17"
    files["interactions/3.md"] = interaction("2026-09-04", "tasha", "check-in")
    found = only(run(make_crm, files, "2026-09-05"), "keep-in-touch")
    assert (found[0].due.isoformat(), "every 60 days" in found[0].reason) == ("2026-11-03", True)
