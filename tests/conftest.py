"""Fixtures shared by the whole suite: site builds, a local http server and headless Chromium.

Browser tests use Playwright for Python driving Debian's /usr/bin/chromium (Playwright's own
browser download does not work on these machines). Every page records console errors, dialogs
and requests, so a test can assert that nothing ran and nothing left the machine.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import http.server
import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from invoke import Program
from xdist.scheduler import LoadFileScheduling

from digest import REPO_ROOT
from digest.build import build_site, pelican_settings
from digest.bundle import BundleResult, make_bundle, offline_overrides
from digest.chromium import CHROMIUM_ARGS, TEST_CHROMIUM

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = REPO_ROOT / "test-artifacts"


def build_fixture_site(content: Path, output: Path, **overrides) -> Path:
    """Build ``content`` (a folder with articles/ and optionally pages/) into ``output``."""
    build_site(REPO_ROOT / "pelicanconf.py", output, {"PATH": str(content), **overrides})
    return output


def shared_artefact(tmp_path_factory, name: str, make):
    """``make(folder)`` run once per test session in ``folder``, whichever xdist worker asks first.

    The first worker to ask builds under a file lock and leaves ``done`` beside the folder; the others
    wait on the lock and reuse the folder. Tests only read what is in it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: nothing to share
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    folder = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / f"{name}.done").is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            make(folder)
            (shared / f"{name}.done").touch()
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content/ built once per test session with pelicanconf.py, shared by the xdist workers."""
    folder = shared_artefact(
        tmp_path_factory, "real-site", lambda f: build_fixture_site(REPO_ROOT / "content", f / "output")
    )
    return folder / "output"


@pytest.fixture(scope="session")
def built_fixture_site(tmp_path_factory) -> Path:
    """tests/fixtures/site built once per session with pelicanconf.py, shared by the xdist workers."""
    folder = shared_artefact(
        tmp_path_factory, "fixture-site", lambda f: build_fixture_site(FIXTURES / "site", f / "output")
    )
    return folder / "output"


@pytest.fixture(scope="session")
def paginated_fixture_site(tmp_path_factory) -> Path:
    """tests/fixtures/site built with pelicanconf.py and two articles a page (every listing has a page/2/),
    once per session."""
    folder = shared_artefact(
        tmp_path_factory,
        "paginated-fixture-site",
        lambda f: build_fixture_site(FIXTURES / "site", f / "output", DEFAULT_PAGINATION=2),
    )
    return folder / "output"


@pytest.fixture(scope="session")
def hostile_fixture_site(tmp_path_factory) -> Path:
    """tests/fixtures/site with the hostile articles of tests/fixtures/hostile/articles and hostile/robust,
    built once per session with pelicanconf.py: the folder holds ``content/`` and its build, ``output/``."""

    def make(folder: Path) -> None:
        content = folder / "content"
        shutil.copytree(FIXTURES / "site", content)
        for path in sorted(p for kind in ("articles", "robust") for p in (FIXTURES / "hostile" / kind).glob("*.md")):
            shutil.copy(path, content / "articles" / path.name)
        build_fixture_site(content, folder / "output")

    return shared_artefact(tmp_path_factory, "hostile-fixture-site", make)


PUBLISHED_SITEURL = "https://digest.example.net"


@pytest.fixture(scope="session")
def published_fixture_site(tmp_path_factory) -> Path:
    """tests/fixtures/site built with publishconf.py at PUBLISHED_SITEURL (feeds too), once per session."""

    def make(folder: Path) -> None:
        overrides = {"PATH": str(FIXTURES / "site"), "SITEURL": PUBLISHED_SITEURL, "FEED_DOMAIN": PUBLISHED_SITEURL}
        build_site(REPO_ROOT / "publishconf.py", folder / "output", overrides)

    return shared_artefact(tmp_path_factory, "published-fixture-site", make) / "output"


@dataclass
class ContentBundle:
    """The offline bundle of the real content/: ``result.output`` is the built folder, ``result.zip_path`` the zip."""

    result: BundleResult
    settings: dict  # the settings it was built with


@pytest.fixture(scope="session")
def content_bundle(tmp_path_factory) -> ContentBundle:
    """The offline bundle of content/ (``make_bundle``, dated today), built once per session for every worker.

    Tests only read it: test_bundle_offline.py checks the bundle and its zip, test_search_ui_offline.py
    drives the search from its built folder over file://."""
    extra = {"PATH": str(REPO_ROOT / "content")}

    def make(folder: Path) -> None:
        result = make_bundle(
            output=folder / "build" / "output-offline",
            dist=folder / "dist",
            date=dt.date.today(),
            extra_overrides=extra,
            force=True,
        )
        (folder / "result.pickle").write_bytes(pickle.dumps(result))

    folder = shared_artefact(tmp_path_factory, "content-bundle", make)
    result = pickle.loads((folder / "result.pickle").read_bytes())
    base = pelican_settings(REPO_ROOT / "pelicanconf.py", extra)
    return ContentBundle(result, pelican_settings(REPO_ROOT / "pelicanconf.py", {**extra, **offline_overrides(base)}))


@pytest.fixture(scope="session")
def fixture_bundle(tmp_path_factory) -> Path:
    """The zip of the offline bundle of tests/fixtures/site (dated 2026-01-01), built once per session."""

    def make(folder: Path) -> None:
        make_bundle(
            output=folder / "output-offline",
            dist=folder / "dist",
            date=dt.date(2026, 1, 1),
            extra_overrides={"PATH": str(FIXTURES / "site")},
        )

    (zip_path,) = (shared_artefact(tmp_path_factory, "fixture-bundle", make) / "dist").glob("*.zip")
    return zip_path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A page closed while a file was on its way (a test that has seen what it needed) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_directory(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
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
    if not Path(TEST_CHROMIUM).exists():
        pytest.fail(f"{TEST_CHROMIUM} is missing: `make test` installs Debian's chromium when run as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=TEST_CHROMIUM, args=CHROMIUM_ARGS, headless=True)
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
    in_flight: set = field(default_factory=set)  # requests neither finished nor failed yet
    last_change: float = field(default_factory=time.monotonic)  # when one last started or ended

    def started(self, request) -> None:
        self.requests.append(request.url)
        if request.resource_type != "eventsource":  # a stream stays open by design, as networkidle ignores it
            self.in_flight.add(request)
        self.last_change = time.monotonic()

    def ended(self, request, failed: bool = False) -> None:
        if failed:
            self.failed.append(request.url)
        self.in_flight.discard(request)
        self.last_change = time.monotonic()


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
    page.on("request", log.started)
    page.on("requestfinished", log.ended)
    page.on("requestfailed", lambda r: log.ended(r, failed=True))
    page.digest_log = log
    return page


# Resolves once the page has had an idle moment: what it defers to idle time has started by then.
_IDLE_JS = "() => new Promise(r => (window.requestIdleCallback || setTimeout)(() => r(), {timeout: 1000}))"


def wait_until_quiet(page, quiet_ms: int = 100, timeout_ms: int = 15_000) -> None:
    """Wait for the page to load and its network to rest for ``quiet_ms``: Playwright's "networkidle" with a
    fifth of its 500 ms window, so that leaving the page aborts nothing and a late request is still seen."""
    page.wait_for_load_state("load")
    log = page.digest_log
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.evaluate(_IDLE_JS)
        if not log.in_flight and time.monotonic() - log.last_change >= quiet_ms / 1000:
            seen = log.last_change
            page.evaluate(_IDLE_JS)  # once more: a script that ran through the window may ask for more after it
            if not log.in_flight and log.last_change == seen:
                return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{page.url}: requests still open after {timeout_ms} ms: {[r.url for r in log.in_flight]}"
            )
        page.wait_for_timeout(20)


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


@pytest.fixture
def invoke(capfd) -> Callable[..., subprocess.CompletedProcess]:
    """``invoke ARGS`` in this process: invoke's Program loads tasks.py from the repository and ends
    with ``sys.exit(code)``, as the ``invoke`` script does; a child process costs an interpreter and
    the imports for each case. Not for ``check``: ``digest.check.report`` prints to the ``sys.stdout``
    of import time (its default argument), which is not the one captured here."""

    def run(*args: str) -> subprocess.CompletedProcess:
        capfd.readouterr()  # what came before is not this command's
        try:
            Program().run(["invoke", "--search-root", str(REPO_ROOT), *args])
            code = 0
        except SystemExit as exit_:
            assert isinstance(exit_.code, int | None), f"sys.exit({exit_.code!r}) is not an exit status"
            code = exit_.code or 0
        out, err = capfd.readouterr()
        return subprocess.CompletedProcess(["invoke", *args], code, out, err)

    return run


# The files that take longest, handed to the xdist workers first (pyproject.toml's addopts has
# --no-loadscope-reorder, so work goes out in collection order): a worker that starts one of
# them last would leave the others idle until it ends. Files that wait for the same session artefact
# (conftest's content_bundle) are kept apart so that two workers do not wait on one lock.
SLOWEST_FIRST = (
    "test_counts_in_thousands.py",
    "test_bench.py",
    "test_bundle_offline.py",
    "test_hostile_site.py",
    "test_browser_site.py",  # after one file per worker: its first test builds built_site, the others wait for it
    "test_robust_cli.py",
    "test_build_speed_output.py",
    "test_search_ranking_plain.py",
    "test_search_browser.py",
    "test_search_ui_browser.py",
    "test_atomic_build.py",
    "test_robust_errors.py",
    "test_contrib_duplicates.py",
    "test_contrib_new.py",
    "test_search_chunks.py",
    "test_build_state.py",
)
# Files whose tests only read session artefacts (built_site, content_bundle, fixture_bundle) and set up
# nothing costly of their own: their tests go to whichever worker is free, one by one. Every other
# file runs on one worker (--dist loadfile), so that its module fixtures are built once.
SPREAD = frozenset({"test_browser_site.py", "test_citation_browser.py"})


class LoadFileButSpread(LoadFileScheduling):
    """``--dist loadfile``, except that the tests of the SPREAD files are handed out one by one."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return nodeid if Path(path).name in SPREAD else path


@pytest.hookimpl(optionalhook=True)  # xdist's hooks: known only when xdist is loaded
def pytest_xdist_make_scheduler(config: pytest.Config, log) -> LoadFileScheduling | None:
    return LoadFileButSpread(config, log) if config.getvalue("dist") == "loadfile" else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's own order stays
