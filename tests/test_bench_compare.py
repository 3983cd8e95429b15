"""The site's compact index against lunr.py's full serialisation, in Chromium: smaller, same ranking."""

from __future__ import annotations

import pytest

from benchmarks import compare, corpus
from benchmarks.run import queries_for
from benchmarks.searchindex import load_records
from digest.search import build_index

pytestmark = pytest.mark.browser

N = 60


@pytest.fixture(scope="module")
def site_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare") / "articles"
    corpus.generate(N, folder, seed=2)
    return build_index(load_records(folder))


def test_first_script_is_far_smaller_than_the_full_serialisation(site_index):
    sizes = compare.sizes(site_index)
    first_raw, first_gz = sizes["site meta.js + facets.js, loaded first"]
    full_raw, full_gz = sizes["full lunr.py serialisation + the same docs"]
    assert first_raw < full_raw / 2 and first_gz < full_gz / 2


def test_site_index_ranks_and_scores_as_lunr_index_load_in_chromium(site_index, browser):
    queries = compare.sample_queries(site_index, queries_for(N, 2), k=40)
    assert any(q.endswith("*") for q in queries) and any("~" in q for q in queries)
    result = compare.browser_compare(site_index, queries, chromium=browser)
    ranking = result["ranking"]
    assert len(ranking) == len(queries)
    assert [r["q"] for r in ranking if not r["same"]] == []
    assert sum(r["hits"] > 0 for r in ranking) > len(queries) / 2, "the queries must actually find things"
    assert result["site"]["wire"] < result["full"]["wire"]
    assert result["site"]["hits"] == result["full"]["hits"] > 0
