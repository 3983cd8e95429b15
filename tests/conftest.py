"""Fixtures shared by the whole suite: site builds, a local http server and headless Chromium.

Browser tests use Playwright for Python driving Debian's /usr/bin/chromium (Playwright's own
browser download does not work on these machines). Every page records console errors, dialogs
and requests, so a test can assert that nothing ran and nothing left the machine.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.build import build_site
from digest.chromium import CHROMIUM, CHROMIUM_ARGS

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = REPO_ROOT / "test-artifacts"


def build_fixture_site(content: Path, output: Path, **overrides) -> Path:
    """Build ``content`` (a folder with articles/ and optionally pages/) into ``output``."""
    build_site(REPO_ROOT / "pelicanconf.py", output, {"PATH": str(content), **overrides})
    return output


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content/ built once per test session with pelicanconf.py, shared by the xdist workers.

    Tests only read it. The first worker to need it builds it under a lock; build_site swaps the
    output in only when the whole build succeeded, so a finished folder is a complete site."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: nothing to share
        return build_fixture_site(REPO_ROOT / "content", tmp_path_factory.mktemp("site") / "output")
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    output = shared / "real-site" / "output"
    output.parent.mkdir(exist_ok=True)
    with (shared / "real-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (output / "index.html").is_file():
            build_fixture_site(REPO_ROOT / "content", output)
    return output


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output readable
        pass


def serve_directory(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    """The real site, served over http on a free loopback port."""
    server, url = serve_directory(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What a page did while a test drove it."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def open_page(browser, width: int = 1280, height: int = 900, java_script_enabled: bool = True):
    """A fresh page (own context, cold cache) that logs errors, dialogs and requests."""
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=java_script_enabled)
    page = context.new_page()
    log = PageLog()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))

    def on_dialog(dialog) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("requestfailed", lambda r: log.failed.append(r.url))
    page.digest_log = log
    return page


@pytest.fixture
def page(browser):
    """A desktop-width page; ``page.digest_log`` holds what it did."""
    p = open_page(browser)
    yield p
    p.context.close()


@pytest.fixture
def phone_page(browser):
    """A 375 px wide page."""
    p = open_page(browser, width=375, height=812)
    yield p
    p.context.close()


def save_screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot in test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def fixture_content(tmp_path) -> Iterator[Path]:
    """A writable copy of tests/fixtures/site (a small valid content tree)."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", target)
    yield target
