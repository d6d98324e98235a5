"""Commands that make the site: ``build`` writes the generated pages into docs/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from followup_gen.cli import (
    broken_note,
    cache_option,
    echo_problems,
    main,
    root_option,
    today_option,
)
from followup_gen.site.engine import config_file
from followup_gen.site.folder import RefusedError, write_folder
from followup_gen.site.pages import generate
from followup_gen.site.repository import from_mkdocs_yml, mkdocs_yml


def docs_dir(root: Path) -> Path:
    """The docs dir of the CRM: ``docs_dir`` of its site configuration, else docs/."""
    name = mkdocs_yml(config_file(root)).get("docs_dir")
    return root / (name if isinstance(name, str) else "docs")


@main.command()
@root_option
@today_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder to write the pages into.  [default: DOCS_DIR/<site.folder>, i.e. docs/crm]",
)
@cache_option
def build(root: Path, today: dt.datetime | None, out: Path | None, no_cache: bool) -> None:
    """Write the site's generated Markdown pages into the MkDocs docs dir.

    The same pages the MkDocs plugin 'followup' makes, for a site that does
    not use the plugin. The folder is replaced whole and atomically, and it is
    marked as generated: a folder the build did not make, or a file in it the
    build did not write, is never touched. With errors in the data, the pages
    are made from the records without errors, each page they touch says so,
    and the command exits 1.
    """
    result = generate(
        root,
        today.date() if today else None,
        cache=not no_cache,
        repository=from_mkdocs_yml(config_file(root), root),
    )
    echo_problems(result.problems)
    if out is None:
        out = docs_dir(root) / result.settings.site.folder
    try:
        write_folder(out, result.pages)
    except (RefusedError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {len(result.pages)} files to {out} for {result.today:%Y-%m-%d}.")
    note = broken_note(result.problems)
    if note:
        click.echo(note, nl=False, err=True)
        raise SystemExit(1)
