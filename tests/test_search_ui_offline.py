"""Highlighting on the article and Back after "Show more results", from file:// (issue 16, item 6).

The real content's offline bundle (links that name their files, no SITEURL) is built once per session
(conftest's ``content_bundle``); these tests drive its built folder, test_bundle_offline.py checks the zip. Over
http the same behaviours are in test_search_ui_browser.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from digest import REPO_ROOT

from .conftest import save_screenshot
from .test_search_browser import RESULT_LINKS, load_articles, real_errors, search
from .test_search_ui_browser import busiest_country, open_result_then_back

pytestmark = pytest.mark.browser

CONTENT = REPO_ROOT / "content"


@pytest.fixture(scope="module")
def offline_site(content_bundle):
    articles = load_articles(CONTENT / "articles")
    if not articles:
        pytest.skip("content/articles holds no articles yet")
    return content_bundle.result.output.as_uri(), articles


def test_highlight_from_file_url(page, offline_site):
    root, _ = offline_site
    search(page, root, "index.html?q=journalists+Kloop")
    first = page.locator(RESULT_LINKS).first
    assert parse_qs(urlsplit(first.get_attribute("href")).query) == {"highlight": ["journalists Kloop"]}
    first.click()
    page.wait_for_selector("#highlight-bar:not([hidden])")
    opened = urlsplit(page.url)
    assert page.url.startswith(root + "/articles/") and opened.path.endswith("/index.html")
    assert parse_qs(opened.query)["highlight"][0].startswith("journalists Kloop")
    marks = page.eval_on_selector_all("mark.search-highlight", "els => els.map(e => e.textContent.toLowerCase())")
    assert "kloop" in marks
    save_screenshot(page, "search-ui-article-highlight-file")
    page.click("#highlight-bar button")
    assert page.eval_on_selector_all("mark", "els => els.length") == 0
    assert page.url.endswith("/index.html"), "the address loses ?highlight= from file:// too"
    assert page.digest_log.page_errors == [] and real_errors(page) == []
    assert [r for r in page.digest_log.requests if not r.startswith("file://")] == []


def test_back_from_result_25_from_file_url(page, offline_site):
    root, articles = offline_site
    code, _ = busiest_country(articles)
    links, _ = open_result_then_back(page, root, f"index.html?q=country:{code}", 25)
    assert len(links) > 20 and all(link.startswith(root) for link in links)
    assert page.digest_log.page_errors == [] and real_errors(page) == []
