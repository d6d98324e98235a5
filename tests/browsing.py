"""What the browser tests share: Debian's Chromium, driven by Playwright's Python
package through ``tools/screenshots.py`` (never ``playwright install``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .conftest import ROOT


def chromium_tools():
    """``tools/screenshots.py`` as a module; skips the calling test module,
    saying why, when Playwright or Chromium is missing."""
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not Path(module.CHROMIUM).is_file():
        pytest.skip(
            f"{module.CHROMIUM} is not installed (apt-get install chromium)",
            allow_module_level=True,
        )
    return module
