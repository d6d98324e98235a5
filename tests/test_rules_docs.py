"""The rule book is documented and generated, never retyped."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from followup_gen.outputs.rulebook import SECTIONS, rulebook, sections, setting_docs
from followup_gen.rules import RULES, plan, stalled
from followup_gen.rules.plan import PlanSettings
from followup_gen.rules.stalled import StalledSettings

from .conftest import ROOT


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_documents_each_section_and_setting(rule):
    found = sections(rule.doc)
    assert found[""], "a one-line summary first"
    assert [name for name in found if name] == list(SECTIONS)
    assert all(found[name] for name in SECTIONS)
    assert found["Why"].startswith("> "), "quote the advice of the reference text"
    fields = [f.name for f in dataclasses.fields(rule.settings)]
    assert fields[0] == "enabled"
    assert list(setting_docs(found["Settings"])) == fields


def test_rule_ids_are_unique_slugs():
    ids = [rule.id for rule in RULES]
    assert len(set(ids)) == len(ids) == 13
    assert all(i == i.lower() and " " not in i for i in ids)


@pytest.mark.parametrize(("module", "settings"), [(stalled, StalledSettings), (plan, PlanSettings)])
def test_the_plan_and_stalled_settings_are_documented(module, settings):
    doc = sections(inspect.getdoc(module) or "")
    assert list(setting_docs(doc["Settings"])) == [f.name for f in dataclasses.fields(settings)]


def test_the_book_documents_the_plan_the_search_and_the_report():
    page = rulebook()
    for heading in (
        "## The plan: one message per person",
        "## The search: active or ended",
        "## The report",
    ):
        assert f"\n{heading}\n" in page
    assert '{"schema": 2,' in page
    # Every rule says what closes its items.
    for rule in RULES:
        assert "`" in sections(rule.doc)["Satisfied by"], rule.id


def test_the_page_shows_each_rule_and_its_defaults():
    page = rulebook()
    for rule in RULES:
        assert f"## `{rule.id}`\n" in page
    assert "| `resume_follow_up_days` | `7` |" in page
    assert "      job-fair: 14\n" in page


def test_docs_guide_rules_md_is_up_to_date():
    path = ROOT / "docs" / "guide" / "rules.md"
    assert path.read_text(encoding="utf-8") == rulebook(), (
        "regenerate it: python -m followup_gen.outputs.rulebook > docs/guide/rules.md"
    )
