"""bridge-check-in and the bridges list: the people of a job you did not get."""

from __future__ import annotations

from .rulecase import contact, interaction, items, only, opportunity, run

FILES = {
    "contacts/jo.md": contact("Jo Park", email="jo@acme.example"),
    "contacts/hr.md": contact("Hal Ross"),
    "contacts/sam.md": contact("Sam Ode", do_not_contact=True),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo", "sam"]),
    "interactions/iv.md": interaction(
        "2026-06-01", ["jo", "sam"], "interview", opportunity="acme", specifics=["x"]
    ),
    "interactions/no.md": interaction("2026-06-10", "hr", "rejection", opportunity="acme"),
    "interactions/ty.md": interaction("2026-06-11", ["jo", "hr"], "thank-you", opportunity="acme"),
}


def test_bridges_are_the_rejected_opportunitys_contacts(make_crm):
    evaluation = run(make_crm, FILES, "2026-09-01")
    assert [
        (b.contact, b.opportunities, str(b.last_contact), str(b.next_check_in))
        for b in evaluation.bridges
    ] == [
        ("hr", ("acme",), "2026-06-11", "2026-07-08"),
        ("jo", ("acme",), "2026-06-11", "2026-07-08"),
    ]
    assert items(evaluation, "bridge-check-in") == [
        ("hr", "2026-07-08", "2026-07-15", "overdue"),
        ("jo", "2026-07-08", "2026-07-15", "overdue"),
    ]
    jo = only(evaluation, "bridge-check-in")[1]
    assert (jo.opportunity, jo.cause.path, jo.channel) == ("acme", "interactions/no.md", "email")
    assert jo.reason == (
        "Check in with Jo Park, a bridge from Data Engineer at Acme: restate your interest in "
        "future positions."
    )


def test_the_first_check_in_comes_weeks_after_the_rejection_not_months(make_crm):
    # The counter-offer / new-hire window is weeks: it used to be 90 days.
    assert items(run(make_crm, FILES, "2026-07-07"), "bridge-check-in")[0][1:] == (
        "2026-07-08",
        "2026-07-15",
        "upcoming",
    )
    assert items(run(make_crm, FILES, "2026-07-15"), "bridge-check-in")[0][3] == "due"
    assert items(run(make_crm, FILES, "2026-07-16"), "bridge-check-in")[0][3] == "overdue"


def test_after_a_check_in_the_cadence_restarts_from_it(make_crm):
    files = {**FILES, "interactions/c.md": interaction("2026-07-09", "jo", "check-in")}
    assert items(run(make_crm, files, "2026-07-10"), "bridge-check-in") == [
        ("hr", "2026-07-08", "2026-07-15", "due"),
        ("jo", "2026-10-07", "2026-10-14", "upcoming"),
    ]


def test_nuisance_gap_and_settings(make_crm):
    files = {
        **FILES,
        "interactions/c.md": interaction("2026-06-12", "jo", "reply"),
        "interactions/m.md": interaction("2026-06-18", "hr", "check-in"),
        "followup.yml": "min_gap_days: 10\nrules:\n  bridge-check-in:\n"
        "    bridge_first_days: 3\n    bridge_cadence_days: 5\n",
    }
    evaluation = run(make_crm, files, "2026-06-20")
    assert items(evaluation, "bridge-check-in") == [
        ("jo", "2026-06-21", "2026-06-28", "upcoming"),
        ("hr", "2026-06-28", "2026-07-05", "upcoming"),
    ]
    hr = only(evaluation, "bridge-check-in")[1]
    assert hr.reason.endswith("Moved to 2026-06-28: 10 days after your last message on 2026-06-18.")


def test_every_rejections_and_withdrawals_people_are_bridges(make_crm):
    files = {
        "contacts/jo.md": contact("Jo Park"),
        "contacts/hr.md": contact("Hal Ross"),
        "contacts/kim.md": contact("Kim Lee"),
        "opportunities/zen.md": opportunity("Zen", "Analyst", contacts=["kim"]),
        # A rejection that names no opportunity still makes its people bridges.
        "interactions/no.md": interaction("2026-06-10", "jo", "rejection"),
        "interactions/w.md": interaction("2026-06-12", "hr", "withdrew", opportunity="zen"),
    }
    evaluation = run(make_crm, files, "2026-06-20")
    assert [(b.contact, b.opportunities, str(b.next_check_in)) for b in evaluation.bridges] == [
        ("hr", ("zen",), "2026-07-10"),
        ("jo", (), "2026-07-08"),
        ("kim", ("zen",), "2026-07-10"),
    ]
    assert [f.reason for f in only(evaluation, "rejection-follow-up")] == [
        "Not offered the position (2026-06-10): thank Jo Park and keep the bridge."
    ]


def test_the_people_of_a_process_on_hold_get_bridge_check_ins(make_crm):
    files = {
        "contacts/kim.md": contact("Kim Lee"),
        "opportunities/zen.md": opportunity("Zen", "Analyst", contacts=["kim"], status="on-hold"),
        "interactions/iv.md": interaction(
            "2026-06-01", "kim", "interview", opportunity="zen", specifics=["x"]
        ),
        "interactions/ty.md": interaction("2026-06-02", "kim", "thank-you"),
    }
    evaluation = run(make_crm, files, "2026-06-20")
    assert items(evaluation, "bridge-check-in") == [("kim", "2026-06-29", "2026-07-06", "upcoming")]


def test_no_rejection_no_bridges(make_crm):
    files = {k: v for k, v in FILES.items() if k != "interactions/no.md"}
    evaluation = run(make_crm, files, "2026-09-01")
    assert evaluation.bridges == ()
    assert items(evaluation, "bridge-check-in") == []
