"""Commands that evaluate the rules: ``due`` and ``report``."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import click

from followup_gen.cli import (
    broken_note,
    cache_option,
    emit,
    main,
    problem_lines,
    resolve_today,
    root_option,
    today_option,
)
from followup_gen.cli.answers import Answer, remembered
from followup_gen.load import Loaded, load_crm
from followup_gen.outputs.closing import closings
from followup_gen.outputs.report import report_json
from followup_gen.problems import has_errors, sort_problems
from followup_gen.records import CRM
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import Evaluation, FollowUp

_COLOURS = {"overdue": "red", "due": "yellow", "upcoming": "cyan"}
_HEADERS = ("STATUS", "DUE", "CONTACT", "RULE", "CHANNEL", "REASON")


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
@click.option(
    "--commands",
    is_flag=True,
    help="Instead of the table, each item's key and the command that records it done.",
)
@cache_option
def due(
    root: Path, today: dt.datetime | None, within: int, limit: int, commands: bool, no_cache: bool
) -> None:
    """List the follow-ups to do: overdue first, then due, then upcoming.

    One line per follow-up: status, due date, contact, rule, channel and why.
    With a backlog, the most urgent --limit are listed and the rest counted.
    --commands lists each item's short key and, under it, the 'followup-gen
    log' command that records it done ('followup-gen done KEY' does the same).
    With errors in the files: the problems first, the list made from the
    rest, what may be missing, and exit 1.
    """
    colour = _stdout_is_terminal()
    # At a terminal the lines are wrapped to its width; piped, they stay whole.
    width = shutil.get_terminal_size().columns if colour else 0

    def text(loaded: Loaded, evaluation: Evaluation) -> str:
        if commands:
            return _commands_text(loaded.crm, evaluation, within, limit)
        complete = not has_errors(loaded.problems)
        table = _due_text(loaded.crm, evaluation, within, colour, limit, complete, width)
        if colour and evaluation.followups:  # a person at a terminal: say how to close one
            table += _wrapped(_DONE_HINT.rstrip("\n"), width, 2) + "\n"
        return table

    def compute() -> Answer:
        return _evaluated(root, today, no_cache, text)

    arguments = (today, within, limit, colour, width, commands)
    emit(remembered(root, "due", arguments, compute, use=not no_cache))


def _evaluated(
    root: Path,
    today: dt.datetime | None,
    no_cache: bool,
    output: Callable[[Loaded, Evaluation], str],
) -> Answer:
    """Load, evaluate and write ``output`` from every valid record, after the
    problems; with errors, a note of what may be missing, and exit 1."""
    loaded = load_crm(root, cache=not no_cache)
    day = resolve_today(today, loaded.settings)
    evaluation = evaluate(loaded.crm, day, loaded.settings)
    problems = sort_problems([*loaded.problems, *evaluation.problems])
    failed = has_errors(problems)
    return Answer(
        output(loaded, evaluation), problem_lines(problems), int(failed), broken_note(problems)
    )


def _channel(f: FollowUp) -> str:
    return f"{f.channel}+{f.also_by}" if f.also_by else f.channel


def _due_text(
    crm: CRM,
    evaluation: Evaluation,
    within: int,
    colour: bool,
    limit: int = 0,
    complete: bool = True,
    width: int = 0,
) -> str:
    """The due table; ``complete`` False: files with errors may hide items.

    ``width`` (a terminal's, 0 when piped): every line is wrapped to it, an
    item's reason under the REASON column, or, when the columns leave it
    fewer than ``_MIN_REASON``, each item stacked: its cells on one line,
    the reason and the channel's why under them.
    """
    horizon = evaluation.today + dt.timedelta(days=within)
    picked = [f for f in evaluation.followups if f.status != "upcoming" or f.due <= horizon]
    shown = picked[:limit] if limit else picked
    lines = []
    search = evaluation.search
    if not search.active:
        opportunity = crm.opportunities.get(search.accepted.opportunity or "")
        what = f" ({opportunity.role} at {opportunity.company})" if opportunity else ""
        lines.append(
            f"Your search ended on {search.ended:%Y-%m-%d}: you accepted an offer{what}. "
            "Congratulations!"
        )
    quiet = bool(evaluation.stalled) or not evaluation.pipeline.healthy
    if not picked:
        lines.append(
            f"Nothing to follow up on today or in the next {within} days "
            f"({evaluation.today:%Y-%m-%d})" + ("." if quiet or not complete else ". Nicely done.")
        )
    else:
        rows = [
            (
                f.status,
                f.due.isoformat(),
                f.contact_name or f.contact,
                f.rule,
                _channel(f),
                f.reason,
            )
            for f in shown
        ]
        table = _table(rows, colour=colour)
        indent = len(table[0]) - len("REASON")
        stacked = bool(width) and width - indent < _MIN_REASON
        if not stacked:
            lines.append(table[0])
        for f, row, line in zip(shown, rows, table[1:], strict=True):
            if stacked:
                cells = f"{row[1]}  {row[2]} · {row[3]} · {row[4]}"
                lines.append(line[: line.index(row[1])] + _wrapped(cells, width, 10, 10).lstrip())
                lines.append(_wrapped(f.reason, width, 10, 10))
                lines.append(_wrapped(_why(f), width, 10, 10))
            else:
                lines.append(
                    line[: -len(f.reason)] + _wrapped(f.reason, width, indent, indent).lstrip()
                )
                lines.append(_wrapped(_why(f), width, indent, indent))
        if len(shown) < len(picked):
            lines.append(
                f"... and {len(picked) - len(shown)} more (the first {len(shown)} are "
                "the most urgent; --limit 0 lists them all)."
            )
        lines.append("")
        lines.append(_count([f.status for f in picked], within))
    after = []
    held = len(evaluation.held)
    if held:
        after.append(
            f"{held} more {'waits' if held == 1 else 'wait'} behind an open item for the same "
            "person (one message at a time; 'report --json' lists them under 'held')."
        )
    for stalled in evaluation.stalled:
        opportunity = crm.opportunities[stalled.opportunity]
        after.append(f"Stalled: {opportunity.role} at {opportunity.company}: {stalled.reason}")
        if stalled.readings:
            after.append("  It may mean: " + " ".join(stalled.readings))
        for action in stalled.actions:
            after.append(f"  Do: {action}")
    if not evaluation.pipeline.healthy:
        after.append(evaluation.pipeline.message)
    lines.extend(_wrapped(line, width, 4 if line.startswith("  ") else 2) for line in after)
    return "".join(f"{line}\n" for line in lines)


# Fewer columns than this left for the reason, and each item is stacked.
_MIN_REASON = 30


def _wrapped(text: str, width: int, indent: int, first: int | None = None) -> str:
    """``text`` wrapped to ``width`` (0: as it is), its lines after the first
    indented by ``indent``, the first by ``first`` (default: as written)."""
    if not width:
        return " " * (first or 0) + text
    lead = len(text) - len(text.lstrip(" ")) if first is None else first
    return textwrap.fill(
        text.lstrip(" "),
        max(width, indent + 20),
        initial_indent=" " * lead,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    )


def _why(f: FollowUp) -> str:
    """The line under an item: why this channel, what closes it."""
    kinds = " or ".join(f"'{kind}'" for kind in f.closed_by)
    closes = f" Log {kinds} when done." if f.closed_by and f.contact else ""
    return f"{f.channel}: {f.channel_why}{closes}"


_DONE_HINT = (
    "Done one? followup-gen done KEY (followup-gen due --commands shows each item's key "
    "and command).\n"
)


def _commands_text(crm: CRM, evaluation: Evaluation, within: int, limit: int = 0) -> str:
    """Each item to do (as the table picks them), with its short key and, under it,
    the command that records it done."""
    horizon = evaluation.today + dt.timedelta(days=within)
    picked = [f for f in evaluation.followups if f.status != "upcoming" or f.due <= horizon]
    if not picked:
        return f"Nothing to follow up on today or in the next {within} days.\n"
    shown = picked[:limit] if limit else picked
    found = closings(crm, evaluation.followups)
    width = max(len(found[f.key].key) for f in shown)
    lines = []
    for item in shown:
        closing = found[item.key]
        who = item.contact_name or item.contact
        about = f" · {item.opportunity}" if item.opportunity else ""
        lines.append(
            f"{closing.key.ljust(width)}  {item.status.ljust(8)}  {item.due:%Y-%m-%d}  "
            f"{who} · {item.rule}{about} · {item.channel}"
        )
        lines.append(f"{'':{width}}  {closing.command}")
    if len(shown) < len(picked):
        lines.append(f"... and {len(picked) - len(shown)} more (--limit 0 lists them all).")
    example = found[shown[0].key].key
    lines.append("")
    lines.append(
        f"Mark one done with followup-gen done KEY (followup-gen done {example}), "
        "or run the command under it."
    )
    return "".join(f"{line}\n" for line in lines)


@main.command()
@root_option
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (required).")
@cache_option
def report(root: Path, today: dt.datetime | None, as_json: bool, no_cache: bool) -> None:
    """Print everything the rules say, as one JSON object for scripts.

    Keys: today, followups (every open item, upcoming ones included),
    stalled, bridges, problems and more (docs/guide/due.md). The same files
    and --today give byte-identical output. With errors in the files, the
    report of the rest, the problems in it, and exit 1.
    """
    if not as_json:
        raise click.UsageError(
            "the report is JSON: say 'report --json' (for a table, use 'followup-gen due')"
        )

    def compute() -> Answer:
        return _evaluated(
            root,
            today,
            no_cache,
            lambda loaded, evaluation: report_json(evaluation, loaded.problems),
        )

    emit(remembered(root, "report", (today,), compute, use=not no_cache))
