"""Notice files added, changed or removed under a few folders, through ``watchfiles``.

``watchfiles`` (a dependency of Pelican, pinned in requirements.txt) waits on the kernel's file
events (inotify on Linux), so watching costs nothing while nobody edits, however large the
archive: polling the mtimes of 5,000 articles four times a second would keep a core busy. Each
batch it yields holds every change made within ``STEP_MS`` of the last one, so an editor that
writes a file in several steps is seen once, after its last step.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

STEP_MS = 50  # a batch ends after this long without another change


def ignored(name: str) -> bool:
    """Editors' backup, swap and lock files, and hidden files: never part of the site."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def _wanted(_change, path: str) -> bool:
    return not ignored(Path(path).name)


def changes(folders: Iterable[Path], stop: threading.Event) -> Iterator[set[Path]]:
    """Each batch of paths added, changed or removed under ``folders``, until ``stop`` is set."""
    import watchfiles

    for batch in watchfiles.watch(*folders, watch_filter=_wanted, step=STEP_MS, stop_event=stop, raise_interrupt=False):
        yield {Path(path) for _change, path in batch}
