"""Property tests of evaluate(): any valid CRM, any day, sound and repeatable output.

Random CRMs are built from the model directly (what validation produces), so
many shapes are tried fast: every kind on random days among a few contacts
and opportunities, with random flags and settings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_gen.load.settings import PlanSettings, Settings
from followup_gen.outputs.report import report_json
from followup_gen.records import (
    CRM,
    KINDS,
    RELATIONSHIPS,
    Contact,
    Interaction,
    Opportunity,
    Source,
)
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import FollowUp, status_on
from followup_gen.rules.kit import after, answered

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
START = dt.date(2026, 1, 1)
days = st.integers(min_value=0, max_value=120).map(lambda n: START + dt.timedelta(days=n))
contact_ids = st.sampled_from(["a", "b", "c", "d"])
opportunity_ids = st.sampled_from([None, "x", "y"])


@st.composite
def crms(draw) -> CRM:
    contacts = [
        Contact(
            id=cid,
            name=cid.upper(),
            relationship=draw(st.sampled_from(RELATIONSHIPS)),
            source=Source(f"contacts/{cid}.md"),
            title=draw(st.sampled_from([None, "CTO"])),
            address=draw(st.sampled_from([None, "1 Elm St"])),
            email=draw(st.sampled_from([None, "a@b.example"])),
            phone=draw(st.sampled_from([None, "555-0100"])),
            cadence=draw(st.sampled_from([None, 0, 1, 20])),
            cadence_off=draw(st.booleans()),
            do_not_contact=draw(st.booleans()),
            business_card=draw(st.booleans()),
            met=draw(st.one_of(st.none(), days)),
            first_check_in=draw(st.one_of(st.none(), days)),
        )
        for cid in ("a", "b", "c", "d")
    ]
    opportunities = [
        Opportunity(
            id=oid,
            company=oid.upper(),
            role="Engineer",
            source=Source(f"opportunities/{oid}.md"),
            contacts=tuple(draw(st.lists(contact_ids, max_size=2, unique=True))),
            expected_decision=draw(st.one_of(st.none(), days)),
            status=draw(st.sampled_from([None, None, "on-hold"])),
            referred_by=draw(st.one_of(st.none(), contact_ids)),
            offer_deadline=draw(st.one_of(st.none(), days)),
            references=tuple(draw(st.lists(contact_ids, max_size=1))),
        )
        for oid in ("x", "y")
    ]
    interactions = [
        Interaction(
            id=f"i{n}",
            date=draw(days),
            contacts=tuple(draw(st.lists(contact_ids, min_size=1, max_size=2, unique=True))),
            kind=draw(st.sampled_from(KINDS)),
            source=Source(f"interactions/i{n}.md"),
            time=draw(st.one_of(st.none(), st.times())),
            opportunity=draw(opportunity_ids),
            specifics=tuple(draw(st.lists(st.just("topic"), max_size=1))),
        )
        for n in range(draw(st.integers(min_value=0, max_value=14)))
    ]
    return CRM.of(contacts, opportunities, interactions)


@st.composite
def rule_settings(draw) -> Settings:
    base = Settings()
    rules = {}
    for rule_id, value in base.rules.items():
        changes = {"enabled": draw(st.booleans())}
        for f in dataclasses.fields(value):
            if f.type in ("int", int):
                changes[f.name] = draw(st.integers(min_value=0, max_value=30))
        rules[rule_id] = dataclasses.replace(value, **changes)
    plan = PlanSettings(min_gap_days=draw(st.integers(min_value=0, max_value=30)))
    return dataclasses.replace(base, rules=rules, plan=plan)


@BOUNDED
@given(crm=crms(), today=days, config=rule_settings())
def test_evaluate_is_sound_and_repeatable(crm, today, config):
    evaluation = evaluate(crm, today, config)
    assert evaluation == evaluate(crm, today, config)
    assert report_json(evaluation) == report_json(evaluate(crm, today, config))
    followups = evaluation.followups
    assert list(followups) == sorted(followups, key=FollowUp.sort_key)
    assert len({f.key for f in followups}) == len(followups)
    # The plan: never two open items for one person; the held ones wait behind one.
    people = [f.contact for f in followups if f.contact]
    assert len(people) == len(set(people))
    for f in evaluation.held:
        assert f.held_by and f.contact in people
    for f in followups:
        # A reminder may name no one yet; anyone named can be contacted, and only by
        # a channel their file supports.
        person = crm.contacts.get(f.contact)
        assert not f.contact or not person.do_not_contact
        for way in (f.channel, f.also_by):
            assert way != "email" or person.email
            assert way not in ("mail", "handwritten") or person.address
            assert way != "phone" or person.phone
        assert config.rule(f.rule).enabled
        assert f.due <= f.last
        assert f.status == status_on(today, f.due, f.last)
        assert f.reason.endswith(".") and "\n" not in f.reason
        assert f.channel and f.channel_why and f.closed_by
    for bridge in evaluation.bridges:
        assert not crm.contacts[bridge.contact].do_not_contact
    for stalled in evaluation.stalled:
        assert stalled.days_quiet == (today - stalled.last_activity).days


@st.composite
def crowded_days(draw) -> CRM:
    """Few contacts, many interactions on three days, with and without times:
    where "after" is subtle (same day, equal times, no time)."""
    few_days = st.integers(min_value=0, max_value=2).map(lambda n: START + dt.timedelta(days=n))
    few_times = st.sampled_from([None, dt.time(9), dt.time(14), dt.time(14, 30)])
    interactions = [
        Interaction(
            id=f"i{n}",
            date=draw(few_days),
            contacts=tuple(draw(st.lists(contact_ids, min_size=1, max_size=3))),
            kind=draw(st.sampled_from(["thank-you", "follow-up", "check-in", "help", "interview"])),
            source=Source(f"interactions/i{n:02d}.md"),
            time=draw(few_times),
        )
        for n in range(draw(st.integers(min_value=0, max_value=25)))
    ]
    contacts = [Contact(id=c, name=c, relationship="friend", source=Source(c)) for c in "abcd"]
    return CRM.of(contacts, (), interactions)


@BOUNDED
@given(crm=crowded_days(), kinds=st.lists(st.sampled_from(["thank-you", "follow-up", "check-in"])))
def test_answered_is_any_later_interaction_of_the_kinds(crm, kinds):
    # The definition, checked against every interaction: answered() may only
    # be faster than this.
    for cause in crm.interactions:
        for contact in "abcd":
            expected = any(
                contact in i.contacts and i.kind in kinds and after(i, cause)
                for i in crm.interactions
            )
            assert answered(crm, contact, cause, kinds) == expected, (contact, cause)
