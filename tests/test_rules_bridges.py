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
        ("hr", ("acme",), "2026-06-11", "2026-09-09"),
        ("jo", ("acme",), "2026-06-11", "2026-09-09"),
    ]
    assert items(evaluation, "bridge-check-in") == [
        ("hr", "2026-09-09", "2026-09-16", "upcoming"),
        ("jo", "2026-09-09", "2026-09-16", "upcoming"),
    ]
    jo = only(evaluation, "bridge-check-in")[1]
    assert (jo.opportunity, jo.cause.path, jo.channel) == ("acme", "interactions/no.md", "email")
    assert jo.reason == (
        "Check in with Jo Park, a bridge from Data Engineer at Acme: restate your interest in "
        "future positions."
    )


def test_day_boundaries_and_a_check_in_restarts_it(make_crm):
    assert items(run(make_crm, FILES, "2026-09-16"), "bridge-check-in")[0][3] == "due"
    assert items(run(make_crm, FILES, "2026-09-17"), "bridge-check-in")[0][3] == "overdue"
    files = {**FILES, "interactions/c.md": interaction("2026-09-10", "jo", "check-in")}
    assert items(run(make_crm, files, "2026-09-17"), "bridge-check-in") == [
        ("hr", "2026-09-09", "2026-09-16", "overdue"),
        ("jo", "2026-12-09", "2026-12-16", "upcoming"),
    ]


def test_nuisance_gap_and_settings(make_crm):
    files = {
        **FILES,
        "interactions/c.md": interaction("2026-06-12", "jo", "reply"),
        "followup.yml": "min_gap_days: 10\nrules:\n  bridge-check-in:\n    bridge_cadence_days: 5\n",
    }
    evaluation = run(make_crm, files, "2026-06-20")
    assert items(evaluation, "bridge-check-in") == [
        ("hr", "2026-06-21", "2026-06-28", "upcoming"),
        ("jo", "2026-06-21", "2026-06-28", "upcoming"),
    ]


def test_no_rejection_no_bridges(make_crm):
    files = {k: v for k, v in FILES.items() if k != "interactions/no.md"}
    evaluation = run(make_crm, files, "2026-09-01")
    assert evaluation.bridges == ()
    assert items(evaluation, "bridge-check-in") == []
