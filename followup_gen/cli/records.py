"""Commands that write the user's files on request: ``init``, ``new``, ``log``.

Each one builds the file with ``followup_gen.write``, checks it with the same
validator as ``check`` and creates it without ever replacing a file. Unknown
ids and values get a did-you-mean and write nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath

import click
from click.shell_completion import CompletionItem

from followup_gen.cli import Day, echo_problems, main, root_option
from followup_gen.exchange import scaffold, write
from followup_gen.load import Loaded, load_crm
from followup_gen.load.files import read_record
from followup_gen.load.schema import SLUG, check_record, slugify
from followup_gen.problems import did_you_mean, has_errors, printable
from followup_gen.publish.salt import new_salt
from followup_gen.records import CHANNELS, KINDS, RELATIONSHIPS, named_by


def fail(message: str) -> None:
    """Print ``followup-gen: message`` to stderr and exit 1."""
    click.echo(f"followup-gen: {message}", err=True)
    raise SystemExit(1)


def choice(value: str | None, choices: Iterable[str], hint: str) -> str | None:
    """``value`` if it is one of ``choices``, else a usage error with a did-you-mean."""
    choices = tuple(choices)
    if value is None or value in choices:
        return value
    raise click.BadParameter(
        f"unknown value '{value}'{did_you_mean(value, choices)}; one of: {', '.join(choices)}",
        param_hint=hint,
    )


def _completer(values):
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        return [CompletionItem(v) for v in values(ctx) if v.startswith(incomplete)]

    return complete


def _loaded(ctx: click.Context) -> Loaded:
    return load_crm(ctx.params.get("root") or Path("."))


def _contact_items(ctx: click.Context) -> list[str]:
    return list(_loaded(ctx).crm.contacts)


def _opportunity_items(ctx: click.Context) -> list[str]:
    return list(_loaded(ctx).crm.opportunities)


complete_contacts = _completer(_contact_items)
complete_opportunities = _completer(_opportunity_items)


def known_ids(
    loaded: Loaded, folder: str, what: str, ids: Iterable[str], then: str = "nothing written"
) -> list[str]:
    """The ids, each a sound record of ``folder`` or the one id it is the start
    of (``orbit`` for ``orbit-analytics-data-engineer``); else exit with a
    did-you-mean, ending with ``then`` (what did not happen)."""
    valid = loaded.crm.contacts if folder == "contacts" else loaded.crm.opportunities
    return [resolve_id(record_id, valid, what, loaded, folder, then) for record_id in ids]


def resolve_id(
    record_id: str,
    valid: Iterable[str],
    what: str,
    loaded: Loaded,
    folder: str,
    then: str = "nothing written",
) -> str:
    """``record_id`` itself, or the one valid id it starts; exit 1 saying why not."""
    valid = list(valid)
    if record_id in valid:
        return record_id
    if record_id in write.taken_ids(loaded, folder):
        fail(
            f"the {what} '{record_id}' has errors; fix its file under {folder}/ first "
            f"(followup-gen check lists them); {then}"
        )
    starting = [v for v in valid if v.startswith(record_id)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        shown = ", ".join(starting[:8]) + (" ..." if len(starting) > 8 else "")
        fail(f"'{record_id}' starts several {what} ids: {shown}; type more of it")
    broken = (
        "; some files have errors (followup-gen check lists them)"
        if has_errors(loaded.problems)
        else ""
    )
    fail(f"unknown {what} '{record_id}'{did_you_mean(record_id, valid)}{broken}; {then}")
    raise AssertionError  # fail() exits


def create(loaded: Loaded, new: write.NewFile, edit: bool) -> None:
    """Check, write and print the new file; open it in $EDITOR when asked."""
    problems = write.check(new)
    if problems:
        for problem in problems:
            click.echo(printable(f"followup-gen: {problem.message}"), err=True)
        fail("nothing written")
    base = PurePosixPath(new.path).stem
    for attempt in range(100):
        try:
            path = write.write(loaded.root, new)
            break
        except FileExistsError:
            if new.type != "interaction" or attempt == 99:
                fail(f"{new.path} exists; nothing written")
            # Another `log` took this name meanwhile: the next free one.
            taken = write.taken_ids(loaded, "interactions") | {PurePosixPath(new.path).stem}
            new = replace(new, path=f"interactions/{write.free_id(base, taken)}.md")
        except OSError as exc:
            fail(f"cannot write {new.path}: {exc.strerror or exc}; nothing written")
    click.echo(path)
    if edit:
        click.edit(filename=str(path))
        raw, problems = read_record(loaded.root, path, new.type)
        if raw is not None:
            problems = [*problems, *check_record(raw)[1]]
        if problems:
            echo_problems(problems)
            raise SystemExit(1)


def _date(value: dt.datetime | None, loaded: Loaded) -> dt.date | dt.datetime:
    if value is None:
        return loaded.settings.today or dt.date.today()
    if value.hour == value.minute == 0 and value.second == 0:
        return value.date()
    return value


def _new_id(loaded: Loaded, folder: str, what: str, wanted: str | None, base: str) -> str:
    """The explicit ``--id`` or ``base``; refuse one in use and suggest a free one."""
    record_id = wanted or base
    if not SLUG.match(record_id):
        raise click.BadParameter(
            f"'{record_id}' is not a valid id: use lower-case letters, digits and single "
            f"dashes (like '{slugify(record_id) or 'jane-doe'}')",
            param_hint="--id",
        )
    taken = write.taken_ids(loaded, folder)
    if record_id in taken:
        fail(
            f"{folder}/ already has {what} '{record_id}'; nothing written. "
            f"If this is another one, add --id {write.free_id(record_id, taken)}"
        )
    return record_id


edit_option = click.option(
    "--edit", is_flag=True, help="Open the new file in $EDITOR (or $VISUAL) after writing it."
)
date_type = Day()


@main.group()
def new() -> None:
    """Write a new contact or opportunity file."""


@new.command("contact")
@click.argument("name")
@click.option(
    "--relationship",
    "-r",
    default="professional-network",
    show_default=True,
    shell_complete=_completer(lambda ctx: RELATIONSHIPS),
    help="How you know them: " + ", ".join(RELATIONSHIPS) + ".",
)
@click.option("--company", "-c")
@click.option("--title", "-t")
@click.option("--email", "-e")
@click.option("--phone")
@click.option("--address", help="Postal address, for letters; use \\n between lines.")
@click.option("--linkedin", help="Their LinkedIn profile URL.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--cadence", help="Keep-in-touch interval: 21d, 6w, 3m, days, or none.")
@click.option(
    "--met",
    type=date_type,
    help="The day you met (YYYY-MM-DD). Default: today, which starts their keep-in-touch clock.",
)
@click.option("--id", "record_id", help="The id (default: the name as a slug, jane-doe).")
@click.option("--note", "-n", default="", help="Notes: the file's body.")
@edit_option
@root_option
def new_contact(name, relationship, company, title, email, phone, address, linkedin, tags,
                cadence, met, record_id, note, edit, root) -> None:  # fmt: skip
    """Write contacts/<id>.md for NAME and print its path."""
    choice(relationship, RELATIONSHIPS, "'--relationship'")
    loaded = load_crm(root)
    record_id = _new_id(loaded, "contacts", "a contact", record_id, write.id_from(name))
    new_file = write.contact(
        record_id,
        name,
        relationship,
        company=company,
        title=title,
        email=email,
        phone=phone,
        address=address.replace("\\n", "\n") if address else None,
        linkedin=linkedin,
        tags=tags,
        cadence=cadence,
        met=met.date() if met else (loaded.settings.today or dt.date.today()),
        notes=note,
    )
    create(loaded, new_file, edit)


@new.command("opportunity")
@click.argument("company")
@click.argument("role")
@click.option(
    "--contact",
    "contacts",
    multiple=True,
    shell_complete=complete_contacts,
    help="A contact id of a hiring authority (repeatable).",
)
@click.option("--url", help="The job ad.")
@click.option("--referred-by", shell_complete=complete_contacts, help="Who referred you.")
@click.option("--expected-decision", type=date_type, help="When they expect to decide.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--id", "record_id", help="The id (default: the company and two words of the role).")
@click.option("--note", "-n", default="", help="Notes: the file's body.")
@edit_option
@root_option
def new_opportunity(company, role, contacts, url, referred_by, expected_decision, tags,
                    record_id, note, edit, root) -> None:  # fmt: skip
    """Write opportunities/<id>.md for ROLE at COMPANY and print its path."""
    loaded = load_crm(root)
    contacts = known_ids(loaded, "contacts", "contact", contacts)
    if referred_by:
        (referred_by,) = known_ids(loaded, "contacts", "contact", [referred_by])
    base = write.opportunity_id(company, role, write.taken_ids(loaded, "opportunities"))
    record_id = _new_id(loaded, "opportunities", "an opportunity", record_id, base)
    new_file = write.opportunity(
        record_id,
        company,
        role,
        url=url,
        contacts=contacts,
        referred_by=referred_by,
        expected_decision=expected_decision.date() if expected_decision else None,
        tags=tags,
        notes=note,
    )
    create(loaded, new_file, edit)


@main.command()
@click.argument("kind", shell_complete=_completer(lambda ctx: KINDS))
@click.argument("contacts", nargs=-1, shell_complete=complete_contacts)
@click.option(
    "--date", "-d", type=Day(times=True), help="When (YYYY-MM-DD [HH:MM]). Default: today."
)
@click.option(
    "--opportunity", "-o", shell_complete=complete_opportunities, help="The opportunity id."
)
@click.option(
    "--channel",
    "-c",
    shell_complete=_completer(lambda ctx: CHANNELS),
    help="How: " + ", ".join(CHANNELS) + ".",
)
@click.option(
    "--specific",
    "-s",
    "specifics",
    multiple=True,
    help="Something discussed (repeatable); 'CONTACT-ID: text' (or the start of the id, "
    "like 'jane: text') for one of the contacts only.",
)
@click.option("--note", "-n", default="", help="Notes: the file's body.")
@edit_option
@root_option
def log(kind, contacts, date, opportunity, channel, specifics, note, edit, root) -> None:
    """Record an interaction of KIND with one or more CONTACTS (ids).

    \b
    Kinds: meeting, informational-interview, help, referral, introduction,
    application, interview, reply, offer, rejection, accepted, withdrew,
    thank-you, follow-up, check-in.
    Example: followup-gen log thank-you jane-doe --channel mail
    An application through a job portal may name no one:
    followup-gen log application --opportunity acme-data-engineer
    """
    choice(kind, KINDS, "'KIND'")
    choice(channel, CHANNELS, "'--channel'")
    if not contacts and not (kind == "application" and opportunity):
        raise click.UsageError(
            "name at least one contact (only an application with --opportunity may name no one)"
        )
    loaded = load_crm(root)
    people = tuple(dict.fromkeys(known_ids(loaded, "contacts", "contact", contacts)))
    if opportunity:
        (opportunity,) = known_ids(loaded, "opportunities", "opportunity", [opportunity])
    when = _date(date, loaded)
    day = when.date() if isinstance(when, dt.datetime) else when
    taken = write.taken_ids(loaded, "interactions")
    new_file = write.interaction(
        write.interaction_id(day, kind, people or (opportunity,), taken),
        when,
        kind,
        people,
        channel=channel,
        opportunity=opportunity,
        specifics=[_specific(text, people, kind) for text in specifics],
        notes=note,
    )
    create(loaded, new_file, edit)


def _git_init(directory: Path) -> str:
    """Make ``directory`` a git repository with a first commit; say what was done."""
    if shutil.which("git") is None:
        return "git is not installed, so there is no repository yet (the README says why).\n"

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True)

    if git("rev-parse", "--is-inside-work-tree").returncode == 0:
        return "It is inside a git repository already: commit the new files when ready.\n"
    if git("init", "-q").returncode != 0:
        return "git init failed; run it yourself to keep a history of your search.\n"
    git("add", "-A")
    if git("commit", "-q", "-m", "A new job search (followup-gen init)").returncode != 0:
        return (
            "Made a git repository; commit the files once git knows who you are "
            "(git config user.name / user.email).\n"
        )
    return "Made it a git repository with a first commit.\n"


def _specific(text: str, people: tuple[str, ...], kind: str) -> str | dict[str, str]:
    """``jane-doe: text`` for a contact of the interaction is theirs, as is
    ``jane: text`` or ``Jane: text`` when only one of them has an id starting
    so; anything else is shared."""
    who, colon, rest = text.partition(":")
    who, rest = who.strip(), rest.strip()
    if not colon or not rest or not who or any(c.isspace() for c in who):
        return text
    starting = named_by(who, people)
    if len(starting) > 1:
        raise click.UsageError(
            f"'{who}' starts several of this {kind}'s contacts ({', '.join(starting)}): "
            f"write the whole id, like '{starting[0]}: {rest}'; nothing written"
        )
    return {starting[0]: rest} if starting else text


# What init says about publishing: the chosen set-up, then the site's origin.
PUBLISHING = {
    "free": "To publish (--plan free, the default: right on every GitHub plan): keep this "
    "repository private; its workflow pushes only the sealed site to a separate public "
    "site repository, whose Pages serves it. The one-time steps are at the top of "
    ".github/workflows/publish.yml. On Pro, Team or Enterprise, --plan paid publishes "
    "with Pages from this private repository instead.",
    "paid": "To publish (--plan paid: GitHub Pro, Team or Enterprise): keep this repository "
    "private, add the secret FOLLOWUP_SITE_PASSWORD, then Settings > Pages > Source: "
    "GitHub Actions. (GitHub Free publishes Pages only from public repositories: use "
    "--plan free there.)",
}
OWN_ORIGIN = (
    "Every Pages site of one account shares its origin (<name>.github.io), and any page on "
    "that origin can reach an unlocked site: give the site an origin of its own (a custom "
    "domain, or an account or organisation used for nothing else). See the privacy guide."
)


@main.command()
@click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path), required=False
)
@click.option(
    "--demo", is_flag=True, help="Fill it with a small demo job search dated around today."
)
@click.option("--force", is_flag=True, help="Replace files that exist (init names them first).")
@click.option(
    "--timezone", help="Your IANA time zone, e.g. Europe/Berlin. Default: this machine's, else UTC."
)
@click.option("--title", default="Job search", show_default=True, help="The site's title.")
@click.option(
    "--plan",
    type=click.Choice(scaffold.PLANS),
    default="free",
    show_default=True,
    help="The publishing set-up. free (any GitHub plan): this repository stays private and "
    "only the sealed site is pushed to a separate public site repository. paid (Pro, Team, "
    "Enterprise): Pages publishes from this private repository.",
)
@click.option(
    "--engine",
    type=click.Choice(scaffold.ENGINES),
    default="mkdocs",
    show_default=True,
    help="The site engine. mkdocs: MkDocs 1.6 (mkdocs.yml; mkdocs serve). properdocs: "
    "ProperDocs, the maintained continuation of MkDocs 1.x (properdocs.yml; properdocs "
    "serve; the workflow installs it).",
)
@click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date the demo around this day."
)
@click.option(
    "--git/--no-git",
    default=True,
    show_default=True,
    help="Make DIRECTORY a git repository with a first commit (when git is installed and it "
    "is not in one already).",
)
def init(
    directory: Path,
    demo: bool,
    force: bool,
    timezone: str | None,
    title: str,
    plan: str,
    engine: str,
    today,
    git: bool,
) -> None:
    """Make a new CRM in DIRECTORY (default: here), ready to preview and publish.

    \b
    Writes mkdocs.yml (Material, the followup plugin; properdocs.yml with
    --engine properdocs), followup.yml (with the
    site's own random salt), the contacts/, opportunities/ and interactions/
    folders, site_templates/, .gitignore, .pre-commit-config.yaml (validate
    on commit) and .github/workflows/publish.yml (the --plan set-up, daily),
    both installing the commit of followup-gen that runs this command. Never
    replaces a file unless --force is given.
    """
    zone = timezone or scaffold.local_timezone()
    if (problem := scaffold.check_timezone(zone)) is not None:
        raise click.BadParameter(problem, param_hint="'--timezone'")
    day = today.date() if today else dt.date.today()
    tool, unknown = scaffold.tool_source()
    planned = scaffold.files(
        title,
        zone,
        day,
        demo,
        salt=new_salt(),
        plan=plan,
        tool=tool or scaffold.UNKNOWN_SOURCE,
        engine=engine,
    )
    existing = scaffold.existing(directory, planned)
    if existing and not force:
        fail(
            f"{len(existing)} of its files exist: {', '.join(existing)}; nothing written "
            "(add --force to replace them)"
        )
    try:
        scaffold.create(directory, planned, force)
    except OSError as exc:
        fail(f"cannot write in {directory}: {exc.strerror or exc}")
    for rel in existing:
        click.echo(f"replaced {rel}", err=True)
    counts = ""
    if demo:
        n = {folder: sum(p.startswith(folder + "/") for p in planned) for folder in
             ("contacts", "opportunities", "interactions")}  # fmt: skip
        counts = (
            f", with a demo job search ({n['contacts']} contacts, {n['opportunities']} "
            f"opportunities, {n['interactions']} interactions)"
        )
    where = "" if directory == Path(".") else f"  cd {directory}\n"
    said_git = _git_init(directory) if git else ""
    click.echo(
        f"Created a CRM in {directory} (time zone {zone}){counts}.\n{said_git}"
        "Next:\n"
        f"{where}"
        "  1. Open profile.md and fill in your name, address and two or three\n"
        "     accomplishments: every letter is signed with them.\n"
        '  2. followup-gen new contact "Jane Doe" --relationship hiring --company Acme\n'
        f"  3. followup-gen due      what to follow up today ({engine} serve: the site)\n"
        "  Step by step: docs/guide/index.md in followup-gen's repository.\n"
        f"{PUBLISHING[plan]}\n{OWN_ORIGIN}"
    )
    if tool is None:
        click.echo(
            f"followup-gen: warning: cannot tell which commit of followup-gen this is ({unknown}), "
            "so .github/workflows/publish.yml (FOLLOWUP_GEN) and .pre-commit-config.yaml "
            "(repo, rev) name none: set them to a commit of followup-gen's repository, or "
            'install it with pip install "followup-gen @ git+https://github.com/OWNER/'
            'followup-gen@v0.2.0" and run init again',
            err=True,
        )
