"""The search page in real Chromium over http: queries, filters, URL state, errors, hostile content.

Two sites: the fixture articles plus the hostile ones (built once for this module), and the real
content/ (the session's ``built_site``). Expected answers are computed from the Markdown files
with the same term pipeline, so the tests follow the content instead of hard-coding it; the
index's lunr.js/Python agreement itself is proved in test_search_index.py.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from digest import REPO_ROOT
from digest.render import render_markdown
from digest.schema import parse_article
from digest.search import html_to_text
from digest.search.pipeline import terms
from digest.vocab import vocabulary

from .conftest import FIXTURES, open_page, save_screenshot, serve_directory

pytestmark = pytest.mark.browser

RESULT_LINKS = "#search-results .card-title a"
DONE = "#search-app[data-status=done]"


# --- helpers -------------------------------------------------------------------------------------


def load_articles(folder: Path) -> dict:
    """slug -> (Article, {field: set of index terms}) for every article under ``folder``."""
    vocab = vocabulary()
    found = {}
    for path in sorted(folder.rglob("*.md")):
        article, _ = parse_article(path)
        if article is None:
            continue
        article = article.for_display()  # the site indexes and shows text without bidi controls
        fields = {
            "title": set(terms(article.title)),
            "tags": set(terms(" ".join(article.tags))),
            "country": set(terms(" ".join(vocab.country_name(c) for c in article.countries))),
            "topic": set(terms(vocab.topic_label(article.topic))),
            "body": set(terms(f"{article.summary or ''} {html_to_text(render_markdown(article.body))}")),
        }
        found[article.slug] = (article, fields)
    return found


def expect(articles: dict, words: str, fields=("title", "tags", "country", "topic", "body"), prefix=False) -> set:
    """Slugs lunr should return for ``words`` (any word matching, lunr's default OR)."""
    wanted = terms(words) if not prefix else [words.lower()]
    hits = set()
    for slug, (_, f) in articles.items():
        index_terms = set().union(*(f[name] for name in fields))
        if any(t in index_terms or (prefix and any(i.startswith(t) for i in index_terms)) for t in wanted):
            hits.add(slug)
    return hits


def search(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/search/{query}")
    page.wait_for_selector(DONE, timeout=10000)


def result_slugs(page) -> list[str]:
    """Every result's slug, in order, after clicking "Show more" until all are shown."""
    while page.is_visible("#search-more"):
        page.click("#search-more")
        page.wait_for_selector(DONE)  # the new results' rows are loaded and shown
    hrefs = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")
    return [re.search(r"/articles/([^/]+)/", h).group(1) for h in hrefs]


def status(page) -> str:
    return page.inner_text("#search-status")


def count_in_status(page) -> int:
    m = re.match(r"(\d+) articles?", status(page))
    return int(m.group(1)) if m else 0


def params(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def real_errors(page) -> list[str]:
    """Console errors other than Chromium's automatic /favicon.ico request."""
    return [e for e in page.digest_log.console_errors if "favicon" not in e and "Failed to load resource" not in e]


# --- the fixture site: fixtures/site + fixtures/hostile (articles, robust) -----------------------


@pytest.fixture(scope="module")
def fixture_site(hostile_fixture_site):
    """conftest's build of fixtures/site with the hostile articles (fixtures/hostile/articles and robust)."""
    output = hostile_fixture_site / "output"
    server, url = serve_directory(output)
    yield url, output, load_articles(hostile_fixture_site / "content" / "articles")
    server.shutdown()


def test_build_writes_index_and_lunr_scripts_and_no_inline_script(fixture_site):
    _, output, articles = fixture_site
    for name in ("meta.js", "facets.js", "lunr.min.js", "lunr.stemmer.support.min.js", "lunr.ru.min.js"):
        assert (output / "search" / name).stat().st_size > 0, name
    html = (output / "search" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in s for s in scripts)
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", html) is None  # no inline code
    for path in (output / "search").rglob("*.js"):
        if not path.name.startswith("lunr"):
            assert "<" not in path.read_text(encoding="utf-8"), path  # a </script> in a title cannot close anything
    assert f"Search {len(articles)} articles" in html


def test_russian_stemmed_query_finds_the_russian_article(page, fixture_site):
    url, _, articles = fixture_site
    search(page, url, "?q=журналиста")
    expected = expect(articles, "журналиста")
    assert expected == {"zhurnalist-zaderzhan"}
    assert set(result_slugs(page)) == expected
    assert page.get_attribute("#search-results .card", "lang") == "ru"
    marks = page.eval_on_selector_all("#search-results mark", "els => els.map(e => e.textContent)")
    assert {"журналист", "журналиста", "Журналисты"} <= set(marks)
    assert real_errors(page) == [] and page.digest_log.page_errors == []


def test_english_inflection_and_highlight(page, fixture_site):
    url, _, articles = fixture_site
    search(page, url, "?q=journalists")
    assert set(result_slugs(page)) == expect(articles, "journalists") and len(expect(articles, "journalists")) >= 3
    marks = page.eval_on_selector_all("#search-results mark", "els => els.map(e => e.textContent.toLowerCase())")
    assert marks and set(marks) <= {"journalist", "journalists"}
    save_screenshot(page, "search-fixture-journalists")


def test_index_loads_only_when_the_reader_starts_to_search(page, fixture_site):
    url, _, _ = fixture_site
    page.goto(f"{url}/articles/pegasus-spyware/")
    page.goto(f"{url}/search/")
    page.wait_for_timeout(200)
    assert not [r for r in page.digest_log.requests if "/search/meta.js" in r or "lunr" in r]
    page.focus("#search-q")
    page.wait_for_selector(DONE)
    assert any(r.endswith("/search/meta.js") for r in page.digest_log.requests)
    page.keyboard.type("kloop")
    # The search starts after a pause in typing, and a search for the first letters may end meanwhile:
    # "done" means that the results on screen are those of the address.
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'kloop'")
    page.wait_for_selector(DONE)
    assert result_slugs(page) == ["kyrgyzstan-closes-kloop"]
    assert params(page) == {"q": "kloop"}


def test_hostile_articles_show_as_text_and_run_nothing(page, fixture_site):
    url, _, articles = fixture_site
    hostile = {
        slug: a
        for slug, (a, _) in articles.items()
        if slug in {p.stem for p in (FIXTURES / "hostile" / "articles").glob("*.md")}
    }
    search(page, url, "?year=2024")  # browse: every hostile article is from 2024
    while page.is_visible("#search-more"):
        page.click("#search-more")
        page.wait_for_selector(DONE)
    titles = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.textContent)")
    for article in hostile.values():
        assert article.title in titles
    for marker in ("hostilemarker", "breakoutmarker", "quotemarker", "svgmarker", "longtitlemarker", "rtlmarker"):
        page.fill("#search-q", marker)
        page.press("#search-q", "Enter")
        page.wait_for_selector(DONE)
        assert len(result_slugs(page)) == 1, marker
        page.hover(RESULT_LINKS)
        page.focus(RESULT_LINKS)
    assert (
        page.eval_on_selector_all(
            "#search-results script, #search-results img, #search-results svg, #search-results iframe",
            "els => els.length",
        )
        == 0
    )
    on_handlers = page.evaluate(
        "() => [...document.querySelectorAll('#search-results *')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
    )
    assert on_handlers == []
    page.wait_for_timeout(200)
    assert page.digest_log.dialogs == []
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def test_closing_script_tag_in_a_title_does_not_break_the_index(page, fixture_site):
    url, _, articles = fixture_site
    search(page, url, "?q=breakoutmarker")
    title = articles["closing-script-in-title"][0].title
    assert page.inner_text(RESULT_LINKS) == title
    assert page.evaluate("window.DIGEST_SEARCH_META.n") == len(articles)
    assert page.digest_log.dialogs == [] and page.digest_log.page_errors == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("title:", "needs a word after it"),
        ('"kloop', "unmatched quotation mark"),
        ("nosuchfield:kloop", "is not something you can search by"),
        ("kloop -", "could not be read"),
        ("~2", "could not be read"),
    ],
)
def test_malformed_queries_get_a_friendly_message(page, fixture_site, query, message):
    url, _, _ = fixture_site
    search(page, url, "?" + f"q={query}".replace(" ", "+").replace('"', "%22"))
    assert message in page.inner_text("#search-app")
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def test_field_names_are_case_insensitive(page, fixture_site):
    url, _, _ = fixture_site
    search(page, url, "?q=Title:Treason")
    assert result_slugs(page) == ["khakimova-treason-charges"]


def test_no_results_offers_to_widen_the_search(page, fixture_site):
    url, _, _ = fixture_site
    search(page, url, "?q=kloop&country=KZ")
    assert status(page).startswith("No articles match “kloop” in Kazakhstan")
    page.click("#search-notice a:has-text('Search all countries')")
    page.wait_for_selector(DONE)
    assert params(page) == {"q": "kloop"}
    assert result_slugs(page) == ["kyrgyzstan-closes-kloop"]
    assert page.input_value("#search-country") == ""


def test_filter_counts_follow_the_query(page, fixture_site):
    url, _, articles = fixture_site
    search(page, url, "?q=journalists")
    expected = expect(articles, "journalists")
    kz = sum(1 for s in expected if "KZ" in articles[s][0].countries)
    option = page.inner_text("#search-country option[value=KZ]")
    assert option == f"Kazakhstan ({kz})"
    assert page.inner_text("#search-country option[value='']") == f"All countries ({len(expected)})"


def test_slash_focuses_the_box_and_results_are_in_tab_order(page, fixture_site):
    url, _, _ = fixture_site
    search(page, url, "?q=journalists")
    page.click("h1")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.focus("#search-year")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#search-results')"):
            break
    assert page.evaluate("document.activeElement.closest('.card-title') !== null")


def test_without_javascript_the_page_says_so_and_links_to_browsing(browser, fixture_site):
    url, _, _ = fixture_site
    page = open_page(browser, java_script_enabled=False)
    try:
        page.goto(f"{url}/search/?q=kloop")
        text = page.inner_text("#search-app")
        assert "Search needs JavaScript" in text
        for name in ("country", "topic"):
            href = page.get_attribute(f".search-noscript a:has-text('{name}')", "href")
            response = page.request.get(f"{url}/search/{href}")
            assert response.ok, href
    finally:
        page.context.close()


def test_works_from_file_url(page, fixture_site):
    _, output, _ = fixture_site
    page.goto((output / "search" / "index.html").as_uri() + "?q=журналиста")
    page.wait_for_selector(DONE)
    assert result_slugs(page) == ["zhurnalist-zaderzhan"]
    page.select_option("#search-year", "2023")
    page.wait_for_selector(DONE)
    assert params(page) == {"q": "журналиста", "year": "2023"}
    assert [r for r in page.digest_log.requests if r.startswith("http")] == []


# --- the real content ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(site_url):
    articles = load_articles(REPO_ROOT / "content" / "articles")
    assert articles, "content/articles holds no articles"
    return site_url, articles


@pytest.mark.parametrize(
    ("query", "kwargs"),
    [
        ("Rukhshona Khakimova", {}),
        ("Kloop", {}),
        ("journ*", {"prefix": True}),
        ("title:treason", {"fields": ("title",)}),
    ],
)
def test_known_queries_on_the_real_content(page, real, query, kwargs):
    url, articles = real
    words = query.split(":", 1)[-1].rstrip("*")
    expected = expect(articles, words, **kwargs)
    assert expected, f"the real content should hold an answer to {query!r}"
    search(page, url, "?q=" + query.replace(" ", "+"))
    slugs = result_slugs(page)
    assert set(slugs) == expected
    assert count_in_status(page) == len(expected)
    if query == "Rukhshona Khakimova":  # the article naming both words ranks first
        both = expect(articles, "Rukhshona") & expect(articles, "Khakimova")
        assert slugs[0] in both
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def _busiest(articles: dict) -> tuple[str, str, str]:
    """The commonest country, its commonest topic, and the commonest year of those articles."""
    country = Counter(c for a, _ in articles.values() for c in a.countries).most_common(1)[0][0]
    topic = Counter(a.topic for a, _ in articles.values() if country in a.countries).most_common(1)[0][0]
    year = Counter(
        str(a.date.year) for a, _ in articles.values() if country in a.countries and a.topic == topic
    ).most_common(1)[0][0]
    return country, topic, year


def test_filters_alone_and_combined_on_the_real_content(page, real):
    url, articles = real
    country, topic, year = _busiest(articles)
    cases = {
        f"?country={country}": lambda a: country in a.countries,
        f"?topic={topic}": lambda a: a.topic == topic,
        f"?year={year}": lambda a: str(a.date.year) == year,
        f"?country={country}&topic={topic}&year={year}": lambda a: (
            country in a.countries and a.topic == topic and str(a.date.year) == year
        ),
    }
    for query, keep in cases.items():
        search(page, url, query)
        expected = [
            s for s, (a, _) in sorted(articles.items(), key=lambda kv: (kv[1][0].date, kv[0]), reverse=True) if keep(a)
        ]
        slugs = result_slugs(page)
        assert set(slugs) == set(expected), query
        dates = [articles[s][0].date for s in slugs]
        assert dates == sorted(dates, reverse=True), "browsing lists the newest first"
    # A query and a filter together.
    search(page, url, f"?q=journ*&country={country}")
    expected = expect(articles, "journ", prefix=True) & {s for s, (a, _) in articles.items() if country in a.countries}
    assert set(result_slugs(page)) == expected
    save_screenshot(page, "search-real-filtered")


def test_url_state_survives_reload_and_back_forward(page, real):
    url, articles = real
    country, _, _ = _busiest(articles)
    search(page, url, "?q=journ*")
    first = count_in_status(page)
    page.select_option("#search-country", country)
    page.wait_for_selector(DONE)
    assert params(page) == {"q": "journ*", "country": country}
    filtered = count_in_status(page)
    page.reload()
    page.wait_for_selector(DONE)
    assert page.input_value("#search-q") == "journ*" and page.input_value("#search-country") == country
    assert count_in_status(page) == filtered
    page.go_back()
    page.wait_for_selector(DONE)
    assert params(page) == {"q": "journ*"} and page.input_value("#search-country") == ""
    assert count_in_status(page) == first
    page.go_forward()
    page.wait_for_selector(DONE)
    assert page.input_value("#search-country") == country and count_in_status(page) == filtered


def test_no_results_and_malformed_query_on_the_real_content(page, real):
    url, _ = real
    search(page, url, "?q=qqxqzzyzzy")
    assert status(page).startswith("No articles match “qqxqzzyzzy”")
    assert page.is_visible("#search-notice a:has-text('country')")
    search(page, url, "?q=title:")
    assert "needs a word after it" in status(page)
    assert page.digest_log.page_errors == [] and real_errors(page) == []
