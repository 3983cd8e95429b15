"""Countries and topics as Pelican taxonomies, the way Pelican models categories and tags.

``Country``, ``Topic`` and ``CountryTopic`` are ``URLWrapper`` subclasses, so their URLs and
output paths come from the ``COUNTRY_URL``/``COUNTRY_SAVE_AS`` (and ``TOPIC_*``,
``COUNTRY_TOPIC_*``) settings and can be switched, for the offline bundle, by settings alone.

On ``article_generator_finalized`` this module wraps the figures of ``digest.taxonomy`` (plain
Python), puts them and the map of the region (``digest.map``) into the shared context and attaches
them to each article before any page is written.
"""

from __future__ import annotations

import functools
import os
from typing import NamedTuple

from pelican.urlwrappers import URLWrapper

from digest import stats
from digest.article_work import article_work
from digest.map import region_map_for_build
from digest.taxonomy import taxonomy
from digest.templating import new_fragment_cache
from digest.vocab import vocabulary

from .state import build_state
from .validation import RELATED_ARTICLES, finished_article_work


class _Term(URLWrapper):
    """A taxonomy term with its articles and figures; the slug is fixed, never slugified."""

    setting = ""  # the settings' prefix: COUNTRY for COUNTRY_URL and COUNTRY_SAVE_AS

    def __init__(self, name: str, slug: str, settings: dict, articles: list, year_series: list) -> None:
        super().__init__(name, settings)
        self.slug = slug
        self.articles = articles
        self.year_series = year_series
        self.kind = self.setting.lower()

    @property
    def name(self) -> str:
        """The name in the language pages are being written in (``digest.i18n``)."""
        return build_state(self.settings).languages.current.term_name(self)

    def _from_settings(self, key: str, get_page_name: bool = False) -> str:
        value = str(self.settings[f"{self.setting}_{key}"])
        return (os.path.splitext(value)[0] if get_page_name else value).format(**self.as_dict())

    # Formatted once: every card on every page links its country and topic. The slug is fixed.
    page_name = functools.cached_property(functools.partial(_from_settings, key="URL", get_page_name=True))
    url = functools.cached_property(functools.partial(_from_settings, key="URL"))
    save_as = functools.cached_property(functools.partial(_from_settings, key="SAVE_AS"))

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def feed_url(self) -> str | None:
        """The Atom feed's path (joined to SITEURL or FEED_DOMAIN), or None when feeds are off."""
        pattern = self.settings.get(f"{self.setting}_FEED_ATOM")
        return pattern.format(slug=self.slug) if pattern else None


class Country(_Term):
    """A country that has articles; slug is the lower-case ISO code (``/countries/kz/``)."""

    setting = "COUNTRY"

    def __init__(self, code: str, *args) -> None:
        super().__init__(vocabulary().country_name(code), code.lower(), *args)
        self.code = code
        self.topic_breakdown: list[tuple[CountryTopic, int]] = []
        self.related: list[tuple[Country, int]] = []


class Topic(_Term):
    """A topic of the vocabulary; the description leads its page."""

    setting = "TOPIC"

    def __init__(self, slug: str, *args) -> None:
        vocab = vocabulary()
        super().__init__(vocab.topic_label(slug), slug, *args)
        self.country_breakdown: list[tuple[CountryTopic, int]] = []

    @property
    def description(self) -> str:
        return build_state(self.settings).languages.current.topic_description(self.slug)


class CountryTopic(_Term):
    """One country's articles on one topic (``/countries/kz/media-freedom/``)."""

    setting = "COUNTRY_TOPIC"

    def __init__(self, country: Country, topic: Topic, *args) -> None:
        super().__init__(f"{topic.name} in {country.name}", f"{country.slug}-{topic.slug}", *args)
        self.country_slug, self.topic_slug = country.slug, topic.slug
        self.country, self.topic = country, topic


class MatrixRow(NamedTuple):
    country: Country
    cells: list[tuple[Topic, CountryTopic | None, int]]


def build_taxonomy(articles: list, settings: dict) -> dict:
    """The figures of ``digest.taxonomy``, wrapped for Pelican's articles, as the templates' context."""
    plan = taxonomy([a.digest_article for a in articles])
    by_slug = {a.digest_article.slug: a for a in articles}

    def pages(records: list) -> list:
        return [by_slug[r.slug] for r in records]

    countries = {t.key: Country(t.key, settings, pages(t.articles), t.year_series) for t in plan.countries}
    topics = {t.key: Topic(t.key, settings, pages(t.articles), t.year_series) for t in plan.topics}
    pairs = {
        (code, slug): CountryTopic(countries[code], topics[slug], settings, pages(items), [])
        for (code, slug), items in plan.pairs.items()
    }
    for t in plan.countries:
        countries[t.key].topic_breakdown = [(pairs[(t.key, slug)], n) for slug, n in t.breakdown]
        countries[t.key].related = [(countries[code], n) for code, n in t.related]
    for t in plan.topics:
        topics[t.key].country_breakdown = [(pairs[(code, t.key)], n) for code, n in t.breakdown]
    grid = plan.matrix
    rows = [
        MatrixRow(countries[code], [(topics[t], pairs.get((code, t)), grid.count(code, t)) for t in grid.columns])
        for code in grid.rows
    ]
    return {
        "countries": list(countries.values()),
        "topics": list(topics.values()),
        "country_topics": sorted(pairs.values(), key=lambda ct: (ct.country_slug, ct.topic_slug)),
        "matrix_columns": [topics[t] for t in grid.columns],
        "matrix_rows": rows,
    }


def attach_to_articles(articles: list, taxonomy: dict, related: dict[str, list[str]]) -> None:
    """Give each article its Country and Topic objects, related articles and neighbours in time.

    ``related`` (slug -> related slugs) is what ``digest.article_work`` ranked from the validated
    articles; a file edited between validation and reading changes the set, and then it is ranked again.
    """
    countries = {c.code: c for c in taxonomy["countries"]}
    topics = {t.slug: t for t in taxonomy["topics"]}
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


def fix_urls(articles: list) -> None:
    """Format each article's URL once, through ``override_url`` (Pelican's own hook for a fixed URL):
    Pelican formats it again on every access, and every card and list links articles."""
    for article in articles:
        if not hasattr(article, "override_url"):
            article.override_url = article.url


class _ArticleList(list):
    """A tag's or author's articles, where ``in`` is a set lookup by identity.

    Pelican writes each tag page after ``[a for a in self.dates if a in articles]``. ``Content`` has
    no ``__eq__``, so ``in`` on the plain list already meant identity: the same answer, in constant time.
    """

    def __init__(self, items) -> None:
        super().__init__(items)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def _fast_membership(generator) -> None:
    for tag, items in generator.tags.items():  # in place: the context holds the same dict
        generator.tags[tag] = _ArticleList(items)
    generator.authors = [(author, _ArticleList(items)) for author, items in generator.authors]


def on_articles_finalized(generator) -> None:
    """``article_generator_finalized``: build the taxonomies into the shared context."""
    _fast_membership(generator)
    articles = list(generator.articles)
    fix_urls([*articles, *getattr(generator, "translations", [])])
    taxonomy = build_taxonomy(articles, generator.settings)
    attach_to_articles(articles, taxonomy, finished_article_work(generator).related)
    new_fragment_cache(generator.context)
    generator.context.update(taxonomy)
    generator.context["publications"] = stats.publication_counts(a.digest_article for a in articles)
    generator.context["region_map"] = region_map_for_build(taxonomy["countries"], generator.settings)
