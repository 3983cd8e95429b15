"""The offline bundle: the whole digest in one zip that works from ``file://``, search included.

Readers behind a blocked or throttled connection get the digest as one zip, unzip it and open
``index.html`` in any browser. Three things make a Pelican site work from ``file://``:

- every URL is relative (``RELATIVE_URLS``), so the folder can live anywhere;
- every link names its file: ``file://`` does not open ``index.html`` for a folder URL, so each
  ``*_URL`` setting that ends in ``/`` (and each pagination pattern) gets ``index.html`` appended;
- the search index is a classic ``<script>`` that assigns a global (Chromium blocks ``fetch`` of
  local JSON, ES modules and workers from ``file://``); the site's own search already works so.

Feeds are switched off in the bundle: a feed is a subscription to a server, and feeds built with
relative URLs would be invalid. README.txt and the feeds page give the address of the live site's feed
instead (``LIVE_SITEURL``, ``LIVE_FEED_URL``). The bundle has no sitemap.xml: nothing crawls a folder.

The bundle is built by ``digest.build.build_site`` (atomic) into its own folder, ``output-offline/``,
never ``output/``; it is then checked (a ``file://`` crawl of every link and asset, and no trace of
the absolute path it was built at) and zipped deterministically into
``dist/<SITE_SLUG>-offline-<YYYY-MM-DD>.zip``. Settings are overridden, never the theme or plugin.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from babel.support import NullTranslations

from digest import REPO_ROOT
from digest.i18n import Language, SiteLanguages
from digest.linkcheck import Crawler, CrawlReport

SETTINGS_FILE = REPO_ROOT / "pelicanconf.py"
PUBLISH_SETTINGS_FILE = REPO_ROOT / "publishconf.py"
OFFLINE_OUTPUT = REPO_ROOT / "output-offline"
DIST = REPO_ROOT / "dist"
README_NAME = "README.txt"
# Every entry of the zip gets this mode and the bundle date: the same site gives the same zip.
_FILE_MODE = 0o644
_TEXT_SUFFIXES = {".html", ".htm", ".js", ".css", ".json", ".xml", ".txt", ".csv", ".svg", ".webmanifest", ".map"}
_FEED_SETTING = re.compile(r"FEED_(ALL_)?(ATOM|RSS)$")


class BundleError(Exception):
    """The offline bundle would not work; nothing was zipped."""

    def __init__(self, problems: list[str], *, forceable: bool = True):
        self.problems = problems
        self.forceable = forceable  # whether --force would zip it anyway
        super().__init__("\n".join(problems))


@dataclass
class BundleResult:
    zip_path: Path | None
    output: Path
    date: dt.date
    zip_bytes: int
    site_bytes: int
    pages: int
    files: int
    search_index: Path | None
    search_index_bytes: int
    seconds: float
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        index = (
            f"search index {self.search_index.relative_to(self.output).as_posix()}: {_size(self.search_index_bytes)}"
            if self.search_index
            else "search index: NOT FOUND"
        )
        where = self.zip_path if self.zip_path else "(no zip written)"
        return (
            f"Offline bundle {where}\n"
            f"  zip: {_size(self.zip_bytes)} ({_size(self.site_bytes)} unzipped, {self.files} files)\n"
            f"  pages: {self.pages} HTML pages\n"
            f"  {index}\n"
            f"  built in {self.seconds:.1f} s"
        )


def _size(n: int) -> str:
    return f"{n:,} bytes ({n / 1024 / 1024:.2f} MiB)" if n >= 1024 * 1024 else f"{n:,} bytes ({n / 1024:.1f} KiB)"


# --- settings -------------------------------------------------------------------------------


def file_named_urls(settings: Mapping) -> dict:
    """Overrides that make every folder URL name its file: ``countries/kz/`` -> ``countries/kz/index.html``.

    Generic on purpose: every setting ending in ``_URL`` whose value ends in ``/`` is covered, so a
    taxonomy added later (COUNTRY_URL, TOPIC_URL, SEARCH_URL...) needs no change here; so is an
    empty ``*_URL`` (the root, as ``INDEX_URL = ""``) whose ``*_SAVE_AS`` is an ``index.html``.
    """
    overrides: dict = {}
    for name, value in settings.items():
        if not (name.endswith("_URL") and isinstance(value, str)):
            continue
        if value.endswith("/"):
            overrides[name] = value + "index.html"
        elif value == "":  # "" is the site root when its page is saved as index.html (INDEX_URL)
            save_as = settings.get(name[: -len("_URL")] + "_SAVE_AS")
            if isinstance(save_as, str) and (save_as == "index.html" or save_as.endswith("/index.html")):
                overrides[name] = save_as
    patterns = settings.get("PAGINATION_PATTERNS")
    if patterns:
        fixed = []
        changed = False
        for rule in patterns:
            min_page, url, save_as = tuple(rule)[:3]
            if isinstance(url, str) and url.endswith("/"):
                url, changed = url + "index.html", True
            fixed.append((min_page, url, save_as))
        if changed:
            overrides["PAGINATION_PATTERNS"] = fixed
    return overrides


def feeds_off(settings: Mapping) -> dict:
    """Overrides that switch off every feed, Pelican's and the plugin's (``*FEED_ATOM``, ``*FEED_RSS``)."""
    return {name: None for name, value in settings.items() if _FEED_SETTING.search(name) and value}


def offline_overrides(settings: Mapping) -> dict:
    """Every setting the offline bundle changes, computed from the site's own settings."""
    # No sitemap: it lists a web site's addresses for crawlers, and a folder on a disk is never crawled;
    # its root-relative <loc> entries would be wrong, and the live site's addresses are in the live sitemap.
    overrides = {"SITEURL": "", "RELATIVE_URLS": True, "FEED_DOMAIN": None, "SITEMAP_SAVE_AS": ""}
    overrides.update(file_named_urls(settings))
    overrides.update(feeds_off(settings))
    return overrides


def _read_settings(settings_file: Path, overrides: dict | None = None, quiet: bool = False) -> dict:
    from digest.build import pelican_settings

    log = logging.getLogger("pelican.settings")
    level = log.level
    if quiet:
        log.setLevel(logging.ERROR)
    try:
        return pelican_settings(settings_file, overrides)
    finally:
        log.setLevel(level)


def live_site(
    publish_settings_file: Path = PUBLISH_SETTINGS_FILE, siteurl: str | None = None
) -> tuple[str, str | None]:
    """The deployed site's address (``siteurl``, else publishconf.py's) and its main feed's, for README.txt."""
    try:
        settings = _read_settings(publish_settings_file, quiet=True)
    except Exception:  # the README degrades; the bundle itself does not depend on publishconf
        settings = {}
    siteurl = (siteurl if siteurl is not None else settings.get("SITEURL") or "").rstrip("/")
    feed = settings.get("FEED_ALL_ATOM")
    return siteurl, (f"{siteurl}/{feed}" if siteurl and feed else None)


# --- inspecting the built bundle --------------------------------------------------------------


def count_pages(root: Path, settings: Mapping, setting: str = "ARTICLE_SAVE_AS") -> int | None:
    """How many files the bundle holds of the kind ``setting`` saves (articles by default)."""
    pattern = settings.get(setting)
    if not pattern:
        return None
    regex = re.compile("^" + "[^/]+".join(re.escape(p) for p in re.split(r"\{[^}]*\}", pattern)) + "$")
    return sum(1 for p in root.rglob("*.html") if regex.match(p.relative_to(root).as_posix()))


def text_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in _TEXT_SUFFIXES)


def traces_of(root: Path, needles: list[str]) -> list[str]:
    """Files that mention any of ``needles`` (absolute build paths, ``file:///``): the bundle must not."""
    encoded = [(needle, needle.encode("utf-8")) for needle in needles if needle]
    found = []
    for path in text_files(root):
        data = path.read_bytes()  # searched as UTF-8 bytes: no decoding of every file
        for needle, raw in encoded:
            if raw in data:
                found.append(f"{path.relative_to(root).as_posix()}: mentions {needle!r}")
    return found


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def css_problems(root: Path) -> list[str]:
    """``url(...)`` references in the bundle's CSS that are absolute, root-relative or missing."""
    problems = []
    for css in sorted(root.rglob("*.css")):
        for match in _CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            url = match.group(2).strip()
            if url.startswith(("data:", "#")):
                continue
            where = css.relative_to(root).as_posix()
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I):
                problems.append(f"{where}: {url}: external URL in CSS")
            elif url.startswith("/"):
                problems.append(f"{where}: {url}: root-relative URL does not work from file://")
            else:
                target = (css.parent / unquote(url.split("?")[0].split("#")[0])).resolve()
                if not target.is_file():
                    problems.append(f"{where}: {url}: missing")
    return problems


def crawl_everything(root: Path) -> tuple[CrawlReport, set[str]]:
    """A ``file://`` crawl from index.html, then from every page it did not reach (the search page is
    reached through a form, the 404 page through none), checking every form's ``action`` on the way.

    One crawl with several starts: each page is parsed once, however many starts reach it.
    Returns the report and the pages reached from index.html by links.
    """
    crawler = Crawler(root, mode="file", forms=True)
    crawler.visit("index.html")
    from_home = set(crawler.report.pages)
    for page in crawler.html_pages():
        if page not in crawler.report.pages:
            crawler.visit(page)
    return crawler.finish(), from_home


def check_bundle(root: Path, build_paths: list[str]) -> tuple[list[str], int]:
    """Everything that would break the bundle from ``file://``; and the number of pages checked."""
    report, _ = crawl_everything(root)
    problems = [str(b) for b in report.broken]
    problems += css_problems(root)
    problems += traces_of(root, [*build_paths, "file:///"])
    return problems, len(report.pages)


# --- README and zip -------------------------------------------------------------------------


def readme_text(
    sitename: str,
    date: dt.date,
    siteurl: str,
    feed_url: str | None,
    articles: int | None = None,
    language: Language | None = None,
) -> str:
    """README.txt's text in ``language`` (default: the templates' English), whose pages start at its
    folder's index.html (``ru/index.html``)."""
    language = language or Language("en", "", NullTranslations())
    _ = language.gettext
    day, index = date.isoformat(), f"{language.prefix}index.html"
    lines = [
        _("%(site)s: offline edition of %(date)s") % {"site": _(sitename), "date": day},
        "",
        _("How to open it"),
        "  1. " + _("Unzip this file into a folder of your choice (any folder, on any computer)."),
        "  2. " + _("Open %(index)s from that folder in any web browser (double-click it).") % {"index": index},
        "",
        _("Everything works without a network connection, search included: no page loads"),
        _("anything from the internet. Only the links to each article's original source need one."),
        "",
        _("This bundle holds the digest as it was on %(date)s.") % {"date": day}
        if articles is None
        else language.translations.ngettext(
            "This bundle holds the digest as it was on %(date)s: %(count)s article.",
            "This bundle holds the digest as it was on %(date)s: %(count)s articles.",
            articles,
        )
        % {"date": day, "count": articles},
    ]
    if siteurl:
        lines.append(_("The live digest, always up to date: %(url)s") % {"url": f"{siteurl}/{language.prefix}"})
    if feed_url:
        lines.append(
            _("Feeds are not included offline; to follow the digest, subscribe to %(url)s") % {"url": feed_url}
        )
    else:
        lines.append(_("Feeds are not included offline: a feed needs a server to follow."))
    return "\n".join(lines) + "\n"


def readme(
    sitename: str, date: dt.date, siteurl: str, feed_url: str | None, articles: int | None, languages: SiteLanguages
) -> str:
    """README.txt in every language of the site, the default first: one file, which every reader can read."""
    sections = []
    for language in languages.languages:
        feed = feed_url
        if feed and siteurl and feed.startswith(f"{siteurl}/"):  # each language's own feed
            feed = f"{siteurl}/{language.prefix}{feed[len(siteurl) + 1 :]}"
        sections.append(readme_text(sitename, date, siteurl, feed, articles, language))
    return "\n".join(sections)


def zip_entries(root: Path) -> list[Path]:
    """The files to zip, in a fixed order: index.html and README.txt first, then the rest by path."""
    files = sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())
    first = [root / "index.html", root / README_NAME]
    return [p for p in first if p.is_file()] + [p for p in files if p not in first]


def write_zip(root: Path, zip_path: Path, date: dt.date) -> int:
    """Zip ``root`` so that its index.html is at the zip's root; deterministic; written atomically."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    fd, tmp = tempfile.mkstemp(prefix=f".{zip_path.name}.", dir=zip_path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in zip_entries(root):
                info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o100000 | _FILE_MODE) << 16
                info.create_system = 3  # unix, so the mode above is honoured
                archive.writestr(info, path.read_bytes(), compresslevel=9)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, zip_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return zip_path.stat().st_size


# --- the whole job --------------------------------------------------------------------------


def bundle_date(value: str | None = None) -> dt.date:
    """The date in the bundle's name: given, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC)."""
    if value:
        return dt.date.fromisoformat(value)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def make_bundle(
    settings_file: Path | str = SETTINGS_FILE,
    output: Path | str = OFFLINE_OUTPUT,
    dist: Path | str = DIST,
    date: dt.date | None = None,
    extra_overrides: dict | None = None,
    force: bool = False,
    siteurl: str | None = None,
) -> BundleResult:
    """Build the site for ``file://`` into ``output``, check it, and zip it into ``dist``.

    Raises ContentError (invalid content), BuildError (Pelican logged errors) or BundleError
    (the built bundle has broken links, missing assets or absolute paths; no zip is written
    unless ``force``). Templates write every link through settings (``INDEX_URL``, ``SEARCH_URL``, ...),
    so a folder link the crawl finds is a template bug to fix, not something to rewrite here.
    """
    from digest.build import STAGING_INFIX, build_site

    started = time.perf_counter()
    settings_file = Path(settings_file).resolve()
    output = Path(output).resolve()
    dist = Path(dist).resolve()
    date = date or bundle_date()
    base = _read_settings(settings_file, extra_overrides, quiet=True)  # its feed warnings are not the bundle's
    normal_output = Path(base["OUTPUT_PATH"]).resolve()
    if output == normal_output:
        raise BundleError(
            [f"{output}: the offline bundle must not be built into the site's OUTPUT_PATH"], forceable=False
        )
    siteurl, feed_url = live_site(siteurl=siteurl)
    # Citations name the live address, and the feeds page sends readers to the live feeds.
    live = {"LIVE_SITEURL": siteurl, "LIVE_FEED_URL": feed_url or ""}
    overrides = {**(extra_overrides or {}), **offline_overrides(base), **live}
    built = build_site(settings_file, output, overrides)
    settings = _read_settings(settings_file, overrides)

    (output / README_NAME).write_text(
        readme(
            settings.get("SITENAME", "The digest"),
            date,
            siteurl,
            feed_url,
            count_pages(output, settings),
            SiteLanguages.from_settings(settings),
        ),
        encoding="utf-8",
    )
    # build_site renders into a staging folder beside ``output`` and renames it: neither path may leak.
    build_paths = [str(output), str(output.parent / f".{output.name}{STAGING_INFIX}"), str(REPO_ROOT)]
    problems, _reached = check_bundle(output, build_paths)
    if not (output / "index.html").is_file():
        problems.insert(0, "index.html: missing; the bundle has no home page")

    files = [p for p in output.rglob("*") if p.is_file()]
    search_index = built.search_index
    zip_path = dist / f"{settings.get('SITE_SLUG') or 'site'}-offline-{date.isoformat()}.zip"
    result = BundleResult(
        zip_path=None,
        output=output,
        date=date,
        zip_bytes=0,
        site_bytes=sum(p.stat().st_size for p in files),
        pages=sum(1 for p in files if p.suffix == ".html"),
        files=len(files),
        search_index=search_index,
        search_index_bytes=search_index.stat().st_size if search_index else 0,
        seconds=0.0,
        problems=problems,
    )
    if problems and not force:
        raise BundleError(problems)
    result.zip_bytes = write_zip(output, zip_path, date)
    result.zip_path = zip_path
    result.seconds = time.perf_counter() - started
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m digest bundle",
        description="Build the offline zip, dist/<site-slug>-offline-<date>.zip, which works from file://, search included.",
    )
    parser.add_argument(
        "--settings", default=str(SETTINGS_FILE), help="Pelican settings file (default: pelicanconf.py)"
    )
    parser.add_argument("--output", default=str(OFFLINE_OUTPUT), help="build folder (default: output-offline/)")
    parser.add_argument("--dist", default=str(DIST), help="where to write the zip (default: dist/)")
    parser.add_argument("--date", default=None, help="bundle date YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--content", default=None, help="content folder (default: the settings' PATH)")
    parser.add_argument("--force", action="store_true", help="write the zip even if the offline check finds problems")
    parser.add_argument("--siteurl", default=None, help="the live site named in README.txt (default: publishconf.py's)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    from digest.build import BuildError
    from digest.problems import ContentError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        date = bundle_date(args.date)
    except ValueError:
        print(f"--date: {args.date!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return 2
    extra = {"PATH": str(Path(args.content).resolve())} if args.content else None
    try:
        result = make_bundle(
            args.settings,
            args.output,
            args.dist,
            date,
            extra,
            force=args.force,
            siteurl=args.siteurl,
        )
    except ContentError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"Bundle stopped: {len(exc.problems)} problem(s) in the content; no zip written.", file=sys.stderr)
        return 1
    except BuildError as exc:
        if args.debug:
            raise
        print(f"Bundle stopped: the build failed; no zip written. {exc}", file=sys.stderr)
        return 1
    except BundleError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if exc.forceable:
            print(
                f"Bundle stopped: {len(exc.problems)} problem(s) would break it from file://; no zip written "
                f"(the build is in {args.output}; --force zips it anyway).",
                file=sys.stderr,
            )
        else:
            print("Bundle stopped; no zip written.", file=sys.stderr)
        return 1
    except Exception as exc:  # a template or plugin error: one line, the traceback only with --debug
        if args.debug:
            raise
        print(
            f"Bundle stopped: the build failed; no zip written. {type(exc).__name__}: {exc} (--debug for details)",
            file=sys.stderr,
        )
        return 1
    for problem in result.problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(result.summary())
    return 0
