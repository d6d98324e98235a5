"""Drafts: every rule's letter from a small CRM, its content rules, its escaping,
its site pages and the ``draft`` command."""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from dataclasses import replace

import markdown
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from followup_gen.cli import main
from followup_gen.cli.drafts import draft_command
from followup_gen.load import load_crm
from followup_gen.load.profile import load_profile
from followup_gen.outputs.drafts import (
    LETTER_RULES,
    DraftError,
    context,
    draft,
    letter_pages,
    letter_path,
    md_text,
)
from followup_gen.records import Source
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import FollowUp

from .conftest import ROOT

TODAY = dt.date(2026, 11, 26)
# A name that Markdown and HTML would both mangle if it were not escaped.
NAME = "Siobhán O'Connor-Ng"

FILES = {
    "profile.md": """
        ---
        name: Alex Rivera
        address: |
          4127 Meridian Avenue N
          Seattle, WA 98103
        email: alex@example.com
        phone: "+1 206-555-0142"
        accomplishments:
          - Mentored four engineers.
          - text: Cut the nightly batch from 6 hours to 90 minutes.
            tags: [batch]
          - text: Built a Kafka pipeline for 40 million events a day.
            tags: [streaming]
        ---
    """,
    "contacts/siobhan.md": f"""
        ---
        name: {NAME}
        relationship: hiring
        company: Lumenfield
        title: Engineering Manager, Data Platform
        email: siobhan@lumenfield.example.com
        address: |
          1100 Dexter Ave N
          Seattle, WA 98109
        ---
    """,
    "contacts/sam.md": """
        ---
        name: Sam Okafor
        relationship: friend
        company: Harborline
        title: Data Analyst
        email: sam@example.org
        cadence: 30d
        ---
    """,
    "opportunities/lumenfield.md": """
        ---
        company: Lumenfield
        role: Senior Data Engineer
        contacts: [siobhan]
        tags: [streaming]
        ---
    """,
    "interactions/2026-11-02-application.md": """
        ---
        date: 2026-11-02
        contacts: siobhan
        kind: application
        opportunity: lumenfield
        ---
    """,
    "interactions/2026-11-25-interview.md": """
        ---
        date: 2026-11-25
        contacts: siobhan
        kind: interview
        opportunity: lumenfield
        specifics:
          - Late-arriving events with exactly-once sinks
          - On-call load as the platform moves to streaming
        ---
    """,
    "contacts/pat.md": """
        ---
        name: Pat Lee
        relationship: friend
        cadence: none
        ---
    """,
    "contacts/dev.md": """
        ---
        name: Dev Patel
        relationship: hiring
        company: Lumenfield
        ---
    """,
    "interactions/2026-11-24-screen.md": """
        ---
        date: 2026-11-24
        contacts: [siobhan, dev]
        kind: interview
        opportunity: lumenfield
        ---
    """,
    "interactions/2026-11-25-help.md": """
        ---
        date: 2026-11-25
        contacts: sam
        kind: help
        specifics: [reviewing my CV line by line]
        ---
    """,
}

CAUSES = {
    "thank-helper": ("sam", None, "interactions/2026-11-25-help.md"),
    "interview-thank-you": ("siobhan", "lumenfield", "interactions/2026-11-25-interview.md"),
    "rejection-follow-up": ("siobhan", "lumenfield", "interactions/2026-11-25-interview.md"),
    "resume-follow-up": ("siobhan", "lumenfield", "interactions/2026-11-02-application.md"),
    "stalled-note": ("siobhan", "lumenfield", "interactions/2026-11-25-interview.md"),
    "bridge-check-in": ("siobhan", "lumenfield", "interactions/2026-11-25-interview.md"),
    "close-the-loop": ("sam", "lumenfield", "interactions/2026-11-25-help.md"),
    "keep-in-touch": ("sam", None, "contacts/sam.md"),
    "new-contact": ("siobhan", None, "interactions/2026-11-24-screen.md"),
    "withdraw": ("siobhan", "lumenfield", "interactions/2026-11-02-application.md"),
    "offer-period": ("siobhan", "lumenfield", "interactions/2026-11-25-interview.md"),
    "reference": ("sam", "lumenfield", "interactions/2026-11-25-interview.md"),
}
CHANNELS = ("mail", "handwritten", "email", "phone")


def item(rule: str, channel: str = "mail", **changes) -> FollowUp:
    """A hand-built open item, as a rule would make it."""
    contact, opportunity, cause = CAUSES[rule]
    built = FollowUp(
        rule=rule,
        contact=contact,
        opportunity=opportunity,
        due=TODAY,
        last=TODAY,
        status="due",
        channel=channel,
        channel_why="",
        reason="",
        cause=Source(cause),
    )
    return replace(built, **changes)


@pytest.fixture
def crm(make_crm):
    root = make_crm(FILES)
    loaded = load_crm(root)
    assert loaded.problems == ()
    profile, problems = load_profile(root)
    assert problems == ()
    return loaded, profile


def words(text: str) -> int:
    return len(text.split())


# --- every rule, every channel ------------------------------------------------


@pytest.mark.parametrize("rule", LETTER_RULES)
@pytest.mark.parametrize("channel", CHANNELS)
def test_every_letter_names_the_recipient_as_in_their_file(crm, rule, channel):
    loaded, profile = crm
    text = draft(loaded, profile, item(rule, channel), TODAY)
    contact = loaded.crm.contacts[CAUSES[rule][0]]
    friend = contact.relationship == "friend"
    greeting = contact.name.split()[0] if friend else contact.name
    assert "{{" not in text and "{%" not in text
    assert "\n\n\n" not in text and text.endswith("\n") and not text.startswith("\n")
    if channel == "phone":  # a call script: who to call, then three lines
        assert text.startswith(f"Call {contact.name}: ")
        assert [line.split(":")[0] for line in text.splitlines()[2::2]] == [
            "Open with", "Share", "Ask"
        ]  # fmt: skip
        return
    hello = "Dear" if channel == "mail" or not friend else "Hi"
    assert f"\n{hello} {greeting},\n" in text
    # Friends get your first name; everyone else your full name.
    assert text.endswith("\nAlex\n" if friend else "\nAlex Rivera\n") or "Alex Rivera\n" in text
    if channel in ("mail", "handwritten"):
        head = text.split(f"{hello} {greeting},")[0]
        assert "November 26, 2026" in head
        assert f"{contact.name}\n{contact.title}\n{contact.company}\n" in head
    else:
        assert "November 26, 2026" not in text
    if channel == "email":
        assert re.match(rf"To: {re.escape(contact.email)}\nSubject: \S.*\n\n", text)
    else:
        assert "Subject:" not in text


@pytest.mark.parametrize("rule", LETTER_RULES)
def test_a_typed_letter_is_a_proper_letter_and_a_note_is_short(crm, rule):
    loaded, profile = crm
    letter = draft(loaded, profile, item(rule, "mail"), TODAY)
    note = draft(loaded, profile, item(rule, "handwritten"), TODAY)
    # The letterhead: your name, address and how to reach you, then the date.
    assert letter.startswith(
        "Alex Rivera\n4127 Meridian Avenue N\nSeattle, WA 98103\n"
        "alex@example.com · +1 206-555-0142\n\nNovember 26, 2026\n\n"
    )
    friend = loaded.crm.contacts[CAUSES[rule][0]].relationship == "friend"
    assert letter.rstrip().endswith("Talk soon,\nAlex" if friend else "Sincerely,\nAlex Rivera")
    assert not note.startswith("Alex Rivera")
    body = note.split(",\n\n", 1)[1]
    assert words(body) <= 70, body
    assert words(note) < words(letter)


def test_mail_letter_in_full(crm):
    loaded, profile = crm
    assert draft(loaded, profile, item("interview-thank-you"), TODAY) == textwrap.dedent(
        f"""\
        Alex Rivera
        4127 Meridian Avenue N
        Seattle, WA 98103
        alex@example.com · +1 206-555-0142

        November 26, 2026

        {NAME}
        Engineering Manager, Data Platform
        Lumenfield
        1100 Dexter Ave N
        Seattle, WA 98109

        Dear {NAME},

        Thank you for meeting with me yesterday about the Senior Data Engineer position at Lumenfield. The conversation left me even more interested in joining the team.

        I especially enjoyed our conversation about late-arriving events with exactly-once sinks and about on-call load as the platform moves to streaming. The first of those is close to work I am proud of: I built a Kafka pipeline for 40 million events a day.

        I also mentored four engineers. I would bring the same care for results to Lumenfield, and I am very interested in the role.

        Thank you again for your time and consideration.

        Sincerely,
        Alex Rivera
        """
    )


# --- the content rules -------------------------------------------------------------

ASKS_WHY = re.compile(r"\bwhy\b|\breasons?\b|went wrong|not (?:selected|hired) because", re.I)
ASKS_STATUS = re.compile(
    r"\bstatus\b|\bupdates?\b|\bnews\b|hear(?:d)? back|\bdecision\b|\btimeline\b"
    r"|where (?:things|it|my application) stands?|still (?:being )?considered",
    re.I,
)


def test_the_content_checks_catch_what_they_forbid():
    assert ASKS_WHY.search("Could you tell me why I was not selected?")
    assert ASKS_WHY.search("What was the reason for the decision?")
    assert ASKS_STATUS.search("Is there any update on my application?")
    assert ASKS_STATUS.search("I wanted to check the status of my application.")
    assert ASKS_STATUS.search("I would love to hear back about where things stand.")
    assert not ASKS_WHY.search("Any suggestions on how I might improve my interviewing.")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("with_profile", [True, False])
def test_a_rejection_follow_up_never_asks_why(crm, channel, with_profile):
    loaded, profile = crm
    text = draft(
        loaded, profile if with_profile else None, item("rejection-follow-up", channel), TODAY
    )
    assert not ASKS_WHY.search(text), text
    assert (
        "Thank you for your time" if channel != "phone" else "thank you for considering"
    ) in text
    assert "future positions" in text
    assert "suggestions on how I" in text and "improve my interviewing" in text


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_resume_follow_up_offers_news_for_them_never_asks_for_a_status(crm, channel):
    loaded, profile = crm
    text = draft(loaded, profile, item("resume-follow-up", channel), TODAY)
    assert not ASKS_STATUS.search(text), text
    slot = "[NEW INFORMATION THAT BENEFITS THEM: a recent result, a certification, an idea for their team]"
    if channel == "phone":
        assert f"\n\nShare: {slot}\n\n" in text
    else:
        assert f"\n\n{slot}\n\n" in text + "\n"
    assert "applied for the Senior Data Engineer" in text
    said = "November 2, 2026, and I have" if channel == "phone" else "November 2, 2026, I have"
    assert said in text


def test_an_interview_without_specifics_says_so_where_they_would_go(crm):
    loaded, profile = crm
    bare = item("interview-thank-you", cause=Source("interactions/2026-11-24-screen.md"))
    text = draft(loaded, profile, bare, TODAY)
    slot = (
        "[NO SPECIFICS RECORDED for this interview: write here what you discussed "
        "(and add it under 'specifics:' in interactions/2026-11-24-screen.md)]"
    )
    assert slot in text
    assert text.index("about the Senior Data Engineer position") < text.index(slot)
    assert text.index(slot) < text.index("I would bring the same care")
    assert "I especially enjoyed" not in text
    note = draft(loaded, profile, replace(bare, channel="handwritten"), TODAY)
    assert "position. [NO SPECIFICS RECORDED for this interview" in note


def test_specifics_are_the_talking_points(crm):
    loaded, profile = crm
    for channel in ("mail", "email"):
        text = draft(loaded, profile, item("interview-thank-you", channel), TODAY)
        assert "our conversation about late-arriving events with exactly-once sinks and " in text
        assert "about on-call load as the platform moves to streaming." in text
        assert "\n- " not in text
    thanks = draft(loaded, profile, item("thank-helper", "email"), TODAY)
    assert "I especially appreciated reviewing my CV line by line." in thanks


def test_accomplishments_matching_the_tags_come_first(crm):
    loaded, profile = crm
    # The opportunity is tagged streaming: the Kafka pipeline leads, the next in file order.
    text = draft(loaded, profile, item("interview-thank-you"), TODAY)
    assert "I built a Kafka pipeline" in text and "I also mentored four engineers." in text
    assert "nightly batch" not in text
    # Without tags in common, the profile's order (unless a talking point matches one).
    untagged = replace(
        item("interview-thank-you"),
        opportunity=None,
        cause=Source("interactions/2026-11-24-screen.md"),
    )
    text = draft(loaded, profile, untagged, TODAY)
    assert "I mentored four engineers." in text and "Kafka" not in text


def test_without_a_profile_the_gaps_are_marked(crm):
    loaded, _ = crm
    letter = draft(loaded, None, item("interview-thank-you"), TODAY)
    # Only your name is needed; an address, email or phone you have not given is left out.
    assert letter.startswith("[YOUR NAME]\n\nNovember 26, 2026\n")
    assert (
        "[ONE ACCOMPLISHMENT that shows what you would bring: add yours under "
        "'accomplishments:' in profile.md]" in letter
    )
    assert letter.rstrip().endswith("Sincerely,\n[YOUR NAME]")
    email = draft(loaded, None, item("thank-helper", "email"), TODAY)
    assert email.rstrip().endswith("Talk soon,\n[YOUR NAME]")
    assert "[YOUR PHONE]" not in email and "[YOUR EMAIL]" not in email


def test_a_contact_without_address_gets_a_marked_slot_in_a_letter(crm):
    loaded, profile = crm
    text = draft(loaded, profile, item("keep-in-touch", "mail"), TODAY)
    assert (
        "Sam Okafor\nData Analyst\nHarborline\n[THEIR POSTAL ADDRESS: add 'address' to contacts/sam.md]\n"
        in text
    )


def test_an_address_that_repeats_name_and_company_is_not_doubled(make_crm):
    files = dict(FILES)
    files["contacts/siobhan.md"] = files["contacts/siobhan.md"].replace(
        "address: |\n", f"address: |\n          {NAME}\n          Lumenfield, Inc.\n"
    )
    loaded = load_crm(make_crm(files))
    text = draft(loaded, None, item("interview-thank-you"), TODAY)
    assert f"{NAME}\nEngineering Manager, Data Platform\nLumenfield, Inc.\n1100 Dexter" in text
    files["contacts/siobhan.md"] = files["contacts/siobhan.md"].replace(
        "Lumenfield, Inc.\n", "Lumenfield\n"
    )
    loaded = load_crm(make_crm(files))
    text = draft(loaded, None, item("interview-thank-you"), TODAY)
    assert f"{NAME}\nEngineering Manager, Data Platform\nLumenfield\n1100 Dexter" in text


# --- Markdown ------------------------------------------------------------------

EXTENSIONS = [
    "attr_list",
    "md_in_html",
    "tables",
    "def_list",
    "footnotes",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.keys",
    "pymdownx.betterem",
]


def rendered_text(source: str) -> str:
    """What a reader sees of some Markdown: the HTML's text."""
    out = markdown.markdown(source, extensions=EXTENSIONS)
    assert "<a " not in out and "<img" not in out and "<script" not in out
    return html.unescape(re.sub(r"<[^>]+>", "", out))


@given(
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=40
    )
)
def test_md_text_renders_as_typed(value):
    shown = " ".join(value.split())
    if not shown:
        return
    assert " ".join(rendered_text(md_text(shown)).split()) == shown


@pytest.mark.parametrize("value", ["---", "-- -", "----------"])
def test_md_text_of_dashes_is_no_rule_or_heading(value):
    """Found by the property above: a value of dashes alone was a thematic break
    (its text gone), or under a line of text a heading."""
    assert rendered_text(md_text(value)) == value
    under_a_line = markdown.markdown(f"Notes\n{md_text(value)}", extensions=EXTENSIONS)
    assert html.unescape(under_a_line) == f"<p>Notes\n{value}</p>"


def test_markdown_draft_escapes_user_text_and_keeps_line_breaks(make_crm):
    evil = "[x](javascript:alert(1)) <img src=x onerror=alert(1)> *O'Brien* 1. # _u_"
    files = dict(FILES)
    files["contacts/siobhan.md"] = (
        files["contacts/siobhan.md"]
        .replace(f"name: {NAME}", f"name: '{evil.replace(chr(39), chr(39) * 2)}'")
        .replace("1100 Dexter Ave N", "- 1100 Dexter Ave N")
    )
    loaded = load_crm(make_crm(files))
    assert loaded.problems == ()
    md = draft(loaded, None, item("interview-thank-you"), TODAY, fmt="md")
    shown = rendered_text(md)
    assert f"{evil}\nEngineering Manager, Data Platform\nLumenfield\n- 1100 Dexter Ave N\n" in shown
    assert f"Dear {evil}," in shown
    assert "[YOUR NAME]" in shown
    # A hard break (two spaces) ends every line of the address, never a list item.
    assert "Lumenfield  \n&#45; 1100 Dexter Ave N  \nSeattle" in md
    assert "\n- " not in md


def test_a_letter_page_escapes_user_text(make_crm):
    evil = "<img src=x onerror=alert(1)> & <script>x</script> *O'Brien*"
    files = dict(FILES)
    files["contacts/siobhan.md"] = files["contacts/siobhan.md"].replace(
        f"name: {NAME}", f"name: '{evil.replace(chr(39), chr(39) * 2)}'"
    )
    loaded = load_crm(make_crm(files))
    page = draft(loaded, None, item("interview-thank-you"), TODAY, fmt="html")
    letter = page.split('<article class="fg-letter">')[1]
    assert "<img" not in letter and "<script" not in letter
    assert f"<p>{html.escape(evil, quote=False)}<br>" in letter  # as nh3 writes it
    assert "<strong>[YOUR NAME]</strong>" in letter


def test_text_draft_is_not_escaped(crm):
    loaded, profile = crm
    text = draft(loaded, profile, item("interview-thank-you"), TODAY)
    assert f"Dear {NAME}," in text and "&#" not in text and "  \n" not in text


# --- templates: overrides and errors -------------------------------------------


def test_a_crm_template_overrides_the_default(make_crm):
    files = dict(FILES)
    files["site_templates/letters/thank-helper.j2"] = (
        "Cheers, {{ them.greeting }}! {{ specifics[0] }}\n"
    )
    loaded = load_crm(make_crm(files))
    assert (
        draft(loaded, None, item("thank-helper"), TODAY)
        == "Cheers, Sam! reviewing my CV line by line\n"
    )
    # Other rules keep the default template.
    assert "Dear Siobhán" in draft(loaded, None, item("interview-thank-you"), TODAY)


def test_a_broken_template_names_its_file_and_line(make_crm):
    files = dict(FILES)
    files["site_templates/letters/thank-helper.j2"] = "Hello\n{{ them.nam }\n"
    loaded = load_crm(make_crm(files))
    with pytest.raises(
        DraftError,
        match=r"letters/thank-helper.j2:2: error: the letter template failed: .* \[template\]",
    ):
        draft(loaded, None, item("thank-helper"), TODAY)
    files["site_templates/letters/thank-helper.j2"] = "Hello\n\n{{ nobody.name }}\n"
    loaded = load_crm(make_crm(files))
    with pytest.raises(
        DraftError,
        match=r"thank-helper.j2:3: error: the letter template failed: 'nobody' is undefined",
    ):
        draft(loaded, None, item("thank-helper"), TODAY)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{{ 1 // 0 }}\n",
            "site_templates/letters/thank-helper.j2:1: error: the letter template failed: integer division or modulo by zero [template]",
        ),
        (
            b"Gr\xfc\xdfe\n",
            "site_templates/letters/thank-helper.j2: error: the letter template failed: it is not UTF-8 text [template]",
        ),
        (
            "{% extends 'letters/nothing.j2' %}\n",
            "site_templates/letters/thank-helper.j2:1: error: the letter template failed: no template 'letters/nothing.j2' in site_templates/ [template]",
        ),
    ],
)
def test_any_template_failure_is_a_draft_error_naming_the_file(make_crm, template, message):
    files = dict(FILES)
    files["site_templates/letters/thank-helper.j2"] = template
    loaded = load_crm(make_crm(files))
    with pytest.raises(DraftError) as caught:
        draft(loaded, None, item("thank-helper"), TODAY)
    assert str(caught.value) == message


def test_a_rule_without_a_letter_says_so(crm):
    loaded, _ = crm
    card = replace(item("interview-thank-you"), rule="business-card")
    with pytest.raises(DraftError, match="rule 'business-card' has no letter"):
        draft(loaded, None, card, TODAY)


# --- site pages ------------------------------------------------------------------


def test_letter_paths_are_stable_and_distinct():
    first = item("interview-thank-you")
    again = replace(first, due=TODAY + dt.timedelta(days=3), status="overdue")
    other = replace(first, cause=Source("interactions/2026-11-24-screen.md"))
    assert letter_path(first) == letter_path(again)
    assert letter_path(first) != letter_path(other)
    assert re.fullmatch(
        r"letters/interview-thank-you-siobhan-[0-9a-f]{8}\.html", letter_path(first)
    )


def test_letter_pages_one_per_open_item_with_a_letter(crm):
    loaded, profile = crm
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    rules = {i.rule for i in evaluation.followups}
    assert "interview-thank-you" in rules and "business-card" not in rules  # merged
    pages = letter_pages(loaded, profile, evaluation)
    with_letter = [i for i in evaluation.followups if i.rule in LETTER_RULES]
    assert sorted(pages) == sorted(letter_path(i) for i in with_letter)
    thanks = next(
        i for i in with_letter if i.rule == "interview-thank-you" and "11-25" in i.cause.path
    )
    page = pages[letter_path(thanks)]
    assert page.startswith("<!doctype html>\n")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    head, _, letter = page.partition('<article class="fg-letter">')
    # The whole letter, paragraph by paragraph, reads as its Markdown draft does;
    # the note stays on screen.
    assert letter.endswith("\n</article>\n</body>\n</html>\n")
    body = letter.removesuffix("\n</article>\n</body>\n</html>\n")
    expected = markdown.markdown(draft(loaded, profile, thanks, TODAY, fmt="md"))
    assert body.count("<p>") == expected.count("<p>") >= 8
    assert body.count("<br>") == expected.count("<br />")  # nh3 writes <br>
    assert rendered_text(body) == rendered_text(expected)
    assert "<strong>" not in body  # no slot: every gap is filled
    assert '<header class="fg-screen-only fg-letter-info">' in head
    assert "Siobhán O&#x27;Connor-Ng" in head and "O'Connor" not in head


# --- through the real rules ---------------------------------------------------------


def test_the_example_crm_has_a_draft_for_each_open_item_with_a_letter():
    loaded = load_crm(ROOT)
    profile, problems = load_profile(ROOT)
    assert problems == ()
    evaluation = evaluate(loaded.crm, loaded.settings.today, loaded.settings)
    pages = letter_pages(loaded, profile, evaluation)
    drafted = {i.rule for i in evaluation.followups if letter_path(i) in pages}
    assert {"interview-thank-you", "resume-follow-up", "keep-in-touch"} <= drafted
    for path, page in pages.items():
        assert "Alex" in page, path
        assert "[YOUR NAME]" not in page and '<p class="fg-letter-error">' not in page, path


# --- the draft command ------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_prints_the_draft(crm):
    loaded, profile = crm
    root = str(loaded.root)
    result = run("draft", "interview-thank-you", "siobhan", "--root", root, "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"followup-gen: note: the draft greets them as 'Dear {NAME},'; add 'salutation:' to "
        "contacts/siobhan.md (such as their first name, or a title and surname) to make it "
        "personal\n"
    )
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    expected = next(
        i
        for i in evaluation.followups
        if i.rule == "interview-thank-you"
        and i.contact == "siobhan"
        and i.cause.path.endswith("11-25-interview.md")  # the screen's thanks merged in
    )
    assert expected.merged == ("interview-thank-you", "business-card")
    assert result.stdout == draft(loaded, profile, expected, TODAY)
    md = run(
        "draft",
        "interview-thank-you",
        "siobhan",
        "-o",
        "lumenfield",
        "--root",
        root,
        "--today",
        "2026-11-26",
        "--format",
        "md",
    )
    assert md.exit_code == 0
    assert md.stdout == draft(loaded, profile, expected, TODAY, fmt="md")


def test_cli_item_that_is_not_open_exits_1(crm):
    root = str(crm[0].root)
    result = run("draft", "rejection-follow-up", "siobhan", "--root", root, "--today", "2026-11-26")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"followup-gen: no open rejection-follow-up for {NAME} on 2026-11-26. Open for them: "
    )
    assert (
        "interview-thank-you about lumenfield with interview-thank-you, business-card "
        "(due 2026-11-25; due)" in result.stderr
    )
    nothing = run("draft", "close-the-loop", "dev", "--root", root, "--today", "2026-11-26")
    assert nothing.exit_code == 1
    assert nothing.stderr == (
        "followup-gen: no open close-the-loop for Dev Patel on 2026-11-26. Open for them: "
        "interview-thank-you about lumenfield with business-card (due 2026-11-25; overdue).\n"
    )
    alone = run("draft", "keep-in-touch", "pat", "--root", root, "--today", "2026-11-26")
    assert alone.exit_code == 1
    assert alone.stderr == "followup-gen: no open keep-in-touch for Pat Lee on 2026-11-26.\n"


def test_cli_unknown_rule_contact_or_opportunity(crm):
    root = str(crm[0].root)
    rule = run("draft", "thank-helpr", "sam", "--root", root)
    assert rule.exit_code == 2
    assert (
        "Invalid value for RULE: unknown rule 'thank-helpr' (did you mean 'thank-helper'?)"
        in rule.stderr
    )
    person = run("draft", "thank-helper", "samm", "--root", root)
    assert person.exit_code == 1
    assert person.stderr == "followup-gen: unknown contact 'samm' (did you mean 'sam'?); no draft\n"
    job = run("draft", "thank-helper", "sam", "-o", "lumenfeld", "--root", root)
    assert job.exit_code == 1
    assert job.stderr == (
        "followup-gen: unknown opportunity 'lumenfeld' (did you mean 'lumenfield'?); no draft\n"
    )


def test_cli_ids_may_be_cut_short_when_only_one_starts_so(crm):
    root = str(crm[0].root)
    args = ("--root", root, "--today", "2026-11-26")
    whole = run("draft", "interview-thank-you", "siobhan", "-o", "lumenfield", *args)
    short = run("draft", "interview-thank-you", "siob", "-o", "lumen", *args)
    assert short.exit_code == 0 and short.stdout == whole.stdout
    several = run("draft", "interview-thank-you", "s", *args)
    assert several.exit_code == 1
    assert several.stderr.startswith("followup-gen: 's' starts several contact ids: ")


def test_cli_without_a_contact_lists_the_letters_to_draft(crm, make_crm):
    loaded = crm[0]
    args = ("--root", str(loaded.root), "--today", "2026-11-26")
    listed = run("draft", *args)
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0] == "Letters to draft on 2026-11-26 (run one):"
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    due = [i for i in evaluation.followups if i.status != "upcoming"]
    assert len(lines) - 1 == len([i for i in due if i.rule != "business-card"]) > 1
    assert (
        f"  followup-gen draft interview-thank-you siobhan --opportunity lumenfield    # {NAME}, due"
        in lines
    )
    for line in lines[1:]:  # each command drafts its letter
        command = line.split("#")[0].split()[2:]
        assert run("draft", *command, *args).exit_code == 0, line
    one_rule = run("draft", "keep-in-touch", *args)
    assert one_rule.stdout == "No keep-in-touch letters to draft on 2026-11-26.\n"
    empty = run("draft", "--root", str(make_crm({})), "--today", "2026-11-26")
    assert (empty.exit_code, empty.stdout) == (0, "No letters to draft on 2026-11-26.\n")


def test_cli_rule_without_letter(make_crm):
    # The plan merges the card into the thank-you: alone only with that rule off.
    off = "rules:\n  interview-thank-you:\n    enabled: false\n"
    root = str(make_crm({**FILES, "followup.yml": off}))
    result = run("draft", "business-card", "dev", "--root", root, "--today", "2026-11-24")
    assert result.exit_code == 1
    assert result.stderr == (
        "followup-gen: rule 'business-card' has no letter (it is a reminder, not a message); "
        "add site_templates/letters/business-card.j2 to your CRM to write one\n"
    )


def test_cli_without_profile_says_so_and_uses_placeholders(make_crm):
    files = {k: v for k, v in FILES.items() if k != "profile.md"}
    root = make_crm(files)
    result = run("draft", "thank-helper", "sam", "--root", str(root), "--today", "2026-11-26")
    assert result.exit_code == 0
    assert (
        result.stderr
        == f"followup-gen: no profile.md in {root}: your details are [PLACEHOLDERS].\n"
    )
    assert result.stdout.rstrip().endswith("Talk soon,\n[YOUR NAME]")


def test_cli_broken_profile_prints_its_problem_the_letter_and_exits_1(make_crm):
    files = dict(FILES)
    files["profile.md"] = "---\nname: Alex\naccomplishments: oops\n---\n"
    root = make_crm(files)
    result = run("draft", "thank-helper", "sam", "--root", str(root), "--today", "2026-11-26")
    assert result.exit_code == 1
    assert "Sam" in result.stdout
    assert result.stderr.startswith(
        "profile.md:3: error: 'accomplishments' must be a list: one '- sentence' line per "
        "accomplishment [wrong-type]\n"
    )
    assert result.stderr.endswith("may be missing until they are fixed.\n")


def test_cli_broken_template_exits_1_naming_it(make_crm):
    files = dict(FILES)
    files["site_templates/letters/thank-helper.j2"] = "Hi {{ them.name }\n"
    root = make_crm(files)
    result = run("draft", "thank-helper", "sam", "--root", str(root), "--today", "2026-11-26")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "followup-gen: site_templates/letters/thank-helper.j2:1: error: the letter template "
        "failed: unexpected '}' [template]\n"
    )


def test_the_guide_documents_the_command_rules_and_template_variables(crm):
    guide = (ROOT / "docs" / "guide" / "drafts.md").read_text(encoding="utf-8")
    command = draft_command  # registered on main when its module is imported
    for param in command.params:
        for flag in param.opts:
            if flag.startswith("--") and flag != "--help":
                assert flag in guide, flag
    for rule in LETTER_RULES:
        assert f"\n### `{rule}`: " in guide, rule  # each letter has its section
        assert (ROOT / "site_templates" / "letters" / f"{rule}.j2").is_file()
    loaded, profile = crm
    for name in context(loaded, profile, item("interview-thank-you"), TODAY):
        assert f"`{name}" in guide, name


def test_every_letter_of_the_plan_and_of_the_searchs_end_renders_on_every_channel(crm):
    loaded, profile = crm
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    # The letters of the plan and of the search's end, on every channel.
    new = ("new-contact", "withdraw", "offer-period", "reference")
    built = [item(rule, channel) for rule in new for channel in CHANNELS]
    variants = [
        item(rule, channel, letter=letter, merged=("business-card",))
        for letter, rule in (
            ("rejection-thanks", "rejection-follow-up"),
            ("interview-thank-you-card", "interview-thank-you"),
            ("interview-thank-you-offer", "interview-thank-you"),
            ("news", "keep-in-touch"),
            ("reference-thanks", "reference"),
        )
        for channel in CHANNELS
    ]
    letters = [
        draft(loaded, who, each, TODAY, fmt="md")
        for who in (profile, None)
        for each in (*evaluation.followups, *built, *variants)
        if each.rule in LETTER_RULES
    ]
    assert len(letters) >= 70
    for text in letters:
        assert text.strip() and "\n- " not in text and "{{" not in text


def test_a_letter_page_is_kept_while_its_inputs_stay_the_same(crm):
    loaded, profile = crm
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    memo: dict = {}
    first = letter_pages(loaded, profile, evaluation, memo=memo)
    assert first == letter_pages(loaded, profile, evaluation)
    assert sorted(memo) == sorted(first)
    # A planted page stands for "kept, not rendered again".
    path = sorted(memo)[0]
    memo[path] = (memo[path][0], "kept")
    assert letter_pages(loaded, profile, evaluation, memo=memo)[path] == "kept"
    # Another day, another profile: every page is made again.
    later = evaluate(loaded.crm, TODAY + dt.timedelta(days=1), loaded.settings)
    assert letter_pages(loaded, profile, later, memo=memo) == letter_pages(loaded, profile, later)
    assert letter_pages(loaded, None, later, memo=memo) == letter_pages(loaded, None, later)
