"""A ``.vcf`` file's bytes cut into clean vCard entries, as phones and exporters write them.

Address books write vCard loosely, so this module reads the bytes the way
the forgiving readers of contact apps do, before a parser sees them:

- **Line ends**: ``\\r\\n``, ``\\n``, a lone ``\\r`` and iOS's ``\\r\\r\\n`` (inside
  photos) each end one line; folded lines (a leading space or tab) and
  quoted-printable soft line breaks (a line ending in ``=``) are joined,
  unless the next line starts a property (``TEL;CELL:``): some phones end a
  value with a stray ``=``.
- **Only what the CRM reads is kept**: ``FN``, ``N``, ``KIND``, ``ORG``,
  ``TITLE``, ``EMAIL``, ``TEL``, ``ADR``, ``URL``, ``NOTE``, ``CATEGORIES``,
  Apple's ``X-SOCIALPROFILE`` and this tool's own ``X-FOLLOWUP-*``.
  Everything else is dropped unread, line by line: photos, logos, sounds
  and keys, Outlook's ``X-MS-CARDPICTURE``, every other ``X-`` property,
  Lotus Notes' ``PROFILE``, vCards nested in ``AGENT``. A 15 MB card with a
  photo is therefore read in little memory, and a malformed property the
  CRM does not use cannot spoil an entry. vCard 2.1 base64 values, whose
  lines are not indented and end at a blank line, are skipped the same way.
- **Encodings and character sets**, per property: quoted-printable and
  base64 (``ENCODING=b``: a base64 name is a name) are decoded, then the
  bytes are read in the property's ``CHARSET`` (vCard 2.1: ``Shift_JIS``,
  ``Windows-1252``...), else as UTF-8. Bytes that are not UTF-8 and name no
  character set are read in the character set another property of the
  entry names, else Windows-1252, with one warning for the file.

A line that is no property at all (and not a 2.1 base64 line) makes its
entry malformed: the entry is reported with that line and skipped, and the
other entries are read. A file that is not vCard, or whose last entry has no
``END:VCARD`` (a file cut short), is refused whole.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from followup_gen.problems import Problem, error, warning

KEPT = frozenset(
    b"FN N KIND ORG TITLE EMAIL TEL ADR URL NOTE CATEGORIES X-SOCIALPROFILE VERSION".split()
)
OWN = b"X-FOLLOWUP-"
# Every property name of vCard 2.1 to 4.0 (and X- names, written in capitals):
# a line starting with one ends a quoted-printable value that some phones
# close with a stray soft break ("=").
NAMES = KEPT | frozenset(
    b"BEGIN END PHOTO BDAY LABEL REV UID NICKNAME ROLE GEO TZ LOGO SOUND KEY AGENT MAILER "
    b"CLASS PRODID SORT-STRING ANNIVERSARY GENDER IMPP LANG MEMBER RELATED SOURCE XML "
    b"CLIENTPIDMAP FBURL CALURI CALADRURI".split()
)
# Larger values are left out (with a warning): they are never a name or an email.
MAX_VALUE = 1_000_000
FALLBACK = "Windows-1252"

_BREAK = re.compile(rb"\r*\n|\r")
# ``item1.EMAIL;TYPE=INTERNET;X-LABEL="a:b":`` -> name ``EMAIL``, params, then the value.
_PROPERTY = re.compile(rb'((?:[^\s;:.]+\.)?([^\s;:.]+))((?:;(?:"[^"]*"|[^":])*)*):')
_PARAM = re.compile(rb';((?:"[^"]*"|[^;"])*)')
_DROPPED_PARAMS = (b"QUOTED-PRINTABLE", b"BASE64", b"B", b"8BIT", b"7BIT")


@dataclass(slots=True)
class _Property:
    line: int
    name: bytes  # upper case, without the group
    head: bytes  # the group and name as written
    params: list[bytes]
    chunks: list[bytes]
    size: int = 0

    def param(self, key: bytes) -> bytes | None:
        for p in self.params:
            k, _, v = p.partition(b"=")
            if k.strip().upper() == key and v:
                return v.strip().strip(b'"')
        return None

    def encoding(self) -> str:
        for p in self.params:
            up = p.strip().upper()
            if up in (b"QUOTED-PRINTABLE", b"ENCODING=QUOTED-PRINTABLE"):
                return "qp"
            if up in (b"BASE64", b"ENCODING=BASE64", b"ENCODING=B"):
                return "b64"
        return ""


@dataclass(slots=True)
class Entry:
    """One vCard as clean text for the parser; ``line`` is where it starts."""

    line: int
    text: str = ""
    # Why the entry cannot be read, and the line at fault; None when it can.
    fault: tuple[int, str] | None = None


@dataclass(slots=True)
class _Reading:
    name: str
    problems: list[Problem] = field(default_factory=list)
    fallback_noted: bool = False


def _lines(data: bytes) -> Iterator[tuple[int, int, int]]:
    """``(number, start, end)`` of each line, without copying the data."""
    start = number = 0
    for match in _BREAK.finditer(data):
        number += 1
        yield number, start, match.start()
        start = match.end()
    if start < len(data):
        yield number + 1, start, len(data)


def _charset(label: bytes | None) -> str | None:
    """A Python codec for a CHARSET label, or None if it names none we know."""
    if not label:
        return None
    try:
        return codecs.lookup(label.decode("ascii", "replace")).name
    except LookupError:
        return None


def _decoded(prop: _Property) -> bytes:
    raw = b"".join(prop.chunks)
    kind = prop.encoding()
    if kind == "qp":
        return quopri.decodestring(raw)
    if kind == "b64":
        compact = re.sub(rb"\s+", b"", raw)
        return base64.b64decode(compact + b"=" * (-len(compact) % 4))
    return raw


def _text(reading: _Reading, prop: _Property, fallback: str | None) -> tuple[str, str | None]:
    """The property as one clean line, and the fault that spoils it (or None)."""
    try:
        raw = _decoded(prop)
    except (binascii.Error, ValueError) as exc:
        return "", f"{prop.head.decode('ascii', 'replace')} holds invalid base64 ({exc})"
    label = prop.param(b"CHARSET")
    declared = _charset(label)
    if declared:
        try:
            value = raw.decode(declared)
        except UnicodeDecodeError as exc:
            return "", (
                f"{prop.head.decode('ascii', 'replace')} is not {label.decode()} text "
                f"(byte 0x{raw[exc.start]:02x})"
            )
    else:
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            used = fallback or FALLBACK
            value = raw.decode(_charset(used.encode()) or FALLBACK, "replace")
            if not reading.fallback_noted:
                reading.fallback_noted = True
                reading.problems.append(
                    warning(
                        reading.name,
                        prop.line,
                        "not-utf8",
                        f"this text is not UTF-8 (byte 0x{raw[exc.start]:02x}) and names no "
                        f"CHARSET: read as {used}; check the names it gives, or export the "
                        "file again as UTF-8",
                    )
                )
    if prop.encoding():  # decoded text may hold line breaks: escape them for the parser
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    params = [
        p
        for p in prop.params
        if p.strip().upper() not in _DROPPED_PARAMS
        and not p.strip().upper().startswith((b"ENCODING=", b"CHARSET="))
    ]
    head = (prop.head + b"".join(b";" + p for p in params)).decode("utf-8", "replace")
    return f"{head}:{value}", None


def _finish(
    reading: _Reading, entry: Entry, props: list[_Property], charsets: list[bytes]
) -> Entry:
    if entry.fault:
        return entry
    # Bytes naming no charset are most likely in the one another property names
    # (a property left out counts too: Outlook names it on LABEL only).
    fallback = next(
        (label.decode() for label in charsets if _charset(label) not in (None, "utf-8")), None
    )
    lines = ["BEGIN:VCARD"]
    for prop in props:
        if prop.size > MAX_VALUE:
            continue
        line, fault = _text(reading, prop, fallback)
        if fault:
            entry.fault = (prop.line, fault)
            return entry
        lines.append(line)
    lines.append("END:VCARD")
    entry.text = "\r\n".join(lines) + "\r\n"
    return entry


def entries(name: str, data: bytes) -> tuple[list[Entry], list[Problem], list[Problem]]:
    """The file's entries, the warnings about it, and the errors that refuse it whole.

    ``data`` is UTF-8 or 8-bit bytes (a UTF-16 file is converted by the caller).
    """
    reading = _Reading(name)
    found: list[Entry] = []
    errors: list[Problem] = []
    entry: Entry | None = None
    props: list[_Property] = []
    current: _Property | None = None  # the kept property being read
    depth = 0
    in_base64 = False  # a vCard 2.1 base64 value: unindented lines until a blank line
    soft_break = False  # the last line was quoted-printable and ended with "="
    for number, start, end in _lines(data):
        if soft_break and not _is_property(data, start, end):
            # A quoted-printable value goes on, whatever this line holds.
            soft_break = data[end - 1 : end] == b"=" if end > start else False
            if current is not None:
                _add(reading, current, data[start : end - soft_break])
            continue
        soft_break = False
        if start == end or data[start:end].isspace():
            in_base64 = False
            continue
        if depth and data[start] in b" \t":  # a folded line
            if current is not None:
                _add(reading, current, data[start + 1 : end])
                soft_break = current.encoding() == "qp" and data[end - 1 : end] == b"="
                if soft_break:
                    current.chunks[-1] = current.chunks[-1][:-1]
            continue
        match = _PROPERTY.match(data, start, end)
        if depth == 0:
            if (
                not match
                or match.group(2).upper() != b"BEGIN"
                or (data[match.end() : end].strip().upper() != b"VCARD")
            ):
                shown = data[start : min(end, start + 40)].decode("utf-8", "replace").strip()
                errors.append(
                    error(
                        name,
                        number,
                        "not-vcard",
                        f"expected BEGIN:VCARD, found '{shown}': not a vCard file",
                    )  # fmt: skip
                )
                return found, reading.problems, errors
            entry, props, current, depth, in_base64 = Entry(number), [], None, 1, False
            charsets: list[bytes] = []
            continue
        assert entry is not None
        if not match:
            if current is not None and current.chunks and current.chunks[-1].endswith(b"\\"):
                # vCard 2.1 as some phones write it: a backslash carries the value on.
                current.chunks[-1] = current.chunks[-1][:-1] + b"\\n"
                _add(reading, current, data[start:end])
            elif not in_base64 and entry.fault is None:
                shown = data[start : min(end, start + 40)].decode("utf-8", "replace").strip()
                entry.fault = (number, f"'{shown}' is not a vCard property")
            continue
        key = match.group(2).upper()
        current, in_base64 = None, False
        if key == b"BEGIN":
            depth += 1  # a vCard inside a vCard (2.1 AGENT): left out
            continue
        if key == b"END":
            depth -= 1
            if depth == 0:
                found.append(_finish(reading, entry, props, charsets))
                entry = None
            continue
        params = [p for p in _PARAM.findall(match.group(3)) if p.strip()]
        prop = _Property(number, key, match.group(1), params, [])
        if label := prop.param(b"CHARSET"):
            charsets.append(label)
        in_base64 = prop.encoding() == "b64"
        if depth == 1 and (key in KEPT or key.startswith(OWN)):
            current = prop
            props.append(prop)
            _add(reading, prop, data[match.end() : end])
        soft_break = prop.encoding() == "qp" and data[end - 1 : end] == b"="
        if soft_break and current is not None:
            current.chunks[-1] = current.chunks[-1][:-1]
    if entry is not None:
        errors.append(
            error(
                name,
                entry.line,
                "unclosed-vcard",
                "this entry has no END:VCARD: the file is cut short",
            )
        )
    return found, reading.problems, errors


def _is_property(data: bytes, start: int, end: int) -> bool:
    """Whether the line starts with a property name in capitals (``TEL;CELL:``)."""
    match = _PROPERTY.match(data, start, end)
    name = match.group(2) if match else b""
    return name.isupper() and (name in NAMES or name.startswith(b"X-"))


def _add(reading: _Reading, prop: _Property, chunk: bytes) -> None:
    """Add a line's bytes to a kept property, unless it has grown past ``MAX_VALUE``."""
    if prop.size > MAX_VALUE:
        return
    prop.size += len(chunk)
    if prop.size > MAX_VALUE:
        prop.chunks.clear()
        reading.problems.append(
            warning(
                reading.name,
                prop.line,
                "too-large",
                f"this {prop.name.decode()} is larger than 1 MB: left out",
            )
        )
        return
    prop.chunks.append(chunk)
