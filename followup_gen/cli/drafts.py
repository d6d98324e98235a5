"""The ``draft`` command: a ready letter for an open follow-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from followup_gen.cli import finish, load_lenient, main, resolve_today, root_option, today_option
from followup_gen.cli.records import known_ids
from followup_gen.load.profile import PROFILE_FILE, load_profile
from followup_gen.outputs.drafts import (
    FORMATS,
    LETTER_RULES,
    DraftError,
    draft,
    letter_notes,
    with_letters,
)
from followup_gen.problems import did_you_mean
from followup_gen.rules import RULES
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import FollowUp


def _fail(message: str) -> None:
    click.echo(f"followup-gen: {message}", err=True)
    raise SystemExit(1)


def _describe(items: list[FollowUp]) -> str:
    return "; ".join(
        f"{i.rule}{' about ' + i.opportunity if i.opportunity else ''} "
        f"{'with ' + ', '.join(i.merged) + ' ' if i.merged else ''}"
        f"(due {i.due:%Y-%m-%d}; {i.status})"
        for i in items
    )


def _list(loaded, items: list[FollowUp], rule: str | None, opportunity: str | None, day) -> None:
    """The open follow-ups due by ``day`` (of ``rule``) that have a letter,
    each as its draft command."""
    shown = [
        i
        for i in with_letters(loaded, items)
        if i.status != "upcoming"
        and (rule is None or i.rule == rule or rule in i.merged)
        and (opportunity is None or i.opportunity == opportunity)
    ]
    if not shown:
        what = f"{rule} " if rule else ""
        click.echo(f"No {what}letters to draft on {day:%Y-%m-%d}.")
        return
    click.echo(f"Letters to draft on {day:%Y-%m-%d} (run one):")
    for i in shown:
        about = f" --opportunity {i.opportunity}" if i.opportunity else ""
        click.echo(
            f"  followup-gen draft {i.rule} {i.contact}{about}    # {i.contact_name}, {i.status}"
        )


@main.command("draft")
@click.argument("rule", required=False)
@click.argument("contact", required=False)
@click.option(
    "--opportunity",
    "-o",
    metavar="ID",
    default=None,
    help="The opportunity id, when the contact has this follow-up for several.",
)
@root_option
@today_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Plain text, Markdown (escaped, with hard line breaks), or a printable HTML page.",
)
def draft_command(
    rule: str | None,
    contact: str | None,
    opportunity: str | None,
    root: Path,
    today: dt.datetime | None,
    fmt: str,
) -> None:
    """Print the draft letter for an open follow-up: RULE for CONTACT.

    RULE is a rule id such as interview-thank-you; CONTACT is a contact id
    (the file name under contacts/, or its start). Without them, or with RULE
    alone, it lists the letters there are to draft today. The letter is signed with profile.md and
    laid out for the item's channel. Exits 1 when the item is not open. Notes
    on standard error say what the draft lacks (their address on the
    channel, a personal greeting).
    """
    rule_ids = tuple(dict.fromkeys([*(r.id for r in RULES), *LETTER_RULES]))
    if rule is not None and rule not in rule_ids:
        raise click.BadParameter(
            f"unknown rule '{rule}'{did_you_mean(rule, rule_ids)}; rules: {', '.join(rule_ids)}",
            param_hint="RULE",
        )
    loaded = load_lenient(root)  # profile.md's problems are among the CRM's
    profile, _ = load_profile(root)
    crm = loaded.crm
    if contact is not None:
        (contact,) = known_ids(loaded, "contacts", "contact", [contact], then="no draft")
    if opportunity is not None:
        (opportunity,) = known_ids(
            loaded, "opportunities", "opportunity", [opportunity], then="no draft"
        )
    day = resolve_today(today, loaded.settings)
    evaluation = evaluate(crm, day, loaded.settings)
    if contact is None:
        _list(loaded, evaluation.followups, rule, opportunity, day)
        return
    person = crm.contacts[contact]
    theirs = [i for i in evaluation.followups if i.contact == contact]
    # A rule whose item the plan merged into another drafts that one letter.
    matching = [
        i
        for i in theirs
        if (i.rule == rule or rule in i.merged)
        and (opportunity is None or i.opportunity == opportunity)
    ]
    if not matching:
        about = f" about {opportunity}" if opportunity else ""
        others = f" Open for them: {_describe(theirs)}." if theirs else ""
        _fail(f"no open {rule} for {person.name}{about} on {day:%Y-%m-%d}.{others}")
    opportunities = list(dict.fromkeys(i.opportunity for i in matching))
    if len(opportunities) > 1:
        _fail(
            f"{person.name} has {rule} open for several opportunities: "
            f"{', '.join(o or '(none)' for o in opportunities)}; choose one with --opportunity."
        )
    if profile is None:
        click.echo(
            f"followup-gen: no {PROFILE_FILE} in {root}: your details are [PLACEHOLDERS].",
            err=True,
        )
    try:
        click.echo(draft(loaded, profile, matching[0], day, fmt), nl=False)
    except DraftError as exc:
        _fail(str(exc))
    for severity, message in letter_notes(loaded, matching[0]):
        click.echo(f"followup-gen: {severity}: {message}", err=True)
    finish(loaded)
