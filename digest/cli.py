"""Command-line entry points behind the invoke tasks that are not a module's own ``main``."""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import sys
from pathlib import Path

from digest.problems import ContentError


def run_build(settings_file: Path, output: Path, overrides: dict | None = None, debug: bool = False) -> int:
    """Build the site; on failure print one line per problem and keep the old output."""
    from digest.build import BuildError, build_site

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        result = build_site(settings_file, output, overrides)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"Build stopped: {len(exc.problems)} problem(s) in content/; output/ was not changed.", file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"Build failed; output/ was not changed. {exc}", file=sys.stderr)
        return 1
    print(f"Built {result.files} files into {result.output} in {result.seconds:.1f} s.")
    return 0


def run_serve(output: Path, port: int) -> int:
    if not (output / "index.html").exists():
        print(f"{output}/index.html does not exist: run `invoke build` first.", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving {output} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
