"""The calendar feed: `followup-gen ics` and `ics.calendar`, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from icalendar import Calendar

from followup_gen.cli import main
from followup_gen.load import load_crm
from followup_gen.outputs.calendar import calendar, fold, text
from followup_gen.rules.evaluate import evaluate

FILES = {
    "followup.yml": "site:\n  title: Ann's search\n",
    "contacts/jane-doe.md": "---\nname: Jane Doe\nrelationship: hiring\ncompany: Acme\n"
    "title: VP; Data, Platform\naddress: 1 Main St\n---\n",
    "contacts/bob.md": "---\nname: Bob Roe\nrelationship: friend\nemail: bob@example.com\n"
    "met: 2026-09-01\n---\n",
    # Bob's last check-in: his next is due a month later, and overdue by November.
    "interactions/2026-09-01-bob.md": "---\ndate: 2026-09-01\nkind: check-in\ncontacts: bob\n---\n",
    "opportunities/acme.md": "---\ncompany: Acme\nrole: Data Engineer\ncontacts: [jane-doe]\n---\n",
    "interactions/2026-11-19-interview.md": "---\ndate: 2026-11-19\nkind: interview\n"
    "contacts: jane-doe\nopportunity: acme\nspecifics:\n- the Kafka migration, phase 2\n---\n",
}


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def events(text: str):
    return [c for c in Calendar.from_ical(text).walk("VEVENT")]


def test_one_all_day_event_per_open_follow_up(make_crm):
    root = make_crm(FILES)
    result = run("ics", "--root", str(root), "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    loaded = load_crm(root)
    evaluation = evaluate(loaded.crm, dt.date(2026, 11, 20), loaded.settings)
    assert len(evaluation.followups) >= 2  # a thank-you to Jane and a check-in with Bob at least
    cal = Calendar.from_ical(result.stdout)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "Ann's search: follow-ups"
    found = events(result.stdout)
    assert len(found) == len(evaluation.followups)
    for event, item in zip(found, evaluation.followups, strict=True):
        day = dt.date(2026, 11, 20) if item.status == "overdue" else item.due
        assert event.decoded("DTSTART") == day
        assert event.decoded("DTEND") == day + dt.timedelta(days=1)
        assert isinstance(event.decoded("DTSTART"), dt.date)
        assert not isinstance(event.decoded("DTSTART"), dt.datetime)  # all-day
        name = loaded.crm.contacts[item.contact].name
        assert str(event["SUMMARY"]).startswith(
            f"{name}: {item.rule.replace('-', ' ')} ({item.channel})"
        )
        description = str(event["DESCRIPTION"])
        assert description.startswith(item.reason + "\n\nChannel: " + item.channel + ". ")
        assert item.channel_why in description
        assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    thank_you = next(
        e
        for e, i in zip(found, evaluation.followups, strict=True)
        if i.rule == "interview-thank-you"
    )
    assert "Opportunity: Data Engineer at Acme." in str(thank_you["DESCRIPTION"])
    assert "- the Kafka migration, phase 2" in str(thank_you["DESCRIPTION"])


def test_uids_are_stable_from_day_to_day_and_output_is_deterministic(make_crm):
    root = make_crm(FILES)
    day1 = run("ics", "--root", str(root), "--today", "2026-11-20").stdout
    assert run("ics", "--root", str(root), "--today", "2026-11-20").stdout == day1
    day2 = run("ics", "--root", str(root), "--today", "2026-11-21").stdout
    uids1 = {str(e["UID"]): e.decoded("DTSTART") for e in events(day1)}
    uids2 = {str(e["UID"]): e.decoded("DTSTART") for e in events(day2)}
    assert len(uids1) == len(events(day1))  # unique
    assert set(uids1) == set(uids2)  # the same items, the same UIDs
    assert all(uid.endswith("@followup-gen") and "/" not in uid for uid in uids1)


def test_an_overdue_item_sits_on_today_and_says_since_when(make_crm):
    root = make_crm(FILES)  # Bob: friend (30 days), checked in 2026-09-01, so due 10-01, last 10-08
    bob = next(
        e
        for e in events(run("ics", "--root", str(root), "--today", "2026-11-20").stdout)
        if "Bob Roe" in str(e["SUMMARY"])
    )
    assert str(bob["SUMMARY"]) == "Bob Roe: keep in touch (email), overdue since 2026-10-09"
    assert bob.decoded("DTSTART") == dt.date(2026, 11, 20)
    assert bob.decoded("DTEND") == dt.date(2026, 11, 21)
    assert "Due 2026-10-01, overdue after 2026-10-08." in str(bob["DESCRIPTION"])
    # The next day it moves with today; before it was overdue it sat on its due day.
    tomorrow = run("ics", "--root", str(root), "--today", "2026-11-21").stdout
    assert any(e.decoded("DTSTART") == dt.date(2026, 11, 21) for e in events(tomorrow))
    early = run("ics", "--root", str(root), "--today", "2026-09-20").stdout
    bob_early = next(e for e in events(early) if "Bob Roe" in str(e["SUMMARY"]))
    assert str(bob_early["SUMMARY"]) == "Bob Roe: keep in touch (email)"
    assert bob_early.decoded("DTSTART") == dt.date(2026, 10, 1)


def test_every_event_has_a_sequence_that_grows_when_it_moves(make_crm):
    root = make_crm(FILES)

    def feed(today):
        data = run("ics", "--root", str(root), "--today", today).stdout
        return {str(e["UID"]): e for e in events(data)}

    before = feed("2026-09-20")
    for event in before.values():
        assert event.decoded("LAST-MODIFIED") == dt.datetime(2026, 9, 20, tzinfo=dt.UTC)
        assert int(event["SEQUENCE"]) == (dt.date(2026, 9, 20) - dt.date(2000, 1, 1)).days
    # Bob's cadence is shortened: his event keeps its UID, moves, and its number grows.
    path = root / "contacts/bob.md"
    path.write_text(path.read_text().replace("met:", "cadence: 14d\nmet:"))
    after = feed("2026-09-21")
    (uid,) = (u for u, e in before.items() if "Bob Roe" in str(e["SUMMARY"]))
    assert before[uid].decoded("DTSTART") == dt.date(2026, 10, 1)
    assert after[uid].decoded("DTSTART") == dt.date(2026, 9, 15)
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert after[uid].decoded("LAST-MODIFIED") > before[uid].decoded("LAST-MODIFIED")
    assert feed("2026-09-21") == after  # no state: the same files and day, the same feed


def test_rfc5545_shape(make_crm):
    root = make_crm(FILES)
    data = run("ics", "--root", str(root), "--today", "2026-11-20").stdout_bytes
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.count(b"BEGIN:VEVENT") == data.count(b"END:VEVENT") >= 2


def test_out_file_and_library_function_agree(make_crm, tmp_path):
    root = make_crm(FILES)
    out = tmp_path / "followups.ics"
    result = run("ics", "--root", str(root), "--today", "2026-11-20", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    loaded = load_crm(root)
    evaluation = evaluate(loaded.crm, dt.date(2026, 11, 20), loaded.settings)
    assert out.read_bytes() == calendar(loaded, evaluation).encode()


def test_an_empty_crm_is_an_empty_calendar(make_crm):
    root = make_crm({"followup.yml": "today: 2026-11-20\n"})
    result = run("ics", "--root", str(root))
    assert result.exit_code == 0
    assert events(result.stdout) == []
    assert Calendar.from_ical(result.stdout)["PRODID"].startswith("-//followup-gen//")


def test_a_crm_with_errors_gets_the_calendar_of_the_rest_and_exit_1(make_crm):
    root = make_crm({"contacts/x.md": "---\nname: X\nrelationship: freind\n---\n"})
    result = run("ics", "--root", str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" not in result.stdout
    assert "contacts/x.md:3: error: 'relationship' unknown value 'freind'" in result.stderr


def test_long_and_non_ascii_text_is_folded_escaped_and_read_back_exactly(make_crm):
    name = "Zoë Ångström-Łukasiewicz; the “bridge”, 日本語 ✉️"
    files = {
        **FILES,
        "contacts/bob.md": f'---\nname: "{name}"\nrelationship: friend\n'
        "email: bob@example.com\nmet: 2026-09-01\n---\n",
    }
    data = run("ics", "--root", str(make_crm(files)), "--today", "2026-11-20").stdout_bytes
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    for line in data.split(b"\r\n"):
        line.decode("utf-8")  # no character is split by a fold
    bob = next(e for e in events(data.decode()) if name in str(e["SUMMARY"]))
    assert str(bob["SUMMARY"]) == f"{name}: keep in touch (email), overdue since 2026-10-09"
    assert f"Check in with {name} (friend" in str(bob["DESCRIPTION"])
    assert "\\;" in data.decode().replace("\r\n ", "")  # the ; of the name is escaped


def test_fold_never_ends_a_piece_with_an_escape():
    assert fold("x" * 74) == "x" * 74
    line = "D:" + "a" * 71 + "\\,b"  # the 74th octet is the escape's backslash
    assert fold(line) == "D:" + "a" * 71 + "\r\n \\,b"
    assert text("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
