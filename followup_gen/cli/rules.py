"""Commands that evaluate the rules: ``due`` and ``report``."""

from __future__ import annotations
