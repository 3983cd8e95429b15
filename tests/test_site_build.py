"""Full builds of the site, checked from the outside: pages, counts, feeds, exports and links.

Each test runs on two builds: the real content/ (the session's ``built_site``) and the small
fixture site built with two articles per page, so pagination is exercised too. The expected
figures come from parsing the Markdown sources directly, not from the plugin's own code.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.linkcheck import crawl
from digest.schema import parse_article
from digest.vocab import vocabulary

from .conftest import FIXTURES, PUBLISHED_SITEURL

ATOM = "{http://www.w3.org/2005/Atom}"
HREF = re.compile(r'href="([^"]+)"')


class Site:
    """A built site and the articles its sources hold."""

    def __init__(self, root: Path, content: Path) -> None:
        self.root = root
        self.content = content
        self.articles = []
        for path in sorted((content / "articles").rglob("*.md")):
            article, problems = parse_article(path)
            assert article is not None, problems
            self.articles.append(article)

    def html(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def pages_of(self, first: str) -> list[str]:
        """A list page and its paginated continuations (``.../page/N/index.html``)."""
        pages = [first]
        base = first.removesuffix("index.html")
        n = 2
        while (self.root / f"{base}page/{n}/index.html").exists():
            pages.append(f"{base}page/{n}/index.html")
            n += 1
        return pages

    def article_links(self, first: str) -> set[str]:
        """Slugs of the articles linked from a list page and all its continuations."""
        found: set[str] = set()
        for rel in self.pages_of(first):
            found |= set(re.findall(r'href="[^"]*articles/([a-z0-9-]+)/"', self.html(rel)))
        return found


@pytest.fixture(scope="module", params=["content", "fixture"])
def site(request, tmp_path_factory) -> Site:
    if request.param == "content":
        return Site(request.getfixturevalue("built_site"), REPO_ROOT / "content")
    return Site(request.getfixturevalue("paginated_fixture_site"), FIXTURES / "site")


def expected_by_country(site: Site) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for a in site.articles:
        for code in a.countries:
            groups[code].add(a.slug)
    return groups


def expected_by_topic(site: Site) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for a in site.articles:
        groups[a.topic].add(a.slug)
    return groups


def test_the_site_has_articles(site):
    assert site.articles, "no articles in the content tree"
    for a in site.articles:
        assert (site.root / "articles" / a.slug / "index.html").exists(), a.slug


def test_every_country_page_has_its_count_and_articles(site):
    vocab = vocabulary()
    groups = expected_by_country(site)
    index = site.html("countries/index.html")
    for code, slugs in groups.items():
        rel = f"countries/{code.lower()}/index.html"
        assert (site.root / rel).exists(), f"no page for {code}"
        html = site.html(rel)
        name = vocab.country_name(code)
        n = len(slugs)
        assert f"{n} article{'s' if n != 1 else ''} about {name}" in html, f"{code}: wrong count"
        assert site.article_links(rel) == slugs, f"{code}: articles listed differ from the sources"
        assert f'href="../../countries/{code.lower()}/"' in index or f'countries/{code.lower()}/"' in index
    listed = set(re.findall(r'href="[^"]*countries/([a-z]{2})/"', index))
    assert listed == {c.lower() for c in groups}, "the countries index lists other countries than those with articles"


def test_every_topic_page_has_its_count_description_and_articles(site):
    vocab = vocabulary()
    for slug, slugs in expected_by_topic(site).items():
        rel = f"topics/{slug}/index.html"
        html = site.html(rel)
        n = len(slugs)
        assert f"{n} article{'s' if n != 1 else ''}, newest first" in html
        assert vocab.topics[slug].description.replace("'", "&#39;") in html
        assert site.article_links(rel) == slugs, f"{slug}: articles listed differ from the sources"


def test_country_topic_lists_and_matrix_links(site):
    cells: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in site.articles:
        for code in a.countries:
            cells[(code.lower(), a.topic)].add(a.slug)
    home = site.html("index.html")
    for (code, topic), slugs in cells.items():
        rel = f"countries/{code}/{topic}/index.html"
        assert site.article_links(rel) == slugs, rel
        assert re.search(rf'href="[^"]*countries/{code}/{topic}/"[^>]*>{len(slugs)}</a>', home), (
            f"matrix cell {code}/{topic} should link with count {len(slugs)}"
        )


def test_list_pages_are_newest_first(site):
    dates = {a.slug: a.date for a in site.articles}
    code = max(expected_by_country(site).items(), key=lambda kv: len(kv[1]))[0].lower()
    order = []
    for rel in site.pages_of(f"countries/{code}/index.html"):
        main = site.html(rel).split('<main id="main"', 1)[1].split('<aside class="term-side"', 1)[0]
        order += re.findall(r'class="card-title"><a href="[^"]*articles/([a-z0-9-]+)/"', main)
    assert order and [dates[s] for s in order] == sorted((dates[s] for s in order), reverse=True)


def test_pagination_splits_long_lists(site):
    per_page = 2 if "paginated" in str(site.root) else 20
    biggest = max(expected_by_country(site).items(), key=lambda kv: len(kv[1]))
    pages = site.pages_of(f"countries/{biggest[0].lower()}/index.html")
    assert len(pages) == -(-len(biggest[1]) // per_page)


def test_article_page_shows_dates_provenance_and_language(site):
    for a in site.articles:
        html = site.html(f"articles/{a.slug}/index.html")
        if a.date_precision == "approximate":
            assert f"on or before {a.date.day} {a.date:%B %Y}</time>" in html, a.slug
        else:
            assert "on or before" not in html.split('class="article-facts"')[1].split("</dl>")[0]
        if a.lang != "en":
            assert f'<article class="article" lang="{a.lang}">' in html
        if a.truncated:
            assert "Excerpt." in html
        if a.source and a.source.publication:
            provenance = html.split('class="provenance"', 1)[1].split("</aside>", 1)[0]
            assert a.source.publication.replace("&", "&amp;") in provenance
            if a.source.issue:
                assert f"<dd>{a.source.issue}</dd>" in provenance
            if a.source.url:
                assert f'href="{a.source.url.replace("&", "&amp;")}"' in provenance
        for code in a.countries:
            assert f'countries/{code.lower()}/"' in html
        assert f'topics/{a.topic}/"' in html


def _entries(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title") is not None and root.find(f"{ATOM}id") is not None
    links = []
    for entry in root.findall(f"{ATOM}entry"):
        for child in ("title", "id", "updated"):
            assert entry.find(f"{ATOM}{child}") is not None, f"{path.name}: entry without {child}"
        links.append(entry.find(f"{ATOM}link").get("href"))
    return links


def _slugs_of(links: list[str]) -> set[str]:
    return {re.search(r"articles/([a-z0-9-]+)/", link).group(1) for link in links}


FEED_MAX_ITEMS = 50  # pelicanconf.py


def _assert_feed_holds(path: Path, slugs: set[str], dates: dict) -> None:
    """The feed holds the newest FEED_MAX_ITEMS of ``slugs`` (all of them when there are fewer)."""
    got = _slugs_of(_entries(path))
    assert got <= slugs, f"{path.name}: entries that do not belong: {got - slugs}"
    assert len(got) == min(len(slugs), FEED_MAX_ITEMS), path.name
    if len(slugs) > FEED_MAX_ITEMS:
        assert min(dates[s] for s in got) >= max(dates[s] for s in slugs - got), f"{path.name}: not the newest"


def test_feeds_are_atom_with_the_right_entries(site):
    dates = {a.slug: a.date for a in site.articles}
    _assert_feed_holds(site.root / "feeds/all.atom.xml", set(dates), dates)
    for code, slugs in expected_by_country(site).items():
        _assert_feed_holds(site.root / f"feeds/countries/{code.lower()}.atom.xml", slugs, dates)
    for topic, slugs in expected_by_topic(site).items():
        _assert_feed_holds(site.root / f"feeds/topics/{topic}.atom.xml", slugs, dates)
    home = site.html("index.html")
    assert 'rel="alternate" type="application/atom+xml"' in home
    country = site.html(f"countries/{site.articles[0].countries[0].lower()}/index.html")
    assert country.count('type="application/atom+xml"') == 2  # site-wide and this country's


def test_feeds_page_lists_every_feed(site):
    if not (site.root / "feeds/index.html").exists():
        assert site.content != REPO_ROOT / "content", "the repository's content/pages/feeds.md was not built"
        pytest.skip("the fixture tree has no feeds page")
    html = site.html("feeds/index.html")
    feeds = {p.relative_to(site.root).as_posix() for p in (site.root / "feeds").rglob("*.atom.xml")}
    linked = {m.split("/", 1)[1] if m.startswith("..") else m for m in HREF.findall(html)}
    for feed in feeds:
        assert any(link.endswith(feed) for link in linked), f"{feed} is not on the feeds page"
    assert "data/articles.json" in html and "data/articles.csv" in html


def script_data(path: Path) -> object:
    """The data of a classic script written by ``digest.search.index.script``: ``X=JSON.parse('...');``."""
    literal = re.fullmatch(r".*?=JSON\.parse\('(.*)'\);\n", path.read_text(encoding="utf-8"), re.S).group(1)
    escapes = {"\\\\": "\\", "\\'": "'", "\\x3c": "<", "\\u2028": "\u2028", "\\u2029": "\u2029"}
    return json.loads(re.sub(r"\\(\\|'|x3c|u2028|u2029)", lambda m: escapes[m.group(0)], literal))


def test_the_exports_list_articles_in_the_search_index_ref_order(site):
    """The search page's download finds each result's row in data/articles.js by its ref (it has not
    loaded the rows of results past the first page), so every export is in ref order."""
    docs = site.root / "search" / "docs"
    urls = []
    for ref in range(len(list(docs.glob("*.js")))):
        rows = script_data(docs / f"{ref}.js")["docs"]
        assert len(rows) == 1
        urls.append(rows[0][1])
    assert len(urls) == len(site.articles)
    records = script_data(site.root / "data" / "articles.js")["articles"]
    assert [r["url"] for r in records] == urls
    assert json.loads(site.html("data/articles.json"))["articles"] == records
    csv_slugs = [row["slug"] for row in csv.DictReader(io.StringIO(site.html("data/articles.csv"), newline=""))]
    assert csv_slugs == [r["slug"] for r in records]


def test_exports_hold_every_article_with_a_working_url(site):
    data = json.loads(site.html("data/articles.json"))
    assert data["count"] == len(site.articles)
    by_slug = {a["slug"]: a for a in data["articles"]}
    assert set(by_slug) == {a.slug for a in site.articles}
    for a in site.articles:
        row = by_slug[a.slug]
        assert row["countries"] == list(a.countries) and row["topic"] == a.topic and row["date"] == a.date.isoformat()
        assert (site.root / row["url"] / "index.html").exists()
    csv_lines = site.html("data/articles.csv").splitlines()
    assert csv_lines[0].startswith("slug,title,date,") and len(csv_lines) >= len(site.articles) + 1


def test_sitemap_and_robots(site):
    root = ET.parse(site.root / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs))
    for loc in locs:
        rel = loc.lstrip("/")
        target = site.root / rel / "index.html" if rel.endswith("/") or not rel else site.root / rel
        assert target.exists(), loc
    assert "/articles/" + site.articles[0].slug + "/" in locs
    assert "/404.html" not in locs
    assert (site.root / "robots.txt").read_text().startswith("User-agent: *")


def test_every_page_has_the_csp_and_no_inline_script(site):
    pages = list(site.root.rglob("*.html"))
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert '<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src' in html, (
            path
        )
        for attrs in re.findall(r"<script([^>]*)>", html):
            assert "src=" in attrs, f"{path}: inline script"
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html), f"{path}: inline event handler"


def test_every_internal_link_resolves(site):
    report = crawl(site.root, mode="http")
    assert not report.broken, "\n".join(map(str, report.broken[:20]))
    assert f"articles/{site.articles[0].slug}/index.html" in report.pages
    assert report.assets, "no stylesheet or script found"
    assert all(not u.startswith(("http://127", "http://localhost")) for u in report.external)


def test_publish_build_uses_absolute_urls_everywhere(published_fixture_site):
    """publishconf.py: every link, feed, sitemap entry and export URL starts with SITEURL."""
    siteurl = PUBLISHED_SITEURL
    out = published_fixture_site
    html = (out / "countries/kz/index.html").read_text(encoding="utf-8")
    internal = [u for u in HREF.findall(html) if not u.startswith(("https://github.com", "#"))]
    assert internal and all(u.startswith(siteurl + "/") for u in internal), internal
    assert f'href="{siteurl}/feeds/countries/kz.atom.xml"' in html
    locs = [
        e.text for e in ET.parse(out / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locs and all(loc.startswith(siteurl + "/") for loc in locs)
    assert f"Sitemap: {siteurl}/sitemap.xml" in (out / "robots.txt").read_text()
    feed = ET.parse(out / "feeds/all.atom.xml").getroot()
    assert all(
        e.find(f"{ATOM}link").get("href").startswith(siteurl + "/articles/") for e in feed.findall(f"{ATOM}entry")
    )
    data = json.loads((out / "data/articles.json").read_text(encoding="utf-8"))
    assert all(a["url"].startswith(siteurl + "/articles/") for a in data["articles"])
    article = data["articles"][0]["url"]
    citation = (out / article.removeprefix(siteurl + "/") / "index.html").read_text(encoding="utf-8")
    assert f"Central Asia Press Freedom Digest, {article}." in citation


def test_older_and_newer_links_walk_every_article_once_in_date_order(site):
    dates = {a.slug: a.date for a in site.articles}

    def neighbour(slug: str, rel: str) -> str | None:
        m = re.search(rf'<a rel="{rel}" href="[^"]*articles/([a-z0-9-]+)/"', site.html(f"articles/{slug}/index.html"))
        return m.group(1) if m else None

    newest = [s for s in dates if neighbour(s, "next") is None]
    assert len(newest) == 1, f"exactly one article should have no newer link: {newest}"
    seen = []
    current = newest[0]
    while current:
        seen.append(current)
        older = neighbour(current, "prev")
        if older:
            assert dates[older] <= dates[current]
            assert neighbour(older, "next") == current, "newer link does not point back"
        current = older
    assert sorted(seen) == sorted(dates), "the older-links chain skips or repeats articles"


def test_related_articles_share_something(site):
    by_slug = {a.slug: a for a in site.articles}
    checked = 0
    for a in site.articles:
        html = site.html(f"articles/{a.slug}/index.html")
        if 'id="related-title"' not in html:
            continue
        section = html.split('id="related-title"', 1)[1]
        for slug in re.findall(r'class="card-title"><a href="[^"]*articles/([a-z0-9-]+)/"', section):
            b = by_slug[slug]
            tags_a, tags_b = {t.casefold() for t in a.tags}, {t.casefold() for t in b.tags}
            shared = set(a.countries) & set(b.countries) or a.topic == b.topic or tags_a & tags_b
            assert slug != a.slug and shared, f"{a.slug} -> {slug} share nothing"
            checked += 1
    assert checked, "no article shows related articles"


def test_home_page_states_its_sources_and_links_the_latest_articles(site):
    home = site.html("index.html")
    for publication in {a.source.publication for a in site.articles if a.source and a.source.publication}:
        assert f"<cite>{publication.replace('&', '&amp;')}</cite>" in home, publication
    newest = max(site.articles, key=lambda a: a.date)
    assert f'articles/{newest.slug}/"' in home
    assert 'role="search"' in home and 'name="q"' in home


def test_contributing_guide_is_a_page_linked_from_about(site):
    guide = site.html("contributing/index.html")
    assert '<h2 id="front-matter-reference">' in guide  # the guide's own in-page links resolve (crawl checks)
    assert "<h1>Contributing" in guide
    if not (site.root / "about/index.html").exists():
        assert site.content != REPO_ROOT / "content", "the repository's content/pages/about.md was not built"
        pytest.skip("the fixture tree has no page at about/")
    about = site.html("about/index.html")
    for target in ("contributing/", "data/articles.json", "data/articles.csv", "feeds/"):
        assert re.search(rf'href="[^"]*{re.escape(target)}"', about), target


def test_no_page_repeats_an_id(site):
    """Duplicate ids break skip links, aria-labelledby and in-page anchors."""
    for path in site.root.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), f"{path.relative_to(site.root)}: {sorted(i for i in ids if ids.count(i) > 1)}"
