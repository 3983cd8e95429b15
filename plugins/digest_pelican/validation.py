"""Stop the build on invalid content, with exactly the messages ``invoke check`` prints.

Pelican logs a reader's exception and goes on without the file. For a digest that would mean
an article silently missing from the site, so we validate the whole content tree first and
raise ``ContentError`` (which aborts ``Pelican.run``) before anything is read or written.

Validation parses every article; the reader then needs the very same parse. ``take_parsed``
hands it over (once, while the file is unchanged) so each file is parsed once per build:
YAML parsing is the largest cost of reading.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from digest.check import check_paths
from digest.problems import ContentError
from digest.schema import Article

log = logging.getLogger(__name__)

# Real path -> ((mtime_ns, size) when validated, the article). Filled by check_articles, emptied by the reader.
_parsed: dict[str, tuple[tuple[int, int], Article]] = {}


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _remember(articles: list[Article]) -> None:
    _parsed.clear()  # only this build's parses: never a previous build's
    for article in articles:
        real = os.path.realpath(article.path)
        stamp = _stamp(real)
        if stamp is not None:
            _parsed[real] = (stamp, article)


def take_parsed(path: str | Path) -> Article | None:
    """The article validation parsed from ``path`` in this build, if the file has not changed since."""
    real = os.path.realpath(path)
    entry = _parsed.pop(real, None)
    if entry is None or _stamp(real) != entry[0]:
        return None
    return entry[1]


def _check(generator, setting: str) -> list[Article]:
    root = Path(generator.path)
    paths = [root / p for p in generator.settings[setting]]
    result = check_paths([p for p in paths if p.exists()])
    for warning in result.warnings:
        log.warning("%s", warning)
    if result.errors:
        _parsed.clear()
        raise ContentError(result.errors)
    return result.articles


def check_articles(generator) -> None:
    _remember(_check(generator, "ARTICLE_PATHS"))


def check_pages(generator) -> None:
    _check(generator, "PAGE_PATHS")
