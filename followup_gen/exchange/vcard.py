"""vCard in and out: address books from phones, Google, Apple and Outlook, and back.

Reading: ``vcard_text`` cuts the file into clean entries (line ends, folding,
quoted-printable, base64 and character sets, and only the properties the CRM
reads); vobject, the maintained parser, parses each entry. A malformed entry
is reported with its line and skipped, and the others are read; a file that
is not vCard or is cut short is refused whole, before anything is written.

Reading is lenient about what exporters do: ``item1.EMAIL`` groups, ``TYPE``
and ``PREF`` parameters in either style, ``N`` without ``FN``, a byte-order
mark, UTF-16, commas in ``ORG`` (``Company, The``), Google's and Apple's
``\\:`` in URLs and notes. An entry with no name at all is reported as
invalid and skipped; an email or LinkedIn URL that would not pass ``check``
is left out. A ``KIND:org`` card becomes a contact whose name is its company.

Writing (``export``): vCard 4.0 (or 3.0). ``FN`` is the name; ``N`` is left
out, as RFC 6350 allows, since the CRM keeps no name parts to fill it (3.0
requires ``N``: the whole name goes in its family part, never a guessed
split). The address is written structured (street lines, locality line,
country). What only this tool knows (id, relationship, cadence,
do-not-contact, business card, met, salutation) travels as ``X-FOLLOWUP-*`` properties,
which the import reads back, so an export imported into another CRM gives
the same contacts and the same follow-ups.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable

import vobject

from followup_gen.exchange import vcard_text
from followup_gen.exchange.importing import EMAIL, Person, Read
from followup_gen.problems import Problem, error, warning
from followup_gen.records import CRM, RELATIONSHIPS, Contact

RELATIONSHIP = "x-followup-relationship"
OWN_ID = "x-followup-id"
CADENCE = "x-followup-cadence"
DO_NOT_CONTACT = "x-followup-do-not-contact"
BUSINESS_CARD = "x-followup-business-card"
MET = "x-followup-met"
SALUTATION = "x-followup-salutation"
FIRST_CHECK_IN = "x-followup-first-check-in"
VERSIONS = ("4.0", "3.0")


def _bytes(name: str, data: bytes) -> tuple[bytes | None, Problem | None]:
    """The file as UTF-8 or 8-bit bytes: a UTF-16 file (with its BOM) converted."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            return None, error(
                name, None, "not-text", f"the file is not UTF-16 text ({exc.reason})"
            )
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, error(name, line, "not-text", "the file holds NUL bytes: it is not text")
    return data, None


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    # Google and Apple escape colons (``https\://``), which vCard does not define.
    return " ".join(str(value).replace("\\:", ":").split()) if value is not None else ""


def _component(value: object) -> str:
    """One part of a structured value; vobject splits it at commas, which are kept."""
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value) if value is not None else ""


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
            city, region, code = (
                _text(_component(v)) for v in (value.city, value.region, value.code)
            )
            locality = " ".join(
                filter(None, [city + ("," if region and city else ""), region, code])
            )
            streets = [_component(v) for v in (value.box, value.extended, value.street)]
            text = "\n".join([*streets, locality, _text(_component(value.country))])
        lines = [" ".join(part.split()) for part in text.splitlines() if part.strip()]
        if lines:
            return "\n".join(lines)
    return None


def _own(card, key: str) -> str:
    """The value of one of this tool's ``X-FOLLOWUP-*`` properties, or ``""``."""
    lines = card.contents.get(key, [])
    return _text(lines[0].value) if lines else ""


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def person(card, line: int) -> Person | str:
    """The person an entry describes, or why it cannot be one."""
    name = _name(card)
    org = card.contents.get("org", [])
    first = org[0].value if org else ""
    company = _text(_component(first[0] if isinstance(first, list) and first else first))
    kind = _own(card, "kind").lower()
    if kind in ("org", "organization", "group"):
        name = name or company  # an organisation's card may name it in ORG only
        company = company or name
    if not name:
        return "this entry has no name (neither FN nor N); skipped"
    phones = _preferred(card, "tel")
    own = bool(card.contents.get(OWN_ID))  # a followup-gen export: restore what it kept
    tags = [t for line_ in card.contents.get("categories", []) for t in line_.value]
    relationship = _own(card, RELATIONSHIP)
    notes = (str(n.value).replace("\\:", ":").strip() for n in card.contents.get("note", []))
    return Person(
        line=line,
        name=name,
        email=_email(card),
        phone=_text(phones[0].value).removeprefix("tel:") or None if phones else None,
        company=company or None,
        title=_text(card.contents["title"][0].value) or None if "title" in card.contents else None,
        address=_address(card),
        linkedin=_linkedin(card),
        # Google adds every contact to its system group "myContacts".
        tags=tuple(
            dict.fromkeys(t.strip() for t in tags if t.strip() and (own or t != "myContacts"))
        ),
        notes="\n".join(n for n in notes if n),
        relationship=relationship if relationship in RELATIONSHIPS else None,
        given_name=_given_name(card),
        record_id=_own(card, OWN_ID) or None,
        cadence=_own(card, CADENCE) or None,
        do_not_contact=_own(card, DO_NOT_CONTACT).lower() == "true",
        business_card=_own(card, BUSINESS_CARD).lower() == "true",
        met=_day(_own(card, MET)),
        salutation=_own(card, SALUTATION) or None,
        first_check_in=_day(_own(card, FIRST_CHECK_IN)),
        restored=own,
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
    clean, problem = _bytes(name, data)
    if clean is None:
        return Read(errors=(problem,))
    found, notes, errors = vcard_text.entries(name, clean)
    del clean, data
    if not found and not errors:
        errors.append(
            error(name, None, "not-vcard", "no BEGIN:VCARD in the file: not a vCard file")
        )
    people: list[Person] = []
    invalid: list[Problem] = []
    for entry in found:
        if entry.fault:
            where, why = entry.fault
            invalid.append(warning(name, where, "bad-vcard", f"malformed entry: {why}; skipped"))
            continue
        try:
            card = vobject.readOne(entry.text)
        except Exception as exc:  # vobject raises many exception types on bad input
            message = exc.args[0] if isinstance(exc, vobject.base.ParseError) else str(exc)
            invalid.append(
                warning(name, entry.line, "bad-vcard", f"malformed entry: {message}; skipped")
            )
            continue
        result = person(card, entry.line)
        if isinstance(result, str):
            invalid.append(warning(name, entry.line, "no-name", result))
        else:
            people.append(result)
    return Read(tuple(people), tuple(invalid), tuple(errors), tuple(notes))


def _uid(contact: Contact) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'followup-gen:contact:' + contact.id)}"


# ``Springfield, IL 62701``: a locality line with a region and a postal code.
_LOCALITY = re.compile(r"(?P<city>[^,\d]+), (?P<region>[^,\d]+?) (?P<code>[^,]*\d[^,]*)\Z")


def address(text: str):
    """The address as structured ADR parts, from the lines the import writes.

    Street lines first, then the locality (``City, Region Code`` is split),
    then the country (a last line of three or more without digits). Reading
    the parts back gives the same lines.
    """
    lines = text.splitlines()
    country = ""
    if len(lines) >= 3 and not any(c.isdigit() for c in lines[-1]):
        country = lines.pop()
    locality = lines.pop() if len(lines) >= 2 else ""
    parts = {"city": locality, "region": "", "code": ""}
    if match := _LOCALITY.match(locality):
        parts = match.groupdict()
    return vobject.vcard.Address(street="\n".join(lines), country=country, **parts)


def _cadence(contact: Contact) -> str:
    if contact.cadence_off:
        return "none"
    return f"{contact.cadence}d" if contact.cadence else ""


def card(contact: Contact, version: str = "4.0") -> str:
    """One contact as a vCard 4.0 (or 3.0) entry; its UID is stable: from the id."""
    c = vobject.vCard()
    c.add("version").value = version
    c.add("uid").value = _uid(contact)
    c.add("fn").value = contact.name
    organisation = contact.company is not None and contact.company == contact.name
    given = contact.given_name if not organisation else None
    family = ""
    if given and contact.name.startswith(given):
        family = contact.name[len(given) :].strip()
    if given:  # the parts are known: the given name was kept from an import or typed
        c.add("n").value = vobject.vcard.Name(family=family, given=given)
    elif version == "3.0":  # N is required in 3.0: the whole name, not a guessed split
        c.add("n").value = vobject.vcard.Name(family="" if organisation else contact.name)
    if version == "3.0":
        if organisation:
            c.add("x-abshowas").value = "COMPANY"  # Apple's mark of a company card
    else:
        c.add("kind").value = "org" if organisation else "individual"
    if contact.email:
        c.add("email").value = contact.email
    if contact.phone:
        c.add("tel").value = contact.phone
    if contact.company:
        c.add("org").value = [contact.company]
    if contact.title:
        c.add("title").value = contact.title
    if contact.address:
        c.add("adr").value = address(contact.address)
    if contact.linkedin:
        c.add("url").value = contact.linkedin
    if contact.tags:
        c.add("categories").value = list(contact.tags)
    if contact.notes.strip():
        c.add("note").value = contact.notes.strip()
    own = {
        OWN_ID: contact.id,
        RELATIONSHIP: contact.relationship,
        CADENCE: _cadence(contact),
        DO_NOT_CONTACT: "true" if contact.do_not_contact else "",
        BUSINESS_CARD: "true" if contact.business_card else "",
        MET: f"{contact.met:%Y-%m-%d}" if contact.met else "none",
        SALUTATION: contact.salutation or "",
        FIRST_CHECK_IN: f"{contact.first_check_in:%Y-%m-%d}" if contact.first_check_in else "",
    }
    for key, value in own.items():
        if value:
            c.add(key).value = value
    return c.serialize()


def export(crm: CRM, contacts: Iterable[str] | None = None, version: str = "4.0") -> str:
    """Every contact (or those ids) as vCard 4.0 (or 3.0), in id order."""
    ids = crm.contacts if contacts is None else contacts
    return "".join(card(crm.contacts[i], version) for i in ids)
