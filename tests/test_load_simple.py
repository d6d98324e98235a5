"""Simple front matter is read without composing the YAML: the same fields.

``load._simple_fields`` reads one-line ``key: value`` front matter (and
lists) itself and gives every other kind back to the composing path. For any
input it reads, it must give exactly what composing gives: the same keys,
values (of the same types), lines and text as typed.
"""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st

from followup_gen.load.files import _simple_fields, composed_fields, parse_front_matter

# Scalars YAML 1.1 reads in surprising ways, and some it cannot read.
TRICKY = [
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "~",
    "null",
    "Null",
    "NULL",
    "",
    "007",
    "0x1F",
    "0b101",
    "0o17",
    "1_000",
    "1:30",
    "190:20:30",
    "-5",
    "+5",
    "1e3",
    "1.5",
    ".5",
    "1.",
    ".inf",
    "-.Inf",
    ".NaN",
    "2026-11-20",
    "2026-02-30",
    "2026-11-20 14:30",
    "2026-11-20 14:30:00",
    "2026-11-20T14:30:00Z",
    "2026-1-2",
    "=",
    "<<",
    "a: b",
    "a:b",
    "http://x.example/a?b=c",
    "a, b",
    "a]",
    "[a]",
    "{a}",
    "'q'",
    "'it''s'",
    "'''",
    "'a' b",
    '"q"',
    '"a\\nb"',
    '"a"b"',
    "# c",
    "a #c",
    "a#c",
    "&a x",
    "*a",
    "!!str 1",
    "!tag x",
    "|",
    ">",
    "%x",
    "@x",
    "`x",
    "?x",
    "? x",
    ":x",
    "-x",
    "- x",
    "x:",
    "x :",
    "  x",
    "x  y",
    "é",
    "\u00a0x",
    "x\u2028y",
    "\ufeffx",
    "a\tb",
    "...",
    "---",
]
scalars = (
    st.sampled_from(TRICKY)
    | st.from_regex(r"[a-z0-9][a-z0-9 .:/@,'-]{0,8}", fullmatch=True)
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
)
# Scalars the simple path takes, YAML 1.1's surprises among them.
SIMPLE = [t for t in TRICKY if t and t[0] not in "-?:,[]{}#&*!|>'\"%@` \t" and "#" not in t]
simple_scalars = (
    st.sampled_from(SIMPLE)
    | st.from_regex(r"[a-z0-9][a-z0-9 .:/@,'-]{0,8}", fullmatch=True)
    | st.sampled_from(["'a b'", "'it''s'", "''", '"x y"', '""'])
)
keys = st.sampled_from(["name", "kind", "tags", "yes", "on", "a_b", "x-y", "1", "Name"])


SHAPES = ("scalar", "flow", "block", "blank", "other")


@st.composite
def lines(draw, scalars=scalars, keys=keys, shapes=SHAPES) -> str:
    key = draw(keys)
    shape = draw(st.sampled_from(shapes))
    if shape == "scalar":
        return f"{key}:{draw(st.sampled_from([' ', '  ', '']))}{draw(scalars)}"
    if shape == "flow":
        items = draw(st.lists(scalars, max_size=3))
        return f"{key}: [{draw(st.sampled_from([', ', ',', ' , ']).map(str)).join(items)}]"
    if shape == "block":
        indent = draw(st.sampled_from(["", "  ", "    "]))
        items = draw(st.lists(scalars, min_size=1, max_size=3))
        return "\n".join([f"{key}:", *(f"{indent}- {item}" for item in items)])
    if shape == "blank":
        return draw(st.sampled_from(["", "  "]))
    return draw(scalars)


@settings(max_examples=6000, deadline=None, derandomize=True)
@given(st.lists(lines(), min_size=1, max_size=6), st.sampled_from(["", "\n"]))
def test_simple_front_matter_reads_as_composed(front_lines, end):
    front = "\n".join(front_lines) + end
    simple = _simple_fields(front, 1)
    if simple is None:
        event("composed")
        return
    event("simple")
    fields, problems = composed_fields("f.md", front, 2)
    assert problems == []
    # repr: True and 1, 1.0 and 1, a date and a string all differ
    assert repr(simple) == repr(fields)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(
    st.lists(
        lines(
            simple_scalars,
            st.sampled_from(["name", "tags", "yes", "On", "a_b", "k", "key"]),
            ("scalar", "scalar", "flow", "block", "blank"),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_mostly_simple_front_matter_reads_as_composed(front_lines):
    test_simple_front_matter_reads_as_composed.hypothesis.inner_test(front_lines, "\n")


def test_everyday_front_matter_takes_the_simple_path():
    front = (
        "name: Ada Abara\nrelationship: hiring\nemail: ada@example.com\n"
        "linkedin: https://www.linkedin.com/in/ada\ntags: [meetup, mentor]\n"
        "met: 2023-05-24\ncadence: 30\ndo_not_contact: no\nspecifics:\n  - the new office\n"
        "  - 'it''s fine'\ndate: 2024-11-25 09:30\nnote: \"quoted\"\nempty:\n"
    )
    simple = _simple_fields(front, 1)
    assert simple is not None
    assert repr(simple) == repr(composed_fields("f.md", front, 2)[0])
    assert parse_front_matter("f.md", front, 2) == (simple, [])
