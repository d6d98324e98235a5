"""The incremental evaluation gives exactly what a full run gives.

A random CRM is written to files, ``report --json`` runs once (a full run:
it stores the base), random edits follow (records rewritten, added, deleted,
ids changed), and ``report --json`` must then print exactly what
``report --json --no-cache`` prints, whether it worked the answer out from
the base or fell back to a full run. Two rounds of edits run against the
same base. The deterministic tests below check that the incremental path is
really taken where it should be, and left where it must be.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from followup_gen.cli import main
from followup_gen.load import incremental
from followup_gen.records import KINDS, RELATIONSHIPS

from .rulecase import contact, interaction, opportunity

TODAY = "2026-03-01"
CONTACTS = ("a", "b", "c", "d", "e")
OPPORTUNITIES = ("x", "y", "z")
START = dt.date(2026, 1, 1)
# Files are dated an hour ago, so none is too fresh to be trusted.
PAST_NS = (int(time.time()) - 3600) * 1_000_000_000

days = st.integers(min_value=0, max_value=80).map(
    lambda n: (START + dt.timedelta(days=n)).isoformat()
)


@st.composite
def contact_files(draw) -> str:
    extra = {}
    for key, values in (
        ("address", ['"1 Elm St"']),
        ("email", ["a@b.example"]),
        ("title", ["CTO"]),
        ("cadence", [0, 5, 40, "none"]),
        ("do_not_contact", [True]),
        ("business_card", [True]),
    ):
        if draw(st.integers(0, 3)) == 0:
            extra[key] = draw(st.sampled_from(values))
    if draw(st.booleans()):
        extra["met"] = draw(days)
    name = draw(st.sampled_from(["Ana Lima", "Jo Park", "Hal Ross", "Sam Ode"]))
    return contact(name, draw(st.sampled_from(RELATIONSHIPS)), **extra)


@st.composite
def opportunity_files(draw) -> str:
    extra = {}
    people = draw(st.lists(st.sampled_from(CONTACTS), max_size=2, unique=True))
    if people:
        extra["contacts"] = people
    if draw(st.integers(0, 3)) == 0:
        extra["referred_by"] = draw(st.sampled_from(CONTACTS))
    if draw(st.integers(0, 3)) == 0:
        extra["expected_decision"] = draw(days)
    if draw(st.integers(0, 5)) == 0:
        extra["status"] = "on-hold"
    company = draw(st.sampled_from(["Acme", "Zen", "Globex"]))
    return opportunity(company, draw(st.sampled_from(["Engineer", "Analyst"])), **extra)


@st.composite
def interaction_files(draw) -> str:
    extra = {}
    if draw(st.booleans()):
        extra["opportunity"] = draw(st.sampled_from(OPPORTUNITIES))
    if draw(st.integers(0, 2)) == 0:
        extra["specifics"] = ["their roadmap"]
    people = draw(st.lists(st.sampled_from(CONTACTS), min_size=1, max_size=2, unique=True))
    kind = draw(st.sampled_from(KINDS))
    return interaction(draw(days), people, kind, **extra)


def crm_files(draw) -> dict[str, str]:
    files = {"followup.yml": "stalled:\n  stall_after_days: 10\n"}
    for c in CONTACTS:
        files[f"contacts/{c}.md"] = draw(contact_files())
    for o in OPPORTUNITIES:
        files[f"opportunities/{o}.md"] = draw(opportunity_files())
    for n in range(draw(st.integers(3, 14))):
        files[f"interactions/i{n}.md"] = draw(interaction_files())
    return files


@st.composite
def edits(draw, files: dict[str, str]) -> dict[str, str | None]:
    """Files to rewrite (text) or delete (None)."""
    changed: dict[str, str | None] = {}
    for _ in range(draw(st.integers(1, 3))):
        what = draw(st.sampled_from(["contact", "opportunity", "interaction", "new", "delete"]))
        if what == "contact":
            text = draw(contact_files())
            if draw(st.integers(0, 4)) == 0:  # a new id: names may no longer resolve
                text = text.replace("---\n", "---\nid: f\n", 1)
            changed[f"contacts/{draw(st.sampled_from(CONTACTS))}.md"] = text
        elif what == "opportunity":
            changed[f"opportunities/{draw(st.sampled_from(OPPORTUNITIES))}.md"] = draw(
                opportunity_files()
            )
        elif what == "interaction":
            names = sorted(k for k in files if k.startswith("interactions/"))
            changed[draw(st.sampled_from(names))] = draw(interaction_files())
        elif what == "new":
            changed[f"interactions/new{draw(st.integers(0, 3))}.md"] = draw(interaction_files())
        else:
            changed[draw(st.sampled_from(sorted(k for k in files if k != "followup.yml")))] = None
    return changed


class Writer:
    """Writes files dated in the past, each save with a later time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tick = 0

    def write(self, files: dict[str, str | None]) -> None:
        for rel, text in files.items():
            path = self.root / rel
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.tick += 1
            os.utime(path, ns=(PAST_NS + self.tick, PAST_NS + self.tick))


def run(root: Path, *arguments: str):
    result = CliRunner().invoke(main, [*arguments, "--root", str(root), "--today", TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def report(root: Path, *options: str):
    return run(root, "report", "--json", *options)


def check(root: Path, *options: str):
    result = CliRunner().invoke(main, ["check", "--root", str(root), *options])
    return result.exit_code, result.stdout, result.stderr


def due(root: Path, *options: str):
    """Everything due lists: every follow-up of the next 30 days."""
    return run(root, "due", "--limit", "0", "--within", "30", *options)


@pytest.fixture
def taken(monkeypatch):
    """Records what each incremental update gave (None: a full run was needed)."""
    results: list[object] = []
    update = incremental.update

    def spy(*args, **kwargs):
        results.append(update(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(incremental, "update", spy)
    return results


@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_edits_give_the_full_runs_report(tmp_path_factory, taken, data):
    root = tmp_path_factory.mktemp("crm")
    files = crm_files(data.draw)
    writer = Writer(root)
    writer.write(files)
    first = report(root)
    assert first == report(root, "--no-cache")
    for _ in range(2):  # two rounds against the same base
        changed = data.draw(edits(files))
        writer.write(changed)
        files.update({k: v for k, v in changed.items() if v is not None})
        for rel in [k for k, v in changed.items() if v is None]:
            files.pop(rel, None)
        before = len(taken)
        assert report(root) == report(root, "--no-cache")
        if len(taken) > before:
            event("incremental" if taken[-1] is not None else "fell back to a full run")
        assert due(root) == due(root, "--no-cache")
        assert check(root) == check(root, "--no-cache")


SMALL = {
    "followup.yml": "",
    "contacts/ana.md": contact("Ana Lima", "friend"),
    "contacts/jo.md": contact("Jo Park", email="jo@acme.example"),
    "opportunities/acme.md": opportunity("Acme", "Engineer", contacts=["jo"]),
    "interactions/i1.md": interaction("2026-02-20", "jo", "interview", opportunity="acme"),
    "interactions/i2.md": interaction("2026-02-25", "ana", "help"),
    "interactions/i3.md": interaction("2026-01-10", "ana", "accepted"),
}


def _small(tmp_path: Path) -> Writer:
    writer = Writer(tmp_path)
    writer.write(SMALL)
    assert report(tmp_path)[0] == 0  # the full run stores the base
    assert incremental.has_base(tmp_path)
    return writer


@pytest.mark.parametrize(
    "change",
    [
        {"contacts/ana.md": contact("Ana Lima-Ross", "friend")},
        {"interactions/i2.md": interaction("2026-02-26", "ana", "referral")},
        {"interactions/i4.md": interaction("2026-02-21", "jo", "thank-you", opportunity="acme")},
        {"interactions/i2.md": None},
        {"opportunities/acme.md": opportunity("Acme", "Senior Engineer", contacts=["jo"])},
        {"contacts/new.md": contact("New Person", "friend")},
        # Ana now referred you: she gets a close-the-loop thank-you
        {
            "opportunities/acme.md": opportunity(
                "Acme", "Engineer", contacts=["jo"], referred_by="ana"
            )
        },
    ],
    ids=[
        "contact",
        "interaction",
        "new-interaction",
        "deleted",
        "opportunity",
        "new-contact",
        "referred-by",
    ],
)
def test_an_edit_is_worked_out_from_the_base(tmp_path, taken, change):
    writer = _small(tmp_path)
    writer.write(change)
    assert report(tmp_path) == report(tmp_path, "--no-cache")
    assert taken and taken[-1] is not None, "the incremental path was not taken"
    assert due(tmp_path) == due(tmp_path, "--no-cache")
    assert len(taken) == 2 and taken[-1] is not None


@pytest.mark.parametrize(
    "change",
    [
        # errors: the full run lists them
        {"interactions/i2.md": interaction("2026-02-26", "nobody", "help")},
        {"contacts/jo.md": None},
        {"contacts/ana.md": "---\nname: [\n---\n"},
        # close-the-loop looks at every helper
        {"interactions/i3.md": interaction("2026-01-11", "ana", "accepted")},
        {"interactions/i5.md": interaction("2026-02-27", "jo", "accepted")},
        # an id claimed twice
        {"interactions/i6.md": interaction("2026-02-27", "jo", "reply", id="i1")},
        {"contacts/jo2.md": contact("Jo Two", id="jo")},
    ],
    ids=[
        "unknown-contact",
        "named-contact-deleted",
        "broken-yaml",
        "accepted",
        "new-accepted",
        "duplicate-interaction-id",
        "duplicate-contact-id",
    ],
)
def test_what_only_a_full_run_can_settle_falls_back(tmp_path, taken, change):
    writer = _small(tmp_path)
    writer.write(change)
    assert report(tmp_path) == report(tmp_path, "--no-cache")
    assert taken and taken[-1] is None


def test_renaming_the_accepted_opportunity_falls_back(tmp_path, taken):
    # Every close-the-loop thank-you names the job accepted, Ana's too,
    # though she is linked to it by nothing else.
    writer = Writer(tmp_path)
    writer.write(
        {
            **SMALL,
            "interactions/i2.md": interaction("2026-02-18", "ana", "help"),
            "interactions/i3.md": interaction("2026-02-21", "jo", "accepted", opportunity="acme"),
        }
    )
    assert "You accepted Engineer at Acme" in report(tmp_path)[1]
    writer.write({"opportunities/acme.md": opportunity("Acme", "Lead", contacts=["jo"])})
    assert report(tmp_path) == report(tmp_path, "--no-cache")
    assert "You accepted Lead at Acme" in report(tmp_path)[1]
    assert taken[-1] is None


@pytest.fixture
def checked(monkeypatch):
    """Records what each incremental check gave (None: a full load was needed)."""
    results: list[object] = []
    works = incremental.check

    def spy(*args, **kwargs):
        results.append(works(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(incremental, "check", spy)
    return results


def test_check_builds_on_its_own_base_and_reports_on_theirs(tmp_path, taken, checked):
    writer = Writer(tmp_path)
    writer.write(SMALL)
    assert check(tmp_path)[0] == 0  # a full load: it stores a base without an evaluation
    writer.write(
        {
            "contacts/new.md": contact("New Person", "friend", nickname="N"),
            "interactions/i2.md": None,
        }
    )
    assert check(tmp_path) == check(tmp_path, "--no-cache")
    assert checked[-1] is not None
    problems, counts = checked[-1]
    assert counts == {"contact": 3, "opportunity": 1, "interaction": 2}
    assert [p.code for p in problems] == ["unknown-key"]  # nickname
    # report has no evaluation to build on: a full run, which stores one
    assert report(tmp_path) == report(tmp_path, "--no-cache")
    assert taken[-1] is None
    writer.write({"contacts/ana.md": contact("Ana B", "friend")})
    assert report(tmp_path) == report(tmp_path, "--no-cache")
    assert taken[-1] is not None
    assert check(tmp_path) == check(tmp_path, "--no-cache")
    assert checked[-1] is not None  # on report's base


def test_check_with_errors_falls_back(tmp_path, checked):
    writer = Writer(tmp_path)
    writer.write(SMALL)
    check(tmp_path)
    writer.write({"interactions/i2.md": interaction("2026-02-26", "nobody", "help")})
    assert check(tmp_path) == check(tmp_path, "--no-cache")
    assert check(tmp_path)[0] == 1
    assert checked[-1] is None


def test_another_day_or_changed_settings_need_a_full_run(tmp_path, taken):
    writer = _small(tmp_path)
    writer.write({"contacts/ana.md": contact("Ana B", "friend")})
    other_day = CliRunner().invoke(
        main, ["report", "--json", "--root", str(tmp_path), "--today", "2026-03-02"]
    )
    assert other_day.exit_code == 0
    assert taken[-1] is None
    writer.write({"followup.yml": "stalled:\n  stall_after_days: 3\n"})
    assert report(tmp_path) == report(tmp_path, "--no-cache")
    assert taken[-1] is None


def test_a_damaged_base_is_a_full_run(tmp_path, taken):
    writer = _small(tmp_path)
    (tmp_path / ".followup-cache" / incremental.STATE_FILE).write_bytes(b"not a pickle")
    writer.write({"contacts/ana.md": contact("Ana B", "friend")})
    assert report(tmp_path) == report(tmp_path, "--no-cache")
    assert taken[-1] is None


def test_no_cache_neither_reads_nor_writes_the_base(tmp_path, taken):
    Writer(tmp_path).write(SMALL)
    assert report(tmp_path, "--no-cache")[0] == 0
    assert not incremental.has_base(tmp_path)
    assert taken == []
