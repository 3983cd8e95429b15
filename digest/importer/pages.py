"""Recognise a raw page's source and split it into articles, accounting for every line.

``parse_page(text, name)`` is pure (no filesystem): it returns a ``ParsedPage`` with the articles,
the page's own date, the lines left over, and the problems that make the page unusable.
Each line of input ends up in an article, in a known noise pattern, or in ``leftovers``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from digest.importer import dates
from digest.importer.clean import (
    clean_line,
    collapse_spaces,
    convert_html,
    escape_markdown_line,
    split_run_in_headings,
    unescape_entities,
)
from digest.importer.coherence import swapped_bodies
from digest.importer.model import BLOG, BULLETIN, TOCA, ParsedPage, RawArticle, quoted
from digest.problems import Problem

Line = tuple[int, str]  # (1-based line number, cleaned text)
MAX_ARTICLE_CHARS = 1_000_000  # about 150,000 words: far beyond any news story
LOST_PARAGRAPH_WORDS = 20  # a left-over line this long is an article's text, not page furniture
HEADING_MARK = "\x00h"  # marks a heading line found by the parser (input text never holds NUL: clean_line drops it)

# --- noise shared by all kinds ---------------------------------------------------------------------
TICKER = re.compile(r"^[•·*\-–]?\s*[A-Z]{3}\s*/\s*[A-Z]{3}\s*[=:]\s*[-+]?[\d.,]+\s*(?:[▲▼↑↓+\-−]?\s*[\d.,]+\s*%)?$")
VIEWING = re.compile(
    r"^(?:Viewing|Showing|Displaying) (?:results?|articles?|items?)\s+\d+\s*[-–—]\s*\d+\s+of\s+\d+\.?$", re.I
)
PAGE_HEADER = re.compile(
    r"^(?:Tag|Tags|Category|Categories|Topic|Archives?)\s*:\s*\S.{0,80}$|^Archive for (?:the )?.{1,60}$|"
    r"^(?:Category|Tag|Monthly) Archives?\s*:?.{0,80}$|"
    r"^(?:Page \d+ of \d+|Load more|Read more|More news|Advertisement|Sponsored content|Related articles?)\.?$",
    re.I,
)
_NAME_WORD = r"[A-Z][\w.’'\-]+"
BYLINE = re.compile(
    rf"^(?:By|Written by|Author:)\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
    rf"(?:\s*(?:,|and|&)\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})?$"
)
EXCERPT = re.compile(r"(?:\.\.\.|…)\s*[”\"’)\\\]]*\s*$")
FINISHED = re.compile(r"[.!?…][”\"’'»)\\\]]*\s*$")  # a text that ends as a sentence ends

# --- The Times of Central Asia ---------------------------------------------------------------------
TOCA_MARK = re.compile(r"Times of Central Asia|timesca\.com", re.I)

# --- the blog ---------------------------------------------------------------------------------------
BLOG_NAME = "Human Rights Issues in Eurasia"
POSTED_BY = re.compile(
    r"^Posted\s+(?:by\s+(?P<author>.+?)\s+)?on\s+(?P<date>.+?)(?:\s+by\s+(?P<author2>[^|]+?))?\s*(?:\|.*)?$", re.I
)
POSTED_IN = re.compile(r"^(?:Posted in|Filed under|Categories)\s*:?\s*(?P<cats>.*?)\s*(?:\|\s*(?P<rest>.*))?$", re.I)
BLOG_NOISE = re.compile(
    r"^(?:Leave a (?:Comment|Reply)\s*»?|\d+ (?:Comments?|Responses?)\s*»?|Comments? (?:Off|Closed)|"
    r"«\s*Older (?:Entries|Posts)(?:\s*Newer (?:Entries|Posts)\s*»)?|Newer (?:Entries|Posts)\s*»|"
    r"Older (?:Entries|Posts)|Share this:?|Like this:?|Loading\.\.\.|Tagged\s*:?.*|Tags\s*:.*|"
    r"Blog at WordPress\.com\.?|Rate this:?)$",
    re.I,
)

# --- the Bulletin -----------------------------------------------------------------------------------
BULLETIN_NAME = re.compile(r"(?:Central Asia\s*&(?:amp;)?\s*South Caucasus\s+)?Bulletin", re.I)
ENDS = re.compile(r"^[—–\-\s]*(?:ENDS?|END OF STORY)[\s.—–\-]*$")
FOOTER = re.compile(
    r"^[—–\-\s]*(?:This|The) (?:story|article|report|item) (?:was |is |has been )?(?:first |originally )?"
    r"(?:published|printed|appeared|ran)\b(?P<rest>.*)$",
    re.I,
)
COPYRIGHT = re.compile(r"^[—–\-\s]*(?:Copyright|©|\(c\))\s*(?P<rest>.*)$", re.I)
_MONTH = dates.MONTH_WORD
DATELINE = re.compile(
    rf"^(?P<places>(?:[A-Z][A-Za-z’'.\-]*(?:\s[A-Z][A-Za-z’'.\-]*)*\s*[/,]\s*)*)"
    rf"(?P<date>(?i:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+(?i:{_MONTH})(?:,?\s+\d{{4}})?)"
    rf"\s*(?:\((?P<pub>[^()]{{0,60}})\))?\s*(?:[—–]+|-{{1,2}})\s*(?P<rest>.*)$"
)


def split_lines(text: str) -> list[Line]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [(n, clean_line(line)) for n, line in enumerate(raw, start=1)]


def detect_kind(lines: list[Line]) -> tuple[str | None, dict[str, int]]:
    """Score the page against each source's markers; None when nothing is recognised."""
    scores = {TOCA: 0, BLOG: 0, BULLETIN: 0}
    for _, text in lines:
        if TICKER.match(text) or VIEWING.match(text) or TOCA_MARK.search(text):
            scores[TOCA] += 2
        if POSTED_BY.match(text) and _posted_date(text) is not None:
            scores[BLOG] += 3
        elif BLOG_NAME.lower() in text.lower() or (POSTED_IN.match(text) and "comment" in text.lower()):
            scores[BLOG] += 2
        m = DATELINE.match(text)
        if m and _is_dateline(m):
            scores[BULLETIN] += 3
        elif (FOOTER.match(text) or COPYRIGHT.match(text)) and BULLETIN_NAME.search(text):
            scores[BULLETIN] += 2
    best = max(scores, key=lambda k: scores[k])
    return (best if scores[best] > 0 else None), scores


def structural_marks(lines: list[Line]) -> dict[str, list[int]]:
    """The line numbers of the markers that only one source prints, source by source: the Times of
    Central Asia's currency ticker and 'Viewing results' line, the blog's 'Posted by … on DATE'
    line, the Bulletin's dateline. A mention of a source's name in a text is not one."""
    marks: dict[str, list[int]] = {TOCA: [], BLOG: [], BULLETIN: []}
    for n, text in lines:
        if TICKER.match(text) or VIEWING.match(text):
            marks[TOCA].append(n)
        elif POSTED_BY.match(text) and _posted_date(text) is not None:
            marks[BLOG].append(n)
        else:
            m = DATELINE.match(text)
            if m and _is_dateline(m):
                marks[BULLETIN].append(n)
    return marks


def _mixed_formats(lines: list[Line], kind: str, name: str) -> Problem | None:
    """A file holding pages of two sources cannot be parsed as either: say where each one starts."""
    marks = structural_marks(lines)
    enough = {TOCA: 2, BLOG: 1, BULLETIN: 1}
    others = [k for k in marks if k != kind and len(marks[k]) >= enough[k]]
    if not others:
        return None
    names = {TOCA: "Times of Central Asia", BLOG: "blog", BULLETIN: "Bulletin"}
    what = {TOCA: "currency ticker or 'Viewing results'", BLOG: "'Posted by … on DATE'", BULLETIN: "dateline"}
    other = others[0]
    own = f"line {marks[kind][0]}" if marks[kind] else "its other lines"
    return Problem(
        name,
        marks[other][0],
        None,
        f"this file mixes two sources: a {names[kind]} page ({what[kind]} at {own}) and a {names[other]} page "
        f"({what[other]} at line {marks[other][0]}, {len(marks[other])} in all); save each page to its own file "
        "and import them together",
    )


def parse_page(text: str, name: str = "<text>") -> ParsedPage:
    """Parse a raw page's text. Never raises for bad input: problems are returned on the page."""
    if not text.strip():
        page = ParsedPage(name=name, kind="unknown")
        page.problems.append(Problem(name, None, None, "the file is empty; nothing to import"))
        return page
    return parse_lines(split_lines(text), name)


def parse_lines(lines: list[Line], name: str = "<text>") -> ParsedPage:
    """Parse a page already split into cleaned, numbered lines (as ``split_lines`` or a streamed read gives)."""
    kind, _ = detect_kind(lines)
    if kind is None:
        page = ParsedPage(name=name, kind="unknown")
        page.problems.append(
            Problem(
                name,
                None,
                None,
                "unknown format: not a Times of Central Asia listing (currency ticker, 'Viewing results'), "
                "a 'Human Rights Issues in Eurasia' blog page ('Posted by … on DD/MM/YYYY') or a Bulletin "
                "page ('DATE (The Bulletin) —' datelines)",
            )
        )
        return page
    mixed = _mixed_formats(lines, kind, name)
    if mixed is not None:
        page = ParsedPage(name=name, kind=kind)
        page.problems.append(mixed)
        return page
    parser: dict[str, Callable[[list[Line], str], ParsedPage]] = {
        TOCA: _parse_toca,
        BLOG: _parse_blog,
        BULLETIN: _parse_bulletin,
    }
    page = parser[kind](lines, name)
    page.articles = [a for a in page.articles if _within_size(page, a)]
    for article in page.articles:
        finish_article(article)
        if kind == TOCA and article.paragraphs and not FINISHED.search(article.paragraphs[-1]):
            article.missing_ending = "its last sentence stops mid-way"  # the listing has no end marker
        if article.missing_ending and article.paragraphs:
            article.truncated = True
            page.warnings.append(
                Problem(
                    name,
                    article.last_line or article.title_line,
                    "truncated",
                    f"{quoted(article.title)} looks cut off ({article.missing_ending}); imported with truncated: true",
                    severity="warning",
                )
            )
    page.articles = [a for a in page.articles if a.paragraphs or _no_body(page, a)]
    page.problems.extend(swapped_bodies(page))
    page.problems.extend(
        Problem(
            name, n, None, f"a paragraph that belongs to no article ({text[:60]}…): the page's lines look out of order"
        )
        for n, text in page.leftovers
        if len(text.split()) >= LOST_PARAGRAPH_WORDS
    )
    if not page.articles and not page.problems:
        page.problems.append(Problem(name, None, None, f"no articles found in this {kind} page"))
    return page


def _within_size(page: ParsedPage, article: RawArticle) -> bool:
    """A text longer than any article (a run-away page, two stories without a headline between them)
    is refused before it is cleaned, classified and rendered, which would each copy it."""
    size = sum(len(p) for p in article.paragraphs)
    if size <= MAX_ARTICLE_CHARS:
        return True
    page.problems.append(
        Problem(
            page.name,
            article.title_line,
            "body",
            f"the article {quoted(article.title)} is {size:,} characters long; no article may be longer than "
            f"{MAX_ARTICLE_CHARS:,}: is a headline missing, or is this not a listing page?",
        )
    )
    article.paragraphs = []
    return False


def _no_body(page: ParsedPage, article: RawArticle) -> bool:
    page.problems.append(
        Problem(
            page.name, article.title_line, "body", f"the article {quoted(article.title)} has a title but no body text"
        )
    )
    return False


# --- helpers -----------------------------------------------------------------------------------------
def _title_like(text: str) -> bool:
    """A line that could be a headline: short, no closing full stop, starts with a capital."""
    if not text or len(text) > 200 or len(text.split()) > 28:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "“\"‘'«"):
        return False
    stripped = text.rstrip("”\"’')» ")
    return bool(stripped) and stripped[-1] not in ".…:;,"


def _paragraphs(lines: list[Line]) -> list[str]:
    """Lines become paragraphs; a line broken mid-sentence joins the next one."""
    out: list[list[str]] = []
    joinable = False
    for _, text in lines:
        if not text:
            joinable = False
            continue
        if out and joinable and text[:1].islower() and not re.search(r"[.!?:][”\"»’]*$", out[-1][-1]):
            out[-1].append(text)
        else:
            out.append([text])
        joinable = True
    return [" ".join(parts) for parts in out]


def finish_article(article: RawArticle) -> None:
    """Clean the body text into Markdown paragraphs and note an excerpt marker at the end."""
    article.title = collapse_spaces(unescape_entities(re.sub(r"<[^<>]*>", "", article.title))).strip()
    paragraphs: list[str] = []
    for para in article.paragraphs:
        if para.startswith(HEADING_MARK):
            paragraphs.append("## " + escape_markdown_line(collapse_spaces(convert_html(para[len(HEADING_MARK) :]))))
            continue
        para = collapse_spaces(convert_html(para))
        if not para:
            continue
        parts = split_run_in_headings(para) if article.kind == TOCA else [("p", para)]
        for kind, part in parts:
            if kind == "h":
                paragraphs.append("## " + part)
            else:
                paragraphs.append(escape_markdown_line(part))
    article.paragraphs = [p for p in paragraphs if re.search(r"\w", p)]
    if article.paragraphs and EXCERPT.search(article.paragraphs[-1]):
        article.truncated = True


def _is_noise(text: str) -> bool:
    return bool(TICKER.match(text) or VIEWING.match(text) or PAGE_HEADER.match(text) or BYLINE.match(text))


# --- The Times of Central Asia ------------------------------------------------------------------------
def _parse_toca(lines: list[Line], name: str) -> ParsedPage:
    page = ParsedPage(name=name, kind=TOCA)
    content: list[Line] = []
    for n, text in lines:
        if not text:
            continue
        if content and (TICKER.match(text) or VIEWING.match(text)) and len(content[0][1].split()) >= 4:
            page.problems.append(
                Problem(
                    name,
                    n,
                    None,
                    f"the listing's header line {quoted(text)} comes after the headline on line {content[0][0]}: "
                    "the page's lines look out of order",
                )
            )
            return page
        if _is_noise(text) or TOCA_MARK.fullmatch(text) or re.fullmatch(r"(?i)the times of central asia", text):
            page.noise_lines += 1
            continue
        listing = dates.parse_listing_date(re.sub(r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+", "", text))
        listing = listing or dates.parse_day_first(text)
        if listing is not None:
            if page.page_date is None:
                page.page_date = listing
                page.noise_lines += 1
                continue
            page.leftovers.append((n, text))
            continue
        content.append((n, text))

    current: RawArticle | None = None
    for index, (n, text) in enumerate(content):
        nxt = content[index + 1][1] if index + 1 < len(content) else None
        prev = content[index - 1][1] if index else None
        headline = _title_like(text) and (_headline_case(text) or _sentence_case_headline(text, prev, nxt))
        if headline and len(text.split()) < 4 and current is not None and current.paragraphs:
            # A short stand-alone heading inside an article ("The Allegations") stays in it.
            current.paragraphs.append(HEADING_MARK + text)
            current.lines.append(n)
            current.last_line = n
            continue
        if headline and len(text.split()) < 4 and current is not None and not current.paragraphs:
            # A short line right under a headline ("Start of it") opens the text; it is not a headline.
            current.paragraphs.append(text)
            current.lines.append(n)
            current.last_line = n
            continue
        nxt_short = nxt is not None and len(nxt.split()) < 4
        if headline and nxt_short and len(text.split()) >= 4 and _title_like(nxt):
            current = RawArticle(kind=TOCA, title=text, title_line=n)
            current.lines.append(n)
            page.articles.append(current)
            continue
        if headline and (nxt is None or (_title_like(nxt) and _headline_case(nxt))):
            if nxt is None:
                page.problems.append(
                    Problem(name, n, "body", f"the article {quoted(text)} has a title but no body text")
                )
            else:  # a headline-like line followed by another headline: not an article, report it
                page.leftovers.append((n, text))
            current = None
            continue
        if headline and (current is None or not _title_like(nxt or "")):
            current = RawArticle(kind=TOCA, title=text, title_line=n)
            current.lines.append(n)
            page.articles.append(current)
            continue
        if current is None:
            page.leftovers.append((n, text))
            continue
        current.paragraphs.append(text)
        current.lines.append(n)
        current.last_line = n
    for article in page.articles:
        if page.page_date is not None:
            article.date = page.page_date
            article.date_precision = "approximate"
            article.date_evidence = f"listing date line {page.page_date.isoformat()} (on or before)"
    return page


def _sentence_case_headline(text: str, prev: str | None, nxt: str | None) -> bool:
    """A headline not in Title Case ("Kyrgyz president says media must double-check") is still one
    when it stands between a finished paragraph and a much longer one."""
    if nxt is None or len(text.split()) < 4 or _title_like(nxt):
        return False
    finished = prev is None or bool(re.search(r"[.!?…][”\"’)\]]*$", prev))
    return finished and len(nxt) > max(120, 2 * len(text))


def _headline_case(text: str) -> bool:
    """Times of Central Asia headlines capitalise most words ("Kyrgyzstan Closes Kloop; …")."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'\-]*", text) if len(w) > 3]
    if not words:
        return bool(text.strip())
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


# --- the blog ------------------------------------------------------------------------------------------
def _posted_date(text: str):
    m = POSTED_BY.match(text)
    if not m:
        return None
    raw = m.group("date").strip()
    numeric = re.search(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b", raw)
    if numeric:
        return dates.parse_day_first(numeric.group(0))
    return dates.parse_any(raw) or dates.find_date(raw)


def _footer_categories(text: str) -> list[str]:
    """ "Posted by Info on 07/10/2014 in Kazakhstan, Russia | Leave a Comment" -> the categories."""
    m = re.search(r"\d{4}\s+in\s+([^|]+)", text)
    return _categories(m.group(1)) if m else []


def _categories(raw: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,;]", raw) if c.strip()]


def _parse_blog(lines: list[Line], name: str) -> ParsedPage:
    marks = [i for i, (_, text) in enumerate(lines) if text and POSTED_BY.match(text)]
    if _footer_style(lines, marks):
        return _parse_blog_footer_style(lines, marks, name)
    page = ParsedPage(name=name, kind=BLOG)
    mark_set = set(marks)
    used: set[int] = set()
    # Each "Posted by" line belongs to the nearest content line above it: the title.
    starts: list[tuple[int, int]] = []  # (title index, posted-by index)
    for i in marks:
        j = i - 1
        while j >= 0 and not lines[j][1]:
            j -= 1
        if j < 0 or j in mark_set or _blog_noise(lines[j][1]) or (starts and j <= starts[-1][1]):
            page.problems.append(Problem(name, lines[i][0], "title", "a 'Posted by' line without a title above it"))
            used.add(i)
            continue
        starts.append((j, i))
    for k, (t, p) in enumerate(starts):
        n_title, title = lines[t]
        article = RawArticle(kind=BLOG, title=title, title_line=n_title)
        article.lines.extend([n_title, lines[p][0]])
        posted = lines[p][1]
        when = _posted_date(posted)
        if when is not None:
            article.date, article.date_precision = when, "exact"
            article.date_evidence = f"'Posted … on' line {lines[p][0]}: {when.isoformat()} (day first)"
        else:
            page.leftovers.append((lines[p][0], posted))
        used.update({t, p})
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body: list[Line] = []
        closed = False
        for idx in range(p + 1, end):
            n, text = lines[idx]
            used.add(idx)
            if not text:
                body.append((n, ""))
                continue
            m = POSTED_IN.match(text)
            if m and not closed:
                article.categories.extend(_categories(m.group("cats")))
                page.noise_lines += 1
                closed = True
                continue
            if _blog_noise(text):
                page.noise_lines += 1
                continue
            if closed:
                page.leftovers.append((n, text))
                continue
            body.append((n, text))
            article.lines.append(n)
            article.last_line = n
        article.paragraphs = _paragraphs(body)
        if not closed:
            article.missing_ending = "no 'Posted in' line after it"
        page.articles.append(article)
    for idx, (n, text) in enumerate(lines):
        if idx in used or not text:
            continue
        if _blog_noise(text) or BLOG_NAME.lower() in text.lower():
            page.noise_lines += 1
        else:
            page.leftovers.append((n, text))
    page.leftovers.sort()
    return page


def _footer_style(lines: list[Line], marks: list[int]) -> bool:
    """Some themes put "Posted by … on DATE in CATEGORY | Leave a comment" under the post.

    Recognised when the page has no separate "Posted in" line and a headline and text come before
    the first "Posted by" line. Text after the last one is a post cut off before its footer.
    """
    if not marks or any(POSTED_IN.match(t) for _, t in lines if t):
        return False
    before = [t for _, t in lines[: marks[0]] if t and not _blog_noise(t) and BLOG_NAME.lower() not in t.lower()]
    return len(before) >= 2


def _parse_blog_footer_style(lines: list[Line], marks: list[int], name: str) -> ParsedPage:
    page = ParsedPage(name=name, kind=BLOG)
    previous = -1
    for mark in marks:
        segment = [
            (n, t)
            for n, t in lines[previous + 1 : mark]
            if not (t and (_blog_noise(t) or BLOG_NAME.lower() in t.lower()))
        ]
        page.noise_lines += sum(1 for _, t in lines[previous + 1 : mark] if t) - sum(1 for _, t in segment if t)
        content = [(n, t) for n, t in segment if t]
        previous = mark
        n_mark, posted = lines[mark]
        page.noise_lines += 1
        if not content:
            page.problems.append(Problem(name, n_mark, "title", "a 'Posted by' line without a post above it"))
            continue
        (n_title, title), body_start = content[0], segment.index(content[0]) + 1
        article = RawArticle(kind=BLOG, title=title, title_line=n_title)
        when = _posted_date(posted)
        if when is not None:
            article.date, article.date_precision = when, "exact"
            article.date_evidence = f"'Posted … on' line {n_mark}: {when.isoformat()} (day first)"
        article.categories = _footer_categories(posted)
        article.paragraphs = _paragraphs(segment[body_start:])
        article.lines.extend([n_title, *(n for n, t in segment[body_start:] if t)])
        article.last_line = n_mark
        page.articles.append(article)
    tail = [(n, t) for n, t in lines[previous + 1 :] if t and not (_blog_noise(t) or BLOG_NAME.lower() in t.lower())]
    page.noise_lines += sum(1 for _, t in lines[previous + 1 :] if t) - len(tail)
    if tail:
        (n_title, title), body = tail[0], tail[1:]
        article = RawArticle(kind=BLOG, title=title, title_line=n_title, missing_ending="no 'Posted by' line under it")
        article.paragraphs = _paragraphs(body)
        article.lines.extend(n for n, _ in tail)
        article.last_line = tail[-1][0]
        page.articles.append(article)
    return page


def _blog_noise(text: str) -> bool:
    return bool(BLOG_NOISE.match(text) or _is_noise(text) or (POSTED_IN.match(text) and "comment" in text.lower()))


# --- the Bulletin --------------------------------------------------------------------------------------
def _is_dateline(m: re.Match[str]) -> bool:
    """A dateline names the Bulletin in brackets, or writes its month in capitals (``FEB. 28 2021``)."""
    if m.group("pub") and BULLETIN_NAME.search(m.group("pub")):
        return True
    month = re.match(
        r"[A-Za-z]+", m.group("date").split()[0] if not m.group("date")[0].isdigit() else m.group("date").split()[1]
    )
    return bool(month and month.group(0).isupper() and len(month.group(0)) >= 3)


def _dateline_parts(m: re.Match[str]) -> tuple[int | None, int, int | None]:
    words = m.group("date").replace(",", " ").split()
    if words[0][0].isdigit():
        day, month, year = words[0], words[1], words[2] if len(words) > 2 else None
    else:
        month, day, year = words[0], words[1], words[2] if len(words) > 2 else None
    return dates.month_number(month), int(re.match(r"\d+", day).group(0)), int(year) if year else None


def _parse_bulletin(lines: list[Line], name: str) -> ParsedPage:
    page = ParsedPage(name=name, kind=BULLETIN)
    marks: list[tuple[int, re.Match[str]]] = []
    for i, (_, text) in enumerate(lines):
        m = DATELINE.match(text) if text else None
        if m and _is_dateline(m):
            marks.append((i, m))
    mark_lines = {k for k, _ in marks}
    used: set[int] = set()
    starts: list[tuple[int, int, re.Match[str]]] = []
    for i, m in marks:
        j = i - 1
        while j >= 0 and (not lines[j][1] or BYLINE.match(lines[j][1])):
            j -= 1
        bad = j < 0 or _bulletin_noise(lines[j][1]) or (starts and j <= starts[-1][1]) or j in mark_lines
        if bad:
            page.problems.append(Problem(name, lines[i][0], "title", "a dateline without a headline above it"))
            used.add(i)
            continue
        starts.append((j, i, m))
    for k, (t, d, m) in enumerate(starts):
        n_title, title = lines[t]
        article = RawArticle(kind=BULLETIN, title=title, title_line=n_title)
        article.lines.extend([n_title, lines[d][0]])
        places = m.group("places") or ""
        article.places = [p.strip(" .").title() for p in re.split(r"[/,]", places) if p.strip(" .")]
        used.update({t, d})
        body: list[Line] = []
        rest = m.group("rest").strip()
        if rest:
            body.append((lines[d][0], rest))
            article.lines.append(lines[d][0])
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        closed = False
        copyright_year: int | None = None
        for idx in range(d + 1, end):
            n, text = lines[idx]
            used.add(idx)
            if not text:
                body.append((n, ""))
                continue
            if ENDS.match(text):
                page.noise_lines += 1
                closed = True
                continue
            f = FOOTER.match(text)
            if f:
                issue = re.search(r"\bissue\s+(?:no\.?\s*)?#?(\d+)", f.group("rest"), re.I)
                if issue and article.issue is None:
                    article.issue = issue.group(1)
                if article.published is None:
                    article.published = dates.find_date(f.group("rest"))
                page.noise_lines += 1
                closed = True
                continue
            c = COPYRIGHT.match(text)
            if c:
                year = re.search(r"\b(19|20)\d{2}\b", c.group("rest"))
                copyright_year = int(year.group(0)) if year else None
                page.noise_lines += 1
                closed = True
                continue
            if _is_noise(text):
                page.noise_lines += 1
                continue
            if closed:
                page.leftovers.append((n, text))
                continue
            body.append((n, text))
            article.lines.append(n)
            article.last_line = n
        article.paragraphs = _paragraphs(body)
        if not closed:
            article.missing_ending = "no ENDS, footer or copyright line after it"
        month, day, year = _dateline_parts(m)
        dateline = m.group(0)[: m.start("rest")].strip(" —–-")
        if month is not None and year is not None:
            article.date = dates.make_date(year, month, day)
            evidence = f"dateline {quoted(dateline)}"
        elif month is not None and article.published is not None:
            article.date = dates.year_for(month, day, article.published)
            evidence = (
                f"dateline {quoted(dateline)}, year from the footer's publication date {article.published.isoformat()}"
            )
        elif month is not None and copyright_year is not None:
            article.date = dates.make_date(copyright_year, month, day)
            evidence = f"dateline {quoted(dateline)}, year from the copyright line {copyright_year}"
        else:
            evidence = ""
        if article.date is not None:
            article.date_precision = "exact"
            article.date_evidence = evidence
        else:
            page.leftovers.append((lines[d][0], f"dateline not understood: {dateline}"))
        page.articles.append(article)
    for idx, (n, text) in enumerate(lines):
        if idx in used or not text:
            continue
        if _bulletin_noise(text):
            page.noise_lines += 1
        else:
            page.leftovers.append((n, text))
    page.leftovers.sort()
    return page


def _bulletin_noise(text: str) -> bool:
    return bool(ENDS.match(text) or FOOTER.match(text) or COPYRIGHT.match(text) or _is_noise(text))
