"""vCard in and out: address books from Google, Apple and Outlook, and back.

Parsing is vobject's (vCard 2.1, 3.0 and 4.0, folded lines, escapes, quoted-
printable). This module only cuts the file into entries, so that every
problem names the line an entry starts on and one broken entry stops the
whole import before anything is written, and drops the pictures and keys
(``PHOTO``, ``LOGO``, ``SOUND``, ``KEY``), which the CRM does not keep and
whose base64 is the part exporters most often get wrong.

Reading is lenient about what exporters do: ``item1.EMAIL`` groups, ``TYPE``
and ``PREF`` parameters in either style, ``N`` without ``FN``, a byte-order
mark, CRLF or LF. An entry with no name at all is reported as invalid and
skipped; an email or LinkedIn URL that would not pass ``check`` is left out.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

import vobject

from followup_gen.exchange.importing import EMAIL, Person, Read
from followup_gen.problems import Problem, error, warning
from followup_gen.records import CRM, RELATIONSHIPS, Contact

_SKIPPED = {"PHOTO", "LOGO", "SOUND", "KEY"}
_PROPERTY = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")
RELATIONSHIP = "x-followup-relationship"


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
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); export it again "
            "as UTF-8 (Outlook: save as vCard with Unicode)",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, error(name, line, "not-text", "the file holds NUL bytes: it is not text")
    return text, None


def entries(name: str, text: str) -> tuple[list[tuple[int, str]], list[Problem]]:
    """Cut the text into ``(first line, entry text)`` pairs, one per vCard."""
    found: list[tuple[int, str]] = []
    problems: list[Problem] = []
    current: list[str] = []
    start = depth = 0
    skipping = quoted = False
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.strip().upper()
        if depth == 0:
            if not upper:
                continue
            if upper != "BEGIN:VCARD":
                problems.append(
                    error(
                        name,
                        number,
                        "not-vcard",
                        f"expected BEGIN:VCARD, found '{line.strip()[:40]}': not a vCard file",
                    )  # fmt: skip
                )
                return found, problems
            start, current = number, []
        if current and quoted and current[-1].endswith("="):
            current[-1] = current[-1][:-1] + line  # a quoted-printable soft line break
            continue
        if line[:1] in (" ", "\t"):
            if skipping:
                continue
        else:
            match = _PROPERTY.match(line)
            skipping = bool(match) and match.group(1).upper() in _SKIPPED
            quoted = "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()
            if skipping:
                continue
        current.append(line)
        if upper == "BEGIN:VCARD":
            depth += 1
        elif upper == "END:VCARD":
            depth -= 1
            if depth == 0:
                found.append((start, "\r\n".join(current) + "\r\n"))
    if depth:
        problems.append(
            error(
                name, start, "unclosed-vcard", "this entry has no END:VCARD: the file is cut short"
            )
        )
    return found, problems


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    # Google escapes the colon of URLs (``https\\://``), which vCard does not define.
    return " ".join(str(value).replace("\\:", ":").split()) if value is not None else ""


def _params(line) -> set[str]:
    values = {str(p).lower() for p in getattr(line, "singletonparams", [])}
    for key, items in line.params.items():
        for item in items:
            values.update(v.strip().lower() for v in str(item).split(","))
        if key.upper() == "PREF":
            values.add("pref")
    return values


def _preferred(card, key: str) -> list:
    """The lines of a property, the preferred (``pref``) ones first."""
    lines = card.contents.get(key, [])
    return sorted(lines, key=lambda line: "pref" not in _params(line))


def _name(card) -> str:
    for line in card.contents.get("fn", []):
        if _text(line.value):
            return _text(line.value)
    for line in card.contents.get("n", []):
        n = line.value
        parts = [getattr(n, a, "") for a in ("prefix", "given", "additional", "family", "suffix")]
        if isinstance(n, str):
            parts = [n]
        if _text(parts):
            return _text(parts)
    return ""


def _given_name(card) -> str | None:
    """The given name of ``N`` (its second field), when the entry has one."""
    for line in card.contents.get("n", []):
        given = _text(getattr(line.value, "given", ""))
        if given:
            return given
    return None


def _email(card) -> str | None:
    for line in _preferred(card, "email"):
        value = _text(line.value).removeprefix("mailto:")
        if EMAIL.match(value):
            return value
    return None


def _linkedin(card) -> str | None:
    lines = [*card.contents.get("url", []), *card.contents.get("x-socialprofile", [])]
    for line in lines:
        value = _text(line.value)
        if "linkedin.com/" in value.lower():
            if not value.lower().startswith(("http://", "https://")):
                value = "https://" + value.split("://")[-1]
            if " " not in value:
                return value
    return None


def _address(card) -> str | None:
    for line in _preferred(card, "adr"):
        value = line.value
        if isinstance(value, str):
            text = value.replace(";", "\n")
        else:
            locality = " ".join(
                filter(
                    None,
                    [
                        _text(value.city) + ("," if _text(value.region) else ""),
                        _text(value.region),
                        _text(value.code),
                    ],
                )  # fmt: skip
            )
            streets = [str(v) for v in (value.box, value.extended, value.street) if _text(v)]
            text = "\n".join([*streets, locality, _text(value.country)])
        lines = [" ".join(part.split()) for part in text.splitlines() if part.strip()]
        if lines:
            return "\n".join(lines)
    return None


def person(card, line: int) -> Person | str:
    """The person an entry describes, or why it cannot be one."""
    name = _name(card)
    if not name:
        return "this entry has no name (neither FN nor N); skipped"
    org = card.contents.get("org", [])
    company = (
        _text(org[0].value[0] if isinstance(org[0].value, list) else org[0].value) if org else ""
    )
    phones = _preferred(card, "tel")
    tags = [t for line_ in card.contents.get("categories", []) for t in line_.value]
    relationship = (
        _text(card.contents[RELATIONSHIP][0].value) if RELATIONSHIP in card.contents else ""
    )
    return Person(
        line=line,
        name=name,
        email=_email(card),
        phone=_text(phones[0].value).removeprefix("tel:") or None if phones else None,
        company=company or None,
        title=_text(card.contents["title"][0].value) or None if "title" in card.contents else None,
        address=_address(card),
        linkedin=_linkedin(card),
        tags=tuple(dict.fromkeys(t.strip() for t in tags if t.strip() and t != "myContacts")),
        notes="\n".join(
            str(n.value).strip() for n in card.contents.get("note", []) if str(n.value).strip()
        ),
        relationship=relationship if relationship in RELATIONSHIPS else None,
        given_name=_given_name(card),
    )


def _offset(entry: str, message: str) -> int:
    """The line of the entry vobject complains about (its own count is unreliable)."""
    _, _, culprit = message.partition("Failed to parse line: ")
    for offset, line in enumerate(entry.splitlines()):
        if culprit and line.strip() == culprit.strip():
            return offset
    return 0


def read(name: str, data: bytes) -> Read:
    """Every entry of a ``.vcf`` file; ``name`` is how problems call the file."""
    text, problem = decode(name, data)
    if text is None:
        return Read(errors=(problem,))
    found, errors = entries(name, text)
    if not found and not errors:
        errors.append(
            error(name, None, "not-vcard", "no BEGIN:VCARD in the file: not a vCard file")
        )
    people: list[Person] = []
    invalid: list[Problem] = []
    for start, entry in found:
        try:
            card = vobject.readOne(entry)
        except Exception as exc:  # vobject raises many exception types on bad input
            message = exc.args[0] if isinstance(exc, vobject.base.ParseError) else str(exc)
            where = start + _offset(entry, message)
            errors.append(error(name, where, "bad-vcard", f"malformed vCard: {message}"))
            continue
        result = person(card, start)
        if isinstance(result, str):
            invalid.append(warning(name, start, "no-name", result))
        else:
            people.append(result)
    return Read(tuple(people), tuple(invalid), tuple(errors))


def _uid(contact: Contact) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'followup-gen:contact:' + contact.id)}"


def card(contact: Contact) -> str:
    """One contact as a vCard 4.0 entry (its UID is stable: from the id)."""
    c = vobject.vCard()
    c.add("version").value = "4.0"
    c.add("uid").value = _uid(contact)
    c.add("fn").value = contact.name
    given, _, family = contact.name.rpartition(" ")
    given = contact.given_name or given
    c.add("n").value = vobject.vcard.Name(family=family, given=given)
    c.add("kind").value = "individual"
    if contact.email:
        c.add("email").value = contact.email
    if contact.phone:
        c.add("tel").value = contact.phone
    if contact.company:
        c.add("org").value = [contact.company]
    if contact.title:
        c.add("title").value = contact.title
    if contact.address:
        c.add("adr").value = vobject.vcard.Address(street=contact.address)
    if contact.linkedin:
        c.add("url").value = contact.linkedin
    if contact.tags:
        c.add("categories").value = list(contact.tags)
    if contact.notes.strip():
        c.add("note").value = contact.notes.strip()
    c.add(RELATIONSHIP).value = contact.relationship
    return c.serialize()


def export(crm: CRM, contacts: Iterable[str] | None = None) -> str:
    """Every contact (or those ids) as vCard 4.0, in id order."""
    ids = crm.contacts if contacts is None else contacts
    return "".join(card(crm.contacts[i]) for i in ids)
