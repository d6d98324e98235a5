"""Find personal data in a built site: the proof that a publish leaks nothing.

``personal_strings`` lists every personal string of a CRM (each contact's
name and its parts, email, phone, address lines, company, title, tags and
note sentences; the same for opportunities and interactions); ``audit``
searches every file of a site for each of them: as written, HTML-escaped and
URL-encoded (each file is searched raw, HTML-unescaped and URL-decoded, and
gzipped files are searched inside). Short strings only count as whole words,
so the tag ``sql`` is not found inside ``mysqli``.
"""

from __future__ import annotations

import gzip
import html
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from followup_gen.records import CRM

# Shorter strings than this are ignored: too many innocent matches.
MIN_LENGTH = 3
# In files that are not text, only strings this long are searched, so random
# bytes of an encrypted blob cannot match by chance.
MIN_BINARY_LENGTH = 8
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_MARKUP = re.compile(r"[*_`#>\[\]()|~]+")


@dataclass(frozen=True, slots=True)
class Needle:
    """A personal string and where it comes from (``contacts/jane.md: name``)."""

    text: str
    origin: str


@dataclass(frozen=True, slots=True)
class Leak:
    """A personal string found in a file of the site."""

    file: str
    needle: Needle

    def format(self) -> str:
        return f"{self.file}: leaks {self.needle.text!r} ({self.needle.origin})"


def _sentences(notes: str) -> Iterable[str]:
    for part in _SENTENCE.split(notes):
        cleaned = " ".join(_MARKUP.sub(" ", part).split())
        if len(cleaned) >= 20:
            yield cleaned


def personal_strings(crm: CRM) -> tuple[Needle, ...]:
    """Every personal string in the CRM, once each, longest first."""
    found: dict[str, str] = {}

    def add(value: str | None, origin: str) -> None:
        if value and len(value.strip()) >= MIN_LENGTH:
            found.setdefault(value.strip(), origin)

    for c in crm.contacts.values():
        where = c.source.path
        add(c.id, f"{where}: id")
        add(c.name, f"{where}: name")
        for part in re.split(r"[\s,.]+", c.name):
            add(part, f"{where}: name")
        for key in ("email", "phone", "company", "title", "linkedin"):
            add(getattr(c, key), f"{where}: {key}")
        for line in (c.address or "").splitlines():
            add(line, f"{where}: address")
        for tag in c.tags:
            add(tag, f"{where}: tags")
        for sentence in _sentences(c.notes):
            add(sentence, f"{where}: notes")
    for o in crm.opportunities.values():
        where = o.source.path
        add(o.id, f"{where}: id")
        for key in ("company", "role", "url"):
            add(getattr(o, key), f"{where}: {key}")
        for tag in o.tags:
            add(tag, f"{where}: tags")
        for sentence in _sentences(o.notes):
            add(sentence, f"{where}: notes")
    for i in crm.interactions:
        where = i.source.path
        add(i.id, f"{where}: id")
        for specific in i.specifics:
            add(specific, f"{where}: specifics")
        for sentence in _sentences(i.notes):
            add(sentence, f"{where}: notes")
    return tuple(Needle(t, o) for t, o in sorted(found.items(), key=lambda x: (-len(x[0]), x[0])))


def _views(data: bytes) -> tuple[list[str], bool]:
    """The text forms of a file to search, and whether it is text at all."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            pass
    try:
        raw = data.decode("utf-8")
        is_text = True
    except UnicodeDecodeError:
        raw = data.decode("latin-1")
        is_text = False
    views = [raw]
    unescaped = html.unescape(raw)
    if unescaped != raw:
        views.append(unescaped)
    decoded = urllib.parse.unquote_plus(raw)
    if decoded != raw:
        views.append(decoded)
    if "\\u" in raw:  # JSON's \u00e9 escapes
        views.append(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), raw))
    return views, is_text


def _pattern(text: str) -> re.Pattern[str]:
    escaped = re.escape(text)
    # Whole words for short or single-word strings; anything else as is.
    if len(text) < 12 or " " not in text:
        return re.compile(rf"(?<![\w@.-]){escaped}(?![\w@-])")
    return re.compile(escaped)


_WORD = re.compile(r"\w+")


def audit(site_dir: Path, needles: Iterable[Needle]) -> tuple[Leak, ...]:
    """Every (file, personal string) pair where the string appears in the file.

    A needle is only searched for in a file holding every word of it: one
    pass per file collects its words, so the cost grows with the site's size
    plus the number of needles, not their product.
    """
    patterns = [(n, _pattern(n.text), frozenset(_WORD.findall(n.text))) for n in needles]
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        views, is_text = _views(path.read_bytes())
        views.append(urllib.parse.unquote(rel))  # file names leak too
        words = set()
        for view in views:
            words.update(_WORD.findall(view))
        for needle, pattern, needed in patterns:
            if not is_text and len(needle.text) < MIN_BINARY_LENGTH:
                continue
            if needed <= words and any(pattern.search(view) for view in views):
                leaks.append(Leak(rel, needle))
    return tuple(leaks)
