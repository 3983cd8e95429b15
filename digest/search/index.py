"""Build the site's search index with lunr.py, and encode it compactly, in chunks, for lunr.js.

``build_index(records)`` is the one entry point: it takes plain ``SearchRecord`` data (the Pelican
plugin makes them from articles) and returns a ``SearchIndex`` that knows how to write itself.
Swapping the encoding means changing this module, ``chunks`` and the decoder, not the plugin.

The files, under the site's search folder (``SearchIndex.files``; ``chunks`` says why so):

- ``meta.js`` (``window.DIGEST_SEARCH_META``), loaded first: what every query needs. lunr's
  settings (fields, boosts, pipeline, document count, average field lengths), the fold rules of
  ``digest.search.fold`` (so the browser folds query words exactly as Python does), the first term
  of every term chunk, where the other files are, and the country and topic names.
- ``facets.js`` (``window.DIGEST_SEARCH_FACETS``), loaded first: every document's countries, topic
  and year in compact columns, for the filters and their counts (``chunks.facet_columns``).
- ``terms/<i>.js``: the postings of a range of terms, not lunr's serialisation. A serialised
  ``lunr.Index`` is mostly ``fieldVectors``, one BM25 score per (field, document, term) written as
  decimals that gzip poorly; the scores are a pure function of term frequencies and field lengths,
  which are small to ship. ``theme/static/js/compact-index.js`` turns the chunks a query needs into
  a ``lunr.Index`` and recomputes each score with lunr.js's own formula (see
  ``IndexBuilder.finish``). Refs are integers; no term positions are kept (highlighting matches query
  terms against the text in the browser instead). Country and topic fields hold the vocabulary's
  Russian names too (``Казахстан``, ``Интернет-цензура``).
- ``docs/<k>.js``: the rows (``DOC_FIELDS``: what a result shows) and whole texts (for snippets
  around the best match and for checking phrases) of refs ``k * DOC_CHUNK`` on. The page loads
  them only for the results it shows.

Every script is ``JSON.parse('...')`` of one string (browsers parse that far faster than an object
literal), with ``<`` escaped so that no ``</script>`` or ``<!--`` in a title can end the script,
and each is a classic script assigning a global, so the search works from ``file://`` too.
"""

from __future__ import annotations

import gzip
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lunr.builder import Builder
from lunr.index import Index

from digest.schema import Article
from digest.search.chunks import (
    CHUNK_CHARS,
    TermChunk,
    facet_columns,
    place_extra_keys,
    posting,
    split_terms,
    term_order,
)
from digest.search.fold import browser_rules, fold
from digest.search.pipeline import (
    INDEX_PIPELINE,
    MULTI_WORD_CHARACTERS,
    SEARCH_PIPELINE,
    normalise,
    term_function,
)
from digest.search.text import excerpt

META_GLOBAL_NAME = "DIGEST_SEARCH_META"
FACETS_GLOBAL_NAME = "DIGEST_SEARCH_FACETS"
TERMS_GLOBAL_NAME = "DIGEST_SEARCH_TERMS"
DOCS_GLOBAL_NAME = "DIGEST_SEARCH_DOCS"
FORMAT_VERSION = 3
DOC_FIELDS = ("title", "url", "date", "approximate", "countries", "topic", "lang")
# Field name -> boost. "title" and "tags" can be searched by name (title:treason, tags:kloop).
FIELDS = {"title": 10, "tags": 5, "country": 3, "topic": 3, "body": 1}
# The whole text of an article goes to the browser (up to this many characters): the snippet is
# the passage around the best match anywhere in it, and a "phrase" is checked against it.
SNIPPET_CHARS = 20_000
# Documents (rows and whole texts) per docs script. The results of a query are scattered over the
# archive, so a page of 20 needs about 20 chunks whatever their size: one document each (as Pagefind's
# fragments) is the fewest bytes for the same requests, about a fifth of five each on long texts.
DOC_CHUNK = 1  # the writers stream one document a script as it is indexed (docs_script)
DOCS_DIR = "docs"
TERMS_DIR = "terms"
LUNR_JS_VERSION = "2.3.9"
# The scripts the page loads before its first query, known before the index is built.
INDEX_FILES = ("meta.js", "facets.js")
# lunr-languages' Russian stemmer (and its support), which the page loads only for a query with
# Cyrillic letters (compact-index.js stands in for them until then). Names in the search folder.
CYRILLIC_SCRIPTS = ("lunr.stemmer.support.min.js", "lunr.ru.min.js")
_REFS_MESSAGE = "search records need the refs 0..n-1, each once (they index the docs table)"


@dataclass(frozen=True)
class SearchRecord:
    """One article, as plain data: what is indexed and what a result shows."""

    ref: int
    title: str
    url: str
    date: str  # ISO 8601, YYYY-MM-DD
    date_precision: str = "exact"  # or "approximate": shown as "on or before"
    countries: tuple[str, ...] = ()  # codes, primary first
    country_names: tuple[str, ...] = ()
    topic: str = ""
    topic_label: str = ""
    # The vocabulary's names in other languages (Russian): indexed, never shown.
    country_other_names: tuple[str, ...] = ()
    topic_other_labels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""
    body: str = ""  # plain text
    lang: str = "en"

    @classmethod
    def from_article(cls, ref: int, article: Article, *, url: str, body: str) -> SearchRecord:
        """A validated article as a record, with its country names and topic label from the
        vocabulary. ``body`` is the article's text, or its rendered HTML when the index builder
        is asked to turn HTML into text (the plugin's worker does)."""
        from digest.vocab import vocabulary

        vocab = vocabulary()
        return cls(
            ref=ref,
            title=article.title,
            url=url,
            date=article.date.isoformat(),
            date_precision=article.date_precision,
            countries=tuple(article.countries),
            country_names=tuple(vocab.country_name(c) for c in article.countries),
            topic=article.topic,
            topic_label=vocab.topic_label(article.topic),
            country_other_names=tuple(n for c in article.countries for n in vocab.country_other_names(c)),
            topic_other_labels=vocab.topic_other_labels(article.topic),
            tags=tuple(article.tags),
            summary=article.summary or "",
            body=body,
            lang=article.lang,
        )


def script(global_expression: str, data: object) -> str:
    """A classic script that assigns ``data`` to ``global_expression`` with ``JSON.parse('...')``."""
    literal = (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("<", "\\x3c")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return f"{global_expression}=JSON.parse('{literal}');\n"


def docs_file(chunk: int) -> str:
    """The path, under the search folder, of the rows and texts of refs ``chunk * DOC_CHUNK`` on."""
    return f"{DOCS_DIR}/{chunk}.js"


def terms_file(chunk: int) -> str:
    """The path, under the search folder, of term chunk ``chunk``."""
    return f"{TERMS_DIR}/{chunk}.js"


def _into(global_name: str, key: int) -> str:
    return f"(window.{global_name}||(window.{global_name}={{}}))[{key}]"


def terms_script(number: int, chunk: TermChunk) -> str:
    """The script of term chunk ``number``."""
    return script(_into(TERMS_GLOBAL_NAME, number), chunk.payload())


def docs_script(ref: int, row: list, text: str) -> str:
    """The script of one document's row and text (``DOC_CHUNK`` is one document a script)."""
    return script(_into(DOCS_GLOBAL_NAME, ref), {"docs": [row], "text": [text]})


@dataclass
class SearchIndex:
    """A built index: the lunr.py ``Index`` (for Python-side queries) and the browser payloads."""

    lunr_index: object | None
    meta: dict
    facets: dict
    term_chunks: list[TermChunk]
    docs: list[list]
    texts: list[str]
    record_count: int
    _files: dict[str, str] | None = field(default=None, repr=False)

    def files(self) -> dict[str, str]:
        """Output files, relative to the search folder of the site: the two loaded first, the term
        chunks, then the document chunks."""
        if self._files is None:
            files = {
                INDEX_FILES[0]: script(f"window.{META_GLOBAL_NAME}", self.meta),
                INDEX_FILES[1]: script(f"window.{FACETS_GLOBAL_NAME}", self.facets),
            }
            for i, chunk in enumerate(self.term_chunks):
                files[terms_file(i)] = terms_script(i, chunk)
            for ref, (row, text) in enumerate(zip(self.docs, self.texts, strict=True)):
                files[docs_file(ref)] = docs_script(ref, row, text)
            self._files = files
        return self._files

    def sizes(self) -> dict[str, int]:
        """Bytes: ``first`` is what the page loads before any query (``INDEX_FILES``); ``raw`` and
        ``gzip`` are every output file together (gzip level 6, what static hosts use)."""
        files = self.files()
        first = b"".join(files[name].encode("utf-8") for name in INDEX_FILES)
        raw = b"".join(text.encode("utf-8") for text in files.values())
        return {
            "first": len(first),
            "first_gzip": len(gzip.compress(first, compresslevel=6, mtime=0)),
            "raw": len(raw),
            "gzip": len(gzip.compress(raw, compresslevel=6, mtime=0)),
        }

    def search(self, query: str) -> list[int]:
        """Refs matching ``query``, best first, as lunr.js would rank them (for tests and benchmarks)."""
        if self.lunr_index is None:
            return []
        return [int(r["ref"]) for r in self.lunr_index.search(normalise(query))]


def _doc_row(record: SearchRecord) -> list:
    row = [
        record.title,
        record.url,
        record.date,
        1 if record.date_precision == "approximate" else 0,
        list(record.countries),
        record.topic,
    ]
    if record.lang and record.lang != "en":
        row.append(record.lang)
    return row


def _snippet_text(record: SearchRecord, snippet_chars: int) -> str:
    """The text of the article a result shows its snippet from (summary first when the body does not open with it)."""
    text = record.body
    if record.summary and not text.startswith(record.summary[:60]):
        text = f"{record.summary} {text}"
    return excerpt(text, snippet_chars)


# lunr.py's Tokenizer splits the lower-cased text on exactly these characters and drops empty pieces.
_LUNR_SEPARATORS = re.compile("[ \t\n\r\f\v\xa0-]+")


# What a posting holds for a document when no term metadata is kept. Builder.add makes a new empty
# defaultdict(list) for each of the ~1 million postings of 5,000 articles; nothing ever writes to
# them (no metadata_whitelist), so one shared empty dict serialises the same and saves ~100 MB.
_NO_METADATA: dict = {}

FieldTerms = tuple[dict[str, int], int]  # one field of one document: term -> frequency, and the field's length


def _field_terms(text: str, term_of: Callable[[str], str | None]) -> FieldTerms:
    """The terms of one field with their frequencies, and its length, as ``Builder.add`` counts them.

    lunr.py runs every function of the pipeline on every token, wrapped in objects; a news corpus
    repeats the same few thousand words, so ``term_of`` maps each distinct word through the
    pipeline once (see ``pipeline.term_function``).
    """
    counts: dict[str, int] = defaultdict(int)
    length = 0
    for word in _LUNR_SEPARATORS.split(text.lower()):
        if not word or (term := term_of(word)) is None:
            continue
        length += 1
        counts[term] += 1
    return counts, length


def _add(builder: Builder, ref: str, fields: list[FieldTerms]) -> None:
    """``Builder.add`` for one document whose fields (in the builder's order) are already counted:
    the same result, several times faster. No term metadata is kept (the builder's
    ``metadata_whitelist`` is empty), so the postings are equal to the ones ``add`` makes."""
    builder._documents[ref] = {}
    builder.document_count += 1
    inverted = builder.inverted_index
    field_names = list(builder._fields)
    for field_name, (counts, length) in zip(field_names, fields, strict=True):
        for term in counts:
            posting = inverted.get(term)
            if posting is None:
                posting = {name: {} for name in field_names}
                posting["_index"] = builder.term_index
                builder.term_index += 1
                inverted[term] = posting
            posting[field_name][ref] = _NO_METADATA
        field_ref = f"{field_name}/{ref}"  # str(lunr.field_ref.FieldRef(ref, field_name))
        builder.field_term_frequencies[field_ref] = counts
        builder.field_lengths[field_ref] = length


def fold_keys(words: dict[str, str | None]) -> dict[str, list[str]]:
    """Fold key -> the terms it reaches, for the keys the browser cannot work out.

    The browser folds each term itself (``fold(term)``), which is enough for words in Latin
    script: a Latin query and a Latin word stem alike. A word with other letters (Cyrillic) is
    stemmed by the Russian stemmer, which cuts "Токаев" to "тока"; the key of the word itself,
    "tokaev", is listed here, so that "Tokayev" finds it.
    """
    extra: dict[str, set[str]] = defaultdict(set)
    for word, term in words.items():
        if term is None or word.isascii():
            continue
        key = fold(word)
        if key and key != fold(term):
            extra[key].add(term)
    return {key: sorted(extra[key]) for key in sorted(extra)}


def number_terms(builder: Builder) -> list[str]:
    """Number the builder's terms in chunk order (``chunks.term_order``) and return that order.

    A term's ``_index`` is the order in which lunr sums a document's scores, so the browser must
    number terms as lunr.py did; numbering them in the order of the chunks lets a chunk give its
    terms' numbers as one start. Done before ``builder.build()``, so lunr.py's own index agrees.
    """
    order = term_order(list(builder.inverted_index))
    for number, term in enumerate(order):
        builder.inverted_index[term]["_index"] = number
    builder.term_index = len(order)
    return order


def _lunr_builder() -> Builder:
    """A lunr.py builder with our fields and the English + Russian pipelines lunr.js loads."""
    builder = Builder()
    builder.pipeline.add(*INDEX_PIPELINE)
    builder.search_pipeline.add(*SEARCH_PIPELINE)
    builder.ref("ref")
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost)
    return builder


def _field_texts(r: SearchRecord) -> tuple[str, ...]:
    """What each field of ``FIELDS`` indexes, in its order."""
    return (
        normalise(r.title),
        normalise(" ".join(r.tags)),
        normalise(" ".join((*r.country_names, *r.country_other_names))),
        normalise(" ".join((r.topic_label, *r.topic_other_labels))),
        normalise(f"{r.summary} {r.body}"),
    )


# A posting waiting for ``finish`` is one 64-bit integer, ``ref << 42 | field length << 21 | tf``: sorting
# the integers sorts by ref, and a big archive's millions of postings take 8 bytes each.
_BITS = 21
_LOW = (1 << _BITS) - 1
MAX_REF = MAX_FIELD_WORDS = _LOW


def _packed_slot(slot: array) -> str:
    """One field's postings of a term, refs ascending, from its integers in any order."""
    parts, previous = [], 0
    for value in sorted(slot):
        ref = value >> (2 * _BITS)
        parts.append(posting(ref - previous, (value >> _BITS) & _LOW, value & _LOW))
        previous = ref
    return ",".join(parts)


class IndexBuilder:
    """Records in, one at a time and in any order of refs; each document's row and text out at once,
    the term chunks and the meta at the end. Nothing holds a record after ``add``: what stays is each
    term's postings (ref, field length and term frequency packed in one machine integer, an array per
    term and field) and a few values per document for the facets and the averages. So a build of tens of
    thousands of articles never holds their texts, nor lunr's per-document term tables.

    Any order, because a site build feeds articles as Pelican reads them (``digest.search.feed``), and
    Pelican reads files in no particular order; ``finish`` sorts each term's postings by ref.

    ``searchable`` also feeds a lunr.py builder, for Python-side queries (tests and benchmarks); that
    needs the records in ref order.
    """

    def __init__(
        self, snippet_chars: int = SNIPPET_CHARS, *, searchable: bool = False, chunk_chars: int = CHUNK_CHARS
    ) -> None:
        self.snippet_chars = snippet_chars
        self.chunk_chars = chunk_chars
        self._lunr = _lunr_builder() if searchable else None
        self._term_of = term_function(INDEX_PIPELINE)
        # term -> per field, None or the array of its postings (``_packed_slot``)
        self._postings: dict[str, list[array | None]] = {}
        self._totals = [0] * len(FIELDS)
        self._countries: dict[str, str] = {}
        self._topics: dict[str, str] = {}
        self._facets: dict[int, tuple[tuple[str, ...], str, str]] = {}  # ref -> (countries, topic, year)

    def add(self, record: SearchRecord) -> tuple[list, str]:
        """Index ``record`` (refs are 0..n-1, each once, in any order); return its row and its text."""
        ref = record.ref
        if not isinstance(ref, int) or not 0 <= ref <= MAX_REF or ref in self._facets:
            raise ValueError(_REFS_MESSAGE)
        fields = [_field_terms(text, self._term_of) for text in _field_texts(record)]
        for name, (_, length) in zip(FIELDS, fields, strict=True):
            if length > MAX_FIELD_WORDS:
                raise ValueError(f"{record.url}: its {name} has {length:,} words; the index takes {MAX_FIELD_WORDS:,}")
        if self._lunr is not None:
            if ref != self.count:
                raise ValueError(f"{_REFS_MESSAGE}, in order for a searchable index")
            _add(self._lunr, str(ref), fields)
        postings = self._postings
        for f, (counts, length) in enumerate(fields):
            self._totals[f] += length
            for term, tf in counts.items():
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = [None] * len(FIELDS)
                slot = entry[f]
                if slot is None:
                    slot = entry[f] = array("q")
                slot.append(ref << (2 * _BITS) | length << _BITS | tf)
        self._countries.update(zip(record.countries, record.country_names or record.countries, strict=False))
        if record.topic:
            self._topics[record.topic] = record.topic_label or record.topic
        self._facets[ref] = (record.countries, record.topic, record.date[:4])
        return _doc_row(record), _snippet_text(record, self.snippet_chars)

    @property
    def count(self) -> int:
        """Records added so far."""
        return len(self._facets)

    def _packed(self, term: str) -> str:
        """A term's postings in ``chunks.posting``'s format, refs ascending; its arrays freed as it goes."""
        return ";".join(f"{f}:{_packed_slot(slot)}" for f, slot in enumerate(self._postings.pop(term)) if slot)

    def finish(self) -> tuple[dict, dict, list[TermChunk], Index | None]:
        """The meta, the facet columns, the term chunks and (when searchable) lunr.py's index.

        The meta holds what lunr.js needs to rebuild the index without its BM25 scores::

            {"lunr": "2.3.9", "fields": [...], "boosts": [...], "pipeline": [...], "n": documents,
             "k1": 1.2, "b": 0.75, "avg": [average length per field], "wordCharacters": "...",
             "fold": {the fold rules}, "terms": {"chunks": [[first key, first term, first number], ...]}, ...}
            chunk: {"t": [terms], "p": "<postings of term 0> <postings of term 1> ...", "x": {key: [terms]}}

        A term's postings are ``<field>:<ref delta>.<field length>[*<tf>],...;<field>:...`` (see
        ``chunks.posting``). They are one space-separated string rather than a list: one
        string is much cheaper for the browser to parse and keep than thousands of small ones, and
        a term's part is cut out only when a query needs it. The decoder computes ``score = idf *
        (k1 + 1) * tf / (k1 * (1 - b + b * len / avg) + tf) * boost``, rounded to 3 places, exactly
        as ``lunr.Builder.createFieldVectors`` (and lunr.py's ``_create_field_vectors``) does, so
        rankings are the same (tested). Terms are numbered in chunk order (``number_terms``).
        """
        n = self.count
        if n and max(self._facets) != n - 1:  # n distinct refs, the largest n - 1: exactly 0..n-1
            raise ValueError(_REFS_MESSAGE)
        order = term_order(list(self._postings))
        chunks = split_terms(order, [self._packed(term) for term in order], self.chunk_chars)
        place_extra_keys(chunks, fold_keys(self._term_of.words))
        lunr_index = None
        if self._lunr is not None and n:
            number_terms(self._lunr)
            lunr_index = self._lunr.build()
        reference = self._lunr or _lunr_builder()
        meta = {
            "version": FORMAT_VERSION,
            "lunr": LUNR_JS_VERSION,
            "fields": list(FIELDS),
            "boosts": list(FIELDS.values()),
            "pipeline": [fn.label for fn in SEARCH_PIPELINE],
            "n": n,
            "k1": reference._k1,
            "b": reference._b,
            # lunr.js averages over the documents that have the field; every document has every field.
            "avg": [total / n if n else 0 for total in self._totals],
            # The trimmer of lunr.multiLanguage('en', 'ru'), which compact-index.js registers itself so
            # that lunr-languages loads only for Cyrillic queries.
            "wordCharacters": MULTI_WORD_CHARACTERS,
            # How compact-index.js folds query words and terms (digest/search/fold.py).
            "fold": browser_rules(),
            "terms": {"dir": TERMS_DIR, "global": TERMS_GLOBAL_NAME, "chunks": [[*c.first, c.start] for c in chunks]},
            "docs": {"dir": DOCS_DIR, "global": DOCS_GLOBAL_NAME, "chunk": DOC_CHUNK, "fields": list(DOC_FIELDS)},
            "facets": {"global": FACETS_GLOBAL_NAME},
            "cyrillic": list(CYRILLIC_SCRIPTS),
            "countries": dict(sorted(self._countries.items(), key=lambda kv: kv[1])),
            "topics": dict(sorted(self._topics.items(), key=lambda kv: kv[1])),
        }
        columns = zip(*(self._facets[ref] for ref in range(n)), strict=True) if n else ((), (), ())
        return meta, facet_columns(*columns), chunks, lunr_index


def build_index(
    records: Sequence[SearchRecord],
    snippet_chars: int = SNIPPET_CHARS,
    *,
    searchable: bool = True,
    chunk_chars: int = CHUNK_CHARS,
) -> SearchIndex:
    """Index ``records`` (refs 0..n-1) with the English + Russian pipelines lunr.js can load.

    ``searchable=False`` gives the same payload without a Python-side lunr index (``search``
    then finds nothing): what a site build needs. It skips lunr.py's scoring (``fieldVectors``)
    and token set, which the browser rebuilds for itself, so it is faster and smaller.
    ``chunk_chars`` bounds the term chunks (``chunks.CHUNK_CHARS``). A site build streams its
    records through an ``IndexBuilder`` instead (``files.build_files``) and holds none of this.
    """
    builder = IndexBuilder(snippet_chars, searchable=searchable, chunk_chars=chunk_chars)
    docs, texts = [], []
    for r in sorted(records, key=lambda r: r.ref):
        row, text = builder.add(r)
        docs.append(row)
        texts.append(text)
    meta, facets, term_chunks, lunr_index = builder.finish()
    return SearchIndex(lunr_index, meta, facets, term_chunks, docs, texts, len(records))
