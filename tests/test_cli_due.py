"""`followup-gen due`: the terminal table, exact output and exit codes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.cli import rules as rules_cli
from followup_gen.rules import RULES

from .rulecase import contact, interaction
from .test_report import SCENARIO

PAD = " " * 61
TABLE = (
    "STATUS   DUE         CONTACT   RULE                 CHANNEL  REASON\n"
    "overdue  2026-10-18  Hal Ross  bridge-check-in      other    Check in with Hal Ross, a bridge from Backend Engineer at Zen: restate your interest in future positions.\n"
    f"{PAD}other: No way to reach them is on file: add an email or postal address to contacts/hr.md. Log 'check-in' when done.\n"
    "overdue  2026-11-19  Ana Lima  thank-helper         mail     Thank Ana Lima, who helped your search on 2026-11-18.\n"
    f"{PAD}mail: Direct mail is more effective than email and a much better differentiator. Log 'thank-you' when done.\n"
    "due      2026-11-20  Jo Park   interview-thank-you  email    Thank Jo Park for the interview on 2026-11-19 for Data Engineer at Acme. Ask for their business card in the same note, or confirm the spelling of their name, their title and address before you mail it.\n"
    f"{PAD}email: No postal address is known, so email (fast and simple); add their address to contacts/jo.md to send a letter, which stands out more. Log 'thank-you' when done.\n"
)
HELD = (
    "1 more waits behind an open item for the same person (one message at a time; "
    "'report --json' lists them under 'held').\n"
)
FOOTER = (
    "Stalled: Analyst at Globex: No news for 19 days since 2026-11-01.\n"
    "  It may mean: Hiring for this job may have been put on a back burner. You may be a "
    "back-up candidate, not the front runner. They may still be interviewing. They may have "
    "hired someone else and not told you.\n"
    "  Do: Book more interviews: when hiring authorities are impressed the process gets "
    "shorter, never longer, so do not sit waiting on an offer that may never come.\n"
    "  Do: Send at most one note, and only with something new that benefits them (a result, "
    "an idea for their team); never ask for a status update.\n"
    "Only 1 opportunity is at the interview stage (target 3): book more interviews so you "
    "are not waiting on an offer that may never come.\n"
)
WARNINGS = (
    "contacts/ana.md:5: warning: unknown key 'nickname' for a contact (did you mean 'name'?); it is ignored [unknown-key]\n"
    "interactions/2026-11-19-acme.md:4: warning: this interview has no 'specifics' and its "
    "thank-you letter is still open: list what was discussed while it is fresh [no-specifics]\n"
)


def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def test_due_table_overdue_then_due_with_counts_and_warnings(make_crm):
    result = run("due", "--root", str(make_crm(SCENARIO)))
    assert result.exit_code == 0
    assert result.stdout == (
        TABLE + "\n2 overdue, 1 due, 0 upcoming in the next 7 days.\n" + HELD + FOOTER
    )
    assert result.stderr == WARNINGS


def test_within_adds_upcoming_items(make_crm):
    files = {**SCENARIO, "contacts/ana.md": contact("Ana Lima", "friend", address='"1 Elm St"')}
    files["interactions/2026-11-19-ana.md"] = interaction("2026-11-19", "ana", "thank-you")
    result = run("due", "--root", str(make_crm(files)), "--within", "30")
    assert result.exit_code == 0
    rows = [line.split()[:4] for line in result.stdout.splitlines()[1:] if line[:1].strip()]
    assert rows[:3] == [
        ["overdue", "2026-10-18", "Hal", "Ross"],
        ["due", "2026-11-20", "Jo", "Park"],
        ["upcoming", "2026-12-19", "Ana", "Lima"],
    ]
    assert "0 overdue" not in result.stdout
    assert "\n1 overdue, 1 due, 1 upcoming in the next 30 days.\n" in result.stdout


def test_nothing_due_says_so_kindly(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend"),
        "interactions/a.md": interaction("2026-11-01", "ana", "check-in"),
        "followup.yml": "stalled:\n  min_active_interviews: 0\n",
    }
    result = run("due", "--root", str(make_crm(files)), "--today", "2026-11-02", "--within", "1")
    assert result.exit_code == 0
    assert result.stdout == (
        "Nothing to follow up on today or in the next 1 days (2026-11-02). Nicely done.\n"
    )
    assert result.stderr == ""


def test_nothing_due_is_not_nicely_done_while_the_pipeline_is_short(make_crm):
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend"),
        "interactions/a.md": interaction("2026-11-01", "ana", "check-in"),
    }
    result = run("due", "--root", str(make_crm(files)), "--today", "2026-11-02", "--within", "1")
    assert result.stdout == (
        "Nothing to follow up on today or in the next 1 days (2026-11-02).\n"
        "No opportunity is at the interview stage (target 3): book interviews so you are not "
        "waiting on an offer that may never come.\n"
    )


def test_status_is_coloured_only_on_a_terminal(make_crm, monkeypatch):
    root = str(make_crm(SCENARIO))
    assert "\x1b[" not in run("due", "--root", root, color=True).stdout
    monkeypatch.setattr(rules_cli, "_stdout_is_terminal", lambda: True)
    out = run("due", "--root", root, color=True).stdout
    assert "\x1b[31m\x1b[1moverdue\x1b[0m  2026-11-19  Ana Lima" in out
    assert "\x1b[33mdue    \x1b[0m  2026-11-20  Jo Park" in out


def test_errors_print_the_problems_the_list_from_the_rest_and_exit_1(make_crm):
    root = make_crm(
        {**SCENARIO, "interactions/x.md": "---\ndate: 2026-11-20\ncontacts: ana\n---\n"}
    )
    result = run("due", "--root", str(root))
    clean = run("due", "--root", str(make_crm(SCENARIO)))
    assert result.exit_code == 1
    assert result.stdout == clean.stdout  # the broken file named nothing else
    assert result.stderr.startswith(clean.stderr)  # the warnings, then the error
    assert "interactions/x.md:1: error: " in result.stderr
    assert "[missing-field]" in result.stderr
    assert result.stderr.endswith(
        "followup-gen: 1 file has errors (listed above): interactions/x.md. Their records,"
        " and items that depend on them, may be missing until they are fixed.\n"
    )


def test_usage_errors_exit_2(make_crm):
    root = str(make_crm(SCENARIO))
    assert run("due", "--root", root, "--within", "-1").exit_code == 2
    assert run("due", "--root", root, "--today", "20-11-2026").exit_code == 2


def test_due_never_writes_to_the_data(make_crm):
    root = make_crm(SCENARIO)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    run("due", "--root", str(root))
    run("report", "--json", "--root", str(root))
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before


def test_the_example_crm_shows_a_useful_mix():
    from .conftest import ROOT

    result = run("due", "--root", str(ROOT))
    assert result.exit_code == 0, result.stderr
    rows = [
        line.split()
        for line in result.stdout.splitlines()[1:]
        if line.split()[:1] in (["overdue"], ["due"], ["upcoming"])
    ]
    assert {row[0] for row in rows} == {"overdue", "due", "upcoming"}
    rules = {word for row in rows for word in row if word in {r.id for r in RULES}}
    assert len(rules) >= 5, rules


def test_a_backlog_lists_the_most_urgent_and_counts_the_rest(make_crm):
    limited = run("due", "--root", str(make_crm(SCENARIO)), "--limit", "2")
    assert limited.exit_code == 0
    lines = limited.stdout.splitlines()
    assert lines[0].split() == ["STATUS", "DUE", "CONTACT", "RULE", "CHANNEL", "REASON"]
    assert [line.split()[:4] for line in lines[1:5:2]] == [
        ["overdue", "2026-10-18", "Hal", "Ross"],
        ["overdue", "2026-11-19", "Ana", "Lima"],
    ]
    assert lines[5:8] == [
        "... and 1 more (the first 2 are the most urgent; --limit 0 lists them all).",
        "",
        "2 overdue, 1 due, 0 upcoming in the next 7 days.",  # the count is of all
    ]
    assert limited.stdout.endswith(HELD + FOOTER)
    everything = run("due", "--root", str(make_crm(SCENARIO)), "--limit", "0")
    assert everything.stdout == (
        TABLE + "\n2 overdue, 1 due, 0 upcoming in the next 7 days.\n" + HELD + FOOTER
    )
    assert run("due", "--root", str(make_crm(SCENARIO)), "--limit", "-1").exit_code == 2


ANSI = __import__("re").compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("width", [120, 80, 50])
def test_at_a_terminal_every_line_fits_its_width(make_crm, monkeypatch, width):
    # On an 80-column terminal the reason started at column 71 and ran on
    # across the next lines from their first column.
    root = str(make_crm(SCENARIO))
    # Piped into a script, the lines stay whole whatever the terminal.
    piped = run("due", "--root", root, env={"COLUMNS": str(width)}).stdout
    assert piped == run("due", "--root", root).stdout
    assert "Acme. Ask for their business card in the same note" in piped
    monkeypatch.setattr(rules_cli, "_stdout_is_terminal", lambda: True)
    out = run("due", "--root", root, env={"COLUMNS": str(width)}).stdout
    lines = [ANSI.sub("", line) for line in out.splitlines()]
    assert max(map(len, lines)) <= width, "\n".join(x for x in lines if len(x) > width)
    # The same words, only wrapped.
    said = " ".join(" ".join(lines).split())
    for sentence in (
        "Thank Jo Park for the interview on 2026-11-19 for Data Engineer at Acme.",
        "Log 'check-in' when done.",
        "2 overdue, 1 due, 0 upcoming",
    ):
        assert sentence in said
