"""business-card: ask every interviewer for their card, until the letter has gone."""

from __future__ import annotations

import pytest

from .rulecase import contact, interaction, items, opportunity, plan, proposed, rows, run

FILES = {
    "contacts/jo.md": contact("Jo Park", title="CTO"),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo"]),
    "interactions/iv.md": interaction("2026-11-10", "jo", "interview", opportunity="acme"),
}


@pytest.mark.parametrize(
    ("today", "status", "channel"),
    [
        ("2026-11-09", "upcoming", "in-person"),
        ("2026-11-10", "due", "in-person"),
        # No email on file: never recommend one (nothing else either: say what to add).
        ("2026-11-11", "due", "other"),
        ("2026-11-12", "overdue", "other"),
    ],
)
def test_due_on_the_interview_day_overdue_two_days_later(make_crm, today, status, channel):
    [card] = proposed(make_crm, FILES, today, "business-card")
    assert rows([card]) == [("jo", "2026-11-10", "2026-11-11", status)]
    assert card.channel == channel
    assert card.reason == (
        "Ask Jo Park for a business card (interview on 2026-11-10 for Data Engineer at Acme): "
        "their file has no address."
    )


@pytest.mark.parametrize(
    "jo",
    [
        contact("Jo Park", business_card=True),
        contact("Jo Park", do_not_contact=True),
    ],
)
def test_satisfied_by_a_confirmed_card(make_crm, jo):
    files = {**FILES, "contacts/jo.md": jo}
    assert proposed(make_crm, files, "2026-11-12", "business-card") == []


def test_every_interviewer_is_asked_even_with_a_title_and_address(make_crm):
    # The advice is about the exact spelling of every name, title and address.
    files = {**FILES, "contacts/jo.md": contact("Jo Park", title="CTO", address='"1 Elm St"')}
    [card] = proposed(make_crm, files, "2026-11-10", "business-card")
    assert card.reason == (
        "Ask Jo Park for a business card (interview on 2026-11-10 for Data Engineer at Acme): "
        "confirm the spelling of their name, their title and address."
    )


@pytest.mark.parametrize(
    "ending",
    [
        interaction("2026-11-11", "jo", "thank-you", opportunity="acme"),
        interaction("2026-11-20", "jo", "rejection", opportunity="acme"),
        interaction("2026-11-20", "jo", "withdrew", opportunity="acme"),
    ],
)
def test_the_reminder_ends_with_the_thank_you_or_the_decision(make_crm, ending):
    # It used to stay overdue for months after the process had closed.
    files = {**FILES, "interactions/end.md": ending}
    assert proposed(make_crm, files, "2027-02-01", "business-card") == []
    assert items(run(make_crm, files, "2027-02-01"), "business-card") == []


def test_the_plan_asks_for_the_card_in_the_interview_thank_you(make_crm):
    evaluation = run(make_crm, FILES, "2026-11-11")
    assert plan(evaluation) == [("jo", "interview-thank-you", ("business-card",))]
    [thanks] = evaluation.followups
    assert (thanks.due.isoformat(), thanks.status, thanks.letter) == (
        "2026-11-11",
        "due",
        "interview-thank-you-card",
    )
    assert "Ask for their business card in the same note" in thanks.reason


def test_one_item_per_contact_from_their_first_interview(make_crm):
    files = {
        **FILES,
        "contacts/jo.md": contact("Jo Park"),
        "interactions/iv2.md": interaction("2026-11-20", "jo", "interview", opportunity="acme"),
    }
    [card] = proposed(make_crm, files, "2026-11-12", "business-card")
    assert rows([card]) == [("jo", "2026-11-10", "2026-11-11", "overdue")]
    assert card.reason.endswith("has no title or address.")


def test_other_kinds_ask_for_no_card(make_crm):
    files = {**FILES, "interactions/iv.md": interaction("2026-11-10", "jo", "meeting")}
    assert proposed(make_crm, files, "2026-11-12", "business-card") == []
