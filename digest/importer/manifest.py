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
from pathlib import Path, PurePosixPath, PureWindowsPath

from digest.problems import Problem, display_path

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
    url: str | None = None  # the article's own link, for feeds and pages: how a re-import recognises it
    guid: str | None = None  # a feed entry's id
    imported: str | None = None  # the day it was first written (source.imported), kept on every re-import

    def as_json(self) -> dict:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class Manifest:
    file: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # article key -> its line in the JSON file

    @property
    def root(self) -> Path:
        return self.file.parent

    def by_path(self) -> dict[str, str]:
        return {e.path: key for key, e in self.entries.items()}

    def to_json(self) -> str:
        data = {
            "version": VERSION,
            "note": "Written by `invoke import`: the hash of each imported file as written. Do not edit by hand.",
            "articles": {key: self.entries[key].as_json() for key in sorted(self.entries)},
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def manifest_for(into: Path) -> Path:
    """The manifest sits beside the articles folder: ``content/articles`` -> ``content/import-manifest.json``."""
    return into.resolve().parent / MANIFEST_NAME


REQUIRED = ("path", "sha256", "title", "date", "date_precision")
OPTIONAL = ("url", "guid", "imported")
RESTORE = "restore it from git or delete it"


def load(file: Path) -> tuple[Manifest, list[Problem]]:
    """The manifest in ``file`` (empty when there is none), or the problems that make it unusable: each
    names the line and the field, as a hand edit or a bad merge leaves it."""
    manifest = Manifest(file=file)
    if not file.exists():
        return manifest, []
    shown = display_path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        return manifest, [Problem(shown, None, None, f"the import manifest cannot be read: {why}; {RESTORE}")]
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        why = getattr(exc, "msg", "it is not JSON")
        return manifest, [Problem(shown, line, None, f"the import manifest is not valid JSON: {why}; {RESTORE}")]
    articles = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(articles, dict):
        return manifest, [Problem(shown, None, "articles", f"must be an object of imported articles; {RESTORE}")]
    problems = []
    for key, raw in articles.items():
        at = text.find(json.dumps(key, ensure_ascii=False))
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        if not isinstance(raw, dict):
            problems.append(Problem(shown, line, "articles", f"the entry for this article is not an object; {RESTORE}"))
            continue
        wrong = [
            Problem(shown, line, k, f"is missing from this article's entry; {RESTORE}")
            if k not in raw
            else Problem(shown, line, k, f"must be text, not {_json_type(raw[k])}; {RESTORE}")
            for k in (*REQUIRED, *OPTIONAL)
            if (k in REQUIRED or raw.get(k) is not None) and not isinstance(raw.get(k), str)
        ]
        problems += wrong
        if not wrong:
            manifest.entries[key] = Entry(**{k: raw[k] for k in REQUIRED}, **{k: raw.get(k) for k in OPTIONAL})
            manifest.lines[key] = line or 1
    return manifest, problems


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    names = {dict: "an object", list: "a list", int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), "another type")


def unsafe_path(rel: str, into: Path, root: Path) -> str | None:
    """Why ``rel`` (relative to ``root``) may not be read or written by an import into ``into``; None if it may.

    A path from data must stay inside the articles folder: not absolute, no ``..``, and no symlink
    on the way that leads out of it.
    """
    if not rel or "\\" in rel or PurePosixPath(rel).is_absolute() or PureWindowsPath(rel).anchor:
        return "is not a relative path with forward slashes"
    if ".." in PurePosixPath(rel).parts:
        return "climbs out of its folder with '..'"
    articles = into.resolve()
    if not (root / rel).resolve().is_relative_to(articles) or (root / rel).resolve() == articles:
        return f"points outside the articles folder {articles.name}/ (through a symlink or another folder)"
    return None


def confinement_problems(manifest: Manifest, into: Path) -> list[Problem]:
    """Every path the manifest names must resolve inside ``into``; otherwise the import must not start."""
    shown = display_path(manifest.file)
    problems = []
    for key, entry in sorted(manifest.entries.items()):
        why = unsafe_path(entry.path, into, manifest.root)
        if why is not None:
            problems.append(
                Problem(
                    shown,
                    manifest.lines.get(key),
                    "path",
                    f"{_quoted(entry.path)} {why}; restore the manifest from git",
                )
            )
    return problems


def _quoted(text: str, limit: int = 80) -> str:
    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, with the mode an ordinary write would give."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private (0600); give it the mode an ordinary write would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file
    (and a hard link to the old file is replaced, never written through)."""
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
