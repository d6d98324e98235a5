"""Rule settings in followup.yml: switches, numbers, shared keys, mistakes."""

from __future__ import annotations

import pytest

from followup_gen.load import load_crm
from followup_gen.load.settings import Settings
from followup_gen.rules import RULES

from .rulecase import contact, interaction, run

FILES = {
    "contacts/ana.md": contact("Ana Lima", "friend", address='"1 Elm St"'),
    "interactions/help.md": interaction("2026-11-10", "ana", "help"),
}


def test_every_rule_has_default_settings_with_enabled():
    assert [r.id for r in RULES] == list(Settings().rules)
    for rule in RULES:
        assert Settings().rule(rule.id).enabled is True


def _rules(evaluation) -> list[str]:
    return [f.rule for f in (*evaluation.followups, *evaluation.held)]


@pytest.mark.parametrize("rule", ["thank-helper", "keep-in-touch"])
def test_enabled_false_switches_a_rule_off(make_crm, rule):
    assert rule in _rules(run(make_crm, FILES, "2026-11-11"))
    files = {**FILES, "followup.yml": f"rules:\n  {rule}:\n    enabled: false\n"}
    evaluation = run(make_crm, files, "2026-11-11")
    assert rule not in _rules(evaluation)
    assert evaluation.followups


def test_a_rule_setting_wins_over_the_shared_key(make_crm):
    files = {
        **FILES,
        "followup.yml": "legible_handwriting: true\nrules:\n  thank-helper:\n    legible_handwriting: false\n",
    }
    evaluation = run(make_crm, files, "2026-11-11")
    assert [f.channel for f in evaluation.followups if f.rule == "thank-helper"] == ["mail"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules:\n  thank-helper:\n    enabeld: false\n",
            "followup.yml:3: error: unknown setting 'rules.thank-helper.enabeld' (did you mean 'enabled'?) [bad-setting]",
        ),
        (
            "window_days: 7\nrules:\n  keep-in-tuoch:\n    enabled: false\n",
            "followup.yml:3: error: unknown rule 'keep-in-tuoch' (did you mean 'keep-in-touch'?); rules: "
            + ", ".join(r.id for r in RULES)
            + " [bad-setting]",
        ),
        (
            "rules:\n  resume-follow-up:\n    max_unanswered: two\n",
            "followup.yml:3: error: 'rules.resume-follow-up.max_unanswered' must be a whole number from 0 to 3650 [bad-setting]",
        ),
        (
            "min_gap_days: -1\n",
            "followup.yml:1: error: 'min_gap_days' must be a whole number from 0 to 3650 [bad-setting]",
        ),
        (
            "rules:\n  keep-in-touch:\n    cadences: {freind: 10}\n",
            "followup.yml:3: error: 'rules.keep-in-touch.cadences' has unknown entry 'freind' (did you mean 'friend'?) [bad-setting]",
        ),
        (
            "rules:\n  keep-in-touch:\n    cadences:\n      friend: 3\n      freind: 10\n",
            "followup.yml:5: error: 'rules.keep-in-touch.cadences' has unknown entry 'freind' (did you mean 'friend'?) [bad-setting]",
        ),
        (
            "stalled:\n  stall_after: 3\n",
            "followup.yml:2: error: unknown setting 'stalled.stall_after' (did you mean 'stall_after_days'?) [bad-setting]",
        ),
        (
            "plan:\n  min_gap: 3\n",
            "followup.yml:2: error: unknown setting 'plan.min_gap' (did you mean 'min_gap_days'?) [bad-setting]",
        ),
        (
            "min_gap_days: -1\nplan:\n  min_gap_days: 3\n",
            "followup.yml:1: error: 'min_gap_days' must be a whole number from 0 to 3650 [bad-setting]",
        ),
    ],
)
def test_mistyped_settings_are_errors_naming_the_key_and_line(make_crm, text, message):
    loaded = load_crm(make_crm({**FILES, "followup.yml": text}))
    assert [p.format() for p in loaded.problems] == [message]


@pytest.mark.parametrize(
    ("text", "gap"),
    [("", 7), ("min_gap_days: 10\n", 10), ("min_gap_days: 10\nplan:\n  min_gap_days: 3\n", 3)],
)
def test_the_plans_gap_takes_the_shared_key_unless_plan_sets_its_own(make_crm, text, gap):
    loaded = load_crm(make_crm({**FILES, "followup.yml": text or "{}\n"}))
    assert loaded.problems == ()
    assert loaded.settings.plan.min_gap_days == gap
