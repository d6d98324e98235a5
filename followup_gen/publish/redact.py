"""Leave chosen fields out of a CRM before it is published (``redact`` mode).

For sharing a copy of the site with a career coach: the fields named in
``publish.redact`` (by default phone, address, email and notes) are removed
from every record before any page is made, so no template can show them.
"""

from __future__ import annotations

import dataclasses

from followup_gen.records import CRM

REDACTABLE: tuple[str, ...] = ("phone", "address", "email", "linkedin", "notes", "specifics")


def redact(crm: CRM, fields: tuple[str, ...]) -> CRM:
    """A copy of ``crm`` without the named fields (in every record that has them)."""

    def strip(record):
        names = {f.name for f in dataclasses.fields(record)}
        changes = {}
        for name in fields:
            if name in names:
                default = () if name == "specifics" else ("" if name == "notes" else None)
                changes[name] = default
        return dataclasses.replace(record, **changes) if changes else record

    return CRM.of(
        [strip(c) for c in crm.contacts.values()],
        [strip(o) for o in crm.opportunities.values()],
        [strip(i) for i in crm.interactions],
    )
