"""The search page's filter menus: countries, topics and years, each with its article count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from digest.schema import Article
from digest.vocab import vocabulary


def facets(articles: Sequence[Article]) -> dict:
    countries = Counter(c for a in articles for c in a.countries)
    topics = Counter(a.topic for a in articles if a.topic)
    years = Counter(a.date.isoformat()[:4] for a in articles)
    vocab = vocabulary()
    return {
        "countries": sorted(((c, vocab.country_name(c), n) for c, n in countries.items()), key=lambda t: t[1]),
        "topics": sorted(((t, vocab.topic_label(t), n) for t, n in topics.items()), key=lambda t: t[1]),
        "years": sorted(((y, y, n) for y, n in years.items()), reverse=True),
        "total": len(articles),
    }
