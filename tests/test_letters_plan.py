"""The letters of the plan and the lifecycle: written for their reader, true to the records."""

from __future__ import annotations

import datetime as dt

from followup_gen.load import load_crm
from followup_gen.outputs.drafts import draft
from followup_gen.rules.evaluate import evaluate

from .rulecase import contact, interaction, opportunity
from .test_rules_search import ENDED, OFFER
from .test_rules_thanks import PANEL

NEVER = ("why", "status", "update on")


def letters(make_crm, files, today):
    loaded = load_crm(make_crm(files))
    day = dt.date.fromisoformat(today)
    evaluation = evaluate(loaded.crm, day, loaded.settings)
    return {
        (f.contact, f.rule): draft(loaded, None, f, day) for f in evaluation.followups if f.contact
    }


def test_each_interviewer_reads_their_own_points(make_crm):
    found = letters(make_crm, PANEL, "2026-11-20")
    jane, sam = found["jane-doe", "interview-thank-you"], found["sam-lee", "interview-thank-you"]
    assert "the platform roadmap" in jane and "the platform roadmap" in sam
    assert "on-call load" in jane and "on-call load" not in sam
    assert "exactly-once" in sam and "exactly-once" not in jane
    assert jane != sam


def test_a_rejection_before_the_thank_you_is_one_letter_that_never_asks_why(make_crm):
    files = {
        "contacts/jo.md": contact("Jo Park", title="CTO", email="jo@acme.example"),
        "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo"]),
        "interactions/iv.md": interaction(
            "2026-11-10", "jo", "interview", opportunity="acme", specifics=["the Kafka migration"]
        ),
        "interactions/no.md": interaction("2026-11-11", "jo", "rejection", opportunity="acme"),
    }
    [(key, text)] = letters(make_crm, files, "2026-11-12").items()
    assert key == ("jo", "rejection-follow-up")
    assert "Thank you for interviewing me for the Data Engineer role" in text
    assert "the Kafka migration" in text
    assert "future positions at Acme" in text and "improve my interviewing" in text
    assert "very interested in the role" not in text
    assert not any(word in text.lower() for word in NEVER)


def test_after_accepting_the_letters_share_news_and_withdraw_courteously(make_crm):
    found = letters(make_crm, ENDED, "2026-11-11")
    news = found["mum", "keep-in-touch"]
    assert "I have accepted the Data Engineer position at Acme" in news
    assert "looking for my next role" not in news
    bridge = found["kim", "bridge-check-in"]
    assert "accepted the Data Engineer position at Acme" in bridge
    assert "introduction" not in bridge and "future positions" not in bridge
    withdraw = found["lu", "withdraw"]
    assert "I have accepted another position" in withdraw and "withdrawing" in withdraw
    thanks = found["ana", "close-the-loop"]
    assert "accepted the Data Engineer position at Acme" in thanks
    for text in found.values():
        assert not any(word in text.lower() for word in NEVER), text


def test_the_offer_note_gives_the_deadline_without_pressure(make_crm):
    text = letters(make_crm, OFFER, "2026-11-11")["lu", "offer-period"]
    assert "I remain very interested in the Engineer position at Globex" in text
    assert "need to give my answer by November 20, 2026" in text
    assert not any(word in text.lower() for word in NEVER)


def test_the_new_contact_and_reference_letters(make_crm):
    files = {
        "contacts/kofi.md": contact("Kofi Mensah", "job-fair", email="kofi@example.com"),
        "interactions/fair.md": interaction(
            "2026-11-19", "kofi", "meeting", specifics=["their move to a lakehouse"]
        ),
        "contacts/jo.md": contact("Jo Park", business_card=True, email="jo@acme.example"),
        "contacts/rae.md": contact("Rae Fox", "reference", email="rae@example.com"),
        "opportunities/acme.md": opportunity(
            "Acme", "Data Engineer", contacts=["jo"], references=["rae"]
        ),
        "interactions/1.md": interaction("2026-11-02", "jo", "offer", opportunity="acme"),
    }
    found = letters(make_crm, files, "2026-11-20")
    assert (
        "I enjoyed our conversation about their move to a lakehouse."
        in found["kofi", "new-contact"]
    )
    heads_up = found["rae", "reference"]
    assert "final stage for the Data Engineer position at Acme" in heads_up
    files["interactions/2.md"] = interaction("2026-11-21", "jo", "accepted", opportunity="acme")
    thanks = letters(make_crm, files, "2026-11-22")["rae", "reference"]
    assert "I have accepted the offer" in thanks
