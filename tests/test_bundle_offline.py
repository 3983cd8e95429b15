"""The offline bundle of the real content, unzipped and opened from file:// in headless Chromium.

The bundle is built and zipped ONCE per session (conftest's ``content_bundle``), then unzipped twice, into two unrelated
folders (the second with a space and Cyrillic in its path, as a reader's "Загрузки" folder might
have). Pages are compared with the normal build served over http (conftest's ``site_url``).
Assertions are on behaviour (styles applied, requests made, links resolved, results returned),
not on the theme's markup, which the site and search engineers are free to change.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import pytest

from digest import REPO_ROOT
from digest.bundle import BundleResult, crawl_everything, live_site, write_zip
from digest.linkcheck import CrawlReport

from .conftest import open_page, save_screenshot, wait_until_quiet

pytestmark = pytest.mark.browser

CONTENT = REPO_ROOT / "content"
# The pages a reader must be able to open, by the setting that names where each is saved.
PAGE_KINDS = {
    "home": "INDEX_SAVE_AS",
    "countries": "COUNTRIES_SAVE_AS",
    "country": "COUNTRY_SAVE_AS",
    "topic": "TOPIC_SAVE_AS",
    "article": "ARTICLE_SAVE_AS",
    "tag": "TAG_SAVE_AS",
    "search": "SEARCH_SAVE_AS",
}
STYLE_PROPS = [
    "font-family",
    "font-size",
    "line-height",
    "color",
    "background-color",
    "margin-top",
    "margin-left",
    "padding-left",
    "max-width",
    "display",
]
STYLES_JS = """(props) => {
  const pick = (el) => el ? props.map((p) => getComputedStyle(el).getPropertyValue(p)).join(' | ') : null;
  const read = () => Object.fromEntries(
    ['body', 'header', 'nav', 'main', 'h1', 'footer', 'a'].map((s) => [s, pick(document.querySelector(s))]));
  const styled = read();
  const sheets = Array.from(document.styleSheets);
  sheets.forEach((s) => { s.disabled = true; });
  const unstyled = read();
  sheets.forEach((s) => { s.disabled = false; });
  const links = Array.from(document.querySelectorAll('link[rel~="stylesheet"]'), (l) => [l.href, l.sheet !== null]);
  return {styled, unstyled, links};
}"""
# new URL(...): an SVG link's ``href`` (the map's countries) is an SVGAnimatedString, not a URL.
HREF_JS = "(a) => new URL(a.getAttribute('href'), document.baseURI).href"
LINKS_JS = """() => {
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) out.push(['a', new URL(a.getAttribute('href'), document.baseURI).href]);
  for (const l of document.querySelectorAll('link[href]')) out.push(['link ' + l.rel, l.href]);
  for (const s of document.querySelectorAll('script[src], img[src], source[src], iframe[src]')) out.push([s.tagName.toLowerCase(), s.src]);
  for (const f of document.querySelectorAll('form')) out.push(['form', f.action]);
  return out;
}"""
ANCHORS_JS = f"() => Array.from(document.querySelectorAll('a[href]'), {HREF_JS})"


@dataclass
class Offline:
    result: BundleResult
    build_output: Path
    first: Path  # the zip unzipped here...
    second: Path  # ...and here, in an unrelated folder: the zip "moved"
    settings: dict  # the settings the bundle was built with
    report: CrawlReport  # a file:// crawl of ``first``: from index.html, then from every page it missed
    from_home: set[str]  # the pages reached by links from index.html
    samples: dict[str, str] = field(default_factory=dict)  # page kind -> path inside the bundle
    requests: list[str] = field(default_factory=list)  # every request made from file:// in this module


def _save_as_regex(pattern: str) -> re.Pattern:
    parts = re.split(r"\{[^}]*\}", pattern)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")


def _unzip(zip_path: Path, target: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            assert not name.startswith("/") and ".." not in name.split("/"), name
        archive.extractall(target)
    return target


@pytest.fixture(scope="module")
def offline(tmp_path_factory, content_bundle) -> Offline:
    result = content_bundle.result  # conftest's: built and zipped once per session
    first = _unzip(result.zip_path, tmp_path_factory.mktemp("unzipped") / "digest")
    second = _unzip(result.zip_path, tmp_path_factory.mktemp("moved") / "Мои загрузки" / "press digest copy")
    settings = content_bundle.settings
    report, from_home = crawl_everything(first)
    samples: dict[str, str] = {}
    for kind, setting in PAGE_KINDS.items():
        pattern = settings.get(setting) or ("index.html" if kind == "home" else "")
        if not pattern:
            continue
        regex = _save_as_regex(pattern)
        matches = sorted(p for p in report.pages if regex.match(p))
        if matches:
            samples[kind] = matches[0]
    return Offline(result, result.output, first, second, settings, report, from_home, samples)


def _sample(offline: Offline, kind: str) -> str:
    if kind not in offline.samples:
        setting = PAGE_KINDS[kind]
        pytest.fail(
            f"no {kind} page in the bundle "
            f"({setting}={offline.settings.get(setting)!r}; pages reached: {len(offline.report.pages)})"
        )
    return offline.samples[kind]


def _file_url(root: Path, rel: str, query: str = "") -> str:
    return (root / rel).as_uri() + query


def _local(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def _open(browser, offline: Offline, url: str):
    page = open_page(browser)
    page.goto(url, wait_until="load")
    return page


def _close(page, offline: Offline | None = None) -> None:
    if offline is not None:
        offline.requests.extend(page.digest_log.requests)
    page.context.close()


def _assert_quiet_and_local(page, root: Path) -> None:
    """Nothing failed, nothing complained, and every request stayed inside the unzipped folder."""
    log = page.digest_log
    assert log.failed == [], f"failed requests: {log.failed}"
    assert log.page_errors == [], log.page_errors
    assert log.console_errors == [], log.console_errors
    outside = [u for u in log.requests if not u.startswith(root.as_uri() + "/")]
    assert outside == [], f"requests outside {root}: {outside}"


def _assert_links_resolve(page, root: Path) -> list[str]:
    """Every link, asset and form action the browser sees names a file in the bundle; returns external links."""
    external, problems = [], []
    for kind, url in page.evaluate(LINKS_JS):
        scheme = urlsplit(url).scheme
        if scheme in ("http", "https"):
            if kind == "a" or kind == "link alternate":
                external.append(url)
                continue
            problems.append(f"{kind} {url}: loads from the network")
        elif scheme == "file":
            target = _local(url)
            if root not in target.parents:
                problems.append(f"{kind} {url}: outside the bundle")
            elif not target.is_file():
                problems.append(f"{kind} {url}: {'a folder' if target.is_dir() else 'missing'}")
        elif scheme not in ("mailto", "tel"):
            problems.append(f"{kind} {url}: unexpected scheme")
    assert problems == [], "\n".join(problems)
    return external


def _settle(page, js: str = ANCHORS_JS):
    """What ``js`` returns once the page is complete: the network idle and, on the search page, the results
    for its URL drawn (the search app says ``data-status='done'`` once they and their snippets are on screen)."""
    if page.locator("#search-app").count():
        page.wait_for_selector("#search-app[data-status='done']", state="attached")
    wait_until_quiet(page)
    return page.evaluate(js)


# --- the bundle as a whole ----------------------------------------------------------------------


def test_bundle_has_index_readme_and_its_check_found_nothing(offline):
    result = offline.result
    assert result.problems == [], "\n".join(result.problems)
    assert result.zip_path.name == f"{offline.settings['SITE_SLUG']}-offline-{dt.date.today().isoformat()}.zip"
    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
    assert names[:2] == ["index.html", "README.txt"]
    assert names == names[:2] + sorted(names[2:])
    readme = (offline.first / "README.txt").read_text("utf-8")
    assert dt.date.today().isoformat() in readme and "index.html" in readme
    assert f": {len(list((CONTENT / 'articles').glob('*.md')))} articles." in readme
    assert result.pages == sum(1 for _ in offline.first.rglob("*.html"))
    # The path the search plugin recorded for the index it wrote, not a guess.
    assert result.search_index == result.output / "search" / "meta.js"
    assert result.search_index_bytes > 1000


def test_feeds_page_and_citations_give_the_live_address_and_there_is_no_sitemap(offline):
    """Offline there are no feeds: the feeds page names the live ones. Citations name the live article.
    A sitemap lists a web site's addresses for crawlers: a folder on a disk has none to list."""
    siteurl, feed_url = live_site()
    assert siteurl.startswith("https://") and feed_url
    feeds = (offline.first / "feeds/index.html").read_text(encoding="utf-8")
    assert f'<a href="{feed_url}">{feed_url}</a>' in feeds
    assert f'<a href="{siteurl}/feeds/">' in feeds
    article = offline.samples["article"]
    html = (offline.first / article).read_text(encoding="utf-8")
    assert f"{siteurl}/{article.removesuffix('index.html')}." in html
    assert not (offline.first / "sitemap.xml").exists()
    assert "sitemap" not in (offline.first / "robots.txt").read_text(encoding="utf-8").lower()


def test_the_settings_alone_make_every_link_name_its_file(offline):
    """Templates write links through the *_URL settings, so the file:// check finds nothing to report."""
    assert offline.result.problems == []


def test_every_article_is_in_the_bundle_and_reachable_from_the_home_page(offline):
    articles = sorted(p.stem for p in (CONTENT / "articles").glob("*.md"))
    assert articles, "content/articles is empty"
    regex = _save_as_regex(offline.settings["ARTICLE_SAVE_AS"])
    reached = {p for p in offline.from_home if regex.match(p)}
    expected = {offline.settings["ARTICLE_SAVE_AS"].format(slug=slug) for slug in articles}
    assert expected - reached == set(), "articles the crawl from index.html never reached"


def test_crawler_finds_no_broken_link_and_no_missing_asset(offline):
    report = offline.report
    assert report.broken == [], "\n".join(map(str, report.broken[:30]))
    assert any(a.endswith(".css") for a in report.assets), f"no stylesheet linked: {sorted(report.assets)[:20]}"
    assert any(a.endswith(".js") for a in report.assets), "no script linked"
    # Nothing the pages load may live on another host: external URLs may only be links to click.
    loaded_from_net = [u for u in report.external if re.search(r"\.(css|js|woff2?|ttf|png|jpe?g|svg|gif)(\?|$)", u)]
    assert loaded_from_net == []


def test_the_zip_is_reproducible_from_its_own_contents(offline, tmp_path):
    """Zipping the unzipped bundle again gives the same bytes: fixed order, dates and modes."""
    again = tmp_path / "again.zip"
    write_zip(offline.first, again, offline.result.date)
    assert again.read_bytes() == offline.result.zip_path.read_bytes()


def test_no_file_mentions_the_build_paths(offline):
    needles = [str(offline.build_output), str(offline.build_output.parent), str(REPO_ROOT), "file:///"]
    hits = []
    for path in offline.second.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".css", ".json", ".xml", ".txt", ".csv", ".svg"}:
            text = path.read_text("utf-8", errors="replace")
            hits += [f"{path.relative_to(offline.second)}: {n}" for n in needles if n in text]
    assert hits == []


# --- in the browser -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_renders_with_its_styles_from_file(browser, offline, site_url, kind):
    rel = _sample(offline, kind)
    page = _open(browser, offline, _file_url(offline.first, rel))
    try:
        offline_styles = page.evaluate(STYLES_JS, STYLE_PROPS)
        _assert_quiet_and_local(page, offline.first)
        _assert_links_resolve(page, offline.first)
        save_screenshot(page, f"bundle-{kind}")
    finally:
        _close(page, offline)
    http = open_page(browser)
    try:
        http.goto(f"{site_url}/{rel}", wait_until="load")
        http_styles = http.evaluate(STYLES_JS, STYLE_PROPS)
    finally:
        http.context.close()
    assert offline_styles["links"], "the page links no stylesheet"
    assert all(loaded for _, loaded in offline_styles["links"]), offline_styles["links"]
    assert offline_styles["styled"] != offline_styles["unstyled"], "the theme's CSS changes nothing"
    assert offline_styles["styled"] == http_styles["styled"], "the page looks different from file:// and over http"


def _article_paths(page, root_url: str, regex: re.Pattern) -> list[str]:
    """Article pages linked from the page, in order, as paths inside the site (folder URLs name index.html)."""
    seen: list[str] = []
    for url in _settle(page):
        if not url.startswith(root_url):
            continue
        rel = unquote(urlsplit(url[len(root_url) :]).path).lstrip("/")
        rel = rel + "index.html" if rel.endswith("/") or rel == "" else rel
        if regex.match(rel) and rel not in seen:
            seen.append(rel)
    return seen


def _filter_values(page, name: str) -> list[str]:
    return page.evaluate(
        "(n) => Array.from(document.querySelectorAll(`select[name='${n}'] option, input[name='${n}']`),"
        " (o) => o.value).filter((v) => v && v !== 'on')",
        name,
    )


@pytest.fixture(scope="module")
def search_queries(browser, offline, site_url) -> list[dict]:
    """Queries with filters, built from the real content: the search page's own filter values."""
    page = open_page(browser)
    try:
        page.goto(f"{site_url}/{_sample(offline, 'search')}", wait_until="load")
        countries, topics, years = (_filter_values(page, n) for n in ("country", "topic", "year"))
    finally:
        page.context.close()
    assert countries and topics and years, "the search page offers no country, topic or year filter values"
    return [
        {"q": "journalist"},
        {"q": "journ*", "country": countries[0]},
        {"q": "court", "year": years[0]},
        {"country": countries[0], "topic": topics[0]},
        {"year": years[-1]},
        {"q": "zzqxnothingmatcheszz"},
    ]


def test_search_with_filters_returns_the_same_results_as_over_http(browser, offline, site_url, search_queries):
    rel = _sample(offline, "search")
    regex = _save_as_regex(offline.settings["ARTICLE_SAVE_AS"])
    root_file = offline.first.as_uri() + "/"
    found_any = 0
    http, page = open_page(browser), open_page(browser)
    try:
        for query in search_queries:
            qs = "?" + urlencode(query)
            http.goto(f"{site_url}/{rel}{qs}", wait_until="load")
            over_http = _article_paths(http, site_url + "/", regex)
            page.goto(_file_url(offline.first, rel, qs), wait_until="load")
            from_file = _article_paths(page, root_file, regex)
            _assert_links_resolve(page, offline.first)
            if query == search_queries[1]:
                save_screenshot(page, "bundle-search-results")
                # The site's Content-Security-Policy stays on in the bundle: 'self' allows file:// scripts.
                csp = page.evaluate(
                    "() => document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content || ''"
                )
                assert csp == (offline.settings.get("CSP") or ""), csp
            assert from_file == over_http, f"{qs}: file:// {from_file[:5]}... != http {over_http[:5]}..."
            found_any += bool(from_file)
        _assert_quiet_and_local(page, offline.first)
    finally:
        http.context.close()
        _close(page, offline)
    assert found_any >= 3, "most queries found nothing: search does not run"


def test_search_from_the_home_page_box_then_open_a_result(browser, offline):
    """A reader types in the home page's search box, lands on the search page, and opens a result."""
    regex = _save_as_regex(offline.settings["ARTICLE_SAVE_AS"])
    page = _open(browser, offline, _file_url(offline.second, "index.html"))
    try:
        box = page.locator("form input[name='q']").first
        box.fill("journalist")
        box.press("Enter")
        page.wait_for_load_state("load")
        assert page.url.startswith(_file_url(offline.second, _sample(offline, "search"))), page.url
        assert "q=journalist" in page.url
        results = _article_paths(page, offline.second.as_uri() + "/", regex)
        assert results, "no results for 'journalist' from file://"
        page.locator(f"a[href*='{results[0].split('/')[1]}']").first.click()
        page.wait_for_load_state("load")
        assert _local(page.url) == offline.second / results[0]
        _assert_quiet_and_local(page, offline.second)
    finally:
        _close(page, offline)


def test_the_moved_copy_works_and_never_touches_the_first(browser, offline):
    """Unzipped somewhere else, the bundle loads everything from where it now is."""
    page = open_page(browser)
    try:
        for kind in ("home", "country", "article", "search"):
            query = "?q=journalist" if kind == "search" else ""
            page.goto(_file_url(offline.second, _sample(offline, kind), query), wait_until="load")
            _settle(page)
            _assert_links_resolve(page, offline.second)
        _assert_quiet_and_local(page, offline.second)
        assert not [u for u in page.digest_log.requests if str(offline.first) in unquote(u)]
    finally:
        _close(page, offline)


def test_browsing_made_zero_network_requests(browser, offline):
    """Every request made from file:// in this module (and a walk over sample pages) stayed on disk."""
    pages = sorted(offline.report.pages)
    page = open_page(browser)
    try:
        for rel in pages[:: max(1, len(pages) // 10)]:
            page.goto(_file_url(offline.first, rel), wait_until="load")
            wait_until_quiet(page)  # leaving earlier would abort late requests: "failed"
            _assert_links_resolve(page, offline.first)
        _assert_quiet_and_local(page, offline.first)
    finally:
        _close(page, offline)
    assert offline.requests, "no request was recorded at all"
    network = [u for u in offline.requests if u.startswith(("http:", "https:"))]
    assert network == []


def test_both_languages_are_in_the_bundle_and_the_switch_works_from_file(browser, offline):
    """The Russian pages are in the zip (issue 18): the switch leads from each page to its counterpart
    and back, and a Russian search opens Russian article pages, all from file://."""
    readme = (offline.first / "README.txt").read_text("utf-8")
    assert "Как открыть" in readme and "ru/index.html" in readme
    page = open_page(browser)
    try:
        country = _sample(offline, "country")
        page.goto(_file_url(offline.first, country), wait_until="load")
        wait_until_quiet(page)  # leaving earlier would abort late requests (the icon): "failed"
        page.locator("a.lang-switch[hreflang='ru']").click()
        wait_until_quiet(page)
        assert _local(page.url) == offline.first / "ru" / country
        assert page.locator("html").get_attribute("lang") == "ru"
        _assert_links_resolve(page, offline.first)
        page.locator("a.lang-switch[hreflang='en']").click()
        wait_until_quiet(page)
        assert _local(page.url) == offline.first / country
        search = _sample(offline, "search")
        page.goto(_file_url(offline.first, f"ru/{search}", "?q=journalist"), wait_until="load")
        regex = _save_as_regex(offline.settings["ARTICLE_SAVE_AS"])
        results = _article_paths(page, (offline.first / "ru").as_uri() + "/", regex)
        assert results, "no results for 'journalist' on the Russian search page from file://"
        _assert_quiet_and_local(page, offline.first)
    finally:
        _close(page, offline)
