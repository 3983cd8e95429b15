"""The importer's data: what a raw page parses into, before any file is written.

Parsing works on text only (no filesystem), so it is cheap to fuzz and to test.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from digest.cli import describe
from digest.problems import Problem

TOCA = "toca"
BLOG = "blog"
BULLETIN = "bulletin"

PUBLICATIONS = {
    TOCA: "The Times of Central Asia",
    BLOG: "Human Rights Issues in Eurasia",
    BULLETIN: "Central Asia & South Caucasus Bulletin",
}
# Web sites of the known publications: a feed or page from one of them is the same source as its listings.
KNOWN_HOSTS = {"timesca.com": TOCA}
# Sources the importer has no listing format for: their labels must be confident, or given, or reviewed.
FEED = "feed"
PAGE = "page"
OPEN_KINDS = (FEED, PAGE)


def source_key(kind: str, publication: str | None, url: str | None) -> str:
    """The first part of an article's identity: the publication, however it reached the importer.

    A Times of Central Asia story from its feed, a saved page of it and its listing share the key
    ``toca``, so they become one file; any other publication is keyed by its name (or its host).
    """
    if kind in PUBLICATIONS:
        return kind
    host = urlsplit(url).hostname or "" if url else ""
    host = host.removeprefix("www.")
    for known, key in KNOWN_HOSTS.items():
        if host == known or host.endswith("." + known):
            return key
    name = (publication or "").casefold().strip()
    for key, known_name in PUBLICATIONS.items():
        if name and name == known_name.casefold():
            return key
    return re.sub(r"[^\w]+", "-", name).strip("-") or host or kind


def quoted(value: object) -> str:
    """A value from the input as a message shows it: in quotes and as written, never as Python's repr
    (which swaps quote marks and doubles backslashes); only characters a terminal cannot show are spelled
    out (\\u0009), so one problem stays one line."""
    text = "".join(
        c if c.isprintable() else f"\\u{ord(c):04X}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08X}" for c in str(value)
    )
    return f"'{text}'"


def internal_error(exc: BaseException) -> str:
    """A bug of the importer as one line, where and what (``digest.cli.describe``), for the bug report."""
    return f"internal error: {describe(exc)}"


class ImportFailure(Exception):
    """Bad input: carries every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class RawArticle:
    """One article as found on a page: exact title, paragraphs, and what the page says about it."""

    kind: str
    title: str
    title_line: int
    paragraphs: list[str] = field(default_factory=list)  # emptied by the run once joined into a body
    date: dt.date | None = None
    date_precision: str | None = None  # "exact" | "approximate" | None (undated)
    date_evidence: str = ""
    issue: str | None = None
    published: dt.date | None = None
    categories: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # dateline cities, e.g. BAKU/ALMATY
    truncated: bool = False
    missing_ending: str = ""  # why the article looks cut off: the source's usual ending is not there
    last_line: int = 0
    lines: list[int] = field(default_factory=list)  # every input line that went into this article
    # What feeds and saved pages say about themselves (the listing formats leave these empty):
    publication: str | None = None  # the feed's or site's own name
    url: str | None = None  # the article's own address (an entry's link, a page's canonical URL)
    author: str | None = None
    published_at: dt.datetime | None = None  # the exact time with its zone, where the source gives one
    entry_id: str | None = None  # a feed entry's id (RSS guid, Atom id)

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class ParsedPage:
    """A page split into articles; ``leftovers`` are the (line, text) pairs no rule accounted for."""

    name: str
    kind: str
    articles: list[RawArticle] = field(default_factory=list)
    leftovers: list[tuple[int, str]] = field(default_factory=list)
    noise_lines: int = 0
    page_date: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # imported anyway, but the reader must know
