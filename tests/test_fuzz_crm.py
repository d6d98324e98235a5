"""Whole random CRMs through every command: no traceback, no hang, broken files change nothing else.

Hypothesis writes CRMs of valid records (names in any script, every
relationship and kind, dates anywhere in 1900-2200, cadences up to ten
years, extreme settings) and adds broken files (random bytes, a FIFO, a link
to a device, a record with errors) that no valid record names. ``check``,
``due``, ``report --json``, ``ics``, ``draft`` and the site's pages must run
without an exception, and the follow-ups of the valid records must be the
same with and without the broken files. Each CRM gets a time limit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_gen.cli import main
from followup_gen.records import KINDS, RELATIONSHIPS
from followup_gen.site.pages import generate

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
NEAR = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))
NAMES = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip())


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@st.composite
def crms(draw):
    files: dict[str, str] = {}
    people = [f"p{n}" for n in range(draw(st.integers(1, 5)))]
    for person in people:
        met = draw(st.one_of(DAYS, NEAR))
        cadence = draw(st.sampled_from(["", "cadence: 3650d\n", "cadence: 1\n", "cadence: none\n"]))
        files[f"contacts/{person}.md"] = (
            f"---\nname: {quoted(draw(NAMES))}\nrelationship: {draw(st.sampled_from(RELATIONSHIPS))}"
            f"\nmet: {met}\n{cadence}---\n{draw(st.text(max_size=30))}\n"
        )
    jobs = [f"j{n}" for n in range(draw(st.integers(0, 2)))]
    for job in jobs:
        files[f"opportunities/{job}.md"] = (
            f"---\ncompany: {quoted(draw(NAMES))}\nrole: {quoted(draw(NAMES))}\n"
            f"contacts: [{draw(st.sampled_from(people))}]\n---\n"
        )
    for n in range(draw(st.integers(0, 8))):
        who = draw(st.lists(st.sampled_from(people), min_size=1, max_size=2, unique=True))
        job = draw(st.sampled_from([None, *jobs]))
        files[f"interactions/i{n}.md"] = (
            f"---\ndate: {draw(st.one_of(DAYS, NEAR))}\nkind: {draw(st.sampled_from(KINDS))}\n"
            f"contacts: [{', '.join(who)}]\n"
            + (f"opportunity: {job}\n" if job else "")
            + f"specifics: [{quoted(draw(NAMES))}]\n---\n"
        )
    files["followup.yml"] = draw(
        st.sampled_from(["", "min_gap_days: 3650\nwindow_days: 0\n", "window_days: 3650\n"])
    )
    today = draw(st.one_of(DAYS, NEAR))
    return files, today, draw(st.binary(max_size=60))


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def add_broken(root: Path, junk: bytes) -> None:
    (root / "contacts").mkdir(exist_ok=True)
    (root / "contacts/zz-junk.md").write_bytes(junk)
    (root / "contacts/zz-bad.md").write_text("---\nname: Bad\nrelationship: cousin\n---\n")
    (root / "interactions").mkdir(exist_ok=True)
    (root / "interactions/zz-bad.md").write_text("---\ndate: 9999-01-01\n---\n")
    os.mkfifo(root / "contacts/zz-pipe.md")
    (root / "contacts/zz-device.md").symlink_to("/dev/zero")


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 1), (args, result.output)
    return result


@settings(max_examples=15, deadline=30_000, suppress_health_check=[HealthCheck.too_slow])
@given(crm=crms())
def test_random_crms_run_through_every_command_and_broken_files_change_nothing_else(crm):
    files, today, junk = crm
    with tempfile.TemporaryDirectory() as folder:
        clean = write(Path(folder) / "clean", files)
        broken = write(Path(folder) / "broken", files)
        add_broken(broken, junk)
        reports = []
        for root in (clean, broken):
            run("check", "--root", root)
            run("due", "--root", root, "--today", today)
            report = run("report", "--json", "--root", root, "--today", today)
            reports.append(json.loads(report.stdout))
            run("ics", "--root", root, "--today", today)
            for item in reports[-1]["followups"][:3]:
                run("draft", item["rule"], item["contact"], "--root", root, "--today", today)
            pages = generate(root, today)
            assert "index.md" in pages.pages
        assert reports[0]["followups"] == reports[1]["followups"]
        assert reports[0]["stalled"] == reports[1]["stalled"]
        assert {p["file"] for p in reports[1]["problems"] if p["severity"] == "error"} >= {
            "contacts/zz-bad.md",
            "contacts/zz-pipe.md",
            "contacts/zz-device.md",
            "interactions/zz-bad.md",
        }
