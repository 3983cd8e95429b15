"""The index cut into pieces, so that the first search downloads a little however large the archive.

One script of every posting grows with the archive, and the page needs all of it before the first
result. Like Pagefind's index, the postings are split by sorted term ranges into chunks of bounded
size, with a small meta file naming each chunk's first term: a query loads only the chunks its
terms fall in.

**The order is the folding key's** (``digest.search.fold``): terms are sorted by ``(fold(term),
term)``, not by term. Every spelling of a name (Khakimova, Hakimova, Xakimova, Хакимова) has the
same key, so a query word's key falls in one chunk (two at a boundary) that holds all of them; the
exact term is there too, since a term's key is the key of its words. The keys of non-Latin words
that the browser cannot derive from their stemmed terms ("tokaev" for the term "тока", see
``index.fold_keys``) sit in the chunk where their key falls, naming the terms they reach.

- *A typo*: candidates are keys at edit distance 1 or 2 with the same first letter, so they lie in
  the chunks of that letter only (loaded only when a word matches almost nothing).
- *A prefix* ``journ*``: every term that starts with "journ" has a key that starts with the part of
  "journ"'s key that no later letter can change ("journ" itself; "y" alone could become "e" or
  "i"). ``compact-index.js`` (``keyPrefix``) works that part out and loads the chunks of that key
  range.

A term's number (lunr's ``_index``, the order in which a document's scores are summed) is its
position in this order, so a chunk's terms are numbered from the chunk's start, given in the meta.

A posting holds, beside the ref delta and the term frequency, the length of the document's field:
BM25 needs it, and the table of every document's field lengths would grow with the archive and be
needed by every query. A chunk is then all a term's scores need, with ``n``, ``avg`` and the boosts
from the meta file.

The facet counts of the filters need the country, topic and year of every result: ``facet_columns``
keeps them in a compact columnar file, so the documents table (title, URL, date) can be split by
ref range, into the same scripts as the texts (``index.DOC_CHUNK`` documents each): the page needs a
result's row exactly when it needs its text.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from digest.search.fold import fold

# A chunk's postings and terms stop growing past this many characters. A term whose postings alone
# are longer (a very common word) is a chunk of its own.
CHUNK_CHARS = 48_000
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


@functools.cache  # postings repeat the same small numbers a million times
def b36(value: int) -> str:
    if value < 36:
        return _BASE36[value]
    digits = []
    while value:
        value, rest = divmod(value, 36)
        digits.append(_BASE36[rest])
    return "".join(reversed(digits))


def term_order(terms: Sequence[str]) -> list[str]:
    """The terms sorted by ``(fold key, term)``: the order of the chunks and of lunr's term numbers."""
    return sorted(terms, key=lambda term: (fold(term), term))


@dataclass
class TermChunk:
    first: tuple[str, str]  # (key, term) of its first term
    start: int  # the number of its first term
    terms: list[str]
    postings: list[str]
    extra: dict[str, list[str]]  # key -> terms, for keys the browser cannot derive (fold_keys)

    def payload(self) -> dict:
        return {"t": self.terms, "p": " ".join(self.postings), "x": self.extra}


def split_terms(order: Sequence[str], postings: Sequence[str], limit: int = CHUNK_CHARS) -> list[TermChunk]:
    """Consecutive runs of ``order`` (with their ``postings``) of at most ``limit`` characters each."""
    chunks: list[TermChunk] = []
    size = 0
    for number, (term, packed) in enumerate(zip(order, postings, strict=True)):
        cost = len(term) + len(packed) + 4
        if not chunks or (size + cost > limit and chunks[-1].terms):
            chunks.append(TermChunk((fold(term), term), number, [], [], {}))
            size = 0
        chunks[-1].terms.append(term)
        chunks[-1].postings.append(packed)
        size += cost
    return chunks


def chunk_of(firsts: Sequence[tuple[str, str]], key: str, term: str = "") -> int:
    """The chunk that holds ``(key, term)`` (or would): the last whose first entry is not after it.
    ``term=""`` gives the first chunk that can hold a term with that key. -1 when there are none."""
    if not firsts:
        return -1
    return max(0, bisect.bisect_right(firsts, (key, term)) - 1)


def place_extra_keys(chunks: list[TermChunk], extra: dict[str, list[str]]) -> None:
    """Put each extra key (key -> terms) in the chunk where the browser looks for that key."""
    firsts = [c.first for c in chunks]
    for key, reached in sorted(extra.items()):
        chunks[chunk_of(firsts, key)].extra[key] = reached


def posting(ref_delta: int, length: int, tf: int) -> str:
    """One document in a term's postings, in base 36: ``<ref delta>.<field length>[*<tf>]``, a term
    frequency of 1 left out. A term's postings are ``<field>:<posting>,<posting>,...;<field>:...``,
    refs in ascending order (each a delta from the one before), a field without the term left out
    (``index.IndexBuilder`` packs them)."""
    return f"{b36(ref_delta)}.{b36(length)}*{b36(tf)}" if tf != 1 else f"{b36(ref_delta)}.{b36(length)}"


def _fixed(values: Sequence[int], width: int) -> str:
    return "".join(b36(v).rjust(width, "0") for v in values)


def _width(count: int) -> int:
    return len(b36(max(0, count - 1)))


def facet_columns(countries: Sequence[Sequence[str]], topics: Sequence[str], years: Sequence[str]) -> dict:
    """Each document's countries, topic and year, by ref, as columns of fixed-width base-36 numbers
    into the lists of values (countries: one group per document, the groups separated by commas)."""
    country_list = sorted({c for cs in countries for c in cs})
    topic_list = sorted(set(topics))
    year_list = sorted(set(years))
    cw, tw, yw = _width(len(country_list)), _width(len(topic_list)), _width(len(year_list))
    country_at = {c: i for i, c in enumerate(country_list)}
    topic_at = {t: i for i, t in enumerate(topic_list)}
    year_at = {y: i for i, y in enumerate(year_list)}
    return {
        "countries": country_list,
        "topics": topic_list,
        "years": year_list,
        "width": [cw, tw, yw],
        "country": ",".join(_fixed([country_at[c] for c in cs], cw) for cs in countries),
        "topic": _fixed([topic_at[t] for t in topics], tw),
        "year": _fixed([year_at[y] for y in years], yw),
    }
