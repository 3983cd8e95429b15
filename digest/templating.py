"""The theme's Jinja helpers: plain Jinja, registered on every generator by the site's plugin."""

from __future__ import annotations

from jinja2 import Environment, pass_context

from digest.chart import year_chart_svg, year_span
from digest.docpage import repository_doc

FRAGMENT_CACHE = "fragment_cache"  # the build context's key for the cards rendered so far


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
    """``macro(item, *args)``, rendered once per build for each item, arguments and page depth;
    ``macro()`` when there is no item: a fragment that is the same on every page of a language.

    An article's card is the same on every listing page at the same depth, and a big archive
    shows each article on many cards (country, topic, tag, archive pages and related lists). The
    key is what the card may depend on: the item itself (by identity), the arguments, ``SITEURL``
    (relative URLs make it ``..``, ``../..`` and so on) and ``DEFAULT_LANG``, which is the language
    of the pages being written: each language has its own cards, with its messages, dates and term
    names (``digest.i18n``), kept only while that language is written. A macro used here must read
    nothing else.
    """
    render = (lambda: macro(*args)) if item is None else (lambda: macro(item, *args))
    cache = context.get(FRAGMENT_CACHE)
    if not isinstance(cache, dict):
        return render()
    language = context.get("DEFAULT_LANG")
    if language not in cache:  # a language's pages are all written before the next one's: its cards go
        cache.clear()
    cards = cache.setdefault(language, {})
    key = (macro.name, id(item), args, context.get("SITEURL"))
    hit = cards.get(key)
    if hit is None or hit[0] is not item:
        hit = cards[key] = (item, render())  # holding the item keeps its id from being reused
    return hit[1]
