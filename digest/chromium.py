"""How this project launches a browser: Debian's Chromium, headless, never phoning home.

Playwright's own browser download does not work on these machines, so every browser user passes
``executable_path``: the benchmark ``CHROMIUM``, the browser readers run (its headless mode is the
whole browser without a window), and the tests ``TEST_CHROMIUM``, Debian's chromium-headless-shell
when it is installed. The shell is the same Blink and V8 without the browser's own interface, and
drives the suite's pages with about a third less CPU (BENCHMARKS.md, "The test suite"). Without the
background-networking flags Chromium keeps trying to reach hosts it cannot reach (see
shared/notes/field-notes.md).
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
# CHROMIUM set in the environment is used everywhere; else the shell, if it is there.
TEST_CHROMIUM = os.environ.get("CHROMIUM") or (HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else CHROMIUM)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
