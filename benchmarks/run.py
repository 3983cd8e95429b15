"""``invoke bench`` / ``python -m benchmarks``: measure builds and search at N articles.

For each N, on one synthetic corpus (``benchmarks.corpus``), repeated ``runs`` times and
reported as median (min-max):

1. the full digest build and bare Pelican on the same corpus, each in a fresh process: wall time
   and that process's peak RSS, and the ratio digest / bare;
2. the search index alone (``digest.search.build_index``): time, size raw and gzip, per article;
3. headless Chromium over http (gzip like a real host), cold cache: time to first results,
   bytes before first results, query latency over ``QUERIES`` (engine and end to end);
   in the same browser, Pagefind's index of the same built articles and its first search
   (``benchmarks.pagefind``), the anchor our figures are judged against;
4. time to first results from the offline bundle over ``file://``;
5. the size of the offline bundle.

It prints a Markdown table with the machine's details and writes the run's figures, every repetition
kept, to ``benchmarks/results/<start time>.json`` (``benchmarks.results``); BENCHMARKS.md judges them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import corpus, results
from digest.chromium import CHROMIUM

BUILD_TIMEOUT = float(os.environ.get("DIGEST_BENCH_BUILD_TIMEOUT", 3600))  # seconds; a build past it is killed

# 20 queries: single words, two words, prefixes, fielded, Russian, a name, a rare word.
# "{rare}" is replaced by the last word of the newest article's body (found only at its very end).
QUERIES = (
    "journalist",
    "court",
    "kloop",
    "treason",
    "almaty",
    "extremism",
    "spyware",
    "blocked",
    "prison conditions",
    "radio ozodi",
    "human rights",
    "media law",
    "journ*",
    "extrem*",
    "title:jails",
    "tags:kloop",
    "+court -kazakhstan",
    "журналиста",
    "rakhimov",
    "{rare}",
)
TARGETS = {
    "ratio": 1.8,  # issue 18: both languages against bare Pelican's one (1.5 while the site had one language)
    "digest_tree_pss_mb": 400,
    "http_wire_kb": 1.5 * 1024,
    "http_first_ms": 300,
    "file_first_ms": 800,
    "engine_median_ms": 5,
    "engine_worst_ms": 50,
    "preview_served_ms": 3000,
}


@dataclass
class Series:
    """One metric over the runs."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float | None) -> None:
        """Keep the value at the precision the results file records, so the printed table and the file agree."""
        if value is not None and value == value:  # skip NaN
            self.values.append(round(float(value), 3))

    @property
    def median(self) -> float:
        return round(statistics.median(self.values), 3) if self.values else float("nan")

    def show(self, fmt: str = "{:.1f}") -> str:
        if not self.values:
            return "n/m"
        if len(self.values) == 1:
            return fmt.format(self.values[0])
        return f"{fmt.format(self.median)} ({fmt.format(min(self.values))}–{fmt.format(max(self.values))})"


@dataclass
class Result:
    n: int
    runs: int
    series: dict[str, Series] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    per_query: list[tuple[str, float, int]] = field(default_factory=list)

    def s(self, name: str) -> Series:
        return self.series.setdefault(name, Series())


def queries_for(n: int, seed: int) -> list[str]:
    records = corpus.records(min(n, 1), seed)
    rare = records[0].body.rstrip().rstrip(".").split()[-1] if records else "journalist"
    return [q.replace("{rare}", rare) for q in QUERIES]


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def prepare(n: int, seed: int, work: Path) -> tuple[Path, Path]:
    """Write the corpus twice: ours (content/articles) and bare Pelican's (bare/)."""
    content = work / "content"
    corpus.generate(n, content / "articles", seed)
    bare = work / "bare"
    corpus.generate_bare(n, bare, seed)
    return content, bare


def bench_n(
    n: int,
    runs: int,
    seed: int,
    work: Path,
    browser: bool = True,
    bundle: bool = True,
    chromium=None,
    browser_only: bool = False,
    preview: bool = True,
) -> Result:
    """Measure one N. ``chromium``: a Playwright browser to reuse (tests pass theirs); else one is launched.

    ``browser_only`` re-measures the search page and the bundle of an earlier run kept in ``work``
    (``--workdir``): on a busy machine the browser figures can be taken again when it is quieter. With
    ``bundle`` false it leaves the bundle alone (it would otherwise build it, if the earlier run did not).
    """
    from benchmarks.builds import run_build
    from benchmarks.searchindex import run_index

    result = Result(n=n, runs=runs)
    result.notes.append("load average at the start " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    if browser_only:
        result.notes.append("browser figures only, re-measured on the site and bundle of an earlier run")
        _measure_search(result, work, runs, queries_for(n, seed), chromium)
        if bundle:
            _measure_bundle(result, work / "content", work, runs, chromium, reuse=True)
        return result
    started = time.perf_counter()
    content, bare = prepare(n, seed, work)
    result.s("corpus_s").add(time.perf_counter() - started)
    site = work / "site"
    for run in range(runs):
        for kind, source in (("bare", bare), ("digest", content)):
            out = work / f"out-{kind}"
            shutil.rmtree(out, ignore_errors=True)
            _log(f"N={n} run {run + 1}/{runs}: {kind} build")
            b = run_build(kind, source, out, timeout=BUILD_TIMEOUT)
            if b.returncode != 0:
                result.notes.append(
                    f"{kind} build failed (exit {b.returncode}, after {b.seconds:.0f} s, "
                    f"{b.cpu_seconds:.0f} s CPU, peak {b.peak_mb:.0f} MB): {b.stderr.strip().splitlines()[-1:]}"
                )
                continue
            result.s(f"{kind}_s").add(b.seconds)
            result.s(f"{kind}_cpu").add(b.cpu_seconds)
            result.s(f"{kind}_mb").add(b.peak_mb)
            result.s(f"{kind}_tree_mb").add(b.tree_peak_mb)
            result.s(f"{kind}_tree_pss_mb").add(b.tree_pss_mb)
            result.s(f"{kind}_files").add(b.files)
        if result.s("bare_s").values and len(result.s("digest_s").values) == run + 1:
            result.s("ratio").add(result.s("digest_s").values[-1] / result.s("bare_s").values[-1])
            result.s("cpu_ratio").add(result.s("digest_cpu").values[-1] / result.s("bare_cpu").values[-1])
        _log(f"N={n} run {run + 1}/{runs}: search index alone")
        try:
            idx = run_index(content / "articles")
            result.s("index_s").add(idx.seconds)
            result.s("index_first_kb").add(idx.first_bytes / 1024)
            result.s("index_first_gz_kb").add(idx.first_gzip_bytes / 1024)
            result.s("index_files").add(len(idx.files))
            result.s("index_raw_kb").add(idx.raw_bytes / 1024)
            result.s("index_gz_kb").add(idx.gzip_bytes / 1024)
            result.s("index_raw_per_article_b").add(idx.raw_bytes / n)
            result.s("index_gz_per_article_b").add(idx.gzip_bytes / n)
            result.s("index_mb").add(idx.peak_mb)
        except Exception as exc:  # the builder is someone else's and may be mid-change: say so, go on
            result.notes.append(f"search index alone: {exc}".splitlines()[0])
    if (work / "out-digest").is_dir():
        if site.exists():
            shutil.rmtree(site)
        (work / "out-digest").rename(site)
    if browser and site.is_dir():
        _measure_search(result, work, runs, queries_for(n, seed), chromium)
    elif browser:
        result.notes.append("browser: not measured (the digest build failed)")
    if bundle:
        _measure_bundle(result, content, work, runs, chromium if browser else False)
    if preview:
        from benchmarks import preview as live

        _log(f"N={n}: serve --watch, edit to served")
        live.measure_into(result, content, work, runs, browser=browser, chromium=chromium)
    shutil.rmtree(work / "out-bare", ignore_errors=True)
    return result


def _search_page(root: Path) -> Path | None:
    from benchmarks.browser import SEARCH_PATH

    page = root / SEARCH_PATH
    return page if page.is_file() else None


def _measure_search(result: Result, work: Path, runs: int, queries: list[str], existing=None) -> None:
    """Our search page, then Pagefind on the same built articles, in one browser."""
    from benchmarks import browser as b

    with b.chromium(existing) as chromium:
        _measure_http(result, work / "site", runs, queries, chromium)
        _measure_pagefind(result, work, runs, chromium)


def _measure_pagefind(result: Result, work: Path, runs: int, chromium) -> None:
    """Pagefind's index of the built articles and its first search over http, the anchor beside our figures."""
    from benchmarks import browser as b
    from benchmarks import pagefind

    _log(f"N={result.n}: Pagefind index")
    try:
        built = pagefind.build(work / "site", work / "pagefind")
    except (OSError, RuntimeError) as exc:
        result.notes.append(f"Pagefind: not measured: {exc}")
        return
    result.s("pagefind_s").add(built.seconds)
    result.s("pagefind_index_kb").add(built.index_bytes / 1024)
    server = b.Server(built.folder)
    try:
        url = f"{server.url}/index.html"
        pagefind.first_search(chromium, url)  # unmeasured, as for our page: fills the server's gzip cache
        for run in range(runs):
            _log(f"N={result.n} run {run + 1}/{runs}: Pagefind's first results over http")
            searched = pagefind.first_search(chromium, url)
            if searched.first.ms < 0:
                result.notes.append(f"Pagefind: no results for {b.FIRST_QUERY!r}")
            else:
                result.s("pagefind_first_ms").add(searched.first.ms)
                result.s("pagefind_complete_ms").add(searched.first.complete_ms)
                result.s("pagefind_wire_kb").add(searched.first.wire_bytes / 1024)
                result.s("pagefind_requests").add(searched.first.requests)
                result.s("pagefind_hits").add(searched.hits)
            result.notes.extend(f"Pagefind page error: {e}" for e in searched.first.errors[:3])
    finally:
        server.close()


def _measure_http(result: Result, site: Path, runs: int, queries: list[str], existing=None) -> None:
    from benchmarks import browser as b

    if _search_page(site) is None:
        result.notes.append(f"browser: the site has no {b.SEARCH_PATH}; search not measured")
        return
    server = b.Server(site)
    try:
        with b.chromium(existing) as chromium:
            # Unmeasured: fills the server's gzip cache, as a host serving pre-compressed files would be.
            warm, _ = b.first_results(chromium, f"{server.url}/{b.SEARCH_PATH}")
            result.notes.extend(f"http warm-up page error: {e}" for e in warm.errors[:3])
            for run in range(runs):
                _log(f"N={result.n} run {run + 1}/{runs}: first results over http")
                first, page = b.first_results(chromium, f"{server.url}/{b.SEARCH_PATH}", keep_page=True)
                if first.ms < 0:
                    result.notes.append(f"http: no result item ({b.RESULT_ITEM}) within {b.TIMEOUT_MS} ms")
                else:
                    result.s("http_first_ms").add(first.ms)
                    result.s("http_complete_ms").add(first.complete_ms if first.complete_ms >= 0 else None)
                    result.s("http_wire_kb").add(first.wire_bytes / 1024)
                    result.s("http_body_kb").add(first.body_bytes / 1024)
                    result.s("http_requests").add(first.requests)
                result.notes.extend(f"http page error: {e}" for e in first.errors[:3])
                lat = b.latency(page, queries)
                page.context.close()
                if lat.engine_ms:
                    result.s("engine_median_ms").add(statistics.median(lat.engine_ms))
                    result.s("engine_worst_ms").add(max(lat.engine_ms))
                    result.s("engine_warm_median_ms").add(statistics.median(lat.engine_warm_ms))
                    result.s("engine_warm_worst_ms").add(max(lat.engine_warm_ms))
                    result.s("index_load_ms").add(lat.index_load_ms)
                    if run == runs - 1:
                        result.per_query = list(zip(queries, lat.engine_ms, lat.engine_hits, strict=False))
                if lat.ui_ms:
                    result.s("ui_median_ms").add(statistics.median(lat.ui_ms))
                    result.s("ui_worst_ms").add(max(lat.ui_ms))
                result.notes.extend(lat.errors[:3])
    finally:
        server.close()


def _measure_bundle(result: Result, content: Path, work: Path, runs: int, existing=None, reuse: bool = False) -> None:
    """Build the bundle, unzip it, time first results from file:// (``existing=False``: no browser)."""
    try:
        import digest.bundle  # noqa: F401
    except ImportError:
        result.notes.append("file://: not measured: bundle not built yet (no digest.bundle)")
        return
    from benchmarks.builds import run_build

    out = work / "bundle"
    zips = sorted((out / "dist").glob("*.zip")) if reuse else []
    if zips:
        zip_path = zips[-1]
    else:
        _log(f"N={result.n}: offline bundle")
        shutil.rmtree(out, ignore_errors=True)
        built = run_build("bundle", content, out)
        zip_path = Path(built.extra.get("zip", "")) if built.returncode == 0 else None
        if not zip_path or not zip_path.is_file():
            result.notes.append(f"bundle: build failed (exit {built.returncode}): {built.stderr.strip()[-300:]}")
            return
        result.s("bundle_s").add(built.seconds)
        if built.extra.get("problems"):
            result.notes.append(f"bundle check problems (zipped anyway): {built.extra['problems'][:2]}")
    result.s("bundle_kb").add(zip_path.stat().st_size / 1024)
    unzipped = work / "unzipped"
    shutil.rmtree(unzipped, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(unzipped)
    page = _search_page(unzipped)
    if page is None:
        result.notes.append("file://: the bundle has no search/index.html; not measured")
        return
    if existing is False:
        return
    from benchmarks import browser as b

    with b.chromium(existing) as chromium:
        for run in range(runs):
            _log(f"N={result.n} run {run + 1}/{runs}: first results from file://")
            first, _ = b.first_results(chromium, page.as_uri())
            if first.ms < 0:
                result.notes.append(f"file://: no result item within {b.TIMEOUT_MS} ms")
            else:
                result.s("file_first_ms").add(first.ms)
                result.s("file_complete_ms").add(first.complete_ms if first.complete_ms >= 0 else None)
            result.notes.extend(f"file:// page error: {e}" for e in first.errors[:3])


ROWS = (
    ("corpus_s", "corpus generation (s)", "{:.1f}", None),
    ("bare_s", "bare Pelican build (s)", "{:.1f}", None),
    ("bare_cpu", "bare Pelican build, CPU user+sys (s)", "{:.1f}", None),
    ("bare_mb", "bare Pelican peak RSS (MB)", "{:.0f}", None),
    ("bare_tree_mb", "bare Pelican peak RSS, all its processes together, sampled (MB)", "{:.0f}", None),
    ("bare_tree_pss_mb", "bare Pelican peak PSS, all its processes together, sampled (MB)", "{:.0f}", None),
    ("digest_s", "digest build (s)", "{:.1f}", None),
    ("digest_cpu", "digest build, CPU user+sys (s)", "{:.1f}", None),
    ("digest_mb", "digest build peak RSS, largest single process (MB)", "{:.0f}", None),
    ("digest_tree_mb", "digest build peak RSS, its processes but the languages fork, sampled (MB)", "{:.0f}", None),
    ("digest_tree_pss_mb", "digest build peak PSS, all its processes together, sampled (MB)", "{:.0f}", "< 400"),
    ("ratio", "digest / bare build time", "{:.2f}", "≤ 1.8"),
    ("cpu_ratio", "digest / bare build CPU time", "{:.2f}", None),
    ("index_s", "search index alone (s)", "{:.2f}", None),
    ("index_mb", "search index alone, process peak RSS (MB)", "{:.0f}", None),
    ("index_first_kb", "index scripts loaded first (meta.js + facets.js), raw (KB)", "{:.0f}", None),
    ("index_first_gz_kb", "index scripts loaded first (meta.js + facets.js), gzip (KB)", "{:.0f}", None),
    ("index_files", "index files (meta, facets, term chunks, docs chunks)", "{:.0f}", None),
    ("index_raw_kb", "all index files raw (KB)", "{:.0f}", None),
    ("index_gz_kb", "all index files gzip (KB)", "{:.0f}", None),
    ("index_raw_per_article_b", "all index files raw per article (B)", "{:.0f}", None),
    ("index_gz_per_article_b", "all index files gzip per article (B)", "{:.0f}", None),
    ("http_first_ms", "http: time to first results (ms)", "{:.0f}", "≤ 300"),
    ("http_complete_ms", "http: time to a complete first page, snippets included (ms)", "{:.0f}", None),
    ("http_wire_kb", "http: transferred for the complete first page, gzip (KB)", "{:.0f}", "≤ 1536"),
    ("http_body_kb", "http: response bodies for the complete first page, decoded (KB)", "{:.0f}", None),
    ("http_requests", "http: requests for the complete first page", "{:.0f}", None),
    ("pagefind_first_ms", "Pagefind, same articles, http: time to first results (ms)", "{:.0f}", None),
    (
        "pagefind_complete_ms",
        "Pagefind, same articles, http: time to the data of the first 20 results (ms)",
        "{:.0f}",
        None,
    ),
    (
        "pagefind_wire_kb",
        "Pagefind, same articles, http: transferred for the first 20 results, gzip (KB)",
        "{:.0f}",
        None,
    ),
    ("pagefind_requests", "Pagefind, same articles, http: requests for the first 20 results", "{:.0f}", None),
    ("pagefind_hits", "Pagefind, same articles: results for the first query", "{:.0f}", None),
    ("index_load_ms", "index set-up from the payload in the page (ms)", "{:.1f}", None),
    ("engine_median_ms", "query latency, idx.search on a fresh index, median of 20 (ms)", "{:.2f}", "≤ 5"),
    ("engine_worst_ms", "query latency, idx.search on a fresh index, worst of 20 (ms)", "{:.2f}", "≤ 50"),
    ("engine_warm_median_ms", "query latency, idx.search repeated, median of 20 (ms)", "{:.2f}", None),
    ("engine_warm_worst_ms", "query latency, idx.search repeated, worst of 20 (ms)", "{:.2f}", None),
    ("ui_median_ms", "query latency, Enter to results rendered, median (ms)", "{:.1f}", None),
    ("ui_worst_ms", "query latency, Enter to results rendered, worst (ms)", "{:.1f}", None),
    ("file_first_ms", "file:// bundle: time to first results (ms)", "{:.0f}", "≤ 800"),
    ("file_complete_ms", "file:// bundle: time to a complete first page (ms)", "{:.0f}", None),
    ("bundle_kb", "offline bundle zip (KB)", "{:.0f}", None),
    ("bundle_s", "offline bundle build (s)", "{:.1f}", None),
    ("preview_first_build_s", "serve --watch: first full build (s)", "{:.1f}", None),
    ("preview_served_ms", "serve --watch: an article edited to its new page served over http (ms)", "{:.0f}", "≤ 3000"),
    (
        "preview_busy_ms",
        "serve --watch: the same, edited while the previous edit's rebuild runs (ms)",
        "{:.0f}",
        None,
    ),
    ("preview_shown_ms", "serve --watch: an article edited to its open tab reloaded with it (ms)", "{:.0f}", None),
    ("preview_rebuild_s", "serve --watch: full rebuild after an edit, with the content cache (s)", "{:.1f}", None),
    ("preview_tree_mb", "serve --watch: peak RSS, session and its helpers together, sampled (MB)", "{:.0f}", None),
    ("pagefind_s", "Pagefind: indexing the built articles (s)", "{:.1f}", None),
    ("pagefind_index_kb", "Pagefind: its index files as written, already gzip (KB)", "{:.0f}", None),
)


def table(measured: list[Result]) -> str:
    head = "| metric | " + " | ".join(f"N = {r.n:,} ({r.runs} run{'s' if r.runs > 1 else ''})" for r in measured)
    lines = [head + " | target at 5,000 |", "|---|" + "---|" * len(measured) + "---|"]
    for key, label, fmt, target in ROWS:
        if not any(r.series.get(key) and r.series[key].values for r in measured):
            continue
        cells = [r.series[key].show(fmt) if key in r.series else "n/m" for r in measured]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target or ''} |")
    return "\n".join(lines)


def verdicts(result: Result) -> list[str]:
    out = []
    for key, limit in TARGETS.items():
        series = result.series.get(key)
        if not series or not series.values:
            out.append(f"{key}: not measured")
            continue
        ok = series.median <= limit if key != "digest_tree_pss_mb" else series.median < limit
        out.append(f"{key} {series.median:.2f} vs {limit:g}: {'met' if ok else 'NOT met'}")
    return out


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict:
    """The processor, memory and load, and the versions of what the figures depend on."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    total = _meminfo_bytes("MemTotal")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(total / 1024**3, 1) if total else None,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "pelican": _version("pelican"),
        "lunr.py": _version("lunr"),
        "playwright": _version("playwright"),
        "chromium": CHROMIUM,
    }


def describe(info: dict) -> str:
    ram = f"{info['ram_gb']} GB" if info["ram_gb"] else "unknown"
    load = ", ".join(f"{x:.2f}" for x in info["load_average_at_end"])
    return (
        f"{info['cpu']}, {info['cores']} cores, {ram} RAM, load average at the end {load}; "
        f"Python {info['python']}, Pelican {info['pelican']}, lunr.py {info['lunr.py']}, "
        f"Playwright {info['playwright']}, Chromium {info['chromium']}"
    )


def filesystem(path: Path, mounts: str | None = None) -> str:
    """The type of the file system ``path`` is on (``tmpfs``, ``ext4``...), from /proc/mounts."""
    best, kind = "", "unknown file system"
    target = str(path)
    try:
        table = mounts if mounts is not None else Path("/proc/mounts").read_text()
    except OSError:
        return kind
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])  # \040 is a space
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, fields[2]
    return kind


def default_work_parent() -> str | None:
    """A RAM-backed folder (``/dev/shm``) when there is one with room, else the system's temp folder.

    Each build writes thousands of files. On this project's virtual machines, creating files on the
    disk slows down as a session goes on while tmpfs does not (BENCHMARKS.md, "Builds on tmpfs"), which
    would make the figures measure the disk, and the build that writes more files, the digest, pay more.
    """
    shm = Path("/dev/shm")
    try:
        room = shutil.disk_usage(shm).free if shm.is_dir() and os.access(shm, os.W_OK) else 0
        leftovers = sorted(shm.glob("digest-bench-*")) if room else []
    except OSError:
        return None
    for old in leftovers:
        _log(f"{old} is from an interrupted or concurrent run; it holds memory until removed")
    return str(shm) if room > NEEDS_BYTES and _meminfo_bytes("MemAvailable") > NEEDS_BYTES else None


NEEDS_BYTES = 4 * 1024**3  # room for the corpora, two sites and a bundle at N = 10,000, with a wide margin


def _meminfo_bytes(field: str) -> int:
    """A field of /proc/meminfo (``MemTotal``, ``MemAvailable``...) in bytes; 0 when unknown.
    tmpfs lives in RAM, and these machines have no swap, so MemAvailable bounds /dev/shm too."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def record(measured: list[Result], seed: int, started: dt.datetime, work: Path | None = None) -> dict:
    """The run as ``benchmarks.results`` keeps it: every figure's values, the machine, the code."""
    labels = {key: label for key, label, _, _ in ROWS}
    return {
        "format": results.FORMAT,
        "started": started.isoformat(timespec="seconds"),
        "seed": seed,
        **results.code_version(),
        "machine": machine(),
        "builds_written_to": {"path": str(work), "file_system": filesystem(work)} if work else None,
        "targets_at_5000": TARGETS,
        "runs": [
            {
                "n": r.n,
                "repetitions": r.runs,
                "figures": {
                    key: results.figure(labels.get(key, key), series.values)
                    for key, series in r.series.items()
                    if series.values
                },
                "verdicts": verdicts(r),
                "notes": r.notes,
                "per_query": [{"query": q, "engine_ms": round(ms, 3), "hits": hits} for q, ms, hits in r.per_query],
            }
            for r in measured
        ],
    }


def report(run: dict, measured: list[Result]) -> str:
    """The run in Markdown: the machine, the table, and per N the verdicts, notes and per-query figures."""
    started = dt.datetime.fromisoformat(run["started"]).strftime("%Y-%m-%d %H:%M UTC")
    code = run["commit"] or "unknown commit"
    if run["uncommitted_changes"]:
        code += " with uncommitted changes"
    where = run["builds_written_to"]
    where = f"; builds written to {where['path']} ({where['file_system']})" if where else ""
    parts = [
        f"### Run of {started}, seed {run['seed']}, code at {code}",
        "",
        f"Machine: {describe(run['machine'])}{where}.",
        "",
        table(measured),
        "",
    ]
    for r in measured:
        lines = verdicts(r) + r.notes
        if r.per_query:
            per = ", ".join(f"`{q}` {ms:.2f} ms/{hits}" for q, ms, hits in r.per_query)
            lines.append(f"per query (engine ms / hits): {per}")
        if lines:
            parts.append(f"N = {r.n:,} (against the targets set for 5,000): " + "; ".join(lines) + ".")
            parts.append("")
    return "\n".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure builds and search at N articles, beside bare Pelican and Pagefind.",
    )
    parser.add_argument("--n", default="1000,5000", help="comma-separated article counts (default 1000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per N (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workdir",
        default=None,
        help="keep the corpora and builds here (default: a temp dir, in /dev/shm if it has room)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--no-bundle", action="store_true", help="skip the offline bundle")
    parser.add_argument("--no-preview", action="store_true", help="skip serve --watch (edit to served)")
    parser.add_argument(
        "--no-append", action="store_true", help="print the table only; do not add the run's file to --results"
    )
    parser.add_argument(
        "--browser-only",
        action="store_true",
        help="re-measure only the browser figures on the site and bundle kept in --workdir by an earlier run",
    )
    parser.add_argument(
        "--results", default=str(results.RESULTS_DIR), help="the folder of results files (default benchmarks/results)"
    )
    return parser


def main(argv: list[str] | None = None, chromium=None) -> int:
    """``chromium``: a Playwright browser to measure with (tests pass theirs); else one is launched."""
    args = build_parser().parse_args(argv)
    try:
        counts = [int(x.replace("_", "")) for x in args.n.split(",") if x.strip()]
    except ValueError:
        print(f"--n: {args.n!r} is not a comma-separated list of numbers", file=sys.stderr)
        return 2
    if not counts or min(counts) < 1 or args.runs < 1:
        print("--n and --runs must be positive", file=sys.stderr)
        return 2
    started = dt.datetime.now(dt.UTC)
    measured: list[Result] = []
    base = (
        Path(args.workdir)
        if args.workdir
        else Path(tempfile.mkdtemp(prefix="digest-bench-", dir=default_work_parent()))
    )
    try:
        for n in counts:
            work = base / f"n{n}"
            if args.browser_only:
                if not (work / "site").is_dir():
                    print(f"--browser-only: no earlier run of N={n} in {work}", file=sys.stderr)
                    return 2
            else:
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
            measured.append(
                bench_n(
                    n,
                    args.runs,
                    args.seed,
                    work,
                    browser=not args.no_browser,
                    bundle=not args.no_bundle,
                    chromium=chromium,
                    browser_only=args.browser_only,
                    preview=not args.no_preview,
                )
            )
            _log(f"N={n} done\n" + table(measured))
    finally:
        if not args.workdir:
            shutil.rmtree(base, ignore_errors=True)
    run = record(measured, args.seed, started, base.resolve())
    print(report(run, measured))
    if not args.no_append:
        path = results.write(run, Path(args.results))
        print(f"figures written to {path}", file=sys.stderr)
    return 0
