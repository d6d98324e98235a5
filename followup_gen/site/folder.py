"""The generated folder of ``followup-gen build``: written whole, replaced atomically.

The folder carries a marker file listing every file the build wrote. A new
build is written next to it and swapped in by renaming, so a reader sees the
old pages or the new ones, never a mix. The tool refuses to replace a folder
without its marker, or one holding a file it did not write: it never deletes
or overwrites anything it did not generate.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from followup_gen.load.cache import CACHE_DIR, ensure_folder

MARKER = ".followup-generated"
_HEADER = "# Made by `followup-gen build`; the whole folder is replaced on each build.\n"


class RefusedError(Exception):
    """The output folder holds something the build did not make."""


def _files_of(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()
    )


def generated_files(folder: Path) -> list[str] | None:
    """The files a previous build wrote into ``folder`` (None: no marker)."""
    marker = folder / MARKER
    if not marker.is_file():
        return None
    lines = marker.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def check_replaceable(out: Path) -> None:
    """Raise ``RefusedError`` unless ``out`` is absent, empty, or all ours."""
    if not out.exists():
        return
    if not out.is_dir():
        raise RefusedError(f"{out} is a file, not a folder")
    present = _files_of(out)
    if not present and not any(out.iterdir()):
        return
    ours = generated_files(out)
    if ours is None:
        raise RefusedError(
            f"{out} exists and was not made by 'followup-gen build' (it has no {MARKER}); "
            "choose another --out"
        )
    foreign = [name for name in present if name != MARKER and name not in set(ours)]
    if foreign:
        listed = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise RefusedError(
            f"{out} holds files 'followup-gen build' did not write: {listed}; "
            "move them out of the folder first"
        )


def _safe(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValueError(f"unsafe page path: {rel!r}")
    return path


def write_folder(out: Path, pages: Mapping[str, str | bytes]) -> None:
    """Replace ``out`` by a folder holding exactly ``pages`` (text, or bytes
    written as they are) and the marker.

    Raises ``RefusedError`` (touching nothing) when ``out`` is not ours.
    """
    out = Path(out)
    check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, text in pages.items():
            target = staging.joinpath(*_safe(rel).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8", newline="\n")
        listing = "".join(f"{rel}\n" for rel in sorted(pages))
        (staging / MARKER).write_text(_HEADER + listing, encoding="utf-8", newline="\n")
        os.chmod(staging, 0o755)  # mkdtemp makes it private to the user
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, out: Path) -> None:
    """Put the finished folder ``staging`` at ``out`` by renaming it.

    The previous ``out`` is moved aside first and removed afterwards; if the
    rename fails, it is put back, so ``out`` is always the old folder or the
    new one, never a mix or nothing.
    """
    old = None
    try:
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / out.name)
        os.replace(staging, out)
    except BaseException:
        if old is not None and not out.exists():
            os.replace(old / out.name, out)  # put the previous folder back
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def stage(folder: Path, pages: Mapping[str, str], previous: dict[str, str]) -> dict[str, str]:
    """Keep ``folder`` (a private folder: ``staging_folder``) holding ``pages``.

    Only pages whose text differs from ``previous`` (updated in place) are
    rewritten, so their modification times tell ``mkdocs serve --dirty``
    which pages to rebuild. Returns each page's file.
    """
    for gone in set(previous) - set(pages):
        folder.joinpath(*_safe(gone).parts).unlink(missing_ok=True)
        del previous[gone]
    base = os.path.join(folder, "")
    for rel, text in pages.items():
        if previous.get(rel) != text:
            target = folder.joinpath(*_safe(rel).parts)  # checked before its first write
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
            previous[rel] = text
    return {rel: base + rel for rel in pages}


def staging_folder(root: Path) -> Path:
    """A private folder for this process's staged pages, in the CRM's cache.

    ``.followup-cache/serve-<host>-<pid>`` (owner only, ignored by git), so a
    preview that is killed rather than stopped leaves its copies of the
    pages there, not in the system's temporary folder; the next preview on
    this machine removes those of processes that are gone. A CRM whose cache
    folder cannot be written stages in a private temporary folder.
    """
    cache = root / CACHE_DIR
    host = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname()) or "host"
    prefix = f"serve-{host}-"
    if ensure_folder(cache):
        for old in cache.glob(f"{prefix}*"):
            pid = old.name[len(prefix) :]
            if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
        folder = cache / f"{prefix}{os.getpid()}"
        try:
            shutil.rmtree(folder, ignore_errors=True)  # a previous run of this pid
            folder.mkdir(mode=0o700)
            return folder
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="followup-pages-"))


def running(pid: int) -> bool:
    """Whether process ``pid`` is still alive (of any user)."""
    return _running(pid)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True
