"""Edit to served: how soon after a contributor saves an article ``serve --watch`` serves its new page.

The real command runs in a child process (``python -m digest serve --watch``) on a copy of the
corpus. Once its first build is done, each repetition edits articles (a sentence appended to the
body, a different article each time) and measures:

- *edit to served*: from the write to the first http answer for that article's address that holds
  the new sentence, the site idle before the edit (the page is rendered alone, ahead of the full build);
- *edit to served during a rebuild*: the same for an edit saved while the full rebuild that the
  first edit started is running (the running build is cancelled; the page still comes first);
- *edit to shown in an open tab*: the article open in Chromium, from the write until the tab,
  reloaded by the preview's script, shows the sentence;
- *full rebuild after an edit*: the seconds the session reports for the full build that follows,
  with Pelican's content cache (only the changed files are read again).

Each page served ahead of a rebuild is compared with what the rebuild wrote; a difference is
reported in the notes. The resident memory of the session and its child processes together is
sampled from its start to its end.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.builds import TreeMemory
from digest import REPO_ROOT
from digest.schema import parse_article

POLL_SECONDS = 0.01
EDIT_TIMEOUT = 120.0  # seconds an edit may take to be served before the run gives up on it
BUILT = re.compile(r"^Built (\d+) files in ([\d.]+) s")
RELOAD_TAG = re.compile(rb'<script src="/_preview/reload\.js"[^>]*></script>\n')


@dataclass
class PreviewFigures:
    first_build_s: float = float("nan")
    served_ms: list[float] = field(default_factory=list)
    served_during_rebuild_ms: list[float] = field(default_factory=list)
    shown_ms: list[float] = field(default_factory=list)
    rebuild_s: list[float] = field(default_factory=list)
    differing_pages: int = 0  # pages served ahead of the rebuild that the rebuild wrote otherwise
    tree_peak_mb: float = float("nan")
    notes: list[str] = field(default_factory=list)


class Session:
    """``serve --watch`` in a child process, its output read line by line."""

    def __init__(self, content: Path, output: Path, timeout: float) -> None:
        command = [sys.executable, "-m", "digest", "serve", "--watch", "--port", "0"]
        command += ["--content", str(content), "--output", str(output)]
        env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
        self.proc = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.memory = TreeMemory(self.proc.pid, interval=0.1)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = re.search(r"http://127\.0\.0\.1:\d+/", self.wait_for("Serving ", timeout)).group()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, start: str, timeout: float) -> str:
        """The next line of output that starts with ``start``."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise RuntimeError(f"serve --watch ended (exit {self.proc.wait()}) before printing {start!r}")
            if line.startswith(start):
                return line
        raise RuntimeError(f"serve --watch printed no line starting {start!r} within {timeout:.0f} s")

    def rebuilt_seconds(self, timeout: float) -> float:
        return float(BUILT.match(self.wait_for("Built ", timeout)).group(2))

    def served_after(self, path: Path, marker: str, started: float) -> tuple[float, str, bytes]:
        """Milliseconds from ``started`` until the article's address answers with ``marker``; the
        page's output path and the bytes served, without the reload script."""
        save_as = parse_article(path)[0].slug.join(("articles/", "/index.html"))
        url = self.url + save_as.removesuffix("index.html")
        needle = marker.encode()
        while time.perf_counter() - started < EDIT_TIMEOUT:
            with urllib.request.urlopen(url, timeout=EDIT_TIMEOUT) as response:
                page = response.read()
            if needle in page:
                return (time.perf_counter() - started) * 1000, save_as, RELOAD_TAG.sub(b"", page)
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"{url} did not show the edit within {EDIT_TIMEOUT:.0f} s")

    def close(self) -> float:
        """Stop the session; its peak memory with its children (MB)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.memory.stop()


def append_sentence(path: Path, marker: str) -> float:
    """Add a sentence to the article's body; the time just before the write."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + f"\n\nThe preview benchmark adds {marker}.\n"
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    return started


def measure(content: Path, work: Path, runs: int, chromium=None, timeout: float = 3600) -> PreviewFigures:
    """``chromium``: a Playwright browser for the open-tab figure; None leaves that figure out."""
    figures = PreviewFigures()
    copy, output = work / "preview-content", work / "preview-output"
    for old in (copy, output, output.parent / f".{output.name}.cache"):
        shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(content, copy)
    articles = sorted((copy / "articles").glob("*.md"))
    step = max(1, len(articles) // (3 * runs + 1))
    if len(articles[step::step]) < 3 * runs:
        figures.notes.append(f"preview: not measured, {3 * runs} articles to edit are needed")
        return figures
    picks = iter(articles[step::step])  # a different article for every edit
    try:
        session = Session(copy, output, timeout)
    except RuntimeError as exc:
        figures.notes.append(f"preview: {exc}")
        return figures
    try:
        figures.first_build_s = session.rebuilt_seconds(timeout)
        for run in range(runs):
            idle, busy = next(picks), next(picks)
            mark = f"preview-mark-{run}-"
            ms, *first = session.served_after(idle, mark + "a", append_sentence(idle, mark + "a"))
            figures.served_ms.append(ms)
            # The full rebuild that the edit above started is running now.
            ms, *second = session.served_after(busy, mark + "b", append_sentence(busy, mark + "b"))
            figures.served_during_rebuild_ms.append(ms)
            figures.rebuild_s.append(session.rebuilt_seconds(timeout))
            figures.differing_pages += sum((output / path).read_bytes() != page for path, page in (first, second))
            if chromium is not None:
                figures.shown_ms.append(_shown_in_tab(chromium, session, next(picks), mark + "c"))
                figures.rebuild_s.append(session.rebuilt_seconds(timeout))
    except RuntimeError as exc:
        figures.notes.append(f"preview: {exc}")
    finally:
        figures.tree_peak_mb = session.close()
        for old in (copy, output, output.parent / f".{output.name}.cache"):
            shutil.rmtree(old, ignore_errors=True)
    return figures


def _shown_in_tab(chromium, session: Session, path: Path, marker: str) -> float:
    """Milliseconds from the write until the open tab, reloaded by itself, shows ``marker``."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(session.url + parse_article(path)[0].slug.join(("articles/", "/")))
        page.wait_for_load_state("load")
        started = append_sentence(path, marker)
        page.get_by_text(marker, exact=False).first.wait_for(timeout=EDIT_TIMEOUT * 1000)
        return (time.perf_counter() - started) * 1000
    finally:
        context.close()


def measure_into(result, content: Path, work: Path, runs: int, *, browser: bool, chromium=None) -> None:
    """Measure and add the figures to ``result`` (a ``benchmarks.run.Result``); ``chromium``: a
    Playwright browser to reuse, else one is launched when ``browser``."""
    from benchmarks import browser as b

    if browser:
        with b.chromium(chromium) as launched:
            figures = measure(content, work, runs, launched)
    else:
        figures = measure(content, work, runs)
    result.s("preview_first_build_s").add(figures.first_build_s)
    for key, values in (
        ("preview_served_ms", figures.served_ms),
        ("preview_busy_ms", figures.served_during_rebuild_ms),
        ("preview_shown_ms", figures.shown_ms),
        ("preview_rebuild_s", figures.rebuild_s),
    ):
        for value in values:
            result.s(key).add(value)
    result.s("preview_tree_mb").add(figures.tree_peak_mb)
    if figures.differing_pages:
        result.notes.append(f"preview: {figures.differing_pages} page(s) served ahead of the rebuild differ from it")
    result.notes.extend(figures.notes)
