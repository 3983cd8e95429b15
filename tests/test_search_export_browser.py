"""Taking search results away (issue 20) and the search page's sentences in another language (issue 18).

A small site (the fixture articles, the article whose title, tags and summary are spreadsheet
formulas, and the real About page) is built once for this module, and once more with the offline
bundle's settings for file://. A filtered search is downloaded as CSV and JSON through Playwright's
download event and read with Python's csv and json modules; the expected rows are the site's own
data/articles.csv and data/articles.json, written by digest/export.py, for the results on the page.
The Russian plural forms are put on the page as a gettext catalog would render them, with <html lang="ru">.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest

from digest import REPO_ROOT
from digest.build import pelican_settings
from digest.bundle import offline_overrides
from digest.export import CSV_FIELDS, FORMULA_STARTS

from .conftest import FIXTURES, build_fixture_site, serve_directory
from .test_browser_site import _axe, _describe
from .test_search_browser import DONE, RESULT_LINKS, real_errors, result_slugs
from .test_site_build import script_data

pytestmark = pytest.mark.browser

FORMULA_SLUG = "csv-formula"
# Results from Tajikistan with one of these words: the formula article and Khakimova's.
FILTERED = "?q=csvmarker+journalist&country=TJ"


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export-content")
    shutil.copytree(FIXTURES / "site", folder, dirs_exist_ok=True)
    shutil.copy(FIXTURES / "hostile" / "robust" / f"{FORMULA_SLUG}.md", folder / "articles")
    shutil.copy(REPO_ROOT / "content" / "pages" / "about.md", folder / "pages" / "about.md")
    return folder


@pytest.fixture(scope="module")
def site(content, tmp_path_factory):
    output = build_fixture_site(content, tmp_path_factory.mktemp("export-site") / "output")
    server, url = serve_directory(output)
    yield url, output
    server.shutdown()


@pytest.fixture(scope="module")
def offline_site(content, tmp_path_factory):
    overrides = offline_overrides(pelican_settings(REPO_ROOT / "pelicanconf.py", {"PATH": str(content)}))
    return build_fixture_site(content, tmp_path_factory.mktemp("export-offline") / "output", **overrides)


def filtered_search(page, search_page: str) -> list[str]:
    """Run FILTERED on ``search_page``; the slugs of every result, in order."""
    page.goto(search_page + FILTERED)
    page.wait_for_selector(DONE)
    return result_slugs(page)


def download(page, kind: str) -> tuple[str, str]:
    """Click the page's CSV or JSON button; the suggested file name and the file's text."""
    with page.expect_download() as info:
        page.click(f"#search-export button[data-export={kind}]")
    return info.value.suggested_filename, open(info.value.path(), encoding="utf-8", newline="").read()


def archive_rows(output) -> dict[str, dict]:
    with open(output / "data" / "articles.csv", encoding="utf-8", newline="") as f:
        return {row["slug"]: row for row in csv.DictReader(f)}


def check_csv(text: str, slugs: list[str], output) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames) == CSV_FIELDS
    assert [row["slug"] for row in rows] == slugs
    archive = archive_rows(output)
    assert rows == [archive[slug] for slug in slugs], "the same cells as data/articles.csv"
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS), (row["slug"], column, cell)
    return rows


def test_a_filtered_search_downloads_as_csv_with_formulas_made_inert(page, site):
    url, output = site
    slugs = filtered_search(page, f"{url}/search/")
    assert FORMULA_SLUG in slugs and len(slugs) >= 2
    assert page.inner_text("#search-export [data-export-text]") == f"Download these {len(slugs)} results as"
    violations = _axe(page)
    assert violations == [], _describe(violations)
    name, text = download(page, "csv")
    assert name == "digest-search-csvmarker-journalist-TJ.csv"
    rows = check_csv(text, slugs, output)
    formula = next(row for row in rows if row["slug"] == FORMULA_SLUG)
    assert formula["title"].startswith("'=HYPERLINK(")
    assert formula["tags"] == "'+cmd|' /C calc'!A0; @SUM(1+1)"
    assert formula["summary"] == "'-2+3 formula in the summary"
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def test_a_filtered_search_downloads_as_json_like_the_archive(page, site):
    url, output = site
    slugs = filtered_search(page, f"{url}/search/")
    name, text = download(page, "json")
    assert name.endswith(".json")
    data = json.loads(text)
    archive = {a["slug"]: a for a in json.loads((output / "data" / "articles.json").read_text("utf-8"))["articles"]}
    assert data == {"count": len(slugs), "articles": [archive[slug] for slug in slugs]}
    formula = data["articles"][slugs.index(FORMULA_SLUG)]
    assert formula["title"].startswith("=HYPERLINK("), "the JSON keeps values exactly, as the archive's does"


def test_every_result_downloads_though_only_the_first_page_is_loaded(page, site_url, built_site):
    """Results past the first page have no row on the page yet: the download has them all, in order."""
    page.goto(f"{site_url}/search/?q=kazakhstan")
    page.wait_for_selector(DONE)
    on_screen = page.locator(RESULT_LINKS).count()
    _, text = download(page, "csv")
    slugs = result_slugs(page)
    assert len(slugs) > on_screen == 20, "the query must have more results than a page shows"
    assert page.inner_text("#search-export [data-export-text]") == f"Download these {len(slugs)} results as"
    check_csv(text, slugs, built_site)
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def test_records_of_another_build_give_no_file_rather_than_the_wrong_rows(page, site):
    """The download finds its records by ref. A data/articles.js from another build (a browser's copy from
    before a deploy that added an article) would put every row one place off: it is refused."""
    url, output = site
    data = script_data(output / "data" / "articles.js")
    data["articles"] = data["articles"][1:]  # as it was before the newest article
    body = "window.DIGEST_ARTICLES=" + json.dumps(data) + ";"
    page.route("**/data/articles.js", lambda route: route.fulfill(body=body, content_type="text/javascript"))
    filtered_search(page, f"{url}/search/")
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#search-export button[data-export=csv]")
    failed = page.get_attribute("#search-export", "data-failed")
    page.wait_for_function(
        "text => document.querySelector('#search-export [data-export-text]').textContent === text", arg=failed
    )
    page.wait_for_timeout(200)  # a download would have started by now
    assert downloads == []
    assert page.digest_log.page_errors == []


def test_nothing_to_download_without_results_and_the_archive_files_are_linked(page, site):
    url, output = site
    page.goto(f"{url}/search/")
    assert page.is_hidden("#search-export")
    page.goto(f"{url}/search/?q=qqxqzzyzzy")
    page.wait_for_selector(DONE)
    assert page.is_hidden("#search-export")
    page.goto(f"{url}/search/?country=TJ")
    page.wait_for_selector(DONE)
    assert page.is_visible("#search-export button[data-export=csv]")
    for html_page in ("search/index.html", "about/index.html"):
        html = (output / html_page).read_text(encoding="utf-8")
        for data_file in ("data/articles.json", "data/articles.csv"):
            assert re.search(rf'<a href="[./]*/{data_file}">', html), (html_page, data_file)
            assert (output / data_file).is_file()
    assert page.digest_log.page_errors == [] and real_errors(page) == []


def test_download_from_file_url(page, offline_site):
    slugs = filtered_search(page, f"{offline_site.as_uri()}/search/index.html")
    _, text = download(page, "csv")
    check_csv(text, slugs, offline_site)
    _, text = download(page, "json")
    assert [a["slug"] for a in json.loads(text)["articles"]] == slugs
    assert [r for r in page.digest_log.requests if not r.startswith(("file://", "blob:"))] == []
    assert page.digest_log.page_errors == [] and real_errors(page) == []


# --- the page's sentences in Russian ------------------------------------------------------------

# As a Russian catalog gives them: ngettext's three forms, chosen by gettext's Plural-Forms for
# Russian, for each sample number the template renders (includes/plural.html).
RU_FORMS = {
    "count-filters": ("{count} статья {filters}.", "{count} статьи {filters}.", "{count} статей {filters}."),
    "count-query-filters": (
        "{count} статья по запросу {query}, {filters}.",
        "{count} статьи по запросу {query}, {filters}.",
        "{count} статей по запросу {query}, {filters}.",
    ),
}
RU_TEXT = {
    "in-country": "страна: {country}",
    "quote": "«{text}»",
    "date": "{day} {month} {year} г.",
    "date-approximate": "не позднее {date}",
}
SET_ATTRIBUTES = """([forms, text]) => {
  document.documentElement.lang = "ru";
  const el = document.getElementById("search-text");
  for (const name of Object.keys(forms)) {
    for (const attr of Array.from(el.attributes)) {
      const sample = attr.name.match(new RegExp("^data-" + name + "-(\\\\d+)$"));
      if (sample) el.setAttribute(attr.name, forms[name][Number(sample[1])]);
    }
  }
  for (const name of Object.keys(text)) el.setAttribute("data-" + name, text[name]);
}"""


def ru_form(n: int) -> int:
    """gettext's Plural-Forms for Russian."""
    if n % 10 == 1 and n % 100 != 11:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def ru_page(page, url: str) -> None:
    page.goto(f"{url}/search/")
    samples = page.eval_on_selector_all(
        "#search-text",
        "els => Array.from(els[0].attributes).map(a => a.name).filter(n => /^data-count-query-\\d+$/.test(n))",
    )
    numbers = sorted(int(s.rsplit("-", 1)[1]) for s in samples)
    assert numbers, "the template renders a form per sample number"
    forms = {name: {n: forms[ru_form(n)] for n in numbers} for name, forms in RU_FORMS.items()}
    page.evaluate(SET_ATTRIBUTES, [forms, RU_TEXT])


def test_counts_take_the_russian_plural_forms_and_digits(page, site):
    url, _ = site
    ru_page(page, url)
    plural = "([name, n]) => window.digestText.plural(document.getElementById('search-text'), name, n, {filters: 'X'})"
    expected = {
        1: "1 статья X.",
        2: "2 статьи X.",
        4: "4 статьи X.",
        5: "5 статей X.",
        11: "11 статей X.",
        12: "12 статей X.",
        21: "21 статья X.",
        22: "22 статьи X.",
        111: "111 статей X.",
        5000: "5\u00a0000 статей X.",
        1_000_001: "1\u00a0000\u00a0001 статья X.",
    }
    for n, sentence in expected.items():
        assert page.evaluate(plural, ["count-filters", n]) == sentence, n
    page.select_option("#search-country", "TJ")
    page.wait_for_selector(DONE)
    count = len(result_slugs(page))
    form = RU_FORMS["count-filters"][ru_form(count)]
    assert page.inner_text("#search-status") == form.format(count=count, filters="страна: Tajikistan")
    date = page.inner_text("#search-results .meta time")
    assert re.fullmatch(r"(не позднее )?\d{1,2} [а-я]+ \d{4} г\.", date), date
    page.fill("#search-q", "journalist")
    page.press("#search-q", "Enter")
    page.wait_for_selector(DONE)
    count = len(result_slugs(page))
    form = RU_FORMS["count-query-filters"][ru_form(count)]
    expected_status = form.format(count=count, query="«journalist»", filters="страна: Tajikistan")
    assert page.inner_text("#search-status") == expected_status
    assert page.digest_log.page_errors == [] and real_errors(page) == []


# --- the language switch keeps the search -------------------------------------------------------

SWITCH = '<a data-lang-switch hreflang="ru" href="/ru/search/">Русский</a>'


def test_the_language_switch_follows_the_search_state(page, site):
    url, _ = site

    def with_switch(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("</header>", SWITCH + "</header>"))

    page.route(re.compile(r"/search/(\?.*)?$"), with_switch)
    page.goto(f"{url}/search/?q=kloop&year=2025")
    page.wait_for_selector(DONE)
    switch = "a[data-lang-switch]"

    def switch_state() -> tuple[str, dict]:
        parts = urlsplit(page.get_attribute(switch, "href"))
        return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}

    assert switch_state() == ("/ru/search/", {"q": "kloop", "year": "2025"})
    page.select_option("#search-country", "KG")
    page.wait_for_selector(DONE)
    assert switch_state() == ("/ru/search/", {"q": "kloop", "country": "KG", "year": "2025"})
    page.fill("#search-q", "журналист")
    page.press("#search-q", "Enter")
    page.wait_for_selector(DONE)
    assert switch_state()[1] == {"q": "журналист", "country": "KG", "year": "2025"}
    page.go_back()
    page.wait_for_selector(DONE)
    assert switch_state()[1] == {"q": "kloop", "country": "KG", "year": "2025"}
    page.click(switch)
    assert urlsplit(page.url).path == "/ru/search/" and params_of(page.url) == {
        "q": "kloop",
        "country": "KG",
        "year": "2025",
    }


def params_of(address: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(address).query).items()}


def test_the_russian_search_page_names_countries_and_topics_in_russian(page, site):
    """The index is shared, with English names; the results and the filters' sentence use the page's."""
    url, _ = site
    page.goto(f"{url}/ru/search/?q=journalist&country=TJ")
    page.wait_for_selector(DONE)
    status = page.inner_text("#search-status")
    assert status.startswith("По запросу «journalist» в стране Таджикистан "), status
    metas = page.eval_on_selector_all("#search-results .meta", "els => els.map(e => [e.lang, e.innerText])")
    assert metas and all(lang == "ru" and "Таджикистан" in text for lang, text in metas), metas
    assert not any(re.search(r"Tajikistan|Kazakhstan|Kyrgyzstan", text) for _, text in metas), metas
    assert page.digest_log.page_errors == [] and real_errors(page) == []
