"""Names in any script or spelling, typos, phrases, apostrophes, exclusions, Russian vocabulary names
and snippets around the best match, in real Chromium: over http on the real content, and over
file:// from the offline bundle of the fixture site."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from digest import REPO_ROOT
from digest.schema import parse_article

from .test_search_browser import DONE, RESULT_LINKS
from .test_search_browser import result_slugs as slugs

pytestmark = pytest.mark.browser

KHAKIMOVA = {
    "tajik-journalist-rukhshona-khakimova-faces-treason-charges-amid-controversy",
    "tajik-journalist-rukhshona-khakimova-transferred-to-prison-after-closed-treason",
    "tajik-women-unite-to-urge-rahmon-to-grant-leniency-for-journalist-rukhshona",
}


def search(page, page_url: str, query: str) -> None:
    """Open the search page at ``page_url`` (http or file://) with ``query``, and wait for its results."""
    page.goto(f"{page_url}?{urlencode({'q': query})}")
    page.wait_for_selector(DONE, timeout=15000)


def notice(page) -> str:
    return page.inner_text("#search-notice") if page.is_visible("#search-notice") else ""


def countries_by_slug(folder: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(folder.glob("*.md")):
        article, _ = parse_article(path)
        if article is not None:
            found[article.slug] = list(article.countries)
    return found


# --- over http, the real content ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(site_url):
    return f"{site_url}/search/"


@pytest.mark.parametrize("query", ["Хакимова", "Xakimova", "Hakimova", "Рухшона Хакимова"])
def test_other_scripts_and_spellings_find_the_name(page, real, query):
    search(page, real, query)
    assert set(slugs(page)[:10]) >= KHAKIMOVA
    marks = page.eval_on_selector_all(f"{RESULT_LINKS} mark", "els => els.map(e => e.textContent)")
    assert "Khakimova" in marks  # the Latin spelling is highlighted for the Cyrillic query


def test_a_typo_says_what_was_searched_and_links_to_the_words_as_typed(page, real):
    search(page, real, "Khakimva")
    assert set(slugs(page)) >= KHAKIMOVA
    assert "Showing results for “Khakimova”" in notice(page)
    page.click("#search-notice a:has-text('Search instead for “Khakimva”')")
    page.wait_for_selector(DONE)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["Khakimva"], "exact": ["1"]}
    assert page.inner_text("#search-status").startswith("No articles match")
    assert page.digest_log.page_errors == []


def test_a_phrase_finds_only_the_articles_that_hold_it(page, real):
    search(page, real, '"limited freedom"')
    assert set(slugs(page)) == {
        "kazakh-court-sentences-activist-to-prison-for-ablyazov-links",
        "kazakh-court-imprisons-activist-for-insulting-ruling-party",
    }
    assert "exact phrase “limited freedom”" in notice(page)
    assert page.text_content("#search-status").strip() == "2 articles match “limited freedom”."


def test_an_exclusion_alone_works_on_a_fresh_page(page, real):
    countries = countries_by_slug(REPO_ROOT / "content" / "articles")
    search(page, real, "-kazakhstan")
    found = slugs(page)
    assert found and not [s for s in found if "KZ" in countries[s]]
    assert len(found) >= sum(1 for c in countries.values() if "KZ" not in c) - 3  # a few name Kazakhstan in the text


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("Kharlamov's", {"kazakhstan-dangerous-precedent-journalist-at-risk"}),
        ("China", KHAKIMOVA),  # they only say "China’s"
        ("title:Tajikistan", {"tajikistans-former-foreign-minister-hamrokhon-zarifi-detained-in-dushanbe"}),
        (
            "цензура интернет",
            {"kazakhstan-use-cyber-censorship", "putin-considers-to-cut-russia-from-the-internet-in-an-emergency"},
        ),
    ],
)
def test_apostrophes_and_russian_vocabulary_names(page, real, query, wanted):
    search(page, real, query)
    assert wanted <= set(slugs(page))


def test_the_snippet_is_the_passage_around_a_match_deep_in_the_body(page, real):
    search(page, real, "somoni")
    snippet = page.inner_text("#search-results .search-snippet")
    assert snippet.startswith("…") and "somoni" in snippet
    assert page.eval_on_selector_all("#search-results .search-snippet mark", "els => els.map(e => e.textContent)") == [
        "somoni"
    ]


# --- over file://, the offline bundle of the fixture site -------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, fixture_bundle) -> str:
    root = tmp_path_factory.mktemp("names-bundle") / "unzipped"
    with zipfile.ZipFile(fixture_bundle) as archive:  # conftest's, built once per session
        archive.extractall(root)
    return next(root.rglob("search/index.html")).as_uri()


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("Хакимова", ["khakimova-treason-charges"]),
        ("Khakimva", ["khakimova-treason-charges"]),
        ("zhurnalist", ["zhurnalist-zaderzhan"]),
        ('"treason charges"', ["khakimova-treason-charges"]),
        ("-kazakhstan", ["khakimova-treason-charges", "kyrgyzstan-closes-kloop"]),
        ("Кыргызстан", ["kyrgyzstan-closes-kloop"]),
        ("China", ["khakimova-treason-charges"]),
    ],
)
def test_the_offline_bundle_answers_from_file_urls(page, bundle, query, wanted):
    search(page, bundle, query)
    found = slugs(page)
    assert sorted(found[: len(wanted)]) == wanted  # first; a typo candidate may follow
    if query.startswith(("-", '"')):
        assert sorted(found) == wanted  # nothing else: every other article is excluded
    if query == "Khakimva":
        assert "Showing results for “Khakimova”" in notice(page)
    assert [r for r in page.digest_log.requests if not r.startswith("file:")] == []
    assert page.digest_log.page_errors == []
