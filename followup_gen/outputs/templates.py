"""The Jinja2 environment of the generated pages, and how user text is escaped.

Templates are looked up first in the CRM's own ``site_templates/`` folder, then
in the defaults shipped with the tool (the repo's top-level ``site_templates/``
in a source checkout or editable install, ``followup_gen/site_templates/`` in
an installed wheel). A user overrides one page by copying its template.

Pages are Markdown that may hold HTML, so every ``{{ value }}`` in a Markdown
template is escaped for both: HTML's ``< > & " '`` and every character
Markdown or its extensions treat as syntax become numeric character
references, so a contact named ``[x](javascript:alert(1))`` or
``<img src=x onerror=alert(1)>`` is shown as typed and never becomes a link or
a tag. Helpers that build trusted Markdown return ``Markup`` and pass through.

A record's notes are the one field that stays Markdown. Two layers keep them
from ever running script: ``safe_notes`` first makes the Markdown unable to
produce a tag, an attribute list or a link to anything but http(s), mailto,
tel or a relative address; ``render_notes`` then renders it to HTML and
passes that through ``sanitize`` (nh3's allowlist) before it is placed in the
page, as a raw HTML block that any Markdown processor keeps as it is.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Literal

import jinja2
import markdown
from markupsafe import Markup

from followup_gen.outputs.sanitize import URL_SCHEMES, sanitize

TEMPLATES_FOLDER = "site_templates"

# Characters that make Markdown (or its extensions: attr_list, tables,
# pymdownx) or HTML syntax. Without `[` and `<` no link, image or tag can
# start, so `(`, `)`, `!` and `:` stay as typed: the source stays readable and
# MkDocs has fewer character references to process.
_MARKDOWN_SPECIAL = "\\`*_{}[]<>#|~^=&\"'$"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_PLAIN = re.compile(r"[^\\`*_{}\[\]<>#|~^=&\"'$\x00-\x1f\x7f]*")
# One pass of str.translate: syntax characters to references, controls dropped.
_ESCAPES = {ord(ch): f"&#{ord(ch)};" for ch in _MARKDOWN_SPECIAL} | {
    code: None for code in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)
}


# What a value starting a line or a list item could turn into a block: a list
# mark (``- x``, ``1. x``), or dashes alone, a rule or a heading's underline
# (``---``, ``-- -``), which would swallow the text.
_BLOCK_START = re.compile(r"([-+]|\d+[.)])(?=\s|$)|(-)(?=[- ]*-[- ]*$)")


def escape_markdown(value: object) -> Markup:
    """``value`` as inline Markdown text that renders exactly as typed.

    Line breaks become spaces (a field lands inside one line of a page), and
    control characters are dropped. A value may land at the start of a line
    or list item, so a list mark or dash rule it starts with is escaped too.
    """
    if isinstance(value, Markup):
        return value
    text = str(value)
    if _PLAIN.fullmatch(text) and not _BLOCK_START.match(text):  # most values
        return Markup(text)
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS.sub(" ", text)
    escaped = text.translate(_ESCAPES)
    block = _BLOCK_START.match(escaped)
    if block:
        mark = block.group(1) or block.group(2)
        escaped = "".join(f"&#{ord(c)};" for c in mark) + escaped[len(mark) :]
    return Markup(escaped)


_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_FENCE_INFO = re.compile(r"\s*([\w+#.-]*)")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_SAFE_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>\x00-\x1f]+)>", re.IGNORECASE)
_LINK_TARGET = re.compile(r"\]\(([^)]*)")
# A reference definition: at a line's start, or inside any nesting of block
# quotes and list items (``> - [x]: url``), at any indentation.
_CONTAINERS = r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))[ \t]*)*"
_REFERENCE = re.compile(rf"^({_CONTAINERS}[ \t]*\[[^\]]+\]):(.*)$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_TEXT_SYNTAX = re.compile(r"[&<{}\]\x00]")


def _unsafe_target(target: str) -> bool:
    """True when a link target has a scheme other than http(s), mailto or tel."""
    cleaned = re.sub(r"[\s<>\x00-\x1f\x7f]", "", html.unescape(target)).lower()
    match = _SCHEME.match(cleaned)
    return bool(match) and match.group(1) not in URL_SCHEMES


def _escape_text(text: str) -> str:
    """Neutralise tags, attribute lists and unsafe link targets in prose."""
    if not _TEXT_SYNTAX.search(text):
        return text  # nothing below would change it
    autolinks: list[str] = []

    def keep(match: re.Match) -> str:
        autolinks.append(match.group(0))
        return f"\x00{len(autolinks) - 1}\x00"

    text = _SAFE_AUTOLINK.sub(keep, text.replace("&", "&amp;"))
    text = text.replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")
    text = _LINK_TARGET.sub(
        lambda m: ("]&#40;" if _unsafe_target(m.group(1)) else "](") + m.group(1), text
    )
    return re.sub("\x00(\\d+)\x00", lambda m: autolinks[int(m.group(1))], text)


def _escape_line(line: str) -> str:
    if "`" not in line:  # no code span
        return _escape_text(line)
    parts = []
    last = 0
    for span in _CODE_SPAN.finditer(line):
        parts.append(_escape_text(line[last : span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(_escape_text(line[last:]))
    return "".join(parts)


def safe_notes(text: str, demote: int = 2, quote: bool = False) -> Markup:
    """A record's notes as Markdown that cannot break out of its place on a page.

    The first layer of ``render_notes``: the notes stay Markdown, but raw
    HTML shows as text, attribute lists are disabled, links and images keep
    only http(s), mailto, tel or relative targets (a reference definition,
    also in a quote or a list item, with another target or with its target
    on the next line shows as text), headings
    move ``demote`` levels down, fence info strings are reduced to a language
    and an unclosed code fence is closed, so nothing after the notes changes.
    ``quote`` sets them off as a block quote.
    """
    if _NOTE_WORK.search(text) or ("-" in text and _SETEXT_LINE.search(text)):
        text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        if _NOTE_SYNTAX.search(text) or _SETEXT_LINE.search(text):
            text = _safe_lines(text.split("\n"), demote)
        else:
            text = text.strip("\n")
    else:  # most notes are prose that no step above would change
        text = text.strip("\n")
    if quote:
        if text and "\n\n" not in text:  # no blank line (and none at either end)
            text = "> " + text.replace("\n", "\n> ")
        else:
            text = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
    return Markup(text)


def notes_converter() -> markdown.Markdown:
    """The Markdown converter of notes (one per build: ``render_notes`` resets it).

    Fenced code (highlighted with Pygments, in the classes Material styles) and
    tables; no extension that reads attributes or raw HTML from the text.
    """
    return markdown.Markdown(
        extensions=["fenced_code", "codehilite", "tables"],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "tables": {"use_align_attribute": True},
        },
    )


def render_notes(
    converter: markdown.Markdown, text: str, demote: int = 2, quote: bool = False
) -> Markup:
    """A record's notes as sanitized HTML, ready to stand in a Markdown page.

    ``safe_notes`` (the first layer), rendered by ``converter``, then cleaned
    by ``sanitize`` (the second), in a ``<div class="fg-notes">`` (a
    ``<blockquote class="fg-notes">`` with ``quote``): a raw HTML block, which
    Markdown processors, MkDocs included, put in the page unchanged.
    """
    if not text.strip():
        return Markup("")
    rendered = _prose_html(text)
    if rendered is None:
        rendered = converter.reset().convert(str(safe_notes(text, demote)))
    body = sanitize(rendered).strip()
    if quote:
        return Markup(f'<blockquote class="fg-notes">\n{body}\n</blockquote>')
    return Markup(f'<div class="fg-notes">\n{body}\n</div>')


# Text that Python-Markdown would only cut into paragraphs: no character that
# can start inline syntax or a reference, no line that can start a block (an
# indent, a list or quote mark, a heading, a rule, a table, a fence) or end in
# a line break (trailing spaces). Most notes are such prose.
_NOT_PROSE = re.compile(r"[\\`*_{}\[\]<>#|~^=&\t\x00-\x08\x0b-\x1f\x7f]|^[ +-]|^\d+[.)]|[ ]$", re.M)
_PARAGRAPHS = re.compile(r"\n{2,}")


def _prose_html(text: str) -> str | None:
    """The HTML Python-Markdown makes of plain prose, without running it (None: not prose)."""
    text = text.strip("\n")
    if _NOT_PROSE.search(text):
        return None
    return "\n".join(f"<p>{html.escape(part, quote=False)}</p>" for part in _PARAGRAPHS.split(text))


# A note without these characters and setext underlines is left as it is.
_NOTE_SYNTAX = re.compile(r"[`~\[\]#=&<{}]")
_NOTE_WORK = re.compile(r"[`~\[\]#=&<{}\x00-\x08\x0b-\x1f\x7f]")  # and controls, CR
_SETEXT_LINE = re.compile(_SETEXT.pattern, re.M)


def _safe_lines(lines: list[str], demote: int) -> str:
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if match and match.group(2).startswith(fence) and not match.group(3).strip():
                fence = None
            continue
        if match:
            fence = match.group(2)
            language = _FENCE_INFO.match(match.group(3)).group(1)  # no attributes
            out.append(f"{match.group(1)}{fence}{language}")
            continue
        reference = _REFERENCE.match(line)
        # A target on the next line (``[x]:`` alone) is never kept: checking
        # it would mean following Markdown's rules for continuation lines.
        if reference and (
            not reference.group(2).strip()
            or _unsafe_target((reference.group(2).split() or [""])[0])
        ):
            out.append(
                _escape_line(reference.group(1)) + "&#58;" + _escape_line(reference.group(2))
            )
            continue
        setext = _SETEXT.match(line)
        if setext and out and out[-1].strip() and not out[-1].lstrip().startswith(("#", "-", "*")):
            level = 1 if setext.group(1)[0] == "=" else 2
            out[-1] = "#" * min(level + demote, 6) + " " + out[-1].strip()
            continue
        line = _ATX.sub(lambda m: m.group(1) + "#" * min(len(m.group(2)) + demote, 6), line)
        out.append(_escape_line(line))
    if fence is not None:
        out.append(fence)
    return "\n".join(out).strip("\n")


def _finalize(value: object) -> object:
    if value is None:
        return Markup("")
    return escape_markdown(value)


def _join(items, separator: str = "") -> Markup:
    # The separator is template text (trusted); every item is user text.
    return Markup(separator).join(escape_markdown(item) for item in items)


def _replace(value: object, old: str, new: str, count: int | None = None) -> Markup:
    text = str(value)
    return escape_markdown(
        text.replace(old, new) if count is None else text.replace(old, new, count)
    )


# Jinja's own versions of these HTML-escape (not Markdown-escape) their input
# and mark the result safe, which would let Markdown syntax through.
MARKDOWN_FILTERS = {
    "join": _join,
    "replace": _replace,
    "e": escape_markdown,
    "escape": escape_markdown,
}


def default_templates() -> Path:
    """The folder of the shipped templates (wheel first, then source checkout)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / TEMPLATES_FOLDER, package.parent / TEMPLATES_FOLDER):
        if candidate.is_dir():
            return candidate
    return package / TEMPLATES_FOLDER


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, in memory: each build makes a new
    environment, and compiling every template again took longer than
    rendering a small site. An entry is used only for the same template file
    with the same source (Jinja compares a checksum of it), so an edited
    template is compiled afresh; nothing is written to disk."""

    LIMIT = 512  # entries; emptied when full (a user's many edited templates)

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self._code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self._code) >= self.LIMIT:
            self._code.clear()
        self._code[bucket.key] = (bucket.checksum, bucket.code)


# One per kind: the same source compiles differently with and without escaping.
_COMPILED = {"markdown": CompiledTemplates(), "text": CompiledTemplates()}


def environment(root: Path | str | None, kind: Literal["markdown", "text"] = "markdown"):
    """A Jinja2 environment whose templates come from ``root/site_templates`` first.

    ``kind="markdown"`` escapes every expression for Markdown and HTML (see the
    module docstring); ``kind="text"`` escapes nothing, for plain-text output
    such as letters, whose own format decides what needs escaping.
    """
    folders = [str(Path(root) / TEMPLATES_FOLDER)] if root is not None else []
    folders.append(str(default_templates()))
    options: dict = {
        "loader": jinja2.FileSystemLoader(folders),
        "undefined": jinja2.StrictUndefined,
        # One environment per build: no need to stat each template on each use.
        "auto_reload": False,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "bytecode_cache": _COMPILED[kind],
    }
    if kind == "markdown":
        options.update(autoescape=True, finalize=_finalize)
    env = jinja2.Environment(**options)
    if kind == "markdown":
        env.filters.update(MARKDOWN_FILTERS)
    return env
