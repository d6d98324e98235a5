"""The ``followup-gen`` command line: parse options, call the library, print.

Exit codes: 0 success, 1 the data has errors (or what was asked is not
there), 2 a usage error.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import click

from followup_gen import __version__
from followup_gen.load import Loaded, load_crm
from followup_gen.load.settings import Settings
from followup_gen.problems import Problem, has_errors


def root_option(function):
    return click.option(
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The CRM folder: the one holding contacts/, opportunities/, interactions/.",
    )(function)


def today_option(function):
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
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


def summary(problems: tuple[Problem, ...]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.file for p in problems})
    plural = "s" if files != 1 else ""
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''} in {files} file{plural}"
    )


def problem_lines(problems: tuple[Problem, ...] | list[Problem]) -> str:
    return "".join(f"{problem.format()}\n" for problem in problems)


def load_or_exit(root: Path, *, cache: bool = True) -> Loaded:
    """Load the CRM; on errors print every problem and exit 1."""
    loaded = load_crm(root, cache=cache)
    if has_errors(loaded.problems):
        echo_problems(loaded.problems)
        click.echo(f"followup-gen: {summary(loaded.problems)}; fix them first.", err=True)
        raise SystemExit(1)
    return loaded


# Which module of this package defines each command. A run imports only the
# module of its command, so `report` never loads the site, letter, calendar,
# vCard or encryption libraries (start-up time counts on every run).
COMMANDS = {
    "audit": "publish",
    "build": "site",
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
@cache_option
def check(root: Path, strict: bool, no_cache: bool) -> None:
    """Validate every file and list each problem as path:line.

    Exits 0 when there are no errors (warnings are allowed unless --strict),
    1 when there are.
    """
    loaded = load_crm(root, cache=not no_cache)
    crm, problems = loaded.crm, loaded.problems
    found = (
        f"{len(crm.contacts)} contacts, {len(crm.opportunities)} opportunities, "
        f"{len(crm.interactions)} interactions"
    )
    echo_problems(problems, err=False)
    click.echo(f"{summary(problems)} ({found} valid)" if problems else f"OK: {found}", err=True)
    if has_errors(problems) or (strict and problems):
        raise SystemExit(1)
