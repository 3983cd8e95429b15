"""What the build computes from the validated articles alone: duplicate warnings and related articles.

Neither needs Pelican's reading or rendering, so a big build runs this in a child process
(``digest.child.run_in_child``) while Pelican reads the articles, and streams the articles to it one
at a time: each body is read once, for its fingerprint, and then dropped (``digest.duplicates``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from digest.duplicates import duplicate_problems
from digest.problems import Problem
from digest.schema import Article
from digest.stats import RelatedIndex

RELATED_ARTICLES = 5  # how many related articles each article page lists


@dataclass
class ArticleWork:
    duplicate_warnings: list[Problem]
    related: dict[str, list[str]]  # slug -> the slugs of its related articles, best first


def article_work(articles: Iterable[Article], related_limit: int) -> ArticleWork:
    """The duplicate warnings of ``articles`` and, for each as readers see it, its related articles.
    ``articles`` is read once, one at a time."""
    shown: list[Article] = []  # what the pages are built from (digest_article), without the bodies

    def keeping_shown(stream: Iterable[Article]) -> Iterator[Article]:
        for article in stream:
            shown.append(dataclasses.replace(article, body="").for_display())
            yield article

    problems = duplicate_problems(keeping_shown(articles))
    index = RelatedIndex(shown)
    related = {a.slug: [r.slug for r in index.related(a, related_limit)] for a in shown}
    return ArticleWork(problems, related)
