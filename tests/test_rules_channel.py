"""Channels: never one the contact's file cannot support, and always why."""

from __future__ import annotations

import json

from click.testing import CliRunner

from followup_gen.cli import main

from .rulecase import contact, interaction, only, opportunity, run

IV = interaction("2026-11-10", "jo", "interview", opportunity="acme", specifics=["x"])
ACME = opportunity("Acme", "Data Engineer", contacts=["jo"])


def channel(make_crm, jo: str, today: str = "2026-11-11", **extra):
    files = {"contacts/jo.md": jo, "opportunities/acme.md": ACME, "interactions/iv.md": IV}
    [item] = run(make_crm, {**files, **extra}, today).followups
    return item.channel, item.also_by, item.channel_why


def test_no_email_is_recommended_without_an_email_address(make_crm):
    # Email used to be recommended to people with no email address.
    assert channel(make_crm, contact("Jo Park", phone="555-0100")) == (
        "phone",
        None,
        "No email or postal address is known, so call; add an email or postal address to "
        "contacts/jo.md.",
    )
    assert channel(make_crm, contact("Jo Park", linkedin="https://linkedin.com/in/jo"))[0] == (
        "linkedin"
    )
    assert channel(make_crm, contact("Jo Park")) == (
        "other",
        None,
        "No way to reach them is on file: add an email or postal address to contacts/jo.md.",
    )


def test_an_interview_thank_you_with_an_address_is_a_letter_and_an_email(make_crm):
    jo = contact("Jo Park", email="jo@acme.example", address='"1 Elm St"')
    assert channel(make_crm, jo) == (
        "mail",
        "email",
        "Send a letter by mail, the better differentiator, and email a short thanks within "
        "24–36 hours too, as the post may arrive after that window.",
    )
    handwritten = channel(make_crm, jo, **{"followup.yml": "legible_handwriting: true\n"})
    assert handwritten[:2] == ("handwritten", "email")


def test_check_ins_go_by_mail_when_an_address_is_known(make_crm):
    # Check-ins used to be emailed even with an address on file.
    files = {
        "contacts/ana.md": contact("Ana Lima", "friend", email="a@x.example", address='"1 Elm"'),
        "interactions/c.md": interaction("2026-10-01", "ana", "check-in"),
    }
    [item] = only(run(make_crm, files, "2026-11-01"), "keep-in-touch")
    assert (item.channel, item.channel_why) == (
        "mail",
        "Direct mail is more effective than email and a much better differentiator.",
    )
    files["followup.yml"] = "legible_handwriting: true\n"
    assert only(run(make_crm, files, "2026-11-01"), "keep-in-touch")[0].channel == "handwritten"


def test_due_and_the_report_say_why(make_crm):
    files = {
        "contacts/jo.md": contact("Jo Park"),
        "opportunities/acme.md": ACME,
        "interactions/iv.md": IV,
    }
    root = str(make_crm(files))
    due = CliRunner().invoke(main, ["due", "--root", root, "--today", "2026-11-11"]).stdout
    assert "other: No way to reach them is on file: add an email or postal address" in due
    report = CliRunner().invoke(main, ["report", "--json", "--root", root, "--today", "2026-11-11"])
    [item] = json.loads(report.stdout)["followups"]
    assert item["channel_why"].startswith("No way to reach them is on file")
    assert item["what_to_say"].startswith("Bring up the specifics you discussed")
    assert item["talking_points"] == ["x"]
