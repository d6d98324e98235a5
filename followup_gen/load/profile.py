"""The job seeker's own profile: who signs the letters, and what they have done.

It lives in ``profile.md`` at the CRM root, YAML front matter like every
other file (the body is free notes, ignored)::

    ---
    name: Alex Rivera
    address: |
      418 Alder Street, Apt 3
      Portland, OR 97205
    email: alex.rivera@example.com
    phone: (503) 555-0142
    sign_off: Best regards,
    casual_sign_off: Talk soon,
    accomplishments:
      - Cut the nightly batch from six hours to forty minutes.
      - text: Moved 40 pipelines from cron to Airflow with no missed load.
        tags: [airflow, data-platform]
    ---

Every key is optional: a missing name shows in the drafts as the marked
slot ``[YOUR NAME]``; a missing address, email or phone is simply left out.
``sign_off`` closes letters to professional contacts, ``casual_sign_off``
(default ``Talk soon,``, signed with your first name) notes to family and
friends. An accomplishment is one sentence, or a mapping ``{text, tags}``;
drafts put first the ones whose tags match the opportunity's or the
contact's tags, and write one that starts with a past tense ("Led ...") in
the first person ("I led ..."). The file is checked like every other:
each problem names ``profile.md`` and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from followup_gen.load.files import Field, read_record
from followup_gen.load.schema import (
    Invalid,
    Spec,
    convert_fields,
    email,
    multiline,
    text,
    text_list,
)
from followup_gen.problems import Problem, did_you_mean
from followup_gen.records import Source

PROFILE_FILE = "profile.md"


@dataclass(frozen=True, slots=True)
class Accomplishment:
    """One achievement, in one sentence, with optional tags."""

    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    """The sender of every draft. ``None`` fields become placeholders."""

    source: Source
    name: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    sign_off: str | None = None
    casual_sign_off: str | None = None
    accomplishments: tuple[Accomplishment, ...] = ()


def _accomplishments(field: Field) -> tuple[Accomplishment, ...]:
    items = field.value if isinstance(field.value, list) else None
    if items is None:
        raise Invalid("must be a list: one '- sentence' line per accomplishment")
    found = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            unknown = [str(k) for k in item if k not in ("text", "tags")]
            if unknown:
                raise Invalid(
                    f"item {number} has unknown key '{unknown[0]}'"
                    f"{did_you_mean(unknown[0], ('text', 'tags'))}; use 'text' and 'tags'"
                )
            sentence, tags = item.get("text"), item.get("tags", [])
        else:
            sentence, tags = item, []
        if not isinstance(sentence, str) or not sentence.strip():
            raise Invalid(
                f"item {number} must be one sentence of text, or 'text: ...' with 'tags: [...]'"
            )
        try:
            tag_tuple = text_list(Field("tags", tags, field.line)) if tags else ()
        except Invalid:
            raise Invalid(f"item {number}: 'tags' must be a list of words") from None
        found.append(Accomplishment(" ".join(sentence.split()), tag_tuple))
    return tuple(found)


SCHEMA: dict[str, Spec] = {
    "name": Spec(text),
    "address": Spec(multiline),
    "email": Spec(email, soft=True),
    "phone": Spec(text),
    "sign_off": Spec(text),
    "casual_sign_off": Spec(text),
    "accomplishments": Spec(_accomplishments),
}


def load_profile(root: Path | str) -> tuple[Profile | None, tuple[Problem, ...]]:
    """Read ``profile.md`` under ``root``: no file is no profile and no problem.

    A field with an error is left out (its placeholder shows in drafts) and
    reported; the rest of the profile is kept.
    """
    root = Path(root)
    path = root / PROFILE_FILE
    if not path.is_file():
        return None, ()
    raw, problems = read_record(root, path, "profile")
    if raw is None:
        return None, tuple(problems)
    values, more, _ = convert_fields(raw, SCHEMA, "the profile")
    problems.extend(more)
    source = Source(raw.path, 1, tuple((f.key, f.line) for f in raw.fields))
    return Profile(source=source, **values), tuple(problems)
