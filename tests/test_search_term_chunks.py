"""The term chunks (digest/search/chunks.py): every term in one chunk, in (fold key, term) order, the
meta naming each chunk's first key; and in node, with compact-index.js, each kind of query loads
only the chunks of its keys and finds what the unsplit index finds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks import corpus
from benchmarks.searchindex import load_records
from digest.search import build_index
from digest.search.chunks import chunk_of, split_terms, term_order
from digest.search.fold import fold
from digest.search.index import INDEX_FILES
from digest.search.node import node_available, run_in_node

from .conftest import FIXTURES

needs_node = pytest.mark.skipif(not node_available(), reason="node or node_modules missing")

SMALL = 1500  # characters per chunk: dozens of chunks for a small corpus


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """Generated articles, then the fixture site's (names in both scripts), refs 0..n-1."""
    folder = tmp_path_factory.mktemp("chunk-corpus") / "articles"
    corpus.generate(40, folder, seed=11)
    generated = load_records(folder)
    fixtures = load_records(FIXTURES / "site" / "articles")
    return generated + [replace(r, ref=r.ref + len(generated)) for r in fixtures]


@pytest.fixture(scope="module")
def split(records):
    return build_index(records, chunk_chars=SMALL)


@pytest.fixture(scope="module")
def whole(records):
    return build_index(records, searchable=False, chunk_chars=10**9)


def _firsts(index) -> list[tuple[str, str]]:
    return [(key, term) for key, term, _ in index.meta["terms"]["chunks"]]


def test_every_term_is_in_exactly_one_chunk_in_fold_key_order(split, whole):
    assert len(whole.term_chunks) == 1 and len(split.term_chunks) > 20
    terms = [t for chunk in split.term_chunks for t in chunk.terms]
    assert len(terms) == len(set(terms)) == len(split.lunr_index.inverted_index)
    assert terms == term_order(terms) == whole.term_chunks[0].terms
    keys = [(fold(t), t) for t in terms]
    assert keys == sorted(keys)


def test_the_meta_names_each_chunks_first_key_and_term_and_its_start(split):
    start = 0
    for (key, term, first), chunk in zip(split.meta["terms"]["chunks"], split.term_chunks, strict=True):
        assert (key, term) == (fold(chunk.terms[0]), chunk.terms[0])
        assert first == start  # lunr's term numbers continue from chunk to chunk
        start += len(chunk.terms)
    files = split.files()
    assert {f"terms/{i}.js" for i in range(len(split.term_chunks))} <= set(files)
    # What the page loads first does not hold postings.
    first = "".join(files[name] for name in INDEX_FILES)
    assert not [p for chunk in split.term_chunks for p in chunk.postings if len(p) > 20 and p in first]


def test_chunks_are_bounded_unless_one_term_alone_is_larger():
    order = ["a", "b", "c", "d", "e"]
    postings = ["x" * 10, "x" * 10, "x" * 100, "x" * 10, "x" * 10]
    chunks = split_terms(order, postings, limit=40)
    assert [c.terms for c in chunks] == [["a", "b"], ["c"], ["d", "e"]]
    assert [c.start for c in chunks] == [0, 2, 3]


def test_chunk_of_finds_the_chunk_that_holds_a_key(split):
    firsts = _firsts(split)
    for i, chunk in enumerate(split.term_chunks):
        for term in chunk.terms:
            assert chunk_of(firsts, fold(term), term) == i
    assert chunk_of(firsts, "") == 0 and chunk_of([], "x") == -1


def test_extra_keys_sit_in_the_chunk_of_their_key(split):
    firsts = _firsts(split)
    extras = {key: i for i, chunk in enumerate(split.term_chunks) for key in chunk.extra}
    assert extras, "the corpus has Cyrillic words whose key differs from their term's"
    assert all(chunk_of(firsts, key) == i for key, i in extras.items())


# Each query on a fresh index: the term chunks it loaded (numbers) and its refs; then the same on
# the unsplit index, for comparison.
NODE_BODY = r"""
const out = {};
for (const q of request.queries) {
  const idx = openIndex();
  loaded.length = 0;
  const found = await idx.searchAsync(q);
  out[q] = { refs: found.map((r) => Number(r.ref)), scores: found.map((r) => r.score),
             chunks: loaded.filter((p) => p.startsWith("terms/")).map((p) => Number(p.slice(6, -3))),
             corrections: found.corrections.map((c) => c.terms) };
}
return out;
"""
QUERIES = [
    "journalist",
    "journalists",
    "journ*",
    "Khakimova",
    "Hakimova",
    "Xakimova",
    "Хакимова",
    "Khakimva",
    "spywear",
    "Tokaev",
    "Токаев",
    "Kloop",
    "Клооп",
    "журналиста",
    '"limited freedom"',
    "+kloop -russia",
    "-kazakhstan",
    "title:treason",
    "kloop~1",
    "pre*",
    "y*",
]


@pytest.fixture(scope="module")
def answers(split, whole):
    return run_in_node(split.files(), NODE_BODY, {"queries": QUERIES}), run_in_node(
        whole.files(), NODE_BODY, {"queries": QUERIES}
    )


@needs_node
def test_every_query_finds_what_the_unsplit_index_finds(answers):
    chunked, unsplit = answers
    for q in QUERIES:
        assert chunked[q]["refs"] == unsplit[q]["refs"], q
        assert chunked[q]["scores"] == unsplit[q]["scores"], q
        assert chunked[q]["corrections"] == unsplit[q]["corrections"], q
    assert chunked["Khakimva"]["refs"] and chunked["Khakimva"]["corrections"], "a typo still finds the name"
    assert set(chunked["Хакимова"]["refs"]) == set(chunked["Khakimova"]["refs"]) != set()


def _key_range(firsts, key: str, exact: bool) -> set[int]:
    """The chunks that can hold a term whose key is ``key`` (exact) or starts with it."""
    out = set()
    for i in range(chunk_of(firsts, key), len(firsts)):
        if out and (firsts[i][0] != key if exact else not firsts[i][0].startswith(key)):
            break
        out.add(i)
    return out


@needs_node
def test_a_word_loads_the_chunks_of_its_keys_only(split, answers):
    firsts = _firsts(split)
    chunked, _ = answers
    # "journalist": its key is itself; the stem's and the word's keys are the same.
    assert set(chunked["journalist"]["chunks"]) == _key_range(firsts, "journalist", exact=True)
    # Every spelling of a name: the chunks of its key (and lunr-languages for Cyrillic, not counted).
    for q in ("Khakimova", "Hakimova", "Xakimova", "Хакимова"):
        assert set(chunked[q]["chunks"]) <= _key_range(firsts, "hakimova", True) | _key_range(firsts, "hakimov", True)
    assert len(chunked["Kloop"]["chunks"]) <= 2 < len(firsts)


@needs_node
def test_a_prefix_loads_the_range_of_its_key(split, answers):
    firsts = _firsts(split)
    chunked, _ = answers
    assert set(chunked["journ*"]["chunks"]) == _key_range(firsts, "journ", exact=False)
    assert len(chunked["journ*"]["chunks"]) < len(firsts) / 4
    # "y" could become "e" or "i": every chunk is a candidate.
    assert set(chunked["y*"]["chunks"]) == set(range(len(firsts)))


@needs_node
def test_a_typo_loads_the_chunks_of_its_first_letter(split, answers):
    firsts = _firsts(split)
    chunked, _ = answers
    letter_h = _key_range(firsts, "h", exact=False)
    assert set(chunked["Khakimva"]["chunks"]) <= letter_h
    assert set(chunked["Khakimova"]["chunks"]) < letter_h, "an exact name needs no typo candidates"
    assert set(chunked["spywear"]["chunks"]) <= _key_range(firsts, "s", exact=False)
