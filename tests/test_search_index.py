"""The search index builder, without a browser: terms, stored fields, escaping, and lunr.js loading.

lunr.js itself (from node_modules, run by node) loads every index built here: that is the check
that the pipeline names are registered, the terms sorted as JavaScript sorts them, and that the
browser finds what Python indexed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import snowballstemmer

from digest import REPO_ROOT
from digest.search import SearchRecord, build_index, html_to_text
from digest.search.index import DOC_CHUNK, DOC_FIELDS, SNIPPET_CHARS
from digest.search.node import node_available, run_in_node
from digest.search.pipeline import porter_stem, terms

needs_node = pytest.mark.skipif(not node_available(), reason="node or node_modules missing")

# Loads the index scripts like the browser does (classic scripts setting globals, chunks loaded as a
# query needs them) with the same lunr files and decoder (theme/static/js/compact-index.js) the site
# ships, then answers queries and stems words with lunr.js's own pipeline. With "full", a lunr.py
# serialisation is also loaded with lunr.Index.load, and its refs and scores are returned beside the
# compact index's.
NODE_BODY = r"""
await load(["lunr.stemmer.support.min.js", "lunr.ru.min.js"]);
const result = { stems: {}, ru: {}, hits: {}, scores: {}, fullHits: {}, fullScores: {} };
for (const w of request.words || []) result.stems[w] = lunr.stemmer(new lunr.Token(w)).toString();
for (const w of request.ruWords || []) result.ru[w] = lunr.ru.stemmer(new lunr.Token(w)).toString();
if (request.index) {
  const idx = openIndex();
  const full = request.full ? lunr.Index.load(request.full) : null;
  const docs = await docsOf(idx);
  result.docs = docs.map((d) => [d.title, d.url, d.date, d.approximate, d.countries, d.topic, d.lang]);
  result.texts = docs.map((d) => d.text);
  for (const q of request.queries || []) {
    // lunr.js alone: the decoder is compared, not the name search
    const found = await idx.searchAsync(q, { plain: true });
    result.hits[q] = found.map((r) => Number(r.ref));
    result.scores[q] = found.map((r) => r.score);
    if (full) {
      const expected = full.search(q);
      result.fullHits[q] = expected.map((r) => Number(r.ref));
      result.fullScores[q] = expected.map((r) => r.score);
    }
  }
}
return result;
"""


def run_lunr_js(tmp_path: Path, files: dict[str, str] | None = None, **request) -> dict:
    """Run lunr.js in node on an index's files (``SearchIndex.files()``); return stems, hits and stored data."""
    return run_in_node(files or {}, NODE_BODY, {**request, "index": bool(files)})


def record(ref: int, title: str, body: str = "", **kw) -> SearchRecord:
    kw.setdefault("countries", ("KZ",))
    kw.setdefault("country_names", ("Kazakhstan",))
    kw.setdefault("topic", "media-freedom")
    kw.setdefault("topic_label", "Media freedom")
    return SearchRecord(
        ref=ref, title=title, url=f"articles/a{ref}/", date="2024-01-0" + str(ref % 9 + 1), body=body, **kw
    )


CORPUS = [
    record(0, "В Казахстане задержан журналист", "В Алматы полиция задержала журналиста. Журналисты требуют освобождения.", lang="ru"),
    record(1, "Tajik Journalist Faces Treason Charges", "Authorities charged journalist Rukhshona Khakimova with treason.",
           countries=("TJ", "CN"), country_names=("Tajikistan", "China"), topic="political-prosecution",
           topic_label="Political prosecution", tags=("Rukhshona Khakimova", "Article 305"), date_precision="approximate"),
    record(2, "Kyrgyzstan Closes Kloop", "Kloop has won awards. Journalists say the day of money and play is over.",
           countries=("KG",), country_names=("Kyrgyzstan",), tags=("Kloop",)),
    record(3, "Emoji 😀 headline 🇰🇿 with ｆｕｌｌｗｉｄｔｈ text", "Body 😀x with emoji😀 and ＡＢＣ and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters ёлка"),
    record(4, "Breakout </script><script>alert(1)</script> <!-- title", "breakoutmarker line\u2028separator 'quote' \"dq\" back\\slash"),
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus_index():
    return build_index(CORPUS)


def test_russian_forms_share_a_stem_and_english_plurals_theirs():
    assert set(terms("журналиста журналисты журналистов журналист")) == {"журналист"}
    assert terms("Journalists journalist") == ["journalist", "journalist"]
    assert terms("задержала в Алматы") == ["задержа", "алмат"]  # "в" is a Russian stop word


def test_cyrillic_survives_trimming_and_punctuation_is_trimmed():
    assert terms("«Журналисты», (Kloop)!") == ["журналист", "kloop"]


def test_python_search_finds_russian_and_english_inflections(corpus_index):
    assert corpus_index.search("журналиста") == [0]
    assert corpus_index.search("журналистов") == [0]
    assert set(corpus_index.search("journalists")) == {1, 2}
    assert corpus_index.search("title:treason") == [1]
    assert corpus_index.search("ёлка") == [3]


def _postings(index) -> dict[str, dict[str, dict[int, tuple[int, int]]]]:
    """The chunks' postings decoded in Python: term -> field -> {ref: (term frequency, field length)}."""
    fields = index.meta["fields"]
    out: dict[str, dict[str, dict[int, tuple[int, int]]]] = {}
    for chunk in index.term_chunks:
        for term, encoded in zip(chunk.terms, chunk.payload()["p"].split(" "), strict=True):
            by_field: dict[str, dict[int, tuple[int, int]]] = {}
            for part in encoded.split(";"):
                f, items = part.split(":")
                ref = 0
                for item in items.split(","):
                    delta_length, _, tf = item.partition("*")
                    delta, length = delta_length.split(".")
                    ref += int(delta, 36)
                    by_field.setdefault(fields[int(f)], {})[ref] = (int(tf, 36) if tf else 1, int(length, 36))
            out[term] = by_field
    return out


def test_refs_are_compact_integers_and_must_be_dense(corpus_index):
    postings = _postings(corpus_index)
    assert {ref for fields in postings.values() for refs in fields.values() for ref in refs} == set(range(len(CORPUS)))
    assert corpus_index.meta["n"] == len(corpus_index.docs) == len(CORPUS)
    with pytest.raises(ValueError, match=r"refs 0\.\.n-1"):
        build_index([record(0, "a"), record(2, "b")])


def test_postings_hold_term_frequencies_and_field_lengths(corpus_index):
    meta = corpus_index.meta
    postings = _postings(corpus_index)
    # A term's number is its _index in lunr.py's index (lunr sums scores over terms in that order):
    # the chunk's start plus its place in the chunk.
    numbers = [c.start + i for c in corpus_index.term_chunks for i in range(len(c.terms))]
    order = [t for c in corpus_index.term_chunks for t in c.terms]
    assert [corpus_index.lunr_index.inverted_index[t]["_index"] for t in order] == numbers == list(range(len(order)))
    assert meta["fields"] == ["title", "tags", "country", "topic", "body"] and meta["boosts"] == [10, 5, 3, 3, 1]
    # "Kloop" is once in record 2's title, once in its tags and once in its body.
    title_length = len(terms(CORPUS[2].title))
    assert postings["kloop"]["title"] == {2: (1, title_length)} and set(postings["kloop"]) == {"title", "tags", "body"}
    assert set(postings["journalist"]["body"]) == {1, 2}
    assert postings["treason"]["title"][1] == (1, len(terms(CORPUS[1].title)))  # title length of record 1, in terms
    lengths = [len(terms(r.title)) for r in CORPUS]
    assert meta["avg"][0] == sum(lengths) / len(CORPUS)


def test_only_result_fields_are_stored_and_rows_and_texts_apart(corpus_index):
    assert corpus_index.meta["docs"]["fields"] == list(DOC_FIELDS)
    assert corpus_index.docs[1] == [
        "Tajik Journalist Faces Treason Charges",
        "articles/a1/",
        "2024-01-02",
        1,
        ["TJ", "CN"],
        "political-prosecution",
    ]  # English: no lang column
    assert corpus_index.docs[0][6] == "ru"
    assert corpus_index.meta["countries"] == {"KZ": "Kazakhstan", "TJ": "Tajikistan", "CN": "China", "KG": "Kyrgyzstan"}
    assert corpus_index.meta["topics"]["political-prosecution"] == "Political prosecution"
    assert corpus_index.texts[1].startswith("Authorities charged journalist")
    files = corpus_index.files()
    assert set(files) == {
        "meta.js",
        "facets.js",
        "terms/0.js",
        *(f"docs/{k}.js" for k in range(-(-len(CORPUS) // DOC_CHUNK))),
    }
    first = files["meta.js"] + files["facets.js"]
    assert "Authorities charged" not in first and "Tajik Journalist" not in first  # rows and texts come later


def test_facets_are_columns_by_ref(corpus_index):
    facets = corpus_index.facets
    assert facets["countries"] == ["CN", "KG", "KZ", "TJ"] and facets["years"] == ["2024"]
    groups = facets["country"].split(",")
    assert len(groups) == len(CORPUS) and [facets["countries"][int(g, 36)] for g in groups[1]] == ["TJ", "CN"]
    assert facets["topics"][int(facets["topic"][1], 36)] == "political-prosecution"


def test_docs_are_split_into_chunks_by_ref():
    records = [record(i, f"Title {i}", f"body{i} text") for i in range(DOC_CHUNK * 2 + 1)]
    files = build_index(records).files()
    assert sorted(f for f in files if f.startswith("docs/")) == ["docs/0.js", "docs/1.js", "docs/2.js"]
    assert files["docs/1.js"].startswith("(window.DIGEST_SEARCH_DOCS||(window.DIGEST_SEARCH_DOCS={}))[1]=JSON.parse(")
    assert f"body{DOC_CHUNK} text" in files["docs/1.js"] and f"body{DOC_CHUNK - 1} " not in files["docs/1.js"]
    assert f"Title {DOC_CHUNK}" in files["docs/1.js"]


def test_snippet_text_is_capped():
    long_body = "word " * 2000
    index = build_index([record(0, "Long", long_body)])
    assert 0 < len(index.texts[0]) <= SNIPPET_CHARS
    assert index.search("word") == [0]


def test_sizes_are_measured(corpus_index):
    sizes = corpus_index.sizes()
    files = corpus_index.files()
    assert sizes["first"] == len((files["meta.js"] + files["facets.js"]).encode("utf-8"))
    assert sizes["raw"] == sum(len(text.encode("utf-8")) for text in files.values())
    assert 0 < sizes["first_gzip"] < sizes["first"] < sizes["raw"] and 0 < sizes["gzip"] < sizes["raw"]


def test_scripts_cannot_be_broken_out_of(corpus_index):
    for name, js in corpus_index.files().items():
        assert "<" not in js and "\u2028" not in js, name
    assert re.fullmatch(
        r"window\.DIGEST_SEARCH_META=JSON\.parse\('.*'\);\n", corpus_index.files()["meta.js"], flags=re.S
    )


def test_html_to_text_separates_blocks_and_drops_scripts():
    assert html_to_text("<p>in the dark.</p><h2>The Allegations</h2><p>Sources &amp; more</p>") == (
        "in the dark. The Allegations Sources & more"
    )
    assert html_to_text("<p>a<script>alert(1)</script>b</p>") == "ab"


@needs_node
def test_lunr_js_loads_the_index_and_finds_what_python_finds(corpus_index, tmp_path):
    queries = ["журналиста", "Журналисты", "journalists", "title:treason", "journ*", "kloop", "khakimova",
               "money", "day", "play", "emoji", "x", "ａｂｃ", "breakoutmarker", "tags:kloop", "country:tajikistan",
               "topic:prosecution", "елка", "+kloop -treason"]  # fmt: skip
    full = corpus_index.lunr_index.serialize()
    result = run_lunr_js(tmp_path, corpus_index.files(), queries=queries, full=full)
    for q in queries:
        assert result["hits"][q] == corpus_index.search(q), q
        # The compact index answers as lunr.Index.load of lunr.py's own serialisation: same refs, same scores.
        assert (result["hits"][q], result["scores"][q]) == (result["fullHits"][q], result["fullScores"][q]), q
    assert result["hits"]["журналиста"] == [0]
    assert set(result["hits"]["journalists"]) == {1, 2}
    assert result["hits"]["money"] == [2]  # lunr.py's own stemmer would index "monei"
    assert result["hits"]["title:treason"] == [1]
    # Stored strings round-trip through the escaping exactly.
    assert result["docs"][4][0] == CORPUS[4].title
    assert "\u2028" in result["texts"][4] and "back\\slash" in result["texts"][4]
    assert len(result["texts"]) == len(CORPUS)


@needs_node
def test_exact_ties_keep_lunr_index_load_order(tmp_path):
    # Every document holds one word of the same length under the same prefix: "pre*" scores them all
    # the same, so their order is the order lunr expands the prefix, which the decoder must keep.
    words = ["prebcd", "prezzz", "pre9ab", "preaaa", "pre0zz", "prebca", "prefix", "preaab", "pre10a", "prezza"]
    records = [record(i, f"Title {i}", f"{word} ordinary") for i, word in enumerate(words)]
    index = build_index(records)
    queries = ["pre*", "preb*", "pre1*", "pr*", "title:title", "ordinary", "preaa~1", "*zz"]
    result = run_lunr_js(tmp_path, index.files(), queries=queries, full=index.lunr_index.serialize())
    for q in queries:
        assert (result["hits"][q], result["scores"][q]) == (result["fullHits"][q], result["fullScores"][q]), q
    assert len(result["hits"]["pre*"]) == len(words) and len(set(result["scores"]["pre*"])) == 1


@needs_node
def test_an_empty_archive_still_loads(tmp_path):
    result = run_lunr_js(tmp_path, build_index([]).files(), queries=["anything"])
    assert result["hits"]["anything"] == [] and result["docs"] == []


@needs_node
def test_english_stemmer_matches_lunr_js_word_for_word(tmp_path):
    sources = [*(REPO_ROOT / "tests" / "fixtures").rglob("*.md"), *(REPO_ROOT / "content").rglob("*.md")]
    text = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in sources)
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)})
    words += ["day", "days", "money", "try", "lay", "journey", "attorneys", "yelling", "syzygy", "agreed", "hopping",
              "generalization", "relational", "formative", "adjustable", "controlling", "rolling", "yes", "sky"]  # fmt: skip
    result = run_lunr_js(tmp_path, words=words)
    mismatches = {w: (porter_stem(w), result["stems"][w]) for w in words if porter_stem(w) != result["stems"][w]}
    assert mismatches == {}


@needs_node
def test_russian_stemmer_matches_lunr_ru_js_once_yo_is_folded(tmp_path):
    from stop_words import get_stop_words

    words = ["журналиста", "журналисты", "журналистов", "задержала", "освобождения", "независимой", "газеты",
             "полиция", "казахстане", "свободы", "слова", "преследования", "приговорён", "всё", "ещё",
             *get_stop_words("ru")]  # fmt: skip
    folded = sorted({w.replace("ё", "е") for w in words})
    result = run_lunr_js(tmp_path, ruWords=folded)
    python = snowballstemmer.stemmer("russian")
    assert {w: python.stemWord(w) for w in folded} == result["ru"]


@needs_node
def test_lunr_js_ranks_the_real_content_as_python_does(tmp_path):
    from digest.render import render_markdown
    from digest.schema import parse_article

    articles = [a for a, _ in map(parse_article, sorted((REPO_ROOT / "content" / "articles").rglob("*.md"))) if a]
    assert articles, "content/articles holds no articles"
    records = [
        SearchRecord.from_article(i, a, url=f"articles/{a.slug}/", body=html_to_text(render_markdown(a.body)))
        for i, a in enumerate(articles)
    ]
    index = build_index(records)
    words = sorted({w for r in records for w in re.findall(r"\w{3,}", f"{r.title} {r.body}".lower())})
    queries = [*words[:: max(1, len(words) // 300)], "journ*", "title:treason", "kloop", "rukhshona khakimova"]
    result = run_lunr_js(tmp_path, index.files(), queries=queries, full=index.lunr_index.serialize())
    differing = {q: (index.search(q), result["hits"][q]) for q in queries if index.search(q) != result["hits"][q]}
    assert differing == {}
    rescored = [q for q in queries if result["scores"][q] != result["fullScores"][q]]
    assert rescored == [], "the compact index must score exactly as lunr.Index.load of lunr.py's index"
    assert len(result["docs"]) == len(records)


@needs_node
def test_russian_stemmer_leaves_words_without_cyrillic_alone(tmp_path):
    # compact-index.js stands in for lunr.ru.stemmer with "leave the word" until a query has Cyrillic.
    text = " ".join(path.read_text(encoding="utf-8") for path in (REPO_ROOT / "content").rglob("*.md"))
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z0-9]{2,}", text)})
    words += ["journalists", "café", "señor", "straße", "ozodi", "qazaqstan", "ok123"]
    result = run_lunr_js(tmp_path, ruWords=words)
    assert {w: result["ru"][w] for w in words} == {w: w for w in words}
