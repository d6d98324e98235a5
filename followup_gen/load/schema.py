"""Turn raw records into a typed, consistent ``CRM`` and the problems found.

Each record type has a schema: its keys, which are required, and how each
value is checked and converted. A record with an error is left out of the
CRM (so later stages only see sound data) and references to it are dropped
quietly: the error already names the file to fix. Unknown keys are warnings
with a did-you-mean, never errors, so a user's own extra fields survive.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from followup_gen.load.files import Field, RawRecord
from followup_gen.problems import Problem, did_you_mean, error, warning
from followup_gen.records import (
    CHANNELS,
    CRM,
    KINDS,
    OPPORTUNITY_STATUSES,
    RELATIONSHIPS,
    Contact,
    Interaction,
    Opportunity,
    Source,
    named_by,
)

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# Control characters (YAML's "\0", "\e", ...) but tab and newline: in a name
# they break the terminal's table and the pages, and are never meant (the
# imports turn them into spaces).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CADENCE = re.compile(r"\s*(\d+)\s*([dwmy]?)\s*\Z")
_CADENCE_UNITS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


def slugify(text: str) -> str:
    """``Jane Doe`` -> ``jane-doe``; accents folded, anything else a dash."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def id_of_name(path: str) -> str:
    """The id a file's name gives: its stem, as a slug."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return stem if SLUG.match(stem) else slugify(stem)  # a slug is its own slug


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


class Invalid(Exception):
    """Raised by a converter with the message for the user (internal only)."""


def _no_control(value: str) -> str:
    found = CONTROL.search(value)
    if found is not None:
        raise Invalid(f"holds a control character (U+{ord(found.group()):04X}); remove it")
    return value


def text(field: Field) -> str:
    value = field.value
    if isinstance(value, str):
        if not value.strip():
            raise Invalid("is empty")
        return _no_control(value.strip())
    if isinstance(value, bool | int | float | dt.date) and field.text is not None:
        return field.text.strip()  # YAML 1.1 read `no` as false: keep what was typed
    raise Invalid("must be text, not a list or a mapping")


def multiline(field: Field) -> str:
    if isinstance(field.value, list) and all(isinstance(v, str) for v in field.value):
        return _no_control("\n".join(v.strip() for v in field.value))
    return text(field).rstrip()


def text_list(field: Field) -> tuple[str, ...]:
    """A list of text items (or one item); each kept as typed (`007` stays `007`)."""
    if isinstance(field.value, list):
        values, typed = field.value, field.items or (None,) * len(field.value)
    else:
        values, typed = [field.value], (field.text,)
    out = []
    for item, as_typed in zip(values, typed, strict=True):
        if isinstance(item, str):
            item_text = _no_control(item.strip())
        elif isinstance(item, bool | int | float | dt.date) and as_typed is not None:
            item_text = as_typed.strip()
        else:
            raise Invalid("must be a list of text items, one per line starting with '- '")
        if not item_text:
            raise Invalid("has an empty item")
        out.append(item_text)
    return tuple(out)


def specifics_list(field: Field) -> tuple[tuple[str | None, str], ...]:
    """``specifics``: text items shared by everyone present, or one-key mappings
    ``contact-id: text`` for one of them. Each is ``(contact id or None, text)``;
    whether the id is among the interaction's contacts is checked in
    ``check_record``."""
    if not isinstance(field.value, list):
        return tuple((None, text) for text in text_list(field))
    typed = field.items or (None,) * len(field.value)
    out: list[tuple[str | None, str]] = []
    for item, as_typed in zip(field.value, typed, strict=True):
        if isinstance(item, dict):
            if len(item) != 1:
                raise Invalid(
                    "has an item with several 'name: text' pairs; write one item per person, "
                    "like '- jane-doe: the on-call load'"
                )
            ((who, text),) = item.items()
            if not isinstance(who, str) or not isinstance(text, str | int | float | dt.date):
                raise Invalid("items must be text, or 'contact-id: text' for one person")
            text = _no_control(str(text).strip())
            if not text:
                raise Invalid(f"has an empty item for '{who}'")
            out.append((who.strip(), text))
            continue
        single = Field(field.key, item, field.line, as_typed)
        out.extend((None, text) for text in text_list(single))
    return tuple(out)


def flag(field: Field) -> bool:
    if isinstance(field.value, bool):
        return field.value
    raise Invalid("must be true or false")


def _typed(field: Field) -> str:
    return field.text if field.text is not None else str(field.value)


def day(field: Field) -> dt.date:
    return moment(field)[0]


def moment(field: Field) -> tuple[dt.date, dt.time | None]:
    """A date, a date and time, or an ISO 8601 string of either, within ``YEARS``."""
    value = field.value
    if isinstance(value, dt.datetime):
        found = value.date(), value.time().replace(tzinfo=None)
    elif isinstance(value, dt.date):
        found = value, None
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(f"'{value}' is not a date; use YYYY-MM-DD or YYYY-MM-DD HH:MM") from None
        has_time = len(value.strip()) > 10
        found = parsed.date(), parsed.time().replace(tzinfo=None) if has_time else None
    else:
        raise Invalid("must be a date: YYYY-MM-DD or YYYY-MM-DD HH:MM")
    problem = out_of_range(found[0])
    if problem:
        raise Invalid(problem)
    return found


# Dates a job search can hold; anything else is a typo (and would overflow
# date arithmetic near year 9999).
YEARS = (1900, 2200)


def out_of_range(day: dt.date) -> str | None:
    """Why ``day`` cannot be a record's date, or None if it can."""
    if YEARS[0] <= day.year <= YEARS[1]:
        return None
    return f"{day.isoformat()} is not between {YEARS[0]} and {YEARS[1]}: check the year"


# The longest cadence: ten years (every number of days in the settings too).
MAX_DAYS = 3650


def one_of(choices: tuple[str, ...]) -> Callable[[Field], str]:
    def check(field: Field) -> str:
        shown = _typed(field).strip()
        if shown.lower() in choices:  # `Email` is `email`
            return shown.lower()
        raise Invalid(
            f"unknown value '{shown}'{did_you_mean(shown, choices)}; one of: {', '.join(choices)}"
        )

    return check


def slug(field: Field) -> str:
    value = text(field)
    if not SLUG.match(value):
        raise Invalid(
            f"'{value}' is not a valid id: use lower-case letters, digits and single dashes"
            f" (like '{slugify(value) or 'jane-doe'}')"
        )
    return value


def slug_list(field: Field) -> tuple[str, ...]:
    values = text_list(field)
    for value in values:
        if not SLUG.match(value):
            raise Invalid(f"'{value}' is not a valid id (like '{slugify(value) or 'jane-doe'}')")
    return values


def cadence(field: Field) -> int | None:
    """Days as an int, or None for ``none`` (also ``off``/``no``/``false``)."""
    value = field.value
    if value is False or (isinstance(value, str) and value.strip().lower() in ("none", "off")):
        return None
    days = None
    if isinstance(value, int) and not isinstance(value, bool):
        days = value
    elif isinstance(value, str) and (match := _CADENCE.match(value.lower())):
        days = int(match.group(1)) * _CADENCE_UNITS[match.group(2)]
    if days is not None and 0 < days <= MAX_DAYS:
        return days
    if days is not None and days > MAX_DAYS:
        raise Invalid(f"'{_typed(field)}' is longer than ten years ({MAX_DAYS} days); use none")
    raise Invalid(
        f"'{_typed(field)}' is not a cadence; "
        "use days like 21d, weeks like 6w, months like 3m, a number of days, or none"
    )


def web_url(field: Field) -> str:
    value = text(field)
    if not re.match(r"https?://\S+\Z", value):
        raise Invalid(f"'{value}' is not a web address; start it with https://")
    return value


def email(field: Field) -> str:
    value = text(field)
    if not re.match(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z", value):
        raise Invalid(f"'{value}' does not look like an email address")
    return value


@dataclass(frozen=True, slots=True)
class Spec:
    convert: Callable[[Field], object]
    required: bool = False
    # Warnings, not errors: the value is dropped but the record is kept.
    soft: bool = False


SCHEMAS: dict[str, dict[str, Spec]] = {
    "contact": {
        "id": Spec(slug),
        "name": Spec(text, required=True),
        "relationship": Spec(one_of(RELATIONSHIPS), required=True),
        "salutation": Spec(text),
        "given_name": Spec(text),
        "company": Spec(text),
        "title": Spec(text),
        "email": Spec(email, soft=True),
        "phone": Spec(text),
        "address": Spec(multiline),
        "linkedin": Spec(web_url, soft=True),
        "tags": Spec(text_list),
        "cadence": Spec(cadence),
        "do_not_contact": Spec(flag),
        "business_card": Spec(flag),
        "met": Spec(day),
        "first_check_in": Spec(day),
    },
    "opportunity": {
        "id": Spec(slug),
        "company": Spec(text, required=True),
        "role": Spec(text, required=True),
        "url": Spec(web_url, soft=True),
        "contacts": Spec(slug_list),
        "expected_decision": Spec(day),
        "status": Spec(one_of(OPPORTUNITY_STATUSES)),
        "referred_by": Spec(slug),
        "tags": Spec(text_list),
        "offer_deadline": Spec(day),
        "references": Spec(slug_list),
    },
    "interaction": {
        "id": Spec(slug),
        "date": Spec(moment, required=True),
        # Required, but for an application through a portal (see check_record).
        "contacts": Spec(slug_list),
        "kind": Spec(one_of(KINDS), required=True),
        "channel": Spec(one_of(CHANNELS)),
        "opportunity": Spec(slug),
        "specifics": Spec(specifics_list),
    },
}

_FOLDER_OF = {
    "contact": "contacts/",
    "opportunity": "opportunities/",
    "interaction": "interactions/",
}


@dataclass(frozen=True, slots=True)
class Checked:
    """A record whose fields passed their schema (references not yet checked).

    ``fields`` are the keyword arguments of the record's model class (without
    ``id``, ``source`` and ``notes``); ``ok`` is False when an error leaves the
    record out of the CRM. Plain, picklable values: the parse cache stores it.
    """

    type: str
    id: str
    fields: dict
    source: Source
    body: str
    ok: bool


def convert_fields(
    raw: RawRecord, schema: dict[str, Spec], noun: str
) -> tuple[dict[str, object], list[Problem], bool]:
    """Each field converted by its spec: (values, problems, no error).

    ``noun`` names the record in warnings about unknown keys ("a contact").
    """
    problems: list[Problem] = []
    values: dict[str, object] = {}
    ok = True
    for field in raw.fields:
        spec = schema.get(field.key)
        if spec is None:
            problems.append(
                warning(
                    raw.path,
                    field.line,
                    "unknown-key",
                    f"unknown key '{field.key}' for {noun}{did_you_mean(field.key, schema)};"
                    " it is ignored",
                )
            )
            continue
        if field.broken:
            ok = False  # load already reported why
            continue
        if field.value is None:
            if spec.required:
                ok = False
                problems.append(
                    error(raw.path, field.line, "missing-field", f"'{field.key}' is empty")
                )
            continue  # `title:` left empty means "not known yet".
        try:
            values[field.key] = spec.convert(field)
        except Invalid as exc:
            code = (
                "bad-date"
                if spec.convert in (day, moment)
                else ("unknown-value" if "unknown value" in str(exc) else "wrong-type")
            )
            if spec.convert in (slug, slug_list):
                code = "bad-id"
            severity = warning if spec.soft else error
            ok = ok and spec.soft
            problems.append(severity(raw.path, field.line, code, f"'{field.key}' {exc}"))
    return values, problems, ok


def check_record(raw: RawRecord) -> tuple[Checked, list[Problem]]:
    """Check one raw record against its schema (this file alone)."""
    noun = f"{_article(raw.type)} {raw.type}"
    values, problems, ok = convert_fields(raw, SCHEMAS[raw.type], noun)
    present = {f.key for f in raw.fields}
    for key in REQUIRED[raw.type]:
        if key not in present:
            ok = False
            problems.append(
                error(
                    raw.path,
                    1,
                    "missing-field",
                    f"{_article(raw.type)} {raw.type} needs '{key}'; add '{key}: ...'",
                )
            )
    if raw.type == "interaction" and not values.get("contacts"):
        portal = values.get("kind") == "application" and values.get("opportunity")
        given = next((f for f in raw.fields if f.key == "contacts"), None)
        if not portal and given is None:
            ok = False
            problems.append(
                error(
                    raw.path,
                    1,
                    "missing-field",
                    "an interaction needs 'contacts'; add 'contacts: ...' (only an "
                    "application with an 'opportunity' may name no one)",
                )
            )
        elif not portal and not given.broken and given.value in (None, [], ""):
            ok = False
            problems.append(error(raw.path, given.line, "missing-field", "'contacts' is empty"))
    if raw.type == "interaction" and "specifics" in values:
        wrong = _specifics_contacts(raw, values)
        ok = ok and not wrong
        problems.extend(wrong)
    record_id = values.pop("id", None) or id_of_name(raw.path)
    if not record_id:
        ok = False
        problems.append(
            error(raw.path, 1, "bad-id", "the file name gives no id; rename it or add 'id: ...'")
        )
    source = Source(raw.path, 1, tuple((f.key, f.line) for f in raw.fields))
    fields = _model_fields(raw.type, values)
    return Checked(raw.type, str(record_id), fields, source, raw.body, ok), problems


def _specifics_contacts(raw: RawRecord, values: dict) -> list[Problem]:
    """Each ``contact-id: text`` item of ``specifics`` must name a contact of
    the interaction, by id or by the start of one (``sam: ...`` for
    ``sam-lee``): the item is rewritten to that id."""
    present = values.get("contacts", ())
    line = next((f.line for f in raw.fields if f.key == "specifics"), 1)
    found = []
    items = []
    for who, text in values["specifics"]:
        named = [] if who is None else named_by(who, present)
        items.append((named[0] if len(named) == 1 else who, text))
        if who is None or len(named) == 1:
            continue
        if named:
            said = (
                f"the start of several of this interaction's contacts ({', '.join(named)}); "
                "write the whole id"
            )
        else:
            choices = ", ".join(present) or "none"
            said = (
                f"who is not among this interaction's contacts{did_you_mean(who, present)} "
                f"(contacts: {choices}); name one of them"
            )
        found.append(
            error(
                raw.path,
                line,
                "specifics-contact",
                f"'specifics' item '{who}: {text}' names '{who}', {said}, "
                "or quote the item to keep it as text for everyone",
            )
        )
    values["specifics"] = tuple(items)
    return found


REQUIRED = {
    record_type: tuple(key for key, spec in schema.items() if spec.required)
    for record_type, schema in SCHEMAS.items()
}


def _model_fields(record_type: str, values: dict) -> dict:
    """Schema values as the model's keyword arguments."""
    if record_type == "contact" and "cadence" in values:
        values["cadence_off"] = values["cadence"] is None
    elif record_type == "interaction":
        values.setdefault("contacts", ())
        if "specifics" in values:
            pairs = values["specifics"]
            values["specifics"] = tuple(text for _, text in pairs)
            if any(who is not None for who, _ in pairs):
                values["specifics_for"] = tuple(who for who, _ in pairs)
        if "date" in values:
            values["date"], values["time"] = values["date"]
    return values


MODELS: dict[str, type] = {
    "contact": Contact,
    "opportunity": Opportunity,
    "interaction": Interaction,
}


def validate(raws: Iterable[RawRecord]) -> tuple[CRM, tuple[Problem, ...]]:
    """Check every record and every reference; build the CRM of sound records."""
    problems: list[Problem] = []
    checked: list[Checked] = []
    for raw in raws:
        record, found = check_record(raw)
        problems.extend(found)
        checked.append(record)
    crm, more = assemble(checked)
    return crm, (*problems, *more)


def assemble(
    checked: Iterable[Checked], broken: Iterable[tuple[str, str, str]] = ()
) -> tuple[CRM, tuple[Problem, ...]]:
    """The checks across files (duplicate ids, references) and the CRM.

    ``checked`` are ``check_record`` results, from a parse or from the cache;
    ``broken`` the (type, id, path) of files that could not be read at all.
    A file with errors is left out, and so is every interaction that names it:
    one problem at the broken file says how many (never "has no file", since
    it has one); the contacts and opportunities those interactions were about
    are marked ``CRM.incomplete``.
    """
    checked = list(checked)
    problems: list[Problem] = []
    first: dict[tuple[str, str], Checked] = {}
    by_id: dict[tuple[str, str], list[Checked]] = {}  # only the ids claimed twice
    for record in checked:
        key = (record.type, record.id)
        if first.setdefault(key, record) is not record:
            by_id.setdefault(key, [first[key]]).append(record)
    duplicated = set(by_id)
    for (record_type, record_id), records in sorted(by_id.items(), key=_first_path):
        if len(records) > 1:
            paths = [r.source.path for r in records]
            for record in records:
                others = ", ".join(p for p in paths if p != record.source.path)
                problems.append(
                    error(
                        record.source.path,
                        record.source.line_of("id"),
                        "duplicate-id",
                        f"{record_type} id '{record_id}' is also claimed by {others};"
                        " give one of them another id",
                    )
                )

    # Files with errors, by (type, id): what names them is left out, not "unknown".
    failed: dict[tuple[str, str], str] = {(t, i): path for t, i, path in broken}
    for record in checked:
        if not record.ok:
            failed.setdefault((record.type, record.id), record.source.path)
    known: dict[str, set[str]] = {t: set() for t in SCHEMAS}
    for record_type, record_id in [*first, *failed]:
        known[record_type].add(record_id)
    suggestions: dict[tuple[str, str], str] = {}
    dependents: dict[tuple[str, str], list[str]] = {}

    def refs(record: Checked, key: str, target: str, ids: Iterable[str]) -> None:
        for ref in ids:
            if (target, ref) in failed:
                dependents.setdefault((target, ref), []).append(record.type)
            elif ref not in known[target]:
                hint = suggestions.get((target, ref))
                if hint is None:
                    hint = suggestions[target, ref] = did_you_mean(ref, sorted(known[target]))
                problems.append(
                    error(
                        record.source.path,
                        record.source.line_of(key),
                        f"unknown-{target}",
                        f"'{key}' names {target} '{ref}', which has no file under "
                        f"{_FOLDER_OF[target]}{hint}",
                    )
                )

    contacts = known["contact"] - {i for t, i in failed if t == "contact"}
    opportunities = known["opportunity"] - {i for t, i in failed if t == "opportunity"}
    for record in checked:
        v = record.fields
        if record.type == "contact":
            continue
        ids = v.get("contacts", ())
        if not contacts.issuperset(ids):
            refs(record, "contacts", "contact", ids)
        if record.type == "opportunity":
            if "referred_by" in v and v["referred_by"] not in contacts:
                refs(record, "referred_by", "contact", [v["referred_by"]])
            if not contacts.issuperset(v.get("references", ())):
                refs(record, "references", "contact", v["references"])
        elif "opportunity" in v and v["opportunity"] not in opportunities:
            refs(record, "opportunity", "opportunity", [v["opportunity"]])
    for (target, ref), kinds in sorted(dependents.items()):
        problems.append(
            warning(failed[target, ref], None, "left-out", _left_out(kinds, target, ref))
        )

    sound = [r for r in checked if r.ok and (not duplicated or (r.type, r.id) not in duplicated)]
    # No duplicate, no unknown name, every record sound: nothing to drop while building.
    whole = not problems and not failed and len(sound) == len(checked)
    return _build(sound, whole, failed), tuple(problems)


def _left_out(kinds: list[str], target: str, ref: str) -> str:
    """What a file with errors takes with it, said once, at that file."""
    parts = []
    interactions, opportunities = kinds.count("interaction"), kinds.count("opportunity")
    if interactions:
        noun = "interaction naming it is" if interactions == 1 else "interactions naming it are"
        parts.append(f"{interactions} {noun} left out")
    if opportunities:
        noun = "opportunity naming it is" if opportunities == 1 else "opportunities naming it are"
        parts.append(f"{opportunities} {noun} shown without it")
    return f"this {target} ('{ref}') has errors: {', and '.join(parts)}, until it is fixed"


def _first_path(item: tuple[tuple[str, str], list[Checked]]) -> str:
    return item[1][0].source.path


def record_of(checked: Checked) -> Contact | Opportunity | Interaction:
    """The model record of a sound ``Checked``."""
    return MODELS[checked.type](
        id=checked.id, source=checked.source, notes=checked.body, **checked.fields
    )


def _build(
    records: list[Checked], whole: bool = False, failed: Iterable[tuple[str, str]] = ()
) -> CRM:
    """The CRM of sound records (``whole``: nothing to leave out).

    An interaction that names a file with errors (``failed``) is left out
    and what it was about marked incomplete; other references to records
    left out are dropped.
    """
    of_type: dict[str, list[Checked]] = {t: [] for t in SCHEMAS}
    for r in records:
        of_type[r.type].append(r)
    if whole:
        return CRM.of(
            *(list(map(record_of, of_type[t])) for t in ("contact", "opportunity", "interaction"))
        )
    failed = set(failed)
    incomplete: set[tuple[str, str]] = set()
    contacts = [record_of(r) for r in of_type["contact"]]
    contact_ids = {c.id for c in contacts}
    opportunities = []
    for r in of_type["opportunity"]:
        o = record_of(r)
        if (
            not contact_ids.issuperset(o.contacts)
            or not contact_ids.issuperset(o.references)
            or (o.referred_by is not None and o.referred_by not in contact_ids)
        ):
            if any(("contact", c) in failed for c in (*o.contacts, o.referred_by)):
                incomplete.add(("opportunity", o.id))
            referred = o.referred_by if o.referred_by in contact_ids else None
            kept = tuple(c for c in o.contacts if c in contact_ids)
            references = tuple(c for c in o.references if c in contact_ids)
            o = replace(o, contacts=kept, referred_by=referred, references=references)
        opportunities.append(o)
    opportunity_ids = {o.id for o in opportunities}
    interactions = []
    for r in of_type["interaction"]:
        i = record_of(r)
        if not contact_ids.issuperset(i.contacts) or (
            i.opportunity is not None and i.opportunity not in opportunity_ids
        ):
            names_failed = ("opportunity", i.opportunity) in failed or any(
                ("contact", c) in failed for c in i.contacts
            )
            kept = tuple(c for c in i.contacts if c in contact_ids)
            if names_failed or not kept:
                incomplete.update(("contact", c) for c in kept)
                if i.opportunity in opportunity_ids:
                    incomplete.add(("opportunity", i.opportunity))
                continue
            opportunity = i.opportunity if i.opportunity in opportunity_ids else None
            i = replace(i, contacts=kept, opportunity=opportunity)
        interactions.append(i)
    return CRM.of(contacts, opportunities, interactions, frozenset(incomplete))
