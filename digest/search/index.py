"""Build the site's search index with lunr.py, and encode it as a classic script for lunr.js.

``build_index(records)`` is the one entry point: it takes plain ``SearchRecord`` data (the Pelican
plugin makes them from articles) and returns a ``SearchIndex`` that knows how to write itself.
Swapping the encoding (chunks, postings only) means changing this module, not the plugin.

What the browser gets, as ``window.DIGEST_SEARCH_INDEX``:

- ``index``: a serialised ``lunr.Index`` (lunr.js 2.3.9 schema), integer refs, no term positions
  (highlighting matches query terms against the snippet text in the browser instead);
- ``docs``: one row per ref holding only what a result shows (see ``DOC_FIELDS``);
- ``countries`` / ``topics``: code -> name and slug -> label, for the rows and the filters.

The script is ``JSON.parse('...')`` of one string: browsers parse that far faster than an object
literal, and ``<`` is escaped so that no ``</script>`` or ``<!--`` in a title can end the script.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lunr.builder import Builder
from lunr.index import Index

from digest.schema import Article
from digest.search.pipeline import INDEX_PIPELINE, SEARCH_PIPELINE, normalise, term_function
from digest.search.text import excerpt

GLOBAL_NAME = "DIGEST_SEARCH_INDEX"
FORMAT_VERSION = 1
DOC_FIELDS = ("title", "url", "date", "approximate", "countries", "topic", "text", "lang")
# Field name -> boost. "title" and "tags" can be searched by name (title:treason, tags:kloop).
FIELDS = {"title": 10, "tags": 5, "country": 3, "topic": 3, "body": 1}
SNIPPET_CHARS = 400
LUNR_JS_VERSION = "2.3.9"
INDEX_FILES = ("index.js",)  # what ``SearchIndex.files`` writes, known before the index is built


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
            tags=tuple(article.tags),
            summary=article.summary or "",
            body=body,
            lang=article.lang,
        )


@dataclass
class SearchIndex:
    """A built index: the lunr.py ``Index`` (for Python-side queries) and the browser payload."""

    lunr_index: object | None
    payload: dict
    record_count: int
    _js: str | None = field(default=None, repr=False)

    def to_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":"))

    def to_js(self) -> str:
        """A classic script that assigns the payload to ``window.DIGEST_SEARCH_INDEX``."""
        if self._js is None:
            literal = (
                self.to_json()
                .replace("\\", "\\\\")
                .replace("'", "\\'")
                .replace("<", "\\x3c")
                .replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029")
            )
            self._js = f"window.{GLOBAL_NAME}=JSON.parse('{literal}');\n"
        return self._js

    def files(self) -> dict[str, str]:
        """Output files, relative to the search folder of the site."""
        return {INDEX_FILES[0]: self.to_js()}

    def sizes(self) -> dict[str, int]:
        """Bytes of every output file together, raw and gzip-compressed (level 9)."""
        raw = b"".join(text.encode("utf-8") for text in self.files().values())
        return {"raw": len(raw), "gzip": len(gzip.compress(raw, compresslevel=9, mtime=0))}

    def search(self, query: str) -> list[int]:
        """Refs matching ``query``, best first, as lunr.js would rank them (for tests and benchmarks)."""
        if self.lunr_index is None:
            return []
        return [int(r["ref"]) for r in self.lunr_index.search(normalise(query))]


def _check_refs(records: Sequence[SearchRecord]) -> None:
    refs = sorted(r.ref for r in records)
    if refs != list(range(len(records))):
        raise ValueError("search records need the refs 0..n-1, each once (they index the docs table)")


def _doc_row(record: SearchRecord, snippet_chars: int) -> list:
    text = record.body
    if record.summary and not text.startswith(record.summary[:60]):
        text = f"{record.summary} {text}"
    row = [
        record.title,
        record.url,
        record.date,
        1 if record.date_precision == "approximate" else 0,
        list(record.countries),
        record.topic,
        excerpt(text, snippet_chars),
    ]
    if record.lang and record.lang != "en":
        row.append(record.lang)
    return row


# lunr.py's Tokenizer splits the lower-cased text on exactly these characters and drops empty pieces.
_LUNR_SEPARATORS = re.compile("[ \t\n\r\f\v\xa0-]+")


# What a posting holds for a document when no term metadata is kept. Builder.add makes a new empty
# defaultdict(list) for each of the ~1 million postings of 5,000 articles; nothing ever writes to
# them (no metadata_whitelist), so one shared empty dict serialises the same and saves ~100 MB.
_NO_METADATA: dict = {}


def _add(builder: Builder, ref: str, fields: dict[str, str], term_of: Callable[[str], str | None]) -> None:
    """``Builder.add`` for our documents, with the same result, several times faster.

    lunr.py runs every function of the pipeline on every token, wrapped in objects; a news corpus
    repeats the same few thousand words, so ``term_of`` maps each distinct word through the
    pipeline once (see ``pipeline.term_function``). No term metadata is kept (the builder's
    ``metadata_whitelist`` is empty), so the postings are equal to the ones ``add`` makes.
    """
    builder._documents[ref] = {}
    builder.document_count += 1
    inverted = builder.inverted_index
    field_names = list(builder._fields)
    for field_name in field_names:
        field_terms: dict[str, int] = defaultdict(int)
        length = 0
        for word in _LUNR_SEPARATORS.split(fields[field_name].lower()):
            if not word or (term := term_of(word)) is None:
                continue
            length += 1
            field_terms[term] += 1
            posting = inverted.get(term)
            if posting is None:
                posting = {name: {} for name in field_names}
                posting["_index"] = builder.term_index
                builder.term_index += 1
                inverted[term] = posting
            if ref not in posting[field_name]:
                posting[field_name][ref] = _NO_METADATA
        field_ref = f"{field_name}/{ref}"  # str(lunr.field_ref.FieldRef(ref, field_name))
        builder.field_term_frequencies[field_ref] = field_terms
        builder.field_lengths[field_ref] = length


def _empty_index() -> dict:
    return {
        "version": LUNR_JS_VERSION,
        "fields": list(FIELDS),
        "fieldVectors": [],
        "invertedIndex": [],
        "pipeline": [fn.label for fn in SEARCH_PIPELINE],
    }


def _serializable_index(builder: Builder) -> Index:
    """``Builder.build()`` without the token set: the serialised index never holds one.

    The token set (a trie of every term) is only for querying in Python; for 5,000 articles it
    costs seconds and much memory, so a build that only writes the index skips it.
    """
    builder._calculate_average_field_lengths()
    builder._create_field_vectors()
    return Index(
        inverted_index=builder.inverted_index,
        field_vectors=builder.field_vectors,
        token_set=None,
        fields=list(builder._fields),
        pipeline=builder.search_pipeline,
    )


def build_index(
    records: Sequence[SearchRecord], snippet_chars: int = SNIPPET_CHARS, *, searchable: bool = True
) -> SearchIndex:
    """Index ``records`` (refs 0..n-1) with the English + Russian pipelines lunr.js can load.

    ``searchable=False`` gives the same payload without a Python-side lunr index (``search``
    then finds nothing): what a site build needs, faster and in less memory.
    """
    _check_refs(records)
    records = sorted(records, key=lambda r: r.ref)
    index = None
    if records:
        builder = Builder()
        builder.pipeline.add(*INDEX_PIPELINE)
        builder.search_pipeline.add(*SEARCH_PIPELINE)
        builder.ref("ref")
        for name, boost in FIELDS.items():
            builder.field(name, boost=boost)
        term_of = term_function(INDEX_PIPELINE)
        for r in records:
            _add(
                builder,
                str(r.ref),
                {
                    "title": normalise(r.title),
                    "tags": normalise(" ".join(r.tags)),
                    "country": normalise(" ".join(r.country_names)),
                    "topic": normalise(r.topic_label),
                    "body": normalise(f"{r.summary} {r.body}"),
                },
                term_of,
            )
        index = builder.build() if searchable else _serializable_index(builder)
    countries: dict[str, str] = {}
    topics: dict[str, str] = {}
    for r in records:
        countries.update(zip(r.countries, r.country_names or r.countries, strict=False))
        if r.topic:
            topics[r.topic] = r.topic_label or r.topic
    payload = {
        "version": FORMAT_VERSION,
        "docFields": list(DOC_FIELDS),
        "index": index.serialize() if index is not None else _empty_index(),
        "docs": [_doc_row(r, snippet_chars) for r in records],
        "countries": dict(sorted(countries.items(), key=lambda kv: kv[1])),
        "topics": dict(sorted(topics.items(), key=lambda kv: kv[1])),
    }
    return SearchIndex(lunr_index=index if searchable else None, payload=payload, record_count=len(records))
