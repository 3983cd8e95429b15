"""What each article's page links to besides itself: its country and topic, its related articles and
its neighbours in time.

Plain Python over any objects that carry their validated record as ``digest_article`` and a ``date``:
Pelican's articles in a build, and copies of a few of them in the live preview (``digest.preview``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from digest import stats
from digest.article_work import RELATED_ARTICLES, article_work


def attach_to_articles(articles: list, terms: Mapping[str, Sequence], related: dict[str, list[str]]) -> None:
    """Give each article its country and topic terms (``terms["countries"]``, ``terms["topics"]``),
    related articles and neighbours in time.

    ``related`` (slug -> related slugs) is what ``digest.article_work`` ranked from the validated
    articles; a file edited between validation and reading changes the set, and then it is ranked again.
    """
    countries = {c.code: c for c in terms["countries"]}
    topics = {t.slug: t for t in terms["topics"]}
    records = [a.digest_article for a in articles]
    by_slug = {a.digest_article.slug: a for a in articles}
    timeline = [by_slug[r.slug] for r in stats.newest_first(records)]
    if related.keys() != by_slug.keys():
        related = article_work(records, RELATED_ARTICLES).related
    for i, article in enumerate(timeline):
        record = article.digest_article
        article.country_objects = [countries[c] for c in record.countries]
        article.topic_object = topics[record.topic]
        article.related_articles = [by_slug[slug] for slug in related[record.slug]]
        article.newer_article = timeline[i - 1] if i > 0 else None
        article.older_article = timeline[i + 1] if i + 1 < len(timeline) else None
        # Every card and page shows the date as YYYY-MM-DD: once here, not Pelican's strftime per card.
        article.iso_date = article.date.strftime("%Y-%m-%d")
