"""One adapter per kind of source, each turning one input file into a ``ParsedPage`` of ``RawArticle``s.

Everything after the adapter is shared (``digest.importer.run``): classification, validation,
duplicate detection, the manifest and writing. An adapter is a module with

- ``KIND``: its name in the run's table;
- ``recognises(head: bytes) -> bool``: whether the file's first bytes are this kind's;
- ``read(path, shown) -> tuple[ParsedPage | None, list[Problem]]``: the articles, or why there are none.

``ADAPTERS`` is tried in order; the listing adapter comes last, as it takes any text. Adding a kind
means adding a module here, listing it in ``ADAPTERS`` and giving it fixtures in ``tests/fixtures/sources/``.
"""

from __future__ import annotations

from pathlib import Path

from digest.importer.model import ImportFailure, ParsedPage, internal_error
from digest.importer.sources import feed, listing, page
from digest.problems import Problem

ADAPTERS = (feed, page, listing)
HEAD_BYTES = 4096


def adapter_for(path: Path):
    """The adapter for a file, from its first bytes (an unreadable file goes to the listing adapter,
    which says why it cannot be read)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return listing
    return next(a for a in ADAPTERS if a.recognises(head))


def read_source(path: Path, shown: str) -> tuple[ParsedPage | None, list[Problem]]:
    """Read one input with its adapter; an adapter's bug still ends as one clear problem, never a traceback."""
    adapter = adapter_for(path)
    try:
        return adapter.read(path, shown)
    except ImportFailure as exc:
        return None, exc.problems
    except Exception as exc:  # the last guard: one line naming the file
        return None, [Problem(shown, None, None, f"could not be read as a {adapter.KIND} ({internal_error(exc)})")]
