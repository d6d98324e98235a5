"""How an open follow-up is marked done: its short key, the interaction that
closes it, and the command that records that interaction.

Every item has a short key (``7qxa``): the start of a hash of its
``FollowUp.key``, so the same item keeps the same key from day to day; a key
is longer than ``KEY_LENGTH`` only when two open items would otherwise share
it. The interaction that closes an item is of its rule's ``CLOSED_BY`` kind
(``followup_gen.rules``), with the item's contact, opportunity and
recommended channel: ``followup-gen done KEY`` writes it, and so does the
``followup-gen log ...`` command shown with each item. A rule whose items no
interaction closes (``business-card``: the contact's file does) gets a
sentence saying what to add to which file instead.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import yaml

from followup_gen.load.files import join_front_matter
from followup_gen.load.schema import slugify
from followup_gen.records import CRM
from followup_gen.rules import RULES
from followup_gen.rules.followup import FollowUp

KEY_LENGTH = 4
CLOSED_BY: Mapping[str, str | None] = {rule.id: rule.closed_by for rule in RULES}


def _digest(key: str) -> str:
    """``key`` hashed to lower-case letters and the digits 2-7 (no 0 or 1 to mistake for o or l)."""
    return base64.b32encode(hashlib.sha1(key.encode("utf-8")).digest()).decode().lower()


def short_keys(items: Iterable[FollowUp]) -> dict[str, str]:
    """``{FollowUp.key: short key}``: each the shortest start of its hash, at
    least ``KEY_LENGTH`` characters, that no other item's hash shares."""
    digests = sorted({_digest(key): key for key in {item.key for item in items}}.items())
    keys: dict[str, str] = {}
    for n, (digest, key) in enumerate(digests):
        # Sorted, the hashes sharing the longest start with this one are its neighbours.
        neighbours = [d for d, _ in digests[max(n - 1, 0) : n + 2] if d != digest]
        shared = max((len(os.path.commonprefix([digest, d])) for d in neighbours), default=0)
        length = max(KEY_LENGTH, shared + 1)
        keys[key] = digest[:length]
    return keys


def matching(items: Iterable[FollowUp], typed: str) -> list[FollowUp]:
    """The items whose short key starts with ``typed`` (any case): what ``done KEY`` means."""
    wanted = typed.strip().lower()
    if not wanted:
        return []
    return [item for item in items if _digest(item.key).startswith(wanted)]


@dataclass(frozen=True, slots=True)
class Closing:
    """What marks one open item done, and how to say it on the command line."""

    key: str  # the short key
    rule: str
    kind: str | None  # the interaction that closes it; None: the contact's file does
    contact: str
    opportunity: str | None
    channel: str
    contact_file: str  # contacts/jane-doe.md

    @property
    def done(self) -> str:
        """``followup-gen done 7qxa``."""
        return f"followup-gen done {self.key}"

    @property
    def command(self) -> str:
        """The ``followup-gen log`` command that closes the item, or what to edit instead."""
        if self.kind is None:
            return (
                f"edit {self.contact_file}: add 'title' and 'address' "
                "(or 'business_card: true' once you have their card)"
            )
        words = ["followup-gen", "log", self.kind, self.contact]
        if self.opportunity:
            words += ["--opportunity", self.opportunity]
        if self.channel != "other":  # "other": nothing on file to send it with yet
            words += ["--channel", self.channel]
        return " ".join(words)

    def interaction_path(self, day: dt.date) -> str:
        """Where the closing interaction of ``day`` goes, as ``log`` names it."""
        # As exchange.write.interaction_id names it (a free name is found when it is taken).
        stem = slugify(f"{day.isoformat()}-{self.kind}-{self.contact}")[:80].strip("-")
        return f"interactions/{stem}.md"

    def interaction_text(self, day: dt.date) -> str:
        """The closing interaction's file, as ``log`` would write it on ``day``."""
        front = {"date": day.isoformat(), "kind": self.kind, "contacts": self.contact}
        if self.channel != "other":
            front["channel"] = self.channel
        if self.opportunity:
            front["opportunity"] = self.opportunity
        # Written line by line (a YAML dump per item is most of a large site's
        # cost of these links); an id YAML would read as another type is quoted.
        lines = [
            f"{key}: {_scalar(value) if key != 'date' else value}" for key, value in front.items()
        ]
        return join_front_matter("\n".join(lines), "")


_RESOLVER = yaml.resolver.Resolver()


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: as is when YAML reads it back as that text
    (``jane-doe``), else quoted (``"true"``, ``"2026"``)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return value if tag == "tag:yaml.org,2002:str" and value.strip() == value else json.dumps(value)


def closings(crm: CRM, items: Iterable[FollowUp]) -> dict[str, Closing]:
    """``{FollowUp.key: Closing}`` for ``items`` (short keys made among them all)."""
    items = tuple(items)
    keys = short_keys(items)
    found = {}
    for item in items:
        person = crm.contacts.get(item.contact)
        found[item.key] = Closing(
            key=keys[item.key],
            rule=item.rule,
            # The item's own (the plan's merges included), else its rule's.
            kind=item.closed_by[0] if item.closed_by else CLOSED_BY.get(item.rule),
            contact=item.contact,
            opportunity=item.opportunity,
            channel=item.channel,
            contact_file=person.source.path if person else f"contacts/{item.contact}.md",
        )
    return found
