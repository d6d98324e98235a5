"""The parse cache: a file unchanged since the last run is not parsed again.

What each data file gives on its own (its ``schema.Checked`` record, or
``None``, and the problems found reading it) is kept in one pickle,
``.followup-cache/files.pickle`` under the CRM root, keyed by the file's path
and its size, modification time, change time and inode (a symlink pointed at
another file is seen). The whole pickle is keyed by ``code_digest()``: the
path, size and modification time of every file of this package and of its
shipped templates, with the Python and PyYAML versions, so a pulled or edited
tool never serves an answer of its old code.

The cache never changes a result: a missing, stale, damaged or foreign cache
is ignored and rewritten; a folder that cannot be written is left alone.
A file modified in the last two seconds is parsed but not stored (a second
edit within the same timestamp tick could go unseen). Only plain data is
unpickled (a planted cache file cannot run code), and the folder is readable
by its owner only, since it holds every contact's details.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from followup_gen.load.schema import MODELS, Checked
from followup_gen.problems import Problem
from followup_gen.records import Source

CACHE_DIR = ".followup-cache"
FILE = "files.pickle"
_OLD = ("records-*.pickle", "state.pickle")
RACY_NS = 2_000_000_000  # a file this recent (ns) may change again within its mtime tick

Result = tuple[Checked | None, list[Problem]]
Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def code_digest() -> str:
    """What identifies this code: every package file's path, size and mtime."""
    package = Path(__file__).resolve().parent.parent
    seen = [f"Python {sys.version_info[:2]}, PyYAML {yaml.__version__}"]
    for folder in (package, package / "site_templates", package.parent / "site_templates"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.suffix in (".py", ".j2", ".md", ".css", ".js", ".html", ".yml"):
                    stat = path.stat()
                    seen.append(f"{path.relative_to(folder)} {stat.st_size} {stat.st_mtime_ns}")
    return "\n".join(seen)


def stat_of(path: str) -> Stat | None:
    """The file's key in the cache (a symlink's target's), or None if it has none."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def cached(
    root: Path,
    paths: Sequence[tuple[str, str]],
    check: Callable[[Path, str, str], Result],
    *,
    cache: bool = True,
) -> list[Result]:
    """``check(root, rel, type)`` for each of ``paths``, from the cache where the
    file is unchanged; ``cache=False`` neither reads nor writes it."""
    if not cache:
        return [check(root, rel, kind) for rel, kind in paths]
    folder = root / CACHE_DIR
    key = code_digest()
    stored = _read(folder / FILE, key)
    kept: dict[str, tuple[Stat, tuple]] = {}
    racy_after = time.time_ns() - RACY_NS
    results = []
    changed = False
    for rel, kind in paths:
        stat = stat_of(os.path.join(root, rel))  # before reading: an edit meanwhile is seen
        entry = stored.get(rel)
        result = None
        if stat is not None and entry is not None and entry[0] == stat:
            result = _decode(rel, entry[1])
        if result is not None:
            kept[rel] = entry
        else:
            result = check(root, rel, kind)
            if stat is not None and stat[1] < racy_after:
                kept[rel] = (stat, _encode(result))
                changed = True
            elif entry is not None:
                kept[rel] = entry  # stale, so a miss next time: no rewrite for a racy file
        results.append(result)
    if changed or len(kept) != len(stored):
        store(folder, FILE, key, kept)
        for old in _OLD:  # earlier versions' caches hold contact details too
            for path in folder.glob(old):
                path.unlink(missing_ok=True)
    return results


def _encode(result: Result) -> tuple:
    record, problems = result
    values = None
    if record is not None:
        values = (record.type, record.id, record.fields, record.source.key_lines, record.body,
                  record.ok)  # fmt: skip
    return values, tuple(_fields(p) for p in problems)


def _fields(problem: Problem) -> tuple:
    return (problem.file, problem.line, problem.severity, problem.code, problem.message)


def _decode(rel: str, stored: tuple) -> Result | None:
    """The stored result, or None if the entry is not what this code writes."""
    try:
        values, problems = stored
        record = None
        if values is not None:
            kind, record_id, fields, key_lines, body, ok = values
            if kind not in MODELS or not isinstance(fields, dict):
                return None
            record = Checked(kind, record_id, fields, Source(rel, 1, key_lines), body, ok)
        return record, [Problem(*p) for p in problems]
    except (TypeError, ValueError):
        return None


class _PlainUnpickler(pickle.Unpickler):
    """Plain data and dates only: a cache file never runs code."""

    ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time")}

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not cache data")


def recall(path: Path, key: object) -> object | None:
    """What ``store`` kept in ``path`` under ``key``; None if missing, foreign,
    stale or damaged."""
    try:
        stored_key, value = _PlainUnpickler(io.BytesIO(path.read_bytes())).load()
    except Exception:  # noqa: BLE001 - a damaged pickle can raise almost anything
        return None
    return value if stored_key == key else None


def _read(path: Path, key: str) -> dict:
    entries = recall(path, key)
    return entries if isinstance(entries, dict) else {}


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


def store(folder: Path, name: str, key: object, value: object) -> bool:
    """Keep ``value`` under ``key`` in ``folder/name``, atomically (a temporary
    file, then a rename); False if it cannot be."""
    if not ensure_folder(folder):
        return False
    try:
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False)
    except OSError:
        return False
    try:
        with handle:
            pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / name)
        return True
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        Path(handle.name).unlink(missing_ok=True)
        return False
