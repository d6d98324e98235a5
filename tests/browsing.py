"""What the browser tests share: Debian's Chromium, driven by Playwright's Python
package through ``tools/screenshots.py`` (never ``playwright install``)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

# The tests run offline: every host name but the local server's fails at
# once. Without it Chromium's resolver can wait 5 s for the Google Fonts that
# Material's pages ask for, on a machine without DNS.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def chromium_tools():
    """``tools/screenshots.py`` as a module, its browser offline; skips the
    calling test module, saying why, when Playwright or Chromium is missing."""
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.CHROMIUM_ARGS = [*module.CHROMIUM_ARGS, OFFLINE]
    if not Path(module.CHROMIUM).is_file():
        pytest.skip(
            f"{module.CHROMIUM} is not installed (apt-get install chromium)",
            allow_module_level=True,
        )
    return module


def build_site(root: Path, out: Path, strict: bool = True) -> Path:
    """``mkdocs build --strict`` of the CRM at ``root`` into ``out`` (asserted to
    succeed); ``strict=False`` for a CRM whose warnings a test wants to see."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *(["--strict"] * strict), "-d", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out
