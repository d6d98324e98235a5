"""The parse cache: hits, misses, stale and corrupt caches, the code's digest, --no-cache.

Every test compares the cached load with ``reference(root)``, the plain parse
and check of each file that knows nothing of the cache: a hit must give
exactly the same records and problems, in the same order.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import followup_gen
from followup_gen.cli import main
from followup_gen.load import cache, check_file, load_crm
from followup_gen.load.cache import CACHE_DIR, cached
from followup_gen.load.files import record_paths

from .conftest import JANE

# Older than cache.RACY_NS, so the files may be stored.
PAST_NS = 1_700_000_000 * 1_000_000_000

FILES = {
    "contacts/jane-doe.md": JANE,
    "contacts/bob.md": """
        ---
        name: Bob Smith
        relationship: friend
        tags: [python, data]
        met: 2025-03-01
        address: |
          1 Main St
          Springfield
        ---
    """,
    "contacts/broken.md": "---\nname: [unclosed\nrelationship: friend\n---\n",
    "contacts/latin1.md": b"---\nname: Ren\xe9\nrelationship: friend\n---\n",
    "contacts/nested/deep.md": "---\nname: Deep\nrelationship: family\nodd: {a: !!set {x, y}}\n---\n",
    "opportunities/acme.md": """
        ---
        company: Acme
        role: Data Engineer
        contacts: [jane-doe]
        expected_decision: 2026-02-30
        ---
    """,
    "interactions/2026-11-20-interview.md": """
        ---
        date: 2026-11-20 14:30:00+01:00
        contacts: jane-doe
        kind: interview
        specifics: &points
          - the migration to Spark
        again: *points
        ---
        Went well.
    """,
    "interactions/no-front-matter.md": "just text\n",
}


def age(root, *rels):
    """Give files (default: all data files) an old modification time."""
    paths = [root / rel for rel in rels] or [
        path
        for folder in ("contacts", "opportunities", "interactions")
        for path in (root / folder).rglob("*.md")
    ]
    for path in paths:
        os.utime(path, ns=(PAST_NS, PAST_NS))


def reference(root):
    """Every file read and checked on its own, no cache: (records, problems)."""
    results = [check_file(root, rel, kind) for rel, kind in record_paths(root)]
    return _split(results)


def _split(results):
    records = tuple(record for record, _ in results if record is not None)
    return records, tuple(p for _, found in results for p in found)


def load(root, *, use_cache=True):
    """(records, problems, the files parsed) through the cache."""
    parsed = []

    def spy(root, rel, kind):
        parsed.append(rel)
        return check_file(root, rel, kind)

    results = cached(root, record_paths(root), spy, cache=use_cache)
    return (*_split(results), parsed)


def stored(root):
    return set(pickle.loads((root / CACHE_DIR / cache.FILE).read_bytes())[1])


@pytest.fixture
def crm(make_crm):
    root = make_crm(FILES)
    age(root)
    return root


def test_cold_then_warm_load_is_identical_to_a_parse(crm):
    expected = reference(crm)
    assert len(expected[0]) == 5 and len(expected[1]) >= 4  # records and problems to compare
    records, problems, parsed = load(crm)
    assert (records, problems) == expected
    assert len(parsed) == 8
    assert (crm / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")
    # Only the owner may read it: it holds every contact's details.
    assert (crm / CACHE_DIR).stat().st_mode & 0o777 == 0o700
    assert (crm / CACHE_DIR / cache.FILE).stat().st_mode & 0o777 == 0o600
    records, problems, parsed = load(crm)
    assert (records, problems, parsed) == (*expected, [])


def test_load_crm_gives_the_same_crm_with_and_without_the_cache(crm):
    cold = load_crm(crm, cache=False)
    assert not (crm / CACHE_DIR).exists()
    first, warm = load_crm(crm), load_crm(crm)
    assert (crm / CACHE_DIR).is_dir()
    assert cold == first == warm
    assert {p.file for p in warm.problems} >= {"contacts/broken.md", "contacts/latin1.md"}


def test_an_edit_with_a_new_mtime_is_parsed_again(crm):
    load(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Rob Smith"), encoding="utf-8")
    os.utime(path, ns=(PAST_NS + 1, PAST_NS + 1))  # same size, one nanosecond later
    records, problems, parsed = load(crm)
    assert parsed == ["contacts/bob.md"]
    assert (records, problems) == reference(crm)
    bob = next(r for r in records if r.source.path == "contacts/bob.md")
    assert bob.fields["name"] == "Rob Smith"


def test_a_size_change_with_the_same_mtime_is_parsed_again(crm):
    load(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Bobby Smith"), encoding="utf-8")
    age(crm, "contacts/bob.md")
    records, problems, parsed = load(crm)
    assert parsed == ["contacts/bob.md"]
    assert "Bobby Smith" in [r.fields.get("name") for r in records]


def test_a_copy_that_keeps_size_and_mtime_is_parsed_again(crm):
    load(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Rob Smith"), encoding="utf-8")
    age(crm, "contacts/bob.md")  # like cp -p or rsync -t: the old size and mtime
    records, problems, parsed = load(crm)
    assert parsed == ["contacts/bob.md"]
    assert "Rob Smith" in [r.fields.get("name") for r in records]


def test_a_symlink_pointed_at_another_file_is_parsed_again(crm, tmp_path):
    one, two = tmp_path / "one.md", tmp_path / "two.md"
    one.write_text("---\nname: Ann One\nrelationship: friend\n---\n", encoding="utf-8")
    two.write_text("---\nname: Ann Two\nrelationship: friend\n---\n", encoding="utf-8")
    for path in (one, two):  # the same size and times: only the inode differs
        os.utime(path, ns=(PAST_NS, PAST_NS))
    link = crm / "contacts/ann.md"
    link.symlink_to(one)
    load(crm)
    link.unlink()
    link.symlink_to(two)
    records, _, parsed = load(crm)
    assert "contacts/ann.md" in parsed
    assert "Ann Two" in [r.fields.get("name") for r in records]


def test_a_fixed_file_loses_its_cached_problem(crm):
    load(crm)
    (crm / "contacts/broken.md").write_text("---\nname: Fixed\nrelationship: friend\n---\n")
    age(crm, "contacts/broken.md")
    records, problems, _ = load(crm)
    assert not [p for p in problems if p.file == "contacts/broken.md"]
    assert (records, problems) == reference(crm)


def test_added_and_deleted_files(crm):
    load(crm)
    (crm / "contacts/bob.md").unlink()
    (crm / "contacts/ann.md").write_text("---\nname: Ann\nrelationship: friend\n---\n")
    age(crm, "contacts/ann.md")
    records, problems, parsed = load(crm)
    assert parsed == ["contacts/ann.md"]
    assert (records, problems) == reference(crm)
    # The deleted file's entry is gone from the cache, not just skipped.
    assert "contacts/bob.md" not in stored(crm)
    assert "contacts/ann.md" in stored(crm)


def test_changed_code_starts_afresh(crm, monkeypatch):
    load(crm)
    monkeypatch.setattr(cache, "code_digest", lambda: "another version of the code")
    records, problems, parsed = load(crm)
    assert len(parsed) == 8
    assert (records, problems) == reference(crm)
    assert load(crm)[2] == []


def test_the_code_digest_sees_an_edited_module(tmp_path, monkeypatch):
    package = tmp_path / "followup_gen"
    shutil.copytree(Path(followup_gen.__file__).parent, package)
    monkeypatch.setattr(cache, "__file__", str(package / "load" / "cache.py"))
    before = cache.code_digest()
    rule = package / "rules" / "keep_in_touch.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert cache.code_digest() != before


def test_a_rule_edited_in_the_installed_code_changes_the_next_report(crm, tmp_path):
    """As after a git pull into an editable install: the same data, new wording."""
    package = tmp_path / "code" / "followup_gen"
    shutil.copytree(
        Path(followup_gen.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    data = crm / "contacts"
    for rel in ("broken.md", "latin1.md", "nested/deep.md"):
        (data / rel).unlink()
    (crm / "opportunities/acme.md").unlink()
    (crm / "interactions/no-front-matter.md").unlink()
    (crm / "interactions/2026-11-20-interview.md").unlink()
    age(crm)
    env = {**os.environ, "PYTHONPATH": str(package.parent)}
    command = [sys.executable, "-m", "followup_gen", "report", "--json", "--root", str(crm),
               "--today", "2026-12-01"]  # fmt: skip
    first = subprocess.run(
        command, capture_output=True, text=True, env=env, check=True, cwd=tmp_path
    ).stdout
    assert "Check in with" in first
    rule = package / "rules" / "keep_in_touch.py"
    text = rule.read_text(encoding="utf-8")
    assert "Check in with" in text
    rule.write_text(text.replace("Check in with", "Say hello to"), encoding="utf-8")
    second = subprocess.run(
        command, capture_output=True, text=True, env=env, check=True, cwd=tmp_path
    ).stdout
    assert "Check in with" not in second and "Say hello to" in second


def test_a_file_just_written_is_parsed_but_not_stored(crm):
    load(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Rob Smith"), encoding="utf-8")
    for _ in range(2):  # its mtime tick is still open: it could change again unseen
        records, problems, parsed = load(crm)
        assert parsed == ["contacts/bob.md"]
        assert (records, problems) == reference(crm)


def test_the_caches_of_earlier_versions_are_removed(crm):
    folder = crm / CACHE_DIR
    folder.mkdir(mode=0o700)
    for name in ("records-03.pickle", "records-15.pickle", "state.pickle"):
        (folder / name).write_bytes(b"old")
    load(crm)
    assert sorted(p.name for p in folder.iterdir()) == [cache.FILE]


class Boom:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps(("some other key", {})),
        pickle.dumps((cache.code_digest(), ["not", "a", "dict"])),
        pickle.dumps((cache.code_digest(), {"contacts/bob.md": "garbage"})),
        pickle.dumps(Boom()),
    ],
    ids=["empty", "garbage", "foreign-key", "not-a-dict", "bad-entry", "code"],
)
def test_a_corrupt_cache_is_rebuilt_silently(crm, content, monkeypatch):
    monkeypatch.chdir(crm)
    expected = reference(crm)
    load(crm)
    (crm / CACHE_DIR / cache.FILE).write_bytes(content)
    records, problems, _ = load(crm)
    assert (records, problems) == expected
    assert not (crm / "PWNED").exists()
    assert load(crm)[2] == []


def test_a_cache_that_cannot_be_written_changes_nothing(crm):
    (crm / CACHE_DIR).write_text("a file where the cache folder would go")
    expected = reference(crm)
    for _ in range(2):
        records, problems, parsed = load(crm)
        assert (records, problems) == expected
        assert len(parsed) == 8


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_a_read_only_cache_folder_changes_nothing(crm):
    load(crm)
    os.chmod(crm / CACHE_DIR, 0o500)
    try:
        path = crm / "contacts/bob.md"
        path.write_text(path.read_text().replace("Bob Smith", "Bobby Smith"), encoding="utf-8")
        age(crm, "contacts/bob.md")
        records, problems, parsed = load(crm)
        assert (records, problems) == reference(crm)
        assert parsed == ["contacts/bob.md"]
    finally:
        os.chmod(crm / CACHE_DIR, 0o700)


def test_no_cache_neither_reads_nor_writes(crm):
    records, problems, parsed = load(crm, use_cache=False)
    assert (records, problems) == reference(crm)
    assert len(parsed) == 8
    assert not (crm / CACHE_DIR).exists()


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_gives_the_same_output_cold_warm_and_with_no_cache(crm):
    no_cache = run("check", "--root", str(crm), "--no-cache")
    assert not (crm / CACHE_DIR).exists()
    cold = run("check", "--root", str(crm))
    assert (crm / CACHE_DIR).is_dir()
    warm = run("check", "--root", str(crm))
    assert no_cache.exit_code == cold.exit_code == warm.exit_code == 1
    assert no_cache.stdout == cold.stdout == warm.stdout
    assert no_cache.stderr == cold.stderr == warm.stderr
    assert warm.stdout == (
        "contacts/broken.md:3: error: YAML syntax error: did not find expected ',' or ']'"
        " [yaml-syntax]\n"
        "contacts/latin1.md:2: error: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"
        " in your editor [not-utf8]\n"
        "contacts/nested/deep.md:4: warning: unknown key 'odd' for a contact; it is ignored"
        " [unknown-key]\n"
        "interactions/2026-11-20-interview.md:7: warning: unknown key 'again' for an"
        " interaction; it is ignored [unknown-key]\n"
        "interactions/no-front-matter.md:1: error: no YAML front matter: start the file with a"
        " line '---', the fields, then another '---' [no-front-matter]\n"
        "opportunities/acme.md:5: error: 'expected_decision': 2026-02-30 is not a real date"
        " (day is out of range for month); use YYYY-MM-DD [bad-date]\n"
    )
    assert warm.stderr == (
        "4 errors, 2 warnings in 6 files (3 contacts, 0 opportunities, 1 interaction valid)\n"
    )


def test_no_cache_is_documented_in_check_help():
    result = run("check", "--help")
    assert "--no-cache" in result.stdout


def test_a_remembered_answer_is_the_computed_one_until_an_input_or_the_code_changes(
    make_crm, monkeypatch
):
    friend = "---\nname: Jane Doe\nrelationship: friend\nmet: 2025-01-01\n---\n"
    root = make_crm({"contacts/jane-doe.md": friend})
    age(root)
    args = ("report", "--json", "--root", str(root), "--today", "2026-12-01")
    fresh = run(*args, "--no-cache")
    assert not (root / CACHE_DIR).exists()
    first, again = run(*args), run(*args)
    assert (root / CACHE_DIR / "answer-report.pickle").is_file()
    assert fresh.stdout == first.stdout == again.stdout and "Jane Doe" in again.stdout
    # Another day, another answer.
    later = run("report", "--json", "--root", str(root), "--today", "2027-03-01")
    assert '"today": "2027-03-01"' in later.stdout
    # An edited file: worked out afresh.
    path = root / "contacts/jane-doe.md"
    path.write_text(path.read_text().replace("Jane Doe", "Jane Roe"), encoding="utf-8")
    age(root)
    assert "Jane Roe" in run(*args).stdout
    # A settings file added: afresh (it pins another day).
    (root / "followup.yml").write_text("today: 2026-12-02\n", encoding="utf-8")
    os.utime(root / "followup.yml", ns=(PAST_NS, PAST_NS))
    assert '"today": "2026-12-02"' in run("report", "--json", "--root", str(root)).stdout
    # Other code: afresh, though nothing else changed.
    monkeypatch.setattr("followup_gen.cli.answers.code_digest", lambda: "the code after a git pull")
    computed = []
    from followup_gen.cli import answers

    real = answers.remembered

    def spy(root, command, arguments, compute, *, use):
        return real(root, command, arguments, lambda: computed.append(1) or compute(), use=use)

    monkeypatch.setattr("followup_gen.cli.rules.remembered", spy)
    run(*args)
    assert computed == [1]
    run(*args)
    assert computed == [1]  # and kept under the new key


def test_a_data_folder_made_is_a_new_answer(tmp_path):
    (tmp_path / "notes").mkdir()
    assert run("check", "--root", str(tmp_path)).exit_code == 1
    (tmp_path / "contacts").mkdir()
    result = run("check", "--root", str(tmp_path))
    assert result.exit_code == 0 and "OK: 0 contacts" in result.stderr
