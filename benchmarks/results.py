"""Each benchmark run kept as one JSON file in ``benchmarks/results/``: its raw figures, machine and code.

BENCHMARKS.md explains and judges the figures in prose; these files keep every run in full and in a form
a program can read, so two runs can be compared, or a table redrawn, without parsing Markdown. A file
holds one run of ``invoke bench`` (one or more N). Each figure keeps every value measured (one per
repetition) with their median, min and max; the key's suffix gives the unit (``_s``, ``_ms``, ``_kb``,
``_mb``, ``_b``). Runs converted from tables written before these files existed hold only what the
tables showed (median, min, max) and say so in ``source``.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
from pathlib import Path

from digest import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
FORMAT = 1


def code_version(repo: Path = REPO_ROOT) -> dict:
    """The commit measured, and whether the work tree had uncommitted changes to tracked files."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD")
    changes = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "uncommitted_changes": bool(changes) if changes is not None else None}


def figure(label: str, values: list[float]) -> dict:
    """One metric over the repetitions of a run."""
    rounded = [round(v, 3) for v in values]
    return {
        "label": label,
        "values": rounded,
        "median": round(statistics.median(rounded), 3),
        "min": min(rounded),
        "max": max(rounded),
    }


def file_name(started: dt.datetime) -> str:
    return started.strftime("%Y-%m-%dT%H%MZ") + ".json"


def write(record: dict, folder: Path = RESULTS_DIR) -> Path:
    """Write ``record`` as a new file named after its start time; an existing file is never replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.fromisoformat(record["started"])
    path = folder / file_name(started)
    suffix = 2
    while path.exists():
        path = folder / file_name(started).replace(".json", f"-{suffix}.json")
        suffix += 1
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return path
