"""Commands that write the user's files on request: ``init``, ``new``, ``log``."""

from __future__ import annotations
