"""The build, publish and serve commands (``python -m digest build|publish|serve``).

Every failure reaches the user as one line per problem: what went wrong, where (file and line
when there is one) and what to do. Tracebacks are for ``--debug`` only.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import logging
import re
import signal
import sys
import sysconfig
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from digest import REPO_ROOT
from digest.build import BuildError
from digest.problems import ContentError, display_path

DEBUG_HINT = "run again with --debug for the traceback"
# Pelican warnings that every local build would print and that ask nothing of the user:
# pelicanconf.py has no SITEURL on purpose (its feeds use LOCAL_SITEURL, digest/feeds.py); publishconf.py sets it.
QUIET_WARNINGS = ("Feeds generated without SITEURL",)
STAGING_PATH = re.compile(r"\.([^/\s]+)\.building-[A-Za-z0-9_]+")


class OneLineFormatter(logging.Formatter):
    """``level: message`` on one line, without the traceback a logger.exception() attaches."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__("%(levelname)s: %(message)s")
        self.debug = debug

    def format(self, record: logging.LogRecord) -> str:
        if self.debug:
            return super().format(record)
        message = " ".join(record.getMessage().split())
        # Paths inside the staging folder are gone after the swap: show where the files ended up.
        message = STAGING_PATH.sub(r"\1", message)
        return f"{record.levelname.lower()}: {message}"


@contextlib.contextmanager
def console_logging(debug: bool = False) -> Iterator[None]:
    """Warnings (and in debug mode, everything Pelican says) on stderr, one line each."""
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(debug))
    # Errors Pelican logs are collected by digest.build and reported once, below, as BuildError.
    if not debug:
        handler.addFilter(lambda record: record.levelno < logging.ERROR)
        handler.addFilter(lambda record: not str(record.msg).startswith(QUIET_WARNINGS))
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO if debug else logging.WARNING)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """A SIGTERM unwinds like Ctrl-C, so the build's cleanup runs and the old output stays."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# Frames of the build's own driver: an exception that passes through them was raised elsewhere.
_DRIVERS = (str(Path(__file__).with_name("build.py")), str(Path(__file__)))


def where(exc: BaseException) -> str | None:
    """``file:line`` of the innermost frame in code the project can fix (a plugin, a template, a
    digest module); else the innermost library frame, named relative to its library folder."""
    template = _template_location(exc)
    if template:
        return template
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return None
    libraries = sorted(
        {sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}, key=len, reverse=True
    )
    ours = [f for f in frames if not f.filename.startswith((*libraries, "<", *_DRIVERS))]
    if ours:
        return f"{display_path(ours[-1].filename)}:{ours[-1].lineno}"
    frame = frames[-1]
    for folder in libraries:
        if frame.filename.startswith(folder + "/"):
            return f"{frame.filename[len(folder) + 1 :]}:{frame.lineno} (library code)"
    return f"{display_path(frame.filename)}:{frame.lineno}"


def _template_location(exc: BaseException) -> str | None:
    """Jinja errors carry the template's own file and line; a runtime error in a template shows
    as a traceback frame whose file is the .html template."""
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if filename and lineno and str(filename).endswith((".html", ".xml", ".j2")):
        return f"{display_path(filename)}:{lineno}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".j2")):
            return f"{display_path(frame.filename)}:{frame.lineno}"
    return None


def describe(exc: BaseException) -> str:
    """One line: where, what; for unexpected exceptions (bugs), both."""
    if isinstance(exc, OSError) and exc.strerror:
        name = f"{exc.filename}: " if exc.filename else ""
        return f"{name}{exc.strerror}"
    message = " ".join(str(exc).split()) or "(no message)"
    location = where(exc)
    kind = type(exc).__name__
    return f"{location}: {kind}: {message}" if location else f"{kind}: {message}"


@dataclass
class Failure:
    """Why a build failed, as a person reads it: one line per problem, then what happened to the output."""

    problems: list[str]
    summary: str
    code: int


def build_failure(exc: BaseException, kept: str) -> Failure:
    """``kept`` says what became of the output (``output/ was not changed``)."""
    if isinstance(exc, ContentError):
        return Failure(
            [str(p) for p in exc.problems],
            f"Build stopped: {len(exc.problems)} problem(s) in the content; {kept}. "
            "Fix them (`invoke check` lists them again) and build again.",
            1,
        )
    if isinstance(exc, BuildError):
        return Failure(
            [f"error: {m}" for m in exc.messages], f"Build failed; {kept}. Fix the error(s) above; {DEBUG_HINT}.", 1
        )
    if isinstance(exc, KeyboardInterrupt):
        return Failure([], f"Build interrupted; {kept}.", 130)
    if isinstance(exc, SystemExit):  # a plugin called sys.exit(): still a failed build, still one line
        return Failure(
            [f"error: {where(exc) or 'the build'}: called sys.exit({exc.code!r})"],
            f"Build failed; {kept}. {DEBUG_HINT[0].upper()}{DEBUG_HINT[1:]}.",
            1,
        )
    return Failure([f"error: {describe(exc)}"], f"Build failed; {kept}. Fix the error above; {DEBUG_HINT}.", 1)


def kept_output(output: Path) -> str:
    shown = display_path(output)
    return f"{shown}/ was not changed" if output.exists() else f"nothing was written to {shown}/"


def run_build(settings_file: Path, output: Path, overrides: dict | None = None, debug: bool = False) -> int:
    """Build the site; on failure print one line per problem and keep the old output."""
    from digest.build import build_site

    kept = kept_output(output)
    with console_logging(debug), sigterm_as_interrupt():
        try:
            result = build_site(settings_file, output, overrides, debug=debug)
        except (Exception, KeyboardInterrupt, SystemExit) as exc:
            if debug:
                traceback.print_exc()
            failure = build_failure(exc, kept)
            for line in [*failure.problems, failure.summary]:
                print(line, file=sys.stderr)
            return failure.code
    print(f"Built {result.files} files into {result.output} in {result.seconds:.1f} s.")
    return 0


def run_serve(output: Path, port: int) -> int:
    if not (output / "index.html").exists():
        print(f"{output}/index.html does not exist: run `invoke build` first, or serve with --watch.", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        print(f"port {port}: {exc.strerror}; choose another with --port", file=sys.stderr)
        return 1
    with server:
        print(f"Serving {output} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def run_watch(output: Path, port: int, content: Path | None = None, debug: bool = False) -> int:
    """Serve, rebuild on every change and reload the open pages (``digest.preview``)."""
    from digest.preview.session import PreviewSession

    overrides = {"PATH": str(content.resolve())} if content else {}
    if content and not content.is_dir():
        print(f"--content {content}: no such folder; name the folder that holds articles/", file=sys.stderr)
        return 2
    try:
        session = PreviewSession(output, port, overrides=overrides, debug=debug)
    except BuildError as exc:
        print(f"error: {'; '.join(exc.messages)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"port {port}: {exc.strerror}; choose another with --port", file=sys.stderr)
        return 1
    return session.run()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m digest build",
        description="Build the site from content/ into output/; the previous output survives a failed build.",
    )
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "output", help="where to write the site")
    parser.add_argument("--settings", type=Path, default=REPO_ROOT / "pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and Pelican's log")
    return parser


def build_main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_build(args.settings, args.output, debug=args.debug)


def publish_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m digest publish",
        description="Build for deployment with publishconf.py: absolute URLs, feeds, sitemap. Then copy output/ to any host.",
    )
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "output", help="where to write the site")
    parser.add_argument(
        "--siteurl",
        default="",
        help="the public address, e.g. https://digest.example.org (default: $DIGEST_SITEURL or publishconf.py's)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def publish_main(argv: list[str] | None = None) -> int:
    args = publish_parser().parse_args(argv)
    overrides = {}
    if args.siteurl:
        siteurl = args.siteurl.rstrip("/")
        if not siteurl.startswith(("https://", "http://")):
            print(f"--siteurl must start with https:// or http://, not {siteurl!r}", file=sys.stderr)
            return 2
        overrides = {"SITEURL": siteurl, "FEED_DOMAIN": siteurl}
    return run_build(REPO_ROOT / "publishconf.py", args.output, overrides, debug=args.debug)


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m digest serve",
        description="Serve the built site on http://127.0.0.1:PORT; with --watch, rebuild it on every change "
        "and reload the open pages.",
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "output", help="folder to serve")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="build first, then rebuild when a file in content/, theme/ or vocabularies/ changes; "
        "open pages reload by themselves",
    )
    parser.add_argument(
        "--content", type=Path, default=None, help="with --watch: the content folder (default content/)"
    )
    parser.add_argument("--debug", action="store_true", help="with --watch: show tracebacks and Pelican's log")
    return parser


def serve_main(argv: list[str] | None = None) -> int:
    args = serve_parser().parse_args(argv)
    if not args.watch and (args.content or args.debug):
        print("--content and --debug go with --watch", file=sys.stderr)
        return 2
    if args.watch:
        return run_watch(args.output, args.port, args.content, args.debug)
    return run_serve(args.output, args.port)
