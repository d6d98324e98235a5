"""The site's pages: ``pages(loaded, evaluation) -> {path: Markdown}``.

One function makes every generated page, for both the MkDocs plugin and
``followup-gen build``: the dashboard (``index.md``), the due list, bridges,
stalled opportunities, the pipeline and one page per opportunity, the
contacts index and one page per contact, tags, problems and the rules. Paths
are POSIX paths relative to the output folder; links between pages are
relative, so the folder can sit anywhere in a docs dir.

The work is done once per build, not per page: follow-ups, bridges and
opportunities are grouped by contact up front, so each page only renders
what it shows. Output is deterministic: the same CRM and day give the same
bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import json
import posixpath
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from followup_gen.load import Loaded, load_crm
from followup_gen.load.profile import PROFILE_FILE, load_profile
from followup_gen.load.schema import SLUG
from followup_gen.load.settings import SETTINGS_FILE, Settings
from followup_gen.outputs.calendar import calendar
from followup_gen.outputs.closing import Closing, closings
from followup_gen.outputs.drafts import (
    BACK_TO_DUE,
    LETTER_CSS,
    LETTER_JS,
    LETTER_SCRIPT,
    LETTER_STYLESHEET,
    RULE_TITLES,
    letter_pages,
    letter_path,
)
from followup_gen.outputs.templates import (
    TEMPLATES_FOLDER,
    default_templates,
    environment,
    escape_markdown,
    notes_converter,
    render_notes,
)
from followup_gen.problems import Problem, error, sort_problems
from followup_gen.records import (
    CRM,
    STAGE_GROUPS,
    Contact,
    Interaction,
    Opportunity,
    group_of,
    people_of,
    stage,
)
from followup_gen.rules import keep_in_touch
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import STATUSES, Bridge, Evaluation, FollowUp, Stalled
from followup_gen.rules.keep_in_touch import cadence_of
from followup_gen.site.repository import Repository

# The pages that go in the navigation, in order: (section or None, path, title).
NAV: tuple[tuple[str | None, str, str], ...] = (
    (None, "index.md", "Dashboard"),
    ("Follow-ups", "due.md", "Due"),
    ("Follow-ups", "bridges.md", "Bridges"),
    ("Follow-ups", "stalled.md", "Stalled"),
    (None, "opportunities/index.md", "Opportunities"),
    ("Contacts", "contacts/index.md", "Contacts"),
    ("Contacts", "tags.md", "Tags"),
    ("Guide", "rules.md", "Rules"),
    (None, "problems.md", "Problems"),
)
GUIDE_SECTION = "Guide"
CALENDAR = "followups.ics"
# The due list details this many overdue (and due-now) items; the rest are
# counted by rule there and detailed on each contact's page, so a backlog of
# thousands stays a page one can read (and build) quickly.
DUE_DETAILED = 20
# The due inbox lists this many rows (overdue first); the rest are counted by
# rule and listed on their contacts' pages.
INBOX_ROWS = 100
# What each rule asks for, in a few words: the "what" of an inbox row.
SHORT_TITLES: Mapping[str, str] = {**RULE_TITLES, "business-card": "Ask for a business card"}
# The pages made once per site, and their templates.
SUMMARY_PAGES: tuple[tuple[str, str], ...] = (
    ("due.md", "due.md.j2"),
    ("bridges.md", "bridges.md.j2"),
    ("stalled.md", "stalled.md.j2"),
    ("opportunities/index.md", "opportunities.md.j2"),
    ("contacts/index.md", "contacts.md.j2"),
    ("tags.md", "tags.md.j2"),
    ("problems.md", "problems.md.j2"),
    ("index.md", "dashboard.md.j2"),
)

ICONS: Mapping[str, str] = {
    # statuses
    "overdue": "material-alert-circle",
    "due": "material-clock-alert-outline",
    "upcoming": "material-calendar-clock",
    # channels
    "email": "material-email-outline",
    "mail": "material-mailbox-outline",
    "handwritten": "material-fountain-pen-tip",
    "phone": "material-phone",
    "video": "material-video-outline",
    "in-person": "material-account-multiple",
    "linkedin": "material-linkedin",
    "text": "material-message-text-outline",
    "other": "material-dots-horizontal",
    # pipeline groups and stages
    "lead": "material-lightbulb-outline",
    "applied": "material-send",
    "interviewing": "material-account-voice",
    "on-hold": "material-pause-circle-outline",
    "offer": "material-trophy-outline",
    "closed": "material-archive-outline",
    "accepted": "material-check-decagram",
    "rejected": "material-close-circle-outline",
    "withdrawn": "material-undo",
    # things
    "contact": "material-account",
    "opportunity": "material-briefcase-outline",
    "bridge": "material-bridge",
    "stalled": "material-timer-sand",
    "error": "material-close-octagon",
    "warning": "material-alert",
    "clean": "material-check-circle-outline",  # no problems
    "draft": "material-file-document-edit-outline",
    "calendar": "material-calendar-sync",
}
_SAFE_SCHEMES = ("http", "https", "mailto")
_PHONE_JUNK = re.compile(r"[^0-9+]")


def icon_stylesheet() -> str:
    """CSS drawing each of ``ICONS`` from Material's own icon files (its SVG as
    a mask in the text's colour), for the spans ``Renderer.icon`` writes."""
    rules = [
        "/* The icons of the generated pages (Material Design Icons, Apache-2.0). */",
        ".md-typeset .fg-i { width: var(--md-icon-size); background-color: currentcolor;"
        " -webkit-mask: var(--fg-icon) center / contain no-repeat;"
        " mask: var(--fg-icon) center / contain no-repeat; }",
    ]
    try:
        from importlib.resources import files

        folder = files("material") / "templates" / ".icons"
    except ImportError:  # pragma: no cover - another theme: no icons, the text stays
        return "\n".join(rules) + "\n"
    for name, shortcode in ICONS.items():
        family, _, icon = shortcode.partition("-")
        try:
            svg = (folder / family / f"{icon}.svg").read_text(encoding="utf-8")
        except OSError:
            continue
        data = "".join(svg.split("\n")).replace('"', "'")
        for raw, encoded in (("%", "%25"), ("#", "%23"), ("<", "%3C"), (">", "%3E")):
            data = data.replace(raw, encoded)
        rules.append(f'.fg-i-{name} {{ --fg-icon: url("data:image/svg+xml,{data}"); }}')
    return "\n".join(rules) + "\n"


def contact_path(contact_id: str) -> str:
    """The page of a contact: ``contacts/<id>.md``."""
    return f"contacts/{_page_name(contact_id)}.md"


def opportunity_path(opportunity_id: str) -> str:
    """The page of an opportunity: ``opportunities/<id>.md``."""
    return f"opportunities/{_page_name(opportunity_id)}.md"


def _page_name(record_id: str) -> str:
    # Validation only lets slugs through; this keeps a page inside the output
    # folder even if a record was built by hand with a hostile id.
    if not SLUG.match(record_id):
        raise ValueError(f"not a safe page id: {record_id!r}")
    # `index` is the folder's table; no slug starts with `_`.
    return "_index" if record_id == "index" else record_id


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML string, in ASCII.

    JSON's quoting is YAML's, except that JSON writes a character beyond
    U+FFFF (an emoji) as a surrogate pair, which YAML rejects: MkDocs would
    then show the page's whole front matter as text. Those get YAML's
    ``\\U`` escape instead.
    """
    quoted = json.dumps(text, ensure_ascii=False)  # escapes only controls, " and \\
    return "".join(
        c if c < "\x7f" else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
        for c in quoted
    )


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) or mailto address, else None."""
    if not url:
        return None
    cleaned = url.strip()
    # Only ASCII space is both printable and space; any other space or
    # control character makes the address unsafe.
    if not cleaned.isprintable() or " " in cleaned:
        return None
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return None
    return cleaned if scheme in _SAFE_SCHEMES else None


@dataclass(frozen=True)
class Site:
    """Everything the templates read, computed once per build."""

    crm: CRM
    evaluation: Evaluation
    title: str
    problems: tuple[Problem, ...]
    stages: Mapping[str, str]
    followups: tuple[FollowUp, ...]
    by_status: Mapping[str, tuple[FollowUp, ...]]
    followups_of_contact: Mapping[str, tuple[FollowUp, ...]]
    held_of_contact: Mapping[str, tuple[FollowUp, ...]]
    followups_of_opportunity: Mapping[str, tuple[FollowUp, ...]]
    bridge_of_contact: Mapping[str, Bridge]
    stalled_of_opportunity: Mapping[str, Stalled]
    opportunities_of_contact: Mapping[str, tuple[str, ...]]
    rules: tuple[Mapping[str, object], ...] = ()
    settings: Settings = Settings()
    # How each open item is marked done, by FollowUp.key.
    closing: Mapping[str, Closing] = dataclasses.field(default_factory=dict)
    # Where the CRM's files are, for edit and "log it on GitHub" links (None: no links).
    repository: Repository | None = None

    @property
    def today(self) -> dt.date:
        return self.evaluation.today

    def coming_up(self) -> tuple[tuple[FollowUp, ...], int]:
        """Upcoming items within the ``site.upcoming_days`` setting, and how many come later."""
        horizon = self.today + dt.timedelta(days=self.settings.site.upcoming_days)
        items = self.by_status["upcoming"]
        soon = tuple(f for f in items if f.due <= horizon)
        return soon, len(items) - len(soon)

    @staticmethod
    def by_rule(items: Iterable[FollowUp]) -> tuple[tuple[str, tuple[FollowUp, ...]], ...]:
        """``items`` grouped by rule, the largest group first (then by rule id)."""
        grouped = _group((f.rule, f) for f in items)
        return tuple(sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def cadence(self, contact: Contact) -> int | None:
        """The contact's keep-in-touch interval in days (None: no check-ins)."""
        sent = sum(i.kind == "check-in" for i in self.crm.with_contact(contact.id))
        return cadence_of(contact, self.settings.rule(keep_in_touch.ID), sent)

    def last_contact(self, contact_id: str) -> dt.date | None:
        history = self.crm.with_contact(contact_id)
        return history[-1].date if history else None

    def broken_files(self) -> tuple[str, ...]:
        """The files with errors: what depends on them is missing from the site."""
        return tuple(sorted({p.file for p in self.problems if p.severity == "error"}))

    def incomplete(self, kind: str, record_id: str) -> bool:
        """Whether a record's page may miss something (it names a file with errors)."""
        return (kind, record_id) in self.crm.incomplete

    def next_followup(self, contact_id: str) -> FollowUp | None:
        items = self.followups_of_contact.get(contact_id, ())
        return min(items, key=lambda f: (f.due, f.sort_key())) if items else None

    def opportunity_contacts(self, opportunity: Opportunity) -> tuple[str, ...]:
        people = dict.fromkeys(opportunity.contacts)
        for interaction in self.crm.about(opportunity.id):
            people.update(dict.fromkeys(interaction.contacts))
        return tuple(c for c in people if c in self.crm.contacts)

    def pipeline(self) -> tuple[tuple[str, tuple[Opportunity, ...]], ...]:
        groups = {name: [] for name, _ in STAGE_GROUPS}
        for opportunity in self.crm.opportunities.values():
            groups[group_of(self.stages[opportunity.id])].append(opportunity)
        return tuple((name, tuple(items)) for name, items in groups.items())

    def last_activity(self, opportunity_id: str) -> dt.date | None:
        history = self.crm.about(opportunity_id)
        return history[-1].date if history else None


def _relative(folder: str, target: str) -> Markup:
    path, hash_, anchor = target.partition("#")
    head, _, name = path.rpartition("/")
    if path.startswith("/") or name in ("", ".", ".."):
        return Markup(posixpath.relpath(path, folder or ".") + hash_ + anchor)
    # Thousands of targets, few folders: relpath once per pair of folders.
    up = _relative_folder(folder, head)
    return Markup((name if up == "." else f"{up}/{name}") + hash_ + anchor)


@functools.lru_cache(maxsize=1024)
def _relative_folder(folder: str, target_folder: str) -> str:
    return posixpath.relpath(target_folder or ".", folder or ".")


def _link(folder: str, target: str, text: object) -> Markup:
    return Markup(f"[{escape_markdown(text)}]({_relative(folder, target)})")


def _group(items: Iterable[tuple[str, object]]) -> dict[str, tuple]:
    grouped: dict[str, list] = {}
    for key, item in items:
        grouped.setdefault(key, []).append(item)
    return {key: tuple(values) for key, values in grouped.items()}


def rule_docs() -> tuple[Mapping[str, object], ...]:
    """Each registered rule's id, title, documentation and default settings."""
    from followup_gen.rules import RULES

    docs = []
    for rule in RULES:
        doc = rule.doc.strip()
        title, _, body = doc.partition("\n")
        defaults = rule.settings()
        settings = tuple((f.name, getattr(defaults, f.name)) for f in dataclasses.fields(defaults))
        docs.append(
            {"id": rule.id, "title": title.strip(), "body": body.strip(), "settings": settings}
        )
    return tuple(docs)


def make_site(loaded: Loaded, evaluation: Evaluation, repository: Repository | None = None) -> Site:
    """Group the evaluation by contact and opportunity, once."""
    crm = loaded.crm
    followups = tuple(sorted(evaluation.followups, key=FollowUp.sort_key))
    opportunities_of: dict[str, dict[str, None]] = {}
    for opportunity in crm.opportunities.values():
        for contact in people_of(crm, opportunity):
            opportunities_of.setdefault(contact, {})[opportunity.id] = None
    return Site(
        crm=crm,
        evaluation=evaluation,
        title=loaded.settings.site.title,
        problems=sort_problems((*loaded.problems, *evaluation.problems)),
        stages={o.id: stage(crm, o) for o in crm.opportunities.values()},
        followups=followups,
        by_status={s: tuple(f for f in followups if f.status == s) for s in STATUSES},
        followups_of_contact=_group((f.contact, f) for f in followups),
        held_of_contact=_group((f.contact, f) for f in evaluation.held),
        followups_of_opportunity=_group((f.opportunity, f) for f in followups if f.opportunity),
        bridge_of_contact={b.contact: b for b in evaluation.bridges},
        stalled_of_opportunity={s.opportunity: s for s in evaluation.stalled},
        opportunities_of_contact={c: tuple(o) for c, o in opportunities_of.items()},
        rules=rule_docs(),
        settings=loaded.settings,
        closing=closings(crm, followups),
        repository=repository,
    )


class Renderer:
    """Renders one page template with the helpers the templates use."""

    def __init__(self, root: Path | str | None, site: Site, env=None) -> None:
        self.site = site
        self.env = env if env is not None else environment(root, "markdown")
        self.problems: list[Problem] = []
        self.root = Path(root) if root is not None else None
        self.letters: frozenset[str] = frozenset()
        self.folder = ""  # of the page being rendered
        # The links to records made so far, by (folder of the page, id): a
        # name is linked from hundreds of pages, all in two folders.
        self._contact_links: dict[tuple[str, str], Markup] = {}
        self._opportunity_links: dict[tuple[str, str], Markup] = {}
        self._interaction_heads: dict[tuple, str] = {}
        self._rule_titles: dict[str, str] = {}
        # The helpers used on every line are filters too (`{{ item.due | when }}`):
        # Jinja calls a filter directly, a function through its context.
        hot = {
            "icon": self.icon,
            "contact": self.contact,
            "contacts": self.contacts,
            "opportunity": self.opportunity,
            "interaction_heading": self.interaction_heading,
            "followup_links": self.followup_links,
            "notes": functools.partial(render_notes, notes_converter()),
            "lines": self.lines,
            "when": self.when,
            "rule_title": self.rule_title,
            "what": self.what,
            "done_line": self.done_line,
        }
        self.env.filters.update(hot)
        self.env.globals.update(
            hot,
            site=site,
            problems=site.problems,
            link=self.link,
            href=self.href,
            external=self.external,
            upcoming_days=site.settings.site.upcoming_days,
            detailed=DUE_DETAILED,
            inbox_rows=INBOX_ROWS,
            copy=self.copy,
            tel=self.tel,
            edit_link=self.edit_link,
            repository_link=self.repository_link,
            letter=self.letter,
            meta=self.meta,
            contact_path=contact_path,
            opportunity_path=opportunity_path,
        )

    def render(self, template: str, path: str, **context: object) -> str:
        # The helpers link from here (rather than read `page` from the
        # template's context: a context-taking helper called in a loop
        # that sets a variable makes Jinja copy the context for each call).
        self.folder = posixpath.dirname(path)
        try:
            text = self.env.get_template(template).render(page=path, **context)
        except Exception as exc:  # noqa: BLE001 - a user's template may raise anything
            self.problems.append(self._template_problem(template, exc))
            return (
                "# This page could not be made\n\n"
                f"The template {template} has an error; see Problems.\n"
            )
        # Tidy: at most one blank line in a row, one newline at the end
        # (str.replace: a tenth of the time of a regex on a large page).
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text.strip() + "\n"

    def _template_problem(self, template: str, exc: Exception) -> Problem:
        """Point at the template file and line where rendering failed."""
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith(".j2"):
                filename, line = frame.filename, frame.lineno
        where = Path(filename) if filename else Path(TEMPLATES_FOLDER, template)
        try:
            shown = where.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, AttributeError):
            shown = f"{TEMPLATES_FOLDER}/{where.name} (the default)"
        if isinstance(exc, RecursionError):
            message = "template error: it includes or calls itself without end"
        elif isinstance(exc, jinja2.TemplateError):
            message = f"template error: {exc.message or type(exc).__name__}"
        else:
            message = f"template error: {type(exc).__name__}: {exc}"
        return error(shown, line, "bad-template", message)

    @staticmethod
    @functools.lru_cache(maxsize=256)  # a few dozen icons, on every line
    def icon(name: str, css: str = "") -> Markup:
        """The icon of a status, channel, stage or thing: an empty ``<span>``
        that ``icon_stylesheet()`` draws (one copy of each icon per site, not
        an inline SVG per use); ``css`` adds classes (``.lg .middle``)."""
        if name not in ICONS:
            return Markup("")
        extra = "".join(f" {c.lstrip('.')}" for c in css.split())
        return Markup(f'<span class="twemoji fg-i fg-i-{name} fg-{name}{extra}"></span>')

    def link(self, target: str, text: object) -> Markup:
        """A Markdown link from the current page to another generated page."""
        return _link(self.folder, target, text)

    def href(self, target: str) -> Markup:
        """The relative URL of another generated page from the current one."""
        return _relative(self.folder, target)

    def contact(self, contact_id: str) -> Markup:
        """The contact's name linked to their page (just the id when unknown)."""
        key = (self.folder, contact_id)
        made = self._contact_links.get(key)
        if made is None:
            person = self.site.crm.contacts.get(contact_id)
            if person is None:
                made = escape_markdown(contact_id)
            else:
                made = _link(key[0], contact_path(contact_id), person.name)
            self._contact_links[key] = made
        return made

    def contacts(self, contact_ids: Iterable[str], without: str | None = None) -> Markup:
        """``contact()`` of each id but ``without`` (the page's own), joined by commas."""
        return Markup(", ".join([self.contact(c) for c in contact_ids if c != without]))

    def opportunity(self, opportunity_id: str) -> Markup:
        """ "Company — role" linked to the opportunity's page."""
        key = (self.folder, opportunity_id)
        made = self._opportunity_links.get(key)
        if made is None:
            job = self.site.crm.opportunities.get(opportunity_id)
            if job is None:
                made = escape_markdown(opportunity_id)
            else:
                target = opportunity_path(opportunity_id)
                made = _link(key[0], target, f"{job.company} — {job.role}")
            self._opportunity_links[key] = made
        return made

    def interaction_heading(
        self,
        interaction: Interaction,
        here_contact: str | None = None,
        here_opportunity: str | None = None,
    ) -> Markup:
        """The first line of a timeline entry (one call instead of a dozen
        template expressions, on every entry of every timeline):
        ``**2026-11-19 14:00 · Interview** · by video · with [Ann](…) · [Acme — role](…)``,
        leaving out ``here_contact`` and ``here_opportunity`` (the page's own)."""
        time = interaction.time
        # The part that names no record recurs: made once per build.
        key = (interaction.date, time, time and time.tzinfo, interaction.kind, interaction.channel)
        line = self._interaction_heads.get(key)
        if line is None:
            show = self.env.finalize  # escapes for Markdown, remembering repeated values
            line = f"**{show(interaction.date)}"
            if time:
                line += f" {show(time.strftime('%H:%M'))}"
            line += f" · {escape_markdown(str(interaction.kind).replace('-', ' ')).capitalize()}**"
            if interaction.channel:
                line += f" · by {show(interaction.channel)}"
            self._interaction_heads[key] = line
        others = self.contacts(interaction.contacts, here_contact)
        if others:
            line += f" · with {others}"
        if interaction.opportunity and interaction.opportunity != here_opportunity:
            line += f" · {self.opportunity(interaction.opportunity)}"
        return Markup(line)

    def followup_links(self, item: FollowUp, show_opportunity: bool = True) -> Markup:
        """The links at the end of a follow-up's due line (one call instead of a
        dozen template expressions, on every item of every list):
        `` · [Acme — role](…) · rule [keep-in-touch](…) · [Draft letter](…)``, each
        after its icon; the opportunity only when ``show_opportunity``."""
        show = self.env.finalize  # escapes for Markdown, remembering repeated values
        line = ""
        if item.opportunity and show_opportunity:
            line += f" · {self.icon('opportunity')} {self.opportunity(item.opportunity)}"
        rule = show(item.rule)
        line += f" · rule [{rule}]({self.href('rules.md')}#{rule})"
        draft = self.letter(item)
        if draft:
            line += f" · {self.icon('draft')} {draft}"
        return Markup(line)

    @staticmethod
    def external(url: str | None, text: object = None) -> Markup:
        """An http(s)/mailto link as HTML; anything else is shown as text."""
        if not url:
            return Markup("")
        safe = safe_url(url)
        label = escape_markdown(text if text is not None else url)
        if safe is None:
            return label
        return Markup(f'<a href="{html.escape(safe, quote=True)}">{label}</a>')

    def letter(self, item: FollowUp, text: str = "Draft letter") -> Markup:
        """A link to the item's draft letter page, when there is one."""
        path = letter_path(item)
        if path not in self.letters:
            return Markup("")
        return self.link(path, text)

    @staticmethod
    def copy(text: str, label: str = "Copy") -> Markup:
        """A button that copies ``text`` (inbox.js shows it; without the
        script it stays hidden, and the text is on the page to select)."""
        value = escape_markdown(text)
        return Markup(
            f'<button type="button" class="fg-copy" data-copy="{value}" '
            f'title="Copy: {value}" hidden>{escape_markdown(label)}</button>'
        )

    @staticmethod
    def tel(phone: str | None) -> Markup:
        """A phone number as a ``tel:`` link (its digits and a leading +, up to any
        extension), shown as typed."""
        if not phone:
            return Markup("")
        number = re.split(r"[A-Za-z]", phone, maxsplit=1)[0]  # not "ext. 4"
        digits = _PHONE_JUNK.sub("", number)
        digits = digits[:1] + digits[1:].replace("+", "")
        if len(digits.lstrip("+")) < 3:
            return escape_markdown(phone)
        return Markup(f'<a href="tel:{digits}">{escape_markdown(phone)}</a>')

    def edit_link(self, path: str, text: str = "Edit this file") -> Markup:
        """A link to edit the CRM file ``path`` in its repository ("" without one)."""
        repo = self.site.repository
        if repo is None:
            return Markup("")
        return Markup(f"[{escape_markdown(text)}]({repo.edit_url(path)})")

    def repository_link(self, item: FollowUp) -> Markup:
        """ "Log it on GitHub": GitHub's new-file page with the interaction that
        closes ``item`` filled in (or, for an item its contact's file closes,
        that file's edit page); "" without a repository."""
        repo, closing = self.site.repository, self.site.closing.get(item.key)
        if repo is None or closing is None:
            return Markup("")
        if closing.kind is None:
            return self.edit_link(closing.contact_file, "Edit their file")
        day = self.site.today
        url = repo.new_file_url(closing.interaction_path(day), closing.interaction_text(day))
        return Markup(f"[Log it on GitHub]({url})") if url else Markup("")

    def done_line(self, item: FollowUp) -> Markup:
        """How to mark ``item`` done, as the paragraph a record page shows under
        it (one call instead of a dozen template expressions, on every item):
        ``**Done?** `followup-gen log ...` <copy button> · [Log it on GitHub](...)``."""
        closing = self.site.closing.get(item.key)
        if closing is None:
            return Markup("")
        online = self.repository_link(item)
        if closing.kind is None:
            line = (
                f"**Done?** {escape_markdown(closing.command[:1].upper() + closing.command[1:])}."
            )
            return Markup(line + (f" {online}" if online else ""))
        line = f"**Done?** `{closing.command}` {self.copy(closing.command, 'Copy command')}"
        return Markup(line + (f" · {online}" if online else ""))

    @staticmethod
    def what(item: FollowUp) -> str:
        """What the item asks for, in a few words (``Interview thank-you``)."""
        return SHORT_TITLES.get(item.rule, item.rule.replace("-", " ").capitalize())

    @staticmethod
    def lines(text: str | None) -> Markup:
        """A multi-line field (an address) on one Markdown line, with line breaks."""
        if not text:
            return Markup("")
        return Markup("<br>".join([escape_markdown(line) for line in text.strip().splitlines()]))

    @staticmethod
    def meta(
        title: str, tags: Iterable[str] = (), hide: Iterable[str] = (), search: bool = True
    ) -> Markup:
        """YAML front matter: the page title (and tags) as Material will show them.

        Material puts titles and tags into its HTML unescaped, so they are
        HTML-escaped here and quoted for YAML (``yaml_string``).
        ``search=False`` keeps the page out of the search index (a page that
        only repeats what the contact and opportunity pages hold).
        """
        out = ["---", f"title: {yaml_string(html.escape(title))}"]
        if not search:
            out.extend(("search:", "  exclude: true"))
        if hide:
            out.append("hide:")
            out.extend(f"  - {part}" for part in hide)
        tags = list(dict.fromkeys(t for t in tags if t))
        if tags:
            out.append("tags:")
            out.extend(f"  - {yaml_string(html.escape(t))}" for t in tags)
        out.append("---")
        return Markup("\n".join(out))

    def when(self, day: dt.date | None) -> str:
        """``today``, ``tomorrow``, ``in 3 days``, ``2 days ago``."""
        if day is None:
            return ""
        delta = (day - self.site.today).days
        if delta == 0:
            return "today"
        if delta == 1:
            return "tomorrow"
        if delta == -1:
            return "yesterday"
        return f"in {delta} days" if delta > 0 else f"{-delta} days ago"

    def rule_title(self, rule_id: str) -> str:
        if rule_id not in self._rule_titles:
            self._rule_titles[rule_id] = self._rule_title(rule_id)
        return self._rule_titles[rule_id]

    def _rule_title(self, rule_id: str) -> str:
        for rule in self.site.rules:
            if rule["id"] == rule_id and rule["title"]:
                return str(rule["title"]).rstrip(".")
        return rule_id.replace("-", " ").capitalize()


def _rulebook_page() -> str | None:
    """The rule book (``followup_gen.rulebook``) as a page of the generated site.

    Its links to the other guide pages are left out (they are relative to
    ``docs/guide/``), so the page is valid wherever the output folder sits.
    """
    try:
        from followup_gen.outputs.rulebook import rulebook
    except ImportError:  # pragma: no cover - the rule book ships with the rules
        return None
    return _GUIDE_LINK.sub(lambda m: m.group(1), rulebook(settings_page=None))


_GUIDE_LINK = re.compile(r"\[([^\]]+)\]\((?![a-z]+:)[^)#\s]*\.md(?:#[^)\s]*)?\)")


class PageMemo:
    """The pages of the previous build, for ``mkdocs serve`` to re-render only what changed.

    Each contact and opportunity page is kept with its *inputs*: every value
    its template shows (the record, its timeline and follow-ups, the names and
    stages of the records it links to, the day...). A page whose inputs are
    equal to last time's is given back as it was; the summary pages (due
    list, dashboard, tables) are always made again. The draft letters are
    kept the same way (``drafts.letter_pages``). A change to any template
    file forgets everything.
    """

    def __init__(self) -> None:
        self.kept: dict[str, tuple[object, str]] = {}
        self.letters: dict[str, tuple[object, str]] = {}
        self._templates: object = None
        self._env = None
        self._seen: set[str] = set()
        self.rendered = 0  # pages rendered by the last build (the rest were kept)

    def environment(self, root: Path | str | None):
        """Begin a build: the Jinja2 environment of the last one (its templates
        compiled already), or a new one and nothing kept if a template changed."""
        templates = (str(root), _template_files(Path(root) if root is not None else None))
        if templates != self._templates:
            self.kept.clear()
            self.letters.clear()
            self._env = environment(root, "markdown")
            self._templates = templates
        self._seen = set()
        self.rendered = 0
        return self._env

    @staticmethod
    def usable(renderer: Renderer, template: str) -> bool:
        """Whether pages of ``template`` can be kept: not if the CRM overrides it."""
        if renderer.root is None:
            return True
        folder = renderer.root / TEMPLATES_FOLDER
        return not any((folder / name).exists() for name in (template, "_macros.md.j2"))

    def page(
        self, renderer: Renderer, path: str, inputs: object, template: str, **context: object
    ) -> str:
        """The page at ``path``: kept if ``inputs`` are unchanged, else rendered.

        ``inputs`` None: always rendered, never kept. A page whose rendering
        reported a problem (a template error) is not kept either.
        """
        self._seen.add(path)
        if inputs is not None:
            kept = self.kept.get(path)
            if kept is not None and kept[0] == inputs:
                return kept[1]
        self.rendered += 1
        text = renderer.render(template, path, **context)
        if inputs is None or text.startswith("# This page could not be made"):
            self.kept.pop(path, None)
        else:
            self.kept[path] = (inputs, text)
        return text

    def finish(self) -> None:
        """Forget the pages of records that are gone."""
        for path in set(self.kept) - self._seen:
            del self.kept[path]


def _template_files(root: Path | None) -> tuple:
    """Every template file (the CRM's and the shipped ones) with its size and times."""
    folders = [default_templates()]
    if root is not None:
        folders.insert(0, root / TEMPLATES_FOLDER)
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append((str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    return tuple(found)


def _linked(site: Site, contacts: Iterable[str], opportunities: Iterable[str | None]) -> tuple:
    """What a page shows of the records it links to: names, addresses, stages."""
    people = tuple((c, site.crm.contacts.get(c)) for c in dict.fromkeys(contacts))
    jobs = tuple(
        (o, site.crm.opportunities.get(o), site.stages.get(o)) for o in dict.fromkeys(opportunities)
    )
    return people, jobs


def _items_inputs(site: Site, letters: frozenset[str], items: tuple[FollowUp, ...]) -> tuple:
    closing = tuple(site.closing.get(f.key) for f in items)
    return items, tuple(letter_path(f) in letters for f in items), closing, site.repository


def _contact_inputs(site: Site, letters: frozenset[str], person: Contact, timeline: tuple) -> tuple:
    """Every value ``contact.md.j2`` shows for ``person``."""
    items = site.followups_of_contact.get(person.id, ())
    jobs = site.opportunities_of_contact.get(person.id, ())
    others = [c for i in timeline for c in i.contacts]
    linked_jobs = [*jobs, *(f.opportunity for f in items), *(i.opportunity for i in timeline)]
    return (
        site.today,
        person,
        timeline,
        site.incomplete("contact", person.id),
        site.settings.rule(keep_in_touch.ID),
        site.bridge_of_contact.get(person.id),
        jobs,
        _items_inputs(site, letters, items),
        site.held_of_contact.get(person.id, ()),
        _linked(site, others, linked_jobs),
    )


def _opportunity_inputs(
    site: Site, letters: frozenset[str], job: Opportunity, timeline: tuple
) -> tuple:
    """Every value ``opportunity.md.j2`` shows for ``job``."""
    items = site.followups_of_opportunity.get(job.id, ())
    people = site.opportunity_contacts(job)
    others = [
        *people,
        *([job.referred_by] if job.referred_by else []),
        *(f.contact for f in items),
        *(c for i in timeline for c in i.contacts),
    ]
    return (
        site.today,
        job,
        timeline,
        site.incomplete("opportunity", job.id),
        site.stages[job.id],
        site.stalled_of_opportunity.get(job.id),
        people,
        _items_inputs(site, letters, items),
        _linked(site, others, [job.id, *(i.opportunity for i in timeline)]),
    )


def pages(
    loaded: Loaded, evaluation: Evaluation, *, templates_root: Path | str | None = None
) -> dict[str, str]:
    """Every generated page of the site, ``{relative path: text}``, sorted by path.

    ``templates_root`` is where ``site_templates/`` overrides are looked up
    (default: the CRM root). A broken template makes a stub page; use
    ``pages_and_problems`` to learn why.
    """
    return pages_and_problems(loaded, evaluation, templates_root=templates_root)[0]


def pages_and_problems(
    loaded: Loaded,
    evaluation: Evaluation,
    *,
    templates_root: Path | str | None = None,
    redact: tuple[str, ...] = (),
    memo: PageMemo | None = None,
    repository: Repository | None = None,
    directory_urls: bool = True,
) -> tuple[dict[str, str], tuple[Problem, ...]]:
    """``pages()`` plus the problems of rendering them (template errors).

    ``redact`` also leaves those fields of your own ``profile.md`` out of the
    draft letters (the CRM's records are redacted before this is called).
    ``memo`` (kept by the caller from one build to the next) gives back the
    pages whose inputs did not change instead of rendering them again.
    ``repository``: where the CRM's files are, for links to edit them and to
    log an item on GitHub (None: no such links). ``directory_urls``: the
    site's pages are folders (MkDocs' default), as a letter's link back to
    the due list assumes.
    """
    site = make_site(loaded, evaluation, repository)
    root = loaded.root if templates_root is None else templates_root
    env = memo.environment(root) if memo is not None else None
    r = Renderer(root, site, env)
    crm = site.crm
    back = BACK_TO_DUE if directory_urls else "../due.html"
    out, extra_problems = _extra_pages(loaded, evaluation, redact, memo, back)
    r.problems.extend(extra_problems)
    r.letters = frozenset(out)
    # A record's page is remembered with the values it shows (its inputs);
    # a user's own template could show anything, so it is always rendered.
    remember = memo if memo is not None else PageMemo()
    per_contact = memo is not None and remember.usable(r, "contact.md.j2")
    for person in crm.contacts.values():
        path = contact_path(person.id)
        timeline = tuple(reversed(crm.with_contact(person.id)))
        inputs = _contact_inputs(site, r.letters, person, timeline) if per_contact else None
        out[path] = remember.page(
            r, path, inputs, "contact.md.j2", person=person, timeline=timeline
        )
    per_opportunity = memo is not None and remember.usable(r, "opportunity.md.j2")
    for job in crm.opportunities.values():
        path = opportunity_path(job.id)
        timeline = tuple(reversed(crm.about(job.id)))
        inputs = _opportunity_inputs(site, r.letters, job, timeline) if per_opportunity else None
        out[path] = remember.page(r, path, inputs, "opportunity.md.j2", job=job, timeline=timeline)
    remember.finish()
    rulebook = _rulebook_page()
    out["rules.md"] = rulebook if rulebook is not None else r.render("rules.md.j2", "rules.md")
    # The summary pages last, so that they count template problems too.
    for path, template in SUMMARY_PAGES:
        r.env.globals["problems"] = sort_problems((*site.problems, *r.problems))
        out[path] = r.render(template, path)
    return dict(sorted(out.items())), tuple(r.problems)


def _extra_pages(
    loaded: Loaded,
    evaluation: Evaluation,
    redact: tuple[str, ...] = (),
    memo: PageMemo | None = None,
    back: str = BACK_TO_DUE,
) -> tuple[dict[str, str], tuple[Problem, ...]]:
    """Pages other features add, one call each: ``{path: text}``.

    A path not ending in ``.md`` is copied to the site as is: the calendar
    feed, and a standalone HTML draft letter per follow-up the due list
    shows, linked from the item (and the letters' stylesheet). A ``.md`` page would be built but kept out
    of the navigation.
    """
    profile, problems = load_profile(loaded.root)
    hidden = {name: None for name in ("address", "email", "phone") if name in redact}
    if profile is not None and hidden:
        profile = dataclasses.replace(profile, **hidden)
    # Drafts for what the due list shows; a later one is a `followup-gen draft` away.
    horizon = evaluation.today + dt.timedelta(days=loaded.settings.site.upcoming_days)
    current = tuple(f for f in evaluation.followups if f.status != "upcoming" or f.due <= horizon)
    extra = letter_pages(
        loaded,
        profile,
        dataclasses.replace(evaluation, followups=current),
        memo=memo.letters if memo is not None else None,
        back=back,
    )
    if extra:
        extra[LETTER_STYLESHEET] = LETTER_CSS
        extra[LETTER_SCRIPT] = LETTER_JS
    extra[CALENDAR] = calendar(loaded, evaluation)
    return extra, tuple(problems)


def nav(generated: Iterable[str], user_pages: Iterable[str], folder: str = "") -> list:
    """An MkDocs ``nav`` for the generated pages plus the user's own pages.

    Contacts, opportunities and anything else generated stay out of the nav
    (they are reached from index tables and search). The user's pages under
    ``guide/`` join the Guide section; their other pages follow at the end.
    """
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    generated = set(generated)
    items: list = []
    sections: dict[str, list] = {}
    for section, path, title in NAV:
        if path not in generated:
            continue
        entry = {title: prefix + path}
        if section is None:
            items.append(entry)
        else:
            if section not in sections:
                sections[section] = []
                items.append({section: sections[section]})
            sections[section].append(entry)
    guide = sections.setdefault(GUIDE_SECTION, [])
    if not any(GUIDE_SECTION in item for item in items):
        items.append({GUIDE_SECTION: guide})
    others = []
    user_pages = list(user_pages)
    if "guide/rules.md" in user_pages:
        # The guide already has the rule book (the same text): list it once.
        guide[:] = [entry for entry in guide if prefix + "rules.md" not in entry.values()]
    developers: list = []
    # guide/index.md first: with navigation.indexes it is the Guide's own page.
    for path in sorted(user_pages, key=lambda p: (p.count("/"), not p.endswith("/index.md"), p)):
        if path == "guide/index.md":
            guide.insert(0, path)
        elif path.startswith("guide/"):
            guide.append(path)
        elif path.startswith("developers/"):
            developers.append(path)
        elif path not in (prefix + "index.md",):
            others.append(path)
    if not guide:
        items = [item for item in items if GUIDE_SECTION not in item]
    return items + others + ([{"Developers": developers}] if developers else [])


def nav_paths(items: object) -> set[str]:
    """Every page path an MkDocs ``nav`` lists."""
    if isinstance(items, str):
        return {items}
    if isinstance(items, dict):
        return set().union(*(nav_paths(v) for v in items.values())) if items else set()
    if isinstance(items, list):
        return set().union(*(nav_paths(v) for v in items)) if items else set()
    return set()


# The Markdown extensions the generated pages use (cards, icons, admonitions).
REQUIRED_EXTENSIONS: tuple[str, ...] = (
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "pymdownx.emoji",
)


def missing_extensions(configured: Iterable[str]) -> list[str]:
    """The required Markdown extensions a site's configuration lacks."""
    names = {name.split(":")[0] for name in configured}
    return [name for name in REQUIRED_EXTENSIONS if name not in names]


# What `mkdocs serve` watches, relative to the CRM root.
WATCHED: tuple[str, ...] = (
    "contacts",
    "interactions",
    "opportunities",
    TEMPLATES_FOLDER,
    SETTINGS_FILE,
    PROFILE_FILE,  # the letters' sign-off and address
)


@dataclass(frozen=True)
class Generated:
    """The pages of a CRM on a day, and every problem found on the way."""

    today: dt.date
    pages: Mapping[str, str]
    problems: tuple[Problem, ...]
    settings: Settings = Settings()
    # The data file of each record page ({"contacts/jane-doe.md": "contacts/Jane Doe.md"}).
    sources: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # The repository the pages link to (None: they have no edit or GitHub links).
    repository: Repository | None = None


def generate(
    root: Path | str,
    today: dt.date | None = None,
    *,
    cache: bool = True,
    redact: tuple[str, ...] = (),
    memo: PageMemo | None = None,
    repository: Repository | None = None,
    published: bool = False,
    directory_urls: bool = True,
) -> Generated:
    """Load, validate and evaluate the CRM under ``root`` and make its pages.

    ``today`` defaults to the settings' pinned day, else the local date.
    ``redact`` names fields (``followup_gen.redact.REDACTABLE``) removed from
    every record before the rules run, so no page can show them. The pages
    are made even when the data has errors (records with errors are left out
    and the Problems page lists them); callers decide whether to use them.
    ``memo``: a ``PageMemo`` kept from the previous call re-renders only the
    pages whose inputs changed (the output is the same either way).
    ``repository`` adds links to edit each record's file and to log each due
    item on GitHub; ``published`` (the site ``followup-gen publish`` makes)
    leaves them out unless the settings say ``site.edit_links: true``.
    """
    loaded = load_crm(root, cache=cache)
    if redact:
        from followup_gen.records import redact as without

        loaded = dataclasses.replace(loaded, crm=without(loaded.crm, tuple(redact)))
    day = today or loaded.settings.today or dt.date.today()
    evaluation = evaluate(loaded.crm, day, loaded.settings)
    if published and not loaded.settings.site.edit_links:
        repository = None
    made, problems = pages_and_problems(
        loaded,
        evaluation,
        redact=tuple(redact),
        memo=memo,
        repository=repository,
        directory_urls=directory_urls,
    )
    crm = loaded.crm
    sources = {contact_path(c.id): c.source.path for c in crm.contacts.values()}
    sources.update({opportunity_path(o.id): o.source.path for o in crm.opportunities.values()})
    return Generated(
        day,
        made,
        sort_problems((*loaded.problems, *evaluation.problems, *problems)),
        loaded.settings,
        sources,
        repository,
    )
