"""Settings: every number and switch of the tool, with defaults that need no file.

Settings live in ``followup.yml`` at the CRM root (optional). Top-level keys:

- ``today``: pin the evaluated date (for an example CRM whose dates must not
  age; leave it out in a real one). ``--today`` on the command line wins.
- ``timezone``: the IANA time zone of "today" in the publishing workflow.
- ``legible_handwriting``, ``min_gap_days``, ``window_days``: shared by every
  rule that has a setting of that name, unless the rule sets its own
  (``min_gap_days`` is the plan's too).
- ``rules``: ``{rule-id: {enabled: false, <setting>: <value>}}``.
- ``plan``, ``stalled``, ``site``, ``publish``: see their dataclasses below.

Unknown or mistyped settings are errors that name the key and its line.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from followup_gen.load.files import Field, parse_front_matter
from followup_gen.load.schema import MAX_DAYS, out_of_range
from followup_gen.problems import Problem, did_you_mean, error
from followup_gen.records import REDACTABLE
from followup_gen.rules import stalled_note
from followup_gen.rules.plan import PlanSettings
from followup_gen.rules.stalled import StalledSettings

SETTINGS_FILE = "followup.yml"
SHARED_KEYS = ("legible_handwriting", "min_gap_days", "window_days")


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """The generated site: its title, where in ``docs_dir`` ``followup-gen
    build`` writes its pages, how many days ahead the due list and the
    dashboard show what is coming up, and whether the published site keeps
    the links to edit your files on GitHub (``edit_links``)."""

    title: str = "Job search"
    folder: str = "crm"
    upcoming_days: int = 14
    edit_links: bool = False


PUBLISH_MODES = ("encrypted", "access-controlled", "redact")


@dataclass(frozen=True, slots=True)
class PublishSettings:
    """How the published site protects the people in it.

    ``mode``: ``encrypted`` (default: the whole site sealed with a password),
    ``access-controlled`` (plain pages, for a host behind a login such as
    GitHub Enterprise Cloud private Pages) or ``redact`` (plain pages without
    the ``redact`` fields). ``redact``: the fields left out in ``redact`` mode.
    ``salt``: the site's own random key-derivation salt (base64), written by
    ``followup-gen init`` or ``followup-gen salt``; empty in a CRM made
    before, whose site keeps the salt made from its name until it has one.
    ``idle_lock_minutes``: the encrypted site locks itself (forgets the key
    in every open page) after this many minutes without use; 0: never.
    """

    mode: str = "encrypted"
    redact: tuple[str, ...] = ("phone", "address", "email", "notes")
    salt: str = ""
    idle_lock_minutes: int = 30


def _rule_defaults() -> Mapping[str, Any]:
    from followup_gen.rules import RULES

    return MappingProxyType({rule.id: rule.settings() for rule in RULES})


@dataclass(frozen=True, slots=True)
class Settings:
    """All settings; ``Settings()`` is the documented default for everything."""

    today: dt.date | None = None
    timezone: str = "UTC"
    # Warnings (never errors) fail the site build, publish and its workflow only if True.
    strict: bool = False
    plan: PlanSettings = PlanSettings()
    stalled: StalledSettings = StalledSettings()
    site: SiteSettings = SiteSettings()
    publish: PublishSettings = PublishSettings()
    rules: Mapping[str, Any] = field(default_factory=_rule_defaults)

    def rule(self, rule_id: str) -> Any:
        """The settings of one rule."""
        return self.rules[rule_id]


class _Bad(Exception):
    pass


def _coerce(value: object, default: object, key: str) -> object:
    """Check ``value`` against the type of ``default`` and convert it."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise _Bad(f"'{key}' must be true or false")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DAYS:
            return value
        raise _Bad(f"'{key}' must be a whole number from 0 to {MAX_DAYS}")
    if isinstance(default, str):
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise _Bad(f"'{key}' must be text")
    if isinstance(default, tuple):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise _Bad(f"'{key}' must be a list of text items")
    if isinstance(default, Mapping):
        if not isinstance(value, dict):
            raise _Bad(f"'{key}' must be a mapping of 'name: value' lines")
        merged = dict(default)
        for name, item in value.items():
            if name not in default:
                raise _Bad(f"'{key}' has unknown entry '{name}'{did_you_mean(name, default)}")
            merged[name] = _coerce(item, default[name], f"{key}.{name}")
        return MappingProxyType(merged)
    if dataclasses.is_dataclass(default):
        if not isinstance(value, dict):
            raise _Bad(f"'{key}' must be a mapping of 'name: value' lines")
        return _dataclass(default, value, key)
    if default is None and isinstance(value, dt.date):  # `today`
        return value
    raise _Bad(f"'{key}' has a value of the wrong type")


def _dataclass(default: Any, values: Mapping[str, object], prefix: str) -> Any:
    names = {f.name for f in dataclasses.fields(default)}
    changes = {}
    for name, value in values.items():
        if name not in names:
            raise _Bad(f"unknown setting '{prefix}.{name}'{did_you_mean(name, names)}")
        changes[name] = _coerce(value, getattr(default, name), f"{prefix}.{name}")
    return dataclasses.replace(default, **changes)


def _timezone(value: object) -> str:
    """An IANA time zone name (``Europe/Berlin``), checked against the system's zones."""
    zones = zoneinfo.available_timezones() or {"UTC"}
    name = value.strip() if isinstance(value, str) else ""
    if name in zones or name == "UTC":
        return name
    shown = repr(value) if not isinstance(value, str) else value.encode("unicode_escape").decode()
    raise _Bad(
        f"'timezone' is '{shown}', not a time zone{did_you_mean(name, zones)}; "
        "use a name like Europe/Berlin or America/New_York"
    )


def _check_publish(publish: PublishSettings) -> None:
    if publish.mode not in PUBLISH_MODES:
        raise _Bad(
            f"'publish.mode' is '{publish.mode}'{did_you_mean(publish.mode, PUBLISH_MODES)};"
            f" one of: {', '.join(PUBLISH_MODES)}"
        )
    if publish.salt and not _is_salt(publish.salt):
        raise _Bad(
            "'publish.salt' must be 16 or more random bytes in base64; "
            "run 'followup-gen salt --replace' to make one"
        )
    for name in publish.redact:
        if name not in REDACTABLE:
            raise _Bad(
                f"'publish.redact' names '{name}'{did_you_mean(name, REDACTABLE)};"
                f" fields that can be left out: {', '.join(REDACTABLE)}"
            )


def _is_salt(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) >= 16
    except ValueError:
        return False


def parse_settings(path: str, fields: tuple[Field, ...]) -> tuple[Settings, tuple[Problem, ...]]:
    """Build settings from the top-level fields of a settings file."""
    base = Settings()
    problems: list[Problem] = []
    top: dict[str, Any] = {}
    shared: dict[str, object] = {}
    rule_values: dict[str, Any] = {}
    rule_line = 1
    for f in fields:
        if f.broken:
            continue  # already reported by the YAML reader
        try:
            if f.key in SHARED_KEYS:
                shared[f.key] = f.value
            elif f.key == "rules":
                if not isinstance(f.value, dict):
                    raise _Bad("'rules' must map rule ids to their settings")
                rule_values, rule_line = f.value, f.line
            elif f.key == "today":
                if f.value is not None and not isinstance(f.value, dt.date):
                    raise _Bad("'today' must be a date, YYYY-MM-DD")
                if f.value is not None and out_of_range(f.value):
                    raise _Bad(f"'today': {out_of_range(f.value)}")
                top["today"] = f.value
            elif f.key == "timezone":
                top["timezone"] = _timezone(f.value)
            elif f.key == "strict":
                top["strict"] = _coerce(f.value, base.strict, "strict")
            elif f.key == "plan":
                continue  # after the shared keys, below
            elif f.key in ("stalled", "site", "publish"):
                top[f.key] = _coerce(f.value, getattr(base, f.key), f.key)
                if f.key == "publish":
                    _check_publish(top[f.key])
            else:
                keys = ["today", "timezone", "strict", "plan", "stalled", "site", "publish"]
                keys += ["rules", *SHARED_KEYS]
                raise _Bad(f"unknown setting '{f.key}'{did_you_mean(f.key, keys)}")
        except _Bad as exc:
            problems.append(error(path, f.line, "bad-setting", str(exc)))
    rules = dict(base.rules)
    for rule_id, default in base.rules.items():
        names = {x.name for x in dataclasses.fields(default)}
        for key, value in shared.items():
            if key in names:
                try:
                    default = dataclasses.replace(
                        default, **{key: _coerce(value, getattr(default, key), key)}
                    )
                except _Bad as exc:
                    line = next(f.line for f in fields if f.key == key)
                    problems.append(error(path, line, "bad-setting", str(exc)))
        rules[rule_id] = default
    for rule_id, value in rule_values.items():
        if rule_id not in rules:
            problems.append(
                error(
                    path,
                    rule_line,
                    "bad-setting",
                    f"unknown rule '{rule_id}'{did_you_mean(rule_id, rules)}; "
                    f"rules: {', '.join(rules)}",
                )
            )
            continue
        try:
            rules[rule_id] = _coerce(value or {}, rules[rule_id], f"rules.{rule_id}")
        except _Bad as exc:
            problems.append(error(path, rule_line, "bad-setting", str(exc)))
    # The stalled note follows `stalled: stall_after_days`, unless it sets its own.
    own = rule_values.get(stalled_note.ID)
    if "stalled" in top and not (isinstance(own, dict) and "stall_after_days" in own):
        rules[stalled_note.ID] = dataclasses.replace(
            rules[stalled_note.ID], stall_after_days=top["stalled"].stall_after_days
        )
    # The plan's gap: the shared `min_gap_days`, unless `plan:` sets its own.
    plan_field = next((f for f in fields if f.key == "plan" and not f.broken), None)
    plan = base.plan
    if "min_gap_days" in shared:
        try:
            plan = _dataclass(plan, {"min_gap_days": shared["min_gap_days"]}, "plan")
        except _Bad:
            pass  # reported above, with the rules
    try:
        top["plan"] = _coerce(plan_field.value, plan, "plan") if plan_field else plan
    except _Bad as exc:
        problems.append(error(path, plan_field.line, "bad-setting", str(exc)))
        top["plan"] = plan
    settings = dataclasses.replace(base, rules=MappingProxyType(rules), **top)
    return settings, tuple(problems)


def load_settings(root: Path) -> tuple[Settings, tuple[Problem, ...]]:
    """Read ``followup.yml`` under ``root``; no file means every default."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings(), ()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), (error(SETTINGS_FILE, None, "bad-setting", f"cannot read: {exc}"),)
    return read_settings(text)


def read_settings(text: str) -> tuple[Settings, tuple[Problem, ...]]:
    """Settings from the text of a ``followup.yml``."""
    fields, problems = parse_front_matter(SETTINGS_FILE, text, first_line=1)
    if fields is None:
        return Settings(), tuple(problems)
    settings, more = parse_settings(SETTINGS_FILE, fields)
    return settings, (*problems, *_at_nested_lines(text, more))


_NESTED_KEY = re.compile(
    r"'((?:rules|plan|stalled|site|publish)\.[\w.-]+)'|unknown rule '([\w-]+)'"
)


def _at_nested_lines(text: str, problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """Point a problem about a nested key (``rules.thank-helper.enabeld``) at
    that key's own line rather than at its top-level key."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    name = f"{prefix}{key.value}"
                    lines[name] = key.start_mark.line + 1
                    walk(value, name + ".")

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return problems
    if root is not None:
        walk(root, "")
    out = []
    for problem in problems:
        match = _NESTED_KEY.search(problem.message)
        if match:
            key = match.group(1) or f"rules.{match.group(2)}"
            entry = re.search(r"unknown entry '([^']+)'", problem.message)
            key += f".{entry.group(1)}" if entry else ""
            while key not in lines and "." in key:
                key = key.rsplit(".", 1)[0]
            problem = dataclasses.replace(problem, line=lines.get(key, problem.line))
        out.append(problem)
    return tuple(out)
