"""Remembered answers: the same question about unchanged files is answered at once.

beancount's pickle cache around the whole pipeline, for ``check``, ``due``
and ``report``: the command's output and exit code are kept in
``.followup-cache/answer-<command>.pickle`` under a key of everything that
decides them: the command and its arguments, the clock's day, the code
(``cache.code_digest``) and the path and stat of every input (each data file,
followup.yml, profile.md, which data folders exist). Anything else changed,
and the answer is worked out afresh. An input modified in the last two
seconds is never part of a stored key (it could change again unseen).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from followup_gen.load.cache import CACHE_DIR, RACY_NS, code_digest, recall, stat_of, store
from followup_gen.load.files import FOLDERS, record_paths
from followup_gen.load.profile import PROFILE_FILE
from followup_gen.load.settings import SETTINGS_FILE


@dataclass(frozen=True, slots=True)
class Answer:
    """What a command prints: ``err`` (stderr), then ``out`` (stdout), then
    ``note`` (stderr), and its exit code."""

    out: str
    err: str = ""
    code: int = 0
    note: str = ""


def remembered(
    root: Path, command: str, arguments: tuple, compute: Callable[[], Answer], *, use: bool
) -> Answer:
    """``compute()``'s answer, or the one kept for the same key (``use=False``: no cache)."""
    key = _key(root, command, arguments) if use else None
    name = f"answer-{command}.pickle"
    kept = recall(root / CACHE_DIR / name, key) if key is not None else None
    if isinstance(kept, tuple) and len(kept) == 4:
        return Answer(*kept)
    answer = compute()
    if key is not None:
        store(root / CACHE_DIR, name, key, (answer.out, answer.err, answer.code, answer.note))
    return answer


def _key(root: Path, command: str, arguments: tuple) -> tuple | None:
    racy_after = time.time_ns() - RACY_NS
    inputs = [rel for rel, _ in record_paths(root)] + [SETTINGS_FILE, PROFILE_FILE]
    stats = []
    for rel in inputs:
        stat = stat_of(os.path.join(root, rel))
        if stat is not None and stat[1] >= racy_after:
            return None
        stats.append((rel, stat))
    folders = tuple(
        (os.path.isdir(path), os.path.lexists(path))
        for path in (os.path.join(root, folder) for folder, _ in FOLDERS)
    )
    day = dt.date.today().isoformat()
    return (command, arguments, day, code_digest(), folders, tuple(stats))
