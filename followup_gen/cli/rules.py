"""Commands that evaluate the rules: ``due`` and ``report``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import click

from followup_gen.cli import (
    answer,
    cache_option,
    errors_answer,
    main,
    problem_lines,
    resolve_today,
    root_option,
    today_option,
)
from followup_gen.load import Loaded, incremental
from followup_gen.load.memo import Answer, Outside, Scan
from followup_gen.load.settings import load_settings
from followup_gen.rules.evaluate import evaluate

_COLOURS = {"overdue": "red", "due": "yellow", "upcoming": "cyan"}
_HEADERS = ("STATUS", "DUE", "CONTACT", "RULE", "CHANNEL", "REASON")


def _pieces(
    load: Callable[[], Loaded], today_option: dt.datetime | None, save: bool
) -> incremental.Pieces | Answer:
    """Load and evaluate everything (stored as the base unless ``save`` is
    False); on errors, the answer listing them."""
    loaded = load()
    failed = errors_answer(loaded)
    if failed is not None:
        return failed
    evaluation = evaluate(loaded.crm, resolve_today(today_option, loaded.settings), loaded.settings)
    result = incremental.pieces(loaded, evaluation)
    if save:
        incremental.save(loaded, result)
    return result


def _updater(
    root: Path, today_option: dt.datetime | None, output: Callable[[incremental.Pieces], str]
) -> Callable[[Scan, Outside], Answer | None]:
    """Work the answer out from the base and the changed files, if it can be."""

    def update(found: Scan, before: Outside) -> Answer | None:
        settings, _ = load_settings(root)
        day = resolve_today(today_option, settings)
        result = incremental.update(root, found, before, day, settings)
        if result is None:
            return None
        return Answer(output(result), problem_lines(result.problems), 0)

    return update


def _day(today: dt.datetime | None) -> str:
    return today.date().isoformat() if today else ""


def _table(rows: list[tuple[str, ...]], colour: bool) -> list[str]:
    widths = [max(len(row[i]) for row in [_HEADERS, *rows]) for i in range(5)]
    lines = []
    for n, row in enumerate([_HEADERS, *rows]):
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        if colour and n:
            padded[0] = click.style(
                padded[0], fg=_COLOURS[row[0]], bold=(row[0] == "overdue") or None
            )
        lines.append("  ".join([*padded, row[5]]))
    return lines


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _count(statuses: list[str], within: int) -> str:
    counts = {status: statuses.count(status) for status in _COLOURS}
    days = "day" if within == 1 else "days"
    return (
        f"{counts['overdue']} overdue, {counts['due']} due, "
        f"{counts['upcoming']} upcoming in the next {within} {days}."
    )


@main.command()
@root_option
@today_option
@click.option(
    "--within",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    metavar="DAYS",
    help="Also list upcoming follow-ups due within this many days.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help="Show at most N follow-ups, the most urgent; 0 shows them all.",
)
@cache_option
def due(root: Path, today: dt.datetime | None, within: int, limit: int, no_cache: bool) -> None:
    """List the follow-ups to do: overdue first, then due, then upcoming.

    One line per follow-up: status, due date, contact, rule, channel and why.
    With a backlog, the most urgent --limit are listed and the rest counted.
    Exits 1, printing the problems, when the data has errors.
    """
    colour = _stdout_is_terminal()

    def output(result: incremental.Pieces) -> str:
        return _due_text(result, within, colour, limit)

    def compute(load: Callable[[], Loaded]) -> Answer:
        result = _pieces(load, today, save=not no_cache)
        if isinstance(result, Answer):
            return result
        return Answer(output(result), problem_lines(result.problems), 0)

    answer(
        "due",
        root,
        no_cache=no_cache,
        arguments=(_day(today), str(within), str(colour), str(limit)),
        compute=compute,
        update=_updater(root, today, output),
        has_base=incremental.has_base,
    )


def _due_text(result: incremental.Pieces, within: int, colour: bool, limit: int = 0) -> str:
    horizon = (result.today + dt.timedelta(days=within)).isoformat()
    picked = [
        n
        for n in range(len(result.keys))
        if result.status(n) != "upcoming" or result.due(n) <= horizon
    ]
    shown = picked[:limit] if limit else picked
    lines = []
    if not picked:
        lines.append(
            f"Nothing to follow up on today or in the next {within} days "
            f"({result.today:%Y-%m-%d}). Nicely done."
        )
    else:
        lines.extend(_table([result.row(n) for n in shown], colour=colour))
        if len(shown) < len(picked):
            lines.append(
                f"... and {len(picked) - len(shown)} more (the first {len(shown)} are "
                "the most urgent; --limit 0 lists them all)."
            )
        lines.append("")
        lines.append(_count([result.status(n) for n in picked], within))
    lines.extend(line for _, _, line in result.stalled)
    if not result.pipeline.healthy:
        lines.append(result.pipeline.message)
    return "".join(f"{line}\n" for line in lines)


@main.command()
@root_option
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (required).")
@cache_option
def report(root: Path, today: dt.datetime | None, as_json: bool, no_cache: bool) -> None:
    """Print everything the rules say, as one JSON object for scripts.

    Keys: today, followups (every open item, upcoming ones included),
    stalled, bridges, problems. The same files and --today give byte-identical
    output. Exits 1, printing the problems, when the data has errors.
    """
    if not as_json:
        raise click.UsageError(
            "the report is JSON: say 'report --json' (for a table, use 'followup-gen due')"
        )

    def compute(load: Callable[[], Loaded]) -> Answer:
        result = _pieces(load, today, save=not no_cache)
        if isinstance(result, Answer):
            return result
        return Answer(result.report(), problem_lines(result.problems), 0)

    answer(
        "report",
        root,
        no_cache=no_cache,
        arguments=(_day(today),),
        compute=compute,
        update=_updater(root, today, incremental.Pieces.report),
        has_base=incremental.has_base,
    )
