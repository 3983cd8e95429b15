"""How this project launches a browser: Debian's Chromium, headless, never phoning home.

Playwright's own browser download does not work on these machines, so every browser user (the
tests, the benchmark) passes ``executable_path=CHROMIUM``. Without the background-networking
flags Chromium keeps trying to reach hosts it cannot reach (see shared/notes/field-notes.md).
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
