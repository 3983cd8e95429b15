"""Hostile articles built into a real site and opened in Chromium: no script runs, text stays text.

The fixture sets (tests/fixtures/hostile/articles and hostile/robust) hold valid articles whose titles, tags,
summaries and bodies carry ``<script>``, ``onerror=``, ``javascript:`` URLs, ``</script>``
meant to close the search index, attribute-breaking quotes, SVG with script, a 677-character
title and right-to-left overrides. They are built together with the small fixture site (conftest's ``hostile_fixture_site``), and
every page on which one of them appears (its own page, the home page, archives, tag, country,
topic and country-and-topic lists, and the search results for each marker word) is opened in
Chromium. On each: no dialog, no page error, no console error (a CSP violation would be one),
no event-handler attribute, no script or data URL, no inline script, no SVG script; and the
hostile title is visible as literal text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import FIXTURES, save_screenshot, serve_directory

pytestmark = pytest.mark.browser

HOSTILE_DIRS = (FIXTURES / "hostile" / "articles", FIXTURES / "hostile" / "robust")
HOSTILE_FILES = sorted(p for d in HOSTILE_DIRS for p in d.glob("*.md"))
MARKERS = {
    "js-string-breakers": "jsbreakmarker",
    "entity-encoded": "entitymarker",
    "csv-formula": "csvmarker",
    "script-everywhere": "hostilemarker",
    "closing-script-in-title": "breakoutmarker",
    "quotes-break-attributes": "quotemarker",
    "svg-with-script": "svgmarker",
    "very-long-title": "longtitlemarker",
    "right-to-left-override": "rtlmarker",
}

# Everything an injected payload could leave in the live DOM, looked for after scripts ran.
INJECTION_PROBE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push(`${el.tagName} has handler ${name}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(name)
          && /^\\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(`${el.tagName} ${name}=${attr.value}`);
    }
  }
  for (const s of document.querySelectorAll('script')) {
    if (!s.src) found.push('inline script: ' + s.textContent.slice(0, 60));
  }
  const banned = 'iframe, object, embed, math, base, meta[http-equiv=refresh], svg script, svg foreignObject';
  for (const e of document.querySelectorAll(banned)) found.push('element ' + e.tagName);
  // The theme draws its charts in SVG; a payload's SVG would carry its alert().
  for (const e of document.querySelectorAll('svg')) {
    if (/alert|svgmarker/i.test(e.outerHTML)) found.push('injected svg: ' + e.outerHTML.slice(0, 60));
  }
  return found;
}"""
# One round trip per page: wait for deferred scripts and any injected onload/onerror to run, then probe
# the DOM and read the text readers see (``innerText``, as Playwright's inner_text reads it).
PAGE_CHECK = f"""async () => {{
  await new Promise((resolve) => setTimeout(resolve, 50));
  const h1 = document.querySelector('h1');
  return {{found: ({INJECTION_PROBE})(), body: document.body.innerText, h1: h1 ? h1.innerText : null}};
}}"""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def article_titles() -> dict[str, str]:
    """slug -> title, read with the project's own parser (so the test expects what the site shows)."""
    from digest.schema import parse_article

    titles = {}
    for path in HOSTILE_FILES:
        article, problems = parse_article(path)
        assert article is not None, problems
        titles[article.slug] = article.for_display().title  # what readers see: no bidi controls
    return titles


@pytest.fixture(scope="module")
def hostile_site(hostile_fixture_site) -> Path:
    """The fixture site with every file of HOSTILE_FILES, built once per session (conftest)."""
    content = hostile_fixture_site / "content" / "articles"
    assert {p.name for p in HOSTILE_FILES} <= {p.name for p in content.glob("*.md")}
    return hostile_fixture_site / "output"


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    server, url = serve_directory(hostile_site)
    yield url
    server.shutdown()


def pages_showing_hostile_articles(site: Path) -> dict[str, set[str]]:
    """Every built page that is, or links to, a hostile article: page -> hostile slugs on it."""
    shown: dict[str, set[str]] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        slugs = {s for s in MARKERS if rel == f"articles/{s}/index.html"}
        slugs |= {s for s in MARKERS for href in parser.hrefs if f"articles/{s}/" in href}
        if slugs:
            shown[rel] = slugs
    return shown


def test_hostile_articles_appear_on_every_kind_of_page(hostile_site):
    """Guards the browser test below against passing on too few pages."""
    shown = pages_showing_hostile_articles(hostile_site)
    for slug in MARKERS:
        assert f"articles/{slug}/index.html" in shown
    expected = [
        "index.html",
        "archives/2024/index.html",
        "countries/kz/index.html",
        "countries/kz/media-freedom/index.html",
        "topics/media-freedom/index.html",
        "tags/alerttag2/index.html",
        "tags/evil/index.html",
    ]
    missing = [page for page in expected if page not in shown]
    assert not missing, f"pages without the hostile articles: {missing}; found {sorted(shown)}"
    assert len(shown) >= 25


def test_the_search_index_is_a_classic_script_that_survives_closing_script_tags(hostile_site):
    """``</script>`` in a title must not end up able to close anything, and the index must parse."""
    scripts = [p for folder in ("terms", "docs") for p in (hostile_site / "search" / folder).glob("*.js")]
    scripts += [hostile_site / "search" / name for name in ("meta.js", "facets.js")]
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        assert "</script" not in text.lower(), f"a literal </script> in {path.name} would break an inline copy"
    assert any("breakoutmarker" in p.read_text(encoding="utf-8") for p in scripts)


def _check_page(page, url: str) -> tuple[list[str], dict]:
    """What is wrong on ``url`` once loaded, and what it shows: ``{"body": text, "h1": text or None}``."""
    log = page.digest_log
    counts = (len(log.dialogs), len(log.page_errors), len(log.console_errors))
    page.goto(url, wait_until="load")
    shown = page.evaluate(PAGE_CHECK)
    problems = [f"{url}: injected: {item}" for item in shown["found"]]
    problems += [f"{url}: dialog: {m}" for m in log.dialogs[counts[0] :]]
    problems += [f"{url}: page error: {m}" for m in log.page_errors[counts[1] :]]
    problems += [f"{url}: console error: {m}" for m in log.console_errors[counts[2] :]]
    return problems, shown


def _pages_to_open(shown: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every English page; in Russian, every hostile article's own page (its body) and every tag page (each
    shows another hostile tag name inside a translated sentence), and of every other kind of list (home,
    archives, countries, topics, country and topic, their page 2...) the one showing the most hostile articles:
    those lists come from the same templates as the English ones, and show the same cards in Russian."""
    chosen = {rel: slugs for rel, slugs in shown.items() if not rel.startswith("ru/")}
    hostile_articles = {f"ru/articles/{slug}/index.html" for slug in MARKERS}
    lists: dict[tuple, str] = {}
    for rel, slugs in sorted(shown.items()):
        if not rel.startswith("ru/"):
            continue
        parts = rel.split("/")
        if parts[1] == "tags" or rel in hostile_articles:
            chosen[rel] = slugs
            continue
        kind = (parts[1] if len(parts) > 2 else "", len(parts), "page" in parts)
        if kind not in lists or len(slugs) > len(shown[lists[kind]]):
            lists[kind] = rel
    return chosen | {rel: shown[rel] for rel in lists.values()}


def test_no_script_runs_on_any_page_showing_a_hostile_article(hostile_site, hostile_url, page):
    titles = article_titles()
    problems: list[str] = []
    pages = _pages_to_open(pages_showing_hostile_articles(hostile_site))
    for rel, slugs in sorted(pages.items()):
        url = f"{hostile_url}/{rel.removesuffix('index.html')}"
        found, shown = _check_page(page, url)
        problems += found
        for slug in slugs:
            title = titles[slug]
            if rel == f"articles/{slug}/index.html":
                assert shown["h1"] == title, f"{url}: the title is not shown as text"
            elif title[:60] not in shown["body"]:
                # Lists may shorten a very long title, but what they show must be the literal text.
                problems.append(f"{url}: the title of {slug} is not shown as text")
    assert not problems, "\n".join(problems)


def test_literal_markup_is_visible_in_titles(hostile_url, page):
    page.goto(f"{hostile_url}/articles/script-everywhere/")
    assert "<script>alert('title')</script> Hostile <b>title</b> with script" in page.inner_text("h1")
    assert "<script>alert('tag2')</script>" in page.inner_text("body")
    save_screenshot(page, "hostile-article")
    page.goto(f"{hostile_url}/articles/closing-script-in-title/")
    assert "</script><script>alert('breakout')</script>" in page.inner_text("h1")
    page.goto(f"{hostile_url}/articles/right-to-left-override/")
    assert "Ashgabat" in page.inner_text("h1") and "rtlmarker" in page.inner_text("body")


@pytest.mark.parametrize("slug", sorted(MARKERS))
def test_search_results_show_hostile_titles_as_text(slug, hostile_url, page):
    marker = MARKERS[slug]
    title = article_titles()[slug]
    url = f"{hostile_url}/search/?q={marker}"
    problems, _ = _check_page(page, url)
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=10_000)
    assert results.count() == 1, f"{marker}: expected exactly its own article"
    link = results.first.locator("a").first
    assert link.inner_text() == title
    href = urlsplit(link.get_attribute("href"))
    assert href.path.rstrip("/").endswith(f"articles/{slug}")
    assert parse_qs(href.query) == {"highlight": [marker]}  # the article marks the word searched for
    problems += [f"{url}: injected after results: {item}" for item in page.evaluate(INJECTION_PROBE)]
    problems += [f"{url}: dialog: {m}" for m in page.digest_log.dialogs]
    assert not problems, "\n".join(problems)
    if slug == "script-everywhere":
        assert "<script>alert('title')</script>" in page.inner_text("#search-results")
        save_screenshot(page, "hostile-search")


def test_searching_for_script_tags_runs_nothing(hostile_url, page):
    """The query itself is hostile: it is echoed into the page (status, input) as text only."""
    query = "<img src=x onerror=alert('q')> script"
    problems, _ = _check_page(page, f"{hostile_url}/search/?q={query}")
    page.wait_for_timeout(300)
    problems += [f"dialog: {m}" for m in page.digest_log.dialogs]
    assert page.input_value("#search-q") == query
    assert not problems, "\n".join(problems)


def test_every_tag_shows_as_text_and_every_tag_link_has_its_page(hostile_site, hostile_url, page):
    """A tag made only of HTML (``<img src=x onerror=...>``) has an empty slug (Pelican's slugify strips
    tags): it must still show, as text, and never link to ``tags//``."""
    from digest.schema import parse_article

    broken = []
    for path in HOSTILE_FILES:
        article, _ = parse_article(path)
        article = article.for_display()  # what readers see: no bidi controls
        html = (hostile_site / "articles" / article.slug / "index.html").read_text(encoding="utf-8")
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            match = re.search(r"(?:^|/)tags/([^/]*)/$", href)
            if match and (not match.group(1) or not (hostile_site / "tags" / match.group(1) / "index.html").is_file()):
                broken.append(f"articles/{article.slug}: {href}")
        if article.tags:
            page.goto(f"{hostile_url}/articles/{article.slug}/")
            text = page.inner_text("body")
            broken += [f"articles/{article.slug}: tag {t!r} not shown" for t in article.tags if t not in text]
    assert not broken, broken


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def test_bidi_overrides_cannot_reorder_visible_text(hostile_url, page):
    """The text must read as written: override/embedding/isolate controls are removed or shown as visible marks."""
    found = []
    for path in ("articles/right-to-left-override/", "tags/evil/", "countries/tm/", ""):
        page.goto(f"{hostile_url}/{path}")
        text = page.inner_text("body")
        found += [
            f"/{path}: U+{ord(m.group()):04X} near {text[max(0, m.start() - 15) : m.end() + 15]!r}"
            for m in BIDI_CONTROLS.finditer(text)
        ]
    assert not found, "\n".join(found)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_the_csv_export_cannot_smuggle_formulas(hostile_site):
    import csv

    with (hostile_site / "data" / "articles.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert any("HYPERLINK" in row["title"] for row in rows), "the formula fixture is not in the export"
    risky = [
        f"{row['slug']}: {key}={value!r}"
        for row in rows
        for key, value in row.items()
        if value.startswith(FORMULA_START)
    ]
    assert not risky, risky
