"""The theme's Jinja helpers: plain Jinja, registered on every generator by the site's plugin."""

from __future__ import annotations

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

from digest.chart import year_chart_svg, year_span
from digest.docpage import repository_doc

FRAGMENT_CACHE = "fragment_cache"  # the build context's key for the cards rendered so far
# Where a fragment that takes the site's root has it, until a page fills in its own. Escaped text
# turns "<" into "&lt;", so this can only come from the placeholder itself.
SITE_ROOT = Markup("<digest-site-root>")


def install_helpers(env: Environment) -> None:
    """Give a Jinja environment the helpers the theme's templates call (the site's and the tests')."""
    env.globals["cached_fragment"] = cached_fragment
    env.globals["year_chart_svg"] = year_chart_svg  # our own markup: safe to mark |safe
    env.globals["repository_doc"] = repository_doc
    env.filters["year_span"] = year_span


def new_fragment_cache(context: dict) -> None:
    """Start an empty fragment cache for this build (the generators share one context dict)."""
    context[FRAGMENT_CACHE] = {}


@pass_context
def cached_fragment(context, macro, item=None, *args):
    """``macro(item, *args)``, rendered once per language for each item and arguments; ``macro()``
    when there is no item: a fragment that is the same on every page of a language.

    An article's card is the same on every listing page, and a big archive shows each article on
    many cards (country, topic, tag, archive pages and related lists). The key is what the card may
    depend on: the item itself (by identity), the arguments and ``DEFAULT_LANG``, which is the
    language of the pages being written: each language has its own cards, with its messages, dates
    and term names (``digest.i18n``), kept only while that language is written. A macro used here
    must read nothing else, except ``SITEURL`` as its last argument: relative URLs make the root
    ``..``, ``../..`` and so on, so such a macro is rendered with ``SITE_ROOT`` there, and each page
    fills in its own root.

    Cards are kept as UTF-8 bytes: a language holds three for each article, and Python stores a
    string with any Cyrillic in it at two bytes a character, where UTF-8 spends one on the markup
    (a Russian card takes half the memory). Compressing each card would halve that again, at a cost
    in CPU that the build's time cannot afford (BENCHMARKS.md, "Decisions").
    """
    takes_root = bool(macro.arguments) and macro.arguments[-1] == "SITEURL"
    call_args = (item, *args) if item is not None else args
    if takes_root:
        call_args = (*call_args, SITE_ROOT)
    cache = context.get(FRAGMENT_CACHE)
    if not isinstance(cache, dict):
        html = macro(*call_args)
    else:
        language = context.get("DEFAULT_LANG")
        if language not in cache:  # a language's pages are all written before the next one's: its cards go
            cache.clear()
        cards = cache.setdefault(language, {})
        key = (macro.name, id(item), args)
        hit = cards.get(key)
        if hit is None or hit[0] is not item:
            html = macro(*call_args)
            cards[key] = (item, html.encode("utf-8"))  # the item: so that its id is not reused
        else:
            html = Markup(hit[1].decode("utf-8"))
    if takes_root:
        return Markup(str.replace(html, SITE_ROOT, escape(context.get("SITEURL", ""))))  # str's: Markup's escapes
    return html
