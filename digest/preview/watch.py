"""Notice files added, changed or removed under a few folders, by polling, with the standard library.

Polling needs no dependency and behaves the same on every file system (inotify misses changes on
network and some container mounts). A scan stats every file, so it is cheap next to a build even
for an archive of tens of thousands of articles; ``poll`` scans again until two scans agree, so
an editor that writes a file in several steps is seen once, after its last step.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

Stamp = tuple[int, int]  # (mtime_ns, size)


def ignored(name: str) -> bool:
    """Editors' backup, swap and lock files, and hidden files: never part of the site."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def scan(folders: Iterable[Path]) -> dict[Path, Stamp]:
    """Every file under ``folders`` with its stamp. Links are not followed (content allows none)."""
    found: dict[Path, Stamp] = {}
    todo = [str(f) for f in folders]
    while todo:
        folder = todo.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if ignored(entry.name):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            todo.append(entry.path)
                        else:
                            st = entry.stat(follow_symlinks=False)
                            found[Path(entry.path)] = (st.st_mtime_ns, st.st_size)
                    except OSError:
                        continue  # removed while we looked: the next scan says so
        except OSError:
            continue
    return found


class FolderWatcher:
    """The files under ``folders`` that changed since the last ``poll``."""

    def __init__(self, folders: Iterable[Path], settle_scans: int = 5) -> None:
        self.folders = [Path(f) for f in folders]
        self.settle_scans = settle_scans
        self._last = scan(self.folders)

    def poll(self) -> set[Path]:
        """Paths added, changed or removed since the previous poll (empty when nothing changed)."""
        current = scan(self.folders)
        if current == self._last:
            return set()
        for _ in range(self.settle_scans):  # until two scans in a row agree
            again = scan(self.folders)
            if again == current:
                break
            current = again
        changed = {p for p in current.keys() | self._last.keys() if current.get(p) != self._last.get(p)}
        self._last = current
        return changed
