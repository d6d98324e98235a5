"""Commands that make the site: ``build`` writes the generated pages into docs/."""

from __future__ import annotations

import datetime as dt
import os
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
from followup_gen.site import standalone
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
@click.option(
    "--standalone",
    "config",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Make the folder a complete site for an engine without the plugin (Zensical): copy "
    "the site's own files from DOCS_DIR in, and write FILE (in ROOT), a configuration that "
    "inherits mkdocs.yml; then: zensical build -f FILE.",
)
@cache_option
def build(
    root: Path, today: dt.datetime | None, out: Path | None, config: Path | None, no_cache: bool
) -> None:
    """Write the site's generated Markdown pages into the MkDocs docs dir.

    The same pages the MkDocs plugin 'followup' makes, with its stylesheets
    and scripts (assets/followup/), for a site that does not use the plugin.
    The folder is replaced whole and atomically, and it is marked as
    generated: a folder the build did not make, or a file in it the build
    did not write, is never touched. With errors in the data, the pages are
    made from the records without errors, each page they touch says so, and
    the command exits 1. With --standalone FILE, the folder and FILE are the
    whole site, as the plugin makes it, for Zensical or any MkDocs-compatible
    engine: FILE is replaced only when a previous build wrote it.
    """
    site_config = config_file(root)
    if config is not None and not site_config.is_file():
        raise click.ClickException(
            f"no site configuration to inherit ({site_config} nor properdocs.yml); "
            "run 'followup-gen init' or write one"
        )
    result = generate(
        root,
        today.date() if today else None,
        cache=not no_cache,
        repository=from_mkdocs_yml(site_config, root),
    )
    echo_problems(result.problems)
    docs = docs_dir(root)
    if out is None:
        out = docs / result.settings.site.folder
    files: dict[str, str | bytes] = {**result.pages, **standalone.assets()}
    if config is not None:
        config = root / config
        files, left_out = standalone.site_source(result.pages, docs, out)
        for path in left_out:
            click.echo(
                f"followup-gen: warning: {_shown(docs / path, root)} exists, so the generated "
                "page is left out",
                err=True,
            )
    try:
        if config is not None:
            text = standalone.config(site_config, config, out, result.pages, files)
            standalone.check_config(config)
        write_folder(out, files)
        if config is not None:
            standalone.write_config(config, text)
    except (RefusedError, standalone.ConfigRefusedError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {len(files)} files to {out} for {result.today:%Y-%m-%d}.")
    if config is not None:
        name = _shown(config, root)
        click.echo(
            f"Wrote {config}: build the site with 'zensical build -f {name}' "
            f"(or mkdocs build -f {name}, properdocs build -f {name})."
        )
    note = broken_note(result.problems)
    if note:
        click.echo(note, nl=False, err=True)
        raise SystemExit(1)


def _shown(path: Path, root: Path) -> str:
    """``path`` as typed in ROOT (the commands above are run there)."""
    return Path(os.path.relpath(path, root)).as_posix()
