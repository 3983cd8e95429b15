"""The search index's files and their sizes, built from records in one call.

Indexing is pure Python (lunr.py) and needs nothing from the pages, so the site build runs
``build_files`` in a child process (``digest.child``) while Pelican writes the pages; it returns
plain data (the files and their sizes), never lunr objects, so that its answer pickles small.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from digest.search.chunks import CHUNK_CHARS
from digest.search.index import INDEX_FILES, SNIPPET_CHARS, SearchRecord, build_index
from digest.search.text import html_to_text

# Output name -> file under node_modules. Order matters: each needs the ones before it. The page
# loads lunr.js first; the index loads the Russian stemmer (``CYRILLIC_SCRIPTS``) only for Cyrillic.
VENDOR_SCRIPTS = {
    "lunr.min.js": "lunr/lunr.min.js",
    "lunr.stemmer.support.min.js": "lunr-languages/min/lunr.stemmer.support.min.js",
    "lunr.ru.min.js": "lunr-languages/min/lunr.ru.min.js",
}
FIRST_VENDOR_SCRIPTS = ("lunr.min.js",)


@dataclass
class IndexFiles:
    """What the build needs from a finished index: the files and their sizes, never the lunr objects."""

    files: dict[str, str]
    raw: int  # every file
    gzip: int
    first: int  # the index's meta and facets: what the page loads before its first query
    first_gzip: int
    record_count: int
    seconds: float  # inside the worker

    def describe(self) -> str:
        """One line for the build log."""
        return (
            f"{self.record_count} articles, {self.first / 1024:.1f} KB ({self.first_gzip / 1024:.1f} KB gzip) loaded "
            f"first, {len(self.files)} files of {self.raw / 1024:.1f} KB in all, built in {self.seconds:.2f} s"
        )


def build_files(
    records: Sequence[SearchRecord],
    snippet_chars: int = SNIPPET_CHARS,
    *,
    html_bodies: bool = False,
    chunk_chars: int = CHUNK_CHARS,
) -> IndexFiles:
    """Build the index and measure it (the sizes are for the build log).

    With ``html_bodies`` each record's body is rendered HTML, turned into text here: in the
    worker, that work leaves the build's own process too.
    """
    started = time.perf_counter()
    if html_bodies:
        records = [replace(r, body=html_to_text(r.body)) for r in records]
    index = build_index(records, snippet_chars, searchable=False, chunk_chars=chunk_chars)
    return IndexFiles(
        files=index.files(), **index.sizes(), record_count=index.record_count, seconds=time.perf_counter() - started
    )


def write_files(index: IndexFiles, folder: Path) -> Path:
    """Write the index's scripts into ``folder``; return the path of the one the page loads first (its meta)."""
    for name, text in index.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / INDEX_FILES[0]


def copy_vendor_scripts(node_modules: Path, folder: Path) -> None:
    """Copy lunr.js and the lunr-languages files from ``node_modules``: third-party code is copied
    at build time, never committed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in VENDOR_SCRIPTS.items():
        path = node_modules / source
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run `make` (npm ci) to install the search scripts")
        shutil.copyfile(path, folder / name)
