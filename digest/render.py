"""Markdown to safe HTML. Article bodies come from contributors, so the output is sanitised.

The allow-list is small and suited to news text: paragraphs, emphasis, links, lists, quotes,
sub-headings and tables. Scripts, styles, iframes, event handlers and ``javascript:`` or
``data:`` URLs never survive (nh3 wraps the Ammonia sanitizer, which parses like a browser).
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "q", "cite", "abbr", "sub", "sup", "small",
    "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "figure", "figcaption", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes; links get rel=noopener noreferrer."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render a Markdown body and sanitise the result."""
    return sanitize_html(markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html"))
