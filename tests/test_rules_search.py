"""The search's lifecycle: an offer period, then an accepted that ends the search."""

from __future__ import annotations

from click.testing import CliRunner

from followup_gen.cli import main

from .rulecase import contact, held, interaction, items, only, opportunity, plan, run

# A search on the day after accepting an offer at Acme.
ENDED = {
    "contacts/mum.md": contact("Maria Rivera", "family", email="mum@example.com"),
    "contacts/ana.md": contact("Ana Lima", "friend", email="ana@example.com"),
    "contacts/jo.md": contact("Jo Park", email="jo@acme.example"),
    "contacts/kim.md": contact("Kim Lee", email="kim@zen.example"),
    "contacts/lu.md": contact("Lu Chen", email="lu@globex.example"),
    "contacts/rex.md": contact("Rex Ode", "recruiter", email="rex@example.com"),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo"]),
    "opportunities/zen.md": opportunity("Zen", "Analyst", contacts=["kim"]),
    "opportunities/globex.md": opportunity(
        "Globex", "Engineer", contacts=["lu"], expected_decision="2026-10-20"
    ),
    "interactions/1.md": interaction("2026-09-01", "mum", "check-in"),
    "interactions/2.md": interaction("2026-10-01", "ana", "referral", opportunity="acme"),
    "interactions/3.md": interaction("2026-10-02", "ana", "thank-you"),
    "interactions/4.md": interaction("2026-10-05", "kim", "rejection", opportunity="zen"),
    "interactions/5.md": interaction("2026-10-06", "kim", "thank-you", opportunity="zen"),
    "interactions/6.md": interaction(
        "2026-10-10", "lu", "interview", opportunity="globex", specifics=["x"]
    ),
    "interactions/7.md": interaction("2026-10-11", "lu", "thank-you", opportunity="globex"),
    "interactions/8.md": interaction("2026-11-01", "jo", "application", opportunity="acme"),
    "interactions/9.md": interaction("2026-11-02", "rex", "meeting"),
    "interactions/10.md": interaction("2026-11-03", "rex", "thank-you"),
    "interactions/11.md": interaction("2026-11-10", "jo", "accepted", opportunity="acme"),
}


def test_accepting_an_offer_ends_the_search(make_crm):
    evaluation = run(make_crm, ENDED, "2026-11-11")
    search = evaluation.search
    assert (search.state, str(search.ended)) == ("ended", "2026-11-10")
    # No stalled deals, no "book interviews".
    assert evaluation.stalled == ()
    assert evaluation.pipeline.healthy
    assert "ended" in evaluation.pipeline.message
    assert plan(evaluation) == [
        ("mum", "keep-in-touch", ()),
        ("kim", "bridge-check-in", ()),
        # One letter for a helper: the close-the-loop is this cycle's check-in.
        ("ana", "close-the-loop", ("keep-in-touch",)),
        # The recruiter whose call was help (thank-helper) hears the news once.
        ("rex", "close-the-loop", ()),
        ("lu", "withdraw", ()),
    ]
    # The family hears news, not "I am looking for my next role".
    mum = only(evaluation, "keep-in-touch")[0]
    assert mum.letter == "news" and "share your news" in mum.reason
    assert "accepted the Data Engineer role at Acme" in mum.what_to_say
    # The company that rejected you is not asked for introductions any more.
    kim = only(evaluation, "bridge-check-in")[0]
    assert kim.letter == "news"
    assert "introduc" not in kim.what_to_say and "network" not in kim.what_to_say
    # The other open process gets a courteous withdrawal, closed by logging it.
    lu = only(evaluation, "withdraw")[0]
    assert lu.closed_by == ("withdrew",)
    assert lu.reason == (
        "You accepted the Data Engineer role at Acme on 2026-11-10: withdraw from Engineer "
        "at Globex with thanks: tell Lu Chen."
    )
    # The recruiter gets no more check-ins: the news, then nothing.
    assert [f.rule for f in (*evaluation.followups, *evaluation.held) if f.contact == "rex"] == [
        "close-the-loop"
    ]
    files = {**ENDED, "interactions/12.md": interaction("2026-11-11", "rex", "thank-you")}
    later = run(make_crm, files, "2027-03-01")
    assert [f.rule for f in (*later.followups, *later.held) if f.contact == "rex"] == []


def test_the_withdraw_note_thanks_for_an_interview_not_yet_thanked(make_crm):
    files = {
        **ENDED,
        "interactions/13.md": interaction("2026-11-09", "lu", "interview", opportunity="globex"),
    }
    evaluation = run(make_crm, files, "2026-11-11")
    assert [(f.rule, f.merged) for f in evaluation.followups if f.contact == "lu"] == [
        ("withdraw", ("interview-thank-you", "business-card"))
    ]
    files["interactions/12.md"] = interaction("2026-11-11", "lu", "withdrew", opportunity="globex")
    later = run(make_crm, files, "2026-11-12").followups
    assert [(f.rule, f.status) for f in later if f.contact == "lu"] == [
        ("bridge-check-in", "upcoming")
    ]


def test_logging_withdrew_closes_the_note_and_makes_a_bridge(make_crm):
    files = {
        **ENDED,
        "interactions/12.md": interaction("2026-11-11", "lu", "withdrew", opportunity="globex"),
    }
    evaluation = run(make_crm, files, "2026-11-12")
    assert items(evaluation, "withdraw") == []
    assert [b.contact for b in evaluation.bridges] == ["kim", "lu"]
    assert [str(b.next_check_in) for b in evaluation.bridges if b.contact == "lu"] == ["2026-12-09"]


def test_a_new_application_starts_the_next_search(make_crm):
    files = {
        **ENDED,
        "contacts/ty.md": contact("Ty Fox", email="ty@initech.example"),
        "opportunities/initech.md": opportunity("Initech", "Lead", contacts=["ty"]),
        "interactions/12.md": interaction("2027-06-01", "ty", "application", opportunity="initech"),
    }
    evaluation = run(make_crm, files, "2027-06-02")
    assert evaluation.search.state == "active"
    # The old search's processes are not this search's stalled deals.
    assert evaluation.stalled == ()
    mum = only(evaluation, "keep-in-touch")[0]
    assert mum.letter == ""


def test_due_says_the_search_ended_and_lists_no_stalled_deal(make_crm):
    result = CliRunner().invoke(
        main, ["due", "--root", str(make_crm(ENDED)), "--today", "2026-11-11"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Your search ended on 2026-11-10: you accepted an offer (Data Engineer at Acme). "
        "Congratulations!"
    )
    assert "Stalled" not in result.stdout and "book" not in result.stdout


OFFER = {
    "contacts/jo.md": contact("Jo Park", email="jo@acme.example"),
    "contacts/lu.md": contact("Lu Chen", email="lu@globex.example"),
    "opportunities/acme.md": opportunity(
        "Acme", "Data Engineer", contacts=["jo"], offer_deadline="2026-11-20"
    ),
    "opportunities/globex.md": opportunity("Globex", "Engineer", contacts=["lu"]),
    "interactions/1.md": interaction(
        "2026-11-02", "lu", "interview", opportunity="globex", specifics=["x"]
    ),
    "interactions/2.md": interaction("2026-11-03", "lu", "thank-you", opportunity="globex"),
    "interactions/3.md": interaction("2026-11-10", "jo", "offer", opportunity="acme"),
}


def test_an_offer_tells_the_other_interviews_and_reminds_you_of_the_deadline(make_crm):
    evaluation = run(make_crm, OFFER, "2026-11-11")
    [note] = only(evaluation, "offer-period")[:1]
    assert (note.contact, str(note.due), str(note.last), note.status) == (
        "lu",
        "2026-11-11",
        "2026-11-17",
        "due",
    )
    assert note.reason == (
        "You have an offer (2026-11-10, to answer by 2026-11-20): tell Lu Chen of Engineer at "
        "Globex, without pressure."
    )
    reminder = [f for f in evaluation.followups if f.rule == "offer-period" and not f.contact]
    assert [(r.contact_name, str(r.due), str(r.last)) for r in reminder] == [
        ("You: your answer to Acme", "2026-11-17", "2026-11-20")
    ]
    # Telling them closes it; accepting ends the period.
    told = {**OFFER, "interactions/4.md": interaction("2026-11-11", "lu", "follow-up")}
    assert [f.contact for f in only(run(make_crm, told, "2026-11-12"), "offer-period")] == [""]
    done = {
        **told,
        "interactions/5.md": interaction("2026-11-15", "jo", "accepted", opportunity="acme"),
    }
    assert only(run(make_crm, done, "2026-11-16"), "offer-period") == []
    assert held(run(make_crm, done, "2026-11-16")) == []
