"""Open a CRM folder: settings, files, validation, in one call.

This is the library's front door: ``load_crm(root)`` returns the validated
CRM, its settings and every problem found, and never raises for bad data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import FOLDERS, load_raw
from .model import CRM
from .problem import Problem, error, sort_problems
from .settings import Settings, load_settings
from .validate import validate


@dataclass(frozen=True, slots=True)
class Loaded:
    """A CRM as read from disk, with its settings and problems."""

    root: Path
    crm: CRM
    settings: Settings
    problems: tuple[Problem, ...]


def load_crm(root: Path | str) -> Loaded:
    """Read and validate the CRM under ``root``."""
    root = Path(root)
    settings, settings_problems = load_settings(root)
    raws, load_problems = load_raw(root)
    crm, check_problems = validate(raws)
    problems = [*settings_problems, *load_problems, *check_problems]
    if not any((root / folder).is_dir() for folder, _ in FOLDERS):
        problems.append(
            error(
                ".",
                None,
                "no-crm",
                "no contacts/, opportunities/ or interactions/ folder here; "
                "use --root to point at your CRM or 'followup-gen init' to make one",
            )
        )
    return Loaded(root, crm, settings, sort_problems(problems))
