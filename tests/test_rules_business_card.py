"""business-card: ask interviewers missing a title or address for their card."""

from __future__ import annotations

import pytest

from .rulecase import contact, interaction, items, only, opportunity, run

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
        ("2026-11-11", "due", "email"),
        ("2026-11-12", "overdue", "email"),
    ],
)
def test_due_on_the_interview_day_overdue_two_days_later(make_crm, today, status, channel):
    evaluation = run(make_crm, FILES, today)
    assert items(evaluation, "business-card") == [("jo", "2026-11-10", "2026-11-11", status)]
    [card] = only(evaluation, "business-card")
    assert card.channel == channel
    assert card.reason == (
        "Ask Jo Park for a business card (interview on 2026-11-10 for Data Engineer at Acme): "
        "their file has no address."
    )


@pytest.mark.parametrize(
    "jo",
    [
        contact("Jo Park", title="CTO", address='"1 Elm St"'),
        contact("Jo Park", business_card=True),
        contact("Jo Park", do_not_contact=True),
    ],
)
def test_satisfied_by_title_and_address_or_a_confirmed_card(make_crm, jo):
    assert (
        items(run(make_crm, {**FILES, "contacts/jo.md": jo}, "2026-11-12"), "business-card") == []
    )


def test_one_item_per_contact_from_their_first_interview(make_crm):
    files = {
        **FILES,
        "contacts/jo.md": contact("Jo Park"),
        "interactions/iv2.md": interaction("2026-11-20", "jo", "interview", opportunity="acme"),
    }
    evaluation = run(make_crm, files, "2026-11-12")
    assert items(evaluation, "business-card") == [("jo", "2026-11-10", "2026-11-11", "overdue")]
    assert only(evaluation, "business-card")[0].reason.endswith("has no title or address.")


def test_other_kinds_ask_for_no_card(make_crm):
    files = {**FILES, "interactions/iv.md": interaction("2026-11-10", "jo", "meeting")}
    assert items(run(make_crm, files, "2026-11-12"), "business-card") == []
