"""A postings-only encoding of the search index that the browser rebuilds into a ``lunr.Index``.

A serialised lunr index is mostly ``fieldVectors``: one BM25 score per (field, document, term),
written as decimals that gzip poorly. Those scores are a pure function of numbers that are tiny
to ship: for each term, the documents that hold it per field with the term frequency (almost
always 1), and each document's field lengths. This module encodes exactly that; the decoder
(``compact.js``) recomputes the vectors with lunr.js's own formula (``lunr.Builder``'s
``createFieldVectors``) and hands ``new lunr.Index({...})`` the same inverted index, vectors,
token set and pipeline that ``lunr.Index.load`` would build from the full serialisation.

This is a proposal measured by the benchmark, not the site's encoding: the search engineer owns
``digest/search``. The builder below repeats ``digest.search.index.build_index``'s ``add`` calls
(same fields, boosts, pipelines, normalisation) and ``check_same_index`` proves it built the same
index, so the comparison stays honest if that module changes.

Wire format (``window.DIGEST_COMPACT_INDEX = JSON.parse('...')``)::

    {"v": 1, "fields": [...], "boosts": [...], "pipeline": [...], "n": docs, "k1": 1.2, "b": 0.75,
     "avg": [average length per field], "len": [[length of field f in doc d]...],
     "terms": [sorted terms], "p": ["<field>:<delta>[*<tf>],...;<field>:..." per term]}

Deltas and term frequencies are base 36; a field with no postings is left out.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lunr.builder import Builder

GLOBAL_NAME = "DIGEST_COMPACT_INDEX"
DECODER = Path(__file__).with_name("compact.js")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def b36(value: int) -> str:
    if value < 36:
        return _DIGITS[value]
    out = []
    while value:
        value, r = divmod(value, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


@dataclass
class Compact:
    payload: dict
    builder: Builder
    lunr_index: object

    def to_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":"))

    def to_js(self) -> str:
        """The same ``JSON.parse('...')`` classic script as the site's index (``<`` escaped)."""
        literal = (
            self.to_json()
            .replace("\\", "\\\\")
            .replace("'", "\\'")
            .replace("<", "\\x3c")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )
        return f"window.{GLOBAL_NAME}=JSON.parse('{literal}');\n"


def build_builder(records: Sequence) -> Builder:
    """A lunr.py builder fed exactly as ``digest.search.index.build_index`` feeds its own."""
    from digest.search import index as site

    builder = Builder()
    builder.pipeline.add(*site.INDEX_PIPELINE)
    builder.search_pipeline.add(*site.SEARCH_PIPELINE)
    builder.ref("ref")
    for name, boost in site.FIELDS.items():
        builder.field(name, boost=boost)
    for r in sorted(records, key=lambda r: r.ref):
        builder.add(
            {
                "ref": r.ref,
                "title": site.normalise(r.title),
                "tags": site.normalise(" ".join(r.tags)),
                "country": site.normalise(" ".join(r.country_names)),
                "topic": site.normalise(r.topic_label),
                "body": site.normalise(f"{r.summary} {r.body}"),
            }
        )
    return builder


def encode(records: Sequence) -> Compact:
    """Build the index once and encode its postings, term frequencies and field lengths."""
    from digest.search import index as site

    builder = build_builder(records)
    index = builder.build()
    fields = list(site.FIELDS)
    n = builder.document_count
    terms = sorted(builder.inverted_index)
    tfs = builder.field_term_frequencies
    postings = []
    for term in terms:
        entry = builder.inverted_index[term]
        parts = []
        for f, field in enumerate(fields):
            refs = sorted(int(ref) for ref in entry.get(field, {}))
            if not refs:
                continue
            prev = 0
            items = []
            for ref in refs:
                tf = tfs[f"{field}/{ref}"][term]
                items.append(b36(ref - prev) + (f"*{b36(tf)}" if tf != 1 else ""))
                prev = ref
            parts.append(f"{f}:" + ",".join(items))
        postings.append(";".join(parts))
    lengths = [[builder.field_lengths.get(f"{field}/{ref}", 0) for ref in range(n)] for field in fields]
    payload = {
        "v": 1,
        "fields": fields,
        "boosts": [site.FIELDS[f] for f in fields],
        "pipeline": [fn.label for fn in site.SEARCH_PIPELINE],
        "n": n,
        "k1": builder._k1,
        "b": builder._b,
        "avg": [builder.average_field_length.get(f, 0) for f in fields],
        "len": lengths,
        "terms": terms,
        "p": postings,
    }
    return Compact(payload=payload, builder=builder, lunr_index=index)


def check_same_index(compact: Compact, site_payload: dict) -> bool:
    """True when this builder made the very index ``build_index`` serialised (same terms and scores)."""
    return compact.lunr_index.serialize() == site_payload["index"]


def gz(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))


def variants(records: Sequence) -> tuple[dict[str, tuple[int, int]], Compact, object]:
    """Sizes (raw, gzip) of the site's index script and of the encodings that could replace it."""
    from digest.search import build_index

    site = build_index(records)
    compact = encode(records)
    payload = site.payload
    docs_json = json.dumps(payload["docs"], ensure_ascii=False, separators=(",", ":"))
    text_at = payload["docFields"].index("text")
    slim_docs = [row[:text_at] + row[text_at + 1 :] for row in payload["docs"]]
    slim_json = json.dumps(slim_docs, ensure_ascii=False, separators=(",", ":"))
    lunr_json = json.dumps(payload["index"], ensure_ascii=False, separators=(",", ":"))
    vectors = json.dumps(payload["index"]["fieldVectors"], separators=(",", ":"))
    inverted = json.dumps(payload["index"]["invertedIndex"], ensure_ascii=False, separators=(",", ":"))
    compact_json = compact.to_json()
    js = site.to_js()
    sizes = {
        "site index.js (lunr index + docs with 400-char snippet text)": (len(js.encode()), gz(js)),
        "  of which lunr invertedIndex": (len(inverted.encode()), gz(inverted)),
        "  of which lunr fieldVectors (BM25 scores)": (len(vectors.encode()), gz(vectors)),
        "  of which docs table": (len(docs_json.encode()), gz(docs_json)),
        "lunr index alone": (len(lunr_json.encode()), gz(lunr_json)),
        "compact postings (this module)": (len(compact_json.encode()), gz(compact_json)),
        "docs table without snippet text": (len(slim_json.encode()), gz(slim_json)),
    }
    c_raw, c_gz = sizes["compact postings (this module)"]
    d_raw, d_gz = sizes["  of which docs table"]
    s_raw, s_gz = sizes["docs table without snippet text"]
    sizes["compact + docs (same content as the site's)"] = (c_raw + d_raw, c_gz + d_gz)
    sizes["compact + docs without text (text loaded per result page)"] = (c_raw + s_raw, c_gz + s_gz)
    return sizes, compact, site
