"""Time the search engineer's index builder alone, on the benchmark corpus, in a fresh process.

The records are made the way the Pelican plugin makes them (rendered, sanitised HTML reduced to
text, newest first) before the clock starts: what is timed is ``digest.search.build_index`` and
the encoding of its output files, as a site build asks for them (``searchable=False``: no
Python-side lunr index), which is what indexing adds to a build. The peak memory reported is the
child's whole peak, records included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from digest import REPO_ROOT


@dataclass
class IndexRun:
    seconds: float
    raw_bytes: int  # every file: meta, facets, term chunks and docs chunks
    gzip_bytes: int
    first_bytes: int  # meta.js and facets.js, which the page loads before its first query
    first_gzip_bytes: int
    peak_mb: float
    cpu_seconds: float  # the whole child's CPU time, records preparation included
    records: int
    files: dict


def load_records(articles_dir: Path) -> list:
    """``SearchRecord``s for every article under ``articles_dir``, refs 0..n-1 newest first."""
    from digest.render import render_markdown
    from digest.schema import parse_article
    from digest.search import SearchRecord, html_to_text

    articles = []
    for path in sorted(Path(articles_dir).rglob("*.md")):
        article, problems = parse_article(path)
        if article is None:
            raise ValueError(f"{path}: {problems[0]}")
        articles.append(article)
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    return [
        SearchRecord.from_article(ref, a, url=f"articles/{a.slug}/", body=html_to_text(render_markdown(a.body)))
        for ref, a in enumerate(articles)
    ]


def _child(articles_dir: Path) -> None:
    from digest.search import build_index

    records = load_records(articles_dir)
    started = time.perf_counter()
    index = build_index(records, searchable=False)
    files = index.files()
    seconds = time.perf_counter() - started
    sizes = index.sizes()  # gzip level 6, after the clock: a build does not compress
    print(
        json.dumps(
            {
                "seconds": seconds,
                "raw_bytes": sizes["raw"],
                "gzip_bytes": sizes["gzip"],
                "first_bytes": sizes["first"],
                "first_gzip_bytes": sizes["first_gzip"],
                "records": len(records),
                "files": {name: len(text.encode("utf-8")) for name, text in files.items()},
            }
        )
    )


def run_index(articles_dir: Path) -> IndexRun:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    cmd = [sys.executable, "-m", "benchmarks.searchindex", str(articles_dir)]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"search index build failed:\n{stderr[-2000:]}")
    info = json.loads(stdout.strip().splitlines()[-1])
    return IndexRun(peak_mb=usage.ru_maxrss / 1024, cpu_seconds=usage.ru_utime + usage.ru_stime, **info)


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
