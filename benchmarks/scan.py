"""Time ``memo.scan`` against the way it was done before, at one CRM root.

    python benchmarks/generate.py L /tmp/crm-l
    python benchmarks/scan.py /tmp/crm-l             # best of 5
    python benchmarks/scan.py /tmp/crm-l --repeat 9

"before" is the scan as it was up to this script's commit: ``os.walk`` for the
list (``load.record_paths`` then), one ``os.stat`` by full path per file, and
a fingerprint of the ``repr`` of everything. "now" is ``memo.scan`` as it is;
"one process" is the same with the helper process turned off. Each is the
best of ``--repeat`` runs in this process (the machine may be shared), with
the garbage collector as the CLI has it while it scans (paused). The script
also checks that both find the same paths and stats.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from followup_gen.load import memo
from followup_gen.load.cache import KEY, paused_gc
from followup_gen.load.files import FOLDERS


def scan_before(root: str) -> memo.Scan:
    """The scan as it was: os.walk, os.stat by path, repr fingerprint."""
    before = memo.outside(root)
    found: list[tuple[str, str]] = []
    for folder, record_type in FOLDERS:
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            prefix = folder + dirpath[len(base) :].replace(os.sep, "/") + "/"
            for name in sorted(filenames):
                if name.endswith(".md") and not name.startswith("."):
                    found.append((prefix + name, record_type))
    paths = tuple(found)
    prefix = os.path.join(root, "")
    stats = tuple(memo._stat(prefix + rel) for rel, _ in paths)
    extras, folders = before
    text = repr((KEY, paths, stats, extras, folders)).encode("utf-8", "surrogateescape")
    digest = hashlib.blake2b(text, digest_size=20).hexdigest()
    newest = max((s[1] for s in (*stats, *extras) if s), default=0)
    return memo.Scan(paths, stats, digest, newest)


def one_process(root: str) -> memo.Scan:
    saved = memo.SCAN_PARALLEL_MIN
    memo.SCAN_PARALLEL_MIN = 1 << 62
    try:
        return memo.scan(root)
    finally:
        memo.SCAN_PARALLEL_MIN = saved


def best(run: Callable[[str], memo.Scan], root: str, repeat: int) -> tuple[float, memo.Scan]:
    times = []
    for _ in range(repeat):
        with paused_gc():
            start = time.perf_counter()
            found = run(root)
            times.append(time.perf_counter() - start)
    return min(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = os.fspath(args.root)
    old_time, old = best(scan_before, root, args.repeat)
    one_time, one = best(one_process, root, args.repeat)
    new_time, new = best(memo.scan, root, args.repeat)
    for name, found in (("one process", one), ("now", new)):
        if (found.paths, found.stats, found.newest_ns) != (old.paths, old.stats, old.newest_ns):
            raise SystemExit(f"{name}: not the same scan as before")
    print(f"{len(old.paths):,} files at {root}, best of {args.repeat}")
    print(f"  before       {old_time:7.3f} s")
    print(f"  one process  {one_time:7.3f} s  ({one_time / old_time:.2f} x)")
    print(f"  now          {new_time:7.3f} s  ({new_time / old_time:.2f} x)")


if __name__ == "__main__":
    main()
