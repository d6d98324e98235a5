"""LinkedIn's connections export (``Connections.csv``) as people to import.

LinkedIn's data export starts with a few "Notes:" lines, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``.
The header is found by its names (in any order, within the first lines), so
a file that is not this export is refused with a clear message, not read as
nonsense. "Connected On" (``26 Nov 2024``) becomes the person's ``connected``
date; email addresses are often empty, since LinkedIn only exports those its
members allow.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from followup_gen.exchange.importing import EMAIL, Person, Read
from followup_gen.problems import Problem, error, warning

REQUIRED = ("first name", "last name")
COLUMNS = ("first name", "last name", "url", "email address", "company", "position", "connected on")
HEADER_WITHIN = 20
DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%d-%b-%y", "%Y-%m-%d")


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
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); export it again as UTF-8",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, error(name, line, "not-text", "the file holds NUL bytes: it is not text")
    return text, None


def connected_on(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read(name: str, data: bytes) -> Read:
    """The people of a LinkedIn ``Connections.csv``; ``name`` names it in problems."""
    text, problem = decode(name, data)
    if text is None:
        return Read(errors=(problem,))
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: dict[str, int] | None = None
    people: list[Person] = []
    invalid: list[Problem] = []
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if columns is None:
                names = [c.lower() for c in cells]
                if all(r in names for r in REQUIRED):
                    columns = {c: names.index(c) for c in COLUMNS if c in names}
                elif line >= HEADER_WITHIN:
                    break
                continue
            if not any(cells):
                continue
            entry = dict.fromkeys(COLUMNS, "")
            entry.update({c: cells[i] for c, i in columns.items() if i < len(cells)})
            full = " ".join(filter(None, [entry["first name"], entry["last name"]]))
            if not full:
                invalid.append(warning(name, line, "no-name", "this row has no name; skipped"))
                continue
            url = entry["url"]
            email = entry["email address"]
            people.append(
                Person(
                    line=line,
                    name=" ".join(full.split()),
                    email=email if EMAIL.match(email) else None,
                    company=entry["company"] or None,
                    title=entry["position"] or None,
                    linkedin=url if url.lower().startswith(("https://", "http://")) else None,
                    connected=connected_on(entry["connected on"]),
                )
            )
    except csv.Error as exc:
        return Read(errors=(error(name, reader.line_num, "bad-csv", f"malformed CSV: {exc}"),))
    if columns is None:
        first = text.strip().splitlines()[0][:60] if text.strip() else "(empty)"
        return Read(
            errors=(
                error(
                    name,
                    None,
                    "not-linkedin",
                    "not LinkedIn's Connections.csv: no header row with 'First Name' and "
                    f"'Last Name' in its first {HEADER_WITHIN} lines (it starts: {first})",
                ),
            )
        )
    return Read(tuple(people), tuple(invalid))
