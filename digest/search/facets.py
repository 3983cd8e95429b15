"""The search page's filter menus: countries, topics and years, each with its article count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from digest.search.index import SearchRecord
from digest.vocab import vocabulary


def facets(records: Sequence[SearchRecord]) -> dict:
    countries = Counter(c for r in records for c in r.countries)
    topics = Counter(r.topic for r in records if r.topic)
    years = Counter(r.date[:4] for r in records)
    vocab = vocabulary()
    return {
        "countries": sorted(((c, vocab.country_name(c), n) for c, n in countries.items()), key=lambda t: t[1]),
        "topics": sorted(((t, vocab.topic_label(t), n) for t, n in topics.items()), key=lambda t: t[1]),
        "years": sorted(((y, y, n) for y, n in years.items()), reverse=True),
        "total": len(records),
    }
