"""Read the CRM's Markdown files into raw records, keeping every key's line.

This stage knows files, encodings, front matter and YAML; it knows nothing of
contacts or opportunities (that is ``validate``). It never raises for bad
input: every file either becomes a ``RawRecord`` or a ``Problem``.

YAML is read with libyaml's C parser when it is installed (many times faster
than the pure-Python one) and always with the *safe* constructor, so a
``!!python/...`` tag is reported, never executed. The document is *composed*
(with libyaml, that is faster than ``yaml.load``, which composes and then
constructs in Python), so each key keeps its line, and each value is
constructed on its own: an impossible date (``2026-02-30``) is reported at its
own line, and a value YAML 1.1 reads as a boolean or number keeps the text as
typed.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from followup_gen.problems import Problem, error

try:  # libyaml is optional; the pure-Python loader gives the same results.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

FOLDERS: tuple[tuple[str, str], ...] = (
    ("contacts", "contact"),
    ("opportunities", "opportunity"),
    ("interactions", "interaction"),
)


@dataclass(frozen=True, slots=True)
class Field:
    """One front-matter key with its value (plain Python data) and lines."""

    key: str
    value: object
    line: int
    # The value as typed, for scalars (and each item of a list of scalars):
    # YAML 1.1 reads `no` as false and `007` as 7; validation keeps what was typed.
    text: str | None = None
    items: tuple[str | None, ...] | None = None
    # True when the value could not be read at all (a problem says why).
    broken: bool = False


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A parsed file: its type (from its folder), fields in order, body."""

    type: str
    path: str
    fields: tuple[Field, ...]
    body: str
    body_line: int


# A record is a few kilobytes; anything near this is not one (and is not read whole).
MAX_BYTES = 10_000_000


def read_data(path: str | Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    """A regular file's bytes, or the problem that stops it being read.

    FIFOs, devices and sockets (also behind a symlink) are never read: opening
    a FIFO would wait for a writer, and a device may never end.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        return None, [error(rel, None, "unreadable", f"cannot read the file: {exc.strerror}")]
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            return None, [
                error(rel, None, "not-a-file", "this is not a regular file (a pipe, a device "
                      "or a link to one): a record must be a Markdown file; remove it")
            ]  # fmt: skip
        if status.st_size > MAX_BYTES:
            return None, [
                error(rel, None, "too-large", f"the file is {status.st_size:,} bytes: a record "
                      "is a few kilobytes of text; is it the right file?")
            ]  # fmt: skip
        # One read of the whole file (a file object costs twice as much); one
        # byte more than its size shows it grew since the stat: read the rest.
        data = os.read(handle, status.st_size + 1)
        if len(data) > status.st_size:
            chunks = [data]
            while chunk := os.read(handle, 65536):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data, []
    except OSError as exc:
        return None, [error(rel, None, "unreadable", f"cannot read the file: {exc.strerror}")]
    finally:
        os.close(handle)


def read_record(root: Path, path: Path, record_type: str) -> tuple[RawRecord | None, list[Problem]]:
    """Read one file into a raw record, or into the problems that stop it."""
    rel = path.relative_to(root).as_posix()
    data, problems = read_data(path, rel)
    if data is None:
        return None, problems
    return parse_record(rel, data, record_type)


def parse_record(rel: str, data: bytes, record_type: str) -> tuple[RawRecord | None, list[Problem]]:
    """Parse a file's bytes (``rel`` is its path, used in problems)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            error(
                rel,
                line,
                "not-utf8",
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                "save it as UTF-8 in your editor",
            )
        ]
    if "\x00" in text:
        return None, [error(rel, None, "not-text", "the file holds NUL bytes: it is not text")]
    split = split_front_matter(text)
    if split is None:
        return None, [
            error(
                rel,
                1,
                "no-front-matter",
                "no YAML front matter: start the file with a line '---', the fields, "
                "then another '---'",
            )
        ]
    front, body, body_line = split
    fields, problems = parse_front_matter(rel, front, first_line=2)
    if fields is None:
        return None, problems
    return RawRecord(record_type, rel, fields, body, body_line), problems


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---`` front matter from the body: (yaml, body, body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return front, body.strip("\n") + ("\n" if body.strip() else ""), index + 2
    return None


def join_front_matter(front: str, body: str = "") -> str:
    """A file's text from its YAML and body: what ``split_front_matter`` splits."""
    text = f"---\n{front.strip(chr(10))}\n---\n"
    body = body.strip("\n")
    return f"{text}\n{body}\n" if body else text


def parse_front_matter(
    rel: str, front: str, first_line: int
) -> tuple[tuple[Field, ...] | None, list[Problem]]:
    """Compose the YAML, then construct each value on its own (every key keeps its line)."""
    offset = first_line - 1
    loader = _Loader(front)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 + offset if mark else first_line
            what = " ".join((exc.problem or "invalid YAML").split())  # one line
            return None, [error(rel, line, "yaml-syntax", f"YAML syntax error: {what}")]
        except yaml.YAMLError as exc:
            what = " ".join(str(exc).split())
            return None, [error(rel, first_line, "yaml-syntax", f"YAML syntax error: {what}")]
        if node is None:
            return (), []
        if not isinstance(node, yaml.MappingNode):
            return None, [
                error(
                    rel,
                    node.start_mark.line + 1 + offset,
                    "not-a-mapping",
                    "the front matter must be 'key: value' lines",
                )
            ]
        return _fields(rel, loader, node, offset)
    finally:
        loader.dispose()


def _fields(rel: str, loader, node: yaml.MappingNode, offset: int):
    fields: list[Field] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(error(rel, line, "bad-key", "a key must be a plain word"))
            continue
        key = sys.intern(str(key_node.value))  # one string per key name: a smaller cache
        if key in seen:
            problems.append(
                error(
                    rel, line, "duplicate-key", f"'{key}' is given twice (also on line {seen[key]})"
                )
            )
            continue
        seen[key] = line
        try:
            value = loader.construct_object(value_node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            problems.append(_construct_problem(rel, line, key, exc))
            fields.append(Field(key, None, line, broken=True))
            continue
        except Exception as exc:  # noqa: BLE001 - PyYAML raises bare ValueError, KeyError...
            value_line = value_node.start_mark.line + 1 + offset
            shown = value_node.value if isinstance(value_node, yaml.ScalarNode) else "..."
            if value_node.tag == "tag:yaml.org,2002:timestamp":
                problems.append(
                    error(
                        rel,
                        value_line,
                        "bad-date",
                        f"'{key}': {shown} is not a real date ({exc}); use YYYY-MM-DD",
                    )
                )
            else:
                problems.append(
                    error(
                        rel,
                        value_line,
                        "bad-value",
                        f"'{key}': YAML cannot read `{shown}` as {value_node.tag.rsplit(':', 1)[-1]}"
                        "; write the value in quotes",
                    )
                )
            fields.append(Field(key, None, line, broken=True))
            continue
        if isinstance(value_node, yaml.ScalarNode):
            text, items = value_node.value, None
        elif isinstance(value_node, yaml.SequenceNode):
            text = None
            items = tuple(
                n.value if isinstance(n, yaml.ScalarNode) else None for n in value_node.value
            )
        else:
            text, items = None, None
        fields.append(Field(key, value, line, text, items))
    return tuple(fields), problems


def _construct_problem(rel: str, line: int, key: str, exc: Exception) -> Problem:
    message = " ".join(str(getattr(exc, "problem", "") or exc).split())
    if "python/" in message or "constructor for the tag" in message:
        return error(
            rel,
            line,
            "unsafe-yaml",
            f"'{key}' uses a YAML tag that is not allowed here ({message}); "
            "write a plain value instead",
        )
    return error(rel, line, "bad-value", f"'{key}': {message}")


def find_records(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Every ``*.md`` file of the data folders as (path relative to ``root``, type),
    and a problem for each folder that cannot be read and each name that is not UTF-8.

    A stable order: folder by folder, each directory's files by name before
    its subdirectories (by name); hidden files and folders are skipped, and so
    are symlinked folders (listed, not entered, as ``os.walk`` does).
    """
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for folder, record_type in FOLDERS:
        base = os.path.join(os.fspath(root), folder)
        if os.path.isdir(base):
            _walk(base, folder + "/", record_type, found, problems)
        elif os.path.lexists(base):  # a file, or a link to a drive not mounted
            problems.append(
                error(
                    folder,
                    None,
                    "unreadable",
                    "this is not a folder (a file, or a link to something missing): no "
                    f"{record_type} can be read from it; make it a folder, or move it away",
                )
            )
    return found, problems


def record_paths(root: Path) -> list[tuple[str, str]]:
    """The files of ``find_records`` alone."""
    return find_records(root)[0]


def shown_name(rel: str) -> str:
    """A path as text that can be printed: bytes that are not UTF-8 as ``\\xe9``."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(top: str, prefix: str, record_type: str, found: list, problems: list) -> None:
    try:
        with os.scandir(top) as entries:
            files, dirs = _files_and_dirs(entries)
    except OSError as exc:
        problems.append(
            error(
                shown_name(prefix.rstrip("/")),
                None,
                "unreadable",
                f"cannot read this folder ({exc.strerror}): its records are left out; "
                "fix its permissions",
            )
        )
        return
    for name in sorted(files):
        rel = prefix + name
        if rel != shown_name(rel):
            problems.append(
                error(
                    shown_name(rel),
                    None,
                    "bad-name",
                    "the file name is not valid UTF-8 text; rename the file",
                )
            )
            continue
        found.append((rel, record_type))
    for name in sorted(dirs):
        path = os.path.join(top, name)
        if not os.path.islink(path):
            _walk(path, prefix + name + "/", record_type, found, problems)


def _files_and_dirs(entries: Iterator[os.DirEntry]) -> tuple[list[str], list[str]]:
    """The visible ``*.md`` names and the visible folders among ``entries``."""
    files: list[str] = []
    dirs: list[str] = []
    for entry in entries:
        name = entry.name
        if name[0] == ".":
            continue
        try:
            is_dir = entry.is_dir()  # follows a symlink, like os.walk
        except OSError:
            is_dir = False
        if is_dir:
            dirs.append(name)
        elif name.endswith(".md"):
            files.append(name)
    return files, dirs


def record_files(root: Path) -> list[tuple[Path, str]]:
    """Every ``*.md`` file of the data folders, in a stable order, with its type."""
    return [(root / rel, record_type) for rel, record_type in record_paths(root)]
