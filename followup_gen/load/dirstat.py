"""Stat the files of listed folders, each relative to its open folder.

``memo.scan`` runs ``stat_dirs`` here and, for a large CRM, in a helper
process at the same time (``main``: a fresh ``python -I -S`` interpreter,
which imports only this module, so it starts in milliseconds). One loop
serves both, so both give the same stats.
"""

from __future__ import annotations

import marshal
import os
import sys

Listed = list[tuple[str, list[str]]]  # (folder, names of files in it)
Stat = tuple[int, int, int]  # size, mtime_ns, ctime_ns

# O_PATH needs only search permission on the folder, like stat by path.
_DIR_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0)


def stat_dirs(listed: Listed) -> list[Stat | None]:
    """Stat each listed file, relative to its open folder (shorter lookups);
    None for a file that cannot be."""
    found: list[Stat | None] = []
    stat = os.stat
    for top, names in listed:
        try:
            folder = os.open(top, _DIR_FLAGS)
        except OSError:  # gone, or not a folder any more: each file by its path
            folder, names = None, [os.path.join(top, name) for name in names]
        for name in names:
            try:
                got = stat(name, dir_fd=folder)
            except OSError:
                found.append(None)
                continue
            found.append((got.st_size, got.st_mtime_ns, got.st_ctime_ns))
        if folder is not None:
            os.close(folder)
    return found


def main() -> None:
    """The helper: the listing marshalled on stdin, its stats on stdout."""
    found = stat_dirs(marshal.loads(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(marshal.dumps(found))
