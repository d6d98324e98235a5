"""Commands that evaluate the rules: ``due`` and ``report``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import click

from .. import incremental
from ..crm import Loaded
from ..evaluate import evaluate
from ..followup import Evaluation, FollowUp
from ..memo import Answer, Outside, Scan
from ..problem import sort_problems
from ..settings import load_settings
from . import (
    answer,
    cache_option,
    errors_answer,
    main,
    problem_lines,
    resolve_today,
    root_option,
    today_option,
)

_COLOURS = {"overdue": "red", "due": "yellow", "upcoming": "cyan"}
_HEADERS = ("STATUS", "DUE", "CONTACT", "RULE", "CHANNEL", "REASON")


def _evaluate(
    load: Callable[[], Loaded], today_option: dt.datetime | None
) -> tuple[Loaded, Evaluation, str] | Answer:
    """Load and evaluate, with every warning as text for stderr; on errors, the answer."""
    loaded = load()
    failed = errors_answer(loaded)
    if failed is not None:
        return failed
    evaluation = evaluate(loaded.crm, resolve_today(today_option, loaded), loaded.settings)
    warnings = problem_lines(sort_problems([*loaded.problems, *evaluation.problems]))
    return loaded, evaluation, warnings


def _day(today: dt.datetime | None) -> str:
    return today.date().isoformat() if today else ""


def _table(rows: list[FollowUp], colour: bool) -> list[str]:
    cells = [
        (f.status, f.due.isoformat(), f.contact_name or f.contact, f.rule, f.channel, f.reason)
        for f in rows
    ]
    widths = [max(len(row[i]) for row in [_HEADERS, *cells]) for i in range(5)]
    lines = []
    for n, row in enumerate([_HEADERS, *cells]):
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        if colour and n:
            padded[0] = click.style(
                padded[0], fg=_COLOURS[row[0]], bold=(row[0] == "overdue") or None
            )
        lines.append("  ".join([*padded, row[5]]))
    return lines


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _count(rows: list[FollowUp], within: int) -> str:
    counts = {status: sum(f.status == status for f in rows) for status in _COLOURS}
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

    def compute(load: Callable[[], Loaded]) -> Answer:
        evaluated = _evaluate(load, today)
        if isinstance(evaluated, Answer):
            return evaluated
        loaded, evaluation, warnings = evaluated
        return Answer(_due_text(loaded, evaluation, within, colour, limit), warnings, 0)

    arguments = (_day(today), str(within), str(colour), str(limit))
    answer("due", root, no_cache=no_cache, arguments=arguments, compute=compute)


def _due_text(
    loaded: Loaded, evaluation: Evaluation, within: int, colour: bool, limit: int = 0
) -> str:
    horizon = evaluation.today + dt.timedelta(days=within)
    rows = [f for f in evaluation.followups if f.status != "upcoming" or f.due <= horizon]
    shown = rows[:limit] if limit else rows
    lines = []
    if not rows:
        lines.append(
            f"Nothing to follow up on today or in the next {within} days "
            f"({evaluation.today:%Y-%m-%d}). Nicely done."
        )
    else:
        lines.extend(_table(shown, colour=colour))
        if len(shown) < len(rows):
            lines.append(
                f"... and {len(rows) - len(shown)} more (the first {len(shown)} are "
                "the most urgent; --limit 0 lists them all)."
            )
        lines.append("")
        lines.append(_count(rows, within))
    for stalled in evaluation.stalled:
        opportunity = loaded.crm.opportunities[stalled.opportunity]
        lines.append(f"Stalled: {opportunity.role} at {opportunity.company}: {stalled.reason}")
    if not evaluation.pipeline.healthy:
        lines.append(evaluation.pipeline.message)
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
        evaluated = _evaluate(load, today)
        if isinstance(evaluated, Answer):
            return evaluated
        loaded, evaluation, _ = evaluated
        result = incremental.pieces(loaded, evaluation)
        if not no_cache and loaded.outside is not None:
            incremental.save(loaded, result, loaded.outside)
        return Answer(result.report(), problem_lines(result.problems), 0)

    def update(found: Scan, before: Outside) -> Answer | None:
        settings, _ = load_settings(root)
        day = today.date() if today is not None else settings.today or dt.date.today()
        result = incremental.update(root, found.paths, found.stats, before, day, settings)
        if result is None:
            return None
        return Answer(result.report(), problem_lines(result.problems), 0)

    answer(
        "report",
        root,
        no_cache=no_cache,
        arguments=(_day(today),),
        compute=compute,
        update=update,
        has_base=incremental.has_base,
    )
