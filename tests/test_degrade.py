"""One broken file never hides the day: the rest is evaluated, the break said once.

The scenario of issue 17: a tab typed into Priya's contact file. Before, `due`
printed only "6 errors ... fix them first" and exited 1; the offer logged with
Priya vanished, so the opportunity fell back to "interviewing" and showed as
stalled; four interactions said Priya "has no file".
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

FILES = {
    "contacts/priya-raman.md": "---\nname: Priya Raman\nrelationship: hiring\ncompany: Beta\n---\n",
    "contacts/sam-lee.md": "---\nname: Sam Lee\nrelationship: hiring\ncompany: Beta\n---\n",
    "contacts/maya.md": "---\nname: Maya Rivera\nrelationship: friend\nmet: 2026-01-05\n---\n",
    "opportunities/beta-data-engineer.md": "---\ncompany: Beta\nrole: Data Engineer\n"
    "contacts: [priya-raman, sam-lee]\nexpected_decision: 2026-11-01\n---\n",
    "interactions/2026-10-01-apply.md": "---\ndate: 2026-10-01\ncontacts: [priya-raman]\n"
    "kind: application\nopportunity: beta-data-engineer\n---\n",
    "interactions/2026-10-10-interview.md": "---\ndate: 2026-10-10\n"
    "contacts: [priya-raman, sam-lee]\nkind: interview\nopportunity: beta-data-engineer\n"
    "specifics: [the streaming roadmap]\n---\n",
    "interactions/2026-10-11-thanks.md": "---\ndate: 2026-10-11\ncontacts: [priya-raman, sam-lee]\n"
    "kind: thank-you\nopportunity: beta-data-engineer\n---\n",
    "interactions/2026-11-25-offer.md": "---\ndate: 2026-11-25\ncontacts: [priya-raman]\n"
    "kind: offer\nopportunity: beta-data-engineer\n---\n",
}
TODAY = "2026-12-01"


def broken(make_crm):
    files = dict(FILES)
    files["contacts/priya-raman.md"] = files["contacts/priya-raman.md"].replace(
        "company:", "\tcompany:"
    )
    return make_crm(files)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_one_broken_file_is_one_error_and_one_note_of_what_it_takes(make_crm):
    loaded = load_crm(broken(make_crm))
    assert [(p.file, p.code) for p in loaded.problems] == [
        ("contacts/priya-raman.md", "left-out"),
        ("contacts/priya-raman.md", "yaml-syntax"),
    ]
    assert "4 interactions naming it are left out, and 1 opportunity naming it is shown" in (
        loaded.problems[0].message
    )
    assert ("opportunity", "beta-data-engineer") in loaded.crm.incomplete


def test_due_lists_the_rest_says_what_may_be_missing_and_exits_1(make_crm):
    result = run("due", "--root", broken(make_crm), "--today", TODAY)
    assert result.exit_code == 1
    assert "Maya Rivera" in result.stdout and "keep-in-touch" in result.stdout
    # The opportunity whose offer was logged with Priya is not called stalled.
    assert "Stalled" not in result.stdout
    assert "Nicely done" not in result.stdout
    assert "has no file" not in result.stderr
    assert result.stderr.endswith(
        "followup-gen: 1 file has errors (listed above): contacts/priya-raman.md. Their"
        " records, and items that depend on them, may be missing until they are fixed.\n"
    )


def test_the_report_carries_the_problems_and_the_valid_items(make_crm):
    root = broken(make_crm)
    result = run("report", "--json", "--root", root, "--today", TODAY)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {p["code"] for p in report["problems"]} == {"left-out", "yaml-syntax"}
    assert report["stalled"] == []
    assert "maya" in {f["contact"] for f in report["followups"]}


def test_the_calendar_and_a_draft_still_work(make_crm, tmp_path):
    root = broken(make_crm)
    feed = tmp_path / "f.ics"
    result = run("ics", "--root", root, "--today", TODAY, "--out", feed)
    assert result.exit_code == 1, result.output
    assert "Maya Rivera" in feed.read_text(encoding="utf-8")
    letter = run("draft", "keep-in-touch", "maya", "--root", root, "--today", TODAY)
    assert "Maya" in letter.stdout, letter.output
