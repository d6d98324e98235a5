"""Stalled opportunities and pipeline health: how time kills deals."""

from __future__ import annotations

from click.testing import CliRunner

from followup_gen.cli import main

from .rulecase import contact, interaction, opportunity, run

FILES = {
    "contacts/jo.md": contact("Jo Park"),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo"]),
    "interactions/iv.md": interaction(
        "2026-11-01", "jo", "interview", opportunity="acme", specifics=["x"]
    ),
    "interactions/ty.md": interaction("2026-11-02", "jo", "thank-you", opportunity="acme"),
}


def stalled(evaluation):
    return [
        (s.opportunity, s.stage, str(s.last_activity), s.days_quiet, s.reason)
        for s in evaluation.stalled
    ]


def test_no_news_counts_from_their_last_word_not_your_thank_you(make_crm):
    assert stalled(run(make_crm, FILES, "2026-11-11")) == []
    evaluation = run(make_crm, FILES, "2026-11-12")
    assert stalled(evaluation) == [
        ("acme", "interviewing", "2026-11-01", 11, "No news for 11 days since 2026-11-01.")
    ]
    # Your own follow-ups do not reset the clock either.
    files = {**FILES, "interactions/f.md": interaction("2026-11-10", "jo", "follow-up")}
    assert [s[0] for s in stalled(run(make_crm, files, "2026-11-12"))] == ["acme"]


def test_each_stalled_entry_has_the_four_readings_and_the_actions(make_crm):
    [entry] = run(make_crm, FILES, "2026-11-20").stalled
    assert entry.readings == (
        "Hiring for this job may have been put on a back burner.",
        "You may be a back-up candidate, not the front runner.",
        "They may still be interviewing.",
        "They may have hired someone else and not told you.",
    )
    assert entry.actions[0].startswith("Book more interviews")
    assert entry.actions[1].startswith("Send at most one note")
    assert "never ask for a status update" in entry.actions[1]
    files = {
        **FILES,
        "interactions/f.md": interaction("2026-11-15", "jo", "follow-up", opportunity="acme"),
    }
    [entry] = run(make_crm, files, "2026-11-20").stalled
    assert entry.actions[1].startswith("You sent your one note on 2026-11-15")


def test_stalled_when_the_expected_decision_has_passed_never_before(make_crm):
    files = {
        **FILES,
        "opportunities/acme.md": opportunity(
            "Acme", "Data Engineer", contacts=["jo"], expected_decision="2026-11-30"
        ),
    }
    # Quiet for weeks, but they said the 30th: it is not stalled before then.
    assert stalled(run(make_crm, files, "2026-11-30")) == []
    assert stalled(run(make_crm, files, "2026-12-01")) == [
        (
            "acme",
            "interviewing",
            "2026-11-01",
            30,
            "The expected decision date 2026-11-30 has passed with no word.",
        )
    ]


def test_an_offer_is_watched_too(make_crm):
    files = {
        **FILES,
        "opportunities/acme.md": opportunity(
            "Acme", "Data Engineer", contacts=["jo"], expected_decision="2026-11-10"
        ),
        "interactions/o.md": interaction("2026-11-05", "jo", "offer", opportunity="acme"),
    }
    assert stalled(run(make_crm, files, "2026-11-10")) == []
    assert stalled(run(make_crm, files, "2026-11-11")) == [
        (
            "acme",
            "offer",
            "2026-11-05",
            6,
            "The expected decision date 2026-11-10 has passed with no word.",
        )
    ]


def test_not_stalled_when_decided_overridden_or_never_interviewed(make_crm):
    for extra in (
        {"interactions/o.md": interaction("2026-11-03", "jo", "rejection", opportunity="acme")},
        {"interactions/o.md": interaction("2026-11-03", "jo", "withdrew", opportunity="acme")},
        {"opportunities/acme.md": opportunity("Acme", "Data Engineer", status="on-hold")},
        {"interactions/iv.md": interaction("2026-11-01", "jo", "meeting", opportunity="acme")},
    ):
        assert stalled(run(make_crm, {**FILES, **extra}, "2026-12-20")) == []


def test_stall_after_days_setting(make_crm):
    files = {**FILES, "followup.yml": "stalled:\n  stall_after_days: 2\n"}
    assert [s[0] for s in stalled(run(make_crm, files, "2026-11-04"))] == ["acme"]


def test_pipeline_health_counts_interviewing_opportunities(make_crm):
    pipeline = run(make_crm, FILES, "2026-11-05").pipeline
    assert (pipeline.active_interviews, pipeline.target, pipeline.healthy) == (1, 3, False)
    assert pipeline.message == (
        "Only 1 opportunity is at the interview stage (target 3): book more interviews so you "
        "are not waiting on an offer that may never come."
    )
    files = {**FILES, "followup.yml": "stalled:\n  min_active_interviews: 1\n"}
    pipeline = run(make_crm, files, "2026-11-05").pipeline
    assert pipeline.healthy
    assert pipeline.message == "1 opportunity is at the interview stage (target 1)."


DEAD = {
    "contacts/jo.md": contact("Jo Park", business_card=True),
    # Nothing due (the stalled notes switched off): what does `due` say?
    "followup.yml": "today: 2027-05-20\nrules:\n  stalled-note:\n    enabled: false\n",
    **{
        f"opportunities/{name}.md": opportunity(name.title(), "Engineer", contacts=["jo"])
        for name in ("acme", "globex", "initech")
    },
    **{
        f"interactions/{name}.md": interaction(
            "2026-11-02", "jo", "interview", opportunity=name, specifics=["x"]
        )
        for name in ("acme", "globex", "initech")
    },
    "interactions/ty.md": interaction("2026-11-03", "jo", "thank-you"),
    "interactions/ci.md": interaction("2027-05-19", "jo", "check-in"),
}


def test_dead_deals_are_no_active_interviews(make_crm):
    # Three processes silent for 199 days used to count as three active interviews.
    evaluation = run(make_crm, DEAD, "2027-05-20")
    assert [s.days_quiet for s in evaluation.stalled] == [199, 199, 199]
    pipeline = evaluation.pipeline
    assert (pipeline.active_interviews, pipeline.healthy) == (0, False)
    assert pipeline.message.startswith("No opportunity is at the interview stage (target 3)")


def test_due_never_says_nicely_done_while_something_is_stalled(make_crm):
    result = CliRunner().invoke(main, ["due", "--root", str(make_crm(DEAD)), "--within", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Nothing to follow up on today or in the next 1 days (2027-05-20)."
    assert "Nicely done" not in result.stdout
    assert lines[1] == "Stalled: Engineer at Acme: No news for 199 days since 2026-11-02."
    assert lines[2].startswith("  It may mean: Hiring for this job may have been put on a back")
    assert lines[3].startswith("  Do: Book more interviews")
    assert lines[-1].startswith("No opportunity is at the interview stage (target 3)")
