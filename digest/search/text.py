"""Plain text from an article's rendered (already sanitised) HTML, for indexing and snippets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose end separates words: without a space "...in the dark.</p><h2>The" would glue.
_BLOCK = {
    "p", "br", "hr", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "figure", "figcaption", "dl", "dt", "dd", "div",
}  # fmt: skip
_SKIP = {"script", "style", "template"}
_SPACES = re.compile(r"\s+")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    parser = _TextParser()
    parser.feed(html or "")
    parser.close()
    return _SPACES.sub(" ", "".join(parser.parts)).strip()


def excerpt(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut
