"""Build the search index in a separate process, while the build goes on writing pages.

Indexing is pure Python (lunr.py) and needs nothing from the pages, so on a machine with a
second core it need not add to the build's time at all. ``start(records)`` launches
``python -m digest.search.worker``, feeds it the pickled records on stdin and returns at once;
``BackgroundIndex.result()`` waits for the files and their sizes.

A plain child process rather than ``multiprocessing``: ``spawn`` and ``forkserver`` re-import the
caller's ``__main__`` (a script that builds a site would build it twice) and ``fork`` copies the
whole build's memory into the child.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from digest import REPO_ROOT
from digest.search.index import SNIPPET_CHARS, SearchRecord, build_index
from digest.search.text import html_to_text


class IndexWorkerError(Exception):
    """The index worker failed; carries the worker's last words."""


@dataclass
class IndexFiles:
    """What the build needs from a finished index: the files and their sizes, never the lunr objects."""

    files: dict[str, str]
    raw: int  # every file
    gzip: int
    first: int  # the index script alone: what the page loads before its first results
    first_gzip: int
    record_count: int
    seconds: float  # inside the worker


def build_files(
    records: Sequence[SearchRecord], snippet_chars: int = SNIPPET_CHARS, *, html_bodies: bool = False
) -> IndexFiles:
    """Build the index and measure it (the sizes are for the build log).

    With ``html_bodies`` each record's body is rendered HTML, turned into text here: in the
    worker, that work leaves the build's own process too.
    """
    started = time.perf_counter()
    if html_bodies:
        records = [replace(r, body=html_to_text(r.body)) for r in records]
    index = build_index(records, snippet_chars, searchable=False)
    return IndexFiles(
        files=index.files(), **index.sizes(), record_count=index.record_count, seconds=time.perf_counter() - started
    )


class BackgroundIndex:
    """A running index worker. ``result()`` once; ``cancel()`` if the build stops first."""

    def __init__(
        self, records: Sequence[SearchRecord], snippet_chars: int = SNIPPET_CHARS, *, html_bodies: bool = False
    ) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by result()/cancel(); a file, not a pipe: a chatty worker can never block
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "digest.search.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        data = pickle.dumps((list(records), snippet_chars, html_bodies), protocol=pickle.HIGHEST_PROTOCOL)
        # Feeding a big pipe would wait for the worker's imports: a thread lets the build go on.
        self._feeder = threading.Thread(target=self._feed, args=(data,), daemon=True)
        self._feeder.start()

    def _feed(self, data: bytes) -> None:
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the worker died or was cancelled; result() reports it

    def result(self) -> IndexFiles:
        out = self._proc.stdout.read()
        self._proc.stdout.close()
        code = self._proc.wait()
        self._feeder.join()
        self._stderr.seek(0)
        errors = self._stderr.read().decode("utf-8", "replace").strip()
        self._stderr.close()
        if code != 0 or not out:
            last = errors.splitlines()[-1] if errors else f"exit status {code}"
            raise IndexWorkerError(f"the search index worker failed: {last}")
        return IndexFiles(**pickle.loads(out))

    def cancel(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for stream in (self._proc.stdout, self._stderr):
            stream.close()


def main() -> None:
    records, snippet_chars, html_bodies = pickle.load(sys.stdin.buffer)
    result = build_files(records, snippet_chars, html_bodies=html_bodies)
    # A plain dict: this module runs as __main__ here, so its classes would not unpickle in the build.
    sys.stdout.buffer.write(pickle.dumps(vars(result), protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
