"""HTML from feeds and saved pages becomes the paragraph lines the listing parsers produce.

Feeds carry HTML (``content:encoded``, Atom ``content type="html"``) and trafilatura returns the main
text of a page as HTML. Both are cut here into one line per block (paragraph, heading, list item,
quotation), keeping only emphasis as inline markup, so the importer's one sanitising path
(``pages.finish_article``: ``clean.convert_html``, entities, Markdown escapes) turns them into the body.
Links keep their text; images, scripts, forms, embedded frames and tables are dropped.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

from digest.importer.clean import clean_line
from digest.importer.pages import HEADING_MARK

_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "form", "button", "input",
         "select", "textarea", "nav", "svg", "math", "img", "video", "audio", "picture", "source", "table",
         "head", "title", "meta", "link", "figure"}  # fmt: skip
_LEAF_BLOCKS = {"p", "li", "dt", "dd", "pre", "address", "figcaption", "caption"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_INLINE_KEPT = {"em": "em", "i": "em", "strong": "strong", "b": "strong"}
_BLOCKISH = _LEAF_BLOCKS | _HEADINGS | {"div", "section", "article", "main", "body", "html", "ul", "ol", "dl",
                                         "blockquote", "header", "footer", "aside", "hr", "br", "doc"}  # fmt: skip
_SPACE = re.compile(r"\s+")


class UnreadableMarkup(ValueError):
    """HTML that lxml reads only in part: nested deeper than its limit, or one text too long. It stops
    there without an exception, so the rest of the text would be lost without a word."""

    def __init__(self, reason: str, line: int | None):
        super().__init__(reason)
        self.line = line  # in the markup given to ``read_html``


def read_html(markup: str | bytes, *, fragment: bool = False):
    """The element tree of ``markup``; ``UnreadableMarkup`` (a one-line reason) where lxml would cut it short."""
    parser = lxml.html.HTMLParser()
    if fragment:
        root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=parser)
    else:
        root = lxml.html.fromstring(markup, parser=parser)
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            why = "is nested more than 255 elements deep" if "depth" in error.message else "holds a text over 10 MB"
            raise UnreadableMarkup(f"{why}, so it cannot be read whole", error.line)
    return root


def _name(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _inline(el) -> str:
    """An element's text with emphasis kept as <em>/<strong> and every other tag reduced to its text."""
    parts: list[str] = [html.escape(el.text or "", quote=False)]
    for child in el:
        name = _name(child)
        if name == "br":
            parts.append(" ")
        elif name not in _DROP and name:
            inner = _inline(child)
            kept = _INLINE_KEPT.get(name)
            parts.append(f"<{kept}>{inner}</{kept}>" if kept and inner.strip() else inner)
        parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts)


def _line(text: str) -> str:
    return clean_line(_SPACE.sub(" ", text))


def _walk(el, out: list[str], pending: list[str]) -> None:
    def flush() -> None:
        line = _line("".join(pending))
        if line:
            out.append(line)
        pending.clear()

    pending.append(html.escape(el.text or "", quote=False))
    for child in el:
        name = _name(child)
        if name in _DROP or not name:
            pass
        elif name in _HEADINGS:
            flush()
            line = _line(_inline(child))
            if line:
                out.append(HEADING_MARK + line)
        elif name in _LEAF_BLOCKS:
            flush()
            line = _line(_inline(child))
            if line:
                out.append(line)
        elif name in _BLOCKISH:
            flush()
            _walk(child, out, pending)
            flush()
        else:  # inline at block level: part of the paragraph around it
            inner = _inline(child)
            kept = _INLINE_KEPT.get(name)
            pending.append(f"<{kept}>{inner}</{kept}>" if kept and inner.strip() else inner)
        pending.append(html.escape(child.tail or "", quote=False))
    flush()


def html_lines(markup: str) -> list[str]:
    """One line per block of ``markup`` (heading lines start with ``HEADING_MARK``); [] when it holds no text.
    Raises ``UnreadableMarkup`` rather than return part of the text."""
    if not markup or not markup.strip():
        return []
    if "<" not in markup:  # plain text: paragraphs are separated by blank lines
        return [line for line in (_line(p) for p in re.split(r"\n\s*\n", markup)) if line]
    try:
        root = read_html(markup, fragment=True)
    except UnreadableMarkup:
        raise
    except (etree.ParserError, ValueError):
        return []
    out: list[str] = []
    _walk(root, out, [])
    return out
