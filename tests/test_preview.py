"""The contributors' live preview (``serve --watch``): changes served at once, pages reloading by themselves.

The session's parts are driven directly first (one full build, a change, the page the server would
send), so the page shown ahead of the rebuild can be compared byte for byte with the rebuild's.
Then the real command runs in a subprocess on the small fixture site, over http and in Chromium.
Published and bundled sites must never carry the reload script: only the preview server adds it.
"""

from __future__ import annotations

import io
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest import REPO_ROOT
from digest.preview.server import EVENTS_URL, SCRIPT_URL, PreviewServer, with_reload_script
from digest.preview.session import PreviewSession
from digest.preview.watch import changes

from .conftest import FIXTURES, open_page

ARTICLE = "kyrgyzstan-closes-kloop"
PAGE = f"articles/{ARTICLE}/index.html"
DEADLINE = 120.0  # seconds a test waits for the preview before failing; never a sleep


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def until(what: str, check, deadline: float = DEADLINE, every: float = 0.05):
    """Poll ``check()`` until it returns something true; fail with ``what`` after ``deadline`` s."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {deadline:.0f} s waiting for {what}")


# --- the session, driven step by step -----------------------------------------------------------------


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Iterator[PreviewSession]:
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(FIXTURES / "site", root / "content")
    shutil.copytree(REPO_ROOT / "theme", root / "theme")  # a copy: a test changes its stylesheet
    overrides = {"PATH": str(root / "content"), "THEME": str(root / "theme")}
    preview = PreviewSession(root / "output", 0, overrides=overrides, out=io.StringIO())
    assert preview.build(), preview.out.getvalue()
    yield preview
    preview.server.server_close()


def problems(server: PreviewServer) -> list[str]:
    return server.wait_for_change(-1, 0)[1]


def test_an_edited_article_is_served_at_once_with_the_bytes_the_rebuild_writes(session):
    path = session.content / "articles" / f"{ARTICLE}.md"
    before = (session.output / PAGE).read_bytes()
    edit(path, "title: Kyrgyzstan Closes Kloop;", "title: Kyrgyzstan Shuts Kloop;")
    edit(path, "tags: [Kloop,", "tags: [Kloop, Press freedom awards,")
    edit(path, "Kloop has won", "Kloop, founded in 2007, has won")
    session.changed({path})

    shown = session.server.current(PAGE)
    assert b"Kyrgyzstan Shuts Kloop" in shown and b"founded in 2007" in shown and b"Press freedom awards" in shown
    assert (session.output / PAGE).read_bytes() == before, "the early page is served, never written into output/"
    assert session.build()
    assert (session.output / PAGE).read_bytes() == shown, "the rebuild wrote other bytes than were shown"
    assert session.server.current(PAGE) == shown


def test_an_edited_article_is_served_at_once_in_every_language_of_the_site(session):
    path = session.content / "articles" / "pegasus-spyware.md"
    pages = ["articles/pegasus-spyware/index.html", "ru/articles/pegasus-spyware/index.html"]
    before = {page: (session.output / page).read_bytes() for page in pages}
    edit(path, "title: Pegasus spyware targets", "title: Pegasus spyware watched")
    session.changed({path})

    shown = {page: session.server.current(page) for page in pages}
    for page in pages:
        assert b"Pegasus spyware watched" in shown[page], page
        assert (session.output / page).read_bytes() == before[page], "the early page is served, never written"
    assert b'<html lang="ru"' in shown[pages[1]] and b'<html lang="en"' in shown[pages[0]]
    assert session.build()
    for page in pages:
        assert (session.output / page).read_bytes() == shown[page], f"the rebuild wrote other bytes than {page}"


def test_a_theme_asset_is_served_as_soon_as_it_changes(session):
    css = session.theme_static / "css" / "digest.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.preview-test { color: red; }\n", encoding="utf-8")
    session.changed({css})
    assert b".preview-test" in session.server.current("theme/css/digest.css")
    assert b".preview-test" not in (session.output / "theme/css/digest.css").read_bytes()


def test_invalid_content_is_reported_in_one_line_and_the_last_good_page_stays(session):
    path = session.content / "articles" / f"{ARTICLE}.md"
    shown = session.server.current(PAGE)
    edit(path, "date: 2025-05-18", "date: 2025-13-18")
    session.changed({path})
    assert problems(session.server) == [f"{path}:3: date: 2025-13-18 is not a real date"]
    assert session.server.current(PAGE) == shown
    assert not session.build()
    assert any("2025-13-18 is not a real date" in line for line in problems(session.server))
    assert (session.output / PAGE).read_bytes() == shown

    edit(path, "date: 2025-13-18", "date: 2025-05-18")
    session.changed({path})
    assert problems(session.server) == []
    assert session.build()


def test_the_watcher_sees_added_changed_and_removed_files_and_not_editor_files(tmp_path):
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("b")
    expected = {tmp_path / "a.md", tmp_path / "sub" / "c.md", tmp_path / "sub" / "b.md"}
    stop, seen = threading.Event(), set()

    def watch() -> None:
        for batch in changes([tmp_path], stop):
            seen.update(batch)
            if seen >= expected:
                stop.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        until("the watcher to start", lambda: (tmp_path / "a.md").write_text("a, longer") and seen, every=0.2)
        (tmp_path / "sub" / "c.md").write_text("c")
        (tmp_path / "sub" / "b.md").unlink()
        (tmp_path / ".a.md.swp").write_text("swap")
        (tmp_path / "a.md~").write_text("backup")
        until("every change", lambda: seen >= expected)
    finally:
        stop.set()
        watcher.join(timeout=DEADLINE)
    assert seen == expected


def test_the_script_goes_before_the_end_of_the_body_and_names_the_page_version():
    page = with_reload_script(b"<html><body><p>x</p></body></html>", "abc")
    assert re.fullmatch(
        rb'<html><body><p>x</p><script src="/_preview/reload.js" data-events="/_preview/events" '
        rb'data-version="abc" data-problems-title="[^"]+" defer></script>\n</body></html>',
        page,
    )


# --- the real command ----------------------------------------------------------------------------------


@dataclass
class Watching:
    url: str
    content: Path
    output: Path
    lines: queue.Queue

    def wait_for_line(self, start: str, deadline: float = DEADLINE) -> str:
        """The next line of the command's output that starts with ``start``."""
        end = time.monotonic() + deadline
        while True:
            left = end - time.monotonic()
            if left <= 0:
                pytest.fail(f"no line starting {start!r} within {deadline:.0f} s")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"serve --watch ended before printing {start!r}")
            if line.startswith(start):
                return line

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read()


@pytest.fixture(scope="module")
def watching(tmp_path_factory) -> Iterator[Watching]:
    root = tmp_path_factory.mktemp("watch")
    shutil.copytree(FIXTURES / "site", root / "content")
    command = [sys.executable, "-m", "digest", "serve", "--watch", "--port", "0"]
    command += ["--content", str(root / "content"), "--output", str(root / "output")]
    proc = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        watching = Watching("", root / "content", root / "output", lines)
        watching.url = re.search(r"http://127\.0\.0\.1:\d+/", watching.wait_for_line("Serving ")).group()
        watching.wait_for_line("Built ")
        yield watching
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert proc.returncode == 0


def test_serve_watch_serves_an_edited_article_with_the_reload_script(watching):
    path = watching.content / "articles" / f"{ARTICLE}.md"
    page = watching.get(f"articles/{ARTICLE}/")
    assert SCRIPT_URL.encode() in page and b"Kloop has won" in page
    edit(path, "Kloop has won", "Kloop, edited in the preview test, has won")
    served = until("the edited page", lambda: b"edited in the" in (p := watching.get(f"articles/{ARTICLE}/")) and p)
    assert served.count(SCRIPT_URL.encode()) == 1
    watching.wait_for_line("Built ")  # then the rebuild has written it into the output folder too
    assert b"edited in the" in (watching.output / PAGE).read_bytes()


@pytest.mark.browser
def test_an_open_page_reloads_by_itself_and_shows_problems_until_they_are_fixed(watching, browser):
    path = watching.content / "articles" / f"{ARTICLE}.md"
    page = open_page(browser)
    try:
        page.goto(f"{watching.url}articles/{ARTICLE}/")
        page.evaluate("window.loadedBeforeTheEdit = true")
        edit(path, "title: Kyrgyzstan Closes Kloop;", "title: Kyrgyzstan Closes Kloop, Edited;")
        page.locator("h1", has_text="Edited").wait_for(timeout=DEADLINE * 1000)
        assert page.evaluate("window.loadedBeforeTheEdit") is None, "the page changed without a reload"

        edit(path, "date: 2025-05-18", "date: 2025-13-18")
        banner = page.locator(".digest-preview-problems")
        banner.wait_for(timeout=DEADLINE * 1000)
        assert "2025-13-18 is not a real date" in banner.inner_text()
        assert f"{ARTICLE}.md:3" in banner.inner_text()
        edit(path, "date: 2025-13-18", "date: 2025-05-18")
        banner.wait_for(state="detached", timeout=DEADLINE * 1000)
        assert not page.digest_log.page_errors and not page.digest_log.console_errors
        assert any(EVENTS_URL in url for url in page.digest_log.requests)
    finally:
        page.context.close()


# --- what is published never has it -------------------------------------------------------------------


def test_published_and_bundled_sites_have_no_reload_script(published_fixture_site, fixture_bundle):
    needles = (SCRIPT_URL.encode(), b"_preview", b"EventSource")
    assert all(
        n in with_reload_script(b"<body></body>", "v") + (REPO_ROOT / "digest/preview/reload.js").read_bytes()
        for n in needles
    )  # what the search below would find
    published = published_fixture_site  # conftest's publishconf.py build of the fixture site
    zip_path = fixture_bundle  # conftest's offline bundle of the same fixture site
    files = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()}
    with zipfile.ZipFile(zip_path) as archive:
        files.update({Path(name): archive.read(name) for name in archive.namelist()})
    assert len(files) > 100
    for path, data in files.items():
        assert not any(n in data for n in needles), f"{path} has the preview's reload script"
