"""Project tasks, run with invoke (``.venv/bin/invoke --list``).

Each task is a thin wrapper: the work lives in the ``digest`` package so it can be tested and
run without invoke. Errors reach the user as one clear line and a non-zero exit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Exit, task
from invoke.parser.parser import ParseMachine

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"


# Invoke has no optional positional arguments: a positional it did not get is an error. These
# tasks take one path that may be left out (`invoke check` checks all of content/), so an
# unfilled one is set to "" just before invoke's check. Invoke is pinned, so this stays valid.
OPTIONAL_POSITIONALS = {("check", "path")}
_complete_context = ParseMachine.complete_context


def _complete_context_allowing_optional(self) -> None:
    if self.context is not None:
        for arg in self.context.missing_positional_args:
            if (self.context.name, arg.name) in OPTIONAL_POSITIONALS:
                arg.set_value("")
    _complete_context(self)


ParseMachine.complete_context = _complete_context_allowing_optional


def _not_built(name: str, issue: int) -> None:
    raise Exit(f"invoke {name}: not built yet (see issue #{issue}).", code=2)


@task(
    help={
        "output": "where to write the site (default: output/)",
        "settings": "Pelican settings file",
        "debug": "show tracebacks and Pelican's log",
    }
)
def build(c, output=str(OUTPUT), settings="pelicanconf.py", debug=False):
    """Build the site from content/ into output/; the previous output survives a failed build."""
    from digest.cli import run_build

    raise Exit(code=run_build(ROOT / settings, Path(output), debug=debug))


@task(help={"port": "port to listen on (default 8000)", "output": "folder to serve"})
def serve(c, port=8000, output=str(OUTPUT)):
    """Serve the built site on http://127.0.0.1:PORT (run `invoke build` first)."""
    from digest.cli import run_serve

    raise Exit(code=run_serve(Path(output), int(port)))


@task(positional=["path"], help={"path": "a file or folder to check (default: content/)"})
def check(c, path=None):
    """Validate articles and pages; print every problem as file:line: field: message."""
    from digest.check import main

    raise Exit(code=main([path] if path else []))


@task(
    name="import",
    positional=["path"],
    help={
        "path": "a raw page, a folder of pages, or a quoted glob such as '../shared/seeds/*.txt'",
        "into": "where articles go (default: content/articles)",
        "date": "approximate date YYYY-MM-DD for pages that give none",
        "source-url": "the page's web address, recorded as source.url",
        "dry-run": "report what would happen; write nothing",
        "explain": "print why each article got its countries, topic and tags",
        "debug": "show the traceback of an error",
    },
)
def import_(
    c, path=None, into="content/articles", date=None, source_url=None, dry_run=False, explain=False, debug=False
):
    """Import raw listing pages into content/articles; re-running is safe and never overwrites hand edits."""
    from digest.importer.cli import main

    if not path:
        raise Exit(
            "invoke import: give a page, a folder or a quoted glob, e.g. invoke import '../shared/seeds/*.txt'", 1
        )
    args = [path, "--into", into]
    args += ["--date", date] if date else []
    args += ["--source-url", source_url] if source_url else []
    args += ["--dry-run"] if dry_run else []
    args += ["--explain"] if explain else []
    args += ["--debug"] if debug else []
    raise Exit(code=main(args))


@task(
    iterable=["country"],
    help={
        "title": "the headline, as the source gives it (required)",
        "country": "country code, e.g. KZ (required); repeat or use KZ,RU for several, primary first",
        "topic": "one topic slug from vocabularies/topics.yaml, e.g. media-freedom (required)",
        "date": "the source's date, YYYY-MM-DD (default: today, written date_precision: approximate)",
        "approximate": "with --date: the source gives only an on-or-before date",
        "source-url": "the http(s) address of the source",
        "publication": "the source's name, e.g. 'The Times of Central Asia'",
        "lang": "en or ru (default: ru for a mostly Cyrillic title, else en)",
        "slug": "the file name without .md (default: made from the title)",
        "content": "the content folder to write into (default: content/)",
    },
)
def new(
    c,
    title="",
    country=None,
    topic="",
    date="",
    approximate=False,
    source_url="",
    publication="",
    lang="",
    slug="",
    content=str(CONTENT),
):
    """Write a valid article skeleton at content/articles/<slug>.md; refuses an existing slug."""
    from digest.scaffold import main

    argv = [f"--title={title}", f"--topic={topic}", f"--date={date}", f"--content={content}"]
    argv += [f"--country={code}" for code in country or []]
    argv += [f"--source-url={source_url}", f"--publication={publication}", f"--lang={lang}", f"--slug={slug}"]
    argv += ["--approximate"] if approximate else []
    raise Exit(code=main(argv))


@task(
    help={
        "date": "bundle date YYYY-MM-DD in the zip's name (default: today, UTC)",
        "output": "build folder (default: output-offline/, never output/)",
        "dist": "where to write the zip (default: dist/)",
        "content": "content folder (default: content/)",
        "force": "write the zip even if the file:// check finds problems",
        "strict": "do not rewrite hand-written folder links in templates; report them as problems",
        "siteurl": "the live site's address, named in README.txt (default: publishconf.py's)",
        "debug": "show tracebacks",
    }
)
def bundle(c, date="", output="", dist="", content="", siteurl="", force=False, strict=False, debug=False):
    """Build the offline zip: dist/<site-slug>-offline-<date>.zip, which works from file://, search included."""
    from digest.bundle import main

    options = (("date", date), ("output", output), ("dist", dist), ("content", content), ("siteurl", siteurl))
    argv = [f"--{k}={v}" for k, v in options if v]
    argv += [f"--{k}" for k, v in (("force", force), ("strict", strict), ("debug", debug)) if v]
    raise Exit(code=main(argv))


@task(
    help={
        "n": "comma-separated article counts (default 1000,5000)",
        "runs": "repetitions per count; median, min and max are reported (default 3)",
        "seed": "seed of the synthetic corpus (default 1)",
        "no_browser": "skip the Chromium measurements",
        "no_bundle": "skip the offline bundle",
        "no_append": "print the table only; do not append it to BENCHMARKS.md",
        "workdir": "keep corpora and builds in this folder (default: a temporary one, in /dev/shm if it has room)",
    }
)
def bench(c, n="1000,5000", runs=3, seed=1, no_browser=False, no_bundle=False, no_append=False, workdir=""):
    """Benchmark builds and search on synthetic corpora; print the table, keep the figures in benchmarks/results/."""
    from benchmarks.run import main

    argv = ["--n", str(n), "--runs", str(runs), "--seed", str(seed)]
    argv += ["--no-browser"] * bool(no_browser) + ["--no-bundle"] * bool(no_bundle) + ["--no-append"] * bool(no_append)
    argv += ["--workdir", workdir] if workdir else []
    raise Exit(code=main(argv))


@task(
    help={
        "output": "where to write the site (default: output/)",
        "siteurl": "the public address, e.g. https://digest.example.org (default: $DIGEST_SITEURL or publishconf.py's)",
        "debug": "show tracebacks",
    }
)
def publish(c, output=str(OUTPUT), siteurl="", debug=False):
    """Build for deployment with publishconf.py: absolute URLs, feeds, sitemap. Then copy output/ to any host."""
    from digest.cli import run_build

    overrides = {}
    if siteurl:
        siteurl = siteurl.rstrip("/")
        if not siteurl.startswith(("https://", "http://")):
            raise Exit(f"invoke publish: --siteurl must start with https:// or http://, not {siteurl!r}", code=2)
        overrides = {"SITEURL": siteurl, "FEED_DOMAIN": siteurl}
    raise Exit(code=run_build(ROOT / "publishconf.py", Path(output), overrides, debug=debug))


@task(help={"args": "extra arguments for pytest, e.g. '-k search -x'"})
def test(c, args=""):
    """Lint with ruff, then run the whole test suite, browser tests included."""
    python = sys.executable  # the venv's Python, so its tools run whatever PATH says
    c.run(f"{python} -m ruff check .", pty=False)
    c.run(f"{python} -m ruff format --check .", pty=False)
    c.run(f"{python} -m pytest {args}", pty=False)
