"""Write a deterministic, realistic synthetic CRM for the benchmark.

    python benchmarks/generate.py M /tmp/crm-m          # 300 contacts, 3,000 interactions
    python benchmarks/generate.py S /tmp/crm-s --broken 0.01

The same size and seed always give byte-identical files with the same
modification time (so a parse cache sees the same keys on every run).
Every relationship, interaction kind and channel appears; opportunities
move through application, replies, interviews and an outcome; some
interactions carry a time, talking points and notes. ``--broken F`` replaces
a fraction F of the files (spread evenly, at least one) by files that
cannot load, and prints how many.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

from followup_gen.records import CHANNELS, RELATIONSHIPS

# M is a typical real CRM, L a large one; XL only checks that the cost stays linear.
SIZES: dict[str, tuple[int, int]] = {
    "S": (100, 1_000),
    "M": (300, 3_000),
    "L": (2_000, 20_000),
    "XL": (10_000, 100_000),
}
# Every file gets this modification time (2026-01-01 00:00 UTC).
MTIME_NS = 1_767_225_600 * 1_000_000_000
TODAY = dt.date(2026, 11, 20)

NETWORK_KINDS = (
    "meeting",
    "informational-interview",
    "help",
    "referral",
    "introduction",
    "check-in",
    "thank-you",
    "reply",
)
FIRST = (
    "Ada Alan Beth Carlos Dana Elif Farah Gus Hana Ivan Jane Kofi Lena Mateo Nia Omar Priya "
    "Quinn Rosa Sven Tara Umar Vera Wen Ximena Yusuf Zoe Anouk Bram Chidi Dorota Emeka"
).split()
LAST = (
    "Abara Berg Costa Dubois Eze Fischer Garcia Haddad Ito Jansen Kowalski Lund Moreau "
    "Nakamura Okafor Petrov Quispe Rossi Silva Tanaka Ueda Varga Weber Xu Yilmaz Zhang"
).split()
COMPANIES = (
    "Acme Analytics, Birch Logistics, Cobalt Health, Dune Robotics, Ember Foods, Fjord Bank, "
    "Granite Software, Harbor Media, Iris Energy, Juniper Labs, Kestrel Air, Lumen Retail"
).split(", ")
TITLES = (
    "Engineering Manager",
    "Recruiter",
    "Director of Data",
    "Staff Engineer",
    "Head of Product",
    "Operations Lead",
    "CTO",
    "Talent Partner",
)
ROLES = ("Data Engineer", "Backend Developer", "Platform Lead", "Analytics Manager", "SRE")
TAGS = ("python", "data", "fintech", "alumni", "meetup", "remote", "mentor", "climate")
TOPICS = (
    "their migration to a streaming pipeline",
    "how the team runs on-call",
    "the new office in Lyon",
    "hiring plans for next quarter",
    "a book on distributed systems",
    "the open-source library they maintain",
    "mentoring junior analysts",
    "the conference talk on data contracts",
)
WORDS = (
    "we talked about the role and the team; they suggested I read the engineering blog "
    "and follow up after the quarterly planning. Good energy, clear next step, worth a "
    "thank-you with the article on schema evolution"
).split()


def _slug(text: str) -> str:
    return "-".join("".join(c for c in w.lower() if c.isalnum()) for w in text.split())


def _paragraph(rng: random.Random, words: int) -> str:
    out = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(out).capitalize() + "."


def _contact(rng: random.Random, number: int) -> tuple[str, str]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    cid = f"{_slug(name)}-{number}"
    relationship = RELATIONSHIPS[number % len(RELATIONSHIPS)]
    lines = [
        "---",
        f"name: {name}",
        f"relationship: {relationship}",
        f"company: {rng.choice(COMPANIES)}",
        f"title: {rng.choice(TITLES)}",
        f"email: {cid}@example.com",
    ]
    if number % 3 == 0:
        lines.append(f'phone: "+1 555 01{number % 100:02d}"')
    if number % 4 == 0:
        lines += ["address: |", f"  {number % 900 + 1} Elm Street", "  Springfield, IL 62701"]
    if number % 2 == 0:
        lines.append(f"linkedin: https://www.linkedin.com/in/{cid}")
    lines.append(f"tags: [{', '.join(rng.sample(TAGS, 2))}]")
    if number % 5 == 0:
        lines.append(f"cadence: {rng.choice(('21d', '6w', '3m', '30', 'none'))}")
    if number % 7 == 0:
        lines.append("business_card: true")
    if number % 97 == 0:
        lines.append("do_not_contact: true")
    met = TODAY - dt.timedelta(days=rng.randrange(30, 2000))
    lines += [f"met: {met.isoformat()}", "---", "", _paragraph(rng, 40), ""]
    return cid, "\n".join(lines)


def _opportunity(rng: random.Random, number: int, contacts: list[str]) -> tuple[str, str, str]:
    company = rng.choice(COMPANIES)
    role = rng.choice(ROLES)
    oid = f"{_slug(company)}-{_slug(role)}-{number}"
    hiring = rng.sample(contacts, min(2, len(contacts)))
    lines = [
        "---",
        f"company: {company}",
        f"role: {role}",
        f"url: https://jobs.example.com/{oid}",
        f"contacts: [{', '.join(hiring)}]",
    ]
    if number % 3 == 0:
        expected = TODAY + dt.timedelta(days=rng.randrange(-20, 40))
        lines.append(f"expected_decision: {expected.isoformat()}")
    if number % 11 == 0:
        lines.append(f"status: {('withdrawn', 'on-hold', 'closed')[number % 3]}")
    if number % 4 == 0:
        lines.append(f"referred_by: {rng.choice(contacts)}")
    lines += ["---", "", _paragraph(rng, 30), ""]
    return oid, hiring[0], "\n".join(lines)


def _interaction(
    rng: random.Random,
    day: dt.date,
    kind: str,
    contacts: list[str],
    opportunity: str | None,
    number: int,
) -> tuple[str, str]:
    when = (
        day.isoformat()
        if number % 3
        else f"{day.isoformat()} {9 + number % 9:02d}:{number % 4 * 15:02d}"
    )
    who = contacts[0] if len(contacts) == 1 else f"[{', '.join(contacts)}]"
    lines = ["---", f"date: {when}", f"contacts: {who}", f"kind: {kind}"]
    lines.append(f"channel: {CHANNELS[number % len(CHANNELS)]}")
    if opportunity:
        lines.append(f"opportunity: {opportunity}")
    if kind in ("meeting", "interview", "informational-interview", "help") or number % 4 == 0:
        lines.append("specifics:")
        lines += [f"  - {topic}" for topic in rng.sample(TOPICS, 2)]
    lines += ["---", "", _paragraph(rng, 25 + number % 30), ""]
    name = f"{day.isoformat()}-{kind}-{contacts[0]}-{number}"
    return name, "\n".join(lines)


def _process(outcome_roll: float) -> list[str]:
    """The kinds of one hiring process, in order."""
    steps = ["application", "follow-up", "reply", "interview", "thank-you"]
    if outcome_roll < 0.25:
        return steps + ["interview", "thank-you", "offer", "accepted"]
    if outcome_roll < 0.55:
        return steps + ["rejection"]
    if outcome_roll < 0.65:
        return steps + ["withdrew"]
    return steps  # still open: due follow-ups and stalled opportunities


def generate(size: str, seed: int = 7) -> dict[str, str]:
    """``{relative path: text}`` of a synthetic CRM of ``size`` (S, M or L)."""
    n_contacts, n_interactions = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    files: dict[str, str] = {}
    contacts: list[str] = []
    for number in range(n_contacts):
        cid, text = _contact(rng, number)
        contacts.append(cid)
        files[f"contacts/{cid}.md"] = text
    opportunities: list[tuple[str, str]] = []
    for number in range(max(1, n_contacts // 5)):
        oid, lead, text = _opportunity(rng, number, contacts)
        opportunities.append((oid, lead))
        files[f"opportunities/{oid}.md"] = text
    count = 0
    # Every opportunity gets its process; the rest are networking and keep-in-touch.
    for oid, lead in opportunities:
        start = TODAY - dt.timedelta(days=rng.randrange(5, 400))
        for step, kind in enumerate(_process(rng.random())):
            if count >= n_interactions:
                break
            day = min(TODAY, start + dt.timedelta(days=step * rng.randrange(2, 9)))
            name, text = _interaction(rng, day, kind, [lead], oid, count)
            files[f"interactions/{name}.md"] = text
            count += 1
    while count < n_interactions:
        who = [contacts[rng.randrange(len(contacts))]]
        if count % 10 == 0:
            who.append(contacts[rng.randrange(len(contacts))])
        who = list(dict.fromkeys(who))
        day = TODAY - dt.timedelta(days=rng.randrange(0, 730))
        kind = NETWORK_KINDS[count % len(NETWORK_KINDS)]
        name, text = _interaction(rng, day, kind, who, None, count)
        files[f"interactions/{name}.md"] = text
        count += 1
    return files


BROKEN = (
    "---\nname: [unclosed\nrelationship: friend\n---\n",  # YAML syntax
    "no front matter at all\n",
    "---\nname: Someone\n---\n",  # contact without relationship / interaction without date
    b"---\nname: caf\xe9\n---\n",  # not UTF-8
    "---\ndate: 2026-02-30\ncontacts: x\nkind: meeting\n---\n",  # impossible date
)


def break_files(root: Path, paths: list[str], fraction: float) -> list[str]:
    """Overwrite an even spread of ``fraction`` of ``paths``; return them."""
    count = max(1, round(len(paths) * fraction))
    step = len(paths) / count
    chosen = [paths[int(i * step)] for i in range(count)]
    for number, rel in enumerate(chosen):
        content = BROKEN[number % len(BROKEN)]
        data = content if isinstance(content, bytes) else content.encode()
        (root / rel).write_bytes(data)
        os.utime(root / rel, ns=(MTIME_NS, MTIME_NS))
    return chosen


def write(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` under ``root`` (which must be empty or absent)."""
    for folder in ("contacts", "opportunities", "interactions"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(MTIME_NS, MTIME_NS))
    (root / "followup.yml").write_text(f"today: {TODAY.isoformat()}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--broken", type=float, default=0.0, metavar="FRACTION")
    args = parser.parse_args(argv)
    if args.root.exists() and any(args.root.iterdir()):
        print(f"{args.root} is not empty; choose a new folder", file=sys.stderr)
        return 2
    files = generate(args.size, args.seed)
    write(args.root, files)
    print(f"{len(files)} files in {args.root}")
    if args.broken:
        broken = break_files(args.root, sorted(files), args.broken)
        print(f"{len(broken)} broken files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
