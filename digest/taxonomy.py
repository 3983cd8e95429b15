"""The digest's taxonomy as plain data: which countries and topics have articles, in the order
pages list them, with every figure their pages show. The site's plugin wraps each term in a
Pelican URLWrapper and ``linked_terms`` links the wrappers as the pages show them; nothing here
needs Pelican."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from digest import stats
from digest.schema import Article
from digest.vocab import vocabulary

RELATED_COUNTRIES = 6


@dataclass
class Term:
    key: str  # a country code or a topic slug
    articles: list[Article]
    year_series: list[tuple[int, int]]
    breakdown: list[tuple[str, int]] = field(default_factory=list)  # the other kind of term, with counts
    related: list[tuple[str, int]] = field(default_factory=list)  # countries named in the same articles


@dataclass
class Taxonomy:
    countries: list[Term]  # by region, then most articles, then vocabulary order
    topics: list[Term]  # vocabulary order
    pairs: dict[tuple[str, str], list[Article]]  # (country code, topic slug) -> articles
    matrix: stats.Matrix


def taxonomy(records: Sequence[Article]) -> Taxonomy:
    vocab = vocabulary()
    regions: dict[str, int] = {}
    for country in vocab.countries.values():
        regions.setdefault(country.region, len(regions))
    vocab_rank = {code: i for i, code in enumerate(vocab.countries)}
    topic_rank = {slug: i for i, slug in enumerate(vocab.topics)}

    countries = [
        Term(
            code,
            items,
            stats.per_year(items),
            breakdown=stats.topic_counts(items),
            related=stats.co_mentions(records, code)[:RELATED_COUNTRIES],
        )
        for code, items in stats.by_country(records).items()
    ]
    topics = [
        Term(slug, items, stats.per_year(items), breakdown=stats.country_counts(items))
        for slug, items in stats.by_topic(records).items()
    ]

    def region(code: str) -> int:
        return regions.get(vocab.countries[code].region if code in vocab.countries else "world", len(regions))

    countries.sort(key=lambda t: (region(t.key), -len(t.articles), vocab_rank.get(t.key, len(vocab_rank)), t.key))
    topics.sort(key=lambda t: (topic_rank.get(t.key, len(topic_rank)), t.key))
    grid = stats.matrix(records, [t.key for t in countries], [t.key for t in topics])
    return Taxonomy(countries, topics, stats.by_country_and_topic(records), grid)


class MatrixRow(NamedTuple):
    """A row of the home page's country x topic matrix."""

    country: Any
    cells: list[tuple[Any, Any, int]]  # (topic, the country-and-topic term or None, its count) per column


def linked_terms(
    plan: Taxonomy,
    country: Callable[[Term], Any],
    topic: Callable[[Term], Any],
    pair: Callable[[Any, Any, list[Article]], Any],
) -> dict:
    """The templates' context: one object per term, made by ``country``, ``topic`` and ``pair`` (the
    plugin's URL wrappers), linked as the pages show them: each country's topics and related countries,
    each topic's countries, every country-and-topic list, and the home page's matrix."""
    countries = {t.key: country(t) for t in plan.countries}
    topics = {t.key: topic(t) for t in plan.topics}
    pairs = {(code, slug): pair(countries[code], topics[slug], items) for (code, slug), items in plan.pairs.items()}
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
        "country_topics": [pairs[key] for key in sorted(pairs, key=lambda k: (k[0].lower(), k[1]))],  # by URL
        "matrix_columns": [topics[t] for t in grid.columns],
        "matrix_rows": rows,
    }
