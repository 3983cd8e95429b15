"""Stop the build on invalid content, with exactly the messages ``invoke check`` prints.

Pelican logs a reader's exception and goes on without the file. For a digest that would mean
an article silently missing from the site, so the whole content tree is validated first and
``ContentError`` (which aborts ``Pelican.run``) is raised before anything is read or written.

Validation parses every article; the reader takes that parse from the build state instead of
parsing again. The duplicate check and related articles need only these parsed articles, so
they start here, in a child process for big builds, while Pelican reads.
"""

from __future__ import annotations

import logging
from pathlib import Path

from digest.article_work import ArticleWork, article_work
from digest.check import check_paths
from digest.child import CHILD_MIN_ARTICLES, run_in_child
from digest.problems import ContentError, Problem
from digest.schema import Article

from .state import build_state

log = logging.getLogger(__name__)

RELATED_ARTICLES = 5  # how many related articles each article page lists


def _log_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        log.warning("%s", warning)


def _check(generator, setting: str, *, duplicates: bool) -> list[Article]:
    root = Path(generator.path)
    paths = [root / p for p in generator.settings[setting]]
    # A dangling link is kept, so that check_paths refuses it as it refuses every link in content.
    result = check_paths([p for p in paths if p.exists() or p.is_symlink()], duplicates=duplicates)
    _log_warnings(result.warnings)
    if result.errors:
        raise ContentError(result.errors)
    return result.articles


def check_articles(generator) -> None:
    """``article_generator_init``: validate the articles, keep them for the reader, start the article work."""
    # An article marked for review is checked but not published: the reader skips it, and nothing links to it.
    articles = [a for a in _check(generator, "ARTICLE_PATHS", duplicates=False) if not a.review]
    state = build_state(generator.settings)
    state.remember(articles)
    in_child = len(articles) >= int(generator.settings.get("ARTICLE_WORKER_MIN_ARTICLES", CHILD_MIN_ARTICLES))
    state.article_work = run_in_child(article_work, articles, RELATED_ARTICLES, in_child=in_child)


def check_pages(generator) -> None:
    """``page_generator_init``."""
    _check(generator, "PAGE_PATHS", duplicates=False)


def finished_article_work(generator) -> ArticleWork:
    """``article_generator_finalized``: every article is read; log the duplicate warnings before any
    page is written and keep the related articles for the taxonomy."""
    state = build_state(generator.settings)
    work = state.article_work.result()
    state.article_work = None
    _log_warnings(work.duplicate_warnings)
    return work
