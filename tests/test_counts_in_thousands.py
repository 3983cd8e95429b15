"""Counts of a large archive are grouped in thousands for readers ("1,050 articles"), in the
templates and in the counts the search page draws itself, and the search page still reads its own
facet labels once a count has a comma in it."""

from __future__ import annotations

import re

import pytest

from benchmarks import corpus

from .conftest import build_fixture_site, serve_directory

pytestmark = pytest.mark.browser

N = 1050
DONE = "#search-app[data-status='done']"
ONE_COUNT = re.compile(r"^[^()]+ \([\d,]+\)$")  # a label and exactly one count


def _short_and_in_kazakhstan(text: str) -> str:
    """The article about Kazakhstan only, untagged, with its first paragraph: the count is the point, not the
    length, and every tag page and paragraph is build time."""
    head, _, body = text.partition("\n---\n")
    head = re.sub(r"(?m)^country: .*$", 'country: ["KZ"]', head, count=1)
    head = re.sub(r"(?m)^tags: .*\n", "", head, count=1)
    first_paragraph = body.strip().split("\n\n")[0]
    return f"{head}\n---\n\n{first_paragraph}\n"


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    """1,050 short synthetic articles in English only, every one about Kazakhstan, so one facet count passes 1,000."""
    articles = tmp_path_factory.mktemp("large-content") / "articles"
    for path in corpus.generate(N, articles, seed=3):
        path.write_text(_short_and_in_kazakhstan(path.read_text(encoding="utf-8")), encoding="utf-8")
    # English only (no catalogs): these tests read the English pages, and a language doubles the pages.
    # No article pages either (an empty ARTICLE_SAVE_AS, as in Pelican's docs): the counts are on the listings
    # and the search page, which still link to each article.
    no_catalogs = tmp_path_factory.mktemp("no-translations")
    output = tmp_path_factory.mktemp("large-site") / "output"
    build_fixture_site(articles.parent, output, DIGEST_TRANSLATIONS=str(no_catalogs), ARTICLE_SAVE_AS="")
    server, url = serve_directory(output)
    yield url
    server.shutdown()


def test_home_page_groups_thousands(page, large_site):
    page.goto(f"{large_site}/")
    assert "1,050 articles, summarised" in page.inner_text("main")
    assert page.inner_text("a[href$='countries/kz/'] .count") == "1,050"


def test_search_page_groups_thousands_and_keeps_one_count_per_option(page, large_site):
    page.goto(f"{large_site}/search/")
    assert page.inner_text("label[for='search-q']") == "Search 1,050 articles"
    assert page.inner_text("#search-country option[value='KZ']") == "Kazakhstan (1,050)"
    page.goto(f"{large_site}/search/?q=kazakhstan")
    page.wait_for_selector(DONE)
    assert page.inner_text("#search-status").startswith("1,050 articles match")
    options = page.eval_on_selector_all("select option", "os => os.map(o => o.textContent)")
    assert options and [o for o in options if not ONE_COUNT.match(o)] == []
    assert "Kazakhstan (1,050)" in options
    assert not page.digest_log.page_errors
