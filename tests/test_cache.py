"""The parse cache: hits, misses, stale and corrupt caches, --no-cache.

Every test compares the cached load with ``reference(root)``, the plain
serial parse and check that knows nothing of the cache: a hit must give
exactly the same records and problems, in the same order.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import cache, load_crm
from followup_gen.load.cache import CACHE_DIR, load_checked
from followup_gen.load.files import read_record, record_files
from followup_gen.load.schema import check_record

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
    """Every file read and checked on its own, file by file, no cache."""
    records, problems = [], []
    for path, record_type in record_files(root):
        raw, found = read_record(root, path, record_type)
        problems.extend(found)
        if raw is not None:
            checked, more = check_record(raw)
            problems.extend(more)
            records.append(checked)
    return tuple(records), tuple(problems)


@pytest.fixture
def crm(make_crm):
    root = make_crm(FILES)
    age(root)
    return root


def test_cold_then_warm_load_is_identical_to_a_parse(crm):
    expected = reference(crm)
    assert len(expected[0]) == 5 and len(expected[1]) >= 4  # records and problems to compare
    records, problems, stats = load_checked(crm)
    assert (records, problems) == expected
    assert (stats.files, stats.hits, stats.parsed) == (8, 0, 8)
    assert stats.written > 0
    assert (crm / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")
    # Only the owner may read it: it holds every contact's details.
    assert (crm / CACHE_DIR).stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in (crm / CACHE_DIR).glob("*.pickle")} == {0o600}
    records, problems, stats = load_checked(crm)
    assert (records, problems) == expected
    assert (stats.hits, stats.parsed, stats.written) == (8, 0, 0)


def test_load_checked_and_load_crm_use_the_cache_with_the_same_result(crm):
    assert load_checked(crm)[:2] == reference(crm)
    assert (crm / CACHE_DIR).is_dir()
    warm = load_crm(crm)
    cold = load_crm(crm, cache=False)
    assert warm == cold
    assert {p.file for p in warm.problems} >= {"contacts/broken.md", "contacts/latin1.md"}


def test_an_edit_with_a_new_mtime_is_parsed_again(crm):
    load_checked(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Rob Smith"), encoding="utf-8")
    os.utime(path, ns=(PAST_NS + 1, PAST_NS + 1))  # same size, one nanosecond later
    records, problems, stats = load_checked(crm)
    assert (stats.hits, stats.parsed, stats.written) == (7, 1, 1)
    assert (records, problems) == reference(crm)
    bob = next(r for r in records if r.source.path == "contacts/bob.md")
    assert bob.fields["name"] == "Rob Smith"


def test_a_size_change_with_the_same_mtime_is_parsed_again(crm):
    load_checked(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Bobby Smith"), encoding="utf-8")
    age(crm, "contacts/bob.md")
    records, problems, stats = load_checked(crm)
    assert (stats.hits, stats.parsed) == (7, 1)
    assert (records, problems) == reference(crm)
    assert "Bobby Smith" in [r.fields.get("name") for r in records]


def test_a_copy_that_keeps_size_and_mtime_is_parsed_again(crm):
    load_checked(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Rob Smith"), encoding="utf-8")
    age(crm, "contacts/bob.md")  # like cp -p or rsync -t: the old size and mtime
    records, problems, stats = load_checked(crm)
    assert (stats.hits, stats.parsed) == (7, 1)
    assert (records, problems) == reference(crm)
    assert "Rob Smith" in [r.fields.get("name") for r in records]


def test_a_fixed_file_loses_its_cached_problem(crm):
    load_checked(crm)
    (crm / "contacts/broken.md").write_text("---\nname: Fixed\nrelationship: friend\n---\n")
    age(crm, "contacts/broken.md")
    records, problems, _ = load_checked(crm)
    assert not [p for p in problems if p.file == "contacts/broken.md"]
    assert (records, problems) == reference(crm)


def test_added_and_deleted_files(crm):
    load_checked(crm)
    (crm / "contacts/bob.md").unlink()
    (crm / "contacts/ann.md").write_text("---\nname: Ann\nrelationship: friend\n---\n")
    age(crm, "contacts/ann.md")
    records, problems, stats = load_checked(crm)
    assert (stats.files, stats.hits, stats.parsed) == (8, 7, 1)
    assert (records, problems) == reference(crm)
    # The deleted file's entry is gone from the cache, not just skipped.
    stored = set()
    for shard in (crm / CACHE_DIR).glob("records-*.pickle"):
        stored |= set(pickle.loads(shard.read_bytes())[1])
    assert "contacts/bob.md" not in stored
    assert "contacts/ann.md" in stored


@pytest.mark.skipif(sys.platform != "linux", reason="needs file names that are not UTF-8")
def test_a_file_name_that_is_not_utf8(crm):
    name = os.fsdecode(b"caf\xe9.md")
    (crm / "contacts" / name).write_text("---\nname: [Caf\n---\n", encoding="utf-8")
    age(crm, f"contacts/{name}")
    expected = reference(crm)
    for hits in (0, 9):
        records, problems, stats = load_checked(crm)
        assert (records, problems) == expected
        assert stats.hits == hits
    assert f"contacts/{name}" in {p.file for p in problems}


def test_another_version_of_the_tool_starts_afresh(crm, monkeypatch):
    load_checked(crm)
    monkeypatch.setattr(cache, "KEY", cache.KEY + " (next version)")
    records, problems, stats = load_checked(crm)
    assert (stats.hits, stats.parsed) == (0, 8)
    assert (records, problems) == reference(crm)
    assert load_checked(crm)[2].hits == 8


def test_a_file_just_written_is_parsed_but_not_stored(crm):
    load_checked(crm)
    path = crm / "contacts/bob.md"
    path.write_text(path.read_text().replace("Bob Smith", "Rob Smith"), encoding="utf-8")
    for _ in range(2):  # its mtime tick is still open: it could change again unseen
        records, problems, stats = load_checked(crm)
        assert (stats.hits, stats.parsed) == (7, 1)
        assert (records, problems) == reference(crm)


class Boom:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps(("some other key", {})),
        pickle.dumps((cache.KEY, ["not", "a", "dict"])),
        pickle.dumps((cache.KEY, {"contacts/bob.md": "garbage"})),
        pickle.dumps(Boom()),
    ],
    ids=["empty", "garbage", "foreign-key", "not-a-dict", "bad-entry", "code"],
)
def test_a_corrupt_cache_is_rebuilt_silently(crm, content, monkeypatch):
    monkeypatch.chdir(crm)
    expected = reference(crm)
    load_checked(crm)
    shards = sorted((crm / CACHE_DIR).glob("records-*.pickle"))
    for shard in shards:
        shard.write_bytes(content)
    records, problems, stats = load_checked(crm)
    assert (records, problems) == expected
    assert not (crm / "PWNED").exists()
    assert stats.written == len(shards)
    assert load_checked(crm)[2].hits == 8


def test_a_cache_that_cannot_be_written_changes_nothing(crm):
    (crm / CACHE_DIR).write_text("a file where the cache folder would go")
    expected = reference(crm)
    for _ in range(2):
        records, problems, stats = load_checked(crm)
        assert (records, problems) == expected
        assert (stats.hits, stats.written) == (0, 0)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_a_read_only_cache_folder_changes_nothing(crm):
    load_checked(crm)
    os.chmod(crm / CACHE_DIR, 0o500)
    try:
        path = crm / "contacts/bob.md"
        path.write_text(path.read_text().replace("Bob Smith", "Bobby Smith"), encoding="utf-8")
        age(crm, "contacts/bob.md")
        records, problems, stats = load_checked(crm)
        assert (records, problems) == reference(crm)
        assert (stats.parsed, stats.written) == (1, 0)
    finally:
        os.chmod(crm / CACHE_DIR, 0o700)


def test_no_cache_neither_reads_nor_writes(crm):
    records, problems, stats = load_checked(crm, cache=False)
    assert (records, problems) == reference(crm)
    assert (stats.hits, stats.written) == (0, 0)
    assert not (crm / CACHE_DIR).exists()


def test_parsing_in_worker_processes_gives_the_same_result(crm, monkeypatch):
    monkeypatch.setattr(cache, "PARALLEL_MIN", 2)
    monkeypatch.setattr(cache, "_workers", lambda count: 3)
    records, problems, stats = load_checked(crm)
    assert (records, problems) == reference(crm)
    assert stats.workers == 3
    assert load_checked(crm)[2].hits == 8


def test_helpers_write_the_shards_that_had_no_hit(crm, monkeypatch):
    monkeypatch.setattr(cache, "PARALLEL_MIN", 2)
    monkeypatch.setattr(cache, "_workers", lambda count: 2)
    wrote: list[set[int]] = []
    parse = cache._parse_in_workers

    def spy(*args):
        entries, written = parse(*args)
        wrote.append(written)
        return entries, written

    monkeypatch.setattr(cache, "_parse_in_workers", spy)
    records, problems, stats = load_checked(crm)
    assert (records, problems) == reference(crm)
    assert wrote[0], "no helper wrote a shard"
    on_disk = {int(p.stem.split("-")[1]) for p in (crm / CACHE_DIR).glob("records-*.pickle")}
    assert wrote[0] <= on_disk
    assert stats.written == len(on_disk)
    again = load_checked(crm)
    assert again[:2] == (records, problems)
    assert (again[2].hits, again[2].parsed) == (8, 0)  # every file stored, once


def test_each_file_is_parsed_by_one_process_whole_shards_by_helpers():
    items = [(f"interactions/{n}.md", "interaction") for n in range(400)]
    whole = frozenset(range(0, cache.SHARDS, 2))
    writes = cache._Writes("/nowhere", 0, whole)
    own, helpers = cache._shares(items, 3, writes)
    assert sorted(own + [k for indexes, _ in helpers for k in indexes]) == list(range(400))
    for indexes, shards in helpers:
        assert set(shards) <= whole
        assert {cache.shard_of(items[k][0]) for k in indexes} == set(shards)
    own, helpers = cache._shares(items, 3, None)  # no shard to write: runs of items
    assert own == list(range(len(own))) and all(shards == () for _, shards in helpers)


def test_busy_cores_counts_the_other_runnable_tasks(tmp_path, monkeypatch):
    loadavg = tmp_path / "loadavg"
    loadavg.write_text("3.10 2.20 1.00 3/212 4242\n")
    assert cache._busy_cores(str(loadavg)) == 2  # three runnable, one of them us
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 1.0, 0.5))
    assert cache._busy_cores(str(tmp_path / "missing")) == 1.5


@pytest.mark.parametrize(
    ("files", "cores", "load", "workers"),
    [
        (100, 4, 0.0, 1),
        (10_000, 1, 0.0, 1),
        (10_000, 4, 0.2, 4),
        (10_000, 4, 2.6, 1),
        (10_000, 2, 5.0, 1),
        (10**6, 64, 0.0, 8),
    ],
)
def test_workers_only_on_idle_cores_and_for_thousands_of_files(
    monkeypatch, files, cores, load, workers
):
    monkeypatch.setattr(cache, "PARALLEL_MIN", 4_000)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    monkeypatch.setattr(cache, "_busy_cores", lambda: load)
    assert cache._workers(files) == workers


@pytest.mark.parametrize(
    "script",
    [
        "import sys; sys.exit(3)",
        "print('not a pickle')",
        "import pickle, sys; pickle.dump([], sys.stdout.buffer)",
    ],
    ids=["crash", "garbage", "lost-files"],
)
def test_a_failing_worker_falls_back_to_parsing_here(crm, monkeypatch, script):
    monkeypatch.setattr(cache, "_workers", lambda count: 2)
    monkeypatch.setattr(cache, "_WORKER", script)
    records, problems, stats = load_checked(crm)
    assert (records, problems) == reference(crm)
    assert stats.workers == 1


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
        "4 errors, 2 warnings in 6 files (3 contacts, 0 opportunities, 1 interactions valid)\n"
    )


def test_no_cache_is_documented_in_check_help():
    result = run("check", "--help")
    assert "--no-cache" in result.stdout


def test_paused_gc_pauses_and_restores_and_freezes_only_when_asked():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with cache.paused_gc():
        assert not gc.isenabled()
        kept = [[n] for n in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    try:
        with cache.paused_gc(freeze=True):
            kept += [[n] for n in range(1000)]
        assert gc.isenabled()
        # Everything alive moved to the permanent generation, the new lists too.
        assert gc.get_freeze_count() >= frozen + len(kept)
        # A pause inside a pause leaves the collector off for the outer one.
        with cache.paused_gc():
            with cache.paused_gc():
                pass
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
