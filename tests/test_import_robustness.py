"""Imports and exports given odd but plausible files and paths: nothing lost, each problem said."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

TODAY = dt.date(2026, 11, 20)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def crm(make_crm):
    return make_crm({"followup.yml": f"today: {TODAY}\n"})


def test_control_characters_in_an_entry_are_removed_not_the_entry(make_crm, tmp_path):
    # Mojibake (a file read once as Latin-1: "’" became "â\x80\x99") and old
    # exports (Outlook's vertical tab) put control characters in names, which
    # `check` refuses in a file: the import leaves the characters out, not the person.
    root = crm(make_crm)
    csv = tmp_path / "Connections.csv"
    csv.write_text(f"{HEADER}\nSean,O\u00e2\x80\x99Neil,,,Acme\x0bLabs,,26 Nov 2024\n")
    vcf = tmp_path / "contacts.vcf"
    vcf.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\x07 Lee\r\nORG:Globex\x1b\r\nEND:VCARD\r\n"
    )
    assert run("import", "linkedin", csv, "--root", root).stdout == (
        "1 created, 0 skipped as duplicates, 0 invalid\n"
    )
    assert run("import", "vcard", vcf, "--root", root).stdout == (
        "1 created, 0 skipped as duplicates, 0 invalid\n"
    )
    loaded = load_crm(root)
    assert loaded.problems == ()
    people = {c.name: c.company for c in loaded.crm.contacts.values()}
    assert people == {"Sean O\u00e2 Neil": "Acme Labs", "Ann Lee": "Globex"}
