"""Commands that make the site: ``build`` (and later ``publish``, ``audit``)."""

from __future__ import annotations
