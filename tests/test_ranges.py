"""Values are checked where they enter: dates, cadences, numbers, time zones.

A value ``check`` accepts must never make another command raise; one it
refuses is refused the same way by the command-line options that write it.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

ANN = "---\nname: Ann Lee\nrelationship: friend\nmet: {met}\ncadence: {cadence}\n---\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def messages(root):
    return [p.format() for p in load_crm(root, cache=False).problems]


def test_dates_outside_1900_to_2200_are_errors_at_their_line(make_crm):
    root = make_crm({"contacts/ann.md": ANN.format(met="9999-12-31", cadence="30d")})
    assert messages(root) == [
        "contacts/ann.md:4: error: 'met' 9999-12-31 is not between 1900 and 2200: check the"
        " year [bad-date]"
    ]


def test_a_cadence_over_ten_years_is_an_error(make_crm):
    root = make_crm(
        {"contacts/ann.md": ANN.format(met="2026-01-01", cadence="99999999999999999999d")}
    )
    assert messages(root) == [
        "contacts/ann.md:5: error: 'cadence' '99999999999999999999d' is longer than ten years"
        " (3650 days); use none [wrong-type]"
    ]


def test_settings_numbers_and_time_zone_are_checked(make_crm):
    root = make_crm(
        {
            "contacts/ann.md": ANN.format(met="2026-01-01", cadence="30d"),
            "followup.yml": 'timezone: "Europe/Berln\\nX=1"\n'
            "min_gap_days: 99999999999999999999\ntoday: 9999-01-01\n",
        }
    )
    assert messages(root) == [
        "followup.yml:1: error: 'timezone' is 'Europe/Berln\\nX=1', not a time zone (did you"
        " mean 'Europe/Berlin'?); use a name like Europe/Berlin or America/New_York [bad-setting]",
        "followup.yml:2: error: 'min_gap_days' must be a whole number from 0 to 3650 [bad-setting]",
        "followup.yml:3: error: 'today': 9999-01-01 is not between 1900 and 2200: check the"
        " year [bad-setting]",
    ]


def test_options_refuse_what_the_files_refuse(make_crm):
    root = make_crm({"contacts/ann.md": ANN.format(met="2026-01-01", cadence="30d")})
    due = run("due", "--root", root, "--today", "9999-12-31")
    assert due.exit_code == 2
    assert "9999-12-31 is not between 1900 and 2200: check the year" in due.stderr
    for args in (
        ("log", "check-in", "ann", "--date", "9999-12-31"),
        ("new", "contact", "Bo Li", "--relationship", "friend", "--met", "9999-12-31"),
    ):
        result = run(*args, "--root", root)
        assert result.exit_code == 2, args
        assert "9999-12-31 is not between 1900 and 2200: check the year" in result.stderr
    cadence = ("new", "contact", "Bo Li", "--relationship", "friend", "--cadence", "99999999999d")
    result = run(*cadence, "--root", root)
    assert result.exit_code == 1
    assert "is longer than ten years" in result.stderr and "nothing written" in result.stderr
    assert sorted(p.name for p in (root / "contacts").iterdir()) == ["ann.md"]
    assert not (root / "interactions").exists() or not any((root / "interactions").iterdir())


@pytest.mark.parametrize("command", [["due"], ["report", "--json"], ["ics"], ["check"]])
def test_the_extremes_check_accepts_run_through_every_command(make_crm, command):
    root = make_crm(
        {
            "contacts/ann.md": ANN.format(met="2200-12-31", cadence="3650d"),
            "contacts/bo.md": ANN.format(met="1900-01-01", cadence="1d").replace("Ann", "Bo"),
            "interactions/2200-12-31-x.md": "---\ncontacts: [ann]\nkind: interview\n"
            "date: 2200-12-31\n---\n",
            "followup.yml": "min_gap_days: 3650\nwindow_days: 3650\ntoday: 2200-12-31\n",
        }
    )
    assert not [m for m in messages(root) if ": error: " in m]
    result = run(*command, "--root", root)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0, result.output
