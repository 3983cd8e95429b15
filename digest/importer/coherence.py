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

from digest.importer.model import ParsedPage
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

    def score(title: int, body: int) -> float:
        return sum(math.log(len(articles) / seen[s]) for s in titles[title] & bodies[body])

    problems = []
    for i, a in enumerate(articles):
        for j in range(i + 1, min(i + 1 + NEIGHBOURS, len(articles))):
            own_i, own_j, cross_i, cross_j = score(i, i), score(j, j), score(j, i), score(i, j)
            if cross_i > own_i and cross_j > own_j and cross_i + cross_j > 1.5 * (own_i + own_j) + 2:
                b = articles[j]
                problems.append(
                    Problem(
                        page.name,
                        a.title_line,
                        "body",
                        f"the text under {a.title!r} reads like the story of {b.title!r} (line {b.title_line}) "
                        "and the other way round: the page's lines look shuffled; fix the page and import it again",
                    )
                )
    return problems
