"""Rows and texts of results come in chunks: the page loads only the chunks of the results it shows,
over http and from file://, and every result shows a passage of its own article."""

from __future__ import annotations

import datetime
import re
import time
from urllib.parse import quote

import pytest

from benchmarks import corpus
from benchmarks.searchindex import load_records
from digest.search import build_index
from digest.search.chunks import chunk_of
from digest.search.index import DOC_CHUNK
from digest.search.node import run_in_node

from .conftest import build_fixture_site, open_page, serve_directory

pytestmark = pytest.mark.browser

N = 40  # several chunks, and more results than one page
QUERY = "journalist"
TERM_CHUNK = 2000  # characters per term chunk
DONE = "#search-app[data-status='done']"


@pytest.fixture(scope="module")
def chunked_site(tmp_path_factory):
    content = tmp_path_factory.mktemp("chunked-content")
    corpus.generate(N, content / "articles", seed=5)
    # Small term chunks, so that a query's chunks are a few of many.
    output = build_fixture_site(
        content, tmp_path_factory.mktemp("chunked-site") / "output", SEARCH_TERM_CHUNK_CHARS=TERM_CHUNK
    )
    records = load_records(content / "articles")  # refs and texts as the plugin makes them
    index = build_index(records, searchable=False, chunk_chars=TERM_CHUNK)
    expected = {r.url: (r.ref, index.texts[r.ref]) for r in records}
    server, url = serve_directory(output)
    yield url, output, expected, records, index
    server.shutdown()


def _results(page) -> list[tuple[str, str]]:
    """(article path, snippet text) for every result shown."""
    return page.eval_on_selector_all(
        "#search-results > li",
        """els => els.map(li => [new URL(li.querySelector('h2 a').href).pathname.replace(/^.*?(articles\\/)/, '$1'),
                                (li.querySelector('.search-snippet') || {textContent: ''}).textContent])""",
    )


def _chunks_requested(page) -> set[int]:
    return {int(m.group(1)) for u in page.digest_log.requests if (m := re.search(r"/search/docs/(\d+)\.js$", u))}


def _check_snippets(results, expected) -> None:
    for path, snippet in results:
        _, text = expected[path]
        core = snippet.removeprefix("… ").removesuffix(" …")
        assert core and core in text, (path, snippet[:80])


def test_first_page_loads_only_its_chunks_and_show_more_loads_the_rest(browser, chunked_site):
    url, output, expected, _, _ = chunked_site
    chunks = -(-N // DOC_CHUNK)
    assert sorted(p.name for p in (output / "search" / "docs").iterdir()) == sorted(f"{k}.js" for k in range(chunks))
    page = open_page(browser)
    try:
        page.goto(f"{url}/search/?q={QUERY}")
        page.wait_for_selector(DONE)
        first = _results(page)
        assert len(first) == 20
        needed = {expected[path][0] // DOC_CHUNK for path, _ in first}
        assert _chunks_requested(page) == needed
        _check_snippets(first, expected)
        while page.is_visible("#search-more"):
            page.click("#search-more")
            page.wait_for_selector(DONE)
        every = _results(page)
        assert len(every) == len({p for p, _ in every}) > 20, "each result once"
        assert len({expected[p][0] // DOC_CHUNK for p, _ in every}) > 1, "the query must span chunks"
        _check_snippets(every, expected)
        assert _chunks_requested(page) == {expected[p][0] // DOC_CHUNK for p, _ in every}
        assert not page.digest_log.page_errors
    finally:
        page.context.close()


def test_chunks_load_from_file_url(browser, chunked_site):
    _, output, expected, records, _ = chunked_site
    page = open_page(browser)
    try:
        page.goto((output / "search" / "index.html").as_uri() + f"?q={QUERY}")
        page.wait_for_selector(DONE)
        results = _results(page)
        assert len(results) == 20
        _check_snippets(results, expected)
        assert not _language_requests(page), "a Latin query needs no Russian stemmer"
        # A Cyrillic query loads it, from the disk too, and finds the Russian articles.
        word = _cyrillic_word(records)
        page.fill("#search-q", word)
        page.press("#search-q", "Enter")
        page.wait_for_selector(DONE)
        assert _language_requests(page) and _results(page)
        assert not page.digest_log.page_errors
    finally:
        page.context.close()


def _language_requests(page) -> list[str]:
    return [u for u in page.digest_log.requests if re.search(r"/lunr\.(ru|stemmer\.support|multi)\b", u)]


def _cyrillic_word(records) -> str:
    """A Russian word of the corpus, inflected (so that only the Russian stemmer finds its term)."""
    from digest.search.pipeline import terms

    for r in records:
        for word in re.findall(r"[а-яё]{7,}", r.body.lower()):
            if terms(word) and terms(word)[0] != word:
                return word
    raise AssertionError("the corpus has no Russian words")


# Each query in a fresh page: the results and the term chunks requested. The same query in node on
# the unsplit index (one chunk) gives the results the page must show.
UNSPLIT = r"""
const idx = openIndex();
const out = {};
for (const q of request.queries) out[q] = (await idx.searchAsync(q)).map((r) => Number(r.ref));
return out;
"""


def test_a_query_loads_only_its_term_chunks_and_finds_what_the_unsplit_index_finds(browser, chunked_site):
    url, _, _, records, index = chunked_site
    firsts = [(key, term) for key, term, _ in index.meta["terms"]["chunks"]]
    assert len(firsts) > 20
    word = _cyrillic_word(records)
    queries = [QUERY, "journ*", word]
    unsplit = run_in_node(build_index(records, searchable=False).files(), UNSPLIT, {"queries": queries})
    url_of = {r.ref: r.url for r in records}
    for q in queries:
        page = open_page(browser)
        try:
            page.goto(f"{url}/search/?q={quote(q)}")
            page.wait_for_selector(DONE)
            shown = [path for path, _ in _results(page)]
            assert shown == [url_of[ref] for ref in unsplit[q][:20]], q
            chunks = {
                int(m.group(1)) for u in page.digest_log.requests if (m := re.search(r"/search/terms/(\d+)\.js$", u))
            }
            assert chunks and len(chunks) <= 3, (q, chunks)
            if q == "journ*":  # the chunks that can hold a key that starts with "journ", and no other
                start = chunk_of(firsts, "journ")
                assert chunks == {
                    i for i in range(start, len(firsts)) if i == start or firsts[i][0].startswith("journ")
                }
            if q == QUERY:
                assert chunks == {chunk_of(firsts, QUERY, QUERY)} | {i for i, f in enumerate(firsts) if f[0] == QUERY}
            assert bool(_language_requests(page)) == (q == word), "lunr-languages only for a Cyrillic query"
            assert not page.digest_log.page_errors
        finally:
            page.context.close()


def test_a_missing_chunk_leaves_out_its_results_and_the_page_works(browser, chunked_site, tmp_path):
    url, _, expected, _, _ = chunked_site
    page = open_page(browser)
    try:
        page.route(re.compile(r".*/search/docs/[02]\.js$"), lambda route: route.abort())
        page.goto(f"{url}/search/?q={QUERY}")
        page.wait_for_selector(DONE)
        results = _results(page)
        shown = {expected[p][0] // DOC_CHUNK for p, _ in results}
        assert results and not shown & {0, 2}, "the results of the chunks that failed are left out"
        _check_snippets(results, expected)
        assert not page.digest_log.page_errors
    finally:
        page.context.close()


# Counts the page's idx.search calls: compact-index.js's digestCompactIndex is wrapped as it is defined.
_COUNT_SEARCHES = """
window.__searches = [];
Object.defineProperty(window, "digestCompactIndex", {
  configurable: true,
  set(make) {
    Object.defineProperty(window, "digestCompactIndex", { writable: true, value: (...args) => {
      const idx = make(...args);
      const search = idx.searchAsync.bind(idx);
      idx.searchAsync = (q, options) => { window.__searches.push(q); return search(q, options); };
      return idx;
    } });
  },
});
"""


def test_typing_into_a_cold_page_runs_the_query_once(browser, chunked_site):
    url, _, _, _, _ = chunked_site
    page = open_page(browser)
    try:
        page.add_init_script(_COUNT_SEARCHES)
        page.goto(f"{url}/search/")
        # A slow network: the index arrives after the typing pause has ended.
        page.route("**/search/meta.js", lambda route: (time.sleep(0.4), route.continue_()))
        # As a reader pastes a query: focus (which starts loading the index), then one input event.
        page.focus("#search-q")
        page.fill("#search-q", QUERY)
        page.wait_for_selector(DONE)
        page.wait_for_timeout(200)  # a second, late render would have run by now
        assert page.evaluate("window.__searches") == [QUERY]
        assert len(_results(page)) == 20
    finally:
        page.context.close()


def test_a_new_query_is_drawn_while_the_last_pages_rows_are_still_on_their_way(page, site_url):
    """A page's rows below its first screen are asked for once that screen is drawn. On a bad connection
    they may take long: a query searched meanwhile must be drawn without waiting for them."""
    asked, held = [], []
    first_query = True

    def docs(route) -> None:
        asked.append(route.request.url)
        if first_query and len(asked) > 5:  # the rest of the first query's page: it never arrives
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r".*/search/docs/\d+\.js$"), docs)
    # 7 results: two rows held, which leaves the browser connections for the next query's (held rows
    # also hold up the page's "load").
    page.goto(f"{site_url}/search/?q=turkmenistan", wait_until="domcontentloaded")
    page.wait_for_selector("#search-results > li")
    deadline = time.monotonic() + 10
    while len(held) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert len(held) == 2, "the page's other rows are asked for after its first five are drawn"
    first_query = False
    page.fill("#search-q", "tajik")  # 6 results, none of them turkmenistan's sixth or seventh
    page.press("#search-q", "Enter")
    page.wait_for_selector(DONE, timeout=10_000)
    assert page.inner_text("#search-status") == "6 articles match “tajik”."
    assert page.locator("#search-results > li").count() == 6
    assert len(held) == 2, "the old rows are still on their way"
    for route in held:
        route.continue_()
    assert page.digest_log.page_errors == []


def test_show_more_asks_for_all_the_next_pages_rows_at_once(page, site_url):
    """Where the reader asked for more results, nothing else waits: the next page's rows are asked for
    together, not its first five and then, once they are drawn, the rest."""
    held = []
    holding = False

    def docs(route) -> None:
        if holding:
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r".*/search/docs/\d+\.js$"), docs)
    page.goto(f"{site_url}/search/?q=kazakhstan")  # 27 results: 7 on the second page
    page.wait_for_selector(DONE)
    holding = True
    page.click("#search-more")
    deadline = time.monotonic() + 10
    while len(held) < 7 and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert len(held) == 7
    holding = False
    for route in held:
        route.continue_()
    page.wait_for_selector(DONE)
    assert page.locator("#search-results > li").count() == 27
    assert page.digest_log.page_errors == []


def _run_clock_until(page, selector: str, *, within_ms: int | None = None) -> None:
    """Advance the page's installed clock, 5 ms at a time, until ``selector`` matches: the page's timers and
    frames run only then. ``within_ms``: the clock may not pass that much, whatever the network takes."""
    deadline, advanced = time.monotonic() + 10, 0
    while page.query_selector(selector) is None:
        assert time.monotonic() < deadline, f"{selector} never matched"
        if within_ms is None or advanced + 5 <= within_ms:
            page.clock.run_for(5)
            advanced += 5
        else:
            time.sleep(0.02)  # the clock stays; the network goes on


def test_a_typed_search_is_pending_until_drawn_even_after_an_earlier_search_ends(page, site_url):
    """ "done" says that the results on screen are those of the address. A search for what was typed first
    can end while the reader types on; the search that starts after the pause must not keep its "done".
    The page's clock is Playwright's, so the typing pause (60 ms) ends exactly when the test says."""
    held, holding = [], True

    def docs(route) -> None:
        if holding:
            held.append(route)
        else:
            route.continue_()

    def wait_for_held() -> None:
        deadline = time.monotonic() + 10
        while not held and time.monotonic() < deadline:
            page.query_selector("body")  # lets Playwright hand over the requests it has intercepted
            time.sleep(0.02)
        assert held, "the search asked for no rows"

    page.clock.install()
    page.goto(f"{site_url}/search/")
    page.focus("#search-q")
    page.wait_for_selector(DONE)  # the index is in
    page.clock.pause_at(datetime.datetime.now() + datetime.timedelta(minutes=1))  # from now on, time moves when told
    page.route(re.compile(r".*/search/docs/\d+\.js$"), docs)
    page.fill("#search-q", "kazakhstan")
    page.clock.run_for(100)  # the typing pause is over: "kazakhstan" is searched, its rows held
    wait_for_held()
    assert "q=kazakhstan" in page.url
    page.fill("#search-q", "kloop")  # typing again: its pause runs from now
    holding = False
    for route in held:
        route.continue_()
    held.clear()
    _run_clock_until(page, DONE, within_ms=50)  # "kazakhstan" is drawn within the pause
    assert "q=kazakhstan" in page.url
    holding = True
    page.clock.run_for(50)  # the pause is over: "kloop" is searched, its rows held
    wait_for_held()
    assert "q=kloop" in page.url
    assert page.get_attribute("#search-app", "data-status") == "pending"
    holding = False
    for route in held:
        route.continue_()
    _run_clock_until(page, DONE)
    assert "kloop" in page.inner_text("#search-status")
    assert page.digest_log.page_errors == []
