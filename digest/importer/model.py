"""The importer's data: what a raw page parses into, before any file is written.

Parsing works on text only (no filesystem), so it is cheap to fuzz and to test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from digest.problems import Problem

TOCA = "toca"
BLOG = "blog"
BULLETIN = "bulletin"

PUBLICATIONS = {
    TOCA: "The Times of Central Asia",
    BLOG: "Human Rights Issues in Eurasia",
    BULLETIN: "Central Asia & South Caucasus Bulletin",
}


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
