"""A static file server for the benchmark that compresses text with gzip, as any real host does.

The search targets are about bytes on the wire, and every static host (GitHub Pages, Netlify,
nginx with ``gzip on``) sends HTML, JavaScript, CSS and JSON gzip-compressed. Python's
``http.server`` does not, so this handler gzips text responses (level 6, cached per file) when
the browser accepts it. It speaks HTTP/1.1 with keep-alive, as those hosts do (HTTP/1.0,
``http.server``'s default, opens a connection per file, which costs a page of many small files more
than one of a few big ones), and sends each response at once, without Nagle's delay
(``disable_nagle_algorithm``). It runs in its own process (``python -m benchmarks.server DIR``) so the
server never competes with the measuring process for the GIL.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import sys
from pathlib import Path
from typing import ClassVar

TEXT_TYPES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".map", ".webmanifest")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response has a Content-Length
    # TCP_NODELAY, as nginx's tcp_nodelay and every real host: the handler writes the headers and the
    # body in two sends, and on a kept-alive connection Nagle's algorithm holds the body back until
    # the browser acknowledges the headers, which it delays by up to 40 ms, on every response.
    disable_nagle_algorithm = True
    cache: ClassVar[dict[tuple[str, float], bytes]] = {}

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # same contract as SimpleHTTPRequestHandler.send_head
        target = Path(self.translate_path(self.path))
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        if target.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # its redirect to the folder URL
            target = target / "index.html"
        path = target
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in TEXT_TYPES or not path.is_file():
            return super().send_head()
        key = (str(path), path.stat().st_mtime)
        body = self.cache.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)


def main(directory: str, port: int = 0) -> None:
    handler = functools.partial(GzipHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
