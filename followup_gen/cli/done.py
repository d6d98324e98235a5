"""The ``done`` command: record that you did a follow-up, in one step.

It finds the open item (by the short key ``due --commands`` and the site
show, or by rule and contact), and writes the interaction that closes it
(``closing.Closing``) with the same code as ``log``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from followup_gen.cli import Day, main, root_option
from followup_gen.cli.records import _date, choice, create, fail, known_ids
from followup_gen.exchange import write
from followup_gen.load import Loaded, load_crm
from followup_gen.outputs.closing import Closing, closings, matching
from followup_gen.problems import did_you_mean, has_errors
from followup_gen.records import CHANNELS
from followup_gen.rules import RULES
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import FollowUp


def _open_items(loaded: Loaded) -> tuple[dt.date, tuple[FollowUp, ...]]:
    day = loaded.settings.today or dt.date.today()
    return day, evaluate(loaded.crm, day, loaded.settings).followups


def _described(item: FollowUp, closing: Closing) -> str:
    about = f" about {item.opportunity}" if item.opportunity else ""
    return f"{closing.key} ({item.rule} for {item.contact}{about}, {item.status})"


def _missing_note(loaded: Loaded) -> str:
    if has_errors(loaded.problems):
        return (
            " Some files have errors (followup-gen check lists them): their items may be missing."
        )
    return ""


def _by_keys(loaded, items, found, keys) -> list[FollowUp]:
    picked = []
    rule_ids = [r.id for r in RULES]
    for typed in keys:
        hits = list({i.key: i for i in matching(items, typed)}.values())
        if len(hits) == 1:
            picked.append(hits[0])
            continue
        if hits:
            shown = ", ".join(_described(i, found[i.key]) for i in hits[:8])
            fail(f"the key '{typed}' starts several items: {shown}; type more of it")
        hint = did_you_mean(typed, rule_ids)
        if hint:
            fail(f"no open item has the key '{typed}', and no rule is called so{hint}")
        fail(
            f"no open item has the key '{typed}' (followup-gen due --commands lists each "
            f"item's key).{_missing_note(loaded)}"
        )
    return picked


def _by_rule(loaded, items, found, rule, contacts, opportunity) -> list[FollowUp]:
    people = known_ids(loaded, "contacts", "contact", contacts)
    if opportunity:
        (opportunity,) = known_ids(loaded, "opportunities", "opportunity", [opportunity])
    picked = []
    for person in dict.fromkeys(people):
        theirs = [i for i in items if i.contact == person]
        hits = [
            i
            for i in theirs
            if i.rule == rule and (opportunity is None or i.opportunity == opportunity)
        ]
        name = loaded.crm.contacts[person].name
        if not hits:
            about = f" about {opportunity}" if opportunity else ""
            others = "; ".join(_described(i, found[i.key]) for i in theirs)
            fail(
                f"{name} has no open {rule}{about}"
                + (f"; open for them: {others}" if others else "")
                + f".{_missing_note(loaded)}"
            )
        if len(hits) > 1:
            shown = "; ".join(_described(i, found[i.key]) for i in hits)
            fail(
                f"{name} has {rule} open several times: {shown}; choose one with "
                "--opportunity or by its key"
            )
        picked.append(hits[0])
    return picked


@main.command()
@click.argument("items", nargs=-1, required=True, metavar="KEY... | RULE CONTACT...")
@click.option(
    "--opportunity",
    "-o",
    metavar="ID",
    help="With RULE CONTACT: the opportunity, when the contact has the rule open for several.",
)
@click.option("--channel", "-c", help="How you did it, if not by the recommended channel.")
@click.option(
    "--date", "-d", type=Day(times=True), help="When (YYYY-MM-DD [HH:MM]). Default: today."
)
@click.option("--note", "-n", default="", help="Notes: the file's body.")
@root_option
def done(items, opportunity, channel, date, note, root: Path) -> None:
    """Mark follow-ups done: write the interaction that closes each one.

    \b
    followup-gen done 7qxa                      by the key 'due --commands' shows
    followup-gen done 7qxa k2mb                 several at once
    followup-gen done interview-thank-you rachel-kim [--opportunity ID]

    Writes interactions/<date>-<kind>-<contact>.md for each item, as 'log'
    does: the kind that closes its rule's items (thank-you, follow-up or
    check-in), its contact, opportunity and recommended channel. --channel,
    --date and --note change them. Nothing is written unless every item is
    found. A business-card item is closed by the contact's file instead, and
    done says what to add.
    """
    choice(channel, CHANNELS, "'--channel'")
    loaded = load_crm(root)
    day, open_items = _open_items(loaded)
    found = closings(loaded.crm, open_items)
    rule_ids = {r.id for r in RULES}
    if items[0] in rule_ids:
        if len(items) < 2:
            raise click.UsageError(f"name the contact: followup-gen done {items[0]} CONTACT")
        picked = _by_rule(loaded, open_items, found, items[0], items[1:], opportunity)
    else:
        if opportunity:
            raise click.UsageError(
                "--opportunity goes with RULE CONTACT; a key names its item already"
            )
        picked = _by_keys(loaded, open_items, found, items)
    picked = list({i.key: i for i in picked}.values())
    for item in picked:
        if found[item.key].kind is None:
            fail(
                f"{found[item.key].key} ({item.rule} for {item.contact}) is closed by their file, "
                f"not by an interaction: {found[item.key].command}; nothing written"
            )
    when = _date(date, loaded)
    stamp = when.date() if isinstance(when, dt.datetime) else when
    causes = {i.source.path: i for i in loaded.crm.interactions}
    for item in picked:
        cause = causes.get(item.cause.path) if item.cause else None
        if cause is not None and stamp < cause.date:
            fail(
                f"{found[item.key].key} comes from {cause.source.path} of {cause.date:%Y-%m-%d}; "
                f"a {found[item.key].kind} dated {stamp:%Y-%m-%d} is before it and would not "
                "close it; nothing written"
            )
    taken = write.taken_ids(loaded, "interactions")
    for item in picked:
        closing = found[item.key]
        record_id = write.interaction_id(stamp, closing.kind, [item.contact], taken)
        taken.add(record_id)
        new_file = write.interaction(
            record_id,
            when,
            closing.kind,
            [item.contact],
            channel=channel or closing.channel,
            opportunity=item.opportunity,
            notes=note,
        )
        create(loaded, new_file, edit=False)
        click.echo(f"  closes {closing.key}: {item.reason}")
    _still_open(root, day, picked, found)


def _still_open(root: Path, day: dt.date, written: list[FollowUp], found) -> None:
    """Warn when an item is open as before once its interaction is written
    (dated before what caused the item, say)."""
    loaded = load_crm(root)
    after = evaluate(loaded.crm, day, loaded.settings).followups
    still = {(i.key, i.due) for i in after}
    for item in written:
        if (item.key, item.due) in still:
            cause = item.cause.path if item.cause else "what caused it"
            click.echo(
                f"followup-gen: warning: {found[item.key].key} is still open: the interaction "
                f"must be dated on or after {cause}",
                err=True,
            )
