"""What holds the memory of a build: each process's own peak, and what the tree holds at its peak.

``python -m benchmarks.memory --n 10000`` writes the seeded corpus (``benchmarks.corpus``), builds it
in a child process as the benchmark does, and samples every 50 ms the resident memory of the build
and of each helper it starts (``digest.child`` names the function it runs on its command line). It
prints each process's peak and the processes that made up the largest sum, with bare Pelican's peak
on the same articles beside them. ``--tracemalloc`` builds once more with Python's allocation
tracing in the build process and prints, at each stage of the build, the lines of code holding the
most memory (tracing slows the build several times; its times mean nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import corpus
from benchmarks.builds import TreeMemory, _rss_bytes, _sampled
from digest import REPO_ROOT

STAGES = ("article_generator_finalized", "all_generators_finalized", "finalized")


def _label(cmdline: bytes) -> str:
    argv = cmdline.decode(errors="replace").split("\0")
    if "digest.child" in argv[:-1]:
        return f"helper {argv[argv.index('digest.child') + 1]}"
    if "benchmarks.builds" in argv or "benchmarks.memory" in argv:
        return "build"
    # Another program the build runs (node, when the map's shapes are not cached yet).
    return " ".join(Path(arg).name for arg in argv[:2] if arg)


class ProcessMemory(TreeMemory):
    """Per-process peak RSS of a process tree, and the tree's largest sum with what made it up."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.peaks: dict[int, tuple[str, int]] = {}
        self.tree_peak: dict[int, tuple[str, int]] = {}
        super().__init__(pid, interval)  # starts sampling

    def _run(self) -> None:
        while not self._stop.is_set():
            now = {pid: (_label(line), _rss_bytes(pid)) for pid, line in _sampled(self._pid).items()}
            for pid, (label, rss) in now.items():
                if rss > self.peaks.get(pid, ("", 0))[1]:
                    self.peaks[pid] = (label, rss)
            if sum(r for _, r in now.values()) > sum(r for _, r in self.tree_peak.values()):
                self.tree_peak = now
            self._stop.wait(self._interval)


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def build(kind: str, content: Path, output: Path, tracemalloc: bool = False) -> tuple[ProcessMemory, str]:
    """One build in a child process (``benchmarks.builds``, or the tracing child below)."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    module = ["-m", "benchmarks.memory", "--trace", str(content), str(output)] if tracemalloc else None
    cmd = [sys.executable, *(module or ["-m", "benchmarks.builds", kind, str(content), str(output)])]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = ProcessMemory(proc.pid)
    out = proc.stdout.read()
    memory.stop()
    if proc.wait() != 0:
        raise RuntimeError(f"{kind} build failed: {out[-2000:]}")
    return memory, out


def _trace(content: Path, output: Path) -> None:
    """In the child: build with tracemalloc on; at each stage print the lines holding the most memory."""
    import tracemalloc

    from pelican import signals

    from digest.build import build_site

    tracemalloc.start(1)

    def report(stage: str):
        def receiver(*_args, **_kwargs) -> None:
            snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
            current, peak = tracemalloc.get_traced_memory()
            top = [
                {"where": f"{s.traceback[0].filename}:{s.traceback[0].lineno}", "mb": round(s.size / 2**20, 1)}
                for s in snapshot.statistics("lineno")[:15]
            ]
            print(
                json.dumps(
                    {"stage": stage, "traced_mb": round(current / 2**20), "peak_mb": round(peak / 2**20), "top": top}
                )
            )

        return receiver

    receivers = [report(stage) for stage in STAGES]
    for stage, receiver in zip(STAGES, receivers, strict=True):
        getattr(signals, stage).connect(receiver)
    build_site(REPO_ROOT / "pelicanconf.py", output, {"PATH": str(content)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=None, help="keep the corpus and builds here")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the build's Python allocations")
    parser.add_argument("--no-bare", action="store_true", help="leave out bare Pelican's build (measured before)")
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="digest-memory-"))
    content, bare = work / "content", work / "bare"
    if not (content / "articles").is_dir():
        corpus.generate(args.n, content / "articles", args.seed)
        corpus.generate_bare(args.n, bare, args.seed)
    print(f"N = {args.n:,}: peak resident memory of each process (sampled every 50 ms)")
    for kind, source in (("bare", bare), ("digest", content))[1 if args.no_bare else 0 :]:
        started = time.perf_counter()
        memory, _ = build(kind, source, work / f"out-{kind}")
        seconds = time.perf_counter() - started
        print(
            f"- {kind} build, {seconds:.0f} s: whole tree at its peak {_mb(sum(r for _, r in memory.tree_peak.values()))}"
        )
        for label, rss in sorted(memory.tree_peak.values(), key=lambda x: -x[1]):
            print(f"  - at that moment, {label}: {_mb(rss)}")
        for pid, (label, rss) in sorted(memory.peaks.items()):
            print(f"  - {label} (pid {pid}), its own peak: {_mb(rss)}")
    if args.tracemalloc:
        _, out = build("digest", content, work / "out-traced", tracemalloc=True)
        for line in out.splitlines():
            if line.startswith("{"):
                stage = json.loads(line)
                print(
                    f"- traced build process at {stage['stage']}: {stage['traced_mb']} MB traced, peak so far {stage['peak_mb']} MB"
                )
                for row in stage["top"]:
                    print(f"  - {row['mb']} MB {row['where']}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--trace"]:
        _trace(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(main())
