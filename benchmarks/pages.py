"""Time the site's page generation (``pages.pages_and_problems``) in-process.

    python benchmarks/generate.py M /tmp/crm-m     # a CRM to measure
    python benchmarks/pages.py /tmp/crm-m          # best of 3, in seconds
    python benchmarks/pages.py /tmp/crm-m --repeat 5 --dump /tmp/m.pickle

The CRM is loaded and evaluated once (on the benchmark's day, 2026-11-26,
unless ``--today``), then every generated page is made ``--repeat`` times
without a ``PageMemo`` (a full build, as ``mkdocs build`` does); the best
time is printed with the count of pages, and the best CPU time of the process
(steadier than wall time on a busy machine). Loading and evaluation are timed
too but not counted. ``--dump`` pickles ``{path: text}`` of the last run, to
compare the output of two versions byte for byte (``--compare``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import sys
import time

from followup_gen.load import load_crm
from followup_gen.rules.evaluate import evaluate
from followup_gen.site import pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", help="the CRM folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 26))
    parser.add_argument("--dump", help="pickle {path: text} of the pages to this file")
    parser.add_argument("--compare", help="a pickle written by --dump: report every difference")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    loaded = load_crm(args.root)
    loaded_at = time.perf_counter()
    evaluation = evaluate(loaded.crm, args.today, loaded.settings)
    evaluated_at = time.perf_counter()
    print(f"load      {loaded_at - start:8.3f} s")
    print(f"evaluate  {evaluated_at - loaded_at:8.3f} s")

    times, cpu = [], []
    made: dict[str, str] = {}
    for _ in range(max(1, args.repeat)):
        began, began_cpu = time.perf_counter(), time.process_time()
        made, _problems = pages.pages_and_problems(loaded, evaluation, redact=(), memo=None)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    shown = "  ".join(f"{t:.3f}" for t in times)
    print(f"pages     {min(times):8.3f} s  best of {len(times)} ({shown}); {len(made)} pages")
    # CPU time of this process: less disturbed by other work on a shared machine.
    print(f"pages cpu {min(cpu):8.3f} s  best of {len(cpu)}")

    if args.dump:
        with open(args.dump, "wb") as file:
            pickle.dump(made, file)
    if args.compare:
        with open(args.compare, "rb") as file:
            before = pickle.load(file)
        changed = sorted(p for p in before.keys() & made.keys() if before[p] != made[p])
        only_before = sorted(before.keys() - made.keys())
        only_now = sorted(made.keys() - before.keys())
        for label, paths in (("differ", changed), ("gone", only_before), ("new", only_now)):
            for path in paths[:10]:
                print(f"{label}: {path}")
        same = not (changed or only_before or only_now)
        print(f"compare   {'identical' if same else 'DIFFERENT'}: {len(made)} pages")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
