"""Marking follow-ups done: `done KEY`, `done RULE CONTACT`, `due --commands`."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.cli import rules as rules_cli
from followup_gen.load import load_crm
from followup_gen.outputs import closing
from followup_gen.outputs.closing import closings, short_keys
from followup_gen.rules.evaluate import evaluate

from .rulecase import contact, interaction, opportunity
from .test_report import SCENARIO

# Every rule has an item open on 2026-11-20.
EVERY_RULE = {
    "followup.yml": "today: 2026-11-20\n",
    "contacts/ana.md": contact("Ana Lima", "friend", address='"1 Elm St"'),
    "contacts/cy.md": contact("Cy Young", "friend", email="cy@example.com"),
    "contacts/jo.md": contact("Jo Park", title="CTO", address='"2 Oak St"'),
    "contacts/kim.md": contact("Kim Bell", email="kim@acme.example"),
    "contacts/hal.md": contact("Hal Ross", email="hal@zen.example"),
    "contacts/sam.md": contact("Sam Ode", email="sam@globex.example"),
    "contacts/bea.md": contact("Bea Cole", email="bea@initech.example"),
    "contacts/vi.md": contact("Vi Tran", email="vi@vox.example"),
    "opportunities/acme.md": opportunity("Acme", "Data Engineer", contacts=["jo", "kim"]),
    "opportunities/zen.md": opportunity("Zen", "Backend Engineer", contacts=["hal"]),
    "opportunities/globex.md": opportunity("Globex", "Analyst", contacts=["sam"]),
    "opportunities/initech.md": opportunity("Initech", "Engineer", contacts=["bea"]),
    "opportunities/vox.md": opportunity("Vox", "Lead", contacts=["vi"]),
    "interactions/a.md": interaction("2026-11-19 10:00", ["jo", "kim"], "interview", opportunity="acme"),
    "interactions/b.md": interaction("2026-06-01", "hal", "application", opportunity="zen"),
    "interactions/c.md": interaction("2026-07-01", "hal", "rejection", opportunity="zen"),
    "interactions/d.md": interaction("2026-07-02", "hal", "thank-you", opportunity="zen"),
    "interactions/e.md": interaction("2026-11-19", "sam", "rejection", opportunity="globex"),
    "interactions/f.md": interaction("2026-11-05", "bea", "application", opportunity="initech"),
    "interactions/g.md": interaction("2026-11-18", "ana", "help"),
    "interactions/h.md": interaction("2026-09-01", "cy", "check-in"),
    "interactions/i.md": interaction("2026-11-19", "vi", "accepted", opportunity="vox"),
}  # fmt: skip


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def open_items(root, day="2026-11-20"):
    loaded = load_crm(root)
    return evaluate(loaded.crm, dt.date.fromisoformat(day), loaded.settings).followups


def keys_of(root):
    items = open_items(root)
    return items, closings(load_crm(root).crm, items)


def test_done_by_key_closes_each_open_item_of_the_fixture(make_crm):
    """One message per person (the plan): each open item, whatever its rule, is
    closed by `done KEY`; the fixture opens items of most rules at once."""
    items, found = keys_of(make_crm(EVERY_RULE))
    closable = [i for i in items if i.status != "upcoming" and found[i.key].kind]
    assert len({i.rule for i in closable}) >= 5
    for item in closable:
        root = make_crm(EVERY_RULE)
        result = run("done", found[item.key].key, "--root", str(root))
        assert result.exit_code == 0, (item.rule, result.output)
        assert result.stderr == ""
        # A recurring item (a check-in) comes back later under the same key.
        assert (item.key, item.due) not in {(i.key, i.due) for i in open_items(root)}, item.rule


def test_the_log_command_shown_for_each_item_closes_it_too(make_crm):
    root = make_crm(EVERY_RULE)
    items, found = keys_of(root)
    for item in items:
        if item.status == "upcoming" or found[item.key].kind is None:
            continue
        words = found[item.key].command.split()
        assert words[:2] == ["followup-gen", "log"]
        assert run(*words[1:], "--root", str(root)).exit_code == 0
    done = {(i.key, i.due) for i in items if i.status != "upcoming" and found[i.key].kind}
    assert done and not done & {(i.key, i.due) for i in open_items(root)}


def test_done_by_key_writes_what_log_would_and_the_item_leaves_due(make_crm):
    root = make_crm(SCENARIO)
    items, found = keys_of(root)
    thanks = next(i for i in items if i.rule == "interview-thank-you")
    key = found[thanks.key].key
    assert len(key) == 4
    result = run("done", key.upper(), "--root", str(root))
    assert result.exit_code == 0, result.output
    path = root / "interactions/2026-11-20-thank-you-jo.md"
    assert result.stdout.startswith(
        f"{path}\n  closes {key}: Thank Jo Park for the interview on 2026-11-19 for "
        "Data Engineer at Acme."
    )
    assert path.read_text() == (
        "---\ndate: 2026-11-20\nkind: thank-you\ncontacts: jo\nchannel: email\n"
        "opportunity: acme\n---\n"
    )
    due = run("due", "--root", str(root)).stdout
    # The business-card request went with the thank-you (the plan merged them).
    assert "interview-thank-you" not in due and "business-card" not in due


def test_done_by_rule_and_contact_with_overrides(make_crm):
    root = make_crm(SCENARIO)
    result = run(
        "done", "thank-helper", "an", "--channel", "phone", "--date", "2026-11-19 18:30",
        "--note", "Called her.", "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (root / "interactions/2026-11-19-thank-you-ana.md").read_text() == (
        "---\ndate: 2026-11-19 18:30\nkind: thank-you\ncontacts: ana\nchannel: phone\n---\n"
        "\nCalled her.\n"
    )
    assert "thank-helper" not in run("due", "--root", str(root)).stdout


def test_what_done_refuses_writes_nothing(make_crm):
    root = make_crm(SCENARIO)
    before = sorted(p.name for p in (root / "interactions").iterdir())
    items, found = keys_of(root)
    thanks = found[next(i.key for i in items if i.rule == "interview-thank-you")]
    refused = {
        # One unknown key among good ones: nothing at all is written.
        (thanks.key, "zzzzz"): "no open item has the key 'zzzzz' (followup-gen due --commands "
        "lists each item's key).",
        ("interview-thankyou", "jo"): "no open item has the key 'interview-thankyou', and no "
        "rule is called so (did you mean 'interview-thank-you'?)",
        ("keep-in-touch", "jo"): "Jo Park has no open keep-in-touch; open for them: "
        f"{thanks.key} (interview-thank-you for jo about acme, due).",
        ("thank-helper", "nobody"): "unknown contact 'nobody'; nothing written",
        (thanks.key, "--date", "2026-11-18"): f"{thanks.key} comes from "
        "interactions/2026-11-19-acme.md of 2026-11-19; a thank-you dated 2026-11-18 is before "
        "it and would not close it; nothing written",
    }
    for args, message in refused.items():
        result = run("done", *args, "--root", str(root))
        assert (result.exit_code, result.stderr) == (1, f"followup-gen: {message}\n"), args
    assert run("done", "thank-helper", "--root", str(root)).exit_code == 2
    assert run("done", thanks.key, "-o", "acme", "--root", str(root)).exit_code == 2
    assert run("done", thanks.key, "--channel", "pigeon", "--root", str(root)).exit_code == 2
    assert sorted(p.name for p in (root / "interactions").iterdir()) == before


def test_short_keys_are_stable_from_day_to_day_and_unique(make_crm, monkeypatch):
    root = make_crm(EVERY_RULE)
    today, tomorrow = open_items(root), open_items(root, "2026-11-21")
    both = {i.key for i in today} & {i.key for i in tomorrow}
    assert len(both) >= 5
    first, second = short_keys(today), short_keys(tomorrow)
    assert {k: first[k] for k in both} == {k: second[k] for k in both}
    assert len(set(first.values())) == len(first)
    # When two items' hashes start alike, both keys grow until they differ.
    monkeypatch.setattr(closing, "KEY_LENGTH", 1)
    short = short_keys(today)
    assert len(set(short.values())) == len(short)
    assert {len(k) for k in short.values()} != {1}
    for key, value in short.items():
        assert closing.matching(today, value) == [i for i in today if i.key == key]


def test_due_commands_lists_each_item_with_its_key_and_command(make_crm):
    root = make_crm(SCENARIO)
    items, found = keys_of(root)
    k = {i.rule: found[i.key].key for i in items}
    result = run("due", "--commands", "--root", str(root))
    assert result.exit_code == 0
    assert result.stdout == (
        f"{k['bridge-check-in']}  overdue   2026-10-18  Hal Ross · bridge-check-in · zen · other\n"
        "      followup-gen log check-in hr --opportunity zen\n"
        f"{k['thank-helper']}  overdue   2026-11-19  Ana Lima · thank-helper · mail\n"
        "      followup-gen log thank-you ana --channel mail\n"
        f"{k['interview-thank-you']}  due       2026-11-20  Jo Park · interview-thank-you · "
        "acme · email\n"
        "      followup-gen log thank-you jo --opportunity acme --channel email\n"
        "\n"
        f"Mark one done with followup-gen done KEY (followup-gen done {k['bridge-check-in']}), "
        "or run the command under it.\n"
    )
    limited = run("due", "--commands", "--limit", "1", "--root", str(root)).stdout
    assert "... and 2 more (--limit 0 lists them all).\n" in limited


def test_due_at_a_terminal_says_how_to_mark_an_item_done(make_crm, monkeypatch):
    root = str(make_crm(SCENARIO))
    assert "followup-gen done" not in run("due", "--root", root).stdout  # piped: the table only
    monkeypatch.setattr(rules_cli, "_stdout_is_terminal", lambda: True)
    out = run("due", "--root", root).stdout  # wrapped to the terminal's width
    assert out.endswith("and command).\n")
    assert " ".join(out.split()).endswith(
        "Done one? followup-gen done KEY (followup-gen due --commands shows each item's key "
        "and command)."
    )


def test_the_closing_interaction_for_github_is_a_valid_file(make_crm):
    from followup_gen.exchange import write

    root = make_crm(SCENARIO)
    items, found = keys_of(root)
    for item in items:
        closed = found[item.key]
        if closed.kind is None:
            continue
        day = dt.date(2026, 11, 20)
        new = write.NewFile(
            "interaction", closed.interaction_path(day), closed.interaction_text(day)
        )
        assert write.check(new) == ()
        assert new.path.startswith("interactions/2026-11-20-")


@pytest.mark.parametrize("contact_id", ["jane-doe", "true", "2026", "no", "2026-11-20", "null"])
def test_ids_yaml_would_misread_are_quoted_in_the_closing_file(contact_id):
    from followup_gen.exchange import write
    from followup_gen.load.files import parse_record
    from followup_gen.outputs.closing import Closing

    closed = Closing("abcd", "keep-in-touch", "check-in", contact_id, "null", "email", "c.md")
    text = closed.interaction_text(dt.date(2026, 11, 20))
    new = write.NewFile("interaction", closed.interaction_path(dt.date(2026, 11, 20)), text)
    assert write.check(new) == ()
    raw, _ = parse_record(new.path, text.encode(), "interaction")
    values = {f.key: f.value for f in raw.fields}
    assert (values["contacts"], values["opportunity"]) == (contact_id, "null")
