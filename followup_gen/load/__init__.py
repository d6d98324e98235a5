"""Open a CRM folder: settings, files, validation, in one call.

This is the library's front door: ``load_crm(root)`` returns the validated
CRM, its settings and every problem found, and never raises for bad data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from followup_gen.load.cache import Stats, load_checked, paused_gc
from followup_gen.load.files import FOLDERS
from followup_gen.load.memo import Outside, Scan, outside
from followup_gen.load.profile import load_profile
from followup_gen.load.schema import assemble
from followup_gen.load.settings import Settings, load_settings
from followup_gen.problems import Problem, error, sort_problems
from followup_gen.records import CRM


@dataclass(frozen=True, slots=True)
class Loaded:
    """A CRM as read from disk, with its settings and problems."""

    root: Path
    crm: CRM
    settings: Settings
    problems: tuple[Problem, ...]
    # What reading the files did: the files, their stats as read, cache hits
    # (not part of the CRM: a cached and an uncached load are equal).
    stats: Stats | None = field(default=None, compare=False)
    # The files beside the data folders before anything was read (memo.outside).
    outside: Outside | None = field(default=None, compare=False)


def load_crm(root: Path | str, *, cache: bool = True, scan: Scan | None = None) -> Loaded:
    """Read and validate the CRM under ``root``.

    Unchanged files come from the parse cache in ``.followup-cache/``
    (``followup_gen.cache``); ``cache=False`` parses every file and neither
    reads nor writes the cache. The result is the same either way.
    ``scan``: the files as ``memo.scan`` just found them (not looked up again).
    """
    root = Path(root)
    before = outside(root)
    settings, settings_problems = load_settings(root)
    with paused_gc():
        found = {"paths": scan.paths, "stats": scan.stats} if scan else {}
        checked, load_problems, stats = load_checked(root, cache=cache, **found)
        crm, check_problems = assemble(checked)
    _, profile_problems = load_profile(root)  # profile.md is checked like any file
    problems = [*settings_problems, *load_problems, *check_problems, *profile_problems]
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
    return Loaded(root, crm, settings, sort_problems(problems), stats, before)
