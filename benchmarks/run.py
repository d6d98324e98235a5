"""Measure followup-gen against the floor of parsing, in one run, and print a table.

    python benchmarks/run.py                    # S and M (a few minutes)
    python benchmarks/run.py --sizes S,M,L,XL   # the full benchmark (XL: 110,000 files)

Sizes (contacts / interactions): S 100 / 1,000; M 300 / 3,000 (a typical real
CRM); L 2,000 / 20,000 (a large one); XL 10,000 / 100,000 (a scale check only).

For each size a synthetic CRM (``benchmarks/generate.py``) is written to a
temporary folder (``--workdir`` keeps and reuses them) and every measurement
runs in its own subprocess, timed from start to exit, with its peak RSS from
``os.wait4``:

- floor: read every data file and parse its front matter with yaml.CSafeLoader;
- ``followup-gen report --json`` (and ``check``) cold (no cache folder yet: it
  is built), warm (nothing changed), after one file changed, and ``--no-cache``;
- at L (or the largest size asked for, if smaller): ``followup-gen build``,
  ``mkdocs build`` of the example site config (the repo's ``mkdocs.yml`` and
  ``docs/``) against a plain Material build of the same pages with a small
  nav, the site's size on disk, and edit-to-preview latency under
  ``mkdocs serve --dirty``: from writing a changed contact file to the served
  page showing the change;
- at the largest size: 1 % of the files broken, one ``check`` must name each.

Each figure is the median of ``--repeat`` runs (at least 3 for the targets);
the floor and the cold runs take turns, so a busy spell of a shared machine
slows them alike. The OS file cache is warm for every run, the floor's
included.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

TODAY = generate.TODAY.isoformat()
MKDOCS = [sys.executable, "-m", "mkdocs"]
FLOOR = """
import os, sys, yaml
root = sys.argv[1]
count = 0
for folder in ("contacts", "opportunities", "interactions"):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
        for name in filenames:
            if name.endswith(".md"):
                with open(os.path.join(dirpath, name), encoding="utf-8-sig") as handle:
                    text = handle.read()
                front = text.split("---\\n", 2)[1] if text.startswith("---\\n") else ""
                yaml.load(front, Loader=yaml.CSafeLoader)
                count += 1
print(count)
"""
# The targets (issue 14): ratios to the floor at L, per-file cost XL / S,
# the site at L against plain Material, edit-to-preview at L, peak RSS at XL.
COLD_MAX, WARM_MAX, CHANGED_MAX, SCALING_MAX = 1.6, 0.5, 0.6, 1.3
SITE_MAX, PREVIEW_MAX, RSS_MB_MAX = 1.25, 4.0, 1024


@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int
    out: str
    err: str


def run(args: list[str], cwd: Path | None = None) -> Run:
    """Run ``args`` to completion: wall time and the peak RSS of the process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            usage.ru_maxrss / 1024,
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def median(runs: list[Run]) -> Run:
    """The median run (the lower middle one of an even count)."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


def tool(*args: str) -> list[str]:
    return [sys.executable, "-m", "followup_gen", *args]


def has_command(name: str, option: str | None = None) -> str | None:
    """None if ``followup-gen NAME`` exists (with ``option``), else why not."""
    probe = run(tool(name, "--help"))
    if probe.code != 0:
        return f"no 'followup-gen {name}' command yet"
    if option and option not in probe.out:
        return f"'followup-gen {name}' has no {option} option yet"
    return None


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, size: str, what: str, result: Run | str, files: int, floor: float | None):
        shown = result if isinstance(result, str) else f"{result.seconds:.2f} s"
        print(f"  {size} {what}: {shown}", file=sys.stderr, flush=True)
        if isinstance(result, str):
            self.rows.append((size, what, result, "", "", ""))
            return
        ratio = f"{result.seconds / floor:.2f}" if floor else ""
        rate = f"{files / result.seconds:,.0f}" if files else ""
        self.rows.append(
            (size, what, f"{result.seconds:.2f}", rate, ratio, f"{result.rss_mb:,.0f}")
        )

    def print(self, markdown: bool = False) -> None:
        head = ("size", "measurement", "seconds", "files/s", "x floor", "peak RSS MB")
        if markdown:
            print("| " + " | ".join(head) + " |")
            print("|---|---|--:|--:|--:|--:|")
            for row in self.rows:
                print("| " + " | ".join(str(c).replace("|", "/") for c in row) + " |")
            return
        measured = [r for r in self.rows if r[3] or r[5]]
        widths = [max(len(str(r[i])) for r in [head, *measured]) for i in range(len(head))]
        for row in [head, tuple("-" * w for w in widths), *self.rows]:
            if not (row[3] or row[5]) and row[2].startswith("n/a"):
                print(f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}")
                continue
            cells = [
                str(c).ljust(w) if i < 2 or not c or c[0].isalpha() else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            print("  ".join(cells).rstrip())


def make_crm(workdir: Path, size: str) -> tuple[Path, int]:
    root = workdir / size
    marker = root / ".benchmark-complete"
    files = generate.generate(size)
    if not marker.exists():
        if root.exists():
            shutil.rmtree(root)
        generate.write(root, files)
        marker.write_text("generated by benchmarks/run.py\n")
    shutil.rmtree(root / ".followup-cache", ignore_errors=True)
    return root, len(files)


def edit(path: Path, number: int) -> str:
    """Change a contact's name (a page without one: add a line); return the new text."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"^name: (.*)$", text, re.M)
    if found is None:
        path.write_text(f"{text}\nEdited{number}\n", encoding="utf-8")
        return f"Edited{number}"
    name = found.group(1)
    new = f"{name.split(' Edited')[0]} Edited{number}"
    path.write_text(text.replace(f"name: {name}", f"name: {new}", 1), encoding="utf-8")
    return new


def measure_loading(size: str, root: Path, files: int, repeat: int, table: Table, facts: dict):
    contact = sorted((root / "contacts").iterdir())[0]
    report = ["report", "--json", "--root", str(root), "--today", TODAY]
    commands = [("report --json", report), ("check", ["check", "--root", str(root)])]
    # The floor and the cold runs take turns, so a busy spell of a shared
    # machine slows them alike.
    floors: list[Run] = []
    colds: dict[str, list[Run]] = {name: [] for name, _ in commands}
    for _ in range(repeat):
        floors.append(run([sys.executable, "-c", FLOOR, str(root)]))
        for name, args in commands:
            shutil.rmtree(root / ".followup-cache", ignore_errors=True)
            colds[name].append(run(tool(*args)))
    floor = median(floors)
    assert floor.code == 0 and int(floor.out) == files, floor.err
    table.add(size, "floor: read + CSafeLoader", floor, files, floor.seconds)
    startup = median([run(tool("--version")) for _ in range(repeat)])
    table.add(size, "followup-gen --version (start-up only)", startup, 0, floor.seconds)
    facts[size] = {"floor": floor, "files": files, "startup": startup}
    for name, args in commands:
        cold = median(colds[name])
        # What the warm runs below find: the cache as this command left it.
        shutil.rmtree(root / ".followup-cache", ignore_errors=True)
        run(tool(*args))
        if cold.code != 0:
            table.add(
                size, f"{name}", f"n/a (exit {cold.code}: {cold.err.strip()[-200:]})", 0, None
            )
            continue
        warm = median([run(tool(*args)) for _ in range(repeat)])
        changed = []
        for number in range(repeat):
            edit(contact, number)
            changed.append(run(tool(*args)))
        after = run(tool(*args))
        no_cache = median([run(tool(*args, "--no-cache")) for _ in range(repeat)])
        for label, result in (
            ("cold (builds the cache)", cold),
            ("warm (nothing changed)", warm),
            ("one file changed", median(changed)),
            ("--no-cache", no_cache),
        ):
            table.add(size, f"{name} {label}", result, files, floor.seconds)
            facts[size][f"{name} {label}"] = result
        assert warm.out == cold.out, f"{name}: the warm output differs from the cold one"
        assert after.out == no_cache.out, f"{name}: cached output differs from --no-cache"


def measure_broken(size: str, root: Path, files: int, table: Table, notes: list) -> None:
    paths = sorted(generate.generate(size))
    broken = set(generate.break_files(root, paths, 0.01))
    result = run(tool("check", "--root", str(root)))
    named = {line.split(":", 1)[0] for line in result.out.splitlines() if ": error: " in line}
    missed = broken - named
    (root / ".benchmark-complete").unlink()  # the CRM is no longer the generated one
    table.add(size, f"check, {len(broken):,} broken files (1 %)", result, files, None)
    traceback = "Traceback" in result.err
    verdict = "every one named" if not missed and result.code == 1 and not traceback else "FAILED"
    notes.append(
        f"{size}: {len(broken):,} of {files:,} files broken; check exit {result.code}, "
        f"{len(broken & named):,} named, {len(missed)} missed: {verdict}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode(errors="replace")
    except OSError:
        return None


def site_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html"]


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def plain_site(pages_dir: Path, into: Path, count: int) -> Path:
    """A plain Material project of ``count`` pages with a five-entry nav.

    It has the example site's theme (and its ``docs/assets``), Markdown
    extensions and plugins, but not the ``followup`` plugin.

    Its pages are the output of ``followup-gen build`` when there is one (the
    same content), else synthetic pages of similar size.
    """
    docs = into / "docs"
    docs.mkdir(parents=True)
    if pages_dir is not None and any(pages_dir.rglob("*.md")):
        # Every file: the Markdown pages and what comes with them (letters, feed).
        for page in (p for p in pages_dir.rglob("*") if p.is_file()):
            target = docs / page.relative_to(pages_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
    else:
        (docs / "index.md").write_text("# Home\n")
        row = "| Jane Doe | hiring | Acme | 2026-11-20 | 2026-12-01 |\n"
        for number in range(count - 1):
            folder = docs / ("contacts", "opportunities", "interactions")[number % 3]
            folder.mkdir(exist_ok=True)
            (folder / f"page-{number}.md").write_text(
                f"# Page {number}\n\n{generate._paragraph(generate.random.Random(number), 60)}\n\n"
                "| Name | Relationship | Company | Last | Next |\n|---|---|---|---|---|\n"
                + row
                * 12
            )
    # The theme's own files the configuration names (the logo).
    if (REPO / "docs" / "assets").is_dir():
        shutil.copytree(REPO / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    top = sorted(p.relative_to(docs).as_posix() for p in docs.glob("*.md"))[:5]
    nav = "".join(f"  - {page}\n" for page in top)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # The same plugins (search, tags...) but followup's.
    theme_and_markdown = re.sub(r"(?m)^  - followup\b.*\n(?:    .*\n)*", "", config)
    theme_and_markdown = re.sub(r"(?m)^docs_dir:.*$", "docs_dir: docs", theme_and_markdown)
    theme_and_markdown = re.sub(r"(?ms)^extra_(css|javascript):.*?(?=^\S)", "", theme_and_markdown)
    (into / "mkdocs.yml").write_text(theme_and_markdown + f"\nnav:\n{nav}", encoding="utf-8")
    return into


def measure_site(
    size: str, root: Path, files: int, repeat: int, table: Table, facts: dict, notes: list
):
    missing = has_command("build")
    out = root.parent / "build-out"
    shutil.rmtree(out, ignore_errors=True)
    if missing:
        table.add(size, "followup-gen build", f"n/a ({missing})", 0, None)
        out = None
    else:
        build = run(tool("build", "--root", str(root), "--today", TODAY, "--out", str(out)))
        if build.code != 0:
            table.add(
                size,
                "followup-gen build",
                f"n/a (exit {build.code}: {build.err.strip()[-200:]})",
                0,
                None,
            )
            out = None
        else:
            table.add(size, "followup-gen build", build, files, facts[size]["floor"].seconds)
    try:
        from importlib.metadata import entry_points

        (plugin,) = entry_points(group="mkdocs.plugins", name="followup")
        plugin.load()
    except Exception as exc:  # noqa: BLE001 - any reason the plugin cannot load
        table.add(size, "mkdocs build (followup plugin)", f"n/a (plugin: {exc!r})", 0, None)
        return
    for name in ("mkdocs.yml", "docs"):
        target = root / name
        if target.is_dir():
            shutil.rmtree(target)
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copyfile
        copy(REPO / name, target)
    site = root / "site"
    # The two builds take turns, so a busy spell of a shared machine slows
    # both alike; each keeps its best run.
    builds, plain_runs, plain_root = [], [], None
    for _ in range(repeat):
        shutil.rmtree(site, ignore_errors=True)
        builds.append(run(MKDOCS + ["build", "-q", "-d", str(site)], cwd=root))
        if builds[-1].code != 0:
            break
        if plain_root is None:
            plain_root = plain_site(out, root.parent / "plain", len(site_pages(site)))
        shutil.rmtree(plain_root / "site", ignore_errors=True)
        plain_runs.append(run(MKDOCS + ["build", "-q"], cwd=plain_root))
    built = median(builds)
    if built.code != 0:
        table.add(
            size,
            "mkdocs build (followup plugin)",
            f"n/a (exit {built.code}: {built.err.strip()[-300:]})",
            0,
            None,
        )
        return
    pages = len(site_pages(site))
    table.add(size, f"mkdocs build (followup plugin), {pages:,} pages", built, 0, None)
    plain = median(plain_runs)
    plain_pages = len(site_pages(plain_root / "site"))
    table.add(size, f"mkdocs build, plain Material, {plain_pages:,} pages", plain, 0, None)
    site_mb, plain_mb = du_mb(site), du_mb(plain_root / "site")
    facts["site"] = (size, built, plain, pages, plain_pages)
    notes.append(f"{size}: site {site_mb:.1f} MB on disk (plain Material: {plain_mb:.1f} MB)")
    # The lower bound for a preview: one page on disk edited, MkDocs --dirty.
    plain_page = next(iter(sorted((plain_root / "docs" / "contacts").glob("*.md"))), None)
    if plain_page is not None:
        latencies, rss = serve_latency(
            plain_root, plain_page, f"contacts/{plain_page.stem}/", ["--dirty"], repeat
        )
        label = "edit-to-preview, plain Material, serve --dirty"
        if isinstance(latencies, str):
            table.add(size, label, latencies, 0, None)
        else:
            shown = ", ".join(f"{s:.1f}" for s in latencies)
            result = Run(statistics.median(latencies), rss, 0, "", "")
            table.add(size, f"{label} (median of {shown})", result, 0, None)
    shutil.rmtree(plain_root)
    # The page of the first contact, found in the built site.
    contact = sorted((root / "contacts").iterdir())[0]
    page = next((p for p in site_pages(site) if p.parent.name == contact.stem), None)
    if page is None:
        table.add(size, "edit-to-preview", f"n/a (no page for {contact.stem} in the site)", 0, None)
        return
    url_path = page.parent.relative_to(site).as_posix() + "/"
    for flags in (["--dirty"],):  # a plain serve renders every page again: see the docs
        latencies, rss = serve_latency(root, contact, url_path, flags, repeat)
        label = " ".join(["mkdocs serve", *flags])
        if isinstance(latencies, str):
            table.add(size, f"edit-to-preview, {label}", latencies, 0, None)
            continue
        result = Run(statistics.median(latencies), rss, 0, "", "")
        shown = ", ".join(f"{s:.1f}" for s in latencies)
        table.add(size, f"edit-to-preview, {label} (median of {shown})", result, 0, None)
        facts["preview"] = (size, result)


def serve_latency(root: Path, contact: Path, url_path: str, flags: list[str], repeat: int):
    port = free_port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [*MKDOCS, "serve", "-a", f"127.0.0.1:{port}", *flags],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 300
            while fetch(url) is None:
                if time.monotonic() > deadline or server.poll() is not None:
                    log.seek(0)
                    return f"n/a (serve did not start: {log.read().decode()[-200:]})", 0
                time.sleep(0.2)
            time.sleep(1.0)  # let the watcher settle
            latencies = []
            for number in range(repeat):
                new_name = edit(contact, 100 + number + (50 if flags else 0))
                start = time.perf_counter()
                while new_name not in (fetch(url) or ""):
                    if time.perf_counter() - start > 180:
                        return "n/a (the change did not show within 180 s)", 0
                    time.sleep(0.05)
                latencies.append(time.perf_counter() - start)
                time.sleep(1.0)
        finally:
            server.terminate()
            usage = None
            for _ in range(300):
                pid, _, usage = os.wait4(server.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.1)
            else:
                server.kill()
                _, _, usage = os.wait4(server.pid, 0)
            server.returncode = 0  # reaped above
    return latencies, usage.ru_maxrss / 1024


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for package in ("mkdocs", "mkdocs-material", "PyYAML"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
    return (
        f"{len(os.sched_getaffinity(0))} cores ({os.cpu_count()} online), {cpu}, "
        f"Python {platform.python_version()}, {', '.join(versions)}, "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )


def verdicts(facts: dict, sizes: list[str]) -> list[str]:
    out = []

    def line(what: str, value: float, target: float, unit: str):
        met = "met" if value <= target else "MISSED"
        out.append(f"{what}: {value:.2f}{unit} (target {target}{unit}): {met}")

    ratio_size = "L" if "L" in sizes else sizes[-1]
    f = facts.get(ratio_size, {})
    if "floor" in f:
        floor = f["floor"].seconds
        for name in ("report --json", "check"):
            for label, target in (
                ("cold (builds the cache)", COLD_MAX),
                ("warm (nothing changed)", WARM_MAX),
                ("one file changed", CHANGED_MAX),
            ):
                if f"{name} {label}" in f:
                    seconds = f[f"{name} {label}"].seconds
                    line(f"{ratio_size} {name} {label} / floor", seconds / floor, target, " x")
    small, large = sizes[0], sizes[-1]
    if small != large:
        for name in ("report --json", "check"):
            key = f"{name} cold (builds the cache)"
            if key in facts[small] and key in facts[large]:
                per_file = [facts[s][key].seconds / facts[s]["files"] for s in (small, large)]
                line(
                    f"{name} cold cost per file {large} / {small}",
                    per_file[1] / per_file[0],
                    SCALING_MAX,
                    " x",
                )
    peak = max((r.rss_mb for r in facts.get(large, {}).values() if isinstance(r, Run)), default=0)
    line(f"{large} peak RSS", peak, RSS_MB_MAX, " MB")
    if "site" in facts:
        size, built, plain, pages, plain_pages = facts["site"]
        line(
            f"{size} site build / plain Material ({pages:,} vs {plain_pages:,} pages)",
            built.seconds / plain.seconds,
            SITE_MAX,
            " x",
        )
    if "preview" in facts:
        size, result = facts["preview"]
        line(f"{size} edit-to-preview (mkdocs serve --dirty)", result.seconds, PREVIEW_MAX, " s")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="S,M", help="comma-separated, of S, M, L, XL (default S,M)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per warm measurement")
    parser.add_argument("--workdir", type=Path, help="keep the CRMs here and reuse them")
    parser.add_argument("--no-site", action="store_true", help="skip the site measurements")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",")]
    if any(s not in generate.SIZES for s in sizes):
        parser.error(f"sizes are {', '.join(generate.SIZES)}")
    sizes.sort(key=list(generate.SIZES).index)
    print(f"machine: {machine()}")
    with contextlib.ExitStack() as stack:
        workdir = args.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        workdir.mkdir(parents=True, exist_ok=True)
        table, facts, notes = Table(), {}, []
        site_size = "L" if "L" in sizes else sizes[-1]
        for size in sizes:
            root, files = make_crm(workdir, size)
            parts = [(measure_loading, (size, root, files, args.repeat, table, facts))]
            if size == site_size and not args.no_site:
                site_args = (size, root, files, args.repeat, table, facts, notes)
                parts.append((measure_site, site_args))
            if size == sizes[-1]:
                parts.append((measure_broken, (size, root, files, table, notes)))
            for part, part_args in parts:
                try:
                    part(*part_args)
                except Exception as exc:  # noqa: BLE001 - report it, measure the rest
                    table.add(size, part.__name__, f"FAILED ({exc!r:.300})", 0, None)
        table.print(markdown=args.markdown)
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        print()
        for note in notes + verdicts(facts, sizes):
            print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
