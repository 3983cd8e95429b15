"""The search index's files and their sizes, built from records in one call.

Indexing is pure Python (lunr.py) and needs nothing from the pages, so the site build runs
``build_files`` in a child process (``digest.child``) while Pelican writes the pages; it returns
plain data (the files and their sizes), never lunr objects, so that its answer pickles small.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from digest.search.index import SNIPPET_CHARS, SearchRecord, build_index
from digest.search.text import html_to_text


@dataclass
class IndexFiles:
    """What the build needs from a finished index: the files and their sizes, never the lunr objects."""

    files: dict[str, str]
    raw: int  # every file
    gzip: int
    first: int  # the index script alone: what the page loads before its first results
    first_gzip: int
    record_count: int
    seconds: float  # inside the worker


def build_files(
    records: Sequence[SearchRecord], snippet_chars: int = SNIPPET_CHARS, *, html_bodies: bool = False
) -> IndexFiles:
    """Build the index and measure it (the sizes are for the build log).

    With ``html_bodies`` each record's body is rendered HTML, turned into text here: in the
    worker, that work leaves the build's own process too.
    """
    started = time.perf_counter()
    if html_bodies:
        records = [replace(r, body=html_to_text(r.body)) for r in records]
    index = build_index(records, snippet_chars, searchable=False)
    return IndexFiles(
        files=index.files(), **index.sizes(), record_count=index.record_count, seconds=time.perf_counter() - started
    )
