"""Drive a Pelican build, atomically: the output directory is replaced only by a finished build.

Pelican writes into a fresh staging directory beside the target (``.NAME.building-*``). Only
when the whole build succeeded is the old output renamed aside and the staging directory renamed
into its place. A build that fails part-way (an invalid article, a plugin or template exception,
Ctrl-C) leaves the previous output exactly as it was.

A lock file (``.NAME.lock``, ``flock``, removed when the build ends) keeps two builds from
swapping into the same folder at once, and lets the next build recognise what a killed build
left behind: any staging folder found while holding the lock is stale and removed, and an old
output stranded by a build killed between the two renames is put back.

This is the one module of the ``digest`` package that imports Pelican, and it does so lazily.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from digest import REPO_ROOT

STAGING_INFIX = ".building-"
OLD_INFIX = ".old-"
# The settings key under which the site's plugin keeps what one build holds (its children, the
# articles it parsed, the search index it wrote). Closed by the plugin on ``finalized`` and here,
# whatever happens, so a failed build leaves no child process behind.
BUILD_STATE = "DIGEST_BUILD_STATE"


@dataclass
class BuildResult:
    output: Path
    seconds: float
    files: int
    search_index: Path | None = None  # the index script the search plugin wrote, if any


class BuildError(Exception):
    """The build failed; the previous output is untouched. ``messages``: one line each."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


def pelican_settings(settings_file: Path | str, overrides: dict | None = None) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=overrides or {})


def build_site(
    settings_file: Path | str = REPO_ROOT / "pelicanconf.py",
    output: Path | str | None = None,
    overrides: dict | None = None,
    *,
    debug: bool = False,
) -> BuildResult:
    """Build the site into ``output`` (default: the settings' OUTPUT_PATH), atomically.

    Raises ContentError for invalid content and BuildError for a failed or refused build; any
    other exception (a plugin's, a template's, KeyboardInterrupt) propagates. In every case the
    previous output is left as it was and no staging folder remains.
    """
    from pelican import Pelican

    started = time.perf_counter()
    settings_file = Path(settings_file)
    if not settings_file.is_file():
        raise BuildError(f"{settings_file}: the Pelican settings file does not exist; pass an existing one")
    overrides = dict(overrides or {})
    if debug:
        overrides["DEBUG"] = True
    settings = pelican_settings(settings_file, overrides)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    refuse_dangerous_target(target, settings, settings_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(target):
        remove_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_INFIX}", dir=target.parent))
        swapped = False
        try:
            overrides.update(OUTPUT_PATH=str(staging), DELETE_OUTPUT_DIRECTORY=False)
            settings = pelican_settings(settings_file, overrides)
            try:
                _run_pelican(Pelican(settings))
            finally:
                state = settings.get(BUILD_STATE)
                if state is not None:
                    state.close()
            index = getattr(state, "search_index", None)
            files = count_files(staging)
            if files == 0:
                raise BuildError(f"{target}: the build wrote no files; check the theme and the content PATH")
            os.chmod(staging, 0o755)  # mkdtemp makes it 0700; the output is published as is
            with signals_deferred():
                swap_into_place(staging, target)
                swapped = True
        finally:
            # After a successful exchange the staging path holds the old output; after a
            # failure it holds the half-built site. Either way it goes. A Ctrl-C while the old
            # output is being deleted must not report the finished build as failed: the next
            # build removes what is left.
            try:
                shutil.rmtree(staging, ignore_errors=True)
            except KeyboardInterrupt:
                if not swapped:
                    raise
    return BuildResult(
        output=target,
        seconds=time.perf_counter() - started,
        files=files,
        search_index=target / index if index else None,
    )


def count_files(root: Path) -> int:
    """The files under ``root``. ``os.walk`` reads each folder once and needs no ``stat`` per file."""
    return sum(len(files) for _folder, _dirs, files in os.walk(root))


def refuse_dangerous_target(target: Path, settings: dict, settings_file: Path) -> None:
    """The swap replaces the whole target folder: never let that be the content, the repo or home."""
    content = Path(settings["PATH"]).resolve()
    theme = Path(settings.get("THEME") or REPO_ROOT).resolve()
    protected = {
        content: "the content folder",
        theme: "the theme",
        settings_file.resolve().parent: "the folder of the settings file",
        REPO_ROOT.resolve(): "the repository",
        Path.home().resolve(): "your home folder",
    }
    for path, what in protected.items():
        if target == path or target in path.parents:
            raise BuildError(
                f"{target}: refusing to build there, it would replace {what} ({path}); choose another --output"
            )
    if target.is_relative_to(content):
        raise BuildError(f"{target}: refusing to build inside the content folder {content}; choose another --output")
    if target.exists() and not target.is_dir():
        raise BuildError(f"{target}: exists and is not a folder; remove it or choose another --output")
    if target.is_dir() and not (target / "index.html").exists() and any(target.iterdir()):
        raise BuildError(
            f"{target}: is not empty and has no index.html, so it does not look like a built site and will not "
            "be replaced; empty it or choose another --output"
        )


@contextlib.contextmanager
def build_lock(target: Path, activity: str = "build") -> Iterator[None]:
    """Hold ``.NAME.lock`` beside the target for the whole build; the kernel frees it if we die.

    The file is removed when the build ends, so nothing is left beside the output. Removing a
    lock file is safe only with the inode check: a process that opened the old file before it was
    removed finds, once it holds the lock, that the path no longer names that file, and tries again.
    """
    lock_path = target.parent / f".{target.name}.lock"
    for _attempt in range(5):
        handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the whole build
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise BuildError(
                f"{target}: another {activity} into this folder is running (pid {holder}); wait for it to finish"
            ) from None
        try:
            current = os.stat(lock_path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(handle.fileno()).st_ino:
            break
        handle.close()  # we locked a file that a finishing build had already removed
    else:
        raise BuildError(f"{target}: could not take the build lock {lock_path}; try again")
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def leftovers(target: Path) -> list[Path]:
    """Staging and old-output folders of earlier builds into ``target``."""
    prefixes = (f".{target.name}{STAGING_INFIX}", f".{target.name}{OLD_INFIX}")
    if not target.parent.is_dir():
        return []
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefixes))


def remove_leftovers(target: Path) -> list[Path]:
    """Clean up after a killed build. Call only while holding the lock: then nothing here is live.

    If the target is missing but an old output survives (a build killed between the two renames
    of the fallback swap), the old output is put back first: it is the last good site.
    """
    found = leftovers(target)
    olds = [p for p in found if OLD_INFIX in p.name and p.is_dir()]
    if not target.exists() and olds:
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        newest.rename(target)
        found.remove(newest)
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return found


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM for the few system calls of the swap, then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.getsignal(sig) for sig in wanted}
    for sig in wanted:
        signal.signal(sig, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for number in received:
            signal.raise_signal(number)


class ErrorCounter(logging.Handler):
    """Collects errors Pelican logs but survives (a template error, an unreadable file)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Pelican logs "Could not process x.md" with exc_info only in DEBUG mode; the exception is
        # still the one being handled right now, and it is the part that says what is wrong.
        exc = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if exc is not None and str(exc) not in message:
            message = f"{message}: {type(exc).__name__}: {exc}"
        self.messages.append(" ".join(message.split()))


def _run_pelican(pelican) -> None:
    counter = ErrorCounter()
    root = logging.getLogger()
    root.addHandler(counter)
    try:
        pelican.run()
    finally:
        root.removeHandler(counter)
    if counter.messages:
        raise BuildError(counter.messages)


def swap_into_place(staging: Path, target: Path) -> None:
    """Put the finished build at ``target``; the old output ends up at ``staging``."""
    if not target.exists():
        staging.rename(target)
        staging.mkdir()  # keep the caller's cleanup of ``staging`` uniform
        return
    old = target.with_name(f".{target.name}{OLD_INFIX}{os.getpid()}")
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    old.rename(staging)
