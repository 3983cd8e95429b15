"""The compact postings encoding: smaller, and lunr.js rebuilt from it ranks exactly as the full index."""

from __future__ import annotations

import pytest

from digest.bench import compact, compare, corpus
from digest.bench.run import queries_for
from digest.bench.searchindex import load_records

pytestmark = pytest.mark.browser

N = 60


@pytest.fixture(scope="module")
def encoded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compact") / "articles"
    corpus.generate(N, folder, seed=2)
    records = load_records(folder)
    sizes, packed, site = compact.variants(records)
    return records, sizes, packed, site


def test_builder_matches_the_site_builder_and_encoding_is_smaller(encoded):
    _, sizes, packed, site = encoded
    assert compact.check_same_index(packed, site.payload), "the compact builder must index exactly what the site does"
    raw, gz = sizes["compact postings (this module)"]
    full_raw, full_gz = sizes["lunr index alone"]
    assert raw < full_raw / 2 and gz < full_gz / 2
    assert packed.payload["n"] == N and len(packed.payload["p"]) == len(packed.payload["terms"])


def test_postings_round_trip_with_term_frequencies(encoded):
    _, _, packed, _ = encoded
    p = packed.payload
    builder = packed.builder
    body = p["fields"].index("body")
    term = next(t for t in p["terms"] if any(tf > 1 for tf in _tfs(builder, t)))
    decoded = {}
    for part in p["p"][p["terms"].index(term)].split(";"):
        f, items = part.split(":")
        ref = 0
        for item in items.split(","):
            delta, _, tf = item.partition("*")
            ref += int(delta, 36)
            decoded[(int(f), ref)] = int(tf, 36) if tf else 1
    expected = {
        (p["fields"].index(field), int(ref)): builder.field_term_frequencies[f"{field}/{ref}"][term]
        for field in p["fields"]
        for ref in builder.inverted_index[term][field]
    }
    assert decoded == expected
    assert any(f == body for f, _ in decoded)


def _tfs(builder, term):
    return [
        builder.field_term_frequencies[f"{field}/{ref}"][term]
        for field, refs in builder.inverted_index[term].items()
        if field != "_index"
        for ref in refs
    ]


def test_rebuilt_index_ranks_identically_in_lunr_js(encoded, browser):
    _, _, packed, site = encoded
    queries = compare.sample_queries(packed, queries_for(N, 2), k=40)
    result = compare.browser_compare(site, packed, queries, chromium=browser)
    for kind in ("compact", "lazy"):
        ranking = result[f"ranking_{kind}"]
        assert len(ranking) == len(queries)
        assert [r["q"] for r in ranking if not r["same"]] == [], kind
    assert sum(r["hits"] > 0 for r in ranking) > len(queries) / 2, "the queries must actually find things"
    assert result["compact"]["wire"] < result["full"]["wire"]
    assert result["lazy"]["hits"] == result["full"]["hits"] > 0
