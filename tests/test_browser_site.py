"""The real site in Chromium at phone and desktop widths: axe-core finds no WCAG 2.1 A/AA violation,
the keyboard works (skip link, visible focus), nothing overflows, nothing loads from elsewhere.

Screenshots of every page checked are kept in test-artifacts/ (site-<page>-<width>.png).
"""

from __future__ import annotations

import functools
import json
import re

import pytest

from digest import REPO_ROOT

from .conftest import open_page, save_screenshot, wait_until_quiet

pytestmark = pytest.mark.browser

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Every page in English at the root and in Russian under ru/, with the same paths (issue 18).
LANGUAGES = {"en": "", "ru": "/ru"}
WIDTHS = {"phone": 375, "desktop": 1280}
# WCAG 2.1 A/AA, and landmark-unique (a best practice): two search forms, or a region and its section, with
# the same name (or none) cannot be told apart in a screen reader's list of landmarks.
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                          rules: {'landmark-unique': {enabled: true}}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


@pytest.fixture(scope="module")
def targets(built_site) -> dict[str, str]:
    """The pages to check, chosen from the build: the biggest country and topic, an article."""
    data = json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))
    articles = data["articles"]
    assert articles, "the real content/ has no articles"
    countries: dict[str, int] = {}
    topics: dict[str, int] = {}
    for a in articles:
        for code in a["countries"]:
            countries[code] = countries.get(code, 0) + 1
        topics[a["topic"]] = topics.get(a["topic"], 0) + 1
    country = max(countries, key=countries.get).lower()
    topic = max(topics, key=topics.get)
    # an article with a source box, related articles and (if any) an approximate date
    article = next((a for a in articles if a["date_precision"] == "approximate"), articles[0])
    tag_slug = next(
        link.split("/tags/")[1].rstrip("/")
        for link in _links(built_site / "tags" / "index.html")
        if "/tags/" in link and link.rstrip("/").split("/")[-1] != "tags"
    )
    return {
        "tags": "/tags/",
        "tag": f"/tags/{tag_slug}/",
        "archives": "/archives/",
        "year": f"/archives/{articles[0]['date'][:4]}/",
        "about": "/about/",
        "feeds": "/feeds/",
        "contributing": "/contributing/",
        "country_topic": f"/countries/{articles[0]['countries'][0].lower()}/{articles[0]['topic']}/",
        "notfound": "/404.html",
        "home": "/",
        "countries": "/countries/",
        "country": f"/countries/{country}/",
        "topic": f"/topics/{topic}/",
        "article": f"/{article['url']}",
        "search": "/search/",
    }


def _links(path) -> list[str]:
    return re.findall(r'href="([^"]+)"', path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=list(WIDTHS))
def sized_page(request, browser):
    page = open_page(browser, width=WIDTHS[request.param], height=800)
    page.width_name = request.param
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def desktop_page(browser):
    """One page for the pages checked only at desktop width: each check loads its own document."""
    page = open_page(browser)
    yield page
    page.context.close()


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;void 0"


def _axe(page) -> list[dict]:
    # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays in force.
    # Injected once per document: a second check of the same page (the other palette) reuses it.
    if page.evaluate("typeof axe === 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(AXE_RUN)


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("name", ["home", "countries", "country", "topic", "article", "search"])
def test_page_passes_axe_and_loads_nothing_from_elsewhere(sized_page, site_url, targets, name, language):
    log = sized_page.digest_log
    log.requests.clear()
    log.console_errors.clear()
    log.page_errors.clear()
    path = LANGUAGES[language] + targets[name]
    sized_page.goto(site_url + path)
    wait_until_quiet(sized_page)
    save_screenshot(sized_page, f"site-{language}-{name}-{WIDTHS[sized_page.width_name]}")
    # axe at every width in English; the other language's pages have the same CSS at each width and
    # differ only in text, which the desktop check of that language sees.
    if language == "en" or sized_page.width_name == "desktop":
        violations = _axe(sized_page)
        assert not violations, f"{path} at {sized_page.width_name} width:\n{_describe(violations)}"
    assert [u for u in log.requests if not u.startswith(site_url)] == []
    assert log.page_errors == [] and log.console_errors == []
    overflow = sized_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {sized_page.width_name} width"


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize(
    "name", ["tags", "tag", "archives", "year", "about", "feeds", "contributing", "country_topic", "notfound"]
)
def test_other_pages_pass_axe_at_desktop_width(desktop_page, site_url, targets, name, language):
    log = desktop_page.digest_log
    log.console_errors.clear()
    log.page_errors.clear()
    path = LANGUAGES[language] + targets[name]
    desktop_page.goto(site_url + path)
    violations = _axe(desktop_page)
    assert not violations, f"{path}:\n{_describe(violations)}"
    assert log.console_errors == [] and log.page_errors == []


def test_skip_link_is_first_visible_on_focus_and_jumps_to_main(sized_page, site_url, targets):
    sized_page.goto(site_url + targets["country"])
    skip = sized_page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0, "the skip link should be off screen until focused"
    sized_page.keyboard.press("Tab")
    assert sized_page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10, "the focused skip link must be on screen"
    sized_page.keyboard.press("Enter")
    assert sized_page.evaluate("document.activeElement.id") == "main"
    sized_page.keyboard.press("Tab")
    inside = sized_page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside, "after the skip link, Tab should move into the main content"


def test_focus_is_visible_on_links_and_fields(sized_page, site_url):
    sized_page.goto(site_url + "/")
    for _ in range(3):  # skip link, site name, first nav link
        sized_page.keyboard.press("Tab")
    style = sized_page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return {tag: document.activeElement.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; })()"
    )
    assert style["tag"] == "A" and style["style"] != "none" and style["width"] >= 2, style
    sized_page.focus("#home-q")
    sized_page.keyboard.press("Shift+Tab")
    sized_page.keyboard.press("Tab")
    width = sized_page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert width >= 2


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two computed colours (``rgb(r, g, b)``)."""

    def luminance(color: str) -> float:
        channels = [int(x) / 255 for x in re.findall(r"\d+", color)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


FOCUS_COLOURS = """() => {
  const ring = getComputedStyle(document.activeElement).outlineColor;
  let el = document.activeElement, behind = 'rgba(0, 0, 0, 0)';
  while (el && behind === 'rgba(0, 0, 0, 0)') { behind = getComputedStyle(el).backgroundColor; el = el.parentElement; }
  return {ring, behind, page: getComputedStyle(document.body).backgroundColor,
          inMain: document.getElementById('main').contains(document.activeElement)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_ring_has_3_to_1_contrast_with_what_is_behind_it(browser, site_url, scheme):
    """WCAG 1.4.11: the ring of a focused link in the header and in the page, against both backgrounds."""
    page = open_page(browser)
    try:
        page.emulate_media(color_scheme=scheme)
        page.goto(site_url + "/")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")  # the site's name, in the header
        seen = [page.evaluate(FOCUS_COLOURS)]
        page.focus("main a")
        seen.append(page.evaluate(FOCUS_COLOURS))
        assert not seen[0]["inMain"] and seen[1]["inMain"]
        for colours in seen:
            for background in (colours["behind"], colours["page"]):
                ratio = _contrast(colours["ring"], background)
                assert ratio >= 3, f"{scheme}: focus ring {colours['ring']} on {background} is {ratio:.2f}:1"
    finally:
        page.context.close()


def test_no_page_scrolls_sideways_at_320_px(browser, site_url, targets):
    """Every kind of page, light and dark, fits the narrowest phone: nothing scrolls sideways.

    Each page is loaded once and shown in both palettes: the dark one is CSS only (no script reads the
    colour scheme), and Chromium restyles the page when the emulated scheme changes."""
    page = open_page(browser, width=320, height=700)
    try:
        for name, path in targets.items():
            page.emulate_media(color_scheme="light")
            page.goto(site_url + path)
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320 px ({scheme})"
                if name in ("article", "feeds", "contributing", "topic"):
                    save_screenshot(page, f"site-{name}-320-{scheme}")
    finally:
        page.context.close()


def test_search_boxes_lead_to_the_search_page(page, site_url):
    page.goto(site_url + "/")
    page.fill("#home-q", "Kloop")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search/?q=Kloop")
    page.goto(site_url + "/countries/")
    page.fill("#header-q", "journalist")
    page.click(".header-search button")
    page.wait_for_url("**/search/?q=journalist")


def test_narrowest_phone_and_dark_mode_and_print(browser, site_url, targets):
    page = open_page(browser, width=320, height=700)
    try:
        page.emulate_media(color_scheme="dark")
        for language, name in [(language, name) for language in LANGUAGES for name in ("home", "country", "article")]:
            page.goto(site_url + LANGUAGES[language] + targets[name])
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{language} {name} scrolls sideways by {overflow}px at 320 px"
            save_screenshot(page, f"site-{language}-{name}-320-dark")
            violations = _axe(page)  # the dark palette must keep AA contrast too
            assert not violations, f"{language} {name} in dark mode:\n{_describe(violations)}"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(251, 250, 247)", "dark mode did not change the background"
        page.emulate_media(media="print", color_scheme="light")
        assert page.evaluate("getComputedStyle(document.querySelector('.site-nav')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('.provenance')).display") != "none"
    finally:
        page.context.close()
