"""Likely duplicates: articles with the same title, or nearly the same text.

A contributor may add an article the digest already has, from another listing page or under a
slightly different headline. These are warnings, not errors: a follow-up story may share a
headline, and only a person can tell. A pair the contributor declared different stories
(``distinct_from``) is not warned about.

Comparing every pair of bodies would be quadratic (12.5 million pairs for 5,000 articles), so
the comparison is sketched: each body becomes a set of hashed five-word shingles, a fixed
winnowed sample of those hashes (about two in thirteen, every hash for short texts) goes into an inverted
index, and only articles that share at least half of the smaller sample are compared, exactly,
on their full shingle sets. Shingles found in very many articles (boilerplate) are not used to pair articles.

Only the samples stay in memory (the full sets of 5,000 articles took over 100 MB); a full set is
recomputed for the few candidate pairs, and pairs are counted one article at a time.

A site build only logs these warnings, so it runs the check in a child process while Pelican reads
the articles (``digest.article_work`` through ``digest.child``).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

from digest.problems import Problem
from digest.schema import Article

SHINGLE_WORDS = 5
WINNOW_WINDOW = 12  # one hash per 12 consecutive shingles: ~2/13 of a text, any 16-word passage shared
SHORT_TEXT = 64  # texts with fewer shingles index all of them, so short articles are compared too
COMMON_POSTING = 50  # a shingle shared by more articles than this is boilerplate, not evidence
SIMILARITY = 0.8  # shared shingles / shingles of the shorter text
CANDIDATE_SHARE = 0.5  # compare exactly only when at least half of the smaller sample is shared
MIN_SHINGLES = 8  # below this a text is too short to call "nearly the same" (exact copies still are)
WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    article: Article
    size: int  # how many distinct shingles the text has
    sample: frozenset[int]
    exact: int  # hash of the whole normalised text
    sampled_alike: int  # how many shingles winnowing selects: what a long text can share with this one


def normalise(text: str) -> list[str]:
    """The words of a text, case-folded and with accents and typographic variants folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return WORD_RE.findall(text)


def _shingle_hashes(words: list[str]) -> list[int]:
    """The hashed five-word shingles of a text, in text order."""
    if len(words) < SHINGLE_WORDS:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    return [zlib.crc32(g.encode("utf-8")) for g in grams]


def _shingles(words: list[str]) -> frozenset[int]:
    return frozenset(_shingle_hashes(words))


def winnow(hashes: list[int], window: int = WINNOW_WINDOW) -> frozenset[int]:
    """The smallest hash of every run of ``window`` consecutive shingles (Schleimer et al.,
    "Winnowing", as used by MOSS). Unlike a fixed 1-in-N sample, this guarantees that two texts
    sharing a passage of ``window`` shingles or more share at least one selected hash, so a short
    excerpt of a long article is always paired with it."""
    if len(hashes) <= window:
        return frozenset((min(hashes),)) if hashes else frozenset()
    return frozenset(min(hashes[i : i + window]) for i in range(len(hashes) - window + 1))


def shingles(article: Article) -> frozenset[int]:
    """The hashed five-word shingles of an article's body."""
    return _shingles(normalise(article.body))


def fingerprint(article: Article) -> Fingerprint:
    words = normalise(article.body)
    hashes = _shingle_hashes(words)
    full = frozenset(hashes)
    regular = winnow(hashes)
    sample = full if len(full) < SHORT_TEXT else regular
    return Fingerprint(article, len(full), sample, zlib.crc32(" ".join(words).encode("utf-8")), len(regular))


def _comparable_sample(a: Fingerprint, b: Fingerprint) -> int:
    """The most sampled shingles two texts can share: a short text meets a long one on its winnowed sample."""
    if len(a.sample) == a.size and len(b.sample) == b.size:
        return min(len(a.sample), len(b.sample))
    return min(a.sampled_alike, b.sampled_alike)


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Shared shingles over the shingles of the shorter text: an excerpt of an article scores high."""
    smaller = min(len(a), len(b))
    if smaller == 0:
        return 0.0
    return len(a & b) / smaller


def _title_key(title: str) -> str:
    return " ".join(normalise(title))


def _later(a: Article, b: Article) -> tuple[Article, Article]:
    """(the earlier file, the file to warn on), in a stable order."""
    return (a, b) if a.path <= b.path else (b, a)


def duplicate_problems(articles: list[Article]) -> list[Problem]:
    """Warnings, each on one file and naming the other, for same titles and near-identical texts."""
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()

    by_title: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_title[_title_key(article.title)].append(article)
    for group in by_title.values():
        group.sort(key=lambda a: a.path)
        for other in group[1:]:
            first = group[0]
            reported.add((first.path, other.path))
            if first.declared_distinct(other):
                continue
            if other.date == first.date and other.title.casefold() == first.title.casefold():
                continue  # the same title and date is already an error (digest.check)
            problems.append(
                Problem(
                    other.path,
                    other.title_line,
                    "title",
                    f"the same title as {first.path} ({first.date.isoformat()}); is this a duplicate?",
                    severity="warning",
                )
            )

    prints = sorted((fingerprint(a) for a in articles), key=lambda fp: fp.article.path)
    by_exact: dict[int, list[Fingerprint]] = defaultdict(list)
    for fp in prints:
        if fp.size:
            by_exact[fp.exact].append(fp)
    for group in by_exact.values():
        for fp in group[1:]:
            if normalise(fp.article.body) == normalise(group[0].article.body):
                _warn_body(problems, reported, group[0].article, fp.article, "the same text")

    index: dict[int, list[int]] = defaultdict(list)
    for i, fp in enumerate(prints):
        for h in fp.sample:
            index[h].append(i)  # ascending: i grows
    full: dict[int, frozenset[int]] = {}  # full shingle sets of candidates, computed once each

    def full_set(k: int) -> frozenset[int]:
        if k not in full:
            full[k] = shingles(prints[k].article)
        return full[k]

    # Pairs (i, j), i < j, in ascending order, with the number of sampled shingles they share.
    for i, a in enumerate(prints):
        shared: Counter[int] = Counter()
        for h in a.sample:
            members = index[h]
            if 2 <= len(members) <= COMMON_POSTING:
                shared.update(members[bisect_right(members, i) :])
        for j in sorted(shared):
            b = prints[j]
            if min(a.size, b.size) < MIN_SHINGLES:
                continue
            if shared[j] < CANDIDATE_SHARE * _comparable_sample(a, b):
                continue  # the samples already show too little in common: skip the exact comparison
            score = similarity(full_set(i), full_set(j))
            if score >= SIMILARITY:
                _warn_body(
                    problems,
                    reported,
                    a.article,
                    b.article,
                    f"nearly the same wording ({score:.0%} of the shorter text)",
                )
    return problems


def _warn_body(problems: list[Problem], reported: set[tuple[str, str]], a: Article, b: Article, how: str) -> None:
    first, other = _later(a, b)
    if (first.path, other.path) in reported or first.declared_distinct(other):
        return
    reported.add((first.path, other.path))
    problems.append(
        Problem(other.path, other.body_line, "body", f"{how} as {first.path}; is this a duplicate?", severity="warning")
    )
