"""`followup-gen salt`: a random salt written into followup.yml once, never replaced unasked."""

from __future__ import annotations

import base64

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

SETTINGS = """\
# My settings.
timezone: Europe/Berlin

publish:
    mode: encrypted   # the default
rules:
  keep-in-touch:
    enabled: false
"""


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def salt_of(root) -> str:
    loaded = load_crm(root)
    assert loaded.problems == ()
    return loaded.settings.publish.salt


def test_salt_is_added_under_publish_keeping_every_other_line(make_crm):
    root = make_crm({"followup.yml": SETTINGS})
    result = run("salt", "--root", str(root))
    assert result.exit_code == 0, result.output
    salt = salt_of(root)
    assert len(base64.b64decode(salt, validate=True)) == 16
    assert (root / "followup.yml").read_text() == SETTINGS.replace(
        "publish:\n", f'publish:\n    salt: "{salt}"\n'
    )
    assert result.stdout == (
        "Wrote a new random salt to followup.yml (publish.salt). Commit it: the next "
        "publish seals the site with it, and browsers ask for the password once more.\n"
    )


def test_salt_adds_a_publish_section_or_a_settings_file(make_crm):
    root = make_crm({"followup.yml": "timezone: UTC\n"})
    assert run("salt", "--root", str(root)).exit_code == 0
    text = (root / "followup.yml").read_text()
    assert text == f'timezone: UTC\n\npublish:\n  salt: "{salt_of(root)}"\n'
    bare = make_crm({})
    assert run("salt", "--root", str(bare)).exit_code == 0
    assert (bare / "followup.yml").read_text() == f'publish:\n  salt: "{salt_of(bare)}"\n'


def test_an_existing_salt_is_replaced_only_when_asked(make_crm):
    root = make_crm({"followup.yml": 'publish:\n  salt: "AAECAwQFBgcICQoLDA0ODw=="\n'})
    before = (root / "followup.yml").read_text()
    kept = run("salt", "--root", str(root))
    assert kept.exit_code == 1
    assert kept.stderr == (
        "followup-gen: followup.yml:2: publish.salt is already set; nothing written (a new "
        "salt makes every browser ask for the password again: add --replace to do it)\n"
    )
    assert (root / "followup.yml").read_text() == before
    replaced = run("salt", "--replace", "--root", str(root))
    assert replaced.exit_code == 0, replaced.output
    assert salt_of(root) != "AAECAwQFBgcICQoLDA0ODw=="
    assert (root / "followup.yml").read_text().count("salt:") == 1


def test_a_settings_file_it_cannot_edit_is_left_alone(make_crm):
    root = make_crm({"followup.yml": "publish: {mode: encrypted}\n"})
    result = run("salt", "--root", str(root))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "followup-gen: followup.yml:1: cannot add publish.salt to this file; add it by hand:"
    )
    assert (root / "followup.yml").read_text() == "publish: {mode: encrypted}\n"


def test_a_bad_salt_is_a_settings_error(make_crm):
    root = make_crm({"followup.yml": "publish:\n  salt: short\n"})
    result = run("check", "--root", str(root))
    assert result.exit_code == 1
    assert (
        "followup.yml:2: error: 'publish.salt' must be 16 or more random bytes in base64; "
        "run 'followup-gen salt --replace' to make one [bad-setting]"
    ) in result.output
