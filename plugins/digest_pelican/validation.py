"""Stop the build on invalid content, with exactly the messages ``invoke check`` prints.

Pelican logs a reader's exception and goes on without the file. For a digest that would mean
an article silently missing from the site, so we validate the whole content tree first and
raise ``ContentError`` (which aborts ``Pelican.run``) before anything is read or written.

Validation parses every article; the reader then needs the very same parse. ``take_parsed``
hands it over (once, while the file is unchanged) so each file is parsed once per build:
YAML parsing is the largest cost of reading.

The likely-duplicate check (``digest.duplicates``) only warns, and at 5,000 articles it costs
about 2 s: for big sites it runs in a child process while Pelican reads the articles, together
with the related articles (``digest.build.BackgroundArticleWork``), and its warnings are logged
once the articles are read (``report_duplicates``), before any page is written. Big builds also
start ``digest.prerender.BackgroundRender``, which renders Markdown bodies on the second core from
the end of Pelican's reading order while the reader renders from the start; ``take_parsed``
hands over a body it rendered.
"""

from __future__ import annotations

import atexit
import logging
import os
from pathlib import Path

from digest.build import ArticleWork, BackgroundArticleWork
from digest.check import check_paths
from digest.duplicates import duplicate_problems
from digest.prerender import BackgroundRender
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
            _parsed[real] = (stamp, article.for_display())  # once, for the reader and the render helper


def take_parsed(path: str | Path) -> tuple[Article, str | None] | None:
    """The article validation parsed from ``path`` in this build, as readers see it (``for_display``),
    if the file has not changed since, with its body already rendered by the helper (or None: the
    reader renders it)."""
    real = os.path.realpath(path)
    entry = _parsed.pop(real, None)
    html = _render.take(real) if _render is not None else None
    if entry is None or _stamp(real) != entry[0]:
        return None
    return entry[1], html


def _start_render(generator) -> None:
    """Render bodies in the background, from the end of the order in which Pelican will read them."""
    global _render
    files = generator.get_files(generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"])
    order = (os.path.realpath(os.path.join(generator.path, f)) for f in files)  # the set Pelican iterates, same order
    items = [(real, _parsed[real][1].body) for real in order if real in _parsed]
    _render = BackgroundRender(items)


def _stop_render() -> None:
    global _render
    if _render is not None:
        _render.close()
        log.debug("%d of %d article bodies were rendered in the background", _render.handed_over, _render.total)
        _render = None


RELATED_ARTICLES = 5  # how many related articles each article page lists

# The background work of the build in progress, then its result (taken by report_duplicates and taxonomy).
_background: BackgroundArticleWork | None = None
_work: ArticleWork | None = None
# Bodies rendered in the background while Pelican reads (big builds only); stopped once reading ends.
_render: BackgroundRender | None = None


@atexit.register
def _cancel_background() -> None:
    """End the child of a build that stopped before its result was taken."""
    global _background, _work
    if _background is not None:
        _background.cancel()
    _background = _work = None
    _stop_render()


def _log_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        log.warning("%s", warning)


def _check(generator, setting: str, *, in_background: bool = False) -> list[Article]:
    global _background
    root = Path(generator.path)
    paths = [root / p for p in generator.settings[setting]]
    result = check_paths([p for p in paths if p.exists()], duplicates=not in_background)
    _log_warnings(result.warnings)
    if in_background:
        _cancel_background()  # a child left by an earlier build that failed
        workers_from = int(generator.settings.get("ARTICLE_WORKER_MIN_ARTICLES", 300))
        if result.errors or len(result.articles) < workers_from:
            _log_warnings(duplicate_problems(result.articles))  # cheap, or the build stops right here
        else:
            _background = BackgroundArticleWork(result.articles, RELATED_ARTICLES)
    if result.errors:
        _parsed.clear()
        _cancel_background()  # pages are checked after the articles' helpers have started
        raise ContentError(result.errors)
    return result.articles


def check_articles(generator) -> None:
    _remember(_check(generator, "ARTICLE_PATHS", in_background=True))
    if _background is not None:  # a build big enough for helper processes
        _start_render(generator)


def background_work() -> ArticleWork | None:
    """The background work of this build (waiting for it if need be); None when there is none."""
    global _background, _work
    if _background is not None:
        job, _background = _background, None
        _work = job.result()
        _log_warnings(_work.duplicate_warnings)
    return _work


def report_duplicates(generator) -> None:
    """``article_generator_finalized``: log the background duplicate check's warnings; every
    article is read, so the render helper's work is done."""
    _stop_render()
    background_work()


def forget_background_work(pelican) -> None:
    """``finalized``: this build's related articles are not the next build's."""
    _cancel_background()


def check_pages(generator) -> None:
    _check(generator, "PAGE_PATHS")
