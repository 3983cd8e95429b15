"""compact-index.js answers a query on its own typed-array postings, not through lunr.Index.query: the
results must be lunr's, to the last bit, however many documents match.

The reference is the same index answering the same query with ``{lunr: true}``: the same clauses
(name search, typos, phrases) evaluated by lunr.Index.prototype.query itself on lunr's own
structures. Refs, their order (ties included), scores, every result's matched terms and fields in
lunr's order, the terms matched by any result, corrections and phrases must all be equal, on queries
that match most of the archive.
"""

from __future__ import annotations

import pytest

from benchmarks.corpus import generate
from benchmarks.searchindex import load_records
from digest.search import build_index
from digest.search.node import node_available, run_in_node

pytestmark = pytest.mark.skipif(not node_available(), reason="node or node_modules missing")

ARTICLES = 160

# Each query twice on one index, first as the site runs it, then through lunr.Index.query; a query
# lunr refuses must be refused both ways with the same message.
COMPARE = r"""
const idx = openIndex();
const shape = (found) => ({
  refs: found.map((r) => r.ref),
  scores: found.map((r) => r.score),
  matched: found.map((r) => Object.keys(r.matchData.metadata).map((t) => [t, Object.keys(r.matchData.metadata[t]).map(
    (f) => [f, Object.getPrototypeOf(r.matchData.metadata[t][f]) === null, Object.keys(r.matchData.metadata[t][f]).length])])),
  corrections: found.corrections, phrases: found.phrases,
  // What the page highlights: the site's engine lists these without making each result's MatchData.
  terms: found.matchedTerms.slice().sort(),
});
const answer = (q, options) => idx.searchAsync(q, options).then(shape, (e) => ({ error: String(e && e.message) }));
const out = {};
for (const q of request.queries) out[q] = { site: await answer(q, {}), lunr: await answer(q, { lunr: true }) };
return out;
"""

QUERIES = [
    "journalist", "court", "human rights", "media law", "radio ozodi", "prison conditions", "the court law",
    "journ*", "c*", "*ist", "jour*ist", "title:court", "body:law title:media", "tags:kloop", "country:kazakhstan",
    "+court -kazakhstan", "+human +rights", "+court +nosuchword", "court^5 law", "-kazakhstan", "-court -law",
    "journalist~1", "jurnalist", "humen rights", "comrt", '"human rights"', '"media law" court', "журналиста", "свободы слова",
    "title:", "nosuchword",
]  # fmt: skip


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("query") / "articles"
    generate(ARTICLES, folder, seed=2)
    files = build_index(load_records(folder), searchable=False).files()
    return run_in_node(files, COMPARE, {"queries": QUERIES})


def test_queries_with_many_hits_are_answered_as_lunr_answers_them(answers):
    differing = [q for q in QUERIES if answers[q]["site"] != answers[q]["lunr"]]
    assert differing == []


def test_the_comparison_covers_large_answers_ties_and_refusals(answers):
    hits = {q: len(answers[q]["site"].get("refs", [])) for q in QUERIES}
    assert hits["human rights"] > ARTICLES // 2 and hits["media law"] > ARTICLES // 2
    assert hits["-kazakhstan"] > 0 and hits["+court -kazakhstan"] < hits["court"]
    assert answers["humen rights"]["site"]["corrections"] and answers["comrt"]["site"]["corrections"]
    assert answers["title:"]["site"].get("error"), "lunr refuses a field without a term"
    # Documents whose fields match alike tie: their order is lunr's insertion order, which the engine must keep.
    scores = answers["journalist"]["site"]["scores"]
    assert len(set(scores)) < len(scores)
    # A result matched in several fields lists each, as lunr's MatchData.combine does.
    assert any(len(fields) > 1 for result in answers["court"]["site"]["matched"] for _, fields in result)
