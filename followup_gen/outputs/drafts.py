"""What to say: a ready draft for an open follow-up, from templates you control.

Each rule that calls for a message has a Jinja2 template,
``site_templates/letters/<rule>.j2``; a file of the same name in the CRM's own
``site_templates/letters/`` wins (see ``templates.environment``). The template
gets the records already looked up (the contact, the opportunity, the
interaction that caused the item with its ``specifics``, your profile with the
accomplishments that match their tags first) and writes the letter for the
item's channel: a proper letter for ``mail`` (your address, the date, their
address block), a short note for ``handwritten`` (the date and their address,
for the envelope), a subject line for ``email``, a short message otherwise.

Every value from the user's files is escaped for the output format before a
template sees it, so templates are plain prose. In the Markdown format each
line break a template writes is kept as a hard line break (address blocks),
and a blank line starts a new paragraph. Anything the records do not say is a
marked slot such as ``[YOUR NAME]`` for the user to fill in.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Literal

import jinja2
import markdown

from followup_gen.load import Loaded
from followup_gen.load.profile import PROFILE_FILE, Profile
from followup_gen.records import Contact, Interaction, Opportunity
from followup_gen.rules.followup import Evaluation, FollowUp
from followup_gen.site.sanitize import sanitize
from followup_gen.site.templates import TEMPLATES_FOLDER, environment, escape_markdown

Format = Literal["text", "md"]
FORMATS: tuple[Format, ...] = ("text", "md")

# The rules that call for a message, in the order of a job search.
LETTER_RULES: tuple[str, ...] = (
    "thank-helper",
    "interview-thank-you",
    "rejection-follow-up",
    "resume-follow-up",
    "bridge-check-in",
    "close-the-loop",
    "keep-in-touch",
)
LETTERS_FOLDER = "letters"
# The letter pages' one stylesheet, next to them (linked, not inlined in each:
# thousands of letters would carry thousands of copies).
LETTER_STYLESHEET = f"{LETTERS_FOLDER}/letter.css"
LETTER_CSS = (Path(__file__).parent.parent / "site" / "assets" / "letter.css").read_text(encoding="utf-8")
# The little a page saved on its own (without letter.css) needs to print the
# letter alone, in letter type, on one sheet.
_PRINT_ALONE = (
    "<style>@media print{.fg-screen-only{display:none}"
    "body{margin:0;font:11pt/1.4 Georgia,serif}@page{margin:20mm 22mm}}</style>\n"
)

# Channel -> layout; any other channel (phone, linkedin, text, ...) is a short message.
LAYOUTS: Mapping[str, str] = {"mail": "letter", "handwritten": "note", "email": "email"}
# People you greet by first name.
CASUAL = frozenset({"family", "friend", "neighbor", "past-coworker", "personal-network"})
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# "Find the item's cause interaction yourself" (``None`` means there is none).
_LOOK_UP = object()


class DraftError(Exception):
    """A letter template is missing or broken; the message names the file and line."""


def template_name(rule: str) -> str:
    """The template of a rule's letter, relative to ``site_templates/``."""
    return f"{LETTERS_FOLDER}/{rule}.j2"


def letter_path(item: FollowUp) -> str:
    """The site page of an item's draft, stable from day to day.

    Only items whose rule has a letter template get a page: link to it when
    the path is among the keys ``letter_pages`` returns.
    """
    digest = hashlib.sha1(item.key.encode("utf-8")).hexdigest()[:8]
    return f"{LETTERS_FOLDER}/{item.rule}-{item.contact}-{digest}.html"


def long_date(day: dt.date) -> str:
    """``November 26, 2026`` (independent of the machine's locale)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


# --- escaping ----------------------------------------------------------------

_LIST_START = re.compile(r"([-+]|\d+[.)])(?=\s|$)")


def md_text(value: object) -> str:
    """One line of user text as Markdown that renders exactly as typed.

    ``escape_markdown`` (shared with the site) makes every inline syntax
    character a character reference; a value that lands at the start of a line
    could still open a list (``- x``, ``1. x``), so its first mark is escaped too.
    """
    escaped = str(escape_markdown(value))
    match = _LIST_START.match(escaped)
    if match:
        mark = match.group(1)
        escaped = "".join(f"&#{ord(c)};" for c in mark) + escaped[len(mark) :]
    return escaped


def _plain(value: object) -> str:
    return " ".join(str(value).split())


# --- context -------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)  # the same few gaps in every letter
def _slot(label: str, fmt: Format) -> str:
    if fmt == "md":
        return f"**&#91;{md_text(label)}&#93;**"
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
        return f"**{value}**" if self.fmt == "md" else value

    def lines(self, value: str | None) -> list[str]:
        return [self.esc(line.strip()) for line in (value or "").splitlines() if line.strip()]


def ordered_accomplishments(profile: Profile | None, tags: Iterable[str]) -> tuple[str, ...]:
    """Your accomplishments, those sharing a tag with ``tags`` first (else file order)."""
    if profile is None:
        return ()
    wanted = {t.lower() for t in tags}
    ranked = sorted(
        profile.accomplishments, key=lambda a: not wanted & {t.lower() for t in a.tags}
    )  # sorted() is stable: file order within each group
    return tuple(a.text for a in ranked)


def _me(out: _Out, profile: Profile | None, layout: str) -> SimpleNamespace:
    p = profile
    name = out.esc(p.name) if p and p.name else out.slot("YOUR NAME")
    address = out.lines(p.address) if p and p.address else [out.slot("YOUR POSTAL ADDRESS")]
    email = out.esc(p.email) if p and p.email else out.slot("YOUR EMAIL")
    phone = out.esc(p.phone) if p and p.phone else out.slot("YOUR PHONE")
    default_sign_off = "Sincerely," if layout == "letter" else "Best regards,"
    sign_off = out.esc(p.sign_off) if p and p.sign_off else default_sign_off
    return SimpleNamespace(
        name=name,
        address=address,
        email=email,
        phone=phone,
        sign_off=sign_off,
        # Your letterhead: name, address, then how to reach you.
        block=[name, *address, f"{email} · {phone}"],
    )


def _them(out: _Out, contact: Contact) -> SimpleNamespace:
    name = out.esc(contact.name)
    casual = contact.relationship in CASUAL
    greeting = out.esc(contact.name.split()[0]) if casual else name
    title = out.esc(contact.title) if contact.title else None
    company = out.esc(contact.company) if contact.company else None
    if contact.address:
        # People often write the whole envelope: skip the lines the block has
        # already, and when the address names the company, let it do so.
        def norm(x: str) -> str:
            return " ".join(x.split()).casefold()

        known = {norm(x) for x in (contact.name, contact.title) if x}
        lines = [x for x in contact.address.splitlines() if norm(x) not in known]
        if contact.company and any(norm(x).startswith(norm(contact.company)) for x in lines):
            company = None
        address = out.lines("\n".join(lines))
    else:
        address = [out.slot(f"THEIR POSTAL ADDRESS: add 'address' to {contact.source.path}")]
    return SimpleNamespace(
        id=contact.id,
        name=name,
        greeting=greeting,
        casual=casual,
        relationship=contact.relationship,
        title=title,
        company=company,
        address=address,
        email=out.esc(contact.email) if contact.email else None,
        # The inside address of a letter: name, title, company, postal address.
        block=[name, *(x for x in (title, company) if x), *address],
    )


def _opportunity(out: _Out, opportunity: Opportunity | None) -> SimpleNamespace | None:
    if opportunity is None:
        return None
    return SimpleNamespace(
        id=opportunity.id, role=out.esc(opportunity.role), company=out.esc(opportunity.company)
    )


def _cause(out: _Out, interaction: Interaction | None) -> SimpleNamespace | None:
    if interaction is None:
        return None
    return SimpleNamespace(
        kind=interaction.kind,
        date=long_date(interaction.date),
        path=out.esc(interaction.source.path),
        channel=interaction.channel,
        specifics=[out.esc(s) for s in interaction.specifics],
    )


def _applied_on(loaded: Loaded, opportunity: Opportunity | None) -> str | None:
    if opportunity is None:
        return None
    days = [i.date for i in loaded.crm.about(opportunity.id) if i.kind == "application"]
    return long_date(days[-1]) if days else None


def _interaction_at(loaded: Loaded, path: str | None) -> Interaction | None:
    if path is None:
        return None
    return next((i for i in loaded.crm.interactions if i.source.path == path), None)


def context(
    loaded: Loaded,
    profile: Profile | None,
    item: FollowUp,
    today: dt.date,
    fmt: Format = "text",
    *,
    cause: Interaction | None | object = _LOOK_UP,
    memo: dict[str, str] | None = None,
) -> dict[str, object]:
    """Everything a letter template can use (documented in docs/guide/drafts.md)."""
    out = _Out(fmt, {} if memo is None else memo)
    contact = loaded.crm.contacts[item.contact]
    opportunity = loaded.crm.opportunities.get(item.opportunity) if item.opportunity else None
    if cause is _LOOK_UP:  # letter_pages passes what it found, even None
        cause = _interaction_at(loaded, item.cause.path if item.cause else None)
    layout = LAYOUTS.get(item.channel, "message")
    specifics = cause.specifics if cause is not None else item.talking_points
    tags = (*(opportunity.tags if opportunity else ()), *contact.tags)
    return {
        "rule": item.rule,
        "channel": item.channel,
        "layout": layout,
        "short": layout in ("note", "message"),
        "format": fmt,
        "date": long_date(today),
        "me": _me(out, profile, layout),
        "them": _them(out, contact),
        "opportunity": _opportunity(out, opportunity),
        "cause": _cause(out, cause),
        "applied_on": _applied_on(loaded, opportunity),
        "specifics": [out.esc(s) for s in specifics],
        "accomplishments": [out.esc(a) for a in ordered_accomplishments(profile, tags)],
        "profile_file": PROFILE_FILE,
        "slot": out.slot,
        "strong": out.strong,
    }


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
        self._markdown = markdown.Markdown()  # one converter for every letter page

    def html(self, text: str) -> str:
        """A draft's Markdown as HTML (the same HTML as Python-Markdown's)."""
        simple = simple_html(text)
        return simple if simple is not None else self._markdown.reset().convert(text)

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
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        if not self.has(item.rule):
            raise DraftError(
                f"rule '{item.rule}' has no letter (it is a reminder, not a message); add "
                f"{TEMPLATES_FOLDER}/{template_name(item.rule)} to your CRM to write one"
            )
        memo = self._memo.setdefault(fmt, {})
        values = context(self.loaded, profile, item, today, fmt, cause=cause, memo=memo)
        try:
            text = self.env.get_template(template_name(item.rule)).render(values)
        except Exception as exc:  # noqa: BLE001 - a user's template can fail in any way
            raise _template_error(exc, item.rule, self.loaded.root) from None
        return finish(text, fmt)


# What a letter's Markdown is made of almost always: paragraphs with hard
# line breaks, "- " lists, **strong** text and character references (every
# user value is escaped to those). Anything else goes to Python-Markdown.
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_OTHER_SYNTAX = re.compile(
    r"[*_`\[\]<>\\&!#|~{}\x00-\x1f\x7f]|[^\S ]|^[ =+*>-]|^[0-9]+[.)]|  \S|\s$", re.M
)


@functools.lru_cache(maxsize=8192)  # letters share most of their lines
def _inline(line: str) -> str | None:
    if "*" not in line and "&" not in line:
        return None if _OTHER_SYNTAX.search(line) else line
    html_line = _STRONG.sub(r"<strong>\1</strong>", line)
    rest = _REFERENCE.sub("x", _STRONG.sub(r"\1", line))  # a reference is a character
    return None if _OTHER_SYNTAX.search(rest) else html_line


def simple_html(text: str) -> str | None:
    """``text`` as HTML when it uses only what letters use, else None.

    Paragraphs (a line ending in two spaces breaks the line), blocks of
    ``- `` list items, ``**strong**`` and character references give the
    HTML Python-Markdown gives for them, in a fraction of its time; any
    other Markdown (or anything that could be) returns None.
    """
    out: list[str] = []
    previous_list = False
    for block in text.strip("\n").split("\n\n"):
        converted, is_list = _block_html(block)
        if converted is None or (is_list and previous_list):
            return None  # a blank line inside a list makes it "loose"
        out.append(converted)
        previous_list = is_list
    return "\n".join(out)


@functools.lru_cache(maxsize=8192)  # letters share most of their paragraphs
def _block_html(block: str) -> tuple[str | None, bool]:
    """One block of ``simple_html`` as HTML (None: not simple), and whether it is a list."""
    lines = block.split("\n")
    if all(line.startswith("- ") for line in lines):
        items = [_inline(line[2:]) for line in lines]
        if any(item is None or item.strip() != item or not item for item in items):
            return None, True  # other syntax, or spaces Python-Markdown keeps
        return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>", True
    parts = []
    for number, line in enumerate(lines):
        last = number == len(lines) - 1
        body = line.rstrip(" ")
        # Exactly two trailing spaces make a line break; more are kept.
        broken = len(line) - len(body) == 2 and not last
        if not body or (line != body and not broken):
            return None, False
        converted = _inline(body)
        if converted is None:
            return None, False
        parts.append(converted + ("<br />" if broken else ""))
    return "<p>" + "\n".join(parts) + "</p>", False


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+\.)\s")


def finish(text: str, fmt: Format) -> str:
    """Tidy a rendered letter: no trailing spaces, at most one blank line.

    In Markdown every line break inside a paragraph becomes a hard break (two
    trailing spaces), so an address block stays one line per line; list items
    are left alone.
    """
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    if fmt == "md":
        prose = [bool(line) and not _LIST_ITEM.match(line) for line in kept]
        for i in range(len(kept) - 1):
            if prose[i] and prose[i + 1]:
                kept[i] += "  "
    return "\n".join(kept) + "\n"


def draft(
    loaded: Loaded, profile: Profile | None, item: FollowUp, today: dt.date, fmt: Format = "text"
) -> str:
    """The draft letter for ``item`` as plain text (``fmt="text"``) or Markdown.

    Raises ``DraftError`` when the rule has no letter template or the template
    is broken (the message names the template file and line).
    """
    return _Letters(loaded).render(profile, item, today, fmt)


RULE_TITLES: Mapping[str, str] = {
    "thank-helper": "Thank-you for help",
    "interview-thank-you": "Interview thank-you",
    "rejection-follow-up": "Follow-up after a rejection",
    "resume-follow-up": "Follow-up on an application",
    "bridge-check-in": "Bridge check-in",
    "close-the-loop": "Thanks and the news",
    "keep-in-touch": "Keep in touch",
}


def letter_page(letters: _Letters, profile, item: FollowUp, today: dt.date, cause=_LOOK_UP) -> str:
    """A standalone HTML page with the draft; printing it gives the letter alone.

    Not a themed site page: a letter needs none of the site around it, and a
    few kilobytes a letter keep a site with thousands of open items small
    and fast to build. Its stylesheet is ``LETTER_STYLESHEET``, next to it
    (``LETTER_CSS``); a page saved without it still shows the whole letter
    and prints it alone.
    """
    title = RULE_TITLES.get(item.rule, item.rule)
    contact = letters.loaded.crm.contacts[item.contact]
    info = f"Due {item.due:%Y-%m-%d} ({item.status}) · by {html.escape(item.channel)}" + (
        f"<br>{html.escape(item.reason)}" if item.reason else ""
    )
    try:
        # Sanitized like every HTML fragment made from the records (site/sanitize.py).
        letter = sanitize(letters.html(letters.render(profile, item, today, "md", cause=cause)))
    except DraftError as exc:
        letter = f'<p class="fg-letter-error">{html.escape(str(exc))}</p>'
    hint = "Edit it in your mail program or word processor, or print this page: only the letter prints."
    if profile is None:
        hint += f" Add a {PROFILE_FILE} to fill in your name, address and accomplishments."
    heading = f"{html.escape(title)}: {html.escape(contact.name)}"
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{heading}</title>\n<link rel="stylesheet" href="letter.css">\n{_PRINT_ALONE}'
        "</head>\n<body>\n"
        f'<header class="fg-screen-only fg-letter-info"><h1>{heading}</h1>'
        f"<p>{info}</p><p>{html.escape(hint)}</p></header>\n"
        f'<article class="fg-letter">\n{letter}\n</article>\n</body>\n</html>\n'
    )


def letter_pages(
    loaded: Loaded,
    profile: Profile | None,
    evaluation: Evaluation,
    *,
    memo: dict[str, tuple[object, str]] | None = None,
) -> dict[str, str]:
    """``{letters/<slug>.html: HTML}``: one draft page per open item with a letter.

    ``memo`` (``{path: (inputs, page)}``, kept by the caller between builds
    whose templates did not change) gives back a page whose inputs (the item,
    the records its letter reads, your profile, the day) are unchanged
    instead of rendering it again; it is updated in place.
    """
    letters = _Letters(loaded)
    by_path = {i.source.path: i for i in loaded.crm.interactions}
    pages: dict[str, str] = {}
    for item in evaluation.followups:
        if item.contact not in loaded.crm.contacts or not letters.has(item.rule):
            continue
        cause = by_path.get(item.cause.path) if item.cause else None
        path = letter_path(item)
        if memo is None:
            pages[path] = letter_page(letters, profile, item, evaluation.today, cause)
            continue
        inputs = _letter_inputs(loaded, profile, item, evaluation.today, cause)
        previous = memo.get(path)
        if previous is not None and previous[0] == inputs:
            pages[path] = previous[1]
            continue
        pages[path] = letter_page(letters, profile, item, evaluation.today, cause)
        memo[path] = (inputs, pages[path])
    if memo is not None:
        for gone in set(memo) - set(pages):
            del memo[gone]
    return pages


def _letter_inputs(loaded: Loaded, profile, item: FollowUp, today: dt.date, cause) -> tuple:
    """Every value ``letter_page`` reads for ``item`` (see ``context``)."""
    opportunity = loaded.crm.opportunities.get(item.opportunity) if item.opportunity else None
    return (
        item,
        today,
        profile,
        loaded.crm.contacts[item.contact],
        opportunity,
        cause,
        _applied_on(loaded, opportunity),
    )
