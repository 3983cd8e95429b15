"""Apply an import all at once: a staged copy of the articles folder is swapped in, as the build does.

The articles folder is copied beside itself (hard links, so it costs no disk space), the new and
changed articles are written into the copy, and only when every byte is on disk is the copy
swapped with the folder (``digest.build``'s swap: one ``renameat2`` call where the kernel offers
it). A full disk, an error or a Ctrl-C before that point leaves the articles folder exactly as it
was, so "nothing was written" is true. The manifest is prepared beside its file first and renamed
over it right after the swap. The build's lock and clean-up are used as they are: one import at a
time, and the staging folder of a killed import is removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from digest.build import STAGING_INFIX, build_lock, remove_leftovers, signals_deferred, swap_into_place
from digest.importer import manifest as mf


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link where the filesystem allows one; a copy elsewhere. Never written through: see write_atomic."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def apply(into: Path, files: Iterable[tuple[Path, bytes]], manifest_file: Path, manifest_data: bytes | None) -> None:
    """Write ``files`` (paths relative to ``into``) and the manifest, or change nothing at all.

    Raises whatever the filesystem raised (``OSError``) after removing the staged copy, or
    ``BuildError`` when another import into the same folder holds the lock.
    """
    target = into.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(target, "import"):
        remove_leftovers(target)
        _apply(target, files, manifest_file, manifest_data)


def _apply(target: Path, files: Iterable[tuple[Path, bytes]], manifest_file: Path, manifest_data: bytes | None) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_INFIX}", dir=target.parent))
    manifest_tmp: Path | None = None
    try:
        if target.is_dir():
            shutil.copytree(target, staging, symlinks=True, copy_function=_link_or_copy, dirs_exist_ok=True)
            os.chmod(staging, target.stat().st_mode & 0o7777)
        else:
            os.chmod(staging, 0o777 & ~mf.umask())
        for rel, data in files:
            mf.write_atomic(staging / rel, data)
        if manifest_data is not None:
            manifest_tmp = mf.write_temp(manifest_file, manifest_data)
        with signals_deferred():
            swap_into_place(staging, target)
            if manifest_tmp is not None:
                os.replace(manifest_tmp, manifest_file)
                manifest_tmp = None
    finally:
        # After the swap the staging path holds the old folder; after a failure, the unfinished copy.
        shutil.rmtree(staging, ignore_errors=True)
        if manifest_tmp is not None:
            manifest_tmp.unlink(missing_ok=True)
