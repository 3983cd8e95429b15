"""Crawl a built site on disk and report broken links, missing assets and missing anchors.

The crawl starts at ``index.html`` and follows every ``href`` and ``src`` that stays on the
site, the way a reader (or a browser loading assets) would. Two ways of resolving a URL:

- ``http``: a URL ending in ``/`` serves that folder's ``index.html``, as any static host does;
- ``file``: the URL must name a file, because ``file://`` does not open ``index.html`` for a
  folder. This is the mode for the offline bundle.

Links to other hosts are collected, not followed: the offline bundle must have none that load.

Each page is parsed once, with lxml's C parser, and only its ids are kept; the site's files are
listed once, so resolving a link never touches the disk. A crawl from several starts
(``Crawler.visit``) shares all of that, so checking pages no link reaches costs only those pages.
"""

from __future__ import annotations

import os
import posixpath
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

LINK_ATTRS = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src")}


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the page holding the link, relative to the site root
    url: str  # the link as written
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


@dataclass
class CrawlReport:
    pages: set[str] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)
    broken: list[BrokenLink] = field(default_factory=list)
    external: set[str] = field(default_factory=set)


@dataclass
class ParsedPage:
    links: list[tuple[str, str]]  # (tag, url) for every followable attribute, in document order
    ids: set[str]  # every id, and every <a name>: the targets of fragments
    forms: list[str]  # every <form action>


def parse_page(data: bytes) -> ParsedPage:
    """The links, ids and form actions of an HTML page (UTF-8; bad bytes are tolerated, as a browser does)."""
    page = ParsedPage([], set(), [])
    tree = etree.HTML(data, etree.HTMLParser(encoding="utf-8", huge_tree=True)) if data.strip() else None
    if tree is None:
        return page
    for element in tree.iter(etree.Element):
        tag = element.tag
        for name, value in element.items():
            if name == "id" or (name == "name" and tag == "a"):
                if value:
                    page.ids.add(value)
            elif (tag, name) in LINK_ATTRS:
                page.links.append((tag, value))
            elif tag == "form" and name == "action":
                page.forms.append(value)
    return page


class SiteFiles:
    """Every file and folder under ``root``, listed once, as site-relative POSIX paths."""

    def __init__(self, root: Path):
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        for folder, dirnames, filenames in os.walk(root):
            rel = Path(folder).relative_to(root).as_posix()
            prefix = "" if rel == "." else rel + "/"
            self.dirs.update(prefix + d for d in dirnames)
            self.files.update(prefix + f for f in filenames)

    def is_file(self, rel: str) -> bool:
        return rel in self.files

    def is_dir(self, rel: str) -> bool:
        return rel in self.dirs


@dataclass(frozen=True)
class Link:
    """What a URL says, whatever page it is on: parsed once per distinct URL of the site."""

    external: bool
    path: str  # unquoted; "" for a fragment-only link
    fragment: str  # unquoted
    ups: int  # how many folders the normalised relative path climbs ("../../x" climbs 2)
    rest: str  # the normalised path below them ("" for the folder itself)

    @classmethod
    def of(cls, url: str) -> Link:
        parts = urlsplit(url)
        path = unquote(parts.path)
        segments = posixpath.normpath(path.lstrip("/")).split("/") if path else []
        ups = 0
        while ups < len(segments) and segments[ups] == "..":
            ups += 1
        rest = "/".join(segments[ups:])
        return cls(bool(parts.scheme or parts.netloc), path, unquote(parts.fragment), ups, "" if rest == "." else rest)


def _resolve(files: SiteFiles, page: str, folders: list[str], link: Link, mode: str) -> tuple[str | None, str | None]:
    """The site-relative file ``link`` on ``page`` (in ``folders``) points at, or (None, reason) when it cannot."""
    if link.external:
        return None, "external"
    path = link.path
    if path == "":
        return page, None  # a fragment-only link points at the page itself
    if path.startswith("/"):
        if mode == "file":
            return None, "root-relative URL does not work from file://"
        folders = []
    if link.ups > len(folders):
        return None, "points above the site root"
    base = folders[: len(folders) - link.ups]
    target = "/".join([*base, link.rest] if link.rest else base)
    if files.is_dir(target) or path.endswith("/"):
        if mode == "file":
            return None, "names a folder; file:// needs the file (…/index.html)"
        target = f"{target}/index.html" if target else "index.html"
    if not files.is_file(target):
        return None, "missing"
    return target, None


class Crawler:
    """One crawl of a site on disk, from one start or several; each page is parsed once.

    ``forms``: also check every form's ``action`` (the offline bundle's search form), without
    following it: a form is not a link a reader clicks.
    """

    def __init__(self, root: Path, mode: str = "http", forms: bool = False):
        self.root = Path(root)
        self.mode = mode
        self.forms = forms
        self.files = SiteFiles(self.root)
        self.report = CrawlReport()
        self._ids: dict[str, set[str]] = {}  # page -> its ids, kept for the fragments checked at the end
        self._anchors: list[tuple[str, str, str, str]] = []  # (page, url, target, fragment)
        self._links: dict[str, Link] = {}  # every distinct URL, parsed once: pages share most of theirs

    def _link(self, url: str) -> Link:
        link = self._links.get(url)
        if link is None:
            link = self._links[url] = Link.of(url)
        return link

    def html_pages(self) -> list[str]:
        """Every HTML file of the site, sorted: the starts of a crawl that must reach them all."""
        return sorted(f for f in self.files.files if f.endswith(".html"))

    def _parse(self, page: str) -> ParsedPage:
        parsed = parse_page((self.root / page).read_bytes())
        self._ids[page] = parsed.ids
        return parsed

    def visit(self, start: str = "index.html") -> None:
        """Follow every internal link from ``start``, skipping pages an earlier visit reached."""
        report = self.report
        queue: deque[str] = deque([start])
        while queue:
            page = queue.popleft()
            if page in report.pages:
                continue
            report.pages.add(page)
            parsed = self._parse(page)
            folders = page.split("/")[:-1]
            for tag, url in parsed.links:
                if url.startswith(("mailto:", "tel:")):
                    continue
                if url.startswith(("javascript:", "data:")):
                    report.broken.append(BrokenLink(page, url, "script or data URL"))
                    continue
                link = self._link(url)
                target, reason = _resolve(self.files, page, folders, link, self.mode)
                if reason == "external":
                    report.external.add(url)
                    continue
                if target is None:
                    report.broken.append(BrokenLink(page, url, reason or "missing"))
                    continue
                if target.endswith(".html") and tag == "a":
                    if link.fragment:
                        self._anchors.append((page, url, target, link.fragment))
                    if target not in report.pages:
                        queue.append(target)
                else:
                    report.assets.add(target)
            if self.forms:
                self._check_forms(page, parsed.forms)

    def _check_forms(self, page: str, actions: list[str]) -> None:
        for url in actions:
            if url == "":
                continue  # submits to the page itself
            target, reason = _resolve(self.files, page, page.split("/")[:-1], self._link(url), self.mode)
            if reason == "external":
                self.report.external.add(url)
            elif target is None:
                self.report.broken.append(BrokenLink(page, url, f"form action: {reason}"))

    def finish(self) -> CrawlReport:
        """The report, once every fragment link is checked against its page's ids."""
        for page, url, target, fragment in self._anchors:
            ids = self._ids.get(target)
            if ids is None:
                ids = self._parse(target).ids
            if fragment not in ids:
                self.report.broken.append(BrokenLink(page, url, f"no element with id {fragment!r}"))
        self._anchors = []
        return self.report


def crawl(root: Path, start: str = "index.html", mode: str = "http") -> CrawlReport:
    """Follow every internal link from ``start``; report what is broken."""
    crawler = Crawler(root, mode)
    crawler.visit(start)
    return crawler.finish()
