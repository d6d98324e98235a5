"""Remembered answers: a command asked again about unchanged files answers at once.

``scan(root)`` looks at every file a command's answer can depend on (the data
files, ``followup.yml``, ``profile.md``, which data folders exist) without
reading them, and sums up their paths, sizes and modification and change
times (to the nanosecond) in a fingerprint. ``recall`` gives the output a
command printed the last time it ran with the same fingerprint and the same
arguments (the day included); ``remember`` stores it. A command that finds
its answer this way skips loading, checking and the rules altogether: for a
large CRM that is most of its time. The scan lists each folder once and
stats each file relative to its folder; from ``SCAN_PARALLEL_MIN`` files on,
when a core is idle, a helper process stats the second half meanwhile (about
0.36 s instead of 0.57 s for 112,000 files on a 2-core machine).

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
import marshal
import os
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path

from followup_gen.load.cache import (
    CACHE_DIR,
    KEY,
    RACY_NS,
    _busy_cores,
    paused_gc,
    read_plain,
    write_plain,
)
from followup_gen.load.dirstat import Listed, Stat, stat_dirs
from followup_gen.load.files import FOLDERS, _record_dirs
from followup_gen.load.profile import PROFILE_FILE
from followup_gen.load.settings import SETTINGS_FILE

# The files outside the data folders that answers depend on.
EXTRA_FILES = (SETTINGS_FILE, PROFILE_FILE)


@dataclass(frozen=True, slots=True)
class Scan:
    """Every data file (path relative to the root, type) and its stat, now."""

    paths: tuple[tuple[str, str], ...]
    stats: tuple[Stat | None, ...]
    fingerprint: str
    # The latest modification time among them (ns).
    newest_ns: int
    # What the fingerprint hashes: the paths and types joined by NULs, and
    # the stats packed (``packed``), kept for comparing with a stored scan.
    joined: str = field(default="", compare=False, repr=False)
    packed_stats: bytes = field(default=b"", compare=False, repr=False)


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
    with paused_gc():
        listed = list(_record_dirs(os.fspath(root)))
        folders = [(top, names) for top, _, _, names in listed]
        count = sum(len(names) for _, names in folders)
        own, theirs, helper = folders, [], None
        if count >= SCAN_PARALLEL_MIN and _idle_core():
            # A helper stats the last files while this process lists the
            # paths and stats the first ones.
            own, theirs = _split(folders, int(count * OWN_SHARE))
            helper = _start(theirs)
        paths = tuple(
            (prefix + name, record_type)
            for _, prefix, record_type, names in listed
            for name in names
        )
        try:
            stats = stat_dirs(own)
        except BaseException:  # interrupted: leave no helper behind
            if helper is not None:
                _stop(helper)
            raise
        rest = None if helper is None else _finish(helper, count - len(stats))
        stats.extend(stat_dirs(theirs) if rest is None else rest)
        return as_read(paths, tuple(stats), before)


# Stat in a helper process as well from this many files on, when a core is
# idle (below it, starting the helper costs more than it saves: measured with
# benchmarks/scan.py).
SCAN_PARALLEL_MIN = 20_000
# The share of the files this process stats itself when a helper takes the rest.
OWN_SHARE = 0.5

# The helper: a fresh interpreter that imports only followup_gen.dirstat
# (this package's other modules would take longer to import than the stats
# take) and runs the same loop as this process. A fresh interpreter, not a
# fork: forking a process that runs threads (mkdocs serve) is unsafe.
_HELPER = (
    "import sys; sys.path.insert(0, sys.argv[1]); from followup_gen.load.dirstat import main; main()"
)
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _idle_core() -> bool:
    """True when at least one core besides this process's is idle."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return cores - _busy_cores() >= 1.5


def _split(listed: Listed, first: int) -> tuple[Listed, Listed]:
    """The first ``first`` files listed, and the others."""
    own: Listed = []
    for index, (top, names) in enumerate(listed):
        if first < len(names):
            return [*own, (top, names[:first])], [(top, names[first:]), *listed[index + 1 :]]
        own.append((top, names))
        first -= len(names)
    return own, []


def _start(listed: Listed) -> subprocess.Popen | None:
    """A helper process statting ``listed``, or None if it cannot start."""
    try:
        # -I ignores PYTHONUTF8: the file names must be encoded as here.
        utf8 = f"utf8={sys.flags.utf8_mode}"
        helper = subprocess.Popen(
            [sys.executable, "-I", "-S", "-X", utf8, "-c", _HELPER, _PACKAGE_PARENT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except Exception:  # noqa: BLE001 - no helper: this process stats everything
        return None
    try:
        with helper.stdin:
            helper.stdin.write(marshal.dumps(listed))
    except Exception:  # noqa: BLE001 - e.g. it died at once
        _stop(helper)
        return None
    return helper


def _finish(helper: subprocess.Popen, count: int) -> list[Stat | None] | None:
    """The helper's ``count`` stats, or None if it failed in any way."""
    try:
        with helper.stdout:
            data = helper.stdout.read()
        if helper.wait() == 0:
            found = marshal.loads(data)
            if type(found) is list and len(found) == count:
                return found
    except Exception:  # noqa: BLE001 - whatever went wrong, stat here instead
        pass
    _stop(helper)
    return None


def _stop(helper: subprocess.Popen) -> None:
    helper.kill()
    helper.wait()


def as_read(
    paths: tuple[tuple[str, str], ...], stats: tuple[Stat | None, ...], before: Outside
) -> Scan:
    """The scan of data files as they were read (``cache.Stats.seen``), with
    ``outside(root)`` taken before reading anything: the same as ``scan``
    gives while nothing changes."""
    extras, folders = before
    # Equal values always give equal bytes, and different ones different
    # bytes: no name holds a NUL, and the counts come first.
    head = repr((KEY, extras, folders, len(paths), len(stats)))
    digest = hashlib.blake2b(head.encode("utf-8", "surrogateescape"), digest_size=20)
    joined = "\0".join(chain.from_iterable(paths))
    digest.update(joined.encode("utf-8", "surrogateescape"))
    packed_stats = packed(stats)
    digest.update(packed_stats)
    newest = max(max(map(itemgetter(1), filter(None, part)), default=0) for part in (stats, extras))
    return Scan(paths, stats, digest.hexdigest(), newest, joined, packed_stats)


def packed(stats: tuple[Stat | None, ...] | list[Stat | None]) -> bytes:
    """The stats as bytes: ``q`` then 64-bit little-endian integers (24 bytes
    a file) when they all are, else ``r`` then their repr."""
    try:
        return b"q" + struct.pack(f"<{3 * len(stats)}q", *chain.from_iterable(stats))
    except (TypeError, struct.error):  # a None (no stat), or a time past 2262
        return b"r" + repr(stats).encode("ascii")


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


def recall(
    root: Path | str, command: str, found: Scan, arguments: tuple[str, ...]
) -> Answer | None:
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
