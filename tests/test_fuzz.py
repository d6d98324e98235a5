"""Property tests: no input file makes the loader, the validator or the cache raise.

Random bytes and random front matter (real keys and made-up ones, YAML tags
safe and unsafe, anchors, impossible dates, odd scalars) either load or come
back as problems that name the file; a cache hit gives what a parse gives.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_gen.load import check_file
from followup_gen.load.cache import cached
from followup_gen.load.files import RawRecord, parse_record
from followup_gen.load.schema import SCHEMAS, validate
from followup_gen.problems import Problem

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TYPES = ("contact", "opportunity", "interaction")
FOLDER = {"contact": "contacts", "opportunity": "opportunities", "interaction": "interactions"}
KEYS = sorted({key for schema in SCHEMAS.values() for key in schema}) + ["notes", "naem", "x y"]

scalars = st.one_of(
    st.text(max_size=30),
    st.text(max_size=30).map(json.dumps),  # always a valid YAML string
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True).map(str),
    st.dates().map(str),
    st.sampled_from(
        [
            "2026-02-30",
            "2026-11-20 14:30",
            "2026-11-20T14:30:00+01:00",
            "2026-13-01",
            "yes",
            "no",
            "~",
            "null",
            ".inf",
            ".nan",
            "0x1F",
            "0o17",
            "1_000",
            "'quoted'",
            '"esc\\x41ped"',
            "|\n  block\n  text",
            ">\n  folded",
            "[a, b, [c]]",
            "{a: 1, b: [2]}",
            "&anchor [1, 2]",
            "*anchor",
            "*nowhere",
            "!!set {a, b}",
            "!!binary aGVsbG8=",
            "!!omap [{a: 1}, {b: 2}]",
            "!!python/object/apply:os.system ['echo pwned']",
            "!!python/name:os.system",
            "!!timestamp 2026-11-20",
            "!!int not-a-number",
            "!!float x",
            "!!str 12",
            "!custom tag",
            "%YAML 1.1",
            "- dash",
            "key: nested: colon",
            "[unclosed",
            "{unclosed",
            "\t tab",
            "\x00nul",
            "\ufeffbom",
            "@reserved",
            "`backtick",
        ]
    ),
)


@st.composite
def front_matter(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), st.text(max_size=10)))
        value = draw(scalars)
        indent = draw(st.sampled_from(["", "", "", " ", "  "]))
        if draw(st.booleans()) and "\n" not in value:
            lines.append(f"{indent}{key}:\n  - {value}\n  - {draw(scalars)}")
        else:
            lines.append(f"{indent}{key}: {value}")
    closing = draw(st.sampled_from(["---", "---", "...", "", "--- trailing"]))
    body = draw(st.text(max_size=40))
    text = "---\n" + "\n".join(lines) + f"\n{closing}\n{body}"
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


def check_result(rel: str, record, problems) -> None:
    assert record is None or isinstance(record, RawRecord)
    assert all(isinstance(p, Problem) and p.file == rel for p in problems)
    assert all(p.line is None or p.line >= 1 for p in problems)
    if record is None:
        assert any(p.severity == "error" for p in problems), "a file left out must say why"
        return
    _, found = validate([record])
    assert all(isinstance(p, Problem) and p.file == rel for p in found)
    assert all(p.line is None or p.line >= 1 for p in found)


@BOUNDED
@given(data=st.one_of(front_matter(), st.binary(max_size=300)), record_type=st.sampled_from(TYPES))
def test_any_file_loads_or_reports_problems(data, record_type):
    rel = f"{FOLDER[record_type]}/fuzzed.md"
    record, problems = parse_record(rel, data, record_type)
    check_result(rel, record, problems)


@BOUNDED
@given(
    data=st.binary(max_size=200).map(lambda b: b"---\n" + b + b"\n---\n"),
    record_type=st.sampled_from(TYPES),
)
def test_random_bytes_between_markers_load_or_report_problems(data, record_type):
    rel = f"{FOLDER[record_type]}/fuzzed.md"
    record, problems = parse_record(rel, data, record_type)
    check_result(rel, record, problems)


def same(a, b) -> bool:
    # NaN is not equal to itself; its repr is.
    return a == b or repr(a) == repr(b)


@settings(max_examples=100, deadline=None)
@given(data=front_matter(), record_type=st.sampled_from(TYPES))
def test_a_cache_hit_gives_what_a_parse_gives(data, record_type):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        rel = f"{FOLDER[record_type]}/fuzzed.md"
        (root / rel).parent.mkdir()
        (root / rel).write_bytes(data)
        os.utime(root / rel, ns=(10**18, 10**18))
        expected = check_file(root, rel, record_type)
        paths = [(rel, record_type)]
        cold = cached(root, paths, check_file)
        warm = cached(root, paths, lambda *args: pytest.fail("parsed again"))
        assert same(cold, [expected]) and same(warm, [expected])


def test_an_s_size_crm_with_1_percent_broken_files_reports_every_one(tmp_path):
    from click.testing import CliRunner

    from benchmarks import generate
    from followup_gen.cli import main

    files = generate.generate("S")
    generate.write(tmp_path, files)
    broken = generate.break_files(tmp_path, sorted(files), 0.01)
    assert len(broken) == 11
    outputs = set()
    for cache in (["--no-cache"], [], []):  # parsed, then cold and warm cache
        result = CliRunner().invoke(
            main, ["check", "--root", str(tmp_path), *cache], catch_exceptions=False
        )
        assert result.exit_code == 1
        outputs.add((result.stdout, result.stderr))
        named = {
            line.split(":", 1)[0] for line in result.stdout.splitlines() if ": error: " in line
        }
        assert set(broken) <= named, sorted(set(broken) - named)
        # Every error is in a broken file or names a record that a broken file held.
        for line in result.stdout.splitlines():
            file = line.split(":", 1)[0]
            assert file in broken or "[unknown-contact]" in line or "[unknown-opportunity]" in line
    assert len(outputs) == 1  # the cache changes nothing


def test_the_benchmark_crm_is_valid_and_uses_every_kind_relationship_and_channel(tmp_path):
    from benchmarks import generate
    from followup_gen.load import load_crm
    from followup_gen.records import CHANNELS, KINDS, RELATIONSHIPS

    files = generate.generate("S")
    assert files == generate.generate("S")  # deterministic
    generate.write(tmp_path, files)
    loaded = load_crm(tmp_path, cache=False)
    assert loaded.problems == ()
    crm = loaded.crm
    assert (len(crm.contacts), len(crm.opportunities), len(crm.interactions)) == (100, 20, 1000)
    assert {i.kind for i in crm.interactions} == set(KINDS)
    assert {c.relationship for c in crm.contacts.values()} == set(RELATIONSHIPS)
    assert {i.channel for i in crm.interactions} == set(CHANNELS)
