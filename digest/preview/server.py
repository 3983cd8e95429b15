"""The preview's web server: the built site, pages rendered ahead of the next build, and reloads.

It serves the output folder as it is on disk, except where the session has put newer bytes in
front of it (``show``): the page of an article just edited, rendered before the full rebuild has
finished. Every HTML page it sends gets one ``<script>`` tag before ``</body>``, for
``reload.js``, which lives beside this module and not in the theme: the script is added here, at
serving time, so no build (``publish``, ``bundle``) can ever contain it.

The tag carries the version of the page it was added to (a hash of the page's bytes). The script
opens an event stream with that version; the server answers "reload" as soon as the page's
current bytes have another version, and on every ``changed()`` it looks again. So a tab reloads
when, and only when, its own page changed, whichever build or early render changed it.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import http.server
import json
import mimetypes
import posixpath
import threading
import urllib.parse
from pathlib import Path

PREFIX = "/_preview/"  # the server's own addresses; no page of the site lives there
SCRIPT_URL = f"{PREFIX}reload.js"
EVENTS_URL = f"{PREFIX}events"
SCRIPT_FILE = Path(__file__).with_name("reload.js")
PROBLEMS_TITLE = "The preview is out of date: fix these problems and save again"
KEEPALIVE_SECONDS = 15.0
MISSING = "missing"  # the version of a page that does not exist (yet)


def version_of(data: bytes | None) -> str:
    return MISSING if data is None else hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]


def with_reload_script(page: bytes, version: str) -> bytes:
    """``page`` with the reload script's tag before its last ``</body>`` (or at its end)."""
    tag = (
        f'<script src="{SCRIPT_URL}" data-events="{EVENTS_URL}" data-version="{html.escape(version)}" '
        f'data-problems-title="{html.escape(PROBLEMS_TITLE)}" defer></script>\n'
    ).encode()
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves ``root`` on 127.0.0.1, with pages shown ahead of the build and live reloads."""

    daemon_threads = True

    def __init__(self, root: Path, port: int) -> None:
        self.root = Path(root)
        self._shown: dict[str, tuple[int, bytes]] = {}  # output-relative path -> (generation, bytes)
        self._problems: list[str] = []
        self._changes = 0
        self._closing = False
        self._condition = threading.Condition()
        super().__init__(("127.0.0.1", port), PreviewHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    # --- what the session tells the server --------------------------------------------------------

    def show(self, files: dict[str, bytes], generation: int) -> None:
        """Serve these bytes at these output-relative paths until a build newer than ``generation`` lands."""
        with self._condition:
            for path, data in files.items():
                self._shown[path] = (generation, data)

    def built(self, generation: int) -> None:
        """A full build that saw every change up to ``generation`` is now in the output folder."""
        with self._condition:
            self._shown = {path: entry for path, entry in self._shown.items() if entry[0] > generation}

    def set_problems(self, lines: list[str]) -> None:
        with self._condition:
            self._problems = list(lines)

    def changed(self) -> None:
        """Wake every open page: each looks whether its own page or the problems changed."""
        with self._condition:
            self._changes += 1
            self._condition.notify_all()

    def server_close(self) -> None:
        with self._condition:
            self._closing = True
            self._condition.notify_all()
        super().server_close()

    # --- what the handlers ask ---------------------------------------------------------------------

    def current(self, path: str) -> bytes | None:
        """The bytes served at ``path`` (output-relative): shown ahead of the build, else the file."""
        with self._condition:
            entry = self._shown.get(path)
        if entry is not None:
            return entry[1]
        try:
            return (self.root / path).read_bytes()
        except (IsADirectoryError, FileNotFoundError, NotADirectoryError):
            return None

    def wait_for_change(self, seen: int, timeout: float) -> tuple[int, list[str], bool]:
        """Block until ``changed()`` was called after ``seen`` (or ``timeout``); the change count,
        the problems and whether the server is closing."""
        with self._condition:
            self._condition.wait_for(lambda: self._changes != seen or self._closing, timeout)
            return self._changes, list(self._problems), self._closing


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args) -> None:
        if not self.path.startswith(PREFIX):
            super().log_message(format, *args)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def do_GET(self) -> None:
        self._respond(body=True)

    def _respond(self, body: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == SCRIPT_URL:
            self._send(200, "text/javascript; charset=utf-8", SCRIPT_FILE.read_bytes(), body)
        elif url.path == EVENTS_URL:
            self._events(urllib.parse.parse_qs(url.query))
        else:
            self._page(url.path, body)

    def output_path(self, url_path: str) -> str | None:
        """The output-relative file for a URL path (``a/`` is ``a/index.html``), confined to the root."""
        parts = [p for p in posixpath.normpath(urllib.parse.unquote(url_path)).split("/") if p not in ("", ".")]
        if ".." in parts:
            return None
        path = "/".join(parts)
        if url_path.endswith("/") or not parts:
            path = posixpath.join(path, "index.html") if path else "index.html"
        return path

    def _page(self, url_path: str, body: bool) -> None:
        path = self.output_path(url_path)
        if path is None:
            self.send_error(404)
            return
        data = self.server.current(path)
        if data is None and (self.server.root / path).is_dir():
            self.send_response(301)  # as a static host does: the folder's address ends in /
            self.send_header("Location", url_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if data is None:  # the site's own 404 page, which reloads once the page exists
            status, version, data = 404, version_of(None), self.server.current("404.html") or b"<h1>404</h1>"
            kind = "text/html"
        else:
            version = version_of(data)
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind == "text/html":
            data = with_reload_script(data, version)
            kind = "text/html; charset=utf-8"
        self._send(status, kind, data, body)

    def _send(self, status: int, kind: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a preview is always the newest build
        self.end_headers()
        if body:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

    def _events(self, query: dict[str, list[str]]) -> None:
        """A server-sent event stream for one open page: "reload" once its page has another version."""
        path = self.output_path(query.get("path", ["/"])[0])
        version = query.get("version", [""])[0]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen, shown = -1, None
        try:
            while True:
                seen, problems, closing = self.server.wait_for_change(seen, KEEPALIVE_SECONDS)
                if closing:
                    return
                if path is not None and version_of(self.server.current(path)) != version:
                    self.wfile.write(b"event: reload\ndata: \n\n")
                    self.wfile.flush()
                    return
                if problems != shown:
                    shown = problems
                    self.wfile.write(f"event: problems\ndata: {json.dumps(problems)}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")  # finds a closed tab, so its thread ends
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
