"""LinkedIn's connections export (``Connections.csv``) as people to import.

LinkedIn's data export starts with a few "Notes:" lines, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``
(older exports have no URL column). The header is found by its names, in
any order, within the first lines, in any language of ``HEADERS`` (English
and German; add a language there), separated by ``,``, or by ``;`` or a tab
as Excel re-saves it, in UTF-8 (with or without a byte-order mark) or
UTF-16. "Connected On" (``26 Nov 2024``, or Excel's ``11/26/2024``,
``26.11.2024``, ``2024-11-26``) becomes the person's ``connected`` date;
email addresses are often empty, since LinkedIn only exports those its
members allow.

A file is imported whole or not at all: a CSV with an unbalanced quote (which
would run the rest of the file into one cell) is refused with the line where
the quote opens, and a CSV from another address book (Google Contacts,
Outlook: names but no "Connected On") is refused with the advice to export
it as vCard, rather than read for names alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from followup_gen.exchange.importing import EMAIL, Person, Read
from followup_gen.load.schema import out_of_range
from followup_gen.problems import Problem, error, warning

COLUMNS = ("first name", "last name", "url", "email address", "company", "position", "connected on")
# The header of Connections.csv in each language LinkedIn exports it in, in the
# order of COLUMNS (several names for a column: separated by "|").
HEADERS = {
    "English": COLUMNS,
    "German": (
        "vorname",
        "nachname",
        "url",
        "e-mail-adresse|e-mail adresse",
        "unternehmen|firma",
        "position",
        "verbunden am|verbunden seit",
    ),
}
# Without these, a file is not Connections.csv.
REQUIRED = ("first name", "last name", "connected on")
HEADER_WITHIN = 20
DELIMITERS = (",", ";", "\t")
# Day and month in words, then Excel's re-saved forms; "/" dates are handled apart.
DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")
_NAMES = {
    language: {
        name.strip(): column
        for column, names in zip(COLUMNS, header, strict=True)
        for name in names.split("|")
    }
    for language, header in HEADERS.items()
}


def decode(name: str, data: bytes) -> tuple[str | None, Problem | None]:
    """The file's text: UTF-8 (a BOM is fine) or UTF-16 with its BOM."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, error(
            name,
            line,
            "not-utf8",
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); export it again as "
            "UTF-8 (Excel: Save As → CSV UTF-8)",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, error(name, line, "not-text", "the file holds NUL bytes: it is not text")
    return text, None


def _header(cells: list[str]) -> dict[str, int] | None:
    """The columns of a header row in one of ``HEADERS``' languages, or None."""
    names = [" ".join(c.strip().lower().split()) for c in cells]
    for known in _NAMES.values():
        columns: dict[str, int] = {}
        for index, cell in enumerate(names):
            if cell in known:
                columns.setdefault(known[cell], index)
        if all(r in columns for r in REQUIRED):
            return columns
    return None


def _find_header(lines: list[str]):
    """``(line index, delimiter, columns)`` of the header, or why there is none."""
    other = None
    for index, line in enumerate(lines[:HEADER_WITHIN]):
        for delimiter in DELIMITERS:
            if delimiter not in line:
                continue
            cells = next(csv.reader([line], delimiter=delimiter), [])
            columns = _header(cells)
            if columns is not None:
                return index, delimiter, columns
            lowered = {c.strip().lower() for c in cells}
            if other is None and (
                {"first name", "last name"} <= lowered or {"given name", "family name"} <= lowered
            ):
                other = "Google Contacts" if any("e-mail 1" in c for c in lowered) else None
                other = other or (
                    "Outlook" if "e-mail address" in lowered else "another address book"
                )
    return None, None, other


def _slashed(values: list[str]) -> str | None:
    """``%m/%d/%Y``, or ``%d/%m/%Y`` when a date of the file shows day first."""
    for value in values:
        parts = value.strip().split("/")
        if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
            if int(parts[0]) > 12:
                return "%d/%m/%Y"
            if int(parts[1]) > 12:
                return "%m/%d/%Y"
    return None


def connected_on(text: str, day_first: bool = False) -> dt.date | None:
    """The day of a "Connected On" value, in any form LinkedIn or Excel writes
    (None for a year no record may have: ``26 Nov 1024`` is a slip)."""
    text = text.strip()
    formats = DATE_FORMATS
    if "/" in text:
        order = ("%d/%m/", "%m/%d/") if day_first else ("%m/%d/", "%d/%m/")
        formats = tuple(f"{o}{y}" for o in order for y in ("%Y", "%y"))
    for fmt in formats:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return None if out_of_range(day) else day
    return None


def read(name: str, data: bytes) -> Read:
    """The people of a LinkedIn ``Connections.csv``; ``name`` names it in problems."""
    text, problem = decode(name, data)
    if text is None:
        return Read(errors=(problem,))
    lines = text.splitlines(keepends=True)
    index, delimiter, columns = _find_header(lines)
    if index is None:
        return Read(errors=(_refusal(name, text, columns),))
    rows, fault = _rows("".join(lines[index:]), delimiter, index)
    if fault:
        return Read(errors=(error(name, fault[0], "bad-csv", f"malformed CSV: {fault[1]}"),))
    dates = [
        cells[columns["connected on"]] for _, cells in rows if len(cells) > columns["connected on"]
    ]
    day_first = _slashed(dates) == "%d/%m/%Y"
    people: list[Person] = []
    invalid: list[Problem] = []
    notes: list[Problem] = []
    undated: list[int] = []
    for line, row in rows:
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        entry = dict.fromkeys(COLUMNS, "")
        entry.update({c: cells[i] for c, i in columns.items() if i < len(cells)})
        full = " ".join(filter(None, [entry["first name"], entry["last name"]]))
        if not full:
            invalid.append(warning(name, line, "no-name", "this row has no name; skipped"))
            continue
        url, email = entry["url"], entry["email address"]
        connected = connected_on(entry["connected on"], day_first)
        if entry["connected on"] and connected is None:
            undated.append(line)
        people.append(
            Person(
                line=line,
                name=" ".join(full.split()),
                email=email if EMAIL.match(email) else None,
                company=entry["company"] or None,
                title=entry["position"] or None,
                linkedin=url if url.lower().startswith(("https://", "http://")) else None,
                connected=connected,
                given_name=" ".join(entry["first name"].split()) or None,
            )
        )
    if undated:
        notes.append(
            warning(
                name,
                undated[0],
                "bad-date",
                f"{len(undated)} 'Connected On' "
                + ("date is" if len(undated) == 1 else "dates are")
                + " in no form known (like 26 Nov 2024 or 11/26/2024); imported without it",
            )
        )
    if _slashed(dates) is None and any("/" in d for d in dates):
        notes.append(
            warning(
                name,
                index + 2,
                "date-order",
                "every 'Connected On' date like 05/06/2024 could be either order: read as "
                "month/day, as US Excel writes it",
            )
        )
    return Read(tuple(people), tuple(invalid), notes=tuple(notes))


def _rows(text: str, delimiter: str, first: int):
    """The data rows after the header as ``(line, cells)``, or the line and reason
    of the first fault: a quote that never closes, a cell running over lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = first + 1  # the header's line number
    try:
        next(reader, None)
        while True:
            start = first + reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if any("\n" in cell or "\r" in cell for cell in row):
                span = first + reader.line_num - start + 1
                return rows, (
                    start,
                    f'a quoted cell here runs over {span} lines: a quote (") is missing or '
                    "extra; fix this line or export the file again",
                )
            rows.append((start, row))
    except csv.Error as exc:
        reason = (
            'a quote (") opened on this line is never closed; fix this line or export the '
            "file again"
            if "end of data" in str(exc)
            else f"{exc}; fix this line or export the file again"
        )
        return rows, (start, reason)
    return rows, None


def _refusal(name: str, text: str, other: str | None) -> Problem:
    if other:
        return error(
            name,
            None,
            "not-linkedin",
            f"this looks like a CSV from {other}, not LinkedIn's Connections.csv (it has no "
            "'Connected On' column): export it as vCard and use 'followup-gen import vcard'",
        )
    first = text.strip().splitlines()[0][:60] if text.strip() else "(empty)"
    return error(
        name,
        None,
        "not-linkedin",
        "not LinkedIn's Connections.csv: no header row with 'First Name', 'Last Name' and "
        f"'Connected On' in its first {HEADER_WITHIN} lines (it starts: {first})",
    )
