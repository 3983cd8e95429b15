"""Pagefind beside our search: the same built articles indexed by Pagefind, its first search measured alike.

Pagefind is the usual answer for searching a static site, so its figures are the anchor our own are judged
against (issue 17). The benchmark runs the binary that the ``pagefind[extended]`` PyPI package ships on the
digest's own built article pages (``python -m pagefind --site SITE --glob "articles/**/*.html"``), into a
folder of its own, so the site under test is not touched. Beside Pagefind's files goes a blank page that
imports Pagefind's JavaScript API. ``pagefind.js`` is an ES module, which browsers refuse from ``file://``, so
Pagefind is measured over http only, with the same gzip server and browser as our search page:

- *time to first results*: from the query, with nothing loaded yet, until the first result's data (title,
  URL, excerpt: what a results list needs to show one item) is in; *time to a complete first page* runs on
  until the data of the first ``PAGE_SIZE`` results is in, as our page shows 20 results with their snippets.
  Unlike our search page, no typing pause is included.
- *bytes*: every response from the navigation to the complete first page, headers and body as sent. Pagefind
  searches in a Web Worker, whose requests the page's own CDP session does not see, so they are counted from
  Playwright's context-wide ``requestfinished`` events; Chromium reports no body size for a worker's own
  script, whose ``Content-Length`` is used instead (the server always sends one).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.browser import FIRST_QUERY, TIMEOUT_MS, FirstResults

PAGE_SIZE = 20
ARTICLES_GLOB = "articles/**/*.html"
INDEX_SUFFIXES = (".pf_index", ".pf_fragment", ".pf_meta", ".pf_filter")  # the index, not Pagefind's own code
BLANK_PAGE = '<!doctype html><html lang="en"><meta charset="utf-8"><title>Pagefind</title><body></body></html>\n'

_SEARCH = """
async ({query, pageSize}) => {
  const t0 = performance.now();
  const pagefind = await import(new URL('pagefind/pagefind.js', location.href).href);
  const search = await pagefind.search(query);
  const results = search.results;
  if (!results.length) return {first: -1, complete: -1, hits: 0};
  await results[0].data();
  const first = performance.now() - t0;
  await Promise.all(results.slice(0, pageSize).map((r) => r.data()));
  return {first, complete: performance.now() - t0, hits: results.length};
}
"""


@dataclass
class PagefindIndex:
    folder: Path  # served over http: the blank page and Pagefind's files under pagefind/
    seconds: float  # Pagefind's whole run, process start-up included
    index_bytes: int  # its index, fragments and meta files, already gzip-compressed by Pagefind
    files: int


@dataclass
class PagefindSearch:
    first: FirstResults
    hits: int


def build(site: Path, folder: Path) -> PagefindIndex:
    """Index the built articles of ``site`` with Pagefind into ``folder/pagefind``, beside a blank page."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", ARTICLES_GLOB]
    cmd += ["--output-path", str(folder / "pagefind"), "--silent"]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()
        raise RuntimeError(f"pagefind failed: {lines[-1]}")
    (folder / "index.html").write_text(BLANK_PAGE, encoding="utf-8")
    index = [p for p in (folder / "pagefind").rglob("*") if p.suffix in INDEX_SUFFIXES]
    return PagefindIndex(folder, seconds, sum(p.stat().st_size for p in index), len(index))


def first_search(browser, url: str, query: str = FIRST_QUERY) -> PagefindSearch:
    """Open the blank page at ``url`` in a fresh context (cold cache), then search ``query`` with Pagefind."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    finished: list = []
    context.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    times = page.evaluate(_SEARCH, {"query": query, "pageSize": PAGE_SIZE})
    page.wait_for_timeout(50)  # let the last requestfinished events arrive
    wire = 0
    for request in finished:
        response = request.response()
        sizes = request.sizes()
        sent = sizes["responseBodySize"] or int(response.headers.get("content-length", 0) if response else 0)
        wire += sizes["responseHeadersSize"] + sent
        if response and response.status >= 400:
            errors.append(f"HTTP {response.status} for {request.url}")
    context.close()
    first = FirstResults(
        ms=float(times["first"]),
        complete_ms=float(times["complete"]),
        wire_bytes=wire,
        requests=len(finished),
        errors=errors,
    )
    return PagefindSearch(first=first, hits=int(times["hits"]))
