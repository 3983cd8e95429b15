"""Likely duplicates: articles with the same title, or nearly the same text.

A contributor may add an article the digest already has, from another listing page or under a
slightly different headline. These are warnings, not errors: a follow-up story may share a
headline, and only a person can tell. A pair the contributor declared different stories
(``distinct_from``) is not warned about.

Comparing every pair of bodies would be quadratic (12.5 million pairs for 5,000 articles), so
the comparison is sketched: each body becomes a set of hashed five-word shingles, a fixed
winnowed sample of those hashes (about two in thirteen, every hash for short texts) is indexed,
and only articles that share at least half of the smaller sample are compared, exactly, on their
full shingle sets. Shingles found in very many articles (boilerplate) are not used to pair articles.

The articles are taken one at a time (a build streams them to a child process) and each keeps
only its fields, without its body, and its hashes in packed arrays: a Python set of ints or a dict
entry per hash costs ten to twenty times as much, and an archive has about fifty sampled hashes per
article. Only hashes that two or more articles share go into the index, and they are found by
sorting the packed hashes a slice at a time, never all of them as Python ints.

A site build only logs these warnings, so it runs the check in a child process while Pelican reads
the articles (``digest.article_work`` through ``digest.child``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
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
    article: Article  # without its body: the warnings need only its fields
    shingles: array  # every distinct shingle hash of the text, ascending ("I": crc32 is 32 bits)
    sample: array  # the hashes indexed: the winnowed sample, or every hash of a short text; ascending
    exact: bytes  # a digest of the whole normalised text: equal texts, and only they, have equal digests
    sampled_alike: int  # how many shingles winnowing selects: what a long text can share with this one

    @property
    def size(self) -> int:
        """How many distinct shingles the text has."""
        return len(self.shingles)


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


def winnow(hashes: list[int], window: int = WINNOW_WINDOW) -> frozenset[int]:
    """The smallest hash of every run of ``window`` consecutive shingles (Schleimer et al.,
    "Winnowing", as used by MOSS). Unlike a fixed 1-in-N sample, this guarantees that two texts
    sharing a passage of ``window`` shingles or more share at least one selected hash, so a short
    excerpt of a long article is always paired with it."""
    if len(hashes) <= window:
        return frozenset((min(hashes),)) if hashes else frozenset()
    return frozenset(min(hashes[i : i + window]) for i in range(len(hashes) - window + 1))


def fingerprint(article: Article) -> Fingerprint:
    words = normalise(article.body)
    hashes = _shingle_hashes(words)
    full = array("I", sorted(set(hashes)))
    regular = winnow(hashes)
    sample = full if len(full) < SHORT_TEXT else array("I", sorted(regular))
    exact = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).digest()
    return Fingerprint(dataclasses.replace(article, body=""), full, sample, exact, len(regular))


def _comparable_sample(a: Fingerprint, b: Fingerprint) -> int:
    """The most sampled shingles two texts can share: a short text meets a long one on its winnowed sample."""
    if len(a.sample) == a.size and len(b.sample) == b.size:
        return min(len(a.sample), len(b.sample))
    return min(a.sampled_alike, b.sampled_alike)


def similarity(a: array, b: array) -> float:
    """Shared shingles over the shingles of the shorter text: an excerpt of an article scores high.
    ``a`` and ``b`` hold distinct hashes (``Fingerprint.shingles``), so their lengths are the counts."""
    smaller = min(len(a), len(b))
    if smaller == 0:
        return 0.0
    return len(set(a).intersection(b)) / smaller


def shared_samples(prints: list[Fingerprint]) -> dict[int, tuple[int, ...]]:
    """Each sampled hash that 2 to ``COMMON_POSTING`` texts share -> the indexes of those texts, ascending.

    Every (hash, text) pair is packed in one 64-bit number and put in one of 256 arrays by the
    hash's top byte; each array is then sorted alone, so equal hashes sit together and only one
    array's worth is ever a Python list. Hashes of one text alone, most of them, are dropped.
    """
    slices = [array("Q") for _ in range(256)]
    for i, fp in enumerate(prints):
        for h in fp.sample:
            slices[h >> 24].append(h << 32 | i)
    groups: dict[int, tuple[int, ...]] = {}
    for b in range(len(slices)):
        packed, slices[b] = sorted(slices[b]), None  # the slice's memory goes as its list comes
        for h, run in itertools.groupby(packed, key=lambda key: key >> 32):
            members = tuple(key & 0xFFFFFFFF for key in run)
            if 2 <= len(members) <= COMMON_POSTING:
                groups[h] = members
    return groups


def _title_key(title: str) -> str:
    return " ".join(normalise(title))


def _later(a: Article, b: Article) -> tuple[Article, Article]:
    """(the earlier file, the file to warn on), in a stable order."""
    return (a, b) if a.path <= b.path else (b, a)


def duplicate_problems(articles: Iterable[Article]) -> list[Problem]:
    """Warnings, each on one file and naming the other, for same titles and near-identical texts.
    ``articles`` is read once, one article at a time: no body is kept after its fingerprint."""
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    prints = sorted((fingerprint(a) for a in articles), key=lambda fp: fp.article.path)

    by_title: dict[str, list[Article]] = defaultdict(list)
    for fp in prints:
        by_title[_title_key(fp.article.title)].append(fp.article)
    for group in by_title.values():  # each in path order, as ``prints`` is
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

    by_exact: dict[bytes, list[Fingerprint]] = defaultdict(list)
    for fp in prints:
        if fp.size:
            by_exact[fp.exact].append(fp)
    for group in by_exact.values():
        for fp in group[1:]:
            _warn_body(problems, reported, group[0].article, fp.article, "the same text")

    index = shared_samples(prints)
    # Pairs (i, j), i < j, in ascending order, with the number of sampled shingles they share.
    for i, a in enumerate(prints):
        shared: Counter[int] = Counter()
        for h in a.sample:
            members = index.get(h)
            if members is not None:
                shared.update(members[bisect_right(members, i) :])
        for j in sorted(shared):
            b = prints[j]
            if min(a.size, b.size) < MIN_SHINGLES:
                continue
            if shared[j] < CANDIDATE_SHARE * _comparable_sample(a, b):
                continue  # the samples already show too little in common: skip the exact comparison
            score = similarity(a.shingles, b.shingles)
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
