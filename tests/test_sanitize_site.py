"""Hostile contributions, built into a real site: nothing executes and the text shows as text.

The hostile fixtures (tests/fixtures/hostile and tests/fixtures/hostile-contrib) put scripts,
handlers, ``javascript:``/``data:`` URLs, SVG, MathML and quote breakers into the title, body,
summary, tags and source of valid articles. One build serves two kinds of test:

- the built HTML of every page is parsed and searched for anything that could run;
- the article pages and the listings are opened in Chromium, with every element hovered and
  focused, and must raise no dialog and no page error (tests marked ``browser``).

Every page must also carry a Content-Security-Policy that allows scripts only from the site.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from digest.schema import BIDI_CONTROLS_RE

from .conftest import FIXTURES, build_fixture_site, save_screenshot, serve_directory

HOSTILE_DIRS = (FIXTURES / "hostile" / "articles", FIXTURES / "hostile-contrib" / "articles")
HOSTILE_FILES = sorted(p for d in HOSTILE_DIRS for p in d.glob("*.md"))
MARKERS = {
    "script-everywhere": "hostilemarker",
    "closing-script-in-title": "breakoutmarker",
    "quotes-break-attributes": "quotemarker",
    "svg-with-script": "svgmarker",
    "very-long-title": "longtitlemarker",
    "right-to-left-override": "rtlmarker",
    "markdown-tricks": "markdownmarker",
    "source-url-quotes": "sourcemarker",
}
DANGEROUS_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "base", "img"}
BAD_URL_RE = re.compile(r"^(javascript|data|vbscript):", re.I)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def shown_title(path: Path) -> str:
    """The title as readers see it: invisible bidi controls are left out (Article.for_display)."""
    return BIDI_CONTROLS_RE.sub("", front_matter(path)["title"])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("hostile") / "content"
    (content / "articles").mkdir(parents=True)
    for path in HOSTILE_FILES:
        shutil.copy(path, content / "articles" / path.name)
    return build_fixture_site(content, content.parent / "output")


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    server, url = serve_directory(hostile_site)
    yield url
    server.shutdown()


class _Elements(HTMLParser):
    """Every element with its attributes, the text inside <h1>, and scripts' text, of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.in_article: list[str] = []  # the tags of elements inside an <article>
        self.h1: list[str] = []
        self.inline_scripts: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handle_startendtag(tag, attrs)
        if tag not in VOID:
            self._stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if "article" in self._stack:
            self.in_article.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if "h1" in self._stack:
            self.h1.append(data)
        if self._stack and self._stack[-1] == "script" and data.strip():
            self.inline_scripts.append(data)


def parse_page(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


# --- the built HTML ----------------------------------------------------------------------------


def test_every_hostile_fixture_is_built(hostile_site):
    for path in HOSTILE_FILES:
        assert (hostile_site / "articles" / path.stem / "index.html").is_file(), path.name
    assert set(MARKERS) == {p.stem for p in HOSTILE_FILES}


def test_no_page_carries_anything_that_could_run(hostile_site):
    """On every built page: no handler, no script URL, no dangerous element, no inline script."""
    found: list[str] = []
    for page in html_pages(hostile_site):
        parsed = parse_page(page)
        where = page.relative_to(hostile_site)
        for tag, attrs in parsed.elements:
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"{where}: <{tag} {name}>")
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                if name in URL_ATTRIBUTES and BAD_URL_RE.match(cleaned):
                    found.append(f"{where}: <{tag} {name}={value!r}>")
            if tag in {"iframe", "frame", "object", "embed", "base"}:  # never on any page
                found.append(f"{where}: <{tag}>")
            if tag == "script" and "src" not in attrs and attrs.get("type") not in ("application/json",):
                found.append(f"{where}: inline <script>")
            if tag == "script" and "://" in attrs.get("src", ""):
                found.append(f"{where}: script from another site: {attrs['src']}")
            if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
                found.append(f"{where}: <meta refresh>")
        found += [f"{where}: <{tag}> inside an article" for tag in parsed.in_article if tag in DANGEROUS_TAGS]
        for script in parsed.inline_scripts:
            if "alert(" in script:
                found.append(f"{where}: contributed text inside a <script>")
    assert found == []


def test_article_bodies_have_no_style_class_or_id_from_contributors(hostile_site):
    page = parse_page(hostile_site / "articles" / "markdown-tricks" / "index.html")
    ids = {attrs["id"] for _, attrs in page.elements if "id" in attrs}
    assert "search" not in ids, "a contributor's id reached the page (DOM clobbering)"
    styled = [(t, a) for t, a in page.elements if "style" in a]
    assert styled == []


def test_hostile_titles_are_shown_as_text_in_the_h1(hostile_site):
    for path in HOSTILE_FILES:
        title = shown_title(path)
        h1 = "".join(parse_page(hostile_site / "articles" / path.stem / "index.html").h1).strip()
        assert h1 == title, path.name


def test_hostile_source_fields_are_shown_as_text(hostile_site):
    text = (hostile_site / "articles" / "source-url-quotes" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert('publication')" not in text
    assert "&lt;script&gt;alert(&#39;publication&#39;)&lt;/script&gt; Bulletin" in text
    links = [
        a for t, a in parse_page(hostile_site / "articles" / "source-url-quotes" / "index.html").elements if t == "a"
    ]
    # A quote or angle bracket is refused in source.url (schema.is_web_address); an apostrophe is legal in a URL.
    assert "https://example.org/x'onmouseover='alert(1)'" in [a.get("href") for a in links]
    assert 'href="https://example.org/x&#39;onmouseover=&#39;alert(1)&#39;"' in text


# --- Content-Security-Policy -------------------------------------------------------------------


def csp_of(page: Path) -> dict[str, list[str]] | None:
    for tag, attrs in parse_page(page).elements:
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
            directives = [d.split() for d in attrs.get("content", "").split(";") if d.strip()]
            return {d[0].lower(): d[1:] for d in directives}
        if tag in ("script", "link", "style", "body"):
            return None  # the policy must come before anything it governs
    return None


def test_every_page_has_a_csp_that_allows_scripts_only_from_the_site(hostile_site):
    pages = html_pages(hostile_site)
    assert len(pages) > 10
    problems = []
    for page in pages:
        csp = csp_of(page)
        where = page.relative_to(hostile_site)
        if csp is None:
            problems.append(f"{where}: no Content-Security-Policy <meta> before the first script, style or body")
            continue
        scripts = csp.get("script-src", csp.get("default-src"))
        if scripts != ["'self'"]:
            problems.append(f"{where}: scripts allowed from {scripts}")
        if csp.get("object-src", csp.get("default-src")) not in (["'none'"], ["'self'"]):
            problems.append(f"{where}: object-src is {csp.get('object-src')}")
        if "base-uri" not in csp:
            problems.append(f"{where}: no base-uri directive, so an injected <base> could redirect scripts")
    assert problems == []


# --- in Chromium -------------------------------------------------------------------------------

PROVOKE = """() => {
  const elements = [...document.querySelectorAll('body *')];
  for (const el of elements) {
    for (const type of ['mouseover', 'mouseenter', 'click']) {
      // clicks only inside the article, and never on links or in forms: do not navigate away
      if (type === 'click' && (!el.closest('main article') || el.closest('a[href], form, button'))) continue;
      el.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true}));
    }
    el.dispatchEvent(new FocusEvent('focus'));
  }
  return elements.length;
}"""

DANGER = """() => ({
  handlers: [...document.querySelectorAll('*')].flatMap(
      el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name)),
  scriptUrls: [...document.querySelectorAll('[href],[src],[action],[formaction]')].map(
      el => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action') || el.getAttribute('formaction'))
      .filter(u => /^\\s*(javascript|data|vbscript):/i.test((u || '').replace(/[\\x00-\\x20]/g, ''))),
  elements: [...document.querySelectorAll('main article :is(iframe, svg, math, object, embed, img, form, style, script, input, select, video)')].map(el => el.tagName),
  inlineScripts: [...document.scripts].filter(s => !s.src && s.type !== 'application/json').length,
})"""


@pytest.mark.browser
@pytest.mark.parametrize("path", HOSTILE_FILES, ids=[p.stem for p in HOSTILE_FILES])
def test_hostile_article_is_inert_and_readable_in_chromium(page, hostile_url, path):
    page.goto(f"{hostile_url}/articles/{path.stem}/", wait_until="load")
    touched = page.evaluate(PROVOKE)
    assert touched > 10
    page.wait_for_timeout(150)  # autofocus, ontoggle and onerror fire asynchronously
    log = page.digest_log
    assert log.dialogs == [], f"a dialog opened: {log.dialogs}"
    assert log.page_errors == []
    danger = page.evaluate(DANGER)
    assert danger == {"handlers": [], "scriptUrls": [], "elements": [], "inlineScripts": 0}
    assert page.locator("h1").first.text_content().strip() == shown_title(path)
    assert MARKERS[path.stem] in page.locator("main").text_content()
    assert not [u for u in log.requests if not u.startswith(hostile_url)], "a request left the site"
    if path.stem == "markdown-tricks":
        save_screenshot(page, "hostile-markdown-tricks")


@pytest.mark.browser
def test_listings_with_hostile_titles_tags_and_summaries_are_inert(page, hostile_url, hostile_site):
    listings = ["", "tags/", "archives/", "search/"]
    listings += sorted(str(p.parent.relative_to(hostile_site)) + "/" for p in hostile_site.glob("tags/*/index.html"))
    listings += sorted(
        str(p.parent.relative_to(hostile_site)) + "/" for p in hostile_site.glob("countries/*/index.html")
    )
    listings += sorted(str(p.parent.relative_to(hostile_site)) + "/" for p in hostile_site.glob("topics/*/index.html"))
    assert len(listings) > 15
    for url in listings:
        page.goto(f"{hostile_url}/{url}", wait_until="load")
        page.evaluate(PROVOKE)
        danger = page.evaluate(DANGER)
        assert danger["handlers"] == [] and danger["scriptUrls"] == [], (url, danger)
    page.wait_for_timeout(150)
    assert page.digest_log.dialogs == []
    assert page.digest_log.page_errors == []
    page.goto(f"{hostile_url}/", wait_until="load")
    text = page.locator("main").text_content()
    assert "<script>alert('title')</script> Hostile <b>title</b> with script" in text


@pytest.mark.browser
def test_the_csp_blocks_a_script_injected_into_the_page(page, hostile_url):
    """Even if markup got through, Chromium would refuse to run inline script on our pages."""
    page.goto(f"{hostile_url}/articles/script-everywhere/", wait_until="load")
    ran = page.evaluate(
        """() => {
          const s = document.createElement('script');
          s.textContent = 'window.__injected = true;';
          document.body.append(s);
          const div = document.createElement('div');
          div.innerHTML = '<img src="x" onerror="window.__handler = true">';
          document.body.append(div);
          return new Promise(resolve => setTimeout(
              () => resolve({script: window.__injected === true, handler: window.__handler === true}), 200));
        }"""
    )
    assert ran == {"script": False, "handler": False}
    assert any("Content Security Policy" in e for e in page.digest_log.console_errors)


@pytest.mark.browser
def test_search_results_show_hostile_titles_as_text(page, hostile_url):
    """The search page renders titles and summaries from the index: they must stay text too."""
    for marker in ("hostilemarker", "breakoutmarker", "quotemarker", "sourcemarker"):
        page.goto(f"{hostile_url}/search/?q={marker}", wait_until="load")
        page.locator("#search-results li").first.wait_for(timeout=15000)
        page.evaluate(PROVOKE)
        assert page.evaluate(DANGER)["handlers"] == []
    page.goto(f"{hostile_url}/search/?q=hostilemarker", wait_until="load")
    page.locator("#search-results li").first.wait_for(timeout=15000)
    assert (
        "<script>alert('title')</script> Hostile <b>title</b> with script"
        in page.locator("#search-results").text_content()
    )
    page.goto(f"{hostile_url}/search/?q=%3Cimg%20src%3Dx%20onerror%3Dalert('query')%3E", wait_until="load")
    page.wait_for_timeout(500)
    assert page.digest_log.dialogs == []
    assert page.digest_log.page_errors == []
