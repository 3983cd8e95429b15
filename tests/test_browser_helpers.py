"""The suite's own browser helpers: ``wait_until_quiet`` must not return while the page still asks for things."""

from __future__ import annotations

import pytest

from .conftest import serve_directory, wait_until_quiet

pytestmark = pytest.mark.browser

# A request made from an idle callback after load, and a second one 60 ms after the first has answered.
LATE = """<!doctype html><title>late</title><script src="late.js"></script>"""
LATE_JS = """addEventListener('load', () => requestIdleCallback(() =>
  fetch('first.txt').then(() => setTimeout(() => fetch('second.txt'), 60))));"""


def test_waiting_until_quiet_sees_requests_made_after_load(tmp_path, page):
    (tmp_path / "index.html").write_text(LATE, encoding="utf-8")
    (tmp_path / "late.js").write_text(LATE_JS, encoding="utf-8")
    (tmp_path / "first.txt").write_text("1", encoding="utf-8")
    (tmp_path / "second.txt").write_text("2", encoding="utf-8")
    server, url = serve_directory(tmp_path)
    try:
        page.goto(f"{url}/index.html", wait_until="load")
        wait_until_quiet(page)
        names = [u.rsplit("/", 1)[-1] for u in page.digest_log.requests]
        assert names[-2:] == ["first.txt", "second.txt"], names
        assert not page.digest_log.in_flight and not page.digest_log.failed
    finally:
        server.shutdown()
