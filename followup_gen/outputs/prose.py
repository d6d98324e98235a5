"""The small pieces of English the letters are made of: names, dates, lists,
accomplishments and talking points.

Pure functions of plain text (no records, no escaping, no clock), so every
letter template and every new letter can use them and each is tested on its
own. ``drafts.context`` calls them with the records' values and escapes what
they return for the output format.

- ``person_name``: the first name and the formal name in a name as people
  type it (``Dr. Ana María López``, ``Smith, John``, ``Rashmi Nayak, MSc, MBA``).
- ``When``: a date as a letter says it (``yesterday``, ``on Thursday``,
  ``on November 19, 2026,``) and ``period``: how long ago (``last month``).
- ``join``: ``a``, ``a and b``, ``a, b, and c``.
- ``Achievement``: a résumé fragment as first-person sentences
  (``Led the migration`` -> ``I led the migration.``).
- ``topic``, ``rank_points``, ``tie``: a recorded talking point as words that
  fit in a sentence to that person (``Rachel's concern about on-call load`` ->
  ``your concern about on-call load``), the most relevant first, and the
  accomplishment that answers one of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- names ---------------------------------------------------------------------

HONORIFICS = frozenset(
    "dr mr mrs ms mx miss prof professor sir dame rev fr hon lady lord capt col gen sgt "
    "mme mlle herr frau".split()
)
SUFFIXES = frozenset("jr sr ii iii iv v vi".split())
# Degrees and certifications people write after their name.
CREDENTIALS = frozenset(
    "phd md dds dvm jd llm mba msc ms ma bsc bs ba beng meng mphil dphil edd med msw mpa mph "
    "mfa cpa cfa cma pmp phr sphr rn np pe peng esq csm cissp shrm-cp shrm-scp".split()
)
# Words that start a family name after the given names: "Anna van der Berg".
PARTICLES = frozenset(
    "van von de der den del della di da du la le st bin ibn al el ter ten dos".split()
)
_INITIAL = re.compile(r"(?:\w\.)+\Z")


def _bare(token: str) -> str:
    return token.strip(".").replace(".", "").casefold()


def _is_credential(token: str, shouting: bool = False) -> bool:
    """A degree or certification: a known one, or initials in capitals (``PHR``).

    In a name typed all in capitals (``SMITH, JOHN``) only the known ones count.
    """
    bare = _bare(token)
    if bare in CREDENTIALS:
        return True
    letters = token.replace(".", "").replace("-", "")
    return not shouting and len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _all(tokens: list[str], test) -> bool:
    return bool(tokens) and all(test(t) for t in tokens)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as written for a letter.

    ``written``: for the address block (``Last, First`` turned round,
    credentials kept); ``formal``: for a formal greeting (credentials
    dropped, honorifics and suffixes kept); ``first``: the given name, or
    None when the name does not say it (``Dr. Patel``).
    """

    written: str
    formal: str
    first: str | None


@functools.lru_cache(maxsize=4096)  # the same few names in every letter
def person_name(name: str) -> PersonName:
    """Find the given name in ``name`` the way a careful person would.

    Honorifics (Dr., Ms., Prof....) and suffixes (Jr., III) are skipped,
    ``Last, First`` is turned round, credentials after a comma (``, MSc,
    PHR``) are dropped, a one-word name is used whole, and accents, hyphens
    and apostrophes are kept as typed.
    """
    parts = [" ".join(p.split()) for p in name.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return PersonName(name.strip(), name.strip(), None)
    main, rest = parts[0].split(), parts[1:]
    shouting = name.isupper()

    def credential(token: str) -> bool:
        return _is_credential(token, shouting)

    given: list[str] = []
    suffixes: list[str] = []
    credentials: list[str] = []
    for index, part in enumerate(rest):
        tokens = part.split()
        if _all(tokens, lambda t: _bare(t) in SUFFIXES):
            suffixes.extend(tokens)
        elif _all(tokens, credential):
            credentials.extend(tokens)
        elif index == 0 and _family_only(main) and _looks_given(tokens):
            given = tokens
        # Anything else after a comma (a job title pasted into the name) is left out.
    tokens = [*given, *main, *suffixes]
    honorifics = []
    while tokens and _bare(tokens[0]) in HONORIFICS and len(tokens) > 1:
        honorifics.append(tokens.pop(0))
    while len(tokens) > 2 and (_bare(tokens[-1]) in SUFFIXES or credential(tokens[-1])):
        trailing = tokens.pop()
        if _bare(trailing) in SUFFIXES:
            suffixes = [trailing, *(s for s in suffixes if s != trailing)]
        else:
            credentials.insert(0, trailing)
    names = [t for t in tokens if t not in suffixes]
    formal = " ".join([*honorifics, *names, *suffixes])
    written = formal + "".join(f", {c}" for c in credentials)
    first = _first_of(names, bool(honorifics))
    return PersonName(written, formal, first)


def _family_only(tokens: list[str]) -> bool:
    """True when ``tokens`` (before a comma) are a family name alone."""
    core = [t for t in tokens if _bare(t) not in SUFFIXES]
    while len(core) > 1 and core[0].casefold() in PARTICLES:
        core = core[1:]
    return len(core) == 1


def _looks_given(tokens: list[str]) -> bool:
    return 1 <= len(tokens) <= 3 and all(t[:1].isupper() or _INITIAL.match(t) for t in tokens)


def _first_of(names: list[str], titled: bool) -> str | None:
    if not names:
        return None
    if len(names) == 1:
        # "Cher" is her name; "Dr. Patel" says only the family name.
        return None if titled else names[0]
    for token in names[:-1]:
        if not _INITIAL.match(token):
            return token
    return None


# --- dates -----------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """``November 26, 2026`` (independent of the machine's locale)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass(frozen=True, slots=True)
class When:
    """A past day as a letter written on ``today`` says it.

    ``str()`` is the form inside a sentence: ``yesterday``, ``on Thursday``
    (within the last week), ``on November 19, 2026,`` (with the comma a year
    takes before the sentence goes on); ``end`` is the form that ends a
    sentence (no comma after the year); ``possessive`` goes before a noun
    (``yesterday's``, ``Thursday's``, ``the November 19``).
    """

    day: dt.date
    today: dt.date

    @property
    def days(self) -> int:
        return (self.today - self.day).days

    @property
    def end(self) -> str:
        if self.days == 0:
            return "today"
        if self.days == 1:
            return "yesterday"
        if 1 < self.days < 7:
            return f"on {WEEKDAYS[self.day.weekday()]}"
        return f"on {long_date(self.day)}"

    def __str__(self) -> str:
        text = self.end
        return f"{text}," if text[-1].isdigit() else text

    @property
    def possessive(self) -> str:
        if self.days == 0:
            return "today's"
        if self.days == 1:
            return "yesterday's"
        if 1 < self.days < 7:
            return f"{WEEKDAYS[self.day.weekday()]}'s"
        return f"the {MONTHS[self.day.month - 1]} {self.day.day}"


def period(day: dt.date, today: dt.date) -> str:
    """How long ago ``day`` was, as said in passing: ``last week``, ``in September``."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {WEEKDAYS[day.weekday()]}"
    if days < 14:
        return "last week"
    if (day.year, day.month) == (today.year, today.month):
        return "earlier this month"
    months = (today.year - day.year) * 12 + today.month - day.month
    if months == 1:
        return "last month"
    if months < 12 and day.year == today.year:
        return f"in {MONTHS[day.month - 1]}"
    if months < 12:
        return f"in {MONTHS[day.month - 1]} last year"
    return "a long time ago"


# --- lists -----------------------------------------------------------------------


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """``a``; ``a and b``; ``a, b, and c`` (no comma before ``and`` with two)."""
    items = [i for i in items if i]
    if len(items) <= 2:
        return f" {conjunction} ".join(items)
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"


def sentence_end(text: str) -> str:
    """``text`` ending in a full stop (unless it ends in one already)."""
    text = text.rstrip()
    return text if text[-1:] in ".!?" or text.endswith(('."', ".”", "!”", "?”")) else f"{text}."


def capitalized(text: str) -> str:
    """``text`` with a capital first letter, to start a sentence."""
    return text[:1].upper() + text[1:]


# --- accomplishments ---------------------------------------------------------------

# Past tenses that do not end in -ed, as accomplishments start.
IRREGULAR_PAST = frozenset(
    "led cut built ran grew won made wrote taught brought sold drove took gave began kept held "
    "oversaw rebuilt rewrote undertook overcame got found set put met spoke stood chose spent "
    "sent hit beat split shrank spun shut bought flew became drew upheld withdrew".split()
)
# Words in -ed that describe a person rather than say what they did.
ADJECTIVES_IN_ED = frozenset(
    "certified licensed experienced seasoned skilled accomplished talented qualified dedicated "
    "motivated registered chartered accredited detailed hundred sacred kindred".split()
)
_PREFIXES = frozenset({"co", "re", "pre", "over", "under", "out", "cross"})
FIRST_PERSON = frozenset("i i'm i've i'd my we we've we're our".split())


def _past_tense(word: str) -> bool:
    prefix, _, rest = word.casefold().rpartition("-")
    if prefix and prefix not in _PREFIXES:
        return False  # need-based, data-driven: describing words
    word = rest  # co-led, re-architected
    if word in ADJECTIVES_IN_ED:
        return False
    return word in IRREGULAR_PAST or (
        len(word) >= 4 and word.endswith("ed") and not word.endswith("eed")
    )


@dataclass(frozen=True, slots=True)
class Achievement:
    """One accomplishment written for a letter.

    ``sentence`` stands alone (``I led the migration.``); ``also`` adds a
    second one (``I also led the migration.``); ``plain`` follows a colon
    (``I led the migration.``, or the text in quotes). A fragment starting
    with a past tense becomes first person; one already in the first person
    is kept; anything else is quoted as written.
    """

    text: str
    tags: tuple[str, ...]
    sentence: str
    also: str
    plain: str


def achievement(text: str, tags: Sequence[str] = ()) -> Achievement:
    """``text`` (one résumé line) as sentences for a letter."""
    text = " ".join(text.split())
    words = text.split()
    first = re.sub(r"[^\w'-]", "", words[0]).casefold() if words else ""
    if first in FIRST_PERSON:
        done = sentence_end(text)
        return Achievement(text, tuple(tags), done, done, done)
    if words and _past_tense(first) and not words[0][1:].isupper():
        clause = sentence_end(words[0][:1].lower() + words[0][1:] + text[len(words[0]) :])
        return Achievement(text, tuple(tags), f"I {clause}", f"I also {clause}", f"I {clause}")
    quoted = f"“{sentence_end(text)}”"
    return Achievement(
        text,
        tuple(tags),
        f"I would point to one result in particular: {quoted}",
        f"I would also point to this one: {quoted}",
        quoted,
    )


# --- talking points -----------------------------------------------------------------

# First words of a talking point that are ordinary words, not names: such a
# point starts with a small letter inside a sentence. Anything else (Kafka,
# Rachel's, Northwind) keeps its capital.
COMMON_STARTS = frozenset(
    "a an the this that these those your their our my his her its how what when where which "
    "who whether why moving late early new old real-time daily nightly weekly monthly on-call "
    "team teams data cost costs scaling scale growth hiring plans plan ideas idea next current "
    "future long-term short-term late-arriving exactly-once batch streaming dashboards "
    "reporting pipelines pipeline migration migrations career careers advice tips working work "
    "remote hybrid one two three some several many more most less fewer best good great why "
    "questions question concerns concern problems problem challenges challenge lessons "
    "building rebuilding replacing reducing cutting improving designing running managing "
    "leading hiring onboarding mentoring".split()
)
_LOWER_SUFFIXES = ("ing", "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ies")
# "Rachel asked", "Rachel reviewed", "Rachel said": a past tense (small letters).
_VERBS_AFTER_NAME = r"(?:[a-z][a-z-]+ed|said|gave|took|sent|told|showed|made|got)\b"
_ASPECT = re.compile(
    r"^(.*\b(?:question|questions|concern|concerns|point|idea|ideas|worry|interest|story|"
    r"example|comment|suggestion|challenge|problem|plan|plans|take|view)):\s+(.+)$",
    re.I,
)


def _lower_first(text: str) -> str:
    word = re.split(r"[\s]", text, maxsplit=1)[0]
    core = word.rstrip(",.;:")
    if "'" in core or "’" in core or any(c.isupper() for c in core[1:]):
        return text  # Rachel's, iOS, McKinsey
    head = core.split("-")[0].casefold()
    if core.casefold() in COMMON_STARTS or head in COMMON_STARTS or head.endswith(_LOWER_SUFFIXES):
        return text[:1].lower() + text[1:]
    return text


def topic(point: str, names: Iterable[str] = ()) -> str:
    """A talking point as words inside a sentence written to the person ``names`` name.

    ``Rachel's concern about on-call load`` -> ``your concern about on-call
    load`` (for Rachel); ``David's question: late events`` -> ``David's
    question about late events``; an ordinary first word loses its capital;
    a final full stop goes. The letters write a point after "about" or
    "with", so a sentence becomes a phrase: ``Rachel asked how we page`` ->
    ``your question about how we page``, ``David mentioned a new office`` ->
    ``a new office``, ``the team is rebuilding its app`` -> ``how the team
    is rebuilding its app``, ``how do they measure success?`` -> ``how they
    measure success``, ``Discussed the roadmap`` -> ``the roadmap``.
    """
    text = " ".join(point.split()).rstrip(".?!;:,… ")
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        if name in text:
            possessive, doing, _ = _name_patterns(name)
            text = doing.sub("you ", possessive.sub("your", text))
    aspect = _ASPECT.match(text)
    if aspect:
        text = f"{aspect.group(1)} about {aspect.group(2)}"
    return _phrase(text)


# "Rachel asked ...", "she worried ...", "David mentioned ...": who, then what.
# Words that start a noun phrase, never a subject of their own ("The shared roadmap").
_DETERMINERS = frozenset(
    "the a an this that these those our their its my your his her some every each no".split()
)
_SUBJECT = (
    r"((?i:you|he|she|they|we|i)|(?!(?i:" + "|".join(_DETERMINERS) + r")\b)"
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
)
_ASKED = re.compile(_SUBJECT + r"\s+(?:asked|wondered|wanted\s+to\s+know)\s+(?:about\s+)?(.+)")
_WORRIED = re.compile(_SUBJECT + r"\s+(?:was\s+|is\s+)?worried\s+(?:about\s+)?(.+)")
_REPORTED = re.compile(
    _SUBJECT + r"\s+(?:mentioned|said|described|explained|shared|noted|raised|"
    r"talked\s+about|spoke\s+about|told\s+(?:me|us)\s+about|walked\s+(?:me|us)\s+through|"
    r"discussed|covered|went\s+(?:over|through)|"
    r"pointed\s+out)\s+(?:that\s+)?(.+)"
)
_SUGGESTED = re.compile(_SUBJECT + r"\s+(suggested|recommended)\s+(?:that\s+)?(.+)")
_OWN = {"you": "your", "he": "his", "she": "her", "they": "their", "we": "our", "i": "my"}
_AUXILIARIES = frozenset("am is are was were has have had will would can could should must".split())
_OPENERS = frozenset("how what when where which who whom whose whether why if".split())
_PRONOUNS = frozenset("i you he she it we they".split())
# A note that leaves out who did it: "Discussed the roadmap".
_NOTED = re.compile(
    r"(?i:discussed|covered|went\s+(?:over|through)|(?:talked|spoke|chatted)\s+about)\s+(.+)"
)


def _phrase(text: str) -> str:
    """``text`` as a noun phrase (see ``topic``), its first word lowered if ordinary."""
    asked = _ASKED.fullmatch(text) or _WORRIED.fullmatch(text)
    if asked:
        who, what = asked.groups()
        owner = _OWN.get(who.casefold(), f"{who}'s")
        noun = "question" if asked.re is _ASKED else "concern"
        return f"{owner} {noun} about {_phrase(what)}"
    suggested = _SUGGESTED.fullmatch(text)
    if suggested:
        who, verb, what = suggested.groups()
        owner = _OWN.get(who.casefold(), f"{who}'s")
        noun = "recommendation" if verb == "recommended" else "suggestion"
        if _clause(what.split()):
            return f"{owner} {noun} that {what}"
        return f"{owner} {noun} of {_phrase(what)}"
    reported = _REPORTED.fullmatch(text) or _NOTED.fullmatch(text)
    if reported:
        text = reported.groups()[-1]
    words = text.split()
    question = _indirect(words)
    if question:
        return question
    if words and _clause(words):
        first = words[0]
        if first.casefold().split("'")[0].split("’")[0] in (_PRONOUNS | {"there"}) - {"i"}:
            text = first.casefold() + text[len(first) :]
        return f"how {_lower_first(text)}"
    return _lower_first(text)


def _indirect(words: list[str]) -> str | None:
    """A question about what a pronoun does, as words after "about": ``how do
    they measure it`` -> ``how they measure it``, ``are they hiring`` ->
    ``whether they are hiring``; None for anything else."""
    opener = words[0].casefold() if words and words[0].casefold() in _OPENERS else None
    rest = words[1:] if opener else words
    if len(rest) < 3 or rest[1].casefold() not in _PRONOUNS:
        return None
    aux, who, verb = rest[0].casefold(), rest[1], rest[2]
    who = "I" if who.casefold() == "i" else who.casefold()
    if aux == "do":
        said = [who, *rest[2:]]
    elif aux == "does":
        said = [who, _third_person(verb), *rest[3:]]
    elif aux in _AUXILIARIES:
        said = [who, aux, *rest[2:]]
    else:
        return None
    return " ".join([opener or "whether", *said])


def _third_person(verb: str) -> str:
    """``run`` -> ``runs``, ``have`` -> ``has``, ``try`` -> ``tries``."""
    irregular = {"have": "has", "do": "does", "go": "goes"}
    if verb.casefold() in irregular:
        return irregular[verb.casefold()]
    if verb.endswith("y") and verb[-2:-1] not in tuple("aeiou"):
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s")


def _clause(words: list[str]) -> bool:
    """Whether ``words`` say something (a subject and its verb) rather than name it."""
    if words[0].casefold() in _OPENERS:
        return False  # "why Postgres is slow" names a question already
    if words[0].casefold() in ("he", "she", "they", "we", "i") and len(words) > 1:
        return True  # "they want someone senior"
    if (
        len(words) > 2
        and words[0].casefold() not in _DETERMINERS
        and (words[0][:1].isupper() or words[0].casefold() in _PRONOUNS)
    ):
        if words[1].islower() and _past_tense(words[1]):
            return True  # "you reviewed my portfolio", "Costs dropped by half"
    for index, word in enumerate(words[:6]):
        bare = word.casefold().strip(",;:")
        if bare in ("that", "which", "who") or word.endswith(","):
            return False  # the verb is in a clause of its own: "a team that has grown"
        if bare.endswith(("'re", "’re")) and len(words) > 1:
            return True
        if 1 <= index < len(words) - 1 and bare in _AUXILIARIES:
            return True
    return False


@functools.lru_cache(maxsize=4096)  # the patterns of a name, made once, not per point
def _name_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    quoted = re.escape(name)
    return (
        re.compile(rf"\b{quoted}(?:'s|’s)(?=\s|$)"),  # Rachel's -> your
        re.compile(rf"\b{quoted}\s+(?={_VERBS_AFTER_NAME})"),  # Rachel asked -> you asked
        re.compile(rf"\b{quoted}\b"),  # names Rachel
    )


@functools.lru_cache(maxsize=8192)  # talking points and accomplishments recur in every letter
def _words(text: str) -> frozenset[str]:
    found = set()
    for word in re.findall(r"[\w'-]+", text.casefold()):
        for part in {word, *word.split("-")}:
            part = part.strip("'-")
            if len(part) >= 4 and part not in _STOPWORDS:
                found.add(part[:-1] if part.endswith("s") and len(part) > 4 else part)
    return frozenset(found)


_STOPWORDS = frozenset(
    "about with from that this there their them they your yours have been into over under "
    "more most much very what when where which while would could should also than then "
    "some such only just like make made work team".split()
)


def rank_points(
    points: Sequence[str], *, yours: Iterable[str] = (), others: Iterable[str] = (),
    interests: Iterable[str] = (),
) -> tuple[str, ...]:  # fmt: skip
    """``points`` with the most relevant to this person first (stable otherwise).

    A point naming them (``yours``) comes first; then those sharing more
    words with ``interests`` (their tags, your accomplishments); among equals,
    one naming another person (``others``) after the rest.
    """
    yours = [n for n in yours if n]
    others = [n for n in others if n]
    wanted = frozenset().union(*(_words(i) for i in interests))

    def names(point: str, among: list[str]) -> bool:
        return any(n in point and _name_patterns(n)[2].search(point) for n in among)

    def score(point: str) -> tuple[int, int, int]:
        theirs = names(point, yours)
        someone_else = names(point, others)
        return (-int(theirs), -len(_words(point) & wanted), int(someone_else))

    return tuple(sorted(points, key=score))


def tie(points: Sequence[str], achievements: Sequence[Achievement]) -> tuple[int, int] | None:
    """``(point index, achievement index)`` of the best match, or None.

    A match shares words between the point and the accomplishment's text or
    tags (``streaming`` in both, ``on-call`` in both); the earliest point
    and then the earliest accomplishment win a tie.
    """
    best: tuple[int, int, int] | None = None
    for p, point in enumerate(points):
        words = _words(point)
        for a, done in enumerate(achievements):
            shared = len(words & (_words(done.text) | _words(" ".join(done.tags))))
            if shared and (best is None or shared > best[0]):
                best = (shared, p, a)
    return None if best is None else (best[1], best[2])
