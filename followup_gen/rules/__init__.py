"""The rule book: one module per rule, listed once in ``RULES``.

A rule module has a docstring (its user documentation: the advice behind it,
the trigger, what satisfies it), an ``ID``, a ``Settings`` frozen dataclass
whose fields all have defaults (``enabled`` among them), and a pure function
``follow_ups(crm, today, settings) -> Iterable[FollowUp]``. Nothing here reads
the clock: ``today`` is always passed in.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..followup import FollowUp
from ..model import CRM


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its id, settings type, function and documentation."""

    id: str
    settings: type
    follow_ups: Callable[[CRM, Any, Any], Iterable[FollowUp]]
    doc: str


def _rule(module: ModuleType) -> Rule:
    return Rule(module.ID, module.Settings, module.follow_ups, inspect.getdoc(module) or "")


# Filled in by the rules issue; each entry is ``_rule(module)``.
RULES: tuple[Rule, ...] = ()
