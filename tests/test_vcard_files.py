"""`import vcard` on real-world files: phones' and address books' exports (tests/data/vcards)."""

from __future__ import annotations

import base64
import datetime as dt
import os
import resource
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.exchange import importing, vcard
from followup_gen.load import load_crm

TODAY = dt.date(2026, 11, 20)
FILES = Path(__file__).parent / "data" / "vcards"

# Each file: (contacts it gives, entries skipped as invalid, some names it gives).
EXPECTED = {
    "android/v21_adr_multiple_line.vcf": (1, 0, ["bogus"]),
    "android/v21_base64_no_2_crlf.vcf": (1, 0, ["fullname"]),
    "android/v21_blackberry_photo.vcf": (1, 0, ["boogie"]),
    "android/v21_invalid_comment_line.vcf": (0, 1, []),
    "android/v21_japanese_1.vcf": (1, 0, ["安藤ロイド"]),
    "android/v21_japanese_2.vcf": (1, 0, ["安藤 ロイド 1"]),
    "android/v21_multiple_entry.vcf": (3, 0, ["安藤ロイド3", "安藤ロイド4", "安藤ロイド5"]),
    "android/v21_nest.vcf": (1, 0, ["parent"]),
    "android/v21_winmo_65.vcf": (1, 0, ["Example"]),
    "android/v30_ios_613_multiline.vcf": (1, 0, ["Bob Smith"]),
    "android/v30_japanese.vcf": (1, 0, ["伊能 圭一 伊予"]),
    "android/v40_sort_as.vcf": (1, 0, ["安藤 ロイド"]),
    "ez-vcard/John_Doe_ANDROID.vcf": (3, 3, ["Ñ Ñ Ñ Ñ"]),
    "ez-vcard/John_Doe_BLACK_BERRY.vcf": (1, 0, ["John Doe"]),
    "ez-vcard/John_Doe_EVOLUTION.vcf": (1, 0, ["Mr. John Richter, James Doe Sr."]),
    "ez-vcard/John_Doe_GMAIL.vcf": (1, 0, ["Mr. John Richter"]),
    "ez-vcard/John_Doe_IPHONE.vcf": (1, 0, ["Mr. John Richter James Doe Sr."]),
    "ez-vcard/John_Doe_LOTUS_NOTES.vcf": (1, 0, ["Mr. Doe John I Johny"]),
    "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf": (1, 0, ["Mr. John Richter,James Doe Sr."]),
    "ez-vcard/John_Doe_MS_OUTLOOK.vcf": (1, 0, ["Mr. John Richter James Doe Sr."]),
    "ez-vcard/fullcontact.vcf": (1, 0, ["Prefix FirstName MiddleName LastName Suffix"]),
    "ez-vcard/gmail-list.vcf": (3, 0, ["Arnold Smith", "Chris Beatle", "Doug White"]),
    "ez-vcard/gmail-single2.vcf": (1, 0, ["VCard Test"]),
    "ez-vcard/outlook-2003.vcf": (1, 0, ["John Doe III"]),
    "ez-vcard/outlook-2007.vcf": (1, 0, ["Mr. Michael Angstadt Jr."]),
    "ez-vcard/rfc6350-example.vcf": (1, 0, ["Simon Perreault"]),
    "ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf": (1, 0, ["John Doe"]),
    "folkerkinzel/AnsiIssue.vcf": (1, 0, ["Ralf Rastral"]),
    "folkerkinzel/German_ansi.vcf": (1, 0, ["Sören Täve Nüßlebaum"]),
    "folkerkinzel/Greek_ansi.vcf": (1, 0, ["Βαγγέλης"]),
    "folkerkinzel/Hebrew_utf8.vcf": (1, 0, ["אפרים קישון"]),
    "folkerkinzel/LabelTest1.vcf": (1, 0, ["Rudi Wimmel"]),
    "folkerkinzel/Library_v2.vcf": (1, 0, ["Herr Max Anderer Mustermann sen."]),
    "folkerkinzel/Photo_Outlook_v2.vcf": (0, 1, []),
    "folkerkinzel/Ukrainian_ansi.vcf": (1, 0, ["Віталій Володимирович Кличко"]),
    "folkerkinzel/v2_1.vcf": (1, 0, ["Maxl"]),
    "folkerkinzel/v3Ansi.vcf": (2, 0, ["Folker Kinzel", "KMS Außenstelle"]),
    "folkerkinzel/v3Utf16Bom.vcf": (2, 0, ["Folker Kinzel", "KMS Außenstelle"]),
    "folkerkinzel/v4.vcf": (2, 0, ["Möhrke Gerda"]),
}
# Deliberately cut short: refused whole.
TRUNCATED = {"folkerkinzel/Cropped_2_1.vcf"}


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_collection_is_listed_with_its_origin():
    files = {p.relative_to(FILES).as_posix() for p in FILES.rglob("*.vcf")}
    assert files == set(EXPECTED) | TRUNCATED
    readme = (FILES / "README.md").read_text()
    assert all(f"`{name}`" in readme for name in files)


def test_every_real_world_file_imports_but_the_truncated_one(make_crm):
    loaded = load_crm(make_crm({"followup.yml": f"today: {TODAY}\n"}))
    for name, (count, invalid, names) in EXPECTED.items():
        read = vcard.read(name, (FILES / name).read_bytes())
        assert read.errors == (), name
        assert (len(read.people), len(read.invalid)) == (count, invalid), name
        assert set(names) <= {p.name for p in read.people}, name
        plan = importing.plan(loaded, read.people, source=name, today=TODAY, relationship="friend")
        # Every contact read is written, and loads without a problem.
        assert len(plan.files) == count and plan.invalid == (), name
    (cut,) = TRUNCATED
    assert [p.code for p in vcard.read(cut, (FILES / cut).read_bytes()).errors] == [
        "unclosed-vcard"
    ]


def test_what_real_files_say_comes_through():
    def people(name):
        return {p.name: p for p in vcard.read(name, (FILES / name).read_bytes()).people}

    # iOS writes \r\r\n inside its photos: the card is read, not refused.
    iphone = people("ez-vcard/John_Doe_IPHONE.vcf")["Mr. John Richter James Doe Sr."]
    assert (iphone.email, iphone.company) == ("john.doe@ibm.com", "IBM")
    # A comma in ORG is kept; Apple's \: in a note is a colon.
    assert people("ez-vcard/outlook-2003.vcf")["John Doe III"].company == "Company, The"
    mac = people("ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf")["Mr. John Richter,James Doe Sr."]
    assert mac.notes.endswith("\nFavotire Color: Blue")
    # Windows-1252 named on another property (Outlook names it on LABEL only).
    ansi = people("folkerkinzel/AnsiIssue.vcf")["Ralf Rastral"]
    assert ansi.address == "Lämmerweg 12\nKleindorf 98765\nDeutschland"
    # 2.1 address lines carried on by a backslash.
    assert people("android/v21_adr_multiple_line.vcf")["bogus"].address == (
        "Grindelberg 999\nHamburg 99999\nDeutschland"
    )


def test_one_bad_entry_is_skipped_and_the_rest_imported(make_crm, monkeypatch):
    """One stray byte in one entry of an Android export used to block the whole file."""
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    monkeypatch.chdir(FILES / "ez-vcard")
    result = run("import", "vcard", "John_Doe_ANDROID.vcf", "--root", str(root))
    assert result.exit_code == 0
    assert result.stderr == (
        "John_Doe_ANDROID.vcf:1: warning: 2 entries have no name (lines 1, 6); skipped [no-name]\n"
        "John_Doe_ANDROID.vcf:82: warning: malformed entry: ORG is not UTF-8 text (byte 0x80); "
        "skipped [bad-vcard]\n"
    )
    assert result.stdout == "3 created, 0 skipped as duplicates, 3 invalid\n"
    assert sorted(load_crm(root).crm.contacts) == ["n-n-n-n", "n-n-n-n-n", "n-n-n-n-n-n-n-n-n-n-n"]


def test_a_line_that_is_no_property_skips_its_entry_only(make_crm, tmp_path):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\n"
        "FN:Bob\r\nEMAIL bob@example.com\r\nEND:VCARD\r\n"
    )
    (tmp_path / "c.vcf").write_text(text, newline="")
    result = run("import", "vcard", str(tmp_path / "c.vcf"), "--root", str(root))
    assert result.exit_code == 0
    assert result.stderr == (
        f"{tmp_path / 'c.vcf'}:8: warning: malformed entry: 'EMAIL bob@example.com' is not a "
        "vCard property; skipped [bad-vcard]\n"
    )
    assert result.stdout == "1 created, 0 skipped as duplicates, 1 invalid\n"
    assert list(load_crm(root).crm.contacts) == ["ann"]


def test_charsets_a_windows_file_and_transliterated_ids(make_crm, tmp_path, monkeypatch):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    monkeypatch.chdir(tmp_path)
    korean = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:김;민수;;;\r\nFN:김민수\r\nEND:VCARD\r\n"
    latin1 = "BEGIN:VCARD\nFN:René Müller\nEND:VCARD\n".encode("latin-1")
    (tmp_path / "k.vcf").write_text(korean, encoding="utf-8", newline="")
    (tmp_path / "w.vcf").write_bytes(latin1)
    (tmp_path / "j.vcf").write_bytes((FILES / "android/v21_japanese_1.vcf").read_bytes())
    assert run("import", "vcard", "k.vcf", "--root", str(root)).exit_code == 0
    assert run("import", "vcard", "j.vcf", "--root", str(root)).exit_code == 0
    windows = run("import", "vcard", "w.vcf", "--root", str(root))
    assert windows.exit_code == 0
    assert windows.stderr == (
        "w.vcf:2: warning: this text is not UTF-8 (byte 0xe9) and names no CHARSET: read as "
        "Windows-1252; check the names it gives, or export the file again as UTF-8 [not-utf8]\n"
    )
    contacts = load_crm(root).crm.contacts
    assert {c.id: c.name for c in contacts.values()} == {
        "gim-min-su": "김민수",
        "an-teng-roido": "安藤ロイド",
        "rene-muller": "René Müller",
    }


def test_base64_names_are_decoded():
    name = base64.b64encode("Jörg Müller".encode()).decode()
    text = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN;ENCODING=b;CHARSET=UTF-8:{name}\r\n"
        f"N;ENCODING=B:{base64.b64encode('Müller;Jörg;;;'.encode()).decode()}\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;BASE64:{name}\r\nEND:VCARD\r\n"
    )
    read = vcard.read("b.vcf", text.encode())
    assert [p.name for p in read.people] == ["Jörg Müller", "Jörg Müller"]


PEAK = """
import resource, sys
from followup_gen.exchange import vcard
read = vcard.read("big.vcf", open(sys.argv[1], "rb").read())
assert [p.name for p in read.people] == ["Jane Doe"], read
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_15_mb_card_imports_in_bounded_memory(tmp_path):
    """Outlook's X-MS-CARDPICTURE photo: dropped line by line, never held whole or parsed."""
    photo = base64.b64encode(os.urandom(11_000_000)).decode()
    lines = ["BEGIN:VCARD", "VERSION:2.1", "FN:Jane Doe", "X-MS-CARDPICTURE;ENCODING=BASE64:"]
    lines += [" " + photo[i : i + 72] for i in range(0, len(photo), 72)]
    big = tmp_path / "big.vcf"
    big.write_text("\r\n".join([*lines, "", "END:VCARD", ""]), newline="")
    assert big.stat().st_size > 15_000_000

    def limit():  # the old reader took 2 GB: fail fast rather than swap
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(big)],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout) < 200 * 1024  # kilobytes: under 200 MB
