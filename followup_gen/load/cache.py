"""The parse cache: repeated runs parse and check only the files that changed.

What each data file gives on its own (its ``validate.Checked`` record, parsed
and checked against its schema, or ``None``, and the problems found doing it)
is kept in ``.followup-cache/`` under the CRM root, keyed by the file's path
relative to the root, its size and its modification and change times in
nanoseconds; the whole cache is also keyed by the tool's version, the YAML
library and the records' layout, so an upgrade starts afresh. A hit gives
exactly what a parse would: the cache holds the same values, only stored as
plain tuples (which pickle several times faster than dataclasses). The checks
across files (duplicate ids, references) run on every load.

The cache never changes a result. A missing, stale, corrupt, foreign or
unreadable cache file is ignored and rewritten; a folder that cannot be
written is left alone and everything is parsed. A file changed within the
last couple of seconds is parsed but not stored: a second change within the
same timestamp tick could otherwise go unseen. Files are written atomically
(a temporary file, then ``os.replace``), readable by the owner only (the cache
holds every contact's details), and the folder ignores itself in git (like
``.pytest_cache``).

The entries are spread over ``SHARDS`` files by a hash of the path, so a
one-file edit rewrites a sixteenth of the cache instead of all of it.
Loading reads only the cache's own data types back (a restricted unpickler),
so a planted cache file cannot run code.

When thousands of files must be parsed and the machine has more than one
core, they are parsed in worker processes (see ``PARALLEL_MIN``); a helper
given whole shards (none of their files in the cache yet) writes them itself.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from followup_gen import __version__
from followup_gen.load.files import parse_record, record_paths
from followup_gen.load.schema import MODELS, Checked, check_record
from followup_gen.problems import Problem, error
from followup_gen.records import Source

CACHE_DIR = ".followup-cache"
SHARDS = 16
# Bump when the stored layout, or what the parser or the checks give, changes.
FORMAT = 4
# A file modified this recently (ns) may change again within its mtime tick.
RACY_NS = 2_000_000_000
# Parse in worker processes from this many uncached files on (see the docs'
# performance page for the measurement behind it).
PARALLEL_MIN = 4_000

# This process parses more than an even share by this part of one: a helper
# also starts up and sends its results back, which this process then reads
# (measured on the benchmark's 2-core machine; see the docs).
OWN_EXTRA = 1 / 8

# rel -> (size, mtime_ns, ctime_ns, record or None, problems); records and
# problems as tuples. The change time is kept too: copies that keep the
# modification time (cp -p, rsync -t, unpacking an archive) still set it.
Entry = tuple[int, int, int, tuple | None, tuple]


@dataclass(frozen=True, slots=True)
class Stats:
    """What one load did: files found, cache hits, files parsed, shards written.

    ``paths`` are the files (path, type) and ``seen`` each one's (size,
    mtime_ns, ctime_ns) as it was read (``None``: it could not be), the same
    as ``memo.scan`` would have found for them.
    """

    files: int
    hits: int
    parsed: int
    written: int
    workers: int
    paths: tuple[tuple[str, str], ...] = ()
    seen: tuple[tuple[int, int, int] | None, ...] = ()


def shard_of(rel: str) -> int:
    # surrogateescape: a file name that is not UTF-8 still has a shard.
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) % SHARDS


# A checked record is stored as a tuple (type, id, fields, key lines, body,
# ok); the path is the entry's key. Its layout is part of KEY.
_CHECKED = tuple(f.name for f in dataclasses.fields(Checked))
KEY = (
    f"followup-gen {__version__} cache {FORMAT}; PyYAML {yaml.__version__} "
    f"{'libyaml' if hasattr(yaml, 'CSafeLoader') else 'pure'}; "
    f"Python {sys.version_info[0]}.{sys.version_info[1]}; checked {_CHECKED}; "
    + "; ".join(
        f"{name} {tuple(f.name for f in dataclasses.fields(model))}"
        for name, model in MODELS.items()
    )
)


def _encode(record: Checked | None, problems: list[Problem]) -> tuple[tuple | None, tuple]:
    values = None
    if record is not None:
        source = record.source
        values = (record.type, record.id, record.fields, source.key_lines, record.body, record.ok)
    return values, tuple(_encode_problem(p) for p in problems)


def _encode_problem(problem: Problem) -> tuple:
    kind = type(problem)
    values = tuple(getattr(problem, f.name) for f in dataclasses.fields(problem))
    if kind is Problem:
        return values
    # A stage's own kind of problem (a subclass) is rebuilt as that kind.
    return values, kind.__module__, kind.__qualname__


def _decode_problem(stored: tuple) -> Problem:
    if len(stored) == 3 and isinstance(stored[0], tuple):
        values, module, name = stored
        if not module.startswith("followup_gen."):  # never import anything else
            raise ValueError("not a problem type")
        kind = getattr(importlib.import_module(module), name, None)
        if not (isinstance(kind, type) and issubclass(kind, Problem)):
            raise ValueError("not a problem type")
        return kind(*values)
    return Problem(*stored)


def _decode(rel: str, record: tuple | None, problems: tuple) -> tuple[Checked | None, list]:
    checked = None
    if record is not None:
        record_type, record_id, fields, key_lines, body, ok = record
        if record_type not in MODELS or not isinstance(fields, dict):
            raise ValueError("not a checked record")
        checked = Checked(record_type, record_id, fields, Source(rel, 1, key_lines), body, ok)
    return checked, [_decode_problem(p) for p in problems] if problems else []


def check_file(rel: str, data: bytes, record_type: str) -> tuple[Checked | None, list[Problem]]:
    """Parse and check one file's bytes: what the cache stores for it."""
    raw, problems = parse_record(rel, data, record_type)
    if raw is None:
        return None, problems
    checked, found = check_record(raw)
    return checked, [*problems, *found]


def _parse(root: str, rel: str, record_type: str) -> Entry:
    """Read and parse one file: (size, mtime_ns, ctime_ns, record, problems), encoded.

    The size and time come from the open file *before* it is read, so a file
    changed while being read is stored under its old key and parsed again.
    Returns the problem alone (size -1) when the file cannot be read.
    """
    try:
        with open(os.path.join(root, rel), "rb") as handle:
            stat = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as exc:
        problem = error(rel, None, "unreadable", f"cannot read the file: {exc.strerror}")
        return -1, 0, 0, None, _encode(None, [problem])[1]
    record, problems = check_file(rel, data, record_type)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, *_encode(record, problems))


def _parse_chunk(root: str, items: list[tuple[str, str]]) -> list:
    with paused_gc():
        return [_parse(root, rel, record_type) for rel, record_type in items]


def _busy_cores(loadavg: str = "/proc/loadavg") -> float:
    """Cores other processes use now: Linux's count of runnable tasks but
    this one (the load average would count this command's own past work),
    else the load average."""
    try:
        with open(loadavg, encoding="ascii") as handle:
            runnable = int(handle.read().split()[3].split("/")[0])
        return max(0, runnable - 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - Windows
        return 0.0


def _workers(count: int) -> int:
    """How many processes should parse ``count`` files: the idle cores, or 1."""
    if count < PARALLEL_MIN:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    # Workers only pay on cores nobody else uses (measured: see the docs).
    idle = int(cores - _busy_cores() + 0.5)
    return max(1, min(idle, 8))


@dataclass(frozen=True, slots=True)
class _Writes:
    """Shards a helper process may write itself: ``whole`` ones, which had no
    cache hit, so that every file in them is parsed, and by that helper alone."""

    folder: str
    racy_after: int
    whole: frozenset[int]


def _parse_all(
    root: str, items: list[tuple[str, str]], writes: _Writes | None = None
) -> tuple[list, int, set[int]]:
    """Parse ``items`` (rel, type), in worker processes when it pays: the
    entries, how many processes parsed, and the shards helpers wrote."""
    workers = _workers(len(items))
    if workers > 1:
        try:
            entries, written = _parse_in_workers(root, items, workers, writes)
            return entries, workers, written
        except Exception:  # noqa: BLE001 - any worker failure: parse here instead
            pass
    return _parse_chunk(root, items), 1, set()


# Each worker is a fresh interpreter that imports only this module: unlike
# multiprocessing's "spawn" it never re-runs the caller's __main__ (which
# would run a CLI command twice), and unlike "fork" it is safe in a process
# that runs threads (mkdocs serve).
_WORKER = (
    "import sys; sys.path.insert(0, sys.argv[1]); from followup_gen.load.cache import _worker; _worker()"
)


def _shares(
    items: list[tuple[str, str]], workers: int, writes: _Writes | None
) -> tuple[list[int], list[tuple[list[int], tuple[int, ...]]]]:
    """Which items (by index) this process parses, and for each helper its
    items and the shards it writes.

    This process takes a larger share: a helper also starts up and sends its
    results back, which this process then reads (on the benchmark's 2-core
    machine, at 112,000 files: 63,000 here, 49,000 in the helper). Helpers
    take whole shards when there are (then they write them too, while this
    process goes on), else a run of the items.
    """
    first = min(len(items), -(-len(items) // workers) + int(len(items) * OWN_EXTRA) // workers)
    size = max(1, -(-(len(items) - first) // (workers - 1)))
    if writes is None or not writes.whole:
        return list(range(first)), [
            (list(range(start, min(start + size, len(items)))), ())
            for start in range(first, len(items), size)
        ]
    by_shard: dict[int, list[int]] = {}
    for k, (rel, _) in enumerate(items):
        by_shard.setdefault(shard_of(rel), []).append(k)
    helpers: list[tuple[list[int], list[int]]] = []
    taken: list[int] = []
    current: tuple[list[int], list[int]] = ([], [])
    for shard in sorted(writes.whole & by_shard.keys()):
        if len(helpers) == workers - 1:
            break
        current[0].extend(by_shard[shard])
        current[1].append(shard)
        if len(current[0]) >= size:
            helpers.append(current)
            current = ([], [])
    if current[0] and len(helpers) < workers - 1:
        helpers.append(current)
    for indexes, _ in helpers:
        taken.extend(indexes)
    chosen = set(taken)
    own = [k for k in range(len(items)) if k not in chosen]
    return own, [(sorted(indexes), tuple(shards)) for indexes, shards in helpers]


def _parse_in_workers(
    root: str, items: list[tuple[str, str]], workers: int, writes: _Writes | None = None
) -> tuple[list, set[int]]:
    """Parse ``items`` in ``workers`` processes: this one and ``workers - 1``
    helpers. Returns the entries in order and the shards helpers wrote."""
    own, helpers = _shares(items, workers, writes)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    processes = []
    results: list = [None] * len(items)
    written: set[int] = set()
    try:
        for _ in helpers:  # all start up at once, then each gets its share
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER, package_parent],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
        for process, (indexes, shards) in zip(processes, helpers, strict=True):
            job = None
            if shards and writes is not None:
                job = (writes.folder, writes.racy_after, shards)
            with process.stdin:
                share = [items[k] for k in indexes]
                pickle.dump((root, share, job), process.stdin, protocol=5)
        # This process's share, meanwhile.
        mine = [items[k] for k in own]
        entries = _parse_chunk(root, mine)
        for k, entry in zip(own, entries, strict=True):
            results[k] = entry
        if writes is not None and writes.whole:
            # The whole shards no helper took are all in this share: write
            # them while the helpers finish.
            theirs = {shard for _, shards in helpers for shard in shards}
            ours = tuple(sorted(writes.whole - theirs))
            written.update(_write_whole(mine, entries, writes.folder, writes.racy_after, ours))
        for process, (indexes, _) in zip(processes, helpers, strict=True):
            with process.stdout:
                entries, wrote = _SafeUnpickler(process.stdout).load()
            if process.wait() != 0 or len(entries) != len(indexes):
                raise ChildProcessError("a parse worker failed or lost files")
            for k, entry in zip(indexes, entries, strict=True):
                results[k] = entry
            written.update(wrote)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    if any(entry is None for entry in results):
        raise ChildProcessError("a parse worker lost files")
    return results, written


def _worker() -> None:
    """A parse worker: (root, items, shards to write or None) pickled on
    stdin; (parse results, shards written) on stdout."""
    # A worker lives for one share: the collector would only walk its results
    # again and again while they are pickled (0.3 s of 3.5 s at 50,000 files).
    gc.disable()
    root, items, job = pickle.load(sys.stdin.buffer)
    entries = _parse_chunk(root, items)
    written = [] if job is None else _write_whole(items, entries, *job)
    # Pickled in memory first: written straight to the pipe, the pickling
    # would wait on the caller, which reads only once its own share is done.
    data = pickle.dumps((entries, written), protocol=5)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _write_whole(
    items: list[tuple[str, str]], entries: list, folder: str, racy_after: int, shards: tuple
) -> list[int]:
    """Write the ``shards`` whose every file is among ``items`` (as
    ``load_checked`` would: the entries of readable files not modified
    since ``racy_after``); the ones written. An empty one is left to the caller."""
    content: dict[int, dict[str, Entry]] = {shard: {} for shard in shards}
    for (rel, _), entry in zip(items, entries, strict=True):
        if entry[0] >= 0 and entry[1] < racy_after:
            found = content.get(shard_of(rel))
            if found is not None:
                found[rel] = entry
    written = []
    for shard in shards:
        if content[shard]:
            if not _write_shard(Path(folder), shard, content[shard]):
                break  # the folder cannot be written
            written.append(shard)
    return written


class _SafeUnpickler(pickle.Unpickler):
    """Unpickles plain data and dates only: a cache file never runs code."""

    ALLOWED = {
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("builtins", "bytearray"),
    }

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not cache data")


def read_plain(path: Path) -> object:
    """What ``write_plain`` stored: plain data only (raises if missing or damaged)."""
    return _SafeUnpickler(io.BytesIO(path.read_bytes())).load()


def _read_shard(path: Path) -> dict[str, Entry]:
    """A shard's entries; ``{}`` if it is missing, foreign, stale or corrupt."""
    try:
        key, entries = read_plain(path)
    except Exception:  # noqa: BLE001 - a corrupt pickle can raise almost anything
        return {}
    if key != KEY or not isinstance(entries, dict):
        return {}
    return entries


def ensure_folder(folder: Path) -> bool:
    """Make the cache folder (owner only, ignored by git) if needed; False if it cannot be."""
    try:
        if not folder.is_dir():
            folder.mkdir(mode=0o700)  # it holds every contact's details
            (folder / ".gitignore").write_text(
                "# Made by followup-gen: its caches, safe to delete.\n*\n", encoding="utf-8"
            )
        return True
    except OSError:
        return False


def write_plain(folder: Path, name: str, value: object) -> bool:
    """Store ``value`` as ``folder/name`` atomically (a temporary file, then a
    rename), making the cache folder if needed; False (and nothing changed)
    if it cannot be written."""
    if not ensure_folder(folder):
        return False
    try:
        handle = tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{name}-", suffix=".tmp", delete=False
        )
    except OSError:
        return False
    try:
        with handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / name)
        return True
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        try:
            os.unlink(handle.name)
        except OSError:
            pass
        return False


def _write_shard(folder: Path, index: int, entries: dict[str, Entry]) -> bool:
    """Write one shard atomically; False (and nothing changed) if it cannot."""
    return write_plain(folder, f"records-{index:02d}.pickle", (KEY, entries))


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """Building many small objects triggers needless collections; pause them.

    Every object made while paused waits in the youngest generation, so the
    first collection after it walks them all (0.4 s after a run at 100,000
    files). With ``freeze``, they move to the permanent generation instead
    (``gc.freeze``), where no collection walks them: for a short process,
    such as one CLI command, whose objects live until it exits. A long one
    (``mkdocs serve``) must not freeze: a cycle frozen is never collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _hit(
    root: str, rel: str, entry: Entry, known: tuple[int, int, int] | None = None
) -> tuple[Checked | None, list[Problem]] | None:
    """The stored result if ``entry`` is still the file's, else None.

    ``known``: the file's (size, mtime_ns, ctime_ns) if already looked up.
    """
    try:
        size, mtime_ns, ctime_ns, record, problems = entry
        if known is None:
            stat = os.stat(root + rel)
            known = stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns
        if (size, mtime_ns, ctime_ns) != known:
            return None
        return _decode(rel, record, problems)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss, whatever it holds
        return None


def load_checked(
    root: Path | str,
    *,
    cache: bool = True,
    paths: tuple[tuple[str, str], ...] | None = None,
    stats: tuple[tuple[int, int, int] | None, ...] | None = None,
) -> tuple[tuple[Checked, ...], tuple[Problem, ...], Stats]:
    """Every data file parsed and checked on its own, through the cache.

    ``cache=False`` neither reads nor writes the cache. The records and
    problems are those of ``check_record`` over ``load.load_raw``, file by
    file in the same order (each file's parse problems, then its check
    problems), and the last value says what the cache did. ``paths`` and
    ``stats``: the files and their stats if already looked up
    (``memo.scan``), so they are not looked up twice.
    """
    root_text = os.fspath(root)
    folder = Path(root_text) / CACHE_DIR
    if paths is None or stats is None:
        paths, stats = tuple(record_paths(Path(root_text))), ()
    prefix = os.path.join(root_text, "")
    with paused_gc():
        shards: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        if cache and folder.is_dir():
            shards = [_read_shard(folder / f"records-{i:02d}.pickle") for i in range(SHARDS)]
        fresh: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        slots: list[tuple[Checked | None, list[Problem]] | None] = []
        seen: list[tuple[int, int, int] | None] = []
        misses: list[tuple[int, str, str]] = []
        for n, (rel, record_type) in enumerate(paths):
            shard = shard_of(rel)
            entry = shards[shard].get(rel)
            known = stats[n] if stats else None
            decoded = None if entry is None else _hit(prefix, rel, entry, known)
            if decoded is None:
                misses.append((len(slots), rel, record_type))
            else:
                fresh[shard][rel] = entry
            slots.append(decoded)
            seen.append(None if decoded is None else entry[:3])
        # Anything modified after this instant could change again unseen.
        racy_after = time.time_ns() - RACY_NS
        writes = None
        if cache:  # helpers write the shards that had no hit themselves
            whole = frozenset(i for i in range(SHARDS) if not fresh[i])
            writes = _Writes(os.fspath(folder), racy_after, whole)
        parsed, workers, wrote = _parse_all(
            root_text, [(rel, kind) for _, rel, kind in misses], writes
        )
        dirty = set()
        for (slot, rel, _), entry in zip(misses, parsed, strict=True):
            slots[slot] = _decode(rel, entry[3], entry[4])
            seen[slot] = entry[:3] if entry[0] >= 0 else None
            if entry[0] >= 0 and entry[1] < racy_after:
                shard = shard_of(rel)
                fresh[shard][rel] = entry
                dirty.add(shard)
        records: list[Checked] = []
        problems: list[Problem] = []
        for record, found in slots:
            if found:
                problems.extend(found)
            if record is not None:
                records.append(record)
    written = len(wrote)
    if cache:
        # A shard also changes when one of its files was deleted.
        dirty.update(i for i in range(SHARDS) if len(fresh[i]) != len(shards[i]))
        for index in sorted(dirty - wrote):
            if not _write_shard(folder, index, fresh[index]):
                break  # the folder cannot be written: don't try every shard
            written += 1
    stats = Stats(
        len(paths), len(paths) - len(misses), len(misses), written, workers, paths, tuple(seen)
    )
    return tuple(records), tuple(problems), stats
