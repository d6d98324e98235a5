"""Where the CRM's files live in their Git repository, for links from the site.

With ``repo_url`` in mkdocs.yml, a record's page links to its data file
("edit this file") and each due item to GitHub's new-file page with the
interaction that closes it filled in ("log it on GitHub"), so an item can be
closed from a phone. MkDocs's ``edit_uri`` (``edit/main/docs/``) names the
branch and where ``docs_dir`` is; the links point at the CRM's own files
(``contacts/jane-doe.md``) next to it, never at ``docs/``. Without
``edit_uri`` the branch is the checked-out one (else ``main``); an empty
``edit_uri`` switches the links off.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

# An ``edit_uri`` that mkdocs.yml does not set.
UNSET = object()


@dataclass(frozen=True, slots=True)
class Repository:
    """The URLs that edit a CRM file, and create one (GitHub's new-file page)."""

    edit: str  # a CRM file's path is appended: https://github.com/o/r/edit/main/
    new: str | None = None  # https://github.com/o/r/new/main (None: not GitHub)

    def edit_url(self, path: str) -> str:
        """The page that edits the CRM file ``path`` (``contacts/jane-doe.md``)."""
        return self.edit + quote(path, safe="/")

    def new_file_url(self, path: str, text: str) -> str | None:
        """GitHub's page that creates ``path`` holding ``text`` (None when not on GitHub)."""
        if self.new is None:
            return None
        return f"{self.new}?filename={quote(path, safe='/')}&value={quote(text, safe='')}"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name:`` and ``!ENV`` tags are ignored here."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_yml(path: Path) -> dict[str, Any]:
    """The top-level keys of an mkdocs.yml as written ({} when unreadable)."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def from_mkdocs_yml(path: Path, root: Path) -> Repository | None:
    """The repository an mkdocs.yml names (``repo_url``, ``edit_uri``), for a CRM at ``root``."""
    config = mkdocs_yml(path)
    docs = config.get("docs_dir") if isinstance(config.get("docs_dir"), str) else "docs"
    folder = Path(path).resolve().parent
    return repository(
        config.get("repo_url"),
        config.get("edit_uri", UNSET),
        config_dir=folder,
        docs_dir=folder / docs,
        root=root,
    )


def checked_out_branch(folder: Path) -> str | None:
    """The branch checked out in ``folder``'s Git repository (read from
    ``.git/HEAD``, or a worktree's), or None."""
    git = folder / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            target = git.read_text(encoding="utf-8").strip().removeprefix("gitdir:").strip()
            git = (folder / target).resolve()
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    prefix = "ref: refs/heads/"
    return head[len(prefix) :] if head.startswith(prefix) else None


def repository(
    repo_url: object,
    edit_uri: object,
    *,
    config_dir: Path,
    docs_dir: Path,
    root: Path,
) -> Repository | None:
    """The repository of a CRM at ``root`` whose mkdocs.yml is in ``config_dir``.

    None without an http(s) ``repo_url``, with an empty ``edit_uri``, or when
    the CRM is outside the folder of mkdocs.yml (its place in the repository
    is then unknown).
    """
    if not isinstance(repo_url, str) or urlsplit(repo_url.strip()).scheme not in ("http", "https"):
        return None
    repo = repo_url.strip().rstrip("/")
    root_rel = _relative(root, config_dir)
    if root_rel is None:
        return None
    if edit_uri is UNSET or edit_uri is None:
        base = f"{repo}/edit/{checked_out_branch(config_dir) or 'main'}/"
    elif isinstance(edit_uri, str) and edit_uri.strip():
        uri = edit_uri.strip()
        base = uri if urlsplit(uri).scheme else f"{repo}/{uri.lstrip('/')}"
        base = base if base.endswith("/") else base + "/"
        docs_rel = _relative(docs_dir, config_dir)
        if docs_rel and base.endswith(f"/{docs_rel}/"):
            base = base[: -len(docs_rel) - 1]  # from docs/ to the folder of mkdocs.yml
    else:
        return None
    edit = base + (f"{root_rel}/" if root_rel else "")
    new = None
    path = urlsplit(edit).path
    if path.startswith(urlsplit(repo).path + "/edit/") or "/blob/" in path:
        new = edit.replace("/edit/", "/new/", 1).replace("/blob/", "/new/", 1).rstrip("/")
    return Repository(edit=edit, new=new)


def _relative(path: Path, start: Path) -> str | None:
    """``path`` relative to ``start`` as a POSIX path ("" for the same folder),
    or None when it is outside ``start``."""
    try:
        rel = Path(path).resolve().relative_to(Path(start).resolve()).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else posixpath.normpath(rel)
