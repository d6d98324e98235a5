"""Stalled opportunities and pipeline health."""

from __future__ import annotations

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


def test_stalled_after_more_than_stall_after_days_of_quiet(make_crm):
    assert stalled(run(make_crm, FILES, "2026-11-12")) == []
    evaluation = run(make_crm, FILES, "2026-11-13")
    assert stalled(evaluation) == [
        ("acme", "interviewing", "2026-11-02", 11, "No news for 11 days since 2026-11-02.")
    ]
    assert "back-up candidate" in evaluation.stalled[0].advice
    assert "Keep booking interviews" in evaluation.stalled[0].advice


def test_stalled_when_the_expected_decision_has_passed(make_crm):
    files = {
        **FILES,
        "opportunities/acme.md": opportunity(
            "Acme", "Data Engineer", contacts=["jo"], expected_decision="2026-11-04"
        ),
    }
    assert stalled(run(make_crm, files, "2026-11-04")) == []
    assert stalled(run(make_crm, files, "2026-11-05")) == [
        (
            "acme",
            "interviewing",
            "2026-11-02",
            3,
            "The expected decision date 2026-11-04 has passed with no word.",
        )
    ]


def test_not_stalled_when_decided_overridden_or_never_interviewed(make_crm):
    for extra in (
        {"interactions/o.md": interaction("2026-11-03", "jo", "offer", opportunity="acme")},
        {"opportunities/acme.md": opportunity("Acme", "Data Engineer", status="on-hold")},
        {"interactions/iv.md": interaction("2026-11-01", "jo", "meeting", opportunity="acme")},
    ):
        assert stalled(run(make_crm, {**FILES, **extra}, "2026-12-20")) == []


def test_stall_after_days_setting(make_crm):
    files = {**FILES, "followup.yml": "stalled:\n  stall_after_days: 2\n"}
    assert [s[0] for s in stalled(run(make_crm, files, "2026-11-05"))] == ["acme"]


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
