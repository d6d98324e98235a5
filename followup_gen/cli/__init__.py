"""The ``followup-gen`` command line: parse options, call the library, print.

Exit codes: 0 success, 1 the data has errors (or what was asked is not
there), 2 a usage error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .. import __version__
from ..crm import Loaded, load_crm
from ..problem import Problem, has_errors


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
    """``--no-cache``: parse every file, neither reading nor writing the parse cache."""
    return click.option(
        "--no-cache",
        "no_cache",
        is_flag=True,
        help="Parse every file; do not read or write the parse cache (.followup-cache/).",
    )(function)


def resolve_today(option: dt.datetime | None, loaded: Loaded) -> dt.date:
    """``--today`` wins, then the settings' pinned day, then the local date."""
    if option is not None:
        return option.date()
    return loaded.settings.today or dt.date.today()


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


def load_or_exit(root: Path, *, cache: bool = True) -> Loaded:
    """Load the CRM; on errors print every problem and exit 1."""
    loaded = load_crm(root, cache=cache)
    if has_errors(loaded.problems):
        echo_problems(loaded.problems)
        click.echo(f"followup-gen: {summary(loaded.problems)}; fix them first.", err=True)
        raise SystemExit(1)
    return loaded


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    echo_problems(loaded.problems, err=False)
    crm = loaded.crm
    counts = (
        f"{len(crm.contacts)} contacts, {len(crm.opportunities)} opportunities, "
        f"{len(crm.interactions)} interactions"
    )
    failed = has_errors(loaded.problems) or (strict and bool(loaded.problems))
    if loaded.problems:
        click.echo(f"{summary(loaded.problems)} ({counts} valid)", err=True)
    else:
        click.echo(f"OK: {counts}", err=True)
    raise SystemExit(1 if failed else 0)


# Each module below adds its commands to `main`; they are imported last so
# that they can use the shared options above.
from . import drafts, exchange, publish, records, rules, site  # noqa: E402,F401
