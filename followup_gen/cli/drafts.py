"""The ``draft`` command: a ready letter for an open follow-up."""

from __future__ import annotations
