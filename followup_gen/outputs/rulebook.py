"""The rule book: one Markdown page documenting every rule and its settings.

Generated, never retyped: each rule's section is its module docstring, and
each settings table takes the names and defaults from the rule's ``Settings``
dataclass and the meaning of each from the docstring's ``## Settings`` list.
``docs/guide/rules.md`` is this page (a test checks it is up to date);
regenerate it with ``python -m followup_gen.outputs.rulebook > docs/guide/rules.md``.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Mapping

from followup_gen.load.settings import SHARED_KEYS
from followup_gen.outputs import report
from followup_gen.rules import RULES, plan, search, stalled
from followup_gen.rules.plan import PlanSettings
from followup_gen.rules.stalled import StalledSettings

SECTIONS = ("What it does", "Why", "Trigger", "Satisfied by", "Settings")
_ITEM = re.compile(r"^- `(\w+)`: (.*)$")

INTRO = """\
# The follow-up rules

Each day, `followup-gen due` lists the follow-ups the rules below find in your
files, and `followup-gen report --json` gives them to scripts. Every item has
a due date and a last date: before the due date it is *upcoming*, from the due
date through the last date *due*, after the last date *overdue*. All
arithmetic is in whole calendar days; an interaction with a time counts on its
date. "Within 24–36 hours" of an event on day D means due on D+1 and overdue
from D+2.

Every item says which channel to use and why, following the advice that email
is fast but "direct mail is more effective and a much better differentiator":
thank-yous and check-ins are handwritten (with `legible_handwriting: true`) or
mailed when the contact's address is known, else emailed, with a note to add
the address; an interview thank-you to someone whose email and address are
both known is a letter *and* a short email inside the 24–36 hours. A channel
is never recommended when the contact's file cannot support it: without an
email or address it is what the file has (phone, LinkedIn), else `other`,
with the advice to add an email or postal address. Every item also names the
interaction kind that closes it once logged (*Satisfied by* below).

The rules propose; [the plan](#the-plan-one-message-per-person) decides:
each person has at most one open item, what belongs in one message is
merged into it, and the rest waits its turn. Not a nuisance: no message
falls due less than `min_gap_days` after your last outgoing interaction with
that person (the due date moves; the item is not dropped). Thank-yous and
the other time-critical items are exempt: gratitude is always on time. The
rules know [where the search stands](#the-search-active-or-ended): an
`accepted` ends it. A contact with `do_not_contact: true` gets no items at
all.

Every setting has a default, so `followup.yml` is optional. Each rule's
settings go under `rules: {rule-id: {...}}`; `enabled: false` switches a rule
off. These top-level keys apply to every rule that has a setting of that
name, unless the rule sets its own: {shared}.{more}
"""


def sections(doc: str) -> dict[str, str]:
    """A docstring's ``## Heading`` sections by heading (the summary under "")."""
    found: dict[str, list[str]] = {"": []}
    current = ""
    for line in doc.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        else:
            found[current].append(line)
    return {name: "\n".join(lines).strip() for name, lines in found.items()}


def setting_docs(text: str) -> dict[str, str]:
    """``{name: meaning}`` from a ``- `name`: meaning`` list (meanings may wrap)."""
    docs: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        match = _ITEM.match(line)
        if match:
            name = match.group(1)
            docs[name] = match.group(2)
        elif name and line.startswith("  "):
            docs[name] += " " + line.strip()
        else:
            name = None
    return docs


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)


def settings_table(defaults: object, docs: dict[str, str]) -> str:
    rows = ["| Setting | Default | Meaning |", "| --- | --- | --- |"]
    for f in dataclasses.fields(defaults):
        value = getattr(defaults, f.name)
        if isinstance(value, Mapping):
            shown = "<br>".join(f"`{k}`: {_yaml(v)}" for k, v in value.items())
        else:
            shown = f"`{_yaml(value)}`"
        rows.append(f"| `{f.name}` | {shown} | {docs.get(f.name, '')} |")
    return "\n".join(rows)


def _example(rule_id: str, defaults: object) -> str:
    lines = ["```yaml", "rules:", f"  {rule_id}:"]
    for f in dataclasses.fields(defaults):
        value = getattr(defaults, f.name)
        if isinstance(value, Mapping):
            lines.append(f"    {f.name}:")
            lines += [f"      {k}: {_yaml(v)}" for k, v in value.items()]
        else:
            lines.append(f"    {f.name}: {_yaml(value)}")
    return "\n".join([*lines, "```"])


def _demote(text: str) -> str:
    return "\n".join("#" + line if line.startswith("## ") else line for line in text.splitlines())


def rulebook(settings_page: str | None = "settings.md") -> str:
    """The Markdown page of every rule, then stalled opportunities, with settings.

    ``settings_page`` is the link to the settings guide from this page (a
    path relative to it), or None for no link.
    """
    shared = ", ".join(f"`{key}`" for key in SHARED_KEYS)
    more = f" See [Settings]({settings_page})." if settings_page else ""
    parts = [INTRO.replace("{shared}", shared).replace("{more}", more)]
    parts.append("| Rule | What for |\n| --- | --- |")
    parts[-1] += "".join(f"\n| [`{r.id}`](#{r.id}) | {sections(r.doc)['']} |" for r in RULES)
    for rule in RULES:
        doc = sections(rule.doc)
        defaults = rule.settings()
        body = _demote(rule.doc.split("\n## Settings", 1)[0].split("\n", 1)[1].strip())
        parts.append(
            f"## `{rule.id}`\n\n**{doc['']}**\n\n{body}\n\n### Settings\n\n"
            f"{settings_table(defaults, setting_docs(doc['Settings']))}\n\n"
            f"In `followup.yml`, with the defaults:\n\n{_example(rule.id, defaults)}"
        )
    parts.append(_section("The plan: one message per person", plan, "plan", PlanSettings()))
    doc = inspect.getdoc(search) or ""
    parts.append(f"## The search: active or ended\n\n{doc}")
    parts.append(
        _section("Stalled opportunities and pipeline health", stalled, "stalled", StalledSettings())
    )
    parts.append(f"## The report\n\n{_report_doc()}")
    return "\n\n".join(parts) + "\n"


def _section(title: str, module: object, key: str, defaults: object) -> str:
    """A part of the book that is not a rule: its docstring and its ``key:`` settings."""
    doc = inspect.getdoc(module) or ""
    sec = sections(doc)
    body = _demote(doc.split("\n## Settings", 1)[0].split("\n", 1)[1].strip())
    table = settings_table(defaults, setting_docs(sec["Settings"]))
    example = "\n".join(
        ["```yaml", f"{key}:"]
        + [f"  {f.name}: {_yaml(getattr(defaults, f.name))}" for f in dataclasses.fields(defaults)]
        + ["```"]
    )
    return (
        f"## {title}\n\n**{sec['']}**\n\n{body}\n\n"
        f"### Settings\n\nUnder `{key}:` in `followup.yml`.\n\n{table}\n\n{example}"
    )


def _report_doc() -> str:
    """``report --json``'s shape, from the report module's docstring."""
    doc = inspect.getdoc(report) or ""
    return "`followup-gen report --json` prints " + doc.split(": ", 1)[1]


if __name__ == "__main__":
    print(rulebook(), end="")
