"""Markdown to safe HTML. Article bodies come from contributors, so the output is sanitised.

The allow-list is small and suited to news text: paragraphs, emphasis, links, lists, quotes,
sub-headings, tables and footnotes. Scripts, styles, iframes, forms, images, SVG and MathML,
event handlers, ``style`` and ``class`` attributes, and every URL scheme except http, https
and mailto never survive. nh3 wraps the Ammonia sanitizer, which parses HTML as a browser
does, so tricks that rely on the parser (``<scr<script>ipt>``, MathML/SVG mutation XSS,
entity-encoded ``java&#x09;script:``) are resolved before the allow-list is applied.

Element ids are dropped, except the ones Markdown footnotes need (``fn:1``, ``fnref:1``): an
id such as ``search`` from ``## Heading {#search}`` could clobber a global the site's scripts use.
"""

from __future__ import annotations

import re
import threading

import markdown
import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "b", "i", "s", "del", "ins", "q", "cite", "abbr", "sub", "sup", "small",
    "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "dl", "dt", "dd",
})  # fmt: skip
# Removed together with everything inside them: their content is code or markup, never news text.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed",
    "noframes", "template", "svg", "math", "textarea", "select", "title", "xmp", "plaintext",
})  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
    "sup": {"id"},
    "li": {"id"},
}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
FOOTNOTE_ID_RE = re.compile(r"^fn(?:ref)?:[0-9]{1,4}$")
SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep an allow-listed attribute only when its value is one of the harmless shapes."""
    if attribute == "id":
        return value if FOOTNOTE_ID_RE.match(value) else None
    if attribute == "scope":
        return value if value in SCOPES else None
    return value


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes; links get rel=noopener noreferrer."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_converters = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread, reused: setting up "extra" cost as much as converting a body.

    ``Markdown.reset()`` (Python-Markdown's documented way to reuse an instance) clears the
    references, footnotes and abbreviations of the previous document before each conversion.
    """
    md = getattr(_converters, "md", None)
    if md is None:
        md = _converters.md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return md.reset()


def render_markdown(text: str) -> str:
    """Render a Markdown body and sanitise the result."""
    return sanitize_html(_markdown().convert(text))
