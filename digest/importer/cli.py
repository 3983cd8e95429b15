"""``python -m digest import`` and ``invoke import``: one-line errors, a table at the end."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from pathlib import Path

from digest.importer.fetch import fetched
from digest.importer.labels import Labels
from digest.importer.model import ImportFailure, internal_error, quoted
from digest.importer.run import import_pages
from digest.importer.sources.markup import http_url


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(value)} is not a date written YYYY-MM-DD") from None


def _codes(value: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in value.split(",") if code.strip())
    if not codes:
        raise argparse.ArgumentTypeError("give at least one country code, such as KZ")
    return codes


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line and exit status 1, like every other error of the command."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(1, f"{self.prog}: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m digest import",
        description="Import into content/articles as Markdown: raw listing pages (The Times of Central Asia, the "
        "Human Rights Issues in Eurasia blog, the Central Asia & South Caucasus Bulletin), RSS or Atom feeds, and saved "
        "HTML pages of single news articles from any site. The kind of each input is recognised from its content.",
    )
    p.add_argument(
        "path",
        nargs="+",
        help="a raw page, feed or saved article page; a folder of them; a quoted glob such as 'pages/*.txt'; "
        "or the http(s) address of a feed or article (needs a network)",
    )
    p.add_argument(
        "--into", type=Path, default=Path("content/articles"), help="where articles go (default: content/articles)"
    )
    p.add_argument("--date", type=_date, help="approximate date (YYYY-MM-DD) for articles on pages without a date")
    p.add_argument("--source-url", help="the page's web address, recorded as source.url")
    p.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
    p.add_argument(
        "--replace",
        action="store_true",
        help="let this run replace an imported article with a shorter or a mostly different text",
    )
    p.add_argument("--explain", action="store_true", help="print why each article got its countries, topic and tags")
    p.add_argument(
        "--country",
        type=_codes,
        help="the country code(s) of every article of this run, such as KZ or KZ,KG, instead of the classifier's",
    )
    p.add_argument("--topic", help="the topic of every article of this run, instead of the classifier's")
    p.add_argument(
        "--review",
        action="store_true",
        help="write a feed or page article whose country or topic the classifier is not sure of, marked "
        "'review: true' (check lists it; the site leaves it out until the mark is removed), instead of stopping",
    )
    p.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return p


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = parser().parse_args(argv)
    if args.source_url is not None and http_url(args.source_url) is None:
        print(
            f"--source-url: {quoted(args.source_url)} must be a web address starting with http:// or https:// "
            "(no user name or password, spaces or quotes)",
            file=err,
        )
        return 1
    try:
        with fetched(args.path) as (paths, shown):
            report = import_pages(
                paths,
                args.into,
                date=args.date,
                source_url=args.source_url,
                dry_run=args.dry_run,
                explain=args.explain,
                replace=args.replace,
                labels=Labels(countries=args.country or (), topic=args.topic, review=args.review),
                shown=shown,
            )
    except ImportFailure as exc:
        if args.debug:
            traceback.print_exc(file=err)
        for problem in exc.problems:
            print(problem, file=err)
        print(f"Import stopped: {len(exc.problems)} problem(s); nothing was written.", file=err)
        return 1
    except Exception as exc:  # pragma: no cover - the last guard: one line unless --debug
        if args.debug:
            raise
        print(f"import failed: {internal_error(exc)}; run again with --debug for the traceback", file=err)
        return 1
    for warning in report.warnings:
        print(warning, file=err)
    if args.explain:
        print(report.explain_text(), file=out)
        print(file=out)
    for line in report.leftover_lines():
        print(line, file=out)
    print(report.table(), file=out)
    done = ", ".join(
        f"{report.count(a)} {'kept (edited by hand)' if a == 'kept' else a}"
        for a in ("written", "updated", "unchanged", "kept", "restored")
    )
    prefix = "Dry run, nothing written: would be " if report.dry_run else ""
    print(f"{prefix}{done}.", file=out)
    for item in report.articles:
        if item.action == "kept":
            print(f"kept: edited by hand: {item.rel} (not overwritten)", file=out)
        elif item.action == "restored":
            print(f"restored: {item.rel} (was deleted; re-created)", file=out)
    return 0
