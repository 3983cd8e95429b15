"""The search page's interface in real Chromium over http, on the real content (issue 16, item 6).

Country codes, the message for stop words, highlighting on the article, the keyboard, Back after
"Show more results", and the history while stepping through a filter. Expected results come from
the page itself (country:KZ must give what country:kazakhstan gives) or from the Markdown files,
never from numbers typed in here. The same behaviours from file:// are in test_search_ui_offline.py.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from digest import REPO_ROOT

from .conftest import open_page, save_screenshot, serve_directory
from .test_browser_site import _axe, _describe
from .test_search_browser import DONE, RESULT_LINKS, load_articles, params, real_errors, result_slugs, search

pytestmark = pytest.mark.browser

ACTIVE_LINK = (
    "() => { const a = document.activeElement; return a && a.matches('.card-title a') ? a.href : a.id || a.tagName; }"
)


@pytest.fixture(scope="module")
def real(site_url) -> tuple[str, dict]:
    """The real site's address, and its articles (slug -> (Article, index terms)) for the answers."""
    return site_url, load_articles(REPO_ROOT / "content" / "articles") or pytest.skip("content/articles is empty")


def slug_of(href: str) -> str:
    return re.search(r"/articles/([^/?]+)/", href).group(1)


def hrefs(page) -> list[str]:
    return page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")


def busiest_country(articles: dict) -> tuple[str, str]:
    """The code and name of the country with the most articles (more than a page of results)."""
    counts: dict[str, int] = {}
    for article, _ in articles.values():
        for code in article.countries:
            counts[code] = counts.get(code, 0) + 1
    code = max(counts, key=lambda c: (counts[c], c))
    if counts[code] <= 20:
        pytest.skip("no country has more than one page of results yet")
    from digest.vocab import vocabulary

    return code, vocabulary().country_name(code)


# --- country codes -------------------------------------------------------------------------------


def test_country_codes_find_what_country_names_find(page, real):
    url, articles = real
    code, name = busiest_country(articles)
    search(page, url, f"?q=country:{name.lower()}")
    by_name = result_slugs(page)
    assert set(by_name) == {s for s, (a, _) in articles.items() if code in a.countries}
    for query in (f"country:{code}", f"country:{code.lower()}", f"Country:{code}"):
        search(page, url, "?q=" + query)
        assert result_slugs(page) == by_name, query
    search(page, url, f"?q=journalist+-country:{code.lower()}")
    excluded = result_slugs(page)
    assert excluded and not any(code in articles[s][0].countries for s in excluded)
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def test_query_words_read_codes_and_operators(page, real):
    """The two functions of js/search-query-words.js, on inputs the real content cannot give."""
    url, _ = real
    page.goto(f"{url}/search/")
    table = {"US": "United States", "GB": "United Kingdom", "KZ": "Kazakhstan", "KP": "North Korea"}
    rewritten = page.evaluate(
        "([q, t]) => window.digestQueryWords.countryCodes(q, t)",
        ["+country:US -country:gb Country:KZ country:kp country:XX country:KZT kz", table],
    )
    assert rewritten == "+country:states -country:kingdom Country:kazakhstan country:north country:XX country:KZT kz"
    words = page.evaluate(
        "(q) => window.digestQueryWords.readerWords(q).map((w) => w.word + (w.prefix ? '*' : ''))",
        '+kloop -russia title:Treason "limited freedom" journ* Khakimva~1 court^2 country:KZ topic:x Kara-Balta KLOOP',
    )
    assert words == ["kloop", "Treason", "limited", "freedom", "journ*", "Khakimva", "court", "Kara", "Balta"]


# --- stop words ----------------------------------------------------------------------------------


def test_a_query_of_stop_words_names_them(page, real):
    url, _ = real
    search(page, url, "?q=the")
    notice = page.inner_text("#search-notice")
    assert "“the” is too common a word to search for" in notice
    assert "Try fewer or shorter words" not in notice
    search(page, url, "?q=The+of")
    notice = page.inner_text("#search-notice")
    assert "“The” and “of” are too common to search for" in notice
    search(page, url, "?q=the+qqxqzzyzzy")  # a rare word that matches nothing still gets the usual advice
    notice = page.inner_text("#search-notice")
    assert "“the” is too common" in notice and "Try fewer or shorter words" in notice


# --- highlight on the article --------------------------------------------------------------------


def test_results_link_to_the_article_with_the_words_highlighted(page, real):
    url, articles = real
    search(page, url, "?q=journalists+Kloop+-russia+the")
    first = page.locator(RESULT_LINKS).first
    href = first.get_attribute("href")
    assert parse_qs(urlsplit(href).query) == {"highlight": ["journalists Kloop"]}
    first.click()
    page.wait_for_selector("mark.search-highlight")
    marks = page.eval_on_selector_all("mark.search-highlight", "els => els.map(e => e.textContent)")
    assert {m.lower() for m in marks} <= {"journalist", "journalists", "kloop", "kloop’s", "kloop's"}
    assert any(m.lower() == "kloop" for m in marks)
    body = page.eval_on_selector_all(".article-body mark", "els => els.length")
    assert body > 0
    bar = page.inner_text("#highlight-bar")
    assert f"{len(marks)} matches for “journalists” and “Kloop” are highlighted." in bar
    page.click("#highlight-bar button")
    assert page.eval_on_selector_all("mark", "els => els.length") == 0
    assert page.is_hidden("#highlight-bar")
    assert "highlight" not in page.url
    assert page.evaluate("document.activeElement.id") == "main"
    slug = slug_of(page.url)
    text = articles[slug][0].title
    assert page.inner_text("h1") == text  # unwrapping the marks gave back the exact text
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def test_a_result_about_to_open_also_names_the_words_marked_in_its_card(page, real):
    """The card's marks are the article's own spellings of what matched; the link passes them on."""
    url, _ = real
    search(page, url, "?q=journ*+title:treason")
    cards = page.locator("#search-results li")
    for i in range(min(cards.count(), 5)):
        card = cards.nth(i)
        card.locator(".card-title a").focus()
        marks = card.locator("mark").all_inner_texts()
        words = parse_qs(urlsplit(card.locator(".card-title a").get_attribute("href")).query)["highlight"][0].split()
        assert words[:2] == ["journ*", "treason"]
        assert {m.lower() for m in marks} <= {w.lower() for w in words}
        assert len(words) == len({w.lower() for w in words}), "each word once"
    assert any(card.locator("mark").count() for card in cards.all()[:5])


def test_highlight_matches_word_families_and_prefixes_only(page, real):
    url, articles = real
    slug = next(s for s, (_, fields) in articles.items() if "journalist" in fields["body"])
    page.goto(f"{url}/articles/{slug}/?highlight=" + quote("journ* arrested журналист"))
    marks = page.eval_on_selector_all("mark.search-highlight", "els => els.map(e => e.textContent.toLowerCase())")
    assert marks
    assert all(m.startswith(("journ", "arrest")) for m in marks), marks
    page.goto(f"{url}/articles/{slug}/")
    assert page.eval_on_selector_all("mark", "els => els.length") == 0
    assert page.is_hidden("#highlight-bar")
    page.goto(f"{url}/articles/{slug}/?highlight=qqxqzzyzzy")
    assert page.eval_on_selector_all("mark", "els => els.length") == 0
    assert page.is_hidden("#highlight-bar"), "no bar when nothing is marked"


@pytest.fixture(scope="module")
def fixture_site_url(built_fixture_site):
    """tests/fixtures/site (a few articles, one in Russian), served over http."""
    server, url = serve_directory(built_fixture_site)
    yield url
    server.shutdown()


def test_highlight_finds_russian_word_forms(page, fixture_site_url):
    page.goto(f"{fixture_site_url}/articles/zhurnalist-zaderzhan/?highlight=" + quote("журналиста"))
    marks = page.eval_on_selector_all("mark.search-highlight", "els => els.map(e => e.textContent)")
    assert marks == ["журналист", "журналиста", "Журналисты"]
    assert "3 matches for “журналиста” are highlighted." in page.inner_text("#highlight-bar")


# --- keyboard ------------------------------------------------------------------------------------


def test_show_more_focuses_the_first_new_result_and_arrows_move_through_results(page, real):
    url, articles = real
    code, _ = busiest_country(articles)
    search(page, url, f"?country={code}")
    links = hrefs(page)
    assert len(links) == 20
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE_LINK) == links[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE_LINK) == links[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(ACTIVE_LINK) == "search-q"
    page.focus(f"#search-results li:nth-child(20) {RESULT_LINKS[len('#search-results ') :]}")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE_LINK) == "search-more"
    page.keyboard.press("Enter")
    page.wait_for_selector(DONE)  # the new results' rows are loaded and shown
    links = hrefs(page)
    assert len(links) > 20
    assert page.evaluate(ACTIVE_LINK) == links[20], "focus goes to the first new result"
    page.keyboard.press("ArrowUp")
    assert page.evaluate(ACTIVE_LINK) == links[19]


# --- Back after "Show more" ----------------------------------------------------------------------


def open_result_then_back(page, url: str, query: str, position: int) -> tuple[list[str], float]:
    """Search, show more, scroll to result ``position`` (1-based), open it, come back: (results, scrollY)."""
    search(page, url, query)
    page.click("#search-more")
    page.wait_for_selector(DONE)
    links = hrefs(page)
    assert len(links) >= position
    target = page.locator(RESULT_LINKS).nth(position - 1)
    target.scroll_into_view_if_needed()
    page.mouse.wheel(0, 120)
    # The page remembers the scroll position in its history entry once scrolling stops. Read both in the
    # page: snippets still filling in above the target may move the scroll position while we wait.
    page.wait_for_function(
        "() => window.scrollY > 0 && ((history.state || {}).digestView || {}).scroll === Math.round(window.scrollY)",
        timeout=10_000,
    )
    scrolled = page.evaluate("window.scrollY")
    target.click()
    page.wait_for_load_state("load")
    assert "/articles/" in page.url
    page.go_back()
    page.wait_for_selector(DONE)
    page.wait_for_function(f"() => Math.abs(window.scrollY - {scrolled}) < 2", timeout=10_000)
    assert hrefs(page) == links
    return links, scrolled


def test_back_from_result_25_restores_the_list_and_the_scroll_position(page, real):
    url, articles = real
    code, _ = busiest_country(articles)
    links, _ = open_result_then_back(page, url, f"?q=country:{code}", 25)
    assert len(links) > 20
    page.reload()
    page.wait_for_selector(DONE)
    assert hrefs(page) == links, "a reload keeps them too"


# --- history while stepping through a filter -----------------------------------------------------


def test_stepping_through_a_filter_adds_one_history_entry(page, real):
    url, _ = real
    search(page, url, "?q=journalist")
    before = page.evaluate("history.length")
    page.focus("#search-year")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
        page.wait_for_selector(DONE)
    year = page.input_value("#search-year")
    assert year and params(page) == {"q": "journalist", "year": year}
    assert page.evaluate("history.length") == before + 1
    page.focus("#search-q")  # leaving the filter ends the stepping: the next change is an entry of its own
    page.select_option(
        "#search-country", page.eval_on_selector("#search-country option:enabled:not([value=''])", "o => o.value")
    )
    page.wait_for_selector(DONE)
    assert page.evaluate("history.length") == before + 2
    page.go_back()
    page.wait_for_selector(DONE)
    assert params(page) == {"q": "journalist", "year": year}
    page.go_back()
    page.wait_for_selector(DONE)
    assert params(page) == {"q": "journalist"} and page.input_value("#search-year") == ""


# --- tips ----------------------------------------------------------------------------------------


def test_tips_explain_operators_and_fields(page, real):
    url, _ = real
    page.goto(f"{url}/search/")
    tips = page.inner_text("#search-tips")
    for needle in ("~1", '"limited freedom"', "+kloop", "-russia", "title:", "tags:", "country:", "topic:", "journ*"):
        assert needle in tips, needle


# --- screenshots ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_results_and_a_highlighted_article(browser, real, width):
    """Kept in test-artifacts/ for people to look at; axe checks them too, in both palettes."""
    url, _ = real
    page = open_page(browser, width=width, height=900)
    try:
        search(page, url, "?q=journalists+Kloop")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            save_screenshot(page, f"search-ui-results-{width}-{scheme}")
            assert not (violations := _axe(page)), _describe(violations)
        page.click(RESULT_LINKS)
        page.wait_for_selector("#highlight-bar:not([hidden])")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            save_screenshot(page, f"search-ui-article-highlight-{width}-{scheme}")
            assert not (violations := _axe(page)), _describe(violations)
        assert page.digest_log.page_errors == [] and real_errors(page) == []
    finally:
        page.context.close()
