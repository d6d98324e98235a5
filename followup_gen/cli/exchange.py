"""Commands that bring data in and out: ``import``, ``export``, ``ics``."""

from __future__ import annotations
