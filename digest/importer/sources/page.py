"""A saved HTML page of one news article, from any site, through trafilatura.

trafilatura finds the main text (navigation, share buttons, comments, sidebars and footers are
left out) and the page's title, author, site name and canonical URL. The date is read from the
page's own metadata only (``article:published_time``, JSON-LD ``datePublished``, a ``<time>``
marked as the publication time), with its time zone; a page with none needs ``--date``, so no
date is guessed from the text. A page whose main text is not running prose (a list of links, a
menu, a front page) is refused rather than imported as menus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from digest.importer.html_blocks import UnreadableMarkup, html_lines, read_html
from digest.importer.model import PAGE, ParsedPage, RawArticle, quoted
from digest.importer.pages import HEADING_MARK, finish_article
from digest.importer.sources.markup import http_url, parse_timestamp, plain, read_bytes, starts_with_tag
from digest.problems import Problem

KIND = PAGE
ROOTS = ("html", "head", "body", "meta", "title", "!doctype")
MIN_PROSE_CHARS = 300  # less running text than this is not an article (a teaser, a menu, a list of links)
DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "publishdate", "pubdate",
             "publish-date", "dc.date.issued", "dcterms.issued", "dc.date", "date", "parsely-pub-date",
             "sailthru.date")  # fmt: skip
ARTICLE_TYPES = re.compile(r"(?:News|Blog|Report|Scholarly|Tech|Analysis|Opinion|Reportage)?(?:Article|Posting)$")


def recognises(head: bytes) -> bool:
    if starts_with_tag(head, ROOTS):
        return True
    text = head.decode("latin-1").lower()
    return "<html" in text and "<rss" not in text and "<feed" not in text


def _json_ld_dates(tree) -> list[str]:
    """``datePublished`` of the article objects in the page's JSON-LD (``@graph`` and lists included)."""
    found: list[str] = []

    def visit(node) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            kinds = node.get("@type", [])
            kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            if any(isinstance(k, str) and ARTICLE_TYPES.search(k) for k in kinds) and node.get("datePublished"):
                found.append(str(node["datePublished"]))
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                visit(node.get(key))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            visit(json.loads(script.text or ""))
        except ValueError:
            continue
    return found


def published(tree) -> tuple[str, str] | None:
    """(the timestamp, where it was found) from the page's own metadata, or None."""
    for value in _json_ld_dates(tree):
        return value, "the page's JSON-LD datePublished"
    metas = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        metas.setdefault(key, meta.get("content"))
    for key in DATE_META:
        if metas.get(key):
            return metas[key], f"the page's <meta> {key}"
    for time in tree.xpath('//time[@itemprop="datePublished" or @pubdate][@datetime]'):
        return time.get("datetime"), "the page's <time> of publication"
    return None


def _prose_chars(markup: str) -> int:
    """Characters of running text (paragraphs and headings, not list items) in trafilatura's output."""
    root = lxml.html.fromstring(markup)
    return sum(len(" ".join(p.text_content().split())) for p in root.xpath("//p|//blockquote|//h2|//h3"))


def _title_line(data: bytes, title: str) -> int:
    at = data.find(title[:40].encode("utf-8"))
    return data.count(b"\n", 0, at) + 1 if at >= 0 else 1


def read(path: Path, shown: str) -> tuple[ParsedPage | None, list[Problem]]:
    data, problems = read_bytes(path, shown)
    if data is None:
        return None, problems
    try:
        tree = read_html(data)
    except UnreadableMarkup as exc:
        return None, [Problem(shown, exc.line, None, f"the page {exc}")]
    except (etree.ParserError, ValueError):
        return None, [Problem(shown, None, None, "is not an HTML page that can be read")]
    import trafilatura  # here, not at the top: every command's start-up would import it

    body = trafilatura.extract(
        tree, output_format="html", include_comments=False, include_tables=False, include_images=False,
        include_formatting=True, favor_precision=True, deduplicate=False,
    )  # fmt: skip
    prose = _prose_chars(body) if body else 0
    if prose < MIN_PROSE_CHARS:
        return None, [
            Problem(
                shown,
                None,
                None,
                f"no article text found: the page's main content has {prose} characters of "
                f"running text (at least {MIN_PROSE_CHARS} are needed); it looks like a list of links, a menu or "
                "a front page. Save the article's own page",
            )
        ]
    meta = trafilatura.extract_metadata(lxml.html.fromstring(data), extensive=False)
    title = plain(meta.title if meta else None)
    if title is None:
        return None, [Problem(shown, None, "title", "the page has no title (no <title>, og:title or <h1>)")]
    url = http_url(meta.url if meta else None)
    article = RawArticle(kind=KIND, title=title, title_line=_title_line(data, title), paragraphs=html_lines(body))
    if article.paragraphs and article.paragraphs[0].removeprefix(HEADING_MARK) == title:
        article.paragraphs.pop(0)  # trafilatura may repeat the headline as the body's first heading
    finish_article(article)
    found = published(tree)
    if found is not None:
        day, exact = parse_timestamp(found[0])
        if day is None:
            problems.append(Problem(shown, None, "date", f"{found[1]} is {quoted(plain(found[0]))}, not a date"))
        article.date, article.published_at = day, exact
        article.date_precision = "exact" if day else None
        article.date_evidence = f"{found[1]}: {plain(found[0])}"
    article.url = url
    article.author = plain(meta.author if meta else None)
    host = urlsplit(url).hostname if url else None
    article.publication = plain(meta.sitename if meta else None) or (host.removeprefix("www.") if host else None)
    article.last_line = data.count(b"\n") + 1
    page = ParsedPage(name=shown, kind=KIND, articles=[article])
    return page, problems
