"""Headless Chromium can open the built site over http: the browser test harness works."""

from __future__ import annotations

import pytest

from .conftest import serve_directory

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fixture_url(built_fixture_site):
    server, url = serve_directory(built_fixture_site)
    yield url
    server.shutdown()


def test_article_page_opens_in_chromium(page, fixture_url):
    page.goto(f"{fixture_url}/articles/pegasus-spyware/")
    assert "Pegasus spyware targets Azerbaijani and Kazakh opposition" in page.title()
    assert page.digest_log.page_errors == []
