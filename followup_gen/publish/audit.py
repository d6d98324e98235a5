"""Find personal data in a built site: the proof that a publish leaks nothing.

``personal_strings`` lists every personal string of a CRM (each contact's
name and its parts, id, email, phone, address lines, company, title, tags
and note sentences; the same for opportunities and interactions; your own
name, address, email, phone and accomplishments from ``profile.md``).
``audit`` searches every file of a site, and every file and folder name, for
each of them, seeing through what would hide one from a plain search:

- case, Unicode forms (NFKC), soft hyphens and zero-width characters,
  runs of whitespace and separators (``Maria_Lopez``, ``maria-lopez``,
  ``12&nbsp;Elm&nbsp;St`` all read ``maria lopez``, ``12 elm st``), where
  the end of a sentence stays a mark: a note's sentence is found where a
  sentence ends, not as the start of a longer one;
- markup: tags are removed (``Ma<b>ria</b>``) and HTML character
  references, URL (percent) encoding, JavaScript (``\\u004d``, ``\\x4d``)
  and CSS (``\\4d``) escapes decoded;
- encodings: gzip is decompressed, UTF-16 decoded, base64 (``data:`` URIs
  and any other long base64 run) decoded and searched the same way;
- phone numbers by their digits (``tel:+12065550187`` is ``206-555-0187``).

The envelope's own files (``encrypt.envelope_files``: the password page,
the service worker...) are skipped when they are byte for byte what
followup-gen writes into every envelope: their words are the tool's.

Every string is matched as a whole word, however short. A name part
shorter than three characters (``An``, ``Le``) is matched as typed, with its
case, so the English word "an" is not a leak; in a file that is not text
(an encrypted blob), only strings of at least ``MIN_BINARY_LENGTH``
characters are searched, so random bytes cannot match by chance.

Cost: one pass over each file makes its views and their words; a string is
only tried against a file holding its longest word (an index from words to
strings), so the work grows with the site plus the strings, not their product.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import html
import re
import unicodedata
import urllib.parse
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from followup_gen.load.profile import PROFILE_FILE, Profile
from followup_gen.publish.encrypt import envelope_files
from followup_gen.records import CRM

# A name part shorter than this is matched as typed (case kept).
SHORT = 3
# In files that are not text, only strings this long are searched.
MIN_BINARY_LENGTH = 8
# A note sentence counts from this many words and characters: shorter ones
# ("Thanks!") say nothing about anyone.
SENTENCE_WORDS, SENTENCE_CHARS = 3, 12
# A phone number counts from this many digits.
PHONE_DIGITS = 7
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_MARKUP = re.compile(r"[*_`#>\[\]()|~]+")
_NAME_PARTS = re.compile(r"[\s,.]+")


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
        if len(cleaned) >= SENTENCE_CHARS and len(cleaned.split()) >= SENTENCE_WORDS:
            yield cleaned


def personal_strings(crm: CRM, profile: Profile | None = None) -> tuple[Needle, ...]:
    """Every personal string in the CRM (and your profile), once each, longest first."""
    found: dict[str, str] = {}

    def add(value: str | None, origin: str) -> None:
        if value and value.strip():
            found.setdefault(value.strip(), origin)

    def name(value: str | None, origin: str) -> None:
        add(value, origin)
        for part in _NAME_PARTS.split(value or ""):
            add(part, origin)

    for c in crm.contacts.values():
        where = c.source.path
        add(c.id, f"{where}: id")
        name(c.name, f"{where}: name")
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
    if profile is not None:
        name(profile.name, f"{PROFILE_FILE}: name")
        for key in ("email", "phone"):
            add(getattr(profile, key), f"{PROFILE_FILE}: {key}")
        for line in (profile.address or "").splitlines():
            add(line, f"{PROFILE_FILE}: address")
        for item in profile.accomplishments:
            add(item.text, f"{PROFILE_FILE}: accomplishments")
    return tuple(Needle(t, o) for t, o in sorted(found.items(), key=lambda x: (-len(x[0]), x[0])))


# --- what a file says, however it says it ------------------------------------

# Removed: soft hyphen, zero-width space/joiners, word joiner, BOM, bidi marks.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u180e"))
# Read as one space: whitespace and the separators of names, ids and file names.
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015./\\+,;:|()\[\]{}\"'`*#~=!?]+")
# The end of a sentence is kept (as SENTENCE_MARK), so a note's sentence is
# only found where a sentence ends: "Referred by Priya." is not in "Referred
# by: Priya Natarajan".
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
SENTENCE_MARK = " \u2063 "
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_JS_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t]?")
_BASE64 = re.compile(rb"[A-Za-z0-9+/_-]{16,}={0,2}")
_WORD = re.compile(r"\w+")
_DIGIT_RUN = re.compile(r"\d(?: ?\d)+")


def _char(code: str) -> str:
    value = int(code, 16)
    return chr(value) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else ""


def _unescape(text: str) -> str:
    """HTML references, percent encoding, JS and CSS escapes, decoded until stable."""
    for _ in range(3):
        before = text
        if "&" in text:
            text = html.unescape(text)
        if "%" in text:
            text = urllib.parse.unquote(text)
        if "\\" in text:
            text = _JS_ESCAPE.sub(lambda m: _char(m.group(1) or m.group(2) or m.group(3)), text)
            text = _CSS_ESCAPE.sub(lambda m: _char(m.group(1)), text)
        if text == before:
            break
    return text


def _texts(data: bytes, depth: int = 0) -> tuple[list[str], bool]:
    """The texts inside ``data`` (decompressed, decoded, base64 opened), and
    whether it is text at all."""
    if data[:2] == b"\x1f\x8b" and depth < 3:
        try:
            return _texts(gzip.decompress(data), depth + 1)
        except (OSError, EOFError, zlib.error):
            pass
    text = _decode(data)
    if text is None:
        return [data.decode("latin-1")], False
    texts = [text]
    if depth < 2:
        for run in _BASE64.findall(data) if len(data) < 50_000_000 else ():
            inner = _from_base64(run)
            if inner is not None:
                texts.extend(_texts(inner, depth + 1)[0])
    return texts, True


def _decode(data: bytes) -> str | None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    # UTF-16 without a byte-order mark: every other byte of Latin text is zero
    # (and zero bytes are valid UTF-8, so this is tried first).
    head = data[:200]
    for codec, zeros, letters in (
        ("utf-16-le", head[1::2], head[::2]),
        ("utf-16-be", head[::2], head[1::2]),
    ):
        if (
            len(head) >= 4
            and zeros.count(0) > 0.9 * len(zeros)
            and letters.count(0) < 0.1 * len(letters)
        ):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _from_base64(run: bytes) -> bytes | None:
    """The bytes a base64 run stands for, when they are text or compressed."""
    padded = run.rstrip(b"=")
    padded += b"=" * (-len(padded) % 4)
    try:
        raw = base64.b64decode(padded.replace(b"-", b"+").replace(b"_", b"/"), validate=True)
    except (binascii.Error, ValueError):
        return None
    if raw[:2] in (b"\x1f\x8b", b"\xff\xfe", b"\xfe\xff"):
        return raw
    text = _decode(raw)
    if text is None or sum(ch.isprintable() or ch.isspace() for ch in text) < 0.9 * len(text):
        return None
    return raw


def normalise(text: str) -> str:
    """``text`` as the audit compares it: NFKC, no invisible characters, case
    folded, every run of whitespace or separators one space."""
    return _as_typed(text).casefold()


def _as_typed(text: str) -> str:
    """Like ``normalise`` but keeping case (for short name parts)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _SEPARATORS.sub(" ", _SENTENCE_END.sub(SENTENCE_MARK, text))


@dataclass(frozen=True, slots=True)
class _Views:
    folded: str  # every view of the file, normalised, joined
    typed: str  # the same with case kept
    keys: frozenset  # its words and pairs of consecutive words (folded)
    typed_words: frozenset[str]
    digits: frozenset[str]  # each run of digits, spaces between groups removed
    is_text: bool


def _keys(words: list[str]) -> tuple:
    """A text's index keys: its word when it has one, else each pair of
    consecutive words (a file holding a sentence holds all of its pairs)."""
    return tuple(words) if len(words) == 1 else tuple(zip(words, words[1:], strict=False))


def _views(data: bytes, rel: str) -> _Views:
    texts, is_text = _texts(data)
    views = []
    for text in texts:
        views.append(text)
        if is_text:
            decoded = _unescape(text)
            for candidate in (decoded, _TAG.sub("", decoded), _TAG.sub(" ", decoded)):
                if candidate != text:
                    views.append(candidate)
    # The file's path: its name and every folder above it.
    views.append(urllib.parse.unquote(rel))
    typed = "\n\n".join(_as_typed(v) for v in dict.fromkeys(views))
    folded = typed.casefold()
    words = _WORD.findall(folded)
    keys = frozenset((*words, *zip(words, words[1:], strict=False)))
    digits = frozenset(m.group(0).replace(" ", "") for m in _DIGIT_RUN.finditer(folded))
    typed_words = frozenset(_WORD.findall(typed))
    return _Views(folded, typed, keys, typed_words, digits, is_text)


# --- the search ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Probe:
    needle: Needle
    text: str  # normalised (as typed, when short)
    keys: tuple  # see _keys
    typed: bool  # matched with its case


def _probe(needle: Needle) -> _Probe | None:
    typed = len(needle.text) < SHORT
    # Only a note's sentence keeps its full stop; "Acme Inc." is "Acme Inc".
    text = needle.text if needle.origin.endswith(": notes") else needle.text.rstrip(".!? ")
    text = (_as_typed(text) if typed else normalise(text)).strip()
    words = _WORD.findall(text)
    if not words:
        return None
    return _Probe(needle, text, _keys(words), typed)


def _has(haystack: str, text: str) -> bool:
    """Whether ``text`` is in ``haystack`` as whole words."""
    start = haystack.find(text)
    while start != -1:
        end = start + len(text)
        before = haystack[start - 1] if start else " "
        after = haystack[end] if end < len(haystack) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = haystack.find(text, start + 1)
    return False


def _phone_digits(needle: Needle) -> tuple[str, ...]:
    """The digit strings of a phone needle: all of them, and the last ten."""
    if not needle.origin.endswith(": phone"):
        return ()
    digits = re.sub(r"\D", "", needle.text)
    if len(digits) < PHONE_DIGITS:
        return ()
    return tuple(dict.fromkeys((digits, digits[-10:])))


def audit(site_dir: Path, needles: Iterable[Needle]) -> tuple[Leak, ...]:
    """Every (file, personal string) pair where the string appears in the file."""
    needles = tuple(needles)
    rank = {needle: number for number, needle in enumerate(needles)}
    probes = [probe for probe in map(_probe, needles) if probe is not None]
    # Each string is indexed by its rarest key among all strings, so no key
    # gathers thousands of them (notes share their common words).
    frequency = Counter(key for probe in probes for key in set(probe.keys))
    index: dict[object, list[_Probe]] = defaultdict(list)
    for probe in probes:
        index[min(probe.keys, key=frequency.__getitem__)].append(probe)
    phones: dict[str, list[tuple[Needle, tuple[str, ...]]]] = defaultdict(list)
    for needle in needles:
        digits = _phone_digits(needle)
        if digits:
            phones[digits[-1][-PHONE_DIGITS:]].append((needle, digits))
    own = envelope_files()
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        data = path.read_bytes()
        if own.get(rel) == data:
            continue
        views = _views(data, rel)
        found: dict[Needle, None] = {}
        for key in views.keys | views.typed_words:
            for probe in index.get(key, ()):
                if not views.is_text and len(probe.needle.text) < MIN_BINARY_LENGTH:
                    continue
                keys = views.typed_words if probe.typed else views.keys
                if all(k in keys for k in probe.keys) and _has(
                    views.typed if probe.typed else views.folded, probe.text
                ):
                    found[probe.needle] = None
        for run in views.digits if views.is_text else ():
            for start in range(len(run) - PHONE_DIGITS + 1):
                for needle, digits in phones.get(run[start : start + PHONE_DIGITS], ()):
                    if any(d in run for d in digits):
                        found[needle] = None
        leaks.extend(Leak(rel, needle) for needle in sorted(found, key=rank.__getitem__))
    return tuple(leaks)
