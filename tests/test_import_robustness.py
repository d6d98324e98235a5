"""Imports and exports given odd but plausible files and paths: nothing lost, each problem said."""

from __future__ import annotations

import datetime as dt
import os

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


def test_export_activity_out_never_replaces_a_file_unasked(make_crm, tmp_path):
    # Last week's record, or a data file picked by a slip of tab completion.
    root = make_crm({"contacts/ann.md": "---\nname: Ann Lee\nrelationship: hiring\n---\n"})
    last_week = tmp_path / "week.md"
    last_week.write_text("# Work-search record, last week\n", encoding="utf-8")
    for out in (last_week, root / "contacts" / "ann.md"):
        before = out.read_bytes()
        result = run("export", "activity", "--from", "2026-11-16", "--out", out, "--root", root)
        assert result.exit_code == 1
        assert result.stderr == (
            f"followup-gen: {out} exists; nothing written (add --force to replace it)\n"
        )
        assert out.read_bytes() == before
    forced = run("export", "activity", "--from", "2026-11-16", "--to", "2026-11-22",
                 "--format", "md", "--out", last_week, "--force", "--root", root)  # fmt: skip
    assert forced.exit_code == 0
    assert last_week.read_text(encoding="utf-8").startswith(
        "# Work-search record, November 16, 2026 to November 22, 2026\n"
    )


def test_an_import_into_a_contacts_folder_that_is_not_one_says_so(tmp_path):
    # contacts/ a link to a cloud drive that is not mounted: no file can be made there.
    root = tmp_path / "crm"
    (root / "opportunities").mkdir(parents=True)
    (root / "interactions").mkdir()
    (root / "contacts").symlink_to(tmp_path / "unmounted-drive")
    vcf = tmp_path / "contacts.vcf"
    vcf.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n", encoding="utf-8")
    result = run("import", "vcard", vcf, "--root", root)
    assert result.exit_code == 1
    assert result.stderr == (
        "contacts: error: this is not a folder (a file, or a link to something missing): no "
        "contact can be read from it; make it a folder, or move it away [unreadable]\n"
        "followup-gen: 1 error, 0 warnings in 1 file; fix them first.\n"
    )
    assert not (tmp_path / "unmounted-drive").exists()


def test_export_activity_from_after_today_blames_from_not_the_unused_to(make_crm):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    result = run("export", "activity", "--from", "2026-12-01", "--root", root)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--from': 2026-12-01 is after today (2026-11-20), "
        "the default --to\n"
    )
    both = run("export", "activity", "--from", "2026-12-01", "--to", "2026-11-30", "--root", root)
    assert both.exit_code == 2
    assert both.stderr.endswith(
        "Error: Invalid value for '--to': 2026-11-30 is before --from 2026-12-01\n"
    )


def test_a_file_name_in_no_encoding_is_imported(make_crm, tmp_path):
    # Unzipped from an old Windows archive: "café" in Latin-1, not a UTF-8 name.
    root = crm(make_crm)
    name = os.fsdecode(b"caf\xe9")
    (tmp_path / f"{name}.vcf").write_bytes(b"BEGIN:VCARD\r\nFN:Ann Lee\r\nEND:VCARD\r\n")
    (tmp_path / f"{name}.csv").write_bytes(f"{HEADER}\nBo,Roe,,,,,26 Nov 2024\n".encode())
    for kind, suffix in (("vcard", "vcf"), ("linkedin", "csv")):
        result = run("import", kind, tmp_path / f"{name}.{suffix}", "--root", root)
        assert result.stdout == "1 created, 0 skipped as duplicates, 0 invalid\n"
    loaded = load_crm(root)
    assert loaded.problems == ()
    assert "Imported from caf\ufffd.vcf on 2026-11-20." in loaded.crm.contacts["ann-lee"].notes


def test_a_stray_equals_sign_ending_a_quoted_printable_value(make_crm, tmp_path):
    # Some phones end a quoted-printable value with "=", a soft line break with
    # nothing after it: the next line is a property of its own, not more of the value.
    root = crm(make_crm)
    vcf = tmp_path / "phone.vcf"
    vcf.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Lee;Ann=\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ann Lee=\r\n"
        b"TEL;CELL:555 0101\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bo Roe\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:Met at the=\r\n fair=0D=0ASay hi=\r\nEND:VCARD\r\n"
    )
    result = run("import", "vcard", vcf, "--root", root)
    assert (result.exit_code, result.stderr) == (0, "")
    contacts = load_crm(root).crm.contacts
    ann, bo = contacts["ann-lee"], contacts["bo-roe"]
    assert (ann.name, ann.given_name, ann.phone) == ("Ann Lee", "Ann", "555 0101")
    assert bo.notes.startswith("Met at the fair\nSay hi\n\nImported from phone.vcf")


def test_a_connected_on_year_out_of_range_costs_the_date_not_the_contact(make_crm, tmp_path):
    root = crm(make_crm)
    csv = tmp_path / "Connections.csv"
    csv.write_text(f"{HEADER}\nAnn,Lee,,,Acme,,26 Nov 1024\nBo,Roe,,,,,26 Nov 2024\n")
    result = run("import", "linkedin", csv, "--root", root)
    assert result.stdout == "2 created, 0 skipped as duplicates, 0 invalid\n"
    assert result.stderr == (
        f"{csv}:2: warning: 1 'Connected On' date is in no form known (like 26 Nov 2024 "
        "or 11/26/2024); imported without it [bad-date]\n"
    )
    contacts = load_crm(root).crm.contacts
    assert (contacts["ann-lee"].company, contacts["ann-lee"].met) == ("Acme", None)
