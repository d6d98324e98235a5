"""The plan: at most one open message per person, whatever rule proposed it."""

from __future__ import annotations

from .rulecase import contact, held, interaction, opportunity, plan, run

JO = contact("Jo Park", title="CTO", email="jo@acme.example", address='"2 Oak Rd"')
ACME = opportunity("Acme", "Data Engineer", contacts=["jo"])
INTERVIEW = interaction(
    "2026-11-10", "jo", "interview", opportunity="acme", specifics=["the Kafka migration"]
)


def test_a_quick_rejection_makes_one_letter_with_the_unsent_interview_thanks(make_crm):
    # It used to leave "I am very interested in the role..." open beside the rejection note.
    files = {
        "contacts/jo.md": JO,
        "opportunities/acme.md": ACME,
        "interactions/iv.md": INTERVIEW,
        "interactions/no.md": interaction("2026-11-11", "jo", "rejection", opportunity="acme"),
    }
    evaluation = run(make_crm, files, "2026-11-12")
    # (The business-card request ended with the decision.)
    assert plan(evaluation) == [("jo", "rejection-follow-up", ("interview-thank-you",))]
    [item] = evaluation.followups
    assert (item.due.isoformat(), item.last.isoformat(), item.status) == (
        "2026-11-11",
        "2026-11-12",
        "due",
    )
    assert item.letter == "rejection-thanks"
    assert item.talking_points == ("the Kafka migration",)
    assert item.closed_by == ("thank-you", "follow-up")
    assert "Your thank-you for the interview was not sent" in item.reason
    # The note closes both: next comes the bridge check-in, weeks later.
    files["interactions/ty.md"] = interaction("2026-11-12", "jo", "follow-up", opportunity="acme")
    [(rule, status)] = [(f.rule, f.status) for f in run(make_crm, files, "2026-11-13").followups]
    assert (rule, status) == ("bridge-check-in", "upcoming")


def test_a_former_colleague_on_a_rejected_opportunity_gets_one_message(make_crm):
    # Keep-in-touch and the bridge check-in used to come together.
    files = {
        "contacts/cy.md": contact("Cy Dee", "past-coworker", email="cy@example.com"),
        "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["cy"]),
        "interactions/1.md": interaction("2026-08-01", "cy", "meeting"),
        "interactions/no.md": interaction("2026-09-01", "cy", "rejection", opportunity="acme"),
        "interactions/ty.md": interaction("2026-09-02", "cy", "thank-you", opportunity="acme"),
    }
    evaluation = run(make_crm, files, "2026-11-05")
    assert plan(evaluation) == [("cy", "bridge-check-in", ())]
    assert held(evaluation) == [("cy", "keep-in-touch", "bridge-check-in", "2026-11-01")]


def test_a_rejection_note_and_a_bridge_check_in_never_come_the_same_day(make_crm):
    files = {
        "contacts/jo.md": JO,
        "opportunities/acme.md": ACME,
        "interactions/no.md": interaction("2026-06-10", "jo", "rejection", opportunity="acme"),
        "followup.yml": "rules:\n  bridge-check-in:\n    bridge_first_days: 1\n",
    }
    evaluation = run(make_crm, files, "2026-06-11")
    assert plan(evaluation) == [("jo", "rejection-follow-up", ())]
    assert held(evaluation) == [("jo", "bridge-check-in", "rejection-follow-up", "2026-06-18")]


def test_the_business_card_request_goes_in_the_interview_thank_you(make_crm):
    files = {"contacts/jo.md": JO, "opportunities/acme.md": ACME, "interactions/iv.md": INTERVIEW}
    evaluation = run(make_crm, files, "2026-11-10")
    assert plan(evaluation) == [("jo", "interview-thank-you", ("business-card",))]
    assert held(evaluation) == []


def test_the_gap_spaces_every_message_but_never_a_thank_you(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend", email="ana@example.com", cadence="5d"),
        "interactions/1.md": interaction("2026-11-08", "ana", "check-in"),
        "followup.yml": "plan:\n  min_gap_days: 14\n",
    }
    [item] = run(make_crm, files, "2026-11-09").followups
    assert (item.rule, item.due.isoformat(), item.last.isoformat()) == (
        "keep-in-touch",
        "2026-11-22",
        "2026-11-29",
    )
    assert item.reason.endswith(
        " Moved to 2026-11-22: 14 days after your last message on 2026-11-08."
    )
    files["interactions/2.md"] = interaction("2026-11-10", "ana", "help")
    evaluation = run(make_crm, files, "2026-11-11")
    assert [(f.rule, str(f.due)) for f in evaluation.followups] == [("thank-helper", "2026-11-11")]
    assert held(evaluation) == [("ana", "keep-in-touch", "thank-helper", "2026-11-25")]


def test_the_offer_note_to_a_stalled_process_is_its_one_note(make_crm):
    # Brightwater went quiet after the interview; then an offer came from
    # Globex. The note telling Jo of the offer is the news that process
    # waits for: one message, not an offer note and a stalled note after it.
    files = {
        "contacts/jo.md": JO,
        "contacts/al.md": contact("Al Ng", email="al@globex.example"),
        "opportunities/acme.md": ACME,
        "opportunities/globex.md": opportunity("Globex", "Analyst", contacts=["al"]),
        "interactions/iv.md": INTERVIEW,
        "interactions/ty.md": interaction("2026-11-10", "jo", "thank-you", opportunity="acme"),
        "interactions/of.md": interaction("2026-11-24", "al", "offer", opportunity="globex"),
    }
    evaluation = run(make_crm, files, "2026-11-25")
    assert ("jo", "offer-period", ("stalled-note",)) in plan(evaluation)
    assert held(evaluation) == []
    [item] = [f for f in evaluation.followups if f.contact == "jo"]
    assert item.closed_by == ("follow-up",)
    assert item.reason.endswith(
        "It is your one note on this quiet process too: the offer is your news."
    )
    # Sent: nothing more for Jo on this silence.
    files["interactions/n.md"] = interaction("2026-11-25", "jo", "follow-up", opportunity="acme")
    assert [f for f in run(make_crm, files, "2026-11-26").followups if f.contact == "jo"] == []
