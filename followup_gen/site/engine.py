"""The engines that build the site with the ``followup`` plugin: MkDocs 1.6 and ProperDocs.

ProperDocs, the maintained continuation of MkDocs 1.x by its former
maintainers, reads ``properdocs.yml`` (else ``mkdocs.yml``) and runs MkDocs
plugins and themes under its own name. A CRM names its engine by its
configuration file: ``properdocs.yml`` is built with ProperDocs when it is
installed (``pip install 'followup-gen[properdocs]'``), else with MkDocs;
``mkdocs.yml`` with MkDocs. ProperDocs makes every ``mkdocs`` import of its
process its own, so its build runs in a process of its own
(``python -m followup_gen.site.engine``), which gives back the site's name.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Engine -> its configuration file; ProperDocs reads the first of CONFIG_FILES.
ENGINES = {"mkdocs": "mkdocs.yml", "properdocs": "properdocs.yml"}
CONFIG_FILES = ("properdocs.yml", "mkdocs.yml")
NAMES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}


class BuildError(Exception):
    """The engine could not build the site; the message says why."""


@dataclass(frozen=True, slots=True)
class Built:
    """A finished build: the site's name, the engine that made it, what it logged."""

    site_name: str
    engine: str
    log: str  # the engine's warnings and errors, one per line


def config_file(root: Path) -> Path:
    """The site's configuration: properdocs.yml if there is one, else mkdocs.yml."""
    for name in CONFIG_FILES:
        if (root / name).is_file():
            return root / name
    return root / CONFIG_FILES[-1]


def engine_of(config: Path) -> str:
    """The engine a configuration file is written for (by its name)."""
    return "properdocs" if config.name.startswith("properdocs.") else "mkdocs"


def installed(engine: str) -> bool:
    """Whether ``engine``'s Python package can be imported here."""
    return importlib.util.find_spec(engine) is not None


def build(
    config: Path, site_dir: Path, *, today: dt.date | None, redact: tuple[str, ...] = ()
) -> Built:
    """Build the site of ``config`` into ``site_dir`` strictly, in publishing mode
    (``FollowupPlugin.publishing``), with ``engine_of(config)``. Raises ``BuildError``."""
    if engine_of(config) == "properdocs" and installed("properdocs"):
        return _in_own_process(config, site_dir, today=today, redact=redact)
    return _build(config, site_dir, today=today, redact=redact, engine="mkdocs")


def _in_own_process(config: Path, site_dir: Path, *, today, redact) -> Built:
    arguments = json.dumps(
        {
            "config": str(config),
            "site_dir": str(site_dir),
            "today": today.isoformat() if today else None,
            "redact": list(redact),
        }
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, arguments],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    except OSError as exc:
        raise BuildError(f"cannot start ProperDocs: {exc}") from exc
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise BuildError(f"ProperDocs stopped: {done.stderr.strip()[-2000:]}") from None
    if "error" in answer:
        raise BuildError(answer["error"], done.stderr)
    return Built(answer["site_name"], "properdocs", done.stderr)


def _build(config: Path, site_dir: Path, *, today, redact, engine: str) -> Built:
    """The build itself; ``mkdocs`` names ProperDocs's modules when it runs it."""
    from mkdocs.commands.build import build as build_site
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    name = NAMES[engine]
    lines: list[str] = []
    handler = _Collect(lines)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(f"{engine}: %(levelname)s: %(message)s"))
    logger = logging.getLogger(engine)
    logger.addHandler(handler)
    try:
        loaded = load_config(str(config), site_dir=str(site_dir), strict=True)
        plugin = loaded.plugins.get("followup")
        if plugin is None:
            raise BuildError(f"{config} does not use the 'followup' plugin")
        plugin.publishing(today=today, redact=redact)
        loaded.plugins.on_startup(command="build", dirty=False)
        try:
            build_site(loaded)
        finally:
            loaded.plugins.on_shutdown()
        return Built(str(loaded.site_name), engine, "".join(lines))
    except MkDocsException as exc:
        raise BuildError(f"the {name} build failed: {exc}", "".join(lines)) from exc
    finally:
        logger.removeHandler(handler)


class _Collect(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + "\n")


def main(argv: list[str]) -> int:
    """ProperDocs's build, in this process: every ``mkdocs`` import is ProperDocs's."""
    import properdocs.replacement  # noqa: F401  (before anything imports mkdocs)

    # As the properdocs command does: messages of the `mkdocs` logger are ProperDocs's.
    logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
    arguments = json.loads(argv[0])
    today = dt.date.fromisoformat(arguments["today"]) if arguments["today"] else None
    try:
        built = _build(
            Path(arguments["config"]),
            Path(arguments["site_dir"]),
            today=today,
            redact=tuple(arguments["redact"]),
            engine="properdocs",
        )
    except BuildError as exc:
        sys.stderr.write(exc.args[1] if len(exc.args) > 1 else "")
        print(json.dumps({"error": exc.args[0]}))
        return 1
    sys.stderr.write(built.log)
    print(json.dumps({"site_name": built.site_name}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
