"""The site's own key-derivation salt: made at random, written into ``followup.yml`` once.

A salt shared by many sites lets one precomputed password dictionary attack
them all; a salt that changes on every publish would make every browser ask
for the password after each daily rebuild. So each CRM gets one random salt,
kept in ``publish.salt`` of its settings (it is not secret): ``init`` writes
it, and ``followup-gen salt`` adds it to a CRM made before. The settings file
is edited as text, so its comments and layout stay as they are, and the
result is read back before it is written; the workflow never writes it (it
could not commit it back).
"""

from __future__ import annotations

import base64
import re
import secrets

SALT_BYTES = 16
_PUBLISH = re.compile(r"^publish:[ \t]*(#.*)?$", re.M)
_TOP_KEY = re.compile(r"^[^\s#]", re.M)
_CHILD = re.compile(r"^([ \t]+)[^\s#]", re.M)
_SALT = re.compile(r"^[ \t]+salt:.*\n?", re.M)


def new_salt() -> str:
    """A fresh random salt, as written in ``followup.yml``."""
    return base64.b64encode(secrets.token_bytes(SALT_BYTES)).decode()


def with_salt(text: str, salt: str) -> str | None:
    """``followup.yml``'s ``text`` with ``publish.salt`` set to ``salt``.

    Replaces a ``salt:`` line of a block-style ``publish:`` section, or adds
    one as its first entry, or appends a ``publish:`` section. None when the
    section is written in a form this cannot edit (``publish: {mode: x}``).
    """
    line = f'salt: "{salt}"'
    if not re.search(r"^publish\s*:", text, re.M):
        before = text.rstrip("\n") + "\n\n" if text.strip() else ""
        return f"{before}publish:\n  {line}\n"
    header = _PUBLISH.search(text)
    if header is None:
        return None  # a flow mapping or a value on the same line
    start = header.end() + 1
    end = (m.start() + start) if (m := _TOP_KEY.search(text[start:])) else len(text)
    section = text[start:end]
    existing = _SALT.search(section)
    if existing:
        indent = existing.group(0)[: len(existing.group(0)) - len(existing.group(0).lstrip())]
        section = section[: existing.start()] + f"{indent}{line}\n" + section[existing.end() :]
    else:
        child = _CHILD.search(section)
        indent = child.group(1) if child else "  "
        section = f"{indent}{line}\n{section}"
    return text[:start] + section + text[end:]
