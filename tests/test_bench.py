"""The benchmark works end to end on a tiny corpus (N = 50, one run). No timing is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import run

pytestmark = pytest.mark.browser

N = 50


@pytest.fixture(scope="module")
def smoke(tmp_path_factory, browser) -> run.Result:
    work = tmp_path_factory.mktemp("bench")
    return run.bench_n(N, runs=1, seed=1, work=work, chromium=browser)


def _measured(result: run.Result, key: str) -> float:
    series = result.series.get(key)
    assert series and series.values, f"{key} was not measured; notes: {result.notes}"
    return series.median


def test_both_builds_run_in_their_own_process_and_are_compared(smoke):
    assert _measured(smoke, "bare_s") > 0 and _measured(smoke, "digest_s") > 0
    assert _measured(smoke, "ratio") == pytest.approx(smoke.series["digest_s"].median / smoke.series["bare_s"].median)
    # Peak RSS is per child: a Python process running Pelican needs tens of MB, not zero or the sum.
    assert 20 < _measured(smoke, "bare_mb") < 1000
    assert 20 < _measured(smoke, "digest_mb") < 1000
    # All the build's processes together hold at least what its largest one holds.
    assert _measured(smoke, "digest_tree_mb") >= _measured(smoke, "digest_mb") * 0.95
    assert _measured(smoke, "digest_files") > N and _measured(smoke, "bare_files") > N


def test_search_index_alone_is_measured(smoke):
    assert _measured(smoke, "index_gz_kb") < _measured(smoke, "index_raw_kb")
    assert _measured(smoke, "index_raw_per_article_b") == pytest.approx(smoke.series["index_raw_kb"].median * 1024 / N)


def test_search_page_is_measured_in_chromium(smoke):
    assert _measured(smoke, "http_first_ms") > 0
    assert _measured(smoke, "http_complete_ms") >= _measured(smoke, "http_first_ms")
    # The index script was fetched before the first results: more than the page itself.
    assert _measured(smoke, "http_body_kb") > _measured(smoke, "index_first_kb")
    assert _measured(smoke, "index_first_kb") < _measured(smoke, "index_raw_kb")  # the text chunks come apart
    assert 0 < _measured(smoke, "http_wire_kb") < _measured(smoke, "http_body_kb")
    assert _measured(smoke, "engine_worst_ms") >= _measured(smoke, "engine_median_ms")
    queries = dict((q, hits) for q, _, hits in smoke.per_query)
    assert len(smoke.per_query) == len(run.QUERIES) == 20
    assert queries["journalist"] > 0
    rare = run.queries_for(N, 1)[-1]
    assert queries[rare] >= 1, "a word found only at the very end of a body is searchable"


def test_offline_bundle_is_measured_or_said_to_be_missing(smoke):
    if "bundle_kb" in smoke.series:
        assert _measured(smoke, "bundle_kb") > 0
        assert _measured(smoke, "file_first_ms") > 0
        assert _measured(smoke, "file_complete_ms") >= _measured(smoke, "file_first_ms")
    else:
        assert any("bundle" in note for note in smoke.notes)


def test_report_is_appended_with_machine_details_and_history_kept(smoke, tmp_path):
    import datetime as dt

    target = tmp_path / "BENCHMARKS.md"
    text = run.report([smoke], seed=1, started=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), work=tmp_path)
    run.append_report(text, target)
    run.append_report(text, target)
    written = target.read_text(encoding="utf-8")
    assert written.count("## Results") == 2
    assert "| digest / bare build time |" in written
    assert "Pelican 4." in written and "lunr.py 0." in written and "cores" in written
    assert f"N = {N} (1 run)" in written
    assert f"builds written to {tmp_path} ({run.filesystem(tmp_path)})" in written


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


def test_tree_memory_counts_a_child_process(tmp_path):
    import subprocess
    import sys

    from benchmarks.builds import TreeMemory

    # A parent holding ~60 MB whose child holds another ~60 MB at the same time.
    code = (
        "import subprocess, sys, time; a = b'x' * (60 * 2**20); "
        "c = subprocess.Popen([sys.executable, '-c', 'import time; b = bytes(60 * 2**20) + b\\'x\\'; time.sleep(1.5)']); "
        "c.wait()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    memory = TreeMemory(proc.pid, interval=0.02)
    proc.wait()
    assert memory.stop() > 110
