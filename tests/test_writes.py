"""Every file the tool writes is whole or absent: full disks, long names, kills, races.

Tests run as root in CI, where permission bits stop nothing: the failures
are injected (``OSError(ENOSPC)``) or provoked (a real kill of a writer).
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.exchange import write
from followup_gen.load import load_crm

ANN = "---\nname: Ann Lee\nrelationship: friend\nmet: 2026-01-05\n---\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def full_disk(monkeypatch, after: int = 0):
    """os.fsync fails with ENOSPC from the ``after``-th call on."""
    calls = []
    real = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) > after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_a_full_disk_during_new_leaves_nothing_and_says_so(make_crm, monkeypatch):
    root = make_crm({"contacts/ann.md": ANN})
    before = files(root)
    full_disk(monkeypatch)
    result = run("new", "contact", "Bo Li", "--relationship", "friend", "--root", root)
    assert result.exit_code == 1
    assert result.stderr == (
        "followup-gen: cannot write contacts/bo-li.md: No space left on device; nothing written\n"
    )
    assert files(root) == before  # no empty file, no temporary file


def test_a_full_disk_during_an_import_names_the_files_written(make_crm, monkeypatch, tmp_path):
    root = make_crm({"contacts/ann.md": ANN})
    cards = tmp_path / "c.vcf"
    cards.write_text(
        "".join(f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {n}\nEND:VCARD\n" for n in range(5)),
        encoding="utf-8",
    )
    full_disk(monkeypatch, after=2)
    result = run("import", "vcard", cards, "--root", root)
    assert result.exit_code == 1
    assert "cannot write contacts/person-2.md: No space left on device; the import stopped" in (
        result.stderr
    )
    assert "2 of 5 files were written:\n  contacts/person-0.md\n  contacts/person-1.md\n" in (
        result.stderr
    )
    assert files(root) == ["contacts/ann.md", "contacts/person-0.md", "contacts/person-1.md"]
    monkeypatch.undo()
    again = run("import", "vcard", cards, "--root", root)  # the rest, the first two skipped
    assert again.exit_code == 0, again.output
    assert len(load_crm(root).crm.contacts) == 6


def test_a_name_too_long_is_cut_to_a_file_name_that_fits(make_crm):
    root = make_crm({"contacts/ann.md": ANN})
    name = "Bo " + "Long" * 100
    result = run("new", "contact", name, "--relationship", "friend", "--root", root)
    assert result.exit_code == 0, result.output
    (made,) = [f for f in files(root) if f.startswith("contacts/bo-")]
    assert len(made) < 100
    assert load_crm(root).crm.contacts[made[9:-3]].name == name


def test_a_log_racing_another_takes_the_next_free_name(make_crm, monkeypatch):
    root = make_crm({"contacts/ann.md": ANN})
    real = write.write
    raced = []

    def racing(root_, new):
        if not raced:  # the other `log` writes this name first
            raced.append(real(root_, write.NewFile(new.type, new.path, new.text)))
        return real(root_, new)

    monkeypatch.setattr(write, "write", racing)
    result = run("log", "check-in", "ann", "--date", "2026-12-01", "--root", root)
    assert result.exit_code == 0, result.output
    assert [f for f in files(root) if f.startswith("interactions/")] == [
        "interactions/2026-12-01-check-in-ann-2.md",
        "interactions/2026-12-01-check-in-ann.md",
    ]


def test_out_files_to_a_missing_folder_or_a_full_disk_are_clear_errors(make_crm, monkeypatch):
    root = make_crm({"contacts/ann.md": ANN})
    missing = root / "no" / "such" / "feed.ics"
    for command in (["ics"], ["export", "vcard"]):
        result = run(*command, "--root", root, "--out", missing)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"followup-gen: cannot write {missing}: No such file")
    out = root / "feed.ics"
    out.write_text("BEGIN:VCALENDAR\nPRODID:-//followup-gen//\nthe old feed", encoding="utf-8")
    full_disk(monkeypatch)
    result = run("ics", "--root", root, "--out", out)
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert (
        out.read_text(encoding="utf-8") == "BEGIN:VCALENDAR\nPRODID:-//followup-gen//\nthe old feed"
    )


def test_ics_replaces_an_earlier_feed_but_no_other_file_unasked(make_crm):
    root = make_crm({"contacts/ann.md": ANN})
    feed = root / "feed.ics"
    assert run("ics", "--root", root, "--out", feed).exit_code == 0  # a new file
    assert run("ics", "--root", root, "--out", feed).exit_code == 0  # the earlier feed
    assert "BEGIN:VEVENT" in feed.read_text(encoding="utf-8")
    # Another calendar (a family one, exported) is not this tool's feed.
    family = root / "family.ics"
    family.write_text("\ufeffBEGIN:VCALENDAR\r\nPRODID:-//Apple//EN\r\nEND:VCALENDAR\r\n")
    assert run("ics", "--root", root, "--out", family).exit_code == 1
    assert "PRODID:-//Apple//EN" in family.read_text()
    # A contact's file given by a slip of the tab key is left as it was.
    ann = root / "contacts" / "ann.md"
    result = run("ics", "--root", root, "--out", ann)
    assert result.exit_code == 1
    assert result.stderr == (
        f"followup-gen: {ann} exists; nothing written (add --force to replace it)\n"
    )
    assert ann.read_text(encoding="utf-8") == ANN
    forced = run("ics", "--root", root, "--out", root / "notes.txt", "--force")
    assert forced.exit_code == 0


def test_a_killed_import_leaves_only_whole_files(make_crm, tmp_path):
    root = make_crm({"contacts/ann.md": ANN})
    cards = tmp_path / "many.vcf"
    cards.write_text(
        "".join(
            f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {n}\nNOTE:{'x' * 2000}\nEND:VCARD\n"
            for n in range(600)
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "followup_gen", "import", "vcard", str(cards)]
    writer = subprocess.Popen([*command, "--root", str(root)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list((root / "contacts").glob("*.md"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    written = list((root / "contacts").glob("*.md"))
    assert 20 <= len(written) < 601, "the writer was not killed mid-way"
    loaded = load_crm(root, cache=False)
    assert not [p for p in loaded.problems if p.severity == "error"]
    assert len(loaded.crm.contacts) == len(written)
