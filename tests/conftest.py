"""Shared fixtures: a CRM is written from ``{path: text}`` into a temp dir."""

from __future__ import annotations

import fcntl
import os
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# No per-example time limit: on a busy CI machine (two workers, a browser) one
# slow example made a property test fail that passes alone. Time is measured
# by benchmarks/, never by tests.
settings.register_profile("followup", deadline=None)
settings.load_profile("followup")


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` under ``root``; text is dedented, bytes written as is."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    for folder in ("contacts", "opportunities", "interactions"):
        (root / folder).mkdir(exist_ok=True)
    return root


@pytest.fixture
def make_crm(tmp_path):
    """``make_crm({path: text})`` writes a CRM into a fresh temp dir."""

    counter = iter(range(1000))

    def make(files: dict[str, str | bytes]) -> Path:
        return write_files(tmp_path / f"crm{next(counter)}", files)

    return make


@pytest.fixture(autouse=True)
def fresh_mkdocs_plugins():
    """After each test, MkDocs forgets its plugin objects, as a new process would.

    MkDocs keeps every plugin with on_startup for the next build in the same
    process (``plugin_cache``), and Material's search plugin keeps the index of a
    ``--dirty`` build in it: a later in-process build (publish's) would add that
    other CRM's search entries to its own index.
    """
    yield
    for name in ("mkdocs.config.defaults", "properdocs.config.defaults"):
        if name in sys.modules:
            sys.modules[name].MkDocsConfig.plugins.plugin_cache.clear()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example CRM's site (``mkdocs build --strict`` of this repository), built
    once for the whole run: the first pytest-xdist worker to ask builds it, the
    others wait for it. Tests only read it."""
    from .browsing import build_site

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    site, built = shared / "example-site", shared / "example-site.built"
    with open(shared / "example-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            build_site(ROOT, site)
            built.touch()
    return site


JANE = """
---
name: Jane Doe
relationship: hiring
company: Acme
title: Engineering Manager
---
Met at the meetup.
"""


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ from the current output.",
    )
