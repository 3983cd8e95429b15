"""Counts, series and rankings behind the country and topic pages, in plain Python.

Every function takes plain article records (``digest.schema.Article`` or anything with the same
``slug``, ``date``, ``countries``, ``topic`` and ``tags`` attributes) so it can be tested without
Pelican; the plugin only turns the results into pages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Record(Protocol):
    slug: str
    date: dt.date
    countries: Sequence[str]
    topic: str
    tags: Sequence[str]


# How much each kind of overlap counts when ranking related articles: sharing the primary
# country says more than sharing a country mentioned in passing, and a topic more than a tag.
PRIMARY_COUNTRY_WEIGHT = 3
COUNTRY_WEIGHT = 2
TOPIC_WEIGHT = 2
TAG_WEIGHT = 1


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def newest_first(records: Iterable[Record]) -> list[Record]:
    """Newest first; ties in slug order so every build lists them the same way."""
    return sorted(sorted(records, key=lambda r: r.slug), key=lambda r: _day(r.date), reverse=True)


def by_country(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Every country code mentioned by any article -> the articles mentioning it, newest first."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        for code in dict.fromkeys(record.countries):
            groups.setdefault(code, []).append(record)
    return {code: newest_first(items) for code, items in groups.items()}


def by_topic(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Topic slug -> its articles, newest first."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(record.topic, []).append(record)
    return {topic: newest_first(items) for topic, items in groups.items()}


def by_country_and_topic(records: Iterable[Record]) -> dict[tuple[str, str], list[Record]]:
    """(country code, topic slug) -> articles, newest first: the cells of the home-page matrix."""
    groups: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        for code in dict.fromkeys(record.countries):
            groups.setdefault((code, record.topic), []).append(record)
    return {key: newest_first(items) for key, items in groups.items()}


def latest_date(records: Iterable[Record]) -> dt.date | None:
    dates = [_day(r.date) for r in records]
    return max(dates) if dates else None


def ranked(counter: Counter) -> list[tuple[str, int]]:
    """Highest count first, ties alphabetically, so the order does not depend on input order."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def topic_counts(records: Iterable[Record]) -> list[tuple[str, int]]:
    return ranked(Counter(r.topic for r in records))


def country_counts(records: Iterable[Record]) -> list[tuple[str, int]]:
    return ranked(Counter(code for r in records for code in dict.fromkeys(r.countries)))


def publication_counts(records: Iterable) -> list[tuple[str, int]]:
    """The sources' publications, most articles first; articles without a recorded source are left out."""
    names = (getattr(getattr(r, "source", None), "publication", None) for r in records)
    return ranked(Counter(n for n in names if n))


def per_year(records: Iterable[Record]) -> list[tuple[int, int]]:
    """Articles per year from the first year to the last, with the empty years in between as 0."""
    counts = Counter(_day(r.date).year for r in records)
    if not counts:
        return []
    return [(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)]


def co_mentions(records: Iterable[Record], code: str) -> list[tuple[str, int]]:
    """Countries named together with ``code``, with how many articles name both, most first."""
    counter: Counter = Counter()
    for record in records:
        codes = set(record.countries)
        if code in codes:
            counter.update(codes - {code})
    return ranked(counter)


def _countries(record: Record) -> list[str]:
    return list(dict.fromkeys(record.countries))


def relatedness(a: Record, b: Record) -> int:
    """How much two articles have in common: shared countries, the same topic, shared tags.

    Sharing the primary country scores PRIMARY_COUNTRY_WEIGHT, every other shared country
    COUNTRY_WEIGHT; the same topic TOPIC_WEIGHT; each shared tag (case-insensitive) TAG_WEIGHT.
    """
    ca, cb = _countries(a), _countries(b)
    same_primary = bool(ca and cb and ca[0] == cb[0])
    shared = len(set(ca) & set(cb))
    score = PRIMARY_COUNTRY_WEIGHT * same_primary + COUNTRY_WEIGHT * (shared - same_primary)
    if a.topic == b.topic:
        score += TOPIC_WEIGHT
    score += TAG_WEIGHT * len({t.casefold() for t in a.tags} & {t.casefold() for t in b.tags})
    return score


class RelatedIndex:
    """Postings of countries, topics and tags, so ranking related articles for every article of a
    large archive costs the sum of the postings touched instead of comparing all pairs (N²)."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records = list(records)
        self._days = [_day(r.date).toordinal() for r in self.records]
        self._index = {r.slug: i for i, r in enumerate(self.records)}
        self._primary: dict[str, list[int]] = {}
        self._country: dict[str, list[int]] = {}
        self._topic: dict[str, list[int]] = {}
        self._tag: dict[str, list[int]] = {}
        for i, record in enumerate(self.records):
            codes = _countries(record)
            if codes:
                self._primary.setdefault(codes[0], []).append(i)
            for code in codes:
                self._country.setdefault(code, []).append(i)
            self._topic.setdefault(record.topic, []).append(i)
            for tag in {t.casefold() for t in record.tags}:
                self._tag.setdefault(tag, []).append(i)

    def scores(self, target: Record) -> Counter:
        """Index of every article sharing something with ``target`` -> ``relatedness``.

        Weights are small integers, so each posting list is counted ``weight`` times with
        ``Counter.update``, which runs in C: this is what keeps 5,000-article builds fast.
        """
        scores: Counter = Counter()

        def add(postings: list[int], weight: int) -> None:
            for _ in range(weight):
                scores.update(postings)

        codes = _countries(target)
        for code in codes:
            add(self._country.get(code, []), COUNTRY_WEIGHT)
        if codes:
            add(self._primary.get(codes[0], []), PRIMARY_COUNTRY_WEIGHT - COUNTRY_WEIGHT)
        add(self._topic.get(target.topic, []), TOPIC_WEIGHT)
        for tag in {t.casefold() for t in target.tags}:
            add(self._tag.get(tag, []), TAG_WEIGHT)
        return scores

    def related(self, target: Record, limit: int = 5) -> list[Record]:
        """The articles most like ``target``; ties go to the one closest in time, then by slug."""
        scores = self.scores(target)
        if target.slug in self._index:
            scores.pop(self._index[target.slug], None)
        if not scores or limit <= 0:
            return []
        values = sorted(scores.values(), reverse=True)
        threshold = max(1, values[min(limit, len(values)) - 1])
        day = _day(target.date).toordinal()
        candidates = [
            (-score, abs(self._days[i] - day), self.records[i].slug, i)
            for i, score in scores.items()
            if score >= threshold
        ]
        candidates.sort()
        return [self.records[i] for *_, i in candidates[:limit]]


def related_articles(target: Record, records: Iterable[Record], limit: int = 5) -> list[Record]:
    """The articles most like ``target`` (see ``relatedness``); for many targets, use ``RelatedIndex``."""
    return RelatedIndex(records).related(target, limit)


@dataclass(frozen=True)
class Matrix:
    """Counts of articles per (country, topic); rows and columns are only those with articles."""

    rows: list[str]
    columns: list[str]
    counts: dict[tuple[str, str], int]

    def count(self, row: str, column: str) -> int:
        return self.counts.get((row, column), 0)


def matrix(records: Iterable[Record], country_order: Sequence[str], topic_order: Sequence[str]) -> Matrix:
    """The country x topic matrix, in vocabulary order, leaving out empty rows and columns."""
    counts: Counter = Counter()
    for record in records:
        for code in dict.fromkeys(record.countries):
            counts[(code, record.topic)] += 1
    columns = [t for t in topic_order if any(k[1] == t for k in counts)]
    rows = [c for c in country_order if any(counts.get((c, t)) for t in columns)]
    return Matrix(rows=rows, columns=columns, counts=dict(counts))
