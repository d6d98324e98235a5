"""Remembered answers: a command asked again about unchanged files.

Every test runs the real CLI and compares a remembered answer with the one
``--no-cache`` computes from scratch: the memo must never change a result.
"""

from __future__ import annotations

import os
import pickle
import shutil

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import files as load
from followup_gen.load import memo
from followup_gen.load.cache import CACHE_DIR
from followup_gen.load.files import FOLDERS

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
    from followup_gen.load import load_crm

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


# How scan listed and looked at the files before it was made fast: kept here
# as the reference the fast one must equal (paths, stats and newest time).
def old_record_paths(root):
    found = []
    for folder, record_type in FOLDERS:
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            prefix = folder + dirpath[len(base) :].replace(os.sep, "/") + "/"
            for name in sorted(filenames):
                if name.endswith(".md") and not name.startswith("."):
                    found.append((prefix + name, record_type))
    return found


def old_scan(root):
    def stat(path):
        try:
            found = os.stat(path)
        except OSError:
            return None
        return found.st_size, found.st_mtime_ns, found.st_ctime_ns

    paths = tuple(old_record_paths(root))
    stats = tuple(stat(os.path.join(root, rel)) for rel, _ in paths)
    extras = tuple(stat(os.path.join(root, name)) for name in memo.EXTRA_FILES)
    newest = max((s[1] for s in (*stats, *extras) if s), default=0)
    return paths, stats, newest


def assert_same_scan(root, found):
    assert (found.paths, found.stats, found.newest_ns) == old_scan(root)
    assert (
        found.fingerprint == memo.as_read(found.paths, found.stats, memo.outside(root)).fingerprint
    )


@pytest.fixture
def tangled(make_crm, tmp_path):
    """A CRM with every kind of entry a data folder can hold."""
    elsewhere = make_crm({"notes/away.md": "---\nname: Away\n---\n", "notes/more/deep.md": "x"})
    root = make_crm(
        {
            **FILES,
            "profile.md": "---\nname: Me\n---\n",
            "contacts/b.md": "b",
            "contacts/a.md": "a",
            "contacts/Z.md": "capital",
            "contacts/.hidden.md": "hidden file",
            "contacts/.hidden/inside.md": "hidden folder",
            "contacts/notes.txt": "not markdown",
            "contacts/README": "no suffix",
            "contacts/sub/c.md": "c",
            "contacts/sub/deeper/d.md": "d",
            "contacts/sub/deeper/.e.md": "hidden",
            "contacts/sub2/f.md": "f",
            "contacts/folder.md/g.md": "a folder named like a file",
            "interactions/2026-01-01-call.md": "call",
            "interactions/2025/2025-12-31-mail.md": "mail",
        }
    )
    (root / "contacts/empty").mkdir()
    (root / "contacts/sub/empty").mkdir()
    os.close(
        os.open(os.fsencode(root / "contacts") + b"/caf\xe9-not-utf8.md", os.O_CREAT | os.O_WRONLY)
    )
    os.mkdir(os.fsencode(root / "contacts") + b"/dir-\xff")
    os.close(os.open(os.fsencode(root / "contacts") + b"/dir-\xff/h.md", os.O_CREAT | os.O_WRONLY))
    os.close(
        os.open(os.fsencode(root / "interactions") + b"/\xff-call.md", os.O_CREAT | os.O_WRONLY)
    )
    os.symlink(elsewhere / "notes/away.md", root / "contacts/linked-file.md")
    os.symlink(elsewhere / "notes", root / "contacts/linked-folder")
    os.symlink(elsewhere / "notes", root / "contacts/linked-folder.md")
    os.symlink(root / "nowhere.md", root / "contacts/broken-link.md")
    os.symlink("loop.md", root / "contacts/loop.md")
    # A data folder that is itself a link is read through it.
    shutil.rmtree(root / "opportunities")
    os.symlink(elsewhere / "notes", root / "opportunities")
    return root


def test_the_scan_finds_what_it_found_before(tangled):
    """Same paths in the same order, same stats, same newest time as the
    os.walk and os.stat scan it replaced; a link to a file is followed, a
    broken one has no stat, a linked folder is not entered."""
    found = memo.scan(tangled)
    assert_same_scan(tangled, found)
    rels = [rel for rel, _ in found.paths]
    assert "contacts/linked-file.md" in rels and "contacts/caf\udce9-not-utf8.md" in rels
    assert "contacts/dir-\udcff/h.md" in rels and "contacts/folder.md/g.md" in rels
    assert "opportunities/more/deep.md" in rels
    assert not any("linked-folder" in rel or "hidden" in rel for rel in rels)
    stats = dict(zip(rels, found.stats, strict=True))
    assert stats["contacts/broken-link.md"] is None and stats["contacts/loop.md"] is None
    assert stats["contacts/linked-file.md"][0] == len("---\nname: Away\n---\n")


def test_record_paths_lists_what_it_listed_before(tangled):
    assert load.record_paths(tangled) == old_record_paths(tangled)
    assert load.record_files(tangled) == [
        (tangled / rel, kind) for rel, kind in old_record_paths(tangled)
    ]


def test_a_missing_data_folder_and_a_missing_root_scan_as_before(tangled, tmp_path):
    shutil.rmtree(tangled / "interactions")
    assert_same_scan(tangled, memo.scan(tangled))
    assert memo.scan(tmp_path / "none").paths == ()
    assert_same_scan(tmp_path / "none", memo.scan(tmp_path / "none"))


def vanishing(monkeypatch, root, rel):
    """Make ``rel`` disappear between the listing and the stats."""
    listing = memo._record_dirs

    def listed(text):
        yield from list(listing(text))
        (root / rel).unlink()

    monkeypatch.setattr(memo, "_record_dirs", listed)


@pytest.fixture
def helper_on(monkeypatch):
    """Use the helper process at any size; the helpers started, as a list."""
    started = []
    start = memo._start

    def spy(listed):
        helper = start(listed)
        started.append((helper, sum(len(names) for _, names in listed)))
        return helper

    monkeypatch.setattr(memo, "SCAN_PARALLEL_MIN", 0)
    monkeypatch.setattr(memo, "_idle_core", lambda: True)
    monkeypatch.setattr(memo, "_start", spy)
    return started


def test_a_file_gone_before_its_stat_has_none(tangled, monkeypatch):
    expected = memo.scan(tangled)
    vanishing(monkeypatch, tangled, "contacts/b.md")
    found = memo.scan(tangled)
    rels = [rel for rel, _ in found.paths]
    assert rels == [rel for rel, _ in expected.paths]
    assert found.stats[rels.index("contacts/b.md")] is None
    assert found.fingerprint != expected.fingerprint


@pytest.mark.parametrize("gone", ["contacts/b.md", "interactions/2026-01-01-call.md"])
def test_a_helper_process_finds_the_same(tangled, helper_on, monkeypatch, gone):
    found = memo.scan(tangled)
    assert len(helper_on) == 1 and helper_on[0][0] is not None
    assert 0 < helper_on[0][1] < len(found.paths)
    assert_same_scan(tangled, found)
    # A file gone between the listing and the stats, in either share.
    paths, stats, _ = old_scan(tangled)
    vanishing(monkeypatch, tangled, gone)
    found = memo.scan(tangled)
    assert len(helper_on) == 2 and helper_on[1][0] is not None
    index = [rel for rel, _ in paths].index(gone)
    assert found.paths == paths
    assert found.stats == (*stats[:index], None, *stats[index + 1 :])


@pytest.mark.parametrize(
    "program",
    [
        "import sys; sys.exit(3)",
        "import sys; sys.stdin.buffer.read(); sys.stdout.write('not marshal')",
        "import marshal, sys; sys.stdin.buffer.read(); sys.stdout.buffer.write(marshal.dumps([]))",
        "import marshal, sys; sys.stdin.buffer.read(); sys.stdout.buffer.write(marshal.dumps(7))",
        "import os; os.close(0); os.close(1)",
    ],
    ids=["fails", "garbage", "too-few", "not-a-list", "closes-pipes"],
)
def test_a_failing_helper_leaves_the_stats_to_this_process(
    tangled, helper_on, monkeypatch, program
):
    monkeypatch.setattr(memo, "_HELPER", program)
    found = memo.scan(tangled)
    assert len(helper_on) == 1
    assert_same_scan(tangled, found)


def test_a_helper_finds_the_same_from_a_relative_root(tangled, helper_on, monkeypatch):
    monkeypatch.chdir(tangled / "contacts")
    found = memo.scan("..")
    assert helper_on[0][0] is not None
    assert "interactions/\udcff-call.md" in [rel for rel, _ in found.paths[-helper_on[0][1] :]]
    assert_same_scan("..", found)


def test_no_helper_at_all_leaves_the_stats_to_this_process(tangled, helper_on, monkeypatch):
    monkeypatch.setattr(memo.sys, "executable", str(tangled / "no-such-python"))
    found = memo.scan(tangled)
    assert helper_on == [(None, helper_on[0][1])]
    assert_same_scan(tangled, found)


def test_few_files_or_no_idle_core_use_no_helper(tangled, monkeypatch):
    monkeypatch.setattr(memo, "_start", lambda listed: pytest.fail("a helper was started"))
    assert_same_scan(tangled, memo.scan(tangled))
    monkeypatch.setattr(memo, "SCAN_PARALLEL_MIN", 0)
    monkeypatch.setattr(memo, "_busy_cores", lambda: 2 * os.cpu_count())
    assert_same_scan(tangled, memo.scan(tangled))


def test_the_fingerprint_tells_apart_what_differs():
    before = ((None, (1, 2, 3)), (True, True, False))
    paths = (("contacts/a.md", "contact"), ("contacts/b.md", "contact"))
    base = memo.as_read(paths, ((1, 5, 6), (2, 7, 8)), before)
    variants = [
        memo.as_read(paths, ((1, 5, 6), (2, 7, 9)), before),
        memo.as_read(paths, ((1, 5, 6), None), before),
        memo.as_read(paths, ((1, 5, 6), (2, 10**19, 8)), before),  # past 2262: no 64-bit
        memo.as_read(paths[::-1], ((1, 5, 6), (2, 7, 8)), before),
        memo.as_read(
            (("contacts/a.md", "contact"), ("contacts/c.md", "contact")),
            ((1, 5, 6), (2, 7, 8)),
            before,
        ),
        memo.as_read(paths, ((1, 5, 6), (2, 7, 8)), ((None, None), (True, True, False))),
        memo.as_read(paths, ((1, 5, 6), (2, 7, 8)), ((None, (1, 2, 3)), (True, False, False))),
    ]
    prints = {base.fingerprint, *(found.fingerprint for found in variants)}
    assert len(prints) == 1 + len(variants)
    copied = tuple(("".join(list(rel)), kind) for rel, kind in paths)
    assert base == memo.as_read(copied, ((1, 5, 6), (2, 7, 8)), before)
    assert [found.newest_ns for found in (base, *variants[:3])] == [7, 7, 5, 10**19]
