"""Commands that bring data in and out: ``import``, ``export``, ``ics``."""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from followup_gen.cli import (
    Day,
    counted,
    echo_problems,
    finish,
    load_lenient,
    load_or_exit,
    main,
    resolve_today,
    root_option,
    today_option,
)
from followup_gen.cli.records import choice, fail
from followup_gen.exchange import importing, linkedin, vcard, write
from followup_gen.outputs import activity
from followup_gen.outputs.calendar import PRODID, calendar
from followup_gen.records import RELATIONSHIPS
from followup_gen.rules.evaluate import evaluate

# Below this many entries an import takes well under a second: no bar.
PROGRESS_MIN = 1000


@main.group("import")
def import_group() -> None:
    """Add contacts from an address book export (vCard, LinkedIn)."""


def _import(reader, default_relationship: str):
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--relationship",
        "-r",
        default=default_relationship,
        show_default=True,
        help="The relationship of every new contact.",
    )
    @click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
    @click.option(
        "--verbose", "-v", is_flag=True, help="List every entry skipped as a duplicate too."
    )
    @root_option
    @today_option
    def command(file: Path, relationship: str, dry_run: bool, verbose: bool, root: Path, today):
        choice(relationship, RELATIONSHIPS, "'--relationship'")
        loaded = load_or_exit(root)
        name = str(file)
        try:
            read = reader(name, file.read_bytes())
        except OSError as exc:
            fail(f"cannot read {name}: {exc.strerror}")
        if read.errors:
            echo_problems(read.errors)
            fail(f"{name} cannot be imported; nothing written")
        # A bar only for imports long enough to watch, and only on a terminal.
        show = sys.stdout.isatty() and len(read.people) >= PROGRESS_MIN
        steps = 2 * len(read.people)  # checking every entry, then writing its file
        with click.progressbar(length=steps, label="Importing") if show else nullcontext() as bar:
            tick = bar.update if bar is not None else (lambda n: None)
            plan = importing.plan(
                loaded,
                read.people,
                source=name,
                today=resolve_today(today, loaded.settings),
                relationship=relationship,
                invalid=read.invalid,
                each=lambda: tick(1),
            )
            try:
                existed = (
                    [] if dry_run else importing.write_all(loaded.root, plan.files, lambda: tick(1))
                )
            except importing.StoppedError as exc:
                made = exc.written
                listed = "".join(f"  {path}\n" for path in made)
                fail(
                    f"{exc}; the import stopped there. {len(made)} of {len(plan.files)} "
                    f"files were written"
                    + (f":\n{listed}" if made else ".\n")
                    + "Free some space (or fix the cause) and import again: the contacts "
                    "already written are skipped as duplicates."
                )
            tick(steps)  # what is left: entries skipped or not written
        echo_problems(plan.listed(verbose, read.notes))
        if existed:  # only when another program wrote one meanwhile
            fail(f"{', '.join(existed)} appeared during the import and were left alone")
        click.echo(plan.summary(dry_run))

    return command


import_group.command(
    "vcard",
    help="Import contacts from a .vcf file (phones, Google, Apple, Outlook; vCard 2.1 to 4.0).\n\n"
    "A malformed entry is skipped with a warning; the others are imported. "
    "Entries whose email or LinkedIn profile is already in the CRM are skipped, and so is "
    "the same name when no email or profile tells the two apart; "
    "nothing is ever overwritten. New contacts enter the keep-in-touch rotation spread "
    "over one cadence, so they come due gradually.",
)(_import(vcard.read, "personal-network"))
import_group.command(
    "linkedin",
    help="Import your LinkedIn connections from Connections.csv (LinkedIn's data export).\n\n"
    "Connections already in the CRM (same email or profile URL, or the same name when "
    "neither tells them apart) are skipped; "
    "nothing is ever overwritten. New contacts enter the keep-in-touch rotation spread "
    "over one cadence, so they come due gradually.",
)(_import(linkedin.read, "professional-network"))


@main.group("export")
def export_group() -> None:
    """Write the CRM's data in other formats."""


out_option = click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE, not stdout.",
)


force_option = click.option("--force", is_flag=True, help="Replace --out if it exists.")


@export_group.command("vcard")
@out_option
@force_option
@click.option(
    "--version",
    "version",
    type=click.Choice(vcard.VERSIONS),
    default="4.0",
    show_default=True,
    help="The vCard version: 3.0 for address books that read it better.",
)
@root_option
def export_vcard(out: Path | None, force: bool, version: str, root: Path) -> None:
    """Every contact as vCard 4.0 (or 3.0), for any address book.

    What only followup-gen knows (id, relationship, cadence, do_not_contact,
    business_card, met) goes in X-FOLLOWUP-* properties, so importing the file
    into another CRM gives back the same contacts and follow-ups.
    """
    loaded = load_lenient(root)
    text = vcard.export(loaded.crm, version=version)
    if out is None:
        click.echo(text, nl=False)
    else:
        _write_out(out, text, force)
        click.echo(f"{out}: {counted(len(loaded.crm.contacts), 'contact')}", err=True)
    finish(loaded)


@export_group.command("activity")
@click.option("--from", "start", type=Day(), required=True, help="The first day (YYYY-MM-DD).")
@click.option("--to", "end", type=Day(), help="The last day (YYYY-MM-DD). Default: today.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "md"]),
    default="csv",
    show_default=True,
    help="CSV for a spreadsheet or a form, md for a table to print.",
)
@out_option
@force_option
@root_option
def export_activity(start, end, fmt: str, out: Path | None, force: bool, root: Path) -> None:
    """Every contact with an employer in a period: the work-search record.

    One row per interaction with a hiring contact or a recruiter, with one of
    the people an opportunity lists, or an application: date, company, role,
    people, kind and channel, oldest first.
    """
    loaded = load_lenient(root)
    last = end.date() if end else (loaded.settings.today or dt.date.today())
    first = start.date()
    if last < first and end is None:
        raise click.BadParameter(
            f"{first} is after today ({last}), the default --to", param_hint="'--from'"
        )
    if last < first:
        raise click.BadParameter(f"{last} is before --from {first}", param_hint="'--to'")
    rows = activity.activity(loaded.crm, first, last)
    text = activity.as_csv(rows) if fmt == "csv" else activity.as_markdown(rows, first, last)
    if out is None:
        click.echo(text, nl=False)
    else:
        _write_out(out, text, force)
        click.echo(f"{out}: {len(rows)} contacts with employers", err=True)
    finish(loaded)


@main.command()
@out_option
@click.option(
    "--force", is_flag=True, help="Replace --out even if it is not a feed this tool wrote."
)
@root_option
@today_option
def ics(out: Path | None, force: bool, root: Path, today) -> None:
    """The open follow-ups as an iCalendar feed: one all-day event per item.

    An item sits on its due day, an overdue one on today ("overdue since ...").
    Each event keeps its UID from day to day and has a SEQUENCE that grows
    daily, so a calendar app subscribed to the feed moves events instead of
    duplicating them. Importing a newer file does not update events in Google
    Calendar: subscribe to the feed's address instead (docs/guide/daily.md).
    """
    loaded = load_lenient(root)
    evaluation = evaluate(loaded.crm, resolve_today(today, loaded.settings), loaded.settings)
    text = calendar(loaded, evaluation)
    if out is None:
        click.echo(text, nl=False)
    else:
        # The feed is made again and again: an earlier one is replaced, any
        # other file (a contact's by a slip of the tab key, another calendar)
        # only with --force.
        _write_out(out, text, force or _is_calendar(out))
    finish(loaded)


def _is_calendar(path: Path) -> bool:
    """Whether ``path`` is a feed this tool wrote (not another calendar of yours)."""
    try:
        with path.open("rb") as file:
            start = file.read(256)
    except OSError:
        return False
    start = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    ours = ("PRODID:" + "//".join(PRODID.split("//")[:2]) + "//").encode()  # any version's
    return start.startswith(b"BEGIN:VCALENDAR") and ours in start


def _write_out(out: Path, text: str, force: bool) -> None:
    """Write an --out file whole, or say why it cannot be (exit 1); an
    existing one only with ``force``."""
    if out.exists() and not force:
        fail(f"{out} exists; nothing written (add --force to replace it)")
    try:
        write.replace_file(out, text)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}; nothing written")
