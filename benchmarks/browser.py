"""Measure the search page in headless Chromium: time to first results, bytes, query latency.

Every measurement opens a fresh browser context (a cold cache). Times are taken inside the page
with ``performance.now()``, so Playwright's own round trips are not counted:

- *time to first results*: from focusing the box and typing the query (one ``input`` event, as
  a paste would give) until the first result item is in the DOM. Loading lunr and the index,
  which the page does only when a reader starts to search, is included: lunr.js, the index's meta
  and facets, the term chunks of the query, then the docs chunks (rows and texts) of the first
  page's results, which are drawn together. *Time to a complete first page* runs until the page
  marks itself done (``data-status="done"``).
- *bytes before first results*: every response from the navigation to the complete first page, from
  Chromium's own network events (CDP ``Network.loadingFinished``/``dataReceived``): the bytes
  on the wire (gzip, as the benchmark server sends text) and the decoded body bytes.
- *query latency*: after the index is loaded, each query of a fixed set is run with
  ``idx.searchAsync`` on a fresh index made from the page's own meta the way the page makes it
  (``digestCompactIndex``, which decodes a term's postings the first time a query needs it): the
  first run of each query, decoding included (the figure the targets are judged on), and the
  median of five more runs. The term chunks the queries need are fetched beforehand by another
  index, so the figure is the engine's work, not the network's (which *time to first results*
  counts); and also end to end through the page (Enter pressed to results rendered).
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digest import REPO_ROOT
from digest.chromium import CHROMIUM, CHROMIUM_ARGS

SEARCH_PATH = "search/index.html"
INPUT = "#search-q"
RESULTS = "#search-results"
RESULT_ITEM = "#search-results > li"
COMPLETE = "#search-app[data-status='done']"  # the page's own sign that the first page, snippets included, is shown
FIRST_QUERY = "journalist"
TIMEOUT_MS = 30000

_TYPE_AND_WAIT = """
async ({input, item, complete, query, timeout}) => {
  const box = document.querySelector(input);
  const t0 = performance.now();
  box.focus();
  box.value = query;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  let first = -1;
  return await new Promise((resolve) => {
    const done = () => {
      const now = performance.now() - t0;
      if (first < 0 && document.querySelector(item)) first = now;
      if (first >= 0 && document.querySelector(complete)) { observer.disconnect(); resolve({first, complete: now}); return true; }
      if (now > timeout) { observer.disconnect(); resolve({first, complete: -1}); return true; }
      return false;
    };
    const observer = new MutationObserver(done);
    observer.observe(document.body, {childList: true, subtree: true, attributes: true});
    const poll = () => { if (!done()) setTimeout(poll, 2); };
    poll();
  });
}
"""

_ENGINE_LATENCY = r"""
async ({queries, repeat}) => {
  const meta = window.DIGEST_SEARCH_META;
  if (!meta || !window.lunr || !window.digestCompactIndex) return null;
  const app = document.getElementById('search-app');
  const folder = app.dataset.root + '/' + app.dataset.scripts.split(/\s+/).pop().replace(/[^/]*$/, '');
  const load = (paths) => Promise.all(paths.map((path) => new Promise((ok, bad) => {
    const s = document.createElement('script'); s.src = folder + path; s.async = false;
    s.onload = ok; s.onerror = () => bad(new Error(path)); document.head.appendChild(s);
  })));
  const facets = window[meta.facets.global];
  const fetcher = window.digestCompactIndex(meta, load, facets);
  for (const q of queries) { try { await fetcher.searchAsync(q); } catch (e) { /* reported below */ } }
  const t0 = performance.now();
  const idx = window.digestCompactIndex(meta, load, facets);
  const loadMs = performance.now() - t0;
  const out = [];
  for (const q of queries) {
    const times = [];
    let hits = 0, error = null;
    for (let i = 0; i <= repeat; i++) {
      const s = performance.now();
      try { hits = (await idx.searchAsync(q)).length; } catch (e) { error = String(e); }
      times.push(performance.now() - s);
    }
    const cold = times.shift();
    times.sort((a, b) => a - b);
    out.push({query: q, ms: cold, warm: times[Math.floor(times.length / 2)], hits, error});
  }
  return {loadMs, queries: out};
}
"""

_UI_LATENCY = """
async ({input, results, queries, timeout}) => {
  const box = document.querySelector(input);
  const list = document.querySelector(results);
  const out = [];
  for (const q of queries) {
    const before = list.innerHTML;
    const t0 = performance.now();
    box.value = q;
    box.form.requestSubmit();  // Enter: the page searches at once (typing waits for a debounce)
    const ms = await new Promise((resolve) => {
      const check = () => {
        if (list.innerHTML !== before) return resolve(performance.now() - t0);
        if (performance.now() - t0 > timeout) return resolve(-1);
        setTimeout(check, 1);
      };
      check();
    });
    out.push({query: q, ms});
    await new Promise((r) => setTimeout(r, 30));
  }
  return out;
}
"""


@dataclass
class FirstResults:
    ms: float  # -1: no results shown within the timeout
    complete_ms: float = -1  # until the page says the first page is complete (its snippets loaded)
    wire_bytes: int = 0
    body_bytes: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Latency:
    engine_ms: list[float]  # first run of each query on a fresh index
    engine_warm_ms: list[float]  # median of the repeated runs
    engine_hits: list[int]
    ui_ms: list[float]
    index_load_ms: float
    errors: list[str] = field(default_factory=list)


class Server:
    """``benchmarks.server`` in a child process, serving ``root`` on a free loopback port."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.server", str(root)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = f"http://127.0.0.1:{int(self.proc.stdout.readline())}"

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@contextlib.contextmanager
def chromium(existing=None) -> Iterator:
    """``existing`` if given (a test's browser fixture), else a freshly launched headless Chromium."""
    if existing is not None:
        yield existing
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def first_results(browser, url: str, query: str = FIRST_QUERY, keep_page: bool = False):
    """Open ``url`` cold, then type ``query``; the page is returned too when ``keep_page``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} for {r.url}") if r.status >= 400 else None)
    wire: dict[str, int] = {}
    body: dict[str, int] = {}
    cdp = None
    if url.startswith("http"):
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on(
            "Network.dataReceived",
            lambda e: body.__setitem__(e["requestId"], body.get(e["requestId"], 0) + e["dataLength"]),
        )
        cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    page.wait_for_selector(INPUT, state="visible", timeout=TIMEOUT_MS)
    times = page.evaluate(
        _TYPE_AND_WAIT,
        {"input": INPUT, "item": RESULT_ITEM, "complete": COMPLETE, "query": query, "timeout": TIMEOUT_MS},
    )
    page.wait_for_timeout(50)  # let the last loadingFinished events arrive
    result = FirstResults(
        ms=float(times["first"]),
        complete_ms=float(times["complete"]),
        wire_bytes=sum(wire.values()),
        body_bytes=sum(body.values()),
        requests=len(wire),
        errors=errors,
    )
    if keep_page:
        return result, page
    context.close()
    return result, None


def latency(page, queries: list[str], repeat: int = 5) -> Latency:
    """Query latency over ``queries`` on a page whose index is loaded."""
    engine = page.evaluate(_ENGINE_LATENCY, {"queries": queries, "repeat": repeat})
    errors: list[str] = []
    if engine is None:
        errors.append("the page exposes no window.DIGEST_SEARCH_META or window.lunr; engine latency not measured")
        engine = {"loadMs": float("nan"), "queries": []}
    errors += [f"{q['query']!r}: {q['error']}" for q in engine["queries"] if q["error"]]
    # The page already shows FIRST_QUERY's results and draws a state only once, so that query would change
    # nothing on screen and wait out the timeout: it is measured last, after a different query.
    in_ui_order = sorted(queries, key=lambda q: q == FIRST_QUERY)
    ui = page.evaluate(_UI_LATENCY, {"input": INPUT, "results": RESULTS, "queries": in_ui_order, "timeout": 5000})
    return Latency(
        engine_ms=[q["ms"] for q in engine["queries"]],
        engine_warm_ms=[q["warm"] for q in engine["queries"]],
        engine_hits=[q["hits"] for q in engine["queries"]],
        ui_ms=[q["ms"] for q in ui if q["ms"] >= 0],
        index_load_ms=engine["loadMs"],
        errors=errors,
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
