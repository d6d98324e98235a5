"""The site without the ``followup`` plugin: what ``followup-gen build`` adds to the pages.

Zensical (Material's successor) and any MkDocs-compatible engine that does
not run the plugin build the site from files. Every build writes the
plugin's assets beside the pages (``ASSETS``: status colours, the inbox's
layout and script, the table sorter, and ``icons.css``, the page icons made
from Material's own). ``--standalone FILE`` makes the folder a complete site
source: the site's own files (everything in ``docs_dir`` but generated
folders and dot-files) are copied in, and FILE is written, a configuration
that inherits the CRM's ``mkdocs.yml`` (MkDocs' ``INHERIT``, which Zensical
reads too) and builds the folder as ``docs_dir`` with the plugin's small
navigation, its assets and the other plugins, and Zensical's "classic"
look (Material's) unless ``mkdocs.yml`` names one. The same site as the
plugin's: the dashboard at ``/``, contacts and opportunities out of the
navigation. FILE is replaced only when a previous build wrote it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from importlib.resources import files as files_of
from pathlib import Path

import yaml

from followup_gen.site.folder import MARKER
from followup_gen.site.pages import icon_stylesheet, nav
from followup_gen.site.repository import mkdocs_yml

# Site path -> file in followup_gen/site/assets/: status colours, the sorter of
# long tables, the due inbox's sorting, filtering and copy buttons. (Draft
# letters are standalone pages with their own stylesheet.)
ASSETS = {
    "assets/followup/followup.css": "followup.css",
    "assets/followup/tablesort.js": "tablesort.js",
    "assets/followup/inbox.js": "inbox.js",
}
ICONS_CSS = "assets/followup/icons.css"  # made from Material's icons (pages.icon_stylesheet)
STYLESHEETS = ("assets/followup/followup.css", ICONS_CSS)
SCRIPTS = ("assets/followup/tablesort.js", "assets/followup/inbox.js")
HEADER = "# Made by `followup-gen build --standalone`"
# Record pages, reached from the tables and the search box rather than the nav.
NOT_IN_NAV = "/contacts/*\n!/contacts/index.md\n/opportunities/*\n!/opportunities/index.md\n"


class ConfigRefusedError(Exception):
    """The configuration file exists and was not written by a build."""


def assets() -> dict[str, str]:
    """The plugin's stylesheets and scripts: ``{site path: text}``."""
    folder = files_of("followup_gen.site") / "assets"
    made = {path: (folder / name).read_text(encoding="utf-8") for path, name in ASSETS.items()}
    made[ICONS_CSS] = icon_stylesheet()
    return made


def site_source(
    pages: Mapping[str, str], docs_dir: Path, out: Path
) -> tuple[dict[str, str | bytes], list[str]]:
    """Everything the folder ``out`` holds as a whole site: ``pages``, the
    assets and the site's own files in ``docs_dir``; and the generated pages
    left out because a file of the site's own has their path (it wins, as
    with the plugin)."""
    own = own_files(docs_dir, out)
    return {**pages, **assets(), **own}, sorted(own.keys() & pages.keys())


def own_files(docs_dir: Path, out: Path) -> dict[str, bytes]:
    """The site's own files in ``docs_dir``, by path: what MkDocs would build
    from it, without the folder ``out``, folders a build made, and dot-files."""
    docs_dir, out = Path(docs_dir), Path(out).resolve()
    found: dict[str, bytes] = {}
    if not docs_dir.is_dir():
        return found
    for folder, subfolders, names in os.walk(docs_dir):
        here = Path(folder)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and (here / name).resolve() != out
            and not (here / name / MARKER).is_file()
        )
        for name in sorted(names):
            if not name.startswith(".") and (here / name).is_file():
                found[(here / name).relative_to(docs_dir).as_posix()] = (here / name).read_bytes()
    return found


def config(
    site_config: Path, file: Path, out: Path, pages: Iterable[str], files: Iterable[str]
) -> str:
    """The text of ``file``: an engine configuration building ``out`` on top of
    ``site_config``; ``out`` holds ``files``, the generated ``pages`` among them."""
    pages = set(pages)
    own = [path for path in files if path.endswith(".md") and path not in pages]
    parent = mkdocs_yml(site_config)
    base = file.parent
    made: dict[str, object] = {
        "INHERIT": _relative(site_config, base),
        "docs_dir": _relative(out, base),
        # MkDocs replaces an inherited list (Zensical appends to it, and
        # ignores the plugin): the site's plugins, without this one.
        "plugins": [p for p in parent.get("plugins") or [] if _plugin_name(p) != "followup"],
    }
    theme = parent.get("theme")
    name = theme if isinstance(theme, str) else (theme or {}).get("name")
    if name == "material" and not (isinstance(theme, Mapping) and "variant" in theme):
        # Zensical's own look is its "modern" one (a white header, where a
        # white logo disappears); "classic" is Material's, as with the plugin.
        made["theme"] = {"name": "material", "variant": "classic"}
    if not parent.get("nav"):  # a nav of the site's own is used as is, as the plugin does
        made["nav"] = nav(pages, own)
        made["not_in_nav"] = _text(parent.get("not_in_nav")) + NOT_IN_NAV
    made["extra_css"] = _merged(parent.get("extra_css"), STYLESHEETS)
    made["extra_javascript"] = _merged(parent.get("extra_javascript"), SCRIPTS)
    name = file.name
    return (
        f"{HEADER}; replaced on each build\n"
        f"# (change {made['INHERIT']}, which it inherits, instead). The CRM's site without the\n"
        f"# followup plugin, from the pages in {made['docs_dir']}: zensical build -f {name}\n"
        f"# (or mkdocs build -f {name}, properdocs build -f {name}).\n"
        + yaml.dump(made, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    )


class _Dumper(yaml.SafeDumper):
    """YAML as a person writes it: a text of several lines as a ``|`` block."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def check_config(file: Path) -> None:
    """Raise ``ConfigRefusedError`` unless ``file`` is absent or a build wrote it."""
    file = Path(file)
    if not (file.exists() or file.is_symlink()):
        return
    try:
        ours = file.is_file() and file.read_text(encoding="utf-8").startswith(HEADER)
    except (OSError, UnicodeDecodeError):
        ours = False
    if not ours:
        raise ConfigRefusedError(
            f"{file} exists and was not written by 'followup-gen build --standalone'; "
            "choose another file name"
        )


def write_config(file: Path, text: str) -> None:
    """Write ``file`` unless it exists and a build did not write it
    (``ConfigRefusedError``); replaced atomically."""
    file = Path(file)
    check_config(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), Path(base).resolve())).as_posix()


def _plugin_name(entry: object) -> str:
    return next(iter(entry), "") if isinstance(entry, Mapping) else str(entry)


def _text(value: object) -> str:
    text = value if isinstance(value, str) else ""
    return text if not text or text.endswith("\n") else text + "\n"


def _merged(own: object, ours: Iterable[str]) -> list:
    entries = list(own) if isinstance(own, list) else []
    listed = {str(e.get("path") if isinstance(e, Mapping) else e) for e in entries}
    return entries + [path for path in ours if path not in listed]
