"""Letters a hiring manager is glad to receive (issue 16).

Every letter kind is rendered, in-process, for a matrix of contacts (with
and without a salutation; honorifics, suffixes, "Last, First", credentials,
one word, accents, apostrophes), stages (an application only, an interview,
a panel, no opportunity), profiles (full, empty, one accomplishment)
and channels, and each draft is read as the recipient would read it: no
doubled words, no "[YOUR ...]" slot for an optional field, no bullet list,
no "why", no status request, no sentence without a verb, no "meeting" or
"interview" where the records have none. Consecutive messages to the same
person differ. Then the single failures the issue lists, one test each.

The verb check is a heuristic (``has_verb``): a sentence needs a finite verb
from a short list (``is``, ``would``, ``thank``...) or a pronoun followed by
a word (``I led``, ``you raised``) in its main clause, which is what is left
after a leading subordinate clause (``Since I applied ..., ``) and any
relative clause (``that could help them``) are taken away. Labels before a
colon are checked like sentences; a quotation or a slot after a colon is not.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm
from followup_gen.load.profile import Accomplishment, Profile, load_profile
from followup_gen.outputs.drafts import LETTER_RULES, draft
from followup_gen.records import Source
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import FollowUp

from .conftest import write_files

TODAY = dt.date(2026, 11, 20)  # a Friday

# --- the matrix -----------------------------------------------------------------

# id: (name, relationship, extra keys, the greeting expected)
PEOPLE = {
    "ana": ("Dr. Ana María López", "hiring", "title: Director of Data\n", "Dear Dr. Ana María López,"),
    "raman": ("Priya Raman", "hiring", "salutation: Ms. Raman\n", "Dear Ms. Raman,"),
    "smith": ("Smith, John", "past-coworker", "", "Dear John,"),
    "rashmi": ("Rashmi Nayak, MSc, MBA, PHR", "hiring", "title: Senior Technical Recruiter\n",
               "Dear Rashmi,"),
    "cher": ("Cher", "friend", "", "Hi Cher,"),
    "siobhan": ("Siobhán O'Connor-Ng", "family", "", "Hi Siobhán,"),
    "darcy": ("D'Arcy Lee Jr.", "professional-network", "", "Dear D'Arcy,"),
    "karen": ("Mrs. Karen Wu", "past-employer", "", "Dear Karen,"),
    "maryann": ("Mary Ann Lee", "friend", "given_name: Mary Ann\n", "Hi Mary Ann,"),
}  # fmt: skip


def contact_file(cid: str) -> str:
    name, relationship, extra, _ = PEOPLE[cid]
    return (
        f'---\nname: "{name}"\nrelationship: {relationship}\ncompany: Acme\n{extra}'
        f'email: {cid}@example.com\nphone: "+1 555 0100"\n'
        f"address: |\n  1 Main St\n  Springfield, IL 62701\n---\n"
    )


IDS = list(PEOPLE)
FIRST = {c: re.sub(r"^(?:Dear|Hi) |,$", "", PEOPLE[c][3]) for c in IDS}
ALL = "[" + ", ".join(IDS) + "]"


def interaction(day: int, kind: str, contacts: str, opportunity: str | None = None,
                specifics: tuple[str, ...] = (), channel: str = "email") -> str:  # fmt: skip
    lines = [f"date: {TODAY - dt.timedelta(days=day)}", f"contacts: {contacts}", f"kind: {kind}",
             f"channel: {channel}"]  # fmt: skip
    if opportunity:
        lines.append(f"opportunity: {opportunity}")
    if specifics:
        lines.append("specifics:")
        lines += [f'  - "{s}"' for s in specifics]
    return "---\n" + "\n".join(lines) + "\n---\n"


def stage_files(stage: str) -> dict[str, str]:
    """A CRM at one stage: every contact took part in everything, so each letter fits."""
    files = {f"contacts/{c}.md": contact_file(c) for c in IDS}
    opp = None if stage == "none" else "acme"
    if opp:
        files["opportunities/acme.md"] = "---\ncompany: Acme\nrole: Data Engineer\n---\n"
        files["opportunities/beta.md"] = "---\ncompany: Beta Labs\nrole: Analytics Engineer\n---\n"
        files["interactions/app.md"] = interaction(30, "application", ALL, "acme")
        files["interactions/beta-app.md"] = interaction(25, "application", ALL, "beta")
    files["interactions/referral.md"] = interaction(28, "referral", ALL, opp)
    files["interactions/help.md"] = interaction(
        1, "help", ALL, None, ("the tip about Acme", "reviewing my CV", "a mock interview")
        if stage != "application" else ()
    )  # fmt: skip
    if stage == "interview":
        for cid in IDS:
            files[f"interactions/interview-{cid}.md"] = interaction(
                1,
                "interview",
                cid,
                opp,
                (
                    f"{PEOPLE[cid][0].split()[0]}'s question: late events",
                    "Moving batch loads to streaming",
                ),
                "in-person",
            )
    elif stage == "panel":
        files["interactions/interview.md"] = interaction(
            1, "interview", ALL, opp, ("Cher's question: late events", "On-call load"), "video"
        )
    elif stage == "none":
        files["interactions/interview.md"] = interaction(3, "interview", ALL, None, (), "phone")
    files["interactions/rejection.md"] = interaction(1, "rejection", ALL, opp)
    files["interactions/accepted.md"] = interaction(1, "accepted", ALL, "beta" if opp else None)
    return files  # fmt: skip


STAGES = ("application", "interview", "panel", "none")
CHANNELS = ("mail", "handwritten", "email", "phone", "linkedin")
SOURCE = Source("profile.md")
FULL = Profile(
    SOURCE, name="Alex Rivera", address="418 Alder Street\nPortland, OR 97205",
    email="alex@example.com", phone="(503) 555-0142", sign_off="Best regards,",
    accomplishments=(
        Accomplishment("Led the lakehouse migration, cutting warehouse cost by 40%.", ("platform",)),
        Accomplishment("Certified AWS Data Engineer (2025)"),
        Accomplishment("Built a streaming pipeline for late events.", ("streaming",)),
    ),
)  # fmt: skip
# An empty profile.md reads as Profile(SOURCE); drafts treat it as no profile (None).
PROFILES = {
    "full": FULL,
    "empty": None,
    "one": Profile(SOURCE, name="Alex Rivera", accomplishments=(Accomplishment("Cut costs."),)),
}


@pytest.fixture(scope="module")
def stages(tmp_path_factory):
    base = tmp_path_factory.mktemp("letters")
    found = {}
    for stage in STAGES:
        loaded = load_crm(write_files(base / stage, stage_files(stage)))
        assert loaded.problems == (), loaded.problems
        found[stage] = loaded
    return found


def cause_of(rule: str, stage: str, contact: str) -> str | None:
    if rule in ("interview-thank-you", "stalled-note"):
        if stage == "application":
            return None  # no interview: no thank-you for one, no silence after one
        return f"interactions/interview-{contact}.md" if stage == "interview" else (
            "interactions/interview.md")  # fmt: skip
    return {
        "thank-helper": "interactions/help.md" if stage != "application" else (
            "interactions/referral.md"),
        "rejection-follow-up": "interactions/rejection.md",
        "resume-follow-up": "interactions/app.md",
        "bridge-check-in": "interactions/rejection.md",
        "close-the-loop": "interactions/accepted.md",
        "keep-in-touch": f"contacts/{contact}.md",
        # The letters of the plan (issue 15): any exchange with them will do.
        "new-contact": "interactions/referral.md",
        "withdraw": "interactions/accepted.md",
        "offer-period": "interactions/referral.md",
        "reference": "interactions/referral.md",
    }[rule]  # fmt: skip


def make_item(loaded, rule: str, contact: str, channel: str, cause: str) -> FollowUp:
    interaction = next((i for i in loaded.crm.interactions if i.source.path == cause), None)
    return FollowUp(
        rule=rule, contact=contact,
        opportunity=interaction.opportunity if interaction is not None else None,
        due=TODAY, last=TODAY, status="due", channel=channel, channel_why="", reason="",
        cause=Source(cause),
    )  # fmt: skip


DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.I)
LIST_LINE = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s", re.M)
ASKS_WHY = re.compile(r"\bwhy\b|\breasons?\b|went wrong|not (?:selected|hired) because", re.I)
ASKS_STATUS = re.compile(
    r"\bstatus\b|\bupdates?\b|\bnews\b|hear(?:d)? back|\bdecision\b|\btimeline\b"
    r"|where (?:things|it|my application) stands?|still (?:being )?considered",
    re.I,
)
MEETING_WORDS = re.compile(r"\bmeet(?:ing)?s?\b|\bmet\b|\binterview\w*", re.I)
OPTIONAL_SLOT = re.compile(r"\[YOUR (?!NAME\])")
FINITE = frozenset(
    "am is are was were be been have has had do does did will would could can may might must "
    "shall should thank thanks hope let left made means builds came tell ask it's i'm i've i'll "
    "that's here's there's what's".split()
)
SUBJECT_VERB = re.compile(r"\b(?:I|you|we|it|they|he|she)\s+[a-z]")
SUBORDINATE = re.compile(r"^(?:since|when|if|as|because|after|before|although|while|once)\b", re.I)
ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Ms|Mrs|Mx|Prof|Jr|Sr|St|Inc|P\.S)\.$")
HEADER = re.compile(r"^(?:To|Subject|Call|Open with|Share|Ask):\s*", re.M)


def has_verb(sentence: str) -> bool:
    """The heuristic of the module docstring."""
    main = sentence
    if SUBORDINATE.match(main) and ", " in main:
        main = main.split(", ", 1)[1]
    main = re.sub(r"\b(?:that|which|who)\b.*", "", main)
    words = re.findall(r"[A-Za-z']+", main.casefold())
    return any(w in FINITE for w in words) or bool(SUBJECT_VERB.search(main))


def sentences(text: str) -> list[str]:
    """The sentences of a draft's body: between the greeting and the sign-off."""
    lines = text.splitlines()
    greeting = next(
        (n for n, line in enumerate(lines) if re.match(r"(?:Dear|Hi) .*,$", line)), None
    )
    if greeting is not None:
        body = lines[greeting + 1 : -2]
        if body and body[-1].count("·"):
            body = body[:-1]
    else:  # a call script: the three lines after their labels
        body = [HEADER.sub("", line) for line in lines[1:]]
    found = []
    body = [re.sub(r"\[[^\]]*\]", "[SLOT]", line) for line in body]
    for paragraph in " ".join(x if x else "\n" for x in body).split("\n"):
        pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z“\[])", paragraph.strip())
        merged: list[str] = []
        for piece in pieces:  # "Dr. Ana" is one sentence
            if merged and ABBREVIATION.search(merged[-1]):
                merged[-1] += " " + piece
            else:
                merged.append(piece)
        for sentence in merged:
            for part in re.split(r":\s+", sentence):
                part = part.strip()
                if part and not part.startswith(("“", "[")) and not part.endswith(","):
                    found.append(part)
    return found


def problems_in(text: str, *, hiring: bool, met: bool) -> list[str]:
    problems = []
    if DOUBLED.search(text):
        problems.append(f"doubled word: {DOUBLED.search(text).group(0)!r}")
    if OPTIONAL_SLOT.search(text):
        problems.append("a slot for an optional field")
    if LIST_LINE.search(text):
        problems.append("a bullet list")
    if ASKS_WHY.search(text):
        problems.append(f"asks why: {ASKS_WHY.search(text).group(0)!r}")
    if hiring and ASKS_STATUS.search(text):
        problems.append(f"asks for a status: {ASKS_STATUS.search(text).group(0)!r}")
    if not met and MEETING_WORDS.search(text):
        problems.append(f"meeting words without a meeting: {MEETING_WORDS.search(text).group(0)!r}")
    if "{{" in text or "{%" in text or "position position" in text or "the the " in text:
        problems.append("template debris")
    problems += [f"no verb: {s!r}" for s in sentences(text) if not has_verb(s)]
    problems += [f"a word said twice in a sentence: {s!r}" for s in sentences(text) if echoes(s)]
    return problems


# Small words a sentence may well say twice ("about ... about", "your ... your").
ECHO_FREE = frozenset("about with that your have this would there their which from".split())


def echoes(sentence: str) -> bool:
    """A sentence that says the same word of its own twice ("Thank you again, and I hope
    our paths cross again"); words from the records (capitalized, in slots) do not count."""
    words = re.findall(r"\b[a-z][a-z']{3,}\b", re.sub(r"\[[^\]]*\]", "", sentence))
    counts = collections.Counter(w for w in words if w not in ECHO_FREE)
    return any(n > 1 for n in counts.values())


HIRING_LETTERS = {
    "interview-thank-you",
    "resume-follow-up",
    "rejection-follow-up",
    "bridge-check-in",
}


@pytest.mark.parametrize("rule", LETTER_RULES)
def test_every_letter_reads_right_for_every_person_stage_and_profile(stages, rule):
    failures = []
    rendered = 0
    for stage, loaded in stages.items():
        met = stage != "application"
        for cid in IDS:
            cause = cause_of(rule, stage, cid)
            if cause is None:
                continue
            for channel in CHANNELS:
                item = make_item(loaded, rule, cid, channel, cause)
                for label, profile in PROFILES.items():
                    text = draft(loaded, profile, item, TODAY)
                    rendered += 1
                    found = problems_in(text, hiring=rule in HIRING_LETTERS, met=met)
                    greeting = PEOPLE[cid][3]
                    if channel == "mail":
                        greeting = greeting.replace("Hi ", "Dear ")
                    if channel != "phone" and f"\n{greeting}\n" not in f"\n{text}":
                        found.append(f"not greeted {greeting!r}")
                    if found:
                        failures.append((f"{stage}/{cid}/{channel}/{label}", found, text))
    assert rendered >= 300
    kinds = collections.Counter(p.split(":")[0] for f in failures for p in f[1])
    shown = "\n\n".join(f"{where}: {found}\n{text}" for where, found, text in failures[:3])
    assert not failures, f"{len(failures)} of {rendered} {dict(kinds)}:\n\n{shown}"


# --- never the same letter twice -------------------------------------------------------


def _subject_and_body(text: str) -> tuple[str, str]:
    subject = re.search(r"^Subject: (.*)$", text, re.M).group(1)
    return subject, text.split("\n\n", 2)[2]


@pytest.mark.parametrize(
    ("rule", "contact", "kind", "count"),
    [
        ("resume-follow-up", "ana", "follow-up", 2),
        ("keep-in-touch", "siobhan", "check-in", 3),
        ("keep-in-touch", "darcy", "check-in", 3),
        ("bridge-check-in", "ana", "check-in", 3),
    ],
)
def test_consecutive_messages_to_a_person_differ(tmp_path, rule, contact, kind, count):
    files = stage_files("interview")
    previous = None
    for sent in range(count):
        if sent:
            # After the application, and (for a bridge) after the rejection of yesterday.
            day = 0 if rule == "bridge-check-in" else 20 - sent
            files[f"interactions/sent-{sent}.md"] = interaction(
                day, kind, contact, "acme" if kind == "follow-up" else None
            )
        loaded = load_crm(write_files(tmp_path / f"{rule}-{sent}", files))
        cause = cause_of(rule, "interview", contact)
        if rule == "resume-follow-up" and sent:
            cause = f"interactions/sent-{sent}.md"
        item = make_item(loaded, rule, contact, "email", cause)
        item = replace(item, opportunity="acme" if rule != "keep-in-touch" else None)
        subject, body = _subject_and_body(draft(loaded, FULL, item, TODAY))
        if previous is not None:
            assert subject != previous[0], (sent, subject)
            assert body.split("\n\n")[0] != previous[1].split("\n\n")[0], (sent, body)
        previous = (subject, body)
        # The same records give the same letter (no randomness).
        assert draft(loaded, FULL, item, TODAY) == draft(loaded, FULL, item, TODAY)


# --- the failures the issue lists ----------------------------------------------------------

FILES = {
    "profile.md": """
        ---
        name: Alex Rivera
        address: |
          418 Alder Street
          Portland, OR 97205
        email: alex@example.com
        accomplishments:
          - text: Led the lakehouse migration from Redshift to Delta Lake, cutting warehouse cost by 40%.
            tags: [platform]
          - text: Brought on-call pages down from 30 a week to 4 with data-quality checks.
            tags: [reliability]
          - Cut the nightly batch window from 6 hours to 90 minutes.
        ---
    """,
    "contacts/jane.md": """
        ---
        name: Jane Doe
        relationship: hiring
        company: Acme
        title: Engineering Manager
        email: jane@acme.example.com
        address: |
          1 Main St
          Springfield, IL 62701
        ---
    """,
    "contacts/dev.md": """
        ---
        name: Dev Patel
        relationship: hiring
        company: Acme
        title: Staff Engineer
        email: dev@acme.example.com
        ---
    """,
    "contacts/rec.md": """
        ---
        name: Rashmi Nayak, MSc, MBA, PHR
        relationship: hiring
        company: Beta
        title: Talent Acquisition Partner
        email: rashmi@beta.example.com
        ---
    """,
    "contacts/karen.md": """
        ---
        name: Karen Wu
        relationship: past-employer
        company: Northwind
        email: karen@example.com
        ---
    """,
    "contacts/maria.md": """
        ---
        name: Maria Rivera
        relationship: family
        company: Cedar Hills Medical Center
        email: maria@example.org
        phone: "+1 206-555-0111"
        ---
    """,
    "contacts/kevin.md": """
        ---
        name: Kevin Brandt
        relationship: professional-network
        company: Ridgeway Robotics
        phone: "+1 206-555-0123"
        ---
    """,
    "contacts/marcus.md": """
        ---
        name: Marcus Wong
        relationship: hiring
        company: Brightwater Health
        ---
    """,
    "contacts/priya.md": """
        ---
        name: Priya Natarajan
        relationship: past-coworker
        salutation: Priya
        email: priya@example.com
        ---
    """,
    "opportunities/acme.md": """
        ---
        company: Acme
        role: Senior Data Engineer
        contacts: [jane, dev]
        tags: [reliability]
        ---
    """,
    "opportunities/beta.md": """
        ---
        company: Beta
        role: Data Engineer
        contacts: [rec]
        ---
    """,
    "opportunities/brightwater.md": """
        ---
        company: Brightwater Health
        role: Lead Data Engineer
        contacts: [marcus]
        ---
    """,
    "opportunities/corvid.md": """
        ---
        company: Corvid Freight
        role: Staff Data Engineer
        referred_by: priya
        ---
    """,
    "interactions/acme-app.md": "---\ndate: 2026-10-20\ncontacts: jane\nkind: application\nopportunity: acme\n---\n",
    "interactions/acme-panel.md": """
        ---
        date: 2026-11-19
        contacts: [jane, dev]
        kind: interview
        channel: in-person
        opportunity: acme
        specifics:
          - "Dev's system design question: late-arriving events with exactly-once sinks"
          - Jane's concern about on-call load as the platform moves to streaming
          - The plan for a self-serve analytics platform
        ---
    """,
    "interactions/beta-app.md": "---\ndate: 2026-11-10\ncontacts: rec\nkind: application\nopportunity: beta\n---\n",
    "interactions/beta-no.md": "---\ndate: 2026-11-19\ncontacts: rec\nkind: rejection\nchannel: email\nopportunity: beta\n---\n",
    "interactions/maria-dinner.md": "---\ndate: 2026-11-07\ncontacts: maria\nkind: meeting\nchannel: in-person\n---\n",
    "interactions/karen-help.md": "---\ndate: 2026-11-19\ncontacts: karen\nkind: help\n---\n",
    "interactions/karen-tips.md": """
        ---
        date: 2026-11-18
        contacts: karen
        kind: help
        specifics: [reviewing my CV, the tip about Acme, a mock interview]
        ---
    """,
    "interactions/priya-intro.md": "---\ndate: 2026-11-19\ncontacts: priya\nkind: introduction\nopportunity: brightwater\n---\n",
    "interactions/priya-info.md": """
        ---
        date: 2026-11-17
        contacts: priya
        kind: informational-interview
        specifics: [how Litware's analytics team is organised]
        ---
    """,
    "interactions/corvid-app.md": "---\ndate: 2026-10-01\ncontacts: priya\nkind: application\nopportunity: corvid\n---\n",
    "interactions/corvid-yes.md": "---\ndate: 2026-11-19\ncontacts: priya\nkind: accepted\nopportunity: corvid\n---\n",
}


@pytest.fixture
def crm(make_crm):
    root = make_crm(FILES)
    loaded = load_crm(root)
    assert loaded.problems == (), loaded.problems
    profile, problems = load_profile(root)
    assert problems == ()
    return loaded, profile


def letter(crm, rule, contact, cause, channel="mail", opportunity=None, profile=True, **kw):
    loaded, mine = crm
    item = FollowUp(
        rule=rule, contact=contact, opportunity=opportunity, due=TODAY, last=TODAY,
        status="due", channel=channel, channel_why="", reason="", cause=Source(cause), **kw,
    )  # fmt: skip
    return draft(loaded, mine if profile else None, item, TODAY)


def body_of(text: str) -> str:
    return text.split(",\n\n", 1)[1]


def test_talking_points_are_prose_written_to_the_interviewer_with_a_tied_accomplishment(crm):
    text = letter(crm, "interview-thank-you", "jane", "interactions/acme-panel.md",
                  opportunity="acme")  # fmt: skip
    assert "Dear Jane Doe," in text
    assert (
        "Thank you for the time you and Dev Patel gave me yesterday to talk about the Senior "
        "Data Engineer position at Acme."
    ) in text
    # The point that names her first, written to "you"; the other one that fits second.
    assert (
        "I especially enjoyed our conversation about your concern about on-call load as the "
        "platform moves to streaming and about the plan for a self-serve analytics platform. "
        "The first of those is close to work I am proud of: "
        "I brought on-call pages down from 30 a week to 4 with data-quality checks."
    ) in text
    assert "I also led the lakehouse migration" in text
    assert "same kind of results" not in text and "\n- " not in text and ":\n" not in text
    for_dev = letter(crm, "interview-thank-you", "dev", "interactions/acme-panel.md",
                     channel="email", opportunity="acme")  # fmt: skip
    assert "your system design question about late-arriving events" in for_dev
    assert (
        "Subject: Thank you for yesterday's interview for the Senior Data Engineer position\n"
        in for_dev
    )


def test_a_rejection_straight_after_an_application_claims_no_meeting(crm):
    text = letter(crm, "rejection-follow-up", "rec", "interactions/beta-no.md", "email", "beta")
    assert "Dear Rashmi," in text  # a recruiter, her credentials left out
    assert not MEETING_WORDS.search(text), text
    assert "suggestions on how I might make my application stronger" in text
    assert (
        "Thank you for letting me know about the Data Engineer position at Beta, and for "
        "considering my application." in text
    )
    assert "Subject: Thank you, and future roles at Beta\n" in text


def test_without_an_opportunity_the_letter_speaks_of_the_role_we_discussed(crm):
    text = letter(crm, "interview-thank-you", "jane", "interactions/acme-panel.md")
    assert "about the role we discussed at Acme." in text
    assert "position position" not in text and "the the" not in text
    rejected = letter(crm, "rejection-follow-up", "jane", "interactions/acme-panel.md", "email")
    assert "Subject: Thank you, and future roles at Acme\n" in rejected
    assert "for considering me for the role we discussed at Acme" in rejected


@pytest.mark.parametrize(
    ("cause", "thanks"),
    [
        (
            "interactions/priya-intro.md",
            "Thank you for introducing me to Marcus Wong at Brightwater Health yesterday.",
        ),
        (
            "interactions/priya-info.md",
            "Thank you for the informational interview on Tuesday about how Litware's "
            "analytics team is organised.",
        ),
    ],
)
def test_thanks_name_the_help_in_correct_english(crm, cause, thanks):
    assert thanks in letter(crm, "thank-helper", "priya", cause, "email")


def test_help_without_specifics_gets_a_slot_and_specifics_read_as_a_list(crm):
    bare = letter(crm, "thank-helper", "karen", "interactions/karen-help.md", "email")
    assert (
        "Thank you for [WHAT THEY DID, in a few words: add it under 'specifics:' in "
        "interactions/karen-help.md]." in bare
    )
    tips = letter(crm, "thank-helper", "karen", "interactions/karen-tips.md", "email")
    assert "Thank you for your help on Wednesday." in tips
    assert (
        "I especially appreciated reviewing my CV, the tip about Acme, and a mock interview."
        in tips
    )


def test_close_the_loop_names_each_help_and_the_job_accepted(crm):
    text = letter(crm, "close-the-loop", "priya", "interactions/corvid-yes.md", "email", "corvid")
    assert "Dear Priya," in text
    assert "I have accepted the Staff Data Engineer position at Corvid Freight" in text
    assert (
        "Thank you for our conversation about how Litware's analytics team is organised, your "
        "introduction to Marcus Wong at Brightwater Health, and your referral to Corvid Freight "
        "for the Staff Data Engineer position: it made a real difference."
    ) in text


def test_close_the_loop_names_two_helps_of_one_kind_once(crm):
    # "Thank you for your help with reviewing my CV, the tip about Acme, and a
    # mock interview and your help" was drafted: a second help with no specifics.
    text = letter(crm, "close-the-loop", "karen", "interactions/corvid-yes.md", "email", "corvid")
    assert (
        "Thank you for your help with reviewing my CV, the tip about Acme, and a mock interview: "
        "it made a real difference." in text
    )


def test_family_gets_a_warm_note_where_the_search_is_news(make_crm):
    files = {k: v for k, v in FILES.items() if k != "interactions/corvid-yes.md"}
    root = make_crm(files)
    crm = (load_crm(root), load_profile(root)[0])
    text = letter(crm, "keep-in-touch", "maria", "interactions/maria-dinner.md", "email")
    assert text.startswith(
        "To: maria@example.org\nSubject: News from the job search\n\nHi Maria,\n"
    )
    assert "It was good to catch up last week" in text and "It has been a while" not in text
    # The news (with the companies' names), the kind of role, one way she could help.
    assert "I am interviewing with Acme." in text
    assert "What I am hoping for is a Senior Data Engineer role." in text
    assert (
        "looking for a Senior Data Engineer, at Cedar Hills Medical Center or anywhere else" in text
    )
    for form in ("lakehouse", "on-call", "nightly batch", "support", "[", "Best regards"):
        assert form not in text  # no résumé line, no form phrase, nothing to fill in
    assert text.endswith("Talk soon,\nAlex\n")


def test_after_accepting_a_check_in_shares_the_news_and_asks_for_nothing(crm):
    text = letter(crm, "keep-in-touch", "maria", "interactions/maria-dinner.md", "email")
    assert "I have accepted an offer as a Staff Data Engineer at Corvid Freight." in text
    assert "hoping" not in text and "looking for" not in text and "introduction" not in text
    assert text.endswith("Talk soon,\nAlex\n")


def test_a_professional_check_in_is_one_news_item_and_one_offer(crm):
    text = letter(crm, "keep-in-touch", "karen", "interactions/karen-help.md", "email")
    paragraphs = body_of(text).split("\n\n")[:-1]
    assert len(paragraphs) == 3, paragraphs
    assert paragraphs[1] == (
        "As for my news, I have accepted an offer as a Staff Data Engineer at Corvid Freight."
    )
    assert "just ask" in paragraphs[2] or "glad to help" in paragraphs[2]


def test_the_phone_channel_gives_a_three_line_call_script(crm):
    text = letter(crm, "keep-in-touch", "kevin", "contacts/kevin.md", "phone")
    lines = [line for line in text.splitlines() if line]
    assert lines[0] == "Call Kevin Brandt: +1 206-555-0123"
    assert [line.split(":")[0] for line in lines[1:]] == ["Open with", "Share", "Ask"]
    assert lines[1].startswith("Open with: Hi Kevin, it's Alex. I am calling to catch up")
    assert lines[3] == "Ask: How are things at Ridgeway Robotics?"


def test_no_placeholder_for_an_absent_phone_and_a_slot_for_a_missing_address(crm):
    text = letter(crm, "interview-thank-you", "dev", "interactions/acme-panel.md", "mail", "acme")
    assert "[YOUR PHONE]" not in text and "[YOUR EMAIL]" not in text
    assert text.startswith(
        "Alex Rivera\n418 Alder Street\nPortland, OR 97205\nalex@example.com\n\n"
    )
    assert "[THEIR POSTAL ADDRESS: add 'address' to contacts/dev.md]" in text
    email = letter(crm, "keep-in-touch", "kevin", "contacts/kevin.md", "email")
    assert email.startswith("To: [THEIR EMAIL ADDRESS: add 'email' to contacts/kevin.md]\n")


def test_without_accomplishments_no_claim_of_the_same_results(crm):
    text = letter(crm, "interview-thank-you", "jane", "interactions/acme-panel.md",
                  opportunity="acme", profile=False)  # fmt: skip
    assert "[ONE ACCOMPLISHMENT that shows what you would bring" in text
    assert "same" not in text and "results" not in text


def test_dates_are_natural_with_a_comma_after_the_year(crm):
    old = letter(crm, "resume-follow-up", "jane", "interactions/acme-app.md", "email", "acme")
    assert (
        "Since I applied for the Senior Data Engineer position at Acme on October 20, 2026, I have"
        in old
    )
    recent = letter(crm, "rejection-follow-up", "rec", "interactions/beta-no.md", "phone", "beta")
    assert "2026" not in recent


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_warns_of_a_missing_address_and_suggests_a_salutation_once(crm):
    loaded, _ = crm
    root = str(loaded.root)
    kevin = run("draft", "keep-in-touch", "kevin", "--root", root, "--today", "2026-11-20")
    assert kevin.exit_code == 0, kevin.output
    assert kevin.stderr == ""  # phoned (no email): a call script, nothing missing
    jane = run("draft", "interview-thank-you", "jane", "--root", root, "--today", "2026-11-20")
    assert jane.exit_code == 0
    assert jane.stderr.count("salutation") == 1
    assert jane.stderr == (
        "followup-gen: note: the draft greets them as 'Dear Jane Doe,'; add 'salutation:' to "
        "contacts/jane.md (such as their first name, or a title and surname) to make it "
        "personal\n"
    )
    dev = run("draft", "interview-thank-you", "dev", "--root", root, "--today", "2026-11-20")
    assert dev.exit_code == 0
    assert dev.stdout.startswith("To: dev@acme.example.com\n")


def test_cli_no_way_to_reach_them_is_a_warning_naming_the_file(make_crm):
    files = dict(FILES)
    files["interactions/kevin-help.md"] = (
        "---\ndate: 2026-11-19\ncontacts: kevin\nkind: help\n---\n"
    )
    files["contacts/kevin.md"] = re.sub(r" *phone: .*\n", "", files["contacts/kevin.md"])
    root = make_crm(files)
    result = run("draft", "thank-helper", "kevin", "--root", str(root), "--today", "2026-11-20")
    # Nothing on file to send it with: the channel is "other" (issue 15), the letter is
    # written all the same, and draft says what to add.
    assert result.exit_code == 0
    assert result.stdout.startswith("Dear Kevin,\n")
    assert result.stderr == (
        "followup-gen: warning: contacts/kevin.md has no email, postal address or phone: add "
        "one to send this letter\n"
    )


def test_cli_html_is_a_printable_page(crm):
    loaded, _ = crm
    result = run("draft", "keep-in-touch", "maria", "--root", str(loaded.root),
                 "--today", "2026-11-20", "--format", "html")  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.startswith("<!doctype html>\n")
    assert "<style>" in result.stdout and "@media print" in result.stdout
    assert "<p>Hi Maria,</p>" in result.stdout


def test_the_real_rules_give_each_open_letter_a_clean_draft(crm):
    loaded, profile = crm
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    drafted = 0
    for item in evaluation.followups:
        if item.rule in LETTER_RULES:
            text = draft(loaded, profile, item, TODAY)
            drafted += 1
            assert not problems_in(text, hiring=item.rule in HIRING_LETTERS, met=True), text
    assert drafted >= 6


def test_cli_notes_a_point_of_their_own_that_speaks_of_them_as_he_or_she(make_crm):
    # Written down after the interview as "her prototype", the point reads in
    # the letter to her as if about someone else.
    root = make_crm(
        {
            "profile.md": "---\nname: Alex Morgan\n---\n",
            "contacts/lena.md": "---\nname: Lena Ortiz\nrelationship: hiring\n"
            "salutation: Lena\nemail: lena@example.com\n---\n",
            "contacts/marc.md": "---\nname: Marc Bell\nrelationship: hiring\n"
            "salutation: Marc\nemail: marc@example.com\n---\n",
            "interactions/panel.md": "---\ndate: 2026-11-19\nkind: interview\n"
            "contacts: [lena, marc]\nspecifics:\n  - her team's roadmap\n"
            "  - lena: her prototype of the refill flow\n  - lena: the on-call load\n"
            "  - marc: his study of clinicians\n---\n",
        }
    )
    lena = run("draft", "interview-thank-you", "lena", "--root", str(root), "--today", "2026-11-20")
    assert lena.exit_code == 0, lena.output
    assert "her prototype of the refill flow" in lena.stdout  # the letter keeps what was written
    assert lena.stderr == (
        "followup-gen: note: the letter is to Lena Ortiz, whose own talking point 'her "
        "prototype of the refill flow' (interactions/panel.md) says 'her': if that means Lena "
        "Ortiz, write 'your' there\n"
    )
    marc = run("draft", "interview-thank-you", "marc", "--root", str(root), "--today", "2026-11-20")
    assert "'his study of clinicians' (interactions/panel.md) says 'his'" in marc.stderr


def test_a_recruiters_call_is_thanked_as_a_call_and_its_points_read_as_heard(make_crm):
    # "Thank you for your help yesterday. I especially appreciated the team is
    # rebuilding its patient app." was the draft.
    root = make_crm(
        {
            "profile.md": "---\nname: Alex Morgan\n---\n",
            "contacts/priya.md": "---\nname: Priya Shah\nrelationship: recruiter\n"
            "email: priya@example.com\n---\n",
            "opportunities/nw.md": "---\ncompany: Northwind Health\nrole: UX Researcher\n"
            "contacts: [priya]\n---\n",
            "interactions/call.md": "---\ndate: 2026-11-19\nkind: meeting\ncontacts: priya\n"
            "opportunity: nw\nchannel: phone\n"
            "specifics: [the team is rebuilding its patient app]\n---\n",
        }
    )
    result = run("draft", "thank-helper", "priya", "--root", str(root), "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "Subject: Thank you for your time\n" in result.stdout
    assert (
        "Thank you for taking my call yesterday about the UX Researcher position at Northwind "
        "Health. I especially appreciated hearing about how the team is rebuilding its patient "
        "app." in result.stdout
    )


def test_a_rejection_before_the_thank_you_recalls_their_point_written_to_them(make_crm):
    # "I especially enjoyed talking about Maria asked about my gap year." was
    # the draft to Maria: the point as typed, not as words to her.
    root = make_crm(
        {
            "profile.md": "---\nname: Sam Okafor\n---\n",
            "contacts/maria.md": "---\nname: Maria Gonzalez\nrelationship: hiring\n"
            "salutation: Maria\nemail: maria@example.com\n---\n",
            "contacts/tom.md": "---\nname: Tom Becker\nrelationship: hiring\n"
            "salutation: Tom\nemail: tom@example.com\n---\n",
            "opportunities/nw.md": "---\ncompany: Northwind\nrole: Product Designer\n"
            "contacts: [maria, tom]\n---\n",
            "interactions/iv.md": "---\ndate: 2026-11-18\nkind: interview\nopportunity: nw\n"
            "contacts: [maria, tom]\nspecifics:\n  - Maria asked about my gap year\n"
            "  - tom: Tom's question about accessibility audits\n---\n",
            "interactions/no.md": "---\ndate: 2026-11-19\nkind: rejection\nopportunity: nw\n"
            "contacts: [maria, tom]\n---\n",
        }
    )
    maria = run(
        "draft", "rejection-follow-up", "maria", "--root", str(root), "--today", "2026-11-20"
    )
    assert maria.exit_code == 0, maria.output
    assert "Subject: Thank you for the Product Designer interview\n" in maria.stdout
    assert "I especially enjoyed talking about your question about my gap year." in maria.stdout
    tom = run("draft", "rejection-follow-up", "tom", "--root", str(root), "--today", "2026-11-20")
    assert "I especially enjoyed talking about your question about accessibility audits." in (
        tom.stdout
    )


def test_cli_notes_he_or_she_in_a_point_of_a_meeting_with_them_alone(make_crm):
    # Drafted to Ruth: "I especially appreciated how she introduced me to her old
    # manager", with no word on standard error; a point of a meeting with one
    # person is theirs as much as one written 'ruth: ...'.
    root = make_crm(
        {
            "profile.md": "---\nname: Alex Morgan\n---\n",
            "contacts/ruth.md": "---\nname: Ruth Bader\nrelationship: past-coworker\n"
            "email: ruth@example.com\n---\n",
            "interactions/help.md": "---\ndate: 2026-11-19\nkind: help\ncontacts: ruth\n"
            "specifics:\n  - she introduced me to her old manager\n---\n",
        }
    )
    ruth = run("draft", "thank-helper", "ruth", "--root", str(root), "--today", "2026-11-20")
    assert ruth.exit_code == 0, ruth.output
    assert ruth.stderr == (
        "followup-gen: note: the letter is to Ruth Bader, whose own talking point 'she "
        "introduced me to her old manager' (interactions/help.md) says 'she': if that means "
        "Ruth Bader, write 'you' there\n"
    )


@pytest.mark.parametrize("channel", ["mail", "email", "linkedin"])
def test_the_offer_in_an_interview_thank_you_comes_before_the_last_thanks(crm, channel):
    # "Thank you again for your time and consideration." then "I also wanted you
    # to know that I have received an offer..." was the end of the letter.
    text = letter(crm, "interview-thank-you", "jane", "interactions/acme-panel.md", channel,
                  "acme", letter="interview-thank-you-offer")  # fmt: skip
    assert "I have received an offer from another company" in text
    if channel != "linkedin":
        offer = text.index("I have received an offer")
        assert offer < text.index("Thank you again for your time and consideration.")
