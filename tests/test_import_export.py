"""`import vcard`, `import linkedin`, `export vcard`: real-world-shaped files in, a valid CRM out."""

from __future__ import annotations

import base64
import collections
import datetime as dt
import math
import random

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.exchange.importing import anchors
from followup_gen.load import load_crm
from followup_gen.rules.evaluate import evaluate

TODAY = dt.date(2026, 11, 20)
FIRST = ["Jane", "Zoë", "Jürgen", "Amélie", "Sam", "Priya", "Olu", "Mei", "Liam", "Ana",
         "Noah", "Fatima", "Kenji", "Sofía", "Omar", "Chloé", "Ravi", "Ingrid", "Tomás", "Aisha",
         "Lars", "Yuki", "Elena", "Marek", "Nadia"]  # fmt: skip
LAST = ["Doe", "Müller", "O'Brien", "García", "Nguyen", "Smith", "Kowalski", "Rossi", "Okafor",
        "Lindqvist", "Tanaka", "Dubois", "Haddad", "Costa", "Novak", "Patel", "Schmidt", "Ivanova",
        "Kim", "Silva", "Jensen", "Moreau", "Ali", "Brown"]  # fmt: skip


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def snapshot(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".followup-cache" not in p.parts
    }


def fold(line: str) -> str:
    """RFC 6350 folding: at most 75 octets a line, continuations start with a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def people(count: int):
    pairs = [(f, last) for last in LAST for f in FIRST]
    random.Random(5).shuffle(pairs)
    return pairs[:count]


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def entry(i: int, first: str, last: str, email: str) -> list[str]:
    """One person as Google, Apple or Outlook (3.0), or a 4.0 exporter writes them."""
    name, handle = f"{first} {last}", f"p{i}"
    note = escape(f"Met {first} at the {i}th meetup; talked about data contracts, "
                  "the migration and hiring plans for next year.\nFollow up in spring.")  # fmt: skip
    style = i % 5
    if style == 0:  # Google Contacts
        return ["VERSION:3.0", f"FN:{name}", f"N:{last};{first};;;",
                f"EMAIL;TYPE=INTERNET;TYPE=HOME:{email}", f"TEL;TYPE=CELL:+1 555 010 {i:04d}",
                f"ORG:Company {i % 37};", f"TITLE:Engineer {i}",
                f"item1.URL:https\\://www.linkedin.com/in/{handle}", "item1.X-ABLabel:LinkedIn",
                "CATEGORIES:myContacts,Work", f"NOTE:{note}"]  # fmt: skip
    if style == 1:  # Apple Contacts
        photo = base64.b64encode(bytes(range(256)) * 3).decode()
        return ["VERSION:3.0", f"N:{last};{first};;;", f"FN:{name}", f"ORG:Company {i % 37};",
                f"item1.EMAIL;type=INTERNET;type=pref:{email}", "item1.X-ABLabel:_$!<Other>!$_",
                f"EMAIL;type=INTERNET;type=WORK:other{i}@work.example",
                f"TEL;type=CELL;type=VOICE;type=pref:(555) 010-{i:04d}",
                f"item2.ADR;type=HOME;type=pref:;;{i} Main St;Springfield;IL;62701;USA",
                "item2.X-ABADR:us",
                f"X-SOCIALPROFILE;type=linkedin:https://linkedin.com/in/{handle}",
                f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}", f"X-ABUID:{i:08X}-ABCD:ABPerson"]  # fmt: skip
    if style == 2:  # Outlook: N without FN, 2.1-style bare types, quoted-printable
        return ["VERSION:3.0", f"N;LANGUAGE=en-us:{last};{first}",
                f"EMAIL;PREF;INTERNET:{email}", f"TEL;WORK;VOICE:+44 20 7946 {i:04d}",
                f"ORG:Company {i % 37}", f"TITLE:Director {i}",
                "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Caf=C3=A9 with the team; a long note =",
                "that wraps with a soft line break",
                f"ADR;WORK;PREF:;;{i} High St;London;;EC1A 1BB;United Kingdom",
                f"LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE:{i} High St=0D=0ALondon",
                "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2", "REV:20261101T120000Z"]  # fmt: skip
    if style == 3:  # vCard 4.0
        return ["VERSION:4.0", f"FN:{name}", f"N:{last};{first};;;", "KIND:individual",
                f"EMAIL;TYPE=work;PREF=1:{email}",
                f'TEL;VALUE=uri;TYPE="voice,cell":tel:+1-555-010-{i:04d}',
                f'ADR;TYPE=work;LABEL="{i} Main St\\nBoston":;;{i} Main St;Boston;MA;02110;USA',
                f"ORG:Company {i % 37}", f"URL;TYPE=work:https://www.linkedin.com/in/{handle}/",
                f"UID:urn:uuid:00000000-0000-4000-8000-{i:012d}", f"NOTE:{note}"]  # fmt: skip
    return ["VERSION:4.0", f"FN:{name}", f"item1.EMAIL;TYPE=home:{email}",
            f"TITLE:{'Head of ' * 3}Data"]  # fmt: skip


def vcf(count=500):
    """A 500-entry export: five exporters' quirks, planted duplicates and nameless entries.

    Returns the bytes and what an import into a CRM holding ``EXISTING`` must do.
    """
    chosen = people(count)
    lines, emails = [], []
    expected = {"duplicates": 0, "invalid": 0}
    for i, (first, last) in enumerate(chosen):
        email = f"{first.lower()}.{i}@example.com".replace("ë", "e").replace("ü", "u")
        if i % 50 == 10:  # the same email as an earlier entry, under another name
            email, expected["duplicates"] = emails[i - 7], expected["duplicates"] + 1
        planted = i % 50 == 20
        if planted:  # the same name as an earlier entry, shouted, nothing to tell them apart
            first, last = (x.upper() for x in chosen[i - 3])
            expected["duplicates"] += 1
        emails.append(email)
        body = entry(i, first, last, email)
        if planted:  # an email or profile of its own would make it another person
            body = [x for x in body if not any(k in x for k in ("EMAIL", "URL", "SOCIAL"))]
        if i % 100 == 30:  # no FN, no N: invalid
            body = ["VERSION:3.0", f"EMAIL:nobody{i}@example.com"]
            expected["invalid"] += 1
        # Exporters fold long lines, except quoted-printable ones (soft line breaks instead).
        lines += [
            "BEGIN:VCARD",
            *(line if "QUOTED" in line else fold(line) for line in body),
            "END:VCARD",
        ]
    data = "\ufeff" + "\r\n".join(lines) + "\r\n"
    expected["created"] = count - expected["duplicates"] - expected["invalid"]
    return data.encode("utf-8"), expected, chosen


EXISTING = {
    "followup.yml": f"today: {TODAY}\n",
    # In the file by email (entry 0), by name (entry 1) and by LinkedIn profile (entry 3).
    "contacts/old-friend.md": "---\nname: Old Friend\nrelationship: friend\nemail: {e0}\n---\n",
    "contacts/same-name.md": "---\nname: {n1}\nrelationship: friend\n---\n",
    "contacts/profile.md": "---\nname: Pro File\nrelationship: friend\n"
    "linkedin: https://linkedin.com/in/p3\n---\n",
}


def crm_with_existing(make_crm, chosen):
    e0 = f"{chosen[0][0].lower()}.0@example.com".replace("ë", "e").replace("ü", "u")
    files = {
        k: v.replace("{e0}", e0).replace("{n1}", " ".join(chosen[1])) for k, v in EXISTING.items()
    }
    return make_crm(files)


def test_import_a_real_world_vcard_file(make_crm, tmp_path):
    data, expected, chosen = vcf()
    root = crm_with_existing(make_crm, chosen)
    (tmp_path / "contacts.vcf").write_bytes(data)
    result = run(
        "import", "vcard", str(tmp_path / "contacts.vcf"), "--verbose", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    created, skipped = expected["created"] - 3, expected["duplicates"] + 3
    assert (created, skipped, expected["invalid"]) == (472, 23, 5)
    assert result.stdout == f"{created} created, {skipped} skipped as duplicates, 5 invalid\n"
    stderr = result.stderr.splitlines()
    assert len(stderr) == skipped + 1  # the five nameless entries in one line
    vcf_path = str(tmp_path / "contacts.vcf")
    first = " ".join(chosen[0])
    assert (
        f"{vcf_path}:1: warning: {first}: same email as contacts/old-friend.md; skipped [duplicate]"
        in stderr
    )
    assert any("same LinkedIn profile as contacts/profile.md; skipped" in s for s in stderr)
    assert any("same name as contacts/same-name.md; skipped" in s for s in stderr)
    assert any("same email as " + vcf_path + ":" in s for s in stderr)
    assert (
        f"{vcf_path}:461: warning: 5 entries have no name (lines 461, 1987, 3513, 5039, 6565); "
        "skipped [no-name]" in stderr
    )

    assert run("check", "--root", str(root)).exit_code == 0
    loaded = load_crm(root)
    assert loaded.problems == ()
    contacts = loaded.crm.contacts
    assert len(contacts) == 3 + created
    by_name = {c.name: c for c in contacts.values()}
    google, apple, outlook, v4, bare = (by_name[" ".join(chosen[i])] for i in (5, 6, 7, 8, 9))
    assert google.linkedin == "https://www.linkedin.com/in/p5"
    # The greeting's first name comes from N, never guessed; the salutation stays unset.
    assert (google.given_name, google.salutation) == (chosen[5][0], None)
    assert outlook.given_name == chosen[7][0]
    assert google.tags == ("Work",)
    assert google.notes.startswith(
        f"Met {chosen[5][0]} at the 5th meetup; talked about data contracts, the"
    )
    assert "\nFollow up in spring." in google.notes
    assert apple.email.endswith(".6@example.com")  # the `pref` one of two
    assert apple.address == "6 Main St\nSpringfield, IL 62701\nUSA"
    assert apple.linkedin == "https://linkedin.com/in/p6"
    assert outlook.phone == "+44 20 7946 0007"  # N without FN still gives the name
    assert outlook.notes.startswith(
        "Café with the team; a long note that wraps with a soft line break"
    )
    assert v4.phone == "+1-555-010-0008"
    assert v4.relationship == "personal-network"
    assert bare.title == "Head of Head of Head of Data"
    assert all(
        c.notes.endswith("Imported from contacts.vcf on 2026-11-20.\n")
        for c in contacts.values()
        if c.first_check_in
    )


def test_reimport_skips_everyone_and_dry_run_writes_nothing(make_crm, tmp_path):
    data, expected, chosen = vcf(120)
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    (tmp_path / "c.vcf").write_bytes(data)
    before = snapshot(root)
    dry = run("import", "vcard", str(tmp_path / "c.vcf"), "--dry-run", "--root", str(root))
    assert dry.exit_code == 0
    summary = f"{expected['duplicates']} skipped as duplicates, {expected['invalid']} invalid"
    assert (
        dry.stdout
        == f"{expected['created']} would be created, {summary} (dry run: nothing written)\n"
    )
    assert snapshot(root) == before
    assert run("import", "vcard", str(tmp_path / "c.vcf"), "--root", str(root)).stdout == (
        f"{expected['created']} created, {summary}\n"
    )
    after_first = snapshot(root)
    again = run("import", "vcard", str(tmp_path / "c.vcf"), "--root", str(root))
    assert again.exit_code == 0
    # Without --verbose only the invalid entries are listed, not the duplicates.
    assert expected["invalid"] == 1
    assert again.stderr.endswith(
        ":461: warning: this entry has no name (neither FN nor N); skipped [no-name]\n"
    )
    assert again.stderr.count("\n") == 1
    assert (
        again.stdout
        == f"0 created, {120 - expected['invalid']} skipped as duplicates, {expected['invalid']} invalid\n"
    )
    assert snapshot(root) == after_first


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD\nBEGIN:VCARD\nFN:Bob\n",
            "c.vcf:5: error: this entry has no END:VCARD: the file is cut short [unclosed-vcard]",
        ),
        (
            "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n",
            "c.vcf:1: error: expected BEGIN:VCARD, found 'First Name,Last Name,Email': not a vCard"
            " file [not-vcard]",
        ),
        ("\n\n", "c.vcf: error: no BEGIN:VCARD in the file: not a vCard file [not-vcard]"),
        (
            b"BEGIN:VCARD\nFN:Ann\x00\nEND:VCARD\n",
            "c.vcf:2: error: the file holds NUL bytes: it is not text [not-text]",
        ),
    ],
)
def test_a_malformed_vcard_is_refused_whole(make_crm, tmp_path, monkeypatch, text, message):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.vcf").write_bytes(text if isinstance(text, bytes) else text.encode())
    before = snapshot(root)
    result = run("import", "vcard", "c.vcf", "--root", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{message}\nfollowup-gen: c.vcf cannot be imported; nothing written\n"
    assert snapshot(root) == before


def test_lf_and_utf16_vcards_and_unknown_relationship(make_crm, tmp_path):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEMAIL:not-an-email\nEND:VCARD\n"
    (tmp_path / "a.vcf").write_bytes(card.encode("utf-16"))
    bad = run("import", "vcard", str(tmp_path / "a.vcf"), "-r", "collegue", "--root", str(root))
    assert bad.exit_code == 2
    assert "unknown value 'collegue'" in bad.stderr
    result = run(
        "import", "vcard", str(tmp_path / "a.vcf"), "-r", "past-coworker", "--root", str(root)
    )
    assert result.stdout == "1 created, 0 skipped as duplicates, 0 invalid\n"
    ann = load_crm(root).crm.contacts["ann-lee"]
    assert (ann.relationship, ann.email) == ("past-coworker", None)


def linkedin_csv(count: int, seed: int = 7) -> tuple[str, list[tuple[str, str]]]:
    """LinkedIn's Connections.csv: its notes preamble, then one row per connection."""
    rng = random.Random(seed)
    rows = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email addresses '
        "are missing. You will only see email addresses for connections who have allowed their "
        "connections to see or download their email address using this setting "
        "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
        'https://www.linkedin.com/help/linkedin/answer/261"',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    pairs = people(len(FIRST) * len(LAST))
    names = [pairs[i % len(pairs)] for i in range(count)]
    # Past every first-and-last pair, a middle initial keeps the names apart.
    names = [
        (f"{f} {'ABCDEFGH'[i % 8]}." if i >= len(pairs) else f, last)
        for i, (f, last) in enumerate(names)
    ]
    for i, (first, last) in enumerate(names):
        day = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(4700))
        email = f"{first.lower()}{i}@example.com" if i % 4 == 0 else ""
        company = '"Acme, Inc."' if i % 9 == 0 else f"Company {i % 40}"
        rows.append(
            f"{first},{last},https://www.linkedin.com/in/c{i},{email},{company},"
            f'"Senior Engineer, Data",{day:%d %b %Y}'
        )
    rows.append(",,https://www.linkedin.com/in/deactivated,,,,01 Jan 2020")
    return "\ufeff" + "\r\n".join(rows) + "\r\n", names


def test_import_linkedin_800_connections_without_a_flood(make_crm, tmp_path):
    text, names = linkedin_csv(800)
    root = make_crm(
        {
            "followup.yml": f"today: {TODAY}\n",
            "contacts/known.md": f"---\nname: {' '.join(names[0])}\nrelationship: friend\n---\n",
        }
    )
    (tmp_path / "Connections.csv").write_text(text, encoding="utf-8", newline="")
    result = run("import", "linkedin", str(tmp_path / "Connections.csv"), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout == "799 created, 1 skipped as duplicates, 1 invalid\n"
    assert result.stderr.splitlines()[-1].endswith(
        ":805: warning: this row has no name; skipped [no-name]"
    )
    assert run("check", "--root", str(root)).exit_code == 0
    loaded = load_crm(root)
    c9 = next(
        c for c in loaded.crm.contacts.values() if c.linkedin == "https://www.linkedin.com/in/c9"
    )
    assert (c9.company, c9.title, c9.relationship) == (
        "Acme, Inc.",
        "Senior Engineer, Data",
        "professional-network",
    )
    assert "Connected on LinkedIn on " in c9.notes

    # No flood: the real keep-in-touch rule brings them due at most ceil(799/60) a day,
    # none within the next 36 hours (they belong to the people you really just met).
    due_on = collections.Counter()
    for item in evaluate(loaded.crm, TODAY, loaded.settings).followups:
        assert item.rule == "keep-in-touch" or item.contact == "known", item
        if item.contact != "known":
            due_on[item.due] += 1
    assert sum(due_on.values()) == 799
    assert min(due_on) == TODAY + dt.timedelta(days=2)
    assert max(due_on) <= TODAY + dt.timedelta(days=61)
    assert max(due_on.values()) <= math.ceil(799 / 60)
    tomorrow = evaluate(loaded.crm, TODAY + dt.timedelta(days=1), loaded.settings)
    assert sum(i.status != "upcoming" and i.contact != "known" for i in tomorrow.followups) == 0
    # `met` means the day you met: here, the day you connected, when LinkedIn says.
    assert all(c.met is None or c.met <= TODAY for c in loaded.crm.contacts.values())


def test_a_recent_connection_keeps_its_real_date(make_crm, tmp_path):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    rows = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On",
            "Ann,Lee,https://www.linkedin.com/in/ann,,,,18 Nov 2026",
            "Bo,Ek,https://www.linkedin.com/in/bo,,,,02 Mar 2015"]  # fmt: skip
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n")
    assert run("import", "linkedin", str(tmp_path / "c.csv"), "--root", str(root)).exit_code == 0
    contacts = load_crm(root).crm.contacts
    assert contacts["ann-lee"].met == dt.date(2026, 11, 18)
    assert (contacts["ann-lee"].given_name, contacts["ann-lee"].salutation) == ("Ann", None)
    assert contacts["bo-ek"].met == dt.date(2015, 3, 2)
    # The older connection first: it has waited longest for a word.
    assert [contacts[c].first_check_in for c in ("bo-ek", "ann-lee")] == anchors(2, 60, TODAY)
    assert "Connected on LinkedIn on 2015-03-02." in contacts["bo-ek"].notes


def test_anchors_spread_first_check_ins_over_one_cadence():
    days = anchors(800, 60, TODAY)
    assert days[0] == TODAY + dt.timedelta(days=2)
    assert days[-1] == TODAY + dt.timedelta(days=61)
    assert max(collections.Counter(days).values()) == 14
    assert anchors(3, 30, TODAY) == [TODAY + dt.timedelta(days=d) for d in (2, 12, 22)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Name,Email\nAnn,ann@example.com\n",
            "c.csv: error: not LinkedIn's Connections.csv: no header row with 'First Name', "
            "'Last Name' and 'Connected On' in its first 20 lines (it starts: Name,Email) [not-linkedin]",
        ),
        (
            "",
            "c.csv: error: not LinkedIn's Connections.csv: no header row with 'First Name', "
            "'Last Name' and 'Connected On' in its first 20 lines (it starts: (empty)) [not-linkedin]",
        ),
        (
            "First Name,Last Name\nA\x00n,Lee\n",
            "c.csv:2: error: the file holds NUL bytes: it is not text [not-text]",
        ),
    ],
)
def test_a_csv_that_is_not_linkedins_is_refused(make_crm, tmp_path, monkeypatch, text, message):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.csv").write_text(text)
    before = snapshot(root)
    result = run("import", "linkedin", "c.csv", "--root", str(root))
    assert result.exit_code == 1
    assert result.stderr == f"{message}\nfollowup-gen: c.csv cannot be imported; nothing written\n"
    assert snapshot(root) == before


def test_import_into_a_broken_crm_is_refused(make_crm, tmp_path):
    root = make_crm({"contacts/x.md": "---\nname: X\n---\n"})
    (tmp_path / "c.csv").write_text("First Name,Last Name\nAnn,Lee\n")
    result = run("import", "linkedin", str(tmp_path / "c.csv"), "--root", str(root))
    assert result.exit_code == 1
    assert "contacts/x.md:1: error: a contact needs 'relationship'" in result.stderr
    assert not (root / "contacts/ann-lee.md").exists()


def test_export_vcard_round_trips(make_crm, tmp_path):
    source = make_crm(
        {
            "contacts/jane-doe.md": "---\nname: Jane Doe, Jr.\nrelationship: hiring\ncompany: Acme; Co\n"
            "title: VP, Data\nemail: jane@acme.example\nphone: +1 555 0100\n"
            "address: |\n  1 Main St\n  Springfield, IL 62701\nlinkedin: https://www.linkedin.com/in/jane\n"
            "tags: [kafka, 'on call']\n---\nNotes: likes\nhandwritten letters.\n",
            "contacts/bo.md": "---\nname: Bo\nrelationship: family\n---\n",
        }
    )
    result = run("export", "vcard", "--root", str(source))
    assert result.exit_code == 0
    assert result.stdout.count("BEGIN:VCARD") == 2
    assert b"VERSION:4.0\r\n" in result.stdout_bytes  # RFC 6350: CRLF line ends
    assert b"FN:Jane Doe\\, Jr.\r\n" in result.stdout_bytes
    again = run("export", "vcard", "--root", str(source))
    assert again.stdout_bytes == result.stdout_bytes  # stable UIDs, stable order
    (tmp_path / "out.vcf").write_bytes(result.stdout_bytes)
    target = make_crm({"followup.yml": f"today: {TODAY}\n"})
    imported = run("import", "vcard", str(tmp_path / "out.vcf"), "--root", str(target))
    assert imported.stdout == "2 created, 0 skipped as duplicates, 0 invalid\n"
    before, after = load_crm(source).crm.contacts, load_crm(target).crm.contacts
    jane = after["jane-doe"]  # the id travels with the card
    original = before["jane-doe"]
    for key in (
        "name",
        "relationship",
        "company",
        "title",
        "email",
        "phone",
        "address",
        "linkedin",
        "tags",
    ):
        assert getattr(jane, key) == getattr(original, key), key
    assert jane.notes.startswith("Notes: likes\nhandwritten letters.\n")
    assert after["bo"].relationship == "family"


def test_export_vcard_out_never_replaces_a_file(make_crm, tmp_path):
    root = make_crm({"contacts/bo.md": "---\nname: Bo\nrelationship: family\n---\n"})
    out = tmp_path / "all.vcf"
    out.write_text("my address book")
    refused = run("export", "vcard", "--out", str(out), "--root", str(root))
    assert refused.exit_code == 1
    assert (
        refused.stderr
        == f"followup-gen: {out} exists; nothing written (add --force to replace it)\n"
    )
    assert out.read_text() == "my address book"
    forced = run("export", "vcard", "--out", str(out), "--force", "--root", str(root))
    assert forced.exit_code == 0
    assert forced.stderr == f"{out}: 1 contact\n"
    assert out.read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")


ROUND_TRIP = {
    "followup.yml": f"today: {TODAY}\n",
    "contacts/john.md": "---\nname: Mr. John Q. Doe Sr.\nrelationship: past-coworker\n"
    "company: Company, The\ntitle: VP; Data\ncadence: 21d\nmet: 2026-10-01\n"
    "address: |\n  TheOffice\n  222 Broadway\n  New York, NY 99999\n  USA\n"
    "tags: [kafka, myContacts, 'a, b']\n---\nLikes: handwritten letters.\n",
    "contacts/yamada.md": "---\nname: 山田 太郎\nrelationship: friend\nmet: 2026-08-01\n"
    "address: |\n  1-2-3 Ginza\n  Tokyo 104-0061\n---\n",
    "contacts/acme.md": "---\nname: Acme Corp\ncompany: Acme Corp\nrelationship: past-employer\n"
    "business_card: true\nmet: 2026-06-01\n---\n",
    "contacts/dnc.md": "---\nname: Do Not Call\nrelationship: friend\ndo_not_contact: true\n"
    "met: 2026-01-01\n---\n",
    "contacts/quiet.md": "---\nname: Quiet One\nrelationship: friend\ncadence: none\n---\n",
    "contacts/new.md": "---\nname: New Person\nrelationship: professional-network\n"
    "email: new@example.com\nlinkedin: https://www.linkedin.com/in/new\n---\n",
    "interactions/2026-11-02-meeting-john.md": "---\ndate: 2026-11-02\nkind: meeting\n"
    "contacts: [john, yamada]\n---\n",
}


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_export_then_import_gives_the_same_contacts_and_the_same_due_list(
    make_crm, tmp_path, version
):
    source = make_crm(ROUND_TRIP)
    out = tmp_path / "out.vcf"
    exported = run(
        "export", "vcard", "--version", version, "--out", str(out), "--root", str(source)
    )
    assert exported.exit_code == 0, exported.output
    data = out.read_bytes().decode()
    assert f"VERSION:{version}\r\n" in data
    if version == "4.0":
        assert "\r\nN:" not in data  # never a name split guessed from FN
        assert "KIND:org\r\n" in data and data.count("KIND:individual\r\n") == 5
    else:
        assert "N:Mr. John Q. Doe Sr.;;;;\r\n" in data and "KIND:" not in data
    assert "ADR:;;TheOffice\\n222 Broadway;New York;NY;99999;USA\r\n" in data
    assert "X-FOLLOWUP-DO-NOT-CONTACT:true\r\n" in data
    assert "X-FOLLOWUP-CADENCE:none\r\n" in data

    target = make_crm({"followup.yml": f"today: {TODAY}\n"})
    imported = run("import", "vcard", str(out), "--root", str(target))
    assert imported.stdout == "6 created, 0 skipped as duplicates, 0 invalid\n"
    before, after = load_crm(source).crm.contacts, load_crm(target).crm.contacts
    assert sorted(after) == sorted(before)
    for cid, original in before.items():
        again = after[cid]
        for key in original.__slots__:
            if key not in ("source", "notes"):
                assert getattr(again, key) == getattr(original, key), (cid, key)
        provenance = f"Imported from out.vcf on {TODAY}."
        assert again.notes.strip() == f"{original.notes.strip()}\n\n{provenance}".strip()
    # Interactions are files, not cards: copied as they are, they find the same ids.
    (target / "interactions").mkdir(exist_ok=True)
    for path in (source / "interactions").iterdir():
        (target / "interactions" / path.name).write_bytes(path.read_bytes())
    due = run("due", "--root", str(source)).stdout
    assert "every 21 days; last in touch 2026-11-02" in due  # the interaction found its contact
    assert run("due", "--root", str(target)).stdout == due
    assert run("report", "--json", "--root", str(target)).exit_code == 0
