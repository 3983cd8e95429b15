"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, through feedparser: one article per entry.

Each entry gives its title, its exact time and zone (as the feed writes it, not feedparser's UTC),
its link (``source.url``), its id, its author and categories, and its full content
(``content:encoded``, Atom ``content``) or else its summary, which is then an excerpt. A broken
entry (no title, no text, a date that cannot be read, a link that is not a web address) stops the
run with the entry's line, like any other bad input.
"""

from __future__ import annotations

import re
from pathlib import Path

from digest.importer.clean import normalise_title
from digest.importer.html_blocks import UnreadableMarkup, html_lines
from digest.importer.model import FEED, ParsedPage, RawArticle, quoted
from digest.importer.pages import finish_article
from digest.importer.sources.markup import http_url, line_starts, parse_timestamp, plain, read_bytes, starts_with_tag
from digest.problems import Problem

KIND = FEED
ROOTS = ("rss", "feed", "rdf:rdf", "rdf")
ENTRY_START = rb"<(?:[A-Za-z][\w.-]*:)?(?:item|entry)[\s>/]"
# What WordPress and others append to a summary: a "read more" mark and a footer line.
EXCERPT_END = re.compile(r"(?:\[(?:…|\.\.\.|&hellip;)\]|…|\.\.\.|Read more\W*|Continue reading\W*)\s*$", re.I)
FOOTER = re.compile(r"^The post .{1,300} appeared first on .{1,200}\.$")


def recognises(head: bytes) -> bool:
    return starts_with_tag(head, ROOTS)


def _content(entry) -> tuple[str, bool]:
    """(the entry's markup, whether it is the full text): the longest full content, else the summary."""
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value", "").strip()]
    if contents:
        return max(contents, key=len), True
    return entry.get("summary", "") or "", False


def _entry(entry, line: int, shown: str, publication: str | None, problems: list[Problem]) -> RawArticle | None:
    title = plain(entry.get("title"))
    markup, full = _content(entry)
    raw_date = entry.get("published") or entry.get("updated") or entry.get("created")
    day, exact = parse_timestamp(raw_date)
    link = entry.get("link")
    url = http_url(link)
    where = f"the entry {quoted(title)}" if title else "the entry"
    if title is None:
        problems.append(
            Problem(shown, line, "title", "the entry has no title; fix the entry or remove it from the file")
        )
    if raw_date and day is None:
        problems.append(
            Problem(shown, line, "date", f"{where}: {quoted(plain(raw_date))} is not a date the importer can read")
        )
    if link and url is None:
        problems.append(
            Problem(shown, line, "link", f"{where}: {quoted(plain(link))} is not a web address (http or https)")
        )
    try:
        paragraphs = html_lines(markup)
    except UnreadableMarkup as exc:
        problems.append(Problem(shown, line, "body", f"{where}: its HTML {exc}"))
        return None
    article = RawArticle(kind=KIND, title=title or "", title_line=line, paragraphs=paragraphs)
    article.paragraphs = [p for p in article.paragraphs if not FOOTER.match(p)]
    if not full and article.paragraphs and EXCERPT_END.search(article.paragraphs[-1]):
        article.paragraphs[-1] = EXCERPT_END.sub("", article.paragraphs[-1]).rstrip() + " …"
        article.truncated = True
    finish_article(article)
    if title is not None and not article.paragraphs:
        problems.append(Problem(shown, line, "body", f"{where} has no text (neither content nor summary)"))
    if title is None or not article.paragraphs:
        return None
    article.date, article.published_at = day, exact
    article.date_precision = "exact" if day else None
    article.date_evidence = f"the entry's date {quoted(raw_date.strip())}" if day else ""
    article.url = url
    article.entry_id = (entry.get("id") or "").strip() or None
    article.author = plain(entry.get("author"))
    article.publication = publication
    article.categories = [c for c in (plain(t.get("term")) for t in entry.get("tags", [])) if c]
    article.last_line = line
    return article


def _shared_ids(articles: list[RawArticle], shown: str) -> list[Problem]:
    """Two different stories under one id or link: the importer knows an entry again by these, so the
    second would silently replace or be merged into the first."""
    problems: list[Problem] = []
    first: dict[tuple[str, str], RawArticle] = {}
    for article in articles:
        for field, value in (("id", article.entry_id), ("link", article.url)):
            if not value:
                continue
            other = first.setdefault((field, value), article)
            if other is not article and normalise_title(other.title) != normalise_title(article.title):
                problems.append(Problem(shown, article.title_line, field,
                    f"the entry {quoted(article.title)} has the {field} {quoted(value)} of the entry on line "
                    f"{other.title_line} ({quoted(other.title)}); each story needs its own {field}"))  # fmt: skip
    return problems


def read(path: Path, shown: str) -> tuple[ParsedPage | None, list[Problem]]:
    data, problems = read_bytes(path, shown)
    if data is None:
        return None, problems
    import feedparser  # here, not at the top: every command's start-up would import it

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        return None, [Problem(shown, None, None, f"the feed has no entries{why}; nothing to import")]
    page = ParsedPage(name=shown, kind=KIND)
    if parsed.get("bozo"):
        page.warnings.append(
            Problem(
                shown,
                None,
                None,
                f"the feed is not well-formed XML ({parsed.bozo_exception}); read it leniently",
                severity="warning",
            )
        )
    publication = plain(parsed.feed.get("title"))
    lines = line_starts(data, ENTRY_START)
    for i, entry in enumerate(parsed.entries):
        line = lines[i] if i < len(lines) else 1
        article = _entry(entry, line, shown, publication, problems)
        if article is not None:
            page.articles.append(article)
    problems.extend(_shared_ids(page.articles, shown))
    return page, problems
