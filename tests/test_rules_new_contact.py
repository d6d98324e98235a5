"""new-contact: a short follow-up within 24–36 hours after meeting someone new."""

from __future__ import annotations

from click.testing import CliRunner

from followup_gen.cli import main

from .rulecase import contact, held, interaction, items, only, plan, run

TASHA = contact("Tasha Greene", "job-fair", company="Harborline", email="tasha@example.com")
FAIR = interaction("2026-11-05", "tasha", "meeting", specifics=["their data platform team"])


def test_meeting_someone_new_calls_for_a_follow_up_the_next_day(make_crm):
    # It used to be nothing until keep-in-touch came round 14 days later.
    files = {"contacts/tasha.md": TASHA, "interactions/fair.md": FAIR}
    evaluation = run(make_crm, files, "2026-11-06")
    assert items(evaluation, "new-contact") == [("tasha", "2026-11-06", "2026-11-06", "due")]
    [item] = only(evaluation, "new-contact")
    assert item.reason == (
        "Follow up with Tasha Greene, whom you met on 2026-11-05, within 24–36 hours."
    )
    assert item.talking_points == ("their data platform team",)
    assert item.closed_by == ("follow-up",)
    # Keep-in-touch starts after it: it waits its turn.
    assert plan(evaluation) == [("tasha", "new-contact", ())]
    assert held(evaluation) == [("tasha", "keep-in-touch", "new-contact", "2026-11-19")]


def test_the_follow_up_closes_it_and_keep_in_touch_counts_from_it(make_crm):
    files = {
        "contacts/tasha.md": TASHA,
        "interactions/fair.md": FAIR,
        "interactions/f.md": interaction("2026-11-06", "tasha", "follow-up"),
    }
    evaluation = run(make_crm, files, "2026-11-07")
    assert items(evaluation, "new-contact") == []
    assert items(evaluation, "keep-in-touch") == [("tasha", "2026-11-20", "2026-11-27", "upcoming")]


def test_a_new_contact_with_a_recent_met_day_and_no_interaction(make_crm):
    files = {"contacts/ana.md": contact("Ana Lima", "association", met="2026-11-05")}
    assert items(run(make_crm, files, "2026-11-06"), "new-contact") == [
        ("ana", "2026-11-06", "2026-11-06", "due")
    ]
    # A week later it is keep-in-touch's.
    assert items(run(make_crm, files, "2026-11-13"), "new-contact") == []


def test_people_you_know_and_imported_contacts_get_none(make_crm):
    files = {
        "contacts/mum.md": contact("Maria Rivera", "family"),
        "contacts/bo.md": contact(
            "Bo Ek", "professional-network", met="2026-11-05", first_check_in="2026-11-20"
        ),
        "interactions/dinner.md": interaction("2026-11-05", "mum", "meeting"),
    }
    assert items(run(make_crm, files, "2026-11-06"), "new-contact") == []


def test_check_warns_on_a_met_day_invented_by_an_older_import(make_crm):
    root = make_crm(
        {
            "contacts/bo.md": "---\nname: Bo Ek\nrelationship: professional-network\n"
            "met: 2026-09-22\n---\nConnected on LinkedIn on 2015-03-02.\n\n"
            "Imported from Connections.csv on 2026-11-20.\n",
            "contacts/cy.md": "---\nname: Cy Dee\nrelationship: professional-network\n"
            "met: 2015-03-02\n---\nConnected on LinkedIn on 2015-03-02.\n\n"
            "Imported from Connections.csv on 2026-11-20.\n",
        }
    )
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 0
    assert result.stdout == (
        "contacts/bo.md:4: warning: 'met: 2026-09-22' was written by an older 'import' to "
        "spread first check-ins, but 'met' means the day you met: replace it with "
        "'first_check_in: 2026-11-21' and 'met: 2015-03-02' [invented-met]\n"
    )
