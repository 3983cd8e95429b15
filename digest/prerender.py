"""Render article bodies in a helper process while the build reads the same articles.

Markdown is the largest cost of reading a big site (about 3.5 s at 5,000 articles), and it runs
in Pelican's reading loop, one article after another, on one core. ``BackgroundRender`` gives
the second core part of that work: the helper renders bodies from the *end* of the order in
which the build is expected to read them, the build renders from the start, and they meet
somewhere in the middle.

Who renders an article is settled by one byte per article in a small shared file (``FREE``,
``BY_BUILD``, ``BY_HELPER``): each side claims an article before rendering it and skips the
ones the other side claimed. A race on one byte (both read ``FREE`` at once) only means the
article is rendered twice; the build then keeps its own. The expected order only decides how
well the work splits, never what is rendered: every body is rendered by ``render_markdown``,
here or there, from the same text.

A plain child process, for the reasons given in ``digest.search.worker``. If it fails, the build
renders what is left itself; nothing is lost.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence

from digest import REPO_ROOT
from digest.render import render_markdown

FREE, BY_BUILD, BY_HELPER = 0, 1, 2
_FRAME = struct.Struct("<II")  # article index, length of the HTML in bytes
_WAIT_SECONDS = 30.0  # for one article the helper has claimed; far above the milliseconds it takes
_MAX_HTML_BYTES = 64 * 1024 * 1024  # no article body renders to more: a larger frame is garbage


class BackgroundRender:
    """Bodies rendered by a helper process; ``take(key)`` once per article, then ``close()``."""

    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        """``items``: (key, Markdown body) in the order the build is expected to read them."""
        self._index = {key: i for i, (key, _) in enumerate(items)}
        self.total = len(items)
        self.handed_over = 0  # bodies ``take`` returned: rendered by the helper, not the build
        self._seen: set[int] = set()  # indexes the helper has answered, each at most once
        self._html: dict[int, str] = {}
        self._ready = threading.Condition()
        self._helper_done = False
        fd, self._flags_path = tempfile.mkstemp(prefix="digest-render-", suffix=".flags")
        with os.fdopen(fd, "wb") as f:
            f.write(bytes(max(len(items), 1)))
        with open(self._flags_path, "r+b") as f:
            self._flags = mmap.mmap(f.fileno(), 0)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "digest.prerender", self._flags_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=REPO_ROOT,  # ``-m digest.prerender`` imports this checkout's package
        )
        bodies = pickle.dumps([body for _, body in items], protocol=pickle.HIGHEST_PROTOCOL)
        self._threads = [
            threading.Thread(target=self._feed, args=(bodies,), daemon=True),
            threading.Thread(target=self._collect, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _feed(self, data: bytes) -> None:
        with contextlib.suppress(BrokenPipeError, OSError, ValueError):  # the helper died or was stopped
            self._proc.stdin.write(data)
            self._proc.stdin.close()

    def _collect(self) -> None:
        """Read the helper's answers as they come; wake ``take`` for each."""
        stream = self._proc.stdout
        try:
            while header := stream.read(_FRAME.size):
                if len(header) < _FRAME.size:
                    break
                index, size = _FRAME.unpack(header)
                if index >= self.total or index in self._seen or size > _MAX_HTML_BYTES:
                    break  # out of step: trust nothing more from this helper; the build renders the rest
                self._seen.add(index)
                html = stream.read(size)
                if len(html) < size:
                    break
                with self._ready:
                    self._html[index] = html.decode("utf-8")
                    self._ready.notify_all()
        except (OSError, ValueError):
            pass  # closed by close(), or the helper died
        finally:
            with self._ready:
                self._helper_done = True
                self._ready.notify_all()

    def take(self, key: str) -> str | None:
        """The rendered body of ``key`` if the helper has it; None means: render it yourself."""
        i = self._index.pop(key, None)
        if i is None or self._flags.closed:
            return None
        if self._flags[i] == FREE:
            self._flags[i] = BY_BUILD
            with self._ready:  # the helper may have claimed it at the same moment and be done already
                html = self._html.pop(i, None)
        else:
            with self._ready:
                self._ready.wait_for(lambda: i in self._html or self._helper_done, timeout=_WAIT_SECONDS)
                html = self._html.pop(i, None)
        self.handed_over += html is not None
        return html

    def close(self) -> None:
        """Stop the helper (its remaining work is the build's) and remove the shared file."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        for thread in self._threads:
            thread.join(timeout=5)
        with contextlib.suppress(BufferError, ValueError):
            self._flags.close()
        with contextlib.suppress(OSError):
            os.unlink(self._flags_path)


def _helper(flags_path: str) -> None:
    """Render from the last article backwards, claiming each one the build has not taken."""
    bodies = pickle.load(sys.stdin.buffer)
    # The answers get the real stdout to themselves; anything else printed goes to stderr (discarded),
    # so a stray print in a library cannot put the frames out of step.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with open(flags_path, "r+b") as f:
        flags = mmap.mmap(f.fileno(), 0)
    for i in range(len(bodies) - 1, -1, -1):
        if flags[i] != FREE:
            continue
        flags[i] = BY_HELPER
        html = render_markdown(bodies[i]).encode("utf-8")
        out.write(_FRAME.pack(i, len(html)))
        out.write(html)
        out.flush()


if __name__ == "__main__":
    _helper(sys.argv[1])
