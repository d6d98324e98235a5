"""What to say: a ready draft for an open follow-up, from templates you control.

Each rule that calls for a message has a Jinja2 template,
``site_templates/letters/<rule>.j2``; a file of the same name in the CRM's own
``site_templates/letters/`` wins (see ``templates.environment``). The template
gets the records already looked up and turned into the words a letter needs:
how to greet them (``them.greeting``), what the position is called
(``job.position``), what happened between you (``story``: whether you met,
whether there was an interview, who else sat on the panel, how many such
letters you already sent), the talking points written to them (``points``),
your accomplishments as first-person sentences (``achievements``), what a
helper did (``help``) and the news of your search (``search``). It writes the
letter for the item's channel: a proper letter for ``mail`` (your address,
the date, their address block), a short note for ``handwritten``, a subject
line for ``email``, a three-line call script for ``phone``, a short message
otherwise.

The words come from ``prose`` (names, dates, lists, accomplishments, talking
points) and the facts from ``story``; this module puts them together and
escapes every value from the user's files for the output format, so
templates are plain prose. In the Markdown format each line break a template
writes is kept as a hard line break (address blocks), and a blank line
starts a new paragraph. What the records do not say is left out when it is
optional (your phone) and is a marked slot such as
``[THEIR EMAIL: add 'email' to contacts/jane.md]`` when the letter needs it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Literal
from urllib.parse import quote, urlencode

import jinja2

from followup_gen.load import Loaded
from followup_gen.load.profile import PROFILE_FILE, Profile
from followup_gen.outputs import prose
from followup_gen.outputs.prose import When, long_date
from followup_gen.outputs.sanitize import sanitize
from followup_gen.outputs.story import Help, Search, recruiter, search, story
from followup_gen.outputs.templates import TEMPLATES_FOLDER, environment, escape_markdown
from followup_gen.records import CRM, Contact, Interaction, Opportunity
from followup_gen.rules.followup import Evaluation, FollowUp
from followup_gen.rules.offer_period import open_offer
from followup_gen.rules.search import search_of

Format = Literal["text", "md", "html"]
FORMATS: tuple[Format, ...] = ("text", "md", "html")

# The rules that call for a message, in the order of a job search.
LETTER_RULES: tuple[str, ...] = (
    "thank-helper",
    "interview-thank-you",
    "rejection-follow-up",
    "resume-follow-up",
    "stalled-note",
    "bridge-check-in",
    "close-the-loop",
    "keep-in-touch",
    "new-contact",
    "withdraw",
    "offer-period",
    "reference",
)
# The letters an item may ask for instead of its rule's own (``FollowUp.letter``):
# the plan's merged messages and the messages of an ended search.
LETTER_VARIANTS: Mapping[str, str] = {
    "rejection-thanks": "rejection-follow-up with the interview thank-you not yet sent",
    "interview-thank-you-card": "interview-thank-you asking for the business card",
    "interview-thank-you-offer": "interview-thank-you telling them about your offer",
    "news": "keep-in-touch and bridge-check-in once the search has ended",
    "reference-thanks": "reference, after the decision",
}
LETTERS_FOLDER = "letters"
# The letter pages' one stylesheet, next to them (linked, not inlined in each:
# thousands of letters would carry thousands of copies).
LETTER_STYLESHEET = f"{LETTERS_FOLDER}/letter.css"
_ASSETS = Path(__file__).parent.parent / "site" / "assets"
LETTER_CSS = (_ASSETS / "letter.css").read_text(encoding="utf-8")
# Its script ("Copy letter", "Print"), next to it too.
LETTER_SCRIPT = f"{LETTERS_FOLDER}/letter.js"
LETTER_JS = (_ASSETS / "letter.js").read_text(encoding="utf-8")
# The due list, from a letter page (MkDocs' directory URLs; see letter_pages).
BACK_TO_DUE = "../due/"
# The little a page saved on its own (without letter.css) needs to print the
# letter alone, in letter type, on one sheet.
_PRINT_ALONE = (
    "<style>@media print{.fg-screen-only{display:none}"
    "body{margin:0;font:11pt/1.4 Georgia,serif}@page{margin:20mm 22mm}}</style>\n"
)

# Channel -> layout; any other channel (linkedin, text, ...) is a short message.
LAYOUTS: Mapping[str, str] = {
    "mail": "letter",
    "handwritten": "note",
    "email": "email",
    "phone": "call",
}
# People close to you: "Hi", a warm personal note, your first name under it.
WARM = frozenset({"family", "friend", "neighbor", "personal-network"})
# People greeted by their first name without a `salutation` (recruiters too, by title).
FIRST_NAME = WARM | {"past-coworker", "past-employer", "professional-network"}
# Where each channel's address lives in a contact file.
RECIPIENT_KEYS: Mapping[str, tuple[str, str]] = {
    "email": ("email", "email address"),
    "mail": ("address", "postal address"),
    "handwritten": ("address", "postal address"),
    "phone": ("phone", "phone number"),
    "linkedin": ("linkedin", "LinkedIn profile"),
}
# Words that already say "position" at the end of a role.
_ROLE_NOUNS = ("position", "role", "job", "opening", "internship", "contract", "post")

# "Find the item's cause interaction yourself" (``None`` means there is none).
_LOOK_UP = object()


class DraftError(Exception):
    """A letter template is missing or broken; the message names the file and line."""


def template_name(rule: str) -> str:
    """The template of a rule's letter, relative to ``site_templates/``."""
    return f"{LETTERS_FOLDER}/{rule}.j2"


def letter_of(item: FollowUp) -> str:
    """The name of an item's letter: its variant (``FollowUp.letter``), else its rule."""
    return item.letter or item.rule


def letter_path(item: FollowUp) -> str:
    """The site page of an item's draft, stable from day to day.

    Only items whose rule has a letter template get a page: link to it when
    the path is among the keys ``letter_pages`` returns.
    """
    digest = hashlib.sha1(item.key.encode("utf-8")).hexdigest()[:8]
    return f"{LETTERS_FOLDER}/{item.rule}-{item.contact}-{digest}.html"


# --- escaping ----------------------------------------------------------------


def md_text(value: object) -> str:
    """One line of user text as Markdown that renders exactly as typed
    (``escape_markdown``, shared with the site, also escapes a list mark or
    dash rule it starts with)."""
    return str(escape_markdown(value))


def _plain(value: object) -> str:
    return " ".join(str(value).split())


# --- the words of a letter ------------------------------------------------------


# In the HTML of a letter page, what ``strong`` marks is wrapped in these
# (control characters no value from the files can hold) until it is escaped.
_STRONG_ON, _STRONG_OFF = "\x02", "\x03"


@functools.lru_cache(maxsize=1024)  # the same few gaps in every letter
def _slot(label: str, fmt: Format) -> str:
    if fmt == "md":
        return f"**&#91;{md_text(label)}&#93;**"
    if fmt == "html":
        return f"{_STRONG_ON}[{_plain(label)}]{_STRONG_OFF}"
    return f"[{_plain(label)}]"


@dataclass(frozen=True, slots=True)
class _Out:
    """Format-specific helpers handed to the templates."""

    fmt: Format
    # Escaped values by text: the same names and sentences recur on every page.
    memo: dict[str, str] = field(default_factory=dict)

    def esc(self, value: object) -> str:
        text = str(value)
        if text not in self.memo:
            self.memo[text] = md_text(text) if self.fmt == "md" else _plain(text)
        return self.memo[text]

    def slot(self, label: str) -> str:
        """A marked gap for the user to fill: ``[YOUR NAME]``."""
        return _slot(label, self.fmt)

    def strong(self, value: str) -> str:
        if self.fmt == "html":
            return f"{_STRONG_ON}{value}{_STRONG_OFF}"
        return f"**{value}**" if self.fmt == "md" else value

    def lines(self, value: str | None) -> list[str]:
        return [self.esc(line.strip()) for line in (value or "").splitlines() if line.strip()]


def greeting(contact: Contact) -> tuple[str, bool]:
    """How a letter greets ``contact`` and whether that is personal.

    Their ``salutation`` as written; else their first name (``given_name``,
    or found in their name by ``prose.person_name``) for family, friends,
    neighbours, former colleagues and bosses, their network and recruiters;
    else the full name without credentials (``Dear Jane Doe,``), which is
    not personal: ``draft`` suggests a ``salutation``.
    """
    if contact.salutation:
        return contact.salutation, True
    name = prose.person_name(contact.name)
    first = contact.given_name or name.first
    if first and (contact.relationship in FIRST_NAME or recruiter(contact)):
        return first, True
    return name.formal, False


def position(role: str | None) -> str:
    """``the Data Engineer position``; ``the role we discussed`` without a role."""
    if not role:
        return "the role we discussed"
    last = role.split()[-1].casefold().strip(".,")
    return f"the {role}" if last in _ROLE_NOUNS else f"the {role} position"


def article(word: str) -> str:
    """``a Data Engineer``, ``an Analytics Engineer``."""
    return f"{'an' if word[:1].casefold() in 'aeiou' else 'a'} {word}"


def ordered_accomplishments(profile: Profile | None, tags: Iterable[str]) -> tuple[str, ...]:
    """Your accomplishments, those sharing a tag with ``tags`` first (else file order)."""
    return tuple(a.text for a in _ranked(profile, tags))


def _ranked(profile: Profile | None, tags: Iterable[str]):
    if profile is None:
        return ()
    wanted = {t.lower() for t in tags}
    return tuple(
        sorted(profile.accomplishments, key=lambda a: not wanted & {t.lower() for t in a.tags})
    )  # sorted() is stable: file order within each group


def _rotated(items: Sequence, turn: int) -> list:
    """``items`` starting at ``turn`` (modulo its length): the next one each time."""
    if not items:
        return []
    turn %= len(items)
    return [*items[turn:], *items[:turn]]


def _me(out: _Out, profile: Profile | None, layout: str, warm: bool) -> SimpleNamespace:
    def mine(key: str) -> str | None:
        return getattr(profile, key) if profile is not None else None

    name = out.esc(mine("name")) if mine("name") else out.slot("YOUR NAME")
    first = prose.person_name(mine("name")).first if mine("name") else None
    reach = [out.esc(x) for x in (mine("email"), mine("phone")) if x]
    contact_line = " · ".join(reach) or None
    address = out.lines(mine("address"))
    if warm:
        sign_off = out.esc(mine("casual_sign_off") or "Talk soon,")
        signature = out.esc(first) if first else name
    else:
        default = "Sincerely," if layout == "letter" else "Best regards,"
        sign_off = out.esc(mine("sign_off") or default)
        signature = name
    return SimpleNamespace(
        name=name,
        first=out.esc(first) if first else name,
        address=address,
        email=out.esc(mine("email")) if mine("email") else None,
        phone=out.esc(mine("phone")) if mine("phone") else None,
        contact_line=contact_line,
        sign_off=sign_off,
        signature=signature,
        # Your letterhead: name, address, then how to reach you (what you have of them).
        block=[name, *address, *([contact_line] if contact_line else [])],
    )


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _them(out: _Out, contact: Contact, layout: str) -> SimpleNamespace:
    names = prose.person_name(contact.name)
    name = out.esc(names.written)
    greet, personal = greeting(contact)
    warm = contact.relationship in WARM
    title = out.esc(contact.title) if contact.title else None
    company = out.esc(contact.company) if contact.company else None
    if contact.address:
        # People often write the whole envelope: skip the lines the block has
        # already, and when the address names the company, let it do so.
        known = {_norm(x) for x in (contact.name, names.written, contact.title) if x}
        lines = [x for x in contact.address.splitlines() if _norm(x) not in known]
        if contact.company and any(_norm(x).startswith(_norm(contact.company)) for x in lines):
            company = None
        address = out.lines("\n".join(lines))
    else:
        address = [out.slot(f"THEIR POSTAL ADDRESS: add 'address' to {contact.source.path}")]

    def reach(key: str, what: str) -> str:
        value = getattr(contact, key)
        return out.esc(value) if value else out.slot(f"THEIR {what.upper()}: add '{key}' to "
                                                     f"{contact.source.path}")  # fmt: skip

    return SimpleNamespace(
        id=contact.id,
        name=name,
        formal=out.esc(names.formal),
        first=out.esc(contact.given_name or names.first or names.formal),
        greeting=out.esc(greet),
        personal=personal,
        hello="Hi" if warm and layout != "letter" else "Dear",
        warm=warm,
        casual=warm,
        relationship=contact.relationship,
        title=title,
        company=company,
        address=address,
        email=out.esc(contact.email) if contact.email else None,
        phone=out.esc(contact.phone) if contact.phone else None,
        path=out.esc(contact.source.path),
        # Their address on the recommended channel, or the slot that says where to add it.
        to_email=reach("email", "email address"),
        to_phone=reach("phone", "phone number"),
        # The inside address of a letter: name, title, company, postal address.
        block=[name, *(x for x in (title, company) if x), *address],
    )


def _job(out: _Out, opportunity: Opportunity | None, contact: Contact) -> SimpleNamespace:
    role = opportunity.role if opportunity else None
    company = opportunity.company if opportunity else contact.company
    kind = role.split(",")[0].strip() if role else None
    return SimpleNamespace(
        id=opportunity.id if opportunity else None,
        role=out.esc(role) if role else None,
        # "the Senior Data Engineer position", or "the role we discussed".
        position=out.esc(position(role)),
        company=out.esc(company) if company else None,
        # "a Senior Data Engineer" (the role before any comma), for "looking for ...".
        a_kind=out.esc(article(kind)) if kind else None,
    )


def _help_words(
    out: _Out, helped: Help | None, when: When | None, recipient: str
) -> SimpleNamespace:
    """What a helper did, in the words a thank-you needs (None where the records are silent).

    ``thanks`` follows "Thank you for" (``referring me to Acme for the Data
    Engineer position yesterday``); ``noun`` follows "Thank you for" in a
    list (``your referral to Acme for the Data Engineer position``); ``known``
    is False when the records do not say what the favour was about.
    """
    if helped is None:
        return SimpleNamespace(kind=None, thanks=None, noun=None, known=False)
    o = helped.opportunity
    at_job = f"{out.esc(o.company)} for {out.esc(position(o.role))}" if o else None
    on = f" {when.end}" if when else ""
    mid = f" {when}" if when else ""
    specifics = [prose.topic(s, [recipient]) for s in helped.specifics]
    kind = helped.kind
    known = True
    if kind == "referral":
        thanks = f"referring me to {at_job}{on}" if at_job else None
        noun = f"your referral to {at_job}" if at_job else "your referral"
    elif kind == "introduction":
        people = [out.esc(prose.person_name(n).formal) for n in helped.to]
        target = prose.join(people) if people else None
        if target and o:
            target += f" at {out.esc(o.company)}"
        elif o:
            target = f"the people at {out.esc(o.company)}"
        thanks = f"introducing me to {target}{on}" if target else None
        noun = f"your introduction to {target}" if target else "your introduction"
    elif kind == "informational-interview":
        topics = prose.join(out.esc(s) for s in specifics)
        thanks = f"the informational interview{mid} about {topics}" if topics else None
        noun = f"our conversation about {topics}" if topics else "the informational interview"
        known = bool(topics)
    elif kind == "meeting":  # a recruiter's call (or meeting): their time was the help
        verb = "meeting with me" if helped.channel == "in-person" else "taking my call"
        job = f"{out.esc(position(o.role))} at {out.esc(o.company)}" if o else None
        thanks = f"{verb}{mid} about {job}" if job else f"{verb}{on}"
        noun = f"our conversation about {job}" if job else "your time"
    else:  # help
        about = (
            f"my application for {out.esc(position(o.role))} at {out.esc(o.company)}" if o else None
        )
        thanks = f"your help{mid} with {about}" if about else None
        with_what = about or prose.join(out.esc(s) for s in specifics)
        noun = f"your help with {with_what}" if with_what else "your help"
    if thanks is None:
        known = False
    return SimpleNamespace(kind=kind, thanks=thanks, noun=noun, known=known)


def _distinct(helps: list[SimpleNamespace]) -> list[SimpleNamespace]:
    """Each favour named once: a second ``your help`` goes, and so does a bare
    ``your help`` when ``your help with my CV`` says more."""
    nouns = [h.noun for h in helps]
    return [
        h
        for n, h in enumerate(helps)
        if h.noun not in nouns[:n] and not any(x.startswith(f"{h.noun} ") for x in nouns)
    ]


def _news(out: _Out, found: Search) -> str | None:
    """The search in one clause: ``I am interviewing with Lumenfield and Brightwater``."""
    names = lambda companies: prose.join(out.esc(c) for c in companies[:3])  # noqa: E731
    if found.accepted:
        role = f" as {out.esc(article(found.accepted_role))}" if found.accepted_role else ""
        return f"I have accepted an offer{role} at {names(found.accepted)}"
    parts = []
    if found.offers:
        parts.append(f"I have an offer from {names(found.offers)} to think over")
    if found.interviewing:
        verb = "I am also interviewing" if parts else "I am interviewing"
        parts.append(f"{verb} with {names(found.interviewing)}")
    if not parts and found.applied:
        count = len(found.applied)
        parts.append(
            f"I have applied to {names(found.applied)}"
            if count <= 3
            else f"I have {count} applications out, most recently with {out.esc(found.applied[0])}"
        )
    return ", and ".join(parts) or None


_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _brief(out: _Out, found: Search, kind: str | None) -> str | None:
    """The search in one clause without naming the companies (for professional contacts)."""
    roles = f" for {out.esc(kind)} roles" if kind else ""
    if found.accepted:
        return _news(out, found)
    active = len(dict.fromkeys((*found.offers, *found.interviewing)))
    if active:
        count = _COUNTS[active] if active < len(_COUNTS) else str(active)
        return f"I am interviewing{roles} with {count} compan{'y' if active == 1 else 'ies'}"
    if found.applied:
        return f"I have applications out{roles}"
    return None


def _search(out: _Out, found: Search) -> SimpleNamespace:
    kind = found.role.split(",")[0].strip() if found.role else None
    return SimpleNamespace(
        # With the companies' names: for family and friends.
        news=_news(out, found),
        # Without them: for everyone else.
        brief=_brief(out, found, kind),
        a_kind=out.esc(article(kind)) if kind else None,
        interviewing=bool(found.interviewing or found.offers),
        accepted=bool(found.accepted),
    )


def _elapsed(day: dt.date | None, today: dt.date) -> str | None:
    """``a few weeks``, ``a couple of months``... since ``day``."""
    if day is None:
        return None
    days = (today - day).days
    for limit, words in ((10, None), (28, "a few weeks"), (50, "a month or so"),
                         (80, "a couple of months"), (150, "a few months"),
                         (330, "several months")):  # fmt: skip
        if days < limit:
            return words
    return "more than a year"


def context(
    loaded: Loaded,
    profile: Profile | None,
    item: FollowUp,
    today: dt.date,
    fmt: Format = "text",
    *,
    cause: Interaction | None | object = _LOOK_UP,
    memo: dict[str, str] | None = None,
    found: Search | None = None,
    situation: tuple[Opportunity | None, dt.date | None] | None = None,
) -> dict[str, object]:
    """Everything a letter template can use (documented in docs/guide/drafts.md).

    ``found`` is the search's state on ``today`` (``story.search``), passed
    when many letters share it.
    """
    out = _Out(fmt, {} if memo is None else memo)
    crm = loaded.crm
    contact = crm.contacts[item.contact]
    opportunity = crm.opportunities.get(item.opportunity) if item.opportunity else None
    if cause is _LOOK_UP:  # letter_pages passes what it found, even None
        cause = _interaction_at(crm, item.cause.path if item.cause else None)
    layout = LAYOUTS.get(item.channel, "message")
    facts = story(crm, item, cause, today)
    them = _them(out, contact, layout)
    names = prose.person_name(contact.name)
    yours = {contact.given_name, names.first, names.formal, contact.name, contact.salutation}
    others = {
        n
        for c in (cause.contacts if cause is not None else ())
        if c != contact.id and c in crm.contacts
        for n in (crm.contacts[c].given_name, prose.person_name(crm.contacts[c].name).first)
    }
    # Each interviewer's points: the shared ones and their own (``specifics`` mappings).
    raw_points = item.talking_points or (cause.points_for(item.contact) if cause else ())
    accepted, deadline = situation if situation is not None else _situation(loaded, today)
    tags = (*(opportunity.tags if opportunity else ()), *contact.tags)
    done = [prose.achievement(a.text, a.tags) for a in _ranked(profile, tags)]
    interests = (*tags, *(d.text for d in done), *(t for d in done for t in d.tags))
    ranked = prose.rank_points(
        raw_points, yours=[n for n in yours if n], others=[n for n in others if n],
        interests=interests,
    )  # fmt: skip
    done = _rotated(done, facts.sent)
    # The accomplishment that answers one of the two points a letter names goes first.
    tied = prose.tie(ranked[:2], done)
    if tied is not None:
        point, which = tied
        ranked = (ranked[point], *(p for i, p in enumerate(ranked) if i != point))
        done = [done[which], *(d for i, d in enumerate(done) if i != which)]
    points = [out.esc(prose.topic(p, [n for n in yours if n])) for p in ranked]
    achievements = [
        SimpleNamespace(
            text=out.esc(d.text),
            sentence=out.esc(d.sentence),
            also=out.esc(d.also),
            plain=out.esc(d.plain),
        )  # fmt: skip
        for d in done
    ]
    when = When(cause.date, today) if cause is not None else None
    helped = facts.helped[0] if facts.helped and item.rule != "close-the-loop" else None
    all_help = _distinct([_help_words(out, h, None, names.first or "") for h in facts.helped])
    if found is None:
        found = search(crm, today)
    return {
        "rule": item.rule,
        "channel": item.channel,
        "layout": layout,
        "short": layout in ("note", "message", "call"),
        "format": fmt,
        "date": long_date(today),
        "me": _me(out, profile, layout, them.warm),
        "them": them,
        "opportunity": _opportunity(out, opportunity),
        "job": _job(out, opportunity, contact),
        "cause": _cause(out, cause, today, item.contact),
        # "on November 2, 2026," inside a sentence; "on November 2, 2026" before a comma.
        "applied_on": str(When(facts.applied, today)) if facts.applied else None,
        "applied_end": When(facts.applied, today).end if facts.applied else None,
        "story": SimpleNamespace(
            met=facts.met,
            interviewed=facts.interviewed,
            panel=[out.esc(prose.person_name(n).formal) for n in facts.panel],
            sent=facts.sent,
            last=prose.period(facts.last.date, today) if facts.last else None,
            elapsed=_elapsed(facts.last.date, today) if facts.last else None,
        ),
        "variant": facts.sent,
        "specifics": [out.esc(s) for s in raw_points],
        "points": points,
        "tie": (
            SimpleNamespace(point=points[0], achievement=achievements[0])
            if tied is not None
            else None
        ),  # fmt: skip
        "accomplishments": [out.esc(a.text) for a in _ranked(profile, tags)],
        "achievements": achievements,
        "help": _help_words(out, helped, when, names.first or ""),
        "helped": all_help,
        "search": _search(out, found),
        "profile_file": PROFILE_FILE,
        # The plan: the rules this item's message took in.
        "merged": item.merged,
        # The role you accepted, once your search has ended (else None).
        "accepted": _opportunity(out, accepted),
        # The day you must answer the offer you hold, as a long date (else None).
        "offer_deadline": long_date(deadline) if deadline else None,
        "slot": out.slot,
        "strong": out.strong,
        "join": prose.join,
        "capitalized": prose.capitalized,
    }


def _opportunity(out: _Out, opportunity: Opportunity | None) -> SimpleNamespace | None:
    if opportunity is None:
        return None
    return SimpleNamespace(
        id=opportunity.id, role=out.esc(opportunity.role), company=out.esc(opportunity.company)
    )


def _cause(
    out: _Out, interaction: Interaction | None, today: dt.date, contact: str
) -> SimpleNamespace | None:
    if interaction is None:
        return None
    when = When(interaction.date, today)
    return SimpleNamespace(
        kind=interaction.kind,
        date=long_date(interaction.date),
        when=str(when),
        when_end=when.end,
        possessive=when.possessive,
        path=out.esc(interaction.source.path),
        channel=interaction.channel,
        specifics=[out.esc(s) for s in interaction.points_for(contact)],
    )


def _situation(loaded: Loaded, today: dt.date) -> tuple[Opportunity | None, dt.date | None]:
    """(what you accepted, once the search ended; the deadline of the offer you hold)."""
    crm = loaded.crm
    search = search_of(crm, today)
    accepted = None
    if search.accepted is not None and search.accepted.opportunity:
        accepted = crm.opportunities.get(search.accepted.opportunity)
    offer = open_offer(crm, today, search)
    deadline = crm.opportunities[offer.opportunity].offer_deadline if offer else None
    return accepted, deadline


def _interaction_at(crm: CRM, path: str | None) -> Interaction | None:
    if path is None:
        return None
    return next((i for i in crm.interactions if i.source.path == path), None)


def letter_notes(loaded: Loaded, item: FollowUp) -> tuple[tuple[str, str], ...]:
    """What ``draft`` says on standard error about a draft: ``(severity, message)`` pairs.

    A ``warning`` when their file lacks the address of the recommended
    channel (the draft has a slot for it), a ``note`` when the greeting is
    their full name, which a ``salutation`` would make personal.
    """
    contact = loaded.crm.contacts[item.contact]
    notes = []
    if item.channel == "other":  # nothing on file to send it with
        notes.append((
            "warning",
            f"{contact.source.path} has no email, postal address or phone: add one to "
            "send this letter",
        ))  # fmt: skip
    key = RECIPIENT_KEYS.get(item.channel)
    if key is not None and not getattr(contact, key[0]):
        notes.append((
            "warning",
            f"{contact.source.path} has no {key[1]} for this {item.channel} draft: "
            f"add '{key[0]}:' to it (the draft has a slot for it)",
        ))  # fmt: skip
    greet, personal = greeting(contact)
    if not personal:
        notes.append((
            "note",
            f"the draft greets them as 'Dear {greet},'; add 'salutation:' to "
            f"{contact.source.path} (such as their first name, or a title and surname) "
            "to make it personal",
        ))  # fmt: skip
    cause = _interaction_at(loaded.crm, item.cause.path if item.cause else None)
    for text, pronoun in _he_or_she_points(cause, item.contact):
        notes.append((
            "note",
            f"the letter is to {contact.name}, whose own talking point '{text}' "
            f"({cause.source.path}) says '{pronoun}': if that means {contact.name}, "
            f"write '{_SECOND_PERSON[pronoun.casefold()]}' there",
        ))  # fmt: skip
    return tuple(notes)


_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.IGNORECASE)
_SECOND_PERSON = {"he": "you", "she": "you", "him": "you", "her": "your", "his": "your",
                  "hers": "yours"}  # fmt: skip


def _he_or_she_points(interaction: Interaction | None, contact: str) -> list[tuple[str, str]]:
    """The points of ``contact``'s own in ``interaction`` (all of them when it was
    with them alone) that say he, she, her...: written down as notes about
    them, they read as someone else in a letter to them."""
    if interaction is None:
        return []
    alone = tuple(interaction.contacts) == (contact,)
    whose = interaction.specifics_for or (None,) * len(interaction.specifics)
    pairs = zip(interaction.specifics, whose, strict=False)
    found = (
        (text, _PRONOUN.search(text))
        for text, who in pairs
        if who == contact or (alone and who is None)
    )
    return [(text, match.group(0)) for text, match in found if match]


# --- rendering -----------------------------------------------------------------


def _template_error(exc: Exception, rule: str, root: Path) -> DraftError:
    """Name the template file and line of an error raised while rendering."""
    where = f"{TEMPLATES_FOLDER}/{template_name(rule)}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name}:{exc.lineno}"
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                where = f"{frame.filename}:{frame.lineno}"
                break
    # A template of the CRM is named like its other files: relative to the root.
    prefix = f"{Path(root).resolve().as_posix()}/"
    where = where.removeprefix(prefix)
    if isinstance(exc, UnicodeDecodeError):
        message = "it is not UTF-8 text"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = f"no template '{exc.name}' in {TEMPLATES_FOLDER}/"
    else:
        message = str(exc)
    return DraftError(f"{where}: error: the letter template failed: {message} [template]")


class _Letters:
    """One Jinja2 environment for many drafts (templates are compiled once)."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.env = environment(loaded.root, kind="text")
        self._has: dict[str, bool] = {}
        self._memo: dict[str, dict[str, str]] = {}
        self._search: dict[dt.date, Search] = {}
        self._situations: dict[dt.date, tuple[Opportunity | None, dt.date | None]] = {}

    def situation(self, today: dt.date) -> tuple[Opportunity | None, dt.date | None]:
        """``_situation`` once per day, not once per letter."""
        if today not in self._situations:
            self._situations[today] = _situation(self.loaded, today)
        return self._situations[today]

    def search(self, today: dt.date) -> Search:
        """The search on ``today``: the same for every letter of a build."""
        if today not in self._search:
            self._search[today] = search(self.loaded.crm, today)
        return self._search[today]

    def has(self, rule: str) -> bool:
        if rule not in self._has:
            self._has[rule] = self._exists(rule)
        return self._has[rule]

    def _exists(self, rule: str) -> bool:
        try:
            self.env.loader.get_source(self.env, template_name(rule))
        except jinja2.TemplateNotFound:
            return False
        except (OSError, UnicodeDecodeError):
            return True  # there is one; rendering reports what is wrong with it
        return True

    def render(self, profile, item, today, fmt, cause=_LOOK_UP) -> str:
        return self._render(letter_of(item), self._context(profile, item, today, fmt, cause), fmt)

    def render_with_email(self, profile, item, today, cause=_LOOK_UP) -> tuple[str, str]:
        """The letter as HTML, and as a plain-text e-mail (``To:``, ``Subject:``,
        the body): the same letter, or for another channel the e-mail version of it.

        One context serves both (building it is most of the work): the HTML
        and the text formats escape values alike, and only the layout and the
        parts it shapes (``me``, ``them``, the marks of gaps) are made again.
        """
        values = self._context(profile, item, today, "html", cause)
        letter = self._render(letter_of(item), values, "html")
        if item.channel == "email":  # the e-mail is the letter, as text
            return letter, _text_of(letter)
        out = _Out("text", self._memo.setdefault("text", {}))
        contact = self.loaded.crm.contacts[item.contact]
        them = _them(out, contact, "email")
        email = {
            **values,
            "channel": "email",
            "layout": "email",
            "short": False,
            "format": "text",
            "me": _me(out, profile, "email", them.warm),
            "them": them,
            "slot": out.slot,
            "strong": out.strong,
        }
        return letter, self._render(letter_of(item), email, "text")

    def _context(self, profile, item, today, fmt, cause) -> dict[str, object]:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        name = letter_of(item)
        if not item.contact or not self.has(name):
            raise DraftError(
                f"rule '{item.rule}' has no letter (it is a reminder, not a message); add "
                f"{TEMPLATES_FOLDER}/{template_name(name)} to your CRM to write one"
            )
        memo = self._memo.setdefault(fmt, {})
        return context(
            self.loaded, profile, item, today, fmt, cause=cause, memo=memo,
            found=self.search(today), situation=self.situation(today),
        )  # fmt: skip

    def _render(self, rule: str, values: Mapping[str, object], fmt: Format) -> str:
        try:
            text = self.env.get_template(template_name(rule)).render(values)
        except Exception as exc:  # noqa: BLE001 - a user's template can fail in any way
            raise _template_error(exc, rule, self.loaded.root) from None
        return finish(text, fmt)


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+\.)\s")


def finish(text: str, fmt: Format) -> str:
    """Tidy a rendered letter: no trailing spaces, at most one blank line.

    In Markdown every line break inside a paragraph becomes a hard break (two
    trailing spaces), so an address block stays one line per line; list items
    (a user's own template may have them) are left alone. In HTML (the
    letter of a page) each paragraph is a ``<p>``, each line break a
    ``<br />``, and all the text is escaped once, here.
    """
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    if fmt == "html":
        paragraphs = "\n".join(kept).split("\n\n")
        return "\n".join(
            "<p>" + "<br />\n".join(map(_html_line, block.split("\n"))) + "</p>"
            for block in paragraphs
        )
    if fmt == "md":
        prose_line = [bool(line) and not _LIST_ITEM.match(line) for line in kept]
        for i in range(len(kept) - 1):
            if prose_line[i] and prose_line[i + 1]:
                kept[i] += "  "
    return "\n".join(kept) + "\n"


def _text_of(letter: str) -> str:
    """The text of a letter ``finish`` made in HTML: what the text format gives."""
    text = letter.removeprefix("<p>").removesuffix("</p>")
    text = text.replace("</p>\n<p>", "\n\n").replace("<br />\n", "\n")
    return html.unescape(text.replace("<strong>", "").replace("</strong>", "")) + "\n"


def _html_line(line: str) -> str:
    escaped = html.escape(line)
    return escaped.replace(_STRONG_ON, "<strong>").replace(_STRONG_OFF, "</strong>")


def draft(
    loaded: Loaded, profile: Profile | None, item: FollowUp, today: dt.date, fmt: Format = "text"
) -> str:
    """The draft letter for ``item`` as plain text, Markdown, or a standalone HTML page.

    ``fmt="html"`` is the page the site has for the item, with its
    stylesheet inside, to open in a browser and print. Raises ``DraftError``
    when the rule has no letter template or the template is broken (the
    message names the template file and line).
    """
    letters = _Letters(loaded)
    if fmt == "html":
        letters.render(profile, item, today, "text")  # raises the DraftError, if any
        return letter_page(letters, profile, item, today, standalone=True)
    return letters.render(profile, item, today, fmt)


RULE_TITLES: Mapping[str, str] = {
    "thank-helper": "Thank-you for help",
    "interview-thank-you": "Interview thank-you",
    "rejection-follow-up": "Follow-up after a rejection",
    "resume-follow-up": "Follow-up on an application",
    "bridge-check-in": "Bridge check-in",
    "close-the-loop": "Thanks and the news",
    "keep-in-touch": "Keep in touch",
    "new-contact": "Follow-up after meeting someone",
    "withdraw": "Withdrawing, with thanks",
    "offer-period": "You have an offer",
    "reference": "Your reference",
}


def mailto(contact: Contact, email: str) -> str:
    """A ``mailto:`` URL (RFC 6068, percent-encoded) for the plain-text e-mail
    ``email`` (``To:`` and ``Subject:`` lines, then the body): to ``contact``'s
    address when their file has one, with the subject and the body."""
    lines = email.strip().splitlines()
    subject, start = "", 0
    for n, line in enumerate(lines[:2]):  # the e-mail layout starts "To:", "Subject:"
        if line.startswith("To:"):
            start = n + 1
        elif line.startswith("Subject:"):
            subject, start = line.removeprefix("Subject:").strip(), n + 1
    body = "\n".join(lines[start:]).strip("\n")
    address = (contact.email or "").strip()
    if not address.isprintable() or " " in address or "@" not in address:
        address = ""
    query = urlencode({"subject": subject, "body": body.replace("\n", "\r\n")}, quote_via=quote)
    return f"mailto:{quote(address, safe='@')}?{query}"


def letter_page(
    letters: _Letters,
    profile,
    item: FollowUp,
    today: dt.date,
    cause=_LOOK_UP,
    *,
    standalone: bool = False,
    back: str | None = BACK_TO_DUE,
) -> str:
    """A standalone HTML page with the draft; printing it gives the letter alone.

    Not a themed site page: a letter needs none of the site around it, and a
    few kilobytes a letter keep a site with thousands of open items small
    and fast to build. Its stylesheet is ``LETTER_STYLESHEET``, next to it
    (``LETTER_CSS``); a page saved without it still shows the whole letter
    and prints it alone. ``standalone`` puts the stylesheet and script inside
    the page (``draft --format html``). Above the letter, on screen only:
    "Back to due" (to ``back``; none standalone), "Open in e-mail"
    (``mailto``), and "Copy letter" and "Print" (shown by ``LETTER_JS``).
    """
    title = RULE_TITLES.get(item.rule, item.rule)
    contact = letters.loaded.crm.contacts[item.contact]
    info = f"Due {item.due:%Y-%m-%d} ({item.status}) · by {html.escape(item.channel)}" + (
        f"<br>{html.escape(item.reason)}" if item.reason else ""
    )
    try:
        letter, email = letters.render_with_email(profile, item, today, cause=cause)
        # Sanitized like every HTML fragment made from the records (outputs/sanitize.py).
        letter = sanitize(letter)
    except DraftError as exc:
        letter, email = f'<p class="fg-letter-error">{html.escape(str(exc))}</p>', None
    hint = "Edit it in your mail program or word processor, or print it: only the letter prints."
    if profile is None:
        hint += f" Add a {PROFILE_FILE} to fill in your name, address and accomplishments."
    heading = f"{html.escape(title)}: {html.escape(contact.name)}"
    style = (
        f"<style>\n{LETTER_CSS}</style>\n<script>\n{LETTER_JS}</script>\n"
        if standalone
        else f'<link rel="stylesheet" href="letter.css">\n{_PRINT_ALONE}'
        '<script src="letter.js" defer></script>\n'
    )
    actions = []
    if back and not standalone:
        actions.append(f'<a class="fg-letter-button" href="{html.escape(back)}">Back to due</a>')
    url = mailto(contact, email) if email is not None else ""
    if url:
        actions.append(
            f'<a class="fg-letter-button fg-letter-send" href="{html.escape(url)}">Open in e-mail</a>'
        )
    actions.append(
        '<button type="button" class="fg-letter-button" data-letter="copy" hidden>Copy letter</button>'
    )
    actions.append(
        '<button type="button" class="fg-letter-button" data-letter="print" hidden>Print</button>'
    )
    bar = f'<nav class="fg-letter-actions" aria-label="This letter">{"".join(actions)}</nav>'

    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n{style}"
        "</head>\n<body>\n"
        f'<header class="fg-screen-only fg-letter-info"><h1>{heading}</h1>'
        f"<p>{info}</p><p>{html.escape(hint)}</p>{bar}</header>\n"
        f'<article class="fg-letter">\n{letter}\n</article>\n</body>\n</html>\n'
    )


def with_letters(
    loaded: Loaded, items: Iterable[FollowUp], letters: _Letters | None = None
) -> list[FollowUp]:
    """The items that have a draft letter: a known contact and a letter
    template for their rule (shipped, or the CRM's own)."""
    letters = letters or _Letters(loaded)
    return [i for i in items if i.contact in loaded.crm.contacts and letters.has(letter_of(i))]


def letter_pages(
    loaded: Loaded,
    profile: Profile | None,
    evaluation: Evaluation,
    *,
    memo: dict[str, tuple[object, str]] | None = None,
    back: str = BACK_TO_DUE,
) -> dict[str, str]:
    """``{letters/<slug>.html: HTML}``: one draft page per open item with a letter.

    ``back`` is the due list's URL from a letter page (``../due.html`` for a
    site without MkDocs' directory URLs).

    ``memo`` (``{path: (inputs, page)}``, kept by the caller between builds
    whose templates did not change) gives back a page whose inputs (the item,
    the records its letter reads, your profile, the day) are unchanged
    instead of rendering it again; it is updated in place.
    """
    letters = _Letters(loaded)
    by_path = {i.source.path: i for i in loaded.crm.interactions}
    pages: dict[str, str] = {}
    for item in with_letters(loaded, evaluation.followups, letters):
        cause = by_path.get(item.cause.path) if item.cause else None
        path = letter_path(item)
        if memo is None:
            pages[path] = letter_page(letters, profile, item, evaluation.today, cause, back=back)
            continue
        inputs = (back, _letter_inputs(letters, profile, item, evaluation.today, cause))
        previous = memo.get(path)
        if previous is not None and previous[0] == inputs:
            pages[path] = previous[1]
            continue
        pages[path] = letter_page(letters, profile, item, evaluation.today, cause, back=back)
        memo[path] = (inputs, pages[path])
    if memo is not None:
        for gone in set(memo) - set(pages):
            del memo[gone]
    return pages


def _letter_inputs(letters: _Letters, profile, item: FollowUp, today: dt.date, cause) -> tuple:
    """Every value ``letter_page`` reads for ``item`` (see ``context``)."""
    crm = letters.loaded.crm
    opportunity = crm.opportunities.get(item.opportunity) if item.opportunity else None
    others = tuple(crm.contacts.get(c) for c in (cause.contacts if cause is not None else ()))
    return (
        item,
        today,
        profile,
        crm.contacts[item.contact],
        opportunity,
        cause,
        others,
        story(crm, item, cause, today),
        letters.search(today),
        letters.situation(today),
    )
