"""The search index's files, built from a stream of records and written as they are ready.

Indexing is pure Python and needs nothing from the pages, so the site build runs ``build_files``
in a child process (``digest.child``) while Pelican reads and writes (``feed``), feeding it one record at a
time; the child writes the scripts itself and answers with their sizes only.
"""

from __future__ import annotations

import gzip
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from digest.search.chunks import CHUNK_CHARS
from digest.search.index import (
    FACETS_GLOBAL_NAME,
    INDEX_FILES,
    META_GLOBAL_NAME,
    SNIPPET_CHARS,
    IndexBuilder,
    SearchRecord,
    docs_file,
    docs_script,
    script,
    terms_file,
    terms_script,
)
from digest.search.text import html_to_text

# Output name -> file under node_modules. Order matters: each needs the ones before it. The page
# loads lunr.js first; the index loads the Russian stemmer (``CYRILLIC_SCRIPTS``) only for Cyrillic.
VENDOR_SCRIPTS = {
    "lunr.min.js": "lunr/lunr.min.js",
    "lunr.stemmer.support.min.js": "lunr-languages/min/lunr.stemmer.support.min.js",
    "lunr.ru.min.js": "lunr-languages/min/lunr.ru.min.js",
}
FIRST_VENDOR_SCRIPTS = ("lunr.min.js",)
DECODER_SCRIPT = "js/compact-index.js"  # the theme's decoder of the compact index, under its static folder


@dataclass
class IndexFiles:
    """What the build needs from a finished index: where its files are and their sizes."""

    first_path: Path  # the script the page loads first (the meta)
    files: int
    raw: int  # every file
    first: int  # the index's meta and facets: what the page loads before its first query
    first_gzip: int
    record_count: int
    seconds: float  # inside the worker

    def describe(self) -> str:
        """One line for the build log."""
        return (
            f"{self.record_count} articles, {self.first / 1024:.1f} KB ({self.first_gzip / 1024:.1f} KB gzip) loaded "
            f"first, {self.files} files of {self.raw / 1024:.1f} KB in all, built in {self.seconds:.2f} s"
        )


class _Writer:
    """Writes scripts under one folder and keeps their sizes, so that no file is held once written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = self.raw = 0
        self._folders: set[Path] = set()  # made already: thousands of files go to a few folders

    def write(self, name: str, text: str) -> int:
        path = self.folder / name
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.files += 1
        self.raw += len(data)
        return len(data)


def build_files(
    records: Iterable[SearchRecord],
    folder: Path,
    snippet_chars: int = SNIPPET_CHARS,
    *,
    html_bodies: bool = False,
    chunk_chars: int = CHUNK_CHARS,
) -> IndexFiles:
    """Index ``records`` (refs 0..n-1 in any order, as they come) and write the index's scripts into ``folder``.

    Each document's script is written as its record arrives, and the records can be a stream
    (``digest.child``): the build never holds every record, every text or every file at once.
    With ``html_bodies`` each record's body is rendered HTML, turned into text here: in the
    worker, that work leaves the build's own process too.
    """
    started = time.perf_counter()
    builder = IndexBuilder(snippet_chars, searchable=False, chunk_chars=chunk_chars)
    writer = _Writer(folder)
    for record in records:
        if html_bodies:
            record = replace(record, body=html_to_text(record.body))
        writer.write(docs_file(record.ref), docs_script(record.ref, *builder.add(record)))
    meta, facets, chunks, _ = builder.finish()
    for i, chunk in enumerate(chunks):
        writer.write(terms_file(i), terms_script(i, chunk))
    first = [script(f"window.{META_GLOBAL_NAME}", meta), script(f"window.{FACETS_GLOBAL_NAME}", facets)]
    for name, text in zip(INDEX_FILES, first, strict=True):
        writer.write(name, text)
    first_bytes = "".join(first).encode("utf-8")
    return IndexFiles(
        first_path=folder / INDEX_FILES[0],
        files=writer.files,
        raw=writer.raw,
        first=len(first_bytes),
        first_gzip=len(gzip.compress(first_bytes, compresslevel=6, mtime=0)),
        record_count=builder.count,
        seconds=time.perf_counter() - started,
    )


def copy_vendor_scripts(node_modules: Path, folder: Path) -> None:
    """Copy lunr.js and the lunr-languages files from ``node_modules``: third-party code is copied
    at build time, never committed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in VENDOR_SCRIPTS.items():
        path = node_modules / source
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run `make` (npm ci) to install the search scripts")
        shutil.copyfile(path, folder / name)


def page_scripts(assets_dir: str, theme_static_dir: str) -> list[str]:
    """The scripts the search page loads, in load order, relative to the site's root: lunr.js, the
    theme's decoder, then the index's first files (the page takes their folder for the chunks)."""
    assets = assets_dir.strip("/")
    return [
        *(f"{assets}/{name}" for name in FIRST_VENDOR_SCRIPTS),
        f"{theme_static_dir.strip('/')}/{DECODER_SCRIPT}",
        *(f"{assets}/{name}" for name in INDEX_FILES),
    ]
