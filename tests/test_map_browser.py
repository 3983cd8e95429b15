"""The map of the region in Chromium, as a reader uses it: by keyboard (Tab reaches a country, Enter
opens its page) and by mouse, over http and from file:// in the offline bundle, at 390 and 1280 px,
light and dark, with no axe violation. Screenshots go to test-artifacts/ (map-*.png)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from .conftest import open_page, save_screenshot
from .test_browser_site import _axe, _describe

pytestmark = pytest.mark.browser

FOCUSED = "document.activeElement.closest('.region-map-svg') ? document.activeElement.getAttribute('aria-label') : null"
MAX_TABS = 60


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory, fixture_bundle) -> Path:
    """The offline bundle of the fixture site (conftest's, built once per session), unzipped as a reader
    would: relative links that name index.html."""
    root = tmp_path_factory.mktemp("offline-map")
    with zipfile.ZipFile(fixture_bundle) as archive:
        archive.extractall(root)
    assert (root / "index.html").is_file()
    return root


def _tab_to_the_map(page) -> str:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        label = page.evaluate(FOCUSED)
        if label:
            return label
    pytest.fail(f"{MAX_TABS} presses of Tab never reached a country on the map")


def test_tab_reaches_a_country_and_enter_opens_its_page(page, site_url):
    page.goto(site_url + "/")
    first = page.locator(".region-map-svg a").first
    style = "(p) => [getComputedStyle(p).fill, parseFloat(getComputedStyle(p).strokeWidth)]"
    unfocused = first.locator("path").evaluate(style)
    label = _tab_to_the_map(page)
    assert label == first.get_attribute("aria-label")
    fill, stroke = first.locator("path").evaluate(style)
    assert fill != unfocused[0] and stroke >= 3, "the focused country must stand out"
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/*/")
    assert page.locator("h1").inner_text() == label.split(",")[0]
    assert page.locator(".locator-svg").is_visible()


def test_a_click_on_a_country_opens_its_page(page, site_url):
    page.goto(site_url + "/countries/")
    link = page.locator('.region-map-svg a[aria-label^="Kazakhstan,"]')
    assert link.get_attribute("aria-label").endswith(" articles")
    link.locator("path").click()
    page.wait_for_url("**/countries/kz/")
    assert page.locator("h1").inner_text() == "Kazakhstan"


def test_from_file_the_keyboard_opens_the_country_page_file(browser, offline_site):
    page = open_page(browser, width=390, height=800)
    try:
        page.goto((offline_site / "index.html").as_uri())
        label = _tab_to_the_map(page)
        page.keyboard.press("Enter")
        page.wait_for_url("**/countries/*/index.html")
        assert page.locator("h1").inner_text() == label.split(",")[0]
        assert page.digest_log.failed == [] and page.digest_log.page_errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_map_fits_the_page_light_and_dark_and_passes_axe_in_the_dark(browser, site_url, width):
    page = open_page(browser, width=width, height=900)
    fills = {}
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(site_url + "/")
            svg = page.locator(".region-map-svg")
            box = svg.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
            labels = page.evaluate("getComputedStyle(document.querySelector('.region-map-svg .labels')).display")
            assert (labels == "none") == (width < 700), "names are written on the map only where they can be read"
            assert page.locator(".map-legend li").first.is_visible()
            fills[scheme] = page.evaluate("getComputedStyle(document.querySelector('.region-map-svg a path')).fill")
            save_screenshot(page, f"map-home-{width}-{scheme}")
            if scheme == "dark" and width > 1000:  # test_browser_site checks the light pages and 320 px dark
                violations = _axe(page)
                assert not violations, f"home page at {width} px, {scheme}:\n{_describe(violations)}"
        assert fills["light"] != fills["dark"], "dark mode did not change the map's colours"
    finally:
        page.context.close()
