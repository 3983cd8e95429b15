"""Drive a Pelican build, atomically: the output directory is replaced only by a finished build.

Pelican writes into a fresh temporary directory beside the target; when the whole build
succeeds, the old output is swapped out and the new one renamed into place. A build that fails
part-way (an invalid article, a plugin exception) leaves the previous output exactly as it was.
This is the one module of the ``digest`` package that imports Pelican, and it does so lazily.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from digest import REPO_ROOT


@dataclass
class BuildResult:
    output: Path
    seconds: float
    files: int


class BuildError(Exception):
    """The build failed; the previous output is untouched."""


def pelican_settings(settings_file: Path | str, overrides: dict | None = None) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=overrides or {})


def build_site(
    settings_file: Path | str = REPO_ROOT / "pelicanconf.py",
    output: Path | str | None = None,
    overrides: dict | None = None,
) -> BuildResult:
    """Build the site into ``output`` (default: the settings' OUTPUT_PATH), atomically."""
    from pelican import Pelican

    started = time.perf_counter()
    overrides = dict(overrides or {})
    settings = pelican_settings(settings_file, overrides)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        overrides.update(OUTPUT_PATH=str(staging), DELETE_OUTPUT_DIRECTORY=False)
        settings = pelican_settings(settings_file, overrides)
        _run_pelican(Pelican(settings))
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sum(1 for p in target.rglob("*") if p.is_file())
    return BuildResult(output=target, seconds=time.perf_counter() - started, files=files)


class _ErrorCounter(logging.Handler):
    """Counts errors Pelican logs but survives (a template error, an unreadable file)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run_pelican(pelican) -> None:
    counter = _ErrorCounter()
    root = logging.getLogger()
    root.addHandler(counter)
    try:
        pelican.run()
    finally:
        root.removeHandler(counter)
    if counter.messages:
        raise BuildError("the build logged errors:\n" + "\n".join(counter.messages))


def _swap_into_place(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    staging.rename(target)
    staging_mode = 0o755
    os.chmod(target, staging_mode)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
