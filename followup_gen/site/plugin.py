"""The MkDocs plugin ``followup``: the CRM's pages inside ``mkdocs build``/``serve``.

A thin adapter over ``followup_gen.site.pages.generate`` (the same code path as
``followup-gen build``): the pages are added as in-memory files, never written
into ``docs/``. ``A file with errors is left out of the pages (each page it touches says so, as
``followup-gen due`` does) and its problems are logged; warnings are logged
as information unless the CRM's settings say ``strict: true``. ``mkdocs
serve`` rebuilds when a file under the CRM's data or template folders changes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from importlib.resources import files as files_of
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from followup_gen.site.folder import MARKER, stage, staging_folder
from followup_gen.site.pages import (
    WATCHED,
    PageMemo,
    generate,
    icon_stylesheet,
    missing_extensions,
    nav,
    nav_paths,
)
from followup_gen.site.repository import from_mkdocs_yml
from followup_gen.site.standalone import ASSETS, ICONS_CSS

log = get_plugin_logger(__name__)
NOINDEX = '<meta name="robots" content="noindex, nofollow">'


# From this many pages, `mkdocs serve` without --dirty says how to preview faster.
DIRTY_HINT = 1_000


def _noindex(html: str) -> str:
    if NOINDEX in html or "<head>" not in html:
        return html
    return html.replace("<head>", f"<head>\n    {NOINDEX}", 1)


# Where whitespace is kept as is; elsewhere a line's indentation is dropped.
_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")


def _unindent(html: str) -> str:
    """The page without the theme's indentation and blank lines (a third of
    a Material page); it renders the same: a line break stays a space."""
    parts = _VERBATIM.split(html)
    # split() gives text, then the verbatim element and its tag name, in turn.
    texts = [_INDENT.sub("\n", part) for part in parts[::3]]
    return "".join(text + kept for text, kept in zip(texts, [*parts[1::3], ""], strict=True))


def _unused_theme_files(files, config) -> list[File]:
    """Theme files no browser asks for on this site: source maps (for
    debugging the theme itself) and, when the search is in English only, its
    support for other languages (2 MB of Material's 2.5 MB of assets)."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    languages = set(getattr(getattr(search, "config", None), "lang", None) or ["en"])
    docs = str(Path(config.docs_dir).resolve())
    unused = []
    for file in files.media_files():
        if file.abs_src_path and str(Path(file.abs_src_path).resolve()).startswith(docs):
            continue  # the user's own file
        uri = file.src_uri
        if uri.startswith("assets/") and (
            uri.endswith(".map")
            or (languages <= {"en"} and uri.startswith("assets/javascripts/lunr/"))
        ):
            unused.append(file)
    return unused


class FollowupConfig(Config):
    root = c.Optional(c.Type(str))  # the CRM folder; default: mkdocs.yml's folder
    folder = c.Type(str, default="")  # where in the site the pages go; "" = the top
    # YYYY-MM-DD (YAML may read it as a date); default: followup.yml, else the date
    today = c.Optional(c.Type((str, dt.date)))


class FollowupPlugin(BasePlugin[FollowupConfig]):
    supports_multiple_instances = False

    serving = False
    sealing = False  # publishing: no request to any other site
    publish_today: dt.date | None = None
    redact: tuple[str, ...] = ()
    published = False
    edit_urls: dict[str, str | None] = {}
    staging: Path | None = None
    dirty = False
    hinted = False
    observer = None  # watches the data folders under serve (see _notified)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        # Under serve, the pages of the previous build: a rebuild renders only
        # what changed. (A one-off build would only pay for remembering.)
        self.memo = PageMemo() if self.serving else None
        # With --dirty, pages live in files rewritten only when they change,
        # so MkDocs rebuilds just those (this object outlives the rebuilds);
        # the folder is made in the CRM's cache on the first build.
        # MkDocs keeps this object for the next command run in the same
        # process, so nothing of a previous run's is kept.
        self.staging, self.staged, self.dirty = None, {}, dirty
        self.hinted = False

    def on_shutdown(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer = None
        if self.staging:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging, self.staged, self.memo, self.serving = None, {}, None, False
        self.sealing = False
        self.dirty = False

    def publishing(self, *, today: dt.date | None, redact: tuple[str, ...] = ()) -> None:
        """Used by ``followup-gen publish``: this day, without these fields, and
        without links to edit the files unless ``site.edit_links`` says so."""
        self.publish_today, self.redact = today, tuple(redact)
        self.sealing = self.published = True

    def _repository(self, config):
        """Where the CRM's files are (mkdocs.yml's ``repo_url``, ``edit_uri``), or None."""
        if not config.repo_url or not config.config_file_path:
            return None
        return from_mkdocs_yml(Path(config.config_file_path), self._root(config))

    def on_config(self, config):
        # A published page asks no other site for anything: Material's
        # Google Fonts give way to the system's fonts.
        if self.sealing and config.theme.name == "material":
            config.theme["font"] = False
        # The plugin's own stylesheets and script, so every CRM gets them.
        for path in (*ASSETS, ICONS_CSS):
            target = config.extra_css if path.endswith(".css") else config.extra_javascript
            if path not in [str(entry) for entry in target]:
                target.append(path if path.endswith(".css") else ExtraScriptValue(path))
        missing = missing_extensions(config.markdown_extensions)
        if missing:
            log.warning(f"add to markdown_extensions in mkdocs.yml: {', '.join(missing)}")

    def _root(self, config) -> Path:
        base = Path(config.config_file_path or ".").resolve().parent
        return (base / self.config.root).resolve() if self.config.root else base

    def _today(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(self.config.today)) if self.config.today else None
        except ValueError as exc:
            raise PluginError(f"followup: 'today' must be YYYY-MM-DD: {exc}") from exc

    def on_files(self, files, *, config):
        folder = self.config.folder.strip("/")
        today = self.publish_today or self._today()
        memo = getattr(self, "memo", None)  # None: a build without on_startup
        result = generate(
            self._root(config),
            today=today,
            redact=self.redact,
            memo=memo,
            repository=self._repository(config),
            published=self.published,
            directory_urls=config.use_directory_urls,
        )
        # Errors fail a strict build (MkDocs counts them); warnings only with
        # the CRM's `strict: true`, so check, the site and publish agree.
        strict = result.settings.strict
        for problem in result.problems:
            if problem.severity == "error":
                log.error(problem.format())
            else:
                (log.warning if strict else log.info)(problem.format())
        # Pages `followup-gen build` wrote into docs/ would repeat these ones.
        for marker in Path(config.docs_dir).glob(f"*/{MARKER}"):
            built = marker.parent.name + "/"
            log.info(f"leaving out docs/{built}: 'followup-gen build' made it")
            for file in [f for f in files if f.src_uri.startswith(built)]:
                files.remove(file)
        for path, name in ASSETS.items():
            if files.get_file_from_path(path) is None:
                content = (files_of("followup_gen.site") / "assets" / name).read_bytes()
                files.append(File.generated(config, path, content=content))
        if files.get_file_from_path(ICONS_CSS) is None:
            files.append(File.generated(config, ICONS_CSS, content=icon_stylesheet()))
        for file in _unused_theme_files(files, config):
            files.remove(file)
        user_pages = [f.src_uri for f in files.documentation_pages()]
        if self.dirty and self.staging is None:
            self.staging = staging_folder(self._root(config))
        if self.serving and not self.dirty and not self.hinted and len(result.pages) >= DIRTY_HINT:
            self.hinted = True
            log.info(
                f"followup: {len(result.pages):,} pages; 'mkdocs serve --dirty' shows an edit "
                "sooner, rebuilding only the pages it changes"
            )
        staged = stage(self.staging, result.pages, self.staged) if self.staging else {}
        # Material's edit button: a record's page edits its data file; another
        # generated page has no file to edit.
        repo = result.repository
        self.edit_urls = {
            (f"{folder}/{rel}" if folder else rel): (
                repo.edit_url(result.sources[rel]) if repo and rel in result.sources else None
            )
            for rel in result.pages
        }
        menu = nav(result.pages, user_pages, folder)
        listed = nav_paths(config.nav or menu)
        for rel, content in result.pages.items():
            src_uri = f"{folder}/{rel}" if folder else rel
            if files.get_file_from_path(src_uri) is not None:
                log.warning(f"docs/{src_uri} exists, so the generated page is left out")
                continue
            shown = InclusionLevel.UNDEFINED if src_uri in listed else InclusionLevel.NOT_IN_NAV
            source = {"abs_src_path": str(staged[rel])} if rel in staged else {"content": content}
            files.append(File.generated(config, src_uri, inclusion=shown, **source))
        config.nav = config.nav or menu
        return files

    def on_pre_page(self, page, *, config, files):
        if page.file.src_uri in self.edit_urls:
            page.edit_url = self.edit_urls[page.file.src_uri]
        return page

    # Search engines must never index a CRM, whatever the publishing mode.
    def on_post_page(self, output: str, *, page, config) -> str:
        return _unindent(_noindex(output))

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        return _noindex(output_content) if template_name.endswith(".html") else output_content

    def on_serve(self, server, *, config, builder):
        root = self._root(config)
        present = [root / name for name in WATCHED if (root / name).exists()]
        folders = [path for path in present if path.is_dir()]
        self.observer = _notified(server, folders)
        for path in present:
            if self.observer is None or path not in folders:
                server.watch(str(path))
        return server


# What a change is; reading a file (watchdog's "opened", "closed_no_write") is not.
_CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed"})


def _notified(server, folders: list[Path]):
    """Ask ``server`` for a rebuild when a file under ``folders`` changes, told by
    the system (inotify, FSEvents...); None if this server cannot be asked so.

    ``mkdocs serve`` finds changes by polling: every watched file's stat, twice
    a second, in Python threads, which at 22,000 data files made each rebuild
    1.6 s slower and saw an edit up to a second late. The request is what
    MkDocs' own watch callback does (its LiveReloadServer, also ProperDocs').
    """
    condition = getattr(server, "_rebuild_cond", None)
    if not folders or condition is None or not hasattr(server, "_want_rebuild"):
        return None

    def on_any_event(event) -> None:
        if event.is_directory or event.event_type not in _CHANGES:
            return
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = on_any_event
    observer = Observer()
    try:
        for folder in folders:
            observer.schedule(handler, str(folder), recursive=True)
        observer.start()
    except OSError as exc:  # e.g. the system's limit on watches: poll instead
        log.info(f"followup: polling the data folders for changes ({exc})")
        return None
    names = ", ".join(f"'{folder.name}'" for folder in folders)
    log.info(f"followup: watching {names} for changes")
    return observer
