"""The real site, crawled over http: every asset loads with the right type, every fragment exists.

``digest.linkcheck.crawl`` checks links on disk (tests/test_site_build.py runs it). This test
goes over the wire, as a browser would, against the session's build of content/ served on a
loopback port, and covers what the disk crawl does not:

- every internal URL any page names (``href``, ``src``, ``srcset``, and ``url(...)`` inside the
  stylesheets) answers 200, with a content type that fits what refers to it;
- every ``#fragment`` of an internal link, including same-page links such as the skip link,
  names an element id on the target page, and no page repeats an id (a repeated id makes a
  fragment ambiguous);
- in Chromium, the pages that load scripts at run time (search) make no request that fails or
  answers an error status.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from digest import REPO_ROOT

from .conftest import wait_until_quiet

URL_ATTRS = {"href", "src", "poster", "data"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
TYPES = {
    ".css": "text/css",
    ".js": "javascript",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".xml": "xml",
    ".json": "json",
    ".html": "text/html",
    "/": "text/html",
}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: list[str] = []
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.append(value)
            if name == "name" and tag == "a":
                self.names.add(value)
            if name in URL_ATTRS:
                self.links.append((tag, value))
            if name == "srcset":
                self.links.extend((tag, part.strip().split()[0]) for part in value.split(",") if part.strip())


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), b""


def expected_type(url: str) -> str | None:
    path = urlsplit(url).path
    for suffix, kind in TYPES.items():
        if path.endswith(suffix):
            return kind
    return None


class HttpCrawl:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/") + "/"
        self.pages: dict[str, _Parser] = {}
        self.assets: dict[str, tuple[int, str]] = {}
        self.problems: list[str] = []
        self.fragments: list[tuple[str, str, str]] = []  # (page, target page, fragment)

    def internal(self, url: str) -> bool:
        return url.startswith(self.base)

    def run(self) -> None:
        queue = deque([self.base])
        while queue:
            page = queue.popleft()
            if page in self.pages:
                continue
            status, ctype, body = fetch(page)
            if status != 200 or "text/html" not in ctype:
                self.problems.append(f"{page}: {status} {ctype}")
                self.pages[page] = _Parser()
                continue
            parser = _Parser()
            parser.feed(body.decode("utf-8"))
            self.pages[page] = parser
            for tag, raw in parser.links:
                if raw.startswith(("mailto:", "tel:")):
                    continue
                url = urljoin(page, raw)
                if not self.internal(url):
                    continue
                target, fragment = urldefrag(url)
                if fragment:
                    self.fragments.append((page, target, fragment))
                if tag == "a" and (target.endswith("/") or target.endswith(".html")):
                    queue.append(target)
                else:
                    self.check_asset(target, referrer=page)

    def check_asset(self, url: str, referrer: str) -> None:
        if url in self.assets:
            return
        status, ctype, body = fetch(url)
        self.assets[url] = (status, ctype)
        if status != 200:
            self.problems.append(f"{referrer}: {url}: HTTP {status}")
            return
        kind = expected_type(url)
        if kind and kind not in ctype:
            self.problems.append(f"{url}: served as {ctype!r}, expected {kind}")
        if url.endswith(".css"):
            for ref in CSS_URL.findall(body.decode("utf-8")):
                if ref.startswith(("data:", "#")):
                    continue
                target = urljoin(url, ref)
                if self.internal(target):
                    self.check_asset(urldefrag(target)[0], referrer=url)

    def check_fragments(self) -> None:
        for page, target, fragment in self.fragments:
            parser = self.pages.get(target)
            if parser is None:  # an asset with a fragment (an SVG sprite, a feed): not an anchor
                continue
            if fragment not in parser.ids and fragment not in parser.names:
                self.problems.append(f"{page}: #{fragment} has no element with that id on {target}")


@pytest.fixture(scope="module")
def crawl_report(site_url) -> HttpCrawl:
    crawler = HttpCrawl(site_url)
    crawler.run()
    crawler.check_fragments()
    return crawler


def test_every_internal_url_answers_200_with_its_type(crawl_report):
    assert len(crawl_report.pages) >= 43, "the crawl reached too few pages to mean anything"
    css = [u for u in crawl_report.assets if u.endswith(".css")]
    js = [u for u in crawl_report.assets if u.endswith(".js")]
    assert css and js, sorted(crawl_report.assets)
    assert not crawl_report.problems, "\n".join(crawl_report.problems[:30])


def test_every_fragment_link_has_its_target(crawl_report):
    assert crawl_report.fragments, "no fragment links at all (the skip link should be one)"
    assert any(f == "main" for _, _, f in crawl_report.fragments)
    bad = [p for p in crawl_report.problems if "has no element" in p]
    assert not bad, "\n".join(bad[:30])


def test_no_page_repeats_an_id(crawl_report):
    repeated = []
    for page, parser in crawl_report.pages.items():
        seen: set[str] = set()
        for value in parser.ids:
            if value in seen:
                repeated.append(f"{page}: id {value!r} appears more than once")
            seen.add(value)
    assert not repeated, "\n".join(repeated[:30])


def test_every_article_page_is_reached_over_http(crawl_report):
    slugs = {p.stem for p in (REPO_ROOT / "content" / "articles").glob("*.md")}
    reached = {u.rstrip("/").rsplit("/", 1)[-1] for u in crawl_report.pages if "/articles/" in u}
    assert slugs <= reached, sorted(slugs - reached)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "search/?q=journalist", "search/?q=%D0%B6%D1%83%D1%80%D0%BD%D0%B0%D0%BB"])
def test_pages_request_nothing_that_fails(path, site_url, page):
    """What scripts load at run time (lunr, the index, language packs) is invisible to a crawl."""
    statuses: list[str] = []
    page.on("response", lambda r: statuses.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{site_url}/{path}")
    if path.startswith("search"):
        page.wait_for_selector("#search-app[data-status='done'], #search-app[data-status='failed']", state="attached")
    wait_until_quiet(page)  # the rows of the first page, asked for once it is drawn, are in
    log = page.digest_log
    assert not statuses, statuses
    assert not log.failed, log.failed
    assert not log.console_errors and not log.page_errors, (log.console_errors, log.page_errors)
    local = [u for u in log.requests if not u.startswith((site_url, "data:"))]
    assert not local, f"requests that leave the site: {local}"


def test_the_404_page_links_work_from_any_depth_when_published(published_fixture_site):
    """Static hosts serve 404.html for any missing URL, at any depth: its links must be absolute."""
    out = published_fixture_site
    parser = _Parser()
    parser.feed((out / "404.html").read_text(encoding="utf-8"))
    relative = [u for _, u in parser.links if not u.startswith(("https://", "http://", "#", "mailto:"))]
    assert not relative, f"404.html links that break below the root: {relative}"
