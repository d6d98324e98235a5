"""`import linkedin` on the files people really have: other languages, Excel re-saves, broken CSVs."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

TODAY = dt.date(2026, 11, 20)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
PREAMBLE = ["Notes:", '"When exporting your connection data, you may notice that some..."', ""]


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def imported(make_crm, tmp_path, monkeypatch, data: bytes, name="Connections.csv"):
    root = make_crm({"followup.yml": f"today: {TODAY}\n"})
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(data)
    result = run("import", "linkedin", name, "--root", str(root))
    return result, root


def test_the_same_name_is_the_same_person_only_when_nothing_tells_them_apart(
    make_crm, tmp_path, monkeypatch
):
    rows = [
        HEADER,
        "Sam,Lee,https://www.linkedin.com/in/sam-lee-1,,Acme,Engineer,01 Mar 2020",
        "Sam,Lee,https://www.linkedin.com/in/sam-lee-2,,Globex,Designer,02 Mar 2020",  # another Sam
        "Sam,Lee,https://www.linkedin.com/in/sam-lee-1/,,Acme,Engineer,01 Mar 2020",  # Sam 1 again
        "Ann,Ek,,ann@a.example,,,03 Mar 2020",
        "Ann,Ek,,ann@b.example,,,03 Mar 2020",  # another Ann: another email
        "Bo,Roe,,,,,04 Mar 2020",
        "Bo,Roe,,,,,04 Mar 2020",  # nothing tells them apart
    ]
    result, root = imported(make_crm, tmp_path, monkeypatch, "\n".join(rows).encode())
    assert result.stdout == "5 created, 2 skipped as duplicates, 0 invalid\n"
    contacts = load_crm(root).crm.contacts
    assert sorted(contacts) == ["ann-ek", "ann-ek-2", "bo-roe", "sam-lee", "sam-lee-2"]
    assert contacts["sam-lee-2"].company == "Globex"
    verbose = run("import", "linkedin", "Connections.csv", "--dry-run", "-v", "--root", str(root))
    assert "Connections.csv:2: warning: Sam Lee: same LinkedIn profile as contacts/sam-lee.md" in (
        verbose.stderr
    )


def test_an_unbalanced_quote_refuses_the_file_at_its_line(make_crm, tmp_path, monkeypatch):
    rows = [*PREAMBLE, HEADER, "Ann,Lee,https://www.linkedin.com/in/ann,,Acme,Eng,01 Mar 2020"]
    rows += ['Bo,"Roe,https://www.linkedin.com/in/bo,,Acme,Eng,01 Mar 2020']
    rows += [f"P{i},Q,https://www.linkedin.com/in/p{i},,,,01 Mar 2020" for i in range(50)]
    result, root = imported(make_crm, tmp_path, monkeypatch, "\r\n".join(rows).encode())
    assert result.exit_code == 1
    assert result.stderr == (
        'Connections.csv:6: error: malformed CSV: a quote (") opened on this line is never '
        "closed; fix this line or export the file again [bad-csv]\n"
        "followup-gen: Connections.csv cannot be imported; nothing written\n"
    )
    assert load_crm(root).crm.contacts == {}
    # A stray quote closed by another one further down: a cell over several lines.
    rows[8] = rows[8].replace("P2,", 'P2",')
    again, _ = imported(make_crm, tmp_path, monkeypatch, "\r\n".join(rows).encode(), "b.csv")
    assert again.stderr.startswith(
        "b.csv:6: error: malformed CSV: a quoted cell here runs over 4 lines"
    )


GERMAN = "Vorname;Nachname;URL;E-Mail-Adresse;Unternehmen;Position;Verbunden am"


@pytest.mark.parametrize(
    ("data", "connected"),
    [
        # LinkedIn in German, re-saved by a German Excel: ";" and day.month.year.
        (
            f"{GERMAN}\r\nJürgen;Groß;https://www.linkedin.com/in/jg;;Müller AG;CTO;26.11.2024\r\n".encode(
                "utf-8-sig"
            ),
            dt.date(2024, 11, 26),
        ),  # fmt: skip
        # A US Excel re-save: month/day/year.
        (
            f"{HEADER}\nJürgen,Groß,https://www.linkedin.com/in/jg,,Müller AG,CTO,11/26/2024\n"
            "A,B,https://www.linkedin.com/in/ab,,,,1/2/2023\n".encode(),
            dt.date(2024, 11, 26),
        ),  # fmt: skip
        # Excel's "Unicode text": UTF-16 with tabs.
        (
            f"{HEADER}\nJürgen,Groß,https://www.linkedin.com/in/jg,,Müller AG,CTO,26-Nov-24\n".replace(
                ",", "\t"
            ).encode("utf-16"),
            dt.date(2024, 11, 26),
        ),  # fmt: skip
        # UTF-16 as LinkedIn's own export, German.
        (
            f"{GERMAN}\nJürgen;Groß;https://www.linkedin.com/in/jg;;Müller AG;CTO;26 Nov 2024\n".replace(
                ";", ","
            ).encode("utf-16"),
            dt.date(2024, 11, 26),
        ),  # fmt: skip
    ],
)
def test_languages_separators_encodings_and_excel_dates(
    make_crm, tmp_path, monkeypatch, data, connected
):
    result, root = imported(make_crm, tmp_path, monkeypatch, data)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 created" if b"A,B" not in data else "2 created")
    jg = load_crm(root).crm.contacts["jurgen-gross"]
    assert (jg.name, jg.company, jg.title) == ("Jürgen Groß", "Müller AG", "CTO")
    assert f"Connected on LinkedIn on {connected}." in jg.notes


@pytest.mark.parametrize(
    ("header", "source"),
    [
        (
            "First Name,Middle Name,Last Name,Phonetic First Name,Name Prefix,Organization Name,"
            "Organization Title,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value",
            "Google Contacts",
        ),  # fmt: skip
        (
            "First Name,Middle Name,Last Name,Title,Suffix,Company,Department,Job Title,"
            "Business Street,E-mail Address,E-mail Display Name,Web Page",
            "Outlook",
        ),  # fmt: skip
    ],
)
def test_another_address_books_csv_is_refused_with_what_to_do(
    make_crm, tmp_path, monkeypatch, header, source
):
    data = f"{header}\nAnn,,Lee,,,Acme,Eng,likes tea,,Work,ann@acme.example\n".encode()
    result, root = imported(make_crm, tmp_path, monkeypatch, data, "contacts.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        f"contacts.csv: error: this looks like a CSV from {source}, not LinkedIn's "
        "Connections.csv (it has no 'Connected On' column): export it as vCard and use "
        "'followup-gen import vcard' [not-linkedin]\n"
        "followup-gen: contacts.csv cannot be imported; nothing written\n"
    )
    assert load_crm(root).crm.contacts == {}


def test_rows_without_a_name_are_one_line_and_unread_dates_are_said(
    make_crm, tmp_path, monkeypatch
):
    rows = [*PREAMBLE, HEADER, "Ann,Lee,https://www.linkedin.com/in/ann,,,,sometime"]
    rows += [f",,https://www.linkedin.com/in/gone{i},,,,01 Jan 2020" for i in range(47)]
    result, _ = imported(make_crm, tmp_path, monkeypatch, "\n".join(rows).encode())
    assert result.exit_code == 0
    assert result.stderr == (
        "Connections.csv:5: warning: 1 'Connected On' date is in no form known (like "
        "26 Nov 2024 or 11/26/2024); imported without it [bad-date]\n"
        "Connections.csv:6: warning: 47 rows have no name (lines 6, 7, 8, 9, 10 and 42 more); "
        "skipped [no-name]\n"
    )
    assert result.stdout == "1 created, 0 skipped as duplicates, 47 invalid\n"
