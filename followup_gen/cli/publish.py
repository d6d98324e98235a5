"""Publishing commands: ``publish`` and ``audit``."""

from __future__ import annotations
