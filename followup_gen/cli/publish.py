"""Publishing commands: ``publish`` (build the site as it will be published)
and ``audit`` (prove that a built site leaks no personal data)."""

from __future__ import annotations

from pathlib import Path

import click

from ..audit import audit as find_leaks
from ..audit import personal_strings
from . import load_or_exit, main, root_option


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@root_option
@click.option("--limit", default=50, show_default=True, help="Show at most this many leaks.")
def audit(site_dir: Path, root: Path, limit: int) -> None:
    """Search every file of a built site for the CRM's personal data.

    Looks for each contact's name and its parts, ids, email, phone, address
    lines, company, title, tags and note sentences (and the same for
    opportunities and interactions), raw, HTML-escaped and URL-encoded, in
    every file of SITE_DIR (HTML, JS, JSON, XML, ICS, gzipped files, file
    names). Exits 1 and lists each leak when anything is found.
    """
    loaded = load_or_exit(root)
    needles = personal_strings(loaded.crm)
    leaks = find_leaks(site_dir, needles)
    scanned = sum(1 for p in site_dir.rglob("*") if p.is_file())
    for leak in leaks[:limit]:
        click.echo(leak.format())
    if len(leaks) > limit:
        click.echo(f"... and {len(leaks) - limit} more")
    if leaks:
        files = len({leak.file for leak in leaks})
        click.echo(
            f"followup-gen: {len(leaks)} leaks of personal data in {files} of {scanned} files",
            err=True,
        )
        raise SystemExit(1)
    click.echo(
        f"No personal data found: {len(needles)} personal strings searched in {scanned} files.",
        err=True,
    )
