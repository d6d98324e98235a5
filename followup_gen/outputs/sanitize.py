"""Clean HTML made from the user's data before it goes into a page.

The second layer under ``templates.safe_notes``: whatever HTML a note (or a
letter) renders to passes ``sanitize``, which keeps only a small allowlist of
formatting tags, links with an http, https, mailto or tel address (and
relative ones, within the site), the alignment of table cells and the classes
of highlighted code. Everything else (scripts, styles, frames, forms, images,
event handlers, ``style``, ``id``) is removed. The work is done by nh3, the
Python binding of the maintained Rust sanitizer ammonia, which parses the
fragment as a browser would; nothing here parses HTML itself.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup
from pygments.token import STANDARD_TYPES

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
ALLOWED_TAGS = frozenset(
    {
        # text
        "p", "br", "hr", "strong", "b", "em", "i", "code", "kbd", "del", "s", "sub", "sup",
        "blockquote", "pre", "span", "div",
        "h1", "h2", "h3", "h4", "h5", "h6",
        # lists and tables
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tr", "th", "td",
        "a",
    }
)  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
# The classes Pygments gives highlighted code (``codehilite`` with Material's
# ``highlight`` class); no class of the theme's, so no note can style itself
# as (or trigger a script of) the page around it.
_CLASSES = {"div": {"highlight"}, "span": {c for c in STANDARD_TYPES.values() if c}}
# Scheme-relative addresses (//host/x) reach another site.
_SCHEME_RELATIVE = re.compile(r"^[\s\x00-\x1f]*[/\\]{2}")


def _relative_within_the_site(url: str) -> str | None:
    return None if _SCHEME_RELATIVE.match(url) else url


def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "textarea", "title", "noscript"},
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in _CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative=_relative_within_the_site,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_CLEANER = _cleaner()  # immutable once made; building one costs more than a clean


def sanitize(html: str) -> Markup:
    """``html`` with only the allowlisted tags, attributes and link addresses."""
    return Markup(_CLEANER.clean(html))
