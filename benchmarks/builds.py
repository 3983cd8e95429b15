"""Time the full digest build and a bare Pelican build of the same corpus, each in a fresh process.

Each build runs in its own child process (``python -m benchmarks.builds KIND CONTENT OUTPUT``)
and the parent reaps it with ``os.wait4``, whose rusage is that one child's: its peak resident
memory is per build, not the running maximum that ``RUSAGE_CHILDREN`` would give across builds.

Bare Pelican cannot read our YAML front matter, so it builds a copy of the corpus written in
Pelican's native Markdown metadata (``benchmarks.corpus.generate_bare``), with Pelican's
``simple`` theme, no plugins, feeds off, and the same pagination as the digest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from digest import REPO_ROOT


@dataclass
class BuildRun:
    kind: str
    seconds: float  # wall time of the child process, interpreter start-up included
    inner_seconds: float  # time inside the child from the start of the build to its end
    peak_mb: float  # the largest peak resident set size of the child or of a child it reaped
    tree_peak_mb: float  # the largest sum of resident sets of the child and all its descendants (sampled)
    tree_pss_mb: float  # the largest sum of proportional set sizes of the same, forks included (sampled)
    cpu_seconds: float  # user + system CPU time of the child: steadier than wall time on a busy machine
    files: int
    returncode: int
    stderr: str = ""
    extra: dict = field(default_factory=dict)  # the bundle's zip path and size


def bare_settings(content: Path, output: Path) -> dict:
    """Pelican's defaults with the simple theme, no plugins, no feeds."""
    import pelican
    from pelican.settings import read_settings

    theme = Path(pelican.__file__).parent / "themes" / "simple"
    return read_settings(
        None,
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(theme),
            "PLUGINS": [],
            "TIMEZONE": "UTC",
            "SITENAME": "Bare Pelican",
            "DEFAULT_PAGINATION": 20,
            "RELATIVE_URLS": True,
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "TRANSLATION_FEED_ATOM": None,
            "AUTHOR_FEED_ATOM": None,
            "AUTHOR_FEED_RSS": None,
            "FEED_DOMAIN": None,
            "DELETE_OUTPUT_DIRECTORY": False,
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
        },
    )


def _child(kind: str, content: Path, output: Path) -> None:
    """Run one build in this process and print a JSON line with its inner time and file count."""
    import logging

    logging.basicConfig(level=logging.ERROR)
    started = time.perf_counter()
    extra: dict = {}
    if kind == "bare":
        from pelican import Pelican

        Pelican(bare_settings(content, output)).run()
    elif kind == "digest":
        from digest.build import build_site

        build_site(REPO_ROOT / "pelicanconf.py", output, {"PATH": str(content)})
    elif kind == "bundle":
        import datetime as dt

        from digest.bundle import make_bundle

        result = make_bundle(
            REPO_ROOT / "pelicanconf.py",
            output / "site",
            output / "dist",
            date=dt.date(2025, 12, 31),
            extra_overrides={"PATH": str(content)},
            force=True,
        )
        extra = {"zip": str(result.zip_path), "zip_bytes": result.zip_bytes, "problems": result.problems[:5]}
    else:
        raise SystemExit(f"unknown build kind {kind!r}")
    seconds = time.perf_counter() - started
    print(json.dumps({"inner_seconds": seconds, **extra}))


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc (Linux)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue  # it ended meanwhile
    return out


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def _sampled(pid: int, tree: list[int] | None = None) -> dict[int, bytes]:
    """``pid`` and its descendants with their command lines, leaving out any child between fork and
    exec: it still shows the parent's command line and reports the parent's pages as its own, so
    summing it would count the build twice (seen at N = 2,000 under load: 86 MB counted twice).
    ``tree``: the processes ``_descendants(pid)`` already found, so that /proc is not walked again."""
    root = _cmdline(pid)
    found = {p: _cmdline(p) for p in (_descendants(pid) if tree is None else tree)}
    return {p: line for p, line in found.items() if line and (p == pid or line != root)}


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeMemory:
    """Samples the summed memory of a process and its descendants every ``interval`` s.

    ``wait4`` gives the peak of each process alone; a build whose helpers (the search index worker,
    the duplicate check) run beside it holds their memory at the same time, and that sum is what a
    machine must have. Sampling can miss a short spike, so each peak is a lower bound of the true one.

    Two sums are kept. ``peak`` adds resident sets and leaves out a fork that has not called exec
    (``_sampled``), which would count the parent's pages twice. ``pss_peak`` adds proportional set
    sizes (a page shared by k processes counts 1/k in each), so it counts every process, forks
    included, and each page once: the memory the tree really holds. The build writes its other
    languages in a long-lived fork (``digest.fork``), which only this one sees. It is sampled twenty
    times less often, and only near the tree's highest resident memory: reading it is a walk of each
    process's page tables, on the cores the build runs on, and it slowed a build it measured.
    """

    PSS_EVERY = 20  # samples: the kernel walks a process's page tables for its PSS (18 ms at 400 MB)
    PSS_NEAR = 0.9  # of the highest resident-memory sum so far: below it, no new PSS peak is near

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.peak = self.pss_peak = 0
        self._pid, self._interval = pid, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        samples = highest = 0
        while not self._stop.is_set():
            tree = _descendants(self._pid)
            rss = {p: _rss_bytes(p) for p in tree}
            self.peak = max(self.peak, sum(rss[p] for p in _sampled(self._pid, tree)))
            total = sum(rss.values())
            highest = max(highest, total)
            # Every PSS_EVERY-th sample only, and only when it could be a new peak: a PSS is at most its
            # RSS, and the tree's memory is near its highest.
            if samples % self.PSS_EVERY == 0 and total > self.pss_peak and total >= self.PSS_NEAR * highest:
                self.pss_peak = max(self.pss_peak, sum(_pss_bytes(p) for p in tree))
            samples += 1
            self._stop.wait(self._interval)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def run_build(kind: str, content: Path, output: Path, timeout: float | None = None) -> BuildRun:
    """Build in a fresh child process; measure its wall time and its own peak memory.

    A child still running after ``timeout`` seconds is killed and reported with ``timed_out``.
    """
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    cmd = [sys.executable, "-m", "benchmarks.builds", kind, str(content), str(output)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    if timer:
        timer.start()
    memory = TreeMemory(proc.pid)
    # Read the pipes before reaping so a chatty child cannot block on a full pipe.
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    tree_peak_mb = memory.stop()  # the pipes closed: the child has finished its work
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    timed_out = bool(timer and not timer.is_alive() and timer.finished.is_set() and seconds >= timeout)
    if timer:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    info = {"inner_seconds": float("nan")}
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            info = json.loads(line)
            break
    return BuildRun(
        kind=kind,
        seconds=seconds,
        inner_seconds=info["inner_seconds"],
        peak_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
        tree_peak_mb=max(tree_peak_mb, usage.ru_maxrss / 1024),
        tree_pss_mb=memory.pss_peak / 2**20,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        # Counted here, once the clock has stopped: walking 20,000 files is not part of a build.
        files=sum(1 for p in output.rglob("*") if p.is_file()),
        returncode=proc.returncode,
        stderr=(stderr[-2000:] if proc.returncode else "")
        + (f"\ntimed out after {timeout:.0f} s" if timed_out else ""),
        extra={k: v for k, v in info.items() if k != "inner_seconds"},
    )


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
