"""Stop the build on invalid content, with exactly the messages ``invoke check`` prints.

The whole content tree is validated (``digest.check.check_for_build``) before anything is read or written.
Validation parses every article once: the reader takes the parse from the build state, and the duplicate check
and related articles start on each article as soon as it is parsed (in a child process for big builds).
"""

from __future__ import annotations

import logging

from digest.article_work import RELATED_ARTICLES, ArticleWork, article_work
from digest.build_state import build_state
from digest.check import check_for_build
from digest.child import CHILD_MIN_ARTICLES, GrowingStream

log = logging.getLogger(__name__)


def check_articles(generator) -> None:
    """``article_generator_init``: validate the articles, keep them for the reader, start the article work."""
    state, settings = build_state(generator.settings), generator.settings
    minimum = int(settings.get("ARTICLE_WORKER_MIN_ARTICLES", CHILD_MIN_ARTICLES))
    with GrowingStream(article_work, RELATED_ARTICLES, minimum=minimum) as work:  # ended if validation fails
        # An article marked for review is checked but not published: the reader skips it, and nothing links to it.
        articles = check_for_build(generator.path, settings["ARTICLE_PATHS"], work.offer)
        state.remember([a for a in articles if not a.review])
        state.article_work = work.end()


def check_pages(generator) -> None:
    """``page_generator_init``."""
    check_for_build(generator.path, generator.settings["PAGE_PATHS"])


def finished_article_work(generator) -> ArticleWork:
    """``article_generator_finalized``: every article is read; log the duplicate warnings before any
    page is written and keep the related articles for the taxonomy."""
    state = build_state(generator.settings)
    work = state.article_work.result()
    state.article_work = None
    for warning in work.duplicate_warnings:
        log.warning("%s", warning)
    return work
