"""The thank-you rules: thank-helper, interview-thank-you, rejection-follow-up, close-the-loop."""

from __future__ import annotations

import pytest

from .rulecase import contact, interaction, items, only, opportunity, run

ANA = contact("Ana Lima", "friend", address='"1 Elm St, Springfield"')
HELP = interaction("2026-11-10", "ana", "help")


@pytest.mark.parametrize(
    ("today", "status"),
    [("2026-11-10", "upcoming"), ("2026-11-11", "due"), ("2026-11-12", "overdue")],
)
def test_thank_helper_is_due_the_next_day_and_overdue_the_day_after(make_crm, today, status):
    files = {"contacts/ana.md": ANA, "interactions/help.md": HELP}
    assert items(run(make_crm, files, today), "thank-helper") == [
        ("ana", "2026-11-11", "2026-11-11", status)
    ]


@pytest.mark.parametrize("kind", ["help", "referral", "introduction", "informational-interview"])
def test_thank_helper_triggers_on_each_kind_of_help(make_crm, kind):
    files = {"contacts/ana.md": ANA, "interactions/x.md": interaction("2026-11-10", "ana", kind)}
    evaluation = run(make_crm, files, "2026-11-11")
    assert items(evaluation, "thank-helper") == [("ana", "2026-11-11", "2026-11-11", "due")]
    assert only(evaluation, "thank-helper")[0].cause.path == "interactions/x.md"


@pytest.mark.parametrize("kind", ["meeting", "reply", "check-in", "application"])
def test_thank_helper_ignores_other_kinds(make_crm, kind):
    files = {"contacts/ana.md": ANA, "interactions/x.md": interaction("2026-11-10", "ana", kind)}
    assert items(run(make_crm, files, "2026-11-11"), "thank-helper") == []


def test_thank_helper_is_satisfied_by_a_later_thank_you_only(make_crm):
    before = interaction("2026-11-09", "ana", "thank-you")
    same_day = interaction("2026-11-10", "ana", "thank-you")
    files = {"contacts/ana.md": ANA, "interactions/help.md": HELP}
    assert items(
        run(make_crm, {**files, "interactions/t.md": before}, "2026-11-12"), "thank-helper"
    )
    assert not items(
        run(make_crm, {**files, "interactions/t.md": same_day}, "2026-11-12"), "thank-helper"
    )


def test_a_thank_you_earlier_the_same_day_does_not_count_when_times_say_so(make_crm):
    files = {
        "contacts/ana.md": ANA,
        "interactions/help.md": interaction('"2026-11-10 15:00"', "ana", "help"),
        "interactions/t.md": interaction('"2026-11-10 09:00"', "ana", "thank-you"),
    }
    assert items(run(make_crm, files, "2026-11-11"), "thank-helper") == [
        ("ana", "2026-11-11", "2026-11-11", "due")
    ]


def test_thanks_ignore_the_nuisance_gap(make_crm):
    files = {
        "contacts/ana.md": ANA,
        "interactions/c.md": interaction("2026-11-09", "ana", "check-in"),
        "interactions/help.md": HELP,
    }
    assert items(run(make_crm, files, "2026-11-11"), "thank-helper") == [
        ("ana", "2026-11-11", "2026-11-11", "due")
    ]


def test_do_not_contact_gets_no_thanks(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend", do_not_contact=True),
        "interactions/help.md": HELP,
    }
    assert run(make_crm, files, "2026-11-11").followups == ()


def test_thank_you_channel_follows_address_and_handwriting(make_crm):
    files = {
        "contacts/ana.md": ANA,
        "contacts/bo.md": contact("Bo Chen", "friend"),
        "interactions/help.md": interaction("2026-11-10", ["ana", "bo"], "help"),
    }
    [ana, bo] = only(run(make_crm, files, "2026-11-11"), "thank-helper")
    assert (ana.channel, bo.channel) == ("mail", "other")
    assert bo.channel_why == (
        "No way to reach them is on file: add an email or postal address to contacts/bo.md."
    )
    files["followup.yml"] = "legible_handwriting: true\n"
    [ana, bo] = only(run(make_crm, files, "2026-11-11"), "thank-helper")
    assert (ana.channel, bo.channel) == ("handwritten", "other")


INTERVIEW_FILES = {
    "contacts/jo.md": contact("Jo Park", title="CTO", address='"2 Oak Rd"'),
    "contacts/max.md": contact("Max Roy", title="Lead", address='"3 Pine Rd"'),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo", "max"]),
    "interactions/iv.md": interaction(
        "2026-11-10", ["jo", "max"], "interview", opportunity="acme", specifics=["dbt", "on-call"]
    ),
}


def test_interview_thank_you_for_each_interviewer_with_talking_points(make_crm):
    evaluation = run(make_crm, INTERVIEW_FILES, "2026-11-12")
    assert items(evaluation, "interview-thank-you") == [
        ("jo", "2026-11-11", "2026-11-11", "overdue"),
        ("max", "2026-11-11", "2026-11-11", "overdue"),
    ]
    first = only(evaluation, "interview-thank-you")[0]
    assert first.talking_points == ("dbt", "on-call")
    assert first.opportunity == "acme"
    assert first.reason == (
        "Thank Jo Park for the interview on 2026-11-10 for Data Engineer at Acme. Ask for their "
        "business card in the same note, or confirm the spelling of their name, their title and "
        "address before you mail it."
    )
    assert first.merged == ("business-card",)
    assert first.closed_by == ("thank-you",)
    assert evaluation.problems == ()


def test_interview_thank_you_is_satisfied_per_interviewer(make_crm):
    files = {**INTERVIEW_FILES, "interactions/ty.md": interaction("2026-11-11", "jo", "thank-you")}
    assert items(run(make_crm, files, "2026-11-11"), "interview-thank-you") == [
        ("max", "2026-11-11", "2026-11-11", "due")
    ]


def test_interview_without_specifics_warns_while_the_thank_you_is_open(make_crm):
    files = {
        **INTERVIEW_FILES,
        "interactions/iv.md": interaction("2026-11-10", ["jo", "max"], "interview"),
    }
    [problem] = run(make_crm, files, "2026-11-11").problems
    assert problem.format() == (
        "interactions/iv.md:4: warning: this interview has no 'specifics' and its thank-you "
        "letter is still open: list what was discussed while it is fresh [no-specifics]"
    )
    files["interactions/ty.md"] = interaction("2026-11-11", ["jo", "max"], "thank-you")
    assert run(make_crm, files, "2026-11-11").problems == ()


REJECTED = {
    "contacts/jo.md": contact("Jo Park"),
    "contacts/hr.md": contact("Hal Ross"),
    "contacts/sam.md": contact("Sam Ode"),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo", "sam"]),
    "interactions/no.md": interaction("2026-11-10", "hr", "rejection", opportunity="acme"),
}


def test_rejection_follow_up_to_the_opportunity_and_rejection_contacts(make_crm):
    evaluation = run(make_crm, REJECTED, "2026-11-11")
    assert items(evaluation, "rejection-follow-up") == [
        ("hr", "2026-11-11", "2026-11-11", "due"),
        ("jo", "2026-11-11", "2026-11-11", "due"),
        ("sam", "2026-11-11", "2026-11-11", "due"),
    ]
    assert (
        "ask for suggestions to improve" in only(evaluation, "rejection-follow-up")[0].what_to_say
    )


def test_rejection_follow_up_is_satisfied_by_a_thank_you_or_follow_up_after_it(make_crm):
    files = {
        **REJECTED,
        "interactions/a.md": interaction("2026-11-09", "hr", "thank-you"),
        "interactions/b.md": interaction("2026-11-11", "jo", "follow-up"),
        "interactions/c.md": interaction("2026-11-12", "sam", "thank-you"),
        "contacts/sam.md": contact("Sam Ode", do_not_contact=True),
    }
    assert items(run(make_crm, files, "2026-11-12"), "rejection-follow-up") == [
        ("hr", "2026-11-11", "2026-11-11", "overdue")
    ]


ACCEPTED = {
    "contacts/ana.md": ANA,
    "contacts/bo.md": contact("Bo Chen", "friend"),
    "contacts/cy.md": contact("Cy Dee", "past-coworker"),
    "contacts/jo.md": contact("Jo Park"),
    "opportunities/acme.md": opportunity(
        "Acme", "Data Engineer", contacts=["jo"], referred_by="cy"
    ),
    "interactions/1.md": interaction("2026-10-01", "ana", "introduction"),
    "interactions/2.md": interaction("2026-10-02", "ana", "thank-you"),
    "interactions/3.md": interaction("2026-10-03", "bo", "meeting"),
    "interactions/4.md": interaction("2026-11-10", "jo", "accepted", opportunity="acme"),
}


def test_close_the_loop_thanks_every_helper_when_you_accept(make_crm):
    evaluation = run(make_crm, ACCEPTED, "2026-11-10")
    assert items(evaluation, "close-the-loop") == [
        ("ana", "2026-11-11", "2026-11-11", "upcoming"),
        ("cy", "2026-11-11", "2026-11-11", "upcoming"),
    ]
    assert only(evaluation, "close-the-loop")[0].reason == (
        "You accepted Data Engineer at Acme on 2026-11-10: thank Ana Lima for their help and "
        "tell them the news. It is this cycle's keep-in-touch message too."
    )


def test_close_the_loop_thanks_the_recruiter_whose_calls_thank_helper_counted_as_help(make_crm):
    # thank-helper thanked Rae after each call; the news used to skip her.
    files = {
        **ACCEPTED,
        "contacts/rae.md": contact("Rae Lin", "recruiter"),
        "interactions/r.md": interaction("2026-10-20", "rae", "meeting", opportunity="acme"),
        "interactions/rt.md": interaction("2026-10-21", "rae", "thank-you"),
    }
    evaluation = run(make_crm, files, "2026-11-10")
    assert [f.contact for f in only(evaluation, "close-the-loop")] == ["ana", "cy", "rae"]
    # Bo, a friend met for coffee, is not a helper: his meeting is not help.
    assert "bo" not in [f.contact for f in evaluation.followups if f.rule == "close-the-loop"]


def test_close_the_loop_is_satisfied_by_a_message_after_the_acceptance(make_crm):
    files = {**ACCEPTED, "interactions/5.md": interaction("2026-11-11", "cy", "check-in")}
    assert items(run(make_crm, files, "2026-11-12"), "close-the-loop") == [
        ("ana", "2026-11-11", "2026-11-11", "overdue")
    ]


def test_close_the_loop_counts_only_the_latest_search(make_crm):
    files = {
        **ACCEPTED,
        "contacts/dee.md": contact("Dee Fox", "friend"),
        "interactions/4.md": interaction("2026-10-15", "jo", "accepted", opportunity="acme"),
        "interactions/5.md": interaction("2026-11-01", "dee", "referral"),
        "interactions/6.md": interaction("2026-11-10", "jo", "accepted", opportunity="acme"),
    }
    # Ana's introduction was for the earlier search; Cy referred you to Acme.
    # Dee was never thanked for the referral: one letter thanks her and tells the news.
    evaluation = run(make_crm, files, "2026-11-11")
    assert items(evaluation, "close-the-loop") == [
        ("dee", "2026-11-02", "2026-11-11", "due"),
        ("cy", "2026-11-11", "2026-11-11", "due"),
    ]
    assert [(f.merged, f.closed_by) for f in only(evaluation, "close-the-loop")] == [
        (("thank-helper", "keep-in-touch"), ("thank-you",)),  # what closes both
        (("keep-in-touch",), ("thank-you", "check-in", "follow-up")),
    ]


PANEL = {
    "contacts/jane-doe.md": contact("Jane Doe", title="VP", address='"1 Elm St"'),
    "contacts/sam-lee.md": contact("Sam Lee", title="Lead", address='"2 Oak Rd"'),
    "contacts/ola.md": contact("Ola Berg", title="CTO", address='"3 Pine Rd"'),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer"),
    "interactions/panel.md": """
        ---
        date: 2026-11-19
        kind: interview
        contacts: [jane-doe, sam-lee, ola]
        opportunity: acme
        specifics:
          - the platform roadmap
          - jane-doe: on-call load once the platform streams
          - sam-lee: late events and exactly-once delivery
        ---
    """,
}


def test_each_panel_member_gets_the_shared_points_and_their_own(make_crm):
    # All three used to get the same points, Jane's worry about herself included.
    evaluation = run(make_crm, PANEL, "2026-11-20")
    points = {f.contact: f.talking_points for f in only(evaluation, "interview-thank-you")}
    assert points == {
        "jane-doe": ("the platform roadmap", "on-call load once the platform streams"),
        "sam-lee": ("the platform roadmap", "late events and exactly-once delivery"),
        "ola": ("the platform roadmap",),
    }


def test_a_specific_for_someone_not_at_the_interview_is_an_error_at_its_line(make_crm):
    from click.testing import CliRunner

    from followup_gen.cli import main

    files = dict(PANEL)
    files["interactions/panel.md"] = PANEL["interactions/panel.md"].replace("sam-lee:", "sma-lee:")
    result = CliRunner().invoke(main, ["check", "--root", str(make_crm(files))])
    assert result.exit_code == 1
    assert result.stdout == (
        "interactions/panel.md:9: error: 'specifics' item 'sma-lee: late events and exactly-once "
        "delivery' names 'sma-lee', who is not among this interaction's contacts (did you mean "
        "'sam-lee'?) (contacts: jane-doe, sam-lee, ola); name one of them, or quote the item to "
        "keep it as text for everyone [specifics-contact]\n"
    )


def test_a_specific_may_name_its_person_by_the_start_of_the_id_or_the_first_name(make_crm):
    # "Sam: ..." written by hand used to be an error that dropped the whole
    # interview, and with it every thank-you it asks for.
    files = dict(PANEL)
    files["interactions/panel.md"] = (
        PANEL["interactions/panel.md"].replace("sam-lee:", "Sam:").replace("jane-doe:", "jane:")
    )
    evaluation = run(make_crm, files, "2026-11-20")
    points = {f.contact: f.talking_points for f in only(evaluation, "interview-thank-you")}
    assert points == {
        "jane-doe": ("the platform roadmap", "on-call load once the platform streams"),
        "sam-lee": ("the platform roadmap", "late events and exactly-once delivery"),
        "ola": ("the platform roadmap",),
    }


def test_a_specific_whose_name_fits_two_people_present_is_an_error(make_crm):
    from click.testing import CliRunner

    from followup_gen.cli import main

    files = {**PANEL, "contacts/sam-lu.md": contact("Sam Lu", title="Eng")}
    files["interactions/panel.md"] = (
        PANEL["interactions/panel.md"]
        .replace("[jane-doe, sam-lee, ola]", "[jane-doe, sam-lee, sam-lu, ola]")
        .replace("sam-lee:", "sam:")
    )
    result = CliRunner().invoke(main, ["check", "--root", str(make_crm(files))])
    assert result.exit_code == 1
    assert result.stdout == (
        "interactions/panel.md:9: error: 'specifics' item 'sam: late events and exactly-once "
        "delivery' names 'sam', the start of several of this interaction's contacts (sam-lee, "
        "sam-lu); write the whole id, or quote the item to keep it as text for everyone "
        "[specifics-contact]\n"
    )


def test_two_interviews_with_one_person_on_one_day_give_one_item(make_crm):
    files = {
        **PANEL,
        "interactions/second.md": interaction(
            "2026-11-19", "jane-doe", "interview", opportunity="acme", specifics=["the team"]
        ),
    }
    evaluation = run(make_crm, files, "2026-11-20")
    [jane] = [f for f in only(evaluation, "interview-thank-you") if f.contact == "jane-doe"]
    assert jane.talking_points == (
        "the platform roadmap",
        "on-call load once the platform streams",
        "the team",
    )
    assert jane.reason.startswith(
        "Thank Jane Doe for the interviews on 2026-11-19 for Data Engineer at Acme."
    )


def test_no_specifics_warning_before_the_interview_day(make_crm):
    files = {
        "contacts/jo.md": contact("Jo Park", title="CTO", address='"2 Oak Rd"'),
        "interactions/iv.md": interaction("2026-11-25", "jo", "interview"),
    }
    assert run(make_crm, files, "2026-11-20").problems == ()
    assert [p.code for p in run(make_crm, files, "2026-11-25").problems] == ["no-specifics"]


@pytest.mark.parametrize(
    ("channel", "did"), [("phone", "took your call"), ("in-person", "met with you")]
)
def test_a_recruiter_is_thanked_for_the_call_or_the_meeting_it_was(make_crm, channel, did):
    files = {
        "contacts/rae.md": contact("Rae Lin", "recruiter"),
        "interactions/m.md": interaction("2026-11-02", "rae", "meeting", channel=channel),
    }
    [item] = only(run(make_crm, files, "2026-11-03"), "thank-helper")
    assert item.reason == f"Thank Rae Lin, who {did} on 2026-11-02."
