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
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import jinja2
from markupsafe import Markup

TEMPLATES_FOLDER = "site_templates"

# Characters that are syntax in Markdown, its extensions (attr_list, emoji,
# tables, footnotes, pymdownx) or HTML. Letters, digits, spaces and a few
# harmless marks (`,.;?/-@%`) are kept as typed so the source stays readable.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#+!|~^=:&\"'$]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def escape_markdown(value: object) -> Markup:
    """``value`` as inline Markdown text that renders exactly as typed.

    Line breaks become spaces (a field lands inside one line of a page), and
    control characters are dropped.
    """
    if isinstance(value, Markup):
        return value
    text = _CONTROL.sub("", _LINE_BREAKS.sub(" ", str(value)))
    return Markup(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text))


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
    here = Path(__file__).resolve().parent
    for candidate in (here / TEMPLATES_FOLDER, here.parent / TEMPLATES_FOLDER):
        if candidate.is_dir():
            return candidate
    return here / TEMPLATES_FOLDER


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
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if kind == "markdown":
        options.update(autoescape=True, finalize=_finalize)
    env = jinja2.Environment(**options)
    if kind == "markdown":
        env.filters.update(MARKDOWN_FILTERS)
    return env
