"""Remembered answers: a command asked again about unchanged files.

Every test runs the real CLI and compares a remembered answer with the one
``--no-cache`` computes from scratch: the memo must never change a result.
"""

from __future__ import annotations

import os
import pickle

import pytest
from click.testing import CliRunner

from followup_gen import memo
from followup_gen.cache import CACHE_DIR
from followup_gen.cli import main

from .conftest import JANE

PAST_NS = 1_700_000_000 * 1_000_000_000

FILES = {
    "followup.yml": "today: 2026-11-20\n",
    "contacts/jane-doe.md": JANE,
    "interactions/2026-11-19-interview.md": """
        ---
        date: 2026-11-19
        contacts: [jane-doe]
        kind: interview
        specifics: [the migration to Spark]
        ---
    """,
}


def age(root):
    for path in [root / "followup.yml", *root.glob("*/*.md"), *root.glob("*.md")]:
        os.utime(path, ns=(PAST_NS, PAST_NS))


@pytest.fixture
def crm(make_crm):
    root = make_crm(FILES)
    age(root)
    return root


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def answer_file(root, command):
    return root / CACHE_DIR / f"answer-{command}.pickle"


def edit(root, rel, old, new):
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    age(root)  # even with the old times the change time gives it away


@pytest.mark.parametrize(
    "command", [("report", "--json"), ("due",), ("check",), ("check", "--strict")]
)
def test_a_second_run_gives_the_remembered_answer_which_is_the_computed_one(crm, command):
    fresh = run(*command, "--root", str(crm), "--no-cache")
    assert not (crm / CACHE_DIR).exists()
    first = run(*command, "--root", str(crm))
    assert answer_file(crm, command[0]).is_file()
    stored = answer_file(crm, command[0]).read_bytes()
    second = run(*command, "--root", str(crm))
    assert fresh == first == second
    assert answer_file(crm, command[0]).read_bytes() == stored  # recalled, not recomputed


def test_the_remembered_answer_is_the_one_given(crm, monkeypatch):
    run("report", "--json", "--root", str(crm))
    found = memo.scan(crm)
    # Tamper with the stored answer under its own key: the next run must show it,
    # which proves the second run answers from the memo, not by recomputing.
    key, (out, err, code) = pickle.loads(answer_file(crm, "report").read_bytes())
    answer_file(crm, "report").write_bytes(pickle.dumps((key, ("remembered\n", err, code))))
    assert memo.scan(crm).fingerprint == found.fingerprint
    assert run("report", "--json", "--root", str(crm))[1] == "remembered\n"


def test_an_edit_changes_the_answer(crm):
    before = run("due", "--root", str(crm))
    edit(crm, "contacts/jane-doe.md", "Jane Doe", "Jane Dow")
    after = run("due", "--root", str(crm))
    assert "Jane Dow" in after[1] and "Jane Dow" not in before[1]
    assert after == run("due", "--root", str(crm), "--no-cache")


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("followup.yml", "2026-11-20", "2026-11-25"),  # the settings
        ("interactions/2026-11-19-interview.md", "interview", "meeting"),
    ],
)
def test_settings_and_interactions_are_part_of_the_key(crm, rel, old, new):
    before = run("report", "--json", "--root", str(crm))
    edit(crm, rel, old, new)
    after = run("report", "--json", "--root", str(crm))
    assert after != before
    assert after == run("report", "--json", "--root", str(crm), "--no-cache")


def test_added_and_deleted_files_and_the_profile_change_the_answer(crm):
    before = run("check", "--root", str(crm))
    (crm / "profile.md").write_text("---\nnmae: Me\n---\n", encoding="utf-8")
    age(crm)
    with_profile = run("check", "--root", str(crm))
    assert with_profile != before and "profile.md" in with_profile[1]
    (crm / "profile.md").unlink()
    assert run("check", "--root", str(crm)) == before
    (crm / "contacts/bob.md").write_text("---\nname: Bob\n---\n", encoding="utf-8")
    age(crm)
    broken = run("check", "--root", str(crm))
    assert broken[0] == 1 and broken == run("check", "--root", str(crm), "--no-cache")
    assert run("check", "--root", str(crm)) == broken  # errors are remembered too


def test_another_day_or_option_is_another_answer(crm):
    a = run("due", "--root", str(crm), "--today", "2026-11-20")
    b = run("due", "--root", str(crm), "--today", "2026-11-28")
    c = run("due", "--root", str(crm), "--today", "2026-11-20", "--within", "0")
    assert len({a, b, c}) == 3
    assert b == run("due", "--root", str(crm), "--today", "2026-11-28", "--no-cache")


def test_files_saved_just_now_are_not_remembered(crm):
    (crm / "contacts/jane-doe.md").touch()  # modified now: its tick is still open
    first = run("report", "--json", "--root", str(crm))
    assert not answer_file(crm, "report").exists()
    assert run("report", "--json", "--root", str(crm)) == first


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", pickle.dumps(("key", ("out", "err", "not a code"))), pickle.dumps([1])],
    ids=["empty", "garbage", "bad-code", "not-a-pair"],
)
def test_a_damaged_answer_is_recomputed(crm, content):
    expected = run("report", "--json", "--root", str(crm))
    answer_file(crm, "report").write_bytes(content)
    assert run("report", "--json", "--root", str(crm)) == expected


def test_no_cache_neither_reads_nor_writes_answers(crm):
    run("report", "--json", "--root", str(crm))
    key, (out, err, code) = pickle.loads(answer_file(crm, "report").read_bytes())
    answer_file(crm, "report").write_bytes(pickle.dumps((key, ("remembered\n", err, code))))
    result = run("report", "--json", "--root", str(crm), "--no-cache")
    assert result[1] == out


def test_report_due_and_check_do_not_load_the_site_letter_or_crypto_libraries(crm):
    """Start-up counts on every run: these commands import only what they use."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from followup_gen.cli import main\n"
        "for args in (['report', '--json'], ['due'], ['check']):\n"
        "    try:\n"
        f"        main([*args, '--root', {str(crm)!r}])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('jinja2', 'markdown', 'icalendar', 'vobject', 'cryptography', 'mkdocs')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("cached", [False, True], ids=["cold", "warm"])
def test_a_load_sees_the_files_as_a_scan_does(crm, cached):
    """A first run remembers its answer under what its load saw: it must be
    the fingerprint the next run's scan finds."""
    from followup_gen.crm import load_crm

    (crm / "contacts/broken.md").write_text("---\nname: [\n---\n", encoding="utf-8")
    (crm / "interactions/not-utf8.md").write_bytes(b"---\nname: \xe9\n---\n")
    (crm / "profile.md").write_text("---\nname: Me\n---\n", encoding="utf-8")
    age(crm)
    if cached:
        load_crm(crm)
    before = memo.outside(crm)
    loaded = load_crm(crm)
    assert (loaded.stats.hits > 0) == cached
    seen = memo.as_read(loaded.stats.paths, loaded.stats.seen, before)
    assert seen.fingerprint == memo.scan(crm).fingerprint
    (crm / "contacts/jane-doe.md").write_text("changed", encoding="utf-8")
    assert seen.fingerprint != memo.scan(crm).fingerprint


def test_a_first_run_remembers_without_scanning_first(crm, monkeypatch):
    calls = []
    monkeypatch.setattr(memo, "scan", lambda root: calls.append(root) or memo.Scan((), (), "", 0))
    from followup_gen import cli

    monkeypatch.setattr(cli, "scan", memo.scan)
    first = run("report", "--json", "--root", str(crm))
    assert calls == [] and answer_file(crm, "report").is_file()
    monkeypatch.undo()
    assert run("report", "--json", "--root", str(crm)) == first
