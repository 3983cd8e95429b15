"""Does each body belong to its headline? Catch a page whose lines were shuffled or swapped.

A headline's distinctive words (names, places, the subject) come back in its own text. Words
that every text on the page uses ("Kazakhstan") weigh nothing; a word only one text uses weighs
most. When two articles' texts each match the other's headline far better than their own, the
bodies were swapped, and importing them would publish a story under the wrong headline.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from digest.importer.model import ParsedPage, quoted
from digest.problems import Problem

WORD = re.compile(r"[^\W\d_][\w’'\-]*")
SAMPLE = 20_000  # characters of a body read: enough for its names, cheap for a huge one
NEIGHBOURS = 8  # articles compared with each article: swaps of nearby lines, linear on a large page


def _stems(text: str) -> set[str]:
    """Words of four letters or more, cut to five letters so that 'Kazakh' and 'Kazakhstan’s' meet."""
    return {w.lower()[:5] for w in WORD.findall(text[:SAMPLE]) if len(w) >= 4}


def swapped_bodies(page: ParsedPage) -> list[Problem]:
    articles = page.articles
    if len(articles) < 2:
        return []
    bodies = [_stems(a.body_text) for a in articles]
    titles = [_stems(a.title) for a in articles]
    seen = Counter(stem for body in bodies for stem in body)

    def weight(stem: str) -> float:
        return math.log((len(articles) + 1) / (seen[stem] + 1))

    totals = [sum(weight(s) for s in title) or 1.0 for title in titles]

    def share(title: int, body: int) -> float:
        """How much of a headline's weight the text carries: 1.0 when every word of it is there."""
        return sum(weight(s) for s in titles[title] & bodies[body]) / totals[title]

    problems = []
    for i, a in enumerate(articles):
        for j in range(i + 1, min(i + 1 + NEIGHBOURS, len(articles))):
            own_i, own_j, cross_i, cross_j = share(i, i), share(j, j), share(j, i), share(i, j)
            if _swapped(own_i, own_j, cross_i, cross_j):
                b = articles[j]
                problems.append(
                    Problem(
                        page.name,
                        a.title_line,
                        "body",
                        f"the text under {quoted(a.title)} reads like the story of {quoted(b.title)} (line {b.title_line}) "
                        "and the other way round: the page's lines look shuffled; fix the page and import it again",
                    )
                )
    return problems


def _swapped(own_i: float, own_j: float, cross_i: float, cross_j: float) -> bool:
    """Each text carries much of the other headline, and together far more than of their own.

    Texts that merely share a city or a verb with another headline (0.1-0.3 of it) are not enough."""
    cross = cross_i + cross_j
    return (
        cross_i > own_i
        and cross_j > own_j
        and min(cross_i, cross_j) >= 0.3
        and cross >= max(0.9, 1.5 * (own_i + own_j) + 0.2)
    )
