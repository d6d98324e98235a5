"""stalled-note: when an interview is followed by silence, one note with something new."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from followup_gen.cli import main

from .rulecase import contact, interaction, items, only, opportunity, run

FILES = {
    "contacts/jo.md": contact("Jo Park", email="jo@acme.example", salutation="Jo"),
    "contacts/rae.md": contact("Rae Lin", relationship="recruiter", email="rae@agency.example"),
    "contacts/kim.md": contact("Kim Roe", email="kim@acme.example"),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["rae", "jo"]),
    "interactions/iv.md": interaction(
        "2026-11-01",
        ["jo", "kim"],
        "interview",
        opportunity="acme",
        specifics="[{jo: the late-events backlog}]",
    ),  # fmt: skip
    "interactions/ty.md": interaction("2026-11-02", ["jo", "kim"], "thank-you", opportunity="acme"),
}
RULE = "stalled-note"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-11-11", []),  # 10 days of quiet: not stalled yet
        ("2026-11-12", [("jo", "2026-11-12", "2026-11-19", "due")]),
        ("2026-11-19", [("jo", "2026-11-12", "2026-11-19", "due")]),
        ("2026-11-20", [("jo", "2026-11-12", "2026-11-19", "overdue")]),
    ],
)
def test_one_note_to_the_hiring_manager_from_the_day_it_stalls(make_crm, today, expected):
    # Jo, the hiring contact named by the opportunity, not the recruiter listed
    # first nor Kim, who was only on the panel.
    evaluation = run(make_crm, FILES, today)
    assert items(evaluation, RULE) == expected
    assert [s.opportunity for s in evaluation.stalled] == (["acme"] if expected else [])


def test_the_item_says_why_and_never_asks_for_a_status(make_crm):
    [item] = only(run(make_crm, FILES, "2026-11-12"), RULE)
    assert item.reason == (
        "No news on Data Engineer at Acme since the interview of 2026-11-01 (more than 10 "
        "days): send Jo Park one note with something new that benefits them."
    )
    assert "never ask for a status update" in item.what_to_say.lower()
    assert item.closed_by == ("follow-up",)
    assert item.cause.path == "interactions/iv.md"
    assert item.opportunity == "acme"


def test_due_the_day_after_a_passed_expected_decision(make_crm):
    files = {
        **FILES,
        "opportunities/acme.md": opportunity(
            "Acme", "Data Engineer", contacts=["jo"], expected_decision="2026-11-10"
        ),
    }
    evaluation = run(make_crm, files, "2026-11-11")
    assert items(evaluation, RULE) == [("jo", "2026-11-11", "2026-11-18", "due")]
    assert only(evaluation, RULE)[0].reason.startswith(
        "The expected decision date 2026-11-10 for Data Engineer at Acme has passed with no word:"
    )
    # The nuisance gap holds: not within a week of your thank-you of 2026-11-02.
    files["opportunities/acme.md"] = files["opportunities/acme.md"].replace("11-10", "11-05")
    assert items(run(make_crm, files, "2026-11-07"), RULE) == [
        ("jo", "2026-11-09", "2026-11-16", "upcoming")
    ]


@pytest.mark.parametrize(
    "extra",
    [
        # Your one note, before or after it stalled (to anyone on the process).
        interaction("2026-11-09", "kim", "follow-up", opportunity="acme"),
        interaction("2026-11-14", "jo", "follow-up", opportunity="acme"),
        # News from them ends the silence.
        interaction("2026-11-13", "jo", "reply", opportunity="acme"),
        interaction("2026-11-13", "jo", "rejection", opportunity="acme"),
    ],
)
def test_one_note_per_silence_and_news_ends_it(make_crm, extra):
    files = {**FILES, "interactions/x.md": extra}
    assert items(run(make_crm, files, "2026-11-15"), RULE) == []


def test_a_reply_starts_a_new_silence_and_a_new_note(make_crm):
    files = {
        **FILES,
        "interactions/n1.md": interaction("2026-11-12", "jo", "follow-up", opportunity="acme"),
        "interactions/r.md": interaction("2026-11-14", "jo", "reply", opportunity="acme"),
    }
    assert items(run(make_crm, files, "2026-11-25"), RULE) == [
        ("jo", "2026-11-25", "2026-12-02", "due")
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"opportunities/acme.md": opportunity("Acme", "Data Engineer", status="on-hold")},
        {"interactions/o.md": interaction("2026-11-03", "jo", "offer", opportunity="acme")},
        {"contacts/jo.md": contact("Jo Park", do_not_contact=True)},
    ],
)
def test_none_on_hold_at_the_offer_stage_or_for_do_not_contact(make_crm, change):
    files = {**FILES, **change}
    if "contacts/jo.md" in change:  # Jo is off limits: the note goes to Kim, who was there
        assert [i.contact for i in only(run(make_crm, files, "2026-11-15"), RULE)] == ["kim"]
        return
    assert items(run(make_crm, files, "2026-11-15"), RULE) == []


def test_no_one_to_write_to_gives_no_item(make_crm):
    files = {
        "opportunities/acme.md": opportunity("Acme", "Data Engineer"),
        "contacts/jo.md": contact("Jo Park", do_not_contact=True),
        "interactions/iv.md": interaction("2026-11-01", "jo", "interview", opportunity="acme"),
    }
    evaluation = run(make_crm, files, "2026-11-15")
    assert items(evaluation, RULE) == []
    assert [s.opportunity for s in evaluation.stalled] == ["acme"]  # still listed as stalled


def test_it_follows_the_stalled_setting_and_can_be_switched_off(make_crm):
    later = {**FILES, "followup.yml": "stalled:\n  stall_after_days: 14\n"}
    assert items(run(make_crm, later, "2026-11-15"), RULE) == []
    assert items(run(make_crm, later, "2026-11-16"), RULE) == [
        ("jo", "2026-11-16", "2026-11-23", "due")
    ]
    off = {**FILES, "followup.yml": "rules:\n  stalled-note:\n    enabled: false\n"}
    evaluation = run(make_crm, off, "2026-11-15")
    assert items(evaluation, RULE) == []
    assert [s.opportunity for s in evaluation.stalled] == ["acme"]


def test_the_draft_offers_something_new_and_brings_up_what_was_discussed(make_crm):
    root = make_crm({**FILES, "profile.md": "---\nname: Alex Morgan\n---\n"})
    result = CliRunner().invoke(
        main, ["draft", RULE, "jo", "--root", str(root), "--today", "2026-11-12"]
    )
    assert result.exit_code == 0, result.output
    letter = result.stdout
    assert letter.startswith("To: jo@acme.example\nSubject: ")
    assert "Dear Jo," in letter
    assert "the late-events backlog" in letter
    assert "[SOMETHING NEW THAT BENEFITS THEM" in letter
    for asking in ("status", "any news", "update on", "decision", "hear back"):
        assert asking not in letter.lower(), asking
    done = CliRunner().invoke(
        main, ["done", RULE, "jo", "--root", str(root), "--date", "2026-11-12"]
    )
    assert done.exit_code == 0, done.output
    assert "follow-up" in done.stdout
