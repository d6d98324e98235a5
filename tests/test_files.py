"""Only regular files are read: odd file types, unreadable folders, bad names.

Each case is a problem that names the path and says what to do; nothing
hangs, nothing raises, and the rest of the CRM loads. Tests run as root in
CI, where permission bits do not stop reads: the errors are injected.
"""

from __future__ import annotations

import errno
import os
import sys

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

from .conftest import JANE

ANN = "---\nname: Ann Lee\nrelationship: friend\n---\n"


def codes(loaded):
    return [(p.file, p.code) for p in loaded.problems]


def test_a_fifo_named_md_is_a_problem_not_a_hang(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    os.mkfifo(root / "contacts/pipe.md")
    loaded = load_crm(root)
    assert codes(loaded) == [("contacts/pipe.md", "not-a-file")]
    assert list(loaded.crm.contacts) == ["jane-doe"]


def test_a_link_to_a_device_is_a_problem_not_a_memory_error(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    (root / "contacts/zero.md").symlink_to("/dev/zero")
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--no-cache"])
    assert result.exit_code == 1
    assert result.stdout.startswith("contacts/zero.md: error: this is not a regular file")
    assert "[not-a-file]" in result.stdout


def test_an_unreadable_folder_is_an_error_not_a_silent_gap(make_crm, monkeypatch):
    root = make_crm({"contacts/jane-doe.md": JANE, "contacts/family/ann.md": ANN})
    real = os.scandir

    def scandir(path):
        if str(path).endswith("family"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    loaded = load_crm(root, cache=False)
    assert codes(loaded) == [("contacts/family", "unreadable")]
    assert "fix its permissions" in loaded.problems[0].message
    assert list(loaded.crm.contacts) == ["jane-doe"]


def test_an_unreadable_file_is_an_error(make_crm, monkeypatch):
    root = make_crm({"contacts/jane-doe.md": JANE, "contacts/ann.md": ANN})
    real = os.open

    def open_(path, *args, **kwargs):
        if str(path).endswith("ann.md"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    loaded = load_crm(root, cache=False)
    assert [p.format() for p in loaded.problems] == [
        "contacts/ann.md: error: cannot read the file: Permission denied [unreadable]"
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="needs file names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_an_error_and_every_command_survives(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    (root / "contacts" / os.fsdecode(b"caf\xe9.md")).write_text(ANN, encoding="utf-8")
    loaded = load_crm(root)
    assert [p.format() for p in loaded.problems] == [
        "contacts/caf\\xe9.md: error: the file name is not valid UTF-8 text; rename the file"
        " [bad-name]"
    ]
    for command in (["check"], ["due"], ["report", "--json"], ["ics"]):
        result = CliRunner().invoke(main, [*command, "--root", str(root)])
        assert result.exception is None or isinstance(result.exception, SystemExit), command
        assert "Traceback" not in result.output


def test_every_problem_is_one_line_with_control_characters_escaped(make_crm):
    root = make_crm(
        {
            "contacts/a.md": '---\nname: Ann\nrelationship: friend\n"odd\\e[31mkey\\nx": 1\n---\n',
            "contacts/b.md": '---\nname: Bo\nrelationship: "fr\\e[2Jiend"\n---\n',
            "contacts/c.md": "---\nname: !!binary 123\nrelationship: friend\n---\n",
        }
    )
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--no-cache"])
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    assert "\x1b" not in result.stdout
    assert "odd\\x1b[31mkey\\nx" in lines[0]
    assert "fr\\x1b[2Jiend" in lines[1]
    assert lines[2].startswith("contacts/c.md:2: error: ")
