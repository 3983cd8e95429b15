"""Countries and topics as Pelican taxonomies, the way Pelican models categories and tags.

``Country``, ``Topic`` and ``CountryTopic`` are ``URLWrapper`` subclasses, so their URLs and
output paths come from the ``COUNTRY_URL``/``COUNTRY_SAVE_AS`` (and ``TOPIC_*``,
``COUNTRY_TOPIC_*``) settings and can be switched, for the offline bundle, by settings alone.

``build_taxonomy`` runs on ``article_generator_finalized``: it groups the articles, computes the
figures with ``digest.stats`` and ``digest.chart``, puts the taxonomies into the shared context
(``countries``, ``topics``, ``country_topics``, ``matrix``) and attaches them to each article
(``country_objects``, ``topic_object``, ``related_articles``, ``newer_article``, ``older_article``)
before any page is written.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from pelican.urlwrappers import URLWrapper

from digest import stats
from digest.chart import year_chart_svg
from digest.templating import new_fragment_cache
from digest.vocab import vocabulary

from .validation import RELATED_ARTICLES, finished_article_work

TOP_TOPICS_ON_INDEX = 3
RELATED_COUNTRIES = 6


class _Term(URLWrapper):
    """A taxonomy term with its articles and figures; the slug is fixed, never slugified."""

    def __init__(self, name: str, slug: str, settings: dict) -> None:
        super().__init__(name, settings)
        self.slug = slug
        self.articles: list = []
        self.year_series: list[tuple[int, int]] = []

    # Formatted once: every card on every page links its country and topic (~40 lookups per page).
    # The slug is fixed at construction, so the cached values never go stale.
    page_name = functools.cached_property(functools.partial(URLWrapper._from_settings, key="URL", get_page_name=True))
    url = functools.cached_property(functools.partial(URLWrapper._from_settings, key="URL"))
    save_as = functools.cached_property(functools.partial(URLWrapper._from_settings, key="SAVE_AS"))

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def years(self) -> str:
        """The span of years with articles, such as "2011–2025", for the chart's caption."""
        if not self.year_series:
            return ""
        first, last = self.year_series[0][0], self.year_series[-1][0]
        return str(first) if first == last else f"{first}–{last}"

    @property
    def feed_url(self) -> str | None:
        """The Atom feed's path (joined to SITEURL or FEED_DOMAIN), or None when feeds are off."""
        pattern = self.settings.get(f"{type(self).__name__.upper()}_FEED_ATOM")
        return pattern.format(slug=self.slug) if pattern else None

    def chart(self) -> str:
        """The articles-per-year chart as inline SVG (our own markup: safe to mark ``|safe``)."""
        kind = type(self).__name__.lower()
        return year_chart_svg(self.year_series, f"Articles per year about {self.name}", f"chart-{kind}-{self.slug}")


class Country(_Term):
    """A country that has articles; slug is the lower-case ISO code (``/countries/kz/``)."""

    def __init__(self, code: str, settings: dict) -> None:
        super().__init__(vocabulary().country_name(code), code.lower(), settings)
        self.code = code
        self.region = vocabulary().countries[code].region if code in vocabulary().countries else "world"
        self.topic_breakdown: list[tuple[CountryTopic, int]] = []
        self.related: list[tuple[Country, int]] = []

    @property
    def top_topics(self) -> list[tuple[CountryTopic, int]]:
        return self.topic_breakdown[:TOP_TOPICS_ON_INDEX]


class Topic(_Term):
    """A topic of the vocabulary; the description leads its page."""

    def __init__(self, slug: str, settings: dict) -> None:
        vocab = vocabulary()
        super().__init__(vocab.topic_label(slug), slug, settings)
        self.description = vocab.topics[slug].description if slug in vocab.topics else ""
        self.country_breakdown: list[tuple[CountryTopic, int]] = []


class CountryTopic(URLWrapper):
    """One country's articles on one topic (``/countries/kz/media-freedom/``)."""

    def __init__(self, country: Country, topic: Topic, settings: dict) -> None:
        super().__init__(f"{topic.name} in {country.name}", settings)
        self.slug = f"{country.slug}-{topic.slug}"
        self.country_slug = country.slug
        self.topic_slug = topic.slug
        self.country = country
        self.topic = topic
        self.articles: list = []

    @property
    def count(self) -> int:
        return len(self.articles)

    def _setting(self, key: str, get_page_name: bool = False) -> str:
        """Like ``URLWrapper._from_settings``, but from ``COUNTRY_TOPIC_*`` (not ``COUNTRYTOPIC_*``)."""
        value = str(self.settings[f"COUNTRY_TOPIC_{key}"])
        if get_page_name:
            value = os.path.splitext(value)[0]
        return value.format(**self.as_dict())

    page_name = property(functools.partial(_setting, key="URL", get_page_name=True))
    url = property(functools.partial(_setting, key="URL"))
    save_as = property(functools.partial(_setting, key="SAVE_AS"))


@dataclass
class MatrixRow:
    country: Country
    cells: list[tuple[Topic, CountryTopic | None, int]]


@dataclass
class Taxonomy:
    countries: list[Country]
    topics: list[Topic]
    country_topics: list[CountryTopic]
    matrix_columns: list[Topic]
    matrix_rows: list[MatrixRow]


def _region_order() -> dict[str, int]:
    order: dict[str, int] = {}
    for country in vocabulary().countries.values():
        order.setdefault(country.region, len(order))
    return order


def build_taxonomy(articles: list, settings: dict) -> Taxonomy:
    """Group Pelican articles by country and topic and compute every figure the pages show."""
    vocab = vocabulary()
    records = [a.digest_article for a in articles]
    pelican_by_slug = {a.digest_article.slug: a for a in articles}

    def pelican(items) -> list:
        return [pelican_by_slug[r.slug] for r in items]

    regions = _region_order()
    vocab_rank = {code: i for i, code in enumerate(vocab.countries)}
    countries = {code: Country(code, settings) for code in stats.by_country(records)}
    topics = {slug: Topic(slug, settings) for slug in stats.by_topic(records)}

    for code, items in stats.by_country(records).items():
        countries[code].articles = pelican(items)
        countries[code].year_series = stats.per_year(items)
    for slug, items in stats.by_topic(records).items():
        topics[slug].articles = pelican(items)
        topics[slug].year_series = stats.per_year(items)

    country_topics: dict[tuple[str, str], CountryTopic] = {}
    for (code, slug), items in stats.by_country_and_topic(records).items():
        ct = CountryTopic(countries[code], topics[slug], settings)
        ct.articles = pelican(items)
        country_topics[(code, slug)] = ct

    for code, country in countries.items():
        mine = [r for r in records if code in r.countries]
        country.topic_breakdown = [(country_topics[(code, t)], n) for t, n in stats.topic_counts(mine)]
        country.related = [(countries[c], n) for c, n in stats.co_mentions(records, code)[:RELATED_COUNTRIES]]
    for slug, topic in topics.items():
        mine = [r for r in records if r.topic == slug]
        topic.country_breakdown = [(country_topics[(c, slug)], n) for c, n in stats.country_counts(mine)]

    ordered_countries = sorted(
        countries.values(),
        key=lambda c: (regions.get(c.region, len(regions)), -c.count, vocab_rank.get(c.code, len(vocab_rank)), c.code),
    )
    topic_rank = {slug: i for i, slug in enumerate(vocab.topics)}
    ordered_topics = sorted(topics.values(), key=lambda t: (topic_rank.get(t.slug, len(topic_rank)), t.slug))

    grid = stats.matrix(records, [c.code for c in ordered_countries], [t.slug for t in ordered_topics])
    columns = [topics[t] for t in grid.columns]
    rows = [
        MatrixRow(
            country=countries[code],
            cells=[(topics[t], country_topics.get((code, t)), grid.count(code, t)) for t in grid.columns],
        )
        for code in grid.rows
    ]
    return Taxonomy(
        countries=ordered_countries,
        topics=ordered_topics,
        country_topics=sorted(country_topics.values(), key=lambda ct: (ct.country_slug, ct.topic_slug)),
        matrix_columns=columns,
        matrix_rows=rows,
    )


def _related_slugs(records: list, precomputed: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Each article's related articles: the article work's, when it ranked exactly these articles
    (a file edited between validation and reading changes the set)."""
    if precomputed is not None and precomputed.keys() == {r.slug for r in records}:
        return precomputed
    related = stats.RelatedIndex(records)
    return {r.slug: [o.slug for o in related.related(r, RELATED_ARTICLES)] for r in records}


def attach_to_articles(articles: list, taxonomy: Taxonomy, related: dict[str, list[str]] | None = None) -> None:
    """Give each article its Country and Topic objects, related articles and neighbours in time.

    ``related`` (slug -> related slugs) is what ``digest.article_work`` ranked from the same
    validated articles; it is used only if it covers exactly these.
    """
    countries = {c.code: c for c in taxonomy.countries}
    topics = {t.slug: t for t in taxonomy.topics}
    records = [a.digest_article for a in articles]
    by_slug = {a.digest_article.slug: a for a in articles}
    timeline = [by_slug[r.slug] for r in stats.newest_first(records)]
    related = _related_slugs(records, related)
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
    """Compute each article's URL once: Pelican re-formats it (with a relpath) on every access.

    A page links an article from cards, related lists and neighbours, so a build asked for each
    URL ~18 times. ``override_url`` is Pelican's own hook for a fixed URL (the ``url`` metadata
    key); the value is the one Pelican computes from the settings, so every link is unchanged.
    ``save_as`` is left alone: ``override_save_as`` would change how the writer treats the file.
    """
    for article in articles:
        if not hasattr(article, "override_url"):
            article.override_url = article.url


class _ArticleList(list):
    """A tag's (or author's) articles, where ``in`` is a set lookup by identity.

    Pelican writes each tag page after ``[a for a in self.dates if a in articles]``: every article
    of the site tested against every tag's list, ~600 tags x 5,000 articles at 5,000, about a
    second of list scans. Pelican's ``Content`` has no ``__eq__``, so ``in`` on the plain list
    already meant "is one of these objects": the same answer, in constant time. The list must
    not change afterwards (Pelican does not change it once the generator is finalized).
    """

    def __init__(self, items) -> None:
        super().__init__(items)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def _fast_membership(generator) -> None:
    """Give Pelican's tag and author lists constant-time ``in`` (see ``_ArticleList``)."""
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, items in tags.items():
            tags[tag] = _ArticleList(items)
    authors = getattr(generator, "authors", None)
    if isinstance(authors, list):
        generator.authors = [(author, _ArticleList(items)) for author, items in authors]


def on_articles_finalized(generator) -> None:
    """``article_generator_finalized``: build the taxonomies into the shared context."""
    _fast_membership(generator)
    articles = list(generator.articles)
    fix_urls([*articles, *getattr(generator, "translations", [])])
    taxonomy = build_taxonomy(articles, generator.settings)
    attach_to_articles(articles, taxonomy, finished_article_work(generator).related)
    new_fragment_cache(generator.context)
    generator.context["countries"] = taxonomy.countries
    generator.context["topics"] = taxonomy.topics
    generator.context["country_topics"] = taxonomy.country_topics
    generator.context["matrix_columns"] = taxonomy.matrix_columns
    generator.context["matrix_rows"] = taxonomy.matrix_rows
    generator.context["publications"] = stats.publication_counts(a.digest_article for a in articles)
