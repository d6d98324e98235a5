"""The letters' fast Markdown path gives exactly what Python-Markdown gives.

``drafts.simple_html`` converts the small subset of Markdown that letters
use and declines (``None``) anything else. Hypothesis writes letter-like
texts from the characters and constructs that matter (Markdown syntax, HTML,
character references, spacing); whenever the fast path answers, its HTML
must be Python-Markdown's, byte for byte. The examples are derandomized so
CI is repeatable; widen ``max_examples`` locally to search further.
"""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from followup_gen.outputs.drafts import simple_html

PIECES = st.sampled_from(
    [
        "Dear Jane",
        "Thank you",
        "**",
        "**strong**",
        "*",
        "_",
        "`",
        "- ",
        "-",
        "1. ",
        "# ",
        "> ",
        "<b>",
        "<script>alert(1)</script>",
        "&amp;",
        "&lt;",
        "&#39;",
        "&",
        "&nope",
        "[x](javascript:alert(1))",
        "\\",
        "  ",
        " ",
        "\n",
        "\n\n",
        "  \n",
        "\t",
        "=",
        "+",
        "|",
        "~",
        "{",
        "!",
        "é",
        "2026-11-20",
        "Acme, Inc.",
        '"quoted"',
        "it's",
    ]
)
TEXTS = st.lists(PIECES, max_size=25).map("".join)


def reference(text: str) -> str:
    return markdown.Markdown().convert(text)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(TEXTS)
def test_the_fast_path_answers_only_with_what_python_markdown_gives(text):
    fast = simple_html(text)
    if fast is not None:
        assert fast == reference(text)


@given(st.text(max_size=200))
@settings(max_examples=500, deadline=None, derandomize=True)
def test_any_text_either_declined_or_identical(text):
    fast = simple_html(text)
    if fast is not None:
        assert fast == reference(text)


def test_the_fast_path_does_answer_for_a_typical_letter():
    letter = (
        "Dear Jane,  \nAcme &amp; Co.\n\nThank you for **the interview** today.\n\n"
        "- the migration to Spark\n- on-call load\n\nBest regards,  \nAlex"
    )
    assert simple_html(letter) is not None
    assert simple_html(letter) == reference(letter)
