"""The import manifest: what the importer wrote, so a re-import never overwrites a hand edit.

One JSON file (``content/import-manifest.json`` for ``--into content/articles``), committed with
the content. For each article identity (source kind + normalised title) it records the file and
the SHA-256 of the exact bytes written. On re-import a file whose bytes still match is ours to
update; one that differs was edited by hand and is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from digest.problems import Problem

MANIFEST_NAME = "import-manifest.json"
VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Entry:
    path: str  # relative to the manifest's folder, with forward slashes
    sha256: str
    title: str
    date: str
    date_precision: str


@dataclass
class Manifest:
    file: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.file.parent

    def by_path(self) -> dict[str, str]:
        return {e.path: key for key, e in self.entries.items()}

    def to_json(self) -> str:
        data = {
            "version": VERSION,
            "note": "Written by `invoke import`: the hash of each imported file as written. Do not edit by hand.",
            "articles": {key: vars(self.entries[key]) for key in sorted(self.entries)},
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def manifest_for(into: Path) -> Path:
    """The manifest sits beside the articles folder: ``content/articles`` -> ``content/import-manifest.json``."""
    return into.resolve().parent / MANIFEST_NAME


def load(file: Path) -> tuple[Manifest, list[Problem]]:
    manifest = Manifest(file=file)
    if not file.exists():
        return manifest, []
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        for key, raw in data["articles"].items():
            manifest.entries[key] = Entry(
                **{k: str(raw[k]) for k in ("path", "sha256", "title", "date", "date_precision")}
            )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return manifest, [
            Problem(
                str(file), None, None, f"the import manifest cannot be read ({exc}); restore it from git or delete it"
            )
        ]
    return manifest, []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private (0600); give it the mode an ordinary write would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
