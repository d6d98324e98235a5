"""The one problem type every stage reports, and its one formatter.

A problem is data, never an exception: loading, validation and the rules
return problems next to their results and only the CLI turns them into an
exit code. The text form is ``path:line: severity: message [code]`` (like
yamllint's *parsable* format), which editors and terminals make clickable.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """Something wrong with the user's files, pointing at where it is."""

    file: str
    line: int | None
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        """Return ``path:line: severity: message [code]`` (no line: ``path: ...``):
        always one line, control characters shown escaped (``\\n``, ``\\x1b``)."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return printable(f"{where}: {self.severity}: {self.message} [{self.code}]")

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "code": self.code,
            "message": self.message,
        }


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with every control character (a line break, a terminal escape) escaped."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def error(file: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(file, line, "error", code, message)


def warning(file: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(file, line, "warning", code, message)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems in a stable order: by file, then line, then the rest."""
    return tuple(sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.code, p.message)))


# Everyday words for the values of a fixed list, where spelling is no clue:
# ``sister`` is ``family``. A suggestion is made only if the value exists.
WORDS: dict[str, str] = {
    **dict.fromkeys(
        "sister brother mother father mom mum dad parent son daughter wife husband partner "
        "spouse cousin aunt uncle niece nephew grandmother grandfather sibling relative".split(),
        "family",
    ),
    **dict.fromkeys("colleague coworker co-worker teammate peer".split(), "past-coworker"),
    **dict.fromkeys("boss manager supervisor employer".split(), "past-employer"),
    **dict.fromkeys("client customer".split(), "past-client"),
    **dict.fromkeys("vendor supplier contractor".split(), "past-vendor"),
    **dict.fromkeys("interviewer hiring-manager".split(), "hiring"),
    **dict.fromkeys("headhunter recruiter sourcer talent".split(), "recruiter"),
    **dict.fromkeys("mate buddy pal".split(), "friend"),
    "neighbour": "neighbor",
    "linkedin": "professional-network",
    "fair": "job-fair",
    "email": "email",
    "e-mail": "email",
    "letter": "mail",
    "post": "mail",
    "handwritten": "mail",
    "call": "phone",
    "telephone": "phone",
}


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or ``""``.

    Close spellings first (``freind``), then everyday words (``sister``:
    ``family``), then each word of a value of several (``hirng manager``).
    """
    choices = list(choices)
    text = str(value).strip().lower()
    matches = difflib.get_close_matches(text, choices, n=1, cutoff=0.6)
    if not matches:
        words = [text.replace(" ", "-"), *re.split(r"[\s_/-]+", text)]
        for word in words:
            meant = WORDS.get(word) or WORDS.get(word.rstrip("s"))
            close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
            if meant in choices or close:
                matches = [meant if meant in choices else close[0]]
                break
    return f" (did you mean '{matches[0]}'?)" if matches else ""
