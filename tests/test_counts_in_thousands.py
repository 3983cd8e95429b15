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


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    """1,050 synthetic articles, every one about Kazakhstan, so one facet count passes 1,000."""
    articles = tmp_path_factory.mktemp("large-content") / "articles"
    for path in corpus.generate(N, articles, seed=3):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^country: .*$", 'country: ["KZ"]', text, count=1), encoding="utf-8")
    output = build_fixture_site(articles.parent, tmp_path_factory.mktemp("large-site") / "output")
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
