"""The ``followup-gen`` command line: parse options, call the library, print.

Exit codes: 0 success, 1 the data has errors (or what was asked is not
there), 2 a usage error.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path

import click

from followup_gen import __version__
from followup_gen.cli.answers import Answer, remembered
from followup_gen.load import Loaded, load_crm
from followup_gen.load.schema import out_of_range
from followup_gen.load.settings import Settings
from followup_gen.problems import Problem, has_errors, sort_problems


def root_option(function):
    return click.option(
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The CRM folder: the one holding contacts/, opportunities/, interactions/.",
    )(function)


class Day(click.ParamType):
    """A date as the files write it, ``YYYY-MM-DD`` (with ``times``, also
    ``YYYY-MM-DD HH:MM``); refused as a file would refuse it, with the date
    that was probably meant (``12/18/2026``: ``2026-12-18``)."""

    name = "date"

    def __init__(self, times: bool = False) -> None:
        self.times = times

    def convert(self, value, param, ctx) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        formats = ["%Y-%m-%d", *(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] if self.times else [])]
        for form in formats:
            try:
                found = dt.datetime.strptime(text, form)
            except ValueError:
                continue
            problem = out_of_range(found.date())
            if problem:
                self.fail(problem, param, ctx)
            return found
        shape = "YYYY-MM-DD" + (" or 'YYYY-MM-DD HH:MM'" if self.times else "")
        meant = _meant(text)
        hint = f" (did you mean {meant}?)" if meant else ""
        self.fail(f"'{text}' is not a date{hint}: use {shape}, e.g. 2026-12-18", param, ctx)


def _meant(text: str) -> str | None:
    """The ISO date an unambiguous other form stands for: 12/18/2026, 18.12.2026, 2026/12/18."""
    parts = [int(p) for p in re.findall(r"\d+", text)]
    if len(parts) != 3 or not re.fullmatch(r"\d+[./-]\d+[./-]\d+", text):
        return None
    if parts[0] > 31:
        candidates = [(parts[0], parts[1], parts[2])]
    else:  # day and month are told apart only when one of them is over 12
        a, b, year = parts
        year += 2000 if year < 100 else 0
        candidates = [(year, a, b)] if b > 12 else [(year, b, a)] if a > 12 else []
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    return None


def today_option(function):
    return click.option(
        "--today",
        type=Day(),
        default=None,
        help="Evaluate the rules as of this day (YYYY-MM-DD). Default: the "
        "settings' pinned 'today', else the local date.",
    )(function)


def cache_option(function):
    """``--no-cache``: parse every file and work everything out afresh."""
    return click.option(
        "--no-cache",
        "no_cache",
        is_flag=True,
        help="Parse every file and work the answer out afresh; do not read or write "
        "the caches in .followup-cache/.",
    )(function)


def resolve_today(option: dt.datetime | None, settings: Settings) -> dt.date:
    """``--today`` wins, then the settings' pinned day, then the local date."""
    if option is not None:
        return option.date()
    return settings.today or dt.date.today()


def echo_problems(problems: tuple[Problem, ...] | list[Problem], *, err: bool = True) -> None:
    for problem in problems:
        click.echo(problem.format(), err=err)


def counted(n: int, noun: str, nouns: str = "") -> str:
    """``1 contact``, ``2 contacts``; ``nouns`` where the plural is not noun + s."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def summary(problems: tuple[Problem, ...]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    files = len({p.file for p in problems})
    return (
        f"{counted(errors, 'error')}, {counted(len(problems) - errors, 'warning')} "
        f"in {counted(files, 'file')}"
    )


def problem_lines(problems: tuple[Problem, ...] | list[Problem]) -> str:
    return "".join(f"{problem.format()}\n" for problem in problems)


def errors_answer(problems: tuple[Problem, ...]) -> Answer:
    """The answer of a command that cannot work on a CRM with these errors (exit 1)."""
    failed = f"followup-gen: {summary(problems)}; fix them first.\n"
    return Answer("", problem_lines(problems) + failed, 1)


def emit(answer: Answer) -> None:
    """Print an answer (its colours as they are) and exit with its code."""
    if answer.err:
        click.echo(answer.err, nl=False, err=True, color=True)
    if answer.out:
        click.echo(answer.out, nl=False, color=True)
    if answer.note:
        click.echo(answer.note, nl=False, err=True, color=True)
    if answer.code:
        raise SystemExit(answer.code)


def broken_note(problems: tuple[Problem, ...] | list[Problem]) -> str:
    """After the output of a CRM with errors: what may be missing from it, and why."""
    files = sorted({p.file for p in problems if p.severity == "error"})
    if not files:
        return ""
    shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    return (
        f"followup-gen: {len(files)} file{'s have' if len(files) != 1 else ' has'} errors "
        f"(listed above): {shown}. Their records, and items that depend on them, may be "
        "missing until they are fixed.\n"
    )


def load_lenient(root: Path) -> Loaded:
    """Load the CRM to work from its valid records; with errors, print the
    problems first (``finish`` then exits 1 after the output)."""
    loaded = load_crm(root)
    if has_errors(loaded.problems):
        echo_problems(loaded.problems)
    return loaded


def finish(loaded: Loaded) -> None:
    """After a command's output: with files in error, say what may be missing and exit 1."""
    note = broken_note(loaded.problems)
    if note:
        click.echo(note, nl=False, err=True)
        raise SystemExit(1)


def load_or_exit(root: Path, *, cache: bool = True) -> Loaded:
    """Load the CRM; on errors print every problem and exit 1 (``publish``: it
    cannot vouch for what it could not read)."""
    loaded = load_crm(root, cache=cache)
    if has_errors(loaded.problems):
        emit(errors_answer(loaded.problems))
    return loaded


# Which module of this package defines each command. A run imports only the
# module of its command, so `report` never loads the site, letter, calendar,
# vCard or encryption libraries (start-up time counts on every run).
COMMANDS = {
    "audit": "publish",
    "build": "site",
    "done": "done",
    "draft": "drafts",
    "due": "rules",
    "export": "exchange",
    "ics": "exchange",
    "import": "exchange",
    "init": "records",
    "log": "records",
    "new": "records",
    "publish": "publish",
    "report": "rules",
    "salt": "publish",
}


class LazyGroup(click.Group):
    """A group whose commands' modules are imported when a command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}")
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="followup-gen")
def main() -> None:
    """A job-search CRM in plain text: check it, see what is due, build its site.

    Your CRM is a folder with contacts/, opportunities/ and interactions/,
    one Markdown file with YAML front matter per record.
    """


@main.command()
@root_option
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@today_option
@cache_option
def check(root: Path, strict: bool, today: dt.datetime | None, no_cache: bool) -> None:
    """Validate every file and list each problem as path:line.

    The rules' warnings of the day are listed too (an interview whose
    thank-you is open has no 'specifics'), as the site's Problems page and a
    strict build count them. Exits 0 when there are no errors (warnings are
    allowed unless --strict or followup.yml's 'strict: true'), 1 when there are.
    """
    from followup_gen.rules.evaluate import warnings  # only check needs the rules here

    def compute() -> Answer:
        loaded = load_crm(root, cache=not no_cache)
        crm = loaded.crm
        noticed = warnings(crm, resolve_today(today, loaded.settings), loaded.settings)
        problems = sort_problems((*loaded.problems, *noticed))
        found = (
            f"{counted(len(crm.contacts), 'contact')}, "
            f"{counted(len(crm.opportunities), 'opportunity', 'opportunities')}, "
            f"{counted(len(crm.interactions), 'interaction')}"
        )
        said = f"{summary(problems)} ({found} valid)" if problems else f"OK: {found}"
        strictly = strict or loaded.settings.strict  # followup.yml's `strict: true`
        failed = has_errors(problems) or (strictly and bool(problems))
        return Answer(problem_lines(problems), "", 1 if failed else 0, f"{said}\n")

    emit(remembered(root, "check", (strict, today), compute, use=not no_cache))
