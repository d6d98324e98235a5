"""`followup-gen report --json`: a scenario CRM and its whole report, exactly."""

from __future__ import annotations

import json

from click.testing import CliRunner

from followup_gen.cli import main

from .rulecase import contact, interaction, opportunity

SCENARIO = {
    "followup.yml": "today: 2026-11-20\n",
    "contacts/ana.md": contact("Ana Lima", "friend", address='"1 Elm St"', nickname="Annie"),
    "contacts/jo.md": contact("Jo Park", title="CTO", email="jo@acme.example"),
    "contacts/hr.md": contact("Hal Ross"),
    "contacts/sam.md": contact("Sam Ode", do_not_contact=True),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo"]),
    "opportunities/zen.md": opportunity("Zen", "Backend Engineer", contacts=["hr"]),
    "opportunities/globex.md": opportunity("Globex", "Analyst", contacts=["sam"]),
    "interactions/2026-09-01-zen.md": interaction(
        "2026-09-01", "hr", "application", opportunity="zen"
    ),
    "interactions/2026-09-20-zen.md": interaction(
        "2026-09-20", "hr", "rejection", opportunity="zen"
    ),
    "interactions/2026-09-21-zen.md": interaction(
        "2026-09-21", "hr", "thank-you", opportunity="zen"
    ),
    "interactions/2026-11-01-globex.md": interaction(
        "2026-11-01", "sam", "interview", opportunity="globex"
    ),
    "interactions/2026-11-18-ana.md": interaction("2026-11-18", "ana", "help"),
    "interactions/2026-11-19-acme.md": interaction(
        "2026-11-19", "jo", "interview", opportunity="acme"
    ),
}

EXPECTED = {
    "schema": 2,
    "today": "2026-11-20",
    "search": {"state": "active", "ended": None, "accepted": None},
    "followups": [
        {
            "rule": "bridge-check-in",
            "contact": "hr",
            "opportunity": "zen",
            "due": "2026-10-18",
            "last": "2026-10-25",
            "status": "overdue",
            "channel": "other",
            "also_by": None,
            "channel_why": "No way to reach them is on file: add an email or postal address to contacts/hr.md.",
            "reason": "Check in with Hal Ross, a bridge from Backend Engineer at Zen: restate your interest in future positions.",
            "what_to_say": "Restate your interest in future positions with them and ask whether someone in their professional network could use someone like you.",
            "talking_points": [],
            "closed_by": ["check-in"],
            "merged": [],
            "held_by": None,
        },
        {
            "rule": "thank-helper",
            "contact": "ana",
            "opportunity": None,
            "due": "2026-11-19",
            "last": "2026-11-19",
            "status": "overdue",
            "channel": "mail",
            "also_by": None,
            "channel_why": "Direct mail is more effective than email and a much better differentiator.",
            "reason": "Thank Ana Lima, who helped your search on 2026-11-18.",
            "what_to_say": "Thank them for what they did and tell them how it helps your search; people who feel thanked keep helping.",
            "talking_points": [],
            "closed_by": ["thank-you"],
            "merged": [],
            "held_by": None,
        },
        {
            "rule": "interview-thank-you",
            "contact": "jo",
            "opportunity": "acme",
            "due": "2026-11-20",
            "last": "2026-11-20",
            "status": "due",
            "channel": "email",
            "also_by": None,
            "channel_why": "No postal address is known, so email (fast and simple); add their address to contacts/jo.md to send a letter, which stands out more.",
            "reason": "Thank Jo Park for the interview on 2026-11-19 for Data Engineer at Acme. Ask for their business card in the same note, or confirm the spelling of their name, their title and address before you mail it.",
            "what_to_say": "Bring up the specifics you discussed, stress your accomplishments and the benefits Acme would enjoy by hiring you.",
            "talking_points": [],
            "closed_by": ["thank-you"],
            "merged": ["business-card"],
            "held_by": None,
        },
    ],
    "held": [
        {
            "rule": "keep-in-touch",
            "contact": "ana",
            "opportunity": None,
            "due": "2026-12-18",
            "last": "2026-12-25",
            "status": "upcoming",
            "channel": "mail",
            "also_by": None,
            "channel_why": "Direct mail is more effective than email and a much better differentiator.",
            "reason": "Check in with Ana Lima (friend, every 30 days; last in touch 2026-11-18). It waits until the thank-helper item for Ana Lima is done.",
            "what_to_say": "Share how your search is going and what you are looking for, ask how they are, and thank them for any help so far.",
            "talking_points": [],
            "closed_by": ["check-in"],
            "merged": [],
            "held_by": "thank-helper",
        }
    ],
    "stalled": [
        {
            "opportunity": "globex",
            "stage": "interviewing",
            "last_activity": "2026-11-01",
            "days_quiet": 19,
            "reason": "No news for 19 days since 2026-11-01.",
            "readings": [
                "Hiring for this job may have been put on a back burner.",
                "You may be a back-up candidate, not the front runner.",
                "They may still be interviewing.",
                "They may have hired someone else and not told you.",
            ],
            "actions": [
                "Book more interviews: when hiring authorities are impressed the process gets shorter, never longer, so do not sit waiting on an offer that may never come.",
                "Send at most one note, and only with something new that benefits them (a result, an idea for their team); never ask for a status update.",
            ],
        }
    ],
    "pipeline": {
        "active_interviews": 1,
        "target": 3,
        "healthy": False,
        "message": "Only 1 opportunity is at the interview stage (target 3): book more interviews so you are not waiting on an offer that may never come.",
    },
    "bridges": [
        {
            "contact": "hr",
            "opportunities": ["zen"],
            "last_contact": "2026-09-21",
            "next_check_in": "2026-10-18",
        }
    ],
    "problems": [
        {
            "severity": "warning",
            "file": "contacts/ana.md",
            "line": 5,
            "code": "unknown-key",
            "message": "unknown key 'nickname' for a contact (did you mean 'name'?); it is ignored",
        },
        {
            "severity": "warning",
            "file": "interactions/2026-11-19-acme.md",
            "line": 4,
            "code": "no-specifics",
            "message": "this interview has no 'specifics' and its thank-you letter is still open: list what was discussed while it is fresh",
        },
    ],
}


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_whole_report_of_a_scenario(make_crm):
    root = make_crm(SCENARIO)
    result = run("report", "--json", "--root", str(root))
    assert result.exit_code == 0
    assert result.stdout == json.dumps(EXPECTED, indent=2) + "\n"
    assert result.stderr == "".join(
        f"{p['file']}:{p['line']}: warning: {p['message']} [{p['code']}]\n"
        for p in EXPECTED["problems"]
    )


def test_same_files_same_day_byte_identical(make_crm):
    first = run("report", "--json", "--root", str(make_crm(SCENARIO)), "--today", "2026-12-01")
    second = run("report", "--json", "--root", str(make_crm(SCENARIO)), "--today", "2026-12-01")
    assert first.exit_code == 0
    assert json.loads(first.stdout)["today"] == "2026-12-01"
    assert first.stdout == second.stdout


def test_today_option_wins_over_the_pinned_day(make_crm):
    result = run("report", "--json", "--root", str(make_crm(SCENARIO)), "--today", "2026-11-19")
    followups = json.loads(result.stdout)["followups"]
    assert [(f["rule"], f["status"], f["merged"]) for f in followups] == [
        ("bridge-check-in", "overdue", []),
        ("thank-helper", "due", []),
        ("interview-thank-you", "upcoming", ["business-card"]),
    ]


def test_errors_exit_1_with_the_report_of_the_rest_and_its_problems(make_crm):
    root = make_crm({**SCENARIO, "contacts/bad.md": "---\nname: B\nrelationship: freind\n---\n"})
    result = run("report", "--json", "--root", str(root))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert "unknown-value" in [p["code"] for p in report["problems"]]
    clean = json.loads(run("report", "--json", "--root", str(make_crm(SCENARIO))).stdout)
    assert report["followups"] == clean["followups"]
    assert "contacts/bad.md:3: error: 'relationship' unknown value 'freind'" in result.stderr
    assert result.stderr.endswith("may be missing until they are fixed.\n")


def test_report_without_json_is_a_usage_error(make_crm):
    result = run("report", "--root", str(make_crm(SCENARIO)))
    assert result.exit_code == 2
    assert "say 'report --json'" in result.stderr
