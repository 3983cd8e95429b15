"""Markdown to safe HTML. Article bodies come from contributors, so the output is sanitised.

The allow-list is small and suited to news text: paragraphs, emphasis, links, lists, quotes,
sub-headings, tables and footnotes. Scripts, styles, iframes, forms, images, SVG and MathML,
event handlers, ``style`` and ``class`` attributes, and every URL scheme except http, https
and mailto never survive. nh3 wraps the Ammonia sanitizer, which parses HTML as a browser
does, so tricks that rely on the parser (``<scr<script>ipt>``, MathML/SVG mutation XSS,
entity-encoded ``java&#x09;script:``) are resolved before the allow-list is applied.

Element ids are dropped, except the ones Markdown footnotes need (``fn:1``, ``fnref:1``): an
id such as ``search`` from ``## Heading {#search}`` could clobber a global the site's scripts use.

Sanitising may remove markup, never the reader's words. "We discuss the <title> of the law" would
lose everything after ``<title>`` (a browser reads the rest of the document as the title), and
``<name withheld>`` would lose "name". So before sanitising, ``keep_words`` turns into visible
text every raw tag that is not HTML markup (``<name>``), whose content HTML reads as plain text
(``<title>``, ``<textarea>``), or that opens code never closed (``<script>`` with no
``</script>`` would swallow the rest of the article). Closed code elements are still dropped whole.
"""

from __future__ import annotations

import functools
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
# Elements whose content a browser reads as plain text: a contributor writing one meant the words.
SHOWN_AS_TEXT = frozenset({"title", "textarea", "xmp", "plaintext"})
# Dropped elements that hold content, so that opening one without closing it drops all that follows.
SWALLOWING = DROPPED_WITH_CONTENT - SHOWN_AS_TEXT - {"embed", "frame"}
# HTML's element names, current and obsolete (WHATWG): any other "<word>" is the reader's text.
HTML_ELEMENTS = frozenset({
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont",
    "bdi", "bdo", "bgsound", "big", "blink", "blockquote", "body", "br", "button", "canvas", "caption", "center",
    "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div",
    "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset",
    "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "image", "img",
    "input", "ins", "isindex", "kbd", "keygen", "label", "legend", "li", "link", "listing", "main", "map", "mark",
    "marquee", "math", "menu", "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr", "noembed",
    "noframes", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture", "plaintext",
    "pre", "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "script", "search", "section", "select",
    "slot", "small", "source", "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg",
    "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt",
    "u", "ul", "var", "video", "wbr", "xmp"
})  # fmt: skip
# A raw tag, named as an HTML parser names it.
_RAW_TAG_RE = re.compile(r"<(/?)([a-z][a-z0-9-]*)(?=[\s/>]|$)", re.IGNORECASE)
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
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


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """One sanitizer, built once: building Ammonia's allow-lists cost half as much as cleaning a body."""
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes; links get rel=noopener noreferrer."""
    return _cleaner().clean(html)


def keep_words(html: str) -> str:
    """Escape, as visible text, each raw tag whose sanitising would take the reader's words with it."""
    others = set(_TAG_NAME_RE.findall(html)) - ALLOWED_TAGS
    if not others or not {name.lower() for name in others} - ALLOWED_TAGS:
        return html  # most bodies: only the tags Markdown writes, all of them kept

    def escape(match: re.Match) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if name not in HTML_ELEMENTS or name in SHOWN_AS_TEXT:
            return "&lt;" + match.group()[1:]
        if name in SWALLOWING and not closing:
            closed = re.compile(rf"</{name}(?:[\s/>]|$)", re.IGNORECASE).search(html, match.end())
            if closed is None:
                return "&lt;" + match.group()[1:]
        return match.group()

    return _RAW_TAG_RE.sub(escape, html)


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


# A block Markdown writes (always without attributes), and the letters of the Russian alphabet.
_BLOCK_RE = re.compile(r"<(p|li|h[1-6]|blockquote|dd|dt|td|th)>(.*?)</\1>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
_RUSSIAN = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_RUSSIAN_RE = re.compile("[а-яё]", re.IGNORECASE)
RUSSIAN_SHARE = 0.9  # of a block's letters, so that a stray Latin letter ("Kазахстана", a source's typo) counts


def _is_russian(text: str) -> bool:
    """Written in Russian, as far as the letters tell: (nearly) all of the Russian alphabet, and no
    Cyrillic letter Russian lacks (Kazakh ә, қ, ң, ө, ұ, ү, Kyrgyz, Tajik, Ukrainian і): those languages
    share the script, and their passages are left for an editor to name."""
    letters = [c.lower() for c in text if c.isalpha()]
    russian = sum(c in _RUSSIAN for c in letters)
    other_cyrillic = any("\u0400" <= c <= "\u04ff" and c not in _RUSSIAN for c in letters)
    return bool(letters) and russian >= RUSSIAN_SHARE * len(letters) and not other_cyrillic


def mark_russian_passages(html: str) -> str:
    """Give each paragraph, list item, heading or cell written in Russian ``lang="ru"``.

    For English articles, whose sources quote Russian lines (a petition's call, a news agency's
    headline): a screen reader then reads them with a Russian voice, and the browser hyphenates and
    quotes them as Russian. Done at render, not by hand in the files, so that every imported article
    gets it and the importer's record of each file (its hash) stays true.
    """
    if not _RUSSIAN_RE.search(html):
        return html

    def mark(match: re.Match) -> str:
        tag, inner = match.group(1), match.group(2)
        return f'<{tag} lang="ru">{inner}</{tag}>' if _is_russian(_TAG_RE.sub("", inner)) else match.group()

    return _BLOCK_RE.sub(mark, html)


def render_markdown(text: str, lang: str | None = None) -> str:
    """Render a Markdown body and sanitise the result, keeping the reader's words. In an English body
    (``lang="en"``), passages in Russian are marked as such (``mark_russian_passages``)."""
    html = sanitize_html(keep_words(_markdown().convert(text)))
    return mark_russian_passages(html) if lang == "en" else html
