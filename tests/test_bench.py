"""The benchmark works end to end on a tiny corpus (N = 50, one repetition). No timing is asserted.

The default suite runs ``python -m benchmarks`` once without the browser, the offline bundle and ``serve --watch``,
then once ``--browser-only`` on the site it kept (Pagefind beside our search included), and checks what they
write: the results files and the printed tables. The whole harness, bundle, edit to served and process-tree
memory included, runs on request: ``DIGEST_BENCH=1 .venv/bin/pytest tests/test_bench.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import run
from digest import REPO_ROOT

N = 50
harness = pytest.mark.skipif(
    not os.environ.get("DIGEST_BENCH"), reason="the whole harness runs with DIGEST_BENCH=1 (builds the bundle too)"
)


def _bench(folder: Path, browser, *options: str) -> tuple[dict, str]:
    """Run the benchmark as ``invoke bench`` does; return the one results file it wrote and what it printed."""
    printed = io.StringIO()
    argv = ["--n", str(N), "--runs", "1", "--results", str(folder / "results"), "--workdir", str(folder / "work")]
    with contextlib.redirect_stdout(printed):
        assert run.main([*argv, *options], chromium=browser) == 0
    (written,) = (folder / "results").iterdir()
    return json.loads(written.read_text(encoding="utf-8")), printed.getvalue()


@pytest.fixture(scope="module")
def smoke(tmp_path_factory, browser) -> tuple[dict, str]:
    """The builds and the index, measured; the browser's figures are measured on the site it keeps (below)."""
    return _bench(tmp_path_factory.mktemp("bench"), browser, "--no-browser", "--no-bundle", "--no-preview")


@pytest.fixture(scope="module")
def measured_in_browser(smoke, tmp_path_factory, browser) -> tuple[dict, str]:
    """``--browser-only`` on the site the smoke run kept: our search and Pagefind's, in Chromium."""
    written, _ = smoke
    folder = tmp_path_factory.mktemp("bench-browser")
    work = Path(written["builds_written_to"]["path"])
    argv = ["--n", str(N), "--runs", "1", "--browser-only", "--no-bundle", "--workdir", str(work)]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert run.main([*argv, "--results", str(folder)], chromium=browser) == 0
    (again,) = [json.loads(f.read_text(encoding="utf-8")) for f in folder.iterdir()]
    return again, printed.getvalue()


def _figure(smoke_run: dict, key: str) -> float:
    (measured,) = smoke_run["runs"]
    assert key in measured["figures"], f"{key} was not measured; notes: {measured['notes']}"
    figure = measured["figures"][key]
    assert figure["values"] and figure["min"] <= figure["median"] <= figure["max"]
    return figure["median"]


def _cell(printed: str, label: str) -> str:
    (row,) = [line for line in printed.splitlines() if line.startswith(f"| {label} |")]
    return row.split("|")[2].strip()


@pytest.mark.browser
def test_results_file_names_the_run_the_code_and_the_machine(smoke):
    written, _ = smoke
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert written["commit"] == head.stdout.strip()
    assert written["seed"] == 1 and written["format"] == 1
    assert written["machine"]["cores"] == os.cpu_count()
    assert written["machine"]["pelican"].startswith("4.")
    assert written["builds_written_to"]["file_system"] == run.filesystem(Path(written["builds_written_to"]["path"]))
    (measured,) = written["runs"]
    assert (measured["n"], measured["repetitions"]) == (N, 1)


@pytest.mark.browser
def test_both_builds_run_in_their_own_process_and_are_compared(smoke):
    written, printed = smoke
    assert _figure(written, "bare_s") > 0 and _figure(written, "digest_s") > 0
    assert _figure(written, "ratio") == pytest.approx(_figure(written, "digest_s") / _figure(written, "bare_s"), 1e-3)
    # Peak RSS is per child: a Python process running Pelican needs tens of MB, not zero or the sum.
    assert 20 < _figure(written, "bare_mb") < 1000
    assert 20 < _figure(written, "digest_mb") < 1000
    # All the build's processes together hold at least what its largest one holds.
    assert _figure(written, "digest_tree_mb") >= _figure(written, "digest_mb") * 0.95
    assert _figure(written, "digest_files") > N and _figure(written, "bare_files") > N
    assert _cell(printed, "digest / bare build time") == f"{_figure(written, 'ratio'):.2f}"


@pytest.mark.browser
def test_search_index_alone_is_measured(smoke):
    written, printed = smoke
    assert _figure(written, "index_gz_kb") < _figure(written, "index_raw_kb")
    per_article = _figure(written, "index_raw_kb") * 1024 / N
    assert _figure(written, "index_raw_per_article_b") == pytest.approx(per_article, 1e-3)
    assert _cell(printed, "all index files raw (KB)") == f"{_figure(written, 'index_raw_kb'):.0f}"


@pytest.mark.browser
def test_search_page_is_measured_in_chromium(smoke, measured_in_browser):
    built, _ = smoke
    written, printed = measured_in_browser
    assert _figure(written, "http_first_ms") > 0
    assert _figure(written, "http_complete_ms") >= _figure(written, "http_first_ms")
    # The index script was fetched before the first results: more than the page itself.
    assert _figure(written, "http_body_kb") > _figure(built, "index_first_kb")
    assert _figure(built, "index_first_kb") < _figure(built, "index_raw_kb")  # the text chunks come apart
    assert 0 < _figure(written, "http_wire_kb") < _figure(written, "http_body_kb")
    assert _figure(written, "engine_worst_ms") >= _figure(written, "engine_median_ms")
    assert _figure(written, "ui_worst_ms") >= _figure(written, "ui_median_ms") > 0
    assert _cell(printed, "http: time to first results (ms)") == f"{_figure(written, 'http_first_ms'):.0f}"
    (measured,) = written["runs"]
    hits = {q["query"]: q["hits"] for q in measured["per_query"]}
    assert list(hits) == run.queries_for(N, 1) and len(hits) == 20
    assert hits["journalist"] > 0
    assert hits[run.queries_for(N, 1)[-1]] >= 1, "a word found only at the very end of a body is searchable"
    assert "`journalist`" in printed and f"N = {N} (1 run)" in printed
    assert not [note for note in measured["notes"] if "error" in note]


@pytest.mark.browser
def test_pagefind_indexes_the_same_articles_and_is_measured_beside_our_search(measured_in_browser):
    written, printed = measured_in_browser
    pagefind = Path(written["builds_written_to"]["path"]) / f"n{N}" / "pagefind" / "pagefind"
    assert len(list(pagefind.glob("fragment/*.pf_fragment"))) == N  # one per article page
    assert _figure(written, "pagefind_hits") > 0
    assert _figure(written, "pagefind_complete_ms") >= _figure(written, "pagefind_first_ms") > 0
    # Pagefind fetches its WebAssembly and index from a worker: counted, so more than the wasm file alone.
    assert _figure(written, "pagefind_wire_kb") * 1024 > (pagefind / "wasm.en.pagefind").stat().st_size
    assert _figure(written, "pagefind_requests") >= 7  # page, script, worker, entry, meta, wasm, index, fragments
    assert _figure(written, "pagefind_index_kb") > 0 and _figure(written, "pagefind_s") > 0
    lines = [line.split("|")[1].strip() for line in printed.splitlines() if line.startswith("| ")]
    ours = lines.index("http: requests for the complete first page")
    assert lines[ours + 1] == "Pagefind, same articles, http: time to first results (ms)"
    assert _cell(printed, lines[ours + 1]) == f"{_figure(written, 'pagefind_first_ms'):.0f}"


@pytest.mark.browser
def test_bundle_and_browser_are_skipped_when_asked(smoke):
    written, printed = smoke
    figures = written["runs"][0]["figures"]
    assert "bundle_kb" not in figures and "file://" not in printed
    assert "http_first_ms" not in figures and "pagefind_first_ms" not in figures


@pytest.mark.browser
def test_browser_only_measures_the_kept_site_and_leaves_the_bundle_alone(smoke, measured_in_browser):
    work = Path(smoke[0]["builds_written_to"]["path"])
    again, _ = measured_in_browser
    assert _figure(again, "http_first_ms") > 0 and _figure(again, "pagefind_first_ms") > 0
    assert "digest_s" not in again["runs"][0]["figures"]  # nothing was built again
    assert "bundle_kb" not in again["runs"][0]["figures"] and not (work / f"n{N}" / "bundle").exists()


def test_a_second_run_in_the_same_minute_gets_its_own_file(tmp_path):
    from benchmarks import results

    record = {"started": "2026-01-01T10:00:00+00:00", "runs": []}
    first, second = results.write(record, tmp_path), results.write(record, tmp_path)
    assert (first.name, second.name) == ("2026-01-01T1000Z.json", "2026-01-01T1000Z-2.json")
    assert json.loads(second.read_text()) == record


@harness
@pytest.mark.browser
def test_whole_harness_measures_the_offline_bundle(tmp_path, browser):
    written, printed = _bench(tmp_path, browser)
    assert _figure(written, "bundle_kb") > 0
    assert _figure(written, "file_first_ms") > 0
    assert _figure(written, "file_complete_ms") >= _figure(written, "file_first_ms")
    assert _cell(printed, "offline bundle zip (KB)") == f"{_figure(written, 'bundle_kb'):.0f}"
    # serve --watch on the same corpus: each edit served, then shown in an open tab, and rebuilt.
    assert _figure(written, "preview_served_ms") > 0 and _figure(written, "preview_busy_ms") > 0
    assert _figure(written, "preview_shown_ms") > 0 and _figure(written, "preview_rebuild_s") > 0
    assert not [note for note in written["runs"][0]["notes"] if note.startswith("preview")]


@harness
def test_no_append_prints_the_table_and_writes_no_file(tmp_path):
    argv = ["--n", "5", "--runs", "1", "--no-browser", "--no-bundle", "--no-preview", "--no-append"]
    argv += ["--results", str(tmp_path)]
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        assert run.main(argv) == 0
    assert "| digest / bare build time |" in printed.getvalue()
    assert list(tmp_path.iterdir()) == []


def _tree_memory_of(code: str):
    """The ``TreeMemory`` of a Python process running ``code``, sampled every 20 ms until it ends."""
    from benchmarks.builds import TreeMemory

    proc = subprocess.Popen([sys.executable, "-c", code])
    memory = TreeMemory(proc.pid, interval=0.02)
    proc.wait()
    memory.stop()
    return memory


@harness
def test_tree_memory_counts_a_child_process():
    # A parent holding ~60 MB whose child holds another ~60 MB at the same time.
    code = (
        "import subprocess, sys, time; a = b'x' * (60 * 2**20); "
        "c = subprocess.Popen([sys.executable, '-c', 'import time; b = bytes(60 * 2**20) + b\\'x\\'; time.sleep(1.5)']); "
        "c.wait()"
    )
    assert _tree_memory_of(code).peak / 2**20 > 110


def test_tree_memory_counts_a_fork_once_by_its_proportional_share():
    """The build writes its other languages in a fork: PSS must count the fork's own pages, and the
    pages it shares with its parent once, where the resident-set sum leaves the fork out."""
    # A parent holding ~60 MB forks a child that shares them and makes ~60 MB of its own.
    code = (
        "import os, time; a = b'x' * (60 * 2**20)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n    b = bytes(60 * 2**20) + b'y'; time.sleep(1.5); os._exit(0)\n"
        "os.waitpid(pid, 0)"
    )
    memory = _tree_memory_of(code)
    assert 110 < memory.pss_peak / 2**20 < 160
    assert memory.peak / 2**20 < 100  # the fork is not in this sum


MOUNTS = """proc /proc proc rw 0 0
devtmpfs /dev devtmpfs rw 0 0
tmpfs /dev/shm tmpfs rw 0 0
/dev/vda / ext4 rw 0 0
/dev/vdb /mnt/my\\040disk xfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/dev/shm", "tmpfs"),  # the mount point itself
        ("/dev/shm/digest-bench-x/n5000", "tmpfs"),
        ("/dev/null", "devtmpfs"),
        ("/proceedings/x", "ext4"),  # a mount point is a whole path component
        ("/mnt/my disk/site", "xfs"),  # /proc/mounts writes a space as \040
        ("/", "ext4"),
    ],
)
def test_file_system_of_a_path_is_read_from_the_mount_table(path, kind):
    assert run.filesystem(Path(path), MOUNTS) == kind


def test_series_shows_median_and_range():
    series = run.Series([3.0, 1.0, 2.0])
    assert series.median == 2.0
    assert series.show("{:.0f}") == "2 (1–3)"
    assert run.Series().show() == "n/m"
