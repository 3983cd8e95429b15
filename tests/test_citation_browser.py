"""The citation on an article page, in Chromium: the text a reader copies, over http and from file://.

The copy button uses the Clipboard API where the browser offers it; where it does not, it selects the
citation and copies it with execCommand. Both are clicked here and the clipboard is read back.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from digest.feeds import LOCAL_SITEURL

from .conftest import open_page, save_screenshot

pytestmark = pytest.mark.browser

# Hides the Clipboard API from the page (as an old browser or a refused permission would) and keeps it for
# the test, which reads the clipboard back through it.
NO_CLIPBOARD_API = """
window.__testClipboard = navigator.clipboard;
Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined, configurable: true});
"""


@pytest.fixture(scope="module")
def article(built_site) -> dict:
    """An article with a publication and an on-or-before date: the longest form of the citation."""
    articles = json.loads((built_site / "data/articles.json").read_text(encoding="utf-8"))["articles"]
    return next(a for a in articles if a["source_publication"] and a["date_precision"] == "approximate")


def expected_citation(article: dict, accessed: str) -> str:
    day = dt.date.fromisoformat(article["date"])
    date = f"on or before {day.day} {day:%B %Y}"
    url = f"{LOCAL_SITEURL}/{article['url']}"
    return (
        f"“{article['title']}”. {article['source_publication']}, {date}. "
        f"In: Central Asia Press Freedom Digest, {url}. Accessed {accessed}."
    )


def _click_copy(page) -> tuple[str, str]:
    button = page.get_by_role("button", name="Copy the citation")
    assert button.is_visible()
    button.click()
    status = page.locator("#citation [role=status]")
    # A function, not an expression: Playwright polls an expression with eval, which the site's CSP refuses.
    page.wait_for_function("() => document.querySelector('#citation [role=status]').textContent !== ''")
    return status.text_content(), page.locator("#citation").get_attribute("data-copied")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_copy_puts_the_citation_on_the_clipboard(browser, site_url, article, scheme):
    page = open_page(browser, width=390, height=900)
    try:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{site_url}/{article['url']}")
        today = page.evaluate(
            "(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; })()"
        )
        accessed = dt.date(*today).isoformat()
        shown = " ".join(page.locator("#citation [data-citation-text]").inner_text().split())
        assert shown == expected_citation(article, accessed)
        status, copied = _click_copy(page)
        assert status == copied
        assert page.evaluate("navigator.clipboard.readText()") == expected_citation(article, accessed)
        page.locator("#citation").scroll_into_view_if_needed()
        save_screenshot(page, f"citation-390-{scheme}")
        assert page.digest_log.console_errors == [] and page.digest_log.page_errors == []
    finally:
        page.context.close()


def test_without_the_clipboard_api_the_citation_is_selected_and_copied_from_file(browser, built_site, article):
    page = open_page(browser)
    try:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.add_init_script(NO_CLIPBOARD_API)
        page.goto((built_site / article["url"] / "index.html").as_uri())
        assert page.evaluate("navigator.clipboard") is None
        status, copied = _click_copy(page)
        text = page.evaluate("window.__testClipboard.readText()")
        accessed = text.rsplit("Accessed ", 1)[1].rstrip(".")
        assert text.split() == expected_citation(article, accessed).split()
        assert status == copied
        assert " ".join(page.evaluate("getSelection().toString()").split()) == " ".join(text.split())
        assert page.digest_log.page_errors == [] and page.digest_log.requests[0].startswith("file://")
        assert all(u.startswith("file://") for u in page.digest_log.requests)
    finally:
        page.context.close()


def test_without_javascript_the_citation_stays_and_the_button_does_not_show(browser, site_url, article):
    page = open_page(browser, java_script_enabled=False)
    try:
        page.goto(f"{site_url}/{article['url']}")
        text = " ".join(page.locator("#citation [data-citation-text]").inner_text().split())
        assert text == expected_citation(article, "").removesuffix(" Accessed .")
        assert not page.locator("#citation button").is_visible()
    finally:
        page.context.close()
