"""Publishing commands: ``publish`` (build the site as it will be published),
``audit`` (prove that a built site leaks no personal data) and ``salt`` (give
the site its own key-derivation salt, once)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
from base64 import b64decode
from pathlib import Path

import click

from followup_gen.cli import (
    echo_problems,
    load_or_exit,
    main,
    resolve_today,
    root_option,
    summary,
    today_option,
)
from followup_gen.cli.site import config_file as site_config
from followup_gen.load import Loaded
from followup_gen.load.profile import load_profile
from followup_gen.load.settings import SETTINGS_FILE, load_settings, read_settings
from followup_gen.problems import has_errors
from followup_gen.publish.audit import Needle, personal_strings
from followup_gen.publish.audit import audit as find_leaks
from followup_gen.publish.encrypt import PASSWORD_VARIABLE, password_problem, salt_for, seal
from followup_gen.publish.salt import new_salt, with_salt
from followup_gen.site import engine
from followup_gen.site.folder import running, swap_in

MARKER = ".followup-publish"


def _ours(out: Path) -> bool:
    """A folder publish may replace: its own output, or an MkDocs build's."""
    made_by_mkdocs = (out / "sitemap.xml.gz").is_file() and (out / "404.html").is_file()
    return (out / MARKER).is_file() or made_by_mkdocs


def needles_for(loaded: Loaded, scope: str) -> tuple[tuple[Needle, ...], str]:
    """The personal strings a site must not contain, and what that scope means.

    ``all``: every personal string. ``published``: what the settings' publish
    mode promises to hide: everything when ``encrypted``, the ``redact``
    fields when ``redact``, nothing when ``access-controlled`` (the host's
    login is the protection).
    """
    needles = personal_strings(loaded.crm, load_profile(loaded.root)[0])
    mode = loaded.settings.publish.mode
    if scope == "all" or mode == "encrypted":
        return needles, "all personal data"
    if mode == "redact":
        fields = set(loaded.settings.publish.redact)
        kept = tuple(n for n in needles if n.origin.rsplit(": ", 1)[-1] in fields)
        return kept, f"the redacted fields ({', '.join(sorted(fields))})"
    return (), "nothing (access-controlled mode: the host's login protects the site)"


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@root_option
@click.option("--limit", default=50, show_default=True, help="Show at most this many leaks.")
@click.option(
    "--scope",
    type=click.Choice(["all", "published"]),
    default="all",
    show_default=True,
    help="all: every personal string must be absent. published: what the settings' "
    "publish mode promises (everything when encrypted, the redact fields when redact).",
)
def audit(site_dir: Path, root: Path, limit: int, scope: str) -> None:
    """Search every file of a built site for the CRM's personal data.

    Looks for each contact's name and its parts, ids, email, phone, address
    lines, company, title, tags and note sentences (and the same for
    opportunities and interactions, and your own details in profile.md) in
    every file and file or folder name of SITE_DIR, whatever the case, the
    tags, entities, escapes (URL, JavaScript, CSS), soft hyphens or
    separators in between, inside gzip, UTF-16 and base64 (data: URIs), and
    phone numbers by their digits. Exits 1 and lists each leak when anything
    is found.
    """
    loaded = load_or_exit(root)
    needles, what = needles_for(loaded, scope)
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
    click.echo(f"No leaks: searched {scanned} files for {what} ({len(needles)} strings).", err=True)


@main.command()
@root_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the published site goes (replaced as a whole).  [default: ROOT/site]",
)
@click.option(
    "--config-file",
    "-f",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The site's configuration.  [default: ROOT/properdocs.yml, else ROOT/mkdocs.yml]",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on warnings too (as followup.yml's 'strict: true' does), like check --strict.",
)
@today_option
def publish(root: Path, out: Path | None, config_file: Path | None, strict: bool, today) -> None:
    """Build the site exactly as it will be published, in the settings' mode.

    encrypted (the default): the whole site is sealed with the password in the
    environment variable FOLLOWUP_SITE_PASSWORD; access-controlled: plain
    pages for a host behind a login; redact: plain pages without the
    publish.redact fields. The result is audited for leaks before it
    replaces OUT; any leak fails the command. An error in any file stops it
    (it cannot vouch for a record it could not read); warnings do not,
    unless --strict or followup.yml's 'strict: true'.
    """
    loaded = load_or_exit(root)
    if (strict or loaded.settings.strict) and loaded.problems:
        echo_problems(loaded.problems)
        raise click.ClickException(
            f"{summary(loaded.problems)}, and warnings stop a strict publish; fix them, or "
            "publish without --strict (and without 'strict: true' in followup.yml)"
        )
    mode = loaded.settings.publish.mode
    password = os.environ.get(PASSWORD_VARIABLE)
    if mode == "encrypted" and (problem := password_problem(password)):
        raise click.ClickException(f"cannot publish an encrypted site: {problem}")
    config_file = config_file or site_config(root)
    if not config_file.is_file():
        raise click.ClickException(
            f"no site configuration at {config_file} (nor properdocs.yml); use --config-file "
            "or 'followup-gen init'"
        )
    out = (out or root / "site").resolve()
    if out.exists() and any(out.iterdir()) and not _ours(out):
        raise click.ClickException(
            f"{out} exists and was not made by 'followup-gen publish' or 'mkdocs build'; "
            "choose another --out or empty it first"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    _sweep_plain_copies()
    # The plain build lives only in a private folder (owner-only, outside the
    # CRM), removed on any exit; the result is made beside OUT and replaces
    # it only once the audit has passed.
    private = Path(tempfile.mkdtemp(prefix=f"{PLAIN_PREFIX}{os.getpid()}-"))
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    staging.rmdir()  # seal (or the copy) makes it afresh
    try:
        with _terminated_as_exit():
            plain = private / "site"
            site_name = _build(
                config_file,
                plain,
                today=resolve_today(today, loaded.settings),
                redact=loaded.settings.publish.redact if mode == "redact" else (),
            )
            if mode == "encrypted":
                assert password is not None
                salt = loaded.settings.publish.salt
                if not salt:
                    click.echo(
                        f"followup-gen: warning: {SETTINGS_FILE} has no publish.salt, so the "
                        "site is sealed with the salt made from its name, which every site "
                        f"called '{site_name}' shares; run 'followup-gen salt' once and commit "
                        f"{SETTINGS_FILE} (browsers then ask for the password once more)",
                        err=True,
                    )
                sealed = seal(
                    plain,
                    staging,
                    password,
                    salt=b64decode(salt) if salt else salt_for(site_name),
                    idle_lock_minutes=loaded.settings.publish.idle_lock_minutes,
                )
                described = f"encrypted: {sealed.files} files sealed, {sealed.bytes / 1e6:.1f} MB"
            else:
                shutil.copytree(plain, staging)
                os.chmod(staging, 0o755)
                described = mode
            shutil.rmtree(private, ignore_errors=True)
            (staging / MARKER).write_text(
                "Made by followup-gen publish; replaced on each publish.\n"
            )
            needles, what = needles_for(loaded, "published")
            leaks = find_leaks(staging, needles)
            if leaks:
                for leak in leaks[:20]:
                    click.echo(leak.format(), err=True)
                kept = "the previous site stays" if out.exists() else "nothing was written"
                raise click.ClickException(
                    f"{len(leaks)} leaks of {what} in the built site; nothing was published "
                    f"({kept})"
                )
            swap_in(staging, out)
    finally:
        shutil.rmtree(private, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    click.echo(f"Published to {out} ({described}); audited for {what}: no leaks.")


PLAIN_PREFIX = "followup-publish-"


def _sweep_plain_copies() -> None:
    """Remove the private plain builds of publish runs that were killed."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PLAIN_PREFIX}*"):
        pid = folder.name[len(PLAIN_PREFIX) :].split("-", 1)[0]
        try:
            mine = folder.stat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isdigit() and int(pid) != os.getpid() and not running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _terminated_as_exit():
    """SIGTERM (a cancelled CI job, a killed terminal) exits through ``finally``
    blocks, so the plain copy is removed, instead of stopping the process dead."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(config_file: Path, site_dir: Path, *, today, redact) -> str:
    """Build the site strictly, in publishing mode, with the engine its configuration
    file names (MkDocs or ProperDocs: ``followup_gen.site.engine``); print what the
    engine logged; return the site's name."""
    if engine.engine_of(config_file) == "properdocs" and not engine.installed("properdocs"):
        click.echo(
            f"followup-gen: warning: ProperDocs is not installed, so MkDocs builds "
            f"{config_file.name} (pip install 'followup-gen[properdocs]' to build it with "
            "ProperDocs)",
            err=True,
        )
    try:
        built = engine.build(config_file, site_dir, today=today, redact=redact)
    except engine.BuildError as exc:
        click.echo(exc.args[1] if len(exc.args) > 1 else "", nl=False, err=True)
        raise click.ClickException(exc.args[0]) from exc
    click.echo(built.log, nl=False, err=True)
    return built.site_name


def _line(text: str, pattern: str) -> int:
    match = re.search(pattern, text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


@main.command()
@root_option
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the salt followup.yml has (every browser then asks for the password again).",
)
def salt(root: Path, replace: bool) -> None:
    """Give the published site its own random salt, in followup.yml (run once).

    The encrypted site's key is derived from the password and a salt. A CRM
    made by 'followup-gen init' has its own; one made before uses a salt made
    from the site's name, shared by every site of that name, until this
    command writes publish.salt into followup.yml. Commit the file: the
    next publish uses it, and browsers ask for the password once more. An
    existing salt is only replaced with --replace.
    """
    path = root / SETTINGS_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    settings, problems = load_settings(root)
    if has_errors(problems):
        for problem in problems:
            click.echo(problem.format(), err=True)
        raise click.ClickException(f"fix {SETTINGS_FILE} first")
    if settings.publish.salt and not replace:
        line = _line(text, r"^[ \t]+salt:")
        _fail(
            f"{SETTINGS_FILE}:{line}: publish.salt is already set; "
            "nothing written (a new salt makes every browser ask for the password again: "
            "add --replace to do it)"
        )
    salt = new_salt()
    edited = with_salt(text, salt)
    if edited is None or read_settings(edited)[0].publish.salt != salt:
        _fail(
            f"{SETTINGS_FILE}:{_line(text, r'^publish')}: cannot add publish.salt to this file; "
            f'add it by hand:\n\npublish:\n  salt: "{salt}"'
        )
    path.write_text(edited, encoding="utf-8")
    click.echo(
        f"Wrote a new random salt to {SETTINGS_FILE} (publish.salt). Commit it: the next "
        "publish seals the site with it, and browsers ask for the password once more."
    )


def _fail(message: str) -> None:
    click.echo(f"followup-gen: {message}", err=True)
    raise SystemExit(1)
