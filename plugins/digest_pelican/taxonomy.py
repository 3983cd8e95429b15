"""Countries and topics as Pelican taxonomies, the way Pelican models categories and tags.

``Country``, ``Topic`` and ``CountryTopic`` are ``URLWrapper`` subclasses, so their URLs and
output paths come from the ``COUNTRY_URL``/``COUNTRY_SAVE_AS`` (and ``TOPIC_*``,
``COUNTRY_TOPIC_*``) settings and can be switched, for the offline bundle, by settings alone.

On ``article_generator_finalized`` this module wraps the terms ``digest.taxonomy`` computes and
links (plain Python), puts them and the map of the region (``digest.map``) into the shared context,
and gives each article its terms, related articles and neighbours (``digest.article_links``) before
any page is written.
"""

from __future__ import annotations

import functools
import os

from pelican.urlwrappers import URLWrapper

from digest import stats
from digest.article_links import attach_to_articles
from digest.build_state import build_state
from digest.identity_list import IdentityList
from digest.map import region_map_for_build
from digest.taxonomy import linked_terms, taxonomy
from digest.templating import new_fragment_cache

from .validation import finished_article_work


class _Term(URLWrapper):
    """A taxonomy term with its articles and figures; the slug is fixed, never slugified.

    No name is stored: ``name`` is the vocabulary's, in the language the pages are being written in."""

    setting = ""  # the settings' prefix: COUNTRY for COUNTRY_URL and COUNTRY_SAVE_AS

    def __init__(self, slug: str, settings: dict, articles: list, year_series: list) -> None:
        super().__init__(slug, settings)
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
    topic_breakdown: list[tuple[CountryTopic, int]]  # set by digest.taxonomy.linked_terms, as is related
    related: list[tuple[Country, int]]

    def __init__(self, code: str, *args) -> None:
        super().__init__(code.lower(), *args)
        self.code = code


class Topic(_Term):
    """A topic of the vocabulary; the description leads its page."""

    setting = "TOPIC"
    country_breakdown: list[tuple[CountryTopic, int]]  # set by digest.taxonomy.linked_terms

    @property
    def description(self) -> str:
        return build_state(self.settings).languages.current.topic_description(self.slug)


class CountryTopic(_Term):
    """One country's articles on one topic (``/countries/kz/media-freedom/``)."""

    setting = "COUNTRY_TOPIC"

    def __init__(self, country: Country, topic: Topic, *args) -> None:
        super().__init__(f"{country.slug}-{topic.slug}", *args)
        self.country_slug, self.topic_slug = country.slug, topic.slug
        self.country, self.topic = country, topic


def build_taxonomy(articles: list, settings: dict) -> dict:
    """The figures of ``digest.taxonomy``, wrapped for Pelican's articles, as the templates' context."""
    by_slug = {a.digest_article.slug: a for a in articles}

    def pages(records: list) -> list:
        return [by_slug[r.slug] for r in records]

    return linked_terms(
        taxonomy([a.digest_article for a in articles]),
        country=lambda t: Country(t.key, settings, pages(t.articles), t.year_series),
        topic=lambda t: Topic(t.key, settings, pages(t.articles), t.year_series),
        pair=lambda country, topic, records: CountryTopic(country, topic, settings, pages(records), []),
    )


def fix_urls(articles: list) -> None:
    """Format each article's URL once, through ``override_url`` (Pelican's own hook for a fixed URL):
    Pelican formats it again on every access, and every card and list links articles."""
    for article in articles:
        if not hasattr(article, "override_url"):
            article.override_url = article.url


def _fast_membership(generator) -> None:
    """Tag and author lists whose ``in`` Pelican's per-tag scan answers in constant time (``digest.identity_list``)."""
    for tag, items in generator.tags.items():  # in place: the context holds the same dict
        generator.tags[tag] = IdentityList(items)
    generator.authors = [(author, IdentityList(items)) for author, items in generator.authors]


def on_articles_finalized(generator) -> None:
    """``article_generator_finalized``: build the taxonomies into the shared context."""
    _fast_membership(generator)
    articles = list(generator.articles)
    fix_urls([*articles, *generator.translations])
    taxonomy = build_taxonomy(articles, generator.settings)
    attach_to_articles(articles, taxonomy, finished_article_work(generator).related)
    new_fragment_cache(generator.context)
    generator.context.update(taxonomy)
    generator.context["publications"] = stats.publication_counts(a.digest_article for a in articles)
    generator.context["region_map"] = region_map_for_build(taxonomy["countries"], generator.settings)
