"""The work-search record: contacts with employers in a period, as CSV or Markdown."""

from __future__ import annotations

from click.testing import CliRunner

from followup_gen.cli import main

FILES = {
    "contacts/jane.md": "---\nname: Jane Doe\nrelationship: hiring\ncompany: Acme\n---\n",
    "contacts/maya.md": "---\nname: Maya Rivera\nrelationship: family\n---\n",
    "contacts/raj.md": "---\nname: Raj Patel\nrelationship: past-coworker\n---\n",
    "opportunities/acme-de.md": "---\ncompany: Acme\nrole: Data Engineer\ncontacts: [jane]\n---\n",
    "interactions/1.md": "---\ndate: 2026-11-02\ncontacts: jane\nkind: application\n"
    "opportunity: acme-de\nchannel: email\n---\n",
    "interactions/2.md": "---\ndate: 2026-11-05\ncontacts: jane\nkind: interview\n"
    "opportunity: acme-de\nchannel: video\n---\n",
    "interactions/3.md": "---\ndate: 2026-11-05\ncontacts: raj\nkind: referral\n"
    "opportunity: acme-de\n---\n",
    "interactions/4.md": "---\ndate: 2026-11-06\ncontacts: maya\nkind: check-in\n---\n",
    "interactions/5.md": "---\ndate: 2026-11-20\ncontacts: jane\nkind: thank-you\n---\n",
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_csv_lists_each_contact_with_an_employer_in_the_period(make_crm):
    root = make_crm(FILES)
    result = run("export", "activity", "--from", "2026-11-01", "--to", "2026-11-10", "--root", root)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "date,company,role,people,kind,channel,file\n"
        "2026-11-02,Acme,Data Engineer,Jane Doe,application,email,interactions/1.md\n"
        "2026-11-05,Acme,Data Engineer,Jane Doe,interview,video,interactions/2.md\n"
    )


def test_the_markdown_table_and_the_default_end_today(make_crm):
    root = make_crm({**FILES, "followup.yml": "today: 2026-11-30\n"})
    result = run("export", "activity", "--from", "2026-11-10", "--format", "md", "--root", root)
    assert result.stdout == (
        "# Work-search record, November 10, 2026 to November 30, 2026\n\n"
        "1 contact with employers.\n\n"
        "| Date | Company | Role | People | What | How |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 2026-11-20 | Acme | — | Jane Doe | thank-you | — |\n"
    )
    backwards = run("export", "activity", "--from", "2026-12-10", "--root", root)
    assert backwards.exit_code == 2
    assert "'--from': 2026-12-10 is after today (2026-11-30), the default --to" in backwards.stderr
