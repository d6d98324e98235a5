"""Remembered answers: a command asked again about unchanged files answers at once.

``scan(root)`` looks at every file a command's answer can depend on (the data
files, ``followup.yml``, ``profile.md``, which data folders exist) without
reading them, and sums up their paths, sizes and modification and change
times (to the nanosecond) in a fingerprint. ``recall`` gives the output a
command printed the last time it ran with the same fingerprint and the same
arguments (the day included); ``remember`` stores it. A command that finds
its answer this way skips loading, checking and the rules altogether: for a
large CRM that is most of its time.

Like the parse cache (``followup_gen.cache``), it never changes a result:
anything the answer depends on is in the key (the tool's, PyYAML's and
Python's versions too), a file saved in the last two seconds makes the run
not remembered (a second save within the same timestamp tick could go
unseen), a damaged or foreign file is a miss, and a folder that cannot be
written is left alone. Only the latest answer of each command is kept, in
``.followup-cache/answer-<command>.pickle``, read back as plain strings and
numbers only.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR, KEY, RACY_NS, read_plain, write_plain
from .load import FOLDERS, record_paths
from .profile import PROFILE_FILE
from .settings import SETTINGS_FILE

# The files outside the data folders that answers depend on.
EXTRA_FILES = (SETTINGS_FILE, PROFILE_FILE)

Stat = tuple[int, int, int]  # size, mtime_ns, ctime_ns


@dataclass(frozen=True, slots=True)
class Scan:
    """Every data file (path relative to the root, type) and its stat, now."""

    paths: tuple[tuple[str, str], ...]
    stats: tuple[Stat | None, ...]
    fingerprint: str
    # The latest modification time among them (ns).
    newest_ns: int


def _stat(path: str) -> Stat | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns


Outside = tuple[tuple[Stat | None, ...], tuple[bool, ...]]


def outside(root: Path | str) -> Outside:
    """The stats of the files beside the data folders, and which folders exist."""
    prefix = os.path.join(os.fspath(root), "")
    extras = tuple(_stat(prefix + name) for name in EXTRA_FILES)
    return extras, tuple(os.path.isdir(prefix + folder) for folder, _ in FOLDERS)


def scan(root: Path | str) -> Scan:
    """Stat every file the answers depend on; nothing is read."""
    before = outside(root)
    prefix = os.path.join(os.fspath(root), "")
    paths = tuple(record_paths(Path(root)))
    return as_read(paths, tuple(_stat(prefix + rel) for rel, _ in paths), before)


def as_read(
    paths: tuple[tuple[str, str], ...], stats: tuple[Stat | None, ...], before: Outside
) -> Scan:
    """The scan of data files as they were read (``cache.Stats.seen``), with
    ``outside(root)`` taken before reading anything: the same as ``scan``
    gives while nothing changes."""
    extras, folders = before
    # repr, not pickle: equal values always give equal text.
    text = repr((KEY, paths, stats, extras, folders)).encode("utf-8", "surrogateescape")
    digest = hashlib.blake2b(text, digest_size=20).hexdigest()
    newest = max((s[1] for s in (*stats, *extras) if s), default=0)
    return Scan(paths, stats, digest, newest)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a command printed and how it ended."""

    out: str
    err: str
    code: int


def _path(root: Path | str, command: str) -> Path:
    return Path(root) / CACHE_DIR / f"answer-{command}.pickle"


def _key(found: Scan, arguments: tuple[str, ...]) -> str:
    return hashlib.blake2b(
        "\0".join((found.fingerprint, *arguments)).encode("utf-8", "surrogateescape"),
        digest_size=20,
    ).hexdigest()


def has_answer(root: Path | str, command: str) -> bool:
    """True when ``command`` has a remembered answer (of whatever files)."""
    return _path(root, command).is_file()


def recall(root: Path | str, command: str, found: Scan, arguments: tuple[str, ...]) -> Answer | None:
    """The answer ``command`` gave last time with these files and arguments, if any."""
    try:
        key, (out, err, code) = read_plain(_path(root, command))
    except Exception:  # noqa: BLE001 - missing or damaged: not remembered
        return None
    if key != _key(found, arguments):
        return None
    if not (isinstance(out, str) and isinstance(err, str) and type(code) is int):
        return None
    return Answer(out, err, code)


def remember(
    root: Path | str, command: str, found: Scan, arguments: tuple[str, ...], answer: Answer
) -> bool:
    """Store ``answer``; False (and nothing written) when it must not or cannot be."""
    if found.newest_ns >= time.time_ns() - RACY_NS:
        return False  # a file saved just now could change again within its tick
    stored = (_key(found, arguments), (answer.out, answer.err, answer.code))
    return write_plain(Path(root) / CACHE_DIR, _path(root, command).name, stored)
