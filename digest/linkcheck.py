"""Crawl a built site on disk and report broken links, missing assets and missing anchors.

The crawl starts at ``index.html`` and follows every ``href`` and ``src`` that stays on the
site, the way a reader (or a browser loading assets) would. Two ways of resolving a URL:

- ``http``: a URL ending in ``/`` serves that folder's ``index.html``, as any static host does;
- ``file``: the URL must name a file, because ``file://`` does not open ``index.html`` for a
  folder. This is the mode for the offline bundle.

Links to other hosts are collected, not followed: the offline bundle must have none that load.
"""

from __future__ import annotations

import posixpath
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

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


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value and (name == "id" or tag == "a"):
                self.ids.add(value)
            if value is not None and (tag, name) in LINK_ATTRS:
                self.links.append((tag, value))


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def resolve(root: Path, page: str, url: str, mode: str) -> tuple[str | None, str | None]:
    """The site-relative file a URL on ``page`` points at, or (None, reason) when it cannot."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None, "external"
    path = unquote(parts.path)
    if path == "":
        return page, None  # a fragment-only link points at the page itself
    if path.startswith("/"):
        if mode == "file":
            return None, "root-relative URL does not work from file://"
        target = path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target.startswith(".."):
            return None, "points above the site root"
    if target in (".", ""):
        target = ""
    full = root / target
    if full.is_dir() or path.endswith("/"):
        if mode == "file":
            return None, "names a folder; file:// needs the file (…/index.html)"
        target = posixpath.join(target, "index.html") if target else "index.html"
        full = root / target
    if not full.is_file():
        return None, "missing"
    return target, None


def crawl(root: Path, start: str = "index.html", mode: str = "http") -> CrawlReport:
    """Follow every internal link from ``start``; report what is broken."""
    root = Path(root)
    report = CrawlReport()
    queue: deque[str] = deque([start])
    parsed: dict[str, _PageParser] = {}
    pending_anchors: list[tuple[str, str, str, str]] = []  # (page, url, target, fragment)
    while queue:
        page = queue.popleft()
        if page in report.pages:
            continue
        report.pages.add(page)
        parser = parsed.setdefault(page, _parse(root / page))
        for tag, url in parser.links:
            if url.startswith(("mailto:", "tel:")):
                continue
            if url.startswith(("javascript:", "data:")):
                report.broken.append(BrokenLink(page, url, "script or data URL"))
                continue
            target, reason = resolve(root, page, url, mode)
            if reason == "external":
                report.external.add(url)
                continue
            if target is None:
                report.broken.append(BrokenLink(page, url, reason or "missing"))
                continue
            fragment = urldefrag(url).fragment
            if target.endswith(".html") and tag == "a":
                if fragment:
                    pending_anchors.append((page, url, target, unquote(fragment)))
                queue.append(target)
            else:
                report.assets.add(target)
    for page, url, target, fragment in pending_anchors:
        parser = parsed.get(target) or parsed.setdefault(target, _parse(root / target))
        if fragment not in parser.ids:
            report.broken.append(BrokenLink(page, url, f"no element with id {fragment!r}"))
    return report
