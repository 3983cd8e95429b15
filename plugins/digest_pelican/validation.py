"""Stop the build on invalid content, with exactly the messages ``invoke check`` prints.

Pelican logs a reader's exception and goes on without the file. For a digest that would mean
an article silently missing from the site, so we validate the whole content tree first and
raise ``ContentError`` (which aborts ``Pelican.run``) before anything is read or written.

Validation parses every article; the reader then needs the very same parse. ``take_parsed``
hands it over (once, while the file is unchanged) so each file is parsed once per build:
YAML parsing is the largest cost of reading.

The likely-duplicate check (``digest.duplicates``) only warns, and at 5,000 articles it costs
about 2 s: for big sites it runs in a child process while Pelican reads the articles, and its
warnings are logged once the articles are read (``report_duplicates``), before any page is written.
"""

from __future__ import annotations

import atexit
import logging
import os
from pathlib import Path

from digest.check import check_paths
from digest.duplicates import BackgroundDuplicates, duplicate_problems
from digest.problems import ContentError, Problem
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


# The duplicate check of the build in progress, when it runs in the background.
_duplicates: BackgroundDuplicates | None = None


@atexit.register
def _cancel_duplicates() -> None:
    """End the child of a build that stopped before ``report_duplicates``."""
    global _duplicates
    if _duplicates is not None:
        _duplicates.cancel()
        _duplicates = None


def _log_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        log.warning("%s", warning)


def _check(generator, setting: str, *, background_duplicates: bool = False) -> list[Article]:
    global _duplicates
    root = Path(generator.path)
    paths = [root / p for p in generator.settings[setting]]
    result = check_paths([p for p in paths if p.exists()], duplicates=not background_duplicates)
    _log_warnings(result.warnings)
    if background_duplicates:
        _cancel_duplicates()  # a child left by an earlier build that failed
        workers_from = int(generator.settings.get("DUPLICATES_WORKER_MIN_ARTICLES", 300))
        if result.errors or len(result.articles) < workers_from:
            _log_warnings(duplicate_problems(result.articles))  # cheap, or the build stops right here
        else:
            _duplicates = BackgroundDuplicates(result.articles)
    if result.errors:
        _parsed.clear()
        raise ContentError(result.errors)
    return result.articles


def check_articles(generator) -> None:
    _remember(_check(generator, "ARTICLE_PATHS", background_duplicates=True))


def report_duplicates(generator) -> None:
    """``article_generator_finalized``: log the background duplicate check's warnings."""
    global _duplicates
    job, _duplicates = _duplicates, None
    if job is not None:
        _log_warnings(job.result())


def check_pages(generator) -> None:
    _check(generator, "PAGE_PATHS")
