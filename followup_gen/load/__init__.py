"""Stage 1, loading: files, their schema, settings and profile, read into a checked CRM.

The pipeline, as ``load_crm`` runs it::

    settings (followup.yml)
    -> each data file parsed and checked on its own (``check_file``; the
       parse cache in ``cache`` wraps exactly this step)
    -> the records assembled into one CRM, with the checks across files
    -> the checks that need the whole CRM (``consistency``)
    -> profile.md checked like any file

Every step returns its result with a list of ``Problem``s and never raises
for bad data.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path

from followup_gen.load.cache import Result, cached
from followup_gen.load.consistency import check_crm
from followup_gen.load.files import FOLDERS, find_records, parse_record, read_data
from followup_gen.load.profile import load_profile
from followup_gen.load.schema import assemble, check_record, id_of_name
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


def check_file(root: Path, rel: str, record_type: str) -> Result:
    """One data file parsed and checked against its schema, on its own."""
    data, problems = read_data(os.path.join(root, rel), rel)
    if data is None:
        return None, problems
    raw, problems = parse_record(rel, data, record_type)
    if raw is None:
        return None, problems
    checked, found = check_record(raw)
    found = [_at_item_line(p, data) for p in found]
    return checked, [*problems, *found]


_NAMED = re.compile(r"names '([^']+)'")


def _at_item_line(problem: Problem, data: bytes) -> Problem:
    """A ``specifics`` item naming the wrong contact, pointed at its own line."""
    if problem.code != "specifics-contact" or problem.line is None:
        return problem
    who = _NAMED.search(problem.message)
    item = re.compile(rf"\s*-\s*['\"]?{re.escape(who.group(1))}['\"]?\s*:") if who else None
    lines = data.decode("utf-8", "replace").splitlines()
    for number in range(problem.line, len(lines)):
        if item is not None and item.match(lines[number]):
            return dataclasses.replace(problem, line=number + 1)
    return problem


def load_crm(root: Path | str, *, cache: bool = True) -> Loaded:
    """Read and validate the CRM under ``root``.

    Unchanged files come from the parse cache in ``.followup-cache/``;
    ``cache=False`` parses every file and neither reads nor writes it. The
    result is the same either way.
    """
    root = Path(root)
    settings, settings_problems = load_settings(root)
    paths, folder_problems = find_records(root)
    results = cached(root, paths, check_file, cache=cache)
    file_problems = [*folder_problems, *(p for _, found in results for p in found)]
    broken = [
        (kind, id_of_name(rel), rel)
        for (rel, kind), (record, _) in zip(paths, results, strict=True)
        if record is None
    ]
    crm, check_problems = assemble((r for r, _ in results if r is not None), broken)
    _, profile_problems = load_profile(root)  # profile.md is checked like any file
    problems = [
        *settings_problems,
        *file_problems,
        *check_problems,
        *check_crm(crm, settings),
        *profile_problems,
    ]
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
