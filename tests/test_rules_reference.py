"""reference: a heads-up before your references are called, and thanks after."""

from __future__ import annotations

from .rulecase import contact, interaction, items, only, opportunity, run

FILES = {
    "contacts/jo.md": contact("Jo Park", business_card=True),
    "contacts/ref.md": contact("Rae Fox", "reference", email="rae@example.com"),
    "opportunities/acme.md": opportunity(
        "Acme", "Data Engineer", contacts=["jo"], references=["ref"]
    ),
    "interactions/1.md": interaction(
        "2026-11-02", "jo", "interview", opportunity="acme", specifics=["x"]
    ),
    "interactions/2.md": interaction("2026-11-03", "jo", "thank-you", opportunity="acme"),
}


def test_no_heads_up_before_the_final_stage(make_crm):
    assert items(run(make_crm, FILES, "2026-11-05"), "reference") == []


def test_the_second_interview_calls_for_a_heads_up(make_crm):
    files = {
        **FILES,
        "interactions/3.md": interaction(
            "2026-11-10", "jo", "interview", opportunity="acme", specifics=["y"]
        ),
    }
    evaluation = run(make_crm, files, "2026-11-10")
    assert items(evaluation, "reference") == [("ref", "2026-11-10", "2026-11-11", "due")]
    [item] = only(evaluation, "reference")
    assert item.reason == (
        "Data Engineer at Acme is at its final stage: give Rae Fox, your reference, a heads-up "
        "before they are called."
    )
    files["interactions/4.md"] = interaction("2026-11-10", "ref", "check-in")
    assert items(run(make_crm, files, "2026-11-11"), "reference") == []
    # After the decision: thanks.
    files["interactions/5.md"] = interaction("2026-11-20", "jo", "rejection", opportunity="acme")
    [thanks] = only(run(make_crm, files, "2026-11-21"), "reference")
    assert (thanks.due.isoformat(), thanks.letter, thanks.closed_by) == (
        "2026-11-21",
        "reference-thanks",
        ("thank-you",),
    )
