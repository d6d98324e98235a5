"""No script from data: hostile notes, through both layers and a real build.

The first layer (``safe_notes``) keeps a note Markdown that cannot make an
unsafe link, a tag or an attribute; the second (``sanitize``, nh3) cleans the
HTML rendered from it with an allowlist. Each hostile note below is one way a
note (typed, or imported from a stranger's vCard) tried to run script.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from followup_gen.cli import main
from followup_gen.outputs.sanitize import ALLOWED_TAGS, URL_SCHEMES, sanitize
from followup_gen.outputs.templates import notes_converter, render_notes, safe_notes

from .test_plugin import mkdocs_build, with_site

# Each one made `<a href="javascript:...">` (or an event handler) before.
HOSTILE_NOTES = {
    "next-line target": "[p]:\njavascript:alert(1)\n\nsee [p]",
    "next-line target, indented": "[lnk][]\n\n[lnk]:\n\tjavascript:alert(2)",
    "next-line target in angle brackets": "[t]:\n  <javascript:alert(3)>\n\n[t]",
    "definition in a quote": "> [q]: javascript:alert(4)\n\n[q]",
    "definition in a nested quote": "> > [z]: javascript:alert(5)\n\n[z]",
    "definition in a - list item": "- [r]: javascript:alert(6)\n\n[r]",
    "definition in a * list item": "* [x]: javascript:alert(7)\n\n[x]",
    "definition in a numbered item": "1. [y]: javascript:alert(8)\n\n[y]",
    "definition in a quoted list item": "> - [w]:\n>   javascript:alert(9)\n\n[w]",
    "entity-encoded scheme": "[e](&#106;avascript:alert(10))",
    "hex entity in the scheme": "[e](jav&#x61;script&colon;alert(11))",
    "entity-encoded definition": "[s]: &#106;avascript:alert(12)\n\n[s]",
    "attr_list on a paragraph": 'text\n{: onclick="alert(13)" }',
    "attr_list on a link": "[a](https://x.example){: onclick=alert(14)}",
    "attr_list on a heading": "# Title {: onmouseover=alert(15) }",
    "data: URI": "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxNik8L3NjcmlwdD4=)",
    "vbscript": "[v]: vbscript:alert(17)\n\n[v]",
    "raw tag": "<img src=x onerror=alert(18)> <svg onload=alert(19)>",
}
# What the site's Markdown (this repository's mkdocs.yml) turns on.
SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "pymdownx.superfences"]


class Elements(HTMLParser):
    """Every (tag, attributes) of an HTML text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def unsafe_attributes(text: str) -> list[str]:
    """Event handlers, and links whose scheme is not allowed (after decoding)."""
    bad = []
    for tag, attrs in Elements(text).found:
        for name, value in attrs.items():
            if name.startswith("on"):
                bad.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and value:
                cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
                if scheme and scheme.group(1) not in URL_SCHEMES:
                    bad.append(f"<{tag} {name}={value}>")
    return bad


@pytest.mark.parametrize("note", HOSTILE_NOTES.values(), ids=HOSTILE_NOTES.keys())
def test_the_markdown_layer_alone_makes_no_unsafe_link(note):
    rendered = markdown.markdown(str(safe_notes(note)), extensions=SITE_EXTENSIONS)
    assert unsafe_attributes(rendered) == []
    assert not re.search(r"<(script|img|svg)\b", rendered)


@pytest.mark.parametrize("note", HOSTILE_NOTES.values(), ids=HOSTILE_NOTES.keys())
@pytest.mark.parametrize("quote", [False, True])
def test_rendered_notes_hold_only_allowed_tags_and_safe_links(note, quote):
    html = render_notes(notes_converter(), note, quote=quote)
    assert html.startswith("<blockquote" if quote else '<div class="fg-notes">')
    assert unsafe_attributes(html) == []
    tags = {tag for tag, _ in Elements(html).found}
    assert tags <= ALLOWED_TAGS | {"div", "blockquote"}, tags


def test_notes_keep_their_formatting_and_safe_links():
    html = render_notes(
        notes_converter(),
        "Met at **PyCon**; call [her](tel:+15550100) or [mail](mailto:j@x.example).\n\n"
        "# Plan\n\n- one\n- two\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "```python\ndef f():\n    return 1\n```",
    )
    assert "<strong>PyCon</strong>" in html
    assert '<a href="tel:+15550100" rel="noopener noreferrer">her</a>' in html
    assert '<a href="mailto:j@x.example" rel="noopener noreferrer">mail</a>' in html
    assert "<h3>Plan</h3>" in html  # two levels down: under the page's ## Notes
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert '<span class="k">return</span>' in html  # code keeps its highlighting


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="JaVa&#09;Script:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="https://x.example" onclick="y()">x</a>', None),
        ("<p onmouseover=alert(1)>hi</p>", "<p>hi</p>"),
        ("<script>alert(1)</script>ok", "ok"),
        ("<style>*{}</style><iframe src=x></iframe>ok", "ok"),
        ('<img src="https://tracker.example/p.gif">', ""),  # no request to another site
        ('<form action="https://x"><input></form>', ""),
        ('<span class="k" style="color:red">a</span>', '<span class="k">a</span>'),
        ('<span class="md-clipboard">a</span>', '<span class="">a</span>'),
    ],
)
def test_sanitize_keeps_only_the_allowlist(dirty, clean):
    expected = (
        clean
        if clean is not None
        else ('<a href="https://x.example" rel="noopener noreferrer">x</a>')
    )
    assert sanitize(dirty) == expected


def hostile_vcard() -> str:
    notes = "\\n".join(
        note.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")
        for note in (HOSTILE_NOTES["next-line target"], HOSTILE_NOTES["definition in a quote"])
    )
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mallory Stranger\r\nN:Stranger;Mallory;;;\r\n"
        f"NOTE:{notes}\r\nEND:VCARD\r\n"
    )


def test_a_strangers_vcard_note_makes_no_script_in_the_built_site(make_crm, tmp_path):
    root = with_site(make_crm, {})
    (tmp_path / "card.vcf").write_text(hostile_vcard())
    imported = CliRunner().invoke(
        main, ["import", "vcard", str(tmp_path / "card.vcf"), "--root", str(root)]
    )
    assert imported.exit_code == 0, imported.output
    assert "javascript:alert(1)" in (root / "contacts" / "mallory-stranger.md").read_text()
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "contacts" / "mallory-stranger" / "index.html").read_text()
    assert '<div class="fg-notes">' in page
    for html_file in (tmp_path / "site").rglob("*.html"):
        assert unsafe_attributes(html_file.read_text()) == [], html_file


def test_letter_pages_hold_no_script_even_from_a_careless_template(make_crm):
    from followup_gen.load import load_crm
    from followup_gen.outputs.drafts import letter_pages
    from followup_gen.rules.evaluate import evaluate

    from .test_drafts import FILES, TODAY

    files = dict(FILES)
    files["site_templates/letters/thank-helper.j2"] = (
        "Hi {{ them.greeting }}\n\n<script>alert(1)</script> [x](javascript:alert(2))\n"
        "<img src=x onerror=alert(3)> [site](https://x.example)\n"
    )
    loaded = load_crm(make_crm(files))
    pages = letter_pages(loaded, None, evaluate(loaded.crm, TODAY, loaded.settings))
    page = next(text for path, text in pages.items() if "/thank-helper-" in path)
    letter = page.partition('<article class="fg-letter">')[2]
    # Letters are plain paragraphs: Markdown typed into a template shows as typed.
    assert "Hi Sam" in letter and "[site](https://x.example)" in letter
    assert "<script" not in letter and "<img" not in letter
    assert unsafe_attributes(page) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .,;:!?'\"()-+1\n=#*<&", max_size=40))
def test_prose_skips_markdown_but_renders_the_same(text):
    from followup_gen.outputs.templates import _prose_html

    fast = _prose_html(text)
    if fast is not None and text.strip():
        slow = notes_converter().convert(str(safe_notes(text)))
        assert sanitize(fast) == sanitize(slow)
